//! `yichuang bench hall`: complete ticket cycles (take, call, finish) through the engine
//! against complete case lifecycles in the same run, and how long a call takes to
//! reach 1,000 listening displays (PERFORMANCE.md: a ratio, never a timed assertion).

use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use anyhow::Context;
use yichuang_domain::RegionCode;
use yichuang_domain::case::Staff;
use yichuang_domain::catalog::Role;
use yichuang_domain::hall::{
    HallCommand, HallCommandKind, HallError, Purpose, SkillLevel, TicketChannel,
};
use yichuang_engine::{Engine, EngineError};
use yichuang_store::{Hall, HallKind, HallWindow, StaffSkill, Store};

use crate::Outcome;
use crate::bench::percentile_ms;
use crate::bench_cases::{STEPS, fixed_day_engine, ours_round};
use crate::store_cmd::runtime;

const HALL: &str = "bench-hall";
const ITEM: &str = "unemployment-benefit-claim";

fn clerk(window: u32) -> anyhow::Result<Staff> {
    Ok(Staff {
        id: format!("bench-clerk-{window}"),
        name: format!("bench clerk {window}"),
        role: Role::Clerk,
        jurisdiction: RegionCode::parse("330211")?.into(),
    })
}

async fn set_up(store: &Store, windows: u32) -> anyhow::Result<()> {
    store
        .add_hall(&Hall {
            id: HALL.to_owned(),
            region: "330211".to_owned(),
            name: "bench".to_owned(),
            kind: HallKind::Hall,
            address: String::new(),
            windows: (1..=windows)
                .map(|number| HallWindow {
                    number,
                    label: number.to_string(),
                })
                .collect(),
        })
        .await?;
    for window in 1..=windows {
        store
            .set_staff_skill(
                &clerk(window)?.id,
                &StaffSkill {
                    project: "unemployment-insurance".to_owned(),
                    level: SkillLevel::Master,
                    since: "2026-01-01".to_owned(),
                    source: "bench".to_owned(),
                },
            )
            .await?;
    }
    Ok(())
}

/// A walk-in's ticket for the benchmark's item, taken at the kiosk.
fn kiosk_ticket() -> HallCommand {
    HallCommand {
        actor: "kiosk".to_owned(),
        kind: HallCommandKind::TakeTicket {
            item: Some(ITEM.to_owned()),
            purpose: Purpose::Handle,
            channel: TicketChannel::Kiosk,
            person: None,
            green: None,
        },
    }
}

/// One window's clerk: take a ticket at the kiosk, call the next, finish it; `cycles`
/// times. A call that finds nobody (another window took the ticket) takes another.
async fn window_loop(engine: Engine, window: u32, cycles: usize) -> anyhow::Result<usize> {
    let staff = clerk(window)?;
    let id = || uuid::Uuid::now_v7().to_string();
    let mut done = 0;
    while done < cycles {
        engine.execute_hall(&id(), HALL, kiosk_ticket()).await?;
        match engine
            .execute_hall_as(&staff, &id(), HALL, HallCommandKind::CallNext { window })
            .await
        {
            Ok(_) => {}
            Err(EngineError::Hall(HallError::NothingToCall { .. })) => continue,
            Err(e) => return Err(e.into()),
        }
        engine
            .execute_hall_as(
                &staff,
                &id(),
                HALL,
                HallCommandKind::Finish {
                    window,
                    case_id: None,
                },
            )
            .await?;
        done += 1;
    }
    Ok(done)
}

/// Ticket cycles per second with `windows` windows working at once.
async fn cycle_rate(engine: &Engine, windows: u32, per_window: usize) -> anyhow::Result<f64> {
    let start = Instant::now();
    let tasks: Vec<_> = (1..=windows)
        .map(|w| tokio::spawn(window_loop(engine.clone(), w, per_window)))
        .collect();
    let mut cycles = 0;
    for task in tasks {
        cycles += task.await??;
    }
    Ok(cycles as f64 / start.elapsed().as_secs_f64())
}

/// Calls made while `listeners` subscribers wait for the day: from sending the call to
/// each listener holding the day that shows it.
async fn display_latency(
    engine: &Engine,
    listeners: usize,
    calls: usize,
) -> anyhow::Result<Vec<Duration>> {
    let sent: Arc<std::sync::Mutex<Option<(u64, Instant)>>> = Arc::new(std::sync::Mutex::new(None));
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<Duration>();
    let mut tasks = Vec::new();
    for _ in 0..listeners {
        let mut updates = engine.subscribe_halls();
        let (sent, tx) = (sent.clone(), tx.clone());
        tasks.push(tokio::spawn(async move {
            while let Ok(day) = updates.recv().await {
                // What a display does with it: the last calls and the waiting count.
                let called = day.tickets.iter().filter(|t| t.last_call.is_some()).count();
                let waiting = day.waiting().count();
                let mark = *sent.lock().map_err(|_| ()).ok()?;
                if let Some((version, at)) = mark
                    && day.version >= version
                    && called + waiting > 0
                {
                    let _ = tx.send(at.elapsed());
                }
            }
            Some(())
        }));
    }
    drop(tx);
    let staff = clerk(1)?;
    let id = || uuid::Uuid::now_v7().to_string();
    let mut latencies = Vec::with_capacity(listeners * calls);
    for _ in 0..calls {
        let taken = engine.execute_hall(&id(), HALL, kiosk_ticket()).await?;
        if let Ok(mut mark) = sent.lock() {
            *mark = Some((taken.version + 1, Instant::now()));
        }
        engine
            .execute_hall_as(&staff, &id(), HALL, HallCommandKind::CallNext { window: 1 })
            .await?;
        // Each listener reports the call once it holds it (a take may also arrive).
        let deadline = Instant::now() + Duration::from_secs(5);
        let mut heard = 0;
        while heard < listeners && Instant::now() < deadline {
            match tokio::time::timeout(Duration::from_secs(1), rx.recv()).await {
                Ok(Some(latency)) => {
                    latencies.push(latency);
                    heard += 1;
                }
                _ => break,
            }
        }
        if let Ok(mut mark) = sent.lock() {
            *mark = None;
        }
        engine
            .execute_hall_as(
                &staff,
                &id(),
                HALL,
                HallCommandKind::Finish {
                    window: 1,
                    case_id: None,
                },
            )
            .await?;
    }
    for task in tasks {
        task.abort();
    }
    latencies.sort();
    Ok(latencies)
}

pub(crate) fn run(windows: u32, cycles: usize, listeners: usize) -> anyhow::Result<Outcome> {
    let dir = tempfile::tempdir().context("creating a temporary directory")?;
    runtime()?.block_on(async {
        let catalog = Arc::new(yichuang_catalog::builtin()?.catalog);
        let mut ratios = Vec::new();
        for round in 1..=3 {
            let hall_store = Store::open(&Store::sqlite_url(&dir.path().join(format!("hall-{round}.db")))).await?;
            set_up(&hall_store, windows).await?;
            let engine = fixed_day_engine(hall_store, catalog.clone())?;
            for window in 1..=windows {
                engine
                    .execute_hall_as(
                        &clerk(window)?,
                        &uuid::Uuid::now_v7().to_string(),
                        HALL,
                        HallCommandKind::OpenWindow { window, clerk_name: String::new(), skills: Default::default() },
                    )
                    .await?;
            }
            let per_window = cycles / windows as usize;
            let tickets = cycle_rate(&engine, windows, per_window.max(1)).await?;
            let case_store = Store::open(&Store::sqlite_url(&dir.path().join(format!("cases-{round}.db")))).await?;
            let case_engine = fixed_day_engine(case_store, catalog.clone())?;
            let first = Arc::new(OnceLock::new());
            let cases = ours_round(&case_engine, (cycles / windows as usize).max(1), windows as usize, &first).await?;
            let lifecycles = cases.rate / STEPS as f64;
            println!(
                "round {round}: {tickets:.0} ticket cycles/s (3 commands each), {lifecycles:.0} case lifecycles/s (5 commands each), {windows} clients"
            );
            ratios.push(tickets / lifecycles);
            if round == 3 {
                let latencies = display_latency(&engine, listeners, 20).await?;
                println!(
                    "call to display with {listeners} listeners: p50 {:.2} ms, p99 {:.2} ms ({} deliveries; in-process broadcast, before SSE framing)",
                    percentile_ms(&latencies, 0.50),
                    percentile_ms(&latencies, 0.99),
                    latencies.len()
                );
            }
        }
        ratios.sort_by(f64::total_cmp);
        let each: Vec<String> = ratios.iter().map(|r| format!("{r:.2}")).collect();
        println!(
            "ratio ticket cycles/case lifecycles: {:.2} (median of {}; goal ≥ 0.5)",
            ratios[ratios.len() / 2],
            each.join(", ")
        );
        Ok(Outcome::Done)
    })
}
