//! 地域覆盖 on the standards page: of the county-level units in reach, how many offer
//! every item in force (online, or at a hall of the platform serving them), grouped by
//! the next level down; and the items most often not offered, with how many counties
//! lack them.

use std::collections::BTreeMap;

use jiff::civil::Date;
use yichuang_catalog::{CountyCoverage, county_coverage};
use yichuang_domain::{Jurisdiction, RegionCode};

use crate::figure_list::item_name;
use crate::ratings_report::area_of;
use crate::state::AppState;

/// One area of the next level down.
pub(crate) struct AreaLine {
    pub name: String,
    pub units: usize,
    pub complete: usize,
    pub with_hall: usize,
}

/// An item some counties do not offer.
pub(crate) struct GapLine {
    pub name: String,
    pub counties: usize,
}

pub(crate) struct AreaCoverage {
    pub units: usize,
    pub complete: usize,
    pub areas: Vec<AreaLine>,
    /// Most counties lacking it first; at most `SHOWN_GAPS`.
    pub gaps: Vec<GapLine>,
}

const SHOWN_GAPS: usize = 20;

/// The line of the next level down from `root` that `unit` lies in (the unit itself
/// when it is the root).
fn area(root: Option<RegionCode>, unit: RegionCode) -> RegionCode {
    if Some(unit) == root {
        return unit;
    }
    area_of(root, unit).unwrap_or(unit)
}

/// 地域覆盖 of `reach` on `date`; the halls are read from the store (none if it fails:
/// the page then says no county has one, which the log explains).
pub(crate) async fn area_coverage(
    state: &AppState,
    reach: Jurisdiction,
    date: Date,
) -> AreaCoverage {
    let halls = match state.store.halls("").await {
        Ok(halls) => halls,
        Err(e) => {
            tracing::error!(error = %e, "halls could not be read for the coverage");
            Vec::new()
        }
    };
    let root = reach.region();
    // The halls in reach, and those registered above it (a provincial centre serves
    // every county of its province).
    let hall_regions: Vec<RegionCode> = halls
        .iter()
        .filter_map(|h| RegionCode::parse(&h.region).ok())
        .filter(|h| reach.contains(*h) || root.is_some_and(|r| r.is_within(*h)))
        .collect();
    let lines = county_coverage(&state.catalog.catalog, date, root, &hall_regions);
    summarise(state, root, &lines)
}

fn summarise(state: &AppState, root: Option<RegionCode>, lines: &[CountyCoverage]) -> AreaCoverage {
    let mut areas: BTreeMap<RegionCode, AreaLine> = BTreeMap::new();
    let mut gaps: BTreeMap<&str, usize> = BTreeMap::new();
    for line in lines {
        let code = area(root, line.county);
        let entry = areas.entry(code).or_insert_with(|| AreaLine {
            name: code.name().to_owned(),
            units: 0,
            complete: 0,
            with_hall: 0,
        });
        entry.units += 1;
        entry.complete += usize::from(line.is_complete());
        entry.with_hall += usize::from(line.has_hall);
        for item in &line.gaps {
            *gaps.entry(item.as_str()).or_default() += 1;
        }
    }
    let mut gaps: Vec<(&str, usize)> = gaps.into_iter().collect();
    gaps.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    AreaCoverage {
        units: lines.len(),
        complete: lines.iter().filter(|l| l.is_complete()).count(),
        areas: areas.into_values().collect(),
        gaps: gaps
            .into_iter()
            .take(SHOWN_GAPS)
            .map(|(item, counties)| GapLine {
                name: item_name(state, item),
                counties,
            })
            .collect(),
    }
}
