//! The supervision figures' running totals (`cases|…`, added by every committed case
//! event through `case::case_tally`) and their recount from the events.

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
        totals.retain(|_, v| *v != 0);
        Ok(totals)
    }
}
