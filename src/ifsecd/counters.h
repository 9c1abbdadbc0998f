/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef IFS_IFSECD_COUNTERS_H
#define IFS_IFSECD_COUNTERS_H

#include <stdint.h>
#include "ifsecd/tunnel.h"
#include "ike/ike.h"
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
 *   ike rx=12 rx_dropped=0 ... cookies_sent=0 half_open=0 established=1 ...
 *   ike_sa tunnel=t2 state=ESTABLISHED spi_i=... spi_r=...
 *
 * The ike lines are there when the engine runs (e not NULL); a negotiated
 * tunnel's sa lines show its current Child SA (SPI 0 when there is none).
 */
int counters_write(const char *path, uint64_t generation, const struct tunnels *ts,
		   const struct worker_stats *ws, const struct ike_engine *e) IFS_MUST_CHECK;

#endif
