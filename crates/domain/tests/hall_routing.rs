//! Properties of choosing the next ticket: the choice is always the best-ranked ticket
//! the window may serve, every ticket is called exactly once, and with aging no ticket
//! waits past the bound while newer, higher-priority tickets keep being called.

#![allow(clippy::unwrap_used)]

use proptest::prelude::*;
use yichuang_domain::hall::{Aging, Priority, Waiting, next_ticket};

fn priority() -> impl Strategy<Value = Priority> {
    prop_oneof![
        Just(Priority::GreenLane),
        Just(Priority::Appointment),
        Just(Priority::WalkIn)
    ]
}

fn tickets() -> impl Strategy<Value = Vec<Waiting>> {
    prop::collection::vec((priority(), 0i64..10_000, 0usize..3), 0..40).prop_map(|raw| {
        raw.into_iter()
            .enumerate()
            .map(|(i, (priority, arrived, item))| Waiting {
                number: i as u64 + 1,
                priority,
                arrived,
                item: ["pension", "injury", "card"][item].to_owned(),
            })
            .collect()
    })
}

proptest! {
    #[test]
    fn the_choice_is_the_best_ranked_ticket_the_window_serves(waiting in tickets(), now in 10_000i64..20_000, bound in 60i64..20_000) {
        let aging = Aging { bound_seconds: bound };
        let serves = |w: &Waiting| w.item != "card";
        let rank = |w: &Waiting| {
            let p = if now - w.arrived >= bound { Priority::GreenLane } else { w.priority };
            (p, w.arrived, w.number)
        };
        match next_ticket(&waiting, now, aging, serves) {
            None => prop_assert!(waiting.iter().all(|w| !serves(w))),
            Some(i) => {
                prop_assert!(serves(&waiting[i]));
                for w in waiting.iter().filter(|w| serves(w)) {
                    prop_assert!(rank(&waiting[i]) <= rank(w));
                }
            }
        }
    }

    #[test]
    fn every_ticket_is_called_exactly_once(mut waiting in tickets()) {
        let mut called = Vec::new();
        let mut now = 10_000;
        while let Some(i) = next_ticket(&waiting, now, Aging::default(), |_| true) {
            called.push(waiting.remove(i).number);
            now += 120;
        }
        prop_assert!(waiting.is_empty());
        let mut sorted = called.clone();
        sorted.sort_unstable();
        sorted.dedup();
        prop_assert_eq!(sorted.len(), called.len());
    }

    /// A walk-in waits behind a stream of appointments (one arriving per call) for no
    /// longer than the aging bound plus one call.
    #[test]
    fn no_walk_in_starves_behind_appointments(bound in 300i64..3_600, every in 30i64..300) {
        let aging = Aging { bound_seconds: bound };
        let mut waiting = vec![Waiting { number: 1, priority: Priority::WalkIn, arrived: 0, item: String::new() }];
        let mut now = 0;
        let mut next = 2;
        loop {
            waiting.push(Waiting { number: next, priority: Priority::Appointment, arrived: now, item: String::new() });
            next += 1;
            let i = next_ticket(&waiting, now, aging, |_| true).unwrap();
            if waiting.remove(i).number == 1 {
                break;
            }
            now += every;
            prop_assert!(now <= bound + every, "the walk-in waited {now} s");
        }
    }
}
