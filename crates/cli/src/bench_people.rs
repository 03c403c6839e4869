//! `yichuang bench proactive --people N`: N synthetic insured persons imported through
//! the facts path (rows per second printed), then a rule of five CEL conditions run over
//! all of them two ways: given to the database as its filter (`Rule::filter`, the
//! store's `WHERE`), and evaluated person by person outside it (read and evaluate, as a
//! screening with reasons does). Each is timed against one hand-written SQL query over
//! the same rows in the same run; all three must agree on who. The ratio is SQL time
//! over rule time (goal ≥ 1).

use std::time::Instant;

use jiff::ToSpan;
use jiff::civil::date;
use rayon::prelude::*;
use yichuang_domain::facts::{CardStatus, PERSON, PersonRecord, PersonStatus, person_facts};
use yichuang_domain::rules::{ConditionSource, Params, Rule, RuleError};
use yichuang_domain::{RegionCode, ResidentId};
use yichuang_store::Store;

use crate::Outcome;
use crate::store_cmd::runtime;

/// Counties the synthetic people are insured in.
const COUNTIES: [&str; 6] = ["330211", "510107", "320102", "370102", "450102", "620102"];

/// The five conditions; `Store::baseline_person_eligibility` is the same in SQL.
fn five_conditions() -> anyhow::Result<Rule> {
    let condition = |id: &str, expr: &str| ConditionSource {
        id: id.to_owned(),
        label: id.to_owned(),
        expr: expr.to_owned(),
    };
    Rule::compile(
        PERSON,
        &Params::new(),
        vec![
            condition(
                "insured_status",
                "status == 'employed' || status == 'claiming_benefit'",
            ),
            condition("a_year_paid", "ui_months >= 12"),
            condition("plausible", "ui_months <= 600"),
            condition("has_card", "card != 'none'"),
            condition("card_not_lost", "card != 'lost'"),
        ],
        None,
    )
    .map_err(|problems| anyhow::anyhow!("the bench rule: {problems:?}"))
}

/// Person `i` of the synthetic register: distinct identity numbers, every status and
/// card state, contribution months spread over a working life.
fn person(i: usize) -> Option<PersonRecord> {
    let county = COUNTIES[i % COUNTIES.len()];
    let birth = date(1950, 1, 1)
        .checked_add(((i / 999) as i64).days())
        .ok()?;
    let spread = (i.wrapping_mul(2_654_435_761)) >> 7;
    Some(PersonRecord {
        person: ResidentId::from_parts(county.parse().ok()?, birth, (i % 999 + 1) as u16).ok()?,
        region: RegionCode::parse(county).ok()?,
        status: [
            PersonStatus::Employed,
            PersonStatus::ClaimingBenefit,
            PersonStatus::Other,
        ][spread % 3],
        ui_months: (spread % 400) as u32,
        card: [
            CardStatus::Active,
            CardStatus::Issued,
            CardStatus::None,
            CardStatus::Lost,
        ][(spread / 3) % 4],
    })
}

/// Records per page read from the store, and per slice evaluated on one thread.
const PAGE: usize = 50_000;
const SLICE: usize = 5_000;

pub(crate) fn run(people: usize, url: &str) -> anyhow::Result<Outcome> {
    let rule = five_conditions()?;
    let records: Vec<PersonRecord> = (0..people).filter_map(person).collect();
    let params = Params::new();
    runtime()?.block_on(async {
        let store = Store::open(url).await?;
        let started = Instant::now();
        for chunk in records.chunks(100_000) {
            store.import_persons(chunk).await?;
        }
        let import = started.elapsed().as_secs_f64();
        println!(
            "import: {} persons in {import:.2} s, {:.0} rows/s",
            records.len(),
            records.len() as f64 / import.max(1e-9)
        );

        // Read a page while the one before is evaluated (two cores: the store's reader
        // and this thread).
        let started = Instant::now();
        let mut pages = store.person_pages(PAGE);
        let mut evaluating = std::time::Duration::ZERO;
        let mut read = 0usize;
        let mut eligible = 0u64;
        while let Some(page) = pages.next().await {
            let page = page?;
            let began = Instant::now();
            read += page.len();
            // Both cores evaluate (the reader needs little): one evaluator, and so one
            // memory of outcomes, per slice of the page.
            eligible += page
                .par_chunks(SLICE)
                .map_init(
                    || rule.evaluator(),
                    |evaluator, slice| -> Result<u64, RuleError> {
                        let mut eligible = 0;
                        for record in slice {
                            if evaluator.evaluate(&params, &person_facts(record))?.eligible {
                                eligible += 1;
                            }
                        }
                        Ok(eligible)
                    },
                )
                .try_reduce(|| 0, |a, b| Ok(a + b))?;
            evaluating += began.elapsed();
        }
        let total = started.elapsed().as_secs_f64();
        let evaluate = evaluating.as_secs_f64();

        // The filter and the hand-written query in pairs, each pair in the other order
        // than the one before, after a pair not counted (the pool's connections each
        // warm their own page cache, so whichever ran first was slower); the best of
        // five for each.
        let filter = rule
            .filter(&params)
            .ok_or_else(|| anyhow::anyhow!("the bench rule does not translate to a filter"))?;
        let (mut pushed, mut sql) = (f64::INFINITY, f64::INFINITY);
        let (mut pushed_eligible, mut sql_eligible) = (0, 0);
        for round in 0..6 {
            for filter_now in [round % 2 == 0, round % 2 == 1] {
                let started = Instant::now();
                if filter_now {
                    pushed_eligible = store.count_persons_passing(&filter).await?;
                } else {
                    sql_eligible = store.baseline_person_eligibility().await?;
                }
                let took = started.elapsed().as_secs_f64();
                match (round, filter_now) {
                    (0, _) => {}
                    (_, true) => pushed = pushed.min(took),
                    (_, false) => sql = sql.min(took),
                }
            }
        }

        println!(
            "rule as the store's filter: {pushed:.2} s (best of 5), {:.0} people/s; {pushed_eligible} eligible",
            read as f64 / pushed.max(1e-9)
        );
        println!(
            "rule (5 CEL conditions) one by one: {total:.2} s to read and evaluate {read} (evaluating {evaluate:.2} s of it), {:.0} people/s; {eligible} eligible",
            read as f64 / total.max(1e-9)
        );
        println!("SQL baseline: {sql:.2} s (best of 5); {sql_eligible} eligible");
        println!(
            "ratio (SQL time / rule time, goal ≥ 1): {:.3} with the rule as the filter, {:.3} evaluated one by one",
            sql / pushed.max(1e-9),
            sql / total.max(1e-9)
        );
        if eligible != sql_eligible || pushed_eligible != sql_eligible {
            eprintln!("the rule and the SQL disagree: this is a defect");
            return anyhow::Ok(Outcome::Invalid);
        }
        anyhow::Ok(Outcome::Done)
    })
}
