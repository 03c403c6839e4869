//! 免申即享 for supervisors: the list a policy finds from the imported facts for a year,
//! restricted to the employers in reach, with each one's outcome, amount and reasons
//! (every condition, held or not, with the values it read), the rule's settings for
//! the staff member's region, and the digests that make the list reproducible.
//! Once `yichuang proactive run` has published the list (公示), the page shows its
//! period, links to the public page and lists the objections in reach waiting for a
//! decision, each with a form to uphold or dismiss it with a reason.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use yichuang_domain::facts::Cents;
use yichuang_domain::proactive::ListCommand;
use yichuang_domain::rules::Reason;
use yichuang_engine::EngineError;

use super::dates::written;
use super::staff::signed_in;
use super::{Ui, render};
use crate::error::Lang;
use crate::state::AppState;

pub(crate) struct Choice {
    pub id: String,
    pub name: String,
    pub chosen: bool,
}

pub(crate) struct Setting {
    pub name: String,
    pub value: i64,
}

/// An objection waiting for this supervisor's decision.
pub(crate) struct Waiting {
    pub id: String,
    pub employer: String,
    pub text: String,
    /// Taken by staff for a caller (phone or window), not made online.
    pub taken_for: bool,
}

pub(crate) struct Row {
    pub name: String,
    pub uscc: String,
    pub region: String,
    /// `eligible`, `not` or `review`.
    pub class: &'static str,
    pub outcome: String,
    pub amount: String,
    pub reasons: Vec<String>,
}

#[derive(Template)]
#[template(path = "staff/proactive.html")]
struct ProactivePage {
    ui: Ui,
    policies: Vec<Choice>,
    year: i16,
    problems: Vec<String>,
    policy_name: String,
    basis: String,
    conditions: Vec<String>,
    settings: Vec<Setting>,
    employers: usize,
    eligible: usize,
    review: usize,
    total: String,
    version: String,
    rule_hash: String,
    inputs_digest: String,
    rows: Vec<Row>,
    /// Which outcomes are listed: "" (all), `eligible`, `not` or `review`.
    show: String,
    /// Words a listed employer's name or credit code contains.
    q: String,
    /// Lines listed (of the outcomes shown and matching `q`).
    matching: usize,
    page_of: String,
    prev_href: Option<String>,
    next_href: Option<String>,
    list_problem: Option<String>,
    /// The published list's period in words, when it is published.
    published: Option<String>,
    public_href: String,
    waiting: Vec<Waiting>,
    /// Objections are still taken (the list is public now).
    open: bool,
    /// The form for an objection taken by phone or at a window, as typed.
    take: TakeForm,
    /// An objection was just taken.
    taken: bool,
    csrf: String,
    nonce: String,
    problem: Option<String>,
}

impl ProactivePage {
    /// The chosen policy's id, for the decision forms.
    fn policies_chosen(&self) -> &str {
        self.policies
            .iter()
            .find(|p| p.chosen)
            .map_or("", |p| p.id.as_str())
    }
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct ProactiveQuery {
    #[serde(default)]
    policy: String,
    #[serde(default)]
    year: String,
    #[serde(default)]
    show: String,
    #[serde(default)]
    q: String,
    #[serde(default)]
    page: String,
    #[serde(default)]
    taken: String,
}

/// An objection taken for someone by phone (12333) or at a window, as typed: kept
/// when it is refused, so nothing typed is lost.
#[derive(Debug, Default)]
pub(crate) struct TakeForm {
    pub id: String,
    pub party: String,
    pub text: String,
    pub problem: Option<String>,
}

/// The outcomes a list may be narrowed to (the `show` of the query).
const SHOWS: [&str; 3] = ["eligible", "not", "review"];

/// A condition's reason in words: held or not, what it means, the values it read.
fn reason_words(ui: &Ui, reason: &Reason) -> String {
    let values: Vec<String> = reason
        .values
        .iter()
        .map(|(name, value)| format!("{} {value}", ui.t(&format!("fact-{name}"))))
        .collect();
    let mark = if reason.held {
        ui.t("proactive-held")
    } else {
        ui.t("proactive-failed")
    };
    format!("{mark}：{}（{}）", reason.label, values.join("，"))
}

pub(crate) async fn page(
    State(state): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
    Query(query): Query<ProactiveQuery>,
) -> Response {
    let Some((staff, csrf, _)) = signed_in(&state, &headers).await else {
        return Redirect::to("/staff/login").into_response();
    };
    draw(&state, ui, &staff, csrf, &query, None, TakeForm::default()).await
}

/// Decides an objection to a published list: upheld (the employer is not granted) or
/// dismissed, always with a reason.
pub(crate) async fn decide(
    State(state): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let (staff, csrf, form) = match super::form::staff_post(&state, &ui, &headers, pairs).await {
        Ok(sent) => sent,
        Err(answer) => return answer,
    };
    let (policy, year_text, query) = named_list(&form);
    let Ok(year) = year_text.parse::<i16>() else {
        return draw(
            &state,
            ui.clone(),
            &staff,
            csrf,
            &query,
            Some(ui.t("proactive-bad-form")),
            TakeForm::default(),
        )
        .await;
    };
    let upheld = match form.field("decision") {
        "uphold" => true,
        "dismiss" => false,
        _ => {
            return draw(
                &state,
                ui.clone(),
                &staff,
                csrf,
                &query,
                Some(ui.t("proactive-choose-decision")),
                TakeForm::default(),
            )
            .await;
        }
    };
    let nonce: String = form.field("nonce").chars().take(64).collect();
    let outcome = state
        .engine
        .execute_grant_list(
            &format!("objection-decision-{nonce}"),
            (&policy, year),
            ListCommand::DecideObjection {
                id: form.field("id").to_owned(),
                upheld,
                reason: form.field("reason").to_owned(),
            },
            "",
            Some(&staff),
        )
        .await;
    match outcome {
        Ok(_) => {
            Redirect::to(&format!("/staff/proactive?policy={policy}&year={year}")).into_response()
        }
        Err(e) => {
            let key = match &e {
                EngineError::GrantList(l) => format!("publicity-{}", l.code()),
                EngineError::Forbidden(_) => "proactive-not-yours".to_owned(),
                _ => "error-internal".to_owned(),
            };
            draw(
                &state,
                ui.clone(),
                &staff,
                csrf,
                &query,
                Some(ui.t(&key)),
                TakeForm::default(),
            )
            .await
        }
    }
}

/// Takes an objection for a person or employer who called 12333 or came to a window:
/// the line, whose objection it is (identity number or credit code, who is told the
/// decision), and what they said. Refused in words with everything typed kept.
pub(crate) async fn take_objection(
    State(state): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let (staff, csrf, form) = match super::form::staff_post(&state, &ui, &headers, pairs).await {
        Ok(sent) => sent,
        Err(answer) => return answer,
    };
    let (policy, year_text, query) = named_list(&form);
    let take = TakeForm {
        id: form.field("id").trim().to_uppercase(),
        party: form.field("party").trim().to_owned(),
        text: form.field("text").to_owned(),
        problem: None,
    };
    let refuse = |mut take: TakeForm, key: &str| {
        take.problem = Some(ui.t(key));
        take
    };
    let Ok(year) = year_text.parse::<i16>() else {
        let take = refuse(take, "proactive-bad-form");
        return draw(&state, ui.clone(), &staff, csrf, &query, None, take).await;
    };
    let Some(party) = party_of(&take.party, state.engine.today()) else {
        let take = refuse(take, "proactive-bad-party");
        return draw(&state, ui.clone(), &staff, csrf, &query, None, take).await;
    };
    let nonce: String = form.field("nonce").chars().take(64).collect();
    let outcome = state
        .engine
        .execute_grant_list(
            &format!("objection-taken-{nonce}"),
            (&policy, year),
            ListCommand::Object {
                id: take.id.clone(),
                text: take.text.clone(),
                on_behalf_of: Some(party),
            },
            "",
            Some(&staff),
        )
        .await;
    match outcome {
        Ok(_) => Redirect::to(&format!(
            "/staff/proactive?policy={policy}&year={year}&taken=1#publicity"
        ))
        .into_response(),
        Err(e) => {
            let key = match &e {
                EngineError::GrantList(l) => format!("publicity-{}", l.code()),
                EngineError::Forbidden(_) => "proactive-not-yours-to-take".to_owned(),
                _ => "error-internal".to_owned(),
            };
            let take = refuse(take, &key);
            draw(&state, ui.clone(), &staff, csrf, &query, None, take).await
        }
    }
}

/// The policy and year a staff form names, and the page to draw again with them.
fn named_list(form: &super::form::Pairs) -> (String, String, ProactiveQuery) {
    let policy = form.field("policy").to_owned();
    let year = form.field("year").to_owned();
    let query = ProactiveQuery {
        policy: policy.clone(),
        year: year.clone(),
        ..ProactiveQuery::default()
    };
    (policy, year, query)
}

/// A person's identity number or an employer's credit code, checked and written the
/// one way the platform stores it.
fn party_of(text: &str, today: jiff::civil::Date) -> Option<String> {
    let text = text.trim().to_uppercase();
    if let Ok(person) = yichuang_domain::ResidentId::parse(&text, today) {
        return Some(person.value.as_str().to_owned());
    }
    yichuang_domain::Uscc::parse(&text)
        .ok()
        .map(|employer| employer.value.as_str().to_owned())
}

async fn draw(
    state: &AppState,
    ui: Ui,
    staff: &yichuang_domain::case::Staff,
    csrf: String,
    query: &ProactiveQuery,
    decision_problem: Option<String>,
    take: TakeForm,
) -> Response {
    let last_year = state.engine.today().year() - 1;
    let mut problems = Vec::new();
    let year = match query.year.trim() {
        "" => last_year,
        text => match text.parse::<i16>() {
            Ok(y) if (2000..=last_year + 1).contains(&y) => y,
            _ => {
                problems.push(ui.t1("proactive-bad-year", "year", last_year));
                last_year
            }
        },
    };
    // Lists of employers only: lists of persons are screened from the command line.
    let policies: Vec<_> = state
        .catalog
        .grant_policies()
        .into_iter()
        .filter(|p| p.rule.schema.subject == "employer_year")
        .collect();
    let chosen = policies
        .iter()
        .find(|p| p.id == query.policy)
        .or_else(|| policies.first());
    let Some(policy) = chosen.map(|p| (*p).clone()) else {
        return (StatusCode::NOT_FOUND, ui.t("proactive-none")).into_response();
    };
    if !query.policy.is_empty() && policy.id != query.policy {
        problems.push(ui.t("proactive-unknown-policy"));
    }
    let screening =
        match yichuang_engine::proactive::screen_employers(state.engine.store(), &policy, year)
            .await
        {
            Ok(screening) => screening,
            Err(e) => {
                tracing::error!(error = %e, "reading facts for the proactive list");
                return (StatusCode::INTERNAL_SERVER_ERROR, ui.t("error-internal")).into_response();
            }
        };
    let in_reach: Vec<_> = screening
        .entries
        .iter()
        .filter(|e| staff.jurisdiction.contains(e.region))
        .collect();
    let (mut eligible, mut review, mut total) = (0, 0, Cents(0));
    for entry in &in_reach {
        match &entry.outcome {
            Ok(ev) if ev.eligible => {
                eligible += 1;
                total.0 += ev.amount_cents;
            }
            Ok(_) => {}
            Err(_) => review += 1,
        }
    }
    let mut list_problems = Vec::new();
    let show = match query.show.trim() {
        "" => "",
        wanted => SHOWS.into_iter().find(|s| *s == wanted).unwrap_or_else(|| {
            list_problems.push(ui.t("proactive-bad-show"));
            ""
        }),
    };
    let finder = super::paging::Finder::new(&query.q);
    let matching: Vec<_> = in_reach
        .iter()
        .filter(|e| show.is_empty() || outcome_class(&e.outcome) == show)
        .filter(|e| finder.finds(&e.name, &e.id))
        .collect();
    let paging = super::paging::Paging::of(&query.page, matching.len(), ui.lang);
    list_problems.extend(paging.problem.clone());
    let rows = paging
        .slice(&matching)
        .iter()
        .map(|entry| row(&ui, entry))
        .collect();
    let page_href = |page: usize| {
        let query = serde_urlencoded::to_string([
            ("policy", policy.id.as_str()),
            ("year", &year.to_string()),
            ("show", show),
            ("q", &finder.text),
            ("page", &page.to_string()),
        ])
        .unwrap_or_default();
        format!("/staff/proactive?{query}#list")
    };
    let prev_href = (paging.page > 1).then(|| page_href(paging.page - 1));
    let next_href = (paging.page < paging.pages).then(|| page_href(paging.page + 1));
    let settings = policy
        .params_for(staff.jurisdiction.region())
        .into_iter()
        .map(|(name, value)| Setting {
            name: ui.t(&format!("fact-{name}")),
            value,
        })
        .collect();
    let policy_name = match (ui.lang, &policy.name_en) {
        (Lang::En, Some(en)) => en.clone(),
        _ => policy.name.clone(),
    };
    let list = state
        .engine
        .grant_list(&policy.id, year)
        .await
        .ok()
        .flatten();
    let published = list.as_ref().and_then(|l| {
        Some(
            ui.t1(
                "publicity-period",
                "from",
                written(ui.lang, l.published_on?),
            ) + &ui.t1(
                "publicity-until",
                "until",
                written(ui.lang, l.public_until?),
            ),
        )
    });
    let waiting = list
        .as_ref()
        .map(|l| {
            l.lines
                .iter()
                .filter(|line| {
                    yichuang_domain::RegionCode::parse(&line.listed.region)
                        .is_ok_and(|r| staff.jurisdiction.contains(r))
                })
                .filter_map(|line| {
                    let o = line.objection.as_ref().filter(|o| o.upheld.is_none())?;
                    Some(Waiting {
                        id: line.listed.id.clone(),
                        employer: line.listed.name.clone(),
                        text: o.text.clone(),
                        taken_for: o.on_behalf_of.is_some(),
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    let open = list
        .as_ref()
        .and_then(|l| l.public_until)
        .is_some_and(|until| state.engine.today() <= until);
    let page = ProactivePage {
        open,
        take,
        taken: query.taken == "1",
        public_href: format!("/proactive/{}/{year}", policy.id),
        published,
        waiting,
        csrf,
        nonce: uuid::Uuid::now_v7().to_string(),
        problem: decision_problem,
        policies: policies
            .iter()
            .map(|p| Choice {
                id: p.id.clone(),
                name: p.name.clone(),
                chosen: p.id == policy.id,
            })
            .collect(),
        year,
        problems,
        policy_name,
        basis: policy.basis.join("，"),
        conditions: policy
            .rule
            .conditions
            .iter()
            .map(|c| c.label.clone())
            .collect(),
        settings,
        employers: in_reach.len(),
        eligible,
        review,
        total: ui.t1("proactive-yuan", "amount", total),
        version: screening.policy_version.clone(),
        rule_hash: screening.policy_hash.clone(),
        inputs_digest: screening.inputs_digest.clone(),
        rows,
        show: show.to_owned(),
        matching: matching.len(),
        q: finder.text,
        page_of: paging.words(ui.lang),
        prev_href,
        next_href,
        list_problem: (!list_problems.is_empty()).then(|| list_problems.join(" ")),
        ui,
    };
    render(StatusCode::OK, &page)
}

/// `eligible`, `not` or `review` (a rule error or a missing fact: a person decides).
fn outcome_class(outcome: &Result<yichuang_domain::rules::Evaluation, String>) -> &'static str {
    match outcome {
        Ok(ev) if ev.eligible => "eligible",
        Ok(_) => "not",
        Err(_) => "review",
    }
}

/// One employer's line: the outcome in words, the amount, and every reason.
fn row(ui: &Ui, entry: &yichuang_domain::proactive::Screened) -> Row {
    let class = outcome_class(&entry.outcome);
    let (outcome, amount, reasons) = match &entry.outcome {
        Ok(ev) if ev.eligible => (
            ui.t("proactive-eligible"),
            ui.t1("proactive-yuan", "amount", Cents(ev.amount_cents)),
            ev.reasons.iter().map(|r| reason_words(ui, r)).collect(),
        ),
        Ok(ev) => (
            ui.t("proactive-not-eligible"),
            String::new(),
            ev.reasons.iter().map(|r| reason_words(ui, r)).collect(),
        ),
        Err(message) => (
            ui.t("proactive-review"),
            String::new(),
            vec![message.clone()],
        ),
    };
    Row {
        name: entry.name.clone(),
        uscc: entry.id.clone(),
        region: entry.region.full_name(),
        class,
        outcome,
        amount,
        reasons,
    }
}
