//! The demo's ratings: a month of on-the-spot cases at the 镇海 hall rated online, by
//! message link and on the 12333 line, some poor, with follow-ups in every state
//! (contacted, closed each of the three ways, closed late, still open, overdue,
//! appealed and upheld, appeal waiting); and today's finished tickets rated at the pad.
//! Run on the demo's private engine, its clock moved day by day.

use std::sync::{Arc, Mutex};

use jiff::civil::Date;
use jiff::tz::{TimeZone, offset};
use jiff::{Timestamp, ToSpan};
use yichuang_domain::RegionCode;
use yichuang_domain::case::{Actor, ActorRole, Applicant, Command, CommandKind, Staff, Submission};
use yichuang_domain::catalog::{Channel, Role};
use yichuang_domain::hall::TicketStatus;
use yichuang_domain::rating::{
    AppealGround, Closure, Level, RatingChannel, RatingCommandKind, Stage, Subject,
};
use yichuang_engine::{Engine, EngineError, Request};

use crate::demo::DemoError;

const ITEM: &str = "personal-record-query";

/// `hour`:00 China time on `day`.
pub(crate) fn at(day: Date, hour: i8) -> Timestamp {
    day.at(hour, 0, 0, 0)
        .to_zoned(TimeZone::fixed(offset(8)))
        .map(|z| z.timestamp())
        .unwrap_or(Timestamp::UNIX_EPOCH)
}

pub(crate) fn other(e: impl std::fmt::Display) -> DemoError {
    DemoError::Other(e.to_string())
}

/// Seeds the ratings; returns how many were given.
pub(crate) async fn seed_ratings(
    engine: &Engine,
    now: &Arc<Mutex<Timestamp>>,
    today: Date,
    people: &[String],
) -> Result<usize, DemoError> {
    let set = |t: Timestamp| {
        if let Ok(mut clock) = now.lock() {
            *clock = t;
        }
    };
    let zhenhai = RegionCode::parse("330211").map_err(other)?;
    let province = RegionCode::parse("330000").map_err(other)?;
    // Two of the demo's clerks serve in turn; each records the other's 12333 callers.
    let clerks = ["clerk-zh", "clerk-zh2"];
    let staff = |id: &str, role, region: RegionCode| Staff {
        id: id.to_owned(),
        name: id.to_owned(),
        role,
        jurisdiction: region.into(),
    };
    let supervisor = staff("supervisor-zj", Role::Supervisor, province);
    let mut n = 0usize;
    let mut id = || {
        n += 1;
        format!("demo-rating-{n}")
    };
    let (mut rated, mut poor) = (0usize, 0usize);
    let days: Vec<Date> = (1..=30)
        .filter_map(|back| today.checked_sub(back.days()).ok())
        .filter(|d| {
            engine
                .calendar()
                .is_working_day(*d, Some(zhenhai))
                .unwrap_or(false)
        })
        .rev()
        .collect();
    for (index, day) in days.iter().enumerate() {
        for k in 0..3 {
            let person = &people[(index * 3 + k) % people.len().max(1)];
            let (serving, other) = (clerks[(index + k) % 2], clerks[(index + k + 1) % 2]);
            let clerk = Actor {
                id: serving.to_owned(),
                role: ActorRole::Staff(Role::Clerk),
            };
            let served_by = staff(serving, Role::Clerk, zhenhai);
            let hotline = staff(other, Role::Clerk, zhenhai);
            set(at(*day, 9 + k as i8));
            let submitted = match engine
                .execute(
                    &id(),
                    Request::Submit {
                        item: ITEM.to_owned(),
                        submission: Submission {
                            applicant: Applicant::Person(person.clone()),
                            agent: None,
                            channel: Channel::Window,
                            accepting_region: zhenhai,
                            handling_region: zhenhai,
                            materials: vec!["id-card".to_owned()],
                            attachments: Vec::new(),
                            commitments: Vec::new(),
                        },
                        actor: clerk.clone(),
                    },
                )
                .await
            {
                Ok(submitted) => submitted,
                Err(EngineError::Case(e)) => {
                    tracing::warn!(error = %e, "demo rated case skipped");
                    continue;
                }
                Err(e) => return Err(e.into()),
            };
            let done = engine
                .execute(
                    &id(),
                    Request::Command {
                        case_id: submitted.case_id.clone(),
                        command: Command {
                            expected_version: submitted.version,
                            actor: clerk.clone(),
                            kind: CommandKind::CompleteOnTheSpot {
                                method: "当场打印".to_owned(),
                            },
                        },
                    },
                )
                .await;
            if done.is_err() {
                continue;
            }
            let n = index * 3 + k;
            let level = match n % 13 {
                5 => Level::Dissatisfied,
                11 => Level::VeryDissatisfied,
                0 | 3 | 8 => Level::Satisfied,
                7 => Level::Basic,
                _ => Level::VerySatisfied,
            };
            let subject = Subject::Case {
                case_id: submitted.case_id.clone(),
            };
            let rate = |channel| RatingCommandKind::Rate {
                stage: Stage::Completion,
                level,
                indicators: Vec::new(),
                text: if level.is_poor() {
                    "排队时间太长，窗口说明不够清楚（演示数据）".to_owned()
                } else {
                    String::new()
                },
                channel,
            };
            let given = match n % 4 {
                0 => {
                    engine
                        .execute_rating(
                            &id(),
                            subject.clone(),
                            rate(RatingChannel::Phone),
                            "",
                            Some(&hotline),
                        )
                        .await
                }
                1 => {
                    engine
                        .execute_rating(
                            &id(),
                            subject.clone(),
                            rate(RatingChannel::Link),
                            &format!("online:{person}"),
                            None,
                        )
                        .await
                }
                _ => {
                    engine
                        .execute_rating(
                            &id(),
                            subject.clone(),
                            rate(RatingChannel::Online),
                            &format!("online:{person}"),
                            None,
                        )
                        .await
                }
            };
            match given {
                Ok(_) => rated += 1,
                Err(EngineError::Rating(e)) => {
                    tracing::warn!(error = %e, "demo rating skipped");
                    continue;
                }
                Err(e) => return Err(e.into()),
            }
            if !level.is_poor() {
                continue;
            }
            poor += 1;
            follow_up(
                engine,
                &set,
                &mut id,
                *day,
                today,
                subject,
                poor,
                (&served_by, &supervisor),
            )
            .await?;
        }
    }
    set(Timestamp::now());
    rated += rate_todays_visits(engine, today, &mut id).await?;
    Ok(rated)
}

/// Takes a poor rating through one of its possible paths, as far as today allows.
#[allow(clippy::too_many_arguments)]
async fn follow_up(
    engine: &Engine,
    set: &impl Fn(Timestamp),
    id: &mut impl FnMut() -> String,
    day: Date,
    today: Date,
    subject: Subject,
    poor: usize,
    (clerk, supervisor): (&Staff, &Staff),
) -> Result<(), DemoError> {
    let stage = Stage::Completion;
    let later = |days: i64| day.checked_add(days.days()).ok().filter(|d| *d <= today);
    let contact = RatingCommandKind::Contact {
        stage,
        note: "电话回访，已向群众说明情况（演示数据）".to_owned(),
    };
    let close = |closure| RatingCommandKind::Close { stage, closure };
    let steps: Vec<(i64, &Staff, RatingCommandKind)> = match poor % 7 {
        0 => vec![
            (1, supervisor, contact),
            (
                1,
                supervisor,
                close(Closure::FixedAtOnce {
                    text: "已增开综合窗口并调整叫号顺序（演示数据）".to_owned(),
                }),
            ),
        ],
        1 => vec![
            (1, supervisor, contact),
            (
                2,
                supervisor,
                close(Closure::Ledger {
                    text: "纳入整改台账：完善窗口一次性告知清单（演示数据）".to_owned(),
                    by: day.checked_add(14.days()).map_err(other)?,
                }),
            ),
        ],
        2 => vec![
            (1, supervisor, contact),
            (
                9,
                supervisor,
                close(Closure::Explained {
                    text: "所提要求无政策依据，已书面解释（演示数据）".to_owned(),
                }),
            ),
        ],
        3 => vec![(1, supervisor, contact)],
        4 => Vec::new(),
        5 => vec![
            (
                1,
                clerk,
                RatingCommandKind::Appeal {
                    stage,
                    ground: AppealGround::Malicious,
                    text: "评价内容与本次办理无关（演示数据）".to_owned(),
                },
            ),
            (
                2,
                supervisor,
                RatingCommandKind::DecideAppeal {
                    stage,
                    upheld: true,
                    reason: "经调取窗口录像核实，属恶意差评（演示数据）".to_owned(),
                },
            ),
        ],
        _ => vec![(
            1,
            clerk,
            RatingCommandKind::Appeal {
                stage,
                ground: AppealGround::Mistaken,
                text: "群众误选了评价等级（演示数据）".to_owned(),
            },
        )],
    };
    for (days, who, kind) in steps {
        let Some(when) = later(days) else { break };
        set(at(when, 11));
        match engine
            .execute_rating(&id(), subject.clone(), kind, "", Some(who))
            .await
        {
            Ok(_) => {}
            Err(EngineError::Rating(e)) => {
                tracing::warn!(error = %e, "demo follow-up step skipped");
                break;
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}

/// Today's finished tickets at the 镇海 hall, rated at the pad (one left to rate, so
/// the window shows its QR code).
async fn rate_todays_visits(
    engine: &Engine,
    today: Date,
    id: &mut impl FnMut() -> String,
) -> Result<usize, DemoError> {
    let hall = "zhenhai-center";
    let day = engine.hall_day(hall, today).await?;
    let mut finished: Vec<_> = day
        .tickets
        .iter()
        .filter(|t| t.status == TicketStatus::Finished)
        .collect();
    finished.sort_by_key(|t| t.finished_at);
    // The last one is left for the window's QR code.
    finished.pop();
    let mut rated = 0;
    for (i, number) in finished.iter().map(|t| t.number.clone()).enumerate() {
        let kind = RatingCommandKind::Rate {
            stage: Stage::Visit,
            level: if i % 3 == 0 {
                Level::Satisfied
            } else {
                Level::VerySatisfied
            },
            indicators: vec![yichuang_domain::rating::Indicator::Attitude],
            text: String::new(),
            channel: RatingChannel::Pad,
        };
        let subject = Subject::Ticket {
            hall: hall.to_owned(),
            day: today,
            number: number.clone(),
        };
        if engine
            .execute_rating(&id(), subject, kind, "pad", None)
            .await
            .is_ok()
        {
            rated += 1;
        }
    }
    Ok(rated)
}
