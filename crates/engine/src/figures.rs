//! The supervision figures' running totals (`cases|…`, added by every committed case
//! event through `case::case_tally`; `halls|…`, the waits every first call adds through
//! `hall::wait_tally`) and their recount from the events.

use yichuang_store::StoreError;

use crate::EngineError;

impl crate::Engine {
    /// The supervision figures' running totals counted again from every case's events,
    /// by (key, name): what the stored `cases|…` totals must equal.
    pub async fn recount_case_totals(
        &self,
    ) -> Result<std::collections::BTreeMap<(String, String), i64>, EngineError> {
        let mut totals = std::collections::BTreeMap::new();
        for id in self.store().case_ids().await? {
            let mut case: Option<yichuang_domain::case::Case> = None;
            for record in self.store().events(&id).await? {
                let event = record.event;
                let state = match case.take() {
                    Some(mut state) => {
                        for d in crate::writer::tally_case(self.calendar(), &state, &event) {
                            *totals.entry((d.key, d.name)).or_insert(0) += d.delta;
                        }
                        state.apply(&event);
                        state
                    }
                    None => {
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
                case = Some(state);
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
}
