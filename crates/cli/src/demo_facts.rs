//! `yichuang demo facts`: synthetic export files of employers, their monthly
//! contributions and claimants, in the formats `facts import` reads, for the demo and
//! the benchmarks. Uneven on purpose: some employers underpay a month, miss a month or
//! lay off more than the refund allows. Every name says it is synthetic.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use anyhow::Context;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use yichuang_domain::facts::Cents;
use yichuang_domain::{Level, RegionCode, Uscc};

/// How many rows of each file were written.
pub(crate) struct Written {
    pub employers: usize,
    pub months: usize,
    pub claimants: usize,
}

pub(crate) fn write_files(
    dir: &Path,
    employers: usize,
    year: i16,
    seed: u64,
) -> anyhow::Result<Written> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let open = |name: &str| -> anyhow::Result<BufWriter<File>> {
        let path = dir.join(name);
        Ok(BufWriter::new(
            File::create(&path).with_context(|| format!("writing {}", path.display()))?,
        ))
    };
    let mut employers_csv = open("employers.csv")?;
    let mut months_csv = open("employer_months.csv")?;
    let mut claimants_csv = open("claimants.csv")?;
    writeln!(employers_csv, "uscc,name,region,size")?;
    writeln!(months_csv, "uscc,month,insured,due_yuan,paid_yuan")?;
    writeln!(claimants_csv, "uscc,year,new_claimants")?;
    let counties = counties();
    let mut rng = StdRng::seed_from_u64(seed);
    let mut written = Written {
        employers: 0,
        months: 0,
        claimants: 0,
    };
    for serial in 0..employers {
        let region = counties[rng.random_range(0..counties.len())];
        let uscc = Uscc::enterprise(region.digits(), 10_000_000 + serial as u32)
            .map_err(|e| anyhow::anyhow!("generated credit code: {e}"))?;
        let large = rng.random_bool(0.12);
        let base: u32 = if large {
            rng.random_range(300..5_000)
        } else {
            rng.random_range(3..300)
        };
        writeln!(
            employers_csv,
            "{},合成单位{serial:07}（演示数据）,{region},{}",
            uscc.as_str(),
            if large { "large" } else { "sme" }
        )?;
        written.employers += 1;
        let missing = rng.random_bool(0.03).then(|| rng.random_range(1..=12));
        let underpaid = rng.random_bool(0.06).then(|| rng.random_range(1..=12));
        // Unemployment insurance per insured person and month: about 1% of a base wage.
        let per_person: i64 = rng.random_range(4_000..12_000);
        for month in 1..=12 {
            if missing == Some(month) {
                continue;
            }
            let insured = (f64::from(base) * rng.random_range(0.95..1.05)).round() as i64;
            let due = Cents(insured * per_person);
            let paid = if underpaid == Some(month) {
                Cents(due.0 * 9 / 10)
            } else {
                due
            };
            writeln!(
                months_csv,
                "{},{year:04}-{month:02},{insured},{due},{paid}",
                uscc.as_str()
            )?;
            written.months += 1;
        }
        if rng.random_bool(0.7) {
            let rate: f64 = if rng.random_bool(0.85) {
                rng.random_range(0.0..0.05)
            } else {
                rng.random_range(0.05..0.3)
            };
            let claimants = (f64::from(base) * rate).round() as u32;
            writeln!(claimants_csv, "{},{year},{claimants}", uscc.as_str())?;
            written.claimants += 1;
        }
    }
    employers_csv.flush()?;
    months_csv.flush()?;
    claimants_csv.flush()?;
    Ok(written)
}

/// The counties of the demo's ten provinces.
fn counties() -> Vec<RegionCode> {
    yichuang_server::DEFAULT_PROVINCES
        .iter()
        .filter_map(|code| RegionCode::parse(code).ok())
        .flat_map(|province| province.children().flat_map(|city| city.children()))
        .filter(|county| county.level() == Level::County)
        .collect()
}
