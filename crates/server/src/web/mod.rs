//! The pages: server-rendered HTML from askama templates (`crates/server/templates/`),
//! interface text from Fluent files, one stylesheet, no JavaScript needed. Every page
//! is drawn inside the same layout with a `<main>`, the language and senior-mode
//! switches and the chosen region.

mod admin_halls;
mod apply;
mod area_coverage;
mod assets;
mod booking;
mod chart;
mod citizen;
mod complaint;
mod complaint_my;
mod dates;
mod desk;
mod desk_bookings;
mod desk_complaints;
mod desk_ratings;
mod effect;
mod escalated;
mod figures;
mod form;
mod guide;
mod hall;
mod halls_overview;
mod home;
mod i18n;
mod inbox;
mod intake;
mod kiosk;
mod my_cases;
mod oidc;
mod paging;
mod prefs;
mod proactive;
mod progress;
mod publicity;
mod qr;
mod rating;
mod ratings_public;
mod region;
mod rule_view;
mod search;
mod staff;
mod standards;
mod stars;
mod ui;
mod uploads;
mod window;
mod words;

use askama::Template;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};

pub(crate) use oidc::Oidc;
pub use oidc::OidcConfig;
pub(crate) use ui::Ui;

use crate::error::Lang;
use crate::protection::RetryAfter;
use crate::state::AppState;

/// A date as a Chinese message writes it (2026年12月7日).
pub(crate) fn dates_written(date: jiff::civil::Date) -> String {
    dates::written(Lang::Zh, date)
}

/// The public pages; the caller puts them behind the per-client limit.
pub(crate) fn public_pages() -> Router<AppState> {
    Router::new()
        .route("/", get(home::home))
        .route("/search", get(search::search))
        .route("/projects/{project}", get(home::project))
        .route("/life-events/{event}", get(home::life_event))
        .route("/guides/{item}", get(guide::guide))
        .route("/region", get(region::choose))
        .route("/preferences", post(prefs::set))
        .route("/progress", get(progress::progress))
        .route("/signin", get(citizen::sign_in_page))
        .route("/signin/demo", post(citizen::demo_sign_in))
        .route("/signin/oidc", get(oidc::start))
        .route("/signin/callback", get(oidc::callback))
        .route("/signout", post(citizen::sign_out))
        .route("/my", get(my_cases::my_cases))
        .route("/my/inbox", get(inbox::inbox))
        .route("/m/{case}/{expires}/{signature}", get(inbox::link))
        .route(
            "/r/{number}/{expires}/{signature}",
            get(complaint_my::answer_by_link),
        )
        .route(
            "/m/{case}/{expires}/{signature}/rate",
            get(rating::link_form).post(rating::link_submit),
        )
        .route(
            "/my/cases/{id}/rate",
            get(rating::case_form).post(rating::case_submit),
        )
        .route(
            "/rate/visit/{hall}/{day}/{number}",
            get(rating::visit_form).post(rating::visit_submit),
        )
        .route("/my/cases/{id}", get(my_cases::my_case))
        .route("/my/cases/{id}/withdraw", post(my_cases::withdraw))
        .route("/my/cases/{id}/documents/{seq}", get(my_cases::my_document))
        .route(
            "/my/cases/{id}/supplement",
            post(my_cases::supplement).layer(DefaultBodyLimit::max(uploads::MAX_FORM_BYTES)),
        )
        .route(
            "/apply/{item}",
            get(apply::form)
                .post(apply::submit)
                .layer(DefaultBodyLimit::max(uploads::MAX_FORM_BYTES)),
        )
        .route(
            "/halls/{hall}/ticket",
            get(hall::ticket_form).post(hall::take_ticket),
        )
        .route("/halls/{hall}/tickets/{number}", get(hall::ticket_page))
        .route("/halls/{hall}/display", get(hall::display))
        .route(
            "/halls/{hall}/appointments",
            get(booking::page).post(booking::book),
        )
        .route("/halls/{hall}/check-in", post(booking::check_in))
        .route(
            "/my/complaints",
            get(complaint_my::list).post(complaint_my::file),
        )
        .route(
            "/my/complaints/{number}",
            get(complaint_my::show).post(complaint_my::judge),
        )
        .route("/my/complaints/{number}/reply", get(complaint_my::reply))
        .route("/my/appointments", get(booking::mine))
        .route("/my/appointments/cancel", post(booking::cancel))
        .route("/my/appointments/move", post(booking::move_booking))
        .route("/ratings", get(ratings_public::page))
        .route("/halls/{hall}/stars", get(stars::hall_windows))
        .route("/ratings.csv", get(ratings_public::csv_file))
        .route("/kiosk", get(kiosk::start))
        .route("/kiosk/reset", get(kiosk::reset))
        .route("/kiosk/leave", post(kiosk::leave))
}

/// The staff's pages: sign in, workbench, sign out (sign-in has its own throttles).
pub(crate) fn staff_pages() -> Router<AppState> {
    Router::new()
        .route("/staff/login", get(staff::login_page).post(staff::login))
        .route("/staff/logout", post(staff::logout))
        .route("/staff", get(staff::home))
        .route("/staff/window", get(window::page).post(window::act))
        .route("/staff/intake", get(intake::form).post(intake::submit))
        .route(
            "/staff/bookings",
            get(desk_bookings::page).post(desk_bookings::act),
        )
        .route("/staff/halls", get(halls_overview::page))
        .route(
            "/staff/ratings",
            get(desk_ratings::list).post(desk_ratings::act),
        )
        .route(
            "/staff/complaints",
            get(desk_complaints::list).post(desk_complaints::record),
        )
        .route(
            "/staff/complaints/{number}",
            get(desk_complaints::show).post(desk_complaints::act),
        )
        .route(
            "/staff/complaints/{number}/reply",
            get(desk_complaints::reply),
        )
        .route("/staff/standards", get(standards::page))
        .route("/staff/proactive", get(proactive::page))
        .route("/staff/proactive/decide", post(proactive::decide))
        .route("/staff/proactive/object", post(proactive::take_objection))
        .route("/proactive/{policy}/{year}", get(publicity::page))
        .route(
            "/proactive/{policy}/{year}/list.csv",
            get(publicity::csv_file),
        )
        .route(
            "/proactive/{policy}/{year}/object",
            get(publicity::objection_form).post(publicity::object),
        )
        .route("/staff/figures", get(figures::page))
        .route("/staff/figures.csv", get(figures::csv_file))
        .route("/staff/figures/effect", get(effect::page))
        .route("/staff/ratings/file", get(desk_ratings::file))
        .route("/staff/ratings/models", get(stars::clerks))
        .route(
            "/staff/admin/halls",
            get(admin_halls::page).post(admin_halls::act),
        )
        .route(
            "/staff/cases/{id}",
            get(desk::case_page).post(desk::command),
        )
        .route("/staff/cases/{id}/documents/{seq}", get(desk::document))
}

/// The call displays' live feeds: long-lived, so outside the per-client limit (a
/// reconnect every few seconds would spend it); one per screen.
pub(crate) fn display_feeds() -> Router<AppState> {
    Router::new().route("/halls/{hall}/display/events", get(hall::display_events))
}

/// Files every page uses; cacheable, outside the per-client limit.
pub(crate) fn asset_routes() -> Router<AppState> {
    Router::new().route("/assets/{name}", get(assets::asset))
}

/// Renders a page, or a plain apology if the template fails (it never should: the
/// templates are checked when the server is compiled).
pub(crate) fn render(status: StatusCode, page: &impl Template) -> Response {
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "a page failed to render");
            (StatusCode::INTERNAL_SERVER_ERROR, Html("<!doctype html><title>500</title><p>系统出了点问题，请稍后再试。Something went wrong.</p>")).into_response()
        }
    }
}

/// A page that only says something: not found, too many requests, a failure.
#[derive(Template)]
#[template(path = "public/message.html")]
pub(crate) struct MessagePage {
    pub ui: Ui,
    pub heading: String,
    pub message: String,
    pub back: String,
}

pub(crate) fn message(ui: Ui, status: StatusCode, key: &str) -> Response {
    let page = MessagePage {
        heading: ui.t("error-title"),
        message: ui.t(key),
        back: "/".to_owned(),
        ui,
    };
    render(status, &page)
}

/// The page answer to a client over its request budget (the limit runs before the
/// page's own extractors, so only the language is known).
pub(crate) fn too_many(lang: Lang, retry: RetryAfter) -> Response {
    let ui = Ui {
        lang,
        senior: false,
        kiosk: false,
        region: None,
        here: "/".to_owned(),
    };
    let page = MessagePage {
        heading: ui.t("error-title"),
        message: ui.t1("error-too-many", "seconds", retry.seconds()),
        back: "/".to_owned(),
        ui,
    };
    let mut response = render(StatusCode::TOO_MANY_REQUESTS, &page);
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(retry.seconds()));
    response
}
