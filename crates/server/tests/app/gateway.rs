//! A stand-in for the operator's SMS gateway: a real HTTP receiver that keeps every
//! delivery, and refuses the first one when asked to (to see the retry).

use std::sync::{Arc, Mutex};

use axum::http::{HeaderMap, StatusCode};
use serde_json::Value;

/// (idempotency key, body) of every POST the gateway got.
pub type Received = Arc<Mutex<Vec<(String, Value)>>>;

/// A gateway that refuses its first delivery and takes the rest.
pub async fn gateway() -> (String, Received) {
    spawn(true).await
}

/// A gateway that takes every delivery.
pub async fn accepting_gateway() -> (String, Received) {
    spawn(false).await
}

async fn spawn(refuse_first: bool) -> (String, Received) {
    let received: Received = Arc::default();
    let seen = received.clone();
    let app = axum::Router::new().route(
        "/sms",
        axum::routing::post(move |headers: HeaderMap, body: axum::Json<Value>| {
            let seen = seen.clone();
            async move {
                let key = headers
                    .get("idempotency-key")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default()
                    .to_owned();
                let mut seen = seen.lock().unwrap();
                seen.push((key, body.0));
                if refuse_first && seen.len() == 1 {
                    StatusCode::SERVICE_UNAVAILABLE
                } else {
                    StatusCode::OK
                }
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    (format!("http://{address}/sms"), received)
}
