//! Regions' own rating settings (`[ratings]`) and star criteria (`[stars]`) in a region
//! file: every value checked, unset ones kept at the national defaults.

use yichuang_domain::RegionCode;
use yichuang_domain::rating::{DefaultRating, Level, RatingPolicy, Stage, StarCriteria};

use super::{Builder, Parsed};

impl Builder<'_> {
    pub(super) fn rating_settings(&mut self, parsed: &Parsed) -> Vec<(RegionCode, RatingPolicy)> {
        let mut out = Vec::new();
        for (file, region_file) in &parsed.regions {
            let Some(spanned) = &region_file.ratings else {
                continue;
            };
            // A bad region code is reported with the file's variants.
            let Ok(region) = RegionCode::parse(region_file.region.get_ref()) else {
                continue;
            };
            let (raw, at) = (spanned.get_ref(), spanned.span().start);
            let errors_before = self.errors.len();
            let national = RatingPolicy::default();
            if raw.version <= national.version {
                self.push(
                    *file,
                    at,
                    "ratings: version",
                    format!(
                        "a region's settings are numbered above the national ones (version {})",
                        national.version
                    ),
                );
            }
            if raw.source.trim().is_empty() {
                self.push(
                    *file,
                    at,
                    "ratings: source",
                    "say where the settings come from",
                );
            }
            let case_stages = match &raw.case_stages {
                None => national.case_stages.clone(),
                Some(names) => {
                    let stages: Vec<Stage> = names
                        .iter()
                        .filter_map(|name| {
                            let stage = Stage::parse(name).filter(|s| *s != Stage::Visit);
                            if stage.is_none() {
                                self.push(
                                    *file,
                                    at,
                                    "ratings: case_stages",
                                    format!(
                                        "{name:?} is not a stage of a case (acceptance, completion)"
                                    ),
                                );
                            }
                            stage
                        })
                        .collect();
                    if !stages.contains(&Stage::Completion) {
                        self.push(
                            *file,
                            at,
                            "ratings: case_stages",
                            "every case is rated at least at completion (一事一评)",
                        );
                    }
                    stages
                }
            };
            let default_rating = match (raw.default_after_days, raw.default_level.as_deref()) {
                (None, None) => None,
                (Some(after_days), Some(level)) => match Level::parse(level) {
                    Some(level) if !level.is_poor() && after_days > 0 => {
                        Some(DefaultRating { after_days, level })
                    }
                    Some(level) if level.is_poor() => {
                        self.push(
                            *file,
                            at,
                            "ratings: default_level",
                            "a default rating is never a poor one (差评 needs a person)",
                        );
                        None
                    }
                    Some(_) => {
                        self.push(
                            *file,
                            at,
                            "ratings: default_after_days",
                            "a default needs at least one day",
                        );
                        None
                    }
                    None => {
                        self.push(
                            *file,
                            at,
                            "ratings: default_level",
                            format!("{level:?} is not a level (very_satisfied, satisfied, basic)"),
                        );
                        None
                    }
                },
                _ => {
                    self.push(
                        *file,
                        at,
                        "ratings",
                        "default_after_days and default_level go together",
                    );
                    None
                }
            };
            if self.errors.len() > errors_before {
                continue;
            }
            out.push((
                region,
                RatingPolicy {
                    version: raw.version,
                    late_days: raw.late_days.unwrap_or(national.late_days),
                    contact_days: raw.contact_days.unwrap_or(national.contact_days),
                    close_days: raw.close_days.unwrap_or(national.close_days),
                    rectify_days: raw.rectify_days.unwrap_or(national.rectify_days),
                    text_max: national.text_max,
                    case_stages,
                    default_rating,
                    source: raw.source.trim().to_owned(),
                },
            ));
        }
        out
    }
}

impl Builder<'_> {
    pub(super) fn star_criteria(&mut self, parsed: &Parsed) -> Vec<(RegionCode, StarCriteria)> {
        let mut out = Vec::new();
        for (file, region_file) in &parsed.regions {
            let Some(spanned) = &region_file.stars else {
                continue;
            };
            let Ok(region) = RegionCode::parse(region_file.region.get_ref()) else {
                continue;
            };
            let (raw, at) = (spanned.get_ref(), spanned.span().start);
            let d = StarCriteria::default();
            let criteria = StarCriteria {
                provenance: raw.source.trim().to_owned(),
                satisfaction_weight: raw.satisfaction_weight.unwrap_or(d.satisfaction_weight),
                follow_up_weight: raw.follow_up_weight.unwrap_or(d.follow_up_weight),
                timely_weight: raw.timely_weight.unwrap_or(d.timely_weight),
                on_time_weight: raw.on_time_weight.unwrap_or(d.on_time_weight),
                volume_weight: raw.volume_weight.unwrap_or(d.volume_weight),
                volume_target: raw.volume_target.unwrap_or(d.volume_target),
                min_ratings: raw.min_ratings.unwrap_or(d.min_ratings),
                thresholds: raw.thresholds.unwrap_or(d.thresholds),
            };
            let mut problems = Vec::new();
            if criteria.provenance.is_empty() {
                problems.push((
                    "stars: source",
                    "say where the criteria come from".to_owned(),
                ));
            }
            let weights = [
                criteria.satisfaction_weight,
                criteria.follow_up_weight,
                criteria.timely_weight,
                criteria.on_time_weight,
                criteria.volume_weight,
            ];
            if weights.iter().any(|w| !w.is_finite() || *w < 0.0)
                || weights.iter().sum::<f64>() <= 0.0
            {
                problems.push((
                    "stars: weights",
                    "weights are numbers of 0 or more, not all 0".to_owned(),
                ));
            }
            let t = criteria.thresholds;
            if t.iter().any(|v| !(0.0..=100.0).contains(v)) || t.windows(2).any(|p| p[0] <= p[1]) {
                problems.push((
                    "stars: thresholds",
                    "four scores out of 100 for 5, 4, 3 and 2 stars, each lower than the one before".to_owned(),
                ));
            }
            if criteria.min_ratings < 1 || criteria.volume_target < 1 {
                problems.push((
                    "stars: min_ratings",
                    "min_ratings and volume_target are 1 or more".to_owned(),
                ));
            }
            if problems.is_empty() {
                out.push((region, criteria));
            }
            for (field, message) in problems {
                self.push(*file, at, field, message);
            }
        }
        out
    }
}
