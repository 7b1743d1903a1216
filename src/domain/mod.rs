//! Domain knowledge that is not storage: countries, identifiers and the rules of their formats,
//! the legal conditions a record must meet, and which rights of the data subject follow from a
//! legal basis.

pub mod adequacy;
pub mod countries;
pub mod facts;
pub mod formats;
pub mod law;
pub mod limits;
pub mod rights;
