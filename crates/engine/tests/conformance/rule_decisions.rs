//! 智能审批: a rule-decided item is decided by the system right after acceptance, with
//! the rule's hash, the facts' digest and every condition's values; a missing record
//! sends the case to a reviewer with the reason; a reviewer can take an automatic
//! decision up again; a person's decision cannot be; the rule runs once per case.

use jiff::civil::date;
use yichuang_domain::RegionCode;
use yichuang_domain::ResidentId;
use yichuang_domain::case::{
    Actor, ActorRole, Applicant, CaseError, CaseState, CommandKind, EventBody, Submission,
};
use yichuang_domain::catalog::{Channel, Role};
use yichuang_domain::facts::{CardStatus, PersonRecord, PersonStatus, person_facts};
use yichuang_engine::{Request, Response};

use super::{CLERK, REVIEWER, World, accept, case_error};

const ITEM: &str = "social-security-card-activation";

fn person(sequence: u16, card: CardStatus) -> PersonRecord {
    PersonRecord {
        person: ResidentId::from_parts(330211, date(1980, 5, 17), sequence).unwrap(),
        region: RegionCode::parse("330211").unwrap(),
        status: PersonStatus::Employed,
        ui_months: 48,
        card,
    }
}

async fn apply(w: &World, item: &str, who: &ResidentId) -> Response {
    let request = Request::Submit {
        item: item.to_owned(),
        submission: Submission {
            applicant: Applicant::Person(who.as_str().to_owned()),
            agent: None,
            channel: Channel::Window,
            accepting_region: RegionCode::parse("330211").unwrap(),
            handling_region: RegionCode::parse("330211").unwrap(),
            materials: vec!["id-card".to_owned()],
            attachments: Vec::new(),
            commitments: Vec::new(),
        },
        actor: Actor {
            id: "clerk-1".to_owned(),
            role: CLERK,
        },
    };
    w.engine.execute(&w.request_id(), request).await.unwrap()
}

async fn last_event(w: &World, case: &Response) -> EventBody {
    let events = w.engine.events(&case.case_id).await.unwrap();
    events.last().unwrap().event.body.clone()
}

pub async fn a_rule_decides_after_acceptance_and_a_reviewer_can_take_it_up(w: &World) {
    let issued = person(101, CardStatus::Issued);
    let active = person(103, CardStatus::Active);
    let unknown = person(105, CardStatus::Issued);
    w.engine
        .store()
        .import_persons(&[issued.clone(), active.clone()])
        .await
        .unwrap();

    // A card issued and waiting: granted by the system, with the trace.
    let case = apply(w, ITEM, &issued.person).await;
    let accepted = w.run(&case, CLERK, accept()).await.unwrap();
    assert_eq!(
        accepted.event, "accepted",
        "the clerk's answer is the acceptance"
    );
    let now = w.engine.case(&case.case_id).await.unwrap().unwrap();
    assert_eq!(now.state, CaseState::Decided);
    assert_eq!(now.granted, Some(true));
    assert!(now.decided_by_rule);
    let guide_rule = now
        .guide
        .guide
        .decided_by
        .clone()
        .expect("the guide names its rule");
    assert_eq!(guide_rule.policy, "card-activation");
    let events = w.engine.events(&case.case_id).await.unwrap();
    let decided = &events.last().unwrap().event;
    assert_eq!(decided.actor.id, "system");
    assert_eq!(decided.actor.role, ActorRole::Staff(Role::System));
    let EventBody::Decided {
        grant,
        rule: Some(trace),
        legal_basis,
        ..
    } = last_event(w, &case).await
    else {
        panic!("expected a decision with its trace");
    };
    assert!(grant);
    assert_eq!(trace.rule_hash, guide_rule.content_hash);
    assert_eq!(trace.facts_digest, person_facts(&issued).digest());
    assert_eq!(legal_basis, vec!["社会保险经办条例 第七条".to_owned()]);
    assert_eq!(trace.reasons.len(), 1);
    assert!(trace.reasons[0].held);
    assert_eq!(
        trace.reasons[0].values.get("card").map(ToString::to_string),
        Some("\"issued\"".to_owned())
    );

    // Running the rule again does nothing: the case no longer waits for it.
    assert!(
        w.engine
            .decide_by_rule(&case.case_id)
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(w.engine.decide_waiting_by_rule().await.unwrap(), 0);

    // A reviewer takes the automatic decision up and decides themselves; that
    // decision is final here.
    w.run(&case, REVIEWER, CommandKind::StartReview)
        .await
        .unwrap();
    let reviewing = w.engine.case(&case.case_id).await.unwrap().unwrap();
    assert_eq!(reviewing.state, CaseState::InReview);
    assert_eq!(reviewing.granted, None);
    w.run(&case, REVIEWER, super::grant()).await.unwrap();
    assert_eq!(
        case_error(w.run(&case, REVIEWER, CommandKind::StartReview).await),
        CaseError::DecisionFinal
    );

    // A card already active: refused, the failing condition named with its value.
    let case = apply(w, ITEM, &active.person).await;
    w.run(&case, CLERK, accept()).await.unwrap();
    let now = w.engine.case(&case.case_id).await.unwrap().unwrap();
    assert_eq!((now.state, now.granted), (CaseState::Decided, Some(false)));
    let EventBody::Decided {
        reason,
        appeal,
        rule: Some(trace),
        ..
    } = last_event(w, &case).await
    else {
        panic!("expected a refusal with its trace");
    };
    assert!(reason.contains("不符合"), "{reason}");
    assert!(appeal.is_some(), "a refusal states the routes of appeal");
    assert!(!trace.reasons[0].held);

    // No record of the applicant: the case waits for a reviewer, who reads why.
    let case = apply(w, ITEM, &unknown.person).await;
    w.run(&case, CLERK, accept()).await.unwrap();
    let now = w.engine.case(&case.case_id).await.unwrap().unwrap();
    assert_eq!(now.state, CaseState::Accepted);
    let referred = now.referred.clone().expect("a referral with its reason");
    assert!(referred.contains("没有申请人的记录"), "{referred}");
    // Importing the record later does not make the rule run twice: a person decides.
    w.engine
        .store()
        .import_persons(std::slice::from_ref(&unknown))
        .await
        .unwrap();
    assert!(
        w.engine
            .decide_by_rule(&case.case_id)
            .await
            .unwrap()
            .is_none()
    );
    w.run(&case, REVIEWER, CommandKind::StartReview)
        .await
        .unwrap();

    // Only the system records what a rule decided.
    let case = apply(w, ITEM, &issued.person).await;
    let as_reviewer = w
        .run(
            &case,
            ActorRole::Staff(Role::Reviewer),
            CommandKind::ReferToReviewer {
                reason: "自己转给自己".to_owned(),
            },
        )
        .await;
    assert!(matches!(
        case_error(as_reviewer),
        CaseError::NotAllowed { .. } | CaseError::RoleNotAllowed { .. }
    ));
}

/// A process whose catalog no longer holds the rule the case's guide names (the
/// rule changed since the case was submitted) does not guess: it refers the case,
/// saying so; and the sweep at start finds nothing left waiting.
pub async fn a_rule_gone_from_the_catalog_refers_the_case(w: &World, url: &str) {
    let waiting = person(107, CardStatus::Issued);
    w.engine
        .store()
        .import_persons(std::slice::from_ref(&waiting))
        .await
        .unwrap();
    let case = apply(w, ITEM, &waiting.person).await;
    let mut catalog = yichuang_catalog::builtin().unwrap().catalog;
    catalog.decision_rules.clear();
    let other = super::engine_on(url, catalog).await;
    let current = other.case(&case.case_id).await.unwrap().unwrap();
    let answer = other
        .execute(
            &w.request_id(),
            Request::Command {
                case_id: case.case_id.clone(),
                command: yichuang_domain::case::Command {
                    expected_version: current.version,
                    actor: Actor {
                        id: "clerk-1".to_owned(),
                        role: CLERK,
                    },
                    kind: accept(),
                },
            },
        )
        .await
        .unwrap();
    assert_eq!(answer.event, "accepted");
    let now = w.engine.case(&case.case_id).await.unwrap().unwrap();
    assert_eq!(now.state, CaseState::Accepted);
    let referred = now.referred.expect("referred with the reason");
    assert!(referred.contains("card-activation"), "{referred}");
    assert_eq!(w.engine.decide_waiting_by_rule().await.unwrap(), 0);
}
