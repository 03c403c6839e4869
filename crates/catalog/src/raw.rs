//! The catalog files as written: serde shapes with source spans, and the JSON Schema
//! that `yichuang catalog schema` prints. Every field is documented in catalog/README.md.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Deserialize;
use toml::Spanned;
use yichuang_domain::catalog::{
    Applicant, Channel, ItemKind, LimitUnit, MaterialForm, ProjectDomain, Role, StandardCategory,
    StandardTier, StepKind,
};
use yichuang_domain::proactive::PolicyPurpose;

/// `provenance = { kind = "official", citation = "…" }` or `{ kind = "illustrative", note = "…" }`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawProvenance {
    pub kind: ProvenanceKind,
    /// Required for `official`: the public source.
    pub citation: Option<String>,
    /// Why it is illustrative, or any remark.
    pub note: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProvenanceKind {
    Official,
    Illustrative,
}

/// `catalog/standards.toml`
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StandardsFile {
    pub standard: Vec<RawStandard>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawStandard {
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    pub title: String,
    pub tier: StandardTier,
    pub category: StandardCategory,
    pub issuer: String,
    pub provenance: RawProvenance,
}

/// `catalog/projects.toml`
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProjectsFile {
    pub project: Vec<RawProject>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawProject {
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    pub name: String,
    pub domain: ProjectDomain,
    pub department: String,
    pub note: Option<String>,
    pub provenance: RawProvenance,
}

/// `catalog/life_events.toml`: items grouped by the event in life they serve (一件事).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LifeEventsFile {
    pub life_event: Vec<RawLifeEvent>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawLifeEvent {
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    pub name: String,
    pub name_en: String,
    /// Item ids, each in the catalog.
    #[schemars(with = "Vec<String>")]
    pub items: Vec<Spanned<String>>,
    pub provenance: RawProvenance,
}

/// `catalog/defaults.toml`: values every item has unless it sets its own.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DefaultsFile {
    pub fee: Option<String>,
    pub delivery: Option<Vec<String>>,
    pub consultation: Option<String>,
    pub progress_query: Option<String>,
    pub complaint: Option<String>,
}

/// `catalog/items/*.toml`
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemsFile {
    #[schemars(with = "Vec<RawItem>")]
    pub item: Vec<Spanned<RawItem>>,
}

/// One version of one service item's national guide.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawItem {
    /// Stable identifier: lower-case letters, digits and hyphens.
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    #[schemars(with = "u32")]
    pub version: Spanned<u32>,
    /// YYYY-MM-DD: the first day this version is in force.
    #[schemars(with = "String")]
    pub effective: Spanned<String>,
    /// YYYY-MM-DD: the first day it is no longer in force (default: the next version's
    /// effective date).
    #[schemars(with = "Option<String>")]
    pub ends: Option<Spanned<String>>,
    pub name: String,
    #[schemars(with = "String")]
    pub project: Spanned<String>,
    pub summary: String,
    pub scope: String,
    pub applicant: Applicant,
    pub kind: ItemKind,
    #[schemars(with = "Vec<Channel>")]
    pub channels: Spanned<Vec<Channel>>,
    pub visits: Option<u32>,
    #[schemars(with = "Vec<String>")]
    pub basis: Spanned<Vec<String>>,
    #[serde(default)]
    pub conditions: Vec<String>,
    #[serde(default)]
    #[schemars(with = "Vec<RawMaterial>")]
    pub material: Vec<Spanned<RawMaterial>>,
    #[serde(default)]
    #[schemars(with = "Vec<RawStep>")]
    pub step: Vec<Spanned<RawStep>>,
    /// The limit for deciding whether to accept, where the law sets one.
    #[schemars(with = "Option<RawLimit>")]
    pub acceptance: Option<Spanned<RawLimit>>,
    #[schemars(with = "RawStatutory")]
    pub statutory: Spanned<RawStatutory>,
    #[schemars(with = "Option<RawLimit>")]
    pub promised: Option<Spanned<RawLimit>>,
    pub fee: Option<String>,
    pub result: Option<String>,
    pub delivery: Option<Vec<String>>,
    pub consultation: Option<String>,
    pub progress_query: Option<String>,
    pub complaint: Option<String>,
    #[serde(default)]
    pub flags: RawFlags,
    #[serde(default)]
    pub keywords: Vec<String>,
    /// What this version changed, in a sentence.
    pub change_note: Option<String>,
    pub provenance: RawProvenance,
}

#[derive(Debug, Default, Clone, Copy, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawFlags {
    #[serde(default)]
    pub cross_province: bool,
    #[serde(default)]
    pub fully_online: bool,
    #[serde(default)]
    pub proactive: bool,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawMaterial {
    pub id: String,
    pub name: String,
    pub form: MaterialForm,
    #[serde(default = "one")]
    pub count: u32,
    pub required: bool,
    pub issuer: String,
    /// May be replaced by a signed commitment (告知承诺).
    #[serde(default)]
    pub commitment: bool,
    /// The office fetches it from shared data (免提交).
    #[serde(default)]
    pub fetchable: bool,
    /// Key material: no provisional acceptance (容缺受理) without it.
    #[serde(default)]
    pub key: bool,
    /// The article that requires it; a required-by-law material can never be dropped.
    pub legal_basis: Option<String>,
}

fn one() -> u32 {
    1
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawStep {
    pub kind: StepKind,
    pub role: Role,
    pub budget: u32,
    pub unit: LimitUnit,
    pub description: String,
}

/// A time limit.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawLimit {
    pub amount: u32,
    pub unit: LimitUnit,
    /// The start event; the period starts the day after it.
    pub start: Option<String>,
    pub suspension: Option<String>,
    pub extension: Option<RawExtension>,
    #[serde(default)]
    pub restart_on_supplement: bool,
    pub basis: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawExtension {
    pub amount: u32,
    pub unit: LimitUnit,
    pub condition: String,
    pub approver: String,
}

/// The statutory limit: `status = "set"` with the limit's fields, `"none_by_law"` with a
/// note, or `"unknown"` when no source is known.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawStatutory {
    pub status: StatutoryStatus,
    pub amount: Option<u32>,
    pub unit: Option<LimitUnit>,
    pub start: Option<String>,
    pub suspension: Option<String>,
    pub extension: Option<RawExtension>,
    #[serde(default)]
    pub restart_on_supplement: bool,
    pub basis: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum StatutoryStatus {
    Set,
    NoneByLaw,
    Unknown,
}

/// `catalog/regions/*.toml`: one region's implementations.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RegionFile {
    /// GB/T 2260 code of the implementing region.
    #[schemars(with = "String")]
    pub region: Spanned<String>,
    /// Default provenance of every variant in the file.
    pub provenance: RawProvenance,
    /// Halls of this region, used by every variant that names none.
    #[serde(default)]
    pub halls: Vec<String>,
    #[serde(default)]
    #[schemars(with = "Vec<RawVariant>")]
    pub variant: Vec<Spanned<RawVariant>>,
    /// The region's own rating settings (好差评), for it and every region below it
    /// that sets none; unset fields keep the national defaults.
    #[schemars(with = "Option<RawRatingSettings>")]
    pub ratings: Option<Spanned<RawRatingSettings>>,
    /// The region's own criteria for star windows and service models (星级窗口), for it
    /// and every region below it that sets none; unset fields keep the defaults.
    #[schemars(with = "Option<RawStarCriteria>")]
    pub stars: Option<Spanned<RawStarCriteria>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawStarCriteria {
    /// Where the criteria come from, as cited, or why they are illustrative.
    pub source: String,
    pub satisfaction_weight: Option<f64>,
    pub follow_up_weight: Option<f64>,
    pub timely_weight: Option<f64>,
    pub on_time_weight: Option<f64>,
    pub volume_weight: Option<f64>,
    pub volume_target: Option<i64>,
    pub min_ratings: Option<i64>,
    /// The lowest score for 5, 4, 3 and 2 stars, highest first.
    pub thresholds: Option<[f64; 4]>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawRatingSettings {
    /// Raised on every change: ratings record the version they were taken under.
    pub version: u32,
    /// Where the settings come from, as cited (a document, or POLICY-FACTS §1).
    pub source: String,
    pub late_days: Option<u32>,
    pub contact_days: Option<u32>,
    pub close_days: Option<u32>,
    pub rectify_days: Option<u32>,
    /// Which stages of a case are rated: `acceptance`, `completion`.
    pub case_stages: Option<Vec<String>>,
    /// Calendar days after which a service nobody rated counts as `default_level`.
    pub default_after_days: Option<u32>,
    /// `very_satisfied`, `satisfied` or `basic` (a default is never a poor rating).
    pub default_level: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawVariant {
    #[schemars(with = "String")]
    pub item: Spanned<String>,
    pub version: u32,
    #[schemars(with = "String")]
    pub effective: Spanned<String>,
    #[schemars(with = "Option<String>")]
    pub ends: Option<Spanned<String>>,
    #[schemars(with = "Option<RawLimit>")]
    pub promised: Option<Spanned<RawLimit>>,
    #[serde(default)]
    pub add_materials: Vec<RawMaterial>,
    #[serde(default)]
    #[schemars(with = "Vec<RawDrop>")]
    pub drop_materials: Vec<Spanned<RawDrop>>,
    #[serde(default)]
    pub add_channels: Vec<Channel>,
    #[serde(default)]
    pub halls: Vec<String>,
    pub flags: Option<RawFlags>,
    pub change_note: Option<String>,
    pub provenance: Option<RawProvenance>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawDrop {
    pub id: String,
    /// Why it may be dropped, e.g. "fetched from shared data".
    pub reason: String,
}

/// `catalog/synonyms.toml`: everyday words and abbreviations for search.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SynonymsFile {
    /// Each key is a word people use; its value is what the catalog calls it.
    pub synonyms: BTreeMap<String, String>,
}

/// All file shapes, for `yichuang catalog schema`.
pub fn schema() -> serde_json::Value {
    serde_json::json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "yichuang catalog files",
        "description": "One schema per file kind; see catalog/README.md.",
        "$defs": {
            "standards.toml": schemars::schema_for!(StandardsFile),
            "projects.toml": schemars::schema_for!(ProjectsFile),
            "defaults.toml": schemars::schema_for!(DefaultsFile),
            "items/*.toml": schemars::schema_for!(ItemsFile),
            "regions/*.toml": schemars::schema_for!(RegionFile),
            "synonyms.toml": schemars::schema_for!(SynonymsFile),
            "life_events.toml": schemars::schema_for!(LifeEventsFile),
            "policies/*.toml": schemars::schema_for!(PolicyFile),
        }
    })
}

fn grant() -> PolicyPurpose {
    PolicyPurpose::Grant
}

/// `policies/*.toml`: one policy found from data (免申即享), its rule in CEL.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicyFile {
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    pub name: String,
    pub name_en: Option<String>,
    pub version: String,
    /// The fact schema the rule reads: `employer_year`.
    #[schemars(with = "String")]
    pub subject: Spanned<String>,
    /// `grant` (found from data, 免申即享; the default) or `decide` (decides each
    /// application for the item right after acceptance, 智能审批).
    #[serde(default = "grant")]
    pub purpose: PolicyPurpose,
    /// The catalog item a grant is a case of, or whose applications the rule decides.
    #[schemars(with = "String")]
    pub item: Spanned<String>,
    /// The documents it rests on, as cited.
    pub basis: Vec<String>,
    /// Working days the list is published for objections before grants (公示); a
    /// `grant` policy needs it.
    pub publicity_days: Option<u32>,
    /// CEL giving the amount in cents (an int) when every condition holds.
    #[schemars(with = "Option<String>")]
    pub amount: Option<Spanned<String>>,
    /// Settings the expressions read by name (integers: per mille, per cent, counts).
    #[serde(default)]
    pub params: BTreeMap<String, i64>,
    pub conditions: Vec<RawCondition>,
    /// A region's own settings, applied from the province down.
    #[serde(default)]
    pub overrides: Vec<RawOverride>,
    /// Examples with their expected outcome, run by `yichuang catalog test`.
    #[serde(default)]
    pub examples: Vec<RawExample>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawCondition {
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    /// What the condition means, in the words shown to people.
    pub label: String,
    /// A CEL expression giving a bool.
    #[schemars(with = "String")]
    pub expr: Spanned<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawOverride {
    #[schemars(with = "String")]
    pub region: Spanned<String>,
    pub params: BTreeMap<String, i64>,
    /// Why the region deviates, shown beside its settings.
    pub reason: String,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawExample {
    #[schemars(with = "String")]
    pub name: Spanned<String>,
    pub region: Option<String>,
    #[schemars(with = "BTreeMap<String, serde_json::Value>")]
    pub facts: BTreeMap<String, toml::Value>,
    pub eligible: bool,
    /// The expected amount in yuan with two decimals, as text ("6000.00").
    pub amount_yuan: Option<String>,
}
