//! The organisation document the benchmarks import: deterministic (a fixed-seed generator), so
//! every run imports the same graph. `document(1, 200)` is the register of 200 activities that
//! `notice_generation` measures; `record_export` imports ten such registers, and from the second
//! register on every fifth activity is done as a processor on behalf of a client controller.

use serde_json::{json, Value};

/// A small deterministic generator (xorshift64*), so every run imports the same document.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number in `low..=high`.
    fn between(&mut self, low: usize, high: usize) -> usize {
        low + (self.next() % (high - low + 1) as u64) as usize
    }
}

/// `must` first, then keys drawn from `pool` until there are 3 to 8 (or all of `must`).
fn pick(rng: &mut Rng, pool: &[&str], must: &[&str]) -> Vec<String> {
    let want = rng.between(3, 8).max(must.len());
    let mut out: Vec<String> = Vec::new();
    for key in must {
        if !out.iter().any(|k| k == key) {
            out.push((*key).to_owned());
        }
    }
    while out.len() < want.min(pool.len()) {
        let key = pool[rng.next() as usize % pool.len()];
        if !out.iter().any(|k| k == key) {
            out.push(key.to_owned());
        }
    }
    out
}

fn tr(fi: &str, sv: &str, en: &str) -> Value {
    json!({ "fi": fi, "sv": sv, "en": en })
}

fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// (key, fi, sv, en, kind)
const CATEGORIES: [(&str, &str, &str, &str, &str); 30] = [
    ("nimi", "Nimi", "Namn", "Name", "ordinary"),
    (
        "yhteystiedot",
        "Yhteystiedot",
        "Kontaktuppgifter",
        "Contact details",
        "ordinary",
    ),
    (
        "syntymaaika",
        "Syntymäaika",
        "Födelsedatum",
        "Date of birth",
        "ordinary",
    ),
    (
        "asiakasnumero",
        "Asiakasnumero",
        "Kundnummer",
        "Customer number",
        "ordinary",
    ),
    (
        "tilaushistoria",
        "Tilaushistoria",
        "Beställningshistorik",
        "Order history",
        "ordinary",
    ),
    (
        "maksutiedot",
        "Maksutiedot",
        "Betalningsuppgifter",
        "Payment details",
        "ordinary",
    ),
    (
        "laskutustiedot",
        "Laskutustiedot",
        "Faktureringsuppgifter",
        "Billing details",
        "ordinary",
    ),
    (
        "toimitusosoite",
        "Toimitusosoite",
        "Leveransadress",
        "Delivery address",
        "ordinary",
    ),
    (
        "asiointikieli",
        "Asiointikieli",
        "Kommunikationsspråk",
        "Language of communication",
        "ordinary",
    ),
    (
        "markkinointiluvat",
        "Markkinointiluvat ja -kiellot",
        "Marknadsföringstillstånd och -förbud",
        "Marketing permissions and prohibitions",
        "ordinary",
    ),
    (
        "kanta-asiakkuus",
        "Kanta-asiakkuuden tiedot",
        "Uppgifter om stamkundskap",
        "Loyalty membership data",
        "ordinary",
    ),
    (
        "ostokayttaytyminen",
        "Ostokäyttäytyminen",
        "Köpbeteende",
        "Purchasing behaviour",
        "ordinary",
    ),
    (
        "asiakaspalvelutapahtumat",
        "Asiakaspalvelutapahtumat",
        "Kundtjänstärenden",
        "Customer service interactions",
        "ordinary",
    ),
    (
        "puhelutallenteet",
        "Puhelutallenteet",
        "Samtalsinspelningar",
        "Call recordings",
        "ordinary",
    ),
    (
        "reklamaatiot",
        "Reklamaatiotiedot",
        "Reklamationsuppgifter",
        "Complaint details",
        "ordinary",
    ),
    (
        "ip-osoite",
        "IP-osoite",
        "IP-adress",
        "IP address",
        "ordinary",
    ),
    (
        "evastetunnisteet",
        "Evästetunnisteet",
        "Kakidentifierare",
        "Cookie identifiers",
        "ordinary",
    ),
    (
        "laitetiedot",
        "Laitetiedot",
        "Enhetsuppgifter",
        "Device data",
        "ordinary",
    ),
    (
        "sijainti",
        "Sijaintitiedot",
        "Platsuppgifter",
        "Location data",
        "ordinary",
    ),
    (
        "kameratallenteet",
        "Kameravalvontatallenteet",
        "Kameraövervakningsinspelningar",
        "CCTV recordings",
        "ordinary",
    ),
    (
        "luottotiedot",
        "Luottotiedot",
        "Kreditupplysningar",
        "Credit information",
        "ordinary",
    ),
    (
        "tyonantaja",
        "Työnantaja ja asema",
        "Arbetsgivare och ställning",
        "Employer and position",
        "ordinary",
    ),
    (
        "yritystiedot",
        "Yrityksen tiedot",
        "Företagsuppgifter",
        "Company details",
        "ordinary",
    ),
    (
        "kyselyvastaukset",
        "Kyselyvastaukset",
        "Enkätsvar",
        "Survey responses",
        "ordinary",
    ),
    (
        "kilpailuvastaukset",
        "Arvontojen ja kilpailujen vastaukset",
        "Svar i utlottningar och tävlingar",
        "Prize draw and contest entries",
        "ordinary",
    ),
    (
        "kayttajatili",
        "Käyttäjätili",
        "Användarkonto",
        "User account",
        "ordinary",
    ),
    (
        "terveystiedot",
        "Terveystiedot",
        "Hälsouppgifter",
        "Health data",
        "special",
    ),
    (
        "ruokavalio",
        "Erityisruokavaliot",
        "Specialkost",
        "Special diets",
        "special",
    ),
    (
        "henkilotunnus",
        "Henkilötunnus",
        "Personbeteckning",
        "Personal identity code",
        "national_id",
    ),
    (
        "rikostiedot",
        "Rikostuomioita ja rikkomuksia koskevat tiedot",
        "Uppgifter om fällande domar i brottmål och överträdelser",
        "Data on criminal convictions and offences",
        "criminal",
    ),
];

/// (key, fi, sv, en)
const SUBJECTS: [(&str, &str, &str, &str); 10] = [
    ("asiakkaat", "Asiakkaat", "Kunder", "Customers"),
    (
        "kanta-asiakkaat",
        "Kanta-asiakkaat",
        "Stamkunder",
        "Loyalty members",
    ),
    (
        "verkkokaupan-kayttajat",
        "Verkkokaupan käyttäjät",
        "Användare av webbutiken",
        "Online shop users",
    ),
    (
        "uutiskirjeen-tilaajat",
        "Uutiskirjeen tilaajat",
        "Prenumeranter på nyhetsbrevet",
        "Newsletter subscribers",
    ),
    (
        "yritysasiakkaiden-yhteyshenkilot",
        "Yritysasiakkaiden yhteyshenkilöt",
        "Kontaktpersoner hos företagskunder",
        "Contact persons of business customers",
    ),
    (
        "toimittajien-yhteyshenkilot",
        "Toimittajien yhteyshenkilöt",
        "Kontaktpersoner hos leverantörer",
        "Contact persons of suppliers",
    ),
    (
        "tapahtumien-osallistujat",
        "Tapahtumien osallistujat",
        "Deltagare i evenemang",
        "Event participants",
    ),
    (
        "myymalavierailijat",
        "Myymälöissä asioivat",
        "Besökare i butikerna",
        "Visitors to the stores",
    ),
    (
        "arvontojen-osallistujat",
        "Arvontoihin osallistuvat",
        "Deltagare i utlottningar",
        "Prize draw participants",
    ),
    (
        "mahdolliset-asiakkaat",
        "Mahdolliset asiakkaat",
        "Potentiella kunder",
        "Prospective customers",
    ),
];

/// A source or a recipient: (key, kind, party, fi, sv, en).
type Node = (
    &'static str,
    &'static str,
    Option<&'static str>,
    &'static str,
    &'static str,
    &'static str,
);

const SOURCES: [Node; 15] = [
    (
        "rekisteroity",
        "data_subject",
        None,
        "Rekisteröity itse",
        "Den registrerade själv",
        "The data subject",
    ),
    (
        "verkkokauppa",
        "data_subject",
        None,
        "Verkkokaupan tilauslomake",
        "Webbutikens beställningsformulär",
        "Online shop order form",
    ),
    (
        "asiakaspalvelukanavat",
        "data_subject",
        None,
        "Asiakaspalvelukanavat",
        "Kundtjänstkanaler",
        "Customer service channels",
    ),
    (
        "kyselylomakkeet",
        "data_subject",
        None,
        "Kyselylomakkeet",
        "Enkätformulär",
        "Survey forms",
    ),
    (
        "kanta-asiakashakemus",
        "data_subject",
        None,
        "Kanta-asiakashakemus",
        "Ansökan om stamkundskap",
        "Loyalty programme application",
    ),
    (
        "luottotietorekisteri",
        "third_party",
        Some("luottotieto"),
        "Luottotietorekisteri",
        "Kreditupplysningsregistret",
        "Credit reference register",
    ),
    (
        "osoitepalvelu",
        "third_party",
        None,
        "Osoitteenpäivityspalvelu",
        "Adressuppdateringstjänst",
        "Address update service",
    ),
    (
        "yhteistyokumppanit",
        "third_party",
        Some("kanta-asiakaskumppani"),
        "Yhteistyökumppanit",
        "Samarbetspartner",
        "Partners",
    ),
    (
        "konserniyhtiot",
        "third_party",
        Some("konserniyhtio"),
        "Konserniyhtiöt",
        "Koncernbolag",
        "Group companies",
    ),
    (
        "vaestotietojarjestelma",
        "public",
        None,
        "Väestötietojärjestelmä",
        "Befolkningsdatasystemet",
        "Population Information System",
    ),
    (
        "kaupparekisteri",
        "public",
        None,
        "Kaupparekisteri",
        "Handelsregistret",
        "Trade Register",
    ),
    (
        "evasteet",
        "observed",
        None,
        "Verkkosivujen evästeet",
        "Kakor på webbplatsen",
        "Website cookies",
    ),
    (
        "verkkoanalytiikka",
        "observed",
        Some("analytiikka"),
        "Verkkoanalytiikka",
        "Webbanalys",
        "Web analytics",
    ),
    (
        "kameravalvonta",
        "observed",
        None,
        "Kameravalvonta",
        "Kameraövervakning",
        "CCTV",
    ),
    (
        "mobiilisovellus",
        "observed",
        None,
        "Mobiilisovelluksen käyttö",
        "Användning av mobilappen",
        "Use of the mobile app",
    ),
];

const RECIPIENTS: [Node; 25] = [
    (
        "asiakaspalvelu",
        "internal",
        None,
        "Asiakaspalvelu",
        "Kundtjänst",
        "Customer service",
    ),
    (
        "myynti",
        "internal",
        None,
        "Myynti ja markkinointi",
        "Försäljning och marknadsföring",
        "Sales and marketing",
    ),
    (
        "talous",
        "internal",
        None,
        "Taloushallinto",
        "Ekonomiförvaltning",
        "Finance",
    ),
    (
        "pilvipalvelu",
        "processor",
        Some("pilvipalvelu"),
        "Pilvipalveluntarjoaja",
        "Molntjänstleverantör",
        "Cloud service provider",
    ),
    (
        "crm",
        "processor",
        Some("crm-toimittaja"),
        "Asiakkuudenhallintajärjestelmän toimittaja",
        "Leverantör av kundhanteringssystem",
        "CRM system provider",
    ),
    (
        "sahkopostipalvelu",
        "processor",
        Some("markkinointitoimisto"),
        "Sähköpostipalvelu",
        "E-posttjänst",
        "E-mail service provider",
    ),
    (
        "tukipalvelu",
        "processor",
        Some("tukipalvelu"),
        "Asiakastuen alihankkija",
        "Underleverantör för kundsupport",
        "Customer support subcontractor",
    ),
    (
        "analytiikkapalvelu",
        "processor",
        Some("analytiikka"),
        "Analytiikkapalvelu",
        "Analystjänst",
        "Analytics service",
    ),
    (
        "tulostuspalvelu",
        "processor",
        None,
        "Tulostus- ja postituspalvelu",
        "Utskrifts- och posttjänst",
        "Printing and mailing service",
    ),
    (
        "maksupalvelu",
        "processor",
        Some("maksunvalittaja"),
        "Maksunvälittäjä",
        "Betalningsförmedlare",
        "Payment service provider",
    ),
    (
        "vartiointi",
        "processor",
        None,
        "Vartiointiliike",
        "Bevakningsföretag",
        "Security company",
    ),
    (
        "arkistointi",
        "processor",
        None,
        "Arkistointipalvelu",
        "Arkiveringstjänst",
        "Archiving service",
    ),
    (
        "it-tuki",
        "processor",
        Some("pilvipalvelu-alihankkija"),
        "IT-tukipalvelu",
        "IT-supporttjänst",
        "IT support service",
    ),
    (
        "perintatoimisto",
        "third_party",
        Some("perintatoimisto"),
        "Perintätoimisto",
        "Inkassobyrå",
        "Debt collection agency",
    ),
    (
        "kuljetusyhtiot",
        "third_party",
        Some("kuljetusyhtio"),
        "Kuljetusyhtiöt",
        "Transportföretag",
        "Carriers",
    ),
    (
        "luottotietoyhtio",
        "third_party",
        Some("luottotieto"),
        "Luottotietoyhtiö",
        "Kreditupplysningsföretag",
        "Credit reference agency",
    ),
    (
        "tilintarkastaja",
        "third_party",
        None,
        "Tilintarkastaja",
        "Revisor",
        "Auditor",
    ),
    (
        "verohallinto",
        "authority",
        None,
        "Verohallinto",
        "Skatteförvaltningen",
        "Finnish Tax Administration",
    ),
    ("poliisi", "authority", None, "Poliisi", "Polisen", "Police"),
    (
        "tukes",
        "authority",
        None,
        "Turvallisuus- ja kemikaalivirasto",
        "Säkerhets- och kemikalieverket",
        "Finnish Safety and Chemicals Agency",
    ),
    (
        "rahanpesun-selvittelykeskus",
        "authority",
        None,
        "Rahanpesun selvittelykeskus",
        "Centralen för utredning av penningtvätt",
        "Financial Intelligence Unit",
    ),
    (
        "konserniyhtiot",
        "group_company",
        Some("konserniyhtio"),
        "Konserniyhtiöt",
        "Koncernbolag",
        "Group companies",
    ),
    (
        "kanta-asiakaskumppani",
        "joint_controller",
        Some("kanta-asiakaskumppani"),
        "Kanta-asiakasohjelman kumppani",
        "Stamkundsprogrammets partner",
        "Loyalty programme partner",
    ),
    (
        "palvelun-kayttajat",
        "service_users",
        None,
        "Palvelun muut käyttäjät",
        "Andra användare av tjänsten",
        "Other users of the service",
    ),
    (
        "markkinointitoimisto",
        "processor",
        Some("markkinointitoimisto"),
        "Markkinointitoimisto",
        "Reklambyrå",
        "Marketing agency",
    ),
];

/// (key, kind, fi, sv, en)
const MEASURES: [(&str, &str, &str, &str, &str); 12] = [
    ("salaus", "technical", "Salaus", "Kryptering", "Encryption"),
    (
        "mfa",
        "technical",
        "Monivaiheinen tunnistautuminen",
        "Flerfaktorsautentisering",
        "Multi-factor authentication",
    ),
    (
        "palomuurit",
        "technical",
        "Palomuurit",
        "Brandväggar",
        "Firewalls",
    ),
    (
        "lokitus",
        "technical",
        "Käytön lokitus",
        "Loggning av användning",
        "Access logging",
    ),
    (
        "varmuuskopiot",
        "technical",
        "Varmuuskopiointi",
        "Säkerhetskopiering",
        "Backups",
    ),
    (
        "paivitykset",
        "technical",
        "Ohjelmistopäivitykset",
        "Programuppdateringar",
        "Software updates",
    ),
    (
        "kayttooikeudet",
        "organisational",
        "Käyttöoikeuksien hallinta",
        "Behörighetshantering",
        "Access management",
    ),
    (
        "koulutus",
        "organisational",
        "Tietosuojakoulutus",
        "Dataskyddsutbildning",
        "Data protection training",
    ),
    (
        "salassapito",
        "organisational",
        "Salassapitositoumukset",
        "Tystnadsförbindelser",
        "Confidentiality undertakings",
    ),
    (
        "kasittelysopimukset",
        "organisational",
        "Käsittelysopimukset",
        "Personuppgiftsbiträdesavtal",
        "Data processing agreements",
    ),
    (
        "kulunvalvonta",
        "physical",
        "Kulunvalvonta",
        "Passerkontroll",
        "Access control to premises",
    ),
    (
        "lukitut-tilat",
        "physical",
        "Lukitut tilat",
        "Låsta utrymmen",
        "Locked premises",
    ),
];

/// The business units each theme is repeated for: (fi, sv, en).
const UNITS: [(&str, &str, &str); 10] = [
    (
        "Helsingin myymälä",
        "butiken i Helsingfors",
        "Helsinki store",
    ),
    ("Espoon myymälä", "butiken i Esbo", "Espoo store"),
    ("Tampereen myymälä", "butiken i Tammerfors", "Tampere store"),
    ("Turun myymälä", "butiken i Åbo", "Turku store"),
    ("Oulun myymälä", "butiken i Uleåborg", "Oulu store"),
    ("Vaasan myymälä", "butiken i Vasa", "Vaasa store"),
    ("verkkokauppa", "webbutiken", "online shop"),
    ("mobiilisovellus", "mobilappen", "mobile app"),
    ("yritysmyynti", "företagsförsäljning", "business sales"),
    ("pääkonttori", "huvudkontoret", "head office"),
];

/// A kind of processing, repeated for every unit.
struct Theme {
    key: &'static str,
    name: [&'static str; 3],
    purpose: [&'static str; 3],
    basis: &'static str,
    /// ISO 8601 retention period, or none when the criteria alone decide.
    period: Option<&'static str>,
    /// Links every activity of the theme has, besides the drawn ones.
    categories: &'static [&'static str],
    sources: &'static [&'static str],
}

const THEMES: [Theme; 20] = [
    Theme { key: "asiakassuhde", name: ["Asiakassuhteen hoito", "Skötsel av kundrelationen", "Managing the customer relationship"], purpose: ["Henkilötietoja käsitellään asiakassuhteen hoitamiseksi, sopimusten täyttämiseksi ja asiakkaiden tunnistamiseksi.", "Personuppgifter behandlas för att sköta kundrelationen, fullgöra avtal och identifiera kunder.", "Personal data is processed to manage the customer relationship, perform contracts and identify customers."], basis: "contract", period: Some("P3Y"), categories: &["nimi", "yhteystiedot"], sources: &["rekisteroity"] },
    Theme { key: "tilaukset", name: ["Verkkokaupan tilausten käsittely", "Hantering av beställningar i webbutiken", "Processing online shop orders"], purpose: ["Tilausten vastaanottaminen ja toimittaminen sekä palautusten käsittely.", "Att ta emot och leverera beställningar och hantera returer.", "Receiving and delivering orders and handling returns."], basis: "contract", period: Some("P2Y"), categories: &["toimitusosoite", "tilaushistoria"], sources: &["verkkokauppa"] },
    Theme { key: "laskutus", name: ["Laskutus ja perintä", "Fakturering och indrivning", "Billing and debt collection"], purpose: ["Laskujen lähettäminen, maksujen seuranta ja erääntyneiden saatavien periminen.", "Att skicka fakturor, följa upp betalningar och driva in förfallna fordringar.", "Sending invoices, monitoring payments and collecting overdue receivables."], basis: "contract", period: Some("P6Y"), categories: &["laskutustiedot"], sources: &[] },
    Theme { key: "kirjanpito", name: ["Kirjanpito ja verotus", "Bokföring och beskattning", "Bookkeeping and taxation"], purpose: ["Kirjanpitolain ja verolainsäädännön velvoitteiden täyttäminen.", "Att fullgöra skyldigheterna enligt bokföringslagen och skattelagstiftningen.", "Meeting the obligations of the Accounting Act and tax legislation."], basis: "legal_obligation", period: Some("P10Y"), categories: &["laskutustiedot"], sources: &[] },
    Theme { key: "asiakaspalvelu", name: ["Asiakaspalvelu", "Kundtjänst", "Customer service"], purpose: ["Asiakkaiden yhteydenottoihin vastaaminen ja asiakaspalvelun laadun kehittäminen.", "Att besvara kundernas kontakter och utveckla kvaliteten på kundtjänsten.", "Answering customers' enquiries and developing the quality of customer service."], basis: "legitimate_interests", period: Some("P1Y"), categories: &["asiakaspalvelutapahtumat"], sources: &["asiakaspalvelukanavat"] },
    Theme { key: "uutiskirje", name: ["Uutiskirjeet", "Nyhetsbrev", "Newsletters"], purpose: ["Uutiskirjeiden lähettäminen niitä tilanneille.", "Att skicka nyhetsbrev till dem som beställt dem.", "Sending newsletters to those who have subscribed to them."], basis: "consent", period: None, categories: &["markkinointiluvat"], sources: &["rekisteroity"] },
    Theme { key: "suoramarkkinointi", name: ["Suoramarkkinointi asiakkaille", "Direktmarknadsföring till kunder", "Direct marketing to customers"], purpose: ["Tarjousten ja tiedotteiden lähettäminen asiakkaille, jotka eivät ole kieltäneet suoramarkkinointia.", "Att skicka erbjudanden och meddelanden till kunder som inte har förbjudit direktmarknadsföring.", "Sending offers and announcements to customers who have not objected to direct marketing."], basis: "legitimate_interests", period: Some("P2Y"), categories: &["markkinointiluvat"], sources: &[] },
    Theme { key: "kanta-asiakkuus", name: ["Kanta-asiakasohjelma", "Stamkundsprogrammet", "Loyalty programme"], purpose: ["Kanta-asiakasetujen myöntäminen ja bonusten laskeminen ostojen perusteella.", "Att bevilja stamkundsförmåner och beräkna bonus utifrån köp.", "Granting loyalty benefits and calculating bonuses from purchases."], basis: "contract", period: Some("P5Y"), categories: &["kanta-asiakkuus", "ostokayttaytyminen"], sources: &["kanta-asiakashakemus"] },
    Theme { key: "kyselyt", name: ["Asiakastyytyväisyyskyselyt", "Kundnöjdhetsenkäter", "Customer satisfaction surveys"], purpose: ["Asiakastyytyväisyyden mittaaminen ja palvelujen kehittäminen vastausten perusteella.", "Att mäta kundnöjdheten och utveckla tjänsterna utifrån svaren.", "Measuring customer satisfaction and developing services from the answers."], basis: "legitimate_interests", period: Some("P1Y"), categories: &["kyselyvastaukset"], sources: &["kyselylomakkeet"] },
    Theme { key: "kameravalvonta", name: ["Kameravalvonta", "Kameraövervakning", "CCTV surveillance"], purpose: ["Henkilöiden ja omaisuuden turvaaminen sekä rikosten ennaltaehkäisy ja selvittäminen.", "Att skydda personer och egendom samt förebygga och utreda brott.", "Protecting people and property and preventing and investigating crime."], basis: "legitimate_interests", period: Some("P30D"), categories: &["kameratallenteet"], sources: &["kameravalvonta"] },
    Theme { key: "analytiikka", name: ["Verkkosivujen analytiikka", "Webbanalys", "Website analytics"], purpose: ["Verkkopalvelujen käytön seuraaminen ja sisällön kohdentaminen käyttäjän kiinnostuksen mukaan.", "Att följa upp användningen av webbtjänsterna och rikta innehåll efter användarens intressen.", "Following the use of the online services and targeting content to the user's interests."], basis: "consent", period: Some("P13M"), categories: &["evastetunnisteet", "ip-osoite", "laitetiedot"], sources: &["evasteet", "verkkoanalytiikka"] },
    Theme { key: "arvonnat", name: ["Arvonnat ja kilpailut", "Utlottningar och tävlingar", "Prize draws and contests"], purpose: ["Arvontojen ja kilpailujen järjestäminen sekä voittajille ilmoittaminen.", "Att anordna utlottningar och tävlingar och meddela vinnarna.", "Running prize draws and contests and notifying the winners."], basis: "consent", period: Some("P6M"), categories: &["kilpailuvastaukset"], sources: &["rekisteroity"] },
    Theme { key: "reklamaatiot", name: ["Reklamaatioiden käsittely", "Hantering av reklamationer", "Handling complaints"], purpose: ["Tuotteita ja palveluja koskevien reklamaatioiden käsittely ja hyvitysten maksaminen.", "Att hantera reklamationer som gäller produkter och tjänster och betala gottgörelser.", "Handling complaints about products and services and paying compensation."], basis: "contract", period: Some("P3Y"), categories: &["reklamaatiot"], sources: &["asiakaspalvelukanavat"] },
    Theme { key: "takaisinvedot", name: ["Tuoteturvallisuus ja takaisinvedot", "Produktsäkerhet och återkallelser", "Product safety and recalls"], purpose: ["Vaarallisten tuotteiden takaisinvedot ja viranomaisille ilmoittaminen.", "Att återkalla farliga produkter och anmäla dem till myndigheterna.", "Recalling dangerous products and reporting them to the authorities."], basis: "legal_obligation", period: Some("P10Y"), categories: &["tilaushistoria"], sources: &[] },
    Theme { key: "rahanpesu", name: ["Rahanpesun ja terrorismin rahoittamisen estäminen", "Förhindrande av penningtvätt och finansiering av terrorism", "Prevention of money laundering and terrorist financing"], purpose: ["Asiakkaan tuntemisvelvollisuuden täyttäminen ja epäilyttävistä liiketoimista ilmoittaminen.", "Att fullgöra skyldigheten att känna sina kunder och rapportera misstänkta transaktioner.", "Meeting the duty to know one's customers and reporting suspicious transactions."], basis: "legal_obligation", period: Some("P5Y"), categories: &["henkilotunnus"], sources: &["vaestotietojarjestelma"] },
    Theme { key: "luottopaatokset", name: ["Luottopäätökset ja osamaksu", "Kreditbeslut och avbetalning", "Credit decisions and instalment payments"], purpose: ["Osamaksu- ja laskulla maksamisen hakemusten arviointi ja luottopäätösten tekeminen.", "Att bedöma ansökningar om avbetalning och betalning mot faktura och fatta kreditbeslut.", "Assessing applications for instalment and invoice payment and making credit decisions."], basis: "contract", period: Some("P5Y"), categories: &["henkilotunnus", "luottotiedot"], sources: &["luottotietorekisteri"] },
    Theme { key: "tapahtumat", name: ["Asiakastilaisuudet", "Kundevenemang", "Customer events"], purpose: ["Asiakastilaisuuksien järjestäminen, ilmoittautumisten käsittely ja tarjoilun suunnittelu.", "Att anordna kundevenemang, hantera anmälningar och planera serveringen.", "Organising customer events, handling registrations and planning catering."], basis: "consent", period: Some("P3M"), categories: &["ruokavalio"], sources: &["rekisteroity"] },
    Theme { key: "toimittajat", name: ["Toimittajasuhteiden hoito", "Skötsel av leverantörsrelationer", "Managing supplier relationships"], purpose: ["Toimittajien ja alihankkijoiden yhteyshenkilöiden tietojen ylläpitäminen ja hankintojen hoitaminen.", "Att upprätthålla uppgifter om leverantörers och underleverantörers kontaktpersoner och sköta upphandlingar.", "Keeping the details of suppliers' and subcontractors' contact persons and managing procurement."], basis: "legitimate_interests", period: Some("P4Y"), categories: &["yritystiedot", "tyonantaja"], sources: &["kaupparekisteri"] },
    Theme { key: "vaarinkaytokset", name: ["Väärinkäytösten ehkäisy", "Förebyggande av missbruk", "Fraud prevention"], purpose: ["Petosten ja maksuvälineiden väärinkäytön havaitseminen ja estäminen.", "Att upptäcka och förhindra bedrägerier och missbruk av betalningsmedel.", "Detecting and preventing fraud and misuse of means of payment."], basis: "legitimate_interests", period: Some("P2Y"), categories: &["rikostiedot", "maksutiedot"], sources: &[] },
    Theme { key: "ensiapu", name: ["Ensiapu- ja onnettomuustilanteet", "Första hjälpen och olyckor", "First aid and accidents"], purpose: ["Ensiavun antaminen ja onnettomuuksien kirjaaminen myymälöissä ja tilaisuuksissa.", "Att ge första hjälpen och registrera olyckor i butikerna och vid evenemang.", "Giving first aid and recording accidents in the stores and at events."], basis: "vital_interests", period: Some("P5Y"), categories: &["terveystiedot"], sources: &["rekisteroity"] },
];

/// (country, mechanism, recipient) of the transfers, in turn.
const TRANSFERS: [(&str, &str, &str); 10] = [
    ("US", "standard_contractual_clauses", "pilvipalvelu"),
    ("IN", "standard_contractual_clauses", "tukipalvelu"),
    ("JP", "adequacy_decision", "it-tuki"),
    ("GB", "adequacy_decision", "markkinointitoimisto"),
    ("CH", "adequacy_decision", "arkistointi"),
    ("CA", "adequacy_decision", "crm"),
    ("BR", "binding_corporate_rules", "konserniyhtiot"),
    ("SG", "standard_contractual_clauses", "maksupalvelu"),
    ("KR", "adequacy_decision", "analytiikkapalvelu"),
    ("AU", "derogation_consent", "tulostuspalvelu"),
];

fn parties() -> Value {
    json!([
        {"key": "tietosuojavaltuutettu", "name": "Tietosuojavaltuutetun toimisto", "kind": "authority",
         "country": "FI", "address": "PL 800, 00531 Helsinki", "phone": "029 566 6700",
         "email": "tietosuoja@om.fi", "website": "https://tietosuoja.fi",
         "description": tr("Kansallinen valvontaviranomainen.", "Den nationella tillsynsmyndigheten.", "The national supervisory authority.")},
        {"key": "pilvipalvelu", "name": "Northwind Cloud Inc.", "kind": "processor", "country": "US",
         "website": "https://northwind.example.com", "contract_reference": "DPA-2024-017"},
        {"key": "pilvipalvelu-alihankkija", "name": "Northwind Cloud Japan K.K.", "kind": "sub_processor",
         "country": "JP", "parent": "pilvipalvelu"},
        {"key": "crm-toimittaja", "name": "Asiakkuus Oy", "kind": "processor", "country": "FI",
         "email": "tietosuoja@asiakkuus.example.fi"},
        {"key": "markkinointitoimisto", "name": "Brightside Marketing Ltd", "kind": "processor", "country": "GB"},
        {"key": "tukipalvelu", "name": "Helpdesk Services Pvt Ltd", "kind": "processor", "country": "IN"},
        {"key": "analytiikka", "name": "Metricly Inc.", "kind": "processor", "country": "US"},
        {"key": "maksunvalittaja", "name": "PayBridge B.V.", "kind": "processor", "country": "NL"},
        {"key": "perintatoimisto", "name": "Perintä Oy", "kind": "third_party", "country": "FI"},
        {"key": "kuljetusyhtio", "name": "Kuljetus ja Logistiikka Oy", "kind": "third_party", "country": "FI"},
        {"key": "luottotieto", "name": "Luottotieto Oy", "kind": "third_party", "country": "FI",
         "website": "https://luottotieto.example.fi"},
        {"key": "konserniyhtio", "name": "Exempelhandel AB", "kind": "group_company", "country": "SE"},
        {"key": "kanta-asiakaskumppani", "name": "Bonuskumppani Oy", "kind": "joint_controller", "country": "FI",
         "email": "tietosuoja@bonuskumppani.example.fi"},
    ])
}

/// The client controllers on whose behalf the organisation processes: (key, name, country).
const CLIENTS: [(&str, &str, &str); 4] = [
    ("pohjolan-kauppa", "Pohjolan Kauppa Oy", "FI"),
    ("nordhandel", "Nordhandel AB", "SE"),
    ("tapahtumatalo", "Tapahtumatalo Oy", "FI"),
    ("baltic-retail", "Baltic Retail OÜ", "EE"),
];

/// The fields of an activity that only a controller records (Art. 6, 9, 10, 13).
const CONTROLLER_ONLY: [&str; 8] = [
    "legal_basis",
    "legitimate_interests",
    "consent_withdrawal",
    "provision_requirement",
    "provision_consequence",
    "special_category_condition",
    "national_id_justification",
    "criminal_data_basis",
];

/// Makes `a`, the `i`th activity of register `r`, one done on behalf of a client controller.
fn as_processor(a: &mut Value, r: usize, i: usize) {
    let (client, name, _) = CLIENTS[(r + i / 5) % CLIENTS.len()];
    let object = a.as_object_mut().expect("an activity is an object");
    for key in CONTROLLER_ONLY {
        object.remove(key);
    }
    object.insert("role".into(), json!("processor"));
    object.insert("counterpart".into(), json!(client));
    for (lang, text) in [
        (
            "fi",
            format!(" Käsittely tehdään asiakkaan lukuun: {name}."),
        ),
        (
            "sv",
            format!(" Behandlingen sker för kundens räkning: {name}."),
        ),
        (
            "en",
            format!(" The processing is done on behalf of the client {name}."),
        ),
    ] {
        if let Some(Value::String(purpose)) =
            object.get_mut("purpose").and_then(|p| p.get_mut(lang))
        {
            purpose.push_str(&text);
        }
    }
}

/// One organisation with `registers` registers of `activities` processing activities each.
/// Only registers after the first have processor activities (every fifth, `i % 5 == 3`, so some
/// of them transfer data outside the EEA) and only then are the client parties added: the
/// first register, and `document(1, n)` as a whole, are what they were before.
pub fn document(registers: usize, activities: usize) -> Value {
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    let category_pool: Vec<&str> = CATEGORIES
        .iter()
        .filter(|c| c.4 == "ordinary")
        .map(|c| c.0)
        .collect();
    let subject_pool: Vec<&str> = SUBJECTS.iter().map(|s| s.0).collect();
    let source_pool: Vec<&str> = SOURCES.iter().map(|s| s.0).collect();
    let recipient_pool: Vec<&str> = RECIPIENTS.iter().map(|r| r.0).collect();
    let measure_pool: Vec<&str> = MEASURES.iter().map(|m| m.0).collect();

    let categories: Vec<Value> = CATEGORIES
        .iter()
        .map(|(key, fi, sv, en, kind)| {
            json!({"key": key, "kind": kind, "name": tr(fi, sv, en), "description": tr(
                &format!("{} siinä laajuudessa kuin käsittelyn tarkoitus edellyttää", lower_first(fi)),
                &format!("{} i den omfattning som ändamålet med behandlingen kräver", lower_first(sv)),
                &format!("{} to the extent the purpose of the processing requires", lower_first(en)),
            )})
        })
        .collect();
    let subjects: Vec<Value> = SUBJECTS
        .iter()
        .enumerate()
        .map(|(i, (key, fi, sv, en))| {
            let mut s = json!({"key": key, "name": tr(fi, sv, en)});
            if i % 3 == 0 {
                s["description"] = tr(
                    &format!("{fi}, joiden tietoja käsitellään rekisterissä."),
                    &format!("{sv} vars uppgifter behandlas i registret."),
                    &format!("{en} whose data is processed in the register."),
                );
            }
            s
        })
        .collect();
    let sources: Vec<Value> = SOURCES
        .iter()
        .map(|(key, kind, party, fi, sv, en)| {
            let mut s = json!({"key": key, "kind": kind, "name": tr(fi, sv, en), "description": tr(
                &format!("Tietoja saadaan lähteestä: {}.", lower_first(fi)),
                &format!("Uppgifter fås från källan: {}.", lower_first(sv)),
                &format!("Data is obtained from: {}.", lower_first(en)),
            )});
            if let Some(party) = party {
                s["party"] = json!(party);
            }
            s
        })
        .collect();
    let recipients: Vec<Value> = RECIPIENTS
        .iter()
        .map(|(key, kind, party, fi, sv, en)| {
            let mut r = json!({"key": key, "kind": kind, "name": tr(fi, sv, en), "description": tr(
                &format!("Tietoja luovutetaan tai annetaan käsiteltäväksi vastaanottajalle ({}) vain siinä laajuudessa kuin tehtävä edellyttää.", lower_first(fi)),
                &format!("Uppgifter lämnas ut eller ges för behandling till mottagaren ({}) endast i den omfattning som uppgiften kräver.", lower_first(sv)),
                &format!("Data is disclosed or entrusted to the recipient ({}) only to the extent the task requires.", lower_first(en)),
            )});
            if let Some(party) = party {
                r["party"] = json!(party);
            }
            r
        })
        .collect();
    let measures: Vec<Value> = MEASURES
        .iter()
        .map(|(key, kind, fi, sv, en)| {
            json!({"key": key, "kind": kind, "name": tr(fi, sv, en), "description": tr(
                &format!("{fi} on käytössä kaikissa järjestelmissä ja tiloissa, joissa rekisterin tietoja käsitellään."),
                &format!("{sv} används i alla system och utrymmen där registrets uppgifter behandlas."),
                &format!("{en} is in place in every system and premises where the register's data is processed."),
            ), "internal_details": format!("Katso tietoturvapolitiikka, kohta {key}.")})
        })
        .collect();

    let mut parties = parties();
    if registers > 1 {
        let list = parties.as_array_mut().expect("a list of parties");
        for (key, name, country) in CLIENTS {
            list.push(json!({"key": key, "name": name, "kind": "client", "country": country}));
        }
    }

    let mut register_docs = Vec::with_capacity(registers);
    for r in 0..registers {
        let mut list = Vec::with_capacity(activities);
        for i in 0..activities {
            let theme = &THEMES[i % THEMES.len()];
            let unit = UNITS[i / THEMES.len() % UNITS.len()];
            let [name_fi, name_sv, name_en] = theme.name;
            let [purpose_fi, purpose_sv, purpose_en] = theme.purpose;
            let mut recipients = pick(&mut rng, &recipient_pool, &[]);
            let mut a = json!({
                "key": format!("{}-{}", theme.key, i / THEMES.len() + 1),
                "name": tr(
                    &format!("{name_fi} – {}", unit.0),
                    &format!("{name_sv} – {}", unit.1),
                    &format!("{name_en} – {}", unit.2),
                ),
                "purpose": tr(
                    &format!("{purpose_fi} Käsittely koskee yksikköä: {}.", unit.0),
                    &format!("{purpose_sv} Behandlingen gäller enheten: {}.", unit.1),
                    &format!("{purpose_en} The processing concerns the {}.", unit.2),
                ),
                "legal_basis": theme.basis,
                "data_subjects": pick(&mut rng, &subject_pool, &[]),
                "data_categories": pick(&mut rng, &category_pool, theme.categories),
                "sources": pick(&mut rng, &source_pool, theme.sources),
                "security_measures": pick(&mut rng, &measure_pool, &[]),
                "dpia_status": if i % 4 == 0 { "completed" } else { "not_required" },
                "last_reviewed_on": "2026-09-15",
            });
            match theme.basis {
                "legitimate_interests" => {
                    a["legitimate_interests"] = tr(
                        &format!("Yrityksen oikeutettu etu: {}. Käsittely on tarpeen ja oikeasuhtaista, eikä rekisteröidyn etu ohita sitä.", lower_first(name_fi)),
                        &format!("Företagets berättigade intresse: {}. Behandlingen är nödvändig och proportionerlig, och den registrerades intresse väger inte tyngre.", lower_first(name_sv)),
                        &format!("The company's legitimate interest: {}. The processing is necessary and proportionate, and the data subject's interests do not override it.", lower_first(name_en)),
                    );
                    a["provision_requirement"] = json!("voluntary");
                }
                "consent" => {
                    a["consent_withdrawal"] = tr(
                        "Suostumuksen voi peruuttaa milloin tahansa viestin lopussa olevasta linkistä, verkkokaupan asetuksista tai ottamalla yhteyttä asiakaspalveluun.",
                        "Samtycket kan återkallas när som helst via länken i slutet av meddelandet, i webbutikens inställningar eller genom att kontakta kundtjänst.",
                        "Consent can be withdrawn at any time through the link at the end of a message, in the online shop's settings or by contacting customer service.",
                    );
                    a["provision_requirement"] = json!("voluntary");
                }
                "legal_obligation" => {
                    a["provision_requirement"] = json!("statutory");
                    a["provision_consequence"] = tr(
                        "Jos tietoja ei anneta, emme voi täyttää lakisääteisiä velvoitteitamme emmekä siksi voi tehdä kauppaa.",
                        "Om uppgifterna inte lämnas kan vi inte fullgöra våra lagstadgade skyldigheter och kan därför inte ingå affären.",
                        "If the data is not provided, we cannot meet our statutory obligations and therefore cannot make the sale.",
                    );
                }
                _ => {
                    a["provision_requirement"] = json!("contract_prerequisite");
                    a["provision_consequence"] = tr(
                        "Tähdellä merkityt tiedot ovat sopimuksen tekemisen edellytys. Ilman niitä emme voi toimittaa tuotetta tai palvelua.",
                        "Uppgifterna märkta med asterisk är en förutsättning för att ingå avtalet. Utan dem kan vi inte leverera produkten eller tjänsten.",
                        "The data marked with an asterisk is a prerequisite for the contract. Without it we cannot deliver the product or service.",
                    );
                }
            }
            match theme.key {
                "tapahtumat" => a["special_category_condition"] = json!("explicit_consent"),
                "ensiapu" => a["special_category_condition"] = json!("vital_interests"),
                "rahanpesu" | "luottopaatokset" => {
                    a["national_id_justification"] = tr(
                        "Henkilötunnusta käsitellään rekisteröidyn yksiselitteiseksi tunnistamiseksi, kuten tietosuojalain 29 § sallii.",
                        "Personbeteckningen behandlas för att entydigt identifiera den registrerade, vilket 29 § i dataskyddslagen tillåter.",
                        "The personal identity code is processed to identify the data subject unambiguously, as section 29 of the Data Protection Act allows.",
                    )
                }
                "vaarinkaytokset" => {
                    a["criminal_data_basis"] = tr(
                        "Tietoja käsitellään oikeusvaateen laatimiseksi, esittämiseksi tai puolustamiseksi (tietosuojalain 7 §).",
                        "Uppgifterna behandlas för att fastställa, göra gällande eller försvara rättsliga anspråk (7 § i dataskyddslagen).",
                        "The data is processed to establish, exercise or defend legal claims (section 7 of the Data Protection Act).",
                    );
                    a["profiling"] = json!(true);
                }
                "analytiikka" => {
                    a["profiling"] = json!(true);
                    a["automated_logic"] = tr(
                        "Selaamisesta muodostetaan kiinnostuksen kohteita kuvaava profiili, jonka perusteella sisältöä ja tarjouksia kohdennetaan.",
                        "Utifrån surfandet bildas en profil av intressen, som används för att rikta innehåll och erbjudanden.",
                        "A profile of interests is formed from browsing, and content and offers are targeted by it.",
                    );
                    a["automated_consequences"] = tr(
                        "Käyttäjä näkee kiinnostustaan vastaavia tarjouksia. Profilointi ei vaikuta hintoihin eikä sopimusehtoihin.",
                        "Användaren ser erbjudanden som motsvarar hans eller hennes intressen. Profileringen påverkar varken priser eller avtalsvillkor.",
                        "The user sees offers matching his or her interests. Profiling affects neither prices nor contract terms.",
                    );
                }
                _ => {}
            }
            if theme.key == "luottopaatokset" {
                a["automated_decision_making"] = json!(true);
                a["profiling"] = json!(true);
                a["automated_logic"] = tr(
                    "Päätös perustuu luottotietoihin, ostohistoriaan ja haetun luoton määrään pisteytysmallilla.",
                    "Beslutet grundar sig på kreditupplysningar, köphistorik och det sökta kreditbeloppet enligt en poängmodell.",
                    "The decision is based on credit information, purchase history and the amount applied for, using a scoring model.",
                );
                a["automated_consequences"] = tr(
                    "Kielteinen päätös estää osamaksulla tai laskulla maksamisen. Päätöksen voi pyytää ihmisen arvioitavaksi.",
                    "Ett negativt beslut hindrar betalning på avbetalning eller mot faktura. Beslutet kan begäras omprövat av en människa.",
                    "A negative decision prevents paying by instalments or invoice. The decision can be referred to a person for review.",
                );
            }
            if theme.key == "kanta-asiakkuus" {
                a["role"] = json!("joint_controller");
                a["counterpart"] = json!("kanta-asiakaskumppani");
            }
            // Retention: one rule per activity, the same for every unit of a theme.
            let mut rule = json!({
                "criteria": tr(
                    &format!("Tiedot säilytetään niin kauan kuin ne ovat tarpeen tarkoitukseen: {}.", lower_first(name_fi)),
                    &format!("Uppgifterna sparas så länge de behövs för ändamålet: {}.", lower_first(name_sv)),
                    &format!("The data is kept as long as it is needed for the purpose: {}.", lower_first(name_en)),
                ),
                "starts_from": tr("Asiakassuhteen päättymisestä", "Från det att kundrelationen upphör", "From the end of the customer relationship"),
            });
            if let Some(period) = theme.period {
                rule["period"] = json!(period);
            }
            if let Some(category) = theme.categories.first() {
                rule["data_category"] = json!(category);
            }
            a["retention"] = json!([rule]);
            // Transfers outside the EEA on every tenth activity.
            if i % 10 == 3 {
                let (country, mechanism, recipient) = TRANSFERS[i / 10 % TRANSFERS.len()];
                if !recipients.iter().any(|r| r == recipient) {
                    recipients.push(recipient.to_owned());
                }
                let mut transfer = json!({
                    "recipient": recipient,
                    "country": country,
                    "mechanism": mechanism,
                    "description": tr(
                        "Palveluntarjoaja käsittelee tietoja myös EU:n ja ETA:n ulkopuolella.",
                        "Tjänsteleverantören behandlar uppgifter också utanför EU och EES.",
                        "The service provider also processes data outside the EU and EEA.",
                    ),
                });
                match mechanism {
                    "standard_contractual_clauses" => {
                        transfer["safeguards_reference"] =
                            json!("Commission Decision (EU) 2021/914");
                        if i % 20 == 3 {
                            transfer["safeguards_copy"] = tr(
                                "Jäljennöksen vakiosopimuslausekkeista saa tietosuojavastaavalta.",
                                "En kopia av standardavtalsklausulerna fås av dataskyddsombudet.",
                                "A copy of the standard contractual clauses is available from the data protection officer.",
                            );
                        }
                    }
                    "binding_corporate_rules" => {
                        transfer["safeguards_reference"] = json!("Exempelhandel Group BCR 2023");
                    }
                    _ => {}
                }
                a["transfers"] = json!([transfer]);
            }
            a["recipients"] = json!(recipients);
            if r > 0 && i % 5 == 3 {
                as_processor(&mut a, r, i);
            }
            list.push(a);
        }
        let mut register = json!({
            "slug": "kasittelytoimet", "kind": "customer", "status": "published", "contact": "asiakaspalvelu",
            "languages": ["fi", "sv", "en"], "last_reviewed_on": "2026-10-01",
            "name": tr("Esimerkkikaupan asiakas- ja markkinointirekisteri", "Esimerkkikaupans kund- och marknadsföringsregister", "Esimerkkikauppa customer and marketing register"),
            "description": tr(
                "Esimerkkikauppa-konsernin asiakkaiden, kanta-asiakkaiden ja sidosryhmien henkilötiedot kaikissa myymälöissä, verkkokaupassa ja mobiilisovelluksessa.\n\nRekisteriä ylläpitää Esimerkkikauppa Oyj.",
                "Personuppgifter om Esimerkkikauppa-koncernens kunder, stamkunder och intressenter i alla butiker, i webbutiken och i mobilappen.\n\nRegistret förs av Esimerkkikauppa Oyj.",
                "Personal data of the Esimerkkikauppa group's customers, loyalty members and stakeholders in every store, the online shop and the mobile app.\n\nThe register is kept by Esimerkkikauppa Oyj.",
            ),
            "rights_instructions": tr(
                "Pyynnöt voi tehdä verkkokaupan Omat tiedot -sivulla tai kirjallisesti asiakaspalveluun. Vastaamme kuukauden kuluessa.\n\nHenkilöllisyys tarkistetaan ennen tietojen luovuttamista.",
                "Begäranden kan göras på sidan Mina uppgifter i webbutiken eller skriftligen till kundtjänst. Vi svarar inom en månad.\n\nIdentiteten kontrolleras innan uppgifterna lämnas ut.",
                "Requests can be made on the My details page of the online shop or in writing to customer service. We answer within one month.\n\nIdentity is verified before data is disclosed.",
            ),
            "activities": list,
        });
        if r > 0 {
            let n = r + 1;
            register["slug"] = json!(format!("kasittelytoimet-{n}"));
            register["name"] = tr(
                &format!("Esimerkkikaupan käsittelytoimet, osa {n}"),
                &format!("Esimerkkikauppas behandlingar, del {n}"),
                &format!("Esimerkkikauppa processing activities, part {n}"),
            );
        }
        register_docs.push(register);
    }

    json!({
        "organisation": {
            "slug": "esimerkkikauppa", "name": "Esimerkkikauppa Oyj", "business_id": "1234567-1",
            "country": "FI", "address": "Kauppakatu 1, 00100 Helsinki", "email": "tietosuoja@esimerkkikauppa.example.fi",
            "phone": "09 123 4567", "website": "https://esimerkkikauppa.example.fi", "default_language": "fi",
            "dpo_required": true, "contact": "asiakaspalvelu", "dpo": "tietosuojavastaava",
            "supervisory_authority": "tietosuojavaltuutettu",
        },
        "contacts": [
            {"key": "tietosuojavastaava", "name": "Maija Esimerkki", "email": "dpo@esimerkkikauppa.example.fi",
             "phone": "09 123 4500", "title": tr("Tietosuojavastaava", "Dataskyddsombud", "Data protection officer")},
            {"key": "asiakaspalvelu", "name": "Asiakaspalvelu", "email": "asiakaspalvelu@esimerkkikauppa.example.fi",
             "phone": "09 123 4567", "address": "Kauppakatu 1, 00100 Helsinki"},
        ],
        "parties": parties,
        "data_subject_categories": subjects,
        "personal_data_categories": categories,
        "data_sources": sources,
        "recipients": recipients,
        "security_measures": measures,
        "registers": register_docs,
    })
}
