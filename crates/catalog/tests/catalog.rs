//! The catalog through its public surface: the built-in data, resolution, reports, and
//! the check's errors (file, line, field).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use jiff::civil::{Date, date};
use yichuang_catalog::{CatalogError, builtin, history, load_files};
use yichuang_domain::RegionCode;
use yichuang_domain::catalog::{Catalog, ItemKind, LimitUnit, Origin, StatutoryLimit, deviation};

fn catalog() -> Catalog {
    builtin().expect("the built-in catalog checks").catalog
}

fn region(code: &str) -> RegionCode {
    RegionCode::parse(code).unwrap()
}

fn d(text: &str) -> Date {
    text.parse().unwrap()
}

#[test]
fn the_catalog_covers_every_project_and_the_known_regions() {
    let catalog = catalog();
    assert!(
        catalog.item_ids().len() >= 60,
        "{} items",
        catalog.item_ids().len()
    );
    let names: Vec<&str> = catalog.projects.iter().map(|p| p.name.as_str()).collect();
    for name in [
        "职工基本养老保险",
        "城乡居民基本养老保险",
        "职工基本医疗保险",
        "生育保险",
        "城乡居民基本医疗保险",
        "失业保险",
        "工伤保险",
        "基本公共就业服务",
        "创业服务",
        "就业援助",
        "就业见习服务",
        "大中城市联合招聘服务",
        "职业技能培训和技能鉴定",
        "“12333”人社服务热线电话咨询",
        "劳动关系协调",
        "劳动人事争议调解仲裁",
        "劳动保障监察",
        "人才服务",
    ] {
        assert!(names.contains(&name), "missing project {name}");
    }
    for project in &catalog.projects {
        assert!(
            catalog.guides.iter().any(|g| g.project == project.id),
            "no item in {}",
            project.id
        );
    }
    let medical = catalog
        .projects
        .iter()
        .find(|p| p.id == "employee-medical")
        .unwrap();
    assert!(medical.department.contains("医疗保障"));
    let regions = catalog.regions();
    for code in [
        "330000", "330211", "510000", "510107", "450000", "320000", "320200", "320400", "320800",
        "370000", "620000",
    ] {
        assert!(
            regions.contains(&region(code)),
            "no implementation for {code}"
        );
    }
    // Every implementation states its provenance, and illustrative ones are marked so.
    assert!(
        catalog
            .variants
            .iter()
            .all(|v| v.provenance.is_illustrative())
    );
}

#[test]
fn statutory_limits_are_encoded_exactly() {
    let catalog = catalog();
    // (item, amount, unit, article): shared/data/reference/statutory_time_limits.json
    let cases = [
        (
            "unemployment-benefit-claim",
            10,
            LimitUnit::WorkingDays,
            "社会保险经办条例 第二十四条第一款",
        ),
        (
            "retirement-pension-claim",
            20,
            LimitUnit::WorkingDays,
            "社会保险经办条例 第十八条",
        ),
        (
            "social-security-card-issue",
            10,
            LimitUnit::WorkingDays,
            "社会保险经办条例 第六条",
        ),
        (
            "employer-registration-change",
            10,
            LimitUnit::WorkingDays,
            "社会保险经办条例 第十条",
        ),
        (
            "medical-expense-reimbursement",
            30,
            LimitUnit::WorkingDays,
            "社会保险经办条例 第二十条",
        ),
        (
            "maternity-allowance-claim",
            10,
            LimitUnit::WorkingDays,
            "社会保险经办条例 第二十条",
        ),
        (
            "work-injury-expense-reimbursement",
            20,
            LimitUnit::WorkingDays,
            "社会保险经办条例 第二十二条",
        ),
        (
            "skill-upgrade-subsidy",
            10,
            LimitUnit::WorkingDays,
            "社会保险经办条例 第二十四条第三款",
        ),
        (
            "work-injury-recognition",
            60,
            LimitUnit::CalendarDays,
            "工伤保险条例 第二十条",
        ),
        (
            "work-ability-appraisal",
            60,
            LimitUnit::CalendarDays,
            "工伤保险条例 第二十五条",
        ),
        (
            "labour-dispute-arbitration",
            45,
            LimitUnit::CalendarDays,
            "劳动争议调解仲裁法 第四十三条",
        ),
        (
            "labour-inspection-complaint",
            60,
            LimitUnit::WorkingDays,
            "劳动保障监察条例 第十七条",
        ),
        (
            "employer-registration",
            15,
            LimitUnit::CalendarDays,
            "社会保险法 第五十七条",
        ),
    ];
    for (item, amount, unit, basis) in cases {
        let guide = catalog.guide_at(item, d("2026-01-01")).unwrap();
        let StatutoryLimit::Set(limit) = &guide.statutory else {
            panic!("{item}: no statutory limit")
        };
        assert_eq!((limit.amount, limit.unit), (amount, unit), "{item}");
        assert_eq!(limit.basis.as_ref().unwrap().0, basis, "{item}");
    }
    let injury = catalog
        .guide_at("work-injury-recognition", d("2026-01-01"))
        .unwrap();
    let StatutoryLimit::Set(limit) = &injury.statutory else {
        unreachable!()
    };
    assert!(limit.suspension.as_deref().unwrap().contains("中止"));
    let acceptance = injury.acceptance.as_ref().unwrap();
    assert_eq!(
        (acceptance.amount, acceptance.restart_on_supplement),
        (15, true)
    );
    let arbitration = catalog
        .guide_at("labour-dispute-arbitration", d("2026-01-01"))
        .unwrap();
    let StatutoryLimit::Set(limit) = &arbitration.statutory else {
        unreachable!()
    };
    assert_eq!(limit.extension.as_ref().unwrap().amount, 15);
    assert_eq!(arbitration.acceptance.as_ref().unwrap().amount, 5);
    // Before the 2023 regulation no limit for the unemployment claim is known.
    let old = catalog
        .guide_at("unemployment-benefit-claim", d("2020-01-01"))
        .unwrap();
    assert_eq!(old.version, 1);
    assert_eq!(old.statutory, StatutoryLimit::Unknown);
}

#[test]
fn a_regions_guide_resolves_level_by_level_as_of_a_date() {
    let catalog = catalog();
    let promised = |code: &str, on: &str| {
        let r = catalog
            .resolve("unemployment-benefit-claim", region(code), d(on))
            .unwrap();
        (r.guide.promised.map(|p| p.amount), r.promised_origin)
    };
    assert_eq!(promised("330211", "2023-06-01"), (None, Origin::National));
    assert_eq!(
        promised("330211", "2024-03-01"),
        (
            Some(7),
            Origin::Province {
                region: region("330000")
            }
        )
    );
    assert_eq!(
        promised("330211", "2025-08-01"),
        (
            Some(5),
            Origin::Province {
                region: region("330000")
            }
        )
    );
    assert_eq!(
        promised("320000", "2025-08-01"),
        (
            Some(8),
            Origin::Province {
                region: region("320000")
            }
        )
    );
    assert_eq!(
        promised("320200", "2025-08-01"),
        (
            Some(5),
            Origin::City {
                region: region("320200")
            }
        )
    );
    assert_eq!(
        promised("320205", "2025-08-01"),
        (
            Some(5),
            Origin::City {
                region: region("320200")
            }
        )
    );
    assert_eq!(
        promised("320400", "2025-08-01"),
        (
            Some(6),
            Origin::City {
                region: region("320400")
            }
        )
    );
    assert_eq!(
        promised("110105", "2025-08-01"),
        (Some(10), Origin::National)
    );

    let card = catalog
        .resolve(
            "social-security-card-issue",
            region("510107"),
            d("2025-01-01"),
        )
        .unwrap();
    assert_eq!(card.guide.kind, ItemKind::OnTheSpot);
    assert_eq!(
        card.halls_origin,
        Origin::County {
            region: region("510107")
        }
    );
    assert!(card.guide.halls[0].contains("银行"));
    assert!(card.is_illustrative());

    let huaian = catalog
        .resolve(
            "unemployment-benefit-claim",
            region("320800"),
            d("2025-01-01"),
        )
        .unwrap();
    let added = huaian
        .materials
        .iter()
        .find(|m| m.material.id == "job-seeking-record")
        .unwrap();
    assert_eq!(
        added.origin,
        Origin::City {
            region: region("320800")
        }
    );
}

#[test]
fn the_content_hash_names_the_rules_not_the_question() {
    let catalog = catalog();
    let at = |code: &str, on: &str| {
        catalog
            .resolve("unemployment-benefit-claim", region(code), d(on))
            .unwrap()
            .content_hash
    };
    assert_eq!(at("330211", "2024-03-01"), at("330211", "2024-04-01"));
    assert_ne!(at("330211", "2024-03-01"), at("330211", "2025-08-01"));
    assert_ne!(at("330211", "2025-08-01"), at("110105", "2025-08-01"));
    assert_eq!(at("110105", "2025-08-01"), at("110101", "2025-08-01"));
}

#[test]
fn the_deviation_report_lists_what_a_region_changed() {
    let catalog = catalog();
    let on = d("2025-08-01");
    let zhejiang = region("330000");
    let report = |item: &str| {
        let resolved = catalog.resolve(item, zhejiang, on).unwrap();
        deviation(&resolved, catalog.guide_at(item, on).unwrap())
    };
    let unemployment = report("unemployment-benefit-claim");
    assert_eq!(unemployment.promised.as_ref().unwrap().direction, "shorter");
    assert_eq!(unemployment.channels_added.len(), 1);
    let pension = report("retirement-pension-claim");
    assert_eq!(pension.materials_dropped[0].id, "bank-account");
    assert!(pension.materials_dropped[0].reason.contains("shared data"));
    assert!(report("labour-dispute-arbitration").is_empty());
}

#[test]
fn history_lists_versions_with_what_changed() {
    let catalog = catalog();
    let entries = history(&catalog, "unemployment-benefit-claim");
    let national: Vec<_> = entries.iter().filter(|e| e.region.is_none()).collect();
    assert_eq!(national.len(), 2);
    assert_eq!(national[0].ends, Some(d("2023-12-01")));
    assert!(
        national[1]
            .changes
            .iter()
            .any(|c| c.contains("statutory limit changed"))
    );
    let zhejiang: Vec<_> = entries
        .iter()
        .filter(|e| e.region == Some(region("330000")))
        .collect();
    assert_eq!(zhejiang.len(), 2);
    assert!(
        zhejiang[1]
            .changes
            .iter()
            .any(|c| c.contains("7 WorkingDays → 5 WorkingDays")),
        "{:?}",
        zhejiang[1].changes
    );
    assert!(history(&catalog, "no-such-item").is_empty());
}

/// The repository's catalog files, as a standards officer edits them.
fn repository_files() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../catalog");
    let mut files = Vec::new();
    for folder in ["", "items", "regions"] {
        for entry in std::fs::read_dir(root.join(folder)).unwrap().flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "toml") {
                let name = if folder.is_empty() {
                    path.file_name().unwrap().to_string_lossy().into_owned()
                } else {
                    format!("{folder}/{}", path.file_name().unwrap().to_string_lossy())
                };
                files.push((name, std::fs::read_to_string(&path).unwrap()));
            }
        }
    }
    files
}

fn errors_with(file: &str, text: &str) -> Vec<CatalogError> {
    let mut files = repository_files();
    files.push((file.to_owned(), text.to_owned()));
    load_files(files)
        .expect_err("the added file must be refused")
        .0
}

#[test]
fn the_repository_files_check_clean() {
    let loaded = load_files(repository_files()).unwrap();
    assert_eq!(loaded.catalog.item_ids().len(), catalog().item_ids().len());
}

#[test]
fn bad_files_get_errors_naming_file_line_and_field() {
    const ITEM: &str = r#"
[[item]]
id = "test-item"
version = 1
effective = "2024-01-01"
name = "测试事项"
project = "unemployment-insurance"
summary = "s"
scope = "s"
applicant = "person"
kind = "promised"
channels = ["window"]
basis = ["失业保险条例 第十四条"]
provenance = { kind = "illustrative" }
statutory = { status = "set", amount = 10, unit = "working_days", basis = "社会保险经办条例 第二十四条" }
promised = { amount = 12, unit = "working_days" }
"#;
    // (file, text, line, field contains, message contains)
    let cases: &[(&str, &str, usize, &str, &str)] = &[
        (
            "items/test.toml",
            ITEM,
            16,
            "item test-item v1: promised",
            "may never exceed the law",
        ),
        (
            "items/test.toml",
            &ITEM.replace("unemployment-insurance", "no-project"),
            7,
            "item test-item v1: project",
            "no project \"no-project\"",
        ),
        (
            "items/test.toml",
            &ITEM.replace("\"失业保险条例 第十四条\"", "\"失业保险条例\""),
            13,
            "item test-item v1: basis",
            "does not name an article",
        ),
        (
            "items/test.toml",
            &ITEM.replace("2024-01-01", "2024-02-30"),
            5,
            "item test-item v1: effective",
            "is not a date",
        ),
        (
            "items/test.toml",
            &ITEM.replace("kind = \"promised\"", "kind = \"sometimes\""),
            11,
            "`kind = \"sometimes\"`",
            "unknown variant",
        ),
        (
            "items/test.toml",
            &ITEM.replace("scope = \"s\"", "scope = \"s\"\ncolour = \"red\""),
            10,
            "`colour = \"red\"`",
            "unknown field",
        ),
        (
            "items/test.toml",
            "[[item]\nid = 1",
            1,
            "`[[item]`",
            "unclosed",
        ),
        (
            "regions/330000-dup.toml",
            "region = \"330000\"\nprovenance = { kind = \"illustrative\" }\n[[variant]]\nitem = \"unemployment-benefit-claim\"\nversion = 9\neffective = \"2026-01-01\"\npromised = { amount = 12, unit = \"working_days\" }\n",
            7,
            "variant unemployment-benefit-claim v9 (330000): promised",
            "may never exceed the law",
        ),
        (
            "regions/330000-dup.toml",
            "region = \"330000\"\nprovenance = { kind = \"illustrative\" }\n[[variant]]\nitem = \"unemployment-benefit-claim\"\nversion = 9\neffective = \"2026-01-01\"\ndrop_materials = [{ id = \"termination-proof\", reason = \"fetched\" }]\n",
            7,
            "drop_materials",
            "required by 失业保险条例 第十六条",
        ),
        (
            "regions/330000-dup.toml",
            "region = \"330000\"\nprovenance = { kind = \"illustrative\" }\n[[variant]]\nitem = \"unemployment-benefit-claim\"\nversion = 9\neffective = \"2026-01-01\"\ndrop_materials = [{ id = \"bank-account\", reason = \" \" }]\n",
            7,
            "drop_materials",
            "needs a reason",
        ),
        (
            "regions/330000-dup.toml",
            "region = \"330000\"\nprovenance = { kind = \"illustrative\" }\n[[variant]]\nitem = \"no-such-item\"\nversion = 1\neffective = \"2026-01-01\"\n",
            4,
            "item",
            "no service item \"no-such-item\"",
        ),
        (
            "zz/life_events.toml",
            "[[life_event]]\nid = \"moving-abroad\"\nname = \"出国\"\nname_en = \"Moving abroad\"\nitems = [\"pension-transfer\",\n  \"no-such-item\"]\nprovenance = { kind = \"illustrative\" }\n",
            6,
            "life_event moving-abroad: items",
            "\"no-such-item\" is not an item",
        ),
        (
            "zz/life_events.toml",
            "[[life_event]]\nid = \"retirement\"\nname = \"退休\"\nname_en = \"Retiring\"\nitems = [\"pension-transfer\"]\nprovenance = { kind = \"illustrative\" }\n",
            2,
            "life_event retirement",
            "listed twice",
        ),
        (
            "regions/999999-x.toml",
            "region = \"999999\"\nprovenance = { kind = \"illustrative\" }\n",
            1,
            "region",
            "not a division",
        ),
        (
            "regions/330000-dup.toml",
            "region = \"330000\"\nprovenance = { kind = \"official\" }\n",
            1,
            "provenance",
            "needs a `citation`",
        ),
        (
            "regions/330200-ningbo.toml",
            "region = \"330200\"\nprovenance = { kind = \"illustrative\" }\n[[variant]]\nitem = \"unemployment-benefit-claim\"\nversion = 1\neffective = \"2025-08-01\"\npromised = { amount = 6, unit = \"working_days\" }\n",
            3,
            "promised",
            "a lower level may only shorten",
        ),
        (
            "regions/330000-dup.toml",
            "region = \"330000\"\nprovenance = { kind = \"illustrative\" }\n[[variant]]\nitem = \"unemployment-benefit-claim\"\nversion = 2\neffective = \"2026-01-01\"\n",
            3,
            "variant unemployment-benefit-claim v2 (330000)",
            "used twice",
        ),
        ("notes.toml", "x = 1", 1, "(file)", "not a catalog file"),
    ];
    for (file, text, line, field, message) in cases {
        let errors = errors_with(file, text);
        let found = errors.iter().any(|e| {
            e.file == *file
                && e.line == *line
                && e.field.contains(field)
                && e.message.contains(message)
        });
        assert!(
            found,
            "{file} expected line {line} field {field:?} message {message:?}, got:\n{}",
            errors
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
}

#[test]
fn a_region_resolves_on_any_past_date_in_force() {
    let catalog = catalog();
    let err = catalog
        .resolve(
            "unemployment-benefit-claim",
            region("330211"),
            date(2010, 1, 1),
        )
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("no version in force on 2010-01-01"),
        "{err}"
    );
    let err = catalog
        .resolve("nope", region("330211"), date(2025, 1, 1))
        .unwrap_err();
    assert!(err.to_string().contains("no service item"), "{err}");
}
