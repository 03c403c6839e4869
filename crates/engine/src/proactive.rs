//! 免申即享: reading the facts a policy covers and screening every subject. Reading
//! only; publishing a list and granting go through the writer like every change.

use yichuang_domain::facts::employer_year_facts;
use yichuang_domain::proactive::{Policy, Screening, Subject, screen};
use yichuang_store::{EmployerYearRecords, Store, StoreError};

/// Every imported employer's facts for `year`, as subjects of an `employer_year` policy.
pub fn employer_subjects(records: &[EmployerYearRecords], year: i16) -> Vec<Subject> {
    records
        .iter()
        .map(|r| Subject {
            id: r.employer.uscc.as_str().to_owned(),
            name: r.employer.name.clone(),
            region: r.employer.region,
            facts: employer_year_facts(&r.employer, &r.months, year, r.new_claimants),
        })
        .collect()
}

/// The list for `policy` over `year`: every employer, eligible or not, with reasons.
pub async fn screen_employers(
    store: &Store,
    policy: &Policy,
    year: i16,
) -> Result<Screening, StoreError> {
    let records = store.employer_years(year).await?;
    Ok(screen(policy, employer_subjects(&records, year)))
}
