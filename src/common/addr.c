/* SPDX-License-Identifier: BSD-2-Clause */
#include "common/addr.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"

int addr_parse(const char *s, struct ifs_addr *out)
{
	memset(out, 0, sizeof(*out));
	if (inet_pton(AF_INET, s, &out->u.v4) == 1) {
		out->family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, &out->u.v6) == 1) {
		out->family = AF_INET6;
		return 0;
	}
	memset(out, 0, sizeof(*out));
	return IFS_ERR_SYNTAX;
}

size_t addr_len(const struct ifs_addr *a)
{
	switch (a->family) {
	case AF_INET: return 4;
	case AF_INET6: return 16;
	default: return 0;
	}
}

const uint8_t *addr_bytes(const struct ifs_addr *a)
{
	if (a->family == AF_INET)
		return (const uint8_t *)&a->u.v4;
	return (const uint8_t *)&a->u.v6;
}

int addr_from_bytes(struct ifs_addr *out, int family, const void *bytes)
{
	memset(out, 0, sizeof(*out));
	if (family == AF_INET)
		memcpy(&out->u.v4, bytes, 4);
	else if (family == AF_INET6)
		memcpy(&out->u.v6, bytes, 16);
	else
		return IFS_ERR_INVAL;
	out->family = (sa_family_t)family;
	return 0;
}

/* Bits of a beyond len are all zero? */
static bool host_bits_zero(const struct ifs_addr *a, unsigned len)
{
	const uint8_t *b = addr_bytes(a);
	size_t n = addr_len(a);

	for (size_t i = 0; i < n; i++) {
		unsigned first = (unsigned)i * 8;
		uint8_t mask;

		if (first + 8 <= len)
			continue;
		mask = first >= len ? 0xff : (uint8_t)(0xff >> (len - first));
		if (b[i] & mask)
			return false;
	}
	return true;
}

int prefix_parse(const char *s, bool is_strict, struct ifs_prefix *out)
{
	char buf[IFS_PREFIX_STRLEN + 8];
	const char *slash;
	unsigned long len;
	char *end;
	size_t n;

	memset(out, 0, sizeof(*out));
	n = strlen(s);
	if (n >= sizeof(buf))
		return IFS_ERR_SYNTAX;
	memcpy(buf, s, n + 1);
	slash = strchr(buf, '/');
	if (slash)
		buf[slash - buf] = '\0';
	if (addr_parse(buf, &out->addr) < 0)
		return IFS_ERR_SYNTAX;
	if (!slash) {
		out->len = (uint8_t)(addr_len(&out->addr) * 8);
		return 0;
	}
	if (slash[1] < '0' || slash[1] > '9')
		goto bad;
	len = strtoul(slash + 1, &end, 10);
	if (*end != '\0' || len > addr_len(&out->addr) * 8)
		goto bad;
	out->len = (uint8_t)len;
	if (is_strict && !host_bits_zero(&out->addr, out->len))
		goto bad;
	return 0;
bad:
	memset(out, 0, sizeof(*out));
	return IFS_ERR_SYNTAX;
}

bool addr_eq(const struct ifs_addr *a, const struct ifs_addr *b)
{
	return a->family == b->family &&
	       memcmp(addr_bytes(a), addr_bytes(b), addr_len(a)) == 0;
}

bool addr_is_unspec(const struct ifs_addr *a)
{
	return a->family != AF_INET && a->family != AF_INET6;
}

/* Do a and b agree on their first len bits? */
static bool same_bits(const struct ifs_addr *a, const struct ifs_addr *b,
		      unsigned len)
{
	const uint8_t *x = addr_bytes(a), *y = addr_bytes(b);
	unsigned full = len / 8, rest = len % 8;

	if (memcmp(x, y, full) != 0)
		return false;
	if (rest == 0)
		return true;
	uint8_t mask = (uint8_t)(0xff << (8 - rest));
	return (x[full] & mask) == (y[full] & mask);
}

bool prefix_contains(const struct ifs_prefix *p, const struct ifs_addr *a)
{
	if (p->addr.family != a->family)
		return false;
	return same_bits(&p->addr, a, p->len);
}

bool prefix_overlaps(const struct ifs_prefix *a, const struct ifs_prefix *b)
{
	if (a->addr.family != b->addr.family)
		return false;
	return same_bits(&a->addr, &b->addr, a->len < b->len ? a->len : b->len);
}

const char *addr_str(const struct ifs_addr *a, char buf[IFS_ADDR_STRLEN])
{
	if (addr_is_unspec(a) ||
	    !inet_ntop(a->family, addr_bytes(a), buf, IFS_ADDR_STRLEN))
		snprintf(buf, IFS_ADDR_STRLEN, "%%any");
	return buf;
}

const char *prefix_str(const struct ifs_prefix *p, char buf[IFS_PREFIX_STRLEN])
{
	char a[IFS_ADDR_STRLEN];

	snprintf(buf, IFS_PREFIX_STRLEN, "%s/%u", addr_str(&p->addr, a),
		 (unsigned)p->len);
	return buf;
}

void addr_to_sockaddr(const struct ifs_addr *a, uint16_t port,
		      struct sockaddr_storage *ss, socklen_t *len)
{
	memset(ss, 0, sizeof(*ss));
	if (a->family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		sin->sin_addr = a->u.v4;
		*len = sizeof(*sin);
	} else if (a->family == AF_INET6) {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		sin6->sin6_addr = a->u.v6;
		*len = sizeof(*sin6);
	} else {
		*len = 0;
	}
}

int addr_from_sockaddr(const struct sockaddr *sa, socklen_t len,
		       struct ifs_addr *out, uint16_t *port)
{
	memset(out, 0, sizeof(*out));
	*port = 0;
	if (len < (socklen_t)sizeof(sa->sa_family))
		return IFS_ERR_INVAL;
	if (sa->sa_family == AF_INET && len >= (socklen_t)sizeof(struct sockaddr_in)) {
		const struct sockaddr_in *sin = (const struct sockaddr_in *)sa;

		out->family = AF_INET;
		out->u.v4 = sin->sin_addr;
		*port = ntohs(sin->sin_port);
		return 0;
	}
	if (sa->sa_family == AF_INET6 &&
	    len >= (socklen_t)sizeof(struct sockaddr_in6)) {
		const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)sa;

		out->family = AF_INET6;
		out->u.v6 = sin6->sin6_addr;
		*port = ntohs(sin6->sin6_port);
		return 0;
	}
	return IFS_ERR_INVAL;
}
