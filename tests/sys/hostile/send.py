#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""Hostile ESP for tests/sys/hostile: send one kind of bad (or, as a
control, one good) ESP packet to a gateway, in UDP to port 4500 (RFC 3948)
or as raw ESP (IP protocol 50), from the namespace this runs in.

  send.py udp|esp DST KIND [options]

Kinds (what a correct receiver counts, see tests/sys/hostile/run):
  trunc      15 datagrams of 1..15 bytes, each a prefix of SPI|seq|random
  zero       one empty datagram
  badicv     COUNT packets with the SPI, a fresh sequence number and
             random bytes in place of IV, payload and ICV
  unknown    COUNT packets with SPIs that no SA has
  replay     sniff one ESP packet with the SPI leaving on IFACE towards
             DST, then send exactly its bytes COUNT times
  big        one 65000-byte packet with the SPI (IP fragments it)
  keepalive  one byte 0xff (RFC 3948 §2.3)
  nonesp     four zero bytes and an IKE-sized body (RFC 3948 §2.2)
  good       COUNT correctly built and encrypted ESP packets carrying an
             ICMP echo request (needs --key, --transform, --seq)
  badpad     as good, but the padding bytes are not 1, 2, 3, ...

Nothing but the Python standard library and python3-cryptography.
"""
import argparse
import hashlib
import hmac
import ipaddress
import os
import socket
import struct
import sys
import time

ESP_PORT = 4500
IPPROTO_ESP = 50

# transform: (key bytes, encryption key bytes, IV bytes, ICV bytes, alignment)
TRANSFORMS = {
    "aes128gcm16": (20, 16, 8, 16, 4),
    "aes256gcm16": (36, 32, 8, 16, 4),
    "aes128-sha256": (48, 16, 16, 16, 16),
    "aes256-sha256": (64, 32, 16, 16, 16),
}


def open_sock(mode, dst):
    fam = socket.AF_INET6 if ":" in dst else socket.AF_INET
    if mode == "udp":
        return socket.socket(fam, socket.SOCK_DGRAM)
    return socket.socket(fam, socket.SOCK_RAW, IPPROTO_ESP)


def send(sock, mode, dst, payload):
    sock.sendto(payload, (dst, ESP_PORT if mode == "udp" else 0))


def esp_head(spi, seq):
    return struct.pack("!II", spi, seq)


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def icmp_echo(src, dst, ident, seq):
    """An IPv4 packet with an ICMP echo request, checksums right."""
    body = b"ifsec hostile test " * 2
    icmp = struct.pack("!BBHHH", 8, 0, 0, ident, seq) + body
    icmp = icmp[:2] + struct.pack("!H", checksum(icmp)) + icmp[4:]
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(icmp), ident, 0,
                      64, 1, 0, socket.inet_aton(src), socket.inet_aton(dst))
    hdr = hdr[:10] + struct.pack("!H", checksum(hdr)) + hdr[12:]
    return hdr + icmp


def build_esp(transform, key, spi, seq, inner, next_header, bad_pad):
    """RFC 4303 §2 with RFC 4106 (AES-GCM) or RFC 3602 + RFC 4868."""
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    key_len, enc_len, iv_len, icv_len, align = TRANSFORMS[transform]
    if len(key) != key_len:
        sys.exit("key is %d bytes, %s needs %d" % (len(key), transform, key_len))
    pad_len = (-(len(inner) + 2)) % align
    if pad_len < 2:
        pad_len += align          # room for at least two pad bytes
    if bad_pad:
        pad = bytes([0xA5] * pad_len)
    else:
        pad = bytes(range(1, pad_len + 1))
    plain = inner + pad + bytes([pad_len, next_header])
    head = esp_head(spi, seq)
    iv = os.urandom(iv_len)
    if iv_len == 8:               # AES-GCM: nonce = salt | IV, AAD = SPI | seq
        salt = key[enc_len:]
        sealed = AESGCM(key[:enc_len]).encrypt(salt + iv, plain, head)
        return head + iv + sealed
    enc = Cipher(algorithms.AES(key[:enc_len]), modes.CBC(iv)).encryptor()
    ct = enc.update(plain) + enc.finalize()
    icv = hmac.new(key[enc_len:], head + iv + ct, hashlib.sha256).digest()[:icv_len]
    return head + iv + ct + icv


def sniff_esp(iface, mode, dst, spi, timeout):
    """The ESP bytes (from the SPI on) of the first unfragmented packet
    with this SPI that leaves on iface towards dst."""
    want_dst = ipaddress.ip_address(dst).packed
    spi_b = struct.pack("!I", spi)
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
    s.bind((iface, 0))
    s.settimeout(0.2)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            frame = s.recv(65535)
        except socket.timeout:
            continue
        etype = struct.unpack("!H", frame[12:14])[0]
        ip = frame[14:]
        if etype == 0x0800 and len(ip) >= 20:
            ihl = (ip[0] & 0x0F) * 4
            proto, frag = ip[9], struct.unpack("!H", ip[6:8])[0]
            if ip[16:20] != want_dst or frag & 0x3FFF:
                continue
            total = struct.unpack("!H", ip[2:4])[0]
            l4 = ip[ihl:total]
        elif etype == 0x86DD and len(ip) >= 40:
            proto = ip[6]
            if ip[24:40] != want_dst:
                continue
            l4 = ip[40:40 + struct.unpack("!H", ip[4:6])[0]]
        else:
            continue
        if mode == "udp":
            if proto != 17 or len(l4) < 8 or struct.unpack("!H", l4[2:4])[0] != ESP_PORT:
                continue
            esp = l4[8:]
        else:
            if proto != IPPROTO_ESP:
                continue
            esp = l4
        if esp[:4] == spi_b:
            return esp
    sys.exit("no ESP packet with SPI 0x%08x seen on %s" % (spi, iface))


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mode", choices=("udp", "esp"))
    ap.add_argument("dst")
    ap.add_argument("kind", choices=("trunc", "zero", "badicv", "unknown", "replay",
                                     "big", "keepalive", "nonesp", "good", "badpad"))
    ap.add_argument("--spi", type=lambda v: int(v, 0), default=0x1002)
    ap.add_argument("--count", type=int, default=1)
    ap.add_argument("--transform", default="aes128gcm16", choices=sorted(TRANSFORMS))
    ap.add_argument("--key", help="the SA's key, 0x... as in the configuration")
    ap.add_argument("--seq", type=lambda v: int(v, 0), default=1)
    ap.add_argument("--iface", default="out")
    ap.add_argument("--inner-src", default="198.51.100.1")
    ap.add_argument("--inner-dst", default="198.51.100.2")
    a = ap.parse_args()

    sock = open_sock(a.mode, a.dst)
    _, _, iv_len, icv_len, align = TRANSFORMS[a.transform]
    # A sequence number far ahead of the real traffic: it passes the
    # replay pre-check, so only the ICV can reject the packet.
    far_seq = 0x40000000
    out = []
    if a.kind == "trunc":
        full = esp_head(a.spi, far_seq) + os.urandom(16)
        out = [full[:n] for n in range(1, 16)]
    elif a.kind == "zero":
        out = [b""]
    elif a.kind == "badicv":
        out = [esp_head(a.spi, far_seq + i) + os.urandom(iv_len + 4 * align + icv_len)
               for i in range(a.count)]
    elif a.kind == "unknown":
        out = [esp_head(0xDEAD0000 + i, far_seq) + os.urandom(iv_len + 4 * align + icv_len)
               for i in range(a.count)]
    elif a.kind == "replay":
        esp = sniff_esp(a.iface, a.mode, a.dst, a.spi, 10)
        print("seq=%d" % struct.unpack("!I", esp[4:8])[0])
        out = [esp] * a.count
    elif a.kind == "big":
        out = [esp_head(a.spi, far_seq) + os.urandom(65000 - 8)]
    elif a.kind == "keepalive":
        out = [b"\xff"]
    elif a.kind == "nonesp":
        out = [b"\0\0\0\0" + os.urandom(8) + bytes(20)]
    else:
        if not a.key:
            sys.exit("--key is needed for " + a.kind)
        key = bytes.fromhex(a.key[2:] if a.key.startswith("0x") else a.key)
        for i in range(a.count):
            inner = icmp_echo(a.inner_src, a.inner_dst, 0x4242, i + 1)
            out.append(build_esp(a.transform, key, a.spi, a.seq + i, inner, 4,
                                 a.kind == "badpad"))
    for p in out:
        send(sock, a.mode, a.dst, p)
    print("sent=%d" % len(out))


if __name__ == "__main__":
    main()
