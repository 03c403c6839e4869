//! The service-standard catalog as domain types: projects, items and their guides, and
//! regional implementations (variants). Pure: loading files lives in the catalog crate.
//!
//! A region's guide is the national baseline with the province's, the city's and the
//! county's variant applied in that order, as of a date ([`resolve`]).

mod deviation;
mod guide;
mod resolve;

pub use deviation::{Deviation, LimitChange, deviation};
pub use guide::*;
pub use resolve::{Catalog, Origin, ResolveError, ResolvedGuide, ResolvedMaterial, Versioned};
