//! 星级窗口: a window's (or a clerk's) stars for a period from its ratings. No national
//! 人社 standard for star windows was found (POLICY-FACTS §1), so the criteria are a
//! setting, shown with every result, and the defaults are illustrative.

use serde::{Deserialize, Serialize};

use super::figures::RatingFigures;

/// How stars are given: a score out of 100 from weighted rates, and the score each
/// star needs. Windows with too few ratings get no stars (too few to judge).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct StarCriteria {
    /// `illustrative` until a region sets its own.
    pub provenance: String,
    pub satisfaction_weight: f64,
    pub follow_up_weight: f64,
    pub timely_weight: f64,
    /// 按时办结率: the share of cases completed within their limit by the clerk (for a
    /// window: by the clerks who served at it). Left out of the score, weight and all,
    /// where no case was completed.
    pub on_time_weight: f64,
    pub volume_weight: f64,
    /// Ratings in the period that count as full volume.
    pub volume_target: i64,
    /// Fewer ratings than this: no stars.
    pub min_ratings: i64,
    /// The lowest score for 5, 4, 3 and 2 stars (below the last: 1 star).
    pub thresholds: [f64; 4],
}

impl Default for StarCriteria {
    fn default() -> StarCriteria {
        StarCriteria {
            provenance: "illustrative".to_owned(),
            satisfaction_weight: 0.5,
            follow_up_weight: 0.15,
            timely_weight: 0.15,
            on_time_weight: 0.1,
            volume_weight: 0.1,
            volume_target: 100,
            min_ratings: 10,
            thresholds: [95.0, 90.0, 80.0, 70.0],
        }
    }
}

/// A result with what it was computed from.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Stars {
    /// 1–5, or none with too few ratings.
    pub stars: Option<u8>,
    pub score: Option<f64>,
    pub rated: i64,
    pub satisfaction_rate: Option<f64>,
    /// A window without poor ratings has nothing to follow up: counted as 1.
    pub follow_up_rate: f64,
    pub timely_rate: f64,
    /// None where no case was completed in the period.
    pub on_time_rate: Option<f64>,
    /// Cases completed in the period, and of those on time.
    pub completed: i64,
    pub volume_share: f64,
}

/// Cases completed in a period, and of those within their limit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OnTime {
    pub completed: i64,
    pub on_time: i64,
}

impl OnTime {
    /// Adds a running total by its name (`completed`, `on_time`; others ignored).
    pub fn add(&mut self, name: &str, value: i64) {
        match name {
            "completed" => self.completed += value,
            "on_time" => self.on_time += value,
            _ => {}
        }
    }

    #[allow(clippy::cast_precision_loss)]
    pub fn rate(self) -> Option<f64> {
        (self.completed > 0).then(|| self.on_time as f64 / self.completed as f64)
    }
}

impl StarCriteria {
    #[allow(clippy::cast_precision_loss)]
    pub fn stars(&self, f: &RatingFigures, cases: OnTime) -> Stars {
        let satisfaction = f.satisfaction_rate();
        let follow_up = f.follow_up_rate().unwrap_or(1.0);
        let timely = f.timely_rate().unwrap_or(1.0);
        let on_time = cases.rate();
        let volume = (f.rated as f64 / self.volume_target.max(1) as f64).min(1.0);
        let on_time_weight = if on_time.is_some() {
            self.on_time_weight
        } else {
            0.0
        };
        let score = satisfaction
            .filter(|_| f.rated >= self.min_ratings)
            .map(|s| {
                100.0
                    * (self.satisfaction_weight * s
                        + self.follow_up_weight * follow_up
                        + self.timely_weight * timely
                        + on_time_weight * on_time.unwrap_or(0.0)
                        + self.volume_weight * volume)
                    / (self.satisfaction_weight
                        + self.follow_up_weight
                        + self.timely_weight
                        + on_time_weight
                        + self.volume_weight)
                        .max(f64::EPSILON)
            });
        let stars = score.map(|s| {
            let above = self.thresholds.iter().take_while(|t| s < **t).count();
            5 - above as u8
        });
        Stars {
            stars,
            score,
            rated: f.rated,
            satisfaction_rate: satisfaction,
            follow_up_rate: follow_up,
            timely_rate: timely,
            on_time_rate: on_time,
            completed: cases.completed,
            volume_share: volume,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{OnTime, RatingFigures, StarCriteria};

    fn figures(rated: i64, poor: i64, closed: i64, on_time: i64) -> RatingFigures {
        let mut f = RatingFigures::default();
        for (name, value) in [
            ("rated", rated),
            ("very_satisfied", rated - poor),
            ("dissatisfied", poor),
            ("poor", poor),
            ("closed", closed),
            ("closed_on_time", on_time),
        ] {
            f.add(name, value);
        }
        f
    }

    const NO_CASES: OnTime = OnTime {
        completed: 0,
        on_time: 0,
    };

    #[test]
    fn stars_follow_the_score_and_need_enough_ratings() {
        // The weights without cases: 0.5, 0.15, 0.15 and 0.1 of 0.9.
        let c = StarCriteria::default();
        let all_good = c.stars(&figures(100, 0, 0, 0), NO_CASES);
        assert_eq!(all_good.stars, Some(5));
        assert!((all_good.score.unwrap_or(0.0) - 100.0).abs() < 1e-9);
        // 10 % poor, all followed up in time, full volume: (0.5·0.9 + 0.4) / 0.9.
        let some_poor = c.stars(&figures(100, 10, 10, 10), NO_CASES);
        assert!((some_poor.score.unwrap_or(0.0) - 85.0 / 0.9).abs() < 1e-9);
        assert_eq!(some_poor.stars, Some(4));
        // Poor ratings not followed up pull it down further.
        assert_eq!(c.stars(&figures(100, 10, 0, 0), NO_CASES).stars, Some(2));
        assert_eq!(
            c.stars(&figures(9, 0, 0, 0), NO_CASES).stars,
            None,
            "too few to judge"
        );
        assert_eq!(c.stars(&figures(50, 40, 0, 0), NO_CASES).stars, Some(1));
    }

    #[test]
    fn the_on_time_rate_counts_only_where_cases_were_completed() {
        let c = StarCriteria::default();
        let good = figures(100, 0, 0, 0);
        // Half the cases late: 0.1 of the weight at 0.5 → 95.
        let half = OnTime {
            completed: 20,
            on_time: 10,
        };
        let late = c.stars(&good, half);
        assert_eq!(late.on_time_rate, Some(0.5));
        assert!((late.score.unwrap_or(0.0) - 95.0).abs() < 1e-9);
        assert_eq!(late.stars, Some(5));
        let later = c.stars(
            &good,
            OnTime {
                completed: 20,
                on_time: 0,
            },
        );
        assert!((later.score.unwrap_or(0.0) - 90.0).abs() < 1e-9);
        assert_eq!(later.stars, Some(4), "late cases cost a star");
        assert_eq!(c.stars(&good, NO_CASES).on_time_rate, None);
    }
}
