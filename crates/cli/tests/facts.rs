//! `yichuang facts import` and `yichuang proactive run --dry-run` as an operator meets
//! them: every bad row named with its line and nothing imported, a re-import that
//! changes nothing, the list of a small year computed by hand, and a real run that publishes once.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;
use yichuang_domain::Uscc;

fn code(serial: u32) -> String {
    Uscc::enterprise(320102, serial)
        .unwrap()
        .as_str()
        .to_owned()
}

/// Runs the binary in `dir` as its data directory: (exit code, stdout, stderr).
fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("yichuang")
        .unwrap()
        .env("YICHUANG_DATA_DIR", dir)
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn import(dir: &Path, kind: &str, text: &str) -> (i32, String, String) {
    let path = dir.join(format!("{kind}.csv"));
    std::fs::write(&path, text).unwrap();
    run(dir, &["facts", "import", kind, path.to_str().unwrap()])
}

fn year_of_months(uscc: &str, insured: u32, due: &str, paid: &str) -> String {
    (1..=12)
        .map(|m| format!("{uscc},2025-{m:02},{insured},{due},{paid}\n"))
        .collect()
}

#[test]
fn every_bad_row_is_named_and_nothing_is_imported() {
    let dir = tempfile::tempdir().unwrap();
    let good = code(10_000_001);
    let mut bad_check = code(10_000_002);
    bad_check.pop();
    bad_check.push(if good.ends_with('0') { '1' } else { '0' });
    let text = format!(
        "uscc,name,region,size\n\
         {good},甲公司,320102,sme\n\
         {bad_check},乙公司,320102,sme\n\
         {c3},丙公司,999999,sme\n\
         {c4},丁公司,320102,medium\n\
         {good},甲公司again,320102,sme\n\
         {c5},戊公司,320102\n",
        c3 = code(10_000_003),
        c4 = code(10_000_004),
        c5 = code(10_000_005),
    );
    let (status, _, stderr) = import(dir.path(), "employers", &text);
    assert_eq!(status, 1, "{stderr}");
    for (line, says) in [
        (3, "uscc"),
        (4, "region"),
        (5, "size: \"medium\" is neither"),
        (6, "the same record as line 2"),
        (7, "3 fields where 4 are needed"),
    ] {
        assert!(
            stderr.contains(&format!("employers.csv:{line}: {says}")),
            "line {line} ({says}) not named:\n{stderr}"
        );
    }
    assert!(
        stderr.contains("5 bad row(s); nothing was imported"),
        "{stderr}"
    );
    // The good row was not imported either: its months are refused as unknown.
    let (status, _, stderr) = import(
        dir.path(),
        "employer-months",
        &format!(
            "uscc,month,insured,due_yuan,paid_yuan\n{}",
            year_of_months(&good, 10, "1.00", "1.00")
        ),
    );
    assert_eq!(status, 1);
    assert!(stderr.contains("employer-months.csv:2: uscc:"), "{stderr}");
    assert!(stderr.contains("is not an imported employer"), "{stderr}");
}

#[test]
fn bad_numbers_months_and_headers_are_refused_by_line() {
    let dir = tempfile::tempdir().unwrap();
    let a = code(10_000_011);
    let (status, _, stderr) = import(
        dir.path(),
        "employers",
        &format!("uscc,name,region,size\n{a},甲,320102,sme\n"),
    );
    assert_eq!(status, 0, "{stderr}");
    let text = format!(
        "uscc,month,insured,due_yuan,paid_yuan\n\
         {a},2025-13,1,1.00,1.00\n\
         {a},2025-02,-3,1.00,1.00\n\
         {a},2025-03,1,1.005,1.00\n\
         {a},2025-04,1,1.00,-1\n\
         {a},2025-05,1,1.00,1.00\n"
    );
    let (status, _, stderr) = import(dir.path(), "employer-months", &text);
    assert_eq!(status, 1);
    for (line, says) in [
        (2, "month"),
        (3, "insured"),
        (4, "due_yuan"),
        (5, "paid_yuan: \"-1\" is negative"),
    ] {
        assert!(
            stderr.contains(&format!("employer-months.csv:{line}: {says}")),
            "line {line} ({says}):\n{stderr}"
        );
    }
    let (status, _, stderr) = import(dir.path(), "claimants", "uscc,year,claimants\n");
    assert_eq!(status, 1);
    assert!(
        stderr.contains("claimants.csv:1: the header must be `uscc,year,new_claimants`"),
        "{stderr}"
    );
    let (status, _, stderr) = import(dir.path(), "claimants", "");
    assert_eq!(status, 1);
    assert!(stderr.contains("empty"), "{stderr}");
}

#[test]
fn a_small_year_screened_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    let (sme, large, underpaid, laid_off) = (
        code(10_000_021),
        code(10_000_022),
        code(10_000_023),
        code(10_000_024),
    );
    let employers = format!(
        "uscc,name,region,size\n{sme},小微,320102,sme\n{large},大型,320102,large\n\
         {underpaid},欠缴,320102,sme\n{laid_off},裁员,320102,sme\n"
    );
    assert_eq!(import(dir.path(), "employers", &employers).0, 0);
    let again = import(dir.path(), "employers", &employers);
    assert!(
        again
            .1
            .contains("4 rows checked, 0 new or changed, 4 unchanged"),
        "{}",
        again.1
    );
    let mut months = String::from("uscc,month,insured,due_yuan,paid_yuan\n");
    months += &year_of_months(&sme, 20, "1000.00", "1000.00");
    months += &year_of_months(&large, 400, "20000.10", "20000.10");
    months += &year_of_months(&underpaid, 20, "1000.00", "1000.00").replacen(
        "2025-06,20,1000.00,1000.00",
        "2025-06,20,1000.00,999.99",
        1,
    );
    months += &year_of_months(&laid_off, 100, "1000.00", "1000.00");
    assert_eq!(import(dir.path(), "employer-months", &months).0, 0);
    // 4 of 20 is 20%: allowed at 30 or fewer. 6 of 100 is 6%: over 5.5%.
    let claimants = format!("uscc,year,new_claimants\n{sme},2025,4\n{laid_off},2025,6\n");
    assert_eq!(import(dir.path(), "claimants", &claimants).0, 0);

    let args = [
        "proactive",
        "run",
        "--policy",
        "job-retention-refund",
        "--year",
        "2025",
        "--dry-run",
        "--json",
    ];
    let (status, stdout, stderr) = run(dir.path(), &args);
    assert_eq!(status, 0, "{stderr}");
    assert!(stderr.contains("inputs digest "), "{stderr}");
    let list: Vec<Value> = serde_json::from_str(&stdout).unwrap();
    assert_eq!(list.len(), 4);
    let entry = |uscc: &str| list.iter().find(|e| e["uscc"] == uscc).unwrap().clone();
    assert_eq!(entry(&sme)["eligible"], true);
    assert_eq!(entry(&sme)["amount_yuan"], 7200.0, "60% of 12,000.00");
    assert_eq!(entry(&large)["eligible"], true);
    // 30% of 240,001.20 is 72,000.36.
    assert_eq!(entry(&large)["amount_yuan"], 72000.36);
    let failed = |uscc: &str| -> Vec<String> {
        entry(uscc)["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["held"] == false)
            .map(|r| r["condition"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(entry(&underpaid)["eligible"], false);
    assert_eq!(failed(&underpaid), ["paid_in_full"]);
    assert_eq!(
        entry(&underpaid)["reasons"][0]["values"]["months_paid_in_full"],
        11
    );
    assert_eq!(failed(&laid_off), ["layoff_rate"]);
    assert_eq!(entry(&laid_off)["amount_yuan"], 0.0);

    // The same facts and rule give the same digest; a changed fact another one.
    let digest = |stderr: &str| {
        stderr
            .split("inputs digest ")
            .nth(1)
            .unwrap()
            .trim()
            .to_owned()
    };
    let first = digest(&stderr);
    assert_eq!(digest(&run(dir.path(), &args).2), first);
    let changed = format!("uscc,year,new_claimants\n{sme},2025,5\n");
    assert_eq!(import(dir.path(), "claimants", &changed).0, 0);
    assert_ne!(digest(&run(dir.path(), &args).2), first);
}

#[test]
fn an_unknown_policy_is_refused_and_a_real_run_publishes_once() {
    let dir = tempfile::tempdir().unwrap();
    let (status, _, stderr) = run(
        dir.path(),
        &[
            "proactive",
            "run",
            "--policy",
            "free-money",
            "--year",
            "2025",
            "--dry-run",
        ],
    );
    assert_eq!(status, 1);
    assert!(stderr.contains("job-retention-refund"), "{stderr}");
    let sme = code(10_000_031);
    assert_eq!(
        import(
            dir.path(),
            "employers",
            &format!("uscc,name,region,size\n{sme},小微,320102,sme\n")
        )
        .0,
        0
    );
    let months = format!(
        "uscc,month,insured,due_yuan,paid_yuan\n{}",
        year_of_months(&sme, 20, "1000.00", "1000.00")
    );
    assert_eq!(import(dir.path(), "employer-months", &months).0, 0);
    let args = [
        "proactive",
        "run",
        "--policy",
        "job-retention-refund",
        "--year",
        "2025",
    ];
    let (status, stdout, stderr) = run(dir.path(), &args);
    assert_eq!(status, 0, "{stderr}");
    assert!(
        stdout.contains("published for 公示: 1 line(s), 7200.00 yuan"),
        "{stdout}"
    );
    let (status, stdout, stderr) = run(dir.path(), &args);
    assert_eq!(status, 0, "{stderr}");
    assert!(
        stdout.contains("public until"),
        "the second run only reports: {stdout}"
    );
    assert!(
        stdout.contains("nothing is granted before the period ends"),
        "{stdout}"
    );
}

#[test]
fn catalog_test_runs_every_example() {
    let dir = tempfile::tempdir().unwrap();
    let (status, stdout, _) = run(dir.path(), &["catalog", "test"]);
    assert_eq!(status, 0, "{stdout}");
    assert!(stdout.contains("0 failed"), "{stdout}");
}

/// A valid identity number of 镇海 born on `birth`.
fn person_id(birth: jiff::civil::Date, seq: u16) -> String {
    yichuang_domain::ResidentId::from_parts(330211, birth, seq)
        .unwrap()
        .as_str()
        .to_owned()
}

#[test]
fn persons_are_imported_with_their_cards_and_bad_rows_named() {
    let dir = tempfile::tempdir().unwrap();
    let person = |seq: u16| person_id(jiff::civil::date(1979, 4, 2), seq);
    let (a, b) = (person(11), person(12));
    let good = format!(
        "person,region,status,ui_months,card\n{a},330211,employed,30,issued\n{b},330211,claiming_benefit,90,active\n"
    );
    let (code, out, err) = import(dir.path(), "persons", &good);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("2 rows checked, 2 new or changed"), "{out}");
    let (code, out, _) = import(dir.path(), "persons", &good);
    assert_eq!(code, 0);
    assert!(out.contains("0 new or changed, 2 unchanged"), "{out}");

    let bad = format!(
        "person,region,status,ui_months,card\n{a},330211,employed,-3,issued\n{a},330211,employed,30,stolen\n{b},330211,employed,30,active\n{b},330211,employed,30,active\n"
    );
    let (code, _, err) = import(dir.path(), "persons", &bad);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("persons.csv:2: ui_months:"), "{err}");
    assert!(
        err.contains("persons.csv:3: card: \"stolen\" is none of none, issued, active, lost"),
        "{err}"
    );
    assert!(
        err.contains("persons.csv:5: the same record as line 4"),
        "{err}"
    );
    assert!(err.contains("nothing was imported"), "{err}");
}

/// 技能提升补贴 on persons: certificates found from the registers, one line each, with
/// the holder, the amount by level and the reasons; a certificate of someone the
/// insurance register lacks is refused at import; the real run publishes the eligible
/// certificate for 公示.
#[test]
fn certificates_are_screened_for_the_skill_subsidy() {
    let dir = tempfile::tempdir().unwrap();
    let person = |seq: u16| person_id(jiff::civil::date(1990, 6, 1), seq);
    let (worker, newcomer, stranger) = (person(21), person(22), person(23));
    let persons = format!(
        "person,region,status,ui_months,card\n{worker},330211,employed,30,active\n{newcomer},330211,employed,6,active\n"
    );
    assert_eq!(import(dir.path(), "persons", &persons).0, 0);
    let unknown = format!(
        "person,certificate,occupation,level,issued_on\n{stranger},C-9,电工,5,2025-03-01\n"
    );
    let (code, _, err) = import(dir.path(), "certificates", &unknown);
    assert_eq!(code, 1);
    assert!(
        err.contains("certificates.csv:2: person:") && err.contains("not an imported person"),
        "{err}"
    );
    let certificates = format!(
        "person,certificate,occupation,level,issued_on\n\
         {worker},C-1,电工,4,2024-05-01\n\
         {worker},C-2,电工,5,2025-02-01\n\
         {worker},C-3,焊工,3,2025-04-01\n\
         {newcomer},C-4,电工,5,2025-05-01\n"
    );
    let (code, _, err) = import(dir.path(), "certificates", &certificates);
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = run(
        dir.path(),
        &[
            "proactive",
            "run",
            "--policy",
            "skill-upgrade-subsidy",
            "--year",
            "2025",
            "--dry-run",
            "--json",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let list: Vec<Value> = serde_json::from_str(&out).unwrap();
    assert_eq!(list.len(), 3, "the 2025 certificates only: {list:?}");
    let line = |c: &str| list.iter().find(|e| e["certificate"] == c).unwrap().clone();
    assert_eq!(line("C-3")["person"], worker.as_str());
    assert_eq!(line("C-3")["eligible"], true);
    assert_eq!(line("C-3")["amount_yuan"], 2000.0, "高级");
    assert_eq!(
        line("C-2")["eligible"],
        false,
        "a 初级 after 中级 in the same occupation"
    );
    let lower = line("C-2");
    let failed: Vec<&str> = lower["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["held"] == false)
        .map(|r| r["condition"].as_str().unwrap())
        .collect();
    assert_eq!(failed, ["first_at_this_level"]);
    assert_eq!(line("C-4")["eligible"], false, "six months insured");
    assert!(line("C-4").get("uscc").is_none());

    let (code, out, err) = run(
        dir.path(),
        &[
            "proactive",
            "run",
            "--policy",
            "skill-upgrade-subsidy",
            "--year",
            "2025",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("published for 公示: 1 line(s), 2000.00 yuan"),
        "{out}"
    );
}
