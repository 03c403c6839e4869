//! Servers share the database; maintenance that must be alone excludes them, and they
//! it, on both backends; a released claim ends at once, a dropped one soon after.

use yichuang_store::{StoreError, Use};

use super::World;

pub async fn servers_share_and_maintenance_is_alone(w: &World) {
    let store = w.engine.store();
    let first = store.claim(Use::Serving).await.unwrap();
    let second = store.claim(Use::Serving).await.unwrap();
    let refused = store.claim(Use::Alone).await.unwrap_err();
    assert!(
        matches!(refused, StoreError::InUse(_)) && refused.to_string().contains("a server"),
        "{refused}"
    );
    first.release().await.unwrap();
    assert!(
        store.claim(Use::Alone).await.is_err(),
        "one server is still running"
    );
    second.release().await.unwrap();
    let alone = store.claim(Use::Alone).await.unwrap();
    let refused = store.claim(Use::Serving).await.unwrap_err();
    assert!(refused.to_string().contains("totals rebuild"), "{refused}");
    assert!(store.claim(Use::Alone).await.is_err(), "alone means alone");
    drop(alone);
    // PostgreSQL ends a dropped claim's session lock when it sees the connection close.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let serving = loop {
        match store.claim(Use::Serving).await {
            Ok(claim) => break claim,
            Err(e) if std::time::Instant::now() < deadline => {
                assert!(matches!(e, StoreError::InUse(_)), "{e}");
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            }
            Err(e) => panic!("a dropped claim still holds after 10 s: {e}"),
        }
    };
    serving.release().await.unwrap();
}
