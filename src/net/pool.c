/* SPDX-License-Identifier: BSD-2-Clause */
#include "net/pool.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

#include "net/msgq.h"

struct pool {
	void (*run)(void *item);
	pthread_mutex_t lock;
	pthread_cond_t wake;
	void *waiting[POOL_CAP];        /* a ring: head, n_waiting */
	size_t head, n_waiting;
	size_t held;                    /* submitted and not taken back */
	bool is_stopping;
	struct msgq done;               /* never full: held <= POOL_CAP */
	pthread_t *threads;
	unsigned n_threads;
};

static void *thread_main(void *arg)
{
	struct pool *p = arg;

	for (;;) {
		struct msgq_item it = { 0 };

		pthread_mutex_lock(&p->lock);
		while (p->n_waiting == 0 && !p->is_stopping)
			pthread_cond_wait(&p->wake, &p->lock);
		if (p->is_stopping) {
			pthread_mutex_unlock(&p->lock);
			return NULL;
		}
		it.ptr = p->waiting[p->head];
		p->head = (p->head + 1) % POOL_CAP;
		p->n_waiting--;
		pthread_mutex_unlock(&p->lock);
		p->run(it.ptr);
		(void)!msgq_push(&p->done, &it);
	}
}

unsigned pool_cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 ? (unsigned)n : 1;
}

int pool_new(struct pool **out, unsigned n_threads, void (*run)(void *item))
{
	struct pool *p = calloc(1, sizeof(*p));
	int err;

	if (!p)
		return IFS_ERR_NOMEM;
	p->run = run;
	p->threads = calloc(n_threads, sizeof(*p->threads));
	err = p->threads ? msgq_init(&p->done, POOL_CAP) : IFS_ERR_NOMEM;
	if (err) {
		free(p->threads);
		free(p);
		return err;
	}
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->wake, NULL);
	for (; p->n_threads < n_threads; p->n_threads++)
		if (pthread_create(&p->threads[p->n_threads], NULL, thread_main, p) != 0)
			break;
	if (p->n_threads == 0) {
		pool_free(p);
		return IFS_ERR_SYS;
	}
	*out = p;
	return 0;
}

int pool_submit(struct pool *p, void *item)
{
	pthread_mutex_lock(&p->lock);
	if (p->held == POOL_CAP) {
		pthread_mutex_unlock(&p->lock);
		return IFS_ERR_FULL;
	}
	p->waiting[(p->head + p->n_waiting) % POOL_CAP] = item;
	p->n_waiting++;
	p->held++;
	pthread_cond_signal(&p->wake);
	pthread_mutex_unlock(&p->lock);
	return 0;
}

int pool_fd(const struct pool *p)
{
	return msgq_fd(&p->done);
}

void *pool_take_done(struct pool *p)
{
	struct msgq_item it;

	if (!msgq_pop(&p->done, &it))
		return NULL;
	pthread_mutex_lock(&p->lock);
	p->held--;
	pthread_mutex_unlock(&p->lock);
	return it.ptr;
}

void pool_free(struct pool *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	p->is_stopping = true;
	pthread_cond_broadcast(&p->wake);
	pthread_mutex_unlock(&p->lock);
	for (unsigned i = 0; i < p->n_threads; i++)
		pthread_join(p->threads[i], NULL);
	pthread_cond_destroy(&p->wake);
	pthread_mutex_destroy(&p->lock);
	msgq_clear(&p->done);
	free(p->threads);
	free(p);
}
