//! The indices over one set of regions. For regions i = 1..n with values x_i > 0,
//! mean μ and population shares p_i:
//! CV = σ/μ with σ the population standard deviation; CV_w = √(Σ p_i (x_i − μ_w)²)/μ_w
//! with μ_w = Σ p_i x_i; Gini = Σ_i Σ_j |x_i − x_j| / (2 n² μ); Theil T =
//! (1/n) Σ (x_i/μ) ln(x_i/μ); Theil L = (1/n) Σ ln(μ/x_i). Over groups g with n_g
//! members and mean μ_g: T = Σ_g s_g T_g (within) + Σ_g s_g ln(μ_g/μ) (between) with
//! s_g = n_g μ_g / (n μ); L = Σ_g (n_g/n) L_g (within) + Σ_g (n_g/n) ln(μ/μ_g) (between).

use std::collections::BTreeMap;

use serde::Serialize;

/// One region's figure, with its population and group where known.
#[derive(Debug, Clone, PartialEq)]
pub struct Observation {
    pub region: String,
    pub value: f64,
    pub population: Option<f64>,
    pub group: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Decomposition {
    pub theil_t_between: f64,
    pub theil_t_within: f64,
    pub theil_l_between: f64,
    pub theil_l_within: f64,
}

/// The indices; `cv_weighted` when every region has a population, the decomposition
/// when every region has a group.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Indices {
    pub n: usize,
    pub mean: f64,
    pub cv: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cv_weighted: Option<f64>,
    pub gini: f64,
    pub theil_t: f64,
    pub theil_l: f64,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub decomposition: Option<Decomposition>,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EqualizationError {
    #[error("there are no regions to compare")]
    Empty,
    /// By position in the input.
    #[error(
        "the value of {region} is {value}; every value must be a positive number (Theil's indices take its logarithm)"
    )]
    NotPositive {
        index: usize,
        region: String,
        value: f64,
    },
    #[error("the population of {region} is {population}; a population must be a positive number")]
    BadPopulation {
        index: usize,
        region: String,
        population: f64,
    },
    #[error("{region} has a population but {other} has none: give every region one, or none")]
    SomePopulations {
        index: usize,
        region: String,
        other: String,
    },
    #[error("{region} has a group but {other} has none: give every region one, or none")]
    SomeGroups {
        index: usize,
        region: String,
        other: String,
    },
}

fn theil_t(values: &[f64], mean: f64) -> f64 {
    let n = values.len() as f64;
    values
        .iter()
        .map(|x| (x / mean) * (x / mean).ln())
        .sum::<f64>()
        / n
}

fn theil_l(values: &[f64], mean: f64) -> f64 {
    let n = values.len() as f64;
    values.iter().map(|x| (mean / x).ln()).sum::<f64>() / n
}

fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len() as f64
}

/// Gini by the sorted form Σ (2i − n − 1) x_(i) / (n² μ), equal to the pairwise one.
fn gini(values: &[f64], mean: f64) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len() as f64;
    let weighted: f64 = sorted
        .iter()
        .enumerate()
        .map(|(i, x)| (2.0 * (i as f64 + 1.0) - n - 1.0) * x)
        .sum();
    weighted / (n * n * mean)
}

/// Every value positive; populations and groups on all regions or none.
fn check(observations: &[Observation]) -> Result<(), EqualizationError> {
    let first = observations.first().ok_or(EqualizationError::Empty)?;
    for (index, o) in observations.iter().enumerate() {
        if !(o.value.is_finite() && o.value > 0.0) {
            return Err(EqualizationError::NotPositive {
                index,
                region: o.region.clone(),
                value: o.value,
            });
        }
        if let Some(p) = o.population
            && !(p.is_finite() && p > 0.0)
        {
            return Err(EqualizationError::BadPopulation {
                index,
                region: o.region.clone(),
                population: p,
            });
        }
        if o.population.is_some() != first.population.is_some() {
            let (with, without) = if o.population.is_some() {
                (o, first)
            } else {
                (first, o)
            };
            return Err(EqualizationError::SomePopulations {
                index,
                region: with.region.clone(),
                other: without.region.clone(),
            });
        }
        if o.group.is_some() != first.group.is_some() {
            let (with, without) = if o.group.is_some() {
                (o, first)
            } else {
                (first, o)
            };
            return Err(EqualizationError::SomeGroups {
                index,
                region: with.region.clone(),
                other: without.region.clone(),
            });
        }
    }
    Ok(())
}

/// The indices of a set of regions, or why they cannot be computed.
pub fn indices(observations: &[Observation]) -> Result<Indices, EqualizationError> {
    check(observations)?;
    let values: Vec<f64> = observations.iter().map(|o| o.value).collect();
    let n = values.len();
    let mu = mean(&values);
    let sigma = (values.iter().map(|x| (x - mu).powi(2)).sum::<f64>() / n as f64).sqrt();
    let cv_weighted = observations
        .iter()
        .map(|o| o.population)
        .collect::<Option<Vec<f64>>>()
        .map(|populations| {
            let total: f64 = populations.iter().sum();
            let shares: Vec<f64> = populations.iter().map(|p| p / total).collect();
            let mu_w: f64 = shares.iter().zip(&values).map(|(p, x)| p * x).sum();
            let var_w: f64 = shares
                .iter()
                .zip(&values)
                .map(|(p, x)| p * (x - mu_w).powi(2))
                .sum();
            var_w.sqrt() / mu_w
        });
    let decomposition = observations
        .iter()
        .map(|o| o.group.clone())
        .collect::<Option<Vec<String>>>()
        .map(|groups| decompose(&values, &groups, mu));
    Ok(Indices {
        n,
        mean: mu,
        cv: sigma / mu,
        cv_weighted,
        gini: gini(&values, mu),
        theil_t: theil_t(&values, mu),
        theil_l: theil_l(&values, mu),
        decomposition,
    })
}

fn decompose(values: &[f64], groups: &[String], mu: f64) -> Decomposition {
    let mut members: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
    for (value, group) in values.iter().zip(groups) {
        members.entry(group.as_str()).or_default().push(*value);
    }
    let n = values.len() as f64;
    let mut d = Decomposition {
        theil_t_between: 0.0,
        theil_t_within: 0.0,
        theil_l_between: 0.0,
        theil_l_within: 0.0,
    };
    for group in members.values() {
        let n_g = group.len() as f64;
        let mu_g = mean(group);
        let income_share = n_g * mu_g / (n * mu);
        let population_share = n_g / n;
        d.theil_t_within += income_share * theil_t(group, mu_g);
        d.theil_t_between += income_share * (mu_g / mu).ln();
        d.theil_l_within += population_share * theil_l(group, mu_g);
        d.theil_l_between += population_share * (mu / mu_g).ln();
    }
    d
}
