//! A snapshot of the whole OpenAPI document: any change to the contract shows up in
//! review. Update with `YICHUANG_UPDATE_SNAPSHOTS=1 cargo test -p yichuang-server`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

#[test]
fn the_openapi_document_matches_its_snapshot() {
    let document =
        serde_json::to_string_pretty(&yichuang_server::openapi_document()).unwrap() + "\n";
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/openapi.json");
    if std::env::var_os("YICHUANG_UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, &document).unwrap();
    }
    let snapshot = std::fs::read_to_string(&path)
        .expect("snapshot missing: run with YICHUANG_UPDATE_SNAPSHOTS=1");
    assert!(
        document == snapshot,
        "the OpenAPI document changed; review and update the snapshot (YICHUANG_UPDATE_SNAPSHOTS=1)"
    );
    let value: serde_json::Value = serde_json::from_str(&document).unwrap();
    assert!(value["openapi"].as_str().unwrap().starts_with("3.1"));
    for path in [
        "/api/v1/cases",
        "/api/v1/cases/{case_id}/commands",
        "/api/v1/regions/{region}/guides/{item}",
        "/api/v1/progress/{case_id}",
    ] {
        assert!(value["paths"][path].is_object(), "{path} is not documented");
    }
}
