/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef IFS_IFSECD_TUNNEL_H
#define IFS_IFSECD_TUNNEL_H

#include <stddef.h>
#include "config/conf.h"
#include "esp/sa.h"
#include "ike/keylog.h"
#include "net/worker.h"

/*
 * The daemon's side of a configured tunnel: its interface (TUN device,
 * addresses, MTU, routes), its socket, its counters, and the handle of
 * its copy in the worker.
 */
struct tunnel {
	struct conf_tunnel *conf;     /* owned */
	int tun_fd;
	unsigned ifindex;
	uint32_t mtu;
	int sock_fd;                  /* shared, owned by struct tunnels */
	int udp_fd;                   /* IKE tunnels: ESP in UDP (4500) and raw ESP */
	int raw_fd;
	struct esp_sa_stats stats;    /* the tunnel's own drops */
	struct esp_sa_stats in_stats;
	struct esp_sa_stats out_stats;
	struct worker_tunnel *wt;
};

struct tunnel_sock {
	int fd;
	bool is_udp;
	struct ifs_addr local;
	uint16_t port;
};

/* The running tunnels, in the order they were added. */
struct tunnels {
	struct tunnel **v;
	size_t n, cap;
	struct tunnel_sock *socks;    /* shared by tunnels with one local address */
	size_t n_socks, cap_socks;
	struct worker *worker;
	struct keylog *keylog;
};

/* Room for why a tunnel could not be added, for the log and the
 * control socket. */
struct tunnel_err {
	char msg[768];
};

void tunnels_init(struct tunnels *ts, struct worker *w, struct keylog *kl);
/* Add a tunnel (ct is taken, also on error): check it against the
 * running ones, create its interface, check that no peer is routed into
 * a tunnel, hand it to the worker. On error nothing is left behind. A
 * tunnel without an interface key keeps the name its configuration
 * chose if it is free, else gets the lowest free ipsecN. */
int tunnel_add(struct tunnels *ts, struct conf_tunnel *ct, struct tunnel **out,
	       struct tunnel_err *err) IFS_MUST_CHECK;
/* What tunnel_add() checks before it touches anything, against every
 * running tunnel but `except` (the one ct would replace); a default
 * interface name is chosen here. */
int tunnel_check(const struct tunnels *ts, struct conf_tunnel *ct,
		 const struct tunnel *except, struct tunnel_err *err) IFS_MUST_CHECK;
/* Take a tunnel out of the worker and remove its interface (its routes
 * go with it); its SAs must have been negotiated away first (IKE). The
 * tunnel's configuration is returned, the caller's to free or add again. */
struct conf_tunnel *tunnel_remove(struct tunnels *ts, struct tunnel *t);
struct tunnel *tunnel_find(const struct tunnels *ts, const char *name);
/* Every tunnel of c (they are taken from it), all or none. */
int tunnels_add_all(struct tunnels *ts, struct conf *c, struct tunnel_err *err) IFS_MUST_CHECK;
/* Remove the interfaces and close the sockets; the worker must have
 * been freed first. */
void tunnels_down(struct tunnels *ts);

#endif
