//! Deciding a rating command: who may rate what and when, and how a poor rating's
//! follow-up and an appeal proceed.

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::error::RatingError;
use super::file::{
    Appeal, AppealGround, Closure, FollowUp, RatedService, Rater, Rating, RatingChannel,
    RatingEvent, RatingEventBody, RatingFile, Stage,
};
use super::level::{Indicator, Level};
use super::policy::RatingPolicy;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "command", rename_all = "snake_case")]
pub enum RatingCommandKind {
    Rate {
        stage: Stage,
        level: Level,
        #[serde(default)]
        indicators: Vec<Indicator>,
        #[serde(default)]
        text: String,
        channel: RatingChannel,
    },
    /// 回访核实: the person was contacted about a poor rating.
    Contact {
        stage: Stage,
        note: String,
    },
    Close {
        stage: Stage,
        closure: Closure,
    },
    /// 申诉: staff contest a poor rating as mistaken or malicious.
    Appeal {
        stage: Stage,
        ground: AppealGround,
        text: String,
    },
    /// 复核: a supervisor decides the appeal with a reason.
    DecideAppeal {
        stage: Stage,
        upheld: bool,
        reason: String,
    },
    /// 默认评价: the system gives the region's default level to a stage nobody rated,
    /// once the late window has closed and the region's days have passed.
    Default {
        stage: Stage,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RatingCommand {
    /// `pad`, `kiosk`, `online:<party>`, `system` (a default rating), or a staff id.
    pub actor: String,
    pub kind: RatingCommandKind,
}

impl RatingCommand {
    fn staff(&self) -> Option<&str> {
        let anonymous = self.actor == "pad"
            || self.actor == "kiosk"
            || self.actor.starts_with("online:")
            || self.is_system();
        (!anonymous).then_some(self.actor.as_str())
    }

    fn is_system(&self) -> bool {
        self.actor == SYSTEM
    }
}

/// The actor of a default rating.
pub const SYSTEM: &str = "system";

impl RatingCommand {}

/// What the rules need besides the file: now, the settings, the service as the caller
/// read it, and the legal calendar's working-day arithmetic.
pub struct RatingContext<'a> {
    pub at: Timestamp,
    pub today: Date,
    pub policy: &'a RatingPolicy,
    pub service: &'a RatedService,
    /// The `n`-th working day after a day, in the service's region.
    pub add_working_days: &'a dyn Fn(Date, u32) -> Date,
}

impl std::fmt::Debug for RatingContext<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RatingContext")
            .field("at", &self.at)
            .field("service", &self.service)
            .finish_non_exhaustive()
    }
}

pub fn decide_rating(
    file: &RatingFile,
    command: &RatingCommand,
    ctx: &RatingContext<'_>,
) -> Result<RatingEvent, RatingError> {
    let body = match &command.kind {
        RatingCommandKind::Rate {
            stage,
            level,
            indicators,
            text,
            channel,
        } => rate(
            file, command, ctx, *stage, *level, indicators, text, *channel,
        )?,
        RatingCommandKind::Default { stage } => default_rating(file, command, ctx, *stage)?,
        RatingCommandKind::Contact { stage, note } => {
            command.staff().ok_or(RatingError::StaffOnly)?;
            open_follow_up(file, *stage)?;
            RatingEventBody::Contacted {
                stage: *stage,
                note: note.trim().to_owned(),
            }
        }
        RatingCommandKind::Close { stage, closure } => {
            command.staff().ok_or(RatingError::StaffOnly)?;
            let follow_up = open_follow_up(file, *stage)?;
            if follow_up.contacted_at.is_none() {
                return Err(RatingError::NotContacted);
            }
            let closure = checked_closure(closure, ctx)?;
            RatingEventBody::FollowUpClosed {
                stage: *stage,
                closure,
                on_time: ctx.today <= follow_up.close_by,
            }
        }
        RatingCommandKind::Appeal {
            stage,
            ground,
            text,
        } => {
            let staff = command.staff().ok_or(RatingError::StaffOnly)?;
            if !file.rating(*stage).is_some_and(|r| r.level.is_poor()) {
                return Err(RatingError::NoFollowUp { stage: *stage });
            }
            if file.appeal(*stage).is_some() {
                return Err(RatingError::AlreadyAppealed);
            }
            if text.trim().is_empty() {
                return Err(RatingError::NoText);
            }
            RatingEventBody::Appealed {
                appeal: Appeal {
                    stage: *stage,
                    ground: *ground,
                    text: text.trim().to_owned(),
                    by: staff.to_owned(),
                    at: ctx.at,
                    upheld: None,
                    decided_by: None,
                    reason: String::new(),
                },
            }
        }
        RatingCommandKind::DecideAppeal {
            stage,
            upheld,
            reason,
        } => {
            let staff = command.staff().ok_or(RatingError::StaffOnly)?;
            let appeal = file
                .appeal(*stage)
                .filter(|a| a.upheld.is_none())
                .ok_or(RatingError::NoAppeal)?;
            if appeal.by == staff
                || file.service.as_ref().and_then(|s| s.served_by.as_deref()) == Some(staff)
            {
                return Err(RatingError::OwnAppeal);
            }
            if reason.trim().is_empty() {
                return Err(RatingError::NoText);
            }
            RatingEventBody::AppealDecided {
                stage: *stage,
                upheld: *upheld,
                reason: reason.trim().to_owned(),
            }
        }
    };
    Ok(RatingEvent {
        file: file.id.clone(),
        seq: file.version + 1,
        at: ctx.at,
        actor: command.actor.clone(),
        body,
    })
}

#[allow(clippy::too_many_arguments)]
fn rate(
    file: &RatingFile,
    command: &RatingCommand,
    ctx: &RatingContext<'_>,
    stage: Stage,
    level: Level,
    indicators: &[Indicator],
    text: &str,
    channel: RatingChannel,
) -> Result<RatingEventBody, RatingError> {
    let service = ctx.service;
    let reached = unrated_stage(file, ctx, stage)?;
    let last = (ctx.add_working_days)(reached, ctx.policy.late_days);
    if ctx.today > last {
        return Err(RatingError::TooLate { last });
    }
    if command.is_system() {
        return Err(RatingError::NotTheirs);
    }
    let rater = match command.staff() {
        Some(staff) => {
            if service.served_by.as_deref() == Some(staff) {
                return Err(RatingError::OwnWork);
            }
            // Staff record a rating only for a caller on the phone line.
            if channel != RatingChannel::Phone {
                return Err(RatingError::NotTheirs);
            }
            Rater::OnBehalf {
                staff: staff.to_owned(),
            }
        }
        None => {
            let party = command.actor.strip_prefix("online:").map(str::to_owned);
            if let (Some(party), Some(person)) = (&party, &service.person)
                && party != person
            {
                return Err(RatingError::NotTheirs);
            }
            Rater::Person { party }
        }
    };
    let text = text.trim();
    if text.chars().count() > ctx.policy.text_max {
        return Err(RatingError::TextTooLong {
            max: ctx.policy.text_max,
        });
    }
    if let Some(wrong) = indicators
        .iter()
        .find(|i| !channel.indicators().contains(i))
    {
        return Err(RatingError::WrongIndicator {
            indicator: wrong.name().to_owned(),
        });
    }
    let mut indicators = indicators.to_vec();
    indicators.sort();
    indicators.dedup();
    Ok(rated(ctx, stage, level, indicators, text, channel, rater))
}

/// The day `stage` was reached, when it is rated here, reached and not yet rated.
fn unrated_stage(
    file: &RatingFile,
    ctx: &RatingContext<'_>,
    stage: Stage,
) -> Result<Date, RatingError> {
    if !ctx.policy.rates(stage) {
        return Err(RatingError::StageNotRated { stage });
    }
    let reached = ctx
        .service
        .reached(stage)
        .ok_or(RatingError::NotYet { stage })?;
    if file.rating(stage).is_some() {
        return Err(RatingError::AlreadyRated { stage });
    }
    Ok(reached)
}

/// The region's default level for a stage nobody rated: only when the person can no
/// longer rate (the late window has closed) and the region's days have passed, so a
/// default never takes the place of a rating someone could still give.
fn default_rating(
    file: &RatingFile,
    command: &RatingCommand,
    ctx: &RatingContext<'_>,
    stage: Stage,
) -> Result<RatingEventBody, RatingError> {
    if !command.is_system() {
        return Err(RatingError::SystemOnly);
    }
    let default = ctx.policy.default_rating.ok_or(RatingError::NoDefault)?;
    let reached = unrated_stage(file, ctx, stage)?;
    let from = default_due(ctx.policy, reached, ctx.add_working_days).unwrap_or(reached);
    if ctx.today < from {
        return Err(RatingError::DefaultNotYet { from });
    }
    Ok(rated(
        ctx,
        stage,
        default.level,
        Vec::new(),
        "",
        RatingChannel::None,
        Rater::Default {
            after_days: default.after_days,
        },
    ))
}

/// The first day a stage reached on `reached` and not rated gets the default level:
/// the day after the late window, or the region's days later, whichever is later.
pub fn default_due(
    policy: &RatingPolicy,
    reached: Date,
    add_working_days: &dyn Fn(Date, u32) -> Date,
) -> Option<Date> {
    let default = policy.default_rating?;
    let after_late = add_working_days(reached, policy.late_days)
        .tomorrow()
        .ok()?;
    let after_days = reached
        .checked_add(jiff::Span::new().days(i64::from(default.after_days)))
        .ok()?;
    Some(after_late.max(after_days))
}

fn rated(
    ctx: &RatingContext<'_>,
    stage: Stage,
    level: Level,
    indicators: Vec<Indicator>,
    text: &str,
    channel: RatingChannel,
    rater: Rater,
) -> RatingEventBody {
    let follow_up = level.is_poor().then(|| FollowUp {
        stage,
        opened_at: ctx.at,
        contact_by: (ctx.add_working_days)(ctx.today, ctx.policy.contact_days),
        close_by: (ctx.add_working_days)(ctx.today, ctx.policy.close_days),
        contacted_at: None,
        contacted_by: None,
        contact_note: String::new(),
        closure: None,
        closed_at: None,
        closed_by: None,
        on_time: None,
    });
    RatingEventBody::Rated {
        service: Box::new(ctx.service.clone()),
        rating: Rating {
            stage,
            level,
            indicators,
            text: text.to_owned(),
            channel,
            rater,
            at: ctx.at,
            policy_version: ctx.policy.version,
            excluded: false,
        },
        follow_up,
    }
}

fn open_follow_up(file: &RatingFile, stage: Stage) -> Result<&FollowUp, RatingError> {
    let follow_up = file
        .follow_up(stage)
        .ok_or(RatingError::NoFollowUp { stage })?;
    if !follow_up.is_open() {
        return Err(RatingError::FollowUpClosed);
    }
    Ok(follow_up)
}

fn checked_closure(closure: &Closure, ctx: &RatingContext<'_>) -> Result<Closure, RatingError> {
    let text = match closure {
        Closure::FixedAtOnce { text }
        | Closure::Explained { text }
        | Closure::Ledger { text, .. } => text.trim().to_owned(),
    };
    if text.is_empty() {
        return Err(RatingError::NoText);
    }
    if text.chars().count() > ctx.policy.text_max * 4 {
        return Err(RatingError::TextTooLong {
            max: ctx.policy.text_max * 4,
        });
    }
    Ok(match closure {
        Closure::FixedAtOnce { .. } => Closure::FixedAtOnce { text },
        Closure::Explained { .. } => Closure::Explained { text },
        Closure::Ledger { by, .. } => {
            if *by < ctx.today {
                return Err(RatingError::BadRectifyDate);
            }
            Closure::Ledger { text, by: *by }
        }
    })
}
