//! A queue ticket (取号) and what it is for.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::routing::Priority;

/// Why a person queues: to have an item handled, or only to ask.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    Handle,
    /// 咨询: a clerk who only knows (懂) the project may serve it.
    Consult,
}

/// Where the ticket was taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TicketChannel {
    Kiosk,
    FrontDesk,
    /// 线上取号: a remote ticket for today.
    Online,
    /// An appointment checked in.
    Appointment,
}

/// 绿色通道: why a ticket goes first. Which reasons a region admits is its policy.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum GreenReason {
    /// Age from the identity number at or above the region's threshold.
    Age,
    Disability,
    Military,
    Pregnancy,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TicketStatus {
    Waiting,
    /// Called to a window (and, once the person is there, being served).
    Called,
    /// 暂挂: the person stepped away (fetching a paper); returns to the end.
    Parked,
    /// 过号: called the most times and not seen; returns to the end if they come.
    Missed,
    Finished,
}

impl TicketStatus {
    pub fn name(self) -> &'static str {
        match self {
            TicketStatus::Waiting => "waiting",
            TicketStatus::Called => "called",
            TicketStatus::Parked => "parked",
            TicketStatus::Missed => "missed",
            TicketStatus::Finished => "finished",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Ticket {
    /// Prefix and three digits, unique in the hall for the day (`A007`).
    pub number: String,
    /// The item asked for; none for a general (综合) ticket.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
    /// The item's project, which decides who may serve it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project: Option<String>,
    pub purpose: Purpose,
    pub priority: Priority,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub green: Option<GreenReason>,
    pub channel: TicketChannel,
    /// The person's identity number, when given (for the green lane by age and for the
    /// clerk to see their appointments and cases).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person: Option<String>,
    /// The booking it was checked in for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub booking: Option<String>,
    pub taken_at: Timestamp,
    /// Its place in the queue: the time it was taken, or returned to the end.
    pub queued_at: Timestamp,
    pub status: TicketStatus,
    /// Calls since it last joined the queue.
    pub calls: u8,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_call: Option<Timestamp>,
    /// The first call ever (kept when it is returned or transferred): the end of the
    /// wait the supervision figures count once per ticket.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_called_at: Option<Timestamp>,
    /// The window it is called to, or was transferred to (only that window may call it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<Timestamp>,
    /// The case taken in while serving it, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case_id: Option<String>,
    /// The clerk who finished serving it (the one a rating of the visit is about).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub served_by: Option<String>,
}
