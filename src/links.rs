//! The links of a processing activity to what it processes, discloses and protects with. They
//! are part of the activity's state: a change of links is a change of the activity, versioned
//! and audited with it.

use sea_orm::sea_query::{Alias, Expr};
use std::collections::HashMap;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::error::{AppError, AppResult};
use crate::write::Write;
use entity::*;

/// The links of an activity, by kind of target.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Links {
    pub data_subject_categories: Vec<Uuid>,
    pub personal_data_categories: Vec<Uuid>,
    pub data_sources: Vec<Uuid>,
    pub recipients: Vec<Uuid>,
    pub security_measures: Vec<Uuid>,
}

/// The links as stored in an activity's audit state.
pub fn links_state(links: &Links) -> AppResult<serde_json::Value> {
    let mut links = links.clone();
    for list in [
        &mut links.data_subject_categories,
        &mut links.personal_data_categories,
        &mut links.data_sources,
        &mut links.recipients,
        &mut links.security_measures,
    ] {
        list.sort();
    }
    Ok(serde_json::json!({
        "links": serde_json::to_value(links).map_err(AppError::internal)?
    }))
}

/// The edge tables of an activity: (table, target column).
const LINK_TABLES: [(&str, &str); 5] = [
    ("activity_data_subject", "data_subject_category_id"),
    ("activity_data_category", "personal_data_category_id"),
    ("activity_source", "data_source_id"),
    ("activity_recipient", "recipient_id"),
    ("activity_security_measure", "security_measure_id"),
];

fn lists(links: &Links) -> [&Vec<Uuid>; 5] {
    [
        &links.data_subject_categories,
        &links.personal_data_categories,
        &links.data_sources,
        &links.recipients,
        &links.security_measures,
    ]
}

/// The stored links of an activity.
pub async fn links_of<C: ConnectionTrait>(db: &C, activity: Uuid) -> AppResult<Links> {
    Ok(links_of_many(db, [activity])
        .await?
        .remove(&activity)
        .unwrap_or_default())
}

/// The stored links of many activities (five statements per thousand activities), each list
/// in the order of the targets' IDs.
pub async fn links_of_many<C: ConnectionTrait>(
    db: &C,
    activities: impl IntoIterator<Item = Uuid>,
) -> AppResult<HashMap<Uuid, Links>> {
    let activities: Vec<Uuid> = activities.into_iter().collect();
    let mut all: HashMap<Uuid, Links> = HashMap::new();
    macro_rules! load {
        ($module:ident, $column:ident, $field:ident, $list:ident) => {
            for chunk in activities.chunks(1000) {
                let rows = $module::Entity::find()
                    .filter($module::Column::ActivityId.is_in(chunk.iter().copied()))
                    .order_by_asc($module::Column::$column)
                    .all(db)
                    .await?;
                for row in rows {
                    all.entry(row.activity_id)
                        .or_default()
                        .$list
                        .push(row.$field);
                }
            }
        };
    }
    load!(
        activity_data_subject,
        DataSubjectCategoryId,
        data_subject_category_id,
        data_subject_categories
    );
    load!(
        activity_data_category,
        PersonalDataCategoryId,
        personal_data_category_id,
        personal_data_categories
    );
    load!(activity_source, DataSourceId, data_source_id, data_sources);
    load!(activity_recipient, RecipientId, recipient_id, recipients);
    load!(
        activity_security_measure,
        SecurityMeasureId,
        security_measure_id,
        security_measures
    );
    Ok(all)
}

/// Makes the stored links of an activity `new` (they were `old`).
pub async fn store_links(w: &Write, activity: Uuid, old: &Links, new: &Links) -> AppResult<()> {
    let backend = w.txn.get_database_backend();
    for ((table, column), (old, new)) in LINK_TABLES
        .iter()
        .zip(lists(old).into_iter().zip(lists(new)))
    {
        for gone in old.iter().filter(|t| !new.contains(t)) {
            let sql = sea_orm::sea_query::Query::delete()
                .from_table(Alias::new(*table))
                .and_where(Expr::col(Alias::new("activity_id")).eq(activity))
                .and_where(Expr::col(Alias::new(*column)).eq(*gone))
                .to_owned();
            w.txn.execute(backend.build(&sql)).await?;
        }
        // One statement for all the links added to this table.
        let mut insert = sea_orm::sea_query::Query::insert();
        insert.into_table(Alias::new(*table)).columns([
            Alias::new("activity_id"),
            Alias::new(*column),
            Alias::new("created_at"),
        ]);
        let mut any = false;
        for added in new.iter().filter(|t| !old.contains(t)) {
            insert.values_panic([activity.into(), (*added).into(), w.now.into()]);
            any = true;
        }
        if any {
            w.txn.execute(backend.build(&insert)).await?;
        }
    }
    Ok(())
}
