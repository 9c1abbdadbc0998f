/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef IFS_NET_IP_HDR_H
#define IFS_NET_IP_HDR_H

#include <stdint.h>

/*
 * Fixed-offset access to IPv4, IPv6 and TCP headers of inner packets, for
 * the code that cuts and joins TCP segments (gso.c, gro.c) once it has
 * checked that the headers are there. Big-endian, as on the wire.
 */

#define IPV4_HDR_MIN 20
#define IPV6_HDR_LEN 40
#define TCP_HDR_MIN 20
#define PROTO_TCP 6
#define TCP_FIN 0x01
#define TCP_PSH 0x08
#define TCP_ACK 0x10
#define TCP_CWR 0x80
#define TCP_CSUM_OFFSET 16

static inline uint16_t ip_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline void ip_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline uint32_t ip_get32(const uint8_t *p)
{
	return (uint32_t)ip_get16(p) << 16 | ip_get16(p + 2);
}

static inline void ip_put32(uint8_t *p, uint32_t v)
{
	ip_put16(p, (uint16_t)(v >> 16));
	ip_put16(p + 2, (uint16_t)v);
}

#endif
