//! What the organisation's own texts say, read word by word in Finnish, Swedish and English: the
//! matchers of the rules that look for a wording rather than a missing field (the repealed act
//! cited, tracking declared, the exercise of rights restricted).
//!
//! A matcher reads words (runs of letters and digits, lower-cased), not substrings, so that a
//! term is not found inside an unrelated word; Finnish terms are stems, since a Finnish word is
//! inflected and compounded around them (evästeitä, evästeiden, seurantaevästeet). Each matcher
//! lists its terms once and is tested on the inflections the seed notices actually use.

/// The words of a text, lower-cased.
fn words(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The sentences of a text, lower-cased (split at `.`, `!`, `?`, `;` and line breaks: an
/// abbreviation may split a sentence too, which only makes a sentence shorter).
fn sentences(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split(['.', '!', '?', ';', '\n'])
        .filter(|s| !s.trim().is_empty())
        .map(str::to_owned)
        .collect()
}

/// Whether `first` is followed, within `within` words, by a word for which `then` holds.
fn followed_by(
    words: &[String],
    first: impl Fn(&str) -> bool,
    within: usize,
    then: impl Fn(&str) -> bool,
) -> bool {
    words
        .iter()
        .enumerate()
        .any(|(i, w)| first(w) && words.iter().skip(i + 1).take(within).any(|next| then(next)))
}

/// Whether the words hold this exact sequence.
fn phrase(words: &[String], sequence: &[&str]) -> bool {
    words.windows(sequence.len()).any(|w| w == sequence)
}

/// Whether a text cites the repealed Personal Data Act (henkilötietolaki 523/1999): by its
/// number, or by its name as a word in Finnish (any inflection: laki, lain, lakia, laissa…, but
/// not henkilötietolaji, "kind of personal data"), Swedish (personuppgiftslag, -lagen) or
/// English ("Personal Data Act").
pub fn cites_repealed_act(text: &str) -> bool {
    if text.contains("523/1999") {
        return true;
    }
    let words = words(text);
    let finnish = |w: &str| {
        w.strip_prefix("henkilötietola")
            .is_some_and(|rest| rest.starts_with('k') || rest.starts_with('i'))
    };
    words
        .iter()
        .any(|w| finnish(w) || w.starts_with("personuppgiftslag"))
        || phrase(&words, &["personal", "data", "act"])
}

/// Whether a text speaks of tracking a person's use of a website or service: cookies,
/// analytics, ad targeting, pixels.
///
/// Terms that name tracking and nothing else count wherever they occur:
/// - Finnish: eväste (evästeet, evästeitä, evästeiden, seurantaevästeet), analytiikka
///   (analytiikan, verkkoanalytiikka), mainonta and mainos (mainonnan, mainoksia,
///   suoramainonta), pikseli;
/// - Swedish: kaka (kakan, kakor, kakorna, tredjepartskakor), reklam after a word of aiming
///   (riktad reklam, rikta reklam, inriktning av reklam);
/// - English: cookie, analytics (Google Analytics), advertis- (advertising, advertisers), pixel.
///
/// Terms that also describe security work (targeting, kohdentaa, analys) count only in a text
/// that does not speak of logs or security, so that "server logs analysed to detect targeted
/// attacks" is no tracking:
/// - Finnish: kohdentaa (kohdennettu, kohdentaminen, kohdentamaan);
/// - Swedish: analys (analysen, analyser, webbanalys), but not "analysis" or "analysointi";
/// - English: targeting, targeted (retargeting).
pub fn speaks_of_tracking(text: &str) -> bool {
    let words = words(text);
    let names_tracking = |w: &str| {
        w.contains("eväste")
            || w.contains("analytiik")
            || w.contains("mainon")
            || w.contains("mainos")
            || w.contains("mainok")
            || w.contains("pikseli")
            || ["kaka", "kakan", "kakor", "kakorna"]
                .iter()
                .any(|form| w.ends_with(form))
            || w.starts_with("cookie")
            || w.contains("analytics")
            || w.starts_with("advertis")
            || w.contains("pixel")
    };
    let targeted_ads = followed_by(
        &words,
        |w| w.contains("rikt"),
        2,
        |w| w.starts_with("reklam"),
    );
    let generic = |w: &str| {
        w.contains("kohdenn")
            || w.contains("kohdent")
            || ["analys", "analysen", "analyser", "analyserna"]
                .iter()
                .any(|form| w.ends_with(form))
            || w.starts_with("analysera")
            || w.contains("targeting")
            || w.contains("targeted")
    };
    let logs = |w: &str| {
        w.contains("loki")
            || w.contains("tietoturv")
            || w.contains("logg")
            || w.contains("säkerhet")
            || ["log", "logs", "logging", "logged", "logfile", "logfiles"].contains(&w)
            || w.ends_with("logs")
            || w == "security"
    };
    words.iter().any(|w| names_tracking(w))
        || targeted_ads
        || (words.iter().any(|w| generic(w)) && !words.iter().any(|w| logs(w)))
}

/// Whether instructions for exercising the data subject's rights restrict them beyond what
/// Art. 12 allows. The restrictions old notices carry over from the repealed Personal Data Act
/// (its § 26 allowed a fee for access more often than once a year, and asked for a signed
/// request) are found sentence by sentence:
///
/// - access free only once a year: "kerran vuodessa", "en gång per år" (om året, i året),
///   "once a year" (per year, every year);
/// - a fee: Finnish maksu (maksun, maksua, maksullinen, käsittelymaksu; not maksuton,
///   maksutta, maksutapa, maksutiedot), Swedish avgift (avgiften, expeditionsavgift; not
///   avgiftsfri), English fee, charge (not "free of charge", "no charge", "in charge of"),
///   unless the same sentence limits it to what Art. 12(5) and 15(3) allow: further copies
///   (lisäkopiot, ytterligare kopior), manifestly unfounded or excessive requests (ilmeisen
///   perusteettomat tai kohtuuttomat, uppenbart ogrundade eller orimliga);
/// - a handwritten or required signature: omakätisesti (allekirjoitettu), allekirjoitettava,
///   egenhändigt undertecknad, ska undertecknas, hand-signed, personally signed, must be signed;
/// - a signed letter, a visit in person, or the post as the way to make the request, when the
///   same sentence offers no electronic way (e-mail, an address, an online form):
///   "allekirjoitetulla kirjeellä", "henkilökohtaisesti rekisterinpitäjän luona", "postitse",
///   "undertecknat brev", "personligen hos", "per post", "signed letter", "in person", "by post".
///
/// A request "in writing" (kirjallisesti, skriftligen) is no restriction: writing includes
/// e-mail.
pub fn restricts_rights(text: &str) -> bool {
    sentences(text).iter().any(|s| {
        let w = words(s);
        once_a_year(&w)
            || (charges_a_fee(&w) && !lawful_fee(s))
            || signature_required(&w)
            || (paper_or_presence(&w) && !electronic_way(s))
    })
}

fn once_a_year(w: &[String]) -> bool {
    phrase(w, &["kerran", "vuodessa"])
        || phrase(w, &["en", "gång", "per", "år"])
        || phrase(w, &["en", "gång", "om", "året"])
        || phrase(w, &["en", "gång", "i", "året"])
        || ["a", "per", "every"]
            .iter()
            .any(|a| phrase(w, &["once", a, "year"]))
}

fn charges_a_fee(w: &[String]) -> bool {
    let finnish = |w: &str| {
        const FORMS: [&str; 5] = ["maksu", "maksun", "maksua", "maksulla", "maksusta"];
        FORMS.iter().any(|form| w.ends_with(form)) || w.starts_with("maksulli")
    };
    let swedish = |w: &str| {
        (w.starts_with("avgift") && !w.starts_with("avgiftsfri"))
            || w.ends_with("avgift")
            || w.ends_with("avgiften")
    };
    // "free of charge", "no charge", "without charge" and "in charge of" charge nothing.
    let english = |i: usize, word: &str| {
        let previous = i.checked_sub(1).map(|p| w[p].as_str());
        word == "fee"
            || word == "fees"
            || (["charge", "charges", "charged"].contains(&word)
                && !previous.is_some_and(|p| ["of", "no", "without", "in"].contains(&p)))
    };
    w.iter()
        .enumerate()
        .any(|(i, word)| finnish(word) || swedish(word) || english(i, word))
}

/// A fee the Regulation allows: for further copies (15(3)) or for manifestly unfounded or
/// excessive requests (12(5)).
fn lawful_fee(sentence: &str) -> bool {
    [
        "lisäkopi",
        "perusteeton",
        "perusteettom",
        "kohtuuton",
        "kohtuuttom",
        "ytterligare kopi",
        "ogrundad",
        "orimlig",
        "further cop",
        "additional cop",
        "manifestly unfounded",
        "excessive",
    ]
    .iter()
    .any(|term| sentence.contains(term))
}

fn signature_required(w: &[String]) -> bool {
    w.iter().any(|w| {
        w.starts_with("omakätis")
            || w.starts_with("allekirjoitettav")
            || w.starts_with("egenhändig")
            || w == "undertecknas"
    }) || phrase(w, &["hand", "signed"])
        || phrase(w, &["personally", "signed"])
        || phrase(w, &["signed", "by", "hand"])
        || phrase(w, &["handwritten", "signature"])
        || phrase(w, &["be", "signed"])
        || phrase(w, &["vara", "undertecknad"])
}

fn paper_or_presence(w: &[String]) -> bool {
    let signed_letter = followed_by(
        w,
        |w| w.starts_with("allekirjoitet"),
        2,
        |w| w.starts_with("kirje"),
    ) || followed_by(
        w,
        |w| w.starts_with("underteckna"),
        2,
        |w| w.starts_with("brev"),
    ) || followed_by(w, |w| w == "signed", 2, |w| w.starts_with("letter"));
    let in_person = followed_by(
        w,
        |w| w == "henkilökohtaisesti",
        3,
        |w| ["luona", "toimipisteessä", "toimistolla", "paikan"].contains(&w),
    ) || followed_by(
        w,
        |w| w == "personligen",
        2,
        |w| w == "hos" || w.starts_with("besök"),
    ) || phrase(w, &["in", "person"]);
    let by_post = w
        .iter()
        .any(|w| ["postitse", "kirjeitse", "kirjeellä", "brevledes"].contains(&w.as_str()))
        || phrase(w, &["per", "post"])
        || phrase(w, &["per", "brev"])
        || phrase(w, &["med", "posten"])
        || phrase(w, &["by", "post"])
        || phrase(w, &["by", "mail"])
        || phrase(w, &["by", "letter"]);
    signed_letter || in_person || by_post
}

/// Whether a sentence offers a way to make the request electronically.
fn electronic_way(sentence: &str) -> bool {
    [
        "sähköpost",
        "sähköisesti",
        "verkkolomak",
        "verkossa",
        "@",
        "e-mail",
        "email",
        "e-post",
        "epost",
        "elektroniskt",
        "webbformulär",
        "electronically",
        "online",
    ]
    .iter()
    .any(|term| sentence.contains(term))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_repealed_act_is_recognised_by_name_and_number_only() {
        for text in [
            "Henkilötietolaki (523/1999) 10 §",
            "henkilötietolain 26 §:n mukaisesti",
            "henkilötietolakia noudattaen",
            "henkilötietolaissa säädetty",
            "inom de gränser som personuppgiftslagen tillåter",
            "under the Personal Data Act, section 10",
            "lain 523/1999 mukaan",
        ] {
            assert!(cites_repealed_act(text), "{text}");
        }
        for text in [
            "Käsiteltävät henkilötietolajit: nimi, osoite",
            "personal data activities",
            "tietosuojalaki (1050/2018)",
            "the Data Protection Act",
        ] {
            assert!(!cites_repealed_act(text), "{text}");
        }
    }

    #[test]
    fn tracking_is_recognised_in_every_inflection_the_notices_use() {
        for text in [
            // Seed 001 and 004, as the demo data has them.
            "Käytämme sivuillamme evästeitä (”cookies”).",
            "Evästeiden avulla saatua tietoa voidaan liittää muihin tietoihin.",
            "Rekisterin tietoja täydennetään verkkosivuilla (evästeiden) tiedoilla.",
            "Verkkosivujen evästeet",
            "Sivustolta kerätään käyttöstatistiikkaa Google Analytics -palveluun.",
            "Verkkoanalytiikan avulla seuraamme sivuston käyttöä.",
            "Henkilötietojen käsittelyn tarkoituksena on mainonnan kohdentaminen.",
            "Tietoja käytetään mainosten näyttämiseen.",
            "henkilökohtaisemman kohdennetun sisällön tuottamiseen",
            "Uutiskirjeissä on seurantapikseli.",
            "Kakor på webbplatsen",
            "Uppgifter som samlas in med kakor.",
            "Vi använder tredjepartskakor.",
            "att rikta reklam i vårt bolags egna och andra aktörers webbtjänster",
            "Riktad reklam på sociala medier.",
            "Webbplatsens kakor och inriktning av reklam",
            "Vi använder webbanalys för att förbättra tjänsten.",
            "We use cookies on our website.",
            "Website cookies and ad targeting",
            "targeted advertising in other parties' online services",
            "A Meta pixel on the checkout page.",
        ] {
            assert!(speaks_of_tracking(text), "{text}");
        }
    }

    #[test]
    fn security_logs_and_other_texts_are_no_tracking() {
        for text in [
            "Palvelimen lokitiedot: IP-osoite, aikaleima ja selain.",
            "Lokitietoja analysoidaan tietoturvaloukkausten havaitsemiseksi ja kohdennettujen hyökkäysten torjumiseksi.",
            "Serverloggar för att upptäcka och utreda säkerhetsincidenter; analys av loggar.",
            "Server logs analysed to detect and investigate targeted attacks.",
            "Security logs of the customer portal.",
            "Tietoja kertyy laskutustiedoista, sopimuksista ja palvelujen käytöstä.",
            "Data added to the customer system during use of the service.",
            // Analysis in Finnish or English is not the Swedish analys.
            "Käyttäytymisen analysointi",
            "Statistical analysis of orders.",
            // Neither is a mention, maininta, a mainos.
            "edellä mainituille yhteyshenkilöille",
        ] {
            assert!(!speaks_of_tracking(text), "{text}");
        }
    }

    #[test]
    fn restrictions_of_the_old_act_are_recognised() {
        for text in [
            // Seeds 000 and 002.
            "Tarkastuspyyntö tulee tehdä kirjallisesti omakätisesti allekirjoitetulla kirjeellä.",
            "Tarkastusoikeus on maksuton kerran vuodessa toteutettuna.",
            "Tarkastuspyyntö tulee tehdä kirjallisesti allekirjoitetulla kirjeellä tai henkilökohtaisesti rekisterinpitäjän luona.",
            "The request for access must be made in writing in a personally signed letter or in person at the controller's premises.",
            "Access is free of charge once a year.",
            // Seed 001.
            "Tarkastuspyyntö on allekirjoitettava.",
            "Korjauspyyntö tulee tehdä omakätisesti allekirjoitetulla kirjallisella pyynnöllä.",
            "The request must be signed.",
            // Swedish.
            "Begäran om insyn ska göras i ett egenhändigt undertecknat brev.",
            "Insynen är avgiftsfri en gång per år.",
            "Begäran ska undertecknas.",
            "För ett utdrag tar vi ut en expeditionsavgift.",
            "Begäran görs per post till kundtjänst.",
            // Fees and the post only.
            "Tarkastuksesta peritään kohtuullinen maksu.",
            "Otteen toimittaminen on maksullinen.",
            "A fee of 10 euros is charged for each request.",
            "Requests are accepted by post only.",
            "Pyynnöt lähetetään postitse osoitteeseen PL 1, 00100 Helsinki.",
        ] {
            assert!(restricts_rights(text), "{text}");
        }
    }

    #[test]
    fn what_article_12_allows_is_no_restriction() {
        for text in [
            // Seed 004: in writing, which e-mail is.
            "Tarkastuspyyntö tulee tehdä kirjallisena ottamalla yhteys yrityksen asiakaspalveluun.",
            "Begäran om insyn ska göras skriftligen genom att kontakta företagets kundtjänst.",
            "The request must be made in writing to the company's customer service.",
            // Free, and the fees 12(5) and 15(3) allow.
            "Tarkastusoikeus on maksuton.",
            "Tietojen tarkastaminen on maksutonta ja tapahtuu maksutta.",
            "Insynen är avgiftsfri.",
            "Access is free of charge; there is no charge for a first copy.",
            "Lisäkopioista voidaan periä kohtuullinen maksu.",
            "For further copies we may charge a reasonable fee.",
            "A reasonable fee may be charged for manifestly unfounded or excessive requests.",
            // The post, a visit or a letter offered beside e-mail.
            "Kieltoasioissa rekisteröity voi olla yhteydessä sähköpostitse tai postitse.",
            "You can contact us by e-mail, by post or in person.",
            "Begäran kan göras per post eller via e-post till dataskydd@example.fi.",
            // Payment data is not a fee; the person in charge is not a charge.
            "Rekisterissä on asiakkaan maksutiedot ja maksutapa.",
            "Contact the person in charge of the register.",
            "Henkilöllisyys todennetaan ennen tietojen luovuttamista.",
        ] {
            assert!(!restricts_rights(text), "{text}");
        }
    }
}
