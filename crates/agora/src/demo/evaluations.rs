//! Evaluations in the demo: people who used four of the services answer the questionnaire,
//! enough of them on three services for the figures to show, too few on the fourth (whose
//! page says "pas encore assez de réponses"); the IRFC answers publicly.

use agora_domain::ListingKind;
use agora_service::accounts::{self, RegisterInput};
use agora_service::evaluations::{self, AnswerDelay, EvaluationInput, EvaluationResponseInput};
use agora_service::views::AnyListingView;
use agora_service::{Actor, Context, ServiceError, UserActor, registry};
use uuid::Uuid;

/// How many people evaluate each service (by its name), and a few of their comments.
const PLAN: [(&str, usize); 4] = [
    ("ONCONNECTE À L'EMPLOI", 8),
    ("Consultations de socio-esthétique", 6),
    (
        "Permanence juridique : assurance, prêt, droits au travail",
        5,
    ),
    ("Rencontres entre jeunes adultes touchés par un cancer", 3),
];

const COMMENTS: [&[&str]; 4] = [
    &[
        "Merci pour l'accueil. Le lien de la visio est arrivé la veille seulement : un peu tard pour s'organiser.",
        "Le numéro ONCOTEL répond bien, mais il vaut mieux appeler le matin.",
    ],
    &[
        "Très bon moment, je me suis sentie écoutée.",
        "Le numéro de téléphone de la fiche ne répondait pas, j'ai dû passer par le courriel.",
    ],
    &["La juriste a pris le temps de tout m'expliquer sur l'assurance de mon prêt."],
    &[],
];

/// Person `p`'s answers about service `s`: varied, and plausible.
fn answers(s: usize, p: usize) -> EvaluationInput {
    let n = s * 7 + p;
    EvaluationInput {
        contact_correct: Some(n % 6 != 5),
        answer_days: Some(if n % 9 == 8 {
            AnswerDelay::NoAnswer
        } else {
            AnswerDelay::Days(i64::try_from(n % 4).unwrap_or(0) + 1)
        }),
        free_as_listed: (p % 3 != 2).then_some(true),
        accessible: p.is_multiple_of(2).then_some(n % 5 != 4),
        information_clear: Some(i64::try_from(3 + n % 2).unwrap_or(3)),
        would_recommend: Some(n % 7 != 6),
        comment: COMMENTS
            .get(s)
            .and_then(|c| c.get(p))
            .map(|c| (*c).to_owned()),
    }
}

fn name_of(view: &AnyListingView) -> &str {
    match &view.content {
        agora_domain::ListingContent::Service(s) => &s.name,
        _ => "",
    }
}

pub(super) async fn seed(ctx: &Context, irfc_member: &Actor) -> Result<(), ServiceError> {
    // The demo tells weeks of use in a second: the burst check is not for it.
    let mut settings = ctx.settings.clone();
    settings.evaluations.burst_per_hour = u64::MAX;
    let now = Context {
        settings,
        ..ctx.clone()
    };
    // People who joined a month ago: their answers weigh fully.
    let joined = Context {
        clock: std::sync::Arc::new(agora_domain::ManualClock::new(
            ctx.now() - chrono::Duration::days(30),
        )),
        ..now.clone()
    };
    let services = registry::list_public(ctx, ListingKind::Service, None, 100)
        .await?
        .items;
    let most = PLAN.iter().map(|(_, n)| *n).max().unwrap_or(0);
    let mut people = Vec::with_capacity(most);
    for i in 1..=most {
        let user = accounts::create_user(
            &joined,
            RegisterInput {
                email: format!("personne{i}@demo.example.org"),
                password: agora_service::tokens::generate_secret(),
                display_name: format!("Personne accompagnée {i}"),
            },
            None,
        )
        .await?;
        people.push(Actor::User(UserActor {
            id: user.id,
            role: None,
            session_id: Uuid::nil(),
        }));
    }
    for (s, (name, count)) in PLAN.iter().enumerate() {
        let Some(service) = services.iter().find(|v| name_of(v) == *name) else {
            continue;
        };
        for (p, person) in people.iter().take(*count).enumerate() {
            evaluations::evaluate(&now, person, service.id, answers(s, p)).await?;
        }
        if s == 0 {
            evaluations::put_response(
                &now,
                irfc_member,
                service.id,
                EvaluationResponseInput {
                    body: "Merci pour vos retours. Depuis le printemps, le lien de chaque séance est envoyé une semaine avant, avec un rappel la veille.".into(),
                },
            )
            .await?;
        }
    }
    Ok(())
}
