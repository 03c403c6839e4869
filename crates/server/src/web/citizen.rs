//! Citizens and employers signing in on the public pages. `serve --demo` offers a
//! clearly labelled demo sign-in that picks one of the demo's people or employers;
//! sessions are stored by the hash of their cookie and expire after 8 hours.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use jiff::{Timestamp, ToSpan};
use serde::Deserialize;
use yichuang_store::CitizenSession;

use super::ui::local_path;
use super::{Ui, message, render};
use crate::auth::{hash_token, new_secret};
use crate::cookies;
use crate::state::AppState;

pub(crate) const SESSION_COOKIE: &str = "yc_citizen";
const SIGN_IN_CSRF: &str = "yc_signin_csrf";
const SESSION_HOURS: i64 = 8;
/// How many demo people and employers the sign-in page offers.
const DEMO_SHOWN: usize = 6;

/// A signed-in person or employer, and their session's cookie hash.
#[derive(Debug, Clone)]
pub(crate) struct Citizen {
    pub session: CitizenSession,
    pub hash: String,
}

impl Citizen {
    /// The identity number or credit code cases are filed under.
    pub fn party(&self) -> &str {
        &self.session.party
    }
}

/// The signed-in citizen of this request, if any.
pub(crate) async fn current(state: &AppState, headers: &HeaderMap) -> Option<Citizen> {
    let token = cookies::read(headers, SESSION_COOKIE, state.protection.config.https)?;
    let hash = hash_token(&token);
    let session = state
        .store
        .citizen_session(&hash, Timestamp::now())
        .await
        .ok()??;
    Some(Citizen { session, hash })
}

/// Where to send someone who must sign in first, coming back to `here` after.
pub(crate) fn to_sign_in(here: &str) -> Response {
    let query = serde_urlencoded::to_string([("back", here)]).unwrap_or_default();
    Redirect::to(&format!("/signin?{query}")).into_response()
}

pub(crate) struct DemoChoice {
    pub value: String,
    pub label: String,
}

#[derive(Template)]
#[template(path = "public/signin.html")]
struct SignInPage {
    ui: Ui,
    /// Where the identity platform's sign-in starts, when one is configured.
    oidc_href: Option<String>,
    back: String,
    csrf: String,
    demo_people: Vec<DemoChoice>,
    demo_employers: Vec<DemoChoice>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct BackQuery {
    #[serde(default)]
    back: String,
}

pub(crate) async fn sign_in_page(
    State(state): State<AppState>,
    ui: Ui,
    Query(query): Query<BackQuery>,
) -> Response {
    let oidc = state.sign_in.oidc.is_some();
    let demo = state.sign_in.demo.clone();
    if !oidc && demo.is_none() {
        return message(ui, StatusCode::SERVICE_UNAVAILABLE, "signin-not-configured");
    }
    let demo = demo.unwrap_or_else(|| {
        std::sync::Arc::new(crate::demo::DemoParties {
            people: Vec::new(),
            employers: Vec::new(),
        })
    });
    let csrf = new_secret();
    let demo_people = demo
        .people
        .iter()
        .take(DEMO_SHOWN)
        .enumerate()
        .map(|(i, id)| DemoChoice {
            value: format!("person:{i}"),
            label: ui.t1(
                "signin-demo-person",
                "id",
                yichuang_domain::resident_id::mask(id),
            ),
        })
        .collect();
    let demo_employers = demo
        .employers
        .iter()
        .take(DEMO_SHOWN / 2)
        .enumerate()
        .map(|(i, code)| DemoChoice {
            value: format!("employer:{i}"),
            label: ui.t1("signin-demo-employer", "code", code),
        })
        .collect();
    let back = local_path(&query.back).to_owned();
    let page = SignInPage {
        oidc_href: oidc.then(|| {
            format!(
                "/signin/oidc?{}",
                serde_urlencoded::to_string([("back", back.as_str())]).unwrap_or_default()
            )
        }),
        back,
        csrf: csrf.clone(),
        demo_people,
        demo_employers,
        ui,
    };
    let mut response = render(StatusCode::OK, &page);
    cookies::set(
        &mut response,
        SIGN_IN_CSRF,
        &csrf,
        600,
        state.protection.config.https,
    );
    response
}

#[derive(Debug, Deserialize)]
pub(crate) struct DemoForm {
    #[serde(default)]
    party: String,
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    back: String,
}

/// Signs in as the demo person or employer picked. Refused unless the server runs
/// with `--demo`, the form came from our page, and the choice is one it offered.
pub(crate) async fn demo_sign_in(
    State(state): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
    Form(form): Form<DemoForm>,
) -> Response {
    let https = state.protection.config.https;
    let Some(demo) = state.sign_in.demo.clone() else {
        return message(ui, StatusCode::NOT_FOUND, "error-not-found");
    };
    if form.csrf.is_empty()
        || cookies::read(&headers, SIGN_IN_CSRF, https).as_deref() != Some(form.csrf.as_str())
    {
        return message(ui, StatusCode::FORBIDDEN, "error-form-expired");
    }
    let chosen = form.party.split_once(':').and_then(|(kind, index)| {
        let index: usize = index.parse().ok()?;
        let list = match kind {
            "person" => &demo.people,
            "employer" => &demo.employers,
            _ => return None,
        };
        (index < DEMO_SHOWN)
            .then(|| list.get(index))
            .flatten()
            .map(|id| (kind, id.clone(), index))
    });
    let Some((kind, party, index)) = chosen else {
        return message(ui, StatusCode::UNPROCESSABLE_ENTITY, "signin-bad-choice");
    };
    let name = match kind {
        "person" => ui.t1("signin-demo-person-name", "n", index + 1),
        _ => ui.t1("signin-demo-employer-name", "n", index + 1),
    };
    let session = CitizenSession {
        party_kind: kind.to_owned(),
        party,
        // A demo employer acts through the first demo person.
        agent: (kind == "employer")
            .then(|| demo.people.first().cloned())
            .flatten(),
        name,
        method: "demo".to_owned(),
        csrf: new_secret(),
    };
    let mut response = start_session(&state, ui, &session, &form.back).await;
    cookies::set(&mut response, SIGN_IN_CSRF, "", 0, https);
    response
}

/// Stores a new session for `session`'s party and sends them on to `back` (or to
/// their cases), signed in.
pub(crate) async fn start_session(
    state: &AppState,
    ui: Ui,
    session: &CitizenSession,
    back: &str,
) -> Response {
    let token = new_secret();
    let expires = Timestamp::now()
        .checked_add(SESSION_HOURS.hours())
        .unwrap_or(Timestamp::MAX);
    if let Err(e) = state
        .store
        .create_citizen_session(&hash_token(&token), session, expires)
        .await
    {
        tracing::error!(error = %e, "a public session could not be stored");
        return message(ui, StatusCode::INTERNAL_SERVER_ERROR, "error-internal");
    }
    let back = match local_path(back) {
        "/" => "/my",
        other => other,
    };
    let mut response = Redirect::to(back).into_response();
    cookies::set_lax(
        &mut response,
        SESSION_COOKIE,
        &token,
        SESSION_HOURS * 3600,
        state.protection.config.https,
    );
    response
}

#[derive(Debug, Deserialize)]
pub(crate) struct SignOutForm {
    #[serde(default)]
    csrf: String,
}

pub(crate) async fn sign_out(
    State(state): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
    Form(form): Form<SignOutForm>,
) -> Response {
    let Some(citizen) = current(&state, &headers).await else {
        return Redirect::to("/").into_response();
    };
    if form.csrf != citizen.session.csrf {
        return message(ui, StatusCode::FORBIDDEN, "error-form-expired");
    }
    let _ = state.store.end_citizen_session(&citizen.hash).await;
    let mut response = Redirect::to("/").into_response();
    cookies::set_lax(
        &mut response,
        SESSION_COOKIE,
        "",
        0,
        state.protection.config.https,
    );
    response
}
