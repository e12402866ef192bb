//! `[southbound]`: listen addresses, message and queue bounds, keepalive, duplicate dpids.

use toml::Spanned;

use super::*;

impl Layers<'_> {
    pub(super) fn southbound(
        &self,
        cli: &Cli,
        file: super::file::SouthboundFile,
    ) -> Result<SouthboundConfig, ConfigError> {
        let default = SouthboundConfig::default();
        let listen = self.listen(cli, file.listen, default.listen)?;
        let max_message_size = self.count(
            &MAX_MESSAGE_SIZE,
            cli.max_message_size,
            file.max_message_size,
            default.max_message_size,
        )?;
        let max_message = max_message_size.value as u64;
        if !(MIN_MESSAGE_SIZE..=u64::from(u16::MAX)).contains(&max_message) {
            return Err(ConfigError::invalid(
                &max_message_size.origin,
                MAX_MESSAGE_SIZE.name,
                format!("must be between {MIN_MESSAGE_SIZE} and 65535 bytes, got {max_message}"),
            ));
        }
        let command_queue = self.count(
            &COMMAND_QUEUE,
            cli.command_queue,
            file.command_queue,
            default.command_queue,
        )?;
        positive(&command_queue, &COMMAND_QUEUE)?;
        let max_transmit_bytes = self.count(
            &MAX_TRANSMIT_BYTES,
            cli.max_transmit_bytes,
            file.max_transmit_bytes,
            default.max_transmit_bytes,
        )?;
        if max_transmit_bytes.value < max_message_size.value {
            return Err(ConfigError::invalid(
                &max_transmit_bytes.origin,
                MAX_TRANSMIT_BYTES.name,
                format!(
                    "must be at least {} (southbound.max_message_size), got {}",
                    max_message_size.value, max_transmit_bytes.value
                ),
            ));
        }
        let echo_interval = self.duration(
            &ECHO_INTERVAL,
            cli.echo_interval,
            file.echo_interval,
            default.echo_interval,
        )?;
        let echo_timeout = self.duration(
            &ECHO_TIMEOUT,
            cli.echo_timeout,
            file.echo_timeout,
            default.echo_timeout,
        )?;
        longer(&echo_interval, &ECHO_INTERVAL, &echo_timeout, &ECHO_TIMEOUT)?;
        let duplicate_dpid = self.pick(
            &DUPLICATE_DPID,
            cli.duplicate_dpid,
            file.duplicate_dpid,
            |s| s.parse().map_err(|e| format!("{e}")),
            |s| s.parse().map_err(|e| format!("{e}")),
            default.duplicate_dpid,
        )?;
        Ok(SouthboundConfig {
            listen,
            max_message_size: max_message_size.value,
            command_queue: command_queue.value,
            max_transmit_bytes: max_transmit_bytes.value,
            echo_interval: echo_interval.value,
            echo_timeout: echo_timeout.value,
            duplicate_dpid: duplicate_dpid.value,
        })
    }

    fn listen(
        &self,
        cli: &Cli,
        file: Option<Spanned<Vec<Spanned<String>>>>,
        default: Vec<ListenAddr>,
    ) -> Result<Vec<ListenAddr>, ConfigError> {
        let parse_list =
            |items: Vec<(String, Origin)>| -> Result<Vec<Set<ListenAddr>>, ConfigError> {
                items
                    .into_iter()
                    .map(|(text, origin)| match text.trim().parse::<ListenAddr>() {
                        Ok(value) => Ok(Set { value, origin }),
                        Err(e) => Err(ConfigError::invalid(&origin, LISTEN.name, e.to_string())),
                    })
                    .collect()
            };
        let (list, origin) = if !cli.listen.is_empty() {
            let origin = Origin::Flag(LISTEN.flag);
            let list = cli.listen.iter().map(|a| Set {
                value: a.clone(),
                origin: origin.clone(),
            });
            (list.collect(), origin)
        } else if let Some(text) = (self.env)(LISTEN.env) {
            let origin = Origin::Env(LISTEN.env);
            let items = text
                .split(',')
                .map(|s| (s.to_owned(), origin.clone()))
                .collect();
            (parse_list(items)?, origin)
        } else if let Some(spanned) = file {
            let origin = self.at(spanned.span());
            let items = spanned
                .into_inner()
                .into_iter()
                .map(|item| (item.get_ref().clone(), self.at(item.span())))
                .collect();
            (parse_list(items)?, origin)
        } else {
            return Ok(default);
        };
        if list.is_empty() {
            return Err(ConfigError::invalid(
                &origin,
                LISTEN.name,
                "needs at least one address",
            ));
        }
        let mut seen = BTreeSet::new();
        for item in &list {
            if !seen.insert(item.value.to_string()) {
                let message = format!("{} is listed twice", item.value);
                return Err(ConfigError::invalid(&item.origin, LISTEN.name, message));
            }
        }
        Ok(list.into_iter().map(|s| s.value).collect())
    }
}
