//! Who may act on which case: role and jurisdiction (a region subtree). Checked in the
//! service layer for every command, not only at the HTTP edge.

use serde::{Deserialize, Serialize};

use super::command::{ActorRole, CommandKind};
use super::state::Case;
use crate::catalog::Role;
use crate::jurisdiction::Jurisdiction;
use crate::region::RegionCode;

/// A staff member as the rules see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Staff {
    pub id: String,
    pub name: String,
    pub role: Role,
    /// The region subtree this person serves, or the whole country.
    pub jurisdiction: Jurisdiction,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccessError {
    #[error("{region} is outside your jurisdiction ({jurisdiction})")]
    OutsideJurisdiction {
        region: RegionCode,
        jurisdiction: Jurisdiction,
    },
    #[error("role {role} may not {action}")]
    RoleNotAllowed {
        role: &'static str,
        action: &'static str,
    },
    /// 收受分离: the accepting side checks form and identity and forwards; the handling
    /// side accepts, decides and answers for the clock.
    #[error(
        "`{command}` belongs to the handling side ({handling}); the accepting side may only take in, notify, receive supplements, withdraw and deliver"
    )]
    HandlingSideOnly {
        command: &'static str,
        handling: RegionCode,
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
        if self.jurisdiction.contains(case.accepting_region)
            || self.jurisdiction.contains(case.handling_region)
        {
            Ok(())
        } else {
            Err(AccessError::OutsideJurisdiction {
                region: case.handling_region,
                jurisdiction: self.jurisdiction,
            })
        }
    }

    /// Working a hall's windows and queue: clerks and supervisors, in a hall of their
    /// own jurisdiction.
    pub fn may_work_in(&self, hall_region: RegionCode) -> Result<(), AccessError> {
        if !matches!(self.role, Role::Clerk | Role::Supervisor) {
            return Err(AccessError::RoleNotAllowed {
                role: role_name(self.role),
                action: "work a hall's windows",
            });
        }
        if !self.jurisdiction.contains(hall_region) {
            return Err(AccessError::OutsideJurisdiction {
                region: hall_region,
                jurisdiction: self.jurisdiction,
            });
        }
        Ok(())
    }

    /// Taking in an application: at a window of one's own jurisdiction.
    pub fn may_submit(&self, accepting: RegionCode) -> Result<(), AccessError> {
        if !matches!(self.role, Role::Clerk | Role::Supervisor) {
            return Err(AccessError::RoleNotAllowed {
                role: role_name(self.role),
                action: "take in applications",
            });
        }
        if !self.jurisdiction.contains(accepting) {
            return Err(AccessError::OutsideJurisdiction {
                region: accepting,
                jurisdiction: self.jurisdiction,
            });
        }
        Ok(())
    }

    /// Working on ratings of a service in `region`: a clerk records a caller's rating on
    /// the phone line and appeals one about their own work; following a poor rating up
    /// and deciding appeals is a supervisor's (the handling office's, or above it).
    pub fn may_handle_ratings(
        &self,
        region: RegionCode,
        supervise: bool,
    ) -> Result<(), AccessError> {
        let action = if supervise {
            "follow up ratings and decide appeals"
        } else {
            "record ratings"
        };
        self.front_office(supervise, action, Some(region))
    }

    /// Complaints: any clerk or supervisor writes one down, for any office (a complaint
    /// is taken in wherever it is made: `office` None), or records a verdict given by
    /// phone; taking and answering one is a supervisor's, at the office's level or,
    /// once it went `levels_up` levels up, at that level.
    pub fn may_handle_complaints(
        &self,
        office: Option<RegionCode>,
        levels_up: u32,
        answer: bool,
    ) -> Result<(), AccessError> {
        let action = if answer {
            "take on and answer complaints"
        } else {
            "record complaints"
        };
        let level = office.map(|mut level| {
            for _ in 0..levels_up {
                level = level.parent().unwrap_or(level);
            }
            level
        });
        self.front_office(answer, action, level)
    }

    /// Deciding an objection to a published list (免申即享's 公示): a supervisor whose
    /// jurisdiction holds the employer (`region`, None when it is not on the list: the
    /// list's own rules then refuse it).
    pub fn may_decide_objections(&self, region: Option<RegionCode>) -> Result<(), AccessError> {
        self.front_office(true, "decide objections to a published list", region)
    }

    /// Taking an objection for a person or employer who calls 12333 or comes to a
    /// window: a clerk or supervisor whose jurisdiction holds the line's region.
    pub fn may_take_objections(&self, region: Option<RegionCode>) -> Result<(), AccessError> {
        self.front_office(false, "take an objection to a published list", region)
    }

    /// The front office's work (ratings, complaints): clerks and supervisors, or
    /// supervisors only; inside the jurisdiction when a region is given.
    fn front_office(
        &self,
        supervisor_only: bool,
        action: &'static str,
        region: Option<RegionCode>,
    ) -> Result<(), AccessError> {
        let allowed = if supervisor_only {
            matches!(self.role, Role::Supervisor)
        } else {
            matches!(self.role, Role::Clerk | Role::Supervisor)
        };
        if !allowed {
            return Err(AccessError::RoleNotAllowed {
                role: role_name(self.role),
                action,
            });
        }
        match region {
            Some(region) if !self.jurisdiction.contains(region) => {
                Err(AccessError::OutsideJurisdiction {
                    region,
                    jurisdiction: self.jurisdiction,
                })
            }
            _ => Ok(()),
        }
    }

    /// Listing cases (the API's list and the staff pages' work lists).
    pub fn may_list_cases(&self) -> Result<(), AccessError> {
        if matches!(self.role, Role::StandardsOfficer) {
            return Err(AccessError::RoleNotAllowed {
                role: role_name(self.role),
                action: "read cases",
            });
        }
        Ok(())
    }

    /// Reading a case (lists, details, documents).
    pub fn may_read(&self, case: &Case) -> Result<(), AccessError> {
        self.may_list_cases()?;
        self.reaches(case)
    }

    /// Whether this role sees full identity numbers (every such read is recorded).
    pub fn sees_full_identity(&self) -> bool {
        matches!(self.role, Role::Clerk | Role::Reviewer | Role::Supervisor)
    }

    /// Acting on a case: the lifecycle's role table decides the command; this adds
    /// jurisdiction, and for a case taken in elsewhere (收受分离, 国办发〔2020〕35号)
    /// which side may send it: staff who reach only the accepting region may issue the
    /// one-time notice, take a supplement, record a withdrawal and deliver the result;
    /// accepting (受理), refusing, reviewing, deciding, suspending, extending and
    /// verifying belong to the handling region.
    pub fn may_command(&self, case: &Case, command: &CommandKind) -> Result<(), AccessError> {
        self.reaches(case)?;
        let handles = self.jurisdiction.contains(case.handling_region);
        if !handles && !accepting_side_may(command) {
            return Err(AccessError::HandlingSideOnly {
                command: command.name(),
                handling: case.handling_region,
            });
        }
        Ok(())
    }
}

/// What the accepting side of a remote acceptance may send.
fn accepting_side_may(command: &CommandKind) -> bool {
    matches!(
        command,
        CommandKind::IssueNotice
            | CommandKind::Supplement { .. }
            | CommandKind::Withdraw { .. }
            | CommandKind::Complete { .. }
    )
}
