//! `yichuang bench cases`: durable case transitions through the service layer, with
//! raw baselines of the same rows measured in the same run (PERFORMANCE.md).

use std::sync::{Arc, OnceLock};
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

pub(crate) const STEPS: usize = 5;
const ROUNDS: usize = 3;

/// One measured run of our lifecycles.
pub(crate) struct Round {
    pub(crate) rate: f64,
    elapsed: Duration,
    cpu: Option<f64>,
    latencies: Vec<Duration>,
}

/// One round: ours, then both baselines (transitions per second).
struct Measured {
    ours: Round,
    batched: f64,
    single: f64,
}

/// One line per ratio, with the word `ratio`: the median of the rounds' ratios.
fn print_ratio(baseline: &str, mut ratios: Vec<f64>) {
    ratios.sort_by(f64::total_cmp);
    let each: Vec<String> = ratios.iter().map(|r| format!("{r:.2}")).collect();
    println!(
        "ratio ours/{baseline} baseline: {:.2} (median of the rounds' ratios: {})",
        ratios.get(ratios.len() / 2).copied().unwrap_or_default(),
        each.join(", ")
    );
}

/// `concurrency` clients, each with `per_client` whole lifecycles. `first_request`
/// keeps the first request id any client used, to weigh a stored response by.
pub(crate) async fn ours_round(
    engine: &Engine,
    per_client: usize,
    concurrency: usize,
    first_request: &Arc<OnceLock<String>>,
) -> anyhow::Result<Round> {
    let cpu_before = cpu_seconds();
    let start = Instant::now();
    let tasks = Client::spawn(engine, concurrency, per_client, false, first_request);
    let (latencies, elapsed) = crate::bench::sorted_latencies(tasks, start).await?;
    Ok(Round {
        rate: latencies.len() as f64 / elapsed.as_secs_f64(),
        elapsed,
        cpu: cpu_before.zip(cpu_seconds()).map(|(a, b)| b - a),
        latencies,
    })
}

/// The sizes of one stored projection, event and request response of the benchmark's item.
async fn row_sizes(store: &Store, request_id: &str) -> anyhow::Result<(usize, usize, usize)> {
    let sample = store
        .list_cases(&yichuang_store::CaseFilter {
            limit: 1,
            item: Some("unemployment-benefit-claim".to_owned()),
            ..Default::default()
        })
        .await?;
    let Some(summary) = sample.first() else {
        return Ok((0, 0, 0));
    };
    let case = store
        .load_case(&summary.id)
        .await?
        .map(|s| serde_json::to_string(&s.case).map(|t| t.len()))
        .transpose()?
        .unwrap_or(0);
    let events = store.events(&summary.id).await?;
    let event = events.iter().map(|e| e.json.len()).sum::<usize>() / events.len().max(1);
    let response = store
        .find_request(request_id)
        .await?
        .map(|r| r.response.to_string().len())
        .unwrap_or(0);
    Ok((case, event, response))
}

/// The index of the median element by `key` (the slice is left in its order).
fn median_by<T>(items: &mut [T], key: impl Fn(&T) -> f64) -> usize {
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by(|a, b| key(&items[*a]).total_cmp(&key(&items[*b])));
    order[order.len() / 2]
}

/// CPU seconds this process has used (user + system), from /proc on Linux.
pub(crate) fn cpu_seconds() -> Option<f64> {
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

/// One benchmark client.
struct Client {
    engine: Engine,
    /// Print every acknowledged command as `ack CASE VERSION`.
    acks: bool,
    first_request: Arc<OnceLock<String>>,
}

impl Client {
    /// `concurrency` clients, each running `count` lifecycles.
    fn spawn(
        engine: &Engine,
        concurrency: usize,
        count: usize,
        acks: bool,
        first_request: &Arc<OnceLock<String>>,
    ) -> Vec<tokio::task::JoinHandle<anyhow::Result<Vec<Duration>>>> {
        (0..concurrency)
            .map(|_| {
                let client = Client {
                    engine: engine.clone(),
                    acks,
                    first_request: first_request.clone(),
                };
                tokio::spawn(client.run(count))
            })
            .collect()
    }

    /// A fresh request id. Time-ordered (UUIDv7), as the API asks of its clients: each
    /// id lands at the end of the request index instead of on a random page of it.
    fn request_id(&self) -> String {
        let id = uuid::Uuid::now_v7().to_string();
        if self.first_request.get().is_none() {
            let _ = self.first_request.set(id.clone());
        }
        id
    }

    /// `count` cases, one after another, each through its whole lifecycle.
    async fn run(self, count: usize) -> anyhow::Result<Vec<Duration>> {
        let (engine, acks) = (&self.engine, self.acks);
        let region = RegionCode::parse("330211")?;
        let mut latencies = Vec::with_capacity(count.min(100_000) * STEPS);
        for _ in 0..count {
            let submit = Request::Submit {
                item: "unemployment-benefit-claim".to_owned(),
                submission: Submission {
                    applicant: Applicant::Person("11010519491231002X".to_owned()),
                    agent: None,
                    channel: Channel::Window,
                    accepting_region: region,
                    handling_region: region,
                    materials: vec!["id-card".to_owned(), "termination-proof".to_owned()],
                    attachments: Vec::new(),
                    commitments: Vec::new(),
                },
                actor: staff(Role::Clerk),
            };
            let t = Instant::now();
            let first = engine.execute(&self.request_id(), submit).await?;
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
            for (role, kind) in steps {
                let command = Command {
                    expected_version: version,
                    actor: staff(role),
                    kind,
                };
                let t = Instant::now();
                let response = engine
                    .execute(
                        &self.request_id(),
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
        let first_request = Arc::new(OnceLock::new());
        let tasks = Client::spawn(&engine, concurrency, usize::MAX, true, &first_request);
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
        // On SQLite each baseline has a file of its own, so that neither writes into
        // pages the other freed.
        let baseline_store = async |file: &str| match db {
            Some(url) => Store::open(url).await,
            None => Store::open(&Store::sqlite_url(&dir.path().join(file))).await,
        };
        let (batched_store, single_store) = (baseline_store("batched.db").await?, baseline_store("single.db").await?);
        let writers = if backend == "postgres" { concurrency } else { 1 };
        let stamp = jiff::Timestamp::now().as_nanosecond();

        // Ours and both baselines take turns, so that a noisy moment hits all three.
        let mut rounds = Vec::new();
        let mut shape = None;
        let first_request = Arc::new(OnceLock::new());
        for round in 0..ROUNDS {
            let ours = ours_round(&engine, per_client, concurrency, &first_request).await?;
            // The same rows: what this run's cases really weigh.
            let sizes = *match &shape {
                Some(sizes) => sizes,
                None => shape.insert(row_sizes(&store, first_request.get().map_or("", String::as_str)).await?),
            };
            let rate_of = async |store: &Store, per_commit: usize, name: &str| -> anyhow::Result<f64> {
                let baseline = BaselineShape { cases, steps_per_case: STEPS, snapshot_bytes: sizes.0, event_bytes: sizes.1, response_bytes: sizes.2, per_commit, concurrency: writers };
                let took = store.raw_baseline(baseline, &format!("baseline-{name}-{stamp}-{round}")).await?;
                Ok((cases * STEPS) as f64 / took.as_secs_f64())
            };
            let batched = rate_of(&batched_store, 100, "batched").await?;
            let single = rate_of(&single_store, 1, "single").await?;
            rounds.push(Measured { ours, batched, single });
        }
        let (snapshot_bytes, event_bytes, response_bytes) = shape.unwrap_or_default();

        let runtime_name = if single_thread { "one thread" } else { "multi-threaded runtime" };
        let median_round = median_by(&mut rounds, |m| m.ours.rate);
        let Measured { ours, batched, single } = &rounds[median_round];
        let each = |rate: fn(&Measured) -> f64| rounds.iter().map(|m| format!("{:.0}", rate(m))).collect::<Vec<_>>().join(", ");
        println!("backend: {backend} ({}), {} transitions in {cases} lifecycles per round, {ROUNDS} rounds, each of ours and both baselines in turn, {concurrency} concurrent clients, {runtime_name}", shown(&ours_url), ours.latencies.len());
        println!("ours (median round): {:.0} durable transitions/s ({:.2} s); rounds: {}", ours.rate, ours.elapsed.as_secs_f64(), each(|m| m.ours.rate));
        match ours.cpu {
            Some(cpu) => println!("ours: {:.1} µs CPU per transition (whole process)", cpu / ours.latencies.len() as f64 * 1e6),
            None => println!("ours: CPU time not available on this system"),
        }
        println!(
            "ours: acknowledgement latency p50 {:.2} ms, p99 {:.2} ms",
            percentile_ms(&ours.latencies, 0.5),
            percentile_ms(&ours.latencies, 0.99)
        );
        println!("baseline: the same rows into the same tables and indexes ({snapshot_bytes} B projection + {event_bytes} B event + {response_bytes} B request per step), same durability, no rules; {writers} writer(s)");
        println!("baseline, one commit per step: {single:.0} /s (in the median round); rounds: {}", each(|m| m.single));
        println!("baseline, 100 steps per commit: {batched:.0} /s (in the median round); rounds: {}", each(|m| m.batched));
        print_ratio("one-commit-per-step", rounds.iter().map(|m| m.ours.rate / m.single).collect());
        print_ratio("batched", rounds.iter().map(|m| m.ours.rate / m.batched).collect());
        Ok(Outcome::Done)
    })
}
