//! 地域 coverage: which county offers which item, online or at a hall in it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::HashSet;

use yichuang_catalog::{county_coverage, county_units};
use yichuang_domain::catalog::Channel;
use yichuang_domain::{Level, RegionCode};

fn region(code: &str) -> RegionCode {
    RegionCode::parse(code).unwrap()
}

#[test]
fn every_county_level_unit_is_counted_once_and_lies_in_its_root() {
    let nation = county_units(None);
    let unique: HashSet<_> = nation.iter().collect();
    assert_eq!(unique.len(), nation.len(), "no unit twice");
    // The provinces' units together are the country's.
    let by_province: usize = RegionCode::provinces()
        .map(|p| {
            let units = county_units(Some(p));
            assert!(units.iter().all(|u| u.is_within(p)), "{p:?}");
            units.len()
        })
        .sum();
    assert_eq!(by_province, nation.len());
    // 2,845 counties in the 2025 table, plus the cities with no county below them.
    let counties = nation.iter().filter(|u| u.level() == Level::County).count();
    assert_eq!(counties, 2845);
    assert!(
        nation.contains(&region("441900")),
        "东莞 has only townships below it"
    );
    assert_eq!(county_units(Some(region("330211"))), vec![region("330211")]);
}

#[test]
fn a_county_without_a_hall_lacks_exactly_the_items_not_offered_online() {
    // Every built-in item is offered online; here one is taken at windows only and
    // one by post only.
    let loaded = common::catalog_with(
        "items/employment-assistance.toml",
        |text| {
            let online = r#"channels = ["window", "online", "mobile"]"#;
            text.replacen(online, r#"channels = ["window"]"#, 1)
                .replacen(online, r#"channels = ["post"]"#, 1)
        },
        &[],
    )
    .unwrap();
    let catalog = &loaded.catalog;
    let date = jiff::civil::date(2026, 3, 2);
    let zhenhai = region("330211");
    let beilun = region("330206");
    let lines = county_coverage(catalog, date, Some(region("330200")), &[zhenhai]);
    let line = |county| lines.iter().find(|l| l.county == county).unwrap();
    let (with_hall, without) = (line(zhenhai), line(beilun));
    assert!(with_hall.has_hall && !without.has_hall);
    // Worked out here from the guides themselves, item by item.
    let mut expected_without = Vec::new();
    let mut expected_with = Vec::new();
    for item in catalog.item_ids() {
        let Ok(g) = catalog.resolve(item, beilun, date) else {
            continue;
        };
        let online = g
            .guide
            .channels
            .iter()
            .any(|c| matches!(c, Channel::Online | Channel::Mobile));
        let hall = g
            .guide
            .channels
            .iter()
            .any(|c| matches!(c, Channel::Window | Channel::BankOutlet));
        if !online {
            expected_without.push(item.to_owned());
            if !hall {
                expected_with.push(item.to_owned());
            }
        }
    }
    assert_eq!(expected_without.len(), 2, "the two edited items");
    assert_eq!(expected_with.len(), 1, "the one by post");
    assert_eq!(without.gaps, expected_without);
    assert_eq!(with_hall.gaps, expected_with);
    assert!(with_hall.items >= 60 && with_hall.online < with_hall.items);
    assert_eq!(with_hall.is_complete(), expected_with.is_empty());
    // A hall registered for the city serves each of its counties.
    let city_hall = county_coverage(catalog, date, Some(region("330200")), &[region("330200")]);
    assert!(
        city_hall
            .iter()
            .all(|l| l.has_hall && l.gaps == expected_with)
    );
}
