/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * From a datagram to an exchange handler (STYLE.md §2): header checks,
 * the IKE_SA_INIT path (no state before the DoS gate), SA lookup, the
 * message ID window with retransmitted requests answered from the cache,
 * SK integrity and decryption, then the handler of the exchange.
 */
#include "ike/ike_int.h"

#include <stdlib.h>
#include <string.h>

#include "ike/sk.h"

#define UNPROTECTED_REPLIES_PER_S 10

static void drop(struct ike_engine *e, uint64_t *counter, const char *why)
{
	e->stats.rx_dropped++;
	if (counter)
		(*counter)++;
	log_debug("IKE message dropped: %s", why);
}

/* §2.5: a higher major version gets INVALID_MAJOR_VERSION with ours. */
static void bad_version(struct ike_engine *e, const struct ike_path *p, const struct ike_hdr *h)
{
	struct ike_hdr r = *h;
	uint8_t buf[64], v = IKE_VERSION_2;
	struct ike_builder b;
	size_t n;

	if (IKE_MAJOR(h->version) < 2) {
		drop(e, NULL, "IKEv1 is not supported");
		return;
	}
	drop(e, NULL, "unsupported major version");
	if ((h->flags & IKE_FLAG_RESPONSE) || !ike_rate_ok(e, &e->version_replies, UNPROTECTED_REPLIES_PER_S))
		return;
	r.version = IKE_VERSION_2;
	r.flags = IKE_FLAG_RESPONSE | (h->flags & IKE_FLAG_INITIATOR ? 0 : IKE_FLAG_INITIATOR);
	ike_build_begin(&b, buf, sizeof(buf), &r);
	ike_build_notify(&b, 0, NULL, 0, IKE_N_INVALID_MAJOR_VERSION, &v, 1);
	n = ike_build_finish(&b);
	if (n) {
		e->stats.tx++;
		e->ops.send(e->ctx, p, buf, n);
	}
}

static void init_request(struct ike_engine *e, const struct ike_path *p,
			 const struct ike_hdr *h, uint8_t *msg, size_t len)
{
	struct ike_sa *sa;
	uint8_t hash[CRYPTO_SHA256_LEN];

	if (h->spi_i == 0 || h->spi_r != 0 || h->msg_id != 0 ||
	    !(h->flags & IKE_FLAG_INITIATOR)) {
		drop(e, &e->stats.rx_bad_syntax, "IKE_SA_INIT with bad SPIs, ID or flags");
		return;
	}
	sa = ike_sa_by_peer(e, h->spi_i, p);
	if (sa) {
		ike_req_hash(msg, len, hash);
		if (sa->state == IKE_SA_HALF_OPEN && sa->has_resp &&
		    crypto_mem_equal(hash, sa->resp_req_hash, sizeof(hash))) {
			e->stats.rx_retransmits++;
			ike_send_raw(sa, sa->resp, sa->resp_len);
		} else {
			drop(e, NULL, "IKE_SA_INIT for an SA that exists");
		}
		return;
	}
	ike_init_request(e, p, h, msg, len);
}

/* Is the SA in a state where the peer may ask this? (RELIABILITY.md
 * §2 rows 22-23: nothing before IKE_AUTH but IKE_AUTH.) */
static bool request_allowed(const struct ike_sa *sa, uint8_t exchange)
{
	switch (exchange) {
	case IKE_AUTH:
		return sa->state == IKE_SA_HALF_OPEN;
	case IKE_INFORMATIONAL:
	case IKE_CREATE_CHILD_SA:
		return sa->state == IKE_SA_ESTABLISHED || sa->state == IKE_SA_DELETING;
	default:
		return false;
	}
}

static bool is_retransmit(struct ike_sa *sa, const struct ike_hdr *h, const uint8_t *msg,
			  size_t len)
{
	uint8_t hash[CRYPTO_SHA256_LEN];

	if (!sa->has_resp || h->msg_id + 1 != sa->peer_next_id)
		return false;
	ike_req_hash(msg, len, hash);
	if (!crypto_mem_equal(hash, sa->resp_req_hash, sizeof(hash)))
		return false;
	sa->e->stats.rx_retransmits++;
	ike_send_raw(sa, sa->resp, sa->resp_len);
	return true;
}

/* Verify and decrypt; false (counted) when the message is to be dropped.
 * A malformed inner chain of a request is answered (INVALID_SYNTAX or
 * UNSUPPORTED_CRITICAL_PAYLOAD) once the message is authentic. */
static bool unprotect(struct ike_sa *sa, const struct ike_hdr *h, uint8_t *msg, size_t len,
		      struct ike_chain *inner)
{
	struct ike_engine *e = sa->e;
	struct ike_chain outer;
	enum ike_chain_err ce;
	uint8_t bad = 0;
	int err;

	struct crypto_xform *x_in = ike_sa_xform(sa, false);

	if (!x_in || ike_msg_chain(h, msg, len, &outer, &bad) != IKE_CHAIN_OK ||
	    outer.n == 0 || outer.v[outer.n - 1].type != IKE_PL_SK) {
		drop(e, &e->stats.rx_bad_syntax, "no SK payload");
		return false;
	}
	err = ike_sk_unprotect(x_in, msg, len, &outer, inner, &ce, &bad);
	if (err == IFS_ERR_INTEGRITY || (err && ce == IKE_CHAIN_OK)) {
		drop(e, &e->stats.rx_integrity, "SK payload does not verify");
		return false;
	}
	if (err) {
		bool is_request = !(h->flags & IKE_FLAG_RESPONSE);

		drop(e, &e->stats.rx_bad_syntax, "malformed payloads inside SK");
		if (is_request && ce == IKE_CHAIN_CRITICAL)
			ike_respond_notify(sa, h->exchange, h->msg_id,
					   IKE_N_UNSUPPORTED_CRITICAL_PAYLOAD, &bad, 1);
		else if (is_request)
			ike_respond_notify(sa, h->exchange, h->msg_id, IKE_N_INVALID_SYNTAX, NULL, 0);
		if (is_request && h->exchange == IKE_AUTH)
			ike_sa_kill(sa, "malformed IKE_AUTH request");
		return false;
	}
	return true;
}

/* An authenticated message from another address or port: the peer moved
 * to port 4500 (§2.23) or its NAT mapping changed. Follow it, and once
 * the SAs run in UDP, send ESP there too: §2.23 says all packets, and a
 * peer that sends only IKE (a liveness check, a rekey) would otherwise
 * never receive our ESP again. */
static void follow_path(struct ike_sa *sa, const struct ike_path *p)
{
	struct ike_engine *e = sa->e;

	if (addr_eq(&sa->path.local, &p->local) && addr_eq(&sa->path.remote, &p->remote) &&
	    sa->path.local_port == p->local_port && sa->path.remote_port == p->remote_port)
		return;
	log_ctx_msg(&sa->log, LOG_LVL_INFO, "peer now at port %u (ours %u)",
		    p->remote_port, p->local_port);
	sa->path = *p;
	if (e->ops.peer_moved && sa->state == IKE_SA_ESTABLISHED && sa->conn &&
	    sa->conn->sa == sa && p->local_port != IKE_PORT)
		e->ops.peer_moved(e->ctx, sa->conn->user, p, sa->is_nat_local);
}

/* A copy of a CREATE_CHILD_SA message before it is decrypted in place,
 * in case its key exchange goes to a job (ike_ke_later) and the message
 * is handled again; none while it is handled again (sa->pre). */
static uint8_t *raw_copy(const struct ike_sa *sa, const struct ike_hdr *h, const uint8_t *msg,
			 size_t len)
{
	if (h->exchange != IKE_CREATE_CHILD_SA || !sa->e->ops.offload || sa->pre)
		return NULL;
	return ike_msg_copy(msg, len);
}

/* The key pair our CREATE_CHILD_SA request offered (a response's KE
 * payload is computed with it). */
static struct crypto_ke **request_ke(struct ike_sa *sa)
{
	if (sa->req.kind == IKE_REQ_REKEY_IKE)
		return sa->ike_rekey ? &sa->ike_rekey->ke : NULL;
	return sa->req.kind == IKE_REQ_REKEY_CHILD && sa->rekey ? &sa->rekey->ke : NULL;
}

static void request(struct ike_sa *sa, const struct ike_path *p, const struct ike_hdr *h,
		    uint8_t *msg, size_t len)
{
	struct ike_engine *e = sa->e;
	struct ike_chain inner;
	uint8_t *raw;

	if (is_retransmit(sa, h, msg, len))
		return;
	if (h->msg_id != sa->peer_next_id) {
		drop(e, NULL, "request outside the window");
		return;
	}
	if (!request_allowed(sa, h->exchange)) {
		drop(e, NULL, "request not allowed in this state");
		return;
	}
	ike_req_hash(msg, len, sa->cur_req_hash);
	raw = raw_copy(sa, h, msg, len);
	if (!unprotect(sa, h, msg, len, &inner)) {
		free(raw);
		return;
	}
	sa->last_rx_ms = ike_now(sa->e);
	follow_path(sa, p);
	if (raw && ike_ke_later(sa, p, &inner, raw, len, NULL))
		return;
	free(raw);
	switch (h->exchange) {
	case IKE_AUTH:
		ike_auth_request(sa, h, &inner);
		break;
	case IKE_INFORMATIONAL:
		ike_info_request(sa, h, &inner);
		break;
	case IKE_CREATE_CHILD_SA:
		ike_create_child_request(sa, h, &inner);
		break;
	}
}

static void response(struct ike_sa *sa, const struct ike_path *p, const struct ike_hdr *h,
		     uint8_t *msg, size_t len)
{
	struct ike_engine *e = sa->e;
	struct ike_chain inner;
	struct crypto_ke **ours;
	uint8_t *raw;

	if (!sa->req.exchange || h->msg_id != sa->req.msg_id || h->exchange != sa->req.exchange) {
		drop(e, NULL, "a response to no request of ours");
		return;
	}
	if (h->exchange == IKE_SA_INIT) {
		ike_init_response(sa, h, msg, len);
		return;
	}
	if (h->spi_r != sa->spi_r)
		return;
	raw = raw_copy(sa, h, msg, len);
	if (!unprotect(sa, h, msg, len, &inner)) {
		free(raw);
		return;
	}
	sa->last_rx_ms = ike_now(sa->e);
	follow_path(sa, p);
	ours = request_ke(sa);
	if (raw && ours && ike_ke_later(sa, p, &inner, raw, len, ours))
		return;
	free(raw);
	switch (h->exchange) {
	case IKE_AUTH:
		ike_auth_response(sa, h, &inner);
		break;
	case IKE_INFORMATIONAL:
		ike_info_response(sa, h, &inner);
		break;
	case IKE_CREATE_CHILD_SA:
		ike_create_child_response(sa, h, &inner);
		break;
	}
}

void ike_recv_again(struct ike_sa *sa, const struct ike_path *p, uint8_t *msg, size_t len)
{
	struct ike_hdr h;

	if (ike_hdr_parse(msg, len, &h) != 0)
		return;
	if (h.flags & IKE_FLAG_RESPONSE)
		response(sa, p, &h, msg, len);
	else
		request(sa, p, &h, msg, len);
}

void ike_engine_input(struct ike_engine *e, const struct ike_path *p, uint8_t *msg, size_t len)
{
	struct ike_hdr h;
	struct ike_sa *sa;
	bool is_response;

	e->stats.rx++;
	if (len > IKE_MAX_MSG || ike_hdr_parse(msg, len, &h) != 0) {
		drop(e, &e->stats.rx_bad_syntax, "bad IKE header");
		return;
	}
	if (IKE_MAJOR(h.version) != 2) {
		bad_version(e, p, &h);
		return;
	}
	is_response = h.flags & IKE_FLAG_RESPONSE;
	if (h.exchange == IKE_SA_INIT && !is_response) {
		init_request(e, p, &h, msg, len);
		ike_engine_reap(e);
		return;
	}
	/* The I flag names the sender's role: our SPI is the other one. */
	sa = ike_sa_by_local(e, (h.flags & IKE_FLAG_INITIATOR) ? h.spi_r : h.spi_i);
	if (!sa || sa->is_initiator == !!(h.flags & IKE_FLAG_INITIATOR) ||
	    (!sa->is_initiator && h.spi_i != sa->spi_i)) {
		drop(e, &e->stats.rx_unknown_spi, "unknown IKE SPI");
		return;
	}
	if (sa->job) {
		drop(e, NULL, "the SA's key exchange is being computed");
		return;
	}
	if (is_response)
		response(sa, p, &h, msg, len);
	else
		request(sa, p, &h, msg, len);
	ike_engine_reap(e);
}
