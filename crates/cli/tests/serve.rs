//! `yichuang serve` and `yichuang admin` as an operator uses them.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

fn yichuang(data_dir: &std::path::Path) -> Command {
    let mut command = Command::new(assert_cmd::cargo::cargo_bin("yichuang"));
    command
        .env("YICHUANG_DATA_DIR", data_dir)
        .env_remove("YICHUANG_DATABASE_URL")
        .env("RUST_LOG", "warn");
    command
}

#[test]
fn admin_creates_the_first_administrator_and_manages_staff() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let out = yichuang(dir.path()).args(args).output().unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, stdout, stderr) = run(&[
        "admin",
        "create-admin",
        "--name",
        "管理员",
        "--region",
        "330000",
    ]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stdout.contains("password ") && stdout.contains("token "),
        "{stdout}"
    );
    let (code, _, stderr) = run(&[
        "admin",
        "create-admin",
        "--name",
        "again",
        "--region",
        "330000",
    ]);
    assert_eq!(code, Some(1));
    assert!(
        stderr.contains("an administrator already exists"),
        "{stderr}"
    );
    let (code, stdout, _) = run(&[
        "admin",
        "add-staff",
        "--id",
        "clerk-1",
        "--name",
        "柜员",
        "--role",
        "clerk",
        "--region",
        "330211",
    ]);
    assert_eq!(code, Some(0));
    let token = stdout
        .lines()
        .find_map(|l| l.strip_prefix("token    "))
        .unwrap()
        .trim()
        .to_owned();
    let (_, listed, _) = run(&["admin", "list"]);
    assert!(
        listed.contains("clerk-1") && listed.contains("镇海区"),
        "{listed}"
    );
    let (code, _, _) = run(&["admin", "revoke", &token]);
    assert_eq!(code, Some(0));
    let (code, _, stderr) = run(&["admin", "revoke", &token]);
    assert_eq!(code, Some(1), "{stderr}");
    let (code, _, stderr) = run(&[
        "admin",
        "add-staff",
        "--id",
        "x",
        "--name",
        "x",
        "--role",
        "clerk",
        "--region",
        "999999",
    ]);
    assert_eq!(code, Some(2), "{stderr}");
}

/// Also: `totals rebuild` is refused while the server runs, and works once it stopped.
#[test]
fn serve_answers_and_stops_gracefully_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = yichuang(dir.path())
        .args(["serve", "--addr", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let address = lines
        .by_ref()
        .map_while(Result::ok)
        .find_map(|l| {
            l.split("serving on http://")
                .nth(1)
                .map(|rest| rest.split_whitespace().next().unwrap().to_owned())
        })
        .expect("the server says where it listens");
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let status = runtime.block_on(async {
        reqwest::get(format!("http://{address}/readyz"))
            .await
            .unwrap()
            .status()
    });
    assert_eq!(status, reqwest::StatusCode::OK);
    // Rebuilding the totals under a running server would count its commits wrongly.
    let rebuild = || {
        yichuang(dir.path())
            .args(["totals", "rebuild"])
            .output()
            .unwrap()
    };
    let refused = rebuild();
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("a server (`yichuang serve`) is running on this database; stop it first"),
        "{stderr}"
    );
    Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    let exit = child.wait().unwrap();
    assert!(exit.success(), "{exit:?}");
    assert!(lines.map_while(Result::ok).any(|l| l == "stopped"));
    let rebuilt = rebuild();
    assert!(
        rebuilt.status.success(),
        "{}",
        String::from_utf8_lossy(&rebuilt.stderr)
    );
    assert!(String::from_utf8_lossy(&rebuilt.stdout).contains("rebuilt the totals"));
}
