/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef IFS_IKE_ID_H
#define IFS_IKE_ID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "common/addr.h"
#include "common/err.h"

/*
 * Identities (RFC 7296 §3.5) as configured, in strongSwan's syntax, and
 * matched against what a peer sends.
 *
 * Syntax (as strongSwan's identification_create_from_string):
 *   %any, or an empty string          matches any identity (type 0)
 *   192.0.2.1 / 2001:db8::1           ID_IPV4_ADDR / ID_IPV6_ADDR
 *   user@example.com                  ID_RFC822_ADDR (contains '@' not first)
 *   @example.com                      ID_FQDN "example.com" (the '@' dropped)
 *   example.com                       ID_FQDN
 *   @#0a0b0c                          ID_KEY_ID with these bytes (hex)
 *   ipv4:…, ipv6:…, fqdn:…, rfc822:…, email:…, keyid:…, keyid:#hex
 *                                     the type given explicitly
 * Wildcards: an FQDN or RFC822 pattern may contain '*', which matches any
 * run of characters (strongSwan: "*@example.com", "*.example.com");
 * %any matches everything.
 */

#define IKE_ID_MAX 255

struct ike_id {
	uint8_t type;                /* enum ike_id_type; 0 = %any */
	bool has_wildcard;
	uint16_t len;
	uint8_t data[IKE_ID_MAX];
};

int ike_id_parse(const char *s, struct ike_id *out, char *why, size_t why_len) IFS_MUST_CHECK;
/* An address identity (IPv4 or IPv6) for an address: the default local id. */
void ike_id_from_addr(const struct ifs_addr *a, struct ike_id *out);
bool ike_id_is_any(const struct ike_id *id);
/* Does the identity the peer sent (type, data) match the pattern? Exact
 * bytes for addresses and key ids; FQDN and RFC822 compared as strongSwan
 * does (without regard to case, '*' wildcards anywhere in the pattern). */
bool ike_id_matches(const struct ike_id *pattern, uint8_t type,
		    const uint8_t *data, size_t len);
bool ike_id_equal(const struct ike_id *a, const struct ike_id *b);
/* Printable form for logs, bounded, with unprintable bytes escaped, e.g.
 * "192.0.2.1", "fqdn:gw.example.com" is written as "gw.example.com",
 * keyid as "@#0a0b"; unknown types as "type 9, 12 bytes". */
const char *ike_id_str(uint8_t type, const uint8_t *data, size_t len,
		       char *buf, size_t buf_len);

#endif
