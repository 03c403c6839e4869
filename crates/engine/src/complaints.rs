//! Complaints through the engine: one stream per complaint (`complaints/<number>`),
//! decided by `complaint::decide_complaint`, with its listed row and the message to
//! the complainant written in the same commit.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use yichuang_domain::RegionCode;
use yichuang_domain::case::{Message, Staff};
use yichuang_domain::complaint::{
    Complaint, ComplaintCommand, ComplaintCommandKind, ComplaintContext, ComplaintEvent,
    ComplaintEventBody, ComplaintPolicy, Target,
};
use yichuang_domain::hall::TicketStatus;
use yichuang_store::{ComplaintRow, ScheduledMessage, StoreError};

use crate::streams::{StreamState, Working, record, working};
use crate::writer::Writer;
use crate::{EngineError, Job};

impl StreamState for Complaint {
    const KIND: &'static str = "complaint";
    type Event = ComplaintEvent;

    fn version(&self) -> u64 {
        self.version
    }

    fn apply(&mut self, event: &ComplaintEvent) {
        Complaint::apply(self, event);
    }

    fn describe(event: &ComplaintEvent) -> (u64, String, &'static str, String) {
        (
            event.seq,
            event.at.to_string(),
            event.body.name(),
            event.actor.clone(),
        )
    }
}

/// The office a complaint's target belongs to, read before it is filed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComplaintOffice {
    pub region: String,
    /// The staff member the target names, who may not answer it.
    pub served_by: Option<String>,
}

/// The answer to a complaint command, stored for retries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ComplaintResponse {
    pub number: String,
    pub version: u64,
    pub event: String,
    pub state: String,
}

fn corrupt(e: impl std::fmt::Display) -> EngineError {
    EngineError::Store(StoreError::Corrupt(e.to_string()))
}

impl Writer {
    pub(crate) async fn run_complaint_job(
        &mut self,
        job: &Job,
        number: &str,
        office: Option<&ComplaintOffice>,
        command: &ComplaintCommand,
        complaints: &mut HashMap<String, Working<Complaint>>,
        order: &mut Vec<String>,
    ) -> Result<ComplaintResponse, EngineError> {
        let at = (self.config.clock)();
        let policy = ComplaintPolicy::default();
        let w = working(
            &self.store,
            &mut self.complaint_cache,
            complaints,
            order,
            &job.case_id,
            || Complaint::new(number),
        )
        .await?;
        // A filed complaint carries its office; a new one takes it from the target.
        let (region, served_by) = match office {
            Some(o) if !w.state.is_filed() => (o.region.clone(), o.served_by.clone()),
            _ => (w.state.region.clone(), w.state.served_by.clone()),
        };
        let code = RegionCode::parse(&region).ok();
        let calendar = self.calendar.clone();
        // A day past the calendar's years cannot be counted: the same day then.
        let add_working_days =
            move |from, n| calendar.add_working_days(from, n, code).unwrap_or(from);
        let ctx = ComplaintContext {
            at,
            today: crate::china_date(at),
            policy: &policy,
            region: &region,
            served_by: served_by.as_deref(),
            add_working_days: &add_working_days,
        };
        let event = yichuang_domain::complaint::decide_complaint(&w.state, command, &ctx)?;
        let name = event.body.name();
        let replied = matches!(event.body, ComplaintEventBody::Replied { .. });
        let response = record(w, job, &event, |c: &Complaint| ComplaintResponse {
            number: c.number.clone(),
            version: c.version,
            event: name.to_owned(),
            state: c.state.name().to_owned(),
        })?;
        // The signed-in complainant by their party; one known only by a phone number
        // (a call, a letter) by `tel:<number>`, which the SMS gateway sends to as is.
        let recipient = w.state.complainant.as_ref().and_then(|c| {
            c.party.clone().or_else(|| {
                let phone = c.phone.trim();
                (!phone.is_empty()).then(|| format!("{PHONE_RECIPIENT}{phone}"))
            })
        });
        if let (true, Some(recipient)) = (replied, recipient) {
            let message = Message::complaint_answered(number);
            w.messages.push(ScheduledMessage {
                key: format!("complaint:{number}/{}", w.state.replies.len()),
                recipient,
                kind: message.kind.name().to_owned(),
                message: serde_json::to_string(&message).map_err(corrupt)?,
                due: at.to_string(),
            });
        }
        w.complaints.push(complaint_row(&w.state));
        Ok(response)
    }
}

/// The prefix of a message's recipient that is a phone number, not a party.
pub const PHONE_RECIPIENT: &str = "tel:";

/// The listed row of a complaint as it now stands.
fn complaint_row(c: &Complaint) -> ComplaintRow {
    ComplaintRow {
        number: c.number.clone(),
        region: c.region.clone(),
        party: c
            .complainant
            .as_ref()
            .and_then(|p| p.party.clone())
            .unwrap_or_default(),
        target: c.target.as_ref().map_or("", Target::kind).to_owned(),
        channel: c.channel.map_or("", |ch| ch.name()).to_owned(),
        state: c.state.name().to_owned(),
        round: c.round,
        filed_at: c.filed_at.map(|t| t.to_string()).unwrap_or_default(),
        reply_by: c.reply_by.map(|d| d.to_string()).unwrap_or_default(),
        verdict: c.verdict.map_or("", |v| v.name()).to_owned(),
    }
}

impl crate::Engine {
    /// The office a complaint about `target` goes to: the case's handling office, the
    /// hall's region, the staff member's jurisdiction, or the region named.
    pub async fn complaint_office(&self, target: &Target) -> Result<ComplaintOffice, EngineError> {
        let unknown = |what: String| EngineError::UnknownTarget { what };
        let hall_region = |hall: &str| {
            let hall = hall.to_owned();
            async move {
                self.store()
                    .hall(&hall)
                    .await?
                    .map(|h| h.region)
                    .ok_or(EngineError::NoSuchHall { id: hall })
            }
        };
        match target {
            Target::Case { case_id } => {
                let marks = self.store().case_marks(case_id).await?.ok_or_else(|| {
                    EngineError::NoSuchCase {
                        id: case_id.clone(),
                    }
                })?;
                Ok(ComplaintOffice {
                    region: marks.handling_region,
                    served_by: None,
                })
            }
            Target::Ticket { hall, day, number } => {
                let region = hall_region(hall).await?;
                let hall_day = self.hall_day(hall, *day).await?;
                let ticket = hall_day
                    .ticket(number)
                    .filter(|t| t.status != TicketStatus::Waiting)
                    .ok_or_else(|| unknown(format!("ticket {number} was not called on {day}")))?;
                Ok(ComplaintOffice {
                    region,
                    served_by: ticket.served_by.clone(),
                })
            }
            Target::Window { hall, window } => {
                let record = self
                    .store()
                    .hall(hall)
                    .await?
                    .ok_or_else(|| EngineError::NoSuchHall { id: hall.clone() })?;
                if !record.windows.iter().any(|w| w.number == *window) {
                    return Err(unknown(format!("{} has no window {window}", record.name)));
                }
                Ok(ComplaintOffice {
                    region: record.region,
                    served_by: None,
                })
            }
            Target::Hall { hall } => Ok(ComplaintOffice {
                region: hall_region(hall).await?,
                served_by: None,
            }),
            Target::Clerk { staff } => {
                let (member, _) =
                    self.store().staff_by_id(staff).await?.ok_or_else(|| {
                        unknown(format!("no staff member has the number {staff}"))
                    })?;
                // The ministry's own staff answer to no office of this platform.
                let region = member.jurisdiction.region().ok_or_else(|| {
                    unknown(format!(
                        "staff member {staff} serves the whole country; complaints about them go to the ministry, not a regional office"
                    ))
                })?;
                Ok(ComplaintOffice {
                    region: region.to_string(),
                    served_by: Some(member.id),
                })
            }
            Target::Service { region } => {
                let code = RegionCode::parse(region)
                    .map_err(|_| unknown(format!("there is no region {region}")))?;
                Ok(ComplaintOffice {
                    region: code.to_string(),
                    served_by: None,
                })
            }
        }
    }

    /// A complaint as stored (None: no such number).
    pub async fn complaint(&self, number: &str) -> Result<Option<Complaint>, EngineError> {
        match self
            .store()
            .load_stream(&Complaint::stream_id(number))
            .await?
        {
            Some(stored) => serde_json::from_str(&stored.snapshot)
                .map(Some)
                .map_err(corrupt),
            None => Ok(None),
        }
    }

    /// A complaint command. Without `staff` the actor is the signed-in person
    /// (`online:<party>`); with it, that staff member, checked for role and for the
    /// level the complaint is handled at now.
    pub async fn execute_complaint(
        &self,
        request_id: &str,
        number: &str,
        kind: ComplaintCommandKind,
        actor: &str,
        staff: Option<&Staff>,
    ) -> Result<ComplaintResponse, EngineError> {
        let office = match &kind {
            ComplaintCommandKind::File { target, .. } => Some(self.complaint_office(target).await?),
            _ => None,
        };
        let actor = match staff {
            Some(staff) => {
                let (region, levels_up) = match (&office, self.complaint(number).await?) {
                    (Some(o), _) => (o.region.clone(), 0),
                    (None, Some(c)) => (c.region.clone(), c.round),
                    (None, None) => {
                        return Err(EngineError::Complaint(
                            yichuang_domain::complaint::ComplaintError::NotFiled,
                        ));
                    }
                };
                let region = RegionCode::parse(&region).map_err(corrupt)?;
                let answer = matches!(
                    kind,
                    ComplaintCommandKind::Take | ComplaintCommandKind::Reply { .. }
                );
                // Written down anywhere; worked on only where it is handled.
                let office = (!matches!(kind, ComplaintCommandKind::File { .. })).then_some(region);
                staff.may_handle_complaints(office, levels_up, answer)?;
                staff.id.clone()
            }
            None if actor.starts_with("online:") => actor.to_owned(),
            None => return Err(EngineError::WrongAggregate),
        };
        let request = crate::Request::Complaint {
            number: number.to_owned(),
            office: office.map(Box::new),
            command: ComplaintCommand { actor, kind },
        };
        match self.dispatch(request_id, request, staff.cloned()).await? {
            crate::Answer::Complaint(response) => Ok(response),
            _ => Err(EngineError::WrongAggregate),
        }
    }
}
