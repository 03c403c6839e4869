//! Messages to applicants leave through the operator's SMS gateway: a real HTTP
//! receiver stands in for it, fails once, then takes the message; the retry carries
//! the same idempotency key, and the signed link in the text opens the case.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod app;
mod contract;

use std::time::{Duration, Instant};

use app::gateway::gateway;
use app::spawn_app_shaped;
use axum::http::StatusCode;
use yichuang_server::MessageOptions;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_message_is_retried_until_the_gateway_takes_it_and_its_link_opens_the_case() {
    let (webhook, received) = gateway().await;
    let app = spawn_app_shaped(move |state| {
        state.with_messages(MessageOptions {
            webhook: Some(webhook),
            public_url: "https://yichuang.example".to_owned(),
            first_retry: Duration::ZERO,
            ..MessageOptions::default()
        })
    })
    .await;
    let (status, case) = app
        .submit(
            "clerk-zh",
            "unemployment-benefit-claim",
            "330211",
            "330211",
            &["id-card"],
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{case}");
    let case_id = case["case_id"].as_str().unwrap().to_owned();

    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if received.lock().unwrap().len() >= 2 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the message was not delivered: {:?}",
            received.lock().unwrap()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let deliveries = received.lock().unwrap().clone();
    let (first_key, first) = &deliveries[0];
    let (second_key, second) = &deliveries[1];
    assert_eq!(first_key, second_key, "a retry is the same message");
    assert!(first_key.starts_with("yichuang-message-"));
    assert_eq!(first, second);
    assert_eq!(second["to"], "11010519491231002X");
    assert_eq!(second["kind"], "received");
    let text = second["text"].as_str().unwrap();
    assert!(
        text.contains("失业保险金申领") && text.contains("已收到") && text.contains("330211-2026"),
        "{text}"
    );
    let link = second["link"].as_str().unwrap();
    assert!(link.starts_with("https://yichuang.example/m/"), "{link}");
    assert!(text.ends_with(link));

    // The store says it was sent, after two tries; nothing more goes out for it.
    let messages = app
        .store
        .messages_to("11010519491231002X", 10)
        .await
        .unwrap();
    let sent = messages.iter().find(|m| m.case_id == case_id).unwrap();
    assert!(sent.sent_at.is_some() && sent.attempts == 2, "{sent:?}");
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(received.lock().unwrap().len(), 2, "no duplicate");

    // The link opens the case's progress without signing in; a forged one does not.
    let path = link.trim_start_matches("https://yichuang.example");
    let page = app
        .client
        .get(format!("{}{path}", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("失业保险金申领") && html.contains("已提交，等待受理"),
        "{html}"
    );
    // The signature with its last digit changed (to another digit, whatever it was).
    let changed = if path.ends_with('0') { '1' } else { '0' };
    let forged = format!("{}{}{changed}", app.base, &path[..path.len() - 1]);
    let page = app.client.get(forged).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::NOT_FOUND);
    let expired = format!(
        "{}/m/{case_id}/1000/{}",
        app.base,
        path.rsplit('/').next().unwrap()
    );
    assert_eq!(
        app.client.get(expired).send().await.unwrap().status(),
        StatusCode::NOT_FOUND
    );
}
