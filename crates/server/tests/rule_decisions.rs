//! 智能审批 and the facts push API through HTTP: a register pushes its records as an
//! administrator (every bad row answered with its line, nothing written; the same
//! file again changes nothing; rows outside the token's jurisdiction refused); a
//! rule-decided application accepted at the window is decided by the system, and the
//! reviewer's page and the printable decision say how each condition came out.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod app;
mod contract;

use app::pages::{staff_browser, text};
use app::{App, spawn_app};
use reqwest::StatusCode;
use serde_json::{Value, json};

const APPLICANT: &str = "11010519491231002X";

async fn push(app: &App, staff: &str, kind: &str, csv: &str) -> (StatusCode, Value) {
    let path = format!("/api/v1/facts/{kind}");
    let request = app
        .client
        .post(format!("{}{path}", app.base))
        .bearer_auth(format!("token-{staff}"))
        .header("content-type", "text/csv")
        .body(csv.to_owned());
    app.answer("POST", &path, request).await
}

#[tokio::test]
async fn a_register_pushes_its_records_and_bad_rows_are_named() {
    let app = spawn_app().await;
    let good =
        format!("person,region,status,ui_months,card\n{APPLICANT},330211,employed,36,issued\n");
    let (status, body) = push(&app, "in-administrator", "persons", &good).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["written"], 1);
    let (status, body) = push(&app, "in-administrator", "persons", &good).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["written"], 0, "the same file again changes nothing");

    let mut bad_check = APPLICANT.to_owned();
    bad_check.pop();
    bad_check.push('1');
    let other =
        yichuang_domain::ResidentId::from_parts(330211, jiff::civil::date(1985, 3, 9), 17).unwrap();
    let other = other.as_str();
    let bad = format!(
        "person,region,status,ui_months,card\n\
         {other},330211,employed,36,active\n\
         {bad_check},330211,employed,36,active\n\
         {APPLICANT},330211,retired,36,active\n\
         {APPLICANT},440106,employed,36,active\n"
    );
    let (status, body) = push(&app, "in-administrator", "persons", &bad).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["imported"], false);
    let problems: Vec<(u64, String)> = body["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["line"].as_u64().unwrap(),
                p["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let lines: Vec<u64> = problems.iter().map(|(l, _)| *l).collect();
    assert_eq!(lines, [3, 4, 5], "{problems:?}");
    assert!(problems[0].1.starts_with("person:"), "{problems:?}");
    assert!(problems[1].1.contains("status") && problems[1].1.contains("retired"));
    assert!(problems[2].1.contains("outside 330000"), "{problems:?}");
    let record = app.store.person_facts(APPLICANT).await.unwrap().unwrap();
    assert_eq!(
        record.card,
        yichuang_domain::facts::CardStatus::Issued,
        "nothing of a bad file is written"
    );

    let (status, _) = push(&app, "clerk-zh", "persons", &good).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = push(&app, "in-administrator", "pets", &good).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(
        body["detail"].as_str().unwrap().contains("persons"),
        "{body}"
    );
    let (status, body) = push(&app, "in-administrator", "persons", "").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body["problems"][0]["message"]
            .as_str()
            .unwrap()
            .contains("empty")
    );
}

#[tokio::test]
async fn an_accepted_application_is_decided_by_its_rule_and_the_page_says_how() {
    let app = spawn_app().await;
    let csv =
        format!("person,region,status,ui_months,card\n{APPLICANT},330211,employed,36,issued\n");
    assert_eq!(
        push(&app, "in-administrator", "persons", &csv).await.0,
        StatusCode::OK
    );

    let (status, case) = app
        .submit(
            "clerk-zh",
            "social-security-card-activation",
            "330211",
            "330211",
            &["id-card"],
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{case}");
    let id = case["case_id"].as_str().unwrap().to_owned();
    let (status, accepted) = app
        .command("clerk-zh", &id, 1, json!({ "command": "accept" }))
        .await;
    assert_eq!(status, StatusCode::OK, "{accepted}");
    let (status, detail) = app
        .get(&format!("/api/v1/cases/{id}"), Some("reviewer-zh"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(detail["case"]["state"], "decided", "{detail}");

    let reviewer = staff_browser(&app.base, "reviewer-zh").await;
    let (status, page) = text(&reviewer, format!("{}/staff/cases/{id}", app.base)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("自动审批规则"), "{page}");
    assert!(
        page.contains("已向本人发放社会保障卡且尚未启用、未挂失：符合"),
        "{page}"
    );
    assert!(
        page.contains("已按登记数据自动作出决定"),
        "the timeline says who decided"
    );
    assert!(
        page.contains("value=\"start_review\""),
        "the reviewer may take it up: {page}"
    );

    let (_, documents) = app
        .get(&format!("/api/v1/cases/{id}"), Some("reviewer-zh"))
        .await;
    let seq = documents["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["event"]["body"]["event"] == "decided")
        .and_then(|e| e["event"]["seq"].as_u64())
        .expect("a decided event");
    let (status, decision) = text(
        &reviewer,
        format!("{}/staff/cases/{id}/documents/{seq}", app.base),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(decision.contains("按登记数据自动作出"), "{decision}");
    assert!(decision.contains("可以申请人工复核"));
}
