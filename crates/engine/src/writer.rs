//! The single writer: batches requests, runs the rules, commits once per batch.

use std::collections::HashMap;
use std::sync::Arc;

use jiff::civil::Date;
use tokio::sync::mpsc;
use yichuang_domain::Calendar;
use yichuang_domain::RegionCode;
use yichuang_domain::case::{self, Case, CaseEvent, Context};
use yichuang_domain::catalog::Catalog;
use yichuang_store::{
    CaseWrite, ClockColumns, EventRecord, PendingCommit, RequestWrite, Store, StoreError,
};

use crate::hall::HallConfig;
use crate::streams::Working as StreamWorking;
use crate::{Answer, EngineConfig, EngineError, Job, Request, Response, china_date};
use yichuang_domain::complaint::Complaint;
use yichuang_domain::hall::{AppointmentDay, HallDay};
use yichuang_domain::proactive::GrantList;
use yichuang_domain::rating::RatingFile;

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
    /// Hall days as last committed by this writer, with their head hash.
    pub(crate) hall_cache: HashMap<String, (HallDay, String)>,
    /// Days of bookings as last committed by this writer, with their head hash.
    pub(crate) booking_cache: HashMap<String, (AppointmentDay, String)>,
    /// Rating files as last committed by this writer, with their head hash.
    pub(crate) rating_cache: HashMap<String, (RatingFile, String)>,
    /// Complaints as last committed by this writer, with their head hash.
    pub(crate) complaint_cache: HashMap<String, (Complaint, String)>,
    /// Published lists (免申即享) as last committed by this writer, with their head hash.
    pub(crate) grant_list_cache: HashMap<String, (GrantList, String)>,
    /// Halls' windows and rules, re-read after a while (`hall::HALL_CONFIG_TTL`).
    pub(crate) hall_configs: HashMap<String, (std::time::Instant, Arc<HallConfig>)>,
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
    /// The stored row's clock columns (None for a new case).
    stored_clock: Option<ClockColumns>,
    events: Vec<EventRecord>,
    requests: Vec<RequestWrite>,
    /// What the events add to the supervision figures (`case::case_tally`).
    counters: Vec<yichuang_store::CounterDelta>,
}

/// An answer given in this batch, with whom it may be replayed to.
struct Answered {
    caller: String,
    fingerprint: String,
    response: Answer,
}

impl Job {
    /// An earlier answer under this job's request id: again for an exact retry (same
    /// caller, same request); for anything else, the id is spent.
    fn replay(&self, caller: &str, fingerprint: &str) -> Result<(), EngineError> {
        if caller == self.caller && fingerprint == self.fingerprint {
            Ok(())
        } else {
            Err(EngineError::RequestIdReused {
                request_id: self.request_id.clone(),
            })
        }
    }
}

/// A batch whose commit is under way; its requests are answered when it is durable.
struct InFlight {
    jobs: Vec<Job>,
    results: Vec<Result<Answer, EngineError>>,
    commit: PendingCommit,
}

/// A batch being run through the rules: the cases it touched, in order, and an answer
/// per job so far.
#[derive(Default)]
struct Draft {
    working: HashMap<String, Working>,
    order: Vec<String>,
    halls: HashMap<String, StreamWorking<HallDay>>,
    hall_order: Vec<String>,
    bookings: HashMap<String, StreamWorking<AppointmentDay>>,
    booking_order: Vec<String>,
    ratings: HashMap<String, StreamWorking<RatingFile>>,
    rating_order: Vec<String>,
    complaints: HashMap<String, StreamWorking<Complaint>>,
    complaint_order: Vec<String>,
    grant_lists: HashMap<String, StreamWorking<GrantList>>,
    grant_list_order: Vec<String>,
    answered: HashMap<String, Answered>,
    results: Vec<Result<Answer, EngineError>>,
}

/// A batch run through the rules: an answer per job and the writes to commit.
struct Built {
    results: Vec<Result<Answer, EngineError>>,
    writes: Vec<CaseWrite>,
    streams: Vec<yichuang_store::StreamWrite>,
    /// The batch's running totals, merged and sorted.
    counters: Vec<yichuang_store::CounterDelta>,
}

enum Next {
    Jobs(Option<Box<Job>>),
    Committed(Result<(), StoreError>),
}

impl Writer {
    /// Batches requests and pipelines them: while one batch is being committed, the
    /// next runs through the rules against the states the first will leave (kept in
    /// the cache). If a commit fails, the cache is dropped and the batch built on it
    /// is built again, so no answer ever rests on a write that did not land.
    pub(crate) async fn run(mut self, mut receiver: mpsc::Receiver<Job>) {
        let mut in_flight: Option<InFlight> = None;
        loop {
            let next = match in_flight.as_mut() {
                None => Next::Jobs(receiver.recv().await.map(Box::new)),
                Some(flight) => tokio::select! {
                    biased;
                    outcome = &mut flight.commit => Next::Committed(outcome),
                    job = receiver.recv() => Next::Jobs(job.map(Box::new)),
                },
            };
            let first = match next {
                Next::Committed(outcome) => {
                    if let Some(flight) = in_flight.take() {
                        self.settle(flight, outcome).await;
                    }
                    continue;
                }
                Next::Jobs(None) => break,
                Next::Jobs(Some(first)) => *first,
            };
            let jobs = self.gather(first, &mut receiver);
            // A retry of a request still being written waits for it, so that it finds
            // the first answer.
            if in_flight.as_ref().is_some_and(|flight| {
                jobs.iter().any(|job| {
                    flight
                        .jobs
                        .iter()
                        .any(|earlier| earlier.request_id == job.request_id)
                })
            }) && let Some(mut flight) = in_flight.take()
            {
                let outcome = (&mut flight.commit).await;
                self.settle(flight, outcome).await;
            }
            let mut jobs = jobs;
            let mut draft = Draft::default();
            let mut added = self.add_all(&mut draft, &jobs, Lookup::Optimistic).await;
            if let Some(mut flight) = in_flight.take() {
                let outcome = (&mut flight.commit).await;
                if !self.settle(flight, outcome).await {
                    draft = Draft::default();
                    added = self.add_all(&mut draft, &jobs, Lookup::Optimistic).await;
                }
                // The requests that arrived while that batch was being written join
                // this one: the clients it answered are one cohort, not two batches.
                while added.is_ok() && jobs.len() < self.config.max_batch {
                    let Ok(job) = receiver.try_recv() else { break };
                    added = self.add(&mut draft, &job, Lookup::Optimistic).await;
                    jobs.push(job);
                }
            }
            let built = match added {
                Ok(()) => self.finish(draft),
                Err(e) => Err(e),
            };
            in_flight = self.launch(jobs, built).await;
        }
        if let Some(mut flight) = in_flight.take() {
            let outcome = (&mut flight.commit).await;
            self.settle(flight, outcome).await;
        }
    }

    fn gather(&self, first: Job, receiver: &mut mpsc::Receiver<Job>) -> Vec<Job> {
        let mut jobs = vec![first];
        while jobs.len() < self.config.max_batch {
            match receiver.try_recv() {
                Ok(job) => jobs.push(job),
                Err(_) => break,
            }
        }
        jobs
    }

    /// Starts committing a built batch, or answers it at once if it writes nothing.
    async fn launch(
        &mut self,
        jobs: Vec<Job>,
        built: Result<Built, EngineError>,
    ) -> Option<InFlight> {
        match built {
            Ok(built) if built.writes.is_empty() && built.streams.is_empty() => {
                answer(jobs, built.results);
                None
            }
            Ok(built) => Some(InFlight {
                jobs,
                results: built.results,
                commit: self.store.begin_commit(yichuang_store::Batch {
                    cases: built.writes,
                    streams: built.streams,
                    counters: built.counters,
                    history: false,
                }),
            }),
            // Reading the store failed while building: each request alone.
            Err(_) => {
                self.forget();
                self.redo_alone(jobs).await;
                None
            }
        }
    }

    /// Answers a batch whose commit finished; on failure redoes its requests one by
    /// one. Whether the batch landed.
    async fn settle(&mut self, flight: InFlight, outcome: Result<(), StoreError>) -> bool {
        match outcome {
            Ok(()) => {
                answer(flight.jobs, flight.results);
                true
            }
            // The batch failed as a whole (another process moved a case, or the
            // database refused): redo each request alone so only the culprit fails.
            Err(_) => {
                self.forget();
                self.redo_alone(flight.jobs).await;
                false
            }
        }
    }

    async fn redo_alone(&mut self, jobs: Vec<Job>) {
        for job in jobs {
            let result = self.apply(std::slice::from_ref(&job), Lookup::First).await;
            let mut answer = match result {
                Ok(mut answers) => answers.pop().unwrap_or(Err(EngineError::Closed)),
                Err(e) => Err(e),
            };
            // A retry of this request may have landed meanwhile through another writer
            // (it went to another shard as a new case): its answer is the answer.
            if answer.is_err()
                && let Ok(Some(replayed)) = self.replay(&job).await
            {
                answer = replayed;
            }
            let _ = job.reply.send(answer);
        }
    }

    /// Builds and commits, waiting for the commit: the path for requests run alone.
    async fn apply(
        &mut self,
        jobs: &[Job],
        lookup: Lookup,
    ) -> Result<Vec<Result<Answer, EngineError>>, EngineError> {
        let built = self.build(jobs, lookup).await?;
        let batch = yichuang_store::Batch {
            cases: built.writes,
            streams: built.streams,
            counters: built.counters,
            history: false,
        };
        if !batch.is_empty()
            && let Err(e) = self.store.commit(batch).await
        {
            self.forget();
            return Err(e.into());
        }
        Ok(built.results)
    }

    /// Runs every job against the working state and leaves the states it produces in
    /// the cache. Per-job rule errors are answers; a store read failure fails the batch.
    async fn build(&mut self, jobs: &[Job], lookup: Lookup) -> Result<Built, EngineError> {
        let mut draft = Draft::default();
        self.prefetch_rating_files(jobs).await?;
        self.add_all(&mut draft, jobs, lookup).await?;
        self.finish(draft)
    }

    /// Reads the rating files a batch needs and the cache lacks in one query (most are
    /// new: one read per rating, in this one writer, cost more than the rating itself);
    /// a file not stored yet is cached empty, so it is not looked for again.
    async fn prefetch_rating_files(&mut self, jobs: &[Job]) -> Result<(), EngineError> {
        let mut missing: Vec<String> = jobs
            .iter()
            .filter(|j| matches!(j.request, Request::Rating { .. }))
            .map(|j| j.case_id.clone())
            .filter(|id| !self.rating_cache.contains_key(id))
            .collect();
        missing.sort();
        missing.dedup();
        if missing.len() < 2 {
            return Ok(());
        }
        for stored in self.store.load_streams(&missing).await? {
            let file: RatingFile = serde_json::from_str(&stored.snapshot)
                .map_err(|e| EngineError::Store(StoreError::Corrupt(e.to_string())))?;
            self.rating_cache
                .insert(stored.id, (file, stored.head_hash));
        }
        for id in missing {
            if !self.rating_cache.contains_key(&id) {
                self.rating_cache
                    .insert(id.clone(), (RatingFile::new(&id), String::new()));
            }
        }
        Ok(())
    }

    async fn add_all(
        &mut self,
        draft: &mut Draft,
        jobs: &[Job],
        lookup: Lookup,
    ) -> Result<(), EngineError> {
        for job in jobs {
            self.add(draft, job, lookup).await?;
        }
        Ok(())
    }

    /// Runs one job against the draft's working states and records its answer.
    async fn add(
        &mut self,
        draft: &mut Draft,
        job: &Job,
        lookup: Lookup,
    ) -> Result<(), EngineError> {
        if let Some(previous) = draft.answered.get(&job.request_id) {
            let replayed = job
                .replay(&previous.caller, &previous.fingerprint)
                .map(|()| previous.response.clone());
            draft.results.push(replayed);
            return Ok(());
        }
        if lookup == Lookup::First
            && let Some(replayed) = self.replay(job).await?
        {
            draft.results.push(replayed);
            return Ok(());
        }
        let mut result = match &job.request {
            Request::Hall { hall, day, command } => self
                .run_hall_job(
                    job,
                    hall,
                    *day,
                    command,
                    &mut draft.halls,
                    &mut draft.hall_order,
                )
                .await
                .map(Answer::Hall),
            Request::Appointment { hall, day, command } => self
                .run_appointment_job(
                    job,
                    hall,
                    *day,
                    command,
                    &mut draft.bookings,
                    &mut draft.booking_order,
                )
                .await
                .map(Answer::Appointment),
            Request::Rating {
                service, command, ..
            } => match service {
                Some(service) => self
                    .run_rating_job(
                        job,
                        service,
                        command,
                        &mut draft.ratings,
                        &mut draft.rating_order,
                    )
                    .await
                    .map(Answer::Rating),
                None => Err(EngineError::WrongAggregate),
            },
            Request::Complaint {
                number,
                office,
                command,
            } => self
                .run_complaint_job(
                    job,
                    number,
                    office.as_deref(),
                    command,
                    &mut draft.complaints,
                    &mut draft.complaint_order,
                )
                .await
                .map(Answer::Complaint),
            Request::GrantList {
                policy,
                year,
                actor,
                command,
            } => self
                .run_grant_list_job(
                    job,
                    (policy, *year),
                    actor,
                    command,
                    &mut draft.grant_lists,
                    &mut draft.grant_list_order,
                )
                .await
                .map(Answer::GrantList),
            _ => self
                .run_job(job, &mut draft.working, &mut draft.order)
                .await
                .map(Answer::Case),
        };
        // A refused request may be a retry of one already applied: answer as before.
        if result.is_err()
            && lookup == Lookup::Optimistic
            && let Some(replayed) = self.replay(job).await?
        {
            result = replayed;
        }
        if let Ok(response) = &result {
            draft.answered.insert(
                job.request_id.clone(),
                Answered {
                    caller: job.caller.clone(),
                    fingerprint: job.fingerprint.clone(),
                    response: response.clone(),
                },
            );
        }
        draft.results.push(result);
        Ok(())
    }

    /// The draft's writes, in the order its cases were first touched; the states they
    /// leave go into the cache.
    fn finish(&mut self, draft: Draft) -> Result<Built, EngineError> {
        let Draft {
            mut working,
            order,
            halls,
            hall_order,
            bookings,
            booking_order,
            ratings,
            rating_order,
            complaints,
            complaint_order,
            grant_lists,
            grant_list_order,
            results,
            ..
        } = draft;
        let mut streams = crate::streams::finish(&mut self.hall_cache, halls, &hall_order)?;
        streams.extend(crate::streams::finish(
            &mut self.booking_cache,
            bookings,
            &booking_order,
        )?);
        streams.extend(crate::streams::finish(
            &mut self.rating_cache,
            ratings,
            &rating_order,
        )?);
        streams.extend(crate::streams::finish(
            &mut self.complaint_cache,
            complaints,
            &complaint_order,
        )?);
        streams.extend(crate::streams::finish(
            &mut self.grant_list_cache,
            grant_lists,
            &grant_list_order,
        )?);
        let mut results = results;
        self.attach_days(&mut results, &hall_order);
        // A rating file is rarely touched again after its rating: the cache is only
        // for follow-ups soon after, so it is emptied rather than grown.
        if self.rating_cache.len() > CACHE_LIMIT {
            self.rating_cache.clear();
        }
        if self.complaint_cache.len() > CACHE_LIMIT {
            self.complaint_cache.clear();
        }
        if self.cache.len() > CACHE_LIMIT {
            self.forget();
        }
        let mut writes: Vec<CaseWrite> = Vec::with_capacity(order.len());
        let mut case_counters = Vec::new();
        for w in order.iter().filter_map(|id| working.remove(id)) {
            if w.events.is_empty() {
                // Every request on it was refused: it is as it was.
                if w.stored_version > 0 {
                    self.cache.insert(w.case.id.clone(), (w.case, w.head));
                }
                continue;
            }
            if !w.case.state.is_terminal() {
                self.cache
                    .insert(w.case.id.clone(), (w.case.clone(), w.head.clone()));
            }
            case_counters.extend(w.counters);
            writes.push(CaseWrite::new(
                w.case,
                w.stored_version,
                w.events,
                w.requests,
                w.stored_clock,
            )?);
        }
        let counters = crate::streams::merge_counters(&mut streams, case_counters);
        Ok(Built {
            results,
            writes,
            streams,
            counters,
        })
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
        let snapshot = Arc::new(case::GuideSnapshot::resolved(resolved));
        if self.guides.len() > 10_000 {
            self.guides.clear();
        }
        self.guides.insert(key, snapshot.clone());
        Ok(snapshot)
    }

    /// The stored answer to an earlier request with this id: the answer again if the
    /// same caller sent the same request, else the id is spent (`RequestIdReused`).
    /// The outer error is a failed read, which fails the batch.
    async fn replay(&self, job: &Job) -> Result<Option<Result<Answer, EngineError>>, EngineError> {
        let Some(stored) = self.store.find_request(&job.request_id).await? else {
            return Ok(None);
        };
        if let Err(spent) = job.replay(&stored.caller, &stored.fingerprint) {
            return Ok(Some(Err(spent)));
        }
        let answer = match job.request {
            Request::Hall { .. } => serde_json::from_value(stored.response).map(Answer::Hall),
            Request::Appointment { .. } => {
                serde_json::from_value(stored.response).map(Answer::Appointment)
            }
            Request::Rating { .. } => serde_json::from_value(stored.response).map(Answer::Rating),
            Request::Complaint { .. } => {
                serde_json::from_value(stored.response).map(Answer::Complaint)
            }
            Request::GrantList { .. } => {
                serde_json::from_value(stored.response).map(Answer::GrantList)
            }
            _ => serde_json::from_value(stored.response).map(Answer::Case),
        };
        answer
            .map(|response| Some(Ok(response)))
            .map_err(|e| EngineError::Store(StoreError::Corrupt(e.to_string())))
    }

    /// Gives every hall answer of the batch the day as the batch leaves it: one shared
    /// copy per day (copying a busy day for every command grew with the day's size).
    fn attach_days(&self, results: &mut [Result<Answer, EngineError>], touched: &[String]) {
        let days: HashMap<&str, Arc<HallDay>> = touched
            .iter()
            .filter_map(|id| {
                let (day, _) = self.hall_cache.get(id)?;
                Some((id.as_str(), Arc::new(day.clone())))
            })
            .collect();
        for result in results.iter_mut() {
            if let Ok(Answer::Hall(response)) = result {
                let id = HallDay::stream_id(&response.hall, response.day);
                response.state = days.get(id.as_str()).cloned();
            }
        }
    }

    /// Forgets every cached state: after a failed commit nothing cached can be trusted.
    fn forget(&mut self) {
        self.cache.clear();
        self.hall_cache.clear();
        self.booking_cache.clear();
        self.rating_cache.clear();
        self.complaint_cache.clear();
        self.grant_list_cache.clear();
        self.hall_configs.clear();
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
                let tallied = tally_case(&calendar, &case, &event);
                working.insert(
                    id.clone(),
                    Working {
                        case,
                        head: String::new(),
                        stored_version: 0,
                        stored_clock: None,
                        events: Vec::new(),
                        requests: Vec::new(),
                        counters: tallied,
                    },
                );
                order.push(id.clone());
                (id, event)
            }
            Request::Command { case_id, command } => {
                if !working.contains_key(case_id) {
                    // Taken out of the cache: it goes back in when the batch commits.
                    let (case, head) = match self.cache.remove(case_id) {
                        Some(cached) => cached,
                        None => {
                            let stored = self.store.load_case(case_id).await?.ok_or_else(|| {
                                EngineError::NoSuchCase {
                                    id: case_id.clone(),
                                }
                            })?;
                            (stored.case, stored.head_hash)
                        }
                    };
                    let version = case.version;
                    let stored_clock = Some(ClockColumns::of(&case));
                    working.insert(
                        case_id.clone(),
                        Working {
                            case,
                            head,
                            stored_version: version,
                            stored_clock,
                            events: Vec::new(),
                            requests: Vec::new(),
                            counters: Vec::new(),
                        },
                    );
                    order.push(case_id.clone());
                }
                let w = working.get_mut(case_id).ok_or(EngineError::Closed)?;
                if let Some(staff) = &job.staff {
                    staff.may_command(&w.case, &command.kind)?;
                }
                let event = case::decide(&w.case, command, ctx)?;
                let tallied = tally_case(&calendar, &w.case, &event);
                w.counters.extend(tallied);
                w.case.apply(&event);
                (case_id.clone(), event)
            }
            Request::Hall { .. }
            | Request::Appointment { .. }
            | Request::Rating { .. }
            | Request::Complaint { .. }
            | Request::GrantList { .. } => {
                return Err(EngineError::WrongAggregate);
            }
        };
        let w = working.get_mut(&case_id).ok_or(EngineError::Closed)?;
        let response = response_of(&w.case, &event);
        let record = EventRecord::chain(event, &w.head)?;
        w.head = record.hash.clone();
        w.events.push(record);
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
}

/// What a case event adds to the supervision figures, working days counted in the
/// case's handling region.
pub(crate) fn tally_case(
    calendar: &yichuang_domain::Calendar,
    case: &Case,
    event: &CaseEvent,
) -> Vec<yichuang_store::CounterDelta> {
    let region = Some(case.handling_region);
    let working_days = |from, to| calendar.count_working_days(from, to, region).unwrap_or(0);
    case::case_tally(case, event, &working_days)
        .into_iter()
        .map(|t| yichuang_store::CounterDelta {
            key: t.key,
            name: t.name.to_owned(),
            delta: t.delta,
        })
        .collect()
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

fn answer(jobs: Vec<Job>, results: Vec<Result<Answer, EngineError>>) {
    for (job, result) in jobs.into_iter().zip(results) {
        let _ = job.reply.send(result);
    }
}
