//! Why the hall refused a command, in words a clerk understands.

use super::ticket::{GreenReason, TicketStatus};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HallError {
    #[error("the hall has no window {window}")]
    NoSuchWindow { window: u32 },
    #[error("window {window} is staffed by {clerk_name}")]
    WindowTaken { window: u32, clerk_name: String },
    #[error("you are already signed on at window {window}")]
    AlreadySignedOn { window: u32 },
    #[error("window {window} is not open: sign on first")]
    WindowNotOpen { window: u32 },
    #[error("window {window} is someone else's")]
    NotYourWindow { window: u32 },
    #[error("window {window} is still serving {number}: finish, park or transfer it first")]
    StillServing { window: u32, number: String },
    #[error("no one is waiting whom window {window} may serve")]
    NothingToCall { window: u32 },
    #[error("window {window} is serving no ticket")]
    NotServing { window: u32 },
    #[error("there is no ticket {number} today")]
    NoSuchTicket { number: String },
    #[error("ticket {number} is {}, so this cannot be done", status.name())]
    TicketNotThere {
        number: String,
        status: TicketStatus,
    },
    #[error("{number} has been called {max} times: mark it as not seen")]
    CallsUsed { number: String, max: u8 },
    #[error("no item {item:?} in the catalog")]
    UnknownItem { item: String },
    #[error("the identity number is not valid: {problem}")]
    BadPerson { problem: String },
    #[error("the green lane by age needs the person's identity number")]
    AgeNeedsPerson,
    #[error("the person is {age}; the green lane by age starts at {threshold}")]
    NotOldEnough { age: i16, threshold: u8 },
    #[error("this region's green lane does not admit {reason:?}")]
    GreenReasonNotAdmitted { reason: GreenReason },
    #[error("say where to transfer the ticket: another item or another window")]
    NowhereToTransfer,
    #[error("the hall takes no more tickets today (9,999 per prefix)")]
    NumbersUsed,
}

impl HallError {
    /// A stable code for machines (problem+json `type`).
    pub fn code(&self) -> &'static str {
        match self {
            HallError::NoSuchWindow { .. } => "no_such_window",
            HallError::WindowTaken { .. } => "window_taken",
            HallError::AlreadySignedOn { .. } => "already_signed_on",
            HallError::WindowNotOpen { .. } => "window_not_open",
            HallError::NotYourWindow { .. } => "not_your_window",
            HallError::StillServing { .. } => "still_serving",
            HallError::NothingToCall { .. } => "nothing_to_call",
            HallError::NotServing { .. } => "not_serving",
            HallError::NoSuchTicket { .. } => "no_such_ticket",
            HallError::TicketNotThere { .. } => "ticket_not_there",
            HallError::CallsUsed { .. } => "calls_used",
            HallError::UnknownItem { .. } => "unknown_item",
            HallError::BadPerson { .. } => "bad_person",
            HallError::AgeNeedsPerson => "age_needs_person",
            HallError::NotOldEnough { .. } => "not_old_enough",
            HallError::GreenReasonNotAdmitted { .. } => "green_reason_not_admitted",
            HallError::NowhereToTransfer => "nowhere_to_transfer",
            HallError::NumbersUsed => "numbers_used",
        }
    }

    /// Whether the request was wrong (the state did not allow it) rather than absent.
    pub fn is_not_found(&self) -> bool {
        matches!(
            self,
            HallError::NoSuchTicket { .. } | HallError::NoSuchWindow { .. }
        )
    }
}
