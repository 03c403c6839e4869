//! `yichuang serve [--demo]`: the platform on the embedded default or a database URL.

use std::path::Path;
use std::sync::Arc;

use anyhow::Context;
use yichuang_engine::{Engine, EngineConfig, china_date};
use yichuang_server::AppState;
use yichuang_store::Store;

use crate::Outcome;
use crate::calendar_cmd::load_calendar;
use crate::store_cmd::{runtime, shown};

pub(crate) fn run(addr: &str, demo: bool, url: &str, data_dir: &Path) -> anyhow::Result<Outcome> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_target(false)
        .init();
    let calendar = Arc::new(load_calendar(data_dir)?);
    let loaded = Arc::new(yichuang_catalog::builtin()?);
    runtime()?.block_on(async {
        let store = Store::open(url).await.with_context(|| format!("opening {}", shown(url)))?;
        let today = china_date(jiff::Timestamp::now());
        if demo {
            match yichuang_server::seed_demo(&store, Arc::new(loaded.catalog.clone()), calendar.clone(), today).await? {
                Some(demo) => {
                    println!("demo data: {} halls (one inside a bank outlet), {} people, {} employers, {} cases", demo.halls, demo.people, demo.employers, demo.cases);
                    println!("staff accounts (shown once; tokens go in `Authorization: Bearer …`):");
                    for (id, name, role, region, password, token) in &demo.staff {
                        println!("  {id:<14} {role:<18} {region}  {name}\n      password {password}\n      token    {token}");
                    }
                }
                None => println!("demo: the database already has staff; nothing seeded"),
            }
        }
        let engine = Engine::start(store, Arc::new(loaded.catalog.clone()), calendar, EngineConfig::default());
        let state = AppState::new(engine, loaded);
        let listener = tokio::net::TcpListener::bind(addr).await.with_context(|| format!("listening on {addr}"))?;
        let local = listener.local_addr()?;
        println!("yichuang is serving on http://{local} (database {})", shown(url));
        println!("try: curl 'http://{local}/api/v1/regions/330211/search?q=失业了怎么领钱'");
        yichuang_server::serve(listener, state, shutdown_signal()).await?;
        println!("stopped");
        Ok(Outcome::Done)
    })
}

/// Ctrl-C or SIGTERM: stop taking connections, let in-flight requests finish.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
