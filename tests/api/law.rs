//! Every legal condition of `ropa::domain::law` through the write path (the GraphQL mutations)
//! and the checks (`checks::check_organisation`), on the same fixtures: a condition that blocks
//! refuses a save in a register in use exactly where the checks report it (and a draft saves
//! it, reported); a condition that only reports saves everywhere and is reported.

use chrono::Utc;
use entity::Role;
use ropa::checks;
use ropa::domain::law::{Predicate, Unmet, PREDICATES};
use ropa::ids::{encode, NodeKind};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::backend_test;
use crate::batching::load_synthetic;
use crate::helpers::{error_code, TestApp};

/// The IDs the fixtures link to.
struct Ids {
    org: Uuid,
    published: String,
    draft: String,
    special: String,
    criminal: String,
    national_id: String,
}

/// One state of an activity (the fields of `createProcessingActivity` beyond its register, key
/// and name), or of a transfer of a plain activity (the fields of `createTransfer`).
enum State {
    Activity(Value),
    Transfer(Value),
}

/// A state that meets the condition, or one that leaves it unmet.
struct Case {
    meets: bool,
    state: State,
}

fn meets(state: State) -> Case {
    Case { meets: true, state }
}

fn fails(state: State) -> Case {
    Case {
        meets: false,
        state,
    }
}

fn text(t: &str) -> Value {
    json!([{"language": "fi", "text": t}])
}

/// The fixtures of every predicate, by name.
fn fixtures(ids: &Ids) -> Vec<(&'static str, Vec<Case>)> {
    use State::{Activity as A, Transfer as T};
    vec![
        (
            "legitimate_interests_unstated",
            vec![
                fails(A(json!({"legalBasis": "LEGITIMATE_INTERESTS"}))),
                meets(A(
                    json!({"legalBasis": "LEGITIMATE_INTERESTS", "legitimateInterests": text("Asiakassuhde.")}),
                )),
                meets(A(json!({"legalBasis": "CONTRACT"}))),
            ],
        ),
        (
            "consent_withdrawal_unstated",
            vec![
                fails(A(json!({"legalBasis": "CONSENT"}))),
                // Explicit consent to special categories (Art. 9(2)(a)) is consent too.
                fails(A(
                    json!({"legalBasis": "CONTRACT", "specialCategoryCondition": "EXPLICIT_CONSENT", "linkedIds": [ids.special]}),
                )),
                meets(A(
                    json!({"legalBasis": "CONSENT", "consentWithdrawal": text("Oma tili -sivulla.")}),
                )),
                meets(A(json!({"legalBasis": "CONTRACT"}))),
            ],
        ),
        (
            "special_category_without_condition",
            vec![
                fails(A(
                    json!({"legalBasis": "CONTRACT", "linkedIds": [ids.special]}),
                )),
                meets(A(
                    json!({"legalBasis": "CONTRACT", "linkedIds": [ids.special], "specialCategoryCondition": "HEALTH_OR_SOCIAL_CARE"}),
                )),
            ],
        ),
        (
            "criminal_data_without_basis",
            vec![
                fails(A(
                    json!({"legalBasis": "CONTRACT", "linkedIds": [ids.criminal]}),
                )),
                meets(A(
                    json!({"legalBasis": "CONTRACT", "linkedIds": [ids.criminal], "criminalDataBasis": text("Rikosrekisterilaki 6 §.")}),
                )),
            ],
        ),
        (
            "national_id_unjustified",
            vec![
                fails(A(
                    json!({"legalBasis": "CONTRACT", "linkedIds": [ids.national_id]}),
                )),
                meets(A(
                    json!({"legalBasis": "CONTRACT", "linkedIds": [ids.national_id], "nationalIdJustification": text("Luotonanto (tietosuojalaki 29 §).")}),
                )),
            ],
        ),
        (
            "automated_decision_unexplained",
            vec![
                fails(A(
                    json!({"legalBasis": "CONTRACT", "profiling": false, "automatedDecisionMaking": true, "automatedLogic": [], "automatedConsequences": []}),
                )),
                // The logic without the consequences is not the information Art. 13(2)(f) asks.
                fails(A(
                    json!({"legalBasis": "CONTRACT", "profiling": false, "automatedDecisionMaking": true, "automatedLogic": text("Pisteytys."), "automatedConsequences": []}),
                )),
                meets(A(
                    json!({"legalBasis": "CONTRACT", "profiling": false, "automatedDecisionMaking": true, "automatedLogic": text("Pisteytys."), "automatedConsequences": text("Tarjoukset.")}),
                )),
            ],
        ),
        (
            "profiling_unexplained",
            vec![
                fails(A(
                    json!({"legalBasis": "CONTRACT", "profiling": true, "automatedDecisionMaking": false, "automatedLogic": [], "automatedConsequences": []}),
                )),
                meets(A(
                    json!({"legalBasis": "CONTRACT", "profiling": true, "automatedDecisionMaking": false, "automatedLogic": text("Kiinnostukset."), "automatedConsequences": text("Tarjoukset.")}),
                )),
                // Unknown is no profiling declared: nothing to explain (it is a finding of its own).
                meets(A(
                    json!({"legalBasis": "CONTRACT", "profiling": null, "automatedDecisionMaking": null, "automatedLogic": [], "automatedConsequences": []}),
                )),
            ],
        ),
        (
            "transfer_without_destination",
            vec![
                fails(T(json!({"mechanism": "STANDARD_CONTRACTUAL_CLAUSES"}))),
                meets(T(
                    json!({"country": "US", "mechanism": "STANDARD_CONTRACTUAL_CLAUSES"}),
                )),
                meets(T(
                    json!({"internationalOrganisation": "UNHCR", "mechanism": "STANDARD_CONTRACTUAL_CLAUSES"}),
                )),
            ],
        ),
        (
            "transfer_to_destination_without_mechanism",
            vec![
                fails(T(json!({"country": "US"}))),
                fails(T(json!({"internationalOrganisation": "UNHCR"}))),
                meets(T(
                    json!({"country": "US", "mechanism": "STANDARD_CONTRACTUAL_CLAUSES"}),
                )),
            ],
        ),
        (
            "transfer_without_destination_or_mechanism",
            vec![
                fails(T(json!({}))),
                meets(T(
                    json!({"country": "JP", "mechanism": "ADEQUACY_DECISION"}),
                )),
            ],
        ),
        (
            "adequacy_not_in_force",
            vec![
                // China has no adequacy decision; Japan has one (2019/419).
                fails(T(
                    json!({"country": "CN", "mechanism": "ADEQUACY_DECISION"}),
                )),
                meets(T(
                    json!({"country": "JP", "mechanism": "ADEQUACY_DECISION"}),
                )),
            ],
        ),
        (
            "derogation_undocumented",
            vec![
                fails(T(
                    json!({"country": "US", "mechanism": "DEROGATION_CONSENT"}),
                )),
                meets(T(
                    json!({"country": "US", "mechanism": "DEROGATION_CONSENT", "description": text("Nimenomainen suostumus siirtoon.")}),
                )),
            ],
        ),
    ]
}

/// Every state of the fixtures that meets its condition.
fn fixtures_of_meeting_states(ids: &Ids) -> Vec<State> {
    fixtures(ids)
        .into_iter()
        .flat_map(|(_, cases)| cases)
        .filter(|c| c.meets)
        .map(|c| c.state)
        .collect()
}

const CREATE_ACTIVITY: &str = "mutation($i: CreateProcessingActivityInput!) { createProcessingActivity(input: $i) { processingActivity { id } } }";
const CREATE_TRANSFER: &str =
    "mutation($i: CreateTransferInput!) { createTransfer(input: $i) { transfer { id } } }";

/// What a save gave: the node's ID, or the refusal's code and field.
enum Saved {
    Node(Uuid),
    Refused(String, Value),
}

struct Run<'a> {
    app: &'a TestApp,
    token: String,
    keys: std::cell::Cell<usize>,
}

impl Run<'_> {
    async fn call(&self, query: &str, input: Value) -> Value {
        self.app
            .graphql_as(Some(&self.token), query, json!({"i": input}))
            .await
    }

    fn saved(response: &Value, path: &[&str]) -> Saved {
        if response.get("errors").is_some() {
            return Saved::Refused(
                error_code(response).to_owned(),
                response["errors"][0]["extensions"]["field"].clone(),
            );
        }
        let mut node = &response["data"];
        for step in path {
            node = &node[step];
        }
        let id = node["id"].as_str().expect("a saved node has an ID");
        Saved::Node(ropa::ids::decode(id).expect("a public ID").1)
    }

    fn key(&self) -> String {
        let n = self.keys.get() + 1;
        self.keys.set(n);
        format!("a{n}")
    }

    async fn activity(&self, register: &str, fields: &Value) -> Saved {
        let mut input = fields.clone();
        input["registerId"] = json!(register);
        input["key"] = json!(self.key());
        input["name"] = text("Toiminto");
        let response = self.call(CREATE_ACTIVITY, input).await;
        Self::saved(
            &response,
            &["createProcessingActivity", "processingActivity"],
        )
    }

    /// Saves the state in `register`: the node it concerns, or the refusal.
    async fn save(&self, register: &str, state: &State) -> Saved {
        match state {
            State::Activity(fields) => self.activity(register, fields).await,
            State::Transfer(fields) => {
                let Saved::Node(activity) = self
                    .activity(register, &json!({"legalBasis": "CONTRACT"}))
                    .await
                else {
                    panic!("a plain activity saves");
                };
                let mut input = fields.clone();
                input["activityId"] = json!(encode(NodeKind::ProcessingActivity, activity));
                let response = self.call(CREATE_TRANSFER, input).await;
                Self::saved(&response, &["createTransfer", "transfer"])
            }
        }
    }
}

fn kind_matches(p: &Predicate, state: &State) -> bool {
    matches!(
        (p.unmet, state),
        (Unmet::Activity(_), State::Activity(_)) | (Unmet::Transfer(_), State::Transfer(_))
    )
}

async fn category(run: &Run<'_>, org: &str, key: &str, kind: &str) -> String {
    let response = run
        .call(
            "mutation($i: CreatePersonalDataCategoryInput!) { createPersonalDataCategory(input: $i) { personalDataCategory { id } } }",
            json!({"organisationId": org, "key": key, "name": text(key), "kind": kind}),
        )
        .await;
    response["data"]["createPersonalDataCategory"]["personalDataCategory"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{response:#}"))
        .to_owned()
}

backend_test! {
    async fn every_legal_condition_is_refused_by_the_write_path_exactly_where_the_checks_report_it(backend) {
        let app = TestApp::spawn(backend).await;
        load_synthetic(&app, 1, 1, 1).await;
        let org = entity::organisation::Entity::find()
            .filter(entity::organisation::Column::Slug.eq("org0"))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        let published = entity::register::Entity::find()
            .filter(entity::register::Column::OrganisationId.eq(org.id))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(published.status, entity::RegisterStatus::Published);
        let run = Run { app: &app, token: app.token("org0", Role::Editor, None).await, keys: Default::default() };
        let org_id = encode(NodeKind::Organisation, org.id);
        let draft = run
            .call(
                "mutation($i: CreateRegisterInput!) { createRegister(input: $i) { register { id status } } }",
                json!({"organisationId": org_id, "slug": "luonnos", "kind": "CUSTOMER", "name": text("Luonnos")}),
            )
            .await;
        assert_eq!(draft["data"]["createRegister"]["register"]["status"], json!("DRAFT"), "{draft:#}");
        let ids = Ids {
            org: org.id,
            published: encode(NodeKind::Register, published.id),
            draft: draft["data"]["createRegister"]["register"]["id"].as_str().unwrap().to_owned(),
            special: category(&run, &org_id, "terveys", "SPECIAL").await,
            criminal: category(&run, &org_id, "rikos", "CRIMINAL").await,
            national_id: category(&run, &org_id, "hetu", "NATIONAL_ID").await,
        };
        let mut fixtures = fixtures(&ids);

        // (predicate, case, node in use or its refusal, node in the draft)
        let mut saved = Vec::new();
        for p in PREDICATES {
            let at = fixtures
                .iter()
                .position(|(name, _)| *name == p.name)
                .unwrap_or_else(|| panic!("the predicate {} has no fixture here", p.name));
            let (_, cases) = fixtures.swap_remove(at);
            assert!(cases.iter().any(|c| c.meets) && cases.iter().any(|c| !c.meets), "{}: a state meeting it and one failing it", p.name);
            for case in cases {
                assert!(kind_matches(p, &case.state), "{}: a fixture of the wrong kind of node", p.name);
                let in_use = run.save(&ids.published, &case.state).await;
                let Saved::Node(in_draft) = run.save(&ids.draft, &case.state).await else {
                    panic!("{}: a draft saves every state", p.name);
                };
                saved.push((p, case.meets, in_use, in_draft));
            }
        }
        assert!(fixtures.is_empty(), "fixtures of no predicate: {:?}", fixtures.iter().map(|(n, _)| *n).collect::<Vec<_>>());

        let findings = checks::check_organisation(&app.db, &app.state.adequacy, ids.org, Utc::now().date_naive())
            .await
            .unwrap();
        let reported = |rule: &str, node: Uuid| findings.iter().any(|f| f.rule.code == rule && f.hit.id == node);
        for (p, meets, in_use, in_draft) in saved {
            let what = format!("{} ({}) on a state that {}", p.name, p.article, if meets { "meets it" } else { "fails it" });
            // The checks report it in the draft exactly where it is unmet.
            assert_eq!(reported(p.rule, in_draft), !meets, "{what}: reported in the draft");
            match in_use {
                Saved::Refused(code, field) => {
                    assert!(p.blocks && !meets, "{what}: refused ({code} {field})");
                    assert_eq!((code.as_str(), field), ("BAD_USER_INPUT", json!(p.field)), "{what}");
                }
                Saved::Node(node) => {
                    assert!(!p.blocks || meets, "{what}: blocks, yet saved in a register in use");
                    assert_eq!(reported(p.rule, node), !meets, "{what}: reported in the register in use");
                }
            }
        }

        // The draft holds every gap; it is refused leaving the draft status while it does, and
        // a draft with none leaves it.
        let admin = app.token("org0", Role::Admin, None).await;
        let publish = |register: String| {
            let admin = admin.clone();
            let app = &app;
            async move {
                let id = ropa::ids::decode(&register).unwrap().1;
                let version = entity::register::Entity::find_by_id(id).one(&app.db).await.unwrap().unwrap().version;
                app.graphql_as(
                    Some(&admin),
                    "mutation($i: UpdateRegisterInput!) { updateRegister(input: $i) { register { status } } }",
                    json!({"i": {"id": register, "version": version, "status": "PUBLISHED"}}),
                )
                .await
            }
        };
        let refused = publish(ids.draft.clone()).await;
        assert_eq!(error_code(&refused), "BAD_USER_INPUT", "{refused:#}");
        assert_eq!(refused["errors"][0]["extensions"]["field"], json!("status"), "{refused:#}");
        // Publishing its notice would put it in use as well: refused alike, and it stays a draft.
        let notice = app
            .graphql_as(
                Some(&admin),
                "mutation($i: PublishNoticeInput!) { publishNotice(input: $i) { version { number } } }",
                json!({"i": {"registerId": ids.draft}}),
            )
            .await;
        assert_eq!(error_code(&notice), "BAD_USER_INPUT", "{notice:#}");
        assert_eq!(notice["errors"][0]["extensions"]["field"], json!("registerId"), "{notice:#}");
        let draft = entity::register::Entity::find_by_id(ropa::ids::decode(&ids.draft).unwrap().1).one(&app.db).await.unwrap().unwrap();
        assert_eq!(draft.status, entity::RegisterStatus::Draft);
        let clean = run
            .call(
                "mutation($i: CreateRegisterInput!) { createRegister(input: $i) { register { id } } }",
                json!({"organisationId": org_id, "slug": "valmis", "kind": "CUSTOMER", "name": text("Valmis")}),
            )
            .await["data"]["createRegister"]["register"]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        for case in fixtures_of_meeting_states(&ids) {
            assert!(matches!(run.save(&clean, &case).await, Saved::Node(_)));
        }
        let published = publish(clean).await;
        assert_eq!(published["data"]["updateRegister"]["register"]["status"], json!("PUBLISHED"), "{published:#}");
    }
}
