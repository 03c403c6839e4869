//! The `yichuang` binary as a user meets it: exit codes, text, JSON, data files.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

fn yichuang(data_dir: &std::path::Path) -> Command {
    let mut cmd = Command::cargo_bin("yichuang").unwrap();
    cmd.env("YICHUANG_DATA_DIR", data_dir);
    cmd
}

fn run(args: &[&str]) -> (i32, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let out = yichuang(dir.path()).args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn json(args: &[&str]) -> (i32, Value) {
    let (code, stdout, stderr) = run(args);
    let value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("{args:?}: stdout is not JSON ({e}): {stdout}{stderr}"));
    (code, value)
}

#[test]
fn validate_reports_valid_values_with_their_facts() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["validate", "id", "11010519491231002x"],
            "valid identity number 11010519491231002X",
        ),
        (&["validate", "id", "11010519491231002X"], "北京市 朝阳区"),
        (
            &["validate", "id", "110105491231002"],
            "note: upgraded from the 15-digit",
        ),
        (
            &["validate", "id", "110103194901010010"],
            "warning: address code 110103 is not in the 2025 division table",
        ),
        (
            &["validate", "uscc", "91350100M000100Y43"],
            "organization code  M000100Y-4",
        ),
        (
            &["validate", "uscc", "11100000000013127D"],
            "national (central registration)",
        ),
        (&["validate", "region", "510107"], "四川省 成都市 武侯区"),
    ];
    for (args, expected) in cases {
        let (code, stdout, stderr) = run(args);
        assert_eq!(code, 0, "{args:?}: {stderr}");
        assert!(stdout.contains(expected), "{args:?}: {stdout}");
    }
}

#[test]
fn validate_json_is_machine_readable() {
    let (code, v) = json(&["validate", "id", "11010519491231002X", "--json"]);
    assert_eq!(code, 0);
    assert_eq!(v["valid"], true);
    assert_eq!(v["masked"], "1101**********002X");
    assert_eq!(v["birth_date"], "1949-12-31");
    assert_eq!(v["sex"], "female");
    assert_eq!(v["region"]["chain"][1]["name"], "朝阳区");

    let (code, v) = json(&["validate", "id", "110103490101001", "--json"]);
    assert_eq!(code, 0);
    assert_eq!(v["value"], "110103194901010010");
    assert_eq!(v["warnings"][0]["kind"], "region_not_in_table");
    assert_eq!(v["notes"][0]["kind"], "upgraded_from15");

    let (code, v) = json(&["validate", "uscc", "91350100M000100Y44", "--json"]);
    assert_eq!(code, 1);
    assert_eq!(v["valid"], false);
    assert_eq!(v["error"]["code"], "check_mismatch");

    let (code, v) = json(&["validate", "region", "330211", "--json"]);
    assert_eq!(code, 0);
    assert_eq!(v["level"], "county");
    assert_eq!(v["parent"]["code"], "330200");
    assert_eq!(v["children"].as_array().map(Vec::len), Some(7));
}

#[test]
fn invalid_values_exit_1_with_one_line() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["validate", "id", "11010519491231002Y"],
            "character 18 ('Y') must be a digit or X",
        ),
        (
            &["validate", "id", "110105194912310021"],
            "check character is 1 but the first 17 digits give X",
        ),
        (
            &[
                "validate",
                "id",
                "330211202611230019",
                "--today",
                "2026-11-22",
            ],
            "birth date 2026-11-23 is in the future",
        ),
        (&["validate", "id", ""], "the identity number is empty"),
        (
            &["validate", "uscc", "91350100M000100I43"],
            "character 16 ('I') is not allowed",
        ),
        (
            &["validate", "region", "330299"],
            "330299 is not a division",
        ),
    ];
    for (args, expected) in cases {
        let (code, stdout, stderr) = run(args);
        assert_eq!(code, 1, "{args:?}: {stdout}{stderr}");
        assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    }
}

#[test]
fn usage_errors_exit_2() {
    let cases: &[&[&str]] = &[
        &["validate"],
        &["validate", "id"],
        &["validate", "passport", "X"],
        &[
            "calendar",
            "deadline",
            "--from",
            "2026-02-30",
            "--days",
            "3",
            "--unit",
            "working",
        ],
        &[
            "calendar",
            "deadline",
            "--from",
            "2026-02-10",
            "--days",
            "-3",
            "--unit",
            "working",
        ],
        &[
            "calendar",
            "deadline",
            "--from",
            "2026-02-10",
            "--days",
            "3",
            "--unit",
            "weeks",
        ],
        &["calendar", "day", "2026-02-10", "--region", "999999"],
        &["calendar", "day", "tomorrow"],
        &["no-such-command"],
    ];
    for args in cases {
        let (code, _, stderr) = run(args);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(stderr.starts_with("error:"), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}

#[test]
fn calendar_answers_the_2026_spring_festival() {
    let cases: &[(&[&str], &str)] = &[
        (&["calendar", "day", "2026-02-14"], "adjusted working day"),
        (&["calendar", "day", "2026-02-28"], "adjusted working day"),
        (&["calendar", "day", "2026-02-15"], "holiday: 春节"),
        (&["calendar", "day", "2026-02-23"], "holiday: 春节"),
        (&["calendar", "day", "2026-03-01"], "rest day"),
        (&["calendar", "day", "2026-02-24"], "working day"),
        (
            &[
                "calendar",
                "deadline",
                "--from",
                "2026-02-10",
                "--days",
                "10",
                "--unit",
                "working",
            ],
            "2026-03-02 (Monday)",
        ),
        (
            &[
                "calendar",
                "deadline",
                "--from",
                "2026-02-05",
                "--days",
                "15",
                "--unit",
                "calendar",
            ],
            "2026-02-24 (Tuesday)",
        ),
        (
            &[
                "calendar",
                "deadline",
                "--from",
                "2026-02-05",
                "--days",
                "15",
                "--unit",
                "calendar",
            ],
            "民法典 第二百零三条",
        ),
        (
            &[
                "calendar",
                "count",
                "--from",
                "2026-02-10",
                "--to",
                "2026-03-02",
            ],
            "10 working days",
        ),
        (&["calendar", "sources"], "2004–2026"),
    ];
    for (args, expected) in cases {
        let (code, stdout, stderr) = run(args);
        assert_eq!(code, 0, "{args:?}: {stderr}");
        assert!(stdout.contains(expected), "{args:?}: {stdout}");
    }
    let (code, v) = json(&[
        "calendar",
        "deadline",
        "--from",
        "2026-02-10",
        "--days",
        "10",
        "--unit",
        "working",
        "--json",
    ]);
    assert_eq!(code, 0);
    assert_eq!(v["deadline"], "2026-03-02");
    let (code, v) = json(&["calendar", "day", "2026-02-14", "--json"]);
    assert_eq!(code, 0);
    assert_eq!(v["working"], true);
    assert_eq!(v["adjusted"], true);
}

#[test]
fn a_deadline_in_an_unpublished_year_is_provisional_and_beyond_that_refused() {
    let (code, stdout, stderr) = run(&[
        "calendar",
        "deadline",
        "--from",
        "2026-12-20",
        "--days",
        "15",
        "--unit",
        "working",
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("provisional (暂定): 2027"), "{stdout}");
    let (code, stdout, stderr) = run(&[
        "calendar",
        "deadline",
        "--from",
        "2029-12-20",
        "--days",
        "15",
        "--unit",
        "working",
    ]);
    assert_eq!(code, 1, "{stdout}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("no holiday schedule for 2030"), "{stderr}");
    let (code, stdout, _) = run(&["calendar", "sources"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("2027–2029 (provisional)"), "{stdout}");
}

#[test]
fn calendar_files_in_the_data_dir_extend_the_calendar_without_a_rebuild() {
    let dir = tempfile::tempdir().unwrap();
    let calendar_dir = dir.path().join("calendar");
    std::fs::create_dir(&calendar_dir).unwrap();
    std::fs::write(
        calendar_dir.join("2027.toml"),
        "source = \"fixture\"\nprovenance = \"illustrative\"\nyear = 2027\n\n[[holiday]]\ndate = 2027-01-01\nname = \"元旦\"\n",
    )
    .unwrap();
    std::fs::write(
        calendar_dir.join("xizang.toml"),
        "source = \"fixture\"\nprovenance = \"illustrative\"\nregion = \"540000\"\n\n[[holiday]]\ndate = 2026-03-02\nname = \"藏历新年\"\n",
    )
    .unwrap();
    yichuang(dir.path())
        .args([
            "calendar",
            "deadline",
            "--from",
            "2026-12-30",
            "--days",
            "3",
            "--unit",
            "working",
        ])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("2027-01-05"));
    yichuang(dir.path())
        .args(["calendar", "day", "2026-03-02", "--region", "540102"])
        .assert()
        .success()
        .stdout(predicate::str::contains("regional holiday: 藏历新年"));
    yichuang(dir.path())
        .args(["calendar", "day", "2026-03-02"])
        .assert()
        .success()
        .stdout(predicate::str::contains("working day"));

    std::fs::write(calendar_dir.join("broken.toml"), "source = \"x\"\nprovenance = \"official\"\nyear = 2028\n[[holiday]]\ndate = 2028-02-30\nname = \"春节\"\n").unwrap();
    let out = yichuang(dir.path())
        .args(["calendar", "day", "2026-03-02"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("broken.toml"), "{stderr}");
    assert!(stderr.contains("line 5"), "{stderr}");
}

#[test]
fn odd_input_never_panics() {
    let odd = [
        "",
        " ",
        "x",
        "１１０１０５１９４９１２３１００２X",
        "11010519491231002X\n",
        "ⅩⅩⅩ",
        "0",
        "\u{7f}",
        "99999999999999999999999999",
        "-1",
    ];
    for value in odd {
        for kind in ["id", "uscc", "region"] {
            let (code, _, stderr) = run(&["validate", kind, value]);
            assert!(code == 1 || code == 2, "{kind} {value:?}: exit {code}");
            assert!(!stderr.contains("panicked"), "{kind} {value:?}: {stderr}");
        }
        let (code, _, stderr) = run(&["calendar", "day", value]);
        assert!(code == 2, "calendar day {value:?}: exit {code}");
        assert!(!stderr.contains("panicked"), "{value:?}: {stderr}");
    }
    let (code, _, stderr) = run(&[
        "calendar",
        "deadline",
        "--from",
        "2026-01-01",
        "--days",
        "4294967295",
        "--unit",
        "calendar",
    ]);
    assert_eq!(code, 1, "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn bench_ids_prints_a_ratio_against_its_baseline() {
    let (code, stdout, stderr) = run(&["bench", "ids", "--count", "2000", "--rounds", "1"]);
    assert_eq!(code, 0, "{stderr}");
    let ratio_line = stdout
        .lines()
        .find(|l| l.contains("ratio"))
        .unwrap_or_else(|| panic!("no ratio line: {stdout}"));
    let ratio: f64 = ratio_line.rsplit(' ').next().unwrap().parse().unwrap();
    assert!(ratio > 0.0, "{ratio_line}");
}

#[test]
fn migrate_and_audit_work_on_the_default_database() {
    let dir = tempfile::tempdir().unwrap();
    yichuang(dir.path())
        .args(["migrate"])
        .assert()
        .success()
        .stdout(predicate::str::contains("is migrated"));
    assert!(dir.path().join("yichuang.db").exists());
    yichuang(dir.path())
        .args(["audit", "verify"])
        .assert()
        .success()
        .stdout(predicate::str::contains("audit ok: 0 cases"));
    let out = yichuang(dir.path())
        .args(["audit", "verify", "--db", "mysql://nowhere"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a database URL"));
}

#[test]
fn bench_cases_prints_rates_latency_and_ratios() {
    let (code, stdout, stderr) = run(&["bench", "cases", "--cases", "40", "--concurrency", "4"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("durable transitions/s"), "{stdout}");
    assert!(stdout.contains("p99"), "{stdout}");
    assert_eq!(
        stdout.lines().filter(|l| l.contains("ratio")).count(),
        2,
        "{stdout}"
    );
}

#[test]
fn bench_http_prints_rates_and_ratios() {
    let (code, stdout, stderr) = run(&["bench", "http", "--connections", "4", "--seconds", "1"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("guide lookups"), "{stdout}");
    assert!(stdout.contains("guide pages (rendered HTML)"), "{stdout}");
    assert!(
        stdout.contains("online application with 3 × 1 MB"),
        "{stdout}"
    );
    assert_eq!(
        stdout.lines().filter(|l| l.contains("ratio")).count(),
        3,
        "{stdout}"
    );
}

/// The hall simulation, on long runs, matches what Erlang C predicts within 5%
/// (POLICY-FACTS.md: λ = 60/h, h = 10 min: 6.82 min at 11 windows, 2.25 at 12).
#[test]
fn simulate_hall_matches_erlang_c_on_long_runs() {
    for (windows, expected) in [("11", 6.82), ("12", 2.25)] {
        let (code, stdout, stderr) = run(&[
            "simulate",
            "hall",
            "--arrivals-per-hour",
            "60",
            "--service-minutes",
            "10",
            "--windows",
            windows,
            "--hours",
            "20000",
            "--seed",
            "11",
            "--json",
        ]);
        assert_eq!(code, 0, "{stderr}");
        let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        let mean = report["mean_wait_minutes"].as_f64().unwrap();
        assert!(
            (mean - expected).abs() / expected < 0.05,
            "{windows} windows: simulated {mean:.3}, Erlang C {expected}"
        );
        for field in ["p90_wait_minutes", "served_within_15_min", "utilisation"] {
            assert!(report[field].is_number(), "{field}: {stdout}");
        }
        let utilisation = report["utilisation"].as_f64().unwrap();
        assert!((utilisation - 10.0 / windows.parse::<f64>().unwrap()).abs() < 0.01);
    }
    // The same seed gives the same day.
    let args = [
        "simulate",
        "hall",
        "--arrivals-per-hour",
        "30",
        "--service-minutes",
        "12",
        "--windows",
        "7",
        "--hours",
        "8",
        "--seed",
        "3",
        "--json",
    ];
    assert_eq!(run(&args).1, run(&args).1);
    // Bad input says which value is wrong.
    let (code, _, stderr) = run(&[
        "simulate",
        "hall",
        "--arrivals-per-hour",
        "-3",
        "--service-minutes",
        "10",
        "--windows",
        "2",
        "--hours",
        "1",
    ]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("arrivals-per-hour") || stderr.contains("-3"),
        "{stderr}"
    );
}

/// The scenario form runs the same people through any-window routing and through each
/// department's own windows; with one window 精 in work injury, the old model drowns
/// that department while any-window routing shares the load.
#[test]
fn simulate_hall_scenario_compares_any_window_with_own_windows() {
    let scenario = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/scenarios/county-hall.toml"
    );
    let (code, stdout, stderr) = run(&["simulate", "hall", "--scenario", scenario, "--json"]);
    assert_eq!(code, 0, "{stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let any = report["any_window"]["mean_wait_minutes"].as_f64().unwrap();
    let own = report["own_windows"]["mean_wait_minutes"].as_f64().unwrap();
    assert!(any < own, "any window {any} min, own windows {own} min");
    for key in ["pension", "unemployment", "injury", "card"] {
        assert!(
            report["any_window_by_item"][key]["served"]
                .as_u64()
                .unwrap()
                > 0,
            "{key}"
        );
    }
    for key in ["green_lane", "appointment", "walk_in"] {
        assert!(
            report["any_window_by_priority"][key]["mean_wait_minutes"].is_number(),
            "{key}"
        );
    }
    // Green-lane tickets wait less than walk-ins.
    let green = report["any_window_by_priority"]["green_lane"]["mean_wait_minutes"]
        .as_f64()
        .unwrap();
    let walk_in = report["any_window_by_priority"]["walk_in"]["mean_wait_minutes"]
        .as_f64()
        .unwrap();
    assert!(green < walk_in, "green lane {green}, walk-in {walk_in}");

    // A window skilled in an item the scenario does not have is named.
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.toml");
    std::fs::write(
        &bad,
        "arrivals_per_hour = [10]\n[[item]]\nid = \"a\"\nshare = 1\nservice_minutes = 5\n[[window]]\nskills = { b = \"jing\" }\n",
    )
    .unwrap();
    let (code, _, stderr) = run(&["simulate", "hall", "--scenario", bad.to_str().unwrap()]);
    assert_ne!(code, 0);
    assert!(
        stderr.contains("window 1") && stderr.contains("\"b\""),
        "{stderr}"
    );
}
