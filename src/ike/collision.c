/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Simultaneous rekeying (RFC 7296 §2.8.1, §2.8.2): when both ends rekey
 * the same SA at once, each answers the other as usual and two new SAs
 * arise. The one made by the exchange that used the lowest of the four
 * nonces is redundant, and the end that began that exchange deletes it;
 * the other end deletes the SA both replaced. "Lowest" compares octet by
 * octet; a nonce that is a prefix of a longer one is the lower.
 */
#include "ike/ike_int.h"

#include <string.h>

static int nonce_cmp(const uint8_t *a, size_t a_len, const uint8_t *b, size_t b_len)
{
	int c = memcmp(a, b, a_len < b_len ? a_len : b_len);

	if (c)
		return c;
	return a_len < b_len ? -1 : a_len > b_len;
}

/* The lower of an exchange's two nonces. */
static void lowest(const struct ike_exchange_nonces *x, const uint8_t **p, size_t *len)
{
	bool is_ni = nonce_cmp(x->ni, x->ni_len, x->nr, x->nr_len) <= 0;

	*p = is_ni ? x->ni : x->nr;
	*len = is_ni ? x->ni_len : x->nr_len;
}

bool ike_collision_lost(const struct ike_exchange_nonces *ours,
			const struct ike_exchange_nonces *theirs)
{
	const uint8_t *a, *b;
	size_t a_len, b_len;

	lowest(ours, &a, &a_len);
	lowest(theirs, &b, &b_len);
	return nonce_cmp(a, a_len, b, b_len) < 0;
}
