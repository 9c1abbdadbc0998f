/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * INFORMATIONAL (RFC 7296 §1.4, §1.5): deletes of the IKE SA and of the
 * Child SA, liveness checks (an empty request, answered empty), and the
 * requests we send: Delete and liveness.
 */
#include "ike/ike_int.h"

#include <stdlib.h>
#include <string.h>

static void peer_deletes_child(struct ike_sa *sa, const struct ike_delete_pl *d,
			       struct ike_builder *resp)
{
	for (size_t i = 0; i < d->n_spi; i++) {
		const uint8_t *p = d->spis + 4 * i;
		uint32_t spi = ike_spi4_get(p), spi_in;
		uint8_t ours[4];

		/* the end of a rekey, or of a collision (create_child.c) */
		if (!ike_rekey_peer_deletes(sa, spi, &spi_in)) {
			if (!sa->child.is_installed || spi != sa->child.spi_out)
				continue;   /* §1.4.1: unknown SPIs are ignored */
			spi_in = sa->child.spi_in;
			log_ctx_msg(&sa->log, LOG_LVL_INFO, "peer deleted CHILD SA %08x_i %08x_o",
				    spi_in, spi);
			ike_child_remove(sa);
		}
		ike_spi4_put(spi_in, ours);
		ike_build_delete(resp, IKE_PROTO_ESP, ours, 1);
	}
}

void ike_info_request(struct ike_sa *sa, const struct ike_hdr *h, const struct ike_chain *c)
{
	uint8_t chain[512];
	struct ike_builder b;
	bool is_ike_deleted = false;
	uint8_t *msg;
	size_t len;

	ike_build_begin_chain(&b, chain, sizeof(chain));
	for (size_t i = 0; i < c->n; i++) {
		struct ike_delete_pl d;
		struct ike_notify_pl n;

		if (c->v[i].type == IKE_PL_DELETE && ike_decode_delete(&c->v[i], &d) == 0) {
			if (d.protocol == IKE_PROTO_IKE)
				is_ike_deleted = true;
			else if (d.protocol == IKE_PROTO_ESP)
				peer_deletes_child(sa, &d, &b);
		} else if (c->v[i].type == IKE_PL_NOTIFY && ike_decode_notify(&c->v[i], &n) == 0 &&
			   n.type == IKE_N_AUTHENTICATION_FAILED) {
			log_ctx_msg(&sa->log, LOG_LVL_ERROR, "peer did not accept our authentication");
			is_ike_deleted = true;
		}
	}
	if (is_ike_deleted)
		ike_build_begin_chain(&b, chain, sizeof(chain));   /* §1.4.1: empty answer */
	if (ike_sk_message(sa, IKE_INFORMATIONAL, true, h->msg_id, &b, &msg, &len) == 0)
		ike_send_response(sa, msg, len);
	if (is_ike_deleted) {
		ike_rekey_ike_peer_deletes(sa);
		/* (An SA that was rekeyed leaves its connection to the new one.) */
		if (sa->conn && sa->conn->sa == sa)
			ike_conn_closed(sa->conn);
		ike_sa_kill(sa, "deleted by the peer");
	}
}

void ike_info_response(struct ike_sa *sa, const struct ike_hdr *h, const struct ike_chain *c)
{
	(void)h;
	(void)c;
	switch (sa->req.kind) {
	case IKE_REQ_DELETE_IKE:
		ike_rekey_ike_old_deleted(sa);
		ike_sa_kill(sa, "deleted");
		break;
	case IKE_REQ_DELETE_CHILD:
		ike_request_done(sa);
		ike_rekey_old_done(sa);
		break;
	case IKE_REQ_LIVENESS:
		sa->dpd_sent_ms = 0;
		ike_request_done(sa);
		break;
	default:
		ike_request_done(sa);
		break;
	}
}

static void send_info(struct ike_sa *sa, int kind, struct ike_builder *b)
{
	uint8_t *msg;
	size_t len;

	if (sa->req.exchange)
		ike_request_done(sa);   /* an unanswered request gives way */
	if (ike_sk_message(sa, IKE_INFORMATIONAL, false, sa->next_req_id, b, &msg, &len) != 0) {
		ike_sa_kill(sa, "cannot build an INFORMATIONAL request");
		return;
	}
	ike_send_request(sa, kind, IKE_INFORMATIONAL, msg, len);
}

void ike_delete_ike(struct ike_sa *sa)
{
	uint8_t chain[64];
	struct ike_builder b;

	if (!ike_sa_has_keys(sa) || sa->state == IKE_SA_DELETING)
		return;
	ike_child_remove(sa);
	ike_build_begin_chain(&b, chain, sizeof(chain));
	ike_build_delete(&b, IKE_PROTO_IKE, NULL, 0);
	send_info(sa, IKE_REQ_DELETE_IKE, &b);
	if (!sa->is_dead)
		ike_sa_set_state(sa, IKE_SA_DELETING);
}

void ike_delete_child(struct ike_sa *sa, uint32_t spi_in, int kind)
{
	uint8_t chain[64], spi[4];
	struct ike_builder b;

	ike_spi4_put(spi_in, spi);
	ike_build_begin_chain(&b, chain, sizeof(chain));
	ike_build_delete(&b, IKE_PROTO_ESP, spi, 1);
	send_info(sa, kind, &b);
}

void ike_send_liveness(struct ike_sa *sa)
{
	uint8_t chain[16];
	struct ike_builder b;

	ike_build_begin_chain(&b, chain, sizeof(chain));
	send_info(sa, IKE_REQ_LIVENESS, &b);
}
