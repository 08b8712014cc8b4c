//! Static assets, compiled into the binary: no file IO per request and no
//! dependence on the working directory.

use actix_web::http::header;
use actix_web::{HttpResponse, web};

use crate::error::AppError;

const ASSETS: &[(&str, &str, &[u8])] = &[
    ("app.css", "text/css; charset=utf-8", include_bytes!("../../static/app.css")),
    ("favicon.svg", "image/svg+xml", include_bytes!("../../static/favicon.svg")),
    ("print.js", "text/javascript; charset=utf-8", include_bytes!("../../static/print.js")),
];

pub async fn asset(name: web::Path<String>) -> Result<HttpResponse, AppError> {
    let (_, content_type, body) = ASSETS.iter().find(|(n, _, _)| *n == name.as_str()).ok_or(AppError::NotFound)?;
    Ok(HttpResponse::Ok()
        .content_type(*content_type)
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(*body))
}

pub async fn favicon() -> Result<HttpResponse, AppError> {
    asset(web::Path::from("favicon.svg".to_owned())).await
}
