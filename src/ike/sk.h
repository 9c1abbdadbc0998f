/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef IFS_IKE_SK_H
#define IFS_IKE_SK_H

#include <stddef.h>
#include <stdint.h>
#include "common/err.h"
#include "crypto/crypto.h"
#include "ike/msg.h"

/*
 * The Encrypted payload (RFC 7296 §3.14; RFC 5282 for AES-GCM, RFC 7634
 * for ChaCha20-Poly1305): a message whose only outer payload is SK.
 *
 * AEAD: the additional data is the IKE header and the SK payload's
 * generic header; the nonce is salt || IV; no padding. CBC+HMAC: the
 * plaintext is padded to the block size, the ICV is the truncated HMAC
 * of everything from the IKE header to the end of the ciphertext. Either
 * way the last plaintext byte is the pad length.
 */

/* Build hdr + SK{chain} into buf. hdr->next_payload is set to SK and
 * hdr->length to the total. counter is a number never used before with
 * this key (it makes the AEAD IV). Returns the length, 0 on error. */
size_t ike_sk_protect(struct crypto_xform *x, uint64_t counter, struct ike_hdr *hdr,
		      const uint8_t *chain, size_t chain_len, uint8_t first_type,
		      uint8_t *buf, size_t cap);

/*
 * Check and decrypt the SK payload of msg (whose chain c ends in SK), in
 * place, and parse the plaintext as a chain into inner. IFS_ERR_INTEGRITY
 * when the ICV does not verify, IFS_ERR_SYNTAX when the payload is
 * malformed (too short, not a block multiple, bad pad length) or the
 * inner chain is (then *chain_err says how and *bad_type which critical
 * type was unknown).
 */
int ike_sk_unprotect(struct crypto_xform *x, uint8_t *msg, size_t len,
		     const struct ike_chain *c, struct ike_chain *inner,
		     enum ike_chain_err *chain_err, uint8_t *bad_type) IFS_MUST_CHECK;

#endif
