/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef IFS_CRYPTO_CRYPTO_H
#define IFS_CRYPTO_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "common/err.h"

/*
 * The only module that calls OpenSSL (libcrypto 3, EVP). Nothing outside
 * src/crypto includes an OpenSSL header: callers see algorithm ids, a
 * keyed transform object and plain byte buffers.
 *
 * Algorithms are fetched once by crypto_init(); a struct crypto_xform
 * holds one keyed context and is used by one thread at a time (each
 * worker keeps its own copy of an SA's transforms).
 */

enum crypto_alg {
	CRYPTO_AES128_GCM16,          /* RFC 4106, key || 4-byte salt */
	CRYPTO_AES256_GCM16,
	CRYPTO_CHACHA20_POLY1305,     /* RFC 7634, key || 4-byte salt */
	CRYPTO_AES128_CBC_SHA256_128, /* RFC 3602 + RFC 4868, Ke || Ki */
	CRYPTO_AES256_CBC_SHA256_128,
	CRYPTO_AES128_CBC_SHA384_192, /* RFC 3602 + RFC 4868, Ke || Ki */
	CRYPTO_AES256_CBC_SHA384_192,
	CRYPTO_AES128_CBC_SHA512_256, /* RFC 3602 + RFC 4868, Ke || Ki */
	CRYPTO_AES256_CBC_SHA512_256,
	CRYPTO_ALG_COUNT,
};

struct crypto_alg_info {
	const char *name;     /* strongSwan's proposal keyword, e.g. "aes128gcm16" */
	size_t key_len;       /* bytes of keying material: enc key + salt + integ key */
	size_t enc_key_len;
	size_t salt_len;      /* AEAD only */
	size_t integ_key_len; /* CBC+HMAC only */
	size_t iv_len;        /* explicit IV carried in each packet */
	size_t icv_len;
	size_t block_len;     /* cipher text is a multiple of this (1 for stream/CTR modes) */
	size_t pad_align;     /* ESP trailer alignment: max(block_len, 4) */
	bool is_aead;
};
#define CRYPTO_MAX_KEY_LEN 96 /* the longest key_len: aes256-sha512, 32 + 64 */

/* Process-wide setup: fetch the algorithms. Call once before any other
 * function here; crypto_fini() releases them. */
int crypto_init(void) IFS_MUST_CHECK;
void crypto_fini(void);

const struct crypto_alg_info *crypto_alg_info(enum crypto_alg alg);
/* Look up a strongSwan-style name: aes128gcm16, aes256gcm16,
 * chacha20poly1305, aes128-sha256, aes256-sha256, aes128-sha384,
 * aes256-sha384, aes128-sha512, aes256-sha512 (also the aliases
 * aes128gcm128, aes256gcm128 and aes{128,256}-sha2_{256,384,512}). */
int crypto_alg_by_name(const char *name, enum crypto_alg *out) IFS_MUST_CHECK;

struct crypto_xform;

/* A keyed transform for one direction. key is key_len bytes as in
 * crypto_alg_info (the salt at the end for AEADs; Ke then Ki for
 * CBC+HMAC). The key is copied, and into OpenSSL's contexts at the first
 * crypto_seal or crypto_open (which fail then if the library does); the
 * caller keeps and wipes its own copy. */
int crypto_xform_new(struct crypto_xform **out, enum crypto_alg alg,
		     const uint8_t *key, size_t key_len, bool is_encrypt) IFS_MUST_CHECK;
void crypto_xform_free(struct crypto_xform *x);
const struct crypto_alg_info *crypto_xform_info(const struct crypto_xform *x);

/* Fill the explicit IV (iv_len bytes) for the next packet: AEADs use the
 * 64-bit counter given (the ESP sequence number is unique per key, as RFC
 * 4106 §3.1 allows); CBC takes a fresh unpredictable IV from the CSPRNG
 * (RFC 3602 §2.3). */
int crypto_make_iv(struct crypto_xform *x, uint64_t counter, uint8_t *iv) IFS_MUST_CHECK;

/*
 * Encrypt data in place and write the ICV (icv_len bytes).
 *   AEAD:     nonce = salt || iv, additional data = aad; the tag is the ICV.
 *             auth_tail must be empty.
 *   CBC+HMAC: data_len must be a multiple of the block length; the ICV is
 *             HMAC(aad || iv || ciphertext || auth_tail) truncated
 *             (auth_tail carries the ESN high half, RFC 4303 §2.2.1).
 */
int crypto_seal(struct crypto_xform *x, const uint8_t *aad, size_t aad_len,
		const uint8_t *iv, uint8_t *data, size_t data_len,
		const uint8_t *auth_tail, size_t auth_tail_len,
		uint8_t *icv) IFS_MUST_CHECK;

/* Verify the ICV, then decrypt in place. IFS_ERR_INTEGRITY when the ICV
 * does not match (compared in constant time); data is then undefined. */
int crypto_open(struct crypto_xform *x, const uint8_t *aad, size_t aad_len,
		const uint8_t *iv, uint8_t *data, size_t data_len,
		const uint8_t *auth_tail, size_t auth_tail_len,
		const uint8_t *icv) IFS_MUST_CHECK;

/* Cryptographically strong random bytes. */
int crypto_random(void *buf, size_t len) IFS_MUST_CHECK;

#endif
