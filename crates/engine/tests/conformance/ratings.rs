//! Ratings through the engine, on both backends: one rating per stage however many
//! arrive at once, nobody rates their own work, a poor rating's follow-up with its
//! deadlines in working days and the roles that may work it, appeals, and the running
//! totals the publication reads.

use std::collections::HashMap;

use yichuang_domain::case::{CommandKind, Staff};
use yichuang_domain::catalog::Role;
use yichuang_domain::hall::TicketStatus;
use yichuang_domain::rating::{
    AppealGround, Closure, Level, RatingChannel, RatingCommandKind, RatingError, Stage, Subject,
};
use yichuang_engine::{EngineError, RatingResponse};

use super::{CLERK, World, staff};

const PERSON: &str = "11010519491231002X";

fn rate(stage: Stage, level: Level, channel: RatingChannel) -> RatingCommandKind {
    RatingCommandKind::Rate {
        stage,
        level,
        indicators: Vec::new(),
        text: String::new(),
        channel,
    }
}

fn rating_error(result: Result<RatingResponse, EngineError>) -> RatingError {
    match result {
        Err(EngineError::Rating(e)) => e,
        other => panic!("expected a rating error, got {other:?}"),
    }
}

/// The county's totals over every month, by name.
async fn totals(w: &World) -> HashMap<String, i64> {
    let mut by_name = HashMap::new();
    for c in w.engine.store().counters("ratings|region|").await.unwrap() {
        if !c.key.ends_with("|330211") {
            continue;
        }
        *by_name.entry(c.name).or_insert(0) += c.value;
    }
    by_name
}

pub async fn a_case_is_rated_once_per_stage_and_a_poor_rating_is_followed_up(w: &World) {
    let case = w
        .submit("personal-record-query", "330211", "330211", &["id-card"])
        .await;
    w.run(
        &case,
        CLERK,
        CommandKind::CompleteOnTheSpot {
            method: "当场打印".to_owned(),
        },
    )
    .await
    .unwrap();
    let subject = Subject::Case {
        case_id: case.case_id.clone(),
    };
    let before = totals(w).await;
    let engine = &w.engine;
    // The clerk who completed it may not record a rating of it, even for a caller.
    let own = staff("staff-1", Role::Clerk, "330211");
    let refused = engine
        .execute_rating(
            &w.request_id(),
            subject.clone(),
            rate(
                Stage::Completion,
                Level::VerySatisfied,
                RatingChannel::Phone,
            ),
            "",
            Some(&own),
        )
        .await;
    assert_eq!(rating_error(refused), RatingError::OwnWork);
    // On the spot: there was no acceptance to rate.
    let refused = engine
        .execute_rating(
            &w.request_id(),
            subject.clone(),
            rate(Stage::Acceptance, Level::Satisfied, RatingChannel::Online),
            &format!("online:{PERSON}"),
            None,
        )
        .await;
    assert_eq!(
        rating_error(refused),
        RatingError::NotYet {
            stage: Stage::Acceptance
        }
    );
    // Eight tries at once, from the case page and a message link: one rating.
    let tries = (0..8).map(|n| {
        let (engine, id, subject) = (w.engine.clone(), w.request_id(), subject.clone());
        let channel = if n % 2 == 0 {
            RatingChannel::Online
        } else {
            RatingChannel::Link
        };
        tokio::spawn(async move {
            engine
                .execute_rating(
                    &id,
                    subject,
                    rate(Stage::Completion, Level::VeryDissatisfied, channel),
                    &format!("online:{PERSON}"),
                    None,
                )
                .await
        })
    });
    let mut results = Vec::new();
    for t in tries {
        results.push(t.await.unwrap());
    }
    let rated: Vec<_> = results.iter().filter_map(|r| r.as_ref().ok()).collect();
    assert_eq!(rated.len(), 1, "{results:?}");
    assert!(results.iter().filter(|r| r.is_err()).all(|r| matches!(
        r,
        Err(EngineError::Rating(RatingError::AlreadyRated { .. }))
    )));
    let follow_up = rated[0]
        .follow_up
        .clone()
        .expect("a poor rating is followed up");
    let region = yichuang_domain::RegionCode::parse("330211").ok();
    let today = engine.today();
    assert_eq!(
        follow_up.contact_by,
        engine
            .calendar()
            .add_working_days(today, 1, region)
            .unwrap()
    );
    assert_eq!(
        follow_up.close_by,
        engine
            .calendar()
            .add_working_days(today, 5, region)
            .unwrap()
    );

    let file_id = format!("ratings/case/{}", case.case_id);
    let listed = |closed_too| {
        let file_id = file_id.clone();
        async move {
            w.engine
                .store()
                .follow_ups("3302", closed_too, 1000)
                .await
                .unwrap()
                .into_iter()
                .find(|f| f.file == file_id)
        }
    };
    let open = listed(false).await.expect("listed as open");
    assert_eq!((open.contacted, open.closed), (false, false));
    assert_eq!(open.close_by, follow_up.close_by.to_string());

    // Following it up: a supervisor of the region, not a clerk, not another region's.
    let supervisor = staff("supervisor-zh", Role::Supervisor, "330211");
    let elsewhere = staff("supervisor-wh", Role::Supervisor, "510107");
    let step = |who: Staff, kind: RatingCommandKind| {
        let (engine, id, subject) = (w.engine.clone(), w.request_id(), subject.clone());
        async move {
            engine
                .execute_rating(&id, subject, kind, "", Some(&who))
                .await
        }
    };
    let contact = || RatingCommandKind::Contact {
        stage: Stage::Completion,
        note: "电话回访，已核实".to_owned(),
    };
    for who in [own.clone(), elsewhere] {
        assert!(matches!(
            step(who, contact()).await,
            Err(EngineError::Forbidden(_))
        ));
    }
    let close = |closure| RatingCommandKind::Close {
        stage: Stage::Completion,
        closure,
    };
    let fixed = || {
        close(Closure::FixedAtOnce {
            text: "已当场重新打印并致歉".to_owned(),
        })
    };
    assert_eq!(
        rating_error(step(supervisor.clone(), fixed()).await),
        RatingError::NotContacted
    );
    step(supervisor.clone(), contact()).await.unwrap();
    let yesterday = today.yesterday().unwrap();
    let refused = step(
        supervisor.clone(),
        close(Closure::Ledger {
            text: "纳入台账".to_owned(),
            by: yesterday,
        }),
    )
    .await;
    assert_eq!(rating_error(refused), RatingError::BadRectifyDate);
    let closed = step(supervisor.clone(), fixed()).await.unwrap();
    assert_eq!(closed.follow_up.unwrap().on_time, Some(true));

    // The clerk appeals; the supervisor (not the clerk) upholds it.
    step(
        own.clone(),
        RatingCommandKind::Appeal {
            stage: Stage::Completion,
            ground: AppealGround::Mistaken,
            text: "申请人误评".to_owned(),
        },
    )
    .await
    .unwrap();
    let decide = || RatingCommandKind::DecideAppeal {
        stage: Stage::Completion,
        upheld: true,
        reason: "经核实为误评".to_owned(),
    };
    let own_supervisor = staff("staff-1", Role::Supervisor, "330211");
    assert_eq!(
        rating_error(step(own_supervisor, decide()).await),
        RatingError::OwnAppeal
    );
    let decided = step(supervisor, decide()).await.unwrap();
    assert!(decided.rating.unwrap().excluded);

    assert!(listed(false).await.is_none(), "closed: off the open list");
    let done = listed(true)
        .await
        .expect("still listed with the closed ones");
    assert_eq!(
        (done.contacted, done.closed, done.appeal.as_str()),
        (true, true, "upheld")
    );

    // The region's totals moved with each event, counted once each.
    let after = totals(w).await;
    let moved =
        |name: &str| after.get(name).copied().unwrap_or(0) - before.get(name).copied().unwrap_or(0);
    assert_eq!(
        (moved("rated"), moved("very_dissatisfied"), moved("poor")),
        (1, 1, 1)
    );
    assert_eq!((moved("closed"), moved("closed_on_time")), (1, 1));
    assert_eq!((moved("excluded"), moved("excluded_poor")), (1, 1));
    let file = engine.rating_file(&subject).await.unwrap();
    assert_eq!(file.ratings.len(), 1);
    assert_eq!(
        file.ratings[0].level,
        Level::VeryDissatisfied,
        "never changed"
    );
}

/// A finished ticket is rated once at the pad; an unfinished one cannot be.
pub async fn a_hall_visit_is_rated_at_the_pad(w: &World) {
    let hall = "hall-conformance";
    let day = w.engine.today();
    let hall_day = w.engine.hall_day(hall, day).await.unwrap();
    let finished = hall_day
        .tickets
        .iter()
        .find(|t| t.status == TicketStatus::Finished)
        .expect("the hall tests finished a ticket");
    assert!(
        finished.served_by.is_some(),
        "a finished ticket names its clerk"
    );
    let subject = Subject::Ticket {
        hall: hall.to_owned(),
        day,
        number: finished.number.clone(),
    };
    let rated = w
        .engine
        .execute_rating(
            &w.request_id(),
            subject.clone(),
            rate(Stage::Visit, Level::Satisfied, RatingChannel::Pad),
            "pad",
            None,
        )
        .await
        .unwrap();
    assert!(rated.follow_up.is_none());
    let again = w
        .engine
        .execute_rating(
            &w.request_id(),
            subject,
            rate(Stage::Visit, Level::Dissatisfied, RatingChannel::Pad),
            "pad",
            None,
        )
        .await;
    assert_eq!(
        rating_error(again),
        RatingError::AlreadyRated {
            stage: Stage::Visit
        }
    );
    if let Some(waiting) = hall_day
        .tickets
        .iter()
        .find(|t| t.status != TicketStatus::Finished)
    {
        let refused = w
            .engine
            .execute_rating(
                &w.request_id(),
                Subject::Ticket {
                    hall: hall.to_owned(),
                    day,
                    number: waiting.number.clone(),
                },
                rate(Stage::Visit, Level::Satisfied, RatingChannel::Pad),
                "pad",
                None,
            )
            .await;
        assert!(matches!(refused, Err(EngineError::NothingToRate { .. })));
    }
}

/// Many cases rated at once (the writer reads their files in one query): each gets
/// its one rating, and a second round on the same files is refused for each.
pub async fn many_cases_rated_at_once_each_get_one_rating(w: &World) {
    let mut subjects = Vec::new();
    for _ in 0..6 {
        let case = w
            .submit("personal-record-query", "330211", "330211", &["id-card"])
            .await;
        w.run(
            &case,
            CLERK,
            CommandKind::CompleteOnTheSpot {
                method: "当场打印".to_owned(),
            },
        )
        .await
        .unwrap();
        subjects.push(Subject::Case {
            case_id: case.case_id,
        });
    }
    for round in 0..2 {
        let tries: Vec<_> = subjects
            .iter()
            .map(|subject| {
                let (engine, id, subject) = (w.engine.clone(), w.request_id(), subject.clone());
                tokio::spawn(async move {
                    engine
                        .execute_rating(
                            &id,
                            subject,
                            rate(Stage::Completion, Level::Satisfied, RatingChannel::Online),
                            &format!("online:{PERSON}"),
                            None,
                        )
                        .await
                })
            })
            .collect();
        for t in tries {
            let result = t.await.unwrap();
            if round == 0 {
                assert!(result.is_ok(), "{result:?}");
            } else {
                assert_eq!(
                    rating_error(result),
                    RatingError::AlreadyRated {
                        stage: Stage::Completion
                    }
                );
            }
        }
    }
    for subject in &subjects {
        assert_eq!(
            w.engine.rating_file(subject).await.unwrap().ratings.len(),
            1
        );
    }
}

/// After every rating, follow-up and appeal above (some at once, some refused), the
/// stored running totals equal a recount from the rating files' events.
pub async fn the_totals_equal_a_recount_from_the_events(w: &World) {
    let recount = w.engine.recount_rating_totals().await.unwrap();
    let stored: std::collections::BTreeMap<(String, String), i64> = w
        .engine
        .store()
        .counters("ratings|")
        .await
        .unwrap()
        .into_iter()
        .filter(|c| c.value != 0)
        .map(|c| ((c.key, c.name), c.value))
        .collect();
    assert!(recount.len() > 10, "{recount:?}");
    assert_eq!(stored, recount);
}

/// 广西 counts a service nobody rated within 7 days (and after the late window) as
/// 非常满意: the sweep gives that default once, as the system, and leaves alone what a
/// person rated and what lies in a region without a default.
pub async fn an_unrated_service_gets_its_regions_default_once(w: &World) {
    let before = *w.now.lock().unwrap();
    // Friday 2026-12-04: the late window closes on Friday the 11th.
    w.set_today(jiff::civil::date(2026, 12, 4));
    let complete = CommandKind::CompleteOnTheSpot {
        method: "当场打印".to_owned(),
    };
    let mut cases = Vec::new();
    for region in ["450102", "450102", "330211"] {
        let case = w
            .submit("personal-record-query", region, region, &["id-card"])
            .await;
        w.run(&case, CLERK, complete.clone()).await.unwrap();
        cases.push(Subject::Case {
            case_id: case.case_id.clone(),
        });
    }
    let (unrated, rated, elsewhere) = (&cases[0], &cases[1], &cases[2]);
    // Each completion is counted for the clerk who did it (the stars' 按时办结率).
    let by_clerk = w
        .engine
        .store()
        .counters("cases|clerk|2026-12|staff-1")
        .await
        .unwrap();
    let count = |name: &str| {
        by_clerk
            .iter()
            .filter(|c| c.name == name)
            .map(|c| c.value)
            .sum::<i64>()
    };
    assert!(
        count("completed") >= 3 && count("on_time") >= 3,
        "{by_clerk:?}"
    );
    w.engine
        .execute_rating(
            &w.request_id(),
            rated.clone(),
            rate(Stage::Completion, Level::Satisfied, RatingChannel::Online),
            &format!("online:{PERSON}"),
            None,
        )
        .await
        .unwrap();
    // Not yet on the 11th: the person could still rate.
    w.set_today(jiff::civil::date(2026, 12, 11));
    w.engine.give_default_ratings().await.unwrap();
    assert!(
        w.engine
            .rating_file(unrated)
            .await
            .unwrap()
            .rating(Stage::Completion)
            .is_none()
    );

    w.set_today(jiff::civil::date(2026, 12, 14));
    let sweep = w.engine.give_default_ratings().await.unwrap();
    assert!(sweep.given >= 1, "{sweep:?}");
    let given = w.engine.rating_file(unrated).await.unwrap();
    let rating = given.rating(Stage::Completion).unwrap();
    assert_eq!(rating.level, Level::VerySatisfied);
    assert_eq!(
        rating.rater,
        yichuang_domain::rating::Rater::Default { after_days: 7 }
    );
    assert_eq!(
        rating.policy_version, 2,
        "广西's settings, by their version"
    );
    let events = w
        .engine
        .store()
        .stream_events(&unrated.stream_id())
        .await
        .unwrap();
    assert_eq!(events.last().unwrap().actor, "system");
    assert_eq!(
        w.engine
            .rating_file(rated)
            .await
            .unwrap()
            .rating(Stage::Completion)
            .unwrap()
            .level,
        Level::Satisfied,
        "a person's rating stands"
    );
    assert!(
        w.engine
            .rating_file(elsewhere)
            .await
            .unwrap()
            .rating(Stage::Completion)
            .is_none(),
        "浙江 sets no default"
    );
    // A second sweep gives nothing more; the person can no longer rate.
    assert_eq!(w.engine.give_default_ratings().await.unwrap().given, 0);
    let late = w
        .engine
        .execute_rating(
            &w.request_id(),
            unrated.clone(),
            rate(
                Stage::Completion,
                Level::Dissatisfied,
                RatingChannel::Online,
            ),
            &format!("online:{PERSON}"),
            None,
        )
        .await;
    assert!(matches!(
        rating_error(late),
        RatingError::AlreadyRated { .. } | RatingError::TooLate { .. }
    ));
    *w.now.lock().unwrap() = before;
}
