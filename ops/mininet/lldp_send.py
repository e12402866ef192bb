#!/usr/bin/python3
"""Sends forged LLDP frames out of one interface through a raw AF_PACKET socket.

Runs inside a Mininet host (run.py's `inject-lldp` calls it there) or anywhere else as root:

  lldp_send.py IFACE [--chassis-mac MAC | --chassis-local TEXT] [--port-id TEXT]
               [--ttl SECONDS] [--tlv TYPE:HEX ...] [--count N] [--interval SECONDS]
  lldp_send.py IFACE --frame-hex HEX [--count N] [--interval SECONDS]

The first form builds an IEEE 802.1AB frame (destination 01:80:c2:00:00:0e, ethertype 0x88cc):
Chassis ID, Port ID and TTL TLVs, then any extra TLVs given with --tlv (e.g. an
organizationally specific TLV 127 that imitates a controller's signature), then End of LLDPDU.
The second form sends the given bytes unchanged (to replay a captured frame, altered or not).
Prints one JSON object: {"interface", "frames_sent", "frame_hex"}.
"""

import argparse
import json
import socket
import struct
import sys
import time

LLDP_MULTICAST = bytes.fromhex("0180c200000e")
ETH_TYPE_LLDP = 0x88CC

TLV_END = 0
TLV_CHASSIS_ID = 1
TLV_PORT_ID = 2
TLV_TTL = 3

CHASSIS_SUBTYPE_MAC = 4
CHASSIS_SUBTYPE_LOCAL = 7
PORT_SUBTYPE_LOCAL = 7


def tlv(kind, value):
    """One LLDP TLV: 7-bit type, 9-bit length, value."""
    if not 0 <= kind <= 127:
        raise ValueError("TLV type %d is outside 0..127" % kind)
    if len(value) > 511:
        raise ValueError("TLV value of %d bytes exceeds 511" % len(value))
    return struct.pack("!H", (kind << 9) | len(value)) + value


def mac_bytes(text):
    """Parses aa:bb:cc:dd:ee:ff."""
    parts = text.split(":")
    if len(parts) != 6:
        raise ValueError("bad MAC address %r" % text)
    return bytes(int(p, 16) for p in parts)


def interface_mac(iface):
    """The interface's own MAC address, read from sysfs."""
    with open("/sys/class/net/%s/address" % iface) as f:
        return mac_bytes(f.read().strip())


def build_frame(args, src_mac):
    """The LLDP frame the command line describes."""
    if args.chassis_mac:
        chassis = bytes([CHASSIS_SUBTYPE_MAC]) + mac_bytes(args.chassis_mac)
    else:
        chassis = bytes([CHASSIS_SUBTYPE_LOCAL]) + args.chassis_local.encode()
    body = tlv(TLV_CHASSIS_ID, chassis)
    body += tlv(TLV_PORT_ID, bytes([PORT_SUBTYPE_LOCAL]) + args.port_id.encode())
    body += tlv(TLV_TTL, struct.pack("!H", args.ttl))
    for extra in args.tlv:
        kind, _, hexval = extra.partition(":")
        body += tlv(int(kind), bytes.fromhex(hexval))
    body += tlv(TLV_END, b"")
    frame = LLDP_MULTICAST + src_mac + struct.pack("!H", ETH_TYPE_LLDP) + body
    # Ethernet minimum frame size without FCS.
    return frame.ljust(60, b"\0")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("interface")
    parser.add_argument("--chassis-mac", help="Chassis ID as a MAC address (subtype 4)")
    parser.add_argument(
        "--chassis-local",
        default="dpid:0000000000000001",
        help="Chassis ID as locally assigned text (subtype 7); default %(default)s",
    )
    parser.add_argument("--port-id", default="1", help="Port ID text (subtype 7); default %(default)s")
    parser.add_argument("--ttl", type=int, default=120, help="TTL seconds; default %(default)s")
    parser.add_argument("--tlv", action="append", default=[], metavar="TYPE:HEX", help="extra TLV")
    parser.add_argument("--frame-hex", help="send exactly these bytes instead of building a frame")
    parser.add_argument("--count", type=int, default=1)
    parser.add_argument("--interval", type=float, default=0.1)
    args = parser.parse_args()

    try:
        if args.frame_hex:
            frame = bytes.fromhex(args.frame_hex)
            if len(frame) < 14:
                raise ValueError("a frame needs at least the 14-byte Ethernet header")
        else:
            frame = build_frame(args, interface_mac(args.interface))
        sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
        sock.bind((args.interface, 0))
        sent = 0
        for i in range(args.count):
            if i:
                time.sleep(args.interval)
            sock.send(frame)
            sent += 1
        sock.close()
    except (OSError, ValueError) as e:
        print("lldp_send.py: %s" % e, file=sys.stderr)
        return 1
    print(json.dumps({"interface": args.interface, "frames_sent": sent, "frame_hex": frame.hex()}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
