/* SPDX-License-Identifier: BSD-2-Clause */
/* One tunnel on its own, as the daemon keeps it while it runs: taken out
 * of the configuration it was loaded with, compared with a newer version
 * of itself, and checked against the other tunnels already running. */
#include "config/conf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int conf_tunnel_take(struct conf *c, size_t i, struct conf_tunnel **out)
{
	struct conf_tunnel *t;

	*out = NULL;
	if (i >= c->n_tunnels)
		return IFS_ERR_INVAL;
	t = malloc(sizeof(*t));
	if (!t)
		return IFS_ERR_NOMEM;
	*t = c->tunnels[i];
	/* What the tunnel owns (keys, the connection) is now t's alone. */
	c->tunnels[i].in.key = NULL;
	c->tunnels[i].out.key = NULL;
	c->tunnels[i].ike = NULL;
	*out = t;
	return 0;
}

void conf_tunnel_free(struct conf_tunnel *t)
{
	if (!t)
		return;
	secret_free(t->in.key);
	secret_free(t->out.key);
	free(t->ike);
	free(t);
}

/* ---- equality: what loading the same connection again may skip ---- */

static bool prefixes_equal(const struct ifs_prefix *a, size_t na,
			   const struct ifs_prefix *b, size_t nb)
{
	if (na != nb)
		return false;
	for (size_t i = 0; i < na; i++)
		if (a[i].len != b[i].len || !addr_eq(&a[i].addr, &b[i].addr))
			return false;
	return true;
}

static bool props_equal(const struct ike_prop *a, size_t na,
			const struct ike_prop *b, size_t nb)
{
	if (na != nb)
		return false;
	for (size_t i = 0; i < na; i++) {
		if (a[i].protocol != b[i].protocol || a[i].n_xf != b[i].n_xf)
			return false;
		for (size_t k = 0; k < a[i].n_xf; k++)
			if (a[i].xf[k].type != b[i].xf[k].type ||
			    a[i].xf[k].id != b[i].xf[k].id ||
			    a[i].xf[k].key_bits != b[i].xf[k].key_bits)
				return false;
	}
	return true;
}

static bool ids_equal(const struct ike_id *a, const struct ike_id *b)
{
	return a->type == b->type && a->len == b->len &&
	       a->has_wildcard == b->has_wildcard && memcmp(a->data, b->data, a->len) == 0;
}

static bool child_equal(const struct conf_child *a, const struct conf_child *b)
{
	return strcmp(a->name, b->name) == 0 &&
	       prefixes_equal(a->local_ts, a->n_local_ts, b->local_ts, b->n_local_ts) &&
	       prefixes_equal(a->remote_ts, a->n_remote_ts, b->remote_ts, b->n_remote_ts) &&
	       props_equal(a->esp_proposals, a->n_esp_proposals, b->esp_proposals,
			   b->n_esp_proposals) &&
	       a->start_action == b->start_action && a->dpd_action == b->dpd_action &&
	       a->close_action == b->close_action && a->rekey_time == b->rekey_time &&
	       a->life_time == b->life_time && a->rand_time == b->rand_time &&
	       a->rekey_bytes == b->rekey_bytes && a->life_bytes == b->life_bytes &&
	       a->rand_bytes == b->rand_bytes && a->rekey_packets == b->rekey_packets &&
	       a->life_packets == b->life_packets && a->rand_packets == b->rand_packets;
}

static bool ike_equal(const struct conf_ike *a, const struct conf_ike *b)
{
	if (!a || !b)
		return a == b;
	return a->local_port == b->local_port && a->remote_port == b->remote_port &&
	       a->is_remote_any == b->is_remote_any && a->is_encap == b->is_encap &&
	       props_equal(a->proposals, a->n_proposals, b->proposals, b->n_proposals) &&
	       a->rekey_time == b->rekey_time && a->reauth_time == b->reauth_time &&
	       a->over_time == b->over_time && a->rand_time == b->rand_time &&
	       a->dpd_delay == b->dpd_delay &&
	       a->dpd_timeout == b->dpd_timeout && ids_equal(&a->local_id, &b->local_id) &&
	       ids_equal(&a->remote_id, &b->remote_id) && child_equal(&a->child, &b->child);
}

static bool manual_sa_equal(const struct conf_manual_sa *a, const struct conf_manual_sa *b)
{
	if (!a->key || !b->key)
		return a->key == b->key && a->spi == b->spi;
	return a->spi == b->spi && a->alg == b->alg && a->key->len == b->key->len &&
	       memcmp(a->key->data, b->key->data, a->key->len) == 0;
}

bool conf_tunnel_equal(const struct conf_tunnel *a, const struct conf_tunnel *b)
{
	/* A default interface name is chosen where the tunnel is loaded
	 * (the lowest free ipsecN): both defaults are the same choice. */
	bool same_ifname = a->is_ifname_default ? b->is_ifname_default
						: !b->is_ifname_default &&
						  strcmp(a->ifname, b->ifname) == 0;

	return strcmp(a->name, b->name) == 0 && same_ifname &&
	       addr_eq(&a->local, &b->local) && addr_eq(&a->remote, &b->remote) &&
	       a->is_udp_encap == b->is_udp_encap && a->local_port == b->local_port &&
	       a->remote_port == b->remote_port &&
	       prefixes_equal(a->if_addrs, a->n_if_addrs, b->if_addrs, b->n_if_addrs) &&
	       prefixes_equal(a->routes, a->n_routes, b->routes, b->n_routes) &&
	       a->mtu == b->mtu && a->replay_window == b->replay_window &&
	       a->is_esn == b->is_esn && manual_sa_equal(&a->in, &b->in) &&
	       manual_sa_equal(&a->out, &b->out) && ike_equal(a->ike, b->ike);
}

/* ---- conflicts with a tunnel already running ---- */

/* A route or interface subnet of `into` that holds the peer of `peer_of`
 * would send peer_of's own ESP into a tunnel (see conf_check.c). */
static bool carries_peer(const struct conf_tunnel *into, const struct conf_tunnel *peer_of,
			 char *msg, size_t len)
{
	char ps[IFS_PREFIX_STRLEN], as[IFS_ADDR_STRLEN];
	const struct ifs_prefix *p = NULL;
	const char *what = "route";

	if (addr_is_unspec(&peer_of->remote))
		return false;
	for (size_t k = 0; k < into->n_routes && !p; k++)
		if (prefix_contains(&into->routes[k], &peer_of->remote))
			p = &into->routes[k];
	for (size_t k = 0; k < into->n_if_addrs && !p; k++)
		if (prefix_contains(&into->if_addrs[k], &peer_of->remote)) {
			p = &into->if_addrs[k];
			what = "interface address";
		}
	if (!p)
		return false;
	snprintf(msg, len, "%s %s of %s would carry the peer address %s of %s into %s",
		 what, prefix_str(p, ps), into->name, addr_str(&peer_of->remote, as),
		 peer_of->name, into->name);
	return true;
}

int conf_tunnel_conflict(const struct conf_tunnel *t, const struct conf_tunnel *other,
			 char *msg, size_t len)
{
	if (strcmp(t->name, other->name) == 0) {
		snprintf(msg, len, "the name %s is already used by %s %s", t->name,
			 other->ike ? "connection" : "manual tunnel", other->name);
		return IFS_ERR_EXISTS;
	}
	if (strcmp(t->ifname, other->ifname) == 0) {
		snprintf(msg, len, "%s: interface %s is already used by %s", t->name,
			 t->ifname, other->name);
		return IFS_ERR_EXISTS;
	}
	if (carries_peer(t, other, msg, len) || carries_peer(other, t, msg, len))
		return IFS_ERR_LOOP;
	return 0;
}

int conf_default_ifname(bool (*is_used)(void *arg, const char *name), void *arg,
			char out[IF_NAMESIZE])
{
	for (unsigned n = 0; n < 10000; n++) {
		snprintf(out, IF_NAMESIZE, "ipsec%u", n);
		if (!is_used(arg, out))
			return 0;
	}
	out[0] = '\0';
	return IFS_ERR_FULL;
}
