/* SPDX-License-Identifier: BSD-2-Clause */
#include "ike/natd.h"

int ike_natd_hash(uint64_t spi_i, uint64_t spi_r, const struct ifs_addr *a,
		  uint16_t port, uint8_t out[IKE_NATD_LEN])
{
	uint8_t spis[16], p[2] = { (uint8_t)(port >> 8), (uint8_t)port };

	for (int i = 0; i < 8; i++) {
		spis[i] = (uint8_t)(spi_i >> (56 - 8 * i));
		spis[8 + i] = (uint8_t)(spi_r >> (56 - 8 * i));
	}
	struct crypto_iov in[3] = {
		{ spis, sizeof(spis) }, { addr_bytes(a), addr_len(a) }, { p, sizeof(p) },
	};
	return crypto_sha1(in, 3, out);
}
