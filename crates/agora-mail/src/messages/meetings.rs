//! Messages of an event's speed meetings: each participant's personal schedule, and the
//! request for feedback six months after a meeting both sides wanted to follow up. Each
//! message names only its addressee's own meetings.

use super::{Block, Composed, hello, link, p};

/// One meeting of a personal schedule, as the mail tells it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduledMeeting {
    /// "Rencontre 3", numbered from 1.
    pub round: u32,
    /// "14 h 35" (Paris time), or empty when the event gave no starting time.
    pub time: String,
    pub table: u32,
    /// The other structure and its public page.
    pub with: String,
    pub with_url: String,
    /// Why the two meet: wishes, skills one offers that the other looks for, shared themes.
    pub why: String,
}

/// `participant`'s schedule for `event`; `meetings` in order, `idle` the rounds without one.
pub fn personal_schedule(
    event: &str,
    participant: &str,
    meetings: &[ScheduledMeeting],
    idle: &[u32],
    url: &str,
) -> Composed {
    let mut blocks = vec![p(format!(
        "Voici le programme des rencontres express de « {participant} » pendant « {event} ». Chaque rencontre dure quelques minutes, à la table indiquée."
    ))];
    if meetings.is_empty() {
        blocks.push(p(
            "Aucune rencontre n'a pu vous être attribuée cette fois-ci (disponibilités ou nombre de tables). L'équipe d'organisation reste à votre disposition sur place.",
        ));
    }
    for m in meetings {
        let when = if m.time.is_empty() {
            format!("Rencontre {}, table {}", m.round, m.table)
        } else {
            format!("Rencontre {} à {}, table {}", m.round, m.time, m.table)
        };
        blocks.push(Block::Fact {
            label: when,
            value: m.with.clone(),
        });
        if !m.why.is_empty() {
            blocks.push(p(format!("Pourquoi : {}.", m.why)));
        }
        blocks.push(link(&format!("La fiche de {}", m.with), &m.with_url));
    }
    if !idle.is_empty() {
        let rounds: Vec<String> = idle.iter().map(u32::to_string).collect();
        blocks.push(Block::Fact {
            label: "Rencontres sans rendez-vous (pause)".into(),
            value: rounds.join(", "),
        });
    }
    blocks.push(p(
        "Après l'événement, indiquez pour chaque rencontre si vous souhaitez lui donner une suite : six mois plus tard, nous vous demanderons ce qu'elle a donné.",
    ));
    blocks.push(link("Mon programme et mes suites", url));
    Composed {
        kind: "meetings_schedule",
        subject: format!("Vos rencontres express : « {event} »"),
        greeting: hello(),
        blocks,
    }
}

/// Six months after `event`, about the meeting with `with` that both sides wanted to
/// follow up.
pub fn feedback_request(event: &str, participant: &str, with: &str, url: &str) -> Composed {
    Composed {
        kind: "meetings_feedback_request",
        subject: format!("Six mois après « {event} » : votre rencontre avec « {with} »"),
        greeting: hello(),
        blocks: vec![
            p(format!(
                "Lors de « {event} », « {participant} » a rencontré « {with} » et vous avez tous deux souhaité donner une suite à cette rencontre."
            )),
            p(
                "Six mois plus tard, qu'a-t-elle donné : une collaboration, un projet commun, une proposition d'aide ? Trois questions, une minute : vos réponses nourrissent les indicateurs de l'événement, sans jamais vous nommer.",
            ),
            link("Répondre", url),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_schedule_names_each_meeting_and_the_pauses() {
        let m = personal_schedule(
            "Cancerthon 2027",
            "Jeunes & Cancer",
            &[ScheduledMeeting {
                round: 1,
                time: "14 h 00".into(),
                table: 3,
                with: "IRFC".into(),
                with_url: "https://agora.example.org/structures/1".into(),
                why: "vous l'avez demandé".into(),
            }],
            &[2],
            "https://agora.example.org/espace",
        );
        let r = m.render().unwrap();
        assert!(
            r.text.contains("Rencontre 1 à 14 h 00, table 3"),
            "{}",
            r.text
        );
        assert!(r.text.contains("IRFC"));
        assert!(r.text.contains("pause"));
    }
}
