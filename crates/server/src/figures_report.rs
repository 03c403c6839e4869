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
    /// `YYYY-MM`, both ends included.
    pub from: String,
    pub to: String,
    pub total: Area,
    /// The next level down, by code.
    pub areas: Vec<Area>,
    /// The region's items, by item id (the name is the id: the page names them).
    pub items: Vec<Area>,
    /// Month by month: the region's line and its next level down's (for the trend).
    pub monthly: Vec<Month>,
}

/// One month of a report.
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

/// The line of an item, from an `area_item` total's value (`<county>|<item>`).
fn item_entry<'a>(items: &'a mut BTreeMap<String, Area>, value: &str) -> Option<&'a mut Area> {
    let (_, item) = value.split_once('|')?;
    Some(items.entry(item.to_owned()).or_insert_with(|| Area {
        code: item.to_owned(),
        name: item.to_owned(),
        ..Area::default()
    }))
}

/// A region's figures (the whole country's with `None`) over `from`..=`to`
/// (`YYYY-MM`) with its next level down.
pub async fn report(
    store: &Store,
    region: Option<RegionCode>,
    (from, to): (&str, &str),
    today: jiff::civil::Date,
) -> Result<Report, StoreError> {
    let reach = region.map_or(Jurisdiction::Nation, Jurisdiction::Region);
    let prefix = reach.subtree_prefix();
    let mut total = Area {
        code: reach.to_string(),
        name: reach.full_name(),
        overdue: Some(0),
        ..Area::default()
    };
    let mut areas: BTreeMap<RegionCode, Area> = BTreeMap::new();
    let mut items: BTreeMap<String, Area> = BTreeMap::new();
    let mut monthly = Vec::new();
    for month in months(from, to, 120) {
        let mut this = Area {
            code: total.code.clone(),
            name: total.name.clone(),
            ..Area::default()
        };
        let mut these: BTreeMap<RegionCode, Area> = BTreeMap::new();
        for (county, name, value) in read(store, &format!("cases|region|{month}|"), &prefix).await?
        {
            for (line, lines) in [(&mut total, &mut areas), (&mut this, &mut these)] {
                line.cases.add(&name, value);
                if let Some(a) = area_entry(lines, region, &county) {
                    a.cases.add(&name, value);
                }
            }
        }
        for (county, name, value) in
            read(store, &format!("ratings|region|{month}|"), &prefix).await?
        {
            for (line, lines) in [(&mut total, &mut areas), (&mut this, &mut these)] {
                line.ratings.add(&name, value);
                if let Some(a) = area_entry(lines, region, &county) {
                    a.ratings.add(&name, value);
                }
            }
        }
        for (county, name, value) in read(store, &format!("halls|region|{month}|"), &prefix).await?
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
        // By item: the region's counties × items, one range each (the region first).
        for (value, name, n) in read(store, &format!("cases|area_item|{month}|"), &prefix).await? {
            if let Some(item) = item_entry(&mut items, &value) {
                item.cases.add(&name, n);
            }
        }
        for (value, name, n) in read(store, &format!("ratings|area_item|{month}|"), &prefix).await?
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
        total,
        areas: areas.into_values().collect(),
        items: items.into_values().collect(),
        monthly,
    })
}

/// One item's case figures in a region (the whole country with `None`) over `months` (`YYYY-MM`), from the
/// `cases|area_item|…` totals of the region's counties.
pub async fn item_figures_over(
    store: &Store,
    region: Option<RegionCode>,
    item: &str,
    months: &[String],
) -> Result<CaseFigures, StoreError> {
    let prefix = region
        .map_or(Jurisdiction::Nation, Jurisdiction::Region)
        .subtree_prefix();
    let suffix = format!("|{item}");
    let mut figures = CaseFigures::default();
    for month in months {
        for (value, name, n) in read(store, &format!("cases|area_item|{month}|"), &prefix).await? {
            if value.ends_with(&suffix) {
                figures.add(&name, n);
            }
        }
    }
    Ok(figures)
}
