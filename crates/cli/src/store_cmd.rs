//! `yichuang migrate` and `yichuang audit verify`: the database, by URL or the embedded
//! default in the data directory.

use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::Subcommand;
use serde_json::json;
use yichuang_store::{AuditReport, Checkpoint, Store};

use crate::Outcome;
use crate::audit_key;
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
    /// Check every hash chain, every projection against its events, the identity-read
    /// log and the checkpoints; name every case or table that does not verify.
    Verify {
        /// Hold the database against this checkpoint (copied from another system)
        /// instead of the latest one it stores.
        #[arg(long)]
        against: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Sign a checkpoint of every case head, the event count, the guides and the
    /// identity-read log with the audit key; write it to the database and to a file to
    /// copy elsewhere.
    Checkpoint {
        /// Where to write the checkpoint (default: `audit/checkpoint-N.json` in the data
        /// directory).
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

pub(crate) fn audit(command: AuditCommand, url: &str, data_dir: &Path) -> anyhow::Result<Outcome> {
    runtime()?.block_on(async {
        let store = Store::open(url)
            .await
            .with_context(|| format!("opening {}", shown(url)))?;
        match command {
            AuditCommand::Checkpoint { out } => {
                let key = audit_key::load_or_create(data_dir)?;
                let checkpoint = store.take_checkpoint(&key, jiff::Timestamp::now()).await?;
                let path = out.unwrap_or_else(|| {
                    data_dir.join("audit").join(format!("checkpoint-{}.json", checkpoint.seq))
                });
                if let Some(parent) = path.parent() {
                    std::fs::create_dir_all(parent)
                        .with_context(|| format!("creating {}", parent.display()))?;
                }
                std::fs::write(&path, checkpoint.to_json()?)
                    .with_context(|| format!("writing {}", path.display()))?;
                println!(
                    "checkpoint {} signed: {} cases, {} events, {} guides, {} identity reads\nwritten to {} (copy it to another system; verify with --against)",
                    checkpoint.seq,
                    checkpoint.state.cases.len(),
                    checkpoint.state.events,
                    checkpoint.state.guides.len(),
                    checkpoint.state.identity_reads.count,
                    path.display()
                );
                Ok(Outcome::Done)
            }
            AuditCommand::Verify { against, json } => {
                let key = audit_key::load(data_dir)?;
                let against = against
                    .map(|path| {
                        let text = std::fs::read_to_string(&path)
                            .with_context(|| format!("reading {}", path.display()))?;
                        Checkpoint::from_json(&text)
                            .with_context(|| format!("{} is not a checkpoint", path.display()))
                    })
                    .transpose()?;
                let report = store.verify_audit_with(key.as_deref(), against.as_ref()).await?;
                print_report(&report, json)?;
                Ok(if report.is_ok() { Outcome::Done } else { Outcome::Invalid })
            }
        }
    })
}

fn print_report(report: &AuditReport, json: bool) -> anyhow::Result<()> {
    if json {
        return print_json(&json!({ "ok": report.is_ok(), "report": report }));
    }
    let checked = format!(
        "{} cases, {} events, {} files, {} identity reads{}",
        report.cases,
        report.events,
        report.files,
        report.identity_reads,
        match report.checkpoint {
            Some(seq) => format!(", against checkpoint {seq}"),
            None => String::new(),
        }
    );
    if report.is_ok() {
        println!("audit ok: {checked}; every chain and projection verifies");
    } else {
        eprintln!("audit FAILED ({checked}):");
        for finding in report.findings.iter().take(100) {
            eprintln!("  {}: {}", finding.subject, finding.problem);
        }
        if report.findings.len() > 100 {
            eprintln!("  … and {} more", report.findings.len() - 100);
        }
    }
    if report.unchained_identity_reads > 0 {
        eprintln!(
            "note: {} identity reads are from before the log was chained and cannot be verified",
            report.unchained_identity_reads
        );
    }
    if let Some(note) = &report.checkpoint_note {
        eprintln!("note: {note}");
    }
    Ok(())
}
