//! Servers share the database; maintenance that must be alone excludes them, and they
//! it, on both backends; a claim ends when it is dropped.

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
    drop(first);
    assert!(
        store.claim(Use::Alone).await.is_err(),
        "one server is still running"
    );
    drop(second);
    let alone = store.claim(Use::Alone).await.unwrap();
    let refused = store.claim(Use::Serving).await.unwrap_err();
    assert!(refused.to_string().contains("totals rebuild"), "{refused}");
    assert!(store.claim(Use::Alone).await.is_err(), "alone means alone");
    drop(alone);
    drop(store.claim(Use::Serving).await.unwrap());
}
