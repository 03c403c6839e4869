//! `yichuang demo facts`: the synthetic facts written as the export files `facts
//! import` reads.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use anyhow::Context;
use yichuang_server::SyntheticFacts;

pub(crate) fn write_files(dir: &Path, facts: &SyntheticFacts) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let open = |name: &str| -> anyhow::Result<BufWriter<File>> {
        let path = dir.join(name);
        Ok(BufWriter::new(
            File::create(&path).with_context(|| format!("writing {}", path.display()))?,
        ))
    };
    let mut out = open("employers.csv")?;
    writeln!(out, "uscc,name,region,size")?;
    for e in &facts.employers {
        writeln!(
            out,
            "{},{},{},{}",
            e.uscc.as_str(),
            e.name,
            e.region,
            e.size.name()
        )?;
    }
    out.flush()?;
    let mut out = open("employer_months.csv")?;
    writeln!(out, "uscc,month,insured,due_yuan,paid_yuan")?;
    for m in &facts.months {
        writeln!(
            out,
            "{},{},{},{},{}",
            m.uscc.as_str(),
            m.month,
            m.insured,
            m.due,
            m.paid
        )?;
    }
    out.flush()?;
    let mut out = open("claimants.csv")?;
    writeln!(out, "uscc,year,new_claimants")?;
    for c in &facts.claimants {
        writeln!(out, "{},{},{}", c.uscc.as_str(), c.year, c.new_claimants)?;
    }
    out.flush()?;
    Ok(())
}
