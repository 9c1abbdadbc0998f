/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The thread pool (net/pool.c): every item runs once and comes back
 * through the descriptor; at POOL_CAP items it refuses; stopping does
 * not run what is queued.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>

#include "net/pool.h"

struct item {
	int runs;                      /* written by the thread that runs it */
	pthread_t thread;
};

static atomic_int n_run;
static pthread_mutex_t gate_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gate_cond = PTHREAD_COND_INITIALIZER;
static bool is_gate_closed;

static void run_item(void *arg)
{
	struct item *it = arg;

	pthread_mutex_lock(&gate_lock);
	while (is_gate_closed)
		pthread_cond_wait(&gate_cond, &gate_lock);
	pthread_mutex_unlock(&gate_lock);
	it->runs++;
	it->thread = pthread_self();
	atomic_fetch_add(&n_run, 1);
}

static void set_gate(bool is_closed)
{
	pthread_mutex_lock(&gate_lock);
	is_gate_closed = is_closed;
	pthread_cond_broadcast(&gate_cond);
	pthread_mutex_unlock(&gate_lock);
}

/* Waits on the descriptor (as the event loop does) and takes items back
 * until n have come; fails after 10 s. */
static void take_back(struct pool *p, size_t n, struct item **got)
{
	size_t k = 0;

	while (k < n) {
		struct pollfd pfd = { .fd = pool_fd(p), .events = POLLIN };
		void *it;

		assert_int_equal(poll(&pfd, 1, 10000), 1);
		while ((it = pool_take_done(p)))
			got[k++] = it;
	}
	assert_null(pool_take_done(p));
}

static void test_every_item_once(void **state)
{
	enum { N = 2000 };
	struct item *items = calloc(N, sizeof(*items));
	struct item **got = calloc(N, sizeof(*got));
	struct pool *p;
	bool is_other_thread = false;

	(void)state;
	assert_non_null(items);
	assert_non_null(got);
	set_gate(false);
	assert_int_equal(pool_new(&p, 3, run_item), 0);
	for (size_t i = 0; i < N; i++)
		assert_int_equal(pool_submit(p, &items[i]), 0);
	take_back(p, N, got);
	for (size_t i = 0; i < N; i++) {
		assert_int_equal(items[i].runs, 1);
		assert_true(got[i] >= items && got[i] < items + N);
		is_other_thread |= !pthread_equal(items[i].thread, pthread_self());
	}
	assert_true(is_other_thread);
	pool_free(p);
	free(items);
	free(got);
}

/* POOL_CAP items held (the threads stuck in the first ones): the next is
 * refused. Stopping with items queued returns once the running ones
 * finish, and what was queued stays the caller's (ASan: nothing freed
 * twice, nothing lost). */
static void test_full_then_stop(void **state)
{
	struct item *items = calloc(POOL_CAP + 1, sizeof(*items));
	struct pool *p;

	(void)state;
	assert_non_null(items);
	set_gate(true);
	atomic_store(&n_run, 0);
	assert_int_equal(pool_new(&p, 2, run_item), 0);
	for (size_t i = 0; i < POOL_CAP; i++)
		assert_int_equal(pool_submit(p, &items[i]), 0);
	assert_int_equal(pool_submit(p, &items[POOL_CAP]), IFS_ERR_FULL);
	assert_null(pool_take_done(p));
	assert_int_equal(atomic_load(&n_run), 0);
	set_gate(false);
	pool_free(p);
	assert_true(atomic_load(&n_run) <= POOL_CAP);
	assert_int_equal(items[POOL_CAP].runs, 0);
	free(items);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_item_once),
		cmocka_unit_test(test_full_then_stop),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
