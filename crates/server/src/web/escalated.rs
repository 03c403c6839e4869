//! What has gone overdue in a supervisor's reach and so come up to them (差评整改 past a
//! deadline, complaints past their reply day): counted on the workbench, so nobody has
//! to open the lists to learn that something was escalated to them.

use yichuang_domain::case::Staff;
use yichuang_domain::catalog::Role;

use crate::state::AppState;

/// Overdue follow-ups and complaints in a supervisor's reach.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Escalated {
    pub follow_ups: usize,
    pub complaints: usize,
}

impl Escalated {
    pub fn any(&self) -> bool {
        self.follow_ups + self.complaints > 0
    }
}

/// Only supervisors are escalated to; others get nothing (and no reads). Counted in
/// the store over the whole reach (the country's too), by the rule the lists mark
/// overdue rows with (`FollowUpRow::overdue_on`, `ComplaintRow::overdue_on`).
pub(crate) async fn escalated_to(state: &AppState, staff: &Staff) -> Escalated {
    if staff.role != Role::Supervisor {
        return Escalated::default();
    }
    let today = state.engine.today();
    let prefix = staff.jurisdiction.subtree_prefix();
    let count = |n: Result<i64, yichuang_store::StoreError>| {
        n.ok().and_then(|n| usize::try_from(n).ok()).unwrap_or(0)
    };
    Escalated {
        follow_ups: count(state.store.overdue_follow_ups(&prefix, today).await),
        complaints: count(state.store.overdue_complaints(&prefix, today).await),
    }
}
