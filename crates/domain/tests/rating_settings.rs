//! A region's rating settings: which stages of a case are rated, and the default
//! level a service nobody rated counts as (广西: 7 days → 非常满意), given only by the
//! system and only once nobody can rate any more.

#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use common::{add_working_days, at};
use jiff::civil::{Date, date};
use yichuang_domain::rating::{
    DefaultRating, Level, RatedService, Rater, RatingChannel, RatingCommand, RatingCommandKind,
    RatingContext, RatingEventBody, RatingFile, RatingPolicy, SYSTEM, Stage, Subject,
    decide_rating, default_due, tally,
};

fn guangxi() -> RatingPolicy {
    RatingPolicy {
        version: 2,
        default_rating: Some(DefaultRating {
            after_days: 7,
            level: Level::VerySatisfied,
        }),
        source: "test".to_owned(),
        ..RatingPolicy::default()
    }
}

fn service() -> RatedService {
    RatedService {
        subject: Subject::Case {
            case_id: "case-9".to_owned(),
        },
        region: "450102".to_owned(),
        hall: None,
        window: None,
        item: Some("retirement-pension-claim".to_owned()),
        served_by: Some("clerk-1".to_owned()),
        person: Some("110105194912310029".to_owned()),
        visit: None,
        // A Friday: the late window (5 working days) ends on Friday 2026-12-11.
        acceptance: Some(date(2026, 12, 4)),
        completion: Some(date(2026, 12, 4)),
    }
}

fn run(
    file: &mut RatingFile,
    policy: &RatingPolicy,
    actor: &str,
    kind: RatingCommandKind,
    today: Date,
) -> Result<RatingEventBody, &'static str> {
    let service = service();
    let ctx = RatingContext {
        at: at(today),
        today,
        policy,
        service: &service,
        add_working_days: &add_working_days,
    };
    let command = RatingCommand {
        actor: actor.to_owned(),
        kind,
    };
    let event = decide_rating(file, &command, &ctx).map_err(|e| e.code())?;
    file.apply(&event);
    Ok(event.body)
}

fn online(stage: Stage, level: Level) -> RatingCommandKind {
    RatingCommandKind::Rate {
        stage,
        level,
        indicators: Vec::new(),
        text: String::new(),
        channel: RatingChannel::Online,
    }
}

fn default(stage: Stage) -> RatingCommandKind {
    RatingCommandKind::Default { stage }
}

#[test]
fn the_default_waits_for_the_late_window_and_the_regions_days() {
    let policy = guangxi();
    // Seven days after 12-04 is 12-11, the late window's last day: due the day after.
    assert_eq!(
        default_due(&policy, date(2026, 12, 4), &add_working_days),
        Some(date(2026, 12, 12))
    );
    let mut file = RatingFile::new("ratings/case/case-9");
    assert_eq!(
        run(
            &mut file,
            &policy,
            SYSTEM,
            default(Stage::Completion),
            date(2026, 12, 11)
        ),
        Err("default_not_yet"),
        "the person can still rate on the 11th"
    );
    let body = run(
        &mut file,
        &policy,
        SYSTEM,
        default(Stage::Completion),
        date(2026, 12, 12),
    )
    .unwrap();
    let RatingEventBody::Rated {
        rating, follow_up, ..
    } = &body
    else {
        panic!("not a rating: {body:?}");
    };
    assert_eq!(rating.level, Level::VerySatisfied);
    assert_eq!(rating.rater, Rater::Default { after_days: 7 });
    assert_eq!(rating.channel, RatingChannel::None);
    assert_eq!(rating.policy_version, 2);
    assert!(follow_up.is_none());
    // Given once; and it counts in the published figures like any rating.
    assert_eq!(
        run(
            &mut file,
            &policy,
            SYSTEM,
            default(Stage::Completion),
            date(2026, 12, 13)
        ),
        Err("already_rated")
    );
    let before = RatingFile::new("ratings/case/case-9");
    let event = yichuang_domain::rating::RatingEvent {
        file: before.id.clone(),
        seq: 1,
        at: at(date(2026, 12, 12)),
        actor: SYSTEM.to_owned(),
        body,
    };
    let names: Vec<&str> = tally(&before, &event).iter().map(|t| t.name).collect();
    assert!(
        names.contains(&"rated") && names.contains(&"very_satisfied"),
        "{names:?}"
    );
}

#[test]
fn only_the_system_gives_a_default_and_only_where_a_region_sets_one() {
    let mut file = RatingFile::new("ratings/case/case-9");
    let late = date(2026, 12, 20);
    assert_eq!(
        run(
            &mut file,
            &guangxi(),
            "supervisor-1",
            default(Stage::Completion),
            late
        ),
        Err("system_only")
    );
    assert_eq!(
        run(
            &mut file,
            &guangxi(),
            "online:110105194912310029",
            default(Stage::Completion),
            late
        ),
        Err("system_only")
    );
    assert_eq!(
        run(
            &mut file,
            &RatingPolicy::default(),
            SYSTEM,
            default(Stage::Completion),
            late
        ),
        Err("no_default")
    );
    // The system never rates as a person.
    let rate = online(Stage::Completion, Level::Basic);
    assert_eq!(
        run(&mut file, &guangxi(), SYSTEM, rate, date(2026, 12, 7)),
        Err("not_theirs")
    );
}

#[test]
fn a_person_who_rated_in_time_is_never_overwritten_by_the_default() {
    let policy = guangxi();
    let mut file = RatingFile::new("ratings/case/case-9");
    let rate = online(Stage::Completion, Level::Satisfied);
    run(
        &mut file,
        &policy,
        "online:110105194912310029",
        rate,
        date(2026, 12, 11),
    )
    .unwrap();
    assert_eq!(
        run(
            &mut file,
            &policy,
            SYSTEM,
            default(Stage::Completion),
            date(2026, 12, 14)
        ),
        Err("already_rated")
    );
    assert_eq!(
        file.rating(Stage::Completion).unwrap().level,
        Level::Satisfied
    );
}

#[test]
fn a_stage_the_region_does_not_rate_is_refused() {
    let policy = RatingPolicy {
        case_stages: vec![Stage::Completion],
        ..guangxi()
    };
    let mut file = RatingFile::new("ratings/case/case-9");
    let rate = online(Stage::Acceptance, Level::Satisfied);
    assert_eq!(
        run(
            &mut file,
            &policy,
            "online:110105194912310029",
            rate,
            date(2026, 12, 7)
        ),
        Err("stage_not_rated")
    );
    assert_eq!(
        run(
            &mut file,
            &policy,
            SYSTEM,
            default(Stage::Acceptance),
            date(2026, 12, 20)
        ),
        Err("stage_not_rated")
    );
    assert!(policy.rates(Stage::Visit), "a hall visit is always rated");
}
