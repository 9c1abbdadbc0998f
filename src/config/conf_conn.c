/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * connections { <name> { ... } }: IKEv2 connections, with swanctl.conf's
 * key names and strongSwan's meanings and defaults. A connection is one
 * tunnel interface carrying one Child SA, so it has exactly one child,
 * one local and one remote authentication round; the interface keys
 * (interface, interface_addrs, interface_mtu, routes) sit in the
 * connection's section as in a manual tunnel.
 *
 * Each level (connection, round, child) looks up all its keys first;
 * then what nobody asked for is refused, as "not supported by ifsec"
 * when strongSwan knows the key and as unknown otherwise, before any
 * value is converted.
 */
#include "config/conf_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ike/ike_wire.h"

#define CONF_IKE_REKEY_DEFAULT_S (4 * 3600)   /* strongSwan's 4h */

enum conn_key {
	CK_VERSION, CK_LOCAL_ADDRS, CK_REMOTE_ADDRS, CK_LOCAL_PORT,
	CK_REMOTE_PORT, CK_PROPOSALS, CK_REKEY_TIME, CK_REAUTH_TIME,
	CK_OVER_TIME, CK_RAND_TIME, CK_DPD_DELAY, CK_DPD_TIMEOUT, CK_ENCAP,
	CK_MOBIKE, CK_INTERFACE, CK_INTERFACE_ADDRS, CK_INTERFACE_MTU, CK_ROUTES,
	CK_COUNT,
};

static const char *const conn_keys[CK_COUNT] = {
	"version", "local_addrs", "remote_addrs", "local_port", "remote_port",
	"proposals", "rekey_time", "reauth_time", "over_time", "rand_time",
	"dpd_delay", "dpd_timeout", "encap", "mobike", "interface",
	"interface_addrs", "interface_mtu", "routes",
};

/* The lifetime keys follow each other in conf_life.c's order. */
enum child_key {
	HK_LOCAL_TS, HK_REMOTE_TS, HK_ESP_PROPOSALS, HK_MODE, HK_START_ACTION,
	HK_DPD_ACTION, HK_CLOSE_ACTION, HK_REKEY_TIME, HK_LIFE_TIME,
	HK_RAND_TIME, HK_REKEY_BYTES, HK_LIFE_BYTES, HK_RAND_BYTES,
	HK_REKEY_PACKETS, HK_LIFE_PACKETS, HK_RAND_PACKETS, HK_REPLAY_WINDOW,
	HK_COUNT,
};
_Static_assert(HK_RAND_PACKETS - HK_REKEY_TIME + 1 == CONF_LIFE_COUNT,
	       "the lifetime keys in conf_life.c's order");

static const char *const child_keys[HK_COUNT] = {
	"local_ts", "remote_ts", "esp_proposals", "mode", "start_action",
	"dpd_action", "close_action", "rekey_time", "life_time", "rand_time",
	"rekey_bytes", "life_bytes", "rand_bytes", "rekey_packets",
	"life_packets", "rand_packets", "replay_window",
};

#define NOT_XFRM "ifsec's tunnels are interfaces of its own, not XFRM"

/* strongSwan's keys (5.9 and 6.0) that ifsec does not support. */
static const struct conf_foreign conn_foreign[] = {
	{ "vips", false, NULL }, { "aggressive", false, NULL },
	{ "pull", false, NULL }, { "dscp", false, NULL },
	{ "fragmentation", false, NULL }, { "childless", false, NULL },
	{ "send_certreq", false, NULL }, { "send_cert", false, NULL },
	{ "ppk_id", false, NULL }, { "ppk_required", false, NULL },
	{ "keyingtries", false, NULL }, { "unique", false, NULL },
	{ "pools", false, NULL },
	{ "if_id_in", false, NOT_XFRM }, { "if_id_out", false, NOT_XFRM },
	{ "mediation", false, NULL }, { "mediated_by", false, NULL },
	{ "mediation_peer", false, NULL }, { "ocsp", false, NULL },
	{ "close_action", false, "close_action belongs in the child" },
};

static const struct conf_foreign round_foreign[] = {
	{ "round", false, NULL }, { "certs", false, NULL },
	{ "pubkeys", false, NULL }, { "eap_id", false, NULL },
	{ "aaa_id", false, NULL }, { "xauth_id", false, NULL },
	{ "groups", false, NULL }, { "cert_policy", false, NULL },
	{ "cacerts", false, NULL }, { "ca_id", false, NULL },
	{ "revocation", false, NULL }, { "cert", true, NULL },
	{ "cacert", true, NULL },
};

static const struct conf_foreign child_foreign[] = {
	{ "ah_proposals", false, NULL }, { "sha256_96", false, NULL },
	{ "updown", false, "ifsec sets the interface's addresses and routes "
	  "itself (interface_addrs, routes)" },
	{ "hostaccess", false, NULL },
	{ "policies", false, "route-based: ifsec installs no policies" },
	{ "policies_fwd_out", false, "route-based: ifsec installs no policies" },
	{ "ipcomp", false, NULL }, { "inactivity", false, NULL },
	{ "reqid", false, NULL }, { "priority", false, NULL },
	{ "interface", false, "the tunnel interface is set in the "
	  "connection's section (interface = name)" },
	{ "mark_in", false, NOT_XFRM }, { "mark_in_sa", false, NOT_XFRM },
	{ "mark_out", false, NOT_XFRM }, { "set_mark_in", false, NOT_XFRM },
	{ "set_mark_out", false, NOT_XFRM }, { "if_id_in", false, NOT_XFRM },
	{ "if_id_out", false, NOT_XFRM }, { "label", false, NULL },
	{ "label_mode", false, NULL }, { "tfc_padding", false, NULL },
	{ "hw_offload", false, NULL }, { "copy_df", false, NULL },
	{ "copy_ecn", false, NULL }, { "copy_dscp", false, NULL },
	{ "per_cpu_sas", false, NULL },
};

/* Where the values of one connection are. */
struct conn_src {
	struct settings_node *sec;
	struct settings_node *keys[CK_COUNT];
	struct settings_node *local;
	struct settings_node *remote;
	struct settings_node *children;
};

/* ---- values ---- */

static int version(const struct settings_node *kv, struct settings_err *err)
{
	char q[80];
	int64_t v;

	if (!kv)
		return 0;
	if (settings_parse_int(kv->value, 0, 255, &v) == 0 && v == 1) {
		settings_err_key(err, kv, "IKEv1 is not supported (ifsec speaks "
				 "IKEv2: version = 2)");
		return IFS_ERR_UNSUPPORTED;
	}
	if (settings_parse_int(kv->value, 0, 255, &v) == 0 && (v == 0 || v == 2))
		return 0;
	settings_err_key(err, kv, "%s is not 0 (any) or 2",
			 settings_value_quote(kv->value, q, sizeof(q)));
	return IFS_ERR_INVAL;
}

/* A proposals list: strongSwan's keywords, "default" for ifsec's own. */
static int proposals(const struct settings_node *kv, uint8_t protocol,
		     struct ike_prop *out, size_t *n_out, struct settings_err *err)
{
	struct settings_list l;
	struct ike_prop def[4];
	size_t n = 0, n_def = proposal_default(protocol, def, IFS_ARRAY_LEN(def));
	char why[400];
	int rc;

	*n_out = 0;
	if (!kv) {
		memcpy(out, def, n_def * sizeof(*def));
		*n_out = n_def;
		return 0;
	}
	rc = settings_kv_list(kv, &l, err);
	if (rc < 0)
		return rc;
	if (l.n == 0) {
		settings_err_key(err, kv, "no proposal (leave the key out for "
				 "the default ones)");
		rc = IFS_ERR_INVAL;
	}
	for (size_t i = 0; i < l.n && rc == 0; i++) {
		bool is_def = strcasecmp(l.items[i], "default") == 0;

		if (n + (is_def ? n_def : 1) > CONF_MAX_PROPOSALS) {
			settings_err_key(err, kv, "more than %d proposals (default "
					 "counts %zu)", CONF_MAX_PROPOSALS, n_def);
			rc = IFS_ERR_RANGE;
		} else if (is_def) {
			memcpy(&out[n], def, n_def * sizeof(*def));
			n += n_def;
		} else if (proposal_parse(l.items[i], protocol, &out[n], why,
					  sizeof(why)) == 0) {
			n++;
		} else {
			settings_err_key(err, kv, "%s", why);
			rc = IFS_ERR_INVAL;
		}
	}
	if (rc == 0)
		*n_out = n;
	settings_list_clear(&l);
	return rc;
}

static int identity(const struct settings_node *kv, struct ike_id *out,
		    struct settings_err *err)
{
	char why[160], q[80];
	const char *qv;

	memset(out, 0, sizeof(*out));
	if (!kv || ike_id_parse(kv->value, out, why, sizeof(why)) == 0)
		return 0;
	/* A value with blanks (a DN) is not quoted back: only the reason. */
	qv = settings_value_quote(kv->value, q, sizeof(q));
	settings_err_key(err, kv, "%s%s%s", qv[0] == '\'' ? qv : "",
			 qv[0] == '\'' ? ": " : "", why);
	return IFS_ERR_INVAL;
}

/* ---- addresses ---- */

static int local_addr(struct conf_tunnel *t, const struct conn_src *s,
		      struct settings_err *err)
{
	const struct settings_node *kv = s->keys[CK_LOCAL_ADDRS];

	if (!kv)
		return conf_missing(s->sec, "local_addrs (strongSwan's default "
				    "%any is not supported yet: give the local "
				    "address)", err);
	if (strncmp(kv->value, "%any", 4) == 0) {
		settings_err_key(err, kv, "%s is not supported yet: give the "
				 "local address", kv->value[4] ? "%any4/6" : "%any");
		return IFS_ERR_UNSUPPORTED;
	}
	return conf_one_addr(kv, &t->local, err);
}

/* %any (the default) makes the connection responder only. */
static int remote_addr(struct conf_tunnel *t, const struct conn_src *s,
		       struct settings_err *err)
{
	const struct settings_node *kv = s->keys[CK_REMOTE_ADDRS];
	char a[IFS_ADDR_STRLEN], b[IFS_ADDR_STRLEN], q[80];
	int rc;

	if (!kv || strcmp(kv->value, "%any") == 0) {
		t->ike->is_remote_any = true;
		return 0;
	}
	if (kv->value[0] == '%') {
		settings_err_key(err, kv, "%s is not supported yet (one literal "
				 "address, or %%any)",
				 settings_value_quote(kv->value, q, sizeof(q)));
		return IFS_ERR_UNSUPPORTED;
	}
	rc = conf_one_addr(kv, &t->remote, err);
	if (rc == 0 && t->local.family != t->remote.family) {
		settings_err_key(err, kv, "%s and local_addrs %s are not of the "
				 "same address family", addr_str(&t->remote, a),
				 addr_str(&t->local, b));
		rc = IFS_ERR_INVAL;
	}
	return rc;
}

/* ---- the connection's own keys ---- */

static int mobike(const struct settings_node *kv, struct settings_err *err)
{
	bool is_on;
	int rc;

	if (!kv)
		return 0;
	rc = settings_kv_bool(kv, &is_on, err);
	if (rc == 0 && is_on) {
		settings_err_key(err, kv, "MOBIKE is not supported yet (write "
				 "mobike = no)");
		rc = IFS_ERR_UNSUPPORTED;
	}
	return rc;
}

/* strongSwan's default: over_time, but at most half of the renewal time
 * (the shorter of rekey_time and reauth_time when both are set). It is
 * taken off those times, so it may not be longer than either. */
static int ike_rand_time(struct conf_ike *ike, const struct settings_node *kv,
			 struct settings_err *err)
{
	uint32_t renew = ike->rekey_time, def;
	int rc;

	if (!renew || (ike->reauth_time && ike->reauth_time < renew))
		renew = ike->reauth_time;
	def = ike->over_time < renew / 2 ? ike->over_time : renew / 2;
	rc = conf_time_or(kv, def, &ike->rand_time, err);
	if (rc == 0 && ike->rand_time > renew && renew) {
		settings_err_key(err, kv, "%u s is longer than %s (%u s), from which "
				 "it is taken", ike->rand_time, renew == ike->rekey_time ?
				 "rekey_time" : "reauth_time", renew);
		rc = IFS_ERR_INVAL;
	}
	return rc;
}

static int ike_times(struct conf_ike *ike, struct settings_node *const *kv,
		     struct settings_err *err)
{
	uint32_t longer;
	int rc;

	rc = conf_time_or(kv[CK_REKEY_TIME], CONF_IKE_REKEY_DEFAULT_S,
			  &ike->rekey_time, err);
	if (rc == 0)
		rc = conf_time_or(kv[CK_REAUTH_TIME], 0, &ike->reauth_time, err);
	longer = ike->rekey_time > ike->reauth_time ? ike->rekey_time :
		 ike->reauth_time;
	if (rc == 0)
		rc = conf_time_or(kv[CK_OVER_TIME], longer / 10, &ike->over_time,
				  err);
	if (rc == 0)
		rc = ike_rand_time(ike, kv[CK_RAND_TIME], err);
	if (rc == 0)
		rc = conf_time_or(kv[CK_DPD_DELAY], 0, &ike->dpd_delay, err);
	if (rc == 0)
		rc = conf_time_or(kv[CK_DPD_TIMEOUT], 0, &ike->dpd_timeout, err);
	return rc;
}

static int conn_values(struct conf_tunnel *t, const struct conn_src *s,
		       struct settings_err *err)
{
	struct conf_ike *ike = t->ike;
	struct settings_node *const *kv = s->keys;
	uint32_t lport = 0, rport = 0;
	int rc;

	rc = version(kv[CK_VERSION], err);
	if (rc == 0)
		rc = local_addr(t, s, err);
	if (rc == 0)
		rc = remote_addr(t, s, err);
	if (rc == 0)
		rc = conf_u32_or(kv[CK_LOCAL_PORT], IKE_PORT, 1, 65535, &lport, err);
	if (rc == 0)
		rc = conf_u32_or(kv[CK_REMOTE_PORT], IKE_PORT, 1, 65535, &rport, err);
	ike->local_port = (uint16_t)lport;
	ike->remote_port = (uint16_t)rport;
	if (rc == 0)
		rc = proposals(kv[CK_PROPOSALS], IKE_PROTO_IKE, ike->proposals,
			       &ike->n_proposals, err);
	if (rc == 0)
		rc = ike_times(ike, kv, err);
	if (rc == 0)
		rc = conf_bool_or(kv[CK_ENCAP], false, &ike->is_encap, err);
	if (rc == 0)
		rc = mobike(kv[CK_MOBIKE], err);
	t->is_udp_encap = ike->is_encap;
	return rc;
}

/* ---- authentication rounds ---- */

/* The one subsection whose name starts with prefix ("local", "local-1"). */
static int find_round(struct settings_node *conn, const char *prefix,
		      struct settings_node **out, struct settings_err *err)
{
	struct settings_node *sec;

	*out = NULL;
	settings_foreach(conn, SETTINGS_SECTION, sec) {
		if (strncmp(sec->name, prefix, strlen(prefix)) != 0)
			continue;
		if (*out) {
			settings_err_at(err, sec->file, sec->line, "%s: a second %s "
					"authentication round (after %s at line %d): "
					"one local and one remote round are supported",
					sec->name, prefix, (*out)->name, (*out)->line);
			return IFS_ERR_UNSUPPORTED;
		}
		settings_mark_used(sec);
		*out = sec;
	}
	return 0;
}

static int auth(const struct settings_node *kv, struct settings_err *err)
{
	static const char *const later[] = {
		"pubkey", "rsa", "ecdsa", "ed25519", "ed448", "bliss", "eap",
		"xauth", "ike:",
	};
	char buf[80];
	const char *q;

	if (strcmp(kv->value, "psk") == 0)
		return 0;
	q = settings_value_quote(kv->value, buf, sizeof(buf));
	for (size_t i = 0; i < IFS_ARRAY_LEN(later); i++) {
		if (strncmp(kv->value, later[i], strlen(later[i])) == 0) {
			settings_err_key(err, kv, "%s is not supported yet (only "
					 "psk)", q);
			return IFS_ERR_UNSUPPORTED;
		}
	}
	settings_err_key(err, kv, "%s is not an authentication method (psk; "
			 "strongSwan's pubkey and eap are not supported yet)", q);
	return IFS_ERR_INVAL;
}

static int parse_round(struct settings_node *sec, const struct settings_node *conn,
		       bool is_local, struct ike_id *id, struct settings_err *err)
{
	struct settings_node *kv_auth, *kv_id;
	int rc;

	if (!sec)
		return conf_missing(conn, is_local ? "section local { auth = psk }" :
				    "section remote { auth = psk }", err);
	kv_auth = settings_find_key(sec, "auth");
	kv_id = settings_find_key(sec, "id");
	rc = conf_check_level(sec, round_foreign, IFS_ARRAY_LEN(round_foreign),
			      err);
	if (rc < 0)
		return rc;
	if (!kv_auth)
		return conf_missing(sec, "auth (strongSwan's default is pubkey, "
				    "not supported yet: write auth = psk)", err);
	rc = auth(kv_auth, err);
	if (rc == 0)
		rc = identity(kv_id, id, err);
	return rc;
}

/* ---- the child ---- */

/* local_ts and remote_ts: CIDR prefixes or addresses; default everything
 * (route-based: what enters the interface is the tunnel's). */
static int ts_list(const struct settings_node *kv, struct ifs_prefix *out,
		   size_t *n_out, struct settings_err *err)
{
	struct settings_list l;
	int rc;

	*n_out = 0;
	if (!kv) {
		(void)prefix_parse("0.0.0.0/0", true, &out[0]);
		(void)prefix_parse("::/0", true, &out[1]);
		*n_out = 2;
		return 0;
	}
	rc = settings_kv_list(kv, &l, err);
	if (rc < 0)
		return rc;
	if (l.n == 0 || l.n > CONF_MAX_TS) {
		settings_err_key(err, kv, "%s", l.n ? "more than 16 selectors" :
				 "no selector (leave the key out for 0.0.0.0/0, "
				 "::/0)");
		rc = l.n ? IFS_ERR_RANGE : IFS_ERR_INVAL;
	}
	for (size_t i = 0; i < l.n && rc == 0; i++) {
		const char *it = l.items[i];
		const char *why = strcmp(it, "dynamic") == 0 ? "dynamic" :
				  strchr(it, '[') ? "protocol/port selectors" :
				  strchr(it, '-') ? "address ranges" : NULL;

		if (why) {
			settings_err_key(err, kv, "%s %s not supported yet (give "
					 "prefixes such as 10.1.0.0/16)", why,
					 why[0] == 'd' ? "is" : "are");
			rc = IFS_ERR_UNSUPPORTED;
		} else {
			rc = conf_prefix(kv, it, true, &out[i], err);
		}
	}
	if (rc == 0)
		*n_out = l.n;
	settings_list_clear(&l);
	return rc;
}

static unsigned families(const struct ifs_prefix *p, size_t n)
{
	unsigned f = 0;

	for (size_t i = 0; i < n; i++)
		f |= p[i].addr.family == AF_INET ? 1u : 2u;
	return f;
}

struct action_name {
	const char *name;
	int value;
};

static int action(const struct settings_node *kv, const struct action_name *tab,
		  size_t n, const char *valid, int *out, struct settings_err *err)
{
	char q[80];

	if (!kv)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(kv->value, tab[i].name) == 0) {
			*out = tab[i].value;
			return 0;
		}
	}
	settings_err_key(err, kv, "%s is not %s",
			 settings_value_quote(kv->value, q, sizeof(q)), valid);
	return IFS_ERR_INVAL;
}

static int child_actions(struct conf_child *ch, struct settings_node *const *kv,
			 struct settings_err *err)
{
	static const struct action_name start[] = {
		{ "none", CONF_START_NONE }, { "start", CONF_START_START },
		{ "trap", CONF_START_TRAP },
	};
	static const struct action_name dpd[] = {
		{ "clear", CONF_ACTION_CLEAR }, { "none", CONF_ACTION_CLEAR },
		{ "trap", CONF_ACTION_TRAP }, { "restart", CONF_ACTION_RESTART },
	};
	static const struct action_name close[] = {
		{ "none", CONF_ACTION_NONE }, { "clear", CONF_ACTION_CLEAR },
		{ "trap", CONF_ACTION_TRAP }, { "restart", CONF_ACTION_RESTART },
	};
	int v[3] = { CONF_START_NONE, CONF_ACTION_CLEAR, CONF_ACTION_NONE };
	int rc;

	rc = action(kv[HK_START_ACTION], start, IFS_ARRAY_LEN(start),
		    "none, start or trap", &v[0], err);
	if (rc == 0)
		rc = action(kv[HK_DPD_ACTION], dpd, IFS_ARRAY_LEN(dpd),
			    "clear, trap, restart or none", &v[1], err);
	if (rc == 0)
		rc = action(kv[HK_CLOSE_ACTION], close, IFS_ARRAY_LEN(close),
			    "none, clear, trap or restart", &v[2], err);
	ch->start_action = (enum conf_start_action)v[0];
	ch->dpd_action = (enum conf_action)v[1];
	ch->close_action = (enum conf_action)v[2];
	return rc;
}

static int child_ts(struct conf_child *ch, struct settings_node *const *kv,
		    struct settings_err *err)
{
	int rc;

	rc = ts_list(kv[HK_LOCAL_TS], ch->local_ts, &ch->n_local_ts, err);
	if (rc == 0)
		rc = ts_list(kv[HK_REMOTE_TS], ch->remote_ts, &ch->n_remote_ts, err);
	if (rc == 0 && !(families(ch->local_ts, ch->n_local_ts) &
			 families(ch->remote_ts, ch->n_remote_ts))) {
		const struct settings_node *n = kv[HK_REMOTE_TS] ?
			kv[HK_REMOTE_TS] : kv[HK_LOCAL_TS];

		settings_err_at(err, n->file, n->line, "%s: local_ts and "
				"remote_ts have no address family in common",
				n->name);
		rc = IFS_ERR_INVAL;
	}
	return rc;
}

static int parse_child(struct settings_node *sec, struct conf_tunnel *t,
		       struct conf_src *src, struct settings_err *err)
{
	struct conf_child *ch = &t->ike->child;
	struct settings_node *kv[HK_COUNT];
	int rc;

	rc = conf_name(sec, sec->name, "child", ch->name, err);
	if (rc < 0)
		return rc;
	ch->line = sec->line;
	for (int k = 0; k < HK_COUNT; k++)
		kv[k] = settings_find_key(sec, child_keys[k]);
	src->keys[CONF_K_REPLAY_WINDOW] = kv[HK_REPLAY_WINDOW];
	src->keys[CONF_K_MODE] = kv[HK_MODE];
	rc = conf_check_level(sec, child_foreign, IFS_ARRAY_LEN(child_foreign),
			      err);
	if (rc == 0)
		rc = child_ts(ch, kv, err);
	if (rc == 0)
		rc = proposals(kv[HK_ESP_PROPOSALS], IKE_PROTO_ESP,
			       ch->esp_proposals, &ch->n_esp_proposals, err);
	if (rc == 0)
		rc = conf_mode(kv[HK_MODE], err);
	if (rc == 0)
		rc = child_actions(ch, kv, err);
	if (rc == 0)
		rc = conf_child_life(ch, &kv[HK_REKEY_TIME], err);
	if (rc == 0)
		rc = conf_u32_or(kv[HK_REPLAY_WINDOW], CONF_REPLAY_WINDOW_DEFAULT,
				 0, CONF_REPLAY_WINDOW_MAX, &t->replay_window, err);
	return rc;
}

/* children { <one name> { ... } } */
static int parse_children(struct conf_tunnel *t, const struct conn_src *s,
			  struct conf_src *src, struct settings_err *err)
{
	struct settings_node *sec, *child = NULL;
	int rc;

	if (!s->children)
		return conf_missing(s->sec, "section children { <name> { ... } } "
				    "(a connection has one child)", err);
	settings_foreach(s->children, SETTINGS_SECTION, sec) {
		if (child) {
			settings_err_at(err, sec->file, sec->line, "child %s: one "
					"child per connection is supported: the "
					"interface carries one Child SA (%s is the "
					"first, line %d)", sec->name, child->name,
					child->line);
			return IFS_ERR_UNSUPPORTED;
		}
		settings_mark_used(sec);
		child = sec;
	}
	rc = conf_check_level(s->children, NULL, 0, err);
	if (rc < 0)
		return rc;
	if (!child)
		return conf_missing(s->children, "a child (children { <name> { "
				    "... } })", err);
	return parse_child(child, t, src, err);
}

/* ---- one connection ---- */

/* remote_addrs = %any: this end can only answer. */
static int responder_only(const struct conf_tunnel *t,
			  struct settings_node *child, struct settings_err *err)
{
	static const char *const keys[] = {
		"start_action", "dpd_action", "close_action",
	};
	const struct conf_child *ch = &t->ike->child;
	const int initiates[] = {
		ch->start_action != CONF_START_NONE,
		ch->dpd_action == CONF_ACTION_TRAP || ch->dpd_action == CONF_ACTION_RESTART,
		ch->close_action == CONF_ACTION_TRAP || ch->close_action == CONF_ACTION_RESTART,
	};

	if (!t->ike->is_remote_any)
		return 0;
	for (size_t i = 0; i < IFS_ARRAY_LEN(keys); i++) {
		const struct settings_node *kv;

		if (!initiates[i])
			continue;
		kv = settings_find_key(child, keys[i]);
		settings_err_key(err, kv, "%s initiates, which needs the peer's "
				 "address: with remote_addrs = %%any the "
				 "connection only responds", kv->value);
		return IFS_ERR_INVAL;
	}
	return 0;
}

static int fetch_conn(struct settings_node *sec, struct conn_src *s,
		      struct conf_src *src, struct settings_err *err)
{
	static const struct { enum conn_key ck; enum conf_key k; } same[] = {
		{ CK_LOCAL_ADDRS, CONF_K_LOCAL_ADDRS },
		{ CK_REMOTE_ADDRS, CONF_K_REMOTE_ADDRS },
		{ CK_ENCAP, CONF_K_ENCAP }, { CK_INTERFACE, CONF_K_INTERFACE },
		{ CK_INTERFACE_ADDRS, CONF_K_INTERFACE_ADDRS },
		{ CK_INTERFACE_MTU, CONF_K_INTERFACE_MTU },
		{ CK_ROUTES, CONF_K_ROUTES },
	};
	int rc;

	s->sec = src->sec = sec;
	for (int k = 0; k < CK_COUNT; k++)
		s->keys[k] = settings_find_key(sec, conn_keys[k]);
	for (size_t i = 0; i < IFS_ARRAY_LEN(same); i++)
		src->keys[same[i].k] = s->keys[same[i].ck];
	s->children = settings_find_section(sec, "children");
	rc = find_round(sec, "local", &s->local, err);
	if (rc == 0)
		rc = find_round(sec, "remote", &s->remote, err);
	if (rc == 0)
		rc = conf_check_level(sec, conn_foreign, IFS_ARRAY_LEN(conn_foreign),
				      err);
	return rc;
}

static int parse_conn(struct settings_node *sec, struct conf_tunnel *t,
		      struct conf_src *src, struct settings_err *err)
{
	struct conn_src s;
	int rc;

	memset(&s, 0, sizeof(s));
	rc = conf_name(sec, sec->name, "connection", t->name, err);
	if (rc < 0)
		return rc;
	snprintf(t->file, sizeof(t->file), "%s", sec->file);
	t->line = sec->line;
	t->local_port = t->remote_port = CONF_ESP_UDP_PORT;
	t->ike = calloc(1, sizeof(*t->ike));
	if (!t->ike) {
		settings_err_at(err, sec->file, sec->line, "out of memory");
		return IFS_ERR_NOMEM;
	}
	rc = fetch_conn(sec, &s, src, err);
	if (rc == 0)
		rc = conn_values(t, &s, err);
	if (rc == 0)
		rc = conf_iface(t, src, err);
	if (rc == 0)
		rc = parse_round(s.local, sec, true, &t->ike->local_id, err);
	if (rc == 0)
		rc = parse_round(s.remote, sec, false, &t->ike->remote_id, err);
	if (rc == 0)
		rc = parse_children(t, &s, src, err);
	if (rc == 0)
		rc = responder_only(t, settings_first(s.children, SETTINGS_SECTION),
				    err);
	return rc;
}

size_t conf_count_connections(const struct settings_node *connections)
{
	struct settings_node *sec;
	size_t n = 0;

	settings_foreach(connections, SETTINGS_SECTION, sec)
		n++;
	return n;
}

int conf_parse_connections(struct settings_node *connections, struct conf *c,
			   struct conf_src *src, struct settings_err *err)
{
	struct settings_node *sec;
	int rc = 0;

	if (!connections)
		return 0;
	settings_foreach(connections, SETTINGS_SECTION, sec)
		settings_mark_used(sec);
	rc = conf_check_level(connections, NULL, 0, err);
	settings_foreach(connections, SETTINGS_SECTION, sec) {
		if (rc < 0)
			break;
		/* Counted first, so that conf_free() frees a half-made one. */
		c->n_tunnels++;
		rc = parse_conn(sec, &c->tunnels[c->n_tunnels - 1],
				&src[c->n_tunnels - 1], err);
	}
	return rc;
}
