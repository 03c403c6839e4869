//! Properties of period counting over the whole built-in range.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use jiff::ToSpan;
use jiff::civil::{Date, date};
use proptest::prelude::*;
use yichuang_domain::Calendar;

fn start_date() -> impl Strategy<Value = Date> {
    // 2004-01-01 plus up to 8,000 days (2025-11-26): 200 working days later is still in 2026.
    (0i64..8_000).prop_map(|offset| date(2004, 1, 1).checked_add(offset.days()).unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn counting_back_gives_the_number_added(start in start_date(), n in 0u32..200) {
        let calendar = Calendar::builtin();
        let end = calendar.add_working_days(start, n, None).unwrap();
        prop_assert_eq!(calendar.count_working_days(start, end, None).unwrap(), i64::from(n));
        prop_assert_eq!(calendar.count_working_days(end, start, None).unwrap(), -i64::from(n));
    }

    #[test]
    fn deadlines_land_on_working_days(start in start_date(), n in 1u32..200) {
        let calendar = Calendar::builtin();
        let working = calendar.add_working_days(start, n, None).unwrap();
        prop_assert!(calendar.is_working_day(working, None).unwrap());
        let by_days = calendar.add_calendar_days(start, n, None).unwrap();
        prop_assert!(calendar.is_working_day(by_days, None).unwrap());
        // A calendar-day period never ends early, and only moves past rest days.
        let nominal = start.checked_add(i64::from(n).days()).unwrap();
        prop_assert!(by_days >= nominal);
        let mut day = nominal;
        while day < by_days {
            prop_assert!(!calendar.is_working_day(day, None).unwrap());
            day = day.tomorrow().unwrap();
        }
    }

    #[test]
    fn deadlines_are_monotonic_in_the_period(start in start_date(), n in 0u32..200) {
        let calendar = Calendar::builtin();
        let w = |k| calendar.add_working_days(start, k, None).unwrap();
        let c = |k| calendar.add_calendar_days(start, k, None).unwrap();
        prop_assert!(w(n) < w(n + 1));
        prop_assert!(c(n) <= c(n + 1));
        prop_assert!(w(n + 1) > start);
    }

    #[test]
    fn a_working_day_period_is_never_shorter_than_its_calendar_twin(start in start_date(), n in 1u32..200) {
        let calendar = Calendar::builtin();
        prop_assert!(calendar.add_working_days(start, n, None).unwrap() >= calendar.add_calendar_days(start, n, None).unwrap());
    }
}
