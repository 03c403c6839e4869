//! The supervision figures of a region over a run of months, with its next level down
//! (the drill-down, the ranking and the equalization view read the same lines): the
//! case totals the engine keeps as events are committed and the rating totals,
//! summed over the months. Never a scan of the cases.

use std::collections::BTreeMap;

use yichuang_domain::case::CaseFigures;
use yichuang_domain::hall::WaitFigures;
use yichuang_domain::rating::RatingFigures;
use yichuang_domain::{Jurisdiction, RegionCode};
use yichuang_store::StoreError;

use crate::ratings_report::area_of;
use yichuang_store::Store;

/// One line: a region with its figures.
#[derive(Debug, Clone, Default)]
pub struct Area {
    pub code: String,
    pub name: String,
    pub cases: CaseFigures,
    pub ratings: RatingFigures,
    /// Hall waits from taking a ticket to its first call (by county only, not item).
    pub waits: WaitFigures,
    /// Open cases past their deadline today (not limited to the months); none where
    /// it is not kept (an item's line).
    pub overdue: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct Report {
    /// None: the whole country (its next level down the provinces).
    pub region: Option<RegionCode>,
    /// `YYYY-MM`, or `YYYY-MM-DD` for a run of days; both ends included.
    pub from: String,
    pub to: String,
    /// False where the items are not kept for the period (a city's or a county's run
    /// of days): the page says so rather than show none.
    pub items_kept: bool,
    pub total: Area,
    /// The next level down, by code.
    pub areas: Vec<Area>,
    /// The region's items, by item id (the name is the id: the page names them).
    pub items: Vec<Area>,
    /// Month by month (day by day for a run of days): the region's line and its next
    /// level down's (for the trend).
    pub monthly: Vec<Month>,
}

/// One month (or day) of a report.
#[derive(Debug, Clone)]
pub struct Month {
    pub month: String,
    pub total: Area,
    pub areas: Vec<Area>,
}

/// The default period of the figures: (eleven months ago, this month), `YYYY-MM`.
pub(crate) fn last_twelve_months(today: jiff::civil::Date) -> (String, String) {
    let this_month = today.strftime("%Y-%m").to_string();
    let year_ago = today
        .checked_sub(jiff::Span::new().months(11))
        .map_or_else(|_| this_month.clone(), |d| d.strftime("%Y-%m").to_string());
    (year_ago, this_month)
}

/// The longest run of days a report reads day by day (a quarter); longer periods are
/// read by the month.
pub const MAX_DAYS: usize = 92;

/// The days from `from` to `to` (`YYYY-MM-DD`), at most `limit` of them.
pub(crate) fn days(from: &str, to: &str, limit: usize) -> Vec<String> {
    let (Ok(mut day), Ok(last)) = (
        from.parse::<jiff::civil::Date>(),
        to.parse::<jiff::civil::Date>(),
    ) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    while day <= last && out.len() < limit {
        out.push(day.to_string());
        let Ok(next) = day.tomorrow() else { break };
        day = next;
    }
    out
}

/// What is wrong with a period asked for, and which end (`from` or `to`) it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PeriodProblem {
    /// Neither a month nor a day from 2000 to today.
    NotADate(&'static str, String),
    /// One end a month and the other a day.
    Mixed,
    FromAfterTo,
    /// More months than `max_months`, or more days than `MAX_DAYS`.
    TooLong,
}

impl PeriodProblem {
    /// The page's words for it (a Fluent key).
    pub(crate) fn key(&self) -> &'static str {
        match self {
            PeriodProblem::NotADate(..) => "figures-bad-month",
            PeriodProblem::Mixed => "figures-mixed-period",
            PeriodProblem::FromAfterTo => "figures-from-after-to",
            PeriodProblem::TooLong => "figures-too-long",
        }
    }

    /// The end it concerns and what was wrong, for an API's problem document.
    pub(crate) fn field_and_detail(&self, max_months: usize) -> (&'static str, String) {
        match self {
            PeriodProblem::NotADate(field, text) => (
                field,
                format!(
                    "{text:?}: give a month as YYYY-MM or a day as YYYY-MM-DD, from 2000 to today"
                ),
            ),
            PeriodProblem::Mixed => ("to", "give both ends as months or both as days".to_owned()),
            PeriodProblem::FromAfterTo => ("from", "from is after to".to_owned()),
            PeriodProblem::TooLong => (
                "from",
                format!("at most {max_months} months or {MAX_DAYS} days at once"),
            ),
        }
    }
}

/// A period from two ends as typed: each a month (`YYYY-MM`) or a day (`YYYY-MM-DD`),
/// from 2000 and not after today, both of one kind. An empty end takes the default of
/// the other's kind: the last twelve months, or the thirty days up to today.
pub(crate) fn parse_period(
    from: &str,
    to: &str,
    today: jiff::civil::Date,
    max_months: usize,
) -> Result<(String, String), PeriodProblem> {
    let end = |field: &'static str, text: &str| -> Result<Option<String>, PeriodProblem> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(None);
        }
        let parsed = if text.len() == 10 {
            jiff::civil::Date::strptime("%Y-%m-%d", text)
                .ok()
                .filter(|d| d.year() >= 2000 && *d <= today)
                .map(|d| d.to_string())
        } else {
            crate::ratings_report::parse_month(text, today)
        };
        parsed
            .map(Some)
            .ok_or_else(|| PeriodProblem::NotADate(field, text.to_owned()))
    };
    let (from, to) = (end("from", from)?, end("to", to)?);
    let by_day = from.as_deref().or(to.as_deref()).is_some_and(is_by_day);
    let (from_default, to_default) = if by_day {
        let month_ago = today
            .checked_sub(jiff::Span::new().days(29))
            .unwrap_or(today);
        (month_ago.to_string(), today.to_string())
    } else {
        last_twelve_months(today)
    };
    let (from, to) = (from.unwrap_or(from_default), to.unwrap_or(to_default));
    if is_by_day(&from) != is_by_day(&to) {
        return Err(PeriodProblem::Mixed);
    }
    if from > to {
        return Err(PeriodProblem::FromAfterTo);
    }
    let too_long = if by_day {
        days(&from, &to, MAX_DAYS + 1).len() > MAX_DAYS
    } else {
        months(&from, &to, max_months + 1).len() > max_months
    };
    if too_long {
        return Err(PeriodProblem::TooLong);
    }
    Ok((from, to))
}

/// Whether a period's ends are days (`YYYY-MM-DD`) rather than months.
pub(crate) fn is_by_day(from: &str) -> bool {
    from.len() == 10
}

/// The months from `from` to `to` (`YYYY-MM`), at most `limit` of them.
pub(crate) fn months(from: &str, to: &str, limit: usize) -> Vec<String> {
    let parse = |m: &str| jiff::civil::Date::strptime("%Y-%m-%d", format!("{m}-01")).ok();
    let (Some(mut month), Some(last)) = (parse(from), parse(to)) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    while month <= last && out.len() < limit {
        out.push(month.strftime("%Y-%m").to_string());
        let Ok(next) = month.checked_add(jiff::Span::new().months(1)) else {
            break;
        };
        month = next;
    }
    out
}

/// The totals under `head` (`cases|region|<month>|`) whose value starts with
/// `prefix`, as (county, name, value).
async fn read(
    store: &Store,
    head: &str,
    prefix: &str,
) -> Result<Vec<(String, String, i64)>, StoreError> {
    Ok(store
        .counters(&format!("{head}{prefix}"))
        .await?
        .into_iter()
        .filter_map(|c| Some((c.key.strip_prefix(head)?.to_owned(), c.name, c.value)))
        .collect())
}

/// The line of the next level down from `region` that `county` lies in.
fn area_entry<'a>(
    areas: &'a mut BTreeMap<RegionCode, Area>,
    region: Option<RegionCode>,
    county: &str,
) -> Option<&'a mut Area> {
    let code = area_of(region, RegionCode::parse(county).ok()?)?;
    Some(areas.entry(code).or_insert_with(|| Area {
        code: code.to_string(),
        name: code.name().to_owned(),
        overdue: Some(0),
        ..Area::default()
    }))
}

/// Which totals hold a region's lines, each as (dimension, start of the value): one
/// range of keys each, and never more rows than the region has counties (the
/// country's and a province's from the province totals the engine keeps beside the
/// counties'; `yichuang_domain::roll_up`).
#[derive(Debug, Clone)]
pub(crate) struct LineKeys {
    /// The region's next level down (a province's counties, or the provinces).
    pub areas: (&'static str, String),
    /// The region's items (`<region>|<item>`, or the item alone for the country);
    /// None where they are not kept (a city's or county's days).
    pub items: Option<(&'static str, String)>,
}

/// The totals of a region's lines by month, or by day with `by_day`.
pub(crate) fn line_keys(region: Option<RegionCode>, by_day: bool) -> LineKeys {
    let pick = |month: &'static str, day: &'static str| if by_day { day } else { month };
    match region {
        None => LineKeys {
            areas: (pick("province", "province_day"), String::new()),
            items: Some((pick("item", "item_day"), String::new())),
        },
        Some(r) if r.level() == yichuang_domain::Level::Province => LineKeys {
            areas: (pick("region", "region_day"), r.subtree_prefix()),
            items: Some((pick("province_item", "province_item_day"), format!("{r}|"))),
        },
        Some(r) => LineKeys {
            areas: (pick("region", "region_day"), r.subtree_prefix()),
            items: (!by_day).then(|| ("area_item", r.subtree_prefix())),
        },
    }
}

/// The item of an item total's value (`<region>|<item>`, or the item alone).
pub(crate) fn item_of(value: &str) -> &str {
    value.rsplit('|').next().unwrap_or(value)
}

/// The line of an item, from an item total's value.
fn item_entry<'a>(items: &'a mut BTreeMap<String, Area>, value: &str) -> Option<&'a mut Area> {
    let item = item_of(value);
    Some(items.entry(item.to_owned()).or_insert_with(|| Area {
        code: item.to_owned(),
        name: item.to_owned(),
        ..Area::default()
    }))
}

/// A region's figures (the whole country's with `None`) over `from`..=`to` (both
/// `YYYY-MM`, or both `YYYY-MM-DD` for at most `MAX_DAYS` days) with its next level
/// down.
pub async fn report(
    store: &Store,
    region: Option<RegionCode>,
    (from, to): (&str, &str),
    today: jiff::civil::Date,
) -> Result<Report, StoreError> {
    let reach = region.map_or(Jurisdiction::Nation, Jurisdiction::Region);
    let prefix = reach.subtree_prefix();
    let by_day = is_by_day(from);
    let LineKeys {
        areas: (by_area, area_start),
        items: item_keys,
    } = line_keys(region, by_day);
    let periods = if by_day {
        days(from, to, MAX_DAYS)
    } else {
        months(from, to, 120)
    };
    let mut total = Area {
        code: reach.to_string(),
        name: reach.full_name(),
        overdue: Some(0),
        ..Area::default()
    };
    let mut areas: BTreeMap<RegionCode, Area> = BTreeMap::new();
    let mut items: BTreeMap<String, Area> = BTreeMap::new();
    let mut monthly = Vec::new();
    for month in periods {
        let mut this = Area {
            code: total.code.clone(),
            name: total.name.clone(),
            ..Area::default()
        };
        let mut these: BTreeMap<RegionCode, Area> = BTreeMap::new();
        for (county, name, value) in
            read(store, &format!("cases|{by_area}|{month}|"), &area_start).await?
        {
            for (line, lines) in [(&mut total, &mut areas), (&mut this, &mut these)] {
                line.cases.add(&name, value);
                if let Some(a) = area_entry(lines, region, &county) {
                    a.cases.add(&name, value);
                }
            }
        }
        for (county, name, value) in
            read(store, &format!("ratings|{by_area}|{month}|"), &area_start).await?
        {
            for (line, lines) in [(&mut total, &mut areas), (&mut this, &mut these)] {
                line.ratings.add(&name, value);
                if let Some(a) = area_entry(lines, region, &county) {
                    a.ratings.add(&name, value);
                }
            }
        }
        for (county, name, value) in
            read(store, &format!("halls|{by_area}|{month}|"), &area_start).await?
        {
            for (line, lines) in [(&mut total, &mut areas), (&mut this, &mut these)] {
                line.waits.add(&name, value);
                if let Some(a) = area_entry(lines, region, &county) {
                    a.waits.add(&name, value);
                }
            }
        }
        // A month's lines have no "overdue now" (it is today's, not the month's).
        let mut these: Vec<Area> = these.into_values().collect();
        for a in &mut these {
            a.overdue = None;
        }
        monthly.push(Month {
            month: month.clone(),
            total: this,
            areas: these,
        });
        // By item: one range each (the region first).
        let Some((by_item, item_start)) = &item_keys else {
            continue;
        };
        for (value, name, n) in
            read(store, &format!("cases|{by_item}|{month}|"), item_start).await?
        {
            if let Some(item) = item_entry(&mut items, &value) {
                item.cases.add(&name, n);
            }
        }
        for (value, name, n) in
            read(store, &format!("ratings|{by_item}|{month}|"), item_start).await?
        {
            if let Some(item) = item_entry(&mut items, &value) {
                item.ratings.add(&name, n);
            }
        }
    }
    for (county, n) in store.overdue_by_county(&prefix, today).await? {
        total.overdue = Some(total.overdue.unwrap_or(0) + n);
        if let Some(a) = area_entry(&mut areas, region, &county) {
            a.overdue = Some(a.overdue.unwrap_or(0) + n);
        }
    }
    Ok(Report {
        region,
        from: from.to_owned(),
        to: to.to_owned(),
        items_kept: item_keys.is_some(),
        total,
        areas: areas.into_values().collect(),
        items: items.into_values().collect(),
        monthly,
    })
}

/// One item's case figures in a region (the whole country with `None`) over `months`
/// (`YYYY-MM`), from the region's item totals.
pub async fn item_figures_over(
    store: &Store,
    region: Option<RegionCode>,
    item: &str,
    months: &[String],
) -> Result<CaseFigures, StoreError> {
    let Some((by_item, start)) = line_keys(region, false).items else {
        return Ok(CaseFigures::default());
    };
    let mut figures = CaseFigures::default();
    for month in months {
        for (value, name, n) in read(store, &format!("cases|{by_item}|{month}|"), &start).await? {
            if item_of(&value) == item {
                figures.add(&name, n);
            }
        }
    }
    Ok(figures)
}
