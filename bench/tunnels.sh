# SPDX-License-Identifier: BSD-2-Clause
# The tunnels bench/run compares, each between gateways a and b of the
# standard topology (tests/sys/lib.sh) so that traffic from site sa to site
# sb crosses it. Source tests/sys/lib.sh and tests/interop/lib.sh first.
#
#   tunnel_up SCENARIO     start it and wait until a ping crosses it; sets
#                          BENCH_PIDS ("a=PID b=PID": the daemons whose CPU
#                          time and memory are measured; empty for veth)
#   tunnel_down SCENARIO   stop it and remove what it added
#
# Scenarios:
#   veth                   the sites routed between the gateways, no tunnel
#   ifsec-XF-udp           ifsecd, ESP in UDP (port 4500), transform XF,
#   ifsec-XF-esp           or raw ESP (IP protocol 50); manually keyed, so
#                          that only the data plane is measured
#   strongswan             Debian's charon with kernel-libipsec (its only
#                          ESP without kernel IPsec), AES-128-GCM, ESP in UDP
#   wireguard-go           Debian's wireguard-go
BENCH_TRANSFORMS="aes128gcm16 aes256gcm16 chacha20poly1305 aes128-sha256"
BENCH_PIDS=""

bench_all_scenarios() {
	local xf s="veth"
	for xf in $BENCH_TRANSFORMS; do
		s="$s ifsec-$xf-udp ifsec-$xf-esp"
	done
	echo "$s strongswan wireguard-go"
}

_veth_routes() { # add|del
	nsx a ip route "$1" 203.0.113.64/26 via $OUT4_B
	nsx b ip route "$1" 203.0.113.0/26 via $OUT4_A
}

_strongswan_up() {
	local psk
	psk=$(random_key 24)
	write_charon_conf charon-a initiator local=$OUT4_A remote=$OUT4_B secret="$psk" \
		ike=aes128gcm16-prfsha256-x25519 esp=aes128gcm16
	write_charon_conf charon-b responder local=$OUT4_B remote=$OUT4_A secret="$psk" \
		ike=aes128gcm16-prfsha256-x25519 esp=aes128gcm16
	charon_start a
	charon_start b
	charon_tun a $TUN4_A/32 -- $TUN4_B/32 203.0.113.64/26
	charon_tun b $TUN4_B/32 -- $TUN4_A/32 203.0.113.0/26
	charon_load a
	charon_load b
	charon_initiate a charon-a net ifsec
	BENCH_PIDS="a=$CHARON_PID_a b=$CHARON_PID_b"
}

# wireguard-go's control sockets are /var/run/wireguard/NAME.sock, shared by
# all namespaces: the interfaces get names of this run.
_wg_name() { echo "wg$$$1"; }

_wireguard_up() {
	local ka kb n
	ka=$(wg genkey)
	kb=$(wg genkey)
	for n in a b; do
		nsx $n env WG_PROCESS_FOREGROUND=1 wireguard-go "$(_wg_name $n)" \
			>"$TMP/wg-$n.log" 2>&1 &
		eval "WG_WRAP_$n=$!"
		SYS_PIDS="$SYS_PIDS $!"
	done
	for n in a b; do
		wait_for 10 nsx $n ip link show "$(_wg_name $n)" || fail "wireguard-go in $n made no interface"
		wait_for 10 test -S "/var/run/wireguard/$(_wg_name $n).sock" ||
			fail "wireguard-go in $n has no control socket"
	done
	echo "$ka" >"$TMP/wg-a.key"
	echo "$kb" >"$TMP/wg-b.key"
	nsx a wg set "$(_wg_name a)" listen-port 51820 private-key "$TMP/wg-a.key" \
		peer "$(echo "$kb" | wg pubkey)" endpoint $OUT4_B:51820 \
		allowed-ips $TUN4_B/32,203.0.113.64/26
	nsx b wg set "$(_wg_name b)" listen-port 51820 private-key "$TMP/wg-b.key" \
		peer "$(echo "$ka" | wg pubkey)" endpoint $OUT4_A:51820 \
		allowed-ips $TUN4_A/32,203.0.113.0/26
	nsx a ip addr add $TUN4_A/30 dev "$(_wg_name a)"
	nsx b ip addr add $TUN4_B/30 dev "$(_wg_name b)"
	for n in a b; do
		nsx $n ip link set "$(_wg_name $n)" up
	done
	nsx a ip route add 203.0.113.64/26 dev "$(_wg_name a)"
	nsx b ip route add 203.0.113.0/26 dev "$(_wg_name b)"
	BENCH_PIDS="a=$(_wg_pid a) b=$(_wg_pid b)"
}

# The process behind the "ip netns exec" wrapper.
_wg_pid() { pgrep -f "^wireguard-go $(_wg_name "$1")\$" | head -1 || true; }

_wireguard_down() {
	local n p
	for n in a b; do
		p=$(_wg_pid $n)
		[ -z "$p" ] || kill -TERM "$p"
	done
	for n in a b; do
		eval "p=\$WG_WRAP_$n"
		wait_for 10 sh -c "! kill -0 $p 2>/dev/null" || fail "wireguard-go in $n did not exit"
		SYS_PIDS=$(echo " $SYS_PIDS " | sed "s/ $p / /")
	done
}

tunnel_up() { # scenario
	BENCH_PIDS=""
	case $1 in
	veth) _veth_routes add ;;
	ifsec-*-udp | ifsec-*-esp)
		local xf=${1#ifsec-} encap=no
		xf=${xf%-*}
		[ "${1##*-}" = udp ] && encap=yes
		write_pair_conf "$xf" "$encap" 4
		start_ifsecd a "$TMP/a.conf"
		start_ifsecd b "$TMP/b.conf"
		BENCH_PIDS="a=$PID_a b=$PID_b"
		;;
	strongswan) _strongswan_up ;;
	wireguard-go) _wireguard_up ;;
	*) fail "unknown scenario $1 (known: $(bench_all_scenarios))" ;;
	esac
	wait_for 10 nsx sa ping -c 1 -W 1 $SITE4_B || fail "$1: no ping crosses"
}

tunnel_down() { # scenario
	case $1 in
	veth) _veth_routes del ;;
	ifsec-*)
		stop_ifsecd a
		stop_ifsecd b
		;;
	strongswan)
		charon_stop a
		charon_stop b
		;;
	wireguard-go) _wireguard_down ;;
	esac
}
