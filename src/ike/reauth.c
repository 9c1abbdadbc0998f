/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Reauthentication (RFC 7296 §2.8.3), make before break as strongSwan's
 * make_before_break = yes: a new IKE SA with its Child SA is set up from
 * scratch (IKE_SA_INIT, IKE_AUTH, without INITIAL_CONTACT since the old
 * SA is still there, so the peer keeps it), traffic moves to the new
 * Child SA once it is installed, and only then is the old IKE SA deleted
 * with its Child SA. Either end may reauthenticate when it knows where
 * the peer is (remote_addrs is not %any); reauth_time less up to
 * rand_time after the IKE SA was authenticated (a rekey of the IKE SA does not
 * count). A failed attempt leaves the old SA as it is and is tried again
 * later; over_time (lifetime.c) bounds how long the old one may last.
 */
#include "ike/ike_int.h"

#define REAUTH_RETRY_MS 10000
/* As responder: the new Child SA sends once the peer deletes the old IKE
 * SA, or this long after it was installed if the peer keeps both. */
#define REAUTH_OUT_MS 2000

uint64_t ike_reauth_at(const struct ike_sa *sa)
{
	uint64_t ms = (uint64_t)sa->conn->c->reauth_time * 1000;
	uint32_t r = 0;

	if (ms == 0 || sa->conn->c->is_remote_any)
		return 0;
	if (crypto_random(&r, sizeof(r)) == 0)
		ms -= (uint64_t)r % ((uint64_t)sa->conn->c->rand_time * 1000 + 1);
	return ike_now(sa->e) + (ms ? ms : 1);
}

static uint64_t local_spi(const struct ike_sa *sa)
{
	return sa->is_initiator ? sa->spi_i : sa->spi_r;
}

int ike_reauth_start(struct ike_sa *old)
{
	struct ike_conn *c = old->conn;
	struct ike_sa *sa;
	int err;

	old->reauth_at = 0;
	if (old->state != IKE_SA_ESTABLISHED || !c || c->sa != old)
		return IFS_ERR_NOT_FOUND;
	if (c->c->is_remote_any)
		return IFS_ERR_INVAL;
	if (old->reauth_spi && ike_sa_by_local(old->e, old->reauth_spi))
		return 0;   /* on its way */
	err = ike_init_new(c, &sa);
	if (err) {
		old->reauth_at = ike_now(old->e) + REAUTH_RETRY_MS;
		return err;
	}
	sa->is_reauth = true;
	old->reauth_spi = local_spi(sa);
	log_ctx_msg(&old->log, LOG_LVL_INFO, "reauthenticating IKE SA %016llx_i %016llx_r: "
		    "a new one, %s[%u], first", (unsigned long long)old->spi_i,
		    (unsigned long long)old->spi_r, c->t->name, sa->unique_id);
	return 0;
}

/* (The SA replaced is the connection's: a rekey of the IKE SA meanwhile
 * hands that role on.) */
void ike_reauth_done(struct ike_sa *sa)
{
	struct ike_conn *c = sa->conn;
	struct ike_sa *old = c->sa;

	sa->is_reauth = false;
	c->sa = sa;
	if (!old || old == sa)
		return;
	log_ctx_msg(&sa->log, LOG_LVL_INFO, "IKE SA %016llx_i %016llx_r reauthenticated: "
		    "replaces %s[%u]", (unsigned long long)sa->spi_i, (unsigned long long)sa->spi_r,
		    c->t->name, old->unique_id);
	old->reauth_spi = 0;
	if (old->state == IKE_SA_ESTABLISHED)
		ike_delete_ike(old);
	else
		ike_sa_kill(old, "reauthenticated");
}

void ike_reauth_failed(struct ike_sa *sa)
{
	struct ike_sa *old = sa->conn ? sa->conn->sa : NULL;

	sa->is_reauth = false;
	if (!old || old == sa || old->state != IKE_SA_ESTABLISHED)
		return;
	old->reauth_spi = 0;
	old->reauth_at = ike_now(sa->e) + REAUTH_RETRY_MS;
	log_ctx_msg(&old->log, LOG_LVL_WARN, "reauthentication failed; the IKE SA stays, "
		    "trying again in %u s", REAUTH_RETRY_MS / 1000);
}

void ike_reauth_out_later(struct ike_sa *sa)
{
	sa->out_at = ike_now(sa->e) + REAUTH_OUT_MS;
}

void ike_reauth_out_now(struct ike_sa *sa)
{
	if (!sa->out_at)
		return;
	sa->out_at = 0;
	ike_child_install_out(sa, &sa->child);
}
