//! JSON-LD with the terms of the W3C Data Privacy Vocabulary: activities are `dpv:Process`es,
//! legal bases, Art. 9(2) conditions and transfer mechanisms the IRIs of their eu-gdpr terms
//! (`https://w3id.org/dpv/legal/eu/gdpr#A6-1-a`), countries DPV locations. Our own keys are
//! mapped by [`CONTEXT`], which the document carries inline; written entry by entry.

use std::borrow::Borrow;
use std::io::Write;

use serde_json::{json, Map, Value};

use super::model::*;
use crate::error::{AppError, AppResult};

/// The @context of our JSON-LD, as shipped (`{"@context": {…}}`).
pub const CONTEXT: &str = include_str!("context.jsonld");

/// The namespace of the DPV GDPR extension.
pub const EU_GDPR: &str = "https://w3id.org/dpv/legal/eu/gdpr#";
/// The namespace of DPV locations.
pub const DPV_LOC: &str = "https://w3id.org/dpv/loc#";

/// The IRI of a legal basis, an Art. 9(2) condition or a transfer mechanism, by its DPV code.
pub fn gdpr_iri(code: &str) -> String {
    format!("{EU_GDPR}{code}")
}

fn node_iri(public_id: &str) -> String {
    format!("urn:ropa:{public_id}")
}

fn text(t: &Text) -> Value {
    json!({"@value": t.text, "@language": t.language})
}

fn opt_text(t: &Option<Text>) -> Value {
    t.as_ref().map(text).unwrap_or(Value::Null)
}

fn coded(c: &Coded) -> Value {
    json!({"code": c.code, "label": c.label})
}

/// Drops the null members: absent rather than null.
fn compact(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, compact(v)))
                .collect::<Map<_, _>>(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(compact).collect()),
        other => other,
    }
}

fn country(c: &Option<Coded>) -> Value {
    c.as_ref()
        .map(|c| Value::String(format!("{DPV_LOC}{}", c.code)))
        .unwrap_or(Value::Null)
}

fn party(p: &Party, kind: &str) -> Value {
    json!({
        "id": node_iri(&p.id),
        "type": kind,
        "name": p.name,
        "label": p.kind.label,
        "businessId": p.business_id,
        "country": country(&p.country),
        "address": p.address,
        "email": p.email,
        "telephone": p.phone,
        "url": p.website,
        "contractReference": p.contract_reference,
    })
}

fn person(p: &Person, kind: &str) -> Value {
    json!({
        "id": node_iri(&p.id),
        "type": kind,
        "name": p.name,
        "title": opt_text(&p.title),
        "address": p.address,
        "email": p.email,
        "telephone": p.phone,
    })
}

fn header_value(h: &Header) -> Map<String, Value> {
    let o = &h.organisation;
    let value = json!({
        "id": format!("urn:ropa:record:{}:{}", o.id, h.graph_version),
        "type": match h.kind {
            RecordKind::Controller => "ropa:ControllerRecord",
            RecordKind::Processor => "ropa:ProcessorRecord",
        },
        "title": h.title,
        "language": h.language,
        "producedAt": h.produced_at.to_rfc3339(),
        "asOf": h.as_of.map(|t| t.to_rfc3339()),
        "graphVersion": h.graph_version,
        "controller": {
            "id": node_iri(&o.id),
            "type": match h.kind {
                RecordKind::Controller => "dpv:DataController",
                RecordKind::Processor => "dpv:DataProcessor",
            },
            "name": o.name,
            "businessId": o.business_id,
            "country": format!("{DPV_LOC}{}", o.country.code),
            "address": o.address,
            "email": o.email,
            "telephone": o.phone,
            "url": o.website,
        },
        "jointControllers": h.joint_controllers.iter().map(|p| party(p, "dpv:JointDataControllers")).collect::<Vec<_>>(),
        "representative": h.representative.as_ref().map(|p| person(p, "dpv:Representative")),
        "dpo": h.dpo.as_ref().map(|p| person(p, "dpv:DataProtectionOfficer")),
        "supervisoryAuthority": h.supervisory_authority.as_ref().map(|p| party(p, "dpv:DataProtectionAuthority")),
        "registers": h.registers.iter().map(|r| json!({
            "id": node_iri(&r.id),
            "type": "ropa:Register",
            "name": text(&r.name),
            "code": r.slug,
            "lastReviewedOn": r.last_reviewed_on,
        })).collect::<Vec<_>>(),
    });
    match compact(value) {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

fn transfer(t: &Transfer) -> Value {
    json!({
        "id": node_iri(&t.id),
        "type": "dpv:Transfer",
        "recipients": t.recipient.as_ref().map(|r| vec![json!({"id": node_iri(&r.id), "name": text(&r.name)})]),
        "country": country(&t.country),
        "internationalOrganisation": t.international_organisation,
        "transferMechanism": t.mechanism.as_ref().map(|m| gdpr_iri(&m.code)),
        "label": t.mechanism.as_ref().map(|m| m.label.clone()),
        "adequacyDecision": t.adequacy_decision,
        "safeguardsReference": t.safeguards_reference,
        "description": opt_text(&t.description),
    })
}

fn measure_type(kind: &str) -> &'static str {
    match kind {
        "technical" => "dpv:TechnicalMeasure",
        "organisational" => "dpv:OrganisationalMeasure",
        "physical" => "dpv:PhysicalMeasure",
        _ => "dpv:TechnicalOrganisationalMeasure",
    }
}

fn measures(items: &[SecurityMeasure]) -> Vec<Value> {
    items
        .iter()
        .map(|m| {
            json!({
                "id": node_iri(&m.id),
                "type": measure_type(&m.kind.code),
                "name": text(&m.name),
                "description": opt_text(&m.description),
            })
        })
        .collect()
}

fn subjects(items: &[Named]) -> Vec<Value> {
    items
        .iter()
        .map(|s| json!({"id": node_iri(&s.id), "type": "dpv:DataSubject", "name": text(&s.name)}))
        .collect()
}

fn personal_data(items: &[DataCategory]) -> Vec<Value> {
    items
        .iter()
        .map(|d| {
            let kind = match d.kind.code.as_str() {
                "special" => "dpv:SpecialCategoryPersonalData",
                _ => "dpv:PersonalData",
            };
            json!({"id": node_iri(&d.id), "type": kind, "name": text(&d.name), "code": d.kind.code, "label": d.kind.label})
        })
        .collect()
}

/// One activity of the controller's record as a `dpv:Process`.
pub fn controller_entry(e: &ControllerEntry) -> Value {
    let mut bases: Vec<String> = Vec::new();
    bases.extend(e.legal_basis.as_ref().map(|b| gdpr_iri(&b.code)));
    compact(json!({
        "id": node_iri(&e.id),
        "type": "dpv:Process",
        "code": e.key,
        "name": text(&e.name),
        "register": node_iri(&e.register.id),
        "role": coded(&e.role),
        "jointControllers": e.joint_controller.as_ref().map(|p| party(p, "dpv:JointDataControllers")),
        "purpose": e.purposes.as_ref().map(|p| json!({"type": "dpv:Purpose", "description": text(p)})),
        "legalBasis": e.legal_basis.as_ref().map(|b| gdpr_iri(&b.code)),
        "specialCategoryCondition": e.special_category_condition.as_ref().map(|b| gdpr_iri(&b.code)),
        "legitimateInterests": opt_text(&e.legitimate_interests),
        "legitimateInterestsAssessment": e.lia_reference,
        "criminalDataBasis": opt_text(&e.criminal_data_basis),
        "nationalIdJustification": opt_text(&e.national_id_justification),
        "dataSubjects": subjects(&e.data_subjects),
        "personalData": personal_data(&e.data_categories),
        "dataSources": e.sources.iter().map(|s| json!({
            "id": node_iri(&s.id), "type": "dpv:DataSource", "name": text(&s.name), "code": s.kind.code, "label": s.kind.label,
        })).collect::<Vec<_>>(),
        "recipients": e.recipients.iter().map(|r| json!({
            "id": node_iri(&r.id),
            "type": if r.kind.code == "processor" { "dpv:DataProcessor" } else { "dpv:Recipient" },
            "name": text(&r.name),
            "code": r.kind.code,
            "label": r.kind.label,
            "thirdCountries": r.third_countries.iter().map(|c| if c.code.len() == 2 {
                Value::String(format!("{DPV_LOC}{}", c.code))
            } else {
                json!({"type": "dpv:InternationalOrganisation", "name": c.label})
            }).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "processors": e.processors.iter().map(|p| party(p, "dpv:DataProcessor")).collect::<Vec<_>>(),
        "transfersOutsideEea": e.transfers_outside_eea,
        "transfers": e.transfers.iter().map(transfer).collect::<Vec<_>>(),
        "storage": e.erasure.iter().map(|r| json!({
            "id": node_iri(&r.rule_id),
            "type": "dpv:StorageDuration",
            "appliesTo": r.data_category.as_ref().map(|c| node_iri(&c.id)),
            "duration": r.period.as_ref().map(|p| p.code.clone()),
            "label": r.period.as_ref().map(|p| p.label.clone()),
            "startsFrom": opt_text(&r.starts_from),
            "criteria": opt_text(&r.criteria),
        })).collect::<Vec<_>>(),
        "securityMeasures": measures(&e.security_measures),
        "automatedDecisionMaking": e.automated_decision_making,
        "profiling": e.profiling,
        "automatedLogic": opt_text(&e.automated_logic),
        "rights": e.rights.iter().map(coded).collect::<Vec<_>>(),
        "undeterminedRights": e.undetermined_rights.iter().map(coded).collect::<Vec<_>>(),
        "dataLocation": e.data_location,
        "dpiaStatus": coded(&e.dpia_status),
        "dpiaReference": e.dpia_reference,
        "lastReviewedOn": e.last_reviewed_on,
        "nextReviewOn": e.next_review_on,
        "created": e.created_at.to_rfc3339(),
        "modified": e.updated_at.to_rfc3339(),
    }))
}

/// One activity of the processor's record.
pub fn processor_entry(e: &ProcessorEntry) -> Value {
    compact(json!({
        "id": node_iri(&e.id),
        "type": "dpv:Process",
        "code": e.key,
        "name": text(&e.name),
        "register": node_iri(&e.register.id),
        "purpose": e.categories_of_processing.as_ref().map(|p| json!({"type": "dpv:Purpose", "description": text(p)})),
        "dataSubjects": subjects(&e.data_subjects),
        "personalData": personal_data(&e.data_categories),
        "processors": e.sub_processors.iter().map(|p| party(p, "dpv:DataSubProcessor")).collect::<Vec<_>>(),
        "transfersOutsideEea": e.transfers_outside_eea,
        "transfers": e.transfers.iter().map(transfer).collect::<Vec<_>>(),
        "securityMeasures": measures(&e.security_measures),
        "lastReviewedOn": e.last_reviewed_on,
        "nextReviewOn": e.next_review_on,
        "created": e.created_at.to_rfc3339(),
        "modified": e.updated_at.to_rfc3339(),
    }))
}

fn context() -> AppResult<Value> {
    let doc: Value = serde_json::from_str(CONTEXT).map_err(AppError::internal)?;
    Ok(doc.get("@context").cloned().unwrap_or(Value::Null))
}

fn io(e: std::io::Error) -> AppError {
    AppError::internal(e)
}

/// Writes the header's members after `{"@context": …`, leaving the object open.
fn open<W: Write>(out: &mut W, header: &Header) -> AppResult<()> {
    out.write_all(b"{\"@context\":").map_err(io)?;
    serde_json::to_writer(&mut *out, &context()?).map_err(AppError::internal)?;
    for (key, value) in header_value(header) {
        out.write_all(b",").map_err(io)?;
        serde_json::to_writer(&mut *out, &key).map_err(AppError::internal)?;
        out.write_all(b":").map_err(io)?;
        serde_json::to_writer(&mut *out, &value).map_err(AppError::internal)?;
    }
    Ok(())
}

fn list<W: Write, T>(
    out: &mut W,
    key: &str,
    items: impl IntoIterator<Item = T>,
    value: impl Fn(T) -> Value,
) -> AppResult<()> {
    write!(out, ",\"{key}\":[").map_err(io)?;
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            out.write_all(b",").map_err(io)?;
        }
        serde_json::to_writer(&mut *out, &value(item)).map_err(AppError::internal)?;
    }
    out.write_all(b"]").map_err(io)
}

/// The controller's record.
pub fn controller<W: Write, E: Borrow<ControllerEntry>>(
    mut out: W,
    header: &Header,
    entries: impl IntoIterator<Item = E>,
) -> AppResult<()> {
    open(&mut out, header)?;
    list(&mut out, "activities", entries, |e| {
        controller_entry(e.borrow())
    })?;
    out.write_all(b"}\n").map_err(io)?;
    out.flush().map_err(io)
}

/// The processor's record: one section per controller on whose behalf the activities are done.
pub fn processor<W: Write>(mut out: W, record: &ProcessorRecord) -> AppResult<()> {
    open(&mut out, &record.header)?;
    list(&mut out, "controllers", &record.controllers, |s| {
        compact(json!({
            "type": "ropa:ControllerSection",
            "controller": s.controller.as_ref().map(|p| party(p, "dpv:DataController")),
            "activities": s.entries.iter().map(processor_entry).collect::<Vec<_>>(),
        }))
    })?;
    out.write_all(b"}\n").map_err(io)?;
    out.flush().map_err(io)
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::{ActiveEnum, Iterable};

    #[test]
    fn the_context_parses_and_maps_to_dpv() {
        let c = context().unwrap();
        assert_eq!(c["eu-gdpr"], EU_GDPR);
        assert_eq!(c["legalBasis"]["@id"], "dpv:hasLegalBasis");
    }

    #[test]
    fn every_basis_and_mechanism_has_an_eu_gdpr_iri() {
        for b in entity::LegalBasis::iter() {
            assert!(gdpr_iri(&b.to_value()).starts_with("https://w3id.org/dpv/legal/eu/gdpr#A6-1-"));
        }
        for m in entity::TransferMechanism::iter() {
            let iri = gdpr_iri(&m.to_value());
            assert!(
                iri.starts_with("https://w3id.org/dpv/legal/eu/gdpr#A4"),
                "{iri}"
            );
        }
    }
}
