//! Ratings as a state machine: one rating per stage however commands interleave, a
//! follow-up for every poor rating and only for those, deadlines in working days,
//! no one rates their own work, appeals decided by someone else, replay equal.

#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use common::{add_working_days, at};
use jiff::civil::{Date, date};
use proptest::prelude::*;
use yichuang_domain::rating::{
    AppealGround, Closure, Level, RatedService, RatingChannel, RatingCommand, RatingCommandKind,
    RatingContext, RatingEvent, RatingFile, RatingPolicy, Stage, Subject, decide_rating,
};

fn service() -> RatedService {
    RatedService {
        subject: Subject::Case {
            case_id: "case-1".to_owned(),
        },
        region: "330211".to_owned(),
        hall: None,
        window: None,
        item: Some("retirement-pension-claim".to_owned()),
        served_by: Some("clerk-1".to_owned()),
        person: Some("110105194912310029".to_owned()),
        visit: None,
        acceptance: Some(date(2026, 12, 29)),
        completion: Some(date(2026, 12, 30)),
    }
}

fn run(
    file: &mut RatingFile,
    actor: &str,
    kind: RatingCommandKind,
    today: Date,
) -> Result<RatingEvent, &'static str> {
    let policy = RatingPolicy::default();
    let service = service();
    let ctx = RatingContext {
        at: at(today),
        today,
        policy: &policy,
        service: &service,
        add_working_days: &add_working_days,
    };
    let command = RatingCommand {
        actor: actor.to_owned(),
        kind,
    };
    let event = decide_rating(file, &command, &ctx).map_err(|e| e.code())?;
    file.apply(&event);
    Ok(event)
}

fn rate(stage: Stage, level: Level, channel: RatingChannel) -> RatingCommandKind {
    RatingCommandKind::Rate {
        stage,
        level,
        indicators: Vec::new(),
        text: String::new(),
        channel,
    }
}

const PERSON: &str = "online:110105194912310029";

#[test]
fn a_poor_rating_is_followed_up_over_the_new_year_and_closed() {
    let mut file = RatingFile::new("ratings/case/case-1");
    let today = date(2026, 12, 31);
    run(
        &mut file,
        PERSON,
        rate(
            Stage::Completion,
            Level::Dissatisfied,
            RatingChannel::Online,
        ),
        today,
    )
    .unwrap();
    let f = file.follow_up(Stage::Completion).unwrap().clone();
    // 2027-01-01 is a holiday and 2 and 3 January a weekend: one working day is the 4th.
    assert_eq!(f.contact_by, date(2027, 1, 4));
    assert_eq!(f.close_by, date(2027, 1, 8));
    assert!(!f.is_overdue(date(2027, 1, 4)));
    assert!(f.is_overdue(date(2027, 1, 5)), "not contacted by the 4th");
    // Closing before contact is refused; then contacted, closed in time.
    let close = || RatingCommandKind::Close {
        stage: Stage::Completion,
        closure: Closure::FixedAtOnce {
            text: "窗口已改为当场告知进度".to_owned(),
        },
    };
    assert_eq!(
        run(&mut file, "supervisor-1", close(), date(2027, 1, 4)),
        Err("not_contacted")
    );
    run(
        &mut file,
        "supervisor-1",
        RatingCommandKind::Contact {
            stage: Stage::Completion,
            note: "电话回访".to_owned(),
        },
        date(2027, 1, 4),
    )
    .unwrap();
    assert_eq!(
        run(&mut file, PERSON, close(), date(2027, 1, 4)),
        Err("staff_only")
    );
    let closed = run(&mut file, "supervisor-1", close(), date(2027, 1, 6)).unwrap();
    assert_eq!(closed.body.name(), "follow_up_closed");
    assert_eq!(
        file.follow_up(Stage::Completion).unwrap().on_time,
        Some(true)
    );
    assert_eq!(
        run(&mut file, "supervisor-1", close(), date(2027, 1, 6)),
        Err("follow_up_closed")
    );
}

#[test]
fn who_may_rate_and_when() {
    let mut file = RatingFile::new("ratings/case/case-1");
    let today = date(2026, 12, 30);
    // The clerk who handled it, on the phone line: refused. Someone else: recorded.
    assert_eq!(
        run(
            &mut file,
            "clerk-1",
            rate(
                Stage::Acceptance,
                Level::VerySatisfied,
                RatingChannel::Phone
            ),
            today
        ),
        Err("own_work")
    );
    assert_eq!(
        run(
            &mut file,
            "clerk-2",
            rate(Stage::Acceptance, Level::VerySatisfied, RatingChannel::Pad),
            today
        ),
        Err("not_theirs")
    );
    assert_eq!(
        run(
            &mut file,
            "online:someone-else",
            rate(Stage::Acceptance, Level::Satisfied, RatingChannel::Online),
            today
        ),
        Err("not_theirs")
    );
    run(
        &mut file,
        "clerk-2",
        rate(
            Stage::Acceptance,
            Level::VerySatisfied,
            RatingChannel::Phone,
        ),
        today,
    )
    .unwrap();
    assert_eq!(
        run(
            &mut file,
            PERSON,
            rate(Stage::Acceptance, Level::Satisfied, RatingChannel::Online),
            today
        ),
        Err("already_rated")
    );
    // Completed on 2026-12-30: 5 working days later is 2027-01-07 (the 1st is a holiday).
    assert_eq!(
        run(
            &mut file,
            PERSON,
            rate(Stage::Completion, Level::Satisfied, RatingChannel::Online),
            date(2027, 1, 8)
        ),
        Err("too_late")
    );
    let long = RatingCommandKind::Rate {
        stage: Stage::Completion,
        level: Level::Satisfied,
        indicators: vec![yichuang_domain::rating::Indicator::Attitude],
        text: String::new(),
        channel: RatingChannel::Online,
    };
    assert_eq!(
        run(&mut file, PERSON, long, date(2027, 1, 7)),
        Err("wrong_indicator")
    );
    let text = RatingCommandKind::Rate {
        stage: Stage::Completion,
        level: Level::Satisfied,
        indicators: Vec::new(),
        text: "好".repeat(501),
        channel: RatingChannel::Online,
    };
    assert_eq!(
        run(&mut file, PERSON, text, date(2027, 1, 7)),
        Err("text_too_long")
    );
    run(
        &mut file,
        PERSON,
        rate(Stage::Completion, Level::Satisfied, RatingChannel::Online),
        date(2027, 1, 7),
    )
    .unwrap();
    assert!(file.follow_ups.is_empty(), "no follow-up for a good rating");
}

#[test]
fn an_upheld_appeal_takes_the_rating_out_of_the_figures_and_keeps_it() {
    let mut file = RatingFile::new("ratings/case/case-1");
    let today = date(2026, 12, 30);
    run(
        &mut file,
        PERSON,
        rate(
            Stage::Completion,
            Level::VeryDissatisfied,
            RatingChannel::Online,
        ),
        today,
    )
    .unwrap();
    let appeal = RatingCommandKind::Appeal {
        stage: Stage::Completion,
        ground: AppealGround::Malicious,
        text: "评价内容与办件无关".to_owned(),
    };
    run(&mut file, "clerk-1", appeal.clone(), today).unwrap();
    assert_eq!(
        run(&mut file, "clerk-1", appeal, today),
        Err("already_appealed")
    );
    let decide = |upheld| RatingCommandKind::DecideAppeal {
        stage: Stage::Completion,
        upheld,
        reason: "核实为恶意差评".to_owned(),
    };
    assert_eq!(
        run(&mut file, "clerk-1", decide(true), today),
        Err("own_appeal")
    );
    run(&mut file, "supervisor-1", decide(true), today).unwrap();
    let rating = file.rating(Stage::Completion).unwrap();
    assert!(rating.excluded);
    assert_eq!(
        rating.level,
        Level::VeryDissatisfied,
        "the rating itself never changes"
    );
    assert_eq!(
        run(&mut file, "supervisor-1", decide(false), today),
        Err("no_appeal")
    );
}

#[derive(Debug, Clone)]
enum Step {
    Rate(usize, usize, usize),
    Contact(usize),
    Close(usize),
    Appeal(usize),
    Decide(usize, bool),
}

const ACTORS: [&str; 5] = [PERSON, "pad", "clerk-1", "clerk-2", "supervisor-1"];
const STAGES: [Stage; 3] = [Stage::Visit, Stage::Acceptance, Stage::Completion];
const CHANNELS: [RatingChannel; 3] = [
    RatingChannel::Online,
    RatingChannel::Pad,
    RatingChannel::Phone,
];

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => (0usize..5, 0usize..5, 0usize..3).prop_map(|(a, l, c)| Step::Rate(a, l, c)),
        1 => (0usize..5).prop_map(Step::Contact),
        1 => (0usize..5).prop_map(Step::Close),
        1 => (0usize..5).prop_map(Step::Appeal),
        1 => (0usize..5, any::<bool>()).prop_map(|(a, u)| Step::Decide(a, u)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn one_rating_per_stage_and_a_follow_up_for_each_poor_one(steps in proptest::collection::vec((step(), 0usize..3), 1..40)) {
        let mut file = RatingFile::new("ratings/case/case-1");
        let mut events = Vec::new();
        for (step, stage) in &steps {
            let stage = STAGES[if *stage == 0 { 1 } else { *stage }];
            let (actor, kind) = match step {
                Step::Rate(a, l, c) => (ACTORS[*a], rate(stage, Level::ALL[*l], CHANNELS[*c])),
                Step::Contact(a) => (ACTORS[*a], RatingCommandKind::Contact { stage, note: "回访".to_owned() }),
                Step::Close(a) => (ACTORS[*a], RatingCommandKind::Close { stage, closure: Closure::Explained { text: "已解释".to_owned() } }),
                Step::Appeal(a) => (ACTORS[*a], RatingCommandKind::Appeal { stage, ground: AppealGround::Mistaken, text: "误评".to_owned() }),
                Step::Decide(a, upheld) => (ACTORS[*a], RatingCommandKind::DecideAppeal { stage, upheld: *upheld, reason: "复核".to_owned() }),
            };
            if let Ok(event) = run(&mut file, actor, kind, date(2026, 12, 30)) {
                if let RatingCommandKind::Rate { .. } = &step_kind(step) {
                    prop_assert_ne!(actor, "clerk-1", "the clerk who served never rates");
                }
                events.push(event);
            }
        }
        for stage in STAGES {
            prop_assert!(file.ratings.iter().filter(|r| r.stage == stage).count() <= 1);
            let poor = file.rating(stage).is_some_and(|r| r.level.is_poor());
            prop_assert_eq!(poor, file.follow_up(stage).is_some());
            if let Some(r) = file.rating(stage) {
                let upheld = file.appeal(stage).and_then(|a| a.upheld) == Some(true);
                prop_assert_eq!(r.excluded, upheld);
            }
        }
        prop_assert_eq!(RatingFile::replay("ratings/case/case-1", &events), file);
    }
}

fn step_kind(step: &Step) -> RatingCommandKind {
    match step {
        Step::Rate(_, l, c) => rate(Stage::Completion, Level::ALL[*l], CHANNELS[*c]),
        _ => RatingCommandKind::Contact {
            stage: Stage::Completion,
            note: String::new(),
        },
    }
}
