//! The configuration as loaded, key by key. Deserialising stops at the first problem; to
//! name them all, each faulty key is noted, taken out (its default then applies) and the
//! rest read again.

use crate::config::{Config, Overrides};
use figment::error::Kind;
use figment::value::{Dict, Value};
use figment::{Figment, Source};
use serde::Deserialize;
use std::path::Path;

/// A configuration with every problem of its keys.
#[derive(Debug)]
pub struct Loaded {
    /// The configuration; faulty keys at their defaults.
    pub config: Config,
    /// One line per faulty key (or a source that cannot be read).
    pub errors: Vec<String>,
    /// The merged values, for the checks that go by key names (secrets).
    pub value: Option<Value>,
}

/// More faulty keys than any configuration has: the loop below always ends.
const MAX_ERRORS: usize = 200;

pub fn load(file: Option<&Path>, overrides: &Overrides) -> Loaded {
    let figment = Config::sources(file, overrides);
    let mut value = match figment.extract::<Value>() {
        Ok(v) => v,
        // The file is missing or is not TOML: nothing to read key by key.
        Err(e) => {
            return Loaded {
                config: Config::default(),
                errors: e.into_iter().map(|e| e.to_string()).collect(),
                value: None,
            };
        }
    };
    let mut errors = Vec::new();
    let config = loop {
        let err = match Config::deserialize(&value) {
            Ok(config) => break config,
            Err(e) => e,
        };
        errors.push(describe(&figment, &err));
        if errors.len() >= MAX_ERRORS || !remove(&mut value, &err.path) {
            break Config::default();
        }
    };
    // Without problems, the configuration is exactly the one start-up loads.
    let config = if errors.is_empty() {
        match Config::load(file, overrides) {
            Ok(c) => c,
            Err(e) => {
                errors.push(describe(&figment, &e));
                config
            }
        }
    } else {
        config
    };
    Loaded {
        config,
        errors,
        value: Some(value),
    }
}

/// One line for a faulty key: which key, in which section, from which source.
fn describe(figment: &Figment, err: &figment::Error) -> String {
    let origin = origin(figment, &err.path);
    match &err.kind {
        Kind::UnknownField(field, expected) => {
            let section = &err.path[..err.path.len().saturating_sub(1)];
            let place = if section.is_empty() {
                "at the top level".to_owned()
            } else {
                format!("in section [{}]", section.join("."))
            };
            format!(
                "unknown key `{field}` {place}{origin}; known keys there: {}",
                expected.join(", ")
            )
        }
        kind => {
            let key = err.path.join(".");
            if key.is_empty() {
                format!("{kind}{origin}")
            } else {
                format!("`{key}`: {kind}{origin}")
            }
        }
    }
}

/// Where a key's value came from: the file, or the environment variable that set it.
fn origin(figment: &Figment, path: &[String]) -> String {
    if path.is_empty() {
        return String::new();
    }
    let Some(metadata) = figment.find_metadata(&path.join(".")) else {
        return String::new();
    };
    match &metadata.source {
        Some(Source::File(file)) => format!(" (in {})", file.display()),
        // The names `Config::sources` reads: AGORA_ and the keys joined by `__`.
        _ if metadata.name.contains("environment") => {
            let var = path.join("__").to_ascii_uppercase();
            format!(" (environment variable AGORA_{var})")
        }
        _ => format!(" ({})", metadata.name),
    }
}

/// Takes the key at `path` out of `value`; false when there is no such key.
fn remove(value: &mut Value, path: &[String]) -> bool {
    let Some((last, parents)) = path.split_last() else {
        return false;
    };
    let mut dict: &mut Dict = match value {
        Value::Dict(_, d) => d,
        _ => return false,
    };
    for key in parents {
        dict = match dict.get_mut(key) {
            Some(Value::Dict(_, d)) => d,
            _ => return false,
        };
    }
    dict.remove(last).is_some()
}
