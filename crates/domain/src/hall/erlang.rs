//! Erlang C (M/M/N: Poisson arrivals, exponential service, N windows, no abandonment):
//! the share of people who wait, and the mean wait over everyone. The yardstick for
//! `yichuang simulate hall`.

/// What Erlang C predicts for a hall.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ErlangC {
    /// Offered load A = λ·h, in windows' worth of work.
    pub load: f64,
    /// The probability that an arrival has to wait.
    pub p_wait: f64,
    /// The mean wait over all arrivals, in the unit of `h`.
    pub mean_wait: f64,
}

/// For `lambda` arrivals per unit of time, mean service `h` (same unit) and `windows`
/// windows; none when the hall cannot keep up (A ≥ N).
pub fn erlang_c(lambda: f64, h: f64, windows: u32) -> Option<ErlangC> {
    let load = lambda * h;
    let n = f64::from(windows);
    if windows == 0 || load.is_nan() || load >= n || load <= 0.0 {
        return None;
    }
    // Σ A^k/k! for k < N, and A^N/N!, built term by term so nothing overflows.
    let mut term = 1.0;
    let mut sum = 0.0;
    for k in 0..windows {
        sum += term;
        term *= load / f64::from(k + 1);
    }
    let last = term * n / (n - load);
    let p_wait = last / (sum + last);
    Some(ErlangC {
        load,
        p_wait,
        mean_wait: p_wait * h / (n - load),
    })
}

#[cfg(test)]
mod tests {
    use super::erlang_c;

    #[test]
    fn the_published_example() {
        // λ = 60/h, h = 10 min, A = 10 (POLICY-FACTS.md §2): 6.82, 2.25, 0.95, 0.44 min.
        for (windows, expected) in [(11, 6.82), (12, 2.25), (13, 0.95), (14, 0.44)] {
            let c = erlang_c(1.0, 10.0, windows).unwrap();
            assert!(
                (c.mean_wait - expected).abs() < 0.01,
                "{windows}: {}",
                c.mean_wait
            );
        }
        assert!(erlang_c(1.0, 10.0, 10).is_none(), "A = N never settles");
    }
}
