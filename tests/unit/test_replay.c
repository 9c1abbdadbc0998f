/* SPDX-License-Identifier: BSD-2-Clause */
/* The anti-replay window (RFC 4303 §3.4.3, RFC 6479), checked case by
 * case and against a naive model that keeps every number it accepted. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "esp/replay.h"

/* check + commit, as the data path does after a good ICV. With ESN a
 * number far behind the window is inferred to be in the next epoch (RFC
 * 4303 Appendix A2); its ICV then fails and nothing is committed, which
 * to the sender looks like "too old". */
static enum replay_verdict feed(struct replay *r, uint64_t seq)
{
	uint64_t inferred;
	enum replay_verdict v = replay_check(r, (uint32_t)seq, &inferred);

	if (v != REPLAY_OK)
		return v;
	if (!r->is_esn)
		assert_int_equal(inferred, (uint32_t)seq);
	else if (inferred != seq)
		return REPLAY_TOO_OLD;
	return replay_commit(r, inferred);
}

static void test_in_order(void **state)
{
	struct replay r;

	assert_int_equal(replay_init(&r, 64, false), 0);
	for (uint64_t s = 1; s <= 1000; s++)
		assert_int_equal(feed(&r, s), REPLAY_OK);
	assert_int_equal(r.top, 1000);
	replay_clear(&r);
}

static void test_zero_never_accepted(void **state)
{
	struct replay r;
	uint64_t s;

	assert_int_equal(replay_init(&r, 32, false), 0);
	assert_int_equal(replay_check(&r, 0, &s), REPLAY_ZERO);
	assert_int_equal(replay_commit(&r, 0), REPLAY_ZERO);
	replay_clear(&r);
}

static void test_out_of_order_and_duplicate(void **state)
{
	struct replay r;

	assert_int_equal(replay_init(&r, 64, false), 0);
	assert_int_equal(feed(&r, 100), REPLAY_OK);
	assert_int_equal(feed(&r, 37), REPLAY_OK);       /* 100 - 37 = 63 < 64 */
	assert_int_equal(feed(&r, 36), REPLAY_TOO_OLD);  /* exactly W behind */
	assert_int_equal(feed(&r, 99), REPLAY_OK);
	assert_int_equal(feed(&r, 99), REPLAY_DUPLICATE);
	assert_int_equal(feed(&r, 100), REPLAY_DUPLICATE);
	assert_int_equal(feed(&r, 37), REPLAY_DUPLICATE);
	assert_int_equal(feed(&r, 101), REPLAY_OK);
	assert_int_equal(feed(&r, 37), REPLAY_TOO_OLD);
	replay_clear(&r);
}

static void test_check_does_not_commit(void **state)
{
	struct replay r;
	uint64_t s;

	/* A forged packet passes the pre-check but fails its ICV: the window
	 * must not have moved, and the real packet is still accepted. */
	assert_int_equal(replay_init(&r, 128, false), 0);
	assert_int_equal(feed(&r, 10), REPLAY_OK);
	assert_int_equal(replay_check(&r, 5000, &s), REPLAY_OK);
	assert_int_equal(r.top, 10);
	assert_int_equal(feed(&r, 11), REPLAY_OK);
	assert_int_equal(feed(&r, 9), REPLAY_OK);
	replay_clear(&r);
}

static void test_large_jump_clears_window(void **state)
{
	struct replay r;

	assert_int_equal(replay_init(&r, 4096, false), 0);
	for (uint64_t s = 1; s <= 5000; s++)
		assert_int_equal(feed(&r, s), REPLAY_OK);
	/* Jump far beyond the ring: bits of old numbers that map onto the
	 * same slots must not make new numbers look like duplicates. */
	assert_int_equal(feed(&r, 1000000), REPLAY_OK);
	for (uint64_t s = 1000000 - 4095; s < 1000000; s++)
		assert_int_equal(feed(&r, s), REPLAY_OK);
	assert_int_equal(feed(&r, 1000000 - 4096), REPLAY_TOO_OLD);
	replay_clear(&r);
}

static void test_window_off(void **state)
{
	struct replay r;

	assert_int_equal(replay_init(&r, 0, false), 0);
	assert_int_equal(feed(&r, 5), REPLAY_OK);
	assert_int_equal(feed(&r, 5), REPLAY_OK);
	assert_int_equal(feed(&r, 1), REPLAY_OK);
	assert_int_equal(replay_init(&r, REPLAY_WINDOW_MAX + 1, false), IFS_ERR_RANGE);
}

static void test_esn_low_half_wrap(void **state)
{
	struct replay r;
	uint64_t base = (UINT64_C(7) << 32) - 10, s;

	assert_int_equal(replay_init(&r, 64, true), 0);
	r.top = base - 1;   /* as if base-1 packets had been received */
	/* Across the wrap of the low half: the receiver infers the high
	 * half from its window (RFC 4303 Appendix A2). */
	for (uint64_t i = 0; i < 30; i++)
		assert_int_equal(feed(&r, base + i), REPLAY_OK);
	assert_int_equal(r.top >> 32, 7);
	/* A late packet from before the wrap, inside the window. */
	assert_int_equal(replay_check(&r, (uint32_t)(base + 2), &s), REPLAY_DUPLICATE);
	assert_int_equal(s, base + 2);
	r.top = (UINT64_C(7) << 32) + 20;
	assert_int_equal(replay_check(&r, 0xfffffff0u, &s), REPLAY_OK);
	assert_int_equal(s, (UINT64_C(6) << 32) | 0xfffffff0u);
	/* Far behind the window with the top in the upper half of an epoch:
	 * the number is taken to be from the next epoch. */
	r.top = (UINT64_C(7) << 32) | 0x80000000u;
	assert_int_equal(replay_check(&r, 5, &s), REPLAY_OK);
	assert_int_equal(s, (UINT64_C(8) << 32) | 5);
	replay_clear(&r);
}

static void test_non_esn_has_no_high_half(void **state)
{
	struct replay r;
	uint64_t s;

	assert_int_equal(replay_init(&r, 64, false), 0);
	assert_int_equal(feed(&r, 0xffffffffu), REPLAY_OK);
	assert_int_equal(replay_check(&r, 1, &s), REPLAY_TOO_OLD);
	replay_clear(&r);
}

/* A naive model: every accepted number in a list. */
struct model {
	uint64_t *seen;
	size_t n;
	uint64_t top;
	uint32_t window;
};

static enum replay_verdict model_feed(struct model *m, uint64_t s)
{
	if (s == 0)
		return REPLAY_ZERO;
	if (s <= m->top && m->top - s >= m->window)
		return REPLAY_TOO_OLD;
	for (size_t i = 0; i < m->n; i++)
		if (m->seen[i] == s)
			return REPLAY_DUPLICATE;
	m->seen[m->n++] = s;
	if (s > m->top)
		m->top = s;
	return REPLAY_OK;
}

static void run_model(uint32_t window, unsigned seed, bool is_esn)
{
	enum { N = 6000 };
	struct model m = { .seen = calloc(N, sizeof(uint64_t)), .window = window };
	uint64_t next = is_esn ? (UINT64_C(1) << 32) - 3000 : 1;
	struct replay r;

	assert_non_null(m.seen);
	assert_int_equal(replay_init(&r, window, is_esn), 0);
	if (is_esn)
		r.top = m.top = next - 1;
	srandom(seed);
	for (int i = 0; i < N; i++) {
		long roll = random() % 100;
		uint64_t s;

		/* Mostly in order, with reordering inside and just outside
		 * the window, duplicates and jumps. */
		uint64_t back = (uint64_t)random() % (roll < 85 ? window + 3 : 8);

		if (roll < 60)
			s = next++;
		else if (roll < 95)
			s = back <= m.top ? m.top - back : 0;
		else
			s = next += (uint64_t)(random() % (3 * window + 1));
		if (s > next)
			next = s + 1;
		assert_int_equal(feed(&r, s), model_feed(&m, s));
		assert_int_equal(r.top, m.top);
	}
	replay_clear(&r);
	free(m.seen);
}

static void test_against_model(void **state)
{
	const uint32_t windows[] = { 1, 32, 63, 64, 65, 128, 1000, 1024, 4096 };

	for (size_t i = 0; i < sizeof(windows) / sizeof(windows[0]); i++) {
		run_model(windows[i], 1000 + (unsigned)i, false);
		run_model(windows[i], 2000 + (unsigned)i, true);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_in_order),
		cmocka_unit_test(test_zero_never_accepted),
		cmocka_unit_test(test_out_of_order_and_duplicate),
		cmocka_unit_test(test_check_does_not_commit),
		cmocka_unit_test(test_large_jump_clears_window),
		cmocka_unit_test(test_window_off),
		cmocka_unit_test(test_esn_low_half_wrap),
		cmocka_unit_test(test_non_esn_has_no_high_half),
		cmocka_unit_test(test_against_model),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
