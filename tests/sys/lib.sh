# SPDX-License-Identifier: BSD-2-Clause
# Shared by the system scenarios (tests/sys/<name>/run) and scripts/demo:
# namespaces with per-run names, the standard topology of TESTNET.md,
# ifsecd configuration, bounded waits, and cleanup from a trap.
#
# A scenario sources this file, builds what it needs, and exits 0 (pass),
# 1 (fail) or 77 (skip). Lines starting with "figure:" are reported.

set -eu
SYS_TOP=$(cd "$(dirname "${BASH_SOURCE:-$0}")/../.." 2>/dev/null && pwd)
: "${IFSECD:=$SYS_TOP/build/src/ifsecd/ifsecd}"
PFX="ifs-$$-"
TMP=$(mktemp -d /tmp/ifs-sys.XXXXXX)
SYS_NS=""
SYS_PIDS=""

sys_cleanup() {
	set +e
	for p in $SYS_PIDS; do
		kill "$p" 2>/dev/null
	done
	for p in $SYS_PIDS; do
		# bounded: give each daemon up to 5 s to remove its interface
		for _ in $(seq 50); do
			kill -0 "$p" 2>/dev/null || break
			sleep 0.1
		done
		kill -9 "$p" 2>/dev/null
	done
	for n in $SYS_NS; do
		ip netns pids "$n" 2>/dev/null | xargs -r kill -9 2>/dev/null
		ip netns del "$n" 2>/dev/null
	done
	rm -rf "$TMP"
}
trap sys_cleanup EXIT
trap 'exit 1' INT TERM

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

log() {
	echo "--- $*"
}

# nsx NAME CMD...: run a command in one of this run's namespaces.
nsx() {
	n=$1
	shift
	ip netns exec "$PFX$n" "$@"
}

ns_add() {
	ip netns add "$PFX$1"
	SYS_NS="$SYS_NS $PFX$1"
	nsx "$1" ip link set lo up
}

# wait_for SECONDS CMD...: poll (every 0.1 s) until CMD succeeds.
wait_for() {
	local limit=$(( $1 * 10 )) i=0
	shift
	until "$@" >/dev/null 2>&1; do
		i=$((i + 1))
		[ "$i" -lt "$limit" ] || return 1
		sleep 0.1
	done
}

# veth NS1 IF1 NS2 IF2
SYS_NVETH=0
veth() {
	SYS_NVETH=$((SYS_NVETH + 1))
	t1=v$$-${SYS_NVETH}a t2=v$$-${SYS_NVETH}b
	ip link add "$t1" type veth peer name "$t2"
	ip link set "$t1" netns "$PFX$1"
	ip link set "$t2" netns "$PFX$3"
	nsx "$1" ip link set "$t1" name "$2"
	nsx "$3" ip link set "$t2" name "$4"
	nsx "$1" ip link set "$2" up
	nsx "$3" ip link set "$4" up
}

# Addresses of the standard topology (TESTNET.md).
OUT4_A=192.0.2.1 OUT4_B=192.0.2.2
OUT6_A=2001:db8::1 OUT6_B=2001:db8::2
TUN4_A=198.51.100.1 TUN4_B=198.51.100.2
TUN6_A=2001:db8:1::1 TUN6_B=2001:db8:1::2
SITE4_A=203.0.113.10 SITE4_B=203.0.113.74
SITE6_A=2001:db8:2:1::10 SITE6_B=2001:db8:2:2::10

# topo_gateways: a and b joined by one veth pair, both address families.
topo_gateways() {
	ns_add a
	ns_add b
	veth a out b out
	nsx a ip addr add $OUT4_A/24 dev out
	nsx b ip addr add $OUT4_B/24 dev out
	nsx a ip addr add $OUT6_A/64 dev out nodad
	nsx b ip addr add $OUT6_B/64 dev out nodad
}

# topo_sites: a host behind each gateway (sa behind a, sb behind b).
topo_sites() {
	ns_add sa
	ns_add sb
	veth a lan sa lan
	veth b lan sb lan
	for g in a b; do
		nsx $g sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
	done
	nsx a ip addr add 203.0.113.1/26 dev lan
	nsx a ip addr add 2001:db8:2:1::1/64 dev lan nodad
	nsx sa ip addr add $SITE4_A/26 dev lan
	nsx sa ip addr add $SITE6_A/64 dev lan nodad
	nsx sa ip route add default via 203.0.113.1
	nsx sa ip -6 route add default via 2001:db8:2:1::1
	nsx b ip addr add 203.0.113.65/26 dev lan
	nsx b ip addr add 2001:db8:2:2::1/64 dev lan nodad
	nsx sb ip addr add $SITE4_B/26 dev lan
	nsx sb ip addr add $SITE6_B/64 dev lan nodad
	nsx sb ip route add default via 203.0.113.65
	nsx sb ip -6 route add default via 2001:db8:2:2::1
}

# random_key BYTES: a hex key
random_key() {
	echo "0x$(od -An -tx1 -N"$1" /dev/urandom | tr -d ' \n')"
}

# key_len TRANSFORM: bytes of keying material
key_len() {
	case $1 in
	aes128gcm16) echo 20 ;;
	aes256gcm16 | chacha20poly1305) echo 36 ;;
	aes128-sha256) echo 48 ;;
	aes256-sha256 | aes128-sha384) echo 64 ;;
	aes256-sha384 | aes128-sha512) echo 80 ;;
	aes256-sha512) echo 96 ;;
	*) fail "unknown transform $1" ;;
	esac
}

# write_pair_conf TRANSFORM ENCAP(yes|no) FAMILY(4|6) [EXTRA-LINES]:
# writes $TMP/a.conf and $TMP/b.conf, one manual tunnel "t" each, with
# the same fresh keys; EXTRA-LINES are added to both tunnel sections.
write_pair_conf() {
	xf=$1 encap=$2 fam=$3 extra=${4:-}
	k1=$(random_key "$(key_len "$xf")")
	k2=$(random_key "$(key_len "$xf")")
	if [ "$fam" = 6 ]; then la=$OUT6_A lb=$OUT6_B; else la=$OUT4_A lb=$OUT4_B; fi
	_side_conf "$la" "$lb" 0x1001 0x1002 "$k1" "$k2" $TUN4_A $TUN6_A \
		203.0.113.64/26 2001:db8:2:2::/64 >"$TMP/a.conf"
	_side_conf "$lb" "$la" 0x1002 0x1001 "$k2" "$k1" $TUN4_B $TUN6_B \
		203.0.113.0/26 2001:db8:2:1::/64 >"$TMP/b.conf"
}

_side_conf() {
	cat <<CONF
manual {
	t {
		local_addrs = $1
		remote_addrs = $2
		encap = $encap
		interface = ipsec0
		interface_addrs = $7/30, $8/64
		routes = $9, ${10}
		$extra
		inbound {
			spi = $3
			transform = $xf
			key = $5
		}
		outbound {
			spi = $4
			transform = $xf
			key = $6
		}
	}
}
CONF
}

# start_ifsecd NS CONF [ARGS...]: run ifsecd in the foreground in NS and
# wait until its interface ipsec0 is up (a bounded wait).
start_ifsecd() {
	local n=$1 conf=$2
	shift 2
	mkdir -p "$TMP/run-$n"
	fresh_rundir "$n"
	nsx "$n" "$IFSECD" -f -c "$conf" --rundir "$TMP/run-$n" "$@" \
		>>"$TMP/ifsecd-$n.log" 2>&1 &
	# $! is "ip netns exec", which waits for ifsecd and returns its
	# status; signals go to ifsecd itself, named by its pid file.
	eval "WRAP_$n=$!"
	SYS_PIDS="$SYS_PIDS $!"
	if ! wait_for 10 test -s "$TMP/run-$n/ifsecd.pid"; then
		cat "$TMP/ifsecd-$n.log" >&2
		fail "ifsecd in $n did not start"
	fi
	eval "PID_$n=$(cat "$TMP/run-$n/ifsecd.pid")"
	eval "SYS_PIDS=\"\$SYS_PIDS \$PID_$n\""
}

# stop_ifsecd NS: SIGTERM and wait (bounded) for a clean exit.
stop_ifsecd() {
	eval "p=\$PID_$1 w=\$WRAP_$1"
	kill -TERM "$p"
	wait_for "${STOP_WAIT:-10}" sh -c "! kill -0 $p 2>/dev/null" || fail "ifsecd in $1 did not exit"
	wait "$w" || fail "ifsecd in $1 exited with status $?"
	rm -f "$TMP/run-$1/ifsecd.pid"
}

# rss_kb PID: the process's resident memory in KiB (VmRSS).
rss_kb() {
	sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$1/status"
}

# counters NS: ask ifsecd for its counters (SIGUSR1) and print them once
# the file of the next generation is there.
counters() {
	eval "p=\$PID_$1"
	f="$TMP/run-$1/counters"
	g0=$(sed -n 's/^generation=//p' "$f" 2>/dev/null || true)
	kill -USR1 "$p"
	wait_for 5 sh -c "test \"\$(sed -n 's/^generation=//p' '$f' 2>/dev/null)\" != '${g0:-}'" ||
		fail "no counters from $1"
	cat "$f"
}

# counter NS 'LINE-PATTERN' KEY: one value from a fresh counters dump,
# e.g. counter a 'dir=in' drop_replay, or counter a '^global' unknown_spi.
counter() {
	counters "$1" | grep -E "$2" | head -n 1 | tr ' ' '\n' | sed -n "s/^$3=//p"
}

# transfer FROM-NS TO-NS TO-ADDR MBYTES: send random bytes over TCP and
# check that exactly the same bytes arrived.
transfer() {
	local src="$TMP/send-$4.bin" lpid dst t0 t1 a b
	[ -f "$src" ] || head -c "$(($4 * 1024 * 1024))" /dev/urandom >"$src"
	rm -f "$TMP/recv.bin"
	nsx "$2" socat -u TCP6-LISTEN:5001,reuseaddr,ipv6only=0 OPEN:"$TMP/recv.bin",creat,trunc &
	lpid=$!
	SYS_PIDS="$SYS_PIDS $lpid"
	wait_for 5 nsx "$2" sh -c "ss -ltn | grep -q ':5001 '" || fail "listener did not start"
	case $3 in *:*) dst="[$3]" ;; *) dst=$3 ;; esac
	t0=$(date +%s.%N)
	nsx "$1" timeout 120 socat -u OPEN:"$src" TCP:"$dst":5001 || fail "transfer to $3 failed"
	wait_for 30 sh -c "! kill -0 $lpid 2>/dev/null" || fail "receiver did not finish"
	t1=$(date +%s.%N)
	a=$(sha256sum <"$src" | cut -d' ' -f1)
	b=$(sha256sum <"$TMP/recv.bin" | cut -d' ' -f1)
	[ "$a" = "$b" ] || fail "transfer to $3: content differs ($(stat -c %s "$TMP/recv.bin") bytes arrived)"
	echo "figure: $4 MB to $3 in $(awk "BEGIN { printf \"%.2f\", $t1 - $t0 }") s"
}

# ping_ok NS ADDR [COUNT]
ping_ok() {
	nsx "$1" ping -q -c "${3:-3}" -i 0.2 -W 2 "$2" >/dev/null || fail "ping $2 from $1"
}

# capture_start NS IF FILE [BPF...]: tcpdump on IF in NS into FILE (pcap),
# returning once the capture is running (its file header is written).
# One capture at a time; capture_stop ends it.
capture_start() {
	n=$1 ifc=$2 CAP_FILE=$3
	shift 3
	rm -f "$CAP_FILE"
	# In immediate mode the kernel ring holds buffer / snaplen frames:
	# with -s 0 (256 KiB) 32 MiB were only 128 frames and bursts were
	# lost. Frames on these links are at most 1514 bytes.
	ip netns exec "$PFX$n" tcpdump --immediate-mode -U -B 32768 -n -s 4096 -i "$ifc" -w "$CAP_FILE" "$@" \
		2>>"$TMP/tcpdump.log" &
	CAP_PID=$!
	SYS_PIDS="$SYS_PIDS $CAP_PID"
	wait_for 10 sh -c "[ \$(stat -c %s '$CAP_FILE' 2>/dev/null || echo 0) -ge 24 ]" ||
		fail "capture on $n/$ifc did not start: $(cat "$TMP/tcpdump.log")"
}

# capture_wait FILE COUNT [BPF]: wait until FILE holds at least COUNT
# frames (matching BPF if given).
# When they do not arrive, the capture is stopped so that tcpdump's own
# count of what the kernel dropped is in the message.
capture_wait() {
	wait_for 10 sh -c "[ \$(tcpdump -n -r '$1' ${3:-} 2>/dev/null | wc -l) -ge $2 ]" && return
	capture_stop
	fail "capture $1 has $(tcpdump -n -r "$1" ${3:-} 2>/dev/null | wc -l) frames, expected $2;" \
		"tcpdump: $(tr '\n' ' ' <"$TMP/tcpdump.log")"
}

# capture_stop: end the capture that capture_start began.
capture_stop() {
	kill -TERM "$CAP_PID" 2>/dev/null
	wait_for 10 sh -c "! kill -0 $CAP_PID 2>/dev/null" || fail "tcpdump did not stop"
	wait "$CAP_PID" 2>/dev/null || true
}

# fresh_rundir NS: remove what an earlier daemon in NS left in its run
# directory. Its last counters dump (written at exit) may carry the same
# generation as the next daemon's first one, and counters() would take
# the stale file for the new dump.
fresh_rundir() {
	rm -f "$TMP/run-$1/counters" "$TMP/run-$1/counters.tmp"
}

# write_ike_conf NS FAMILY(4|6) IKE-PROPOSALS ESP-PROPOSALS PSK START [EXTRA-CONN [EXTRA-CHILD]]:
# writes $TMP/NS.conf: one IKEv2 connection "t" from NS (a or b) to the
# other gateway, interface ipsec0 with the standard tunnel addresses and
# routes to the other site, ids NS.example.org, the PSK in secrets.
write_ike_conf() {
	local n=$1 fam=$2 ike=$3 esp=$4 psk=$5 start=$6 extra=${7:-} extra_child=${8:-}
	local la lb tun4 tun6 r4 r6 peer
	if [ "$n" = a ]; then peer=b; else peer=a; fi
	if [ "$fam" = 6 ]; then la=$OUT6_A lb=$OUT6_B; else la=$OUT4_A lb=$OUT4_B; fi
	if [ "$n" = a ]; then
		tun4=$TUN4_A tun6=$TUN6_A r4=203.0.113.64/26 r6=2001:db8:2:2::/64
	else
		tun4=$TUN4_B tun6=$TUN6_B r4=203.0.113.0/26 r6=2001:db8:2:1::/64
		local t=$la; la=$lb; lb=$t
	fi
	cat >"$TMP/$n.conf" <<CONF
connections {
	t {
		version = 2
		local_addrs = $la
		remote_addrs = $lb
		proposals = $ike
		interface = ipsec0
		interface_addrs = $tun4/30, $tun6/64
		routes = $r4, $r6
		$extra
		local {
			auth = psk
			id = $n.example.org
		}
		remote {
			auth = psk
			id = $peer.example.org
		}
		children {
			net {
				esp_proposals = $esp
				start_action = $start
				$extra_child
			}
		}
	}
}
secrets {
	ike-t {
		id-1 = a.example.org
		id-2 = b.example.org
		secret = "$psk"
	}
}
CONF
}

# write_many_conf NS N START PSK: $TMP/NS.conf with N connections t1..tN
# between a and b over IPv6, each its own interface ipsecI with
# 2001:db8:1:I::1/64 in a, ::2 in b (I in hex), told apart by their
# identities aI/bI.example.org; one PSK for all.
write_many_conf() {
	local n=$1 count=$2 start=$3 psk=$4 peer la lb me i h
	if [ "$n" = a ]; then peer=b la=$OUT6_A lb=$OUT6_B me=1; else peer=a la=$OUT6_B lb=$OUT6_A me=2; fi
	{
		echo "connections {"
		for i in $(seq "$count"); do
			h=$(printf %x "$i")
			cat <<CONF
	t$i {
		local_addrs = $la
		remote_addrs = $lb
		proposals = aes128-sha256-x25519
		interface = ipsec$i
		interface_addrs = 2001:db8:1:$h::$me/64
		local {
			auth = psk
			id = $n$i.example.org
		}
		remote {
			auth = psk
			id = $peer$i.example.org
		}
		children {
			net {
				esp_proposals = aes128gcm16
				start_action = $start
			}
		}
	}
CONF
		done
		echo "}"
		echo "secrets {"
		echo "	ike-all {"
		echo "		secret = \"$psk\""
		echo "	}"
		echo "}"
	} >"$TMP/$n.conf"
}

# ike_wait_up NS SECONDS: wait until NS's ifsecd logged its Child SA.
ike_wait_up() {
	wait_for "$2" grep -q "CHILD SA .* installed" "$TMP/ifsecd-$1.log"
}

# child_spis NS: "IN OUT" from the last Child SA NS's ifsecd installed.
child_spis() {
	sed -n 's/.*CHILD SA .* installed, SPIs \([0-9a-f]*\)_i \([0-9a-f]*\)_o.*/\1 \2/p' \
		"$TMP/ifsecd-$1.log" | tail -n 1
}
