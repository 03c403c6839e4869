//! One complaint and what happened to it. The complaint is the aggregate: filing,
//! taking, answering and the complainant's verdict are its events, so two clerks
//! answering at once cannot both land.

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// What a complaint is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Target {
    Case {
        case_id: String,
    },
    /// A hall visit, by the ticket's number that day.
    Ticket {
        hall: String,
        day: Date,
        number: String,
    },
    Window {
        hall: String,
        window: u32,
    },
    /// A staff member, by their staff number.
    Clerk {
        staff: String,
    },
    Hall {
        hall: String,
    },
    /// The service of a region in general.
    Service {
        region: String,
    },
}

impl Target {
    pub fn kind(&self) -> &'static str {
        match self {
            Target::Case { .. } => "case",
            Target::Ticket { .. } => "ticket",
            Target::Window { .. } => "window",
            Target::Clerk { .. } => "clerk",
            Target::Hall { .. } => "hall",
            Target::Service { .. } => "service",
        }
    }
}

/// How the complaint came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ComplaintChannel {
    /// Filed by the person, signed in.
    Online,
    /// Told at a hall's desk and written down by staff.
    Hall,
    /// A call to 12333 (or passed on from 12345), written down by staff.
    Phone,
    /// A letter, entered by staff.
    Letter,
}

impl ComplaintChannel {
    pub const ALL: [ComplaintChannel; 4] = [
        ComplaintChannel::Online,
        ComplaintChannel::Hall,
        ComplaintChannel::Phone,
        ComplaintChannel::Letter,
    ];

    pub fn name(self) -> &'static str {
        match self {
            ComplaintChannel::Online => "online",
            ComplaintChannel::Hall => "hall",
            ComplaintChannel::Phone => "phone",
            ComplaintChannel::Letter => "letter",
        }
    }

    pub fn parse(text: &str) -> Option<ComplaintChannel> {
        Self::ALL.into_iter().find(|c| c.name() == text)
    }
}

/// Who complained and how to reach them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Complainant {
    /// The signed-in person or employer (identity number or credit code), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub party: Option<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub phone: String,
}

/// A written answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Reply {
    pub by: String,
    pub at: Timestamp,
    pub text: String,
    /// Which handling it answers (0 the first, 1 after it went one level up, …).
    pub round: u32,
}

/// The complainant's view of an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Satisfied,
    Unsatisfied,
}

impl Verdict {
    pub fn name(self) -> &'static str {
        match self {
            Verdict::Satisfied => "satisfied",
            Verdict::Unsatisfied => "unsatisfied",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ComplaintState {
    /// Waiting for an answer.
    Open,
    /// Answered; waiting for the complainant's verdict.
    Replied,
    Closed,
}

impl ComplaintState {
    pub fn name(self) -> &'static str {
        match self {
            ComplaintState::Open => "open",
            ComplaintState::Replied => "replied",
            ComplaintState::Closed => "closed",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Complaint {
    /// The stream id: `complaints/<number>`.
    pub id: String,
    pub version: u64,
    pub state: ComplaintState,
    pub number: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<Target>,
    /// The office that served (county or city): it owns the complaint.
    #[serde(default)]
    pub region: String,
    /// The staff member complained about, where the target names one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub served_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<ComplaintChannel>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub complainant: Option<Complainant>,
    #[serde(default)]
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filed_at: Option<Timestamp>,
    /// Who wrote it down: the person online, or a staff id.
    #[serde(default)]
    pub filed_by: String,
    /// The staff member who took it on in this round.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// How many times it went one level up after an unsatisfying answer.
    #[serde(default)]
    pub round: u32,
    /// The day the current round's written answer is due.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_by: Option<Date>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub replies: Vec<Reply>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verdict: Option<Verdict>,
    #[serde(default)]
    pub policy_version: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ComplaintEvent {
    pub seq: u64,
    pub at: Timestamp,
    pub actor: String,
    pub body: ComplaintEventBody,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum ComplaintEventBody {
    Filed {
        number: String,
        // Boxed: the filing is much larger than the other events.
        target: Box<Target>,
        region: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        served_by: Option<String>,
        channel: ComplaintChannel,
        complainant: Box<Complainant>,
        text: String,
        reply_by: Date,
        policy_version: u32,
    },
    /// A staff member took it on: the named owner of this round.
    Taken,
    Replied {
        text: String,
    },
    /// The complainant's verdict; an unsatisfying answer in a round that may go up
    /// reopens it one level up with a new deadline (`reply_by`).
    Judged {
        verdict: Verdict,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reply_by: Option<Date>,
    },
}

impl ComplaintEventBody {
    pub fn name(&self) -> &'static str {
        match self {
            ComplaintEventBody::Filed { .. } => "complaint_filed",
            ComplaintEventBody::Taken => "complaint_taken",
            ComplaintEventBody::Replied { .. } => "complaint_replied",
            ComplaintEventBody::Judged { .. } => "complaint_judged",
        }
    }
}

impl Complaint {
    pub fn stream_id(number: &str) -> String {
        format!("complaints/{number}")
    }

    /// A complaint not filed yet.
    pub fn new(number: &str) -> Complaint {
        Complaint {
            id: Complaint::stream_id(number),
            version: 0,
            state: ComplaintState::Open,
            number: number.to_owned(),
            target: None,
            region: String::new(),
            served_by: None,
            channel: None,
            complainant: None,
            text: String::new(),
            filed_at: None,
            filed_by: String::new(),
            owner: None,
            round: 0,
            reply_by: None,
            replies: Vec::new(),
            verdict: None,
            policy_version: 0,
        }
    }

    pub fn is_filed(&self) -> bool {
        self.version > 0
    }

    /// Waiting for an answer past its day.
    pub fn is_overdue(&self, today: Date) -> bool {
        self.state == ComplaintState::Open && self.reply_by.is_some_and(|by| today > by)
    }

    /// How many levels above the serving office it is handled now: one per
    /// unsatisfying answer, and one more while overdue (escalation).
    pub fn levels_up(&self, today: Date) -> u32 {
        self.round + u32::from(self.is_overdue(today))
    }

    /// The answer the complainant is judging, or last judged.
    pub fn last_reply(&self) -> Option<&Reply> {
        self.replies.last()
    }

    pub fn apply(&mut self, event: &ComplaintEvent) {
        self.version = event.seq;
        match &event.body {
            ComplaintEventBody::Filed {
                number,
                target,
                region,
                served_by,
                channel,
                complainant,
                text,
                reply_by,
                policy_version,
            } => {
                self.number = number.clone();
                self.target = Some(Target::clone(target));
                self.region = region.clone();
                self.served_by = served_by.clone();
                self.channel = Some(*channel);
                self.complainant = Some(Complainant::clone(complainant));
                self.text = text.clone();
                self.filed_at = Some(event.at);
                self.filed_by = event.actor.clone();
                self.reply_by = Some(*reply_by);
                self.policy_version = *policy_version;
                self.state = ComplaintState::Open;
            }
            ComplaintEventBody::Taken => self.owner = Some(event.actor.clone()),
            ComplaintEventBody::Replied { text } => {
                self.replies.push(Reply {
                    by: event.actor.clone(),
                    at: event.at,
                    text: text.clone(),
                    round: self.round,
                });
                self.owner.get_or_insert_with(|| event.actor.clone());
                self.state = ComplaintState::Replied;
            }
            ComplaintEventBody::Judged { verdict, reply_by } => {
                self.verdict = Some(*verdict);
                match reply_by {
                    Some(by) => {
                        self.round += 1;
                        self.reply_by = Some(*by);
                        self.owner = None;
                        self.state = ComplaintState::Open;
                    }
                    None => self.state = ComplaintState::Closed,
                }
            }
        }
    }

    /// The complaint its events leave.
    pub fn replay(number: &str, events: &[ComplaintEvent]) -> Complaint {
        let mut complaint = Complaint::new(number);
        for event in events {
            complaint.apply(event);
        }
        complaint
    }
}
