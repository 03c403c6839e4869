//! A case's legal clocks: when the period ends, when it turns yellow, and how
//! suspension and extension push it out.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::calendar::{Calendar, CalendarError, PeriodUnit, add_days};
use crate::catalog::{LimitUnit, TimeLimit};
use crate::region::RegionCode;

/// When a case turns yellow: at this share (in thousandths) of its period used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WarningPolicy {
    pub yellow_at_permille: u16,
}

impl Default for WarningPolicy {
    fn default() -> Self {
        WarningPolicy {
            yellow_at_permille: 800,
        }
    }
}

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum WarningLevel {
    Green,
    /// 预警 yellow: most of the period is used.
    Yellow,
    /// 超期 red: past the last day.
    Red,
}

/// How long a period is, in which unit.
struct LimitLength {
    unit: LimitUnit,
    amount: u32,
}

/// One running period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Clock {
    pub unit: LimitUnit,
    pub amount: u32,
    /// The start event's day; the period starts the next day.
    pub started: Date,
    /// The last day of the period.
    pub deadline: Date,
    /// The first day the case is yellow.
    pub yellow_from: Date,
    /// The deadline falls in a year without a published holiday schedule: it was
    /// counted provisionally and is recomputed when the schedule arrives.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub provisional: bool,
}

fn period(unit: LimitUnit) -> Option<PeriodUnit> {
    unit.period()
}

impl Clock {
    /// Starts `limit` on the day of its start event.
    pub fn start(
        limit: &TimeLimit,
        on: Date,
        calendar: &Calendar,
        region: RegionCode,
        policy: WarningPolicy,
    ) -> Result<Clock, CalendarError> {
        Clock::count(limit.unit, limit.amount, on, calendar, region, policy)
    }

    /// A provisional clock counted again on the calendar as it is now (after the
    /// official schedule for its year arrived): the same start and length, including
    /// any extension or suspension already added to it. Other clocks stay as they are.
    pub fn recounted(
        &self,
        calendar: &Calendar,
        region: RegionCode,
        policy: WarningPolicy,
    ) -> Result<Clock, CalendarError> {
        if !self.provisional {
            return Ok(self.clone());
        }
        Clock::count(
            self.unit,
            self.amount,
            self.started,
            calendar,
            region,
            policy,
        )
    }

    fn count(
        limit_unit: LimitUnit,
        amount: u32,
        on: Date,
        calendar: &Calendar,
        region: RegionCode,
        policy: WarningPolicy,
    ) -> Result<Clock, CalendarError> {
        let limit = LimitLength {
            unit: limit_unit,
            amount,
        };
        let Some(unit) = period(limit.unit) else {
            return Ok(Clock {
                unit: limit.unit,
                amount: 0,
                started: on,
                deadline: on,
                yellow_from: on,
                provisional: false,
            });
        };
        let deadline = calendar.deadline(on, limit.amount, unit, Some(region))?;
        let share = (u64::from(limit.amount) * u64::from(policy.yellow_at_permille)).div_ceil(1000);
        let yellow_days = u32::try_from(share)
            .unwrap_or(limit.amount)
            .min(limit.amount);
        let yellow_from = match unit {
            PeriodUnit::WorkingDays => calendar.add_working_days(on, yellow_days, Some(region))?,
            PeriodUnit::CalendarDays => add_days(on, yellow_days)?,
        }
        .min(deadline);
        Ok(Clock {
            unit: limit.unit,
            amount: limit.amount,
            started: on,
            deadline,
            yellow_from,
            provisional: calendar.is_provisional(deadline),
        })
    }

    /// The clock pushed out by `days` of its own unit (an extension, or the time a
    /// suspension stopped it).
    pub fn pushed_out(
        &self,
        days: u32,
        calendar: &Calendar,
        region: RegionCode,
    ) -> Result<Clock, CalendarError> {
        let Some(unit) = period(self.unit) else {
            return Ok(self.clone());
        };
        if days == 0 {
            return Ok(self.clone());
        }
        let deadline = calendar.deadline(self.deadline, days, unit, Some(region))?;
        let yellow_from = match unit {
            PeriodUnit::WorkingDays => {
                calendar.add_working_days(self.yellow_from, days, Some(region))?
            }
            PeriodUnit::CalendarDays => add_days(self.yellow_from, days)?,
        }
        .min(deadline);
        Ok(Clock {
            deadline,
            yellow_from,
            amount: self.amount + days,
            provisional: calendar.is_provisional(deadline),
            ..self.clone()
        })
    }

    /// How many days of this clock's unit passed between two dates (for a suspension).
    pub fn elapsed(
        &self,
        from: Date,
        to: Date,
        calendar: &Calendar,
        region: RegionCode,
    ) -> Result<u32, CalendarError> {
        let days = match period(self.unit) {
            None => 0,
            Some(PeriodUnit::WorkingDays) => calendar.count_working_days(from, to, Some(region))?,
            Some(PeriodUnit::CalendarDays) => (to - from).get_days().into(),
        };
        Ok(u32::try_from(days.max(0)).unwrap_or(u32::MAX))
    }

    pub fn warning(&self, today: Date) -> WarningLevel {
        if today > self.deadline {
            WarningLevel::Red
        } else if today >= self.yellow_from {
            WarningLevel::Yellow
        } else {
            WarningLevel::Green
        }
    }
}
