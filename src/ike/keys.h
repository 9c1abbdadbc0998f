/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef IFS_IKE_KEYS_H
#define IFS_IKE_KEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "common/err.h"
#include "common/secret.h"
#include "crypto/crypto.h"
#include "crypto/prf.h"
#include "ike/proposal.h"

/*
 * Key derivation (RFC 7296 §2.13, §2.14, §2.17).
 *
 * The keys of an IKE SA: SKEYSEED = prf(Ni | Nr, g^ir) and
 * {SK_d | SK_ai | SK_ar | SK_ei | SK_er | SK_pi | SK_pr}
 *     = prf+(SKEYSEED, Ni | Nr | SPIi | SPIr).
 * For an AEAD SK_a* are empty and SK_e* carry the salt at their end
 * (RFC 5282 §7.1, RFC 7634 §2.1). sk_i and sk_r are the keys of the SK
 * transform in the form crypto_xform_new() takes: SK_e || SK_a.
 */
struct ike_keys {
	enum crypto_prf prf;
	enum crypto_alg sk_alg;
	size_t enc_len;              /* bytes of SK_e (with salt) */
	size_t integ_len;            /* bytes of SK_a, 0 for an AEAD */
	struct secret *sk_d;
	struct secret *sk_i;         /* SK_ei || SK_ai: initiator → responder */
	struct secret *sk_r;         /* SK_er || SK_ar */
	struct secret *sk_pi;
	struct secret *sk_pr;
};

/* The PRF of a chosen IKE proposal. */
int ike_prf_from_id(uint16_t id, enum crypto_prf *out) IFS_MUST_CHECK;

/* Derive all keys; on error nothing is left allocated in *k. */
int ike_keys_derive(struct ike_keys *k, const struct ike_chosen *c,
		    const struct secret *shared,
		    const uint8_t *ni, size_t ni_len, const uint8_t *nr, size_t nr_len,
		    uint64_t spi_i, uint64_t spi_r) IFS_MUST_CHECK;
/* The keys of the IKE SA that replaces old (§2.18): SKEYSEED =
 * prf_old(SK_d_old, g^ir (new) | Ni | Nr), the rest as above with the
 * new SA's PRF, nonces and SPIs. */
int ike_keys_derive_rekey(struct ike_keys *k, const struct ike_keys *old,
			  const struct ike_chosen *c, const struct secret *shared,
			  const uint8_t *ni, size_t ni_len, const uint8_t *nr, size_t nr_len,
			  uint64_t spi_i, uint64_t spi_r) IFS_MUST_CHECK;
void ike_keys_clear(struct ike_keys *k);

/*
 * Child SA keying material (§2.17): KEYMAT = prf+(SK_d, [g^ir (new) |]
 * Ni | Nr), split into the key of the initiator → responder SA and then
 * the responder → initiator SA, each in crypto_xform_new() order.
 */
struct child_keys {
	enum crypto_alg alg;
	struct secret *i_to_r;
	struct secret *r_to_i;
};
int child_keys_derive(struct child_keys *ck, enum crypto_prf prf,
		      const struct secret *sk_d, enum crypto_alg alg,
		      const struct secret *pfs_shared,
		      const uint8_t *ni, size_t ni_len,
		      const uint8_t *nr, size_t nr_len) IFS_MUST_CHECK;
void child_keys_clear(struct child_keys *ck);

#endif
