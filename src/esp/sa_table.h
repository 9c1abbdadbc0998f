/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef IFS_ESP_SA_TABLE_H
#define IFS_ESP_SA_TABLE_H

#include <stddef.h>
#include <stdint.h>
#include "common/err.h"
#include "esp/sa.h"

/*
 * A worker's inbound SPI → SA map (open addressing, linear probing). It is
 * changed only between packets, when the worker handles a message from
 * the control thread; lookups on the packet path allocate nothing.
 */
struct sa_table {
	struct esp_sa **slots;
	size_t n_slots;        /* a power of two, 2^n_bits */
	unsigned n_bits;
	size_t n_used;
};

void sa_table_init(struct sa_table *t);
/* Frees the table, not the SAs. */
void sa_table_clear(struct sa_table *t);
/* IFS_ERR_EXISTS when the SPI is already there. May grow the table. */
int sa_table_add(struct sa_table *t, struct esp_sa *sa) IFS_MUST_CHECK;
/* Returns the SA removed, or NULL. */
struct esp_sa *sa_table_del(struct sa_table *t, uint32_t spi);
struct esp_sa *sa_table_find(const struct sa_table *t, uint32_t spi);

#endif
