//! ropa: the GDPR record of processing activities kept as a graph and served over GraphQL.

pub mod app;
pub mod audit;
pub mod authz;
pub mod backup;
pub mod changes;
pub mod checks;
pub mod cli;
pub mod config;
pub mod db;
pub mod demo;
pub mod domain;
pub mod error;
pub mod exports;
pub mod flow_graph;
pub mod graphiql;
pub mod graphql;
pub mod graphql_http;
pub mod guard;
pub mod history;
pub mod identity;
pub mod ids;
pub mod links;
pub mod metrics;
pub mod notice;
pub mod progress;
pub mod rate_limit;
pub mod record;
pub mod save_rules;
pub mod server;
pub mod service;
pub mod state;
pub mod storage;
pub mod write;

pub use state::AppState;
