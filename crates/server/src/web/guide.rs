//! An item's guide for the chosen region (or the national standard when none is
//! chosen), with all sixteen elements in plain words, the date a deadline would fall
//! on if the case were accepted today, and the halls that handle it. `?print=1` is the
//! same page laid out for A4.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use jiff::civil::Date;
use serde::Deserialize;
use yichuang_domain::RegionCode;
use yichuang_domain::calendar::Calendar;
use yichuang_domain::catalog::{
    Applicant, Channel, Guide, ItemKind, LimitUnit, Material, MaterialForm, Origin, StatutoryLimit,
    StepKind, TimeLimit,
};

use super::words::channel_key;
use super::{Ui, message, render};
use crate::state::AppState;

pub(crate) struct Tag {
    pub text: String,
    pub key: bool,
}

pub(crate) struct MaterialView {
    pub name: String,
    pub amount: String,
    pub tags: Vec<Tag>,
    pub issuer: String,
}

pub(crate) struct LimitView {
    pub label: String,
    pub amount: String,
    pub start: Option<String>,
    pub if_today: Option<String>,
}

pub(crate) struct HallView {
    pub name: String,
    pub address: String,
}

/// Everything the guide page shows, already in the reader's words.
pub(crate) struct GuideView {
    pub item: String,
    /// The guide offers an online channel (web, phone or kiosk).
    pub online: bool,
    pub name: String,
    pub region_note: String,
    pub illustrative: bool,
    pub version: String,
    pub summary: String,
    pub scope: String,
    pub applicant: String,
    pub kind: String,
    pub conditions: Vec<String>,
    pub materials: Vec<MaterialView>,
    pub dropped: Vec<String>,
    pub limits: Vec<LimitView>,
    pub channels: Vec<String>,
    pub visits: String,
    pub steps: Vec<(String, String)>,
    pub halls: Vec<HallView>,
    pub fee: String,
    pub result: String,
    pub delivery: String,
    pub basis: Vec<String>,
    pub consultation: String,
    pub progress_query: String,
    pub complaint: String,
}

/// The guide's content, the same for everyone reading it in one language.
#[derive(Template)]
#[template(path = "public/guide_body.html")]
struct GuideBody<'a> {
    ui: &'a Ui,
    guide: &'a GuideView,
}

/// The guide's content inside the page's frame, which differs per reader.
#[derive(Template)]
#[template(path = "public/guide.html")]
struct GuidePage {
    ui: Ui,
    print: bool,
    title: Arc<str>,
    body: Arc<str>,
}

/// How long a rendered guide body is reused (its halls come from the store).
const PAGE_FRESH: std::time::Duration = std::time::Duration::from_secs(60);

#[derive(Debug, Deserialize)]
pub(crate) struct GuideQuery {
    print: Option<String>,
}

pub(crate) async fn guide(
    State(state): State<AppState>,
    ui: Ui,
    Path(item): Path<String>,
    Query(query): Query<GuideQuery>,
) -> Response {
    let today = state.engine.today();
    let key = (item.clone(), ui.region, today, ui.lang);
    let cached = state.guide_pages.lock().ok().and_then(|mut cache| {
        cache
            .get(&key)
            .filter(|(made, _, _)| made.elapsed() < PAGE_FRESH)
            .map(|(_, title, body)| (title.clone(), body.clone()))
    });
    let (title, body) = match cached {
        Some(found) => found,
        None => {
            let Some(view) = view_of(&state, &ui, &item, today).await else {
                return message(ui, StatusCode::NOT_FOUND, "error-item-not-found");
            };
            let rendered = match (GuideBody {
                ui: &ui,
                guide: &view,
            })
            .render()
            {
                Ok(html) => html,
                Err(e) => {
                    tracing::error!(error = %e, "a guide failed to render");
                    return message(ui, StatusCode::INTERNAL_SERVER_ERROR, "error-internal");
                }
            };
            let made: (Arc<str>, Arc<str>) = (view.name.into(), rendered.into());
            if let Ok(mut cache) = state.guide_pages.lock() {
                cache.put(
                    key,
                    (std::time::Instant::now(), made.0.clone(), made.1.clone()),
                );
            }
            made
        }
    };
    let page = GuidePage {
        ui,
        print: query.print.is_some(),
        title,
        body,
    };
    render(StatusCode::OK, &page)
}

/// The guide of `item` for the reader's region (or the national one), in their words.
async fn view_of(state: &AppState, ui: &Ui, item: &str, today: Date) -> Option<GuideView> {
    let catalog = &state.catalog.catalog;
    match ui.region {
        Some(region) => {
            let resolved = catalog.resolve(item, region, today).ok()?;
            let local_materials: Vec<bool> = resolved
                .materials
                .iter()
                .map(|m| m.origin != Origin::National)
                .collect();
            let mut view = describe(
                ui,
                &resolved.guide,
                &local_materials,
                state.engine.calendar(),
                Some(region),
                today,
            );
            view.region_note = ui.t1("guide-region-note", "region", region.full_name());
            view.illustrative = resolved.is_illustrative();
            view.dropped = resolved
                .dropped
                .iter()
                .map(|d| {
                    super::i18n::text_with(
                        ui.lang,
                        "guide-local-dropped",
                        &[("name", d.name.clone()), ("reason", d.reason.clone())],
                    )
                })
                .collect();
            view.halls.extend(registered_halls(state, region).await);
            Some(view)
        }
        None => {
            let guide = catalog.guide_at(item, today).ok()?;
            let national = vec![false; guide.materials.len()];
            Some(describe(
                ui,
                guide,
                &national,
                state.engine.calendar(),
                None,
                today,
            ))
        }
    }
}

/// Halls registered in the store for the region and below, with their addresses.
async fn registered_halls(state: &AppState, region: RegionCode) -> Vec<HallView> {
    match state.store.halls(&region.subtree_prefix()).await {
        Ok(halls) => halls
            .into_iter()
            .map(|h| HallView {
                name: h.name,
                address: h.address,
            })
            .collect(),
        Err(e) => {
            tracing::warn!(error = %e, "halls could not be read for a guide page");
            Vec::new()
        }
    }
}

fn describe(
    ui: &Ui,
    guide: &Guide,
    local_materials: &[bool],
    calendar: &Calendar,
    region: Option<RegionCode>,
    today: Date,
) -> GuideView {
    let or_not_stated = |value: &Option<String>| {
        value
            .clone()
            .filter(|v| !v.trim().is_empty())
            .unwrap_or_else(|| ui.t("guide-not-stated"))
    };
    GuideView {
        item: guide.item.clone(),
        online: guide
            .channels
            .iter()
            .any(|c| matches!(c, Channel::Online | Channel::Mobile | Channel::Kiosk)),
        name: guide.name.clone(),
        region_note: ui.t("guide-national-note"),
        illustrative: guide.provenance.is_illustrative(),
        version: super::i18n::text_with(
            ui.lang,
            "guide-version",
            &[
                ("version", guide.version.to_string()),
                ("date", guide.effective.to_string()),
            ],
        ),
        summary: guide.summary.clone(),
        scope: guide.scope.clone(),
        applicant: ui.t(match guide.applicant {
            Applicant::Person => "applicant-person",
            Applicant::Employer => "applicant-employer",
            Applicant::PersonOrEmployer => "applicant-either",
        }),
        kind: ui.t(match guide.kind {
            ItemKind::OnTheSpot => "kind-on-the-spot",
            ItemKind::Promised => "kind-promised",
        }),
        conditions: guide.conditions.clone(),
        materials: guide
            .materials
            .iter()
            .zip(local_materials.iter().chain(std::iter::repeat(&false)))
            .map(|(m, local)| material(ui, m, *local))
            .collect(),
        dropped: Vec::new(),
        limits: limits(ui, guide, calendar, region, today),
        channels: guide
            .channels
            .iter()
            .map(|c| ui.t(channel_key(*c)))
            .collect(),
        visits: match guide.visits {
            Some(0) => ui.t("guide-visits-zero"),
            Some(n) => ui.t1("guide-visits-count", "count", n),
            None => ui.t("guide-not-stated"),
        },
        steps: guide
            .steps
            .iter()
            .map(|s| {
                // Chinese descriptions already begin with the step's name (受理：…).
                let label = ui.t(step_key(s.kind));
                let label = if s.description.starts_with(&label) {
                    String::new()
                } else {
                    label
                };
                (label, s.description.clone())
            })
            .collect(),
        halls: guide
            .halls
            .iter()
            .map(|name| HallView {
                name: name.clone(),
                address: String::new(),
            })
            .collect(),
        fee: guide
            .fee
            .clone()
            .filter(|f| !f.trim().is_empty())
            .unwrap_or_else(|| ui.t("guide-fee-none")),
        result: or_not_stated(&guide.result),
        delivery: if guide.delivery.is_empty() {
            ui.t("guide-not-stated")
        } else {
            guide.delivery.join("；")
        },
        basis: guide.basis.iter().map(|b| b.0.clone()).collect(),
        consultation: or_not_stated(&guide.consultation),
        progress_query: or_not_stated(&guide.progress_query),
        complaint: or_not_stated(&guide.complaint),
    }
}

fn material(ui: &Ui, m: &Material, local: bool) -> MaterialView {
    let form = ui.t(match m.form {
        MaterialForm::Original => "material-form-original",
        MaterialForm::Copy => "material-form-copy",
        MaterialForm::OriginalAndCopy => "material-form-original-and-copy",
        MaterialForm::Electronic => "material-form-electronic",
    });
    MaterialView {
        name: m.name.clone(),
        amount: format!("{} · {form}", ui.t1("material-count", "count", m.count)),
        tags: material_tags(ui, m, local),
        issuer: ui.t1("material-issuer", "issuer", &m.issuer),
    }
}

/// What a material's marks say: key, may follow later (容缺), may be replaced by a
/// commitment (告知承诺), fetched by the office, added by the region.
pub(crate) fn material_tags(ui: &Ui, m: &Material, local: bool) -> Vec<Tag> {
    let tag = |key: &str, is_key: bool| Tag {
        text: ui.t(key),
        key: is_key,
    };
    let mut tags = Vec::new();
    if !m.required {
        tags.push(tag("material-optional", false));
    } else if m.key {
        tags.push(tag("material-key", true));
    } else {
        tags.push(tag("material-can-follow", false));
    }
    if m.commitment_allowed {
        tags.push(tag("material-commitment", false));
    }
    if m.fetchable {
        tags.push(tag("material-fetchable", false));
    }
    if local {
        tags.push(tag("material-origin-local", false));
    }
    tags
}

fn limits(
    ui: &Ui,
    guide: &Guide,
    calendar: &Calendar,
    region: Option<RegionCode>,
    today: Date,
) -> Vec<LimitView> {
    let mut out = Vec::new();
    if let Some(limit) = &guide.acceptance {
        out.push(limit_view(
            ui,
            "limit-acceptance",
            limit,
            calendar,
            region,
            today,
        ));
    }
    match &guide.statutory {
        StatutoryLimit::Set(limit) => {
            out.push(limit_view(
                ui,
                "limit-statutory",
                limit,
                calendar,
                region,
                today,
            ));
        }
        StatutoryLimit::NoneByLaw { note } => out.push(LimitView {
            label: ui.t("limit-statutory"),
            amount: ui.t1("limit-none-by-law", "note", note),
            start: None,
            if_today: None,
        }),
        StatutoryLimit::Unknown => out.push(LimitView {
            label: ui.t("limit-statutory"),
            amount: ui.t("limit-unknown"),
            start: None,
            if_today: None,
        }),
    }
    if let Some(limit) = &guide.promised {
        out.push(limit_view(
            ui,
            "limit-promised",
            limit,
            calendar,
            region,
            today,
        ));
    }
    out
}

/// A limit's amount in words (`10 个工作日`, `当场办结`).
pub(crate) fn limit_amount(ui: &Ui, limit: &TimeLimit) -> String {
    match limit.unit {
        LimitUnit::WorkingDays => ui.t1("limit-amount-working", "amount", limit.amount),
        LimitUnit::CalendarDays => ui.t1("limit-amount-calendar", "amount", limit.amount),
        LimitUnit::OnTheSpot => ui.t("limit-on-the-spot"),
    }
}

fn limit_view(
    ui: &Ui,
    label: &str,
    limit: &TimeLimit,
    calendar: &Calendar,
    region: Option<RegionCode>,
    today: Date,
) -> LimitView {
    let amount = limit_amount(ui, limit);
    let if_today = limit.unit.period().and_then(|unit| {
        let deadline = calendar.deadline(today, limit.amount, unit, region).ok()?;
        let key = if calendar.is_provisional(deadline) {
            "limit-if-today-provisional"
        } else {
            "limit-if-today"
        };
        Some(ui.t1(key, "date", super::dates::written(ui.lang, deadline)))
    });
    LimitView {
        label: ui.t(label),
        amount,
        start: (!limit.start.trim().is_empty())
            .then(|| ui.t1("limit-start", "start", &limit.start)),
        if_today,
    }
}

fn step_key(kind: StepKind) -> &'static str {
    match kind {
        StepKind::Accept => "step-accept",
        StepKind::Review => "step-review",
        StepKind::Decide => "step-decide",
        StepKind::Complete => "step-complete",
    }
}
