//! LLDP probes for link discovery, signed so that forged probes create no link.
//!
//! The controller sends one probe by packet-out on every port of every switch. A probe names
//! the switch (chassis id `dpid:<16 hex digits>`, locally assigned) and the port (port
//! component, 4 bytes) it left from, and carries an organizationally specific TLV with the
//! controller's session id, the time it was built and an HMAC-SHA256 over those fields, keyed
//! with the cluster secret. When a probe comes back as a packet-in on another port, the link is
//! real only if the HMAC verifies, the session is ours and the probe is younger than the link
//! timeout (so a captured probe cannot be replayed later).

use std::time::{Duration, Instant};

use bytes::{BufMut, Bytes, BytesMut};
use hmac::{Hmac, Mac};
use openflow::{DatapathId, MacAddr, PortNo};
use sha2::Sha256;

/// The nearest-bridge group address LLDP is sent to; bridges never forward it.
pub const LLDP_DST: MacAddr = MacAddr([0x01, 0x80, 0xc2, 0x00, 0x00, 0x0e]);
/// The LLDP ethertype.
pub const ETHERTYPE_LLDP: u16 = 0x88cc;
/// The company id of navarch's organizationally specific TLV (a locally assigned CID: the
/// second-lowest bit of the first octet is set).
pub const NAVARCH_OUI: [u8; 3] = [0x0a, 0x6e, 0x76];
/// The subtype of the signature TLV within [`NAVARCH_OUI`].
pub const SIGNATURE_SUBTYPE: u8 = 1;
/// The shortest cluster secret accepted.
pub const MIN_SECRET_LEN: usize = 16;

/// TLV types and field sizes (IEEE 802.1AB).
mod field {
    pub const ETH_HEADER: usize = 14;
    pub const TLV_END: u8 = 0;
    pub const TLV_CHASSIS_ID: u8 = 1;
    pub const TLV_PORT_ID: u8 = 2;
    pub const TLV_TTL: u8 = 3;
    pub const TLV_ORG_SPECIFIC: u8 = 127;
    /// Chassis id subtype "locally assigned".
    pub const CHASSIS_LOCAL: u8 = 7;
    /// Port id subtype "port component".
    pub const PORT_COMPONENT: u8 = 2;
    /// Prefix of the chassis id text.
    pub const CHASSIS_PREFIX: &[u8] = b"dpid:";
    /// Length of the HMAC-SHA256 tag.
    pub const TAG_LEN: usize = 32;
    /// OUI, subtype, session id, timestamp, tag.
    pub const SIGNATURE_LEN: usize = 3 + 1 + 8 + 8 + TAG_LEN;
    /// Domain separation for the HMAC input.
    pub const HMAC_DOMAIN: &[u8] = b"navarch-lldp-v1\0";
}

type HmacSha256 = Hmac<Sha256>;

/// Why a received frame is not accepted as one of our probes.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LldpError {
    /// The frame ends inside a header or a TLV.
    #[error("LLDP frame truncated")]
    Truncated,
    /// The ethertype is not LLDP.
    #[error("not an LLDP frame (ethertype {0:#06x})")]
    NotLldp(u16),
    /// A mandatory TLV (chassis id, port id, TTL) is missing or out of order.
    #[error("LLDP frame lacks its {0} TLV")]
    MissingTlv(&'static str),
    /// A TLV is not in the form this controller sends.
    #[error("LLDP {0} TLV is not in navarch's form")]
    MalformedTlv(&'static str),
    /// The frame carries no navarch signature TLV (foreign or forged LLDP).
    #[error("LLDP frame carries no navarch HMAC")]
    MissingHmac,
    /// The HMAC does not match the contents (forged or tampered).
    #[error("LLDP HMAC does not verify")]
    BadHmac,
    /// The probe was signed by another controller session (for example before a restart).
    #[error("LLDP probe from another controller session")]
    OtherSession,
    /// The probe is older than the link timeout (a replay or a very late delivery).
    #[error("LLDP probe is {age:?} old, older than the link timeout")]
    Expired {
        /// How old the probe is.
        age: Duration,
    },
    /// The probe's timestamp lies in the future.
    #[error("LLDP probe timestamp lies in the future")]
    FromFuture,
    /// The probe names a switch or port that is not connected.
    #[error("LLDP probe names unknown switch {dpid} port {port}")]
    UnknownSource {
        /// The switch named.
        dpid: DatapathId,
        /// The port named.
        port: PortNo,
    },
    /// The probe arrived on a switch or port that is not connected.
    #[error("LLDP probe arrived on unknown switch {dpid} port {port}")]
    UnknownIngress {
        /// The switch it arrived on.
        dpid: DatapathId,
        /// The port it arrived on.
        port: PortNo,
    },
    /// The probe came back on the very port it was sent from.
    #[error("LLDP probe came back on the port it left")]
    SelfLoop,
}

/// Why a cluster secret cannot key LLDP signatures.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SecretError {
    /// The secret is shorter than [`MIN_SECRET_LEN`] bytes.
    #[error("LLDP secret must be at least {MIN_SECRET_LEN} bytes, got {0}")]
    TooShort(usize),
}

/// The fields of an LLDP frame in navarch's form, before the signature is checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProbeFields {
    /// The switch the probe was sent from.
    pub dpid: DatapathId,
    /// The port it was sent from.
    pub port: PortNo,
    /// The TTL the sender advertised, in seconds.
    pub ttl_secs: u16,
    /// The signer's session id.
    pub session: u64,
    /// Milliseconds since the signer's epoch when the probe was built.
    pub timestamp_ms: u64,
    /// The HMAC tag.
    pub tag: [u8; field::TAG_LEN],
}

/// A verified probe: the sending end of a link.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Probe {
    /// The switch the probe left.
    pub dpid: DatapathId,
    /// The port it left from.
    pub port: PortNo,
    /// How long it travelled.
    pub age: Duration,
}

/// Builds and verifies signed probes for one controller session.
#[derive(Clone)]
pub struct LldpSigner {
    mac: HmacSha256,
    session: u64,
    epoch: Instant,
    max_age: Duration,
}

impl std::fmt::Debug for LldpSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the keyed state.
        f.debug_struct("LldpSigner")
            .field("session", &self.session)
            .field("max_age", &self.max_age)
            .finish_non_exhaustive()
    }
}

impl LldpSigner {
    /// A signer keyed with the cluster `secret`; `session` distinguishes this controller run
    /// (pick it at random at start), `epoch` is the time base of timestamps and `max_age` the
    /// oldest probe accepted (the link timeout).
    pub fn new(
        secret: &[u8],
        session: u64,
        epoch: Instant,
        max_age: Duration,
    ) -> Result<LldpSigner, SecretError> {
        if secret.len() < MIN_SECRET_LEN {
            return Err(SecretError::TooShort(secret.len()));
        }
        let mac =
            HmacSha256::new_from_slice(secret).map_err(|_| SecretError::TooShort(secret.len()))?;
        Ok(LldpSigner {
            mac,
            session,
            epoch,
            max_age,
        })
    }

    /// The oldest probe accepted.
    pub fn max_age(&self) -> Duration {
        self.max_age
    }

    /// A probe to send out of `port` of `dpid` at `now`, with `src` as its source MAC (the
    /// port's hardware address).
    pub fn build(&self, dpid: DatapathId, port: PortNo, src: MacAddr, now: Instant) -> Bytes {
        let timestamp_ms = self.timestamp_ms(now);
        let tag = self.tag(dpid, port, self.session, timestamp_ms);
        let chassis = chassis_text(dpid);
        let ttl = u16::try_from(self.max_age.as_secs().max(1)).unwrap_or(u16::MAX);

        let mut out = BytesMut::with_capacity(128);
        out.put_slice(&LLDP_DST.0);
        out.put_slice(&src.0);
        out.put_u16(ETHERTYPE_LLDP);
        put_tlv_header(&mut out, field::TLV_CHASSIS_ID, 1 + chassis.len());
        out.put_u8(field::CHASSIS_LOCAL);
        out.put_slice(&chassis);
        put_tlv_header(&mut out, field::TLV_PORT_ID, 1 + 4);
        out.put_u8(field::PORT_COMPONENT);
        out.put_u32(port.0);
        put_tlv_header(&mut out, field::TLV_TTL, 2);
        out.put_u16(ttl);
        put_tlv_header(&mut out, field::TLV_ORG_SPECIFIC, field::SIGNATURE_LEN);
        out.put_slice(&NAVARCH_OUI);
        out.put_u8(SIGNATURE_SUBTYPE);
        out.put_u64(self.session);
        out.put_u64(timestamp_ms);
        out.put_slice(&tag);
        put_tlv_header(&mut out, field::TLV_END, 0);
        out.freeze()
    }

    /// Parses `frame` and checks its signature, session and age at `now`.
    pub fn verify(&self, frame: &[u8], now: Instant) -> Result<Probe, LldpError> {
        let fields = parse(frame)?;
        let mut mac = self.mac.clone();
        feed(
            &mut mac,
            fields.dpid,
            fields.port,
            fields.session,
            fields.timestamp_ms,
        );
        // `verify_slice` compares in constant time.
        mac.verify_slice(&fields.tag)
            .map_err(|_| LldpError::BadHmac)?;
        if fields.session != self.session {
            return Err(LldpError::OtherSession);
        }
        let now_ms = self.timestamp_ms(now);
        let age_ms = now_ms
            .checked_sub(fields.timestamp_ms)
            .ok_or(LldpError::FromFuture)?;
        let age = Duration::from_millis(age_ms);
        if age > self.max_age {
            return Err(LldpError::Expired { age });
        }
        Ok(Probe {
            dpid: fields.dpid,
            port: fields.port,
            age,
        })
    }

    fn timestamp_ms(&self, now: Instant) -> u64 {
        let since = now.saturating_duration_since(self.epoch);
        u64::try_from(since.as_millis()).unwrap_or(u64::MAX)
    }

    fn tag(&self, dpid: DatapathId, port: PortNo, session: u64, ts: u64) -> [u8; field::TAG_LEN] {
        let mut mac = self.mac.clone();
        feed(&mut mac, dpid, port, session, ts);
        mac.finalize().into_bytes().into()
    }
}

/// The HMAC input: fixed-width fields after a domain tag, so no two inputs collide.
fn feed(mac: &mut HmacSha256, dpid: DatapathId, port: PortNo, session: u64, ts: u64) {
    mac.update(field::HMAC_DOMAIN);
    mac.update(&dpid.0.to_be_bytes());
    mac.update(&port.0.to_be_bytes());
    mac.update(&session.to_be_bytes());
    mac.update(&ts.to_be_bytes());
}

fn chassis_text(dpid: DatapathId) -> Vec<u8> {
    let mut text = field::CHASSIS_PREFIX.to_vec();
    text.extend_from_slice(format!("{:016x}", dpid.0).as_bytes());
    text
}

fn put_tlv_header(out: &mut BytesMut, kind: u8, len: usize) {
    debug_assert!(len < 512, "LLDP TLV lengths are 9 bits");
    out.put_u16((u16::from(kind) << 9) | (len as u16 & 0x1ff));
}

/// Splits the TLVs of an LLDP payload; yields `Err(Truncated)` once if a TLV runs past the end.
struct Tlvs<'a> {
    rest: &'a [u8],
}

impl<'a> Iterator for Tlvs<'a> {
    type Item = Result<(u8, &'a [u8]), LldpError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.rest.is_empty() {
            return None;
        }
        let Some((head, body)) = self.rest.split_first_chunk::<2>() else {
            self.rest = &[];
            return Some(Err(LldpError::Truncated));
        };
        let word = u16::from_be_bytes(*head);
        let kind = (word >> 9) as u8;
        let len = usize::from(word & 0x1ff);
        if body.len() < len {
            self.rest = &[];
            return Some(Err(LldpError::Truncated));
        }
        let (value, rest) = body.split_at(len);
        self.rest = rest;
        Some(Ok((kind, value)))
    }
}

/// True if `frame` is an untagged LLDP frame (the packet-in to hand to link discovery rather
/// than to host tracking and apps).
pub fn is_lldp(frame: &[u8]) -> bool {
    frame.get(12..14) == Some(&ETHERTYPE_LLDP.to_be_bytes()[..])
}

/// Parses an LLDP frame in navarch's form without checking its signature.
pub fn parse(frame: &[u8]) -> Result<ProbeFields, LldpError> {
    let Some((eth, payload)) = frame.split_first_chunk::<{ field::ETH_HEADER }>() else {
        return Err(LldpError::Truncated);
    };
    let ethertype = u16::from_be_bytes([eth[12], eth[13]]);
    if ethertype != ETHERTYPE_LLDP {
        return Err(LldpError::NotLldp(ethertype));
    }
    let mut tlvs = Tlvs { rest: payload };
    let dpid = parse_chassis(expect_tlv(&mut tlvs, field::TLV_CHASSIS_ID, "chassis id")?)?;
    let port = parse_port(expect_tlv(&mut tlvs, field::TLV_PORT_ID, "port id")?)?;
    let ttl = expect_tlv(&mut tlvs, field::TLV_TTL, "TTL")?;
    let ttl_secs = match *ttl {
        [hi, lo] => u16::from_be_bytes([hi, lo]),
        _ => return Err(LldpError::MalformedTlv("TTL")),
    };
    let mut signature = None;
    for tlv in tlvs {
        let (kind, value) = tlv?;
        match kind {
            field::TLV_END => break,
            field::TLV_ORG_SPECIFIC
                if value.len() >= 4
                    && value[..3] == NAVARCH_OUI
                    && value[3] == SIGNATURE_SUBTYPE =>
            {
                if signature.is_some() {
                    return Err(LldpError::MalformedTlv("signature (repeated)"));
                }
                signature = Some(parse_signature(value)?);
            }
            _ => {}
        }
    }
    let (session, timestamp_ms, tag) = signature.ok_or(LldpError::MissingHmac)?;
    Ok(ProbeFields {
        dpid,
        port,
        ttl_secs,
        session,
        timestamp_ms,
        tag,
    })
}

fn expect_tlv<'a>(
    tlvs: &mut Tlvs<'a>,
    kind: u8,
    name: &'static str,
) -> Result<&'a [u8], LldpError> {
    match tlvs.next() {
        Some(Ok((k, value))) if k == kind => Ok(value),
        Some(Err(e)) => Err(e),
        _ => Err(LldpError::MissingTlv(name)),
    }
}

fn parse_chassis(value: &[u8]) -> Result<DatapathId, LldpError> {
    let bad = LldpError::MalformedTlv("chassis id");
    let [field::CHASSIS_LOCAL, text @ ..] = value else {
        return Err(bad);
    };
    let hex = text
        .strip_prefix(field::CHASSIS_PREFIX)
        .ok_or(bad.clone())?;
    if hex.len() != 16 || !hex.iter().all(u8::is_ascii_hexdigit) {
        return Err(bad);
    }
    let hex = std::str::from_utf8(hex).map_err(|_| bad.clone())?;
    u64::from_str_radix(hex, 16)
        .map(DatapathId)
        .map_err(|_| bad)
}

fn parse_port(value: &[u8]) -> Result<PortNo, LldpError> {
    match *value {
        [field::PORT_COMPONENT, a, b, c, d] => Ok(PortNo(u32::from_be_bytes([a, b, c, d]))),
        _ => Err(LldpError::MalformedTlv("port id")),
    }
}

fn parse_signature(value: &[u8]) -> Result<(u64, u64, [u8; field::TAG_LEN]), LldpError> {
    let bad = LldpError::MalformedTlv("signature");
    if value.len() != field::SIGNATURE_LEN {
        return Err(bad);
    }
    let body = &value[4..];
    let (session, body) = body.split_first_chunk::<8>().ok_or(bad.clone())?;
    let (ts, body) = body.split_first_chunk::<8>().ok_or(bad.clone())?;
    let tag: [u8; field::TAG_LEN] = body.try_into().map_err(|_| bad)?;
    Ok((u64::from_be_bytes(*session), u64::from_be_bytes(*ts), tag))
}

#[cfg(test)]
#[path = "lldp_tests.rs"]
mod tests;
