//! The hall's day through the engine: the same writer, batch, request ids and audit
//! chain as cases. A day is a stream (`hall/<hall>/<date>`) whose events the domain's
//! `hall::decide` produces; its projection goes to the store with the batch.

use std::collections::HashMap;
use std::sync::Arc;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use yichuang_domain::hall::{self, Aging, HallCommand, HallContext, HallDay, HallEvent, Ticket};

use crate::streams::{Working, record, working};
use crate::writer::Writer;
use crate::{EngineError, Job};

/// The stream kind the store keeps a hall's day under.
pub const HALL_DAY: &str = "hall_day";

crate::streams::day_stream!(HallDay, HallEvent, HALL_DAY);

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

/// How long the writer trusts what it read of a hall: an administrator's change of
/// windows or opening hours (another process, or the admin page) applies within it.
const HALL_CONFIG_TTL: std::time::Duration = std::time::Duration::from_secs(30);

/// What the writer knows of a hall: its region, windows and appointment rules.
#[derive(Debug, Clone)]
pub(crate) struct HallConfig {
    pub name: String,
    pub region: yichuang_domain::RegionCode,
    pub windows: Vec<u32>,
    pub schedule: yichuang_domain::hall::Schedule,
}

impl Writer {
    pub(crate) async fn hall_config(&mut self, hall: &str) -> Result<Arc<HallConfig>, EngineError> {
        if let Some((read, config)) = self.hall_configs.get(hall)
            && read.elapsed() < HALL_CONFIG_TTL
        {
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
            name: record.name.clone(),
            region: yichuang_domain::RegionCode::parse(&record.region).map_err(|e| {
                EngineError::Store(yichuang_store::StoreError::Corrupt(e.to_string()))
            })?,
            windows: record.windows.iter().map(|w| w.number).collect(),
            schedule: self.store.hall_schedule(hall).await?,
        });
        self.hall_configs
            .insert(hall.to_owned(), (std::time::Instant::now(), config.clone()));
        Ok(config)
    }

    /// Runs a hall command against the batch's working day.
    pub(crate) async fn run_hall_job(
        &mut self,
        job: &Job,
        hall: &str,
        day: Date,
        command: &HallCommand,
        halls: &mut HashMap<String, Working<HallDay>>,
        order: &mut Vec<String>,
    ) -> Result<HallResponse, EngineError> {
        let at = (self.config.clock)();
        let config = self.hall_config(hall).await?;
        let w = working(
            &self.store,
            &mut self.hall_cache,
            halls,
            order,
            &job.case_id,
            || HallDay::new(hall, day),
        )
        .await?;
        let catalog = self.catalog.clone();
        let project_of =
            move |item: &str| catalog.versions(item).first().map(|g| g.project.clone());
        let policy = config.schedule.green_lane.clone().unwrap_or_default();
        let ctx = HallContext {
            at,
            today: day,
            windows: &config.windows,
            green: &policy,
            aging: Aging::default(),
            project_of: &project_of,
        };
        let event = hall::decide(&w.state, command, &ctx)?;
        let county = config.region.to_string();
        w.counters.extend(
            hall::wait_tally(&w.state, &event, &county)
                .into_iter()
                .map(|t| yichuang_store::CounterDelta {
                    key: t.key,
                    name: t.name.to_owned(),
                    delta: t.delta,
                }),
        );
        let (name, number) = (
            event.body.name(),
            event.body.ticket_number().map(str::to_owned),
        );
        record(w, job, &event, |state: &HallDay| HallResponse {
            hall: hall.to_owned(),
            day,
            version: state.version,
            event: name.to_owned(),
            ticket: number.and_then(|n| state.ticket(&n).cloned()),
            // Attached once per batch (`Writer::attach_days`).
            state: None,
        })
    }
}
