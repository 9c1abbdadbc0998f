/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef IFS_IKE_NATD_H
#define IFS_IKE_NATD_H

#include <stdint.h>
#include "common/addr.h"
#include "common/err.h"
#include "crypto/hash.h"

/* NAT detection (RFC 7296 §2.23): SHA-1(SPIi | SPIr | IP | port), with
 * SPIr zero in the IKE_SA_INIT request. port in host order. */
#define IKE_NATD_LEN CRYPTO_SHA1_LEN
int ike_natd_hash(uint64_t spi_i, uint64_t spi_r, const struct ifs_addr *a,
		  uint16_t port, uint8_t out[IKE_NATD_LEN]) IFS_MUST_CHECK;

#endif
