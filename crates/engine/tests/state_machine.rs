//! Property tests of the case state machine, on the pure rules with real guides:
//! random command sequences by random roles on random days.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::{Arc, LazyLock};

use jiff::ToSpan;
use jiff::civil::{Date, date};
use jiff::tz::{TimeZone, offset};
use proptest::prelude::*;
use yichuang_domain::case::{
    Actor, ActorRole, Applicant, Case, CaseError, Command, CommandKind, Context, GuideSnapshot,
    Submission, WarningPolicy, allowed_commands, decide, submit,
};
use yichuang_domain::catalog::{Catalog, Channel, Role};
use yichuang_domain::{Calendar, RegionCode};

static CATALOG: LazyLock<Catalog> = LazyLock::new(|| yichuang_catalog::builtin().unwrap().catalog);
static CALENDAR: LazyLock<Calendar> = LazyLock::new(Calendar::builtin);

const ITEMS: [&str; 5] = [
    "unemployment-benefit-claim",
    "work-injury-recognition",
    "labour-dispute-arbitration",
    "personal-record-query",
    "retirement-pension-claim",
];
const MATERIALS: [&str; 6] = [
    "id-card",
    "termination-proof",
    "bank-account",
    "application-form",
    "diagnosis",
    "arbitration-application",
];

fn role() -> impl Strategy<Value = ActorRole> {
    prop_oneof![
        Just(ActorRole::Applicant),
        Just(ActorRole::Staff(Role::Clerk)),
        Just(ActorRole::Staff(Role::Reviewer)),
        Just(ActorRole::Staff(Role::Supervisor)),
        Just(ActorRole::Staff(Role::System)),
    ]
}

fn material() -> impl Strategy<Value = String> {
    prop::sample::select(MATERIALS.to_vec()).prop_map(str::to_owned)
}

fn command() -> impl Strategy<Value = CommandKind> {
    prop_oneof![
        Just(CommandKind::IssueNotice),
        prop::collection::vec(material(), 1..3).prop_map(|materials| CommandKind::Supplement {
            materials,
            attachments: Vec::new()
        }),
        (
            prop::collection::vec(material(), 0..2),
            prop::collection::vec(material(), 0..2),
            1u32..10
        )
            .prop_map(|(provisional, commitments, supply_within_days)| {
                CommandKind::Accept {
                    provisional,
                    commitments,
                    supply_within_days,
                }
            }),
        Just(CommandKind::Refuse {
            reason: "材料不符".to_owned()
        }),
        Just(CommandKind::StartReview),
        any::<bool>().prop_map(|grant| CommandKind::Decide {
            grant,
            reason: "理由".to_owned(),
            legal_basis: vec!["社会保险法 第四十五条".to_owned()]
        }),
        Just(CommandKind::Complete {
            method: "窗口".to_owned()
        }),
        Just(CommandKind::CompleteOnTheSpot {
            method: "当场".to_owned()
        }),
        Just(CommandKind::Withdraw {
            reason: "撤回".to_owned()
        }),
        Just(CommandKind::Suspend {
            reason: "等待结论".to_owned()
        }),
        Just(CommandKind::Resume {
            reason: "结论作出".to_owned()
        }),
        (1u32..20).prop_map(|days| CommandKind::Extend {
            days,
            reason: "复杂".to_owned()
        }),
        (material(), any::<bool>())
            .prop_map(|(material, truthful)| CommandKind::VerifyCommitment { material, truthful }),
        Just(CommandKind::LapseProvisional),
    ]
}

fn context(day: Date) -> Context<'static> {
    let at = day
        .at(10, 0, 0, 0)
        .to_zoned(TimeZone::fixed(offset(8)))
        .unwrap()
        .timestamp();
    Context {
        at,
        today: day,
        calendar: &CALENDAR,
        policy: WarningPolicy::default(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn any_command_sequence_keeps_the_case_consistent(
        item in prop::sample::select(ITEMS.to_vec()),
        materials in prop::collection::vec(material(), 0..4),
        steps in prop::collection::vec((command(), role(), 0i64..5), 1..25),
    ) {
        let region = RegionCode::parse("330211").unwrap();
        let mut day = date(2026, 1, 5);
        let resolved = CATALOG.resolve(item, region, day).unwrap();
        let guide = Arc::new(GuideSnapshot::resolved(resolved));
        let submission = Submission {
            applicant: Applicant::Person("11010519491231002X".to_owned()),
            agent: None,
            channel: Channel::Window,
            accepting_region: region,
            handling_region: region,
            // Each of the guide's materials at most once, as intake requires.
            materials: {
                let mut ms: Vec<String> = materials.into_iter().filter(|m| guide.guide.materials.iter().any(|g| &g.id == m)).collect();
                ms.sort();
                ms.dedup();
                ms
            },
            attachments: Vec::new(),
            commitments: Vec::new(),
        };
        let actor = Actor { id: "a".to_owned(), role: ActorRole::Staff(Role::Clerk) };
        let first = submit("case-1", submission, guide, actor, context(day)).unwrap();
        let mut case = Case::from_submission(&first).unwrap();
        let mut events = vec![first];
        let mut last_deadline: Option<Date> = None;
        for (kind, role, advance) in steps {
            day = day.checked_add(advance.days()).unwrap();
            // The applicant acts as themselves (the submission's applicant).
            let id = if role == ActorRole::Applicant { case.applicant_id().to_owned() } else { "s".to_owned() };
            let command = Command { expected_version: case.version, actor: Actor { id, role }, kind: kind.clone() };
            let allowed = allowed_commands(case.state);
            match decide(&case, &command, context(day)) {
                Ok(event) => {
                    prop_assert!(allowed.contains(&kind.name()), "{} ran in {:?}", kind.name(), case.state);
                    prop_assert!(!case.state.is_terminal() || kind.name() == "verify_commitment");
                    prop_assert_eq!(event.seq, case.version + 1);
                    prop_assert_eq!(event.from_state, Some(case.state));
                    case.apply(&event);
                    prop_assert_eq!(Some(case.state), event.to_state);
                    events.push(event);
                }
                Err(CaseError::NotAllowed { state, .. }) => {
                    prop_assert!(!allowed.contains(&kind.name()));
                    prop_assert_eq!(state, case.state.name());
                }
                Err(CaseError::Conflict { .. }) => prop_assert!(false, "the expected version was current"),
                Err(_) => prop_assert!(allowed.contains(&kind.name()), "a non-state error for a command not allowed"),
            }
            // Deadlines only ever move out (suspension and extension), never in.
            if let Some(clock) = &case.statutory {
                prop_assert!(clock.deadline >= clock.started);
                if let Some(previous) = last_deadline {
                    prop_assert!(clock.deadline >= previous);
                }
                last_deadline = Some(clock.deadline);
            }
        }
        // The projection is exactly the fold of the events.
        let mut replayed = Case::replay(&events).unwrap();
        replayed.guide = case.guide.clone();
        prop_assert_eq!(replayed, case);
    }
}
