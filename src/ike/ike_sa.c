/* SPDX-License-Identifier: BSD-2-Clause */
/* The engine's objects: connections, IKE SAs, their tables and timers. */
#include "ike/ike_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ike/proposal.h"
#include "ike/ts.h"

void ike_settings_default(struct ike_settings *s)
{
	*s = (struct ike_settings){
		.retransmit_timeout_ms = 4000,
		.retransmit_base = 1.8,
		.retransmit_tries = 5,
		.half_open_timeout_ms = 30000,
		.cookie_threshold = 30,
		.cookie_threshold_ip = 3,
		.block_threshold = 5,
		.init_limit_half_open = 1000,
		.retry_initiate_ms = 5000,
	};
}

const char *ike_sa_state_name(enum ike_sa_state s)
{
	static const char *const names[] = {
		[IKE_SA_NONE] = "NONE",
		[IKE_SA_INIT_QUEUED] = "CREATED",
		[IKE_SA_INIT_SENT] = "CONNECTING",
		[IKE_SA_HALF_OPEN] = "CONNECTING",
		[IKE_SA_AUTH_SENT] = "CONNECTING",
		[IKE_SA_ESTABLISHED] = "ESTABLISHED",
		[IKE_SA_DELETING] = "DELETING",
	};

	return (size_t)s < IFS_ARRAY_LEN(names) ? names[s] : "?";
}

uint64_t ike_now(const struct ike_engine *e)
{
	return e->ops.now_ms(e->ctx);
}

static size_t bucket(uint64_t spi)
{
	return (size_t)((spi * 0x9E3779B97F4A7C15ull) >> 54) % IKE_SA_BUCKETS;
}

int ike_engine_new(struct ike_engine **out, const struct ike_ops *ops, void *ctx,
		   const struct ike_settings *s, struct keylog *kl)
{
	struct ike_engine *e = calloc(1, sizeof(*e));

	*out = NULL;
	if (!e)
		return IFS_ERR_NOMEM;
	e->ops = *ops;
	e->ctx = ctx;
	e->s = *s;
	e->kl = kl;
	if (crypto_random(e->cookie_secret, sizeof(e->cookie_secret)) != 0) {
		free(e);
		return IFS_ERR_CRYPTO;
	}
	e->cookie_secret_since = ike_now(e);
	*out = e;
	return 0;
}

/* A Child SA record of the SA's own (replaced, colliding): its key, then
 * itself, wiped. */
static void free_record(void *rec, size_t len, struct secret *key_out)
{
	secret_free(key_out);
	secret_wipe(rec, len);
	free(rec);
}

int ike_nonce_set(uint8_t **slot, size_t *slot_len, const uint8_t *data, size_t len)
{
	uint8_t *n = malloc(len ? len : 1);

	if (!n)
		return IFS_ERR_NOMEM;
	if (data)
		memcpy(n, data, len);
	else if (crypto_random(n, len) != 0) {
		free(n);
		return IFS_ERR_CRYPTO;
	}
	free(*slot);
	*slot = n;
	*slot_len = len;
	return 0;
}

static void sa_free(struct ike_sa *sa)
{
	ike_job_orphan(sa);
	ike_ke_pre_free(sa);
	ike_rekey_clear(sa);
	ike_rekey_ike_clear(sa);
	secret_free(sa->child.key_out);
	free(sa->ts);
	if (sa->old_child)
		free_record(sa->old_child, sizeof(*sa->old_child), sa->old_child->key_out);
	if (sa->coll) {
		free(sa->coll->ts);
		free_record(sa->coll, sizeof(*sa->coll), sa->coll->sa.key_out);
	}
	ike_keys_clear(&sa->keys);
	crypto_xform_free(sa->x_out);
	crypto_xform_free(sa->x_in);
	crypto_ke_free(sa->ke);
	free(sa->ni);
	free(sa->nr);
	free(sa->init_req);
	free(sa->init_resp);
	free(sa->req.msg);
	free(sa->resp);
	secret_wipe(sa, sizeof(*sa));
	free(sa);
}

void ike_engine_free(struct ike_engine *e)
{
	if (!e)
		return;
	while (e->all) {
		struct ike_sa *sa = e->all;

		e->all = sa->next_all;
		sa_free(sa);
	}
	while (e->conns) {
		struct ike_conn *c = e->conns;

		e->conns = c->next;
		free(c);
	}
	ike_jobs_free(e);
	secret_wipe(e->cookie_secret, sizeof(e->cookie_secret));
	free(e);
}

int ike_engine_add_conn(struct ike_engine *e, const struct conf_tunnel *t, void *user)
{
	struct ike_conn *c;

	if (!t->ike)
		return IFS_ERR_INVAL;
	c = calloc(1, sizeof(*c));
	if (!c)
		return IFS_ERR_NOMEM;
	c->e = e;
	c->t = t;
	c->c = t->ike;
	c->user = user;
	if (ike_id_is_any(&t->ike->local_id))
		ike_id_from_addr(&t->local, &c->local_id);
	else
		c->local_id = t->ike->local_id;
	c->next = e->conns;
	e->conns = c;
	return 0;
}

static struct ike_conn *conn_by_user(const struct ike_engine *e, void *user)
{
	for (struct ike_conn *c = e->conns; c; c = c->next)
		if (c->user == user)
			return c;
	return NULL;
}

void ike_engine_set_settings(struct ike_engine *e, const struct ike_settings *s)
{
	e->s = *s;
}

int ike_engine_del_conn(struct ike_engine *e, void *user)
{
	struct ike_conn *c = conn_by_user(e, user);

	if (!c)
		return IFS_ERR_NOT_FOUND;
	c->wants_up = false;
	c->retry_at = 0;
	for (struct ike_sa *sa = e->all; sa; sa = sa->next_all) {
		if (sa->is_dead || sa->conn != c)
			continue;
		if (sa->state == IKE_SA_ESTABLISHED)
			ike_delete_ike(sa);
		ike_sa_kill(sa, "connection unloaded");
	}
	ike_engine_reap(e);
	for (struct ike_conn **pp = &e->conns; *pp; pp = &(*pp)->next)
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	free(c);
	return 0;
}

int ike_engine_initiate(struct ike_engine *e, void *user)
{
	struct ike_conn *c = conn_by_user(e, user);

	if (!c)
		return IFS_ERR_NOT_FOUND;
	if (c->c->is_remote_any)
		return IFS_ERR_INVAL;
	c->wants_up = true;
	/* An SA on its way out (terminate, then initiate at once) finishes
	 * its delete on its own; the connection gets a new one. */
	if (c->sa && c->sa->state == IKE_SA_DELETING)
		c->sa = NULL;
	if (c->sa)
		return 0;
	c->retry_at = 0;
	return ike_init_start(c);
}

int ike_engine_rekey(struct ike_engine *e, void *user, bool is_ike)
{
	struct ike_conn *c = conn_by_user(e, user);
	int err;

	if (!c || !c->sa)
		return IFS_ERR_NOT_FOUND;
	err = is_ike ? ike_rekey_ike_start(c->sa) : ike_rekey_child_start(c->sa);
	ike_engine_reap(e);
	return err == IFS_ERR_BUSY ? 0 : err;   /* BUSY: it starts when the request is done */
}

int ike_engine_reauth(struct ike_engine *e, void *user)
{
	struct ike_conn *c = conn_by_user(e, user);
	int err;

	if (!c || !c->sa)
		return IFS_ERR_NOT_FOUND;
	err = ike_reauth_start(c->sa);
	ike_engine_reap(e);
	return err;
}

int ike_engine_acquire(struct ike_engine *e, void *user)
{
	struct ike_conn *c = conn_by_user(e, user);

	if (!c)
		return IFS_ERR_NOT_FOUND;
	if (c->c->child.start_action != CONF_START_TRAP && !c->is_trapped)
		return 0;
	return ike_engine_initiate(e, user);
}

void ike_engine_peer_moved(struct ike_engine *e, void *user, const struct ifs_addr *remote,
			   uint16_t remote_port)
{
	struct ike_conn *c = conn_by_user(e, user);
	struct ike_sa *sa = c ? c->sa : NULL;
	char a[IFS_ADDR_STRLEN];

	if (!sa || sa->path.local_port == IKE_PORT || sa->path.remote.family != remote->family ||
	    (addr_eq(&sa->path.remote, remote) && sa->path.remote_port == remote_port))
		return;
	log_ctx_msg(&sa->log, LOG_LVL_INFO, "the peer's ESP now comes from %s port %u: IKE "
		    "follows", addr_str(remote, a), remote_port);
	sa->path.remote = *remote;
	sa->path.remote_port = remote_port;
}

int ike_engine_terminate(struct ike_engine *e, void *user)
{
	struct ike_conn *c = conn_by_user(e, user);

	if (!c)
		return IFS_ERR_NOT_FOUND;
	c->wants_up = false;
	c->retry_at = 0;
	if (!c->sa)
		return IFS_ERR_NOT_FOUND;
	if (c->sa->state == IKE_SA_ESTABLISHED)
		ike_delete_ike(c->sa);
	else
		ike_sa_kill(c->sa, "terminated");
	ike_engine_reap(e);
	return 0;
}

void ike_engine_start_all(struct ike_engine *e)
{
	for (struct ike_conn *c = e->conns; c; c = c->next)
		if (c->c->child.start_action == CONF_START_START && !c->c->is_remote_any &&
		    ike_engine_initiate(e, c->user) != 0)
			log_warn("%s: cannot initiate now; retrying", c->t->name);
}

int ike_sa_new(struct ike_engine *e, bool is_initiator, uint64_t spi_i,
	       const struct ike_path *p, struct ike_sa **out)
{
	struct ike_sa *sa = calloc(1, sizeof(*sa));

	*out = NULL;
	if (!sa)
		return IFS_ERR_NOMEM;
	sa->e = e;
	sa->unique_id = ++e->last_unique_id;
	sa->is_initiator = is_initiator;
	sa->spi_i = spi_i;
	sa->path = *p;
	sa->next_all = e->all;
	e->all = sa;
	*out = sa;
	return 0;
}

int ike_sa_register(struct ike_sa *sa)
{
	struct ike_engine *e = sa->e;
	uint64_t spi;
	size_t b;

	spi = sa->is_initiator ? sa->spi_i : sa->spi_r;
	if (spi && ike_sa_by_local(e, spi))
		return IFS_ERR_EXISTS;
	while (spi == 0) {
		if (crypto_random(&spi, sizeof(spi)) != 0)
			return IFS_ERR_CRYPTO;
		if (ike_sa_by_local(e, spi))
			spi = 0;
	}
	if (sa->is_initiator)
		sa->spi_i = spi;
	else
		sa->spi_r = spi;
	b = bucket(spi);
	sa->next_local = e->by_local[b];
	e->by_local[b] = sa;
	if (!sa->is_initiator) {
		b = bucket(sa->spi_i);
		sa->next_peer = e->by_peer[b];
		e->by_peer[b] = sa;
	}
	return 0;
}

static uint64_t local_spi(const struct ike_sa *sa)
{
	return sa->is_initiator ? sa->spi_i : sa->spi_r;
}

struct ike_sa *ike_sa_by_local(struct ike_engine *e, uint64_t spi)
{
	for (struct ike_sa *sa = e->by_local[bucket(spi)]; sa; sa = sa->next_local)
		if (local_spi(sa) == spi && !sa->is_dead)
			return sa;
	return NULL;
}

struct ike_sa *ike_sa_by_peer(struct ike_engine *e, uint64_t spi_i, const struct ike_path *p)
{
	for (struct ike_sa *sa = e->by_peer[bucket(spi_i)]; sa; sa = sa->next_peer)
		if (sa->spi_i == spi_i && !sa->is_dead && addr_eq(&sa->path.remote, &p->remote) &&
		    sa->path.remote_port == p->remote_port)
			return sa;
	return NULL;
}

/* Two addresses in one accounting unit: the address for IPv4, the /64
 * for IPv6 (one host controls a whole /64). */
bool ike_same_source(const struct ifs_addr *a, const struct ifs_addr *b)
{
	if (a->family != b->family)
		return false;
	if (a->family == AF_INET)
		return addr_eq(a, b);
	return memcmp(addr_bytes(a), addr_bytes(b), 8) == 0;
}

size_t ike_half_open_from(const struct ike_engine *e, const struct ifs_addr *a)
{
	size_t n = 0;

	for (const struct ike_sa *sa = e->all; sa; sa = sa->next_all)
		if (sa->state == IKE_SA_HALF_OPEN && !sa->is_dead &&
		    ike_same_source(&sa->path.remote, a))
			n++;
	return n;
}

bool ike_rate_ok(struct ike_engine *e, struct ike_rate *r, uint32_t per_s)
{
	uint64_t now = ike_now(e);

	if (now - r->since >= 1000) {
		r->since = now;
		r->n = 0;
	}
	if (r->n < per_s) {
		r->n++;
		return true;
	}
	r->dropped++;
	return false;
}

void ike_log_stranger(struct ike_engine *e, enum log_level level, const char *fmt, ...)
{
	struct ike_rate *r = &e->stranger_logs;
	uint32_t dropped = r->dropped;
	char line[512];
	va_list ap;

	if (!log_enabled(level) || !ike_rate_ok(e, r, 10))
		return;
	if (dropped) {
		log_msg(level, "(%u more lines about unauthenticated IKE messages left out)",
			dropped);
		r->dropped = 0;
	}
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	log_msg(level, "%s", line);
}

bool ike_sa_has_sibling(const struct ike_sa *sa)
{
	for (const struct ike_sa *o = sa->e->all; o; o = o->next_all)
		if (o != sa && !o->is_dead && addr_eq(&o->path.remote, &sa->path.remote))
			return true;
	return false;
}

void ike_sa_set_state(struct ike_sa *sa, enum ike_sa_state st)
{
	struct ike_engine *e = sa->e;

	if (sa->state == IKE_SA_HALF_OPEN)
		e->n_half_open--;
	if (sa->state == IKE_SA_ESTABLISHED)
		e->stats.established--;
	if (ike_sa_is_opening(sa) && st != sa->state)
		e->is_pace_due = true;
	sa->state = st;
	if (st == IKE_SA_HALF_OPEN) {
		e->n_half_open++;
		sa->half_open_until = ike_now(e) + e->s.half_open_timeout_ms;
	}
	if (st == IKE_SA_ESTABLISHED) {
		e->stats.established++;
		sa->established_ms = ike_now(e);
	}
	e->stats.half_open = e->n_half_open;
}

void ike_conn_failed(struct ike_conn *c)
{
	if (c->wants_up)
		c->retry_at = ike_now(c->e) + c->e->s.retry_initiate_ms;
}

/* clear, trap or restart (dpd_action and close_action alike). */
static void apply_action(struct ike_conn *c, enum conf_action a)
{
	c->wants_up = a == CONF_ACTION_RESTART;
	c->is_trapped = c->is_trapped || a == CONF_ACTION_TRAP;
	c->retry_at = a == CONF_ACTION_RESTART ? ike_now(c->e) : 0;
}

void ike_conn_dead(struct ike_conn *c)
{
	apply_action(c, c->c->child.dpd_action);
}

void ike_conn_closed(struct ike_conn *c)
{
	apply_action(c, c->c->child.close_action);
}

void ike_sa_kill(struct ike_sa *sa, const char *why)
{
	if (sa->is_dead)
		return;
	if (why)
		log_ctx_msg(&sa->log, LOG_LVL_INFO, "IKE SA %016llx_i %016llx_r removed: %s",
			    (unsigned long long)sa->spi_i, (unsigned long long)sa->spi_r, why);
	ike_child_remove(sa);
	if (sa->is_reauth)
		ike_reauth_failed(sa);
	ike_sa_set_state(sa, IKE_SA_NONE);
	sa->is_dead = true;
	if (sa->conn && sa->conn->sa == sa) {
		if (!sa->conn->retry_at)
			ike_conn_failed(sa->conn);
		sa->conn->sa = NULL;
		if (sa->e->ops.sa_event)
			sa->e->ops.sa_event(sa->e->ctx, sa->conn->user, false);
	}
}

static void unlink_sa(struct ike_sa **head, struct ike_sa *sa, size_t link_offset)
{
	for (struct ike_sa **pp = head; *pp;
	     pp = (struct ike_sa **)((char *)*pp + link_offset))
		if (*pp == sa) {
			*pp = *(struct ike_sa **)((char *)sa + link_offset);
			return;
		}
}

/* An established SA with no request of ours out keeps no cipher
 * contexts (1-2 KB each): the next message makes them again. */
static void idle_xforms(struct ike_sa *sa)
{
	if (sa->state != IKE_SA_ESTABLISHED || sa->req.exchange || (!sa->x_out && !sa->x_in))
		return;
	crypto_xform_free(sa->x_out);
	crypto_xform_free(sa->x_in);
	sa->x_out = sa->x_in = NULL;
}

void ike_engine_reap(struct ike_engine *e)
{
	struct ike_sa **pp = &e->all;

	if (e->is_pace_due)
		ike_pace_run(e);

	while (*pp) {
		struct ike_sa *sa = *pp;

		if (!sa->is_dead) {
			idle_xforms(sa);
			pp = &sa->next_all;
			continue;
		}
		*pp = sa->next_all;
		if (local_spi(sa))
			unlink_sa(&e->by_local[bucket(local_spi(sa))], sa,
				  offsetof(struct ike_sa, next_local));
		if (!sa->is_initiator && local_spi(sa))
			unlink_sa(&e->by_peer[bucket(sa->spi_i)], sa,
				  offsetof(struct ike_sa, next_peer));
		sa_free(sa);
	}
}

int ike_sa_derive(struct ike_sa *sa, const struct secret *shared)
{
	int err = ike_keys_derive(&sa->keys, &sa->chosen, shared, sa->ni, sa->ni_len,
				  sa->nr, sa->nr_len, sa->spi_i, sa->spi_r);

	if (!err)
		ike_sa_use_keys(sa);
	return err;
}

void ike_sa_use_keys(struct ike_sa *sa)
{
	crypto_xform_free(sa->x_out);
	crypto_xform_free(sa->x_in);
	sa->x_out = sa->x_in = NULL;
	if (sa->e->kl) {
		int kerr = keylog_ike_sa(sa->e->kl, sa->spi_i, sa->spi_r, sa->keys.sk_alg,
					 sa->keys.sk_i, sa->keys.sk_r, sa->keys.enc_len);

		if (kerr && kerr != IFS_ERR_UNSUPPORTED)
			log_warn("key log: cannot record IKE SA: %s", ifs_strerror(kerr));
	}
}

bool ike_sa_has_keys(const struct ike_sa *sa)
{
	return sa->keys.sk_i && sa->keys.sk_r;
}

struct crypto_xform *ike_sa_xform(struct ike_sa *sa, bool is_out)
{
	struct crypto_xform **x = is_out ? &sa->x_out : &sa->x_in;
	const struct secret *k = is_out == sa->is_initiator ? sa->keys.sk_i : sa->keys.sk_r;

	if (!*x && ike_sa_has_keys(sa) &&
	    crypto_xform_new(x, sa->keys.sk_alg, k->data, k->len, is_out) != 0)
		*x = NULL;
	return *x;
}

/* ---- timers ---- */

static uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

uint64_t ike_engine_next_timer(const struct ike_engine *e)
{
	uint64_t t = UINT64_MAX;

	for (const struct ike_sa *sa = e->all; sa; sa = sa->next_all) {
		if (sa->is_dead || sa->job)     /* its timers wait for the job */
			continue;
		if (sa->req.exchange)
			t = min_u64(t, sa->req.deadline);
		if (sa->state == IKE_SA_HALF_OPEN)
			t = min_u64(t, sa->half_open_until);
		if (sa->state == IKE_SA_ESTABLISHED && sa->child.rekey_at)
			t = min_u64(t, sa->child.rekey_at);
		if (sa->state == IKE_SA_ESTABLISHED && sa->rekey_at)
			t = min_u64(t, sa->rekey_at);
		if (sa->state == IKE_SA_ESTABLISHED && sa->reauth_at)
			t = min_u64(t, sa->reauth_at);
		if (sa->gone_at)
			t = min_u64(t, sa->gone_at);
		if (sa->out_at)
			t = min_u64(t, sa->out_at);
		t = min_u64(t, ike_dpd_due(sa));
		t = min_u64(t, ike_rekey_child_due(sa));
		t = min_u64(t, ike_life_due(sa));
	}
	for (const struct ike_conn *c = e->conns; c; c = c->next)
		if (c->retry_at)
			t = min_u64(t, c->retry_at);
	return t;
}

void ike_engine_run_timers(struct ike_engine *e)
{
	uint64_t now = ike_now(e);

	for (struct ike_sa *sa = e->all; sa; sa = sa->next_all) {
		if (sa->is_dead || sa->job)
			continue;
		if (sa->req.exchange && sa->req.deadline <= now)
			ike_retransmit_timer(sa, now);
		if (!sa->is_dead && sa->state == IKE_SA_HALF_OPEN && sa->half_open_until <= now)
			ike_sa_kill(sa, "half-open timeout: no IKE_AUTH arrived");
		if (!sa->is_dead)
			ike_rekey_child_timer(sa, now);
		if (!sa->is_dead && sa->state == IKE_SA_ESTABLISHED && sa->child.rekey_at &&
		    sa->child.rekey_at <= now)
			(void)!ike_rekey_child_start(sa);
		if (!sa->is_dead && sa->state == IKE_SA_ESTABLISHED && sa->rekey_at &&
		    sa->rekey_at <= now)
			(void)!ike_rekey_ike_start(sa);
		if (!sa->is_dead && sa->state == IKE_SA_ESTABLISHED && sa->reauth_at &&
		    sa->reauth_at <= now)
			(void)!ike_reauth_start(sa);
		if (!sa->is_dead && sa->gone_at && sa->gone_at <= now)
			ike_sa_kill(sa, "rekeyed, and the peer did not delete it");
		if (!sa->is_dead && sa->out_at && sa->out_at <= now)
			ike_reauth_out_now(sa);
		if (!sa->is_dead)
			ike_dpd_timer(sa, now);
		if (!sa->is_dead)
			ike_life_timer(sa, now);
	}
	for (struct ike_conn *c = e->conns; c; c = c->next)
		if (c->retry_at && c->retry_at <= now && !c->sa) {
			c->retry_at = 0;
			if (ike_init_start(c) != 0)
				c->retry_at = now + e->s.retry_initiate_ms;
		}
	ike_engine_reap(e);
}

void ike_engine_shutdown(struct ike_engine *e)
{
	for (struct ike_sa *sa = e->all; sa; sa = sa->next_all) {
		if (sa->is_dead)
			continue;
		if (sa->state == IKE_SA_ESTABLISHED)
			ike_delete_ike(sa);
		if (sa->conn)
			sa->conn->wants_up = false;
		ike_sa_kill(sa, "shutting down");
	}
	ike_engine_reap(e);
}

const struct ike_stats *ike_engine_stats(const struct ike_engine *e)
{
	return &e->stats;
}

int ike_engine_status(const struct ike_engine *e, void *user, struct ike_conn_status *out)
{
	struct ike_conn *c = conn_by_user(e, user);
	const struct ike_sa *sa;

	memset(out, 0, sizeof(*out));
	if (!c)
		return IFS_ERR_NOT_FOUND;
	sa = c->sa;
	if (!sa)
		return 0;
	out->state = sa->state;
	out->unique_id = sa->unique_id;
	out->child_unique_id = sa->child.unique_id;
	out->is_initiator = sa->is_initiator;
	out->spi_i = sa->spi_i;
	out->spi_r = sa->spi_r;
	out->path = sa->path;
	out->is_nat_local = sa->is_nat_local;
	out->is_nat_remote = sa->is_nat_remote;
	proposal_chosen_str(&sa->chosen, out->ike_proposal, sizeof(out->ike_proposal));
	ike_id_str(sa->peer_id.type, sa->peer_id.data, sa->peer_id.len, out->peer_id,
		   sizeof(out->peer_id));
	out->established_ms = sa->established_ms;
	out->rekey_at_ms = sa->rekey_at;
	out->reauth_at_ms = sa->reauth_at;
	out->child_installed_ms = sa->child.installed_ms;
	out->child_rekey_at_ms = sa->child.rekey_at;
	ike_id_str(c->local_id.type, c->local_id.data, c->local_id.len, out->local_id,
		   sizeof(out->local_id));
	out->ike = sa->chosen;
	out->esp = sa->child.chosen;
	out->n_ts_local = sa->ts ? sa->ts->n_local : 0;
	out->n_ts_remote = sa->ts ? sa->ts->n_remote : 0;
	for (size_t i = 0; i < 4 && i < out->n_ts_local; i++)
		ts_str(&ts_set_local(sa->ts)[i], out->ts_local[i], sizeof(out->ts_local[i]));
	for (size_t i = 0; i < 4 && i < out->n_ts_remote; i++)
		ts_str(&ts_set_remote(sa->ts)[i], out->ts_remote[i], sizeof(out->ts_remote[i]));
	out->has_child = sa->child.is_installed;
	out->child_spi_in = sa->child.spi_in;
	out->child_spi_out = sa->child.spi_out;
	proposal_chosen_str(&sa->child.chosen, out->esp_proposal, sizeof(out->esp_proposal));
	out->is_rekeying = sa->req.kind == IKE_REQ_REKEY_IKE;
	out->is_child_rekeying = sa->req.kind == IKE_REQ_REKEY_CHILD;
	out->has_old_child = sa->old_child != NULL;
	if (sa->old_child) {
		out->is_old_child_deleting = sa->req.kind == IKE_REQ_DELETE_CHILD;
		out->old_child_unique_id = sa->old_child->unique_id;
		out->old_child_spi_in = sa->old_child->spi_in;
		out->old_child_spi_out = sa->old_child->spi_out;
		out->old_esp = sa->old_child->chosen;
	}
	return 0;
}
