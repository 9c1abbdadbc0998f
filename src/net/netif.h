/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef IFS_NET_NETIF_H
#define IFS_NET_NETIF_H

#include <stdbool.h>
#include <stdint.h>
#include "common/addr.h"
#include "common/err.h"

/*
 * Interface addresses, state, MTU and routes, through the kernel's routing
 * socket (rtnetlink on Linux). All functions are synchronous: they send one
 * request, wait for its acknowledgement and return the kernel's answer as
 * an error (errno kept for the caller's message).
 */

int netif_index(const char *ifname, unsigned *ifindex_out) IFS_MUST_CHECK;

/* Before the interface is brought up: ask for a random IPv6 link-local
 * address (a TUN device has no MAC to derive one from; OSPFv3 needs it). */
int netif_set_addr_gen_random(unsigned ifindex) IFS_MUST_CHECK;
/* Before the interface is brought up: no IPv6 router advertisements
 * (accept_ra = 0). A tunnel has no router to solicit: its solicitations,
 * repeated for ever, would start trap initiations; and a peer must not
 * configure our addresses and routes. Without IPv6 there is nothing to do. */
int netif_ignore_router_adverts(const char *ifname) IFS_MUST_CHECK;
int netif_set_mtu(unsigned ifindex, uint32_t mtu) IFS_MUST_CHECK;
/* Bring up with IFF_MULTICAST set (so OSPF and other multicast can use it). */
int netif_set_up(unsigned ifindex) IFS_MUST_CHECK;
/* Add an address; p->len is the prefix length (198.51.100.1/30). For a
 * /32 or /128 on a point-to-point tunnel nothing else is needed. */
int netif_addr_add(unsigned ifindex, const struct ifs_prefix *p) IFS_MUST_CHECK;

/* A route to prefix p through the interface (no gateway: it is a tunnel). */
int netif_route_add(unsigned ifindex, const struct ifs_prefix *p) IFS_MUST_CHECK;
int netif_route_del(unsigned ifindex, const struct ifs_prefix *p) IFS_MUST_CHECK;

/* What the kernel would do with a packet to dst (RTM_GETROUTE): the
 * outgoing interface and the path MTU (the route's mtu metric if set,
 * otherwise the interface MTU). */
struct netif_route_info {
	unsigned ifindex;
	char ifname[16];
	uint32_t mtu;
};
int netif_route_get(const struct ifs_addr *dst, struct netif_route_info *out) IFS_MUST_CHECK;

#endif
