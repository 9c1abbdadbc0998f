/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The IKEv2 PRFs and prf+ (src/crypto/prf.c): published HMAC and HKDF
 * answers, prf+ rebuilt block by block from prf, the 255-block limit,
 * input split into pieces, and argument checks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "crypto/crypto.h"
#include "crypto/prf.h"

#include "vectors/hmac_sha256.h"
#include "vectors/hmac_sha384.h"
#include "vectors/hmac_sha512.h"
#include "vectors/prf_plus.h"

#define MAX_OUT (CRYPTO_PRF_PLUS_MAX_BLOCKS * CRYPTO_PRF_MAX_LEN + 64)

static const enum crypto_prf all_prfs[] = {
	CRYPTO_PRF_HMAC_SHA256,
	CRYPTO_PRF_HMAC_SHA384,
	CRYPTO_PRF_HMAC_SHA512,
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

static void prf1(enum crypto_prf prf, const uint8_t *key, size_t key_len,
		 const uint8_t *data, size_t data_len, uint8_t *out)
{
	const struct crypto_iov iov = { data, data_len };

	assert_int_equal(crypto_prf(prf, key, key_len, &iov, 1, out), 0);
}

/* ---- known answers ---- */

/*
 * Each case whole, then cut into three pieces at every pair of points
 * (empty pieces included): the pieces are concatenated, so the answer
 * must not change.
 */
static void run_prf_kat(enum crypto_prf prf, const struct hmac_kat *k)
{
	uint8_t key[256], data[256], want[64], got[64];
	size_t key_len, data_len, mac_len;

	print_message("  %s\n", k->name);
	key_len = unhex(k->key, key, sizeof(key));
	data_len = unhex(k->data, data, sizeof(data));
	mac_len = unhex(k->mac, want, sizeof(want));
	assert_true(mac_len <= crypto_prf_len(prf));
	prf1(prf, key, key_len, data, data_len, got);
	assert_memory_equal(got, want, mac_len);
	for (size_t a = 0; a <= data_len; a += 7) {
		for (size_t b = a; b <= data_len; b += 5) {
			const struct crypto_iov iov[] = {
				{ data, a }, { data + a, b - a }, { data + b, data_len - b },
			};

			memset(got, 0, sizeof(got));
			assert_int_equal(crypto_prf(prf, key, key_len, iov, 3, got), 0);
			assert_memory_equal(got, want, mac_len);
		}
	}
}

static void test_hmac_sha256_kat(void **state)
{
	(void)state;
	for (size_t i = 0; i < IFS_ARRAY_LEN(hmac_sha256_kats); i++)
		run_prf_kat(CRYPTO_PRF_HMAC_SHA256, &hmac_sha256_kats[i]);
}

static void test_hmac_sha384_kat(void **state)
{
	(void)state;
	for (size_t i = 0; i < IFS_ARRAY_LEN(hmac_sha384_kats); i++)
		run_prf_kat(CRYPTO_PRF_HMAC_SHA384, &hmac_sha384_kats[i]);
}

static void test_hmac_sha512_kat(void **state)
{
	(void)state;
	for (size_t i = 0; i < IFS_ARRAY_LEN(hmac_sha512_kats); i++)
		run_prf_kat(CRYPTO_PRF_HMAC_SHA512, &hmac_sha512_kats[i]);
}

/* RFC 5869 OKM = prf+(PRK, info); every shorter length is a prefix, and
 * the seed may come in pieces. */
static void test_prf_plus_kat(void **state)
{
	(void)state;
	for (size_t i = 0; i < IFS_ARRAY_LEN(prf_plus_kats); i++) {
		const struct prf_plus_kat *k = &prf_plus_kats[i];
		uint8_t key[64], seed[128], want[128], got[128];
		size_t key_len, seed_len, out_len;

		print_message("  %s\n", k->name);
		key_len = unhex(k->key, key, sizeof(key));
		seed_len = unhex(k->seed, seed, sizeof(seed));
		out_len = unhex(k->out, want, sizeof(want));
		for (size_t len = 0; len <= out_len; len++) {
			const struct crypto_iov iov = { seed, seed_len };

			memset(got, 0xee, sizeof(got));
			assert_int_equal(crypto_prf_plus(k->prf, key, key_len, &iov, 1,
							 got, len), 0);
			if (len > 0)
				assert_memory_equal(got, want, len);
			assert_int_equal(got[len], 0xee); /* nothing past out_len */
		}
		for (size_t cut = 0; cut <= seed_len; cut++) {
			const struct crypto_iov iov[] = {
				{ seed, cut }, { seed + cut, seed_len - cut },
			};

			assert_int_equal(crypto_prf_plus(k->prf, key, key_len, iov, 2,
							 got, out_len), 0);
			assert_memory_equal(got, want, out_len);
		}
	}
}

/* ---- prf+ from its definition ---- */

/*
 * RFC 7296 §2.13 for every PRF over the full 255 blocks: T1 = prf(K, S |
 * 0x01), Tn = prf(K, Tn-1 | S | n), each computed here with crypto_prf().
 * The last block has counter 0xff.
 */
static void prf_plus_by_definition(enum crypto_prf prf)
{
	static const uint8_t key[] = "a key for prf+", seed[] = "Ni | Nr | SPIi | SPIr";
	const size_t len = crypto_prf_len(prf);
	uint8_t *got = malloc(MAX_OUT), *want = malloc(MAX_OUT);
	const struct crypto_iov s = { seed, sizeof(seed) };

	assert_non_null(got);
	assert_non_null(want);
	for (unsigned n = 1; n <= CRYPTO_PRF_PLUS_MAX_BLOCKS; n++) {
		const uint8_t counter = (uint8_t)n;
		/* T(n-1) is the previous block of want; T(0) is empty. */
		const struct crypto_iov iov[] = {
			{ n == 1 ? NULL : want + (n - 2) * len, n == 1 ? 0 : len },
			{ seed, sizeof(seed) },
			{ &counter, 1 },
		};

		assert_int_equal(crypto_prf(prf, key, sizeof(key), iov, 3,
					    want + (n - 1) * len), 0);
	}
	assert_int_equal(crypto_prf_plus(prf, key, sizeof(key), &s, 1, got,
					 CRYPTO_PRF_PLUS_MAX_BLOCKS * len), 0);
	assert_memory_equal(got, want, CRYPTO_PRF_PLUS_MAX_BLOCKS * len);
	free(got);
	free(want);
}

static void test_prf_plus_definition(void **state)
{
	(void)state;
	for (size_t i = 0; i < IFS_ARRAY_LEN(all_prfs); i++)
		prf_plus_by_definition(all_prfs[i]);
}

/* 255 blocks are the most there are (the counter is one octet); one
 * byte more is refused, and the output is left zeroed. */
static void test_prf_plus_limit(void **state)
{
	static const uint8_t key[32] = { 1 }, seed[8] = { 2 };
	const struct crypto_iov s = { seed, sizeof(seed) };
	uint8_t *out = malloc(MAX_OUT), zero[64] = { 0 };

	(void)state;
	assert_non_null(out);
	for (size_t i = 0; i < IFS_ARRAY_LEN(all_prfs); i++) {
		const size_t max = CRYPTO_PRF_PLUS_MAX_BLOCKS * crypto_prf_len(all_prfs[i]);

		assert_int_equal(crypto_prf_plus(all_prfs[i], key, sizeof(key), &s, 1,
						 out, max), 0);
		assert_memory_not_equal(out + max - 64, zero, 64);
		memset(out, 0x55, MAX_OUT);
		assert_int_equal(crypto_prf_plus(all_prfs[i], key, sizeof(key), &s, 1,
						 out, max + 1), IFS_ERR_RANGE);
		assert_memory_equal(out, zero, 64);
		assert_int_equal(crypto_prf_plus(all_prfs[i], key, sizeof(key), &s, 1,
						 out, max + crypto_prf_len(all_prfs[i])),
				 IFS_ERR_RANGE); /* 256 blocks */
	}
	/* Nothing asked, nothing written. */
	assert_int_equal(crypto_prf_plus(CRYPTO_PRF_HMAC_SHA256, key, sizeof(key), &s, 1,
					 NULL, 0), 0);
	free(out);
}

/* ---- properties and argument checks ---- */

static void test_prf_len(void **state)
{
	(void)state;
	assert_int_equal(crypto_prf_len(CRYPTO_PRF_HMAC_SHA256), 32);
	assert_int_equal(crypto_prf_len(CRYPTO_PRF_HMAC_SHA384), 48);
	assert_int_equal(crypto_prf_len(CRYPTO_PRF_HMAC_SHA512), 64);
	assert_true(crypto_prf_len(CRYPTO_PRF_HMAC_SHA512) <= CRYPTO_PRF_MAX_LEN);
	assert_int_equal(crypto_prf_len((enum crypto_prf)3), 0);
	assert_int_equal(crypto_prf_len((enum crypto_prf)-1), 0);
}

/*
 * RFC 2104 §2 pads the key with zeros to the block length, so an empty
 * key and a single zero byte are the same key; and no input at all is an
 * input.
 */
static void test_empty_key_and_data(void **state)
{
	static const uint8_t one_zero[1] = { 0 }, data[] = "data";
	uint8_t a[64], b[64];

	(void)state;
	for (size_t i = 0; i < IFS_ARRAY_LEN(all_prfs); i++) {
		size_t len = crypto_prf_len(all_prfs[i]);

		prf1(all_prfs[i], NULL, 0, data, sizeof(data), a);
		prf1(all_prfs[i], one_zero, 1, data, sizeof(data), b);
		assert_memory_equal(a, b, len);
		assert_int_equal(crypto_prf(all_prfs[i], data, sizeof(data), NULL, 0, a), 0);
		prf1(all_prfs[i], data, sizeof(data), NULL, 0, b);
		assert_memory_equal(a, b, len);
	}
}

/* crypto_prf() may write over its own key or input:
 * prf(prf(K, "a"), "b") and prf(K, prf(K, "a")) in one buffer each. */
static void test_prf_in_place(void **state)
{
	static const uint8_t k[] = "key", a[] = "a", b[] = "b";
	uint8_t buf[64], inner[64], want[64];

	(void)state;
	for (size_t i = 0; i < IFS_ARRAY_LEN(all_prfs); i++) {
		size_t len = crypto_prf_len(all_prfs[i]);
		const struct crypto_iov in_b = { b, sizeof(b) }, in_buf = { buf, len };

		prf1(all_prfs[i], k, sizeof(k), a, sizeof(a), inner);
		prf1(all_prfs[i], inner, len, b, sizeof(b), want);
		prf1(all_prfs[i], k, sizeof(k), a, sizeof(a), buf);
		assert_int_equal(crypto_prf(all_prfs[i], buf, len, &in_b, 1, buf), 0);
		assert_memory_equal(buf, want, len);
		prf1(all_prfs[i], k, sizeof(k), inner, len, want);
		memcpy(buf, inner, len);
		assert_int_equal(crypto_prf(all_prfs[i], k, sizeof(k), &in_buf, 1, buf), 0);
		assert_memory_equal(buf, want, len);
	}
}

/* The three PRFs, keys and inputs all give different answers. */
static void test_outputs_differ(void **state)
{
	static const uint8_t k1[] = "key one", k2[] = "key two", d[] = "data";
	uint8_t a[64], b[64], c[64];

	(void)state;
	prf1(CRYPTO_PRF_HMAC_SHA256, k1, sizeof(k1), d, sizeof(d), a);
	prf1(CRYPTO_PRF_HMAC_SHA256, k2, sizeof(k2), d, sizeof(d), b);
	prf1(CRYPTO_PRF_HMAC_SHA256, k1, sizeof(k1), d, sizeof(d) - 1, c);
	assert_memory_not_equal(a, b, 32);
	assert_memory_not_equal(a, c, 32);
	prf1(CRYPTO_PRF_HMAC_SHA384, k1, sizeof(k1), d, sizeof(d), b);
	prf1(CRYPTO_PRF_HMAC_SHA512, k1, sizeof(k1), d, sizeof(d), c);
	assert_memory_not_equal(a, b, 32);
	assert_memory_not_equal(b, c, 48);
}

static void test_bad_arguments(void **state)
{
	static const uint8_t key[16] = { 0 };
	const struct crypto_iov bad = { NULL, 4 }, good = { key, sizeof(key) };
	uint8_t out[64];

	(void)state;
	memset(out, 0x77, sizeof(out));
	assert_int_equal(crypto_prf((enum crypto_prf)3, key, 16, &good, 1, out),
			 IFS_ERR_INVAL);
	assert_int_equal(crypto_prf(CRYPTO_PRF_HMAC_SHA256, key, 16, &good, 1, NULL),
			 IFS_ERR_INVAL);
	assert_int_equal(crypto_prf(CRYPTO_PRF_HMAC_SHA256, NULL, 16, &good, 1, out),
			 IFS_ERR_INVAL);
	assert_int_equal(out[0], 0); /* zeroed on entry */
	assert_int_equal(crypto_prf(CRYPTO_PRF_HMAC_SHA256, key, 16, &bad, 1, out),
			 IFS_ERR_INVAL);
	assert_int_equal(crypto_prf(CRYPTO_PRF_HMAC_SHA256, key, 16, NULL, 1, out),
			 IFS_ERR_INVAL);
	assert_int_equal(crypto_prf_plus((enum crypto_prf)-1, key, 16, &good, 1, out, 8),
			 IFS_ERR_INVAL);
	assert_int_equal(crypto_prf_plus(CRYPTO_PRF_HMAC_SHA256, key, 16, &good, 1,
					 NULL, 8), IFS_ERR_INVAL);
	assert_int_equal(crypto_prf_plus(CRYPTO_PRF_HMAC_SHA256, NULL, 16, &good, 1,
					 out, 8), IFS_ERR_INVAL);
	assert_int_equal(crypto_prf_plus(CRYPTO_PRF_HMAC_SHA256, key, 16, &bad, 1,
					 out, 8), IFS_ERR_INVAL);
}

/* A caller that never set up the ESP transforms (a tool, a test of the
 * key schedule) still gets the same answers. */
static void test_without_crypto_init(void **state)
{
	static const uint8_t key[] = "k", data[] = "d";
	const struct crypto_iov s = { data, sizeof(data) };
	uint8_t a[64], b[64], pa[100], pb[100];

	(void)state;
	prf1(CRYPTO_PRF_HMAC_SHA384, key, sizeof(key), data, sizeof(data), a);
	assert_int_equal(crypto_prf_plus(CRYPTO_PRF_HMAC_SHA384, key, sizeof(key), &s, 1,
					 pa, sizeof(pa)), 0);
	crypto_fini();
	prf1(CRYPTO_PRF_HMAC_SHA384, key, sizeof(key), data, sizeof(data), b);
	assert_int_equal(crypto_prf_plus(CRYPTO_PRF_HMAC_SHA384, key, sizeof(key), &s, 1,
					 pb, sizeof(pb)), 0);
	assert_int_equal(crypto_init(), 0);
	assert_memory_equal(a, b, 48);
	assert_memory_equal(pa, pb, sizeof(pa));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hmac_sha256_kat),
		cmocka_unit_test(test_hmac_sha384_kat),
		cmocka_unit_test(test_hmac_sha512_kat),
		cmocka_unit_test(test_prf_plus_kat),
		cmocka_unit_test(test_prf_plus_definition),
		cmocka_unit_test(test_prf_plus_limit),
		cmocka_unit_test(test_prf_len),
		cmocka_unit_test(test_empty_key_and_data),
		cmocka_unit_test(test_prf_in_place),
		cmocka_unit_test(test_outputs_differ),
		cmocka_unit_test(test_bad_arguments),
		cmocka_unit_test(test_without_crypto_init),
	};
	int failed;

	if (crypto_init() != 0) {
		print_error("crypto_init failed\n");
		return 1;
	}
	failed = cmocka_run_group_tests(tests, NULL, NULL);
	crypto_fini();
	return failed;
}
