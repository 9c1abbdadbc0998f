/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Key exchanges off the engine's thread (ike.h, struct ike_job): the
 * modular exponentiation of a MODP group costs milliseconds, during
 * which every other SA's messages would wait. Groups that cost less
 * than the trip to another thread and back (X25519, P-256) are
 * computed at once instead (crypto_ke_is_slow). A job carries copies of
 * its inputs, so that the thread that runs it shares nothing with the
 * engine; the SA it is for drops its messages, and its timers wait,
 * until the job is back.
 *
 * IKE_SA_INIT resumes where it stopped (a function per step). A
 * CREATE_CHILD_SA message, with its collisions and retries, is instead
 * handled again from the start once the result is back (ike_ke_later):
 * the handler then finds the result waiting (ike_ke_take) for this very
 * key exchange value, and every check runs on the state as it is then.
 */
#include "ike/ike_int.h"

#include <stdlib.h>
#include <string.h>

void ike_job_run(struct ike_job *j)
{
	j->err = j->ke ? 0 : crypto_ke_new(&j->ke, j->group);
	if (!j->err && j->peer_len)
		j->err = crypto_ke_derive(j->ke, j->peer, j->peer_len, &j->shared);
}

static void unlink_job(struct ike_job *j)
{
	if (j->prev)
		j->prev->next = j->next;
	else
		j->e->jobs = j->next;
	if (j->next)
		j->next->prev = j->prev;
	j->prev = j->next = NULL;
}

static void job_free(struct ike_job *j)
{
	crypto_ke_free(j->ke);
	secret_free(j->shared);
	free(j->msg);
	secret_wipe(j, sizeof(*j));
	free(j);
}

/* The result to the SA that waited for it, unless the SA went away. */
static void finish(struct ike_job *j)
{
	struct ike_sa *sa = j->sa;

	if (sa) {
		sa->job = NULL;
		if (!sa->is_dead)
			j->resume(sa, j);
	}
	job_free(j);
}

/* A job for sa, in the engine's list, not submitted yet. */
static struct ike_job *job_new(struct ike_sa *sa, struct crypto_ke *ke, uint16_t group,
			       const uint8_t *peer, size_t peer_len,
			       void (*resume)(struct ike_sa *sa, struct ike_job *j))
{
	struct ike_engine *e = sa->e;
	struct ike_job *j;

	if (peer_len > sizeof(j->peer) || IFS_BUG(sa->job))
		return NULL;
	j = calloc(1, sizeof(*j));
	if (!j)
		return NULL;
	j->e = e;
	j->sa = sa;
	j->resume = resume;
	j->group = group;
	j->ke = ke;
	if (peer_len)
		memcpy(j->peer, peer, peer_len);
	j->peer_len = peer_len;
	sa->job = j;
	j->next = e->jobs;
	if (e->jobs)
		e->jobs->prev = j;
	e->jobs = j;
	return j;
}

/* To another thread if the daemon takes it, else run here and now. */
static void job_submit(struct ike_job *j)
{
	struct ike_engine *e = j->e;

	if (crypto_ke_is_slow(j->group) && e->ops.offload && e->ops.offload(e->ctx, j) == 0) {
		e->stats.ke_offloaded++;
		return;
	}
	unlink_job(j);
	ike_job_run(j);
	finish(j);
}

int ike_job_start(struct ike_sa *sa, struct crypto_ke *ke, uint16_t group,
		  const uint8_t *peer, size_t peer_len,
		  void (*resume)(struct ike_sa *sa, struct ike_job *j))
{
	struct ike_job *j = job_new(sa, ke, group, peer, peer_len, resume);

	if (!j)
		return IFS_ERR_NOMEM;
	job_submit(j);
	return 0;
}

void ike_engine_job_done(struct ike_engine *e, struct ike_job *j)
{
	unlink_job(j);
	finish(j);
	ike_engine_reap(e);
}

void ike_job_orphan(struct ike_sa *sa)
{
	if (sa->job)
		sa->job->sa = NULL;
	sa->job = NULL;
}

void ike_jobs_free(struct ike_engine *e)
{
	while (e->jobs) {
		struct ike_job *j = e->jobs;

		unlink_job(j);
		job_free(j);
	}
}

void ike_ke_pre_free(struct ike_sa *sa)
{
	struct ike_ke_pre *p = sa->pre;

	if (!p)
		return;
	crypto_ke_free(p->ke);
	secret_free(p->shared);
	secret_wipe(p, sizeof(*p));
	free(p);
	sa->pre = NULL;
}

static bool pre_matches(const struct ike_ke_pre *p, uint16_t group, const uint8_t *peer,
			size_t peer_len)
{
	return p && p->group == group && p->peer_len == peer_len &&
	       (peer_len == 0 || memcmp(p->peer, peer, peer_len) == 0);
}

int ike_ke_take(struct ike_sa *sa, struct crypto_ke **ke, uint16_t group,
		const uint8_t *peer, size_t peer_len, struct secret **shared)
{
	struct ike_ke_pre *p = sa->pre;
	int err;

	if (pre_matches(p, group, peer, shared ? peer_len : 0)) {
		err = p->err;
		if (p->ke) {
			crypto_ke_free(*ke);
			*ke = p->ke;
			p->ke = NULL;
		}
		if (shared) {
			*shared = p->shared;
			p->shared = NULL;
		}
		ike_ke_pre_free(sa);
		return err;
	}
	if (!*ke && (err = crypto_ke_new(ke, group)) != 0)
		return err;
	return shared ? crypto_ke_derive(*ke, peer, peer_len, shared) : 0;
}

int ike_ke_renew(struct ike_sa *sa, struct crypto_ke **ke, uint16_t *ke_group, uint16_t group)
{
	crypto_ke_free(*ke);
	*ke = NULL;
	*ke_group = group;
	return group ? ike_ke_take(sa, ke, group, NULL, 0, NULL) : 0;
}

/* The result, kept for the handler, while the message or step runs again. */
static bool keep_result(struct ike_sa *sa, struct ike_job *j)
{
	struct ike_ke_pre *p = calloc(1, sizeof(*p));

	if (!p)
		return false;
	ike_ke_pre_free(sa);
	p->group = j->group;
	memcpy(p->peer, j->peer, j->peer_len);
	p->peer_len = j->peer_len;
	p->ke = j->ke;
	p->shared = j->shared;
	p->err = j->err;
	j->ke = NULL;
	j->shared = NULL;
	sa->pre = p;
	return true;
}

static void message_again(struct ike_sa *sa, struct ike_job *j)
{
	/* Without memory the message is dropped: the peer retransmits a
	 * request; our own request is retransmitted and answered again. */
	if (!keep_result(sa, j))
		return;
	ike_recv_again(sa, &j->path, j->msg, j->msg_len);
	ike_ke_pre_free(sa);
}

static void step_again(struct ike_sa *sa, struct ike_job *j)
{
	if (keep_result(sa, j))
		j->again(sa);
	ike_ke_pre_free(sa);
}

static bool can_offload(const struct ike_sa *sa, uint16_t group)
{
	return sa->e->ops.offload && crypto_ke_is_slow(group) && !sa->job;
}

bool ike_ke_later(struct ike_sa *sa, const struct ike_path *p, const struct ike_chain *inner,
		  uint8_t *raw, size_t len, struct crypto_ke **ours)
{
	const struct ike_payload *pl = ike_chain_find(inner, IKE_PL_KE);
	struct crypto_ke *mine = ours ? *ours : NULL;
	struct ike_ke_pl ke;
	struct ike_job *j;

	if (!pl || ike_decode_ke(pl, &ke) != 0 || !can_offload(sa, ke.group) ||
	    (ours && (!mine || crypto_ke_group(mine) != ke.group)))
		return false;
	j = job_new(sa, mine, ke.group, ke.data, ke.len, message_again);
	if (!j)
		return false;
	if (ours)
		*ours = NULL;              /* the job's now, back through sa->pre */
	j->msg = raw;
	j->msg_len = len;
	j->path = *p;
	job_submit(j);
	return true;
}

bool ike_ke_pair_later(struct ike_sa *sa, uint16_t group, void (*again)(struct ike_sa *sa))
{
	struct ike_job *j;

	if (!group || !can_offload(sa, group) || pre_matches(sa->pre, group, NULL, 0))
		return false;
	j = job_new(sa, NULL, group, NULL, 0, step_again);
	if (!j)
		return false;
	j->again = again;
	job_submit(j);
	return true;
}
