//! Domain knowledge that is not storage: countries, identifiers and the rules of their formats.

pub mod adequacy;
pub mod countries;
pub mod validate;
