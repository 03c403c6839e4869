//! `yichuang totals check|rebuild`: the supervision totals (cases, hall waits, ratings)
//! against a recount from the events, and put in their place. A store upgraded from
//! before a figure existed (the day totals) has it from the upgrade on; `rebuild`
//! counts it for everything already recorded.

use std::path::Path;
use std::sync::Arc;

use anyhow::Context;
use clap::Subcommand;
use serde_json::json;
use yichuang_engine::{Engine, EngineConfig};
use yichuang_store::Store;

use crate::Outcome;
use crate::calendar_cmd::load_calendar;
use crate::output::print_json;
use crate::store_cmd::{runtime, shown};

/// Differences printed one per line (all of them with `--json`).
const SHOWN: usize = 20;

#[derive(Debug, Subcommand)]
pub(crate) enum TotalsCommand {
    /// Recount every total from the events and name each stored total that differs
    /// (exit 1 if any does). Reads only.
    Check {
        #[arg(long)]
        json: bool,
    },
    /// Replace every stored total by the recount, in one transaction. Refused while a
    /// server runs on the database (what it commits meanwhile would be counted twice or
    /// not at all); no server starts until it has finished.
    Rebuild,
}

pub(crate) fn run(command: TotalsCommand, url: &str, data_dir: &Path) -> anyhow::Result<Outcome> {
    let calendar = Arc::new(load_calendar(data_dir)?);
    let catalog = Arc::new(yichuang_catalog::builtin()?.catalog);
    runtime()?.block_on(async {
        let store = Store::open(url)
            .await
            .with_context(|| format!("opening {}", shown(url)))?;
        let engine = Engine::start(store, catalog, calendar, EngineConfig::default());
        match command {
            TotalsCommand::Check { json } => {
                let differences = engine.totals_differences().await?;
                if json {
                    let rows: Vec<_> = differences
                        .iter()
                        .map(|((key, name), (stored, recounted))| {
                            json!({"key": key, "name": name, "stored": stored, "recounted": recounted})
                        })
                        .collect();
                    print_json(&json!({"differences": rows}))?;
                } else if differences.is_empty() {
                    println!("every stored total equals its recount from the events");
                } else {
                    println!(
                        "{} stored totals differ from their recount from the events:",
                        differences.len()
                    );
                    for ((key, name), (stored, recounted)) in differences.iter().take(SHOWN) {
                        println!("  {key} {name}: stored {stored}, recounted {recounted}");
                    }
                    if differences.len() > SHOWN {
                        println!("  … and {} more (--json lists all)", differences.len() - SHOWN);
                    }
                    println!("`yichuang totals rebuild` (with the server stopped) puts the recount in their place");
                }
                Ok(if differences.is_empty() {
                    Outcome::Done
                } else {
                    Outcome::Invalid
                })
            }
            TotalsCommand::Rebuild => {
                // Refused while a server runs; held so none starts meanwhile.
                let _alone = engine.store().claim(yichuang_store::Use::Alone).await?;
                let kept = engine.rebuild_totals().await?;
                println!("rebuilt the totals from the events: {kept} totals");
                Ok(Outcome::Done)
            }
        }
    })
}
