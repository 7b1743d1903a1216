//! Integration tests: the real router on a fresh database, on SQLite and on PostgreSQL.

mod helpers;

mod audit;
mod authz;
mod backup;
mod batching;
mod checks;
mod cli;
mod compliance;
mod demo;
mod docs;
mod flows;
mod graphql_http;
mod guard;
mod health;
mod import;
mod init;
mod input_safety;
mod law;
mod layers;
mod mutations;
mod notice_seeds;
mod notices;
mod paging;
mod read_api;
mod record;
mod record_audit;
mod safety;
mod schema;
mod service;
mod storage;
mod subscriptions;
mod tenancy;
mod token_cache;
