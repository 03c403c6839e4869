//! 默认评价: where a region sets it (广东, 广西: 7 days [POLICY-FACTS §1]), a service
//! nobody rated counts as the region's default level once the person can no longer
//! rate. A sweep finds the hall visits and case stages that became due in the last
//! week (so a stopped server catches up) and gives each its default through the
//! engine, as the system, under one request id per stage (a second sweep repeats
//! nothing).

use jiff::civil::Date;
use jiff::{Span, Timestamp};
use yichuang_domain::RegionCode;
use yichuang_domain::hall::TicketStatus;
use yichuang_domain::rating::{
    RatingCommand, RatingCommandKind, RatingPolicy, SYSTEM, Stage, Subject, default_due,
};

use crate::{Answer, EngineError, Request};

/// Days back a sweep catches up on.
const CATCH_UP_DAYS: i64 = 7;

/// What a sweep did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct DefaultSweep {
    /// Stages given the default level now.
    pub given: usize,
    /// Due stages someone had rated meanwhile, or given a default before.
    pub already: usize,
}

impl crate::Engine {
    /// Gives every due, unrated stage in the regions that set a default its default
    /// level (see the module's comment).
    pub async fn give_default_ratings(&self) -> Result<DefaultSweep, EngineError> {
        let today = self.today();
        let mut sweep = DefaultSweep::default();
        // The longest reach of any settings, so a region inside a swept one is covered.
        let back = self
            .catalog
            .rating_settings
            .iter()
            .map(|(_, p)| reach_back(p))
            .max()
            .unwrap_or(CATCH_UP_DAYS);
        for region in self.regions_with_defaults() {
            let prefix = region.subtree_prefix();
            let (from, to) = (day_start(today, -back), day_start(today, 1));
            for case_id in self
                .store()
                .cases_stepped_between(&prefix, &from, &to)
                .await?
            {
                let subject = Subject::Case { case_id };
                for stage in [Stage::Acceptance, Stage::Completion] {
                    self.default_if_due(&subject, stage, today, &mut sweep)
                        .await?;
                }
            }
            for hall in self.store().halls(&prefix).await? {
                let Ok(code) = RegionCode::parse(&hall.region) else {
                    continue;
                };
                let policy = self.catalog.rating_policy(code);
                for days_back in 0..back {
                    let Ok(day) = today.checked_sub(Span::new().days(days_back)) else {
                        break;
                    };
                    // Only days whose visits fall due in the catch-up window are read.
                    if !self.in_catch_up(&policy, code, day, today) {
                        continue;
                    }
                    let visits = self.hall_day(&hall.id, day).await?;
                    for ticket in visits
                        .tickets
                        .iter()
                        .filter(|t| t.status == TicketStatus::Finished)
                    {
                        let subject = Subject::Ticket {
                            hall: hall.id.clone(),
                            day,
                            number: ticket.number.clone(),
                        };
                        self.default_if_due(&subject, Stage::Visit, today, &mut sweep)
                            .await?;
                    }
                }
            }
        }
        Ok(sweep)
    }

    /// The regions whose settings have a default, with those settings, except any
    /// inside another of them (swept with it; its own settings still decide).
    fn regions_with_defaults(&self) -> Vec<RegionCode> {
        let with: Vec<&(RegionCode, RatingPolicy)> = self
            .catalog
            .rating_settings
            .iter()
            .filter(|(_, p)| p.default_rating.is_some())
            .collect();
        with.iter()
            .filter(|(r, _)| {
                !with
                    .iter()
                    .any(|(other, _)| other != r && r.is_within(*other))
            })
            .map(|(r, _)| *r)
            .collect()
    }

    /// Whether a stage reached on `reached` falls due for its default within the
    /// catch-up window ending today.
    fn in_catch_up(
        &self,
        policy: &RatingPolicy,
        region: RegionCode,
        reached: Date,
        today: Date,
    ) -> bool {
        let add = |from: Date, n: u32| {
            self.calendar
                .add_working_days(from, n, Some(region))
                .unwrap_or(from)
        };
        let caught_up = today
            .checked_sub(Span::new().days(CATCH_UP_DAYS))
            .unwrap_or(today);
        default_due(policy, reached, &add).is_some_and(|due| due <= today && due > caught_up)
    }

    async fn default_if_due(
        &self,
        subject: &Subject,
        stage: Stage,
        today: Date,
        sweep: &mut DefaultSweep,
    ) -> Result<(), EngineError> {
        let service = match self.rated_service(subject).await {
            Ok(service) => service,
            Err(e) if e.is_client_error() => return Ok(()),
            Err(e) => return Err(e),
        };
        let (Some(reached), Ok(region)) =
            (service.reached(stage), RegionCode::parse(&service.region))
        else {
            return Ok(());
        };
        let policy: RatingPolicy = self.catalog.rating_policy(region);
        if !policy.rates(stage) || !self.in_catch_up(&policy, region, reached, today) {
            return Ok(());
        }
        if self.rating_file(subject).await?.rating(stage).is_some() {
            sweep.already += 1;
            return Ok(());
        }
        let request = Request::Rating {
            subject: subject.clone(),
            service: Some(Box::new(service)),
            command: RatingCommand {
                actor: SYSTEM.to_owned(),
                kind: RatingCommandKind::Default { stage },
            },
        };
        let request_id = format!("default-rating:{}:{}", subject.stream_id(), stage.name());
        match self.dispatch(&request_id, request, None).await {
            Ok(Answer::Rating(_)) => sweep.given += 1,
            Ok(_) => return Err(EngineError::WrongAggregate),
            // Rated by the person a moment ago: nothing to give.
            Err(e) if e.is_client_error() => sweep.already += 1,
            Err(e) => return Err(e),
        }
        Ok(())
    }
}

/// Days back a stage may have been reached and still fall due in the catch-up window:
/// the region's days, or its late window stretched over weekends and the longest
/// holiday (8 days), whichever is longer, plus the window itself.
fn reach_back(policy: &RatingPolicy) -> i64 {
    let default = policy.default_rating.map_or(0, |d| i64::from(d.after_days));
    let late = i64::from(policy.late_days) * 7 / 5 + 10;
    CATCH_UP_DAYS + default.max(late) + 1
}

/// The first instant of the day `offset` days from `today`, in China, as stored.
fn day_start(today: Date, offset: i64) -> String {
    today
        .checked_add(Span::new().days(offset))
        .and_then(|d| d.to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::offset(8))))
        .map_or_else(
            |_| Timestamp::UNIX_EPOCH.to_string(),
            |z| z.timestamp().to_string(),
        )
}
