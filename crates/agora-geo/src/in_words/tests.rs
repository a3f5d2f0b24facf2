//! Places found, and ordinary words left alone.

use super::*;

/// (code, kind, span text, name text, marked) for `query`.
fn found(query: &str) -> Option<(String, PlaceKind, &str, &str, bool)> {
    place_in_words(query).map(|p| {
        (
            p.place.code,
            p.place.kind,
            &query[p.span.clone()],
            &query[p.name_span.clone()],
            p.marked,
        )
    })
}

fn check(query: &str, code: &str, kind: PlaceKind, span: &str) -> PlaceInWords {
    let p = place_in_words(query).unwrap_or_else(|| panic!("nothing found in {query:?}"));
    assert_eq!(
        (p.place.code.as_str(), p.place.kind, &query[p.span.clone()]),
        (code, kind, span),
        "{query:?}: {p:?}"
    );
    p
}

fn codes(places: &[PlaceRef]) -> Vec<&str> {
    places.iter().map(|p| p.code.as_str()).collect()
}

#[test]
fn the_briefs_examples() {
    let p = check(
        "sophrologie près de Nantes",
        "44109",
        PlaceKind::Commune,
        "près de Nantes",
    );
    assert!(p.marked);
    assert_eq!(p.place.name, "Nantes");
    check(
        "reprendre le travail dans le Doubs",
        "25",
        PlaceKind::Departement,
        "dans le Doubs",
    );
    let p = check(
        "groupe de parole à St Etienne",
        "42218",
        PlaceKind::Commune,
        "à St Etienne",
    );
    assert_eq!(p.place.name, "Saint-Étienne");
    let p = check("aide MDPH 25", "25", PlaceKind::Departement, "25");
    assert!(!p.marked);
    assert_eq!(p.place.name, "Doubs");
    let p = check("APA Paris 13e", "75113", PlaceKind::Commune, "Paris 13e");
    assert_eq!(p.place.name, "Paris 13e Arrondissement");
    check(
        "socio esthétique en Bretagne",
        "53",
        PlaceKind::Region,
        "en Bretagne",
    );
    let p = check(
        "Ligue contre le cancer de la Gironde",
        "33",
        PlaceKind::Departement,
        "de la Gironde",
    );
    assert_eq!(
        &"Ligue contre le cancer de la Gironde"[p.name_span],
        "Gironde"
    );
    let p = check(
        "aidants Côte d'Or",
        "21",
        PlaceKind::Departement,
        "Côte d'Or",
    );
    assert_eq!(p.place.name, "Côte-d'Or");
    check("Corse du Sud", "2A", PlaceKind::Departement, "Corse du Sud");
    check("2A", "2A", PlaceKind::Departement, "2A");
    let p = check("33000", "33000", PlaceKind::Postcode, "33000");
    assert_eq!(p.place.name, "Bordeaux");
}

#[test]
fn departements_and_regions() {
    check("dans le 25", "25", PlaceKind::Departement, "dans le 25");
    check("Côte d'Or", "21", PlaceKind::Departement, "Côte d'Or");
    check("cote-d-or", "21", PlaceKind::Departement, "cote-d-or");
    check("Corse-du-Sud", "2A", PlaceKind::Departement, "Corse-du-Sud");
    check("2a", "2A", PlaceKind::Departement, "2a");
    check("en Bretagne", "53", PlaceKind::Region, "en Bretagne");
    check("Franche-Comté", "27", PlaceKind::Region, "Franche-Comté");
    check("PACA", "93", PlaceKind::Region, "PACA");
    check("ile de france", "11", PlaceKind::Region, "ile de france");
    check("Haute-Savoie", "74", PlaceKind::Departement, "Haute-Savoie");
    check(
        "hôpital de jour Loire-Atlantique",
        "44",
        PlaceKind::Departement,
        "Loire-Atlantique",
    );
    check("dans l'Ain", "01", PlaceKind::Departement, "dans l'Ain");
    check("971", "971", PlaceKind::Departement, "971");
    check("dans le Nord", "59", PlaceKind::Departement, "dans le Nord");
    check("région Centre", "24", PlaceKind::Region, "région Centre");
    check("à la Réunion", "04", PlaceKind::Region, "à la Réunion");
}

#[test]
fn communes() {
    check("St Etienne", "42218", PlaceKind::Commune, "St Etienne");
    check(
        "saint-étienne",
        "42218",
        PlaceKind::Commune,
        "saint-étienne",
    );
    check("ST ETIENNE", "42218", PlaceKind::Commune, "ST ETIENNE");
    let p = check(
        "à Saint-Denis",
        "93066",
        PlaceKind::Commune,
        "à Saint-Denis",
    );
    assert!(codes(&p.alternatives).contains(&"97411"), "{p:?}");
    assert!(p.alternatives.len() <= MAX_ALTERNATIVES);
    check("paris 13", "75113", PlaceKind::Commune, "paris 13");
    check("Paris 1er", "75101", PlaceKind::Commune, "Paris 1er");
    check("Lyon 3ème", "69383", PlaceKind::Commune, "Lyon 3ème");
    check("aide à Sens", "89387", PlaceKind::Commune, "à Sens");
    check("sport santé Lyon", "69123", PlaceKind::Commune, "Lyon");
    check(
        "près de Saint-Denis-de-Pile",
        "33393",
        PlaceKind::Commune,
        "près de Saint-Denis-de-Pile",
    );
    check("au Havre", "76351", PlaceKind::Commune, "au Havre");
    check(
        "de La Rochelle",
        "17300",
        PlaceKind::Commune,
        "de La Rochelle",
    );
    check(
        "Bellegarde-sur-Valserine",
        "01033",
        PlaceKind::Commune,
        "Bellegarde-sur-Valserine",
    );
}

#[test]
fn homonyms() {
    let p = check("Paris", "75056", PlaceKind::Commune, "Paris");
    assert_eq!(codes(&p.alternatives), ["75"]);
    let p = check("Vienne", "86", PlaceKind::Departement, "Vienne");
    assert!(codes(&p.alternatives).contains(&"38544"));
    let p = check("à Vienne", "38544", PlaceKind::Commune, "à Vienne");
    assert!(codes(&p.alternatives).contains(&"86"));
    let p = check("Valence", "26362", PlaceKind::Commune, "Valence");
    assert!(codes(&p.alternatives).contains(&"82186"));
    let p = check("Valence 82", "82186", PlaceKind::Commune, "Valence 82");
    assert_eq!(&"Valence 82"[p.name_span], "Valence");
    check(
        "Saint-Denis (974)",
        "97411",
        PlaceKind::Commune,
        "Saint-Denis (974)",
    );
    check(
        "dans le Doubs",
        "25",
        PlaceKind::Departement,
        "dans le Doubs",
    );
}

#[test]
fn not_places() {
    for query in [
        "reprendre le travail",
        "jeunes de 18 à 25 ans",
        "retour au travail après une leucémie",
        "sens de la vie",
        "tours de magie",
        "il y a",
        "elle a eu un cancer du sein",
        "prise en charge en ligne",
        "des tours",
        "soins à l'hôpital",
        "Hôpital Saint-Louis",
        "réunion d'information",
        "au centre de la ville",
        "dans le centre",
        "pas cher",
        "jambes lourdes",
        "cancer des fosses nasales",
        "port de la perruque",
        "le port du masque",
        "25 % des patients",
        "rendez-vous le 25 mars",
        "rendez-vous à 14 h",
        "Croix-Rouge",
        "en somme",
        "cancer du palais",
        "séjour à la montagne",
        "atelier de la marche nordique",
        "essai de phase 2a",
        "du lundi au vendredi",
        "au cours du traitement",
        "un lot de perruques",
        "groupe de parole enfants 6 à 12 ans",
        "rdv 06 12 34 56 78",
        "La Réunion",
        "Centre",
        "centre de soins",
        "aide à domicile",
        "nutrition en ligne",
        "cancer de la joue",
        "accompagnement du deuil",
        "carrières professionnelles",
        "la roche",
        "les pavillons de l'hôpital",
        "Saint",
        "Bourg",
        "bourg en fête",
        "Villeneuve",
        "Noisy",
        "Mantes",
        "Aix",
        "Fort",
        "soins du corps",
        "",
        "   ",
    ] {
        assert_eq!(found(query), None, "{query:?}");
    }
}

#[test]
fn a_number_next_to_a_name_settles_it() {
    let p = check(
        "Saint-Denis 93",
        "93066",
        PlaceKind::Commune,
        "Saint-Denis 93",
    );
    assert!(p.alternatives.is_empty());
    let p = check("Paris 75013", "75113", PlaceKind::Commune, "Paris 75013");
    assert_eq!(&"Paris 75013"[p.name_span], "Paris");
    check(
        "34000 Montpellier",
        "34172",
        PlaceKind::Commune,
        "34000 Montpellier",
    );
    check("Paris (75)", "75056", PlaceKind::Commune, "Paris (75)");
    check("75013", "75013", PlaceKind::Postcode, "75013");
    assert_eq!(
        place_in_words("75013").map(|p| p.place.name),
        Some("Paris 13e Arrondissement".to_owned())
    );
}

#[test]
fn markers() {
    check(
        "groupe de parole a St Etienne",
        "42218",
        PlaceKind::Commune,
        "a St Etienne",
    );
    check("Ligue du 25", "25", PlaceKind::Departement, "du 25");
    check(
        "département 25",
        "25",
        PlaceKind::Departement,
        "département 25",
    );
    check(
        "près de la Gironde",
        "33",
        PlaceKind::Departement,
        "près de la Gironde",
    );
    check(
        "sophrologue sur Lyon",
        "69123",
        PlaceKind::Commune,
        "sur Lyon",
    );
    check("du Mans", "72181", PlaceKind::Commune, "du Mans");
    check("à Eu", "76255", PlaceKind::Commune, "à Eu");
    check("À Sens", "89387", PlaceKind::Commune, "À Sens");
    let p = check(
        "département de Paris",
        "75",
        PlaceKind::Departement,
        "département de Paris",
    );
    assert_eq!(codes(&p.alternatives), ["75056"]);
    let p = place_in_words("aidants Côte d'Or").unwrap_or_else(|| panic!("Côte d'Or"));
    assert!(!p.marked);
}

#[test]
fn the_last_marked_place_wins() {
    check(
        "Ligue de Bordeaux à Nantes",
        "44109",
        PlaceKind::Commune,
        "à Nantes",
    );
    check(
        "à Nantes ou Bordeaux",
        "44109",
        PlaceKind::Commune,
        "à Nantes",
    );
    check("Nantes Bordeaux", "33063", PlaceKind::Commune, "Bordeaux");
}

#[test]
fn common_words_are_place_names() {
    let tables = &*TABLES;
    for (word, _) in COMMON_WORDS {
        assert!(tables.names.contains_key(*word), "{word} names no place");
        assert_eq!(fold(word), *word, "{word} is not folded");
    }
    for (alias, code) in REGION_ALIASES {
        assert!(crate::region(code).is_some(), "{alias}");
    }
}

#[test]
fn never_panics_and_spans_are_char_boundaries() {
    const PIECES: &[&str] = &[
        "à",
        "a",
        "près de",
        "dans le",
        "Paris",
        "13e",
        "25",
        "2A",
        "33000",
        "St",
        "-",
        "'",
        "é",
        "ß",
        "漢字",
        "🙂",
        "\u{301}",
        " ",
        "  ",
        "l'",
        "Côte",
        "d'Or",
        "de la",
        "du",
        "ans",
        "\0",
        "Ǆ",
        "İ",
        "ﬁ",
        "x",
        "Ⅻ",
        "٣",
        "9",
        "Saint-Denis",
        "en",
        "région",
    ];
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for _ in 0..2_000 {
        let mut query = String::new();
        while query.chars().count() < 200 {
            let r = next();
            if r % 3 == 0 {
                query.push_str(PIECES[(r >> 8) as usize % PIECES.len()]);
            } else if let Some(c) = char::from_u32((r >> 16) as u32 % 0x3_0000) {
                query.push(c);
            }
            if r % 17 == 0 {
                break;
            }
        }
        if let Some(p) = place_in_words(&query) {
            for range in [&p.span, &p.name_span] {
                assert!(range.start < range.end && range.end <= query.len());
                assert!(query.is_char_boundary(range.start) && query.is_char_boundary(range.end));
            }
            assert!(p.span.start <= p.name_span.start && p.name_span.end <= p.span.end);
            assert!(p.alternatives.len() <= MAX_ALTERNATIVES);
        }
    }
}

#[test]
fn a_commune_followed_by_its_area() {
    let query = "sport doux pendant la chimio à St Denis de la Réunion";
    let p = check(
        query,
        "97411",
        PlaceKind::Commune,
        "à St Denis de la Réunion",
    );
    assert_eq!(&query[p.name_span.clone()], "St Denis");
    assert!(p.marked);
    assert!(codes(&p.alternatives).is_empty(), "{p:?}");
    for (query, span, name) in [
        (
            "St Denis de la Réunion",
            "St Denis de la Réunion",
            "St Denis",
        ),
        (
            "Saint-Denis (Réunion)",
            "Saint-Denis (Réunion)",
            "Saint-Denis",
        ),
        (
            "aidants Saint-Denis (La Réunion) ",
            "Saint-Denis (La Réunion)",
            "Saint-Denis",
        ),
        (
            "Saint-Denis à la Réunion",
            "Saint-Denis à la Réunion",
            "Saint-Denis",
        ),
        (
            "Saint-Denis La Réunion",
            "Saint-Denis La Réunion",
            "Saint-Denis",
        ),
        (
            "Saint-Denis, Réunion",
            "Saint-Denis, Réunion",
            "Saint-Denis",
        ),
        (
            "Saint-Denis dans le 974",
            "Saint-Denis dans le 974",
            "Saint-Denis",
        ),
        (
            "St Denis de la Réunion 97400",
            "St Denis de la Réunion 97400",
            "St Denis",
        ),
    ] {
        let p = check(query, "97411", PlaceKind::Commune, span);
        assert_eq!(&query[p.name_span.clone()], name, "{query:?}");
    }
    let query = "Valence dans la Drôme";
    let p = check(query, "26362", PlaceKind::Commune, query);
    assert_eq!(&query[p.name_span.clone()], "Valence");
    assert!(!p.marked);
    assert!(p.alternatives.is_empty());
    check(
        "Valence Drôme",
        "26362",
        PlaceKind::Commune,
        "Valence Drôme",
    );
    check(
        "Valence (Drôme)",
        "26362",
        PlaceKind::Commune,
        "Valence (Drôme)",
    );
    check(
        "Valence dans le Tarn-et-Garonne",
        "82186",
        PlaceKind::Commune,
        "Valence dans le Tarn-et-Garonne",
    );
    check(
        "Saint-Pierre en Martinique",
        "97225",
        PlaceKind::Commune,
        "Saint-Pierre en Martinique",
    );
    check(
        "groupe de parole Saint-Pierre de la Martinique",
        "97225",
        PlaceKind::Commune,
        "Saint-Pierre de la Martinique",
    );
    check(
        "Vienne dans l'Isère",
        "38544",
        PlaceKind::Commune,
        "Vienne dans l'Isère",
    );
    check(
        "Paris en Île-de-France",
        "75056",
        PlaceKind::Commune,
        "Paris en Île-de-France",
    );
    // A small commune, or one that is also a word, when written as a name.
    check(
        "Villeneuve en Gironde",
        "33551",
        PlaceKind::Commune,
        "Villeneuve en Gironde",
    );
    check(
        "Tours en Indre-et-Loire",
        "37261",
        PlaceKind::Commune,
        "Tours en Indre-et-Loire",
    );
    // The area is not read apart, nor does it outrank the name before it.
    check(
        "Saint-Denis de la Réunion près de Lyon",
        "69123",
        PlaceKind::Commune,
        "près de Lyon",
    );
    // A full name wins over a shorter one with its area.
    check(
        "Saint Laurent du Var",
        "06123",
        PlaceKind::Commune,
        "Saint Laurent du Var",
    );
}

#[test]
fn an_area_settles_only_a_commune_it_holds() {
    // No Bagnols in the Gard (Bagnols-sur-Cèze is another name): the Gard.
    check(
        "Bagnols dans le Gard",
        "30",
        PlaceKind::Departement,
        "dans le Gard",
    );
    check("Lyon en Bretagne", "53", PlaceKind::Region, "en Bretagne");
    // Lower case, a small commune may be an everyday word.
    check(
        "villeneuve en gironde",
        "33",
        PlaceKind::Departement,
        "en gironde",
    );
    check(
        "soins du corps en Isère",
        "38",
        PlaceKind::Departement,
        "en Isère",
    );
    // "réunion" the word.
    for query in [
        "Saint-Denis réunion d'information",
        "Saint-Denis réunion aidants",
        "Saint-Denis à la réunion des aidants",
    ] {
        let p = check(query, "93066", PlaceKind::Commune, "Saint-Denis");
        assert!(codes(&p.alternatives).contains(&"97411"), "{p:?}");
    }
    check(
        "Orléans centre anticancéreux",
        "45234",
        PlaceKind::Commune,
        "Orléans",
    );
    // A sentence ends between them.
    check(
        "atelier à Saint-Denis. La Réunion",
        "93066",
        PlaceKind::Commune,
        "à Saint-Denis",
    );
}

#[test]
fn large_cities_by_the_first_part_of_their_name() {
    let query = "arrêt maladie long, j'ai peur de perdre mon emploi, Cherbourg";
    let p = check(query, "50129", PlaceKind::Commune, "Cherbourg");
    assert_eq!(p.place.name, "Cherbourg-en-Cotentin");
    assert!(p.alternatives.is_empty());
    check("à Cherbourg", "50129", PlaceKind::Commune, "à Cherbourg");
    check(
        "Cherbourg dans la Manche",
        "50129",
        PlaceKind::Commune,
        "Cherbourg dans la Manche",
    );
    check(
        "Cherbourg-en-Cotentin",
        "50129",
        PlaceKind::Commune,
        "Cherbourg-en-Cotentin",
    );
    check(
        "salariés à Châlons",
        "51108",
        PlaceKind::Commune,
        "à Châlons",
    );
    check(
        "Soins oncologiques de support — Vandœuvre",
        "54547",
        PlaceKind::Commune,
        "Vandœuvre",
    );
    check("Ivry", "94041", PlaceKind::Commune, "Ivry");
    // Several large Villeneuve-…, Noisy-…, Mantes-…, Aix-…: and small communes called
    // Villeneuve, found only after a marker.
    let p = check("à Villeneuve", "04242", PlaceKind::Commune, "à Villeneuve");
    assert!(codes(&p.alternatives).contains(&"33551"), "{p:?}");
}

#[test]
fn short_names_are_sound() {
    let tables = &*TABLES;
    for (key, target) in &tables.short_names {
        assert!(!tables.names.contains_key(key), "{key} is a name");
        let Target::Commune { commune, .. } = target else {
            panic!("{key} is not a commune");
        };
        assert!(commune.population >= SHORT_NAME_POPULATION, "{key}");
        assert!(commune.key.starts_with(&format!("{key} ")), "{key}");
    }
    for key in [
        "st",
        "bourg",
        "villeneuve",
        "noisy",
        "aix",
        "fort",
        "castelnau le",
    ] {
        assert!(!tables.short_names.contains_key(key), "{key}");
    }
    for word in SHORT_NAME_WORDS {
        assert!(!tables.short_names.contains_key(*word), "{word}");
        assert_eq!(fold(word), *word, "{word} is not folded");
        assert!(
            crate::communes()
                .iter()
                .any(|c| c.population >= SHORT_NAME_POPULATION
                    && c.key.starts_with(&format!("{word} "))),
            "{word} begins no large commune's name"
        );
    }
}

#[test]
fn corsica_is_found_after_en() {
    let (code, kind, span, _, marked) = found("sophro en 2A").expect("2A");
    assert_eq!(
        (code.as_str(), kind, span, marked),
        ("2A", PlaceKind::Departement, "en 2A", true)
    );
    assert!(found("en 25 minutes").is_none());
    assert!(found("soins en 25").is_none());
}
