//! Facts other systems hold (employers, their monthly contributions, benefit claims,
//! the insured persons and their cards),
//! as this platform imports them: each record parsed from the text fields of one line
//! into domain types, and the facts a policy's rule reads derived from them.

mod certificate;
mod employer_year;
mod money;
mod person;
mod records;

pub use certificate::{CertificateRecord, PERSON_CERTIFICATE, certificate_year_facts};
pub use employer_year::{EMPLOYER_YEAR, employer_year_facts};
pub use money::{Cents, MoneyError};
pub use person::{CardStatus, PERSON, PersonRecord, PersonStatus, person_facts};
pub use records::{
    ClaimantsRecord, EmployerMonthRecord, EmployerRecord, EmployerSize, FieldError, Month,
};
