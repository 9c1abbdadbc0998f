/* SPDX-License-Identifier: BSD-2-Clause */
/* Checks across the values of one tunnel and across tunnels, made once
 * every tunnel has been read. Messages name the place of the later of
 * the two values in conflict, and the tunnel of the earlier one. And the
 * check for keys nobody asked for, one section level at a time. */
#include "config/conf_int.h"

#include <string.h>

/* ---- keys nobody asked for ---- */

static const struct conf_foreign *foreign_find(const struct settings_node *n,
					       const struct conf_foreign *f,
					       size_t n_f)
{
	for (size_t i = 0; i < n_f; i++) {
		if (f[i].is_section_prefix) {
			if (n->kind == SETTINGS_SECTION &&
			    strncmp(n->name, f[i].name, strlen(f[i].name)) == 0)
				return &f[i];
		} else if (n->kind == SETTINGS_KEY && strcmp(n->name, f[i].name) == 0) {
			return &f[i];
		}
	}
	return NULL;
}

/*
 * A strongSwan file for a feature ifsec lacks should say so rather than
 * "unknown key", which reads as a typo; both stop the load (DESIGN:
 * never silently ignored). The message is made here rather than by
 * settings_check_used(), which would descend into subsections that are
 * checked later with lists of their own.
 */
int conf_check_level(const struct settings_node *sec,
		     const struct conf_foreign *foreign, size_t n_foreign,
		     struct settings_err *err)
{
	char path[256];

	for (const struct settings_node *n = sec->children; n; n = n->next) {
		const struct conf_foreign *f;

		if (n->is_used)
			continue;
		settings_path(sec, path, sizeof(path));
		f = foreign_find(n, foreign, n_foreign);
		if (f) {
			settings_err_at(err, n->file, n->line, "'%s' is not "
					"supported by ifsec (in section '%s')%s%s",
					n->name, path, f->hint ? "; " : "",
					f->hint ? f->hint : "");
			return IFS_ERR_UNSUPPORTED;
		}
		settings_err_at(err, n->file, n->line, "unknown %s '%s' in section "
				"'%s'", n->kind == SETTINGS_KEY ? "key" : "section",
				n->name, path);
		return IFS_ERR_NOT_FOUND;
	}
	return 0;
}

/* ---- across tunnels ---- */

/* Tunnel names name interfaces' owners in logs, counters and the control
 * socket: a manual tunnel and a connection may not share one. */
static int check_names(const struct conf *c, struct settings_err *err)
{
	for (size_t i = 0; i < c->n_tunnels; i++) {
		const struct conf_tunnel *ti = &c->tunnels[i];

		for (size_t j = 0; j < i; j++) {
			const struct conf_tunnel *tj = &c->tunnels[j];

			if (strcmp(ti->name, tj->name) != 0)
				continue;
			settings_err_at(err, ti->file, ti->line, "the name %s is "
					"already used by %s %s (%s:%d)", ti->name,
					tj->ike ? "connection" : "manual tunnel",
					tj->name, tj->file, tj->line);
			return IFS_ERR_EXISTS;
		}
	}
	return 0;
}

/* The node's place, or the tunnel's when the value is a default. */
static void place(const struct conf_src *s, const struct settings_node *kv,
		  const char **file, int *line)
{
	const struct settings_node *n = kv ? kv : s->sec;

	*file = n->file;
	*line = n->line;
}

struct names_in_use {
	const struct conf *c;
	size_t upto;                  /* tunnels before this one have their name */
};

static bool ifname_in_use(void *arg, const char *name)
{
	const struct names_in_use *u = arg;

	for (size_t i = 0; i < u->c->n_tunnels; i++)
		if ((i < u->upto || !u->c->tunnels[i].is_ifname_default) &&
		    strcmp(u->c->tunnels[i].ifname, name) == 0)
			return true;
	return false;
}

/* Tunnels without an interface key get ipsec0, ipsec1, ... in file
 * order, around the names given explicitly. */
static int default_ifnames(struct conf *c, const struct conf_src *src,
			   struct settings_err *err)
{
	for (size_t i = 0; i < c->n_tunnels; i++) {
		struct names_in_use u = { .c = c, .upto = i };

		if (!c->tunnels[i].is_ifname_default)
			continue;
		if (conf_default_ifname(ifname_in_use, &u, c->tunnels[i].ifname) != 0) {
			settings_err_at(err, src[i].sec->file, src[i].sec->line,
					"tunnel %s: no free interface name ipsecN",
					c->tunnels[i].name);
			return IFS_ERR_FULL;
		}
	}
	return 0;
}

static int check_ifnames(const struct conf *c, const struct conf_src *src,
			 struct settings_err *err)
{
	for (size_t i = 0; i < c->n_tunnels; i++) {
		for (size_t j = 0; j < i; j++) {
			const char *file;
			int line;

			if (strcmp(c->tunnels[i].ifname, c->tunnels[j].ifname) != 0)
				continue;
			place(&src[i], src[i].keys[CONF_K_INTERFACE], &file, &line);
			settings_err_at(err, file, line, "tunnel %s: interface %s is "
					"already used by tunnel %s (%s:%d)",
					c->tunnels[i].name, c->tunnels[i].ifname,
					c->tunnels[j].name, c->tunnels[j].file,
					c->tunnels[j].line);
			return IFS_ERR_EXISTS;
		}
	}
	return 0;
}

/* Inbound packets find their SA by SPI alone (the SA table is keyed by
 * SPI), so an inbound SPI may appear once in the whole configuration,
 * even on different local addresses. */
static int check_spis(const struct conf *c, const struct conf_src *src,
		      struct settings_err *err)
{
	for (size_t i = 0; i < c->n_tunnels; i++) {
		for (size_t j = 0; j < i; j++) {
			const struct settings_node *kv;

			if (c->tunnels[i].ike || c->tunnels[j].ike ||
			    c->tunnels[i].in.spi != c->tunnels[j].in.spi)
				continue;
			kv = src[i].sa_keys[0][CONF_SA_K_SPI];
			settings_err_at(err, kv->file, kv->line, "tunnel %s: inbound "
					"spi 0x%08x is already used by tunnel %s "
					"(%s:%d)", c->tunnels[i].name,
					c->tunnels[i].in.spi, c->tunnels[j].name,
					c->tunnels[j].file, c->tunnels[j].in.line);
			return IFS_ERR_EXISTS;
		}
	}
	return 0;
}

static bool same_key(const struct conf_manual_sa *a, const struct conf_manual_sa *b)
{
	return a->key->len == b->key->len &&
	       memcmp(a->key->data, b->key->data, a->key->len) == 0;
}

/*
 * Both ends count ESP sequence numbers from 1 and AEAD nonces are built
 * from them (RFC 4106 §3.1), so one key on two SAs repeats nonces: GCM
 * then leaks its authentication key. The only pair allowed to share a key
 * is one SA seen from both ends in one file (A's outbound = B's inbound,
 * same SPI), as a test on one host may have.
 */
static bool key_reuse_allowed(const struct conf_manual_sa *a, int a_dir,
			      const struct conf_manual_sa *b, int b_dir,
			      bool is_same_tunnel)
{
	return !is_same_tunnel && a_dir != b_dir && a->spi == b->spi;
}

static int check_key_pair(const struct conf *c, const struct conf_src *src,
			  size_t i, int di, size_t j, int dj,
			  struct settings_err *err)
{
	static const char *const dir[2] = { "inbound", "outbound" };
	const struct conf_tunnel *ti = &c->tunnels[i], *tj = &c->tunnels[j];
	const struct conf_manual_sa *a = di ? &ti->out : &ti->in;
	const struct conf_manual_sa *b = dj ? &tj->out : &tj->in;
	const struct settings_node *kv = src[i].sa_keys[di][CONF_SA_K_KEY];

	/* Connections negotiate their keys. */
	if (ti->ike || tj->ike || !same_key(a, b) ||
	    key_reuse_allowed(a, di, b, dj, i == j))
		return 0;
	settings_err_at(err, kv->file, kv->line, "tunnel %s: the %s key is the "
			"same as the %s key of tunnel %s (%s:%d): sequence "
			"numbers would repeat nonces under one key; give each "
			"SA its own key", ti->name, dir[di], dir[dj], tj->name,
			tj->file, dj ? tj->out.line : tj->in.line);
	return IFS_ERR_INVAL;
}

static int check_keys(const struct conf *c, const struct conf_src *src,
		      struct settings_err *err)
{
	int rc;

	for (size_t i = 0; i < c->n_tunnels; i++) {
		rc = check_key_pair(c, src, i, 1, i, 0, err);
		for (size_t j = 0; j < i && rc == 0; j++)
			for (int di = 0; di < 2 && rc == 0; di++)
				for (int dj = 0; dj < 2 && rc == 0; dj++)
					rc = check_key_pair(c, src, i, di, j, dj, err);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/*
 * A route (or the subnet of an interface address) that contains a
 * tunnel's peer would send the tunnel's own ESP packets into a tunnel:
 * into itself, a loop, or into another tunnel, whose packets would then
 * depend on this one. Both are refused; a peer is reached outside every
 * tunnel.
 */
static int check_prefix(const struct conf *c, size_t i,
			const struct ifs_prefix *p, const char *what,
			const struct settings_node *kv, struct settings_err *err)
{
	char ps[IFS_PREFIX_STRLEN], as[IFS_ADDR_STRLEN];

	for (size_t j = 0; j < c->n_tunnels; j++) {
		const struct conf_tunnel *ti = &c->tunnels[i], *tj = &c->tunnels[j];

		/* A connection with remote_addrs = %any has no peer address
		 * to check in the file; its peers are known only at run time. */
		if (addr_is_unspec(&tj->remote) || !prefix_contains(p, &tj->remote))
			continue;
		prefix_str(p, ps);
		addr_str(&tj->remote, as);
		if (i == j)
			settings_err_at(err, kv->file, kv->line, "%s %s would carry "
					"the peer address %s of tunnel %s into its "
					"own tunnel", what, ps, as, ti->name);
		else
			settings_err_at(err, kv->file, kv->line, "%s %s of tunnel %s "
					"would carry the peer address %s of tunnel "
					"%s into tunnel %s", what, ps, ti->name, as,
					tj->name, ti->name);
		return IFS_ERR_LOOP;
	}
	return 0;
}

static int check_loops(const struct conf *c, const struct conf_src *src,
		       struct settings_err *err)
{
	int rc = 0;

	for (size_t i = 0; i < c->n_tunnels && rc == 0; i++) {
		const struct conf_tunnel *t = &c->tunnels[i];

		for (size_t k = 0; k < t->n_if_addrs && rc == 0; k++)
			rc = check_prefix(c, i, &t->if_addrs[k], "interface address",
					  src[i].keys[CONF_K_INTERFACE_ADDRS], err);
		for (size_t k = 0; k < t->n_routes && rc == 0; k++)
			rc = check_prefix(c, i, &t->routes[k], "route",
					  src[i].keys[CONF_K_ROUTES], err);
	}
	return rc;
}

int conf_check_tunnels(struct conf *c, const struct conf_src *src,
		       struct settings_err *err)
{
	int rc = check_names(c, err);

	if (rc == 0)
		rc = default_ifnames(c, src, err);
	if (rc == 0)
		rc = check_ifnames(c, src, err);
	if (rc == 0)
		rc = check_spis(c, src, err);
	if (rc == 0)
		rc = check_keys(c, src, err);
	if (rc == 0)
		rc = check_loops(c, src, err);
	return rc;
}
