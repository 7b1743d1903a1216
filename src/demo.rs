//! The demo data set: the seed notices modelled as organisations, loaded through the importer.
//! Their registers are published and keep the seeds' real gaps, each one the law only reports
//! (see [`crate::domain::law`]), so the API would save them too.

use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, TransactionTrait,
};

use crate::error::{AppError, AppResult};
use crate::identity;
use crate::service::import::{self, ImportSummary};
use entity::{account, api_token, organisation, register, AccountKind, Role};

/// The demo organisation whose register the register-limited demo editor works on.
pub const REGISTER_ORGANISATION: &str = "puuha";

/// The demo accounts: a name, a role, and the register of [`REGISTER_ORGANISATION`] the role is
/// limited to, if any. The others hold their role in every demo organisation.
const DEMO_ACCOUNTS: [(&str, Role, Option<&str>); 7] = [
    ("demo-admin", Role::Admin, None),
    ("demo-dpo", Role::Dpo, None),
    ("demo-editor", Role::Editor, None),
    (
        "demo-marketing-editor",
        Role::Editor,
        Some("markkinointirekisteri"),
    ),
    ("demo-auditor", Role::Auditor, None),
    ("demo-viewer", Role::Viewer, None),
    ("demo-service", Role::Service, None),
];

/// Why the demo notices are published with their gaps, as the version records it.
pub const DEMO_PUBLICATION: &str = "Demo data: the organisation's own notice as it was published, with the gaps it has; recorded so that they can be seen and fixed.";

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

/// Publishes the notice of every demo register that has none yet, as an import, so the public
/// notices can be read at once; returns how many were published.
pub async fn publish_notices(state: &crate::AppState) -> AppResult<usize> {
    let mut published = 0;
    for register in register::Entity::find().all(&state.db).await? {
        if crate::notice::publish::version(&state.db, register.id, None)
            .await?
            .is_some()
        {
            continue;
        }
        let w = crate::write::Write::begin(
            &state.db,
            &state.write_gate,
            crate::audit::Author::import(),
        )
        .await?;
        let today = chrono::Utc::now().date_naive();
        crate::service::notices::publish_in(
            &w,
            &state.adequacy,
            today,
            register.id,
            Some(DEMO_PUBLICATION),
        )
        .await?;
        w.commit().await?;
        published += 1;
    }
    Ok(published)
}

/// Creates the demo accounts if missing, revokes their earlier tokens, and returns a fresh token
/// for each: (account name, secret).
pub async fn issue_tokens(db: &DatabaseConnection) -> AppResult<Vec<(String, String)>> {
    let txn = db.begin().await?;
    let organisations = organisation::Entity::find().all(&txn).await?;
    let home = organisations
        .iter()
        .find(|o| o.slug == REGISTER_ORGANISATION)
        .ok_or_else(|| AppError::NotFound(format!("demo organisation {REGISTER_ORGANISATION}")))?;
    let mut issued = Vec::new();
    for (name, role, register_slug) in DEMO_ACCOUNTS {
        let existing = account::Entity::find()
            .filter(account::Column::Name.eq(name))
            .one(&txn)
            .await?;
        let account = match existing {
            Some(account) => account,
            None => {
                let account =
                    identity::create_account(&txn, name, None, AccountKind::Person).await?;
                match register_slug {
                    Some(slug) => {
                        let register = register::Entity::of_organisation(home.id)
                            .filter(register::Column::Slug.eq(slug))
                            .one(&txn)
                            .await?
                            .ok_or_else(|| AppError::NotFound(format!("demo register {slug}")))?;
                        identity::grant(&txn, account.id, home.id, Some(register.id), role).await?;
                    }
                    None => {
                        for organisation in &organisations {
                            identity::grant(&txn, account.id, organisation.id, None, role).await?;
                        }
                    }
                }
                account
            }
        };
        let earlier = api_token::Entity::find()
            .filter(api_token::Column::AccountId.eq(account.id))
            .filter(api_token::Column::RevokedAt.is_null())
            .all(&txn)
            .await?;
        for token in earlier {
            identity::revoke_token(&txn, token.id).await?;
        }
        let (_, secret) = identity::create_token(&txn, account.id, "demo", None).await?;
        issued.push((name.to_owned(), secret));
    }
    txn.commit().await?;
    Ok(issued)
}
