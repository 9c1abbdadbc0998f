/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef IFS_NET_MSGQ_H
#define IFS_NET_MSGQ_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "common/err.h"

/*
 * A bounded queue of small messages between two threads, with a file
 * descriptor that becomes readable when messages wait, so that the
 * receiving thread's event loop wakes up. The lock is held only to copy
 * one message in or out; when the queue is full the sender is told so and
 * decides (drop and count, or report an error).
 */
struct msgq_item {
	int type;
	void *ptr;
	uint64_t arg;
};

struct msgq {
	pthread_mutex_t lock;
	int event_fd;
	struct msgq_item *items;
	size_t cap, head, n;
};

int msgq_init(struct msgq *q, size_t cap) IFS_MUST_CHECK;
void msgq_clear(struct msgq *q);
int msgq_push(struct msgq *q, const struct msgq_item *item) IFS_MUST_CHECK;
/* Takes the oldest message; false when there is none. */
bool msgq_pop(struct msgq *q, struct msgq_item *item);
/* True when no message waits (a snapshot: one may come at once). */
bool msgq_is_empty(struct msgq *q);
/* Readable while messages wait; msgq_pop() resets it when it empties. */
int msgq_fd(const struct msgq *q);

#endif
