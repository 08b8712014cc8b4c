//! The browser harness: Debian's `chromium` driven through `chromedriver`
//! (WebDriver) by `fantoccini`, against the real app from `spawn_app()`.
//!
//! - Nothing is downloaded: the binaries come from `apt-get install chromium
//!   chromium-driver`. When they are missing the test FAILS with a message
//!   saying so; it never skips.
//! - Each test starts its own `chromedriver` on a free port and stops it at the
//!   end; each browser profile gets a fresh `--user-data-dir`.
//! - One browser test runs at a time on the machine (a lock file shared by
//!   every test process; nextest also groups these tests, see
//!   `.config/nextest.toml`), so a 2-core machine never runs ten Chromiums.
//! - Every wait polls with a generous deadline ([`TIMEOUT`]); nothing sleeps
//!   for a fixed time hoping the page is ready.
//! - The page each browser ends on is saved as `target/screenshots/NAME.png`,
//!   also when the test fails.

use std::fs::{File, OpenOptions};
use std::future::Future;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::elements::Element;
use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

use crate::helpers::TestApp;

/// How long any wait in a browser test may take before the test fails. Long,
/// because a loaded 2-core machine can be slow; waits end as soon as the page is ready.
pub const TIMEOUT: Duration = Duration::from_secs(60);

/// How often a wait looks again.
const POLL: Duration = Duration::from_millis(100);

/// The default window: a laptop screen.
pub const DESKTOP: (u32, u32) = (1280, 900);

const INSTALL_HINT: &str = "Browser tests need Debian's Chromium and its WebDriver: \
    run `apt-get install chromium chromium-driver` (or set CHROMIUM and CHROMEDRIVER to their paths). \
    `scripts/test` installs them (scripts/setup-browser-tests); see the README, section \"Browser tests\".";

/// Runs one browser test: takes the machine's browser slot, starts
/// chromedriver and a fresh Chromium profile, runs `body` with it, saves a
/// screenshot of the page every browser of the test ends on (as
/// `target/screenshots/NAME.png`, even when `body` panics), then closes the
/// browsers, stops chromedriver and re-raises any panic of `body`.
///
/// ```ignore
/// #[tokio::test]
/// async fn an_agent_logs_in() {
///     browser_test("an_agent_logs_in", |browser| async move {
///         let app = spawn_app().await;
///         let email = app.complete_setup().await;
///         browser.log_in(&app, &email, PASSWORD).await;
///         browser.wait_for_text("h1", "Welcome, Ada Admin").await;
///         browser.assert_accessible().await;
///     })
///     .await;
/// }
/// ```
pub async fn browser_test<F, Fut>(name: &str, body: F)
where
    F: FnOnce(Browser) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    browser_test_in_language(name, "en-US", body).await
}

/// [`browser_test`] with a browser whose language (its menus and its
/// `Accept-Language`) is `language` ("pl").
pub async fn browser_test_in_language<F, Fut>(name: &str, language: &str, body: F)
where
    F: FnOnce(Browser) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let _slot = BrowserSlot::acquire().await;
    let driver = Arc::new(Driver::start().await);
    let browser = driver.clone().open_profile(name.to_owned(), language).await;
    let outcome = tokio::spawn(body(browser)).await;
    driver.screenshot_and_close_all().await;
    drop(driver);
    if let Err(error) = outcome {
        match error.try_into_panic() {
            Ok(panic) => std::panic::resume_unwind(panic),
            Err(error) => panic!("the browser test did not finish: {error}"),
        }
    }
}

/// One Chromium profile (a user with their own cookies), driven by WebDriver.
/// Cheap to clone: clones drive the same window.
#[derive(Clone)]
pub struct Browser {
    client: Client,
    driver: Arc<Driver>,
    /// The test's name, and the screenshot's file name.
    pub name: String,
}

impl Browser {
    /// A second, independent browser profile in the same test (another
    /// computer, as far as the app can tell: no shared cookies). Its final page
    /// is saved as `target/screenshots/NAME-LABEL.png`.
    pub async fn another_profile(&self, label: &str) -> Browser {
        self.driver.clone().open_profile(format!("{}-{label}", self.name), "en-US").await
    }

    /// The underlying WebDriver client, for anything the helpers below do not cover.
    pub fn client(&self) -> &Client {
        &self.client
    }

    // ---- navigation -------------------------------------------------------

    /// Opens `path` of the app and waits until the page has loaded.
    pub async fn visit(&self, app: &TestApp, path: &str) {
        let url = app.url(path);
        self.client.goto(&url).await.unwrap_or_else(|e| panic!("opening {url}: {e}"));
        self.wait_for_load().await;
    }

    /// The path (and query) of the page shown now.
    pub async fn path(&self) -> String {
        let url = self.client.current_url().await.expect("current URL");
        match url.query() {
            Some(query) => format!("{}?{query}", url.path()),
            None => url.path().to_owned(),
        }
    }

    /// Waits until the browser shows `path` (query ignored) and the page has loaded.
    pub async fn wait_for_path(&self, path: &str) {
        let last = Mutex::new(String::new());
        let found = self
            .poll(|| async {
                let url = self.client.current_url().await.ok()?;
                *last.lock().unwrap() = url.path().to_owned();
                (url.path() == path).then_some(())
            })
            .await;
        if found.is_none() {
            panic!("waited {TIMEOUT:?} for the browser to reach {path}, it is still on {}", last.lock().unwrap());
        }
        self.wait_for_load().await;
    }

    /// The page's `<title>`.
    pub async fn title(&self) -> String {
        self.client.title().await.expect("page title")
    }

    // ---- finding and reading ---------------------------------------------

    /// Waits for an element matching the CSS `selector` and returns it.
    pub async fn find(&self, selector: &str) -> Element {
        match self.poll(|| async { self.client.find(Locator::Css(selector)).await.ok() }).await {
            Some(element) => element,
            None => panic!("waited {TIMEOUT:?} for `{selector}` on {}", self.path().await),
        }
    }

    /// Whether an element matching `selector` is on the page now (no waiting).
    pub async fn exists(&self, selector: &str) -> bool {
        !self.client.find_all(Locator::Css(selector)).await.expect("find_all").is_empty()
    }

    /// Waits until an element matching `selector` shows `text` (a substring of
    /// its visible text) and returns that visible text.
    pub async fn wait_for_text(&self, selector: &str, text: &str) -> String {
        let seen = Mutex::new(String::new());
        let found = self
            .poll(|| async {
                for element in self.client.find_all(Locator::Css(selector)).await.ok()? {
                    let shown = element.text().await.unwrap_or_default();
                    if shown.contains(text) {
                        return Some(shown);
                    }
                    *seen.lock().unwrap() = shown;
                }
                None
            })
            .await;
        match found {
            Some(shown) => shown,
            None => panic!(
                "waited {TIMEOUT:?} for `{selector}` to show {text:?} on {}; last seen: {:?}",
                self.path().await,
                seen.lock().unwrap()
            ),
        }
    }

    /// The visible text of the first element matching `selector` (waits for it).
    pub async fn text(&self, selector: &str) -> String {
        self.find(selector).await.text().await.expect("element text")
    }

    /// The current value of the form field matching `selector`.
    pub async fn value(&self, selector: &str) -> String {
        self.find(selector).await.prop("value").await.expect("value").unwrap_or_default()
    }

    /// Waits until an element matching `selector` is displayed (rendered and visible).
    pub async fn wait_until_visible(&self, selector: &str) -> Element {
        let element = self.find(selector).await;
        if self.poll(|| async { element.is_displayed().await.ok()?.then_some(()) }).await.is_none() {
            panic!("waited {TIMEOUT:?} for `{selector}` to become visible on {}", self.path().await);
        }
        element
    }

    // ---- acting with the mouse -------------------------------------------

    /// Replaces the value of the field matching `selector` with `text`, typing it.
    pub async fn fill(&self, selector: &str, text: &str) {
        let field = self.find(selector).await;
        field.clear().await.unwrap_or_else(|e| panic!("clearing `{selector}`: {e}"));
        field.send_keys(text).await.unwrap_or_else(|e| panic!("typing into `{selector}`: {e}"));
    }

    /// Clicks the element matching `selector`.
    pub async fn click(&self, selector: &str) {
        let element = self.wait_until_visible(selector).await;
        element.click().await.unwrap_or_else(|e| panic!("clicking `{selector}`: {e}"));
    }

    /// Clicks the button or link whose visible text is exactly `label`
    /// (the words the user reads, e.g. "Log In", "Update").
    pub async fn click_on(&self, label: &str) {
        let xpath = format!(
            "//*[(self::button or self::a or self::summary or (self::input and (@type='submit' or @type='button')))\
             and (normalize-space(.)={0} or @value={0})]",
            xpath_literal(label)
        );
        let element = self.poll(|| async {
            for element in self.client.find_all(Locator::XPath(&xpath)).await.ok()? {
                if element.is_displayed().await.ok()? {
                    return Some(element);
                }
            }
            None
        });
        match element.await {
            Some(element) => element.click().await.unwrap_or_else(|e| panic!("clicking {label:?}: {e}")),
            None => panic!("waited {TIMEOUT:?} for a visible button or link {label:?} on {}", self.path().await),
        }
    }

    /// Clicks the button or link `label` (see [`Browser::click_on`]) that
    /// loads another page, and waits until that new page has loaded.
    pub async fn click_and_load(&self, label: &str) {
        self.mark_page().await;
        self.click_on(label).await;
        self.wait_for_new_page().await;
    }

    /// Marks the document shown now, so that [`Browser::wait_for_new_page`]
    /// can tell when another one has replaced it.
    pub async fn mark_page(&self) {
        self.client.execute("window.__agentgateOldPage = true", vec![]).await.expect("marking the page");
    }

    /// Waits until the document marked by [`Browser::mark_page`] has been
    /// replaced by a new one and that one has loaded.
    pub async fn wait_for_new_page(&self) {
        let script = "return window.__agentgateOldPage !== true && document.readyState === 'complete'";
        // While the browser navigates, scripts may fail: that counts as "not yet".
        let loaded = self.poll(|| async { (self.client.execute(script, vec![]).await.ok()? == Value::Bool(true)).then_some(()) }).await;
        if loaded.is_none() {
            panic!("waited {TIMEOUT:?} for a new page after {}", self.path().await);
        }
    }

    // ---- acting with the keyboard ----------------------------------------

    /// Presses and releases one key on whatever has the focus, as a user would.
    pub async fn press(&self, key: Key) {
        let code = key.chars().next().expect("a key code");
        self.press_chars(&[code]).await;
    }

    /// Presses a key that loads another page (Enter on a link or a form) and
    /// waits until the new page has loaded.
    pub async fn press_and_load(&self, key: Key) {
        self.mark_page().await;
        self.press(key).await;
        self.wait_for_new_page().await;
    }

    /// Types `text` into whatever has the focus, key by key.
    pub async fn type_text(&self, text: &str) {
        let chars: Vec<char> = text.chars().collect();
        self.press_chars(&chars).await;
    }

    async fn press_chars(&self, chars: &[char]) {
        let mut keys = KeyActions::new("keyboard".to_owned());
        for &value in chars {
            keys = keys.then(KeyAction::Down { value }).then(KeyAction::Up { value });
        }
        self.client.perform_actions(keys).await.expect("key presses");
    }

    /// A short description of the element that has the focus, e.g.
    /// `input#email`, `summary "AA"`, `a "Account Setting"`, `button "Log out"`.
    pub async fn focused(&self) -> String {
        let script = r##"
            const el = document.activeElement;
            if (!el || el === document.body) return "body";
            const tag = el.tagName.toLowerCase();
            if (el.id) return tag + "#" + el.id;
            return tag + ' "' + (el.innerText || el.value || "").trim() + '"';
        "##;
        self.client.execute(script, vec![]).await.expect("active element").as_str().unwrap_or_default().to_owned()
    }

    /// Presses Tab until the focused element's description (see
    /// [`Browser::focused`]) equals `target`; fails after 30 presses.
    pub async fn tab_to(&self, target: &str) {
        let mut visited = Vec::new();
        for _ in 0..30 {
            self.press(Key::Tab).await;
            let now = self.focused().await;
            if now == target {
                return;
            }
            visited.push(now);
        }
        panic!("Tab never reached {target} on {}; focus went through {visited:?}", self.path().await);
    }

    /// Whether the focused element draws a visible focus indicator (an
    /// outline or a box shadow), so keyboard users see where they are.
    pub async fn focus_is_visible(&self) -> bool {
        let script = r#"
            const style = getComputedStyle(document.activeElement);
            const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
            return outline || style.boxShadow !== "none";
        "#;
        self.client.execute(script, vec![]).await.expect("focus style").as_bool().unwrap_or(false)
    }

    // ---- the window and screenshots ----------------------------------------

    /// Resizes the viewport (the page area, without browser chrome) to `width` × `height` CSS pixels.
    pub async fn resize(&self, width: u32, height: u32) {
        self.client.set_window_size(width, height).await.expect("window size");
        // Headless windows may add a frame; correct by what the page reports.
        let inner = self.client.execute("return [window.innerWidth, window.innerHeight]", vec![]).await.expect("viewport");
        let (w, h) = (inner[0].as_u64().unwrap_or(width as u64) as u32, inner[1].as_u64().unwrap_or(height as u64) as u32);
        if (w, h) != (width, height) {
            self.client
                .set_window_size(width + width.saturating_sub(w), height + height.saturating_sub(h))
                .await
                .expect("window size");
        }
    }

    /// Makes the viewport `width` wide and tall enough to show the whole page (for screenshots).
    pub async fn fit_to_page(&self, width: u32) {
        self.resize(width, 600).await;
        let height = self
            .client
            .execute("return Math.ceil(document.documentElement.scrollHeight)", vec![])
            .await
            .expect("page height")
            .as_u64()
            .unwrap_or(900) as u32;
        self.resize(width, height.clamp(400, 4000)).await;
    }

    /// The page's content is no wider than the viewport (no sideways scrolling).
    pub async fn assert_no_horizontal_scroll(&self) {
        let widths = self
            .client
            .execute("return [document.documentElement.scrollWidth, document.documentElement.clientWidth]", vec![])
            .await
            .expect("page widths");
        let (scroll, client) = (widths[0].as_u64().unwrap_or(0), widths[1].as_u64().unwrap_or(0));
        assert!(scroll <= client, "{} scrolls sideways: content {scroll}px wide in a {client}px viewport", self.path().await);
    }

    /// Saves a PNG of the viewport to `path` (its folder is created).
    pub async fn save_screenshot_to(&self, path: &Path) {
        let png = self.client.screenshot().await.unwrap_or_else(|e| panic!("screenshot: {e}"));
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).expect("screenshot folder");
        }
        std::fs::write(path, png).unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
    }

    /// Saves a PNG of the viewport as `target/screenshots/NAME.png`.
    pub async fn screenshot(&self, name: &str) {
        self.save_screenshot_to(&screenshot_dir().join(format!("{name}.png"))).await;
    }

    // ---- internals -----------------------------------------------------------

    /// Waits for the document to finish loading (after a click that navigates).
    async fn wait_for_load(&self) {
        let ready = self
            .poll(|| async {
                let state = self.client.execute("return document.readyState", vec![]).await.ok()?;
                (state == "complete").then_some(())
            })
            .await;
        assert!(ready.is_some(), "the page did not finish loading within {TIMEOUT:?}");
    }

    /// Calls `check` until it returns `Some` or [`TIMEOUT`] passes.
    pub async fn poll<T, F, Fut>(&self, mut check: F) -> Option<T>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Option<T>>,
    {
        let started = Instant::now();
        loop {
            if let Some(value) = check().await {
                return Some(value);
            }
            if started.elapsed() > TIMEOUT {
                return None;
            }
            tokio::time::sleep(POLL).await;
        }
    }
}

/// `text` as an XPath string literal, whatever quotes it holds.
fn xpath_literal(text: &str) -> String {
    if !text.contains('"') {
        format!("\"{text}\"")
    } else if !text.contains('\'') {
        format!("'{text}'")
    } else {
        let parts: Vec<String> = text.split('"').map(|part| format!("\"{part}\"")).collect();
        format!("concat({})", parts.join(", '\"', "))
    }
}

/// Where test screenshots go: `target/screenshots/` in the project.
pub fn screenshot_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target").join("screenshots")
}

/// A running chromedriver and the browser sessions opened through it.
struct Driver {
    process: Mutex<Option<Child>>,
    url: String,
    chromium: PathBuf,
    /// Profiles and the chromedriver log; removed when the test ends.
    dir: tempfile::TempDir,
    sessions: Mutex<Vec<(String, Client)>>,
}

impl Driver {
    async fn start() -> Driver {
        let chromedriver = program("CHROMEDRIVER", "chromedriver");
        let chromium = program("CHROMIUM", "chromium");
        for _attempt in 0..3 {
            let dir = tempfile::Builder::new().prefix("agentgate-browser-").tempdir().expect("temp dir");
            let port = free_port();
            let child = Command::new(&chromedriver)
                .arg(format!("--port={port}"))
                .arg(format!("--log-path={}", dir.path().join("chromedriver.log").display()))
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap_or_else(|e| panic!("starting {}: {e}. {INSTALL_HINT}", chromedriver.display()));
            let driver = Driver {
                process: Mutex::new(Some(child)),
                url: format!("http://127.0.0.1:{port}"),
                chromium: chromium.clone(),
                dir,
                sessions: Mutex::new(Vec::new()),
            };
            if driver.wait_until_ready().await {
                return driver;
            }
            // Most likely another process took the port first: dropping the
            // driver stops it, and the next attempt picks another port.
            eprintln!("chromedriver exited on port {port}:\n{}", driver.log_tail());
        }
        panic!("chromedriver would not start. {INSTALL_HINT}")
    }

    /// Polls chromedriver's `/status` until it answers ready; false if it exited.
    async fn wait_until_ready(&self) -> bool {
        let client = reqwest::Client::new();
        let started = Instant::now();
        while started.elapsed() < TIMEOUT {
            if let Some(child) = self.process.lock().unwrap().as_mut()
                && let Ok(Some(_)) = child.try_wait() {
                    return false;
                }
            if let Ok(response) = client.get(format!("{}/status", self.url)).send().await
                && let Ok(status) = response.text().await.map(|body| serde_json::from_str::<Value>(&body).unwrap_or_default())
                    && status["value"]["ready"] == json!(true) {
                        return true;
                    }
            tokio::time::sleep(POLL).await;
        }
        panic!("chromedriver did not answer within {TIMEOUT:?}. {INSTALL_HINT}")
    }

    async fn open_profile(self: Arc<Driver>, name: String, language: &str) -> Browser {
        let profile = self.dir.path().join(format!("profile-{}", self.sessions.lock().unwrap().len()));
        let args = [
            "--headless".to_owned(),
            "--no-sandbox".to_owned(),
            "--disable-gpu".to_owned(),
            "--disable-background-networking".to_owned(),
            "--disable-quic".to_owned(),
            "--no-first-run".to_owned(),
            "--no-default-browser-check".to_owned(),
            "--disable-component-update".to_owned(),
            "--disable-sync".to_owned(),
            "--disable-dev-shm-usage".to_owned(),
            "--password-store=basic".to_owned(),
            "--force-color-profile=srgb".to_owned(),
            "--hide-scrollbars".to_owned(),
            format!("--lang={language}"),
            format!("--accept-lang={language}"),
            format!("--window-size={},{}", DESKTOP.0, DESKTOP.1),
            format!("--user-data-dir={}", profile.display()),
        ];
        let capabilities = json!({
            "browserName": "chrome",
            "pageLoadStrategy": "normal",
            "timeouts": { "implicit": 0, "pageLoad": TIMEOUT.as_millis() as u64, "script": TIMEOUT.as_millis() as u64 },
            "goog:chromeOptions": {
                "binary": self.chromium,
                "args": args,
                "prefs": { "credentials_enable_service": false, "profile.password_manager_enabled": false, "intl.accept_languages": language },
            },
        });
        let Value::Object(capabilities) = capabilities else { unreachable!() };
        let mut builder = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new());
        builder.capabilities(capabilities);
        let client = match tokio::time::timeout(TIMEOUT * 2, builder.connect(&self.url)).await {
            Ok(Ok(client)) => client,
            Ok(Err(e)) => panic!("Chromium did not start: {e}\nchromedriver log:\n{}\n{INSTALL_HINT}", self.log_tail()),
            Err(_) => panic!("Chromium did not start within {:?}", TIMEOUT * 2),
        };
        self.sessions.lock().unwrap().push((name.clone(), client.clone()));
        let browser = Browser { client, driver: self, name };
        browser.resize(DESKTOP.0, DESKTOP.1).await;
        browser
    }

    /// Saves each browser's last page as a screenshot, then ends the sessions.
    async fn screenshot_and_close_all(&self) {
        let sessions: Vec<(String, Client)> = std::mem::take(&mut *self.sessions.lock().unwrap());
        for (name, client) in sessions {
            let path = screenshot_dir().join(format!("{name}.png"));
            match client.screenshot().await {
                Ok(png) => {
                    let _ = std::fs::create_dir_all(screenshot_dir());
                    if let Err(e) = std::fs::write(&path, png) {
                        eprintln!("could not save {}: {e}", path.display());
                    }
                }
                Err(e) => eprintln!("could not take the final screenshot of {name}: {e}"),
            }
            let _ = client.close().await;
        }
    }

    fn log_tail(&self) -> String {
        let log = std::fs::read_to_string(self.dir.path().join("chromedriver.log")).unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        lines[lines.len().saturating_sub(40)..].join("\n")
    }

    fn kill(&self) {
        if let Some(mut child) = self.process.lock().unwrap().take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        self.kill();
    }
}

/// The path of a browser program: `$ENV_VAR` if set, else `name` on the PATH.
fn program(env_var: &str, name: &str) -> PathBuf {
    if let Some(path) = std::env::var_os(env_var) {
        let path = PathBuf::from(path);
        assert!(path.is_file(), "{env_var}={} does not exist. {INSTALL_HINT}", path.display());
        return path;
    }
    let search = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&search)
        .chain([PathBuf::from("/usr/bin")])
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
        .unwrap_or_else(|| panic!("`{name}` was not found. {INSTALL_HINT}"))
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port()
}

/// The machine-wide right to run a browser test: an exclusive lock on a file
/// in the temp folder, held until the test ends. It works across nextest's
/// test processes and across threads of `cargo test`.
struct BrowserSlot(#[expect(dead_code, reason = "held for its lock")] File);

impl BrowserSlot {
    async fn acquire() -> BrowserSlot {
        let path = std::env::temp_dir().join("agentgate-browser-tests.lock");
        tokio::task::spawn_blocking(move || {
            let file = OpenOptions::new().create(true).truncate(false).write(true).open(&path).expect("browser lock file");
            rustix::fs::flock(&file, rustix::fs::FlockOperation::LockExclusive).expect("browser lock");
            BrowserSlot(file)
        })
        .await
        .expect("browser lock task")
    }
}
