//! Rating a service (好差评) from the person's side: the pad or QR code at the window
//! after a ticket is finished, a kiosk, the case page online, and the signed link in
//! a message. One form for all, the level asked first in plain words; the engine
//! decides (one rating per stage, the late window), and a poor rating says when the
//! person will be called back.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use jiff::civil::Date;
use serde::Deserialize;
use yichuang_domain::rating::{
    Indicator, Level, RatingChannel, RatingCommandKind, RatingFile, Stage, Subject,
};
use yichuang_engine::{EngineError, RatingResponse};

use super::citizen::{current, to_sign_in};
use super::dates::written;
use super::form::Pairs;
use super::hall::item_name;
use super::{Ui, message, render};
use crate::outbox::link_is_valid;
use crate::state::AppState;

pub(crate) struct Choice {
    pub value: &'static str,
    pub label: String,
    pub chosen: bool,
}

#[derive(Template)]
#[template(path = "public/rate.html")]
struct RatePage {
    ui: Ui,
    /// What is rated, in words.
    about: String,
    action: String,
    csrf: String,
    nonce: String,
    stage: &'static str,
    levels: Vec<Choice>,
    indicators: Vec<Choice>,
    text: String,
    text_max: usize,
    problem: Option<String>,
    level_missing: bool,
}

#[derive(Template)]
#[template(path = "public/rated.html")]
struct RatedPage {
    ui: Ui,
    level: String,
    call_back: Option<String>,
    back: Option<String>,
}

/// What the person typed, kept when the form is drawn again.
#[derive(Default)]
struct Typed {
    level: String,
    indicators: Vec<String>,
    text: String,
}

fn level_key(level: Level) -> String {
    format!("rating-level-{}", level.name().replace('_', "-"))
}

/// What the form rates (in words), where it posts, and the session's CSRF token (none
/// for the pad, the kiosk and a signed link).
struct FormTarget {
    about: String,
    action: String,
    csrf: String,
}

fn rate_page(
    ui: Ui,
    FormTarget {
        about,
        action,
        csrf,
    }: FormTarget,
    stage: Stage,
    channel: RatingChannel,
    typed: &Typed,
    problem: Option<String>,
) -> RatePage {
    RatePage {
        levels: Level::ALL
            .iter()
            .map(|l| Choice {
                value: l.name(),
                label: ui.t(&level_key(*l)),
                chosen: typed.level == l.name(),
            })
            .collect(),
        indicators: channel
            .indicators()
            .iter()
            .map(|i| Choice {
                value: i.name(),
                label: ui.t(&format!("rating-indicator-{}", i.name().replace('_', "-"))),
                chosen: typed.indicators.iter().any(|t| t == i.name()),
            })
            .collect(),
        level_missing: problem.is_some() && Level::parse(&typed.level).is_none(),
        text: typed.text.clone(),
        text_max: yichuang_domain::rating::RatingPolicy::default().text_max,
        nonce: uuid::Uuid::now_v7().to_string(),
        stage: stage.name(),
        about,
        action,
        csrf,
        problem,
        ui,
    }
}

/// Why the engine refused, in words.
fn problem_of(ui: &Ui, error: &EngineError) -> String {
    match error {
        EngineError::Rating(e) => ui.t(&format!("rating-error-{}", e.code().replace('_', "-"))),
        EngineError::NothingToRate { .. } | EngineError::NoSuchCase { .. } => {
            ui.t("rating-nothing")
        }
        _ => ui.t("error-internal"),
    }
}

fn thanks(ui: Ui, answer: &RatingResponse, back: Option<String>) -> Response {
    let level = answer
        .rating
        .as_ref()
        .map(|r| ui.t(&level_key(r.level)))
        .unwrap_or_default();
    let call_back = answer
        .follow_up
        .as_ref()
        .map(|f| ui.t1("rating-call-back", "day", written(ui.lang, f.contact_by)));
    render(
        StatusCode::OK,
        &RatedPage {
            ui,
            level,
            call_back,
            back,
        },
    )
}

/// The level, indicators and text of a posted form; the level is required.
fn read_form(form: &Pairs) -> (Typed, Option<(Level, Vec<Indicator>)>) {
    let typed = Typed {
        level: form.field("level").to_owned(),
        indicators: form.all("indicator"),
        text: form.field("text").to_owned(),
    };
    let parsed = Level::parse(&typed.level).map(|level| {
        let indicators = typed
            .indicators
            .iter()
            .filter_map(|i| Indicator::parse(i))
            .collect();
        (level, indicators)
    });
    (typed, parsed)
}

/// Sends a posted rating; draws the form again with what was typed when refused.
#[allow(clippy::too_many_arguments)]
async fn submit(
    state: &AppState,
    ui: Ui,
    subject: Subject,
    stage: Stage,
    channel: RatingChannel,
    actor: &str,
    form: &Pairs,
    target: FormTarget,
    back: Option<String>,
) -> Response {
    let (typed, parsed) = read_form(form);
    let Some((level, indicators)) = parsed else {
        let problem = Some(ui.t("rating-choose-level"));
        let page = rate_page(ui, target, stage, channel, &typed, problem);
        return render(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    let nonce: String = form.field("nonce").chars().take(64).collect();
    let kind = RatingCommandKind::Rate {
        stage,
        level,
        indicators,
        text: typed.text.clone(),
        channel,
    };
    let request_id = format!("rate-{}-{nonce}", subject.stream_id());
    match state
        .engine
        .execute_rating(&request_id, subject, kind, actor, None)
        .await
    {
        Ok(answer) => thanks(ui, &answer, back),
        Err(e) => {
            let status = if e.is_client_error() {
                StatusCode::CONFLICT
            } else {
                StatusCode::SERVICE_UNAVAILABLE
            };
            let problem = Some(problem_of(&ui, &e));
            let page = rate_page(ui, target, stage, channel, &typed, problem);
            render(status, &page)
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct Via {
    #[serde(default)]
    via: String,
    /// The window's signature of the visit (`outbox::visit_signature`).
    #[serde(default)]
    sig: String,
}

impl Via {
    fn channel(&self) -> RatingChannel {
        if self.via == "kiosk" {
            RatingChannel::Kiosk
        } else {
            RatingChannel::Pad
        }
    }
}

/// The words a visit is named by, or the answer when it cannot be rated.
async fn visit(
    state: &AppState,
    ui: &Ui,
    (hall, day, number): (&str, &str, &str),
    sig: &str,
) -> Result<(Subject, String, RatingFile), Response> {
    let nothing = || message(ui.clone(), StatusCode::NOT_FOUND, "rating-nothing");
    let signed = crate::outbox::visit_signature_is_valid(
        &state.messages,
        &format!("{hall}/{day}/{number}"),
        sig,
    );
    if !signed {
        return Err(nothing());
    }
    let Ok(day) = day.parse::<Date>() else {
        return Err(nothing());
    };
    let subject = Subject::Ticket {
        hall: hall.to_owned(),
        day,
        number: number.to_owned(),
    };
    let Ok(service) = state.engine.rated_service(&subject).await else {
        return Err(nothing());
    };
    let hall_name = state
        .store
        .hall(hall)
        .await
        .ok()
        .flatten()
        .map_or_else(|| hall.to_owned(), |h| h.name);
    let about = format!(
        "{hall_name} · {number} · {}",
        item_name(state, service.item.as_deref(), ui)
    );
    let file = state.engine.rating_file(&subject).await.map_err(|_| {
        message(
            ui.clone(),
            StatusCode::SERVICE_UNAVAILABLE,
            "error-internal",
        )
    })?;
    Ok((subject, about, file))
}

fn already(ui: Ui, file: &RatingFile, stage: Stage, back: Option<String>) -> Option<Response> {
    let rating = file.rating(stage)?;
    let answer = RatingResponse {
        file: file.id.clone(),
        version: file.version,
        event: "rated".to_owned(),
        stage,
        rating: Some(rating.clone()),
        follow_up: file.follow_up(stage).cloned(),
    };
    Some(thanks(ui, &answer, back))
}

pub(crate) async fn visit_form(
    State(state): State<AppState>,
    ui: Ui,
    Path((hall, day, number)): Path<(String, String, String)>,
    Query(via): Query<Via>,
) -> Response {
    let (_, about, file) = match visit(&state, &ui, (&hall, &day, &number), &via.sig).await {
        Ok(found) => found,
        Err(answer) => return answer,
    };
    if let Some(answer) = already(ui.clone(), &file, Stage::Visit, None) {
        return answer;
    }
    let action = format!(
        "/rate/visit/{hall}/{day}/{number}?via={}&sig={}",
        via.via, via.sig
    );
    let page = rate_page(
        ui,
        FormTarget {
            about,
            action,
            csrf: String::new(),
        },
        Stage::Visit,
        via.channel(),
        &Typed::default(),
        None,
    );
    render(StatusCode::OK, &page)
}

pub(crate) async fn visit_submit(
    State(state): State<AppState>,
    ui: Ui,
    Path((hall, day, number)): Path<(String, String, String)>,
    Query(via): Query<Via>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let (subject, about, _) = match visit(&state, &ui, (&hall, &day, &number), &via.sig).await {
        Ok(found) => found,
        Err(answer) => return answer,
    };
    let channel = via.channel();
    let actor = if channel == RatingChannel::Kiosk {
        "kiosk"
    } else {
        "pad"
    };
    let action = format!(
        "/rate/visit/{hall}/{day}/{number}?via={}&sig={}",
        via.via, via.sig
    );
    submit(
        &state,
        ui,
        subject,
        Stage::Visit,
        channel,
        actor,
        &Pairs(pairs),
        FormTarget {
            about,
            action,
            csrf: String::new(),
        },
        None,
    )
    .await
}

/// The stage of a case still to rate: completion once reached, else acceptance where
/// the handling region rates acceptance.
pub(crate) async fn case_stage_to_rate(state: &AppState, case_id: &str) -> Option<Stage> {
    let subject = Subject::Case {
        case_id: case_id.to_owned(),
    };
    let service = state.engine.rated_service(&subject).await.ok()?;
    let file = state.engine.rating_file(&subject).await.ok()?;
    let policy = yichuang_domain::RegionCode::parse(&service.region)
        .map(|r| state.catalog.catalog.rating_policy(r))
        .unwrap_or_default();
    [Stage::Completion, Stage::Acceptance]
        .into_iter()
        .find(|s| policy.rates(*s) && service.reached(*s).is_some() && file.rating(*s).is_none())
}

async fn case_about(state: &AppState, ui: &Ui, case_id: &str) -> Option<(String, String)> {
    let case = state.engine.case(case_id).await.ok()??;
    let number = crate::outbox::case_number_or_id(state, case_id).await;
    Some((
        format!("{} · {number}", item_name(state, Some(&case.item), ui)),
        case.applicant.id().to_owned(),
    ))
}

pub(crate) async fn case_form(
    State(state): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let Some(citizen) = current(&state, &headers).await else {
        return to_sign_in(&ui.here);
    };
    let Some((about, applicant)) = case_about(&state, &ui, &id).await else {
        return message(ui, StatusCode::NOT_FOUND, "error-not-found");
    };
    if applicant != citizen.party() {
        return message(ui, StatusCode::NOT_FOUND, "error-not-found");
    }
    let Some(stage) = case_stage_to_rate(&state, &id).await else {
        return message(ui, StatusCode::NOT_FOUND, "rating-nothing");
    };
    let page = rate_page(
        ui,
        FormTarget {
            about,
            action: format!("/my/cases/{id}/rate"),
            csrf: citizen.session.csrf.clone(),
        },
        stage,
        RatingChannel::Online,
        &Typed::default(),
        None,
    );
    render(StatusCode::OK, &page)
}

pub(crate) async fn case_submit(
    State(state): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let Some(citizen) = current(&state, &headers).await else {
        return to_sign_in(&format!("/my/cases/{id}"));
    };
    let form = Pairs(pairs);
    if form.field("csrf") != citizen.session.csrf {
        return message(ui, StatusCode::FORBIDDEN, "error-form-expired");
    }
    let Some((about, _)) = case_about(&state, &ui, &id).await else {
        return message(ui, StatusCode::NOT_FOUND, "error-not-found");
    };
    let Some(stage) = Stage::parse(form.field("stage")) else {
        return message(ui, StatusCode::UNPROCESSABLE_ENTITY, "rating-nothing");
    };
    submit(
        &state,
        ui,
        Subject::Case {
            case_id: id.clone(),
        },
        stage,
        RatingChannel::Online,
        &format!("online:{}", citizen.party()),
        &form,
        FormTarget {
            about,
            action: format!("/my/cases/{id}/rate"),
            csrf: citizen.session.csrf.clone(),
        },
        Some(format!("/my/cases/{id}")),
    )
    .await
}

/// The case a message's link names, in words, with its applicant; or the answer when
/// the link is not this server's, has expired, or names no case.
async fn linked_case(
    state: &AppState,
    ui: &Ui,
    case_id: &str,
    expires: i64,
    signature: &str,
) -> Result<(String, String), Response> {
    let now = jiff::Timestamp::now();
    if !link_is_valid(&state.messages, case_id, expires, signature, now) {
        return Err(message(
            ui.clone(),
            StatusCode::NOT_FOUND,
            "inbox-link-invalid",
        ));
    }
    case_about(state, ui, case_id)
        .await
        .ok_or_else(|| message(ui.clone(), StatusCode::NOT_FOUND, "error-not-found"))
}

/// The rating form through a message's signed link: whoever holds the link rates as
/// the applicant it was sent to, without signing in.
pub(crate) async fn link_form(
    State(state): State<AppState>,
    ui: Ui,
    Path((case_id, expires, signature)): Path<(String, i64, String)>,
) -> Response {
    let (about, _) = match linked_case(&state, &ui, &case_id, expires, &signature).await {
        Ok(found) => found,
        Err(answer) => return answer,
    };
    let Some(stage) = case_stage_to_rate(&state, &case_id).await else {
        return message(ui, StatusCode::NOT_FOUND, "rating-nothing");
    };
    let page = rate_page(
        ui,
        FormTarget {
            about,
            action: format!("/m/{case_id}/{expires}/{signature}/rate"),
            csrf: String::new(),
        },
        stage,
        RatingChannel::Link,
        &Typed::default(),
        None,
    );
    render(StatusCode::OK, &page)
}

pub(crate) async fn link_submit(
    State(state): State<AppState>,
    ui: Ui,
    Path((case_id, expires, signature)): Path<(String, i64, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let (about, applicant) = match linked_case(&state, &ui, &case_id, expires, &signature).await {
        Ok(found) => found,
        Err(answer) => return answer,
    };
    let form = Pairs(pairs);
    let Some(stage) = Stage::parse(form.field("stage")) else {
        return message(ui, StatusCode::UNPROCESSABLE_ENTITY, "rating-nothing");
    };
    let path = format!("/m/{case_id}/{expires}/{signature}");
    submit(
        &state,
        ui,
        Subject::Case {
            case_id: case_id.clone(),
        },
        stage,
        RatingChannel::Link,
        &format!("online:{applicant}"),
        &form,
        FormTarget {
            about,
            action: format!("{path}/rate"),
            csrf: String::new(),
        },
        Some(path),
    )
    .await
}
