//! The hall (大厅): the day's windows and tickets as an aggregate with pure rules, how
//! the next ticket is chosen at a window, the wait a ticket can expect, and what
//! queueing theory predicts for a hall's waits. The server's queue and `yichuang
//! simulate hall` call the same routing code.

mod appointments;
mod command;
mod day;
mod erlang;
mod error;
mod estimate;
mod reminders;
mod routing;
mod rules;
mod skills;
mod ticket;
mod waits;

pub use appointments::{
    AppointmentCommand, AppointmentCommandKind, AppointmentContext, AppointmentDay,
    AppointmentError, AppointmentEvent, AppointmentEventBody, Booking, BookingStatus,
    CHECK_IN_EARLY_MINUTES, HoursError, Quota, Schedule, Visit, decide_appointment,
};
pub use command::{HallCommand, HallCommandKind};
pub use day::{HallDay, HallEvent, HallEventBody, WindowSession};
pub use erlang::{ErlangC, erlang_c};
pub use error::HallError;
pub use estimate::{DEFAULT_HANDLING_SECONDS, WaitEstimate};
pub use reminders::{REMINDER_HOUR, reminder_changes, reminder_due, reminder_key};
pub use routing::{Aging, Priority, Waiting, next_ticket};
pub use rules::{
    GreenLanePolicy, HallContext, MAX_CALLS, RECALL_LOCK_SECONDS, callable, decide, may_serve,
};
pub use skills::{SkillLevel, Skills};
pub use ticket::{GreenReason, Purpose, Ticket, TicketChannel, TicketStatus};
pub use waits::{WAIT_BUCKET_NAMES, WAIT_BUCKETS, WaitFigures, wait_tally, wait_tally_key};
