//! `yichuang audit verify` against what someone with write access to the database file
//! (and not to the audit key) can do to it. Each tampering is applied to a fresh copy
//! of one database holding the demo province, an identity read and a signed
//! checkpoint; `audit verify` must exit 1 and name the case or table touched.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use sqlx::Row;
use yichuang_domain::Calendar;
use yichuang_domain::case::chain_hash;
use yichuang_store::{IdentityRead, Store};

fn yichuang(data_dir: &Path) -> Command {
    let mut command = Command::new(assert_cmd::cargo::cargo_bin("yichuang"));
    command
        .env("YICHUANG_DATA_DIR", data_dir)
        .env_remove("YICHUANG_DATABASE_URL")
        .env_remove("YICHUANG_AUDIT_KEY")
        .env("RUST_LOG", "warn");
    command
}

/// Exit code and stderr of `audit verify` (plus args).
fn verify(data_dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let out = yichuang(data_dir)
        .args(["audit", "verify"])
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The demo province, one identity read, and checkpoint 1 (also written to a file).
async fn original(dir: &Path) -> (String, PathBuf) {
    let store = Store::open(&Store::sqlite_url(&dir.join("yichuang.db")))
        .await
        .unwrap();
    let catalog = Arc::new(yichuang_catalog::builtin().unwrap().catalog);
    let today = jiff::civil::date(2026, 3, 2);
    yichuang_server::seed_demo(&store, catalog, Arc::new(Calendar::builtin()), today)
        .await
        .unwrap();
    let pool = sqlx::SqlitePool::connect(&Store::sqlite_url(&dir.join("yichuang.db")))
        .await
        .unwrap();
    let case: String = sqlx::query("SELECT id FROM cases WHERE version >= 3 AND snapshot LIKE '%\"kind\":\"person\"%' ORDER BY id LIMIT 1")
        .fetch_one(&pool)
        .await
        .unwrap()
        .get(0);
    pool.close().await;
    store
        .record_identity_read(&IdentityRead {
            staff_id: "supervisor-zj".to_owned(),
            case_id: case.clone(),
            at: "2026-03-02T02:00:00Z".to_owned(),
            purpose: "case detail".to_owned(),
        })
        .await
        .unwrap();
    let out = yichuang(dir)
        .args(["audit", "checkpoint"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (case, dir.join("audit/checkpoint-1.json"))
}

/// A copy of the database (and the key) in a directory of its own.
async fn copy(from: &Path) -> tempfile::TempDir {
    let to = tempfile::tempdir().unwrap();
    let pool = sqlx::SqlitePool::connect(&Store::sqlite_url(&from.join("yichuang.db")))
        .await
        .unwrap();
    let target = to.path().join("yichuang.db");
    sqlx::query("VACUUM INTO $1")
        .bind(target.to_str().unwrap())
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
    std::fs::copy(from.join("audit.key"), to.path().join("audit.key")).unwrap();
    to
}

async fn sql(dir: &Path, statements: &[String]) {
    let pool = sqlx::SqlitePool::connect(&Store::sqlite_url(&dir.join("yichuang.db")))
        .await
        .unwrap();
    for statement in statements {
        sqlx::raw_sql(sqlx::AssertSqlSafe(statement.clone()))
            .execute(&pool)
            .await
            .unwrap();
    }
    pool.close().await;
}

const PERSON: &str = "{\"kind\":\"person\",\"id\":\"";
const FORGED: &str = "{\"kind\":\"person\",\"id\":\"9";

/// Rewrites the applicant in event 1 and in the projection, and recomputes every later
/// hash and the head, as someone who knows how the chain is built would.
async fn rewrite_and_rechain(dir: &Path, case: &str) {
    let pool = sqlx::SqlitePool::connect(&Store::sqlite_url(&dir.join("yichuang.db")))
        .await
        .unwrap();
    let rows = sqlx::query("SELECT seq, event FROM case_events WHERE case_id = $1 ORDER BY seq")
        .bind(case)
        .fetch_all(&pool)
        .await
        .unwrap();
    let mut previous = String::new();
    for row in rows {
        let seq: i64 = row.get(0);
        let mut event: String = row.get(1);
        if seq == 1 {
            event = event.replace(PERSON, FORGED);
        }
        let hash = chain_hash(&previous, &event);
        sqlx::query("UPDATE case_events SET event = $1, prev_hash = $2, hash = $3 WHERE case_id = $4 AND seq = $5")
            .bind(&event)
            .bind(&previous)
            .bind(&hash)
            .bind(case)
            .bind(seq)
            .execute(&pool)
            .await
            .unwrap();
        previous = hash;
    }
    sqlx::query(
        "UPDATE cases SET head_hash = $1, snapshot = REPLACE(snapshot, $3, $4) WHERE id = $2",
    )
    .bind(&previous)
    .bind(case)
    .bind(PERSON)
    .bind(FORGED)
    .execute(&pool)
    .await
    .unwrap();
    pool.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_tampering_is_named_by_audit_verify() {
    let dir = tempfile::tempdir().unwrap();
    let (case, checkpoint) = original(dir.path()).await;
    let (code, stdout, stderr) = verify(dir.path(), &[]);
    assert_eq!(
        code,
        Some(0),
        "the untouched database verifies: {stdout}{stderr}"
    );
    assert!(stdout.contains("against checkpoint 1"), "{stdout}");

    let c = &case;
    // (what was done, SQL, what the report must name)
    let tamperings: Vec<(&str, Vec<String>, String)> = vec![
        (
            "an event edited",
            vec![format!("UPDATE case_events SET event = REPLACE(event, '\"seq\":1', '\"seq\":1 ') WHERE case_id = '{c}' AND seq = 1")],
            c.clone(),
        ),
        (
            "a whole case deleted",
            vec![
                format!("DELETE FROM requests WHERE case_id = '{c}'"),
                format!("DELETE FROM case_events WHERE case_id = '{c}'"),
                format!("DELETE FROM cases WHERE id = '{c}'"),
            ],
            format!("{c}: deleted since checkpoint 1"),
        ),
        (
            "the last event removed and the head rolled back",
            vec![
                format!("UPDATE cases SET version = version - 1, head_hash = (SELECT prev_hash FROM case_events WHERE case_id = '{c}' AND seq = (SELECT MAX(seq) FROM case_events WHERE case_id = '{c}')) WHERE id = '{c}'"),
                format!("DELETE FROM case_events WHERE case_id = '{c}' AND seq = (SELECT MAX(seq) FROM case_events WHERE case_id = '{c}')"),
            ],
            c.clone(),
        ),
        (
            "the projection's applicant edited",
            vec![format!("UPDATE cases SET snapshot = REPLACE(snapshot, '\"applicant\":{{\"kind\":\"person\",\"id\":\"', '\"applicant\":{{\"kind\":\"person\",\"id\":\"9') WHERE id = '{c}'")],
            format!("{c}: the projection differs"),
        ),
        (
            "the projection's state edited",
            vec![format!("UPDATE cases SET state = 'withdrawn' WHERE id = '{c}'")],
            format!("{c}: the projection says withdrawn"),
        ),
        (
            "a stored guide edited",
            vec![format!("UPDATE guides SET guide = REPLACE(guide, '\"name\":\"', '\"name\":\"X') WHERE hash = (SELECT guide_hash FROM cases WHERE id = '{c}')")],
            // Named for the case by the digest its submission chained, not only
            // against the checkpoint.
            format!("{c}: the stored guide"),
        ),
        (
            "the identity-read log deleted",
            vec!["DELETE FROM identity_reads".to_owned()],
            "identity_reads".to_owned(),
        ),
        (
            "the checkpoint forged",
            vec!["UPDATE audit_checkpoints SET body = REPLACE(body, '\"events\": ', '\"events\": 1')".to_owned()],
            "checkpoint 1".to_owned(),
        ),
    ];
    for (what, statements, named) in tamperings {
        let copy = copy(dir.path()).await;
        sql(copy.path(), &statements).await;
        let (code, stdout, stderr) = verify(copy.path(), &[]);
        assert_eq!(code, Some(1), "{what} was not caught: {stdout}{stderr}");
        assert!(
            stderr.contains(&named),
            "{what}: expected {named:?} in\n{stderr}"
        );
    }

    // Rewritten and rechained: every hash agrees, but not with the signed checkpoint.
    let copy_dir = copy(dir.path()).await;
    rewrite_and_rechain(copy_dir.path(), c).await;
    let (code, _, stderr) = verify(copy_dir.path(), &[]);
    assert_eq!(code, Some(1), "a rechained rewrite was not caught");
    assert!(
        stderr.contains(&format!("{c}: event")) && stderr.contains("rewritten"),
        "{stderr}"
    );

    // The checkpoints deleted too: the copy kept elsewhere still names the case.
    let copy_dir = copy(dir.path()).await;
    sql(
        copy_dir.path(),
        &[
            "DELETE FROM audit_checkpoints".to_owned(),
            format!("DELETE FROM requests WHERE case_id = '{c}'"),
            format!("DELETE FROM case_events WHERE case_id = '{c}'"),
            format!("DELETE FROM cases WHERE id = '{c}'"),
        ],
    )
    .await;
    let against = checkpoint.to_str().unwrap();
    let (code, _, stderr) = verify(copy_dir.path(), &["--against", against]);
    assert_eq!(code, Some(1));
    assert!(
        stderr.contains(&format!("{c}: deleted since checkpoint 1")),
        "{stderr}"
    );
}
