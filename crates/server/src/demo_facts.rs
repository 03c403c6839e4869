//! Synthetic facts (employers, their monthly contributions, claimants) for the demo,
//! `yichuang demo facts` and the benchmarks. Uneven on purpose: some employers underpay
//! a month, miss a month or lay off more than the refund allows. Every name says it is
//! synthetic.

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use yichuang_domain::facts::{
    Cents, ClaimantsRecord, EmployerMonthRecord, EmployerRecord, EmployerSize, Month,
};
use yichuang_domain::{Level, RegionCode, Uscc};

/// The three files' records.
#[derive(Debug, Default)]
pub struct SyntheticFacts {
    pub employers: Vec<EmployerRecord>,
    pub months: Vec<EmployerMonthRecord>,
    pub claimants: Vec<ClaimantsRecord>,
}

/// `employers` employers in the counties of `provinces`, with `year`'s records; the
/// same seed gives the same facts.
pub fn generate_facts(
    employers: usize,
    year: i16,
    provinces: &[RegionCode],
    seed: u64,
) -> SyntheticFacts {
    let counties: Vec<RegionCode> = provinces
        .iter()
        .flat_map(|province| province.children().flat_map(|city| city.children()))
        .filter(|county| county.level() == Level::County)
        .collect();
    let mut rng = StdRng::seed_from_u64(seed);
    let mut out = SyntheticFacts::default();
    if counties.is_empty() {
        return out;
    }
    for serial in 0..employers {
        let region = counties[rng.random_range(0..counties.len())];
        let Ok(uscc) = Uscc::enterprise(region.digits(), 10_000_000 + serial as u32) else {
            continue;
        };
        let large = rng.random_bool(0.12);
        let base: u32 = if large {
            rng.random_range(300..5_000)
        } else {
            rng.random_range(3..300)
        };
        out.employers.push(EmployerRecord {
            uscc,
            name: format!("合成单位{serial:07}（演示数据）"),
            region,
            size: if large {
                EmployerSize::Large
            } else {
                EmployerSize::Sme
            },
        });
        let missing = rng.random_bool(0.03).then(|| rng.random_range(1..=12i8));
        let underpaid = rng.random_bool(0.06).then(|| rng.random_range(1..=12i8));
        // Unemployment insurance per insured person and month: about 1% of a base wage.
        let per_person: i64 = rng.random_range(4_000..12_000);
        for month in 1..=12i8 {
            if missing == Some(month) {
                continue;
            }
            let insured = (f64::from(base) * rng.random_range(0.95..1.05)).round() as u32;
            let due = Cents(i64::from(insured) * per_person);
            out.months.push(EmployerMonthRecord {
                uscc,
                month: Month { year, month },
                insured,
                due,
                paid: if underpaid == Some(month) {
                    Cents(due.0 * 9 / 10)
                } else {
                    due
                },
            });
        }
        if rng.random_bool(0.7) {
            let rate: f64 = if rng.random_bool(0.85) {
                rng.random_range(0.0..0.05)
            } else {
                rng.random_range(0.05..0.3)
            };
            out.claimants.push(ClaimantsRecord {
                uscc,
                year,
                new_claimants: (f64::from(base) * rate).round() as u32,
            });
        }
    }
    out
}
