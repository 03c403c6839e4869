//! Ratings through the engine: one stream per rated service (`ratings/ticket/…`,
//! `ratings/case/<id>`), decided by `rating::decide_rating`, with the running totals
//! the publication reads added in the same commit.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use yichuang_domain::case::Staff;
use yichuang_domain::hall::TicketStatus;
use yichuang_domain::rating::{
    FollowUp, RatedService, Rating, RatingCommand, RatingCommandKind, RatingContext, RatingEvent,
    RatingFile, RatingPolicy, Stage, Subject, decide_rating, tally,
};
use yichuang_store::{CounterDelta, FollowUpRow, StoreError};

use crate::streams::{StreamState, Working, record, working};
use crate::writer::Writer;
use crate::{EngineError, Job};

impl StreamState for RatingFile {
    const KIND: &'static str = "rating_file";
    type Event = RatingEvent;

    fn version(&self) -> u64 {
        self.version
    }

    fn apply(&mut self, event: &RatingEvent) {
        RatingFile::apply(self, event);
    }

    fn describe(event: &RatingEvent) -> (u64, String, &'static str, String) {
        (
            event.seq,
            event.at.to_string(),
            event.body.name(),
            event.actor.clone(),
        )
    }
}

/// The answer to a rating command, stored for retries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RatingResponse {
    pub file: String,
    pub version: u64,
    pub event: String,
    pub stage: Stage,
    pub rating: Option<Rating>,
    pub follow_up: Option<FollowUp>,
}

/// The stage a command is about.
fn stage_of(command: &RatingCommand) -> Stage {
    use yichuang_domain::rating::RatingCommandKind as K;
    match &command.kind {
        K::Rate { stage, .. }
        | K::Contact { stage, .. }
        | K::Close { stage, .. }
        | K::Appeal { stage, .. }
        | K::DecideAppeal { stage, .. }
        | K::Default { stage } => *stage,
    }
}

impl Writer {
    pub(crate) async fn run_rating_job(
        &mut self,
        job: &Job,
        service: &RatedService,
        command: &RatingCommand,
        files: &mut HashMap<String, Working<RatingFile>>,
        order: &mut Vec<String>,
    ) -> Result<RatingResponse, EngineError> {
        let at = (self.config.clock)();
        let region = yichuang_domain::RegionCode::parse(&service.region).ok();
        let calendar = self.calendar.clone();
        // A day past the calendar's years cannot be counted: the same day then, which
        // only ever shortens a window.
        let add_working_days =
            move |from, n| calendar.add_working_days(from, n, region).unwrap_or(from);
        let policy = region.map_or_else(RatingPolicy::default, |r| self.catalog.rating_policy(r));
        let id = job.case_id.clone();
        let w = working(
            &self.store,
            &mut self.rating_cache,
            files,
            order,
            &id,
            || RatingFile::new(&id),
        )
        .await?;
        let ctx = RatingContext {
            at,
            today: crate::china_date(at),
            policy: &policy,
            service,
            add_working_days: &add_working_days,
        };
        let event = decide_rating(&w.state, command, &ctx)?;
        w.counters
            .extend(tally(&w.state, &event).into_iter().map(|t| CounterDelta {
                key: t.key,
                name: t.name.to_owned(),
                delta: t.delta,
            }));
        let (name, stage) = (event.body.name(), stage_of(command));
        let response = record(w, job, &event, |file: &RatingFile| RatingResponse {
            file: file.id.clone(),
            version: file.version,
            event: name.to_owned(),
            stage,
            rating: file.rating(stage).cloned(),
            follow_up: file.follow_up(stage).cloned(),
        })?;
        if let Some(row) = follow_up_row(&w.state, stage) {
            w.follow_ups.push(row);
        }
        Ok(response)
    }
}

/// The listed row of a stage's follow-up, as the file now stands.
fn follow_up_row(file: &RatingFile, stage: Stage) -> Option<FollowUpRow> {
    let follow_up = file.follow_up(stage)?;
    let rating = file.rating(stage)?;
    let service = file.service.as_ref()?;
    let appeal = match file.appeal(stage).map(|a| a.upheld) {
        None => "",
        Some(None) => "open",
        Some(Some(true)) => "upheld",
        Some(Some(false)) => "rejected",
    };
    Some(FollowUpRow {
        file: file.id.clone(),
        stage: stage.name().to_owned(),
        region: service.region.clone(),
        level: rating.level.name().to_owned(),
        rated_at: rating.at.to_string(),
        contact_by: follow_up.contact_by.to_string(),
        close_by: follow_up.close_by.to_string(),
        contacted: follow_up.contacted_at.is_some(),
        // An upheld appeal found the rating mistaken or malicious: nothing is left to
        // follow up, so it leaves the open list (and is never overdue).
        closed: !follow_up.is_open() || appeal == "upheld",
        appeal: appeal.to_owned(),
    })
}

impl crate::Engine {
    /// What a rating of `subject` is about, read from the hall's day or the case: a
    /// ticket only once finished, a case's stages once reached.
    pub async fn rated_service(&self, subject: &Subject) -> Result<RatedService, EngineError> {
        let nothing = |what: &str| EngineError::NothingToRate {
            what: what.to_owned(),
        };
        match subject {
            Subject::Ticket { hall, day, number } => {
                let record = self
                    .store()
                    .hall(hall)
                    .await?
                    .ok_or_else(|| EngineError::NoSuchHall { id: hall.clone() })?;
                let hall_day = self.hall_day(hall, *day).await?;
                let ticket = hall_day
                    .ticket(number)
                    .filter(|t| t.status == TicketStatus::Finished)
                    .ok_or_else(|| nothing(&format!("ticket {number} was not served that day")))?;
                Ok(RatedService {
                    subject: subject.clone(),
                    region: record.region,
                    hall: Some(hall.clone()),
                    window: ticket.window,
                    item: ticket.item.clone(),
                    served_by: ticket.served_by.clone(),
                    person: ticket.person.clone(),
                    visit: Some(*day),
                    acceptance: None,
                    completion: None,
                })
            }
            Subject::Case { case_id } => {
                let marks = self.store().case_marks(case_id).await?.ok_or_else(|| {
                    EngineError::NoSuchCase {
                        id: case_id.clone(),
                    }
                })?;
                let mut service = RatedService {
                    subject: subject.clone(),
                    region: marks.handling_region,
                    hall: None,
                    window: None,
                    item: Some(marks.item),
                    served_by: None,
                    person: marks.applicant,
                    visit: None,
                    acceptance: None,
                    completion: None,
                };
                for (kind, actor, at) in marks.steps {
                    let on = at
                        .parse::<jiff::Timestamp>()
                        .map(crate::china_date)
                        .map_err(|e| EngineError::Store(StoreError::Corrupt(e.to_string())))?;
                    // An on-the-spot case is rated once, at completion.
                    if kind == "accepted" {
                        service.acceptance = Some(on);
                    } else {
                        service.completion = Some(on);
                    }
                    service.served_by = Some(actor);
                }
                Ok(service)
            }
        }
    }

    /// The running totals counted again from every rating file's events, by (key,
    /// name): what the stored totals must equal (a check, and the way to rebuild them).
    pub async fn recount_rating_totals(
        &self,
    ) -> Result<std::collections::BTreeMap<(String, String), i64>, EngineError> {
        let corrupt = |e: serde_json::Error| EngineError::Store(StoreError::Corrupt(e.to_string()));
        let mut totals = std::collections::BTreeMap::new();
        for id in self
            .store()
            .stream_ids(<RatingFile as StreamState>::KIND)
            .await?
        {
            let mut file = RatingFile::new(&id);
            for record in self.store().stream_events(&id).await? {
                let event: RatingEvent = serde_json::from_str(&record.json).map_err(corrupt)?;
                for t in tally(&file, &event) {
                    *totals.entry((t.key, t.name.to_owned())).or_insert(0) += t.delta;
                }
                file.apply(&event);
            }
        }
        Ok(crate::streams::recounted(totals))
    }

    /// The ratings of `subject` as stored (none yet: an empty file).
    pub async fn rating_file(&self, subject: &Subject) -> Result<RatingFile, EngineError> {
        let id = subject.stream_id();
        match self.store().load_stream(&id).await? {
            Some(stored) => serde_json::from_str(&stored.snapshot)
                .map_err(|e| EngineError::Store(StoreError::Corrupt(e.to_string()))),
            None => Ok(RatingFile::new(&id)),
        }
    }

    /// A rating, or a step of a poor rating's follow-up or appeal. Without `staff` the
    /// command's actor is a person (`pad`, `kiosk`, `online:<party>`); with it, the
    /// actor is that staff member, checked for role and jurisdiction.
    pub async fn execute_rating(
        &self,
        request_id: &str,
        subject: Subject,
        kind: RatingCommandKind,
        actor: &str,
        staff: Option<&Staff>,
    ) -> Result<RatingResponse, EngineError> {
        let service = self.rated_service(&subject).await?;
        let actor = match staff {
            Some(staff) => {
                let region = yichuang_domain::RegionCode::parse(&service.region)
                    .map_err(|e| EngineError::Store(StoreError::Corrupt(e.to_string())))?;
                let supervise = matches!(
                    kind,
                    RatingCommandKind::Contact { .. }
                        | RatingCommandKind::Close { .. }
                        | RatingCommandKind::DecideAppeal { .. }
                );
                staff.may_handle_ratings(region, supervise)?;
                staff.id.clone()
            }
            None if actor == "pad" || actor == "kiosk" || actor.starts_with("online:") => {
                actor.to_owned()
            }
            None => return Err(EngineError::WrongAggregate),
        };
        let request = crate::Request::Rating {
            subject,
            service: Some(Box::new(service)),
            command: RatingCommand { actor, kind },
        };
        match self.dispatch(request_id, request, staff.cloned()).await? {
            crate::Answer::Rating(response) => Ok(response),
            _ => Err(EngineError::WrongAggregate),
        }
    }
}
