/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Sending: requests with retransmission (RFC 7296 §2.1: only the
 * requester retransmits, with exponential backoff), responses kept for
 * retransmitted requests (§2.1, answered byte for byte), encryption of a
 * payload chain into an SK message, and the stateless notify answers to
 * IKE_SA_INIT.
 */
#include "ike/ike_int.h"

#include <stdlib.h>
#include <string.h>

#include "ike/sk.h"

#define IKE_INIT_REPLIES_PER_S 100

void ike_send_raw(struct ike_sa *sa, const uint8_t *msg, size_t len)
{
	sa->e->stats.tx++;
	sa->e->ops.send(sa->e->ctx, &sa->path, msg, len);
}

/* retransmit_timeout * retransmit_base^tries (strongSwan's schedule) */
static uint64_t backoff_ms(const struct ike_settings *s, uint32_t tries)
{
	double t = s->retransmit_timeout_ms;

	for (uint32_t i = 0; i < tries; i++)
		t *= s->retransmit_base;
	return (uint64_t)t;
}

/* A message kept for retransmission, in its own size rather than the
 * IKE_MAX_MSG it was built in (an SA keeps its last response: 10 KB for
 * each of a thousand SAs otherwise). */
static uint8_t *fitted(uint8_t *msg, size_t len)
{
	uint8_t *p = len ? realloc(msg, len) : NULL;

	return p ? p : msg;
}

uint8_t *ike_msg_copy(const uint8_t *msg, size_t len)
{
	uint8_t *p = malloc(len);

	if (p)
		memcpy(p, msg, len);
	return p;
}

void ike_send_request(struct ike_sa *sa, int kind, uint8_t exchange, uint8_t *msg, size_t len)
{
	msg = fitted(msg, len);
	free(sa->req.msg);
	sa->req = (struct ike_request){
		.exchange = exchange, .msg_id = sa->next_req_id, .msg = msg, .len = len,
		.kind = kind, .deadline = ike_now(sa->e) + backoff_ms(&sa->e->s, 0),
	};
	ike_send_raw(sa, msg, len);
}

void ike_request_drop(struct ike_sa *sa)
{
	free(sa->req.msg);
	memset(&sa->req, 0, sizeof(sa->req));
}

void ike_request_done(struct ike_sa *sa)
{
	ike_request_drop(sa);
	sa->next_req_id++;
}

void ike_retransmit_timer(struct ike_sa *sa, uint64_t now)
{
	struct ike_request *r = &sa->req;

	if (r->tries >= sa->e->s.retransmit_tries) {
		if (sa->conn && sa->conn->sa == sa && sa->state == IKE_SA_ESTABLISHED)
			ike_conn_dead(sa->conn);
		ike_sa_kill(sa, sa->refused ? "the peer refused and sent nothing else "
				"(retransmissions exhausted)" :
				"the peer did not answer (retransmissions exhausted)");
		return;
	}
	r->tries++;
	r->deadline = now + backoff_ms(&sa->e->s, r->tries);
	log_ctx_msg(&sa->log, LOG_LVL_INFO, "retransmit %u of request %u", r->tries, r->msg_id);
	sa->e->stats.tx_retransmits++;
	ike_send_raw(sa, r->msg, r->len);
}

void ike_req_hash(const uint8_t *msg, size_t len, uint8_t out[CRYPTO_SHA256_LEN])
{
	struct crypto_iov in = { msg, len };

	if (crypto_sha256(&in, 1, out) != 0)
		memset(out, 0, CRYPTO_SHA256_LEN);
}

void ike_send_response(struct ike_sa *sa, uint8_t *msg, size_t len)
{
	msg = fitted(msg, len);
	free(sa->resp);
	sa->resp = msg;
	sa->resp_len = len;
	sa->has_resp = true;
	memcpy(sa->resp_req_hash, sa->cur_req_hash, sizeof(sa->resp_req_hash));
	sa->peer_next_id++;
	ike_send_raw(sa, msg, len);
}

int ike_sk_message(struct ike_sa *sa, uint8_t exchange, bool is_response, uint32_t msg_id,
		   struct ike_builder *chain, uint8_t **out, size_t *out_len)
{
	struct ike_hdr h = {
		.spi_i = sa->spi_i, .spi_r = sa->spi_r, .version = IKE_VERSION_2,
		.exchange = exchange, .msg_id = msg_id,
		.flags = (uint8_t)((sa->is_initiator ? IKE_FLAG_INITIATOR : 0) |
				   (is_response ? IKE_FLAG_RESPONSE : 0)),
	};
	size_t chain_len = ike_build_finish(chain);
	struct crypto_xform *x_out;
	uint8_t *buf;

	*out = NULL;
	*out_len = 0;
	if (chain_len == 0 && !ike_build_ok(chain))
		return IFS_ERR_RANGE;
	x_out = ike_sa_xform(sa, true);
	if (!x_out)
		return IFS_ERR_CRYPTO;
	buf = malloc(IKE_MAX_MSG);
	if (!buf)
		return IFS_ERR_NOMEM;
	*out_len = ike_sk_protect(x_out, sa->iv_counter++, &h, chain->w.p, chain_len,
				  chain->first_type, buf, IKE_MAX_MSG);
	if (*out_len == 0) {
		free(buf);
		return IFS_ERR_RANGE;
	}
	*out = buf;
	return 0;
}

void ike_send_init_notify(struct ike_engine *e, const struct ike_path *p,
			  const struct ike_hdr *req, uint16_t type,
			  const uint8_t *data, size_t len)
{
	struct ike_hdr h = {
		.spi_i = req->spi_i, .spi_r = 0, .version = IKE_VERSION_2,
		.exchange = IKE_SA_INIT, .flags = IKE_FLAG_RESPONSE, .msg_id = 0,
	};
	uint8_t buf[512];
	struct ike_builder b;
	size_t n;

	/* Cookies are the answer to floods and go out unlimited; errors to
	 * strangers are bounded so that a flood is not reflected. */
	if (type != IKE_N_COOKIE && !ike_rate_ok(e, &e->init_replies, IKE_INIT_REPLIES_PER_S))
		return;
	ike_build_begin(&b, buf, sizeof(buf), &h);
	ike_build_notify(&b, 0, NULL, 0, type, data, len);
	n = ike_build_finish(&b);
	if (n == 0)
		return;
	e->stats.tx++;
	e->ops.send(e->ctx, p, buf, n);
}

void ike_respond_notify(struct ike_sa *sa, uint8_t exchange, uint32_t msg_id, uint16_t type,
			const uint8_t *data, size_t len)
{
	uint8_t chain_buf[512];
	struct ike_builder b;
	uint8_t *msg;
	size_t msg_len;

	ike_build_begin_chain(&b, chain_buf, sizeof(chain_buf));
	ike_build_notify(&b, 0, NULL, 0, type, data, len);
	if (ike_sk_message(sa, exchange, true, msg_id, &b, &msg, &msg_len) == 0)
		ike_send_response(sa, msg, msg_len);
}
