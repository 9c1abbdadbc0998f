# SPDX-License-Identifier: BSD-2-Clause
"""A small VICI client for tests (Python 3 standard library only).

VICI is strongSwan's control protocol (its vici/README.md); ifsecd serves
it on a UNIX stream socket. This module has the codec and a blocking
client with timeouts, and lets a test send any bytes it likes.

Wire format, as in src/control/vici.h: each packet is a 32-bit big-endian
length (not counting itself), a type byte, for named types an 8-bit name
length and the name, and for CMD_REQUEST, CMD_RESPONSE and EVENT a
message up to the end of the packet. A message is a sequence of elements:

    SECTION_START name | SECTION_END | KEY_VALUE name value
    LIST_START name | LIST_ITEM value | LIST_END

names with an 8-bit length, values with a 16-bit big-endian length.

Messages are Python dicts: a str or bytes value is a key/value, a dict a
section, a list or tuple a list of str or bytes items. Decoded values and
items are str (UTF-8; undecodable bytes kept as surrogate escapes).

    with vici.Client(path) as c:
        print(c.command("version")["daemon"])
        events, resp = c.streamed("list-sas", "list-sa")
"""
import socket
import struct
import time

# Packet types.
CMD_REQUEST = 0
CMD_RESPONSE = 1
CMD_UNKNOWN = 2
EVENT_REGISTER = 3
EVENT_UNREGISTER = 4
EVENT_CONFIRM = 5
EVENT_UNKNOWN = 6
EVENT = 7

PACKET_NAMES = {
    CMD_REQUEST: "CMD_REQUEST", CMD_RESPONSE: "CMD_RESPONSE",
    CMD_UNKNOWN: "CMD_UNKNOWN", EVENT_REGISTER: "EVENT_REGISTER",
    EVENT_UNREGISTER: "EVENT_UNREGISTER", EVENT_CONFIRM: "EVENT_CONFIRM",
    EVENT_UNKNOWN: "EVENT_UNKNOWN", EVENT: "EVENT",
}
NAMED = (CMD_REQUEST, EVENT_REGISTER, EVENT_UNREGISTER, EVENT)
WITH_MESSAGE = (CMD_REQUEST, CMD_RESPONSE, EVENT)

# Message element types.
SECTION_START = 1
SECTION_END = 2
KEY_VALUE = 3
LIST_START = 4
LIST_ITEM = 5
LIST_END = 6

LEN_HDR = 4


class Error(Exception):
    """A protocol error: bytes that are no valid VICI."""


class Closed(Error):
    """The server closed the connection (or reset it)."""

    def __init__(self, msg, partial=b""):
        super().__init__(msg)
        self.partial = partial       # bytes of a packet cut short


class Timeout(Error):
    """Nothing (complete) arrived in time."""


class Unknown(Error):
    """CMD_UNKNOWN for a command, or EVENT_UNKNOWN for an event."""


def type_name(t):
    return PACKET_NAMES.get(t, "type %d" % t)


# ---- Codec ---------------------------------------------------------------

def _bytes(v):
    return v if isinstance(v, (bytes, bytearray)) else str(v).encode()


def _name(name):
    b = _bytes(name)
    if len(b) > 255:
        raise ValueError("name over 255 bytes: %r..." % b[:20])
    return bytes([len(b)]) + b


def _value(v):
    b = _bytes(v)
    if len(b) > 65535:
        raise ValueError("value over 65535 bytes")
    return struct.pack("!H", len(b)) + b


def encode_message(msg):
    """A dict (see the module's doc) as message bytes."""
    out = bytearray()
    for k, v in (msg or {}).items():
        if isinstance(v, dict):
            out += bytes([SECTION_START]) + _name(k)
            out += encode_message(v)
            out += bytes([SECTION_END])
        elif isinstance(v, (list, tuple)):
            out += bytes([LIST_START]) + _name(k)
            for item in v:
                out += bytes([LIST_ITEM]) + _value(item)
            out += bytes([LIST_END])
        else:
            out += bytes([KEY_VALUE]) + _name(k) + _value(v)
    return bytes(out)


def _text(b):
    return b.decode("utf-8", "surrogateescape")


class _Reader:
    def __init__(self, data):
        self.data = data
        self.pos = 0

    def left(self):
        return len(self.data) - self.pos

    def take(self, n, what):
        if n > self.left():
            raise Error("%s: %d bytes wanted, %d left" % (what, n, self.left()))
        b = self.data[self.pos:self.pos + n]
        self.pos += n
        return b

    def u8(self, what):
        return self.take(1, what)[0]

    def name(self, what):
        return _text(self.take(self.u8(what), what))

    def value(self, what):
        n = struct.unpack("!H", self.take(2, what))[0]
        return _text(self.take(n, what))


def decode_message(data):
    """Message bytes as a dict; Error for anything malformed. A key that
    repeats keeps its first value, as ifsecd's lookups do."""
    r = _Reader(data)
    stack = [{}]
    lst = None
    while r.left():
        t = r.u8("element type")
        if lst is not None and t not in (LIST_ITEM, LIST_END):
            raise Error("element %d inside a list" % t)
        if t == SECTION_START:
            sec = {}
            stack[-1].setdefault(r.name("section name"), sec)
            stack.append(sec)
        elif t == SECTION_END:
            if len(stack) == 1:
                raise Error("section end without a start")
            stack.pop()
        elif t == KEY_VALUE:
            k = r.name("key")
            stack[-1].setdefault(k, r.value("value"))
        elif t == LIST_START:
            lst = []
            stack[-1].setdefault(r.name("list name"), lst)
        elif t == LIST_ITEM:
            if lst is None:
                raise Error("list item outside a list")
            lst.append(r.value("list item"))
        elif t == LIST_END:
            if lst is None:
                raise Error("list end outside a list")
            lst = None
        else:
            raise Error("element type %d" % t)
    if len(stack) != 1 or lst is not None:
        raise Error("unterminated section or list")
    return stack[0]


def encode_packet(ptype, name=None, msg=None):
    """A whole packet, length field included. msg may be a dict or
    already encoded bytes."""
    body = bytes([ptype])
    if ptype in NAMED:
        body += _name(name or "")
    if ptype in WITH_MESSAGE:
        body += msg if isinstance(msg, (bytes, bytearray)) else encode_message(msg)
    return frame(body)


def frame(body):
    """A length field in front of body."""
    return struct.pack("!I", len(body)) + body


class Packet:
    """A received packet: type, name ("" if unnamed), msg (dict or None)."""

    def __init__(self, ptype, name="", msg=None, raw=b""):
        self.type = ptype
        self.name = name
        self.msg = msg
        self.raw = raw

    def __repr__(self):
        return "<%s %s %r>" % (type_name(self.type), self.name, self.msg)


def decode_packet(body):
    """One packet without its length field."""
    r = _Reader(body)
    t = r.u8("packet type")
    if t not in PACKET_NAMES:
        raise Error("unknown packet type %d" % t)
    name = r.name("packet name") if t in NAMED else ""
    msg = None
    if t in WITH_MESSAGE:
        msg = decode_message(r.take(r.left(), "message"))
    elif r.left():
        raise Error("%d bytes after a %s" % (r.left(), type_name(t)))
    return Packet(t, name, msg, body)


# ---- Client --------------------------------------------------------------

class Client:
    """A blocking connection to a VICI server; each read has a timeout."""

    def __init__(self, path, timeout=5.0, connect=True):
        self.path = path
        self.timeout = timeout
        self.sock = None
        self.buf = bytearray()
        if connect:
            self.connect()

    def connect(self):
        """Connect within the timeout. A UNIX socket whose backlog is
        full refuses a non-blocking connect with EAGAIN: try again."""
        deadline = time.monotonic() + self.timeout
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        while True:
            try:
                self.sock.connect(self.path)
                return self
            except BlockingIOError:
                if time.monotonic() > deadline:
                    self.close()
                    raise Timeout("connect: the backlog stayed full") from None
                time.sleep(0.001)

    def close(self):
        if self.sock:
            self.sock.close()
            self.sock = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def fileno(self):
        return self.sock.fileno()

    # -- raw bytes, for hostile tests --

    def send_raw(self, data):
        """Send bytes as they are; Closed if the server is gone."""
        try:
            self.sock.sendall(data)
        except (BrokenPipeError, ConnectionResetError) as e:
            raise Closed("send: %s" % e) from None

    def send_packet(self, ptype, name=None, msg=None):
        self.send_raw(encode_packet(ptype, name, msg))

    def _fill(self, deadline):
        """Read what is there into the buffer (at least one byte)."""
        left = deadline - time.monotonic()
        if left <= 0:
            raise Timeout("nothing within %.1f s" % self.timeout)
        self.sock.settimeout(left)
        try:
            b = self.sock.recv(65536)
        except socket.timeout:
            raise Timeout("nothing within the timeout") from None
        except ConnectionResetError:
            b = b""
        if not b:
            raise Closed("connection closed", bytes(self.buf))
        self.buf += b

    def read_packet(self, timeout=None):
        """The next packet; Timeout, or Closed (also in mid-packet)."""
        deadline = time.monotonic() + (self.timeout if timeout is None else timeout)
        while len(self.buf) < LEN_HDR:
            self._fill(deadline)
        n = struct.unpack("!I", self.buf[:LEN_HDR])[0]
        while len(self.buf) < LEN_HDR + n:
            self._fill(deadline)
        body = bytes(self.buf[LEN_HDR:LEN_HDR + n])
        del self.buf[:LEN_HDR + n]
        return decode_packet(body)

    def wait_closed(self, timeout=None):
        """True once the server closed the connection, False if it was
        still open after timeout. Packets that arrive meanwhile are
        returned in a list as the second value."""
        got = []
        deadline = time.monotonic() + (self.timeout if timeout is None else timeout)
        while True:
            try:
                got.append(self.read_packet(max(deadline - time.monotonic(), 0.001)))
            except Closed:
                return True, got
            except Timeout:
                return False, got

    # -- requests --

    def request(self, cmd, msg=None, timeout=None):
        """Send a command; return (events, reply), reply being the
        CMD_RESPONSE or CMD_UNKNOWN packet, events the EVENT packets
        that came before it."""
        self.send_packet(CMD_REQUEST, cmd, msg)
        events = []
        while True:
            p = self.read_packet(timeout)
            if p.type == EVENT:
                events.append(p)
            elif p.type in (CMD_RESPONSE, CMD_UNKNOWN):
                return events, p
            else:
                raise Error("%s in answer to %s" % (type_name(p.type), cmd))

    def command(self, cmd, msg=None, timeout=None):
        """The response message of a command; Unknown for CMD_UNKNOWN."""
        _, p = self.request(cmd, msg, timeout)
        if p.type == CMD_UNKNOWN:
            raise Unknown("command %s unknown" % cmd)
        return p.msg

    def _event_op(self, ptype, event, timeout):
        self.send_packet(ptype, event)
        p = self.read_packet(timeout)
        if p.type == EVENT_UNKNOWN:
            raise Unknown("event %s unknown" % event)
        if p.type != EVENT_CONFIRM:
            raise Error("%s in answer to %s" % (type_name(p.type), type_name(ptype)))

    def register(self, event, timeout=None):
        self._event_op(EVENT_REGISTER, event, timeout)

    def unregister(self, event, timeout=None):
        self._event_op(EVENT_UNREGISTER, event, timeout)

    def streamed(self, cmd, event, msg=None, timeout=None):
        """A command that streams events (list-sas and list-sa): the
        events' messages and the response message."""
        self.register(event, timeout)
        events, p = self.request(cmd, msg, timeout)
        self.unregister(event, timeout)
        if p.type == CMD_UNKNOWN:
            raise Unknown("command %s unknown" % cmd)
        return [e.msg for e in events if e.name == event], p.msg


def _self_test():
    """python3 vici.py: the codec against itself and a hand-made packet."""
    msg = {"a": "1", "sec": {"k": "v", "inner": {"x": ""}}, "l": ["p", "q"], "e": []}
    assert decode_message(encode_message(msg)) == msg
    pkt = encode_packet(CMD_REQUEST, "version", {"k": "v"})
    assert pkt == b"\x00\x00\x00\x0f\x00\x07version\x03\x01k\x00\x01v", pkt
    p = decode_packet(pkt[LEN_HDR:])
    assert (p.type, p.name, p.msg) == (CMD_REQUEST, "version", {"k": "v"})
    for bad in (b"\x02", b"\x05\x00\x00", b"\x01\x01s", b"\x03\x01k\x00\x05ab", b"\x09"):
        try:
            decode_message(bad)
        except Error:
            continue
        raise AssertionError("accepted %r" % bad)
    print("vici.py: codec self-test passed")


if __name__ == "__main__":
    _self_test()
