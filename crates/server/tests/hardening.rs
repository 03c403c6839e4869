//! The server facing the public: limits, timeouts, headers and token lifetimes, each
//! tried the way an attacker or a careless client would.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod app;
mod contract;

use std::time::Duration;

use app::{spawn_app_with, test_protection};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use yichuang_server::{ListenOptions, ProtectionConfig};

const GUIDE: &str = "/api/v1/regions/330211/guides/unemployment-benefit-claim";

fn retry_after(response: &reqwest::Response) -> u64 {
    response
        .headers()
        .get("retry-after")
        .expect("a Retry-After header")
        .to_str()
        .unwrap()
        .parse()
        .expect("whole seconds")
}

/// A guide lookup, as forwarded for `client` when given.
async fn guide_status(app: &app::App, client: Option<&str>) -> StatusCode {
    let mut request = app.client.get(format!("{}{GUIDE}", app.base));
    if let Some(client) = client {
        request = request.header("x-forwarded-for", client);
    }
    request.send().await.unwrap().status()
}

async fn login(app: &app::App, staff: &str, password: &str) -> reqwest::Response {
    app.client
        .post(format!("{}/api/v1/sessions", app.base))
        .json(&json!({ "staff_id": staff, "password": password }))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn public_routes_have_a_budget_per_client_with_retry_after() {
    let protection = ProtectionConfig {
        public_per_minute: 8,
        ..test_protection()
    };
    let app = spawn_app_with(None, protection, ListenOptions::default()).await;
    let mut refused = None;
    for _ in 0..4 {
        let response = app
            .client
            .get(format!("{}{GUIDE}", app.base))
            .send()
            .await
            .unwrap();
        if response.status() == StatusCode::TOO_MANY_REQUESTS {
            refused = Some(response);
            break;
        }
        assert_eq!(response.status(), StatusCode::OK);
    }
    let refused = refused.expect("the burst of 2 is spent within 4 requests");
    assert!(retry_after(&refused) >= 1);
    let body: Value = refused.json().await.unwrap();
    assert_eq!(
        body["type"],
        "https://yichuang.invalid/problems/rate-limited"
    );
    // Staff routes are not the public budget: a signed-in list still answers.
    let (status, _) = app.get("/api/v1/cases", Some("clerk-zh")).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn forwarded_addresses_count_only_behind_a_trusted_proxy() {
    let untrusted = ProtectionConfig {
        public_per_minute: 4,
        ..test_protection()
    };
    let app = spawn_app_with(None, untrusted, ListenOptions::default()).await;
    let mut statuses = Vec::new();
    for n in 0..4 {
        statuses.push(guide_status(&app, Some(&format!("198.51.100.{n}"))).await);
    }
    assert!(
        statuses.contains(&StatusCode::TOO_MANY_REQUESTS),
        "a forged header must not buy a new budget: {statuses:?}"
    );

    let trusted = ProtectionConfig {
        public_per_minute: 4,
        trusted_proxies: vec!["127.0.0.1/32".parse().unwrap()],
        ..test_protection()
    };
    let app = spawn_app_with(None, trusted, ListenOptions::default()).await;
    for n in 0..6 {
        let response = app
            .client
            .get(format!("{}{GUIDE}", app.base))
            .header("x-forwarded-for", format!("198.51.100.{n}"))
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            StatusCode::OK,
            "client {n} has its own budget"
        );
    }
    // IPv6 clients of one /64 share a budget.
    let mut statuses = Vec::new();
    for n in 0..4 {
        let response = app
            .client
            .get(format!("{}{GUIDE}", app.base))
            .header("x-forwarded-for", format!("2001:db8:5:6::{n:x}"))
            .send()
            .await
            .unwrap();
        statuses.push(response.status());
    }
    assert!(
        statuses.contains(&StatusCode::TOO_MANY_REQUESTS),
        "{statuses:?}"
    );
}

#[tokio::test]
async fn sign_in_is_throttled_per_account_and_unknown_ids_answer_alike() {
    let protection = ProtectionConfig {
        logins_per_account_hour: 3,
        ..test_protection()
    };
    let app = spawn_app_with(None, protection, ListenOptions::default()).await;
    for _ in 0..3 {
        assert_eq!(
            login(&app, "clerk-zh", "wrong").await.status(),
            StatusCode::UNAUTHORIZED
        );
    }
    // The budget is spent: even the right password waits.
    let refused = login(&app, "clerk-zh", "pw-clerk-zh").await;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(retry_after(&refused) >= 60);
    // Another account is not affected, and an unknown id answers as a wrong password.
    assert_eq!(
        login(&app, "reviewer-zh", "pw-reviewer-zh").await.status(),
        StatusCode::CREATED
    );
    let unknown = login(&app, "nobody", "pw").await;
    assert_eq!(unknown.status(), StatusCode::UNAUTHORIZED);
    let body: Value = unknown.json().await.unwrap();
    assert_eq!(
        body["type"],
        "https://yichuang.invalid/problems/bad-credentials"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_of_wrong_sign_ins_is_bounded_and_every_refusal_says_when_to_return() {
    let protection = ProtectionConfig {
        password_checks: 1,
        // A short wait, so that the test does not hang on how fast this machine hashes.
        password_wait: Duration::from_millis(20),
        logins_per_client_hour: 10_000,
        logins_per_account_hour: 10_000,
        ..test_protection()
    };
    let app = spawn_app_with(None, protection, ListenOptions::default()).await;
    let attempts: Vec<_> = (0..160)
        .map(|n| {
            let client = app.client.clone();
            let url = format!("{}/api/v1/sessions", app.base);
            tokio::spawn(async move {
                client
                    .post(url)
                    .json(&json!({ "staff_id": format!("guess-{n}"), "password": "x" }))
                    .send()
                    .await
                    .unwrap()
            })
        })
        .collect();
    let mut busy = 0;
    for attempt in attempts {
        let response = attempt.await.unwrap();
        match response.status() {
            StatusCode::UNAUTHORIZED => {}
            StatusCode::SERVICE_UNAVAILABLE => {
                busy += 1;
                assert!(retry_after(&response) >= 1);
            }
            other => panic!("unexpected {other}"),
        }
    }
    // One check at a time, each several milliseconds, and a wait of 20 ms at most:
    // 160 at once cannot all be served.
    assert!(busy > 0, "the bound on password checks never refused");
    let (status, _) = app.get(GUIDE, None).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn slow_headers_are_dropped_and_connections_are_capped() {
    let options = ListenOptions {
        header_timeout: Duration::from_secs(1),
        max_connections: 3,
        ..ListenOptions::default()
    };
    let app = spawn_app_with(None, test_protection(), options).await;
    let addr = app.base.trim_start_matches("http://").to_owned();
    // Half a request, then silence: the server closes the connection.
    let mut slow = tokio::net::TcpStream::connect(&addr).await.unwrap();
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let mut buf = [0u8; 256];
    let closed = tokio::time::timeout(Duration::from_secs(5), slow.read(&mut buf)).await;
    assert!(
        matches!(closed, Ok(Ok(_)) | Ok(Err(_))),
        "the half-sent request was still open after 5 s"
    );
    drop(slow);
    // Three idle connections fill the server; a fourth is closed at once.
    let mut idle = Vec::new();
    for _ in 0..3 {
        idle.push(tokio::net::TcpStream::connect(&addr).await.unwrap());
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    let mut extra = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let _ = extra
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await;
    let read = tokio::time::timeout(Duration::from_secs(2), extra.read(&mut buf))
        .await
        .expect("the refused connection is closed, not left hanging");
    assert!(matches!(read, Ok(0) | Err(_)), "no answer past the cap");
    // When the idle ones go, the server answers again.
    drop(idle);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let (status, _) = app.get(GUIDE, None).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn lookups_by_date_stay_within_a_year_of_today() {
    let app = spawn_app_with(None, test_protection(), ListenOptions::default()).await;
    for path in [
        "/api/v1/regions/330211/search?q=%E5%A4%B1%E4%B8%9A&date=2031-01-01",
        "/api/v1/regions/330211/guides/unemployment-benefit-claim?date=1990-01-01",
        "/api/v1/items?date=2099-12-31",
    ] {
        let (status, body) = app.get(path, None).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{path}: {body}");
        assert_eq!(body["errors"][0]["field"], "date", "{body}");
    }
    let (status, _) = app
        .get(
            "/api/v1/regions/330211/search?q=%E5%A4%B1%E4%B8%9A&date=2026-06-01",
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn a_cases_progress_lookup_locks_after_a_few_wrong_answers() {
    let app = spawn_app_with(None, test_protection(), ListenOptions::default()).await;
    let (status, body) = app
        .submit(
            "clerk-zh",
            "unemployment-benefit-claim",
            "330211",
            "330211",
            &["id-card", "termination-proof"],
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let case = body["case_id"].as_str().unwrap().to_owned();
    let path = |last4: &str| format!("/api/v1/progress/{case}?last4={last4}");
    let (status, _) = app.get(&path("002X"), None).await;
    assert_eq!(status, StatusCode::OK);
    // Guesses from ever new addresses would each get a fresh client budget: the case
    // itself keeps count.
    let mut statuses = Vec::new();
    for guess in 0..7 {
        statuses.push(app.get(&path(&format!("{guess:04}")), None).await.0);
    }
    assert_eq!(statuses[..5], [StatusCode::NOT_FOUND; 5]);
    assert_eq!(statuses[6], StatusCode::TOO_MANY_REQUESTS);
    let locked = app
        .client
        .get(format!("{}{}", app.base, path("002X")))
        .send()
        .await
        .unwrap();
    assert_eq!(
        locked.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "even the right answer waits"
    );
    assert!(retry_after(&locked) > 60);
}

#[tokio::test]
async fn every_answer_carries_the_security_headers_and_personal_ones_are_not_stored() {
    let app = spawn_app_with(None, test_protection(), ListenOptions::default()).await;
    for path in ["/staff/login", "/api/v1/cases", GUIDE, "/no/such/route"] {
        let response = app
            .client
            .get(format!("{}{path}", app.base))
            .bearer_auth("token-clerk-zh")
            .send()
            .await
            .unwrap();
        let headers = response.headers();
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        let csp = headers["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert_eq!(headers["referrer-policy"], "no-referrer", "{path}");
        let cache = headers["cache-control"].to_str().unwrap();
        if path == GUIDE {
            assert!(cache.starts_with("public"), "{path}: {cache}");
        } else {
            assert_eq!(cache, "no-store", "{path}");
        }
    }
}

#[tokio::test]
async fn tokens_expire_end_on_logout_and_die_with_a_disabled_account() {
    let app = spawn_app_with(None, test_protection(), ListenOptions::default()).await;
    let past = jiff::Timestamp::now() - jiff::SignedDuration::from_hours(1);
    app.store
        .add_token(&yichuang_server::hash_token("stale"), "clerk-zh", past)
        .await
        .unwrap();
    let stale = app
        .client
        .get(format!("{}/api/v1/cases", app.base))
        .bearer_auth("stale")
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status(), StatusCode::UNAUTHORIZED);

    let signed_in = login(&app, "reviewer-zh", "pw-reviewer-zh").await;
    assert_eq!(signed_in.status(), StatusCode::CREATED);
    let token = signed_in.json::<Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let list = |token: String| {
        let request = app
            .client
            .get(format!("{}/api/v1/cases", app.base))
            .bearer_auth(token);
        async move { request.send().await.unwrap().status() }
    };
    assert_eq!(list(token.clone()).await, StatusCode::OK);
    let out = app
        .client
        .delete(format!("{}/api/v1/sessions", app.base))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
    assert_eq!(list(token).await, StatusCode::UNAUTHORIZED);

    assert!(
        app.store
            .set_staff_disabled("clerk-zh", true)
            .await
            .unwrap()
    );
    assert_eq!(
        list("token-clerk-zh".to_owned()).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        login(&app, "clerk-zh", "pw-clerk-zh").await.status(),
        StatusCode::UNAUTHORIZED
    );
    // Purging removes what can no longer be used.
    assert!(
        app.store
            .purge_expired(jiff::Timestamp::now())
            .await
            .unwrap()
            >= 2
    );
}

#[tokio::test]
async fn metrics_need_the_operators_token_or_their_own_address() {
    let protection = ProtectionConfig {
        metrics_token: None,
        ..test_protection()
    };
    let app = spawn_app_with(None, protection, ListenOptions::default()).await;
    // No token configured: no token opens it on the public listener.
    for token in ["", "metrics-secret", "guess"] {
        let response = app
            .client
            .get(format!("{}/metrics", app.base))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{token:?}");
    }
    // Its own listener serves it to anyone who can reach that address.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (loaded, engine) = app::engine_on(app.store.clone());
    let state = yichuang_server::AppState::new(engine, loaded);
    tokio::spawn(yichuang_server::serve_metrics(
        listener,
        state,
        std::future::pending(),
    ));
    let text = app
        .client
        .get(format!("http://{addr}/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(text.contains("# TYPE yichuang_cases gauge"), "{text}");
}

#[tokio::test]
async fn a_request_id_reused_by_someone_else_is_a_422_naming_the_field() {
    let app = spawn_app_with(None, test_protection(), ListenOptions::default()).await;
    let body = |region: &str| {
        json!({
            "request_id": "shared-id-1",
            "item": "social-security-card-issue",
            "applicant": { "kind": "person", "id": "11010519491231002X" },
            "channel": "window",
            "accepting_region": region,
            "handling_region": region,
            "materials": ["id-card"],
        })
    };
    let (status, first) = app.post("/api/v1/cases", "clerk-zh", body("330211")).await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    let (status, again) = app.post("/api/v1/cases", "clerk-zh", body("330211")).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(again, first, "an exact retry gets the first answer");
    for (staff, region) in [("clerk-wh", "510107"), ("standards-zj", "330211")] {
        let (status, problem) = app.post("/api/v1/cases", staff, body(region)).await;
        // Before, both were answered 201 with 镇海's case.
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{staff}: {problem}"
        );
        assert_eq!(
            problem["type"],
            "https://yichuang.invalid/problems/request_id_reused"
        );
        assert_eq!(problem["errors"][0]["field"], "request_id");
    }
    let mut long = body("330211");
    long["request_id"] = json!("r".repeat(129));
    let (status, problem) = app.post("/api/v1/cases", "clerk-zh", long).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["field"], "request_id");
}

/// Reads each clerk's own province's full identity number once.
async fn read_full_identity(app: &app::App, clerk: &str, region: &str) -> String {
    let (status, body) = app
        .submit(
            clerk,
            "social-security-card-issue",
            region,
            region,
            &["id-card"],
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let case = body["case_id"].as_str().unwrap().to_owned();
    let (status, _) = app
        .get(
            &format!("/api/v1/cases/{case}?full_identity=true"),
            Some(clerk),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    case
}

#[tokio::test]
async fn the_identity_read_log_is_scoped_filtered_and_paged() {
    let app = spawn_app_with(None, test_protection(), ListenOptions::default()).await;
    let zhejiang = read_full_identity(&app, "clerk-zh", "330211").await;
    let sichuan = read_full_identity(&app, "clerk-wh", "510107").await;
    let second = read_full_identity(&app, "clerk-zh", "330211").await;
    let (status, log) = app
        .get("/api/v1/identity-reads", Some("supervisor-zj"))
        .await;
    assert_eq!(status, StatusCode::OK);
    let cases: Vec<&str> = log["reads"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["case_id"].as_str().unwrap())
        .collect();
    assert_eq!(
        cases,
        [second.as_str(), zhejiang.as_str()],
        "newest first, 浙江 only"
    );
    assert!(!cases.contains(&sichuan.as_str()));
    // Paged: one at a time, following next_before.
    let (_, page) = app
        .get("/api/v1/identity-reads?limit=1", Some("supervisor-zj"))
        .await;
    assert_eq!(page["reads"][0]["case_id"], second.as_str());
    let before = page["next_before"].as_str().unwrap().to_owned();
    let (_, page) = app
        .get(
            &format!(
                "/api/v1/identity-reads?limit=1&before={}",
                before.replace(':', "%3A")
            ),
            Some("supervisor-zj"),
        )
        .await;
    assert_eq!(page["reads"][0]["case_id"], zhejiang.as_str());
    // Filtered by case and by staff.
    let (_, one) = app
        .get(
            &format!("/api/v1/identity-reads?case={zhejiang}"),
            Some("supervisor-zj"),
        )
        .await;
    assert_eq!(one["reads"].as_array().unwrap().len(), 1);
    let (_, none) = app
        .get(
            "/api/v1/identity-reads?staff=clerk-wh",
            Some("supervisor-zj"),
        )
        .await;
    assert_eq!(none["reads"].as_array().unwrap().len(), 0);
    let (status, bad) = app
        .get(
            "/api/v1/identity-reads?since=yesterday",
            Some("supervisor-zj"),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad["errors"][0]["field"], "since");
}

#[tokio::test]
async fn a_standards_officer_sees_no_cases_on_the_staff_page_either() {
    let app = spawn_app_with(None, test_protection(), ListenOptions::default()).await;
    // A red case in 浙江, which a supervisor's page lists.
    let (status, _) = app
        .submit(
            "clerk-zh",
            "social-security-card-issue",
            "330211",
            "330211",
            &["id-card"],
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let browser = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let page = |staff: &'static str| {
        let browser = browser.clone();
        let base = app.base.clone();
        async move {
            let login = browser
                .get(format!("{base}/staff/login"))
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
            let marker = "name=\"csrf\" value=\"";
            let start = login.find(marker).unwrap() + marker.len();
            let csrf = login[start..].split('"').next().unwrap().to_owned();
            let password = format!("pw-{staff}");
            browser
                .post(format!("{base}/staff/login"))
                .form(&[
                    ("staff_id", staff),
                    ("password", &password),
                    ("csrf", &csrf),
                ])
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap()
        }
    };
    let officer = page("standards-zj").await;
    assert!(officer.contains("不查看办件"), "{officer}");
    assert!(!officer.contains("社会保障卡"), "{officer}");
}

#[tokio::test]
async fn intake_obeys_the_items_own_rules_on_every_channel() {
    let app = spawn_app_with(None, test_protection(), ListenOptions::default()).await;
    const PERSON: &str = "11010519491231002X";
    const EMPLOYER: &str = "91350100M000100Y43";
    // (staff, channel, applicant kind and id, accepting, handling, materials, expected problem)
    type Row<'a> = (
        &'a str,
        &'a str,
        (&'a str, &'a str),
        &'a str,
        &'a str,
        &'a [&'a str],
        &'a str,
    );
    let rows: &[Row] = &[
        (
            "clerk-zh",
            "post",
            ("person", PERSON),
            "330211",
            "330211",
            &["id-card"],
            "case-rule",
        ),
        (
            "clerk-zh",
            "phone",
            ("person", PERSON),
            "330211",
            "330211",
            &["id-card"],
            "case-rule",
        ),
        (
            "clerk-zh",
            "window",
            ("employer", EMPLOYER),
            "330211",
            "330211",
            &["id-card"],
            "case-rule",
        ),
        // Not 跨省通办: a 四川 clerk cannot file it for 镇海 to handle.
        (
            "clerk-wh",
            "window",
            ("person", PERSON),
            "510107",
            "330211",
            &["id-card"],
            "case-rule",
        ),
        (
            "clerk-zh",
            "window",
            ("person", PERSON),
            "330211",
            "330211",
            &["id-card", "id-card"],
            "case-rule",
        ),
        (
            "clerk-zh",
            "window",
            ("person", PERSON),
            "330211",
            "330211",
            &["id-card"],
            "",
        ),
    ];
    for (staff, channel, (kind, id), accepting, handling, materials, expected) in rows {
        let body = json!({
            "request_id": uuid::Uuid::now_v7().to_string(),
            "item": "unemployment-benefit-claim",
            "applicant": { "kind": kind, "id": id },
            "channel": channel,
            "accepting_region": accepting,
            "handling_region": handling,
            "materials": materials,
        });
        let (status, answer) = app.post("/api/v1/cases", staff, body).await;
        if expected.is_empty() {
            assert_eq!(status, StatusCode::CREATED, "{answer}");
        } else {
            assert_eq!(
                status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{channel} {kind} {accepting}: {answer}"
            );
            assert_eq!(
                answer["type"],
                format!("https://yichuang.invalid/problems/{expected}")
            );
        }
    }
    // A reason of a megabyte does not go into the permanent trail.
    let (_, case) = app
        .submit(
            "clerk-zh",
            "unemployment-benefit-claim",
            "330211",
            "330211",
            &["id-card"],
        )
        .await;
    let (status, problem) = app
        .command(
            "clerk-zh",
            case["case_id"].as_str().unwrap(),
            1,
            json!({ "command": "refuse", "reason": "长".repeat(2_001) }),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("reason is 2001 characters"),
        "{problem}"
    );
}

#[tokio::test]
async fn serve_speaks_tls_with_secure_host_cookies_and_hsts() {
    use std::sync::Arc;
    use tokio_rustls::rustls::pki_types::{CertificateDer, ServerName};
    use tokio_rustls::rustls::{ClientConfig, RootCertStore};

    let certified = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (cert, key) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
    std::fs::write(&cert, certified.cert.pem()).unwrap();
    std::fs::write(&key, certified.signing_key.serialize_pem()).unwrap();
    let options = ListenOptions {
        tls: Some(yichuang_server::TlsFiles { cert, key }),
        ..ListenOptions::default()
    };
    let protection = ProtectionConfig {
        https: true,
        ..test_protection()
    };
    let app = spawn_app_with(None, protection, options).await;
    let addr = app.base.trim_start_matches("http://").to_owned();

    let mut roots = RootCertStore::empty();
    roots
        .add(CertificateDer::from(certified.cert.der().to_vec()))
        .unwrap();
    let config = ClientConfig::builder_with_provider(Arc::new(
        tokio_rustls::rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_root_certificates(roots)
    .with_no_client_auth();
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let tcp = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let mut tls = connector
        .connect(ServerName::try_from("localhost").unwrap(), tcp)
        .await
        .unwrap();
    tls.write_all(b"GET /staff/login HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut answer = Vec::new();
    tls.read_to_end(&mut answer).await.unwrap();
    let answer = String::from_utf8_lossy(&answer).to_lowercase();
    assert!(answer.starts_with("http/1.1 200"), "{answer}");
    assert!(
        answer.contains("strict-transport-security: max-age=31536000"),
        "{answer}"
    );
    let cookie = answer
        .lines()
        .find(|l| l.starts_with("set-cookie:"))
        .expect("the sign-in form sets its CSRF cookie");
    assert!(
        cookie.contains("__host-yc_csrf=") && cookie.contains("secure"),
        "{cookie}"
    );
    // Plain HTTP to the TLS port gets no page.
    let plain = app.client.get(format!("{}/healthz", app.base)).send().await;
    assert!(plain.is_err() || !plain.unwrap().status().is_success());
}
