use jiff::civil::Date;

use super::file::Stage;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RatingError {
    #[error("this service has not reached the {stage:?} stage yet")]
    NotYet { stage: Stage },
    #[error("this service was already rated at the {stage:?} stage")]
    AlreadyRated { stage: Stage },
    #[error("ratings were taken until {last}")]
    TooLate { last: Date },
    #[error("staff may not rate their own work")]
    OwnWork,
    #[error("only the person served may rate this service")]
    NotTheirs,
    #[error("the text is longer than {max} characters")]
    TextTooLong { max: usize },
    #[error("{indicator} is not an indicator of this channel")]
    WrongIndicator { indicator: String },
    #[error("there is no poor rating to follow up at the {stage:?} stage")]
    NoFollowUp { stage: Stage },
    #[error("the follow-up is already closed")]
    FollowUpClosed,
    #[error("the person must be contacted before the follow-up is closed")]
    NotContacted,
    #[error("say what was done or explained")]
    NoText,
    #[error("a rectification needs a day to be done by, today or later")]
    BadRectifyDate,
    #[error("this rating already has an appeal")]
    AlreadyAppealed,
    #[error("there is no open appeal")]
    NoAppeal,
    #[error("only staff may do this")]
    StaffOnly,
    #[error("the person who appealed cannot decide the appeal")]
    OwnAppeal,
    #[error("the {stage:?} stage is not rated in this region")]
    StageNotRated { stage: Stage },
    #[error("this region has no default rating")]
    NoDefault,
    #[error("a default rating is given from {from}, when nobody can rate any more")]
    DefaultNotYet { from: Date },
    #[error("only the system gives a default rating")]
    SystemOnly,
}

impl RatingError {
    pub fn code(&self) -> &'static str {
        match self {
            RatingError::NotYet { .. } => "not_yet",
            RatingError::AlreadyRated { .. } => "already_rated",
            RatingError::TooLate { .. } => "too_late",
            RatingError::OwnWork => "own_work",
            RatingError::NotTheirs => "not_theirs",
            RatingError::TextTooLong { .. } => "text_too_long",
            RatingError::WrongIndicator { .. } => "wrong_indicator",
            RatingError::NoFollowUp { .. } => "no_follow_up",
            RatingError::FollowUpClosed => "follow_up_closed",
            RatingError::NotContacted => "not_contacted",
            RatingError::NoText => "no_text",
            RatingError::BadRectifyDate => "bad_rectify_date",
            RatingError::AlreadyAppealed => "already_appealed",
            RatingError::NoAppeal => "no_appeal",
            RatingError::StaffOnly => "staff_only",
            RatingError::OwnAppeal => "own_appeal",
            RatingError::StageNotRated { .. } => "stage_not_rated",
            RatingError::NoDefault => "no_default",
            RatingError::DefaultNotYet { .. } => "default_not_yet",
            RatingError::SystemOnly => "system_only",
        }
    }
}
