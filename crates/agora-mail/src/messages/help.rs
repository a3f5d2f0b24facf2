//! Messages of "je propose mon aide". Until the offer is connected, none of them carries
//! the contributor's contact details, nor an anonymous project's structure.

use super::{Block, Composed, hello, link, p};

pub fn submitted_to_moderators(project: &str, url: &str) -> Composed {
    Composed {
        kind: "help_submitted",
        subject: format!("Nouvelle proposition d'aide à relire : « {project} »"),
        greeting: hello(),
        blocks: vec![
            p(format!(
                "Une personne propose son aide au projet « {project} ». Relisez la proposition avant de la transmettre à l'équipe du projet."
            )),
            link("Ouvrir les propositions en attente", url),
        ],
    }
}

pub fn forwarded_to_owners(
    project: &str,
    message: &str,
    skills: &str,
    wants: &str,
    url: &str,
) -> Composed {
    Composed {
        kind: "help_forwarded",
        subject: format!("Quelqu'un propose son aide à « {project} »"),
        greeting: hello(),
        blocks: vec![
            p(format!(
                "L'équipe de modération vous transmet une proposition d'aide pour « {project} » :"
            )),
            Block::Quote(message.to_owned()),
            Block::Fact {
                label: "Compétences proposées".into(),
                value: skills.to_owned(),
            },
            Block::Fact {
                label: "Souhait".into(),
                value: wants.to_owned(),
            },
            p("Ses coordonnées vous seront communiquées si vous acceptez la mise en relation."),
            link("Répondre à la proposition", url),
        ],
    }
}

pub fn forwarded_to_contributor(project: &str) -> Composed {
    Composed {
        kind: "help_forwarded_contributor",
        subject: format!("Votre proposition d'aide a été transmise : « {project} »"),
        greeting: hello(),
        blocks: vec![p(format!(
            "Merci ! Votre proposition pour « {project} » a été relue et transmise à l'équipe du projet. Vous serez prévenu·e de sa réponse."
        ))],
    }
}

pub fn declined(project: &str, reason: &str) -> Composed {
    Composed {
        kind: "help_declined",
        subject: format!("Votre proposition d'aide : « {project} »"),
        greeting: hello(),
        blocks: vec![
            p(format!(
                "Merci pour votre proposition d'aide au projet « {project} ». L'équipe de modération ne l'a pas transmise, pour la raison suivante :"
            )),
            Block::Quote(reason.to_owned()),
        ],
    }
}

pub fn refused(project: &str) -> Composed {
    Composed {
        kind: "help_refused",
        subject: format!("Réponse à votre proposition d'aide : « {project} »"),
        greeting: hello(),
        blocks: vec![p(format!(
            "Merci pour votre proposition. L'équipe du projet « {project} » ne donne pas suite pour le moment. D'autres projets cherchent peut-être vos compétences."
        ))],
    }
}

pub fn connected_to_contributor(
    project: &str,
    structure: &str,
    name: &str,
    email: &str,
) -> Composed {
    Composed {
        kind: "help_connected_contributor",
        subject: format!("Mise en relation : « {project} »"),
        greeting: hello(),
        blocks: vec![
            p(format!(
                "Bonne nouvelle : l'équipe du projet « {project} », porté par {structure}, accepte votre proposition d'aide. Voici comment la joindre :"
            )),
            Block::Fact {
                label: "Contact".into(),
                value: name.to_owned(),
            },
            Block::Fact {
                label: "E-mail".into(),
                value: email.to_owned(),
            },
        ],
    }
}

pub fn connected_to_owners(
    project: &str,
    name: &str,
    email: &str,
    phone: Option<&str>,
) -> Composed {
    let mut blocks = vec![
        p(format!(
            "Vous avez accepté une proposition d'aide pour « {project} ». Voici les coordonnées de la personne :"
        )),
        Block::Fact {
            label: "Nom".into(),
            value: name.to_owned(),
        },
        Block::Fact {
            label: "E-mail".into(),
            value: email.to_owned(),
        },
    ];
    if let Some(phone) = phone {
        blocks.push(Block::Fact {
            label: "Téléphone".into(),
            value: phone.to_owned(),
        });
    }
    blocks.push(p(
        "Quand la collaboration prend fin, indiquez-en l'issue : elle aide les autres projets.",
    ));
    Composed {
        kind: "help_connected_owners",
        subject: format!("Mise en relation : « {project} »"),
        greeting: hello(),
        blocks,
    }
}

pub fn closed(project: &str, outcome: &str) -> Composed {
    Composed {
        kind: "help_closed",
        subject: format!("Mise en relation terminée : « {project} »"),
        greeting: hello(),
        blocks: vec![p(format!(
            "La mise en relation autour du projet « {project} » est close ({outcome}). Merci à vous."
        ))],
    }
}

pub fn waiting(project: &str, who: &str, url: &str) -> Composed {
    Composed {
        kind: "help_reminder",
        subject: format!("Une proposition d'aide attend {who} : « {project} »"),
        greeting: hello(),
        blocks: vec![
            p(format!(
                "Une proposition d'aide pour « {project} » attend toujours {who}. Sans réponse, elle expirera."
            )),
            link("Ouvrir", url),
        ],
    }
}

pub fn expired(project: &str) -> Composed {
    Composed {
        kind: "help_expired",
        subject: format!("Votre proposition d'aide a expiré : « {project} »"),
        greeting: hello(),
        blocks: vec![p(format!(
            "Votre proposition pour « {project} » n'a pas reçu de réponse à temps et a expiré. Vous pouvez en faire une nouvelle, ou proposer votre aide à un autre projet."
        ))],
    }
}
