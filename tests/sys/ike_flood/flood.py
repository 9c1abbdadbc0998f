#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""A bounded IKE_SA_INIT flood for tests/sys/ike_flood: well-formed
requests (SA aes128gcm16-prfsha256-x25519, KE, Nonce) from spoofed IPv4
sources and ports, at a fixed rate for a fixed time, through a raw
socket; the packets are built once, each with its own SPIi, source
address and port.

  flood.py DST --src-net 198.51.100.128/25 --rate PPS --seconds S [--iface IF]

With --iface, the answers that come back on IF (the responder routes
the spoofed prefix to this namespace, whose kernel drops them) are
counted on the wire, by the notify they carry. Prints
  sent=N seconds=S rate=PPS replies=N cookies=N init_ok=N other=N
Nothing but the Python standard library.
"""
import argparse
import ipaddress
import os
import socket
import struct
import sys
import time

N_PACKETS = 16384
BATCH = 32
PL_SA, PL_KE, PL_NONCE, PL_N = 33, 34, 40, 41
N_COOKIE = 16390
ETH_P_ALL = 3
PACKET_OUTGOING = 4


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def ike_sa_init():
    """RFC 7296 §1.2: HDR, SAi1, KEi, Ni."""
    xfs = [struct.pack("!BBHBBHHH", 3, 0, 12, 1, 0, 20, 0x800E, 128),   # ENCR AES-GCM-16 128
           struct.pack("!BBHBBH", 3, 0, 8, 2, 0, 5),                    # PRF HMAC-SHA2-256
           struct.pack("!BBHBBH", 0, 0, 8, 4, 0, 31)]                   # KE x25519
    xf = b"".join(xfs)
    sa = struct.pack("!BBHBBBB", 0, 0, 8 + len(xf), 1, 1, 0, 3) + xf
    ke = struct.pack("!HH", 31, 0) + os.urandom(32)
    ni = os.urandom(32)
    body = (struct.pack("!BBH", PL_KE, 0, 4 + len(sa)) + sa +
            struct.pack("!BBH", PL_NONCE, 0, 4 + len(ke)) + ke +
            struct.pack("!BBH", 0, 0, 4 + len(ni)) + ni)
    spi_i = struct.unpack("!Q", os.urandom(8))[0] | 1
    return struct.pack("!QQBBBBII", spi_i, 0, PL_SA, 0x20, 34, 0x08, 0, 28 + len(body)) + body


def packet(src, dst, sport, payload):
    udp = struct.pack("!HHHH", sport, 500, 8 + len(payload), 0) + payload
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0x4000, 64, 17, 0,
                      socket.inet_aton(src), socket.inet_aton(dst))
    hdr = hdr[:10] + struct.pack("!H", checksum(hdr)) + hdr[12:]
    return hdr + udp


class Counter:
    """IKE answers from UDP port 500 arriving on an interface."""

    def __init__(self, iface):
        self.replies = self.cookies = self.init_ok = self.other = 0
        self.s = None
        if iface:
            self.s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
            self.s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
            self.s.bind((iface, 0))
            self.s.setblocking(False)
        self.buf = bytearray(2048)

    def drain(self):
        if not self.s:
            return
        while True:
            try:
                n, addr = self.s.recvfrom_into(self.buf)
            except BlockingIOError:
                return
            if addr[2] == PACKET_OUTGOING or n < 14 + 20 + 8 + 28:
                continue
            b = self.buf
            if b[12:14] != b"\x08\x00" or b[14 + 9] != 17:
                continue
            ihl = (b[14] & 15) * 4
            udp = 14 + ihl
            if struct.unpack_from("!H", b, udp)[0] != 500:
                continue
            ike = udp + 8
            self.replies += 1
            first = b[ike + 16]
            if first == PL_N and n >= ike + 28 + 8 and \
                    struct.unpack_from("!H", b, ike + 28 + 6)[0] == N_COOKIE:
                self.cookies += 1
            elif first == PL_SA:
                self.init_ok += 1
            else:
                self.other += 1


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dst")
    ap.add_argument("--src-net", default="198.51.100.128/25")
    ap.add_argument("--rate", type=int, default=10000)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--iface")
    a = ap.parse_args()
    if not 0 < a.rate <= 100000 or not 0 < a.seconds <= 60:
        sys.exit("rate must be 1..100000 pps and seconds 1..60 (a bounded flood)")

    hosts = [str(h) for h in ipaddress.ip_network(a.src_net).hosts()]
    pkts = [packet(hosts[i % len(hosts)], a.dst, 1024 + (i * 7) % 60000, ike_sa_init())
            for i in range(N_PACKETS)]
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4 << 20)
    dst = (a.dst, 0)
    counter = Counter(a.iface)
    total = int(a.rate * a.seconds)
    sent = 0
    t0 = time.monotonic()
    deadline = t0 + a.seconds + 5
    while sent < total:
        now = time.monotonic()
        if now > deadline:
            break
        due = min(total, int((now - t0) * a.rate) + 1)
        if sent >= due:
            counter.drain()
            time.sleep(0.0005)
            continue
        for _ in range(min(BATCH, due - sent)):
            try:
                s.sendto(pkts[sent % N_PACKETS], dst)
            except (BlockingIOError, OSError):
                break
            sent += 1
        counter.drain()
    elapsed = time.monotonic() - t0
    # the last answers
    end = time.monotonic() + 0.5
    while time.monotonic() < end:
        counter.drain()
        time.sleep(0.01)
    print("sent=%d seconds=%.2f rate=%d replies=%d cookies=%d init_ok=%d other=%d" % (
        sent, elapsed, sent / elapsed if elapsed > 0 else 0, counter.replies,
        counter.cookies, counter.init_ok, counter.other))
    return 0


if __name__ == "__main__":
    sys.exit(main())
