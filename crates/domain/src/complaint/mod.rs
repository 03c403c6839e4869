//! 投诉: complaints about a service, as an aggregate per complaint: filed on any
//! channel, owned by the office that served, answered in writing by a working-day
//! deadline, escalated when overdue, and closed with the complainant's verdict on the
//! answer. Labour-inspection reports are a catalog item of their own, not this.
//!
//! Pure: the caller supplies the office's region (read from what the complaint points
//! at), the time now and the legal calendar's working-day arithmetic. The deadlines are
//! settings (`ComplaintPolicy`); no national figure for them was found, so the default
//! is marked illustrative.

mod error;
mod file;
mod policy;
mod rules;

pub use error::ComplaintError;
pub use file::{
    Complainant, Complaint, ComplaintChannel, ComplaintEvent, ComplaintEventBody, ComplaintState,
    Reply, Target, Verdict,
};
pub use policy::ComplaintPolicy;
pub use rules::{ComplaintCommand, ComplaintCommandKind, ComplaintContext, decide_complaint};
