//! Choosing a region: provinces, then the divisions of the one picked, down to a
//! county; each level can be chosen as it is. Plain links, no script.

use askama::Template;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use yichuang_domain::{Level, RegionCode};

use super::ui::local_path;
use super::{Ui, render};

pub(crate) struct RegionLink {
    pub code: String,
    pub name: String,
}

impl RegionLink {
    fn of(region: RegionCode) -> RegionLink {
        RegionLink {
            code: region.to_string(),
            name: region.full_name(),
        }
    }

    fn short(region: RegionCode) -> RegionLink {
        RegionLink {
            code: region.to_string(),
            name: region.name().to_owned(),
        }
    }
}

#[derive(Template)]
#[template(path = "public/region.html")]
struct RegionPage {
    ui: Ui,
    back: String,
    problem: Option<String>,
    parent: Option<RegionLink>,
    children: Vec<RegionLink>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct RegionQuery {
    code: Option<String>,
    #[serde(default)]
    back: String,
}

pub(crate) async fn choose(ui: Ui, Query(query): Query<RegionQuery>) -> Response {
    let back = local_path(&query.back).to_owned();
    let parsed = query.code.as_deref().map(RegionCode::parse);
    let (status, problem, parent) = match (query.code.as_deref(), parsed) {
        (Some(_), Some(Ok(region))) => (StatusCode::OK, None, Some(region)),
        (Some(code), Some(Err(_))) => (
            StatusCode::NOT_FOUND,
            Some(ui.t1(
                "region-bad",
                "code",
                code.chars().take(12).collect::<String>(),
            )),
            None,
        ),
        _ => (StatusCode::OK, None, None),
    };
    // Counties are as far down as a guide goes: townships are not offered.
    let children: Vec<RegionLink> = match parent {
        Some(region) if region.level() != Level::County && region.level() != Level::Township => {
            region.children().map(RegionLink::short).collect()
        }
        Some(_) => Vec::new(),
        None => RegionCode::provinces().map(RegionLink::short).collect(),
    };
    let page = RegionPage {
        ui,
        back,
        problem,
        parent: parent.map(RegionLink::of),
        children,
    };
    render(status, &page)
}
