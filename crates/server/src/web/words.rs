//! Domain values in the reader's words: each enum maps to its Fluent key, in one place.

use yichuang_domain::case::{CaseState, DocumentKind};
use yichuang_domain::catalog::{Channel, Role};

pub(crate) fn state_key(state: CaseState) -> &'static str {
    match state {
        CaseState::Submitted => "state-submitted",
        CaseState::AwaitingSupplement => "state-awaiting-supplement",
        CaseState::Accepted => "state-accepted",
        CaseState::InReview => "state-in-review",
        CaseState::Suspended => "state-suspended",
        CaseState::Decided => "state-decided",
        CaseState::Completed => "state-completed",
        CaseState::Refused => "state-refused",
        CaseState::Withdrawn => "state-withdrawn",
        CaseState::Terminated => "state-terminated",
        CaseState::Revoked => "state-revoked",
    }
}

/// The Fluent key of a state as the store names it (`in_review`), if it is one.
pub(crate) fn state_key_named(name: &str) -> Option<&'static str> {
    CaseState::ALL
        .iter()
        .find(|s| s.name() == name)
        .map(|s| state_key(*s))
}

pub(crate) fn channel_key(channel: Channel) -> &'static str {
    match channel {
        Channel::Window => "channel-window",
        Channel::Online => "channel-online",
        Channel::Mobile => "channel-mobile",
        Channel::Kiosk => "channel-kiosk",
        Channel::BankOutlet => "channel-bank-outlet",
        Channel::Post => "channel-post",
        Channel::Phone => "channel-phone",
    }
}

pub(crate) fn document_key(kind: DocumentKind) -> &'static str {
    match kind {
        DocumentKind::OneTimeNotice => "document-one-time-notice",
        DocumentKind::AcceptanceReceipt => "document-acceptance-receipt",
        DocumentKind::RefusalNotice => "document-refusal-notice",
        DocumentKind::Decision => "document-decision",
        DocumentKind::RevocationNotice => "document-revocation-notice",
    }
}

pub(crate) fn role_key(role: Role) -> &'static str {
    match role {
        Role::Clerk => "role-clerk",
        Role::Reviewer => "role-reviewer",
        Role::Supervisor => "role-supervisor",
        Role::StandardsOfficer => "role-standards-officer",
        Role::Administrator => "role-administrator",
        Role::System => "role-system",
    }
}
