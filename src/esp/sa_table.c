/* SPDX-License-Identifier: BSD-2-Clause */
#include "esp/sa_table.h"

#include <stdlib.h>

#define MIN_BITS 4
#define MIN_SLOTS (1u << MIN_BITS)

/* Fibonacci hashing: the multiplication mixes every bit of the SPI into
 * the high bits of the product, which are the ones kept (the low bits
 * would depend on the SPI's low bits only, and hand-picked SPIs such as
 * 0x10000, 0x20000 would all collide). */
static size_t slot_of(const struct sa_table *t, uint32_t spi)
{
	return (size_t)((spi * UINT32_C(2654435761)) >> (32 - t->n_bits));
}

void sa_table_init(struct sa_table *t)
{
	*t = (struct sa_table){ 0 };
}

void sa_table_clear(struct sa_table *t)
{
	free(t->slots);
	sa_table_init(t);
}

struct esp_sa *sa_table_find(const struct sa_table *t, uint32_t spi)
{
	if (t->n_slots == 0)
		return NULL;
	for (size_t i = slot_of(t, spi), n = 0; n < t->n_slots;
	     i = (i + 1) & (t->n_slots - 1), n++) {
		if (!t->slots[i])
			return NULL;
		if (t->slots[i]->spi == spi)
			return t->slots[i];
	}
	return NULL;
}

static void insert(struct sa_table *t, struct esp_sa *sa)
{
	size_t i = slot_of(t, sa->spi);

	while (t->slots[i])
		i = (i + 1) & (t->n_slots - 1);
	t->slots[i] = sa;
	t->n_used++;
}

/* Keep the load at or below one half so probes stay short. */
static int grow(struct sa_table *t)
{
	struct sa_table bigger = {
		.n_slots = t->n_slots ? t->n_slots * 2 : MIN_SLOTS,
		.n_bits = t->n_slots ? t->n_bits + 1 : MIN_BITS,
	};

	bigger.slots = calloc(bigger.n_slots, sizeof(*bigger.slots));
	if (!bigger.slots)
		return IFS_ERR_NOMEM;
	for (size_t i = 0; i < t->n_slots; i++)
		if (t->slots[i])
			insert(&bigger, t->slots[i]);
	free(t->slots);
	*t = bigger;
	return 0;
}

int sa_table_add(struct sa_table *t, struct esp_sa *sa)
{
	int err;

	if (sa_table_find(t, sa->spi))
		return IFS_ERR_EXISTS;
	if ((t->n_used + 1) * 2 > t->n_slots) {
		err = grow(t);
		if (err)
			return err;
	}
	insert(t, sa);
	return 0;
}

struct esp_sa *sa_table_del(struct sa_table *t, uint32_t spi)
{
	struct esp_sa *found = NULL;
	size_t i, j;

	if (t->n_slots == 0)
		return NULL;
	for (i = slot_of(t, spi); t->slots[i]; i = (i + 1) & (t->n_slots - 1)) {
		if (t->slots[i]->spi == spi) {
			found = t->slots[i];
			break;
		}
	}
	if (!found)
		return NULL;
	t->slots[i] = NULL;
	t->n_used--;
	/* Re-insert the rest of the probe run so that no lookup stops
	 * early at the hole. */
	for (j = (i + 1) & (t->n_slots - 1); t->slots[j];
	     j = (j + 1) & (t->n_slots - 1)) {
		struct esp_sa *moved = t->slots[j];

		t->slots[j] = NULL;
		t->n_used--;
		insert(t, moved);
	}
	return found;
}
