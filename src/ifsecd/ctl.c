/* SPDX-License-Identifier: BSD-2-Clause */
#include "ifsecd/ctl.h"

#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>

#include "common/log.h"
#include "ike/ike_wire.h"
#include "ike/names.h"

/* An optional string argument: empty when absent or unusable. */
static void opt_str(const struct vici_node *req, const char *key, char *buf, size_t len)
{
	if (vici_get_str(req, key, buf, len) != 0)
		buf[0] = '\0';
}

static struct tunnel *find_tunnel(struct ctl *ctl, const struct vici_node *req)
{
	char ike[64], child[64];

	opt_str(req, "ike", ike, sizeof(ike));
	opt_str(req, "child", child, sizeof(child));
	for (size_t i = 0; i < ctl->tunnels->n; i++) {
		const struct conf_tunnel *t = ctl->tunnels->v[i].conf;

		if (!t->ike)
			continue;
		if ((ike[0] && strcmp(ike, t->name) != 0) ||
		    (child[0] && strcmp(child, t->ike->child.name) != 0))
			continue;
		if (ike[0] || child[0])
			return &ctl->tunnels->v[i];
	}
	return NULL;
}

static int cmd_version(void *arg, struct ctl_client *c, const struct vici_node *req,
		       struct vici_builder *b)
{
	struct utsname u;

	(void)arg;
	(void)c;
	(void)req;
	if (uname(&u) != 0)
		memset(&u, 0, sizeof(u));
	vici_kv_str(b, "daemon", "ifsecd");
	vici_kv_str(b, "version", IFS_VERSION);
	vici_kv_str(b, "sysname", u.sysname);
	vici_kv_str(b, "release", u.release);
	vici_kv_str(b, "machine", u.machine);
	return 0;
}

static int cmd_stats(void *arg, struct ctl_client *c, const struct vici_node *req,
		     struct vici_builder *b)
{
	struct ctl *ctl = arg;
	const struct ike_stats *st = ctl->ike->engine ? ike_engine_stats(ctl->ike->engine) : NULL;
	char since[64];
	struct tm tm;

	(void)c;
	(void)req;
	localtime_r(&ctl->started, &tm);
	strftime(since, sizeof(since), "%b %d %H:%M:%S %Y", &tm);
	vici_begin_section(b, "uptime");
	vici_kv_printf(b, "running", "%lld seconds", (long long)(time(NULL) - ctl->started));
	vici_kv_str(b, "since", since);
	vici_end_section(b);
	vici_begin_section(b, "workers");
	vici_kv_str(b, "total", "1");
	vici_kv_str(b, "idle", "0");
	vici_begin_section(b, "active");
	vici_kv_str(b, "critical", "0");
	vici_kv_str(b, "high", "0");
	vici_kv_str(b, "medium", "0");
	vici_kv_str(b, "low", "1");
	vici_end_section(b);
	vici_end_section(b);
	vici_begin_section(b, "queues");
	vici_kv_str(b, "critical", "0");
	vici_kv_str(b, "high", "0");
	vici_kv_str(b, "medium", "0");
	vici_kv_str(b, "low", "0");
	vici_end_section(b);
	vici_kv_str(b, "scheduled", "0");
	vici_begin_section(b, "ikesas");
	vici_kv_printf(b, "total", "%llu", st ? (unsigned long long)(st->established + st->half_open) : 0ULL);
	vici_kv_printf(b, "half-open", "%llu", st ? (unsigned long long)st->half_open : 0ULL);
	vici_end_section(b);
	vici_begin_list(b, "plugins");
	vici_end_list(b);
	return 0;
}

static void kv_xf(struct vici_builder *b, const char *key, uint8_t type, uint16_t id)
{
	const char *name = ike_charon_xf_name(type, id);

	if (name)
		vici_kv_str(b, key, name);
}

static void kv_bool(struct vici_builder *b, const char *key, bool v)
{
	if (v)
		vici_kv_str(b, key, "yes");
}

static void child_sa(struct vici_builder *b, const struct tunnel *t,
		     const struct ike_conn_status *st, unsigned id, uint64_t age_s)
{
	char name[96];

	snprintf(name, sizeof(name), "%s-%u", t->conf->ike->child.name, id);
	vici_begin_section(b, name);
	vici_kv_str(b, "name", t->conf->ike->child.name);
	vici_kv_printf(b, "uniqueid", "%u", id);
	vici_kv_printf(b, "reqid", "%u", id);
	vici_kv_str(b, "state", "INSTALLED");
	vici_kv_str(b, "mode", "TUNNEL");
	vici_kv_str(b, "protocol", "ESP");
	kv_bool(b, "encap", st->path.local_port != IKE_PORT || t->conf->ike->is_encap);
	vici_kv_printf(b, "spi-in", "%08x", st->child_spi_in);
	vici_kv_printf(b, "spi-out", "%08x", st->child_spi_out);
	kv_xf(b, "encr-alg", IKE_TT_ENCR, st->esp.encr);
	if (st->esp.encr_key_bits)
		vici_kv_printf(b, "encr-keysize", "%u", st->esp.encr_key_bits);
	kv_xf(b, "integ-alg", IKE_TT_INTEG, st->esp.integ);
	kv_bool(b, "esn", st->esp.esn == IKE_ESN_YES);
	vici_kv_printf(b, "bytes-in", "%llu", (unsigned long long)esp_stat_get(&t->in_stats.bytes));
	vici_kv_printf(b, "packets-in", "%llu", (unsigned long long)esp_stat_get(&t->in_stats.packets));
	vici_kv_printf(b, "bytes-out", "%llu", (unsigned long long)esp_stat_get(&t->out_stats.bytes));
	vici_kv_printf(b, "packets-out", "%llu", (unsigned long long)esp_stat_get(&t->out_stats.packets));
	vici_kv_printf(b, "install-time", "%llu", (unsigned long long)age_s);
	vici_kv_printf(b, "rekey-time", "%u", t->conf->ike->child.rekey_time);
	vici_kv_printf(b, "life-time", "%u", t->conf->ike->child.life_time);
	vici_begin_list(b, "local-ts");
	for (size_t i = 0; i < st->n_ts_local && i < 4; i++)
		vici_list_item_str(b, st->ts_local[i]);
	vici_end_list(b);
	vici_begin_list(b, "remote-ts");
	for (size_t i = 0; i < st->n_ts_remote && i < 4; i++)
		vici_list_item_str(b, st->ts_remote[i]);
	vici_end_list(b);
	vici_end_section(b);
}

static void list_sa(struct ctl *ctl, struct vici_builder *b, const struct tunnel *t,
		    const struct ike_conn_status *st, unsigned id)
{
	char a[IFS_ADDR_STRLEN];
	uint64_t now = 0, age_s = 0;

	vici_begin_section(b, t->conf->name);
	vici_kv_printf(b, "uniqueid", "%u", id);
	vici_kv_str(b, "version", "2");
	vici_kv_str(b, "state", ike_sa_state_name(st->state));
	vici_kv_str(b, "local-host", addr_str(&st->path.local, a));
	vici_kv_printf(b, "local-port", "%u", st->path.local_port);
	vici_kv_str(b, "local-id", st->local_id);
	vici_kv_str(b, "remote-host", addr_str(&st->path.remote, a));
	vici_kv_printf(b, "remote-port", "%u", st->path.remote_port);
	vici_kv_str(b, "remote-id", st->peer_id[0] ? st->peer_id : "%any");
	kv_bool(b, "initiator", st->is_initiator);
	vici_kv_printf(b, "initiator-spi", "%016llx", (unsigned long long)st->spi_i);
	vici_kv_printf(b, "responder-spi", "%016llx", (unsigned long long)st->spi_r);
	kv_bool(b, "nat-local", st->is_nat_local);
	kv_bool(b, "nat-remote", st->is_nat_remote);
	kv_bool(b, "nat-any", st->is_nat_local || st->is_nat_remote);
	kv_xf(b, "encr-alg", IKE_TT_ENCR, st->ike.encr);
	if (st->ike.encr_key_bits)
		vici_kv_printf(b, "encr-keysize", "%u", st->ike.encr_key_bits);
	kv_xf(b, "integ-alg", IKE_TT_INTEG, st->ike.integ);
	kv_xf(b, "prf-alg", IKE_TT_PRF, st->ike.prf);
	kv_xf(b, "dh-group", IKE_TT_KE, st->ike.ke);
	if (ctl->ike->engine && st->established_ms) {
		struct timespec ts;

		clock_gettime(CLOCK_MONOTONIC, &ts);
		now = (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
		age_s = (now - st->established_ms) / 1000;
		vici_kv_printf(b, "established", "%llu", (unsigned long long)age_s);
	}
	vici_begin_section(b, "child-sas");
	if (st->has_child)
		child_sa(b, t, st, id, age_s);
	vici_end_section(b);
	vici_end_section(b);
}

static int cmd_list_sas(void *arg, struct ctl_client *c, const struct vici_node *req,
			struct vici_builder *resp)
{
	struct ctl *ctl = arg;
	char ike[64];

	(void)resp;
	opt_str(req, "ike", ike, sizeof(ike));
	for (size_t i = 0; i < ctl->tunnels->n && ctl->ike->engine; i++) {
		struct tunnel *t = &ctl->tunnels->v[i];
		struct ike_conn_status st;
		struct vici_builder *b;

		if (!t->conf->ike || (ike[0] && strcmp(ike, t->conf->name) != 0) ||
		    ike_engine_status(ctl->ike->engine, t, &st) != 0 || st.state == IKE_SA_NONE)
			continue;
		b = ctl_client_event_begin(c, "list-sa");
		if (!b)
			break;
		list_sa(ctl, b, t, &st, (unsigned)i + 1);
		if (ctl_client_event_end(c, b) != 0)
			break;
	}
	return 0;
}

static void list_prefixes(struct vici_builder *b, const char *name,
			  const struct ifs_prefix *p, size_t n)
{
	char s[IFS_PREFIX_STRLEN];

	vici_begin_list(b, name);
	for (size_t i = 0; i < n; i++)
		vici_list_item_str(b, prefix_str(&p[i], s));
	vici_end_list(b);
}

static void auth_section(struct vici_builder *b, const char *name, const struct ike_id *id,
			 const struct ifs_addr *fallback)
{
	char s[128], a[IFS_ADDR_STRLEN];

	vici_begin_section(b, name);
	vici_kv_str(b, "class", "pre-shared key");
	if (id->type)
		vici_kv_str(b, "id", ike_id_str(id->type, id->data, id->len, s, sizeof(s)));
	else
		vici_kv_str(b, "id", fallback ? addr_str(fallback, a) : "%any");
	vici_end_section(b);
}

static void list_conn(struct vici_builder *b, const struct conf_tunnel *t)
{
	const struct conf_ike *ci = t->ike;
	char a[IFS_ADDR_STRLEN];

	vici_begin_section(b, t->name);
	vici_begin_list(b, "local_addrs");
	vici_list_item_str(b, addr_str(&t->local, a));
	vici_end_list(b);
	vici_begin_list(b, "remote_addrs");
	vici_list_item_str(b, ci->is_remote_any ? "%any" : addr_str(&t->remote, a));
	vici_end_list(b);
	vici_kv_str(b, "version", "IKEv2");
	vici_kv_printf(b, "reauth_time", "%u", ci->reauth_time);
	vici_kv_printf(b, "rekey_time", "%u", ci->rekey_time);
	vici_kv_str(b, "unique", "UNIQUE_NO");
	vici_kv_printf(b, "dpd_delay", "%u", ci->dpd_delay);
	auth_section(b, "local-1", &ci->local_id, &t->local);
	auth_section(b, "remote-1", &ci->remote_id, NULL);
	vici_begin_section(b, "children");
	vici_begin_section(b, ci->child.name);
	vici_kv_str(b, "mode", "TUNNEL");
	vici_kv_printf(b, "rekey_time", "%u", ci->child.rekey_time);
	vici_kv_str(b, "rekey_bytes", "0");
	vici_kv_str(b, "rekey_packets", "0");
	list_prefixes(b, "local-ts", ci->child.local_ts, ci->child.n_local_ts);
	list_prefixes(b, "remote-ts", ci->child.remote_ts, ci->child.n_remote_ts);
	vici_end_section(b);
	vici_end_section(b);
	vici_end_section(b);
}

static int cmd_list_conns(void *arg, struct ctl_client *c, const struct vici_node *req,
			  struct vici_builder *resp)
{
	struct ctl *ctl = arg;
	char ike[64];

	(void)resp;
	opt_str(req, "ike", ike, sizeof(ike));
	for (size_t i = 0; i < ctl->tunnels->n; i++) {
		const struct conf_tunnel *t = ctl->tunnels->v[i].conf;
		struct vici_builder *b;

		if (!t->ike || (ike[0] && strcmp(ike, t->name) != 0))
			continue;
		b = ctl_client_event_begin(c, "list-conn");
		if (!b)
			break;
		list_conn(b, t);
		if (ctl_client_event_end(c, b) != 0)
			break;
	}
	return 0;
}

/* ---- initiate, answered when the Child SA is up ---- */

static void pending_free(struct ctl_pending *p)
{
	if (p->timer)
		event_free(p->timer);
	p->timer = NULL;
	p->client = NULL;
	p->user = NULL;
}

static void pending_answer(struct ctl_pending *p, bool is_up, const char *why)
{
	struct ctl_client *c = p->client;

	pending_free(p);
	if (is_up) {
		struct vici_builder *b = ctl_client_respond_begin(c);

		if (b) {
			vici_kv_str(b, "success", "yes");
			(void)ctl_client_respond_end(c, b);
		}
	} else {
		(void)ctl_client_respond_fail(c, "%s", why);
	}
}

static void on_pending_timeout(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	pending_answer(arg, false, "initiation timed out");
}

static void on_pending_cancel(void *arg)
{
	pending_free(arg);
}

void ctl_sa_event(struct ctl *ctl, void *user, bool is_up)
{
	for (size_t i = 0; i < CTL_MAX_PENDING; i++)
		if (ctl->pending[i].client && ctl->pending[i].user == user)
			pending_answer(&ctl->pending[i], is_up,
				       "establishing the CHILD_SA failed");
}

static int cmd_initiate(void *arg, struct ctl_client *c, const struct vici_node *req,
			struct vici_builder *resp)
{
	struct ctl *ctl = arg;
	struct tunnel *t = find_tunnel(ctl, req);
	struct ike_conn_status st;
	struct ctl_pending *p = NULL;
	int64_t timeout = 0;

	if (!t || !ctl->ike->engine)
		return ctl_client_fail(c, IFS_ERR_NOT_FOUND, "CHILD_SA config not found");
	if (vici_get_int(req, "timeout", -1, 86400000, &timeout) != 0)
		timeout = 0;
	if (ike_engine_status(ctl->ike->engine, t, &st) == 0 && st.has_child) {
		vici_kv_str(resp, "success", "yes");
		return 0;
	}
	if (ike_engine_initiate(ctl->ike->engine, t) != 0)
		return ctl_client_fail(c, IFS_ERR_INVAL, "cannot initiate %s (a responder-only "
				       "connection?)", t->conf->name);
	if (timeout < 0) {
		vici_kv_str(resp, "success", "yes");
		return 0;
	}
	for (size_t i = 0; i < CTL_MAX_PENDING && !p; i++)
		if (!ctl->pending[i].client)
			p = &ctl->pending[i];
	if (!p)
		return ctl_client_fail(c, IFS_ERR_FULL, "too many initiations waiting");
	*p = (struct ctl_pending){ .ctl = ctl, .client = c, .user = t };
	if (timeout > 0) {
		struct timeval tv = { .tv_sec = timeout / 1000, .tv_usec = (timeout % 1000) * 1000 };

		p->timer = evtimer_new(ctl->base, on_pending_timeout, p);
		if (p->timer)
			evtimer_add(p->timer, &tv);
	}
	return ctl_client_defer(c, on_pending_cancel, p);
}

static int cmd_terminate(void *arg, struct ctl_client *c, const struct vici_node *req,
			 struct vici_builder *resp)
{
	struct ctl *ctl = arg;
	struct tunnel *t = find_tunnel(ctl, req);

	if (!t || !ctl->ike->engine || ike_engine_terminate(ctl->ike->engine, t) != 0)
		return ctl_client_fail(c, IFS_ERR_NOT_FOUND, "no matching SAs to terminate found");
	vici_kv_str(resp, "success", "yes");
	vici_kv_str(resp, "matches", "1");
	vici_kv_str(resp, "terminated", "1");
	return 0;
}

int ctl_start(struct ctl *ctl, struct event_base *base, const char *path,
	      struct tunnels *ts, struct ike_io *ike)
{
	static const struct {
		const char *name;
		ctl_cmd_fn fn;
	} cmds[] = {
		{ "version", cmd_version }, { "stats", cmd_stats },
		{ "list-sas", cmd_list_sas }, { "list-conns", cmd_list_conns },
		{ "initiate", cmd_initiate }, { "terminate", cmd_terminate },
	};
	static const char *const events[] = {
		"list-sa", "list-conn", "control-log", "log", "ike-updown", "child-updown",
	};
	struct ctl_server_opts o = { .path = path };
	int err;

	*ctl = (struct ctl){ .base = base, .tunnels = ts, .ike = ike, .started = time(NULL) };
	err = ctl_server_new(base, &o, &ctl->srv);
	for (size_t i = 0; !err && i < IFS_ARRAY_LEN(cmds); i++)
		err = ctl_server_add_command(ctl->srv, cmds[i].name, cmds[i].fn, ctl);
	for (size_t i = 0; !err && i < IFS_ARRAY_LEN(events); i++)
		err = ctl_server_add_event(ctl->srv, events[i]);
	return err;
}

void ctl_stop(struct ctl *ctl)
{
	ctl_server_free(ctl->srv);
	for (size_t i = 0; i < CTL_MAX_PENDING; i++)
		if (ctl->pending[i].timer)
			event_free(ctl->pending[i].timer);
	*ctl = (struct ctl){ 0 };
}
