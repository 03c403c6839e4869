//! Complaints as a state machine: filed once, answered by staff who are not the
//! subject, judged only by the complainant, one level up after an unsatisfying answer
//! and closed after the last, deadlines in working days, replay equal.

#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use common::{add_working_days, at};
use jiff::civil::{Date, date};
use proptest::prelude::*;
use yichuang_domain::complaint::{
    Complainant, Complaint, ComplaintChannel, ComplaintCommand, ComplaintCommandKind,
    ComplaintContext, ComplaintEvent, ComplaintPolicy, ComplaintState, Target, Verdict,
    decide_complaint,
};

fn run(
    complaint: &mut Complaint,
    actor: &str,
    kind: ComplaintCommandKind,
    today: Date,
) -> Result<ComplaintEvent, &'static str> {
    let policy = ComplaintPolicy::default();
    let ctx = ComplaintContext {
        at: at(today),
        today,
        policy: &policy,
        region: "330211",
        served_by: Some("clerk-1"),
        add_working_days: &add_working_days,
    };
    let command = ComplaintCommand {
        actor: actor.to_owned(),
        kind,
    };
    let event = decide_complaint(complaint, &command, &ctx).map_err(|e| e.code())?;
    complaint.apply(&event);
    Ok(event)
}

fn file_online(text: &str) -> ComplaintCommandKind {
    ComplaintCommandKind::File {
        target: Target::Clerk {
            staff: "clerk-1".to_owned(),
        },
        channel: ComplaintChannel::Online,
        complainant: Complainant {
            party: None,
            name: String::new(),
            phone: String::new(),
        },
        text: text.to_owned(),
    }
}

fn reply(text: &str) -> ComplaintCommandKind {
    ComplaintCommandKind::Reply {
        text: text.to_owned(),
    }
}

fn judge(verdict: Verdict) -> ComplaintCommandKind {
    ComplaintCommandKind::Judge { verdict }
}

const PERSON: &str = "online:110105194912310029";

#[test]
fn a_complaint_runs_its_course_over_the_new_year() {
    let mut c = Complaint::new("TS1");
    // Filed on Wednesday 2026-12-30: five working days skip the weekend and New Year.
    run(
        &mut c,
        PERSON,
        file_online("  等了两个小时  "),
        date(2026, 12, 30),
    )
    .unwrap();
    assert_eq!(c.text, "等了两个小时");
    assert_eq!(c.channel, Some(ComplaintChannel::Online));
    assert_eq!(c.reply_by, Some(date(2027, 1, 7)));
    assert_eq!(c.served_by.as_deref(), Some("clerk-1"));
    assert!(!c.is_overdue(date(2027, 1, 7)));
    assert!(c.is_overdue(date(2027, 1, 8)));
    assert_eq!(c.levels_up(date(2027, 1, 8)), 1);

    assert_eq!(
        run(&mut c, "clerk-1", reply("not me"), date(2026, 12, 31)),
        Err("own_complaint")
    );
    assert_eq!(
        run(&mut c, PERSON, reply("myself"), date(2026, 12, 31)),
        Err("staff_only")
    );
    assert_eq!(
        run(
            &mut c,
            PERSON,
            judge(Verdict::Satisfied),
            date(2026, 12, 31)
        ),
        Err("not_replied")
    );
    run(
        &mut c,
        "sup-1",
        ComplaintCommandKind::Take,
        date(2026, 12, 31),
    )
    .unwrap();
    assert_eq!(c.owner.as_deref(), Some("sup-1"));
    run(&mut c, "sup-1", reply("已加开窗口"), date(2026, 12, 31)).unwrap();
    assert_eq!(c.state, ComplaintState::Replied);
    assert_eq!(
        run(&mut c, "sup-1", reply("again"), date(2026, 12, 31)),
        Err("already_replied")
    );
    assert_eq!(
        run(
            &mut c,
            "online:91110000100000000A",
            judge(Verdict::Satisfied),
            date(2027, 1, 4)
        ),
        Err("not_theirs")
    );
    // Not satisfied: one level up, a new deadline, no owner yet.
    run(
        &mut c,
        PERSON,
        judge(Verdict::Unsatisfied),
        date(2027, 1, 4),
    )
    .unwrap();
    assert_eq!(c.state, ComplaintState::Open);
    assert_eq!(c.round, 1);
    assert_eq!(c.owner, None);
    assert_eq!(c.reply_by, Some(date(2027, 1, 11)));
    assert_eq!(c.levels_up(date(2027, 1, 5)), 1);
    run(
        &mut c,
        "city-sup",
        reply("复核后退还费用"),
        date(2027, 1, 5),
    )
    .unwrap();
    // The last round: not satisfied closes it as such.
    run(
        &mut c,
        PERSON,
        judge(Verdict::Unsatisfied),
        date(2027, 1, 6),
    )
    .unwrap();
    assert_eq!(c.state, ComplaintState::Closed);
    assert_eq!(c.verdict, Some(Verdict::Unsatisfied));
    assert_eq!(c.replies.len(), 2);
    assert_eq!(
        run(&mut c, "city-sup", reply("late"), date(2027, 1, 6)),
        Err("complaint_closed")
    );
}

#[test]
fn filing_is_refused_clearly() {
    let day = date(2026, 12, 1);
    let mut c = Complaint::new("TS2");
    assert_eq!(run(&mut c, PERSON, file_online("   "), day), Err("no_text"));
    assert_eq!(
        run(&mut c, PERSON, file_online(&"长".repeat(2001)), day),
        Err("text_too_long")
    );
    // Staff writing down a phone complaint need a number to answer on.
    let phone = |phone: &str| ComplaintCommandKind::File {
        target: Target::Service {
            region: "330211".to_owned(),
        },
        channel: ComplaintChannel::Phone,
        complainant: Complainant {
            party: None,
            name: "王女士".to_owned(),
            phone: phone.to_owned(),
        },
        text: "电话打不通".to_owned(),
    };
    assert_eq!(
        run(&mut c, "clerk-2", phone(" "), day),
        Err("no_way_to_reply")
    );
    assert_eq!(
        run(&mut c, "clerk-2", ComplaintCommandKind::Take, day),
        Err("not_filed")
    );
    run(&mut c, "clerk-2", phone("13800000000"), day).unwrap();
    assert_eq!(c.channel, Some(ComplaintChannel::Phone));
    assert_eq!(c.filed_by, "clerk-2");
    assert_eq!(
        run(&mut c, "clerk-2", phone("13800000000"), day),
        Err("already_filed")
    );
    // A verdict given on the phone is written down by staff.
    run(&mut c, "clerk-3", reply("已回电说明"), day).unwrap();
    run(&mut c, "clerk-2", judge(Verdict::Satisfied), day).unwrap();
    assert_eq!(c.state, ComplaintState::Closed);
}

#[derive(Debug, Clone)]
enum Step {
    Take(usize),
    Reply(usize),
    Judge(usize, bool),
}

const ACTORS: [&str; 4] = ["clerk-1", "sup-1", PERSON, "online:other"];

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (0..4usize).prop_map(Step::Take),
        (0..4usize).prop_map(Step::Reply),
        ((0..4usize), any::<bool>()).prop_map(|(a, s)| Step::Judge(a, s)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Whatever is tried in whatever order: the person complained about never answers,
    /// only the complainant's own verdict (or staff's record of it) lands, replies
    /// never outnumber rounds, a closed complaint stays closed, and replay gives the
    /// same complaint.
    #[test]
    fn complaint_invariants_hold(steps in proptest::collection::vec(step(), 0..24)) {
        let day = date(2026, 12, 1);
        let mut c = Complaint::new("TS3");
        let mut events = vec![run(&mut c, PERSON, file_online("慢"), day).unwrap()];
        for s in steps {
            let was_closed = c.state == ComplaintState::Closed;
            let (actor, kind) = match s {
                Step::Take(a) => (ACTORS[a], ComplaintCommandKind::Take),
                Step::Reply(a) => (ACTORS[a], reply("答复")),
                Step::Judge(a, ok) => (
                    ACTORS[a],
                    judge(if ok { Verdict::Satisfied } else { Verdict::Unsatisfied }),
                ),
            };
            if let Ok(event) = run(&mut c, actor, kind, day) {
                prop_assert!(!was_closed, "a closed complaint moved");
                prop_assert_ne!(event.actor.as_str(), "online:other");
                if !matches!(event.body, yichuang_domain::complaint::ComplaintEventBody::Judged { .. }) {
                    prop_assert_ne!(event.actor.as_str(), "clerk-1");
                    prop_assert!(!event.actor.starts_with("online:"));
                }
                events.push(event);
            }
            prop_assert!(c.replies.iter().all(|r| r.by != "clerk-1"));
            prop_assert!(c.replies.len() as u32 <= c.round + 1);
            prop_assert!(c.round <= ComplaintPolicy::default().reopen_limit);
        }
        prop_assert_eq!(Complaint::replay("TS3", &events), c);
    }
}
