//! `yichuang proactive run --policy NAME --year YYYY --dry-run [--json]`: who a policy
//! found from data (免申即享), with the amount and, for everyone, the reasons.

use anyhow::Context;
use clap::Subcommand;
use serde::Serialize;
use yichuang_domain::facts::Cents;
use yichuang_domain::proactive::Screening;
use yichuang_domain::rules::Reason;
use yichuang_store::Store;

use crate::Outcome;
use crate::output::print_json;
use crate::store_cmd::{runtime, shown};

#[derive(Debug, Subcommand)]
pub(crate) enum ProactiveCommand {
    /// Evaluate a policy for every employer its facts cover.
    Run {
        /// The policy's id in the catalog, e.g. job-retention-refund.
        #[arg(long)]
        policy: String,
        /// The year whose records are read.
        #[arg(long, value_parser = clap::value_parser!(i16).range(1900..=2200))]
        year: i16,
        /// Only list; publish nothing and grant nothing.
        #[arg(long)]
        dry_run: bool,
        /// A JSON array, one object per employer.
        #[arg(long)]
        json: bool,
    },
}

/// One line of the list as JSON.
#[derive(Serialize)]
struct Entry<'a> {
    uscc: &'a str,
    name: &'a str,
    region: String,
    eligible: bool,
    amount_yuan: f64,
    reasons: &'a [Reason],
    /// Why the rule could not decide (the employer then goes to a reviewer).
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'a str>,
    facts_digest: &'a str,
}

pub(crate) fn run(command: ProactiveCommand, url: &str) -> anyhow::Result<Outcome> {
    let ProactiveCommand::Run {
        policy,
        year,
        dry_run,
        json,
    } = command;
    let loaded = yichuang_catalog::builtin()?;
    let Some(policy) = loaded.policy(&policy).cloned() else {
        let known: Vec<&str> = loaded.policies.iter().map(|p| p.id.as_str()).collect();
        eprintln!(
            "--policy: {policy:?} is not a policy of the catalog (known: {})",
            known.join(", ")
        );
        return Ok(Outcome::Invalid);
    };
    if !dry_run {
        eprintln!(
            "publishing a list (公示) and granting are not built yet; run with --dry-run to see the list"
        );
        return Ok(Outcome::Invalid);
    }
    let screening = runtime()?.block_on(async {
        let store = Store::open(url)
            .await
            .with_context(|| format!("opening {}", shown(url)))?;
        anyhow::Ok(yichuang_engine::proactive::screen_employers(&store, &policy, year).await?)
    })?;
    eprintln!(
        "policy {} version {} (rule hash {}); inputs digest {}",
        screening.policy, screening.policy_version, screening.policy_hash, screening.inputs_digest
    );
    if json {
        print_json(&entries(&screening))?;
    } else {
        print_text(&screening);
    }
    Ok(Outcome::Done)
}

fn entries(screening: &Screening) -> Vec<Entry<'_>> {
    screening
        .entries
        .iter()
        .map(|e| {
            let (eligible, cents, reasons, error) = match &e.outcome {
                Ok(ev) => (ev.eligible, ev.amount_cents, ev.reasons.as_slice(), None),
                Err(message) => (false, 0, &[][..], Some(message.as_str())),
            };
            Entry {
                uscc: &e.id,
                name: &e.name,
                region: e.region.to_string(),
                eligible,
                amount_yuan: Cents(cents).yuan(),
                reasons,
                error,
                facts_digest: &e.facts_digest,
            }
        })
        .collect()
}

fn print_text(screening: &Screening) {
    let mut total = Cents(0);
    for e in &screening.entries {
        match &e.outcome {
            Ok(ev) if ev.eligible => {
                total.0 += ev.amount_cents;
                println!(
                    "eligible      {} {}  {} yuan",
                    e.id,
                    e.name,
                    Cents(ev.amount_cents)
                );
            }
            Ok(ev) => {
                let failed: Vec<String> = ev
                    .reasons
                    .iter()
                    .filter(|r| !r.held)
                    .map(|r| {
                        let values: Vec<String> =
                            r.values.iter().map(|(k, v)| format!("{k}={v}")).collect();
                        format!("{} ({})", r.label, values.join(", "))
                    })
                    .collect();
                println!("not eligible  {} {}  {}", e.id, e.name, failed.join("; "));
            }
            Err(message) => println!("to review     {} {}  {message}", e.id, e.name),
        }
    }
    let eligible = screening.eligible().count();
    println!(
        "{} employers, {eligible} eligible, {total} yuan in all",
        screening.entries.len()
    );
}
