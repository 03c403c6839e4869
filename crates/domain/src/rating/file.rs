//! The rating file of one rated service: its ratings by stage, the follow-up of each
//! poor one, and appeals. One aggregate per service, so one rating per stage holds
//! however many arrive at once.

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::level::{Indicator, Level};

/// What is rated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Subject {
    /// A hall visit: a finished ticket.
    Ticket {
        hall: String,
        day: Date,
        number: String,
    },
    Case {
        case_id: String,
    },
}

impl Subject {
    pub fn stream_id(&self) -> String {
        match self {
            Subject::Ticket { hall, day, number } => {
                format!("ratings/ticket/{hall}/{day}/{number}")
            }
            Subject::Case { case_id } => format!("ratings/case/{case_id}"),
        }
    }

    /// The subject a rating file's stream id names.
    pub fn from_stream_id(id: &str) -> Option<Subject> {
        let rest = id.strip_prefix("ratings/")?;
        if let Some(case_id) = rest.strip_prefix("case/") {
            return (!case_id.is_empty()).then(|| Subject::Case {
                case_id: case_id.to_owned(),
            });
        }
        let mut parts = rest.strip_prefix("ticket/")?.splitn(3, '/');
        let (hall, day, number) = (parts.next()?, parts.next()?, parts.next()?);
        Some(Subject::Ticket {
            hall: hall.to_owned(),
            day: day.parse().ok()?,
            number: number.to_owned(),
        })
    }
}

/// When in the service a rating is given: once for a visit, and for a case at
/// acceptance and at completion (an on-the-spot case only at completion).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Visit,
    Acceptance,
    Completion,
}

impl Stage {
    pub fn name(self) -> &'static str {
        match self {
            Stage::Visit => "visit",
            Stage::Acceptance => "acceptance",
            Stage::Completion => "completion",
        }
    }

    pub fn parse(text: &str) -> Option<Stage> {
        [Stage::Visit, Stage::Acceptance, Stage::Completion]
            .into_iter()
            .find(|s| s.name() == text)
    }
}

/// Where the rating was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RatingChannel {
    /// The pad or QR code at the window.
    Pad,
    /// The case page online.
    Online,
    Kiosk,
    /// The signed link in a message.
    Link,
    /// The 12333 line: a clerk records it for the caller.
    Phone,
    /// No channel: the default level of a service nobody rated (`Rater::Default`).
    None,
}

impl RatingChannel {
    pub fn name(self) -> &'static str {
        match self {
            RatingChannel::Pad => "pad",
            RatingChannel::Online => "online",
            RatingChannel::Kiosk => "kiosk",
            RatingChannel::Link => "link",
            RatingChannel::Phone => "phone",
            RatingChannel::None => "none",
        }
    }

    /// The indicators this channel asks about.
    pub fn indicators(self) -> &'static [Indicator] {
        match self {
            RatingChannel::Pad | RatingChannel::Kiosk => &Indicator::HALL,
            RatingChannel::Online | RatingChannel::Link => &Indicator::ONLINE,
            RatingChannel::None => &[],
            RatingChannel::Phone => &[
                Indicator::Efficiency,
                Indicator::GuideAccuracy,
                Indicator::Convenience,
                Indicator::Usability,
                Indicator::ServiceEfficiency,
                Indicator::ServiceLevel,
                Indicator::Attitude,
            ],
        }
    }
}

/// What the caller knows of the service being rated (read from the hall's day or the
/// case), frozen into the file with its first rating.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RatedService {
    pub subject: Subject,
    /// The county (or city) whose office served.
    pub region: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hall: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
    /// The staff member whose work is rated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub served_by: Option<String>,
    /// The person (or employer) served, where known: only they rate it online.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person: Option<String>,
    /// The day each stage was reached; a stage not reached cannot be rated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visit: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acceptance: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completion: Option<Date>,
}

impl RatedService {
    pub fn reached(&self, stage: Stage) -> Option<Date> {
        match stage {
            Stage::Visit => self.visit,
            Stage::Acceptance => self.acceptance,
            Stage::Completion => self.completion,
        }
    }
}

/// Who gave the rating.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Rater {
    /// The person: signed in (`party`), or at the pad or kiosk (unnamed).
    Person {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        party: Option<String>,
    },
    /// Recorded by a clerk for a caller on the 12333 line (marked as such).
    OnBehalf { staff: String },
    /// Nobody rated in time: the region's default level (默认评价), given by the system.
    Default { after_days: u32 },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Rating {
    pub stage: Stage,
    pub level: Level,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub indicators: Vec<Indicator>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub text: String,
    pub channel: RatingChannel,
    pub rater: Rater,
    pub at: Timestamp,
    /// The rating settings' version it was taken under.
    pub policy_version: u32,
    /// Taken out of the statistics by an upheld appeal (it stays in the record).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub excluded: bool,
}

/// How a poor rating was closed (人社厅发〔2020〕31号).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "way", rename_all = "snake_case")]
pub enum Closure {
    /// 立行立改: fixed at once.
    FixedAtOnce { text: String },
    /// 台账限期整改: entered in the ledger, to be rectified by a day.
    Ledger { text: String, by: Date },
    /// 解释说明: no legal basis for the demand, explained in writing.
    Explained { text: String },
}

impl Closure {
    pub fn name(&self) -> &'static str {
        match self {
            Closure::FixedAtOnce { .. } => "fixed_at_once",
            Closure::Ledger { .. } => "ledger",
            Closure::Explained { .. } => "explained",
        }
    }
}

/// The follow-up a poor rating opens: contact the person, then close it, each by a
/// working day of the legal calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct FollowUp {
    pub stage: Stage,
    pub opened_at: Timestamp,
    pub contact_by: Date,
    pub close_by: Date,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contacted_at: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contacted_by: Option<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub contact_note: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closure: Option<Closure>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_at: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_by: Option<String>,
    /// Closed by its deadline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_time: Option<bool>,
}

impl FollowUp {
    pub fn is_open(&self) -> bool {
        self.closure.is_none()
    }

    /// Past a deadline while open: not contacted by `contact_by`, or not closed by
    /// `close_by`.
    pub fn is_overdue(&self, today: Date) -> bool {
        self.is_open()
            && ((self.contacted_at.is_none() && today > self.contact_by) || today > self.close_by)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AppealGround {
    /// 误评: rated the wrong service or by mistake.
    Mistaken,
    /// 恶意差评.
    Malicious,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Appeal {
    pub stage: Stage,
    pub ground: AppealGround,
    pub text: String,
    pub by: String,
    pub at: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upheld: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_by: Option<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RatingFile {
    pub id: String,
    pub version: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<RatedService>,
    pub ratings: Vec<Rating>,
    pub follow_ups: Vec<FollowUp>,
    pub appeals: Vec<Appeal>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RatingEvent {
    pub file: String,
    pub seq: u64,
    pub at: Timestamp,
    /// `pad`, `kiosk`, `online:<party>` or a staff id.
    pub actor: String,
    pub body: RatingEventBody,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum RatingEventBody {
    Rated {
        service: Box<RatedService>,
        rating: Rating,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        follow_up: Option<FollowUp>,
    },
    Contacted {
        stage: Stage,
        note: String,
    },
    FollowUpClosed {
        stage: Stage,
        closure: Closure,
        on_time: bool,
    },
    Appealed {
        appeal: Appeal,
    },
    AppealDecided {
        stage: Stage,
        upheld: bool,
        reason: String,
    },
}

impl RatingEventBody {
    pub fn name(&self) -> &'static str {
        match self {
            RatingEventBody::Rated { .. } => "rated",
            RatingEventBody::Contacted { .. } => "follow_up_contacted",
            RatingEventBody::FollowUpClosed { .. } => "follow_up_closed",
            RatingEventBody::Appealed { .. } => "appealed",
            RatingEventBody::AppealDecided { .. } => "appeal_decided",
        }
    }
}

impl RatingFile {
    pub fn new(id: &str) -> RatingFile {
        RatingFile {
            id: id.to_owned(),
            version: 0,
            service: None,
            ratings: Vec::new(),
            follow_ups: Vec::new(),
            appeals: Vec::new(),
        }
    }

    pub fn rating(&self, stage: Stage) -> Option<&Rating> {
        self.ratings.iter().find(|r| r.stage == stage)
    }

    pub fn follow_up(&self, stage: Stage) -> Option<&FollowUp> {
        self.follow_ups.iter().find(|f| f.stage == stage)
    }

    pub fn appeal(&self, stage: Stage) -> Option<&Appeal> {
        self.appeals.iter().find(|a| a.stage == stage)
    }

    pub fn apply(&mut self, event: &RatingEvent) {
        self.version = event.seq;
        let at = event.at;
        match &event.body {
            RatingEventBody::Rated {
                service,
                rating,
                follow_up,
            } => {
                self.service = Some((**service).clone());
                self.ratings.push(rating.clone());
                self.follow_ups.extend(follow_up.clone());
            }
            RatingEventBody::Contacted { stage, note } => {
                if let Some(f) = self.follow_ups.iter_mut().find(|f| f.stage == *stage) {
                    f.contacted_at = Some(at);
                    f.contacted_by = Some(event.actor.clone());
                    f.contact_note = note.clone();
                }
            }
            RatingEventBody::FollowUpClosed {
                stage,
                closure,
                on_time,
            } => {
                if let Some(f) = self.follow_ups.iter_mut().find(|f| f.stage == *stage) {
                    f.closure = Some(closure.clone());
                    f.closed_at = Some(at);
                    f.closed_by = Some(event.actor.clone());
                    f.on_time = Some(*on_time);
                }
            }
            RatingEventBody::Appealed { appeal } => self.appeals.push(appeal.clone()),
            RatingEventBody::AppealDecided {
                stage,
                upheld,
                reason,
            } => {
                if let Some(a) = self.appeals.iter_mut().find(|a| a.stage == *stage) {
                    a.upheld = Some(*upheld);
                    a.decided_by = Some(event.actor.clone());
                    a.reason = reason.clone();
                }
                if *upheld && let Some(r) = self.ratings.iter_mut().find(|r| r.stage == *stage) {
                    r.excluded = true;
                }
            }
        }
    }

    pub fn replay<'a>(id: &str, events: impl IntoIterator<Item = &'a RatingEvent>) -> RatingFile {
        let mut file = RatingFile::new(id);
        for e in events {
            file.apply(e);
        }
        file
    }
}

#[cfg(test)]
mod tests {
    use super::Subject;

    #[test]
    fn a_stream_id_names_its_subject_back() {
        for subject in [
            Subject::Case {
                case_id: "0193-abc".to_owned(),
            },
            Subject::Ticket {
                hall: "zhenhai-center".to_owned(),
                day: jiff::civil::date(2026, 12, 1),
                number: "A007".to_owned(),
            },
        ] {
            assert_eq!(Subject::from_stream_id(&subject.stream_id()), Some(subject));
        }
        for bad in [
            "ratings/case/",
            "ratings/ticket/h/not-a-day/A1",
            "cases/x",
            "ratings/ticket/h",
        ] {
            assert_eq!(Subject::from_stream_id(bad), None, "{bad}");
        }
    }
}
