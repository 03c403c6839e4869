//! Reports over a loaded catalog: version history and coverage.

use jiff::civil::Date;
use serde::Serialize;
use yichuang_domain::RegionCode;
use yichuang_domain::catalog::{Catalog, Channel, Guide, Origin, Variant};

/// One version of an item or of a region's variant, with what it changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HistoryEntry {
    /// `None` for the national guide.
    pub region: Option<RegionCode>,
    pub version: u32,
    pub effective: Date,
    pub ends: Option<Date>,
    pub note: Option<String>,
    /// What differs from the previous version of the same layer.
    pub changes: Vec<String>,
    pub illustrative: bool,
}

/// Every version of the national guide and of each region's variant, oldest first.
pub fn history(catalog: &Catalog, item: &str) -> Vec<HistoryEntry> {
    let mut entries = Vec::new();
    let versions = catalog.versions(item);
    for (i, guide) in versions.iter().enumerate() {
        let changes = match i.checked_sub(1).map(|p| versions[p]) {
            Some(previous) => guide_changes(previous, guide),
            None => vec!["first version".to_owned()],
        };
        entries.push(HistoryEntry {
            region: None,
            version: guide.version,
            effective: guide.effective,
            ends: guide.ends,
            note: guide.change_note.clone(),
            changes,
            illustrative: guide.provenance.is_illustrative(),
        });
    }
    let mut variants: Vec<&Variant> = catalog.variants.iter().filter(|v| v.item == item).collect();
    variants.sort_by_key(|v| (v.region, v.version));
    for (i, variant) in variants.iter().enumerate() {
        let previous = i
            .checked_sub(1)
            .map(|p| variants[p])
            .filter(|p| p.region == variant.region);
        entries.push(HistoryEntry {
            region: Some(variant.region),
            version: variant.version,
            effective: variant.effective,
            ends: variant.ends,
            note: variant.change_note.clone(),
            changes: match previous {
                Some(previous) => variant_changes(previous, variant),
                None => vec![format!(
                    "first implementation by {}",
                    variant.region.full_name()
                )],
            },
            illustrative: variant.provenance.is_illustrative(),
        });
    }
    entries
}

fn limit_text(limit: Option<&yichuang_domain::catalog::TimeLimit>) -> String {
    limit.map_or_else(
        || "none".to_owned(),
        |l| format!("{} {:?}", l.amount, l.unit),
    )
}

fn id_changes<'a>(
    before: impl Iterator<Item = &'a str> + Clone,
    after: impl Iterator<Item = &'a str> + Clone,
    what: &str,
) -> Vec<String> {
    let mut changes = Vec::new();
    for id in after.clone() {
        if !before.clone().any(|b| b == id) {
            changes.push(format!("{what} added: {id}"));
        }
    }
    for id in before {
        if !after.clone().any(|a| a == id) {
            changes.push(format!("{what} removed: {id}"));
        }
    }
    changes
}

fn guide_changes(before: &Guide, after: &Guide) -> Vec<String> {
    let mut changes = Vec::new();
    if before.name != after.name {
        changes.push(format!("name: {} → {}", before.name, after.name));
    }
    if before.statutory != after.statutory {
        changes.push("statutory limit changed".to_owned());
    }
    if before.promised != after.promised {
        changes.push(format!(
            "promised limit: {} → {}",
            limit_text(before.promised.as_ref()),
            limit_text(after.promised.as_ref())
        ));
    }
    changes.extend(id_changes(
        before.materials.iter().map(|m| m.id.as_str()),
        after.materials.iter().map(|m| m.id.as_str()),
        "material",
    ));
    for m in &after.materials {
        if let Some(old) = before.materials.iter().find(|o| o.id == m.id)
            && old != m
        {
            changes.push(format!("material changed: {}", m.id));
        }
    }
    changes.extend(id_changes(
        before.channels.iter().map(|c| c.name_zh()),
        after.channels.iter().map(|c| c.name_zh()),
        "channel",
    ));
    if before.basis != after.basis {
        changes.push("legal basis changed".to_owned());
    }
    if before.conditions != after.conditions {
        changes.push("conditions changed".to_owned());
    }
    if before.steps != after.steps {
        changes.push("procedure steps changed".to_owned());
    }
    if before.flags != after.flags {
        changes.push("flags changed".to_owned());
    }
    if changes.is_empty() {
        changes.push("no change in content".to_owned());
    }
    changes
}

fn variant_changes(before: &Variant, after: &Variant) -> Vec<String> {
    let mut changes = Vec::new();
    if before.promised != after.promised {
        changes.push(format!(
            "promised limit: {} → {}",
            limit_text(before.promised.as_ref()),
            limit_text(after.promised.as_ref())
        ));
    }
    changes.extend(id_changes(
        before.add_materials.iter().map(|m| m.id.as_str()),
        after.add_materials.iter().map(|m| m.id.as_str()),
        "added material",
    ));
    changes.extend(id_changes(
        before.drop_materials.iter().map(|m| m.id.as_str()),
        after.drop_materials.iter().map(|m| m.id.as_str()),
        "dropped material",
    ));
    changes.extend(id_changes(
        before.add_channels.iter().map(|c| c.name_zh()),
        after.add_channels.iter().map(|c| c.name_zh()),
        "added channel",
    ));
    if before.halls != after.halls {
        changes.push("halls changed".to_owned());
    }
    if changes.is_empty() {
        changes.push("no change in content".to_owned());
    }
    changes
}

/// One region × project line of the coverage report.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct CoverageRow {
    /// `None`: the national baseline.
    pub region: Option<RegionCode>,
    pub project: String,
    pub project_name: String,
    /// Items of the project in force on the date.
    pub items: usize,
    /// Of those, items this region (or a level above it) implements with a variant.
    pub implemented: usize,
    /// Mean share of the 16 guide elements filled in the resolved guides.
    pub completeness: f64,
    pub online: usize,
    pub cross_province: usize,
    pub illustrative: bool,
}

/// Coverage of every project, nationally and for every region that has variants.
pub fn coverage(catalog: &Catalog, date: Date) -> Vec<CoverageRow> {
    let regions: Vec<Option<RegionCode>> = std::iter::once(None)
        .chain(catalog.regions().into_iter().map(Some))
        .collect();
    let mut rows = Vec::new();
    for region in regions {
        for project in &catalog.projects {
            let guides: Vec<_> = catalog
                .item_ids()
                .into_iter()
                .filter_map(|item| catalog.guide_at(item, date).ok())
                .filter(|g| g.project == project.id)
                .collect();
            let resolved: Vec<_> = match region {
                None => Vec::new(),
                Some(region) => guides
                    .iter()
                    .filter_map(|g| catalog.resolve(&g.item, region, date).ok())
                    .collect(),
            };
            let effective: Vec<&Guide> = match region {
                None => guides.clone(),
                Some(_) => resolved.iter().map(|r| &r.guide).collect(),
            };
            let implemented = resolved
                .iter()
                .filter(|r| r.applied.iter().any(|a| a.origin != Origin::National))
                .count();
            let completeness = if effective.is_empty() {
                0.0
            } else {
                effective.iter().map(|g| g.completeness()).sum::<f64>() / effective.len() as f64
            };
            rows.push(CoverageRow {
                region,
                project: project.id.clone(),
                project_name: project.name.clone(),
                items: effective.len(),
                implemented,
                completeness,
                online: effective
                    .iter()
                    .filter(|g| {
                        g.channels
                            .iter()
                            .any(|c| matches!(c, Channel::Online | Channel::Mobile))
                    })
                    .count(),
                cross_province: effective.iter().filter(|g| g.flags.cross_province).count(),
                illustrative: resolved.iter().any(|r| r.is_illustrative()),
            });
        }
    }
    rows
}
