//! Messages about an account: verifying an address, a registration with an address that
//! already has an account, resetting a password, invitations to join a structure, and a
//! structure left without members. A link in them opens a page that says what it will do,
//! with a button: opening it (as mail scanners do) changes nothing.

use super::{Block, Composed, date, hello, link, p};
use chrono::{DateTime, Utc};

fn at_time(at: DateTime<Utc>) -> String {
    at.format("%d/%m/%Y à %H:%M (UTC)").to_string()
}

pub fn verify_email(url: &str, expires: DateTime<Utc>) -> Composed {
    Composed {
        kind: "verify_email",
        subject: "Confirmez votre adresse pour activer votre compte Agora".to_owned(),
        greeting: hello(),
        blocks: vec![
            p(
                "Un compte Agora vient d'être demandé avec cette adresse. Pour l'activer, confirmez qu'elle est bien la vôtre :",
            ),
            link("Confirmer mon adresse", url),
            p(format!(
                "Ce lien est valable jusqu'au {}. Vous pourrez ensuite vous connecter avec le mot de passe choisi lors de cette demande.",
                at_time(expires)
            )),
            p(
                "Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : aucun compte ne sera activé.",
            ),
        ],
    }
}

pub fn already_registered(reset_url: &str) -> Composed {
    Composed {
        kind: "account_exists",
        subject: "Vous avez déjà un compte Agora".to_owned(),
        greeting: hello(),
        blocks: vec![
            p(
                "Quelqu'un vient de demander la création d'un compte Agora avec cette adresse, qui en a déjà un. Aucun nouveau compte n'a été créé.",
            ),
            p(
                "Si c'était vous, connectez-vous avec votre mot de passe habituel. Si vous l'avez oublié, vous pouvez en choisir un nouveau :",
            ),
            link("Choisir un nouveau mot de passe", reset_url),
            p("Si vous n'êtes pas à l'origine de cette demande, ignorez ce message."),
        ],
    }
}

pub fn password_reset(url: &str, expires: DateTime<Utc>) -> Composed {
    Composed {
        kind: "password_reset",
        subject: "Choisir un nouveau mot de passe Agora".to_owned(),
        greeting: hello(),
        blocks: vec![
            p(
                "Vous avez demandé à changer le mot de passe de votre compte Agora. Ce lien ouvre une page où le choisir :",
            ),
            link("Choisir un nouveau mot de passe", url),
            p(format!(
                "Il ne sert qu'une fois, jusqu'au {}. Toutes vos sessions ouvertes seront fermées.",
                at_time(expires)
            )),
            p(
                "Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : votre mot de passe reste le même.",
            ),
        ],
    }
}

pub fn password_changed() -> Composed {
    Composed {
        kind: "password_changed",
        subject: "Le mot de passe de votre compte Agora a changé".to_owned(),
        greeting: hello(),
        blocks: vec![
            p(
                "Le mot de passe de votre compte Agora vient d'être changé, et toutes vos sessions ont été fermées.",
            ),
            p(
                "Si ce n'est pas vous, demandez sans attendre un nouveau mot de passe depuis la page de connexion et prévenez l'équipe d'Agora.",
            ),
        ],
    }
}

/// `role` is the French name of the role offered ("propriétaire", "éditrice ou éditeur").
pub fn invitation(structure: &str, role: &str, url: &str, expires: DateTime<Utc>) -> Composed {
    Composed {
        kind: "invitation",
        subject: format!("Invitation à rejoindre « {structure} » sur Agora"),
        greeting: hello(),
        blocks: vec![
            p(format!(
                "Vous êtes invité·e à rejoindre l'équipe de « {structure} » sur Agora, avec le rôle : {role}."
            )),
            p(
                "Pour accepter, connectez-vous à Agora avec cette adresse (ou créez un compte avec elle), puis acceptez l'invitation dans votre espace :",
            ),
            link("Voir mes invitations", url),
            p(format!(
                "L'invitation est valable jusqu'au {}. Si vous ne connaissez pas cette structure, ignorez ce message.",
                date(expires)
            )),
        ],
    }
}

pub fn invitation_answered(structure: &str, who: &str, accepted: bool) -> Composed {
    let (kind, subject, text) = if accepted {
        (
            "invitation_accepted",
            format!("{who} a rejoint « {structure} »"),
            format!(
                "{who} a accepté votre invitation et fait désormais partie de l'équipe de « {structure} » sur Agora."
            ),
        )
    } else {
        (
            "invitation_declined",
            format!("Invitation déclinée pour « {structure} »"),
            format!("L'invitation à rejoindre l'équipe de « {structure} » a été déclinée."),
        )
    };
    Composed {
        kind,
        subject,
        greeting: hello(),
        blocks: vec![p(text)],
    }
}

pub fn structure_without_members(structure: &str, url: &str) -> Composed {
    Composed {
        kind: "structure_without_members",
        subject: format!("« {structure} » n'a plus personne pour la tenir à jour"),
        greeting: hello(),
        blocks: vec![
            p(format!(
                "Le dernier membre de « {structure} » a supprimé son compte. Ses fiches restent en ligne, mais plus personne ne recevra les demandes de confirmation ni les signalements."
            )),
            p(
                "Contactez la structure pour qu'une personne rejoigne son équipe, ou retirez ses fiches si elle a cessé son activité.",
            ),
            Block::Paragraph(
                "Le signalement correspondant est dans la liste des signalements :".to_owned(),
            ),
            link("Ouvrir les signalements", url),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn each_link_is_in_both_renderings() {
        let at = Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).unwrap();
        for m in [
            verify_email("https://a.example/v?token=t1", at),
            already_registered("https://a.example/v?token=t1"),
            password_reset("https://a.example/v?token=t1", at),
            invitation(
                "Rose Espoir",
                "propriétaire",
                "https://a.example/v?token=t1",
                at,
            ),
        ] {
            let r = m.render().unwrap();
            assert!(
                r.text.contains("https://a.example/v?token=t1"),
                "{}",
                m.kind
            );
            assert!(
                r.html.contains("https://a.example/v?token=t1"),
                "{}",
                m.kind
            );
        }
    }

    #[test]
    fn a_structure_name_cannot_break_the_subject_line() {
        let m = invitation(
            "Rose\r\nBcc: evil@example.com",
            "propriétaire",
            "https://a",
            Utc::now(),
        );
        let r = m.render().unwrap();
        assert!(!r.subject.contains('\n') && !r.subject.contains('\r'));
    }
}
