//! Prometheus text metrics: requests and latency by route, cases by state and warning.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Duration;

#[derive(Debug, Default)]
pub struct Metrics {
    /// (route, status) → (count, total seconds)
    requests: Mutex<BTreeMap<(String, u16), (u64, f64)>>,
}

impl Metrics {
    pub fn record(&self, route: &str, status: u16, elapsed: Duration) {
        if let Ok(mut map) = self.requests.lock() {
            let entry = map.entry((route.to_owned(), status)).or_default();
            entry.0 += 1;
            entry.1 += elapsed.as_secs_f64();
        }
    }

    pub fn render(&self, warnings: (u64, u64, u64), states: &[(String, u64)]) -> String {
        let mut out = String::new();
        out.push_str("# HELP yichuang_http_requests_total HTTP requests by route and status.\n# TYPE yichuang_http_requests_total counter\n");
        let map = self.requests.lock().map(|m| m.clone()).unwrap_or_default();
        for ((route, status), (count, _)) in &map {
            out.push_str(&format!(
                "yichuang_http_requests_total{{route=\"{route}\",status=\"{status}\"}} {count}\n"
            ));
        }
        out.push_str("# HELP yichuang_http_request_seconds_sum Time spent answering, by route.\n# TYPE yichuang_http_request_seconds_sum counter\n");
        for ((route, status), (_, seconds)) in &map {
            out.push_str(&format!("yichuang_http_request_seconds_sum{{route=\"{route}\",status=\"{status}\"}} {seconds:.6}\n"));
        }
        let (green, yellow, red) = warnings;
        out.push_str("# HELP yichuang_running_cases Running cases by warning level.\n# TYPE yichuang_running_cases gauge\n");
        out.push_str("# HELP yichuang_cases Cases by state.\n# TYPE yichuang_cases gauge\n");
        for (state, count) in states {
            out.push_str(&format!("yichuang_cases{{state=\"{state}\"}} {count}\n"));
        }
        out.push_str(&format!("yichuang_running_cases{{warning=\"green\"}} {green}\nyichuang_running_cases{{warning=\"yellow\"}} {yellow}\nyichuang_running_cases{{warning=\"red\"}} {red}\n"));
        out
    }
}
