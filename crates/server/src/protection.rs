//! What keeps one client from taking the server from everyone else: per-client limits
//! on the public routes, login throttles per account and per client, a bound on the
//! password checks that may run at once, and a per-case budget of wrong answers to the
//! progress lookup. The limiters are governor's (GCRA); only their configuration and
//! the answers they lead to are ours.

use std::hash::Hash;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use ipnet::IpNet;
use lru::LruCache;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::client::ClientKey;

/// What an operator configures (`yichuang serve` flags); the defaults suit one hall.
#[derive(Debug, Clone)]
pub struct ProtectionConfig {
    /// Proxies whose `X-Forwarded-For` is believed (none by default).
    pub trusted_proxies: Vec<IpNet>,
    /// Requests a minute one client may make to the public routes (burst: a quarter).
    pub public_per_minute: u32,
    /// Sign-in attempts an hour per staff id, and per client.
    pub logins_per_account_hour: u32,
    pub logins_per_client_hour: u32,
    /// Password checks running at once (argon2id takes 19 MiB each); default one per core.
    pub password_checks: usize,
    /// How long a sign-in waits for a free password check before it is told to retry.
    pub password_wait: Duration,
    /// Wrong last-four answers a case's progress lookup takes a day before it locks.
    pub progress_wrong_per_day: u32,
    /// How long a progress lookup stays locked after its budget is spent.
    pub progress_lock: Duration,
    /// Days an API token lives.
    pub token_days: u32,
    /// A bearer token for `/metrics` on the main listener (without it, `/metrics` is
    /// served only on a separate metrics address).
    pub metrics_token: Option<String>,
    /// The platform is reached over HTTPS (TLS here, or a proxy in front): cookies are
    /// `Secure` and carry the `__Host-` prefix.
    pub https: bool,
}

impl Default for ProtectionConfig {
    fn default() -> Self {
        ProtectionConfig {
            trusted_proxies: Vec::new(),
            public_per_minute: 600,
            logins_per_account_hour: 10,
            logins_per_client_hour: 60,
            password_checks: std::thread::available_parallelism().map_or(2, |n| n.get()),
            password_wait: Duration::from_secs(2),
            progress_wrong_per_day: 5,
            progress_lock: Duration::from_secs(3600),
            token_days: 30,
            metrics_token: None,
            https: false,
        }
    }
}

/// A refusal: come back after this long.
#[derive(Debug, Clone, Copy)]
pub struct RetryAfter(pub Duration);

impl RetryAfter {
    /// Whole seconds, at least one, for the `Retry-After` header.
    pub fn seconds(self) -> u64 {
        u64::try_from(self.0.as_millis().div_ceil(1000))
            .unwrap_or(u64::MAX)
            .max(1)
    }
}

/// Keyed limiters forget idle keys now and then so their memory stays bounded.
const FORGET_ABOVE: usize = 50_000;

/// How often (in checks) a limiter looks at its size: counting its keys takes a lock
/// on every shard, too dear for every request.
const SIZE_CHECK_EVERY: u64 = 4096;

fn check<K: Hash + Eq + Clone>(
    limiter: &DefaultKeyedRateLimiter<K>,
    checks: &AtomicU64,
    key: &K,
) -> Result<(), RetryAfter> {
    if checks
        .fetch_add(1, Ordering::Relaxed)
        .is_multiple_of(SIZE_CHECK_EVERY)
        && limiter.len() > FORGET_ABOVE
    {
        limiter.retain_recent();
        limiter.shrink_to_fit();
    }
    limiter
        .check_key(key)
        .map_err(|not_until| RetryAfter(not_until.wait_time_from(DefaultClock::default().now())))
}

fn nonzero(n: u32) -> NonZeroU32 {
    NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN)
}

/// An evenly spread quota of `count` per `period`, with all of it available at once.
fn quota(count: u32, period: Duration) -> Quota {
    let count = nonzero(count);
    Quota::with_period(period / count.get())
        .unwrap_or_else(|| Quota::per_second(count))
        .allow_burst(count)
}

/// The limiters of one server.
#[derive(Debug)]
pub struct Guards {
    pub config: ProtectionConfig,
    public: DefaultKeyedRateLimiter<ClientKey>,
    login_account: DefaultKeyedRateLimiter<String>,
    login_client: DefaultKeyedRateLimiter<ClientKey>,
    progress_wrong: DefaultKeyedRateLimiter<String>,
    progress_locked: Mutex<LruCache<String, Instant>>,
    password_checks: Arc<Semaphore>,
    /// Checks made, for looking at the limiters' sizes now and then.
    checks: AtomicU64,
    /// Memory for the password checks, reused (see `passwords.rs`).
    pub password_buffers: crate::passwords::Buffers,
}

impl Guards {
    pub fn new(config: ProtectionConfig) -> Guards {
        let per_minute = nonzero(config.public_per_minute);
        let burst = nonzero(config.public_per_minute.div_ceil(4));
        Guards {
            public: RateLimiter::keyed(Quota::per_minute(per_minute).allow_burst(burst)),
            login_account: RateLimiter::keyed(quota(config.logins_per_account_hour, HOUR)),
            login_client: RateLimiter::keyed(quota(config.logins_per_client_hour, HOUR)),
            progress_wrong: RateLimiter::keyed(quota(config.progress_wrong_per_day, DAY)),
            progress_locked: Mutex::new(LruCache::new(
                std::num::NonZeroUsize::new(FORGET_ABOVE).unwrap_or(std::num::NonZeroUsize::MIN),
            )),
            password_checks: Arc::new(Semaphore::new(config.password_checks.max(1))),
            checks: AtomicU64::new(0),
            password_buffers: crate::passwords::Buffers::default(),
            config,
        }
    }

    /// One request to a public route by this client.
    pub fn public(&self, client: ClientKey) -> Result<(), RetryAfter> {
        check(&self.public, &self.checks, &client)
    }

    /// One sign-in attempt for this staff id from this client.
    pub fn login(&self, client: ClientKey, staff_id: &str) -> Result<(), RetryAfter> {
        check(&self.login_client, &self.checks, &client)?;
        check(&self.login_account, &self.checks, &bounded_key(staff_id))
    }

    /// A slot to run one password check in; waits briefly, then gives up.
    pub async fn password_slot(&self) -> Result<OwnedSemaphorePermit, RetryAfter> {
        let wait = self.config.password_wait;
        match tokio::time::timeout(wait, self.password_checks.clone().acquire_owned()).await {
            Ok(Ok(permit)) => Ok(permit),
            _ => Err(RetryAfter(wait)),
        }
    }

    /// Whether the case's progress lookup is locked, and until when.
    pub fn progress_locked(&self, case_id: &str) -> Result<(), RetryAfter> {
        let key = bounded_key(case_id);
        let Ok(mut locked) = self.progress_locked.lock() else {
            return Ok(());
        };
        match locked.get(&key) {
            Some(until) if *until > Instant::now() => {
                Err(RetryAfter(until.saturating_duration_since(Instant::now())))
            }
            Some(_) => {
                locked.pop(&key);
                Ok(())
            }
            None => Ok(()),
        }
    }

    /// A wrong last-four answer for this case; spends its budget, and locks it when spent.
    pub fn progress_wrong(&self, case_id: &str) {
        let key = bounded_key(case_id);
        if check(&self.progress_wrong, &self.checks, &key).is_err()
            && let Ok(mut locked) = self.progress_locked.lock()
        {
            locked.put(key, Instant::now() + self.config.progress_lock);
        }
    }
}

/// Keys come from the caller: ids are short, and a long one is no one's, so it is cut
/// (and all such share one budget) rather than stored whole.
fn bounded_key(text: &str) -> String {
    text.chars().take(64).collect()
}

const HOUR: Duration = Duration::from_secs(3600);
const DAY: Duration = Duration::from_secs(24 * 3600);
