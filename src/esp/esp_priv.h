/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef IFS_ESP_PRIV_H
#define IFS_ESP_PRIV_H

#include <stddef.h>
#include <stdint.h>
#include "esp/sa.h"

/* Shared by encap.c and decap.c only. */

/* The data authenticated besides the packet body: SPI, then the sequence
 * number. With ESN, AEADs take the full 64-bit number in the AAD (RFC
 * 4106 §5, RFC 7634 §2.1) while CBC+HMAC appends the high half after the
 * payload, into hi (RFC 4303 §2.2.1). Returns the AAD length. */
size_t esp_build_aad(const struct esp_sa *sa, uint64_t seq, uint8_t aad[12],
		     uint8_t hi[4], size_t *hi_len);

#endif
