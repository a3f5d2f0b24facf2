//! Access tokens (short-lived JWTs, HS256 only, issuer and audience checked) and refresh
//! tokens (opaque random strings stored hashed, rotated on every use).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// The longest an access token may live: a stolen one is useful for minutes, not days.
pub const MAX_ACCESS_TTL_SECS: i64 = 15 * 60;
/// Tolerated clock skew between servers when checking `exp`, `nbf` and `iat`.
pub const LEEWAY_SECS: i64 = 5;
const ACCESS_TYPE: &str = "access";

#[derive(Debug, Clone)]
pub struct TokenConfig {
    /// HMAC key, at least 32 bytes.
    pub secret: Vec<u8>,
    pub issuer: String,
    pub audience: String,
    pub access_ttl_secs: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct AccessClaims {
    pub iss: String,
    pub aud: String,
    pub sub: Uuid,
    /// The session this token belongs to; revoking the session invalidates the token.
    pub sid: Uuid,
    pub iat: i64,
    pub nbf: i64,
    pub exp: i64,
    pub jti: Uuid,
    pub typ: String,
}

/// Claims of a link sent by mail (a one-click confirmation): what it is for and which
/// stored link it is, so that the server can make it single-use.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
struct LinkClaims {
    iss: String,
    aud: String,
    /// The stored link's id.
    sub: Uuid,
    iat: i64,
    exp: i64,
    typ: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    #[error("malformed token")]
    Malformed,
    #[error("token rejected")]
    Rejected,
    #[error("token expired")]
    Expired,
    #[error("token not yet valid")]
    NotYetValid,
}

pub struct TokenKeys {
    config: TokenConfig,
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
}

impl std::fmt::Debug for TokenKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenKeys")
            .field("issuer", &self.config.issuer)
            .field("audience", &self.config.audience)
            .finish_non_exhaustive()
    }
}

impl TokenKeys {
    pub fn new(mut config: TokenConfig) -> Result<Self, String> {
        if config.secret.len() < 32 {
            return Err("the token secret must be at least 32 bytes".into());
        }
        config.access_ttl_secs = config.access_ttl_secs.clamp(30, MAX_ACCESS_TTL_SECS);
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[&config.issuer]);
        validation.set_audience(&[&config.audience]);
        validation.set_required_spec_claims(&["exp", "nbf", "iat", "iss", "aud", "sub"]);
        // Time claims are checked against the injected clock in `verify`.
        validation.validate_exp = false;
        validation.validate_nbf = false;
        Ok(Self {
            encoding: EncodingKey::from_secret(&config.secret),
            decoding: DecodingKey::from_secret(&config.secret),
            validation,
            config,
        })
    }

    pub fn access_ttl_secs(&self) -> i64 {
        self.config.access_ttl_secs
    }

    pub fn issue_access(
        &self,
        user_id: Uuid,
        session_id: Uuid,
        now: DateTime<Utc>,
    ) -> Result<String, TokenError> {
        let iat = now.timestamp();
        let claims = AccessClaims {
            iss: self.config.issuer.clone(),
            aud: self.config.audience.clone(),
            sub: user_id,
            sid: session_id,
            iat,
            nbf: iat,
            exp: iat + self.config.access_ttl_secs,
            jti: Uuid::new_v4(),
            typ: ACCESS_TYPE.into(),
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|_| TokenError::Malformed)
    }

    /// Checks signature, algorithm, issuer, audience, type and time claims. Tokens that
    /// carry key-selection headers (`kid`, `jku`, `jwk`, `x5u`, `x5c`) are refused: keys come
    /// only from configuration, never from the token.
    pub fn verify(&self, token: &str, now: DateTime<Utc>) -> Result<AccessClaims, TokenError> {
        let header = jsonwebtoken::decode_header(token).map_err(|_| TokenError::Malformed)?;
        if header.alg != Algorithm::HS256
            || header.kid.is_some()
            || header.jku.is_some()
            || header.jwk.is_some()
            || header.x5u.is_some()
            || header.x5c.is_some()
            || header.crit.is_some()
        {
            return Err(TokenError::Rejected);
        }
        let claims = jsonwebtoken::decode::<AccessClaims>(token, &self.decoding, &self.validation)
            .map_err(|_| TokenError::Rejected)?
            .claims;
        if claims.typ != ACCESS_TYPE {
            return Err(TokenError::Rejected);
        }
        let t = now.timestamp();
        if claims.exp + LEEWAY_SECS < t {
            return Err(TokenError::Expired);
        }
        if claims.nbf - LEEWAY_SECS > t || claims.iat - LEEWAY_SECS > t {
            return Err(TokenError::NotYetValid);
        }
        Ok(claims)
    }

    /// The audience of links sent by mail: never accepted as an access token, and access
    /// tokens are never accepted as links.
    fn link_audience(&self) -> String {
        format!("{}#mail-link", self.config.audience)
    }

    /// A signed token naming the stored link `id`, for `purpose`, valid until `expires`.
    pub fn sign_link(
        &self,
        purpose: &str,
        id: Uuid,
        now: DateTime<Utc>,
        expires: DateTime<Utc>,
    ) -> Result<String, TokenError> {
        let claims = LinkClaims {
            iss: self.config.issuer.clone(),
            aud: self.link_audience(),
            sub: id,
            iat: now.timestamp(),
            exp: expires.timestamp(),
            typ: purpose.to_owned(),
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|_| TokenError::Malformed)
    }

    /// The stored link id of a token signed by [`Self::sign_link`] for `purpose`.
    pub fn verify_link(
        &self,
        purpose: &str,
        token: &str,
        now: DateTime<Utc>,
    ) -> Result<Uuid, TokenError> {
        let header = jsonwebtoken::decode_header(token).map_err(|_| TokenError::Malformed)?;
        if header.alg != Algorithm::HS256 || header.kid.is_some() || header.jku.is_some() {
            return Err(TokenError::Rejected);
        }
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[&self.config.issuer]);
        validation.set_audience(&[self.link_audience()]);
        validation.set_required_spec_claims(&["exp", "iat", "iss", "aud", "sub"]);
        validation.validate_exp = false;
        validation.validate_nbf = false;
        let claims = jsonwebtoken::decode::<LinkClaims>(token, &self.decoding, &validation)
            .map_err(|_| TokenError::Rejected)?
            .claims;
        if claims.typ != purpose {
            return Err(TokenError::Rejected);
        }
        if claims.exp < now.timestamp() {
            return Err(TokenError::Expired);
        }
        Ok(claims.sub)
    }
}

/// A new opaque refresh token and the hash under which it is stored.
pub fn new_refresh_token() -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let hash = hash_refresh_token(&token);
    (token, hash)
}

/// A fresh random HMAC key (64 hex characters), for deployments that did not configure one.
pub fn generate_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

pub fn hash_refresh_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use serde_json::json;

    fn keys() -> TokenKeys {
        TokenKeys::new(TokenConfig {
            secret: b"0123456789abcdef0123456789abcdef".to_vec(),
            issuer: "agora".into(),
            audience: "agora-api".into(),
            access_ttl_secs: 600,
        })
        .unwrap()
    }

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 23, 12, 0, 0).unwrap()
    }

    #[test]
    fn mail_links_are_their_own_kind_of_token() {
        let k = keys();
        let id = Uuid::now_v7();
        let exp = now() + chrono::Duration::days(30);
        let link = k.sign_link("refresh", id, now(), exp).unwrap();
        assert_eq!(k.verify_link("refresh", &link, now()), Ok(id));
        assert_eq!(
            k.verify_link("refresh", &link, exp + chrono::Duration::seconds(1)),
            Err(TokenError::Expired)
        );
        assert_eq!(
            k.verify_link("other", &link, now()),
            Err(TokenError::Rejected)
        );
        assert!(
            k.verify(&link, now()).is_err(),
            "a link is not an access token"
        );
        let access = k.issue_access(id, id, now()).unwrap();
        assert!(k.verify_link("refresh", &access, now()).is_err());
        let mut tampered = link.clone();
        tampered.pop();
        tampered.push(if link.ends_with('A') { 'B' } else { 'A' });
        assert!(k.verify_link("refresh", &tampered, now()).is_err());
    }

    fn forge(header: serde_json::Value, claims: serde_json::Value, secret: &[u8]) -> String {
        use hmac_sha256_for_tests::sign;
        let h = URL_SAFE_NO_PAD.encode(header.to_string());
        let c = URL_SAFE_NO_PAD.encode(claims.to_string());
        let sig = URL_SAFE_NO_PAD.encode(sign(secret, format!("{h}.{c}").as_bytes()));
        format!("{h}.{c}.{sig}")
    }

    /// HMAC-SHA256 from the `sha2` primitive, to build tokens the library would refuse to.
    mod hmac_sha256_for_tests {
        use sha2::{Digest, Sha256};
        pub fn sign(key: &[u8], msg: &[u8]) -> Vec<u8> {
            let mut k = [0u8; 64];
            k[..key.len()].copy_from_slice(key);
            let ipad: Vec<u8> = k.iter().map(|b| b ^ 0x36).collect();
            let opad: Vec<u8> = k.iter().map(|b| b ^ 0x5c).collect();
            let inner = Sha256::new()
                .chain_update(&ipad)
                .chain_update(msg)
                .finalize();
            Sha256::new()
                .chain_update(&opad)
                .chain_update(inner)
                .finalize()
                .to_vec()
        }
    }

    fn claims(exp: i64) -> serde_json::Value {
        let t = now().timestamp();
        json!({"iss": "agora", "aud": "agora-api", "sub": Uuid::nil(), "sid": Uuid::nil(), "iat": t, "nbf": t, "exp": exp, "jti": Uuid::nil(), "typ": "access"})
    }

    const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef";

    #[test]
    fn issued_tokens_verify() {
        let k = keys();
        let token = k
            .issue_access(Uuid::now_v7(), Uuid::now_v7(), now())
            .unwrap();
        assert!(k.verify(&token, now()).is_ok());
        assert_eq!(
            k.verify(
                &token,
                now() + chrono::Duration::seconds(600 + LEEWAY_SECS + 1)
            ),
            Err(TokenError::Expired)
        );
    }

    #[test]
    fn the_hand_made_forgery_matches_the_library() {
        let token = forge(
            json!({"alg": "HS256", "typ": "JWT"}),
            claims(now().timestamp() + 60),
            SECRET,
        );
        assert!(
            keys().verify(&token, now()).is_ok(),
            "the test signer must be right for the refusals below to mean anything"
        );
    }

    #[test]
    fn forged_headers_are_refused() {
        let k = keys();
        let exp = now().timestamp() + 60;
        for header in [
            json!({"alg": "none"}),
            json!({"alg": "HS512"}),
            json!({"alg": "RS256"}),
            json!({"alg": "HS256", "kid": "other"}),
            json!({"alg": "HS256", "jku": "https://evil.example/jwks"}),
            json!({"alg": "HS256", "jwk": {"kty": "oct", "k": "AAAA"}}),
        ] {
            let token = forge(header.clone(), claims(exp), SECRET);
            assert!(k.verify(&token, now()).is_err(), "{header} accepted");
        }
        let unsigned = format!(
            "{}.{}.",
            URL_SAFE_NO_PAD.encode(r#"{"alg":"none"}"#),
            URL_SAFE_NO_PAD.encode(claims(exp).to_string())
        );
        assert!(k.verify(&unsigned, now()).is_err());
        let wrong_key = forge(
            json!({"alg": "HS256"}),
            claims(exp),
            b"another secret of thirty-two bytes!",
        );
        assert_eq!(k.verify(&wrong_key, now()), Err(TokenError::Rejected));
    }

    #[test]
    fn claims_are_checked() {
        let k = keys();
        let t = now().timestamp();
        let mut cases = vec![];
        let mut c = claims(t + 60);
        c["aud"] = json!("other-api");
        cases.push(("wrong aud", c));
        let mut c = claims(t + 60);
        c["iss"] = json!("someone-else");
        cases.push(("wrong iss", c));
        let mut c = claims(t + 60);
        c.as_object_mut().unwrap().remove("exp");
        cases.push(("missing exp", c));
        let mut c = claims(t + 60);
        c["exp"] = json!((t + 60).to_string());
        cases.push(("string exp", c));
        let mut c = claims(t + 60);
        c["nbf"] = json!(t + 3600);
        cases.push(("future nbf", c));
        cases.push(("expired beyond leeway", claims(t - LEEWAY_SECS - 1)));
        let mut c = claims(t + 60);
        c["typ"] = json!("refresh");
        cases.push(("not an access token", c));
        for (name, c) in cases {
            let token = forge(json!({"alg": "HS256"}), c, SECRET);
            assert!(k.verify(&token, now()).is_err(), "{name} accepted");
        }
        assert!(
            k.verify(
                &forge(json!({"alg": "HS256"}), claims(t - LEEWAY_SECS + 1), SECRET),
                now()
            )
            .is_ok(),
            "within leeway"
        );
    }

    #[test]
    fn access_tokens_live_fifteen_minutes_at_most() {
        let k = TokenKeys::new(TokenConfig {
            secret: SECRET.to_vec(),
            issuer: "agora".into(),
            audience: "agora-api".into(),
            access_ttl_secs: 86_400,
        })
        .unwrap();
        assert_eq!(k.access_ttl_secs(), MAX_ACCESS_TTL_SECS);
    }

    #[test]
    fn refresh_tokens_are_random_and_stored_hashed() {
        let (a, ha) = new_refresh_token();
        let (b, _) = new_refresh_token();
        assert_ne!(a, b);
        assert_eq!(ha, hash_refresh_token(&a));
        assert!(!ha.contains(&a));
    }
}
