//! Messages of community events: their moderation, their organising committee, and the
//! applications of structures to take part. `event` is the event's title, `structure` the
//! applying structure's name.

use super::{Block, Composed, date, hello, link, p};
use chrono::{DateTime, Utc};

pub fn submitted_to_moderators(event: &str, url: &str) -> Composed {
    Composed {
        kind: "event_submitted",
        subject: format!("Événement à relire : « {event} »"),
        greeting: hello(),
        blocks: vec![
            p(format!(
                "Le comité d'organisation de « {event} » demande sa publication. Relisez la présentation, les dates, le lieu et les orientations, puis publiez l'événement ou refusez-le en disant pourquoi."
            )),
            link("Ouvrir les événements à relire", url),
        ],
    }
}

pub fn published(event: &str, url: &str) -> Composed {
    Composed {
        kind: "event_published",
        subject: format!("« {event} » est publié dans Agora"),
        greeting: hello(),
        blocks: vec![
            p(format!(
                "L'équipe de modération a publié « {event} ». Sa page est visible de toutes et tous, et les structures publiées peuvent désormais demander à y participer."
            )),
            p(
                "Vous recevrez un message à chaque candidature ; le comité accepte ou décline chacune depuis son espace.",
            ),
            link("Voir la page de l'événement", url),
        ],
    }
}

pub fn rejected(event: &str, reason: &str, url: &str) -> Composed {
    Composed {
        kind: "event_rejected",
        subject: format!("« {event} » n'a pas été publié"),
        greeting: hello(),
        blocks: vec![
            p(format!(
                "L'équipe de modération n'a pas publié « {event} », pour la raison suivante :"
            )),
            Block::Quote(reason.to_owned()),
            p("Vous pouvez modifier l'événement et le soumettre de nouveau."),
            link("Modifier l'événement", url),
        ],
    }
}

pub fn committee_invitation(event: &str, url: &str) -> Composed {
    Composed {
        kind: "event_committee_invitation",
        subject: format!("Invitation au comité d'organisation de « {event} »"),
        greeting: hello(),
        blocks: vec![
            p(format!(
                "La présidence du comité d'organisation de « {event} » vous invite à le rejoindre. Les membres du comité relisent les candidatures des structures et décident, avec leurs raisons, de celles qui participent."
            )),
            p(
                "Si vous acceptez, votre nom et votre adresse ne sont montrés qu'aux autres membres du comité, jamais au public.",
            ),
            link("Répondre à l'invitation", url),
        ],
    }
}

pub fn application_received(event: &str, structure: &str, url: &str) -> Composed {
    Composed {
        kind: "event_application_received",
        subject: format!("Candidature reçue : « {structure} » à « {event} »"),
        greeting: hello(),
        blocks: vec![
            p(format!(
                "Nous avons bien reçu la candidature de « {structure} » pour participer à « {event} ». Le comité d'organisation va la lire."
            )),
            p(
                "Vous recevrez un message dès qu'il aura décidé. D'ici là, vous pouvez encore la modifier ou la retirer.",
            ),
            link("Voir ma candidature", url),
        ],
    }
}

pub fn application_to_committee(event: &str, structure: &str, url: &str) -> Composed {
    Composed {
        kind: "event_application_for_committee",
        subject: format!("Nouvelle candidature pour « {event} » : « {structure} »"),
        greeting: hello(),
        blocks: vec![
            p(format!(
                "« {structure} » demande à participer à « {event} ». Lisez sa candidature (projets apportés, ce qu'elle offre et ce qu'elle cherche), puis acceptez-la ou déclinez-la en disant pourquoi."
            )),
            link("Ouvrir les candidatures", url),
        ],
    }
}

pub fn application_decided(
    event: &str,
    structure: &str,
    accepted: bool,
    reason: Option<&str>,
    starts: DateTime<Utc>,
    url: &str,
) -> Composed {
    let mut blocks = vec![p(if accepted {
        format!(
            "Le comité d'organisation a accepté la participation de « {structure} » à « {event} », qui commence le {}.",
            date(starts)
        )
    } else {
        format!(
            "Le comité d'organisation n'a pas retenu la participation de « {structure} » à « {event} », pour la raison suivante :"
        )
    })];
    if let Some(r) = reason {
        if accepted {
            blocks.push(p("Le comité ajoute :"));
        }
        blocks.push(Block::Quote(r.to_owned()));
    }
    blocks.push(if accepted {
        p(
            "Si vous avez accepté d'apparaître dans la liste publique des participants, votre structure y figure désormais ; sinon, elle n'est jamais nommée.",
        )
    } else {
        p("D'autres événements viendront : vous pourrez y candidater.")
    });
    blocks.push(link("Voir ma candidature", url));
    Composed {
        kind: "event_application_decided",
        subject: if accepted {
            format!("Participation acceptée : « {event} »")
        } else {
            format!("Votre candidature à « {event} » : décision")
        },
        greeting: hello(),
        blocks,
    }
}

pub fn application_withdrawn(event: &str, structure: &str, url: &str) -> Composed {
    Composed {
        kind: "event_application_withdrawn",
        subject: format!("Candidature retirée pour « {event} » : « {structure} »"),
        greeting: hello(),
        blocks: vec![
            p(format!(
                "« {structure} » a retiré sa candidature à « {event} »."
            )),
            link("Ouvrir les candidatures", url),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_decline_carries_its_reason_and_an_accept_its_date() {
        let at = chrono::TimeZone::with_ymd_and_hms(&Utc, 2027, 3, 18, 8, 0, 0).unwrap();
        let m = application_decided(
            "Cancerthon 2027",
            "Entraide",
            false,
            Some("Le thème est hors du champ de cette édition."),
            at,
            "https://x.example/e",
        )
        .render()
        .unwrap();
        assert!(m.text.contains("hors du champ"));
        let m = application_decided("Cancerthon 2027", "Entraide", true, None, at, "https://x")
            .render()
            .unwrap();
        assert!(m.text.contains("18/03/2027"), "{}", m.text);
        assert!(m.subject.contains("acceptée"));
    }
}
