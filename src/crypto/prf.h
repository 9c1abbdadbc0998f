/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef IFS_CRYPTO_PRF_H
#define IFS_CRYPTO_PRF_H

#include <stddef.h>
#include <stdint.h>
#include "common/err.h"

/*
 * The IKEv2 pseudo-random functions (RFC 7296 §2.13, RFC 4868): HMAC with
 * SHA-2, and prf+ built on them.
 */
enum crypto_prf {
	CRYPTO_PRF_HMAC_SHA256,
	CRYPTO_PRF_HMAC_SHA384,
	CRYPTO_PRF_HMAC_SHA512,
};

#define CRYPTO_PRF_MAX_LEN 64
/* prf+ yields at most 255 blocks (§2.13). */
#define CRYPTO_PRF_PLUS_MAX_BLOCKS 255

/* A piece of the input; the pieces are concatenated. */
struct crypto_iov {
	const void *p;
	size_t len;
};

/* Output length, which is also the preferred key length (§2.14). */
size_t crypto_prf_len(enum crypto_prf prf);

/* out (crypto_prf_len bytes) = prf(key, data[0] | data[1] | ...)
 * out may be the key or one of the pieces; it is written only at the end
 * (zeros on failure). */
int crypto_prf(enum crypto_prf prf, const uint8_t *key, size_t key_len,
	       const struct crypto_iov *data, size_t n_data, uint8_t *out) IFS_MUST_CHECK;

/* out = the first out_len bytes of prf+(key, seed) (§2.13):
 * T1 = prf(K, S | 0x01), Tn = prf(K, Tn-1 | S | n). IFS_ERR_RANGE when
 * out_len needs more than 255 blocks. out is zeroed first and written
 * block by block, so it must not overlap key or seed. */
int crypto_prf_plus(enum crypto_prf prf, const uint8_t *key, size_t key_len,
		    const struct crypto_iov *seed, size_t n_seed,
		    uint8_t *out, size_t out_len) IFS_MUST_CHECK;

#endif
