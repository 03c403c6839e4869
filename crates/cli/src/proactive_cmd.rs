//! `yichuang proactive run --policy NAME --year YYYY --dry-run [--json]`: who a policy
//! found from data (免申即享), with the amount and, for everyone, the reasons.

use anyhow::Context;
use clap::Subcommand;
use serde::Serialize;
use yichuang_domain::facts::Cents;
use yichuang_domain::proactive::{Policy, Screening};
use yichuang_domain::rules::Reason;
use yichuang_engine::{Engine, EngineConfig};
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
        /// Only list; publish nothing and grant nothing. Without it the first run
        /// publishes the list for 公示 and a run after the period makes the grants.
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
    /// An employer's credit code (employer policies).
    #[serde(skip_serializing_if = "Option::is_none")]
    uscc: Option<&'a str>,
    /// A person's identity number, with the certificate (certificate policies).
    #[serde(skip_serializing_if = "Option::is_none")]
    person: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    certificate: Option<&'a str>,
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

pub(crate) fn run(
    command: ProactiveCommand,
    url: &str,
    data_dir: &std::path::Path,
) -> anyhow::Result<Outcome> {
    let ProactiveCommand::Run {
        policy,
        year,
        dry_run,
        json,
    } = command;
    let loaded = yichuang_catalog::builtin()?;
    let grants = loaded.grant_policies();
    let Some(policy) = grants.iter().find(|p| p.id == policy).map(|p| (*p).clone()) else {
        let known: Vec<&str> = grants.iter().map(|p| p.id.as_str()).collect();
        eprintln!(
            "--policy: {policy:?} is not a grant policy of the catalog (known: {})",
            known.join(", ")
        );
        return Ok(Outcome::Invalid);
    };
    let (screening, store) = runtime()?.block_on(async {
        let store = Store::open(url)
            .await
            .with_context(|| format!("opening {}", shown(url)))?;
        let screening = yichuang_engine::proactive::screen_subjects(&store, &policy, year).await?;
        anyhow::Ok((screening, store))
    })?;
    eprintln!(
        "policy {} version {} (rule hash {}); inputs digest {}",
        screening.policy, screening.policy_version, screening.policy_hash, screening.inputs_digest
    );
    let of_persons = policy.rule.schema.subject != "employer_year";
    if !dry_run {
        return publish_or_grant(store, &loaded, &policy, year, &screening, data_dir);
    }
    if json {
        print_json(&entries(&screening, of_persons))?;
    } else {
        print_text(&screening);
    }
    Ok(Outcome::Done)
}

/// The run for real: publishes the list for 公示 the first time; while it is public,
/// says so; after the period, makes every grant the list allows (again after an
/// interruption, each once).
fn publish_or_grant(
    store: Store,
    loaded: &yichuang_catalog::LoadedCatalog,
    policy: &Policy,
    year: i16,
    screening: &Screening,
    data_dir: &std::path::Path,
) -> anyhow::Result<Outcome> {
    let calendar = std::sync::Arc::new(crate::calendar_cmd::load_calendar(data_dir)?);
    runtime()?.block_on(async {
        let engine = Engine::start(
            store,
            std::sync::Arc::new(loaded.catalog.clone()),
            calendar,
            EngineConfig::default(),
        );
        let today = engine.today();
        let Some(list) = engine.grant_list(&policy.id, year).await? else {
            let (count, total) = screening
                .eligible()
                .fold((0usize, 0i64), |(n, t), (_, e)| (n + 1, t + e.amount_cents));
            engine.publish_list(policy, year, screening).await?;
            let list = engine.grant_list(&policy.id, year).await?;
            let until = list.and_then(|l| l.public_until).map(|d| d.to_string()).unwrap_or_default();
            println!(
                "published for 公示: {count} line(s), {} yuan; objections are taken until {until}; run again after that day to grant",
                Cents(total)
            );
            return anyhow::Ok(Outcome::Done);
        };
        if list.inputs_digest != screening.inputs_digest {
            eprintln!(
                "the facts changed since the list was published ({}); the published list stands",
                list.inputs_digest
            );
        }
        if let Some(until) = list.public_until.filter(|until| today <= *until) {
            let open = list
                .lines
                .iter()
                .filter(|l| l.objection.as_ref().is_some_and(|o| o.upheld.is_none()))
                .count();
            println!(
                "public until {until}: {} line(s) listed, {open} objection(s) waiting; nothing is granted before the period ends",
                list.lines.len()
            );
            return anyhow::Ok(Outcome::Done);
        }
        let grantee = yichuang_engine::proactive::Grantee::of(policy);
        let granted = engine
            .grant_from_list(&policy.id, year, (&policy.item, grantee))
            .await?;
        for (id, case_id) in &granted {
            println!("granted  {id}  case {case_id}");
        }
        let list = engine.grant_list(&policy.id, year).await?;
        let (done, held) = list.map_or((0, 0), |l| {
            let done = l.lines.iter().filter(|x| x.case_id.is_some()).count();
            (done, l.lines.len() - done)
        });
        println!(
            "{} grant case(s) made now; {done} granted in all, {held} not granted (objection open or upheld)",
            granted.len()
        );
        anyhow::Ok(Outcome::Done)
    })
}

fn entries(screening: &Screening, of_persons: bool) -> Vec<Entry<'_>> {
    screening
        .entries
        .iter()
        .map(|e| {
            let (eligible, cents, reasons, error) = match &e.outcome {
                Ok(ev) => (ev.eligible, ev.amount_cents, ev.reasons.as_slice(), None),
                Err(message) => (false, 0, &[][..], Some(message.as_str())),
            };
            let (uscc, person, certificate) = if of_persons {
                (None, Some(e.name.as_str()), Some(e.id.as_str()))
            } else {
                (Some(e.id.as_str()), None, None)
            };
            Entry {
                uscc,
                person,
                certificate,
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
        "{} subjects, {eligible} eligible, {total} yuan in all",
        screening.entries.len()
    );
}
