/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef IFS_IFSECD_IKE_IO_H
#define IFS_IFSECD_IKE_IO_H

#include <event2/event.h>
#include "config/conf.h"
#include "config/creds.h"
#include "ifsecd/tunnel.h"
#include "ike/ike.h"
#include "ike/keylog.h"
#include "net/pool.h"
#include "net/worker.h"

/*
 * The daemon's side of the IKE engine: UDP port 500 sockets on the
 * connections' local addresses, IKE on port 4500 through the worker's
 * ESP-in-UDP sockets (non-ESP marker), a timer for the engine, and the
 * Child SAs it negotiates handed to the worker. Key exchanges run on a
 * pool of threads, one per CPU, and come back through the event loop.
 */
#define IKE_IO_MAX_SOCKS 64

struct ike_io;

struct ike_io_sock {
	struct ike_io *io;
	struct ifs_addr local;
	int fd500;
	int fd4500;                   /* owned by struct tunnels */
	struct event *ev;
};

struct ike_io {
	struct event_base *base;
	struct worker *worker;
	struct tunnels *tunnels;
	struct keylog *keylog;
	struct creds *creds;
	struct ike_engine *engine;
	struct event *timer;
	struct pool *pool;            /* the engine's key exchanges */
	struct event *pool_ev;
	uint32_t keepalive_s;         /* NAT keepalives, the ifsecd section's keep_alive */
	struct ike_io_sock socks[IKE_IO_MAX_SOCKS];
	size_t n_socks;
	/* told when a connection's SA comes up or goes (the control socket) */
	void (*observer)(void *arg, void *user, bool is_up);
	void *observer_arg;
};

/* The engine, with the connections of the tunnels running now (and
 * those with start_action = start initiated). */
int ike_io_start(struct ike_io *io, struct event_base *base, const struct conf_daemon *d,
		 struct tunnels *ts, struct creds *cs) IFS_MUST_CHECK;
/* A tunnel added while running: its connection (t->conf->ike) joins the
 * engine and its start action runs. Nothing for a manual tunnel. */
int ike_io_add_conn(struct ike_io *io, struct tunnel *t) IFS_MUST_CHECK;
/* Before the tunnel is removed: its SAs are deleted (the peer is told). */
void ike_io_del_conn(struct ike_io *io, struct tunnel *t);
/* After a call into the engine from elsewhere (a command): its next
 * timer may have moved. */
void ike_io_rearm(struct ike_io *io);
/* The ifsecd section's limits and timers, from now on. */
void ike_io_settings(struct ike_io *io, const struct conf_daemon *d);
/* A datagram the worker handed over (IKE on port 4500) or an acquire. */
void ike_io_worker_packet(struct ike_io *io, struct worker_ike_packet *p);
/* Delete the IKE SAs (one message each, no wait) and close everything. */
void ike_io_stop(struct ike_io *io);

#endif
