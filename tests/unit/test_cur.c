/* SPDX-License-Identifier: BSD-2-Clause */
/* The read cursor (STYLE.md §3.1-3.2): each getter on exact, one-short and
 * empty input; outputs zeroed and the cursor failed for good on any
 * failure; sub-cursors, tails, mutable slices and huge lengths. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "common/cur.h"

static const uint8_t seq[] = {
	0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
	0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10,
};

/* A cursor that has failed: nothing left, not ok, not at the end. */
static void assert_failed(const struct cur *c)
{
	assert_false(cur_ok(c));
	assert_false(cur_end(c));
	assert_int_equal(cur_left(c), 0);
}

/* After one failure every later read fails too, even a zero-length one
 * or one for which the original buffer would have had bytes. */
static void assert_stays_failed(struct cur *c)
{
	uint8_t u8 = 0xaa, buf[2] = { 0xaa, 0xaa }, zero[2] = { 0 };
	uint16_t u16 = 0xaaaa;
	uint32_t u32 = 0xaaaaaaaa;
	uint64_t u64 = 0xaaaaaaaaaaaaaaaa;
	const uint8_t *b = seq;
	size_t len = 99;
	struct cur sub;

	assert_failed(c);
	assert_false(cur_u8(c, &u8));
	assert_int_equal(u8, 0);
	assert_false(cur_u16(c, &u16));
	assert_int_equal(u16, 0);
	assert_false(cur_u32(c, &u32));
	assert_int_equal(u32, 0);
	assert_false(cur_u64(c, &u64));
	assert_int_equal(u64, 0);
	assert_false(cur_bytes(c, 0, &b));
	assert_null(b);
	b = seq;
	assert_false(cur_tail(c, 0, &b));
	assert_null(b);
	assert_false(cur_skip(c, 0));
	assert_false(cur_copy(c, buf, sizeof(buf)));
	assert_memory_equal(buf, zero, sizeof(buf));
	assert_false(cur_sub(c, 0, &sub));
	assert_failed(&sub);
	b = seq;
	assert_false(cur_rest(c, &b, &len));
	assert_null(b);
	assert_int_equal(len, 0);
	u8 = 0xaa;
	assert_false(cur_peek_u8(c, &u8));
	assert_int_equal(u8, 0);
	u32 = 0xaaaaaaaa;
	assert_false(cur_peek_u32(c, &u32));
	assert_int_equal(u32, 0);
	assert_failed(c);
}

/* ---- integer getters ---- */

static void test_u8(void **state)
{
	struct cur c;
	uint8_t v;

	cur_init(&c, seq, 1);
	assert_true(cur_u8(&c, &v));
	assert_int_equal(v, 0x01);
	assert_true(cur_end(&c));

	v = 0xff;
	cur_init(&c, seq, 0);
	assert_false(cur_u8(&c, &v));
	assert_int_equal(v, 0);
	assert_stays_failed(&c);
}

static void test_u16(void **state)
{
	struct cur c;
	uint16_t v;

	cur_init(&c, seq, 2);
	assert_true(cur_u16(&c, &v));
	assert_int_equal(v, 0x0102);
	assert_true(cur_end(&c));

	v = 0xffff;
	cur_init(&c, seq, 1);
	assert_false(cur_u16(&c, &v));
	assert_int_equal(v, 0);
	assert_stays_failed(&c);

	v = 0xffff;
	cur_init(&c, seq, 0);
	assert_false(cur_u16(&c, &v));
	assert_int_equal(v, 0);
	assert_stays_failed(&c);
}

static void test_u32(void **state)
{
	static const uint8_t high[] = { 0xfe, 0xdc, 0xba, 0x98 };
	struct cur c;
	uint32_t v;

	cur_init(&c, seq, 4);
	assert_true(cur_u32(&c, &v));
	assert_int_equal(v, 0x01020304);
	assert_true(cur_end(&c));

	/* No sign extension from the top byte. */
	cur_init(&c, high, sizeof(high));
	assert_true(cur_u32(&c, &v));
	assert_int_equal(v, 0xfedcba98);

	v = 0xffffffff;
	cur_init(&c, seq, 3);
	assert_false(cur_u32(&c, &v));
	assert_int_equal(v, 0);
	assert_stays_failed(&c);

	v = 0xffffffff;
	cur_init(&c, seq, 0);
	assert_false(cur_u32(&c, &v));
	assert_int_equal(v, 0);
	assert_stays_failed(&c);
}

static void test_u64(void **state)
{
	static const uint8_t high[] = {
		0xff, 0xee, 0xdd, 0xcc, 0xbb, 0xaa, 0x99, 0x88,
	};
	struct cur c;
	uint64_t v;

	cur_init(&c, seq, 8);
	assert_true(cur_u64(&c, &v));
	assert_true(v == UINT64_C(0x0102030405060708));
	assert_true(cur_end(&c));

	cur_init(&c, high, sizeof(high));
	assert_true(cur_u64(&c, &v));
	assert_true(v == UINT64_C(0xffeeddccbbaa9988));

	/* Seven bytes: the first half would fit, the whole does not. */
	v = UINT64_MAX;
	cur_init(&c, seq, 7);
	assert_false(cur_u64(&c, &v));
	assert_true(v == 0);
	assert_stays_failed(&c);

	v = UINT64_MAX;
	cur_init(&c, seq, 3);
	assert_false(cur_u64(&c, &v));
	assert_true(v == 0);
	assert_stays_failed(&c);

	v = UINT64_MAX;
	cur_init(&c, seq, 0);
	assert_false(cur_u64(&c, &v));
	assert_true(v == 0);
	assert_stays_failed(&c);
}

static void test_reads_in_sequence(void **state)
{
	struct cur c;
	uint8_t a;
	uint16_t b;
	uint32_t d;
	uint64_t e;

	cur_init(&c, seq, 15);
	assert_true(cur_u8(&c, &a));
	assert_true(cur_u16(&c, &b));
	assert_true(cur_u32(&c, &d));
	assert_int_equal(cur_left(&c), 8);
	assert_true(cur_u64(&c, &e));
	assert_int_equal(a, 0x01);
	assert_int_equal(b, 0x0203);
	assert_int_equal(d, 0x04050607);
	assert_true(e == UINT64_C(0x08090a0b0c0d0e0f));
	assert_true(cur_end(&c));
	assert_true(cur_ok(&c));
}

/* ---- failure is for good ---- */

static void test_failure_sticks(void **state)
{
	struct cur c;
	uint32_t v;
	uint8_t b;

	/* Five bytes: skipping six fails; afterwards even a u8 fails
	 * although five bytes were there. */
	cur_init(&c, seq, 5);
	assert_false(cur_skip(&c, 6));
	assert_false(cur_u8(&c, &b));
	assert_int_equal(b, 0);
	assert_stays_failed(&c);

	cur_init(&c, seq, 16);
	assert_true(cur_u32(&c, &v));
	assert_false(cur_skip(&c, 13));
	assert_false(cur_u32(&c, &v));
	assert_int_equal(v, 0);
	assert_stays_failed(&c);
}

/* ---- bytes, copy, skip ---- */

static void test_bytes(void **state)
{
	struct cur c;
	const uint8_t *b;

	cur_init(&c, seq, 4);
	assert_true(cur_bytes(&c, 4, &b));
	assert_ptr_equal(b, seq);
	assert_true(cur_end(&c));

	cur_init(&c, seq, 4);
	assert_true(cur_bytes(&c, 1, &b));
	assert_ptr_equal(b, seq);
	assert_true(cur_bytes(&c, 3, &b));
	assert_ptr_equal(b, seq + 1);
	/* Zero bytes at the end succeed and leave the cursor at its end. */
	assert_true(cur_bytes(&c, 0, &b));
	assert_true(cur_end(&c));

	cur_init(&c, seq, 3);
	b = seq;
	assert_false(cur_bytes(&c, 4, &b));
	assert_null(b);
	assert_stays_failed(&c);

	cur_init(&c, seq, 0);
	b = seq;
	assert_false(cur_bytes(&c, 1, &b));
	assert_null(b);
	assert_stays_failed(&c);
}

static void test_copy(void **state)
{
	struct cur c;
	uint8_t dst[8], zero[8] = { 0 };

	cur_init(&c, seq, 8);
	assert_true(cur_copy(&c, dst, 8));
	assert_memory_equal(dst, seq, 8);
	assert_true(cur_end(&c));

	cur_init(&c, seq, 7);
	memset(dst, 0xaa, sizeof(dst));
	assert_false(cur_copy(&c, dst, 8));
	assert_memory_equal(dst, zero, 8);
	assert_stays_failed(&c);

	cur_init(&c, seq, 0);
	memset(dst, 0xaa, sizeof(dst));
	assert_false(cur_copy(&c, dst, 1));
	assert_int_equal(dst[0], 0);
	assert_int_equal(dst[1], 0xaa);       /* only n bytes are touched */
	assert_stays_failed(&c);

	cur_init(&c, seq, 0);
	assert_true(cur_copy(&c, dst, 0));
	assert_true(cur_end(&c));
}

static void test_skip(void **state)
{
	struct cur c;
	uint8_t v;

	cur_init(&c, seq, 5);
	assert_true(cur_skip(&c, 4));
	assert_true(cur_u8(&c, &v));
	assert_int_equal(v, 0x05);
	assert_true(cur_end(&c));

	cur_init(&c, seq, 5);
	assert_true(cur_skip(&c, 5));
	assert_true(cur_end(&c));
	assert_true(cur_skip(&c, 0));
	assert_true(cur_end(&c));

	cur_init(&c, seq, 4);
	assert_false(cur_skip(&c, 5));
	assert_stays_failed(&c);

	cur_init(&c, seq, 0);
	assert_false(cur_skip(&c, 1));
	assert_stays_failed(&c);
}

/* ---- sub-cursors ---- */

static void test_sub(void **state)
{
	struct cur c, sub;
	const uint8_t *b;
	uint32_t v;
	uint8_t u;

	cur_init(&c, seq, 10);
	assert_true(cur_sub(&c, 4, &sub));
	/* The parent moved by exactly n. */
	assert_int_equal(cur_left(&c), 6);
	assert_true(cur_u8(&c, &u));
	assert_int_equal(u, 0x05);
	/* The child sees exactly those n bytes, and not one more. */
	assert_int_equal(cur_left(&sub), 4);
	assert_true(cur_u32(&sub, &v));
	assert_int_equal(v, 0x01020304);
	assert_true(cur_end(&sub));
	assert_false(cur_u8(&sub, &u));
	assert_stays_failed(&sub);
	/* The child's failure does not touch the parent. */
	assert_true(cur_ok(&c));
	assert_int_equal(cur_left(&c), 5);

	/* A child that asks for more than it holds fails, without reading
	 * into the parent's following bytes. */
	cur_init(&c, seq, 10);
	assert_true(cur_sub(&c, 3, &sub));
	assert_false(cur_u32(&sub, &v));
	assert_int_equal(v, 0);
	assert_true(cur_ok(&c));
	assert_true(cur_bytes(&c, 7, &b));
	assert_ptr_equal(b, seq + 3);
	assert_true(cur_end(&c));

	/* Exact length, then empty sub-cursor at the end. */
	cur_init(&c, seq, 4);
	assert_true(cur_sub(&c, 4, &sub));
	assert_true(cur_end(&c));
	assert_true(cur_sub(&c, 0, &sub));
	assert_true(cur_end(&sub));

	/* One short: the parent fails and the child is a failed cursor. */
	cur_init(&c, seq, 3);
	assert_false(cur_sub(&c, 4, &sub));
	assert_failed(&sub);
	assert_stays_failed(&sub);
	assert_stays_failed(&c);

	cur_init(&c, seq, 0);
	assert_false(cur_sub(&c, 1, &sub));
	assert_failed(&sub);
	assert_stays_failed(&c);
}

static void test_sub_of_sub(void **state)
{
	struct cur c, a, b;
	uint16_t v;

	cur_init(&c, seq, 16);
	assert_true(cur_skip(&c, 2));
	assert_true(cur_sub(&c, 8, &a));
	assert_true(cur_skip(&a, 2));
	assert_true(cur_sub(&a, 2, &b));
	assert_true(cur_u16(&b, &v));
	assert_int_equal(v, 0x0506);
	assert_true(cur_end(&b));
	assert_int_equal(cur_left(&a), 4);
	/* The inner child cannot be larger than its parent's rest. */
	assert_false(cur_sub(&a, 5, &b));
	assert_failed(&b);
	assert_failed(&a);
	assert_int_equal(cur_left(&c), 6);
}

/* ---- tails ---- */

static void test_tail(void **state)
{
	struct cur c;
	const uint8_t *t, *b;
	uint8_t v;

	cur_init(&c, seq, 10);
	assert_true(cur_tail(&c, 4, &t));
	assert_ptr_equal(t, seq + 6);
	assert_int_equal(cur_left(&c), 6);
	/* The front is untouched. */
	assert_true(cur_u8(&c, &v));
	assert_int_equal(v, 0x01);
	assert_true(cur_tail(&c, 1, &t));
	assert_int_equal(t[0], 0x06);
	assert_true(cur_bytes(&c, 4, &b));
	assert_ptr_equal(b, seq + 1);
	assert_true(cur_end(&c));

	/* Exactly everything. */
	cur_init(&c, seq, 4);
	assert_true(cur_tail(&c, 4, &t));
	assert_ptr_equal(t, seq);
	assert_true(cur_end(&c));
	assert_true(cur_tail(&c, 0, &t));
	assert_true(cur_end(&c));

	cur_init(&c, seq, 3);
	t = seq;
	assert_false(cur_tail(&c, 4, &t));
	assert_null(t);
	assert_stays_failed(&c);

	cur_init(&c, seq, 0);
	t = seq;
	assert_false(cur_tail(&c, 1, &t));
	assert_null(t);
	assert_stays_failed(&c);
}

/* ---- rest ---- */

static void test_rest(void **state)
{
	struct cur c;
	const uint8_t *b;
	size_t len;

	cur_init(&c, seq, 10);
	assert_true(cur_skip(&c, 3));
	assert_true(cur_rest(&c, &b, &len));
	assert_ptr_equal(b, seq + 3);
	assert_int_equal(len, 7);
	assert_true(cur_end(&c));

	/* Nothing left is fine and yields nothing. */
	assert_true(cur_rest(&c, &b, &len));
	assert_int_equal(len, 0);
	assert_true(cur_end(&c));

	cur_init(&c, seq, 0);
	assert_true(cur_rest(&c, &b, &len));
	assert_int_equal(len, 0);
	assert_true(cur_end(&c));
}

/* ---- peek ---- */

static void test_peek(void **state)
{
	struct cur c;
	uint8_t v8;
	uint32_t v32;

	cur_init(&c, seq, 4);
	assert_true(cur_peek_u8(&c, &v8));
	assert_int_equal(v8, 0x01);
	assert_true(cur_peek_u32(&c, &v32));
	assert_int_equal(v32, 0x01020304);
	assert_int_equal(cur_left(&c), 4);

	/* A peek that does not fit fails without failing the cursor. */
	cur_init(&c, seq, 3);
	v32 = 0xffffffff;
	assert_false(cur_peek_u32(&c, &v32));
	assert_int_equal(v32, 0);
	assert_true(cur_ok(&c));
	assert_int_equal(cur_left(&c), 3);
	assert_true(cur_peek_u8(&c, &v8));
	assert_int_equal(v8, 0x01);

	cur_init(&c, seq, 0);
	v8 = 0xff;
	assert_false(cur_peek_u8(&c, &v8));
	assert_int_equal(v8, 0);
	assert_true(cur_end(&c));
}

/* ---- mutable slices ---- */

static void test_mut_refused_on_const(void **state)
{
	uint8_t buf[8];
	struct cur c, sub;
	uint8_t *m;
	size_t len;

	memcpy(buf, seq, sizeof(buf));

	cur_init(&c, buf, sizeof(buf));
	m = buf;
	assert_false(cur_bytes_mut(&c, 1, &m));
	assert_null(m);
	assert_stays_failed(&c);

	cur_init(&c, buf, sizeof(buf));
	m = buf;
	assert_false(cur_tail_mut(&c, 1, &m));
	assert_null(m);
	assert_stays_failed(&c);

	cur_init(&c, buf, sizeof(buf));
	m = buf;
	len = 99;
	assert_false(cur_rest_mut(&c, &m, &len));
	assert_null(m);
	assert_int_equal(len, 0);             /* outputs zeroed on failure */
	assert_stays_failed(&c);

	/* A child of a const cursor is const too. */
	cur_init(&c, buf, sizeof(buf));
	assert_true(cur_sub(&c, 4, &sub));
	m = buf;
	assert_false(cur_bytes_mut(&sub, 1, &m));
	assert_null(m);
	assert_stays_failed(&sub);
	assert_true(cur_ok(&c));
}

static void test_mut_allowed(void **state)
{
	uint8_t buf[10];
	struct cur c, sub;
	uint8_t *m;
	size_t len;

	memcpy(buf, seq, sizeof(buf));
	cur_init_mut(&c, buf, sizeof(buf));
	assert_true(cur_bytes_mut(&c, 2, &m));
	assert_ptr_equal(m, buf);
	assert_true(cur_tail_mut(&c, 2, &m));
	assert_ptr_equal(m, buf + 8);
	m[0] = 0xee;
	assert_int_equal(buf[8], 0xee);
	/* A child of a mutable cursor is mutable. */
	assert_true(cur_sub(&c, 2, &sub));
	assert_true(cur_bytes_mut(&sub, 2, &m));
	assert_ptr_equal(m, buf + 2);
	assert_true(cur_end(&sub));
	assert_true(cur_rest_mut(&c, &m, &len));
	assert_ptr_equal(m, buf + 4);
	assert_int_equal(len, 4);
	assert_true(cur_end(&c));

	/* Lengths are still checked. */
	cur_init_mut(&c, buf, 3);
	m = buf;
	assert_false(cur_bytes_mut(&c, 4, &m));
	assert_null(m);
	assert_stays_failed(&c);

	cur_init_mut(&c, buf, 3);
	m = buf;
	assert_false(cur_tail_mut(&c, 4, &m));
	assert_null(m);
	assert_stays_failed(&c);

	/* A failed mutable cursor gives no rest. */
	m = buf;
	len = 99;
	assert_false(cur_rest_mut(&c, &m, &len));
	assert_null(m);
	assert_int_equal(len, 0);
}

/* ---- huge lengths ---- */

static void test_huge_n(void **state)
{
	const size_t huge[] = { SIZE_MAX, SIZE_MAX - 1, SIZE_MAX - 7,
				SIZE_MAX / 2 + 1 };
	struct cur c, sub;
	const uint8_t *b;
	uint8_t buf[16], *m;

	for (size_t i = 0; i < sizeof(huge) / sizeof(huge[0]); i++) {
		size_t n = huge[i];

		/* After a few bytes are read, p + n would wrap past the end
		 * of the address space; the check is by subtraction. */
		cur_init(&c, seq, sizeof(seq));
		assert_true(cur_skip(&c, 8));
		b = seq;
		assert_false(cur_bytes(&c, n, &b));
		assert_null(b);
		assert_stays_failed(&c);

		cur_init(&c, seq, sizeof(seq));
		assert_true(cur_skip(&c, 8));
		assert_false(cur_skip(&c, n));
		assert_stays_failed(&c);

		cur_init(&c, seq, sizeof(seq));
		assert_true(cur_skip(&c, 8));
		assert_false(cur_sub(&c, n, &sub));
		assert_failed(&sub);
		assert_stays_failed(&c);

		cur_init(&c, seq, sizeof(seq));
		assert_true(cur_skip(&c, 8));
		b = seq;
		assert_false(cur_tail(&c, n, &b));
		assert_null(b);
		assert_stays_failed(&c);

		memcpy(buf, seq, sizeof(buf));
		cur_init_mut(&c, buf, sizeof(buf));
		assert_true(cur_skip(&c, 8));
		m = buf;
		assert_false(cur_bytes_mut(&c, n, &m));
		assert_null(m);
		assert_stays_failed(&c);

		cur_init_mut(&c, buf, sizeof(buf));
		m = buf;
		assert_false(cur_tail_mut(&c, n, &m));
		assert_null(m);
		assert_stays_failed(&c);
	}
}

/* ---- NULL buffers ---- */

static void test_null_buffer(void **state)
{
	struct cur c, sub;
	uint8_t dst[1];
	const uint8_t *b;
	size_t len;
	uint8_t v;

	/* NULL with length 0 is a valid empty input. */
	cur_init(&c, NULL, 0);
	assert_true(cur_ok(&c));
	assert_true(cur_end(&c));
	assert_int_equal(cur_left(&c), 0);
	assert_true(cur_rest(&c, &b, &len));
	assert_int_equal(len, 0);
	assert_true(cur_end(&c));
	/* Zero-length reads of it all succeed. */
	assert_true(cur_bytes(&c, 0, &b));
	assert_true(cur_tail(&c, 0, &b));
	assert_true(cur_skip(&c, 0));
	assert_true(cur_sub(&c, 0, &sub));
	assert_true(cur_end(&sub));
	assert_true(cur_copy(&c, dst, 0));
	assert_true(cur_end(&c));
	assert_false(cur_u8(&c, &v));
	assert_int_equal(v, 0);
	assert_stays_failed(&c);

	/* NULL with a length is an error from the start. */
	cur_init(&c, NULL, 5);
	assert_stays_failed(&c);
	cur_init_mut(&c, NULL, 5);
	assert_stays_failed(&c);
	cur_init(&c, NULL, SIZE_MAX);
	assert_stays_failed(&c);
}

static void test_end(void **state)
{
	struct cur c;
	uint16_t v16;
	uint8_t v;

	cur_init(&c, seq, 1);
	assert_false(cur_end(&c));
	assert_true(cur_ok(&c));
	assert_true(cur_u8(&c, &v));
	assert_true(cur_end(&c));

	/* A failure leaves nothing, yet is not the end. */
	cur_init(&c, seq, 1);
	assert_false(cur_u16(&c, &v16));
	assert_int_equal(cur_left(&c), 0);
	assert_false(cur_end(&c));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_u8),
		cmocka_unit_test(test_u16),
		cmocka_unit_test(test_u32),
		cmocka_unit_test(test_u64),
		cmocka_unit_test(test_reads_in_sequence),
		cmocka_unit_test(test_failure_sticks),
		cmocka_unit_test(test_bytes),
		cmocka_unit_test(test_copy),
		cmocka_unit_test(test_skip),
		cmocka_unit_test(test_sub),
		cmocka_unit_test(test_sub_of_sub),
		cmocka_unit_test(test_tail),
		cmocka_unit_test(test_rest),
		cmocka_unit_test(test_peek),
		cmocka_unit_test(test_mut_refused_on_const),
		cmocka_unit_test(test_mut_allowed),
		cmocka_unit_test(test_huge_n),
		cmocka_unit_test(test_null_buffer),
		cmocka_unit_test(test_end),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
