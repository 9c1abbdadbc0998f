/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef IFS_ESP_MTU_H
#define IFS_ESP_MTU_H

#include <stdbool.h>
#include <stdint.h>
#include "crypto/crypto.h"

/*
 * The largest inner packet that still fits one outer packet of outer_mtu
 * bytes, for the worst case of the transform: outer IP header (20 or 40),
 * UDP (8, RFC 3948) if encapsulated, ESP header (8), IV, the payload
 * padded with its 2-byte trailer to the cipher's alignment, and the ICV.
 * This is how FreeBSD arrives at 1476 for gre0 on a 1500-byte link, with
 * ESP's variable padding taken at its largest. 0 when nothing fits.
 */
uint32_t esp_inner_mtu(enum crypto_alg alg, uint32_t outer_mtu,
		       bool is_outer_ipv6, bool is_udp);

#endif
