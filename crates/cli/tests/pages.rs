//! The public pages in real Chromium, against `yichuang serve --demo` as the README
//! starts it: `scripts/browser/check-pages.mjs` (playwright-core and axe-core from
//! npm) searches in everyday words with the keyboard alone, opens a guide, chooses a
//! region, looks up a real case's progress, and repeats the pages at 360 px, in senior
//! mode and in English, running axe-core (WCAG 2.1 A/AA, 2.2 AA) on every page.
//!
//! Needs Node.js, Chromium and `npm ci --prefix scripts/browser` (`.ci/run` does it).
//! Without them the test says so and passes, unless `YICHUANG_BROWSER_TESTS=required`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};

mod common;
use common::{Killed, find_program, free_port, serve_demo_with};

fn scripts() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/browser")
}

/// A demo case and the last four characters of its applicant's identity number, read
/// through the staff API the way a clerk would give them to the applicant.
struct DemoCase {
    id: String,
    last4: String,
    token: String,
    /// The sequence number of an event that issued a document, if any.
    document_seq: Option<u64>,
}

/// An API token for a demo staff account.
async fn token(base: &str, id: &str, password: &str) -> String {
    let session: Value = reqwest::Client::new()
        .post(format!("{base}/api/v1/sessions"))
        .json(&json!({ "staff_id": id, "password": password }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    session["token"].as_str().unwrap().to_owned()
}

/// A staff API answer as JSON.
async fn get_json(base: &str, token: &str, path: &str) -> Value {
    reqwest::Client::new()
        .get(format!("{base}{path}"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

async fn a_demo_case(base: &str, id: &str, password: &str) -> DemoCase {
    let token = token(base, id, password).await;
    let get = |path: String| {
        let (base, token) = (base.to_owned(), token.clone());
        async move { get_json(&base, &token, &path).await }
    };
    let list = get("/api/v1/cases?limit=1".to_owned()).await;
    let case_id = list["cases"][0]["case"]["id"].as_str().unwrap().to_owned();
    let case = get(format!("/api/v1/cases/{case_id}")).await;
    let masked = case["case"]["applicant"]["id"].as_str().unwrap();
    let last4: String = masked.chars().skip(masked.chars().count() - 4).collect();
    let document_seq = case["events"].as_array().and_then(|events| {
        events
            .iter()
            .find(|e| {
                e["event"]["documents"]
                    .as_array()
                    .is_some_and(|d| !d.is_empty())
            })
            .and_then(|e| e["event"]["seq"].as_u64())
    });
    DemoCase {
        id: case_id,
        last4,
        token,
        document_seq,
    }
}

fn wait_for_port(port: u16) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            std::time::Instant::now() < deadline,
            "nothing listens on {port}"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_finds_a_guide_and_a_case_on_every_device_and_in_senior_mode() {
    let required = std::env::var("YICHUANG_BROWSER_TESTS").is_ok_and(|v| v == "required");
    let ready = find_program(&["node"]).is_some()
        && find_program(&["chromium", "chromium-browser"]).is_some()
        && scripts().join("node_modules/playwright-core").is_dir()
        && scripts().join("node_modules/axe-core").is_dir();
    if !ready {
        assert!(
            !required,
            "YICHUANG_BROWSER_TESTS=required but Node.js, Chromium or scripts/browser/node_modules is missing (npm ci --prefix scripts/browser)"
        );
        eprintln!("Node.js, Chromium or the npm packages are missing: page checks skipped");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    // A real OpenID provider (npm oidc-provider) for the citizens' sign-in; the
    // server's port is chosen first so the provider knows where to send people back.
    let port = free_port();
    let provider_port = free_port();
    let callback = format!("http://127.0.0.1:{port}/signin/callback");
    let _provider = Killed(
        Command::new("node")
            .current_dir(scripts())
            .arg("oidc-provider.mjs")
            .arg(provider_port.to_string())
            .arg(&callback)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap(),
    );
    wait_for_port(provider_port);
    let oidc = [
        "--oidc-issuer".to_owned(),
        format!("http://127.0.0.1:{provider_port}"),
        "--oidc-client-id".to_owned(),
        "yichuang".to_owned(),
        "--oidc-client-secret".to_owned(),
        "yichuang-test-secret".to_owned(),
        "--oidc-redirect-url".to_owned(),
        callback,
        "--oidc-scopes".to_owned(),
        "profile,identity".to_owned(),
    ];
    let (_server, base, accounts) =
        serve_demo_with(dir.path(), &format!("127.0.0.1:{port}"), &oidc);
    let account = |role: &str| accounts.iter().find(|a| a.role == role).cloned().unwrap();
    let (clerk, reviewer) = (account("clerk"), account("reviewer"));
    let (id, password) = (clerk.id.clone(), clerk.password.clone());
    let case = a_demo_case(&base, &id, &password).await;
    let reviewer_token = token(&base, &reviewer.id, &reviewer.password).await;
    // A card activation the demo's rule decided, for the reviewer's view of it.
    let decided = get_json(
        &base,
        &reviewer_token,
        "/api/v1/cases?item=social-security-card-activation&state=decided&limit=1",
    )
    .await;
    let rule_case = decided["cases"][0]["case"]["id"]
        .as_str()
        .expect("the demo has a rule-decided case")
        .to_owned();
    assert!(
        case.document_seq.is_some(),
        "the demo case issued a document"
    );
    let shots = std::env::var("YICHUANG_SCREENSHOTS").ok();
    let mut command = Command::new("node");
    command
        .current_dir(scripts())
        .arg("check-pages.mjs")
        .arg(&base)
        .env("CASE_ID", &case.id)
        .env("CASE_LAST4", &case.last4)
        .env("STAFF_ID", &id)
        .env("STAFF_PASSWORD", &password)
        .env("STAFF_TOKEN", &case.token)
        .env("REVIEWER_TOKEN", &reviewer_token)
        .env("RULE_CASE_ID", &rule_case)
        .env("ADMIN_PASSWORD", &account("administrator").password)
        .env("SUPERVISOR_PASSWORD", &account("supervisor").password)
        .env(
            "NATIONAL_PASSWORD",
            &accounts
                .iter()
                .find(|a| a.id == "supervisor-cn")
                .expect("the demo's national supervisor")
                .password,
        )
        .env("OIDC", "1")
        .env(
            "DOCUMENT_SEQ",
            case.document_seq.map(|s| s.to_string()).unwrap_or_default(),
        );
    if let Some(shots) = &shots {
        command.arg(shots);
    }
    let output = command.output().unwrap();
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.status.success(), "the page checks failed:\n{said}");
    assert!(said.contains("all page checks passed"), "{said}");
}
