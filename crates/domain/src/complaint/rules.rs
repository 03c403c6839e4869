//! Deciding a complaint command: who may file, take, answer and judge, and when an
//! unsatisfying answer sends the complaint one level up.

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::error::ComplaintError;
use super::file::{
    Complainant, Complaint, ComplaintChannel, ComplaintEvent, ComplaintEventBody, ComplaintState,
    Target, Verdict,
};
use super::policy::ComplaintPolicy;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "command", rename_all = "snake_case")]
pub enum ComplaintCommandKind {
    File {
        target: Target,
        channel: ComplaintChannel,
        complainant: Complainant,
        text: String,
    },
    Take,
    Reply {
        text: String,
    },
    Judge {
        verdict: Verdict,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ComplaintCommand {
    /// `online:<party>` for the person, or a staff id.
    pub actor: String,
    pub kind: ComplaintCommandKind,
}

impl ComplaintCommand {
    fn party(&self) -> Option<&str> {
        self.actor.strip_prefix("online:")
    }
}

/// What the rules need besides the complaint: now, the settings, the office the
/// target belongs to (and the staff member it names), and working-day arithmetic.
pub struct ComplaintContext<'a> {
    pub at: Timestamp,
    pub today: Date,
    pub policy: &'a ComplaintPolicy,
    /// The serving office's region, read from the target.
    pub region: &'a str,
    pub served_by: Option<&'a str>,
    /// The `n`-th working day after a day, in the office's region.
    pub add_working_days: &'a dyn Fn(Date, u32) -> Date,
}

impl std::fmt::Debug for ComplaintContext<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ComplaintContext")
            .field("at", &self.at)
            .field("today", &self.today)
            .field("region", &self.region)
            .finish_non_exhaustive()
    }
}

fn checked_text(text: &str, max: usize) -> Result<String, ComplaintError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(ComplaintError::NoText);
    }
    if text.chars().count() > max {
        return Err(ComplaintError::TextTooLong { max });
    }
    Ok(text.to_owned())
}

/// The event a command leads to, or why it is refused.
pub fn decide_complaint(
    complaint: &Complaint,
    command: &ComplaintCommand,
    ctx: &ComplaintContext<'_>,
) -> Result<ComplaintEvent, ComplaintError> {
    use ComplaintCommandKind as K;
    if !complaint.is_filed() && !matches!(command.kind, K::File { .. }) {
        return Err(ComplaintError::NotFiled);
    }
    let staff_only = || match command.party() {
        Some(_) => Err(ComplaintError::StaffOnly),
        None => Ok(()),
    };
    let not_about_them = || match &complaint.served_by {
        Some(staff) if *staff == command.actor => Err(ComplaintError::OwnComplaint),
        _ => Ok(()),
    };
    let body = match &command.kind {
        K::File {
            target,
            channel,
            complainant,
            text,
        } => {
            if complaint.is_filed() {
                return Err(ComplaintError::AlreadyFiled);
            }
            let text = checked_text(text, ctx.policy.text_max)?;
            let mut complainant = Complainant {
                party: complainant.party.clone(),
                name: complainant.name.trim().to_owned(),
                phone: phone_number(&complainant.phone)?,
            };
            // Online it is the signed-in person's own complaint; staff write down
            // what came by phone, letter or at a desk.
            let channel = match command.party() {
                Some(party) => {
                    complainant.party = Some(party.to_owned());
                    ComplaintChannel::Online
                }
                None if *channel == ComplaintChannel::Online => ComplaintChannel::Hall,
                None => *channel,
            };
            if complainant.party.is_none() && complainant.phone.is_empty() {
                return Err(ComplaintError::NoWayToReply);
            }
            ComplaintEventBody::Filed {
                number: complaint.number.clone(),
                target: Box::new(target.clone()),
                region: ctx.region.to_owned(),
                served_by: ctx.served_by.map(str::to_owned),
                channel,
                complainant: Box::new(complainant),
                text,
                reply_by: (ctx.add_working_days)(ctx.today, ctx.policy.reply_days),
                policy_version: ctx.policy.version,
            }
        }
        K::Take => {
            staff_only()?;
            not_about_them()?;
            match complaint.state {
                ComplaintState::Open => ComplaintEventBody::Taken,
                ComplaintState::Replied => return Err(ComplaintError::AlreadyReplied),
                ComplaintState::Closed => return Err(ComplaintError::Closed),
            }
        }
        K::Reply { text } => {
            staff_only()?;
            not_about_them()?;
            match complaint.state {
                ComplaintState::Open => ComplaintEventBody::Replied {
                    text: checked_text(text, ctx.policy.text_max)?,
                },
                ComplaintState::Replied => return Err(ComplaintError::AlreadyReplied),
                ComplaintState::Closed => return Err(ComplaintError::Closed),
            }
        }
        K::Judge { verdict } => {
            match complaint.state {
                ComplaintState::Replied => {}
                ComplaintState::Open => return Err(ComplaintError::NotReplied),
                ComplaintState::Closed => return Err(ComplaintError::Closed),
            }
            // The complainant judges online; staff may write down a verdict given on
            // the phone, but never on an answer about their own work.
            match command.party() {
                Some(party) => {
                    let theirs = complaint
                        .complainant
                        .as_ref()
                        .and_then(|c| c.party.as_deref());
                    if theirs != Some(party) {
                        return Err(ComplaintError::NotTheirs);
                    }
                }
                None => not_about_them()?,
            }
            let goes_up =
                *verdict == Verdict::Unsatisfied && complaint.round < ctx.policy.reopen_limit;
            ComplaintEventBody::Judged {
                verdict: *verdict,
                reply_by: goes_up.then(|| (ctx.add_working_days)(ctx.today, ctx.policy.reply_days)),
            }
        }
    };
    Ok(ComplaintEvent {
        seq: complaint.version + 1,
        at: ctx.at,
        actor: command.actor.clone(),
        body,
    })
}

/// A phone number as the SMS gateway is given it: spaces and hyphens dropped, an
/// optional leading +, then 7 to 15 digits (a landline without its area code has 7;
/// E.164 allows 15). Empty stays empty (no phone given).
fn phone_number(given: &str) -> Result<String, ComplaintError> {
    let compact: String = given
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    let digits = compact.strip_prefix('+').unwrap_or(&compact);
    if compact.is_empty() {
        return Ok(compact);
    }
    if (7..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()) {
        Ok(compact)
    } else {
        Err(ComplaintError::BadPhone)
    }
}
