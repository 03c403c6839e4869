//! The hall's day as a state machine: random sequences of commands from clerks at
//! three windows and from the kiosk, with time moving on. Whatever happens, every
//! ticket is finished at most once, a window serves one ticket at a time and only
//! what its clerk's skills allow, "call next" takes the best-ranked ticket the window
//! may call, and the day replayed from its events is the day.

use jiff::{Timestamp, ToSpan};
use proptest::prelude::*;
use yichuang_domain::hall::{
    Aging, GreenLanePolicy, HallCommand, HallCommandKind, HallContext, HallDay, HallEvent,
    HallEventBody, Priority, Purpose, SkillLevel, Skills, TicketChannel, TicketStatus, callable,
    decide, may_serve,
};

const WINDOWS: [u32; 3] = [1, 2, 3];

fn project_of(item: &str) -> Option<String> {
    match item {
        "pension" | "card" => Some("social_insurance".to_owned()),
        "job" => Some("employment".to_owned()),
        _ => None,
    }
}

fn skills(levels: (Option<SkillLevel>, Option<SkillLevel>)) -> Skills {
    let mut skills = Skills::new();
    if let Some(l) = levels.0 {
        skills.insert("social_insurance".to_owned(), l);
    }
    if let Some(l) = levels.1 {
        skills.insert("employment".to_owned(), l);
    }
    skills
}

#[derive(Debug, Clone)]
enum Step {
    Open(u32, (Option<SkillLevel>, Option<SkillLevel>)),
    Close(u32),
    Take(Option<&'static str>, bool, bool),
    Call(u32),
    Recall(u32),
    NoShow(u32),
    Park(u32),
    Return(u32),
    Transfer(u32, Option<&'static str>, Option<u32>),
    Finish(u32),
    Wait(i64),
}

fn level() -> impl Strategy<Value = Option<SkillLevel>> {
    prop_oneof![
        Just(None),
        Just(Some(SkillLevel::Aware)),
        Just(Some(SkillLevel::Proficient)),
        Just(Some(SkillLevel::Master)),
    ]
}

fn item() -> impl Strategy<Value = Option<&'static str>> {
    prop_oneof![
        Just(None),
        Just(Some("pension")),
        Just(Some("card")),
        Just(Some("job"))
    ]
}

fn window() -> impl Strategy<Value = u32> {
    1u32..=3
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (window(), (level(), level())).prop_map(|(w, l)| Step::Open(w, l)),
        window().prop_map(Step::Close),
        (item(), any::<bool>(), any::<bool>()).prop_map(|(i, c, g)| Step::Take(i, c, g)),
        window().prop_map(Step::Call),
        window().prop_map(Step::Call),
        window().prop_map(Step::Recall),
        window().prop_map(Step::NoShow),
        window().prop_map(Step::Park),
        (1u32..20).prop_map(Step::Return),
        (window(), item(), proptest::option::of(window()))
            .prop_map(|(w, i, t)| Step::Transfer(w, i, t)),
        window().prop_map(Step::Finish),
        window().prop_map(Step::Finish),
        (1i64..900).prop_map(Step::Wait),
    ]
}

fn command(step: &Step, day: &HallDay) -> Option<HallCommand> {
    let clerk = |w: u32| format!("clerk-{w}");
    let (actor, kind) = match step.clone() {
        Step::Open(w, l) => (
            clerk(w),
            HallCommandKind::OpenWindow {
                window: w,
                clerk_name: clerk(w),
                skills: skills(l),
            },
        ),
        Step::Close(w) => (clerk(w), HallCommandKind::CloseWindow { window: w }),
        Step::Take(item, consult, green) => (
            "kiosk".to_owned(),
            HallCommandKind::TakeTicket {
                item: item.map(str::to_owned),
                purpose: if consult {
                    Purpose::Consult
                } else {
                    Purpose::Handle
                },
                channel: TicketChannel::Kiosk,
                person: None,
                green: green.then_some(yichuang_domain::hall::GreenReason::Disability),
            },
        ),
        Step::Call(w) => (clerk(w), HallCommandKind::CallNext { window: w }),
        Step::Recall(w) => (clerk(w), HallCommandKind::Recall { window: w }),
        Step::NoShow(w) => (clerk(w), HallCommandKind::NoShow { window: w }),
        Step::Park(w) => (clerk(w), HallCommandKind::Park { window: w }),
        Step::Return(n) => {
            let number = day
                .tickets
                .get(n as usize % day.tickets.len().max(1))?
                .number
                .clone();
            ("front-desk".to_owned(), HallCommandKind::Return { number })
        }
        Step::Transfer(w, item, to) => (
            clerk(w),
            HallCommandKind::Transfer {
                window: w,
                item: item.map(str::to_owned),
                to_window: to,
            },
        ),
        Step::Finish(w) => (
            clerk(w),
            HallCommandKind::Finish {
                window: w,
                case_id: None,
            },
        ),
        Step::Wait(_) => return None,
    };
    Some(HallCommand { actor, kind })
}

fn rank(day: &HallDay, number: &str, at: Timestamp, aging: Aging) -> (Priority, i64, u32) {
    let t = day.ticket(number).expect("ticket");
    let aged = at.as_second() - t.queued_at.as_second() >= aging.bound_seconds;
    let priority = if aged {
        Priority::GreenLane
    } else {
        t.priority
    };
    let seq = t.number[1..].parse().expect("number");
    (priority, t.queued_at.as_second(), seq)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn the_hall_day_keeps_its_invariants(steps in proptest::collection::vec(step(), 1..120)) {
        let policy = GreenLanePolicy::default();
        let aging = Aging::default();
        let mut at: Timestamp = "2026-11-30T01:00:00Z".parse().expect("time");
        let today = jiff::civil::date(2026, 11, 30);
        let mut day = HallDay::new("hall-1", today);
        let mut events: Vec<HallEvent> = Vec::new();
        // Waits counted for the figures: once per ticket ever called, however often it
        // is recalled, returned or transferred.
        let mut waited = 0usize;
        for step in &steps {
            if let Step::Wait(seconds) = step {
                at = at.checked_add(seconds.seconds()).expect("time");
                continue;
            }
            at = at.checked_add(5.seconds()).expect("time");
            let Some(command) = command(step, &day) else { continue };
            let ctx = HallContext {
                at,
                today,
                windows: &WINDOWS,
                green: &policy,
                aging,
                project_of: &project_of,
            };
            let before = day.clone();
            let Ok(event) = decide(&day, &command, &ctx) else { continue };
            prop_assert_eq!(event.seq, day.version + 1);
            if let HallEventBody::TicketCalled { number, window, call } = &event.body {
                let session = before.windows.get(window).expect("an open window calls");
                let ticket = before.ticket(number).expect("a ticket of the day");
                prop_assert!(may_serve(&session.skills, ticket), "{} may not serve {}", window, number);
                prop_assert!(*call >= 1 && *call <= yichuang_domain::hall::MAX_CALLS);
                if matches!(command.kind, HallCommandKind::CallNext { .. }) {
                    let chosen = rank(&before, number, at, aging);
                    for other in callable(&before, *window, &session.skills, at) {
                        prop_assert!(chosen <= rank(&before, &other.number, at, aging),
                            "{} was called before {}", number, other.number);
                    }
                }
            }
            waited += yichuang_domain::hall::wait_tally(&before, &event, "330211")
                .iter()
                .filter(|t| t.name == "called" && t.key.starts_with("halls|region|"))
                .count();
            day.apply(&event);
            events.push(event);
            for w in WINDOWS {
                let serving = day.tickets.iter()
                    .filter(|t| t.status == TicketStatus::Called && t.window == Some(w))
                    .count();
                prop_assert!(serving <= 1, "window {} serves {} tickets", w, serving);
                if serving == 1 {
                    prop_assert!(day.windows.contains_key(&w), "closed window {} serves", w);
                }
            }
        }
        let mut finished = std::collections::HashMap::new();
        for e in &events {
            if let HallEventBody::TicketFinished { number, .. } = &e.body {
                *finished.entry(number.clone()).or_insert(0) += 1;
            }
        }
        prop_assert!(finished.values().all(|n| *n == 1), "finished twice: {:?}", finished);
        let called = day.tickets.iter().filter(|t| t.first_called_at.is_some()).count();
        prop_assert_eq!(waited, called, "a wait counted twice or missed");
        let replayed = HallDay::replay("hall-1", today, &events);
        prop_assert_eq!(replayed, day);
    }
}

/// A short day at one window, step by step.
struct Hall {
    day: HallDay,
    at: Timestamp,
    policy: GreenLanePolicy,
}

impl Hall {
    fn new() -> Hall {
        Hall {
            day: HallDay::new("hall-1", jiff::civil::date(2026, 11, 30)),
            at: "2026-11-30T01:00:00Z".parse().expect("time"),
            policy: GreenLanePolicy::default(),
        }
    }

    fn run(&mut self, actor: &str, kind: HallCommandKind) -> Result<HallEventBody, String> {
        self.at = self.at.checked_add(10.seconds()).expect("time");
        let ctx = HallContext {
            at: self.at,
            today: self.day.day,
            windows: &WINDOWS,
            green: &self.policy,
            aging: Aging::default(),
            project_of: &project_of,
        };
        let command = HallCommand {
            actor: actor.to_owned(),
            kind,
        };
        let event = decide(&self.day, &command, &ctx).map_err(|e| e.code().to_owned())?;
        self.day.apply(&event);
        Ok(event.body)
    }

    fn take(&mut self, person: Option<&str>) -> String {
        match self.run(
            "kiosk",
            HallCommandKind::TakeTicket {
                item: Some("pension".to_owned()),
                purpose: Purpose::Handle,
                channel: TicketChannel::Kiosk,
                person: person.map(str::to_owned),
                green: None,
            },
        ) {
            Ok(HallEventBody::TicketTaken { ticket }) => ticket.number,
            other => panic!("no ticket: {other:?}"),
        }
    }

    fn open(&mut self, window: u32, level: SkillLevel) {
        self.run(
            &format!("clerk-{window}"),
            HallCommandKind::OpenWindow {
                window,
                clerk_name: format!("clerk {window}"),
                skills: skills((Some(level), None)),
            },
        )
        .expect("signed on");
    }
}

#[test]
fn three_calls_then_missed_and_a_requeued_ticket_waits_out_its_lock() {
    let mut hall = Hall::new();
    hall.open(1, SkillLevel::Proficient);
    hall.open(2, SkillLevel::Master);
    let first = hall.take(None);
    let clerk = "clerk-1";
    assert!(matches!(
        hall.run(clerk, HallCommandKind::CallNext { window: 1 }),
        Ok(HallEventBody::TicketCalled { call: 1, .. })
    ));
    // Not seen on the first call: back in the queue, locked for five minutes.
    assert!(matches!(
        hall.run(clerk, HallCommandKind::NoShow { window: 1 }),
        Ok(HallEventBody::TicketRequeued { .. })
    ));
    assert_eq!(
        hall.run("clerk-2", HallCommandKind::CallNext { window: 2 }),
        Err("nothing_to_call".to_owned())
    );
    hall.at = hall.at.checked_add(300.seconds()).expect("time");
    assert_eq!(
        hall.run("clerk-2", HallCommandKind::CallNext { window: 2 }),
        Ok(HallEventBody::TicketCalled {
            number: first.clone(),
            window: 2,
            call: 2
        })
    );
    hall.run("clerk-2", HallCommandKind::Recall { window: 2 })
        .expect("third call");
    assert_eq!(
        hall.run("clerk-2", HallCommandKind::Recall { window: 2 }),
        Err("calls_used".to_owned())
    );
    assert!(matches!(
        hall.run("clerk-2", HallCommandKind::NoShow { window: 2 }),
        Ok(HallEventBody::TicketMissed { .. })
    ));
    // Back after all: to the end of the queue, called afresh.
    hall.run(
        "front-desk",
        HallCommandKind::Return {
            number: first.clone(),
        },
    )
    .expect("returned");
    assert!(matches!(
        hall.run("clerk-1", HallCommandKind::CallNext { window: 1 }),
        Ok(HallEventBody::TicketCalled { call: 1, .. })
    ));
}

#[test]
fn an_older_person_goes_first_and_an_aware_clerk_only_answers_questions() {
    let mut hall = Hall::new();
    hall.open(1, SkillLevel::Aware);
    let walk_in = hall.take(Some("11010519491231002X"));
    assert!(
        walk_in.starts_with('G'),
        "born 1949: green lane, got {walk_in}"
    );
    let young = hall.take(Some("110105200001010016"));
    assert!(young.starts_with('A'));
    assert_eq!(
        hall.run("clerk-1", HallCommandKind::CallNext { window: 1 }),
        Err("nothing_to_call".to_owned()),
        "懂 may not handle the pension item"
    );
    hall.open(2, SkillLevel::Proficient);
    assert!(matches!(
        hall.run("clerk-2", HallCommandKind::CallNext { window: 2 }),
        Ok(HallEventBody::TicketCalled { number, .. }) if number == walk_in
    ));
    assert_eq!(
        hall.run(
            "clerk-1",
            HallCommandKind::Finish {
                window: 2,
                case_id: None
            }
        ),
        Err("not_your_window".to_owned())
    );
    let estimate = hall
        .day
        .estimate(&young, hall.at, Aging::default())
        .expect("waiting");
    assert_eq!((estimate.ahead, estimate.windows), (0, 1));
}
