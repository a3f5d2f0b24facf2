//! Community events in the portal: the public list and page of each event (with the
//! participants who agreed to be named), and, signed in, creating and editing an event,
//! its committee, applying for one of one's structures, one's applications, the
//! committee's review of applications and the moderators' decisions. Every page calls
//! `agora_service::events` with the visitor's rights, as the API does.

mod apply;
mod organise;
mod public;
mod review;

pub use apply::{apply_form, apply_send, my_applications, withdraw};
pub use organise::{
    answer_invitation, committee_invite, committee_remove, create, edit_form, mine, new_form,
    submit, update,
};
pub use public::{list, page};
pub use review::{decide, moderate, moderation, review};

use crate::fields::in_french;
use agora_service::events::EventView;
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};

/// The time in France.
pub fn to_paris(at: DateTime<Utc>) -> NaiveDateTime {
    agora_domain::clock::paris::local(at)
}

/// A date and time read in France, in UTC.
pub fn from_paris(date: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
    agora_domain::clock::paris::to_utc(date, time)
}

/// "9 h 30", "14 h".
pub fn hour_words(t: NaiveTime) -> String {
    use chrono::Timelike;
    if t.minute() == 0 {
        format!("{} h", t.hour())
    } else {
        format!("{} h {:02}", t.hour(), t.minute())
    }
}

fn day_words(d: NaiveDate) -> String {
    crate::format::date(&Utc.from_utc_datetime(&d.and_hms_opt(12, 0, 0).unwrap_or_default()))
}

/// "le 18 mars 2027, de 9 h 30 à 18 h", or "du 1er au 31 mars 2027".
pub fn when_words(e: &EventView) -> String {
    let (start, end) = (to_paris(e.starts_at), to_paris(e.ends_at));
    if start.date() == end.date() {
        format!(
            "le {}, de {} à {}",
            day_words(start.date()),
            hour_words(start.time()),
            hour_words(end.time())
        )
    } else {
        format!(
            "du {} au {}",
            day_words(start.date()),
            day_words(end.date())
        )
    }
}

/// Where: the place (on site), online, or both; the région or "toute la France".
pub fn place_words(e: &EventView) -> String {
    let area = e
        .region_name
        .clone()
        .unwrap_or_else(|| "toute la France".into());
    let place = match (&e.venue, &e.commune_name) {
        (Some(v), Some(c)) => format!("{v}, {c}"),
        (Some(v), None) => v.clone(),
        (None, Some(c)) => c.clone(),
        (None, None) => String::new(),
    };
    let mode = e.mode.label();
    if place.is_empty() {
        format!("{mode} — {area}")
    } else {
        format!("{mode} : {place} — {area}")
    }
}

/// A field error of an event or an application, in the reader's words.
pub fn french(code: &str, detail: &str) -> String {
    match code {
        "before_start" => "La fin doit venir après le début.".into(),
        "after_start" => "Les candidatures doivent fermer avant le début de l'événement.".into(),
        "outside_region" => "Cette commune n'est pas dans la région choisie.".into(),
        "outside_event" => "Les rencontres doivent avoir lieu pendant l'événement.".into(),
        "charter_mismatch" => {
            format!("Cochez la case pour signer la charte de l'événement ({detail}).")
        }
        "not_your_project" => {
            "Choisissez parmi les projets publiés de la structure qui candidate.".into()
        }
        "invalid" if detail.contains("letters") => {
            "Lettres, chiffres, points et tirets seulement, par exemple 2024.".into()
        }
        "out_of_range" => format!("Valeur hors des limites ({detail})."),
        "locked" => {
            "Des structures ont déjà candidaté en signant cette version de la charte : elle ne change plus."
                .into()
        }
        "too_long" if detail.contains("62 days") => "Un événement dure au plus 62 jours.".into(),
        _ => in_french(code, detail),
    }
}

/// The service's field errors, in French, by pointer.
pub fn errors_of(e: &agora_domain::ValidationErrors) -> crate::fields::Errors {
    crate::fields::Errors(
        e.0.iter()
            .map(|f| (f.pointer.clone(), french(&f.code, &f.detail)))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_time_follows_summer_time() {
        let winter = Utc.with_ymd_and_hms(2027, 1, 15, 8, 30, 0).unwrap();
        assert_eq!(
            to_paris(winter).time(),
            NaiveTime::from_hms_opt(9, 30, 0).unwrap()
        );
        let summer = Utc.with_ymd_and_hms(2027, 6, 15, 8, 30, 0).unwrap();
        assert_eq!(
            to_paris(summer).time(),
            NaiveTime::from_hms_opt(10, 30, 0).unwrap()
        );
        for at in [winter, summer] {
            let local = to_paris(at);
            assert_eq!(from_paris(local.date(), local.time()), at);
        }
    }
}
