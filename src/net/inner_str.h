/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef IFS_NET_INNER_STR_H
#define IFS_NET_INNER_STR_H

#include <stddef.h>
#include <stdint.h>

/* Big enough for two IPv6 addresses, a protocol and an ICMP type. */
#define INNER_STRLEN 128

/*
 * What an inner packet (IPv4 or IPv6, from the tunnel interface) is, for
 * a log line: "198.51.100.1 -> 203.0.113.65 icmp type 8", "fe80::1 ->
 * ff02::2 ipv6-icmp type 133", "192.0.2.1 -> 192.0.2.9 proto 6". Reads
 * only the len bytes of d it has; a packet too short to say says so.
 */
const char *inner_str(const uint8_t *d, size_t len, char buf[INNER_STRLEN]);

#endif
