# SPDX-License-Identifier: BSD-2-Clause
# Traffic under load for the system and interop scenarios (source
# tests/sys/lib.sh first): two iperf3 streams at once through a tunnel,
# and their verdict.
#   - UDP both ways (--bidir) at a fixed rate, LOAD_UDP_RATE each way in
#     LOAD_UDP_LEN-byte datagrams: iperf3 numbers them and each receiver
#     counts the lost ones;
#   - TCP from the server to the client (-R, so that the client's 1-second
#     intervals count what arrived), paced at LOAD_TCP_RATE.
# The rates are moderate on purpose: two cores, the sanitizer build, other
# work beside us; what is measured is the tunnel across rekeys, not the
# machine's limit.
#
#   load_tun_queue NS...       ipsec0's queue in each NS: LOAD_TUN_QUEUE
#   load_servers NS            two one-off iperf3 servers in NS (UDP port
#                              5201, TCP port 5202); returns once both
#                              listen
#   load_start NS ADDR SECONDS [SRC]
#                              both clients in NS towards ADDR (bound to
#                              SRC if given), in the background
#   load_wait                  waits (bounded) for both clients and
#                              servers, and sets
#                              LOAD_UDP_FWD LOAD_UDP_REV (lost/received of
#                              each direction), LOAD_UDP_LOST (both),
#                              LOAD_TCP_N (1-s intervals), LOAD_TCP_ZERO
#                              (those at 0 bytes), LOAD_TCP_MIN and
#                              LOAD_TCP_MEAN (Mbit/s), and LOAD_WHEN (the
#                              seconds of the run in which datagrams were
#                              lost, and those TCP was slowest in); fails
#                              when a client
#                              failed or its report is incomplete.
#                              The checks themselves are the caller's.
#   load_drops NS...           every drop counter of the ifsecd in each NS
#                              that is not 0, as NS:KEY=N words (SA lines'
#                              as NS:in.KEY=N and NS:out.KEY=N)
#   load_kernel_drops NS...    the same for the kernel of each NS: the
#                              interface ipsec0 (packets the daemon did
#                              not read in time) and UDP sockets (all, and
#                              each by its port)
#   load_delta BEFORE AFTER    the KEY=N words of AFTER that grew since
#                              BEFORE, as KEY=+N

LOAD_UDP_RATE=${LOAD_UDP_RATE:-20M}
LOAD_UDP_LEN=${LOAD_UDP_LEN:-1200}
LOAD_TCP_RATE=${LOAD_TCP_RATE:-10M}
# iperf3's UDP socket buffers (both ends; the kernel caps them at
# net.core.rmem_max, which a namespace cannot raise): with the default
# 208 KiB a receiver that was not scheduled for ~50 ms overflows, and
# that loss (UdpRcvbufErrors) would be counted against the tunnel.
LOAD_UDP_BUF=${LOAD_UDP_BUF:-2M}
# The same for the tunnel interfaces' queue (packets routed into ipsec0
# wait there for the daemon to read them): 500 packets by default, which
# at these rates is 130 ms; with other work on the two cores a daemon's
# thread (the sanitizer build's most) is sometimes not scheduled for
# that long, at any time, rekey or not. The figures list what the kernel
# dropped there (load_kernel_drops).
LOAD_TUN_QUEUE=${LOAD_TUN_QUEUE:-5000}

command -v iperf3 >/dev/null || fail "iperf3 missing (scripts/bootstrap installs it)"

load_tun_queue() {
	local n
	for n in "$@"; do
		wait_for 5 nsx "$n" ip link show ipsec0 || fail "no ipsec0 in $n"
		nsx "$n" ip link set ipsec0 txqueuelen "$LOAD_TUN_QUEUE"
	done
}

load_servers() { # NS
	local p
	LOAD_SERVER_PIDS=""
	for p in 5201 5202; do
		nsx "$1" iperf3 -s -1 -p $p -J >"$TMP/iperf-server-$p.json" 2>&1 &
		LOAD_SERVER_PIDS="$LOAD_SERVER_PIDS $!"
	done
	SYS_PIDS="$SYS_PIDS $LOAD_SERVER_PIDS"
	wait_for 5 nsx "$1" sh -c "ss -ltn | grep -q ':5201 ' && ss -ltn | grep -q ':5202 '" ||
		fail "the iperf3 servers in $1 do not listen"
}

load_start() { # NS ADDR SECONDS [SRC]
	local n=$1 addr=$2 secs=$3 bind=${4:+-B $4}
	LOAD_SECONDS=$secs
	# shellcheck disable=SC2086 # $bind is empty or two words
	nsx "$n" timeout $((secs + 30)) iperf3 -c "$addr" -p 5201 $bind -t "$secs" -u --bidir \
		-b "$LOAD_UDP_RATE" -l "$LOAD_UDP_LEN" -w "$LOAD_UDP_BUF" -J >"$TMP/iperf-udp.json" 2>"$TMP/iperf-udp.err" &
	LOAD_UDP_PID=$!
	# shellcheck disable=SC2086
	nsx "$n" timeout $((secs + 30)) iperf3 -c "$addr" -p 5202 $bind -t "$secs" -R -i 1 \
		-b "$LOAD_TCP_RATE" -J >"$TMP/iperf-tcp.json" 2>"$TMP/iperf-tcp.err" &
	LOAD_TCP_PID=$!
	SYS_PIDS="$SYS_PIDS $LOAD_UDP_PID $LOAD_TCP_PID"
}

load_wait() {
	local rc_u=0 rc_t=0 out p
	wait "$LOAD_UDP_PID" || rc_u=$?
	wait "$LOAD_TCP_PID" || rc_t=$?
	# the one-off servers end with their test (and free their ports)
	for p in $LOAD_SERVER_PIDS; do
		wait_for 10 sh -c "! kill -0 $p 2>/dev/null" || kill "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	out=$(/usr/bin/python3 - "$TMP/iperf-udp.json" "$TMP/iperf-tcp.json" "$LOAD_SECONDS" \
		"$LOAD_UDP_RATE" "$LOAD_UDP_LEN" "$TMP/iperf-server-5201.json" <<'PY'
import json, sys

def load(path, what):
    try:
        with open(path) as f:
            d = json.load(f)
    except (OSError, ValueError) as e:
        sys.exit("%s: no report (%s)" % (what, e))
    if d.get("error"):
        sys.exit("%s: iperf3 says: %s" % (what, d["error"]))
    return d

secs = float(sys.argv[3])
rate = float(sys.argv[4][:-1]) * {"K": 1e3, "M": 1e6, "G": 1e9}[sys.argv[4][-1]]
nominal = rate * secs / (8 * int(sys.argv[5]))
udp_all = load(sys.argv[1], "UDP")
udp = udp_all["end"]
fwd, rev = udp["sum_received"], udp["sum_received_bidir_reverse"]

# Where the loss was, second by second, as each receiver saw it (the
# server's report for datagrams to the server).
def lost_at(intervals):
    return ["%ds:%d" % (s["start"], s["lost_packets"])
            for i in intervals for s in i["streams"]
            if not s.get("sender") and s.get("lost_packets")]
try:
    with open(sys.argv[6]) as f:
        to_server = lost_at(json.load(f).get("intervals", []))
except (OSError, ValueError):
    to_server = ["?"]
when = []
if fwd["lost_packets"]:
    when.append("to the server at " + ",".join(to_server))
if rev["lost_packets"]:
    when.append("to the client at " + ",".join(lost_at(udp_all["intervals"])))
tcp = load(sys.argv[2], "TCP")
# A last interval of a few milliseconds may follow the full ones.
ivs = [i["sum"] for i in tcp["intervals"] if i["sum"]["seconds"] >= 0.5]
if len(ivs) < secs - 1:
    sys.exit("TCP: only %d 1-s intervals in %g s" % (len(ivs), secs))
# Loss counted on too few datagrams would say little: the stream must
# have run at its rate (iperf3 catches up after a stall of its own).
for name, d in (("to the server", fwd), ("to the client", rev)):
    if d["packets"] < nominal / 2:
        sys.exit("UDP %s: %d datagrams counted, %d expected at %s bit/s" %
                 (name, d["packets"], nominal, sys.argv[4]))
mbit = [i["bits_per_second"] / 1e6 for i in ivs]
slow = sorted(range(len(ivs)), key=lambda k: mbit[k])[:3]
when.append("TCP slowest at " + ",".join("%ds:%.1f" % (ivs[k]["start"], mbit[k]) for k in slow))
print("LOAD_UDP_FWD=%d/%d LOAD_UDP_REV=%d/%d LOAD_UDP_LOST=%d LOAD_TCP_N=%d LOAD_TCP_ZERO=%d "
      "LOAD_TCP_MIN=%.1f LOAD_TCP_MEAN=%.1f LOAD_WHEN='%s'" % (
          fwd["lost_packets"], fwd["packets"], rev["lost_packets"], rev["packets"],
          fwd["lost_packets"] + rev["lost_packets"], len(ivs),
          sum(1 for i in ivs if i["bytes"] == 0), min(mbit), sum(mbit) / len(mbit),
          "; ".join(when)))
PY
	) || fail "iperf3 (UDP status $rc_u, TCP status $rc_t): $out $(cat "$TMP/iperf-udp.err" "$TMP/iperf-tcp.err")"
	[ "$rc_u" = 0 ] && [ "$rc_t" = 0 ] ||
		fail "iperf3 failed (UDP status $rc_u, TCP status $rc_t): $out"
	eval "$out"
}

load_drops() {
	local n
	for n in "$@"; do
		counters "$n" | awk -v n="$n" '
			$1 == "global" || $1 == "tunnel" || $1 == "sa" {
				p = $1 == "sa" ? substr($3, 5) "." : ($1 == "tunnel" ? "tunnel." : "")
				for (i = 2; i <= NF; i++)
					if ($i ~ /^(unknown_spi|malformed|send_errors|tun_write_errors|drop_[a-z_]+)=[1-9]/)
						printf "%s:%s%s ", n, p, $i
			}'
	done
}

load_kernel_drops() {
	local n k p
	for n in "$@"; do
		{
			for k in tx_dropped rx_dropped; do
				echo "ipsec0.$k $(nsx "$n" cat /sys/class/net/ipsec0/statistics/$k 2>/dev/null || echo 0)"
			done
			# each UDP socket by its port (hexadecimal there)
			nsx "$n" cat /proc/net/udp /proc/net/udp6 |
				awk '$NF ~ /^[1-9]/ { split($2, a, ":"); print a[2], $NF }' |
				while read -r p k; do echo "udp$((0x$p)).drops $k"; done
			nsx "$n" nstat -asz UdpRcvbufErrors UdpSndbufErrors Udp6RcvbufErrors Udp6SndbufErrors
		} | awk -v n="$n" '$2 ~ /^[1-9]/ { printf "%s:%s=%s ", n, $1, $2 }'
	done
}

load_delta() {
	awk -v b="$1" -v a="$2" 'BEGIN {
		n = split(b, w, " ")
		for (i = 1; i <= n; i++) { split(w[i], kv, "="); old[kv[1]] = kv[2] }
		n = split(a, w, " ")
		for (i = 1; i <= n; i++) {
			split(w[i], kv, "=")
			if (kv[2] - old[kv[1]] > 0)
				printf "%s=+%d ", kv[1], kv[2] - old[kv[1]]
		}
	}'
}
