//! Complaints through the engine, on both backends: the office is read from what the
//! complaint points at, the reply deadline counts working days over National Day and
//! its 调休 Saturday, two answers at once land once, the person complained about never
//! answers, an unsatisfying answer goes to the city, and the lists and the
//! complainant's message are written with the events.

use yichuang_domain::catalog::Role;
use yichuang_domain::complaint::{
    Complainant, ComplaintChannel, ComplaintCommandKind, ComplaintError, Target, Verdict,
};
use yichuang_domain::hall::TicketStatus;
use yichuang_engine::{ComplaintResponse, EngineError};

use super::{World, staff};

const PERSON: &str = "11010519491231002X";
const HALL: &str = "hall-conformance";

fn complaint_error(result: Result<ComplaintResponse, EngineError>) -> ComplaintError {
    match result {
        Err(EngineError::Complaint(e)) => e,
        other => panic!("expected a complaint error, got {other:?}"),
    }
}

fn reply(text: &str) -> ComplaintCommandKind {
    ComplaintCommandKind::Reply {
        text: text.to_owned(),
    }
}

pub async fn a_complaint_is_answered_once_and_goes_up_when_unsatisfied(w: &World) {
    let engine = &w.engine;
    let ticket_day = engine.today();
    let hall_day = engine.hall_day(HALL, ticket_day).await.unwrap();
    let finished = hall_day
        .tickets
        .iter()
        .find(|t| t.status == TicketStatus::Finished)
        .expect("the hall tests finished a ticket");
    let clerk_id = finished.served_by.clone().expect("served by a clerk");
    let region = engine.store().hall(HALL).await.unwrap().unwrap().region;
    let city = format!("{}00", &region[..4]);

    // Filed the day before National Day: five working days are 8, 9, 10 (the 调休
    // Saturday), 12 and 13 October.
    w.set_today(jiff::civil::date(2026, 9, 30));
    let target = Target::Ticket {
        hall: HALL.to_owned(),
        day: ticket_day,
        number: finished.number.clone(),
    };
    let file = ComplaintCommandKind::File {
        target: target.clone(),
        channel: ComplaintChannel::Online,
        complainant: Complainant {
            party: None,
            name: String::new(),
            phone: String::new(),
        },
        text: "窗口人员态度生硬".to_owned(),
    };
    let actor = format!("online:{PERSON}");
    let filed = engine
        .execute_complaint(&w.request_id(), "TS-C1", file.clone(), &actor, None)
        .await
        .unwrap();
    assert_eq!(filed.state, "open");
    let complaint = engine.complaint("TS-C1").await.unwrap().unwrap();
    assert_eq!(complaint.region, region);
    assert_eq!(complaint.served_by.as_deref(), Some(clerk_id.as_str()));
    assert_eq!(complaint.reply_by, Some(jiff::civil::date(2026, 10, 13)));
    // The number is the complaint: a second filing under it is refused.
    let again = engine
        .execute_complaint(&w.request_id(), "TS-C1", file, &actor, None)
        .await;
    assert_eq!(complaint_error(again), ComplaintError::AlreadyFiled);
    // A ticket that was never called cannot be complained about by number.
    let unknown = engine
        .execute_complaint(
            &w.request_id(),
            "TS-C2",
            ComplaintCommandKind::File {
                target: Target::Ticket {
                    hall: HALL.to_owned(),
                    day: ticket_day,
                    number: "Z999".to_owned(),
                },
                channel: ComplaintChannel::Online,
                complainant: Complainant {
                    party: None,
                    name: String::new(),
                    phone: String::new(),
                },
                text: "x".to_owned(),
            },
            &actor,
            None,
        )
        .await;
    assert!(matches!(unknown, Err(EngineError::UnknownTarget { .. })));

    let listed = engine.store().complaints(&region, false, 50).await.unwrap();
    let row = listed.iter().find(|r| r.number == "TS-C1").expect("listed");
    assert_eq!(
        (row.state.as_str(), row.target.as_str()),
        ("open", "ticket")
    );
    assert_eq!(row.reply_by, "2026-10-13");
    let mine = engine.store().complaints_of(PERSON, 50).await.unwrap();
    assert!(mine.iter().any(|r| r.number == "TS-C1"));

    // A clerk may write complaints down but not answer them; the clerk complained
    // about may not answer even as a supervisor.
    let clerk = staff("clerk-x", Role::Clerk, &region);
    assert!(matches!(
        engine
            .execute_complaint(&w.request_id(), "TS-C1", reply("好"), "", Some(&clerk))
            .await,
        Err(EngineError::Forbidden(_))
    ));
    let themselves = staff(&clerk_id, Role::Supervisor, &region);
    let own = engine
        .execute_complaint(
            &w.request_id(),
            "TS-C1",
            reply("不是我"),
            "",
            Some(&themselves),
        )
        .await;
    assert_eq!(complaint_error(own), ComplaintError::OwnComplaint);

    // Two supervisors answer at once: one answer lands.
    let (a, b) = (
        staff("sup-a", Role::Supervisor, &region),
        staff("sup-b", Role::Supervisor, &region),
    );
    let (ra, rb) = (w.request_id(), w.request_id());
    let (first, second) = tokio::join!(
        engine.execute_complaint(&ra, "TS-C1", reply("已约谈"), "", Some(&a)),
        engine.execute_complaint(&rb, "TS-C1", reply("已批评教育"), "", Some(&b)),
    );
    assert_eq!(
        [first.is_ok(), second.is_ok()]
            .iter()
            .filter(|ok| **ok)
            .count(),
        1,
        "{first:?} {second:?}"
    );
    let refused = if first.is_ok() { second } else { first };
    assert_eq!(complaint_error(refused), ComplaintError::AlreadyReplied);
    let complaint = engine.complaint("TS-C1").await.unwrap().unwrap();
    assert_eq!(complaint.replies.len(), 1);
    // The complainant is told, once, in the same commit.
    let told = engine.store().messages_to(PERSON, 100).await.unwrap();
    assert_eq!(
        told.iter()
            .filter(|m| m.message.complaint.as_deref() == Some("TS-C1"))
            .count(),
        1
    );

    // Not satisfied: it goes to the city, where the county's supervisor cannot act.
    w.set_today(jiff::civil::date(2026, 10, 14));
    let judged = engine
        .execute_complaint(
            &w.request_id(),
            "TS-C1",
            ComplaintCommandKind::Judge {
                verdict: Verdict::Unsatisfied,
            },
            &actor,
            None,
        )
        .await
        .unwrap();
    assert_eq!(judged.state, "open");
    let county = engine
        .execute_complaint(&w.request_id(), "TS-C1", reply("再说明"), "", Some(&a))
        .await;
    assert!(
        matches!(county, Err(EngineError::Forbidden(_))),
        "{county:?}"
    );
    let city_sup = staff("sup-city", Role::Supervisor, &city);
    engine
        .execute_complaint(
            &w.request_id(),
            "TS-C1",
            ComplaintCommandKind::Take,
            "",
            Some(&city_sup),
        )
        .await
        .unwrap();
    engine
        .execute_complaint(
            &w.request_id(),
            "TS-C1",
            reply("市局复核：已整改"),
            "",
            Some(&city_sup),
        )
        .await
        .unwrap();
    // Someone else's verdict is refused; the complainant's closes it.
    let stranger = engine
        .execute_complaint(
            &w.request_id(),
            "TS-C1",
            ComplaintCommandKind::Judge {
                verdict: Verdict::Satisfied,
            },
            "online:110105195001010011",
            None,
        )
        .await;
    assert_eq!(complaint_error(stranger), ComplaintError::NotTheirs);
    engine
        .execute_complaint(
            &w.request_id(),
            "TS-C1",
            ComplaintCommandKind::Judge {
                verdict: Verdict::Satisfied,
            },
            &actor,
            None,
        )
        .await
        .unwrap();
    let open = engine.store().complaints(&region, false, 50).await.unwrap();
    assert!(
        open.iter().all(|r| r.number != "TS-C1"),
        "closed leaves the list"
    );
    let all = engine.store().complaints(&region, true, 50).await.unwrap();
    let row = all.iter().find(|r| r.number == "TS-C1").unwrap();
    assert_eq!(
        (row.state.as_str(), row.round, row.verdict.as_str()),
        ("closed", 1, "satisfied")
    );
    // The stored complaint is what its events replay to (the audit checks this).
    let events = engine
        .store()
        .stream_events("complaints/TS-C1")
        .await
        .unwrap();
    assert_eq!(events.len(), 6);
    w.set_today(ticket_day);
}
