//! Sample files in the registers' real layouts: the RNA's `rna_waldec` CSV (its 39
//! columns in their order, Latin-1 as the ministry long published it) and data·inclusion
//! v1 JSON.

/// The header of `rna_waldec_*.csv`.
pub const RNA_HEADER: [&str; 39] = [
    "id",
    "id_ex",
    "siret",
    "rup_mi",
    "gestion",
    "date_creat",
    "date_decla",
    "date_publi",
    "date_disso",
    "nature",
    "groupement",
    "titre",
    "titre_court",
    "objet",
    "objet_social1",
    "objet_social2",
    "adrs_complement",
    "adrs_numvoie",
    "adrs_repetition",
    "adrs_typevoie",
    "adrs_libvoie",
    "adrs_distrib",
    "adrs_codeinsee",
    "adrs_codepostal",
    "adrs_libcommune",
    "adrg_declarant",
    "adrg_complemid",
    "adrg_complemgeo",
    "adrg_libvoie",
    "adrg_distrib",
    "adrg_codepostal",
    "adrg_achemine",
    "adrg_pays",
    "dir_civilite",
    "siteweb",
    "publiweb",
    "observation",
    "position",
    "maj_time",
];

/// Values put in personal fields: none may ever reach the database.
pub const CANARIES: [&str; 4] = [
    "CanariDeclarant",
    "CanariCivilite",
    "CanariComplement",
    "CanariObservation",
];

/// One row: the given columns, the others as the register fills them.
pub fn rna_row(values: &[(&str, &str)]) -> String {
    RNA_HEADER
        .iter()
        .map(|col| {
            if let Some((_, v)) = values.iter().find(|(c, _)| c == col) {
                return (*v).to_owned();
            }
            match *col {
                "gestion" => "251P",
                "date_creat" | "date_decla" | "date_publi" => "2015-06-12",
                "date_disso" => "0001-01-01",
                "nature" => "D",
                "groupement" => "S",
                "objet_social1" => "007010",
                "objet_social2" => "000000",
                "adrs_distrib" => "_",
                "adrg_declarant" => CANARIES[0],
                "adrg_complemid" => "chez M. CanariDeclarant",
                "adrg_libvoie" => "7 rue des Lilas",
                "adrg_codepostal" => "25000",
                "adrg_achemine" => "BESANCON",
                "adrg_pays" => "FRANCE",
                "dir_civilite" => CANARIES[1],
                "adrs_complement" => CANARIES[2],
                "publiweb" => "0",
                "observation" => CANARIES[3],
                "position" => "A",
                "maj_time" => "2024-05-21 10:08:40",
                _ => "",
            }
            .to_owned()
        })
        .collect::<Vec<_>>()
        .join(";")
}

/// Encodes text as Windows-1252 (Latin-1 with its typographic characters).
pub fn latin1(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            '€' => 0x80,
            '–' => 0x96,
            '’' => 0x92,
            'œ' => 0x9C,
            'Œ' => 0x8C,
            c if (c as u32) < 0x100 => c as u8,
            other => panic!("{other} has no Latin-1 byte"),
        })
        .collect()
}

fn besancon<'a>(extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut v = vec![
        ("adrs_numvoie", "12"),
        ("adrs_typevoie", "RUE"),
        ("adrs_libvoie", "de la République"),
        ("adrs_codeinsee", "25056"),
        ("adrs_codepostal", "25000"),
        ("adrs_libcommune", "Besançon"),
    ];
    v.extend_from_slice(extra);
    v
}

pub const ENTRAIDE: &str = "ENTRAIDE CANCER DOUBS – LES ÉCUREUILS";
pub const PEDIATRIE: &str = "CANCÉROLOGIE PÉDIATRIQUE FRANCHE-COMTÉ";

/// The first sample, in Latin-1. Line by line (the header is line 1):
/// 2 active, Doubs, cancer: created · 3 dissolved · 4 in the Jura · 5 not about cancer ·
/// 6 line 2 again · 7 a field missing · 8 a quote never closed · 9 a byte Latin-1 leaves
/// undefined · 10 already published in Agora · 11 position S · 12 active, with a SIRET and a
/// stray quote in its object: created · 13 a commune code that does not exist.
pub fn rna_latin1() -> Vec<u8> {
    let mut lines = vec![RNA_HEADER.join(";")];
    lines.push(rna_row(&besancon(&[
        ("id", "W251000001"),
        ("titre", ENTRAIDE),
        ("titre_court", "ENTRAIDE CANCER DOUBS"),
        ("objet", "soutenir les personnes atteintes d’un cancer et leurs proches dans le Doubs, œuvrer pour l’accès aux soins de support"),
        ("siteweb", "www.entraide-doubs.example.org"),
    ])));
    lines.push(rna_row(&besancon(&[
        ("id", "W251000002"),
        ("titre", "LES AMIS DU SOIN CONTRE LE CANCER"),
        ("objet", "aider les malades du cancer"),
        ("date_disso", "2021-03-15"),
        ("position", "D"),
    ])));
    lines.push(rna_row(&[
        ("id", "W391000003"),
        ("titre", "RUBAN ROSE JURA"),
        ("objet", "information sur le cancer du sein"),
        ("adrs_codeinsee", "39300"),
        ("adrs_codepostal", "39000"),
        ("adrs_libcommune", "Lons-le-Saunier"),
    ]));
    lines.push(rna_row(&besancon(&[
        ("id", "W251000004"),
        ("titre", "PÉTANQUE BISONTINE"),
        ("objet", "pratique de la pétanque et du jeu provençal"),
    ])));
    lines.push(rna_row(&besancon(&[
        ("id", "W251000001"),
        ("titre", "ENTRAIDE CANCER DOUBS (DOUBLON)"),
        ("objet", "soutenir les personnes atteintes d’un cancer"),
    ])));
    let short: Vec<String> = rna_row(&besancon(&[("id", "W251000005"), ("objet", "cancer")]))
        .split(';')
        .take(20)
        .map(str::to_owned)
        .collect();
    lines.push(short.join(";"));
    lines.push(rna_row(&besancon(&[
        ("id", "W251000006"),
        ("titre", "GUILLEMET OUVERT"),
        ("objet", "\"aider les malades du cancer"),
    ])));
    lines.push(rna_row(&besancon(&[
        ("id", "W251000007"),
        ("titre", "OCTET{BAD}INTERDIT"),
        ("objet", "cancer"),
    ])));
    lines.push(rna_row(&[
        ("id", "W251000008"),
        ("titre", "LIGUE CONTRE LE CANCER MONTBÉLIARD"),
        ("objet", "lutter contre le cancer"),
        ("adrs_codeinsee", "25388"),
        ("adrs_codepostal", "25200"),
        ("adrs_libcommune", "Montbéliard"),
    ]));
    lines.push(rna_row(&besancon(&[
        ("id", "W251000009"),
        ("titre", "CANCER ET SPORT"),
        ("objet", "sport après un cancer"),
        ("position", "S"),
    ])));
    lines.push(rna_row(&besancon(&[
        ("id", "W251000010"),
        ("titre", PEDIATRIE),
        ("siret", "73282932000074"),
        (
            "objet",
            "soutien en cancérologie pédiatrique avec \"Les Petits Princes\"",
        ),
    ])));
    lines.push(rna_row(&[
        ("id", "W251000011"),
        ("titre", "CANCER NULLE PART"),
        ("objet", "cancer"),
        ("adrs_codeinsee", "25999"),
        ("adrs_codepostal", "25000"),
        ("adrs_libcommune", "Nulle-Part"),
    ]));
    let mut bytes = latin1(&(lines.join("\r\n") + "\r\n"));
    // An undefined byte of Windows-1252 in the name of line 9.
    let marker = b"{BAD}";
    let at = bytes
        .windows(marker.len())
        .position(|w| w == marker)
        .expect("marker");
    bytes.splice(at..at + marker.len(), [0x81]);
    bytes
}

/// The second sample, in UTF-8: line 2 brings a new object, line 3 is approved meanwhile,
/// line 4 is still published, line 5 is new, line 6 has a byte that is not UTF-8.
pub fn rna_utf8_update() -> Vec<u8> {
    let lines = [
        RNA_HEADER.join(";"),
        rna_row(&besancon(&[
            ("id", "W251000001"),
            ("titre", ENTRAIDE),
            (
                "objet",
                "soutenir les personnes atteintes d’un cancer et leurs proches, groupes de parole à Besançon",
            ),
            ("siteweb", "www.entraide-doubs.example.org"),
        ])),
        rna_row(&besancon(&[
            ("id", "W251000010"),
            ("titre", PEDIATRIE),
            (
                "objet",
                "soutien en cancérologie pédiatrique, nouvelle adresse",
            ),
        ])),
        rna_row(&[
            ("id", "W251000008"),
            ("titre", "LIGUE CONTRE LE CANCER MONTBÉLIARD"),
            ("objet", "lutter contre le cancer"),
            ("adrs_codeinsee", "25388"),
            ("adrs_codepostal", "25200"),
            ("adrs_libcommune", "Montbéliard"),
        ]),
        rna_row(&besancon(&[
            ("id", "W251000012"),
            ("titre", "APRÈS LE CANCER, LE TRAVAIL"),
            ("objet", "accompagner le retour à l’emploi après un cancer"),
        ])),
        rna_row(&besancon(&[
            ("id", "W251000013"),
            ("titre", "CAF{BAD} DES MALADES"),
            ("objet", "cancer"),
        ])),
    ];
    let mut bytes = (lines.join("\n") + "\n").into_bytes();
    // A Latin-1 byte in a UTF-8 file, in the name of line 6.
    let at = bytes
        .windows(5)
        .position(|w| w == b"{BAD}")
        .expect("marker");
    bytes.splice(at..at + 5, [0xE9]);
    bytes
}

/// data·inclusion structures, valid for the schema's v1 models.
pub fn di_structures() -> Vec<serde_json::Value> {
    use serde_json::json;
    vec![
        json!({
            "source": "dora", "id": "dora--tilleuls", "nom": "Centre social Les Tilleuls",
            "date_maj": "2026-10-02", "siret": "73282932000074",
            "description": "Le centre social accueille les habitants de Planoise : accès aux droits, soutien aux aidants, ateliers bien-être.",
            "commune": "Besançon", "code_postal": "25000", "code_insee": "25056",
            "adresse": "3 rue Battant", "complement_adresse": "Bâtiment B",
            "latitude": 47.2393, "longitude": 6.0201,
            "telephone": "+33381000000", "courriel": "accueil@tilleuls.example.org",
            "site_web": "https://tilleuls.example.org/", "reseaux_porteurs": ["ccas-cias"]
        }),
        json!({
            "source": "dora", "id": "dora--sans-siret", "nom": "Collectif sans numéro",
            "date_maj": "2026-09-12", "commune": "Besançon", "code_postal": "25000", "code_insee": "25056"
        }),
    ]
}

/// data·inclusion services of those structures (and of one that is not in the file).
pub fn di_services() -> Vec<serde_json::Value> {
    use serde_json::json;
    vec![
        json!({
            "source": "dora", "id": "dora--ecoute", "structure_id": "dora--tilleuls",
            "nom": "Écoute et soutien psychologique", "date_maj": "2026-10-02",
            "description": "Des entretiens gratuits avec une psychologue, pour les personnes malades et leurs proches, sur rendez-vous.",
            "thematiques": ["sante--sante-mentale", "famille--soutien-aidants", "mobilite--preparer-un-permis"],
            "frais": "gratuit", "publics": ["seniors", "femmes"],
            "modes_accueil": ["en-presentiel", "a-distance"], "zone_eligibilite": ["25", "39001"],
            "commune": "Besançon", "code_postal": "25000", "code_insee": "25056", "adresse": "3 rue Battant",
            "telephone": "0381000001", "horaires_accueil": "Mo-Fr 09:00-12:00"
        }),
        json!({
            "source": "dora", "id": "dora--permis", "structure_id": "dora--tilleuls",
            "nom": "Aide au permis de conduire", "date_maj": "2026-10-02",
            "description": "Un accompagnement pour préparer le code et la conduite, avec des moniteurs bénévoles du quartier.",
            "thematiques": ["mobilite--preparer-un-permis"], "frais": "payant",
            "modes_accueil": ["en-presentiel"], "zone_eligibilite": ["25056"],
            "commune": "Besançon", "code_postal": "25000", "code_insee": "25056", "adresse": "3 rue Battant"
        }),
        json!({
            "source": "dora", "id": "dora--orphelin", "structure_id": "dora--inconnue",
            "nom": "Service sans structure", "date_maj": "2026-10-02",
            "description": "Un service dont la structure n'est dans aucun des fichiers importés, pour le test de rapport.",
            "thematiques": ["sante--acces-aux-soins"], "frais": "gratuit",
            "modes_accueil": ["a-distance"], "zone_eligibilite": ["france"]
        }),
    ]
}
