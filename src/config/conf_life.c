/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A child's lifetimes, as swanctl.conf(5) has them: three limits (time,
 * bytes, packets), each with a soft value that starts a rekey
 * (rekey_*), a hard one that deletes (life_*) and a random part taken
 * off the soft value (rand_*). strongSwan's defaults: rekey_time 1h,
 * rekey_bytes and rekey_packets 0 (off); life_* = rekey_* * 1.1; rand_*
 * = life_* - rekey_*. Stricter than strongSwan where a value cannot
 * mean what was written: a hard limit not above its soft one, and a
 * random part larger than the soft limit it is taken from, are errors.
 */
#include "config/conf_int.h"

#include <stdio.h>

#define CONF_CHILD_REKEY_DEFAULT_S 3600       /* strongSwan's 1h */

/* One of the three kinds of limit. */
struct life_kind {
	const char *rekey_key;        /* for messages */
	const char *unit;             /* after a value: "s", "bytes" */
	const char *longer;           /* "longer" (a time), "more" */
	uint64_t rekey_default;
	uint64_t max;
	int (*parse)(const struct settings_node *kv, uint64_t *out,
		     struct settings_err *err);
};

static int parse_time(const struct settings_node *kv, uint64_t *out,
		      struct settings_err *err)
{
	uint32_t v;
	int rc = conf_time_or(kv, 0, &v, err);

	*out = v;
	return rc;
}

static int parse_packets(const struct settings_node *kv, uint64_t *out,
			 struct settings_err *err)
{
	int64_t v;
	int rc = settings_kv_int(kv, 0, INT64_MAX, &v, err);

	*out = rc < 0 ? 0 : (uint64_t)v;
	return rc;
}

static const struct life_kind kinds[3] = {
	{ "rekey_time", "s", "longer", CONF_CHILD_REKEY_DEFAULT_S, UINT32_MAX, parse_time },
	{ "rekey_bytes", "bytes", "more", 0, UINT64_MAX, settings_kv_bytes },
	{ "rekey_packets", "packets", "more", 0, INT64_MAX, parse_packets },
};

/* rekey * 1.1 without overflow, at most max. */
static uint64_t eleven_tenths(uint64_t rekey, uint64_t max)
{
	uint64_t tenth = rekey / 10;

	return rekey > max - tenth ? max : rekey + tenth;
}

/* kv: the rekey, life and rand keys of one kind (NULL when absent);
 * out: their values. */
static int one_kind(const struct life_kind *k, struct settings_node *const kv[3],
		    uint64_t out[3], struct settings_err *err)
{
	enum { REKEY, LIFE, RAND };
	int rc = 0;

	out[REKEY] = k->rekey_default;
	if (kv[REKEY])
		rc = k->parse(kv[REKEY], &out[REKEY], err);
	out[LIFE] = eleven_tenths(out[REKEY], k->max);
	if (rc == 0 && kv[LIFE])
		rc = k->parse(kv[LIFE], &out[LIFE], err);
	if (rc == 0 && kv[LIFE] && out[REKEY] && out[LIFE] && out[LIFE] <= out[REKEY]) {
		settings_err_key(err, kv[LIFE], "%llu %s is not %s than %s (%llu %s)",
				 (unsigned long long)out[LIFE], k->unit, k->longer,
				 k->rekey_key, (unsigned long long)out[REKEY], k->unit);
		return IFS_ERR_INVAL;
	}
	out[RAND] = out[LIFE] > out[REKEY] ? out[LIFE] - out[REKEY] : 0;
	if (out[RAND] > out[REKEY])
		out[RAND] = out[REKEY];
	if (rc == 0 && kv[RAND])
		rc = k->parse(kv[RAND], &out[RAND], err);
	if (rc == 0 && out[RAND] > out[REKEY]) {
		settings_err_key(err, kv[RAND], "%llu %s is %s than %s (%llu %s), from "
				 "which it is taken", (unsigned long long)out[RAND], k->unit,
				 k->longer, k->rekey_key, (unsigned long long)out[REKEY],
				 k->unit);
		return IFS_ERR_INVAL;
	}
	return rc;
}

int conf_child_life(struct conf_child *ch, struct settings_node *const kv[CONF_LIFE_COUNT],
		    struct settings_err *err)
{
	uint64_t v[CONF_LIFE_COUNT] = { 0 };
	int rc = 0;

	for (size_t i = 0; i < 3 && rc == 0; i++)
		rc = one_kind(&kinds[i], kv + 3 * i, v + 3 * i, err);
	ch->rekey_time = (uint32_t)v[CONF_LIFE_REKEY_TIME];
	ch->life_time = (uint32_t)v[CONF_LIFE_LIFE_TIME];
	ch->rand_time = (uint32_t)v[CONF_LIFE_RAND_TIME];
	ch->rekey_bytes = v[CONF_LIFE_REKEY_BYTES];
	ch->life_bytes = v[CONF_LIFE_LIFE_BYTES];
	ch->rand_bytes = v[CONF_LIFE_RAND_BYTES];
	ch->rekey_packets = v[CONF_LIFE_REKEY_PACKETS];
	ch->life_packets = v[CONF_LIFE_LIFE_PACKETS];
	ch->rand_packets = v[CONF_LIFE_RAND_PACKETS];
	return rc;
}
