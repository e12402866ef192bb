//! The apps built into navarchd: how each is built from a JSON configuration, and what its
//! configuration fields are. The config file, the store and the API all name apps and their
//! settings through this catalog, so a bad setting gets the same error from each.
//!
//! Apps are registered in catalog order, enabled or not, so each keeps the cookie owner
//! (its index here) across restarts and configuration changes.

use l2_learning::{L2Config, L2Learning};
use navarch_app::App;
use segmentation::{Segmentation, SharedModel};
use serde_json::{Map, Value};

/// A setting an app refuses: the field and why.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct SettingError {
    /// The field, as the API names it (`config.idle_timeout`).
    pub field: String,
    /// What is wrong with it.
    pub message: String,
}

impl SettingError {
    fn new(field: &str, message: impl Into<String>) -> SettingError {
        SettingError {
            field: format!("config.{field}"),
            message: message.into(),
        }
    }
}

/// An app's complete configuration: field name to value.
pub type Settings = Map<String, Value>;

/// What apps share with the rest of the controller, beyond their settings.
#[derive(Clone, Debug, Default)]
pub struct AppContext {
    /// The tenant model the segmentation app computes from (the runtime changes it).
    pub tenants: SharedModel,
}

/// What building an app from its settings gives.
pub type Built = Result<Box<dyn App>, SettingError>;

/// One app navarchd can run.
pub struct CatalogEntry {
    /// Its name.
    pub name: &'static str,
    /// Its configuration with every field at its default.
    pub defaults: fn() -> Map<String, Value>,
    /// Builds it from a complete configuration (defaults merged with what was set).
    pub build: fn(&Settings, &AppContext) -> Built,
}

/// Every app, in registration order.
pub fn catalog() -> &'static [CatalogEntry] {
    &[
        CatalogEntry {
            name: "l2-learning",
            defaults: l2_defaults,
            build: build_l2,
        },
        CatalogEntry {
            name: segmentation::NAME,
            defaults: Map::new,
            build: build_segmentation,
        },
    ]
}

/// The app called `name`.
pub fn entry(name: &str) -> Option<&'static CatalogEntry> {
    catalog().iter().find(|e| e.name == name)
}

impl CatalogEntry {
    /// The complete configuration after `patch` replaces the fields it names in `current`:
    /// checked (unknown fields, types and ranges) by building the app from it. Returns the
    /// configuration and the app built from it.
    pub fn configure(
        &self,
        current: &Map<String, Value>,
        patch: &Map<String, Value>,
        context: &AppContext,
    ) -> Result<(Settings, Box<dyn App>), SettingError> {
        let defaults = (self.defaults)();
        let mut merged = defaults.clone();
        for (key, value) in current.iter().chain(patch) {
            if !defaults.contains_key(key) {
                let known: Vec<&str> = defaults.keys().map(String::as_str).collect();
                return Err(SettingError::new(
                    key,
                    format!(
                        "unknown setting of app {} (known: {})",
                        self.name,
                        known.join(", ")
                    ),
                ));
            }
            merged.insert(key.clone(), value.clone());
        }
        let app = (self.build)(&merged, context)?;
        Ok((merged, app))
    }
}

fn l2_defaults() -> Map<String, Value> {
    let d = L2Config::default();
    let mut m = Map::new();
    m.insert("idle_timeout".into(), Value::from(d.idle_timeout));
    m
}

fn build_segmentation(_: &Settings, context: &AppContext) -> Built {
    Ok(Box::new(Segmentation::new(context.tenants.clone())))
}

fn build_l2(config: &Map<String, Value>, _: &AppContext) -> Built {
    let mut l2 = L2Config::default();
    if let Some(value) = config.get("idle_timeout") {
        l2.idle_timeout = seconds_u16("idle_timeout", value)?;
    }
    let app = L2Learning::new(l2).map_err(|e| SettingError::new("idle_timeout", e.to_string()))?;
    Ok(Box::new(app))
}

/// A whole number of seconds from 0 to 65535.
fn seconds_u16(field: &str, value: &Value) -> Result<u16, SettingError> {
    let n = value
        .as_f64()
        .filter(|f| f.fract() == 0.0 && *f >= 0.0)
        .ok_or_else(|| {
            SettingError::new(field, format!("{value} is not a whole number of seconds"))
        })?;
    if n > f64::from(u16::MAX) {
        return Err(SettingError::new(
            field,
            format!("{n} is out of range (0 to 65535 seconds)"),
        ));
    }
    Ok(n as u16)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap()
    }

    #[test]
    fn a_patch_replaces_only_its_fields_and_is_checked() {
        let l2 = entry("l2-learning").unwrap();
        let (merged, app) = l2
            .configure(
                &Map::new(),
                &obj(json!({"idle_timeout": 60})),
                &AppContext::default(),
            )
            .unwrap();
        assert_eq!(Value::Object(merged), json!({"idle_timeout": 60}));
        assert_eq!(app.name(), "l2-learning");
        let (merged, _) = l2
            .configure(
                &obj(json!({"idle_timeout": 60})),
                &Map::new(),
                &AppContext::default(),
            )
            .unwrap();
        assert_eq!(merged["idle_timeout"], 60);

        let err = |patch: Value| {
            l2.configure(&Map::new(), &obj(patch), &AppContext::default())
                .err()
                .unwrap()
        };
        let e = err(json!({"idle_timeout": 70000}));
        assert_eq!(e.field, "config.idle_timeout");
        assert!(e.message.contains("out of range"), "{e}");
        assert_eq!(
            err(json!({"idle_timeout": "soon"})).field,
            "config.idle_timeout"
        );
        assert_eq!(
            err(json!({"idle_timeout": 1.5})).field,
            "config.idle_timeout"
        );
        let e = err(json!({"colour": 1}));
        assert_eq!(e.field, "config.colour");
        assert!(e.message.contains("idle_timeout"), "{e}");
    }

    #[test]
    fn the_catalog_has_unique_names() {
        let mut names: Vec<_> = catalog().iter().map(|e| e.name).collect();
        names.dedup();
        assert_eq!(names.len(), catalog().len());
    }
}
