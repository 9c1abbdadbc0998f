/* SPDX-License-Identifier: BSD-2-Clause */
/* The commands' core: version, stats, initiate and terminate. */
#include "ifsecd/ctl_priv.h"

#include <malloc.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>

#include "common/log.h"

int ctl_arg_str(struct ctl_client *c, const struct vici_node *req, const char *key,
		char *buf, size_t len)
{
	buf[0] = '\0';
	if (!vici_find(req, key))
		return 0;
	if (vici_get_str(req, key, buf, len) != 0)
		return ctl_client_fail(c, IFS_ERR_INVAL, "%s: not a value of up to %zu "
				       "characters", key, len - 1);
	return 0;
}

uint64_t ctl_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* A unique id argument: 0 when absent. */
static int arg_id(struct ctl_client *c, const struct vici_node *req, const char *key,
		  uint32_t *out)
{
	int64_t v = 0;

	*out = 0;
	if (!vici_find(req, key))
		return 0;
	if (vici_get_int(req, key, 1, UINT32_MAX, &v) != 0)
		return ctl_client_fail(c, IFS_ERR_INVAL, "%s: not a unique id", key);
	*out = (uint32_t)v;
	return 0;
}

static bool matches(struct ctl *ctl, struct tunnel *t, const char *ike, const char *child,
		    uint32_t ike_id, uint32_t child_id)
{
	const struct conf_tunnel *ct = t->conf;
	struct ike_conn_status st;

	if ((ike[0] && strcmp(ike, ct->name) != 0) ||
	    (child[0] && strcmp(child, ct->ike->child.name) != 0))
		return false;
	if (!ike_id && !child_id)
		return true;
	if (ike_engine_status(ctl->ike->engine, t, &st) != 0 || st.state == IKE_SA_NONE)
		return false;
	return (!ike_id || st.unique_id == ike_id) &&
	       (!child_id || (st.has_child && st.child_unique_id == child_id));
}

int ctl_find_tunnel(struct ctl *ctl, struct ctl_client *c, const struct vici_node *req,
		    struct tunnel **out)
{
	char ike[CONF_NAME_MAX], child[CONF_NAME_MAX];
	uint32_t ike_id, child_id;
	int err;

	*out = NULL;
	if ((err = ctl_arg_str(c, req, "ike", ike, sizeof(ike))) != 0 ||
	    (err = ctl_arg_str(c, req, "child", child, sizeof(child))) != 0 ||
	    (err = arg_id(c, req, "ike-id", &ike_id)) != 0 ||
	    (err = arg_id(c, req, "child-id", &child_id)) != 0)
		return err;
	if (!ike[0] && !child[0] && !ike_id && !child_id)
		return ctl_client_fail(c, IFS_ERR_INVAL, "missing ike, child, ike-id or child-id");
	for (size_t i = 0; i < ctl->tunnels->n; i++) {
		struct tunnel *t = ctl->tunnels->v[i];

		if (t->conf->ike && matches(ctl, t, ike, child, ike_id, child_id)) {
			*out = t;
			return 0;
		}
	}
	return IFS_ERR_NOT_FOUND;
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

/* The heap as charon's stats have it (glibc's mallinfo2): bytes from
 * sbrk() and mmap(), in use and free. */
static void malloc_stats_section(struct vici_builder *b)
{
	struct mallinfo2 mi = mallinfo2();

	vici_begin_section(b, "mallinfo");
	vici_kv_printf(b, "sbrk", "%zu", mi.arena);
	vici_kv_printf(b, "mmap", "%zu", mi.hblkhd);
	vici_kv_printf(b, "used", "%zu", mi.uordblks);
	vici_kv_printf(b, "free", "%zu", mi.fordblks);
	vici_end_section(b);
}

/* The control socket's own bounds and refusals (swanctl ignores them). */
static void control_stats(struct ctl *ctl, struct vici_builder *b)
{
	struct ctl_server_stats st;

	ctl_server_get_stats(ctl->srv, &st);
	vici_begin_section(b, "control");
	vici_kv_printf(b, "clients", "%u", st.n_clients);
	vici_kv_printf(b, "accepted", "%llu", (unsigned long long)st.accepted);
	vici_kv_printf(b, "refused", "%llu", (unsigned long long)st.refused);
	vici_kv_printf(b, "malformed", "%llu", (unsigned long long)st.malformed);
	vici_kv_printf(b, "too-large", "%llu", (unsigned long long)st.too_large);
	vici_kv_printf(b, "truncated", "%llu", (unsigned long long)st.truncated);
	vici_kv_printf(b, "slow-disconnects", "%llu", (unsigned long long)st.slow_disconnects);
	vici_kv_printf(b, "requests", "%llu", (unsigned long long)st.requests);
	vici_kv_printf(b, "unknown-commands", "%llu", (unsigned long long)st.unknown_commands);
	vici_kv_printf(b, "events", "%llu", (unsigned long long)st.events_sent);
	vici_end_section(b);
}

static int cmd_stats(void *arg, struct ctl_client *c, const struct vici_node *req,
		     struct vici_builder *b)
{
	struct ctl *ctl = arg;
	const struct ike_stats *st = ike_engine_stats(ctl->ike->engine);
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
	vici_kv_printf(b, "total", "%llu", (unsigned long long)(st->established + st->half_open));
	vici_kv_printf(b, "half-open", "%llu", (unsigned long long)st->half_open);
	vici_end_section(b);
	vici_begin_list(b, "plugins");
	vici_end_list(b);
	malloc_stats_section(b);
	control_stats(ctl, b);
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

void ctl_tunnel_gone(struct ctl *ctl, void *user)
{
	for (size_t i = 0; i < CTL_MAX_PENDING; i++)
		if (ctl->pending[i].client && ctl->pending[i].user == user)
			pending_answer(&ctl->pending[i], false, "the connection was unloaded");
}

/* charon's loglevel argument: -1 (none) to 4; its default is 1. */
static int opt_loglevel(const struct vici_node *req)
{
	int64_t v;

	return vici_get_int(req, "loglevel", -1, 4, &v) == 0 ? (int)v : 1;
}

static int cmd_initiate(void *arg, struct ctl_client *c, const struct vici_node *req,
			struct vici_builder *resp)
{
	struct ctl *ctl = arg;
	struct ike_conn_status st;
	struct ctl_pending *p = NULL;
	int64_t timeout = 0;
	struct tunnel *t;
	int err = ctl_find_tunnel(ctl, c, req, &t);

	if (err == IFS_ERR_NOT_FOUND)
		return ctl_client_fail(c, err, "CHILD_SA config not found");
	if (err)
		return err;
	if (vici_find(req, "timeout") && vici_get_int(req, "timeout", -1, 86400000, &timeout) != 0)
		return ctl_client_fail(c, IFS_ERR_INVAL, "timeout: not a number of "
				       "milliseconds (-1 to 86400000)");
	if (ike_engine_status(ctl->ike->engine, t, &st) == 0 && st.has_child) {
		vici_kv_str(resp, "success", "yes");
		return 0;
	}
	ctl->cmd_client = c;
	ctl->cmd_conn = t->conf->name;
	ctl->cmd_loglevel = opt_loglevel(req);
	err = ike_engine_initiate(ctl->ike->engine, t);
	ctl->cmd_client = NULL;
	ike_io_rearm(ctl->ike);
	if (err)
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
	*p = (struct ctl_pending){ .ctl = ctl, .client = c, .user = t,
				   .loglevel = opt_loglevel(req) };
	snprintf(p->conn, sizeof(p->conn), "%s", t->conf->name);
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
	struct tunnel *t;
	int err = ctl_find_tunnel(ctl, c, req, &t);

	if (err && err != IFS_ERR_NOT_FOUND)
		return err;
	if (t) {
		ctl->cmd_client = c;
		ctl->cmd_conn = t->conf->name;
		ctl->cmd_loglevel = opt_loglevel(req);
		err = ike_engine_terminate(ctl->ike->engine, t);
		ctl->cmd_client = NULL;
		ike_io_rearm(ctl->ike);
	}
	if (err)
		return ctl_client_fail(c, IFS_ERR_NOT_FOUND, "no matching SAs to terminate found");
	vici_kv_str(resp, "success", "yes");
	vici_kv_str(resp, "matches", "1");
	vici_kv_str(resp, "terminated", "1");
	return 0;
}

/* rekey: the Child SA named by child or child-id, else the IKE SA
 * (both with CREATE_CHILD_SA, make before break), or with reauth = yes
 * the IKE SA reauthenticated (a new one from scratch, then the old one
 * deleted). */
static int cmd_rekey(void *arg, struct ctl_client *c, const struct vici_node *req,
		     struct vici_builder *resp)
{
	struct ctl *ctl = arg;
	struct tunnel *t;
	int err;

	bool is_ike = !vici_find(req, "child") && !vici_find(req, "child-id");
	bool is_reauth;
	char reauth[8];

	err = ctl_arg_str(c, req, "reauth", reauth, sizeof(reauth));
	if (err)
		return err;
	is_reauth = strcmp(reauth, "yes") == 0;
	if (is_reauth && !is_ike)
		return ctl_client_fail(c, IFS_ERR_INVAL, "only an IKE SA is reauthenticated");
	err = ctl_find_tunnel(ctl, c, req, &t);
	if (err == IFS_ERR_NOT_FOUND)
		return ctl_client_fail(c, err, "no matching SAs to rekey found");
	if (err)
		return err;
	ctl->cmd_client = c;
	ctl->cmd_conn = t->conf->name;
	ctl->cmd_loglevel = opt_loglevel(req);
	err = is_reauth ? ike_engine_reauth(ctl->ike->engine, t)
			: ike_engine_rekey(ctl->ike->engine, t, is_ike);
	ctl->cmd_client = NULL;
	ike_io_rearm(ctl->ike);
	if (err == IFS_ERR_INVAL)
		return ctl_client_fail(c, err, "cannot reauthenticate: the peer's address is "
				       "not configured (remote_addrs = %%any)");
	if (err)
		return ctl_client_fail(c, err, "no matching SAs to rekey found");
	vici_kv_str(resp, "success", "yes");
	vici_kv_str(resp, "matches", "1");
	return 0;
}

int ctl_start(struct ctl *ctl, struct event_base *base, const struct ctl_server_opts *o,
	      struct conns *conns, struct creds *creds, const char *config_path)
{
	static const struct {
		const char *name;
		ctl_cmd_fn fn;
	} cmds[] = {
		{ "version", cmd_version }, { "stats", cmd_stats },
		{ "initiate", cmd_initiate }, { "terminate", cmd_terminate },
		{ "rekey", cmd_rekey },
	};
	static const char *const events[] = { "ike-updown", "child-updown" };
	int err;

	*ctl = (struct ctl){ .base = base, .tunnels = conns->ts, .ike = conns->ike,
			     .conns = conns, .creds = creds, .config_path = config_path,
			     .started = time(NULL) };
	err = ctl_server_new(base, o, &ctl->srv);
	for (size_t i = 0; !err && i < IFS_ARRAY_LEN(cmds); i++)
		err = ctl_server_add_command(ctl->srv, cmds[i].name, cmds[i].fn, ctl);
	for (size_t i = 0; !err && i < IFS_ARRAY_LEN(events); i++)
		err = ctl_server_add_event(ctl->srv, events[i]);
	if (!err)
		err = ctl_list_register(ctl);
	if (!err)
		err = ctl_load_register(ctl);
	if (!err)
		err = ctl_log_register(ctl);
	return err;
}

void ctl_stop(struct ctl *ctl)
{
	ctl_log_unregister(ctl);
	ctl_server_free(ctl->srv);
	for (size_t i = 0; i < CTL_MAX_PENDING; i++)
		if (ctl->pending[i].timer)
			event_free(ctl->pending[i].timer);
	*ctl = (struct ctl){ 0 };
}
