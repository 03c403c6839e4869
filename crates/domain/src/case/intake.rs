//! What an application must satisfy before it becomes a case, and the limits on the
//! free text every command may carry: the item's own rules (channel, applicant kind,
//! where it may be taken in), the materials (each once, each of the guide) and sizes.
//! Everything here goes into the permanent trail, so it is checked before it is kept.

use super::command::{Applicant, Attachment, CommandKind, Submission};
use super::rules::CaseError;
use crate::catalog::{Applicant as Serves, Guide};

/// The longest reason, method or other free text a command may carry.
pub const MAX_TEXT: usize = 2_000;

/// Checks a submission against its guide.
pub fn check_submission(submission: &Submission, guide: &Guide) -> Result<(), CaseError> {
    if !guide.channels.contains(&submission.channel) {
        return Err(CaseError::ChannelNotOffered {
            channel: submission.channel.name_zh(),
            offered: guide.channels.iter().map(|c| c.name_zh()).collect(),
        });
    }
    let serves = matches!(
        (&submission.applicant, guide.applicant),
        (_, Serves::PersonOrEmployer)
            | (Applicant::Person(_), Serves::Person)
            | (Applicant::Employer(_), Serves::Employer)
    );
    if !serves {
        return Err(CaseError::ApplicantNotServed {
            applicant: match submission.applicant {
                Applicant::Person(_) => "person",
                Applicant::Employer(_) => "employer",
            },
        });
    }
    let (accepting, handling) = (submission.accepting_region, submission.handling_region);
    // Remote acceptance (异地受理) is for items the guide opens to it (跨省通办). A hall
    // above or below the handling office in the same line is not remote.
    let same_line = accepting.is_within(handling) || handling.is_within(accepting);
    if !same_line && !guide.flags.cross_province {
        return Err(CaseError::RemoteNotAllowed {
            accepting: accepting.to_string(),
            handling: handling.to_string(),
        });
    }
    check_materials(&submission.materials, guide)?;
    check_attachments(&submission.attachments, &submission.materials)?;
    check_commitments(&submission.commitments, &submission.materials, guide)
}

/// Each commitment once, for a material the guide lets a commitment replace, and not
/// for one that is also handed in.
pub fn check_commitments(
    commitments: &[String],
    materials: &[String],
    guide: &Guide,
) -> Result<(), CaseError> {
    for (n, id) in commitments.iter().enumerate() {
        let Some(material) = guide.materials.iter().find(|m| &m.id == id) else {
            return Err(CaseError::UnknownMaterial { material: cut(id) });
        };
        if !material.commitment_allowed {
            return Err(CaseError::CommitmentNotAllowed {
                material: id.clone(),
            });
        }
        if commitments[..n].contains(id) || materials.contains(id) {
            return Err(CaseError::DuplicateMaterial {
                material: id.clone(),
            });
        }
    }
    Ok(())
}

/// Each material once, and only materials the guide names.
pub fn check_materials(materials: &[String], guide: &Guide) -> Result<(), CaseError> {
    for (n, material) in materials.iter().enumerate() {
        if !guide.materials.iter().any(|m| &m.id == material) {
            return Err(CaseError::UnknownMaterial {
                material: cut(material),
            });
        }
        if materials[..n].contains(material) {
            return Err(CaseError::DuplicateMaterial {
                material: material.clone(),
            });
        }
    }
    Ok(())
}

/// File types accepted for materials, as read from the files' content.
pub const ATTACHMENT_TYPES: &[&str] = &["application/pdf", "image/jpeg", "image/png"];
/// Most files one request may hand in.
pub const MAX_ATTACHMENTS: usize = 30;

/// Each attachment is for a material the request hands in, names its SHA-256 in hex,
/// has content, and is of an accepted type.
pub fn check_attachments(
    attachments: &[Attachment],
    materials: &[String],
) -> Result<(), CaseError> {
    if attachments.len() > MAX_ATTACHMENTS {
        return Err(CaseError::BadAttachment {
            index: MAX_ATTACHMENTS + 1,
            problem: format!("at most {MAX_ATTACHMENTS} files per request"),
        });
    }
    for (index, a) in attachments.iter().enumerate() {
        let problem = if !materials.contains(&a.material) {
            Some(format!(
                "{} is not among the materials handed in",
                cut(&a.material)
            ))
        } else if a.sha256.len() != 64
            || !a
                .sha256
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        {
            Some("sha256 must be 64 lower-case hex digits".to_owned())
        } else if a.bytes == 0 {
            Some("the file is empty".to_owned())
        } else if !ATTACHMENT_TYPES.contains(&a.media_type.as_str()) {
            Some(format!(
                "{} is not one of {}",
                cut(&a.media_type),
                ATTACHMENT_TYPES.join(", ")
            ))
        } else {
            None
        };
        if let Some(problem) = problem {
            return Err(CaseError::BadAttachment { index, problem });
        }
    }
    Ok(())
}

/// Every free-text field of a command within [`MAX_TEXT`] characters.
pub fn check_texts(kind: &CommandKind) -> Result<(), CaseError> {
    let texts: Vec<(&'static str, &str)> = match kind {
        CommandKind::Refuse { reason }
        | CommandKind::Withdraw { reason }
        | CommandKind::Suspend { reason }
        | CommandKind::Resume { reason }
        | CommandKind::Extend { reason, .. } => vec![("reason", reason)],
        CommandKind::Decide {
            reason,
            legal_basis,
            ..
        } => std::iter::once(("reason", reason.as_str()))
            .chain(legal_basis.iter().map(|b| ("legal_basis", b.as_str())))
            .collect(),
        CommandKind::Complete { method } | CommandKind::CompleteOnTheSpot { method } => {
            vec![("method", method)]
        }
        _ => Vec::new(),
    };
    for (field, text) in texts {
        let length = text.chars().count();
        if length > MAX_TEXT {
            return Err(CaseError::TextTooLong {
                field,
                length,
                max: MAX_TEXT,
            });
        }
    }
    Ok(())
}

/// An unknown value is echoed back shortened: it may be huge.
fn cut(text: &str) -> String {
    const SHOWN: usize = 64;
    if text.chars().count() <= SHOWN {
        text.to_owned()
    } else {
        format!("{}…", text.chars().take(SHOWN).collect::<String>())
    }
}
