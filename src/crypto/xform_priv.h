/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef IFS_CRYPTO_XFORM_PRIV_H
#define IFS_CRYPTO_XFORM_PRIV_H

/*
 * Private to src/crypto (and its unit test): the layout of a transform
 * and the calls between xform.c, which checks arguments and dispatches,
 * and the two families, aead.c and cbc_hmac.c. Nothing else includes
 * this header, so OpenSSL types stay inside the crypto module.
 */

#include <openssl/evp.h>

#include "crypto/crypto.h"

#define CRYPTO_AEAD_NONCE_LEN 12 /* salt(4) || iv(8): RFC 4106 §4, RFC 7634 §2 */
#define CRYPTO_HMAC_SHA256_LEN 32
#define CRYPTO_HMAC_MAX_LEN 64   /* HMAC-SHA-512 */

/*
 * The OpenSSL contexts are made and keyed at the transform's first use,
 * not with it: until then it holds only its key. Most of a thousand
 * tunnels' SAs carry nothing at any moment, and AES-GCM's context costs
 * ~1.2 KB per direction against the key's 20 bytes.
 */
struct crypto_xform {
	const struct crypto_alg_info *info;
	enum crypto_alg alg;
	bool is_encrypt;
	EVP_CIPHER_CTX *cipher; /* NULL until the first use, then keyed once;
				 * per packet only a new IV */
	EVP_MAC_CTX *mac;       /* CBC+HMAC: keyed with Ki once */
	uint8_t salt[4];        /* AEAD: the last 4 bytes of the key */
	uint8_t key[CRYPTO_MAX_KEY_LEN]; /* until cipher is keyed; then wiped */
};

/* One packet's buffers, already checked by xform.c: lengths fit an int,
 * pointers are non-NULL where their length is not 0, and the length
 * rules of the algorithm hold. */
struct xform_op {
	const uint8_t *aad;
	size_t aad_len;
	const uint8_t *iv;
	uint8_t *data;
	size_t data_len;
	const uint8_t *auth_tail;
	size_t auth_tail_len;
};

/* Algorithms fetched by crypto_init(); NULL before it or after
 * crypto_fini(). Shared read-only by every thread. */
const EVP_CIPHER *crypto_fetched_cipher(enum crypto_alg alg);
/* Key the transform's cipher context once, for its direction. */
int crypto_cipher_key(struct crypto_xform *x, const uint8_t *key) IFS_MUST_CHECK;
EVP_MAC *crypto_fetched_hmac(void);

/* Key a fresh transform; key is info->key_len bytes. */
int crypto_aead_key(struct crypto_xform *x, const uint8_t *key) IFS_MUST_CHECK;
int crypto_aead_seal(struct crypto_xform *x, const struct xform_op *op,
		     uint8_t *icv) IFS_MUST_CHECK;
int crypto_aead_open(struct crypto_xform *x, const struct xform_op *op,
		     const uint8_t *icv) IFS_MUST_CHECK;

int crypto_cbc_hmac_key(struct crypto_xform *x, const uint8_t *key) IFS_MUST_CHECK;
int crypto_cbc_hmac_seal(struct crypto_xform *x, const struct xform_op *op,
			 uint8_t *icv) IFS_MUST_CHECK;
int crypto_cbc_hmac_open(struct crypto_xform *x, const struct xform_op *op,
			 const uint8_t *icv) IFS_MUST_CHECK;

/*
 * Full HMAC-SHA-256 of msg under a key of any length, through the same
 * feed-and-finish code the CBC transforms use. It exists so that the
 * unit test can check the RFC 4231 answers, whose keys are not the
 * 32 bytes an ESP Ki has; it allocates, so it is not for the packet path.
 */
int crypto_hmac_sha256_for_test(const uint8_t *key, size_t key_len,
				const uint8_t *msg, size_t msg_len,
				uint8_t out[CRYPTO_HMAC_SHA256_LEN]) IFS_MUST_CHECK;

#endif
