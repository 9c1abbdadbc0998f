/* SPDX-License-Identifier: BSD-2-Clause */
/* The per-worker SPI → SA map (open addressing, linear probing): add, find
 * and delete by hand, then many SPIs in sequential and colliding patterns
 * checked against a plain array after every deletion. The table only
 * ever reads sa->spi, so the SAs here are bare structs with just that. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "esp/sa_table.h"

/* A fixed-seed xorshift, so that every run deletes in the same order. */
static uint32_t rnd_next(uint32_t *s)
{
	uint32_t x = *s;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *s = x;
}

/* The load and the shape the header promises. */
static void assert_shape(const struct sa_table *t, size_t n_used)
{
	assert_int_equal(t->n_used, n_used);
	if (t->n_slots == 0)
		return;
	assert_int_equal(t->n_slots & (t->n_slots - 1), 0);
	assert_true(t->n_used * 2 <= t->n_slots);
}

/* The model: sas[i] is in the table exactly when is_in[i]. */
struct model {
	struct esp_sa *sas;
	bool *is_in;
	size_t n;
	size_t n_in;
};

static void model_init(struct model *m, size_t n)
{
	m->sas = calloc(n, sizeof(*m->sas));
	m->is_in = calloc(n, sizeof(*m->is_in));
	assert_non_null(m->sas);
	assert_non_null(m->is_in);
	m->n = n;
	m->n_in = 0;
}

static void model_clear(struct model *m)
{
	free(m->sas);
	free(m->is_in);
}

static void model_check(const struct model *m, const struct sa_table *t)
{
	for (size_t i = 0; i < m->n; i++) {
		struct esp_sa *found = sa_table_find(t, m->sas[i].spi);

		if (m->is_in[i] && found != &m->sas[i])
			fail_msg("SPI 0x%08x (#%zu) lost", m->sas[i].spi, i);
		if (!m->is_in[i] && found)
			fail_msg("SPI 0x%08x (#%zu) still found",
				 m->sas[i].spi, i);
	}
	assert_shape(t, m->n_in);
}

static void model_add_all(struct model *m, struct sa_table *t)
{
	for (size_t i = 0; i < m->n; i++) {
		assert_int_equal(sa_table_add(t, &m->sas[i]), 0);
		m->is_in[i] = true;
		m->n_in++;
	}
	assert_shape(t, m->n);
}

/* Delete everything in a random order, checking every SPI after each
 * deletion when is_full_check, otherwise only the one deleted. */
static void model_del_random(struct model *m, struct sa_table *t,
			     uint32_t seed, bool is_full_check)
{
	size_t *order = malloc(m->n * sizeof(*order));

	assert_non_null(order);
	for (size_t i = 0; i < m->n; i++)
		order[i] = i;
	for (size_t i = m->n; i > 1; i--) {
		size_t j = rnd_next(&seed) % i, tmp = order[i - 1];

		order[i - 1] = order[j];
		order[j] = tmp;
	}
	for (size_t k = 0; k < m->n; k++) {
		size_t i = order[k];

		assert_ptr_equal(sa_table_del(t, m->sas[i].spi), &m->sas[i]);
		m->is_in[i] = false;
		m->n_in--;
		assert_null(sa_table_find(t, m->sas[i].spi));
		assert_null(sa_table_del(t, m->sas[i].spi));
		if (is_full_check || k % 512 == 0 || k == m->n - 1)
			model_check(m, t);
	}
	free(order);
}

/* ---- by hand ---- */

static void test_empty(void **state)
{
	struct sa_table t;

	sa_table_init(&t);
	assert_null(sa_table_find(&t, 0));
	assert_null(sa_table_find(&t, 1));
	assert_null(sa_table_find(&t, UINT32_MAX));
	assert_null(sa_table_del(&t, 1));
	assert_shape(&t, 0);
	sa_table_clear(&t);
	sa_table_clear(&t);
	assert_null(sa_table_find(&t, 1));
}

static void test_add_find_del(void **state)
{
	struct esp_sa a = { .spi = 0x1000 }, b = { .spi = 0x2000 };
	struct esp_sa c = { .spi = 0x1001 };
	struct sa_table t;

	sa_table_init(&t);
	assert_int_equal(sa_table_add(&t, &a), 0);
	assert_ptr_equal(sa_table_find(&t, 0x1000), &a);
	assert_null(sa_table_find(&t, 0x2000));
	assert_int_equal(sa_table_add(&t, &b), 0);
	assert_int_equal(sa_table_add(&t, &c), 0);
	assert_shape(&t, 3);
	assert_ptr_equal(sa_table_find(&t, 0x1000), &a);
	assert_ptr_equal(sa_table_find(&t, 0x2000), &b);
	assert_ptr_equal(sa_table_find(&t, 0x1001), &c);
	assert_null(sa_table_find(&t, 0x1002));

	assert_ptr_equal(sa_table_del(&t, 0x1000), &a);
	assert_shape(&t, 2);
	assert_null(sa_table_find(&t, 0x1000));
	assert_ptr_equal(sa_table_find(&t, 0x2000), &b);
	assert_ptr_equal(sa_table_find(&t, 0x1001), &c);
	/* Deleting what is not there changes nothing. */
	assert_null(sa_table_del(&t, 0x1000));
	assert_null(sa_table_del(&t, 0x3000));
	assert_shape(&t, 2);

	/* The same SPI can come back after its deletion. */
	assert_int_equal(sa_table_add(&t, &a), 0);
	assert_ptr_equal(sa_table_find(&t, 0x1000), &a);
	assert_shape(&t, 3);
	sa_table_clear(&t);
	assert_null(sa_table_find(&t, 0x1000));
	assert_shape(&t, 0);

	/* A cleared table can be used again. */
	assert_int_equal(sa_table_add(&t, &b), 0);
	assert_ptr_equal(sa_table_find(&t, 0x2000), &b);
	sa_table_clear(&t);
}

static void test_duplicate(void **state)
{
	struct esp_sa a = { .spi = 0xc0ffee }, dup = { .spi = 0xc0ffee };
	struct sa_table t;

	sa_table_init(&t);
	assert_int_equal(sa_table_add(&t, &a), 0);
	assert_int_equal(sa_table_add(&t, &dup), IFS_ERR_EXISTS);
	assert_int_equal(sa_table_add(&t, &a), IFS_ERR_EXISTS);
	assert_shape(&t, 1);
	/* The first one stays; there is only one to delete. */
	assert_ptr_equal(sa_table_find(&t, 0xc0ffee), &a);
	assert_ptr_equal(sa_table_del(&t, 0xc0ffee), &a);
	assert_null(sa_table_find(&t, 0xc0ffee));
	assert_null(sa_table_del(&t, 0xc0ffee));
	assert_int_equal(sa_table_add(&t, &dup), 0);
	assert_ptr_equal(sa_table_find(&t, 0xc0ffee), &dup);
	sa_table_clear(&t);
}

static void test_extreme_spis(void **state)
{
	struct esp_sa z = { .spi = 0 }, m = { .spi = UINT32_MAX };
	struct esp_sa h = { .spi = 0x80000000 };
	struct sa_table t;

	sa_table_init(&t);
	assert_int_equal(sa_table_add(&t, &z), 0);
	assert_int_equal(sa_table_add(&t, &m), 0);
	assert_int_equal(sa_table_add(&t, &h), 0);
	assert_ptr_equal(sa_table_find(&t, 0), &z);
	assert_ptr_equal(sa_table_find(&t, UINT32_MAX), &m);
	assert_ptr_equal(sa_table_find(&t, 0x80000000), &h);
	assert_ptr_equal(sa_table_del(&t, 0), &z);
	assert_null(sa_table_find(&t, 0));
	assert_ptr_equal(sa_table_find(&t, UINT32_MAX), &m);
	assert_ptr_equal(sa_table_find(&t, 0x80000000), &h);
	sa_table_clear(&t);
}

/* Many SPIs that share one home slot at every table size (their low 16
 * bits are equal): a single probe run, deleted from its middle. */
static void test_one_cluster_by_hand(void **state)
{
	struct esp_sa sas[12];
	struct sa_table t;

	sa_table_init(&t);
	for (size_t i = 0; i < 12; i++) {
		sas[i] = (struct esp_sa){ .spi = (uint32_t)(i + 1) << 16 };
		assert_int_equal(sa_table_add(&t, &sas[i]), 0);
	}
	/* Delete from the middle, the front and the back of the run. */
	assert_ptr_equal(sa_table_del(&t, 6u << 16), &sas[5]);
	assert_ptr_equal(sa_table_del(&t, 1u << 16), &sas[0]);
	assert_ptr_equal(sa_table_del(&t, 12u << 16), &sas[11]);
	for (size_t i = 0; i < 12; i++) {
		struct esp_sa *want = (i == 5 || i == 0 || i == 11) ?
			NULL : &sas[i];

		assert_ptr_equal(sa_table_find(&t, sas[i].spi), want);
	}
	assert_shape(&t, 9);
	sa_table_clear(&t);
}

/* ---- many entries ---- */

static void run_pattern(size_t n, uint32_t (*spi_of)(size_t), uint32_t seed,
			bool is_full_check)
{
	struct sa_table t;
	struct model m;

	model_init(&m, n);
	for (size_t i = 0; i < n; i++)
		m.sas[i].spi = spi_of(i);
	sa_table_init(&t);
	model_add_all(&m, &t);
	model_check(&m, &t);
	/* Every one again is a duplicate. */
	for (size_t i = 0; i < n; i += 97) {
		struct esp_sa dup = { .spi = m.sas[i].spi };

		assert_int_equal(sa_table_add(&t, &dup), IFS_ERR_EXISTS);
	}
	assert_shape(&t, n);
	model_del_random(&m, &t, seed, is_full_check);
	assert_shape(&t, 0);
	/* And the emptied table takes them all back. */
	model_add_all(&m, &t);
	model_check(&m, &t);
	sa_table_clear(&t);
	model_clear(&m);
}

static uint32_t spi_sequential(size_t i)
{
	return (uint32_t)(0x100 + i);
}

static uint32_t spi_high_sequential(size_t i)
{
	return (uint32_t)(0xfffff000u + i);        /* wraps through 0 */
}

/* Equal low 16 bits: one home slot for every table up to 65536 slots. */
static uint32_t spi_same_low16(size_t i)
{
	return (uint32_t)(i + 1) << 16;
}

/* Equal low 8 bits: many mid-sized probe runs. */
static uint32_t spi_same_low8(size_t i)
{
	return (uint32_t)(i + 1) << 8 | 0x5a;
}

/* Random, as IKE chooses them; distinct by construction (an odd
 * multiplier is a bijection mod 2^32). */
static uint32_t spi_scrambled(size_t i)
{
	return (uint32_t)(i * UINT32_C(0x9e3779b1)) ^ 0xa5a5a5a5u;
}

static void test_many_sequential(void **state)
{
	run_pattern(10000, spi_sequential, 1, true);
	run_pattern(10000, spi_high_sequential, 2, true);
}

static void test_many_scrambled(void **state)
{
	run_pattern(10000, spi_scrambled, 3, true);
}

static void test_many_colliding(void **state)
{
	/* Every SPI in one probe run: full checks on a smaller set, then
	 * 10,000 of them with a check every 512 deletions. */
	run_pattern(1000, spi_same_low16, 4, true);
	run_pattern(2000, spi_same_low8, 5, true);
	run_pattern(10000, spi_same_low8, 6, false);
}

static void test_many_colliding_large(void **state)
{
	struct sa_table t;
	struct model m;
	const size_t n = 10000;

	/* 10,000 SPIs with one home slot: growth keeps all findable, and
	 * deletions at the front, the middle and the back of the run. */
	model_init(&m, n);
	for (size_t i = 0; i < n; i++)
		m.sas[i].spi = spi_same_low16(i);
	sa_table_init(&t);
	model_add_all(&m, &t);
	model_check(&m, &t);
	{
		const size_t del[] = { n - 1, 0, n / 2, 1, n - 2 };

		for (size_t k = 0; k < sizeof(del) / sizeof(del[0]); k++) {
			size_t i = del[k];

			assert_ptr_equal(sa_table_del(&t, m.sas[i].spi),
					 &m.sas[i]);
			m.is_in[i] = false;
			m.n_in--;
			model_check(&m, &t);
		}
	}
	sa_table_clear(&t);
	model_clear(&m);
}

/* Interleaved adds and deletes, as rekeying does: the table never sees
 * more than a few hundred SAs at a time but thousands pass through. */
static void test_churn(void **state)
{
	const size_t n = 4096, live = 300;
	struct sa_table t;
	struct model m;
	uint32_t seed = 7;

	model_init(&m, n);
	/* Random high bits; the index in the low 12 keeps them distinct. */
	for (size_t i = 0; i < n; i++)
		m.sas[i].spi = (rnd_next(&seed) & ~UINT32_C(0xfff)) |
			       (uint32_t)i;
	sa_table_init(&t);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(sa_table_add(&t, &m.sas[i]), 0);
		m.is_in[i] = true;
		m.n_in++;
		if (i >= live) {
			size_t old = i - live + (rnd_next(&seed) % 2);

			if (m.is_in[old]) {
				assert_ptr_equal(sa_table_del(&t,
					m.sas[old].spi), &m.sas[old]);
				m.is_in[old] = false;
				m.n_in--;
			}
		}
		if (i % 64 == 0)
			model_check(&m, &t);
	}
	model_check(&m, &t);
	sa_table_clear(&t);
	model_clear(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_add_find_del),
		cmocka_unit_test(test_duplicate),
		cmocka_unit_test(test_extreme_spis),
		cmocka_unit_test(test_one_cluster_by_hand),
		cmocka_unit_test(test_many_sequential),
		cmocka_unit_test(test_many_scrambled),
		cmocka_unit_test(test_many_colliding),
		cmocka_unit_test(test_many_colliding_large),
		cmocka_unit_test(test_churn),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
