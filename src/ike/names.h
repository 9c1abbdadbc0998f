/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef IFS_IKE_NAMES_H
#define IFS_IKE_NAMES_H

#include <stdint.h>

/* RFC names of IKE numbers, for logs; "UNKNOWN" when not known. */
const char *ike_notify_name(uint16_t type);
const char *ike_exchange_name(uint8_t exchange);
/* charon's names of transforms, as VICI carries them (AES_GCM_16,
 * HMAC_SHA2_256_128, PRF_HMAC_SHA2_256, CURVE_25519, ...); NULL for
 * none or unknown. */
const char *ike_charon_xf_name(uint8_t type, uint16_t id);

#endif
