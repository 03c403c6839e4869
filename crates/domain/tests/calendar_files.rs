//! Calendar files: later national years and regional holidays, without a rebuild.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use jiff::civil::{Date, date};
use yichuang_domain::calendar::CalendarFile;
use yichuang_domain::{Calendar, DayKind, RegionCode};

fn d(text: &str) -> Date {
    text.parse().unwrap()
}

fn region(code: &str) -> RegionCode {
    RegionCode::parse(code).unwrap()
}

const YEAR_2027: &str = r#"
source = "test fixture, not the published 2027 schedule"
provenance = "illustrative"
year = 2027

[[holiday]]
date = 2027-01-01
name = "元旦"

[[holiday]]
date = "2027-02-05"
name = "春节"

[[workday]]
date = 2027-01-30
name = "春节"
"#;

const TIBET: &str = r#"
source = "test fixture for a regional holiday"
provenance = "illustrative"
region = "540000"

[[holiday]]
date = 2026-03-02
name = "藏历新年"
"#;

#[test]
fn a_national_year_file_extends_the_calendar() {
    let mut calendar = Calendar::builtin();
    // Before the file, 2027 is provisional: counted, and labelled so.
    let provisional = calendar.add_working_days(d("2026-12-30"), 3, None).unwrap();
    assert!(calendar.is_provisional(provisional));
    calendar
        .add_file(CalendarFile::parse(YEAR_2027).unwrap())
        .unwrap();
    assert_eq!(calendar.known_years().last(), Some(2027));
    assert!(matches!(
        calendar.day(d("2027-01-01"), None).unwrap(),
        DayKind::Holiday { .. }
    ));
    assert!(matches!(
        calendar.day(d("2027-01-30"), None).unwrap(),
        DayKind::AdjustedWorking { .. }
    ));
    // 12-31 Thu, 01-01 holiday, 01-02/03 weekend, 01-04 Mon, 01-05 Tue.
    assert_eq!(
        calendar.add_working_days(d("2026-12-30"), 3, None),
        Ok(d("2027-01-05"))
    );
    assert!(!calendar.is_provisional(d("2027-01-05")));
    assert_eq!(calendar.provisional_years().next(), Some(2028));
    // Built in, the 2027 file, and the provisional years after it.
    assert_eq!(calendar.sources().len(), 3);
    // The same year twice is refused, never merged silently.
    let again = calendar
        .add_file(CalendarFile::parse(YEAR_2027).unwrap())
        .unwrap_err();
    assert!(
        again
            .to_string()
            .contains("already has a national schedule for 2027"),
        "{again}"
    );
    // 2028–2030 are provisional now; 2031 is unknown and named.
    assert!(calendar.is_provisional(date(2028, 1, 3)));
    let err = calendar.day(date(2031, 1, 3), None).unwrap_err();
    assert!(err.to_string().contains("2031"), "{err}");
}

#[test]
fn a_regional_holiday_applies_inside_its_region_only() {
    let mut calendar = Calendar::builtin();
    calendar
        .add_file(CalendarFile::parse(TIBET).unwrap())
        .unwrap();
    let lhasa = Some(region("540102"));
    assert!(matches!(
        calendar.day(d("2026-03-02"), lhasa).unwrap(),
        DayKind::Holiday { region: Some(r), .. } if r == region("540000")
    ));
    assert!(calendar.is_working_day(d("2026-03-02"), None).unwrap());
    assert!(
        calendar
            .is_working_day(d("2026-03-02"), Some(region("330211")))
            .unwrap()
    );
    // A working-day period in Lhasa skips the regional holiday (02-28 is an adjusted
    // working day nationally, 03-02 the regional holiday).
    assert_eq!(
        calendar.add_working_days(d("2026-02-27"), 2, None),
        Ok(d("2026-03-02"))
    );
    assert_eq!(
        calendar.add_working_days(d("2026-02-27"), 2, lhasa),
        Ok(d("2026-03-03"))
    );
}

#[test]
fn bad_calendar_files_say_what_is_wrong() {
    let cases = [
        ("year = 2027\n", "source"),
        (
            "source = \"x\"\nprovenance = \"official\"\n",
            "exactly one of `year`",
        ),
        (
            "source = \"x\"\nprovenance = \"official\"\nyear = 2027\nregion = \"540000\"\n",
            "exactly one of `year`",
        ),
        (
            "source = \"x\"\nprovenance = \"guess\"\nyear = 2027\n",
            "provenance",
        ),
        (
            "source = \"x\"\nprovenance = \"official\"\nregion = \"549999\"\n",
            "549999 is not a division",
        ),
        (
            "source = \"x\"\nprovenance = \"official\"\nyear = 2027\n[[holiday]]\ndate = \"2027-02-30\"\nname = \"春节\"\n",
            "[[holiday]] entry 1: `date` \"2027-02-30\" is not a calendar date",
        ),
        (
            "source = \"x\"\nprovenance = \"official\"\nyear = 2027\n[[holiday]]\ndate = 2028-01-01\nname = \"元旦\"\n",
            "2028-01-01 is not in 2027",
        ),
        (
            "source = \"x\"\nprovenance = \"official\"\nyear = 2027\n[[workday]]\ndate = 2027-02-01\nname = \"春节\"\n",
            "is a Monday",
        ),
        (
            "source = \"x\"\nprovenance = \"official\"\nyear = 2027\n[[holiday]]\ndate = 2027-01-01\nname = \" \"\n",
            "`name` is empty",
        ),
        (
            "source = \"x\"\nprovenance = \"official\"\nyear = 2027\n[[holiday]]\ndate = 2027-01-01\nname = \"元旦\"\n[[holiday]]\ndate = 2027-01-01\nname = \"元旦\"\n",
            "listed twice",
        ),
        (
            "source = \"x\"\nprovenance = \"official\"\nyear = 2027\nholidays = []\n",
            "unknown field",
        ),
        ("source = \"x\"\nprovenance", "line 2, column 11: "),
    ];
    for (text, expected) in cases {
        let err = CalendarFile::parse(text).unwrap_err().to_string();
        assert!(
            err.contains(expected),
            "{text:?}\n  gave: {err}\n  expected to contain: {expected}"
        );
    }
}
