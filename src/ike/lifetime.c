/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The limits of an SA's life (RFC 7296 §2.8; swanctl.conf's rekey_*,
 * life_*, rand_* and over_time):
 *
 *   Child SA  soft: rekey_bytes, rekey_packets (each less a random part
 *                   up to rand_*, drawn once per Child SA), 2^29 outbound
 *                   sequence numbers before the last  -> rekey
 *                   (rekey_time is create_child.c's timer)
 *             hard: life_time since install, life_bytes, life_packets,
 *                   the last sequence number used     -> delete
 *   IKE SA    hard: not renewed by its rekey (or reauth_time) plus
 *                   over_time                          -> delete
 *
 * Bytes and packets count per SA and direction, as the kernel's SAs under
 * strongSwan do: the inbound SA's count or the outbound SA's reaching a
 * limit is enough. The counters are the connection's (ops->esp_usage);
 * each Child SA takes them as they were when its direction went in. An
 * old inbound SA still taking what was in flight after a rekey counts
 * toward its successor: early, never late.
 *
 * A connection carries one Child SA, and ifsec makes no Child SA on an
 * IKE SA that has lost its own. So where strongSwan deletes a Child SA
 * that reached a hard limit and creates a new one on the same IKE SA,
 * ifsec deletes the IKE SA with it (the peer removes both and applies
 * its close_action) and initiates a new IKE SA at once, unless the
 * connection only responds (remote_addrs = %any). What was up comes back
 * whichever end reached the limit first, without waiting for the peer's
 * close_action. If that initiation fails, a connection that wants to be
 * up (start_action = start, or brought up by an initiate command or a
 * packet into a trap) retries as after any failure, a trap is set off
 * again by the next packet, and any other stays down.
 *
 * No work per packet: the counters are looked at when, at the highest
 * rates this data plane reaches, the nearest limit could be near, and
 * then every LIFE_CHECK_MIN_MS. A soft limit starts the rekey at the
 * last look before it is crossed: when the counters, growing as fast as
 * since the last look, would reach it before the look after next (the
 * next interval, and as long again for the exchange). At high rates a
 * soft limit noticed only once crossed could leave the rekey no time
 * before the hard limit, which is only 10 % further by default.
 */
#include "ike/ike_int.h"

#include <stdio.h>

/*
 * Sequence numbers. Without ESN an outbound SA has 2^32 - 1 of them and
 * must never wrap (RFC 4303 §3.3.3): the data plane sends nothing past
 * the last and counts the drop. The rekey starts when 2^29 are left
 * (1/8 of the space). It must get through the worst the retransmission
 * schedule allows: with the default timers (4 s * 1.8^n, 5 tries) a
 * request is given up after 165 s, and a refused rekey is tried again
 * after 10 to 15 s. At LIFE_MAX_PPS (2^21 a second, far above what one
 * user-space worker sends: 1 Gbit/s of 1400-byte packets is 90 000) 2^29
 * numbers last 256 s: one whole retransmission budget and several
 * retries. Should they still run out, the SA can send nothing and is
 * deleted as at any hard limit. With ESN the same rule applies to
 * 2^64 - 1, which no SA reaches.
 */
#define LIFE_SEQ_MARGIN (UINT64_C(1) << 29)
#define LIFE_MAX_PPS (UINT64_C(1) << 21)     /* packets a second, either direction */
#define LIFE_MAX_BPS (UINT64_C(1) << 30)     /* bytes a second (8.6 Gbit/s) */
#define LIFE_CHECK_MIN_MS 10
#define LIFE_CHECK_MAX_MS 60000

static uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

static uint64_t max_u64(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

/* a - b for counters that only grow (0 should the daemon's restart). */
static uint64_t since(uint64_t a, uint64_t b)
{
	return a > b ? a - b : 0;
}

/* The connection's established IKE SA (not one rekeyed away). */
static bool is_current(const struct ike_sa *sa)
{
	return !sa->is_dead && sa->state == IKE_SA_ESTABLISHED && sa->conn &&
	       sa->conn->sa == sa;
}

static uint64_t random_below_or_at(uint64_t max)
{
	uint64_t r = 0;

	if (max == 0 || crypto_random(&r, sizeof(r)) != 0)
		return 0;
	return max == UINT64_MAX ? r : r % (max + 1);
}

/* A soft limit less its random part, at least 1 (0 means none). */
static uint64_t soft_limit(uint64_t rekey, uint64_t rand)
{
	uint64_t v;

	if (!rekey)
		return 0;
	v = rekey - random_below_or_at(min_u64(rand, rekey));
	return v ? v : 1;
}

static uint64_t last_seq(const struct child_sa *ch)
{
	return ch->chosen.esn == IKE_ESN_YES ? UINT64_MAX : UINT32_MAX;
}

/* What ch's directions carried since they went in. */
static void usage(const struct ike_sa *sa, const struct child_sa *ch, struct ike_esp_usage *u)
{
	struct ike_esp_usage now = { 0 };

	sa->e->ops.esp_usage(sa->e->ctx, sa->conn->user, &now);
	*u = (struct ike_esp_usage){
		.bytes_in = since(now.bytes_in, ch->base.bytes_in),
		.packets_in = since(now.packets_in, ch->base.packets_in),
	};
	if (ch->is_out_pending)
		return;
	u->bytes_out = since(now.bytes_out, ch->base.bytes_out);
	u->packets_out = since(now.packets_out, ch->base.packets_out);
	u->seq_out = since(now.seq_out, ch->base.seq_out);
}

/* How long traffic at the highest rates needs to go from used to limit
 * (no time when it is there; limit 0: no limit). */
static uint64_t ms_to(uint64_t limit, uint64_t used, uint64_t per_s, uint64_t ms)
{
	if (!limit)
		return ms;
	return min_u64(ms, since(limit, used) / (per_s / 1000));
}

/* When to look at the counters again, from how far the limits still
 * armed are. */
static uint64_t next_check(const struct ike_sa *sa, const struct child_sa *ch,
			   const struct ike_esp_usage *u, uint64_t now)
{
	const struct conf_child *cf = &sa->conn->c->child;
	uint64_t bytes = max_u64(u->bytes_in, u->bytes_out);
	uint64_t packets = max_u64(u->packets_in, u->packets_out);
	uint64_t ms = LIFE_CHECK_MAX_MS;

	if (!ch->is_soft_done) {
		ms = ms_to(ch->soft_bytes, bytes, LIFE_MAX_BPS, ms);
		ms = ms_to(ch->soft_packets, packets, LIFE_MAX_PPS, ms);
		ms = ms_to(last_seq(ch) - LIFE_SEQ_MARGIN, u->seq_out, LIFE_MAX_PPS, ms);
	}
	ms = ms_to(cf->life_bytes, bytes, LIFE_MAX_BPS, ms);
	ms = ms_to(cf->life_packets, packets, LIFE_MAX_PPS, ms);
	ms = ms_to(last_seq(ch), u->seq_out, LIFE_MAX_PPS, ms);
	return now + max_u64(ms, LIFE_CHECK_MIN_MS);
}

void ike_life_child_up(struct ike_sa *sa, struct child_sa *ch, bool has_in, bool has_out)
{
	const struct conf_child *cf = &sa->conn->c->child;
	struct ike_engine *e = sa->e;
	struct ike_esp_usage now = { 0 }, none = { 0 };

	if (e->ops.esp_usage)
		e->ops.esp_usage(e->ctx, sa->conn->user, &now);
	if (has_in) {
		ch->base.bytes_in = now.bytes_in;
		ch->base.packets_in = now.packets_in;
		ch->soft_bytes = soft_limit(cf->rekey_bytes, cf->rand_bytes);
		ch->soft_packets = soft_limit(cf->rekey_packets, cf->rand_packets);
		ch->is_soft_done = false;
		ch->last_seen_ms = 0;
	}
	if (has_out) {
		ch->base.bytes_out = now.bytes_out;
		ch->base.packets_out = now.packets_out;
		ch->base.seq_out = now.seq_out;
	}
	if (e->ops.esp_usage && (has_in || !ch->life_check_at))
		ch->life_check_at = next_check(sa, ch, &none, ike_now(e));
}

void ike_life_ike_up(struct ike_sa *sa)
{
	const struct conf_ike *ci = sa->conn->c;
	uint64_t renew;

	sa->rekey_at = ike_rekey_ike_at(sa);
	renew = sa->rekey_at;
	/* over_time counts from the first renewal, rekey or reauthentication
	 * (strongSwan's ike_sa.c does the same). */
	if (sa->reauth_at)
		renew = renew ? min_u64(renew, sa->reauth_at) : sa->reauth_at;
	sa->expire_at = renew ? renew + (uint64_t)ci->over_time * 1000 : 0;
}

uint64_t ike_life_due(const struct ike_sa *sa)
{
	const struct child_sa *ch = &sa->child;
	uint64_t t = UINT64_MAX;

	if (!is_current(sa))
		return t;
	if (sa->expire_at)
		t = sa->expire_at;
	if (!ch->is_installed)
		return t;
	if (sa->conn->c->child.life_time)
		t = min_u64(t, ch->installed_ms + (uint64_t)sa->conn->c->child.life_time * 1000);
	if (ch->life_check_at)
		t = min_u64(t, ch->life_check_at);
	return t;
}

/* A hard limit: the IKE SA goes with its Child SA, and a new one is
 * initiated unless the connection only responds (see the top). */
static void expire(struct ike_sa *sa, const char *why)
{
	struct ike_conn *c = sa->conn;
	struct ike_engine *e = sa->e;
	bool can_initiate = !c->c->is_remote_any;

	log_ctx_msg(&sa->log, LOG_LVL_WARN, "%s: deleting the IKE SA%s", why,
		    can_initiate ? " and initiating a new one" : "");
	ike_delete_ike(sa);
	if (!can_initiate)
		return;
	/* The old SA finishes its delete on its own, as after a terminate
	 * followed by an initiate. */
	if (c->sa == sa)
		c->sa = NULL;
	if (c->sa)
		return;
	c->retry_at = 0;
	if (ike_init_start(c) != 0 && c->wants_up && !c->sa)
		c->retry_at = ike_now(e) + e->s.retry_initiate_ms;
}

/* The hard limits of the Child SA's volume; the reason, or NULL. */
static const char *volume_hard(const struct ike_sa *sa, const struct ike_esp_usage *u,
			       char *why, size_t len)
{
	const struct conf_child *cf = &sa->conn->c->child;
	const struct child_sa *ch = &sa->child;

	if (cf->life_bytes && max_u64(u->bytes_in, u->bytes_out) >= cf->life_bytes)
		snprintf(why, len, "CHILD SA %08x_i %08x_o reached life_bytes (%llu bytes in, "
			 "%llu out)", ch->spi_in, ch->spi_out, (unsigned long long)u->bytes_in,
			 (unsigned long long)u->bytes_out);
	else if (cf->life_packets && max_u64(u->packets_in, u->packets_out) >= cf->life_packets)
		snprintf(why, len, "CHILD SA %08x_i %08x_o reached life_packets (%llu packets "
			 "in, %llu out)", ch->spi_in, ch->spi_out,
			 (unsigned long long)u->packets_in, (unsigned long long)u->packets_out);
	else if (u->seq_out >= last_seq(ch))
		snprintf(why, len, "CHILD SA %08x_o used up its sequence numbers", ch->spi_out);
	else
		return NULL;
	return why;
}

/* Where the volume counters will be two intervals from now if they grow
 * as they did since the last look. */
static struct ike_esp_usage ahead_of(const struct child_sa *ch, const struct ike_esp_usage *u)
{
	struct ike_esp_usage a = *u;

	if (!ch->last_seen_ms)
		return a;
	a.bytes_in += 2 * since(u->bytes_in, ch->last_seen.bytes_in);
	a.bytes_out += 2 * since(u->bytes_out, ch->last_seen.bytes_out);
	a.packets_in += 2 * since(u->packets_in, ch->last_seen.packets_in);
	a.packets_out += 2 * since(u->packets_out, ch->last_seen.packets_out);
	return a;
}

/* The soft limits, reached now or by ahead (ahead_of); the reason, or
 * NULL. */
static const char *volume_soft(const struct child_sa *ch, const struct ike_esp_usage *u,
			       const struct ike_esp_usage *ahead, char *why, size_t len)
{
	if (ch->soft_bytes && max_u64(ahead->bytes_in, ahead->bytes_out) >= ch->soft_bytes)
		snprintf(why, len, "%llu bytes in, %llu out (rekey_bytes less its random part: "
			 "%llu%s)", (unsigned long long)u->bytes_in,
			 (unsigned long long)u->bytes_out, (unsigned long long)ch->soft_bytes,
			 max_u64(u->bytes_in, u->bytes_out) < ch->soft_bytes ?
			 ", reached before the next look at this rate" : "");
	else if (ch->soft_packets &&
		 max_u64(ahead->packets_in, ahead->packets_out) >= ch->soft_packets)
		snprintf(why, len, "%llu packets in, %llu out (rekey_packets less its random "
			 "part: %llu%s)", (unsigned long long)u->packets_in,
			 (unsigned long long)u->packets_out, (unsigned long long)ch->soft_packets,
			 max_u64(u->packets_in, u->packets_out) < ch->soft_packets ?
			 ", reached before the next look at this rate" : "");
	else if (u->seq_out >= last_seq(ch) - LIFE_SEQ_MARGIN)
		snprintf(why, len, "%llu outbound sequence numbers used of %llu",
			 (unsigned long long)u->seq_out, (unsigned long long)last_seq(ch));
	else
		return NULL;
	return why;
}

/* The counters: a hard limit deletes, a soft one starts the rekey once
 * (a refused rekey is retried by create_child.c's timer). */
static void check_volume(struct ike_sa *sa, uint64_t now)
{
	struct child_sa *ch = &sa->child;
	struct ike_esp_usage u, ahead;
	char why[256];

	usage(sa, ch, &u);
	if (volume_hard(sa, &u, why, sizeof(why))) {
		expire(sa, why);
		return;
	}
	ahead = ahead_of(ch, &u);
	ch->last_seen = u;
	ch->last_seen_ms = now;
	if (!ch->is_soft_done && volume_soft(ch, &u, &ahead, why, sizeof(why))) {
		ch->is_soft_done = true;
		log_ctx_msg(&sa->log, LOG_LVL_INFO, "CHILD SA %08x_i %08x_o: %s: rekeying",
			    ch->spi_in, ch->spi_out, why);
		if (sa->req.kind != IKE_REQ_REKEY_CHILD)
			(void)!ike_rekey_child_start(sa);
		if (sa->is_dead)
			return;
	}
	ch->life_check_at = next_check(sa, ch, &u, now);
}

void ike_life_timer(struct ike_sa *sa, uint64_t now)
{
	const struct conf_child *cf;
	struct child_sa *ch = &sa->child;
	char why[160];

	if (!is_current(sa))
		return;
	cf = &sa->conn->c->child;
	if (sa->expire_at && sa->expire_at <= now) {
		snprintf(why, sizeof(why), "the IKE SA was not renewed within over_time (%u s)",
			 sa->conn->c->over_time);
		expire(sa, why);
		return;
	}
	if (!ch->is_installed)
		return;
	if (cf->life_time && ch->installed_ms + (uint64_t)cf->life_time * 1000 <= now) {
		snprintf(why, sizeof(why), "CHILD SA %08x_i %08x_o reached life_time (%u s)",
			 ch->spi_in, ch->spi_out, cf->life_time);
		expire(sa, why);
		return;
	}
	if (ch->life_check_at && ch->life_check_at <= now && sa->e->ops.esp_usage)
		check_volume(sa, now);
}
