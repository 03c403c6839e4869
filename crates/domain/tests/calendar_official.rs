//! The calendar against the State Council's published schedules, written out here by
//! hand from the notices (not from the vendored data file), day by day for whole years.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use jiff::ToSpan;
use jiff::civil::{Date, Weekday, date};
use yichuang_domain::{Calendar, DayKind};

struct Schedule {
    year: i16,
    notice: &'static str,
    /// Inclusive ranges of days off.
    holidays: &'static [(&'static str, &'static str, &'static str)],
    /// Weekend days worked (调休上班).
    workdays: &'static [&'static str],
}

const SCHEDULES: &[Schedule] = &[
    Schedule {
        year: 2024,
        notice: "国务院办公厅关于2024年部分节假日安排的通知 (国办发明电〔2023〕7号)",
        holidays: &[
            ("2024-01-01", "2024-01-01", "元旦"),
            ("2024-02-10", "2024-02-17", "春节"),
            ("2024-04-04", "2024-04-06", "清明"),
            ("2024-05-01", "2024-05-05", "劳动节"),
            ("2024-06-10", "2024-06-10", "端午"),
            ("2024-09-15", "2024-09-17", "中秋"),
            ("2024-10-01", "2024-10-07", "国庆节"),
        ],
        workdays: &[
            "2024-02-04",
            "2024-02-18",
            "2024-04-07",
            "2024-04-28",
            "2024-05-11",
            "2024-09-14",
            "2024-09-29",
            "2024-10-12",
        ],
    },
    Schedule {
        year: 2025,
        notice: "国务院办公厅关于2025年部分节假日安排的通知 (国办发明电〔2024〕12号)",
        holidays: &[
            ("2025-01-01", "2025-01-01", "元旦"),
            ("2025-01-28", "2025-02-04", "春节"),
            ("2025-04-04", "2025-04-06", "清明"),
            ("2025-05-01", "2025-05-05", "劳动节"),
            ("2025-05-31", "2025-06-02", "端午"),
            ("2025-10-01", "2025-10-08", "国庆节、中秋节"),
        ],
        workdays: &[
            "2025-01-26",
            "2025-02-08",
            "2025-04-27",
            "2025-09-28",
            "2025-10-11",
        ],
    },
    Schedule {
        year: 2026,
        notice: "国务院办公厅关于2026年部分节假日安排的通知",
        holidays: &[
            ("2026-01-01", "2026-01-03", "元旦"),
            ("2026-02-15", "2026-02-23", "春节"),
            ("2026-04-04", "2026-04-06", "清明"),
            ("2026-05-01", "2026-05-05", "劳动节"),
            ("2026-06-19", "2026-06-21", "端午"),
            ("2026-09-25", "2026-09-27", "中秋"),
            ("2026-10-01", "2026-10-07", "国庆节"),
        ],
        workdays: &[
            "2026-01-04",
            "2026-02-14",
            "2026-02-28",
            "2026-05-09",
            "2026-09-20",
            "2026-10-10",
        ],
    },
];

fn d(text: &str) -> Date {
    text.parse().unwrap()
}

#[test]
fn every_day_of_2024_to_2026_matches_the_published_schedule() {
    let calendar = Calendar::builtin();
    for schedule in SCHEDULES {
        let mut day = date(schedule.year, 1, 1);
        while day.year() == schedule.year {
            let holiday = schedule
                .holidays
                .iter()
                .find(|(first, last, _)| d(first) <= day && day <= d(last));
            let worked = schedule.workdays.iter().any(|w| d(w) == day);
            let weekend = matches!(day.weekday(), Weekday::Saturday | Weekday::Sunday);
            let kind = calendar.day(day, None).unwrap();
            match (holiday, worked) {
                (Some((_, _, name)), _) => assert!(
                    matches!(&kind, DayKind::Holiday { name: n, region: None } if n.contains(name) || name.contains(n.as_str())),
                    "{day} should be the {name} holiday per {}, got {kind:?}",
                    schedule.notice
                ),
                (None, true) => assert!(
                    weekend && matches!(kind, DayKind::AdjustedWorking { .. }),
                    "{day} should be an adjusted working day per {}, got {kind:?}",
                    schedule.notice
                ),
                (None, false) if weekend => assert_eq!(kind, DayKind::Rest, "{day}"),
                (None, false) => assert_eq!(kind, DayKind::Working, "{day}"),
            }
            day = day.checked_add(1.day()).unwrap();
        }
    }
}

#[test]
fn deadlines_across_the_2026_spring_festival() {
    let calendar = Calendar::builtin();
    // (start event, days, working?, last day)
    let cases = [
        // 2/11 2/12 2/13 2/14(调休) | 2/15–2/23 off | 2/24 2/25 2/26 2/27 2/28(调休) 3/2
        ("2026-02-10", 10, true, "2026-03-02"),
        ("2026-02-13", 1, true, "2026-02-14"),
        ("2026-02-14", 1, true, "2026-02-24"),
        ("2026-02-10", 0, true, "2026-02-10"),
        // 15 calendar days from 2026-02-05 end 2026-02-20, a holiday: moved to 2/24.
        ("2026-02-05", 15, false, "2026-02-24"),
        // Ends on an adjusted working day, which stands.
        ("2026-02-13", 15, false, "2026-02-28"),
        // Ends on an ordinary Sunday: moved to Monday.
        ("2026-02-15", 14, false, "2026-03-02"),
        // 60 days from 2026-09-01 end on 2026-10-31, a Saturday: moved to Monday 11-02.
        ("2026-09-01", 60, false, "2026-11-02"),
        // National Day: 10 working days from 2026-09-28.
        ("2026-09-28", 10, true, "2026-10-16"),
    ];
    for (start, days, working, expected) in cases {
        let got = if working {
            calendar.add_working_days(d(start), days, None)
        } else {
            calendar.add_calendar_days(d(start), days, None)
        };
        assert_eq!(got.unwrap(), d(expected), "{days} days from {start}");
    }
    assert_eq!(
        calendar.count_working_days(d("2026-02-10"), d("2026-03-02"), None),
        Ok(10)
    );
    assert_eq!(
        calendar.count_working_days(d("2026-03-02"), d("2026-02-10"), None),
        Ok(-10)
    );
}

#[test]
fn a_period_past_the_known_years_names_the_missing_year() {
    let calendar = Calendar::builtin();
    // 2027–2029 are provisional: weekends and 元旦 count as rest, nothing more.
    let provisional = calendar.add_working_days(d("2026-12-20"), 15, None);
    assert_eq!(provisional, Ok(d("2027-01-11")));
    assert!(calendar.is_provisional(d("2027-01-11")));
    let err = calendar
        .add_working_days(d("2029-12-20"), 15, None)
        .unwrap_err();
    assert!(err.to_string().contains("2030"), "{err}");
    let err = calendar
        .add_calendar_days(d("2029-12-25"), 10, None)
        .unwrap_err();
    assert!(err.to_string().contains("2030"), "{err}");
    let err = calendar.day(d("2003-12-31"), None).unwrap_err();
    assert!(err.to_string().contains("2003"), "{err}");
}
