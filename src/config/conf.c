/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * From the settings tree to struct conf (conf.h): the top-level sections
 * of swanctl.conf plus the ifsec extension "manual", the keys of each
 * manually keyed tunnel, and the values that manual tunnels and IKE
 * connections (conf_conn.c) share. The keys of a section are all looked
 * up before any is converted, so that a misspelt key is reported as
 * unknown rather than as a required key that is missing.
 */
#include "config/conf_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"

static const char *const key_names[CONF_K_COUNT] = {
	[CONF_K_LOCAL_ADDRS] = "local_addrs",
	[CONF_K_REMOTE_ADDRS] = "remote_addrs",
	[CONF_K_ENCAP] = "encap",
	[CONF_K_LOCAL_PORT] = "local_port",
	[CONF_K_REMOTE_PORT] = "remote_port",
	[CONF_K_INTERFACE] = "interface",
	[CONF_K_INTERFACE_ADDRS] = "interface_addrs",
	[CONF_K_INTERFACE_MTU] = "interface_mtu",
	[CONF_K_ROUTES] = "routes",
	[CONF_K_REPLAY_WINDOW] = "replay_window",
	[CONF_K_ESN] = "esn",
	[CONF_K_MODE] = "mode",
};

static const char *const sa_key_names[CONF_SA_K_COUNT] = {
	[CONF_SA_K_SPI] = "spi",
	[CONF_SA_K_TRANSFORM] = "transform",
	[CONF_SA_K_KEY] = "key",
};

static const char *const dir_names[2] = { "inbound", "outbound" };

#define CONF_MTU_MAX 65535
#define CONF_MTU_MIN_V4 576           /* RFC 791: every host takes 576 */
#define CONF_MTU_MIN_V6 1280          /* RFC 8200 §5: minimum link MTU */

void conf_free(struct conf *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n_tunnels; i++) {
		secret_free(c->tunnels[i].in.key);
		secret_free(c->tunnels[i].out.key);
		free(c->tunnels[i].ike);
	}
	free(c->tunnels);
	conf_secrets_free(c);
	free(c);
}

/* ---- single values ---- */

int conf_one_addr(const struct settings_node *kv, struct ifs_addr *out,
		  struct settings_err *err)
{
	struct settings_list l;
	char q[80];
	int rc;

	rc = settings_kv_list(kv, &l, err);
	if (rc < 0)
		return rc;
	if (l.n != 1) {
		settings_err_key(err, kv, "exactly one address is supported in "
				 "this version (found %zu)", l.n);
		rc = IFS_ERR_UNSUPPORTED;
	} else if (addr_parse(l.items[0], out) < 0) {
		settings_err_key(err, kv, "%s is not a literal IP address (names, "
				 "ranges and %%any are not supported here)",
				 settings_value_quote(l.items[0], q, sizeof(q)));
		rc = IFS_ERR_SYNTAX;
	} else if (out->family == AF_INET6 && IN6_IS_ADDR_V4MAPPED(&out->u.v6)) {
		/* The kernel would carry it as IPv4, while the checks here
		 * (recursion, families) would see IPv6. */
		settings_err_key(err, kv, "%s is an IPv4-mapped address; write it "
				 "as IPv4", l.items[0]);
		rc = IFS_ERR_INVAL;
	} else if (memcmp(addr_bytes(out), "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0",
			  addr_len(out)) == 0) {
		settings_err_key(err, kv, "%s is the unspecified address",
				 l.items[0]);
		rc = IFS_ERR_INVAL;
	}
	settings_list_clear(&l);
	return rc;
}

int conf_bool_or(const struct settings_node *kv, bool def, bool *out,
		 struct settings_err *err)
{
	*out = def;
	return kv ? settings_kv_bool(kv, out, err) : 0;
}

int conf_u32_or(const struct settings_node *kv, uint32_t def, uint32_t min,
		uint32_t max, uint32_t *out, struct settings_err *err)
{
	int64_t v = def;
	int rc = 0;

	if (kv)
		rc = settings_kv_int(kv, min, max, &v, err);
	*out = rc < 0 ? 0 : (uint32_t)v;
	return rc;
}

int conf_time_or(const struct settings_node *kv, uint32_t def, uint32_t *out,
		 struct settings_err *err)
{
	uint64_t v = def;
	int rc;

	*out = 0;
	if (!kv) {
		*out = def;
		return 0;
	}
	rc = settings_kv_time(kv, &v, err);
	if (rc < 0)
		return rc;
	if (v > UINT32_MAX) {
		settings_err_key(err, kv, "more than %u seconds", UINT32_MAX);
		return IFS_ERR_RANGE;
	}
	*out = (uint32_t)v;
	return 0;
}

int conf_name(const struct settings_node *sec, const char *name,
	      const char *what, char out[CONF_NAME_MAX], struct settings_err *err)
{
	out[0] = '\0';
	if (strlen(name) >= CONF_NAME_MAX) {
		settings_err_at(err, sec->file, sec->line, "%s name '%.32s...' is "
				"longer than %d characters", what, name,
				CONF_NAME_MAX - 1);
		return IFS_ERR_RANGE;
	}
	snprintf(out, CONF_NAME_MAX, "%s", name);
	return 0;
}

/* What Linux's dev_valid_name() takes, minus '%' (TUNSETIFF would
 * expand "ipsec%d") and anything that is not printable ASCII. */
static bool ifname_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n >= IF_NAMESIZE || strcmp(s, ".") == 0 ||
	    strcmp(s, "..") == 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch <= 0x20 || ch >= 0x7f || ch == '/' || ch == ':' || ch == '%')
			return false;
	}
	return true;
}

static int ifname(const struct settings_node *kv, char out[IF_NAMESIZE],
		  struct settings_err *err)
{
	char q[80];

	out[0] = '\0';        /* the default is chosen across tunnels (conf_check.c) */
	if (!kv)
		return 0;
	if (!ifname_ok(kv->value)) {
		settings_err_key(err, kv, "%s is not a valid interface name (1 to "
				 "%d printable characters, no '/', ':' or '%%', "
				 "not . or ..)",
				 settings_value_quote(kv->value, q, sizeof(q)),
				 IF_NAMESIZE - 1);
		return IFS_ERR_INVAL;
	}
	snprintf(out, IF_NAMESIZE, "%s", kv->value);
	return 0;
}

/* p with the bits beyond its length cleared: what a route written with
 * host bits set most likely meant. */
static void prefix_network(const struct ifs_prefix *p, struct ifs_prefix *out)
{
	size_t n = addr_len(&p->addr);
	uint8_t b[16] = { 0 };

	memcpy(b, addr_bytes(&p->addr), n);
	for (size_t i = 0; i < n; i++) {
		size_t first = i * 8;

		if (first >= p->len)
			b[i] = 0;
		else if (first + 8 > p->len)
			b[i] &= (uint8_t)(0xff << (8 - (p->len - first)));
	}
	(void)addr_from_bytes(&out->addr, p->addr.family, b);
	out->len = p->len;
}

int conf_prefix(const struct settings_node *kv, const char *item,
		bool is_strict, struct ifs_prefix *out, struct settings_err *err)
{
	char q[80], s[IFS_PREFIX_STRLEN];
	struct ifs_prefix net;

	if (prefix_parse(item, is_strict, out) == 0)
		return 0;
	if (is_strict && prefix_parse(item, false, out) == 0) {
		prefix_network(out, &net);
		settings_err_key(err, kv, "%s: host bits set (did you mean %s?)",
				 item, prefix_str(&net, s));
	} else {
		settings_err_key(err, kv, "%s is not an address/prefix length",
				 settings_value_quote(item, q, sizeof(q)));
	}
	memset(out, 0, sizeof(*out));
	return IFS_ERR_SYNTAX;
}

/* A list of prefixes. Routes are strict (host bits zero), interface
 * addresses are not: 198.51.100.1/30 names the address and its subnet. */
static int prefixes(const struct settings_node *kv, bool is_strict,
		    struct ifs_prefix *out, size_t max, size_t *n_out,
		    struct settings_err *err)
{
	struct settings_list l;
	int rc;

	*n_out = 0;
	if (!kv)
		return 0;
	rc = settings_kv_list(kv, &l, err);
	if (rc < 0)
		return rc;
	if (l.n > max) {
		settings_err_key(err, kv, "more than %zu prefixes", max);
		rc = IFS_ERR_RANGE;
	}
	for (size_t i = 0; i < l.n && rc == 0; i++)
		rc = conf_prefix(kv, l.items[i], is_strict, &out[i], err);
	if (rc == 0)
		*n_out = l.n;
	settings_list_clear(&l);
	return rc;
}

int conf_mode(const struct settings_node *kv, struct settings_err *err)
{
	static const char *const others[] = { "beet", "pass", "drop" };
	char q[80];

	if (!kv || strcmp(kv->value, "tunnel") == 0)
		return 0;
	if (strcmp(kv->value, "transport") == 0) {
		settings_err_key(err, kv, "transport is not supported yet "
				 "(only tunnel)");
		return IFS_ERR_UNSUPPORTED;
	}
	for (size_t i = 0; i < IFS_ARRAY_LEN(others); i++) {
		if (strcmp(kv->value, others[i]) == 0) {
			settings_err_key(err, kv, "%s is not supported by ifsec "
					 "(only tunnel)", others[i]);
			return IFS_ERR_UNSUPPORTED;
		}
	}
	settings_err_key(err, kv, "%s is not tunnel or transport",
			 settings_value_quote(kv->value, q, sizeof(q)));
	return IFS_ERR_INVAL;
}

/* 0 lets the daemon compute it. Otherwise an IPv6 address on the
 * interface needs the IPv6 minimum link MTU; IPv4 alone can go lower. */
static int mtu(const struct settings_node *kv, const struct conf_tunnel *t,
	       uint32_t *out, struct settings_err *err)
{
	uint32_t min = CONF_MTU_MIN_V4;
	int64_t v;
	int rc;

	*out = 0;
	if (!kv)
		return 0;
	for (size_t i = 0; i < t->n_if_addrs; i++)
		if (t->if_addrs[i].addr.family == AF_INET6)
			min = CONF_MTU_MIN_V6;
	rc = settings_kv_int(kv, 0, CONF_MTU_MAX, &v, err);
	if (rc < 0)
		return rc;
	if (v != 0 && v < min) {
		settings_err_key(err, kv, "%lld is below %u%s (or 0 to compute it)",
				 (long long)v, min, min == CONF_MTU_MIN_V6 ?
				 ", the IPv6 minimum" : "");
		return IFS_ERR_RANGE;
	}
	*out = (uint32_t)v;
	return 0;
}

/* ---- one direction: inbound { spi transform key } ---- */

static void key_len_why(const struct crypto_alg_info *ai, char *buf, size_t len)
{
	if (ai->is_aead)
		snprintf(buf, len, "%zu-byte key + %zu-byte salt",
			 ai->enc_key_len, ai->salt_len);
	else
		snprintf(buf, len, "%zu-byte key + %zu-byte integrity key",
			 ai->enc_key_len, ai->integ_key_len);
}

static int sa_spi(const struct settings_node *kv, uint32_t *out,
		  struct settings_err *err)
{
	char q[80];
	int64_t v;
	int rc = settings_parse_int(kv->value, 0, UINT32_MAX, &v);

	*out = 0;
	if (rc == 0 && v < CONF_SPI_MIN) {
		settings_err_key(err, kv, "%s is below %d (SPIs 1..255 are "
				 "reserved and 0 is never valid, RFC 4303 §2.1)",
				 kv->value, CONF_SPI_MIN);
		return IFS_ERR_RANGE;
	}
	if (rc == 0) {
		*out = (uint32_t)v;
		return 0;
	}
	if (rc == IFS_ERR_RANGE)
		settings_err_key(err, kv, "%s is out of range (%d..0xffffffff)",
				 settings_value_quote(kv->value, q, sizeof(q)),
				 CONF_SPI_MIN);
	else
		settings_err_key(err, kv, "%s is not a number (decimal or 0x hex)",
				 settings_value_quote(kv->value, q, sizeof(q)));
	return rc;
}

static int sa_transform(const struct settings_node *kv, enum crypto_alg *out,
			struct settings_err *err)
{
	char known[200] = "", q[80];
	size_t pos = 0;

	if (crypto_alg_by_name(kv->value, out) == 0)
		return 0;
	for (int i = 0; i < CRYPTO_ALG_COUNT; i++) {
		int w = snprintf(known + pos, sizeof(known) - pos, "%s%s",
				 i ? ", " : "", crypto_alg_info(i)->name);

		if (w < 0 || (size_t)w >= sizeof(known) - pos)
			break;
		pos += (size_t)w;
	}
	settings_err_key(err, kv, "unknown transform %s (known: %s)",
			 settings_value_quote(kv->value, q, sizeof(q)), known);
	return IFS_ERR_NOT_FOUND;
}

static int sa_key(const struct settings_node *kv, enum crypto_alg alg,
		  struct secret **out, struct settings_err *err)
{
	const struct crypto_alg_info *ai = crypto_alg_info(alg);
	char why[80];
	int rc;

	rc = settings_kv_secret(kv, out, err);
	if (rc < 0)
		return rc;
	if ((*out)->len != ai->key_len) {
		key_len_why(ai, why, sizeof(why));
		settings_err_at(err, kv->file, kv->line, "key is %zu bytes, %s "
				"needs %zu (%s)", (*out)->len, ai->name,
				ai->key_len, why);
		secret_free(*out);
		*out = NULL;
		return IFS_ERR_INVAL;
	}
	return 0;
}

int conf_missing(const struct settings_node *sec, const char *what,
		 struct settings_err *err)
{
	char path[256];

	settings_err_at(err, sec->file, sec->line, "%s: missing %s",
			settings_path(sec, path, sizeof(path)), what);
	return IFS_ERR_NOT_FOUND;
}

/* Each key is checked as it comes, so that a broken spi line (which may
 * have swallowed the rest of the section) is reported before the keys
 * it hides. */
static int parse_sa(struct settings_node *sec,
		    struct settings_node *kv[CONF_SA_K_COUNT],
		    struct conf_manual_sa *sa, struct settings_err *err)
{
	int rc;

	sa->line = sec->line;
	if (!kv[CONF_SA_K_SPI])
		return conf_missing(sec, "spi", err);
	rc = sa_spi(kv[CONF_SA_K_SPI], &sa->spi, err);
	if (rc < 0)
		return rc;
	if (!kv[CONF_SA_K_TRANSFORM])
		return conf_missing(sec, "transform", err);
	rc = sa_transform(kv[CONF_SA_K_TRANSFORM], &sa->alg, err);
	if (rc < 0)
		return rc;
	if (!kv[CONF_SA_K_KEY])
		return conf_missing(sec, "key", err);
	return sa_key(kv[CONF_SA_K_KEY], sa->alg, &sa->key, err);
}

/* ---- one tunnel ---- */

/* No value of a manual tunnel holds '='. One that does most likely has
 * several keys written on one line ("spi = 1 key = 0x..."), where a value
 * runs to the end of the line; the value is not echoed, as it may hold
 * a key. */
static int no_equals(const struct settings_node *kv, struct settings_err *err)
{
	if (!kv || !strchr(kv->value, '='))
		return 0;
	settings_err_key(err, kv, "the value holds '=': write one key = value "
			 "per line");
	return IFS_ERR_SYNTAX;
}

/* Every key and subsection is looked up (and so marked used) first. */
static int fetch(struct settings_node *sec, struct conf_src *src,
		 struct settings_err *err)
{
	int rc;

	src->sec = sec;
	for (int k = 0; k < CONF_K_COUNT; k++)
		src->keys[k] = settings_find_key(sec, key_names[k]);
	for (int d = 0; d < 2; d++) {
		src->dirs[d] = settings_find_section(sec, dir_names[d]);
		for (int k = 0; k < CONF_SA_K_COUNT; k++)
			src->sa_keys[d][k] = settings_find_key(src->dirs[d],
							       sa_key_names[k]);
	}
	rc = settings_check_used(sec, err);
	for (int k = 0; k < CONF_K_COUNT && rc == 0; k++)
		rc = no_equals(src->keys[k], err);
	for (int d = 0; d < 2 && rc == 0; d++)
		for (int k = 0; k < CONF_SA_K_COUNT && rc == 0; k++)
			rc = no_equals(src->sa_keys[d][k], err);
	return rc;
}

static int outer(struct conf_tunnel *t, struct conf_src *src,
		 struct settings_err *err)
{
	struct settings_node **kv = src->keys;
	char a[IFS_ADDR_STRLEN], b[IFS_ADDR_STRLEN];
	int rc;

	if (!kv[CONF_K_LOCAL_ADDRS])
		return conf_missing(src->sec, "local_addrs", err);
	if (!kv[CONF_K_REMOTE_ADDRS])
		return conf_missing(src->sec, "remote_addrs", err);
	rc = conf_one_addr(kv[CONF_K_LOCAL_ADDRS], &t->local, err);
	if (rc == 0)
		rc = conf_one_addr(kv[CONF_K_REMOTE_ADDRS], &t->remote, err);
	if (rc == 0 && t->local.family != t->remote.family) {
		settings_err_key(err, kv[CONF_K_REMOTE_ADDRS], "%s and local_addrs "
				 "%s are not of the same address family",
				 addr_str(&t->remote, a), addr_str(&t->local, b));
		rc = IFS_ERR_INVAL;
	}
	if (rc == 0)
		rc = conf_bool_or(kv[CONF_K_ENCAP], false, &t->is_udp_encap, err);
	for (int k = CONF_K_LOCAL_PORT; rc == 0 && k <= CONF_K_REMOTE_PORT; k++) {
		uint32_t port;

		if (kv[k] && !t->is_udp_encap) {
			settings_err_key(err, kv[k], "only used with encap = yes");
			return IFS_ERR_INVAL;
		}
		rc = conf_u32_or(kv[k], CONF_ESP_UDP_PORT, 1, 65535, &port, err);
		if (k == CONF_K_LOCAL_PORT)
			t->local_port = (uint16_t)port;
		else
			t->remote_port = (uint16_t)port;
	}
	return rc;
}

int conf_iface(struct conf_tunnel *t, const struct conf_src *src,
	       struct settings_err *err)
{
	struct settings_node *const *kv = src->keys;
	int rc;

	t->is_ifname_default = !kv[CONF_K_INTERFACE];
	rc = ifname(kv[CONF_K_INTERFACE], t->ifname, err);
	if (rc == 0)
		rc = prefixes(kv[CONF_K_INTERFACE_ADDRS], false, t->if_addrs,
			      CONF_MAX_IF_ADDRS, &t->n_if_addrs, err);
	if (rc == 0)
		rc = mtu(kv[CONF_K_INTERFACE_MTU], t, &t->mtu, err);
	if (rc == 0)
		rc = prefixes(kv[CONF_K_ROUTES], true, t->routes,
			      CONF_MAX_ROUTES, &t->n_routes, err);
	return rc;
}

static int inner(struct conf_tunnel *t, struct conf_src *src,
		 struct settings_err *err)
{
	struct settings_node **kv = src->keys;
	int rc;

	rc = conf_iface(t, src, err);
	if (rc == 0)
		rc = conf_u32_or(kv[CONF_K_REPLAY_WINDOW],
				 CONF_REPLAY_WINDOW_DEFAULT, 0,
				 CONF_REPLAY_WINDOW_MAX, &t->replay_window, err);
	if (rc == 0)
		rc = conf_bool_or(kv[CONF_K_ESN], false, &t->is_esn, err);
	if (rc == 0)
		rc = conf_mode(kv[CONF_K_MODE], err);
	return rc;
}

static int parse_tunnel(struct settings_node *sec, struct conf_tunnel *t,
			struct conf_src *src, struct settings_err *err)
{
	int rc;

	rc = conf_name(sec, sec->name, "tunnel", t->name, err);
	if (rc < 0)
		return rc;
	snprintf(t->file, sizeof(t->file), "%s", sec->file);
	t->line = sec->line;
	rc = fetch(sec, src, err);
	if (rc == 0)
		rc = outer(t, src, err);
	if (rc == 0)
		rc = inner(t, src, err);
	for (int d = 0; d < 2 && rc == 0; d++) {
		if (!src->dirs[d])
			return conf_missing(sec, d == 0 ?
				       "section inbound { spi transform key }" :
				       "section outbound { spi transform key }", err);
		rc = parse_sa(src->dirs[d], src->sa_keys[d], d == 0 ? &t->in : &t->out,
			      err);
	}
	return rc;
}

/* ---- the top level ---- */

/* swanctl.conf sections for what this version does not do: accepted
 * when empty, so that a swanctl.conf skeleton loads. */
static const struct {
	const char *name;
	const char *what;
} later_sections[] = {
	{ "pools", "address pools" },
	{ "authorities", "certification authorities" },
};

static int check_top_section(struct settings_node *sec, struct settings_err *err)
{
	static const char *const ours[] = { "manual", "connections", "secrets", "ifsecd" };

	for (size_t i = 0; i < IFS_ARRAY_LEN(ours); i++) {
		if (strcmp(sec->name, ours[i]) == 0) {
			settings_mark_used(sec);
			return 0;
		}
	}
	for (size_t i = 0; i < IFS_ARRAY_LEN(later_sections); i++) {
		if (strcmp(sec->name, later_sections[i].name) != 0)
			continue;
		if (!settings_is_empty(sec)) {
			settings_err_at(err, sec->file, sec->line, "%s: %s are not "
					"supported yet by this version", sec->name,
					later_sections[i].what);
			return IFS_ERR_UNSUPPORTED;
		}
		settings_mark_used(sec);
		return 0;
	}
	settings_err_at(err, sec->file, sec->line, "unknown section '%s' (expected "
			"manual, connections, secrets, ifsecd, pools or authorities)",
			sec->name);
	return IFS_ERR_NOT_FOUND;
}

static int check_top(struct settings_node *root, struct settings_err *err)
{
	for (struct settings_node *n = root->children; n; n = n->next) {
		int rc;

		if (n->kind == SETTINGS_KEY) {
			settings_err_at(err, n->file, n->line, "unknown key '%s' at the "
					"top level (keys belong in a section)", n->name);
			return IFS_ERR_NOT_FOUND;
		}
		rc = check_top_section(n, err);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static size_t count_manual(const struct settings_node *manual)
{
	struct settings_node *sec;
	size_t n = 0;

	settings_foreach(manual, SETTINGS_SECTION, sec)
		n++;
	return n;
}

static int parse_manual(struct settings_node *manual, struct conf *c,
			struct conf_src *src, struct settings_err *err)
{
	struct settings_node *sec, *kv;
	int rc = 0;

	kv = settings_first(manual, SETTINGS_KEY);
	if (kv) {
		settings_err_at(err, kv->file, kv->line, "unknown key '%s' in section "
				"'manual' (each tunnel is a section: manual { name "
				"{ ... } })", kv->name);
		return IFS_ERR_NOT_FOUND;
	}
	settings_foreach(manual, SETTINGS_SECTION, sec) {
		settings_mark_used(sec);
		/* Counted first, so that conf_free() wipes a half-made tunnel. */
		c->n_tunnels++;
		rc = parse_tunnel(sec, &c->tunnels[c->n_tunnels - 1],
				  &src[c->n_tunnels - 1], err);
		if (rc < 0)
			break;
	}
	return rc;
}

/* One array holds the manual tunnels, then the connections. */
static int alloc_tunnels(struct settings_node *root, struct conf *c,
			 struct conf_src **src_out, struct settings_err *err)
{
	struct settings_node *manual = settings_find_section(root, "manual");
	struct settings_node *conns = settings_find_section(root, "connections");
	size_t n = count_manual(manual) + conf_count_connections(conns);
	const struct settings_node *where = conns ? conns : manual;

	*src_out = NULL;
	if (n == 0)
		return 0;
	if (n > CONF_MAX_TUNNELS) {
		settings_err_at(err, where->file, where->line, "%s: more than %d "
				"tunnels and connections", where->name,
				CONF_MAX_TUNNELS);
		return IFS_ERR_RANGE;
	}
	c->tunnels = calloc(n, sizeof(*c->tunnels));
	*src_out = calloc(n, sizeof(**src_out));
	if (!c->tunnels || !*src_out) {
		settings_err_at(err, where->file, where->line, "out of memory");
		return IFS_ERR_NOMEM;
	}
	return 0;
}

static int conf_from_settings(struct settings *st, struct conf **out,
			      struct settings_err *err)
{
	struct settings_node *root = settings_root(st);
	struct conf_src *src = NULL;
	struct conf *c;
	int rc;

	*out = NULL;
	c = calloc(1, sizeof(*c));
	if (!c) {
		snprintf(err->msg, sizeof(err->msg), "out of memory");
		return IFS_ERR_NOMEM;
	}
	rc = check_top(root, err);
	if (rc == 0)
		rc = alloc_tunnels(root, c, &src, err);
	if (rc == 0)
		rc = parse_manual(settings_find_section(root, "manual"), c, src, err);
	if (rc == 0)
		rc = conf_parse_connections(settings_find_section(root, "connections"),
					    c, src, err);
	if (rc == 0)
		rc = conf_parse_secrets(settings_find_section(root, "secrets"), c,
					err);
	if (rc == 0)
		rc = conf_parse_daemon(settings_find_section(root, "ifsecd"), c, err);
	if (rc == 0)
		rc = conf_check_tunnels(c, src, err);
	if (rc == 0)
		rc = settings_check_used(root, err);
	free(src);
	if (rc < 0) {
		conf_free(c);
		return rc;
	}
	*out = c;
	return 0;
}

static void print_warnings(const struct settings *st)
{
	for (size_t i = 0; i < settings_n_warnings(st); i++)
		log_warn("%s", settings_warning(st, i));
	if (settings_n_warnings_dropped(st) > 0)
		log_warn("%zu more warnings not shown",
			 settings_n_warnings_dropped(st));
}

static int finish(int rc, struct settings *st, struct settings_err *serr,
		  struct conf **out, struct conf_err *err)
{
	if (rc == 0) {
		print_warnings(st);
		rc = conf_from_settings(st, out, serr);
	}
	settings_free(st);
	if (rc < 0)
		snprintf(err->msg, sizeof(err->msg), "%s", serr->msg);
	return rc;
}

int conf_load(const char *path, struct conf **out, struct conf_err *err)
{
	struct settings_err serr = { .msg = "" };
	struct settings *st = NULL;
	int rc;

	*out = NULL;
	err->msg[0] = '\0';
	rc = settings_load_file(path, &st, &serr);
	return finish(rc, st, &serr, out, err);
}

/* Text in memory has no directory, so an include in it is an error:
 * nothing is read from disk on behalf of a string. */
int conf_load_string(const char *text, const char *name, struct conf **out,
		     struct conf_err *err)
{
	struct settings_err serr = { .msg = "" };
	struct settings *st = NULL;
	int rc;

	*out = NULL;
	err->msg[0] = '\0';
	rc = settings_parse_string(text, strlen(text), name, NULL, &st, &serr);
	return finish(rc, st, &serr, out, err);
}
