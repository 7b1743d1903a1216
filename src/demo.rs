//! The demo data set: the seed notices modelled as organisations, loaded through the importer.

use sea_orm::{DatabaseConnection, EntityTrait, PaginatorTrait};

use crate::error::AppResult;
use crate::import::{self, ImportSummary};

/// The demo documents, one organisation each, built into the binary.
pub const DOCUMENTS: [(&str, &str); 4] = [
    ("coreorient.yaml", include_str!("../demo/coreorient.yaml")),
    ("esimerkki.yaml", include_str!("../demo/esimerkki.yaml")),
    ("helpten.yaml", include_str!("../demo/helpten.yaml")),
    ("puuha.yaml", include_str!("../demo/puuha.yaml")),
];

/// Loads the demo organisations when the database holds no organisation yet; returns what was
/// imported (nothing when the database was not empty).
pub async fn load_if_empty(db: &DatabaseConnection) -> AppResult<Vec<ImportSummary>> {
    if entity::organisation::Entity::find().count(db).await? > 0 {
        return Ok(Vec::new());
    }
    load(db).await
}

/// Loads every demo organisation.
pub async fn load(db: &DatabaseConnection) -> AppResult<Vec<ImportSummary>> {
    let mut summaries = Vec::with_capacity(DOCUMENTS.len());
    for (_, source) in DOCUMENTS {
        let doc = import::parse(source)?;
        summaries.push(import::import(db, &doc).await?);
    }
    Ok(summaries)
}
