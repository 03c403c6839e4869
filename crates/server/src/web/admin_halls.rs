//! Administrators' halls page: the halls of their jurisdiction with windows and
//! appointment rules, adding a hall, and changing a hall's rules (the same checks as
//! `yichuang admin hall`). Halls are configuration, written to the store directly.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use yichuang_domain::RegionCode;
use yichuang_domain::case::Staff;
use yichuang_domain::catalog::Role;
use yichuang_domain::hall::Schedule;
use yichuang_store::{Hall, HallKind, HallWindow};

use super::staff::{refused, signed_in};
use super::{Ui, render};
use crate::state::AppState;

pub(crate) struct HallLine {
    pub id: String,
    pub name: String,
    pub region: String,
    pub kind: String,
    pub windows: usize,
    pub hours: String,
    pub slot_minutes: u32,
    pub public: u32,
    pub intern: u32,
}

#[derive(Template)]
#[template(path = "staff/admin_halls.html")]
struct AdminHalls {
    ui: Ui,
    csrf: String,
    halls: Vec<HallLine>,
    /// What is wrong, by field name.
    problems: Vec<(String, String)>,
    done: Option<String>,
    /// Hours as last typed for a hall whose rules were refused (kept for correcting).
    typed: Option<(String, String)>,
}

impl AdminHalls {
    fn hours_of<'a>(&'a self, hall: &'a HallLine) -> &'a str {
        match &self.typed {
            Some((id, text)) if *id == hall.id => text,
            _ => &hall.hours,
        }
    }

    fn problem(&self, field: &str) -> Option<&str> {
        self.problems
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, p)| p.as_str())
    }
}

fn is_admin(staff: &Staff) -> bool {
    staff.role == Role::Administrator
}

async fn lines(state: &AppState, ui: &Ui, staff: &Staff) -> Vec<HallLine> {
    let mut lines = Vec::new();
    for hall in state
        .store
        .halls(&staff.jurisdiction.subtree_prefix())
        .await
        .unwrap_or_default()
    {
        let schedule = state
            .store
            .hall_schedule(&hall.id)
            .await
            .unwrap_or_default();
        lines.push(HallLine {
            region: RegionCode::parse(&hall.region)
                .map_or_else(|_| hall.region.clone(), |r| r.full_name()),
            kind: ui.t(match hall.kind {
                HallKind::Hall => "admin-kind-hall",
                HallKind::BankOutlet => "admin-kind-bank",
            }),
            windows: hall.windows.len(),
            hours: schedule.hours_text(),
            slot_minutes: schedule.slot_minutes,
            public: schedule.public_windows,
            intern: schedule.intern_windows,
            id: hall.id,
            name: hall.name,
        });
    }
    lines
}

async fn show(
    state: &AppState,
    ui: Ui,
    staff: &Staff,
    csrf: String,
    problems: Vec<(String, String)>,
    done: Option<String>,
    typed: Option<(String, String)>,
) -> Response {
    let status = if problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = AdminHalls {
        halls: lines(state, &ui, staff).await,
        csrf,
        problems,
        done,
        typed,
        ui,
    };
    render(status, &page)
}

pub(crate) async fn page(State(state): State<AppState>, ui: Ui, headers: HeaderMap) -> Response {
    let Some((staff, csrf, _)) = signed_in(&state, &headers).await else {
        return Redirect::to("/staff/login").into_response();
    };
    if !is_admin(&staff) {
        return refused(ui, StatusCode::FORBIDDEN, "admin-only");
    }
    show(&state, ui, &staff, csrf, Vec::new(), None, None).await
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
    if !is_admin(&staff) {
        return refused(ui, StatusCode::FORBIDDEN, "admin-only");
    }
    let field = |name: &str| form.field(name).to_owned();
    let mut problems: Vec<(String, String)> = Vec::new();
    let mut problem = |field: &str, text: String| problems.push((field.to_owned(), text));
    let number = |name: &str, low: u32, high: u32| -> Option<u32> {
        field(name)
            .parse::<u32>()
            .ok()
            .filter(|n| (low..=high).contains(n))
    };
    match field("action").as_str() {
        "add" => {
            let id = field("id");
            if id.is_empty()
                || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                || id.len() > 40
            {
                problem("id", ui.t("admin-error-id"));
            } else if state.store.hall(&id).await.ok().flatten().is_some() {
                problem("id", ui.t("admin-error-id-taken"));
            }
            let region = RegionCode::parse(&field("region"))
                .ok()
                .filter(|r| staff.jurisdiction.contains(*r));
            if region.is_none() {
                problem("region", ui.t("admin-error-region"));
            }
            if field("name").is_empty() {
                problem("name", ui.t("admin-error-name"));
            }
            let windows = number("windows", 1, 200);
            if windows.is_none() {
                problem("windows", ui.t("admin-error-windows"));
            }
            if let (true, Some(region), Some(windows)) = (problems.is_empty(), region, windows) {
                let hall = Hall {
                    id: id.clone(),
                    region: region.to_string(),
                    name: field("name"),
                    kind: if field("kind") == "bank_outlet" {
                        HallKind::BankOutlet
                    } else {
                        HallKind::Hall
                    },
                    address: field("address"),
                    windows: (1..=windows)
                        .map(|n| HallWindow {
                            number: n,
                            label: format!("{n}号窗口"),
                        })
                        .collect(),
                };
                if state.store.add_hall(&hall).await.is_err() {
                    return refused(ui, StatusCode::INTERNAL_SERVER_ERROR, "error-internal");
                }
                let done = ui.t1("admin-added", "id", &id);
                return show(&state, ui, &staff, csrf, Vec::new(), Some(done), None).await;
            }
        }
        "schedule" => {
            let id = field("hall");
            let reachable = lines(&state, &ui, &staff).await.iter().any(|h| h.id == id);
            if !reachable {
                return refused(ui, StatusCode::NOT_FOUND, "hall-none");
            }
            let mut schedule: Schedule = state.store.hall_schedule(&id).await.unwrap_or_default();
            match Schedule::parse_hours(&field("hours")) {
                Ok(hours) => schedule.hours = hours,
                Err(e) => problem(
                    &format!("hours-{id}"),
                    super::i18n::text_with(
                        ui.lang,
                        &format!("admin-hours-{}", e.code()),
                        &[("index", e.index.to_string()), ("text", e.text.clone())],
                    ),
                ),
            }
            match (
                number("slot_minutes", 5, 120),
                number("public", 0, 50),
                number("intern", 0, 50),
            ) {
                (Some(slot), Some(public), Some(intern)) => {
                    schedule.slot_minutes = slot;
                    schedule.public_windows = public;
                    schedule.intern_windows = intern;
                }
                _ => problem(&format!("numbers-{id}"), ui.t("admin-error-numbers")),
            }
            if problems.is_empty() {
                if state.store.set_hall_schedule(&id, &schedule).await.is_err() {
                    return refused(ui, StatusCode::INTERNAL_SERVER_ERROR, "error-internal");
                }
                let done = ui.t1("admin-scheduled", "id", &id);
                return show(&state, ui, &staff, csrf, Vec::new(), Some(done), None).await;
            }
        }
        _ => problem("action", ui.t("hall-form-action")),
    }
    let typed = (field("action") == "schedule").then(|| (field("hall"), field("hours")));
    show(&state, ui, &staff, csrf, problems, None, typed).await
}
