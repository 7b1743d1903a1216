//! Relations load in batches: a query costs the same number of SQL statements whatever the data size.

use serde_json::json;

use crate::backend_test;
use crate::helpers::TestApp;

/// Every node type and edge, nested as deep as a dashboard goes.
pub const FULL_GRAPH_QUERY: &str = r#"
query FullGraph {
  organisations(first: 100) {
    nodes {
      id slug name businessId
      contact { name } dpo { name } supervisoryAuthority { name }
      contacts(first: 100) { nodes { id name registers(first: 100) { nodes { slug } } } }
      parties(first: 100) { nodes { id name kind parentParty { name } recipients(first: 100) { nodes { key } } sources(first: 100) { nodes { key } } } }
      registers(first: 100) {
        pageInfo { hasNextPage endCursor }
        nodes {
          id slug kind status languages
          name { translations { language text } fi: text(language: FI) { text isFallback } }
          description { translations { language text } }
          rightsInstructions { translations { language text } }
          contact { name email }
          activities(first: 100) {
            nodes {
              id key legalBasis role profiling automatedDecisionMaking dpiaStatus provisionRequirement
              name { translations { language text } }
              purpose { translations { language text } en: text(language: EN) { text language isFallback } }
              legitimateInterests { translations { text } }
              automatedLogic { isEmpty }
              register { slug organisation { slug } }
              counterpart { name }
              dataSubjectCategories(first: 100) { nodes { key activities(first: 100) { nodes { key } } } }
              personalDataCategories(first: 100) { nodes { key kind retentionRules(first: 100) { nodes { period } } } }
              sources(first: 100) { nodes { key kind isPublic name { translations { text } } description { translations { text } } party { name } } }
              recipients(first: 100) { nodes { key kind name { translations { text } } description { translations { text } } party { name } transfers(first: 100) { nodes { country } } } }
              securityMeasures(first: 100) { nodes { key kind internalDetails activities(first: 100) { nodes { key } } } }
              transfers(first: 100) { nodes { country destinationInEea mechanism description { translations { text } } recipient { key } activity { key } } }
              retentionRules(first: 100) { nodes { period criteria { translations { text } } dataCategory { key } } }
            }
          }
        }
      }
    }
  }
}
"#;

/// A generated organisation document: `registers` registers of `activities` activities each,
/// every activity linked to every kind of vocabulary, with transfers and retention.
/// A generated organisation document: `registers` registers of `activities` activities each,
/// every activity linked to every kind of vocabulary, with transfers and retention. The first
/// node of each kind has every optional field and reference filled in.
pub fn synthetic_document(slug: &str, registers: usize, activities: usize) -> String {
    let mut doc = format!(
        "organisation: {{slug: {slug}, name: {slug} Oy, country: FI, business_id: 2388488-1, address: Katu 1, email: info@example.fi, phone: '+358 40 000 0000', website: 'https://www.example.fi', dpo_required: true, contact: c0, dpo: c1, representative: c2, supervisory_authority: authority}}\n\
         contacts:\n  - {{key: c0, name: Contact Zero, title: Contact, email: c0@example.fi, phone: '+358 40 000 0001', address: Katu 1}}\n  - {{key: c1, name: Contact One}}\n  - {{key: c2, name: Contact Two}}\n\
         parties:\n  - {{key: p1, name: Processor, kind: processor, parent: p0, business_id: 2104986-6, country: FI, address: Tie 2, email: p1@example.fi, phone: '+358 40 000 0002', website: 'https://p1.example.fi', contract_reference: DPA-1, description: Hosting}}\n  - {{key: p0, name: Main processor, kind: processor}}\n  - {{key: p2, name: Sub, kind: sub_processor, parent: p1}}\n  - {{key: authority, name: Authority, kind: authority}}\n\
         data_subject_categories:\n  - {{key: s1, name: Customers, description: People who buy}}\n  - {{key: s2, name: Visitors}}\n\
         personal_data_categories:\n  - {{key: d1, name: Name, description: First and last name}}\n  - {{key: d2, name: Identity code, kind: national_id}}\n\
         data_sources:\n  - {{key: o1, name: Trade register, kind: public, party: p1, description: Company data}}\n  - {{key: o2, name: Subject, kind: data_subject}}\n\
         recipients:\n  - {{key: r1, name: Cloud, kind: processor, party: p1, description: Hosting}}\n  - {{key: r2, name: Staff, kind: internal}}\n\
         security_measures:\n  - {{key: m1, name: Firewall, kind: technical, description: Filtered, internal_details: rules}}\n  - {{key: m2, name: Locks, kind: physical}}\n\
         registers:\n"
    );
    for r in 0..registers {
        doc.push_str(&format!(
            "  - slug: reg{r}\n    name: {{fi: Rekisteri {r}, en: Register {r}}}\n    description: About {r}\n    kind: customer\n    status: published\n    contact: c0\n    languages: [fi, en]\n\
             \x20   rights_instructions: Write to us\n    internal_notes: Internal {r}\n    last_reviewed_on: 2026-01-01\n    next_review_on: 2027-01-01\n    activities:\n"
        ));
        for a in 0..activities {
            doc.push_str(&format!(
                "      - key: act{a}\n        name: Activity {a}\n        purpose: {{fi: Tarkoitus {a}}}\n        legal_basis: contract\n        counterpart: p1\n\
                 \x20       legitimate_interests: Service\n        special_category_condition: explicit_consent\n        criminal_data_basis: Law\n        national_id_justification: Identification\n\
                 \x20       consent_withdrawal: Link\n        provision_requirement: contractual\n        provision_consequence: No service\n        role: joint_controller\n\
                 \x20       automated_decision_making: true\n        profiling: true\n        automated_logic: Scores\n        automated_consequences: Offers\n        dpia_status: completed\n\
                 \x20       dpia_reference: DPIA-1\n        internal_notes: Internal\n        last_reviewed_on: 2026-01-01\n        next_review_on: 2027-01-01\n\
                 \x20       data_subjects: [s1, s2]\n        data_categories: [d1, d2]\n        sources: [o1, o2]\n        recipients: [r1, r2]\n        security_measures: [m1, m2]\n\
                 \x20       transfers: [{{recipient: r1, country: US, mechanism: standard_contractual_clauses, safeguards_reference: SCC-1, international_organisation: None, safeguards_copy: Ask us, description: Hosting}}]\n\
                 \x20       retention: [{{period: P10Y, data_category: d1, criteria: Law, starts_from: End}}, {{criteria: Until withdrawn}}]\n"
            ));
        }
    }
    doc
}

/// Imports `organisations` generated organisations into the app's database.
pub async fn load_synthetic(
    app: &TestApp,
    organisations: usize,
    registers: usize,
    activities: usize,
) {
    for o in 0..organisations {
        let doc = ropa::service::import::parse(&synthetic_document(
            &format!("org{o}"),
            registers,
            activities,
        ))
        .expect("parses");
        ropa::service::import::import(&app.db, &doc)
            .await
            .expect("imports");
    }
    app.sign_in_as_auditor_everywhere().await;
}

async fn statements_for_full_query(app: &TestApp) -> (usize, serde_json::Value) {
    app.reset_statement_count();
    let data = app.query(FULL_GRAPH_QUERY, json!({})).await;
    (app.statement_count(), data)
}

fn count_activities(data: &serde_json::Value) -> usize {
    data["organisations"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|o| o["registers"]["nodes"].as_array().unwrap())
        .map(|r| r["activities"]["nodes"].as_array().unwrap().len())
        .sum()
}

backend_test! {
    async fn statement_count_does_not_grow_with_the_data(backend) {
        let small = TestApp::spawn(backend).await.without_query_limits();
        load_synthetic(&small, 2, 2, 3).await;
        let (small_count, small_data) = statements_for_full_query(&small).await;

        let large = TestApp::spawn(backend).await.without_query_limits();
        load_synthetic(&large, 20, 4, 15).await;
        let (large_count, large_data) = statements_for_full_query(&large).await;

        assert_eq!(count_activities(&small_data), 12);
        assert_eq!(count_activities(&large_data), 12 * 100, "the larger set holds 100× the activities");
        assert_eq!(small_count, large_count, "SQL statements: {small_count} on the small set, {large_count} on the large one");
        assert!(small_count < 40, "the full query takes {small_count} statements");
    }
}
