/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * CREATE_CHILD_SA that rekeys the Child SA (RFC 7296 §1.3.3, §2.8),
 * with a new key exchange when the ESP proposal has a KE group (PFS),
 * make-before-break:
 *
 *   initiator                               responder
 *   N(REKEY_SA, old inbound SPI), SA, Ni,
 *   [KEi], TSi, TSr                  --->   new inbound SA installed,
 *                                           outbound kept for later
 *                                    <---   SA, Nr, [KEr], TSi, TSr
 *   new SA in, outbound moves to it
 *   Delete(old inbound SPI)          --->   new outbound SA installed,
 *                                           then the old SA removed
 *   old SA removed                   <---   Delete(its old inbound SPI)
 *
 * Until the delete is done the old inbound SA still accepts what was in
 * flight. When both ends rekey at once, both exchanges complete and the
 * lowest nonce decides which new SA stays (collision.c): the end whose
 * SA is redundant deletes it, the other deletes the old one. An SA that
 * is deleted while our rekey of it is out has its replacement deleted
 * when the answer comes. Other CREATE_CHILD_SA requests (more Child SAs; rekeying the
 * IKE SA is rekey_ike.c's) are answered NO_ADDITIONAL_SAS: one Child
 * SA per connection.
 */
#include "ike/ike_int.h"

#include <stdlib.h>
#include <string.h>

#include "ike/ts.h"

#define REKEY_RETRY_MS 10000       /* after a refused or failed rekey */
#define REKEY_BUSY_MS 1000         /* another request of ours is out */
#define OLD_CHILD_GRACE_MS 30000   /* the peer never deleted the old SA */
#define COLL_CHILD_GRACE_MS 30000  /* nor the redundant one of a collision */

/* Our ESP proposals for CREATE_CHILD_SA, KE transforms included. */
static size_t rekey_props(const struct conf_child *ch, uint32_t spi, struct ike_prop *out)
{
	for (size_t i = 0; i < ch->n_esp_proposals; i++) {
		out[i] = ch->esp_proposals[i];
		out[i].num = (uint8_t)(i + 1);
		out[i].protocol = IKE_PROTO_ESP;
		out[i].spi_len = 4;
		ike_spi4_put(spi, out[i].spi);
	}
	return ch->n_esp_proposals;
}

/* The KE group of our first proposal that has one (strongSwan's choice
 * for the KE payload), 0 for none. */
static uint16_t first_ke(const struct ike_prop *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < p[i].n_xf; k++)
			if (p[i].xf[k].type == IKE_TT_KE && p[i].xf[k].id != IKE_KE_NONE)
				return p[i].xf[k].id;
	return 0;
}

void ike_rekey_clear(struct ike_sa *sa)
{
	if (!sa->rekey)
		return;
	crypto_ke_free(sa->rekey->ke);
	free(sa->rekey->next_ts);
	secret_wipe(sa->rekey, sizeof(*sa->rekey));
	free(sa->rekey);
	sa->rekey = NULL;
}

/* Up to half as long again at random: two ends refused at once (each
 * answering the other TEMPORARY_FAILURE) do not collide again. */
static void retry_later(struct ike_sa *sa, uint64_t ms)
{
	uint32_t r = 0;

	if (crypto_random(&r, sizeof(r)) == 0)
		ms += r % (ms / 2 + 1);
	sa->child.rekey_at = ike_now(sa->e) + ms;
}

/* ---- initiator ---- */

static bool build_request(struct ike_sa *sa, struct ike_builder *b)
{
	const struct conf_child *ch = &sa->conn->c->child;
	struct child_rekey *rk = sa->rekey;
	struct ike_prop props[CONF_MAX_PROPOSALS];
	size_t n = rekey_props(ch, rk->next.spi_in, props);
	uint8_t old_spi[4], pub[CRYPTO_KE_MAX_PUBLIC];

	ike_spi4_put(rk->old_spi_in, old_spi);
	ike_build_notify(b, IKE_PROTO_ESP, old_spi, 4, IKE_N_REKEY_SA, NULL, 0);
	ike_build_sa(b, props, n);
	ike_build_nonce(b, rk->ni, rk->ni_len);
	if (rk->ke) {
		size_t len = crypto_ke_public_len(rk->ke_group);

		if (crypto_ke_public(rk->ke, pub, len) != 0)
			return false;
		ike_build_ke(b, rk->ke_group, pub, len);
	}
	if (IFS_BUG(!sa->ts))                 /* (an installed Child SA has them) */
		return false;
	ike_build_ts(b, false, ts_set_local(sa->ts), sa->ts->n_local);
	ike_build_ts(b, true, ts_set_remote(sa->ts), sa->ts->n_remote);
	return ike_build_ok(b);
}

static int send_rekey(struct ike_sa *sa)
{
	uint8_t chain[4096];
	struct ike_builder b;
	uint8_t *msg;
	size_t len;
	int err;

	ike_build_begin_chain(&b, chain, sizeof(chain));
	err = build_request(sa, &b) ? ike_sk_message(sa, IKE_CREATE_CHILD_SA, false,
						     sa->next_req_id, &b, &msg, &len)
				    : IFS_ERR_RANGE;
	secret_wipe(chain, sizeof(chain));
	if (err)
		return err;
	ike_child_expect(sa, sa->rekey->next.spi_in);
	ike_send_request(sa, IKE_REQ_REKEY_CHILD, IKE_CREATE_CHILD_SA, msg, len);
	return 0;
}

static void rekey_child_again(struct ike_sa *sa)
{
	(void)!ike_rekey_child_start(sa);
}

int ike_rekey_child_start(struct ike_sa *sa)
{
	const struct conf_child *ch = &sa->conn->c->child;
	struct child_rekey *rk = sa->rekey;
	int err;

	if (sa->state != IKE_SA_ESTABLISHED || !sa->child.is_installed)
		return IFS_ERR_NOT_FOUND;
	if (sa->req.exchange || sa->old_child || sa->coll || sa->job) {
		retry_later(sa, REKEY_BUSY_MS);
		return IFS_ERR_BUSY;
	}
	/* a MODP key pair: made on a thread first, then this again */
	if (ike_ke_pair_later(sa, first_ke(ch->esp_proposals, ch->n_esp_proposals),
			      rekey_child_again))
		return 0;
	ike_rekey_clear(sa);
	rk = sa->rekey = calloc(1, sizeof(*sa->rekey));
	if (!rk) {
		retry_later(sa, REKEY_RETRY_MS);
		return IFS_ERR_NOMEM;
	}
	rk->old_spi_in = sa->child.spi_in;
	rk->ni_len = IKE_NONCE_LEN;
	err = ike_child_new_spi(&rk->next.spi_in);
	if (!err)
		err = crypto_random(rk->ni, rk->ni_len) == 0 ? 0 : IFS_ERR_CRYPTO;
	if (!err)
		err = ike_ke_renew(sa, &rk->ke, &rk->ke_group,
				   first_ke(ch->esp_proposals, ch->n_esp_proposals));
	if (!err)
		err = send_rekey(sa);
	if (err) {
		ike_rekey_clear(sa);
		retry_later(sa, REKEY_RETRY_MS);
		return err;
	}
	sa->child.rekey_at = 0;
	log_ctx_msg(&sa->log, LOG_LVL_INFO, "rekeying CHILD SA %08x_i %08x_o%s",
		    sa->child.spi_in, sa->child.spi_out, rk->ke ? " with a new key exchange" : "");
	return 0;
}

static void scan_notifies(const struct ike_chain *c, struct ike_cc_payloads *m)
{
	for (size_t i = 0; i < c->n; i++) {
		struct ike_notify_pl n;

		if (c->v[i].type != IKE_PL_NOTIFY || ike_decode_notify(&c->v[i], &n) != 0)
			continue;
		if (n.type == IKE_N_REKEY_SA && n.spi_len == 4) {
			m->has_rekey = true;
			m->rekey_protocol = n.protocol;
			m->rekey_spi = ike_spi4_get(n.spi);
		} else if (n.type <= IKE_N_ERROR_MAX && !m->error) {
			m->error = n.type;
			if (n.type == IKE_N_INVALID_KE_PAYLOAD && n.len == 2)
				m->invalid_ke_group = (uint16_t)(n.data[0] << 8 | n.data[1]);
		}
	}
}

bool ike_cc_decode(const struct ike_chain *c, struct ike_cc_payloads *m)
{
	static const uint8_t once[] = { IKE_PL_SA, IKE_PL_NONCE, IKE_PL_KE, IKE_PL_TSI,
					IKE_PL_TSR };
	const struct ike_payload *p;

	memset(m, 0, sizeof(*m));
	for (size_t i = 0; i < sizeof(once); i++)
		if (ike_chain_count(c, once[i]) > 1)
			return false;
	scan_notifies(c, m);
	if ((p = ike_chain_find(c, IKE_PL_SA))) {
		if (ike_decode_sa(p, &m->sap) != 0)
			return false;
		m->has_sa = true;
	}
	if ((p = ike_chain_find(c, IKE_PL_NONCE))) {
		if (ike_decode_nonce(p, &m->nonce) != 0)
			return false;
		m->has_nonce = true;
	}
	if ((p = ike_chain_find(c, IKE_PL_KE))) {
		if (ike_decode_ke(p, &m->ke) != 0)
			return false;
		m->has_ke = true;
	}
	if (ike_chain_find(c, IKE_PL_TSI) || ike_chain_find(c, IKE_PL_TSR)) {
		if (!ike_chain_find(c, IKE_PL_TSI) || !ike_chain_find(c, IKE_PL_TSR) ||
		    ike_decode_ts(ike_chain_find(c, IKE_PL_TSI), &m->tsi) != 0 ||
		    ike_decode_ts(ike_chain_find(c, IKE_PL_TSR), &m->tsr) != 0)
			return false;
		m->has_ts = true;
	}
	return true;
}

/* The PFS secret from the peer's KE (when one was chosen); 0 or why not. */
static const char *pfs_secret(struct ike_sa *sa, struct crypto_ke **ke, uint16_t group,
			      const struct ike_cc_payloads *m, struct secret **shared)
{
	*shared = NULL;
	if (!group)
		return NULL;
	/* (a job may have our key pair: ike_ke_take gives it back) */
	if ((!*ke && !sa->pre) || !m->has_ke || m->ke.group != group)
		return "no key exchange of the chosen group";
	if (ike_ke_take(sa, ke, group, m->ke.data, m->ke.len, shared) != 0)
		return "the peer's key exchange value is not acceptable";
	return NULL;
}

/* The old Child SA becomes old_child; its delete follows. (Without
 * memory for it, the new SA takes over at once.) The new SA's selectors
 * move from *ts to the IKE SA. */
static void swap_in(struct ike_sa *sa, const struct child_sa *next, struct ts_set **ts)
{
	struct child_sa *old;

	ts_set_replace(&sa->ts, *ts);
	*ts = NULL;
	ike_old_child_drop(sa);          /* (none: a rekey waits for its delete) */
	old = malloc(sizeof(*old));
	if (!old) {
		struct child_sa gone = sa->child;

		sa->child = *next;
		ike_child_install_out(sa, &sa->child);
		ike_child_drop(sa, &gone);
		return;
	}
	*old = sa->child;
	sa->old_child = old;
	sa->child = *next;
	sa->old_until = ike_now(sa->e) + OLD_CHILD_GRACE_MS;
}

static void forget_collision(struct ike_sa *sa)
{
	free(sa->coll->ts);
	secret_wipe(sa->coll, sizeof(*sa->coll));
	free(sa->coll);
	sa->coll = NULL;
}

/* The SA of the peer's colliding rekey replaces the Child SA: the peer
 * deletes the old one. */
static void take_collision(struct ike_sa *sa)
{
	swap_in(sa, &sa->coll->sa, &sa->coll->ts);
	forget_collision(sa);
}

void ike_collision_drop(struct ike_sa *sa)
{
	if (!sa->coll)
		return;
	ike_child_drop(sa, &sa->coll->sa);
	forget_collision(sa);
}

static const char *accept_response(struct ike_sa *sa, const struct ike_cc_payloads *m,
				   struct secret **shared)
{
	const struct conf_child *ch = &sa->conn->c->child;
	struct child_rekey *rk = sa->rekey;
	struct child_sa *nx = &rk->next;
	struct ike_prop props[CONF_MAX_PROPOSALS];
	size_t n = rekey_props(ch, nx->spi_in, props);

	if (!m->has_sa || m->sap.n != 1 || !m->has_nonce || !m->has_ts ||
	    m->sap.v[0].spi_len != 4)
		return "an incomplete response";
	if (proposal_accept_response(props, n, &m->sap.v[0], &nx->chosen) != 0 ||
	    proposal_esp_alg(&nx->chosen, &nx->alg) != 0)
		return "the peer chose an ESP proposal we did not offer";
	if (nx->chosen.ke && nx->chosen.ke != rk->ke_group)
		return "the peer chose another key exchange than ours";
	if (!ts_within(m->tsi.v, m->tsi.n, ts_set_local(sa->ts), sa->ts->n_local) ||
	    !ts_within(m->tsr.v, m->tsr.n, ts_set_remote(sa->ts), sa->ts->n_remote))
		return "the peer's traffic selectors are not within ours";
	/* (handled again after a key exchange job: the first copy goes) */
	ts_set_replace(&rk->next_ts, ts_set_new(m->tsi.v, m->tsi.n, m->tsr.v, m->tsr.n));
	if (!rk->next_ts)
		return "no memory for the traffic selectors";
	nx->spi_out = ike_spi4_get(m->sap.v[0].spi);
	return pfs_secret(sa, &rk->ke, nx->chosen.ke, m, shared);
}

/* INVALID_KE_PAYLOAD: once more with the group the peer asks for, if we
 * allow it (§1.3). */
static bool retry_with_group(struct ike_sa *sa, uint16_t group)
{
	const struct conf_child *ch = &sa->conn->c->child;
	struct child_rekey *rk = sa->rekey;

	if (!group || group == rk->ke_group || rk->ke_retries++ > 0 ||
	    !proposal_has_ke(ch->esp_proposals, ch->n_esp_proposals, group) ||
	    ike_ke_renew(sa, &rk->ke, &rk->ke_group, group) != 0 || send_rekey(sa) != 0)
		return false;
	log_ctx_msg(&sa->log, LOG_LVL_INFO, "the peer wants key exchange %s for the rekey",
		    crypto_ke_name(group));
	return true;
}

/* Our rekey failed or was refused. */
static void rekey_failed(struct ike_sa *sa, const char *why)
{
	uint32_t old_in = sa->rekey->old_spi_in;

	if (sa->coll) {
		log_ctx_msg(&sa->log, LOG_LVL_INFO, "rekeying CHILD SA %08x_i failed: %s; the "
			    "peer's rekey replaces it", old_in, why);
		take_collision(sa);
	} else if (!sa->child.is_installed || sa->child.spi_in != old_in) {
		log_ctx_msg(&sa->log, LOG_LVL_INFO, "rekeying CHILD SA %08x_i failed: %s; it "
			    "is gone meanwhile", old_in, why);
	} else {
		log_ctx_msg(&sa->log, LOG_LVL_WARN, "rekeying CHILD SA %08x_i failed: %s; "
			    "trying again in %u s or a little more", old_in, why,
			    REKEY_RETRY_MS / 1000);
		retry_later(sa, REKEY_RETRY_MS);
	}
}

/* The peer made the new Child SA: install it and delete the old one,
 * unless the old one went meanwhile or a collision made ours redundant. */
static void rekey_done(struct ike_sa *sa, const struct ike_cc_payloads *m,
		       const struct secret *shared)
{
	struct child_rekey *rk = sa->rekey;
	struct ike_exchange_nonces ours = { rk->ni, rk->ni_len, m->nonce.data, m->nonce.len };
	struct ike_exchange_nonces theirs = { 0 };
	uint32_t old_in = rk->old_spi_in;

	if (!sa->child.is_installed || sa->child.spi_in != old_in) {
		log_ctx_msg(&sa->log, LOG_LVL_INFO, "CHILD SA %08x_i went while it was rekeyed: "
			    "deleting its replacement %08x_i", old_in, rk->next.spi_in);
		ike_delete_child(sa, rk->next.spi_in, IKE_REQ_DELETE_REDUNDANT);
		return;
	}
	if (sa->coll)
		theirs = (struct ike_exchange_nonces){ sa->coll->ni, sa->coll->ni_len, sa->coll->nr,
						       sizeof(sa->coll->nr) };
	if (sa->coll && ike_collision_lost(&ours, &theirs)) {
		log_ctx_msg(&sa->log, LOG_LVL_INFO, "rekey collision: the peer's CHILD SA %08x_i "
			    "stays, ours %08x_i is redundant", sa->coll->sa.spi_in, rk->next.spi_in);
		take_collision(sa);
		ike_delete_child(sa, rk->next.spi_in, IKE_REQ_DELETE_REDUNDANT);
		return;
	}
	if (ike_child_install(sa, &rk->next, shared, rk->ni, rk->ni_len, m->nonce.data,
			      m->nonce.len, true, false) != 0) {
		rekey_failed(sa, "the data plane did not take the new Child SA");
		return;
	}
	if (sa->coll) {
		log_ctx_msg(&sa->log, LOG_LVL_INFO, "rekey collision: our CHILD SA %08x_i stays, "
			    "the peer deletes its %08x_i", rk->next.spi_in, sa->coll->sa.spi_in);
		sa->coll->until = ike_now(sa->e) + COLL_CHILD_GRACE_MS;
	}
	swap_in(sa, &rk->next, &rk->next_ts);
	ike_delete_child(sa, old_in, IKE_REQ_DELETE_CHILD);
}

void ike_create_child_response(struct ike_sa *sa, const struct ike_hdr *h,
			       const struct ike_chain *c)
{
	struct secret *shared = NULL;
	struct ike_cc_payloads m;
	const char *why;

	if (sa->req.kind == IKE_REQ_REKEY_IKE) {
		ike_rekey_ike_response(sa, h, c);
		return;
	}
	ike_request_done(sa);
	if (!sa->rekey)
		return;                  /* (only our rekey asks CREATE_CHILD_SA for a Child SA) */
	if (!ike_cc_decode(c, &m)) {
		why = "a malformed response";
	} else if (m.error == IKE_N_INVALID_KE_PAYLOAD && sa->child.is_installed &&
		   sa->child.spi_in == sa->rekey->old_spi_in &&
		   retry_with_group(sa, m.invalid_ke_group)) {
		return;
	} else if (m.error) {
		why = ike_notify_name(m.error);
	} else {
		why = accept_response(sa, &m, &shared);
	}
	if (why)
		rekey_failed(sa, why);
	else
		rekey_done(sa, &m, shared);
	secret_free(shared);
	ike_rekey_clear(sa);
}

/* ---- responder ---- */

static void respond_error(struct ike_sa *sa, const struct ike_hdr *h, uint16_t type,
			  uint16_t ke_group)
{
	uint8_t data[2] = { (uint8_t)(ke_group >> 8), (uint8_t)ke_group };

	ike_respond_notify(sa, h->exchange, h->msg_id, type, ke_group ? data : NULL,
			   ke_group ? 2 : 0);
}

/* Proposal, key exchange group and selectors for the new Child SA; 0,
 * or the notify to answer with (*ke_group for INVALID_KE_PAYLOAD). */
static uint16_t choose(struct ike_sa *sa, const struct ike_cc_payloads *m, struct child_sa *nx,
		       struct ts_set **ts, uint16_t *ke_group)
{
	const struct conf_child *ch = &sa->conn->c->child;
	struct ike_prop props[CONF_MAX_PROPOSALS];
	size_t n = rekey_props(ch, 0, props);
	uint16_t why;

	*ke_group = 0;
	if (!m->has_sa || !m->has_nonce || !m->has_ts)
		return IKE_N_INVALID_SYNTAX;
	if (proposal_select(props, n, m->sap.v, m->sap.n, m->has_ke ? m->ke.group : 0,
			    &nx->chosen) != 0 ||
	    nx->chosen.spi_len != 4 || proposal_esp_alg(&nx->chosen, &nx->alg) != 0)
		return IKE_N_NO_PROPOSAL_CHOSEN;
	if (nx->chosen.ke && (!m->has_ke || m->ke.group != nx->chosen.ke)) {
		*ke_group = nx->chosen.ke;
		return IKE_N_INVALID_KE_PAYLOAD;
	}
	nx->spi_out = ike_spi4_get(nx->chosen.spi);
	why = ike_child_narrow(ch, &m->tsi, &m->tsr, ts);
	if (!why && ike_child_new_spi(&nx->spi_in) != 0)
		why = IKE_N_NO_PROPOSAL_CHOSEN;
	return why;
}

static bool build_response(struct ike_sa *sa, const struct child_sa *nx,
			   const struct ts_set *ts, const uint8_t *nr, size_t nr_len,
			   const uint8_t *ke_pub, size_t ke_len, struct ike_builder *b)
{
	struct ike_prop prop;
	uint8_t spi[4];

	ike_spi4_put(nx->spi_in, spi);
	proposal_from_chosen(&nx->chosen, spi, 4, &prop);
	ike_build_sa(b, &prop, 1);
	ike_build_nonce(b, nr, nr_len);
	if (ke_len)
		ike_build_ke(b, nx->chosen.ke, ke_pub, ke_len);
	ike_build_ts(b, false, ts_set_remote(ts), ts->n_remote);
	ike_build_ts(b, true, ts_set_local(ts), ts->n_local);
	return ike_build_ok(b);
}

/* Our KE for the response and the shared secret; false on failure. */
static bool respond_ke(struct ike_sa *sa, const struct child_sa *nx,
		       const struct ike_cc_payloads *m, uint8_t *pub, size_t *pub_len,
		       struct secret **shared)
{
	struct crypto_ke *ke = NULL;
	bool is_ok;

	*pub_len = 0;
	*shared = NULL;
	if (!nx->chosen.ke)
		return true;
	*pub_len = crypto_ke_public_len(nx->chosen.ke);
	is_ok = ike_ke_take(sa, &ke, nx->chosen.ke, m->ke.data, m->ke.len, shared) == 0 &&
		crypto_ke_public(ke, pub, *pub_len) == 0;
	crypto_ke_free(ke);
	return is_ok;
}

/* The peer's rekey is refused: what was made for it goes, the record of
 * a collision too (so that the peer's next try is no collision with an
 * empty SA). */
static void refuse(struct ike_sa *sa, bool is_collision, struct ts_set *ts,
		   struct secret *shared)
{
	free(ts);
	secret_free(shared);
	if (is_collision)
		forget_collision(sa);
}

static void rekey_request(struct ike_sa *sa, const struct ike_hdr *h, const struct ike_cc_payloads *m)
{
	uint8_t nr[IKE_NONCE_LEN], pub[CRYPTO_KE_MAX_PUBLIC], chain[4096];
	struct secret *shared = NULL;
	struct child_sa nx = { 0 };
	struct ts_set *ts = NULL;
	struct ike_builder b;
	uint16_t err_type, ke_group;
	size_t pub_len;
	uint8_t *msg;
	size_t len;

	bool is_collision;

	/* §2.25.1: the SA we are deleting (the one a rekey replaced) is
	 * not rekeyed; one we do not have is not found. */
	if (sa->old_child && m->rekey_spi == sa->old_child->spi_out) {
		respond_error(sa, h, IKE_N_TEMPORARY_FAILURE, 0);
		return;
	}
	if (!sa->child.is_installed || m->rekey_spi != sa->child.spi_out) {
		respond_error(sa, h, IKE_N_CHILD_SA_NOT_FOUND, 0);
		return;
	}
	/* We rekey it too: answered as usual, the nonces decide later
	 * (§2.8.1). A rekey not finished yet: the peer tries again. */
	is_collision = sa->req.kind == IKE_REQ_REKEY_CHILD && sa->rekey &&
		       sa->rekey->old_spi_in == sa->child.spi_in;
	if (sa->old_child || sa->coll ||
	    (sa->req.kind == IKE_REQ_REKEY_CHILD && !is_collision)) {
		respond_error(sa, h, IKE_N_TEMPORARY_FAILURE, 0);
		return;
	}
	if (is_collision && !(sa->coll = calloc(1, sizeof(*sa->coll)))) {
		respond_error(sa, h, IKE_N_TEMPORARY_FAILURE, 0);
		return;
	}
	err_type = choose(sa, m, &nx, &ts, &ke_group);
	if (!err_type && (crypto_random(nr, sizeof(nr)) != 0 ||
			  !respond_ke(sa, &nx, m, pub, &pub_len, &shared)))
		err_type = nx.chosen.ke ? IKE_N_INVALID_KE_PAYLOAD : IKE_N_NO_PROPOSAL_CHOSEN;
	if (err_type) {
		log_ctx_msg(&sa->log, LOG_LVL_WARN, "rekey of CHILD SA %08x_i refused: %s",
			    sa->child.spi_in, ike_notify_name(err_type));
		refuse(sa, is_collision, ts, shared);
		respond_error(sa, h, err_type, err_type == IKE_N_INVALID_KE_PAYLOAD ? ke_group : 0);
		return;
	}
	ike_build_begin_chain(&b, chain, sizeof(chain));
	if (!build_response(sa, &nx, ts, nr, sizeof(nr), pub, pub_len, &b) ||
	    ike_sk_message(sa, IKE_CREATE_CHILD_SA, true, h->msg_id, &b, &msg, &len) != 0) {
		free(ts);
		secret_free(shared);
		ike_sa_kill(sa, "cannot build the CREATE_CHILD_SA response");
		return;
	}
	secret_wipe(chain, sizeof(chain));
	/* Inbound first: the initiator sends on the new SA once answered. */
	if (ike_child_install(sa, &nx, shared, m->nonce.data, m->nonce.len, nr, sizeof(nr),
			      false, true) != 0) {
		free(msg);
		refuse(sa, is_collision, ts, shared);
		respond_error(sa, h, IKE_N_NO_PROPOSAL_CHOSEN, 0);
		return;
	}
	secret_free(shared);
	if (is_collision) {
		log_ctx_msg(&sa->log, LOG_LVL_INFO, "rekey collision: the peer rekeys CHILD SA "
			    "%08x_i too", sa->child.spi_in);
		sa->coll->sa = nx;
		sa->coll->ts = ts;
		memcpy(sa->coll->ni, m->nonce.data, m->nonce.len);
		sa->coll->ni_len = m->nonce.len;
		memcpy(sa->coll->nr, nr, sizeof(nr));
	} else {
		swap_in(sa, &nx, &ts);
	}
	ike_send_response(sa, msg, len);
}

void ike_create_child_request(struct ike_sa *sa, const struct ike_hdr *h,
			      const struct ike_chain *c)
{
	struct ike_cc_payloads m;

	if (!ike_cc_decode(c, &m)) {
		respond_error(sa, h, IKE_N_INVALID_SYNTAX, 0);
		return;
	}
	if (!m.has_rekey && m.has_sa && m.sap.n && m.sap.v[0].protocol == IKE_PROTO_IKE) {
		ike_rekey_ike_request(sa, h, c);
		return;
	}
	if (!m.has_rekey || m.rekey_protocol != IKE_PROTO_ESP) {
		/* A further Child SA (§3.10.1): one per connection. */
		respond_error(sa, h, IKE_N_NO_ADDITIONAL_SAS, 0);
		return;
	}
	rekey_request(sa, h, &m);
}

/* ---- the old Child SA ---- */

void ike_old_child_drop(struct ike_sa *sa)
{
	if (!sa->old_child)
		return;
	ike_child_drop(sa, sa->old_child);
	secret_wipe(sa->old_child, sizeof(*sa->old_child));
	free(sa->old_child);
	sa->old_child = NULL;
}

void ike_rekey_old_done(struct ike_sa *sa)
{
	sa->old_until = 0;
	if (!sa->old_child)
		return;
	/* The new outbound SA first, so that no packet finds none. */
	ike_child_install_out(sa, &sa->child);
	log_ctx_msg(&sa->log, LOG_LVL_INFO, "CHILD SA %08x_i %08x_o replaced by %08x_i %08x_o",
		    sa->old_child->spi_in, sa->old_child->spi_out, sa->child.spi_in,
		    sa->child.spi_out);
	ike_old_child_drop(sa);
}

bool ike_rekey_peer_deletes(struct ike_sa *sa, uint32_t spi_out, uint32_t *spi_in)
{
	if (sa->old_child && spi_out == sa->old_child->spi_out) {
		*spi_in = sa->old_child->spi_in;
		ike_rekey_old_done(sa);
		return true;
	}
	if (sa->coll && spi_out == sa->coll->sa.spi_out) {
		*spi_in = sa->coll->sa.spi_in;
		log_ctx_msg(&sa->log, LOG_LVL_INFO, "peer deleted the redundant CHILD SA %08x_i "
			    "%08x_o", sa->coll->sa.spi_in, spi_out);
		ike_collision_drop(sa);
		return true;
	}
	/* A collision the peer won, over before our rekey is answered. */
	if (sa->coll && sa->child.is_installed && spi_out == sa->child.spi_out &&
	    !sa->old_child) {
		*spi_in = sa->child.spi_in;
		log_ctx_msg(&sa->log, LOG_LVL_INFO, "rekey collision: the peer's CHILD SA %08x_i "
			    "stays", sa->coll->sa.spi_in);
		take_collision(sa);
		ike_rekey_old_done(sa);
		return true;
	}
	return false;
}

uint64_t ike_rekey_child_due(const struct ike_sa *sa)
{
	uint64_t t = UINT64_MAX;

	if (sa->old_until)
		t = sa->old_until;
	if (sa->coll && sa->coll->until && sa->coll->until < t)
		t = sa->coll->until;
	return t;
}

void ike_rekey_child_timer(struct ike_sa *sa, uint64_t now)
{
	if (sa->old_until && sa->old_until <= now)
		ike_rekey_old_done(sa);
	if (sa->coll && sa->coll->until && sa->coll->until <= now) {
		log_ctx_msg(&sa->log, LOG_LVL_INFO, "the peer did not delete the redundant CHILD "
			    "SA %08x_i: removed", sa->coll->sa.spi_in);
		ike_collision_drop(sa);
	}
}
