/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef IFS_IFSECD_COUNTERS_H
#define IFS_IFSECD_COUNTERS_H

#include <stdint.h>
#include "ifsecd/tunnel.h"
#include "net/worker.h"

/*
 * The counters as text, one record per line of key=value pairs, written
 * to a file atomically (a temporary file renamed over it) when the daemon
 * gets SIGUSR1 and when it exits, until the control socket serves them:
 *
 *   generation=3
 *   global unknown_spi=0 malformed=0 keepalives=0 ike_handed_over=0 ...
 *   tunnel name=t1 interface=ipsec0 mtu=1438 drop_loop=0 drop_no_sa=0 ...
 *   sa tunnel=t1 dir=in spi=0x00001000 transform=aes128gcm16 packets=5 bytes=420 drop_replay=0 ...
 */
int counters_write(const char *path, uint64_t generation,
		   const struct tunnels *ts, const struct worker_stats *ws) IFS_MUST_CHECK;

#endif
