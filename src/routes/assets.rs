//! Static assets, compiled into the binary (the table and the content-hashed
//! names are in `web::layout`, next to the `asset()` helper templates use).
//!
//! - `/static/app.3f9a1c2b.css` (the hashed name pages link to) is cached for
//!   a year and never revalidated: new bytes get a new name.
//! - `/static/app.css` (the plain name, for old pages and bookmarks) keeps
//!   working with a short cache.
//! - A hashed name whose hash is not the current one answers 404.

use actix_web::http::header;
use actix_web::{HttpResponse, web};

use crate::error::AppError;
use crate::web::layout::STATIC_ASSETS;

/// For content-hashed names: a year, and no revalidation on reload.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// For plain names, whose bytes change with the next release.
pub const SHORT: &str = "public, max-age=300";

pub async fn asset(name: web::Path<String>) -> Result<HttpResponse, AppError> {
    let name = name.as_str();
    let (asset, cache) = if let Some(asset) = STATIC_ASSETS.iter().find(|a| a.hashed_name == name) {
        (asset, IMMUTABLE)
    } else {
        (STATIC_ASSETS.iter().find(|a| a.name == name).ok_or(AppError::NotFound)?, SHORT)
    };
    Ok(HttpResponse::Ok()
        .content_type(asset.content_type)
        .insert_header((header::CACHE_CONTROL, cache))
        .body(asset.body))
}

pub async fn favicon() -> Result<HttpResponse, AppError> {
    asset(web::Path::from("favicon.svg".to_owned())).await
}
