//! The other totals every county total also counts toward. A county's figures are
//! kept by month, by county (`<family>|region|<month>|<county>`) and by county and item
//! (`<family>|area_item|<month>|<county>|<item>`). Adding the same amounts to the
//! county's province (`<family>|province|…`, `<family>|province_item|…`) in the same
//! transaction lets the country's figures read 31 provinces' lines, and a province's
//! items read its own lines, instead of every county's.
//!
//! Figures over a run of days read day totals: by county (`region_day`, rolled up to
//! `province_day`), and by item for a province and the country (`province_item_day`,
//! `item_day`). A county's items are not kept by day: they would be a row per county,
//! item and day, more rows than cases.

use jiff::civil::Date;

use crate::rating::Tally;

/// The province code (`PP0000`) of a six-digit region code, or None for anything else.
fn province_of(code: &str) -> Option<String> {
    (code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()))
        .then(|| format!("{}0000", &code[..2]))
}

/// The province key a total's `key` also counts toward, if it is a region's or a
/// region and item's total.
pub fn province_key(key: &str) -> Option<String> {
    let mut parts = key.splitn(4, '|');
    let (family, dimension, month, value) =
        (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    match dimension {
        "region" | "region_day" => Some(format!(
            "{family}|{}|{month}|{}",
            if dimension == "region" {
                "province"
            } else {
                "province_day"
            },
            province_of(value)?
        )),
        "area_item" => {
            let (code, item) = value.split_once('|')?;
            Some(format!(
                "{family}|province_item|{month}|{}|{item}",
                province_of(code)?
            ))
        }
        _ => None,
    }
}

/// The day totals a month total (`key`) on `day` is kept by too.
fn day_keys(key: &str, day: &str) -> Vec<String> {
    let mut parts = key.splitn(4, '|');
    let (Some(family), Some(dimension), Some(_month), Some(value)) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Vec::new();
    };
    match dimension {
        "region" => vec![format!("{family}|region_day|{day}|{value}")],
        "area_item" => {
            let Some((province, item)) = value
                .split_once('|')
                .and_then(|(code, item)| Some((province_of(code)?, item)))
            else {
                return Vec::new();
            };
            vec![
                format!("{family}|province_item_day|{day}|{province}|{item}"),
                format!("{family}|item_day|{day}|{item}"),
            ]
        }
        _ => Vec::new(),
    }
}

/// `tallies` (by month) with their day totals for `day` added.
pub fn with_days(mut tallies: Vec<Tally>, day: Date) -> Vec<Tally> {
    let day = day.to_string();
    let days: Vec<Tally> = tallies
        .iter()
        .flat_map(|t| {
            day_keys(&t.key, &day).into_iter().map(|key| Tally {
                key,
                name: t.name,
                delta: t.delta,
            })
        })
        .collect();
    tallies.extend(days);
    tallies
}

#[cfg(test)]
mod tests {
    use super::{province_key, with_days};
    use crate::rating::Tally;

    #[test]
    fn a_month_total_is_kept_by_day_too() {
        let tally = |key: &str| Tally {
            key: key.to_owned(),
            name: "submitted",
            delta: 2,
        };
        let keys: Vec<String> = with_days(
            vec![
                tally("cases|region|2026-03|330211"),
                tally("cases|area_item|2026-03|330211|unemployment-benefit"),
                tally("cases|clerk|2026-03|clerk-zh"),
            ],
            jiff::civil::date(2026, 3, 2),
        )
        .into_iter()
        .map(|t| t.key)
        .collect();
        assert_eq!(
            keys,
            [
                "cases|region|2026-03|330211",
                "cases|area_item|2026-03|330211|unemployment-benefit",
                "cases|clerk|2026-03|clerk-zh",
                "cases|region_day|2026-03-02|330211",
                "cases|province_item_day|2026-03-02|330000|unemployment-benefit",
                "cases|item_day|2026-03-02|unemployment-benefit",
            ]
        );
        assert_eq!(
            province_key("cases|region_day|2026-03-02|330211").as_deref(),
            Some("cases|province_day|2026-03-02|330000")
        );
    }

    #[test]
    fn a_county_total_counts_toward_its_province() {
        for (key, province) in [
            (
                "cases|region|2026-03|330211",
                Some("cases|province|2026-03|330000"),
            ),
            (
                "ratings|area_item|2026-03|510104|unemployment-benefit",
                Some("ratings|province_item|2026-03|510000|unemployment-benefit"),
            ),
            (
                "halls|region|2026-03|330000",
                Some("halls|province|2026-03|330000"),
            ),
            ("cases|clerk|2026-03|clerk-zh", None),
            ("cases|province|2026-03|330000", None),
            ("cases|region|2026-03|33", None),
            ("cases|region", None),
        ] {
            assert_eq!(province_key(key).as_deref(), province, "{key}");
        }
    }
}
