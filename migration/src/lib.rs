//! Database migrations of ropa; run at service start and by the `migration` CLI.

pub use sea_orm_migration::prelude::*;

mod columns;
mod m20261122_000001_create_graph;
mod m20261122_000002_create_identity;
mod m20261122_000003_create_audit_event;
mod m20261122_000004_create_notice_version;
mod m20261122_000005_create_acknowledgement;
mod m20261201_000001_scope_api_tokens;
mod m20261201_000002_refuse_overwriting_inserts;
mod m20261202_000001_declared_facts;
mod m20261202_000002_record_fields;
mod m20261202_000003_dpv_derogation_code;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_create_graph::Migration),
            Box::new(m20261122_000002_create_identity::Migration),
            Box::new(m20261122_000003_create_audit_event::Migration),
            Box::new(m20261122_000004_create_notice_version::Migration),
            Box::new(m20261122_000005_create_acknowledgement::Migration),
            Box::new(m20261201_000001_scope_api_tokens::Migration),
            Box::new(m20261201_000002_refuse_overwriting_inserts::Migration),
            Box::new(m20261202_000001_declared_facts::Migration),
            Box::new(m20261202_000002_record_fields::Migration),
            Box::new(m20261202_000003_dpv_derogation_code::Migration),
        ]
    }
}
