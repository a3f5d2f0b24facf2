//! The public pages in a real browser: `tests/browser/run.mjs` (axe-core accessibility
//! audit at two widths, skip link, keyboard-only journey, search without JavaScript)
//! against `agora serve --demo`. Its table and artefacts (`target/browser-artefacts`:
//! `axe-report.json`, screenshots) tell what to fix.

use crate::common::served::serve;
use std::path::Path;
use std::process::{Command, Stdio};

/// What the browser tests need and is not there, if anything.
fn missing_dependencies(root: &Path) -> Vec<String> {
    let mut missing = Vec::new();
    let chromium =
        std::env::var("CHROMIUM_PATH").unwrap_or_else(|_| "/usr/bin/chromium".to_owned());
    if !Path::new(&chromium).exists() {
        missing.push(format!("Chromium ({chromium})"));
    }
    let node = Command::new("node")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    if !node.is_ok_and(|s| s.success()) {
        missing.push("Node.js (`node`)".to_owned());
    }
    for package in ["playwright-core", "axe-core"] {
        let dir = root.join("tests/browser/node_modules").join(package);
        if !dir.is_dir() {
            missing.push(format!("the npm package {package} ({})", dir.display()));
        }
    }
    missing
}

#[test]
fn the_pages_pass_the_accessibility_and_keyboard_checks_in_a_real_browser() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap();
    if std::env::var("AGORA_SKIP_BROWSER").as_deref() == Ok("1") {
        eprintln!("!!! AGORA_SKIP_BROWSER=1: the browser tests did NOT run. CI runs them. !!!");
        return;
    }
    // A suite that skips itself silently would hide every regression it exists to catch.
    let missing = missing_dependencies(&root);
    if !missing.is_empty() {
        let hint = if std::env::var("AGORA_BROWSER_TESTS").as_deref() == Ok("1") {
            "scripts/browser-deps ran but did not provide it"
        } else {
            "run scripts/browser-deps (scripts/test does), or set AGORA_SKIP_BROWSER=1 to skip loudly"
        };
        panic!(
            "the browser tests cannot run, missing: {}; {hint}",
            missing.join(", ")
        );
    }

    let dir = tempfile::tempdir().unwrap();
    let served = serve(dir.path());
    let artefacts = root.join("target/browser-artefacts");
    let output = Command::new("node")
        .arg(root.join("tests/browser/run.mjs"))
        .arg(&served.base)
        .arg(&artefacts)
        .output()
        .expect("run node tests/browser/run.mjs");
    print!("{}", String::from_utf8_lossy(&output.stdout));
    eprint!("{}", String::from_utf8_lossy(&output.stderr));
    assert!(
        output.status.success(),
        "the browser checks failed ({}); see the failures above and {}",
        output.status,
        artefacts.display()
    );
}
