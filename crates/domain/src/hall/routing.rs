//! Choosing the next ticket for a window: among the tickets the window's clerk may
//! handle, the highest priority (1 green lane, 2 appointment, 3 walk-in), then the
//! earliest arrival, then the lowest number. With aging: a ticket that has waited
//! longer than the bound ranks with the green lane, so no walk-in starves while
//! appointments keep arriving (the problem ZMS left open, PR #1309).

/// Priority classes, most urgent first.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    /// 绿色通道: elderly, disabled, military, pregnancy (criteria per region).
    GreenLane = 1,
    /// An appointment checked in within its slot.
    Appointment = 2,
    WalkIn = 3,
}

/// A ticket waiting in the hall.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiting {
    pub number: u64,
    pub priority: Priority,
    /// When the ticket was taken, in seconds on any clock shared by the hall.
    pub arrived: i64,
    /// The item (or queue) it is for; the window decides whether it may serve it.
    pub item: String,
}

/// After how many seconds of waiting a ticket ranks with the green lane.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Aging {
    pub bound_seconds: i64,
}

impl Default for Aging {
    /// Half an hour: appointments come first, but nobody waits for ever behind them.
    fn default() -> Aging {
        Aging {
            bound_seconds: 1_800,
        }
    }
}

impl Waiting {
    fn rank(&self, now: i64, aging: Aging) -> (Priority, i64, u64) {
        let aged = now - self.arrived >= aging.bound_seconds;
        let priority = if aged {
            Priority::GreenLane
        } else {
            self.priority
        };
        (priority, self.arrived, self.number)
    }
}

/// The index of the ticket to call next at `now`, among those `serves` accepts.
pub fn next_ticket(
    waiting: &[Waiting],
    now: i64,
    aging: Aging,
    serves: impl Fn(&Waiting) -> bool,
) -> Option<usize> {
    waiting
        .iter()
        .enumerate()
        .filter(|(_, w)| serves(w))
        .min_by_key(|(_, w)| w.rank(now, aging))
        .map(|(index, _)| index)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ticket(number: u64, priority: Priority, arrived: i64, item: &str) -> Waiting {
        Waiting {
            number,
            priority,
            arrived,
            item: item.to_owned(),
        }
    }

    #[test]
    fn priority_then_arrival_then_number_within_what_the_window_serves() {
        let waiting = [
            ticket(1, Priority::WalkIn, 0, "pension"),
            ticket(2, Priority::Appointment, 60, "pension"),
            ticket(3, Priority::GreenLane, 120, "injury"),
            ticket(4, Priority::Appointment, 60, "pension"),
        ];
        let all = |_: &Waiting| true;
        assert_eq!(next_ticket(&waiting, 200, Aging::default(), all), Some(2));
        let pension_only = |w: &Waiting| w.item == "pension";
        assert_eq!(
            next_ticket(&waiting, 200, Aging::default(), pension_only),
            Some(1)
        );
        assert_eq!(
            next_ticket(&waiting, 200, Aging::default(), |_| false),
            None
        );
    }

    #[test]
    fn a_walk_in_past_the_aging_bound_goes_before_new_appointments() {
        let waiting = [
            ticket(1, Priority::WalkIn, 0, "x"),
            ticket(2, Priority::Appointment, 1_000, "x"),
        ];
        let aging = Aging {
            bound_seconds: 1_800,
        };
        assert_eq!(next_ticket(&waiting, 1_500, aging, |_| true), Some(1));
        assert_eq!(next_ticket(&waiting, 1_800, aging, |_| true), Some(0));
    }
}
