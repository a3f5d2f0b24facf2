//! Messages to partner sites' technical contacts.

use super::{hello, p};
use crate::compose::Composed;

/// A webhook stopped after failing again and again.
pub fn webhook_disabled(partner: &str, url: &str, failures: u32, last_error: &str) -> Composed {
    Composed {
        kind: "webhook_disabled",
        subject: "Agora a suspendu l'envoi de notifications à votre webhook".to_owned(),
        greeting: hello(),
        blocks: vec![
            p(format!(
                "Les {failures} dernières tentatives d'envoi à l'adresse {url}, enregistrée par « {partner} », ont échoué. Agora a donc suspendu ce webhook : plus aucune notification n'y sera envoyée."
            )),
            p(format!("Dernière erreur : {last_error}")),
            p(
                "Une fois votre serveur réparé, réactivez le webhook (POST /api/v1/webhooks/{id}/enable), puis rattrapez les changements manqués avec le flux GET /api/v1/changes, depuis le dernier curseur que vous avez traité.",
            ),
        ],
    }
}
