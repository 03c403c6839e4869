//! 差评整改 at the desk: the follow-ups of poor ratings in the staff member's reach,
//! overdue ones red (and, above the county, marked as escalated to this level); one
//! rating with its follow-up, the steps allowed (contact, close one of three ways,
//! appeal, decide an appeal); and a rating recorded for a caller on the 12333 line.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use jiff::civil::Date;
use serde::Deserialize;
use yichuang_domain::case::Staff;
use yichuang_domain::rating::{
    AppealGround, Closure, Level, RatedService, Rater, RatingChannel, RatingCommandKind,
    RatingFile, Stage, Subject,
};
use yichuang_store::FollowUpRow;

use super::dates::written;
use super::form::Pairs;
use super::hall::item_name;
use super::staff::signed_in;
use super::{Ui, message, render};
use crate::state::AppState;

pub(crate) struct Row {
    pub href: String,
    pub about: String,
    pub level: String,
    pub stage: String,
    pub contact_by: String,
    pub close_by: String,
    pub status: String,
    pub overdue: bool,
    /// Overdue in a region below this staff member's: escalated to this level.
    pub escalated: bool,
    pub appeal: String,
}

#[derive(Template)]
#[template(path = "staff/ratings.html")]
struct ListPage {
    ui: Ui,
    csrf: String,
    nonce: String,
    rows: Vec<Row>,
    all: bool,
    problem: Option<String>,
    done: Option<String>,
}

#[derive(Template)]
#[template(path = "staff/rating.html")]
struct FilePage {
    ui: Ui,
    csrf: String,
    nonce: String,
    id: String,
    stage: &'static str,
    about: String,
    facts: Vec<(String, String)>,
    /// The steps taken, in words, oldest first.
    steps: Vec<String>,
    may_contact: bool,
    may_close: bool,
    may_appeal: bool,
    may_decide: bool,
    rectify_by: String,
    /// What a refused form held, drawn again in it.
    typed: Typed,
    problem: Option<String>,
}

/// A refused step's fields, so nothing typed is lost.
#[derive(Default)]
pub(crate) struct Typed {
    pub action: String,
    pub text: String,
    pub way: String,
    pub ground: String,
    pub upheld: String,
    pub by: String,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct ListQuery {
    #[serde(default)]
    show: String,
    #[serde(default)]
    problem: String,
    #[serde(default)]
    done: String,
}

fn level_words(ui: &Ui, level: &str) -> String {
    ui.t(&format!("rating-level-{}", level.replace('_', "-")))
}

/// A rated service in words: the case's number and item, or the hall and ticket.
async fn about(
    state: &AppState,
    ui: &Ui,
    subject: &Subject,
    service: Option<&RatedService>,
) -> String {
    let item = item_name(state, service.and_then(|s| s.item.as_deref()), ui);
    match subject {
        Subject::Case { case_id } => {
            let number = crate::outbox::case_number_or_id(state, case_id).await;
            format!("{} {number} · {item}", ui.t("ratings-case"))
        }
        Subject::Ticket { hall, number, .. } => {
            let hall = state
                .store
                .hall(hall)
                .await
                .ok()
                .flatten()
                .map_or_else(|| hall.clone(), |h| h.name);
            format!("{hall} · {number} · {item}")
        }
    }
}

fn status_of(ui: &Ui, row: &FollowUpRow) -> String {
    ui.t(match (row.contacted, row.closed) {
        (_, true) => "ratings-status-closed",
        (true, false) => "ratings-status-to-close",
        (false, false) => "ratings-status-to-contact",
    })
}

pub(crate) async fn list(
    State(state): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
    Query(query): Query<ListQuery>,
) -> Response {
    let Some((staff, csrf, _)) = signed_in(&state, &headers).await else {
        return Redirect::to("/staff/login").into_response();
    };
    let all = query.show == "all";
    let reach = staff.jurisdiction.to_string();
    let prefix = staff.jurisdiction.subtree_prefix();
    let found = state
        .store
        .follow_ups(&prefix, all, 200)
        .await
        .unwrap_or_default();
    let today = state.engine.today();
    let mut rows = Vec::with_capacity(found.len());
    for row in found {
        let Some(subject) = Subject::from_stream_id(&row.file) else {
            continue;
        };
        let file = state.engine.rating_file(&subject).await.ok();
        let late = row.overdue_on(today);
        let date = |d: &str| {
            d.parse::<Date>()
                .map_or_else(|_| d.to_owned(), |d| written(ui.lang, d))
        };
        rows.push(Row {
            href: format!(
                "/staff/ratings/file?id={}&stage={}",
                urlencoding(&row.file),
                row.stage
            ),
            about: about(
                &state,
                &ui,
                &subject,
                file.as_ref().and_then(|f| f.service.as_ref()),
            )
            .await,
            level: level_words(&ui, &row.level),
            stage: ui.t(&format!("ratings-stage-{}", row.stage)),
            contact_by: date(&row.contact_by),
            close_by: date(&row.close_by),
            status: status_of(&ui, &row),
            overdue: late,
            escalated: late && row.region != reach,
            appeal: match row.appeal.as_str() {
                "" => String::new(),
                other => ui.t(&format!("ratings-appeal-{other}")),
            },
        });
    }
    let words = |key: &str, prefix: &str| {
        Some(key.to_owned())
            .filter(|k| k.starts_with(prefix))
            .map(|k| ui.t(&k))
            .filter(|t| !t.starts_with(prefix))
    };
    let page = ListPage {
        csrf,
        nonce: uuid::Uuid::now_v7().to_string(),
        rows,
        all,
        problem: words(&query.problem, "rating"),
        done: words(&query.done, "ratings-"),
        ui: ui.clone(),
    };
    render(StatusCode::OK, &page)
}

fn urlencoding(text: &str) -> String {
    serde_urlencoded::to_string([("x", text)])
        .map(|s| s.trim_start_matches("x=").to_owned())
        .unwrap_or_default()
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct FileQuery {
    #[serde(default)]
    id: String,
    #[serde(default)]
    stage: String,
    #[serde(default)]
    problem: String,
}

fn steps_of(
    ui: &Ui,
    file: &RatingFile,
    stage: Stage,
    name: &dyn Fn(&str) -> String,
) -> Vec<String> {
    let mut steps = Vec::new();
    let when = |at: jiff::Timestamp| {
        at.to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::offset(8)))
            .strftime("%Y-%m-%d %H:%M")
            .to_string()
    };
    if let Some(f) = file.follow_up(stage) {
        if let (Some(at), Some(by)) = (f.contacted_at, f.contacted_by.as_deref().map(name)) {
            steps.push(format!(
                "{} · {} · {by}：{}",
                when(at),
                ui.t("ratings-contacted"),
                f.contact_note
            ));
        }
        if let (Some(closure), Some(at), Some(by)) =
            (&f.closure, f.closed_at, f.closed_by.as_deref().map(name))
        {
            let (way, text) = match closure {
                Closure::FixedAtOnce { text } => (ui.t("ratings-way-fixed"), text.clone()),
                Closure::Ledger { text, by } => (
                    format!(
                        "{}（{}）",
                        ui.t("ratings-way-ledger"),
                        written(ui.lang, *by)
                    ),
                    text.clone(),
                ),
                Closure::Explained { text } => (ui.t("ratings-way-explained"), text.clone()),
            };
            let timely = ui.t(if f.on_time == Some(true) {
                "ratings-on-time"
            } else {
                "ratings-late"
            });
            steps.push(format!("{} · {way} · {by}：{text}（{timely}）", when(at)));
        }
    }
    if let Some(a) = file.appeal(stage) {
        let ground = ui.t(match a.ground {
            AppealGround::Mistaken => "ratings-ground-mistaken",
            AppealGround::Malicious => "ratings-ground-malicious",
        });
        steps.push(format!(
            "{} · {} · {}：{ground}，{}",
            when(a.at),
            ui.t("ratings-appealed"),
            a.by,
            a.text
        ));
        if let (Some(upheld), Some(by)) = (a.upheld, &a.decided_by) {
            let outcome = ui.t(if upheld {
                "ratings-appeal-upheld"
            } else {
                "ratings-appeal-rejected"
            });
            steps.push(format!("{outcome} · {by}：{}", a.reason));
        }
    }
    steps
}

async fn file_page(
    state: &AppState,
    ui: Ui,
    staff: &Staff,
    csrf: String,
    id: &str,
    stage_text: &str,
    (problem, typed): (Option<String>, Typed),
) -> Response {
    let (Some(subject), Some(stage)) = (Subject::from_stream_id(id), Stage::parse(stage_text))
    else {
        return message(ui, StatusCode::NOT_FOUND, "error-not-found");
    };
    let Ok(file) = state.engine.rating_file(&subject).await else {
        return message(ui, StatusCode::SERVICE_UNAVAILABLE, "error-internal");
    };
    let (Some(rating), Some(service)) = (file.rating(stage), file.service.as_ref()) else {
        return message(ui, StatusCode::NOT_FOUND, "error-not-found");
    };
    let in_reach = yichuang_domain::RegionCode::parse(&service.region)
        .is_ok_and(|r| staff.jurisdiction.contains(r));
    if !in_reach {
        return message(ui, StatusCode::NOT_FOUND, "error-not-found");
    }
    let supervisor = staff.role == yichuang_domain::catalog::Role::Supervisor;
    let follow_up = file.follow_up(stage);
    let open = follow_up.is_some_and(|f| f.is_open());
    let appeal = file.appeal(stage);
    let mut facts = vec![
        (
            ui.t("ratings-level"),
            ui.t(&format!(
                "rating-level-{}",
                rating.level.name().replace('_', "-")
            )),
        ),
        (
            ui.t("ratings-stage"),
            ui.t(&format!("ratings-stage-{}", stage.name())),
        ),
        (
            ui.t("ratings-channel"),
            ui.t(&format!("ratings-channel-{}", rating.channel.name())),
        ),
    ];
    let names: std::collections::HashMap<String, String> = state
        .store
        .list_staff()
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    let name = |id: &str| names.get(id).cloned().unwrap_or_else(|| id.to_owned());
    match &rating.rater {
        Rater::OnBehalf { staff } => facts.push((ui.t("ratings-recorded-by"), name(staff))),
        Rater::Default { after_days } => facts.push((
            ui.t("ratings-default"),
            ui.t1("ratings-default-after", "days", after_days),
        )),
        Rater::Person { .. } => {}
    }
    if !rating.indicators.is_empty() {
        let named: Vec<String> = rating
            .indicators
            .iter()
            .map(|i| ui.t(&format!("rating-indicator-{}", i.name().replace('_', "-"))))
            .collect();
        facts.push((ui.t("ratings-indicators"), named.join("、")));
    }
    if !rating.text.is_empty() {
        facts.push((ui.t("ratings-text"), rating.text.clone()));
    }
    if let Some(f) = follow_up {
        facts.push((ui.t("ratings-contact-by"), written(ui.lang, f.contact_by)));
        facts.push((ui.t("ratings-close-by"), written(ui.lang, f.close_by)));
    }
    if rating.excluded {
        facts.push((ui.t("ratings-excluded"), ui.t("ratings-excluded-yes")));
    }
    let today = state.engine.today();
    let region = yichuang_domain::RegionCode::parse(&service.region).ok();
    let rectify_by = state
        .engine
        .calendar()
        .add_working_days(
            today,
            region
                .map(|r| state.catalog.catalog.rating_policy(r))
                .unwrap_or_default()
                .rectify_days,
            region,
        )
        .unwrap_or(today);
    let page = FilePage {
        csrf,
        nonce: uuid::Uuid::now_v7().to_string(),
        id: id.to_owned(),
        stage: stage.name(),
        about: about(state, &ui, &subject, Some(service)).await,
        facts,
        steps: steps_of(&ui, &file, stage, &name),
        may_contact: supervisor && open && follow_up.is_some_and(|f| f.contacted_at.is_none()),
        may_close: supervisor && open && follow_up.is_some_and(|f| f.contacted_at.is_some()),
        // The office whose work was rated appeals; its supervisor decides.
        may_appeal: !supervisor && rating.level.is_poor() && appeal.is_none(),
        may_decide: supervisor && appeal.is_some_and(|a| a.upheld.is_none() && a.by != staff.id),
        rectify_by: if typed.by.is_empty() {
            rectify_by.to_string()
        } else {
            typed.by.clone()
        },
        typed,
        problem,
        ui,
    };
    render(StatusCode::OK, &page)
}

pub(crate) async fn file(
    State(state): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
    Query(query): Query<FileQuery>,
) -> Response {
    let Some((staff, csrf, _)) = signed_in(&state, &headers).await else {
        return Redirect::to("/staff/login").into_response();
    };
    let problem = Some(query.problem.clone())
        .filter(|k| k.starts_with("rating-"))
        .map(|k| ui.t(&k))
        .filter(|t| !t.starts_with("rating-"));
    let shown = (problem, Typed::default());
    file_page(&state, ui, &staff, csrf, &query.id, &query.stage, shown).await
}

/// The command a posted step asks for, or the key of what is wrong with the form.
fn command_of(form: &Pairs, stage: Stage) -> Result<RatingCommandKind, &'static str> {
    let text = form.field("text").to_owned();
    Ok(match form.field("action") {
        "contact" => RatingCommandKind::Contact { stage, note: text },
        "close" => {
            if text.is_empty() {
                return Err("rating-error-no-text");
            }
            let closure = match form.field("way") {
                "fixed_at_once" => Closure::FixedAtOnce { text },
                "explained" => Closure::Explained { text },
                "ledger" => Closure::Ledger {
                    text,
                    by: form
                        .field("by")
                        .parse()
                        .map_err(|_| "rating-error-bad-rectify-date")?,
                },
                _ => return Err("ratings-choose-way"),
            };
            RatingCommandKind::Close { stage, closure }
        }
        "appeal" => RatingCommandKind::Appeal {
            stage,
            ground: match form.field("ground") {
                "malicious" => AppealGround::Malicious,
                "mistaken" => AppealGround::Mistaken,
                _ => return Err("ratings-choose-ground"),
            },
            text,
        },
        "decide" => RatingCommandKind::DecideAppeal {
            stage,
            upheld: match form.field("upheld") {
                "yes" => true,
                "no" => false,
                _ => return Err("ratings-choose-outcome"),
            },
            reason: text,
        },
        _ => return Err("error-not-found"),
    })
}

pub(crate) async fn act(
    State(state): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let (staff, csrf, form) = match super::form::staff_post(&state, &ui, &headers, pairs).await {
        Ok(sent) => sent,
        Err(answer) => return answer,
    };
    let nonce: String = form.field("nonce").chars().take(64).collect();
    let request_id = format!("desk-rating-{nonce}");
    if form.field("action") == "phone" {
        return phone(&state, &staff, &form, &request_id).await;
    }
    let id = form.field("id").to_owned();
    let stage_text = form.field("stage").to_owned();
    let (Some(subject), Some(stage)) = (Subject::from_stream_id(&id), Stage::parse(&stage_text))
    else {
        return message(ui, StatusCode::NOT_FOUND, "error-not-found");
    };
    let outcome = match command_of(&form, stage) {
        Ok(kind) => state
            .engine
            .execute_rating(&request_id, subject, kind, "", Some(&staff))
            .await
            .map_err(|e| problem_key(&e)),
        Err(key) => Err((StatusCode::UNPROCESSABLE_ENTITY, key.to_owned())),
    };
    match outcome {
        Ok(_) => Redirect::to(&format!(
            "/staff/ratings/file?id={}&stage={}",
            urlencoding(&id),
            stage.name()
        ))
        .into_response(),
        Err((status, key)) => {
            let typed = Typed {
                action: form.field("action").to_owned(),
                text: form.field("text").to_owned(),
                way: form.field("way").to_owned(),
                ground: form.field("ground").to_owned(),
                upheld: form.field("upheld").to_owned(),
                by: form.field("by").to_owned(),
            };
            let shown = (Some(ui.t(&key)), typed);
            let mut answer =
                file_page(&state, ui.clone(), &staff, csrf, &id, &stage_text, shown).await;
            *answer.status_mut() = status;
            answer
        }
    }
}

/// A rating for a caller on the 12333 line, by case number: marked as recorded by the
/// clerk, who may not be the one whose work it rates.
async fn phone(state: &AppState, staff: &Staff, form: &Pairs, request_id: &str) -> Response {
    let back = |key: &str, done: bool| {
        let field = if done { "done" } else { "problem" };
        Redirect::to(&format!("/staff/ratings?{field}={key}")).into_response()
    };
    let Some(level) = Level::parse(form.field("level")) else {
        return back("rating-choose-level", false);
    };
    let number = form.field("case");
    let case_id = match state.store.case_id_by_number(number).await {
        Ok(Some(id)) => id,
        _ => return back("ratings-no-case", false),
    };
    let Some(stage) = super::rating::case_stage_to_rate(state, &case_id).await else {
        return back("rating-nothing", false);
    };
    let kind = RatingCommandKind::Rate {
        stage,
        level,
        indicators: Vec::new(),
        text: form.field("text").to_owned(),
        channel: RatingChannel::Phone,
    };
    match state
        .engine
        .execute_rating(request_id, Subject::Case { case_id }, kind, "", Some(staff))
        .await
    {
        Ok(_) => back("ratings-recorded", true),
        Err(e) => back(&problem_key(&e).1, false),
    }
}

/// The status and Fluent key that say why the engine refused a step.
fn problem_key(error: &yichuang_engine::EngineError) -> (StatusCode, String) {
    match error {
        yichuang_engine::EngineError::Rating(r) => (
            StatusCode::CONFLICT,
            format!("rating-error-{}", r.code().replace('_', "-")),
        ),
        yichuang_engine::EngineError::Forbidden(_) => {
            (StatusCode::FORBIDDEN, "ratings-forbidden".to_owned())
        }
        _ => (StatusCode::SERVICE_UNAVAILABLE, "error-internal".to_owned()),
    }
}
