//! Messages of the label's workflow. `structure` is the applying structure's name.

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
        subject: format!("Conflit d'intérêts déclaré : un relecteur à remplacer (« {structure} »)"),
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
