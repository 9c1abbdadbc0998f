/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Key exchanges off the engine's thread (ike.h, struct ike_job): the
 * modular exponentiation of a MODP group costs milliseconds, during
 * which every other SA's messages would wait. Groups that cost less
 * than the trip to another thread and back (X25519, P-256) are
 * computed at once instead (crypto_ke_is_slow). A job carries copies of
 * its inputs, so that the thread that runs it shares nothing with the
 * engine; the SA it is for drops its messages until the job is back.
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

int ike_job_start(struct ike_sa *sa, struct crypto_ke *ke, uint16_t group,
		  const uint8_t *peer, size_t peer_len,
		  void (*resume)(struct ike_sa *sa, struct ike_job *j))
{
	struct ike_engine *e = sa->e;
	struct ike_job *j;

	if (peer_len > sizeof(j->peer))
		return IFS_ERR_INVAL;
	j = calloc(1, sizeof(*j));
	if (!j)
		return IFS_ERR_NOMEM;
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
	if (crypto_ke_is_slow(group) && e->ops.offload && e->ops.offload(e->ctx, j) == 0) {
		e->stats.ke_offloaded++;
		return 0;
	}
	unlink_job(j);
	ike_job_run(j);
	finish(j);
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
