#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""Measure one tunnel that is up, from a client namespace to a server
namespace behind it, and print one JSON record on stdout.

    measure.py --client NS --server NS --dst ADDR --secs S --step S
               [--pid NAME=PID]... [--only tcp1,tcp4,udp1400,udp64,ping]

Figures (keys of the record):
  tcp1_mbps, tcp4_mbps      iperf3 TCP, one and four streams, --secs each,
                            Mbit/s received
  udp1400_pps, udp64_pps    UDP packets per second received with less than
                            0.1 % loss, for IP packets of 1400 and 64 bytes
                            (a search of --step-second iperf3 runs)
  ping_idle_p50_us/p99_us   ping every 10 ms, 200 times, nothing else running
  ping_load_p50_us/p99_us   the same during a one-stream TCP transfer
  cpu_s_per_gb              for each --pid: CPU seconds (user + system, all
                            threads) the process used during tcp1, divided
                            by the gigabytes received
  peak_rss_kb               for each --pid: VmHWM at the end
Measures; asserts nothing. Diagnostics go to stderr.
"""

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import time

UDP_SOCKET_BUFFER = "4M"
IP_UDP_HEADERS = 28  # an IPv4 header and a UDP header: iperf3 -l is the payload
LOSS_LIMIT = 0.001
PORT = 5201


def ns_cmd(ns, args):
    return ["ip", "netns", "exec", ns] + args


def run(ns, args, timeout):
    return subprocess.run(ns_cmd(ns, args), capture_output=True, text=True,
                          timeout=timeout, check=False)


class Server:
    """An iperf3 server in the server namespace for the whole measurement."""

    def __init__(self, ns):
        self.proc = subprocess.Popen(ns_cmd(ns, ["iperf3", "-s", "-p", str(PORT)]),
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            out = run(ns, ["ss", "-ltnH", "sport", "= :%d" % PORT], 5).stdout
            if out.strip():
                return
            time.sleep(0.05)
        self.stop()
        raise RuntimeError("iperf3 server did not start in %s" % ns)

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def iperf(ns, dst, args, secs):
    """Run an iperf3 client; returns its JSON, or None when it failed
    (the server busy after a previous run, a tunnel that broke)."""
    for _ in range(3):
        r = run(ns, ["iperf3", "-c", dst, "-p", str(PORT), "-J", "-t", str(secs)] + args,
                secs + 30)
        try:
            j = json.loads(r.stdout)
        except ValueError:
            j = {"error": r.stderr.strip() or "no output"}
        if "error" not in j:
            return j
        print("iperf3 %s: %s" % (" ".join(args), j["error"]), file=sys.stderr)
        time.sleep(0.5)
    return None


def tcp_mbps(ns, dst, secs, streams):
    j = iperf(ns, dst, ["-P", str(streams)], secs)
    if j is None:
        return None, 0
    s = j["end"]["sum_received"]
    return s["bits_per_second"] / 1e6, s["bytes"]


def udp_probe(ns, dst, packet, pps, secs):
    """Offer pps packets per second (0: as fast as iperf3 can); returns
    (received packets per second, loss fraction)."""
    payload = packet - IP_UDP_HEADERS
    rate = "0" if pps == 0 else str(int(pps * payload * 8))
    # A 4 MB socket buffer at both ends (iperf3 -w), for every scenario:
    # the loss counted is the tunnel's, not the receiving iperf3's own
    # buffer overflowing when a batch of packets arrives at once (with
    # the default 208 KB it was, at rates the tunnels carried whole).
    j = iperf(ns, dst, ["-u", "-l", str(payload), "-b", rate, "-w", UDP_SOCKET_BUFFER], secs)
    if j is None:
        return 0.0, 1.0
    s = j["end"]["sum_received"]
    sent = s["packets"]
    lost = max(s["lost_packets"], 0)
    if sent == 0:
        return 0.0, 1.0
    return (sent - lost) / s["seconds"], lost / sent


def udp_max_pps(ns, dst, packet, step, probes=7):
    """The highest received rate with less than LOSS_LIMIT loss: first as
    fast as iperf3 sends, which shows what the path carries, then offered
    rates below that, narrowed down by bisection."""
    recv, loss = udp_probe(ns, dst, packet, 0, step)
    print("udp %d B: unlimited -> %.0f pps, loss %.4f" % (packet, recv, loss), file=sys.stderr)
    if loss < LOSS_LIMIT:
        return recv  # the sender is the limit, not the path
    best, lo, hi = 0.0, 0.0, recv * 1.05
    offer = recv * 0.9
    for _ in range(probes - 1):
        time.sleep(0.3)  # let queues drain between probes
        got, loss = udp_probe(ns, dst, packet, offer, step)
        print("udp %d B: offer %.0f -> %.0f pps, loss %.4f" % (packet, offer, got, loss),
              file=sys.stderr)
        if loss < LOSS_LIMIT:
            best = max(best, got)
            lo = offer
            offer = (lo + hi) / 2
        else:
            hi = offer
            offer = (lo + hi) / 2 if lo > 0 else offer * 0.6
    return best


def ping_us(ns, dst, count=200):
    """Round-trip times in microseconds, sorted."""
    r = run(ns, ["ping", "-n", "-i", "0.01", "-W", "1", "-c", str(count), dst], count * 0.01 + 30)
    rtts = sorted(float(m) * 1000 for m in re.findall(r"time=([0-9.]+) ms", r.stdout))
    return rtts


def percentile(xs, p):
    if not xs:
        return None
    return xs[min(len(xs) - 1, int(len(xs) * p / 100))]


def cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    # utime and stime are fields 14 and 15 of stat(5), here 11 and 12
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_rss_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--client", required=True)
    ap.add_argument("--server", required=True)
    ap.add_argument("--dst", required=True)
    ap.add_argument("--secs", type=int, default=10)
    ap.add_argument("--step", type=int, default=2)
    ap.add_argument("--pid", action="append", default=[])
    ap.add_argument("--only", default="tcp1,tcp4,udp1400,udp64,ping")
    a = ap.parse_args()
    pids = dict(p.split("=", 1) for p in a.pid)
    pids = {k: int(v) for k, v in pids.items()}
    only = set(a.only.split(","))
    rec = {}

    server = Server(a.server)
    try:
        if "tcp1" in only:
            cpu0 = {k: cpu_seconds(p) for k, p in pids.items()}
            rec["tcp1_mbps"], nbytes = tcp_mbps(a.client, a.dst, a.secs, 1)
            if pids and nbytes:
                rec["cpu_s_per_gb"] = {k: (cpu_seconds(p) - cpu0[k]) / (nbytes / 1e9)
                                       for k, p in pids.items()}
        if "tcp4" in only:
            rec["tcp4_mbps"], _ = tcp_mbps(a.client, a.dst, a.secs, 4)
        for size in (1400, 64):
            if "udp%d" % size in only:
                rec["udp%d_pps" % size] = udp_max_pps(a.client, a.dst, size, a.step)
        if "ping" in only:
            idle = ping_us(a.client, a.dst)
            rec["ping_idle_p50_us"] = percentile(idle, 50)
            rec["ping_idle_p99_us"] = percentile(idle, 99)
            load = subprocess.Popen(ns_cmd(a.client, ["iperf3", "-c", a.dst, "-p", str(PORT),
                                                      "-t", "4"]),
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(0.5)
            busy = ping_us(a.client, a.dst, 250)
            load.wait(30)
            rec["ping_load_p50_us"] = percentile(busy, 50)
            rec["ping_load_p99_us"] = percentile(busy, 99)
    finally:
        server.stop()
    if pids:
        rec["peak_rss_kb"] = {k: peak_rss_kb(p) for k, p in pids.items()}
    print(json.dumps(rec))


if __name__ == "__main__":
    main()
