//! Which events the applicant is told about, and what the message must say: received,
//! the one-time notice, accepted with its deadline (and any document still due),
//! decided, completed, refused, ended, revoked, a deadline counted again. Pure: the
//! store writes the message in the same transaction as its event; the server's sender
//! delivers it.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::event::{CaseEvent, EventBody};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MessageKind {
    Received,
    OneTimeNotice,
    Accepted,
    Refused,
    Decided,
    Completed,
    Withdrawn,
    Terminated,
    Revoked,
    DeadlineChanged,
    /// Not about a case: a hall booking tomorrow (the working day before).
    AppointmentReminder,
    /// Not about a case: a complaint has a written answer to read and judge.
    ComplaintAnswered,
    /// Not about a case: an objection to a line of a published list was decided.
    ObjectionDecided,
}

impl MessageKind {
    pub fn name(self) -> &'static str {
        match self {
            MessageKind::Received => "received",
            MessageKind::OneTimeNotice => "one_time_notice",
            MessageKind::Accepted => "accepted",
            MessageKind::Refused => "refused",
            MessageKind::Decided => "decided",
            MessageKind::Completed => "completed",
            MessageKind::Withdrawn => "withdrawn",
            MessageKind::Terminated => "terminated",
            MessageKind::Revoked => "revoked",
            MessageKind::DeadlineChanged => "deadline_changed",
            MessageKind::AppointmentReminder => "appointment_reminder",
            MessageKind::ComplaintAnswered => "complaint_answered",
            MessageKind::ObjectionDecided => "objection_decided",
        }
    }
}

/// What a message about one event says, besides the case it is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Message {
    pub kind: MessageKind,
    /// The deadline that now drives the case, where the event set one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<Date>,
    /// That deadline was counted on a provisional calendar.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub provisional: bool,
    /// A document accepted while missing (容缺) is due by this day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supply_by: Option<Date>,
    /// Materials the one-time notice asks for (ids).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<String>,
    /// For a decision: granted or not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub granted: Option<bool>,
    /// For a booking's reminder: what, where and when.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub appointment: Option<AppointmentNote>,
    /// For a complaint's answer: the complaint's number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub complaint: Option<String>,
    /// For an objection's decision: which list and line, and how it was decided.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub objection: Option<ObjectionNote>,
}

/// An objection as its decision's message names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ObjectionNote {
    /// The policy's id and the list's year: the public notice's address.
    pub policy: String,
    pub year: i16,
    /// The line objected to (a credit code or a certificate number).
    pub line: String,
    /// Upheld: the line is not granted; dismissed: it is granted as listed.
    pub upheld: bool,
}

/// A booking as its reminder names it, in words (names, not ids), fixed when booked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AppointmentNote {
    pub hall: String,
    pub item: String,
    pub day: Date,
    /// `HH:MM`.
    pub slot: String,
    pub code: String,
}

impl Message {
    fn of(kind: MessageKind) -> Message {
        Message {
            kind,
            deadline: None,
            provisional: false,
            supply_by: None,
            missing: Vec::new(),
            granted: None,
            appointment: None,
            complaint: None,
            objection: None,
        }
    }

    /// An objection to a published line was decided.
    pub fn objection_decided(note: ObjectionNote) -> Message {
        Message {
            objection: Some(note),
            ..Message::of(MessageKind::ObjectionDecided)
        }
    }

    /// A complaint has a written answer.
    pub fn complaint_answered(number: &str) -> Message {
        Message {
            complaint: Some(number.to_owned()),
            ..Message::of(MessageKind::ComplaintAnswered)
        }
    }

    /// The reminder of a booking.
    pub fn reminder(note: AppointmentNote) -> Message {
        Message {
            appointment: Some(note),
            ..Message::of(MessageKind::AppointmentReminder)
        }
    }
}

/// The message an event sends the applicant, if it sends one.
pub fn message_for(event: &CaseEvent) -> Option<Message> {
    let message = match &event.body {
        EventBody::Submitted { .. } => Message::of(MessageKind::Received),
        EventBody::NoticeIssued { missing, .. } => Message {
            missing: missing.clone(),
            ..Message::of(MessageKind::OneTimeNotice)
        },
        EventBody::Accepted {
            statutory,
            promised,
            provisional,
            ..
        } => {
            let clock = promised.as_ref().or(statutory.as_ref());
            Message {
                deadline: clock.map(|c| c.deadline),
                provisional: clock.is_some_and(|c| c.provisional),
                supply_by: provisional.iter().map(|p| p.supply_by).min(),
                ..Message::of(MessageKind::Accepted)
            }
        }
        EventBody::Refused { .. } => Message::of(MessageKind::Refused),
        EventBody::Decided { grant, .. } => Message {
            granted: Some(*grant),
            ..Message::of(MessageKind::Decided)
        },
        EventBody::Completed { .. } | EventBody::CompletedOnTheSpot { .. } => {
            Message::of(MessageKind::Completed)
        }
        EventBody::Withdrawn { .. } => Message::of(MessageKind::Withdrawn),
        EventBody::Terminated { .. } => Message::of(MessageKind::Terminated),
        EventBody::Revoked { .. } => Message::of(MessageKind::Revoked),
        EventBody::DeadlinesRecomputed {
            statutory,
            promised,
            ..
        } => {
            let clock = promised.as_ref().or(statutory.as_ref());
            Message {
                deadline: clock.map(|c| c.deadline),
                provisional: clock.is_some_and(|c| c.provisional),
                ..Message::of(MessageKind::DeadlineChanged)
            }
        }
        EventBody::Supplemented { .. }
        | EventBody::ReviewStarted
        | EventBody::ReferredToReviewer { .. }
        | EventBody::Suspended { .. }
        | EventBody::Resumed { .. }
        | EventBody::Extended { .. }
        | EventBody::CommitmentVerified { .. } => return None,
    };
    Some(message)
}
