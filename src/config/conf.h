/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef IFS_CONFIG_CONF_H
#define IFS_CONFIG_CONF_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "common/addr.h"
#include "common/err.h"
#include "common/secret.h"
#include "crypto/crypto.h"

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

struct conf_tunnel {
	char name[CONF_NAME_MAX];
	char ifname[IF_NAMESIZE];
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
	struct conf_manual_sa in;
	struct conf_manual_sa out;
	char file[256];               /* where the tunnel's section starts */
	int line;
};

struct conf {
	struct conf_tunnel *tunnels;
	size_t n_tunnels;
};

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
