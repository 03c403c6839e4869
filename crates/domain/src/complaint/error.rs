#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ComplaintError {
    #[error("this complaint number is already taken")]
    AlreadyFiled,
    #[error("there is no such complaint")]
    NotFiled,
    #[error("say what went wrong")]
    NoText,
    #[error("the text is longer than {max} characters")]
    TextTooLong { max: usize },
    #[error("give a phone number or sign in, so the answer can reach you")]
    NoWayToReply,
    #[error("the phone number is not one: 7 to 15 digits, with an optional + and hyphens")]
    BadPhone,
    #[error("the complaint is closed")]
    Closed,
    #[error("the complaint has no answer to judge yet")]
    NotReplied,
    #[error("the complaint was already answered; wait for the complainant's verdict")]
    AlreadyReplied,
    #[error("only the complainant may judge the answer")]
    NotTheirs,
    #[error("only staff may do this")]
    StaffOnly,
    #[error("a complaint about a staff member is not answered by that staff member")]
    OwnComplaint,
}

impl ComplaintError {
    pub fn code(&self) -> &'static str {
        match self {
            ComplaintError::AlreadyFiled => "already_filed",
            ComplaintError::NotFiled => "not_filed",
            ComplaintError::NoText => "no_text",
            ComplaintError::TextTooLong { .. } => "text_too_long",
            ComplaintError::NoWayToReply => "no_way_to_reply",
            ComplaintError::BadPhone => "bad_phone",
            ComplaintError::Closed => "complaint_closed",
            ComplaintError::NotReplied => "not_replied",
            ComplaintError::AlreadyReplied => "already_replied",
            ComplaintError::NotTheirs => "not_theirs",
            ComplaintError::StaffOnly => "staff_only",
            ComplaintError::OwnComplaint => "own_complaint",
        }
    }
}
