//! Amounts of money in yuan with two decimal places, held as whole cents (fen).

use std::fmt;

/// An amount in cents. Never a float: sums and percentages stay exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, serde::Serialize)]
pub struct Cents(pub i64);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error(
        "{0:?} is not an amount in yuan (digits, then at most two decimal places, such as 1234.50)"
    )]
    NotAnAmount(String),
    #[error("{0:?} is negative")]
    Negative(String),
    #[error("{0:?} is too large")]
    TooLarge(String),
}

impl Cents {
    /// Parses `1234`, `1234.5` or `1234.50` (yuan). Refuses a sign other than a leading
    /// minus (reported as negative), more than two decimals, and anything else.
    pub fn parse_yuan(text: &str) -> Result<Cents, MoneyError> {
        let not = || MoneyError::NotAnAmount(text.to_owned());
        if text.starts_with('-') {
            return Err(MoneyError::Negative(text.to_owned()));
        }
        let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() || !digits(whole) || !digits(fraction) || fraction.len() > 2 {
            return Err(not());
        }
        if text.contains('.') && fraction.is_empty() {
            return Err(not());
        }
        let whole: i64 = whole
            .parse()
            .map_err(|_| MoneyError::TooLarge(text.to_owned()))?;
        let fraction: i64 = match fraction.len() {
            0 => 0,
            1 => fraction.parse::<i64>().map_err(|_| not())? * 10,
            _ => fraction.parse().map_err(|_| not())?,
        };
        whole
            .checked_mul(100)
            .and_then(|c| c.checked_add(fraction))
            .map(Cents)
            .ok_or_else(|| MoneyError::TooLarge(text.to_owned()))
    }

    /// As yuan, for JSON: exact for any amount below 2^53 cents.
    pub fn yuan(self) -> f64 {
        self.0 as f64 / 100.0
    }
}

impl fmt::Display for Cents {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:02}", self.0 / 100, self.0 % 100)
    }
}
