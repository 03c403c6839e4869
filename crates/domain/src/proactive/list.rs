//! A published list (公示) of one policy and year, as one aggregate (stream
//! `proactive/<policy>/<year>`): published once with the digests it was computed from,
//! objections taken while it is public, each decided by staff with a reason, and one
//! grant recorded per listed employer after the period, never while an objection is
//! open or after one was upheld.

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// The longest objection text, in characters.
pub const OBJECTION_MAX: usize = 2_000;

/// One employer on the list, as published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Listed {
    pub id: String,
    pub name: String,
    pub region: String,
    pub amount_cents: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Objection {
    pub text: String,
    /// Who made it: `online:<party>` for a signed-in person or employer, or the staff
    /// id of the clerk who took it by phone or at a window.
    pub by: String,
    /// For one taken by staff: the person's identity number or the employer's credit
    /// code it was made for (who is told the decision).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_behalf_of: Option<String>,
    pub at: Timestamp,
    /// `Some(true)`: upheld, the employer is not granted; `Some(false)`: dismissed.
    pub upheld: Option<bool>,
    pub reason: Option<String>,
    pub decided_by: Option<String>,
}

/// An employer's line as it now stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ListLine {
    pub listed: Listed,
    pub objection: Option<Objection>,
    /// The grant case, once made.
    pub case_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct GrantList {
    pub policy: String,
    pub year: i16,
    pub version: u64,
    pub policy_hash: String,
    pub inputs_digest: String,
    pub published_on: Option<Date>,
    /// The last day of the publicity period; objections are taken until then.
    pub public_until: Option<Date>,
    pub lines: Vec<ListLine>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "command", rename_all = "snake_case")]
pub enum ListCommand {
    Publish {
        policy_hash: String,
        inputs_digest: String,
        lines: Vec<Listed>,
        /// Working days of 公示.
        publicity_days: u32,
    },
    Object {
        id: String,
        text: String,
        /// Taken by staff (12333, a window) for this person or employer.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        on_behalf_of: Option<String>,
    },
    DecideObjection {
        id: String,
        upheld: bool,
        reason: String,
    },
    RecordGrant {
        id: String,
        case_id: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum ListEventBody {
    Published {
        policy_hash: String,
        inputs_digest: String,
        lines: Vec<Listed>,
        published_on: Date,
        public_until: Date,
    },
    Objected {
        id: String,
        text: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        on_behalf_of: Option<String>,
    },
    ObjectionDecided {
        id: String,
        upheld: bool,
        reason: String,
    },
    Granted {
        id: String,
        case_id: String,
    },
}

impl ListEventBody {
    pub fn name(&self) -> &'static str {
        match self {
            ListEventBody::Published { .. } => "published",
            ListEventBody::Objected { .. } => "objected",
            ListEventBody::ObjectionDecided { .. } => "objection_decided",
            ListEventBody::Granted { .. } => "granted",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ListEvent {
    pub seq: u64,
    pub at: Timestamp,
    pub actor: String,
    pub body: ListEventBody,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ListError {
    #[error("the list is already published (digest {inputs_digest}); it is never published twice")]
    AlreadyPublished { inputs_digest: String },
    #[error("the list is not published yet")]
    NotPublished,
    #[error("{id} is not on the list")]
    NotListed { id: String },
    #[error("the publicity period ended on {until}; objections are no longer taken")]
    PeriodOver { until: Date },
    #[error("the publicity period lasts until {until}; nothing is granted before it ends")]
    PeriodRunning { until: Date },
    #[error("an objection needs 1 to {OBJECTION_MAX} characters of text")]
    BadText,
    #[error("{id} already has an objection")]
    AlreadyObjected { id: String },
    #[error("{id} has no objection waiting for a decision")]
    NoObjection { id: String },
    #[error("the objection to {id} is not decided yet")]
    ObjectionOpen { id: String },
    #[error("the objection to {id} was upheld: it is not granted")]
    ObjectionUpheld { id: String },
    #[error("{id} was granted already (case {case_id})")]
    AlreadyGranted { id: String, case_id: String },
    #[error("a decision needs a reason")]
    NoReason,
}

impl ListError {
    pub fn code(&self) -> &'static str {
        match self {
            ListError::AlreadyPublished { .. } => "list_already_published",
            ListError::NotPublished => "list_not_published",
            ListError::NotListed { .. } => "list_not_listed",
            ListError::PeriodOver { .. } => "list_period_over",
            ListError::PeriodRunning { .. } => "list_period_running",
            ListError::BadText => "list_bad_text",
            ListError::AlreadyObjected { .. } => "list_already_objected",
            ListError::NoObjection { .. } => "list_no_objection",
            ListError::ObjectionOpen { .. } => "list_objection_open",
            ListError::ObjectionUpheld { .. } => "list_objection_upheld",
            ListError::AlreadyGranted { .. } => "list_already_granted",
            ListError::NoReason => "list_no_reason",
        }
    }
}

/// What deciding needs besides the list and the command.
pub struct ListContext<'a> {
    pub at: Timestamp,
    pub today: Date,
    pub actor: &'a str,
    /// The date `n` working days after `from` (the legal calendar of the region).
    pub add_working_days: &'a dyn Fn(Date, u32) -> Date,
}

impl std::fmt::Debug for ListContext<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ListContext")
            .field("at", &self.at)
            .field("today", &self.today)
            .field("actor", &self.actor)
            .finish_non_exhaustive()
    }
}

impl GrantList {
    pub fn stream_id(policy: &str, year: i16) -> String {
        format!("proactive/{policy}/{year}")
    }

    pub fn new(policy: &str, year: i16) -> GrantList {
        GrantList {
            policy: policy.to_owned(),
            year,
            version: 0,
            policy_hash: String::new(),
            inputs_digest: String::new(),
            published_on: None,
            public_until: None,
            lines: Vec::new(),
        }
    }

    pub fn line(&self, id: &str) -> Option<&ListLine> {
        self.lines.iter().find(|l| l.listed.id == id)
    }

    fn line_mut(&mut self, id: &str) -> Option<&mut ListLine> {
        self.lines.iter_mut().find(|l| l.listed.id == id)
    }

    pub fn apply(&mut self, event: &ListEvent) {
        self.version = event.seq;
        match &event.body {
            ListEventBody::Published {
                policy_hash,
                inputs_digest,
                lines,
                published_on,
                public_until,
            } => {
                self.policy_hash = policy_hash.clone();
                self.inputs_digest = inputs_digest.clone();
                self.published_on = Some(*published_on);
                self.public_until = Some(*public_until);
                self.lines = lines
                    .iter()
                    .map(|listed| ListLine {
                        listed: listed.clone(),
                        objection: None,
                        case_id: None,
                    })
                    .collect();
            }
            ListEventBody::Objected {
                id,
                text,
                on_behalf_of,
            } => {
                if let Some(line) = self.line_mut(id) {
                    line.objection = Some(Objection {
                        text: text.clone(),
                        by: event.actor.clone(),
                        on_behalf_of: on_behalf_of.clone(),
                        at: event.at,
                        upheld: None,
                        reason: None,
                        decided_by: None,
                    });
                }
            }
            ListEventBody::ObjectionDecided { id, upheld, reason } => {
                if let Some(o) = self.line_mut(id).and_then(|l| l.objection.as_mut()) {
                    o.upheld = Some(*upheld);
                    o.reason = Some(reason.clone());
                    o.decided_by = Some(event.actor.clone());
                }
            }
            ListEventBody::Granted { id, case_id } => {
                if let Some(line) = self.line_mut(id) {
                    line.case_id = Some(case_id.clone());
                }
            }
        }
    }

    pub fn replay<'a>(
        policy: &str,
        year: i16,
        events: impl IntoIterator<Item = &'a ListEvent>,
    ) -> GrantList {
        let mut list = GrantList::new(policy, year);
        for event in events {
            list.apply(event);
        }
        list
    }

    /// Who may be granted now: listed, period over, no open or upheld objection, not
    /// granted yet.
    pub fn grantable(&self, today: Date) -> Vec<&Listed> {
        match self.public_until {
            Some(until) if today > until => self
                .lines
                .iter()
                .filter(|l| l.case_id.is_none())
                .filter(|l| l.objection.as_ref().is_none_or(|o| o.upheld == Some(false)))
                .map(|l| &l.listed)
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// Decides one command against the list.
pub fn decide_list(
    list: &GrantList,
    command: &ListCommand,
    ctx: &ListContext<'_>,
) -> Result<ListEvent, ListError> {
    let published = |list: &GrantList| list.public_until.ok_or(ListError::NotPublished);
    let listed = |id: &str| {
        list.line(id)
            .ok_or_else(|| ListError::NotListed { id: id.to_owned() })
    };
    let body = match command {
        ListCommand::Publish {
            policy_hash,
            inputs_digest,
            lines,
            publicity_days,
        } => {
            if list.published_on.is_some() {
                return Err(ListError::AlreadyPublished {
                    inputs_digest: list.inputs_digest.clone(),
                });
            }
            ListEventBody::Published {
                policy_hash: policy_hash.clone(),
                inputs_digest: inputs_digest.clone(),
                lines: lines.clone(),
                published_on: ctx.today,
                public_until: (ctx.add_working_days)(ctx.today, *publicity_days),
            }
        }
        ListCommand::Object {
            id,
            text,
            on_behalf_of,
        } => {
            let until = published(list)?;
            if ctx.today > until {
                return Err(ListError::PeriodOver { until });
            }
            let line = listed(id)?;
            let text = text.trim();
            if text.is_empty() || text.chars().count() > OBJECTION_MAX {
                return Err(ListError::BadText);
            }
            if line.objection.is_some() {
                return Err(ListError::AlreadyObjected { id: id.clone() });
            }
            ListEventBody::Objected {
                id: id.clone(),
                text: text.to_owned(),
                on_behalf_of: on_behalf_of.clone(),
            }
        }
        ListCommand::DecideObjection { id, upheld, reason } => {
            published(list)?;
            let line = listed(id)?;
            if line.objection.as_ref().is_none_or(|o| o.upheld.is_some()) {
                return Err(ListError::NoObjection { id: id.clone() });
            }
            if reason.trim().is_empty() {
                return Err(ListError::NoReason);
            }
            ListEventBody::ObjectionDecided {
                id: id.clone(),
                upheld: *upheld,
                reason: reason.trim().to_owned(),
            }
        }
        ListCommand::RecordGrant { id, case_id } => {
            let until = published(list)?;
            if ctx.today <= until {
                return Err(ListError::PeriodRunning { until });
            }
            let line = listed(id)?;
            if let Some(granted) = &line.case_id {
                return Err(ListError::AlreadyGranted {
                    id: id.clone(),
                    case_id: granted.clone(),
                });
            }
            match line.objection.as_ref().map(|o| o.upheld) {
                Some(None) => return Err(ListError::ObjectionOpen { id: id.clone() }),
                Some(Some(true)) => return Err(ListError::ObjectionUpheld { id: id.clone() }),
                _ => {}
            }
            ListEventBody::Granted {
                id: id.clone(),
                case_id: case_id.clone(),
            }
        }
    };
    Ok(ListEvent {
        seq: list.version + 1,
        at: ctx.at,
        actor: ctx.actor.to_owned(),
        body,
    })
}
