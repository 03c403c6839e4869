//! What each case event adds to the supervision figures, by handling county, by
//! county × item and by item, in the month it happened: volumes, 网办 (not at a window), notices,
//! acceptance, refusals, completions, 按时办结 (on or before the deadline that drove
//! the case), 一次办成 (completed with no one-time notice), and the working days from
//! submission to completion as a sum and a histogram (for the mean and the p90). Kept
//! as running totals as events are committed, so a region's figures over millions of
//! cases are a read of a few thousand rows, never a scan of the cases. Completions are
//! also counted by the staff member who completed the case (completed, on time): the
//! 按时办结率 that star windows and 服务质量模范 weigh.

use jiff::civil::Date;

use super::event::{CaseEvent, EventBody};
use super::state::Case;
use crate::catalog::Channel;
use crate::rating::Tally;

/// The histogram's upper bounds in working days (the last bucket is open).
pub const DAY_BUCKETS: [u32; 10] = [0, 1, 2, 3, 5, 10, 15, 20, 30, 60];

/// The total names of the histogram, one per bucket and `days_more`.
pub const BUCKET_NAMES: [&str; 11] = [
    "days_le_0",
    "days_le_1",
    "days_le_2",
    "days_le_3",
    "days_le_5",
    "days_le_10",
    "days_le_15",
    "days_le_20",
    "days_le_30",
    "days_le_60",
    "days_more",
];

/// `cases|<dimension>|<YYYY-MM>|<value>`: as the rating totals, the month before the
/// region, so a province's month is one range of the index.
pub fn case_tally_key(dimension: &str, value: &str, month: &str) -> String {
    format!("cases|{dimension}|{month}|{value}")
}

fn bucket(days: i64) -> &'static str {
    DAY_BUCKETS
        .iter()
        .position(|bound| days <= i64::from(*bound))
        .map_or("days_more", |i| BUCKET_NAMES[i])
}

/// What `event` adds, given the case before it (for the submission, the case it
/// creates) and the working days between two days in the case's handling region.
pub fn case_tally(
    case: &Case,
    event: &CaseEvent,
    working_days: &dyn Fn(Date, Date) -> i64,
) -> Vec<Tally> {
    let mut names: Vec<&'static str> = Vec::new();
    let mut amounts: Vec<(&'static str, i64)> = Vec::new();
    match &event.body {
        EventBody::Submitted { submission, .. } => {
            names.push("submitted");
            names.push(submission.channel.tally_name());
            if submission.channel != Channel::Window {
                names.push("submitted_online");
            }
        }
        EventBody::NoticeIssued { .. } => names.push("notices"),
        EventBody::Accepted { .. } => names.push("accepted"),
        EventBody::Refused { .. } => names.push("refused"),
        EventBody::Completed { .. } | EventBody::CompletedOnTheSpot { .. } => {
            names.push("completed");
            let on_the_spot = matches!(event.body, EventBody::CompletedOnTheSpot { .. });
            let clock = case.promised.as_ref().or(case.statutory.as_ref());
            if on_the_spot || clock.is_none_or(|c| event.on <= c.deadline) {
                names.push("on_time");
            }
            if case.noticed_gaps.is_empty() {
                names.push("first_time");
            }
            let days = working_days(case.submitted_on, event.on).max(0);
            names.push(bucket(days));
            amounts.push(("days_sum", days));
            if let Some(clock) = clock {
                amounts.push(("limit_sum", i64::from(clock.amount)));
            }
        }
        _ => return Vec::new(),
    }
    let (region, item) = (case.handling_region, case.item.clone());
    let month = event.on.strftime("%Y-%m").to_string();
    let county = region.to_string();
    let keys = [
        case_tally_key("region", &county, &month),
        case_tally_key("area_item", &format!("{county}|{item}"), &month),
        // The whole country's item, as the ratings keep it: one line, not every county's.
        case_tally_key("item", &item, &month),
    ];
    let mut tallies = Vec::new();
    if names.first() == Some(&"completed") {
        let key = case_tally_key("clerk", &event.actor.id, &month);
        for name in names
            .iter()
            .filter(|n| matches!(**n, "completed" | "on_time"))
        {
            tallies.push(Tally {
                key: key.clone(),
                name,
                delta: 1,
            });
        }
    }
    for key in keys {
        for name in &names {
            tallies.push(Tally {
                key: key.clone(),
                name,
                delta: 1,
            });
        }
        for (name, amount) in &amounts {
            tallies.push(Tally {
                key: key.clone(),
                name,
                delta: *amount,
            });
        }
    }
    crate::roll_up::with_days(tallies, event.on)
}
