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
            satisfaction_weight: 0.6,
            follow_up_weight: 0.15,
            timely_weight: 0.15,
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
    pub volume_share: f64,
}

impl StarCriteria {
    #[allow(clippy::cast_precision_loss)]
    pub fn stars(&self, f: &RatingFigures) -> Stars {
        let satisfaction = f.satisfaction_rate();
        let follow_up = f.follow_up_rate().unwrap_or(1.0);
        let timely = f.timely_rate().unwrap_or(1.0);
        let volume = (f.rated as f64 / self.volume_target.max(1) as f64).min(1.0);
        let score = satisfaction
            .filter(|_| f.rated >= self.min_ratings)
            .map(|s| {
                100.0
                    * (self.satisfaction_weight * s
                        + self.follow_up_weight * follow_up
                        + self.timely_weight * timely
                        + self.volume_weight * volume)
                    / (self.satisfaction_weight
                        + self.follow_up_weight
                        + self.timely_weight
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
            volume_share: volume,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{RatingFigures, StarCriteria};

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

    #[test]
    fn stars_follow_the_score_and_need_enough_ratings() {
        let c = StarCriteria::default();
        let all_good = c.stars(&figures(100, 0, 0, 0));
        assert_eq!((all_good.stars, all_good.score), (Some(5), Some(100.0)));
        // 10 % poor, all followed up in time, full volume: 0.6·0.9 + 0.15 + 0.15 + 0.1.
        let some_poor = c.stars(&figures(100, 10, 10, 10));
        assert_eq!(some_poor.stars, Some(4));
        assert!((some_poor.score.unwrap_or(0.0) - 94.0).abs() < 1e-9);
        // Poor ratings not followed up pull it down further.
        assert_eq!(c.stars(&figures(100, 10, 0, 0)).stars, Some(2));
        assert_eq!(
            c.stars(&figures(9, 0, 0, 0)).stars,
            None,
            "too few to judge"
        );
        assert_eq!(c.stars(&figures(50, 40, 0, 0)).stars, Some(1));
    }
}
