/* SPDX-License-Identifier: BSD-2-Clause */
#include "ike/ts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint8_t ts_type(int family)
{
	return family == AF_INET ? IKE_TS_IPV4_ADDR_RANGE : IKE_TS_IPV6_ADDR_RANGE;
}

static void prefix_range(const struct ifs_prefix *p, struct ifs_addr *lo, struct ifs_addr *hi)
{
	size_t len = addr_len(&p->addr);
	uint8_t a[16], b[16];

	memcpy(a, addr_bytes(&p->addr), len);
	memcpy(b, a, len);
	for (size_t i = 0; i < len; i++) {
		size_t bit = i * 8;
		uint8_t mask;

		if (bit >= p->len)
			mask = 0;
		else if (bit + 8 <= p->len)
			mask = 0xff;
		else
			mask = (uint8_t)(0xff << (8 - (p->len - bit)));
		a[i] &= mask;
		b[i] |= (uint8_t)~mask;
	}
	addr_from_bytes(lo, p->addr.family, a);
	addr_from_bytes(hi, p->addr.family, b);
}

size_t ts_from_prefixes(const struct ifs_prefix *p, size_t n, struct ike_ts *out, size_t max)
{
	size_t k = 0;

	for (size_t i = 0; i < n && k < max; i++) {
		out[k] = (struct ike_ts){
			.type = ts_type(p[i].addr.family), .start_port = 0, .end_port = 0xffff,
		};
		prefix_range(&p[i], &out[k].start, &out[k].end);
		k++;
	}
	return k;
}

static int addr_cmp(const struct ifs_addr *a, const struct ifs_addr *b)
{
	return memcmp(addr_bytes(a), addr_bytes(b), addr_len(a));
}

/* The intersection of two selectors of the same type, if any. */
static bool intersect(const struct ike_ts *a, const struct ike_ts *b, struct ike_ts *out)
{
	if (a->type != b->type || a->start.family != b->start.family)
		return false;
	if (a->ip_proto && b->ip_proto && a->ip_proto != b->ip_proto)
		return false;
	*out = *a;
	out->ip_proto = a->ip_proto ? a->ip_proto : b->ip_proto;
	out->start_port = a->start_port > b->start_port ? a->start_port : b->start_port;
	out->end_port = a->end_port < b->end_port ? a->end_port : b->end_port;
	out->start = addr_cmp(&a->start, &b->start) > 0 ? a->start : b->start;
	out->end = addr_cmp(&a->end, &b->end) < 0 ? a->end : b->end;
	return out->start_port <= out->end_port && addr_cmp(&out->start, &out->end) <= 0;
}

size_t ts_narrow(const struct ike_ts *offered, size_t n_offered,
		 const struct ike_ts *ours, size_t n_ours,
		 struct ike_ts *out, size_t max)
{
	size_t k = 0;

	for (size_t i = 0; i < n_offered; i++)
		for (size_t j = 0; j < n_ours && k < max; j++)
			if (intersect(&offered[i], &ours[j], &out[k]))
				k++;
	return k;
}

static bool contains(const struct ike_ts *outer, const struct ike_ts *inner)
{
	struct ike_ts x;

	if (!intersect(outer, inner, &x))
		return false;
	return x.ip_proto == inner->ip_proto && x.start_port == inner->start_port &&
	       x.end_port == inner->end_port && addr_eq(&x.start, &inner->start) &&
	       addr_eq(&x.end, &inner->end);
}

bool ts_within(const struct ike_ts *answer, size_t n_answer,
	       const struct ike_ts *offered, size_t n_offered)
{
	for (size_t i = 0; i < n_answer; i++) {
		bool is_inside = false;

		for (size_t j = 0; j < n_offered && !is_inside; j++)
			is_inside = contains(&offered[j], &answer[i]);
		if (!is_inside)
			return false;
	}
	return true;
}

/* The prefix length if [start, end] is exactly one prefix, else -1. */
static int range_prefix_len(const struct ike_ts *ts)
{
	size_t len = addr_len(&ts->start);
	const uint8_t *a = addr_bytes(&ts->start), *b = addr_bytes(&ts->end);

	for (int bits = 0; bits <= (int)(len * 8); bits++) {
		struct ifs_prefix p = { .addr = ts->start, .len = (uint8_t)bits };
		struct ike_ts r;

		prefix_range(&p, &r.start, &r.end);
		if (!memcmp(addr_bytes(&r.start), a, len) && !memcmp(addr_bytes(&r.end), b, len))
			return bits;
	}
	return -1;
}

const char *ts_str(const struct ike_ts *ts, char *buf, size_t len)
{
	char a[IFS_ADDR_STRLEN], b[IFS_ADDR_STRLEN];
	int bits = range_prefix_len(ts);
	int n;

	if (bits >= 0)
		n = snprintf(buf, len, "%s/%d", addr_str(&ts->start, a), bits);
	else
		n = snprintf(buf, len, "%s..%s", addr_str(&ts->start, a), addr_str(&ts->end, b));
	if (n >= 0 && (size_t)n < len && (ts->ip_proto || ts->start_port || ts->end_port != 0xffff))
		snprintf(buf + n, len - (size_t)n, "[%u/%u-%u]", ts->ip_proto,
			 ts->start_port, ts->end_port);
	return buf;
}

struct ts_set *ts_set_new(const struct ike_ts *local, size_t n_local,
			  const struct ike_ts *remote, size_t n_remote)
{
	struct ts_set *s;

	if (n_local > IKE_MAX_TS || n_remote > IKE_MAX_TS)
		return NULL;
	s = malloc(sizeof(*s) + (n_local + n_remote) * sizeof(s->v[0]));
	if (!s)
		return NULL;
	s->n_local = n_local;
	s->n_remote = n_remote;
	if (n_local)
		memcpy(s->v, local, n_local * sizeof(s->v[0]));
	if (n_remote)
		memcpy(s->v + n_local, remote, n_remote * sizeof(s->v[0]));
	return s;
}

void ts_set_replace(struct ts_set **slot, struct ts_set *s)
{
	free(*slot);
	*slot = s;
}
