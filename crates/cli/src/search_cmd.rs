//! `yichuang search QUERY --region CODE`.

use std::path::PathBuf;

use clap::Args;
use jiff::civil::Date;
use serde_json::json;
use yichuang_domain::RegionCode;
use yichuang_domain::catalog::ResolvedGuide;
use yichuang_search::SearchIndex;

use crate::Outcome;
use crate::catalog_cmd::load;
use crate::clock::{parse_date, today_in_china};
use crate::output::print_json;

#[derive(Debug, Args)]
pub(crate) struct SearchArgs {
    /// What the person is looking for, in their own words ("失业了怎么领钱").
    query: String,
    /// Search the guides as this division implements them.
    #[arg(long)]
    region: RegionCode,
    #[arg(long, value_parser = parse_date)]
    date: Option<Date>,
    /// How many results at most.
    #[arg(long, default_value_t = 5)]
    limit: usize,
    /// Read the catalog from this folder instead of the built-in copy.
    #[arg(long, env = "YICHUANG_CATALOG_DIR")]
    catalog: Option<PathBuf>,
    #[arg(long)]
    json: bool,
}

/// A region's resolved guides and their index.
pub(crate) fn index_for(
    catalog: &yichuang_catalog::LoadedCatalog,
    region: RegionCode,
    date: Date,
) -> anyhow::Result<(Vec<ResolvedGuide>, SearchIndex)> {
    let resolved = catalog.catalog.resolve_all(region, date);
    let index = SearchIndex::build(resolved.iter().map(|r| &r.guide), &catalog.synonyms)?;
    Ok((resolved, index))
}

pub(crate) fn run(args: SearchArgs) -> anyhow::Result<Outcome> {
    let loaded = load(args.catalog.as_deref())?;
    let date = args.date.unwrap_or_else(today_in_china);
    let (resolved, index) = index_for(&loaded, args.region, date)?;
    let hits = index.search(&args.query, args.limit)?;
    let illustrative = |item: &str| {
        resolved
            .iter()
            .any(|r| r.guide.item == item && r.is_illustrative())
    };
    if args.json {
        let rows: Vec<_> = hits
            .iter()
            .map(|h| json!({ "item": h.item, "name": h.name, "score": h.score, "illustrative": illustrative(&h.item) }))
            .collect();
        print_json(
            &json!({ "query": args.query, "region": args.region, "date": date, "terms": index.terms(&index.expand(&args.query)), "hits": rows }),
        )?;
        return Ok(Outcome::Done);
    }
    if hits.is_empty() {
        println!(
            "no service item matches {:?} in {} {}",
            args.query,
            args.region,
            args.region.full_name()
        );
        println!("try other words, or call 12333");
    }
    for (rank, hit) in hits.iter().enumerate() {
        println!(
            "{}. {} ({}){}  score {:.2}",
            rank + 1,
            hit.name,
            hit.item,
            if illustrative(&hit.item) {
                " [illustrative]"
            } else {
                ""
            },
            hit.score
        );
    }
    Ok(Outcome::Done)
}
