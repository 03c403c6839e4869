//! The domain of yichuang: pure types and rules, with no IO and no clock.
//!
//! Every rule that depends on "today" takes it as an argument, so callers (and tests)
//! decide what time it is. Reference data (divisions, the built-in calendar) is compiled
//! into the binary with `include_str!`; nothing is read from disk here.

pub mod calendar;
pub mod case;
pub mod catalog;
pub mod complaint;
pub mod equalization;
pub mod facts;
pub mod hall;
pub mod jurisdiction;
pub mod notice;
pub mod population;
pub mod proactive;
pub mod rating;
pub mod region;
pub mod resident_id;
pub mod roll_up;
pub mod rules;
pub mod uscc;

mod check_digits;
mod division_table;
pub mod histogram;

pub use calendar::{Calendar, CalendarError, DayKind, PeriodUnit};
pub use jurisdiction::Jurisdiction;
pub use notice::{Notice, Parsed};
pub use region::{Level, RegionCode, RegionCodeError, RegionTrail};
pub use resident_id::{ResidentId, ResidentIdError, Sex};
pub use uscc::{Uscc, UsccError};
