//! Authorisation before validation: a middleware that, before any extractor reads a body,
//! a query or a path parameter, finds the operation a request is for in the API document,
//! establishes who is calling and checks the operation's declared `x-access` against what
//! the path names. A caller who may not perform the operation gets 401, 403 or 404
//! whatever they sent; only then are the inputs read and checked.

use crate::extract::{Identified, identify};
use crate::problem::ApiError;
use crate::state::ApiState;
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::web::Data;
use actix_web::{Error, HttpMessage, ResponseError};
use agora_domain::ListingKind;
use agora_service::authorize::{Need, Target, authorize};
use agora_service::partners::Scope;
use agora_service::{Actor, ServiceError};
use uuid::Uuid;

#[derive(Debug, Clone)]
struct Operation {
    method: String,
    segments: Vec<String>,
    need: Need,
}

/// Every operation of the document with what it needs of its caller.
#[derive(Debug, Clone, Default)]
pub struct Operations(Vec<Operation>);

impl Operations {
    /// Reads `x-access` from every operation; an operation without one, or with one this
    /// middleware does not know, is an error (the server would not start).
    pub fn from_document(document: &utoipa::openapi::OpenApi) -> Result<Self, String> {
        let value = serde_json::to_value(document).map_err(|e| e.to_string())?;
        let mut ops = Vec::new();
        for (path, item) in value["paths"].as_object().into_iter().flatten() {
            for (method, op) in item.as_object().into_iter().flatten() {
                let access = op["x-access"]
                    .as_str()
                    .ok_or_else(|| format!("{method} {path} declares no x-access"))?;
                let need = Need::parse(access)
                    .ok_or_else(|| format!("{method} {path}: unknown x-access {access:?}"))?;
                ops.push(Operation {
                    method: method.to_uppercase(),
                    segments: path.split('/').map(str::to_owned).collect(),
                    need,
                });
            }
        }
        Ok(Self(ops))
    }

    /// The operation `method path` is for, and the path's parameters by name. Where two
    /// templates match, the one with more literal segments wins (as the router decides).
    fn find<'a>(
        &'a self,
        method: &str,
        path: &str,
    ) -> Option<(&'a Operation, Vec<(&'a str, String)>)> {
        let segments: Vec<&str> = path.split('/').collect();
        self.0
            .iter()
            .filter(|op| op.method == method && op.segments.len() == segments.len())
            .filter(|op| {
                op.segments
                    .iter()
                    .zip(&segments)
                    .all(|(t, s)| t == s || (t.starts_with('{') && !s.is_empty()))
            })
            .max_by_key(|op| op.segments.iter().filter(|t| !t.starts_with('{')).count())
            .map(|op| {
                let params = op
                    .segments
                    .iter()
                    .zip(&segments)
                    .filter(|(t, _)| t.starts_with('{'))
                    .map(|(t, s)| (t.trim_matches(|c| c == '{' || c == '}'), (*s).to_owned()))
                    .collect();
                (op, params)
            })
    }
}

/// What the path names: the collection right after `/api/v1/` and its `{id}`.
fn target(op: &Operation, params: &[(&str, String)]) -> Result<Target, ()> {
    let id = || {
        params
            .iter()
            .find(|(name, _)| *name == "id")
            .map(|(_, v)| Uuid::parse_str(v).map_err(|_| ()))
            .transpose()
    };
    let collection = op.segments.get(3).map(String::as_str);
    let second = op.segments.get(4).map(String::as_str);
    Ok(match (collection, second) {
        (Some("structures"), Some("{id}")) => match id()? {
            Some(id) => Target::Listing(ListingKind::Structure, id),
            None => Target::Nothing,
        },
        (Some("services"), Some("{id}")) => match id()? {
            Some(id) => Target::Listing(ListingKind::Service, id),
            None => Target::Nothing,
        },
        (Some("projects"), Some("{id}")) => match id()? {
            Some(id) => Target::Listing(ListingKind::Project, id),
            None => Target::Nothing,
        },
        (Some("label-applications"), Some("{id}")) => {
            id()?.map_or(Target::Nothing, Target::LabelApplication)
        }
        (Some("help-offers"), Some("{id}")) => id()?.map_or(Target::Nothing, Target::HelpOffer),
        (Some("me"), Some("invitations")) => id()?.map_or(Target::Nothing, Target::Invitation),
        (Some("events"), Some("{id}")) => {
            let application = params
                .iter()
                .find(|(name, _)| *name == "application_id")
                .map(|(_, v)| Uuid::parse_str(v).map_err(|_| ()))
                .transpose()?;
            match id()? {
                Some(id) => Target::Event { id, application },
                None => Target::Nothing,
            }
        }
        _ => Target::Nothing,
    })
}

/// An anonymous call of an open read: counted per address, refused past the limit.
async fn anonymous<B: MessageBody + 'static>(
    req: ServiceRequest,
    next: Next<B>,
    state: &ApiState,
) -> Result<ServiceResponse<EitherBody<B>>, Error> {
    let client = crate::client::client_address(
        req.peer_addr().map(|a| a.ip()),
        req.headers(),
        &state.trusted_proxies,
    );
    let verdict = state
        .anonymous_limit
        .admit(client, state.ctx.now().timestamp());
    let Some(verdict) = verdict else {
        return next.call(req).await.map(|r| r.map_into_left_body());
    };
    if !verdict.allowed {
        let err = ApiError::from(ServiceError::TooManyRequests {
            retry_after_secs: verdict.reset.max(1),
        });
        let mut res = refuse::<B>(req, err);
        crate::quota::anonymous_headers(res.headers_mut(), &verdict);
        return Ok(res);
    }
    let mut res = next.call(req).await.map(|r| r.map_into_left_body())?;
    crate::quota::anonymous_headers(res.headers_mut(), &verdict);
    Ok(res)
}

/// Refuses the request with `err`, rendered here (inside the request's scope, so that
/// the problem carries its id).
fn refuse<B>(req: ServiceRequest, err: ApiError) -> ServiceResponse<EitherBody<B>> {
    req.into_response(err.error_response())
        .map_into_right_body()
}

pub async fn guard<B: MessageBody + 'static>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<EitherBody<B>>, Error> {
    let found = req.app_data::<Data<Operations>>().and_then(|ops| {
        ops.find(req.method().as_str(), req.path())
            .map(|(op, params)| {
                let person = params
                    .iter()
                    .find(|(n, _)| *n == "user_id")
                    .and_then(|(_, v)| Uuid::parse_str(v).ok());
                (op.need, target(op, &params), person)
            })
    });
    let pass = |r: ServiceResponse<B>| r.map_into_left_body();
    let Some((need, target, person)) = found else {
        return next.call(req).await.map(pass);
    };
    let Some(state) = req.app_data::<Data<ApiState>>().cloned() else {
        return Ok(refuse(req, ApiError::internal()));
    };
    let credentials = crate::extract::authorization(req.request());
    if need == Need::Public && credentials.api_key.is_none() {
        // Only the open reads are counted per address: the public writes (sign-up,
        // sign-in, reports) have limits of their own.
        let read = matches!(req.method().as_str(), "GET" | "HEAD");
        if credentials.authorization.is_some() || !read {
            return next.call(req).await.map(pass);
        }
        return anonymous(req, next, &state).await;
    }
    let actor = match identify(credentials, Ok(state.clone())).await {
        Ok(a) => a,
        Err(e) => return Ok(refuse(req, e)),
    };
    if let Actor::Partner(partner) = &actor {
        let need = if need == Need::Public {
            Need::Partner(Scope::Read)
        } else {
            need
        };
        if let Err(e) = authorize(&state.ctx, &actor, need, Target::Nothing, None).await {
            return Ok(refuse(req, ApiError::from(e)));
        }
        let admission = match agora_service::partners::admit(&state.ctx, partner).await {
            Ok(a) => a,
            Err(e) => return Ok(refuse(req, ApiError::from(e))),
        };
        if !admission.allowed {
            let err = ApiError::from(ServiceError::TooManyRequests {
                retry_after_secs: admission.retry_after(),
            });
            let mut res = refuse::<B>(req, err);
            crate::quota::partner_headers(res.headers_mut(), &admission);
            return Ok(res);
        }
        req.extensions_mut().insert(Identified(actor));
        let mut res = next.call(req).await.map(pass)?;
        crate::quota::partner_headers(res.headers_mut(), &admission);
        return Ok(res);
    }
    let target = match target {
        Ok(t) => t,
        // An id that is not a UUID names nothing: who could act on it is nobody.
        Err(()) if need == Need::User => Target::Nothing,
        Err(()) => {
            let err = match actor.require_user() {
                Err(e) => ApiError::from(e),
                Ok(_) => ApiError::not_found(),
            };
            return Ok(refuse(req, err));
        }
    };
    if let Err(e) = authorize(&state.ctx, &actor, need, target, person).await {
        return Ok(refuse(req, ApiError::from(e)));
    }
    req.extensions_mut().insert(Identified(actor));
    next.call(req).await.map(pass)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_of_the_document_declares_a_known_access() {
        let ops = Operations::from_document(&crate::openapi()).unwrap();
        assert!(ops.0.len() >= 40);
        let (op, params) = ops
            .find(
                "DELETE",
                &format!("/api/v1/structures/{}/members/{}", Uuid::nil(), Uuid::max()),
            )
            .unwrap();
        assert_eq!(op.need, Need::OwnerOrSelf);
        assert_eq!(params.len(), 2);
        let (op, _) = ops.find("GET", "/api/v1/moderation/queue").unwrap();
        assert_eq!(op.need, Need::Moderator);
        assert!(ops.find("GET", "/api/v1/nowhere").is_none());
    }
}
