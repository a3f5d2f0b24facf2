//! The examples of the API document: for each operation, a realistic body to send and the
//! main answer, drawn from the same small world (the IRFC in Besançon and its programme
//! ONCONNECTE À L'EMPLOI, a contributor, a moderator, a committee member), so that the ids
//! of one answer are those the next operations take.
//!
//! They are kept here rather than on the schema types: most answers are generic views
//! (`ListingView<T>`, `Page<T>`) whose example depends on the operation (a draft just
//! created, a project paused…), and the types live in crates that know nothing of the
//! document. Every example is checked against its schema (tests/e2e/openapi.rs).

mod accounts;
mod evaluations;
mod events;
mod exports;
mod help;
mod ids;
mod label;
mod listings;
pub(crate) mod meetings;
mod moderation;
mod partners;
mod reference;

use serde_json::Value;
use utoipa::openapi::RefOr;
use utoipa::openapi::path::{Operation, ParameterBuilder, ParameterIn};

/// An excerpt of `/metrics`.
const METRICS: &str =
    "# HELP agora_http_requests_total HTTP requests answered, by route template, method and status
# TYPE agora_http_requests_total counter
agora_http_requests_total{route=\"/api/v1/search\",method=\"GET\",status=\"200\"} 1027
# TYPE agora_search_duration_seconds histogram
agora_search_duration_seconds_bucket{le=\"0.005\"} 981
agora_search_duration_seconds_bucket{le=\"+Inf\"} 1030
agora_search_duration_seconds_sum 2.71
agora_search_duration_seconds_count 1030
# HELP agora_mail_queue Mails in the queue, by state
# TYPE agora_mail_queue gauge
agora_mail_queue{state=\"queued\"} 3
agora_mail_queue{state=\"sent\"} 5120
# HELP agora_moderation_queue Submissions waiting for a moderator
# TYPE agora_moderation_queue gauge
agora_moderation_queue 4
";

/// What an operation is shown with.
#[derive(Default)]
struct Shown {
    /// The request body, for every media type the operation takes.
    request: Option<Value>,
    /// The body of the main success answer (the first 2XX answer with JSON content).
    answer: Option<Value>,
}

fn request(request: Value) -> Shown {
    Shown {
        request: Some(request),
        answer: None,
    }
}

fn answer(answer: Value) -> Shown {
    Shown {
        request: None,
        answer: Some(answer),
    }
}

fn both(request: Value, answer: Value) -> Shown {
    Shown {
        request: Some(request),
        answer: Some(answer),
    }
}

fn shown(operation_id: &str) -> Option<Shown> {
    use listings::Status;
    Some(match operation_id {
        // Accounts.
        "register" => both(accounts::register_input(), accounts::registration_receipt()),
        "login" => both(accounts::login_input(), accounts::token_pair()),
        "refresh" => both(accounts::refresh_input(), accounts::token_pair()),
        "change_password" => request(accounts::password_change_input()),
        "me" => answer(accounts::me()),
        "export" => answer(accounts::data_export()),
        "erase" => request(accounts::erase_input()),
        "verify_email_page" | "new_password_page" => answer(accounts::link_state()),
        "verify_email" => both(accounts::token_input(), accounts::verified_address()),
        "request_password_reset" => both(accounts::reset_request(), accounts::reset_receipt()),
        "new_password" => request(accounts::new_password_input()),
        "health" => answer(serde_json::json!({"status": "ok"})),
        "ready" => answer(serde_json::json!({"status": "ready"})),
        "metrics" => answer(Value::String(METRICS.to_owned())),
        // Structures and their members.
        "list_structures" => answer(listings::page(vec![listings::structure_view(
            Status::Public,
        )])),
        "create_structure" => both(
            listings::structure_content(),
            listings::structure_view(Status::Draft),
        ),
        "get_structure" => answer(listings::structure_view(Status::Public)),
        "patch_structure" => both(
            listings::structure_patch(),
            listings::structure_view(Status::Edited),
        ),
        "submit_structure" => answer(listings::structure_view(Status::Submitted)),
        "confirm_structure" => answer(listings::structure_view(Status::Confirmed)),
        "list_members" => answer(accounts::members()),
        "invite" => both(accounts::invitation_input(), accounts::invitation()),
        "list_invitations" | "my_invitations" => answer(Value::Array(vec![accounts::invitation()])),
        "accept_invitation" => answer(accounts::membership()),
        // Services.
        "list_services" => answer(listings::page(vec![listings::service_view(Status::Public)])),
        "list_structure_services" => {
            answer(Value::Array(vec![listings::service_view(Status::Public)]))
        }
        "create_service" => both(
            listings::service_content(),
            listings::service_view(Status::Draft),
        ),
        "get_service" => answer(listings::service_view(Status::Public)),
        "patch_service" => both(
            listings::service_patch(),
            listings::service_view(Status::Edited),
        ),
        "submit_service" => answer(listings::service_view(Status::Submitted)),
        "confirm_service" => answer(listings::service_view(Status::Confirmed)),
        // Projects.
        "list_projects" => answer(listings::page(vec![listings::project_view(Status::Public)])),
        "list_structure_projects" => {
            answer(Value::Array(vec![listings::project_view(Status::Public)]))
        }
        "create_project" => both(
            listings::project_content(),
            listings::project_view(Status::Draft),
        ),
        "get_project" => answer(listings::project_view(Status::Public)),
        "patch_project" => both(
            listings::project_patch(),
            listings::project_view(Status::Edited),
        ),
        "submit_project" => answer(listings::project_view(Status::Submitted)),
        "confirm_project" => answer(listings::project_view(Status::Confirmed)),
        "pause" => answer(listings::project_view(Status::Paused)),
        "resume" => answer(listings::project_view(Status::Confirmed)),
        "complete" => answer(listings::project_view(Status::Completed)),
        "archive" => answer(listings::project_view(Status::Archived)),
        "list_updates" => answer(Value::Array(vec![listings::update_view("published")])),
        "add_update" => both(listings::update_input(), listings::update_view("pending")),
        "add_success_story" => both(
            listings::success_story_input(),
            listings::success_story_view(),
        ),
        // Moderation.
        "queue" => answer(listings::page(vec![moderation::queue_item()])),
        "item" => answer(moderation::item("pending")),
        "approve" => both(moderation::approval(), moderation::item("approved")),
        "reject" => both(moderation::rejection(), moderation::item("rejected")),
        "request_changes" => both(
            moderation::change_request(),
            moderation::item("changes_requested"),
        ),
        "audit" => answer(listings::page(vec![moderation::audit_entry()])),
        "refresh_queue" => answer(moderation::refresh_queue()),
        "confirm_page" => answer(moderation::link_preview()),
        "confirm_by_link" => both(accounts::token_input(), moderation::link_confirmation()),
        "report" => both(moderation::report_input(), moderation::report_receipt()),
        "list_reports" => answer(listings::page(vec![moderation::report("open")])),
        "resolve_report" => both(moderation::resolve_input(), moderation::report("resolved")),
        // The label.
        "get_charter" => answer(label::charter()),
        "create_label_application" => {
            both(label::application_content(), label::application("draft"))
        }
        "get_label_application" => answer(label::application("in_review")),
        "patch_label_application" => both(label::application_patch(), label::application("draft")),
        "submit_label_application" => answer(label::application("submitted")),
        "list_label_applications" => answer(listings::page(vec![label::application("submitted")])),
        "request_pieces" => both(label::pieces_input(), label::application("incomplete")),
        "assign_reviewers" => both(label::assign_input(), label::application("in_review")),
        "post_review" => both(label::review_input(), label::review()),
        "get_reviews" => answer(Value::Array(vec![label::review()])),
        "decide_label" => both(label::decide_input(), label::application("granted")),
        "my_label_reviews" => answer(Value::Array(vec![label::application("in_review")])),
        // Je propose mon aide.
        "get_contributor_profile" => answer(help::profile()),
        "put_contributor_profile" => both(help::profile(), help::profile()),
        "offer_help" => both(help::offer_input(), help::offer("submitted")),
        "my_help_offers" => answer(Value::Array(vec![help::offer("forwarded")])),
        "suggested_projects" => answer(reference::search_page()),
        "moderation_help_offers" => answer(listings::page(vec![help::offer_for_moderators()])),
        "forward_offer" => both(
            help::screen_note(),
            help::offer_for_moderators_in("forwarded"),
        ),
        "decline_offer" => both(
            help::decline_input(),
            help::offer_for_moderators_in("declined"),
        ),
        "project_help_offers" => answer(Value::Array(vec![help::offer("forwarded")])),
        "accept_offer" => answer(help::connected_offer()),
        "refuse_offer" => answer(help::offer("refused")),
        "close_offer" => both(help::close_input(), help::closed_offer()),
        "stats" => answer(help::stats()),
        // Reference data and search.
        "vocabularies" => answer(reference::vocabularies()),
        "regions" => answer(reference::regions()),
        "departements" => answer(reference::departements()),
        "communes" => answer(reference::communes()),
        "search_listings" => answer(reference::search_page()),
        // Partners.
        "export_data_inclusion_structures" => answer(exports::data_inclusion_structure()),
        "export_data_inclusion_services" => answer(exports::data_inclusion_service()),
        "export_hsds_organizations" => answer(exports::hsds_organization()),
        "export_hsds_services" => answer(exports::hsds_service()),
        "export_csv" => answer(exports::csv()),
        "list_partners" => answer(Value::Array(vec![partners::partner()])),
        "partner_usage" => answer(partners::usage()),
        "changes" => answer(partners::changes()),
        "list_webhooks" => answer(Value::Array(vec![partners::webhook()])),
        "create_webhook" => both(partners::webhook_input(), partners::created_webhook()),
        "get_webhook" | "enable_webhook" => answer(partners::webhook()),
        "webhook_deliveries" => answer(partners::deliveries()),
        // Evaluations of services.
        "evaluate_service" => both(evaluations::input(), evaluations::mine()),
        "service_evaluations" => answer(evaluations::public()),
        "evaluation_comments" => answer(evaluations::comments()),
        "put_evaluation_response" => both(evaluations::response_input(), evaluations::response()),
        "my_evaluations" => answer(Value::Array(vec![evaluations::mine()])),
        // Community events.
        "list_events" => answer(listings::page(vec![events::public_event()])),
        "create_event" => both(events::event_input(), events::event("draft")),
        "get_event" => answer(events::public_event()),
        "patch_event" => both(events::event_patch(), events::event("published")),
        "submit_event" => answer(events::event("pending")),
        "archive_event" => answer(events::event("archived")),
        "decide_event" => both(events::decision_input(), events::event("published")),
        "moderation_events" => answer(Value::Array(vec![events::event("pending")])),
        "my_events" => answer(Value::Array(vec![events::event("published")])),
        "accept_committee_invitation" | "decline_committee_invitation" => {
            answer(events::event("published"))
        }
        "get_committee" => answer(events::committee()),
        "invite_to_committee" => both(events::invite_input(), events::invite_receipt()),
        "apply_to_event" => both(events::application_input(), events::application("pending")),
        "list_event_applications" => answer(Value::Array(vec![events::application_for_committee(
            "pending",
        )])),
        "get_event_application" => answer(events::application("accepted")),
        "my_event_applications" => answer(Value::Array(vec![events::application("accepted")])),
        "decide_event_application" => both(
            events::application_decision_input(),
            events::application_for_committee("accepted"),
        ),
        "withdraw_event_application" => answer(events::application("withdrawn")),
        "event_participants" => answer(events::participants()),
        _ => return None,
    })
}

/// Adds the operation's examples where its annotation gave none: its request body, its
/// main answer, and the ids of its path (those of the answer).
pub(crate) fn attach(op: &mut Operation, path: &str) {
    for parameter in op.parameters.iter_mut().flatten() {
        let RefOr::T(parameter) = parameter else {
            continue;
        };
        // The field is private; only its builder sets it.
        let has_one = serde_json::to_value(&*parameter).is_ok_and(|p| p.get("example").is_some());
        let example = match parameter.parameter_in {
            ParameterIn::Path => ids::for_path_parameter(path, &parameter.name),
            ParameterIn::Query => reference::query_example(path, &parameter.name),
            _ => None,
        };
        if let (false, Some(example)) = (has_one, example) {
            *parameter = ParameterBuilder::from(parameter.clone())
                .example(Some(example))
                .build();
        }
    }
    let Some(shown) = op
        .operation_id
        .as_deref()
        .and_then(|id| shown(id).or_else(|| meetings::shown(id)))
    else {
        return;
    };
    if let (Some(example), Some(RefOr::T(body))) = (shown.request, op.request_body.as_mut()) {
        for content in body.content.values_mut() {
            if let RefOr::T(content) = content
                && content.example.is_none()
            {
                content.example = Some(example.clone());
            }
        }
    }
    if let Some(example) = shown.answer {
        let main = op
            .responses
            .responses
            .iter_mut()
            .filter(|(status, _)| status.starts_with('2'))
            .find_map(|(_, response)| match response {
                // The JSON answer, or else the one there is (a CSV file).
                RefOr::T(response) => {
                    let key = if response.content.contains_key("application/json") {
                        Some("application/json".to_owned())
                    } else {
                        response.content.keys().next().cloned()
                    };
                    match key.and_then(|k| response.content.get_mut(&k)) {
                        Some(RefOr::T(content)) => Some(content),
                        _ => None,
                    }
                }
                RefOr::Ref(_) => None,
            });
        if let Some(content) = main
            && content.example.is_none()
        {
            content.example = Some(example);
        }
    }
}
