//! `yichuang`: the one binary of the platform.
//!
//! Exit codes: 0 done (or valid), 1 invalid input or a failed command, 2 usage error.

// mimalloc rather than glibc's allocator: writing a synthetic year spent about a third
// of its time in glibc's malloc and free (docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod admin_cmd;
mod audit_key;
mod bench;
mod bench_cases;
mod bench_hall;
mod bench_http;
mod bench_people;
mod bench_proactive;
mod bench_ratings;
mod bench_report;
mod calendar_cmd;
mod catalog_cmd;
mod catalog_examples;
mod clock;
mod demo_cmd;
mod demo_facts;
mod facts_cmd;
mod hall_admin_cmd;
mod output;
mod proactive_cmd;
mod progress;
mod report_cmd;
mod search_cmd;
mod serve_cmd;
mod simulate_cmd;
mod simulate_scenario;
mod store_cmd;
mod totals_cmd;
mod validate;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(name = "yichuang", version, about = "一窗: the HRSS public-service platform", long_about = None)]
struct Cli {
    /// Where the platform keeps its data and local files (calendar files in `calendar/`).
    #[arg(
        long,
        global = true,
        env = "YICHUANG_DATA_DIR",
        default_value = "yichuang-data"
    )]
    data_dir: PathBuf,

    /// Database URL: `sqlite://PATH` or `postgres://…` (default: SQLite in the data directory).
    #[arg(long, global = true, env = "YICHUANG_DATABASE_URL")]
    db: Option<String>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the platform: HTTP API on the embedded SQLite default (or --db).
    Serve(Box<serve_cmd::ServeArgs>),
    /// Staff accounts and API tokens.
    #[command(subcommand)]
    Admin(admin_cmd::AdminCommand),
    /// Check an identity number, a credit code or a division code.
    #[command(subcommand)]
    Validate(validate::ValidateCommand),
    /// Working days, holidays and legal deadlines.
    #[command(subcommand)]
    Calendar(calendar_cmd::CalendarCommand),
    /// The service-standard catalog: check, show, diff, coverage, history, schema.
    Catalog(catalog_cmd::CatalogArgs),
    /// Find service items by everyday words, in a region's guides.
    Search(search_cmd::SearchArgs),
    /// Create or update the database schema (also done on every start).
    Migrate,
    /// Check the tamper-evident audit trail.
    #[command(subcommand)]
    Audit(store_cmd::AuditCommand),
    /// The supervision totals against a recount from the events; rebuild them.
    #[command(subcommand)]
    Totals(totals_cmd::TotalsCommand),
    /// Benchmarks that print a ratio against a baseline measured in the same run.
    #[command(subcommand)]
    Bench(bench::BenchCommand),
    /// Demo data: a synthetic year of cases for the figures and benchmarks.
    #[command(subcommand)]
    Demo(demo_cmd::DemoCommand),
    /// Facts other systems export (employers, contributions, claimants), for rules.
    #[command(subcommand)]
    Facts(facts_cmd::FactsCommand),
    /// 免申即享: find who a policy entitles from the imported facts.
    #[command(subcommand)]
    Proactive(proactive_cmd::ProactiveCommand),
    /// Reports on figures a supervisor brings (equalization across regions).
    #[command(subcommand)]
    Report(report_cmd::ReportCommand),
    /// Simulations with the server's own rules (a hall's queue).
    #[command(subcommand)]
    Simulate(simulate_cmd::SimulateCommand),
}

/// How a command ended when it did not fail outright.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Outcome {
    Done,
    /// The input was examined and found invalid; the reason is already printed.
    Invalid,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    let result = match cli.command {
        Command::Validate(command) => validate::run(command),
        Command::Calendar(command) => calendar_cmd::run(command, &cli.data_dir),
        Command::Catalog(args) => catalog_cmd::run(args),
        Command::Search(args) => search_cmd::run(args),
        Command::Simulate(command) => simulate_cmd::run(command),
        Command::Report(command) => report_cmd::run(command),
        Command::Facts(command) => store_cmd::database_url(cli.db.as_deref(), &cli.data_dir)
            .and_then(|url| facts_cmd::run(command, &url)),
        Command::Proactive(command) => store_cmd::database_url(cli.db.as_deref(), &cli.data_dir)
            .and_then(|url| proactive_cmd::run(command, &url, &cli.data_dir)),
        Command::Demo(command) => store_cmd::database_url(cli.db.as_deref(), &cli.data_dir)
            .and_then(|url| demo_cmd::run(command, &url, &cli.data_dir)),
        Command::Serve(args) => store_cmd::database_url(cli.db.as_deref(), &cli.data_dir)
            .and_then(|url| serve_cmd::run(*args, &url, &cli.data_dir)),
        Command::Admin(command) => store_cmd::database_url(cli.db.as_deref(), &cli.data_dir)
            .and_then(|url| admin_cmd::run(command, &url)),
        Command::Migrate => store_cmd::database_url(cli.db.as_deref(), &cli.data_dir)
            .and_then(|url| store_cmd::migrate(&url)),
        Command::Audit(command) => store_cmd::database_url(cli.db.as_deref(), &cli.data_dir)
            .and_then(|url| store_cmd::audit(command, &url, &cli.data_dir)),
        Command::Bench(command) => bench::run(command, cli.db.as_deref(), &cli.data_dir),
        Command::Totals(command) => store_cmd::database_url(cli.db.as_deref(), &cli.data_dir)
            .and_then(|url| totals_cmd::run(command, &url, &cli.data_dir)),
    };
    match result {
        Ok(Outcome::Done) => ExitCode::SUCCESS,
        Ok(Outcome::Invalid) => ExitCode::from(1),
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(1)
        }
    }
}
