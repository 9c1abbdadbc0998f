/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef IFS_IKE_TS_H
#define IFS_IKE_TS_H

#include <stdbool.h>
#include <stddef.h>
#include "common/addr.h"
#include "ike/msg.h"

/*
 * Traffic selectors (RFC 7296 §2.9): configured prefixes become ranges
 * (any protocol, all ports); a responder narrows what it is offered to
 * the intersection with its configuration; an initiator checks that the
 * answer lies within what it offered.
 */

/* Prefixes → selectors. Returns the count written (at most max). */
size_t ts_from_prefixes(const struct ifs_prefix *p, size_t n, struct ike_ts *out, size_t max);
/* Every intersection of an offered selector with a configured one, in
 * the order offered. Returns the count (0: TS_UNACCEPTABLE). */
size_t ts_narrow(const struct ike_ts *offered, size_t n_offered,
		 const struct ike_ts *ours, size_t n_ours,
		 struct ike_ts *out, size_t max);
/* Is every selector of answer inside one of offered? */
bool ts_within(const struct ike_ts *answer, size_t n_answer,
	       const struct ike_ts *offered, size_t n_offered);
/*
 * The selectors a Child SA was negotiated with, both ways, in one
 * allocation of just their size (an SA holds a few; the payloads allow
 * IKE_MAX_TS each way). Freed with free().
 */
struct ts_set {
	size_t n_local;
	size_t n_remote;
	struct ike_ts v[];           /* n_local, then n_remote */
};
/* NULL without memory. */
struct ts_set *ts_set_new(const struct ike_ts *local, size_t n_local,
			  const struct ike_ts *remote, size_t n_remote);
static inline const struct ike_ts *ts_set_local(const struct ts_set *s)
{
	return s->v;
}
static inline const struct ike_ts *ts_set_remote(const struct ts_set *s)
{
	return s->v + s->n_local;
}
/* free(*slot), then *slot = s. */
void ts_set_replace(struct ts_set **slot, struct ts_set *s);

/* "198.51.100.0/24" when the range is a prefix, else "a..b"; with
 * "[proto/port]" when not any. */
const char *ts_str(const struct ike_ts *ts, char *buf, size_t len);

#endif
