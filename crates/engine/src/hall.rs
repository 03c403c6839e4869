//! The hall's day through the engine: the same writer, batch, request ids and audit
//! chain as cases. A day is a stream (`hall/<hall>/<date>`) whose events the domain's
//! `hall::decide` produces; its projection goes to the store with the batch.

use std::sync::Arc;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use yichuang_domain::hall::{
    self, Aging, GreenLanePolicy, HallCommand, HallContext, HallDay, HallEvent, Ticket,
};
use yichuang_store::{RequestWrite, StoreError, StreamEventRecord, StreamWrite};

use crate::writer::Writer;
use crate::{EngineError, Job};

/// The stream kind the store keeps a hall's day under.
pub const HALL_DAY: &str = "hall_day";

/// The answer to a hall command, stored for retries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct HallResponse {
    pub hall: String,
    pub day: Date,
    pub version: u64,
    pub event: String,
    /// The ticket the event is about, as it stands after it.
    pub ticket: Option<Ticket>,
    /// The whole day after the event (not stored with the answer: a replay has none).
    #[serde(skip)]
    #[schemars(skip)]
    pub state: Option<Arc<HallDay>>,
}

/// What the writer knows of a hall: its windows (from the hall's record).
#[derive(Debug, Clone)]
pub(crate) struct HallConfig {
    pub windows: Vec<u32>,
}

/// A hall's day while a batch is being built.
pub(crate) struct HallWorking {
    pub day: HallDay,
    pub head: String,
    pub stored_version: u64,
    pub events: Vec<StreamEventRecord>,
    pub requests: Vec<RequestWrite>,
}

impl Writer {
    async fn hall_config(&mut self, hall: &str) -> Result<Arc<HallConfig>, EngineError> {
        if let Some(config) = self.hall_configs.get(hall) {
            return Ok(config.clone());
        }
        let record = self
            .store
            .hall(hall)
            .await?
            .ok_or_else(|| EngineError::NoSuchHall {
                id: hall.to_owned(),
            })?;
        let config = Arc::new(HallConfig {
            windows: record.windows.iter().map(|w| w.number).collect(),
        });
        self.hall_configs.insert(hall.to_owned(), config.clone());
        Ok(config)
    }

    /// Runs a hall command against the batch's working day.
    pub(crate) async fn run_hall_job(
        &mut self,
        job: &Job,
        hall: &str,
        day: Date,
        command: &HallCommand,
        halls: &mut std::collections::HashMap<String, HallWorking>,
        order: &mut Vec<String>,
    ) -> Result<HallResponse, EngineError> {
        let at = (self.config.clock)();
        let config = self.hall_config(hall).await?;
        let id = job.case_id.clone();
        if !halls.contains_key(&id) {
            let (state, head) = match self.hall_cache.remove(&id) {
                Some(cached) => cached,
                None => match self.store.load_stream(&id).await? {
                    Some(stored) => (
                        serde_json::from_str::<HallDay>(&stored.snapshot).map_err(|e| {
                            EngineError::Store(StoreError::Corrupt(format!("{id}: {e}")))
                        })?,
                        stored.head_hash,
                    ),
                    None => (HallDay::new(hall, day), String::new()),
                },
            };
            halls.insert(
                id.clone(),
                HallWorking {
                    stored_version: state.version,
                    day: state,
                    head,
                    events: Vec::new(),
                    requests: Vec::new(),
                },
            );
            order.push(id.clone());
        }
        let w = halls.get_mut(&id).ok_or(EngineError::Closed)?;
        let catalog = self.catalog.clone();
        let project_of =
            move |item: &str| catalog.versions(item).first().map(|g| g.project.clone());
        let policy = GreenLanePolicy::default();
        let ctx = HallContext {
            at,
            today: day,
            windows: &config.windows,
            green: &policy,
            aging: Aging::default(),
            project_of: &project_of,
        };
        let event: HallEvent = hall::decide(&w.day, command, &ctx)?;
        w.day.apply(&event);
        let record = StreamEventRecord::chain(
            event.seq,
            event.at.to_string(),
            event.body.name(),
            &event.actor,
            &event,
            &w.head,
        )?;
        w.head = record.hash.clone();
        w.events.push(record);
        let ticket = event
            .body
            .ticket_number()
            .and_then(|n| w.day.ticket(n))
            .cloned();
        let response = HallResponse {
            hall: hall.to_owned(),
            day,
            version: w.day.version,
            event: event.body.name().to_owned(),
            ticket,
            state: Some(Arc::new(w.day.clone())),
        };
        let stored = serde_json::to_string(&response)
            .map_err(|e| EngineError::Store(StoreError::Corrupt(e.to_string())))?;
        w.requests.push(RequestWrite {
            request_id: job.request_id.clone(),
            caller: job.caller.clone(),
            fingerprint: job.fingerprint.clone(),
            response: stored,
        });
        Ok(response)
    }

    /// The batch's stream writes; the days they leave go into the cache.
    pub(crate) fn finish_halls(
        &mut self,
        mut halls: std::collections::HashMap<String, HallWorking>,
        order: &[String],
    ) -> Result<Vec<StreamWrite>, EngineError> {
        let mut writes = Vec::new();
        for id in order {
            let Some(w) = halls.remove(id) else { continue };
            if w.events.is_empty() {
                if w.stored_version > 0 {
                    self.hall_cache.insert(id.clone(), (w.day, w.head));
                }
                continue;
            }
            let snapshot = serde_json::to_string(&w.day)
                .map_err(|e| EngineError::Store(StoreError::Corrupt(e.to_string())))?;
            self.hall_cache.insert(id.clone(), (w.day, w.head.clone()));
            writes.push(StreamWrite {
                id: id.clone(),
                kind: HALL_DAY.to_owned(),
                expected_version: w.stored_version,
                snapshot,
                events: w.events,
                requests: w.requests,
            });
        }
        Ok(writes)
    }
}
