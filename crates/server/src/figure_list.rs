//! The figures of 监督统计, each with its key (CSV column, API field, `figure=`
//! parameter), its label and how it is read from a line of totals; and the
//! observations the equalization indices take. Shared by the page, the CSV and the API.

use yichuang_domain::equalization::Observation;
use yichuang_domain::population::{census_2020, census_2020_total, economic_region};
use yichuang_domain::{Jurisdiction, RegionCode};

use crate::figures_report::Area;
use crate::state::AppState;

/// A figure a region can be ranked on.
pub(crate) struct Figure {
    pub key: &'static str,
    pub label: &'static str,
    pub value: fn(&Area) -> Option<f64>,
    pub percent: bool,
}

#[allow(clippy::cast_precision_loss)]
pub(crate) const FIGURES: [Figure; 14] = [
    Figure {
        key: "on_time_rate",
        label: "figures-on-time-rate",
        value: |a| a.cases.on_time_rate(),
        percent: true,
    },
    Figure {
        key: "first_time_rate",
        label: "figures-first-time-rate",
        value: |a| a.cases.first_time_rate(),
        percent: true,
    },
    Figure {
        key: "online_rate",
        label: "figures-online-rate",
        value: |a| a.cases.online_rate(),
        percent: true,
    },
    Figure {
        key: "overdue_now",
        label: "figures-overdue-now",
        value: |a| a.overdue.map(|n| n as f64),
        percent: false,
    },
    Figure {
        key: "notices_per_case",
        label: "figures-notices-per-case",
        value: |a| a.cases.notices_per_case(),
        percent: false,
    },
    Figure {
        key: "mean_days",
        label: "figures-mean-days",
        value: |a| a.cases.mean_days(),
        percent: false,
    },
    Figure {
        key: "p90_days",
        label: "figures-p90-days",
        value: |a| a.cases.p90_days().map(f64::from),
        percent: false,
    },
    Figure {
        key: "per_10k_residents",
        label: "figures-per-10k",
        value: |a| {
            let people = residents(&a.code)?;
            Some(a.cases.submitted as f64 * 10_000.0 / people as f64)
        },
        percent: false,
    },
    Figure {
        key: "submitted",
        label: "figures-submitted",
        value: |a| Some(a.cases.submitted as f64),
        percent: false,
    },
    Figure {
        key: "mean_wait_minutes",
        label: "figures-mean-wait",
        value: |a| a.waits.mean_minutes(),
        percent: false,
    },
    Figure {
        key: "p90_wait_minutes",
        label: "figures-p90-wait",
        value: |a| a.waits.p90_minutes().map(f64::from),
        percent: false,
    },
    Figure {
        key: "within_15_minutes_rate",
        label: "figures-within-15",
        value: |a| a.waits.within_15_rate(),
        percent: true,
    },
    Figure {
        key: "satisfaction_rate",
        label: "figures-satisfaction-rate",
        value: |a| a.ratings.satisfaction_rate(),
        percent: true,
    },
    Figure {
        key: "follow_up_rate",
        label: "figures-follow-up-rate",
        value: |a| a.ratings.follow_up_rate(),
        percent: true,
    },
];

/// An item's name as the catalog's newest version gives it (its id if unknown).
pub(crate) fn item_name(state: &AppState, item: &str) -> String {
    state
        .catalog
        .catalog
        .versions(item)
        .last()
        .map_or_else(|| item.to_owned(), |g| g.name.clone())
}

/// The 2020 census population of a province or of the whole country (`000000`);
/// none below the province level, where our sources give none.
pub(crate) fn residents(code: &str) -> Option<u64> {
    match Jurisdiction::parse(code).ok()? {
        Jurisdiction::Nation => Some(census_2020_total()),
        Jurisdiction::Region(region) => census_2020(region),
    }
}

/// The figures an item's line shows: all but those kept by county only (overdue now,
/// hall waits) and the residents' one (a region's).
pub(crate) fn item_figures() -> impl Iterator<Item = &'static Figure> {
    FIGURES.iter().filter(|f| {
        !matches!(
            f.key,
            "overdue_now"
                | "mean_wait_minutes"
                | "p90_wait_minutes"
                | "within_15_minutes_rate"
                | "per_10k_residents"
        )
    })
}

/// The areas with a positive figure, as the equalization indices take them. Provinces
/// carry their census population (for the weighted CV) and economic region (for the
/// Theil decomposition); where any area lacks one, none carries it.
pub(crate) fn observations(areas: &[Area], figure: &Figure) -> Vec<Observation> {
    let mut observations: Vec<Observation> = areas
        .iter()
        .filter_map(|a| {
            let value = (figure.value)(a).filter(|v| *v > 0.0)?;
            let province = RegionCode::parse(&a.code).ok();
            #[allow(clippy::cast_precision_loss)]
            let population = province.and_then(census_2020).map(|n| n as f64);
            Some(Observation {
                region: a.code.clone(),
                value,
                population,
                group: province.and_then(economic_region).map(str::to_owned),
            })
        })
        .collect();
    if observations.iter().any(|o| o.population.is_none()) {
        observations.iter_mut().for_each(|o| o.population = None);
    }
    if observations.iter().any(|o| o.group.is_none()) {
        observations.iter_mut().for_each(|o| o.group = None);
    }
    observations
}

/// How many synthetic cases the store holds (0 without a synthetic year).
pub(crate) async fn synthetic_cases(state: &AppState) -> i64 {
    state
        .store
        .counters("synthetic|cases")
        .await
        .map(|c| c.iter().map(|c| c.value).sum())
        .unwrap_or(0)
}
