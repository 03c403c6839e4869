//! Applying online where the guide offers it: a form built from the region's guide,
//! one file input per material (PDF, JPEG or PNG, judged by content), submitted
//! through the engine with the channel of the page (online, mobile or kiosk) and the
//! request id the form was drawn with, so a double click never makes two cases.

use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use yichuang_domain::RegionCode;
use yichuang_domain::case::{Actor, ActorRole, Applicant, CaseError, Submission};
use yichuang_domain::catalog::{Channel, ResolvedGuide};
use yichuang_engine::{EngineError, Request};

use super::citizen::{Citizen, current, to_sign_in};
use super::guide::material_tags;
use super::uploads::{self, FILE_PREFIX, FieldProblem, FileField};
use super::words::channel_key;
use super::{Ui, message, render};
use crate::state::AppState;
use yichuang_store::Draft;

#[derive(Template)]
#[template(path = "public/apply.html")]
struct ApplyPage {
    ui: Ui,
    item: String,
    item_name: String,
    applicant: String,
    region: String,
    channel: &'static str,
    channel_name: String,
    csrf: String,
    request_id: String,
    files: Vec<FileField>,
    problem: Option<String>,
    /// The draft was just saved.
    saved: bool,
}

/// A commitment checkbox is named `commit-<material id>`.
const COMMIT_PREFIX: &str = "commit-";

/// The channel a page was used through: a kiosk, a phone, or the web.
fn channel_of(ui: &Ui, headers: &HeaderMap) -> Channel {
    let mobile = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ua| ua.contains("Mobile"));
    if ui.kiosk {
        Channel::Kiosk
    } else if mobile {
        Channel::Mobile
    } else {
        Channel::Online
    }
}

fn channel_value(channel: Channel) -> &'static str {
    match channel {
        Channel::Kiosk => "kiosk",
        Channel::Mobile => "mobile",
        _ => "online",
    }
}

/// What stands in the way of applying here, as a Fluent key; or the guide.
fn applicable(
    state: &AppState,
    ui: &Ui,
    item: &str,
    channel: Channel,
) -> Result<(RegionCode, ResolvedGuide), &'static str> {
    let region = ui.region.ok_or("apply-choose-region")?;
    let resolved = state
        .catalog
        .catalog
        .resolve(item, region, state.engine.today())
        .map_err(|_| "error-item-not-found")?;
    if !resolved.guide.channels.contains(&channel) {
        return Err("apply-channel-not-offered");
    }
    Ok((region, resolved))
}

fn applicant_of(citizen: &Citizen) -> (Applicant, Option<Applicant>) {
    let session = &citizen.session;
    if session.party_kind == "employer" {
        (
            Applicant::Employer(session.party.clone()),
            session.agent.clone().map(Applicant::Person),
        )
    } else {
        (Applicant::Person(session.party.clone()), None)
    }
}

fn page(
    ui: Ui,
    citizen: &Citizen,
    region: RegionCode,
    resolved: &ResolvedGuide,
    channel: Channel,
    request_id: String,
    problems: &[FieldProblem],
) -> ApplyPage {
    let files = resolved
        .guide
        .materials
        .iter()
        .map(|m| {
            let input = format!("{FILE_PREFIX}{}", m.id);
            FileField {
                commitment: m
                    .commitment_allowed
                    .then(|| format!("{COMMIT_PREFIX}{}", m.id)),
                problem: problems
                    .iter()
                    .find(|p| p.field == input)
                    .map(|p| ui.t(p.key)),
                input,
                name: m.name.clone(),
                tags: material_tags(&ui, m, false),
                saved: None,
                committed: false,
            }
        })
        .collect();
    let (applicant, _) = applicant_of(citizen);
    ApplyPage {
        item: resolved.guide.item.clone(),
        item_name: resolved.guide.name.clone(),
        applicant: format!("{} · {}", citizen.session.name, applicant.masked()),
        region: region.full_name(),
        channel: channel_value(channel),
        channel_name: ui.t(channel_key(channel)),
        csrf: citizen.session.csrf.clone(),
        request_id,
        files,
        problem: problems
            .iter()
            .find(|p| p.field == "form")
            .map(|p| ui.t(p.key)),
        saved: false,
        ui,
    }
}

/// Shows what a draft already holds next to each material.
fn show_draft(page: &mut ApplyPage, draft: &Draft) {
    for field in &mut page.files {
        let material = field.input.trim_start_matches(FILE_PREFIX);
        if let Some(file) = draft.attachments.iter().find(|a| a.material == material) {
            let kind = file
                .media_type
                .rsplit('/')
                .next()
                .unwrap_or_default()
                .to_uppercase();
            field.saved = Some(page.ui.t1(
                "apply-draft-file",
                "file",
                format!("{kind} {} KB", file.bytes.div_ceil(1024)),
            ));
        }
        field.committed = draft.commitments.iter().any(|c| c == material);
    }
}

pub(crate) async fn form(
    State(state): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
    Path(item): Path<String>,
    axum::extract::Query(query): axum::extract::Query<FormQuery>,
) -> Response {
    let Some(citizen) = current(&state, &headers).await else {
        return to_sign_in(&ui.here);
    };
    let channel = channel_of(&ui, &headers);
    let (region, resolved) = match applicable(&state, &ui, &item, channel) {
        Ok(found) => found,
        Err(key) => return message(ui, StatusCode::UNPROCESSABLE_ENTITY, key),
    };
    let request_id = uuid::Uuid::now_v7().to_string();
    let saved = query.saved.is_some();
    let mut page = page(ui, &citizen, region, &resolved, channel, request_id, &[]);
    page.saved = saved;
    if let Ok(Some(draft)) = state.engine.draft(citizen.party(), &item).await {
        show_draft(&mut page, &draft);
    }
    render(StatusCode::OK, &page)
}

#[derive(Debug, serde::Deserialize)]
pub(crate) struct FormQuery {
    saved: Option<String>,
}

pub(crate) async fn submit(
    State(state): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
    Path(item): Path<String>,
    multipart: Multipart,
) -> Response {
    let Some(citizen) = current(&state, &headers).await else {
        return to_sign_in(&format!("/apply/{item}"));
    };
    let guessed = channel_of(&ui, &headers);
    let Ok((_, resolved)) = applicable(&state, &ui, &item, guessed) else {
        return message(
            ui,
            StatusCode::UNPROCESSABLE_ENTITY,
            "apply-channel-not-offered",
        );
    };
    let materials: Vec<String> = resolved
        .guide
        .materials
        .iter()
        .map(|m| m.id.clone())
        .collect();
    let form = uploads::read(multipart, &materials).await;
    if form.field("csrf").is_empty() || form.field("csrf") != citizen.session.csrf {
        return message(ui, StatusCode::FORBIDDEN, "error-form-expired");
    }
    // The page says which channel it was; only the three online ones are taken.
    let channel = match form.field("channel") {
        "online" => Channel::Online,
        "mobile" => Channel::Mobile,
        "kiosk" => Channel::Kiosk,
        _ => {
            return message(
                ui,
                StatusCode::UNPROCESSABLE_ENTITY,
                "apply-channel-not-offered",
            );
        }
    };
    let (region, resolved) = match applicable(&state, &ui, &item, channel) {
        Ok(found) => found,
        Err(key) => return message(ui, StatusCode::UNPROCESSABLE_ENTITY, key),
    };
    let request_id = match form.field("request_id") {
        "" => uuid::Uuid::now_v7().to_string(),
        id => id.to_owned(),
    };
    if !form.problems.is_empty() {
        let page = page(
            ui,
            &citizen,
            region,
            &resolved,
            channel,
            request_id,
            &form.problems,
        );
        return render(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    // A ticked commitment (告知承诺) stands in for a material the guide lets it replace.
    let commitments: Vec<String> = resolved
        .guide
        .materials
        .iter()
        .filter(|m| {
            m.commitment_allowed && form.field(&format!("{COMMIT_PREFIX}{}", m.id)) == "yes"
        })
        .map(|m| m.id.clone())
        .collect();
    if let Some(both) = commitments
        .iter()
        .find(|id| form.files.iter().any(|f| &f.material == *id))
    {
        let problems = [FieldProblem {
            field: format!("{FILE_PREFIX}{both}"),
            key: "apply-file-and-commitment",
        }];
        let page = page(
            ui, &citizen, region, &resolved, channel, request_id, &problems,
        );
        return render(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    let draft = state
        .engine
        .draft(citizen.party(), &item)
        .await
        .ok()
        .flatten()
        .unwrap_or_default();
    let as_draft = form.field("action") == "draft";
    let mut attachments = match uploads::keep(&state, form.files).await {
        Ok(kept) => kept,
        Err(e) => {
            tracing::error!(error = %e, "uploaded files could not be kept");
            return message(ui, StatusCode::INTERNAL_SERVER_ERROR, "error-internal");
        }
    };
    // A file saved in the draft counts unless a new one replaces it or a commitment
    // is ticked instead.
    for saved in draft.attachments {
        if !attachments.iter().any(|a| a.material == saved.material)
            && !commitments.contains(&saved.material)
        {
            attachments.push(saved);
        }
    }
    if as_draft {
        let draft = Draft {
            attachments,
            commitments,
        };
        return match state
            .engine
            .save_draft(citizen.party(), &item, &draft)
            .await
        {
            Ok(()) => Redirect::to(&format!("/apply/{item}?saved=1")).into_response(),
            Err(e) => {
                tracing::error!(error = %e, "a draft could not be saved");
                message(ui, StatusCode::INTERNAL_SERVER_ERROR, "error-internal")
            }
        };
    }
    let materials = attachments.iter().map(|a| a.material.clone()).collect();
    let (applicant, agent) = applicant_of(&citizen);
    let request = Request::Submit {
        item: item.clone(),
        submission: Submission {
            applicant,
            agent,
            channel,
            accepting_region: region,
            handling_region: region,
            materials,
            attachments,
            commitments,
        },
        actor: Actor {
            id: citizen.party().to_owned(),
            role: ActorRole::Applicant,
        },
    };
    match state.engine.execute(&request_id, request).await {
        Ok(answer) => {
            // Sent: the draft has done its job.
            let _ = state.engine.discard_draft(citizen.party(), &item).await;
            Redirect::to(&format!("/my/cases/{}", answer.case_id)).into_response()
        }
        Err(e) => {
            let key = match &e {
                EngineError::Case(CaseError::ChannelNotOffered { .. }) => {
                    "apply-channel-not-offered"
                }
                EngineError::Case(CaseError::ApplicantNotServed { .. }) => "apply-not-served",
                EngineError::Case(_) | EngineError::RequestIdReused { .. } => "case-rule",
                _ => {
                    tracing::error!(error = %e, "an online application failed");
                    "error-internal"
                }
            };
            let problems = [FieldProblem {
                field: "form".to_owned(),
                key,
            }];
            let page = page(
                ui, &citizen, region, &resolved, channel, request_id, &problems,
            );
            render(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
    }
}
