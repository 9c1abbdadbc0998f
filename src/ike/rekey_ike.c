/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Rekeying the IKE SA (RFC 7296 §1.3.2, §2.18) with CREATE_CHILD_SA on
 * the old IKE SA:
 *
 *   SA (IKE, the new SPI), Ni, KEi  --->
 *                                   <---  SA (IKE, the new SPI), Nr, KEr
 *
 * The new IKE SA's keys: SKEYSEED = prf_old(SK_d_old, g^ir | Ni | Nr).
 * Whoever sent the request is the new SA's initiator. The Child SAs move
 * to the new IKE SA untouched (their ESP goes on as before); the
 * initiator then deletes the old IKE SA on the old SA. A responder whose
 * peer never sends that delete drops the old SA after a while.
 *
 * When both ends rekey at once (§2.8.2), each answers the other and two
 * new IKE SAs arise; the lowest of the four nonces marks the redundant
 * one (collision.c), which the end that began its exchange deletes,
 * while the other end moves the Child SAs to the one that stays and
 * deletes the old SA. Should that delete come before our own answer, the
 * peer's new SA takes the Child SAs at once.
 */
#include "ike/ike_int.h"

#include <stdlib.h>
#include <string.h>

#define IKE_REKEY_RETRY_MS 10000
#define IKE_REKEY_BUSY_MS 1000
#define OLD_IKE_GRACE_MS 30000

static void spi_bytes(uint64_t spi, uint8_t out[8])
{
	for (int i = 0; i < 8; i++)
		out[i] = (uint8_t)(spi >> (56 - 8 * i));
}

static uint64_t spi_from(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

/* Our IKE proposals with an 8-byte SPI. */
static size_t ike_props(const struct conf_ike *ci, uint64_t spi, struct ike_prop *out)
{
	for (size_t i = 0; i < ci->n_proposals; i++) {
		out[i] = ci->proposals[i];
		out[i].num = (uint8_t)(i + 1);
		out[i].protocol = IKE_PROTO_IKE;
		out[i].spi_len = 8;
		spi_bytes(spi, out[i].spi);
	}
	return ci->n_proposals;
}

uint64_t ike_rekey_ike_at(const struct ike_sa *sa)
{
	uint64_t ms = (uint64_t)sa->conn->c->rekey_time * 1000;
	uint32_t r = 0;

	if (ms == 0)
		return 0;
	if (crypto_random(&r, sizeof(r)) == 0)
		ms -= (uint64_t)r % ((uint64_t)sa->conn->c->rand_time * 1000 + 1);
	return ike_now(sa->e) + (ms ? ms : 1);
}

void ike_rekey_ike_clear(struct ike_sa *sa)
{
	if (!sa->ike_rekey)
		return;
	crypto_ke_free(sa->ike_rekey->ke);
	secret_wipe(sa->ike_rekey, sizeof(*sa->ike_rekey));
	free(sa->ike_rekey);
	sa->ike_rekey = NULL;
}

/* The new IKE SA, established, with the old one's connection and peer;
 * the Child SAs move with take_over(). */
static int successor(struct ike_sa *old, bool is_initiator, uint64_t spi_i, uint64_t spi_r,
		     const struct ike_chosen *chosen, const struct secret *shared,
		     const uint8_t *ni, size_t ni_len, const uint8_t *nr, size_t nr_len,
		     struct ike_sa **out)
{
	struct ike_engine *e = old->e;
	struct ike_sa *sa;
	int err;

	*out = NULL;
	err = ike_sa_new(e, is_initiator, spi_i, &old->path, &sa);
	if (err)
		return err;
	sa->spi_r = spi_r;
	sa->chosen = *chosen;
	sa->conn = old->conn;
	err = ike_sa_register(sa);
	if (!err)
		err = ike_keys_derive_rekey(&sa->keys, &old->keys, chosen, shared, ni, ni_len,
					    nr, nr_len, sa->spi_i, sa->spi_r);
	if (!err)
		ike_sa_use_keys(sa);
	/* (kept for a collision's lowest nonce) */
	if (!err)
		err = ike_nonce_set(&sa->ni, &sa->ni_len, ni, ni_len);
	if (!err)
		err = ike_nonce_set(&sa->nr, &sa->nr_len, nr, nr_len);
	if (err) {
		sa->conn = NULL;
		ike_sa_kill(sa, NULL);
		return err;
	}
	sa->is_nat_local = old->is_nat_local;
	sa->is_nat_remote = old->is_nat_remote;
	sa->peer_id = old->peer_id;
	log_ctx_set(&sa->log, "%s[%u]", sa->conn->t->name, sa->unique_id);
	ike_sa_set_state(sa, IKE_SA_ESTABLISHED);
	*out = sa;
	return 0;
}

/* sa replaces old: the Child SAs move as they are (old has none left)
 * and the connection follows. */
static void take_over(struct ike_sa *old, struct ike_sa *sa)
{
	sa->child = old->child;
	ts_set_replace(&sa->ts, old->ts);
	old->ts = NULL;
	sa->old_child = old->old_child;
	sa->old_until = old->old_until;
	memset(&old->child, 0, sizeof(old->child));
	old->old_child = NULL;
	old->old_until = 0;
	if (sa->conn->sa == old)
		sa->conn->sa = sa;
	sa->reauth_at = old->reauth_at;      /* counted from the authentication */
	sa->reauth_spi = old->reauth_spi;
	old->reauth_at = 0;
	ike_life_ike_up(sa);
	log_ctx_msg(&sa->log, LOG_LVL_INFO, "IKE SA %016llx_i %016llx_r replaces %s[%u] "
		    "%016llx_i %016llx_r", (unsigned long long)sa->spi_i,
		    (unsigned long long)sa->spi_r, sa->conn->t->name, old->unique_id,
		    (unsigned long long)old->spi_i, (unsigned long long)old->spi_r);
}

/* ---- initiator ---- */

static int send_request(struct ike_sa *sa)
{
	const struct conf_ike *ci = sa->conn->c;
	struct ike_rekey *rk = sa->ike_rekey;
	struct ike_prop props[CONF_MAX_PROPOSALS];
	uint8_t chain[4096], pub[CRYPTO_KE_MAX_PUBLIC];
	size_t pub_len = crypto_ke_public_len(rk->ke_group);
	struct ike_builder b;
	uint8_t *msg;
	size_t len;
	int err;

	ike_build_begin_chain(&b, chain, sizeof(chain));
	ike_build_sa(&b, props, ike_props(ci, rk->spi, props));
	ike_build_nonce(&b, rk->ni, rk->ni_len);
	err = crypto_ke_public(rk->ke, pub, pub_len);
	if (!err) {
		ike_build_ke(&b, rk->ke_group, pub, pub_len);
		err = ike_build_ok(&b) ? ike_sk_message(sa, IKE_CREATE_CHILD_SA, false,
							sa->next_req_id, &b, &msg, &len)
				       : IFS_ERR_RANGE;
	}
	secret_wipe(chain, sizeof(chain));
	if (err)
		return err;
	ike_send_request(sa, IKE_REQ_REKEY_IKE, IKE_CREATE_CHILD_SA, msg, len);
	return 0;
}

static void rekey_ike_again(struct ike_sa *sa)
{
	(void)!ike_rekey_ike_start(sa);
}

/* The group of the SA now, if we still allow it, else our first. */
static uint16_t ke_group(const struct ike_sa *sa)
{
	const struct conf_ike *ci = sa->conn->c;

	if (proposal_has_ke(ci->proposals, ci->n_proposals, sa->chosen.ke))
		return sa->chosen.ke;
	for (size_t i = 0; i < ci->n_proposals; i++)
		for (size_t k = 0; k < ci->proposals[i].n_xf; k++)
			if (ci->proposals[i].xf[k].type == IKE_TT_KE)
				return ci->proposals[i].xf[k].id;
	return 0;
}

int ike_rekey_ike_start(struct ike_sa *sa)
{
	struct ike_rekey *rk;
	int err;

	if (sa->state != IKE_SA_ESTABLISHED || !sa->conn || sa->conn->sa != sa) {
		sa->rekey_at = 0;   /* replaced: its successor rekeys */
		return IFS_ERR_NOT_FOUND;
	}
	if (sa->req.exchange || sa->old_child || sa->coll || sa->job) {
		sa->rekey_at = ike_now(sa->e) + IKE_REKEY_BUSY_MS;
		return IFS_ERR_BUSY;
	}
	/* a MODP key pair: made on a thread first, then this again */
	if (ike_ke_pair_later(sa, ke_group(sa), rekey_ike_again))
		return 0;
	ike_rekey_ike_clear(sa);
	rk = sa->ike_rekey = calloc(1, sizeof(*rk));
	if (!rk) {
		sa->rekey_at = ike_now(sa->e) + IKE_REKEY_RETRY_MS;
		return IFS_ERR_NOMEM;
	}
	rk->ni_len = IKE_NONCE_LEN;
	do {
		err = crypto_random(&rk->spi, sizeof(rk->spi)) == 0 ? 0 : IFS_ERR_CRYPTO;
	} while (!err && (rk->spi == 0 || ike_sa_by_local(sa->e, rk->spi)));
	if (!err)
		err = crypto_random(rk->ni, rk->ni_len) == 0 ? 0 : IFS_ERR_CRYPTO;
	if (!err)
		err = ike_ke_renew(sa, &rk->ke, &rk->ke_group, ke_group(sa));
	if (!err)
		err = send_request(sa);
	if (err) {
		ike_rekey_ike_clear(sa);
		sa->rekey_at = ike_now(sa->e) + IKE_REKEY_RETRY_MS;
		return err;
	}
	sa->rekey_at = 0;
	log_ctx_msg(&sa->log, LOG_LVL_INFO, "rekeying IKE SA %016llx_i %016llx_r",
		    (unsigned long long)sa->spi_i, (unsigned long long)sa->spi_r);
	return 0;
}

static const char *check_response(struct ike_sa *sa, const struct ike_cc_payloads *m,
				  struct ike_chosen *chosen, struct secret **shared)
{
	const struct conf_ike *ci = sa->conn->c;
	struct ike_rekey *rk = sa->ike_rekey;
	struct ike_prop props[CONF_MAX_PROPOSALS];
	size_t n = ike_props(ci, rk->spi, props);

	*shared = NULL;
	if (m->error)
		return ike_notify_name(m->error);
	if (!m->has_sa || m->sap.n != 1 || !m->has_nonce || !m->has_ke ||
	    m->sap.v[0].spi_len != 8 || spi_from(m->sap.v[0].spi) == 0)
		return "an incomplete response";
	if (proposal_accept_response(props, n, &m->sap.v[0], chosen) != 0)
		return "the peer chose an IKE proposal we did not offer";
	if (chosen->ke != rk->ke_group || m->ke.group != rk->ke_group)
		return "the peer chose another key exchange than ours";
	/* (a job may have our key pair: ike_ke_take gives it back) */
	if ((!rk->ke && !sa->pre) ||
	    ike_ke_take(sa, &rk->ke, rk->ke_group, m->ke.data, m->ke.len, shared) != 0)
		return "the peer's key exchange value is not acceptable";
	return NULL;
}

/* The new IKE SA the peer's colliding rekey made, if it is still there. */
static struct ike_sa *collided(struct ike_sa *sa, uint64_t coll_spi)
{
	struct ike_sa *theirs = coll_spi ? ike_sa_by_local(sa->e, coll_spi) : NULL;

	return theirs && theirs->conn == sa->conn ? theirs : NULL;
}

/* Our rekey made ours; which one stays (§2.8.2)? */
static void resolve(struct ike_sa *sa, struct ike_sa *ours, struct ike_sa *theirs)
{
	struct ike_exchange_nonces o = { ours->ni, ours->ni_len, ours->nr, ours->nr_len };
	struct ike_exchange_nonces t = { theirs ? theirs->ni : NULL, theirs ? theirs->ni_len : 0,
					 theirs ? theirs->nr : NULL, theirs ? theirs->nr_len : 0 };
	uint64_t grace = ike_now(sa->e) + OLD_IKE_GRACE_MS;

	if (theirs && ike_collision_lost(&o, &t)) {
		log_ctx_msg(&sa->log, LOG_LVL_INFO, "rekey collision: the peer's IKE SA [%u] "
			    "stays, ours [%u] is redundant", theirs->unique_id, ours->unique_id);
		take_over(sa, theirs);
		ike_delete_ike(ours);
		sa->gone_at = grace;            /* the peer deletes the old one */
		return;
	}
	if (theirs) {
		log_ctx_msg(&sa->log, LOG_LVL_INFO, "rekey collision: our IKE SA [%u] stays, the "
			    "peer deletes its [%u]", ours->unique_id, theirs->unique_id);
		theirs->gone_at = grace;
		sa->redundant_spi = theirs->spi_r;
	}
	take_over(sa, ours);
	ike_delete_ike(sa);
}

void ike_rekey_ike_response(struct ike_sa *sa, const struct ike_hdr *h,
			    const struct ike_chain *c)
{
	struct ike_rekey *rk = sa->ike_rekey;
	struct ike_cc_payloads m;
	struct ike_chosen chosen;
	struct secret *shared = NULL;
	struct ike_sa *nsa = NULL, *theirs;
	const char *why;

	(void)h;
	ike_request_done(sa);
	if (IFS_BUG(!rk))                     /* (made before the request went) */
		return;
	if (!ike_cc_decode(c, &m))
		why = "a malformed response";
	else if (m.error == IKE_N_INVALID_KE_PAYLOAD && m.invalid_ke_group &&
		 !rk->coll_spi && rk->ke_retries++ == 0 &&
		 proposal_has_ke(sa->conn->c->proposals, sa->conn->c->n_proposals,
				 m.invalid_ke_group) &&
		 ike_ke_renew(sa, &rk->ke, &rk->ke_group, m.invalid_ke_group) == 0 &&
		 send_request(sa) == 0)
		return;
	else
		why = check_response(sa, &m, &chosen, &shared);
	if (!why && successor(sa, true, rk->spi, spi_from(m.sap.v[0].spi), &chosen, shared,
			      rk->ni, rk->ni_len, m.nonce.data, m.nonce.len, &nsa) != 0)
		why = "the new IKE SA could not be made";
	secret_free(shared);
	theirs = collided(sa, rk->coll_spi);
	ike_rekey_ike_clear(sa);
	if (why && theirs) {
		log_ctx_msg(&sa->log, LOG_LVL_INFO, "rekeying the IKE SA failed: %s; the peer's "
			    "rekey replaces it", why);
		take_over(sa, theirs);
		sa->gone_at = ike_now(sa->e) + OLD_IKE_GRACE_MS;
	} else if (why) {
		uint32_t r = 0;

		log_ctx_msg(&sa->log, LOG_LVL_WARN, "rekeying the IKE SA failed: %s; trying "
			    "again in %u s or a little more", why, IKE_REKEY_RETRY_MS / 1000);
		/* (at random up to half as long again: see create_child.c) */
		if (crypto_random(&r, sizeof(r)) != 0)
			r = 0;
		sa->rekey_at = ike_now(sa->e) + IKE_REKEY_RETRY_MS + r % (IKE_REKEY_RETRY_MS / 2);
	} else {
		resolve(sa, nsa, theirs);
	}
}

void ike_rekey_ike_old_deleted(struct ike_sa *sa)
{
	struct ike_sa *theirs = collided(sa, sa->redundant_spi);

	if (theirs)
		ike_sa_kill(theirs, "the peer's redundant IKE SA of a rekey collision, which "
			    "it never had");
}

void ike_rekey_ike_peer_deletes(struct ike_sa *sa)
{
	struct ike_sa *theirs = collided(sa, sa->ike_rekey ? sa->ike_rekey->coll_spi : 0);

	if (!theirs)
		return;
	log_ctx_msg(&sa->log, LOG_LVL_INFO, "rekey collision: the peer's IKE SA [%u] stays",
		    theirs->unique_id);
	take_over(sa, theirs);
}

/* ---- responder ---- */

static void respond_error(struct ike_sa *sa, const struct ike_hdr *h, uint16_t type,
			  uint16_t group)
{
	uint8_t data[2] = { (uint8_t)(group >> 8), (uint8_t)group };

	log_ctx_msg(&sa->log, LOG_LVL_WARN, "rekey of the IKE SA refused: %s",
		    ike_notify_name(type));
	ike_respond_notify(sa, h->exchange, h->msg_id, type, group ? data : NULL, group ? 2 : 0);
}

static uint16_t choose(struct ike_sa *sa, const struct ike_cc_payloads *m,
		       struct ike_chosen *chosen, uint16_t *group)
{
	const struct conf_ike *ci = sa->conn->c;
	struct ike_prop props[CONF_MAX_PROPOSALS];
	size_t n = ike_props(ci, 0, props);

	*group = 0;
	if (!m->has_sa || !m->has_nonce)
		return IKE_N_INVALID_SYNTAX;
	if (proposal_select(props, n, m->sap.v, m->sap.n, m->has_ke ? m->ke.group : 0,
			    chosen) != 0 || chosen->spi_len != 8 || spi_from(chosen->spi) == 0 ||
	    !chosen->ke)
		return IKE_N_NO_PROPOSAL_CHOSEN;
	if (!m->has_ke || m->ke.group != chosen->ke) {
		*group = chosen->ke;
		return IKE_N_INVALID_KE_PAYLOAD;
	}
	return 0;
}

static bool build_response(const struct ike_chosen *chosen, uint64_t our_spi,
			   const uint8_t *nr, size_t nr_len, const uint8_t *pub, size_t pub_len,
			   struct ike_builder *b)
{
	struct ike_prop prop;
	uint8_t spi[8];

	spi_bytes(our_spi, spi);
	proposal_from_chosen(chosen, spi, 8, &prop);
	ike_build_sa(b, &prop, 1);
	ike_build_nonce(b, nr, nr_len);
	ike_build_ke(b, chosen->ke, pub, pub_len);
	return ike_build_ok(b);
}

/* Our KE value and the shared secret; false when the peer's is bad. */
static bool our_ke(struct ike_sa *sa, uint16_t group, const struct ike_ke_pl *theirs,
		   uint8_t *pub, size_t *pub_len, struct secret **shared)
{
	struct crypto_ke *ke = NULL;
	bool is_ok;

	*pub_len = crypto_ke_public_len(group);
	is_ok = ike_ke_take(sa, &ke, group, theirs->data, theirs->len, shared) == 0 &&
		crypto_ke_public(ke, pub, *pub_len) == 0;
	crypto_ke_free(ke);
	return is_ok;
}

void ike_rekey_ike_request(struct ike_sa *sa, const struct ike_hdr *h, const struct ike_chain *c)
{
	uint8_t nr[IKE_NONCE_LEN], pub[CRYPTO_KE_MAX_PUBLIC], chain[4096];
	struct secret *shared = NULL;
	struct ike_cc_payloads m;
	struct ike_chosen chosen;
	struct ike_builder b;
	struct ike_sa *nsa;
	uint64_t our_spi = 0;
	uint16_t err_type, group;
	bool is_collision;
	size_t pub_len = 0;
	uint8_t *msg;
	size_t len;

	if (!ike_cc_decode(c, &m)) {
		respond_error(sa, h, IKE_N_INVALID_SYNTAX, 0);
		return;
	}
	/* We rekey it too: answered as usual, the nonces decide when our
	 * answer comes (§2.8.2). Another request of ours out (a Child SA's
	 * rekey or delete) or a Child SA rekey unfinished: the peer tries
	 * again later (§2.25.2). */
	is_collision = sa->req.kind == IKE_REQ_REKEY_IKE && sa->ike_rekey &&
		       !sa->ike_rekey->coll_spi;
	if (!sa->conn || sa->conn->sa != sa || (sa->req.exchange && !is_collision) ||
	    sa->old_child || sa->coll) {
		respond_error(sa, h, IKE_N_TEMPORARY_FAILURE, 0);
		return;
	}
	err_type = choose(sa, &m, &chosen, &group);
	if (!err_type && (crypto_random(nr, sizeof(nr)) != 0 ||
			  !our_ke(sa, chosen.ke, &m.ke, pub, &pub_len, &shared)))
		err_type = IKE_N_NO_PROPOSAL_CHOSEN;
	if (!err_type &&
	    successor(sa, false, spi_from(chosen.spi), 0, &chosen, shared, m.nonce.data,
		      m.nonce.len, nr, sizeof(nr), &nsa) != 0)
		err_type = IKE_N_NO_PROPOSAL_CHOSEN;
	secret_free(shared);
	if (err_type) {
		respond_error(sa, h, err_type, group);
		return;
	}
	our_spi = nsa->spi_r;
	ike_build_begin_chain(&b, chain, sizeof(chain));
	if (!build_response(&chosen, our_spi, nr, sizeof(nr), pub, pub_len, &b) ||
	    ike_sk_message(sa, IKE_CREATE_CHILD_SA, true, h->msg_id, &b, &msg, &len) != 0) {
		ike_sa_kill(sa, "cannot build the CREATE_CHILD_SA response");
		return;
	}
	secret_wipe(chain, sizeof(chain));
	ike_send_response(sa, msg, len);
	if (is_collision) {
		log_ctx_msg(&sa->log, LOG_LVL_INFO, "rekey collision: the peer rekeys the IKE SA "
			    "too");
		sa->ike_rekey->coll_spi = our_spi;
		return;
	}
	take_over(sa, nsa);
	sa->gone_at = ike_now(sa->e) + OLD_IKE_GRACE_MS;
}
