//! Adequacy decisions (Art. 45) as reference data: public, dated, shipped with the service.

use async_graphql::{Context, Enum, Object, Result};
use chrono::NaiveDate;

use crate::domain::adequacy;
use crate::state::AppState;

/// What an adequacy decision covers.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "adequacy::DestinationKind")]
pub enum AdequacyDestinationKind {
    /// A third country (or a territory of one).
    Country,
    /// An international organisation.
    InternationalOrganisation,
}

/// A decision of the Commission that a destination protects personal data adequately (Art. 45).
pub struct AdequacyDecision(pub adequacy::AdequacyDecision);

/// A decision of the Commission that a destination protects personal data adequately (Art. 45).
#[Object]
impl AdequacyDecision {
    /// ISO 3166-1 alpha-2 of the country, or the acronym of the international organisation.
    async fn destination(&self) -> &str {
        &self.0.destination
    }

    /// A country or an international organisation.
    async fn kind(&self) -> AdequacyDestinationKind {
        self.0.kind.into()
    }

    /// Name of the destination, in English.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// The decision's title or number.
    async fn decision(&self) -> &str {
        &self.0.decision
    }

    /// When the decision was adopted; it applies from that day.
    async fn adopted_on(&self) -> NaiveDate {
        self.0.adopted_on
    }

    /// The last day the decision applies; null when it has no end date.
    async fn valid_until(&self) -> Option<NaiveDate> {
        self.0.valid_until
    }

    /// What part of the destination the decision covers, when not all of it.
    async fn scope(&self) -> Option<&str> {
        self.0.scope.as_deref()
    }

    /// Whether the decision applies on a date.
    async fn in_force_on(&self, #[graphql(desc = "The date to check.")] date: NaiveDate) -> bool {
        self.0.in_force_on(date)
    }
}

/// The decision in force for a country on a date (today when none is given), if any.
pub fn in_force(
    ctx: &Context<'_>,
    country: Option<&str>,
    on: Option<NaiveDate>,
) -> Result<Option<AdequacyDecision>> {
    let state = ctx.data::<AppState>()?;
    let on = on.unwrap_or_else(|| chrono::Utc::now().date_naive());
    Ok(country
        .and_then(|c| state.adequacy.in_force(c, on))
        .cloned()
        .map(AdequacyDecision))
}

/// Root queries for adequacy decisions.
#[derive(Default)]
pub struct AdequacyQuery;

/// Root queries for adequacy decisions.
#[Object]
impl AdequacyQuery {
    /// Every adequacy decision the service knows (reference data, readable by anyone); only
    /// those in force on `on` when it is given.
    async fn adequacy_decisions(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only the decisions in force on this date.")] on: Option<NaiveDate>,
    ) -> Result<Vec<AdequacyDecision>> {
        let state = ctx.data::<AppState>()?;
        Ok(state
            .adequacy
            .all()
            .iter()
            .filter(|d| on.is_none_or(|date| d.in_force_on(date)))
            .cloned()
            .map(AdequacyDecision)
            .collect())
    }
}
