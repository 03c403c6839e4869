//! A case (办件): one application for one item, from submission to delivered result.
//!
//! Pure rules: [`decide`] checks a command against the case and returns the events it
//! causes; [`Case::apply`] folds an event into the case. Time comes in as arguments.

mod access;
mod automatic;
mod clock;
mod command;
mod event;
mod figures;
pub mod intake;
mod message;
mod rules;
mod state;
mod stored;
mod tally;

pub use access::{AccessError, Staff, role_name};
pub use automatic::{AutomaticStep, ELECTRONIC_DELIVERY, automatic_step};
pub use clock::{Clock, WarningLevel, WarningPolicy};
pub use command::{
    Actor, ActorRole, Applicant, Attachment, Command, CommandKind, Delivery, RuleTrace, Submission,
};
pub use event::{CaseEvent, DeadlineChange, DocumentIssued, DocumentKind, EventBody, chain_hash};
pub use figures::CaseFigures;
pub use intake::MAX_TEXT;
pub use message::{AppointmentNote, Message, MessageKind, ObjectionNote, message_for};
pub use rules::{
    APPEAL_ROUTES, CaseError, Context, allowed_commands, commands_for, decide, submit,
};
pub use state::{Case, CaseState, GuideRef, GuideSnapshot, PendingMaterial, guide_digest};
pub use stored::{StoredEvent, StoredGuide};
pub use tally::{BUCKET_NAMES, DAY_BUCKETS, case_tally, case_tally_key};
