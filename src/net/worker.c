/* SPDX-License-Identifier: BSD-2-Clause */
/* The worker thread: its event loop, its buffers, and the messages by
 * which the control thread gives it tunnels and SAs. */
#include "net/worker_priv.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"

enum worker_msg {
	WORKER_MSG_STOP,
	WORKER_MSG_ADD_TUNNEL,
	WORKER_MSG_ADD_SA,
};

#define WORKER_MSG_QUEUE 1024

static int batch_init(struct worker_batch *b)
{
	b->mem = malloc((size_t)WORKER_BATCH * WORKER_BUF_BYTES);
	if (!b->mem)
		return IFS_ERR_NOMEM;
	for (size_t i = 0; i < WORKER_BATCH; i++)
		pkt_init(&b->pkts[i], b->mem + i * WORKER_BUF_BYTES,
			 WORKER_BUF_BYTES, WORKER_HEADROOM);
	return 0;
}

/* The socket a tunnel sends on is watched once, however many tunnels
 * share it. */
static struct worker_sock *watch_sock(struct worker *w, const struct worker_tunnel *t)
{
	struct worker_sock *s;

	for (size_t i = 0; i < w->n_socks; i++)
		if (w->socks[i]->fd == t->p.sock_fd)
			return w->socks[i];
	if (w->n_socks == WORKER_MAX_TUNNELS)
		return NULL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	*s = (struct worker_sock){
		.fd = t->p.sock_fd, .family = t->p.local.family,
		.is_udp = t->p.is_udp, .w = w,
	};
	s->ev = event_new(w->base, s->fd, EV_READ | EV_PERSIST,
			  worker_on_sock_readable, s);
	if (!s->ev || event_add(s->ev, NULL) != 0) {
		if (s->ev)
			event_free(s->ev);
		free(s);
		return NULL;
	}
	w->socks[w->n_socks++] = s;
	return s;
}

static void handle_add_tunnel(struct worker *w, struct worker_tunnel *t)
{
	struct worker_sock *s = watch_sock(w, t);

	t->ev = event_new(w->base, t->p.tun_fd, EV_READ | EV_PERSIST,
			  worker_on_tun_readable, t);
	if (!s || !t->ev || event_add(t->ev, NULL) != 0)
		log_error("worker: cannot watch a tunnel's descriptors; its traffic stops");
	w->tunnels[w->n_tunnels++] = t;
}

static void handle_add_sa(struct worker *w, struct esp_sa *sa)
{
	struct worker_tunnel *t = sa->owner;

	if (!sa->is_inbound) {
		esp_sa_free(t->out_sa);
		t->out_sa = sa;
		t->has_logged_exhausted = false;
		return;
	}
	if (sa_table_add(&w->in_sas, sa) != 0) {
		log_error("worker: inbound SPI 0x%08x cannot be installed", sa->spi);
		esp_sa_free(sa);
	}
}

static void on_message(evutil_socket_t fd, short what, void *arg)
{
	struct worker *w = arg;
	struct msgq_item m;

	while (msgq_pop(&w->to_worker, &m)) {
		switch (m.type) {
		case WORKER_MSG_STOP:
			event_base_loopbreak(w->base);
			return;
		case WORKER_MSG_ADD_TUNNEL:
			handle_add_tunnel(w, m.ptr);
			break;
		case WORKER_MSG_ADD_SA:
			handle_add_sa(w, m.ptr);
			break;
		}
	}
}

int worker_new(struct worker **out)
{
	struct worker *w;
	int err;

	*out = NULL;
	w = calloc(1, sizeof(*w));
	if (!w)
		return IFS_ERR_NOMEM;
	sa_table_init(&w->in_sas);
	w->to_worker.event_fd = w->to_control.event_fd = -1;
	err = msgq_init(&w->to_worker, WORKER_MSG_QUEUE);
	if (!err)
		err = msgq_init(&w->to_control, WORKER_IKE_QUEUE);
	if (!err)
		err = batch_init(&w->rx);
	if (!err)
		err = batch_init(&w->tx);
	if (!err) {
		w->base = event_base_new();
		w->msg_ev = w->base ? event_new(w->base, msgq_fd(&w->to_worker),
						EV_READ | EV_PERSIST, on_message, w) : NULL;
		if (!w->msg_ev || event_add(w->msg_ev, NULL) != 0)
			err = IFS_ERR_NOMEM;
	}
	if (err) {
		worker_free(w);
		return err;
	}
	*out = w;
	return 0;
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;

	event_base_dispatch(w->base);
	return NULL;
}

int worker_start(struct worker *w)
{
	int rc = pthread_create(&w->thread, NULL, worker_main, w);

	if (rc != 0) {
		errno = rc;
		return IFS_ERR_SYS;
	}
	w->is_running = true;
	return 0;
}

static void free_tunnels_and_sas(struct worker *w)
{
	for (size_t i = 0; i < w->n_tunnels; i++) {
		if (w->tunnels[i]->ev)    /* libevent does not take NULL */
			event_free(w->tunnels[i]->ev);
		esp_sa_free(w->tunnels[i]->out_sa);
		free(w->tunnels[i]);
	}
	for (size_t i = 0; i < w->n_socks; i++) {
		event_free(w->socks[i]->ev);
		free(w->socks[i]);
	}
	for (size_t i = 0; i < w->in_sas.n_slots; i++)
		esp_sa_free(w->in_sas.slots[i]);
	sa_table_clear(&w->in_sas);
}

/* Messages never applied (the thread stopped first) still own memory. */
static void drain_queues(struct worker *w)
{
	struct msgq_item m;

	while (w->to_worker.items && msgq_pop(&w->to_worker, &m)) {
		if (m.type == WORKER_MSG_ADD_TUNNEL)
			free(m.ptr);
		else if (m.type == WORKER_MSG_ADD_SA)
			esp_sa_free(m.ptr);
	}
	while (w->to_control.items && msgq_pop(&w->to_control, &m))
		free(m.ptr);
}

void worker_free(struct worker *w)
{
	if (!w)
		return;
	if (w->is_running) {
		struct msgq_item stop = { .type = WORKER_MSG_STOP };

		/* The stop message may not fit a full queue: retry until the
		 * worker has made room (it drains the queue continuously). */
		while (msgq_push(&w->to_worker, &stop) == IFS_ERR_FULL)
			usleep(1000);
		pthread_join(w->thread, NULL);
	}
	free_tunnels_and_sas(w);
	drain_queues(w);
	if (w->msg_ev)
		event_free(w->msg_ev);
	if (w->base)
		event_base_free(w->base);
	msgq_clear(&w->to_worker);
	msgq_clear(&w->to_control);
	free(w->rx.mem);
	free(w->tx.mem);
	free(w);
}

const struct worker_stats *worker_stats(const struct worker *w)
{
	return &w->stats;
}

int worker_add_tunnel(struct worker *w, const struct worker_tunnel_params *p,
		      struct worker_tunnel **out)
{
	struct msgq_item m = { .type = WORKER_MSG_ADD_TUNNEL };
	struct worker_tunnel *t;
	int err;

	*out = NULL;
	if (w->n_tunnels_posted >= WORKER_MAX_TUNNELS)
		return IFS_ERR_FULL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return IFS_ERR_NOMEM;
	t->p = *p;
	t->w = w;
	addr_to_sockaddr(&p->remote, p->is_udp ? p->remote_port : 0, &t->peer,
			 &t->peer_len);
	m.ptr = t;
	err = msgq_push(&w->to_worker, &m);
	if (err) {
		free(t);
		return err;
	}
	w->n_tunnels_posted++;
	*out = t;
	return 0;
}

int worker_add_sa(struct worker *w, struct worker_tunnel *t, struct esp_sa *sa)
{
	struct msgq_item m = { .type = WORKER_MSG_ADD_SA, .ptr = sa };
	int err;

	sa->owner = t;
	err = msgq_push(&w->to_worker, &m);
	if (err)
		esp_sa_free(sa);
	return err;
}

int worker_ike_fd(const struct worker *w)
{
	return msgq_fd(&w->to_control);
}

struct worker_ike_packet *worker_ike_pop(struct worker *w)
{
	struct msgq_item m;

	return msgq_pop(&w->to_control, &m) ? m.ptr : NULL;
}
