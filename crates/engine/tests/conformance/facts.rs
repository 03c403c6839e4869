//! Facts for rules (免申即享): imports are all-or-nothing upserts that a re-import does
//! not change, and a screening reads back exactly what was imported.

use yichuang_domain::facts::{
    Cents, ClaimantsRecord, EmployerMonthRecord, EmployerRecord, EmployerSize, Month,
};
use yichuang_domain::{RegionCode, Uscc};

use super::World;

fn employer(serial: u32, size: EmployerSize) -> EmployerRecord {
    EmployerRecord {
        uscc: Uscc::enterprise(320102, serial).unwrap(),
        name: format!("测试单位{serial}"),
        region: RegionCode::parse("320102").unwrap(),
        size,
    }
}

fn months(of: &EmployerRecord, year: i16, insured: u32, cents: i64) -> Vec<EmployerMonthRecord> {
    (1..=12)
        .map(|month| EmployerMonthRecord {
            uscc: of.uscc,
            month: Month { year, month },
            insured,
            due: Cents(cents),
            paid: Cents(cents),
        })
        .collect()
}

pub async fn imports_are_idempotent_and_a_screening_reads_them_back(w: &World) {
    let store = w.engine.store();
    let sme = employer(70_000_001, EmployerSize::Sme);
    let large = employer(70_000_002, EmployerSize::Large);
    assert_eq!(
        store
            .import_employers(&[sme.clone(), large.clone()])
            .await
            .unwrap(),
        2
    );
    assert_eq!(
        store
            .import_employers(&[sme.clone(), large.clone()])
            .await
            .unwrap(),
        0,
        "the same rows again change nothing"
    );
    let mut renamed = large.clone();
    renamed.name = "改名后的单位".to_owned();
    assert_eq!(store.import_employers(&[renamed.clone()]).await.unwrap(), 1);

    let mut rows = months(&sme, 2025, 100, 500_000);
    rows.extend(months(&large, 2025, 400, 2_000_000));
    // A month of another year is not read for 2025.
    rows.extend(months(&large, 2024, 1, 1).into_iter().take(1));
    assert_eq!(store.import_employer_months(&rows).await.unwrap(), 25);
    assert_eq!(store.import_employer_months(&rows).await.unwrap(), 0);
    let claims = [ClaimantsRecord {
        uscc: large.uscc,
        year: 2025,
        new_claimants: 30,
    }];
    assert_eq!(store.import_claimants(&claims).await.unwrap(), 1);
    assert_eq!(store.import_claimants(&claims).await.unwrap(), 0);

    let codes = store.fact_employer_codes().await.unwrap();
    assert!(codes.contains(sme.uscc.as_str()) && codes.contains(large.uscc.as_str()));

    let years = store.employer_years(2025).await.unwrap();
    let read_sme = years.iter().find(|y| y.employer.uscc == sme.uscc).unwrap();
    let read_large = years
        .iter()
        .find(|y| y.employer.uscc == large.uscc)
        .unwrap();
    assert_eq!(read_sme.employer, sme);
    assert_eq!(read_sme.months, months(&sme, 2025, 100, 500_000));
    assert_eq!(read_sme.new_claimants, None);
    assert_eq!(read_large.employer, renamed);
    assert_eq!(read_large.months.len(), 12, "2024's month is not in 2025");
    assert_eq!(read_large.new_claimants, Some(30));

    let loaded = yichuang_catalog::builtin().unwrap();
    let policy = loaded.policy("job-retention-refund").unwrap();
    let first = yichuang_engine::proactive::screen_employers(store, policy, 2025)
        .await
        .unwrap();
    let again = yichuang_engine::proactive::screen_employers(store, policy, 2025)
        .await
        .unwrap();
    assert_eq!(first.inputs_digest, again.inputs_digest, "reproducible");
    let outcome = |uscc: &Uscc| {
        first
            .entries
            .iter()
            .find(|e| e.id == uscc.as_str())
            .unwrap()
            .outcome
            .clone()
            .unwrap()
    };
    // 12 × 5,000.00 yuan paid, 60%: 36,000.00 yuan.
    assert!(outcome(&sme.uscc).eligible);
    assert_eq!(outcome(&sme.uscc).amount_cents, 3_600_000);
    // 30 claimants of an average 400 insured is 7.5% > 5.5%.
    let refused = outcome(&large.uscc);
    assert!(!refused.eligible);
    assert_eq!(
        refused
            .reasons
            .iter()
            .filter(|r| !r.held)
            .map(|r| r.condition.as_str())
            .collect::<Vec<_>>(),
        ["layoff_rate"]
    );
}
