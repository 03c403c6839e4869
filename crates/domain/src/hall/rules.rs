//! The hall's rules: `decide(day, command, context) -> event`. Pure: "now", the hall's
//! windows, the green-lane policy and the catalog's projects come in the context.

use jiff::Timestamp;
use jiff::civil::Date;

use super::command::{HallCommand, HallCommandKind};
use super::day::{HallDay, HallEvent, HallEventBody};
use super::error::HallError;
use super::routing::{Aging, Priority, Waiting, next_ticket};
use super::skills::Skills;
use super::ticket::{GreenReason, Purpose, Ticket, TicketChannel, TicketStatus};
use crate::ResidentId;

/// A ticket is called at most this many times before it is missed (ZMS `callCountMax`).
pub const MAX_CALLS: u8 = 3;
/// A ticket put back after a call is not called again for this long (ZMS: 5 minutes),
/// so that the next window does not call the person who is still on the way.
pub const RECALL_LOCK_SECONDS: i64 = 300;

/// Numbers per prefix and day: three digits, then four for the busiest halls.
pub const MAX_NUMBER: u32 = 9_999;

/// Who goes through the green lane: set per hall by its administrators (the region's
/// rules), the national default otherwise.
#[derive(
    Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
pub struct GreenLanePolicy {
    /// Age (from the identity number) from which a ticket goes first.
    pub age_at_least: u8,
    /// The reasons a person may declare at the desk (a card shown, checked by staff).
    pub reasons: Vec<GreenReason>,
}

impl Default for GreenLanePolicy {
    /// 60: 老年人权益保障法 第二条 (老年人 is a citizen of 60 or more); every declared
    /// reason admitted. Regions narrow or widen both.
    fn default() -> GreenLanePolicy {
        GreenLanePolicy {
            age_at_least: 60,
            reasons: vec![
                GreenReason::Disability,
                GreenReason::Military,
                GreenReason::Pregnancy,
            ],
        }
    }
}

/// What the rules need besides the day itself.
pub struct HallContext<'a> {
    pub at: Timestamp,
    pub today: Date,
    /// The hall's window numbers.
    pub windows: &'a [u32],
    pub green: &'a GreenLanePolicy,
    pub aging: Aging,
    /// The project an item belongs to, if the catalog has the item.
    pub project_of: &'a dyn Fn(&str) -> Option<String>,
}

impl std::fmt::Debug for HallContext<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HallContext")
            .field("at", &self.at)
            .field("windows", &self.windows)
            .finish_non_exhaustive()
    }
}

/// Whether a window with these skills may serve a ticket: an item needs 通 or 精 in its
/// project (懂 is enough to answer questions); a general ticket any project's 通 or 精.
pub fn may_serve(skills: &Skills, ticket: &Ticket) -> bool {
    match (&ticket.project, ticket.purpose) {
        (Some(project), Purpose::Handle) => skills.get(project).is_some_and(|l| l.may_handle()),
        (Some(project), Purpose::Consult) => skills.contains_key(project),
        (None, Purpose::Handle) => skills.values().any(|l| l.may_handle()),
        (None, Purpose::Consult) => !skills.is_empty(),
    }
}

/// Decides what a command does to the day, or why it cannot.
pub fn decide(
    day: &HallDay,
    command: &HallCommand,
    ctx: &HallContext<'_>,
) -> Result<HallEvent, HallError> {
    let body = match &command.kind {
        HallCommandKind::OpenWindow {
            window,
            clerk_name,
            skills,
        } => open_window(day, &command.actor, *window, clerk_name, skills, ctx)?,
        HallCommandKind::CloseWindow { window } => {
            own_window(day, &command.actor, *window)?;
            if let Some(t) = day.serving(*window) {
                return Err(HallError::StillServing {
                    window: *window,
                    number: t.number.clone(),
                });
            }
            HallEventBody::WindowClosed { window: *window }
        }
        HallCommandKind::TakeTicket {
            item,
            purpose,
            channel,
            person,
            green,
        } => take(
            day,
            item.as_deref(),
            *purpose,
            *channel,
            person.as_deref(),
            *green,
            ctx,
        )?,
        HallCommandKind::TakeAppointmentTicket {
            booking,
            item,
            person,
        } => {
            let mut body = take(
                day,
                Some(item),
                Purpose::Handle,
                TicketChannel::Appointment,
                Some(person),
                None,
                ctx,
            )?;
            if let HallEventBody::TicketTaken { ticket } = &mut body {
                // An older person keeps the green lane; everyone else booked goes
                // before walk-ins.
                if ticket.green.is_none() {
                    let next = day.counters.get("B").copied().unwrap_or(0) + 1;
                    if next > MAX_NUMBER {
                        return Err(HallError::NumbersUsed);
                    }
                    ticket.number = format!("B{next:03}");
                    ticket.priority = Priority::Appointment;
                }
                ticket.booking = Some(booking.clone());
            }
            body
        }
        HallCommandKind::CallNext { window } => call_next(day, &command.actor, *window, ctx)?,
        HallCommandKind::Recall { window } => {
            let t = serving(day, &command.actor, *window)?;
            if t.calls >= MAX_CALLS {
                return Err(HallError::CallsUsed {
                    number: t.number.clone(),
                    max: MAX_CALLS,
                });
            }
            HallEventBody::TicketCalled {
                number: t.number.clone(),
                window: *window,
                call: t.calls + 1,
            }
        }
        HallCommandKind::NoShow { window } => {
            let t = serving(day, &command.actor, *window)?;
            let number = t.number.clone();
            if t.calls >= MAX_CALLS {
                HallEventBody::TicketMissed {
                    number,
                    window: *window,
                }
            } else {
                HallEventBody::TicketRequeued {
                    number,
                    window: *window,
                }
            }
        }
        HallCommandKind::Park { window } => HallEventBody::TicketParked {
            number: serving(day, &command.actor, *window)?.number.clone(),
            window: *window,
        },
        HallCommandKind::Return { number } => {
            let t = day.ticket(number).ok_or_else(|| HallError::NoSuchTicket {
                number: number.clone(),
            })?;
            if !matches!(t.status, TicketStatus::Parked | TicketStatus::Missed) {
                return Err(HallError::TicketNotThere {
                    number: number.clone(),
                    status: t.status,
                });
            }
            HallEventBody::TicketReturned {
                number: number.clone(),
            }
        }
        HallCommandKind::Transfer {
            window,
            item,
            to_window,
        } => {
            let t = serving(day, &command.actor, *window)?;
            if item.is_none() && to_window.is_none() {
                return Err(HallError::NowhereToTransfer);
            }
            let project = match item {
                Some(item) => Some(
                    (ctx.project_of)(item)
                        .ok_or_else(|| HallError::UnknownItem { item: item.clone() })?,
                ),
                None => None,
            };
            if let Some(to) = to_window
                && !ctx.windows.contains(to)
            {
                return Err(HallError::NoSuchWindow { window: *to });
            }
            HallEventBody::TicketTransferred {
                number: t.number.clone(),
                window: *window,
                item: item.clone(),
                project,
                to_window: *to_window,
            }
        }
        HallCommandKind::Finish { window, case_id } => HallEventBody::TicketFinished {
            number: serving(day, &command.actor, *window)?.number.clone(),
            window: *window,
            case_id: case_id.clone(),
        },
    };
    Ok(HallEvent {
        hall: day.hall.clone(),
        day: day.day,
        seq: day.version + 1,
        at: ctx.at,
        actor: command.actor.clone(),
        body,
    })
}

fn open_window(
    day: &HallDay,
    clerk: &str,
    window: u32,
    clerk_name: &str,
    skills: &Skills,
    ctx: &HallContext<'_>,
) -> Result<HallEventBody, HallError> {
    if !ctx.windows.contains(&window) {
        return Err(HallError::NoSuchWindow { window });
    }
    if let Some((number, _)) = day.windows.iter().find(|(_, s)| s.clerk == clerk) {
        return Err(HallError::AlreadySignedOn { window: *number });
    }
    if let Some(session) = day.windows.get(&window) {
        return Err(HallError::WindowTaken {
            window,
            clerk_name: session.clerk_name.clone(),
        });
    }
    Ok(HallEventBody::WindowOpened {
        window,
        clerk: clerk.to_owned(),
        clerk_name: clerk_name.to_owned(),
        skills: skills.clone(),
    })
}

fn own_window<'a>(
    day: &'a HallDay,
    actor: &str,
    window: u32,
) -> Result<&'a super::day::WindowSession, HallError> {
    let session = day
        .windows
        .get(&window)
        .ok_or(HallError::WindowNotOpen { window })?;
    if session.clerk != actor {
        return Err(HallError::NotYourWindow { window });
    }
    Ok(session)
}

fn serving<'a>(day: &'a HallDay, actor: &str, window: u32) -> Result<&'a Ticket, HallError> {
    own_window(day, actor, window)?;
    day.serving(window).ok_or(HallError::NotServing { window })
}

#[allow(clippy::too_many_arguments)]
fn take(
    day: &HallDay,
    item: Option<&str>,
    purpose: Purpose,
    channel: TicketChannel,
    person: Option<&str>,
    green: Option<GreenReason>,
    ctx: &HallContext<'_>,
) -> Result<HallEventBody, HallError> {
    let project = match item {
        Some(item) => Some(
            (ctx.project_of)(item).ok_or_else(|| HallError::UnknownItem {
                item: item.to_owned(),
            })?,
        ),
        None => None,
    };
    let person = person
        .map(|text| {
            ResidentId::parse(text, ctx.today)
                .map(|parsed| parsed.value)
                .map_err(|e| HallError::BadPerson {
                    problem: e.to_string(),
                })
        })
        .transpose()?;
    let age = person.as_ref().map(|p| age_on(p.birth_date(), ctx.today));
    let old_enough = age.is_some_and(|a| a >= i16::from(ctx.green.age_at_least));
    let green = match green {
        Some(GreenReason::Age) => match age {
            None => return Err(HallError::AgeNeedsPerson),
            Some(age) if !old_enough => {
                return Err(HallError::NotOldEnough {
                    age,
                    threshold: ctx.green.age_at_least,
                });
            }
            Some(_) => Some(GreenReason::Age),
        },
        Some(reason) if !ctx.green.reasons.contains(&reason) => {
            return Err(HallError::GreenReasonNotAdmitted { reason });
        }
        Some(reason) => Some(reason),
        None if old_enough => Some(GreenReason::Age),
        None => None,
    };
    let (prefix, priority) = match (green, purpose) {
        (Some(_), _) => ("G", Priority::GreenLane),
        (None, Purpose::Consult) => ("C", Priority::WalkIn),
        (None, Purpose::Handle) => ("A", Priority::WalkIn),
    };
    let next = day.counters.get(prefix).copied().unwrap_or(0) + 1;
    if next > MAX_NUMBER {
        return Err(HallError::NumbersUsed);
    }
    Ok(HallEventBody::TicketTaken {
        ticket: Box::new(Ticket {
            number: format!("{prefix}{next:03}"),
            item: item.map(str::to_owned),
            project,
            purpose,
            priority,
            green,
            channel,
            person: person.map(|p| p.as_str().to_owned()),
            booking: None,
            taken_at: ctx.at,
            queued_at: ctx.at,
            status: TicketStatus::Waiting,
            calls: 0,
            last_call: None,
            first_called_at: None,
            window: None,
            finished_at: None,
            case_id: None,
            served_by: None,
        }),
    })
}

/// Whole years of age on a day.
fn age_on(born: Date, today: Date) -> i16 {
    let mut age = today.year() - born.year();
    if (today.month(), today.day()) < (born.month(), born.day()) {
        age -= 1;
    }
    age
}

/// The waiting tickets a window may call now: its skills allow them, no other window
/// holds them, and their recall lock has passed.
pub fn callable<'a>(
    day: &'a HallDay,
    window: u32,
    skills: &'a Skills,
    at: Timestamp,
) -> impl Iterator<Item = &'a Ticket> + 'a {
    day.waiting().filter(move |t| {
        t.window.is_none_or(|w| w == window)
            && may_serve(skills, t)
            && t.last_call
                .is_none_or(|last| at.as_second() - last.as_second() >= RECALL_LOCK_SECONDS)
    })
}

fn call_next(
    day: &HallDay,
    actor: &str,
    window: u32,
    ctx: &HallContext<'_>,
) -> Result<HallEventBody, HallError> {
    let session = own_window(day, actor, window)?;
    if let Some(t) = day.serving(window) {
        return Err(HallError::StillServing {
            window,
            number: t.number.clone(),
        });
    }
    let candidates: Vec<&Ticket> = callable(day, window, &session.skills, ctx.at).collect();
    let waiting: Vec<Waiting> = candidates
        .iter()
        .map(|t| Waiting {
            number: u64::from(sequence(t)),
            priority: t.priority,
            arrived: t.queued_at.as_second(),
            item: t.item.clone().unwrap_or_default(),
        })
        .collect();
    let index = next_ticket(&waiting, ctx.at.as_second(), ctx.aging, |_| true)
        .ok_or(HallError::NothingToCall { window })?;
    let chosen = candidates[index];
    Ok(HallEventBody::TicketCalled {
        number: chosen.number.clone(),
        window,
        call: chosen.calls + 1,
    })
}

/// The ticket's place in the day: its number without the prefix, tie-breaking equal
/// arrivals as the routing rule says.
fn sequence(ticket: &Ticket) -> u32 {
    ticket
        .number
        .trim_start_matches(|c: char| !c.is_ascii_digit())
        .parse()
        .unwrap_or(u32::MAX)
}
