//! The single writer: batches requests, runs the rules, commits once per batch.

use std::collections::HashMap;
use std::sync::Arc;

use jiff::civil::Date;
use tokio::sync::mpsc;
use yichuang_domain::Calendar;
use yichuang_domain::RegionCode;
use yichuang_domain::case::{self, Case, CaseEvent, Context};
use yichuang_domain::catalog::Catalog;
use yichuang_store::{CaseWrite, EventRecord, Store, StoreError};

use crate::{EngineConfig, EngineError, Job, Request, Response, china_date};

pub(crate) struct Writer {
    pub(crate) store: Store,
    pub(crate) catalog: Arc<Catalog>,
    pub(crate) calendar: Arc<Calendar>,
    pub(crate) config: EngineConfig,
    /// Running cases as last committed by this writer, with their head hash. A stale
    /// entry (another process wrote the case) fails the version check in the store,
    /// and the retry path reloads it.
    pub(crate) cache: HashMap<String, (Case, String)>,
    /// Resolved guides by item, region and day: resolving and hashing a guide costs
    /// more than the rest of a submission.
    pub(crate) guides: HashMap<(String, RegionCode, Date), Arc<case::GuideSnapshot>>,
}

/// Cached cases at most; beyond it the cache starts afresh.
const CACHE_LIMIT: usize = 200_000;

/// Whether to look up each request id before running it. The batch path runs
/// optimistically (a duplicate id fails the commit on the unique key, and the batch is
/// redone request by request with lookups).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Lookup {
    Optimistic,
    First,
}

/// A case's state while a batch is being built.
struct Working {
    case: Case,
    head: String,
    stored_version: u64,
    events: Vec<EventRecord>,
    requests: Vec<(String, serde_json::Value)>,
}

impl Writer {
    pub(crate) async fn run(mut self, mut receiver: mpsc::Receiver<Job>) {
        while let Some(first) = receiver.recv().await {
            let mut jobs = vec![first];
            while jobs.len() < self.config.max_batch {
                match receiver.try_recv() {
                    Ok(job) => jobs.push(job),
                    Err(_) => break,
                }
            }
            self.process(jobs).await;
        }
    }

    async fn process(&mut self, jobs: Vec<Job>) {
        match self.apply(&jobs, Lookup::Optimistic).await {
            Ok(results) => {
                for (job, result) in jobs.into_iter().zip(results) {
                    let _ = job.reply.send(result);
                }
            }
            // The batch failed as a whole (another process moved a case, or the
            // database refused): redo each request alone so only the culprit fails.
            Err(_) => {
                for job in &jobs {
                    self.forget(job);
                }
                for job in jobs {
                    let result = self.apply(std::slice::from_ref(&job), Lookup::First).await;
                    let answer = match result {
                        Ok(mut answers) => answers.pop().unwrap_or(Err(EngineError::Closed)),
                        Err(e) => Err(e),
                    };
                    let _ = job.reply.send(answer);
                }
            }
        }
    }

    fn forget(&mut self, job: &Job) {
        if let Request::Command { case_id, .. } = &job.request {
            self.cache.remove(case_id);
        }
    }

    /// Runs every job against the working state and commits the batch. Per-job rule
    /// errors are answers; a commit failure fails the batch.
    async fn apply(
        &mut self,
        jobs: &[Job],
        lookup: Lookup,
    ) -> Result<Vec<Result<Response, EngineError>>, EngineError> {
        let mut working: HashMap<String, Working> = HashMap::new();
        let mut order: Vec<String> = Vec::new();
        let mut answered: HashMap<String, Response> = HashMap::new();
        let mut results = Vec::with_capacity(jobs.len());
        for job in jobs {
            if let Some(previous) = answered.get(&job.request_id) {
                results.push(Ok(previous.clone()));
                continue;
            }
            if lookup == Lookup::First
                && let Some(stored) = self.stored_response(&job.request_id).await?
            {
                results.push(Ok(stored));
                continue;
            }
            let mut result = self.run_job(job, &mut working, &mut order).await;
            // A refused request may be a retry of one already applied: answer as before.
            if result.is_err()
                && lookup == Lookup::Optimistic
                && let Some(stored) = self.stored_response(&job.request_id).await?
            {
                result = Ok(stored);
            }
            if let Ok(response) = &result {
                answered.insert(job.request_id.clone(), response.clone());
            }
            results.push(result);
        }
        let writes: Vec<CaseWrite> = order
            .iter()
            .filter_map(|id| working.remove(id))
            .filter(|w| !w.events.is_empty())
            .map(|w| CaseWrite {
                case: w.case,
                expected_version: w.stored_version,
                events: w.events,
                requests: w.requests,
            })
            .collect();
        if !writes.is_empty() {
            self.store.commit(&writes).await?;
        }
        if self.cache.len() > CACHE_LIMIT {
            self.cache.clear();
        }
        for write in writes {
            let head = write.head_hash().to_owned();
            if write.case.state.is_terminal() {
                self.cache.remove(&write.case.id);
            } else {
                self.cache.insert(write.case.id.clone(), (write.case, head));
            }
        }
        Ok(results)
    }

    fn guide(
        &mut self,
        item: &str,
        region: RegionCode,
        day: Date,
    ) -> Result<Arc<case::GuideSnapshot>, EngineError> {
        let key = (item.to_owned(), region, day);
        if let Some(guide) = self.guides.get(&key) {
            return Ok(guide.clone());
        }
        let resolved = self.catalog.resolve(item, region, day)?;
        let snapshot = Arc::new(case::GuideSnapshot {
            version: resolved.guide.version,
            content_hash: resolved.content_hash,
            guide: resolved.guide,
        });
        if self.guides.len() > 10_000 {
            self.guides.clear();
        }
        self.guides.insert(key, snapshot.clone());
        Ok(snapshot)
    }

    async fn stored_response(&self, request_id: &str) -> Result<Option<Response>, EngineError> {
        match self.store.find_request(request_id).await? {
            None => Ok(None),
            Some(stored) => serde_json::from_value(stored)
                .map(Some)
                .map_err(|e| EngineError::Store(StoreError::Corrupt(e.to_string()))),
        }
    }

    async fn run_job(
        &mut self,
        job: &Job,
        working: &mut HashMap<String, Working>,
        order: &mut Vec<String>,
    ) -> Result<Response, EngineError> {
        let at = (self.config.clock)();
        let calendar = self.calendar.clone();
        let ctx = Context {
            at,
            today: china_date(at),
            calendar: &calendar,
            policy: self.config.policy,
        };
        let (case_id, event) = match &job.request {
            Request::Submit {
                item,
                submission,
                actor,
            } => {
                if let Some(staff) = &job.staff {
                    staff.may_submit(submission.accepting_region)?;
                }
                let snapshot = self.guide(item, submission.handling_region, ctx.today)?;
                let id = job.case_id.clone();
                let event = case::submit(&id, submission.clone(), snapshot, actor.clone(), ctx)?;
                let case = Case::from_submission(&event).ok_or(EngineError::Closed)?;
                working.insert(
                    id.clone(),
                    Working {
                        case,
                        head: String::new(),
                        stored_version: 0,
                        events: Vec::new(),
                        requests: Vec::new(),
                    },
                );
                order.push(id.clone());
                (id, event)
            }
            Request::Command { case_id, command } => {
                if !working.contains_key(case_id) {
                    let stored = self.store.load_case(case_id).await?.ok_or_else(|| {
                        EngineError::NoSuchCase {
                            id: case_id.clone(),
                        }
                    })?;
                    let version = stored.case.version;
                    working.insert(
                        case_id.clone(),
                        Working {
                            case: stored.case,
                            head: stored.head_hash,
                            stored_version: version,
                            events: Vec::new(),
                            requests: Vec::new(),
                        },
                    );
                    order.push(case_id.clone());
                }
                let w = working.get_mut(case_id).ok_or(EngineError::Closed)?;
                if let Some(staff) = &job.staff {
                    staff.may_command(&w.case, &command.kind)?;
                }
                let event = case::decide(&w.case, command, ctx)?;
                w.case.apply(&event);
                (case_id.clone(), event)
            }
        };
        let w = working.get_mut(&case_id).ok_or(EngineError::Closed)?;
        let response = response_of(&w.case, &event);
        let record = EventRecord::chain(event, &w.head)?;
        w.head = record.hash.clone();
        w.events.push(record);
        let stored = serde_json::to_value(&response)
            .map_err(|e| EngineError::Store(StoreError::Corrupt(e.to_string())))?;
        w.requests.push((job.request_id.clone(), stored));
        Ok(response)
    }
}

fn response_of(case: &Case, event: &CaseEvent) -> Response {
    Response {
        case_id: case.id.clone(),
        version: case.version,
        state: case.state.name().to_owned(),
        event: event.body.name().to_owned(),
        documents: event.documents.clone(),
    }
}
