//! A case at the clerk's or reviewer's desk: what it is, its materials and history,
//! and the commands its state and the reader's role allow, each as a form asking only
//! for what it needs. Every command goes through the engine as the signed-in person;
//! a refusal comes back in words.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use yichuang_domain::case::{Case, CaseError, Command, CommandKind, Staff, commands_for};
use yichuang_engine::{EngineError, Request};
use yichuang_store::EventRecord;

use super::dates::written;
use super::form::Pairs;
use super::my_cases::{DocumentLink, document_links};
use super::progress::{deadline_text, timeline};
use super::staff::{refused, signed_in};
use super::words::{channel_key, state_key};
use super::{Ui, message, render};
use crate::state::AppState;

/// One material of the guide and where the case stands with it.
pub(crate) struct MaterialRow {
    pub id: String,
    pub name: String,
    pub status: String,
    /// Missing and required: the accept form offers 容缺 or 告知承诺 where allowed.
    pub missing: bool,
    pub may_be_provisional: bool,
    pub may_be_committed: bool,
    pub committed_unverified: bool,
}

#[derive(Template)]
#[template(path = "staff/case.html")]
struct CasePage {
    ui: Ui,
    csrf: String,
    nonce: String,
    id: String,
    number: String,
    version: u64,
    item: String,
    state: String,
    applicant: String,
    channel: String,
    regions: String,
    deadline: Option<String>,
    materials: Vec<MaterialRow>,
    steps: Vec<String>,
    /// How the item's rule came out: what it did, then each condition with its values.
    rule: Option<super::rule_view::RuleView>,
    documents: Vec<DocumentLink>,
    commands: Vec<&'static str>,
    problem: Option<String>,
    /// Arrived from a window serving this ticket: finishing it can name the case.
    ticket: Option<(String, String, u32)>,
    /// The same, as it came (`hall/window/number`), carried through the forms.
    ticket_param: String,
}

/// The case by id or human-readable number, if the reader may see it.
async fn readable(state: &AppState, staff: &Staff, key: &str) -> Option<(Case, Vec<EventRecord>)> {
    let id = match state.store.case_id_by_number(key).await.ok().flatten() {
        Some(id) => id,
        None => key.to_owned(),
    };
    let case = state.engine.case(&id).await.ok()??;
    staff.may_read(&case).ok()?;
    let events = state.engine.events(&id).await.ok()?;
    Some((case, events))
}

fn material_rows(ui: &Ui, case: &Case) -> Vec<MaterialRow> {
    let missing = case.missing_materials();
    case.guide
        .guide
        .materials
        .iter()
        .map(|m| {
            let pending = case.pending.iter().find(|p| p.material == m.id);
            let status = if case.provided.contains(&m.id) {
                ui.t("desk-material-provided")
            } else if case.commitments.contains(&m.id) {
                ui.t("desk-material-committed")
            } else if let Some(p) = pending {
                ui.t1(
                    "desk-material-pending",
                    "date",
                    written(ui.lang, p.supply_by),
                )
            } else if m.fetchable {
                ui.t("desk-material-fetched")
            } else if m.required {
                ui.t("desk-material-missing")
            } else {
                ui.t("desk-material-optional")
            };
            MaterialRow {
                id: m.id.clone(),
                name: m.name.clone(),
                status,
                missing: missing.contains(&m.id),
                may_be_provisional: !m.key,
                may_be_committed: m.commitment_allowed,
                committed_unverified: case.unverified_commitments.contains(&m.id),
            }
        })
        .collect()
}

#[derive(Debug, Deserialize)]
pub(crate) struct CaseQuery {
    problem: Option<String>,
    /// `hall/window/number` when opened from a window serving that ticket.
    ticket: Option<String>,
}

pub(crate) async fn case_page(
    State(state): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
    Path(key): Path<String>,
    Query(query): Query<CaseQuery>,
) -> Response {
    let Some((staff, csrf, _)) = signed_in(&state, &headers).await else {
        return Redirect::to("/staff/login").into_response();
    };
    let Some((case, events)) = readable(&state, &staff, &key).await else {
        return message(ui, StatusCode::NOT_FOUND, "error-not-found");
    };
    let number = state
        .store
        .case_number(&case.id)
        .await
        .ok()
        .flatten()
        .unwrap_or_else(|| case.id.clone());
    let commands = commands_for(&case, staff.actor_role())
        .into_iter()
        .filter(|name| *name != "recompute_deadlines")
        .filter(|name| *name != "lapse_provisional" || !case.pending.is_empty())
        .filter(|name| *name != "verify_commitment" || !case.unverified_commitments.is_empty())
        // Offered only where the rules could take them: a notice or a supplement needs
        // something missing, handling on the spot an on-the-spot item.
        .filter(|name| {
            !matches!(*name, "issue_notice" | "supplement") || !case.missing_materials().is_empty()
        })
        .filter(|name| {
            *name != "complete_on_the_spot"
                || case.guide.guide.kind == yichuang_domain::catalog::ItemKind::OnTheSpot
        })
        .collect();
    let problem = query
        .problem
        .filter(|key| key.starts_with("desk-error-") || key == "error-internal")
        .map(|key| ui.t(&key))
        .filter(|text| !text.starts_with("desk-error-"));
    let ticket_param = query.ticket.clone().unwrap_or_default();
    let ticket = query.ticket.and_then(|t| {
        let mut parts = t.splitn(3, '/');
        let hall = parts.next()?.to_owned();
        let window = parts.next()?.parse().ok()?;
        let number = parts.next()?.to_owned();
        Some((hall, number, window))
    });
    let page = CasePage {
        csrf,
        nonce: uuid::Uuid::now_v7().to_string(),
        id: case.id.clone(),
        number,
        version: case.version,
        item: case.guide.guide.name.clone(),
        state: ui.t(state_key(case.state)),
        applicant: case.applicant.masked(),
        channel: ui.t(channel_key(case.channel)),
        regions: if case.accepting_region == case.handling_region {
            case.handling_region.full_name()
        } else {
            super::i18n::text_with(
                ui.lang,
                "desk-regions",
                &[
                    ("accepting", case.accepting_region.full_name()),
                    ("handling", case.handling_region.full_name()),
                ],
            )
        },
        deadline: deadline_text(&state, &ui, &case),
        materials: material_rows(&ui, &case),
        steps: timeline(&ui, &events),
        rule: super::rule_view::rule_view(
            &ui,
            &case,
            &events,
            case.guide
                .guide
                .decided_by
                .as_ref()
                .and_then(|r| state.catalog.policy(&r.policy))
                .map(|p| p.name.as_str()),
        ),
        documents: document_links(&ui, &events),
        commands,
        problem,
        ticket,
        ticket_param,
        ui,
    };
    render(StatusCode::OK, &page)
}

fn number(text: &str, default: u32) -> Result<u32, &'static str> {
    match text.trim() {
        "" => Ok(default),
        t => t.parse().map_err(|_| "desk-error-number"),
    }
}

fn yes_no(text: &str, problem: &'static str) -> Result<bool, &'static str> {
    match text {
        "yes" => Ok(true),
        "no" => Ok(false),
        _ => Err(problem),
    }
}

/// The command a form asks for, or the key of what is wrong with it.
fn command_of(form: &Pairs) -> Result<CommandKind, &'static str> {
    let reason = || form.field("reason").trim().to_owned();
    let method = || form.field("method").trim().to_owned();
    Ok(match form.field("command") {
        "issue_notice" => CommandKind::IssueNotice,
        "accept" => {
            let choice = |kind: &str| -> Vec<String> {
                let mut chosen: Vec<String> = form
                    .prefixed("m-")
                    .filter(|(_, v)| *v == kind)
                    .map(|(material, _)| material.to_owned())
                    .collect();
                chosen.sort();
                chosen
            };
            CommandKind::Accept {
                provisional: choice("provisional"),
                commitments: choice("commitment"),
                supply_within_days: number(form.field("supply_within_days"), 5)?,
            }
        }
        "supplement" => CommandKind::Supplement {
            materials: form.all("handed_in"),
            attachments: Vec::new(),
        },
        "refuse" => CommandKind::Refuse { reason: reason() },
        "start_review" => CommandKind::StartReview,
        "decide" => CommandKind::Decide {
            grant: yes_no(form.field("grant"), "desk-error-grant")?,
            reason: reason(),
            legal_basis: form
                .field("legal_basis")
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect(),
        },
        "complete" => CommandKind::Complete { method: method() },
        "complete_on_the_spot" => CommandKind::CompleteOnTheSpot { method: method() },
        "withdraw" => CommandKind::Withdraw { reason: reason() },
        "suspend" => CommandKind::Suspend { reason: reason() },
        "resume" => CommandKind::Resume { reason: reason() },
        "extend" => CommandKind::Extend {
            days: number(form.field("days"), 0)?,
            reason: reason(),
        },
        "verify_commitment" => CommandKind::VerifyCommitment {
            material: form.field("material").to_owned(),
            truthful: yes_no(form.field("truthful"), "desk-error-truthful")?,
        },
        "lapse_provisional" => CommandKind::LapseProvisional,
        _ => return Err("desk-error-command"),
    })
}

/// The key of a refusal's plain-words text.
pub(crate) fn problem_key(error: &EngineError) -> String {
    match error {
        EngineError::Case(CaseError::Calendar(_)) | EngineError::Store(_) | EngineError::Closed => {
            "error-internal".to_owned()
        }
        EngineError::Case(e) => format!("desk-error-{}", e.code().replace('_', "-")),
        EngineError::Forbidden(_) => "desk-error-forbidden".to_owned(),
        _ => "desk-error-other".to_owned(),
    }
}

/// Back to the case page, with the problem's key and the ticket being served, if any.
fn back(id: &str, problem: Option<&str>, ticket: &str) -> Response {
    let mut query: Vec<(&str, &str)> = Vec::new();
    if let Some(key) = problem {
        query.push(("problem", key));
    }
    if !ticket.is_empty() {
        query.push(("ticket", ticket));
    }
    let mut path = format!("/staff/cases/{}", urlencode(id));
    if !query.is_empty() {
        path.push('?');
        path.push_str(&serde_urlencoded::to_string(&query).unwrap_or_default());
    }
    Redirect::to(&path).into_response()
}

fn urlencode(text: &str) -> String {
    serde_urlencoded::to_string([("", text)])
        .map(|s| s.trim_start_matches('=').to_owned())
        .unwrap_or_default()
}

pub(crate) async fn command(
    State(state): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
    Path(key): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let form = Pairs(pairs);
    let Some((staff, csrf, _)) = signed_in(&state, &headers).await else {
        return Redirect::to("/staff/login").into_response();
    };
    if csrf != form.field("csrf") {
        return refused(ui, StatusCode::FORBIDDEN, "staff-csrf");
    }
    let Some((case, _)) = readable(&state, &staff, &key).await else {
        return message(ui, StatusCode::NOT_FOUND, "error-not-found");
    };
    let kind = match command_of(&form) {
        Ok(kind) => kind,
        Err(problem) => return back(&case.id, Some(problem), form.field("ticket")),
    };
    let nonce: String = form.field("nonce").chars().take(64).collect();
    let Ok(expected_version) = form.field("version").parse() else {
        return back(&case.id, Some("desk-error-number"), form.field("ticket"));
    };
    let request = Request::Command {
        case_id: case.id.clone(),
        command: Command {
            expected_version,
            actor: yichuang_domain::case::Actor {
                id: staff.id.clone(),
                role: staff.actor_role(),
            },
            kind,
        },
    };
    match state
        .engine
        .execute_as(&staff, &format!("desk-{nonce}"), request)
        .await
    {
        Ok(_) => back(&case.id, None, form.field("ticket")),
        Err(e) => back(&case.id, Some(&problem_key(&e)), form.field("ticket")),
    }
}

/// A document of the case, printable, for staff who may read the case.
pub(crate) async fn document(
    State(state): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
    Path((key, seq)): Path<(String, u64)>,
) -> Response {
    let Some((staff, _, _)) = signed_in(&state, &headers).await else {
        return Redirect::to("/staff/login").into_response();
    };
    let Some((case, events)) = readable(&state, &staff, &key).await else {
        return message(ui, StatusCode::NOT_FOUND, "error-not-found");
    };
    let number = state.store.case_number(&case.id).await.ok().flatten();
    match events
        .iter()
        .find(|e| e.event.seq == seq)
        .and_then(|e| crate::documents::render(&case, &e.event, number.as_deref()))
    {
        Some(html) => Html(html).into_response(),
        None => message(ui, StatusCode::NOT_FOUND, "error-not-found"),
    }
}
