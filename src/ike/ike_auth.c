/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * IKE_AUTH (RFC 7296 §1.2, §2.15) with pre-shared keys, and the Child SA
 * it creates: identities, AUTH, ESP proposal, traffic selectors (§2.9),
 * KEYMAT (§2.17), and the hand-over of the Child SA to the data plane.
 */
#include "ike/ike_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ike/auth_psk.h"
#include "ike/ts.h"

#define ID_BODY_MAX (4 + IKE_ID_MAX)

/* One side of what IKE_AUTH carries, decoded. */
struct auth_payloads {
	struct ike_id_pl id;
	bool has_idr;                 /* request: the responder id the initiator wants */
	struct ike_id_pl idr;
	struct ike_auth_pl auth;
	bool has_sa;
	struct ike_sa_pl sap;
	bool has_ts;
	struct ike_ts_pl tsi;
	struct ike_ts_pl tsr;
	bool has_initial_contact;
	uint16_t error;               /* the first error notify, 0 if none */
};

static size_t id_body(const struct ike_id *id, uint8_t *out)
{
	out[0] = id->type;
	out[1] = out[2] = out[3] = 0;
	memcpy(out + 4, id->data, id->len);
	return 4 + (size_t)id->len;
}

static void scan_notifies(const struct ike_chain *c, struct auth_payloads *a)
{
	for (size_t i = 0; i < c->n; i++) {
		struct ike_notify_pl n;

		if (c->v[i].type != IKE_PL_NOTIFY || ike_decode_notify(&c->v[i], &n) != 0)
			continue;
		if (n.type == IKE_N_INITIAL_CONTACT)
			a->has_initial_contact = true;
		else if (n.type <= IKE_N_ERROR_MAX && !a->error)
			a->error = n.type;
	}
}

/* Decode what is there; false when something present is malformed or
 * appears twice (§3: INVALID_SYNTAX). */
static bool decode_auth(const struct ike_chain *c, bool is_request, struct auth_payloads *a)
{
	uint8_t id_type = is_request ? IKE_PL_IDI : IKE_PL_IDR;
	const struct ike_payload *p;
	static const uint8_t once[] = {
		IKE_PL_IDI, IKE_PL_IDR, IKE_PL_AUTH, IKE_PL_SA, IKE_PL_TSI, IKE_PL_TSR,
		IKE_PL_SK, IKE_PL_KE, IKE_PL_NONCE,
	};

	memset(a, 0, sizeof(*a));
	for (size_t i = 0; i < sizeof(once); i++)
		if (ike_chain_count(c, once[i]) > (once[i] == IKE_PL_SK || once[i] == IKE_PL_KE ||
						   once[i] == IKE_PL_NONCE ? 0u : 1u))
			return false;
	scan_notifies(c, a);
	if ((p = ike_chain_find(c, id_type)) && ike_decode_id(p, &a->id) != 0)
		return false;
	if (is_request && (p = ike_chain_find(c, IKE_PL_IDR))) {
		if (ike_decode_id(p, &a->idr) != 0)
			return false;
		a->has_idr = true;
	}
	if ((p = ike_chain_find(c, IKE_PL_AUTH)) && ike_decode_auth(p, &a->auth) != 0)
		return false;
	if ((p = ike_chain_find(c, IKE_PL_SA))) {
		if (ike_decode_sa(p, &a->sap) != 0)
			return false;
		a->has_sa = true;
	}
	if (ike_chain_find(c, IKE_PL_TSI) || ike_chain_find(c, IKE_PL_TSR)) {
		if (!ike_chain_find(c, IKE_PL_TSI) || !ike_chain_find(c, IKE_PL_TSR) ||
		    ike_decode_ts(ike_chain_find(c, IKE_PL_TSI), &a->tsi) != 0 ||
		    ike_decode_ts(ike_chain_find(c, IKE_PL_TSR), &a->tsr) != 0)
			return false;
		a->has_ts = true;
	}
	return true;
}

static const struct secret *find_psk(const struct ike_sa *sa, const struct ike_conn *c,
				     uint8_t peer_type, const uint8_t *peer, size_t peer_len)
{
	const struct ike_engine *e = sa->e;

	return e->ops.find_psk ? e->ops.find_psk(e->ctx, &c->local_id, peer_type, peer, peer_len)
			       : NULL;
}

/* The AUTH value a side must send (§2.15). */
static int psk_auth(const struct ike_sa *sa, const struct secret *psk, bool of_initiator,
		    const uint8_t *body, size_t body_len, uint8_t *out)
{
	return ike_auth_psk(sa->keys.prf, psk,
			    of_initiator ? sa->init_req : sa->init_resp,
			    of_initiator ? sa->init_req_len : sa->init_resp_len,
			    of_initiator ? sa->nr : sa->ni, of_initiator ? sa->nr_len : sa->ni_len,
			    of_initiator ? sa->keys.sk_pi : sa->keys.sk_pr, body, body_len, out);
}

static bool psk_verify(const struct ike_sa *sa, const struct secret *psk, bool of_initiator,
		       const struct ike_id_pl *id, const struct ike_auth_pl *auth)
{
	uint8_t want[CRYPTO_PRF_MAX_LEN];
	size_t len = crypto_prf_len(sa->keys.prf);
	bool is_ok;

	if (auth->method != IKE_AUTH_PSK || auth->len != len ||
	    psk_auth(sa, psk, of_initiator, id->body, id->body_len, want) != 0)
		return false;
	is_ok = crypto_mem_equal(want, auth->data, len);
	secret_wipe(want, sizeof(want));
	return is_ok;
}

/* Our ESP proposals for IKE_AUTH: no KE transforms there (§1.2, the
 * Child SA of IKE_AUTH uses the IKE SA's key exchange). */
static size_t esp_props(const struct conf_child *ch, uint32_t spi, struct ike_prop *out)
{
	size_t n = 0;

	for (size_t i = 0; i < ch->n_esp_proposals; i++) {
		const struct ike_prop *p = &ch->esp_proposals[i];

		out[n] = (struct ike_prop){
			.num = (uint8_t)(n + 1), .protocol = IKE_PROTO_ESP, .spi_len = 4,
		};
		ike_spi4_put(spi, out[n].spi);
		for (size_t j = 0; j < p->n_xf; j++)
			if (p->xf[j].type != IKE_TT_KE)
				out[n].xf[out[n].n_xf++] = p->xf[j];
		n++;
	}
	return n;
}

int ike_child_new_spi(uint32_t *spi)
{
	do {
		if (crypto_random(spi, sizeof(*spi)) != 0)
			return IFS_ERR_CRYPTO;
	} while (*spi < 256);
	return 0;
}

void ike_child_expect(struct ike_sa *sa, uint32_t spi_in)
{
	if (sa->e->ops.child_expect && sa->conn)
		sa->e->ops.child_expect(sa->e->ctx, sa->conn->user, spi_in);
}

void ike_child_drop(struct ike_sa *sa, struct child_sa *ch)
{
	bool was_installed = ch->is_installed;

	secret_free(ch->key_out);
	ch->key_out = NULL;
	ch->is_installed = false;
	ch->is_out_pending = false;
	if (was_installed)
		sa->e->ops.child_down(sa->e->ctx, sa->conn ? sa->conn->user : NULL, ch->spi_in,
				      ch->spi_out);
}

void ike_child_remove(struct ike_sa *sa)
{
	struct ike_sa *heir = sa->conn ? sa->conn->sa : NULL;

	/* The peer's reauthentication replaced this SA: the new Child SA
	 * sends from now on, before this one's SAs go. */
	if (heir && heir != sa)
		ike_reauth_out_now(heir);
	/* (a rekey of ours that is out stays: its answer's SA is deleted) */
	if (sa->req.kind != IKE_REQ_REKEY_CHILD)
		ike_rekey_clear(sa);
	ike_collision_drop(sa);
	ike_old_child_drop(sa);
	ike_child_drop(sa, &sa->child);
	sa->old_until = 0;
}

/* When the Child SA is rekeyed: rekey_time less up to rand_time, as
 * strongSwan does, so that both ends rarely start at once. */
static uint64_t rekey_at(const struct ike_sa *sa)
{
	const struct conf_child *ch = &sa->conn->c->child;
	uint64_t ms = (uint64_t)ch->rekey_time * 1000;
	uint32_t r = 0;

	if (ms == 0)
		return 0;
	if (ch->rand_time && crypto_random(&r, sizeof(r)) == 0)
		ms -= (uint64_t)r % ((uint64_t)ch->rand_time * 1000 + 1);
	return ike_now(sa->e) + (ms ? ms : 1);
}

static void child_info(const struct ike_sa *sa, const struct child_sa *ch,
		       struct ike_child_info *ci)
{
	*ci = (struct ike_child_info){
		.user = sa->conn->user, .alg = ch->alg, .is_esn = ch->chosen.esn == IKE_ESN_YES,
		.spi_in = ch->spi_in, .spi_out = ch->spi_out, .path = sa->path,
		.is_udp_encap = sa->conn->c->is_encap || sa->is_nat_local || sa->is_nat_remote,
		.is_nat_local = sa->is_nat_local,
		.replay_window = sa->conn->t->replay_window,
	};
}

int ike_child_install(struct ike_sa *sa, struct child_sa *ch, const struct secret *pfs,
		      const uint8_t *ni, size_t ni_len, const uint8_t *nr, size_t nr_len,
		      bool is_exchange_initiator, bool out_later)
{
	const struct conf_tunnel *t = sa->conn->t;
	struct child_keys ck;
	struct ike_child_info ci;
	char prop[128];
	int err;

	err = child_keys_derive(&ck, sa->keys.prf, sa->keys.sk_d, ch->alg, pfs, ni, ni_len,
				nr, nr_len);
	if (err)
		return err;
	child_info(sa, ch, &ci);
	ci.key_in = is_exchange_initiator ? ck.r_to_i : ck.i_to_r;
	ci.key_out = is_exchange_initiator ? ck.i_to_r : ck.r_to_i;
	ci.dir = out_later ? IKE_CHILD_IN : IKE_CHILD_BOTH;
	err = out_later ? secret_dup(&ch->key_out, ci.key_out) : 0;
	if (!err)
		err = sa->e->ops.child_up(sa->e->ctx, &ci);
	child_keys_clear(&ck);
	if (err) {
		secret_free(ch->key_out);
		ch->key_out = NULL;
		return err;
	}
	ch->is_installed = true;
	ch->is_out_pending = out_later;
	ch->unique_id = ++sa->e->last_unique_id;
	ch->rekey_at = rekey_at(sa);
	ch->installed_ms = ike_now(sa->e);
	ike_life_child_up(sa, ch, true, !out_later);
	log_ctx_msg(&sa->log, LOG_LVL_INFO,
		    "CHILD SA %s installed, SPIs %08x_i %08x_o, %s%s%s",
		    t->ike->child.name, ch->spi_in, ch->spi_out,
		    proposal_chosen_str(&ch->chosen, prop, sizeof(prop)),
		    ci.is_udp_encap ? ", ESP in UDP" : "", out_later ? ", outbound later" : "");
	return 0;
}

void ike_child_install_out(struct ike_sa *sa, struct child_sa *ch)
{
	struct ike_child_info ci;

	if (!ch->is_out_pending)
		return;
	child_info(sa, ch, &ci);
	ci.key_out = ch->key_out;
	ci.dir = IKE_CHILD_OUT;
	if (sa->e->ops.child_up(sa->e->ctx, &ci) != 0)
		log_ctx_msg(&sa->log, LOG_LVL_ERROR, "the data plane did not take the outbound "
			    "SA %08x", ch->spi_out);
	secret_free(ch->key_out);
	ch->key_out = NULL;
	ch->is_out_pending = false;
	ike_life_child_up(sa, ch, false, true);
}

/* The Child SA of IKE_AUTH, from the IKE SA's own nonces. */
static int install_child(struct ike_sa *sa, bool out_later)
{
	int err = ike_child_install(sa, &sa->child, NULL, sa->ni, sa->ni_len, sa->nr,
				    sa->nr_len, sa->is_initiator, out_later);

	if (!err && sa->e->ops.sa_event && sa->conn->sa == sa)
		sa->e->ops.sa_event(sa->e->ctx, sa->conn->user, true);
	return err;
}

static void established(struct ike_sa *sa, const struct ike_id_pl *peer)
{
	char id[128], prop[128];

	sa->peer_id.type = peer->type;
	sa->peer_id.len = (uint16_t)(peer->len < IKE_ID_MAX ? peer->len : IKE_ID_MAX);
	memcpy(sa->peer_id.data, peer->data, sa->peer_id.len);
	/* What only the authentication needed: the IKE_SA_INIT messages
	 * signed over, and our key exchange's private value. */
	free(sa->init_req);
	free(sa->init_resp);
	sa->init_req = sa->init_resp = NULL;
	sa->init_req_len = sa->init_resp_len = 0;
	crypto_ke_free(sa->ke);
	sa->ke = NULL;
	ike_sa_set_state(sa, IKE_SA_ESTABLISHED);
	sa->reauth_at = ike_reauth_at(sa);
	ike_life_ike_up(sa);
	log_ctx_msg(&sa->log, LOG_LVL_INFO,
		    "IKE SA %016llx_i %016llx_r established with '%s', %s%s",
		    (unsigned long long)sa->spi_i, (unsigned long long)sa->spi_r,
		    ike_id_str(peer->type, peer->data, peer->len, id, sizeof(id)),
		    proposal_chosen_str(&sa->chosen, prop, sizeof(prop)),
		    sa->is_nat_local || sa->is_nat_remote ? ", NAT detected" : "");
}

/* ---- initiator ---- */

static bool build_auth_request(struct ike_sa *sa, struct ike_builder *b)
{
	struct ike_conn *c = sa->conn;
	const struct conf_ike *ci = c->c;
	const struct secret *psk;
	struct ike_prop props[CONF_MAX_PROPOSALS];
	struct ike_ts tsi[CONF_MAX_TS], tsr[CONF_MAX_TS];
	size_t n_tsi, n_tsr;
	uint8_t body[ID_BODY_MAX], auth[CRYPTO_PRF_MAX_LEN];
	size_t body_len = id_body(&c->local_id, body);
	struct ike_id remote;

	if (ike_id_is_any(&ci->remote_id) || ci->remote_id.has_wildcard)
		ike_id_from_addr(&c->t->remote, &remote);
	else
		remote = ci->remote_id;
	psk = find_psk(sa, c, remote.type, remote.data, remote.len);
	if (!psk) {
		log_ctx_msg(&sa->log, LOG_LVL_ERROR, "no pre-shared key for this connection's ids");
		return false;
	}
	if (psk_auth(sa, psk, true, body, body_len, auth) != 0)
		return false;
	ike_build_id(b, false, c->local_id.type, c->local_id.data, c->local_id.len);
	if (!ike_id_is_any(&ci->remote_id) && !ci->remote_id.has_wildcard)
		ike_build_id(b, true, ci->remote_id.type, ci->remote_id.data, ci->remote_id.len);
	ike_build_auth(b, IKE_AUTH_PSK, auth, crypto_prf_len(sa->keys.prf));
	secret_wipe(auth, sizeof(auth));
	if (!ike_sa_has_sibling(sa))
		ike_build_notify(b, 0, NULL, 0, IKE_N_INITIAL_CONTACT, NULL, 0);
	ike_build_sa(b, props, esp_props(&ci->child, sa->child.spi_in, props));
	n_tsi = ts_from_prefixes(ci->child.local_ts, ci->child.n_local_ts, tsi, CONF_MAX_TS);
	n_tsr = ts_from_prefixes(ci->child.remote_ts, ci->child.n_remote_ts, tsr, CONF_MAX_TS);
	ts_set_replace(&sa->ts, ts_set_new(tsi, n_tsi, tsr, n_tsr));
	if (!sa->ts)
		return false;
	ike_build_ts(b, false, tsi, n_tsi);
	ike_build_ts(b, true, tsr, n_tsr);
	return ike_build_ok(b);
}

void ike_auth_start(struct ike_sa *sa)
{
	uint8_t chain[4096];
	struct ike_builder b;
	uint8_t *msg;
	size_t len;

	ike_build_begin_chain(&b, chain, sizeof(chain));
	if (ike_child_new_spi(&sa->child.spi_in) != 0 || !build_auth_request(sa, &b) ||
	    ike_sk_message(sa, IKE_AUTH, false, sa->next_req_id, &b, &msg, &len) != 0) {
		secret_wipe(chain, sizeof(chain));
		ike_sa_kill(sa, "cannot build IKE_AUTH");
		return;
	}
	secret_wipe(chain, sizeof(chain));
	ike_child_expect(sa, sa->child.spi_in);
	ike_send_request(sa, IKE_REQ_AUTH, IKE_AUTH, msg, len);
	ike_sa_set_state(sa, IKE_SA_AUTH_SENT);
}

/* §2.21.2: tell the responder we do not accept it, then forget the SA. */
static void refuse_responder(struct ike_sa *sa, const char *why)
{
	uint8_t chain[64];
	struct ike_builder b;
	uint8_t *msg;
	size_t len;

	ike_request_done(sa);
	ike_build_begin_chain(&b, chain, sizeof(chain));
	ike_build_notify(&b, 0, NULL, 0, IKE_N_AUTHENTICATION_FAILED, NULL, 0);
	if (ike_sk_message(sa, IKE_INFORMATIONAL, false, sa->next_req_id, &b, &msg, &len) == 0) {
		ike_send_raw(sa, msg, len);
		free(msg);
	}
	sa->conn->wants_up = false;
	log_ctx_msg(&sa->log, LOG_LVL_ERROR, "%s", why);
	ike_sa_kill(sa, NULL);
}

static bool check_responder(struct ike_sa *sa, const struct auth_payloads *a)
{
	const struct conf_ike *ci = sa->conn->c;
	const struct secret *psk;
	char id[128], want[128];

	if (!ike_id_matches(&ci->remote_id, a->id.type, a->id.data, a->id.len)) {
		char why[320];

		snprintf(why, sizeof(why), "peer identity '%s' does not match remote id '%s'",
			 ike_id_str(a->id.type, a->id.data, a->id.len, id, sizeof(id)),
			 ike_id_str(ci->remote_id.type, ci->remote_id.data, ci->remote_id.len,
				    want, sizeof(want)));
		refuse_responder(sa, why);
		return false;
	}
	psk = find_psk(sa, sa->conn, a->id.type, a->id.data, a->id.len);
	if (!psk || !psk_verify(sa, psk, false, &a->id, &a->auth)) {
		char why[256];

		snprintf(why, sizeof(why), "authentication of '%s' with pre-shared key failed%s",
			 ike_id_str(a->id.type, a->id.data, a->id.len, id, sizeof(id)),
			 psk ? "" : " (no pre-shared key for this identity)");
		refuse_responder(sa, why);
		return false;
	}
	return true;
}

static const char *child_failure(struct ike_sa *sa, const struct auth_payloads *a)
{
	const struct conf_child *ch = &sa->conn->c->child;
	struct ike_prop props[CONF_MAX_PROPOSALS];
	size_t n = esp_props(ch, sa->child.spi_in, props);
	struct ts_set *ts;

	if (a->error)
		return ike_notify_name(a->error);
	if (!a->has_sa || a->sap.n != 1 || !a->has_ts || a->sap.v[0].spi_len != 4)
		return "no Child SA in the response";
	if (proposal_accept_response(props, n, &a->sap.v[0], &sa->child.chosen) != 0 ||
	    proposal_esp_alg(&sa->child.chosen, &sa->child.alg) != 0)
		return "the peer chose an ESP proposal we did not offer";
	if (!ts_within(a->tsi.v, a->tsi.n, ts_set_local(sa->ts), sa->ts->n_local) ||
	    !ts_within(a->tsr.v, a->tsr.n, ts_set_remote(sa->ts), sa->ts->n_remote))
		return "the peer's traffic selectors are not within ours";
	ts = ts_set_new(a->tsi.v, a->tsi.n, a->tsr.v, a->tsr.n);
	if (!ts)
		return "no memory for the traffic selectors";
	ts_set_replace(&sa->ts, ts);
	sa->child.spi_out = ike_spi4_get(a->sap.v[0].spi);
	return NULL;
}

void ike_auth_response(struct ike_sa *sa, const struct ike_hdr *h, const struct ike_chain *c)
{
	struct auth_payloads a;
	const char *why;

	(void)h;
	if (!decode_auth(c, false, &a)) {
		ike_sa_kill(sa, "malformed IKE_AUTH response");
		return;
	}
	if (!ike_chain_find(c, IKE_PL_IDR) || !ike_chain_find(c, IKE_PL_AUTH)) {
		log_ctx_msg(&sa->log, LOG_LVL_ERROR, "peer refused IKE_AUTH: %s",
			    a.error ? ike_notify_name(a.error) : "no identity or AUTH");
		if (a.error == IKE_N_AUTHENTICATION_FAILED)
			sa->conn->wants_up = false;
		ike_sa_kill(sa, NULL);
		return;
	}
	if (!check_responder(sa, &a))
		return;
	ike_request_done(sa);
	established(sa, &a.id);
	why = child_failure(sa, &a);
	if (!why && install_child(sa, false) != 0)
		why = "the data plane did not take the Child SA";
	if (why) {
		log_ctx_msg(&sa->log, LOG_LVL_ERROR, "CHILD SA %s not established: %s",
			    sa->conn->c->child.name, why);
		if (!sa->is_reauth)
			sa->conn->wants_up = false;
		ike_delete_ike(sa);
	} else if (sa->is_reauth) {
		ike_reauth_done(sa);
	}
}

/* ---- responder ---- */

static struct ike_conn *conn_for_peer(struct ike_sa *sa, const struct auth_payloads *a)
{
	for (struct ike_conn *c = sa->e->conns; c; c = c->next) {
		if (!addr_eq(&c->t->local, &sa->path.local) ||
		    (!c->c->is_remote_any && !addr_eq(&c->t->remote, &sa->path.remote)))
			continue;
		if (!ike_id_matches(&c->c->remote_id, a->id.type, a->id.data, a->id.len))
			continue;
		if (a->has_idr && !ike_id_matches(&c->local_id, a->idr.type, a->idr.data, a->idr.len))
			continue;
		return c;
	}
	return NULL;
}

static void auth_failed(struct ike_sa *sa, const struct ike_hdr *h, const char *why,
			const struct ike_id_pl *id)
{
	char s[128];

	log_ctx_msg(&sa->log, LOG_LVL_ERROR, "IKE_AUTH from '%s' refused: %s",
		    ike_id_str(id->type, id->data, id->len, s, sizeof(s)), why);
	ike_respond_notify(sa, h->exchange, h->msg_id, IKE_N_AUTHENTICATION_FAILED, NULL, 0);
	ike_sa_kill(sa, NULL);
}

uint16_t ike_child_narrow(const struct conf_child *ch, const struct ike_ts_pl *tsi,
			  const struct ike_ts_pl *tsr, struct ts_set **out)
{
	struct ike_ts ours[CONF_MAX_TS], local[IKE_MAX_TS], remote[IKE_MAX_TS];
	size_t n_ours, n_local, n_remote;

	*out = NULL;
	n_ours = ts_from_prefixes(ch->remote_ts, ch->n_remote_ts, ours, CONF_MAX_TS);
	n_remote = ts_narrow(tsi->v, tsi->n, ours, n_ours, remote, IKE_MAX_TS);
	n_ours = ts_from_prefixes(ch->local_ts, ch->n_local_ts, ours, CONF_MAX_TS);
	n_local = ts_narrow(tsr->v, tsr->n, ours, n_ours, local, IKE_MAX_TS);
	if (!n_local || !n_remote)
		return IKE_N_TS_UNACCEPTABLE;
	*out = ts_set_new(local, n_local, remote, n_remote);
	return *out ? 0 : IKE_N_NO_PROPOSAL_CHOSEN;
}

/* The Child SA as responder: proposal and narrowed selectors, or the
 * notify that says why not. */
static uint16_t choose_child(struct ike_sa *sa, const struct auth_payloads *a)
{
	const struct conf_child *ch = &sa->conn->c->child;
	struct ike_prop props[CONF_MAX_PROPOSALS];
	size_t n = esp_props(ch, 0, props);
	struct child_sa *cs = &sa->child;
	struct ts_set *ts;
	uint16_t why;

	if (!a->has_sa || !a->has_ts)
		return IKE_N_NO_PROPOSAL_CHOSEN;
	if (proposal_select(props, n, a->sap.v, a->sap.n, 0, &cs->chosen) != 0 ||
	    cs->chosen.spi_len != 4 || proposal_esp_alg(&cs->chosen, &cs->alg) != 0)
		return IKE_N_NO_PROPOSAL_CHOSEN;
	cs->spi_out = ike_spi4_get(cs->chosen.spi);
	why = ike_child_narrow(ch, &a->tsi, &a->tsr, &ts);
	if (why)
		return why;
	if (ike_child_new_spi(&cs->spi_in) != 0) {
		free(ts);
		return IKE_N_NO_PROPOSAL_CHOSEN;
	}
	ts_set_replace(&sa->ts, ts);
	return 0;
}

static void log_child_refused(struct ike_sa *sa, uint16_t why, const struct auth_payloads *a)
{
	char one[128];

	log_ctx_msg(&sa->log, LOG_LVL_ERROR, "CHILD SA refused (%s): peer offered %s",
		    ike_notify_name(why),
		    why == IKE_N_TS_UNACCEPTABLE && a->tsi.n ? ts_str(&a->tsi.v[0], one, sizeof(one)) :
		    a->sap.n ? proposal_str(&a->sap.v[0], one, sizeof(one)) : "nothing");
}

static bool build_auth_response(struct ike_sa *sa, uint16_t child_err,
				const struct secret *psk, struct ike_builder *b)
{
	const struct ike_conn *c = sa->conn;
	struct ike_prop prop;
	uint8_t body[ID_BODY_MAX], auth[CRYPTO_PRF_MAX_LEN], spi[4];
	size_t body_len = id_body(&c->local_id, body);

	if (psk_auth(sa, psk, false, body, body_len, auth) != 0)
		return false;
	ike_build_id(b, true, c->local_id.type, c->local_id.data, c->local_id.len);
	ike_build_auth(b, IKE_AUTH_PSK, auth, crypto_prf_len(sa->keys.prf));
	secret_wipe(auth, sizeof(auth));
	if (child_err) {
		ike_build_notify(b, 0, NULL, 0, child_err, NULL, 0);
		return ike_build_ok(b);
	}
	ike_spi4_put(sa->child.spi_in, spi);
	proposal_from_chosen(&sa->child.chosen, spi, 4, &prop);
	ike_build_sa(b, &prop, 1);
	ike_build_ts(b, false, ts_set_remote(sa->ts), sa->ts->n_remote);
	ike_build_ts(b, true, ts_set_local(sa->ts), sa->ts->n_local);
	return ike_build_ok(b);
}

/*
 * The connection now lists this SA. With INITIAL_CONTACT (§2.4: the peer
 * has no other SA with us, it restarted) an older SA goes. Without it
 * the older one stays: both sides initiated at once and the two IKE SAs
 * crossed; each keeps both Child SAs inbound, so whichever either side
 * sends on is accepted (strongSwan does the same with unique = no).
 */
static void take_conn(struct ike_sa *sa, struct ike_conn *c, bool has_initial_contact)
{
	if (c->sa && c->sa != sa && has_initial_contact) {
		struct ike_sa *old = c->sa;

		ike_child_remove(old);
		c->sa = NULL;
		old->conn = NULL;
		ike_sa_kill(old, "replaced by a new IKE SA from the peer");
	}
	sa->conn = c;
	c->sa = sa;
	c->retry_at = 0;
	log_ctx_set(&sa->log, "%s[%u]", c->t->name, sa->unique_id);
}

void ike_auth_request(struct ike_sa *sa, const struct ike_hdr *h, const struct ike_chain *c)
{
	struct auth_payloads a;
	struct ike_conn *conn;
	const struct secret *psk;
	uint16_t child_err;
	uint8_t chain[4096];
	struct ike_builder b;
	uint8_t *msg;
	size_t len;
	bool is_reauth;

	if (!decode_auth(c, true, &a) || !ike_chain_find(c, IKE_PL_IDI) ||
	    !ike_chain_find(c, IKE_PL_AUTH)) {
		ike_respond_notify(sa, h->exchange, h->msg_id, IKE_N_INVALID_SYNTAX, NULL, 0);
		ike_sa_kill(sa, "malformed IKE_AUTH request");
		return;
	}
	conn = conn_for_peer(sa, &a);
	if (!conn) {
		auth_failed(sa, h, "no connection accepts this identity", &a.id);
		return;
	}
	psk = find_psk(sa, conn, a.id.type, a.id.data, a.id.len);
	if (!psk) {
		auth_failed(sa, h, "no pre-shared key for this identity", &a.id);
		return;
	}
	if (!psk_verify(sa, psk, true, &a.id, &a.auth)) {
		auth_failed(sa, h, a.auth.method == IKE_AUTH_PSK ?
			    "authentication with pre-shared key failed" :
			    "the peer uses an authentication method other than psk", &a.id);
		return;
	}
	is_reauth = !a.has_initial_contact && conn->sa && conn->sa != sa &&
		    conn->sa->state == IKE_SA_ESTABLISHED && conn->sa->child.is_installed;
	take_conn(sa, conn, a.has_initial_contact);
	child_err = choose_child(sa, &a);
	if (child_err)
		log_child_refused(sa, child_err, &a);
	ike_build_begin_chain(&b, chain, sizeof(chain));
	if (!build_auth_response(sa, child_err, psk, &b) ||
	    ike_sk_message(sa, IKE_AUTH, true, h->msg_id, &b, &msg, &len) != 0) {
		ike_sa_kill(sa, "cannot build the IKE_AUTH response");
		return;
	}
	secret_wipe(chain, sizeof(chain));
	established(sa, &a.id);
	/* Inbound first: the initiator sends as soon as it has the answer.
	 * When the peer reauthenticates, our outbound SA moves only once
	 * it deletes the old IKE SA (it has read our answer by then). */
	if (!child_err && install_child(sa, is_reauth) != 0)
		log_ctx_msg(&sa->log, LOG_LVL_ERROR, "the data plane did not take the Child SA");
	else if (!child_err && is_reauth)
		ike_reauth_out_later(sa);
	ike_send_response(sa, msg, len);
}
