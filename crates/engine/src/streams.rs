//! What every stream aggregate (a hall's day, a day's bookings) shares in the writer:
//! loading the state for a batch, chaining an event, remembering the request, and
//! turning the batch's states into the store's stream writes.

use std::collections::HashMap;

use rustc_hash::FxHashMap;

use serde::Serialize;
use serde::de::DeserializeOwned;
use yichuang_store::{
    CounterDelta, RequestWrite, ScheduledMessage, Store, StoreError, StreamEventRecord, StreamWrite,
};

use crate::{EngineError, Job};

/// An aggregate kept as a stream of events per hall and day.
pub(crate) trait StreamState: Serialize + DeserializeOwned + Clone {
    const KIND: &'static str;
    type Event: Serialize;
    fn version(&self) -> u64;
    fn apply(&mut self, event: &Self::Event);
    /// (seq, RFC 3339 time, event name, actor).
    fn describe(event: &Self::Event) -> (u64, String, &'static str, String);
}

/// `StreamState` for a per-hall-and-day aggregate whose events carry `seq`, `at`,
/// `actor` and a `body` with `name()` (a hall's day, a day's bookings).
macro_rules! day_stream {
    ($state:ty, $event:ty, $kind:expr) => {
        impl crate::streams::StreamState for $state {
            const KIND: &'static str = $kind;
            type Event = $event;

            fn version(&self) -> u64 {
                self.version
            }

            fn apply(&mut self, event: &$event) {
                <$state>::apply(self, event);
            }

            fn describe(event: &$event) -> (u64, String, &'static str, String) {
                (
                    event.seq,
                    event.at.to_string(),
                    event.body.name(),
                    event.actor.clone(),
                )
            }
        }
    };
}
pub(crate) use day_stream;

/// A stream's state while a batch is being built.
pub(crate) struct Working<S> {
    pub state: S,
    pub head: String,
    pub stored_version: u64,
    pub events: Vec<StreamEventRecord>,
    pub requests: Vec<RequestWrite>,
    pub withdrawn: Vec<String>,
    pub messages: Vec<ScheduledMessage>,
    pub counters: Vec<CounterDelta>,
    pub follow_ups: Vec<yichuang_store::FollowUpRow>,
    pub complaints: Vec<yichuang_store::ComplaintRow>,
}

impl<S> Working<S> {
    /// Takes back the unsent message `key`: one scheduled earlier in this batch is
    /// dropped here, one already stored is deleted with the batch.
    pub fn withdraw(&mut self, key: String) {
        let before = self.messages.len();
        self.messages.retain(|m| m.key != key);
        if self.messages.len() == before {
            self.withdrawn.push(key);
        }
    }
}

fn corrupt(e: impl std::fmt::Display) -> EngineError {
    EngineError::Store(StoreError::Corrupt(e.to_string()))
}

/// The working state of stream `id`, from the batch, the writer's cache or the store.
pub(crate) async fn working<'a, S: StreamState>(
    store: &Store,
    cache: &mut HashMap<String, (S, String)>,
    batch: &'a mut HashMap<String, Working<S>>,
    order: &mut Vec<String>,
    id: &str,
    empty: impl FnOnce() -> S,
) -> Result<&'a mut Working<S>, EngineError> {
    if !batch.contains_key(id) {
        let (state, head) = match cache.remove(id) {
            Some(cached) => cached,
            None => match store.load_stream(id).await? {
                Some(stored) => (
                    serde_json::from_str::<S>(&stored.snapshot).map_err(corrupt)?,
                    stored.head_hash,
                ),
                None => (empty(), String::new()),
            },
        };
        batch.insert(
            id.to_owned(),
            Working {
                stored_version: state.version(),
                state,
                head,
                events: Vec::new(),
                requests: Vec::new(),
                withdrawn: Vec::new(),
                messages: Vec::new(),
                counters: Vec::new(),
                follow_ups: Vec::new(),
                complaints: Vec::new(),
            },
        );
        order.push(id.to_owned());
    }
    batch.get_mut(id).ok_or(EngineError::Closed)
}

/// Applies a decided event, chains it and remembers the job's answer with it.
pub(crate) fn record<S: StreamState, R: Serialize>(
    w: &mut Working<S>,
    job: &Job,
    event: &S::Event,
    answer: impl FnOnce(&S) -> R,
) -> Result<R, EngineError> {
    w.state.apply(event);
    let (seq, at, name, actor) = S::describe(event);
    let record = StreamEventRecord::chain(seq, at, name, &actor, event, &w.head)?;
    w.head = record.hash.clone();
    w.events.push(record);
    let response = answer(&w.state);
    w.requests.push(RequestWrite {
        request_id: job.request_id.clone(),
        caller: job.caller.clone(),
        fingerprint: job.fingerprint.clone(),
        response: serde_json::to_string(&response).map_err(corrupt)?,
    });
    Ok(response)
}

/// The batch's writes for one kind of stream; the states they leave go into the cache.
pub(crate) fn finish<S: StreamState>(
    cache: &mut HashMap<String, (S, String)>,
    mut batch: HashMap<String, Working<S>>,
    order: &[String],
) -> Result<Vec<StreamWrite>, EngineError> {
    let mut writes = Vec::new();
    for id in order {
        let Some(w) = batch.remove(id) else { continue };
        if w.events.is_empty() {
            if w.stored_version > 0 {
                cache.insert(id.clone(), (w.state, w.head));
            }
            continue;
        }
        let snapshot = serde_json::to_string(&w.state).map_err(corrupt)?;
        cache.insert(id.clone(), (w.state, w.head.clone()));
        writes.push(StreamWrite {
            id: id.clone(),
            kind: S::KIND.to_owned(),
            expected_version: w.stored_version,
            snapshot,
            events: w.events,
            requests: w.requests,
            withdrawn: w.withdrawn,
            messages: w.messages,
            counters: w.counters,
            follow_ups: w.follow_ups,
            complaints: w.complaints,
        });
    }
    Ok(writes)
}

/// Totals counted again from events, with each county's also added to its province's
/// (as `merge_counters` adds the stored ones) and the zeros dropped: what the stored
/// totals must equal.
pub(crate) fn recounted(
    mut totals: std::collections::BTreeMap<(String, String), i64>,
) -> std::collections::BTreeMap<(String, String), i64> {
    let provinces: Vec<((String, String), i64)> = totals
        .iter()
        .filter_map(|((key, name), value)| {
            let province = yichuang_domain::roll_up::province_key(key)?;
            Some(((province, name.clone()), *value))
        })
        .collect();
    for (key, value) in provinces {
        *totals.entry(key).or_insert(0) += value;
    }
    totals.retain(|_, v| *v != 0);
    totals
}

/// Adds up the batch's running totals (the streams' and `more`, the cases') by key
/// and name, each county's also to its province's, taken off the stream writes: a batch of ratings or cases in one county
/// and month writes each total once, and every transaction takes the total rows in
/// the same (sorted) order, so two writers' commits cannot deadlock on them.
/// A bulk batch brings hundreds of thousands of deltas onto a few thousand totals:
/// they are added in hash maps looked up by borrowed keys (a new string only for a
/// new total; Fx hashing, because SipHash was a tenth of the builder's time and these
/// keys come from our own rules, not from callers) and sorted once at the end.
pub(crate) fn merge_counters(
    writes: &mut [StreamWrite],
    more: Vec<CounterDelta>,
) -> Vec<CounterDelta> {
    let mut merged: Totals = FxHashMap::default();
    let mut provinces: FxHashMap<String, Option<String>> = FxHashMap::default();
    let from_streams = writes.iter_mut().flat_map(|w| w.counters.drain(..));
    for c in from_streams.chain(more) {
        if !provinces.contains_key(&c.key) {
            let province = yichuang_domain::roll_up::province_key(&c.key);
            provinces.insert(c.key.clone(), province);
        }
        if let Some(Some(province)) = provinces.get(&c.key) {
            add_to(&mut merged, province, &c.name, c.delta);
        }
        add_to(&mut merged, &c.key, &c.name, c.delta);
    }
    let mut merged: Vec<CounterDelta> = merged
        .into_iter()
        .flat_map(|(key, names)| {
            names.into_iter().map(move |(name, delta)| CounterDelta {
                key: key.clone(),
                name,
                delta,
            })
        })
        .filter(|c| c.delta != 0)
        .collect();
    merged.sort_unstable_by(|a, b| (&a.key, &a.name).cmp(&(&b.key, &b.name)));
    merged
}

/// Running totals by key, then by name.
type Totals = FxHashMap<String, FxHashMap<String, i64>>;

fn add_to(merged: &mut Totals, key: &str, name: &str, delta: i64) {
    let Some(names) = merged.get_mut(key) else {
        let mut names = FxHashMap::default();
        names.insert(name.to_owned(), delta);
        merged.insert(key.to_owned(), names);
        return;
    };
    match names.get_mut(name) {
        Some(total) => *total += delta,
        None => {
            names.insert(name.to_owned(), delta);
        }
    }
}
