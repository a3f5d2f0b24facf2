//! `agora check-config`, and the same checks before `agora serve` starts: every problem
//! of a configuration, one line each, rather than the first one at start-up or a
//! failure hours later when the first mail leaves.
//!
//! - [`keys`]: the configuration as loaded, key by key (unknown keys, wrong types);
//! - [`rules`]: what can be judged from the values alone (weak secrets, addresses, the
//!   sections' own `check()`, shared with start-up);
//! - [`probes`]: what needs the world (the data directory, the database, the SMTP relay).

pub mod keys;
pub mod probes;
pub mod rules;

use crate::config::{Config, Overrides};
use std::path::Path;

pub use keys::Loaded;
pub use rules::sections;

/// What the checks found.
#[derive(Debug, Default)]
pub struct Report {
    /// One line per problem; the configuration is refused when any.
    pub errors: Vec<String>,
    /// What was checked and found right, one line each.
    pub passed: Vec<String>,
}

impl Report {
    fn merge(&mut self, other: Report) {
        self.errors.extend(other.errors);
        self.passed.extend(other.passed);
    }

    pub fn is_ok(&self) -> bool {
        self.errors.is_empty()
    }

    /// Writes the problems to standard error, one line each, and a last line that counts
    /// them; `refusal` says what does not happen because of them.
    pub fn print_errors(&self, refusal: &str) {
        for e in &self.errors {
            eprintln!("error: {e}");
        }
        let n = self.errors.len();
        eprintln!(
            "{n} configuration error{}: {refusal}",
            if n == 1 { "" } else { "s" }
        );
    }
}

/// Loads the configuration and runs every check on it.
pub async fn run(file: Option<&Path>, overrides: &Overrides) -> (Config, Report) {
    let loaded = keys::load(file, overrides);
    let report = check_loaded(&loaded).await;
    (loaded.config, report)
}

/// Every check on a configuration already loaded.
pub async fn check_loaded(loaded: &Loaded) -> Report {
    let mut report = Report {
        errors: loaded.errors.clone(),
        passed: Vec::new(),
    };
    report.merge(rules::check(&loaded.config, loaded.value.as_ref()));
    report.merge(probes::check(&loaded.config).await);
    report
}
