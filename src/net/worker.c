/* SPDX-License-Identifier: BSD-2-Clause */
/* The worker thread: its event loop, its buffers, and the messages by
 * which the control thread gives it tunnels and SAs. */
#include "net/worker_priv.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/log.h"
#include "net/sock.h"

enum worker_msg {
	WORKER_MSG_STOP,
	WORKER_MSG_ADD_TUNNEL,
	WORKER_MSG_ADD_SA,
	WORKER_MSG_DEL_SAS,       /* ptr: tunnel, arg: inbound SPI << 32 | outbound SPI */
	WORKER_MSG_ADD_SOCK,      /* arg: fd | family << 32 | is_udp << 48 */
	WORKER_MSG_SET_PEER,      /* ptr: struct peer_msg */
	WORKER_MSG_DEL_TUNNEL,    /* ptr: tunnel; the sender waits on tunnel_gone */
	WORKER_MSG_EXPECT_SA,     /* ptr: tunnel, arg: inbound SPI */
};

struct peer_msg {
	struct worker_tunnel *t;
	struct worker_peer peer;
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

/* A socket is watched once, however many tunnels share it. */
struct worker_sock *worker_watch_sock(struct worker *w, int fd, int family, bool is_udp)
{
	struct worker_sock *s;

	for (size_t i = 0; i < w->n_socks; i++)
		if (w->socks[i]->fd == fd)
			return w->socks[i];
	if (w->n_socks == WORKER_MAX_TUNNELS)
		return NULL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	*s = (struct worker_sock){ .fd = fd, .family = family, .is_udp = is_udp, .w = w };
	/* (without it, datagrams come one by one: nothing else changes) */
	if (is_udp)
		(void)sock_enable_udp_gro(fd);
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
	struct worker_sock *s = worker_watch_sock(w, t->p.sock_fd, t->p.local.family,
						  t->p.is_udp);

	t->ev = event_new(w->base, t->p.tun_fd, EV_READ | EV_PERSIST,
			  worker_on_tun_readable, t);
	if (!s || !t->ev || event_add(t->ev, NULL) != 0)
		log_error("worker: cannot watch a tunnel's descriptors; its traffic stops");
	w->tunnels[w->n_tunnels++] = t;
}

static uint64_t mono_s(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC_COARSE, &now);
	return (uint64_t)now.tv_sec;
}

static void note_inbound_sas(struct worker *w)
{
	atomic_store_explicit(&w->stats.inbound_sas, w->in_sas.n_used, memory_order_relaxed);
}

static size_t retiring_index(const struct worker *w, const struct esp_sa *sa)
{
	size_t i;

	for (i = 0; i < w->n_retiring; i++)
		if (w->retiring[i].sa == sa)
			break;
	return i;
}

static void unretire(struct worker *w, size_t i)
{
	w->retiring[i] = w->retiring[--w->n_retiring];
}

/* An inbound SA the control thread removed stays in the SPI table for
 * WORKER_RETIRE_S more, then goes (worker_retire_expired). Without room
 * to note it, it goes at once. */
static void retire(struct worker *w, struct esp_sa *sa)
{
	if (retiring_index(w, sa) < w->n_retiring)
		return;
	if (w->n_retiring == w->cap_retiring) {
		size_t cap = w->cap_retiring ? w->cap_retiring * 2 : 16;
		struct worker_retiring *r = realloc(w->retiring, cap * sizeof(*r));

		if (!r) {
			esp_sa_free(sa_table_del(&w->in_sas, sa->spi));
			return;
		}
		w->retiring = r;
		w->cap_retiring = cap;
	}
	w->retiring[w->n_retiring++] = (struct worker_retiring){
		.sa = sa, .at_s = mono_s() + WORKER_RETIRE_S,
	};
}

void worker_retire_expired(struct worker *w, uint64_t now_s)
{
	for (size_t i = 0; i < w->n_retiring;) {
		struct esp_sa *sa = w->retiring[i].sa;

		if (w->retiring[i].at_s > now_s) {
			i++;
			continue;
		}
		unretire(w, i);
		esp_sa_free(sa_table_del(&w->in_sas, sa->spi));
	}
	note_inbound_sas(w);
}

static void handle_add_sa(struct worker *w, struct esp_sa *sa)
{
	struct worker_tunnel *t = sa->owner;
	struct esp_sa *old;
	size_t i;

	if (!sa->is_inbound) {
		esp_sa_free(t->out_sa);
		t->out_sa = sa;
		t->has_logged_exhausted = false;
		worker_flush_trapped(t);
		return;
	}
	/* A new SA with the SPI of a retiring one (the SPI was free again
	 * for the control thread) replaces it. */
	old = sa_table_find(&w->in_sas, sa->spi);
	if (old && (i = retiring_index(w, old)) < w->n_retiring) {
		unretire(w, i);
		esp_sa_free(sa_table_del(&w->in_sas, old->spi));
	}
	if (sa_table_add(&w->in_sas, sa) != 0) {
		log_error("worker: inbound SPI 0x%08x cannot be installed", sa->spi);
		esp_sa_free(sa);
		return;
	}
	worker_early_release(w, sa->spi);
}

static void handle_del_sas(struct worker *w, struct worker_tunnel *t, uint32_t spi_in,
			   uint32_t spi_out)
{
	struct esp_sa *sa = sa_table_find(&w->in_sas, spi_in);

	if (sa && sa->owner == t)
		retire(w, sa);
	if (!t->out_sa || t->out_sa->spi != spi_out)
		return;
	esp_sa_free(t->out_sa);
	t->out_sa = NULL;
	t->has_sent_acquire = false;
}

/* The tunnel's event, its inbound SAs and the tunnel itself. Its
 * descriptors stay open: the control thread closes them once told. */
static void handle_del_tunnel(struct worker *w, struct worker_tunnel *t)
{
	bool found;

	/* What the receive batch keeps for its interface goes now: the
	 * descriptor is closed once we are done. */
	worker_flush_gro(w);
	worker_early_forget_tunnel(w, t);
	/* (Its retiring SAs go now, with the others.) */
	for (size_t i = 0; i < w->n_retiring;) {
		if (w->retiring[i].sa->owner == t)
			unretire(w, i);
		else
			i++;
	}
	do {
		found = false;
		for (size_t i = 0; i < w->in_sas.n_slots && !found; i++) {
			struct esp_sa *sa = w->in_sas.slots[i];

			if (sa && sa->owner == t) {
				esp_sa_free(sa_table_del(&w->in_sas, sa->spi));
				found = true;
			}
		}
	} while (found);
	for (size_t i = 0; i < w->n_tunnels; i++)
		if (w->tunnels[i] == t) {
			w->tunnels[i] = w->tunnels[--w->n_tunnels];
			break;
		}
	if (t->ev)
		event_free(t->ev);
	worker_tunnel_free(t);
}

static void handle_set_peer(struct peer_msg *m)
{
	struct worker_tunnel *t = m->t;
	struct worker_peer *pe = &m->peer;

	if (!worker_watch_sock(t->w, pe->sock_fd, pe->local.family, pe->is_udp))
		log_error("worker: cannot watch a socket; ESP on it is not read");
	t->p.sock_fd = pe->sock_fd;
	t->p.is_udp = pe->is_udp;
	t->p.local = pe->local;
	t->p.remote = pe->remote;
	t->p.local_port = pe->local_port;
	t->p.remote_port = pe->remote_port;
	t->keepalive_s = pe->keepalive_s;
	addr_to_sockaddr(&pe->remote, pe->is_udp ? pe->remote_port : 0, &t->peer, &t->peer_len);
	free(m);
}

void worker_apply_messages(struct worker *w)
{
	struct msgq_item m;

	while (msgq_pop(&w->to_worker, &m)) {
		switch (m.type) {
		case WORKER_MSG_STOP:
			event_base_loopbreak(w->base);
			note_inbound_sas(w);
			return;
		case WORKER_MSG_ADD_TUNNEL:
			handle_add_tunnel(w, m.ptr);
			break;
		case WORKER_MSG_ADD_SA:
			handle_add_sa(w, m.ptr);
			break;
		case WORKER_MSG_DEL_SAS:
			handle_del_sas(w, m.ptr, (uint32_t)(m.arg >> 32), (uint32_t)m.arg);
			break;
		case WORKER_MSG_ADD_SOCK:
			if (!worker_watch_sock(w, (int)(uint32_t)m.arg, (int)(uint16_t)(m.arg >> 32),
					       (m.arg >> 48) & 1))
				log_error("worker: cannot watch a socket; ESP on it is not read");
			break;
		case WORKER_MSG_SET_PEER:
			handle_set_peer(m.ptr);
			break;
		case WORKER_MSG_DEL_TUNNEL:
			handle_del_tunnel(w, m.ptr);
			sem_post(&w->tunnel_gone);
			break;
		case WORKER_MSG_EXPECT_SA:
			worker_early_expect(w, m.ptr, (uint32_t)m.arg, mono_s());
			break;
		}
	}
	note_inbound_sas(w);
}

static void on_message(evutil_socket_t fd, short what, void *arg)
{
	worker_apply_messages(arg);
}

/* A tunnel whose ESP in UDP leaves from behind a NAT and has sent
 * nothing for keepalive_s keeps the NAT's mapping with one 0xFF byte. */
static void send_keepalive(struct worker *w, struct worker_tunnel *t, uint64_t now_s)
{
	static const uint8_t ka = 0xff;
	uint64_t last;

	if (!t->keepalive_s || !t->p.is_udp || !t->out_sa || !t->out_sa->stats)
		return;
	last = esp_stat_get(&t->out_sa->stats->last_used_s);
	if (t->last_keepalive_s > last)
		last = t->last_keepalive_s;
	if (now_s < last + t->keepalive_s)
		return;
	t->last_keepalive_s = now_s;
	if (sendto(t->p.sock_fd, &ka, 1, MSG_DONTWAIT, (struct sockaddr *)&t->peer,
		   t->peer_len) == 1)
		esp_stat_add(&w->stats.keepalives_sent, 1);
}

static void on_tick(evutil_socket_t fd, short what, void *arg)
{
	struct worker *w = arg;
	uint64_t now = mono_s();

	for (size_t i = 0; i < w->n_tunnels; i++)
		send_keepalive(w, w->tunnels[i], now);
	worker_retire_expired(w, now);
	worker_early_expire(w, now);
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
	if (sem_init(&w->tunnel_gone, 0, 0) != 0) {
		free(w);
		return IFS_ERR_SYS;
	}
	w->to_worker.event_fd = w->to_control.event_fd = -1;
	err = msgq_init(&w->to_worker, WORKER_MSG_QUEUE);
	if (!err)
		err = msgq_init(&w->to_control, WORKER_IKE_QUEUE);
	if (!err)
		err = batch_init(&w->rx);
	if (!err)
		err = batch_init(&w->tx);
	if (!err && !(w->tun_buf = malloc(WORKER_TUN_BUF)))
		err = IFS_ERR_NOMEM;
	if (!err) {
		w->base = event_base_new();
		w->msg_ev = w->base ? event_new(w->base, msgq_fd(&w->to_worker),
						EV_READ | EV_PERSIST, on_message, w) : NULL;
		if (!w->msg_ev || event_add(w->msg_ev, NULL) != 0)
			err = IFS_ERR_NOMEM;
	}
	if (!err) {
		struct timeval second = { .tv_sec = 1 };

		w->tick_ev = event_new(w->base, -1, EV_PERSIST, on_tick, w);
		if (!w->tick_ev || event_add(w->tick_ev, &second) != 0)
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
		worker_tunnel_free(w->tunnels[i]);
	}
	for (size_t i = 0; i < w->n_socks; i++) {
		event_free(w->socks[i]->ev);
		free(w->socks[i]);
	}
	for (size_t i = 0; i < w->in_sas.n_slots; i++)
		esp_sa_free(w->in_sas.slots[i]);
	sa_table_clear(&w->in_sas);
	worker_early_forget_tunnel(w, NULL);
	free(w->retiring);
	w->retiring = NULL;
	w->n_retiring = w->cap_retiring = 0;
}

/* Messages never applied (the thread stopped first) still own memory. */
static void drain_queues(struct worker *w)
{
	struct msgq_item m;

	while (w->to_worker.items && msgq_pop(&w->to_worker, &m)) {
		if (m.type == WORKER_MSG_ADD_TUNNEL || m.type == WORKER_MSG_SET_PEER)
			free(m.ptr);
		else if (m.type == WORKER_MSG_ADD_SA)
			esp_sa_free(m.ptr);
	}
	while (w->to_control.items && msgq_pop(&w->to_control, &m))
		free(m.ptr);
}

/*
 * Hands a message to the worker. Control messages are never dropped: on a
 * full queue, before the thread runs, what waits is applied here (a start
 * with a thousand tunnels posts more than the queue holds); while it runs,
 * the sender waits for the room the worker makes as it drains the queue.
 */
static int post(struct worker *w, const struct msgq_item *m)
{
	int err;

	while ((err = msgq_push(&w->to_worker, m)) == IFS_ERR_FULL) {
		if (w->is_running)
			usleep(1000);
		else
			on_message(msgq_fd(&w->to_worker), EV_READ, w);
	}
	return err;
}

void worker_free(struct worker *w)
{
	if (!w)
		return;
	if (w->is_running) {
		struct msgq_item stop = { .type = WORKER_MSG_STOP };

		(void)post(w, &stop);
		pthread_join(w->thread, NULL);
	}
	free_tunnels_and_sas(w);
	drain_queues(w);
	if (w->msg_ev)
		event_free(w->msg_ev);
	if (w->tick_ev)
		event_free(w->tick_ev);
	if (w->base)
		event_base_free(w->base);
	msgq_clear(&w->to_worker);
	msgq_clear(&w->to_control);
	free(w->rx.mem);
	free(w->tx.mem);
	free(w->tun_buf);
	sem_destroy(&w->tunnel_gone);
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
	err = post(w, &m);
	if (err) {
		free(t);
		return err;
	}
	w->n_tunnels_posted++;
	*out = t;
	return 0;
}

void worker_del_tunnel(struct worker *w, struct worker_tunnel *t)
{
	struct msgq_item m = { .type = WORKER_MSG_DEL_TUNNEL, .ptr = t };

	if (!w->is_running) {
		/* No thread yet: apply what waits for it, then this, here. */
		on_message(msgq_fd(&w->to_worker), EV_READ, w);
		handle_del_tunnel(w, t);
	} else {
		(void)post(w, &m);
		while (sem_wait(&w->tunnel_gone) != 0 && errno == EINTR)
			;
	}
	w->n_tunnels_posted--;
}

int worker_add_sa(struct worker *w, struct worker_tunnel *t, struct esp_sa *sa)
{
	struct msgq_item m = { .type = WORKER_MSG_ADD_SA, .ptr = sa };
	int err;

	sa->owner = t;
	err = post(w, &m);
	if (err)
		esp_sa_free(sa);
	return err;
}

void worker_tunnel_free(struct worker_tunnel *t)
{
	esp_sa_free(t->out_sa);
	free(t->trapped);
	free(t);
}

int worker_del_sas(struct worker *w, struct worker_tunnel *t, uint32_t spi_in,
		   uint32_t spi_out)
{
	struct msgq_item m = {
		.type = WORKER_MSG_DEL_SAS, .ptr = t,
		.arg = (uint64_t)spi_in << 32 | spi_out,
	};

	return post(w, &m);
}

int worker_expect_sa(struct worker *w, struct worker_tunnel *t, uint32_t spi_in)
{
	struct msgq_item m = { .type = WORKER_MSG_EXPECT_SA, .ptr = t, .arg = spi_in };

	return post(w, &m);
}

int worker_add_socket(struct worker *w, int fd, int family, bool is_udp)
{
	struct msgq_item m = {
		.type = WORKER_MSG_ADD_SOCK,
		.arg = (uint64_t)(uint32_t)fd | (uint64_t)(uint16_t)family << 32 |
		       (uint64_t)is_udp << 48,
	};

	return post(w, &m);
}

int worker_set_peer(struct worker *w, struct worker_tunnel *t, const struct worker_peer *peer)
{
	struct peer_msg *pm = malloc(sizeof(*pm));
	struct msgq_item m = { .type = WORKER_MSG_SET_PEER };
	int err;

	if (!pm)
		return IFS_ERR_NOMEM;
	pm->t = t;
	pm->peer = *peer;
	m.ptr = pm;
	err = post(w, &m);
	if (err)
		free(pm);
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
