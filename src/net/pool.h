/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef IFS_NET_POOL_H
#define IFS_NET_POOL_H

#include <stddef.h>
#include "common/err.h"

/*
 * Threads that run one function on the items handed to them, and hand
 * each item back to the thread that watches pool_fd() (the event loop),
 * in the order they finish. At most POOL_CAP items are in the pool at
 * once, queued, running or done; beyond that pool_submit() refuses and
 * the caller does the work itself.
 */
#define POOL_CAP 4096

struct pool;

int pool_new(struct pool **out, unsigned n_threads, void (*run)(void *item)) IFS_MUST_CHECK;
/* IFS_ERR_FULL at POOL_CAP items. */
int pool_submit(struct pool *p, void *item) IFS_MUST_CHECK;
/* Readable while done items wait. */
int pool_fd(const struct pool *p);
/* The next done item, or NULL. */
void *pool_take_done(struct pool *p);
/* Waits for the items running; those queued are not run. Items not
 * taken back stay their owner's to free. */
void pool_free(struct pool *p);
/* The number of CPUs online, at least 1. */
unsigned pool_cpus(void);

#endif
