/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef IFS_TEST_VECTORS_KAT_H
#define IFS_TEST_VECTORS_KAT_H

/*
 * Record types for the known-answer tables in this directory. Every
 * byte string is hex, as the source documents print it; spaces are
 * ignored. Each table says where its values come from.
 */

#include "crypto/crypto.h"
#include "crypto/prf.h"

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

/* prf+ (RFC 7296 §2.13): out is the first bytes of prf+(key, seed). */
struct prf_plus_kat {
	const char *name;
	enum crypto_prf prf;
	const char *key;
	const char *seed;
	const char *out;
};

/* A key exchange between i and r: private values (big-endian integers
 * for MODP and ECP, the scalar for X25519), public values as IKEv2
 * carries them, and the shared secret both must reach. */
struct ke_kat {
	const char *name;
	uint16_t group;
	const char *priv_i;
	const char *pub_i;
	const char *priv_r;
	const char *pub_r;
	const char *shared;
};

/* One scalar multiplication: out = X25519(scalar, u). */
struct x25519_kat {
	const char *name;
	const char *scalar;
	const char *u;
	const char *out;
};

#endif
