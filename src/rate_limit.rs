//! Request rates: how many requests a minute each caller (a token, a client address) may make.

use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};

/// Requests per minute per caller: per API token, or per client address for calls without one.
#[derive(Clone)]
pub struct RateLimits(Option<Arc<Limiter>>);

struct Limiter {
    limiter: DefaultKeyedRateLimiter<String>,
    /// Checks since the store was last pruned of callers that are back to a full allowance.
    checks: AtomicU64,
}

/// How often the store of callers is pruned, in checks.
const PRUNE_EVERY: u64 = 10_000;

impl RateLimits {
    /// `per_minute` requests a minute, all of them at once at most; 0: no limit.
    pub fn new(per_minute: u32) -> Self {
        Self(NonZeroU32::new(per_minute).map(|n| {
            Arc::new(Limiter {
                limiter: DefaultKeyedRateLimiter::keyed(Quota::per_minute(n)),
                checks: AtomicU64::new(0),
            })
        }))
    }

    /// None when `key` may go on; otherwise how long it must wait.
    pub fn check(&self, key: &str) -> Option<Duration> {
        let limiter = self.0.as_ref()?;
        if limiter.checks.fetch_add(1, Ordering::Relaxed) % PRUNE_EVERY == PRUNE_EVERY - 1 {
            limiter.limiter.retain_recent();
        }
        match limiter.limiter.check_key(&key.to_owned()) {
            Ok(()) => None,
            Err(not_until) => Some(not_until.wait_time_from(DefaultClock::default().now())),
        }
    }
}
