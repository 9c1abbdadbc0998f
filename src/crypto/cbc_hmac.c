/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * AES-CBC (RFC 3602) with HMAC-SHA-256-128, HMAC-SHA-384-192 or
 * HMAC-SHA-512-256 (RFC 4868): encrypt, then MAC what goes on the wire.
 * The keying material is Ke || Ki (RFC 7296 §2.17 takes the encryption
 * key first).
 */
#include "crypto/xform_priv.h"

#include <stdio.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>

struct slice {
	const uint8_t *p;
	size_t len;
};

/* RFC 4868 §2.1.1: each variant's key is as long as its hash output, so
 * the integrity key length names the hash. */
static const char *digest_for(size_t full_len)
{
	switch (full_len) {
	case 32:
		return "SHA2-256";
	case 48:
		return "SHA2-384";
	case 64:
		return "SHA2-512";
	default:
		return NULL;
	}
}

/* A context keyed once; per message EVP_MAC_init(ctx, NULL, 0, NULL)
 * restarts it with the same key. full_len is the hash output length. */
static int hmac_new(EVP_MAC_CTX **out, size_t full_len, const uint8_t *key,
		    size_t key_len)
{
	const char *name = digest_for(full_len);
	char digest[16];
	OSSL_PARAM params[2];
	EVP_MAC_CTX *ctx;

	*out = NULL;
	if (IFS_BUG(!crypto_fetched_hmac() || !name))
		return IFS_ERR_CRYPTO;
	/* OSSL_PARAM wants a writable string, and takes its length when the
	 * parameter is made: fill it first. */
	snprintf(digest, sizeof(digest), "%s", name);
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0);
	params[1] = OSSL_PARAM_construct_end();
	ctx = EVP_MAC_CTX_new(crypto_fetched_hmac());
	if (!ctx)
		return IFS_ERR_NOMEM;
	if (EVP_MAC_init(ctx, key, key_len, params) != 1) {
		EVP_MAC_CTX_free(ctx);
		return IFS_ERR_CRYPTO;
	}
	*out = ctx;
	return 0;
}

/* out receives the full output, full_len bytes (at most
 * CRYPTO_HMAC_MAX_LEN). */
static int hmac_slices(EVP_MAC_CTX *ctx, const struct slice *s, size_t n_slices,
		       uint8_t *out, size_t full_len)
{
	size_t out_len;

	if (EVP_MAC_init(ctx, NULL, 0, NULL) != 1)
		return IFS_ERR_CRYPTO;
	for (size_t i = 0; i < n_slices; i++) {
		if (s[i].len > 0 && EVP_MAC_update(ctx, s[i].p, s[i].len) != 1)
			return IFS_ERR_CRYPTO;
	}
	if (EVP_MAC_final(ctx, out, &out_len, full_len) != 1 || out_len != full_len)
		return IFS_ERR_CRYPTO;
	return 0;
}

/*
 * The ICV covers the packet as sent, from the SPI to the end of the
 * trailer (RFC 4303 §2.8, §3.3.2.1): aad (SPI || sequence number), the
 * IV, the cipher text. With ESN the high 32 bits of the sequence number
 * follow, counted but not sent (RFC 4303 §2.2.1): that is auth_tail.
 */
static int compute_icv(struct crypto_xform *x, const struct xform_op *op,
		       uint8_t full[CRYPTO_HMAC_MAX_LEN])
{
	const struct slice s[] = {
		{ op->aad, op->aad_len },
		{ op->iv, x->info->iv_len },
		{ op->data, op->data_len },
		{ op->auth_tail, op->auth_tail_len },
	};

	return hmac_slices(x->mac, s, IFS_ARRAY_LEN(s), full, x->info->integ_key_len);
}

/* CBC over whole blocks, in place, from the packet's IV. */
static int cbc_run(struct crypto_xform *x, const struct xform_op *op)
{
	uint8_t none[EVP_MAX_BLOCK_LENGTH]; /* no padding: final writes nothing */
	int out_len, tail_len;

	if (EVP_CipherInit_ex2(x->cipher, NULL, NULL, op->iv, x->is_encrypt ? 1 : 0,
			       NULL) != 1)
		return IFS_ERR_CRYPTO;
	if (op->data_len > 0 &&
	    (EVP_CipherUpdate(x->cipher, op->data, &out_len, op->data,
			      (int)op->data_len) != 1 ||
	     out_len != (int)op->data_len))
		return IFS_ERR_CRYPTO;
	if (EVP_CipherFinal_ex(x->cipher, none, &tail_len) != 1 || tail_len != 0)
		return IFS_ERR_CRYPTO;
	return 0;
}

int crypto_cbc_hmac_key(struct crypto_xform *x, const uint8_t *key)
{
	const uint8_t *ki = key + x->info->enc_key_len;

	if (IFS_BUG(x->info->integ_key_len > CRYPTO_HMAC_MAX_LEN ||
		    x->info->icv_len > x->info->integ_key_len ||
		    !digest_for(x->info->integ_key_len)))
		return IFS_ERR_CRYPTO;
	if (crypto_cipher_key(x, key) != 0)
		return IFS_ERR_CRYPTO;
	/* ESP adds its own padding and trailer (RFC 4303 §2.4), so EVP must
	 * not add PKCS#7 padding or strip it. */
	if (EVP_CIPHER_CTX_set_padding(x->cipher, 0) != 1)
		return IFS_ERR_CRYPTO;
	if (EVP_CIPHER_CTX_get_iv_length(x->cipher) != (int)x->info->iv_len)
		return IFS_ERR_CRYPTO;
	/* RFC 4868 §2.1.1: Ki is a full-length HMAC key (256, 384 or 512
	 * bits), as long as the hash output. */
	return hmac_new(&x->mac, x->info->integ_key_len, ki, x->info->integ_key_len);
}

int crypto_cbc_hmac_seal(struct crypto_xform *x, const struct xform_op *op,
			 uint8_t *icv)
{
	uint8_t full[CRYPTO_HMAC_MAX_LEN];
	int err;

	err = cbc_run(x, op);
	if (err)
		return err;
	err = compute_icv(x, op, full);
	if (err)
		return err;
	/* RFC 4868 §2.3: the ICV is the leftmost half of the output (128,
	 * 192 or 256 bits). */
	memcpy(icv, full, x->info->icv_len);
	return 0;
}

/* Integrity first (RFC 4303 §3.4.4.1): nothing is decrypted unless the
 * ICV matches, and the match is tested in constant time. */
int crypto_cbc_hmac_open(struct crypto_xform *x, const struct xform_op *op,
			 const uint8_t *icv)
{
	uint8_t full[CRYPTO_HMAC_MAX_LEN];
	int err;

	err = compute_icv(x, op, full);
	if (err)
		return err;
	if (CRYPTO_memcmp(full, icv, x->info->icv_len) != 0)
		return IFS_ERR_INTEGRITY;
	return cbc_run(x, op);
}

int crypto_hmac_sha256_for_test(const uint8_t *key, size_t key_len,
				const uint8_t *msg, size_t msg_len,
				uint8_t out[CRYPTO_HMAC_SHA256_LEN])
{
	const struct slice s = { msg, msg_len };
	EVP_MAC_CTX *ctx;
	int err;

	memset(out, 0, CRYPTO_HMAC_SHA256_LEN);
	if (!key || (!msg && msg_len > 0))
		return IFS_ERR_INVAL;
	err = hmac_new(&ctx, CRYPTO_HMAC_SHA256_LEN, key, key_len);
	if (err)
		return err;
	err = hmac_slices(ctx, &s, 1, out, CRYPTO_HMAC_SHA256_LEN);
	EVP_MAC_CTX_free(ctx);
	return err;
}
