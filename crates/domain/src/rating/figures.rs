//! The published figures of ratings (51号: 评价结果及整改情况向社会公开) from the
//! running totals: counts per level, the satisfaction rate, poor ratings, and how many
//! of those were followed up and in time. A rating taken out by an upheld appeal is
//! not counted (it stays in the record).

use serde::Serialize;

use super::level::Level;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct RatingFigures {
    pub rated: i64,
    pub very_satisfied: i64,
    pub satisfied: i64,
    pub basic: i64,
    pub dissatisfied: i64,
    pub very_dissatisfied: i64,
    /// 差评 counted (after appeals).
    pub poor: i64,
    /// Taken out by upheld appeals.
    pub excluded: i64,
    /// Poor ratings whose follow-up is closed, and of those, closed in time.
    pub closed: i64,
    pub closed_on_time: i64,
    /// Of the ratings, those that are a region's default level (默认评价: nobody rated).
    pub defaulted: i64,
    #[serde(skip)]
    poor_given: i64,
    #[serde(skip)]
    excluded_poor: i64,
    #[serde(skip)]
    rated_given: i64,
}

impl RatingFigures {
    /// Adds one running total by its name (see `tally`); unknown names are ignored.
    pub fn add(&mut self, name: &str, value: i64) {
        match name {
            "rated" => self.rated_given += value,
            "poor" => self.poor_given += value,
            "excluded" => self.excluded += value,
            "excluded_poor" => self.excluded_poor += value,
            "closed" => self.closed += value,
            "closed_on_time" => self.closed_on_time += value,
            "defaulted" => self.defaulted += value,
            other => match Level::parse(other) {
                Some(Level::VerySatisfied) => self.very_satisfied += value,
                Some(Level::Satisfied) => self.satisfied += value,
                Some(Level::Basic) => self.basic += value,
                Some(Level::Dissatisfied) => self.dissatisfied += value,
                Some(Level::VeryDissatisfied) => self.very_dissatisfied += value,
                None => {}
            },
        }
        self.rated = self.rated_given - self.excluded;
        self.poor = self.poor_given - self.excluded_poor;
    }

    /// The sum of two sets of figures.
    pub fn merge(&mut self, other: &RatingFigures) {
        for (name, value) in other.totals() {
            self.add(name, value);
        }
    }

    fn totals(&self) -> [(&'static str, i64); 12] {
        [
            ("rated", self.rated_given),
            ("poor", self.poor_given),
            ("excluded", self.excluded),
            ("excluded_poor", self.excluded_poor),
            ("closed", self.closed),
            ("closed_on_time", self.closed_on_time),
            ("defaulted", self.defaulted),
            ("very_satisfied", self.very_satisfied),
            ("satisfied", self.satisfied),
            ("basic", self.basic),
            ("dissatisfied", self.dissatisfied),
            ("very_dissatisfied", self.very_dissatisfied),
        ]
    }

    /// Share of counted ratings that are not poor (非常满意, 满意, 基本满意).
    pub fn satisfaction_rate(&self) -> Option<f64> {
        ratio(self.rated - self.poor, self.rated)
    }

    /// Share of poor ratings whose follow-up is closed.
    pub fn follow_up_rate(&self) -> Option<f64> {
        ratio(self.closed, self.poor_given)
    }

    /// Share of closed follow-ups closed by their deadline.
    pub fn timely_rate(&self) -> Option<f64> {
        ratio(self.closed_on_time, self.closed)
    }
}

#[allow(clippy::cast_precision_loss)]
fn ratio(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| part.max(0) as f64 / whole as f64)
}

#[cfg(test)]
mod tests {
    use super::RatingFigures;

    #[test]
    fn an_upheld_appeal_leaves_the_counts_and_rates() {
        let mut f = RatingFigures::default();
        for (name, value) in [
            ("rated", 10),
            ("very_satisfied", 6),
            ("satisfied", 2),
            ("dissatisfied", 1),
            ("very_dissatisfied", 1),
            ("poor", 2),
            ("closed", 2),
            ("closed_on_time", 1),
            ("excluded", 1),
            ("excluded_poor", 1),
        ] {
            f.add(name, value);
        }
        assert_eq!((f.rated, f.poor), (9, 1));
        assert_eq!(f.satisfaction_rate(), Some(8.0 / 9.0));
        assert_eq!(f.follow_up_rate(), Some(1.0));
        assert_eq!(f.timely_rate(), Some(0.5));
        let mut twice = f;
        twice.merge(&f);
        assert_eq!((twice.rated, twice.poor, twice.closed), (18, 2, 4));
        assert_eq!(RatingFigures::default().satisfaction_rate(), None);
    }
}
