//! `yichuang serve [--demo]`: the platform on the embedded default or a database URL.

use std::path::Path;
use std::sync::Arc;

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use clap::Args;
use ipnet::IpNet;
use yichuang_engine::{Engine, EngineConfig, china_date};
use yichuang_server::{AppState, ListenOptions, ProtectionConfig, TlsFiles};
use yichuang_store::Store;

use crate::Outcome;
use crate::calendar_cmd::load_calendar;
use crate::store_cmd::{runtime, shown};

/// Prints a line to stdout, ignoring a closed stdout: whoever started the server may
/// stop reading once it says where it listens, and the server must go on serving.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

/// How `serve` listens and protects itself. Every flag has an environment variable, for
/// deployments that configure by environment.
#[derive(Debug, Args)]
pub(crate) struct ServeArgs {
    /// Fill an empty database with a demo province (staff, people, cases).
    #[arg(long)]
    demo: bool,
    #[arg(long, env = "YICHUANG_ADDR", default_value = "127.0.0.1:8080")]
    addr: String,
    /// Serve `/metrics` on this address only (for example 127.0.0.1:9100).
    #[arg(long, env = "YICHUANG_METRICS_ADDR")]
    metrics_addr: Option<String>,
    /// Serve `/metrics` on the main address too, to requests bearing this token.
    #[arg(long, env = "YICHUANG_METRICS_TOKEN", hide_env_values = true)]
    metrics_token: Option<String>,
    /// A proxy (address or CIDR) whose X-Forwarded-For is believed; repeat or separate
    /// with commas. Without one, the client is the socket's peer.
    #[arg(long = "trusted-proxy", env = "YICHUANG_TRUSTED_PROXIES", value_delimiter = ',', value_parser = parse_net)]
    trusted_proxies: Vec<IpNet>,
    /// TLS certificate chain (PEM); with --tls-key, serve HTTPS.
    #[arg(long, env = "YICHUANG_TLS_CERT", requires = "tls_key")]
    tls_cert: Option<PathBuf>,
    /// TLS private key (PEM).
    #[arg(long, env = "YICHUANG_TLS_KEY", requires = "tls_cert")]
    tls_key: Option<PathBuf>,
    /// The platform is reached over HTTPS through a proxy: cookies become Secure.
    #[arg(long, env = "YICHUANG_BEHIND_HTTPS")]
    behind_https: bool,
    /// Open connections at most (each takes a file descriptor: allow this plus about
    /// 64 in `ulimit -n`).
    #[arg(long, env = "YICHUANG_MAX_CONNECTIONS", default_value_t = 4096)]
    max_connections: usize,
    /// Seconds a client may take to send a request's headers (and may stay idle).
    #[arg(long, env = "YICHUANG_HEADER_TIMEOUT", default_value_t = 15, value_parser = clap::value_parser!(u64).range(1..=300))]
    header_timeout: u64,
    /// Seconds a client may take to send a request's body.
    #[arg(long, env = "YICHUANG_BODY_TIMEOUT", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=600))]
    body_timeout: u64,
    /// Requests a minute one client may make to the public routes.
    #[arg(long, env = "YICHUANG_PUBLIC_PER_MINUTE", default_value_t = 600, value_parser = clap::value_parser!(u32).range(1..))]
    public_per_minute: u32,
    /// Minutes between signed audit checkpoints (0: only `yichuang audit checkpoint`).
    #[arg(long, env = "YICHUANG_CHECKPOINT_MINUTES", default_value_t = 60)]
    checkpoint_minutes: u64,
    /// Days an API token lives.
    #[arg(long, env = "YICHUANG_TOKEN_DAYS", default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..=366))]
    token_days: u32,
    /// OpenID Connect issuer that signs citizens in (the unified identity platform).
    #[arg(long, env = "YICHUANG_OIDC_ISSUER", requires_all = ["oidc_client_id", "oidc_client_secret", "oidc_redirect_url"])]
    oidc_issuer: Option<String>,
    /// This server's client id at the issuer.
    #[arg(long, env = "YICHUANG_OIDC_CLIENT_ID")]
    oidc_client_id: Option<String>,
    /// This server's client secret at the issuer.
    #[arg(long, env = "YICHUANG_OIDC_CLIENT_SECRET", hide_env_values = true)]
    oidc_client_secret: Option<String>,
    /// The public address of this server's `/signin/callback`, as registered at the issuer.
    #[arg(long, env = "YICHUANG_OIDC_REDIRECT_URL")]
    oidc_redirect_url: Option<String>,
    /// The claim that carries the resident identity number.
    #[arg(long, env = "YICHUANG_OIDC_ID_CLAIM", default_value = "id_number")]
    oidc_id_claim: String,
    /// The claim that carries the employer's credit code when an agent signs in for one.
    #[arg(long, env = "YICHUANG_OIDC_USCC_CLAIM", default_value = "uscc")]
    oidc_uscc_claim: String,
    /// The SMS gateway's webhook: each message to an applicant is POSTed there as JSON
    /// (with an `Idempotency-Key`); without one, messages wait in the outbox.
    #[arg(long, env = "YICHUANG_MESSAGE_WEBHOOK")]
    message_webhook: Option<String>,
    /// The address people reach this server at, for the links in messages
    /// (default: http(s)://ADDR).
    #[arg(long, env = "YICHUANG_PUBLIC_URL")]
    public_url: Option<String>,
    /// Scopes to ask for besides `openid` (comma-separated).
    #[arg(
        long,
        env = "YICHUANG_OIDC_SCOPES",
        value_delimiter = ',',
        default_value = "profile"
    )]
    oidc_scopes: Vec<String>,
}

fn parse_net(text: &str) -> Result<IpNet, String> {
    let text = text.trim();
    text.parse::<IpNet>()
        .or_else(|_| text.parse::<std::net::IpAddr>().map(IpNet::from))
        .map_err(|_| format!("{text:?} is neither an IP address nor a CIDR block"))
}

impl ServeArgs {
    fn oidc(&self) -> Option<yichuang_server::OidcConfig> {
        Some(yichuang_server::OidcConfig {
            issuer: self.oidc_issuer.clone()?,
            client_id: self.oidc_client_id.clone()?,
            client_secret: self.oidc_client_secret.clone()?,
            redirect_url: self.oidc_redirect_url.clone()?,
            id_claim: self.oidc_id_claim.clone(),
            uscc_claim: self.oidc_uscc_claim.clone(),
            scopes: self
                .oidc_scopes
                .iter()
                .filter(|s| !s.is_empty())
                .cloned()
                .collect(),
        })
    }

    fn listen_options(&self) -> ListenOptions {
        ListenOptions {
            max_connections: self.max_connections,
            header_timeout: Duration::from_secs(self.header_timeout),
            body_timeout: Duration::from_secs(self.body_timeout),
            tls: self
                .tls_cert
                .clone()
                .zip(self.tls_key.clone())
                .map(|(cert, key)| TlsFiles { cert, key }),
        }
    }

    fn protection(&self) -> ProtectionConfig {
        ProtectionConfig {
            trusted_proxies: self.trusted_proxies.clone(),
            public_per_minute: self.public_per_minute,
            token_days: self.token_days,
            metrics_token: self.metrics_token.clone().filter(|t| !t.is_empty()),
            https: self.tls_cert.is_some() || self.behind_https,
            ..ProtectionConfig::default()
        }
    }
}

pub(crate) fn run(args: ServeArgs, url: &str, data_dir: &Path) -> anyhow::Result<Outcome> {
    let demo = args.demo;
    let addr = args.addr.as_str();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_target(false)
        .init();
    let calendar = Arc::new(load_calendar(data_dir)?);
    // The key that signs audit checkpoints lives outside the database; made on first start.
    let audit_key = crate::audit_key::load_or_create(data_dir)?;
    let loaded = Arc::new(yichuang_catalog::builtin()?);
    runtime()?.block_on(async {
        let store = Store::open(url).await.with_context(|| format!("opening {}", shown(url)))?;
        // Held until the server stops: maintenance that needs the database alone waits.
        let _serving = store.claim(yichuang_store::Use::Serving).await?;
        let today = china_date(jiff::Timestamp::now());
        if demo {
            match yichuang_server::seed_demo(&store, Arc::new(loaded.catalog.clone()), calendar.clone(), today).await? {
                Some(demo) => {
                    say!("demo data: {} halls (one inside a bank outlet), {} people, {} employers, {} cases, {} ratings, {} complaints, {} synthetic cases across provinces", demo.halls, demo.people, demo.employers, demo.cases, demo.ratings, demo.complaints, demo.synthetic);
                    say!("staff accounts (shown once; tokens go in `Authorization: Bearer …`):");
                    for (id, name, role, region, password, token) in &demo.staff {
                        say!("  {id:<14} {role:<18} {region}  {name}\n      password {password}\n      token    {token}");
                    }
                }
                None => say!("demo: the database already has staff; nothing seeded"),
            }
        }
        let engine = Engine::start(store, Arc::new(loaded.catalog.clone()), calendar, EngineConfig::default());
        // A calendar file may have brought a year's official schedule: deadlines counted
        // provisionally for it are counted again, each change an event on its case.
        match engine.recompute_provisional_deadlines().await {
            Ok(0) => {}
            Ok(moved) => say!("deadlines recomputed on the official calendar: {moved} open case(s) moved"),
            Err(e) => eprintln!("warning: recomputing provisional deadlines failed: {e}"),
        }
        // Accepted just before a stop, a rule-decided case may still wait for its rule.
        match engine.decide_waiting_by_rule().await {
            Ok(0) => {}
            Ok(done) => say!("rules had their turn on {done} accepted case(s) left waiting"),
            Err(e) => eprintln!("warning: running the items' rules on waiting cases failed: {e}"),
        }
        let state = AppState::with_protection(engine, loaded, args.protection());
        // The demo sign-in (pick a demo person or employer) exists only with --demo.
        let state = if demo { state.with_demo_sign_in() } else { state };
        let scheme = if args.tls_cert.is_some() || args.behind_https { "https" } else { "http" };
        let public_url = args.public_url.clone().unwrap_or_else(|| format!("{scheme}://{addr}"));
        let state = state.with_messages(yichuang_server::MessageOptions {
            webhook: args.message_webhook.clone().filter(|w| !w.is_empty()),
            public_url,
            // Links in messages are signed with a key made from the audit key, so
            // they survive restarts and differ from every other use of it.
            link_key: Arc::new(crate::audit_key::derive(&audit_key, b"message links")),
            link_days: 30,
            first_retry: Duration::from_secs(10),
        });
        let state = match args.oidc() {
            Some(config) => state.with_oidc(config).map_err(anyhow::Error::msg)?,
            None => state,
        };
        let listener = tokio::net::TcpListener::bind(addr).await.with_context(|| format!("listening on {addr}"))?;
        let local = listener.local_addr()?;
        let options = args.listen_options();
        let scheme = if options.tls.is_some() { "https" } else { "http" };
        if let Some(metrics_addr) = &args.metrics_addr {
            let metrics = tokio::net::TcpListener::bind(metrics_addr).await.with_context(|| format!("listening on {metrics_addr}"))?;
            say!("metrics on http://{}/metrics", metrics.local_addr()?);
            tokio::spawn(yichuang_server::serve_metrics(metrics, state.clone(), shutdown_signal()));
        }
        say!("yichuang is serving on {scheme}://{local} (database {})", shown(url));
        say!("open {scheme}://{local}/ in a browser (the public pages; staff sign in at /staff/login)");
        say!("try: curl '{scheme}://{local}/api/v1/regions/330211/search?q=失业了怎么领钱'");
        if args.checkpoint_minutes > 0 {
            tokio::spawn(checkpoints(state.store.clone(), audit_key, data_dir.to_owned(), args.checkpoint_minutes));
        }
        yichuang_server::serve(listener, state, options, shutdown_signal()).await?;
        say!("stopped");
        Ok(Outcome::Done)
    })
}

/// Signs a checkpoint now and then, into the database and `audit/` in the data directory.
async fn checkpoints(store: Store, key: Vec<u8>, data_dir: std::path::PathBuf, minutes: u64) {
    let mut every = tokio::time::interval(Duration::from_secs(minutes * 60));
    every.tick().await;
    loop {
        every.tick().await;
        match store.take_checkpoint(&key, jiff::Timestamp::now()).await {
            Ok(checkpoint) => {
                let dir = data_dir.join("audit");
                let written = std::fs::create_dir_all(&dir).and_then(|()| {
                    let json = checkpoint.to_json().map_err(std::io::Error::other)?;
                    std::fs::write(
                        dir.join(format!("checkpoint-{}.json", checkpoint.seq)),
                        json,
                    )
                });
                if let Err(e) = written {
                    tracing::warn!(error = %e, "checkpoint signed but not written to a file");
                }
                tracing::info!(
                    seq = checkpoint.seq,
                    cases = checkpoint.state.cases.len(),
                    "audit checkpoint signed"
                );
            }
            Err(e) => tracing::error!(error = %e, "audit checkpoint failed"),
        }
    }
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
