//! The demo's speed meetings, on an event of the fixture: a past edition ends with
//! numbers in its indicators, an upcoming one with a published schedule.

use super::{Setup, event};
use crate::both_backends;
use crate::common::{Backend, TestApp};
use reqwest::StatusCode;

async fn the_demo_fills_an_events_speed_meetings(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let past = event(
        &app,
        Setup {
            participants: 8,
            rounds: 4,
            tables: 4,
            starts_in_days: -200,
            ..Setup::default()
        },
    )
    .await;
    let id = uuid::Uuid::parse_str(&past.id).unwrap();
    let seeded = agora::demo_meetings::seed(&app.ctx, id)
        .await
        .unwrap()
        .expect("seeded");
    assert_eq!(seeded.participants, 8);
    assert!(
        seeded.meetings > 0 && seeded.objective <= seeded.upper_bound,
        "{seeded:?}"
    );
    assert!(seeded.follow_ups > 0 && seeded.answers > 0, "{seeded:?}");
    let (status, i) = app.call(app.get(&past.path("/indicators"), None)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(i["pairs_met"].as_u64(), Some(u64::from(seeded.meetings)));
    assert!(i["follow_ups"].as_u64().unwrap() > 0, "{i}");
    assert!(i["feedback_answered"].as_u64().unwrap() > 0, "{i}");
    assert!(i["collaborations"].as_u64().unwrap() > 0, "{i}");
    // Once is enough.
    assert!(
        agora::demo_meetings::seed(&app.ctx, id)
            .await
            .unwrap()
            .is_none()
    );

    let upcoming = event(&app, Setup::default()).await;
    let id = uuid::Uuid::parse_str(&upcoming.id).unwrap();
    let seeded = agora::demo_meetings::seed(&app.ctx, id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((seeded.follow_ups, seeded.answers), (0, 0));
    let (_, i) = app.call(app.get(&upcoming.path("/indicators"), None)).await;
    assert_eq!(i["published"], true);
}

both_backends!(the_demo_fills_an_events_speed_meetings);
