//! Crash safety: a process under load is killed with SIGKILL; on reopening, every
//! acknowledged command is there, nothing half-applied is visible, and the audit
//! verifies.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn yichuang() -> Command {
    Command::new(assert_cmd::cargo::cargo_bin("yichuang"))
}

#[test]
fn acknowledged_commands_survive_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("crash.db").display()
    );
    let mut child = yichuang()
        .args(["bench", "load", "--db", &url, "--concurrency", "16"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut acked: HashMap<String, u64> = HashMap::new();
        let start = Instant::now();
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            let mut parts = line.split_whitespace();
            if let (Some("ack"), Some(case), Some(version)) =
                (parts.next(), parts.next(), parts.next())
            {
                let version: u64 = version.parse().unwrap();
                let entry = acked.entry(case.to_owned()).or_default();
                *entry = (*entry).max(version);
            }
            if start.elapsed() > Duration::from_secs(3) && acked.len() > 50 {
                break;
            }
        }
        acked
    });
    let acked = reader.join().unwrap();
    child.kill().unwrap(); // SIGKILL on Unix: no chance to flush or clean up
    child.wait().unwrap();
    assert!(
        acked.len() > 50,
        "too little load before the kill: {} cases",
        acked.len()
    );

    // Reopen: the audit verifies every chain and head (nothing half-applied).
    let out = yichuang()
        .args(["audit", "verify", "--db", &url, "--json"])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["ok"], true, "{report}");

    // Every acknowledged command is present.
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let store = yichuang_store::Store::open(&url).await.unwrap();
        for (case, version) in &acked {
            let stored = store
                .load_case(case)
                .await
                .unwrap()
                .unwrap_or_else(|| panic!("acknowledged case {case} is missing"));
            assert!(
                stored.case.version >= *version,
                "case {case}: acknowledged version {version}, stored {}",
                stored.case.version
            );
            assert_eq!(
                store.events(case).await.unwrap().len() as u64,
                stored.case.version
            );
        }
    });
}
