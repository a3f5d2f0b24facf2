//! INSEE codes of the régions and départements (Code officiel géographique).

use crate::{Departement, Region};

pub static REGIONS: &[Region] = &[
    Region {
        code: "01",
        name: "Guadeloupe",
    },
    Region {
        code: "02",
        name: "Martinique",
    },
    Region {
        code: "03",
        name: "Guyane",
    },
    Region {
        code: "04",
        name: "La Réunion",
    },
    Region {
        code: "06",
        name: "Mayotte",
    },
    Region {
        code: "11",
        name: "Île-de-France",
    },
    Region {
        code: "24",
        name: "Centre-Val de Loire",
    },
    Region {
        code: "27",
        name: "Bourgogne-Franche-Comté",
    },
    Region {
        code: "28",
        name: "Normandie",
    },
    Region {
        code: "32",
        name: "Hauts-de-France",
    },
    Region {
        code: "44",
        name: "Grand Est",
    },
    Region {
        code: "52",
        name: "Pays de la Loire",
    },
    Region {
        code: "53",
        name: "Bretagne",
    },
    Region {
        code: "75",
        name: "Nouvelle-Aquitaine",
    },
    Region {
        code: "76",
        name: "Occitanie",
    },
    Region {
        code: "84",
        name: "Auvergne-Rhône-Alpes",
    },
    Region {
        code: "93",
        name: "Provence-Alpes-Côte d'Azur",
    },
    Region {
        code: "94",
        name: "Corse",
    },
];

pub static DEPARTEMENTS: &[Departement] = &[
    Departement {
        code: "01",
        name: "Ain",
        region_code: "84",
    },
    Departement {
        code: "02",
        name: "Aisne",
        region_code: "32",
    },
    Departement {
        code: "03",
        name: "Allier",
        region_code: "84",
    },
    Departement {
        code: "04",
        name: "Alpes-de-Haute-Provence",
        region_code: "93",
    },
    Departement {
        code: "05",
        name: "Hautes-Alpes",
        region_code: "93",
    },
    Departement {
        code: "06",
        name: "Alpes-Maritimes",
        region_code: "93",
    },
    Departement {
        code: "07",
        name: "Ardèche",
        region_code: "84",
    },
    Departement {
        code: "08",
        name: "Ardennes",
        region_code: "44",
    },
    Departement {
        code: "09",
        name: "Ariège",
        region_code: "76",
    },
    Departement {
        code: "10",
        name: "Aube",
        region_code: "44",
    },
    Departement {
        code: "11",
        name: "Aude",
        region_code: "76",
    },
    Departement {
        code: "12",
        name: "Aveyron",
        region_code: "76",
    },
    Departement {
        code: "13",
        name: "Bouches-du-Rhône",
        region_code: "93",
    },
    Departement {
        code: "14",
        name: "Calvados",
        region_code: "28",
    },
    Departement {
        code: "15",
        name: "Cantal",
        region_code: "84",
    },
    Departement {
        code: "16",
        name: "Charente",
        region_code: "75",
    },
    Departement {
        code: "17",
        name: "Charente-Maritime",
        region_code: "75",
    },
    Departement {
        code: "18",
        name: "Cher",
        region_code: "24",
    },
    Departement {
        code: "19",
        name: "Corrèze",
        region_code: "75",
    },
    Departement {
        code: "2A",
        name: "Corse-du-Sud",
        region_code: "94",
    },
    Departement {
        code: "2B",
        name: "Haute-Corse",
        region_code: "94",
    },
    Departement {
        code: "21",
        name: "Côte-d'Or",
        region_code: "27",
    },
    Departement {
        code: "22",
        name: "Côtes-d'Armor",
        region_code: "53",
    },
    Departement {
        code: "23",
        name: "Creuse",
        region_code: "75",
    },
    Departement {
        code: "24",
        name: "Dordogne",
        region_code: "75",
    },
    Departement {
        code: "25",
        name: "Doubs",
        region_code: "27",
    },
    Departement {
        code: "26",
        name: "Drôme",
        region_code: "84",
    },
    Departement {
        code: "27",
        name: "Eure",
        region_code: "28",
    },
    Departement {
        code: "28",
        name: "Eure-et-Loir",
        region_code: "24",
    },
    Departement {
        code: "29",
        name: "Finistère",
        region_code: "53",
    },
    Departement {
        code: "30",
        name: "Gard",
        region_code: "76",
    },
    Departement {
        code: "31",
        name: "Haute-Garonne",
        region_code: "76",
    },
    Departement {
        code: "32",
        name: "Gers",
        region_code: "76",
    },
    Departement {
        code: "33",
        name: "Gironde",
        region_code: "75",
    },
    Departement {
        code: "34",
        name: "Hérault",
        region_code: "76",
    },
    Departement {
        code: "35",
        name: "Ille-et-Vilaine",
        region_code: "53",
    },
    Departement {
        code: "36",
        name: "Indre",
        region_code: "24",
    },
    Departement {
        code: "37",
        name: "Indre-et-Loire",
        region_code: "24",
    },
    Departement {
        code: "38",
        name: "Isère",
        region_code: "84",
    },
    Departement {
        code: "39",
        name: "Jura",
        region_code: "27",
    },
    Departement {
        code: "40",
        name: "Landes",
        region_code: "75",
    },
    Departement {
        code: "41",
        name: "Loir-et-Cher",
        region_code: "24",
    },
    Departement {
        code: "42",
        name: "Loire",
        region_code: "84",
    },
    Departement {
        code: "43",
        name: "Haute-Loire",
        region_code: "84",
    },
    Departement {
        code: "44",
        name: "Loire-Atlantique",
        region_code: "52",
    },
    Departement {
        code: "45",
        name: "Loiret",
        region_code: "24",
    },
    Departement {
        code: "46",
        name: "Lot",
        region_code: "76",
    },
    Departement {
        code: "47",
        name: "Lot-et-Garonne",
        region_code: "75",
    },
    Departement {
        code: "48",
        name: "Lozère",
        region_code: "76",
    },
    Departement {
        code: "49",
        name: "Maine-et-Loire",
        region_code: "52",
    },
    Departement {
        code: "50",
        name: "Manche",
        region_code: "28",
    },
    Departement {
        code: "51",
        name: "Marne",
        region_code: "44",
    },
    Departement {
        code: "52",
        name: "Haute-Marne",
        region_code: "44",
    },
    Departement {
        code: "53",
        name: "Mayenne",
        region_code: "52",
    },
    Departement {
        code: "54",
        name: "Meurthe-et-Moselle",
        region_code: "44",
    },
    Departement {
        code: "55",
        name: "Meuse",
        region_code: "44",
    },
    Departement {
        code: "56",
        name: "Morbihan",
        region_code: "53",
    },
    Departement {
        code: "57",
        name: "Moselle",
        region_code: "44",
    },
    Departement {
        code: "58",
        name: "Nièvre",
        region_code: "27",
    },
    Departement {
        code: "59",
        name: "Nord",
        region_code: "32",
    },
    Departement {
        code: "60",
        name: "Oise",
        region_code: "32",
    },
    Departement {
        code: "61",
        name: "Orne",
        region_code: "28",
    },
    Departement {
        code: "62",
        name: "Pas-de-Calais",
        region_code: "32",
    },
    Departement {
        code: "63",
        name: "Puy-de-Dôme",
        region_code: "84",
    },
    Departement {
        code: "64",
        name: "Pyrénées-Atlantiques",
        region_code: "75",
    },
    Departement {
        code: "65",
        name: "Hautes-Pyrénées",
        region_code: "76",
    },
    Departement {
        code: "66",
        name: "Pyrénées-Orientales",
        region_code: "76",
    },
    Departement {
        code: "67",
        name: "Bas-Rhin",
        region_code: "44",
    },
    Departement {
        code: "68",
        name: "Haut-Rhin",
        region_code: "44",
    },
    Departement {
        code: "69",
        name: "Rhône",
        region_code: "84",
    },
    Departement {
        code: "70",
        name: "Haute-Saône",
        region_code: "27",
    },
    Departement {
        code: "71",
        name: "Saône-et-Loire",
        region_code: "27",
    },
    Departement {
        code: "72",
        name: "Sarthe",
        region_code: "52",
    },
    Departement {
        code: "73",
        name: "Savoie",
        region_code: "84",
    },
    Departement {
        code: "74",
        name: "Haute-Savoie",
        region_code: "84",
    },
    Departement {
        code: "75",
        name: "Paris",
        region_code: "11",
    },
    Departement {
        code: "76",
        name: "Seine-Maritime",
        region_code: "28",
    },
    Departement {
        code: "77",
        name: "Seine-et-Marne",
        region_code: "11",
    },
    Departement {
        code: "78",
        name: "Yvelines",
        region_code: "11",
    },
    Departement {
        code: "79",
        name: "Deux-Sèvres",
        region_code: "75",
    },
    Departement {
        code: "80",
        name: "Somme",
        region_code: "32",
    },
    Departement {
        code: "81",
        name: "Tarn",
        region_code: "76",
    },
    Departement {
        code: "82",
        name: "Tarn-et-Garonne",
        region_code: "76",
    },
    Departement {
        code: "83",
        name: "Var",
        region_code: "93",
    },
    Departement {
        code: "84",
        name: "Vaucluse",
        region_code: "93",
    },
    Departement {
        code: "85",
        name: "Vendée",
        region_code: "52",
    },
    Departement {
        code: "86",
        name: "Vienne",
        region_code: "75",
    },
    Departement {
        code: "87",
        name: "Haute-Vienne",
        region_code: "75",
    },
    Departement {
        code: "88",
        name: "Vosges",
        region_code: "44",
    },
    Departement {
        code: "89",
        name: "Yonne",
        region_code: "27",
    },
    Departement {
        code: "90",
        name: "Territoire de Belfort",
        region_code: "27",
    },
    Departement {
        code: "91",
        name: "Essonne",
        region_code: "11",
    },
    Departement {
        code: "92",
        name: "Hauts-de-Seine",
        region_code: "11",
    },
    Departement {
        code: "93",
        name: "Seine-Saint-Denis",
        region_code: "11",
    },
    Departement {
        code: "94",
        name: "Val-de-Marne",
        region_code: "11",
    },
    Departement {
        code: "95",
        name: "Val-d'Oise",
        region_code: "11",
    },
    Departement {
        code: "971",
        name: "Guadeloupe",
        region_code: "01",
    },
    Departement {
        code: "972",
        name: "Martinique",
        region_code: "02",
    },
    Departement {
        code: "973",
        name: "Guyane",
        region_code: "03",
    },
    Departement {
        code: "974",
        name: "La Réunion",
        region_code: "04",
    },
    Departement {
        code: "976",
        name: "Mayotte",
        region_code: "06",
    },
];
