//! Prometheus metrics from the `prometheus` crate: requests by route and status,
//! latency as a histogram by route, and cases by state and warning level (read from
//! the store at scrape time).

use std::time::Duration;

use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounterVec, IntGaugeVec, Opts, Registry, TextEncoder,
};

#[derive(Debug, Clone)]
pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    latency: HistogramVec,
    cases: IntGaugeVec,
    running: IntGaugeVec,
}

/// Latency buckets in seconds: a guide lookup takes well under a millisecond, a durable
/// command a few milliseconds, a password check tens.
const BUCKETS: &[f64] = &[
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
];

impl Default for Metrics {
    fn default() -> Self {
        // Registration fails only for a malformed or duplicate name: the definitions
        // below are fixed, and every test that builds a server exercises them.
        Metrics::new().expect("metric definitions are valid and distinct")
    }
}

impl Metrics {
    fn new() -> prometheus::Result<Metrics> {
        let registry = Registry::new();
        let requests = IntCounterVec::new(
            Opts::new(
                "yichuang_http_requests_total",
                "HTTP requests by route and status.",
            ),
            &["route", "status"],
        )?;
        let latency = HistogramVec::new(
            HistogramOpts::new(
                "yichuang_http_request_duration_seconds",
                "Time to answer, by route.",
            )
            .buckets(BUCKETS.to_vec()),
            &["route"],
        )?;
        let cases = IntGaugeVec::new(Opts::new("yichuang_cases", "Cases by state."), &["state"])?;
        let running = IntGaugeVec::new(
            Opts::new("yichuang_running_cases", "Running cases by warning level."),
            &["warning"],
        )?;
        registry.register(Box::new(requests.clone()))?;
        registry.register(Box::new(latency.clone()))?;
        registry.register(Box::new(cases.clone()))?;
        registry.register(Box::new(running.clone()))?;
        Ok(Metrics {
            registry,
            requests,
            latency,
            cases,
            running,
        })
    }

    pub fn record(&self, route: &str, status: axum::http::StatusCode, elapsed: Duration) {
        self.requests
            .with_label_values(&[route, status.as_str()])
            .inc();
        self.latency
            .with_label_values(&[route])
            .observe(elapsed.as_secs_f64());
    }

    /// The text exposition, with the case gauges set from the store's counts.
    pub fn render(&self, warnings: (u64, u64, u64), states: &[(String, u64)]) -> String {
        let gauge = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
        // Every state is shown, zero or not, so a dashboard's series never vanish.
        for state in yichuang_domain::case::CaseState::ALL {
            self.cases.with_label_values(&[state.name()]).set(0);
        }
        for (state, count) in states {
            self.cases.with_label_values(&[state]).set(gauge(*count));
        }
        let (green, yellow, red) = warnings;
        for (level, count) in [("green", green), ("yellow", yellow), ("red", red)] {
            self.running.with_label_values(&[level]).set(gauge(count));
        }
        let mut out = Vec::new();
        if let Err(e) = TextEncoder::new().encode(&self.registry.gather(), &mut out) {
            tracing::error!(error = %e, "metrics could not be encoded");
        }
        String::from_utf8(out).unwrap_or_default()
    }
}
