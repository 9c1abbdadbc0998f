/* SPDX-License-Identifier: BSD-2-Clause */
/* Packet buffers with headroom and tailroom: every operation within its
 * room, at its exact edge, and one past it (refused, nothing changed). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "common/pkt.h"

#define CAP 64
#define HEAD 16

/* The whole state of a packet, to check that a refusal changed nothing. */
static void assert_same(const struct pkt *a, const struct pkt *b)
{
	assert_ptr_equal(a->buf, b->buf);
	assert_int_equal(a->cap, b->cap);
	assert_int_equal(a->off, b->off);
	assert_int_equal(a->len, b->len);
}

/* headroom + len + tailroom always adds up to the capacity. */
static void assert_layout(const struct pkt *p, size_t head, size_t len)
{
	assert_int_equal(pkt_headroom(p), head);
	assert_int_equal(p->len, len);
	assert_int_equal(pkt_tailroom(p), p->cap - head - len);
	assert_ptr_equal(pkt_data(p), p->buf + head);
}

static void test_init(void **state)
{
	uint8_t buf[CAP];
	struct pkt p;

	pkt_init(&p, buf, CAP, HEAD);
	assert_layout(&p, HEAD, 0);
	pkt_init(&p, buf, CAP, 0);
	assert_layout(&p, 0, 0);
	pkt_init(&p, buf, CAP, CAP);
	assert_layout(&p, CAP, 0);
	assert_int_equal(pkt_tailroom(&p), 0);
	/* More headroom than the buffer holds is clamped to it. */
	pkt_init(&p, buf, CAP, CAP + 1);
	assert_layout(&p, CAP, 0);
	pkt_init(&p, buf, CAP, SIZE_MAX);
	assert_layout(&p, CAP, 0);
}

static void test_push(void **state)
{
	uint8_t buf[CAP];
	struct pkt p, before;
	uint8_t *h;

	pkt_init(&p, buf, CAP, HEAD);
	assert_true(pkt_push(&p, 8, &h));
	assert_ptr_equal(h, buf + HEAD - 8);
	assert_layout(&p, HEAD - 8, 8);
	assert_true(pkt_push(&p, 0, &h));
	assert_ptr_equal(h, buf + HEAD - 8);
	assert_layout(&p, HEAD - 8, 8);
	/* Exactly the rest of the headroom. */
	assert_true(pkt_push(&p, HEAD - 8, &h));
	assert_ptr_equal(h, buf);
	assert_layout(&p, 0, HEAD);

	/* One more byte is refused and changes nothing. */
	before = p;
	h = buf;
	assert_false(pkt_push(&p, 1, &h));
	assert_null(h);
	assert_same(&p, &before);

	pkt_init(&p, buf, CAP, HEAD);
	before = p;
	assert_false(pkt_push(&p, HEAD + 1, &h));
	assert_null(h);
	assert_same(&p, &before);
	assert_false(pkt_push(&p, SIZE_MAX, &h));
	assert_same(&p, &before);
}

static void test_put(void **state)
{
	uint8_t buf[CAP];
	struct pkt p, before;
	uint8_t *t;

	pkt_init(&p, buf, CAP, HEAD);
	assert_true(pkt_put(&p, 10, &t));
	assert_ptr_equal(t, buf + HEAD);
	assert_layout(&p, HEAD, 10);
	assert_true(pkt_put(&p, 4, &t));
	assert_ptr_equal(t, buf + HEAD + 10);
	assert_layout(&p, HEAD, 14);
	assert_true(pkt_put(&p, 0, &t));
	assert_layout(&p, HEAD, 14);
	/* Exactly the rest of the tailroom. */
	assert_true(pkt_put(&p, CAP - HEAD - 14, &t));
	assert_ptr_equal(t, buf + HEAD + 14);
	assert_layout(&p, HEAD, CAP - HEAD);
	assert_int_equal(pkt_tailroom(&p), 0);

	before = p;
	t = buf;
	assert_false(pkt_put(&p, 1, &t));
	assert_null(t);
	assert_same(&p, &before);

	pkt_init(&p, buf, CAP, HEAD);
	before = p;
	assert_false(pkt_put(&p, CAP - HEAD + 1, &t));
	assert_null(t);
	assert_same(&p, &before);
	/* p->off + p->len + n must not wrap into a yes. */
	assert_false(pkt_put(&p, SIZE_MAX, &t));
	assert_same(&p, &before);
	assert_false(pkt_put(&p, SIZE_MAX - HEAD + 1, &t));
	assert_same(&p, &before);
}

static void test_push_put_data(void **state)
{
	uint8_t buf[CAP];
	struct pkt p;
	uint8_t *h, *t;

	memset(buf, 0, sizeof(buf));
	pkt_init(&p, buf, CAP, HEAD);
	assert_true(pkt_put(&p, 3, &t));
	memcpy(t, "abc", 3);
	assert_true(pkt_push(&p, 2, &h));
	memcpy(h, "xy", 2);
	assert_true(pkt_put(&p, 1, &t));
	*t = 'z';
	assert_int_equal(p.len, 6);
	assert_memory_equal(pkt_data(&p), "xyabcz", 6);
}

static void test_pull(void **state)
{
	uint8_t buf[CAP];
	struct pkt p, before;
	uint8_t *t;

	pkt_init(&p, buf, CAP, HEAD);
	assert_true(pkt_put(&p, 20, &t));
	assert_true(pkt_pull(&p, 8));
	assert_layout(&p, HEAD + 8, 12);
	assert_true(pkt_pull(&p, 0));
	assert_layout(&p, HEAD + 8, 12);

	before = p;
	assert_false(pkt_pull(&p, 13));
	assert_same(&p, &before);
	assert_false(pkt_pull(&p, SIZE_MAX));
	assert_same(&p, &before);

	/* Exactly everything: an empty packet, headroom grown by as much. */
	assert_true(pkt_pull(&p, 12));
	assert_layout(&p, HEAD + 20, 0);
	before = p;
	assert_false(pkt_pull(&p, 1));
	assert_same(&p, &before);

	/* What was pulled can be pushed back. */
	assert_true(pkt_push(&p, 20, &t));
	assert_layout(&p, HEAD, 20);
}

static void test_trim(void **state)
{
	uint8_t buf[CAP];
	struct pkt p, before;
	uint8_t *t;

	pkt_init(&p, buf, CAP, HEAD);
	assert_true(pkt_put(&p, 20, &t));
	assert_true(pkt_trim(&p, 20));
	assert_layout(&p, HEAD, 20);
	assert_true(pkt_trim(&p, 12));
	assert_layout(&p, HEAD, 12);

	/* Trim only shortens. */
	before = p;
	assert_false(pkt_trim(&p, 13));
	assert_same(&p, &before);
	assert_false(pkt_trim(&p, SIZE_MAX));
	assert_same(&p, &before);

	assert_true(pkt_trim(&p, 0));
	assert_layout(&p, HEAD, 0);
}

static void test_narrow(void **state)
{
	uint8_t buf[CAP];
	struct pkt p, before;
	uint8_t *t;

	for (size_t i = 0; i < CAP; i++)
		buf[i] = (uint8_t)i;
	pkt_init(&p, buf, CAP, HEAD);
	assert_true(pkt_put(&p, 20, &t));
	assert_true(pkt_narrow(&p, 4, 10));
	assert_layout(&p, HEAD + 4, 10);
	assert_int_equal(pkt_data(&p)[0], HEAD + 4);

	/* The whole range, and empty ranges at both ends. */
	assert_true(pkt_narrow(&p, 0, 10));
	assert_layout(&p, HEAD + 4, 10);
	before = p;
	assert_true(pkt_narrow(&p, 10, 0));
	assert_layout(&p, HEAD + 14, 0);
	p = before;
	assert_true(pkt_narrow(&p, 0, 0));
	assert_layout(&p, HEAD + 4, 0);
	p = before;

	/* Past the end, by start, by length and by their sum. */
	assert_false(pkt_narrow(&p, 11, 0));
	assert_same(&p, &before);
	assert_false(pkt_narrow(&p, 0, 11));
	assert_same(&p, &before);
	assert_false(pkt_narrow(&p, 5, 6));
	assert_same(&p, &before);
	assert_true(pkt_narrow(&p, 5, 5));
	assert_layout(&p, HEAD + 9, 5);
	p = before;
	/* start + len would wrap to something small. */
	assert_false(pkt_narrow(&p, 2, SIZE_MAX));
	assert_same(&p, &before);
	assert_false(pkt_narrow(&p, SIZE_MAX, 2));
	assert_same(&p, &before);
	assert_false(pkt_narrow(&p, SIZE_MAX, SIZE_MAX));
	assert_same(&p, &before);
}

static void test_set_len(void **state)
{
	uint8_t buf[CAP];
	struct pkt p, before;
	uint8_t *t;

	pkt_init(&p, buf, CAP, HEAD);
	/* Data written at pkt_data() by someone else (recvmsg, decrypt). */
	assert_true(pkt_set_len(&p, CAP - HEAD));
	assert_layout(&p, HEAD, CAP - HEAD);
	assert_true(pkt_set_len(&p, 7));
	assert_layout(&p, HEAD, 7);
	assert_true(pkt_set_len(&p, 0));
	assert_layout(&p, HEAD, 0);

	before = p;
	assert_false(pkt_set_len(&p, CAP - HEAD + 1));
	assert_same(&p, &before);
	assert_false(pkt_set_len(&p, SIZE_MAX));
	assert_same(&p, &before);

	/* The bound is tailroom + current length, wherever the data is. */
	assert_true(pkt_push(&p, 6, &t));
	assert_true(pkt_set_len(&p, CAP - HEAD + 6));
	assert_layout(&p, HEAD - 6, CAP - HEAD + 6);
	before = p;
	assert_false(pkt_set_len(&p, CAP - HEAD + 7));
	assert_same(&p, &before);

	pkt_init(&p, buf, CAP, CAP);
	assert_true(pkt_set_len(&p, 0));
	assert_false(pkt_set_len(&p, 1));
	assert_layout(&p, CAP, 0);
}

static void test_reset(void **state)
{
	uint8_t buf[CAP];
	struct pkt p;
	uint8_t *t;

	pkt_init(&p, buf, CAP, HEAD);
	assert_true(pkt_put(&p, 20, &t));
	assert_true(pkt_pull(&p, 4));
	pkt_reset(&p, HEAD);
	assert_layout(&p, HEAD, 0);
	assert_ptr_equal(p.buf, buf);
	assert_int_equal(p.cap, CAP);

	/* A different headroom, including none and all of it. */
	pkt_reset(&p, 40);
	assert_layout(&p, 40, 0);
	pkt_reset(&p, 0);
	assert_layout(&p, 0, 0);
	pkt_reset(&p, CAP);
	assert_layout(&p, CAP, 0);
	pkt_reset(&p, CAP + 100);
	assert_layout(&p, CAP, 0);
	assert_false(pkt_put(&p, 1, &t));
}

static void test_empty_buffer(void **state)
{
	uint8_t buf[1];
	struct pkt p, before;
	uint8_t *x;

	pkt_init(&p, buf, 0, 0);
	assert_layout(&p, 0, 0);
	before = p;
	assert_false(pkt_push(&p, 1, &x));
	assert_false(pkt_put(&p, 1, &x));
	assert_false(pkt_pull(&p, 1));
	assert_false(pkt_trim(&p, 1));
	assert_false(pkt_narrow(&p, 0, 1));
	assert_false(pkt_set_len(&p, 1));
	assert_same(&p, &before);
	assert_true(pkt_put(&p, 0, &x));
	assert_true(pkt_push(&p, 0, &x));
	assert_same(&p, &before);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init),
		cmocka_unit_test(test_push),
		cmocka_unit_test(test_put),
		cmocka_unit_test(test_push_put_data),
		cmocka_unit_test(test_pull),
		cmocka_unit_test(test_trim),
		cmocka_unit_test(test_narrow),
		cmocka_unit_test(test_set_len),
		cmocka_unit_test(test_reset),
		cmocka_unit_test(test_empty_buffer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
