//! The demo's hall day: clerks' skill levels, a clerk signed on in each hall, and
//! tickets in every state (served, missed, on hold, being served, waiting, one in the
//! green lane), all through the engine as a real day would be.

use std::sync::{Arc, Mutex};

use jiff::{SignedDuration, Timestamp};
use yichuang_domain::case::Staff;
use yichuang_domain::hall::{HallCommand, HallCommandKind, Purpose, SkillLevel, TicketChannel};
use yichuang_engine::{Engine, EngineError, china_date};
use yichuang_store::{StaffSkill, Store};

use crate::demo::DemoError;

/// (staff id, project, level): 一岗精、二岗通、三岗懂 across the demo's clerks.
const SKILLS: &[(&str, &str, SkillLevel)] = &[
    ("clerk-zh", "unemployment-insurance", SkillLevel::Master),
    ("clerk-zh", "employee-pension", SkillLevel::Proficient),
    ("clerk-zh", "work-injury", SkillLevel::Proficient),
    ("clerk-zh", "public-employment", SkillLevel::Aware),
    ("clerk-zh2", "employee-pension", SkillLevel::Master),
    ("clerk-zh2", "unemployment-insurance", SkillLevel::Aware),
    ("clerk-wh", "employee-pension", SkillLevel::Proficient),
];

pub(crate) async fn seed_skills(store: &Store, since: jiff::civil::Date) -> Result<(), DemoError> {
    for (staff, project, level) in SKILLS {
        store
            .set_staff_skill(
                staff,
                &StaffSkill {
                    project: (*project).to_owned(),
                    level: *level,
                    since: since.to_string(),
                    source: "演示数据（illustrative）：岗位练兵".to_owned(),
                },
            )
            .await?;
    }
    Ok(())
}

/// Minutes of hall time the seeded day takes (23 steps of 4 minutes, then 4 of one).
const SEEDED_MINUTES: i64 = 96;

/// Where the seeded day starts and how long one of its minutes lasts: two and a half
/// hours ago, or, just after midnight in China, squeezed in since midnight. Every seeded
/// call must lie in the past, or a call made now would not be the newest on the board.
fn seeded_span(real: Timestamp) -> (Timestamp, SignedDuration) {
    let today = china_date(real);
    let midnight = today
        .to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::offset(8)))
        .map(|z| z.timestamp())
        .unwrap_or(real);
    let start = (real - SignedDuration::from_mins(150)).max(midnight);
    // Leave a tenth of the span free at the end, so the last seeded call is not "now".
    let room = real.duration_since(start).as_secs_f64() * 0.9;
    let minute = SignedDuration::from_secs_f64((room / SEEDED_MINUTES as f64).min(60.0));
    (start, minute)
}

/// Today's tickets in both halls. The engine's clock (`now`) is moved a minute per
/// step from earlier today (see `seeded_span`), never past the real time.
pub(crate) async fn seed_day(
    engine: &Engine,
    now: &Arc<Mutex<Timestamp>>,
    zhenhai_clerk: &Staff,
    wuhou_clerk: &Staff,
) -> Result<(), DemoError> {
    let (mut at, minute) = seeded_span(Timestamp::now());
    let mut n = 0u32;
    let mut step = |minutes: i64| {
        at += minute * minutes as i32;
        if let Ok(mut t) = now.lock() {
            *t = at;
        }
        n += 1;
        format!("demo-hall-{n}")
    };
    let take = |item: Option<&str>, purpose: Purpose, person: Option<&str>| HallCommand {
        actor: "kiosk".to_owned(),
        kind: HallCommandKind::TakeTicket {
            item: item.map(str::to_owned),
            purpose,
            channel: TicketChannel::Kiosk,
            person: person.map(str::to_owned),
            green: None,
        },
    };
    let hall = "zhenhai-center";
    let clerk = |kind| (zhenhai_clerk, kind);
    let window = 2;
    let pension = Some("retirement-pension-claim");
    let unemployment = Some("unemployment-benefit-claim");
    let plan: Vec<Result<HallCommand, (&Staff, HallCommandKind)>> = vec![
        Err(clerk(HallCommandKind::OpenWindow {
            window,
            clerk_name: String::new(),
            skills: Default::default(),
        })),
        Ok(take(pension, Purpose::Handle, None)),
        Err(clerk(HallCommandKind::CallNext { window })),
        Err(clerk(HallCommandKind::Finish {
            window,
            case_id: None,
        })),
        // Three visits served in a row: the first two rated at the pad (see
        // `demo_ratings`), the last one still asking for its rating at the window.
        Ok(take(unemployment, Purpose::Consult, None)),
        Err(clerk(HallCommandKind::CallNext { window })),
        Err(clerk(HallCommandKind::Finish {
            window,
            case_id: None,
        })),
        Ok(take(pension, Purpose::Handle, None)),
        Err(clerk(HallCommandKind::CallNext { window })),
        Err(clerk(HallCommandKind::Finish {
            window,
            case_id: None,
        })),
        Ok(take(pension, Purpose::Handle, None)),
        Err(clerk(HallCommandKind::CallNext { window })),
        Err(clerk(HallCommandKind::Recall { window })),
        Err(clerk(HallCommandKind::Recall { window })),
        Err(clerk(HallCommandKind::NoShow { window })),
        Ok(take(pension, Purpose::Handle, None)),
        Err(clerk(HallCommandKind::CallNext { window })),
        Err(clerk(HallCommandKind::Park { window })),
        Ok(take(pension, Purpose::Handle, Some("11010519491231002X"))),
        Ok(take(unemployment, Purpose::Handle, None)),
        Ok(take(unemployment, Purpose::Consult, None)),
        Ok(take(None, Purpose::Handle, None)),
        Err(clerk(HallCommandKind::CallNext { window })),
    ];
    for command in plan {
        let request_id = step(4);
        let result = match command {
            Ok(command) => engine.execute_hall(&request_id, hall, command).await,
            Err((staff, kind)) => engine.execute_hall_as(staff, &request_id, hall, kind).await,
        };
        match result {
            Ok(_) => {}
            Err(EngineError::Hall(e)) => tracing::warn!(error = %e, "demo hall step skipped"),
            Err(e) => return Err(e.into()),
        }
    }
    let outlet = "wuhou-bank-outlet";
    engine
        .execute_hall_as(
            wuhou_clerk,
            &step(1),
            outlet,
            HallCommandKind::OpenWindow {
                window: 2,
                clerk_name: String::new(),
                skills: Default::default(),
            },
        )
        .await?;
    for _ in 0..2 {
        engine
            .execute_hall(&step(1), outlet, take(pension, Purpose::Handle, None))
            .await?;
    }
    engine
        .execute_hall_as(
            wuhou_clerk,
            &step(1),
            outlet,
            HallCommandKind::CallNext { window: 2 },
        )
        .await?;
    seed_bookings(engine, zhenhai_clerk, hall, &mut step).await
}

/// Bookings on the hall's next working day: two online, one by phone, one home visit.
async fn seed_bookings(
    engine: &Engine,
    clerk: &Staff,
    hall: &str,
    step: &mut impl FnMut(i64) -> String,
) -> Result<(), DemoError> {
    use jiff::civil::Time;
    use yichuang_domain::hall::{AppointmentCommand, AppointmentCommandKind, Quota, Visit};
    let region = yichuang_domain::RegionCode::parse("330211").ok();
    let mut day = engine.today();
    for _ in 0..15 {
        day = day
            .tomorrow()
            .map_err(|e| DemoError::Other(e.to_string()))?;
        if engine
            .calendar()
            .is_working_day(day, region)
            .unwrap_or(false)
        {
            break;
        }
    }
    let book = |person: &str, at: Time, quota, visit| AppointmentCommandKind::Book {
        slot: at,
        person: person.to_owned(),
        item: "retirement-pension-claim".to_owned(),
        quota,
        visit,
    };
    let nine = Time::constant(9, 0, 0, 0);
    let ten = Time::constant(10, 0, 0, 0);
    for (person, slot) in [("11010519491231002X", nine), ("110105200001010016", ten)] {
        engine
            .execute_appointment(
                &step(0),
                hall,
                day,
                AppointmentCommand {
                    actor: format!("online:{person}"),
                    kind: book(person, slot, Quota::Public, Visit::Hall),
                },
            )
            .await?;
    }
    engine
        .execute_appointment_as(
            clerk,
            &step(0),
            hall,
            day,
            book("110101199003070935", nine, Quota::Intern, Visit::Hall),
        )
        .await?;
    engine
        .execute_appointment_as(
            clerk,
            &step(0),
            hall,
            day,
            book(
                "110101198001010010",
                Time::constant(14, 0, 0, 0),
                Quota::Intern,
                Visit::Home {
                    address: "镇海区某街道某小区（演示数据）".to_owned(),
                    clerk: clerk.id.clone(),
                },
            ),
        )
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span_end(real: Timestamp) -> (Timestamp, Timestamp) {
        let (start, minute) = seeded_span(real);
        (start, start + minute * SEEDED_MINUTES as i32)
    }

    #[test]
    fn the_seeded_day_lies_in_the_past_and_inside_today_at_any_hour() {
        // 16:00:30 UTC is half a minute after midnight in China: the case that once put
        // the seeded calls ahead of a call made now.
        for real in [
            "2026-11-30T16:00:30Z",
            "2026-11-30T16:20:00Z",
            "2026-11-30T03:00:00Z",
        ] {
            let real: Timestamp = real.parse().unwrap();
            let (start, end) = span_end(real);
            assert_eq!(china_date(start), china_date(real), "{real}: starts today");
            assert!(
                end < real,
                "{real}: the last seeded step {end} is not before now"
            );
        }
        let noon: Timestamp = "2026-11-30T04:00:00Z".parse().unwrap();
        assert_eq!(
            seeded_span(noon).1,
            SignedDuration::from_mins(1),
            "a full minute when there is room"
        );
    }
}
