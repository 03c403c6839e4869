//! 好差评: ratings of a service as an aggregate per rated service (a hall visit, or a
//! case), with the follow-up every poor rating gets (差评整改) and staff appeals
//! (申诉复核). Pure: the caller supplies what was served, by whom and when, the time
//! now and the working-day arithmetic of the legal calendar.
//!
//! Sources (see `POLICY-FACTS.md` §1): five levels, the last two 差评, and the online
//! and on-site indicators, from published rating schemes under 国办发〔2019〕51号; the
//! three ways to close a poor rating (立行立改, 台账限期整改, 解释说明) from 人社厅发
//! 〔2020〕31号; the deadlines are regional settings (`RatingPolicy`).

mod error;
mod figures;
mod file;
mod level;
mod policy;
mod rules;
mod stars;
mod tally;

pub use error::RatingError;
pub use figures::RatingFigures;
pub use file::{
    Appeal, AppealGround, Closure, FollowUp, RatedService, Rater, Rating, RatingChannel,
    RatingEvent, RatingEventBody, RatingFile, Stage, Subject,
};
pub use level::{Indicator, Level};
pub use policy::{DefaultRating, RatingPolicy};
pub use rules::{
    RatingCommand, RatingCommandKind, RatingContext, SYSTEM, decide_rating, default_due,
};
pub use stars::{OnTime, StarCriteria, Stars};
pub use tally::{Tally, tally, tally_key};
