/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Dead peer detection (RFC 7296 §2.4): when dpd_delay passes without an
 * authenticated IKE message or ESP from the peer, an empty INFORMATIONAL
 * asks whether it is there. It is retransmitted as any request; without
 * an answer within dpd_timeout (when set) or the retransmission budget,
 * the SAs go and dpd_action decides what follows.
 */
#include "ike/ike_int.h"

static uint64_t max_u64(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

uint64_t ike_dpd_due(const struct ike_sa *sa)
{
	const struct ike_engine *e = sa->e;
	uint64_t delay, last;

	if (sa->is_dead || sa->state != IKE_SA_ESTABLISHED || !sa->conn ||
	    sa->conn->sa != sa || !sa->conn->c->dpd_delay)
		return UINT64_MAX;
	if (sa->dpd_sent_ms)
		return sa->conn->c->dpd_timeout ?
		       sa->dpd_sent_ms + (uint64_t)sa->conn->c->dpd_timeout * 1000 : UINT64_MAX;
	if (sa->req.exchange)
		return UINT64_MAX;     /* a request is out: its answer is the news */
	delay = (uint64_t)sa->conn->c->dpd_delay * 1000;
	last = max_u64(sa->last_rx_ms, sa->established_ms);
	if (e->ops.last_esp_in_ms)
		last = max_u64(last, e->ops.last_esp_in_ms(e->ctx, sa->conn->user));
	return last + delay;
}

void ike_dpd_timer(struct ike_sa *sa, uint64_t now)
{
	uint64_t due = ike_dpd_due(sa);

	if (due > now)
		return;
	if (sa->dpd_sent_ms) {
		log_ctx_msg(&sa->log, LOG_LVL_WARN, "DPD: no answer within %u s (dpd_timeout)",
			    sa->conn->c->dpd_timeout);
		ike_conn_dead(sa->conn);
		ike_sa_kill(sa, "the peer is dead");
		return;
	}
	log_ctx_msg(&sa->log, LOG_LVL_INFO, "DPD: nothing from the peer for %u s, asking",
		    sa->conn->c->dpd_delay);
	sa->dpd_sent_ms = now;
	ike_send_liveness(sa);
}
