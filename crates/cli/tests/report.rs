//! `yichuang report equalization` as a supervisor meets it: the indices of a file as
//! text and JSON, and every bad file refused with the line of each problem.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use assert_cmd::Command;
use serde_json::Value;

/// Runs `report equalization` on a file holding `csv`: (exit code, stdout, stderr).
fn report(csv: &str, json: bool) -> (i32, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("figures.csv");
    std::fs::write(&path, csv).unwrap();
    let mut cmd = Command::cargo_bin("yichuang").unwrap();
    cmd.env("YICHUANG_DATA_DIR", dir.path())
        .args(["report", "equalization", "--input"])
        .arg(&path);
    if json {
        cmd.arg("--json");
    }
    let out = cmd.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn close(value: &Value, expected: f64) -> bool {
    value.as_f64().is_some_and(|v| (v - expected).abs() < 1e-6)
}

#[test]
fn the_indices_of_four_regions_by_hand() {
    let csv = "region,value\n北京,1\n上海,2\n四川,3\n甘肃,4\n";
    let (code, stdout, _) = report(csv, true);
    assert_eq!(code, 0);
    let r: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(r["n"], 4);
    assert!(close(&r["mean"], 2.5));
    assert!(close(&r["cv"], 1.25f64.sqrt() / 2.5));
    assert!(close(&r["gini"], 0.25));
    assert!(close(&r["theil_t"], 0.106_440_1));
    assert!(close(&r["theil_l"], 0.121_777_3));
    // No population or group column: no weighted CV and no split.
    assert!(r.get("cv_weighted").is_none() && r.get("theil_t_between").is_none());

    let (code, text, _) = report(csv, false);
    assert_eq!(code, 0);
    for line in ["n      ", "mean ", "cv ", "gini ", "theil_t ", "theil_l "] {
        assert!(text.contains(line), "{line:?} in {text}");
    }
    assert!(text.contains("0.250000"), "{text}");
}

#[test]
fn population_and_group_columns_add_the_weighted_cv_and_the_split() {
    // Columns in any order, a byte-order mark and a quoted name are fine.
    let csv = "\u{feff}group,region,population,value\n东,\"北京, 朝阳\",1000,1\n东,上海,3000,3\n西,四川,2000,2\n西,甘肃,500,4\n";
    let (code, stdout, stderr) = report(csv, true);
    assert_eq!(code, 0, "{stderr}");
    let r: Value = serde_json::from_str(&stdout).unwrap();
    for key in [
        "cv_weighted",
        "theil_t_between",
        "theil_t_within",
        "theil_l_between",
        "theil_l_within",
    ] {
        assert!(r[key].is_number(), "{key} in {r}");
    }
    let t = r["theil_t_between"].as_f64().unwrap() + r["theil_t_within"].as_f64().unwrap();
    assert!(close(&r["theil_t"], t));
    let l = r["theil_l_between"].as_f64().unwrap() + r["theil_l_within"].as_f64().unwrap();
    assert!(close(&r["theil_l"], l));
    // μ_w = (1000·1 + 3000·3 + 2000·2 + 500·4) / 6500.
    let mu_w = 16000.0 / 6500.0;
    let var = [(1000.0, 1.0), (3000.0, 3.0), (2000.0, 2.0), (500.0, 4.0)]
        .iter()
        .map(|(p, x): &(f64, f64)| p / 6500.0 * (x - mu_w).powi(2))
        .sum::<f64>();
    assert!(close(&r["cv_weighted"], var.sqrt() / mu_w));
}

#[test]
fn every_bad_line_is_named_and_nothing_is_computed() {
    let cases: &[(&str, &[&str])] = &[
        ("region,value\nA,1\nB,0\n", &["line 3: the value is 0"]),
        (
            "region,value\nA,1\nB,-2.5\n",
            &["line 3: the value is -2.5"],
        ),
        (
            "region,value\nA,1\nB,三\n",
            &["line 3: the value \"三\" is not a number"],
        ),
        (
            "region,value\nA,1\nB,2\nA,3\n",
            &["line 4: the region A is there twice (first on line 2)"],
        ),
        ("region\nA\n", &["line 1: the column value is missing"]),
        ("value\n1\n", &["line 1: the column region is missing"]),
        (
            "region,value,popluation\nA,1,2\n",
            &["line 1: unknown column \"popluation\""],
        ),
        (
            "region,value,population\nA,1,100\nB,2,\nC,3,0\n",
            &[
                "line 3: the population is missing",
                "line 4: the population is 0",
            ],
        ),
        (
            "region,value,group\nA,1,东\nB,2,\n",
            &["line 3: the group is missing"],
        ),
        (
            "region,value\nA,1,9\n",
            &["line 2: 3 fields, but the header has 2"],
        ),
        ("region,value\n", &["there are no regions after the header"]),
        // Every problem of the file at once, not only the first.
        (
            "region,value\nA,x\n,2\nC,0\n",
            &[
                "line 2: the value \"x\"",
                "line 3: the region is empty",
                "line 4: the value is 0",
            ],
        ),
    ];
    for (csv, expected) in cases {
        let (code, stdout, stderr) = report(csv, true);
        assert_eq!(code, 1, "{csv:?}: {stdout}");
        assert!(stdout.is_empty(), "{csv:?}: nothing computed, got {stdout}");
        for line in *expected {
            assert!(stderr.contains(line), "{csv:?}: {line:?} not in {stderr}");
        }
    }
}

/// Runs the binary with `args` in a fresh data directory.
fn yichuang(args: &[&str]) -> (i32, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::cargo_bin("yichuang")
        .unwrap()
        .env("YICHUANG_DATA_DIR", dir.path())
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_synthetic_year_is_written_and_the_dashboard_timed_against_a_scan() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("year.db").display());
    let (code, stdout, stderr) = yichuang(&[
        "--db",
        &url,
        "demo",
        "generate",
        "--cases",
        "600",
        "--regions",
        "330000,510000",
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("2 provinces"), "{stdout}");
    let (code, _, stderr) = yichuang(&["--db", &url, "demo", "generate", "--regions", "33x"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("--regions: \"33x\""), "{stderr}");

    let (code, stdout, stderr) = yichuang(&["bench", "report", "--cases", "400", "--runs", "1"]);
    assert_eq!(code, 0, "{stderr}");
    for line in [
        "synthetic cases",
        "province, running totals",
        "province, GROUP BY over cases",
        "ratio (GROUP BY p99 / running totals p99, province)",
    ] {
        assert!(stdout.contains(line), "{line:?} in {stdout}");
    }
}

/// Totals that drifted from the events (one changed, a province's gone) are named by
/// `totals check` and put right by `totals rebuild`.
#[test]
fn totals_are_checked_against_the_events_and_rebuilt() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("year.db").display());
    let (code, _, stderr) = yichuang(&["--db", &url, "demo", "generate", "--cases", "300"]);
    assert_eq!(code, 0, "{stderr}");
    let (code, stdout, stderr) = yichuang(&["--db", &url, "totals", "check"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("every stored total equals"), "{stdout}");

    let runtime = tokio::runtime::Runtime::new().unwrap();
    let damaged = runtime.block_on(async {
        let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
        sqlx::query(
            "UPDATE counters SET value = value + 7 WHERE rowid = \
             (SELECT min(rowid) FROM counters WHERE key LIKE 'cases|region_day|%')",
        )
        .execute(&pool)
        .await
        .unwrap();
        let gone = sqlx::query("DELETE FROM counters WHERE key LIKE 'cases|province|%'")
            .execute(&pool)
            .await
            .unwrap()
            .rows_affected();
        pool.close().await;
        gone
    });
    assert!(damaged > 0);
    let (code, stdout, _) = yichuang(&["--db", &url, "totals", "check"]);
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains(&format!("{} stored totals differ", damaged + 1)),
        "{stdout}"
    );
    assert!(
        stdout.contains("… and"),
        "only the first are listed: {stdout}"
    );
    let (code, stdout, _) = yichuang(&["--db", &url, "totals", "check", "--json"]);
    assert_eq!(code, 1);
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let differences = report["differences"].as_array().unwrap();
    assert_eq!(differences.len() as u64, damaged + 1);
    assert!(differences.iter().any(|d| {
        d["key"].as_str().unwrap().starts_with("cases|region_day|")
            && d["stored"].as_i64().unwrap() == d["recounted"].as_i64().unwrap() + 7
    }));

    let (code, stdout, stderr) = yichuang(&["--db", &url, "totals", "rebuild"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("rebuilt the totals"), "{stdout}");
    let (code, stdout, _) = yichuang(&["--db", &url, "totals", "check"]);
    assert_eq!(code, 0, "{stdout}");
}
