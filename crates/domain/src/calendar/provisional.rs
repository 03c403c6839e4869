//! A provisional national schedule for a year the State Council has not yet published:
//! weekends plus the statutory holidays of 《全国年节及纪念日放假办法》 (2024 revision,
//! 第二条) on their own dates, without 调休 and without the 补假 of 第六条 (which
//! weekday makes up for a holiday on a weekend is only known from the published
//! notice). Lunar dates (除夕, 端午, 中秋) and the 清明 solar term come from the
//! tyme4rs calendar library.
//!
//! Deadlines that reach such a year are labelled provisional wherever they are shown,
//! and are recomputed when the official schedule arrives.

use jiff::civil::{Date, date};
use tyme4rs::tyme::lunar::LunarDay;
use tyme4rs::tyme::solar::{SolarDay, SolarTerm};

/// Years after the last official one that get a provisional schedule: enough for the
/// longest statutory limit counted from the last day of the last official year.
pub(super) const YEARS_AHEAD: i16 = 3;

pub(super) const SOURCE: &str = "全国年节及纪念日放假办法 (2024-11-10) 第二条: 元旦 1月1日, 春节 农历除夕至正月初三, \
     清明 清明当日, 劳动节 5月1日至2日, 端午 农历五月初五, 中秋 农历八月十五, 国庆 10月1日至3日; \
     no 调休 and no 补假; lunar dates and solar terms by tyme4rs 1.5";

fn civil(day: &SolarDay) -> Option<Date> {
    let year = i16::try_from(day.get_year()).ok()?;
    let month = i8::try_from(day.get_month()).ok()?;
    let d = i8::try_from(day.get_day()).ok()?;
    Date::new(year, month, d).ok()
}

/// The first day of a lunar month-day in the lunar year that starts in `year`.
fn lunar(year: i16, month: isize, day: usize) -> Option<Date> {
    civil(&LunarDay::from_ymd(isize::from(year), month, day).get_solar_day())
}

/// The statutory holidays of `year` (the whole-population ones, 第二条), by name.
pub(super) fn statutory_holidays(year: i16) -> Vec<(Date, &'static str)> {
    let mut days = vec![(date(year, 1, 1), "元旦")];
    if let Some(new_year) = lunar(year, 1, 1) {
        // 除夕 is the day before 正月初一 (the 29th or 30th of the twelfth month).
        for offset in -1..=2 {
            if let Ok(day) = new_year.checked_add(jiff::Span::new().days(offset)) {
                days.push((day, "春节"));
            }
        }
    }
    if let Some(qingming) = civil(&SolarTerm::from_name(isize::from(year), "清明").get_solar_day())
    {
        days.push((qingming, "清明节"));
    }
    days.push((date(year, 5, 1), "劳动节"));
    days.push((date(year, 5, 2), "劳动节"));
    if let Some(duanwu) = lunar(year, 5, 5) {
        days.push((duanwu, "端午节"));
    }
    if let Some(zhongqiu) = lunar(year, 8, 15) {
        days.push((zhongqiu, "中秋节"));
    }
    for d in 1..=3 {
        days.push((date(year, 10, d), "国庆节"));
    }
    // 除夕 of a lunar year starting early in January could fall in the year before:
    // keep only this year's days.
    days.retain(|(day, _)| day.year() == year);
    days
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::{Calendar, DayKind};

    /// Every statutory day the rule finds is a holiday in the official schedules of
    /// the years the 2024 revision governs (2025, 2026); and the lunar and solar-term
    /// days (正月初一, 清明, 端午, 中秋), holidays since 2008, agree with every schedule
    /// published since.
    #[test]
    fn the_rule_agrees_with_every_published_schedule() {
        let official = Calendar::builtin();
        for year in 2008..=2026 {
            let days = statutory_holidays(year);
            let lunar_dates = ["清明节", "端午节", "中秋节"];
            let checked = days.into_iter().enumerate().filter(|(n, (_, name))| {
                // Index 2 is 正月初一 (after 元旦 and 除夕).
                year >= 2025 || lunar_dates.contains(name) || (*name == "春节" && *n == 2)
            });
            for (_, (day, name)) in checked {
                let kind = official.day(day, None).expect("official year");
                // The vendored schedules do not always mark a holiday that falls on a
                // weekend; a weekday must be a holiday.
                assert!(
                    matches!(kind, DayKind::Holiday { .. } | DayKind::Rest),
                    "{name} {day}: the official schedule says {kind:?}"
                );
            }
        }
    }

    #[test]
    fn spring_festival_2027_runs_from_new_years_eve() {
        let days = statutory_holidays(2027);
        let spring: Vec<Date> = days
            .iter()
            .filter(|(_, name)| *name == "春节")
            .map(|(d, _)| *d)
            .collect();
        // 2027: 正月初一 is 6 February, 除夕 5 February.
        assert_eq!(spring.first(), Some(&date(2027, 2, 5)));
        assert_eq!(spring.len(), 4);
    }
}
