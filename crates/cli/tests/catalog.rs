//! `yichuang catalog …` and `yichuang search` as a standards officer and a citizen meet them.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use assert_cmd::Command;
use serde_json::Value;

fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("yichuang")
        .unwrap()
        .env_remove("YICHUANG_CATALOG_DIR")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn json(args: &[&str]) -> Value {
    let (code, stdout, stderr) = run(args);
    assert_eq!(code, 0, "{args:?}: {stderr}");
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{args:?}: {e}: {stdout}"))
}

#[test]
fn the_built_in_catalog_checks_clean() {
    let v = json(&["catalog", "check", "--json"]);
    assert_eq!(v["valid"], true);
    assert!(v["items"].as_u64().unwrap() >= 60);
    assert_eq!(v["projects"], 18);
}

#[test]
fn a_broken_catalog_folder_fails_with_file_line_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../catalog");
    for folder in ["items", "regions", "policies"] {
        std::fs::create_dir_all(dir.path().join(folder)).unwrap();
    }
    for entry in walk(&root) {
        let relative = entry.strip_prefix(&root).unwrap();
        std::fs::copy(&entry, dir.path().join(relative)).unwrap();
    }
    std::fs::write(
        dir.path().join("regions/330000-extra.toml"),
        "region = \"330000\"\nprovenance = { kind = \"illustrative\" }\n[[variant]]\nitem = \"work-injury-recognition\"\nversion = 1\neffective = \"2026-01-01\"\npromised = { amount = 90, unit = \"calendar_days\" }\n",
    )
    .unwrap();
    let folder = dir.path().to_str().unwrap();
    let (code, _, stderr) = run(&["catalog", "check", "--catalog", folder]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains(
            "330000-extra.toml:7: variant work-injury-recognition v1 (330000): promised:"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("may never exceed the law"), "{stderr}");
    let (code, stdout, _) = run(&["catalog", "check", "--catalog", folder, "--json"]);
    assert_eq!(code, 1);
    let v: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["errors"][0]["line"], 7);
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.push(path);
        }
    }
    out
}

#[test]
fn show_says_where_each_value_came_from_and_labels_examples() {
    let (code, stdout, stderr) = run(&[
        "catalog",
        "show",
        "unemployment-benefit-claim",
        "--region",
        "320200",
        "--date",
        "2026-06-01",
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.starts_with("[ILLUSTRATIVE]"), "{stdout}");
    assert!(
        stdout.contains("5个工作日（自收到申请之日起算） [city 320200 无锡市]"),
        "{stdout}"
    );
    assert!(
        stdout.contains("社会保险经办条例 第二十四条第一款"),
        "{stdout}"
    );
    let v = json(&[
        "catalog",
        "show",
        "social-security-card-issue",
        "--region",
        "510107",
        "--date",
        "2026-06-01",
        "--json",
    ]);
    assert_eq!(v["illustrative"], true);
    assert_eq!(v["resolved"]["guide"]["kind"], "on_the_spot");
    assert_eq!(v["resolved"]["halls_origin"]["level"], "county");
    assert_eq!(v["resolved"]["content_hash"].as_str().unwrap().len(), 64);
}

#[test]
fn diff_coverage_history_and_schema_answer() {
    let v = json(&[
        "catalog",
        "diff",
        "--region",
        "330000",
        "--date",
        "2026-06-01",
        "--json",
    ]);
    let items: Vec<&str> = v["deviations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["item"].as_str().unwrap())
        .collect();
    assert!(items.contains(&"unemployment-benefit-claim"), "{items:?}");
    assert!(items.contains(&"retirement-pension-claim"), "{items:?}");
    let v = json(&["catalog", "coverage", "--date", "2026-06-01", "--json"]);
    let rows = v["rows"].as_array().unwrap();
    assert!(rows.iter().any(|r| r["region"] == "330211"
        && r["project"] == "unemployment-insurance"
        && r["implemented"].as_u64() >= Some(1)));
    let v = json(&["catalog", "history", "unemployment-benefit-claim", "--json"]);
    assert!(v.as_array().unwrap().len() >= 4);
    let (code, _, stderr) = run(&["catalog", "history", "no-such-item"]);
    assert_eq!((code, stderr.lines().count()), (1, 1), "{stderr}");
    let v = json(&["catalog", "schema", "--kind", "items"]);
    assert!(v["properties"]["item"].is_object(), "{v}");
    let (code, _, stderr) = run(&["catalog", "show", "nope", "--region", "330211"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("no service item \"nope\""), "{stderr}");
}

#[test]
fn search_answers_everyday_questions() {
    let cases = [
        ("失业了怎么领钱", "unemployment-benefit-claim"),
        ("换工作了社保怎么转", "pension-transfer"),
        ("上班路上受伤了", "work-injury-recognition"),
    ];
    for (query, expected) in cases {
        let v = json(&["search", query, "--region", "330211", "--json"]);
        let top: Vec<&str> = v["hits"]
            .as_array()
            .unwrap()
            .iter()
            .take(3)
            .map(|h| h["item"].as_str().unwrap())
            .collect();
        assert!(top.contains(&expected), "{query}: {top:?}");
    }
    let (code, stdout, _) = run(&["search", "zzzz", "--region", "330211"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("no service item matches"), "{stdout}");
    let (code, _, _) = run(&["search", "社保卡", "--region", "999999"]);
    assert_eq!(code, 2);
}

#[test]
fn bench_search_prints_hit_rate_latency_and_ratio() {
    let (code, stdout, stderr) = run(&["bench", "search", "--rounds", "1"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("hit rate"), "{stdout}");
    assert!(stdout.contains("p99"), "{stdout}");
    assert!(stdout.lines().any(|l| l.contains("ratio")), "{stdout}");
}
