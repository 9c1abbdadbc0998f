#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""Hostile IKEv2 for tests/sys/ike_hostile: send each case of the bad-input
catalogue (RELIABILITY.md §2) to a responder's UDP port 500 (or 4500 with
the non-ESP marker, RFC 3948 §2.2) and check its answer: none, an
unprotected notify of the right type (and data), or an IKE_SA_INIT
response with SA, KE and Nonce.

  send.py DST [--src4 ADDR,...] [--tunnel-spis SPII:SPIR] [--pcap FILE]
          [--only NAME,...] [--list]

Each case sends from a socket of its own (its own source port, so that
answers are told apart), from the first --src4 address unless it may
leave a half-open SA behind: those take the next address each, so that
the per-address cookie threshold (3) is never reached. The groups:
  single    one datagram each, all sent at once; answers are awaited
            together (up to WAIT s after the last one is sent)
  halfopen  a genuine IKE_SA_INIT, then garbage on the half-open SA it
            made (INFORMATIONAL and CREATE_CHILD_SA before IKE_AUTH, a
            bad ICV, a message ID out of the window, SK not last, no
            SK), then the same IKE_SA_INIT again: the cached response,
            byte for byte, both times
  tunnel    with --tunnel-spis: unprotected and badly protected
            messages with the established tunnel's SPIs from another
            port; with --pcap: the initiator's IKE_AUTH request replayed
  stress    1000 datagrams of random bytes (500 and 4500), an
            IKE_SA_INIT with 60 and one with 1000 tiny unknown
            payloads, then a genuine IKE_SA_INIT that must be answered

Prints one line per case ("case NAME: ... ok" or "... FAIL: why") and
"figure: cases=N replies=N failed=N"; exits 1 when a case failed.
Nothing but the Python standard library.
"""
import argparse
import os
import select
import socket
import struct
import sys
import time

IKE_PORT = 500
NATT_PORT = 4500
WAIT = 1.0

# RFC 7296 §3.1, §3.2, §3.10.1
IKE_SA_INIT, IKE_AUTH, CREATE_CHILD_SA, INFORMATIONAL = 34, 35, 36, 37
F_I, F_R = 0x08, 0x20
PL_SA, PL_KE, PL_IDI, PL_AUTH, PL_NONCE, PL_N, PL_SK = 33, 34, 35, 39, 40, 41, 46
N_NAMES = {
    1: "UNSUPPORTED_CRITICAL_PAYLOAD", 4: "INVALID_IKE_SPI",
    5: "INVALID_MAJOR_VERSION", 7: "INVALID_SYNTAX", 9: "INVALID_MESSAGE_ID",
    14: "NO_PROPOSAL_CHOSEN", 17: "INVALID_KE_PAYLOAD", 24: "AUTHENTICATION_FAILED",
    16388: "NAT_DETECTION_SOURCE_IP", 16389: "NAT_DETECTION_DESTINATION_IP",
    16390: "COOKIE",
}
N_BY_NAME = {v: k for k, v in N_NAMES.items()}

# transform types and IDs (IANA)
ENCR, PRF, INTEG, DH = 1, 2, 3, 4
AES_GCM16, PRF_SHA256, X25519, ECP256 = 20, 5, 31, 19


# ---- building ----

def spi():
    return struct.unpack("!Q", os.urandom(8))[0] or 1


def chain(payloads):
    """[(type, body[, critical])] -> (first type, bytes), §3.2 headers."""
    out = b""
    for i, p in enumerate(payloads):
        ptype, body = p[0], p[1]
        crit = len(p) > 2 and p[2]
        nxt = payloads[i + 1][0] if i + 1 < len(payloads) else 0
        out += struct.pack("!BBH", nxt, 0x80 if crit else 0, 4 + len(body)) + body
    return (payloads[0][0] if payloads else 0), out


def message(spi_i, spi_r, exchange, flags, msg_id, payloads, version=0x20,
            length_delta=0, first=None):
    """§3.1 header and the payloads; first overrides Next Payload."""
    ftype, body = chain(payloads)
    if first is not None:
        ftype = first
    length = 28 + len(body) + length_delta
    return struct.pack("!QQBBBBII", spi_i, spi_r, ftype, version, exchange, flags,
                       msg_id, length) + body


def transform(ttype, tid, last=False, key_bits=None):
    attrs = struct.pack("!HH", 0x8000 | 14, key_bits) if key_bits else b""
    return struct.pack("!BBHBBH", 0 if last else 3, 0, 8 + len(attrs), ttype, 0, tid) + attrs


def proposal(num, xfs, protocol=1, spi_bytes=b"", last=True, n_xf=None, spi_size=None):
    body = b"".join(xfs)
    n = len(xfs) if n_xf is None else n_xf
    size = len(spi_bytes) if spi_size is None else spi_size
    return struct.pack("!BBHBBBB", 0 if last else 2, 0, 8 + len(spi_bytes) + len(body),
                       num, protocol, size, n) + spi_bytes + body


def good_xfs(group=X25519):
    return [transform(ENCR, AES_GCM16, key_bits=128), transform(PRF, PRF_SHA256),
            transform(DH, group, last=True)]


def sa_body(group=X25519):
    return proposal(1, good_xfs(group))


def ke_body(group=X25519, data=None, n=32):
    return struct.pack("!HH", group, 0) + (os.urandom(n) if data is None else data)


def notify_body(ntype, data=b""):
    return struct.pack("!BBH", 0, 0, ntype) + data


def nonce(n=32):
    return os.urandom(n)


def init(payloads=None, spi_i=None, spi_r=0, flags=F_I, msg_id=0, **kw):
    if payloads is None:
        payloads = [(PL_SA, sa_body()), (PL_KE, ke_body()), (PL_NONCE, nonce())]
    return message(spi() if spi_i is None else spi_i, spi_r, IKE_SA_INIT, flags,
                   msg_id, payloads, **kw)


def sk_garbage(spi_i, spi_r, exchange, msg_id, flags=F_I, n=64, inner_first=PL_IDI):
    """A message whose only payload is SK with random IV, data and ICV."""
    body = os.urandom(n)
    return struct.pack("!QQBBBBII", spi_i, spi_r, PL_SK, 0x20, exchange, flags, msg_id,
                       28 + 4 + n) + struct.pack("!BBH", inner_first, 0, 4 + n) + body


# ---- answers ----

def parse(data):
    """(header dict, [(type, body)]) of an unprotected message, or None."""
    if len(data) < 28:
        return None
    spi_i, spi_r, nxt, ver, exch, flags, msg_id, length = struct.unpack("!QQBBBBII", data[:28])
    h = {"spi_i": spi_i, "spi_r": spi_r, "version": ver, "exchange": exch,
         "flags": flags, "msg_id": msg_id, "length": length}
    pls, off = [], 28
    while nxt and off + 4 <= len(data):
        n2, _, plen = struct.unpack("!BBH", data[off:off + 4])
        if plen < 4 or off + plen > len(data):
            break
        pls.append((nxt, data[off + 4:off + plen]))
        if nxt == PL_SK:
            break
        nxt, off = n2, off + plen
    return h, pls


def describe(data):
    """A short name for an answer: the notify, INIT_OK, SK or junk."""
    p = parse(data)
    if not p:
        return "junk(%d bytes)" % len(data)
    h, pls = p
    types = [t for t, _ in pls]
    if PL_SA in types and PL_KE in types and PL_NONCE in types:
        return "INIT_OK"
    for t, body in pls:
        if t == PL_N and len(body) >= 4:
            ntype = struct.unpack("!H", body[2:4])[0]
            name = N_NAMES.get(ntype, str(ntype))
            data = body[4 + body[1]:]
            if ntype == 17 and len(data) == 2:
                name += "(%d)" % struct.unpack("!H", data)[0]
            if ntype == 1 and len(data) == 1:
                name += "(%d)" % data[0]
            if ntype == 5 and len(data) == 1:
                name += "(0x%02x)" % data[0]
            return name
    if PL_SK in types:
        return "SK"
    return "other(%s)" % ",".join(map(str, types))


class Case:
    def __init__(self, name, datagrams, expect, port=IKE_PORT, fresh_src=False,
                 check=None):
        self.name = name
        self.datagrams = datagrams if isinstance(datagrams, list) else [datagrams]
        self.expect = expect           # None, "INIT_OK", a notify name, or "ANY"
        self.port = port
        self.fresh_src = fresh_src     # may leave a half-open SA: own address
        self.check = check             # extra check of the first answer
        self.answers = []
        self.sock = None


class Sender:
    def __init__(self, dst, srcs):
        self.dst = dst
        self.srcs = srcs
        self.next_src = 1
        self.results = []

    def src_for(self, case):
        if not case.fresh_src or len(self.srcs) == 1:
            return self.srcs[0]
        s = self.srcs[self.next_src]
        self.next_src = self.next_src + 1 if self.next_src + 1 < len(self.srcs) else 1
        return s

    def send(self, case):
        if case.sock is None:
            case.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            case.sock.bind((self.src_for(case), 0))
            case.sock.setblocking(False)
        for d in case.datagrams:
            if case.port == NATT_PORT:
                d = b"\0\0\0\0" + d
            case.sock.sendto(d, (self.dst, case.port))

    def collect(self, cases, wait):
        """Answers until every case that expects one has it and wait s
        have passed since the call (at most 3 * wait)."""
        t0 = time.monotonic()
        socks = {c.sock: c for c in cases}
        while True:
            now = time.monotonic()
            pending = any(c.expect and not c.answers for c in cases)
            if now - t0 >= 3 * wait or (now - t0 >= wait and not pending):
                break
            r, _, _ = select.select(list(socks), [], [], 0.05)
            for s in r:
                while True:
                    try:
                        d = s.recv(65535)
                    except BlockingIOError:
                        break
                    c = socks[s]
                    if c.port == NATT_PORT:
                        if d[:4] != b"\0\0\0\0":
                            c.answers.append(b"")      # not IKE at all
                            continue
                        d = d[4:]
                    c.answers.append(d)

    def judge(self, case, keep_sock=False):
        got = [describe(a) for a in case.answers]
        why = None
        if case.expect is None:
            if got:
                why = "expected no answer"
        elif not got:
            why = "expected %s, no answer" % case.expect
        elif case.expect != "ANY" and got[0] != case.expect:
            why = "expected %s" % case.expect
        elif len(got) > len(case.datagrams):
            why = "more answers than requests"
        if not why and case.check and case.answers:
            why = case.check(case)
        self.results.append((case.name, why, len(case.answers)))
        print("case %s: sent %d to %d, answer %s %s" % (
            case.name, len(case.datagrams), case.port, ",".join(got) or "none",
            "ok" if not why else "FAIL: " + why))
        sys.stdout.flush()
        if case.sock and not keep_sock:
            case.sock.close()
            case.sock = None

    def run(self, cases, wait=WAIT):
        for c in cases:
            self.send(c)
        self.collect(cases, wait)
        for c in cases:
            self.judge(c)


def answers_request(case):
    """The answer names the request's SPIi and is a response, not I."""
    req = parse(case.datagrams[0])
    h, _ = parse(case.answers[0])
    if h["spi_i"] != req[0]["spi_i"] or not h["flags"] & F_R or h["flags"] & F_I:
        return "answer header wrong: %r" % h
    return None


# ---- the catalogue ----

def single_cases():
    c = []
    good = init()
    # 1: header and length
    for n in (0, 1, 16, 27):
        c.append(Case("truncated-%d" % n, good[:n], None))
    c.append(Case("length-larger", init(length_delta=+8), None))
    c.append(Case("length-smaller", init(length_delta=-8), None))
    c.append(Case("length-below-28", init(length_delta=-(len(good) - 20)), None))
    c.append(Case("datagram-longer-than-message", good + os.urandom(16), None))
    # 2, 3: versions and IKEv1 exchange types
    c.append(Case("version-3.0", init(version=0x30), "INVALID_MAJOR_VERSION(0x20)",
                  check=answers_request))
    c.append(Case("version-1.0-ikev1", init(version=0x10), None))
    for x in (2, 4, 5, 32):
        c.append(Case("ikev1-exchange-%d" % x,
                      message(spi(), 0, x, F_I, 0, [(PL_SA, sa_body())]), None))
    # 4: IKE_SA_INIT header fields
    c.append(Case("init-spir-nonzero", init(spi_r=spi()), None))
    c.append(Case("init-spii-zero", init(spi_i=0), None))
    c.append(Case("init-msgid-1", init(msg_id=1), None))
    c.append(Case("init-r-flag", init(flags=F_I | F_R), None))
    c.append(Case("init-no-i-flag", init(flags=0), None))
    # 6: the payload chain
    sa, ke, ni = sa_body(), ke_body(), nonce()
    body = chain([(PL_SA, sa), (PL_KE, ke), (PL_NONCE, ni)])[1]
    hdr = lambda b, first=PL_SA: struct.pack("!QQBBBBII", spi(), 0, first, 0x20,
                                             IKE_SA_INIT, F_I, 0, 28 + len(b)) + b
    # Nonce's Next Payload names SA again: a "loop" (the chain must end
    # where the bytes do)
    looped = bytearray(body)
    off = 4 + len(sa) + 4 + len(ke)
    looped[off] = PL_SA
    c.append(Case("chain-loops", hdr(bytes(looped)), None))
    past = bytearray(body)
    struct.pack_into("!H", past, 4 + len(sa) + 4 + len(ke) + 2, 4 + len(ni) + 100)
    c.append(Case("chain-past-end", hdr(bytes(past)), None))
    zero = bytearray(body)
    struct.pack_into("!H", zero, 2, 0)
    c.append(Case("payload-length-0", hdr(bytes(zero)), None))
    short = bytearray(body)
    struct.pack_into("!H", short, 2, 3)
    c.append(Case("payload-length-3", hdr(bytes(short)), None))
    c.append(Case("chain-trailing-bytes", hdr(body + b"\0" * 8), None))
    c.append(Case("chain-cut-in-header", hdr(body + b"\x29\x00"), None))
    # 7, 8: unknown payloads
    c.append(Case("unknown-critical", init([(PL_SA, sa_body()), (PL_KE, ke_body()),
                                            (PL_NONCE, nonce()), (200, b"xyz", True)]),
                  "UNSUPPORTED_CRITICAL_PAYLOAD(200)", check=answers_request))
    c.append(Case("ikev1-payload-critical", init([(PL_SA, sa_body()), (1, b"v1", True),
                                                 (PL_KE, ke_body()), (PL_NONCE, nonce())]),
                  "UNSUPPORTED_CRITICAL_PAYLOAD(1)"))
    c.append(Case("unknown-noncritical", init([(PL_SA, sa_body()), (200, b"xyz"),
                                               (PL_KE, ke_body()), (PL_NONCE, nonce())]),
                  "INIT_OK", fresh_src=True, check=answers_request))
    # 10, 11: missing and duplicate payloads
    c.append(Case("missing-sa", init([(PL_KE, ke_body()), (PL_NONCE, nonce())]),
                  "INVALID_SYNTAX", check=answers_request))
    c.append(Case("missing-ke", init([(PL_SA, sa_body()), (PL_NONCE, nonce())]),
                  "INVALID_SYNTAX"))
    c.append(Case("missing-nonce", init([(PL_SA, sa_body()), (PL_KE, ke_body())]),
                  "INVALID_SYNTAX"))
    c.append(Case("duplicate-sa", init([(PL_SA, sa_body()), (PL_SA, sa_body()),
                                        (PL_KE, ke_body()), (PL_NONCE, nonce())]),
                  "INVALID_SYNTAX"))
    c.append(Case("duplicate-ke", init([(PL_SA, sa_body()), (PL_KE, ke_body()),
                                        (PL_KE, ke_body()), (PL_NONCE, nonce())]),
                  "INVALID_SYNTAX"))
    c.append(Case("sk-in-init", init([(PL_SA, sa_body()), (PL_KE, ke_body()),
                                      (PL_NONCE, nonce()), (PL_SK, os.urandom(40))]),
                  "INVALID_SYNTAX"))
    # 12: SA payload
    def init_sa(sa_bytes, **kw):
        return init([(PL_SA, sa_bytes), (PL_KE, ke_body()), (PL_NONCE, nonce())], **kw)
    c.append(Case("sa-empty", init_sa(b""), "INVALID_SYNTAX"))
    c.append(Case("sa-spi-size-4", init_sa(proposal(1, good_xfs(), spi_bytes=b"\1\2\3\4")),
                  "INVALID_SYNTAX"))
    c.append(Case("sa-spi-size-255", init_sa(proposal(1, good_xfs(), spi_size=255)),
                  "INVALID_SYNTAX"))
    c.append(Case("sa-no-transforms", init_sa(proposal(1, [])), "NO_PROPOSAL_CHOSEN"))
    c.append(Case("sa-transform-count-high", init_sa(proposal(1, good_xfs(), n_xf=4)),
                  "INVALID_SYNTAX"))
    c.append(Case("sa-transform-count-low", init_sa(proposal(1, good_xfs(), n_xf=2)),
                  "INVALID_SYNTAX"))
    c.append(Case("sa-transform-count-0", init_sa(proposal(1, good_xfs(), n_xf=0)),
                  "INVALID_SYNTAX"))
    c.append(Case("sa-proposal-number-0", init_sa(proposal(0, good_xfs())),
                  "INVALID_SYNTAX"))
    c.append(Case("sa-proposals-misnumbered",
                  init_sa(proposal(1, good_xfs(), last=False) + proposal(3, good_xfs())),
                  "INVALID_SYNTAX"))
    # §3.3.6: a proposal with a transform type we do not know is refused
    c.append(Case("sa-transform-type-0",
                  init_sa(proposal(1, [transform(0, 1)] + good_xfs())), "NO_PROPOSAL_CHOSEN"))
    c.append(Case("sa-transform-type-200",
                  init_sa(proposal(1, [transform(200, 1)] + good_xfs())),
                  "NO_PROPOSAL_CHOSEN"))
    c.append(Case("sa-aes-key-length-missing",
                  init_sa(proposal(1, [transform(ENCR, AES_GCM16), transform(PRF, PRF_SHA256),
                                       transform(DH, X25519, last=True)])),
                  "NO_PROPOSAL_CHOSEN"))
    c.append(Case("sa-aes-key-length-129",
                  init_sa(proposal(1, [transform(ENCR, AES_GCM16, key_bits=129),
                                       transform(PRF, PRF_SHA256),
                                       transform(DH, X25519, last=True)])),
                  "NO_PROPOSAL_CHOSEN"))
    c.append(Case("sa-esp-protocol", init_sa(proposal(1, good_xfs(), protocol=3,
                                                      spi_bytes=b"\1\2\3\4")),
                  "NO_PROPOSAL_CHOSEN"))
    # 13: KE payload
    c.append(Case("ke-x25519-31-bytes", init([(PL_SA, sa_body()), (PL_KE, ke_body(n=31)),
                                              (PL_NONCE, nonce())]), "INVALID_SYNTAX"))
    c.append(Case("ke-x25519-33-bytes", init([(PL_SA, sa_body()), (PL_KE, ke_body(n=33)),
                                              (PL_NONCE, nonce())]), "INVALID_SYNTAX"))
    c.append(Case("ke-no-data", init([(PL_SA, sa_body()), (PL_KE, ke_body(data=b"")),
                                      (PL_NONCE, nonce())]), "INVALID_SYNTAX"))
    c.append(Case("ke-group-not-chosen", init([(PL_SA, sa_body()),
                                               (PL_KE, ke_body(ECP256, n=64)),
                                               (PL_NONCE, nonce())]),
                  "INVALID_KE_PAYLOAD(31)"))
    c.append(Case("ke-group-1025", init([(PL_SA, sa_body()), (PL_KE, ke_body(1025, n=32)),
                                         (PL_NONCE, nonce())]), "INVALID_KE_PAYLOAD(31)"))
    c.append(Case("ke-group-1025-offered", init([(PL_SA, sa_body(1025)),
                                                 (PL_KE, ke_body(1025, n=32)),
                                                 (PL_NONCE, nonce())]), "NO_PROPOSAL_CHOSEN"))
    c.append(Case("ke-x25519-all-zero", init([(PL_SA, sa_body()),
                                              (PL_KE, ke_body(data=bytes(32))),
                                              (PL_NONCE, nonce())]), "INVALID_SYNTAX"))
    # x25519 point of order 8 (RFC 7748 §6.1: the shared secret is 0)
    low = bytes.fromhex("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800")
    c.append(Case("ke-x25519-low-order", init([(PL_SA, sa_body()), (PL_KE, ke_body(data=low)),
                                               (PL_NONCE, nonce())]), "INVALID_SYNTAX"))
    c.append(Case("ke-ecp256-off-curve",
                  init([(PL_SA, proposal(1, good_xfs(ECP256))),
                        (PL_KE, ke_body(ECP256, data=b"\1" * 64)), (PL_NONCE, nonce())]),
                  "INVALID_SYNTAX"))
    # 14: nonce
    for n in (0, 15, 257):
        c.append(Case("nonce-%d" % n, init([(PL_SA, sa_body()), (PL_KE, ke_body()),
                                            (PL_NONCE, nonce(n))]), "INVALID_SYNTAX"))
    # 15: cookie the responder did not ask for (below the threshold it is
    # ignored: the request is answered)
    c.append(Case("cookie-unasked", init([(PL_N, notify_body(16390, b"\1" * 21)),
                                          (PL_SA, sa_body()), (PL_KE, ke_body()),
                                          (PL_NONCE, nonce())]), "INIT_OK", fresh_src=True))
    # 4, 5, 25: requests and responses without a matching SA
    c.append(Case("response-never-asked", message(spi(), spi(), INFORMATIONAL, F_R, 0,
                                                  [(PL_SK, os.urandom(48))]), None))
    c.append(Case("init-response-never-asked", init(flags=F_R, spi_r=spi()), None))
    c.append(Case("auth-unknown-spi", sk_garbage(spi(), spi(), IKE_AUTH, 1), None))
    c.append(Case("auth-before-init", sk_garbage(spi(), 0, IKE_AUTH, 1), None))
    c.append(Case("informational-unknown-spi", sk_garbage(spi(), spi(), INFORMATIONAL, 0),
                  None))
    c.append(Case("invalid-ike-spi-notify-unprotected",
                  message(spi(), spi(), INFORMATIONAL, F_R, 0,
                          [(PL_N, notify_body(4))]), None))
    # the same over port 4500, after the non-ESP marker
    c.append(Case("natt-truncated", good[:20], None, port=NATT_PORT))
    c.append(Case("natt-unknown-critical", init([(PL_SA, sa_body()), (PL_KE, ke_body()),
                                                 (PL_NONCE, nonce()), (201, b"", True)]),
                  "UNSUPPORTED_CRITICAL_PAYLOAD(201)", port=NATT_PORT))
    c.append(Case("natt-missing-nonce", init([(PL_SA, sa_body()), (PL_KE, ke_body())]),
                  "INVALID_SYNTAX", port=NATT_PORT))
    c.append(Case("natt-init", init(), "INIT_OK", port=NATT_PORT, fresh_src=True,
                  check=answers_request))
    c.append(Case("natt-auth-unknown-spi", sk_garbage(spi(), spi(), IKE_AUTH, 1), None,
                  port=NATT_PORT))
    return c


def halfopen_cases(s):
    """Garbage on a half-open SA, then its IKE_SA_INIT once more."""
    first = Case("halfopen-init", init(), "INIT_OK", fresh_src=True, check=answers_request)
    s.send(first)
    s.collect([first], WAIT)
    s.judge(first, keep_sock=True)   # the rest come from the same port
    sock, answers = first.sock, first.answers
    if not answers:
        sock.close()
        return
    req = parse(first.datagrams[0])[0]
    spi_i, spi_r = req["spi_i"], parse(answers[0])[0]["spi_r"]
    cached = answers[0]

    def same_answer(case):
        if case.answers[0] != cached:
            return "not the cached response byte for byte"
        return None

    cases = [
        Case("halfopen-init-again", first.datagrams[0], "INIT_OK", check=same_answer),
        Case("halfopen-init-other-nonce", init(spi_i=spi_i), None),
        Case("halfopen-informational", sk_garbage(spi_i, spi_r, INFORMATIONAL, 0), None),
        Case("halfopen-informational-clear", message(spi_i, spi_r, INFORMATIONAL, F_I, 1,
                                                     [(42, b"\1\0\0\0")]), None),
        Case("halfopen-create-child", sk_garbage(spi_i, spi_r, CREATE_CHILD_SA, 1), None),
        Case("halfopen-auth-bad-icv", sk_garbage(spi_i, spi_r, IKE_AUTH, 1, n=120), None),
        Case("halfopen-auth-msgid-7", sk_garbage(spi_i, spi_r, IKE_AUTH, 7), None),
        Case("halfopen-auth-msgid-0", sk_garbage(spi_i, spi_r, IKE_AUTH, 0), None),
        Case("halfopen-auth-sk-not-last",
             message(spi_i, spi_r, IKE_AUTH, F_I, 1,
                     [(PL_SK, os.urandom(40)), (PL_N, notify_body(16384))]), None),
        Case("halfopen-auth-no-sk",
             message(spi_i, spi_r, IKE_AUTH, F_I, 1,
                     [(PL_IDI, b"\2\0\0\0x.example.org"), (PL_AUTH, b"\2\0\0\0" + bytes(32))]),
             None),
        Case("halfopen-auth-as-response", sk_garbage(spi_i, spi_r, IKE_AUTH, 1,
                                                     flags=F_I | F_R), None),
        Case("halfopen-auth-sk-short", sk_garbage(spi_i, spi_r, IKE_AUTH, 1, n=3), None),
        Case("halfopen-spi-swapped", sk_garbage(spi_r, spi_i, IKE_AUTH, 1), None),
    ]
    # ... and at the end the SA has survived it all: the request still
    # gets the cached answer
    cases.append(Case("halfopen-init-after-garbage", first.datagrams[0], "INIT_OK",
                      check=same_answer))
    for c in cases:
        c.sock = sock
        s.send(c)
        s.collect([c], WAIT)
        s.judge(c, keep_sock=True)
    sock.close()


def pcap_ike(path):
    """IKE messages (UDP 500/4500 payloads, marker removed) in a pcap."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 24:
        return []
    magic = struct.unpack("<I", data[:4])[0]
    end = "<" if magic in (0xA1B2C3D4, 0xA1B23C4D) else ">"
    linktype = struct.unpack(end + "I", data[20:24])[0]
    off, out = 24, []
    while off + 16 <= len(data):
        incl = struct.unpack(end + "I", data[off + 8:off + 12])[0]
        frame = data[off + 16:off + 16 + incl]
        off += 16 + incl
        if linktype == 1:
            if len(frame) < 14 or frame[12:14] != b"\x08\x00":
                continue
            ip = frame[14:]
        elif linktype == 113:          # Linux cooked
            if len(frame) < 16 or frame[14:16] != b"\x08\x00":
                continue
            ip = frame[16:]
        else:
            continue
        if len(ip) < 28 or ip[9] != 17 or struct.unpack("!H", ip[6:8])[0] & 0x3FFF:
            continue
        ihl = (ip[0] & 15) * 4
        udp = ip[ihl:]
        dport = struct.unpack("!H", udp[2:4])[0]
        payload = udp[8:]
        if dport == NATT_PORT:
            if payload[:4] != b"\0\0\0\0":
                continue
            payload = payload[4:]
        elif dport != IKE_PORT:
            continue
        out.append((socket.inet_ntoa(ip[16:20]), dport, payload))
    return out


def tunnel_cases(s, spis, pcap):
    cases = []
    if spis:
        spi_i, spi_r = (int(x, 16) for x in spis.split(":"))
        cases += [
            Case("tunnel-informational-bad-icv", sk_garbage(spi_i, spi_r, INFORMATIONAL, 2),
                 None),
            Case("tunnel-informational-msgid-high",
                 sk_garbage(spi_i, spi_r, INFORMATIONAL, 0x7FFFFFFF), None),
            Case("tunnel-delete-unprotected",
                 message(spi_i, spi_r, INFORMATIONAL, F_I, 2, [(42, b"\1\0\0\0")]), None),
            Case("tunnel-invalid-ike-spi-unprotected",
                 message(spi_i, spi_r, INFORMATIONAL, F_R, 0, [(PL_N, notify_body(4))]),
                 None),
            Case("tunnel-create-child-bad-icv",
                 sk_garbage(spi_i, spi_r, CREATE_CHILD_SA, 2), None),
            Case("tunnel-init-same-spis", init(spi_i=spi_i, spi_r=spi_r), None),
            Case("tunnel-response-forged", sk_garbage(spi_i, spi_r, INFORMATIONAL, 0,
                                                      flags=F_R), None),
            Case("tunnel-natt-bad-icv", sk_garbage(spi_i, spi_r, INFORMATIONAL, 2), None,
                 port=NATT_PORT),
        ]
    if pcap:
        for src, dport, m in pcap_ike(pcap):
            p = parse(m)
            if p and p[0]["exchange"] == IKE_AUTH and p[0]["flags"] & F_I and \
                    not p[0]["flags"] & F_R:
                # the responder answers a retransmission from its cache,
                # to the SA's own path: nothing comes back to us
                cases.append(Case("tunnel-auth-replayed", m, None, port=dport))
                break
        else:
            print("case tunnel-auth-replayed: no IKE_AUTH request in %s FAIL" % pcap)
            s.results.append(("tunnel-auth-replayed", "no IKE_AUTH in the capture", 0))
    if cases:
        s.run(cases)


def stress_cases(s):
    rnd = Case("random-1000", [os.urandom(1 + (i * 7919) % 1400) for i in range(1000)], None)
    # with valid-looking headers: the length and the version right
    hdrs = []
    for i in range(300):
        body = os.urandom(i % 200)
        hdrs.append(struct.pack("!QQBBBBII", spi(), [0, spi()][i % 2], os.urandom(1)[0],
                                0x20, 34 + i % 4, os.urandom(1)[0], i % 3, 28 + len(body))
                    + body)
    # answers are not awaited (expect None), but allowed (expect ANY)
    hdr_rnd = Case("random-bodies-300", hdrs, None)
    natt = Case("natt-random-300", [os.urandom(1 + i % 300) for i in range(300)], None,
                port=NATT_PORT)
    for c in (rnd, hdr_rnd, natt):
        s.send(c)
    s.collect([rnd, hdr_rnd, natt], WAIT)
    # random headers may well say IKE_SA_INIT with an unknown critical
    # payload or INVALID_SYNTAX: whatever comes must answer a request
    hdr_rnd.expect = "ANY" if hdr_rnd.answers else None
    for c in (rnd, hdr_rnd, natt):
        s.judge(c)
    base = [(PL_SA, sa_body()), (PL_KE, ke_body()), (PL_NONCE, nonce())]
    tiny60 = init(base[:1] + [(150 + i % 50, b"") for i in range(60)] + base[1:])
    tiny1000 = init(base[:1] + [(150 + i % 50, b"") for i in range(1000)] + base[1:])
    s.run([Case("tiny-unknown-60", tiny60, "INIT_OK", fresh_src=True),
           Case("tiny-unknown-1000", tiny1000, None),
           Case("tiny-unknown-critical-1000",
                init(base + [(150, b"", i == 999) for i in range(1000)]), None)])
    s.run([Case("alive-after-stress", init(), "INIT_OK", fresh_src=True,
                check=answers_request)])


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dst", nargs="?")
    ap.add_argument("--src4", default="0.0.0.0",
                    help="source addresses: the first for stateless cases, the "
                    "others one at a time for cases that leave a half-open SA")
    ap.add_argument("--tunnel-spis", help="SPIi:SPIr (hex) of the established IKE SA")
    ap.add_argument("--pcap", help="a capture of the tunnel's IKE exchanges")
    ap.add_argument("--only", help="groups to run (single,halfopen,tunnel,stress)")
    ap.add_argument("--list", action="store_true")
    a = ap.parse_args()
    if a.list:
        for c in single_cases():
            print(c.name)
        return 0
    groups = (a.only or "single,halfopen,tunnel,stress").split(",")
    s = Sender(a.dst, a.src4.split(","))
    if "single" in groups:
        s.run(single_cases())
    if "halfopen" in groups:
        halfopen_cases(s)
    if "tunnel" in groups:
        tunnel_cases(s, a.tunnel_spis, a.pcap)
    if "stress" in groups:
        stress_cases(s)
    failed = [n for n, why, _ in s.results if why]
    replies = sum(n for _, _, n in s.results)
    print("figure: cases=%d replies=%d failed=%d" % (len(s.results), replies, len(failed)))
    if failed:
        print("failed: " + " ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
