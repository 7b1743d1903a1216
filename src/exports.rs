//! `GET /exports/{organisation}/art30-{controller|processor}.{xlsx|csv|json|html|jsonld}`: the
//! records of processing as files, for `auditor`, `dpo` and `admin`.
//!
//! The graph is read before the response starts, so a bad option or a refusal is a proper
//! status with a JSON error. The record is then written on a blocking thread into a bounded
//! channel of chunks that the response body drains: memory holds the graph and a few chunks,
//! never the whole file, and a client that goes away stops the writing. A failure after the
//! first byte aborts the body, so a client never mistakes a cut file for a whole one.

use std::io::{self, Write};

use axum::body::{Body, Bytes};
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde_json::json;
use tokio::sync::mpsc;

use crate::authz::{Action, Actor, Decisions, Scope};
use crate::error::AppError;
use crate::record::{self, Options};
use crate::state::AppState;

/// What the route looks like, for the error that a wrong file name gets.
const SHAPE: &str =
    "exports are /exports/{organisation}/art30-{controller|processor}.{xlsx|csv|json|html|jsonld}";

/// The size of a chunk of the body, and how many may wait unsent.
const CHUNK: usize = 64 * 1024;
const CHUNKS_IN_FLIGHT: usize = 4;

fn error(status: StatusCode, code: &str, message: &str, field: Option<&str>) -> Response {
    let mut extensions = json!({ "code": code });
    if let Some(field) = field {
        extensions["field"] = json!(field);
    }
    let body = json!({ "errors": [{ "message": message, "extensions": extensions }] });
    let mut response = (status, Json(body)).into_response();
    if status == StatusCode::UNAUTHORIZED {
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    }
    response
}

fn app_error(err: AppError) -> Response {
    match &err {
        AppError::InvalidInput { field, .. } => error(
            StatusCode::BAD_REQUEST,
            err.code(),
            &err.to_string(),
            Some(field),
        ),
        AppError::NotFound(_) => error(StatusCode::NOT_FOUND, err.code(), &err.to_string(), None),
        AppError::Forbidden(_) => error(StatusCode::FORBIDDEN, err.code(), &err.to_string(), None),
        _ => {
            tracing::error!(error = ?err, "export failed");
            error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "INTERNAL_SERVER_ERROR",
                "internal error",
                None,
            )
        }
    }
}

/// The options of the query string: `register` (repeatable, or comma-separated), `asOf`,
/// `lang`, `producedAt` and `delimiter` (CSV). Anything else is refused, so a misspelt option is not ignored.
fn options(kind: &str, format: &str, query: Option<&str>) -> Result<Options, AppError> {
    let mut options = Options {
        kind: kind.to_owned(),
        format: format.to_owned(),
        ..Options::default()
    };
    for (name, value) in form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
        let value = value.into_owned();
        match name.as_ref() {
            "register" => options.registers.extend(
                value
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned),
            ),
            "asOf" => options.as_of = Some(value),
            "lang" => options.lang = Some(value),
            "producedAt" => options.produced_at = Some(value),
            "delimiter" => options.delimiter = Some(value),
            other => {
                return Err(AppError::invalid(
                    other,
                    "is not an option of an export (register, asOf, lang, producedAt, delimiter)",
                ))
            }
        }
    }
    Ok(options)
}

/// The download.
pub async fn download(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    Path((organisation, file)): Path<(String, String)>,
    RawQuery(query): RawQuery,
) -> Response {
    if actor.is_anonymous() {
        return error(
            StatusCode::UNAUTHORIZED,
            "UNAUTHENTICATED",
            "an export takes a bearer token of the auditor, dpo or admin role",
            None,
        );
    }
    let Some((kind, format)) = file
        .strip_prefix("art30-")
        .and_then(|rest| rest.split_once('.'))
    else {
        return error(StatusCode::NOT_FOUND, "NOT_FOUND", SHAPE, None);
    };
    let options = match options(kind, format, query.as_deref()) {
        Ok(options) => options,
        Err(err) => return app_error(err),
    };
    let found = crate::service::notices::organisation_by_slug(&state, &organisation).await;
    let decisions = Decisions::new(state.authz.clone(), actor);
    let organisation = match found {
        Ok(Some(o)) if decisions.allows(Action::Read, Scope::Organisation(o.id)) => o,
        Ok(_) => return app_error(AppError::NotFound(format!("organisation {organisation:?}"))),
        Err(err) => return app_error(err),
    };
    if !decisions.allows(Action::Export, Scope::Organisation(organisation.id)) {
        return app_error(AppError::Forbidden(
            "an export takes the `export` permission (auditor, dpo, admin)".to_owned(),
        ));
    }
    let (export, format) = match options.resolve(&state.db, organisation).await {
        Ok(resolved) => resolved,
        Err(err) => return app_error(err),
    };
    let graph = match export.load(&state.db).await {
        Ok(graph) => graph,
        Err(err) => return app_error(err),
    };
    let mut headers = HeaderMap::new();
    let mut set = |name, value: &str| {
        if let Ok(value) = HeaderValue::from_str(value) {
            headers.insert(name, value);
        }
    };
    set(header::CONTENT_TYPE, format.media_type());
    set(
        header::CONTENT_DISPOSITION,
        &format!("attachment; filename=\"{}\"", export.file_name(format)),
    );
    set(header::CACHE_CONTROL, "no-store");
    set(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(header::CONTENT_LANGUAGE, export.lang.tag());
    set(
        header::HeaderName::from_static("ropa-graph-version"),
        &record::graph_version(&graph),
    );
    set(
        header::HeaderName::from_static("ropa-produced-at"),
        &export.produced_at.to_rfc3339(),
    );
    if format == record::Format::Html {
        set(
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
        );
    }

    let (tx, rx) = mpsc::channel::<io::Result<Bytes>>(CHUNKS_IN_FLIGHT);
    let adequacy = state.adequacy.clone();
    tokio::task::spawn_blocking(move || {
        let mut out = ChunkWriter::new(tx.clone());
        let written = export
            .write(&graph, &adequacy, format, &mut out)
            .and_then(|()| out.flush().map_err(AppError::internal));
        if let Err(err) = written {
            tracing::error!(error = ?err, "export stopped after the response began");
            let _ = tx.blocking_send(Err(io::Error::other("the export failed")));
        }
    });
    let chunks = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|chunk| (chunk, rx))
    });
    let body = Body::from_stream(chunks);
    (StatusCode::OK, headers, body).into_response()
}

/// Gathers what a record writer writes into chunks and hands them to the response body,
/// waiting while the body has [`CHUNKS_IN_FLIGHT`] unsent.
struct ChunkWriter {
    tx: mpsc::Sender<io::Result<Bytes>>,
    buf: Vec<u8>,
}

impl ChunkWriter {
    fn new(tx: mpsc::Sender<io::Result<Bytes>>) -> Self {
        Self {
            tx,
            buf: Vec::with_capacity(CHUNK),
        }
    }

    fn send(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(&mut self.buf, Vec::with_capacity(CHUNK)));
        self.tx
            .blocking_send(Ok(chunk))
            .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "the client went away"))
    }
}

impl Write for ChunkWriter {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= CHUNK {
            self.send()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.send()
    }
}
