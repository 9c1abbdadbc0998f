/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef IFS_COMMON_ADDR_H
#define IFS_COMMON_ADDR_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

/* An IPv4 or IPv6 address, without port. family is AF_INET or AF_INET6,
 * or AF_UNSPEC for "none". */
struct ifs_addr {
	sa_family_t family;
	union {
		struct in_addr v4;
		struct in6_addr v6;
	} u;
};

/* An address with a prefix length, as in 203.0.113.0/26. */
struct ifs_prefix {
	struct ifs_addr addr;
	uint8_t len;
};

#define IFS_ADDR_STRLEN 46     /* INET6_ADDRSTRLEN */
#define IFS_PREFIX_STRLEN 50

/* Parse a literal address (no names are resolved). */
int addr_parse(const char *s, struct ifs_addr *out);
/* Parse "addr/len"; without "/len" the prefix is a host prefix. When
 * is_strict, bits beyond len must be zero (a route), otherwise they may
 * be set (an interface address such as 198.51.100.1/30). */
int prefix_parse(const char *s, bool is_strict, struct ifs_prefix *out);

bool addr_eq(const struct ifs_addr *a, const struct ifs_addr *b);
bool addr_is_unspec(const struct ifs_addr *a);
size_t addr_len(const struct ifs_addr *a);      /* 4, 16 or 0 */
const uint8_t *addr_bytes(const struct ifs_addr *a);
int addr_from_bytes(struct ifs_addr *out, int family, const void *bytes);
bool prefix_contains(const struct ifs_prefix *p, const struct ifs_addr *a);
/* Do the two prefixes share any address? */
bool prefix_overlaps(const struct ifs_prefix *a, const struct ifs_prefix *b);

const char *addr_str(const struct ifs_addr *a, char buf[IFS_ADDR_STRLEN]);
const char *prefix_str(const struct ifs_prefix *p, char buf[IFS_PREFIX_STRLEN]);

/* Conversions to and from socket addresses; the port is in host order. */
void addr_to_sockaddr(const struct ifs_addr *a, uint16_t port,
		      struct sockaddr_storage *ss, socklen_t *len);
int addr_from_sockaddr(const struct sockaddr *sa, socklen_t len,
		       struct ifs_addr *out, uint16_t *port);

#endif
