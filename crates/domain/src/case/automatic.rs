//! What the system does on its own for a rule-decided item (自动受理, 智能审批,
//! 自动出具结果): an application that came in without staff (online, on a phone, at a
//! kiosk) with every material is accepted by the system; the rule then decides; and a
//! decision the rule made on such an application is delivered electronically. Anything
//! that needs judgement (a material missing, accepted provisionally or replaced by a
//! commitment at the desk, a referral, a person's decision) stays with staff.

use super::command::CommandKind;
use super::rules::CaseError;
use super::state::{Case, CaseState};
use crate::catalog::Channel;

/// How the system delivers a decision it may deliver itself, in the applicant's words.
pub const ELECTRONIC_DELIVERY: &str = "电子送达（系统自动出具）";

/// The next step the system takes on its own, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AutomaticStep {
    /// 自动受理.
    Accept,
    /// The item's rule has its turn (智能审批).
    RunRule,
    /// 自动出具结果: the rule's decision delivered electronically.
    Deliver,
}

/// Came in without staff: the system may take the next steps.
fn self_service(channel: Channel) -> bool {
    matches!(channel, Channel::Online | Channel::Mobile | Channel::Kiosk)
}

fn rule_decided(case: &Case) -> bool {
    case.guide.guide.decided_by.is_some()
}

/// The step the system takes next on `case`, or None where staff act next.
pub fn automatic_step(case: &Case) -> Option<AutomaticStep> {
    if !rule_decided(case) {
        return None;
    }
    match case.state {
        CaseState::Submitted
            if self_service(case.channel) && case.missing_materials().is_empty() =>
        {
            Some(AutomaticStep::Accept)
        }
        CaseState::Accepted if case.referred.is_none() => Some(AutomaticStep::RunRule),
        CaseState::Decided if case.decided_by_rule && self_service(case.channel) => {
            Some(AutomaticStep::Deliver)
        }
        _ => None,
    }
}

/// Whether the system may send `command` on `case` (beyond the role table): accepting
/// only what `automatic_step` would accept, with nothing taken provisionally or on
/// commitment, and delivering only the rule's own decision.
pub(crate) fn system_may(case: &Case, command: &CommandKind) -> Result<(), CaseError> {
    let refuse = |why: &'static str| {
        Err(CaseError::NotAutomatic {
            command: command.name(),
            why,
        })
    };
    match command {
        CommandKind::Accept {
            provisional,
            commitments,
            ..
        } => {
            if !provisional.is_empty() || !commitments.is_empty() {
                return refuse("the system takes nothing provisionally or on commitment");
            }
            if automatic_step(case) != Some(AutomaticStep::Accept) {
                return refuse(
                    "the system accepts only a complete application for a rule-decided item that came in without staff",
                );
            }
            Ok(())
        }
        CommandKind::Complete { .. } if automatic_step(case) != Some(AutomaticStep::Deliver) => {
            refuse(
                "the system delivers only its rule's decision on an application made without staff",
            )
        }
        _ => Ok(()),
    }
}
