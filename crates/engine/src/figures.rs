//! The supervision figures' running totals (`cases|…`, added by every committed case
//! event through `case::case_tally`; `halls|…`, the waits every first call adds through
//! `hall::wait_tally`; `ratings|…`) and their recount from the events, compared with the
//! stored totals or put in their place (`yichuang totals check|rebuild`).

use yichuang_store::StoreError;

use crate::EngineError;

impl crate::Engine {
    /// The supervision figures' running totals counted again from every case's events,
    /// by (key, name): what the stored `cases|…` totals must equal.
    pub async fn recount_case_totals(
        &self,
    ) -> Result<std::collections::BTreeMap<(String, String), i64>, EngineError> {
        let mut totals = std::collections::BTreeMap::new();
        let ids = self.store().case_ids().await?;
        // A run of cases per query (one query per case took minutes for a million).
        for run in ids.chunks(RECOUNT_RUN) {
            let (Some(first), Some(last)) = (run.first(), run.last()) else {
                continue;
            };
            let mut case: Option<(String, yichuang_domain::case::Case)> = None;
            for (id, record) in self.store().events_of_cases(first, last).await? {
                let event = record.event;
                let state = match case.take() {
                    Some((of, mut state)) if of == id => {
                        for d in crate::writer::tally_case(self.calendar(), &state, &event) {
                            *totals.entry((d.key, d.name)).or_insert(0) += d.delta;
                        }
                        state.apply(&event);
                        state
                    }
                    _ => {
                        let created = yichuang_domain::case::Case::from_submission(&event)
                            .ok_or_else(|| {
                                EngineError::Store(StoreError::Corrupt(format!(
                                    "case {id} does not start with its submission"
                                )))
                            })?;
                        for d in crate::writer::tally_case(self.calendar(), &created, &event) {
                            *totals.entry((d.key, d.name)).or_insert(0) += d.delta;
                        }
                        created
                    }
                };
                case = Some((id, state));
            }
        }
        Ok(crate::streams::recounted(totals))
    }

    /// The hall waits' running totals counted again from every hall day's events, by
    /// (key, name): what the stored `halls|…` totals must equal.
    pub async fn recount_hall_totals(
        &self,
    ) -> Result<std::collections::BTreeMap<(String, String), i64>, EngineError> {
        use yichuang_domain::hall::{HallDay, HallEvent, wait_tally};
        let corrupt = |e: serde_json::Error| EngineError::Store(StoreError::Corrupt(e.to_string()));
        let mut totals = std::collections::BTreeMap::new();
        let mut counties: std::collections::HashMap<String, String> =
            std::collections::HashMap::new();
        for id in self
            .store()
            .stream_ids(<HallDay as crate::streams::StreamState>::KIND)
            .await?
        {
            let mut day: Option<HallDay> = None;
            for record in self.store().stream_events(&id).await? {
                let event: HallEvent = serde_json::from_str(&record.json).map_err(corrupt)?;
                let state = day.get_or_insert_with(|| HallDay::new(&event.hall, event.day));
                if !counties.contains_key(&event.hall) {
                    let region = self
                        .store()
                        .hall(&event.hall)
                        .await?
                        .map(|h| h.region)
                        .unwrap_or_default();
                    counties.insert(event.hall.clone(), region);
                }
                let county = counties.get(&event.hall).cloned().unwrap_or_default();
                for t in wait_tally(state, &event, &county) {
                    *totals.entry((t.key, t.name.to_owned())).or_insert(0) += t.delta;
                }
                state.apply(&event);
            }
        }
        Ok(crate::streams::recounted(totals))
    }

    /// Every family of totals counted again from the events (cases, hall waits,
    /// ratings), by (key, name), zeros left out: what the stored totals must equal.
    pub async fn recount_totals(
        &self,
    ) -> Result<std::collections::BTreeMap<(String, String), i64>, EngineError> {
        let mut totals = self.recount_case_totals().await?;
        totals.extend(self.recount_hall_totals().await?);
        totals.extend(self.recount_rating_totals().await?);
        totals.retain(|_, value| *value != 0);
        Ok(totals)
    }

    /// Where the stored totals differ from a recount from the events, by (key, name):
    /// (stored, recounted), a missing total being 0.
    pub async fn totals_differences(
        &self,
    ) -> Result<std::collections::BTreeMap<(String, String), (i64, i64)>, EngineError> {
        let recount = self.recount_totals().await?;
        let mut stored = std::collections::BTreeMap::new();
        for family in TOTAL_FAMILIES {
            for c in self.store().counters(family).await? {
                if c.value != 0 {
                    stored.insert((c.key, c.name), c.value);
                }
            }
        }
        let mut differences = std::collections::BTreeMap::new();
        for (key, value) in &recount {
            let was = stored.get(key).copied().unwrap_or(0);
            if was != *value {
                differences.insert(key.clone(), (was, *value));
            }
        }
        for (key, value) in stored {
            if !recount.contains_key(&key) {
                differences.insert(key, (value, 0));
            }
        }
        Ok(differences)
    }

    /// Replaces every stored total by a recount from the events, in one transaction;
    /// returns how many totals there are now. For a store whose totals predate a
    /// figure (the day totals of a store upgraded from before them) or were damaged.
    /// Commits made meanwhile by another process would be counted twice or not at
    /// all: the caller claims the database alone first (`Store::claim(Use::Alone)`,
    /// as `yichuang totals rebuild` does).
    pub async fn rebuild_totals(&self) -> Result<usize, EngineError> {
        let totals: Vec<yichuang_store::CounterDelta> = self
            .recount_totals()
            .await?
            .into_iter()
            .map(|((key, name), delta)| yichuang_store::CounterDelta { key, name, delta })
            .collect();
        self.store()
            .replace_counters(&TOTAL_FAMILIES, &totals)
            .await?;
        Ok(totals.len())
    }
}

/// Cases whose events one query of a recount reads.
const RECOUNT_RUN: usize = 1_000;

/// The families of running totals kept from events: cases, hall waits, ratings.
pub const TOTAL_FAMILIES: [&str; 3] = ["cases|", "halls|", "ratings|"];
