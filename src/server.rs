//! Running the service: open the database, load demo data if asked, listen, stop cleanly.

use tokio::net::TcpListener;

use crate::config::ServeArgs;
use crate::error::Cause;
use crate::{app, db, demo, AppState};

/// Serves the API until SIGINT or SIGTERM, then finishes the requests in flight.
pub async fn serve(args: ServeArgs) -> Result<(), Cause> {
    let db = db::connect(&args.database.database_url).await?;
    if args.demo {
        let loaded = demo::load_if_empty(&db).await?;
        tracing::info!(organisations = loaded.len(), "demo data loaded");
        let tokens = demo::issue_tokens(&db).await?;
        println!(
            "Demo tokens, one per role in every demo organisation (demo-marketing-editor: only {}/markkinointirekisteri).",
            demo::REGISTER_ORGANISATION
        );
        println!("New ones are issued at every start with --demo; the earlier ones stop working.");
        for (account, secret) in tokens {
            println!("  {account:<22} {secret}");
        }
    }
    let mut state = AppState::with_settings(db, args.guard.settings())?;
    // Before anything clones the connection: each clone carries the callback.
    let metrics = state.metrics.clone();
    state.db.set_metric_callback(move |_| metrics.statement());
    if args.demo {
        let published = demo::publish_notices(&state).await?;
        tracing::info!(published, "demo notices published");
        println!("Published notices, for anyone: /notices/{{organisation}}/{{register}}, e.g. /notices/puuha/asiakasrekisteri?lang=en");
    }
    // Listening before serving: a subscriber accepted here hears every change committed after.
    state.write_gate.changes.listen(&state.db).await?;
    let listener = TcpListener::bind(args.listen).await?;
    tracing::info!(address = %listener.local_addr()?, "listening; GraphQL at /graphql, GraphiQL at /graphiql");
    let timeouts = Timeouts::of(&state.settings);
    run(listener, app::router(state), timeouts, shutdown_signal()).await?;
    Ok(())
}

/// How long a connection may take over a request's headers, and stay idle.
#[derive(Clone, Copy, Debug)]
pub struct Timeouts {
    pub header: std::time::Duration,
    pub idle: std::time::Duration,
}

impl Timeouts {
    pub fn of(settings: &crate::config::Settings) -> Self {
        Self {
            header: settings.header_timeout,
            idle: settings.idle_timeout,
        }
    }
}

/// When a connection last sent or received a byte, and how many of its requests are being
/// answered; what [`idle`] watches.
struct Activity {
    started: std::time::Instant,
    /// Milliseconds from `started` to the last byte read or written.
    last: std::sync::atomic::AtomicU64,
    in_flight: std::sync::atomic::AtomicUsize,
}

impl Activity {
    fn new() -> std::sync::Arc<Self> {
        std::sync::Arc::new(Self {
            started: std::time::Instant::now(),
            last: std::sync::atomic::AtomicU64::new(0),
            in_flight: std::sync::atomic::AtomicUsize::new(0),
        })
    }

    fn touch(&self) {
        let now = self.started.elapsed().as_millis() as u64;
        self.last.store(now, std::sync::atomic::Ordering::Relaxed);
    }

    fn quiet_for(&self) -> std::time::Duration {
        let last = self.last.load(std::sync::atomic::Ordering::Relaxed);
        self.started
            .elapsed()
            .saturating_sub(std::time::Duration::from_millis(last))
    }
}

/// Completes once the connection has been quiet for `limit` with no request in progress.
async fn idle(activity: std::sync::Arc<Activity>, limit: std::time::Duration) {
    loop {
        let quiet = activity.quiet_for();
        let busy = activity
            .in_flight
            .load(std::sync::atomic::Ordering::Relaxed)
            > 0;
        if quiet >= limit && !busy {
            return;
        }
        tokio::time::sleep(limit.saturating_sub(quiet).max(limit / 10)).await;
    }
}

/// A connection's socket, noting each byte that crosses it in its [`Activity`].
struct Watched<S> {
    inner: S,
    activity: std::sync::Arc<Activity>,
}

impl<S: tokio::io::AsyncRead + Unpin> tokio::io::AsyncRead for Watched<S> {
    fn poll_read(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let polled = std::pin::Pin::new(&mut self.inner).poll_read(cx, buf);
        if buf.filled().len() > before {
            self.activity.touch();
        }
        polled
    }
}

impl<S: tokio::io::AsyncWrite + Unpin> tokio::io::AsyncWrite for Watched<S> {
    fn poll_write(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &[u8],
    ) -> std::task::Poll<std::io::Result<usize>> {
        let polled = std::pin::Pin::new(&mut self.inner).poll_write(cx, buf);
        if matches!(polled, std::task::Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        polled
    }

    fn poll_flush(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// Decrements a connection's requests in progress when its answer is ready (or dropped).
struct InFlight(std::sync::Arc<Activity>);

impl InFlight {
    fn start(activity: &std::sync::Arc<Activity>) -> Self {
        activity
            .in_flight
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Self(activity.clone())
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0
            .in_flight
            .fetch_sub(1, std::sync::atomic::Ordering::Relaxed);
        self.0.touch();
    }
}

/// Serves `router` on `listener` until `shutdown` completes, then stops accepting and finishes
/// the requests in flight.
///
/// A connection has `timeouts.header` to send a request's headers once it has begun them, and
/// is closed after `timeouts.idle` with no byte either way and no request in progress, so
/// slow or silent clients cannot hold connections open (`axum::serve` has neither). Each
/// request carries the client's address as [`axum::extract::ConnectInfo`], for the rate limits.
pub async fn run(
    listener: TcpListener,
    router: axum::Router,
    timeouts: Timeouts,
    shutdown: impl std::future::Future<Output = ()>,
) -> std::io::Result<()> {
    use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
    use hyper_util::server::conn::auto::Builder;
    use hyper_util::server::graceful::GracefulShutdown;
    use tower::ServiceExt;

    let mut builder = Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(timeouts.header);
    builder.http2().timer(TokioTimer::new());
    let graceful = GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        let (stream, address) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(err) => {
                    // Out of file descriptors and the like: wait a little rather than spin.
                    tracing::warn!(error = %err, "cannot accept a connection");
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let router = router.clone();
        let activity = Activity::new();
        let requests = activity.clone();
        let service = hyper::service::service_fn(
            move |mut request: hyper::Request<hyper::body::Incoming>| {
                request
                    .extensions_mut()
                    .insert(axum::extract::ConnectInfo(address));
                let in_flight = InFlight::start(&requests);
                let answer = router.clone().oneshot(request);
                async move {
                    let response = answer.await;
                    drop(in_flight);
                    response
                }
            },
        );
        let stream = Watched {
            inner: stream,
            activity: activity.clone(),
        };
        let connection = builder
            .serve_connection_with_upgrades(TokioIo::new(stream), service)
            .into_owned();
        let connection = graceful.watch(connection);
        let idle_limit = timeouts.idle;
        tokio::spawn(async move {
            tokio::select! {
                ended = connection => if let Err(err) = ended {
                    tracing::debug!(error = %err, %address, "connection ended with an error");
                },
                () = idle(activity, idle_limit) => {
                    tracing::debug!(%address, "closing an idle connection");
                }
            }
        });
    }
    drop(listener);
    graceful.shutdown().await;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(err) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %err, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(err) => {
                tracing::error!(error = %err, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down; finishing requests in flight");
}
