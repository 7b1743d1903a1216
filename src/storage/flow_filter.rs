//! The filters of the lists other services ask for (recipients, processors, transfers), as SQL
//! conditions: applied in the database, before a page is cut.

use sea_orm::sea_query::{Condition, Expr, Query, SelectStatement};
use sea_orm::ColumnTrait;
use uuid::Uuid;

use crate::domain::countries;

/// A list filter, validated and ready for SQL; part of the key its pages are batched by.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ListFilter {
    Recipients {
        registers: Option<Vec<Uuid>>,
        kinds: Option<Vec<entity::RecipientKind>>,
        countries: Option<Vec<String>>,
        outside_eea: Option<bool>,
        categories: Option<Vec<Uuid>>,
    },
    Processors {
        registers: Option<Vec<Uuid>>,
        countries: Option<Vec<String>>,
        outside_eea: Option<bool>,
        categories: Option<Vec<Uuid>>,
    },
    Transfers {
        countries: Option<Vec<String>>,
        mechanisms: Option<Vec<entity::TransferMechanism>>,
        /// Whether the destination must have a decision, and the countries that have one.
        adequate: Option<(bool, Vec<String>)>,
        recipients: Option<Vec<Uuid>>,
        registers: Option<Vec<Uuid>>,
    },
}
/// The EU/EEA countries, as SQL values.
fn eea() -> Vec<String> {
    countries::EEA.iter().map(|c| (*c).to_owned()).collect()
}

/// `SELECT recipient_id FROM activity_recipient JOIN processing_activity … WHERE register_id IN …`
fn recipients_of_registers(registers: &[Uuid]) -> SelectStatement {
    use entity::{activity_recipient as ar, processing_activity as pa};
    Query::select()
        .column((ar::Entity, ar::Column::RecipientId))
        .from(ar::Entity)
        .inner_join(
            pa::Entity,
            Expr::col((pa::Entity, pa::Column::Id)).equals((ar::Entity, ar::Column::ActivityId)),
        )
        .and_where(Expr::col((pa::Entity, pa::Column::RegisterId)).is_in(registers.to_vec()))
        .to_owned()
}

/// The recipients linked to an activity that processes one of `categories`.
fn recipients_of_categories(categories: &[Uuid]) -> SelectStatement {
    use entity::{activity_data_category as adc, activity_recipient as ar};
    Query::select()
        .column((ar::Entity, ar::Column::RecipientId))
        .from(ar::Entity)
        .inner_join(
            adc::Entity,
            Expr::col((adc::Entity, adc::Column::ActivityId))
                .equals((ar::Entity, ar::Column::ActivityId)),
        )
        .and_where(
            Expr::col((adc::Entity, adc::Column::PersonalDataCategoryId))
                .is_in(categories.to_vec()),
        )
        .to_owned()
}

/// The parties established in (or, with `outside`, outside) a list of countries.
fn parties_in(countries: Vec<String>, outside: bool) -> SelectStatement {
    use entity::party;
    let country = Expr::col((party::Entity, party::Column::Country));
    Query::select()
        .column((party::Entity, party::Column::Id))
        .from(party::Entity)
        .and_where(if outside {
            country.is_not_in(countries)
        } else {
            country.is_in(countries)
        })
        .and_where(Expr::col((party::Entity, party::Column::Country)).is_not_null())
        .to_owned()
}

/// The recipients of transfers to `countries` (with `outside`: to anywhere else, an
/// international organisation included).
fn recipients_of_transfers_to(countries: Vec<String>, outside: bool) -> SelectStatement {
    use entity::transfer;
    let country = || Expr::col((transfer::Entity, transfer::Column::Country));
    let destination = if outside {
        Condition::any().add(country().is_not_in(countries)).add(
            Expr::col((
                transfer::Entity,
                transfer::Column::InternationalOrganisation,
            ))
            .is_not_null(),
        )
    } else {
        Condition::all().add(country().is_in(countries))
    };
    Query::select()
        .column((transfer::Entity, transfer::Column::RecipientId))
        .from(transfer::Entity)
        .cond_where(destination)
        .and_where(Expr::col((transfer::Entity, transfer::Column::RecipientId)).is_not_null())
        .to_owned()
}

impl ListFilter {
    /// The filter as an SQL condition on its entity's table.
    pub fn condition(&self) -> Condition {
        let mut all = Condition::all();
        match self {
            ListFilter::Recipients {
                registers,
                kinds,
                countries,
                outside_eea,
                categories,
            } => {
                use entity::recipient::Column;
                if let Some(registers) = registers {
                    all = all.add(Column::Id.in_subquery(recipients_of_registers(registers)));
                }
                if let Some(kinds) = kinds {
                    all = all.add(Column::Kind.is_in(kinds.iter().copied()));
                }
                if let Some(countries) = countries {
                    all = all.add(
                        Condition::any()
                            .add(Column::PartyId.in_subquery(parties_in(countries.clone(), false)))
                            .add(
                                Column::Id.in_subquery(recipients_of_transfers_to(
                                    countries.clone(),
                                    false,
                                )),
                            ),
                    );
                }
                if let Some(outside) = outside_eea {
                    // `party_id IN (…)` is NULL, not false, without a party: NOT would keep it out.
                    let abroad = Condition::any()
                        .add(
                            Condition::all()
                                .add(Column::PartyId.is_not_null())
                                .add(Column::PartyId.in_subquery(parties_in(eea(), true))),
                        )
                        .add(Column::Id.in_subquery(recipients_of_transfers_to(eea(), true)));
                    all = all.add(if *outside { abroad } else { abroad.not() });
                }
                if let Some(categories) = categories {
                    all = all.add(Column::Id.in_subquery(recipients_of_categories(categories)));
                }
            }
            ListFilter::Processors {
                registers,
                countries,
                outside_eea,
                categories,
            } => {
                use entity::party::Column;
                use entity::recipient as r;
                all = all.add(Column::Kind.is_in([
                    entity::PartyKind::Processor,
                    entity::PartyKind::SubProcessor,
                ]));
                let parties_of = |recipients: SelectStatement| {
                    Query::select()
                        .column(r::Column::PartyId)
                        .from(r::Entity)
                        .and_where(r::Column::Id.in_subquery(recipients))
                        .and_where(r::Column::PartyId.is_not_null())
                        .to_owned()
                };
                if let Some(registers) = registers {
                    use entity::processing_activity as pa;
                    let counterparts = Query::select()
                        .column(pa::Column::CounterpartPartyId)
                        .from(pa::Entity)
                        .and_where(pa::Column::RegisterId.is_in(registers.clone()))
                        .and_where(pa::Column::CounterpartPartyId.is_not_null())
                        .to_owned();
                    all = all.add(
                        Condition::any()
                            .add(
                                Column::Id
                                    .in_subquery(parties_of(recipients_of_registers(registers))),
                            )
                            .add(Column::Id.in_subquery(counterparts)),
                    );
                }
                if let Some(countries) = countries {
                    all = all.add(Column::Country.is_in(countries.clone()));
                }
                if let Some(outside) = outside_eea {
                    let abroad = Column::Id.in_subquery(parties_in(eea(), true));
                    all = all.add(if *outside {
                        Condition::all().add(abroad)
                    } else {
                        Condition::all().add(abroad).not()
                    });
                }
                if let Some(categories) = categories {
                    all = all.add(
                        Column::Id.in_subquery(parties_of(recipients_of_categories(categories))),
                    );
                }
            }
            ListFilter::Transfers {
                countries,
                mechanisms,
                adequate,
                recipients,
                registers,
            } => {
                use entity::transfer::Column;
                if let Some(countries) = countries {
                    all = all.add(Column::Country.is_in(countries.clone()));
                }
                if let Some(mechanisms) = mechanisms {
                    all = all.add(Column::Mechanism.is_in(mechanisms.iter().copied()));
                }
                if let Some((in_force, decided)) = adequate {
                    all = all.add(if *in_force {
                        Condition::all().add(Column::Country.is_in(decided.clone()))
                    } else {
                        Condition::any()
                            .add(Column::Country.is_null())
                            .add(Column::Country.is_not_in(decided.clone()))
                    });
                }
                if let Some(recipients) = recipients {
                    all = all.add(Column::RecipientId.is_in(recipients.clone()));
                }
                if let Some(registers) = registers {
                    all = all.add(Column::RegisterId.is_in(registers.clone()));
                }
            }
        }
        all
    }
}
