/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The combined-mode ESP transforms: AES-GCM with a 16-byte ICV (RFC 4106)
 * and ChaCha20-Poly1305 (RFC 7634). Both take key || 4-byte salt, an
 * 8-byte explicit IV and a 16-byte tag, so one body serves the three.
 */
#include "crypto/xform_priv.h"

#include <string.h>

#include <openssl/crypto.h>

#define AEAD_TAG_LEN 16

/*
 * Key the context once, with no IV yet: later calls pass only the nonce
 * (EVP_*Init_ex2 with a NULL key keeps the key schedule), so nothing is
 * allocated or expanded per packet.
 */
int crypto_aead_key(struct crypto_xform *x, const uint8_t *key)
{
	size_t enc_len = x->info->enc_key_len;

	if (IFS_BUG(x->info->salt_len != sizeof(x->salt) ||
		    x->info->icv_len != AEAD_TAG_LEN ||
		    x->info->iv_len + sizeof(x->salt) != CRYPTO_AEAD_NONCE_LEN))
		return IFS_ERR_CRYPTO;
	if (crypto_cipher_key(x, key) != 0)
		return IFS_ERR_CRYPTO;
	/* Both ciphers default to a 96-bit nonce; make sure of it. */
	if (EVP_CIPHER_CTX_get_iv_length(x->cipher) != CRYPTO_AEAD_NONCE_LEN)
		return IFS_ERR_CRYPTO;
	/* RFC 4106 §8.1, RFC 7634 §4: the salt is the last 4 key bytes. */
	memcpy(x->salt, key + enc_len, sizeof(x->salt));
	return 0;
}

/* Nonce = salt || explicit IV (RFC 4106 §4, RFC 7634 §2). The salt is
 * key material, so the caller wipes the nonce afterwards. */
static void make_nonce(const struct crypto_xform *x, const uint8_t *iv,
		       uint8_t nonce[CRYPTO_AEAD_NONCE_LEN])
{
	memcpy(nonce, x->salt, sizeof(x->salt));
	memcpy(nonce + sizeof(x->salt), iv, CRYPTO_AEAD_NONCE_LEN - sizeof(x->salt));
}

/* Feed the AAD, then the data in place, in the direction the context
 * was keyed for. Lengths were bounded to INT_MAX by xform.c. */
static bool feed(EVP_CIPHER_CTX *ctx, const struct xform_op *op)
{
	int out_len;

	if (op->aad_len > 0 &&
	    EVP_CipherUpdate(ctx, NULL, &out_len, op->aad, (int)op->aad_len) != 1)
		return false;
	if (op->data_len > 0 &&
	    (EVP_CipherUpdate(ctx, op->data, &out_len, op->data,
			      (int)op->data_len) != 1 ||
	     out_len != (int)op->data_len))
		return false;
	return true;
}

int crypto_aead_seal(struct crypto_xform *x, const struct xform_op *op,
		     uint8_t *icv)
{
	uint8_t nonce[CRYPTO_AEAD_NONCE_LEN];
	uint8_t none[EVP_MAX_BLOCK_LENGTH]; /* final writes nothing here */
	int err = IFS_ERR_CRYPTO;
	int tail_len;

	make_nonce(x, op->iv, nonce);
	if (EVP_EncryptInit_ex2(x->cipher, NULL, NULL, nonce, NULL) != 1)
		goto out;
	if (!feed(x->cipher, op))
		goto out;
	/* A stream mode: the final step only completes the tag. */
	if (EVP_EncryptFinal_ex(x->cipher, none, &tail_len) != 1 ||
	    tail_len != 0)
		goto out;
	if (EVP_CIPHER_CTX_ctrl(x->cipher, EVP_CTRL_AEAD_GET_TAG, AEAD_TAG_LEN,
				icv) != 1)
		goto out;
	err = 0;
out:
	OPENSSL_cleanse(nonce, sizeof(nonce));
	return err;
}

/*
 * EVP decrypts while it authenticates, so the plaintext exists before
 * the tag is checked in the final step. On a bad tag (or any failure) it
 * is wiped: a packet that fails the ICV check is discarded (RFC 4303
 * §3.4.4), and no unauthenticated byte should be left for the caller.
 */
int crypto_aead_open(struct crypto_xform *x, const struct xform_op *op,
		     const uint8_t *icv)
{
	uint8_t nonce[CRYPTO_AEAD_NONCE_LEN];
	uint8_t tag[AEAD_TAG_LEN];
	uint8_t none[EVP_MAX_BLOCK_LENGTH];
	int err = IFS_ERR_CRYPTO;
	int tail_len;

	make_nonce(x, op->iv, nonce);
	memcpy(tag, icv, sizeof(tag)); /* the ctrl takes a non-const pointer */
	if (EVP_DecryptInit_ex2(x->cipher, NULL, NULL, nonce, NULL) != 1)
		goto out;
	if (!feed(x->cipher, op))
		goto out;
	if (EVP_CIPHER_CTX_ctrl(x->cipher, EVP_CTRL_AEAD_SET_TAG, AEAD_TAG_LEN,
				tag) != 1)
		goto out;
	/* The providers compare the tag with CRYPTO_memcmp. */
	if (EVP_DecryptFinal_ex(x->cipher, none, &tail_len) != 1 ||
	    tail_len != 0) {
		err = IFS_ERR_INTEGRITY;
		goto out;
	}
	err = 0;
out:
	if (err)
		OPENSSL_cleanse(op->data, op->data_len);
	OPENSSL_cleanse(nonce, sizeof(nonce));
	return err;
}
