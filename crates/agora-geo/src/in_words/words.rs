//! The words around place names: aliases, markers, ordinary words that are also places,
//! and what makes a number something else than a département.

/// Former names of régions (before the 2016 merger), common short forms and spellings,
/// each to the current région's INSEE code. The current names are in the data; hyphens,
/// apostrophes, accents and case never matter (names are compared folded).
pub(super) const REGION_ALIASES: &[(&str, &str)] = &[
    ("Ile de France", "11"),
    ("IDF", "11"),
    ("Centre", "24"),
    ("Val de Loire", "24"),
    ("Bourgogne", "27"),
    ("Franche-Comté", "27"),
    ("Basse-Normandie", "28"),
    ("Haute-Normandie", "28"),
    ("Picardie", "32"),
    ("Nord-Pas-de-Calais", "32"),
    ("Alsace", "44"),
    ("Lorraine", "44"),
    ("Champagne-Ardenne", "44"),
    ("Pays de Loire", "52"),
    ("Aquitaine", "75"),
    ("Limousin", "75"),
    ("Poitou-Charentes", "75"),
    ("Poitou", "75"),
    ("Midi-Pyrénées", "76"),
    ("Languedoc-Roussillon", "76"),
    ("Languedoc", "76"),
    ("Auvergne", "84"),
    ("Rhône-Alpes", "84"),
    ("PACA", "93"),
    ("Provence", "93"),
    ("Côte d'Azur", "93"),
    ("Réunion", "04"),
    ("Île de la Réunion", "04"),
];

/// Other ways of writing a département's name.
pub(super) const DEPARTEMENT_ALIASES: &[(&str, &str)] = &[
    ("Réunion", "974"),
    ("Île de la Réunion", "974"),
    ("Corse du Sud", "2A"),
];

/// How much a name that is also an ordinary word needs before it is taken as a place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Guard {
    /// Only after a marker: for a commune, "à" (with its accent), "près de", "autour de",
    /// "vers", "secteur", "région", "département"; for a département or région, any marker
    /// but "a" (no accent: also the verb), "au", "aux", "en", "sur" ("du Nord", "dans la
    /// Manche", "de la Somme" but not "au nord de", "en somme", "pas cher").
    Marker,
    /// Only after "région", "département", "secteur", "à", "près de"…, and not followed by a
    /// complement: "région Centre", "à la Réunion", not "dans le centre", "au centre-ville",
    /// "à la réunion d'information".
    Explicit,
    /// Never from the words (still found by postcode or autocomplete): the place is tiny or
    /// hardly ever meant, and the words are everyday French ("il y a", "à l'hôpital").
    Never,
}

/// Place names (folded) that are also ordinary words a patient may type.
///
/// Built by scanning the data for communes, former communes, départements and régions whose
/// folded name is a word of a French dictionary (Debian's `wfrench`): every one-word
/// commune of 10 000 inhabitants or more (accepted unmarked otherwise), every one of 2 000
/// or more (accepted after a weak marker such as "en", "du", "sur"), every département and
/// région name, and names of several words of 2 000 inhabitants or more. Kept are the words
/// plausible in a search of cancer-support services (body, care, feelings, daily life:
/// "jambes lourdes", "fosses nasales", "cancer du palais", "port de la perruque", "prise en
/// charge", "la garde des enfants", "en ligne", "avoir de la chance"); dropped are words
/// nobody would type there (Colombes, Valence, Rennes, Limoges, Cognac, Vichy…), so those
/// cities are still found unmarked. Vienne stays a place (the département, then the town)
/// though it is also a form of "venir". Each entry is checked to be a real name by a test.
pub(super) const COMMON_WORDS: &[(&str, Guard)] = &[
    // Départements (one of them also a région alias).
    ("nord", Guard::Marker),
    ("cher", Guard::Marker),
    ("lot", Guard::Marker),
    ("aube", Guard::Marker),
    ("manche", Guard::Marker),
    ("somme", Guard::Marker),
    ("allier", Guard::Marker),
    ("creuse", Guard::Marker),
    ("landes", Guard::Marker),
    // Région aliases.
    ("centre", Guard::Explicit),
    ("reunion", Guard::Explicit),
    ("la reunion", Guard::Explicit),
    // Communes of 10 000 inhabitants or more.
    ("sens", Guard::Marker),
    ("tours", Guard::Marker),
    ("orange", Guard::Marker),
    ("plaisir", Guard::Marker),
    ("fontaine", Guard::Marker),
    ("croix", Guard::Marker),
    ("avion", Guard::Marker),
    ("moulins", Guard::Marker),
    ("grasse", Guard::Marker),
    ("lourdes", Guard::Marker),
    ("fosses", Guard::Marker),
    ("menton", Guard::Marker),
    // Communes (or former communes) of 2 000 to 10 000 inhabitants.
    ("cours", Guard::Marker),
    ("change", Guard::Marker),
    ("eu", Guard::Marker),
    ("mer", Guard::Marker),
    ("gene", Guard::Marker),
    ("ligne", Guard::Marker),
    ("lasse", Guard::Marker),
    ("tresses", Guard::Marker),
    ("tresse", Guard::Marker),
    ("gorges", Guard::Marker),
    ("charmes", Guard::Marker),
    ("aime", Guard::Marker),
    ("survie", Guard::Marker),
    ("male", Guard::Marker),
    ("veuves", Guard::Marker),
    ("chance", Guard::Marker),
    ("signes", Guard::Marker),
    ("angles", Guard::Marker),
    ("chauve", Guard::Marker),
    ("haleine", Guard::Marker),
    ("hanches", Guard::Marker),
    ("bras", Guard::Marker),
    ("rouille", Guard::Marker),
    ("sales", Guard::Marker),
    ("chasse", Guard::Marker),
    ("bourg", Guard::Marker),
    ("roche", Guard::Marker),
    ("jardin", Guard::Marker),
    ("rue", Guard::Marker),
    ("champs", Guard::Marker),
    ("bonne", Guard::Marker),
    ("carnet", Guard::Marker),
    ("monnaie", Guard::Marker),
    ("guise", Guard::Marker),
    ("salles", Guard::Marker),
    ("contes", Guard::Marker),
    ("pierres", Guard::Marker),
    ("vif", Guard::Marker),
    ("drain", Guard::Marker),
    ("geste", Guard::Marker),
    ("clefs", Guard::Marker),
    ("bu", Guard::Marker),
    // Names of several words.
    ("le port", Guard::Marker),
    ("la garde", Guard::Marker),
    ("la force", Guard::Marker),
    ("l union", Guard::Marker),
    ("le passage", Guard::Marker),
    ("la couronne", Guard::Marker),
    ("la creche", Guard::Marker),
    ("le palais", Guard::Marker),
    ("la bataille", Guard::Marker),
    ("les attaques", Guard::Marker),
    ("entre deux", Guard::Marker),
    ("la couture", Guard::Marker),
    ("le desert", Guard::Marker),
    ("les fins", Guard::Marker),
    ("la machine", Guard::Marker),
    ("la ronde", Guard::Marker),
    ("le change", Guard::Marker),
    ("le trait", Guard::Marker),
    ("la loupe", Guard::Marker),
    ("le temple", Guard::Marker),
    ("le bois", Guard::Marker),
    // Never from the words.
    ("y", Guard::Never),
    ("lire", Guard::Never),
    ("l hopital", Guard::Never),
    ("la montagne", Guard::Never),
    ("la marche", Guard::Never),
];

/// What introduces a place name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Marker {
    /// "à" (`accented`) or "a".
    A { accented: bool },
    /// "au", "aux".
    Au,
    /// "près de", "proche de", "autour de", "à côté de", "vers".
    Near,
    /// "sur".
    On,
    /// "en".
    In,
    /// "dans le|la|les|l".
    Inside,
    /// "du" (`du`), "de la", "de l", "des".
    Of { du: bool },
    /// "département", "département du|de la|de l|des|de".
    Departement,
    /// "région", "région du|de la|de l|de".
    Region,
    /// "secteur", "secteur du|de la|de l|de".
    Secteur,
}

impl Marker {
    /// Whether it points at a place strongly enough for any commune (a weak one, such as
    /// "en" or "du", also begins everyday phrases: "en ligne", "du corps").
    pub(super) fn locates_a_commune(self) -> bool {
        matches!(
            self,
            Marker::A { .. }
                | Marker::Near
                | Marker::Departement
                | Marker::Region
                | Marker::Secteur
        )
    }

    /// Whether the marker points at a point rather than an area.
    pub(super) fn hints_commune(self) -> bool {
        matches!(
            self,
            Marker::A { .. } | Marker::Au | Marker::Near | Marker::On
        )
    }

    pub(super) fn hints_area(self) -> bool {
        matches!(
            self,
            Marker::In | Marker::Inside | Marker::Departement | Marker::Region
        )
    }
}

/// Markers as folded tokens, longest first. "à" and "a" fold alike; the accent is read from
/// the query.
pub(super) const MARKERS: &[(&[&str], Marker)] = &[
    (&["departement", "de", "la"], Marker::Departement),
    (&["departement", "de", "l"], Marker::Departement),
    (&["region", "de", "la"], Marker::Region),
    (&["region", "de", "l"], Marker::Region),
    (&["secteur", "de", "la"], Marker::Secteur),
    (&["secteur", "de", "l"], Marker::Secteur),
    (&["a", "cote", "de"], Marker::Near),
    (&["departement", "du"], Marker::Departement),
    (&["departement", "des"], Marker::Departement),
    (&["departement", "de"], Marker::Departement),
    (&["region", "du"], Marker::Region),
    (&["region", "de"], Marker::Region),
    (&["secteur", "du"], Marker::Secteur),
    (&["secteur", "de"], Marker::Secteur),
    (&["pres", "de"], Marker::Near),
    (&["proche", "de"], Marker::Near),
    (&["autour", "de"], Marker::Near),
    (&["dans", "le"], Marker::Inside),
    (&["dans", "la"], Marker::Inside),
    (&["dans", "les"], Marker::Inside),
    (&["dans", "l"], Marker::Inside),
    (&["de", "la"], Marker::Of { du: false }),
    (&["de", "l"], Marker::Of { du: false }),
    (&["departement"], Marker::Departement),
    (&["region"], Marker::Region),
    (&["secteur"], Marker::Secteur),
    (&["du"], Marker::Of { du: true }),
    (&["des"], Marker::Of { du: false }),
    (&["vers"], Marker::Near),
    (&["a"], Marker::A { accented: false }),
    (&["au"], Marker::Au),
    (&["aux"], Marker::Au),
    (&["sur"], Marker::On),
    (&["en"], Marker::In),
];

/// What may stand between a commune's name and the région or département that says which
/// commune of that name is meant, as folded tokens: "Saint-Denis de la Réunion", "Valence
/// dans la Drôme", "Saint-Pierre en Martinique", "Saint-Denis à la Réunion", "Valence
/// Drôme" (nothing).
pub(super) const AREA_MARKERS: &[&[&str]] = &[
    &["dans", "le"],
    &["dans", "la"],
    &["dans", "les"],
    &["dans", "l"],
    &["de", "la"],
    &["de", "l"],
    &["a", "la"],
    &["a", "l"],
    &["de"],
    &["du"],
    &["des"],
    &["en"],
    &["a"],
    &[],
];

/// Words after the first part of a commune's name that begin the rest
/// ("Cherbourg-en-Cotentin", "Ivry-sur-Seine", "Thonon-les-Bains", "Rosny-sous-Bois"): what
/// comes before one may be a short name of the commune.
#[rustfmt::skip]
pub(super) const NAME_LINKS: &[&str] = &[
    "en", "sur", "sous", "les", "lez", "le", "la", "l", "aux", "au", "du", "des",
];

/// Ordinary words that are also the first part of a large commune's name, so not taken as
/// short names (found by checking every short name against Debian's `wfrench`, kept when a
/// patient may type the word): Carrières-sous-Poissy, Deuil-la-Barre, Joué-lès-Tours, La
/// Roche-sur-Yon, Les Pavillons-sous-Bois. Each entry is checked by a test.
pub(super) const SHORT_NAME_WORDS: &[&str] =
    &["carrieres", "deuil", "joue", "la roche", "les pavillons"];

/// Words right after a name in [`Guard::Explicit`] that show it is the ordinary word:
/// "réunion d'information", "centre-ville", "réunion pour les aidants".
#[rustfmt::skip]
pub(super) const COMPLEMENTS: &[&str] = &[
    "d", "de", "du", "des", "pour", "avec", "sur", "entre", "ville", "hospitalier", "mensuelle",
    "hebdomadaire", "annuelle", "publique",
];

/// Words before a saint's name that make it the name of an institution or a street
/// ("Hôpital Saint-Louis", "Clinique Sainte-Marie", "rue Saint-Jean"), not a commune.
#[rustfmt::skip]
pub(super) const NAMING_WORDS: &[&str] = &[
    "hopital", "hospitalier", "clinique", "polyclinique", "institut", "fondation", "centre",
    "maison", "residence", "ehpad", "ch", "chu", "chr", "gh", "cmc", "ssr", "rue", "avenue", "av",
    "bd", "boulevard", "place", "quai", "allee", "chemin", "impasse", "route", "square", "cours",
    "college", "lycee", "ecole", "eglise", "paroisse", "chapelle", "pharmacie", "cabinet",
    "association",
];

/// Words after a number that make it a quantity, an age or a date, not a département.
#[rustfmt::skip]
pub(super) const NUMBER_UNITS: &[&str] = &[
    "an", "ans", "annee", "annees", "h", "heure", "heures", "mn", "min", "minute", "minutes", "j",
    "jour", "jours", "semaine", "semaines", "mois", "fois", "euro", "euros", "eur", "e", "km",
    "kms", "m", "cm", "mm", "kg", "kilos", "g", "mg", "ml", "l", "litres", "pourcent", "pct",
    "personnes", "places", "seances", "janvier", "fevrier", "mars", "avril", "mai", "juin",
    "juillet", "aout", "septembre", "octobre", "novembre", "decembre",
];

/// Words before a bare number that make it a quantity, an age, a rank or an address.
#[rustfmt::skip]
pub(super) const NUMBER_BLOCKERS: &[&str] = &[
    "de", "des", "d", "le", "la", "les", "l", "a", "au", "aux", "en", "sur", "par", "pour", "avec",
    "sans", "plus", "moins", "apres", "avant", "entre", "vers", "environ", "depuis", "pendant",
    "jusqu", "jusque", "age", "ages", "agee", "agees", "n", "no", "num", "numero", "page", "top",
    "niveau", "grade", "stade", "phase", "type", "tome", "chapitre", "art", "article", "j", "jour",
    "cure", "seance", "cycle", "et", "ou", "x", "fois", "semaine", "mois", "annee", "heure",
    "chambre", "salle", "bureau", "porte", "lit", "bus", "ligne", "tram", "rue", "avenue", "av",
    "bd", "boulevard", "route", "place", "chemin", "allee", "impasse", "quai", "bat", "batiment",
    "etage", "tel", "code",
];

/// Words between two numbers that make a range or a list ("18 à 25", "25 ou 39").
pub(super) const NUMBER_LINKS: &[&str] = &["a", "au", "et", "ou"];
