/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef IFS_NET_TUN_H
#define IFS_NET_TUN_H

#include <net/if.h>
#include "common/err.h"

/*
 * A layer-3 TUN device: each read() returns one IP packet, each write()
 * takes one (no packet-information header). The device exists as long as
 * the descriptor is open; closing it removes the interface.
 */

/* Create the interface (it must not exist yet: a name already in use is
 * IFS_ERR_EXISTS) and return a non-blocking, close-on-exec descriptor. */
int tun_create(const char *ifname, int *fd_out) IFS_MUST_CHECK;
void tun_close(int fd);

#endif
