/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef IFS_IFSECD_CTL_H
#define IFS_IFSECD_CTL_H

#include <event2/event.h>
#include <stdint.h>
#include "control/server.h"
#include "ifsecd/ike_io.h"
#include "ifsecd/tunnel.h"

/*
 * The commands ifsecd serves on its VICI socket, in charon's vocabulary
 * so that strongSwan's swanctl works against it: version, stats,
 * list-sas (list-sa events), list-conns (list-conn events), initiate
 * (answered once the Child SA is up, or failed, or timed out) and
 * terminate.
 */
#define CTL_MAX_PENDING 16

struct ctl_pending {
	struct ctl *ctl;
	struct ctl_client *client;    /* NULL: slot free */
	void *user;                   /* the tunnel waited for */
	struct event *timer;
};

struct ctl {
	struct ctl_server *srv;
	struct event_base *base;
	struct tunnels *tunnels;
	struct ike_io *ike;
	uint64_t started_ms;
	time_t started;
	struct ctl_pending pending[CTL_MAX_PENDING];
};

int ctl_start(struct ctl *ctl, struct event_base *base, const char *path,
	      struct tunnels *ts, struct ike_io *ike) IFS_MUST_CHECK;
/* The engine's news: a connection's SA is up or gone (ike_ops.sa_event). */
void ctl_sa_event(struct ctl *ctl, void *user, bool is_up);
void ctl_stop(struct ctl *ctl);

#endif
