/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef IFS_IFSECD_CTL_H
#define IFS_IFSECD_CTL_H

#include <event2/event.h>
#include <stdint.h>
#include "config/creds.h"
#include "control/server.h"
#include "ifsecd/conns.h"
#include "ifsecd/ike_io.h"
#include "ifsecd/tunnel.h"

/*
 * The commands ifsecd serves on its VICI socket, in charon's vocabulary
 * so that strongSwan's swanctl works against it:
 *   ctl.c       version, stats, initiate (answered once the Child SA is
 *               up, or failed, or timed out), terminate
 *   ctl_list.c  list-sas (list-sa events), list-conns (list-conn
 *               events), get-conns
 *   ctl_load.c  load-conn, unload-conn, load-shared, unload-shared,
 *               get-shared, clear-creds, reload-settings, and the empty
 *               answers swanctl --load-all asks for (get-keys,
 *               get-authorities, get-pools)
 *   ctl_log.c   the log event stream, and control-log events to the
 *               client whose initiate or terminate the lines are about
 */
#define CTL_MAX_PENDING 16

struct ctl_pending {
	struct ctl *ctl;
	struct ctl_client *client;    /* NULL: slot free */
	void *user;                   /* the tunnel waited for (compared, never used) */
	char conn[CONF_NAME_MAX];     /* its name */
	struct event *timer;
	int loglevel;                 /* control-log up to this level, -1: none */
};

struct ctl {
	struct ctl_server *srv;
	struct event_base *base;
	struct tunnels *tunnels;
	struct ike_io *ike;
	struct conns *conns;
	struct creds *creds;
	const char *config_path;      /* reload-settings reads its ifsecd section */
	uint64_t started_ms;
	time_t started;
	struct ctl_pending pending[CTL_MAX_PENDING];
	/* A command running now, for control-log lines logged meanwhile. */
	struct ctl_client *cmd_client;
	const char *cmd_conn;
	int cmd_loglevel;
};

int ctl_start(struct ctl *ctl, struct event_base *base, const struct ctl_server_opts *o,
	      struct conns *conns, struct creds *creds, const char *config_path) IFS_MUST_CHECK;
/* The engine's news: a connection's SA is up or gone (ike_ops.sa_event). */
void ctl_sa_event(struct ctl *ctl, void *user, bool is_up);
/* Before a tunnel is removed: nobody waits for it any more. */
void ctl_tunnel_gone(struct ctl *ctl, void *user);
void ctl_stop(struct ctl *ctl);

#endif
