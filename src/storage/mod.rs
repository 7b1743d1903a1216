//! Storage below the service layer: the batched reads of the graph (one statement per wave of
//! lookups, whatever the number of rows), the SQL filters of lists, and keyset pages.

pub mod batch;
pub mod flow_filter;
pub mod loader;
pub mod page;
