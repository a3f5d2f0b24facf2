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
    /// Several people who used the service said, in their evaluations, that its contact
    /// details were wrong.
    ContactDoubted,
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
        ReminderTiming::ContactDoubted => (
            format!(
                "Des personnes signalent des coordonnées erronées : « {} »",
                l.name
            ),
            format!(
                "Plusieurs personnes qui ont utilisé {} « {} » indiquent, dans leur avis sur Agora, que les coordonnées de contact n'étaient pas les bonnes. Merci de vérifier le téléphone, le courriel et l'adresse de la fiche : ce sont eux qui permettent aux personnes malades et à leurs proches de vous joindre.",
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

pub mod accounts;
pub mod events;
pub mod help;
pub mod label;
pub mod meetings;
pub mod partners;

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
            ReminderTiming::ContactDoubted,
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
