//! A hall's day (大厅日): the windows signed on and the tickets taken. One aggregate, so
//! that "call next" sees every ticket it chooses among, and two windows can never call
//! the same one.

use std::collections::BTreeMap;

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::skills::Skills;
use super::ticket::{Ticket, TicketStatus};

/// A clerk signed on to a window for the day: the window's skills are the clerk's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct WindowSession {
    pub clerk: String,
    pub clerk_name: String,
    pub skills: Skills,
    pub since: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct HallDay {
    pub hall: String,
    pub day: Date,
    /// Events applied so far.
    pub version: u64,
    /// Windows signed on now, by number.
    pub windows: BTreeMap<u32, WindowSession>,
    /// Every ticket of the day, in the order taken.
    pub tickets: Vec<Ticket>,
    /// The last number given per prefix.
    pub counters: BTreeMap<String, u32>,
}

/// What happened in the hall: appended, never changed, hash-chained like case events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct HallEvent {
    pub hall: String,
    pub day: Date,
    pub seq: u64,
    pub at: Timestamp,
    /// The staff id, or `kiosk`, `online:<party>`, `system`.
    pub actor: String,
    pub body: HallEventBody,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum HallEventBody {
    WindowOpened {
        window: u32,
        clerk: String,
        clerk_name: String,
        skills: Skills,
    },
    WindowClosed {
        window: u32,
    },
    TicketTaken {
        ticket: Box<Ticket>,
    },
    /// Called (again, when `call` > 1) to a window.
    TicketCalled {
        number: String,
        window: u32,
        call: u8,
    },
    /// Not seen after a call that was not the last: back in its place, not callable
    /// again until the lock has passed.
    TicketRequeued {
        number: String,
        window: u32,
    },
    /// Not seen after the last call (过号).
    TicketMissed {
        number: String,
        window: u32,
    },
    TicketParked {
        number: String,
        window: u32,
    },
    /// A parked or missed person is back: the ticket joins the end of the queue.
    TicketReturned {
        number: String,
    },
    /// Sent to another queue (item) or to one window.
    TicketTransferred {
        number: String,
        window: u32,
        item: Option<String>,
        project: Option<String>,
        to_window: Option<u32>,
    },
    TicketFinished {
        number: String,
        window: u32,
        case_id: Option<String>,
    },
}

impl HallEventBody {
    pub fn name(&self) -> &'static str {
        match self {
            HallEventBody::WindowOpened { .. } => "window_opened",
            HallEventBody::WindowClosed { .. } => "window_closed",
            HallEventBody::TicketTaken { .. } => "ticket_taken",
            HallEventBody::TicketCalled { .. } => "ticket_called",
            HallEventBody::TicketRequeued { .. } => "ticket_requeued",
            HallEventBody::TicketMissed { .. } => "ticket_missed",
            HallEventBody::TicketParked { .. } => "ticket_parked",
            HallEventBody::TicketReturned { .. } => "ticket_returned",
            HallEventBody::TicketTransferred { .. } => "ticket_transferred",
            HallEventBody::TicketFinished { .. } => "ticket_finished",
        }
    }

    /// The ticket the event is about, if any.
    pub fn ticket_number(&self) -> Option<&str> {
        match self {
            HallEventBody::WindowOpened { .. } | HallEventBody::WindowClosed { .. } => None,
            HallEventBody::TicketTaken { ticket } => Some(&ticket.number),
            HallEventBody::TicketCalled { number, .. }
            | HallEventBody::TicketRequeued { number, .. }
            | HallEventBody::TicketMissed { number, .. }
            | HallEventBody::TicketParked { number, .. }
            | HallEventBody::TicketReturned { number }
            | HallEventBody::TicketTransferred { number, .. }
            | HallEventBody::TicketFinished { number, .. } => Some(number),
        }
    }
}

impl HallDay {
    pub fn new(hall: &str, day: Date) -> HallDay {
        HallDay {
            hall: hall.to_owned(),
            day,
            version: 0,
            windows: BTreeMap::new(),
            tickets: Vec::new(),
            counters: BTreeMap::new(),
        }
    }

    /// The stream id the store keeps the day under.
    pub fn stream_id(hall: &str, day: Date) -> String {
        format!("hall/{hall}/{day}")
    }

    pub fn ticket(&self, number: &str) -> Option<&Ticket> {
        self.tickets.iter().find(|t| t.number == number)
    }

    fn ticket_mut(&mut self, number: &str) -> Option<&mut Ticket> {
        self.tickets.iter_mut().find(|t| t.number == number)
    }

    /// The ticket a window has called and not yet let go.
    pub fn serving(&self, window: u32) -> Option<&Ticket> {
        self.tickets
            .iter()
            .find(|t| t.status == TicketStatus::Called && t.window == Some(window))
    }

    pub fn waiting(&self) -> impl Iterator<Item = &Ticket> {
        self.tickets
            .iter()
            .filter(|t| t.status == TicketStatus::Waiting)
    }

    /// Applies an event decided by the rules (or read back from the trail).
    pub fn apply(&mut self, event: &HallEvent) {
        self.version = event.seq;
        let at = event.at;
        match &event.body {
            HallEventBody::WindowOpened {
                window,
                clerk,
                clerk_name,
                skills,
            } => {
                self.windows.insert(
                    *window,
                    WindowSession {
                        clerk: clerk.clone(),
                        clerk_name: clerk_name.clone(),
                        skills: skills.clone(),
                        since: at,
                    },
                );
            }
            HallEventBody::WindowClosed { window } => {
                self.windows.remove(window);
            }
            HallEventBody::TicketTaken { ticket } => {
                let (prefix, value) = split_number(&ticket.number);
                let counter = self.counters.entry(prefix.to_owned()).or_default();
                *counter = (*counter).max(value);
                self.tickets.push((**ticket).clone());
            }
            HallEventBody::TicketCalled {
                number,
                window,
                call,
            } => {
                if let Some(t) = self.ticket_mut(number) {
                    t.status = TicketStatus::Called;
                    t.calls = *call;
                    t.last_call = Some(at);
                    t.first_called_at = t.first_called_at.or(Some(at));
                    t.window = Some(*window);
                }
            }
            HallEventBody::TicketRequeued { number, .. } => {
                if let Some(t) = self.ticket_mut(number) {
                    t.status = TicketStatus::Waiting;
                    t.window = None;
                }
            }
            HallEventBody::TicketMissed { number, .. } => {
                if let Some(t) = self.ticket_mut(number) {
                    t.status = TicketStatus::Missed;
                }
            }
            HallEventBody::TicketParked { number, .. } => {
                if let Some(t) = self.ticket_mut(number) {
                    t.status = TicketStatus::Parked;
                }
            }
            HallEventBody::TicketReturned { number } => {
                if let Some(t) = self.ticket_mut(number) {
                    t.status = TicketStatus::Waiting;
                    t.queued_at = at;
                    t.calls = 0;
                    t.last_call = None;
                    t.window = None;
                }
            }
            HallEventBody::TicketTransferred {
                number,
                item,
                project,
                to_window,
                ..
            } => {
                if let Some(t) = self.ticket_mut(number) {
                    t.status = TicketStatus::Waiting;
                    if item.is_some() {
                        t.item = item.clone();
                        t.project = project.clone();
                    }
                    t.window = *to_window;
                    t.calls = 0;
                    t.last_call = None;
                }
            }
            HallEventBody::TicketFinished {
                number, case_id, ..
            } => {
                if let Some(t) = self.ticket_mut(number) {
                    t.status = TicketStatus::Finished;
                    t.finished_at = Some(at);
                    t.case_id = case_id.clone();
                    t.served_by = Some(event.actor.clone());
                }
            }
        }
    }

    /// The day as its events leave it.
    pub fn replay<'a>(
        hall: &str,
        day: Date,
        events: impl IntoIterator<Item = &'a HallEvent>,
    ) -> HallDay {
        let mut state = HallDay::new(hall, day);
        for event in events {
            state.apply(event);
        }
        state
    }
}

/// `A007` → ("A", 7).
fn split_number(number: &str) -> (&str, u32) {
    let digits = number
        .find(|c: char| c.is_ascii_digit())
        .unwrap_or(number.len());
    let (prefix, value) = number.split_at(digits);
    (prefix, value.parse().unwrap_or(0))
}
