//! Running the service: open the database, load demo data if asked, listen, stop cleanly.

use std::path::PathBuf;

use tokio::net::TcpListener;

use crate::config::ServeArgs;
use crate::error::Cause;
use crate::{app, db, demo, import, AppState};

/// Serves the API until SIGINT or SIGTERM, then finishes the requests in flight.
pub async fn serve(args: ServeArgs) -> Result<(), Cause> {
    let db = db::connect(&args.database.database_url).await?;
    if args.demo {
        let loaded = demo::load_if_empty(&db).await?;
        tracing::info!(organisations = loaded.len(), "demo data loaded");
    }
    let listener = TcpListener::bind(args.listen).await?;
    tracing::info!(address = %listener.local_addr()?, "listening; GraphQL at /graphql, GraphiQL at /graphiql");
    axum::serve(listener, app::router(AppState::new(db)))
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    Ok(())
}

/// Imports each file as one organisation, all or nothing per file.
pub async fn import_files(database_url: &str, files: &[PathBuf]) -> Result<(), Cause> {
    let db = db::connect(database_url).await?;
    for file in files {
        let source =
            std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
        let doc = import::parse(&source).map_err(|e| format!("{}: {e}", file.display()))?;
        let summary = import::import(&db, &doc)
            .await
            .map_err(|e| format!("{}: {e}", file.display()))?;
        println!(
            "{}: imported organisation {} with {} registers and {} activities",
            file.display(),
            doc.organisation.slug,
            summary.registers,
            summary.activities
        );
    }
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
