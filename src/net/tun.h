/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef IFS_NET_TUN_H
#define IFS_NET_TUN_H

#include <net/if.h>
#include "common/err.h"

/*
 * A layer-3 TUN device with offloads: each read() returns a struct
 * virtio_net_hdr and one IP packet, which may be a TCP segment of up to
 * 64 KB to cut (net/gso.h) or lack its transport checksum; each write()
 * takes a virtio_net_hdr and one IP packet. The device exists as long as
 * the descriptor is open; closing it removes the interface.
 */

/* Create the interface (it must not exist yet: a name already in use is
 * IFS_ERR_EXISTS) and return a non-blocking, close-on-exec descriptor. */
int tun_create(const char *ifname, int *fd_out) IFS_MUST_CHECK;
void tun_close(int fd);

#endif
