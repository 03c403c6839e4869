//! 均等化: how evenly a figure is spread across regions of one level. The coefficient
//! of variation (plain and population-weighted), the Gini coefficient, and Theil's T
//! and L with their split into between-group and within-group parts, as defined in
//! `POLICY-FACTS.md` §6 (the equalization literature [S]). Pure arithmetic on figures
//! already parsed; the CLI and the pages read them in.

mod indices;

pub use indices::{Decomposition, EqualizationError, Indices, Observation, indices};
