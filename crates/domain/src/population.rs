//! Residents per province from the 7th national census (2020), built in: the
//! denominator of 服务对象 coverage (cases per 10,000 residents). Only provinces: the
//! census communiqué in our sources gives no lower level.

use std::collections::HashMap;
use std::sync::LazyLock;

use crate::RegionCode;

/// `code,name,population_2020_census`; provenance in `data/README.md`.
const CSV: &str = include_str!("../../../data/reference/population_census2020_by_province.csv");

static CENSUS: LazyLock<HashMap<RegionCode, u64>> = LazyLock::new(|| {
    CSV.lines()
        .skip(1)
        .filter_map(|line| {
            let mut cells = line.split(',');
            let code = RegionCode::parse(cells.next()?).ok()?;
            let people = cells.nth(1)?.trim().parse().ok()?;
            Some((code, people))
        })
        .collect()
});

/// The 2020 census population of a province (None for any other level).
pub fn census_2020(region: RegionCode) -> Option<u64> {
    CENSUS.get(&region).copied()
}

/// The whole country's 2020 census population (the 31 provinces).
pub fn census_2020_total() -> u64 {
    CENSUS.values().sum()
}

/// `code,name,economic_region`; provenance in `data/README.md`.
const ECONOMIC_REGIONS: &str = include_str!("../../../data/reference/economic_regions_nbs2011.csv");

static GROUPS: LazyLock<HashMap<RegionCode, &'static str>> = LazyLock::new(|| {
    ECONOMIC_REGIONS
        .lines()
        .skip(1)
        .filter_map(|line| {
            let mut cells = line.split(',');
            let code = RegionCode::parse(cells.next()?).ok()?;
            Some((code, cells.nth(1)?.trim()))
        })
        .collect()
});

/// The economic region (东部, 中部, 西部 or 东北) of a province, as the National Bureau
/// of Statistics divides them (None for any other level).
pub fn economic_region(province: RegionCode) -> Option<&'static str> {
    GROUPS.get(&province).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_province_line_is_read_and_the_total_is_the_communiques() {
        assert_eq!(
            CENSUS.len(),
            31,
            "31 provinces (no 香港, 澳门, 台湾 in the communiqué's table)"
        );
        let total: u64 = CENSUS.values().sum();
        assert_eq!(total, 1_409_778_724);
        let zhejiang = RegionCode::parse("330000").ok();
        assert!(
            zhejiang
                .and_then(census_2020)
                .is_some_and(|n| n > 60_000_000)
        );
        assert_eq!(RegionCode::parse("330211").ok().and_then(census_2020), None);
    }

    #[test]
    fn every_province_has_one_of_the_four_economic_regions() {
        let mut sizes: HashMap<&str, usize> = HashMap::new();
        for province in CENSUS.keys() {
            *sizes
                .entry(economic_region(*province).unwrap())
                .or_default() += 1;
        }
        assert_eq!(sizes.get("东部"), Some(&10));
        assert_eq!(sizes.get("中部"), Some(&6));
        assert_eq!(sizes.get("西部"), Some(&12));
        assert_eq!(sizes.get("东北"), Some(&3));
        assert_eq!(census_2020_total(), 1_409_778_724);
    }
}
