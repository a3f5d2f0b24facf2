//! The OpenAPI document: paths come from the route table itself (utoipa-actix-web); this
//! module adds what applies to every operation: the bearer scheme, the problem+json
//! default response, and the schemas of partial updates.

use crate::problem::Problem;
use agora_domain::FieldError;
use agora_domain::content::{ProjectContent, ServiceContent, StructureContent};
use utoipa::openapi::content::ContentBuilder;
use utoipa::openapi::link::LinkBuilder;
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::schema::{ArrayItems, Schema};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{Ref, RefOr};
use utoipa::{Modify, OpenApi, PartialSchema, ToSchema};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Agora API",
        description = "The national directory and matchmaking service of the French cancer-support ecosystem: \
            structures, support services and collaborative projects, their moderation, and mediated contact. \
            Errors are RFC 9457 problem details (`application/problem+json`) with a request id and, for invalid \
            input, a JSON pointer per field.",
        license(name = "MIT OR Apache-2.0", identifier = "MIT OR Apache-2.0"),
    ),
    // The paths are absolute (`/api/v1/…`, `/health`): the server is the site's root,
    // wherever the document was read from.
    servers((url = "/", description = "The server this document is served from")),
    components(schemas(Problem, FieldError)),
    tags(
        (name = "accounts", description = "Sign-up, sign-in, sessions"),
        (name = "structures", description = "Organisations and their members"),
        (name = "services", description = "Support services"),
        (name = "projects", description = "Lab Agora projects"),
        (name = "moderation", description = "The moderation queue, freshness, reports and the audit trail"),
        (name = "refresh", description = "Keeping it true: confirming listings every six months"),
        (name = "reports", description = "Signaler une erreur"),
        (name = "help", description = "Je propose mon aide: mediated contact between contributors and projects"),
        (name = "label", description = "The label: charter, applications, committee reviews, decisions"),
        (name = "reference", description = "Vocabularies"),
        (name = "search", description = "Search over published listings"),
        (name = "geography", description = "Régions, départements, communes"),
        (name = "operations", description = "Health checks"),
        (name = "partners", description = "Partner sites: API keys, quotas and usage, the changes feed, webhooks"),
        (name = "evaluations", description = "Evaluations of services on objective criteria by the people who used them"),
        (name = "meetings", description = "Speed meetings at events: wishes, pins and bans, the schedule, follow-ups and the six-month feedback"),
        (name = "events", description = "Community events (the Cancerthon, regional editions, speed meetings): moderation, organising committee, applications to take part, participants"),
    )
)]
pub struct ApiDoc;

/// Applied once the route table has added its paths.
pub(crate) struct Conventions;

impl Modify for Conventions {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
        components.add_security_scheme(
            "api_key",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "X-API-Key",
                "A partner's key, given by Agora's administrators (`agora partner create`).",
            ))),
        );
        let problem = ResponseBuilder::new()
            .description("An error, as RFC 9457 problem details")
            .content(
                "application/problem+json",
                ContentBuilder::new()
                    .schema(Some(RefOr::Ref(Ref::from_schema_name("Problem"))))
                    .build(),
            )
            .build();
        for schema in components.schemas.values_mut() {
            open_compositions(schema, false);
        }
        refer_to_page_items(&mut components.schemas);
        for (path, item) in openapi.paths.paths.iter_mut() {
            let operations = [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
                &mut item.head,
                &mut item.options,
                &mut item.trace,
            ];
            for op in operations.into_iter().flatten() {
                add_links(op);
                open_to_partner_keys(op);
                add_refusals(op, path);
                crate::examples::attach(op, path);
                add_page_errors(op);
                op.responses
                    .responses
                    .entry("default".into())
                    .or_insert_with(|| RefOr::T(problem.clone()));
                // OpenAPI requires a description on every response.
                for (status, response) in op.responses.responses.iter_mut() {
                    if let RefOr::T(r) = response
                        && r.description.is_empty()
                    {
                        r.description = describe(status).into();
                    }
                }
            }
        }
    }
}

/// The refusals every operation can meet before its handler decides anything: the guard's
/// answers from its `x-access` (crate::guard: 401, 403, 404), an unreadable bearer token
/// (401, even where signing in is optional), malformed input from the extractors (400).
/// Answers particular to one operation (409, 422, 429…) are in its own annotation.
fn add_refusals(op: &mut utoipa::openapi::path::Operation, path: &str) {
    use utoipa::openapi::path::ParameterIn;
    let access = op
        .extensions
        .as_ref()
        .and_then(|e| e.get("x-access"))
        .and_then(serde_json::Value::as_str)
        .unwrap_or("public")
        .to_owned();
    let takes_a_token = op.security.iter().flatten().any(|requirement| {
        serde_json::to_value(requirement).is_ok_and(|r| r.get("bearer").is_some())
    });
    let names_something = path.contains('{');
    let has_query = op
        .parameters
        .iter()
        .flatten()
        .any(|p| matches!(p, RefOr::T(p) if p.parameter_in == ParameterIn::Query));
    // The guard answers an id that is not a UUID with 404 where it checks the target;
    // elsewhere the path extractor answers 400.
    let path_checked_by_handler = names_something && matches!(access.as_str(), "public" | "user");
    let mut refusals = Vec::new();
    let mut malformed = Vec::new();
    if op.request_body.is_some() {
        malformed.push("a body that is not JSON, or a field of the wrong type, unknown or missing");
    }
    if has_query {
        malformed.push("a query parameter of the wrong type or out of range");
    }
    if path_checked_by_handler {
        malformed.push("an id that is not a UUID");
    }
    if !malformed.is_empty() {
        let example = if op.request_body.is_some() {
            problem_example(
                "malformed-request",
                "The request is malformed",
                400,
                "see `errors` for each field",
                Some(("", "invalid_json", "not valid JSON (line 1, column 18)")),
            )
        } else if has_query {
            problem_example(
                "malformed-request",
                "The request is malformed",
                400,
                "see `errors` for each field",
                Some(("/limit", "out_of_range", "must be at least 1")),
            )
        } else {
            problem_example(
                "invalid-path-parameter",
                "Invalid path parameter",
                400,
                "identifiers in paths are UUIDs",
                Some(("/id", "invalid_uuid", "must be a UUID")),
            )
        };
        refusals.push((
            "400",
            format!(
                "Malformed input: {}; `errors` points at each one",
                malformed.join("; ")
            ),
            example,
        ));
    }
    if access != "public" || takes_a_token {
        refusals.push((
            "401",
            "Not signed in, or the access token is not valid (expired, revoked, unreadable)".into(),
            problem_example(
                "unauthorized",
                "Authentication required",
                401,
                "sign in to do this",
                None,
            ),
        ));
    }
    if matches!(
        access.as_str(),
        "moderator"
            | "member"
            | "owner"
            | "member_or_moderator"
            | "owner_or_self"
            | "reviewer"
            | "reviewer_or_moderator"
            | "event_committee"
            | "event_participant"
            | "event_organiser"
            | "structure_member"
            | "event_chair"
            | "event_applicant"
    ) {
        refusals.push((
            "403",
            "Signed in, without the role or membership this needs".into(),
            problem_example(
                "forbidden",
                "Forbidden",
                403,
                forbidden_detail(&access),
                None,
            ),
        ));
    }
    if names_something {
        refusals.push((
            "404",
            "Nothing with this id, or nothing you may see".into(),
            problem_example("not-found", "Not found", 404, &not_found_detail(path), None),
        ));
    }
    add_problems(op, refusals);
}

/// Documents each `(status, description, example)` as a problem+json answer, unless the
/// operation's annotation already gave that status.
fn add_problems<D: Into<String>>(
    op: &mut utoipa::openapi::path::Operation,
    refusals: impl IntoIterator<Item = (&'static str, D, serde_json::Value)>,
) {
    for (status, description, example) in refusals {
        op.responses
            .responses
            .entry(status.into())
            .or_insert_with(|| {
                RefOr::T(
                    ResponseBuilder::new()
                        .description(description)
                        .content(
                            "application/problem+json",
                            ContentBuilder::new()
                                .schema(Some(RefOr::Ref(Ref::from_schema_name("Problem"))))
                                .example(Some(example))
                                .build(),
                        )
                        .build(),
                )
            });
    }
}

/// A public operation also takes a partner's key (counted against its quota, refused
/// without the `read` scope); without one, its `GET`s are limited per address. Both end in
/// 429 past the limit.
fn open_to_partner_keys(op: &mut utoipa::openapi::path::Operation) {
    use utoipa::openapi::security::SecurityRequirement;
    let public = op
        .extensions
        .as_ref()
        .and_then(|e| e.get("x-access"))
        .and_then(serde_json::Value::as_str)
        .is_none_or(|a| a == "public");
    if !public {
        return;
    }
    let security = op.security.get_or_insert_with(Vec::new);
    if security.is_empty() {
        security.push(SecurityRequirement::default());
    }
    security.push(SecurityRequirement::new("api_key", Vec::<String>::new()));
    let refusals = [
        (
            "401",
            "The partner key (or access token) is not valid: unknown, rotated or revoked",
            problem_example(
                "unauthorized",
                "Authentication required",
                401,
                "unknown or revoked API key",
                None,
            ),
        ),
        (
            "403",
            "The partner key lacks the `read` scope",
            problem_example(
                "forbidden",
                "Forbidden",
                403,
                "this key does not have the scope this needs",
                None,
            ),
        ),
        (
            "429",
            "Past the partner key's quota, or past the requests per minute of one address without a key; `Retry-After` says when to try again, `RateLimit` and `RateLimit-Policy` what is left",
            problem_example(
                "too-many-requests",
                "Too many requests",
                429,
                "you have done this too often; try again later",
                None,
            ),
        ),
    ];
    add_problems(op, refusals);
}

/// What the guard says when it refuses `access` (crate::guard, agora_service::authorize).
fn forbidden_detail(access: &str) -> &'static str {
    match access {
        "moderator" => "this is for moderators",
        "reviewer" | "reviewer_or_moderator" => "this step of the label is not yours to take",
        "event_committee" => "this is for the event's organising committee",
        "event_participant" => "this is for the event's accepted participants",
        "event_organiser" => {
            "events are organised by members of a published structure, the committee and moderators"
        }
        "structure_member" => "this is for members of a published structure",
        "event_chair" => "this is for the committee's chair",
        "event_applicant" => "only the applying structure's members do this",
        _ => "this is for the structure's members (or owners)",
    }
}

/// What a 404 says of the thing `path` names.
fn not_found_detail(path: &str) -> String {
    let mut segments = path.split('/').skip(3);
    let what = match (segments.next(), segments.next()) {
        (Some("services"), _) => "service",
        (Some("projects"), _) => "project",
        (Some("label-applications"), _) => "label application",
        (Some("help-offers"), _) => "help offer",
        (Some("events"), _) if path.contains("{application_id}") => "application",
        (Some("events"), _) => "event",
        (Some("me"), _) => "invitation",
        (Some("moderation"), Some("reports")) => "report",
        (Some("moderation"), _) => "revision",
        _ => "structure",
    };
    format!("{what} not found")
}

fn problem_example(
    slug: &str,
    title: &str,
    status: u16,
    detail: &str,
    error: Option<(&str, &str, &str)>,
) -> serde_json::Value {
    let mut problem = serde_json::json!({
        "type": format!("/problems/{slug}"),
        "title": title,
        "status": status,
        "detail": detail,
        "request_id": "6f1c2a8e-3b4d-4e5f-9a7b-1c2d3e4f5a6b",
    });
    if let (Some((pointer, code, detail)), Some(object)) = (error, problem.as_object_mut()) {
        object.insert(
            "errors".into(),
            serde_json::json!([{"pointer": pointer, "code": code, "detail": detail}]),
        );
    }
    problem
}

/// A page of `T` (`Page_T`) holds `T` inline; where `T` is a component of its own, the
/// page refers to it, so that the component is the one place that describes `T`.
fn refer_to_page_items(schemas: &mut std::collections::BTreeMap<String, RefOr<Schema>>) {
    let names: Vec<String> = schemas.keys().cloned().collect();
    for name in names {
        let Some(item) = name.strip_prefix("Page_") else {
            continue;
        };
        let Some(component) = schemas.get(item).cloned() else {
            continue;
        };
        let Some(RefOr::T(Schema::Object(page))) = schemas.get_mut(&name) else {
            continue;
        };
        let Some(RefOr::T(Schema::Array(items))) = page.properties.get_mut("items") else {
            continue;
        };
        if let ArrayItems::RefOrSchema(inline) = &mut items.items
            && **inline == component
        {
            **inline = RefOr::Ref(Ref::from_schema_name(item));
        }
    }
}

/// Operations that answer a browser with a page (a link's page, or a form posted from
/// one) answer its errors with a page too: each error response also has `text/html`, and
/// so does every response to a form.
fn add_page_errors(op: &mut utoipa::openapi::path::Operation) {
    let posted_by_a_form = op.request_body.as_ref().is_some_and(
        |b| matches!(b, RefOr::T(b) if b.content.contains_key("application/x-www-form-urlencoded")),
    );
    let shows_a_page = op
        .responses
        .responses
        .values()
        .any(|r| matches!(r, RefOr::T(r) if r.content.contains_key("text/html")));
    if !(posted_by_a_form || shows_a_page) {
        return;
    }
    let page = ContentBuilder::new()
        .schema(Some(RefOr::T(Schema::Object(
            utoipa::openapi::schema::ObjectBuilder::new()
                .schema_type(utoipa::openapi::schema::Type::String)
                .build(),
        ))))
        .build();
    for (status, response) in op.responses.responses.iter_mut() {
        // A form's post is answered with a page, whatever the outcome.
        let answered_with_a_page =
            posted_by_a_form && status != "204" || status.starts_with('4') || status == "default";
        if let RefOr::T(r) = response
            && answered_with_a_page
        {
            r.content
                .entry("text/html".into())
                .or_insert_with(|| RefOr::T(page.clone()));
        }
    }
}

/// A member of an `allOf` must not forbid properties that the other members add: a view
/// that composes a strict input document with its own fields would then reject itself.
/// Input documents keep `additionalProperties: false` where they stand alone.
fn open_compositions(schema: &mut RefOr<Schema>, in_all_of: bool) {
    let RefOr::T(schema) = schema else { return };
    match schema {
        Schema::Object(object) => {
            if in_all_of {
                object.additional_properties = None;
            }
            for property in object.properties.values_mut() {
                open_compositions(property, false);
            }
        }
        Schema::Array(array) => {
            if let ArrayItems::RefOrSchema(items) = &mut array.items {
                open_compositions(items, false);
            }
        }
        Schema::AllOf(all) => all
            .items
            .iter_mut()
            .for_each(|item| open_compositions(item, true)),
        Schema::OneOf(one) => one
            .items
            .iter_mut()
            .for_each(|item| open_compositions(item, false)),
        Schema::AnyOf(any) => any
            .items
            .iter_mut()
            .for_each(|item| open_compositions(item, false)),
        _ => {}
    }
}

/// Operations that can follow a response, with the value they take from it: the
/// document then tells clients (and contract testers) how calls chain.
const LINKS: &[(&str, &str, &str, &[&str])] = &[
    (
        "create_structure",
        "201",
        "/id",
        &[
            "get_structure",
            "patch_structure",
            "submit_structure",
            "create_service",
            "create_project",
            "list_structure_services",
            "list_structure_projects",
            "list_members",
            "invite",
            "list_invitations",
        ],
    ),
    (
        "create_service",
        "201",
        "/id",
        &["get_service", "patch_service", "submit_service"],
    ),
    (
        "create_project",
        "201",
        "/id",
        &[
            "get_project",
            "patch_project",
            "submit_project",
            "pause",
            "resume",
            "complete",
            "archive",
            "list_updates",
            "add_update",
        ],
    ),
    (
        "submit_structure",
        "200",
        "/review/revision_id",
        &["item", "approve", "reject", "request_changes"],
    ),
    (
        "submit_service",
        "200",
        "/review/revision_id",
        &["item", "approve", "reject", "request_changes"],
    ),
    (
        "submit_project",
        "200",
        "/review/revision_id",
        &["item", "approve", "reject", "request_changes"],
    ),
];

fn add_links(op: &mut utoipa::openapi::path::Operation) {
    let Some(id) = op.operation_id.as_deref() else {
        return;
    };
    for (_, status, pointer, targets) in LINKS.iter().filter(|(source, ..)| *source == id) {
        if let Some(RefOr::T(response)) = op.responses.responses.get_mut(*status) {
            for target in *targets {
                let link = LinkBuilder::new()
                    .operation_id(*target)
                    .parameter("id", format!("$response.body#{pointer}"))
                    .build();
                response.links.insert(link_name(target), RefOr::T(link));
            }
        }
    }
}

/// `patch_structure` → `PatchStructure`.
fn link_name(operation_id: &str) -> String {
    operation_id
        .split('_')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

fn describe(status: &str) -> &'static str {
    match status {
        "200" => "OK",
        "201" => "Created",
        "204" => "No content",
        "304" => "Not modified",
        _ => "See the problem details",
    }
}

/// Declares the schema of a partial update: the content's schema with nothing required
/// (fields left out are kept; `null` clears an optional one).
macro_rules! patch_schema {
    ($patch:ident, $content:ty) => {
        pub struct $patch;

        impl PartialSchema for $patch {
            fn schema() -> RefOr<Schema> {
                let mut schema = <$content as PartialSchema>::schema();
                if let RefOr::T(Schema::Object(object)) = &mut schema {
                    object.required.clear();
                    object.description = Some(
                        "The fields to change; fields left out are kept, `null` clears an optional field.".into(),
                    );
                }
                schema
            }
        }

        impl ToSchema for $patch {
            fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
                schemas.push((<$content as ToSchema>::name().into_owned(), <$content as PartialSchema>::schema()));
                <$content as ToSchema>::schemas(schemas);
            }
        }
    };
}

patch_schema!(StructurePatch, StructureContent);
patch_schema!(ServicePatch, ServiceContent);
patch_schema!(ProjectPatch, ProjectContent);
patch_schema!(EventPatch, agora_service::events::EventInput);
