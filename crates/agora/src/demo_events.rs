//! The demo's community events: the Cancerthon (national, in Paris, charter 2024), chaired
//! by the demo committee account with two members of the label committee, with the
//! applications of the demo's published structures (most accepted and named, two accepted
//! without public consent, one declined with its reason, one pending); and a smaller
//! regional edition in Bourgogne-Franche-Comté organised by the IRFC's member. Everything
//! goes through the use cases. The speed meetings' schedule is added on top elsewhere.

use crate::demo::COMMITTEE;
use agora_domain::ListingKind;
use agora_domain::events::{EventKind, EventMode};
use agora_service::events::{
    self, CommitteeInvite, EventApplicationDecision, EventApplicationDecisionInput,
    EventApplicationInput, EventDecision, EventDecisionInput, EventInput, SpeedSettings,
};
use agora_service::{Actor, Context, ServiceError, UserActor};
use agora_store::{accounts, listings, memberships};
use chrono::{DateTime, Duration, NaiveTime, Utc};
use uuid::Uuid;

/// The events the demo holds, for what is built on them (the speed meetings).
#[derive(Debug, Clone, Copy)]
pub struct DemoEvents {
    pub cancerthon: Uuid,
    pub regional: Uuid,
}

async fn account(ctx: &Context, email: &str) -> Result<Actor, ServiceError> {
    let user = accounts::user_by_email(&ctx.db, email)
        .await?
        .ok_or_else(|| ServiceError::Internal(format!("demo account {email} missing")))?;
    Ok(Actor::User(UserActor {
        id: user.id,
        role: user.role,
        session_id: Uuid::nil(),
    }))
}

/// `days` from now, at `hour`:`minute` UTC.
fn at(ctx: &Context, days: i64, hour: u32, minute: u32) -> DateTime<Utc> {
    let day = (ctx.now() + Duration::days(days)).date_naive();
    day.and_time(NaiveTime::from_hms_opt(hour, minute, 0).unwrap_or_default())
        .and_utc()
}

/// A published structure of the demo, its published projects, and who applies for it.
struct Applicant {
    actor: Actor,
    id: Uuid,
    name: String,
    projects: Vec<Uuid>,
}

async fn applicants(ctx: &Context, actors: &[&Actor]) -> Result<Vec<Applicant>, ServiceError> {
    let mut out = Vec::new();
    for actor in actors {
        let Some(user) = actor.user() else { continue };
        for m in memberships::of_user(&ctx.db, user.id).await? {
            let Some(s) = listings::get(&ctx.db, ListingKind::Structure, m.structure_id).await?
            else {
                continue;
            };
            if !s.is_listed() {
                continue;
            }
            let projects = listings::of_structure(&ctx.db, ListingKind::Project, s.id)
                .await?
                .into_iter()
                .filter(|p| p.is_listed())
                .map(|p| p.id)
                .collect();
            out.push(Applicant {
                actor: (*actor).clone(),
                id: s.id,
                name: s.name,
                projects,
            });
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

/// What each structure offers and looks for, by its name.
fn profile(
    name: &str,
) -> (
    Vec<&'static str>,
    Vec<&'static str>,
    Vec<&'static str>,
    Option<&'static str>,
    &'static str,
) {
    match name {
        n if n.contains("IRFC") => (
            vec!["expertise-medicale", "formation"],
            vec!["experience-patient", "communication-digitale"],
            vec!["travail-emploi", "apres-cancer"],
            Some("27"),
            "Nous présentons ONCONNECTE À L'EMPLOI et cherchons des associations pour relayer les séances au-delà de la Franche-Comté, et des patients pour nos témoignages filmés.",
        ),
        n if n.contains("Wecareatwork") => (
            vec!["developpement-web", "communication-digitale"],
            vec!["experience-patient", "recherche-evaluation"],
            vec!["travail-emploi", "droits"],
            None,
            "Alex compte 1000 patients : nous cherchons des associations pour co-construire les prochains parcours et des relais auprès des employeurs.",
        ),
        n if n.contains("Bilan") => (
            vec!["formation", "ressources-humaines"],
            vec!["experience-patient", "financement"],
            vec!["travail-emploi", "apres-cancer"],
            None,
            "Le bilan de compétences sensible au cancer sort de sa phase pilote : nous cherchons des relais régionaux et des financements.",
        ),
        n if n.contains("Lambret") => (
            vec!["formation", "redaction"],
            vec!["communication-digitale", "experience-aidant"],
            vec!["travail-emploi", "information-formation"],
            Some("32"),
            "Nous apportons le livret et la boîte à outils I-KNOW-HOW et cherchons des associations pour les diffuser.",
        ),
        n if n.contains("Lab Agora") => (
            vec!["developpement-web", "animation"],
            vec!["experience-patient", "experience-aidant"],
            vec!["information-formation", "rencontres-pair-aidance"],
            None,
            "Le Lab Agora vient écouter ce que les associations attendent du portail unique.",
        ),
        n if n.contains("Bretagne") => (
            vec!["experience-aidant", "animation"],
            vec!["accompagnement-psychologique", "financement"],
            vec!["aidants", "rencontres-pair-aidance"],
            Some("53"),
            "Nos groupes de parole pour les aidants cherchent une psychologue de plus et des fonds pour ouvrir à Saint-Malo.",
        ),
        n if n.contains("Rebond") => (
            vec!["animation", "formation"],
            vec!["communication-digitale", "gestion"],
            vec!["activite-physique-adaptee", "apres-cancer"],
            Some("84"),
            "Nous partageons notre expérience de l'activité physique adaptée et cherchons de l'aide pour la gestion de l'association.",
        ),
        n if n.contains("Occitanie") => (
            vec!["experience-patient", "animation"],
            vec!["communication-digitale", "financement"],
            vec!["soins-de-support", "mieux-etre"],
            Some("76"),
            "La socio-esthétique gagne à être connue : nous cherchons des relais et des financements.",
        ),
        n if n.contains("Grand Est") => (
            vec!["juridique", "formation"],
            vec!["communication-digitale", "traduction"],
            vec!["droits", "aide-administrative"],
            Some("44"),
            "Nos juristes offrent des formations sur la convention AERAS ; nous cherchons à traduire nos fiches.",
        ),
        n if n.contains("Jeunes") => (
            vec!["experience-patient", "communication-digitale"],
            vec!["graphisme", "financement"],
            vec!["rencontres-pair-aidance", "mieux-etre"],
            Some("75"),
            "Notre podcast de jeunes adultes cherche une personne pour le montage et des partenaires pour sa diffusion.",
        ),
        n if n.contains("Normandie") => (
            vec!["animation", "experience-patient"],
            vec!["recherche-evaluation", "financement"],
            vec!["activite-physique-adaptee", "mieux-etre"],
            Some("28"),
            "Nous venons montrer nos séances sportives et chercher une évaluation de leurs effets.",
        ),
        n if n.contains("Provence") => (
            vec!["accompagnement-psychologique", "experience-aidant"],
            vec!["developpement-web", "gestion"],
            vec!["soutien-psychologique", "aidants"],
            Some("93"),
            "Nous offrons une écoute aux proches et cherchons un outil de prise de rendez-vous.",
        ),
        n if n.contains("Val de Loire") => (
            vec!["experience-aidant", "redaction"],
            vec!["juridique", "communication-digitale"],
            vec!["aidants", "droits"],
            Some("24"),
            "Nous cherchons un appui juridique pour le congé de proche aidant.",
        ),
        n if n.contains("Pays de la Loire") => (
            vec!["gestion", "financement"],
            vec!["experience-patient", "animation"],
            vec!["vie-quotidienne", "aide-sociale"],
            Some("52"),
            "Notre fonds de solidarité cherche des bénévoles pour animer ses permanences.",
        ),
        _ => (
            vec!["animation"],
            vec!["communication-digitale"],
            vec!["rencontres-pair-aidance"],
            None,
            "Nous venons rencontrer les autres associations signataires de la charte.",
        ),
    }
}

/// Four more associations of the collective, published, so that the Cancerthon gathers
/// about fifteen structures.
async fn more_associations(
    ctx: &Context,
    owner: &Actor,
    moderator: &Actor,
) -> Result<(), ServiceError> {
    use agora_service::moderation::{self, DecisionInput};
    use agora_service::registry;
    let list = [
        serde_json::json!({"name": "Seins et Sport Normandie", "structure_kind": "association", "rna": "W763000111", "summary": "Activité physique entre femmes traitées pour un cancer du sein, à Rouen.", "address": {"postcode": "76000", "commune_code": "76540", "commune_name": "Rouen"}}),
        serde_json::json!({"name": "Cancer Solidarité Provence", "structure_kind": "association", "rna": "W133000222", "summary": "Écoute et soutien des proches de personnes malades, à Marseille.", "address": {"postcode": "13001", "commune_code": "13055", "commune_name": "Marseille"}}),
        serde_json::json!({"name": "Les Aidants du Val de Loire", "structure_kind": "association", "rna": "W373000333", "summary": "Les proches aidants s'entraident en Touraine.", "address": {"postcode": "37000", "commune_code": "37261", "commune_name": "Tours"}}),
        serde_json::json!({"name": "Tandem Cancer Pays de la Loire", "structure_kind": "association", "rna": "W443000444", "summary": "Un fonds de solidarité et des permanences pour la vie quotidienne pendant les traitements, à Nantes.", "address": {"postcode": "44000", "commune_code": "44109", "commune_name": "Nantes"}}),
    ];
    for body in list {
        let view = registry::create(ctx, owner, ListingKind::Structure, None, body).await?;
        let submitted = registry::submit(ctx, owner, ListingKind::Structure, view.id).await?;
        let revision = submitted
            .review
            .map(|r| r.revision_id)
            .ok_or(ServiceError::Internal("no revision".into()))?;
        moderation::decide(
            ctx,
            moderator,
            revision,
            agora_domain::Decision::Approve,
            DecisionInput::default(),
        )
        .await?;
    }
    Ok(())
}

fn application(a: &Applicant, consent: bool) -> EventApplicationInput {
    let (offers, needs, themes, region, message) = profile(&a.name);
    let owned = |v: Vec<&str>| v.into_iter().map(str::to_owned).collect();
    EventApplicationInput {
        structure_id: a.id,
        project_ids: a.projects.clone(),
        offers: owned(offers),
        needs: owned(needs),
        themes: owned(themes),
        region: region.map(str::to_owned),
        message: message.to_owned(),
        charter_version: "2024".into(),
        public_consent: consent,
    }
}

async fn publish(
    ctx: &Context,
    chair: &Actor,
    moderator: &Actor,
    input: EventInput,
) -> Result<Uuid, ServiceError> {
    let event = events::create(ctx, chair, input).await?;
    events::submit(ctx, chair, event.id).await?;
    events::decide_event(
        ctx,
        moderator,
        event.id,
        EventDecisionInput {
            decision: EventDecision::Publish,
            reason: None,
        },
    )
    .await?;
    Ok(event.id)
}

async fn decide(
    ctx: &Context,
    chair: &Actor,
    event: Uuid,
    app: Uuid,
    decision: EventApplicationDecision,
    reason: Option<&str>,
) -> Result<(), ServiceError> {
    events::decide(
        ctx,
        chair,
        event,
        app,
        EventApplicationDecisionInput {
            decision,
            reason: reason.map(str::to_owned),
        },
    )
    .await?;
    Ok(())
}

pub async fn seed(
    ctx: &Context,
    moderator: &Actor,
    member: &Actor,
    partners: &Actor,
) -> Result<DemoEvents, ServiceError> {
    more_associations(ctx, partners, moderator).await?;
    let chair = account(ctx, COMMITTEE.email).await?;
    let starts = at(ctx, 107, 8, 30);
    let year = starts.format("%Y");
    let cancerthon = publish(ctx, &chair, moderator, EventInput {
        kind: EventKind::Cancerthon,
        title: format!("Cancerthon {year}"),
        summary: "La journée annuelle des associations soutenues par l'INCa ou signataires de la charte : mettre en commun des moyens, trouver des ressources, gagner en visibilité. Au programme : une table ronde en plénière, des rencontres express entre projets et associations, des ateliers « hackathon » sur des problèmes partagés, des ateliers pour trouver des projets complémentaires et une fresque des engagements. Six mois plus tard, les projets mis en relation disent ce qu'il en est advenu.".into(),
        charter_version: "2024".into(),
        starts_at: starts,
        ends_at: starts + Duration::hours(9),
        region: None,
        mode: EventMode::OnSite,
        venue: Some("Centre de conférences ministériel".into()),
        commune_code: Some("75056".into()),
        orientations: vec![
            "Mettre en commun les moyens des associations".into(),
            "Trouver des ressources et des financements".into(),
            "Gagner en visibilité auprès des patients, des proches et des soignants".into(),
            "Rapprocher les projets complémentaires, du national au régional".into(),
            "Suivre, six mois après, les collaborations nées de la journée".into(),
        ],
        applications_close_at: Some(starts - Duration::days(30)),
        speed_meetings: Some(SpeedSettings { rounds: 8, round_minutes: 7, tables: 8, starts_at: Some(starts + Duration::hours(5)) }),
    })
    .await?;
    // The committee: the demo committee account chairs, two members of the label
    // committee join.
    for email in ["aidant@demo.example.org", "oncologue@demo.example.org"] {
        events::invite(
            ctx,
            &chair,
            cancerthon,
            CommitteeInvite {
                email: email.into(),
            },
        )
        .await?;
        events::answer_invitation(ctx, &account(ctx, email).await?, cancerthon, true).await?;
    }
    let all = applicants(ctx, &[member, partners]).await?;
    let mut ids = Vec::new();
    for (i, a) in all.iter().enumerate() {
        // Two participants keep their name out of the public list.
        let consent = !(a.name.contains("Rebond") || a.name.contains("Val de Loire"));
        let (view, _) = events::apply(ctx, &a.actor, cancerthon, application(a, consent)).await?;
        ids.push((i, view.id, a.name.clone()));
    }
    for (_, app, name) in &ids {
        if name.contains("Grand Est") {
            decide(ctx, &chair, cancerthon, *app, EventApplicationDecision::Declined, Some("Cette édition porte sur l'emploi et la vie après les traitements ; vos permanences juridiques auront toute leur place à l'édition régionale du Grand Est.")).await?;
        } else if name.contains("Pays de la Loire") {
            // Left for the committee: the demo committee account decides it.
        } else {
            decide(
                ctx,
                &chair,
                cancerthon,
                *app,
                EventApplicationDecision::Accepted,
                None,
            )
            .await?;
        }
    }

    // A regional edition in Bourgogne-Franche-Comté, organised by the IRFC's member and
    // relayed by the régional cancer network.
    let starts = at(ctx, 64, 8, 0);
    let regional = publish(ctx, member, moderator, EventInput {
        kind: EventKind::RegionalEdition,
        title: "Cancerthon régional Bourgogne-Franche-Comté".into(),
        summary: "L'édition régionale relayée par le réseau régional de cancérologie OncoBFC : les associations de Bourgogne-Franche-Comté et les porteurs de projets nationaux se rencontrent à Besançon.".into(),
        charter_version: "2024".into(),
        starts_at: starts,
        ends_at: starts + Duration::hours(8),
        region: Some("27".into()),
        mode: EventMode::Hybrid,
        venue: Some("Maison des associations".into()),
        commune_code: Some("25056".into()),
        orientations: vec![
            "Faire connaître les programmes de retour à l'emploi de la région".into(),
            "Trouver des relais dans les quatre départements de Franche-Comté".into(),
        ],
        applications_close_at: Some(starts - Duration::days(14)),
        speed_meetings: Some(SpeedSettings { rounds: 6, round_minutes: 8, tables: 4, starts_at: Some(starts + Duration::hours(5)) }),
    })
    .await?;
    for a in all.iter().filter(|a| {
        [
            "Lambret",
            "Bilan",
            "IRFC",
            "Lab Agora",
            "Jeunes et Cancer",
            "Occitanie",
            "Wecareatwork",
        ]
        .iter()
        .any(|w| a.name.contains(w))
    }) {
        let (view, _) = events::apply(ctx, &a.actor, regional, application(a, true)).await?;
        // One is left for the organiser to decide.
        if !a.name.contains("Wecareatwork") {
            decide(
                ctx,
                member,
                regional,
                view.id,
                EventApplicationDecision::Accepted,
                Some("Bienvenue à Besançon !"),
            )
            .await?;
        }
    }
    Ok(DemoEvents {
        cancerthon,
        regional,
    })
}
