/* SPDX-License-Identifier: BSD-2-Clause */
/* The bounded writer: big-endian integers, bytes, fill and reserve, each
 * at its exact fit and one over; an overflow fails the writer for good. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "common/wbuf.h"

/* After a failure every write is refused, even one that would fit. */
static void assert_stays_failed(struct wbuf *w)
{
	size_t len = wbuf_len(w);
	uint8_t *r = (uint8_t *)w;

	assert_false(wbuf_ok(w));
	assert_false(wbuf_u8(w, 1));
	assert_false(wbuf_u16(w, 1));
	assert_false(wbuf_u32(w, 1));
	assert_false(wbuf_u64(w, 1));
	assert_false(wbuf_bytes(w, "", 0));
	assert_false(wbuf_fill(w, 0, 0));
	assert_false(wbuf_reserve(w, 0, &r));
	assert_null(r);
	assert_false(wbuf_ok(w));
	assert_int_equal(wbuf_len(w), len);
}

static void test_integers_big_endian(void **state)
{
	static const uint8_t want[] = {
		0xa1,
		0xb1, 0xb2,
		0xc1, 0xc2, 0xc3, 0xc4,
		0xd1, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8,
		0x00, 0x01,
		0x00, 0x00, 0x00, 0x01,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
	};
	uint8_t buf[sizeof(want)];
	struct wbuf w;

	memset(buf, 0xee, sizeof(buf));
	wbuf_init(&w, buf, sizeof(buf));
	assert_true(wbuf_ok(&w));
	assert_int_equal(wbuf_len(&w), 0);
	assert_true(wbuf_u8(&w, 0xa1));
	assert_int_equal(wbuf_len(&w), 1);
	assert_true(wbuf_u16(&w, 0xb1b2));
	assert_int_equal(wbuf_len(&w), 3);
	assert_true(wbuf_u32(&w, 0xc1c2c3c4));
	assert_int_equal(wbuf_len(&w), 7);
	assert_true(wbuf_u64(&w, UINT64_C(0xd1d2d3d4d5d6d7d8)));
	assert_int_equal(wbuf_len(&w), 15);
	assert_true(wbuf_u16(&w, 1));
	assert_true(wbuf_u32(&w, 1));
	assert_true(wbuf_u64(&w, 1));
	assert_true(wbuf_ok(&w));
	assert_int_equal(wbuf_len(&w), sizeof(want));
	assert_memory_equal(buf, want, sizeof(want));
}

/* Each integer write with exactly its size left, then one byte short. */
static void test_integers_exact_and_short(void **state)
{
	static const size_t sizes[] = { 1, 2, 4, 8 };
	uint8_t buf[8];
	struct wbuf w;

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		size_t n = sizes[i];

		for (int is_short = 0; is_short <= 1; is_short++) {
			size_t cap = n - (size_t)is_short;
			bool ok = false;

			memset(buf, 0xee, sizeof(buf));
			wbuf_init(&w, buf, cap);
			switch (n) {
			case 1: ok = wbuf_u8(&w, 0xff); break;
			case 2: ok = wbuf_u16(&w, 0xffff); break;
			case 4: ok = wbuf_u32(&w, 0xffffffff); break;
			case 8: ok = wbuf_u64(&w, UINT64_MAX); break;
			}
			assert_int_equal(ok, !is_short);
			assert_int_equal(wbuf_ok(&w), !is_short);
			if (!is_short) {
				assert_int_equal(wbuf_len(&w), n);
				continue;
			}
			/* No byte was written past the capacity. */
			assert_true(wbuf_len(&w) <= cap);
			for (size_t j = cap; j < sizeof(buf); j++)
				assert_int_equal(buf[j], 0xee);
			assert_stays_failed(&w);
		}
	}
}

static void test_bytes(void **state)
{
	uint8_t buf[8];
	struct wbuf w;

	memset(buf, 0xee, sizeof(buf));
	wbuf_init(&w, buf, 6);
	assert_true(wbuf_bytes(&w, "abc", 3));
	assert_true(wbuf_bytes(&w, NULL, 0));
	assert_true(wbuf_bytes(&w, "def", 3));
	assert_int_equal(wbuf_len(&w), 6);
	assert_memory_equal(buf, "abcdef", 6);
	/* Zero bytes at a full buffer still fit. */
	assert_true(wbuf_bytes(&w, "", 0));
	assert_true(wbuf_ok(&w));

	assert_false(wbuf_bytes(&w, "g", 1));
	assert_int_equal(buf[6], 0xee);
	assert_int_equal(wbuf_len(&w), 6);
	assert_stays_failed(&w);

	/* Too long from the start: nothing is copied. */
	memset(buf, 0xee, sizeof(buf));
	wbuf_init(&w, buf, 4);
	assert_false(wbuf_bytes(&w, "abcde", 5));
	assert_int_equal(wbuf_len(&w), 0);
	for (size_t j = 0; j < sizeof(buf); j++)
		assert_int_equal(buf[j], 0xee);
	assert_stays_failed(&w);
}

static void test_fill(void **state)
{
	uint8_t buf[8];
	struct wbuf w;

	memset(buf, 0xee, sizeof(buf));
	wbuf_init(&w, buf, 6);
	assert_true(wbuf_u8(&w, 1));
	assert_true(wbuf_fill(&w, 0x5a, 4));
	assert_true(wbuf_fill(&w, 0x00, 0));
	assert_true(wbuf_fill(&w, 0x00, 1));
	assert_int_equal(wbuf_len(&w), 6);
	assert_memory_equal(buf, "\x01\x5a\x5a\x5a\x5a\x00\xee", 7);
	assert_true(wbuf_fill(&w, 0x11, 0));
	assert_true(wbuf_ok(&w));

	assert_false(wbuf_fill(&w, 0x11, 1));
	assert_int_equal(buf[6], 0xee);
	assert_stays_failed(&w);

	memset(buf, 0xee, sizeof(buf));
	wbuf_init(&w, buf, 4);
	assert_false(wbuf_fill(&w, 0, 5));
	assert_int_equal(wbuf_len(&w), 0);
	assert_int_equal(buf[0], 0xee);
	assert_stays_failed(&w);
}

static void test_reserve(void **state)
{
	static const uint8_t want[] = { 0x00, 0x07, 'h', 'i', 0x42 };
	uint8_t buf[5], *len_field, *r;
	struct wbuf w;

	/* Reserve a length field, write the body, then fill it in. */
	memset(buf, 0xee, sizeof(buf));
	wbuf_init(&w, buf, sizeof(buf));
	assert_true(wbuf_reserve(&w, 2, &len_field));
	assert_ptr_equal(len_field, buf);
	assert_int_equal(wbuf_len(&w), 2);
	assert_true(wbuf_bytes(&w, "hi", 2));
	assert_true(wbuf_reserve(&w, 1, &r));
	assert_ptr_equal(r, buf + 4);
	*r = 0x42;
	len_field[0] = 0x00;
	len_field[1] = 0x07;
	assert_int_equal(wbuf_len(&w), 5);
	assert_memory_equal(buf, want, sizeof(want));
	assert_true(wbuf_reserve(&w, 0, &r));
	assert_true(wbuf_ok(&w));

	r = buf;
	assert_false(wbuf_reserve(&w, 1, &r));
	assert_null(r);
	assert_int_equal(wbuf_len(&w), 5);
	assert_stays_failed(&w);
}

static void test_huge_n(void **state)
{
	const size_t huge[] = { SIZE_MAX, SIZE_MAX - 1, SIZE_MAX - 3,
				SIZE_MAX / 2 + 1 };
	uint8_t buf[8], *r;
	struct wbuf w;

	for (size_t i = 0; i < sizeof(huge) / sizeof(huge[0]); i++) {
		/* len + n would wrap past zero; the check is by
		 * subtraction. */
		wbuf_init(&w, buf, sizeof(buf));
		assert_true(wbuf_u32(&w, 0));
		r = buf;
		assert_false(wbuf_reserve(&w, huge[i], &r));
		assert_null(r);
		assert_int_equal(wbuf_len(&w), 4);
		assert_stays_failed(&w);

		wbuf_init(&w, buf, sizeof(buf));
		assert_true(wbuf_u32(&w, 0));
		assert_false(wbuf_fill(&w, 0, huge[i]));
		assert_stays_failed(&w);
	}
}

static void test_null_and_empty(void **state)
{
	uint8_t buf[1] = { 0xee }, *r;
	struct wbuf w;

	/* A NULL buffer has no room, whatever capacity is claimed. */
	wbuf_init(&w, NULL, 100);
	assert_true(wbuf_ok(&w));
	assert_true(wbuf_bytes(&w, "", 0));
	assert_false(wbuf_u8(&w, 1));
	assert_stays_failed(&w);

	wbuf_init(&w, NULL, 0);
	assert_true(wbuf_reserve(&w, 0, &r));
	assert_false(wbuf_reserve(&w, 1, &r));
	assert_stays_failed(&w);

	wbuf_init(&w, buf, 0);
	assert_false(wbuf_u8(&w, 1));
	assert_int_equal(buf[0], 0xee);
	assert_int_equal(wbuf_len(&w), 0);
	assert_stays_failed(&w);

	/* Re-initialising clears the failure. */
	wbuf_init(&w, buf, 1);
	assert_true(wbuf_ok(&w));
	assert_true(wbuf_u8(&w, 7));
	assert_int_equal(buf[0], 7);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_integers_big_endian),
		cmocka_unit_test(test_integers_exact_and_short),
		cmocka_unit_test(test_bytes),
		cmocka_unit_test(test_fill),
		cmocka_unit_test(test_reserve),
		cmocka_unit_test(test_huge_n),
		cmocka_unit_test(test_null_and_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
