//! `yichuang catalog check|test|list|show|diff|coverage|history|schema`.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use jiff::civil::Date;
use serde_json::json;
use yichuang_catalog::{CatalogErrors, LoadedCatalog};
use yichuang_domain::RegionCode;
use yichuang_domain::catalog::{
    Catalog, GUIDE_ELEMENTS, LimitUnit, Provenance, ResolvedGuide, StatutoryLimit, TimeLimit,
    deviation,
};

use crate::Outcome;
use crate::clock::{parse_date, today_in_china};
use crate::output::{print_fields, print_json};

#[derive(Debug, Args)]
pub(crate) struct CatalogArgs {
    /// Read the catalog from this folder instead of the copy built into the binary.
    #[arg(long, global = true, env = "YICHUANG_CATALOG_DIR")]
    catalog: Option<PathBuf>,
    #[command(subcommand)]
    command: CatalogCommand,
}

#[derive(Debug, Subcommand)]
enum CatalogCommand {
    /// Check every file; every error names file, line and field. Exit 1 on any error.
    Check {
        #[arg(long)]
        json: bool,
    },
    /// Run every policy rule's examples; exit 1 if any gives another outcome.
    Test {
        #[arg(long)]
        json: bool,
    },
    /// The items in force on a date.
    List {
        #[arg(long, value_parser = parse_date)]
        date: Option<Date>,
        #[arg(long)]
        json: bool,
    },
    /// A region's resolved guide for an item, with where each value came from.
    Show {
        item: String,
        #[arg(long)]
        region: RegionCode,
        #[arg(long, value_parser = parse_date)]
        date: Option<Date>,
        #[arg(long)]
        json: bool,
    },
    /// The deviation report (标准差) of a region against the national baseline.
    Diff {
        #[arg(long)]
        region: RegionCode,
        #[arg(long, value_parser = parse_date)]
        date: Option<Date>,
        #[arg(long)]
        json: bool,
    },
    /// Per region and project: items, implementations, guide completeness, online, cross-province.
    Coverage {
        #[arg(long, value_parser = parse_date)]
        date: Option<Date>,
        #[arg(long)]
        json: bool,
    },
    /// Every version of an item and of its regional implementations, with what changed.
    History {
        item: String,
        #[arg(long)]
        json: bool,
    },
    /// JSON Schema of the catalog files, for editors.
    Schema {
        /// Only the schema of one file kind.
        #[arg(long, value_parser = ["standards", "projects", "defaults", "items", "regions", "synonyms", "life_events", "policies"], conflicts_with = "facts")]
        kind: Option<String>,
        /// The facts a policy rule of this subject may read, instead of a file schema.
        #[arg(long, value_parser = ["employer_year"])]
        facts: Option<String>,
    },
}

/// Loads the catalog the user chose: a folder, or the built-in copy.
pub(crate) fn load(dir: Option<&std::path::Path>) -> Result<LoadedCatalog, CatalogErrors> {
    match dir {
        Some(dir) => yichuang_catalog::load_dir(dir),
        None => yichuang_catalog::builtin(),
    }
}

pub(crate) fn run(args: CatalogArgs) -> anyhow::Result<Outcome> {
    if let CatalogCommand::Schema { kind, facts } = &args.command {
        if let Some(subject) = facts {
            return crate::catalog_examples::fact_schema(subject);
        }
        return schema(kind.as_deref());
    }
    let loaded = match load(args.catalog.as_deref()) {
        Ok(loaded) => loaded,
        Err(errors) => {
            return report_errors(
                &errors,
                matches!(args.command, CatalogCommand::Check { json: true }),
            );
        }
    };
    let catalog = &loaded.catalog;
    match args.command {
        CatalogCommand::Check { json } => check_ok(&loaded, json),
        CatalogCommand::Test { json } => crate::catalog_examples::run(&loaded, json),
        CatalogCommand::List { date, json } => {
            list(catalog, date.unwrap_or_else(today_in_china), json)
        }
        CatalogCommand::Show {
            item,
            region,
            date,
            json,
        } => show(
            catalog,
            &item,
            region,
            date.unwrap_or_else(today_in_china),
            json,
        ),
        CatalogCommand::Diff { region, date, json } => {
            diff(catalog, region, date.unwrap_or_else(today_in_china), json)
        }
        CatalogCommand::Coverage { date, json } => {
            coverage(catalog, date.unwrap_or_else(today_in_china), json)
        }
        CatalogCommand::History { item, json } => history(catalog, &item, json),
        CatalogCommand::Schema { .. } => Ok(Outcome::Done),
    }
}

fn report_errors(errors: &CatalogErrors, json: bool) -> anyhow::Result<Outcome> {
    if json {
        print_json(&json!({ "valid": false, "errors": errors.0 }))?;
    } else {
        for error in &errors.0 {
            eprintln!("{error}");
        }
        eprintln!("catalog check failed: {} error(s)", errors.0.len());
    }
    Ok(Outcome::Invalid)
}

fn check_ok(loaded: &LoadedCatalog, json: bool) -> anyhow::Result<Outcome> {
    let catalog = &loaded.catalog;
    let policies = loaded.policies.len();
    let items = catalog.item_ids().len();
    if json {
        print_json(&json!({
            "valid": true,
            "standards": catalog.standards.len(),
            "projects": catalog.projects.len(),
            "items": items,
            "item_versions": catalog.guides.len(),
            "regions": catalog.regions().len(),
            "variants": catalog.variants.len(),
            "policies": policies,
        }))?;
    } else {
        println!(
            "catalog ok: {} standards, {} projects, {items} items ({} versions), {} regions with {} variants, {policies} policies",
            catalog.standards.len(),
            catalog.projects.len(),
            catalog.guides.len(),
            catalog.regions().len(),
            catalog.variants.len()
        );
    }
    Ok(Outcome::Done)
}

fn schema(kind: Option<&str>) -> anyhow::Result<Outcome> {
    let all = yichuang_catalog::schema();
    let chosen = match kind {
        None => all,
        Some(kind) => {
            let key = match kind {
                "items" | "regions" | "policies" => format!("{kind}/*.toml"),
                other => format!("{other}.toml"),
            };
            all["$defs"][key].clone()
        }
    };
    print_json(&chosen)?;
    Ok(Outcome::Done)
}

fn list(catalog: &Catalog, date: Date, json: bool) -> anyhow::Result<Outcome> {
    let guides: Vec<_> = catalog
        .item_ids()
        .into_iter()
        .filter_map(|id| catalog.guide_at(id, date).ok())
        .collect();
    if json {
        let rows: Vec<_> = guides
            .iter()
            .map(|g| json!({ "item": g.item, "name": g.name, "project": g.project, "version": g.version, "illustrative": g.provenance.is_illustrative() }))
            .collect();
        print_json(&rows)?;
    } else {
        for g in &guides {
            println!("{:<40} v{}  {}  [{}]", g.item, g.version, g.name, g.project);
        }
        println!("{} items in force on {date}", guides.len());
    }
    Ok(Outcome::Done)
}

pub(crate) fn limit_text(limit: &TimeLimit) -> String {
    if limit.unit == LimitUnit::OnTheSpot {
        return "即办（当场办结）".to_owned();
    }
    format!(
        "{}{}（自{}起算）",
        limit.amount,
        limit.unit.name_zh(),
        limit.start
    )
}

fn provenance_text(p: &Provenance) -> String {
    match p {
        Provenance::Official { citation } => format!("official: {citation}"),
        Provenance::Illustrative { note } => format!("ILLUSTRATIVE — {note}"),
    }
}

fn show(
    catalog: &Catalog,
    item: &str,
    region: RegionCode,
    date: Date,
    json: bool,
) -> anyhow::Result<Outcome> {
    let resolved = catalog.resolve(item, region, date)?;
    if json {
        print_json(&json!({ "illustrative": resolved.is_illustrative(), "resolved": resolved }))?;
        return Ok(Outcome::Done);
    }
    print_guide(&resolved);
    Ok(Outcome::Done)
}

fn print_guide(resolved: &ResolvedGuide) {
    let g = &resolved.guide;
    if resolved.is_illustrative() {
        println!("[ILLUSTRATIVE] parts of this guide are examples, not an official standard");
    }
    println!(
        "{} ({} v{}) — {} {}, as of {}",
        g.name,
        g.item,
        g.version,
        resolved.region,
        resolved.region.full_name(),
        resolved.date
    );
    let statutory = match &g.statutory {
        StatutoryLimit::Set(limit) => format!(
            "{} [{}]",
            limit_text(limit),
            limit.basis.as_ref().map_or("", |b| b.0.as_str())
        ),
        StatutoryLimit::NoneByLaw { note } => format!("法律未规定 ({note})"),
        StatutoryLimit::Unknown => "unknown to the catalog".to_owned(),
    };
    let promised = g
        .promised
        .as_ref()
        .map_or_else(|| "none published".to_owned(), limit_text);
    let channels: Vec<String> = resolved
        .channel_origins
        .iter()
        .map(|(c, o)| format!("{}({})", c.name_zh(), o.label()))
        .collect();
    let mut fields = vec![
        ("适用范围", g.scope.clone()),
        ("办件类型", format!("{:?}", g.kind)),
        ("办理方式", channels.join(", ")),
        (
            "现场办事次数",
            g.visits
                .map_or_else(|| "unknown".to_owned(), |v| v.to_string()),
        ),
        (
            "设立依据",
            if g.basis.is_empty() {
                "unknown to the catalog".to_owned()
            } else {
                g.basis
                    .iter()
                    .map(|b| b.0.as_str())
                    .collect::<Vec<_>>()
                    .join("; ")
            },
        ),
        ("办理条件", g.conditions.join("; ")),
        ("法定时限", statutory),
        (
            "承诺时限",
            format!("{promised} [{}]", resolved.promised_origin.label()),
        ),
    ];
    if let Some(acceptance) = &g.acceptance {
        fields.push((
            "受理审核时限",
            format!(
                "{}{}",
                limit_text(acceptance),
                if acceptance.restart_on_supplement {
                    "，补正后重新起算"
                } else {
                    ""
                }
            ),
        ));
    }
    fields.extend([
        ("收费", g.fee.clone().unwrap_or_default()),
        ("审批结果", g.result.clone().unwrap_or_default()),
        ("结果送达", g.delivery.join("; ")),
        (
            "办理地点",
            if g.halls.is_empty() {
                "各地公布".to_owned()
            } else {
                format!("{} [{}]", g.halls.join("; "), resolved.halls_origin.label())
            },
        ),
        ("咨询方式", g.consultation.clone().unwrap_or_default()),
        ("进程查询", g.progress_query.clone().unwrap_or_default()),
        ("监督投诉", g.complaint.clone().unwrap_or_default()),
    ]);
    print_fields(&fields);
    println!("  申办材料:");
    for m in &resolved.materials {
        let mut marks = vec![if m.material.required {
            "必需"
        } else {
            "非必需"
        }];
        if m.material.key {
            marks.push("关键");
        }
        if m.material.commitment_allowed {
            marks.push("可告知承诺");
        }
        if m.material.fetchable {
            marks.push("免提交");
        }
        println!(
            "    - {} ({:?} ×{}, {}) [{}] {}",
            m.material.name,
            m.material.form,
            m.material.count,
            marks.join("/"),
            m.origin.label(),
            m.material
                .legal_basis
                .as_ref()
                .map_or(String::new(), |b| format!("依据 {}", b.0))
        );
    }
    for d in &resolved.dropped {
        println!(
            "    - dropped: {} — {} [{}]",
            d.name,
            d.reason,
            d.origin.label()
        );
    }
    println!("  办理流程:");
    for s in &g.steps {
        println!(
            "    - {:?} by {:?}, {} {:?}: {}",
            s.kind, s.role, s.budget_days, s.budget_unit, s.description
        );
    }
    println!("  provenance:");
    for v in &resolved.applied {
        println!(
            "    - {} v{} from {}: {}",
            v.origin.label(),
            v.version,
            v.effective,
            provenance_text(&v.provenance)
        );
    }
    println!("  content hash: {}", resolved.content_hash);
}

fn diff(catalog: &Catalog, region: RegionCode, date: Date, json: bool) -> anyhow::Result<Outcome> {
    let mut deviations = Vec::new();
    for item in catalog.item_ids() {
        let Ok(baseline) = catalog.guide_at(item, date) else {
            continue;
        };
        let resolved = catalog.resolve(item, region, date)?;
        let d = deviation(&resolved, baseline);
        if !d.is_empty() {
            deviations.push(d);
        }
    }
    if json {
        print_json(&json!({ "region": region, "date": date, "deviations": deviations }))?;
        return Ok(Outcome::Done);
    }
    println!(
        "deviation report (标准差) of {} {} against the national baseline, {date}",
        region,
        region.full_name()
    );
    if deviations.is_empty() {
        println!("  no deviations");
    }
    for d in &deviations {
        println!(
            "{} {}{}",
            d.item,
            d.name,
            if d.illustrative {
                " [ILLUSTRATIVE]"
            } else {
                ""
            }
        );
        if let Some(change) = &d.promised {
            let text =
                |l: &Option<TimeLimit>| l.as_ref().map_or_else(|| "none".to_owned(), limit_text);
            println!(
                "  promised limit {}: {} → {} [{}]",
                change.direction,
                text(&change.baseline),
                text(&change.resolved),
                change.origin.label()
            );
        }
        for m in &d.materials_added {
            println!(
                "  material added: {} [{}]",
                m.material.name,
                m.origin.label()
            );
        }
        for m in &d.materials_dropped {
            println!(
                "  material dropped: {} — {} [{}]",
                m.name,
                m.reason,
                m.origin.label()
            );
        }
        for (c, o) in &d.channels_added {
            println!("  channel added: {} [{}]", c.name_zh(), o.label());
        }
        for c in &d.channels_missing {
            println!("  channel missing: {}", c.name_zh());
        }
    }
    Ok(Outcome::Done)
}

fn coverage(catalog: &Catalog, date: Date, json: bool) -> anyhow::Result<Outcome> {
    let rows = yichuang_catalog::coverage(catalog, date);
    if json {
        print_json(&json!({ "date": date, "elements": GUIDE_ELEMENTS, "rows": rows }))?;
        return Ok(Outcome::Done);
    }
    println!(
        "{:<28} {:<26} {:>5} {:>11} {:>12} {:>6} {:>14}",
        "region", "project", "items", "implemented", "completeness", "online", "cross-province"
    );
    for r in &rows {
        let region = r
            .region
            .map_or_else(|| "national".to_owned(), |c| format!("{} {}", c, c.name()));
        println!(
            "{:<28} {:<26} {:>5} {:>11} {:>11.0}% {:>6} {:>14}{}",
            region,
            r.project,
            r.items,
            r.implemented,
            r.completeness * 100.0,
            r.online,
            r.cross_province,
            if r.illustrative {
                "  [illustrative]"
            } else {
                ""
            }
        );
    }
    Ok(Outcome::Done)
}

fn history(catalog: &Catalog, item: &str, json: bool) -> anyhow::Result<Outcome> {
    let entries = yichuang_catalog::history(catalog, item);
    if entries.is_empty() {
        anyhow::bail!("no service item {item:?} in the catalog (see `yichuang catalog list`)");
    }
    if json {
        print_json(&entries)?;
        return Ok(Outcome::Done);
    }
    for e in &entries {
        let layer = e.region.map_or_else(
            || "national".to_owned(),
            |r| format!("{} {}", r, r.full_name()),
        );
        let until = e.ends.map_or_else(|| "open".to_owned(), |d| d.to_string());
        println!(
            "{layer} v{} in force {} – {until}{}",
            e.version,
            e.effective,
            if e.illustrative {
                " [illustrative]"
            } else {
                ""
            }
        );
        if let Some(note) = &e.note {
            println!("  note: {note}");
        }
        for change in &e.changes {
            println!("  - {change}");
        }
    }
    Ok(Outcome::Done)
}
