/* SPDX-License-Identifier: BSD-2-Clause */
#include "esp/mtu.h"

#include "esp/esp_wire.h"

#define IPV4_HDR 20u
#define IPV6_HDR 40u
#define UDP_HDR 8u

uint32_t esp_inner_mtu(enum crypto_alg alg, uint32_t outer_mtu,
		       bool is_outer_ipv6, bool is_udp)
{
	const struct crypto_alg_info *info = crypto_alg_info(alg);
	uint32_t fixed, room, padded;

	if (!info)
		return 0;
	fixed = (is_outer_ipv6 ? IPV6_HDR : IPV4_HDR) + (is_udp ? UDP_HDR : 0) +
		ESP_HDR_LEN + (uint32_t)info->iv_len + (uint32_t)info->icv_len;
	if (outer_mtu <= fixed)
		return 0;
	room = outer_mtu - fixed;
	/* The payload plus trailer is a whole number of alignment units. */
	padded = room - room % (uint32_t)info->pad_align;
	return padded > ESP_TRAILER_LEN ? padded - ESP_TRAILER_LEN : 0;
}
