//! The demo data set: the four seed notices, served as a graph.

use serde_json::{json, Value};

use crate::backend_test;
use crate::batching::FULL_GRAPH_QUERY;
use crate::helpers::TestApp;

/// The first ```graphql block of README.md: the example query a newcomer runs.
fn readme_example_query() -> String {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    let start = readme
        .find("```graphql\n")
        .expect("README has a GraphQL example")
        + "```graphql\n".len();
    let end = start + readme[start..].find("```").expect("the example block ends");
    readme[start..end].to_owned()
}

fn text_of(value: &Value) -> String {
    value.to_string()
}

backend_test! {
    async fn the_readme_example_returns_the_four_seed_organisations_and_their_registers(backend) {
        let app = TestApp::with_demo(backend).await;
        let data = app.query(&readme_example_query(), json!({})).await;
        let organisations = data["organisations"]["nodes"].as_array().expect("organisations");
        let summary: Vec<(String, usize)> = organisations
            .iter()
            .map(|o| (o["slug"].as_str().unwrap().to_owned(), o["registers"]["nodes"].as_array().unwrap().len()))
            .collect();
        assert_eq!(summary, [("coreorient".into(), 1), ("esimerkki".into(), 1), ("helpten".into(), 1), ("puuha".into(), 3)]);
        let names: Vec<&str> = organisations.iter().map(|o| o["name"].as_str().unwrap()).collect();
        assert_eq!(names, ["Coreorient Oy", "Esimerkki Oy", "Helpten Oy", "Puuha Group Oy"]);
        let ids: Vec<&str> = organisations.iter().filter_map(|o| o["businessId"].as_str()).collect();
        assert_eq!(ids, ["2388488-1", "1234567-1", "2104986-6", "1060493-2"]);
        for register in organisations.iter().flat_map(|o| o["registers"]["nodes"].as_array().unwrap()) {
            assert_eq!(register["status"], json!("PUBLISHED"));
            assert_eq!(register["name"]["text"]["isFallback"], json!(false), "every register name has an English text");
        }
    }

    async fn the_nested_query_returns_the_seed_content(backend) {
        let app = TestApp::with_demo(backend).await.without_query_limits();
        let data = app.query(FULL_GRAPH_QUERY, json!({})).await;
        let all = text_of(&data);
        // Statements of the notices, section by section, are in the graph.
        for phrase in [
            "PiggyBaggy",                          // 000 §3 register name
            "Henkilötietolaki (523/1999)",         // 000 header: the repealed act, as written
            "Tietosuojavaltuutetun toimisto",      // 001 right to complain: the authority
            "Google",                              // 001 cookies and analytics
            "Helpten",                             // 002 §1 controller
            "Puuha Group Oy",                      // 004 §1 controller
        ] {
            assert!(all.contains(phrase), "`{phrase}` is missing from the graph");
        }
        // The real contact persons of the seeds are not in the demo data.
        for real_person in ["Paloheimo", "Lampola", "Laukkanen"] {
            assert!(!all.contains(real_person), "{real_person} is a real person");
        }
        let organisations = data["organisations"]["nodes"].as_array().unwrap();
        let by_slug = |slug: &str| organisations.iter().find(|o| o["slug"] == json!(slug)).unwrap().clone();
        let activities = |o: &Value| -> Vec<Value> {
            o["registers"]["nodes"].as_array().unwrap().iter()
                .flat_map(|r| r["activities"]["nodes"].as_array().unwrap().clone())
                .collect()
        };

        // 000 and 002: a henkilötunnus is a national identity number; no legal basis was stated.
        for slug in ["coreorient", "helpten"] {
            let acts = activities(&by_slug(slug));
            assert!(acts.iter().all(|a| a["legalBasis"].is_null()), "{slug} predates the GDPR and states no legal basis");
            assert!(acts.iter().any(|a| a["personalDataCategories"]["nodes"].as_array().unwrap().iter().any(|c| c["kind"] == json!("NATIONAL_ID"))));
        }
        // 001: contract basis, ten years from the end of the customer relationship.
        let esimerkki = activities(&by_slug("esimerkki"));
        assert!(esimerkki.iter().all(|a| a["legalBasis"] == json!("CONTRACT")));
        assert!(esimerkki.iter().any(|a| a["retentionRules"]["nodes"].as_array().unwrap().iter().any(|r| r["period"] == json!("P10Y"))));
        // 004: profiling declared, legitimate interests and contract as bases.
        let puuha = by_slug("puuha");
        let puuha_acts = activities(&puuha);
        assert!(puuha_acts.iter().any(|a| a["profiling"] == json!(true)));
        assert!(puuha_acts.iter().any(|a| a["legalBasis"] == json!("LEGITIMATE_INTERESTS")));
        assert!(puuha_acts.iter().any(|a| a["legalBasis"] == json!("CONTRACT")));
        // Every seed allows transfers outside the EU/EEA without naming a country or a mechanism.
        for o in organisations {
            let transfers: Vec<Value> = activities(o).iter().flat_map(|a| a["transfers"]["nodes"].as_array().unwrap().clone()).collect();
            assert!(!transfers.is_empty(), "{} declares transfers", o["slug"]);
            assert!(transfers.iter().all(|t| t["country"].is_null() && t["mechanism"].is_null()));
        }
        // Puuha's three registers share recipients, data categories and security measures.
        let registers = puuha["registers"]["nodes"].as_array().unwrap();
        let keys_in = |register: &Value, edge: &str| -> std::collections::BTreeSet<String> {
            register["activities"]["nodes"].as_array().unwrap().iter()
                .flat_map(|a| a[edge]["nodes"].as_array().unwrap().iter().map(|n| n["key"].as_str().unwrap().to_owned()).collect::<Vec<_>>())
                .collect()
        };
        for edge in ["recipients", "personalDataCategories", "securityMeasures"] {
            let shared = registers.iter().map(|r| keys_in(r, edge)).reduce(|a, b| a.intersection(&b).cloned().collect()).unwrap();
            assert!(!shared.is_empty(), "the three Puuha registers share {edge}");
        }
        let processors: std::collections::BTreeSet<String> = registers.iter()
            .flat_map(|r| r["activities"]["nodes"].as_array().unwrap().clone())
            .flat_map(|a| a["recipients"]["nodes"].as_array().unwrap().clone())
            .filter(|r| r["kind"] == json!("PROCESSOR") && !r["party"].is_null())
            .map(|r| r["party"]["name"].as_str().unwrap().to_owned())
            .collect();
        assert!(!processors.is_empty(), "processors are named parties");
        // Every organisation names the supervisory authority for complaints.
        for o in organisations {
            assert_eq!(o["supervisoryAuthority"]["name"], json!("Tietosuojavaltuutetun toimisto"));
        }
    }
}
