/* SPDX-License-Identifier: BSD-2-Clause */
#include "net/inner_str.h"

#include <stdbool.h>
#include <stdio.h>
#include <sys/socket.h>

#include "common/addr.h"

#define IPV4_HDR_MIN 20
#define IPV6_HDR_LEN 40
#define IPV6_HOP_BY_HOP 0
#define PROTO_ICMP 1
#define PROTO_ICMPV6 58

static const char *proto_name(uint8_t proto)
{
	switch (proto) {
	case PROTO_ICMP:
		return "icmp";
	case PROTO_ICMPV6:
		return "ipv6-icmp";
	case 6:
		return "tcp";
	case 17:
		return "udp";
	default:
		return NULL;
	}
}

static const char *describe(int family, const uint8_t *src, const uint8_t *dst, uint8_t proto,
			    const uint8_t *l4, size_t l4_len, char buf[INNER_STRLEN])
{
	struct ifs_addr s, d;
	char ss[IFS_ADDR_STRLEN], ds[IFS_ADDR_STRLEN], what[32];
	const char *name = proto_name(proto);

	if (addr_from_bytes(&s, family, src) != 0 || addr_from_bytes(&d, family, dst) != 0) {
		snprintf(buf, INNER_STRLEN, "an unreadable packet");
		return buf;
	}
	if ((proto == PROTO_ICMP || proto == PROTO_ICMPV6) && l4_len >= 1)
		snprintf(what, sizeof(what), "%s type %u", name, l4[0]);
	else if (name)
		snprintf(what, sizeof(what), "%s", name);
	else
		snprintf(what, sizeof(what), "proto %u", proto);
	snprintf(buf, INNER_STRLEN, "%s -> %s %s", addr_str(&s, ss), addr_str(&d, ds), what);
	return buf;
}

const char *inner_str(const uint8_t *d, size_t len, char buf[INNER_STRLEN])
{
	if (len >= IPV4_HDR_MIN && d[0] >> 4 == 4) {
		size_t ihl = (size_t)(d[0] & 0x0f) * 4;
		bool has_l4 = ihl >= IPV4_HDR_MIN && len > ihl;

		return describe(AF_INET, d + 12, d + 16, d[9], has_l4 ? d + ihl : d,
				has_l4 ? len - ihl : 0, buf);
	}
	if (len >= IPV6_HDR_LEN && d[0] >> 4 == 6) {
		size_t off = IPV6_HDR_LEN;
		uint8_t proto = d[6];

		/* one hop-by-hop options header (MLD's router alert) */
		if (proto == IPV6_HOP_BY_HOP && len >= off + 2) {
			proto = d[off];
			off += ((size_t)d[off + 1] + 1) * 8;
		}
		return describe(AF_INET6, d + 8, d + 24, proto, off < len ? d + off : d,
				off < len ? len - off : 0, buf);
	}
	snprintf(buf, INNER_STRLEN, "a %zu-byte packet without an IPv4 or IPv6 header", len);
	return buf;
}
