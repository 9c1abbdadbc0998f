/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef IFS_CONFIG_CONF_INT_H
#define IFS_CONFIG_CONF_INT_H

/* Inside the config module only: what conf.c hands to conf_check.c. */

#include "config/conf.h"
#include "config/settings.h"

/* The keys of a manual tunnel, in the order they are documented. */
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

/* Checks that involve more than one value: duplicate interfaces, SPIs and
 * keys, and routes that would send a tunnel's own packets into it. */
int conf_check_tunnels(const struct conf *c, const struct conf_src *src,
		       struct settings_err *err) IFS_MUST_CHECK;

#endif
