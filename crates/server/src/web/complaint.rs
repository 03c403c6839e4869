//! What the citizen's and the staff's complaint pages share: reading what a complaint
//! is about from a form, putting a complaint into words, the printable written answer
//! (答复书), and the words for a refusal.

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use jiff::civil::Date;
use yichuang_domain::RegionCode;
use yichuang_domain::complaint::{Complaint, ComplaintState, Target, Verdict};
use yichuang_engine::EngineError;

use super::dates::written;
use super::form::Pairs;
use super::{Ui, render};
use crate::state::AppState;

/// A new complaint's number: `TS`, the day, and six characters drawn from the form's
/// one-time value (so sending the same form twice files it once) and the attempt (a
/// clash with another complaint's number is refused as already filed, and the page
/// tries the next attempt).
fn new_number(today: Date, seed: &str, attempt: u32) -> String {
    use sha2::Digest;
    const LETTERS: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    let digest = sha2::Sha256::digest(format!("{seed}/{attempt}").as_bytes());
    let tail: String = digest
        .iter()
        .take(6)
        .map(|b| char::from(LETTERS[usize::from(*b) % LETTERS.len()]))
        .collect();
    format!("TS{}{tail}", today.strftime("%Y%m%d"))
}

/// Files a complaint under a number drawn from `seed` (the sender and the form's
/// one-time value): sending the same form again files it once, and a clash with
/// another complaint's number is tried again with the next number.
pub(crate) async fn file_complaint(
    state: &AppState,
    seed: &str,
    kind: yichuang_domain::complaint::ComplaintCommandKind,
    actor: &str,
    staff: Option<&yichuang_domain::case::Staff>,
) -> Result<yichuang_engine::ComplaintResponse, EngineError> {
    use yichuang_domain::complaint::ComplaintError;
    let today = state.engine.today();
    let mut outcome = Err(EngineError::Closed);
    for attempt in 0..3 {
        let number = new_number(today, seed, attempt);
        let request_id = format!("complaint-{seed}-{attempt}");
        outcome = state
            .engine
            .execute_complaint(&request_id, &number, kind.clone(), actor, staff)
            .await;
        if !matches!(
            outcome,
            Err(EngineError::Complaint(ComplaintError::AlreadyFiled))
        ) {
            break;
        }
    }
    outcome
}

/// What a complaint form says it is about, checked against what exists; the Fluent
/// key of what is wrong otherwise. `party` limits a case to the person's own.
pub(crate) async fn target_of(
    state: &AppState,
    form: &Pairs,
    party: Option<&str>,
    today: Date,
) -> Result<Target, &'static str> {
    match form.field("about") {
        "case" => {
            let number = form.field("case");
            let case_id = match state.store.case_id_by_number(number).await {
                Ok(Some(id)) => id,
                _ => return Err("complaint-no-case"),
            };
            if let Some(party) = party {
                let marks = state.store.case_marks(&case_id).await.ok().flatten();
                if marks.and_then(|m| m.applicant).as_deref() != Some(party) {
                    return Err("complaint-no-case");
                }
            }
            Ok(Target::Case { case_id })
        }
        "hall" => {
            let hall = form.field("hall").to_owned();
            if hall.is_empty() {
                return Err("complaint-choose-hall");
            }
            let ticket = form.field("ticket").to_uppercase();
            let window = form.field("window");
            if !ticket.is_empty() {
                let day = match form.field("day") {
                    "" => today,
                    text => text.parse().map_err(|_| "complaint-bad-day")?,
                };
                Ok(Target::Ticket {
                    hall,
                    day,
                    number: ticket,
                })
            } else if !window.is_empty() {
                let window = window.parse().map_err(|_| "complaint-bad-window")?;
                Ok(Target::Window { hall, window })
            } else {
                Ok(Target::Hall { hall })
            }
        }
        "clerk" => match form.field("clerk") {
            "" => Err("complaint-no-clerk"),
            staff => Ok(Target::Clerk {
                staff: staff.to_owned(),
            }),
        },
        "service" => match RegionCode::parse(form.field("region")) {
            Ok(region) => Ok(Target::Service {
                region: region.to_string(),
            }),
            Err(_) => Err("complaint-choose-region"),
        },
        _ => Err("complaint-choose-about"),
    }
}

/// The halls and regions a complaint form offers.
pub(crate) struct Choices {
    pub halls: Vec<(String, String)>,
    pub regions: Vec<(String, String)>,
}

pub(crate) async fn choices(state: &AppState) -> Choices {
    let halls = state.store.halls("").await.unwrap_or_default();
    let mut regions: Vec<(String, String)> = halls
        .iter()
        .filter_map(|h| RegionCode::parse(&h.region).ok())
        .map(|r| (r.to_string(), r.full_name()))
        .collect();
    regions.sort();
    regions.dedup();
    Choices {
        halls: halls.into_iter().map(|h| (h.id, h.name)).collect(),
        regions,
    }
}

/// What a complaint form held, drawn again when it is refused.
#[derive(Default)]
pub(crate) struct Typed {
    pub about: String,
    pub case: String,
    pub hall: String,
    pub window: String,
    pub ticket: String,
    pub day: String,
    pub clerk: String,
    pub region: String,
    pub text: String,
    pub name: String,
    pub phone: String,
    pub channel: String,
}

impl Typed {
    pub fn of(form: &Pairs) -> Typed {
        let f = |name: &str| form.field(name).to_owned();
        Typed {
            about: f("about"),
            case: f("case"),
            hall: f("hall"),
            window: f("window"),
            ticket: f("ticket"),
            day: f("day"),
            clerk: f("clerk"),
            region: f("region"),
            text: f("text"),
            name: f("name"),
            phone: f("phone"),
            channel: f("channel"),
        }
    }
}

/// A complaint in words, for both sides.
pub(crate) struct View {
    pub number: String,
    pub about: String,
    pub channel: String,
    pub state: String,
    pub filed: String,
    pub reply_by: String,
    pub overdue: bool,
    /// Where it is handled now (the serving office, or a level up).
    pub handled_by: String,
    pub text: String,
    pub replies: Vec<ReplyView>,
    pub verdict: String,
    pub replied: bool,
    pub open: bool,
}

pub(crate) struct ReplyView {
    pub at: String,
    pub by: String,
    pub round: String,
    pub text: String,
}

fn china_time(at: jiff::Timestamp) -> String {
    at.to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::offset(8)))
        .strftime("%Y-%m-%d %H:%M")
        .to_string()
}

/// The office `levels` levels above `region`, by its full name.
pub(crate) fn office_name(region: &str, levels: u32) -> String {
    let Ok(mut code) = RegionCode::parse(region) else {
        return region.to_owned();
    };
    for _ in 0..levels {
        code = code.parent().unwrap_or(code);
    }
    code.full_name()
}

/// What a complaint points at, in words (names, not ids).
pub(crate) async fn about(state: &AppState, ui: &Ui, target: Option<&Target>) -> String {
    let hall_name = |id: String| async move {
        state
            .store
            .hall(&id)
            .await
            .ok()
            .flatten()
            .map_or(id, |h| h.name)
    };
    match target {
        None => String::new(),
        Some(Target::Case { case_id }) => {
            let number = crate::outbox::case_number_or_id(state, case_id).await;
            ui.t1("complaint-about-case-named", "number", number)
        }
        Some(Target::Ticket { hall, day, number }) => format!(
            "{} · {} · {}",
            hall_name(hall.clone()).await,
            written(ui.lang, *day),
            ui.t1("complaint-about-ticket-named", "number", number)
        ),
        Some(Target::Window { hall, window }) => format!(
            "{} · {}",
            hall_name(hall.clone()).await,
            ui.t1("complaint-about-window-named", "window", window)
        ),
        Some(Target::Hall { hall }) => hall_name(hall.clone()).await,
        Some(Target::Clerk { staff }) => ui.t1("complaint-about-clerk-named", "staff", staff),
        Some(Target::Service { region }) => office_name(region, 0),
    }
}

pub(crate) async fn view_of(
    state: &AppState,
    ui: &Ui,
    complaint: &Complaint,
    names: &std::collections::HashMap<String, String>,
) -> View {
    let name = |id: &str| names.get(id).cloned().unwrap_or_else(|| id.to_owned());
    let today = state.engine.today();
    let verdict = match complaint.verdict {
        Some(Verdict::Satisfied) => ui.t("complaint-verdict-satisfied"),
        Some(Verdict::Unsatisfied) => ui.t("complaint-verdict-unsatisfied"),
        None => String::new(),
    };
    View {
        number: complaint.number.clone(),
        about: about(state, ui, complaint.target.as_ref()).await,
        channel: complaint
            .channel
            .map(|c| ui.t(&format!("complaint-channel-{}", c.name())))
            .unwrap_or_default(),
        state: ui.t(&format!("complaint-state-{}", complaint.state.name())),
        filed: complaint.filed_at.map(china_time).unwrap_or_default(),
        reply_by: complaint
            .reply_by
            .map(|d| written(ui.lang, d))
            .unwrap_or_default(),
        overdue: complaint.is_overdue(today),
        handled_by: office_name(&complaint.region, complaint.levels_up(today)),
        text: complaint.text.clone(),
        replies: complaint
            .replies
            .iter()
            .map(|r| ReplyView {
                at: china_time(r.at),
                by: name(&r.by),
                round: ui.t1("complaint-round", "round", r.round + 1),
                text: r.text.clone(),
            })
            .collect(),
        verdict,
        replied: complaint.state == ComplaintState::Replied,
        open: complaint.state == ComplaintState::Open,
    }
}

#[derive(Template)]
#[template(path = "documents/complaint_reply.html")]
struct ReplyDocument {
    view: View,
    complainant: String,
    office: String,
    on: String,
}

/// The written answer as a printable document.
pub(crate) async fn reply_document(state: &AppState, ui: &Ui, complaint: &Complaint) -> Response {
    let names = staff_names(state).await;
    let view = view_of(state, ui, complaint, &names).await;
    let on = complaint
        .last_reply()
        .map(|r| {
            r.at.to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::offset(8)))
                .date()
        })
        .map(|d| written(ui.lang, d))
        .unwrap_or_default();
    let complainant = complaint
        .complainant
        .as_ref()
        .map(|c| {
            if c.name.is_empty() {
                ui.t("complaint-complainant-unnamed")
            } else {
                c.name.clone()
            }
        })
        .unwrap_or_default();
    let office = office_name(&complaint.region, complaint.round);
    let page = ReplyDocument {
        view,
        complainant,
        office,
        on,
    };
    render(StatusCode::OK, &page)
}

/// Staff ids to names, for who answered.
pub(crate) async fn staff_names(state: &AppState) -> std::collections::HashMap<String, String> {
    state
        .store
        .list_staff()
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect()
}

/// The status and Fluent key that say why the engine refused a complaint step.
pub(crate) fn problem_key(error: &EngineError) -> (StatusCode, String) {
    match error {
        EngineError::Complaint(c) => (
            StatusCode::CONFLICT,
            format!("complaint-error-{}", c.code().replace('_', "-")),
        ),
        EngineError::Forbidden(_) => (StatusCode::FORBIDDEN, "complaint-forbidden".to_owned()),
        EngineError::UnknownTarget { .. } | EngineError::NoSuchHall { .. } => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "complaint-unknown-target".to_owned(),
        ),
        EngineError::NoSuchCase { .. } => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "complaint-no-case".to_owned(),
        ),
        _ => (StatusCode::SERVICE_UNAVAILABLE, "error-internal".to_owned()),
    }
}
