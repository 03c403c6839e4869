//! Regions' rating settings (`[ratings]`): read into the catalog, inherited downwards,
//! and every bad value refused with the file and field.

#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use common::catalog_with;
use yichuang_domain::RegionCode;
use yichuang_domain::rating::{Level, RatingPolicy, Stage};

const GUANGXI: &str = "regions/450000-guangxi.toml";

fn region(code: &str) -> RegionCode {
    RegionCode::parse(code).unwrap()
}

#[test]
fn guangxi_counts_an_unrated_service_as_very_satisfied_after_seven_days_and_below_it_too() {
    let catalog = yichuang_catalog::builtin().unwrap().catalog;
    for code in ["450000", "450100", "450102"] {
        let policy = catalog.rating_policy(region(code));
        let default = policy.default_rating.expect("广西 sets a default");
        assert_eq!(
            (default.after_days, default.level),
            (7, Level::VerySatisfied),
            "{code}"
        );
        assert_eq!(policy.version, 2);
        assert!(policy.source.contains("广西"));
        assert_eq!(
            policy.case_stages,
            vec![Stage::Acceptance, Stage::Completion]
        );
    }
    // Elsewhere the national defaults hold: no default rating.
    assert_eq!(
        catalog.rating_policy(region("330211")),
        RatingPolicy::default()
    );
}

fn refused(settings: &str) -> Vec<String> {
    let edit = |text: &str| {
        let cut = text.find("[ratings]").unwrap();
        let variants = text.find("[[variant]]").unwrap();
        format!(
            "{}[ratings]\n{settings}\n\n{}",
            &text[..cut],
            &text[variants..]
        )
    };
    catalog_with(GUANGXI, edit, &[])
        .expect_err("the settings must be refused")
        .0
        .iter()
        .map(|e| format!("{}: {}", e.field, e.message))
        .collect()
}

#[test]
fn bad_settings_are_refused_each_with_its_field() {
    let cases: &[(&str, &str)] = &[
        (
            "version = 2\nsource = \"x\"\ndefault_after_days = 7\ndefault_level = \"dissatisfied\"",
            "ratings: default_level: a default rating is never a poor one",
        ),
        (
            "version = 2\nsource = \"x\"\ndefault_after_days = 7\ndefault_level = \"great\"",
            "ratings: default_level: \"great\" is not a level",
        ),
        (
            "version = 2\nsource = \"x\"\ndefault_after_days = 7",
            "ratings: default_after_days and default_level go together",
        ),
        (
            "version = 2\nsource = \"x\"\ndefault_after_days = 0\ndefault_level = \"basic\"",
            "ratings: default_after_days: a default needs at least one day",
        ),
        (
            "version = 2\nsource = \"x\"\ncase_stages = [\"acceptance\"]",
            "ratings: case_stages: every case is rated at least at completion",
        ),
        (
            "version = 2\nsource = \"x\"\ncase_stages = [\"visit\", \"completion\"]",
            "ratings: case_stages: \"visit\" is not a stage of a case",
        ),
        (
            "version = 1\nsource = \"x\"",
            "ratings: version: a region's settings are numbered above the national ones",
        ),
        (
            "version = 2\nsource = \"  \"",
            "ratings: source: say where the settings come from",
        ),
    ];
    for (settings, expected) in cases {
        let errors = refused(settings);
        assert!(
            errors.iter().any(|e| e.starts_with(expected)),
            "{settings:?}: expected {expected:?}, got {errors:?}"
        );
    }
    // An unknown field is named by the TOML reader.
    let errors = refused("version = 2\nsource = \"x\"\nlate_dayz = 3");
    assert!(errors.iter().any(|e| e.contains("late_dayz")), "{errors:?}");
}

/// 广西's file with a `[stars]` table put before its variants.
fn with_stars(
    stars: &str,
) -> Result<yichuang_catalog::LoadedCatalog, yichuang_catalog::CatalogErrors> {
    let edit = |text: &str| {
        let variants = text.find("[[variant]]").unwrap();
        format!(
            "{}[stars]\n{stars}\n\n{}",
            &text[..variants],
            &text[variants..]
        )
    };
    catalog_with(GUANGXI, edit, &[])
}

#[test]
fn a_regions_star_criteria_hold_below_it_and_bad_ones_are_refused() {
    let loaded = with_stars(
        "source = \"示例：某市星级窗口评定办法\"\non_time_weight = 0.3\nmin_ratings = 5\nthresholds = [96.0, 92.0, 85.0, 75.0]",
    )
    .unwrap();
    let criteria = loaded.catalog.star_criteria(region("450102"));
    assert_eq!(criteria.on_time_weight, 0.3);
    assert_eq!(criteria.min_ratings, 5);
    assert_eq!(criteria.thresholds, [96.0, 92.0, 85.0, 75.0]);
    assert_eq!(criteria.provenance, "示例：某市星级窗口评定办法");
    assert_eq!(
        criteria.satisfaction_weight,
        yichuang_domain::rating::StarCriteria::default().satisfaction_weight,
        "unset fields keep the defaults"
    );
    assert_eq!(
        loaded.catalog.star_criteria(region("330211")),
        yichuang_domain::rating::StarCriteria::default()
    );
    for (stars, expected) in [
        (
            "source = \"x\"\nthresholds = [90.0, 95.0, 80.0, 70.0]",
            "stars: thresholds",
        ),
        (
            "source = \"x\"\nthresholds = [190.0, 95.0, 80.0, 70.0]",
            "stars: thresholds",
        ),
        ("source = \"x\"\nvolume_weight = -1.0", "stars: weights"),
        ("source = \"x\"\nmin_ratings = 0", "stars: min_ratings"),
        ("source = \"\"", "stars: source"),
    ] {
        let errors = with_stars(stars).expect_err(stars).0;
        assert!(
            errors.iter().any(|e| e.field == expected),
            "{stars:?}: expected {expected}, got {errors:?}"
        );
    }
}
