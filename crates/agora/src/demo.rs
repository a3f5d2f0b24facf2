//! The demo data set: the real "cancer et emploi" programmes (ONCONNECTE À L'EMPLOI, Alex,
//! the cancer-sensitive skills assessment, I-KNOW-HOW, Lab Agora) as published services and
//! projects of their structures, fictional associations across several régions, and items
//! waiting in the moderation queue. Everything goes through the use cases, as a person
//! would do it. Legal identifiers and accounts are invented.

use agora_domain::{Decision, ListingKind, PlatformRole};
use agora_service::accounts::{self, RegisterInput};
use agora_service::moderation::{self, DecisionInput};
use agora_service::registry;
use agora_service::views::{AnyListingView, UserView};
use agora_service::{Actor, Context, ServiceError, UserActor};
use serde_json::{Value, json};
use uuid::Uuid;

mod evaluations;

/// A demo account, printed at start so that people can sign in.
#[derive(Debug, Clone)]
pub struct DemoAccount {
    pub email: &'static str,
    pub password: &'static str,
    pub role: &'static str,
}

pub const MODERATOR: DemoAccount = DemoAccount {
    email: "moderation@demo.example.org",
    password: "moderatrice-demo-2026",
    role: "modératrice (Lab Agora)",
};
pub const MEMBER: DemoAccount = DemoAccount {
    email: "membre@demo.example.org",
    password: "camille-demo-2026",
    role: "membre (IRFC, Jeunes & Cancer)",
};
pub const PARTNERS: DemoAccount = DemoAccount {
    email: "partenaires@demo.example.org",
    password: "partenariat-demo-2026",
    role: "membre (autres structures)",
};

pub const COMMITTEE: DemoAccount = DemoAccount {
    email: "comite@demo.example.org",
    password: "jury-demo-2026",
    role: "comité du label (patiente)",
};

/// The demo partner's key (`X-API-Key`), every scope.
pub const DEMO_PARTNER_KEY: &str = "agora_pk_demo-oncobfc-2026";

pub fn accounts() -> [DemoAccount; 4] {
    [MODERATOR, MEMBER, PARTNERS, COMMITTEE]
}

/// What `seed` did.
#[derive(Debug, PartialEq, Eq)]
pub enum Seeded {
    Loaded { published: usize, pending: usize },
    AlreadyThere,
}

fn actor(user: &UserView) -> Actor {
    Actor::User(UserActor {
        id: user.id,
        role: user.role,
        session_id: Uuid::nil(),
    })
}

struct Seeder<'a> {
    ctx: &'a Context,
    moderator: Actor,
    published: usize,
    pending: usize,
}

impl Seeder<'_> {
    async fn create(
        &self,
        owner: &Actor,
        kind: ListingKind,
        parent: Option<Uuid>,
        body: Value,
    ) -> Result<AnyListingView, ServiceError> {
        registry::create(self.ctx, owner, kind, parent, body).await
    }

    /// Creates, submits and approves a listing.
    async fn publish(
        &mut self,
        owner: &Actor,
        kind: ListingKind,
        parent: Option<Uuid>,
        body: Value,
    ) -> Result<Uuid, ServiceError> {
        let view = self.create(owner, kind, parent, body).await?;
        let submitted = registry::submit(self.ctx, owner, kind, view.id).await?;
        let revision = submitted
            .review
            .map(|r| r.revision_id)
            .ok_or(ServiceError::Internal("no revision".into()))?;
        moderation::decide(
            self.ctx,
            &self.moderator,
            revision,
            Decision::Approve,
            DecisionInput::default(),
        )
        .await?;
        self.published += 1;
        Ok(view.id)
    }

    /// Creates and submits a listing, left for a moderator.
    async fn submit(
        &mut self,
        owner: &Actor,
        kind: ListingKind,
        parent: Option<Uuid>,
        body: Value,
    ) -> Result<Uuid, ServiceError> {
        let view = self.create(owner, kind, parent, body).await?;
        registry::submit(self.ctx, owner, kind, view.id).await?;
        self.pending += 1;
        Ok(view.id)
    }
}

/// Loads the demo data unless it is already there.
pub async fn seed(ctx: &Context) -> Result<Seeded, ServiceError> {
    // The demo tells months of a team's work in a second: the daily share of mail per
    // recipient (a guard against loops of other people's actions) is not for it.
    let mut settings = ctx.settings.clone();
    settings.mail.per_recipient_daily_cap = 1_000_000;
    let ctx = &Context {
        settings,
        ..ctx.clone()
    };
    let register = |a: &DemoAccount, name: &str| RegisterInput {
        email: a.email.into(),
        password: a.password.into(),
        display_name: name.into(),
    };
    let moderator = match accounts::create_user(
        ctx,
        register(&MODERATOR, "Modératrice Lab Agora"),
        Some(PlatformRole::Moderator),
    )
    .await
    {
        Ok(user) => user,
        Err(ServiceError::Conflict(_)) => return Ok(Seeded::AlreadyThere),
        Err(e) => return Err(e),
    };
    // Demo accounts are made as an operator makes them: verified, ready to sign in.
    let member =
        actor(&accounts::create_user(ctx, register(&MEMBER, "Camille Martin"), None).await?);
    let partners =
        actor(&accounts::create_user(ctx, register(&PARTNERS, "Équipe partenaires"), None).await?);
    // A partner site, as `agora partner create` makes one, with a key the README prints.
    agora_service::partners::create_with_known_key(
        ctx,
        agora_service::partners::NewPartner {
            name: "Réseau régional de cancérologie OncoBFC (démo)".to_owned(),
            contact_email: Some("webmestre@demo.example.org".to_owned()),
            scopes: Vec::new(),
            quota_per_minute: None,
            quota_per_day: None,
        },
        DEMO_PARTNER_KEY,
    )
    .await?;
    let mut s = Seeder {
        ctx,
        moderator: actor(&moderator),
        published: 0,
        pending: 0,
    };

    // IRFC — ONCONNECTE À L'EMPLOI (Franche-Comté).
    let irfc = s.publish(&member, ListingKind::Structure, None, json!({
        "name": "Institut Régional Fédératif du Cancer en Franche-Comté (IRFC-FC)",
        "structure_kind": "federation",
        "siren": "999000441",
        "summary": "Fédération des établissements de cancérologie de Franche-Comté.",
        "description": "L'IRFC fédère les établissements qui soignent les personnes atteintes de cancer en Franche-Comté : CHU de Besançon, Hôpital Nord Franche-Comté, centres hospitaliers de Dole, Lons-le-Saunier, Vesoul et Pontarlier.",
        "address": {"postcode": "25000", "commune_code": "25056", "commune_name": "Besançon", "lat": 47.2380, "lon": 6.0243},
        "contact": {"email": "aprescancer@irfc-fc.fr", "phone": "03 81 47 99 99", "website": "https://www.irfc.fr/ONCONNECTEALEMPLOI"}
    })).await?;
    s.publish(&member, ListingKind::Service, Some(irfc), json!({
        "name": "ONCONNECTE À L'EMPLOI",
        "summary": "Programme de retour à l'emploi en séances de groupe par visioconférence, après un cancer.",
        "description": "Démarré le 1er mars 2022 et financé pour 24 mois par l'appel à projets « Cancer et emploi 2021 » de l'INCa. Des interventions d'experts filmées en amont sont ensuite discutées en groupe : CARSAT, référents handicap, Pôle emploi, médecins du travail, psychologues, neuropsychologues, socio-esthéticienne, employeurs, témoignages de patients. Selon les besoins, orientation vers un accompagnement personnalisé, les ateliers de remédiation cognitive ONCOGITE ou un programme après-cancer. Objectif : réduire de 25 % la part des personnes en difficulté pour reprendre le travail 12 mois après les traitements. Premiers résultats : 27 patients au 1er octobre 2022 (49 ans en moyenne), 100 % ont jugé l'information utile.",
        "themes": ["travail-emploi", "apres-cancer"],
        "audiences": ["patients"],
        "stages": ["apres-cancer", "retour-emploi"],
        "modes": ["visio"],
        "cost": "free",
        "cost_details": "Pour les patients traités dans les établissements de l'IRFC, en rémission ou en maladie stabilisée, avec une connexion internet.",
        "coverage": {"kind": "departements", "codes": ["25", "39", "70", "90"]},
        "opening_hours": "Standard ONCOTEL du lundi au vendredi.",
        "contact": {"name": "ONCOTEL", "phone": "03 81 47 99 99", "email": "aprescancer@irfc-fc.fr", "website": "https://www.irfc.fr/ONCONNECTEALEMPLOI"}
    })).await?;
    s.publish(&member, ListingKind::Project, Some(irfc), json!({
        "title": "Témoignages de patients pour les séances ONCONNECTE",
        "summary": "Enregistrer des témoignages de personnes revenues au travail après un cancer.",
        "need": "Nous cherchons des personnes ayant repris le travail après un cancer, prêtes à raconter leur parcours lors d'un entretien filmé d'une heure.",
        "themes": ["travail-emploi", "apres-cancer"],
        "skills": ["experience-patient"],
        "project_kind": "mini_mission",
        "coverage": {"kind": "regions", "codes": ["27"]}
    })).await?;

    // Wecareatwork — Alex.
    let wecare = s.publish(&partners, ListingKind::Structure, None, json!({
        "name": "Wecareatwork",
        "structure_kind": "startup",
        "siren": "999000490",
        "summary": "Start-up engagée pour le maintien en emploi des personnes atteintes de cancer ou de maladie chronique."
    })).await?;
    let alex = s.publish(&partners, ListingKind::Service, Some(wecare), json!({
        "name": "Alex, pour 1000 patients",
        "summary": "Plateforme en ligne gratuite pour garder son emploi pendant et après un cancer ou une maladie longue.",
        "description": "Du diagnostic au retour au travail : réponses, conseils, services, séances de méditation, témoignages et échanges avec d'autres patients, 24 h/24 sur ordinateur, tablette et smartphone. Expérimentée depuis février 2022 à l'Institut Bergonié (Bordeaux), ouverte à 1000 patients partout en France. Ligne gratuite « Allo Alex ».",
        "themes": ["travail-emploi", "droits", "mieux-etre"],
        "audiences": ["patients"],
        "stages": ["diagnostic", "traitement", "apres-cancer", "retour-emploi"],
        "modes": ["en-ligne", "telephone"],
        "cost": "free",
        "coverage": {"kind": "national"},
        "opening_hours": "Plateforme accessible 24 h/24, 7 j/7.",
        "contact": {"name": "Allo Alex", "phone": "0 800 400 310"}
    })).await?;
    s.publish(&partners, ListingKind::Project, Some(wecare), json!({
        "title": "Recueillir l'avis des utilisateurs d'Alex",
        "summary": "Des patients et des aidants pour tester les nouveaux parcours de la plateforme.",
        "need": "Participer à deux séances de test en visioconférence et dire ce qui aide, ce qui manque, ce qui gêne.",
        "themes": ["travail-emploi", "mieux-etre"],
        "skills": ["experience-patient", "experience-aidant"],
        "project_kind": "mini_mission",
        "coverage": {"kind": "national"}
    })).await?;

    // The cancer-sensitive skills assessment (Paris, national).
    let bilan = s.publish(&partners, ListingKind::Structure, None, json!({
        "name": "Programme Bilan de compétences sensible au cancer",
        "structure_kind": "federation",
        "siren": "999000532",
        "summary": "Programme pilote porté avec Agefiph, Klésia, Malakoff Humanis, CCAH, INCa, CNAM, France Travail, AP-HP, Institut Rafaël, Ligue contre le cancer et Cancer Contribution.",
        "address": {"street": "91 boulevard de l'Hôpital", "postcode": "75013", "commune_code": "75056", "commune_name": "Paris", "lat": 48.8378, "lon": 2.3622}
    })).await?;
    s.publish(&partners, ListingKind::Service, Some(bilan), json!({
        "name": "Bilan de compétences sensible à l'expérience du cancer",
        "summary": "Un bilan de compétences qui valorise les compétences humaines acquises pendant la maladie.",
        "description": "Gestion de l'incertitude, autres manières de décider, nouvelles priorités : le bilan aide à faire de l'expérience de la maladie une ressource professionnelle. Phase pilote : 100 participants recrutés dans toute la France, 10 conseillers formés, 80 bilans en phase 3.",
        "themes": ["travail-emploi", "apres-cancer"],
        "audiences": ["patients"],
        "stages": ["apres-cancer", "retour-emploi"],
        "modes": ["presentiel", "visio"],
        "cost": "free",
        "cost_details": "Programme pilote : participation sur recrutement.",
        "coverage": {"kind": "national"},
        "locations": [{"name": "Programme pilote", "address": {"street": "91 boulevard de l'Hôpital", "postcode": "75013", "commune_code": "75056", "commune_name": "Paris", "lat": 48.8378, "lon": 2.3622}}]
    })).await?;

    // Centre Oscar Lambret — I-KNOW-HOW (Lille).
    let lambret = s.publish(&partners, ListingKind::Structure, None, json!({
        "name": "Centre Oscar Lambret",
        "structure_kind": "etablissement-sante",
        "siren": "999000581",
        "summary": "Centre de lutte contre le cancer des Hauts-de-France.",
        "address": {"postcode": "59000", "commune_code": "59350", "commune_name": "Lille", "lat": 50.6186, "lon": 3.0337}
    })).await?;
    let lille = json!({"name": "Centre Oscar Lambret", "address": {"postcode": "59000", "commune_code": "59350", "commune_name": "Lille", "lat": 50.6186, "lon": 3.0337}});
    s.publish(&partners, ListingKind::Service, Some(lambret), json!({
        "name": "Livret I-KNOW-HOW : rester en emploi ou y revenir",
        "summary": "Un livret pour les patients salariés, remis par les soignants à tout moment du parcours.",
        "description": "Conçu avec des patients et des partenaires de l'emploi ; sur papier et en ligne depuis octobre 2022.",
        "themes": ["travail-emploi", "information-formation"],
        "audiences": ["patients"],
        "stages": ["diagnostic", "traitement", "apres-cancer", "retour-emploi"],
        "modes": ["en-ligne", "presentiel"],
        "cost": "free",
        "coverage": {"kind": "national"},
        "locations": [lille.clone()]
    })).await?;
    s.publish(&partners, ListingKind::Service, Some(lambret), json!({
        "name": "Formation I-KNOW-HOW pour soignants et travailleurs sociaux",
        "summary": "Deux jours pour accompagner les questions d'emploi des patients ; deux sessions par an.",
        "description": "19 personnes formées en juin 2022.",
        "themes": ["travail-emploi", "information-formation"],
        "audiences": ["professionnels-sante", "professionnels-social"],
        "modes": ["presentiel"],
        "cost": "free",
        "coverage": {"kind": "regions", "codes": ["32"]},
        "locations": [lille.clone()]
    })).await?;
    s.publish(&partners, ListingKind::Service, Some(lambret), json!({
        "name": "Boîte à outils I-KNOW-HOW pour les employeurs",
        "summary": "Des outils pour accueillir et maintenir en emploi un salarié touché par le cancer.",
        "description": "Présentée à 25 entreprises de la Métropole Européenne de Lille.",
        "themes": ["travail-emploi"],
        "audiences": ["employeurs"],
        "modes": ["presentiel"],
        "cost": "free",
        "coverage": {"kind": "departements", "codes": ["59"]},
        "locations": [lille]
    })).await?;

    // INCa — Lab Agora.
    let inca = s.publish(&partners, ListingKind::Structure, None, json!({
        "name": "Institut national du cancer — Lab Agora",
        "structure_kind": "institution",
        "siren": "999000623",
        "summary": "Le Living Lab de l'INCa met en relation porteurs de projets et contributeurs, par l'intermédiaire de son équipe.",
        "address": {"postcode": "92100", "commune_code": "92012", "commune_name": "Boulogne-Billancourt", "lat": 48.8353, "lon": 2.2405}
    })).await?;
    s.publish(&partners, ListingKind::Project, Some(inca), json!({
        "title": "Co-construire le portail unique des acteurs du cancer",
        "summary": "Catalogue public des projets, carte, géolocalisation, fiches anonymes, mise en relation et label.",
        "need": "Les ateliers 2022 du Living Lab ont demandé un catalogue public des projets, une carte, la géolocalisation, la distinction national / régional / local, des fiches publiques ou anonymes, des rubriques confidentielles, une mise en relation médiatisée, un label et une actualisation semestrielle. Nous cherchons des patients, des aidants et des professionnels pour tester chaque étape.",
        "themes": ["information-formation", "rencontres-pair-aidance"],
        "skills": ["experience-patient", "experience-aidant", "developpement-web", "graphisme"],
        "project_kind": "long_project",
        "coverage": {"kind": "national"}
    })).await?;

    // Fictional associations across régions.
    let bretagne = s.publish(&partners, ListingKind::Structure, None, json!({
        "name": "Entraide Cancer Bretagne",
        "structure_kind": "association",
        "rna": "W353000123",
        "summary": "Association de patients et de proches en Ille-et-Vilaine.",
        "address": {"postcode": "35000", "commune_code": "35238", "commune_name": "Rennes", "lat": 48.1114, "lon": -1.6800}
    })).await?;
    s.publish(&partners, ListingKind::Service, Some(bretagne), json!({
        "name": "Groupes de parole pour les proches aidants",
        "summary": "Un soir par mois, un espace pour parler entre aidants, avec une psychologue.",
        "themes": ["aidants", "rencontres-pair-aidance", "soutien-psychologique"],
        "audiences": ["aidants"],
        "modes": ["presentiel"],
        "cost": "free",
        "coverage": {"kind": "departements", "codes": ["35"]},
        "locations": [{"address": {"postcode": "35000", "commune_code": "35238", "commune_name": "Rennes", "lat": 48.1114, "lon": -1.6800}}],
        "opening_hours": "Le premier mardi du mois, 18 h 30 – 20 h."
    })).await?;
    // Confirmed long ago, so that the refresh workflow has something to show: the
    // structure is past its grace period ("à actualiser" at the first sweep), its
    // service two weeks from its due date (its members get a first reminder).
    let long_ago = |days| Context {
        clock: std::sync::Arc::new(agora_domain::ManualClock::new(
            ctx.now() - chrono::Duration::days(days),
        )),
        ..ctx.clone()
    };
    let (ctx_215, ctx_176) = (long_ago(215), long_ago(176));
    let mut old = Seeder {
        ctx: &ctx_215,
        moderator: s.moderator.clone(),
        published: 0,
        pending: 0,
    };
    let rebond = old.publish(&partners, ListingKind::Structure, None, json!({
        "name": "Les Ateliers du Rebond",
        "structure_kind": "association",
        "rna": "W691000456",
        "address": {"postcode": "69003", "commune_code": "69123", "commune_name": "Lyon", "lat": 45.7597, "lon": 4.8422}
    })).await?;
    old.ctx = &ctx_176;
    old.publish(&partners, ListingKind::Service, Some(rebond), json!({
        "name": "Activité physique adaptée après les traitements",
        "summary": "Séances encadrées par des enseignants en APA, en petits groupes.",
        "themes": ["activite-physique-adaptee", "apres-cancer"],
        "audiences": ["patients"],
        "stages": ["apres-cancer"],
        "modes": ["presentiel"],
        "cost": "paid",
        "cost_details": "Adhésion annuelle de 30 €.",
        "coverage": {"kind": "communes", "codes": ["69123", "69266"]},
        "locations": [{"address": {"postcode": "69003", "commune_code": "69123", "commune_name": "Lyon", "lat": 45.7597, "lon": 4.8422}}]
    })).await?;
    s.published += old.published;
    let occitanie = s.publish(&partners, ListingKind::Structure, None, json!({
        "name": "Soins de support Occitanie",
        "structure_kind": "association",
        "rna": "W313000789",
        "address": {"postcode": "31000", "commune_code": "31555", "commune_name": "Toulouse", "lat": 43.6045, "lon": 1.4440}
    })).await?;
    s.publish(&partners, ListingKind::Service, Some(occitanie), json!({
        "name": "Consultations de socio-esthétique",
        "summary": "Soins esthétiques adaptés pendant les traitements, pour retrouver confiance en soi.",
        "themes": ["soins-de-support", "mieux-etre"],
        "audiences": ["patients"],
        "stages": ["traitement"],
        "modes": ["presentiel"],
        "cost": "free",
        "coverage": {"kind": "radius", "lat": 43.6045, "lon": 1.4440, "radius_km": 30.0},
        "locations": [{"address": {"postcode": "31000", "commune_code": "31555", "commune_name": "Toulouse", "lat": 43.6045, "lon": 1.4440}}]
    })).await?;
    let grand_est = s.publish(&partners, ListingKind::Structure, None, json!({
        "name": "Droits et Cancer Grand Est",
        "structure_kind": "association",
        "rna": "W543000321",
        "address": {"postcode": "54000", "commune_code": "54395", "commune_name": "Nancy", "lat": 48.6921, "lon": 6.1844}
    })).await?;
    s.publish(&partners, ListingKind::Service, Some(grand_est), json!({
        "name": "Permanence juridique : assurance, prêt, droits au travail",
        "summary": "Des juristes répondent par téléphone ou en visio : convention AERAS, arrêt de travail, invalidité.",
        "themes": ["droits", "aide-administrative"],
        "audiences": ["patients", "aidants"],
        "modes": ["telephone", "visio"],
        "cost": "free",
        "coverage": {"kind": "regions", "codes": ["44"]}
    })).await?;
    let jeunes = s.publish(&member, ListingKind::Structure, None, json!({
        "name": "Jeunes et Cancer Nouvelle-Aquitaine",
        "structure_kind": "association",
        "rna": "W332000654",
        "address": {"postcode": "33000", "commune_code": "33063", "commune_name": "Bordeaux", "lat": 44.8378, "lon": -0.5792}
    })).await?;
    s.publish(&member, ListingKind::Service, Some(jeunes), json!({
        "name": "Rencontres entre jeunes adultes touchés par un cancer",
        "summary": "Des rencontres entre 18-35 ans, à Bordeaux et en visio.",
        "themes": ["rencontres-pair-aidance", "mieux-etre"],
        "audiences": ["jeunes-adultes"],
        "modes": ["presentiel", "visio"],
        "cost": "free",
        "coverage": {"kind": "regions", "codes": ["75"]},
        "locations": [{"address": {"postcode": "33000", "commune_code": "33063", "commune_name": "Bordeaux", "lat": 44.8378, "lon": -0.5792}}]
    })).await?;
    s.publish(&member, ListingKind::Project, Some(jeunes), json!({
        "title": "Un podcast de témoignages de jeunes adultes",
        "summary": "Six épisodes pour parler études, travail et vie affective après un cancer jeune.",
        "need": "Une personne pour le montage son et une pour la communication sur les réseaux.",
        "themes": ["rencontres-pair-aidance", "mieux-etre"],
        "skills": ["communication-digitale", "experience-patient"],
        "project_kind": "long_project",
        "anonymous": true,
        "coverage": {"kind": "regions", "codes": ["75"]},
        "contact": {"email": "podcast@jeunes-cancer.example.org"}
    })).await?;

    // Waiting for moderators: a near-duplicate structure, and an edit of a published service.
    s.submit(
        &partners,
        ListingKind::Structure,
        None,
        json!({
            "name": "Entr'aide Cancer Bretagne",
            "structure_kind": "association",
            "rna": "W353000999",
            "summary": "Soutien aux malades et à leurs proches à Rennes.",
            "address": {"postcode": "35000", "commune_code": "35238", "commune_name": "Rennes"}
        }),
    )
    .await?;
    let (_, lock) = registry::get(ctx, &partners, ListingKind::Service, alex).await?;
    let mut patch = serde_json::Map::new();
    patch.insert(
        "opening_hours".into(),
        json!("Plateforme 24 h/24 ; ligne Allo Alex du lundi au vendredi, 9 h – 18 h."),
    );
    registry::update(ctx, &partners, ListingKind::Service, alex, patch, lock).await?;
    registry::submit(ctx, &partners, ListingKind::Service, alex).await?;
    s.pending += 1;

    // A draft the member is still writing.
    s.create(
        &member,
        ListingKind::Project,
        Some(irfc),
        json!({
            "title": "Ateliers ONCOGITE en visio",
            "summary": "Étendre les ateliers de remédiation cognitive à la visioconférence.",
            "need": "Un ou une neuropsychologue pour adapter les exercices.",
            "themes": ["soins-de-support", "apres-cancer"],
            "skills": ["expertise-medicale", "animation"],
            "project_kind": "long_project",
            "coverage": {"kind": "regions", "codes": ["27"]}
        }),
    )
    .await?;

    label_story(ctx, &s.moderator, &partners, occitanie, bretagne).await?;
    evaluations::seed(ctx, &member).await?;
    let events = crate::demo_events::seed(ctx, &s.moderator, &member, &partners).await?;
    // The Cancerthon's speed meetings computed and published, and the regional edition's.
    for event in [events.cancerthon, events.regional] {
        crate::demo_meetings::seed(ctx, event).await?;
    }

    Ok(Seeded::Loaded {
        published: s.published,
        pending: s.pending,
    })
}

/// The label as it works: a committee of three (the demo committee account sits as a
/// patient); « Soins de support Occitanie » labelled after their reviews; « Entraide
/// Cancer Bretagne » applying, waiting for the demo committee member's review.
async fn label_story(
    ctx: &Context,
    moderator: &Actor,
    owner: &Actor,
    labelled: Uuid,
    applying: Uuid,
) -> Result<(), ServiceError> {
    use agora_domain::label::{ApplicationContent, CHARTER, CharterSignature, Seat};
    use agora_service::label::{self, AssignInput, DecideInput, LabelDecision, ReviewInput};
    let member = |email: &str, password: &str, name: &str| RegisterInput {
        email: email.into(),
        password: password.into(),
        display_name: name.into(),
    };
    let committee = [
        (
            member(
                COMMITTEE.email,
                COMMITTEE.password,
                "Nadia, patiente experte",
            ),
            Seat::Patient,
        ),
        (
            member(
                "aidant@demo.example.org",
                &agora_service::tokens::generate_secret(),
                "Marc, aidant",
            ),
            Seat::Caregiver,
        ),
        (
            member(
                "oncologue@demo.example.org",
                &agora_service::tokens::generate_secret(),
                "Dr Sophie Lemaire, oncologue",
            ),
            Seat::Professional,
        ),
    ];
    let mut panel = Vec::new();
    for (input, seat) in committee {
        let email = input.email.clone();
        let user = accounts::create_user(ctx, input, Some(PlatformRole::Committee)).await?;
        label::set_seat(ctx, &email, Some(seat)).await?;
        panel.push(user);
    }
    let application = |rna: &str, category: &str, solution: &str| {
        ApplicationContent {
        registration_number: Some(rna.into()),
        charter: Some(CharterSignature {
            version: CHARTER.version.into(),
            signed_by: "La présidente de l'association".into(),
            signed_on: ctx.now().date_naive(),
        }),
        governance: Some("Conseil d'administration élu chaque année ; un tiers des administrateurs sont des patients ou des proches.".into()),
        solution: Some(solution.into()),
        contributors: Some("Une équipe de bénévoles formés et des professionnels de santé partenaires.".into()),
        category: Some(category.into()),
        documents: Vec::new(),
    }
    };
    let assign = AssignInput {
        reviewer_ids: panel.iter().map(|u| u.id).collect(),
    };

    let granted = label::create(
        ctx,
        owner,
        labelled,
        application(
            "W313000789",
            "soins-de-support",
            "Des consultations de socio-esthétique gratuites pendant les traitements, à Toulouse.",
        ),
    )
    .await?;
    label::submit(ctx, owner, granted.id).await?;
    label::assign(ctx, moderator, granted.id, assign.clone()).await?;
    for reviewer in &panel {
        let rubric = ctx.settings.label.rubric();
        let review = ReviewInput {
            conflict_of_interest: None,
            scores: Some(rubric.iter().map(|c| (c.slug.clone(), 3)).collect()),
            comment: Some("Action utile, gouvernance claire, financements publiés.".into()),
            recommendation: Some(agora_service::label::Recommendation::Grant),
        };
        label::review(ctx, &actor(reviewer), granted.id, review).await?;
    }
    label::decide(
        ctx,
        moderator,
        granted.id,
        DecideInput {
            decision: LabelDecision::Granted,
            reasons: Some(
                "Le comité salue la place donnée aux patients dans la gouvernance.".into(),
            ),
        },
    )
    .await?;

    let pending = label::create(
        ctx,
        owner,
        applying,
        application(
            "W353000123",
            "aidants",
            "Des groupes de parole mensuels pour les proches aidants, avec une psychologue.",
        ),
    )
    .await?;
    label::submit(ctx, owner, pending.id).await?;
    label::assign(ctx, moderator, pending.id, assign).await?;
    Ok(())
}
