//! The demo's complaints, in every state a supervisor meets: one overdue and so gone up
//! a level (red), one waiting within its deadline, one answered and waiting for the
//! person's verdict, and one that went to the city after an unsatisfying answer and
//! closed satisfied. Run on the demo's private engine, its clock moved back.

use std::sync::{Arc, Mutex};

use jiff::civil::Date;
use jiff::{Timestamp, ToSpan};
use yichuang_domain::RegionCode;
use yichuang_domain::case::Staff;
use yichuang_domain::catalog::Role;
use yichuang_domain::complaint::{
    Complainant, ComplaintChannel, ComplaintCommandKind, Target, Verdict,
};
use yichuang_engine::Engine;

use crate::demo::DemoError;
use crate::demo_ratings::{at, other};

/// Seeds the complaints; returns how many were filed.
pub(crate) async fn seed_complaints(
    engine: &Engine,
    now: &Arc<Mutex<Timestamp>>,
    today: Date,
    people: &[String],
) -> Result<usize, DemoError> {
    let before = now.lock().map(|t| *t).map_err(other)?;
    let set = |day: Date, hour: i8| {
        if let Ok(mut clock) = now.lock() {
            *clock = at(day, hour);
        }
    };
    let back = |days: i64| today.checked_sub(days.days()).map_err(other);
    let province = RegionCode::parse("330000").map_err(other)?;
    let zhenhai = RegionCode::parse("330211").map_err(other)?;
    let supervisor = Staff {
        id: "supervisor-zj".to_owned(),
        name: "浙江省人社厅督办".to_owned(),
        role: Role::Supervisor,
        jurisdiction: province.into(),
    };
    let clerk = Staff {
        id: "clerk-zh2".to_owned(),
        name: "clerk-zh2".to_owned(),
        role: Role::Clerk,
        jurisdiction: zhenhai.into(),
    };
    let person = |i: usize| people.get(i % people.len().max(1)).cloned();
    let mut n = 0u32;
    let mut run =
        |number: &'static str, kind: ComplaintCommandKind, actor: String, staff: Option<&Staff>| {
            n += 1;
            let request_id = format!("demo-complaint-{n}");
            let staff = staff.cloned();
            async move {
                engine
                    .execute_complaint(&request_id, number, kind, &actor, staff.as_ref())
                    .await
                    .map_err(other)
            }
        };
    let file =
        |target: Target, channel, party: Option<String>, name: &str, phone: &str, text: &str| {
            ComplaintCommandKind::File {
                target,
                channel,
                complainant: Complainant {
                    party,
                    name: name.to_owned(),
                    phone: phone.to_owned(),
                },
                text: text.to_owned(),
            }
        };
    let reply = |text: &str| ComplaintCommandKind::Reply {
        text: text.to_owned(),
    };
    let online = |party: &Option<String>| format!("online:{}", party.clone().unwrap_or_default());

    // Overdue: a phone complaint about a clerk, never answered (gone up a level).
    set(back(14)?, 10);
    run(
        "TSDEMO0001",
        file(
            Target::Clerk {
                staff: "clerk-zh".to_owned(),
            },
            ComplaintChannel::Phone,
            None,
            "陈先生",
            "13900000001",
            "窗口让我回家再拿一份复印件，说好的一次告知没有做到。",
        ),
        String::new(),
        Some(&clerk),
    )
    .await?;
    // Waiting within its deadline: a letter about the county's service.
    set(back(1)?, 15);
    run(
        "TSDEMO0002",
        file(
            Target::Service {
                region: "330211".to_owned(),
            },
            ComplaintChannel::Letter,
            None,
            "李女士",
            "13900000002",
            "来信反映：网上办理退休手续时页面字太小，老人看不清。",
        ),
        String::new(),
        Some(&clerk),
    )
    .await?;
    // Answered, waiting for the person's verdict (online, the first demo person).
    let first = person(0);
    set(back(6)?, 9);
    run(
        "TSDEMO0003",
        file(
            Target::Hall {
                hall: "zhenhai-center".to_owned(),
            },
            ComplaintChannel::Online,
            first.clone(),
            "",
            "",
            "上午排队等了一个半小时，只开了两个窗口。",
        ),
        online(&first),
        None,
    )
    .await?;
    set(back(5)?, 16);
    run(
        "TSDEMO0003",
        reply("经核实，当日上午有两名工作人员参加培训。已调整排班，高峰时段至少开放四个综合窗口，并通过预约分流。"),
        String::new(),
        Some(&supervisor),
    )
    .await?;
    // Not satisfied, answered again by the city, closed satisfied.
    let second = person(1);
    set(back(20)?, 11);
    run(
        "TSDEMO0004",
        file(
            Target::Window {
                hall: "zhenhai-center".to_owned(),
                window: 1,
            },
            ComplaintChannel::Online,
            second.clone(),
            "",
            "",
            "一号窗口收取了材料复印费，指南上写的是免费。",
        ),
        online(&second),
        None,
    )
    .await?;
    set(back(18)?, 10);
    run(
        "TSDEMO0004",
        reply("复印是自愿服务，窗口已在收费前说明。"),
        String::new(),
        Some(&supervisor),
    )
    .await?;
    set(back(17)?, 10);
    run(
        "TSDEMO0004",
        ComplaintCommandKind::Judge {
            verdict: Verdict::Unsatisfied,
        },
        online(&second),
        None,
    )
    .await?;
    set(back(15)?, 14);
    run(
        "TSDEMO0004",
        reply("市局复核：依据办事指南，材料复印应免费提供。已责令退还所收费用，并在全市窗口通报。"),
        String::new(),
        Some(&supervisor),
    )
    .await?;
    set(back(14)?, 9);
    run(
        "TSDEMO0004",
        ComplaintCommandKind::Judge {
            verdict: Verdict::Satisfied,
        },
        online(&second),
        None,
    )
    .await?;
    if let Ok(mut clock) = now.lock() {
        *clock = before;
    }
    Ok(4)
}
