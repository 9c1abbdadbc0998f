/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Key derivation (RFC 7296 §2.13-§2.17) and PSK AUTH (§2.15) against
 * values computed independently with Python's hmac module:
 *
 *   prf = lambda k, d, h: hmac.new(k, d, h).digest()
 *   prf+: T1 = prf(K, S|1), Tn = prf(K, Tn-1|S|n)
 *   Ni = bytes(range(0x10, 0x30)); Nr = bytes(range(0x40, 0x60))
 *   g^ir = bytes((i * 7) & 0xff for i in range(32))
 *   SPIi = 0102030405060708, SPIr = 1112131415161718
 *   SKEYSEED = prf(Ni|Nr, g^ir); keys = prf+(SKEYSEED, Ni|Nr|SPIi|SPIr)
 *   child KEYMAT = prf+(SK_d, Ni|Nr)
 *   AUTH = prf(prf("secret", "Key Pad for IKEv2"), 40 zero bytes | Nr |
 *              prf(SK_pi, 02000000 "a.example.org"))
 *
 * Plus the SK payload (round trip, tampering, padding) and NAT-D.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/crypto.h"
#include "ike/auth_psk.h"
#include "ike/ike_wire.h"
#include "ike/keys.h"
#include "ike/natd.h"
#include "ike/sk.h"

static uint8_t ni[32], nr[32], gir[32];

static void inputs(void)
{
	for (int i = 0; i < 32; i++) {
		ni[i] = (uint8_t)(0x10 + i);
		nr[i] = (uint8_t)(0x40 + i);
		gir[i] = (uint8_t)((i * 7) & 0xff);
	}
}

static size_t unhex(const char *s, uint8_t *out)
{
	size_t n = strlen(s) / 2;

	for (size_t i = 0; i < n; i++) {
		unsigned v;

		assert_int_equal(sscanf(s + 2 * i, "%2x", &v), 1);
		out[i] = (uint8_t)v;
	}
	return n;
}

static void assert_secret(const struct secret *s, const char *hex)
{
	uint8_t want[256];
	size_t n = unhex(hex, want);

	assert_non_null(s);
	assert_int_equal(s->len, n);
	assert_memory_equal(s->data, want, n);
}

static struct ike_keys derive(uint16_t prf, uint16_t encr, uint16_t bits, uint16_t integ)
{
	struct ike_chosen c = { .encr = encr, .encr_key_bits = bits, .prf = prf, .integ = integ };
	struct secret *shared;
	struct ike_keys k;

	inputs();
	assert_int_equal(secret_new(&shared, gir, sizeof(gir)), 0);
	assert_int_equal(ike_keys_derive(&k, &c, shared, ni, 32, nr, 32,
					 0x0102030405060708ull, 0x1112131415161718ull), 0);
	secret_free(shared);
	return k;
}

static void test_keys_sha256_gcm(void **state)
{
	struct ike_keys k = derive(IKE_PRF_HMAC_SHA2_256, IKE_ENCR_AES_GCM_16, 128, 0);
	struct child_keys ck;

	(void)state;
	assert_int_equal(k.sk_alg, CRYPTO_AES128_GCM16);
	assert_int_equal(k.enc_len, 20);
	assert_int_equal(k.integ_len, 0);
	assert_secret(k.sk_d, "846d6c127797da956ef9ea90f9c264afb467869f37899e35547e6949a624acfe");
	assert_secret(k.sk_i, "c0ea758326e6f48257b8bc6bbf0ede16f3d70b46");
	assert_secret(k.sk_r, "d72ff0c26320f03c6e6d0a306c2da5835acefe07");
	assert_secret(k.sk_pi, "67dd2962fa369bfbf4264e202106310710b39f5090e42e30676a1436badc38b5");
	assert_secret(k.sk_pr, "a717e724ee6833563418659495ae4b16ea9501d45c7aab9e83cf90c6de3cfbee");
	assert_int_equal(child_keys_derive(&ck, k.prf, k.sk_d, CRYPTO_AES128_GCM16, NULL,
					   ni, 32, nr, 32), 0);
	assert_secret(ck.i_to_r, "e8b9c2baa79d7865bb471c0024783002bf969fb7");
	assert_secret(ck.r_to_i, "089099cca8d9d7f6cc94dfa7486658ba9d06e65e");
	child_keys_clear(&ck);
	ike_keys_clear(&k);
	assert_null(k.sk_d);
}

/* §2.18: a rekeyed IKE SA's SKEYSEED = prf_old(SK_d_old, g^ir | Ni | Nr)
 * with the old SA's PRF (here HMAC-SHA-256), the rest with the new SA's
 * (HMAC-SHA-384). Expected values computed with Python's hmac. */
static void test_keys_rekey(void **state)
{
	struct ike_keys old = derive(IKE_PRF_HMAC_SHA2_256, IKE_ENCR_AES_GCM_16, 128, 0);
	struct ike_chosen c = { .encr = IKE_ENCR_AES_GCM_16, .encr_key_bits = 256,
				.prf = IKE_PRF_HMAC_SHA2_384 };
	uint8_t g[32], n_i[32], n_r[32];
	struct secret *shared;
	struct ike_keys k;

	(void)state;
	for (int i = 0; i < 32; i++) {
		g[i] = (uint8_t)((i * 3) & 0xff);
		n_i[i] = (uint8_t)(0x80 + i);
		n_r[i] = (uint8_t)(0xa0 + i);
	}
	assert_int_equal(secret_new(&shared, g, sizeof(g)), 0);
	assert_int_equal(ike_keys_derive_rekey(&k, &old, &c, shared, n_i, 32, n_r, 32,
					       0x2122232425262728ull, 0x3132333435363738ull), 0);
	assert_secret(k.sk_d, "02c746d06c1de5cad3dd451d33d6901636882d23a0e48e045b3496f84f82623a"
			      "b2b1bc8f933c6c1fdaea667f09796f98");
	assert_secret(k.sk_i, "4440e8722b15123e89918db4cddd5e9f5a1faf789d2023d937c111c7672e7c0b"
			      "da7b5525");
	assert_secret(k.sk_r, "45ff42705d8d2ef321669fba79723d999b64bda511126c127018dbb5311b36bb"
			      "e73de7ef");
	secret_free(shared);
	ike_keys_clear(&k);
	ike_keys_clear(&old);
}

static void test_keys_sha384_cbc(void **state)
{
	struct ike_keys k = derive(IKE_PRF_HMAC_SHA2_384, IKE_ENCR_AES_CBC, 256,
				   IKE_INTEG_HMAC_SHA2_384_192);
	struct child_keys ck;

	(void)state;
	assert_int_equal(k.sk_alg, CRYPTO_AES256_CBC_SHA384_192);
	assert_secret(k.sk_d, "9b91d7094f980f65ebcd0b9d3212caba00d5022373f6fdaf5b4050142ebe0582"
			      "e8d5ab613d27870f0e69eec9a7bd6146");
	/* SK_ei || SK_ai: 32 bytes of key, then 48 of HMAC key */
	assert_secret(k.sk_i, "a7377e238ef3ffdcde3b7d9b7175d35007537fc4c0ad08d2e57b92e3f336b483"
			      "b75cf21e1bde698940962c9af5f3755d105b66936efa0618de5a4d871663ff91"
			      "62a313999d6f0541f33d18c19d0e85d8");
	assert_secret(k.sk_r, "0ace2f07859574bffd32bfc3faf63ec71f23186b231e98531b1b7d1d9f503394"
			      "18379777d6bd84b6055932092b006e88aa1ac028eb4154f2f934b4bdb69c7912"
			      "f2dbe8fc7844f8c3c3c9cee2a77159f9");
	assert_secret(k.sk_pi, "ed3e215478104a414f18df4153037e313d67ab1a6643d73a7e5c90f38e646c93"
			       "f0878413c45db454ed9e00a8a13d1faf");
	assert_secret(k.sk_pr, "9268a44eaff57aef6ec7f70572645ec2c9639cbc435b61d4a0d40afa0bbd2fd4"
			       "3bb062ee41a82172f2e13f5c656921a9");
	assert_int_equal(child_keys_derive(&ck, k.prf, k.sk_d, CRYPTO_AES128_GCM16, NULL,
					   ni, 32, nr, 32), 0);
	assert_secret(ck.i_to_r, "56d4b0839005591ad83785a1ba2d591fc8560d2d");
	assert_secret(ck.r_to_i, "bfa00da72f99138fc3b6a7a2d6a847339762a9a3");
	child_keys_clear(&ck);
	ike_keys_clear(&k);
}

static void test_keys_unsupported(void **state)
{
	struct ike_chosen c = { .encr = IKE_ENCR_AES_GCM_16, .encr_key_bits = 192,
				.prf = IKE_PRF_HMAC_SHA2_256 };
	struct secret *shared;
	struct ike_keys k;

	(void)state;
	inputs();
	assert_int_equal(secret_new(&shared, gir, sizeof(gir)), 0);
	assert_int_not_equal(ike_keys_derive(&k, &c, shared, ni, 32, nr, 32, 1, 2), 0);
	c.encr_key_bits = 128;
	c.prf = 2;   /* HMAC-SHA1: not ours */
	assert_int_not_equal(ike_keys_derive(&k, &c, shared, ni, 32, nr, 32, 1, 2), 0);
	assert_null(k.sk_d);
	secret_free(shared);
}

static void test_auth_psk(void **state)
{
	struct ike_keys k = derive(IKE_PRF_HMAC_SHA2_256, IKE_ENCR_AES_GCM_16, 128, 0);
	static const uint8_t id[] = "\x02\x00\x00\x00" "a.example.org";
	uint8_t msg[40] = { 0 }, out[64], want[32];
	struct secret *psk;

	(void)state;
	assert_int_equal(secret_new(&psk, "secret", 6), 0);
	assert_int_equal(ike_auth_psk(k.prf, psk, msg, sizeof(msg), nr, 32, k.sk_pi,
				      id, sizeof(id) - 1, out), 0);
	unhex("d320761108daa6c6f011a0069faac8ebfade1d255987300c0535e5fae35faaf6", want);
	assert_memory_equal(out, want, 32);
	secret_free(psk);
	ike_keys_clear(&k);
}

/* Protect a chain, then unprotect it: the same payloads come back; any
 * flipped bit is an integrity failure. */
static void sk_round_trip(enum crypto_alg alg)
{
	const struct crypto_alg_info *info = crypto_alg_info(alg);
	uint8_t key[128], chain[200], msg[512];
	struct crypto_xform *enc, *dec;
	struct ike_builder b;
	struct ike_hdr h = { .spi_i = 1, .spi_r = 2, .version = IKE_VERSION_2,
			     .exchange = IKE_INFORMATIONAL, .msg_id = 7 };
	struct ike_chain outer, inner;
	enum ike_chain_err ce;
	uint8_t bad;
	size_t chain_len, len;

	for (size_t i = 0; i < sizeof(key); i++)
		key[i] = (uint8_t)i;
	assert_int_equal(crypto_xform_new(&enc, alg, key, info->key_len, true), 0);
	assert_int_equal(crypto_xform_new(&dec, alg, key, info->key_len, false), 0);
	for (size_t data_len = 0; data_len < 40; data_len += 13) {
		uint8_t data[40] = { 0 };

		ike_build_begin_chain(&b, chain, sizeof(chain));
		ike_build_notify(&b, 0, NULL, 0, IKE_N_INITIAL_CONTACT, data, data_len);
		chain_len = ike_build_finish(&b);
		assert_true(chain_len > 0);
		len = ike_sk_protect(enc, 5, &h, chain, chain_len, b.first_type, msg, sizeof(msg));
		assert_true(len > 0);
		if (!info->is_aead)   /* padded to the block */
			assert_int_equal((len - 32 - info->iv_len - info->icv_len) % info->block_len, 0);
		assert_int_equal(ike_msg_chain(&h, msg, len, &outer, &bad), IKE_CHAIN_OK);
		{
			uint8_t copy[512];

			memcpy(copy, msg, len);
			copy[len / 2] ^= 0x01;
			assert_int_equal(ike_sk_unprotect(dec, copy, len, &outer, &inner, &ce, &bad),
					 IFS_ERR_INTEGRITY);
			memcpy(copy, msg, len);
			copy[3] ^= 0x80;    /* the header is authenticated too */
			assert_int_equal(ike_sk_unprotect(dec, copy, len, &outer, &inner, &ce, &bad),
					 IFS_ERR_INTEGRITY);
		}
		assert_int_equal(ike_sk_unprotect(dec, msg, len, &outer, &inner, &ce, &bad), 0);
		assert_int_equal(inner.n, 1);
		assert_int_equal(inner.v[0].type, IKE_PL_NOTIFY);
		assert_int_equal(inner.v[0].len, 4 + data_len);
	}
	crypto_xform_free(enc);
	crypto_xform_free(dec);
}

static void test_sk(void **state)
{
	(void)state;
	sk_round_trip(CRYPTO_AES128_GCM16);
	sk_round_trip(CRYPTO_AES256_GCM16);
	sk_round_trip(CRYPTO_CHACHA20_POLY1305);
	sk_round_trip(CRYPTO_AES128_CBC_SHA256_128);
	sk_round_trip(CRYPTO_AES256_CBC_SHA384_192);
	sk_round_trip(CRYPTO_AES256_CBC_SHA512_256);
}

/* SHA-1(SPIi | SPIr | 192.0.2.1 | 500) from Python: hashlib.sha1(bytes(
 * [1,2,3,4,5,6,7,8] + [0]*8 + [192,0,2,1,1,0xf4])).hexdigest() */
static void test_natd(void **state)
{
	struct ifs_addr a;
	uint8_t out[IKE_NATD_LEN], want[IKE_NATD_LEN];

	(void)state;
	assert_int_equal(addr_parse("192.0.2.1", &a), 0);
	assert_int_equal(ike_natd_hash(0x0102030405060708ull, 0, &a, 500, out), 0);
	unhex("644b4575455bd6fcc1efe2be8162a9218e448e5f", want);
	assert_memory_equal(out, want, sizeof(want));
	assert_int_equal(ike_natd_hash(0x0102030405060708ull, 0, &a, 4500, out), 0);
	assert_memory_not_equal(out, want, sizeof(want));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys_sha256_gcm),
		cmocka_unit_test(test_keys_rekey),
		cmocka_unit_test(test_keys_sha384_cbc),
		cmocka_unit_test(test_keys_unsupported),
		cmocka_unit_test(test_auth_psk),
		cmocka_unit_test(test_sk),
		cmocka_unit_test(test_natd),
	};

	if (crypto_init() != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
