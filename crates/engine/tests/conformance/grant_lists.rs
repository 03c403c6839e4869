//! 免申即享's published list through the engine, on both backends: published once over
//! five working days, an objection taken while public and decided by a supervisor in
//! reach, nothing granted before the period ends, then one grant case per employer the
//! list allows, made again after an interruption without a second case, and the
//! employer told through the outbox.

use yichuang_domain::catalog::Role;
use yichuang_domain::proactive::{ListCommand, ListError, Listed};
use yichuang_engine::EngineError;
use yichuang_engine::proactive::{GrantListResponse, Grantee, SYSTEM};

use super::{World, staff};

const POLICY: &str = "job-retention-refund";
const YEAR: i16 = 2025;

fn listed(serial: u32, region: &str, cents: i64) -> Listed {
    let code = yichuang_domain::RegionCode::parse(region).unwrap();
    Listed {
        id: yichuang_domain::Uscc::enterprise(code.digits(), serial)
            .unwrap()
            .as_str()
            .to_owned(),
        name: format!("名单单位{serial}"),
        region: region.to_owned(),
        amount_cents: cents,
    }
}

fn list_error(result: Result<GrantListResponse, EngineError>) -> ListError {
    match result {
        Err(EngineError::GrantList(e)) => e,
        other => panic!("expected a list error, got {other:?}"),
    }
}

pub async fn a_list_is_published_objected_to_and_granted_once(w: &World) {
    let engine = &w.engine;
    let (kept, objected, upheld) = (
        listed(50_000_001, "330211", 720_000),
        listed(50_000_002, "330211", 100),
        listed(50_000_003, "330211", 200),
    );
    // Published on Friday 2026-09-25: five working days end on 2026-10-09 (National
    // Day's week off, then the 调休 Saturday 2026-09-27 is not counted backwards).
    w.set_today(jiff::civil::date(2026, 9, 25));
    let publish = ListCommand::Publish {
        policy_hash: "p".to_owned(),
        inputs_digest: "d1".to_owned(),
        lines: vec![kept.clone(), objected.clone(), upheld.clone()],
        publicity_days: 5,
    };
    engine
        .execute_grant_list("pub-1", (POLICY, YEAR), publish.clone(), SYSTEM, None)
        .await
        .unwrap();
    // The same request again is answered as before; another publication is refused.
    engine
        .execute_grant_list("pub-1", (POLICY, YEAR), publish, SYSTEM, None)
        .await
        .unwrap();
    let again = ListCommand::Publish {
        policy_hash: "p".to_owned(),
        inputs_digest: "d2".to_owned(),
        lines: Vec::new(),
        publicity_days: 5,
    };
    assert!(matches!(
        list_error(
            engine
                .execute_grant_list("pub-2", (POLICY, YEAR), again, SYSTEM, None)
                .await
        ),
        ListError::AlreadyPublished { .. }
    ));
    let list = engine.grant_list(POLICY, YEAR).await.unwrap().unwrap();
    let until = list.public_until.unwrap();
    assert!(until > jiff::civil::date(2026, 9, 30), "{until}");
    let mut day = jiff::civil::date(2026, 9, 25);
    let mut working = 0;
    while working < 5 {
        day = day.tomorrow().unwrap();
        if engine.calendar().is_working_day(day, None).unwrap() {
            working += 1;
        }
    }
    assert_eq!(until, day, "five working days of the legal calendar");

    for (id, serial) in [(&objected.id, "obj-1"), (&upheld.id, "obj-2")] {
        engine
            .execute_grant_list(
                serial,
                (POLICY, YEAR),
                ListCommand::Object {
                    id: id.clone(),
                    text: "该单位当年有欠薪记录".to_owned(),
                    on_behalf_of: None,
                },
                "online:330211199001011234",
                None,
            )
            .await
            .unwrap();
    }
    assert!(matches!(
        list_error(
            engine
                .execute_grant_list(
                    "obj-3",
                    (POLICY, YEAR),
                    ListCommand::Object {
                        id: "nobody".to_owned(),
                        text: "x".to_owned(),
                        on_behalf_of: None,
                    },
                    "online:x",
                    None,
                )
                .await
        ),
        ListError::NotListed { .. }
    ));
    // A supervisor elsewhere may not decide; one in reach may, with a reason.
    let far = staff("sup-far", Role::Supervisor, "320000");
    let near = staff("sup-near", Role::Supervisor, "330000");
    let decide = |id: &str, upheld: bool| ListCommand::DecideObjection {
        id: id.to_owned(),
        upheld,
        reason: "核实".to_owned(),
    };
    assert!(
        engine
            .execute_grant_list(
                "dec-0",
                (POLICY, YEAR),
                decide(&upheld.id, true),
                "",
                Some(&far)
            )
            .await
            .is_err()
    );
    engine
        .execute_grant_list(
            "dec-1",
            (POLICY, YEAR),
            decide(&upheld.id, true),
            "",
            Some(&near),
        )
        .await
        .unwrap();

    // Nothing is granted while the list is public.
    assert!(matches!(
        engine
            .grant_from_list(POLICY, YEAR, (POLICY, Grantee::Employer))
            .await,
        Err(EngineError::GrantList(ListError::PeriodRunning { .. }))
    ));
    w.set_today(until.tomorrow().unwrap());
    assert!(matches!(
        list_error(
            engine
                .execute_grant_list(
                    "obj-late",
                    (POLICY, YEAR),
                    ListCommand::Object {
                        id: kept.id.clone(),
                        text: "迟到".to_owned(),
                        on_behalf_of: None,
                    },
                    "online:x",
                    None,
                )
                .await
        ),
        ListError::PeriodOver { .. }
    ));
    let granted = engine
        .grant_from_list(POLICY, YEAR, (POLICY, Grantee::Employer))
        .await
        .unwrap();
    assert_eq!(
        granted
            .iter()
            .map(|(id, _)| id.as_str())
            .collect::<Vec<_>>(),
        [kept.id.as_str()],
        "the open objection holds one back, the upheld one excludes the other"
    );
    // Interrupted: the open objection is dismissed later; the case for it is made
    // once even when its submission had already landed before a crash.
    engine
        .execute_grant_list(
            "dec-2",
            (POLICY, YEAR),
            decide(&objected.id, false),
            "",
            Some(&near),
        )
        .await
        .unwrap();
    // The crash: its case was submitted, the grant not yet recorded on the list.
    let region = yichuang_domain::RegionCode::parse(&objected.region).unwrap();
    let landed = engine
        .execute(
            &format!("grant:{POLICY}:{YEAR}:{}", objected.id),
            yichuang_engine::Request::Submit {
                item: POLICY.to_owned(),
                submission: yichuang_domain::case::Submission {
                    applicant: yichuang_domain::case::Applicant::Employer(objected.id.clone()),
                    agent: None,
                    channel: yichuang_domain::catalog::Channel::Online,
                    accepting_region: region,
                    handling_region: region,
                    materials: Vec::new(),
                    attachments: Vec::new(),
                    commitments: Vec::new(),
                },
                actor: yichuang_domain::case::Actor {
                    id: SYSTEM.to_owned(),
                    role: yichuang_domain::case::ActorRole::Staff(Role::System),
                },
            },
        )
        .await
        .unwrap();
    let second = engine
        .grant_from_list(POLICY, YEAR, (POLICY, Grantee::Employer))
        .await
        .unwrap();
    assert_eq!(second.len(), 1);
    assert_eq!(second[0].0, objected.id);
    assert_eq!(
        second[0].1, landed.case_id,
        "the case that landed, not a second one"
    );
    let third = engine
        .grant_from_list(POLICY, YEAR, (POLICY, Grantee::Employer))
        .await
        .unwrap();
    assert!(third.is_empty(), "a rerun makes nothing: {third:?}");

    let list = engine.grant_list(POLICY, YEAR).await.unwrap().unwrap();
    let case_of = |id: &str| list.line(id).unwrap().case_id.clone();
    assert!(case_of(&kept.id).is_some() && case_of(&objected.id).is_some());
    assert_eq!(case_of(&upheld.id), None);
    // Each grant is a case of the employer, and the employer has its message.
    let case = engine
        .store()
        .load_case(&case_of(&kept.id).unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(case.case.item, POLICY);
    let messages = engine.store().messages_to(&kept.id, 10).await.unwrap();
    assert!(!messages.is_empty(), "the employer is told");
}

/// A list of persons (技能提升补贴, one line per certificate, named by the holder's
/// identity number): after the period each line's case is the holder's own, made once.
pub async fn a_list_of_certificates_grants_each_holder_once(w: &World) {
    const SKILL: &str = "skill-upgrade-subsidy";
    let engine = &w.engine;
    let before = engine.today();
    let holder = yichuang_domain::ResidentId::from_parts(330211, jiff::civil::date(1990, 6, 1), 31)
        .unwrap()
        .as_str()
        .to_owned();
    let line = Listed {
        id: "C-77".to_owned(),
        name: holder.clone(),
        region: "330211".to_owned(),
        amount_cents: 200_000,
    };
    w.set_today(jiff::civil::date(2026, 9, 1));
    engine
        .execute_grant_list(
            "pub-skill",
            (SKILL, YEAR),
            ListCommand::Publish {
                policy_hash: "p".to_owned(),
                inputs_digest: "d".to_owned(),
                lines: vec![line.clone()],
                publicity_days: 5,
            },
            SYSTEM,
            None,
        )
        .await
        .unwrap();
    w.set_today(jiff::civil::date(2026, 10, 30));
    let granted = engine
        .grant_from_list(SKILL, YEAR, (SKILL, Grantee::Person))
        .await
        .unwrap();
    assert_eq!(granted.len(), 1);
    assert_eq!(granted[0].0, "C-77");
    let case = engine
        .store()
        .load_case(&granted[0].1)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        case.case.applicant,
        yichuang_domain::case::Applicant::Person(holder.clone()),
        "the holder's own case"
    );
    assert_eq!(case.case.item, SKILL);
    assert!(
        !engine
            .store()
            .messages_to(&holder, 10)
            .await
            .unwrap()
            .is_empty(),
        "the holder is told"
    );
    let again = engine
        .grant_from_list(SKILL, YEAR, (SKILL, Grantee::Person))
        .await
        .unwrap();
    assert!(again.is_empty(), "a rerun makes nothing: {again:?}");
    w.set_today(before);
}
