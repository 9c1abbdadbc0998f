/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef IFS_IKE_AUTH_PSK_H
#define IFS_IKE_AUTH_PSK_H

#include <stddef.h>
#include <stdint.h>
#include "common/err.h"
#include "common/secret.h"
#include "crypto/prf.h"

/*
 * Pre-shared key authentication (RFC 7296 §2.15):
 *   AUTH = prf(prf(Shared Secret, "Key Pad for IKEv2"), <SignedOctets>)
 *   SignedOctets = RealMessage | NonceData | prf(SK_p, RestOfIDPayload)
 * where RealMessage is the IKE_SA_INIT message the signer sent, NonceData
 * the other side's nonce, SK_p the signer's SK_pi or SK_pr and
 * RestOfIDPayload the signer's ID payload body (type, reserved, data).
 * out receives crypto_prf_len(prf) bytes.
 */
int ike_auth_psk(enum crypto_prf prf, const struct secret *psk,
		 const uint8_t *real_msg, size_t real_msg_len,
		 const uint8_t *nonce, size_t nonce_len,
		 const struct secret *sk_p, const uint8_t *id_body, size_t id_body_len,
		 uint8_t *out) IFS_MUST_CHECK;

#endif
