//! The lifecycle rules: which command is allowed in which state, by which role, and
//! what events it causes.

use jiff::Timestamp;
use jiff::civil::Date;
use serde_json::json;

use super::clock::{Clock, WarningPolicy};
use super::command::{Actor, ActorRole, Command, CommandKind, Delivery, Submission};
use super::event::{CaseEvent, DeadlineChange, DocumentIssued, DocumentKind, EventBody};
use super::state::{Case, CaseState, GuideSnapshot, PendingMaterial};
use crate::calendar::{Calendar, CalendarError};
use crate::catalog::{ItemKind, Role, StatutoryLimit, TimeLimit};
use crate::region::RegionCode;

/// The routes of appeal a denial, refusal or revocation states, in the usual wording
/// (reconsideration within sixty days, litigation within six months). The articles of
/// the reconsideration and litigation laws are not among the project's sources.
pub const APPEAL_ROUTES: &str = "对本决定不服的，可以自收到之日起六十日内依法申请行政复议，或者六个月内依法向人民法院提起行政诉讼。";

/// What a rule needs to know about "now"; the domain never reads the clock.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub at: Timestamp,
    /// Today in the handling region.
    pub today: Date,
    pub calendar: &'a Calendar,
    pub policy: WarningPolicy,
}

impl Context<'_> {
    /// Starts `limit` today in `region`'s calendar under the warning policy.
    fn start(&self, limit: &TimeLimit, region: RegionCode) -> Result<Clock, CalendarError> {
        Clock::start(limit, self.today, self.calendar, region, self.policy)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CaseError {
    #[error("`{command}` is not allowed while the case is {state}; allowed now: {}", allowed.join(", "))]
    NotAllowed {
        state: &'static str,
        command: &'static str,
        allowed: Vec<&'static str>,
    },
    #[error(
        "the case changed meanwhile: you saw version {expected}, it is now at version {actual}; reload and try again"
    )]
    Conflict { expected: u64, actual: u64 },
    #[error("role {role} may not `{command}`")]
    RoleNotAllowed { role: String, command: &'static str },
    #[error("materials still missing: {}; issue a one-time notice, or accept them provisionally or by commitment where the guide allows", .missing.join(", "))]
    MissingMaterials { missing: Vec<String> },
    #[error("nothing is missing: every required material is in hand")]
    NothingMissing,
    #[error("a one-time notice for exactly these materials was already issued: {}", .missing.join(", "))]
    NoticeAlreadyIssued { missing: Vec<String> },
    #[error("{material} is no material of this item's guide")]
    UnknownMaterial { material: String },
    #[error("attachment {index}: {problem}")]
    BadAttachment { index: usize, problem: String },
    #[error("{material} is listed twice")]
    DuplicateMaterial { material: String },
    #[error("this item is not offered through {channel}; it is offered through {}", .offered.join("、"))]
    ChannelNotOffered {
        channel: &'static str,
        offered: Vec<&'static str>,
    },
    #[error("only the applicant or their agent may act on this case as its applicant")]
    NotTheApplicant,
    #[error("this item does not serve an applicant of kind {applicant}")]
    ApplicantNotServed { applicant: &'static str },
    #[error(
        "this item cannot be taken in at {accepting} for handling at {handling}: its guide does not offer remote acceptance (跨省通办)"
    )]
    RemoteNotAllowed { accepting: String, handling: String },
    #[error(
        "no deadline of this case was counted provisionally, or its year's schedule is still unpublished"
    )]
    NothingToRecompute,
    #[error("{field} is {length} characters long; at most {max} are allowed")]
    TextTooLong {
        field: &'static str,
        length: usize,
        max: usize,
    },
    #[error("{material} is a key material and cannot be accepted provisionally (容缺)")]
    KeyMaterial { material: String },
    #[error("the guide does not allow a commitment (告知承诺) in place of {material}")]
    CommitmentNotAllowed { material: String },
    #[error("provisionally accepted materials are still missing: {}", .materials.join(", "))]
    ProvisionalPending { materials: Vec<String> },
    #[error("no provisional material is overdue yet (the first is due {due})")]
    NothingOverdue { due: Date },
    #[error("this item is not handled on the spot (即办件)")]
    NotOnTheSpot,
    #[error("the statutory limit allows no extension")]
    NoExtension,
    #[error("an extension of {requested} days exceeds what the law allows ({allowed} left)")]
    ExtensionTooLong { requested: u32, allowed: u32 },
    #[error("{field} must not be empty")]
    Empty { field: &'static str },
    #[error("no commitment was made for {material}")]
    NoSuchCommitment { material: String },
    #[error(
        "this decision was made by a person; only a decision the item's rule made can be taken up for review"
    )]
    DecisionFinal,
    #[error("{problem}")]
    RuleMismatch { problem: String },
    #[error("the system may not `{command}` here: {why}")]
    NotAutomatic {
        command: &'static str,
        why: &'static str,
    },
    #[error(transparent)]
    Calendar(#[from] CalendarError),
}

impl CaseError {
    pub fn code(&self) -> &'static str {
        match self {
            CaseError::NotAllowed { .. } => "not_allowed",
            CaseError::Conflict { .. } => "conflict",
            CaseError::RoleNotAllowed { .. } => "role_not_allowed",
            CaseError::MissingMaterials { .. } => "missing_materials",
            CaseError::NothingMissing => "nothing_missing",
            CaseError::NoticeAlreadyIssued { .. } => "notice_already_issued",
            CaseError::UnknownMaterial { .. } => "unknown_material",
            CaseError::DuplicateMaterial { .. } => "duplicate_material",
            CaseError::BadAttachment { .. } => "bad_attachment",
            CaseError::ChannelNotOffered { .. } => "channel_not_offered",
            CaseError::ApplicantNotServed { .. } => "applicant_not_served",
            CaseError::NotTheApplicant => "not_the_applicant",
            CaseError::RemoteNotAllowed { .. } => "remote_not_allowed",
            CaseError::TextTooLong { .. } => "text_too_long",
            CaseError::NothingToRecompute => "nothing_to_recompute",
            CaseError::KeyMaterial { .. } => "key_material",
            CaseError::CommitmentNotAllowed { .. } => "commitment_not_allowed",
            CaseError::ProvisionalPending { .. } => "provisional_pending",
            CaseError::NothingOverdue { .. } => "nothing_overdue",
            CaseError::NotOnTheSpot => "not_on_the_spot",
            CaseError::NoExtension => "no_extension",
            CaseError::ExtensionTooLong { .. } => "extension_too_long",
            CaseError::Empty { .. } => "empty",
            CaseError::NoSuchCommitment { .. } => "no_such_commitment",
            CaseError::DecisionFinal => "decision_final",
            CaseError::RuleMismatch { .. } => "rule_mismatch",
            CaseError::NotAutomatic { .. } => "not_automatic",
            CaseError::Calendar(_) => "calendar",
        }
    }
}

/// The commands allowed in a state, in lifecycle order.
pub fn allowed_commands(state: CaseState) -> Vec<&'static str> {
    match state {
        CaseState::Submitted => vec![
            "issue_notice",
            "supplement",
            "accept",
            "refuse",
            "complete_on_the_spot",
            "withdraw",
            "recompute_deadlines",
        ],
        CaseState::AwaitingSupplement => {
            vec!["supplement", "refuse", "withdraw", "recompute_deadlines"]
        }
        CaseState::Accepted => vec![
            "start_review",
            "supplement",
            "suspend",
            "extend",
            "verify_commitment",
            "lapse_provisional",
            "withdraw",
            "recompute_deadlines",
            // The system's, for a rule-decided item, right after acceptance.
            "decide_by_rule",
            "refer_to_reviewer",
        ],
        CaseState::InReview => vec![
            "decide",
            "supplement",
            "suspend",
            "extend",
            "verify_commitment",
            "lapse_provisional",
            "withdraw",
            "recompute_deadlines",
        ],
        CaseState::Suspended => vec!["resume", "withdraw", "recompute_deadlines"],
        CaseState::Decided => vec![
            "complete",
            "start_review",
            "verify_commitment",
            "recompute_deadlines",
        ],
        CaseState::Completed => vec!["verify_commitment"],
        CaseState::Refused | CaseState::Withdrawn | CaseState::Terminated | CaseState::Revoked => {
            Vec::new()
        }
    }
}

/// The commands a role may send on a case now, in lifecycle order (what a case page
/// offers as buttons; the rules still decide each one). A decision is taken up for
/// review only when the item's rule made it.
pub fn commands_for(case: &Case, role: ActorRole) -> Vec<&'static str> {
    allowed_commands(case.state)
        .into_iter()
        .filter(|name| sample(name).is_some_and(|kind| role_allowed(role, &kind)))
        .filter(|name| {
            !(case.state == CaseState::Decided && *name == "start_review" && !case.decided_by_rule)
        })
        .collect()
}

/// A command of this name with empty arguments, for asking the role table.
fn sample(name: &str) -> Option<CommandKind> {
    let text = String::new;
    Some(match name {
        "issue_notice" => CommandKind::IssueNotice,
        "supplement" => CommandKind::Supplement {
            materials: Vec::new(),
            attachments: Vec::new(),
        },
        "accept" => CommandKind::Accept {
            provisional: Vec::new(),
            commitments: Vec::new(),
            supply_within_days: 0,
        },
        "refuse" => CommandKind::Refuse { reason: text() },
        "start_review" => CommandKind::StartReview,
        "decide_by_rule" => CommandKind::DecideByRule {
            reason: text(),
            legal_basis: Vec::new(),
            trace: super::command::RuleTrace {
                policy: text(),
                version: text(),
                rule_hash: text(),
                facts_digest: text(),
                reasons: Vec::new(),
            },
        },
        "refer_to_reviewer" => CommandKind::ReferToReviewer { reason: text() },
        "decide" => CommandKind::Decide {
            grant: false,
            reason: text(),
            legal_basis: Vec::new(),
        },
        "complete" => CommandKind::Complete { method: text() },
        "complete_on_the_spot" => CommandKind::CompleteOnTheSpot { method: text() },
        "withdraw" => CommandKind::Withdraw { reason: text() },
        "suspend" => CommandKind::Suspend { reason: text() },
        "resume" => CommandKind::Resume { reason: text() },
        "extend" => CommandKind::Extend {
            days: 0,
            reason: text(),
        },
        "verify_commitment" => CommandKind::VerifyCommitment {
            material: text(),
            truthful: false,
        },
        "lapse_provisional" => CommandKind::LapseProvisional,
        "recompute_deadlines" => CommandKind::RecomputeDeadlines,
        _ => return None,
    })
}

fn role_allowed(role: ActorRole, command: &CommandKind) -> bool {
    use CommandKind as C;
    use Role::*;
    let staff = |roles: &[Role]| matches!(role, ActorRole::Staff(r) if roles.contains(&r));
    match command {
        C::IssueNotice | C::Refuse { .. } | C::CompleteOnTheSpot { .. } => {
            staff(&[Clerk, Supervisor])
        }
        // The system's only where `automatic::system_may` allows (自动受理, 自动出具结果).
        C::Accept { .. } | C::Complete { .. } => staff(&[Clerk, Supervisor, System]),
        C::Supplement { .. } => role == ActorRole::Applicant || staff(&[Clerk, Supervisor]),
        C::StartReview | C::VerifyCommitment { .. } => staff(&[Reviewer, Supervisor]),
        C::Decide { .. } => staff(&[Reviewer, Supervisor, System]),
        C::DecideByRule { .. } | C::ReferToReviewer { .. } => staff(&[System]),
        C::Suspend { .. } | C::Resume { .. } => staff(&[Reviewer, Supervisor]),
        C::Extend { .. } => staff(&[Supervisor]),
        C::Withdraw { .. } => role == ActorRole::Applicant || staff(&[Clerk, Supervisor]),
        C::LapseProvisional => staff(&[Clerk, Supervisor, System]),
        C::RecomputeDeadlines => staff(&[Supervisor, System]),
    }
}

fn role_name(role: ActorRole) -> String {
    match role {
        ActorRole::Applicant => "applicant".to_owned(),
        ActorRole::Staff(r) => format!("{r:?}").to_lowercase(),
    }
}

fn not_empty(text: &str, field: &'static str) -> Result<(), CaseError> {
    if text.trim().is_empty() {
        Err(CaseError::Empty { field })
    } else {
        Ok(())
    }
}

/// The first event of a new case.
pub fn submit(
    case_id: &str,
    submission: Submission,
    guide: std::sync::Arc<GuideSnapshot>,
    actor: Actor,
    ctx: Context<'_>,
) -> Result<CaseEvent, CaseError> {
    let acceptance = guide
        .guide
        .acceptance
        .as_ref()
        .map(|limit| ctx.start(limit, submission.handling_region))
        .transpose()?;
    super::intake::check_submission(&submission, &guide.guide)?;
    Ok(CaseEvent {
        case_id: case_id.to_owned(),
        seq: 1,
        at: ctx.at,
        on: ctx.today,
        actor,
        from_state: None,
        to_state: Some(CaseState::Submitted),
        documents: Vec::new(),
        body: EventBody::Submitted {
            submission,
            guide,
            acceptance,
        },
    })
}

/// Checks `command` against `case` and returns the event it causes.
pub fn decide(case: &Case, command: &Command, ctx: Context<'_>) -> Result<CaseEvent, CaseError> {
    if command.expected_version != case.version {
        return Err(CaseError::Conflict {
            expected: command.expected_version,
            actual: case.version,
        });
    }
    let name = command.kind.name();
    let allowed = allowed_commands(case.state);
    if !allowed.contains(&name) {
        return Err(CaseError::NotAllowed {
            state: case.state.name(),
            command: name,
            allowed,
        });
    }
    if !role_allowed(command.actor.role, &command.kind) {
        return Err(CaseError::RoleNotAllowed {
            role: role_name(command.actor.role),
            command: name,
        });
    }
    if command.actor.role == ActorRole::Applicant && !case.is_party(&command.actor.id) {
        return Err(CaseError::NotTheApplicant);
    }
    if command.actor.role == ActorRole::Staff(Role::System) {
        super::automatic::system_may(case, &command.kind)?;
    }
    super::intake::check_texts(&command.kind)?;
    if let CommandKind::Supplement {
        materials,
        attachments,
    } = &command.kind
    {
        super::intake::check_materials(materials, &case.guide.guide)?;
        super::intake::check_attachments(attachments, materials)?;
    }
    let (to, documents, body) = outcome(case, &command.kind, ctx)?;
    Ok(CaseEvent {
        case_id: case.id.clone(),
        seq: case.version + 1,
        at: ctx.at,
        on: ctx.today,
        actor: command.actor.clone(),
        from_state: Some(case.state),
        to_state: Some(to),
        documents,
        body,
    })
}

type Outcome = (CaseState, Vec<DocumentIssued>, EventBody);

fn material<'a>(case: &'a Case, id: &str) -> Result<&'a crate::catalog::Material, CaseError> {
    case.guide
        .guide
        .materials
        .iter()
        .find(|m| m.id == id)
        .ok_or_else(|| CaseError::UnknownMaterial {
            material: id.to_owned(),
        })
}

fn document(kind: DocumentKind, case: &Case, content: serde_json::Value) -> DocumentIssued {
    DocumentIssued::of(
        kind,
        &json!({ "case": case.id, "item": case.item, "guide": case.guide.content_hash, "content": content }),
    )
}

fn outcome(case: &Case, kind: &CommandKind, ctx: Context<'_>) -> Result<Outcome, CaseError> {
    let region = case.handling_region;
    match kind {
        CommandKind::IssueNotice => {
            let missing = case.missing_materials();
            if missing.is_empty() {
                return Err(CaseError::NothingMissing);
            }
            if case.noticed_gaps.contains(&missing) {
                return Err(CaseError::NoticeAlreadyIssued { missing });
            }
            let doc = document(
                DocumentKind::OneTimeNotice,
                case,
                json!({ "missing": missing }),
            );
            Ok((
                CaseState::AwaitingSupplement,
                vec![doc],
                EventBody::NoticeIssued {
                    missing,
                    acceptance: None,
                },
            ))
        }
        CommandKind::Supplement {
            materials,
            attachments,
        } => {
            if materials.is_empty() {
                return Err(CaseError::Empty { field: "materials" });
            }
            for m in materials {
                material(case, m)?;
            }
            let restart = case.state == CaseState::AwaitingSupplement
                && case
                    .guide
                    .guide
                    .acceptance
                    .as_ref()
                    .is_some_and(|a| a.restart_on_supplement);
            let acceptance = match (&case.guide.guide.acceptance, restart) {
                (Some(limit), true) => Some(ctx.start(limit, region)?),
                _ => None,
            };
            let to = if case.state == CaseState::AwaitingSupplement {
                CaseState::Submitted
            } else {
                case.state
            };
            Ok((
                to,
                Vec::new(),
                EventBody::Supplemented {
                    materials: materials.clone(),
                    acceptance,
                    attachments: attachments.clone(),
                },
            ))
        }
        CommandKind::Accept {
            provisional,
            commitments,
            supply_within_days,
        } => {
            for id in provisional {
                if material(case, id)?.key {
                    return Err(CaseError::KeyMaterial {
                        material: id.clone(),
                    });
                }
            }
            for id in commitments {
                if !material(case, id)?.commitment_allowed {
                    return Err(CaseError::CommitmentNotAllowed {
                        material: id.clone(),
                    });
                }
            }
            // Commitments the applicant signed when applying count as well as those
            // taken at the window now.
            let mut all_commitments = case.commitments.clone();
            for id in commitments {
                if !all_commitments.contains(id) {
                    all_commitments.push(id.clone());
                }
            }
            let commitments = &all_commitments;
            let mut projected = case.clone();
            projected.commitments = commitments.clone();
            projected.pending = provisional
                .iter()
                .map(|m| PendingMaterial {
                    material: m.clone(),
                    supply_by: ctx.today,
                })
                .collect();
            let missing = projected.missing_materials();
            if !missing.is_empty() {
                return Err(CaseError::MissingMaterials { missing });
            }
            let supply_by = ctx.calendar.add_working_days(
                ctx.today,
                (*supply_within_days).max(1),
                Some(region),
            )?;
            let statutory = match &case.guide.guide.statutory {
                StatutoryLimit::Set(limit) => Some(ctx.start(limit, region)?),
                _ => None,
            };
            let promised = case
                .guide
                .guide
                .promised
                .as_ref()
                .map(|l| ctx.start(l, region))
                .transpose()?;
            let pending: Vec<PendingMaterial> = provisional
                .iter()
                .map(|m| PendingMaterial {
                    material: m.clone(),
                    supply_by,
                })
                .collect();
            let doc = document(
                DocumentKind::AcceptanceReceipt,
                case,
                json!({
                    "accepted_on": ctx.today,
                    "statutory_deadline": statutory.as_ref().map(|c| c.deadline),
                    "promised_deadline": promised.as_ref().map(|c| c.deadline),
                    "provisional": pending,
                    "commitments": commitments,
                }),
            );
            Ok((
                CaseState::Accepted,
                vec![doc],
                EventBody::Accepted {
                    statutory,
                    promised,
                    provisional: pending,
                    commitments: commitments.clone(),
                },
            ))
        }
        CommandKind::Refuse { reason } => {
            not_empty(reason, "reason")?;
            let doc = document(
                DocumentKind::RefusalNotice,
                case,
                json!({ "reason": reason, "on": ctx.today }),
            );
            Ok((
                CaseState::Refused,
                vec![doc],
                EventBody::Refused {
                    reason: reason.clone(),
                },
            ))
        }
        CommandKind::StartReview => {
            if case.state == CaseState::Decided && !case.decided_by_rule {
                return Err(CaseError::DecisionFinal);
            }
            Ok((CaseState::InReview, Vec::new(), EventBody::ReviewStarted))
        }
        CommandKind::DecideByRule {
            reason,
            legal_basis,
            trace,
        } => {
            check_rule(case, &trace.policy, &trace.rule_hash)?;
            let grant = trace.all_held();
            if trace.reasons.is_empty() {
                return Err(CaseError::Empty { field: "trace" });
            }
            decision(case, grant, reason, legal_basis, Some(trace.clone()))
        }
        CommandKind::ReferToReviewer { reason } => {
            not_empty(reason, "reason")?;
            if case.guide.guide.decided_by.is_none() {
                return Err(CaseError::RuleMismatch {
                    problem: "this item's guide names no deciding rule".to_owned(),
                });
            }
            Ok((
                CaseState::Accepted,
                Vec::new(),
                EventBody::ReferredToReviewer {
                    reason: reason.clone(),
                },
            ))
        }
        CommandKind::Decide {
            grant,
            reason,
            legal_basis,
        } => decision(case, *grant, reason, legal_basis, None),
        CommandKind::Complete { method } => {
            not_empty(method, "method")?;
            Ok((
                CaseState::Completed,
                Vec::new(),
                EventBody::Completed {
                    delivery: Delivery {
                        method: method.clone(),
                        delivered_on: ctx.today,
                    },
                },
            ))
        }
        CommandKind::CompleteOnTheSpot { method } => {
            if case.guide.guide.kind != ItemKind::OnTheSpot {
                return Err(CaseError::NotOnTheSpot);
            }
            let missing = case.missing_materials();
            if !missing.is_empty() {
                return Err(CaseError::MissingMaterials { missing });
            }
            not_empty(method, "method")?;
            let doc = document(
                DocumentKind::Decision,
                case,
                json!({ "grant": true, "on_the_spot": true, "on": ctx.today }),
            );
            Ok((
                CaseState::Completed,
                vec![doc],
                EventBody::CompletedOnTheSpot {
                    delivery: Delivery {
                        method: method.clone(),
                        delivered_on: ctx.today,
                    },
                },
            ))
        }
        CommandKind::Withdraw { reason } => {
            not_empty(reason, "reason")?;
            Ok((
                CaseState::Withdrawn,
                Vec::new(),
                EventBody::Withdrawn {
                    reason: reason.clone(),
                },
            ))
        }
        CommandKind::Suspend { reason } => {
            not_empty(reason, "reason")?;
            Ok((
                CaseState::Suspended,
                Vec::new(),
                EventBody::Suspended {
                    from: case.state,
                    reason: reason.clone(),
                },
            ))
        }
        CommandKind::Resume { reason } => {
            not_empty(reason, "reason")?;
            let since = case.suspended_on.unwrap_or(ctx.today);
            let push = |clock: &Option<Clock>| -> Result<(Option<Clock>, u32), CaseError> {
                match clock {
                    None => Ok((None, 0)),
                    Some(c) => {
                        let days = c.elapsed(since, ctx.today, ctx.calendar, region)?;
                        Ok((Some(c.pushed_out(days, ctx.calendar, region)?), days))
                    }
                }
            };
            let (statutory, stopped) = push(&case.statutory)?;
            let (promised, _) = push(&case.promised)?;
            let to = case.suspended_from.unwrap_or(CaseState::Accepted);
            Ok((
                to,
                Vec::new(),
                EventBody::Resumed {
                    reason: reason.clone(),
                    stopped_days: stopped,
                    statutory,
                    promised,
                },
            ))
        }
        CommandKind::Extend { days, reason } => {
            not_empty(reason, "reason")?;
            let StatutoryLimit::Set(limit) = &case.guide.guide.statutory else {
                return Err(CaseError::NoExtension);
            };
            let Some(extension) = &limit.extension else {
                return Err(CaseError::NoExtension);
            };
            let left = extension.amount.saturating_sub(case.extended_days);
            if *days == 0 || *days > left {
                return Err(CaseError::ExtensionTooLong {
                    requested: *days,
                    allowed: left,
                });
            }
            let statutory = case
                .statutory
                .as_ref()
                .map(|c| c.pushed_out(*days, ctx.calendar, region))
                .transpose()?;
            let promised = case
                .promised
                .as_ref()
                .map(|c| c.pushed_out(*days, ctx.calendar, region))
                .transpose()?;
            Ok((
                case.state,
                Vec::new(),
                EventBody::Extended {
                    days: *days,
                    reason: reason.clone(),
                    statutory,
                    promised,
                },
            ))
        }
        CommandKind::VerifyCommitment {
            material: id,
            truthful,
        } => {
            if !case.unverified_commitments.contains(id) {
                return Err(CaseError::NoSuchCommitment {
                    material: id.clone(),
                });
            }
            let body = EventBody::CommitmentVerified {
                material: id.clone(),
                truthful: *truthful,
            };
            if *truthful {
                return Ok((case.state, Vec::new(), body));
            }
            // A false commitment: a granted result is revoked, a running case ends.
            let to = match (case.state, case.granted) {
                (CaseState::Decided | CaseState::Completed, Some(true)) => CaseState::Revoked,
                (CaseState::Decided | CaseState::Completed, _) => case.state,
                _ => CaseState::Terminated,
            };
            let docs = if to == CaseState::Revoked {
                vec![document(
                    DocumentKind::RevocationNotice,
                    case,
                    json!({ "false_commitment": id, "on": ctx.today }),
                )]
            } else {
                Vec::new()
            };
            Ok((to, docs, body))
        }
        CommandKind::RecomputeDeadlines => {
            let clocks = [&case.acceptance, &case.statutory, &case.promised];
            if clocks.into_iter().flatten().all(|c| !c.provisional) {
                return Err(CaseError::NothingToRecompute);
            }
            let recount = |clock: &Option<Clock>| {
                clock
                    .as_ref()
                    .map(|c| c.recounted(ctx.calendar, region, ctx.policy))
                    .transpose()
            };
            let acceptance = recount(&case.acceptance)?;
            let statutory = recount(&case.statutory)?;
            let promised = recount(&case.promised)?;
            let changes: Vec<DeadlineChange> = [
                ("acceptance", &case.acceptance, &acceptance),
                ("statutory", &case.statutory, &statutory),
                ("promised", &case.promised, &promised),
            ]
            .into_iter()
            .filter_map(|(name, before, after)| match (before, after) {
                (Some(before), Some(after)) if before != after => Some(DeadlineChange {
                    clock: name.to_owned(),
                    from: before.deadline,
                    to: after.deadline,
                }),
                _ => None,
            })
            .collect();
            // Nothing moved and nothing stopped being provisional: the year's schedule
            // is still unpublished.
            if (&acceptance, &statutory, &promised)
                == (&case.acceptance, &case.statutory, &case.promised)
            {
                return Err(CaseError::NothingToRecompute);
            }
            Ok((
                case.state,
                Vec::new(),
                EventBody::DeadlinesRecomputed {
                    changes,
                    reason: "国务院办公厅公布了该年度节假日安排，暂定期限按正式安排重新计算"
                        .to_owned(),
                    acceptance,
                    statutory,
                    promised,
                },
            ))
        }
        CommandKind::LapseProvisional => {
            let Some(first) = case.pending.iter().map(|p| p.supply_by).min() else {
                return Err(CaseError::NothingOverdue { due: ctx.today });
            };
            if ctx.today <= first {
                return Err(CaseError::NothingOverdue { due: first });
            }
            let overdue: Vec<String> = case
                .pending
                .iter()
                .filter(|p| p.supply_by < ctx.today)
                .map(|p| p.material.clone())
                .collect();
            Ok((
                CaseState::Terminated,
                Vec::new(),
                EventBody::Terminated {
                    reason: format!("容缺材料逾期未补正: {}", overdue.join(", ")),
                },
            ))
        }
    }
}

/// The decision's checks and event, whoever decides: a grant needs every provisional
/// material in hand; a denial states its reason, basis and routes of appeal.
fn decision(
    case: &Case,
    grant: bool,
    reason: &str,
    legal_basis: &[String],
    rule: Option<super::command::RuleTrace>,
) -> Result<Outcome, CaseError> {
    if grant && !case.pending.is_empty() {
        return Err(CaseError::ProvisionalPending {
            materials: case.pending.iter().map(|p| p.material.clone()).collect(),
        });
    }
    if !grant {
        not_empty(reason, "reason")?;
        if legal_basis.is_empty() {
            return Err(CaseError::Empty {
                field: "legal_basis",
            });
        }
    }
    let appeal = (!grant).then(|| APPEAL_ROUTES.to_owned());
    let mut content =
        json!({ "grant": grant, "reason": reason, "legal_basis": legal_basis, "appeal": appeal });
    if let Some(rule) = &rule {
        content["rule"] = json!({
            "policy": rule.policy,
            "version": rule.version,
            "rule_hash": rule.rule_hash,
            "facts_digest": rule.facts_digest,
        });
    }
    let doc = document(DocumentKind::Decision, case, content);
    Ok((
        CaseState::Decided,
        vec![doc],
        EventBody::Decided {
            grant,
            reason: reason.to_owned(),
            legal_basis: legal_basis.to_vec(),
            appeal,
            rule,
        },
    ))
}

/// The rule a command names is the one the case's guide names.
fn check_rule(case: &Case, policy: &str, hash: &str) -> Result<(), CaseError> {
    match &case.guide.guide.decided_by {
        None => Err(CaseError::RuleMismatch {
            problem: "this item's guide names no deciding rule".to_owned(),
        }),
        Some(rule) if rule.policy != policy || rule.content_hash != hash => {
            Err(CaseError::RuleMismatch {
                problem: format!(
                    "the case's guide is decided by {} (rule {}), not by {policy} (rule {hash})",
                    rule.policy, rule.content_hash
                ),
            })
        }
        Some(_) => Ok(()),
    }
}
