//! `yichuang bench http`: the server on loopback under a bounded load from this same
//! process: guide lookups and durable case commands, against a trivial route measured
//! in the same run (PERFORMANCE.md).

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use serde_json::json;
use yichuang_domain::case::Staff;
use yichuang_domain::catalog::Role;
use yichuang_server::{AppState, ListenOptions, ProtectionConfig, hash_password, hash_token};
use yichuang_store::Store;

use crate::Outcome;
use crate::bench::percentile_ms;
use crate::store_cmd::runtime;

struct Run {
    name: &'static str,
    done: usize,
    elapsed: Duration,
    latencies: Vec<Duration>,
}

impl Run {
    fn rate(&self) -> f64 {
        self.done as f64 / self.elapsed.as_secs_f64()
    }

    fn print(&self) {
        let p = |q: f64| percentile_ms(&self.latencies, q);
        println!(
            "{:<22} {:>9.0} req/s  p50 {:.2} ms  p99 {:.2} ms  ({} requests)",
            self.name,
            self.rate(),
            p(0.5),
            p(0.99),
            self.done
        );
    }
}

/// `connections` clients, each sending one request after another for `duration`.
async fn load<F, Fut>(
    name: &'static str,
    connections: usize,
    duration: Duration,
    make: F,
) -> anyhow::Result<Run>
where
    F: Fn(usize, usize) -> Fut + Send + Sync + Clone + 'static,
    Fut: std::future::Future<Output = anyhow::Result<()>> + Send,
{
    let start = Instant::now();
    let tasks: Vec<_> = (0..connections)
        .map(|c| {
            let make = make.clone();
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                let mut n = 0;
                while start.elapsed() < duration {
                    let t = Instant::now();
                    make(c, n).await?;
                    latencies.push(t.elapsed());
                    n += 1;
                }
                Ok::<_, anyhow::Error>(latencies)
            })
        })
        .collect();
    let (latencies, elapsed) = crate::bench::sorted_latencies(tasks, start).await?;
    Ok(Run {
        name,
        done: latencies.len(),
        elapsed,
        latencies,
    })
}

pub(crate) fn run(connections: usize, seconds: u64) -> anyhow::Result<Outcome> {
    let dir = tempfile::tempdir()?;
    runtime()?.block_on(async {
        let store = Store::open(&Store::sqlite_url(&dir.path().join("http.db"))).await?;
        let staff = Staff { id: "bench".to_owned(), name: "bench".to_owned(), role: Role::Supervisor, jurisdiction: "330000".parse()? };
        store.create_staff(&staff, &hash_password("bench").map_err(anyhow::Error::msg)?).await?;
        let token = "bench-token";
        store.add_token(&hash_token(token), "bench", jiff::Timestamp::MAX).await?;
        let loaded = Arc::new(yichuang_catalog::builtin()?);
        let engine = crate::bench_cases::fixed_day_engine(store, Arc::new(loaded.catalog.clone()))?;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let base = format!("http://{}", listener.local_addr()?);
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        // One loopback client is the whole load: its public-route budget is set out of
        // reach (the limiter still runs on every request, so its cost is measured).
        let protection = ProtectionConfig { public_per_minute: u32::MAX, ..ProtectionConfig::default() };
        let options = ListenOptions { max_connections: connections * 4, ..ListenOptions::default() };
        tokio::spawn(yichuang_server::serve(listener, AppState::with_protection(engine, loaded, protection), options, async {
            let _ = stopped.await;
        }));
        let client = reqwest::Client::builder().pool_max_idle_per_host(connections).build().context("building the HTTP client")?;
        let duration = Duration::from_secs(seconds);
        let get = |path: String| {
            let client = client.clone();
            let url = format!("{base}{path}");
            move |_: usize, _: usize| {
                let client = client.clone();
                let url = url.clone();
                async move {
                    let response = client.get(&url).send().await?;
                    anyhow::ensure!(response.status().is_success(), "{url}: {}", response.status());
                    response.bytes().await?;
                    Ok(())
                }
            }
        };
        let trivial = load("trivial route /healthz", connections, duration, get("/healthz".to_owned())).await?;
        let guides = load("guide lookups", connections, duration, get("/api/v1/regions/330211/guides/unemployment-benefit-claim".to_owned())).await?;
        let trivial_again = load("trivial route (again)", connections, duration, get("/healthz".to_owned())).await?;
        let submit_client = client.clone();
        let submit_url = format!("{base}/api/v1/cases");
        let commands = load("case submissions", connections, duration, move |_, _| {
            let client = submit_client.clone();
            let url = submit_url.clone();
            async move {
                let body = json!({
                    // Time-ordered, as the API asks of its clients.
                    "request_id": uuid::Uuid::now_v7().to_string(),
                    "item": "unemployment-benefit-claim",
                    "applicant": { "kind": "person", "id": "11010519491231002X" },
                    "channel": "online",
                    "accepting_region": "330211",
                    "handling_region": "330211",
                    "materials": ["id-card", "termination-proof"],
                });
                let response = client.post(&url).bearer_auth(token).json(&body).send().await?;
                anyhow::ensure!(response.status().is_success(), "submit: {}", response.status());
                response.bytes().await?;
                Ok(())
            }
        })
        .await?;
        let _ = stop.send(());
        println!("loopback, {connections} connections, {seconds} s per run, load generator in the same process (2 cores shared)");
        for run in [&trivial, &guides, &trivial_again, &commands] {
            run.print();
        }
        let baseline = (trivial.rate() + trivial_again.rate()) / 2.0;
        println!("ratio guide lookups/trivial route: {:.2}", guides.rate() / baseline);
        println!("ratio durable case commands/trivial route: {:.2}", commands.rate() / baseline);
        Ok(Outcome::Done)
    })
}
