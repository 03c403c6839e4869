//! The service layer every channel drives: a request goes through the pure case rules
//! and into the store. One writer task per engine batches concurrent requests into one
//! transaction (group commit); a request is answered only after its batch is durable.
//! Every request carries a client request id: a retry returns the first response.

mod appointments;
mod complaints;
mod default_ratings;
mod error;
mod facts_import;
mod figures;
mod hall;
mod history;
pub mod proactive;
mod ratings;
mod rule_decisions;
mod streams;
mod writer;

use std::sync::Arc;

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::{TimeZone, offset};
use serde::{Deserialize, Serialize};
use tokio::sync::{mpsc, oneshot};
use yichuang_domain::Calendar;
use yichuang_domain::case::{
    Actor, Case, CaseError, Command, CommandKind, DocumentIssued, Staff, Submission, WarningPolicy,
};
use yichuang_domain::catalog::Catalog;
use yichuang_store::{CaseFilter, CaseSummary, EventRecord, Store};

pub use appointments::AppointmentResponse;
pub use complaints::{ComplaintOffice, ComplaintResponse, PHONE_RECIPIENT};
pub use default_ratings::DefaultSweep;
pub use error::EngineError;
pub use facts_import::{FactFile, ImportReport, LineProblem, import_facts};
pub use figures::TOTAL_FAMILIES;
pub use hall::{HALL_DAY, HallResponse};
pub use history::{History, HistoryStep};
pub use ratings::RatingResponse;

/// What a request asks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "request", rename_all = "snake_case")]
pub enum Request {
    Submit {
        item: String,
        submission: Submission,
        actor: Actor,
    },
    Command {
        case_id: String,
        command: Command,
    },
    /// A command to a hall's day (tickets and windows).
    Hall {
        hall: String,
        day: Date,
        command: yichuang_domain::hall::HallCommand,
    },
    /// A command to a day's bookings at a hall.
    Appointment {
        hall: String,
        day: Date,
        command: yichuang_domain::hall::AppointmentCommand,
    },
    /// A command to the ratings of one service. What was served, by whom and when is
    /// read before the request is sent (and is not part of its fingerprint: a retry
    /// after the case moved on is the same request).
    Rating {
        subject: yichuang_domain::rating::Subject,
        #[serde(skip)]
        service: Option<Box<yichuang_domain::rating::RatedService>>,
        command: yichuang_domain::rating::RatingCommand,
    },
    /// A command to one complaint. The office a new complaint goes to is read from
    /// its target before the request is sent (not part of its fingerprint).
    Complaint {
        number: String,
        #[serde(skip)]
        office: Option<Box<ComplaintOffice>>,
        command: yichuang_domain::complaint::ComplaintCommand,
    },
    /// A command to a policy's published list of one year (免申即享's 公示 and grants).
    GrantList {
        policy: String,
        year: i16,
        actor: String,
        command: yichuang_domain::proactive::ListCommand,
    },
}

/// What the writer answers: a case's response or a hall's.
#[derive(Debug, Clone)]
pub(crate) enum Answer {
    Case(Response),
    Hall(HallResponse),
    Appointment(AppointmentResponse),
    Rating(RatingResponse),
    Complaint(ComplaintResponse),
    GrantList(proactive::GrantListResponse),
}

/// The answer to an applied request, stored for retries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Response {
    pub case_id: String,
    pub version: u64,
    pub state: String,
    pub event: String,
    pub documents: Vec<DocumentIssued>,
}

/// Where the engine gets "now": the real clock, or a fixed one in tests.
pub type Clock = Arc<dyn Fn() -> Timestamp + Send + Sync>;

/// How the engine runs.
#[derive(Clone)]
pub struct EngineConfig {
    pub policy: WarningPolicy,
    /// Most requests in one transaction.
    pub max_batch: usize,
    /// Writer tasks (default: 1 on SQLite, one per core and at least 2 on PostgreSQL);
    /// cases are spread over them.
    pub writers: Option<usize>,
    pub clock: Clock,
}

impl std::fmt::Debug for EngineConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EngineConfig")
            .field("policy", &self.policy)
            .field("max_batch", &self.max_batch)
            .finish()
    }
}

impl Default for EngineConfig {
    fn default() -> Self {
        EngineConfig {
            policy: WarningPolicy::default(),
            max_batch: 512,
            writers: None,
            clock: Arc::new(Timestamp::now),
        }
    }
}

/// SQLite's writer gets a thread of its own (a current-thread runtime): its batches
/// never wait behind request handling for a worker (measured: about 1.5× the
/// transitions per second on 2 cores). PostgreSQL connections belong to the runtime
/// that opened them, so its writers stay on the caller's runtime. If no thread can be
/// started the queue closes, and requests fail with `EngineError::Closed`.
fn spawn_writer(store: &Store, writer: impl std::future::Future<Output = ()> + Send + 'static) {
    if matches!(store, Store::Sqlite(_)) {
        if let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        {
            let _ = std::thread::Builder::new()
                .name("yichuang-writer".to_owned())
                .spawn(move || runtime.block_on(writer));
        }
        return;
    }
    tokio::spawn(writer);
}

fn shard_of(case_id: &str, shards: usize) -> usize {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    case_id.hash(&mut hasher);
    (hasher.finish() % shards.max(1) as u64) as usize
}

/// The longest request id kept: ids go into the permanent trail.
pub const MAX_REQUEST_ID: usize = 128;

/// 128 bits of SHA-256 over the request's compact binary encoding (postcard: the
/// fields in declaration order, no names, no escaping; commands name their case,
/// submissions their actor): enough to tell a retry from a different request, at a
/// fraction of the cost of hashing its JSON. Stored with the answer, so a change of
/// encoding only makes a retry across an upgrade look like a different request.
fn fingerprint(request: &Request) -> Result<String, EngineError> {
    use sha2::{Digest, Sha256};
    let bytes = postcard::to_stdvec(request)
        .map_err(|e| EngineError::Store(yichuang_store::StoreError::Corrupt(e.to_string())))?;
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let digest = Sha256::digest(&bytes);
    let mut text = String::with_capacity(32);
    for b in &digest[..16] {
        text.push(char::from(HEX[usize::from(b >> 4)]));
        text.push(char::from(HEX[usize::from(b & 0xf)]));
    }
    Ok(text)
}

/// The civil date in China (UTC+8 all year) of an instant.
pub fn china_date(at: Timestamp) -> Date {
    at.to_zoned(TimeZone::fixed(offset(8))).date()
}

struct Job {
    request_id: String,
    /// Who sent it: the staff id, or the trusted actor's id. A stored answer is
    /// replayed only to the same caller with the same fingerprint.
    caller: String,
    /// A hash of the canonical request (its case included).
    fingerprint: String,
    /// The case the job is about: assigned here for a submission, so that every later
    /// command on the case goes to the same writer.
    case_id: String,
    /// The staff member acting, when the request came through an authenticated
    /// channel: role and jurisdiction are checked against the case.
    staff: Option<Staff>,
    request: Request,
    reply: oneshot::Sender<Result<Answer, EngineError>>,
}

/// A handle to the engine; cheap to clone, shared by every channel.
#[derive(Clone)]
pub struct Engine {
    /// One queue per writer; a case always goes to the same writer.
    writers: Arc<Vec<mpsc::Sender<Job>>>,
    /// The catalog the writers check against; the rules that decide items are in it.
    catalog: Arc<Catalog>,
    store: Store,
    calendar: Arc<Calendar>,
    config: EngineConfig,
    /// Every hall day as a committed command leaves it: the call displays listen.
    hall_updates: tokio::sync::broadcast::Sender<Arc<yichuang_domain::hall::HallDay>>,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("store", &self.store.backend())
            .finish()
    }
}

impl Engine {
    /// Starts the writer task on the current tokio runtime.
    pub fn start(
        store: Store,
        catalog: Arc<Catalog>,
        calendar: Arc<Calendar>,
        config: EngineConfig,
    ) -> Engine {
        let count = config.writers.unwrap_or(match store {
            // SQLite has one writer lock: more writers would only wait on it.
            Store::Sqlite(_) => 1,
            // One per core, at least two: every writer's batch is one transaction, and
            // fewer, fuller ones measured faster (bench cases, 8 clients, 2 cores:
            // 3,100-3,340/s with 2 writers, 2,690-2,960/s with 8).
            Store::Postgres(_) => std::thread::available_parallelism()
                .map_or(2, std::num::NonZero::get)
                .max(2),
        });
        let writers = (0..count.max(1))
            .map(|_| {
                let (jobs, receiver) = mpsc::channel(config.max_batch * 4);
                let writer = writer::Writer {
                    store: store.clone(),
                    catalog: catalog.clone(),
                    calendar: calendar.clone(),
                    config: config.clone(),
                    cache: std::collections::HashMap::new(),
                    guides: std::collections::HashMap::new(),
                    hall_cache: std::collections::HashMap::new(),
                    booking_cache: std::collections::HashMap::new(),
                    rating_cache: std::collections::HashMap::new(),
                    complaint_cache: std::collections::HashMap::new(),
                    grant_list_cache: std::collections::HashMap::new(),
                    hall_configs: std::collections::HashMap::new(),
                };
                spawn_writer(&store, writer.run(receiver));
                jobs
            })
            .collect();
        Engine {
            writers: Arc::new(writers),
            catalog,
            store,
            calendar,
            config,
            hall_updates: tokio::sync::broadcast::channel(1024).0,
        }
    }

    /// Applies a request as a staff member: the actor is that person, and their role
    /// and jurisdiction are checked against the case in the writer.
    pub async fn execute_as(
        &self,
        staff: &Staff,
        request_id: &str,
        request: Request,
    ) -> Result<Response, EngineError> {
        let actor = Actor {
            id: staff.id.clone(),
            role: staff.actor_role(),
        };
        let request = match request {
            Request::Submit {
                item, submission, ..
            } => Request::Submit {
                item,
                submission,
                actor,
            },
            Request::Command { case_id, command } => Request::Command {
                case_id,
                command: Command { actor, ..command },
            },
            Request::Hall { .. }
            | Request::Appointment { .. }
            | Request::Rating { .. }
            | Request::Complaint { .. }
            | Request::GrantList { .. } => {
                return Err(EngineError::WrongAggregate);
            }
        };
        let follow = self.may_step_on_its_own(&request);
        match self
            .dispatch(request_id, request, Some(staff.clone()))
            .await?
        {
            Answer::Case(response) if follow => self.follow_acceptance(response).await,
            Answer::Case(response) => Ok(response),
            Answer::Hall(_)
            | Answer::Appointment(_)
            | Answer::Rating(_)
            | Answer::Complaint(_)
            | Answer::GrantList(_) => Err(EngineError::WrongAggregate),
        }
    }

    /// Applies a request durably, or returns why not. The same `request_id` always
    /// gets the first answer. Trusted callers only (the actor is taken as given).
    pub async fn execute(
        &self,
        request_id: &str,
        request: Request,
    ) -> Result<Response, EngineError> {
        let follow = self.may_step_on_its_own(&request);
        match self.dispatch(request_id, request, None).await? {
            Answer::Case(response) if follow => self.follow_acceptance(response).await,
            Answer::Case(response) => Ok(response),
            Answer::Hall(_)
            | Answer::Appointment(_)
            | Answer::Rating(_)
            | Answer::Complaint(_)
            | Answer::GrantList(_) => Err(EngineError::WrongAggregate),
        }
    }

    async fn dispatch(
        &self,
        request_id: &str,
        request: Request,
        staff: Option<Staff>,
    ) -> Result<Answer, EngineError> {
        if request_id.trim().is_empty() {
            return Err(EngineError::MissingRequestId);
        }
        let length = request_id.chars().count();
        if length > MAX_REQUEST_ID {
            return Err(EngineError::RequestIdTooLong {
                length,
                max: MAX_REQUEST_ID,
            });
        }
        let case_id = match &request {
            Request::Submit { .. } => uuid::Uuid::now_v7().to_string(),
            Request::Command { case_id, .. } => case_id.clone(),
            Request::Hall { hall, day, .. } => {
                yichuang_domain::hall::HallDay::stream_id(hall, *day)
            }
            Request::Appointment { hall, day, .. } => {
                yichuang_domain::hall::AppointmentDay::stream_id(hall, *day)
            }
            Request::Rating { subject, .. } => subject.stream_id(),
            Request::Complaint { number, .. } => {
                yichuang_domain::complaint::Complaint::stream_id(number)
            }
            Request::GrantList { policy, year, .. } => {
                yichuang_domain::proactive::GrantList::stream_id(policy, *year)
            }
        };
        let caller = match (&staff, &request) {
            (Some(staff), _) => staff.id.clone(),
            (None, Request::Submit { actor, .. }) => actor.id.clone(),
            (None, Request::Command { command, .. }) => command.actor.id.clone(),
            (None, Request::Hall { command, .. }) => command.actor.clone(),
            (None, Request::Appointment { command, .. }) => command.actor.clone(),
            (None, Request::Rating { command, .. }) => command.actor.clone(),
            (None, Request::Complaint { command, .. }) => command.actor.clone(),
            (None, Request::GrantList { actor, .. }) => actor.clone(),
        };
        self.check_files_kept(&request).await?;
        let fingerprint = fingerprint(&request)?;
        let shard = shard_of(&case_id, self.writers.len());
        let (reply, answer) = oneshot::channel();
        self.writers[shard]
            .send(Job {
                request_id: request_id.to_owned(),
                caller,
                fingerprint,
                case_id,
                staff,
                request,
                reply,
            })
            .await
            .map_err(|_| EngineError::Closed)?;
        answer.await.map_err(|_| EngineError::Closed)?
    }

    /// A staff member's command to a hall's day (today's): the hall must be inside
    /// their jurisdiction; signing on takes their name and skills from their record.
    pub async fn execute_hall_as(
        &self,
        staff: &Staff,
        request_id: &str,
        hall: &str,
        kind: yichuang_domain::hall::HallCommandKind,
    ) -> Result<HallResponse, EngineError> {
        use yichuang_domain::hall::HallCommandKind;
        self.may_work_at(staff, hall).await?;
        let kind = match kind {
            HallCommandKind::OpenWindow { window, .. } => HallCommandKind::OpenWindow {
                window,
                clerk_name: staff.name.clone(),
                skills: self.store.skills_map(&staff.id).await?,
            },
            other => other,
        };
        let command = yichuang_domain::hall::HallCommand {
            actor: staff.id.clone(),
            kind,
        };
        self.hall_dispatch(request_id, hall, command, Some(staff.clone()))
            .await
    }

    /// A command to a hall's day from a trusted channel (the kiosk, a person online):
    /// only taking a ticket, with the actor as given.
    pub async fn execute_hall(
        &self,
        request_id: &str,
        hall: &str,
        command: yichuang_domain::hall::HallCommand,
    ) -> Result<HallResponse, EngineError> {
        if !matches!(
            command.kind,
            yichuang_domain::hall::HallCommandKind::TakeTicket { .. }
                | yichuang_domain::hall::HallCommandKind::Return { .. }
        ) {
            return Err(EngineError::WrongAggregate);
        }
        self.hall_dispatch(request_id, hall, command, None).await
    }

    async fn hall_dispatch(
        &self,
        request_id: &str,
        hall: &str,
        command: yichuang_domain::hall::HallCommand,
        staff: Option<Staff>,
    ) -> Result<HallResponse, EngineError> {
        let request = Request::Hall {
            hall: hall.to_owned(),
            day: self.today(),
            command,
        };
        match self.dispatch(request_id, request, staff).await? {
            Answer::Hall(response) => {
                if let Some(state) = &response.state {
                    // Nobody listening is fine.
                    let _ = self.hall_updates.send(state.clone());
                }
                Ok(response)
            }
            Answer::Case(_)
            | Answer::Appointment(_)
            | Answer::Rating(_)
            | Answer::Complaint(_)
            | Answer::GrantList(_) => Err(EngineError::WrongAggregate),
        }
    }

    /// Every hall day as committed commands leave it (for call displays). A slow
    /// listener misses intermediate days, never the latest.
    pub fn subscribe_halls(
        &self,
    ) -> tokio::sync::broadcast::Receiver<Arc<yichuang_domain::hall::HallDay>> {
        self.hall_updates.subscribe()
    }

    /// A hall's day as stored (an empty day if nothing happened yet).
    pub async fn hall_day(
        &self,
        hall: &str,
        day: Date,
    ) -> Result<yichuang_domain::hall::HallDay, EngineError> {
        let id = yichuang_domain::hall::HallDay::stream_id(hall, day);
        match self.store.load_stream(&id).await? {
            Some(stored) => serde_json::from_str(&stored.snapshot).map_err(|e| {
                EngineError::Store(yichuang_store::StoreError::Corrupt(e.to_string()))
            }),
            None => Ok(yichuang_domain::hall::HallDay::new(hall, day)),
        }
    }

    /// A command to a day's bookings from a person online (`online:<party>`, who may
    /// book for themselves and cancel their own) or another trusted channel.
    pub async fn execute_appointment(
        &self,
        request_id: &str,
        hall: &str,
        day: Date,
        command: yichuang_domain::hall::AppointmentCommand,
    ) -> Result<AppointmentResponse, EngineError> {
        use yichuang_domain::hall::AppointmentCommandKind as K;
        if matches!(command.kind, K::CheckIn { .. }) {
            return Err(EngineError::WrongAggregate);
        }
        self.appointment_dispatch(request_id, hall, day, command, None)
            .await
    }

    /// A staff member's booking command (for a caller on the phone, at the window, a
    /// home visit), in a hall of their jurisdiction.
    pub async fn execute_appointment_as(
        &self,
        staff: &Staff,
        request_id: &str,
        hall: &str,
        day: Date,
        kind: yichuang_domain::hall::AppointmentCommandKind,
    ) -> Result<AppointmentResponse, EngineError> {
        self.may_work_at(staff, hall).await?;
        let command = yichuang_domain::hall::AppointmentCommand {
            actor: staff.id.clone(),
            kind,
        };
        self.appointment_dispatch(request_id, hall, day, command, Some(staff.clone()))
            .await
    }

    async fn appointment_dispatch(
        &self,
        request_id: &str,
        hall: &str,
        day: Date,
        command: yichuang_domain::hall::AppointmentCommand,
        staff: Option<Staff>,
    ) -> Result<AppointmentResponse, EngineError> {
        let request = Request::Appointment {
            hall: hall.to_owned(),
            day,
            command,
        };
        match self.dispatch(request_id, request, staff).await? {
            Answer::Appointment(response) => Ok(response),
            _ => Err(EngineError::WrongAggregate),
        }
    }

    /// Checks in today's booking: a ticket with priority 2 in the hall's queue, then the
    /// booking marked with it. Refused before any ticket is taken when the booking is
    /// not open or it is outside its check-in time.
    pub async fn check_in(
        &self,
        staff: Option<&Staff>,
        request_id: &str,
        hall: &str,
        code: &str,
    ) -> Result<HallResponse, EngineError> {
        use yichuang_domain::hall::{
            AppointmentCommand, AppointmentCommandKind, AppointmentContext, AppointmentError,
            HallCommand, HallCommandKind, decide_appointment,
        };
        if let Some(staff) = staff {
            self.may_work_at(staff, hall).await?;
        }
        let today = self.today();
        let day = self.appointment_day(hall, today).await?;
        let booking =
            day.booking(code)
                .cloned()
                .ok_or_else(|| AppointmentError::NoSuchBooking {
                    code: code.to_owned(),
                })?;
        let actor = staff.map_or_else(|| "kiosk".to_owned(), |s| s.id.clone());
        let schedule = self.store.hall_schedule(hall).await?;
        let anything = |_: &str| true;
        let check = |ticket: String| AppointmentCommand {
            actor: actor.clone(),
            kind: AppointmentCommandKind::CheckIn {
                code: code.to_owned(),
                ticket,
            },
        };
        decide_appointment(
            &day,
            &check(String::new()),
            &AppointmentContext {
                at: (self.config.clock)(),
                today,
                schedule: &schedule,
                working_day: true,
                item_exists: &anything,
            },
        )?;
        let command = HallCommand {
            actor: actor.clone(),
            kind: HallCommandKind::TakeAppointmentTicket {
                booking: code.to_owned(),
                item: booking.item.clone(),
                person: booking.person.clone(),
            },
        };
        let taken = self
            .hall_dispatch(
                &format!("{request_id}-ticket"),
                hall,
                command,
                staff.cloned(),
            )
            .await?;
        let number = taken
            .ticket
            .as_ref()
            .map(|t| t.number.clone())
            .unwrap_or_default();
        self.appointment_dispatch(
            &format!("{request_id}-check-in"),
            hall,
            today,
            check(number),
            staff.cloned(),
        )
        .await?;
        Ok(taken)
    }

    /// A day's bookings at a hall as stored (none yet: an empty day).
    pub async fn appointment_day(
        &self,
        hall: &str,
        day: Date,
    ) -> Result<yichuang_domain::hall::AppointmentDay, EngineError> {
        let id = yichuang_domain::hall::AppointmentDay::stream_id(hall, day);
        match self.store.load_stream(&id).await? {
            Some(stored) => serde_json::from_str(&stored.snapshot).map_err(|e| {
                EngineError::Store(yichuang_store::StoreError::Corrupt(e.to_string()))
            }),
            None => Ok(yichuang_domain::hall::AppointmentDay::new(hall, day)),
        }
    }

    /// Staff work a hall only inside their jurisdiction, as clerks or supervisors.
    async fn may_work_at(&self, staff: &Staff, hall: &str) -> Result<(), EngineError> {
        let record = self
            .store
            .hall(hall)
            .await?
            .ok_or_else(|| EngineError::NoSuchHall {
                id: hall.to_owned(),
            })?;
        let region = yichuang_domain::RegionCode::parse(&record.region)
            .map_err(|e| EngineError::Store(yichuang_store::StoreError::Corrupt(e.to_string())))?;
        Ok(staff.may_work_in(region)?)
    }

    /// Keeps a file handed in for a material, content-addressed; its SHA-256 goes into
    /// the request that hands it in, and so into the case's events.
    pub async fn store_file(
        &self,
        bytes: Vec<u8>,
        media_type: &str,
    ) -> Result<String, EngineError> {
        Ok(self.store.put_file(bytes, media_type).await?)
    }

    /// Every file a request names must have been handed in first (kept by its hash):
    /// an event never records a file that is not there.
    async fn check_files_kept(&self, request: &Request) -> Result<(), EngineError> {
        let attachments = match request {
            Request::Submit { submission, .. } => &submission.attachments,
            Request::Command { command, .. } => match &command.kind {
                CommandKind::Supplement { attachments, .. } => attachments,
                _ => return Ok(()),
            },
            Request::Hall { .. }
            | Request::Appointment { .. }
            | Request::Rating { .. }
            | Request::Complaint { .. }
            | Request::GrantList { .. } => {
                return Ok(());
            }
        };
        for (index, attachment) in attachments.iter().enumerate() {
            if !self.store.has_file(&attachment.sha256).await? {
                return Err(EngineError::Case(CaseError::BadAttachment {
                    index,
                    problem: format!("no file with SHA-256 {} was handed in", attachment.sha256),
                }));
            }
        }
        Ok(())
    }

    /// Keeps an online application's draft (its files must have been kept first).
    pub async fn save_draft(
        &self,
        party: &str,
        item: &str,
        draft: &yichuang_store::Draft,
    ) -> Result<(), EngineError> {
        for attachment in &draft.attachments {
            if !self.store.has_file(&attachment.sha256).await? {
                return Err(EngineError::Case(CaseError::BadAttachment {
                    index: 0,
                    problem: format!("no file with SHA-256 {} was handed in", attachment.sha256),
                }));
            }
        }
        Ok(self.store.save_draft(party, item, draft).await?)
    }

    /// A party's draft for an item.
    pub async fn draft(
        &self,
        party: &str,
        item: &str,
    ) -> Result<Option<yichuang_store::Draft>, EngineError> {
        Ok(self.store.draft(party, item).await?)
    }

    /// Forgets a draft once its application is sent.
    pub async fn discard_draft(&self, party: &str, item: &str) -> Result<(), EngineError> {
        Ok(self.store.delete_draft(party, item).await?)
    }

    /// A file by its SHA-256, if kept.
    pub async fn file(&self, sha256: &str) -> Result<Option<Vec<u8>>, EngineError> {
        Ok(self.store.file(sha256).await?)
    }

    pub async fn case(&self, id: &str) -> Result<Option<Case>, EngineError> {
        Ok(self.store.load_case(id).await?.map(|s| s.case))
    }

    pub async fn events(&self, id: &str) -> Result<Vec<EventRecord>, EngineError> {
        Ok(self.store.events(id).await?)
    }

    pub async fn list(&self, filter: &CaseFilter) -> Result<Vec<CaseSummary>, EngineError> {
        Ok(self.store.list_cases(filter).await?)
    }

    /// Counts again, as the system, every open case's deadlines that were counted on a
    /// provisional calendar and whose year now has its official schedule; each case
    /// moved gets a `deadlines_recomputed` event naming the old and new dates. Looks at
    /// open cases with a deadline from a year before `today` on. Returns the cases
    /// moved. The request id is the case's and version's, so a rerun is harmless.
    pub async fn recompute_provisional_deadlines(&self) -> Result<usize, EngineError> {
        let today = self.today();
        let from = today.saturating_sub(jiff::Span::new().years(1));
        let mut moved = 0;
        for id in self.store.provisional_open_cases_from(from).await? {
            let Some(case) = self.case(&id).await? else {
                continue;
            };
            let stale = [&case.acceptance, &case.statutory, &case.promised]
                .into_iter()
                .flatten()
                .any(|c| c.provisional && !self.calendar.is_provisional(c.deadline));
            if !stale {
                continue;
            }
            let command = Command {
                expected_version: case.version,
                actor: Actor {
                    id: "system".to_owned(),
                    role: yichuang_domain::case::ActorRole::Staff(
                        yichuang_domain::catalog::Role::System,
                    ),
                },
                kind: yichuang_domain::case::CommandKind::RecomputeDeadlines,
            };
            let request_id = format!("recompute-{id}-{}", case.version);
            match self
                .execute(
                    &request_id,
                    Request::Command {
                        case_id: id,
                        command,
                    },
                )
                .await
            {
                Ok(_) => moved += 1,
                // Moved meanwhile by someone else: the next start picks it up.
                Err(e) if e.is_client_error() => {}
                Err(e) => return Err(e),
            }
        }
        Ok(moved)
    }

    /// The legal calendar the engine counts on.
    pub fn calendar(&self) -> &Calendar {
        &self.calendar
    }

    pub fn today(&self) -> Date {
        china_date((self.config.clock)())
    }

    pub fn store(&self) -> &Store {
        &self.store
    }
}
