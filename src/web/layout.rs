//! What the shared page frame (templates/base.html) needs, and rendering.

use actix_web::HttpResponse;
use askama::Template;

use crate::domain::PersonName;
use crate::error::AppError;
use crate::web::guards::SignedIn;

/// The signed-in agent as the top bar shows them.
pub struct UserMenu {
    pub name: String,
    pub initials: String,
    pub is_admin: bool,
    pub company_name: String,
}

/// The frame around every page: title, top bar, notice, and the CSRF token
/// that the Log out button needs.
pub struct Layout {
    pub title: String,
    pub user: Option<UserMenu>,
    pub csrf_token: String,
    pub notice: Option<String>,
    /// Which tab of the top bar is current ("home", "agents", "account").
    pub current: &'static str,
}

impl Layout {
    /// The frame of a page for anonymous visitors.
    pub fn anonymous(title: impl Into<String>, csrf_token: String) -> Layout {
        Layout { title: title.into(), user: None, csrf_token, notice: None, current: "" }
    }

    /// The frame of a signed-in page.
    pub fn signed_in(title: impl Into<String>, signed_in: &SignedIn, current: &'static str) -> Layout {
        let agent = &signed_in.agent;
        Layout {
            title: title.into(),
            user: Some(UserMenu {
                name: agent.name.clone(),
                initials: PersonName::initials(&agent.name),
                is_admin: agent.is_admin(),
                company_name: signed_in.company.name.clone(),
            }),
            csrf_token: signed_in.session.csrf_token().unwrap_or_default(),
            notice: None,
            current,
        }
    }

    pub fn with_notice(mut self, notice: Option<String>) -> Layout {
        self.notice = notice;
        self
    }
}

/// Renders a page with status 200.
pub fn render(page: &impl Template) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().content_type("text/html; charset=utf-8").body(page.render()?))
}

/// Renders a page with another status (a form shown again with its errors: 422 or 400).
pub fn render_with_status(status: actix_web::http::StatusCode, page: &impl Template) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::build(status).content_type("text/html; charset=utf-8").body(page.render()?))
}
