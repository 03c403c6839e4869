//! 免申即享 for supervisors: the list a policy finds from the imported facts for a year,
//! restricted to the employers in reach, with each one's outcome, amount and reasons
//! (every condition, held or not, with the values it read), the rule's settings for
//! the staff member's region, and the digests that make the list reproducible.
//! A preview: publishing the list and granting are not built yet.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use yichuang_domain::facts::Cents;
use yichuang_domain::rules::Reason;

use super::staff::signed_in;
use super::{Ui, render};
use crate::error::Lang;
use crate::state::AppState;

/// At most this many rows are drawn; the counts cover everyone.
const SHOWN: usize = 500;

pub(crate) struct Choice {
    pub id: String,
    pub name: String,
    pub chosen: bool,
}

pub(crate) struct Setting {
    pub name: String,
    pub value: i64,
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
    more: usize,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct ProactiveQuery {
    #[serde(default)]
    policy: String,
    #[serde(default)]
    year: String,
}

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
    let Some((staff, _, _)) = signed_in(&state, &headers).await else {
        return Redirect::to("/staff/login").into_response();
    };
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
    let policies = &state.catalog.policies;
    let chosen = policies
        .iter()
        .find(|p| p.id == query.policy)
        .or_else(|| policies.first());
    let Some(policy) = chosen.cloned() else {
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
        .filter(|e| e.region.is_within(staff.jurisdiction))
        .collect();
    let (mut eligible, mut review, mut total) = (0, 0, Cents(0));
    let mut rows = Vec::new();
    for entry in &in_reach {
        let (class, outcome, amount, reasons) = match &entry.outcome {
            Ok(ev) if ev.eligible => {
                eligible += 1;
                total.0 += ev.amount_cents;
                (
                    "eligible",
                    ui.t("proactive-eligible"),
                    ui.t1("proactive-yuan", "amount", Cents(ev.amount_cents)),
                    &ev.reasons,
                )
            }
            Ok(ev) => (
                "not",
                ui.t("proactive-not-eligible"),
                String::new(),
                &ev.reasons,
            ),
            Err(message) => {
                review += 1;
                if rows.len() < SHOWN {
                    rows.push(Row {
                        name: entry.name.clone(),
                        uscc: entry.id.clone(),
                        region: entry.region.full_name(),
                        class: "review",
                        outcome: ui.t("proactive-review"),
                        amount: String::new(),
                        reasons: vec![message.clone()],
                    });
                }
                continue;
            }
        };
        if rows.len() < SHOWN {
            rows.push(Row {
                name: entry.name.clone(),
                uscc: entry.id.clone(),
                region: entry.region.full_name(),
                class,
                outcome,
                amount,
                reasons: reasons.iter().map(|r| reason_words(&ui, r)).collect(),
            });
        }
    }
    let settings = policy
        .params_for(Some(staff.jurisdiction))
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
    let page = ProactivePage {
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
        more: in_reach.len().saturating_sub(rows.len()),
        rows,
        ui,
    };
    render(StatusCode::OK, &page)
}
