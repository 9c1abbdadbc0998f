/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Key exchange (src/crypto/ke.c): published and generated answers for
 * every group, two fresh parties agreeing, and every peer value the
 * header promises to refuse: wrong lengths, MODP y outside 1 < y < p-1,
 * ECP points off the curve, X25519 points of small order.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "crypto/crypto.h"
#include "crypto/ke.h"

#include "vectors/ecp.h"
#include "vectors/modp.h"
#include "vectors/x25519.h"

static const uint16_t all_groups[] = {
	CRYPTO_GROUP_MODP2048, CRYPTO_GROUP_MODP3072, CRYPTO_GROUP_ECP256,
	CRYPTO_GROUP_ECP384, CRYPTO_GROUP_CURVE25519,
};

/* ---- helpers ---- */

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decode a vector's hex (spaces ignored); a malformed table fails the test. */
static size_t unhex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;
	int hi = -1;

	for (; *s; s++) {
		int d;

		if (*s == ' ')
			continue;
		d = hex_digit(*s);
		assert_true(d >= 0);
		if (hi < 0) {
			hi = d;
			continue;
		}
		assert_true(n < cap);
		out[n++] = (uint8_t)(hi << 4 | d);
		hi = -1;
	}
	assert_true(hi < 0);
	return n;
}

static struct crypto_ke *from_private_hex(uint16_t group, const char *hex)
{
	uint8_t priv[CRYPTO_KE_MAX_PUBLIC];
	struct crypto_ke *ke;
	size_t len = unhex(hex, priv, sizeof(priv));

	assert_int_equal(crypto_ke_new_from_private(&ke, group, priv, len), 0);
	assert_non_null(ke);
	assert_int_equal(crypto_ke_group(ke), group);
	return ke;
}

static void assert_public(const struct crypto_ke *ke, const char *want_hex)
{
	uint8_t want[CRYPTO_KE_MAX_PUBLIC], got[CRYPTO_KE_MAX_PUBLIC];
	size_t len = unhex(want_hex, want, sizeof(want));

	assert_int_equal(len, crypto_ke_public_len(crypto_ke_group(ke)));
	assert_int_equal(crypto_ke_public(ke, got, len), 0);
	assert_memory_equal(got, want, len);
}

static void assert_shared(struct crypto_ke *ke, const char *peer_hex,
			  const char *want_hex)
{
	uint8_t peer[CRYPTO_KE_MAX_PUBLIC], want[CRYPTO_KE_MAX_PUBLIC];
	size_t peer_len = unhex(peer_hex, peer, sizeof(peer));
	size_t want_len = unhex(want_hex, want, sizeof(want));
	struct secret *s;

	assert_int_equal(want_len, crypto_ke_shared_len(crypto_ke_group(ke)));
	assert_int_equal(crypto_ke_derive(ke, peer, peer_len, &s), 0);
	assert_non_null(s);
	assert_int_equal(s->len, want_len);
	assert_memory_equal(s->data, want, want_len);
	secret_free(s);
}

/* The peer value must be refused, and no secret handed out. */
static void assert_refused(struct crypto_ke *ke, const uint8_t *peer, size_t len)
{
	static struct secret sentinel;
	struct secret *s = &sentinel; /* must be reset to NULL */

	assert_int_equal(crypto_ke_derive(ke, peer, len, &s), IFS_ERR_INVAL);
	assert_null(s);
}

/* Both sides from their private values: each public value, and the
 * secret each derives from the other's. */
static void run_ke_kat(const struct ke_kat *k)
{
	struct crypto_ke *i, *r;

	print_message("  %s\n", k->name);
	i = from_private_hex(k->group, k->priv_i);
	r = from_private_hex(k->group, k->priv_r);
	assert_public(i, k->pub_i);
	assert_public(r, k->pub_r);
	assert_shared(i, k->pub_r, k->shared);
	assert_shared(r, k->pub_i, k->shared);
	crypto_ke_free(i);
	crypto_ke_free(r);
}

/* ---- known answers ---- */

static void test_ecp_kat(void **state)
{
	(void)state;
	for (size_t i = 0; i < IFS_ARRAY_LEN(ecp_kats); i++)
		run_ke_kat(&ecp_kats[i]);
}

static void test_modp_kat(void **state)
{
	(void)state;
	for (size_t i = 0; i < IFS_ARRAY_LEN(modp_kats); i++)
		run_ke_kat(&modp_kats[i]);
}

static void test_x25519_kat(void **state)
{
	(void)state;
	for (size_t i = 0; i < IFS_ARRAY_LEN(x25519_ke_kats); i++)
		run_ke_kat(&x25519_ke_kats[i]);
	for (size_t i = 0; i < IFS_ARRAY_LEN(x25519_kats); i++) {
		struct crypto_ke *ke;

		print_message("  %s\n", x25519_kats[i].name);
		ke = from_private_hex(CRYPTO_GROUP_CURVE25519, x25519_kats[i].scalar);
		assert_shared(ke, x25519_kats[i].u, x25519_kats[i].out);
		crypto_ke_free(ke);
	}
}

/* ---- fresh key pairs ---- */

static void agree_one(uint16_t group)
{
	uint8_t pub_a[CRYPTO_KE_MAX_PUBLIC], pub_b[CRYPTO_KE_MAX_PUBLIC];
	uint8_t pub_c[CRYPTO_KE_MAX_PUBLIC];
	size_t len = crypto_ke_public_len(group);
	struct crypto_ke *a, *b, *c;
	struct secret *sa, *sb, *sc;

	print_message("  %s\n", crypto_ke_name(group));
	assert_int_equal(crypto_ke_new(&a, group), 0);
	assert_int_equal(crypto_ke_new(&b, group), 0);
	assert_int_equal(crypto_ke_new(&c, group), 0);
	assert_int_equal(crypto_ke_group(a), group);
	assert_int_equal(crypto_ke_public(a, pub_a, len), 0);
	assert_int_equal(crypto_ke_public(b, pub_b, len), 0);
	assert_int_equal(crypto_ke_public(c, pub_c, len), 0);
	assert_memory_not_equal(pub_a, pub_b, len);
	assert_int_equal(crypto_ke_derive(a, pub_b, len, &sa), 0);
	assert_int_equal(crypto_ke_derive(b, pub_a, len, &sb), 0);
	assert_int_equal(crypto_ke_derive(c, pub_a, len, &sc), 0);
	assert_int_equal(sa->len, crypto_ke_shared_len(group));
	assert_int_equal(sb->len, sa->len);
	assert_memory_equal(sa->data, sb->data, sa->len);
	assert_memory_not_equal(sa->data, sc->data, sa->len);
	/* Deriving again from the same key gives the same secret. */
	secret_free(sb);
	assert_int_equal(crypto_ke_derive(a, pub_b, len, &sb), 0);
	assert_memory_equal(sa->data, sb->data, sa->len);
	secret_free(sa);
	secret_free(sb);
	secret_free(sc);
	crypto_ke_free(a);
	crypto_ke_free(b);
	crypto_ke_free(c);
}

static void test_fresh_pairs_agree(void **state)
{
	(void)state;
	for (size_t i = 0; i < IFS_ARRAY_LEN(all_groups); i++)
		agree_one(all_groups[i]);
}

/* ---- refused peer values ---- */

static void test_wrong_lengths(void **state)
{
	uint8_t peer[CRYPTO_KE_MAX_PUBLIC + 1];

	(void)state;
	for (size_t i = 0; i < IFS_ARRAY_LEN(all_groups); i++) {
		size_t len = crypto_ke_public_len(all_groups[i]);
		const size_t bad[] = { 0, 1, len - 1, len + 1, len / 2, 2 * len };
		struct crypto_ke *ke;

		assert_int_equal(crypto_ke_new(&ke, all_groups[i]), 0);
		/* A value that would be fine at the right length. */
		assert_int_equal(crypto_ke_public(ke, peer, len), 0);
		for (size_t j = 0; j < IFS_ARRAY_LEN(bad); j++) {
			if (bad[j] <= sizeof(peer))
				assert_refused(ke, peer, bad[j]);
		}
		assert_refused(ke, NULL, len);
		crypto_ke_free(ke);
	}
}

/* y = 0, 1, p - 1, p and all ones (above p) are refused; 2 and p - 2, the
 * first values inside the range, are taken. */
static void modp_edges(uint16_t group, const char *p_hex)
{
	uint8_t p[CRYPTO_KE_MAX_PUBLIC], y[CRYPTO_KE_MAX_PUBLIC];
	size_t len = unhex(p_hex, p, sizeof(p));
	struct crypto_ke *ke;
	struct secret *s;

	print_message("  %s\n", crypto_ke_name(group));
	assert_int_equal(len, crypto_ke_public_len(group));
	assert_int_equal(p[len - 1] & 1, 1); /* odd, so p - 1 is a last-byte change */
	assert_int_equal(crypto_ke_new(&ke, group), 0);
	memset(y, 0, len);
	assert_refused(ke, y, len);              /* 0 */
	y[len - 1] = 1;
	assert_refused(ke, y, len);              /* 1 */
	memcpy(y, p, len);
	assert_refused(ke, y, len);              /* p */
	y[len - 1] -= 1;
	assert_refused(ke, y, len);              /* p - 1 */
	memset(y, 0xff, len);
	assert_refused(ke, y, len);              /* 2^n - 1 > p */
	memset(y, 0, len);
	y[len - 1] = 2;
	assert_int_equal(crypto_ke_derive(ke, y, len, &s), 0); /* 2 */
	secret_free(s);
	memcpy(y, p, len);
	y[len - 1] -= 2;
	assert_int_equal(crypto_ke_derive(ke, y, len, &s), 0); /* p - 2 */
	secret_free(s);
	crypto_ke_free(ke);
}

static void test_modp_rejects(void **state)
{
	(void)state;
	modp_edges(CRYPTO_GROUP_MODP2048, modp2048_p);
	modp_edges(CRYPTO_GROUP_MODP3072, modp3072_p);
}

/*
 * A point with any single bit of x or y flipped is off the curve: for
 * this x only -y also fits, and this y fits at most two other x, none of
 * them one bit away here. So are the all-zero and all-ones values (b is
 * not 0; all ones is not below p).
 */
static void ecp_rejects_one(const struct ke_kat *k)
{
	uint8_t pub[CRYPTO_KE_MAX_PUBLIC];
	size_t len = unhex(k->pub_r, pub, sizeof(pub));
	struct crypto_ke *ke;

	print_message("  %s\n", k->name);
	ke = from_private_hex(k->group, k->priv_i);
	for (size_t bit = 0; bit < 8 * len; bit++) {
		pub[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		assert_refused(ke, pub, len);
		pub[bit / 8] ^= (uint8_t)(1u << (bit % 8));
	}
	assert_shared(ke, k->pub_r, k->shared); /* untouched, still fine */
	memset(pub, 0, len);
	assert_refused(ke, pub, len);
	memset(pub, 0xff, len);
	assert_refused(ke, pub, len);
	crypto_ke_free(ke);
}

static void test_ecp_rejects(void **state)
{
	(void)state;
	for (size_t i = 0; i < IFS_ARRAY_LEN(ecp_kats); i++)
		ecp_rejects_one(&ecp_kats[i]);
}

/* RFC 8031 §2.2: an all-zero result is refused. */
static void test_x25519_low_order(void **state)
{
	struct crypto_ke *fresh, *kat;

	(void)state;
	assert_int_equal(crypto_ke_new(&fresh, CRYPTO_GROUP_CURVE25519), 0);
	kat = from_private_hex(CRYPTO_GROUP_CURVE25519, x25519_ke_kats[0].priv_i);
	for (size_t i = 0; i < IFS_ARRAY_LEN(x25519_low_order); i++) {
		uint8_t u[32];

		assert_int_equal(unhex(x25519_low_order[i], u, sizeof(u)), 32);
		assert_refused(fresh, u, sizeof(u));
		assert_refused(kat, u, sizeof(u));
	}
	crypto_ke_free(fresh);
	crypto_ke_free(kat);
}

/* ---- private values and arguments ---- */

static void test_bad_private_values(void **state)
{
	uint8_t v[CRYPTO_KE_MAX_PUBLIC + 1];
	struct crypto_ke *ke = (struct crypto_ke *)v; /* must be reset to NULL */
	size_t p_len;

	(void)state;
	/* MODP: 0, 1, p - 1, and longer than p. */
	memset(v, 0, sizeof(v));
	assert_int_equal(crypto_ke_new_from_private(&ke, 14, v, 32), IFS_ERR_INVAL);
	assert_null(ke);
	v[31] = 1;
	assert_int_equal(crypto_ke_new_from_private(&ke, 14, v, 32), IFS_ERR_INVAL);
	p_len = unhex(modp2048_p, v, sizeof(v));
	v[p_len - 1] -= 1;
	assert_int_equal(crypto_ke_new_from_private(&ke, 14, v, p_len), IFS_ERR_INVAL);
	assert_int_equal(crypto_ke_new_from_private(&ke, 14, v, p_len + 1), IFS_ERR_INVAL);
	/* ECP: 0, and n or more (all ones is above n). */
	memset(v, 0, sizeof(v));
	assert_int_equal(crypto_ke_new_from_private(&ke, 19, v, 32), IFS_ERR_INVAL);
	memset(v, 0xff, sizeof(v));
	assert_int_equal(crypto_ke_new_from_private(&ke, 19, v, 32), IFS_ERR_INVAL);
	assert_int_equal(crypto_ke_new_from_private(&ke, 20, v, 48), IFS_ERR_INVAL);
	assert_int_equal(crypto_ke_new_from_private(&ke, 19, v, 33), IFS_ERR_INVAL);
	/* X25519: exactly 32 bytes. */
	assert_int_equal(crypto_ke_new_from_private(&ke, 31, v, 31), IFS_ERR_INVAL);
	assert_int_equal(crypto_ke_new_from_private(&ke, 31, v, 33), IFS_ERR_INVAL);
	/* Nothing at all. */
	for (size_t i = 0; i < IFS_ARRAY_LEN(all_groups); i++) {
		assert_int_equal(crypto_ke_new_from_private(&ke, all_groups[i], NULL, 32),
				 IFS_ERR_INVAL);
		assert_int_equal(crypto_ke_new_from_private(&ke, all_groups[i], v, 0),
				 IFS_ERR_INVAL);
	}
	assert_null(ke);
}

static void test_unsupported_groups(void **state)
{
	static const uint16_t others[] = { 0, 1, 2, 5, 16, 18, 21, 27, 30, 32, 0xffff };
	uint8_t v[32] = { 1 };
	struct crypto_ke *ke = (struct crypto_ke *)v;

	(void)state;
	for (size_t i = 0; i < IFS_ARRAY_LEN(others); i++) {
		assert_false(crypto_ke_is_supported(others[i]));
		assert_int_equal(crypto_ke_public_len(others[i]), 0);
		assert_int_equal(crypto_ke_shared_len(others[i]), 0);
		assert_null(crypto_ke_name(others[i]));
		assert_int_equal(crypto_ke_new(&ke, others[i]), IFS_ERR_UNSUPPORTED);
		assert_null(ke);
		assert_int_equal(crypto_ke_new_from_private(&ke, others[i], v, sizeof(v)),
				 IFS_ERR_UNSUPPORTED);
	}
}

static void test_sizes_and_names(void **state)
{
	static const struct {
		uint16_t group;
		size_t public_len, shared_len;
		const char *name;
	} want[] = {
		{ 14, 256, 256, "modp2048" },
		{ 15, 384, 384, "modp3072" },
		{ 19, 64, 32, "ecp256" },
		{ 20, 96, 48, "ecp384" },
		{ 31, 32, 32, "x25519" },
	};

	(void)state;
	for (size_t i = 0; i < IFS_ARRAY_LEN(want); i++) {
		assert_true(crypto_ke_is_supported(want[i].group));
		assert_int_equal(crypto_ke_public_len(want[i].group), want[i].public_len);
		assert_int_equal(crypto_ke_shared_len(want[i].group), want[i].shared_len);
		assert_string_equal(crypto_ke_name(want[i].group), want[i].name);
		assert_true(want[i].public_len <= CRYPTO_KE_MAX_PUBLIC);
	}
}

static void test_public_arguments(void **state)
{
	uint8_t out[CRYPTO_KE_MAX_PUBLIC + 1];
	struct crypto_ke *ke;

	(void)state;
	crypto_ke_free(NULL);
	assert_int_equal(crypto_ke_group(NULL), 0);
	assert_int_equal(crypto_ke_new(&ke, CRYPTO_GROUP_ECP256), 0);
	assert_int_equal(crypto_ke_public(ke, out, 63), IFS_ERR_INVAL);
	assert_int_equal(crypto_ke_public(ke, out, 65), IFS_ERR_INVAL);
	assert_int_equal(crypto_ke_public(ke, NULL, 64), IFS_ERR_INVAL);
	assert_int_equal(crypto_ke_public(NULL, out, 64), IFS_ERR_INVAL);
	assert_int_equal(crypto_ke_public(ke, out, 64), 0);
	crypto_ke_free(ke);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ecp_kat),
		cmocka_unit_test(test_modp_kat),
		cmocka_unit_test(test_x25519_kat),
		cmocka_unit_test(test_fresh_pairs_agree),
		cmocka_unit_test(test_wrong_lengths),
		cmocka_unit_test(test_modp_rejects),
		cmocka_unit_test(test_ecp_rejects),
		cmocka_unit_test(test_x25519_low_order),
		cmocka_unit_test(test_bad_private_values),
		cmocka_unit_test(test_unsupported_groups),
		cmocka_unit_test(test_sizes_and_names),
		cmocka_unit_test(test_public_arguments),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
