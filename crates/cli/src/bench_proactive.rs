//! `yichuang bench proactive`: N synthetic employers' year imported through the facts
//! path (rows per second printed), then the refund decided for every one by a rule of
//! five CEL conditions (read, derive, evaluate), timed against one hand-written SQL
//! query computing the same eligibility over the same rows in the same run. Both must
//! agree on who and how much; the ratio is SQL time over rule time (goal ≥ 1).

use std::time::Instant;

use anyhow::Context;
use yichuang_domain::RegionCode;
use yichuang_domain::facts::EMPLOYER_YEAR;
use yichuang_domain::proactive::Policy;
use yichuang_domain::rules::{ConditionSource, Rule};
use yichuang_store::Store;

use crate::Outcome;
use crate::store_cmd::runtime;

const YEAR: i16 = 2025;

/// The flagship rule written as five conditions, the shape the issue asks to time.
fn five_conditions(flagship: &Policy) -> anyhow::Result<Policy> {
    let condition = |id: &str, expr: &str| ConditionSource {
        id: id.to_owned(),
        label: id.to_owned(),
        expr: expr.to_owned(),
    };
    let conditions = vec![
        condition("paid_in_full", "months_paid_in_full == 12"),
        condition("every_month", "months_recorded == 12"),
        condition("insured", "insured_sum > 0"),
        condition("paid", "paid_cents > 0"),
        condition(
            "layoff_rate",
            "new_claimants * 12000 <= insured_sum * (insured_sum <= small_employer_headcount * 12 ? small_layoff_limit_permille : layoff_limit_permille)",
        ),
    ];
    let rule = Rule::compile(
        EMPLOYER_YEAR,
        &flagship.params,
        conditions,
        flagship.rule.amount.clone(),
    )
    .map_err(|problems| anyhow::anyhow!("the bench rule: {problems:?}"))?;
    Ok(Policy {
        id: "bench-five-conditions".to_owned(),
        name: flagship.name.clone(),
        name_en: None,
        purpose: flagship.purpose,
        item: flagship.item.clone(),
        version: "bench".to_owned(),
        basis: Vec::new(),
        rule,
        params: flagship.params.clone(),
        overrides: Vec::new(),
        examples: Vec::new(),
        publicity_days: flagship.publicity_days,
    })
}

pub(crate) fn run(employers: usize, db: Option<&str>) -> anyhow::Result<Outcome> {
    let loaded = yichuang_catalog::builtin()?;
    let flagship = loaded
        .policy("job-retention-refund")
        .context("the built-in catalog has the job-retention refund")?;
    let policy = five_conditions(flagship)?;
    let dir = tempfile::tempdir().context("creating a temporary directory")?;
    let url = db.map_or_else(
        || Store::sqlite_url(&dir.path().join("proactive.db")),
        str::to_owned,
    );
    let provinces: Vec<RegionCode> = yichuang_server::DEFAULT_PROVINCES
        .iter()
        .filter_map(|c| RegionCode::parse(c).ok())
        .collect();
    let facts = yichuang_server::generate_facts(employers, YEAR, &provinces, 2026);
    runtime()?.block_on(async {
        let store = Store::open(&url).await?;
        let rows = facts.employers.len() + facts.months.len() + facts.claimants.len();
        let started = Instant::now();
        store.import_employers(&facts.employers).await?;
        store.import_employer_months(&facts.months).await?;
        store.import_claimants(&facts.claimants).await?;
        let import = started.elapsed().as_secs_f64();
        println!(
            "import: {rows} rows ({} employers, {} months, {} claimant counts) in {import:.2} s, {:.0} rows/s",
            facts.employers.len(),
            facts.months.len(),
            facts.claimants.len(),
            rows as f64 / import.max(1e-9)
        );

        let started = Instant::now();
        let records = store.employer_years(YEAR).await?;
        let read = started.elapsed().as_secs_f64();
        let started = Instant::now();
        let subjects = yichuang_engine::proactive::employer_subjects(&records, YEAR);
        let screening = yichuang_domain::proactive::screen(&policy, subjects);
        let evaluate = started.elapsed().as_secs_f64();
        let (rule_count, rule_total) = screening
            .eligible()
            .fold((0u64, 0i64), |(n, t), (_, ev)| (n + 1, t + ev.amount_cents));

        let started = Instant::now();
        let (sql_count, sql_total) = store.baseline_refund_eligibility(YEAR).await?;
        let sql = started.elapsed().as_secs_f64();

        let rule = read + evaluate;
        println!(
            "rule (5 CEL conditions): read {read:.2} s + derive and evaluate {evaluate:.2} s = {rule:.2} s, {:.0} employers/s; {rule_count} eligible, {rule_total} cents",
            records.len() as f64 / rule.max(1e-9)
        );
        println!("SQL baseline: {sql:.2} s; {sql_count} eligible, {sql_total} cents");
        println!(
            "ratio (SQL time / rule time, goal ≥ 1): {:.2}",
            sql / rule.max(1e-9)
        );
        if (rule_count, rule_total) != (sql_count, sql_total) {
            eprintln!("the rule and the SQL disagree: this is a defect");
            return anyhow::Ok(Outcome::Invalid);
        }
        anyhow::Ok(Outcome::Done)
    })
}
