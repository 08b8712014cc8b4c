//! The accessibility checks every page must pass, run inside the browser:
//! every form field has a label, and axe-core (from npm, see the README)
//! reports no serious or critical violation.

use std::path::PathBuf;
use std::sync::OnceLock;

use serde_json::Value;

use super::harness::Browser;

/// Where axe-core is read from: `$AXE_CORE_JS`, else `node_modules/axe-core/axe.min.js`.
fn axe_path() -> PathBuf {
    match std::env::var_os("AXE_CORE_JS") {
        Some(path) => PathBuf::from(path),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("node_modules/axe-core/axe.min.js"),
    }
}

fn axe_source() -> &'static str {
    static SOURCE: OnceLock<String> = OnceLock::new();
    SOURCE.get_or_init(|| {
        let path = axe_path();
        std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "the accessibility audit needs axe-core at {}: {e}. Run `scripts/setup-browser-tests` \
                 (it runs `npm ci`, which installs the version pinned in package-lock.json).",
                path.display()
            )
        })
    })
}

const UNLABELLED_FIELDS: &str = r#"
    const unlabelled = [];
    for (const field of document.querySelectorAll("input, select, textarea")) {
        if (field.type === "hidden") continue;
        const hasLabel = Array.from(field.labels || []).some(label => label.textContent.trim() !== "");
        if (!hasLabel && !field.getAttribute("aria-label") && !field.getAttribute("aria-labelledby")) {
            unlabelled.push(field.outerHTML);
        }
    }
    return unlabelled;
"#;

const RUN_AXE: &str = r#"
    const done = arguments[arguments.length - 1];
    axe.run(document, { resultTypes: ["violations"] })
        .then(result => done(result.violations.map(v => ({
            id: v.id,
            impact: v.impact,
            help: v.help,
            nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + ": " + n.failureSummary),
        }))))
        .catch(error => done({ error: String(error) }));
"#;

impl Browser {
    /// Fails unless the page shown now passes every accessibility check:
    /// [`Browser::assert_fields_labelled`] and [`Browser::assert_axe_clean`].
    pub async fn assert_accessible(&self) {
        self.assert_fields_labelled().await;
        self.assert_axe_clean().await;
    }

    /// Every visible form field has a label with words in it (or an ARIA name).
    pub async fn assert_fields_labelled(&self) {
        let unlabelled = self.client().execute(UNLABELLED_FIELDS, vec![]).await.expect("label check");
        let unlabelled = unlabelled.as_array().cloned().unwrap_or_default();
        assert!(unlabelled.is_empty(), "{} has fields without a label: {unlabelled:#?}", self.path().await);
    }

    /// axe-core finds no serious or critical violation on the page. Lesser
    /// findings are printed (visible with `--no-capture`) but do not fail.
    pub async fn assert_axe_clean(&self) {
        let script = format!("{}\n;{RUN_AXE}", axe_source());
        let result = self.client().execute_async(&script, vec![]).await.expect("axe-core runs");
        let path = self.path().await;
        if let Some(error) = result.get("error") {
            panic!("axe-core failed on {path}: {error}");
        }
        let violations = result.as_array().cloned().unwrap_or_default();
        let (blocking, minor): (Vec<Value>, Vec<Value>) = violations
            .into_iter()
            .partition(|v| matches!(v["impact"].as_str(), Some("serious") | Some("critical")));
        for finding in &minor {
            eprintln!("axe ({path}), {}: {} {}", finding["impact"], finding["id"], finding["help"]);
        }
        assert!(blocking.is_empty(), "axe-core found serious or critical problems on {path}:\n{}", describe(&blocking));
    }
}

fn describe(violations: &[Value]) -> String {
    violations
        .iter()
        .map(|v| {
            let nodes: Vec<String> = v["nodes"].as_array().into_iter().flatten().map(|n| format!("    - {}", n.as_str().unwrap_or(""))).collect();
            format!("  [{}] {}: {}\n{}", v["impact"].as_str().unwrap_or("?"), v["id"].as_str().unwrap_or("?"), v["help"].as_str().unwrap_or(""), nodes.join("\n"))
        })
        .collect::<Vec<_>>()
        .join("\n")
}
