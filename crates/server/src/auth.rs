//! Staff authentication: sign-in (argon2id, throttled and bounded), bearer tokens
//! (stored hashed, expiring).

use std::sync::OnceLock;

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, SaltString};
use axum::http::{HeaderMap, header};
use sha2::{Digest, Sha256};
use yichuang_domain::case::Staff;
use yichuang_store::{Store, StoreError};

use crate::client::ClientKey;
use crate::error::ApiError;
use crate::protection::RetryAfter;
use crate::state::AppState;

/// A new random secret (a token or a first password), 32 hex characters × 2.
pub fn new_secret() -> String {
    format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    )
}

/// Tokens are high-entropy, so a plain SHA-256 is the right storage hash for them.
pub fn hash_token(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Issues a new API token for a staff member, valid for `days`; returns the token
/// (shown once, stored only as its hash).
pub async fn issue_token(store: &Store, staff_id: &str, days: u32) -> Result<String, StoreError> {
    let token = new_secret();
    let expires = jiff::Timestamp::now()
        .checked_add(jiff::SignedDuration::from_hours(24 * i64::from(days)))
        .unwrap_or(jiff::Timestamp::MAX);
    store
        .add_token(&hash_token(&token), staff_id, expires)
        .await?;
    Ok(token)
}

/// The bearer token of a request, if it sent one.
pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
}

/// argon2id with a random salt, in PHC string form.
pub fn hash_password(password: &str) -> Result<String, String> {
    let salt_bytes = *uuid::Uuid::new_v4().as_bytes();
    let salt = SaltString::encode_b64(&salt_bytes).map_err(|e| e.to_string())?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

/// The staff member behind the request's bearer token.
pub async fn staff_of(store: &Store, headers: &HeaderMap) -> Result<Staff, ApiError> {
    let token = bearer(headers).ok_or_else(ApiError::unauthorized)?;
    match store
        .staff_by_token(&hash_token(token), jiff::Timestamp::now())
        .await
    {
        Ok(Some(staff)) => Ok(staff),
        Ok(None) => Err(ApiError::unauthorized()),
        Err(e) => {
            tracing::error!(error = %e, "token lookup failed");
            Err(ApiError::internal())
        }
    }
}

/// Why a sign-in did not succeed.
#[derive(Debug)]
pub enum SignInRefused {
    /// Wrong staff id or password (which of the two is never said).
    WrongCredentials,
    /// Too many attempts for this account or from this client.
    Throttled(RetryAfter),
    /// Too many password checks running already.
    Busy(RetryAfter),
    Internal,
}

impl SignInRefused {
    pub fn into_api_error(self) -> ApiError {
        match self {
            SignInRefused::WrongCredentials => ApiError::new(
                axum::http::StatusCode::UNAUTHORIZED,
                "bad-credentials",
                "账号或密码错误",
                "Wrong staff id or password",
                "check the staff id and password",
            ),
            SignInRefused::Throttled(retry) => ApiError::too_many(
                "too many sign-in attempts for this account or address",
                retry,
            ),
            SignInRefused::Busy(retry) => ApiError::busy(retry),
            SignInRefused::Internal => ApiError::internal(),
        }
    }
}

/// A hash of a password no one knows, checked when the staff id does not exist, so
/// that an unknown id costs as much time as a known one with a wrong password.
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash_password(&new_secret()).unwrap_or_default())
}

/// Checks a staff id and password, within the login throttles and the bound on
/// concurrent password checks; every page and API sign-in comes through here.
pub async fn sign_in(
    state: &AppState,
    client: ClientKey,
    staff_id: &str,
    password: String,
) -> Result<Staff, SignInRefused> {
    state
        .protection
        .login(client, staff_id)
        .map_err(SignInRefused::Throttled)?;
    let slot = state
        .protection
        .password_slot()
        .await
        .map_err(SignInRefused::Busy)?;
    let found = state.store.staff_by_id(staff_id).await.map_err(|e| {
        tracing::error!(error = %e, "staff lookup failed");
        SignInRefused::Internal
    })?;
    let (staff, hash) = match found {
        Some((staff, hash)) => (Some(staff), Some(hash)),
        None => (None, None),
    };
    let guards = state.protection.clone();
    let ok = tokio::task::spawn_blocking(move || {
        let _slot = slot;
        // The dummy is hashed on first use, on this blocking thread, never the runtime's.
        let hash = hash.unwrap_or_else(|| dummy_hash().to_owned());
        let mut memory = guards.password_buffers.take();
        let ok = crate::passwords::verify_in(&password, &hash, &mut memory);
        guards.password_buffers.give_back(memory);
        ok
    })
    .await
    .unwrap_or(false);
    match staff {
        Some(staff) if ok => Ok(staff),
        _ => {
            tracing::info!(%client, "sign-in refused");
            Err(SignInRefused::WrongCredentials)
        }
    }
}

/// The signed-in staff member, as a handler argument: a missing or unknown token is a
/// 401 problem in the caller's language.
#[derive(Debug, Clone)]
pub struct SignedIn(pub Staff);

impl axum::extract::FromRequestParts<crate::state::AppState> for SignedIn {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &crate::state::AppState,
    ) -> Result<SignedIn, ApiError> {
        let lang = crate::error::Lang::from_headers(&parts.headers);
        let request_id = parts
            .extensions
            .get::<crate::routes::RequestId>()
            .map(|r| r.0.clone())
            .unwrap_or_default();
        staff_of(&state.store, &parts.headers)
            .await
            .map(SignedIn)
            .map_err(|e| e.with(lang, &request_id))
    }
}
