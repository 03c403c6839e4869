//! Who may act on which case: role and jurisdiction (a region subtree). Checked in the
//! service layer for every command, not only at the HTTP edge.

use serde::{Deserialize, Serialize};

use super::command::{ActorRole, CommandKind};
use super::state::Case;
use crate::catalog::Role;
use crate::region::RegionCode;

/// A staff member as the rules see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Staff {
    pub id: String,
    pub name: String,
    pub role: Role,
    /// The region subtree this person serves.
    pub jurisdiction: RegionCode,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccessError {
    #[error("{region} is outside your jurisdiction ({jurisdiction})")]
    OutsideJurisdiction {
        region: RegionCode,
        jurisdiction: RegionCode,
    },
    #[error("role {role} may not {action}")]
    RoleNotAllowed {
        role: &'static str,
        action: &'static str,
    },
}

pub fn role_name(role: Role) -> &'static str {
    match role {
        Role::Clerk => "clerk",
        Role::Reviewer => "reviewer",
        Role::Supervisor => "supervisor",
        Role::StandardsOfficer => "standards_officer",
        Role::Administrator => "administrator",
        Role::System => "system",
    }
}

impl Staff {
    pub fn actor_role(&self) -> ActorRole {
        ActorRole::Staff(self.role)
    }

    /// A case is in reach when its accepting or its handling region is inside the
    /// jurisdiction: both ends of a remote acceptance (跨省通办) see it.
    pub fn reaches(&self, case: &Case) -> Result<(), AccessError> {
        if case.accepting_region.is_within(self.jurisdiction)
            || case.handling_region.is_within(self.jurisdiction)
        {
            Ok(())
        } else {
            Err(AccessError::OutsideJurisdiction {
                region: case.handling_region,
                jurisdiction: self.jurisdiction,
            })
        }
    }

    /// Taking in an application: at a window of one's own jurisdiction.
    pub fn may_submit(&self, accepting: RegionCode) -> Result<(), AccessError> {
        if !matches!(self.role, Role::Clerk | Role::Supervisor) {
            return Err(AccessError::RoleNotAllowed {
                role: role_name(self.role),
                action: "take in applications",
            });
        }
        if !accepting.is_within(self.jurisdiction) {
            return Err(AccessError::OutsideJurisdiction {
                region: accepting,
                jurisdiction: self.jurisdiction,
            });
        }
        Ok(())
    }

    /// Reading a case (lists, details, documents).
    pub fn may_read(&self, case: &Case) -> Result<(), AccessError> {
        if matches!(self.role, Role::StandardsOfficer) {
            return Err(AccessError::RoleNotAllowed {
                role: role_name(self.role),
                action: "read cases",
            });
        }
        self.reaches(case)
    }

    /// Whether this role sees full identity numbers (every such read is recorded).
    pub fn sees_full_identity(&self) -> bool {
        matches!(self.role, Role::Clerk | Role::Reviewer | Role::Supervisor)
    }

    /// Acting on a case: the lifecycle's role table decides the command; this adds
    /// jurisdiction.
    pub fn may_command(&self, case: &Case, _command: &CommandKind) -> Result<(), AccessError> {
        self.reaches(case)
    }
}
