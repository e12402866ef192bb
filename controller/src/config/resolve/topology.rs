//! `[topology]`: LLDP timing, the host bound and where the cluster secret comes from.

use super::*;

impl Layers<'_> {
    pub(super) fn topology(
        &self,
        cli: &Cli,
        file: super::file::TopologyFile,
    ) -> Result<TopologyConfig, ConfigError> {
        let default = TopologyConfig::default();
        let lldp_interval = self.duration(
            &LLDP_INTERVAL,
            cli.lldp_interval,
            file.lldp_interval,
            default.lldp_interval,
        )?;
        let link_timeout = self.duration(
            &LINK_TIMEOUT,
            cli.link_timeout,
            file.link_timeout,
            default.link_timeout,
        )?;
        longer(&lldp_interval, &LLDP_INTERVAL, &link_timeout, &LINK_TIMEOUT)?;
        let max_hosts = self.count(&MAX_HOSTS, cli.max_hosts, file.max_hosts, default.max_hosts)?;
        positive(&max_hosts, &MAX_HOSTS)?;
        let inline = self.pick(
            &CLUSTER_SECRET,
            cli.cluster_secret.clone().map(Some),
            file.cluster_secret,
            |s| Ok(Some(s)),
            |s| Ok(Some(s.to_owned())),
            None,
        )?;
        let in_file = self.pick(
            &CLUSTER_SECRET_FILE,
            cli.cluster_secret_file.clone().map(Some),
            file.cluster_secret_file,
            |s| Ok(Some(PathBuf::from(s))),
            |s| Ok(Some(PathBuf::from(s))),
            None,
        )?;
        let cluster_secret = match (inline.value, in_file.value) {
            (Some(_), Some(_)) if rank(&inline.origin) == rank(&in_file.origin) => {
                return Err(ConfigError::invalid(
                    &in_file.origin,
                    CLUSTER_SECRET_FILE.name,
                    "set only one of topology.cluster_secret and topology.cluster_secret_file",
                ));
            }
            (Some(secret), Some(path)) => {
                if rank(&inline.origin) > rank(&in_file.origin) {
                    ClusterSecretSource::Inline(secret)
                } else {
                    ClusterSecretSource::File(path)
                }
            }
            (Some(secret), None) => ClusterSecretSource::Inline(secret),
            (None, Some(path)) => ClusterSecretSource::File(path),
            (None, None) => ClusterSecretSource::Generated,
        };
        match &cluster_secret {
            ClusterSecretSource::Inline(secret)
                if secret.len() < secret::MIN_CLUSTER_SECRET_LEN =>
            {
                return Err(ConfigError::invalid(
                    &inline.origin,
                    CLUSTER_SECRET.name,
                    format!(
                        "must be at least {} bytes, got {}",
                        secret::MIN_CLUSTER_SECRET_LEN,
                        secret.len()
                    ),
                ));
            }
            ClusterSecretSource::File(path) if path.as_os_str().is_empty() => {
                return Err(ConfigError::invalid(
                    &in_file.origin,
                    CLUSTER_SECRET_FILE.name,
                    "must not be empty",
                ));
            }
            _ => {}
        }
        Ok(TopologyConfig {
            lldp_interval: lldp_interval.value,
            link_timeout: link_timeout.value,
            max_hosts: max_hosts.value,
            cluster_secret,
        })
    }
}
