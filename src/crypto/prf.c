/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The IKEv2 pseudo-random functions: PRF_HMAC_SHA2_256/384/512 (RFC 4868
 * §2.1.2), which take keys of any length (RFC 2104 §2 hashes a long key
 * and pads a short one), and prf+ (RFC 7296 §2.13) built on them.
 */
#include "crypto/prf.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <openssl/core_names.h>

#include "common/secret.h"
#include "crypto/xform_priv.h"

static const struct prf_info {
	const char *digest; /* OpenSSL's name for the hash */
	size_t len;         /* output bytes */
} prf_table[] = {
	[CRYPTO_PRF_HMAC_SHA256] = { "SHA2-256", 32 },
	[CRYPTO_PRF_HMAC_SHA384] = { "SHA2-384", 48 },
	[CRYPTO_PRF_HMAC_SHA512] = { "SHA2-512", 64 },
};

static const struct prf_info *prf_info(enum crypto_prf prf)
{
	if ((unsigned)prf >= IFS_ARRAY_LEN(prf_table))
		return NULL;
	return &prf_table[prf];
}

size_t crypto_prf_len(enum crypto_prf prf)
{
	const struct prf_info *pi = prf_info(prf);

	return pi ? pi->len : 0;
}

static bool iov_ok(const struct crypto_iov *v, size_t n)
{
	if (n > 0 && !v)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (v[i].len > 0 && !v[i].p)
			return false;
	}
	return true;
}

/*
 * A MAC context keyed once with key; each block restarts it with
 * EVP_MAC_init(ctx, NULL, 0, NULL), which keeps the key. The HMAC
 * algorithm fetched by crypto_init() is used when there is one, so that
 * nothing searches the provider store per call; without it (a caller
 * that never set up the ESP transforms) it is fetched here.
 */
static int prf_ctx_new(const struct prf_info *pi, const uint8_t *key,
		       size_t key_len, EVP_MAC_CTX **out)
{
	/* OpenSSL reads no key from a NULL pointer; an empty HMAC key is
	 * legal (RFC 2104 §2: it is padded with zeros). */
	static const uint8_t no_key[1];
	EVP_MAC *own = NULL, *mac = crypto_fetched_hmac();
	EVP_MAC_CTX *ctx;
	char digest[16];
	OSSL_PARAM params[2];

	*out = NULL;
	/* OSSL_PARAM wants a writable string, and takes its length when the
	 * parameter is made: fill it first. */
	snprintf(digest, sizeof(digest), "%s", pi->digest);
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0);
	params[1] = OSSL_PARAM_construct_end();
	if (!mac)
		mac = own = EVP_MAC_fetch(NULL, "HMAC", NULL);
	if (!mac)
		return IFS_ERR_CRYPTO;
	ctx = EVP_MAC_CTX_new(mac);
	EVP_MAC_free(own); /* the context holds its own reference */
	if (!ctx)
		return IFS_ERR_NOMEM;
	if (EVP_MAC_init(ctx, key_len > 0 ? key : no_key, key_len, params) != 1) {
		EVP_MAC_CTX_free(ctx);
		return IFS_ERR_CRYPTO;
	}
	*out = ctx;
	return 0;
}

/* out (pi->len bytes) = prf(K, prev | data[0] | ... | tail). out may be
 * prev: the input is read before the output is written. */
static int prf_block(EVP_MAC_CTX *ctx, const struct prf_info *pi,
		     const uint8_t *prev, size_t prev_len,
		     const struct crypto_iov *data, size_t n_data,
		     const uint8_t *tail, size_t tail_len, uint8_t *out)
{
	size_t out_len;

	if (EVP_MAC_init(ctx, NULL, 0, NULL) != 1)
		return IFS_ERR_CRYPTO;
	if (prev_len > 0 && EVP_MAC_update(ctx, prev, prev_len) != 1)
		return IFS_ERR_CRYPTO;
	for (size_t i = 0; i < n_data; i++) {
		if (data[i].len > 0 && EVP_MAC_update(ctx, data[i].p, data[i].len) != 1)
			return IFS_ERR_CRYPTO;
	}
	if (tail_len > 0 && EVP_MAC_update(ctx, tail, tail_len) != 1)
		return IFS_ERR_CRYPTO;
	if (EVP_MAC_final(ctx, out, &out_len, pi->len) != 1 || out_len != pi->len)
		return IFS_ERR_CRYPTO;
	return 0;
}

int crypto_prf(enum crypto_prf prf, const uint8_t *key, size_t key_len,
	       const struct crypto_iov *data, size_t n_data, uint8_t *out)
{
	const struct prf_info *pi = prf_info(prf);
	uint8_t t[CRYPTO_PRF_MAX_LEN];
	EVP_MAC_CTX *ctx;
	int err;

	if (!pi || !out)
		return IFS_ERR_INVAL;
	if ((!key && key_len > 0) || !iov_ok(data, n_data)) {
		memset(out, 0, pi->len);
		return IFS_ERR_INVAL;
	}
	/* The result goes through t, so out may be one of the inputs
	 * (prf(prf(K, a), b) with one buffer). */
	err = prf_ctx_new(pi, key, key_len, &ctx);
	if (!err) {
		err = prf_block(ctx, pi, NULL, 0, data, n_data, NULL, 0, t);
		EVP_MAC_CTX_free(ctx);
	}
	if (err)
		memset(out, 0, pi->len);
	else
		memcpy(out, t, pi->len);
	secret_wipe(t, sizeof(t));
	return err;
}

/*
 * RFC 7296 §2.13:
 *   prf+ (K,S) = T1 | T2 | T3 | T4 | ...
 *   T1 = prf (K, S | 0x01)
 *   T2 = prf (K, T1 | S | 0x02)
 *   ...
 * The counter is one octet, so at most 255 blocks exist. Every block
 * passes through t, which is wiped before returning.
 */
int crypto_prf_plus(enum crypto_prf prf, const uint8_t *key, size_t key_len,
		    const struct crypto_iov *seed, size_t n_seed,
		    uint8_t *out, size_t out_len)
{
	const struct prf_info *pi = prf_info(prf);
	uint8_t t[CRYPTO_PRF_MAX_LEN] = { 0 };
	EVP_MAC_CTX *ctx = NULL;
	size_t done = 0;
	int err = 0;

	if (!pi || (!out && out_len > 0))
		return IFS_ERR_INVAL;
	if (out_len > 0)
		memset(out, 0, out_len);
	if ((!key && key_len > 0) || !iov_ok(seed, n_seed))
		return IFS_ERR_INVAL;
	if (out_len > CRYPTO_PRF_PLUS_MAX_BLOCKS * pi->len)
		return IFS_ERR_RANGE;
	if (out_len == 0)
		return 0;
	err = prf_ctx_new(pi, key, key_len, &ctx);
	if (err)
		return err;
	for (unsigned n = 1; done < out_len; n++) {
		const uint8_t counter = (uint8_t)n;
		size_t take = out_len - done < pi->len ? out_len - done : pi->len;

		/* T(n) = prf(K, T(n-1) | S | n), with T(0) empty */
		err = prf_block(ctx, pi, t, n == 1 ? 0 : pi->len, seed, n_seed,
				&counter, 1, t);
		if (err)
			goto out;
		memcpy(out + done, t, take);
		done += take;
	}
out:
	EVP_MAC_CTX_free(ctx);
	secret_wipe(t, sizeof(t));
	if (err)
		secret_wipe(out, out_len);
	return err;
}
