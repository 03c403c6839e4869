//! Production sign-in for citizens and employers: OpenID Connect (authorization code
//! with PKCE) against the issuer the operator configures, the provincial or national
//! unified identity platform. The identity number, and for an employer's agent the
//! employer's credit code, come from claims the operator names; both are validated
//! before a session is made. Pending sign-ins (PKCE verifier, nonce, where to return)
//! are kept in memory for ten minutes under their `state`.

use std::collections::HashMap;
use std::num::NonZeroUsize;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use lru::LruCache;
use openidconnect::core::{CoreClient, CoreGenderClaim, CoreProviderMetadata, CoreResponseType};
use openidconnect::{
    AdditionalClaims, AuthenticationFlow, AuthorizationCode, ClientId, ClientSecret, CsrfToken,
    IssuerUrl, Nonce, OAuth2TokenResponse, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope,
    TokenResponse, UserInfoClaims,
};
use serde::Deserialize;
use yichuang_domain::{ResidentId, Uscc};
use yichuang_store::CitizenSession;

use super::ui::local_path;
use super::{Ui, message};
use crate::auth::new_secret;
use crate::state::AppState;

/// What the operator configures (`serve --oidc-*`).
#[derive(Debug, Clone)]
pub struct OidcConfig {
    pub issuer: String,
    pub client_id: String,
    pub client_secret: String,
    /// This server's `/signin/callback` as the issuer sees it.
    pub redirect_url: String,
    /// The claim that carries the resident identity number.
    pub id_claim: String,
    /// The claim that carries an employer's credit code, when an agent signs in for one.
    pub uscc_claim: String,
    /// Scopes asked for besides `openid`.
    pub scopes: Vec<String>,
}

const PENDING_FOR: Duration = Duration::from_secs(600);
const PENDING_KEPT: usize = 10_000;

struct Pending {
    verifier: String,
    nonce: String,
    back: String,
    since: Instant,
}

/// The configuration, the issuer's metadata once discovered, and pending sign-ins.
pub(crate) struct Oidc {
    config: OidcConfig,
    metadata: tokio::sync::Mutex<Option<CoreProviderMetadata>>,
    pending: Mutex<LruCache<String, Pending>>,
    http: openidconnect::reqwest::Client,
}

impl std::fmt::Debug for Oidc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Oidc")
            .field("issuer", &self.config.issuer)
            .finish()
    }
}

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
struct OtherClaims(HashMap<String, serde_json::Value>);
impl AdditionalClaims for OtherClaims {}

#[derive(Debug, thiserror::Error)]
enum OidcError {
    #[error("the issuer could not be reached or described itself wrongly: {0}")]
    Discovery(String),
    #[error("bad configuration: {0}")]
    Config(String),
    #[error("the sign-in was refused by the issuer: {0}")]
    Exchange(String),
    #[error("the identity token did not verify: {0}")]
    Token(String),
    #[error("the claims lack a valid identity number")]
    NoIdentity,
}

impl Oidc {
    pub(crate) fn new(config: OidcConfig) -> Result<Oidc, String> {
        let http = openidconnect::reqwest::ClientBuilder::new()
            // Following redirects would let the issuer's answers point us anywhere.
            .redirect(openidconnect::reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| e.to_string())?;
        IssuerUrl::new(config.issuer.clone()).map_err(|e| format!("--oidc-issuer: {e}"))?;
        RedirectUrl::new(config.redirect_url.clone())
            .map_err(|e| format!("--oidc-redirect-url: {e}"))?;
        Ok(Oidc {
            config,
            metadata: tokio::sync::Mutex::new(None),
            pending: Mutex::new(LruCache::new(
                NonZeroUsize::new(PENDING_KEPT).unwrap_or(NonZeroUsize::MIN),
            )),
            http,
        })
    }

    /// The issuer's metadata, discovered on first use and kept.
    async fn metadata(&self) -> Result<CoreProviderMetadata, OidcError> {
        let mut cached = self.metadata.lock().await;
        if let Some(metadata) = cached.as_ref() {
            return Ok(metadata.clone());
        }
        let issuer = IssuerUrl::new(self.config.issuer.clone())
            .map_err(|e| OidcError::Config(e.to_string()))?;
        let metadata = CoreProviderMetadata::discover_async(issuer, &self.http)
            .await
            .map_err(|e| OidcError::Discovery(e.to_string()))?;
        *cached = Some(metadata.clone());
        Ok(metadata)
    }

    async fn client(
        &self,
    ) -> Result<
        openidconnect::Client<
            openidconnect::EmptyAdditionalClaims,
            openidconnect::core::CoreAuthDisplay,
            CoreGenderClaim,
            openidconnect::core::CoreJweContentEncryptionAlgorithm,
            openidconnect::core::CoreJsonWebKey,
            openidconnect::core::CoreAuthPrompt,
            openidconnect::StandardErrorResponse<openidconnect::core::CoreErrorResponseType>,
            openidconnect::core::CoreTokenResponse,
            openidconnect::core::CoreTokenIntrospectionResponse,
            openidconnect::core::CoreRevocableToken,
            openidconnect::core::CoreRevocationErrorResponse,
            openidconnect::EndpointSet,
            openidconnect::EndpointNotSet,
            openidconnect::EndpointNotSet,
            openidconnect::EndpointNotSet,
            openidconnect::EndpointMaybeSet,
            openidconnect::EndpointMaybeSet,
        >,
        OidcError,
    > {
        let metadata = self.metadata().await?;
        let redirect = RedirectUrl::new(self.config.redirect_url.clone())
            .map_err(|e| OidcError::Config(e.to_string()))?;
        Ok(CoreClient::from_provider_metadata(
            metadata,
            ClientId::new(self.config.client_id.clone()),
            Some(ClientSecret::new(self.config.client_secret.clone())),
        )
        .set_redirect_uri(redirect))
    }

    fn remember(&self, state: String, pending: Pending) {
        if let Ok(mut map) = self.pending.lock() {
            map.put(state, pending);
        }
    }

    fn take(&self, state: &str) -> Option<Pending> {
        let pending = self.pending.lock().ok()?.pop(state)?;
        (pending.since.elapsed() < PENDING_FOR).then_some(pending)
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct StartQuery {
    #[serde(default)]
    back: String,
}

/// Sends the person to the issuer to sign in, with PKCE, a nonce and a state.
pub(crate) async fn start(
    State(state): State<AppState>,
    ui: Ui,
    Query(query): Query<StartQuery>,
) -> Response {
    let Some(oidc) = state.sign_in.oidc.clone() else {
        return message(ui, StatusCode::NOT_FOUND, "signin-not-configured");
    };
    let client = match oidc.client().await {
        Ok(client) => client,
        Err(e) => {
            tracing::error!(error = %e, "OpenID Connect sign-in could not start");
            return message(ui, StatusCode::BAD_GATEWAY, "signin-issuer-unreachable");
        }
    };
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let mut request = client.authorize_url(
        AuthenticationFlow::<CoreResponseType>::AuthorizationCode,
        CsrfToken::new_random,
        Nonce::new_random,
    );
    for scope in &oidc.config.scopes {
        request = request.add_scope(Scope::new(scope.clone()));
    }
    let (url, csrf, nonce) = request.set_pkce_challenge(challenge).url();
    oidc.remember(
        csrf.secret().clone(),
        Pending {
            verifier: verifier.secret().clone(),
            nonce: nonce.secret().clone(),
            back: local_path(&query.back).to_owned(),
            since: Instant::now(),
        },
    );
    Redirect::to(url.as_str()).into_response()
}

#[derive(Debug, Deserialize)]
pub(crate) struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

/// The issuer sends the person back: the code is exchanged (with the PKCE verifier),
/// the ID token verified (signature, audience, nonce), the claims read and checked,
/// and a session made.
pub(crate) async fn callback(
    State(state): State<AppState>,
    ui: Ui,
    Query(query): Query<CallbackQuery>,
) -> Response {
    let Some(oidc) = state.sign_in.oidc.clone() else {
        return message(ui, StatusCode::NOT_FOUND, "signin-not-configured");
    };
    if query.error.is_some() {
        return message(ui, StatusCode::UNAUTHORIZED, "signin-refused");
    }
    let (Some(code), Some(key)) = (query.code, query.state) else {
        return message(ui, StatusCode::BAD_REQUEST, "signin-expired");
    };
    let Some(pending) = oidc.take(&key) else {
        return message(ui, StatusCode::BAD_REQUEST, "signin-expired");
    };
    let session = match signed_in_party(&oidc, code, &pending, state.engine.today()).await {
        Ok(session) => session,
        Err(OidcError::NoIdentity) => {
            return message(ui, StatusCode::FORBIDDEN, "signin-no-identity");
        }
        Err(e) => {
            tracing::warn!(error = %e, "OpenID Connect sign-in failed");
            return message(ui, StatusCode::UNAUTHORIZED, "signin-refused");
        }
    };
    super::citizen::start_session(&state, ui, &session, &pending.back).await
}

async fn signed_in_party(
    oidc: &Oidc,
    code: String,
    pending: &Pending,
    today: jiff::civil::Date,
) -> Result<CitizenSession, OidcError> {
    let client = oidc.client().await?;
    let tokens = client
        .exchange_code(AuthorizationCode::new(code))
        .map_err(|e| OidcError::Config(e.to_string()))?
        .set_pkce_verifier(PkceCodeVerifier::new(pending.verifier.clone()))
        .request_async(&oidc.http)
        .await
        .map_err(|e| OidcError::Exchange(e.to_string()))?;
    let id_token = tokens
        .id_token()
        .ok_or_else(|| OidcError::Token("no ID token".to_owned()))?;
    let claims = id_token
        .claims(
            &client.id_token_verifier(),
            &Nonce::new(pending.nonce.clone()),
        )
        .map_err(|e| OidcError::Token(e.to_string()))?;
    let subject = claims.subject().clone();
    // The identity claims come from the user-info endpoint, checked to be the same
    // subject as the verified ID token.
    let info: UserInfoClaims<OtherClaims, CoreGenderClaim> = client
        .user_info(tokens.access_token().clone(), Some(subject))
        .map_err(|e| OidcError::Config(e.to_string()))?
        .request_async(&oidc.http)
        .await
        .map_err(|e| OidcError::Token(e.to_string()))?;
    let claim = |name: &str| {
        info.additional_claims()
            .0
            .get(name)
            .and_then(|v| v.as_str())
            .map(str::to_owned)
    };
    let person = claim(&oidc.config.id_claim)
        .and_then(|id| ResidentId::parse(&id, today).ok())
        .map(|parsed| parsed.value.as_str().to_owned())
        .ok_or(OidcError::NoIdentity)?;
    let employer = claim(&oidc.config.uscc_claim)
        .and_then(|code| Uscc::parse(&code).ok().map(|u| u.value.as_str().to_owned()));
    let name = info
        .name()
        .and_then(|n| n.get(None))
        .map_or_else(String::new, |n| n.as_str().to_owned());
    Ok(match employer {
        Some(code) => CitizenSession {
            party_kind: "employer".to_owned(),
            party: code,
            agent: Some(person),
            name,
            method: "oidc".to_owned(),
            csrf: new_secret(),
        },
        None => CitizenSession {
            party_kind: "person".to_owned(),
            party: person,
            agent: None,
            name,
            method: "oidc".to_owned(),
            csrf: new_secret(),
        },
    })
}
