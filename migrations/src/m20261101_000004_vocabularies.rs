//! The controlled vocabularies, version 1: stable slugs, French labels, and for themes their
//! colour-coded family. Later versions add rows (or set `retired_in`) in new migrations.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Vocabularies {
    Table,
    Kind,
    Slug,
    Label,
    Family,
    Colour,
    Position,
    IntroducedIn,
    RetiredIn,
}

type Row = (
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
    i32,
);

const VERSION: i32 = 1;

#[rustfmt::skip]
const TERMS: &[Row] = &[
    ("theme", "travail-emploi", "Travail et emploi", Some("travail"), Some("#3558A2"), 1),
    ("theme", "apres-cancer", "Après-cancer", Some("sante"), Some("#009081"), 2),
    ("theme", "soins-de-support", "Soins de support", Some("sante"), Some("#009081"), 3),
    ("theme", "mieux-etre", "Mieux-être", Some("sante"), Some("#009081"), 4),
    ("theme", "aide-administrative", "Aide administrative", Some("institutionnel"), Some("#6E445A"), 5),
    ("theme", "aide-sociale", "Aide sociale", Some("social"), Some("#CE614A"), 6),
    ("theme", "droits", "Droits", Some("institutionnel"), Some("#6E445A"), 7),
    ("theme", "sexualite", "Sexualité", Some("sante"), Some("#009081"), 8),
    ("theme", "parcours-de-soin", "Parcours de soin", Some("sante"), Some("#009081"), 9),
    ("theme", "diagnostic", "Diagnostic", Some("sante"), Some("#009081"), 10),
    ("theme", "rencontres-pair-aidance", "Rencontres et pair-aidance", Some("social"), Some("#CE614A"), 11),
    ("theme", "aidants", "Aidants", Some("social"), Some("#CE614A"), 12),
    ("theme", "prevention-depistage", "Prévention et dépistage", Some("sante"), Some("#009081"), 13),
    ("theme", "activite-physique-adaptee", "Activité physique adaptée", Some("sante"), Some("#009081"), 14),
    ("theme", "nutrition", "Nutrition", Some("sante"), Some("#009081"), 15),
    ("theme", "soutien-psychologique", "Soutien psychologique", Some("sante"), Some("#009081"), 16),
    ("theme", "aide-financiere", "Aide financière", Some("social"), Some("#CE614A"), 17),
    ("theme", "vie-quotidienne", "Vie quotidienne et domicile", Some("social"), Some("#CE614A"), 18),
    ("theme", "information-formation", "Information et formation", Some("institutionnel"), Some("#6E445A"), 19),
    ("cancer_type", "sein", "Cancer du sein", None, None, 1),
    ("cancer_type", "prostate", "Cancer de la prostate", None, None, 2),
    ("cancer_type", "colorectal", "Cancer colorectal", None, None, 3),
    ("cancer_type", "poumon", "Cancer du poumon", None, None, 4),
    ("cancer_type", "melanome-peau", "Mélanome et cancers de la peau", None, None, 5),
    ("cancer_type", "hemopathies", "Hémopathies malignes (lymphomes, leucémies, myélomes)", None, None, 6),
    ("cancer_type", "gynecologiques", "Cancers gynécologiques (ovaire, utérus, col)", None, None, 7),
    ("cancer_type", "orl", "Cancers ORL", None, None, 8),
    ("cancer_type", "vessie-rein", "Cancers de la vessie et du rein", None, None, 9),
    ("cancer_type", "pancreas", "Cancer du pancréas", None, None, 10),
    ("cancer_type", "foie", "Cancer du foie", None, None, 11),
    ("cancer_type", "estomac-oesophage", "Cancers de l'estomac et de l'œsophage", None, None, 12),
    ("cancer_type", "cerveau", "Tumeurs cérébrales", None, None, 13),
    ("cancer_type", "thyroide", "Cancer de la thyroïde", None, None, 14),
    ("cancer_type", "testicule", "Cancer du testicule", None, None, 15),
    ("cancer_type", "sarcomes", "Sarcomes", None, None, 16),
    ("cancer_type", "pediatriques", "Cancers de l'enfant et de l'adolescent", None, None, 17),
    ("cancer_type", "rares", "Cancers rares", None, None, 18),
    ("audience", "patients", "Personnes malades", None, None, 1),
    ("audience", "aidants", "Proches aidants", None, None, 2),
    ("audience", "enfants-adolescents", "Enfants et adolescents", None, None, 3),
    ("audience", "jeunes-adultes", "Adolescents et jeunes adultes (AJA)", None, None, 4),
    ("audience", "seniors", "Personnes âgées", None, None, 5),
    ("audience", "professionnels-sante", "Professionnels de santé", None, None, 6),
    ("audience", "professionnels-social", "Travailleurs sociaux", None, None, 7),
    ("audience", "employeurs", "Employeurs et entreprises", None, None, 8),
    ("audience", "grand-public", "Grand public", None, None, 9),
    ("stage", "prevention-depistage", "Prévention et dépistage", None, None, 1),
    ("stage", "diagnostic", "Diagnostic", None, None, 2),
    ("stage", "traitement", "Traitement", None, None, 3),
    ("stage", "apres-cancer", "Après-cancer", None, None, 4),
    ("stage", "retour-emploi", "Retour à l'emploi", None, None, 5),
    ("stage", "soins-palliatifs", "Soins palliatifs et fin de vie", None, None, 6),
    ("skill", "experience-patient", "Expérience patient", None, None, 1),
    ("skill", "experience-aidant", "Expérience d'aidant", None, None, 2),
    ("skill", "juridique", "Juridique", None, None, 3),
    ("skill", "gestion", "Gestion et administration", None, None, 4),
    ("skill", "communication-digitale", "Communication digitale", None, None, 5),
    ("skill", "graphisme", "Graphisme et design", None, None, 6),
    ("skill", "developpement-web", "Développement web", None, None, 7),
    ("skill", "recherche-evaluation", "Recherche et évaluation", None, None, 8),
    ("skill", "animation", "Animation d'ateliers", None, None, 9),
    ("skill", "redaction", "Rédaction", None, None, 10),
    ("skill", "traduction", "Traduction", None, None, 11),
    ("skill", "financement", "Recherche de financements", None, None, 12),
    ("skill", "expertise-medicale", "Expertise médicale", None, None, 13),
    ("skill", "accompagnement-psychologique", "Accompagnement psychologique", None, None, 14),
    ("skill", "formation", "Formation", None, None, 15),
    ("skill", "ressources-humaines", "Ressources humaines", None, None, 16),
    ("structure_kind", "association", "Association", None, None, 1),
    ("structure_kind", "etablissement-sante", "Établissement de santé", None, None, 2),
    ("structure_kind", "collectivite", "Collectivité territoriale", None, None, 3),
    ("structure_kind", "entreprise", "Entreprise", None, None, 4),
    ("structure_kind", "startup", "Start-up", None, None, 5),
    ("structure_kind", "institution", "Institution publique", None, None, 6),
    ("structure_kind", "protection-sociale", "Organisme de protection sociale", None, None, 7),
    ("structure_kind", "mutuelle", "Mutuelle ou assurance", None, None, 8),
    ("structure_kind", "federation", "Fédération ou réseau", None, None, 9),
    ("structure_kind", "autre", "Autre", None, None, 10),
    ("mode", "presentiel", "Présentiel", None, None, 1),
    ("mode", "visio", "Visioconférence", None, None, 2),
    ("mode", "telephone", "Téléphone", None, None, 3),
    ("mode", "en-ligne", "En ligne", None, None, 4),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Vocabularies::Table)
                    .col(string(Vocabularies::Kind))
                    .col(string(Vocabularies::Slug))
                    .col(string(Vocabularies::Label))
                    .col(string_null(Vocabularies::Family))
                    .col(string_null(Vocabularies::Colour))
                    .col(integer(Vocabularies::Position))
                    .col(integer(Vocabularies::IntroducedIn))
                    .col(integer_null(Vocabularies::RetiredIn))
                    .primary_key(
                        Index::create()
                            .col(Vocabularies::Kind)
                            .col(Vocabularies::Slug),
                    )
                    .to_owned(),
            )
            .await?;
        let mut insert = Query::insert();
        insert.into_table(Vocabularies::Table).columns([
            Vocabularies::Kind,
            Vocabularies::Slug,
            Vocabularies::Label,
            Vocabularies::Family,
            Vocabularies::Colour,
            Vocabularies::Position,
            Vocabularies::IntroducedIn,
        ]);
        for (kind, slug, label, family, colour, position) in TERMS {
            insert
                .values([
                    (*kind).into(),
                    (*slug).into(),
                    (*label).into(),
                    family.map(str::to_owned).into(),
                    colour.map(str::to_owned).into(),
                    (*position).into(),
                    VERSION.into(),
                ])
                .map_err(|e| DbErr::Migration(e.to_string()))?;
        }
        manager.exec_stmt(insert).await
    }
}
