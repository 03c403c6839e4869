//! What has gone overdue in a supervisor's reach and so come up to them (差评整改 past a
//! deadline, complaints past their reply day): counted on the workbench, so nobody has
//! to open the lists to learn that something was escalated to them.

use jiff::civil::Date;
use yichuang_domain::case::Staff;
use yichuang_domain::catalog::Role;
use yichuang_store::{ComplaintRow, FollowUpRow};

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

/// A follow-up past its contact day uncontacted, or past its close day open.
pub(crate) fn follow_up_overdue(row: &FollowUpRow, today: Date) -> bool {
    let past = |day: &str| day.parse::<Date>().is_ok_and(|d| today > d);
    !row.closed && ((!row.contacted && past(&row.contact_by)) || past(&row.close_by))
}

/// An open complaint past its reply day.
pub(crate) fn complaint_overdue(row: &ComplaintRow, today: Date) -> bool {
    row.state == "open" && row.reply_by.parse::<Date>().is_ok_and(|by| today > by)
}

/// Only supervisors are escalated to; others get nothing (and no reads).
pub(crate) async fn escalated_to(state: &AppState, staff: &Staff) -> Escalated {
    if staff.role != Role::Supervisor {
        return Escalated::default();
    }
    let today = state.engine.today();
    let prefix = staff.jurisdiction.subtree_prefix();
    let follow_ups = state
        .store
        .follow_ups(&prefix, false, 1000)
        .await
        .unwrap_or_default();
    let complaints = state
        .store
        .complaints(&prefix, false, 1000)
        .await
        .unwrap_or_default();
    Escalated {
        follow_ups: follow_ups
            .iter()
            .filter(|r| follow_up_overdue(r, today))
            .count(),
        complaints: complaints
            .iter()
            .filter(|r| complaint_overdue(r, today))
            .count(),
    }
}
