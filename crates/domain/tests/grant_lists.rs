//! The published list (公示) as a state machine: whatever commands arrive in whatever
//! order, nothing is granted before the period ends, no employer is granted twice or
//! over an open or upheld objection, objections come only while the list is public,
//! and the list replayed from its events equals the one built step by step.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use jiff::civil::{Date, date};
use proptest::prelude::*;
use yichuang_domain::proactive::{GrantList, ListCommand, ListContext, Listed, decide_list};

fn listed(i: usize) -> Listed {
    Listed {
        id: format!("E{i}"),
        name: format!("单位{i}"),
        region: "330211".to_owned(),
        amount_cents: 100 * i as i64,
    }
}

#[derive(Debug, Clone)]
enum Step {
    Publish,
    Object(usize),
    Decide(usize, bool),
    Grant(usize),
    /// Moves the day on.
    Wait(u8),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        Just(Step::Publish),
        (0..4usize).prop_map(Step::Object),
        (0..4usize, any::<bool>()).prop_map(|(i, u)| Step::Decide(i, u)),
        (0..4usize).prop_map(Step::Grant),
        (1..4u8).prop_map(Step::Wait),
    ]
}

/// Calendar days stand in for working days here: the arithmetic is the caller's.
fn add_days(from: Date, n: u32) -> Date {
    from.checked_add(jiff::Span::new().days(i64::from(n)))
        .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn the_list_never_grants_wrongly(steps in prop::collection::vec(step(), 1..40)) {
        let mut list = GrantList::new("job-retention-refund", 2025);
        let mut events = Vec::new();
        let mut today = date(2026, 3, 2);
        for step in steps {
            let command = match step {
                Step::Wait(n) => {
                    today = add_days(today, u32::from(n));
                    continue;
                }
                Step::Publish => ListCommand::Publish {
                    policy_hash: "p".into(),
                    inputs_digest: "d".into(),
                    lines: (0..3).map(listed).collect(),
                    publicity_days: 5,
                },
                Step::Object(i) => ListCommand::Object { id: format!("E{i}"), text: "异议".into(), on_behalf_of: None },
                Step::Decide(i, upheld) => ListCommand::DecideObjection {
                    id: format!("E{i}"),
                    upheld,
                    reason: "核实".into(),
                },
                Step::Grant(i) => ListCommand::RecordGrant { id: format!("E{i}"), case_id: format!("case-{i}") },
            };
            let ctx = ListContext {
                at: jiff::Timestamp::UNIX_EPOCH,
                today,
                actor: "system",
                add_working_days: &add_days,
            };
            let before = list.clone();
            let Ok(event) = decide_list(&list, &command, &ctx) else { continue };
            list.apply(&event);
            events.push(event);
            match &command {
                ListCommand::RecordGrant { id, .. } => {
                    prop_assert!(today > before.public_until.unwrap(), "granted while public");
                    let line = before.line(id).unwrap();
                    prop_assert!(line.case_id.is_none(), "granted twice");
                    prop_assert!(
                        line.objection.as_ref().is_none_or(|o| o.upheld == Some(false)),
                        "granted over an open or upheld objection"
                    );
                }
                ListCommand::Object { .. } => {
                    prop_assert!(today <= before.public_until.unwrap(), "objection after the period");
                }
                ListCommand::Publish { .. } => prop_assert!(before.published_on.is_none()),
                ListCommand::DecideObjection { .. } => {}
            }
        }
        prop_assert_eq!(GrantList::replay("job-retention-refund", 2025, &events), list);
    }
}
