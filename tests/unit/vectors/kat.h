/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef IFS_TEST_VECTORS_KAT_H
#define IFS_TEST_VECTORS_KAT_H

/*
 * Record types for the known-answer tables in this directory. Every
 * byte string is hex, as the source documents print it; spaces are
 * ignored. Each table says where its values come from.
 */

#include "crypto/crypto.h"

/* An ESP AEAD case: key is the ESP keying material, key || salt. */
struct aead_kat {
	const char *name;
	enum crypto_alg alg;
	const char *key;
	const char *iv;     /* the 8-byte explicit IV */
	const char *aad;
	const char *plain;
	const char *cipher; /* without the tag */
	const char *tag;
};

/* A CBC case: only the cipher key; the test supplies Ki. */
struct cbc_kat {
	const char *name;
	enum crypto_alg alg;
	const char *enc_key;
	const char *iv;
	const char *plain;
	const char *cipher;
};

/* HMAC-SHA-256 with a key of any length; mac may be a prefix of the
 * full output (RFC 4231 test case 5 gives only 128 bits). */
struct hmac_kat {
	const char *name;
	const char *key;
	const char *data;
	const char *mac;
};

#endif
