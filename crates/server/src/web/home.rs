//! The front page (search box, life events, projects) and the lists behind them.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use yichuang_domain::catalog::Guide;

use super::{Ui, message, render};
use crate::error::Lang;
use crate::state::AppState;

pub(crate) struct Link {
    pub id: String,
    pub name: String,
    pub count: usize,
}

#[derive(Template)]
#[template(path = "public/home.html")]
struct HomePage {
    ui: Ui,
    query: String,
    life_events: Vec<Link>,
    projects: Vec<Link>,
}

/// One item in a list: its id for the link, its name and one line about it.
pub(crate) struct ItemLine {
    pub item: String,
    pub name: String,
    pub summary: String,
}

impl ItemLine {
    pub(crate) fn of(guide: &Guide) -> ItemLine {
        ItemLine {
            item: guide.item.clone(),
            name: guide.name.clone(),
            summary: guide.summary.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "public/item_list.html")]
struct ItemListPage {
    ui: Ui,
    heading: String,
    lead: Option<String>,
    illustrative: bool,
    items: Vec<ItemLine>,
}

pub(crate) async fn home(State(state): State<AppState>, ui: Ui) -> Response {
    let catalog = &state.catalog.catalog;
    let guides = catalog.guides_at(state.engine.today());
    let life_events = catalog
        .life_events
        .iter()
        .map(|event| Link {
            id: event.id.clone(),
            name: match ui.lang {
                Lang::Zh => event.name.clone(),
                Lang::En => event.name_en.clone(),
            },
            count: event.items.len(),
        })
        .collect();
    let projects = catalog
        .projects
        .iter()
        .map(|project| Link {
            id: project.id.clone(),
            name: project.name.clone(),
            count: guides.iter().filter(|g| g.project == project.id).count(),
        })
        .collect();
    render(
        StatusCode::OK,
        &HomePage {
            ui,
            query: String::new(),
            life_events,
            projects,
        },
    )
}

pub(crate) async fn project(
    State(state): State<AppState>,
    ui: Ui,
    Path(project): Path<String>,
) -> Response {
    let catalog = &state.catalog.catalog;
    let Some(found) = catalog.projects.iter().find(|p| p.id == project) else {
        return message(ui, StatusCode::NOT_FOUND, "error-not-found");
    };
    let items = catalog
        .guides_at(state.engine.today())
        .into_iter()
        .filter(|g| g.project == found.id)
        .map(ItemLine::of)
        .collect();
    let page = ItemListPage {
        heading: ui.t1("project-title", "name", &found.name),
        lead: found.note.clone(),
        illustrative: found.provenance.is_illustrative(),
        items,
        ui,
    };
    render(StatusCode::OK, &page)
}

pub(crate) async fn life_event(
    State(state): State<AppState>,
    ui: Ui,
    Path(event): Path<String>,
) -> Response {
    let catalog = &state.catalog.catalog;
    let Some(found) = catalog.life_events.iter().find(|e| e.id == event) else {
        return message(ui, StatusCode::NOT_FOUND, "error-not-found");
    };
    let today = state.engine.today();
    let items = found
        .items
        .iter()
        .filter_map(|item| catalog.guide_at(item, today).ok())
        .map(ItemLine::of)
        .collect();
    let name = match ui.lang {
        Lang::Zh => &found.name,
        Lang::En => &found.name_en,
    };
    let page = ItemListPage {
        heading: ui.t1("life-event-title", "name", name),
        lead: Some(ui.t("life-event-lead")),
        illustrative: found.provenance.is_illustrative(),
        items,
        ui,
    };
    render(StatusCode::OK, &page)
}
