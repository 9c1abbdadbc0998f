/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef IFS_CONFIG_CONF_H
#define IFS_CONFIG_CONF_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "common/addr.h"
#include "common/err.h"
#include "common/secret.h"
#include "crypto/crypto.h"
#include "ike/id.h"
#include "ike/proposal.h"

/*
 * The configuration after translation and validation: what the daemon
 * acts on. It is built from the settings tree of a swanctl.conf-syntax
 * file (settings.h) by conf_load(); every error names file:line.
 *
 * Manually keyed tunnels are an ifsec extension, a top-level section
 *
 *   manual {
 *       <name> {
 *           local_addrs = 192.0.2.1
 *           remote_addrs = 192.0.2.2
 *           encap = yes             # yes: ESP in UDP (RFC 3948), no: IP protocol 50
 *           local_port = 4500       # encap = yes only
 *           remote_port = 4500
 *           interface = ipsec0
 *           interface_addrs = 198.51.100.1/30, 2001:db8:1::1/64
 *           interface_mtu = 0       # 0: computed from the outer path
 *           routes = 203.0.113.64/26, 2001:db8:2:2::/64
 *           replay_window = 1024    # packets, 0 disables anti-replay
 *           esn = no
 *           mode = tunnel
 *           inbound {           # a value runs to the end of its line
 *               spi = 0x1000
 *               transform = aes128gcm16
 *               key = 0x...         # key || salt, or Ke || Ki
 *           }
 *           outbound { ... }
 *       }
 *   }
 */

#define CONF_NAME_MAX 64
#define CONF_MAX_IF_ADDRS 16
#define CONF_MAX_ROUTES 64
#define CONF_REPLAY_WINDOW_MAX 65536
#define CONF_REPLAY_WINDOW_DEFAULT 1024
#define CONF_SPI_MIN 256              /* RFC 4303 §2.1: 1..255 are reserved */

struct conf_manual_sa {
	uint32_t spi;
	enum crypto_alg alg;
	struct secret *key;           /* crypto_alg_info(alg)->key_len bytes */
	int line;                     /* where the direction's section starts */
};

/*
 * A connection negotiated with IKEv2 (swanctl.conf "connections"): one
 * connection is one tunnel interface with one Child SA. What strongSwan
 * keeps per connection and per child is here; the interface keys
 * (interface, interface_addrs, interface_mtu, routes) are in the
 * connection's section and land in struct conf_tunnel as for manual
 * tunnels.
 */
#define CONF_MAX_PROPOSALS 16
#define CONF_MAX_TS 16
#define CONF_MAX_SECRET_IDS 16

enum conf_start_action {
	CONF_START_NONE,
	CONF_START_START,             /* initiate when the daemon starts */
	CONF_START_TRAP,              /* initiate on the first packet into the interface */
};

/* dpd_action and close_action */
enum conf_action {
	CONF_ACTION_NONE,             /* close_action's default */
	CONF_ACTION_CLEAR,            /* dpd_action's default */
	CONF_ACTION_TRAP,
	CONF_ACTION_RESTART,
};

struct conf_child {
	char name[CONF_NAME_MAX];
	/* Default 0.0.0.0/0 and ::/0 (route-based). */
	struct ifs_prefix local_ts[CONF_MAX_TS];
	size_t n_local_ts;
	struct ifs_prefix remote_ts[CONF_MAX_TS];
	size_t n_remote_ts;
	struct ike_prop esp_proposals[CONF_MAX_PROPOSALS]; /* protocol ESP */
	size_t n_esp_proposals;                            /* default: proposal_default */
	enum conf_start_action start_action;               /* default none */
	enum conf_action dpd_action;                       /* default clear */
	enum conf_action close_action;                     /* default none */
	/* Lifetimes (conf_life.c), strongSwan's keys and defaults: a soft
	 * limit (rekey_*) less a random part up to rand_* starts a rekey, a
	 * hard limit (life_*) deletes; life_* defaults to rekey_* * 1.1,
	 * rand_* to life_* - rekey_* (at most rekey_*); 0 turns a limit off.
	 * Bytes (inner) and packets count per SA, each direction on its own. */
	uint32_t rekey_time;          /* seconds; default 3600 */
	uint32_t life_time;           /* seconds since the Child SA was installed */
	uint32_t rand_time;           /* seconds */
	uint64_t rekey_bytes;         /* default 0 */
	uint64_t life_bytes;
	uint64_t rand_bytes;
	uint64_t rekey_packets;       /* default 0 */
	uint64_t life_packets;
	uint64_t rand_packets;
	int line;
};

struct conf_ike {
	uint16_t local_port;          /* IKE, host order; default 500 */
	uint16_t remote_port;
	bool is_remote_any;           /* remote_addrs = %any: responder only */
	bool is_encap;                /* encap = yes: ESP in UDP even without NAT */
	struct ike_prop proposals[CONF_MAX_PROPOSALS]; /* protocol IKE */
	size_t n_proposals;
	uint32_t rekey_time;          /* seconds; default 14400 */
	uint32_t reauth_time;         /* seconds; default 0 (off) */
	uint32_t over_time;           /* seconds; default 10 % of the larger of the two */
	/* seconds taken off rekey_time (and reauth_time) at random; default
	 * over_time, at most half of the (shorter, if both) renewal time */
	uint32_t rand_time;
	uint32_t dpd_delay;           /* seconds; default 0 (off) */
	uint32_t dpd_timeout;         /* seconds; default 0 (retransmission decides) */
	/* local.id defaults to the local address (type 0 here: the daemon
	 * fills it in); remote.id defaults to %any. */
	struct ike_id local_id;
	struct ike_id remote_id;
	struct conf_child child;
};

/* secrets { ike-<name> { id = ...; secret = ... } } */
struct conf_secret {
	char name[CONF_NAME_MAX];     /* the part after "ike-" */
	struct ike_id ids[CONF_MAX_SECRET_IDS];
	size_t n_ids;                 /* 0: matches any identity */
	struct secret *psk;
	int line;
};

struct conf_tunnel {
	char name[CONF_NAME_MAX];
	/* Without an interface key, the lowest ipsecN no other tunnel of the
	 * file names (and at run time: no running tunnel uses). */
	char ifname[IF_NAMESIZE];
	bool is_ifname_default;
	struct ifs_addr local;
	struct ifs_addr remote;       /* same family as local */
	bool is_udp_encap;
	uint16_t local_port;          /* host order; 4500 by default */
	uint16_t remote_port;
	struct ifs_prefix if_addrs[CONF_MAX_IF_ADDRS];
	size_t n_if_addrs;
	struct ifs_prefix routes[CONF_MAX_ROUTES];
	size_t n_routes;
	uint32_t mtu;                 /* 0: computed */
	uint32_t replay_window;       /* packets, 0..CONF_REPLAY_WINDOW_MAX */
	bool is_esn;
	struct conf_manual_sa in;     /* manual tunnels only */
	struct conf_manual_sa out;
	struct conf_ike *ike;         /* NULL for a manual tunnel */
	char file[256];               /* where the tunnel's section starts */
	int line;
};

/*
 * The daemon's settings, section "ifsecd" (strongSwan keeps them in the
 * charon section of strongswan.conf, under the same names):
 *   retransmit_timeout = 4.0, retransmit_base = 1.8, retransmit_tries = 5,
 *   half_open_timeout = 30s, cookie_threshold = 30, cookie_threshold_ip = 3,
 *   block_threshold = 5, init_limit_half_open = 1000, keylog = DIR,
 *   socket = /run/ifsec/ifsec.vici, socket_group = GROUP (mode 0660),
 *   keep_alive = 20s (NAT keepalives from behind a NAT; 0: none)
 * A value left out is -1 here (the engine's default applies).
 */
struct conf_daemon {
	int64_t retransmit_timeout_ms;
	int64_t retransmit_base_milli;   /* 1.8 is 1800 */
	int64_t retransmit_tries;
	int64_t half_open_timeout_ms;
	int64_t cookie_threshold;
	int64_t cookie_threshold_ip;
	int64_t block_threshold;
	int64_t init_limit_half_open;
	int64_t keep_alive_s;            /* NAT keepalives; default 20, 0: off */
	char keylog[256];                /* empty: none */
	char socket[108];                /* empty: the default */
	bool has_socket_gid;             /* socket_group: mode 0660 for it */
	gid_t socket_gid;
};

struct conf {
	struct conf_daemon daemon;
	struct conf_tunnel *tunnels;  /* manual tunnels and connections */
	size_t n_tunnels;
	struct conf_secret *secrets;
	size_t n_secrets;
};

/* The PSK for a pair of identities, chosen as strongSwan does: an entry
 * whose ids match both, then one matching the remote id, then one
 * matching the local id, then one without ids. NULL when none. */
const struct conf_secret *conf_find_psk(const struct conf *c,
					const struct ike_id *local,
					uint8_t remote_type, const uint8_t *remote,
					size_t remote_len);
/* The same among n secrets kept elsewhere (the daemon's credentials). */
const struct conf_secret *conf_find_psk_in(const struct conf_secret *v, size_t n,
					   const struct ike_id *local,
					   uint8_t remote_type, const uint8_t *remote,
					   size_t remote_len);

/*
 * One tunnel on its own (conf_tunnel.c), for a daemon that loads and
 * unloads connections while it runs.
 */
/* Move tunnel i out of c into its own allocation, with its keys and
 * connection; c keeps an empty slot (conf_free() skips it). */
int conf_tunnel_take(struct conf *c, size_t i, struct conf_tunnel **out) IFS_MUST_CHECK;
void conf_tunnel_free(struct conf_tunnel *t);
/* Would loading b in place of a change anything? (The file and line it
 * was read from do not count.) */
bool conf_tunnel_equal(const struct conf_tunnel *a, const struct conf_tunnel *b);
/* Can t run beside other: its own name and interface, and neither's
 * routes or interface subnets holding the other's peer. 0, or an error
 * with msg saying why. */
int conf_tunnel_conflict(const struct conf_tunnel *t, const struct conf_tunnel *other,
			 char *msg, size_t len) IFS_MUST_CHECK;
/* The interface name "ipsecN" for the lowest N that is_used(name) does
 * not claim; IFS_ERR_FULL after ipsec9999. */
int conf_default_ifname(bool (*is_used)(void *arg, const char *name), void *arg,
			char out[IF_NAMESIZE]) IFS_MUST_CHECK;

/* Room for one error message: "file:line: what is wrong". */
struct conf_err {
	char msg[512];
};

/* Parse and validate a file. On error *out is NULL and err says where and
 * what; nothing else happens (no network, no files but the ones read). */
int conf_load(const char *path, struct conf **out, struct conf_err *err) IFS_MUST_CHECK;
/* The same from a string in memory; name is used as the file in messages. */
int conf_load_string(const char *text, const char *name, struct conf **out,
		     struct conf_err *err) IFS_MUST_CHECK;
/* Frees and wipes every key. Accepts NULL. */
void conf_free(struct conf *c);

#endif
