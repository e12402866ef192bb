//! Meters as the app host handles them: an entry per meter id, compared in the form a switch
//! reports it, and the METER_MODs that add, modify and delete it.
//!
//! Open vSwitch reports a meter's flags and bands as given, except that a band given burst
//! size 0 reports its rate as its burst size: the canonical form applies the same rule to
//! both sides. (Flags without a rate unit, or no bands, it refuses.)

use openflow::MeterId;
use openflow::msg::{MeterBand, MeterConfig, MeterFlags, MeterMod, MeterModCommand};

/// One meter as the host handles it: its wire id, flags and bands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MeterEntry {
    /// The wire id (in an owner's namespace for ours).
    pub id: MeterId,
    /// Rate unit, burst, stats.
    pub flags: MeterFlags,
    /// The bands as given (sent as is).
    pub bands: Vec<MeterBand>,
}

impl MeterEntry {
    /// A meter as a switch reported it in a meter-configuration reply.
    pub fn from_config(config: &MeterConfig) -> MeterEntry {
        MeterEntry {
            id: config.meter_id,
            flags: config.flags,
            bands: config.bands.clone(),
        }
    }

    /// True if the switch would report both meters the same way.
    pub fn same_as(&self, other: &MeterEntry) -> bool {
        self.id == other.id
            && self.flags == other.flags
            && self.bands.len() == other.bands.len()
            && self
                .bands
                .iter()
                .zip(&other.bands)
                .all(|(a, b)| canonical(a) == canonical(b))
    }

    /// A METER_MOD that applies `command` to this meter; a delete carries no bands.
    pub fn meter_mod(&self, command: MeterModCommand) -> MeterMod {
        let delete = command == MeterModCommand::Delete;
        MeterMod {
            command,
            flags: if delete { MeterFlags(0) } else { self.flags },
            meter_id: self.id,
            bands: if delete {
                Vec::new()
            } else {
                self.bands.clone()
            },
        }
    }

    /// The meter a METER_MOD adds or modifies (or names, for a delete).
    pub fn from_mod(meter_mod: &MeterMod) -> MeterEntry {
        MeterEntry {
            id: meter_mod.meter_id,
            flags: meter_mod.flags,
            bands: meter_mod.bands.clone(),
        }
    }
}

/// A band in the form a switch reports it: burst size 0 becomes the rate.
fn canonical(band: &MeterBand) -> MeterBand {
    let mut b = band.clone();
    match &mut b {
        MeterBand::Drop { rate, burst_size }
        | MeterBand::DscpRemark {
            rate, burst_size, ..
        } if *burst_size == 0 => *burst_size = *rate,
        _ => {}
    }
    b
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meter(flags: MeterFlags, burst_size: u32) -> MeterEntry {
        MeterEntry {
            id: MeterId(0x6e10_0001),
            flags,
            bands: vec![MeterBand::Drop {
                rate: 1000,
                burst_size,
            }],
        }
    }

    #[test]
    fn a_burst_size_of_zero_is_the_rate() {
        assert!(meter(MeterFlags::KBPS, 0).same_as(&meter(MeterFlags::KBPS, 1000)));
        assert!(!meter(MeterFlags::KBPS, 0).same_as(&meter(MeterFlags::KBPS, 10)));
        let burst = MeterFlags::KBPS | MeterFlags::BURST;
        assert!(!meter(burst, 10).same_as(&meter(burst, 20)));
        assert!(!meter(MeterFlags::KBPS, 0).same_as(&meter(MeterFlags::PKTPS, 0)));
    }

    #[test]
    fn deletes_carry_no_bands() {
        let m = meter(MeterFlags::PKTPS, 0);
        let del = m.meter_mod(MeterModCommand::Delete);
        assert!(del.bands.is_empty());
        assert_eq!(del.meter_id, m.id);
        assert_eq!(MeterEntry::from_mod(&m.meter_mod(MeterModCommand::Add)), m);
    }
}
