//! The hall's day through the engine, on both backends: tickets, windows, the routing,
//! the recall lock, aging, request ids and the audit chain.

use jiff::ToSpan;
use yichuang_domain::catalog::Role;
use yichuang_domain::hall::{
    HallCommand, HallCommandKind, HallError, Purpose, SkillLevel, TicketChannel, TicketStatus,
};
use yichuang_engine::{EngineError, HallResponse};
use yichuang_store::{Hall, HallKind, HallWindow, StaffSkill};

use super::{World, staff};

const HALL: &str = "hall-conformance";

async fn set_up(w: &World) {
    let store = w.engine.store();
    if store.hall(HALL).await.unwrap().is_some() {
        return;
    }
    store
        .add_hall(&Hall {
            id: HALL.to_owned(),
            region: "330211".to_owned(),
            name: "镇海区人社服务大厅".to_owned(),
            kind: HallKind::Hall,
            address: "illustrative".to_owned(),
            windows: (1..=3)
                .map(|number| HallWindow {
                    number,
                    label: format!("{number}号窗口"),
                })
                .collect(),
        })
        .await
        .unwrap();
    for (clerk, level) in [
        ("hall-clerk-1", SkillLevel::Master),
        ("hall-clerk-2", SkillLevel::Proficient),
        ("hall-clerk-3", SkillLevel::Aware),
    ] {
        store
            .set_staff_skill(
                clerk,
                &StaffSkill {
                    project: "unemployment-insurance".to_owned(),
                    level,
                    since: "2026-01-05".to_owned(),
                    source: "illustrative training".to_owned(),
                },
            )
            .await
            .unwrap();
    }
}

async fn take(w: &World, item: Option<&str>, person: Option<&str>) -> HallResponse {
    w.engine
        .execute_hall(
            &w.request_id(),
            HALL,
            HallCommand {
                actor: "kiosk".to_owned(),
                kind: HallCommandKind::TakeTicket {
                    item: item.map(str::to_owned),
                    purpose: Purpose::Handle,
                    channel: TicketChannel::Kiosk,
                    person: person.map(str::to_owned),
                    green: None,
                },
            },
        )
        .await
        .unwrap()
}

async fn at_window(
    w: &World,
    clerk: &str,
    kind: HallCommandKind,
) -> Result<HallResponse, EngineError> {
    w.engine
        .execute_hall_as(
            &staff(clerk, Role::Clerk, "330211"),
            &w.request_id(),
            HALL,
            kind,
        )
        .await
}

fn hall_error(result: Result<HallResponse, EngineError>) -> HallError {
    match result {
        Err(EngineError::Hall(e)) => e,
        other => panic!("expected a hall error, got {other:?}"),
    }
}

fn advance(w: &World, minutes: i64) {
    let mut now = w.now.lock().unwrap();
    *now = now.checked_add(minutes.minutes()).unwrap();
}

fn number(r: &HallResponse) -> String {
    r.ticket.as_ref().unwrap().number.clone()
}

const ITEM: &str = "unemployment-benefit-claim";

/// Take, call, finish; two windows calling at once never get the same ticket; a
/// clerk who only knows the project is not given it.
pub async fn tickets_are_called_once_and_by_skill(w: &World) {
    set_up(w).await;
    for (clerk, window) in [
        ("hall-clerk-1", 1),
        ("hall-clerk-2", 2),
        ("hall-clerk-3", 3),
    ] {
        let opened = at_window(
            w,
            clerk,
            HallCommandKind::OpenWindow {
                window,
                clerk_name: String::new(),
                skills: Default::default(),
            },
        )
        .await
        .unwrap();
        assert_eq!(opened.event, "window_opened");
    }
    let signed_on = w.engine.hall_day(HALL, w.engine.today()).await.unwrap();
    assert_eq!(
        signed_on.windows[&3].skills.get("unemployment-insurance"),
        Some(&SkillLevel::Aware),
        "the window takes the clerk's skills from the record"
    );
    let ticket = take(w, Some(ITEM), None).await;
    let ticket_number = number(&ticket);
    assert_eq!(
        ticket.ticket.as_ref().unwrap().status,
        TicketStatus::Waiting
    );
    assert_eq!(
        hall_error(at_window(w, "hall-clerk-3", HallCommandKind::CallNext { window: 3 }).await),
        HallError::NothingToCall { window: 3 }
    );
    let (first, second) = tokio::join!(
        at_window(w, "hall-clerk-1", HallCommandKind::CallNext { window: 1 }),
        at_window(w, "hall-clerk-2", HallCommandKind::CallNext { window: 2 }),
    );
    let called: Vec<&HallResponse> = [&first, &second].into_iter().flatten().collect();
    assert_eq!(
        called.len(),
        1,
        "one ticket is called once: {first:?} {second:?}"
    );
    let window = called[0].ticket.as_ref().unwrap().window.unwrap();
    assert_eq!(number(called[0]), ticket_number);
    let clerk = format!("hall-clerk-{window}");
    let finished = at_window(
        w,
        &clerk,
        HallCommandKind::Finish {
            window,
            case_id: None,
        },
    )
    .await
    .unwrap();
    assert_eq!(finished.ticket.unwrap().status, TicketStatus::Finished);
    assert_eq!(
        hall_error(
            at_window(
                w,
                &clerk,
                HallCommandKind::Finish {
                    window,
                    case_id: None
                }
            )
            .await
        ),
        HallError::NotServing { window }
    );
}

/// A ticket not seen goes back with a five-minute lock; after the last call it is
/// missed. A walk-in past the aging bound goes before a newer green-lane ticket.
pub async fn the_recall_lock_and_aging_hold(w: &World) {
    set_up(w).await;
    let walk_in = number(&take(w, Some(ITEM), None).await);
    at_window(w, "hall-clerk-1", HallCommandKind::CallNext { window: 1 })
        .await
        .unwrap();
    let back = at_window(w, "hall-clerk-1", HallCommandKind::NoShow { window: 1 })
        .await
        .unwrap();
    assert_eq!(back.event, "ticket_requeued");
    assert_eq!(
        hall_error(at_window(w, "hall-clerk-2", HallCommandKind::CallNext { window: 2 }).await),
        HallError::NothingToCall { window: 2 },
        "locked for five minutes after its call"
    );
    // 31 minutes on, an older person arrives; the walk-in has waited past the bound.
    advance(w, 31);
    let green = take(w, Some(ITEM), Some("11010519491231002X")).await;
    assert!(number(&green).starts_with('G'));
    let next = at_window(w, "hall-clerk-2", HallCommandKind::CallNext { window: 2 })
        .await
        .unwrap();
    assert_eq!(number(&next), walk_in, "aging: the walk-in waited longest");
    assert_eq!(next.ticket.as_ref().unwrap().calls, 2);
    at_window(w, "hall-clerk-2", HallCommandKind::Recall { window: 2 })
        .await
        .unwrap();
    assert_eq!(
        hall_error(at_window(w, "hall-clerk-2", HallCommandKind::Recall { window: 2 }).await),
        HallError::CallsUsed {
            number: walk_in.clone(),
            max: 3
        }
    );
    let missed = at_window(w, "hall-clerk-2", HallCommandKind::NoShow { window: 2 })
        .await
        .unwrap();
    assert_eq!(missed.ticket.unwrap().status, TicketStatus::Missed);
    let green_called = at_window(w, "hall-clerk-1", HallCommandKind::CallNext { window: 1 })
        .await
        .unwrap();
    assert_eq!(number(&green_called), number(&green));
    at_window(
        w,
        "hall-clerk-1",
        HallCommandKind::Finish {
            window: 1,
            case_id: None,
        },
    )
    .await
    .unwrap();
}

/// A retry gets the first ticket again; the same id for another request is refused;
/// the day's chain verifies, and an edited event is named.
pub async fn hall_requests_are_idempotent_and_audited(w: &World, url: &str) {
    set_up(w).await;
    let command = HallCommand {
        actor: "kiosk".to_owned(),
        kind: HallCommandKind::TakeTicket {
            item: None,
            purpose: Purpose::Consult,
            channel: TicketChannel::FrontDesk,
            person: None,
            green: None,
        },
    };
    let id = w.request_id();
    let first = w
        .engine
        .execute_hall(&id, HALL, command.clone())
        .await
        .unwrap();
    let again = w
        .engine
        .execute_hall(&id, HALL, command.clone())
        .await
        .unwrap();
    assert_eq!(number(&first), number(&again));
    assert_eq!(first.version, again.version);
    let mut other = command.clone();
    other.kind = HallCommandKind::Return {
        number: number(&first),
    };
    assert!(matches!(
        w.engine.execute_hall(&id, HALL, other).await,
        Err(EngineError::RequestIdReused { .. })
    ));
    let day = w.engine.hall_day(HALL, w.engine.today()).await.unwrap();
    assert_eq!(
        day.tickets
            .iter()
            .filter(|t| t.number == number(&first))
            .count(),
        1,
        "the retry took no second ticket"
    );
    let report = w.engine.store().verify_audit().await.unwrap();
    assert_eq!(report.first_broken, None, "{report:?}");
    assert!(report.streams >= 1);
    let stream = yichuang_domain::hall::HallDay::stream_id(HALL, w.engine.today());
    let tamper = format!(
        "UPDATE stream_events SET event = REPLACE(event, '\"kiosk\"', '\"someone\"') WHERE stream_id = '{stream}' AND seq = 4"
    );
    super::execute_sql(url, &tamper).await;
    let report = w.engine.store().verify_audit().await.unwrap();
    let (subject, problem) = report.first_broken.expect("tampering must be found");
    assert_eq!(subject, stream);
    assert!(problem.contains("event 4 was edited"), "{problem}");
    // Put it back, so the suite's later audit checks start clean.
    super::execute_sql(
        url,
        &tamper.replace("'\"kiosk\"', '\"someone\"'", "'\"someone\"', '\"kiosk\"'"),
    )
    .await;
    let report = w.engine.store().verify_audit().await.unwrap();
    assert_eq!(report.first_broken, None, "{report:?}");
}

fn book(person: &str, slot: jiff::civil::Time) -> yichuang_domain::hall::AppointmentCommandKind {
    yichuang_domain::hall::AppointmentCommandKind::Book {
        slot,
        person: person.to_owned(),
        item: ITEM.to_owned(),
        quota: yichuang_domain::hall::Quota::Public,
        visit: yichuang_domain::hall::Visit::Hall,
    }
}

const PEOPLE: [&str; 4] = [
    "11010519491231002X",
    "110105200001010016",
    "110101199003070935",
    "110101198001010010",
];

/// Four people book the last public place of one slot at once: one gets it. A
/// booking checked in takes a priority-2 ticket that goes before a walk-in who came
/// earlier; the booking names its ticket; the audit replays the bookings.
pub async fn bookings_never_overfill_and_check_in_queues_first(w: &World) {
    set_up(w).await;
    let today = w.engine.today();
    let slot = jiff::civil::Time::constant(16, 30, 0, 0);
    let attempts = PEOPLE.iter().map(|person| {
        let command = yichuang_domain::hall::AppointmentCommand {
            actor: format!("online:{person}"),
            kind: book(person, slot),
        };
        let id = w.request_id();
        let engine = w.engine.clone();
        async move { engine.execute_appointment(&id, HALL, today, command).await }
    });
    let results = futures_join_all(attempts).await;
    let booked: Vec<_> = results.iter().filter_map(|r| r.as_ref().ok()).collect();
    assert_eq!(booked.len(), 1, "one public place: {results:?}");
    assert!(results.iter().filter(|r| r.is_err()).all(|r| matches!(
        r,
        Err(EngineError::Appointment(
            yichuang_domain::hall::AppointmentError::SlotFull { .. }
        ))
    )));
    let code = booked[0].booking.as_ref().unwrap().code.clone();
    // Too early to check in.
    assert!(matches!(
        w.engine.check_in(None, &w.request_id(), HALL, &code).await,
        Err(EngineError::Appointment(
            yichuang_domain::hall::AppointmentError::OutsideCheckIn { .. }
        ))
    ));
    // Just before the slot: a walk-in first, then the booking checked in.
    let now = *w.now.lock().unwrap();
    let slot_time = today
        .at(16, 25, 0, 0)
        .to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::offset(8)))
        .unwrap()
        .timestamp();
    advance(w, (slot_time.as_second() - now.as_second()) / 60);
    let walk_in = number(&take(w, Some(ITEM), None).await);
    let ticket = w
        .engine
        .check_in(None, &w.request_id(), HALL, &code)
        .await
        .unwrap();
    let booked_ticket = ticket.ticket.unwrap();
    assert!(booked_ticket.number.starts_with('B') || booked_ticket.number.starts_with('G'));
    assert_eq!(booked_ticket.booking.as_deref(), Some(code.as_str()));
    let called = at_window(w, "hall-clerk-1", HallCommandKind::CallNext { window: 1 })
        .await
        .unwrap();
    assert_eq!(
        number(&called),
        booked_ticket.number,
        "the booking before {walk_in}"
    );
    at_window(
        w,
        "hall-clerk-1",
        HallCommandKind::Finish {
            window: 1,
            case_id: None,
        },
    )
    .await
    .unwrap();
    let day = w.engine.appointment_day(HALL, today).await.unwrap();
    assert_eq!(
        day.booking(&code).unwrap().ticket.as_deref(),
        Some(booked_ticket.number.as_str())
    );
    let report = w.engine.store().verify_audit().await.unwrap();
    assert_eq!(report.first_broken, None, "{report:?}");
}

/// Runs futures concurrently on the test's runtime (no extra crate for one join).
async fn futures_join_all<F: std::future::Future + Send + 'static>(
    futures: impl Iterator<Item = F>,
) -> Vec<F::Output>
where
    F::Output: Send + 'static,
{
    let handles: Vec<_> = futures.map(tokio::spawn).collect();
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.unwrap());
    }
    out
}

/// A hall's own green-lane rules apply: from 90 here, so a 76-year-old queues as a
/// walk-in, and only disability is admitted as a declared reason.
pub async fn a_halls_green_lane_rules_apply(w: &World) {
    let store = w.engine.store();
    store
        .add_hall(&Hall {
            id: "hall-strict".to_owned(),
            region: "330211".to_owned(),
            name: "illustrative".to_owned(),
            kind: HallKind::BankOutlet,
            address: String::new(),
            windows: vec![HallWindow {
                number: 1,
                label: "1".to_owned(),
            }],
        })
        .await
        .unwrap();
    let mut schedule = store.hall_schedule("hall-strict").await.unwrap();
    schedule.green_lane = Some(yichuang_domain::hall::GreenLanePolicy {
        age_at_least: 90,
        reasons: vec![yichuang_domain::hall::GreenReason::Disability],
    });
    store
        .set_hall_schedule("hall-strict", &schedule)
        .await
        .unwrap();
    let take = |green| HallCommand {
        actor: "kiosk".to_owned(),
        kind: HallCommandKind::TakeTicket {
            item: Some(ITEM.to_owned()),
            purpose: Purpose::Handle,
            channel: TicketChannel::Kiosk,
            person: Some(PEOPLE[0].to_owned()),
            green,
        },
    };
    let older = w
        .engine
        .execute_hall(&w.request_id(), "hall-strict", take(None))
        .await
        .unwrap();
    assert!(
        number(&older).starts_with('A'),
        "76 is under this hall's 90"
    );
    assert!(matches!(
        w.engine
            .execute_hall(
                &w.request_id(),
                "hall-strict",
                take(Some(yichuang_domain::hall::GreenReason::Pregnancy))
            )
            .await,
        Err(EngineError::Hall(HallError::GreenReasonNotAdmitted { .. }))
    ));
    let declared = w
        .engine
        .execute_hall(
            &w.request_id(),
            "hall-strict",
            take(Some(yichuang_domain::hall::GreenReason::Disability)),
        )
        .await
        .unwrap();
    assert!(number(&declared).starts_with('G'));
}

/// A booking leaves a reminder in the outbox for 10:00 (China time) on the working
/// day before the visit, over weekends and holidays; moving the booking replaces it,
/// cancelling takes it back, and a sent one is never taken back.
pub async fn a_booking_is_reminded_the_working_day_before(w: &World) {
    set_up(w).await;
    let person = PEOPLE[3];
    let region = yichuang_domain::RegionCode::parse("330211").ok();
    let today = w.engine.today();
    let calendar = w.engine.calendar();
    let day = calendar.add_working_days(today, 3, region).unwrap();
    let day_before = calendar.add_working_days(today, 2, region).unwrap();
    let due = day_before
        .at(10, 0, 0, 0)
        .to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::offset(8)))
        .unwrap()
        .timestamp();
    let run = |kind| {
        let command = yichuang_domain::hall::AppointmentCommand {
            actor: format!("online:{person}"),
            kind,
        };
        let (engine, id) = (w.engine.clone(), w.request_id());
        async move { engine.execute_appointment(&id, HALL, day, command).await }
    };
    let reminders = || async {
        w.engine
            .store()
            .messages_to(person, 50)
            .await
            .unwrap()
            .into_iter()
            .filter(|m| m.message.kind.name() == "appointment_reminder")
            .collect::<Vec<_>>()
    };
    let nine = jiff::civil::Time::constant(9, 0, 0, 0);
    let booked = run(book(person, nine)).await.unwrap();
    let code = booked.booking.unwrap().code;
    let found = reminders().await;
    assert_eq!(found.len(), 1, "{found:?}");
    let note = found[0].message.appointment.clone().unwrap();
    assert_eq!(
        (note.day, note.slot.as_str(), note.code.as_str()),
        (day, "09:00", code.as_str())
    );
    assert_eq!(note.hall, "镇海区人社服务大厅");
    let store = w.engine.store();
    let due_ids = |at| async move {
        store
            .due_messages(at, 1000)
            .await
            .unwrap()
            .into_iter()
            .filter(|m| m.recipient == person)
            .count()
    };
    assert_eq!(
        due_ids(due - 1.second()).await,
        0,
        "not before 10:00 the day before"
    );
    assert_eq!(
        due_ids(due + 1.second()).await,
        1,
        "due at 10:00 the day before"
    );

    // Moved: the reminder names the new time; the old one is gone.
    let moved = run(yichuang_domain::hall::AppointmentCommandKind::Move {
        code: code.clone(),
        slot: jiff::civil::Time::constant(9, 30, 0, 0),
    })
    .await
    .unwrap();
    let new_code = moved.booking.unwrap().code;
    let found = reminders().await;
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        found[0].message.appointment.as_ref().unwrap().code,
        new_code
    );

    // Cancelled: nothing left to send.
    run(yichuang_domain::hall::AppointmentCommandKind::Cancel { code: new_code })
        .await
        .unwrap();
    assert!(reminders().await.is_empty());
}
