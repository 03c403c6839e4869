//! Bookings as a state machine: random books, cancels and time passing, from people
//! online and staff. However they interleave, no slot holds more bookings than its
//! quota, nobody holds more than the day's limit, a cancelled place comes back only
//! after the release delay, and the day replayed from its events is the day.

use jiff::civil::{Time, date};
use jiff::{SignedDuration, Timestamp};
use proptest::prelude::*;
use yichuang_domain::hall::{
    AppointmentCommand, AppointmentCommandKind, AppointmentContext, AppointmentDay,
    AppointmentEvent, AppointmentEventBody, BookingStatus, Quota, Schedule, Visit,
    decide_appointment,
};

const PEOPLE: [&str; 4] = [
    "11010519491231002X",
    "110105200001010016",
    "110101199003070935",
    "110101198001010010",
];

#[derive(Debug, Clone)]
enum Step {
    Book {
        person: usize,
        slot: usize,
        online: bool,
    },
    Cancel {
        booking: usize,
        by_owner: bool,
    },
    Move {
        booking: usize,
        slot: usize,
        by_owner: bool,
    },
    Wait(i64),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => (0..PEOPLE.len(), 0usize..3, any::<bool>()).prop_map(|(person, slot, online)| Step::Book { person, slot, online }),
        1 => (0usize..10, any::<bool>()).prop_map(|(booking, by_owner)| Step::Cancel { booking, by_owner }),
        1 => (0usize..10, 0usize..3, any::<bool>()).prop_map(|(booking, slot, by_owner)| Step::Move { booking, slot, by_owner }),
        1 => (1i64..20).prop_map(Step::Wait),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn no_slot_is_overbooked(steps in proptest::collection::vec(step(), 1..60)) {
        let schedule = Schedule::default();
        let slots = schedule.slots();
        let day = date(2026, 12, 1);
        let today = date(2026, 11, 30);
        let mut at: Timestamp = "2026-11-30T02:00:00Z".parse().unwrap();
        let mut state = AppointmentDay::new("hall-1", day);
        let mut events: Vec<AppointmentEvent> = Vec::new();
        let exists = |_: &str| true;
        for step in &steps {
            let (actor, kind) = match step {
                Step::Wait(minutes) => {
                    at += SignedDuration::from_mins(*minutes);
                    continue;
                }
                Step::Book { person, slot, online } => (
                    if *online { format!("online:{}", PEOPLE[*person]) } else { "clerk-1".to_owned() },
                    AppointmentCommandKind::Book {
                        slot: slots[*slot],
                        person: PEOPLE[*person].to_owned(),
                        item: "x".to_owned(),
                        quota: Quota::Intern,
                        visit: Visit::Hall,
                    },
                ),
                Step::Cancel { booking, by_owner } => {
                    let Some(b) = state.bookings.get(*booking) else { continue };
                    (
                        if *by_owner { format!("online:{}", b.person) } else { "online:someone-else".to_owned() },
                        AppointmentCommandKind::Cancel { code: b.code.clone() },
                    )
                }
                Step::Move { booking, slot, by_owner } => {
                    let Some(b) = state.bookings.get(*booking) else { continue };
                    (
                        if *by_owner { format!("online:{}", b.person) } else { "online:someone-else".to_owned() },
                        AppointmentCommandKind::Move { code: b.code.clone(), slot: slots[*slot] },
                    )
                }
            };
            let ctx = AppointmentContext { at, today, schedule: &schedule, working_day: true, item_exists: &exists };
            let command = AppointmentCommand { actor: actor.clone(), kind };
            let Ok(event) = decide_appointment(&state, &command, &ctx) else { continue };
            if let AppointmentEventBody::Cancelled { code } | AppointmentEventBody::Moved { code, .. } = &event.body {
                let owner = state.booking(code).map(|b| format!("online:{}", b.person));
                prop_assert_eq!(Some(actor.clone()), owner, "only the owner cancels or moves online");
            }
            state.apply(&event);
            events.push(event);
            for slot in &slots {
                for quota in [Quota::Public, Quota::Intern] {
                    let holding = state.bookings.iter().filter(|b| {
                        b.slot == *slot && b.quota == quota && match (b.status, b.cancelled_at) {
                            (BookingStatus::Cancelled, Some(c)) => at < c + SignedDuration::from_mins(schedule.release_minutes),
                            (BookingStatus::Cancelled, None) => false,
                            _ => true,
                        }
                    }).count() as u32;
                    prop_assert!(holding <= schedule.capacity(quota), "{slot} {quota:?} holds {holding}");
                }
            }
            for person in PEOPLE {
                let open = state.bookings.iter().filter(|b| b.person == person && b.status != BookingStatus::Cancelled).count() as u32;
                prop_assert!(open <= schedule.per_person_per_day);
            }
        }
        prop_assert_eq!(AppointmentDay::replay("hall-1", day, &events), state);
    }
}

#[test]
fn online_bookings_take_the_public_quota_and_a_cancelled_place_waits_before_it_frees() {
    let schedule = Schedule::default();
    let slot = Time::constant(9, 0, 0, 0);
    let mut at: Timestamp = "2026-11-30T02:00:00Z".parse().unwrap();
    let mut state = AppointmentDay::new("hall-1", date(2026, 12, 1));
    let exists = |_: &str| true;
    let run = |state: &mut AppointmentDay, actor: &str, kind, at| {
        let ctx = AppointmentContext {
            at,
            today: date(2026, 11, 30),
            schedule: &schedule,
            working_day: true,
            item_exists: &exists,
        };
        let event = decide_appointment(
            state,
            &AppointmentCommand {
                actor: actor.to_owned(),
                kind,
            },
            &ctx,
        )
        .map_err(|e| e.code())?;
        state.apply(&event);
        Ok::<_, &str>(event)
    };
    let book = |person: &str| AppointmentCommandKind::Book {
        slot,
        person: person.to_owned(),
        item: "x".to_owned(),
        quota: Quota::Intern,
        visit: Visit::Hall,
    };
    let first = run(
        &mut state,
        &format!("online:{}", PEOPLE[0]),
        book(PEOPLE[0]),
        at,
    )
    .unwrap();
    let AppointmentEventBody::Booked { booking } = &first.body else {
        panic!()
    };
    assert_eq!(
        booking.quota,
        Quota::Public,
        "online is always the public quota"
    );
    assert_eq!(
        run(
            &mut state,
            &format!("online:{}", PEOPLE[1]),
            book(PEOPLE[1]),
            at
        )
        .unwrap_err(),
        "slot_full"
    );
    // Staff still have the internal place for a caller.
    run(&mut state, "clerk-1", book(PEOPLE[1]), at).unwrap();
    run(
        &mut state,
        &format!("online:{}", PEOPLE[0]),
        AppointmentCommandKind::Cancel {
            code: booking.code.clone(),
        },
        at,
    )
    .unwrap();
    at += SignedDuration::from_mins(10);
    assert_eq!(
        run(
            &mut state,
            &format!("online:{}", PEOPLE[2]),
            book(PEOPLE[2]),
            at
        )
        .unwrap_err(),
        "slot_full",
        "held for 30 minutes"
    );
    at += SignedDuration::from_mins(21);
    run(
        &mut state,
        &format!("online:{}", PEOPLE[2]),
        book(PEOPLE[2]),
        at,
    )
    .unwrap();
    // Closed days and past days are refused.
    let ctx = AppointmentContext {
        at,
        today: date(2026, 11, 30),
        schedule: &schedule,
        working_day: false,
        item_exists: &exists,
    };
    let refused = decide_appointment(
        &state,
        &AppointmentCommand {
            actor: "clerk-1".to_owned(),
            kind: book(PEOPLE[3]),
        },
        &ctx,
    );
    assert_eq!(refused.map_err(|e| e.code()).unwrap_err(), "closed");
}

#[test]
fn a_move_takes_the_new_place_and_keeps_the_old_one_only_for_the_release_delay() {
    let schedule = Schedule::default();
    let (nine, ten) = (Time::constant(9, 0, 0, 0), Time::constant(9, 10, 0, 0));
    let at: Timestamp = "2026-11-30T02:00:00Z".parse().unwrap();
    let mut state = AppointmentDay::new("hall-1", date(2026, 12, 1));
    let exists = |_: &str| true;
    let run = |state: &AppointmentDay, actor: &str, kind, at| {
        let ctx = AppointmentContext {
            at,
            today: date(2026, 11, 30),
            schedule: &schedule,
            working_day: true,
            item_exists: &exists,
        };
        let command = AppointmentCommand {
            actor: actor.to_owned(),
            kind,
        };
        decide_appointment(state, &command, &ctx)
    };
    let book = |slot, person: &str| AppointmentCommandKind::Book {
        slot,
        person: person.to_owned(),
        item: "x".to_owned(),
        quota: Quota::Public,
        visit: Visit::Hall,
    };
    let (mine, theirs) = (PEOPLE[0], PEOPLE[1]);
    let event = run(&state, &format!("online:{mine}"), book(nine, mine), at).unwrap();
    state.apply(&event);
    let event = run(&state, &format!("online:{theirs}"), book(ten, theirs), at).unwrap();
    state.apply(&event);

    // 09:10 is full: the move is refused and the booking at 09:00 stays as it was.
    let moving = |slot| AppointmentCommandKind::Move {
        code: "Y0900-1".to_owned(),
        slot,
    };
    let refused = run(&state, &format!("online:{mine}"), moving(ten), at).unwrap_err();
    assert_eq!(refused.code(), "slot_full");
    assert_eq!(
        state.booking("Y0900-1").unwrap().status,
        BookingStatus::Booked
    );

    // Someone else cannot move it.
    let refused = run(
        &state,
        &format!("online:{theirs}"),
        moving(Time::constant(9, 20, 0, 0)),
        at,
    )
    .unwrap_err();
    assert_eq!(refused.code(), "not_yours");

    // Moved to 09:20: one event, the new booking and the old one cancelled.
    let event = run(
        &state,
        &format!("online:{mine}"),
        moving(Time::constant(9, 20, 0, 0)),
        at,
    )
    .unwrap();
    assert_eq!(event.body.name(), "moved");
    state.apply(&event);
    let moved = state.booking("Y0920-1").unwrap();
    assert_eq!(
        (moved.person.as_str(), moved.status),
        (mine, BookingStatus::Booked)
    );
    assert_eq!(
        state.booking("Y0900-1").unwrap().status,
        BookingStatus::Cancelled
    );
    // The 09:00 place is held for the release delay, then free again.
    assert_eq!(state.free(nine, Quota::Public, &schedule, at), 0);
    let later = at + SignedDuration::from_mins(schedule.release_minutes);
    assert_eq!(state.free(nine, Quota::Public, &schedule, later), 1);
    // A cancelled booking cannot be moved again.
    let refused = run(
        &state,
        &format!("online:{mine}"),
        moving(Time::constant(9, 30, 0, 0)),
        later,
    )
    .unwrap_err();
    assert_eq!(refused.code(), "not_open");
}
