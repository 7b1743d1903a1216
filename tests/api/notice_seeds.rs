//! The demo registers' privacy notices against the four seed notices the demo data was written
//! from (`/work/shared/seeds/000_*`, `001_*`, `002_*`, `004_*`).
//!
//! - Per seed register, a checklist section by section: each fact of the seed must appear in
//!   that section of the generated Finnish notice, and the statement it appears in must be in the
//!   same place, naming the same nodes, in the Swedish and English notices (translated, or in
//!   another language visibly marked as a fallback).
//! - For every demo register and language: nothing appears that the graph does not say. Every
//!   statement carries the nodes it came from, every node exists in the organisation, and every
//!   text is either a text of its own nodes or a fixed phrase of the catalogue.

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDate;
use entity::LocalizedText;
use ropa::ids::{decode, NodeKind};
use ropa::notice::{Lang, Notice, RegisterGraph, SectionId, Statement};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::backend_test;
use crate::helpers::TestApp;

use SectionId::{
    Automated, Complaint, Controller, Cookies, DataCategories, DataSubjects, DirectMarketing, Dpo,
    ExerciseRights, LegitimateInterests, ObtainedElsewhere, Provision, Purposes, Recipients,
    Register, Retention, Rights, Security, Sources, Transfers,
};

/// A fact of a seed notice: a phrase that must appear in a section of the Finnish notice.
type Fact = (SectionId, &'static str);

/// A seed notice and the demo register written from it.
struct Seed {
    /// The seed's file in `/work/shared/seeds/`.
    file: &'static str,
    organisation: &'static str,
    register: &'static str,
    /// The date the seed was drawn up, kept as the register's last review.
    reviewed: &'static str,
    facts: &'static [&'static [Fact]],
}

impl Seed {
    fn facts(&self) -> impl Iterator<Item = &Fact> {
        self.facts.iter().flat_map(|f| f.iter())
    }

    fn name(&self) -> String {
        format!(
            "seed {} ({}/{})",
            self.file, self.organisation, self.register
        )
    }
}

// --- seed 000: Coreorient Oy, the PiggyBaggy service (rekisteriseloste, 10.8.2013) -----------
//
// Not listed: the seed's header and §9 cite the repealed Personal Data Act (523/1999, §§ 10, 26
// and 30); a GDPR notice is not given under it. The contact person of §2 (a real person, with
// his phone and e-mail) is replaced by a fictitious one in the demo data, so only the role is
// checked. §1's address is written "3 A 702140 Espoo" in the seed; the demo corrects it.

const SEED_000: &[Fact] = &[
    // §3 Rekisterin nimi; header
    (
        Register,
        "PiggyBaggy -palvelun asiakkuuteen ja palvelun käyttöön perustuva rekisteri",
    ),
    (Register, "Laadittu 10.8.2013"),
    // §1 Rekisteripitäjä
    (Controller, "Coreorient Oy"),
    (Controller, "2388488-1"),
    (Controller, "Heinjoenpolku 3 A 7, 02140 Espoo"),
    // §2 Rekisteriasioista vastaava henkilö
    (Controller, "Rekisteriasioista vastaava henkilö"),
    // §4: whose data the register holds
    (
        DataSubjects,
        "PiggyBaggy-palvelun käyttäjiksi rekisteröityneet luonnolliset henkilöt",
    ),
    (
        DataSubjects,
        "Coreorientin palveluita käyttävien yritysten ja yhteisöjen työntekijät",
    ),
    // §4 purposes
    (
        Purposes,
        "asiakkaan Coreorientille antamien tiedonkäyttövaltuutusten ylläpitämiseen ja käyttöön",
    ),
    (
        Purposes,
        "asiakkuuden hoitamiseen sekä liiketoiminnan operatiivisiin tarpeisiin",
    ),
    (
        Purposes,
        "tiedottamiseen, myynnin edistämiseen ja markkinointiin",
    ),
    // §5 Rekisterin tietosisältö
    (
        DataCategories,
        "nimi, ikä, postiosoite, sähköpostiosoitteet ja puhelinnumerot, ammatti, asiointikieli",
    ),
    (
        DataCategories,
        "henkilötunnus tai syntymäaika ja sukupuoli",
    ),
    (DataCategories, "laskutukseen ja perintään liittyvät tiedot"),
    // §6 Säännönmukaiset tietolähteet
    (Sources, "rekisteröidyltä itseltään"),
    (Sources, "teleoperaattorien ja pankkien tietojärjestelmistä"),
    (Sources, "väestörekisterikeskuksen väestötietojärjestelmästä"),
    (ObtainedElsewhere, "Luottotietorekisterit"),
    // §6 "laskutustiedoista, sopimuksista, palvelujen käytöstä": data observed from the use of
    // the service, which the notice tells under "Evästeet ja analytiikka", not under sources.
    (
        Cookies,
        "Tietoja kertyy laskutustiedoista, sopimuksista ja palvelujen käytöstä.",
    ),
    // §7.1 Säännönmukainen luovutus, §7.2 Muu tietojen luovutus
    (
        Recipients,
        "perustietoja muille käyttäjille palvelun käytön yhteydessä",
    ),
    (Recipients, "viranomaisille lakisääteisissä tapauksissa"),
    (
        Recipients,
        "palvelun tuottamiseen liittyville yhteistyökumppaneille palvelutuotannon edellyttämissä tapauksissa",
    ),
    // §7 siirto EU:n tai ETA:n ulkopuolelle
    (
        Transfers,
        "ellei se ole palvelun teknisen toteuttamisen vuoksi välttämätöntä",
    ),
    // §8 Rekisterin suojauksen periaatteet
    (
        Security,
        "säilytetään alkukäsittelyn jälkeen lukituissa säilytystiloissa",
    ),
    (
        Security,
        "teknisin keinoin suojattuja ulkopuoliselta käytöltä",
    ),
    // §9 Tarkastus-, kielto- ja korjausoikeus
    (ExerciseRights, "Tarkastusoikeus on maksuton kerran vuodessa"),
    (ExerciseRights, "Korjaamispyyntö on tehtävä kirjallisesti"),
];

// --- seed 001: a template customer register ("organisaatio"), GDPR era ------------------------
//
// Not listed: the controller (the template names none; Esimerkki Oy is invented by the demo),
// and the template's empty sections "Suostumus" and "Automaattinen käsittely ja profilointi".
// The seed's "Oikeutetun edun peruste" answers "the legal basis is contract": checked as the
// purposes' legal basis.

const SEED_001: &[Fact] = &[
    // Rekisterin nimi
    (Register, "Asiakasrekisteri"),
    // Rekisterin yhteyshenkilö (named in the rights)
    (Controller, "Rekisterin yhteyshenkilö"),
    // Oikeusperuste ja käsittelyn tarkoitus
    (
        Purposes,
        "organisaation asiakasrekisterin ylläpitäminen, asiakkaiden tilausten hallinnointi, arkistointi ja käsittely",
    ),
    (
        Purposes,
        "henkilökohtai-semman kohdennetun sisällön tuottamiseen verkkopalveluissamme",
    ),
    (Purposes, "postitustarroja suoramainoksiin"),
    (Purposes, "Sopimuksen täytäntöönpano"),
    // Kyseessä olevat henkilötietoryhmät; Rekisterin tietosisältö
    (DataCategories, "Henkilön etu- ja sukunimi"),
    (
        DataCategories,
        "Sähköpostiosoite, postiosoite, puhelinnumero, www-osoite",
    ),
    (DataCategories, "Laskutustiedot"),
    (DataCategories, "IP numero"),
    // Evästeet: what the cookies collect
    (
        DataCategories,
        "vierailijan IP-osoite, vierailun ajankohta, selatut sivut ja sivujen katseluajat, vierailijan selain",
    ),
    // Säännönmukaiset tietolähteet
    (
        Sources,
        "asiakkaan tekemistä rekisteröitymisistä sekä asiakassuhteen aikana asiakkaan tekemistä ilmoituksista",
    ),
    (
        Sources,
        "päivityspalveluja tarjoavilta viranomaisilta ja yrityksiltä",
    ),
    // Cookies and Google Analytics: observed sources, told in the cookies section.
    (
        Cookies,
        "Eväste on pieni, käyttäjän tietokoneelle lähetettävä ja siellä säilytettävä tekstitiedosto.",
    ),
    (
        Cookies,
        "Kerättävästä datasta ei voida yksilöidä tietoja yksittäiseen käyttäjään tai henkilöön.",
    ),
    // Vastaanottajat; Tietojen säännönmukaiset luovutukset
    (Recipients, "Rekisterinpitäjän henkilöstö"),
    (Recipients, "ulkoituskumppanit (taloushallinto)"),
    (Recipients, "luottopäätöksen tueksi"),
    (Recipients, "Google Analytics"),
    // Tietojen siirto EU:n tai ETA:n ulkopuolelle
    (
        Transfers,
        "Henkilötietoja ei siirretä Euroopan Unionin ulkopuolelle",
    ),
    // Henkilötietojen säilyttämisaika
    (Retention, "10 vuotta"),
    (Retention, "asiakkuuden päättymisestä lukien"),
    // Rekisterin suojauksen periaatteet A ja B
    (
        Security,
        "lukituissa ja paloturvallisissa säilytystiloissa",
    ),
    (Security, "Järjestelmä on suojattu palomuurilla"),
    // Oikeus siirtää tiedot järjestelmästä toiseen; the rights in the seed's own words
    (Rights, "Oikeus siirtää tiedot järjestelmästä toiseen"),
    (ExerciseRights, "Tarkastuspyyntö on allekirjoitettava."),
    (
        ExerciseRights,
        "Siirtopyynnön voi osoittaa rekisterin yhteyshenkilölle.",
    ),
    (ExerciseRights, "https://www.google.com/settings/ads"),
    // Oikeus tehdä valitus valvontaviranomaiselle
    (Complaint, "Tietosuojavaltuutetun toimisto"),
    (Complaint, "PL 800, Ratapihantie 9, 00521 Helsinki"),
];

// --- seed 002: Helpten Oy, the Helpten service (rekisteriseloste, 15.4.2011) ------------------
//
// Not listed: the repealed Personal Data Act (523/1999) the seed is given under (its title and
// §9's §§ 26 and 30); the real contact person of §2 and his e-mail, replaced by a fictitious
// contact in the demo data (only the role is checked).

const SEED_002: &[Fact] = &[
    // Title, date; §3 Rekisterin nimi
    (
        Register,
        "Helpten-palvelun asiakkuuteen ja palvelun käyttöön perustuva rekisteri",
    ),
    (Register, "Laatimispvm: 15.4.2011"),
    // §1 Rekisterinpitäjä
    (Controller, "Helpten Oy"),
    (Controller, "2104986-6"),
    (Controller, "Lars Sonckin kaari 16, 02600 Espoo"),
    (Controller, "010 423 7080"),
    // §2 Rekisteriasioista vastaava henkilö ja/tai yhteyshenkilö
    (
        Controller,
        "Rekisteriasioista vastaava henkilö ja/tai yhteyshenkilö",
    ),
    // §4: whose data the register holds
    (
        DataSubjects,
        "Helpten-palveluiden käyttäjäksi rekisteröityneet luonnolliset henkilöt",
    ),
    // §4 purposes
    (
        Purposes,
        "asiakkaan Helptenille antamien tiedonkäyttövaltuutusten ylläpitämiseen ja käyttöön",
    ),
    (
        Purposes,
        "liiketoiminnan operatiivisiin tarpeisiin (laskutus, raportointi)",
    ),
    (
        Purposes,
        "Helptenin tarjoamista palveluista ja tuotteista tiedottamiseen, myynnin edistämiseen ja markkinointiin",
    ),
    // §5 Rekisterin tietosisältö
    (
        DataCategories,
        "nimi, ikä, postiosoite, sähköpostiosoitteet ja puhelinnumerot, ammatti, asiointikieli",
    ),
    (
        DataCategories,
        "sidosryhmätiedot (esim. vakuutus- ja autoleasingtiedot)",
    ),
    (DataCategories, "työnantajayrityksen nimi ja y-tunnus"),
    // §6 Säännönmukaiset tietolähteet
    (Sources, "rekisteröidyltä itseltään"),
    (
        Sources,
        "väestörekisterikeskuksen väestötietojärjestelmästä",
    ),
    (Sources, "kaupparekisteristä"),
    (ObtainedElsewhere, "Kaupparekisteri"),
    // §6 "laskutustiedoista, sopimuksista, palvelujen käytöstä": observed, told with the cookies.
    (
        Cookies,
        "Tietoja kertyy laskutustiedoista, sopimuksista ja palvelujen käytöstä.",
    ),
    // §7.1, §7.2
    (Recipients, "viranomaisille lakisääteisissä tapauksissa"),
    (Recipients, "palvelutuotannon edellyttämässä tapauksissa"),
    (Recipients, "Helptenin fyysiseen rekisteriin"),
    // §7 siirto EU:n tai ETA:n ulkopuolelle
    (
        Transfers,
        "ellei se ole palvelun teknisen toteuttamisen vuoksi tarpeellista",
    ),
    // §8 A ja B
    (
        Security,
        "palomuurin, salasanojen ja muiden teknisten keinoin suojattuja",
    ),
    (Security, "lukituissa ja vartioituissa tiloissa"),
    // §9 Tarkastus-, kielto- ja korjausoikeus
    (ExerciseRights, "henkilökohtaisesti rekisterinpitäjän luona"),
    (ExerciseRights, "henkilömatrikkelia ja sukututkimusta varten"),
];

// --- seed 004: Puuha Group Oy, customer and marketing register (25.5.2018) --------------------
//
// The demo splits the one notice into three registers; what the seed says of the whole register
// (controller, contact person, description, the company's own use of the data, transfers,
// security, rights) must be in each of them. Not listed: "henkilötietolain sallimissa" (the
// repealed Personal Data Act), the real contact person of §2 (fictitious in the demo data), the
// web-shop page around the notice ("Tarjouskori", "Sivukartta"); the seed gives no retention.

const PUUHA_COMMON: &[Fact] = &[
    // §3 Rekisterin nimi
    (Register, "Puuha Groupin asiakas- ja markkinointirekisteri"),
    // §4: what is never stored
    (
        Register,
        "Henkilön sukupuoleen, terveyteen, seksuaaliseen, poliittiseen tai uskonnolliseen suuntautumiseen",
    ),
    // §1 Rekisterinpitäjä
    (Controller, "Puuha Group Oy"),
    (Controller, "1060493-2"),
    (Controller, "Teollisuuskatu 28-30, 20520 Turku"),
    // §2 Yhteyshenkilö rekisteriä koskevissa asioissa (Data Protection Officer)
    (Controller, "Yhteyshenkilö rekisteriä koskevissa asioissa"),
    (Dpo, "Data Protection Officer"),
    // §4 the bases: legitimate interest from the customer relationship
    (
        LegitimateInterests,
        "oikeutettu etu asiakassuhteen tai muun asiallisen yhteyden perusteella",
    ),
    // §7 Rekisteröidyn tietojen luovutus
    (
        Recipients,
        "Asiakasrekisterin tiedot ovat ainoastaan yrityksen käytössä.",
    ),
    // §8 Tietojen siirto EU:n tai ETA:n ulkopuolelle
    (
        Transfers,
        "Tietoja ei säännönmukaisesti luovuteta eikä siirretä EU:n tai ETA:n ulkopuolelle",
    ),
    // §9 Rekisterin suojauksen periaatteet
    (
        Security,
        "oikeus käyttää asiakasomistaja- ja asiakasrekisteriä ja ylläpitää sen tietoja",
    ),
    (
        Security,
        "palomuurein, salasanoin ja muilla teknisillä keinoilla suojattuja",
    ),
    // §10 Tarkastusoikeus, §12 korjaaminen, §13 muut oikeudet
    (
        ExerciseRights,
        "Tarkastuspyynnön tekijän henkilöllisyys on todennettava riittävällä tasolla",
    ),
    (
        ExerciseRights,
        "jokaisen sähköpostin lopussa olevasta linkistä",
    ),
];

/// Delivery, contracts, the customer relationship and events.
const PUUHA_CUSTOMER: &[Fact] = &[
    // §4 purposes
    (
        Purposes,
        "tuotteidemme ja palveluidemme toimittaminen ja kehittäminen",
    ),
    (Purposes, "tapahtumien järjestäminen"),
    (Purposes, "Sopimuksen täytäntöönpano"),
    // §5 Rekisterin tietosisältö
    (
        DataCategories,
        "asiakasnumero tai muu numerosarja kuten liidin tunnistenumero",
    ),
    (
        DataCategories,
        "titteli/arvonimi, oppiarvo, asiakassegmentti, verkko-osoite, maa",
    ),
    // §6 Säännönmukaiset tietolähteet
    (
        Sources,
        "asiakkaan tekemistä tilauksista ja/tai täyttämistä lomakkeista verkkopalvelussa",
    ),
    (Sources, "tai B2B kohderyhmien toimittamiseen"),
    (
        Cookies,
        "palvelun käytön aikana asiakasjärjestelmään lisätyistä tiedoista",
    ),
    // §7 Rekisteröidyn tietojen luovutus
    (Recipients, "luottopäätöksen tueksi"),
    (Recipients, "paitsi lainsäädännön velvoittaessa"),
    (
        Recipients,
        "Puuha Group Oy -kattobrändin alla toimiville yhtiöille perusteltuja tarkoituksia varten",
    ),
    // §5: giving the starred data is a condition of the contract
    (
        Provision,
        "Tähdellä merkittyjen henkilötietojen antaminen on edellytys sopimussuhteemme",
    ),
];

/// Electronic direct marketing, aftermarketing, market research, behaviour analysis.
const PUUHA_MARKETING: &[Fact] = &[
    (
        Purposes,
        "B2B -sähköpostimarkkinoinnin hyvää tapaa noudattaen",
    ),
    (Purposes, "jälkimarkkinointiin ja uusasiakashankintaan"),
    (Purposes, "markkinatutkimusten tekemiseen"),
    (
        Purposes,
        "käyttäytymisen analysointi ja profilointi",
    ),
    (Automated, "Käyttäytymisen analysointi ja profilointi"),
    (DataSubjects, "liidit"),
    (
        DataCategories,
        "lähetys-, avaus-, klikkaus- ja listalta poistumistiedot",
    ),
    (
        Sources,
        "sosiaalisesta mediasta ja julkisesta verkosta",
    ),
    (ObtainedElsewhere, "Sosiaalinen media ja julkinen verkko"),
    (
        Cookies,
        "sähköisen suoramarkkinointipalvelun seuraamien lähetys-, avaus-, klikkaus- ja listalta poistumistiedoilla",
    ),
    (
        Recipients,
        "ulkoista palveluntarjoajaa Puuha Group Oy:n tuotteiden ja palveluiden markkinointiin",
    ),
    (DirectMarketing, "milloin tahansa vastustaa tietojesi käsittelyä suoramarkkinointia varten"),
];

/// Orders and forms in the online service, the customer portal, cookies and ad targeting.
const PUUHA_ONLINE: &[Fact] = &[
    (
        Purposes,
        "asiakkaan tekemät tilaukset ja täyttämät lomakkeet verkkopalvelussa",
    ),
    (Purposes, "asiakasportaalin asiointi"),
    (
        Purposes,
        "mainonnan kohdentaminen yhtiömme omissa ja muiden tahojen verkkopalveluissa",
    ),
    (DataCategories, "käyttäjätunnus, salasana"),
    (DataCategories, "IP-osoite"),
    (
        DataCategories,
        "muut asiointitiedot kuten asiakasportaalin lokitiedot",
    ),
    (DataSubjects, "Verkkosivujen ja asiakasportaalin käyttäjät"),
    (
        Sources,
        "asiakkaan tekemistä tilauksista ja/tai täyttämistä lomakkeista verkkopalvelussa",
    ),
    (Cookies, "Puuha Group Oy:n verkkosivuilla (evästeiden)"),
    (
        Recipients,
        "perintään tai laskutukseen liittyvissä asioissa",
    ),
    (Recipients, "luottopäätöksen tueksi"),
    (
        Provision,
        "Ilman tarvittavia henkilötietoja emme voi toimittaa tuotetta ja/tai palvelua.",
    ),
];

const SEED_000_PIGGYBAGGY: Seed = Seed {
    file: "000_0f23820ba6295a79.txt",
    organisation: "coreorient",
    register: "piggybaggy",
    reviewed: "2013-08-10",
    facts: &[SEED_000],
};

const SEED_001_ASIAKASREKISTERI: Seed = Seed {
    file: "001_081be644dbbc2d4a.txt",
    organisation: "esimerkki",
    register: "asiakasrekisteri",
    // The template is undated; the demo records no review.
    reviewed: "",
    facts: &[SEED_001],
};

const SEED_002_HELPTEN: Seed = Seed {
    file: "002_cdf7123950f40d9d.txt",
    organisation: "helpten",
    register: "helpten-palvelu",
    reviewed: "2011-04-15",
    facts: &[SEED_002],
};

const SEED_004_CUSTOMER: Seed = Seed {
    file: "004_83e53e00c6a6b43c.txt",
    organisation: "puuha",
    register: "asiakasrekisteri",
    reviewed: "2018-05-25",
    facts: &[PUUHA_COMMON, PUUHA_CUSTOMER],
};

const SEED_004_MARKETING: Seed = Seed {
    file: "004_83e53e00c6a6b43c.txt",
    organisation: "puuha",
    register: "markkinointirekisteri",
    reviewed: "2018-05-25",
    facts: &[PUUHA_COMMON, PUUHA_MARKETING],
};

const SEED_004_ONLINE: Seed = Seed {
    file: "004_83e53e00c6a6b43c.txt",
    organisation: "puuha",
    register: "verkkopalvelu",
    reviewed: "2018-05-25",
    facts: &[PUUHA_COMMON, PUUHA_ONLINE],
};

// --- drafting ----------------------------------------------------------------------------------

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).expect("a date")
}

/// The organisation and register of `organisation`/`register`.
async fn find_register(
    db: &DatabaseConnection,
    organisation: &str,
    register: &str,
) -> (entity::organisation::Model, entity::register::Model) {
    let org = entity::organisation::Entity::find()
        .filter(entity::organisation::Column::Slug.eq(organisation))
        .one(db)
        .await
        .expect("organisations")
        .unwrap_or_else(|| panic!("the demo has the organisation {organisation}"));
    let reg = entity::register::Entity::find()
        .filter(entity::register::Column::OrganisationId.eq(org.id))
        .filter(entity::register::Column::Slug.eq(register))
        .one(db)
        .await
        .expect("registers")
        .unwrap_or_else(|| panic!("the demo has the register {organisation}/{register}"));
    (org, reg)
}

/// The register's draft notice in every language, Finnish first.
async fn drafts(app: &TestApp, register_id: Uuid) -> Vec<(Lang, Notice)> {
    let graph = RegisterGraph::load(&app.db, register_id)
        .await
        .expect("the register's graph loads");
    Lang::ALL
        .into_iter()
        .map(|lang| {
            let notice = ropa::notice::draft(&graph, lang, &app.state.adequacy, today())
                .expect("the notice drafts");
            assert_eq!(notice.language, lang.tag());
            (lang, notice)
        })
        .collect()
}

// --- walking statements ------------------------------------------------------------------------

fn normalise(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every statement under `statements`, depth first, with its path of indices.
fn walk<'a>(
    statements: &'a [Statement],
    path: &mut Vec<usize>,
    out: &mut Vec<(Vec<usize>, &'a Statement)>,
) {
    for (i, statement) in statements.iter().enumerate() {
        path.push(i);
        out.push((path.clone(), statement));
        walk(&statement.items, path, out);
        path.pop();
    }
}

fn all_statements(statements: &[Statement]) -> Vec<(Vec<usize>, &Statement)> {
    let mut out = Vec::new();
    walk(statements, &mut Vec::new(), &mut out);
    out
}

fn at<'a>(statements: &'a [Statement], path: &[usize]) -> Option<&'a Statement> {
    let (first, rest) = path.split_first()?;
    let statement = statements.get(*first)?;
    if rest.is_empty() {
        Some(statement)
    } else {
        at(&statement.items, rest)
    }
}

/// What a section says, one line per statement, for assertion messages.
fn said(statements: &[Statement]) -> String {
    statements
        .iter()
        .flat_map(Statement::texts)
        .map(|t| format!("    {}", normalise(&t)))
        .collect::<Vec<_>>()
        .join("\n")
}

fn set(ids: &[String]) -> BTreeSet<&str> {
    ids.iter().map(String::as_str).collect()
}

// --- the checklists ----------------------------------------------------------------------------

/// Each fact of `seed` is in its section of the Finnish notice, in a statement naming its nodes;
/// the statement at the same place in the Swedish and English notices names the same nodes and
/// is written in that language or marked as a fallback.
async fn check_seed(backend: crate::helpers::Backend, seed: &Seed) {
    let app = TestApp::with_demo(backend).await;
    let (_, register) = find_register(&app.db, seed.organisation, seed.register).await;
    let notices = drafts(&app, register.id).await;
    let name = seed.name();
    let fi = &notices[0].1;
    for (_, notice) in &notices {
        let reviewed = (!seed.reviewed.is_empty()).then(|| seed.reviewed.to_owned());
        assert_eq!(
            notice.last_reviewed_on, reviewed,
            "{name}, {}: the date the seed was drawn up",
            notice.language
        );
    }
    for &(section_id, phrase) in seed.facts() {
        let wanted = normalise(phrase);
        let section = fi.section(section_id).unwrap_or_else(|| {
            panic!("{name}, section {section_id:?}, fi: the section is missing; `{phrase}` should be in it")
        });
        let hits: Vec<_> = all_statements(&section.statements)
            .into_iter()
            .filter(|(_, s)| {
                normalise(&s.text).contains(&wanted)
                    || s.label
                        .as_deref()
                        .is_some_and(|l| normalise(l).contains(&wanted))
            })
            .collect();
        assert!(
            !hits.is_empty(),
            "{name}, section {section_id:?} ({}), fi: `{phrase}` is missing; the section says:\n{}",
            section.heading,
            said(&section.statements)
        );
        for (path, statement) in hits {
            assert!(
                !statement.node_ids.is_empty(),
                "{name}, section {section_id:?}, fi: `{phrase}` is in a statement that names no node"
            );
            for (lang, notice) in &notices[1..] {
                let lang = lang.tag();
                let other = notice.section(section_id).unwrap_or_else(|| {
                    panic!("{name}, section {section_id:?}, {lang}: the section is missing, so `{phrase}` (fi) is not told")
                });
                let twin = at(&other.statements, &path).unwrap_or_else(|| {
                    panic!(
                        "{name}, section {section_id:?}, {lang}: no statement where the Finnish notice says `{phrase}`; the section says:\n{}",
                        said(&other.statements)
                    )
                });
                assert_eq!(
                    set(&twin.node_ids),
                    set(&statement.node_ids),
                    "{name}, section {section_id:?}, {lang}: the statement in place of `{phrase}` (fi) names other nodes: {:?}",
                    twin.texts()
                );
                assert_eq!(
                    twin.text.trim().is_empty(),
                    statement.text.trim().is_empty(),
                    "{name}, section {section_id:?}, {lang}: the statement in place of `{phrase}` (fi) lost or gained its text: {:?}",
                    twin.texts()
                );
                assert!(
                    twin.language == lang || twin.fallback,
                    "{name}, section {section_id:?}, {lang}: `{phrase}` (fi) is told in {} without being marked as a fallback",
                    twin.language
                );
            }
        }
    }
}

// --- what the graph says -----------------------------------------------------------------------

/// The texts of one node: per field, each text with its language (none for a value written in no
/// particular language: names of parties, addresses, IDs).
#[derive(Default)]
struct NodeTexts {
    /// The register the node belongs to, for activities, transfers and retention rules.
    register: Option<Uuid>,
    fields: Vec<(&'static str, Option<String>, String)>,
}

impl NodeTexts {
    fn localized(mut self, field: &'static str, text: &LocalizedText) -> Self {
        for (lang, value) in &text.0 {
            if !value.trim().is_empty() {
                self.fields
                    .push((field, Some(lang.clone()), value.trim().to_owned()));
            }
        }
        self
    }

    fn plain(mut self, field: &'static str, value: Option<&str>) -> Self {
        if let Some(value) = value.filter(|v| !v.trim().is_empty()) {
            self.fields.push((field, None, value.trim().to_owned()));
        }
        self
    }

    /// A country code, and its name in each language.
    fn country(mut self, code: Option<&str>) -> Self {
        if let Some(code) = code {
            for lang in Lang::ALL {
                if let Some(name) = ropa::domain::countries::name(code, lang.tag()) {
                    self.fields
                        .push(("country", Some(lang.tag().to_owned()), name.to_owned()));
                }
            }
            self = self.plain("country", Some(code));
        }
        self
    }

    fn in_register(mut self, register: Uuid) -> Self {
        self.register = Some(register);
        self
    }

    /// The field's texts in `lang` and in no particular language.
    fn field<'a>(&'a self, field: &'a str, lang: Option<&'a str>) -> impl Iterator<Item = &'a str> {
        self.fields
            .iter()
            .filter(move |(f, l, _)| {
                *f == field && (lang.is_none() || l.is_none() || l.as_deref() == lang)
            })
            .map(|(_, _, t)| t.as_str())
    }
}

/// Every node of an organisation, by kind and UUID, read table by table.
async fn organisation_nodes(
    db: &DatabaseConnection,
    org: &entity::organisation::Model,
) -> HashMap<(NodeKind, Uuid), NodeTexts> {
    use entity::*;
    let mut nodes = HashMap::new();
    nodes.insert(
        (NodeKind::Organisation, org.id),
        NodeTexts::default()
            .plain("name", Some(&org.name))
            .plain("business_id", org.business_id.as_deref())
            .plain("address", org.address.as_deref())
            .plain("email", org.email.as_deref())
            .plain("phone", org.phone.as_deref())
            .plain("website", org.website.as_deref())
            .country(Some(&org.country)),
    );
    macro_rules! rows {
        ($module:ident) => {
            $module::Entity::find()
                .filter($module::Column::OrganisationId.eq(org.id))
                .all(db)
                .await
                .expect(stringify!($module))
        };
    }
    for c in rows!(contact) {
        let texts = NodeTexts::default()
            .plain("name", Some(&c.name))
            .localized("title", &c.title)
            .plain("email", c.email.as_deref())
            .plain("phone", c.phone.as_deref())
            .plain("address", c.address.as_deref());
        nodes.insert((NodeKind::Contact, c.id), texts);
    }
    for p in rows!(party) {
        let texts = NodeTexts::default()
            .plain("name", Some(&p.name))
            .plain("business_id", p.business_id.as_deref())
            .plain("address", p.address.as_deref())
            .plain("email", p.email.as_deref())
            .plain("phone", p.phone.as_deref())
            .plain("website", p.website.as_deref())
            .localized("description", &p.description)
            .country(p.country.as_deref());
        nodes.insert((NodeKind::Party, p.id), texts);
    }
    for r in rows!(register) {
        let texts = NodeTexts::default()
            .plain("key", Some(&r.slug))
            .localized("name", &r.name)
            .localized("description", &r.description)
            .localized("rights_instructions", &r.rights_instructions);
        nodes.insert((NodeKind::Register, r.id), texts);
    }
    for a in rows!(processing_activity) {
        let texts = NodeTexts::default()
            .plain("key", Some(&a.key))
            .localized("name", &a.name)
            .localized("purpose", &a.purpose)
            .localized("legitimate_interests", &a.legitimate_interests)
            .localized("criminal_data_basis", &a.criminal_data_basis)
            .localized("national_id_justification", &a.national_id_justification)
            .localized("consent_withdrawal", &a.consent_withdrawal)
            .localized("provision_consequence", &a.provision_consequence)
            .localized("automated_logic", &a.automated_logic)
            .localized("automated_consequences", &a.automated_consequences)
            .in_register(a.register_id);
        nodes.insert((NodeKind::ProcessingActivity, a.id), texts);
    }
    for s in rows!(data_subject_category) {
        let texts = NodeTexts::default()
            .plain("key", Some(&s.key))
            .localized("name", &s.name)
            .localized("description", &s.description);
        nodes.insert((NodeKind::DataSubjectCategory, s.id), texts);
    }
    for c in rows!(personal_data_category) {
        let texts = NodeTexts::default()
            .plain("key", Some(&c.key))
            .localized("name", &c.name)
            .localized("description", &c.description);
        nodes.insert((NodeKind::PersonalDataCategory, c.id), texts);
    }
    for s in rows!(data_source) {
        let texts = NodeTexts::default()
            .plain("key", Some(&s.key))
            .localized("name", &s.name)
            .localized("description", &s.description);
        nodes.insert((NodeKind::DataSource, s.id), texts);
    }
    for r in rows!(recipient) {
        let texts = NodeTexts::default()
            .plain("key", Some(&r.key))
            .localized("name", &r.name)
            .localized("description", &r.description);
        nodes.insert((NodeKind::Recipient, r.id), texts);
    }
    // The internal details of a measure are not among its texts: they must never be told.
    for m in rows!(security_measure) {
        let texts = NodeTexts::default()
            .plain("key", Some(&m.key))
            .localized("name", &m.name)
            .localized("description", &m.description);
        nodes.insert((NodeKind::SecurityMeasure, m.id), texts);
    }
    for t in rows!(transfer) {
        let texts = NodeTexts::default()
            .localized("description", &t.description)
            .localized("safeguards_copy", &t.safeguards_copy)
            .plain("safeguards_reference", t.safeguards_reference.as_deref())
            .plain(
                "international_organisation",
                t.international_organisation.as_deref(),
            )
            .country(t.country.as_deref())
            .in_register(t.register_id);
        nodes.insert((NodeKind::Transfer, t.id), texts);
    }
    for r in rows!(retention_rule) {
        let texts = NodeTexts::default()
            .localized("criteria", &r.criteria)
            .localized("starts_from", &r.starts_from)
            .in_register(r.register_id);
        nodes.insert((NodeKind::RetentionRule, r.id), texts);
    }
    nodes
}

/// The catalogue's phrases that statements may use, in `lang`: labels, sentences, vocabularies
/// and durations (`{name}` marks a value filled in).
fn catalogue_phrases(lang: Lang) -> Vec<String> {
    let source: serde_norway::Value = serde_norway::from_str(include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src/notice/catalogue.yaml"
    )))
    .expect("the catalogue parses");
    fn collect(value: &serde_norway::Value, lang: &str, out: &mut Vec<String>) {
        if let serde_norway::Value::Mapping(map) = value {
            for (key, value) in map {
                match (key.as_str(), value) {
                    (Some(k), serde_norway::Value::String(s)) if k == lang => out.push(s.clone()),
                    (Some(k), serde_norway::Value::Sequence(forms)) if k == lang => {
                        out.extend(forms.iter().filter_map(|f| f.as_str().map(str::to_owned)))
                    }
                    _ => collect(value, lang, out),
                }
            }
        }
    }
    let mut out = Vec::new();
    for key in [
        "intro_13",
        "intro_13_14",
        "intro_partial",
        "intro_partial_14",
        "labels",
        "sentences",
        "duration",
        "legal_basis",
        "special_condition",
        "mechanism",
        "recipient_kind",
        "security_kind",
        "data_category_kind",
        "provision",
        "right",
    ] {
        collect(&source[key], lang.tag(), &mut out);
    }
    assert!(
        out.len() > 50,
        "the catalogue has its phrases in {}",
        lang.tag()
    );
    out
}

/// The graph texts a statement may use: the texts of its own nodes, in `lang` or in none.
fn own_texts<'a>(
    nodes: &'a HashMap<(NodeKind, Uuid), NodeTexts>,
    ids: &[String],
    lang: &str,
) -> Vec<&'a str> {
    let mut texts: Vec<&str> = ids
        .iter()
        .filter_map(|id| decode(id).and_then(|key| nodes.get(&key)))
        .flat_map(|node| {
            node.fields
                .iter()
                .filter(|(_, l, _)| l.as_deref().is_none_or(|l| l == lang))
                .map(|(_, _, t)| t.as_str())
        })
        .collect();
    // Longest first, so a name is not cut short by a shorter one it starts with.
    texts.sort_by_key(|t| std::cmp::Reverse(t.len()));
    texts
}

/// `text` is one of `texts`, or several of them joined as a list (`a, b` or `a; b`).
fn is_graph_text(text: &str, texts: &[&str]) -> bool {
    if texts.contains(&text) {
        return true;
    }
    [", ", "; "].into_iter().any(|separator| {
        let mut reachable = vec![false; text.len() + 1];
        reachable[0] = true;
        for start in 0..text.len() {
            if !reachable[start] {
                continue;
            }
            for t in texts.iter().filter(|t| text[start..].starts_with(**t)) {
                let end = start + t.len();
                if end == text.len() {
                    return true;
                }
                if text[end..].starts_with(separator) {
                    reachable[end + separator.len()] = true;
                }
            }
        }
        false
    })
}

/// `text` is the catalogue phrase `template`, each `{placeholder}` filled with a number or with
/// text that `fill` accepts.
fn fills_template(template: &str, text: &str, fill: &dyn Fn(&str) -> bool) -> bool {
    let Some(open) = template.find('{') else {
        return template == text;
    };
    let Some(text) = text.strip_prefix(&template[..open]) else {
        return false;
    };
    let Some(close) = template[open..].find('}') else {
        return false;
    };
    let after = &template[open + close + 1..];
    let next_literal = &after[..after.find('{').unwrap_or(after.len())];
    (1..=text.len())
        .filter(|&end| text.is_char_boundary(end))
        .filter(|&end| {
            if after.is_empty() {
                end == text.len()
            } else {
                text[end..].starts_with(next_literal)
            }
        })
        .any(|end| {
            let value = &text[..end];
            (value.chars().all(|c| c.is_ascii_digit()) || fill(value))
                && fills_template(after, &text[end..], fill)
        })
}

/// `text` is what the graph says through the statement's nodes, or a catalogue phrase.
fn is_accounted_for(text: &str, texts: &[&str], catalogue: &[String]) -> bool {
    let text = text.trim();
    is_graph_text(text, texts)
        || catalogue
            .iter()
            .any(|template| fills_template(template, text, &|value| is_graph_text(value, texts)))
}

/// The texts of `field` of the nodes a statement names, which must all be of `kind` (a
/// statement that several nodes say alike, such as identical transfers, names them all).
fn field_of<'a>(
    nodes: &'a HashMap<(NodeKind, Uuid), NodeTexts>,
    statement: &Statement,
    kind: NodeKind,
    field: &'a str,
    lang: Option<&'a str>,
) -> Vec<&'a str> {
    assert!(
        !statement.node_ids.is_empty(),
        "`{}` names a {kind:?}",
        statement.text
    );
    let mut texts = Vec::new();
    for id in &statement.node_ids {
        let key = decode(id).expect("an ID");
        assert_eq!(
            key.0, kind,
            "`{}` names only {kind:?} nodes",
            statement.text
        );
        texts.extend(
            nodes
                .get(&key)
                .into_iter()
                .flat_map(|n| n.field(field, lang)),
        );
    }
    texts
}

/// Where the graph's own content sits in a notice: the statement's text (or label) must be that
/// field of its node.
fn check_graph_content(place: &str, notice: &Notice, nodes: &HashMap<(NodeKind, Uuid), NodeTexts>) {
    let lang = notice.language.as_str();
    let is = |what: &str, texts: Vec<&str>, section: SectionId, field: &str| {
        assert!(
            texts.contains(&what.trim()),
            "{place}, {lang}, section {section:?}: `{what}` is not the {field} of its node (which says {texts:?})"
        );
    };
    for section in &notice.sections {
        let id = section.id;
        for s in &section.statements {
            match id {
                Register => is(
                    &s.text,
                    [
                        field_of(nodes, s, NodeKind::Register, "name", Some(&s.language)),
                        field_of(
                            nodes,
                            s,
                            NodeKind::Register,
                            "description",
                            Some(&s.language),
                        ),
                    ]
                    .concat(),
                    id,
                    "name or description",
                ),
                Purposes => {
                    let name = field_of(nodes, s, NodeKind::ProcessingActivity, "name", Some(lang));
                    is(s.label.as_deref().unwrap_or_default(), name, id, "name");
                    if !s.text.is_empty() {
                        let purpose = field_of(
                            nodes,
                            s,
                            NodeKind::ProcessingActivity,
                            "purpose",
                            Some(&s.language),
                        );
                        is(&s.text, purpose, id, "purpose");
                    }
                }
                LegitimateInterests => {
                    let interests = field_of(
                        nodes,
                        s,
                        NodeKind::ProcessingActivity,
                        "legitimate_interests",
                        Some(&s.language),
                    );
                    is(&s.text, interests, id, "legitimate interests");
                }
                DataSubjects => {
                    let name =
                        field_of(nodes, s, NodeKind::DataSubjectCategory, "name", Some(lang));
                    is(&s.text, name, id, "name");
                }
                DataCategories => {
                    let name =
                        field_of(nodes, s, NodeKind::PersonalDataCategory, "name", Some(lang));
                    is(&s.text, name, id, "name");
                    let described = decode(&s.node_ids[0])
                        .and_then(|key| nodes.get(&key))
                        .is_some_and(|n| n.field("description", None).next().is_some());
                    if let Some(d) = s.items.first().filter(|_| described) {
                        let description = field_of(
                            nodes,
                            d,
                            NodeKind::PersonalDataCategory,
                            "description",
                            Some(&d.language),
                        );
                        is(&d.text, description, id, "description");
                    }
                }
                Sources | Cookies | ObtainedElsewhere => {
                    let name = field_of(nodes, s, NodeKind::DataSource, "name", Some(lang));
                    is(&s.text, name, id, "name");
                }
                Recipients | Security => {
                    assert!(
                        s.text.is_empty() && s.node_ids.is_empty() && s.label.is_some(),
                        "{place}, {lang}, section {id:?}: the top level groups by kind: {:?}",
                        s.texts()
                    );
                    for item in &s.items {
                        if id == Recipients {
                            let name =
                                field_of(nodes, item, NodeKind::Recipient, "name", Some(lang));
                            is(&item.text, name, id, "name");
                        } else if item.label.is_some() {
                            let name = field_of(
                                nodes,
                                item,
                                NodeKind::SecurityMeasure,
                                "name",
                                Some(lang),
                            );
                            is(item.label.as_deref().unwrap_or_default(), name, id, "name");
                            let description = field_of(
                                nodes,
                                item,
                                NodeKind::SecurityMeasure,
                                "description",
                                Some(&item.language),
                            );
                            is(&item.text, description, id, "description");
                        } else {
                            let name = field_of(
                                nodes,
                                item,
                                NodeKind::SecurityMeasure,
                                "name",
                                Some(lang),
                            );
                            is(&item.text, name, id, "name");
                        }
                    }
                }
                Transfers if !s.text.is_empty() && s.node_ids[0].starts_with("trf_") => {
                    let description = field_of(
                        nodes,
                        s,
                        NodeKind::Transfer,
                        "description",
                        Some(&s.language),
                    );
                    is(&s.text, description, id, "description");
                }
                Controller if s.node_ids.first().is_some_and(|n| n.starts_with("org_")) => {
                    let name = field_of(nodes, s, NodeKind::Organisation, "name", None);
                    is(&s.text, name, id, "name");
                }
                ExerciseRights if s.node_ids.first().is_some_and(|n| n.starts_with("reg_")) => {
                    let instructions = field_of(
                        nodes,
                        s,
                        NodeKind::Register,
                        "rights_instructions",
                        Some(&s.language),
                    );
                    is(&s.text, instructions, id, "rights instructions");
                }
                _ => {}
            }
        }
    }
}

/// Runs `check` on the notice of every demo register in every language.
async fn for_every_notice(
    backend: crate::helpers::Backend,
    check: impl Fn(&str, &Notice, &HashMap<(NodeKind, Uuid), NodeTexts>, Uuid),
) {
    let app = TestApp::with_demo(backend).await;
    let registers = entity::register::Entity::find()
        .all(&app.db)
        .await
        .expect("registers");
    assert_eq!(registers.len(), 6, "the demo has six registers");
    for register in registers {
        let org = entity::organisation::Entity::find_by_id(register.organisation_id)
            .one(&app.db)
            .await
            .expect("organisation")
            .expect("the register's organisation");
        let nodes = organisation_nodes(&app.db, &org).await;
        let place = format!("{}/{}", org.slug, register.slug);
        for (_, notice) in drafts(&app, register.id).await {
            check(&place, &notice, &nodes, register.id);
        }
    }
}

backend_test! {
    async fn seed_000_piggybaggy_is_told_in_every_language(backend) {
        check_seed(backend, &SEED_000_PIGGYBAGGY).await;
    }

    async fn seed_001_template_customer_register_is_told_in_every_language(backend) {
        check_seed(backend, &SEED_001_ASIAKASREKISTERI).await;
    }

    async fn seed_002_helpten_is_told_in_every_language(backend) {
        check_seed(backend, &SEED_002_HELPTEN).await;
    }

    async fn seed_004_puuha_customer_register_is_told_in_every_language(backend) {
        check_seed(backend, &SEED_004_CUSTOMER).await;
    }

    async fn seed_004_puuha_marketing_register_is_told_in_every_language(backend) {
        check_seed(backend, &SEED_004_MARKETING).await;
    }

    async fn seed_004_puuha_online_service_register_is_told_in_every_language(backend) {
        check_seed(backend, &SEED_004_ONLINE).await;
    }

    async fn every_statement_names_its_nodes_and_every_node_exists(backend) {
        for_every_notice(backend, |place, notice, nodes, register_id| {
            let lang = notice.language.as_str();
            let sections = notice
                .sections
                .iter()
                .map(|s| (format!("section {:?}", s.id), &s.statements, &s.gaps));
            let no_gaps: Vec<ropa::notice::Gap> = Vec::new();
            let intro = std::iter::once(("intro".to_owned(), &notice.intro, &no_gaps));
            for (where_, statements, gaps) in intro.chain(sections) {
                let mut ids: Vec<&String> = Vec::new();
                for (_, s) in all_statements(statements) {
                    // A pure group label: no text of its own, a label, and items that name nodes.
                    let group = s.text.trim().is_empty()
                        && s.label.as_deref().is_some_and(|l| !l.trim().is_empty())
                        && !s.items.is_empty()
                        && s.items.iter().all(|i| !i.node_ids.is_empty());
                    assert!(
                        group || !s.node_ids.is_empty(),
                        "{place}, {lang}, {where_}: a statement that names no node: {:?}",
                        s.texts()
                    );
                    assert_eq!(
                        s.fallback,
                        s.language != lang,
                        "{place}, {lang}, {where_}: `{}` is in {} and marked fallback={}",
                        s.text,
                        s.language,
                        s.fallback
                    );
                    ids.extend(&s.node_ids);
                }
                for gap in gaps {
                    assert!(
                        !gap.node_ids.is_empty(),
                        "{place}, {lang}, {where_}: the gap `{}` names no node",
                        gap.message
                    );
                    ids.extend(&gap.node_ids);
                }
                for id in ids {
                    let key = decode(id).unwrap_or_else(|| {
                        panic!("{place}, {lang}, {where_}: `{id}` is not a node ID")
                    });
                    let node = nodes.get(&key).unwrap_or_else(|| {
                        panic!("{place}, {lang}, {where_}: `{id}` ({:?}) is not a node of the organisation", key.0)
                    });
                    if let Some(register) = node.register {
                        assert_eq!(
                            register, register_id,
                            "{place}, {lang}, {where_}: `{id}` belongs to another register"
                        );
                    }
                }
            }
        })
        .await;
    }

    async fn every_text_is_the_graphs_or_the_catalogues(backend) {
        let catalogues: HashMap<&str, Vec<String>> =
            Lang::ALL.into_iter().map(|l| (l.tag(), catalogue_phrases(l))).collect();
        for_every_notice(backend, |place, notice, nodes, _| {
            let lang = notice.language.as_str();
            let catalogue = &catalogues[lang];
            let sections = notice
                .sections
                .iter()
                .map(|s| (format!("section {:?}", s.id), &s.statements));
            let intro = std::iter::once(("intro".to_owned(), &notice.intro));
            for (where_, statements) in intro.chain(sections) {
                for (_, s) in all_statements(statements) {
                    // A text is in the statement's language; a label always in the notice's.
                    let texts = own_texts(nodes, &s.node_ids, &s.language);
                    assert!(
                        s.text.trim().is_empty() || is_accounted_for(&s.text, &texts, catalogue),
                        "{place}, {lang}, {where_}: `{}` ({}) is neither a text of its nodes {:?} nor a catalogue phrase",
                        s.text,
                        s.language,
                        s.node_ids
                    );
                    if let Some(label) = &s.label {
                        let texts = own_texts(nodes, &s.node_ids, lang);
                        assert!(
                            is_accounted_for(label, &texts, catalogue),
                            "{place}, {lang}, {where_}: the label `{label}` is neither a text of its nodes {:?} nor a catalogue phrase",
                            s.node_ids
                        );
                    }
                }
            }
            check_graph_content(place, notice, nodes);
        })
        .await;
    }
}
