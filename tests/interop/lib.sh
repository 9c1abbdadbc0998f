# SPDX-License-Identifier: BSD-2-Clause
# strongSwan (Debian's charon 5.9.8) as a peer in the namespaces of
# tests/sys/lib.sh, for interop scenarios (tests/interop/<name>/run).
# Source tests/sys/lib.sh first, then this file: the topology, nsx, wait_for,
# transfer, capture_* and the cleanup trap are reused; this file widens the
# trap to stop every charon it started and remove its directory.
#
# Each charon lives in one namespace and owns one directory DIR (absolute or
# relative to $TMP; by default $TMP/charon-NS) holding strongswan.conf,
# swanctl.conf, charon.log, the VICI socket charon.vici and charon.pid.
#
#   charon_start NS [DIR]        write DIR/strongswan.conf (unless there is
#                                one; write_strongswan_conf) and run charon
#                                in NS under `unshare --mount` with a private
#                                tmpfs on /run (it writes a fixed
#                                /run/charon.pid); waits until VICI answers
#                                and ipsec0 exists. CHARON_EXTRA (lines) is
#                                appended inside the charon { } section; a
#                                setting there overrides the one above.
#   charon_load NS [DIR]         swanctl --load-all of DIR/swanctl.conf
#   charon_initiate NS DIR CHILD [IKE]
#                                swanctl --initiate (blocks until the CHILD_SA
#                                is up or fails, at most CHARON_TIMEOUT s)
#   charon_try_initiate NS DIR CHILD [IKE]
#                                the same, returning swanctl's status
#   charon_terminate NS DIR IKE  swanctl --terminate --ike IKE (bounded)
#   charon_list_sas NS DIR [--raw|--pretty]
#   charon_wait_established NS DIR IKE SECONDS
#                                bounded poll until IKE is ESTABLISHED with
#                                an INSTALLED CHILD_SA
#   charon_wait_gone NS DIR IKE SECONDS
#                                bounded poll until no IKE_SA named IKE is left
#   charon_sa NS DIR IKE         the IKE_SA IKE and its first CHILD_SA
#                                as KEY=VALUE lines (below), from which
#                                `sa_value FIELD` (stdin) picks one value
#   charon_sa_field NS DIR IKE FIELD
#                                one value of the established SA, from
#                                swanctl --list-sas --raw; FIELD is an IKE_SA
#                                key (initiator-spi responder-spi encr-alg
#                                encr-keysize integ-alg prf-alg dh-group
#                                local-port remote-port nat-local ...) or
#                                child.KEY for the first CHILD_SA (spi-in
#                                spi-out encr-alg encr-keysize esn mode
#                                protocol encap state bytes-in packets-in
#                                ...). SPIs are hex without 0x (ESP SPIs 8
#                                digits, IKE SPIs 16), algorithms as
#                                swanctl names them (AES_GCM_16,
#                                PRF_HMAC_SHA2_256, CURVE_25519).
#   charon_tun NS ADDR... [-- ROUTE...]
#                                addresses (ADDR/PFX) on ipsec0, and routes
#                                (PREFIX) through ipsec0 in the main table
#   charon_stop NS [DIR]         SIGTERM (charon sends DELETE for its
#                                IKE_SAs, removes ipsec0), bounded wait
#   charon_skip_unless_available exit 77 without charon and its plugins
#   write_charon_conf DIR ROLE KEY=VALUE...
#                                DIR/swanctl.conf for a PSK site-to-site
#                                connection; ROLE initiator|responder; keys
#                                and defaults at the function
#
# What Debian's kernel-libipsec (the only ESP this kernel lets charon use)
# can and cannot do, and how it is set up here:
# - ESP in UDP only (RFC 3948, port 4500): it declares that it requires
#   UDP encapsulation, so charon fakes a NAT (a random
#   NAT_DETECTION_SOURCE_IP) even with encap = no, and IKE floats to 4500
#   from IKE_AUTH on. No raw ESP, tunnel mode only, a 128-packet replay
#   window, no IPComp, no ESN: an ESN proposal is selected, then the SA
#   cannot be installed ("ESN not supported") and the CHILD_SA fails with
#   NO_PROPOSAL_CHOSEN while the IKE_SA stays (esp proposals must not ask
#   for ESN; without "esn" charon proposes and accepts only no-ESN).
# - ESP runs in user space on one TUN device ipsec0 (MTU 1400), created
#   when charon starts and removed when it stops; one device for all SAs.
#   An outbound packet is matched against the SAs' traffic selectors
#   (0.0.0.0/0,::/0 here: route-based), so what the routing table sends to
#   ipsec0 is what crosses the tunnel.
# - kernel-libipsec installs a route for each outbound selector into
#   table 220 (charon.install_routes only governs kernel-netlink's XFRM
#   backend), and 0.0.0.0/0 would draw everything, IKE to a peer behind a
#   router included. The rule to table 220 is therefore limited to a
#   firewall mark nothing carries (kernel-netlink.fwmark), leaving table
#   220 inert, and tests route their tunnel traffic through ipsec0
#   themselves (charon_tun), as ifsecd's "routes" do.
# - With MOBIKE charon would announce ipsec0's addresses as its own
#   (ADDITIONAL_IP4/6_ADDRESS): write_charon_conf sets mobike = no.
# - IPv6 link-local addresses are not generated on ipsec0
#   (addr_gen_mode=1 in the namespace) so that no router solicitations or
#   MLD reports of its own end up in the tunnel.

CHARON=${CHARON:-/usr/lib/ipsec/charon}
CHARON_TIMEOUT=${CHARON_TIMEOUT:-20}
CHARON_EXTRA=${CHARON_EXTRA:-}
INTEROP_DIRS=""

# charon_skip_unless_available: exit 77 unless charon, swanctl and the
# plugins this file loads are installed.
charon_skip_unless_available() {
	local p missing=""
	[ -x "$CHARON" ] || missing="$missing $CHARON"
	command -v swanctl >/dev/null 2>&1 || missing="$missing swanctl"
	for p in openssl kdf random nonce kernel-libipsec kernel-netlink socket-default vici; do
		[ -f "/usr/lib/ipsec/plugins/libstrongswan-$p.so" ] || missing="$missing plugin:$p"
	done
	[ -c /dev/net/tun ] || missing="$missing /dev/net/tun"
	if [ -n "$missing" ]; then
		echo "SKIP: strongSwan missing:$missing (scripts/bootstrap installs it)"
		exit 77
	fi
}

_charon_dir() { # NS [DIR] -> absolute directory
	local d=${2:-charon-$1}
	case $d in /*) ;; *) d=$TMP/$d ;; esac
	echo "$d"
}

# Variables per namespace: CHARON_PID_<ns>, CHARON_WRAP_<ns>.
_charon_var() { echo "CHARON_$1_$(echo "$2" | tr -c 'A-Za-z0-9_\n' _)"; }

interop_cleanup() {
	local rc=$? d
	set +e
	# On failure, the end of each charon log says what charon thought.
	if [ "$rc" != 0 ] && [ "$rc" != 77 ]; then
		for d in $INTEROP_DIRS; do
			[ -s "$d/charon.log" ] || continue
			echo "--- last lines of $d/charon.log" >&2
			tail -n 40 "$d/charon.log" >&2
		done
	fi
	# SIGTERM first so that charon removes ipsec0 itself; sys_cleanup
	# escalates to SIGKILL and removes the namespaces.
	sys_cleanup
	for d in $INTEROP_DIRS; do
		rm -rf "$d"
	done
	exit "$rc"
}
trap interop_cleanup EXIT

_swanctl() { # NS DIR ARGS...
	local n=$1 d=$2
	shift 2
	nsx "$n" env STRONGSWAN_CONF="$d/strongswan.conf" SWANCTL_DIR="$d/swanctl" \
		swanctl "$@" --uri "unix://$d/charon.vici"
}

# write_strongswan_conf DIR: charon's own configuration (one setting a line:
# a ';' would become part of the value).
write_strongswan_conf() {
	local d=$1
	cat >"$d/strongswan.conf" <<CONF
charon {
	load_modular = no
	# kdf: openssl's KDF_PRF refuses PRF_HMAC_SHA2_256 here
	load = openssl kdf random nonce x509 pubkey pem pkcs1 pkcs8 curve25519 kernel-libipsec kernel-netlink socket-default vici
	install_virtual_ip = no
	# give up on a silent peer after ~12 s instead of ~165 s
	retransmit_tries = 3
	retransmit_timeout = 1.0
	plugins {
		vici {
			socket = unix://$d/charon.vici
		}
		kernel-libipsec {
			# lets a selector be the peer's own address
			allow_peer_ts = yes
		}
		kernel-netlink {
			# rule "fwmark 0xfe15ec lookup 220": table 220 unused
			fwmark = 0xfe15ec
		}
	}
	filelog {
		ifsec {
			path = $d/charon.log
			append = no
			flush_line = yes
			time_format = %H:%M:%S
			time_add_ms = yes
			ike_name = yes
			default = 1
			ike = 2
			cfg = 2
			net = 1
			enc = 1
			knl = 1
		}
	}
	# nothing to the host's syslog
	syslog {
		daemon {
			default = -1
		}
	}
$CHARON_EXTRA
}
CONF
}

charon_start() { # NS [DIR]
	local n=$1 d
	d=$(_charon_dir "$@")
	mkdir -p "$d/swanctl"
	# swanctl --load-all reads credentials from SWANCTL_DIR=$d/swanctl.
	(cd "$d/swanctl" && mkdir -p x509 x509ca x509ocsp x509aa x509ac x509crl pubkey private rsa ecdsa bliss pkcs8 pkcs12)
	case " $INTEROP_DIRS " in *" $d "*) ;; *) INTEROP_DIRS="$INTEROP_DIRS $d" ;; esac
	rm -f "$d/charon.pid" "$d/charon.vici"
	[ -f "$d/strongswan.conf" ] || write_strongswan_conf "$d"
	# ipsec0 inherits "default": no link-local address, hence no RS/MLD.
	nsx "$n" sysctl -qw net.ipv6.conf.default.addr_gen_mode=1
	# charon does not fork: the shell's pid (written before exec) is
	# charon's. unshare gives it a private /run (and /var/run).
	nsx "$n" unshare --mount --propagation private sh -c '
		mount -t tmpfs -o mode=0755 tmpfs /run || exit 1
		echo $$ >"$1/charon.pid"
		STRONGSWAN_CONF=$1/strongswan.conf exec "$2"' sh "$d" "$CHARON" \
		>>"$d/charon.out" 2>&1 &
	eval "$(_charon_var WRAP "$n")=$!"
	SYS_PIDS="$SYS_PIDS $!"
	if ! wait_for 10 test -s "$d/charon.pid"; then
		cat "$d/charon.out" >&2
		fail "charon in $n did not start"
	fi
	eval "$(_charon_var PID "$n")=$(cat "$d/charon.pid")"
	SYS_PIDS="$SYS_PIDS $(cat "$d/charon.pid")"
	if ! wait_for 10 _swanctl "$n" "$d" --stats; then
		cat "$d/charon.out" "$d/charon.log" >&2
		fail "charon in $n does not answer on $d/charon.vici"
	fi
	wait_for 5 nsx "$n" ip link show ipsec0 || fail "charon in $n made no ipsec0"
}

charon_stop() { # NS [DIR]
	local n=$1 p w
	eval "p=\${$(_charon_var PID "$n"):-} w=\${$(_charon_var WRAP "$n"):-}"
	[ -n "$p" ] || fail "no charon started in $n"
	kill -TERM "$p" 2>/dev/null || true
	wait_for 10 sh -c "! kill -0 $p 2>/dev/null" || fail "charon in $n did not exit"
	wait "$w" || fail "charon in $n exited with status $?"
	SYS_PIDS=$(echo " $SYS_PIDS " | sed "s/ $p / /; s/ $w / /")
	eval "$(_charon_var PID "$n")= $(_charon_var WRAP "$n")="
}

charon_load() { # NS [DIR]
	local d
	d=$(_charon_dir "$@")
	_swanctl "$1" "$d" --load-all --noprompt --file "$d/swanctl.conf" >>"$d/swanctl.out" 2>&1 ||
		{ cat "$d/swanctl.out" >&2; fail "swanctl --load-all in $1"; }
}

charon_initiate() { # NS DIR CHILD [IKE]
	local d
	d=$(_charon_dir "$1" "$2")
	_swanctl "$1" "$d" --initiate --child "$3" ${4:+--ike "$4"} --timeout "$CHARON_TIMEOUT" \
		>>"$d/swanctl.out" 2>&1 ||
		{ tail -n 20 "$d/swanctl.out" >&2; fail "swanctl --initiate $3 in $1"; }
}

# charon_try_initiate NS DIR CHILD [IKE]: the same, returning its status
# (for refusals the test expects).
charon_try_initiate() {
	local d
	d=$(_charon_dir "$1" "$2")
	_swanctl "$1" "$d" --initiate --child "$3" ${4:+--ike "$4"} --timeout "$CHARON_TIMEOUT" \
		>>"$d/swanctl.out" 2>&1
}

charon_terminate() { # NS DIR IKE
	local d
	d=$(_charon_dir "$1" "$2")
	_swanctl "$1" "$d" --terminate --ike "$3" --timeout "$CHARON_TIMEOUT" \
		>>"$d/swanctl.out" 2>&1 ||
		{ tail -n 20 "$d/swanctl.out" >&2; fail "swanctl --terminate $3 in $1"; }
}

charon_list_sas() { # NS DIR [--raw|--pretty]
	local d
	d=$(_charon_dir "$1" "$2")
	_swanctl "$1" "$d" --list-sas --noblock ${3:-}
}

# The raw form is one line per IKE_SA:
#   list-sa event {NAME {uniqueid=1 version=2 state=ESTABLISHED ...
#   child-sas {CHILD-1 {name=CHILD ... spi-in=c1d2e3f4 ...
#   local-ts=[0.0.0.0/0 ::/0] ...}}}}
# _charon_raw_sa NS DIR IKE: the first IKE_SA named IKE as KEY=VALUE lines,
# the keys of its first CHILD_SA prefixed "child.", list items joined by
# spaces. (Values with spaces, e.g. distinguished names, are not parsed.)
_charon_raw_sa() {
	local d
	d=$(_charon_dir "$1" "$2")
	_swanctl "$1" "$d" --list-sas --noblock --ike "$3" --raw 2>/dev/null |
		/usr/bin/python3 -c '
import re, sys
for line in sys.stdin:
    if not line.startswith("list-sa event {"):
        continue
    path, out, seen = [], [], set()
    for m in re.finditer(r"(\S+) \{|\}|(\S+)=\[([^\]]*)\]|([^\s=]+)=([^\s}]*)", line[len("list-sa event {"):]):
        if m.group(1):
            path.append(m.group(1))
        elif m.group(0) == "}":
            if path:
                path.pop()
        else:
            k, v = (m.group(2), m.group(3)) if m.group(2) else (m.group(4), m.group(5))
            if len(path) == 1:
                out.append((k, v))
            elif len(path) == 3 and path[1] == "child-sas":
                seen.add(path[2])
                if len(seen) == 1:
                    out.append(("child." + k, v))
    if out:
        for k, v in out:
            print("%s=%s" % (k, v))
        break
'
}

charon_sa() { # NS DIR IKE
	_charon_raw_sa "$@"
}

charon_sa_field() { # NS DIR IKE FIELD
	_charon_raw_sa "$1" "$2" "$3" | sa_value "$4"
}

# sa_value FIELD: the value of FIELD in charon_sa's output on stdin.
sa_value() {
	awk -v k="$1" 'index($0, k "=") == 1 { print substr($0, length(k) + 2); exit }'
}

_charon_established() { # NS DIR IKE
	local sa
	sa=$(_charon_raw_sa "$@")
	echo "$sa" | grep -qx 'state=ESTABLISHED' && echo "$sa" | grep -qx 'child.state=INSTALLED'
}

charon_wait_established() { # NS DIR IKE SECONDS
	wait_for "$4" _charon_established "$1" "$2" "$3" ||
		fail "IKE_SA $3 in $1 not established within $4 s: $(charon_list_sas "$1" "$2" 2>&1 | tr '\n' ' ')"
}

charon_wait_gone() { # NS DIR IKE SECONDS
	wait_for "$4" _charon_gone "$1" "$2" "$3" ||
		fail "IKE_SA $3 in $1 still there after $4 s: $(charon_list_sas "$1" "$2" 2>&1 | tr '\n' ' ')"
}

_charon_gone() { # NS DIR IKE
	[ -z "$(_charon_raw_sa "$@")" ]
}

charon_tun() { # NS ADDR... [-- ROUTE...]
	local n=$1 a routes=0
	shift
	for a in "$@"; do
		if [ "$a" = -- ]; then
			routes=1
			continue
		fi
		if [ $routes = 1 ]; then
			nsx "$n" ip route replace "$a" dev ipsec0
		else
			case $a in
			*:*) nsx "$n" ip addr add "$a" dev ipsec0 nodad ;;
			*) nsx "$n" ip addr add "$a" dev ipsec0 ;;
			esac
		fi
	done
}

# write_charon_conf DIR ROLE KEY=VALUE...: DIR/swanctl.conf with one IKE
# connection (PSK, IKEv2, encap = yes) and one CHILD_SA. Keys (default):
#   name (ifsec)  child (net)  local remote (required for an initiator;
#   a responder without remote accepts any address)  local_id (local)
#   remote_id (remote, else %any)
#   secret (required; as swanctl reads it: 0x... is hex of binary bytes,
#   0s... base64, anything else the literal string)
#   ike (aes128gcm16-prfsha256-x25519)  esp (aes128gcm16)
#   local_ts remote_ts (0.0.0.0/0,::/0)  start_action (none)
#   rekey_time (0: none)  ike_rekey_time (0: none)  dpd_delay (0: none)
#   rekey_bytes rekey_packets (0: none)
#   rand_time ike_rand_time (charon's default, a tenth of the rekey
#   time, when not given)
#   mobike (no)  fragmentation (yes)  encap (yes; kernel-libipsec needs it)
write_charon_conf() {
	local d=$1 role=$2 kv k v
	shift 2
	local name=ifsec child=net local="" remote="" local_id="" remote_id="" secret=""
	local ike=aes128gcm16-prfsha256-x25519 esp=aes128gcm16
	local local_ts=0.0.0.0/0,::/0 remote_ts=0.0.0.0/0,::/0 start_action=none
	local rekey_time=0 ike_rekey_time=0 dpd_delay=0 mobike=no fragmentation=yes encap=yes
	local rekey_bytes=0 rekey_packets=0
	local rand_time="" ike_rand_time=""
	for kv in "$@"; do
		# shellcheck disable=SC2034 # v is read by the eval below
		k=${kv%%=*} v=${kv#*=}
		case $k in
		name | child | local | remote | local_id | remote_id | secret | ike | esp | \
			local_ts | remote_ts | start_action | rekey_time | ike_rekey_time | \
			dpd_delay | mobike | fragmentation | encap | rekey_bytes | rekey_packets | \
			rand_time | ike_rand_time)
			eval "$k=\$v" ;;
		*) fail "write_charon_conf: unknown key $k" ;;
		esac
	done
	case $d in /*) ;; *) d=$TMP/$d ;; esac
	[ -n "$secret" ] || fail "write_charon_conf: secret= is required"
	[ -n "$local" ] || fail "write_charon_conf: local= is required"
	case $role in
	initiator) [ -n "$remote" ] || fail "write_charon_conf: an initiator needs remote=" ;;
	responder) ;;
	*) fail "write_charon_conf: ROLE is initiator or responder, not $role" ;;
	esac
	: "${local_id:=$local}"
	: "${remote_id:=${remote:-%any}}"
	mkdir -p "$d"
	cat >"$d/swanctl.conf" <<CONF
connections {
	$name {
		version = 2
		local_addrs = $local
		remote_addrs = ${remote:-%any}
		proposals = $ike
		encap = $encap
		mobike = $mobike
		fragmentation = $fragmentation
		rekey_time = $ike_rekey_time${ike_rand_time:+
		rand_time = $ike_rand_time}
		dpd_delay = $dpd_delay
		local {
			auth = psk
			id = $local_id
		}
		remote {
			auth = psk
			id = $remote_id
		}
		children {
			$child {
				mode = tunnel
				local_ts = $local_ts
				remote_ts = $remote_ts
				esp_proposals = $esp
				rekey_time = $rekey_time${rand_time:+
				rand_time = $rand_time}
				rekey_bytes = $rekey_bytes
				rekey_packets = $rekey_packets
				start_action = $start_action
			}
		}
	}
}
secrets {
	ike-$name {
		id-local = $local_id
		id-remote = $remote_id
		secret = "$secret"
	}
}
CONF
}
