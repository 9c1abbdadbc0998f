/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Transform objects: fetching the algorithms once, creating and freeing
 * keyed transforms, explicit IVs, and the checks every packet passes
 * before aead.c or cbc_hmac.c touches it.
 */
#include "crypto/xform_priv.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "common/secret.h"

/*
 * "Explicit fetching" (OpenSSL 3): look each algorithm up once here, so
 * that creating a context never searches the provider store again. The
 * table is written only by crypto_init()/crypto_fini(), before worker
 * threads start and after they stop, and read by all of them.
 */
static const char *const cipher_names[CRYPTO_ALG_COUNT] = {
	[CRYPTO_AES128_GCM16] = "AES-128-GCM",
	[CRYPTO_AES256_GCM16] = "AES-256-GCM",
	[CRYPTO_CHACHA20_POLY1305] = "ChaCha20-Poly1305",
	[CRYPTO_AES128_CBC_SHA256_128] = "AES-128-CBC",
	[CRYPTO_AES256_CBC_SHA256_128] = "AES-256-CBC",
	[CRYPTO_AES128_CBC_SHA384_192] = "AES-128-CBC",
	[CRYPTO_AES256_CBC_SHA384_192] = "AES-256-CBC",
	[CRYPTO_AES128_CBC_SHA512_256] = "AES-128-CBC",
	[CRYPTO_AES256_CBC_SHA512_256] = "AES-256-CBC",
};

static EVP_CIPHER *ciphers[CRYPTO_ALG_COUNT];
static EVP_MAC *hmac;

const EVP_CIPHER *crypto_fetched_cipher(enum crypto_alg alg)
{
	if ((unsigned)alg >= CRYPTO_ALG_COUNT)
		return NULL;
	return ciphers[alg];
}

EVP_MAC *crypto_fetched_hmac(void)
{
	return hmac;
}

int crypto_cipher_key(struct crypto_xform *x, const uint8_t *key)
{
	const EVP_CIPHER *c = crypto_fetched_cipher(x->alg);
	int ok;

	if (x->is_encrypt)
		ok = EVP_EncryptInit_ex2(x->cipher, c, key, NULL, NULL);
	else
		ok = EVP_DecryptInit_ex2(x->cipher, c, key, NULL, NULL);
	return ok == 1 ? 0 : IFS_ERR_CRYPTO;
}

void crypto_fini(void)
{
	for (size_t i = 0; i < CRYPTO_ALG_COUNT; i++) {
		EVP_CIPHER_free(ciphers[i]);
		ciphers[i] = NULL;
	}
	EVP_MAC_free(hmac);
	hmac = NULL;
}

/* The table in alg.c and the library must agree on the key size, or a
 * key would be cut short or read past its end. */
static bool cipher_matches(const EVP_CIPHER *c, const struct crypto_alg_info *info)
{
	return EVP_CIPHER_get_key_length(c) == (int)info->enc_key_len;
}

int crypto_init(void)
{
	if (hmac)
		return 0;
	for (size_t i = 0; i < CRYPTO_ALG_COUNT; i++) {
		ciphers[i] = EVP_CIPHER_fetch(NULL, cipher_names[i], NULL);
		if (!ciphers[i] ||
		    !cipher_matches(ciphers[i], crypto_alg_info((enum crypto_alg)i)))
			goto fail;
	}
	hmac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	if (!hmac)
		goto fail;
	return 0;
fail:
	crypto_fini();
	return IFS_ERR_CRYPTO;
}

int crypto_xform_new(struct crypto_xform **out, enum crypto_alg alg,
		     const uint8_t *key, size_t key_len, bool is_encrypt)
{
	const struct crypto_alg_info *info = crypto_alg_info(alg);
	struct crypto_xform *x;

	*out = NULL;
	if (!info || !key || key_len != info->key_len)
		return IFS_ERR_INVAL;
	if (IFS_BUG(key_len > CRYPTO_MAX_KEY_LEN))
		return IFS_ERR_CRYPTO;
	if (IFS_BUG(!crypto_fetched_cipher(alg) || !hmac))
		return IFS_ERR_CRYPTO; /* crypto_init() was not called */
	x = calloc(1, sizeof(*x));
	if (!x)
		return IFS_ERR_NOMEM;
	x->info = info;
	x->alg = alg;
	x->is_encrypt = is_encrypt;
	memcpy(x->key, key, key_len);
	*out = x;
	return 0;
}

/* The contexts, at the first use (xform_priv.h). On failure none is
 * kept, and the next use tries again. */
static int key_now(struct crypto_xform *x)
{
	int err;

	x->cipher = EVP_CIPHER_CTX_new();
	if (!x->cipher)
		return IFS_ERR_NOMEM;
	if (x->info->is_aead)
		err = crypto_aead_key(x, x->key);
	else
		err = crypto_cbc_hmac_key(x, x->key);
	if (err) {
		EVP_CIPHER_CTX_free(x->cipher);
		EVP_MAC_CTX_free(x->mac);
		x->cipher = NULL;
		x->mac = NULL;
		return err;
	}
	secret_wipe(x->key, sizeof(x->key));
	return 0;
}

/* The contexts' own free functions wipe the key schedules they hold
 * (OPENSSL_clear_free in the providers); the salt is our own copy. */
void crypto_xform_free(struct crypto_xform *x)
{
	if (!x)
		return;
	EVP_CIPHER_CTX_free(x->cipher);
	EVP_MAC_CTX_free(x->mac);
	secret_wipe(x->salt, sizeof(x->salt));
	secret_wipe(x->key, sizeof(x->key));
	free(x);
}

const struct crypto_alg_info *crypto_xform_info(const struct crypto_xform *x)
{
	return x ? x->info : NULL;
}

int crypto_make_iv(struct crypto_xform *x, uint64_t counter, uint8_t *iv)
{
	if (IFS_BUG(!x || !iv))
		return IFS_ERR_INVAL;
	/* RFC 3602 §3: a CBC IV is random and unpredictable. */
	if (!x->info->is_aead)
		return crypto_random(iv, x->info->iv_len);
	/* RFC 4106 §3.1, RFC 7634 §2: any value unique per key will do;
	 * the counter is written big-endian, as the sequence number is. */
	for (size_t i = 0; i < 8; i++)
		iv[i] = (uint8_t)(counter >> (56 - 8 * i));
	return 0;
}

static bool slice_ok(const void *p, size_t len)
{
	return len <= INT_MAX && (p || len == 0);
}

/* Everything both families rely on, so that they need not check again. */
static int check_op(const struct crypto_xform *x, bool is_encrypt,
		    const struct xform_op *op, const void *icv)
{
	if (IFS_BUG(!x) || IFS_BUG(x->is_encrypt != is_encrypt))
		return IFS_ERR_INVAL;
	if (!op->iv || !icv || !slice_ok(op->aad, op->aad_len) ||
	    !slice_ok(op->data, op->data_len) ||
	    !slice_ok(op->auth_tail, op->auth_tail_len))
		return IFS_ERR_INVAL;
	/* AEADs carry the ESN in the AAD instead (RFC 4106 §5). */
	if (x->info->is_aead && op->auth_tail_len != 0)
		return IFS_ERR_INVAL;
	/* ESP pads to the block itself (RFC 4303 §2.4); so does IKE. */
	if (op->data_len % x->info->block_len != 0)
		return IFS_ERR_INVAL;
	return 0;
}

int crypto_seal(struct crypto_xform *x, const uint8_t *aad, size_t aad_len,
		const uint8_t *iv, uint8_t *data, size_t data_len,
		const uint8_t *auth_tail, size_t auth_tail_len, uint8_t *icv)
{
	const struct xform_op op = {
		.aad = aad, .aad_len = aad_len, .iv = iv,
		.data = data, .data_len = data_len,
		.auth_tail = auth_tail, .auth_tail_len = auth_tail_len,
	};
	int err = check_op(x, true, &op, icv);

	if (!err && !x->cipher)
		err = key_now(x);
	if (err)
		return err;
	if (x->info->is_aead)
		return crypto_aead_seal(x, &op, icv);
	return crypto_cbc_hmac_seal(x, &op, icv);
}

int crypto_open(struct crypto_xform *x, const uint8_t *aad, size_t aad_len,
		const uint8_t *iv, uint8_t *data, size_t data_len,
		const uint8_t *auth_tail, size_t auth_tail_len, const uint8_t *icv)
{
	const struct xform_op op = {
		.aad = aad, .aad_len = aad_len, .iv = iv,
		.data = data, .data_len = data_len,
		.auth_tail = auth_tail, .auth_tail_len = auth_tail_len,
	};
	int err = check_op(x, false, &op, icv);

	if (!err && !x->cipher)
		err = key_now(x);
	if (err)
		return err;
	if (x->info->is_aead)
		return crypto_aead_open(x, &op, icv);
	return crypto_cbc_hmac_open(x, &op, icv);
}
