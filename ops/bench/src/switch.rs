//! The protocol side of one emulated switch, without I/O: an [`openflow::Channel`] on the
//! switch side plus answers to the controller's requests that a switch must give (config,
//! async config, role, multipart descriptions and empty statistics), and a fast path that
//! counts the controller's responses by header alone.

use std::time::Instant;

use bytes::BytesMut;
use openflow::errcode::BadRequestCode;
use openflow::msg::{
    AggregateStats, AsyncConfig, Capabilities, Desc, ErrorMsg, FeaturesReply, GroupFeatures,
    MeterFeatures, MultipartReply, MultipartReplyBody, MultipartRequestBody, Port, PortConfig,
    PortFeatures, PortState, Role, SwitchConfig,
};
use openflow::{
    Body, Channel, ChannelConfig, DatapathId, ErrorCode, Event, Framer, MacAddr, Message, MsgType,
    PortNo,
};

/// A response to a PACKET_IN; everything else is handled inside the switch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Received {
    /// An `OFPT_PACKET_OUT`: the answer to one PACKET_IN.
    PacketOut,
    /// An `OFPT_FLOW_MOD`: counted as a response, as cbench does.
    FlowMod,
}

/// One emulated OpenFlow 1.3 switch's protocol state.
#[derive(Debug)]
pub struct EmulatedSwitch {
    channel: Channel,
    framer: Framer,
    ports: Vec<Port>,
    config: SwitchConfig,
    async_config: AsyncConfig,
    /// Whether the controller has asked for our features (the handshake proper has begun).
    features_requested: bool,
    /// Whether the connection has ended (by either side).
    closed: bool,
}

impl EmulatedSwitch {
    /// A switch with datapath id `dpid` and ports `1..=n_ports`, connected at `now`; its hello
    /// is already queued.
    pub fn new(dpid: u64, n_ports: u16, now: Instant) -> EmulatedSwitch {
        let features = FeaturesReply {
            datapath_id: DatapathId(dpid),
            n_buffers: 0,
            n_tables: 254,
            auxiliary_id: 0,
            capabilities: Capabilities::FLOW_STATS
                | Capabilities::TABLE_STATS
                | Capabilities::PORT_STATS,
            reserved: 0,
        };
        let ports = (1..=n_ports).map(|p| port(dpid, p)).collect();
        EmulatedSwitch {
            channel: Channel::switch(ChannelConfig::default(), features, now),
            framer: Framer::default(),
            ports,
            config: SwitchConfig::default(),
            async_config: AsyncConfig::switch_default(),
            features_requested: false,
            closed: false,
        }
    }

    /// Whether the controller has sent `OFPT_FEATURES_REQUEST` and we answered it.
    pub fn handshaken(&self) -> bool {
        self.features_requested && !self.closed
    }

    /// Whether the connection is over.
    pub fn is_closed(&self) -> bool {
        self.closed || self.channel.is_closed()
    }

    /// The receive buffer, for reading the socket straight into it.
    pub fn recv_buf(&mut self) -> &mut BytesMut {
        self.framer.buf_mut()
    }

    /// Splits the received bytes into messages, handing control messages to the channel and
    /// reporting each response to `on_response`; returns false when the stream is broken.
    pub fn handle_received(&mut self, now: Instant, mut on_response: impl FnMut(Received)) -> bool {
        loop {
            match self.framer.next_frame() {
                Ok(Some(frame)) => match MsgType::from_raw(frame[1]) {
                    MsgType::PacketOut => on_response(Received::PacketOut),
                    MsgType::FlowMod => on_response(Received::FlowMod),
                    t => {
                        if t == MsgType::FeaturesRequest {
                            self.features_requested = true;
                        }
                        self.channel.handle_input(&frame, now);
                        self.answer_events();
                    }
                },
                Ok(None) => return !self.is_closed(),
                Err(_) => {
                    self.closed = true;
                    return false;
                }
            }
        }
    }

    /// Runs the channel's timers (keepalive, handshake timeout).
    pub fn handle_timeout(&mut self, now: Instant) {
        self.channel.handle_timeout(now);
        self.answer_events();
    }

    /// When [`handle_timeout`](EmulatedSwitch::handle_timeout) next has work.
    pub fn poll_timeout(&self) -> Option<Instant> {
        self.channel.poll_timeout()
    }

    /// Appends everything the channel has to send to `tx`.
    pub fn drain_transmit(&mut self, tx: &mut BytesMut) {
        while let Some(bytes) = self.channel.poll_transmit() {
            tx.extend_from_slice(&bytes);
        }
    }

    fn answer_events(&mut self) {
        while let Some(event) = self.channel.poll_event() {
            match event {
                Event::Message(msg) => self.answer(msg),
                Event::Closed { .. } => self.closed = true,
                _ => {}
            }
        }
    }

    /// Answers one request from the controller the way a switch would.
    fn answer(&mut self, msg: Message) {
        let reply = match &msg.body {
            Body::GetConfigRequest => Some(Body::GetConfigReply(self.config)),
            Body::SetConfig(c) => {
                self.config = *c;
                None
            }
            Body::GetAsyncRequest => Some(Body::GetAsyncReply(self.async_config)),
            Body::SetAsync(a) => {
                self.async_config = *a;
                None
            }
            Body::RoleRequest(r) => Some(Body::RoleReply(Role::new(r.role, r.generation_id))),
            Body::MultipartRequest(req) => Some(match self.multipart(&req.body) {
                Some(body) => Body::MultipartReply(MultipartReply::new(body)),
                None => refusal(&msg, BadRequestCode::BadMultipart),
            }),
            // Bundles and other extensions: refused, so the controller falls back to plain
            // messages.
            Body::Experimenter(_) => Some(refusal(&msg, BadRequestCode::BadExperimenter)),
            Body::QueueGetConfigRequest(_) => Some(refusal(&msg, BadRequestCode::BadType)),
            // Flow, group, meter, port and table mods are accepted and ignored, like cbench.
            _ => None,
        };
        if let Some(body) = reply {
            // A full transmit queue means the controller is not reading; dropping a reply
            // then is what a real switch's bounded queue would do too.
            let _ = self.channel.send_message(&Message::new(msg.xid, body));
        }
    }

    fn multipart(&self, req: &MultipartRequestBody) -> Option<MultipartReplyBody> {
        use MultipartReplyBody as R;
        use MultipartRequestBody as Q;
        Some(match req {
            Q::Desc => R::Desc(Desc {
                mfr_desc: "navarch".into(),
                hw_desc: "ofbench emulated switch".into(),
                sw_desc: env!("CARGO_PKG_VERSION").into(),
                serial_num: "0".into(),
                dp_desc: "ofbench".into(),
            }),
            Q::PortDesc => R::PortDesc(self.ports.clone()),
            Q::Flow(_) => R::Flow(Vec::new()),
            Q::Aggregate(_) => R::Aggregate(AggregateStats::default()),
            Q::Table => R::Table(Vec::new()),
            Q::PortStats(_) => R::PortStats(Vec::new()),
            Q::Queue(_) => R::Queue(Vec::new()),
            Q::Group(_) => R::Group(Vec::new()),
            Q::GroupDesc => R::GroupDesc(Vec::new()),
            Q::GroupFeatures => R::GroupFeatures(GroupFeatures::default()),
            Q::Meter(_) => R::Meter(Vec::new()),
            Q::MeterConfig(_) => R::MeterConfig(Vec::new()),
            Q::MeterFeatures => R::MeterFeatures(MeterFeatures::default()),
            Q::TableFeatures(_) => R::TableFeatures(Vec::new()),
            _ => return None,
        })
    }
}

/// An `OFPET_BAD_REQUEST` error refusing `request`, quoting its start as the spec asks.
fn refusal(request: &Message, code: BadRequestCode) -> Body {
    let quoted = request.encode().unwrap_or_default();
    Body::Error(ErrorMsg::for_request(ErrorCode::BadRequest(code), &quoted))
}

/// Port `no` of switch `dpid`: up, 1 Gb/s copper, with a locally administered MAC.
fn port(dpid: u64, no: u16) -> Port {
    let d = dpid.to_be_bytes();
    let n = no.to_be_bytes();
    Port {
        port_no: PortNo(u32::from(no)),
        hw_addr: MacAddr([0x0a, d[6], d[7], 0, n[0], n[1]]),
        name: format!("s{dpid}-eth{no}"),
        config: PortConfig::default(),
        state: PortState::LIVE,
        curr: PortFeatures::RATE_1GB_FD | PortFeatures::COPPER,
        advertised: PortFeatures::default(),
        supported: PortFeatures::RATE_1GB_FD | PortFeatures::COPPER,
        peer: PortFeatures::default(),
        curr_speed: 1_000_000,
        max_speed: 1_000_000,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use openflow::msg::Experimenter;
    use openflow::msg::{MultipartRequest, PacketOut};
    use openflow::{Action, BufferId};

    /// Moves every byte queued on each side to the other until both are quiet; returns the
    /// responses the switch counted.
    fn pump(ctl: &mut Channel, sw: &mut EmulatedSwitch, now: Instant) -> Vec<Received> {
        let mut seen = Vec::new();
        loop {
            let mut tx = BytesMut::new();
            sw.drain_transmit(&mut tx);
            let mut moved = !tx.is_empty();
            ctl.handle_input(&tx, now);
            while let Some(b) = ctl.poll_transmit() {
                moved = true;
                sw.recv_buf().extend_from_slice(&b);
                assert!(sw.handle_received(now, |r| seen.push(r)));
            }
            if !moved {
                return seen;
            }
        }
    }

    fn replies(ctl: &mut Channel) -> Vec<Message> {
        std::iter::from_fn(|| ctl.poll_event())
            .filter_map(|e| match e {
                Event::Message(m) | Event::Reply(m) => Some(m),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn handshakes_answers_requests_and_counts_responses() {
        let now = Instant::now();
        let mut ctl = Channel::new(ChannelConfig::default(), now);
        let mut sw = EmulatedSwitch::new(7, 3, now);
        assert!(!sw.handshaken());
        pump(&mut ctl, &mut sw, now);
        assert!(sw.handshaken());
        assert_eq!(ctl.datapath_id(), Some(DatapathId(7)));
        while ctl.poll_event().is_some() {}

        let port_desc = MultipartRequest::new(MultipartRequestBody::PortDesc);
        ctl.request(Body::MultipartRequest(port_desc), now).unwrap();
        ctl.send(Body::GetConfigRequest).unwrap();
        ctl.send(Body::RoleRequest(Role::query())).unwrap();
        pump(&mut ctl, &mut sw, now);
        let got = replies(&mut ctl);
        let Body::MultipartReply(MultipartReply {
            body: MultipartReplyBody::PortDesc(ports),
            ..
        }) = &got[0].body
        else {
            panic!("want a port description: {}", got[0]);
        };
        let numbers: Vec<u32> = ports.iter().map(|p| p.port_no.0).collect();
        assert_eq!(numbers, [1, 2, 3]);
        assert!(matches!(got[1].body, Body::GetConfigReply(_)), "{}", got[1]);
        assert!(matches!(got[2].body, Body::RoleReply(_)), "{}", got[2]);

        let out = PacketOut {
            buffer_id: BufferId::NO_BUFFER,
            in_port: PortNo(1),
            actions: vec![Action::output(PortNo::FLOOD)],
            data: Default::default(),
        };
        ctl.send(Body::PacketOut(out)).unwrap();
        ctl.send(Body::BarrierRequest).unwrap();
        let seen = pump(&mut ctl, &mut sw, now);
        assert_eq!(seen, [Received::PacketOut]);
        let got = replies(&mut ctl);
        assert!(
            got.iter().any(|m| matches!(m.body, Body::BarrierReply)),
            "{got:?}"
        );
    }

    #[test]
    fn refuses_experimenter_messages() {
        let now = Instant::now();
        let mut ctl = Channel::new(ChannelConfig::default(), now);
        let mut sw = EmulatedSwitch::new(1, 1, now);
        pump(&mut ctl, &mut sw, now);
        while ctl.poll_event().is_some() {}
        let bundle = Experimenter::Other {
            experimenter: 0x0000_2320,
            exp_type: 99,
            data: Default::default(),
        };
        let xid = ctl.send_tracked(Body::Experimenter(bundle)).unwrap();
        pump(&mut ctl, &mut sw, now);
        let failed: Vec<Event> = std::iter::from_fn(|| ctl.poll_event()).collect();
        assert!(
            failed.iter().any(|e| matches!(e, Event::RequestFailed { xid: x, error }
                if *x == xid && error.code == ErrorCode::BadRequest(BadRequestCode::BadExperimenter))),
            "{failed:?}"
        );
    }
}
