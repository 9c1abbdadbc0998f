/* SPDX-License-Identifier: BSD-2-Clause */
#include "ifsecd/ike_io.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "common/log.h"
#include "ike/ike_wire.h"
#include "net/inner_str.h"
#include "net/sock.h"

static uint64_t now_ms(void *ctx)
{
	struct timespec ts;

	(void)ctx;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static struct ike_io_sock *sock_for(struct ike_io *io, const struct ifs_addr *local)
{
	for (size_t i = 0; i < io->n_socks; i++)
		if (addr_eq(&io->socks[i].local, local))
			return &io->socks[i];
	return NULL;
}

static void io_send(void *ctx, const struct ike_path *p, const uint8_t *msg, size_t len)
{
	struct ike_io *io = ctx;
	struct ike_io_sock *s = sock_for(io, &p->local);
	static const uint8_t marker[IKE_NON_ESP_MARKER_LEN];
	struct iovec iov[2] = { { (void *)marker, sizeof(marker) }, { (void *)msg, len } };
	struct sockaddr_storage to;
	struct msghdr mh = { .msg_name = &to };
	bool is_natt = p->local_port != IKE_PORT;

	if (!s)
		return;
	addr_to_sockaddr(&p->remote, p->remote_port, &to, &mh.msg_namelen);
	mh.msg_iov = is_natt ? iov : iov + 1;
	mh.msg_iovlen = is_natt ? 2 : 1;
	if (sendmsg(is_natt ? s->fd4500 : s->fd500, &mh, 0) < 0)
		log_debug("cannot send an IKE message: %s", strerror(errno));
}

static struct tunnel *tunnel_of(struct ike_io *io, void *user)
{
	for (size_t i = 0; i < io->tunnels->n; i++)
		if (io->tunnels->v[i] == user)
			return io->tunnels->v[i];
	return NULL;
}

static uint64_t last_esp_in_ms(void *ctx, void *user)
{
	struct tunnel *t = tunnel_of(ctx, user);

	return t ? esp_stat_get(&t->in_stats.last_used_s) * 1000 : 0;
}

/* The tunnel's counters: one pair for all its SAs, which the engine
 * takes differences of. */
static void esp_usage(void *ctx, void *user, struct ike_esp_usage *out)
{
	struct tunnel *t = tunnel_of(ctx, user);

	*out = (struct ike_esp_usage){ 0 };
	if (!t)
		return;
	out->bytes_in = esp_stat_get(&t->in_stats.bytes);
	out->packets_in = esp_stat_get(&t->in_stats.packets);
	out->bytes_out = esp_stat_get(&t->out_stats.bytes);
	out->packets_out = esp_stat_get(&t->out_stats.packets);
	out->seq_out = esp_stat_get(&t->out_stats.seq_used);
}

static const struct secret *find_psk(void *ctx, const struct ike_id *local,
				     uint8_t remote_type, const uint8_t *remote,
				     size_t remote_len)
{
	struct ike_io *io = ctx;

	return creds_find_psk(io->creds, local, remote_type, remote, remote_len);
}

static void log_esp_key(struct ike_io *io, const struct ifs_addr *src,
			const struct ifs_addr *dst, uint32_t spi, enum crypto_alg alg,
			const struct secret *key)
{
	int err;

	if (!io->keylog)
		return;
	err = keylog_esp_sa(io->keylog, src, dst, spi, alg, key->data, key->len);
	if (err && err != IFS_ERR_UNSUPPORTED)
		log_warn("cannot write the key log: %s", strerror(errno));
}

static int add_sa(struct ike_io *io, struct tunnel *t, const struct ike_child_info *ci,
		  bool is_inbound)
{
	const struct secret *key = is_inbound ? ci->key_in : ci->key_out;
	struct esp_sa_params p = {
		.spi = is_inbound ? ci->spi_in : ci->spi_out, .alg = ci->alg,
		.key = key->data, .key_len = key->len, .is_inbound = is_inbound,
		.is_esn = ci->is_esn, .replay_window = ci->replay_window,
	};
	struct esp_sa *sa;
	int err = esp_sa_new(&sa, &p, is_inbound ? &t->in_stats : &t->out_stats);

	if (err)
		return err;
	log_esp_key(io, is_inbound ? &ci->path.remote : &ci->path.local,
		    is_inbound ? &ci->path.local : &ci->path.remote, p.spi, ci->alg, key);
	return worker_add_sa(io->worker, t->wt, sa);
}

static int child_up(void *ctx, const struct ike_child_info *ci)
{
	struct ike_io *io = ctx;
	struct tunnel *t = tunnel_of(io, ci->user);
	bool is_natt = ci->path.local_port != IKE_PORT;
	struct worker_peer peer;
	int err;

	if (!t)
		return IFS_ERR_NOT_FOUND;
	peer = (struct worker_peer){
		.sock_fd = ci->is_udp_encap ? t->udp_fd : t->raw_fd,
		.is_udp = ci->is_udp_encap,
		.local = ci->path.local, .remote = ci->path.remote,
		.local_port = is_natt ? ci->path.local_port : IKE_NATT_PORT,
		.remote_port = is_natt ? ci->path.remote_port : IKE_NATT_PORT,
		.keepalive_s = ci->is_nat_local ? io->keepalive_s : 0,
	};
	err = worker_set_peer(io->worker, t->wt, &peer);
	if (!err && ci->dir != IKE_CHILD_OUT)
		err = add_sa(io, t, ci, true);
	if (!err && ci->dir != IKE_CHILD_IN)
		err = add_sa(io, t, ci, false);
	return err;
}

/* The peer's IKE comes from a new NAT mapping: so that our ESP reaches
 * it, the tunnel sends there too (the worker follows ESP by itself). */
static void peer_moved(void *ctx, void *user, const struct ike_path *p, bool is_nat_local)
{
	struct ike_io *io = ctx;
	struct tunnel *t = tunnel_of(io, user);
	struct worker_peer peer;

	if (!t)
		return;
	peer = (struct worker_peer){
		.sock_fd = t->udp_fd, .is_udp = true,
		.local = p->local, .remote = p->remote,
		.local_port = p->local_port, .remote_port = p->remote_port,
		.keepalive_s = is_nat_local ? io->keepalive_s : 0,
	};
	if (worker_set_peer(io->worker, t->wt, &peer) != 0)
		log_error("tunnel %s: the data plane cannot follow the peer's new port",
			  t->conf->name);
}

static void child_down(void *ctx, void *user, uint32_t spi_in, uint32_t spi_out)
{
	struct ike_io *io = ctx;
	struct tunnel *t = tunnel_of(io, user);

	if (t && worker_del_sas(io->worker, t->wt, spi_in, spi_out) != 0)
		log_error("tunnel %s: cannot remove SA 0x%08x from the data plane",
			  t->conf->name, spi_in);
}

static void child_expect(void *ctx, void *user, uint32_t spi_in)
{
	struct ike_io *io = ctx;
	struct tunnel *t = tunnel_of(io, user);

	if (t && worker_expect_sa(io->worker, t->wt, spi_in) != 0)
		log_debug("tunnel %s: the data plane's queue is full; ESP that comes "
			  "before SA 0x%08x is installed is dropped", t->conf->name, spi_in);
}

static void sa_event(void *ctx, void *user, bool is_up)
{
	struct ike_io *io = ctx;

	if (io->observer)
		io->observer(io->observer_arg, user, is_up);
}

static void arm_timer(struct ike_io *io)
{
	uint64_t next = ike_engine_next_timer(io->engine), now = now_ms(NULL);
	struct timeval tv;

	if (next == UINT64_MAX) {
		evtimer_del(io->timer);
		return;
	}
	next = next > now ? next - now : 0;
	tv.tv_sec = (time_t)(next / 1000);
	tv.tv_usec = (suseconds_t)(next % 1000) * 1000;
	evtimer_add(io->timer, &tv);
}

static void on_timer(evutil_socket_t fd, short what, void *arg)
{
	struct ike_io *io = arg;

	(void)fd;
	(void)what;
	ike_engine_run_timers(io->engine);
	arm_timer(io);
}

static void run_job(void *job)
{
	ike_job_run(job);
}

static int offload(void *ctx, struct ike_job *job)
{
	struct ike_io *io = ctx;

	return pool_submit(io->pool, job);
}

static void on_jobs_done(evutil_socket_t fd, short what, void *arg)
{
	struct ike_io *io = arg;
	struct ike_job *job;

	(void)fd;
	(void)what;
	while ((job = pool_take_done(io->pool)))
		ike_engine_job_done(io->engine, job);
	arm_timer(io);
}

static void input(struct ike_io *io, const struct ike_path *p, uint8_t *msg, size_t len)
{
	ike_engine_input(io->engine, p, msg, len);
	arm_timer(io);
}

/* Datagrams on port 500: a bounded number per wake-up, so that a flood
 * on one socket cannot starve the rest of the loop. */
static void on_500(evutil_socket_t fd, short what, void *arg)
{
	static uint8_t buf[IKE_MAX_MSG + 1];
	struct ike_io_sock *s = arg;
	struct sockaddr_storage from;
	struct ike_path p = { .local = s->local, .local_port = IKE_PORT };

	(void)what;
	for (int i = 0; i < 64; i++) {
		socklen_t from_len = sizeof(from);
		ssize_t n = recvfrom(fd, buf, sizeof(buf), MSG_DONTWAIT,
				     (struct sockaddr *)&from, &from_len);

		if (n < 0)
			return;
		if ((size_t)n > IKE_MAX_MSG ||
		    addr_from_sockaddr((struct sockaddr *)&from, from_len, &p.remote,
				       &p.remote_port) != 0)
			continue;
		input(s->io, &p, buf, (size_t)n);
	}
}

/* A packet entered a tunnel without an SA (start_action or dpd/close
 * action trap): what it was is logged, as what brought the tunnel up. */
static void acquire(struct ike_io *io, const struct worker_ike_packet *wp)
{
	char what[INNER_STRLEN];

	for (size_t i = 0; i < io->tunnels->n; i++) {
		struct tunnel *t = io->tunnels->v[i];

		if (t->wt != wp->acquire)
			continue;
		log_info("tunnel %s: a packet with no SA (%s) asks for one",
			 t->conf->name, inner_str(wp->data, wp->len, what));
		if (ike_engine_acquire(io->engine, t) != 0)
			log_warn("tunnel %s: a packet wants the tunnel up, but it cannot "
				 "be initiated", t->conf->name);
	}
	arm_timer(io);
}

void ike_io_worker_packet(struct ike_io *io, struct worker_ike_packet *wp)
{
	struct ike_path p = { .local_port = IKE_NATT_PORT };

	if (!io->engine)
		return;
	if (wp->moved) {
		struct ifs_addr a;
		uint16_t port;

		for (size_t i = 0; i < io->tunnels->n; i++)
			if (io->tunnels->v[i]->wt == wp->moved &&
			    addr_from_sockaddr((struct sockaddr *)&wp->from, wp->from_len, &a,
					       &port) == 0)
				ike_engine_peer_moved(io->engine, io->tunnels->v[i], &a, port);
		arm_timer(io);
		return;
	}
	if (wp->acquire) {
		acquire(io, wp);
		return;
	}
	for (size_t i = 0; i < io->n_socks; i++)
		if (io->socks[i].fd4500 == wp->sock_fd)
			p.local = io->socks[i].local;
	if (addr_is_unspec(&p.local) || wp->len > IKE_MAX_MSG ||
	    addr_from_sockaddr((struct sockaddr *)&wp->from, wp->from_len, &p.remote,
			       &p.remote_port) != 0)
		return;
	input(io, &p, wp->data, wp->len);
}

static int open_sock(struct ike_io *io, const struct tunnel *t)
{
	struct ike_io_sock *s = sock_for(io, &t->conf->local);
	char a[IFS_ADDR_STRLEN];

	if (s)
		return 0;
	if (io->n_socks == IKE_IO_MAX_SOCKS)
		return IFS_ERR_FULL;
	s = &io->socks[io->n_socks];
	*s = (struct ike_io_sock){ .io = io, .local = t->conf->local, .fd4500 = t->udp_fd };
	if (sock_open_udp(&s->local, IKE_PORT, &s->fd500) != 0) {
		log_error("tunnel %s: cannot bind UDP port 500 on %s: %s", t->conf->name,
			  addr_str(&s->local, a), strerror(errno));
		return IFS_ERR_SYS;
	}
	io->n_socks++;
	s->ev = event_new(io->base, s->fd500, EV_READ | EV_PERSIST, on_500, s);
	if (!s->ev || event_add(s->ev, NULL) != 0)
		return IFS_ERR_NOMEM;
	return 0;
}

/* The configuration's ifsecd section over the engine's defaults. */
static void settings_from(const struct conf_daemon *d, struct ike_settings *s)
{
	ike_settings_default(s);
	if (d->retransmit_timeout_ms >= 0)
		s->retransmit_timeout_ms = (uint32_t)d->retransmit_timeout_ms;
	if (d->retransmit_base_milli >= 0)
		s->retransmit_base = (double)d->retransmit_base_milli / 1000.0;
	if (d->retransmit_tries >= 0)
		s->retransmit_tries = (uint32_t)d->retransmit_tries;
	if (d->half_open_timeout_ms >= 0)
		s->half_open_timeout_ms = (uint32_t)d->half_open_timeout_ms;
	if (d->cookie_threshold >= 0)
		s->cookie_threshold = (uint32_t)d->cookie_threshold;
	if (d->cookie_threshold_ip >= 0)
		s->cookie_threshold_ip = (uint32_t)d->cookie_threshold_ip;
	if (d->block_threshold >= 0)
		s->block_threshold = (uint32_t)d->block_threshold;
	if (d->init_limit_half_open >= 0)
		s->init_limit_half_open = (uint32_t)d->init_limit_half_open;
}

void ike_io_rearm(struct ike_io *io)
{
	arm_timer(io);
}

void ike_io_settings(struct ike_io *io, const struct conf_daemon *d)
{
	struct ike_settings s;

	settings_from(d, &s);
	ike_engine_set_settings(io->engine, &s);
	io->keepalive_s = d->keep_alive_s >= 0 ? (uint32_t)d->keep_alive_s : 20;
	arm_timer(io);
}

int ike_io_add_conn(struct ike_io *io, struct tunnel *t)
{
	const struct conf_tunnel *ct = t->conf;
	int err;

	if (!ct->ike)
		return 0;
	err = open_sock(io, t);
	if (!err)
		err = ike_engine_add_conn(io->engine, ct, t);
	if (err)
		return err;
	if (ct->ike->child.start_action == CONF_START_START && !ct->ike->is_remote_any &&
	    ike_engine_initiate(io->engine, t) != 0)
		log_warn("%s: cannot initiate now; retrying", ct->name);
	arm_timer(io);
	return 0;
}

void ike_io_del_conn(struct ike_io *io, struct tunnel *t)
{
	if (t->conf->ike && ike_engine_del_conn(io->engine, t) != 0)
		log_warn("%s: the IKE engine did not know the connection", t->conf->name);
	arm_timer(io);
}

int ike_io_start(struct ike_io *io, struct event_base *base, const struct conf_daemon *d,
		 struct tunnels *ts, struct creds *cs)
{
	static const struct ike_ops ops = {
		.send = io_send, .child_up = child_up, .child_down = child_down,
		.child_expect = child_expect,
		.now_ms = now_ms, .sa_event = sa_event, .find_psk = find_psk,
		.last_esp_in_ms = last_esp_in_ms, .peer_moved = peer_moved,
		.esp_usage = esp_usage, .offload = offload,
	};
	struct ike_settings s;
	int err;

	*io = (struct ike_io){ .base = base, .worker = ts->worker, .tunnels = ts,
			       .keylog = ts->keylog, .creds = cs };
	settings_from(d, &s);
	io->keepalive_s = d->keep_alive_s >= 0 ? (uint32_t)d->keep_alive_s : 20;
	err = pool_new(&io->pool, pool_cpus(), run_job);
	if (!err)
		err = ike_engine_new(&io->engine, &ops, io, &s, ts->keylog);
	if (err)
		return err;
	io->timer = evtimer_new(base, on_timer, io);
	io->pool_ev = event_new(base, pool_fd(io->pool), EV_READ | EV_PERSIST, on_jobs_done, io);
	if (!io->timer || !io->pool_ev || event_add(io->pool_ev, NULL) != 0)
		return IFS_ERR_NOMEM;
	for (size_t i = 0; i < ts->n && !err; i++)
		err = ike_io_add_conn(io, ts->v[i]);
	return err;
}

void ike_io_stop(struct ike_io *io)
{
	if (io->engine)
		ike_engine_shutdown(io->engine);
	pool_free(io->pool);           /* no thread inside a job from here */
	ike_engine_free(io->engine);
	if (io->timer)
		event_free(io->timer);
	if (io->pool_ev)
		event_free(io->pool_ev);
	for (size_t i = 0; i < io->n_socks; i++) {
		if (io->socks[i].ev)
			event_free(io->socks[i].ev);
		close(io->socks[i].fd500);
	}
	*io = (struct ike_io){ 0 };
}
