//! Whole case histories written in bulk (a synthetic year for the demo and the
//! benchmarks, or an import): every step is decided by the same pure rules as a live
//! command (`case::submit`, `case::decide`) on the day it is dated, chained, tallied
//! into the supervision totals, and committed in one batch per call. For new cases
//! only: the writers never hold them, so nothing is cached around them.

use std::sync::Arc;

use jiff::civil::Date;
use yichuang_domain::case::{
    self, Actor, Case, Command, CommandKind, Context, GuideSnapshot, Submission,
};
use yichuang_store::{Batch, CaseWrite, EventRecord, PendingCommit};

use crate::EngineError;

/// One step of a history: a command taken by `actor` on `on` at `hour` (China time).
#[derive(Debug, Clone)]
pub struct HistoryStep {
    pub on: Date,
    pub hour: i8,
    pub actor: Actor,
    pub kind: CommandKind,
}

/// A case from its submission to its last step.
#[derive(Debug, Clone)]
pub struct History {
    pub case_id: String,
    pub guide: Arc<GuideSnapshot>,
    pub submission: Submission,
    pub actor: Actor,
    pub on: Date,
    pub hour: i8,
    pub steps: Vec<HistoryStep>,
}

fn at(day: Date, hour: i8) -> jiff::Timestamp {
    day.at(hour, 0, 0, 0)
        .to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::offset(8)))
        .map(|z| z.timestamp())
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
}

impl crate::Engine {
    /// Writes `histories` as new cases in one transaction; a step the rules refuse
    /// ends that case's history there (what came before stands). Returns how many
    /// events were written.
    pub async fn write_histories(&self, histories: Vec<History>) -> Result<usize, EngineError> {
        let (events, pending) = self.begin_histories(histories)?;
        pending.await?;
        Ok(events)
    }

    /// Decides and chains `histories` now and starts their commit: the caller may
    /// build the next batch while the store writes this one (the store's writer works
    /// on its own thread), then awaits the commit. Returns how many events it holds.
    pub fn begin_histories(
        &self,
        histories: Vec<History>,
    ) -> Result<(usize, PendingCommit), EngineError> {
        let calendar = self.calendar();
        let policy = self.config.policy;
        let context = |day: Date, hour: i8| Context {
            at: at(day, hour),
            today: day,
            calendar,
            policy,
        };
        let mut cases = Vec::with_capacity(histories.len());
        let mut counters = Vec::new();
        let mut events = 0;
        for h in histories {
            let first = case::submit(
                &h.case_id,
                h.submission,
                h.guide,
                h.actor,
                context(h.on, h.hour),
            )?;
            let mut state = Case::from_submission(&first).ok_or(EngineError::Closed)?;
            counters.extend(crate::writer::tally_case(calendar, &state, &first));
            let mut records = vec![EventRecord::chain(first, "")?];
            for step in h.steps {
                let command = Command {
                    expected_version: state.version,
                    actor: step.actor,
                    kind: step.kind,
                };
                let Ok(event) = case::decide(&state, &command, context(step.on, step.hour)) else {
                    break;
                };
                counters.extend(crate::writer::tally_case(calendar, &state, &event));
                state.apply(&event);
                let previous = records.last().map_or("", |r| r.hash.as_str()).to_owned();
                records.push(EventRecord::chain(event, &previous)?);
            }
            events += records.len();
            cases.push(CaseWrite::new(state, 0, records, Vec::new(), None)?);
        }
        let counters = crate::streams::merge_counters(&mut [], counters);
        let pending = self.store().begin_commit(Batch {
            cases,
            streams: Vec::new(),
            counters,
            history: true,
        });
        Ok((events, pending))
    }
}
