/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef IFS_IKE_NAMES_H
#define IFS_IKE_NAMES_H

#include <stdint.h>

/* RFC names of IKE numbers, for logs; "UNKNOWN" when not known. */
const char *ike_notify_name(uint16_t type);
const char *ike_exchange_name(uint8_t exchange);

#endif
