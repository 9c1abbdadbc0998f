/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * IKE_SA_INIT (RFC 7296 §1.2): as initiator, the first request and its
 * retries (COOKIE §2.6, INVALID_KE_PAYLOAD §1.2), and the response; as
 * responder, the request, which creates state only after the DoS gate
 * and every check have passed.
 */
#include "ike/ike_int.h"

#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "ike/natd.h"

#define IKE_MAX_KE_RETRIES 3
#define IKE_MAX_COOKIE_RETRIES 3

static bool natd_payloads(struct ike_builder *b, uint64_t spi_i, uint64_t spi_r,
			  const struct ike_path *p)
{
	uint8_t src[IKE_NATD_LEN], dst[IKE_NATD_LEN];

	if (ike_natd_hash(spi_i, spi_r, &p->local, p->local_port, src) != 0 ||
	    ike_natd_hash(spi_i, spi_r, &p->remote, p->remote_port, dst) != 0)
		return false;
	return ike_build_notify(b, 0, NULL, 0, IKE_N_NAT_DETECTION_SOURCE_IP, src, sizeof(src)) &&
	       ike_build_notify(b, 0, NULL, 0, IKE_N_NAT_DETECTION_DESTINATION_IP, dst, sizeof(dst));
}

/* §2.23: the peer's SOURCE_IP hashes must include one for the address we
 * see it at (else it is behind a NAT); its DESTINATION_IP the address it
 * sent to (else we are). Without NAT_DETECTION payloads: no NAT. */
bool ike_natd_check(const struct ike_sa *sa, const struct ike_chain *c,
		    bool *is_nat_local, bool *is_nat_remote)
{
	uint64_t spi_r = sa->state == IKE_SA_INIT_SENT ? sa->spi_r : 0;
	uint8_t want_src[IKE_NATD_LEN], want_dst[IKE_NATD_LEN];
	bool has_src = false, has_dst = false, src_ok = false, dst_ok = false;

	if (ike_natd_hash(sa->spi_i, spi_r, &sa->path.remote, sa->path.remote_port, want_src) ||
	    ike_natd_hash(sa->spi_i, spi_r, &sa->path.local, sa->path.local_port, want_dst))
		return false;
	for (size_t i = 0; i < c->n; i++) {
		struct ike_notify_pl n;

		if (c->v[i].type != IKE_PL_NOTIFY || ike_decode_notify(&c->v[i], &n) != 0 ||
		    n.len != IKE_NATD_LEN)
			continue;
		if (n.type == IKE_N_NAT_DETECTION_SOURCE_IP) {
			has_src = true;
			src_ok |= crypto_mem_equal(n.data, want_src, IKE_NATD_LEN);
		} else if (n.type == IKE_N_NAT_DETECTION_DESTINATION_IP) {
			has_dst = true;
			dst_ok |= crypto_mem_equal(n.data, want_dst, IKE_NATD_LEN);
		}
	}
	*is_nat_remote = has_src && !src_ok;
	*is_nat_local = has_dst && !dst_ok;
	return has_src && has_dst;
}

/* The proposals of a connection as sent: numbered from 1, no SPI. */
static size_t numbered(const struct conf_ike *c, struct ike_prop *out)
{
	for (size_t i = 0; i < c->n_proposals; i++) {
		out[i] = c->proposals[i];
		out[i].num = (uint8_t)(i + 1);
		out[i].protocol = IKE_PROTO_IKE;
		out[i].spi_len = 0;
	}
	return c->n_proposals;
}

static int send_init(struct ike_sa *sa)
{
	const struct conf_ike *c = sa->conn->c;
	struct ike_hdr h = {
		.spi_i = sa->spi_i, .version = IKE_VERSION_2, .exchange = IKE_SA_INIT,
		.flags = IKE_FLAG_INITIATOR,
	};
	struct ike_prop props[CONF_MAX_PROPOSALS];
	uint8_t pub[CRYPTO_KE_MAX_PUBLIC];
	size_t pub_len = crypto_ke_public_len(sa->ke_group);
	struct ike_builder b;
	uint8_t *buf = malloc(IKE_MAX_MSG);
	size_t len;

	if (!buf)
		return IFS_ERR_NOMEM;
	ike_build_begin(&b, buf, IKE_MAX_MSG, &h);
	if (sa->cookie_len)
		ike_build_notify(&b, 0, NULL, 0, IKE_N_COOKIE, sa->cookie, sa->cookie_len);
	ike_build_sa(&b, props, numbered(c, props));
	if (crypto_ke_public(sa->ke, pub, pub_len) != 0)
		goto fail;
	ike_build_ke(&b, sa->ke_group, pub, pub_len);
	ike_build_nonce(&b, sa->ni, sa->ni_len);
	if (!natd_payloads(&b, sa->spi_i, 0, &sa->path))
		goto fail;
	len = ike_build_finish(&b);
	if (len == 0)
		goto fail;
	free(sa->init_req);
	sa->init_req = ike_msg_copy(buf, len);
	if (!sa->init_req)
		goto fail;
	sa->init_req_len = len;
	ike_send_request(sa, IKE_REQ_INIT, IKE_SA_INIT, buf, len);
	return 0;
fail:
	free(buf);
	return IFS_ERR_RANGE;
}

static void first_key_pair(struct ike_sa *sa, struct ike_job *j)
{
	int err = j->err;

	if (!err) {
		sa->ke = j->ke;
		j->ke = NULL;
		if (ike_pace_allows(sa->e, &sa->path.remote))
			err = ike_init_send_first(sa);
		else
			log_ctx_msg(&sa->log, LOG_LVL_INFO, "IKE SA %016llx_i waits: %d initiations "
				    "to this peer are under way", (unsigned long long)sa->spi_i,
				    IKE_INIT_PACE);
	}
	if (err)
		ike_sa_kill(sa, "cannot initiate");
}

int ike_init_start(struct ike_conn *c)
{
	struct ike_sa *sa;
	int err = ike_init_new(c, &sa);

	if (!err)
		c->sa = sa;
	return err;
}

int ike_init_new(struct ike_conn *c, struct ike_sa **out)
{
	struct ike_engine *e = c->e;
	struct ike_path p = {
		.local = c->t->local, .remote = c->t->remote,
		.local_port = c->c->local_port, .remote_port = c->c->remote_port,
	};
	struct ike_sa *sa;
	int err;

	err = ike_sa_new(e, true, 0, &p, &sa);
	if (err)
		return err;
	sa->conn = c;
	log_ctx_set(&sa->log, "%s[%u]", c->t->name, sa->unique_id);
	err = ike_sa_register(sa);
	if (!err)
		err = ike_nonce_set(&sa->ni, &sa->ni_len, NULL, IKE_NONCE_LEN);
	if (!err) {
		/* CREATED until the key pair is made and the peer has room */
		ike_sa_set_state(sa, IKE_SA_INIT_QUEUED);
		sa->ke_group = proposal_first_ke(c->c->proposals, c->c->n_proposals);
		err = ike_job_start(sa, NULL, sa->ke_group, NULL, 0, first_key_pair);
	}
	if (err) {
		ike_sa_kill(sa, "cannot initiate");
		return err;
	}
	if (sa->is_dead)   /* the key pair was made at once, and failed */
		return IFS_ERR_INVAL;
	*out = sa;
	return 0;
}

int ike_init_send_first(struct ike_sa *sa)
{
	int err = send_init(sa);

	if (err)
		return err;
	ike_sa_set_state(sa, IKE_SA_INIT_SENT);
	log_ctx_msg(&sa->log, LOG_LVL_INFO, "initiating IKE SA %016llx_i",
		    (unsigned long long)sa->spi_i);
	return 0;
}

/* ---- initiator: the response ---- */

static const struct ike_notify_pl *find_notify(const struct ike_chain *c, uint16_t type,
					       struct ike_notify_pl *n)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->v[i].type == IKE_PL_NOTIFY && ike_decode_notify(&c->v[i], n) == 0 &&
		    n->type == type)
			return n;
	return NULL;
}

/* An error notify in a response: the first one, or 0. */
static uint16_t error_notify(const struct ike_chain *c)
{
	for (size_t i = 0; i < c->n; i++) {
		struct ike_notify_pl n;

		if (c->v[i].type == IKE_PL_NOTIFY && ike_decode_notify(&c->v[i], &n) == 0 &&
		    n.type <= IKE_N_ERROR_MAX)
			return n.type;
	}
	return 0;
}

static void retry_key_pair(struct ike_sa *sa, struct ike_job *j)
{
	if (j->err) {
		ike_sa_kill(sa, "cannot make a key pair");
		return;
	}
	sa->ke = j->ke;
	j->ke = NULL;
	if (send_init(sa) != 0)
		ike_sa_kill(sa, "cannot build IKE_SA_INIT");
}

/* COOKIE or INVALID_KE_PAYLOAD: send IKE_SA_INIT again. True when the
 * response was one of these (handled). */
static bool init_retry(struct ike_sa *sa, const struct ike_chain *c)
{
	const struct conf_ike *conf = sa->conn->c;
	struct ike_notify_pl n;

	if (find_notify(c, IKE_N_COOKIE, &n)) {
		if (n.len < IKE_COOKIE_MIN || n.len > IKE_COOKIE_MAX ||
		    ++sa->cookie_retries > IKE_MAX_COOKIE_RETRIES) {
			ike_sa_kill(sa, "the peer sent an unusable COOKIE");
			return true;
		}
		memcpy(sa->cookie, n.data, n.len);
		sa->cookie_len = n.len;
		log_ctx_msg(&sa->log, LOG_LVL_INFO, "peer asked for a cookie; retrying");
	} else if (find_notify(c, IKE_N_INVALID_KE_PAYLOAD, &n)) {
		uint16_t group = n.len == 2 ? (uint16_t)(n.data[0] << 8 | n.data[1]) : 0;

		if (group == sa->ke_group || !proposal_has_ke(conf->proposals, conf->n_proposals, group) ||
		    ++sa->ke_retries > IKE_MAX_KE_RETRIES) {
			ike_sa_kill(sa, "the peer asks for a key exchange group we do not offer");
			return true;
		}
		log_ctx_msg(&sa->log, LOG_LVL_INFO, "peer wants key exchange group %s; retrying",
			    crypto_ke_name(group));
		/* no retransmission of the old request while the key pair is made */
		ike_request_drop(sa);
		crypto_ke_free(sa->ke);
		sa->ke = NULL;
		sa->ke_group = group;
		if (ike_job_start(sa, NULL, group, NULL, 0, retry_key_pair) != 0)
			ike_sa_kill(sa, "cannot make a key pair");
		return true;
	} else {
		return false;
	}
	if (send_init(sa) != 0)
		ike_sa_kill(sa, "cannot build IKE_SA_INIT");
	return true;
}

/* The response's SPI, nonce and choice; its KE payload for the job. */
static int take_response(struct ike_sa *sa, const struct ike_hdr *h, const struct ike_chain *c,
			 struct ike_ke_pl *ke)
{
	const struct conf_ike *conf = sa->conn->c;
	const struct ike_payload *psa = ike_chain_find(c, IKE_PL_SA);
	const struct ike_payload *pke = ike_chain_find(c, IKE_PL_KE);
	const struct ike_payload *pn = ike_chain_find(c, IKE_PL_NONCE);
	struct ike_sa_pl sap;
	struct ike_nonce_pl nonce;

	if (!psa || !pke || !pn || ike_chain_count(c, IKE_PL_SA) != 1 ||
	    ike_decode_sa(psa, &sap) != 0 || sap.n != 1 || ike_decode_ke(pke, ke) != 0 ||
	    ike_decode_nonce(pn, &nonce) != 0 || h->spi_r == 0)
		return IFS_ERR_SYNTAX;
	if (proposal_accept_response(conf->proposals, conf->n_proposals, &sap.v[0],
				     &sa->chosen) != 0 || sa->chosen.ke != sa->ke_group ||
	    ke->group != sa->ke_group)
		return IFS_ERR_NOT_FOUND;
	sa->spi_r = h->spi_r;
	return ike_nonce_set(&sa->nr, &sa->nr_len, nonce.data, nonce.len);
}

static void log_unacceptable(struct ike_sa *sa, int err)
{
	log_ctx_msg(&sa->log, LOG_LVL_ERROR, "unacceptable IKE_SA_INIT response: %s",
		    err == IFS_ERR_NOT_FOUND ? "not a proposal we offered" :
		    err == IFS_ERR_INVAL ? "invalid key exchange value" :
		    "malformed");
}

/* The initiator's shared secret is back: keys, then IKE_AUTH. */
static void initiator_shared(struct ike_sa *sa, struct ike_job *j)
{
	int err = j->err ? j->err : ike_sa_derive(sa, j->shared);

	if (err) {
		log_unacceptable(sa, err);
		ike_sa_kill(sa, NULL);
		return;
	}
	ike_auth_start(sa);
}

void ike_init_response(struct ike_sa *sa, const struct ike_hdr *h, uint8_t *msg, size_t len)
{
	struct ike_chain c;
	struct ike_ke_pl ke;
	struct crypto_ke *ours;
	uint8_t bad;
	uint16_t err_type;
	int err;

	if (sa->state != IKE_SA_INIT_SENT ||
	    ike_msg_chain(h, msg, len, &c, &bad) != IKE_CHAIN_OK) {
		sa->e->stats.rx_dropped++;
		return;
	}
	if (init_retry(sa, &c))
		return;
	err_type = error_notify(&c);
	if (err_type) {
		/* Unprotected, so anyone on the path could have sent it:
		 * advisory until the request times out (§2.21.1). */
		if (sa->refused != err_type)
			log_ctx_msg(&sa->log, LOG_LVL_ERROR, "peer refused IKE_SA_INIT: %s",
				    ike_notify_name(err_type));
		sa->refused = err_type;
		return;
	}
	err = take_response(sa, h, &c, &ke);
	if (err) {
		log_unacceptable(sa, err);
		ike_sa_kill(sa, NULL);
		return;
	}
	sa->init_resp = ike_msg_copy(msg, len);
	sa->init_resp_len = sa->init_resp ? len : 0;
	ike_natd_check(sa, &c, &sa->is_nat_local, &sa->is_nat_remote);
	ike_request_done(sa);
	/* §2.23: with a NAT (or ESP in UDP forced), move to port 4500. */
	if ((sa->is_nat_local || sa->is_nat_remote || sa->conn->c->is_encap) &&
	    sa->path.remote_port == IKE_PORT) {
		sa->path.local_port = IKE_NATT_PORT;
		sa->path.remote_port = IKE_NATT_PORT;
	}
	ours = sa->ke;
	sa->ke = NULL;
	if (ike_job_start(sa, ours, sa->ke_group, ke.data, ke.len, initiator_shared) != 0) {
		crypto_ke_free(ours);
		ike_sa_kill(sa, "cannot compute the key exchange");
	}
}

/* ---- responder: the request ---- */

static struct ike_conn *conn_for_path(struct ike_engine *e, const struct ike_path *p,
				      struct ike_conn *after)
{
	for (struct ike_conn *c = after ? after->next : e->conns; c; c = c->next)
		if (addr_eq(&c->t->local, &p->local) &&
		    (c->c->is_remote_any || addr_eq(&c->t->remote, &p->remote)))
			return c;
	return NULL;
}

/* "a, b, c" of a list of proposals, bounded. */
static const char *props_str(const struct ike_prop *v, size_t n, char *buf, size_t len)
{
	char one[160];
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n && used + 1 < len; i++) {
		int k = snprintf(buf + used, len - used, "%s%s", i ? ", " : "",
				 proposal_str(&v[i], one, sizeof(one)));

		if (k < 0)
			break;
		used += (size_t)k < len - used ? (size_t)k : len - used - 1;
	}
	return buf;
}

/* One line: what the peer offered against what we accept. */
static void log_no_proposal(struct ike_engine *e, const struct ike_path *p,
			    const struct ike_sa_pl *sap, const struct ike_conn *c)
{
	char theirs[320], ours[320], addr[IFS_ADDR_STRLEN];

	ike_log_stranger(e, LOG_LVL_ERROR,
		  "%s: no acceptable IKE proposal: peer offered %s; %s accepts %s",
		  addr_str(&p->remote, addr), props_str(sap->v, sap->n, theirs, sizeof(theirs)),
		  c->t->name, props_str(c->c->proposals, c->c->n_proposals, ours, sizeof(ours)));
}

struct init_req {
	struct ike_sa_pl sap;
	struct ike_ke_pl ke;
	struct ike_nonce_pl nonce;
	struct ike_chain c;
};

/* The payloads an IKE_SA_INIT request must have; answers INVALID_SYNTAX
 * (unprotected, §2.21.1) when they are not there or malformed. */
static bool init_payloads(struct ike_engine *e, const struct ike_path *p,
			  const struct ike_hdr *h, const uint8_t *msg, size_t len,
			  struct init_req *r)
{
	uint8_t bad = 0;
	enum ike_chain_err ce = ike_msg_chain(h, msg, len, &r->c, &bad);
	const struct ike_payload *psa, *pke, *pn;

	if (ce == IKE_CHAIN_CRITICAL) {
		ike_send_init_notify(e, p, h, IKE_N_UNSUPPORTED_CRITICAL_PAYLOAD, &bad, 1);
		return false;
	}
	if (ce != IKE_CHAIN_OK) {
		e->stats.rx_dropped++;
		e->stats.rx_bad_syntax++;
		return false;
	}
	psa = ike_chain_find(&r->c, IKE_PL_SA);
	pke = ike_chain_find(&r->c, IKE_PL_KE);
	pn = ike_chain_find(&r->c, IKE_PL_NONCE);
	if (!psa || !pke || !pn || ike_chain_count(&r->c, IKE_PL_SA) != 1 ||
	    ike_chain_count(&r->c, IKE_PL_KE) != 1 || ike_chain_count(&r->c, IKE_PL_NONCE) != 1 ||
	    ike_chain_find(&r->c, IKE_PL_SK) || ike_decode_sa(psa, &r->sap) != 0 ||
	    ike_decode_ke(pke, &r->ke) != 0 || ike_decode_nonce(pn, &r->nonce) != 0) {
		e->stats.rx_dropped++;
		e->stats.rx_bad_syntax++;
		ike_send_init_notify(e, p, h, IKE_N_INVALID_SYNTAX, NULL, 0);
		return false;
	}
	return true;
}

/* §2.6: over the threshold, a request must carry a valid cookie first. */
static bool cookie_gate(struct ike_engine *e, const struct ike_path *p,
			const struct ike_hdr *h, const struct init_req *r)
{
	uint8_t cookie[IKE_COOKIE_LEN];
	struct ike_notify_pl n;

	if (!ike_cookie_required(e, &p->remote))
		return true;
	if (r->c.n > 0 && r->c.v[0].type == IKE_PL_NOTIFY &&
	    ike_decode_notify(&r->c.v[0], &n) == 0 && n.type == IKE_N_COOKIE &&
	    ike_cookie_check(e, p, h->spi_i, r->nonce.data, r->nonce.len, n.data, n.len))
		return true;
	ike_cookie_make(e, p, h->spi_i, r->nonce.data, r->nonce.len, cookie);
	ike_send_init_notify(e, p, h, IKE_N_COOKIE, cookie, sizeof(cookie));
	e->stats.cookies_sent++;
	return false;
}

static struct ike_conn *choose(struct ike_engine *e, const struct ike_path *p,
			       const struct init_req *r, struct ike_chosen *chosen)
{
	for (struct ike_conn *c = conn_for_path(e, p, NULL); c; c = conn_for_path(e, p, c))
		if (proposal_select(c->c->proposals, c->c->n_proposals, r->sap.v, r->sap.n,
				    r->ke.group, chosen) == 0)
			return c;
	return NULL;
}

static int respond_init(struct ike_sa *sa)
{
	struct ike_hdr h = {
		.spi_i = sa->spi_i, .spi_r = sa->spi_r, .version = IKE_VERSION_2,
		.exchange = IKE_SA_INIT, .flags = IKE_FLAG_RESPONSE, .msg_id = 0,
	};
	struct ike_prop prop;
	uint8_t pub[CRYPTO_KE_MAX_PUBLIC];
	size_t pub_len = crypto_ke_public_len(sa->ke_group);
	uint8_t *buf = malloc(IKE_MAX_MSG);
	struct ike_builder b;
	size_t len;

	if (!buf)
		return IFS_ERR_NOMEM;
	proposal_from_chosen(&sa->chosen, NULL, 0, &prop);
	ike_build_begin(&b, buf, IKE_MAX_MSG, &h);
	ike_build_sa(&b, &prop, 1);
	if (crypto_ke_public(sa->ke, pub, pub_len) != 0) {
		free(buf);
		return IFS_ERR_CRYPTO;
	}
	ike_build_ke(&b, sa->ke_group, pub, pub_len);
	ike_build_nonce(&b, sa->nr, sa->nr_len);
	natd_payloads(&b, sa->spi_i, sa->spi_r, &sa->path);
	len = ike_build_finish(&b);
	sa->init_resp = len ? ike_msg_copy(buf, len) : NULL;
	if (!sa->init_resp) {
		free(buf);
		return IFS_ERR_RANGE;
	}
	sa->init_resp_len = len;
	ike_send_response(sa, buf, len);
	return 0;
}

/* The responder's shared secret is back: keys, then the answer. */
static void responder_shared(struct ike_sa *sa, struct ike_job *j)
{
	struct ike_engine *e = sa->e;
	struct ike_hdr req = { .spi_i = sa->spi_i };
	int err = j->err;

	if (!err) {
		sa->ke = j->ke;
		j->ke = NULL;
		err = ike_sa_derive(sa, j->shared);
	}
	if (!err)
		err = respond_init(sa);
	if (err == IFS_ERR_INVAL) {
		ike_log_stranger(e, LOG_LVL_WARN, "%s: invalid key exchange value from the peer",
				 sa->conn->t->name);
		ike_send_init_notify(e, &sa->path, &req, IKE_N_INVALID_SYNTAX, NULL, 0);
	}
	if (err) {
		ike_sa_kill(sa, NULL);
		return;
	}
	ike_log_stranger(e, LOG_LVL_INFO, "%sIKE_SA_INIT from %s answered, IKE SA %016llx_i %016llx_r",
			 sa->log.prefix,
			 addr_str(&sa->path.remote, (char[IFS_ADDR_STRLEN]){ 0 }),
			 (unsigned long long)sa->spi_i, (unsigned long long)sa->spi_r);
}

/* The SA, half-open from now on (the DoS limits count it), answered once
 * its key exchange is computed. */
static void make_responder_sa(struct ike_engine *e, const struct ike_path *p,
			     const struct ike_hdr *h, const uint8_t *msg, size_t len,
			     struct ike_conn *conn, const struct init_req *r,
			     const struct ike_chosen *chosen)
{
	struct ike_sa *sa;
	int err;

	if (ike_sa_new(e, false, h->spi_i, p, &sa) != 0)
		return;
	sa->conn = conn;
	sa->chosen = *chosen;
	sa->ke_group = chosen->ke;
	log_ctx_set(&sa->log, "%s[%u]", conn->t->name, sa->unique_id);
	ike_req_hash(msg, len, sa->cur_req_hash);
	sa->init_req = ike_msg_copy(msg, len);
	sa->init_req_len = len;
	err = sa->init_req ? ike_nonce_set(&sa->ni, &sa->ni_len, r->nonce.data, r->nonce.len)
			   : IFS_ERR_NOMEM;
	if (!err)
		err = ike_sa_register(sa);
	if (!err)
		err = ike_nonce_set(&sa->nr, &sa->nr_len, NULL, IKE_NONCE_LEN);
	if (!err) {
		ike_natd_check(sa, &r->c, &sa->is_nat_local, &sa->is_nat_remote);
		ike_sa_set_state(sa, IKE_SA_HALF_OPEN);
		err = ike_job_start(sa, NULL, chosen->ke, r->ke.data, r->ke.len, responder_shared);
	}
	if (err)
		ike_sa_kill(sa, NULL);
}

void ike_init_request(struct ike_engine *e, const struct ike_path *p,
		      const struct ike_hdr *h, uint8_t *msg, size_t len)
{
	struct init_req r;
	struct ike_chosen chosen;
	struct ike_conn *conn;
	uint8_t group[2];

	if (ike_init_blocked(e, &p->remote)) {
		e->stats.rx_dropped++;
		e->stats.rx_blocked++;
		return;
	}
	if (!init_payloads(e, p, h, msg, len, &r) || !cookie_gate(e, p, h, &r))
		return;
	conn = choose(e, p, &r, &chosen);
	if (!conn) {
		if (!conn_for_path(e, p, NULL))
			ike_log_stranger(e, LOG_LVL_ERROR,
					 "%s: IKE_SA_INIT from a peer no connection is configured for",
				  addr_str(&p->remote, (char[IFS_ADDR_STRLEN]){ 0 }));
		else
			log_no_proposal(e, p, &r.sap, conn_for_path(e, p, NULL));
		ike_send_init_notify(e, p, h, IKE_N_NO_PROPOSAL_CHOSEN, NULL, 0);
		return;
	}
	if (r.ke.group != chosen.ke) {
		group[0] = (uint8_t)(chosen.ke >> 8);
		group[1] = (uint8_t)chosen.ke;
		ike_log_stranger(e, LOG_LVL_INFO, "%s: peer sent key exchange %u, asking for %s",
				 conn->t->name,
			 r.ke.group, crypto_ke_name(chosen.ke));
		ike_send_init_notify(e, p, h, IKE_N_INVALID_KE_PAYLOAD, group, sizeof(group));
		return;
	}
	if (r.ke.len != crypto_ke_public_len(chosen.ke)) {
		ike_send_init_notify(e, p, h, IKE_N_INVALID_SYNTAX, NULL, 0);
		return;
	}
	make_responder_sa(e, p, h, msg, len, conn, &r, &chosen);
}
