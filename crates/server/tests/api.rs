//! The real server on port 0 against a fresh SQLite database, driven over HTTP.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod app;
mod contract;

use std::sync::Arc;

use app::{App, spawn_app, spawn_app_on};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use yichuang_domain::Calendar;
use yichuang_store::Store;

#[tokio::test]
async fn the_public_side_needs_no_login() {
    let app = spawn_app().await;
    let (status, body) = app.get("/api/v1/regions/330211/search?q=%E5%A4%B1%E4%B8%9A%E4%BA%86%E6%80%8E%E4%B9%88%E9%A2%86%E9%92%B1", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["hits"][0]["item"], "unemployment-benefit-claim");
    let (status, body) = app
        .get(
            "/api/v1/regions/320200/guides/unemployment-benefit-claim?date=2026-06-01",
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["illustrative"], true);
    assert_eq!(body["guide"]["guide"]["promised"]["amount"], 5);
    let (status, body) = app.get("/api/v1/items", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body["items"].as_array().unwrap().len() >= 60);
    let (status, _) = app.get("/api/v1/regions/330000/deviations", None).await;
    assert_eq!(status, StatusCode::OK);
    let (status, coverage) = app.get("/api/v1/coverage?date=2026-06-01", None).await;
    assert_eq!(status, StatusCode::OK);
    let rows = coverage["rows"].as_array().unwrap();
    assert!(
        rows[0]["region"].is_null(),
        "the national baseline comes first"
    );
    assert!(
        rows.iter().any(|r| r["region"] == "330211"),
        "镇海 has variants"
    );
    let (status, halls) = app.get("/api/v1/regions/330000/halls", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(halls["halls"].is_array());
}

#[tokio::test]
async fn bad_input_gets_problem_json_in_the_callers_language_never_a_5xx() {
    let app = spawn_app().await;
    let response = app
        .client
        .get(format!("{}/api/v1/regions/999999/search?q=x", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
    let request_id = response.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_owned();
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        body["type"],
        "https://yichuang.invalid/problems/invalid-input"
    );
    assert_eq!(body["title"], "输入有误");
    assert_eq!(body["errors"][0]["field"], "region");
    assert_eq!(body["request_id"], request_id);
    let english: Value = app
        .client
        .get(format!("{}/api/v1/regions/999999/search?q=x", app.base))
        .header("accept-language", "en-US,en;q=0.9")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(english["title"], "Invalid input");
    for path in [
        "/api/v1/regions/330211/guides/nope",
        "/api/v1/nothing-here",
        "/api/v1/regions/330211/search",
        "/api/v1/items?date=2026-13-01",
    ] {
        let (status, body) = app.get(path, None).await;
        assert!(status.is_client_error(), "{path}: {status}");
        assert!(
            body["type"]
                .as_str()
                .unwrap()
                .starts_with("https://yichuang.invalid/problems/"),
            "{path}"
        );
    }
    let (status, body) = app
        .submit(
            "clerk-zh",
            "unemployment-benefit-claim",
            "330211",
            "330211",
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let bad = json!({ "request_id": "x1", "item": "unemployment-benefit-claim", "applicant": { "kind": "person", "id": "110105194912310021" }, "channel": "window", "accepting_region": "330211", "handling_region": "330211" });
    let (status, body) = app.post("/api/v1/cases", "clerk-zh", bad).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["errors"][0]["field"], "applicant.id");
    let (status, body) = app
        .post("/api/v1/cases", "clerk-zh", json!({ "nonsense": true }))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, _) = app.get("/api/v1/cases", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = app.get("/api/v1/cases", Some("nobody")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_case_runs_its_lifecycle_over_http_with_documents() {
    lifecycle(&spawn_app().await).await;
}

#[tokio::test]
async fn the_same_lifecycle_on_postgres() {
    let Ok(base) = std::env::var("YICHUANG_TEST_DATABASE_URL") else {
        eprintln!("YICHUANG_TEST_DATABASE_URL is not set: PostgreSQL half skipped");
        return;
    };
    let schema = format!("api{}", uuid::Uuid::new_v4().simple());
    let admin = sqlx::PgPool::connect(&base).await.unwrap();
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
        .execute(&admin)
        .await
        .unwrap();
    let separator = if base.contains('?') { '&' } else { '?' };
    let app = spawn_app_on(Some(format!(
        "{base}{separator}options=-c%20search_path%3D{schema}"
    )))
    .await;
    lifecycle(&app).await;
    drop(app);
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("DROP SCHEMA {schema} CASCADE")))
        .execute(&admin)
        .await
        .unwrap();
}

async fn lifecycle(app: &App) {
    let (status, case) = app
        .submit(
            "clerk-zh",
            "unemployment-benefit-claim",
            "330211",
            "330211",
            &["id-card", "termination-proof"],
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{case}");
    let id = case["case_id"].as_str().unwrap().to_owned();
    let (status, accepted) = app
        .command("clerk-zh", &id, 1, json!({ "command": "accept" }))
        .await;
    assert_eq!(status, StatusCode::OK, "{accepted}");
    assert_eq!(accepted["state"], "accepted");
    let (status, conflict) = app
        .command("reviewer-zh", &id, 1, json!({ "command": "start_review" }))
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{conflict}");
    assert_eq!(
        conflict["type"],
        "https://yichuang.invalid/problems/conflict"
    );
    let (status, body) = app
        .command(
            "clerk-zh",
            &id,
            2,
            json!({ "command": "decide", "grant": true, "reason": "ok" }),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(
        body["detail"]
            .as_str()
            .unwrap()
            .contains("allowed now: start_review"),
        "{body}"
    );
    app.command("reviewer-zh", &id, 2, json!({ "command": "start_review" }))
        .await;
    let (status, _) = app
        .command(
            "reviewer-zh",
            &id,
            3,
            json!({ "command": "decide", "grant": true, "reason": "符合条件" }),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, done) = app
        .command(
            "clerk-zh",
            &id,
            4,
            json!({ "command": "complete", "method": "窗口领取" }),
        )
        .await;
    assert_eq!(
        (status, done["state"].as_str()),
        (StatusCode::OK, Some("completed"))
    );

    let (status, detail) = app
        .get(&format!("/api/v1/cases/{id}"), Some("clerk-zh"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(detail["case"]["applicant"]["id"], "1101**********002X");
    assert_eq!(detail["events"].as_array().unwrap().len(), 5);
    let html = app
        .client
        .get(format!("{}/api/v1/cases/{id}/documents/2", app.base))
        .bearer_auth("token-clerk-zh")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("受理通知书")
            && html.contains("/assets/document.css")
            && html.contains("1101**********002X"),
        "{html}"
    );
    // Its stylesheet lays it out on A4.
    let css = app
        .client
        .get(format!("{}/assets/document.css", app.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(css.contains("@page { size: A4"), "{css}");
    assert!(!html.contains("11010519491231002X"));

    // The public progress lookup: number + last four; wrong pairs look like no case.
    let (status, progress) = app
        .get(&format!("/api/v1/progress/{id}?last4=002x"), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{progress}");
    assert_eq!(progress["state"], "completed");
    let (status, _) = app
        .get(&format!("/api/v1/progress/{id}?last4=9999"), None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn role_and_jurisdiction_are_checked_for_every_action() {
    let app = spawn_app().await;
    // Remote acceptance: taken in at 武侯 (510107), handled in 镇海 (330211).
    let (status, remote) = app
        .submit(
            "clerk-wh",
            "pension-transfer",
            "510107",
            "330211",
            &["id-card"],
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{remote}");
    let remote = remote["case_id"].as_str().unwrap().to_owned();
    let (_, local) = app
        .submit(
            "clerk-zh",
            "unemployment-benefit-claim",
            "330211",
            "330211",
            &["id-card", "termination-proof"],
        )
        .await;
    let local = local["case_id"].as_str().unwrap().to_owned();

    // (staff, case, command, expected status)
    let accept = json!({ "command": "accept" });
    let rows: &[(&str, &str, &Value, StatusCode)] = &[
        ("clerk-gd", &local, &accept, StatusCode::FORBIDDEN), // clerk, outside
        ("reviewer-zh", &local, &accept, StatusCode::FORBIDDEN), // inside, wrong role
        ("standards-zj", &local, &accept, StatusCode::FORBIDDEN), // wrong role
        ("clerk-wh", &local, &accept, StatusCode::FORBIDDEN), // outside
        ("clerk-zh", &local, &accept, StatusCode::OK),        // clerk, inside
        // 收受分离: the accepting side (武侯) forwards; the handling side (镇海) accepts.
        ("clerk-wh", &remote, &accept, StatusCode::FORBIDDEN),
        ("clerk-zh", &remote, &accept, StatusCode::OK),
    ];
    for (staff, case, command, expected) in rows {
        let current = app
            .get(&format!("/api/v1/cases/{case}"), Some("supervisor-zj"))
            .await
            .1;
        let version = current["case"]["version"].as_u64().unwrap_or(1);
        let (status, body) = app.command(staff, case, version, (*command).clone()).await;
        assert_eq!(status, *expected, "{staff} on {case}: {body}");
    }
    // The handling region's reviewer reaches the remote case too; 广东 does not.
    let (status, _) = app
        .get(&format!("/api/v1/cases/{remote}"), Some("reviewer-zh"))
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = app
        .get(&format!("/api/v1/cases/{remote}"), Some("clerk-gd"))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, listed) = app
        .get("/api/v1/cases?item=pension-transfer", Some("reviewer-wh"))
        .await;
    assert!(
        listed["cases"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["case"]["id"] == remote.as_str())
    );
    let (status, _) = app
        .get("/api/v1/cases?region=440000", Some("clerk-zh"))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = app.get("/api/v1/cases", Some("standards-zj")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // A submission outside one's jurisdiction is refused in the service layer.
    let (status, _) = app
        .submit(
            "clerk-gd",
            "unemployment-benefit-claim",
            "330211",
            "330211",
            &["id-card"],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn full_identity_reads_are_recorded_and_listed_for_supervisors() {
    let app = spawn_app().await;
    let (_, case) = app
        .submit(
            "clerk-zh",
            "unemployment-benefit-claim",
            "330211",
            "330211",
            &["id-card"],
        )
        .await;
    let id = case["case_id"].as_str().unwrap();
    let (_, detail) = app
        .get(
            &format!("/api/v1/cases/{id}?full_identity=true"),
            Some("clerk-zh"),
        )
        .await;
    assert_eq!(detail["case"]["applicant"]["id"], "11010519491231002X");
    let (status, reads) = app
        .get("/api/v1/identity-reads", Some("supervisor-zj"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(reads["reads"][0]["staff_id"], "clerk-zh");
    assert_eq!(reads["reads"][0]["case_id"], id);
    let (status, _) = app.get("/api/v1/identity-reads", Some("clerk-zh")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn login_issues_a_token_and_operations_endpoints_answer() {
    let app = spawn_app().await;
    let response = app
        .client
        .post(format!("{}/api/v1/sessions", app.base))
        .json(&json!({ "staff_id": "clerk-zh", "password": "pw-clerk-zh" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    let token = response.json::<Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let listed = app
        .client
        .get(format!("{}/api/v1/cases", app.base))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(listed.status(), StatusCode::OK);
    let wrong = app
        .client
        .post(format!("{}/api/v1/sessions", app.base))
        .json(&json!({ "staff_id": "clerk-zh", "password": "nope" }))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.client
            .get(format!("{}/healthz", app.base))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        app.client
            .get(format!("{}/readyz", app.base))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    let unauthorised = app
        .client
        .get(format!("{}/metrics", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(unauthorised.status(), StatusCode::UNAUTHORIZED);
    let metrics = app
        .client
        .get(format!("{}/metrics", app.base))
        .bearer_auth(app::METRICS_TOKEN)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        metrics.contains("yichuang_http_requests_total{route=\"/api/v1/cases\",status=\"200\"} 1"),
        "{metrics}"
    );
    assert!(metrics.contains("yichuang_running_cases{warning=\"red\"}"));
    assert!(metrics.contains("# TYPE yichuang_cases gauge"), "{metrics}");
    assert!(
        metrics.contains("# TYPE yichuang_http_request_duration_seconds histogram"),
        "{metrics}"
    );
    assert!(
        metrics.contains(
            "yichuang_http_request_duration_seconds_bucket{route=\"/api/v1/cases\",le=\"0.005\"}"
        ),
        "{metrics}"
    );
}

#[tokio::test]
async fn the_openapi_document_and_its_offline_docs_page_are_served() {
    let app = spawn_app().await;
    let (status, spec) = app.get("/api/openapi.json", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(spec["info"]["title"], "yichuang (一窗) API");
    let page = app
        .client
        .get(format!("{}/api/docs/", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains("swagger"), "{html}");
    assert!(
        !html.contains("https://unpkg.com") && !html.contains("cdn."),
        "the docs page must not need the internet"
    );
}

/// The contract check itself can fail: an undocumented field, a wrong type, an
/// undocumented status and an undocumented content type are each caught.
#[tokio::test]
async fn the_contract_check_catches_drift() {
    let app = spawn_app().await;
    let (status, items) = app.get("/api/v1/items", None).await;
    assert_eq!(status, StatusCode::OK);
    // Whether the contract check refuses this answer to `GET /api/v1/items`.
    let breaks = |status: u16, media: &'static str, body: Value| {
        let contract = &app.contract;
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            contract.check("GET", "/api/v1/items", status, media, &body)
        }))
        .is_err()
    };
    assert!(!breaks(200, "application/json", items.clone()));
    type Mutation = (&'static str, fn(&mut Value));
    let mutations: [Mutation; 3] = [
        ("an undocumented field", |v| {
            v["items"][0]["secret"] = json!("x")
        }),
        ("a wrong type", |v| v["items"][0]["version"] = json!("two")),
        ("a missing field", |v| {
            v.as_object_mut().unwrap().remove("date");
        }),
    ];
    for (what, mutate) in mutations {
        let mut body = items.clone();
        mutate(&mut body);
        assert!(breaks(200, "application/json", body), "{what} not caught");
    }
    assert!(breaks(418, "application/json", items.clone()), "status");
    assert!(breaks(200, "text/plain", items), "content type");
}

/// Every successful JSON answer is described by a named schema, never a bare object.
#[test]
fn every_json_success_has_a_named_schema() {
    let document = yichuang_server::openapi_document();
    let schemas = document["components"]["schemas"].as_object().unwrap();
    let mut checked = 0;
    for (path, operations) in document["paths"].as_object().unwrap() {
        for (method, operation) in operations.as_object().unwrap() {
            for (status, response) in operation["responses"].as_object().unwrap() {
                let schema = &response["content"]["application/json"]["schema"];
                if !status.starts_with('2') || schema.is_null() {
                    continue;
                }
                let name = schema["$ref"]
                    .as_str()
                    .and_then(|r| r.strip_prefix("#/components/schemas/"))
                    .unwrap_or_else(|| panic!("{method} {path} {status}: no named schema"));
                let body = &schemas[name];
                assert!(
                    body["properties"].is_object() || body["$ref"].is_string(),
                    "{method} {path} {status}: {name} describes no fields: {body}"
                );
                checked += 1;
            }
        }
    }
    assert!(checked >= 14, "only {checked} JSON answers documented");
    let mut refs = Vec::new();
    collect_refs(&document, &mut refs);
    for target in refs {
        let name = target.trim_start_matches("#/components/schemas/");
        assert!(schemas.contains_key(name), "dangling reference {target}");
    }
}

fn collect_refs(value: &Value, refs: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(target)) = map.get("$ref") {
                refs.push(target.clone());
            }
            map.values().for_each(|v| collect_refs(v, refs));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, refs)),
        _ => {}
    }
}

/// Every role × action × inside/outside the jurisdiction. The table says which roles
/// may do what; outside the jurisdiction nobody may.
#[tokio::test]
async fn every_role_action_and_jurisdiction() {
    let app = spawn_app().await;
    let roles = [
        "clerk",
        "reviewer",
        "supervisor",
        "standards_officer",
        "administrator",
    ];
    // action → roles allowed inside the jurisdiction
    let table: &[(&str, &[&str])] = &[
        ("submit", &["clerk", "supervisor"]),
        ("accept", &["clerk", "supervisor"]),
        ("start_review", &["reviewer", "supervisor"]),
        ("extend", &["supervisor"]),
        (
            "read",
            &["clerk", "reviewer", "supervisor", "administrator"],
        ),
        (
            "list",
            &["clerk", "reviewer", "supervisor", "administrator"],
        ),
    ];
    for (action, allowed) in table {
        for role in roles {
            for inside in [true, false] {
                let actor = format!("{}-{role}", if inside { "in" } else { "out" });
                let permitted = inside && allowed.contains(&role);
                // A fresh case in 镇海, prepared by staff allowed to do the earlier steps.
                let item = if *action == "extend" {
                    "labour-dispute-arbitration"
                } else {
                    "unemployment-benefit-claim"
                };
                let materials: &[&str] = if *action == "extend" {
                    &["arbitration-application", "id-card"]
                } else {
                    &["id-card", "termination-proof"]
                };
                let (_, case) = app
                    .submit("clerk-zh", item, "330211", "330211", materials)
                    .await;
                let id = case["case_id"].as_str().unwrap().to_owned();
                if matches!(*action, "start_review" | "extend") {
                    app.command("clerk-zh", &id, 1, json!({ "command": "accept" }))
                        .await;
                }
                let status = match *action {
                    "submit" => {
                        app.submit(
                            &actor,
                            "unemployment-benefit-claim",
                            "330211",
                            "330211",
                            &["id-card"],
                        )
                        .await
                        .0
                    }
                    "accept" => {
                        app.command(&actor, &id, 1, json!({ "command": "accept" }))
                            .await
                            .0
                    }
                    "start_review" => {
                        app.command(&actor, &id, 2, json!({ "command": "start_review" }))
                            .await
                            .0
                    }
                    "extend" => {
                        app.command(
                            &actor,
                            &id,
                            2,
                            json!({ "command": "extend", "days": 5, "reason": "案情复杂" }),
                        )
                        .await
                        .0
                    }
                    "read" => {
                        app.get(&format!("/api/v1/cases/{id}"), Some(&actor))
                            .await
                            .0
                    }
                    _ => {
                        let (status, body) =
                            app.get("/api/v1/cases?limit=1000", Some(&actor)).await;
                        let listed = body["cases"].as_array().is_some_and(|cases| {
                            cases.iter().any(|c| c["case"]["id"] == id.as_str())
                        });
                        if status == StatusCode::OK && !listed {
                            StatusCode::FORBIDDEN
                        } else {
                            status
                        }
                    }
                };
                let ok = status.is_success();
                assert_eq!(ok, permitted, "{action} by {actor}: {status}");
                if !ok {
                    assert_eq!(status, StatusCode::FORBIDDEN, "{action} by {actor}");
                }
            }
        }
    }
}

#[tokio::test]
async fn people_and_employers_are_validated_and_framework_errors_are_problems_too() {
    let app = spawn_app().await;
    let (status, person) = app
        .get("/api/v1/people/11010519491231002x", Some("clerk-zh"))
        .await;
    assert_eq!(status, StatusCode::OK, "{person}");
    assert_eq!(person["masked"], "1101**********002X");
    assert_eq!(person["region"]["name"], "北京市 朝阳区");
    let (status, bad) = app
        .get("/api/v1/people/110105194912310021", Some("clerk-zh"))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad["detail"].as_str().unwrap().contains("check character"),
        "{bad}"
    );
    let (status, _) = app
        .get("/api/v1/people/11010519491231002X", Some("standards-zj"))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, employer) = app
        .get("/api/v1/employers/91350100M000100Y43", Some("standards-zj"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(employer["authority"], "工商");
    // Framework rejections: a query that does not parse, a path of the wrong type.
    for path in [
        "/api/v1/cases?limit=lots",
        "/api/v1/cases/x/documents/not-a-number",
    ] {
        let response = app
            .client
            .get(format!("{}{path}", app.base))
            .bearer_auth("token-clerk-zh")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{path}");
        assert_eq!(
            response.headers()["content-type"],
            "application/problem+json",
            "{path}"
        );
    }
    let response = app
        .client
        .delete(format!("{}/api/v1/items", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
}

fn form_csrf(html: &str) -> String {
    let start = html.find("name=\"csrf\" value=\"").unwrap() + "name=\"csrf\" value=\"".len();
    html[start..].split('"').next().unwrap().to_owned()
}

#[tokio::test]
async fn staff_pages_use_strict_http_only_sessions_with_csrf() {
    let app = spawn_app().await;
    let browser = Client::builder().cookie_store(true).build().unwrap();
    // Not signed in: the page sends you to the sign-in form.
    let response = browser
        .get(format!("{}/staff", app.base))
        .send()
        .await
        .unwrap();
    assert!(response.url().path().ends_with("/staff/login"));
    let login = response.text().await.unwrap();
    let csrf = form_csrf(&login);
    // A forged form (wrong CSRF token) is refused.
    let forged = browser
        .post(format!("{}/staff/login", app.base))
        .form(&[
            ("staff_id", "clerk-zh"),
            ("password", "pw-clerk-zh"),
            ("csrf", "forged"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let login = browser
        .get(format!("{}/staff/login", app.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf_again = form_csrf(&login);
    assert_ne!(csrf, csrf_again);
    let wrong = browser
        .post(format!("{}/staff/login", app.base))
        .form(&[
            ("staff_id", "clerk-zh"),
            ("password", "nope"),
            ("csrf", csrf_again.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let login = browser
        .get(format!("{}/staff/login", app.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = form_csrf(&login);
    // Without following the redirect, to see the cookie's attributes.
    let raw = Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let response = raw
        .post(format!("{}/staff/login", app.base))
        .header("cookie", format!("yc_csrf={csrf}"))
        .form(&[
            ("staff_id", "clerk-zh"),
            ("password", "pw-clerk-zh"),
            ("csrf", csrf.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let session_cookie = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.starts_with("yc_session="))
        .unwrap();
    assert!(
        session_cookie.contains("HttpOnly") && session_cookie.contains("SameSite=Strict"),
        "{session_cookie}"
    );
    let session = session_cookie.split(';').next().unwrap().to_owned();
    let home = raw
        .get(format!("{}/staff", app.base))
        .header("cookie", &session)
        .send()
        .await
        .unwrap();
    assert_eq!(home.status(), StatusCode::OK);
    let html = home.text().await.unwrap();
    assert!(
        html.contains("办件工作台") && html.contains("clerk-zh"),
        "{html}"
    );
    let logout_csrf = form_csrf(&html);
    let forged = raw
        .post(format!("{}/staff/logout", app.base))
        .header("cookie", &session)
        .form(&[("csrf", "forged")])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let out = raw
        .post(format!("{}/staff/logout", app.base))
        .header("cookie", &session)
        .form(&[("csrf", logout_csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), StatusCode::SEE_OTHER);
    let after = raw
        .get(format!("{}/staff", app.base))
        .header("cookie", &session)
        .send()
        .await
        .unwrap();
    assert_eq!(after.status(), StatusCode::SEE_OTHER, "the session ended");
}

#[tokio::test]
async fn the_demo_seeds_halls_staff_and_cases_in_every_state() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&Store::sqlite_url(&dir.path().join("demo.db")))
        .await
        .unwrap();
    let catalog = Arc::new(yichuang_catalog::builtin().unwrap().catalog);
    let today = jiff::civil::date(2026, 11, 2);
    let demo = yichuang_server::seed_demo(
        &store,
        catalog.clone(),
        Arc::new(Calendar::builtin()),
        today,
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!(
        demo.staff.len(),
        8,
        "seven in 浙江 and 四川, one for the whole country"
    );
    assert!(demo.people >= 200 && demo.employers >= 20 && demo.cases >= 100);
    // Today's hall day (the real today: the hall runs on the clock) has a ticket in
    // every state, and the clerks have skill levels.
    let hall_day = yichuang_domain::hall::HallDay::stream_id(
        "zhenhai-center",
        yichuang_engine::china_date(jiff::Timestamp::now()),
    );
    let stream = store
        .load_stream(&hall_day)
        .await
        .unwrap()
        .expect("a hall day");
    let day: yichuang_domain::hall::HallDay = serde_json::from_str(&stream.snapshot).unwrap();
    for status in ["waiting", "called", "parked", "missed", "finished"] {
        assert!(
            day.tickets.iter().any(|t| t.status.name() == status),
            "no demo ticket is {status}: {:?}",
            day.tickets
        );
    }
    assert!(day.tickets.iter().any(|t| t.green.is_some()));
    assert!(!store.staff_skills("clerk-zh").await.unwrap().is_empty());
    let halls = store.halls("51").await.unwrap();
    assert!(
        halls
            .iter()
            .any(|h| h.kind == yichuang_store::HallKind::BankOutlet && !h.windows.is_empty())
    );
    let states: Vec<String> = store
        .state_counts()
        .await
        .unwrap()
        .into_iter()
        .map(|(s, _)| s)
        .collect();
    for state in [
        "submitted",
        "awaiting_supplement",
        "accepted",
        "in_review",
        "suspended",
        "decided",
        "completed",
        "refused",
        "withdrawn",
        "terminated",
        "revoked",
    ] {
        assert!(
            states.contains(&state.to_owned()),
            "no demo case is {state}: {states:?}"
        );
    }
    let (_, yellow, red) = store.warning_counts(today).await.unwrap();
    assert!(
        yellow > 0 && red > 0,
        "some demo cases are near or past their deadline"
    );
    assert!(store.verify_audit().await.unwrap().first_broken.is_none());
    // A second run leaves a seeded database alone.
    assert!(
        yichuang_server::seed_demo(&store, catalog, Arc::new(Calendar::builtin()), today)
            .await
            .unwrap()
            .is_none()
    );
}
