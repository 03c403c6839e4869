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

/// Persons and their certificates: imported once, read back per year with every
/// certificate of each holder in date order, the same on both backends.
pub async fn certificates_read_back_by_holder_and_year(w: &World) {
    use jiff::civil::date;
    use yichuang_domain::ResidentId;
    use yichuang_domain::facts::{CardStatus, CertificateRecord, PersonRecord, PersonStatus};
    let store = w.engine.store();
    let person = |seq: u16| PersonRecord {
        person: ResidentId::from_parts(330211, date(1991, 2, 3), seq).unwrap(),
        region: RegionCode::parse("330211").unwrap(),
        status: PersonStatus::Employed,
        ui_months: 24,
        card: CardStatus::Active,
    };
    let (a, b) = (person(31), person(32));
    store.import_persons(&[a.clone(), b.clone()]).await.unwrap();
    let certificate = |holder: &PersonRecord, number: &str, level: u8, on| CertificateRecord {
        person: holder.person,
        certificate: number.to_owned(),
        occupation: "电工".to_owned(),
        level,
        issued_on: on,
    };
    let rows = vec![
        certificate(&a, "K-2", 5, date(2025, 6, 1)),
        certificate(&a, "K-1", 4, date(2024, 6, 1)),
        certificate(&b, "K-3", 3, date(2023, 6, 1)),
    ];
    assert_eq!(store.import_certificates(&rows).await.unwrap(), 3);
    assert_eq!(store.import_certificates(&rows).await.unwrap(), 0);
    let holders = store.certificate_holders(2025).await.unwrap();
    let holder = holders
        .iter()
        .find(|h| h.person.person == a.person)
        .expect("a has a 2025 certificate");
    let numbers: Vec<&str> = holder
        .certificates
        .iter()
        .map(|c| c.certificate.as_str())
        .collect();
    assert_eq!(numbers, ["K-1", "K-2"], "every year's, in date order");
    assert!(
        holders.iter().all(|h| h.person.person != b.person),
        "b has none in 2025"
    );
    let subjects = yichuang_engine::proactive::certificate_subjects(&holders, 2025);
    let mine: Vec<_> = subjects
        .iter()
        .filter(|s| s.name == a.person.as_str())
        .collect();
    assert_eq!(mine.len(), 1);
    assert_eq!(
        mine[0].facts.get("held_before"),
        Some(&yichuang_domain::rules::FactValue::Bool(true)),
        "中级 held before the 初级"
    );
}

/// The register read a page at a time gives every person once, in identity-number
/// order, each page full but the last, the same on both backends.
pub async fn the_register_reads_back_in_pages(w: &World) {
    use jiff::ToSpan;
    use jiff::civil::date;
    use yichuang_domain::ResidentId;
    use yichuang_domain::facts::{CardStatus, PersonRecord, PersonStatus};
    let store = w.engine.store();
    let imported: Vec<PersonRecord> = (0..2_345u16)
        .map(|i| PersonRecord {
            person: ResidentId::from_parts(
                510107,
                date(1960, 1, 1)
                    .checked_add(i64::from(i / 900).days())
                    .unwrap(),
                i % 900 + 1,
            )
            .unwrap(),
            region: RegionCode::parse("510107").unwrap(),
            status: [PersonStatus::Employed, PersonStatus::Other][usize::from(i % 2)],
            ui_months: u32::from(i),
            card: [CardStatus::Active, CardStatus::Lost, CardStatus::None][usize::from(i % 3)],
        })
        .collect();
    store.import_persons(&imported).await.unwrap();
    let mut pages = store.person_pages(1_000);
    let mut read = Vec::new();
    let mut sizes = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.unwrap();
        sizes.push(page.len());
        read.extend(page);
    }
    // Other tests of the suite import persons too: all of them come back.
    assert!(read.len() >= imported.len());
    let (last, full) = sizes.split_last().unwrap();
    assert!(full.iter().all(|size| *size == 1_000), "{sizes:?}");
    assert!((1..=1_000).contains(last), "{sizes:?}");
    assert!(
        read.windows(2)
            .all(|w| w[0].person.as_str() < w[1].person.as_str()),
        "in identity-number order, each once"
    );
    for person in &imported {
        let found = read
            .binary_search_by(|r| r.person.as_str().cmp(person.person.as_str()))
            .map(|at| &read[at]);
        assert_eq!(found, Ok(person));
    }
}

/// A rule's filter run by the database passes exactly the persons CEL finds eligible
/// one by one, for rules of every translatable kind, over the whole register (what the
/// other tests imported too); a filter naming a fact the register lacks is refused.
pub async fn a_rules_filter_in_the_store_finds_whom_cel_finds_eligible(w: &World) {
    use yichuang_domain::facts::{PERSON, person_facts};
    use yichuang_domain::rules::{Comparison, ConditionSource, FactValue, Filter, Params, Rule};
    let store = w.engine.store();
    let mut register = Vec::new();
    let mut pages = store.person_pages(5_000);
    while let Some(page) = pages.next().await {
        register.extend(page.unwrap());
    }
    assert!(
        register.len() > 2_000,
        "the pages test imported the register first"
    );
    let mut params = Params::new();
    params.insert("min_months".to_owned(), 700);
    let rules: [&[&str]; 6] = [
        &[
            "status == 'employed' || status == 'claiming_benefit'",
            "ui_months >= 12",
            "ui_months <= 600",
            "card != 'none'",
            "card != 'lost'",
        ],
        &["region == '510107'", "!(ui_months < min_months)"],
        &["card in ['active', 'issued']", "1000 > ui_months"],
        &["status != 'other' || ui_months == min_months"],
        &["card in []"],
        &["!(status == 'employed' && card == 'lost') && ui_months != 3"],
    ];
    for conditions in rules {
        let sources = conditions
            .iter()
            .enumerate()
            .map(|(i, expr)| ConditionSource {
                id: format!("c{i}"),
                label: format!("c{i}"),
                expr: (*expr).to_owned(),
            })
            .collect();
        let rule = Rule::compile(PERSON, &params, sources, None).unwrap();
        let filter = rule.filter(&params).expect("every test rule translates");
        let mut eligible = Vec::new();
        for person in &register {
            if rule
                .evaluate(&params, &person_facts(person))
                .unwrap()
                .eligible
            {
                eligible.push(person.person.as_str().to_owned());
            }
        }
        assert_eq!(
            store.persons_passing(&filter).await.unwrap(),
            eligible,
            "{conditions:?}"
        );
        assert_eq!(
            store.count_persons_passing(&filter).await.unwrap(),
            eligible.len() as u64,
            "{conditions:?}"
        );
    }
    let unknown = Filter::Compare {
        fact: "salary",
        comparison: Comparison::Greater,
        value: FactValue::Int(1),
    };
    let refused = store.count_persons_passing(&unknown).await.unwrap_err();
    assert!(refused.to_string().contains("salary"), "{refused}");
}
