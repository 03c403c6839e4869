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
}
