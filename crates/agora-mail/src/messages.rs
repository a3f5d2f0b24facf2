//! Every message the product sends, in French. Each function describes one message; the
//! templates render it. Names and reasons come from users: they only ever appear inside
//! blocks (escaped in HTML) or, cut to one line, in the subject.

use crate::compose::{Block, Composed};
use chrono::{DateTime, Utc};

/// What a listing is, as a sentence names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Noun {
    Structure,
    Service,
    Project,
}

impl Noun {
    /// "votre structure", "votre service", "votre projet".
    fn yours(self) -> &'static str {
        match self {
            Self::Structure => "votre structure",
            Self::Service => "votre service",
            Self::Project => "votre projet",
        }
    }

    /// Capitalised, for subjects and labels.
    fn title(self) -> &'static str {
        match self {
            Self::Structure => "Structure",
            Self::Service => "Service",
            Self::Project => "Projet",
        }
    }
}

/// A listing as messages mention it.
#[derive(Debug, Clone, Copy)]
pub struct Listing<'a> {
    pub noun: Noun,
    pub name: &'a str,
}

fn date(at: DateTime<Utc>) -> String {
    at.format("%d/%m/%Y").to_string()
}

fn hello() -> String {
    "Bonjour,".to_owned()
}

fn p(text: impl Into<String>) -> Block {
    Block::Paragraph(text.into())
}

fn link(label: &str, url: &str) -> Block {
    Block::Link {
        label: label.to_owned(),
        url: url.to_owned(),
    }
}

pub fn submission_received(l: Listing<'_>) -> Composed {
    Composed {
        kind: "submission_received",
        subject: format!("Nous avons bien reçu « {} »", l.name),
        greeting: hello(),
        blocks: vec![
            p(format!(
                "Nous avons bien reçu {} « {} ». L'équipe de modération va la relire avant sa publication dans l'annuaire.",
                l.noun.yours(),
                l.name
            )),
            p(
                "Vous recevrez un message dès qu'une décision sera prise. Tant que la relecture est en cours, la version déjà publiée, s'il y en a une, reste visible.",
            ),
        ],
    }
}

pub fn approved(l: Listing<'_>, view_url: &str) -> Composed {
    Composed {
        kind: "approved",
        subject: format!("« {} » est publié dans Agora", l.name),
        greeting: hello(),
        blocks: vec![
            p(format!(
                "Bonne nouvelle : {} « {} » a été validé par l'équipe de modération et est désormais visible dans l'annuaire.",
                l.noun.yours(),
                l.name
            )),
            p(
                "Pensez à le tenir à jour : nous vous demanderons de confirmer ces informations tous les six mois.",
            ),
            link("Voir la fiche", view_url),
        ],
    }
}

pub fn rejected(l: Listing<'_>, reason: &str) -> Composed {
    Composed {
        kind: "rejected",
        subject: format!("« {} » n'a pas été publié", l.name),
        greeting: hello(),
        blocks: vec![
            p(format!(
                "L'équipe de modération n'a pas retenu {} « {} » pour publication, pour la raison suivante :",
                l.noun.yours(),
                l.name
            )),
            Block::Quote(reason.to_owned()),
            p("Vous pouvez modifier votre fiche et la soumettre de nouveau."),
        ],
    }
}

pub fn changes_requested(l: Listing<'_>, reason: &str, edit_url: &str) -> Composed {
    Composed {
        kind: "changes_requested",
        subject: format!("Des modifications sont demandées pour « {} »", l.name),
        greeting: hello(),
        blocks: vec![
            p(format!(
                "Avant de publier {} « {} », l'équipe de modération vous demande quelques modifications :",
                l.noun.yours(),
                l.name
            )),
            Block::Quote(reason.to_owned()),
            link("Modifier la fiche", edit_url),
        ],
    }
}

/// Where a listing stands on the refresh ladder when a reminder goes out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReminderTiming {
    BeforeDue,
    AtDue,
    AfterDue,
    /// It has just left public results.
    Hidden,
}

pub struct Reminder<'a> {
    pub listing: Listing<'a>,
    pub timing: ReminderTiming,
    pub verified_at: DateTime<Utc>,
    pub due: DateTime<Utc>,
    /// When it shows as "à actualiser".
    pub stale_at: DateTime<Utc>,
    /// When it leaves public results.
    pub hidden_at: DateTime<Utc>,
    pub confirm_url: &'a str,
    pub edit_url: &'a str,
    pub link_expires: DateTime<Utc>,
}

pub fn refresh_reminder(r: &Reminder<'_>) -> Composed {
    let l = r.listing;
    let (subject, opening) = match r.timing {
        ReminderTiming::BeforeDue => (
            format!(
                "Vos informations sont-elles toujours à jour ? « {} »",
                l.name
            ),
            format!(
                "Les informations de {} « {} » ont été confirmées le {}. Merci de vérifier qu'elles sont toujours exactes avant le {}.",
                l.noun.yours(),
                l.name,
                date(r.verified_at),
                date(r.due)
            ),
        ),
        ReminderTiming::AtDue => (
            format!("À confirmer aujourd'hui : « {} »", l.name),
            format!(
                "Cela fait six mois que les informations de {} « {} » n'ont pas été confirmées. Les personnes qui vous cherchent comptent sur des coordonnées et des horaires exacts.",
                l.noun.yours(),
                l.name
            ),
        ),
        ReminderTiming::AfterDue => (
            format!(
                "Dernier rappel : « {} » sera bientôt signalé « à actualiser »",
                l.name
            ),
            format!(
                "Les informations de {} « {} » n'ont toujours pas été confirmées. Sans réponse, la fiche sera signalée « à actualiser » à partir du {} puis retirée des résultats publics le {}.",
                l.noun.yours(),
                l.name,
                date(r.stale_at),
                date(r.hidden_at)
            ),
        ),
        ReminderTiming::Hidden => (
            format!("« {} » n'apparaît plus dans les résultats d'Agora", l.name),
            format!(
                "Faute de confirmation depuis le {}, {} « {} » a été retirée des résultats publics. Elle y revient dès que vous confirmez ses informations ou que vous la modifiez.",
                date(r.verified_at),
                l.noun.yours(),
                l.name
            ),
        ),
    };
    Composed {
        kind: "refresh_reminder",
        subject,
        greeting: hello(),
        blocks: vec![
            p(opening),
            p("Si rien n'a changé, un clic suffit :"),
            link("Mes informations sont toujours à jour", r.confirm_url),
            p(
                "Si quelque chose a changé (adresse, horaires, contact, zone couverte…), modifiez la fiche :",
            ),
            link("Modifier la fiche", r.edit_url),
            p(format!(
                "Le lien de confirmation ne sert qu'une fois et expire le {}.",
                date(r.link_expires)
            )),
        ],
    }
}

/// What a reporter says is wrong, in words.
pub fn report_reason_label(reason: &str) -> &'static str {
    match reason {
        "outdated_contact" => "coordonnées obsolètes",
        "wrong_hours" => "horaires erronés",
        "wrong_area" => "zone d'intervention erronée",
        "service_closed" => "service fermé",
        _ => "autre",
    }
}

/// A report's opening line, its reason and the reporter's words.
fn report_blocks(opening: String, reason: &str, details: Option<&str>) -> Vec<Block> {
    let mut blocks = vec![
        p(opening),
        Block::Fact {
            label: "Motif".into(),
            value: report_reason_label(reason).into(),
        },
    ];
    blocks.extend(details.map(|d| Block::Quote(d.to_owned())));
    blocks
}

pub fn report_to_owners(
    l: Listing<'_>,
    reason: &str,
    details: Option<&str>,
    edit_url: &str,
) -> Composed {
    let opening = format!(
        "Une personne a signalé une erreur sur {} « {} ».",
        l.noun.yours(),
        l.name
    );
    let mut blocks = report_blocks(opening, reason, details);
    blocks.push(p(
        "Si l'information est erronée, corrigez la fiche ; si elle est exacte, vous pouvez la confirmer. L'équipe de modération a aussi reçu ce signalement.",
    ));
    blocks.push(link("Voir et modifier la fiche", edit_url));
    Composed {
        kind: "report_received",
        subject: format!("Une erreur a été signalée sur « {} »", l.name),
        greeting: hello(),
        blocks,
    }
}

pub fn report_to_moderators(
    l: Listing<'_>,
    reason: &str,
    details: Option<&str>,
    queue_url: &str,
) -> Composed {
    let opening = format!("Nouveau signalement : {} « {} ».", l.noun.title(), l.name);
    let mut blocks = report_blocks(opening, reason, details);
    blocks.push(link("Ouvrir les signalements", queue_url));
    Composed {
        kind: "report_for_moderators",
        subject: format!("Signalement : « {} »", l.name),
        greeting: hello(),
        blocks,
    }
}

/// Messages of the label's workflow. `structure` is the applying structure's name.
pub mod label {
    use super::{Block, Composed, date, hello, link, p};
    use chrono::{DateTime, Utc};

    pub fn submitted_to_moderators(structure: &str, url: &str) -> Composed {
        Composed {
            kind: "label_submitted",
            subject: format!("Demande de label à vérifier : « {structure} »"),
            greeting: hello(),
            blocks: vec![
                p(format!(
                    "« {structure} » a déposé une demande de label. Vérifiez qu'elle est complète, puis désignez les relecteurs du comité."
                )),
                link("Ouvrir la demande", url),
            ],
        }
    }

    pub fn pieces_requested(structure: &str, missing: &str, url: &str) -> Composed {
        Composed {
            kind: "label_pieces_requested",
            subject: format!("Votre demande de label : des pièces manquent (« {structure} »)"),
            greeting: hello(),
            blocks: vec![
                p(
                    "Avant de transmettre votre demande de label au comité, l'équipe de modération a besoin de compléments :",
                ),
                Block::Quote(missing.to_owned()),
                p("Complétez la demande puis soumettez-la de nouveau."),
                link("Compléter la demande", url),
            ],
        }
    }

    pub fn assigned(structure: &str, url: &str) -> Composed {
        Composed {
            kind: "label_assigned",
            subject: format!("Une demande de label vous est confiée : « {structure} »"),
            greeting: hello(),
            blocks: vec![
                p(format!(
                    "Vous êtes désigné·e pour relire la demande de label de « {structure} »."
                )),
                p(
                    "Si vous avez un lien avec cette structure (adhésion, financement, liens personnels ou professionnels), déclarez un conflit d'intérêts : un autre membre du comité vous remplacera. Sinon, notez chaque critère de 0 à 4, commentez et recommandez.",
                ),
                link("Ouvrir l'espace de relecture", url),
            ],
        }
    }

    pub fn conflict_declared(structure: &str, url: &str) -> Composed {
        Composed {
            kind: "label_conflict",
            subject: format!(
                "Conflit d'intérêts déclaré : un relecteur à remplacer (« {structure} »)"
            ),
            greeting: hello(),
            blocks: vec![
                p(format!(
                    "Un membre du comité s'est retiré de la relecture de « {structure} » pour conflit d'intérêts. Désignez un remplaçant."
                )),
                link("Ouvrir la demande", url),
            ],
        }
    }

    pub fn decided(
        structure: &str,
        granted: bool,
        reasons: Option<&str>,
        expires: Option<DateTime<Utc>>,
    ) -> Composed {
        let mut blocks = vec![p(if granted {
            format!(
                "Le label Agora est accordé à « {structure} ». Il apparaît désormais sur votre fiche et sur celles de vos services et projets."
            )
        } else {
            format!(
                "Après examen par le comité, le label n'est pas accordé à « {structure} », pour les raisons suivantes :"
            )
        })];
        blocks.extend(reasons.map(|r| Block::Quote(r.to_owned())));
        if let Some(at) = expires {
            blocks.push(p(format!("Il est valable jusqu'au {} ; nous vous inviterons à demander sa réévaluation avant cette date.", date(at))));
        }
        if !granted {
            blocks.push(p(
                "Vous pourrez déposer une nouvelle demande lorsque ces points auront évolué.",
            ));
        }
        Composed {
            kind: "label_decided",
            subject: if granted {
                format!("Label Agora accordé à « {structure} »")
            } else {
                format!("Votre demande de label : décision (« {structure} »)")
            },
            greeting: hello(),
            blocks,
        }
    }

    pub fn expiring(structure: &str, expires: DateTime<Utc>, url: &str) -> Composed {
        Composed {
            kind: "label_expiring",
            subject: format!("Le label de « {structure} » expire le {}", date(expires)),
            greeting: hello(),
            blocks: vec![
                p(format!(
                    "Le label Agora de « {structure} » arrive à échéance le {}. Pour le conserver, déposez une demande de réévaluation : le comité la relira comme la première.",
                    date(expires)
                )),
                link("Demander la réévaluation", url),
            ],
        }
    }

    pub fn expired(structure: &str) -> Composed {
        Composed {
            kind: "label_expired",
            subject: format!("Le label de « {structure} » a expiré"),
            greeting: hello(),
            blocks: vec![p(format!(
                "Le label Agora de « {structure} » a expiré et n'apparaît plus sur vos fiches. Vous pouvez en demander un nouveau à tout moment."
            ))],
        }
    }
}

/// Messages of "je propose mon aide". Until the offer is connected, none of them carries
/// the contributor's contact details, nor an anonymous project's structure.
pub mod help {
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn each_reminder_says_when_and_links_both_ways() {
        let verified = Utc.with_ymd_and_hms(2026, 1, 10, 9, 0, 0).unwrap();
        for timing in [
            ReminderTiming::BeforeDue,
            ReminderTiming::AtDue,
            ReminderTiming::AfterDue,
            ReminderTiming::Hidden,
        ] {
            let r = Reminder {
                listing: Listing {
                    noun: Noun::Service,
                    name: "Groupe de parole",
                },
                timing,
                verified_at: verified,
                due: verified + chrono::Duration::days(182),
                stale_at: verified + chrono::Duration::days(212),
                hidden_at: verified + chrono::Duration::days(272),
                confirm_url: "https://x.example/c?token=t",
                edit_url: "https://x.example/e",
                link_expires: verified + chrono::Duration::days(230),
            };
            let m = refresh_reminder(&r).render().unwrap();
            assert!(m.subject.contains("Groupe de parole"));
            assert!(m.text.contains("https://x.example/c?token=t"));
            assert!(m.text.contains("https://x.example/e"));
            assert!(m.text.contains("toujours à jour"));
        }
    }

    #[test]
    fn a_name_with_line_breaks_stays_in_the_subject_line() {
        let l = Listing {
            noun: Noun::Project,
            name: "Projet\r\nBcc: evil@example.com",
        };
        let m = submission_received(l).render().unwrap();
        assert!(!m.subject.contains('\n') && !m.subject.contains('\r'));
    }
}
