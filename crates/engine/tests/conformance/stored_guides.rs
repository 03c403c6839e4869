//! A submission is stored naming its guide (the guide is stored once per content
//! hash); reading the case's events gives the guide back whole, the audit proves it
//! through the digest the chain holds, and an event stored the older way, with its
//! guide inside, still reads and verifies.

use yichuang_domain::case::{EventBody, StoredEvent, chain_hash};

use crate::{World, execute_sql, fetch_text};

pub async fn a_submission_names_its_guide_and_reads_back_whole(w: &World, url: &str) {
    let case = w
        .submit(
            "unemployment-benefit-claim",
            "330211",
            "330211",
            &["id-card", "termination-proof"],
        )
        .await;
    let id = &case.case_id;
    let stored_text = fetch_text(
        url,
        &format!("SELECT event FROM case_events WHERE case_id = '{id}' AND seq = 1"),
    )
    .await;
    let events = w.engine.events(id).await.unwrap();
    let submitted = &events[0].event;
    let EventBody::Submitted { guide, .. } = &submitted.body else {
        panic!("the first event is the submission: {submitted:?}");
    };
    assert!(!guide.guide.materials.is_empty());
    assert_eq!(
        guide.guide,
        w.engine.case(id).await.unwrap().unwrap().guide.guide,
        "the submission reads back with the guide the case runs under"
    );

    // The stored text names the guide and chains its digest, and carries none of it.
    let stored: StoredEvent = serde_json::from_str(&stored_text).unwrap();
    let named = stored.guide().unwrap();
    assert_eq!(named.content_hash, guide.content_hash);
    assert_eq!(named.digest.as_deref(), Some(guide.digest()));
    assert!(named.guide.is_none(), "{stored_text}");
    let whole = serde_json::to_string(submitted).unwrap();
    assert!(
        !stored_text.contains(&guide.guide.materials[0].name),
        "no material's name is stored with the event"
    );
    assert!(
        stored_text.len() * 3 < whole.len(),
        "stored {} bytes against {} with the guide",
        stored_text.len(),
        whole.len()
    );

    // Stored the older way (the guide inside, chained as such), it reads the same
    // and verifies.
    let hash = chain_hash("", &whole);
    execute_sql(
        url,
        &format!(
            "UPDATE case_events SET event = '{}', hash = '{hash}' WHERE case_id = '{id}' AND seq = 1; \
             UPDATE cases SET head_hash = '{hash}' WHERE id = '{id}'",
            whole.replace('\'', "''")
        ),
    )
    .await;
    let again = w.engine.events(id).await.unwrap();
    assert_eq!(again[0].event, *submitted);
    let report = w.engine.store().verify_audit().await.unwrap();
    assert!(
        report.findings.iter().all(|f| f.subject != *id),
        "{:?}",
        report.findings
    );
}
