//! Resolving a region's guide at a date: baseline, then province, city, county.

use jiff::civil::Date;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::guide::*;
use crate::region::{Level, RegionCode};

/// The whole catalog, checked: every reference resolves, no versions overlap.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    pub standards: Vec<Standard>,
    pub projects: Vec<ServiceProject>,
    /// Every version of every item's national guide.
    pub guides: Vec<Guide>,
    /// Every version of every regional variant.
    pub variants: Vec<Variant>,
    /// Items grouped by the life event they serve (一件事), for finding them.
    pub life_events: Vec<LifeEvent>,
    /// The policies whose rules decide applications (智能审批), one per item at most;
    /// each item's guides name theirs in `decided_by`.
    pub decision_rules: Vec<std::sync::Arc<crate::proactive::Policy>>,
    /// Regions' own rating settings (好差评), by the region that set them.
    pub rating_settings: Vec<(RegionCode, crate::rating::RatingPolicy)>,
    /// Regions' own star criteria (星级窗口), by the region that set them.
    pub star_criteria: Vec<(RegionCode, crate::rating::StarCriteria)>,
}

/// Where a resolved value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "level", rename_all = "snake_case")]
pub enum Origin {
    National,
    Province { region: RegionCode },
    City { region: RegionCode },
    County { region: RegionCode },
    Township { region: RegionCode },
}

impl Origin {
    fn of(region: RegionCode) -> Origin {
        match region.level() {
            Level::Province => Origin::Province { region },
            Level::Prefecture => Origin::City { region },
            Level::County => Origin::County { region },
            Level::Township => Origin::Township { region },
        }
    }

    pub fn label(&self) -> String {
        match self {
            Origin::National => "national".to_owned(),
            Origin::Province { region } => format!("province {} {}", region, region.name()),
            Origin::City { region } => format!("city {} {}", region, region.name()),
            Origin::County { region } => format!("county {} {}", region, region.name()),
            Origin::Township { region } => format!("township {} {}", region, region.name()),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct ResolvedMaterial {
    #[serde(flatten)]
    pub material: Material,
    pub origin: Origin,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct DroppedBy {
    pub id: String,
    pub name: String,
    pub reason: String,
    pub origin: Origin,
}

/// A version of something that was applied, for provenance and history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Versioned {
    pub origin: Origin,
    pub version: u32,
    pub effective: Date,
    pub provenance: Provenance,
}

/// A region's guide for one item as of a date, with where each value came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct ResolvedGuide {
    pub region: RegionCode,
    pub date: Date,
    /// The national guide with every applicable variant applied.
    pub guide: Guide,
    pub materials: Vec<ResolvedMaterial>,
    pub dropped: Vec<DroppedBy>,
    pub promised_origin: Origin,
    pub channel_origins: Vec<(Channel, Origin)>,
    pub halls_origin: Origin,
    pub flags_origin: Origin,
    /// The baseline and each variant applied, national first.
    pub applied: Vec<Versioned>,
    /// SHA-256 of the resolved content: a case keeps it to prove which rules it ran under.
    pub content_hash: String,
}

impl ResolvedGuide {
    /// True when any applied layer is illustrative: it must be labelled as such.
    pub fn is_illustrative(&self) -> bool {
        self.applied.iter().any(|v| v.provenance.is_illustrative())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResolveError {
    #[error("no service item {item:?} in the catalog")]
    UnknownItem { item: String },
    #[error("service item {item} has no version in force on {date} (versions run from {first})")]
    NotInForce {
        item: String,
        date: Date,
        first: Date,
    },
}

impl Catalog {
    /// The rating settings that hold in `region`: its own, or the nearest region above
    /// it that has some, or the national defaults.
    pub fn rating_policy(&self, region: RegionCode) -> crate::rating::RatingPolicy {
        nearest(&self.rating_settings, region).unwrap_or_default()
    }

    /// The star criteria that hold in `region`, found as `rating_policy` is.
    pub fn star_criteria(&self, region: RegionCode) -> crate::rating::StarCriteria {
        nearest(&self.star_criteria, region).unwrap_or_default()
    }

    pub fn item_ids(&self) -> Vec<&str> {
        let mut ids: Vec<&str> = self.guides.iter().map(|g| g.item.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    /// Every version of an item, oldest first.
    pub fn versions(&self, item: &str) -> Vec<&Guide> {
        let mut versions: Vec<&Guide> = self.guides.iter().filter(|g| g.item == item).collect();
        versions.sort_by_key(|g| g.version);
        versions
    }

    pub fn guide_at(&self, item: &str, date: Date) -> Result<&Guide, ResolveError> {
        let versions = self.versions(item);
        let first = versions.first().ok_or_else(|| ResolveError::UnknownItem {
            item: item.to_owned(),
        })?;
        versions
            .iter()
            .find(|g| g.in_force(date))
            .copied()
            .ok_or_else(|| ResolveError::NotInForce {
                item: item.to_owned(),
                date,
                first: first.effective,
            })
    }

    /// The national guide of every item in force on `date`.
    pub fn guides_at(&self, date: Date) -> Vec<&Guide> {
        self.item_ids()
            .into_iter()
            .filter_map(|item| self.guide_at(item, date).ok())
            .collect()
    }

    /// The variant of `item` that `region` itself has in force on `date`.
    pub fn variant_at(&self, item: &str, region: RegionCode, date: Date) -> Option<&Variant> {
        self.variants
            .iter()
            .find(|v| v.item == item && v.region == region && v.in_force(date))
    }

    /// Regions that have any variant, for coverage and diff reports.
    pub fn regions(&self) -> Vec<RegionCode> {
        let mut regions: Vec<RegionCode> = self.variants.iter().map(|v| v.region).collect();
        regions.sort();
        regions.dedup();
        regions
    }

    /// Every item in force on `date`, resolved for `region`.
    pub fn resolve_all(&self, region: RegionCode, date: Date) -> Vec<ResolvedGuide> {
        self.item_ids()
            .into_iter()
            .filter_map(|item| self.resolve(item, region, date).ok())
            .collect()
    }

    pub fn resolve(
        &self,
        item: &str,
        region: RegionCode,
        date: Date,
    ) -> Result<ResolvedGuide, ResolveError> {
        let baseline = self.guide_at(item, date)?;
        let mut guide = baseline.clone();
        let mut materials: Vec<ResolvedMaterial> = baseline
            .materials
            .iter()
            .map(|m| ResolvedMaterial {
                material: m.clone(),
                origin: Origin::National,
            })
            .collect();
        let mut dropped = Vec::new();
        let mut promised_origin = Origin::National;
        let mut channel_origins: Vec<(Channel, Origin)> = baseline
            .channels
            .iter()
            .map(|c| (*c, Origin::National))
            .collect();
        let mut halls_origin = Origin::National;
        let mut flags_origin = Origin::National;
        let mut applied = vec![Versioned {
            origin: Origin::National,
            version: baseline.version,
            effective: baseline.effective,
            provenance: baseline.provenance.clone(),
        }];
        let chain = region.ancestors().into_iter().chain([region]);
        for layer in chain {
            let Some(variant) = self.variant_at(item, layer, date) else {
                continue;
            };
            let origin = Origin::of(layer);
            applied.push(Versioned {
                origin,
                version: variant.version,
                effective: variant.effective,
                provenance: variant.provenance.clone(),
            });
            if let Some(promised) = &variant.promised {
                guide.promised = Some(promised.clone());
                promised_origin = origin;
                if promised.unit == LimitUnit::OnTheSpot {
                    guide.kind = ItemKind::OnTheSpot;
                }
            }
            for drop in &variant.drop_materials {
                if let Some(pos) = materials.iter().position(|m| m.material.id == drop.id) {
                    let removed = materials.remove(pos);
                    dropped.push(DroppedBy {
                        id: drop.id.clone(),
                        name: removed.material.name,
                        reason: drop.reason.clone(),
                        origin,
                    });
                }
            }
            materials.extend(variant.add_materials.iter().map(|m| ResolvedMaterial {
                material: m.clone(),
                origin,
            }));
            for channel in &variant.add_channels {
                if !channel_origins.iter().any(|(c, _)| c == channel) {
                    channel_origins.push((*channel, origin));
                }
            }
            if !variant.halls.is_empty() {
                guide.halls = variant.halls.clone();
                halls_origin = origin;
            }
            if let Some(flags) = variant.flags {
                guide.flags = flags;
                flags_origin = origin;
            }
        }
        guide.materials = materials.iter().map(|m| m.material.clone()).collect();
        channel_origins.sort_by_key(|(c, _)| *c);
        guide.channels = channel_origins.iter().map(|(c, _)| *c).collect();
        let mut resolved = ResolvedGuide {
            region,
            date,
            guide,
            materials,
            dropped,
            promised_origin,
            channel_origins,
            halls_origin,
            flags_origin,
            applied,
            content_hash: String::new(),
        };
        resolved.content_hash = content_hash(&resolved);
        Ok(resolved)
    }
}

/// Hashes the rules, not the question: the same content resolved on another date or
/// for a sub-region without variants of its own hashes the same.
fn content_hash(resolved: &ResolvedGuide) -> String {
    let content = serde_json::json!({
        "guide": resolved.guide,
        "dropped": resolved.dropped,
        "applied": resolved.applied,
    });
    let digest = Sha256::digest(content.to_string().as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The setting of `region` or of the nearest region above it that has one.
fn nearest<T: Clone>(settings: &[(RegionCode, T)], region: RegionCode) -> Option<T> {
    std::iter::successors(Some(region), |r| r.parent()).find_map(|r| {
        settings
            .iter()
            .find(|(code, _)| *code == r)
            .map(|(_, setting)| setting.clone())
    })
}
