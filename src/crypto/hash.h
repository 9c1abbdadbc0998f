/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef IFS_CRYPTO_HASH_H
#define IFS_CRYPTO_HASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "common/err.h"
#include "crypto/prf.h"

/* Plain hashes where a protocol names one, and constant-time compare. */

#define CRYPTO_SHA1_LEN 20
#define CRYPTO_SHA256_LEN 32

/* SHA-1 over the concatenated pieces (NAT detection, RFC 7296 §2.23). */
int crypto_sha1(const struct crypto_iov *data, size_t n_data,
		uint8_t out[CRYPTO_SHA1_LEN]) IFS_MUST_CHECK;
/* SHA-256 over the concatenated pieces. */
int crypto_sha256(const struct crypto_iov *data, size_t n_data,
		  uint8_t out[CRYPTO_SHA256_LEN]) IFS_MUST_CHECK;
/* Equal, in time that depends only on len (ICVs, AUTH, cookies). */
bool crypto_mem_equal(const void *a, const void *b, size_t len);

#endif
