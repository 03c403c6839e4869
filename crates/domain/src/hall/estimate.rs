//! How long a waiting ticket will wait, as ZMS estimates it: a step of (average
//! handling minutes × 60 ÷ open windows) seconds per person ahead; the optimistic
//! figure is 0.8 of it, the pessimistic the whole.

use jiff::Timestamp;
use serde::Serialize;

use super::day::HallDay;
use super::routing::Aging;
use super::rules::may_serve;
use super::ticket::TicketStatus;

/// Average handling time assumed before the day has any finished ticket.
pub const DEFAULT_HANDLING_SECONDS: i64 = 600;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct WaitEstimate {
    /// Waiting tickets that go before this one.
    pub ahead: u32,
    /// Windows open now that may serve it.
    pub windows: u32,
    /// None while no window that may serve it is open.
    pub optimistic_minutes: Option<u32>,
    pub pessimistic_minutes: Option<u32>,
}

impl HallDay {
    /// Mean seconds from the last call to finishing, over the day's finished tickets.
    pub fn average_handling_seconds(&self) -> i64 {
        let durations: Vec<i64> = self
            .tickets
            .iter()
            .filter_map(|t| Some(t.finished_at?.as_second() - t.last_call?.as_second()))
            .filter(|d| *d >= 0)
            .collect();
        if durations.is_empty() {
            return DEFAULT_HANDLING_SECONDS;
        }
        durations.iter().sum::<i64>() / durations.len() as i64
    }

    /// The estimate for a waiting ticket; None for a ticket that is not waiting.
    pub fn estimate(&self, number: &str, at: Timestamp, aging: Aging) -> Option<WaitEstimate> {
        let ticket = self.ticket(number)?;
        if ticket.status != TicketStatus::Waiting {
            return None;
        }
        let rank = |t: &super::ticket::Ticket| {
            let aged = at.as_second() - t.queued_at.as_second() >= aging.bound_seconds;
            let priority = if aged {
                super::routing::Priority::GreenLane
            } else {
                t.priority
            };
            (priority, t.queued_at, t.number.clone())
        };
        let mine = rank(ticket);
        let ahead = self
            .waiting()
            .filter(|t| t.number != ticket.number && rank(t) < mine)
            .count() as u32;
        let windows = self
            .windows
            .values()
            .filter(|s| may_serve(&s.skills, ticket))
            .count() as u32;
        let minutes = |share: f64| {
            (windows > 0).then(|| {
                let step = self.average_handling_seconds() as f64 / f64::from(windows);
                ((f64::from(ahead) * step * share) / 60.0).round() as u32
            })
        };
        Some(WaitEstimate {
            ahead,
            windows,
            optimistic_minutes: minutes(0.8),
            pessimistic_minutes: minutes(1.0),
        })
    }
}
