//! What a long synthetic write says on stderr while it runs: about every twentieth
//! of the way, how many cases are written, how long it has taken and the rate so
//! far (a 10-million-case run takes most of an hour; silence is no answer).

use std::time::Instant;

/// A progress callback for `generate_year` writing `cases` cases, started now.
pub(crate) fn every_twentieth(cases: usize) -> impl Fn(usize) {
    let started = Instant::now();
    let step = (cases / 20).max(1);
    // Batches end at multiples of their size, not of the step: report the first
    // batch past each step.
    let reported = std::cell::Cell::new(0usize);
    move |done: usize| {
        if done / step > reported.get() / step || done == cases {
            reported.set(done);
            let seconds = started.elapsed().as_secs_f64();
            eprintln!(
                "  {done} of {cases} cases, {seconds:.0} s, {:.0} cases/s",
                done as f64 / seconds.max(1e-9)
            );
        }
    }
}
