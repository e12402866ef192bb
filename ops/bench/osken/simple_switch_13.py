"""A classic OpenFlow 1.3 MAC-learning switch for os-ken, the baseline navarchd is compared
with in ops/bench.

Per datapath it remembers which port each source MAC address was last seen on. A packet to
a known destination gets a flow (match in_port, eth_src, eth_dst; idle timeout) and is sent
out of that port; a packet to an unknown destination is flooded. Every PACKET_IN is answered
with exactly one PACKET_OUT (carrying the packet when the switch did not buffer it), which is
what ofbench waits for.
"""

from os_ken.base import app_manager
from os_ken.controller import ofp_event
from os_ken.controller.handler import CONFIG_DISPATCHER, MAIN_DISPATCHER, set_ev_cls
from os_ken.lib.packet import ethernet, packet
from os_ken.ofproto import ofproto_v1_3

# Seconds a learned flow stays without traffic.
IDLE_TIMEOUT = 60
# Priority of learned flows (the table-miss flow has 0).
LEARNED_PRIORITY = 10


class LearningSwitch13(app_manager.OSKenApp):
    """MAC learning per datapath; floods unknown destinations."""

    OFP_VERSIONS = [ofproto_v1_3.OFP_VERSION]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # datapath id -> {MAC address -> port number}
        self.ports_by_mac = {}

    @set_ev_cls(ofp_event.EventOFPSwitchFeatures, CONFIG_DISPATCHER)
    def on_switch_features(self, ev):
        """Sends every unmatched packet, whole, to the controller."""
        dp = ev.msg.datapath
        ofp, parser = dp.ofproto, dp.ofproto_parser
        to_controller = [parser.OFPActionOutput(ofp.OFPP_CONTROLLER, ofp.OFPCML_NO_BUFFER)]
        self.install(dp, 0, parser.OFPMatch(), to_controller)

    def install(self, dp, priority, match, actions, idle_timeout=0, buffer_id=None):
        """Adds a flow applying `actions`, releasing `buffer_id` through it if given."""
        ofp, parser = dp.ofproto, dp.ofproto_parser
        instructions = [parser.OFPInstructionActions(ofp.OFPIT_APPLY_ACTIONS, actions)]
        mod = parser.OFPFlowMod(
            datapath=dp,
            priority=priority,
            match=match,
            instructions=instructions,
            idle_timeout=idle_timeout,
            buffer_id=ofp.OFP_NO_BUFFER if buffer_id is None else buffer_id,
        )
        dp.send_msg(mod)

    @set_ev_cls(ofp_event.EventOFPPacketIn, MAIN_DISPATCHER)
    def on_packet_in(self, ev):
        """Learns the source, then forwards (installing a flow) or floods."""
        msg = ev.msg
        dp = msg.datapath
        ofp, parser = dp.ofproto, dp.ofproto_parser
        in_port = msg.match["in_port"]

        eth = packet.Packet(msg.data).get_protocol(ethernet.ethernet)
        if eth is None:
            return
        table = self.ports_by_mac.setdefault(dp.id, {})
        table[eth.src] = in_port

        out_port = table.get(eth.dst, ofp.OFPP_FLOOD)
        actions = [parser.OFPActionOutput(out_port)]
        if out_port != ofp.OFPP_FLOOD:
            match = parser.OFPMatch(in_port=in_port, eth_src=eth.src, eth_dst=eth.dst)
            self.install(dp, LEARNED_PRIORITY, match, actions, IDLE_TIMEOUT)

        data = msg.data if msg.buffer_id == ofp.OFP_NO_BUFFER else None
        out = parser.OFPPacketOut(
            datapath=dp,
            buffer_id=msg.buffer_id,
            in_port=in_port,
            actions=actions,
            data=data,
        )
        dp.send_msg(out)
