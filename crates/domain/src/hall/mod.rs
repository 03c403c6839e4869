//! The hall (大厅): how the next ticket is chosen at a window, and what queueing theory
//! predicts for a hall's waits. Pure: the server's queue and `yichuang simulate hall`
//! call the same code.

mod erlang;
mod routing;

pub use erlang::{ErlangC, erlang_c};
pub use routing::{Aging, Priority, Waiting, next_ticket};
