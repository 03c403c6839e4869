//! 公示 of a 免申即享 list, public: the employers (or the certificates' holders) a
//! policy found for a year with their amounts, the period, and, for a signed-in person
//! while the list is public, a form to object to one line (the objection goes to the
//! supervisors through the engine). Employers are shown by name; a person only by the
//! masked identity number (`ResidentId::masked`: the full number never reaches the
//! page, the CSV or the search). How far to mask a person on a public list is our
//! choice: no published rule for these lists was found.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use yichuang_domain::facts::Cents;
use yichuang_domain::proactive::{GrantList, ListCommand, OBJECTION_MAX};
use yichuang_engine::EngineError;

use super::citizen::{current, to_sign_in};
use super::dates::written;
use super::form::Pairs;
use super::{Ui, message, render};
use crate::state::AppState;

pub(crate) struct Line {
    pub id: String,
    pub name: String,
    pub region: String,
    pub amount: String,
    /// In words: listed, objection under review, granted, not granted.
    pub status: String,
}

#[derive(Template)]
#[template(path = "public/publicity.html")]
struct PublicityPage {
    ui: Ui,
    policy: String,
    /// The lines are certificates' holders, not employers.
    of_persons: bool,
    year: i16,
    title: String,
    period: String,
    open: bool,
    /// This page's lines (of those matching the search).
    lines: Vec<Line>,
    /// Lines on the list, and those matching the search.
    total: usize,
    matching: usize,
    q: String,
    page: usize,
    pages: usize,
    /// "Page 2 of 10", in words.
    page_of: String,
    /// A page number that was not one, in words.
    problem: Option<String>,
    done: bool,
    /// For a signed-in person or employer: their own lines (None when not signed in),
    /// so nobody has to find themselves among masked numbers to learn they will be paid.
    mine: Option<Vec<Line>>,
}

/// Lines a page shows: a long list is read on a phone, page by page.
#[derive(Template)]
#[template(path = "public/objection.html")]
struct ObjectionPage {
    ui: Ui,
    policy: String,
    year: i16,
    title: String,
    id: String,
    employer: String,
    csrf: String,
    nonce: String,
    text: String,
    problem: Option<String>,
    text_max: usize,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct ListQuery {
    #[serde(default)]
    done: String,
    #[serde(default)]
    id: String,
    /// Part of an employer's name or credit code.
    #[serde(default)]
    q: String,
    #[serde(default)]
    page: String,
}

/// A published list with its policy's name, and whether its lines are persons.
struct Published {
    list: GrantList,
    title: String,
    of_persons: bool,
}

async fn published(state: &AppState, policy: &str, year: &str) -> Option<Published> {
    let year: i16 = year.parse().ok()?;
    let found = state.catalog.policy(policy)?;
    let title = found.name.clone();
    let of_persons =
        found.rule.schema.subject == yichuang_domain::facts::PERSON_CERTIFICATE.subject;
    let list = state.engine.grant_list(policy, year).await.ok()??;
    list.published_on.is_some().then_some(Published {
        list,
        title,
        of_persons,
    })
}

/// How a line is named in public: the employer's name, or the holder's masked
/// identity number.
fn public_name(line: &yichuang_domain::proactive::ListLine, of_persons: bool) -> String {
    if of_persons {
        yichuang_domain::ResidentId::from_stored(&line.listed.name)
            .map_or_else(|| "—".to_owned(), |id| id.masked())
    } else {
        line.listed.name.clone()
    }
}

/// A line as the notice shows it, under the name it may show.
fn line(ui: &Ui, l: &yichuang_domain::proactive::ListLine, name: String) -> Line {
    Line {
        id: l.listed.id.clone(),
        name,
        region: yichuang_domain::RegionCode::parse(&l.listed.region)
            .map(|r| r.full_name())
            .unwrap_or_else(|_| l.listed.region.clone()),
        amount: ui.t1("proactive-yuan", "amount", Cents(l.listed.amount_cents)),
        status: status_words(ui, l),
    }
}

fn status_words(ui: &Ui, line: &yichuang_domain::proactive::ListLine) -> String {
    let key = match (&line.case_id, &line.objection) {
        (Some(_), _) => "publicity-granted",
        (None, Some(o)) if o.upheld == Some(true) => "publicity-excluded",
        (None, Some(o)) if o.upheld.is_none() => "publicity-objected",
        _ => "publicity-listed",
    };
    ui.t(key)
}

/// The whole published list as CSV (UTF-8, a header row): credit code, name, region
/// code and name, amount in yuan, status in words. The notice is public; so is this.
pub(crate) async fn csv_file(
    State(state): State<AppState>,
    ui: Ui,
    Path((policy, year)): Path<(String, String)>,
) -> Response {
    let Some(Published {
        list, of_persons, ..
    }) = published(&state, &policy, &year).await
    else {
        return message(ui, StatusCode::NOT_FOUND, "publicity-not-published");
    };
    let mut out = csv::Writer::from_writer(Vec::new());
    let mut rows = vec![vec![
        if of_persons { "certificate" } else { "uscc" }.to_owned(),
        "name".to_owned(),
        "region".to_owned(),
        "region_name".to_owned(),
        "amount_yuan".to_owned(),
        "status".to_owned(),
    ]];
    rows.extend(list.lines.iter().map(|l| {
        vec![
            l.listed.id.clone(),
            public_name(l, of_persons),
            l.listed.region.clone(),
            yichuang_domain::RegionCode::parse(&l.listed.region)
                .map(|r| r.full_name())
                .unwrap_or_default(),
            Cents(l.listed.amount_cents).to_string(),
            status_words(&ui, l),
        ]
    }));
    for row in &rows {
        if out.write_record(row).is_err() {
            return message(ui, StatusCode::INTERNAL_SERVER_ERROR, "error-internal");
        }
    }
    let Ok(body) = out.into_inner() else {
        return message(ui, StatusCode::INTERNAL_SERVER_ERROR, "error-internal");
    };
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{policy}-{}.csv\"", list.year),
            ),
        ],
        body,
    )
        .into_response()
}

pub(crate) async fn page(
    State(state): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
    Path((policy, year)): Path<(String, String)>,
    Query(query): Query<ListQuery>,
) -> Response {
    let Some(Published {
        list,
        title,
        of_persons,
    }) = published(&state, &policy, &year).await
    else {
        return message(ui, StatusCode::NOT_FOUND, "publicity-not-published");
    };
    let today = state.engine.today();
    let until = list.public_until.unwrap_or(today);
    let period = ui.t1(
        "publicity-period",
        "from",
        written(ui.lang, list.published_on.unwrap_or(today)),
    ) + &ui.t1("publicity-until", "until", written(ui.lang, until));
    let finder = super::paging::Finder::new(&query.q);
    // A person is found only by what the page shows (never by the full number).
    let matching: Vec<(&yichuang_domain::proactive::ListLine, String)> = list
        .lines
        .iter()
        .map(|l| (l, public_name(l, of_persons)))
        .filter(|(l, name)| finder.finds(name, &l.listed.id))
        .collect();
    let paging = super::paging::Paging::of(&query.page, matching.len(), ui.lang);
    let lines = paging
        .slice(&matching)
        .iter()
        .map(|(l, name)| line(&ui, l, name.clone()))
        .collect();
    // An employer's line is its credit code; a person's lines are their certificates.
    let mine = current(&state, &headers).await.map(|citizen| {
        list.lines
            .iter()
            .filter(|l| match citizen.session.party_kind.as_str() {
                "employer" => !of_persons && l.listed.id == citizen.party(),
                _ => of_persons && l.listed.name == citizen.party(),
            })
            .map(|l| line(&ui, l, public_name(l, of_persons)))
            .collect()
    });
    let page = PublicityPage {
        policy,
        of_persons,
        year: list.year,
        title,
        period,
        open: today <= until,
        lines,
        total: list.lines.len(),
        matching: matching.len(),
        q: finder.text,
        page_of: paging.words(ui.lang),
        page: paging.page,
        pages: paging.pages,
        problem: paging.problem,
        done: query.done == "objected",
        mine,
        ui,
    };
    render(StatusCode::OK, &page)
}

pub(crate) async fn objection_form(
    State(state): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
    Path((policy, year)): Path<(String, String)>,
    Query(query): Query<ListQuery>,
) -> Response {
    let Some(citizen) = current(&state, &headers).await else {
        return to_sign_in(&ui.here);
    };
    let Some(Published {
        list,
        title,
        of_persons,
    }) = published(&state, &policy, &year).await
    else {
        return message(ui, StatusCode::NOT_FOUND, "publicity-not-published");
    };
    let Some(line) = list.line(&query.id) else {
        return message(ui, StatusCode::NOT_FOUND, "publicity-not-listed");
    };
    let (id, employer) = (line.listed.id.clone(), public_name(line, of_persons));
    let page = ObjectionPage::new(
        ui,
        (policy, list.year, title),
        (id, employer),
        citizen.session.csrf,
    );
    render(StatusCode::OK, &page)
}

impl ObjectionPage {
    /// The form for one employer of a list, empty, with a fresh one-time value.
    fn new(
        ui: Ui,
        (policy, year, title): (String, i16, String),
        (id, employer): (String, String),
        csrf: String,
    ) -> ObjectionPage {
        ObjectionPage {
            policy,
            year,
            title,
            id,
            employer,
            csrf,
            nonce: uuid::Uuid::now_v7().to_string(),
            text: String::new(),
            problem: None,
            text_max: OBJECTION_MAX,
            ui,
        }
    }
}

/// Files an objection; a refused one is drawn again with the text and the reason.
pub(crate) async fn object(
    State(state): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
    Path((policy, year)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let back = format!("/proactive/{policy}/{year}");
    let Some(citizen) = current(&state, &headers).await else {
        return to_sign_in(&back);
    };
    let form = Pairs(pairs);
    if form.field("csrf") != citizen.session.csrf {
        return message(ui, StatusCode::FORBIDDEN, "error-form-expired");
    }
    let Some(Published {
        list,
        title,
        of_persons,
    }) = published(&state, &policy, &year).await
    else {
        return message(ui, StatusCode::NOT_FOUND, "publicity-not-published");
    };
    let id = form.field("id").to_owned();
    let text = form.field("text").to_owned();
    let nonce: String = form.field("nonce").chars().take(64).collect();
    let outcome = state
        .engine
        .execute_grant_list(
            &format!("objection-{}-{nonce}", citizen.party()),
            (&policy, list.year),
            ListCommand::Object {
                id: id.clone(),
                text: text.clone(),
                on_behalf_of: None,
            },
            &format!("online:{}", citizen.party()),
            None,
        )
        .await;
    match outcome {
        Ok(_) => Redirect::to(&format!("{back}?done=objected")).into_response(),
        Err(e) => {
            let (status, key) = match &e {
                EngineError::GrantList(l) => {
                    (StatusCode::CONFLICT, format!("publicity-{}", l.code()))
                }
                _ => (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "error-internal".to_owned(),
                ),
            };
            let employer = list
                .line(&id)
                .map(|l| public_name(l, of_persons))
                .unwrap_or_default();
            let problem = Some(ui.t(&key));
            let page = ObjectionPage {
                text,
                problem,
                ..ObjectionPage::new(
                    ui,
                    (policy, list.year, title),
                    (id, employer),
                    citizen.session.csrf.clone(),
                )
            };
            render(status, &page)
        }
    }
}
