//! `yichuang migrate` and `yichuang audit verify`: the database, by URL or the embedded
//! default in the data directory.

use std::path::Path;

use anyhow::Context;
use clap::Subcommand;
use serde_json::json;
use yichuang_store::Store;

use crate::Outcome;
use crate::output::print_json;

/// The database URL: `--db`, or SQLite in the data directory.
pub(crate) fn database_url(db: Option<&str>, data_dir: &Path) -> anyhow::Result<String> {
    match db {
        Some(url) => Ok(url.to_owned()),
        None => {
            std::fs::create_dir_all(data_dir)
                .with_context(|| format!("creating the data directory {}", data_dir.display()))?;
            Ok(Store::sqlite_url(&data_dir.join("yichuang.db")))
        }
    }
}

pub(crate) fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")
}

/// A URL for messages: the password, if any, is not repeated.
pub(crate) fn shown(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(scheme), Some(at)) if at > scheme => format!("{}://…{}", &url[..scheme], &url[at..]),
        _ => url.to_owned(),
    }
}

pub(crate) fn migrate(url: &str) -> anyhow::Result<Outcome> {
    runtime()?.block_on(async {
        let store = Store::open(url)
            .await
            .with_context(|| format!("opening {}", shown(url)))?;
        println!("database {} ({}) is migrated", shown(url), store.backend());
        Ok(Outcome::Done)
    })
}

#[derive(Debug, Subcommand)]
pub(crate) enum AuditCommand {
    /// Recompute every case's hash chain; name the first case that does not verify.
    Verify {
        #[arg(long)]
        json: bool,
    },
}

pub(crate) fn audit(command: AuditCommand, url: &str) -> anyhow::Result<Outcome> {
    let AuditCommand::Verify { json } = command;
    runtime()?.block_on(async {
        let store = Store::open(url)
            .await
            .with_context(|| format!("opening {}", shown(url)))?;
        let report = store.verify_audit().await?;
        if json {
            print_json(&json!({ "ok": report.first_broken.is_none(), "report": report }))?;
        } else if let Some((case, problem)) = &report.first_broken {
            eprintln!(
                "audit FAILED: case {case}: {problem} (checked {} cases, {} events before it)",
                report.cases, report.events
            );
        } else {
            println!(
                "audit ok: {} cases, {} events, every hash chain verifies",
                report.cases, report.events
            );
        }
        Ok(if report.first_broken.is_some() {
            Outcome::Invalid
        } else {
            Outcome::Done
        })
    })
}
