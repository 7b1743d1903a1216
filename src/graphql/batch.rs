//! Deterministic batching: data loaders fetch in waves, never on a timer.
//!
//! async-graphql's `DataLoader` collects keys for a fixed delay and then fetches, so how many
//! batches a query takes depends on timing. Here each request gets a [`Scheduler`]: a loader's
//! fetch waits until the request is quiescent (not being polled, not woken, no fetch in flight)
//! and then every waiting fetch starts at once. A wave fetches everything the previous wave made
//! the query ask for, so the number of SQL statements depends on the query's shape alone.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Wake, Waker};

use futures_util::future::BoxFuture;
use tokio::sync::oneshot;

/// The wave scheduler of one request.
#[derive(Default)]
pub struct Scheduler {
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    /// The request future is being polled right now.
    polling: bool,
    /// The request future has been woken and will be polled again.
    scheduled: bool,
    /// Fetches released and not finished.
    in_flight: usize,
    /// Fetches waiting for the next wave.
    waiting: Vec<oneshot::Sender<()>>,
}

impl State {
    fn release_if_quiescent(&mut self) {
        if !self.polling && !self.scheduled && self.in_flight == 0 && !self.waiting.is_empty() {
            self.in_flight += self.waiting.len();
            for start in self.waiting.drain(..) {
                // A receiver that is gone belongs to a fetch task that no longer runs.
                if start.send(()).is_err() {
                    self.in_flight -= 1;
                }
            }
        }
    }
}

impl Scheduler {
    fn lock(&self) -> MutexGuard<'_, State> {
        // The state stays consistent even if a holder panicked: every update is a single step.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The spawner to give the request's data loaders.
    pub fn spawner(self: &Arc<Self>) -> impl Fn(BoxFuture<'static, ()>) + Send + Sync + 'static {
        let scheduler = self.clone();
        move |fetch| {
            let (start, started) = oneshot::channel();
            scheduler.lock().waiting.push(start);
            let scheduler = scheduler.clone();
            tokio::spawn(async move {
                if started.await.is_ok() {
                    fetch.await;
                    let mut state = scheduler.lock();
                    state.in_flight -= 1;
                    state.release_if_quiescent();
                }
            });
        }
    }

    /// Wraps the request's execution so the scheduler knows when it is quiescent.
    pub fn gate<F: Future>(self: &Arc<Self>, future: F) -> Gated<F> {
        Gated {
            inner: Box::pin(future),
            scheduler: self.clone(),
        }
    }
}

/// A request execution whose polls and wake-ups the scheduler watches.
pub struct Gated<F> {
    inner: Pin<Box<F>>,
    scheduler: Arc<Scheduler>,
}

struct WakeThrough {
    scheduler: Arc<Scheduler>,
    waker: Waker,
}

impl Wake for WakeThrough {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.scheduler.lock().scheduled = true;
        self.waker.wake_by_ref();
    }
}

impl<F: Future> Future for Gated<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        {
            let mut state = self.scheduler.lock();
            state.polling = true;
            state.scheduled = false;
        }
        let waker = Waker::from(Arc::new(WakeThrough {
            scheduler: self.scheduler.clone(),
            waker: cx.waker().clone(),
        }));
        let result = self.inner.as_mut().poll(&mut Context::from_waker(&waker));
        let mut state = self.scheduler.lock();
        state.polling = false;
        state.release_if_quiescent();
        result
    }
}
