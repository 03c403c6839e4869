//! The p90 of a histogram kept as running totals (handling days, hall waits).

/// The upper bound of the bucket the 90th percentile falls in, given each bucket's
/// count in order (one more count than bounds: the open last bucket); None past the
/// last bound, or with nothing counted.
pub fn p90_bound(bounds: &[u32], counts: &[i64]) -> Option<u32> {
    let total: i64 = counts.iter().sum();
    if total == 0 {
        return None;
    }
    let needed = (total * 9 + 9) / 10;
    let mut seen = 0;
    for (bound, n) in bounds.iter().zip(counts) {
        seen += n;
        if seen >= needed {
            return Some(*bound);
        }
    }
    None
}
