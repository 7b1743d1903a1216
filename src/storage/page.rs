//! Pagination, the one mechanism every list uses: a validated page request (`first`, `after`),
//! rows in ID order after the cursor, and one row more than asked for, which only says that
//! another page follows. Lists in SQL apply it with [`keyset`]; lists held in memory with
//! [`in_memory`]; both end in [`cut`].

use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Select,
};
use uuid::Uuid;

use crate::error::{AppError, AppResult};
use crate::ids::{self, NodeKind};

/// Page size when `first` is not given.
pub const DEFAULT_PAGE_SIZE: u64 = 20;
/// The largest `first` a client may ask for.
pub const MAX_PAGE_SIZE: u64 = 100;

/// A validated request for one page.
#[derive(Clone, Copy, Debug)]
pub struct PageArgs {
    pub first: u64,
    pub after: Option<Uuid>,
}

impl PageArgs {
    /// Checks `first` (0 to 100, 20 by default) and decodes `after` as a cursor of `kind`.
    pub fn parse(kind: NodeKind, first: Option<i32>, after: Option<String>) -> AppResult<Self> {
        let first = match first {
            None => DEFAULT_PAGE_SIZE,
            Some(n) => u64::try_from(n)
                .ok()
                .filter(|n| *n <= MAX_PAGE_SIZE)
                .ok_or_else(|| {
                    AppError::invalid("first", format!("must be between 0 and {MAX_PAGE_SIZE}"))
                })?,
        };
        let after = after
            .map(|cursor| ids::decode_as(kind, &cursor, "after"))
            .transpose()?;
        Ok(Self { first, after })
    }

    /// How many rows to read: one more than the page holds.
    pub fn limit(&self) -> u64 {
        self.first + 1
    }
}

/// Which way a list runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Order {
    Oldest,
    Newest,
}

/// The page of `query` that `page` asks for, keyed by the ID column `id`: up to `first + 1`
/// rows after the cursor (before it, newest first).
pub async fn keyset<E, C>(
    db: &C,
    query: Select<E>,
    id: E::Column,
    order: Order,
    page: PageArgs,
) -> AppResult<Vec<E::Model>>
where
    E: EntityTrait,
    C: ConnectionTrait,
{
    if page.first == 0 {
        return Ok(Vec::new());
    }
    let query = match order {
        Order::Oldest => {
            let query = query.order_by_asc(id);
            match page.after {
                Some(after) => query.filter(id.gt(after)),
                None => query,
            }
        }
        Order::Newest => {
            let query = query.order_by_desc(id);
            match page.after {
                Some(after) => query.filter(id.lt(after)),
                None => query,
            }
        }
    };
    Ok(query.limit(page.limit()).all(db).await?)
}

/// The page `page` asks for of rows held in memory, of those `keep` lets through (left out
/// before the page is cut, as the SQL lists do): up to `first + 1` rows in ID order.
pub fn in_memory<M>(
    mut rows: Vec<M>,
    id: impl Fn(&M) -> Uuid,
    keep: impl Fn(&M) -> bool,
    page: PageArgs,
) -> Vec<M> {
    rows.sort_by_key(&id);
    rows.into_iter()
        .filter(|m| page.after.is_none_or(|after| id(m) > after))
        .filter(|m| keep(m))
        .take(usize::try_from(page.limit()).unwrap_or(usize::MAX))
        .collect()
}

/// Up to `first + 1` rows cut to the page: the rows, and whether another page follows.
pub fn cut<M>(mut rows: Vec<M>, page: PageArgs) -> (Vec<M>, bool) {
    let has_next_page = rows.len() as u64 > page.first;
    rows.truncate(usize::try_from(page.first).unwrap_or(usize::MAX));
    (rows, has_next_page)
}
