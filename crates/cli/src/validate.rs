//! `yichuang validate id|uscc|region`.

use clap::{Args, Subcommand};
use jiff::civil::Date;
use serde::Serialize;
use serde_json::json;
use yichuang_domain::region::NamedRegion;
use yichuang_domain::uscc::Registration;
use yichuang_domain::{Notice, RegionCode, RegionTrail, ResidentId, Uscc};

use crate::Outcome;
use crate::clock::{parse_date, today_in_china};
use crate::output::{print_fields, print_json};

#[derive(Debug, Subcommand)]
pub(crate) enum ValidateCommand {
    /// A citizen identity number (GB 11643), 18 characters or a 15-digit first-generation number.
    Id {
        value: String,
        /// Judge the birth date as of this date (default: today in China).
        #[arg(long, value_parser = parse_date)]
        today: Option<Date>,
        #[command(flatten)]
        format: Format,
    },
    /// A unified social credit code (GB 32100).
    Uscc {
        value: String,
        #[command(flatten)]
        format: Format,
    },
    /// An administrative division code (GB/T 2260, 2025 table), 6 or 9 digits.
    Region {
        value: String,
        #[command(flatten)]
        format: Format,
    },
}

#[derive(Debug, Args)]
pub(crate) struct Format {
    /// Print the result as JSON on stdout.
    #[arg(long)]
    json: bool,
}

pub(crate) fn run(command: ValidateCommand) -> anyhow::Result<Outcome> {
    match command {
        ValidateCommand::Id {
            value,
            today,
            format,
        } => resident_id(&value, today.unwrap_or_else(today_in_china), format.json),
        ValidateCommand::Uscc { value, format } => uscc(&value, format.json),
        ValidateCommand::Region { value, format } => region(&value, format.json),
    }
}

#[derive(Serialize)]
struct NoticeOut {
    #[serde(flatten)]
    notice: Notice,
    message: String,
}

fn split_notices(notices: &[Notice]) -> (Vec<NoticeOut>, Vec<NoticeOut>) {
    let out = |n: &Notice| NoticeOut {
        notice: n.clone(),
        message: n.message(),
    };
    (
        notices.iter().filter(|n| n.is_warning()).map(out).collect(),
        notices
            .iter()
            .filter(|n| !n.is_warning())
            .map(out)
            .collect(),
    )
}

fn print_notices(notices: &[Notice]) {
    for notice in notices {
        let label = if notice.is_warning() {
            "warning"
        } else {
            "note"
        };
        println!("{label}: {}", notice.message());
    }
}

/// Reports an invalid value: JSON on stdout, or one line on stderr.
fn invalid(
    kind: &str,
    what: &str,
    input: &str,
    code: &str,
    reason: String,
    json: bool,
) -> anyhow::Result<Outcome> {
    if json {
        print_json(&json!({
            "valid": false,
            "kind": kind,
            "input": input,
            "error": { "code": code, "message": reason },
        }))?;
    } else {
        eprintln!("invalid {what}: {reason}");
    }
    Ok(Outcome::Invalid)
}

fn trail_json(trail: &RegionTrail) -> serde_json::Value {
    json!({ "code": trail.code, "in_table": trail.in_table(), "chain": trail.chain })
}

fn resident_id(input: &str, today: Date, json: bool) -> anyhow::Result<Outcome> {
    let parsed = match ResidentId::parse(input, today) {
        Ok(parsed) => parsed,
        Err(e) => {
            return invalid(
                "resident_id",
                "identity number",
                input,
                e.code(),
                e.to_string(),
                json,
            );
        }
    };
    let id = parsed.value;
    let region = id.region();
    if json {
        let (warnings, notes) = split_notices(&parsed.notices);
        print_json(&json!({
            "valid": true,
            "kind": "resident_id",
            "value": id.as_str(),
            "masked": id.masked(),
            "birth_date": id.birth_date(),
            "sex": id.sex(),
            "region": trail_json(&region),
            "warnings": warnings,
            "notes": notes,
        }))?;
    } else {
        println!("valid identity number {}", id.as_str());
        print_fields(&[
            ("masked", id.masked()),
            ("birth date", id.birth_date().to_string()),
            (
                "sex",
                format!("{:?} ({})", id.sex(), id.sex().name_zh()).to_lowercase(),
            ),
            ("region", format!("{} {}", region.code, region.full_name())),
        ]);
        print_notices(&parsed.notices);
    }
    Ok(Outcome::Done)
}

fn uscc(input: &str, json: bool) -> anyhow::Result<Outcome> {
    let parsed = match Uscc::parse(input) {
        Ok(parsed) => parsed,
        Err(e) => {
            return invalid(
                "uscc",
                "unified social credit code",
                input,
                e.code(),
                e.to_string(),
                json,
            );
        }
    };
    let code = parsed.value;
    let (authority, authority_name) = code.authority();
    let (org_type, org_type_name) = code.organization_type();
    let registration = code.registration();
    if json {
        let (warnings, notes) = split_notices(&parsed.notices);
        let region = match &registration {
            Registration::National => json!({ "code": "100000", "national": true, "chain": [] }),
            Registration::Region(trail) => trail_json(trail),
        };
        print_json(&json!({
            "valid": true,
            "kind": "uscc",
            "value": code.as_str(),
            "authority": { "code": authority.to_string(), "name": authority_name },
            "organization_type": { "code": org_type.to_string(), "name": org_type_name },
            "region": region,
            "organization_code": code.organization_code(),
            "warnings": warnings,
            "notes": notes,
        }))?;
    } else {
        let region = match &registration {
            Registration::National => "100000 national (central registration)".to_owned(),
            Registration::Region(trail) => format!("{} {}", trail.code, trail.full_name()),
        };
        println!("valid unified social credit code {}", code.as_str());
        print_fields(&[
            ("authority", format!("{authority} {authority_name}")),
            ("type", format!("{org_type} {org_type_name}")),
            ("region", region),
            ("organization code", code.organization_code()),
        ]);
        print_notices(&parsed.notices);
    }
    Ok(Outcome::Done)
}

fn named(region: RegionCode) -> NamedRegion {
    NamedRegion {
        code: region.to_string(),
        name: region.name(),
    }
}

fn region(input: &str, json: bool) -> anyhow::Result<Outcome> {
    let region = match RegionCode::parse(input) {
        Ok(region) => region,
        Err(e) => {
            return invalid(
                "region",
                "division code",
                input,
                e.code(),
                e.to_string(),
                json,
            );
        }
    };
    let children: Vec<NamedRegion> = region.children().map(named).collect();
    if json {
        print_json(&json!({
            "valid": true,
            "kind": "region",
            "value": region.to_string(),
            "name": region.name(),
            "full_name": region.full_name(),
            "level": region.level(),
            "parent": region.parent().map(named),
            "ancestors": region.ancestors().into_iter().map(named).collect::<Vec<_>>(),
            "children": children,
        }))?;
    } else {
        println!("valid division code {} {}", region, region.name());
        let child_names: Vec<&str> = children.iter().map(|c| c.name).collect();
        print_fields(&[
            ("full name", region.full_name()),
            (
                "level",
                format!(
                    "{} ({})",
                    region.level().name_en(),
                    region.level().name_zh()
                ),
            ),
            (
                "parent",
                region
                    .parent()
                    .map_or_else(|| "none".to_owned(), |p| format!("{} {}", p, p.name())),
            ),
            (
                "children",
                format!("{}: {}", children.len(), child_names.join(" ")),
            ),
        ]);
    }
    Ok(Outcome::Done)
}
