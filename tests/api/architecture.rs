//! The module structure of `src/` (docs/ARCHITECTURE.md): no cycle between
//! the top-level modules, nor between the sibling files of one folder, and
//! every edge between top-level modules points down the layers.
//!
//! The edges are read from the source the way `cargo modules dependencies`
//! reports "uses": every `use crate::…` / `use super::…` item and every
//! inline `crate::…` / `super::…` path, resolved to the deepest module it
//! names. An edge between a module and its own parent or child (re-exports,
//! `mod` items, `super::*` in tests) does not count.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The layers, top first. A top-level module may use only modules of a
/// lower layer (a larger number); the modules of the bottom layer use none
/// of each other's in a cycle.
const LAYERS: &[(&str, u8)] = &[
    ("main", 0),
    ("cli", 0),
    ("startup", 1),
    ("routes", 2),
    ("web", 3),
    ("state", 4),
    ("agents", 5),
    ("auth", 6),
    ("mail", 7),
    ("audit", 8),
    ("db", 9),
    ("config", 10),
    ("crypto", 10),
    ("clock", 10),
    ("domain", 10),
    ("error", 10),
    ("i18n", 10),
    ("metrics", 10),
];

type Module = Vec<String>;

/// The module path of a source file below `root` (`auth/login.rs` is `auth::login`).
fn module_of(root: &Path, file: &Path) -> Module {
    let relative = file.strip_prefix(root).unwrap().with_extension("");
    let mut parts: Module = relative.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib" | "main")) && parts.len() > 1 {
        parts.pop();
    } else if parts == ["lib"] {
        parts.clear();
    }
    parts
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The source without comments, string and character literals, so a path
/// in a doc comment or a message is not an edge.
fn code_only(source: &str) -> String {
    let chars: Vec<char> = source.chars().collect();
    let mut out = String::with_capacity(source.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            out.push(' ');
        } else if c == 'r' && (next == Some('"') || (next == Some('#') && chars.get(i + 2).is_some_and(|c| *c == '"' || *c == '#')))
            && (i == 0 || !(chars[i - 1].is_alphanumeric() || chars[i - 1] == '_'))
        {
            // A raw string: r"…", r#"…"#.
            let mut j = i + 1;
            let mut hashes = 0;
            while chars.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            j += 1;
            loop {
                if j >= chars.len() {
                    break;
                }
                if chars[j] == '"' && (0..hashes).all(|k| chars.get(j + 1 + k) == Some(&'#')) {
                    j += 1 + hashes;
                    break;
                }
                j += 1;
            }
            i = j;
            out.push_str("\"\"");
        } else if c == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
            out.push_str("\"\"");
        } else if c == '\'' {
            // A character literal ('x', '\n', '\u{1F600}'), or a lifetime.
            if next == Some('\\') {
                i += 2;
                while i < chars.len() && chars[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if chars.get(i + 2) == Some(&'\'') {
                i += 3;
            } else {
                out.push(c);
                i += 1;
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// Splits a `use` tree (`a::{b, c::{d, e}}`) into its paths.
fn use_paths(tree: &str) -> Vec<Vec<String>> {
    let tree = tree.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut paths = Vec::new();
    expand(&[], &tree, &mut paths);
    paths
}

fn expand(prefix: &[String], tree: &str, out: &mut Vec<Vec<String>>) {
    if let Some(open) = tree.find('{') {
        let base: Vec<String> = prefix.iter().cloned().chain(segments(tree[..open].trim().trim_end_matches("::"))).collect();
        let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
        let mut depth = 0;
        let mut start = 0;
        for (i, c) in inner.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    expand(&base, &inner[start..i], out);
                    start = i + 1;
                }
                _ => {}
            }
        }
        expand(&base, &inner[start..], out);
        if inner.trim().is_empty() {
            out.push(base);
        }
    } else {
        let path = tree.trim().split(" as ").next().unwrap_or_default();
        out.push(prefix.iter().cloned().chain(segments(path)).collect());
    }
}

fn segments(path: &str) -> impl Iterator<Item = String> + '_ {
    path.split("::").map(str::trim).filter(|s| !s.is_empty() && *s != "*").map(str::to_owned)
}

/// The module edges of the crate below `root`: module → the modules it uses.
fn module_edges(root: &Path) -> BTreeMap<Module, BTreeSet<Module>> {
    let mut files = Vec::new();
    rust_files(root, &mut files);
    let sources: BTreeMap<Module, String> =
        files.iter().map(|f| (module_of(root, f), code_only(&std::fs::read_to_string(f).unwrap()))).collect();
    let modules: BTreeSet<&Module> = sources.keys().collect();
    let resolve = |path: Vec<String>| -> Option<Module> {
        (1..=path.len()).rev().map(|n| path[..n].to_vec()).find(|candidate| modules.contains(candidate))
    };
    let mut edges: BTreeMap<Module, BTreeSet<Module>> = BTreeMap::new();
    for (module, code) in &sources {
        let mut paths: Vec<(String, Vec<String>)> = Vec::new();
        let mut rest = code.as_str();
        // `use` items first (their trees), then inline paths in what is left.
        let mut without_uses = String::new();
        while let Some(at) = find_use(rest) {
            without_uses.push_str(&rest[..at]);
            let end = rest[at..].find(';').map_or(rest.len(), |e| at + e);
            let item = rest[at..end].trim_start_matches("use").trim();
            for kind in ["crate::", "super::", "self::"] {
                if let Some(tree) = item.strip_prefix(kind) {
                    for path in use_paths(tree) {
                        paths.push((kind.to_owned(), path));
                    }
                }
            }
            rest = &rest[(end + 1).min(rest.len())..];
        }
        without_uses.push_str(rest);
        for kind in ["crate::", "super::"] {
            let mut from = 0;
            while let Some(at) = without_uses[from..].find(kind) {
                let start = from + at;
                let before = without_uses[..start].chars().last();
                from = start + kind.len();
                if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                    continue;
                }
                let path: String = without_uses[from..].chars().take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':').collect();
                paths.push((kind.to_owned(), segments(&path).collect()));
            }
        }
        for (kind, path) in paths {
            let full: Vec<String> = match kind.as_str() {
                "crate::" => path,
                "super::" => module[..module.len().saturating_sub(1)].iter().cloned().chain(path).collect(),
                _ => module.iter().cloned().chain(path).collect(),
            };
            if let Some(target) = resolve(full)
                && &target != module {
                    edges.entry(module.clone()).or_default().insert(target);
                }
        }
    }
    edges
}

/// The start of the next `use` item (`use` or `pub use`, `pub(crate) use`).
fn find_use(code: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(at) = code[from..].find("use ") {
        let start = from + at;
        let before = code[..start].chars().last();
        if before.is_none_or(|c| c.is_whitespace() || c == ';' || c == '{' || c == '}' || c == ')') {
            return Some(start);
        }
        from = start + 4;
    }
    None
}

/// Module edges collapsed to siblings: `a::x → b::y` is `a → b` at the top,
/// `auth::login::… → auth::codes` is `auth::login → auth::codes` in `auth`.
/// Edges between a module and its ancestor do not count.
fn sibling_edges(edges: &BTreeMap<Module, BTreeSet<Module>>) -> BTreeSet<(Module, Module)> {
    let mut out = BTreeSet::new();
    for (from, targets) in edges {
        for to in targets {
            let shared = from.iter().zip(to).take_while(|(a, b)| a == b).count();
            if shared == from.len() || shared == to.len() {
                continue;
            }
            out.insert((from[..=shared].to_vec(), to[..=shared].to_vec()));
        }
    }
    out
}

/// Every cycle (strongly connected set of more than one module).
fn cycles(edges: &BTreeSet<(Module, Module)>) -> Vec<Vec<String>> {
    let nodes: BTreeSet<&Module> = edges.iter().flat_map(|(a, b)| [a, b]).collect();
    let reaches = |from: &Module| -> BTreeSet<Module> {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from.clone()];
        while let Some(node) = stack.pop() {
            for (a, b) in edges {
                if *a == node && seen.insert(b.clone()) {
                    stack.push(b.clone());
                }
            }
        }
        seen
    };
    let reach: BTreeMap<&Module, BTreeSet<Module>> = nodes.iter().map(|n| (*n, reaches(n))).collect();
    let mut found: BTreeSet<Vec<String>> = BTreeSet::new();
    for node in &nodes {
        let mut cycle: Vec<String> =
            nodes.iter().filter(|other| reach[*node].contains(**other) && reach[**other].contains(*node)).map(|m| m.join("::")).collect();
        if cycle.len() > 1 {
            cycle.sort();
            found.insert(cycle);
        }
    }
    found.into_iter().collect()
}

fn crate_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

#[test]
fn no_module_of_src_is_part_of_a_cycle() {
    let edges = sibling_edges(&module_edges(&crate_root()));
    assert!(edges.len() > 30, "the edges were not read: {edges:?}");
    assert_eq!(cycles(&edges), Vec::<Vec<String>>::new(), "module cycles in src/ (docs/ARCHITECTURE.md)");
}

#[test]
fn top_level_modules_only_use_the_layers_below_them() {
    let layer = |m: &Module| LAYERS.iter().find(|(name, _)| *name == m[0]).map(|(_, l)| *l);
    let mut upward = Vec::new();
    for (from, to) in sibling_edges(&module_edges(&crate_root())) {
        if from.len() != 1 {
            continue;
        }
        let (Some(a), Some(b)) = (layer(&from), layer(&to)) else {
            panic!("{} or {} is not in LAYERS: add it to this test and to docs/ARCHITECTURE.md", from[0], to[0]);
        };
        let bottom = LAYERS.iter().map(|(_, l)| *l).max().unwrap();
        if a >= b && !(a == bottom && b == bottom) {
            upward.push(format!("{} -> {}", from[0], to[0]));
        }
    }
    assert_eq!(upward, Vec::<String>::new(), "edges that point up the layers (docs/ARCHITECTURE.md)");
}

/// The check itself finds what it is meant to: a cycle through a `use`
/// tree, through an inline path and through `super::`, and not through a
/// comment or a string.
#[test]
fn the_check_finds_a_cycle_and_ignores_comments_and_strings() {
    let dir = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write("lib.rs", "pub mod low;\npub mod high;\npub mod quiet;\n");
    write("high/mod.rs", "pub mod page;\n");
    write("high/page.rs", "use crate::{low::{self, Thing as T}};\nfn f() -> char { '\"' }\n");
    write("low.rs", "pub struct Thing;\nfn g() { let _ = crate::high::page::f; }\n");
    write("quiet.rs", "// crate::high\n/// use crate::low;\nconst S: &str = \"crate::high\";\nfn h<'a>(x: &'a str) -> &'a str { x }\n");
    let edges = sibling_edges(&module_edges(dir.path()));
    assert_eq!(cycles(&edges), vec![vec!["high".to_owned(), "low".to_owned()]]);
    assert!(!edges.iter().any(|(a, _)| a[0] == "quiet"), "{edges:?}");

    write("low.rs", "pub struct Thing;\n");
    write("high/page.rs", "use super::sibling::X;\n");
    write("high/sibling.rs", "pub struct X;\nuse super::page;\n");
    write("high/mod.rs", "pub mod page;\npub mod sibling;\n");
    let edges = sibling_edges(&module_edges(dir.path()));
    assert_eq!(cycles(&edges), vec![vec!["high::page".to_owned(), "high::sibling".to_owned()]]);
}
