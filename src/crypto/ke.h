/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef IFS_CRYPTO_KE_H
#define IFS_CRYPTO_KE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "common/err.h"
#include "common/secret.h"

/*
 * Key exchange for IKEv2 (RFC 7296 §1.2, §3.4): the groups ifsec
 * supports, by their IANA transform IDs. Public values are encoded as
 * IKEv2 carries them: MODP as g^x padded to the length of p (RFC 3526),
 * ECP as x || y without a point format byte (RFC 5903 §7), Curve25519 as
 * 32 bytes (RFC 8031). The shared secret is g^xy padded to the length of
 * p, the x coordinate (ECP), or the 32-byte X25519 output.
 *
 * Every peer value is validated before use: exact length; MODP
 * 1 < y < p-1; ECP a point on the curve; X25519 an all-zero result is
 * refused (RFC 8031 §2.2).
 */
enum crypto_group {
	CRYPTO_GROUP_MODP2048 = 14,
	CRYPTO_GROUP_MODP3072 = 15,
	CRYPTO_GROUP_ECP256 = 19,
	CRYPTO_GROUP_ECP384 = 20,
	CRYPTO_GROUP_CURVE25519 = 31,
};

#define CRYPTO_KE_MAX_PUBLIC 384

struct crypto_ke;

bool crypto_ke_is_supported(uint16_t group);
/* Does a key pair or a shared secret cost more than handing the work to
 * another thread and back (~0.1 ms here)? MODP and P-384: 0.3-2 ms each
 * (openssl speed, bench/handshakes); X25519 and P-256: ~0.05 ms. */
bool crypto_ke_is_slow(uint16_t group);
/* 0 for an unsupported group. */
size_t crypto_ke_public_len(uint16_t group);
size_t crypto_ke_shared_len(uint16_t group);
/* strongSwan's keyword: "modp2048", "ecp256", "x25519", ... or NULL. */
const char *crypto_ke_name(uint16_t group);

/* A fresh key pair. IFS_ERR_UNSUPPORTED for a group we do not have. */
int crypto_ke_new(struct crypto_ke **out, uint16_t group) IFS_MUST_CHECK;
/* For tests: a key pair from a given private value (big-endian integer
 * for MODP and ECP, the 32-byte scalar for X25519). */
int crypto_ke_new_from_private(struct crypto_ke **out, uint16_t group,
			       const uint8_t *priv, size_t priv_len) IFS_MUST_CHECK;
void crypto_ke_free(struct crypto_ke *ke);
uint16_t crypto_ke_group(const struct crypto_ke *ke);

/* Our public value; len must be crypto_ke_public_len(group). */
int crypto_ke_public(const struct crypto_ke *ke, uint8_t *out, size_t len) IFS_MUST_CHECK;

/* The shared secret with the peer's public value. IFS_ERR_INVAL when the
 * length is wrong or the value is not acceptable (see above); nothing is
 * computed on such a value. */
int crypto_ke_derive(struct crypto_ke *ke, const uint8_t *peer, size_t peer_len,
		     struct secret **shared) IFS_MUST_CHECK;

#endif
