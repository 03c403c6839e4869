//! 标准差 for standards officers and supervisors: every item where a region in reach
//! implements the national standard differently, as a table of items × regions (the
//! promised limit shorter or longer, materials added or dropped, channels missing),
//! with each region's coverage of the national list; from the catalog as in force on
//! the day asked for. Words and arrows carry the meaning; colour only repeats it.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use jiff::civil::Date;
use serde::Deserialize;
use yichuang_domain::RegionCode;
use yichuang_domain::catalog::deviation;

use super::guide::limit_amount;
use super::staff::signed_in;
use super::{Ui, render};
use crate::state::AppState;

/// One cell: what the region changed, in words, and whether it serves people better
/// (shorter, fewer materials), worse, or only differently.
pub(crate) struct Cell {
    pub text: String,
    /// `better`, `worse`, `changed` or `same`, then `heat-1` … `heat-3` for how far
    /// the region is from the standard (the words say by how much).
    pub class: String,
}

/// How far a region is from the standard, 1 (a little) to 3 (a lot): a quarter of the
/// promised limit counts one step, and so does each material added or dropped.
fn heat(percent: Option<i64>, materials: usize) -> u8 {
    let steps = percent.map_or(0, |p| p.unsigned_abs() / 25) + materials as u64;
    steps.clamp(1, 3) as u8
}

pub(crate) struct ItemRow {
    pub name: String,
    pub href: String,
    pub cells: Vec<Cell>,
}

pub(crate) struct RegionColumn {
    pub name: String,
    pub implemented: usize,
    pub items: usize,
    pub online: usize,
}

#[derive(Template)]
#[template(path = "staff/standards.html")]
struct StandardsPage {
    ui: Ui,
    date: String,
    problem: Option<String>,
    regions: Vec<RegionColumn>,
    rows: Vec<ItemRow>,
    area: super::area_coverage::AreaCoverage,
    area_summary: String,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct StandardsQuery {
    #[serde(default)]
    date: String,
}

fn cell(ui: &Ui, d: &yichuang_domain::catalog::Deviation) -> Cell {
    if d.is_empty() {
        return Cell {
            text: ui.t("standards-same"),
            class: "same".to_owned(),
        };
    }
    let mut parts = Vec::new();
    let mut better = 0i32;
    let mut percent = None;
    if let Some(change) = &d.promised {
        let words = |l: &Option<yichuang_domain::catalog::TimeLimit>| {
            l.as_ref()
                .map_or_else(|| ui.t("standards-no-limit"), |l| limit_amount(ui, l))
        };
        let arrow = match change.direction {
            "shorter" => {
                better += 1;
                "↓"
            }
            "longer" => {
                better -= 1;
                "↑"
            }
            _ => "≠",
        };
        // By how much, where both limits count the same unit.
        percent = match (&change.baseline, &change.resolved) {
            (Some(b), Some(r)) if b.unit == r.unit && b.amount > 0 => {
                Some((i64::from(r.amount) - i64::from(b.amount)) * 100 / i64::from(b.amount))
            }
            _ => None,
        };
        let size = percent.map_or_else(String::new, |p| format!("（{p:+}%）"));
        parts.push(format!(
            "{} {arrow} {} → {}{size}",
            ui.t("standards-promised"),
            words(&change.baseline),
            words(&change.resolved)
        ));
    }
    if !d.materials_added.is_empty() {
        better -= 1;
        parts.push(ui.t1("standards-materials-added", "n", d.materials_added.len()));
    }
    if !d.materials_dropped.is_empty() {
        better += 1;
        parts.push(ui.t1(
            "standards-materials-dropped",
            "n",
            d.materials_dropped.len(),
        ));
    }
    if !d.channels_added.is_empty() {
        better += 1;
        parts.push(ui.t1("standards-channels-added", "n", d.channels_added.len()));
    }
    if !d.channels_missing.is_empty() {
        better -= 1;
        parts.push(ui.t1("standards-channels-missing", "n", d.channels_missing.len()));
    }
    Cell {
        text: parts.join("；"),
        class: format!(
            "{} heat-{}",
            match better.signum() {
                1 => "better",
                -1 => "worse",
                _ => "changed",
            },
            heat(percent, d.materials_added.len() + d.materials_dropped.len())
        ),
    }
}

pub(crate) async fn page(
    State(state): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
    Query(query): Query<StandardsQuery>,
) -> Response {
    let Some((staff, _, _)) = signed_in(&state, &headers).await else {
        return Redirect::to("/staff/login").into_response();
    };
    let today = state.engine.today();
    let (date, problem) = match query.date.trim() {
        "" => (today, None),
        text => match text.parse::<Date>() {
            Ok(date) => (date, None),
            Err(_) => (today, Some(ui.t("standards-bad-date"))),
        },
    };
    let catalog = &state.catalog.catalog;
    let in_reach: Vec<RegionCode> = catalog
        .regions()
        .into_iter()
        .filter(|r| staff.jurisdiction.contains(*r))
        .collect();
    let coverage = yichuang_catalog::coverage(catalog, date);
    let regions = in_reach
        .iter()
        .map(|r| {
            let lines = coverage.iter().filter(|c| c.region == Some(*r));
            let (mut items, mut implemented, mut online) = (0, 0, 0);
            for c in lines {
                items += c.items;
                implemented += c.implemented;
                online += c.online;
            }
            RegionColumn {
                name: r.full_name(),
                implemented,
                items,
                online,
            }
        })
        .collect();
    let mut rows = Vec::new();
    for item in catalog.item_ids() {
        let Ok(baseline) = catalog.guide_at(item, date) else {
            continue;
        };
        let deviations: Vec<_> = in_reach
            .iter()
            .map(|r| {
                catalog
                    .resolve(item, *r, date)
                    .map(|resolved| deviation(&resolved, baseline))
                    .ok()
            })
            .collect();
        if deviations.iter().flatten().all(|d| d.is_empty()) {
            continue;
        }
        rows.push(ItemRow {
            name: baseline.name.clone(),
            href: format!("/guides/{item}"),
            cells: deviations
                .iter()
                .map(|d| match d {
                    Some(d) => cell(&ui, d),
                    None => Cell {
                        text: ui.t("standards-not-offered"),
                        class: "worse heat-3".to_owned(),
                    },
                })
                .collect(),
        });
    }
    let area = super::area_coverage::area_coverage(&state, staff.jurisdiction, date).await;
    let area_summary = ui.t2(
        "standards-area-summary",
        ("complete", area.complete),
        ("units", area.units),
    );
    let page = StandardsPage {
        area,
        area_summary,
        date: date.to_string(),
        problem,
        regions,
        rows,
        ui,
    };
    render(StatusCode::OK, &page)
}
