//! `yichuang admin hall …` and `admin skill …` as an administrator meets them.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use assert_cmd::Command;

fn admin(dir: &std::path::Path, args: &[&str]) -> (bool, String, String) {
    let out = Command::cargo_bin("yichuang")
        .unwrap()
        .env("YICHUANG_DATA_DIR", dir)
        .env_remove("YICHUANG_DATABASE_URL")
        .arg("admin")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn halls_and_skills_are_managed_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (ok, out, err) = admin(
        d,
        &[
            "hall",
            "add",
            "--id",
            "beilun",
            "--region",
            "330206",
            "--name",
            "北仑区人社服务大厅",
            "--windows",
            "4",
        ],
    );
    assert!(ok, "{err}");
    assert!(out.contains("4 windows"), "{out}");
    let (ok, _, err) = admin(
        d,
        &[
            "hall",
            "add",
            "--id",
            "beilun",
            "--region",
            "330206",
            "--name",
            "x",
            "--windows",
            "1",
        ],
    );
    assert!(!ok && err.contains("already exists"), "{err}");
    let (ok, _, err) = admin(
        d,
        &[
            "hall",
            "add",
            "--id",
            "x",
            "--region",
            "999999",
            "--name",
            "x",
            "--windows",
            "1",
        ],
    );
    assert!(
        !ok && err.contains("999999"),
        "a region that does not exist: {err}"
    );
    // Bad hours are refused with the interval that is wrong.
    for (hours, expected) in [
        ("09:00-12:00,11:00-17:00", "interval 2"),
        ("9-12", "interval 1"),
        ("13:00-12:00", "ends before it begins"),
    ] {
        let (ok, _, err) = admin(d, &["hall", "schedule", "--id", "beilun", "--hours", hours]);
        assert!(!ok && err.contains(expected), "{hours}: {err}");
    }
    let (ok, out, err) = admin(
        d,
        &[
            "hall",
            "schedule",
            "--id",
            "beilun",
            "--hours",
            "08:30-12:00,14:00-17:30",
            "--public",
            "2",
            "--slot-minutes",
            "15",
        ],
    );
    assert!(ok, "{err}");
    assert!(
        out.contains("08:30-12:00,14:00-17:30")
            && out.contains("15-minute")
            && out.contains("2 online"),
        "{out}"
    );
    let (ok, out, err) = admin(
        d,
        &[
            "hall",
            "schedule",
            "--id",
            "beilun",
            "--green-age",
            "65",
            "--green-reasons",
            "disability,military",
        ],
    );
    assert!(ok && out.contains("green lane from 65"), "{out}{err}");
    let (ok, _, err) = admin(
        d,
        &[
            "hall",
            "schedule",
            "--id",
            "beilun",
            "--green-reasons",
            "vip",
        ],
    );
    assert!(!ok && err.contains("--green-reasons"), "{err}");
    let (ok, out, _) = admin(d, &["hall", "list", "--region", "330200"]);
    assert!(
        ok && out.contains("beilun") && out.contains("08:30-12:00"),
        "{out}"
    );
    // Skills need a known staff member, project and level.
    let (ok, _, err) = admin(
        d,
        &[
            "add-staff",
            "--id",
            "c1",
            "--name",
            "柜员",
            "--role",
            "clerk",
            "--region",
            "330206",
        ],
    );
    assert!(ok, "{err}");
    let set = |level: &str, project: &str, staff: &str| {
        admin(
            d,
            &[
                "skill",
                "set",
                "--staff",
                staff,
                "--project",
                project,
                "--level",
                level,
                "--since",
                "2026-03-01",
                "--source",
                "2026 年岗位练兵",
            ],
        )
    };
    let (ok, _, err) = set("精", "unemployment-insurance", "c1");
    assert!(ok, "{err}");
    assert!(!set("expert", "unemployment-insurance", "c1").0);
    assert!(
        set("expert", "unemployment-insurance", "c1")
            .2
            .contains("--level")
    );
    assert!(set("通", "no-such-project", "c1").2.contains("--project"));
    assert!(
        set("通", "unemployment-insurance", "nobody")
            .2
            .contains("no staff member")
    );
    let (ok, out, _) = admin(d, &["skill", "list", "--staff", "c1"]);
    assert!(
        ok && out.contains("unemployment-insurance")
            && out.contains("master")
            && out.contains("练兵"),
        "{out}"
    );
}
