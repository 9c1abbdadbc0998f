/* SPDX-License-Identifier: BSD-2-Clause */
#include "net/msgq.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <unistd.h>

int msgq_init(struct msgq *q, size_t cap)
{
	*q = (struct msgq){ .event_fd = -1 };
	q->items = calloc(cap, sizeof(*q->items));
	if (!q->items)
		return IFS_ERR_NOMEM;
	q->cap = cap;
	q->event_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (q->event_fd < 0 || pthread_mutex_init(&q->lock, NULL) != 0) {
		int saved = errno;

		if (q->event_fd >= 0)
			close(q->event_fd);
		free(q->items);
		*q = (struct msgq){ .event_fd = -1 };
		errno = saved;
		return IFS_ERR_SYS;
	}
	return 0;
}

void msgq_clear(struct msgq *q)
{
	if (!q->items)
		return;
	pthread_mutex_destroy(&q->lock);
	close(q->event_fd);
	free(q->items);
	*q = (struct msgq){ .event_fd = -1 };
}

int msgq_push(struct msgq *q, const struct msgq_item *item)
{
	uint64_t one = 1;
	bool was_empty;

	pthread_mutex_lock(&q->lock);
	if (q->n == q->cap) {
		pthread_mutex_unlock(&q->lock);
		return IFS_ERR_FULL;
	}
	q->items[(q->head + q->n) % q->cap] = *item;
	was_empty = q->n++ == 0;
	pthread_mutex_unlock(&q->lock);
	/* Only the first message of a run needs to wake the reader. */
	if (was_empty && write(q->event_fd, &one, sizeof(one)) < 0 &&
	    errno != EAGAIN)
		return IFS_ERR_SYS;
	return 0;
}

bool msgq_pop(struct msgq *q, struct msgq_item *item)
{
	uint64_t count;
	bool found;

	pthread_mutex_lock(&q->lock);
	found = q->n > 0;
	if (found) {
		*item = q->items[q->head];
		q->head = (q->head + 1) % q->cap;
		q->n--;
	}
	/* Reset the event under the lock, so that a push racing with the
	 * last pop cannot lose its wake-up. */
	if (q->n == 0)
		(void)!read(q->event_fd, &count, sizeof(count));
	pthread_mutex_unlock(&q->lock);
	return found;
}

bool msgq_is_empty(struct msgq *q)
{
	bool is_empty;

	pthread_mutex_lock(&q->lock);
	is_empty = q->n == 0;
	pthread_mutex_unlock(&q->lock);
	return is_empty;
}

int msgq_fd(const struct msgq *q)
{
	return q->event_fd;
}
