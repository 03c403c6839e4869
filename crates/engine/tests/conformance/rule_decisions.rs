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

/// The three applicants of a rule's outcomes, sequence numbers from `first` by twos:
/// a card issued and one active, both in the register, and an issued one not in it.
async fn three_applicants(w: &World, first: u16) -> (PersonRecord, PersonRecord, PersonRecord) {
    let issued = person(first, CardStatus::Issued);
    let active = person(first + 2, CardStatus::Active);
    let unknown = person(first + 4, CardStatus::Issued);
    w.engine
        .store()
        .import_persons(&[issued.clone(), active.clone()])
        .await
        .unwrap();
    (issued, active, unknown)
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
    let (issued, active, unknown) = three_applicants(w, 101).await;

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

/// Applies for `item` without staff (on a phone), handing in `materials`.
async fn apply_online(w: &World, item: &str, who: &ResidentId, materials: &[&str]) -> Response {
    let request = Request::Submit {
        item: item.to_owned(),
        submission: Submission {
            applicant: Applicant::Person(who.as_str().to_owned()),
            agent: None,
            channel: Channel::Mobile,
            accepting_region: RegionCode::parse("330211").unwrap(),
            handling_region: RegionCode::parse("330211").unwrap(),
            materials: materials.iter().map(|m| (*m).to_owned()).collect(),
            attachments: Vec::new(),
            commitments: Vec::new(),
        },
        actor: Actor {
            id: who.as_str().to_owned(),
            role: ActorRole::Applicant,
        },
    };
    w.engine.execute(&w.request_id(), request).await.unwrap()
}

/// 自动受理 and 自动出具结果: an online application with every material is accepted by
/// the system, decided by the rule and delivered electronically (a refusal too); one
/// missing a material waits for staff; one the register lacks is accepted and referred.
/// The system may accept nothing else and deliver nothing else.
pub async fn an_online_application_is_accepted_decided_and_delivered_by_the_system(w: &World) {
    let (issued, active, unknown) = three_applicants(w, 107).await;
    let system = |kind: CommandKind| (ActorRole::Staff(Role::System), kind);

    let granted = apply_online(w, ITEM, &issued.person, &["id-card"]).await;
    assert_eq!(
        granted.event, "submitted",
        "the applicant's answer is the submission"
    );
    let now = w.engine.case(&granted.case_id).await.unwrap().unwrap();
    assert_eq!(now.state, CaseState::Completed);
    assert_eq!(now.granted, Some(true));
    assert_eq!(
        now.delivery.as_ref().map(|d| d.method.as_str()),
        Some(yichuang_domain::case::ELECTRONIC_DELIVERY)
    );
    let events = w.engine.events(&granted.case_id).await.unwrap();
    let steps: Vec<(&str, &str)> = events
        .iter()
        .map(|e| (e.event.body.name(), e.event.actor.id.as_str()))
        .collect();
    assert_eq!(
        steps,
        [
            ("submitted", issued.person.as_str()),
            ("accepted", "system"),
            ("decided", "system"),
            ("completed", "system"),
        ]
    );

    // A refusal by the rule is delivered as well.
    let refused = apply_online(w, ITEM, &active.person, &["id-card"]).await;
    let now = w.engine.case(&refused.case_id).await.unwrap().unwrap();
    assert_eq!(
        (now.state, now.granted),
        (CaseState::Completed, Some(false))
    );

    // A material missing: staff act next (a one-time notice), nothing automatic.
    let incomplete = apply_online(w, ITEM, &issued.person, &[]).await;
    let now = w.engine.case(&incomplete.case_id).await.unwrap().unwrap();
    assert_eq!(now.state, CaseState::Submitted);

    // Not in the register: accepted by the system, then referred with the reason.
    let unregistered = apply_online(w, ITEM, &unknown.person, &["id-card"]).await;
    let now = w.engine.case(&unregistered.case_id).await.unwrap().unwrap();
    assert_eq!(now.state, CaseState::Accepted);
    assert!(now.referred.is_some());

    // The system accepts nothing that came in at a window, and delivers nothing a
    // person must deliver.
    let at_window = apply(w, ITEM, &issued.person).await;
    let (role, kind) = system(accept());
    let refused_accept = w.run(&at_window, role, kind).await;
    assert!(
        matches!(case_error(refused_accept), CaseError::NotAutomatic { .. }),
        "a window's application is the clerk's to accept"
    );
    let (role, kind) = system(CommandKind::Accept {
        provisional: vec!["id-card".to_owned()],
        commitments: Vec::new(),
        supply_within_days: 5,
    });
    assert!(matches!(
        case_error(w.run(&incomplete, role, kind).await),
        CaseError::NotAutomatic { .. }
    ));
    w.run(&at_window, CLERK, accept()).await.unwrap();
    let (role, kind) = system(CommandKind::Complete {
        method: "电子送达".to_owned(),
    });
    assert!(
        matches!(
            case_error(w.run(&at_window, role, kind).await),
            CaseError::NotAutomatic { .. }
        ),
        "a window's decision is delivered by staff"
    );
    // Nothing is left waiting for the system.
    assert_eq!(w.engine.decide_waiting_by_rule().await.unwrap(), 0);
}
