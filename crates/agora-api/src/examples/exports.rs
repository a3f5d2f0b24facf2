//! The exports: the first item of each, as Agora writes it for the demo's IRFC and its
//! programme ONCONNECTE À L'EMPLOI (parsed once, from the text an export gives).

use serde_json::Value;

fn parsed(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or(Value::Null)
}

pub fn data_inclusion_structure() -> Value {
    Value::Array(vec![parsed(
        r#"{
 "source": "agora",
 "id": "agora--019bb18a-75c0-7ddc-aafd-13f6d18e0bf0",
 "nom": "Institut Régional Fédératif du Cancer en Franche-Comté (IRFC-FC)",
 "date_maj": "2026-12-01",
 "description": "L'IRFC fédère les établissements qui soignent les personnes atteintes de cancer en Franche-Comté : CHU de Besançon, Hôpital Nord Franche-Comté, centres hospitaliers de Dole, Lons-le-Saunier, Vesoul et Pontarlier.",
 "lien_source": "https://agora.example.org/structures/019bb18a-75c0-7ddc-aafd-13f6d18e0bf0",
 "commune": "Besançon",
 "code_postal": "25000",
 "code_insee": "25056",
 "longitude": 6.0243,
 "latitude": 47.238,
 "telephone": "03 81 47 99 99",
 "courriel": "aprescancer@irfc-fc.fr",
 "site_web": "https://www.irfc.fr/ONCONNECTEALEMPLOI",
 "agora_type_structure": "federation",
 "agora_siren": "999000441",
 "agora_labellise": false
}"#,
    )])
}

pub fn data_inclusion_service() -> Value {
    Value::Array(vec![parsed(
        r#"{
 "source": "agora",
 "structure_id": "agora--019bb18a-75c0-7ddc-aafd-13f6d18e0bf0",
 "id": "agora--019bb1aa-80e0-7aab-a72b-d07f2b1064b4",
 "nom": "ONCONNECTE À L'EMPLOI",
 "description": "Programme de retour à l'emploi en séances de groupe par visioconférence, après un cancer.\n\nDémarré le 1er mars 2022 et financé pour 24 mois par l'appel à projets « Cancer et emploi 2021 » de l'INCa. Des interventions d'experts filmées en amont sont ensuite discutées en groupe : CARSAT, référents…",
 "lien_source": "https://agora.example.org/services/019bb1aa-80e0-7aab-a72b-d07f2b1064b4",
 "date_maj": "2026-12-01",
 "thematiques": [
  "trouver-un-emploi--maintien-dans-lemploi"
 ],
 "frais": "gratuit",
 "frais_precisions": "Pour les patients traités dans les établissements de l'IRFC, en rémission ou en maladie stabilisée, avec une connexion internet.",
 "publics_precisions": "Personnes malades",
 "telephone": "03 81 47 99 99",
 "courriel": "aprescancer@irfc-fc.fr",
 "contact_nom_prenom": "ONCOTEL",
 "modes_accueil": [
  "a-distance"
 ],
 "zone_eligibilite": [
  "25",
  "39",
  "70",
  "90"
 ],
 "lien_mobilisation": "https://www.irfc.fr/ONCONNECTEALEMPLOI",
 "modes_mobilisation": [
  "envoyer-un-courriel",
  "telephoner",
  "utiliser-lien-mobilisation"
 ],
 "agora_thematiques": [
  "travail-emploi",
  "apres-cancer"
 ],
 "agora_types_cancer": [],
 "agora_publics": [
  "patients"
 ],
 "agora_etapes": [
  "apres-cancer",
  "retour-emploi"
 ],
 "agora_modes": [
  "visio"
 ],
 "agora_horaires": "Standard ONCOTEL du lundi au vendredi.",
 "agora_labellise": false
}"#,
    )])
}

pub fn hsds_organization() -> Value {
    Value::Array(vec![parsed(
        r#"{
 "attributes": [
  {
   "id": "6f984969-19a4-8754-a2f3-6186c798363a",
   "link_entity": "organization",
   "link_id": "019bb18a-75c0-7ddc-aafd-13f6d18e0bf0",
   "link_type": "agora:structure_kind",
   "taxonomy_term": {
    "code": "federation",
    "description": "Fédération ou réseau",
    "id": "d46b052f-700b-8fee-8bdd-0bf1607b2533",
    "language": "fr",
    "name": "Fédération ou réseau",
    "taxonomy": "agora:structure_kind"
   },
   "taxonomy_term_id": "d46b052f-700b-8fee-8bdd-0bf1607b2533"
  }
 ],
 "description": "L'IRFC fédère les établissements qui soignent les personnes atteintes de cancer en Franche-Comté : CHU de Besançon, Hôpital Nord Franche-Comté, centres hospitaliers de Dole, Lons-le-Saunier, Vesoul et Pontarlier.",
 "email": "aprescancer@irfc-fc.fr",
 "id": "019bb18a-75c0-7ddc-aafd-13f6d18e0bf0",
 "legal_status": "Fédération ou réseau",
 "locations": [
  {
   "addresses": [
    {
     "address_1": "Besançon",
     "address_type": "physical",
     "city": "Besançon",
     "country": "FR",
     "id": "968b8e2c-b104-85ef-9670-afeb0cbf601d",
     "location_id": "9385ba12-fd19-837e-a888-862b45415b4c",
     "postal_code": "25000",
     "region": "Bourgogne-Franche-Comté",
     "state_province": "Doubs"
    }
   ],
   "external_identifier": "25056",
   "external_identifier_type": "code INSEE",
   "id": "9385ba12-fd19-837e-a888-862b45415b4c",
   "latitude": 47.238,
   "location_type": "physical",
   "longitude": 6.0243,
   "name": "Institut Régional Fédératif du Cancer en Franche-Comté (IRFC-FC)",
   "organization_id": "019bb18a-75c0-7ddc-aafd-13f6d18e0bf0"
  }
 ],
 "name": "Institut Régional Fédératif du Cancer en Franche-Comté (IRFC-FC)",
 "organization_identifiers": [
  {
   "id": "750a06f6-0844-81a1-8528-8fb7c5389727",
   "identifier": "999000441",
   "identifier_scheme": "FR-SIRENE",
   "identifier_type": "SIREN",
   "organization_id": "019bb18a-75c0-7ddc-aafd-13f6d18e0bf0"
  }
 ],
 "phones": [
  {
   "id": "7296e57a-abf1-8259-8a3c-07de69a2b704",
   "number": "03 81 47 99 99",
   "organization_id": "019bb18a-75c0-7ddc-aafd-13f6d18e0bf0"
  }
 ],
 "uri": "https://agora.example.org/structures/019bb18a-75c0-7ddc-aafd-13f6d18e0bf0",
 "website": "https://www.irfc.fr/ONCONNECTEALEMPLOI"
}"#,
    )])
}

pub fn hsds_service() -> Value {
    Value::Array(vec![parsed(
        r#"{
 "assured_date": "2026-12-01",
 "attributes": [
  {
   "id": "8c8bc97c-0e05-8c7b-a239-30ed790a0d0a",
   "link_entity": "service",
   "link_id": "019bb1aa-80e0-7aab-a72b-d07f2b1064b4",
   "link_type": "agora:theme",
   "taxonomy_term": {
    "code": "travail-emploi",
    "description": "Travail et emploi",
    "id": "68737b29-866f-8583-bdb3-4e0b1a49b626",
    "language": "fr",
    "name": "Travail et emploi",
    "taxonomy": "agora:theme"
   },
   "taxonomy_term_id": "68737b29-866f-8583-bdb3-4e0b1a49b626"
  },
  {
   "id": "582158af-2a3e-8eac-aca3-8be14f706d50",
   "link_entity": "service",
   "link_id": "019bb1aa-80e0-7aab-a72b-d07f2b1064b4",
   "link_type": "agora:theme",
   "taxonomy_term": {
    "code": "apres-cancer",
    "description": "Après-cancer",
    "id": "d5c8cfa0-67ec-8b64-a59a-de74409d895f",
    "language": "fr",
    "name": "Après-cancer",
    "taxonomy": "agora:theme"
   },
   "taxonomy_term_id": "d5c8cfa0-67ec-8b64-a59a-de74409d895f"
  }
 ],
 "contacts": [
  {
   "id": "1141ef90-516e-8565-b69b-f1fd2aa40e83",
   "name": "ONCOTEL",
   "service_id": "019bb1aa-80e0-7aab-a72b-d07f2b1064b4"
  }
 ],
 "cost_options": [
  {
   "amount": 0,
   "currency": "EUR",
   "id": "191aec3f-7eb3-8956-8061-5945750841a8",
   "option": "Gratuit",
   "service_id": "019bb1aa-80e0-7aab-a72b-d07f2b1064b4"
  }
 ],
 "description": "Programme de retour à l'emploi en séances de groupe par visioconférence, après un cancer.\n\nDémarré le 1er mars 2022 et financé pour 24 mois par l'appel à projets « Cancer et emploi 2021 » de l'INCa. Des interventions d'experts filmées en amont sont ensuite discutées en groupe : CARSAT, référents…",
 "eligibility_description": "Personnes malades",
 "email": "aprescancer@irfc-fc.fr",
 "fees_description": "Gratuit. Pour les patients traités dans les établissements de l'IRFC, en rémission ou en maladie stabilisée, avec une connexion internet.",
 "id": "019bb1aa-80e0-7aab-a72b-d07f2b1064b4",
 "last_modified": "2026-12-01T00:06:13Z",
 "name": "ONCONNECTE À L'EMPLOI",
 "organization_id": "019bb18a-75c0-7ddc-aafd-13f6d18e0bf0",
 "phones": [
  {
   "id": "7e42660c-0908-8a2c-8f81-c80d4dac21dd",
   "number": "03 81 47 99 99",
   "service_id": "019bb1aa-80e0-7aab-a72b-d07f2b1064b4"
  }
 ],
 "schedules": [
  {
   "description": "Standard ONCOTEL du lundi au vendredi.",
   "id": "b3ff70c9-c579-89b1-9978-eb83d1d7e4c1",
   "service_id": "019bb1aa-80e0-7aab-a72b-d07f2b1064b4"
  }
 ],
 "service_areas": [
  {
   "extent": "departements",
   "extent_type": "text",
   "id": "fb1b72f3-3522-8643-ae8a-b08f8efe85ce",
   "name": "Départements : 25 Doubs, 39 Jura, 70 Haute-Saône, 90 Territoire de Belfort",
   "service_id": "019bb1aa-80e0-7aab-a72b-d07f2b1064b4"
  }
 ],
 "status": "active",
 "url": "https://www.irfc.fr/ONCONNECTEALEMPLOI"
}"#,
    )])
}

pub fn csv() -> Value {
    Value::String(
        "Type;Identifiant;Nom;Structure;Identifiant de la structure;Résumé;Description;Thématiques;Publics;Types de cancer;Étapes du parcours;Modalités;Compétences recherchées;Catégorie;Coût;Précisions sur le coût;Zone d'intervention;Adresse;Département;Horaires;Contact;Courriel;Téléphone;Site web;Identifiants légaux;Labellisée;Statut;Fraîcheur;Publiée le;Mise à jour le;Vérifiée le;Page Agora;Avis : personnes;Avis : coordonnées exactes (%);Avis : délai de réponse médian (jours);Avis : sans réponse (%);Avis : gratuit comme annoncé (%);Avis : lieu accessible (%);Avis : information claire (sur 4);Avis : recommandé (%)\r\nStructure;01a22eec-6097-71c6-acab-d250b04b6468;Institut Régional Fédératif du Cancer en Franche-Comté (IRFC-FC);;;Fédération des établissements de cancérologie de Franche-Comté.;L'IRFC fédère les établissements qui soignent les personnes atteintes de cancer en Franche-Comté : CHU de Besançon, Hôpital Nord Franche-Comté, centres hospitaliers de Dole, Lons-le-Saunier, Vesoul et Pontarlier.;;;;;;;Fédération ou réseau;;;;25000 Besançon;25 Doubs;;;aprescancer@irfc-fc.fr;03 81 47 99 99;https://www.irfc.fr/ONCONNECTEALEMPLOI;SIREN 999 000 441;Non;Publié;À jour;2026-12-01;2026-12-01;2026-12-01;http://127.0.0.1:8080/structures/01a22eec-6097-71c6-acab-d250b04b6468;;;;;;;;\r\n".to_owned(),
    )
}
