//! JSON: the model as it is, `{"header": {…}, "entries": [{…}, …]}` for the controller's record
//! and `{"header": {…}, "controllers": [{"controller": {…}, "entries": […]}]}` for the
//! processor's; field names in snake case as in [`super::model`], written entry by entry.

use std::borrow::Borrow;
use std::io::Write;

use super::model::{ControllerEntry, Header, ProcessorRecord};
use crate::error::{AppError, AppResult};

fn io(e: std::io::Error) -> AppError {
    AppError::internal(e)
}

/// The controller's record, one entry at a time.
pub fn controller<W: Write, E: Borrow<ControllerEntry>>(
    mut out: W,
    header: &Header,
    entries: impl IntoIterator<Item = E>,
) -> AppResult<()> {
    out.write_all(b"{\"header\":").map_err(io)?;
    serde_json::to_writer(&mut out, header).map_err(AppError::internal)?;
    out.write_all(b",\"entries\":[").map_err(io)?;
    for (i, entry) in entries.into_iter().enumerate() {
        if i > 0 {
            out.write_all(b",").map_err(io)?;
        }
        serde_json::to_writer(&mut out, entry.borrow()).map_err(AppError::internal)?;
    }
    out.write_all(b"]}\n").map_err(io)?;
    out.flush().map_err(io)
}

/// The processor's record, one section at a time.
pub fn processor<W: Write>(mut out: W, record: &ProcessorRecord) -> AppResult<()> {
    out.write_all(b"{\"header\":").map_err(io)?;
    serde_json::to_writer(&mut out, &record.header).map_err(AppError::internal)?;
    out.write_all(b",\"controllers\":[").map_err(io)?;
    for (i, section) in record.controllers.iter().enumerate() {
        if i > 0 {
            out.write_all(b",").map_err(io)?;
        }
        serde_json::to_writer(&mut out, section).map_err(AppError::internal)?;
    }
    out.write_all(b"]}\n").map_err(io)?;
    out.flush().map_err(io)
}
