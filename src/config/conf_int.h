/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef IFS_CONFIG_CONF_INT_H
#define IFS_CONFIG_CONF_INT_H

/* Inside the config module only: what conf.c shares with conf_conn.c,
 * conf_life.c, conf_secret.c and conf_check.c. */

#include "config/conf.h"
#include "config/settings.h"

/* The checks across tunnels compare every pair, and every route with
 * every peer: bounded here so that they stay well under a second. */
#define CONF_MAX_TUNNELS 1024
#define CONF_MAX_SECRETS 1024
#define CONF_ESP_UDP_PORT 4500        /* RFC 3948 §2 */

/* The keys of a tunnel, in the order they are documented for manual
 * tunnels. A connection fills those it has (its replay_window and mode
 * come from its child). */
enum conf_key {
	CONF_K_LOCAL_ADDRS,
	CONF_K_REMOTE_ADDRS,
	CONF_K_ENCAP,
	CONF_K_LOCAL_PORT,
	CONF_K_REMOTE_PORT,
	CONF_K_INTERFACE,
	CONF_K_INTERFACE_ADDRS,
	CONF_K_INTERFACE_MTU,
	CONF_K_ROUTES,
	CONF_K_REPLAY_WINDOW,
	CONF_K_ESN,
	CONF_K_MODE,
	CONF_K_COUNT,
};

enum conf_sa_key {
	CONF_SA_K_SPI,
	CONF_SA_K_TRANSFORM,
	CONF_SA_K_KEY,
	CONF_SA_K_COUNT,
};

/* Where each value of a tunnel came from, for the checks across tunnels
 * (these nodes live in the settings tree, which outlives the checks). A
 * key left at its default has no node; messages then name the tunnel's
 * own line. */
struct conf_src {
	struct settings_node *sec;
	struct settings_node *keys[CONF_K_COUNT];
	struct settings_node *dirs[2];                   /* inbound, outbound */
	struct settings_node *sa_keys[2][CONF_SA_K_COUNT];
};

/* Keys (or, with is_section_prefix, subsections whose name starts so)
 * that strongSwan knows at some level and ifsec does not support. */
struct conf_foreign {
	const char *name;
	bool is_section_prefix;
	const char *hint;             /* NULL or what to do instead */
};

/* ---- conf.c: values shared by manual tunnels and connections ---- */

/* "file:line: <path>: missing <what>", at the section's line. */
int conf_missing(const struct settings_node *sec, const char *what,
		 struct settings_err *err);
/* The first item of sec that nobody looked up: "'<key>' is not supported
 * by ifsec" when strongSwan knows it (foreign), else "unknown key". Only
 * sec's direct children are looked at. 0 when all were used. */
int conf_check_level(const struct settings_node *sec,
		     const struct conf_foreign *foreign, size_t n_foreign,
		     struct settings_err *err) IFS_MUST_CHECK;
/* The section's name fits CONF_NAME_MAX; what names it ("tunnel"). */
int conf_name(const struct settings_node *sec, const char *name,
	      const char *what, char out[CONF_NAME_MAX],
	      struct settings_err *err) IFS_MUST_CHECK;
/* Exactly one literal address, neither unspecified nor IPv4-mapped. */
int conf_one_addr(const struct settings_node *kv, struct ifs_addr *out,
		  struct settings_err *err) IFS_MUST_CHECK;
int conf_bool_or(const struct settings_node *kv, bool def, bool *out,
		 struct settings_err *err) IFS_MUST_CHECK;
int conf_u32_or(const struct settings_node *kv, uint32_t def, uint32_t min,
		uint32_t max, uint32_t *out, struct settings_err *err) IFS_MUST_CHECK;
/* A time in seconds that fits 32 bits. */
int conf_time_or(const struct settings_node *kv, uint32_t def, uint32_t *out,
		 struct settings_err *err) IFS_MUST_CHECK;
/* One prefix of a list: strict ones (routes, traffic selectors) must
 * have the host bits zero, and the message suggests the network. */
int conf_prefix(const struct settings_node *kv, const char *item,
		bool is_strict, struct ifs_prefix *out,
		struct settings_err *err) IFS_MUST_CHECK;
/* interface, interface_addrs, interface_mtu and routes from src->keys. */
int conf_iface(struct conf_tunnel *t, const struct conf_src *src,
	       struct settings_err *err) IFS_MUST_CHECK;
/* mode: tunnel (the default) only. */
int conf_mode(const struct settings_node *kv, struct settings_err *err) IFS_MUST_CHECK;

/* ---- conf_life.c: a child's lifetimes ---- */

/* The child's keys in this order: soft, hard, random for time, then
 * bytes, then packets. */
enum conf_life_key {
	CONF_LIFE_REKEY_TIME, CONF_LIFE_LIFE_TIME, CONF_LIFE_RAND_TIME,
	CONF_LIFE_REKEY_BYTES, CONF_LIFE_LIFE_BYTES, CONF_LIFE_RAND_BYTES,
	CONF_LIFE_REKEY_PACKETS, CONF_LIFE_LIFE_PACKETS, CONF_LIFE_RAND_PACKETS,
	CONF_LIFE_COUNT,
};

/* Values and defaults of the lifetime keys (NULL: absent) into ch. */
int conf_child_life(struct conf_child *ch, struct settings_node *const kv[CONF_LIFE_COUNT],
		    struct settings_err *err) IFS_MUST_CHECK;

/* ---- conf_conn.c: connections { <name> { ... } } ---- */

/* Count of connection sections (each one tunnel). */
size_t conf_count_connections(const struct settings_node *connections);
/* Appends one tunnel per connection to c->tunnels (room for them was
 * made) with its src entry at the same index. */
int conf_parse_connections(struct settings_node *connections, struct conf *c,
			   struct conf_src *src, struct settings_err *err) IFS_MUST_CHECK;

/* ---- conf_secret.c: secrets { ike-<name> { ... } } ---- */

int conf_parse_secrets(struct settings_node *secrets, struct conf *c,
		       struct settings_err *err) IFS_MUST_CHECK;
/* The top-level section "ifsecd" (NULL: absent); unset values are -1. */
int conf_parse_daemon(struct settings_node *sec, struct conf *c,
		      struct settings_err *err) IFS_MUST_CHECK;
void conf_secrets_free(struct conf *c);

/* ---- conf_check.c ---- */

/* Default interface names, and checks that involve more than one value:
 * duplicate names, interfaces, SPIs and keys, and routes that would send
 * a tunnel's own packets into it. */
int conf_check_tunnels(struct conf *c, const struct conf_src *src,
		       struct settings_err *err) IFS_MUST_CHECK;

#endif
