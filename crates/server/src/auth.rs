//! Staff authentication (bearer tokens, stored hashed), password hashing (argon2id),
//! and a small rate limiter for the public progress lookup.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use argon2::password_hash::{PasswordHasher, SaltString};
use argon2::{Argon2, PasswordHash, PasswordVerifier};
use axum::http::{HeaderMap, header};
use sha2::{Digest, Sha256};
use yichuang_domain::case::Staff;
use yichuang_store::Store;

use crate::error::ApiError;

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

/// argon2id with a random salt, in PHC string form.
pub fn hash_password(password: &str) -> Result<String, String> {
    let salt_bytes = *uuid::Uuid::new_v4().as_bytes();
    let salt = SaltString::encode_b64(&salt_bytes).map_err(|e| e.to_string())?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

pub fn verify_password(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|hash| {
        Argon2::default()
            .verify_password(password.as_bytes(), &hash)
            .is_ok()
    })
}

/// The staff member behind the request's bearer token.
pub async fn staff_of(store: &Store, headers: &HeaderMap) -> Result<Staff, ApiError> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(ApiError::unauthorized)?;
    match store.staff_by_token(&hash_token(token)).await {
        Ok(Some(staff)) => Ok(staff),
        Ok(None) => Err(ApiError::unauthorized()),
        Err(e) => {
            tracing::error!(error = %e, "token lookup failed");
            Err(ApiError::internal())
        }
    }
}

/// At most `limit` attempts per key per window.
#[derive(Debug)]
pub struct RateLimiter {
    limit: u32,
    window: Duration,
    seen: Mutex<HashMap<String, (Instant, u32)>>,
}

impl RateLimiter {
    pub fn new(limit: u32, window: Duration) -> RateLimiter {
        RateLimiter {
            limit,
            window,
            seen: Mutex::new(HashMap::new()),
        }
    }

    pub fn allow(&self, key: &str) -> bool {
        let now = Instant::now();
        let Ok(mut seen) = self.seen.lock() else {
            return false;
        };
        if seen.len() > 100_000 {
            seen.retain(|_, (start, _)| now.duration_since(*start) < self.window);
        }
        let entry = seen.entry(key.to_owned()).or_insert((now, 0));
        if now.duration_since(entry.0) >= self.window {
            *entry = (now, 0);
        }
        entry.1 += 1;
        entry.1 <= self.limit
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
