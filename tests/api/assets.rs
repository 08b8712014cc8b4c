//! Front-end speed (issue 22, item 7): static files compressed when the
//! browser accepts it (pages not: BREACH), static files under content-hashed names cached for a
//! year, and a meta description on public pages.

use crate::helpers::{PASSWORD, spawn_app};

/// Every `/static/…` address in a page.
fn static_urls(html: &str) -> Vec<String> {
    html.match_indices("\"/static/")
        .map(|(at, _)| {
            let rest = &html[at + 1..];
            rest[..rest.find('"').unwrap()].to_owned()
        })
        .collect()
}

/// `/static/app.3f9a1c2b.css` → `Some("app.css")`.
fn unhashed(url: &str) -> Option<String> {
    let name = url.strip_prefix("/static/")?;
    let mut parts = name.split('.');
    let (stem, hash, extension) = (parts.next()?, parts.next()?, parts.next()?);
    (parts.next().is_none() && hash.len() == 8 && hash.chars().all(|c| c.is_ascii_hexdigit())).then(|| format!("{stem}.{extension}"))
}

async fn get_encoded(app: &crate::helpers::TestApp, path: &str, accept: &str) -> reqwest::Response {
    app.client.get(app.url(path)).header("accept-encoding", accept).send().await.expect("request sent")
}

#[tokio::test]
async fn pages_link_to_hashed_assets_cached_for_a_year() {
    let app = spawn_app().await;
    let email = app.complete_setup().await;
    let login = app.get("/login").await.text().await.unwrap();
    let urls = static_urls(&login);
    assert!(urls.iter().any(|u| u.ends_with(".css")), "the login page links its stylesheet: {urls:?}");
    for url in &urls {
        assert!(unhashed(url).is_some(), "{url} has a content hash in its name");
    }
    let css_url = urls.iter().find(|u| u.ends_with(".css")).unwrap();
    let css = app.get(css_url).await;
    assert_eq!(css.status(), 200);
    assert_eq!(css.headers()["cache-control"], "public, max-age=31536000, immutable");
    assert!(css.headers()["content-type"].to_str().unwrap().starts_with("text/css"));
    let css_body = css.text().await.unwrap();
    assert!(css_body.contains(".account-menu"), "the stylesheet itself");

    // The plain name still answers, the same bytes with a short cache.
    let plain = app.get("/static/app.css").await;
    assert_eq!(plain.status(), 200);
    let cache = plain.headers()["cache-control"].to_str().unwrap().to_owned();
    assert!(cache.starts_with("public, max-age=") && !cache.contains("immutable") && !cache.contains("31536000"), "{cache}");
    assert_eq!(plain.text().await.unwrap(), css_body);

    // An old hash is not served as if it were the current file.
    assert_eq!(app.get("/static/app.00000000.css").await.status(), 404);

    // Signed in: the top bar's logo and the menu script are hashed too.
    assert_eq!(app.login(&email, PASSWORD).await.status(), 303);
    let home = app.get("/").await.text().await.unwrap();
    let urls = static_urls(&home);
    let script = urls.iter().find(|u| unhashed(u).as_deref() == Some("menu.js")).expect("signed-in pages load menu.js");
    for url in &urls {
        assert!(unhashed(url).is_some(), "{url} has a content hash in its name");
        let response = app.get(url).await;
        assert_eq!(response.status(), 200, "{url}");
        assert_eq!(response.headers()["cache-control"], "public, max-age=31536000, immutable", "{url}");
    }
    let js = app.get(script).await;
    assert!(js.headers()["content-type"].to_str().unwrap().starts_with("text/javascript"));
    assert!(js.text().await.unwrap().contains("Escape"));
    // Anonymous pages have no menu: the login page loads only the passkey script.
    let scripts: Vec<_> = static_urls(&login).into_iter().filter(|u| u.ends_with(".js")).filter_map(|u| unhashed(&u)).collect();
    assert_eq!(scripts, ["passkeys.js"], "the login page runs no other script");
}

#[tokio::test]
async fn static_files_are_compressed_and_pages_with_secrets_are_not() {
    let app = spawn_app().await;
    app.complete_setup().await;
    let css = static_urls(&app.get("/login").await.text().await.unwrap()).into_iter().find(|u| u.ends_with(".css")).unwrap();
    let plain_len = get_encoded(&app, &css, "identity").await.bytes().await.unwrap().len();
    for (accept, expected) in [("br", "br"), ("gzip", "gzip"), ("gzip, deflate, br, zstd", "br")] {
        let response = get_encoded(&app, &css, accept).await;
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers().get("content-encoding").map(|v| v.to_str().unwrap()), Some(expected), "{accept}");
        let vary: Vec<_> = response.headers().get_all("vary").iter().map(|v| v.to_str().unwrap().to_ascii_lowercase()).collect();
        assert!(vary.iter().any(|v| v.contains("accept-encoding")), "Vary: {vary:?}");
        let compressed = response.bytes().await.unwrap().len();
        assert!(compressed * 2 < plain_len, "{accept}: {compressed} bytes of {plain_len}");
    }
    // Pages are compressed too: their CSRF token is masked afresh on each
    // page, so its bytes never repeat for an attacker to find by size (BREACH).
    let login = get_encoded(&app, "/login?next=%2Fagents", "br, gzip").await;
    assert_eq!(login.headers().get("content-encoding").map(|v| v.to_str().unwrap()), Some("br"), "pages are compressed");
    let tokens: Vec<String> = login_page_tokens(&app).await;
    assert_ne!(tokens[0], tokens[1], "the same session's token is masked differently on each page");
    // A page that shows a secret (the authenticator app's key) is not.
    app.login("ada@acme.test", crate::helpers::PASSWORD).await;
    let setup = get_encoded(&app, "/account/authenticator", "br, gzip").await;
    assert_eq!(setup.status(), 200);
    assert_eq!(setup.headers().get("content-encoding").map(|v| v.to_str().unwrap()), Some("identity"), "the key's page is not compressed");
}

/// The CSRF token of two views of the login page, as the pages carry them.
async fn login_page_tokens(app: &crate::helpers::TestApp) -> Vec<String> {
    let mut tokens = Vec::new();
    for _ in 0..2 {
        tokens.push(crate::helpers::csrf_token_in(&app.get("/login").await.text().await.unwrap()).unwrap());
    }
    tokens
}

#[tokio::test]
async fn public_pages_have_a_meta_description() {
    let app = spawn_app().await;
    let setup_link = app.setup_link.clone().expect("a setup link at first start");
    let setup_path = &setup_link[setup_link.find("/setup").unwrap()..];
    let mut pages = vec![setup_path.to_owned()];
    app.complete_setup().await;
    pages.extend(["/login", "/password/forgot", "/password/reset?token=not-a-real-token", "/no-such-page"].map(str::to_owned));
    for page in pages {
        let html = app.get(&page).await.text().await.unwrap();
        let at = html.find("<meta name=\"description\" content=\"").unwrap_or_else(|| panic!("{page} has a meta description"));
        let content = &html[at + 34..];
        let content = &content[..content.find('"').unwrap()];
        assert!(content.len() > 50 && content.contains("AgentGate"), "{page}: {content}");
    }
}
