#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""Hostile VICI clients against a live ifsecd (tests/sys/vici_hostile).

  hostile.py SOCKET PID [--only STEP,...] [--list]

One well-behaved observer connection is opened first and kept to the end;
after every step it must still get the same answer to `version`, promptly,
and the daemon (PID) must still run. Each step is a function marked
@step below; the tables ARG_CASES, MALFORMED and WRONG_TYPES hold the
cases of the steps that go through a list, so a case is one more line.

What the server promises (src/control/server.h) and the steps check:
a request with a missing or wrong argument gets success=no and an errmsg;
an unknown command CMD_UNKNOWN, an unknown event EVENT_UNKNOWN; a packet
or message that does not parse, a packet type only servers send, or a
length over 64 KiB disconnects that client (nothing is read or allocated
for an oversized length); a message over the parser's depth limit gets
success=no; a client whose unread output passes 4 MiB is disconnected;
at most 32 clients, the one too many is closed at once.

Lines "figure: ..." are the measurements; the exit status is 1 if any
step failed (all steps run unless the daemon or the observer is gone).
"""
import argparse
import os
import random
import socket
import struct
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import vici  # noqa: E402

MAX_CLIENTS = 32              # CTL_DEFAULT_MAX_CLIENTS
MAX_REQUEST = 64 * 1024       # CTL_DEFAULT_MAX_REQUEST: largest length field
MAX_QUEUED = 4 * 1024 * 1024  # CTL_DEFAULT_MAX_QUEUED: output per client
ANSWER_S = 2.0                # an answer (or a disconnect) within this
OBSERVER_MAX_S = 2.0          # the observer's round trip, at any time

STEPS = []


def step(name, title):
    def add(fn):
        STEPS.append((name, title, fn))
        return fn
    return add


class StepFailed(Exception):
    pass


class Ctx:
    def __init__(self, path, pid):
        self.path = path
        self.pid = pid
        self.failures = []
        self.step = None
        self.observer = None
        self.version = None
        self.obs_rtts = []
        self.n_restarts = 0     # the tunnel, after a request took it down
        self.ran_steps = set()

    def ran(self, name):
        return name in self.ran_steps

    def fail(self, msg):
        """Record a failure of this step and go on with it."""
        print("FAIL: %s: %s" % (self.step, msg), flush=True)
        self.failures.append("%s: %s" % (self.step, msg))

    def figure(self, text):
        print("figure: vici-hostile: %s" % text, flush=True)

    def client(self, timeout=ANSWER_S):
        return vici.Client(self.path, timeout)

    def is_alive(self):
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        return True

    def status(self, key):
        """A line of /proc/PID/status in KiB (VmRSS, VmHWM)."""
        with open("/proc/%d/status" % self.pid) as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
        return -1

    def observe(self):
        """One version round trip on the observer; its time in s."""
        t0 = time.monotonic()
        try:
            resp = self.observer.command("version", timeout=OBSERVER_MAX_S)
        except vici.Error as e:
            raise StepFailed("the observer got no answer: %s" % e) from None
        rtt = time.monotonic() - t0
        if resp != self.version:
            raise StepFailed("the observer got %r, not %r" % (resp, self.version))
        self.obs_rtts.append(rtt)
        return rtt


def outcome(c, timeout=ANSWER_S):
    """What the server did after a client sent something: "closed",
    "error" (success=no with an errmsg), "response", "unknown"
    (CMD_UNKNOWN), "confirm", "event-unknown", "event", or "hang"
    (neither an answer nor a disconnect in time)."""
    try:
        p = c.read_packet(timeout)
    except vici.Closed:
        return "closed"
    except vici.Timeout:
        return "hang"
    if p.type == vici.CMD_RESPONSE:
        if p.msg.get("success") == "no" and p.msg.get("errmsg"):
            return "error"
        return "response"
    return {vici.CMD_UNKNOWN: "unknown", vici.EVENT_CONFIRM: "confirm",
            vici.EVENT_UNKNOWN: "event-unknown", vici.EVENT: "event"}.get(p.type, "?")


def still_usable(ctx, c, what):
    try:
        if c.command("version") != ctx.version:
            ctx.fail("%s: a wrong version answer afterwards" % what)
    except vici.Error as e:
        ctx.fail("%s: the connection is not usable afterwards: %s" % (what, e))


# ---- 1. Missing or wrong arguments ------------------------------------------

LONG = "x" * 300
# (label, command, message): each must get success=no and an errmsg, on a
# connection that answers version afterwards. The tunnel is "t", its child
# "net", up; none of these may touch it.
ARG_CASES = [
    ("initiate without child or ike", "initiate", {}),
    ("initiate of an unknown child", "initiate", {"child": "nosuch"}),
    ("initiate of an unknown ike", "initiate", {"ike": "nosuch"}),
    ("initiate with an empty child", "initiate", {"child": ""}),
    ("initiate, child a section", "initiate", {"child": {"net": "x"}}),
    ("initiate, child a list", "initiate", {"child": ["net"]}),
    ("initiate, ike a section, child valid", "initiate",
     {"ike": {"t": "x"}, "child": "net"}),
    ("initiate, child a list, ike valid", "initiate", {"ike": "t", "child": ["net"]}),
    ("initiate, timeout not a number", "initiate", {"child": "net", "timeout": "abc"}),
    ("initiate, timeout with a unit", "initiate", {"child": "net", "timeout": "10s"}),
    ("initiate, timeout a section", "initiate", {"child": "net", "timeout": {"a": "1"}}),
    ("initiate, timeout a list", "initiate", {"child": "net", "timeout": ["1000"]}),
    ("initiate, ike name of 300 bytes", "initiate", {"ike": LONG, "child": "net"}),
    ("terminate without ike", "terminate", {}),
    ("terminate of an unknown ike", "terminate", {"ike": "nosuch"}),
    ("terminate of an unknown child", "terminate", {"child": "nosuch"}),
    ("terminate, ike a list", "terminate", {"ike": ["t"]}),
    ("terminate, ike a section", "terminate", {"ike": {"t": "x"}}),
    ("initiate, valid child of an unknown ike", "initiate", {"ike": "nosuch", "child": "net"}),
    # These take the tunnel down if the daemon ignores the bad value:
    # the step then brings it up again (and the ping loses a packet).
    ("terminate, ike of 300 bytes, child valid", "terminate", {"ike": LONG, "child": "net"}),
    ("terminate, ike valid, child a list", "terminate", {"ike": "t", "child": ["nosuch"]}),
]


@step("arguments", "missing or wrong arguments get success=no and an errmsg")
def step_arguments(ctx):
    n_ok = 0
    for label, cmd, msg in ARG_CASES:
        with ctx.client() as c:
            try:
                _, p = c.request(cmd, msg)
            except vici.Error as e:
                ctx.fail("%s: no response: %s" % (label, e))
                continue
            if p.type != vici.CMD_RESPONSE:
                ctx.fail("%s: %s, not CMD_RESPONSE" % (label, vici.type_name(p.type)))
            elif p.msg.get("success") != "no" or not p.msg.get("errmsg"):
                ctx.fail("%s: answered %r, not success=no with an errmsg" % (label, p.msg))
            else:
                n_ok += 1
                print("  %-45s errmsg=%r" % (label, p.msg["errmsg"]))
            still_usable(ctx, c, label)
        tunnel_still_up(ctx, label)
    ctx.figure("arguments: %d of %d bad requests answered success=no with an errmsg"
               % (n_ok, len(ARG_CASES)))


def sa_states(c):
    events, _ = c.streamed("list-sas", "list-sa")
    return [e.get("t", {}).get("state") for e in events]


def tunnel_still_up(ctx, label):
    """Fail if t's SA is going or gone, and bring it up again. Not before
    the old SA is gone: an initiate while it is deleted is answered with
    failure when the delete completes (see the report of this test)."""
    with ctx.client(timeout=15.0) as c:
        if sa_states(c) == ["ESTABLISHED"]:
            return
        ctx.fail("%s: took the tunnel down; initiating it again" % label)
        ctx.n_restarts += 1
        deadline = time.monotonic() + 5
        while sa_states(c) and time.monotonic() < deadline:
            time.sleep(0.01)
        resp = c.command("initiate", {"child": "net", "timeout": "10000"})
        if resp.get("success") != "yes":
            raise StepFailed("the tunnel did not come up again: %r" % resp)


# ---- 2. Unknown commands and events -----------------------------------------

@step("unknown", "unknown command: CMD_UNKNOWN; unknown event: EVENT_UNKNOWN")
def step_unknown(ctx):
    with ctx.client() as c:
        for cmd in ("nosuch", "", "VERSION", "version\x7f", "x" * 255):
            got = outcome_of_request(c, cmd)
            if got != "unknown":
                ctx.fail("command %r: %s, not CMD_UNKNOWN" % (cmd[:20], got))
        still_usable(ctx, c, "after unknown commands")
        for ptype in (vici.EVENT_REGISTER, vici.EVENT_UNREGISTER):
            for ev in ("nosuch", "", "LIST-SA", "y" * 255):
                c.send_packet(ptype, ev)
                got = outcome(c)
                if got != "event-unknown":
                    ctx.fail("%s %r: %s, not EVENT_UNKNOWN" % (vici.type_name(ptype), ev[:20], got))
        # a known event is confirmed, and streams
        try:
            events, resp = c.streamed("list-sas", "list-sa")
            if len(events) != 1 or "t" not in events[0]:
                ctx.fail("list-sas streamed %r, not the SA of t" % events)
        except vici.Error as e:
            ctx.fail("register/list-sas/unregister: %s" % e)
        still_usable(ctx, c, "after unknown events")


def outcome_of_request(c, cmd, msg=None):
    c.send_packet(vici.CMD_REQUEST, cmd, msg)
    return outcome(c)


# ---- 3. Disconnect in the middle of a message -------------------------------

VERSION_REQ = vici.encode_packet(vici.CMD_REQUEST, "version")


@step("cut", "clients that go away in the middle of a packet, 200 times each way")
def step_cut(ctx):
    body = vici.encode_packet(vici.CMD_REQUEST, "version", {"pad": "p" * 90})[4:]
    ways = [
        ("half a length field", b"\x00\x00"),
        ("a length and part of the body", vici.frame(body)[:4 + len(body) // 2]),
        ("a length only", vici.frame(body)[:4]),
        ("a request, then half of the next", VERSION_REQ + VERSION_REQ[:6]),
        ("a request, gone before its answer", VERSION_REQ),
    ]
    # So fast that the daemon may still count some of those gone when the
    # next ones come: those it closes at once (the client bound).
    n_refused = 0
    t0 = time.monotonic()
    for _ in range(200):
        for _, data in ways:
            c = ctx.client()
            try:
                c.send_raw(data)
            except vici.Closed:
                n_refused += 1
            c.close()
    dt = time.monotonic() - t0
    if n_refused > 100 * len(ways):
        ctx.fail("%d of %d clients refused" % (n_refused, 200 * len(ways)))
    # Half-closed: the server sees the end of the stream in mid-packet
    # and must close rather than wait for the rest.
    n_closed = 0
    for label, data in ways[:3]:
        with ctx.client() as c:
            c.send_raw(data)
            c.sock.shutdown(socket.SHUT_WR)
            got = outcome(c)
            if got != "closed":
                ctx.fail("%s, then half-closed: %s, not closed" % (label, got))
            else:
                n_closed += 1
    ctx.figure("cut: %d clients cut short in %.2f s (%d of them found closed, over the "
               "client bound); %d of 3 half-closed ones closed"
               % (200 * len(ways), dt, n_refused, n_closed))


# ---- 4. Oversized length fields ---------------------------------------------

@step("oversized", "a length over 64 KiB disconnects before any of the body is read")
def step_oversized(ctx):
    rss0, hwm0 = ctx.status("VmRSS"), ctx.status("VmHWM")
    # The boundary: exactly MAX_REQUEST is a request, one more is not.
    pad = MAX_REQUEST - len(VERSION_REQ[4:]) - 1 - 1 - 3 - 2
    req = vici.encode_packet(vici.CMD_REQUEST, "version", {"pad": "p" * pad})
    assert len(req) == 4 + MAX_REQUEST
    with ctx.client() as c:
        c.send_raw(req)
        got = outcome(c)
        if got != "response":
            ctx.fail("a request of exactly %d bytes: %s, not answered" % (MAX_REQUEST, got))
    lengths = [MAX_REQUEST + 1, 512 * 1024 + 1, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF]
    n = 0
    worst = 0.0
    for length in lengths:
        for i in range(50):
            with ctx.client() as c:
                if i == 0:      # after a good request on the same connection
                    still_usable(ctx, c, "before the length %#x" % length)
                t0 = time.monotonic()
                c.send_raw(struct.pack("!I", length) + b"\x00\x07version")
                got = outcome(c)
                worst = max(worst, time.monotonic() - t0)
                if got != "closed":
                    ctx.fail("length %#x: %s, not closed" % (length, got))
                    break
                n += 1
    # and while the client goes on sending the body it announced
    with ctx.client() as c:
        c.send_raw(struct.pack("!I", MAX_REQUEST + 1))
        try:
            c.send_raw(VERSION_REQ[4:] + b"\x03\x03pad\xff\xff" + b"p" * MAX_REQUEST)
        except vici.Closed:
            pass
        if outcome(c) != "closed":
            ctx.fail("a length of 64 KiB + 1 and its body: not closed")
    rss1, hwm1 = ctx.status("VmRSS"), ctx.status("VmHWM")
    ctx.figure("oversized: %d clients with lengths %s closed, the slowest in %.0f ms; "
               "ifsecd VmRSS %d -> %d KiB, VmHWM %d -> %d KiB"
               % (n, "/".join("%#x" % x for x in lengths), worst * 1000, rss0, rss1, hwm0, hwm1))
    # Reading or allocating even one 512 KiB body per client would show.
    if rss1 - rss0 > 16 * 1024:
        ctx.fail("ifsecd's RSS grew by %d KiB" % (rss1 - rss0))


# ---- 5. Malformed packets and messages --------------------------------------

def req_with(msg_bytes, name=b"version"):
    """A CMD_REQUEST packet for name carrying raw message bytes."""
    return vici.frame(bytes([vici.CMD_REQUEST, len(name)]) + name + msg_bytes)


S, E, KV, LS, LI, LE = (bytes([t]) for t in (1, 2, 3, 4, 5, 6))
NESTED = (S + b"\x01s") * 1000 + E * 1000
# (label, bytes, what the server must do: see server.h)
MALFORMED = [
    ("packet name length past the end", vici.frame(b"\x00\x14version"), "closed"),
    ("packet name holding a NUL", vici.frame(b"\x00\x08vers\x00ion"), "closed"),
    ("length 0", b"\x00\x00\x00\x00", "closed"),
    ("bytes after an EVENT_REGISTER", vici.frame(b"\x03\x04list\x03\x01k\x00\x00"), "closed"),
    ("element type 0", req_with(b"\x00"), "closed"),
    ("element type 9", req_with(b"\x09\x01k"), "closed"),
    ("element type 255", req_with(b"\xff"), "closed"),
    ("section end without start", req_with(E), "closed"),
    ("list item outside a list", req_with(LI + b"\x00\x01x"), "closed"),
    ("list end outside a list", req_with(LE), "closed"),
    ("unterminated section", req_with(S + b"\x03sec" + KV + b"\x01k\x00\x01v"), "closed"),
    ("unterminated list", req_with(LS + b"\x03lst" + LI + b"\x00\x01x"), "closed"),
    ("key-value length past the end", req_with(KV + b"\x01k\x00\x10ab"), "closed"),
    ("key name length past the end", req_with(KV + b"\x20k"), "closed"),
    ("section name length past the end", req_with(S + b"\x10ab"), "closed"),
    ("key name holding a NUL", req_with(KV + b"\x02k\x00\x00\x01v"), "closed"),
    ("section inside a list", req_with(LS + b"\x01l" + S + b"\x01s" + E + LE), "closed"),
    ("key-value inside a list", req_with(LS + b"\x01l" + KV + b"\x01k\x00\x00" + LE), "closed"),
    ("list inside a list", req_with(LS + b"\x01l" + LS + b"\x01m" + LE + LE), "closed"),
    ("element cut after its type", req_with(KV), "closed"),
    ("value length cut in half", req_with(KV + b"\x01k\x00"), "closed"),
    ("more section ends than starts", req_with(S + b"\x01s" + E + E), "closed"),
    ("malformed message, unknown command", req_with(E, b"nosuch"), "closed"),
    ("1000 nested sections", req_with(NESTED), "error"),
    ("1000 unterminated sections", req_with((S + b"\x01s") * 1000), "error"),
]


def random_packet(rng):
    """A packet with a valid length field around bytes that are partly
    structure, partly noise."""
    kind = rng.random()
    if kind < 0.25:
        return vici.frame(rng.randbytes(rng.randrange(0, 80)))
    t = rng.randrange(0, 8) if kind < 0.9 else rng.randrange(8, 256)
    name = rng.choice([b"version", b"stats", b"list-sa", b"nosuch", rng.randbytes(rng.randrange(0, 12))])
    body = bytes([t])
    if t in vici.NAMED:
        n = len(name) if rng.random() < 0.8 else rng.randrange(0, 256)
        body += bytes([n]) + name
    for _ in range(rng.randrange(0, 12)):
        e = rng.randrange(0, 10)
        body += bytes([e])
        if e in (1, 3, 4):
            nm = rng.randbytes(rng.randrange(0, 6))
            n = len(nm) if rng.random() < 0.85 else rng.randrange(0, 256)
            body += bytes([n]) + nm
        if e in (3, 5):
            v = rng.randbytes(rng.randrange(0, 8))
            n = len(v) if rng.random() < 0.85 else rng.randrange(0, 65536)
            body += struct.pack("!H", n) + v
    return vici.frame(body)


@step("malformed", "malformed packets and messages: disconnected or an error, never a crash")
def step_malformed(ctx):
    for label, data, want in MALFORMED:
        with ctx.client() as c:
            c.send_raw(data)
            got = outcome(c)
            print("  %-40s %s" % (label, got))
            if got != want:
                ctx.fail("%s: %s, not %s" % (label, got, want))
            elif got == "error":
                still_usable(ctx, c, label)
    rng = random.Random(20240611)
    tally = {}
    for i in range(400):
        data = random_packet(rng)
        with ctx.client() as c:
            c.send_raw(data)
            got = outcome(c)
        tally[got] = tally.get(got, 0) + 1
        if got in ("hang", "?", "event"):
            ctx.fail("random packet %d (%s): %s" % (i, data.hex(), got))
    # and streams of noise, lengths included
    for i in range(50):
        with ctx.client() as c:
            try:
                c.send_raw(rng.randbytes(rng.randrange(1, 4096)))
            except vici.Closed:
                pass
            got = outcome(c)
        if got in ("hang", "?", "event"):
            ctx.fail("random stream %d: %s" % (i, got))
        tally["stream " + got] = tally.get("stream " + got, 0) + 1
    ctx.figure("malformed: %d crafted cases; 400 random packets and 50 random streams: %s"
               % (len(MALFORMED), ", ".join("%s %d" % kv for kv in sorted(tally.items()))))


# ---- 6. Packet types only the server sends ----------------------------------

WRONG_TYPES = [
    ("CMD_RESPONSE", vici.encode_packet(vici.CMD_RESPONSE, msg={"success": "yes"})),
    ("CMD_RESPONSE, empty", vici.encode_packet(vici.CMD_RESPONSE)),
    ("CMD_UNKNOWN", vici.encode_packet(vici.CMD_UNKNOWN)),
    ("EVENT_CONFIRM", vici.encode_packet(vici.EVENT_CONFIRM)),
    ("EVENT_UNKNOWN", vici.encode_packet(vici.EVENT_UNKNOWN)),
    ("EVENT", vici.encode_packet(vici.EVENT, "list-sa", {"t": {"state": "x"}})),
    ("type 8", vici.frame(b"\x08")),
    ("type 200", vici.frame(b"\xc8\x07version")),
    ("type 255", vici.frame(b"\xff")),
]


@step("types", "packet types only a server sends disconnect the client")
def step_types(ctx):
    for label, data in WRONG_TYPES:
        with ctx.client() as c:
            still_usable(ctx, c, "before " + label)
            c.send_raw(data)
            got = outcome(c)
            print("  %-25s %s" % (label, got))
            if got != "closed":
                ctx.fail("%s: %s, not closed" % (label, got))


# ---- 7. Floods ----------------------------------------------------------------

# The requests of the well-behaved pipelining client, in turn, and what
# tells their answers apart (so that the order is checked).
PIPELINE = [
    (vici.encode_packet(vici.CMD_REQUEST, "version"),
     lambda p: p.type == vici.CMD_RESPONSE and p.msg.get("daemon") == "ifsecd"),
    (vici.encode_packet(vici.CMD_REQUEST, "stats"),
     lambda p: p.type == vici.CMD_RESPONSE and "uptime" in p.msg),
    (vici.encode_packet(vici.CMD_REQUEST, "nosuch"),
     lambda p: p.type == vici.CMD_UNKNOWN),
    (vici.encode_packet(vici.CMD_REQUEST, "initiate", {"child": "nosuch"}),
     lambda p: p.type == vici.CMD_RESPONSE and p.msg.get("success") == "no"),
]


class Flooder(threading.Thread):
    """Sends all its bytes and never reads."""

    def __init__(self, ctx, data):
        super().__init__(daemon=True)
        self.c = vici.Client(ctx.path, 30.0)
        self.data = data
        self.sent_all = False
        self.n_sent = 0         # bytes, in whole chunks
        self.err = None

    def run(self):
        chunk = 65536
        try:
            while self.n_sent < len(self.data):
                self.c.send_raw(self.data[self.n_sent:self.n_sent + chunk])
                self.n_sent += min(chunk, len(self.data) - self.n_sent)
            self.sent_all = True
        except vici.Closed:
            pass
        except OSError as e:
            self.err = e


class Pipeliner(threading.Thread):
    """Sends n requests in one go while reading and checking the answers."""

    def __init__(self, ctx, n):
        super().__init__(daemon=True)
        self.c = vici.Client(ctx.path, 10.0)
        self.n = n
        self.n_right = 0
        self.err = None
        self.seconds = 0

    def run(self):
        data = b"".join(PIPELINE[i % len(PIPELINE)][0] for i in range(self.n))
        writer = threading.Thread(target=self.c.send_raw, args=(data,), daemon=True)
        t0 = time.monotonic()
        writer.start()
        try:
            for i in range(self.n):
                p = self.c.read_packet()
                if not PIPELINE[i % len(PIPELINE)][1](p):
                    self.err = "answer %d is %r" % (i, p)
                    break
                self.n_right += 1
        except vici.Error as e:
            self.err = "after %d answers: %s" % (self.n_right, e)
        self.seconds = time.monotonic() - t0
        writer.join(5)


@step("flood", "a client that never reads is cut off at the queue bound; others are served")
def step_flood(ctx):
    resp_len = len(vici.encode_packet(vici.CMD_RESPONSE, msg=ctx.version))
    # Enough answers to pass the queue bound twice over, socket buffers
    # and all: 20,000 at least.
    n = max(20000, 2 * (MAX_QUEUED + 1024 * 1024) // resp_len)
    rss0 = ctx.status("VmRSS")
    flooder = Flooder(ctx, VERSION_REQ * n)
    piper = Pipeliner(ctx, 5000)
    t0 = time.monotonic()
    flooder.start()
    piper.start()
    rtts = []
    while (flooder.is_alive() or piper.is_alive()) and time.monotonic() - t0 < 40:
        rtts.append(ctx.observe())
        time.sleep(0.01)
    flooder.join(1)
    piper.join(1)
    if flooder.is_alive() or piper.is_alive():
        ctx.fail("the flood did not end within 40 s")
    rss1 = ctx.status("VmRSS")
    # What the flooder gets now: what was queued for it, then the end.
    n_got = 0
    closed = False
    try:
        while n_got <= n:
            flooder.c.read_packet(ANSWER_S)
            n_got += 1
    except vici.Closed:
        closed = True
    except vici.Timeout:
        pass
    flooder.c.close()
    piper.c.close()
    n_sent = flooder.n_sent // len(VERSION_REQ)
    ctx.figure("flood: %d version requests (answers of %d bytes) pipelined by a client "
               "that does not read; %s after it sent %d of them and got %d answers (%.1f MiB)"
               % (n, resp_len, "disconnected" if closed else "NOT disconnected",
                  n_sent, n_got, n_got * resp_len / 1048576.0))
    ctx.figure("flood: observer round trip during the flood: max %.0f ms, median %.1f ms "
               "over %d; ifsecd VmRSS %d -> %d KiB"
               % (max(rtts) * 1000, sorted(rtts)[len(rtts) // 2] * 1000, len(rtts), rss0, rss1))
    ctx.figure("flood: a pipelining client that reads: %d of %d answers right, in order, "
               "in %.2f s" % (piper.n_right, piper.n, piper.seconds))
    if flooder.err:
        ctx.fail("the flooder: %s" % flooder.err)
    if not closed:
        ctx.fail("the client that does not read was not disconnected (%d answers)" % n_got)
    # The daemon answered each request it read until it had queued
    # MAX_QUEUED bytes; so the flooder sent at least that many answers'
    # worth of requests before it was cut off (more: socket buffers).
    if closed and n_sent * resp_len < MAX_QUEUED:
        ctx.fail("cut off after %d requests, less than %d bytes of answers"
                 % (n_sent, MAX_QUEUED))
    if n_got * resp_len > MAX_QUEUED + 4 * 1024 * 1024:
        ctx.fail("%d bytes were queued for the client that does not read" % (n_got * resp_len))
    if piper.err or piper.n_right != piper.n:
        ctx.fail("the pipelining client: %s" % piper.err)
    if max(rtts) > OBSERVER_MAX_S:
        ctx.fail("the observer waited %.2f s" % max(rtts))


# ---- 8. Too many clients ------------------------------------------------------

def try_version(ctx, c):
    """True if c gets its version answer, False if it is closed."""
    try:
        c.send_raw(VERSION_REQ)
        return c.read_packet().msg == ctx.version
    except vici.Closed:
        return False


@step("clients", "40 clients at once: those past the bound of 32 are closed")
def step_clients(ctx):
    room = MAX_CLIENTS - 1          # the observer is one
    conns = [ctx.client() for _ in range(40)]
    answered = [try_version(ctx, c) for c in conns]
    n_ok = sum(answered)
    if answered != [True] * room + [False] * (40 - room):
        ctx.fail("answered, in the order of connecting: %s (want %d, then %d closed)"
                 % ("".join("y" if a else "n" for a in answered), room, 40 - room))
    for i, c in enumerate(conns[:room]):
        if answered[i] and not try_version(ctx, c):
            ctx.fail("client %d no longer answered" % i)
            break
    ctx.observe()
    for c in conns:
        c.close()
    # Once they are gone, there is room again: the daemon frees clients
    # from its loop, so wait (bounded) for each slot.
    t0 = time.monotonic()
    again = []
    for i in range(room):
        while True:
            c = ctx.client()
            if try_version(ctx, c):
                again.append(c)
                break
            c.close()
            if time.monotonic() - t0 > 5:
                ctx.fail("only %d clients accepted after the others left" % len(again))
                break
            time.sleep(0.05)
        if len(again) <= i:
            break
    with ctx.client() as extra:
        if len(again) == room and try_version(ctx, extra):
            ctx.fail("a client past the bound was served after the others left")
    for c in again:
        c.close()
    ctx.figure("clients: of 40 at once %d served, %d closed; afterwards %d new ones "
               "served in %.2f s and the next closed" % (n_ok, 40 - n_ok, len(again),
                                                         time.monotonic() - t0))


# ---- 9. Slow loris ---------------------------------------------------------------

@step("slow", "a client sending one byte per 100 ms blocks no one")
def step_slow(ctx):
    data = vici.encode_packet(vici.CMD_REQUEST, "version", {"p": "slow"})
    slow = ctx.client(timeout=10.0)
    done = threading.Event()

    def dribble():
        for b in data:
            slow.send_raw(bytes([b]))
            time.sleep(0.1)
        done.set()

    th = threading.Thread(target=dribble, daemon=True)
    th.start()
    rtts = []
    while not done.is_set():
        rtts.append(ctx.observe())
        t0 = time.monotonic()
        with ctx.client() as c:
            if c.command("version") != ctx.version:
                ctx.fail("a new client got a wrong answer")
        rtts.append(time.monotonic() - t0)
        time.sleep(0.05)
    th.join(1)
    try:
        if slow.read_packet().msg != ctx.version:
            ctx.fail("the slow client got a wrong answer")
    except vici.Error as e:
        ctx.fail("the slow client got no answer: %s" % e)
    slow.close()
    ctx.figure("slow: %d bytes over %.1f s; meanwhile %d round trips, max %.0f ms"
               % (len(data), len(data) * 0.1, len(rtts), max(rtts) * 1000))
    if max(rtts) > 0.5:
        ctx.fail("a round trip took %.2f s while the slow client sent" % max(rtts))


# ---- 10. The daemon afterwards ------------------------------------------------

@step("after", "the daemon still answers stats and lists its SA")
def step_after(ctx):
    with ctx.client() as c:
        st = c.command("stats")
        if st.get("ikesas", {}).get("total") != "1":
            ctx.fail("stats: %r" % st.get("ikesas"))
        events, _ = c.streamed("list-sas", "list-sa")
        states = [e.get("t", {}).get("state") for e in events]
        if states != ["ESTABLISHED"]:
            ctx.fail("list-sas: %r" % states)
        # The refusals were counted (each only when its step ran).
        ctl = st.get("control", {})
        ctx.figure("control counters: %s" % " ".join("%s=%s" % kv for kv in ctl.items()))
        for key, step_name in (("refused", "clients"), ("malformed", "malformed"),
                               ("too-large", "oversized"), ("slow-disconnects", "flood"),
                               ("unknown-commands", "unknown"), ("truncated", "cut")):
            if ctx.ran(step_name) and int(ctl.get(key, "0")) == 0:
                ctx.fail("stats: control %s is 0 after the %s step" % (key, step_name))
    rtts = sorted(ctx.obs_rtts)
    ctx.figure("observer: %d round trips on one connection, max %.0f ms, median %.1f ms"
               % (len(rtts), rtts[-1] * 1000, rtts[len(rtts) // 2] * 1000))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("socket")
    ap.add_argument("pid", type=int)
    ap.add_argument("--only", help="steps to run, comma-separated")
    ap.add_argument("--list", action="store_true")
    a = ap.parse_args()
    if a.list:
        for name, title, _ in STEPS:
            print("%-10s %s" % (name, title))
        return 0
    only = a.only.split(",") if a.only else None
    ctx = Ctx(a.socket, a.pid)
    ctx.observer = vici.Client(a.socket, OBSERVER_MAX_S)
    ctx.version = ctx.observer.command("version")
    print("observer: %r" % ctx.version)
    t_all = time.monotonic()
    for i, (name, title, fn) in enumerate(STEPS, 1):
        if only and name not in only:
            continue
        ctx.step = name
        ctx.ran_steps.add(name)
        print("--- step %d (%s): %s" % (i, name, title), flush=True)
        t0 = time.monotonic()
        try:
            fn(ctx)
        except StepFailed as e:
            ctx.fail(str(e))
        except (vici.Error, OSError, AssertionError) as e:
            ctx.fail("%s: %s" % (type(e).__name__, e))
        if not ctx.is_alive():
            ctx.fail("ifsecd (pid %d) is gone" % ctx.pid)
            break
        try:
            ctx.observe()
        except StepFailed as e:
            ctx.fail(str(e))
            break
        print("    %.2f s" % (time.monotonic() - t0), flush=True)
    print("hostile.py: %.1f s, %d failures" % (time.monotonic() - t_all, len(ctx.failures)))
    print("tunnel restarts: %d" % ctx.n_restarts)
    for f in ctx.failures:
        print("failed: %s" % f)
    ctx.observer.close()
    return 1 if ctx.failures else 0


if __name__ == "__main__":
    sys.exit(main())
