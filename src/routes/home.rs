use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::error::AppError;
use crate::routes::notice_text;
use crate::web::{Layout, SignedIn, render};

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    layout: Layout,
    name: String,
    email: String,
    role: &'static str,
    company: String,
    is_admin: bool,
}

#[derive(Deserialize)]
pub struct NoticeQuery {
    notice: Option<String>,
}

/// `GET /`: who is signed in, their role, and where to go next.
pub async fn home(signed_in: SignedIn, query: web::Query<NoticeQuery>) -> Result<HttpResponse, AppError> {
    let agent = &signed_in.agent;
    let page = HomePage {
        layout: Layout::signed_in("Home", &signed_in, "home").with_notice(notice_text(query.notice.as_deref())),
        name: agent.name.clone(),
        email: agent.email.clone(),
        role: agent.role().label(),
        company: signed_in.company.name.clone(),
        is_admin: agent.is_admin(),
    };
    render(&page)
}
