//! `[apps]`: which apps run (a list that any layer may replace) and their settings tables.

use std::collections::{BTreeMap, BTreeSet};

use toml::Spanned;

use super::*;

impl Layers<'_> {
    pub(super) fn apps(
        &self,
        cli: &Cli,
        mut file: BTreeMap<String, Spanned<toml::Value>>,
    ) -> Result<AppsConfig, ConfigError> {
        let file_enabled = file.remove("enabled");
        let mut settings = BTreeMap::new();
        for (name, value) in file {
            let origin = self.at(value.span());
            match value.into_inner() {
                toml::Value::Table(table) => {
                    check_app_name(&name, &origin)?;
                    settings.insert(name, table);
                }
                _ => {
                    return Err(ConfigError::invalid(
                        &origin,
                        format!("apps.{name}"),
                        "is not a table: [apps] holds `enabled` and one [apps.<name>] table of \
                         settings per app",
                    ));
                }
            }
        }
        let enabled = if !cli.apps.is_empty() {
            let origin = Origin::Flag(APPS.flag);
            cli.apps
                .iter()
                .map(|n| (n.clone(), origin.clone()))
                .collect()
        } else if let Some(text) = (self.env)(APPS.env) {
            let origin = Origin::Env(APPS.env);
            text.split(',')
                .map(|n| (n.trim().to_owned(), origin.clone()))
                .collect()
        } else if let Some(value) = file_enabled {
            let origin = self.at(value.span());
            let list = match value.into_inner() {
                toml::Value::Array(items) => items
                    .into_iter()
                    .map(|item| match item {
                        toml::Value::String(name) => Ok((name, origin.clone())),
                        other => Err(other),
                    })
                    .collect::<Result<Vec<_>, _>>()
                    .ok(),
                _ => None,
            };
            list.ok_or_else(|| {
                ConfigError::invalid(&origin, APPS.name, "expected an array of app names")
            })?
        } else {
            AppsConfig::default()
                .enabled
                .into_iter()
                .map(|n| (n, Origin::Default))
                .collect::<Vec<_>>()
        };
        let mut seen = BTreeSet::new();
        for (name, origin) in &enabled {
            if name.is_empty() {
                return Err(ConfigError::invalid(
                    origin,
                    APPS.name,
                    "an app name is empty",
                ));
            }
            check_app_name(name, origin)?;
            if !seen.insert(name.clone()) {
                let message = format!("app {name:?} is enabled twice");
                return Err(ConfigError::invalid(origin, APPS.name, message));
            }
        }
        Ok(AppsConfig {
            enabled: enabled.into_iter().map(|(n, _)| n).collect(),
            settings,
        })
    }
}

/// App names are lower-case words joined by `-` or `_`, as crates are named.
fn check_app_name(name: &str, origin: &Origin) -> Result<(), ConfigError> {
    let ok = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if ok {
        Ok(())
    } else {
        Err(ConfigError::invalid(
            origin,
            APPS.name,
            format!("invalid app name {name:?} (use a-z, 0-9, '-' and '_')"),
        ))
    }
}
