//! `CsrfForm<T>`: the extractor for every state-changing form. It refuses an
//! oversized body (413), a missing or wrong CSRF token (403) and malformed
//! input (400) before the handler runs, so a handler never sees any of them.

use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::future::LocalBoxFuture;
use serde::de::DeserializeOwned;

use crate::error::AppError;
use crate::state::AppState;
use crate::web::{csrf, session::TypedSession};

/// The largest form body accepted: far above any real form, far below harm.
pub const MAX_FORM_BYTES: usize = 64 * 1024;

/// A form with one emailed code in it (confirming 2FA, a new email address).
/// A missing code is an empty one, which the code rules count as wrong.
#[derive(serde::Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    pub code: String,
}

/// The value every checkbox of AgentGate's pages sends when ticked.
pub const CHECKED: &str = "on";

/// A checkbox as submitted: ticked only when it sent exactly [`CHECKED`];
/// an absent box, or any other value, is not ticked.
pub fn ticked(value: Option<&str>) -> bool {
    value == Some(CHECKED)
}

/// A form with nothing but its CSRF token (resend, cancel, forget, log out).
#[derive(serde::Deserialize)]
pub struct NoFields {}

/// A urlencoded form whose CSRF token was verified.
pub struct CsrfForm<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for CsrfForm<T> {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<CsrfForm<T>, AppError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let body = web::Bytes::from_request(&req, payload);
        Box::pin(async move {
            let body = body.await.map_err(|e| {
                if e.as_response_error().status_code() == StatusCode::PAYLOAD_TOO_LARGE {
                    AppError::PayloadTooLarge
                } else {
                    AppError::bad_request(crate::i18n::t("validation-form-unreadable"))
                }
            })?;
            let fields = decode_fields(&body)?;
            let state = req.app_data::<web::Data<AppState>>().expect("AppState is registered");
            let session = TypedSession::extract(&req).await.map_err(|_| AppError::CsrfRejected)?;
            // Exactly one token: with two, which one was checked would depend on the reader.
            let tokens: Vec<&str> = fields.iter().filter(|(k, _)| k == "csrf_token").map(|(_, v)| v.as_str()).collect();
            if tokens.len() > 1 {
                return Err(AppError::CsrfRejected);
            }
            let token = tokens.first().copied();
            csrf::verify(state, &req, &session, token)?;
            let value = serde_urlencoded::from_bytes::<T>(&body)
                .map_err(|_| AppError::bad_request(crate::i18n::t("validation-form-malformed")))?;
            Ok(CsrfForm(value))
        })
    }
}

/// Decodes `application/x-www-form-urlencoded`, refusing invalid UTF-8 instead
/// of silently replacing it (serde_urlencoded alone would).
pub fn decode_fields(body: &[u8]) -> Result<Vec<(String, String)>, AppError> {
    let invalid = || AppError::bad_request(crate::i18n::t("validation-form-invalid-text"));
    let text = std::str::from_utf8(body).map_err(|_| invalid())?;
    text.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let decode = |raw: &str| {
                let spaced = raw.replace('+', " ");
                percent_encoding::percent_decode_str(&spaced).decode_utf8().map(|s| s.into_owned()).map_err(|_| invalid())
            };
            Ok((decode(key)?, decode(value)?))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_plus_and_percent_escapes() {
        let fields = decode_fields(b"name=Ada+L%C3%B6velace&csrf_token=abc").unwrap();
        assert_eq!(fields[0], ("name".into(), "Ada Lövelace".into()));
    }

    #[test]
    fn refuses_invalid_utf8() {
        assert!(decode_fields(b"name=%FF%FE").is_err());
        assert!(decode_fields(&[b'n', b'=', 0xff]).is_err());
    }

    proptest::proptest! {
        /// Any bytes: no panic; accepted only if the body is UTF-8, and then
        /// every field is valid text.
        #[test]
        fn any_body_decodes_or_is_refused(body in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..512)) {
            if decode_fields(&body).is_ok() {
                proptest::prop_assert!(std::str::from_utf8(&body).is_ok());
            }
        }

        /// What a browser encodes comes back exactly: names, values, order and
        /// duplicates (the handlers then refuse duplicates), including CR, LF,
        /// NUL, '&', '=', '+' and '%' in values.
        #[test]
        fn encoded_fields_round_trip(fields in proptest::collection::vec((".{0,12}", ".{0,24}"), 0..8)) {
            let body = serde_urlencoded::to_string(&fields).unwrap();
            let decoded = decode_fields(body.as_bytes()).unwrap();
            let expected: Vec<(String, String)> = fields.into_iter().filter(|(k, v)| !(k.is_empty() && v.is_empty())).collect();
            // serde_urlencoded writes "=" for an empty pair; the decoder keeps it as ("", "").
            let decoded: Vec<(String, String)> = decoded.into_iter().filter(|(k, v)| !(k.is_empty() && v.is_empty())).collect();
            proptest::prop_assert_eq!(decoded, expected);
        }
    }
}
