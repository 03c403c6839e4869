//! The supervision figures of a region and period, from the running totals the case
//! events add (`tally.rs`): volumes, 网办率, 按时办结率, 一次办成率, notices per case,
//! the mean and p90 handling time in working days against the mean promised limit.
//! Rates are None where there is nothing to divide by (no cases is not 0 %).

use std::collections::BTreeMap;

use serde::Serialize;

use super::tally::{BUCKET_NAMES, DAY_BUCKETS};
use crate::catalog::Channel;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CaseFigures {
    pub submitted: i64,
    pub submitted_online: i64,
    pub notices: i64,
    pub accepted: i64,
    pub refused: i64,
    pub completed: i64,
    pub on_time: i64,
    pub first_time: i64,
    pub days_sum: i64,
    pub limit_sum: i64,
    /// Completions by handling time, per `BUCKET_NAMES`.
    pub days: BTreeMap<&'static str, i64>,
    /// Submissions by channel, per `Channel::tally_name`.
    pub channels: BTreeMap<&'static str, i64>,
}

#[allow(clippy::cast_precision_loss)]
fn ratio(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| part.max(0) as f64 / whole as f64)
}

impl CaseFigures {
    /// Adds one running total by its name; unknown names are ignored.
    pub fn add(&mut self, name: &str, value: i64) {
        match name {
            "submitted" => self.submitted += value,
            "submitted_online" => self.submitted_online += value,
            "notices" => self.notices += value,
            "accepted" => self.accepted += value,
            "refused" => self.refused += value,
            "completed" => self.completed += value,
            "on_time" => self.on_time += value,
            "first_time" => self.first_time += value,
            "days_sum" => self.days_sum += value,
            "limit_sum" => self.limit_sum += value,
            other => {
                if let Some(bucket) = BUCKET_NAMES.iter().find(|b| **b == other) {
                    *self.days.entry(bucket).or_insert(0) += value;
                } else if let Some(channel) = Channel::ALL.iter().find(|c| c.tally_name() == other)
                {
                    *self.channels.entry(channel.tally_name()).or_insert(0) += value;
                }
            }
        }
    }

    pub fn merge(&mut self, other: &CaseFigures) {
        self.submitted += other.submitted;
        self.submitted_online += other.submitted_online;
        self.notices += other.notices;
        self.accepted += other.accepted;
        self.refused += other.refused;
        self.completed += other.completed;
        self.on_time += other.on_time;
        self.first_time += other.first_time;
        self.days_sum += other.days_sum;
        self.limit_sum += other.limit_sum;
        for (bucket, n) in &other.days {
            *self.days.entry(bucket).or_insert(0) += n;
        }
        for (channel, n) in &other.channels {
            *self.channels.entry(channel).or_insert(0) += n;
        }
    }

    /// Submissions per channel, in the catalog's order of channels, with their share
    /// of all submissions (cases from before channels were counted are in no channel).
    pub fn by_channel(&self) -> Vec<(Channel, i64, Option<f64>)> {
        Channel::ALL
            .iter()
            .filter_map(|c| {
                let n = self.channels.get(c.tally_name()).copied().unwrap_or(0);
                (n > 0).then(|| (*c, n, ratio(n, self.submitted)))
            })
            .collect()
    }

    /// 网办率: submitted online, by phone app or kiosk rather than at a window.
    pub fn online_rate(&self) -> Option<f64> {
        ratio(self.submitted_online, self.submitted)
    }

    /// 按时办结率: completed by the deadline that drove the case.
    pub fn on_time_rate(&self) -> Option<f64> {
        ratio(self.on_time, self.completed)
    }

    /// 一次办成率: completed with no one-time notice.
    pub fn first_time_rate(&self) -> Option<f64> {
        ratio(self.first_time, self.completed)
    }

    pub fn notices_per_case(&self) -> Option<f64> {
        ratio(self.notices, self.submitted)
    }

    /// Mean working days from submission to completion.
    pub fn mean_days(&self) -> Option<f64> {
        ratio(self.days_sum, self.completed)
    }

    /// Mean promised (or statutory) limit of the completed cases.
    pub fn mean_limit(&self) -> Option<f64> {
        ratio(self.limit_sum, self.completed)
    }

    /// The 90th percentile of handling time, as the upper bound of the histogram's
    /// bucket it falls in (None past the last bound, or with no completions).
    pub fn p90_days(&self) -> Option<u32> {
        let counts: Vec<i64> = BUCKET_NAMES
            .iter()
            .map(|name| self.days.get(name).copied().unwrap_or(0))
            .collect();
        crate::histogram::p90_bound(&DAY_BUCKETS, &counts)
    }
}
