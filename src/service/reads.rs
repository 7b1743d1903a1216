//! Reads that are not a node lookup or a list page.
