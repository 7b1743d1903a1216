//! Domain knowledge that is not storage: countries, identifiers and the rules of their formats,
//! and which rights of the data subject follow from a legal basis.

pub mod adequacy;
pub mod countries;
pub mod formats;
pub mod limits;
pub mod rights;
