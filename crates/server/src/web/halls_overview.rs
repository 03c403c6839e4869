//! Supervisors' view of the halls in their jurisdiction: every window (who is on it,
//! what it is serving), the queue, today's served count, waits and handling times. It
//! follows each hall's live feed (the same server-sent events as the hall screen) and
//! redraws when a hall changes.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use jiff::Timestamp;
use yichuang_domain::hall::TicketStatus;

use super::staff::signed_in;
use super::{Ui, render};
use crate::state::AppState;

pub(crate) struct WindowRow {
    pub window: String,
    pub clerk: String,
    pub serving: String,
}

pub(crate) struct HallRow {
    pub id: String,
    pub name: String,
    pub windows: Vec<WindowRow>,
    pub waiting: usize,
    pub longest_wait: i64,
    pub served: usize,
    pub missed: usize,
    pub handling: i64,
}

#[derive(Template)]
#[template(path = "staff/halls.html")]
struct HallsPage {
    ui: Ui,
    halls: Vec<HallRow>,
}

pub(crate) async fn page(State(state): State<AppState>, ui: Ui, headers: HeaderMap) -> Response {
    let Some((staff, _, _)) = signed_in(&state, &headers).await else {
        return Redirect::to("/staff/login").into_response();
    };
    let today = state.engine.today();
    let now = Timestamp::now();
    let mut halls = Vec::new();
    for hall in state
        .store
        .halls(&staff.jurisdiction.subtree_prefix())
        .await
        .unwrap_or_default()
    {
        let Ok(day) = state.engine.hall_day(&hall.id, today).await else {
            continue;
        };
        let windows = hall
            .windows
            .iter()
            .map(|w| {
                let session = day.windows.get(&w.number);
                WindowRow {
                    window: w.label.clone(),
                    clerk: session.map_or_else(|| ui.t("halls-closed"), |s| s.clerk_name.clone()),
                    serving: day
                        .serving(w.number)
                        .map(|t| t.number.clone())
                        .unwrap_or_default(),
                }
            })
            .collect();
        let longest_wait = day
            .waiting()
            .map(|t| (now.as_second() - t.queued_at.as_second()) / 60)
            .max()
            .unwrap_or(0);
        halls.push(HallRow {
            id: hall.id.clone(),
            name: hall.name.clone(),
            windows,
            waiting: day.waiting().count(),
            longest_wait: longest_wait.max(0),
            served: day
                .tickets
                .iter()
                .filter(|t| t.status == TicketStatus::Finished)
                .count(),
            missed: day
                .tickets
                .iter()
                .filter(|t| t.status == TicketStatus::Missed)
                .count(),
            handling: day.average_handling_seconds() / 60,
        });
    }
    render(StatusCode::OK, &HallsPage { ui, halls })
}
