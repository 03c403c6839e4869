//! Whole histories written in bulk (a synthetic year, an import): every step stands,
//! the totals count them like live steps, and nobody is told again now.

use std::sync::Arc;

use jiff::civil::date;
use yichuang_domain::RegionCode;
use yichuang_domain::case::{Actor, ActorRole, Applicant, CommandKind, GuideSnapshot, Submission};
use yichuang_domain::catalog::{Channel, Role};
use yichuang_engine::{History, HistoryStep};

use crate::World;

pub async fn a_history_is_written_whole_and_queues_no_message(w: &World) {
    let catalog = yichuang_catalog::builtin().unwrap().catalog;
    let county = RegionCode::parse("330211").unwrap();
    let day = date(2026, 2, 10);
    let guide = |item: &str| {
        let resolved = catalog.resolve(item, county, day).unwrap();
        Arc::new(GuideSnapshot::resolved(resolved))
    };
    let actor = |role: Role| Actor {
        id: format!("history-{}", yichuang_domain::case::role_name(role)),
        role: ActorRole::Staff(role),
    };
    let step = |on, role, kind| HistoryStep {
        on,
        hour: 10,
        actor: actor(role),
        kind,
    };
    let history = |id: &str, item: &str, materials: &[&str], steps: Vec<HistoryStep>| History {
        case_id: id.to_owned(),
        guide: guide(item),
        submission: Submission {
            applicant: Applicant::Person("330211199001010016".to_owned()),
            agent: None,
            channel: Channel::Window,
            accepting_region: county,
            handling_region: county,
            materials: materials.iter().map(|m| (*m).to_owned()).collect(),
            attachments: Vec::new(),
            commitments: Vec::new(),
        },
        actor: actor(Role::Clerk),
        on: day,
        hour: 9,
        steps,
    };
    let stamp = crate::uuid_like();
    let (printed, refused) = (format!("history-{stamp}-a"), format!("history-{stamp}-b"));
    let events = w
        .engine
        .write_histories(vec![
            history(
                &printed,
                "personal-record-query",
                &["id-card"],
                vec![step(
                    day,
                    Role::Clerk,
                    CommandKind::CompleteOnTheSpot {
                        method: "当场打印".to_owned(),
                    },
                )],
            ),
            // A step the rules refuse (a reviewer cannot accept) ends the history there.
            history(
                &refused,
                "personal-record-query",
                &["id-card"],
                vec![step(
                    day,
                    Role::Reviewer,
                    CommandKind::CompleteOnTheSpot {
                        method: "当场打印".to_owned(),
                    },
                )],
            ),
        ])
        .await
        .unwrap();
    assert_eq!(events, 3, "two submissions and one completion");
    let store = w.engine.store();
    let done = store.load_case(&printed).await.unwrap().unwrap();
    assert_eq!(done.case.state.name(), "completed");
    assert_eq!(done.case.version, 2);
    let stopped = store.load_case(&refused).await.unwrap().unwrap();
    assert_eq!(stopped.case.state.name(), "submitted");
    assert_eq!(stopped.case.version, 1);
    // Their applicant was told when it happened: nothing waits in the outbox.
    let far = jiff::Timestamp::now()
        .checked_add(jiff::SignedDuration::from_hours(24 * 365))
        .unwrap();
    let due = store.due_messages(far, 100_000).await.unwrap();
    assert!(
        due.iter()
            .all(|m| m.case_id != printed && m.case_id != refused),
        "a history queued a message"
    );
}
