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
	const struct conf_tunnel *conf;
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

struct tunnels {
	struct tunnel *v;
	size_t n;
	struct tunnel_sock *socks;
	size_t n_socks;
};

/* Bring every tunnel of the configuration up and hand it to the worker
 * (not started yet). Either all come up or none: on error everything
 * done so far is undone and the reason has been logged. */
int tunnels_up(struct tunnels *ts, const struct conf *c, struct worker *w,
	       struct keylog *kl) IFS_MUST_CHECK;
/* Remove the interfaces (their routes go with them) and close the
 * sockets. The worker must have been freed first. */
void tunnels_down(struct tunnels *ts);

#endif
