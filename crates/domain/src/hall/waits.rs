//! What hall events add to the supervision figures: each ticket's wait from taking it
//! to its first call, by the hall's county and by hall, in the month of the call — a
//! count, a sum in seconds and a histogram (for the mean, the p90 and the share seen
//! within 15 minutes that supervisors are asked for; no national waiting-time target
//! is among our sources).
//! Kept as running totals as events are committed, as the case and rating totals are.

use serde::Serialize;

use super::day::{HallDay, HallEvent, HallEventBody};
use crate::rating::Tally;

/// The histogram's upper bounds in minutes (the last bucket is open).
pub const WAIT_BUCKETS: [u32; 9] = [5, 10, 15, 20, 30, 45, 60, 90, 120];

/// The total names of the histogram, one per bucket and `wait_more`.
pub const WAIT_BUCKET_NAMES: [&str; 10] = [
    "wait_le_5m",
    "wait_le_10m",
    "wait_le_15m",
    "wait_le_20m",
    "wait_le_30m",
    "wait_le_45m",
    "wait_le_60m",
    "wait_le_90m",
    "wait_le_120m",
    "wait_more",
];

/// `halls|<dimension>|<YYYY-MM>|<value>`: the month first, as the other totals.
pub fn wait_tally_key(dimension: &str, value: &str, month: &str) -> String {
    format!("halls|{dimension}|{month}|{value}")
}

fn bucket(seconds: i64) -> &'static str {
    WAIT_BUCKETS
        .iter()
        .position(|bound| seconds <= i64::from(*bound) * 60)
        .map_or("wait_more", |i| WAIT_BUCKET_NAMES[i])
}

/// What `event` adds, given the day before it and the hall's county: a ticket's first
/// call ever (a recall, or a call after it came back or was transferred, is not a new
/// wait).
pub fn wait_tally(day: &HallDay, event: &HallEvent, county: &str) -> Vec<Tally> {
    let HallEventBody::TicketCalled { number, .. } = &event.body else {
        return Vec::new();
    };
    let Some(ticket) = day.ticket(number).filter(|t| t.first_called_at.is_none()) else {
        return Vec::new();
    };
    let seconds = event.at.as_second() - ticket.taken_at.as_second();
    let seconds = seconds.max(0);
    let called_on = event
        .at
        .to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::offset(8)))
        .date();
    let month = called_on.strftime("%Y-%m").to_string();
    let mut out = Vec::new();
    for key in [
        wait_tally_key("region", county, &month),
        wait_tally_key("hall", &day.hall, &month),
    ] {
        for (name, delta) in [("called", 1), ("wait_s_sum", seconds), (bucket(seconds), 1)] {
            out.push(Tally {
                key: key.clone(),
                name,
                delta,
            });
        }
    }
    crate::roll_up::with_days(out, called_on)
}

/// Waits read back from the totals.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct WaitFigures {
    pub called: i64,
    pub wait_s_sum: i64,
    /// Per `WAIT_BUCKET_NAMES`, in order.
    pub buckets: [i64; 10],
}

#[allow(clippy::cast_precision_loss)]
impl WaitFigures {
    /// Adds a running total by its name; unknown names are ignored.
    pub fn add(&mut self, name: &str, value: i64) {
        match name {
            "called" => self.called += value,
            "wait_s_sum" => self.wait_s_sum += value,
            other => {
                if let Some(i) = WAIT_BUCKET_NAMES.iter().position(|b| *b == other) {
                    self.buckets[i] += value;
                }
            }
        }
    }

    pub fn merge(&mut self, other: &WaitFigures) {
        self.called += other.called;
        self.wait_s_sum += other.wait_s_sum;
        for (mine, theirs) in self.buckets.iter_mut().zip(other.buckets) {
            *mine += theirs;
        }
    }

    /// Mean wait in minutes.
    pub fn mean_minutes(&self) -> Option<f64> {
        (self.called > 0).then(|| self.wait_s_sum as f64 / 60.0 / self.called as f64)
    }

    /// Share of people called within 15 minutes.
    pub fn within_15_rate(&self) -> Option<f64> {
        let within: i64 = self.buckets[..3].iter().sum();
        (self.called > 0).then(|| within as f64 / self.called as f64)
    }

    /// The 90th percentile, as the upper bound in minutes of the bucket it falls in
    /// (None past the last bound, or with nobody called).
    pub fn p90_minutes(&self) -> Option<u32> {
        crate::histogram::p90_bound(&WAIT_BUCKETS, &self.buckets)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_figures_read_back_what_the_waits_added() {
        let mut f = WaitFigures::default();
        // Ten people: eight within 10 minutes, one at 14, one at 40.
        for seconds in [60, 120, 180, 240, 300, 420, 480, 540, 840, 2400] {
            f.add("called", 1);
            f.add("wait_s_sum", seconds);
            f.add(bucket(seconds), 1);
        }
        assert_eq!(f.within_15_rate(), Some(0.9));
        assert_eq!(f.p90_minutes(), Some(15));
        assert!((f.mean_minutes().unwrap_or(0.0) - 5580.0 / 600.0).abs() < 1e-9);
        assert_eq!(bucket(900), "wait_le_15m", "15 minutes is within 15");
        assert_eq!(bucket(901), "wait_le_20m");
        assert_eq!(bucket(3 * 3600), "wait_more");
        assert_eq!(WaitFigures::default().mean_minutes(), None);
    }
}
