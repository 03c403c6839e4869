//! The deviation report (标准差): how a region's resolved guide differs from the
//! national baseline.

use serde::Serialize;

use super::guide::{Channel, TimeLimit};
use super::resolve::{DroppedBy, Origin, ResolvedGuide, ResolvedMaterial};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct LimitChange {
    pub baseline: Option<TimeLimit>,
    pub resolved: Option<TimeLimit>,
    pub origin: Origin,
    /// "shorter", "longer" or "changed" (different units).
    pub direction: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Deviation {
    pub item: String,
    pub name: String,
    pub materials_added: Vec<ResolvedMaterial>,
    pub materials_dropped: Vec<DroppedBy>,
    pub promised: Option<LimitChange>,
    pub channels_added: Vec<(Channel, Origin)>,
    pub channels_missing: Vec<Channel>,
    pub illustrative: bool,
}

impl Deviation {
    pub fn is_empty(&self) -> bool {
        self.materials_added.is_empty()
            && self.materials_dropped.is_empty()
            && self.promised.is_none()
            && self.channels_added.is_empty()
            && self.channels_missing.is_empty()
    }
}

/// Compares a resolved guide with the national baseline it was resolved from.
pub fn deviation(resolved: &ResolvedGuide, baseline: &super::Guide) -> Deviation {
    let promised = (resolved.guide.promised != baseline.promised).then(|| {
        let direction = match (&baseline.promised, &resolved.guide.promised) {
            (Some(b), Some(r)) if b.unit == r.unit && r.amount < b.amount => "shorter",
            (Some(b), Some(r)) if b.unit == r.unit && r.amount > b.amount => "longer",
            _ => "changed",
        };
        LimitChange {
            baseline: baseline.promised.clone(),
            resolved: resolved.guide.promised.clone(),
            origin: resolved.promised_origin,
            direction,
        }
    });
    Deviation {
        item: baseline.item.clone(),
        name: baseline.name.clone(),
        materials_added: resolved
            .materials
            .iter()
            .filter(|m| m.origin != Origin::National)
            .cloned()
            .collect(),
        materials_dropped: resolved.dropped.clone(),
        promised,
        channels_added: resolved
            .channel_origins
            .iter()
            .filter(|(_, o)| *o != Origin::National)
            .copied()
            .collect(),
        channels_missing: baseline
            .channels
            .iter()
            .filter(|c| !resolved.guide.channels.contains(c))
            .copied()
            .collect(),
        illustrative: resolved.is_illustrative(),
    }
}
