//! What the API sends: one type per response body. Handlers build these instead of
//! ad-hoc JSON, so the OpenAPI document (whose schemas schemars derives from these
//! same types, see `openapi.rs`) describes exactly what goes over the wire.

use jiff::civil::Date;
use schemars::JsonSchema;
use serde::Serialize;
use yichuang_catalog::CoverageRow;
use yichuang_domain::RegionCode;
use yichuang_domain::case::{
    Applicant, Case, CaseEvent, CaseState, EventBody, Staff, WarningLevel,
};
use yichuang_domain::catalog::{Deviation, ResolvedGuide};
use yichuang_domain::resident_id::Sex;
use yichuang_engine::Response;
use yichuang_search::Hit;
use yichuang_store::{CaseSummary, Hall, IdentityRead};

/// Items in force on a date.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ItemList {
    pub date: Date,
    pub items: Vec<ItemEntry>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct ItemEntry {
    pub item: String,
    pub name: String,
    pub project: String,
    pub version: u32,
    /// Some values are not from a cited source (see the guide's provenance).
    pub illustrative: bool,
}

/// A region's resolved guide.
#[derive(Debug, Serialize, JsonSchema)]
pub struct GuideBody {
    pub illustrative: bool,
    pub guide: ResolvedGuide,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct SearchResults {
    pub region: RegionCode,
    pub date: Date,
    /// Best first.
    pub hits: Vec<Hit>,
}

/// How a region's guides differ from the national baseline (only items that differ).
#[derive(Debug, Serialize, JsonSchema)]
pub struct DeviationReport {
    pub region: RegionCode,
    pub date: Date,
    pub deviations: Vec<Deviation>,
}

/// How far each region implements each project's items, as of a date.
#[derive(Debug, Serialize, JsonSchema)]
pub struct CoverageReport {
    pub date: Date,
    /// The national baseline (`region` null) first, then every region with variants.
    pub rows: Vec<CoverageRow>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct HallList {
    pub region: RegionCode,
    pub halls: Vec<Hall>,
}

/// What an applicant may see of their case without signing in.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Progress {
    pub case: String,
    /// The human-readable case number (`330211-20261130-00001`).
    pub number: Option<String>,
    /// The item's name.
    pub item: String,
    pub state: CaseState,
    /// The promised deadline, or the statutory one where nothing is promised.
    pub deadline: Option<Date>,
    /// The deadline was counted on a provisional calendar (its year's holiday schedule
    /// is not yet published) and will be counted again when it is.
    pub deadline_provisional: bool,
    pub steps: Vec<ProgressStep>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct ProgressStep {
    pub on: Date,
    /// The event's name, e.g. `accepted`.
    pub event: String,
    pub state: Option<CaseState>,
}

/// The answer to a submission or command, once it is durable.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(transparent)]
pub struct CaseAnswer(pub Response);

#[derive(Debug, Serialize, JsonSchema)]
pub struct CaseList {
    /// Earliest deadline first.
    pub cases: Vec<ListedCase>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct ListedCase {
    pub case: CaseSummary,
    pub warning: WarningLevel,
}

/// One case and its history. Identity numbers are masked unless `identity_masked` is
/// false (a recorded read by a role that may see them).
#[derive(Debug, Serialize, JsonSchema)]
pub struct CaseDetail {
    pub case: Case,
    pub identity_masked: bool,
    /// The warning level of the promised (else statutory) clock; none before acceptance.
    pub warning: Option<WarningLevel>,
    pub events: Vec<EventView>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct EventView {
    pub event: CaseEvent,
    /// This event's link in the case's hash chain.
    pub hash: String,
}

impl CaseDetail {
    /// The applicant masked unless `show_full`; an agent always masked.
    pub fn new(
        mut case: Case,
        events: Vec<EventView>,
        show_full: bool,
        warning: Option<WarningLevel>,
    ) -> CaseDetail {
        if !show_full {
            case.applicant = masked(&case.applicant);
        }
        case.agent = case.agent.as_ref().map(masked);
        // Each event shows what it recorded (masked the same way), never the projection.
        let events = events
            .into_iter()
            .map(|mut view| {
                if let EventBody::Submitted { submission, .. } = &mut view.event.body {
                    if !show_full {
                        submission.applicant = masked(&submission.applicant);
                    }
                    submission.agent = submission.agent.as_ref().map(masked);
                }
                view
            })
            .collect();
        CaseDetail {
            case,
            identity_masked: !show_full,
            warning,
            events,
        }
    }
}

fn masked(applicant: &Applicant) -> Applicant {
    match applicant {
        Applicant::Person(_) => Applicant::Person(applicant.masked()),
        Applicant::Employer(code) => Applicant::Employer(code.clone()),
    }
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct IdentityReadList {
    /// Newest first, on cases in the caller's jurisdiction.
    pub reads: Vec<IdentityRead>,
    /// When the page is full: pass as `before` for the next page.
    pub next_before: Option<String>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct NewSession {
    /// Send as `Authorization: Bearer …`; shown once, stored only as a hash.
    pub token: String,
    pub staff: Staff,
}

/// A valid resident identity number, decoded.
#[derive(Debug, Serialize, JsonSchema)]
pub struct PersonInfo {
    pub masked: String,
    pub birth_date: Date,
    pub sex: Sex,
    pub region: NamedPlace,
    pub notices: Vec<IdentityNotice>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct NamedPlace {
    pub code: String,
    pub name: String,
}

/// Something worth knowing about a valid number (e.g. a code no longer in the table).
#[derive(Debug, Serialize, JsonSchema)]
pub struct IdentityNotice {
    pub warning: bool,
    pub message: String,
}

/// A valid unified social credit code, decoded.
#[derive(Debug, Serialize, JsonSchema)]
pub struct EmployerInfo {
    pub code: String,
    pub authority: String,
    pub organization_type: String,
    pub organization_code: String,
    pub region: NamedPlace,
}

/// Published rating figures: counts (after appeals) and the rates drawn from them.
#[derive(Debug, Serialize, JsonSchema)]
pub struct PublishedFigures {
    #[serde(flatten)]
    pub counts: yichuang_domain::rating::RatingFigures,
    /// Not-poor ratings as a share of all counted; null without ratings.
    pub satisfaction_rate: Option<f64>,
    /// Poor ratings whose follow-up is closed, as a share of poor ratings.
    pub follow_up_rate: Option<f64>,
    /// Closed follow-ups closed by their deadline, as a share of closed ones.
    pub timely_rate: Option<f64>,
}

impl From<&yichuang_domain::rating::RatingFigures> for PublishedFigures {
    fn from(f: &yichuang_domain::rating::RatingFigures) -> PublishedFigures {
        PublishedFigures {
            counts: *f,
            satisfaction_rate: f.satisfaction_rate(),
            follow_up_rate: f.follow_up_rate(),
            timely_rate: f.timely_rate(),
        }
    }
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct PublishedLine {
    /// A division code, a hall id or an item id.
    pub code: String,
    pub name: String,
    pub figures: PublishedFigures,
}

/// 评价结果公开 for a region (or the country) and month. No personal data.
#[derive(Debug, Serialize, JsonSchema)]
pub struct PublishedRatings {
    /// Null: the whole country.
    pub region: Option<RegionCode>,
    /// `YYYY-MM`.
    pub month: String,
    pub figures: PublishedFigures,
    /// The next level down.
    pub areas: Vec<PublishedLine>,
    pub halls: Vec<PublishedLine>,
    pub items: Vec<PublishedLine>,
}

/// Every figure of 监督统计 by its key (`on_time_rate`, `submitted`, …; the keys of
/// the CSV's columns): null where there is nothing to count or it is not kept there
/// (overdue cases per item, hall waits per item, residents below the province).
pub type FigureValues = std::collections::BTreeMap<String, Option<f64>>;

/// A region, province or item with its figures.
#[derive(Debug, Serialize, JsonSchema)]
pub struct FiguresLine {
    /// A division code, or an item id.
    pub code: String,
    pub name: String,
    pub figures: FigureValues,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct FiguresMonth {
    /// `YYYY-MM`, or `YYYY-MM-DD` in a report by day.
    pub month: String,
    pub figures: FigureValues,
}

/// 监督统计 of a region (or the whole country) over a run of months or days: read from the
/// totals kept as events are committed, never from the cases.
#[derive(Debug, Serialize, JsonSchema)]
pub struct SupervisionFigures {
    /// A division code, or `000000` for the whole country.
    pub region: String,
    pub name: String,
    /// `YYYY-MM` (months) or `YYYY-MM-DD` (days), both ends included.
    pub from: String,
    pub to: String,
    /// The store holds synthetic cases (`demo generate`), and these figures count them.
    pub includes_synthetic: bool,
    pub figures: FigureValues,
    /// The next level down (the provinces for the whole country), by code.
    pub areas: Vec<FiguresLine>,
    /// The region's items, by item id.
    pub items: Vec<FiguresLine>,
    /// False when the items are not kept for this period (a city's or a county's run
    /// of days: items by day are kept for provinces and the country only); `items` is
    /// then empty.
    pub items_kept: bool,
    /// The region's figures month by month, or day by day (`month` then holds the day).
    pub months: Vec<FiguresMonth>,
    /// For each figure, how evenly it is spread over `areas` with a positive value
    /// (均等化): null with fewer than two. Provinces add the CV weighted by their 2020
    /// census population and the Theil indices split between and within the National
    /// Bureau of Statistics' four economic regions.
    pub evenness:
        std::collections::BTreeMap<String, Option<yichuang_domain::equalization::Indices>>,
}

/// What a pushed facts file did: rows read, rows new or changed, and every bad row
/// with its line (nothing is written when there is one).
#[derive(Debug, Serialize, JsonSchema)]
#[serde(transparent)]
pub struct FactsImport(pub yichuang_engine::ImportReport);
