//! The real server on port 0 against a fresh database, and helpers to drive it.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use yichuang_domain::Calendar;
use yichuang_domain::case::Staff;
use yichuang_domain::catalog::Role;
use yichuang_engine::{Engine, EngineConfig};
use yichuang_server::{AppState, ListenOptions, ProtectionConfig, hash_password, hash_token};
use yichuang_store::Store;

use crate::contract::Contract;

pub mod gateway;
pub mod pages;

pub struct App {
    pub base: String,
    pub client: Client,
    pub contract: Contract,
    /// The server's database, for setting up what no route can (expired tokens).
    pub store: Store,
    /// The server's engine, for what only the command line does (publishing a list).
    pub engine: Engine,
    _dir: tempfile::TempDir,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Drop for App {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// Staff of the test world: (id, role, jurisdiction) with token = "token-" + id.
pub const STAFF: &[(&str, Role, &str)] = &[
    ("clerk-zh", Role::Clerk, "330211"),
    ("reviewer-zh", Role::Reviewer, "330211"),
    ("supervisor-zj", Role::Supervisor, "330000"),
    ("standards-zj", Role::StandardsOfficer, "330000"),
    ("clerk-wh", Role::Clerk, "510107"),
    ("reviewer-wh", Role::Reviewer, "510107"),
    ("clerk-gd", Role::Clerk, "440000"),
    // The ministry's supervisor: the whole country.
    ("supervisor-cn", Role::Supervisor, "000000"),
    // Every role inside (镇海 / 浙江) and outside (广东), for the role × action table.
    ("in-clerk", Role::Clerk, "330211"),
    ("in-reviewer", Role::Reviewer, "330211"),
    ("in-supervisor", Role::Supervisor, "330000"),
    ("in-standards_officer", Role::StandardsOfficer, "330000"),
    ("in-administrator", Role::Administrator, "330000"),
    ("out-clerk", Role::Clerk, "440000"),
    ("out-reviewer", Role::Reviewer, "440000"),
    ("out-supervisor", Role::Supervisor, "440000"),
    ("out-standards_officer", Role::StandardsOfficer, "440000"),
    ("out-administrator", Role::Administrator, "440000"),
];

pub async fn spawn_app() -> App {
    spawn_app_on(None).await
}

/// The server on SQLite, or on the PostgreSQL URL given (use a fresh schema).
pub async fn spawn_app_on(url: Option<String>) -> App {
    spawn_app_with(url, test_protection(), ListenOptions::default()).await
}

pub const METRICS_TOKEN: &str = "metrics-secret";

/// Tests share one loopback address: the public budget is set out of reach unless a
/// test is about the limits.
pub fn test_protection() -> ProtectionConfig {
    ProtectionConfig {
        public_per_minute: 1_000_000,
        metrics_token: Some(METRICS_TOKEN.to_owned()),
        ..ProtectionConfig::default()
    }
}

/// The built-in catalog and an engine on `store` whose clock stands at 2026-03-02 10:00.
pub fn engine_on(store: Store) -> (Arc<yichuang_catalog::LoadedCatalog>, Engine) {
    let loaded = Arc::new(yichuang_catalog::builtin().unwrap());
    let at = jiff::civil::date(2026, 3, 2)
        .at(10, 0, 0, 0)
        .to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::offset(8)))
        .unwrap()
        .timestamp();
    let config = EngineConfig {
        clock: Arc::new(move || at),
        ..EngineConfig::default()
    };
    let engine = Engine::start(
        store,
        Arc::new(loaded.catalog.clone()),
        Arc::new(Calendar::builtin()),
        config,
    );
    (loaded, engine)
}

/// The server with the protection given.
pub async fn spawn_app_with(
    url: Option<String>,
    protection: ProtectionConfig,
    options: ListenOptions,
) -> App {
    spawn_app_configured(url, protection, options, |state| state).await
}

/// The server as `serve --demo` runs it: the demo sign-in for the public pages.
pub async fn spawn_demo_app() -> App {
    spawn_app_shaped(AppState::with_demo_sign_in).await
}

/// The server with its state shaped by `shape` (sign-in options, for example).
pub async fn spawn_app_shaped(shape: impl FnOnce(AppState) -> AppState) -> App {
    spawn_app_configured(None, test_protection(), ListenOptions::default(), shape).await
}

async fn spawn_app_configured(
    url: Option<String>,
    protection: ProtectionConfig,
    options: ListenOptions,
    shape: impl FnOnce(AppState) -> AppState,
) -> App {
    let dir = tempfile::tempdir().unwrap();
    let url = url.unwrap_or_else(|| Store::sqlite_url(&dir.path().join("api.db")));
    let store = Store::open(&url).await.unwrap();
    for (id, role, region) in STAFF {
        let staff = Staff {
            id: (*id).to_owned(),
            name: (*id).to_owned(),
            role: *role,
            jurisdiction: yichuang_domain::Jurisdiction::parse(region).unwrap(),
        };
        store
            .create_staff(&staff, &hash_password(&format!("pw-{id}")).unwrap())
            .await
            .unwrap();
        store
            .add_token(
                &hash_token(&format!("token-{id}")),
                id,
                jiff::Timestamp::MAX,
            )
            .await
            .unwrap();
    }
    let (loaded, engine) = engine_on(store.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let options_tls = options.tls.is_some();
    let state = AppState::with_protection(engine.clone(), loaded, protection);
    let state = shape(state);
    tokio::spawn(yichuang_server::serve(listener, state, options, async {
        let _ = rx.await;
    }));
    let client = Client::new();
    // Over TLS the plain client cannot fetch the spec; such tests read raw answers.
    let tls = options_tls;
    let document: Value = if tls {
        Value::Null
    } else {
        client
            .get(format!("{base}/api/openapi.json"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    };
    App {
        base,
        client,
        contract: Contract::new(document),
        store,
        engine,
        _dir: dir,
        shutdown: Some(tx),
    }
}

impl App {
    pub async fn get(&self, path: &str, staff: Option<&str>) -> (StatusCode, Value) {
        let mut request = self.client.get(format!("{}{path}", self.base));
        if let Some(id) = staff {
            request = request.bearer_auth(format!("token-{id}"));
        }
        self.answer("GET", path, request).await
    }

    /// Sends the request and holds the answer to the served OpenAPI document.
    pub async fn answer(
        &self,
        method: &str,
        path: &str,
        request: reqwest::RequestBuilder,
    ) -> (StatusCode, Value) {
        let response = request.send().await.unwrap();
        let status = response.status();
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        let body = response.json().await.unwrap_or(Value::Null);
        self.contract
            .check(method, path, status.as_u16(), &content_type, &body);
        (status, body)
    }

    pub async fn post(&self, path: &str, staff: &str, body: Value) -> (StatusCode, Value) {
        let request = self
            .client
            .post(format!("{}{path}", self.base))
            .bearer_auth(format!("token-{staff}"))
            .json(&body);
        self.answer("POST", path, request).await
    }

    pub async fn submit(
        &self,
        staff: &str,
        item: &str,
        accepting: &str,
        handling: &str,
        materials: &[&str],
    ) -> (StatusCode, Value) {
        let body = json!({
            "request_id": uuid::Uuid::new_v4().to_string(),
            "item": item,
            "applicant": { "kind": "person", "id": "11010519491231002X" },
            "channel": "window",
            "accepting_region": accepting,
            "handling_region": handling,
            "materials": materials,
        });
        self.post("/api/v1/cases", staff, body).await
    }

    pub async fn command(
        &self,
        staff: &str,
        case: &str,
        version: u64,
        command: Value,
    ) -> (StatusCode, Value) {
        let body = json!({ "request_id": uuid::Uuid::new_v4().to_string(), "expected_version": version, "command": command });
        self.post(&format!("/api/v1/cases/{case}/commands"), staff, body)
            .await
    }
}
