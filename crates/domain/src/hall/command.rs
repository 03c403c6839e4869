//! What staff, kiosks and people ask of a hall's day.

use serde::{Deserialize, Serialize};

use super::skills::Skills;
use super::ticket::{GreenReason, Purpose, TicketChannel};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct HallCommand {
    /// The staff id, or `kiosk`, `online:<party>`.
    pub actor: String,
    pub kind: HallCommandKind,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "command", rename_all = "snake_case")]
pub enum HallCommandKind {
    /// The actor signs on to a window with their skills (filled in by the engine from
    /// the staff record, never by the client).
    OpenWindow {
        window: u32,
        clerk_name: String,
        skills: Skills,
    },
    CloseWindow {
        window: u32,
    },
    TakeTicket {
        item: Option<String>,
        purpose: Purpose,
        channel: TicketChannel,
        person: Option<String>,
        green: Option<GreenReason>,
    },
    /// A booking checked in: its ticket goes with priority 2 (appointments).
    TakeAppointmentTicket {
        booking: String,
        item: String,
        person: String,
    },
    CallNext {
        window: u32,
    },
    /// Calls the window's current ticket again.
    Recall {
        window: u32,
    },
    /// The person called did not come.
    NoShow {
        window: u32,
    },
    Park {
        window: u32,
    },
    Return {
        number: String,
    },
    Transfer {
        window: u32,
        item: Option<String>,
        to_window: Option<u32>,
    },
    Finish {
        window: u32,
        case_id: Option<String>,
    },
}

impl HallCommandKind {
    pub fn name(&self) -> &'static str {
        match self {
            HallCommandKind::OpenWindow { .. } => "open_window",
            HallCommandKind::CloseWindow { .. } => "close_window",
            HallCommandKind::TakeTicket { .. } => "take_ticket",
            HallCommandKind::TakeAppointmentTicket { .. } => "take_appointment_ticket",
            HallCommandKind::CallNext { .. } => "call_next",
            HallCommandKind::Recall { .. } => "recall",
            HallCommandKind::NoShow { .. } => "no_show",
            HallCommandKind::Park { .. } => "park",
            HallCommandKind::Return { .. } => "return",
            HallCommandKind::Transfer { .. } => "transfer",
            HallCommandKind::Finish { .. } => "finish",
        }
    }
}
