/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Pacing of our initiations per peer. A router that brings up many
 * connections to one peer at once (start_action = start on all of them,
 * or a restart) would otherwise send every IKE_SA_INIT together and run
 * into the peer's denial-of-service limits: COOKIE rounds at 3 half-open
 * IKE SAs from one source, dropped requests at 5 (strongSwan's defaults,
 * and ours), then retransmissions seconds apart. Instead at most
 * IKE_INIT_PACE initiations per source are open at a time; the others
 * wait in IKE_SA_INIT_QUEUED, in the order they were made.
 */
#include "ike/ike_int.h"

bool ike_sa_is_opening(const struct ike_sa *sa)
{
	return sa->is_initiator && !sa->is_dead &&
	       (sa->state == IKE_SA_INIT_SENT || sa->state == IKE_SA_AUTH_SENT);
}

static size_t opening_to(const struct ike_engine *e, const struct ifs_addr *remote)
{
	size_t n = 0;

	for (const struct ike_sa *sa = e->all; sa; sa = sa->next_all)
		if (ike_sa_is_opening(sa) && ike_same_source(&sa->path.remote, remote))
			n++;
	return n;
}

bool ike_pace_allows(const struct ike_engine *e, const struct ifs_addr *remote)
{
	return opening_to(e, remote) < IKE_INIT_PACE;
}

/* The sources with queued initiations, each with its open count: one
 * pass over the SAs for up to PACE_SOURCES sources; more wait for the
 * next run (each run starts at least one initiation, so every source
 * gets its turn). */
#define PACE_SOURCES 16

struct pace_source {
	struct ifs_addr addr;
	size_t n_open;
};

static struct pace_source *source_of(struct pace_source *v, size_t n,
				     const struct ifs_addr *a)
{
	for (size_t i = 0; i < n; i++)
		if (ike_same_source(&v[i].addr, a))
			return &v[i];
	return NULL;
}

void ike_pace_run(struct ike_engine *e)
{
	struct pace_source src[PACE_SOURCES];
	size_t n_src = 0;
	bool is_more = false;

	e->is_pace_due = false;
	for (const struct ike_sa *sa = e->all; sa; sa = sa->next_all) {
		if (sa->is_dead || sa->state != IKE_SA_INIT_QUEUED ||
		    source_of(src, n_src, &sa->path.remote))
			continue;
		if (n_src == PACE_SOURCES) {
			is_more = true;
			break;
		}
		src[n_src++] = (struct pace_source){ .addr = sa->path.remote };
	}
	for (const struct ike_sa *sa = e->all; sa; sa = sa->next_all) {
		struct pace_source *s;

		if (ike_sa_is_opening(sa) && (s = source_of(src, n_src, &sa->path.remote)))
			s->n_open++;
	}
	/* e->all has the newest first: the oldest queued go first */
	for (size_t i = 0; i < n_src; i++) {
		while (src[i].n_open < IKE_INIT_PACE) {
			struct ike_sa *oldest = NULL;

			for (struct ike_sa *sa = e->all; sa; sa = sa->next_all)
				if (!sa->is_dead && sa->state == IKE_SA_INIT_QUEUED && !sa->job &&
				    ike_same_source(&sa->path.remote, &src[i].addr))
					oldest = sa;
			if (!oldest)
				break;
			if (ike_init_send_first(oldest) != 0)
				ike_sa_kill(oldest, "cannot initiate");
			src[i].n_open++;
		}
	}
	if (is_more)
		e->is_pace_due = true;
}
