#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
# vici_list.py SOCKET COMMAND LIST: send COMMAND (no arguments) over the
# VICI socket and print each item of the list LIST in its response, one a
# line: the names a charon holds (get-shared keys, get-conns conns), read
# without ifsecctl so that the test does not check ifsecctl with itself.
import socket
import struct
import sys


def recv_exact(s, n):
    b = b""
    while len(b) < n:
        chunk = s.recv(n - len(b))
        if not chunk:
            sys.exit("connection closed")
        b += chunk
    return b


def main():
    path, cmd, want = sys.argv[1:4]
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(10)
    s.connect(path)
    pkt = bytes([0, len(cmd)]) + cmd.encode()  # CMD_REQUEST, name
    s.sendall(struct.pack(">I", len(pkt)) + pkt)
    pkt = recv_exact(s, struct.unpack(">I", recv_exact(s, 4))[0])
    if pkt[0] != 1:  # CMD_RESPONSE
        sys.exit("%s: packet type %d" % (cmd, pkt[0]))
    msg, i, in_list = pkt[1:], 0, False
    while i < len(msg):
        t = msg[i]
        i += 1
        if t in (1, 3, 4):  # SECTION_START, KEY_VALUE, LIST_START: a name
            name = msg[i + 1:i + 1 + msg[i]].decode()
            i += 1 + msg[i]
        if t in (3, 5):  # KEY_VALUE, LIST_ITEM: a value
            n = struct.unpack(">H", msg[i:i + 2])[0]
            value = msg[i + 2:i + 2 + n].decode()
            i += 2 + n
        if t == 4:
            in_list = name == want
        elif t == 6:
            in_list = False
        elif t == 5 and in_list:
            print(value)


main()
