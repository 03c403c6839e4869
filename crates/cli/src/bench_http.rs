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
use yichuang_store::{CitizenSession, Store};

use crate::Outcome;
use crate::bench::percentile_ms;
use crate::store_cmd::runtime;

struct Run {
    name: &'static str,
    done: usize,
    elapsed: Duration,
    latencies: Vec<Duration>,
    /// CPU seconds of the whole process (server and load generator) during the run.
    cpu: Option<f64>,
}

impl Run {
    fn rate(&self) -> f64 {
        self.done as f64 / self.elapsed.as_secs_f64()
    }

    /// CPU microseconds per request (whole process).
    fn cpu_per_request(&self) -> Option<f64> {
        self.cpu.map(|cpu| cpu / self.done.max(1) as f64 * 1e6)
    }

    fn print(&self) {
        let p = |q: f64| percentile_ms(&self.latencies, q);
        println!(
            "{:<34} {:>9.0} req/s  p50 {:.2} ms  p99 {:.2} ms  {} ({} requests)",
            self.name,
            self.rate(),
            p(0.5),
            p(0.99),
            self.cpu_per_request()
                .map_or_else(String::new, |c| format!("{c:.0} µs CPU/request")),
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
    let cpu_before = crate::bench_cases::cpu_seconds();
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
    let cpu = cpu_before
        .zip(crate::bench_cases::cpu_seconds())
        .map(|(a, b)| b - a);
    Ok(Run {
        name,
        done: latencies.len(),
        elapsed,
        latencies,
        cpu,
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
        // A signed-in citizen for the online applications (as the demo sign-in makes one).
        let citizen_token = "bench-citizen";
        let session = CitizenSession {
            party_kind: "person".to_owned(),
            party: "11010519491231002X".to_owned(),
            agent: None,
            name: "bench".to_owned(),
            method: "demo".to_owned(),
            csrf: "bench-csrf".to_owned(),
        };
        store.create_citizen_session(&hash_token(citizen_token), &session, jiff::Timestamp::MAX).await?;
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
                    // The chosen region, as a browser sends it to the pages.
                    let response = client.get(&url).header("cookie", "yc_region=330211").send().await?;
                    anyhow::ensure!(response.status().is_success(), "{url}: {}", response.status());
                    response.bytes().await?;
                    Ok(())
                }
            }
        };
        let trivial = load("trivial route /healthz", connections, duration, get("/healthz".to_owned())).await?;
        let guides = load("guide lookups", connections, duration, get("/api/v1/regions/330211/guides/unemployment-benefit-claim".to_owned())).await?;
        let pages = load("guide pages (rendered HTML)", connections, duration, get("/guides/unemployment-benefit-claim".to_owned())).await?;
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
        // Online applications as the page sends them: three files of 1 MB (new bytes
        // each time, so every file is hashed and written), multipart, through the
        // engine. Not following the redirect to the case page.
        let upload_client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .pool_max_idle_per_host(connections)
            .build()
            .context("building the HTTP client")?;
        let apply_url = format!("{base}/apply/unemployment-benefit-claim");
        let uploads = load("online applications, 3 × 1 MB", connections, duration, move |c, n| {
            let client = upload_client.clone();
            let url = apply_url.clone();
            async move {
                let file = |k: u8| {
                    let mut bytes = b"%PDF-1.4\n".to_vec();
                    bytes.extend(format!("{c}-{n}-{k}\n").as_bytes());
                    bytes.resize(1024 * 1024, k);
                    reqwest::multipart::Part::bytes(bytes).file_name("scan.pdf")
                };
                let form = reqwest::multipart::Form::new()
                    .text("csrf", "bench-csrf")
                    .text("request_id", uuid::Uuid::now_v7().to_string())
                    .text("channel", "online")
                    .part("file-id-card", file(1))
                    .part("file-termination-proof", file(2))
                    .part("file-bank-account", file(3));
                let response = client
                    .post(&url)
                    .header("cookie", format!("yc_region=330211; yc_citizen={citizen_token}"))
                    .multipart(form)
                    .send()
                    .await?;
                anyhow::ensure!(response.status() == reqwest::StatusCode::SEE_OTHER, "apply: {}", response.status());
                response.bytes().await?;
                Ok(())
            }
        })
        .await?;
        let _ = stop.send(());
        println!("loopback, {connections} connections, {seconds} s per run, load generator in the same process (2 cores shared)");
        for run in [&trivial, &guides, &pages, &trivial_again, &commands, &uploads] {
            run.print();
        }
        let baseline = (trivial.rate() + trivial_again.rate()) / 2.0;
        println!("ratio guide lookups/trivial route: {:.2}", guides.rate() / baseline);
        println!("ratio guide pages/trivial route: {:.2} (p99 {:.2} ms)", pages.rate() / baseline, percentile_ms(&pages.latencies, 0.99));
        println!("ratio durable case commands/trivial route: {:.2}", commands.rate() / baseline);
        if let (Some(upload), Some(api)) = (uploads.cpu_per_request(), commands.cpu_per_request()) {
            println!(
                "online application with 3 × 1 MB: {:.1}/s, {upload:.0} µs CPU each, {:.1} × an API submission's {api:.0} µs",
                uploads.rate(),
                upload / api
            );
        }
        Ok(Outcome::Done)
    })
}
