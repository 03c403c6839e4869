//! `yichuang bench cases`: durable case transitions through the service layer, with
//! raw baselines of the same rows measured in the same run (PERFORMANCE.md).

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use jiff::civil::date;
use jiff::tz::{TimeZone, offset};
use yichuang_domain::case::{Actor, ActorRole, Applicant, Command, CommandKind, Submission};
use yichuang_domain::catalog::{Channel, Role};
use yichuang_domain::{Calendar, RegionCode};
use yichuang_engine::{Engine, EngineConfig, Request};
use yichuang_store::{BaselineShape, Store};

use crate::Outcome;
use crate::bench::percentile_ms;
use crate::store_cmd::{runtime, shown};

const STEPS: usize = 5;

/// CPU seconds this process has used (user + system), from /proc on Linux.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let after_name = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

fn staff(role: Role) -> Actor {
    Actor {
        id: format!("bench-{role:?}").to_lowercase(),
        role: ActorRole::Staff(role),
    }
}

/// One client: `count` cases, one after another, each through its whole lifecycle.
/// With `acks`, every acknowledged command is printed as `ack CASE VERSION`.
async fn client(
    engine: Engine,
    client: usize,
    count: usize,
    acks: bool,
) -> anyhow::Result<Vec<Duration>> {
    let region = RegionCode::parse("330211")?;
    let mut latencies = Vec::with_capacity(count.min(100_000) * STEPS);
    for n in 0..count {
        let key = format!("bench-{client}-{n}");
        let submit = Request::Submit {
            item: "unemployment-benefit-claim".to_owned(),
            submission: Submission {
                applicant: Applicant::Person("11010519491231002X".to_owned()),
                agent: None,
                channel: Channel::Window,
                accepting_region: region,
                handling_region: region,
                materials: vec!["id-card".to_owned(), "termination-proof".to_owned()],
            },
            actor: staff(Role::Clerk),
        };
        let t = Instant::now();
        let first = engine.execute(&format!("{key}-0"), submit).await?;
        latencies.push(t.elapsed());
        if acks {
            acknowledge(&first.case_id, first.version)?;
        }
        let steps = [
            (
                Role::Clerk,
                CommandKind::Accept {
                    provisional: vec![],
                    commitments: vec![],
                    supply_within_days: 5,
                },
            ),
            (Role::Reviewer, CommandKind::StartReview),
            (
                Role::Reviewer,
                CommandKind::Decide {
                    grant: true,
                    reason: "符合条件".to_owned(),
                    legal_basis: vec![],
                },
            ),
            (
                Role::Clerk,
                CommandKind::Complete {
                    method: "窗口领取".to_owned(),
                },
            ),
        ];
        let mut version = first.version;
        for (i, (role, kind)) in steps.into_iter().enumerate() {
            let command = Command {
                expected_version: version,
                actor: staff(role),
                kind,
            };
            let t = Instant::now();
            let response = engine
                .execute(
                    &format!("{key}-{}", i + 1),
                    Request::Command {
                        case_id: first.case_id.clone(),
                        command,
                    },
                )
                .await?;
            latencies.push(t.elapsed());
            version = response.version;
            if acks {
                acknowledge(&first.case_id, version)?;
            }
        }
    }
    Ok(latencies)
}

/// An engine whose clock stands at 2026-06-01 10:00 in China: a day inside the built-in
/// calendar, so every benchmark deadline computes.
pub(crate) fn fixed_day_engine(
    store: Store,
    catalog: Arc<yichuang_domain::catalog::Catalog>,
) -> anyhow::Result<Engine> {
    let at = date(2026, 6, 1)
        .at(10, 0, 0, 0)
        .to_zoned(TimeZone::fixed(offset(8)))?
        .timestamp();
    let config = EngineConfig {
        clock: Arc::new(move || at),
        ..EngineConfig::default()
    };
    Ok(Engine::start(
        store,
        catalog,
        Arc::new(Calendar::builtin()),
        config,
    ))
}

/// Prints one acknowledgement and flushes it: the crash test trusts only what it read.
fn acknowledge(case_id: &str, version: u64) -> anyhow::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    writeln!(out, "ack {case_id} {version}")?;
    out.flush()?;
    Ok(())
}

/// Runs lifecycles until killed.
pub(crate) fn load(concurrency: usize, db: Option<&str>) -> anyhow::Result<Outcome> {
    let url = db.context("bench load needs --db")?.to_owned();
    runtime()?.block_on(async {
        let store = Store::open(&url).await?;
        let engine = fixed_day_engine(store, Arc::new(yichuang_catalog::builtin()?.catalog))?;
        let stamp = jiff::Timestamp::now().as_nanosecond();
        let tasks: Vec<_> = (0..concurrency)
            .map(|c| {
                tokio::spawn(client(
                    engine.clone(),
                    c + (stamp as usize % 1_000_000) * 1000,
                    usize::MAX,
                    true,
                ))
            })
            .collect();
        for task in tasks {
            task.await??;
        }
        Ok(Outcome::Done)
    })
}

pub(crate) fn run(
    cases: usize,
    concurrency: usize,
    single_thread: bool,
    db: Option<&str>,
) -> anyhow::Result<Outcome> {
    let dir = tempfile::tempdir().context("creating a temporary directory")?;
    let ours_url = db.map_or_else(
        || Store::sqlite_url(&dir.path().join("bench.db")),
        str::to_owned,
    );
    let rt = if single_thread {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?
    } else {
        runtime()?
    };
    rt.block_on(async {
        let store = Store::open(&ours_url).await.with_context(|| format!("opening {}", shown(&ours_url)))?;
        let engine = fixed_day_engine(store.clone(), Arc::new(yichuang_catalog::builtin()?.catalog))?;
        let backend = store.backend();

        let per_client = cases.div_ceil(concurrency);
        let cases = per_client * concurrency;
        let cpu_before = cpu_seconds();
        let start = Instant::now();
        let tasks: Vec<_> = (0..concurrency).map(|c| tokio::spawn(client(engine.clone(), c, per_client, false))).collect();
        let mut latencies = Vec::new();
        for task in tasks {
            latencies.extend(task.await??);
        }
        let elapsed = start.elapsed();
        let cpu = cpu_before.zip(cpu_seconds()).map(|(a, b)| b - a);
        latencies.sort();
        let transitions = latencies.len();
        let ours_rate = transitions as f64 / elapsed.as_secs_f64();

        // The same rows: measure what one case's projection and events really weigh.
        let sample = store.list_cases(&yichuang_store::CaseFilter { limit: 1, item: Some("unemployment-benefit-claim".to_owned()), ..Default::default() }).await?;
        let (snapshot_bytes, event_bytes) = match sample.first() {
            Some(summary) => {
                let case = store.load_case(&summary.id).await?.map(|s| serde_json::to_string(&s.case).map(|t| t.len())).transpose()?.unwrap_or(0);
                let events = store.events(&summary.id).await?;
                let total: usize = events.iter().map(|e| serde_json::to_string(&e.event).map(|t| t.len()).unwrap_or(0)).sum();
                (case, total / events.len().max(1))
            }
            None => (0, 0),
        };
        let baseline_store = match db {
            Some(url) => Store::open(url).await?,
            None => Store::open(&Store::sqlite_url(&dir.path().join("baseline.db"))).await?,
        };
        let writers = if backend == "postgres" { concurrency } else { 1 };
        let shape = |per_commit| BaselineShape { cases, steps_per_case: STEPS, snapshot_bytes, event_bytes, per_commit, concurrency: writers };
        let stamp = jiff::Timestamp::now().as_nanosecond();
        let single = baseline_store.raw_baseline(shape(1), &format!("single-{stamp}")).await?;
        let batched = baseline_store.raw_baseline(shape(100), &format!("batched-{stamp}")).await?;
        let steps = (cases * STEPS) as f64;
        let single_rate = steps / single.as_secs_f64();
        let batched_rate = steps / batched.as_secs_f64();

        let runtime_name = if single_thread { "one thread" } else { "multi-threaded runtime" };
        println!("backend: {backend} ({}), {transitions} transitions in {cases} lifecycles, {concurrency} concurrent clients, {runtime_name}", shown(&ours_url));
        println!("ours: {ours_rate:.0} durable transitions/s ({:.2} s)", elapsed.as_secs_f64());
        match cpu {
            Some(cpu) => println!("ours: {:.1} µs CPU per transition (whole process)", cpu / transitions as f64 * 1e6),
            None => println!("ours: CPU time not available on this system"),
        }
        println!(
            "ours: acknowledgement latency p50 {:.2} ms, p99 {:.2} ms",
            percentile_ms(&latencies, 0.5),
            percentile_ms(&latencies, 0.99)
        );
        println!("baseline, same driver and durability, one commit per step ({writers} writer(s), {snapshot_bytes} B row + {event_bytes} B event): {single_rate:.0} /s");
        println!("baseline, same driver and durability, 100 steps per commit: {batched_rate:.0} /s");
        println!("ratio ours/one-commit-per-step baseline: {:.2}", ours_rate / single_rate);
        println!("ratio ours/batched baseline: {:.2}", ours_rate / batched_rate);
        Ok(Outcome::Done)
    })
}
