/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef IFS_NET_SOCK_H
#define IFS_NET_SOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include "common/addr.h"
#include "common/err.h"

/*
 * The sockets ESP travels on: UDP (RFC 3948, normally port 4500) or raw
 * IP protocol 50. Both are non-blocking and close-on-exec and bound to the
 * tunnel's local address, so the kernel picks that source address and
 * delivers only what is addressed to it.
 */
int sock_open_udp(const struct ifs_addr *local, uint16_t port, int *fd_out) IFS_MUST_CHECK;
int sock_open_esp(const struct ifs_addr *local, int *fd_out) IFS_MUST_CHECK;

/* UDP: let the kernel hand over runs of datagrams of one size as one
 * buffer (UDP_GRO), the size in a control message (sock_udp_gro_size()).
 * False where the kernel cannot; datagrams then come one by one. */
bool sock_enable_udp_gro(int fd);
/* The datagram size of a coalesced receive, from its control messages;
 * 0 when the buffer is one datagram. */
size_t sock_udp_gro_size(const struct msghdr *mh);
/* Ask the kernel to cut one send into datagrams of `size` bytes (UDP
 * GSO), through a control message written into ctl (SOCK_UDP_GSO_CTL
 * bytes, aligned for a cmsghdr). */
#define SOCK_UDP_GSO_CTL CMSG_SPACE(sizeof(uint16_t))
void sock_set_udp_gso(struct msghdr *mh, void *ctl, uint16_t size);

/* A raw IPv4 socket hands over the IP header with each packet, an IPv6
 * one does not (RFC 3542 §3): where the ESP header starts in what a raw
 * ESP socket of this family received; false when the header is bad. */
bool sock_esp_payload_offset(int family, const uint8_t *buf, size_t len,
			     size_t *offset);

#endif
