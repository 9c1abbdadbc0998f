/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Identities (RFC 7296 §3.5) in strongSwan's configuration syntax, their
 * matching against what a peer sends, and their printable form.
 *
 * The parse follows the rules of strongSwan's identity parsing: an
 * explicit "type:" prefix first; then '=' means a distinguished name;
 * then, without '@', the %any spellings, an IPv4 address or an FQDN, and
 * with ':' an IPv6 address or (failing that) a key id; with '@', "@#hex"
 * is a key id, "@@x" an RFC 822 address "x", "@x" an FQDN "x", and any
 * other string with '@' an RFC 822 address.
 */
#include "ike/id.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ike/ike_wire.h"

static void why_set(char *why, size_t why_len, const char *fmt, ...)
	IFS_PRINTF(3, 4);

static void why_set(char *why, size_t why_len, const char *fmt, ...)
{
	va_list ap;

	if (!why || why_len == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(why, why_len, fmt, ap);
	va_end(ap);
}

static int hex_val(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Pairs of hex digits, optionally separated by ':' between bytes. */
static int hex_decode(const char *s, uint8_t *out, size_t max, size_t *n_out)
{
	size_t n = 0;

	*n_out = 0;
	while (*s) {
		int hi, lo;

		if (n > 0 && *s == ':')
			s++;
		hi = hex_val(s[0]);
		lo = hi < 0 ? -1 : hex_val(s[1]);
		if (hi < 0 || lo < 0)
			return IFS_ERR_SYNTAX;
		if (n >= max)
			return IFS_ERR_RANGE;
		out[n++] = (uint8_t)(hi << 4 | lo);
		s += 2;
	}
	*n_out = n;
	return 0;
}

static int set_bytes(struct ike_id *out, uint8_t type, const void *data,
		     size_t len, char *why, size_t why_len)
{
	if (len > IKE_ID_MAX) {
		why_set(why, why_len, "longer than %d bytes", IKE_ID_MAX);
		return IFS_ERR_RANGE;
	}
	out->type = type;
	out->len = (uint16_t)len;
	memcpy(out->data, data, len);
	return 0;
}

/* FQDN and RFC 822 names: text, not empty, no control characters. */
static int set_name(struct ike_id *out, uint8_t type, const char *s,
		    char *why, size_t why_len)
{
	size_t len = strlen(s);
	int rc;

	if (len == 0) {
		why_set(why, why_len, "the name is empty");
		return IFS_ERR_INVAL;
	}
	for (size_t i = 0; i < len; i++) {
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) {
			why_set(why, why_len, "the name holds a control character");
			return IFS_ERR_INVAL;
		}
	}
	rc = set_bytes(out, type, s, len, why, why_len);
	if (rc == 0)
		out->has_wildcard = strchr(s, '*') != NULL;
	return rc;
}

static int set_hex(struct ike_id *out, uint8_t type, const char *hex,
		   char *why, size_t why_len)
{
	uint8_t buf[IKE_ID_MAX];
	size_t n;
	int rc = hex_decode(hex, buf, sizeof(buf), &n);

	if (rc == IFS_ERR_RANGE) {
		why_set(why, why_len, "longer than %d bytes", IKE_ID_MAX);
		return rc;
	}
	if (rc < 0 || n == 0) {
		why_set(why, why_len, "not hexadecimal after '#' (pairs of "
			"digits 0-9a-f)");
		return IFS_ERR_SYNTAX;
	}
	rc = set_bytes(out, type, buf, n, why, why_len);
	if (rc == 0 && (type == IKE_ID_FQDN || type == IKE_ID_RFC822_ADDR))
		out->has_wildcard = memchr(buf, '*', n) != NULL;
	return rc;
}

static int set_addr(struct ike_id *out, int family, const char *s,
		    char *why, size_t why_len)
{
	struct ifs_addr a;

	if (addr_parse(s, &a) < 0 || a.family != family) {
		why_set(why, why_len, "not a literal %s address",
			family == AF_INET ? "IPv4" : "IPv6");
		return IFS_ERR_SYNTAX;
	}
	ike_id_from_addr(&a, out);
	return 0;
}

/* "ipv4:", "fqdn:", ...: the type named, the value as text, or as hex
 * bytes after '#'. 1 when s has no known prefix. */
static const struct {
	const char *prefix;
	uint8_t type;
} prefixes[] = {
	{ "ipv4:", IKE_ID_IPV4_ADDR },
	{ "ipv6:", IKE_ID_IPV6_ADDR },
	{ "fqdn:", IKE_ID_FQDN },
	{ "dns:", IKE_ID_FQDN },
	{ "rfc822:", IKE_ID_RFC822_ADDR },
	{ "email:", IKE_ID_RFC822_ADDR },
	{ "userfqdn:", IKE_ID_RFC822_ADDR },
	{ "keyid:", IKE_ID_KEY_ID },
	{ "asn1dn:", IKE_ID_DER_ASN1_DN },
	{ "asn1gn:", IKE_ID_DER_ASN1_GN },
};

/* strongSwan's prefixes for identity types ifsec does not have. */
static const char *const unsupported_prefixes[] = {
	"ipv4net:", "ipv6net:", "ipv4range:", "ipv6range:",
};

static int parse_typed(const char *s, struct ike_id *out, char *why,
		       size_t why_len)
{
	for (size_t i = 0; i < IFS_ARRAY_LEN(prefixes); i++) {
		size_t n = strlen(prefixes[i].prefix);
		const char *v = s + n;
		uint8_t t = prefixes[i].type;
		int rc;

		if (strncmp(s, prefixes[i].prefix, n) != 0)
			continue;
		if (v[0] == '\0') {
			why_set(why, why_len, "nothing after '%s' (hex bytes are "
				"written \"%s#hex\" in quotes: '#' starts a "
				"comment)", prefixes[i].prefix, prefixes[i].prefix);
			return IFS_ERR_SYNTAX;
		}
		if (v[0] == '#')
			rc = set_hex(out, t, v + 1, why, why_len);
		else if (t == IKE_ID_IPV4_ADDR || t == IKE_ID_IPV6_ADDR)
			return set_addr(out, t == IKE_ID_IPV4_ADDR ? AF_INET :
					AF_INET6, v, why, why_len);
		else if (t == IKE_ID_FQDN || t == IKE_ID_RFC822_ADDR)
			return set_name(out, t, v, why, why_len);
		else if (t == IKE_ID_KEY_ID)
			return set_bytes(out, t, v, strlen(v), why, why_len);
		else {
			why_set(why, why_len, "%s needs hexadecimal bytes after "
				"'#'", prefixes[i].prefix);
			return IFS_ERR_SYNTAX;
		}
		if (rc == 0 && ((t == IKE_ID_IPV4_ADDR && out->len != 4) ||
				(t == IKE_ID_IPV6_ADDR && out->len != 16))) {
			why_set(why, why_len, "an %s address is %d bytes",
				t == IKE_ID_IPV4_ADDR ? "IPv4" : "IPv6",
				t == IKE_ID_IPV4_ADDR ? 4 : 16);
			rc = IFS_ERR_INVAL;
		}
		return rc;
	}
	return 1;
}

static bool is_any_spelling(const char *s)
{
	static const char *const any[] = {
		"", "%any", "%any6", "0.0.0.0", "*", "::", "0::0",
	};

	for (size_t i = 0; i < IFS_ARRAY_LEN(any); i++)
		if (strcmp(s, any[i]) == 0)
			return true;
	return false;
}

/* "192.0.2.1-192.0.2.9": strongSwan's address range identity. */
static bool is_range(const char *s)
{
	const char *dash = strchr(s, '-');
	char first[IFS_ADDR_STRLEN];
	struct ifs_addr a;
	size_t n;

	if (!dash)
		return false;
	n = (size_t)(dash - s);
	if (n >= sizeof(first))
		return false;
	memcpy(first, s, n);
	first[n] = '\0';
	return addr_parse(first, &a) == 0 && addr_parse(dash + 1, &a) == 0;
}

/* No '@' and no '=': %any, an address, or a name. */
static int parse_plain(const char *s, struct ike_id *out, char *why,
		       size_t why_len)
{
	struct ifs_prefix p;

	if (is_any_spelling(s))
		return 0;
	if ((prefix_parse(s, false, &p) == 0 && strchr(s, '/')) ||
	    is_range(s)) {
		why_set(why, why_len, "subnets and ranges as identities are "
			"not supported");
		return IFS_ERR_UNSUPPORTED;
	}
	if (!strchr(s, ':')) {
		if (addr_parse(s, &p.addr) == 0)
			ike_id_from_addr(&p.addr, out);
		else
			return set_name(out, IKE_ID_FQDN, s, why, why_len);
		return 0;
	}
	if (addr_parse(s, &p.addr) == 0) {
		ike_id_from_addr(&p.addr, out);
		return 0;
	}
	/* strongSwan falls back to a key id for what is not IPv6. */
	return set_bytes(out, IKE_ID_KEY_ID, s, strlen(s), why, why_len);
}

int ike_id_parse(const char *s, struct ike_id *out, char *why, size_t why_len)
{
	int rc;

	memset(out, 0, sizeof(*out));
	if (why && why_len)
		why[0] = '\0';
	rc = parse_typed(s, out, why, why_len);
	if (rc <= 0)
		goto done;
	for (size_t i = 0; i < IFS_ARRAY_LEN(unsupported_prefixes); i++) {
		if (strncmp(s, unsupported_prefixes[i],
			    strlen(unsupported_prefixes[i])) == 0) {
			why_set(why, why_len, "subnets and ranges as identities "
				"are not supported");
			rc = IFS_ERR_UNSUPPORTED;
			goto done;
		}
	}
	if (s[0] == '%' && !is_any_spelling(s)) {
		/* strongSwan would take "%an" as an FQDN: a typo of %any. */
		why_set(why, why_len, "%%any is the only value starting with "
			"'%%'");
		rc = IFS_ERR_INVAL;
	} else if (strchr(s, '=')) {
		why_set(why, why_len, "distinguished names are not supported "
			"yet (asn1dn:#hex gives the DER bytes)");
		rc = IFS_ERR_UNSUPPORTED;
	} else if (!strchr(s, '@')) {
		rc = parse_plain(s, out, why, why_len);
	} else if (strncmp(s, "@#", 2) == 0) {
		rc = set_hex(out, IKE_ID_KEY_ID, s + 2, why, why_len);
	} else if (strncmp(s, "@@", 2) == 0) {
		rc = set_name(out, IKE_ID_RFC822_ADDR, s + 2, why, why_len);
	} else if (strcmp(s, "@") == 0) {
		/* What is left of an unquoted @#hex in a configuration file. */
		why_set(why, why_len, "the name after '@' is empty (a key id is "
			"written \"@#hex\" in quotes: '#' starts a comment)");
		rc = IFS_ERR_INVAL;
	} else if (s[0] == '@') {
		rc = set_name(out, IKE_ID_FQDN, s + 1, why, why_len);
	} else {
		rc = set_name(out, IKE_ID_RFC822_ADDR, s, why, why_len);
	}
done:
	if (rc < 0)
		memset(out, 0, sizeof(*out));
	return rc;
}

void ike_id_from_addr(const struct ifs_addr *a, struct ike_id *out)
{
	memset(out, 0, sizeof(*out));
	if (a->family == AF_INET)
		out->type = IKE_ID_IPV4_ADDR;
	else if (a->family == AF_INET6)
		out->type = IKE_ID_IPV6_ADDR;
	else
		return;
	out->len = (uint16_t)addr_len(a);
	memcpy(out->data, addr_bytes(a), out->len);
}

bool ike_id_is_any(const struct ike_id *id)
{
	return id->type == 0;
}

static bool is_name_type(uint8_t type)
{
	return type == IKE_ID_FQDN || type == IKE_ID_RFC822_ADDR;
}

static bool eq_nocase(const uint8_t *a, const uint8_t *b, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (tolower(a[i]) != tolower(b[i]))
			return false;
	return true;
}

/* '*' in p matches any run of bytes of s (none included); the rest
 * compares without case. The last '*' seen is where a mismatch resumes:
 * at most len(p) * len(s) steps. */
static bool glob_nocase(const uint8_t *p, size_t pn, const uint8_t *s, size_t sn)
{
	size_t pi = 0, si = 0, star = SIZE_MAX, resume = 0;

	while (si < sn) {
		if (pi < pn && p[pi] == '*') {
			star = pi++;
			resume = si;
		} else if (pi < pn && tolower(p[pi]) == tolower(s[si])) {
			pi++;
			si++;
		} else if (star != SIZE_MAX) {
			pi = star + 1;
			si = ++resume;
		} else {
			return false;
		}
	}
	while (pi < pn && p[pi] == '*')
		pi++;
	return pi == pn;
}

bool ike_id_matches(const struct ike_id *pattern, uint8_t type,
		    const uint8_t *data, size_t len)
{
	if (pattern->type == 0)
		return true;
	if (pattern->type != type || (len > 0 && !data))
		return false;
	if (!is_name_type(type))
		return pattern->len == len && memcmp(pattern->data, data, len) == 0;
	if (pattern->has_wildcard)
		return glob_nocase(pattern->data, pattern->len, data, len);
	return pattern->len == len && eq_nocase(pattern->data, data, len);
}

bool ike_id_equal(const struct ike_id *a, const struct ike_id *b)
{
	if (a->type != b->type || a->len != b->len)
		return false;
	if (is_name_type(a->type))
		return eq_nocase(a->data, b->data, a->len);
	return memcmp(a->data, b->data, a->len) == 0;
}

/* ---- printing ---- */

struct out {
	char *buf;
	size_t len;
	size_t pos;
};

static void out_add(struct out *o, const char *fmt, ...) IFS_PRINTF(2, 3);

static void out_add(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int w;

	if (o->pos >= o->len)
		return;
	va_start(ap, fmt);
	w = vsnprintf(o->buf + o->pos, o->len - o->pos, fmt, ap);
	va_end(ap);
	if (w < 0 || (size_t)w >= o->len - o->pos) {
		/* Truncated: drop the partial piece, and nothing more fits. */
		o->buf[o->pos] = '\0';
		o->pos = o->len;
	} else {
		o->pos += (size_t)w;
	}
}

/* Printable ASCII as is (a backslash doubled), anything else \xNN. */
static void out_text(struct out *o, const uint8_t *data, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (data[i] == '\\')
			out_add(o, "\\\\");
		else if (data[i] >= 0x20 && data[i] < 0x7f)
			out_add(o, "%c", data[i]);
		else
			out_add(o, "\\x%02x", data[i]);
	}
}

static void out_hex(struct out *o, const uint8_t *data, size_t len)
{
	for (size_t i = 0; i < len; i++)
		out_add(o, "%02x", data[i]);
}

const char *ike_id_str(uint8_t type, const uint8_t *data, size_t len,
		       char *buf, size_t buf_len)
{
	struct out o = { .buf = buf, .len = buf_len, .pos = 0 };
	char a[INET6_ADDRSTRLEN];

	if (!buf || buf_len == 0)
		return "";
	buf[0] = '\0';
	if (len > 0 && !data)
		len = 0;
	if (type == 0) {
		out_add(&o, "%%any");
	} else if ((type == IKE_ID_IPV4_ADDR && len == 4) ||
		   (type == IKE_ID_IPV6_ADDR && len == 16)) {
		inet_ntop(type == IKE_ID_IPV4_ADDR ? AF_INET : AF_INET6, data,
			  a, sizeof(a));
		out_add(&o, "%s", a);
	} else if (is_name_type(type)) {
		out_text(&o, data, len);
	} else if (type == IKE_ID_KEY_ID) {
		out_add(&o, "@#");
		out_hex(&o, data, len);
	} else {
		out_add(&o, "type %u, %zu bytes", type, len);
	}
	return buf;
}
