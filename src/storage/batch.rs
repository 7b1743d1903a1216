//! Deterministic batching: relations are fetched in waves, never on a timer.
//!
//! async-graphql's `DataLoader` collects keys for a fixed delay and then fetches, so how many
//! batches a query takes depends on timing. Here each request gets a [`Scheduler`], and every
//! relation a [`Batcher`]. A key asked for joins its batcher's pending batch; the batch waits
//! until the request is quiescent (not being polled, not woken, no fetch in flight), and then
//! every pending batch is taken and fetched at once: one wave. A wave fetches everything the
//! previous wave made the query ask for, so the number of SQL statements depends on the
//! query's shape alone.

use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::hash::Hash;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Wake, Waker};

use futures_util::future::BoxFuture;
use tokio::sync::oneshot;

/// Fetches the values of many keys in one go.
pub trait Fetch: Send + Sync + 'static {
    type Key: Clone + Eq + Hash + Send + Sync + 'static;
    type Value: Clone + Send + Sync + 'static;
    type Error: Clone + Send + Sync + 'static;

    fn fetch(
        &self,
        keys: Vec<Self::Key>,
    ) -> impl Future<Output = Result<HashMap<Self::Key, Self::Value>, Self::Error>> + Send;
}

type Job = Box<dyn FnOnce() -> BoxFuture<'static, ()> + Send>;

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // Every update below is a single step, so the state is consistent even after a panic.
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

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
    /// Fetches started and not finished.
    in_flight: usize,
    /// Batches waiting for the next wave.
    waiting: Vec<Job>,
}

impl Scheduler {
    fn enqueue(self: &Arc<Self>, job: Job) {
        let mut state = lock(&self.state);
        state.waiting.push(job);
        self.release_if_quiescent(&mut state);
    }

    /// Starts the next wave if the request can ask for nothing more: each waiting batch takes
    /// its keys now, under the lock, and its fetch is spawned.
    fn release_if_quiescent(self: &Arc<Self>, state: &mut State) {
        if state.polling || state.scheduled || state.in_flight > 0 || state.waiting.is_empty() {
            return;
        }
        let jobs: Vec<Job> = state.waiting.drain(..).collect();
        state.in_flight += jobs.len();
        for job in jobs {
            let fetch = job();
            let scheduler = self.clone();
            tokio::spawn(async move {
                fetch.await;
                let mut state = lock(&scheduler.state);
                state.in_flight -= 1;
                scheduler.release_if_quiescent(&mut state);
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
        lock(&self.scheduler.state).scheduled = true;
        self.waker.wake_by_ref();
    }
}

impl<F: Future> Future for Gated<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        {
            let mut state = lock(&self.scheduler.state);
            state.polling = true;
            state.scheduled = false;
        }
        let waker = Waker::from(Arc::new(WakeThrough {
            scheduler: self.scheduler.clone(),
            waker: cx.waker().clone(),
        }));
        let result = self.inner.as_mut().poll(&mut Context::from_waker(&waker));
        let scheduler = self.scheduler.clone();
        let mut state = lock(&scheduler.state);
        state.polling = false;
        scheduler.release_if_quiescent(&mut state);
        result
    }
}

type Answer<F> = Result<Option<<F as Fetch>::Value>, <F as Fetch>::Error>;

struct Pending<F: Fetch> {
    keys: HashSet<F::Key>,
    waiters: Vec<(F::Key, oneshot::Sender<Answer<F>>)>,
}

/// Batches the loads of one relation within one request.
pub struct Batcher<F: Fetch> {
    fetch: Arc<F>,
    scheduler: Arc<Scheduler>,
    pending: Arc<Mutex<Option<Pending<F>>>>,
}

impl<F: Fetch> Batcher<F> {
    pub fn new(fetch: F, scheduler: Arc<Scheduler>) -> Self {
        Self {
            fetch: Arc::new(fetch),
            scheduler,
            pending: Arc::new(Mutex::new(None)),
        }
    }

    /// The value of one key, fetched with every other key asked for in the same wave.
    pub async fn load(&self, key: F::Key) -> Answer<F> {
        let (sender, receiver) = oneshot::channel();
        let first_of_batch = {
            let mut pending = lock(&self.pending);
            let first = pending.is_none();
            let batch = pending.get_or_insert_with(|| Pending {
                keys: HashSet::new(),
                waiters: Vec::new(),
            });
            batch.keys.insert(key.clone());
            batch.waiters.push((key, sender));
            first
        };
        if first_of_batch {
            let pending = self.pending.clone();
            let fetch = self.fetch.clone();
            self.scheduler.enqueue(Box::new(move || {
                let batch = lock(&pending).take();
                Box::pin(async move {
                    let Some(batch) = batch else { return };
                    let result = fetch.fetch(batch.keys.into_iter().collect()).await;
                    for (key, waiter) in batch.waiters {
                        let answer = match &result {
                            Ok(values) => Ok(values.get(&key).cloned()),
                            Err(err) => Err(err.clone()),
                        };
                        // A waiter that is gone belongs to a request that was dropped.
                        let _ = waiter.send(answer);
                    }
                })
            }));
        }
        match receiver.await {
            Ok(answer) => answer,
            // The scheduler was dropped with the request; nothing is waiting for this answer.
            Err(_) => Ok(None),
        }
    }
}
