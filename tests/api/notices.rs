//! Privacy notices: what they say for which graph, publishing, the public read, staleness and
//! the golden files of the demo registers in every language and format.

use std::collections::BTreeMap;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use chrono::NaiveDate;
use entity::Role;
use ropa::notice::render::{render, Format, Meta};
use ropa::notice::{Lang, Notice, RegisterGraph, SectionId};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde_json::{json, Value};

use crate::backend_test;
use crate::helpers::{error_code, TestApp};

/// The day the notices are built for: adequacy decisions in force then.
fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
}

async fn register_id(app: &TestApp, organisation: &str, register: &str) -> uuid::Uuid {
    let org = entity::organisation::Entity::find()
        .filter(entity::organisation::Column::Slug.eq(organisation))
        .one(&app.db)
        .await
        .unwrap()
        .expect("organisation");
    entity::register::Entity::find()
        .filter(entity::register::Column::OrganisationId.eq(org.id))
        .filter(entity::register::Column::Slug.eq(register))
        .one(&app.db)
        .await
        .unwrap()
        .expect("register")
        .id
}

async fn draft(app: &TestApp, organisation: &str, register: &str, lang: Lang) -> Notice {
    let id = register_id(app, organisation, register).await;
    let graph = RegisterGraph::load(&app.db, id).await.unwrap();
    ropa::notice::draft(&graph, lang, &app.state.adequacy, day()).unwrap()
}

/// Every line of a section, labels and items included.
fn lines(notice: &Notice, id: SectionId) -> Vec<String> {
    notice
        .section(id)
        .map(|s| s.statements.iter().flat_map(|st| st.texts()).collect())
        .unwrap_or_default()
}

fn has_section(notice: &Notice, id: SectionId) -> bool {
    notice.section(id).is_some_and(|s| !s.statements.is_empty())
}

/// An organisation with one register whose activities are `activities` (YAML, indented for a
/// list under `activities:`), and a vocabulary they can name: sources `self`, `third`, `public`,
/// `cookies`; categories `name`, `health`; recipients `staff`, `host`.
fn organisation(slug: &str, activities: &str) -> String {
    format!(
        r#"
organisation:
  slug: {slug}
  name: Testi Oy
  business_id: 2388488-1
  country: FI
  email: tietosuoja@example.fi
  default_language: fi
  contact: dpo
  dpo: dpo
  supervisory_authority: valvoja
contacts:
  - key: dpo
    name: Tiina Testaaja
    email: tiina@example.fi
parties:
  - key: valvoja
    name: Tietosuojavaltuutetun toimisto
    kind: authority
    country: FI
    email: tietosuoja@om.fi
  - key: pilvi
    name: Pilvi Inc.
    kind: processor
    country: US
data_subject_categories:
  - key: asiakkaat
    name: {{fi: Asiakkaat, sv: Kunder, en: Customers}}
personal_data_categories:
  - key: name
    name: {{fi: Nimi, sv: Namn, en: Name}}
  - key: health
    kind: special
    name: {{fi: Terveystiedot, sv: Hälsouppgifter, en: Health data}}
data_sources:
  - key: self
    kind: data_subject
    name: {{fi: Asiakas itse, sv: Kunden själv, en: The customer}}
  - key: third
    kind: third_party
    name: {{fi: Kumppanit, sv: Partner, en: Partners}}
  - key: public
    kind: public
    name: {{fi: Kaupparekisteri, sv: Handelsregistret, en: Trade register}}
  - key: cookies
    kind: observed
    name: {{fi: Evästeet, sv: Kakor, en: Cookies}}
recipients:
  - key: staff
    kind: internal
    name: {{fi: Henkilöstö, sv: Personal, en: Staff}}
  - key: host
    kind: processor
    party: pilvi
    name: {{fi: Palvelinpalvelu, sv: Servertjänst, en: Hosting}}
security_measures:
  - key: access
    kind: technical
    name: {{fi: Käyttöoikeudet, sv: Åtkomsträtter, en: Access rights}}
registers:
  - slug: rek
    kind: customer
    status: draft
    languages: [fi, sv, en]
    name: {{fi: Asiakasrekisteri, sv: Kundregister, en: Customer register}}
    activities:
{activities}
"#
    )
}

/// One activity: `basis` and the sources it names, with everything else a notice needs.
fn activity(key: &str, basis: &str, sources: &str, extra: &str) -> String {
    format!(
        r#"      - key: {key}
        name: {{fi: "Toiminto {key}", sv: "Verksamhet {key}", en: "Activity {key}"}}
        purpose: {{fi: "Tarkoitus {key}", sv: "Ändamål {key}", en: "Purpose {key}"}}
        legal_basis: {basis}
        data_subjects: [asiakkaat]
        data_categories: [name]
        sources: [{sources}]
        recipients: [staff]
        security_measures: [access]
        automated_means: true
        retention:
          - period: P2Y
{extra}
"#
    )
}

async fn import(app: &TestApp, document: &str) {
    let doc = ropa::service::import::parse(document).expect("the test document parses");
    ropa::service::import::import(&app.db, &doc)
        .await
        .expect("the test document imports");
}

backend_test! {
    async fn a_partial_adequacy_decision_is_described_in_the_notices_own_language(backend) {
        let app = TestApp::with_demo(backend).await;
        let dpo = app.token("puuha", Role::Dpo, None).await;
        let activity = entity::processing_activity::Entity::find()
            .filter(entity::processing_activity::Column::RegisterId.eq(register_id(&app, "puuha", "asiakasrekisteri").await))
            .one(&app.db).await.unwrap().unwrap();
        let response = app.graphql_as(
            Some(&dpo),
            "mutation($i: CreateTransferInput!) { createTransfer(input: $i) { transfer { id } } }",
            json!({"i": {"activityId": ropa::ids::encode(ropa::ids::NodeKind::ProcessingActivity, activity.id), "country": "US", "mechanism": "ADEQUACY_DECISION"}}),
        ).await;
        assert!(response.get("errors").is_none(), "{response}");
        for (lang, scope) in [
            (Lang::Fi, "tietosuojakehyksen (EU-US Data Privacy Framework) mukaisesti sertifioidut organisaatiot"),
            (Lang::Sv, "Organisationer som är certifierade enligt ramen för dataskydd mellan EU och USA"),
            (Lang::En, "Organisations certified under the EU-US Data Privacy Framework"),
        ] {
            let json = render(&draft(&app, "puuha", "asiakasrekisteri", lang).await, Format::Json, &Meta::draft()).unwrap();
            assert!(json.contains(scope), "{}: {json}", lang.tag());
            if lang != Lang::En {
                assert!(!json.contains("Organisations certified"), "English in the {} notice", lang.tag());
            }
        }
    }

    async fn art14_sections_appear_exactly_when_a_third_party_or_public_source_is_linked(backend) {
        let app = TestApp::spawn(backend).await;
        for (slug, sources, art14) in [
            ("own", "self", false),
            ("observed", "self, cookies", false),
            ("third", "self, third", true),
            ("public", "public", true),
        ] {
            import(&app, &organisation(slug, &activity("a", "contract", sources, ""))).await;
            for lang in Lang::ALL {
                let notice = draft(&app, slug, "rek", lang).await;
                assert_eq!(
                    has_section(&notice, SectionId::ObtainedElsewhere),
                    art14,
                    "{slug} ({sources}) in {lang:?}: the Art. 14 section"
                );
                let articles = if art14 { vec!["13", "14"] } else { vec!["13"] };
                assert_eq!(notice.articles, articles, "{slug}: the articles given under");
                let cites_14 = notice
                    .sections
                    .iter()
                    .flat_map(|s| &s.articles)
                    .any(|a| a.starts_with("14("));
                assert_eq!(cites_14, art14, "{slug}: sections cite Art. 14 exactly when it applies");
                if art14 {
                    let public = lines(&notice, SectionId::ObtainedElsewhere).join("\n");
                    let says_public = ropa::notice::catalogue::catalogue()
                        .unwrap()
                        .sentences
                        .public_source
                        .get(lang)
                        .to_owned();
                    assert_eq!(public.contains(&says_public), slug == "public", "{slug}: whether public");
                }
            }
        }
    }

    async fn rights_follow_the_legal_bases_and_withdrawal_appears_exactly_with_consent(backend) {
        let app = TestApp::spawn(backend).await;
        let activities = [
            activity("law", "legal_obligation", "self", ""),
            activity("deal", "contract", "self", ""),
            activity("ads", "consent", "self", "        consent_withdrawal: {fi: Peru asetuksista, en: Withdraw in settings}"),
            activity("crm", "legitimate_interests", "self", "        legitimate_interests: {fi: Asiakassuhde, en: The customer relationship}"),
        ]
        .concat();
        import(&app, &organisation("bases", &activities)).await;
        let notice = draft(&app, "bases", "rek", Lang::En).await;
        let rights = &notice.section(SectionId::Rights).expect("rights").statements;
        let applies = |start: &str| -> Vec<String> {
            rights
                .iter()
                .find(|s| s.text.starts_with(start))
                .map(|s| s.items.iter().flat_map(|i| i.texts()).collect())
                .unwrap_or_default()
        };
        assert_eq!(applies("Right of access"), ["This right applies to all processing in this register."]);
        assert_eq!(
            applies("Right to erasure"),
            ["Applies to: Activity deal; Activity ads; Activity crm"],
            "no erasure under a legal obligation"
        );
        assert_eq!(applies("Right to data portability"), ["Applies to: Activity deal; Activity ads"]);
        assert_eq!(applies("Right to object"), ["Applies to: Activity crm"]);
        assert!(applies("Right not to be subject").is_empty(), "no automated decisions declared");
        let withdrawal = lines(&notice, SectionId::WithdrawConsent);
        assert!(withdrawal[0].starts_with("Where processing is based on your consent"), "{withdrawal:?}");
        assert!(withdrawal.contains(&"Activity ads: Withdraw in settings".to_owned()), "{withdrawal:?}");
        assert_eq!(
            lines(&notice, SectionId::LegitimateInterests),
            ["Activity crm: The customer relationship"]
        );

        // No consent anywhere: no withdrawal section, in any language.
        import(&app, &organisation("noconsent", &activity("deal", "contract", "self", ""))).await;
        for lang in Lang::ALL {
            let notice = draft(&app, "noconsent", "rek", lang).await;
            assert!(!has_section(&notice, SectionId::WithdrawConsent), "{lang:?}");
            assert!(notice.section(SectionId::WithdrawConsent).is_none(), "{lang:?}: no gap either");
        }
        // Explicit consent under Art. 9(2)(a) also gives the sentence.
        let explicit = activity(
            "care",
            "contract",
            "self",
            "        special_category_condition: explicit_consent\n        consent_withdrawal: {fi: Ilmoita meille}",
        )
        .replace("data_categories: [name]", "data_categories: [name, health]");
        import(&app, &organisation("explicit", &explicit)).await;
        let notice = draft(&app, "explicit", "rek", Lang::Fi).await;
        assert!(has_section(&notice, SectionId::WithdrawConsent));
        // Consent without a way to withdraw it: the sentence, and a gap for the editors.
        import(&app, &organisation("nohow", &activity("ads", "consent", "self", ""))).await;
        let notice = draft(&app, "nohow", "rek", Lang::En).await;
        let section = notice.section(SectionId::WithdrawConsent).expect("section");
        assert_eq!(section.statements.len(), 1);
        assert_eq!(section.gaps.len(), 1, "{:?}", section.gaps);
        assert!(section.gaps[0].message.contains("Activity ads"));
    }

    async fn transfers_show_their_mechanism_and_adequacy_status(backend) {
        let app = TestApp::spawn(backend).await;
        let transfers = [
            "        transfers:",
            "          - country: JP",
            "            mechanism: adequacy_decision",
            "          - country: IN",
            "            recipient: host",
            "            mechanism: standard_contractual_clauses",
            "            safeguards_copy: {en: Ask privacy@example.fi for a copy of the clauses.}",
            "          - country: BR",
            "            mechanism: binding_corporate_rules",
        ]
        .join("\n");
        import(&app, &organisation("abroad", &activity("a", "contract", "self", &transfers))).await;
        let notice = draft(&app, "abroad", "rek", Lang::En).await;
        let section = notice.section(SectionId::Transfers).expect("transfers");
        let find = |label: &str| {
            section
                .statements
                .iter()
                .find(|s| s.label.as_deref() == Some(label))
                .unwrap_or_else(|| panic!("no transfer {label}: {section:#?}"))
                .texts()
        };
        let japan = find("Country: Japan");
        assert!(japan.contains(&"Safeguard: Adequacy decision of the European Commission (Art. 45)".to_owned()), "{japan:?}");
        assert!(japan.iter().any(|l| l.starts_with("The European Commission has decided that Japan ensures an adequate level of protection (Commission Implementing Decision (EU) 2019/419)")), "{japan:?}");
        assert!(japan.iter().any(|l| l.starts_with("The decision covers only some recipients")), "{japan:?}");
        let india = find("Country: India");
        assert!(india.contains(&"Recipient: Hosting".to_owned()), "{india:?}");
        assert!(india.contains(&"Safeguard: Standard contractual clauses adopted by the Commission (Art. 46(2)(c))".to_owned()), "{india:?}");
        assert!(india.contains(&"The European Commission has not decided that India ensures an adequate level of protection.".to_owned()), "{india:?}");
        assert!(india.contains(&"Copy of the safeguards: Ask privacy@example.fi for a copy of the clauses.".to_owned()), "{india:?}");
        let brazil = find("Country: Brazil");
        assert!(brazil.contains(&"You can obtain a copy of the safeguards by asking the controller.".to_owned()), "{brazil:?}");
        assert_eq!(section.gaps.len(), 1, "{:?}", section.gaps);
        assert!(section.gaps[0].message.contains("how a copy of its safeguards"), "{:?}", section.gaps);
        // The Finnish notice names the countries in Finnish.
        let fi = draft(&app, "abroad", "rek", Lang::Fi).await;
        let labels: Vec<_> = fi.section(SectionId::Transfers).unwrap().statements.iter().filter_map(|s| s.label.clone()).collect();
        assert_eq!(labels, ["Maa: Japani", "Maa: Intia", "Maa: Brasilia"]);
        // No transfers declared: the notice says so; none declared, it says nothing (a gap).
        import(&app, &organisation("home", &activity("a", "contract", "self", "        transfers_outside_eea: false"))).await;
        let home = draft(&app, "home", "rek", Lang::En).await;
        assert_eq!(
            lines(&home, SectionId::Transfers),
            ["Personal data is not transferred outside the EU or the European Economic Area (EEA)."]
        );
        import(&app, &organisation("unsaid", &activity("a", "contract", "self", ""))).await;
        let unsaid = draft(&app, "unsaid", "rek", Lang::En).await;
        assert!(lines(&unsaid, SectionId::Transfers).is_empty());
        let gaps = &unsaid.section(SectionId::Transfers).expect("the gap").gaps;
        assert!(gaps[0].message.starts_with("Whether data is transferred outside the EU/EEA is not declared"), "{gaps:?}");
    }

    async fn a_text_missing_in_the_language_falls_back_visibly(backend) {
        let app = TestApp::spawn(backend).await;
        let only_finnish = activity("a", "contract", "self", "")
            .replace(r#"purpose: {fi: "Tarkoitus a", sv: "Ändamål a", en: "Purpose a"}"#, r#"purpose: {fi: "Vain suomeksi"}"#);
        import(&app, &organisation("kieli", &only_finnish)).await;
        let notice = draft(&app, "kieli", "rek", Lang::Sv).await;
        let purpose = &notice.section(SectionId::Purposes).unwrap().statements[0];
        assert_eq!(purpose.text, "Vain suomeksi");
        assert_eq!(purpose.language, "fi");
        assert!(purpose.fallback);
        let html = render(&notice, Format::Html, &Meta::draft()).unwrap();
        assert!(html.contains(r#"<span lang="fi">Vain suomeksi</span> <span class="fallback">(endast på finska)</span>"#), "{html}");
        let text = render(&notice, Format::Text, &Meta::draft()).unwrap();
        assert!(text.contains("Vain suomeksi (endast på finska)"), "{text}");
    }

    async fn publishing_freezes_a_version_that_anonymous_users_read(backend) {
        let app = TestApp::with_demo(backend).await;
        // Nothing published yet: nothing public.
        let (status, _) = app.get("/notices/puuha/asiakasrekisteri").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let public = "query($o: String!, $r: String!, $v: Int) { publishedNotice(organisation: $o, register: $r, version: $v) {
            number languages contentHash document(language: EN) { language sections { id gaps { message } } } } }";
        let vars = json!({"o": "puuha", "r": "asiakasrekisteri"});
        let response = app.graphql_as(None, public, vars.clone()).await;
        assert_eq!(response["data"]["publishedNotice"], Value::Null, "{response}");

        let dpo = app.token("puuha", Role::Dpo, None).await;
        let register = ropa::ids::encode(ropa::ids::NodeKind::Register, register_id(&app, "puuha", "asiakasrekisteri").await);
        let publish = "mutation($r: ID!) { publishNotice(input: {registerId: $r, overrideReason: \"Published in a test\"}) { version { number contentHash languages publishedAt } register { status } } }";
        let response = app.graphql_as(Some(&dpo), publish, json!({"r": register})).await;
        assert!(response.get("errors").is_none(), "{response}");
        let version = &response["data"]["publishNotice"]["version"];
        assert_eq!(version["number"], json!(1));
        assert_eq!(version["languages"], json!(["FI", "SV", "EN"]));
        assert_eq!(version["contentHash"].as_str().unwrap().len(), 64);

        // Anonymous, through GraphQL: the published version, with no gaps.
        let response = app.graphql_as(None, public, vars.clone()).await;
        let notice = &response["data"]["publishedNotice"];
        assert_eq!(notice["number"], json!(1), "{response}");
        assert_eq!(notice["document"]["language"], json!("en"));
        for section in notice["document"]["sections"].as_array().unwrap() {
            assert_eq!(section["gaps"], json!([]), "the public never sees gaps");
        }
        // Anonymous, over HTTP: every format, by parameter and by header.
        let (status, html) = app.get("/notices/puuha/asiakasrekisteri").await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"fi\">"), "{html}");
        assert!(html.contains("Versio 1, julkaistu"));
        assert!(!html.contains("class=\"gaps\""), "no gaps in public");
        let (status, body) = app.get("/notices/puuha/asiakasrekisteri?lang=en&format=json").await;
        assert_eq!(status, StatusCode::OK);
        let json: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(json["version"]["number"], json!(1));
        assert_eq!(json["draft"], json!(false));
        assert_eq!(json["notice"]["language"], json!("en"));
        let request = |accept: &str, language: &str| {
            Request::get("/notices/puuha/asiakasrekisteri")
                .header(header::ACCEPT, accept)
                .header(header::ACCEPT_LANGUAGE, language)
                .body(Body::empty())
                .unwrap()
        };
        let (status, md) = app.send(request("text/markdown", "sv-FI, en;q=0.5")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(md.starts_with("# Dataskyddsbeskrivning"), "{md}");
        let (_, txt) = app.send(request("text/plain", "en")).await;
        assert!(txt.starts_with("Privacy notice"), "{txt}");
        let (status, headers, _) = app.get_with_headers("/notices/puuha/asiakasrekisteri?format=md&lang=sv").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(headers[header::CONTENT_TYPE], "text/markdown; charset=utf-8");
        assert_eq!(headers[header::CONTENT_LANGUAGE], "sv");
        assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        let (_, headers, _) = app.get_with_headers("/notices/puuha/asiakasrekisteri/versions/1").await;
        assert!(headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap().contains("default-src 'none'"));
        assert!(headers[header::CACHE_CONTROL].to_str().unwrap().contains("immutable"));
        let (status, _) = app.send(request("image/png", "fi")).await;
        assert_eq!(status, StatusCode::NOT_ACCEPTABLE);
        let (status, body) = app.get("/notices/puuha/asiakasrekisteri?format=pdf").await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body.contains("format"), "{body}");
        let (status, body) = app.get("/notices/puuha/asiakasrekisteri?lang=de").await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body.contains("lang"), "{body}");
        let (status, _) = app.get("/notices/puuha/asiakasrekisteri/versions/1?format=txt").await;
        assert_eq!(status, StatusCode::OK);
        let (status, _) = app.get("/notices/puuha/asiakasrekisteri/versions/2").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = app.get("/notices/puuha/no-such-register").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        // Other registers of the organisation are still drafts, so not public.
        let (status, _) = app.get("/notices/puuha/markkinointirekisteri").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }

    async fn a_draft_is_for_editors_and_publishing_for_dpo_and_admin(backend) {
        let app = TestApp::with_demo(backend).await;
        let register = ropa::ids::encode(ropa::ids::NodeKind::Register, register_id(&app, "helpten", "helpten-palvelu").await);
        let draft_query = "query($id: ID!) { node(id: $id) { ... on Register { noticeDraft(language: FI) { gapCount document { title } rendered(format: HTML) } } } }";
        for (role, allowed) in [(Role::Admin, true), (Role::Dpo, true), (Role::Editor, true), (Role::Auditor, false), (Role::Viewer, false), (Role::Service, false)] {
            let token = app.token("helpten", role, None).await;
            let response = app.graphql_as(Some(&token), draft_query, json!({"id": register})).await;
            if allowed {
                assert!(response.get("errors").is_none(), "{role:?}: {response}");
                let draft = &response["data"]["node"]["noticeDraft"];
                assert!(draft["gapCount"].as_i64().unwrap() > 0, "the seed has gaps");
                assert!(draft["rendered"].as_str().unwrap().contains("class=\"gaps\""));
            } else {
                assert_eq!(error_code(&response), "FORBIDDEN", "{role:?}: {response}");
            }
        }
        let response = app.graphql_as(None, draft_query, json!({"id": register})).await;
        assert_eq!(response["data"]["node"], Value::Null, "anonymous sees no register: {response}");

        let publish = "mutation($r: ID!) { publishNotice(input: {registerId: $r, overrideReason: \"Published in a test\"}) { version { number } } }";
        for (role, code) in [(Role::Editor, "FORBIDDEN"), (Role::Auditor, "FORBIDDEN"), (Role::Viewer, "FORBIDDEN")] {
            let token = app.token("helpten", role, None).await;
            let response = app.graphql_as(Some(&token), publish, json!({"r": register})).await;
            assert_eq!(error_code(&response), code, "{role:?}: {response}");
        }
        let response = app.graphql_as(None, publish, json!({"r": register})).await;
        assert_eq!(error_code(&response), "NOT_FOUND", "anonymous: {response}");
        let other = app.token("puuha", Role::Admin, None).await;
        let response = app.graphql_as(Some(&other), publish, json!({"r": register})).await;
        assert_eq!(error_code(&response), "NOT_FOUND", "an admin of another organisation: {response}");
        let admin = app.token("helpten", Role::Admin, None).await;
        let response = app.graphql_as(Some(&admin), publish, json!({"r": register})).await;
        assert_eq!(response["data"]["publishNotice"]["version"]["number"], json!(1), "{response}");
    }

    async fn published_versions_never_change_and_a_changed_graph_makes_them_stale(backend) {
        let app = TestApp::with_demo(backend).await;
        let dpo = app.token("coreorient", Role::Dpo, None).await;
        let register = ropa::ids::encode(ropa::ids::NodeKind::Register, register_id(&app, "coreorient", "piggybaggy").await);
        let publish = "mutation($r: ID!) { publishNotice(input: {registerId: $r, overrideReason: \"Published in a test\"}) { version { number contentHash } } }";
        let status_query = "query($id: ID!) { node(id: $id) { ... on Register { noticeStatus(language: FI) {
            stale draftGapCount latestVersion { number } differences { section heading removed added } } } } }";
        let response = app.graphql_as(Some(&dpo), status_query, json!({"id": register})).await;
        assert_eq!(response["data"]["node"]["noticeStatus"]["stale"], json!(false), "nothing published: {response}");
        assert_eq!(response["data"]["node"]["noticeStatus"]["latestVersion"], Value::Null);
        let first = app.graphql_as(Some(&dpo), publish, json!({"r": register})).await;
        let hash = first["data"]["publishNotice"]["version"]["contentHash"].clone();
        let frozen: Vec<String> = futures_util::future::join_all(
            ["html", "md", "txt", "json"].map(|f| app.get_body(format!("/notices/coreorient/piggybaggy/versions/1?lang=fi&format={f}"))),
        )
        .await;
        let response = app.graphql_as(Some(&dpo), status_query, json!({"id": register})).await;
        assert_eq!(response["data"]["node"]["noticeStatus"]["stale"], json!(false), "just published: {response}");
        // The register declares Finnish only: its notice is published in Finnish only. Asked for
        // by name, English is refused saying so; a browser that prefers English gets Finnish.
        let (status, body) = app.get("/notices/coreorient/piggybaggy/versions/1?lang=en&format=json").await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
        assert!(body.contains("published in fi only"), "{body}");
        let preferred = app
            .send_full(
                axum::http::Request::builder()
                    .uri("/notices/coreorient/piggybaggy/versions/1?format=txt")
                    .header(axum::http::header::ACCEPT_LANGUAGE, "en-GB,en;q=0.9")
                    .body(axum::body::Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(preferred.0, StatusCode::OK, "{}", preferred.2);
        assert_eq!(preferred.1[axum::http::header::CONTENT_LANGUAGE], "fi");

        // Publishing again with nothing changed is refused.
        let again = app.graphql_as(Some(&dpo), publish, json!({"r": register})).await;
        assert_eq!(error_code(&again), "BAD_USER_INPUT", "{again}");
        assert_eq!(again["errors"][0]["extensions"]["field"], json!("registerId"));

        // An edit of the graph: the published version is stale, and says what changed.
        let activity = entity::processing_activity::Entity::find()
            .filter(entity::processing_activity::Column::RegisterId.eq(register_id(&app, "coreorient", "piggybaggy").await))
            .one(&app.db).await.unwrap().unwrap();
        let old_purpose = activity.purpose.exact("fi").unwrap().trim().to_owned();
        let update = "mutation($i: UpdateProcessingActivityInput!) { updateProcessingActivity(input: $i) { processingActivity { version } } }";
        let response = app.graphql_as(Some(&dpo), update, json!({"i": {
            "id": ropa::ids::encode(ropa::ids::NodeKind::ProcessingActivity, activity.id),
            "version": activity.version,
            "purpose": [{"language": "fi", "text": "Uusi tarkoitus"}, {"language": "en", "text": "A new purpose"}]
        }})).await;
        assert!(response.get("errors").is_none(), "{response}");
        let response = app.graphql_as(Some(&dpo), status_query, json!({"id": register})).await;
        let status = &response["data"]["node"]["noticeStatus"];
        assert_eq!(status["stale"], json!(true), "{response}");
        assert_eq!(status["latestVersion"]["number"], json!(1));
        let differences = status["differences"].as_array().unwrap();
        assert_eq!(differences.len(), 1, "{differences:?}");
        assert_eq!(differences[0]["section"], json!("PURPOSES"));
        assert!(differences[0]["added"][0].as_str().unwrap().ends_with(": Uusi tarkoitus"), "{differences:?}");
        assert!(differences[0]["removed"][0].as_str().unwrap().ends_with(&old_purpose), "{differences:?}");

        // Version 1 is exactly as it was, in every format; version 2 says the new purpose.
        let second = app.graphql_as(Some(&dpo), publish, json!({"r": register})).await;
        assert_eq!(second["data"]["publishNotice"]["version"]["number"], json!(2), "{second}");
        assert_ne!(second["data"]["publishNotice"]["version"]["contentHash"], hash);
        let after: Vec<String> = futures_util::future::join_all(
            ["html", "md", "txt", "json"].map(|f| app.get_body(format!("/notices/coreorient/piggybaggy/versions/1?lang=fi&format={f}"))),
        )
        .await;
        assert_eq!(frozen, after, "a published version never changes");
        assert!(!frozen[2].contains("Uusi tarkoitus"));
        assert!(app.get_body("/notices/coreorient/piggybaggy?lang=fi&format=json".into()).await.contains("Uusi tarkoitus"));
        let response = app.graphql_as(Some(&dpo), status_query, json!({"id": register})).await;
        assert_eq!(response["data"]["node"]["noticeStatus"]["stale"], json!(false));
        // The database itself refuses to change or remove a version.
        for statement in ["UPDATE notice_version SET number = 9", "DELETE FROM notice_version"] {
            let result = app.owner.execute_unprepared(statement).await;
            assert!(result.is_err(), "{statement} must be refused");
        }
        let versions = "query($id: ID!) { node(id: $id) { ... on Register { noticeVersions { number } } } }";
        let viewer = app.token("coreorient", Role::Viewer, None).await;
        let response = app.graphql_as(Some(&viewer), versions, json!({"id": register})).await;
        assert_eq!(response["data"]["node"]["noticeVersions"], json!([{"number": 2}, {"number": 1}]), "{response}");
        // Each publication is in the audit trail.
        let events = entity::audit_event::Entity::find()
            .filter(entity::audit_event::Column::NodeKind.eq("notice_version"))
            .all(&app.db).await.unwrap();
        assert_eq!(events.len(), 2);
    }

    async fn the_demo_notices_match_their_golden_files_in_every_language_and_format(backend) {
        let app = TestApp::with_demo(backend).await;
        let mut mismatches = Vec::new();
        for (organisation, register) in DEMO_REGISTERS {
            for lang in Lang::ALL {
                let notice = draft(&app, organisation, register, lang).await;
                for format in Format::ALL {
                    let rendered = normalise_ids(&render(&notice, format, &Meta::draft()).unwrap());
                    let name = format!("{organisation}.{register}.{}.{}", lang.tag(), format.extension());
                    if let Some(problem) = golden(&name, &rendered) {
                        mismatches.push(problem);
                    }
                }
                // The page the public reads: no gaps, a version line.
                let version = ropa::notice::render::VersionInfo {
                    number: 1,
                    published_at: "2026-11-22T12:00:00Z".parse().unwrap(),
                    content_hash: "0".repeat(64),
                };
                let public = render(&notice, Format::Html, &Meta::published(version)).unwrap();
                let name = format!("{organisation}.{register}.{}.public.html", lang.tag());
                if let Some(problem) = golden(&name, &public) {
                    mismatches.push(problem);
                }
            }
        }
        assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
    }

    async fn the_html_has_a_language_a_table_of_contents_and_headings_in_order(backend) {
        let app = TestApp::with_demo(backend).await;
        for (organisation, register) in DEMO_REGISTERS {
            for lang in Lang::ALL {
                let notice = draft(&app, organisation, register, lang).await;
                for meta in [Meta::draft(), Meta::published(ropa::notice::render::VersionInfo {
                    number: 1, published_at: chrono::Utc::now(), content_hash: "0".repeat(64) })] {
                    let html = render(&notice, Format::Html, &meta).unwrap();
                    assert!(html.contains(&format!("<html lang=\"{}\">", lang.tag())));
                    let levels: Vec<u8> = html
                        .match_indices("<h")
                        .filter_map(|(i, _)| html[i + 2..].chars().next()?.to_digit(10).map(|d| d as u8))
                        .collect();
                    assert_eq!(levels[0], 1, "{organisation}/{register}: starts with h1");
                    assert_eq!(levels.iter().filter(|l| **l == 1).count(), 1);
                    assert!(levels.windows(2).all(|w| w[1] <= w[0] + 1), "{organisation}/{register}: no heading level skipped: {levels:?}");
                    let shown: Vec<&ropa::notice::Section> = if meta.show_gaps {
                        notice.sections.iter().collect()
                    } else {
                        notice.sections.iter().filter(|s| !s.statements.is_empty()).collect()
                    };
                    for section in shown {
                        let anchor = section.id.slug();
                        assert!(html.contains(&format!("<li><a href=\"#{anchor}\">")), "{organisation}/{register}: {anchor} in the contents");
                        assert!(html.contains(&format!("<section id=\"{anchor}\"")), "{organisation}/{register}: {anchor}");
                    }
                }
            }
        }
    }
}

/// The demo registers, each the register of a seed notice.
pub const DEMO_REGISTERS: [(&str, &str); 6] = [
    ("coreorient", "piggybaggy"),
    ("esimerkki", "asiakasrekisteri"),
    ("helpten", "helpten-palvelu"),
    ("puuha", "asiakasrekisteri"),
    ("puuha", "markkinointirekisteri"),
    ("puuha", "verkkopalvelu"),
];

/// Node IDs differ between databases: each becomes its kind and the order it first appears in.
fn normalise_ids(text: &str) -> String {
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('"') {
        out.push_str(&rest[..=start]);
        rest = &rest[start + 1..];
        let end = rest.find('"').unwrap_or(rest.len());
        let candidate = &rest[..end];
        match ropa::ids::decode(candidate) {
            Some((kind, _)) => {
                let n = seen.len();
                let stable = seen
                    .entry(candidate.to_owned())
                    .or_insert_with(|| format!("{}_{n}", kind.prefix()))
                    .clone();
                out.push_str(&stable);
            }
            None => out.push_str(candidate),
        }
        rest = &rest[end..];
        if let Some(stripped) = rest.strip_prefix('"') {
            out.push('"');
            rest = stripped;
        }
    }
    out.push_str(rest);
    out
}

/// Compares with `tests/golden/notices/NAME`; `UPDATE_GOLDEN=1` writes the file instead.
fn golden(name: &str, actual: &str) -> Option<String> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden/notices")
        .join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return None;
    }
    match std::fs::read_to_string(&path) {
        Ok(expected) if expected == actual => None,
        Ok(expected) => {
            let line = expected
                .lines()
                .zip(actual.lines())
                .position(|(a, b)| a != b)
                .map_or(expected.lines().count().min(actual.lines().count()), |i| i);
            Some(format!(
                "{name} differs from its golden file from line {} (UPDATE_GOLDEN=1 cargo test --test api notices rewrites them):\n  golden: {:?}\n  actual: {:?}",
                line + 1,
                expected.lines().nth(line).unwrap_or(""),
                actual.lines().nth(line).unwrap_or("")
            ))
        }
        Err(_) => Some(format!(
            "{name}: no golden file (UPDATE_GOLDEN=1 writes it)"
        )),
    }
}

/// The catalogue's sentences that state that something is not done: each may appear only on a
/// statement that names the declared facts it rests on.
fn negative_sentences(lang: Lang) -> Vec<String> {
    let c = ropa::notice::catalogue::catalogue().unwrap();
    vec![
        c.sentences.no_transfers.get(lang).to_owned(),
        c.sentences.no_automated.get(lang).to_owned(),
        c.sentences.not_public_source.get(lang).to_owned(),
        c.provision(entity::ProvisionRequirement::Voluntary, lang)
            .to_owned(),
    ]
}

/// Asserts of every statement of `notice` that a negative sentence rests on facts, and that each
/// fact a statement rests on is declared false in the graph (read over the API).
async fn assert_negatives_rest_on_declared_facts(app: &TestApp, notice: &Notice) {
    let negatives = negative_sentences(Lang::parse(&notice.language).unwrap());
    for section in &notice.sections {
        for statement in section.statements.iter().flat_map(|s| s.walk()) {
            if negatives
                .iter()
                .any(|n| statement.text.contains(n.as_str()))
            {
                assert!(
                    !statement.rests_on.is_empty(),
                    "{}/{} {:?}: `{}` rests on no declared fact",
                    notice.organisation,
                    notice.language,
                    section.id,
                    statement.text
                );
            }
            for fact in &statement.rests_on {
                let query = "query($id: ID!) { node(id: $id) { ... on ProcessingActivity { transfersOutsideEea profiling automatedDecisionMaking provisionRequirement } ... on DataSource { publiclyAccessible } } }";
                let response = app.query(query, json!({"id": fact.node_id})).await;
                let value = &response["node"][&fact.field];
                assert!(
                    !value.is_null(),
                    "{}/{}: `{}` rests on {}.{}, which is not declared: {response}",
                    notice.organisation,
                    notice.language,
                    statement.text,
                    fact.node_id,
                    fact.field
                );
                if fact.field != "provisionRequirement" {
                    assert_eq!(
                        value,
                        &json!(false),
                        "{}: {}.{}",
                        statement.text,
                        fact.node_id,
                        fact.field
                    );
                }
            }
        }
    }
}

backend_test! {
    async fn a_register_nobody_declared_anything_of_states_no_negative_and_shows_the_gaps(backend) {
        let app = TestApp::spawn(backend).await;
        import(&app, &organisation("silent", &activity("a", "contract", "self, third", ""))).await;
        app.sign_in_as_auditor_everywhere().await;
        for lang in Lang::ALL {
            let notice = draft(&app, "silent", "rek", lang).await;
            let public = notice.clone().public();
            let text: String = public.sections.iter().flat_map(|s| s.statements.iter().flat_map(|st| st.texts())).collect::<Vec<_>>().join("\n");
            for negative in negative_sentences(lang) {
                assert!(!text.contains(&negative), "{lang:?}: `{negative}` printed although nobody declared it");
            }
            let gaps: Vec<&str> = notice.gaps().map(|(_, g)| g.message.as_str()).collect();
            let c = ropa::notice::catalogue::catalogue().unwrap();
            for gap in [&c.gaps.transfers_unknown, &c.gaps.automated_unknown, &c.gaps.source_public_unknown, &c.gaps.direct_marketing_unknown] {
                let start = gap.get(lang).split('{').next().unwrap();
                assert!(gaps.iter().any(|g| g.starts_with(start)), "{lang:?}: gap `{start}` in {gaps:?}");
            }
            // Incomplete: no claim that it meets Art. 13 and 14.
            let intro = &notice.intro[0].text;
            assert!(!intro.contains("13"), "{lang:?}: {intro}");
        }
        let findings = app.query(
            "{ organisation(slug: \"silent\") { compliance { findings { rule } } } }", json!({}),
        ).await;
        let rules: Vec<&str> = findings["organisation"]["compliance"]["findings"].as_array().unwrap().iter().map(|f| f["rule"].as_str().unwrap()).collect();
        for rule in ["TRANSFERS_UNDECLARED", "AUTOMATED_UNDECLARED", "SOURCE_PUBLIC_UNDECLARED", "DIRECT_MARKETING_UNDECLARED", "PROVISION_NOT_STATED"] {
            assert!(rules.contains(&rule), "{rule} in {rules:?}");
        }
    }

    async fn declared_facts_print_their_negatives_and_each_rests_on_the_fact(backend) {
        let app = TestApp::spawn(backend).await;
        let declared = activity("a", "contract", "self, third", "        transfers_outside_eea: false\n        profiling: false\n        automated_decision_making: false\n        direct_marketing: false\n        provision_requirement: voluntary")
            ;
        let document = organisation("told", &declared).replace("    kind: third_party\n", "    kind: third_party\n    publicly_accessible: false\n");
        import(&app, &document).await;
        app.sign_in_as_auditor_everywhere().await;
        for lang in Lang::ALL {
            let notice = draft(&app, "told", "rek", lang).await;
            let c = ropa::notice::catalogue::catalogue().unwrap();
            assert_eq!(lines(&notice, SectionId::Transfers), [c.sentences.no_transfers.get(lang)]);
            assert_eq!(lines(&notice, SectionId::Automated), [c.sentences.no_automated.get(lang)]);
            assert!(lines(&notice, SectionId::ObtainedElsewhere).iter().any(|l| l == c.sentences.not_public_source.get(lang)));
            assert_negatives_rest_on_declared_facts(&app, &notice).await;
            // Everything said: the notice claims the articles it meets.
            assert_eq!(notice.gaps().count(), 0, "{lang:?}: {:?}", notice.gaps().map(|(_, g)| &g.message).collect::<Vec<_>>());
            assert!(notice.intro[0].text.contains("13"), "{lang:?}");
        }
        // The demo notices: every negative they print rests on a declared fact.
        let demo = TestApp::with_demo(backend).await;
        demo.sign_in_as_auditor_everywhere().await;
        for (org, register) in [("coreorient", "piggybaggy"), ("helpten", "helpten-palvelu"), ("esimerkki", "asiakasrekisteri"), ("puuha", "asiakasrekisteri")] {
            for lang in Lang::ALL {
                let notice = draft(&demo, org, register, lang).await;
                assert_negatives_rest_on_declared_facts(&demo, &notice).await;
            }
        }
    }

    async fn direct_marketing_rights_stand_apart_and_rights_fit_the_processing(backend) {
        let app = TestApp::spawn(backend).await;
        let activities = [
            activity("ads", "consent", "self", "        direct_marketing: true\n        consent_withdrawal: {fi: Peru, sv: Återkalla, en: Withdraw}"),
            activity("paper", "contract", "self", "        direct_marketing: false").replace("        automated_means: true\n", "        automated_means: false\n"),
            activity("score", "contract", "self", "        direct_marketing: false\n        automated_decision_making: true\n        automated_logic: {en: Scores}\n        automated_consequences: {en: Offers}"),
            activity("tax", "legal_obligation", "self", "        direct_marketing: false\n        automated_decision_making: true\n        automated_logic: {en: Rules}\n        automated_consequences: {en: Tax}")
                .replace("          - period: P2Y\n", "          - period: P6Y\n            required_by: {fi: \"kirjanpitolaki 1336/1997, 2 luku 10 §\", sv: \"bokföringslagen 1336/1997\", en: \"Accounting Act 1336/1997\"}\n"),
        ].concat();
        import(&app, &organisation("fit", &activities)).await;
        for lang in Lang::ALL {
            let notice = draft(&app, "fit", "rek", lang).await;
            let c = ropa::notice::catalogue::catalogue().unwrap();
            let marketing = c.right(ropa::domain::rights::Right::ObjectToDirectMarketing, lang);
            // Its own section, whatever the basis (here consent), and never run into the rest.
            let own = lines(&notice, SectionId::DirectMarketing);
            assert_eq!(own[0], marketing, "{lang:?}");
            assert!(own.iter().any(|l| l.contains("ads")), "{lang:?}: {own:?}");
            let rights = lines(&notice, SectionId::Rights).join("\n");
            assert!(!rights.contains(marketing), "{lang:?}");
            let object = c.right(ropa::domain::rights::Right::Object, lang);
            assert!(!object.to_lowercase().contains("suoramarkkin") && !object.to_lowercase().contains("direkt") && !object.to_lowercase().contains("direct marketing"));
        }
        let notice = draft(&app, "fit", "rek", Lang::En).await;
        let rights = &notice.section(SectionId::Rights).unwrap().statements;
        let applies = |start: &str| -> Vec<String> {
            rights.iter().find(|s| s.text.starts_with(start)).map(|s| s.items.iter().flat_map(|i| i.texts()).collect()).unwrap_or_default()
        };
        assert_eq!(applies("Right to data portability"), ["Applies to: Activity ads; Activity score"], "no portability for paper records");
        assert_eq!(applies("Right not to be subject"), ["Applies to: Activity score"], "22(3) for 22(2)(a), not for a decision authorised by law");
        let erasure = applies("Right to erasure");
        assert!(!erasure.iter().any(|l| l.contains("Accounting Act")), "the tax activity has no erasure right: {erasure:?}");
        // Erasure of data kept by law, where the activity has the right.
        let kept = activity("bill", "contract", "self", "        direct_marketing: false")
            .replace("          - period: P2Y\n", "          - period: P6Y\n            required_by: {fi: \"kirjanpitolaki 1336/1997, 2 luku 10 §\", en: \"Accounting Act 1336/1997, ch. 2 s. 10\"}\n");
        import(&app, &organisation("kept", &kept)).await;
        let notice = draft(&app, "kept", "rek", Lang::En).await;
        let erasure: Vec<String> = notice.section(SectionId::Rights).unwrap().statements.iter()
            .find(|s| s.text.starts_with("Right to erasure")).unwrap().items.iter().flat_map(|i| i.texts()).collect();
        assert!(erasure.iter().any(|l| l == "Data that the law requires us to keep is erased when that period ends: Accounting Act 1336/1997, ch. 2 s. 10."), "{erasure:?}");
        let fi = draft(&app, "kept", "rek", Lang::Fi).await;
        assert!(lines(&fi, SectionId::Rights).iter().any(|l| l.contains("kirjanpitolaki 1336/1997, 2 luku 10 §")));
    }

    async fn publishing_is_refused_over_gaps_unless_a_dpo_says_why(backend) {
        let app = TestApp::spawn(backend).await;
        import(&app, &organisation("gate", &activity("a", "contract", "self", ""))).await;
        let register = ropa::ids::encode(ropa::ids::NodeKind::Register, register_id(&app, "gate", "rek").await);
        let publish = "mutation($i: PublishNoticeInput!) { publishNotice(input: $i) { version { number } } }";
        let dpo = app.token("gate", Role::Dpo, None).await;
        let refused = app.graphql_as(Some(&dpo), publish, json!({"i": {"registerId": register}})).await;
        assert_eq!(error_code(&refused), "BAD_USER_INPUT", "{refused}");
        assert_eq!(refused["errors"][0]["extensions"]["field"], "registerId", "{refused}");
        let message = refused["errors"][0]["message"].as_str().unwrap();
        assert!(message.contains("TRANSFERS_UNDECLARED") && message.contains("overrideReason"), "{message}");
        let blank = app.graphql_as(Some(&dpo), publish, json!({"i": {"registerId": register, "overrideReason": "  "}})).await;
        assert_eq!(blank["errors"][0]["extensions"]["field"], "overrideReason", "{blank}");
        let editor = app.token("gate", Role::Editor, None).await;
        let forbidden = app.graphql_as(Some(&editor), publish, json!({"i": {"registerId": register, "overrideReason": "Urgent"}})).await;
        assert_eq!(error_code(&forbidden), "FORBIDDEN", "{forbidden}");
        let published = app.graphql_as(Some(&dpo), publish, json!({"i": {"registerId": register, "overrideReason": "The old notice stays wrong longer otherwise."}})).await;
        assert_eq!(published["data"]["publishNotice"]["version"]["number"], json!(1), "{published}");
        // The version records why and what it was published with; the audit trail has both.
        let version = entity::notice_version::Entity::find().one(&app.db).await.unwrap().unwrap();
        assert_eq!(version.override_reason.as_deref(), Some("The old notice stays wrong longer otherwise."));
        let unsaid = version.published_with_gaps.clone().unwrap();
        assert!(!unsaid["gaps"].as_array().unwrap().is_empty(), "{unsaid}");
        assert!(unsaid["findings"].as_array().unwrap().iter().any(|f| f["rule"] == "TRANSFERS_UNDECLARED"), "{unsaid}");
        let event = entity::audit_event::Entity::find()
            .filter(entity::audit_event::Column::NodeKind.eq("notice_version"))
            .one(&app.db).await.unwrap().unwrap();
        assert_eq!(event.after.unwrap()["override_reason"], json!("The old notice stays wrong longer otherwise."));

        // A complete notice publishes without a reason, and records that nothing was missing.
        let complete = activity("a", "contract", "self", "        transfers_outside_eea: false\n        profiling: false\n        automated_decision_making: false\n        direct_marketing: false\n        provision_requirement: contractual");
        import(&app, &organisation("whole", &complete)).await;
        let register = ropa::ids::encode(ropa::ids::NodeKind::Register, register_id(&app, "whole", "rek").await);
        let dpo = app.token("whole", Role::Dpo, None).await;
        let published = app.graphql_as(Some(&dpo), publish, json!({"i": {"registerId": register}})).await;
        assert_eq!(published["data"]["publishNotice"]["version"]["number"], json!(1), "{published}");
    }
}
