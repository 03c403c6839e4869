//! 地域 coverage, the second of the 三个全覆盖: does every county offer every item in
//! force, online or at a hall in the county? From the guides as each county resolves
//! them and where the halls are (the store's; passed in, so this stays pure).

use std::collections::{HashMap, HashSet};

use jiff::civil::Date;
use serde::Serialize;
use yichuang_domain::catalog::{Catalog, Channel};
use yichuang_domain::{Level, RegionCode};

/// One county: how many items it offers and which it does not.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CountyCoverage {
    pub county: RegionCode,
    /// A hall or bank outlet of the platform serves the county (one in it, or one
    /// registered for the city or province around it).
    pub has_hall: bool,
    /// Items in force there.
    pub items: usize,
    /// Of those, items applied for online or on a phone (网上/掌上办).
    pub online: usize,
    /// Items offered neither online nor at a hall in the county, by item id.
    pub gaps: Vec<String>,
}

impl CountyCoverage {
    pub fn is_complete(&self) -> bool {
        self.gaps.is_empty()
    }
}

/// The county-level units under `root` (every county of the country with `None`): the
/// counties, and a prefecture-level city or province that has none below it (东莞,
/// 儋州, 澳门: their next level down is townships).
pub fn county_units(root: Option<RegionCode>) -> Vec<RegionCode> {
    let mut out = Vec::new();
    let mut stack: Vec<RegionCode> = match root {
        Some(region) => vec![region],
        None => RegionCode::provinces().collect(),
    };
    while let Some(region) = stack.pop() {
        match region.level() {
            Level::County => out.push(region),
            Level::Township => {}
            Level::Province | Level::Prefecture => {
                let below: Vec<RegionCode> = region
                    .children()
                    .filter(|c| matches!(c.level(), Level::Prefecture | Level::County))
                    .collect();
                if below.is_empty() {
                    out.push(region);
                }
                stack.extend(below);
            }
        }
    }
    out.sort();
    out
}

/// Each county unit under `root` on `date`, given the regions the halls serve.
pub fn county_coverage(
    catalog: &Catalog,
    date: Date,
    root: Option<RegionCode>,
    hall_regions: &[RegionCode],
) -> Vec<CountyCoverage> {
    let items: Vec<&str> = catalog
        .item_ids()
        .into_iter()
        .filter(|item| catalog.guide_at(item, date).is_ok())
        .collect();
    // A county resolves its guides through the regions above it that have variants:
    // counties with the same such regions resolve alike, so each set is resolved once
    // (a few dozen sets for the country's 2,800 counties).
    let with_variants: HashSet<RegionCode> = catalog.regions().into_iter().collect();
    let mut offers: HashMap<Vec<RegionCode>, Vec<(String, bool, bool)>> = HashMap::new();
    county_units(root)
        .into_iter()
        .map(|county| {
            let key: Vec<RegionCode> = county
                .ancestors()
                .into_iter()
                .chain(std::iter::once(county))
                .filter(|r| with_variants.contains(r))
                .collect();
            let offered = offers
                .entry(key)
                .or_insert_with(|| channels_of(catalog, &items, county, date));
            let has_hall = hall_regions.iter().any(|h| county.is_within(*h));
            CountyCoverage {
                county,
                has_hall,
                items: offered.len(),
                online: offered.iter().filter(|(_, online, _)| *online).count(),
                gaps: offered
                    .iter()
                    .filter(|(_, online, at_hall)| !(*online || (*at_hall && has_hall)))
                    .map(|(item, _, _)| item.clone())
                    .collect(),
            }
        })
        .collect()
}

/// Each item in force in `county`: (id, offered online, taken at a hall).
fn channels_of(
    catalog: &Catalog,
    items: &[&str],
    county: RegionCode,
    date: Date,
) -> Vec<(String, bool, bool)> {
    items
        .iter()
        .filter_map(|item| {
            let resolved = catalog.resolve(item, county, date).ok()?;
            let channels = &resolved.guide.channels;
            let online = channels
                .iter()
                .any(|c| matches!(c, Channel::Online | Channel::Mobile));
            let at_hall = channels
                .iter()
                .any(|c| matches!(c, Channel::Window | Channel::BankOutlet));
            Some(((*item).to_owned(), online, at_hall))
        })
        .collect()
}
