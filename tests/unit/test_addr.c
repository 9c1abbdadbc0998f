/* SPDX-License-Identifier: BSD-2-Clause */
/* Addresses and prefixes: literal parsing and its rejects, strict and
 * loose prefixes, containment and overlap at the edges, text round trips
 * and socket address conversions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <arpa/inet.h>

#include "common/addr.h"
#include "common/err.h"

static struct ifs_addr A(const char *s)
{
	struct ifs_addr a;

	assert_int_equal(addr_parse(s, &a), 0);
	return a;
}

static struct ifs_prefix P(const char *s)
{
	struct ifs_prefix p;

	assert_int_equal(prefix_parse(s, false, &p), 0);
	return p;
}

static void assert_addr_zero(const struct ifs_addr *a)
{
	static const struct ifs_addr zero;

	assert_memory_equal(a, &zero, sizeof(zero));
}

static void assert_prefix_zero(const struct ifs_prefix *p)
{
	static const struct ifs_prefix zero;

	assert_memory_equal(p, &zero, sizeof(zero));
}

/* ---- addr_parse ---- */

static void test_addr_parse_v4(void **state)
{
	static const uint8_t want[] = { 192, 0, 2, 1 };
	struct ifs_addr a;

	assert_int_equal(addr_parse("192.0.2.1", &a), 0);
	assert_int_equal(a.family, AF_INET);
	assert_int_equal(addr_len(&a), 4);
	assert_memory_equal(addr_bytes(&a), want, 4);
	assert_false(addr_is_unspec(&a));

	assert_int_equal(addr_parse("0.0.0.0", &a), 0);
	assert_int_equal(a.family, AF_INET);
	assert_int_equal(addr_parse("255.255.255.255", &a), 0);
	assert_int_equal(a.u.v4.s_addr, 0xffffffff);
}

static void test_addr_parse_v6(void **state)
{
	static const uint8_t want[16] = {
		0x20, 0x01, 0x0d, 0xb8, [15] = 0x01,
	};
	static const uint8_t mapped[16] = {
		[10] = 0xff, [11] = 0xff, 192, 0, 2, 1,
	};
	struct ifs_addr a;

	assert_int_equal(addr_parse("2001:db8::1", &a), 0);
	assert_int_equal(a.family, AF_INET6);
	assert_int_equal(addr_len(&a), 16);
	assert_memory_equal(addr_bytes(&a), want, 16);

	assert_int_equal(addr_parse("2001:DB8:0:0:0:0:0:1", &a), 0);
	assert_memory_equal(addr_bytes(&a), want, 16);

	assert_int_equal(addr_parse("::", &a), 0);
	assert_int_equal(a.family, AF_INET6);
	assert_int_equal(addr_parse("::1", &a), 0);
	assert_int_equal(a.family, AF_INET6);

	/* A v4-mapped literal stays an IPv6 address. */
	assert_int_equal(addr_parse("::ffff:192.0.2.1", &a), 0);
	assert_int_equal(a.family, AF_INET6);
	assert_memory_equal(addr_bytes(&a), mapped, 16);
}

static void test_addr_parse_rejects(void **state)
{
	static const char *const bad[] = {
		"", " ", "localhost", "example.com", "any", "%any",
		"1.2.3.4/24", "1.2.3.4 ", " 1.2.3.4", "1.2.3.4x", "1.2.3.4.",
		"1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.-1", "0x01020304",
		"2001:db8::1/64", "2001:db8::1x", "2001:db8:::1", ":::",
		"2001:db8::g", "1:2:3:4:5:6:7:8:9", "fe80::1%lo", "[::1]",
		"1.2.3.4:500",
	};
	struct ifs_addr a;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&a, 0xa5, sizeof(a));
		if (addr_parse(bad[i], &a) != IFS_ERR_SYNTAX)
			fail_msg("accepted \"%s\"", bad[i]);
		assert_addr_zero(&a);
		assert_true(addr_is_unspec(&a));
	}
}

/* ---- prefix_parse ---- */

static void test_prefix_parse_lengths(void **state)
{
	struct ifs_prefix p;

	assert_int_equal(prefix_parse("0.0.0.0/0", true, &p), 0);
	assert_int_equal(p.len, 0);
	assert_int_equal(prefix_parse("192.0.2.1/32", true, &p), 0);
	assert_int_equal(p.len, 32);
	assert_int_equal(prefix_parse("::/0", true, &p), 0);
	assert_int_equal(p.len, 0);
	assert_int_equal(p.addr.family, AF_INET6);
	assert_int_equal(prefix_parse("2001:db8::1/128", true, &p), 0);
	assert_int_equal(p.len, 128);
	assert_int_equal(prefix_parse("10.0.0.0/8", true, &p), 0);
	assert_int_equal(p.len, 8);
	assert_int_equal(p.addr.family, AF_INET);

	/* A v4 length above 32 is refused even though it fits a v6. */
	memset(&p, 0xa5, sizeof(p));
	assert_int_equal(prefix_parse("192.0.2.0/33", false, &p),
			 IFS_ERR_SYNTAX);
	assert_prefix_zero(&p);
	memset(&p, 0xa5, sizeof(p));
	assert_int_equal(prefix_parse("2001:db8::/129", false, &p),
			 IFS_ERR_SYNTAX);
	assert_prefix_zero(&p);
	assert_int_equal(prefix_parse("2001:db8::/256", false, &p),
			 IFS_ERR_SYNTAX);
	assert_int_equal(prefix_parse("2001:db8::/99999999999999999999999",
				      false, &p), IFS_ERR_SYNTAX);
}

static void test_prefix_parse_missing_len(void **state)
{
	struct ifs_prefix p;

	/* Without "/len" the prefix is a host prefix. */
	assert_int_equal(prefix_parse("192.0.2.7", true, &p), 0);
	assert_int_equal(p.len, 32);
	assert_int_equal(p.addr.family, AF_INET);
	assert_int_equal(prefix_parse("2001:db8::7", true, &p), 0);
	assert_int_equal(p.len, 128);
}

static void test_prefix_parse_strict(void **state)
{
	struct ifs_prefix p;
	struct ifs_addr a = A("198.51.100.1");

	/* Host bits set: a route refuses it, an interface address keeps
	 * the address as written. */
	memset(&p, 0xa5, sizeof(p));
	assert_int_equal(prefix_parse("198.51.100.1/30", true, &p),
			 IFS_ERR_SYNTAX);
	assert_prefix_zero(&p);
	assert_int_equal(prefix_parse("198.51.100.1/30", false, &p), 0);
	assert_int_equal(p.len, 30);
	assert_true(addr_eq(&p.addr, &a));

	/* Host bits zero at every kind of boundary. */
	assert_int_equal(prefix_parse("198.51.100.0/30", true, &p), 0);
	assert_int_equal(prefix_parse("198.51.100.4/30", true, &p), 0);
	assert_int_equal(prefix_parse("198.51.100.128/25", true, &p), 0);
	assert_int_equal(prefix_parse("198.51.100.64/25", true, &p),
			 IFS_ERR_SYNTAX);
	assert_int_equal(prefix_parse("198.51.0.0/16", true, &p), 0);
	assert_int_equal(prefix_parse("198.51.0.1/16", true, &p),
			 IFS_ERR_SYNTAX);
	assert_int_equal(prefix_parse("198.51.1.0/16", true, &p),
			 IFS_ERR_SYNTAX);
	assert_int_equal(prefix_parse("128.0.0.0/1", true, &p), 0);
	assert_int_equal(prefix_parse("192.0.0.0/1", true, &p),
			 IFS_ERR_SYNTAX);
	assert_int_equal(prefix_parse("0.0.0.1/0", true, &p),
			 IFS_ERR_SYNTAX);
	assert_int_equal(prefix_parse("0.0.0.1/0", false, &p), 0);
	assert_int_equal(prefix_parse("255.255.255.255/32", true, &p), 0);
	assert_int_equal(prefix_parse("255.255.255.254/31", true, &p), 0);
	assert_int_equal(prefix_parse("255.255.255.255/31", true, &p),
			 IFS_ERR_SYNTAX);

	assert_int_equal(prefix_parse("2001:db8::/32", true, &p), 0);
	assert_int_equal(prefix_parse("2001:db8::1/32", true, &p),
			 IFS_ERR_SYNTAX);
	assert_int_equal(prefix_parse("2001:db8::1/32", false, &p), 0);
	assert_int_equal(prefix_parse("2001:db8:8000::/33", true, &p), 0);
	assert_int_equal(prefix_parse("2001:db8:4000::/33", true, &p),
			 IFS_ERR_SYNTAX);
	assert_int_equal(prefix_parse("::1/127", true, &p), IFS_ERR_SYNTAX);
	assert_int_equal(prefix_parse("::2/127", true, &p), 0);
	assert_int_equal(prefix_parse("::1/0", true, &p), IFS_ERR_SYNTAX);
}

static void test_prefix_parse_junk(void **state)
{
	static const char *const bad[] = {
		"", "/", "/24", "192.0.2.0/", "192.0.2.0//24", "192.0.2.0/24/",
		"192.0.2.0/24/1", "192.0.2.0/ 24", "192.0.2.0/24 ",
		"192.0.2.0/+24", "192.0.2.0/-1", "192.0.2.0/0x10",
		"192.0.2.0/24x", "192.0.2.0 /24", "192.0.2/24", "host/24",
		"192.0.2.0/a", "2001:db8::/64/", "2001:db8::/ 64",
		"192.0.2.0/24\n",
		/* Longer than any valid prefix. */
		"2001:0db8:0000:0000:0000:0000:0000:0000/000000000000000000064",
	};
	struct ifs_prefix p;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		for (int strict = 0; strict <= 1; strict++) {
			memset(&p, 0xa5, sizeof(p));
			if (prefix_parse(bad[i], strict, &p) != IFS_ERR_SYNTAX)
				fail_msg("accepted \"%s\"", bad[i]);
			assert_prefix_zero(&p);
		}
	}
}

/* ---- addr_eq ---- */

static void test_addr_eq(void **state)
{
	struct ifs_addr a = A("192.0.2.1"), b = A("192.0.2.1");
	struct ifs_addr c = A("192.0.2.2"), d = A("::ffff:192.0.2.1");
	struct ifs_addr e = A("2001:db8::1"), f = A("2001:db8:0::1");
	struct ifs_addr g = A("2001:db8::2"), none = { 0 };

	assert_true(addr_eq(&a, &b));
	assert_false(addr_eq(&a, &c));
	/* Different families never compare equal, even v4-mapped. */
	assert_false(addr_eq(&a, &d));
	assert_false(addr_eq(&d, &a));
	assert_true(addr_eq(&e, &f));
	assert_false(addr_eq(&e, &g));
	assert_false(addr_eq(&a, &none));
	assert_false(addr_eq(&none, &e));
	assert_true(addr_eq(&none, &none));
}

static void test_addr_from_bytes(void **state)
{
	static const uint8_t v4[4] = { 203, 0, 113, 9 };
	static const uint8_t v6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 9 };
	struct ifs_addr a, want4 = A("203.0.113.9"), want6 = A("2001:db8::9");

	assert_int_equal(addr_from_bytes(&a, AF_INET, v4), 0);
	assert_true(addr_eq(&a, &want4));
	assert_int_equal(addr_from_bytes(&a, AF_INET6, v6), 0);
	assert_true(addr_eq(&a, &want6));
	memset(&a, 0xa5, sizeof(a));
	assert_int_equal(addr_from_bytes(&a, AF_UNSPEC, v6), IFS_ERR_INVAL);
	assert_addr_zero(&a);
	assert_int_equal(addr_len(&a), 0);
}

/* ---- prefix_contains ---- */

static void test_prefix_contains(void **state)
{
	struct ifs_prefix p24 = P("198.51.100.0/24"), p0 = P("0.0.0.0/0");
	struct ifs_prefix h32 = P("198.51.100.7/32"), p25 = P("198.51.100.128/25");
	struct ifs_prefix v6_0 = P("::/0"), v6_48 = P("2001:db8:1::/48");
	struct ifs_prefix h128 = P("2001:db8::1/128"), p127 = P("2001:db8::/127");
	struct ifs_addr first = A("198.51.100.0"), last = A("198.51.100.255");
	struct ifs_addr below = A("198.51.99.255"), above = A("198.51.101.0");
	struct ifs_addr h = A("198.51.100.7"), h1 = A("198.51.100.6");
	struct ifs_addr mid = A("198.51.100.127"), mid1 = A("198.51.100.128");
	struct ifs_addr v6a = A("2001:db8:1:ffff:ffff:ffff:ffff:ffff");
	struct ifs_addr v6b = A("2001:db8:2::"), v6c = A("2001:db8:0:ffff::");
	struct ifs_addr v6h = A("2001:db8::1"), v6h0 = A("2001:db8::");
	struct ifs_addr v6h2 = A("2001:db8::2"), mapped = A("::ffff:198.51.100.7");
	struct ifs_addr none = { 0 };

	assert_true(prefix_contains(&p24, &first));
	assert_true(prefix_contains(&p24, &last));
	assert_false(prefix_contains(&p24, &below));
	assert_false(prefix_contains(&p24, &above));

	assert_true(prefix_contains(&p25, &mid1));
	assert_true(prefix_contains(&p25, &last));
	assert_false(prefix_contains(&p25, &mid));

	assert_true(prefix_contains(&h32, &h));
	assert_false(prefix_contains(&h32, &h1));

	/* /0 holds every address of its own family, and no other. */
	assert_true(prefix_contains(&p0, &first));
	assert_true(prefix_contains(&p0, &below));
	assert_false(prefix_contains(&p0, &v6h));
	assert_false(prefix_contains(&p0, &none));
	assert_true(prefix_contains(&v6_0, &v6h));
	assert_true(prefix_contains(&v6_0, &mapped));
	assert_false(prefix_contains(&v6_0, &first));
	assert_false(prefix_contains(&v6_0, &none));

	/* A v4-mapped address is not inside a v4 prefix. */
	assert_false(prefix_contains(&p24, &mapped));

	assert_true(prefix_contains(&v6_48, &v6a));
	assert_false(prefix_contains(&v6_48, &v6b));
	assert_false(prefix_contains(&v6_48, &v6c));

	assert_true(prefix_contains(&h128, &v6h));
	assert_false(prefix_contains(&h128, &v6h0));
	assert_false(prefix_contains(&h128, &v6h2));
	assert_true(prefix_contains(&p127, &v6h0));
	assert_true(prefix_contains(&p127, &v6h));
	assert_false(prefix_contains(&p127, &v6h2));

	/* A loose prefix contains by its leading bits only. */
	struct ifs_prefix loose = P("198.51.100.200/24");

	assert_true(prefix_contains(&loose, &first));
}

/* ---- prefix_overlaps ---- */

static void assert_overlap(const char *a, const char *b, bool want)
{
	struct ifs_prefix pa = P(a), pb = P(b);

	if (prefix_overlaps(&pa, &pb) != want ||
	    prefix_overlaps(&pb, &pa) != want)
		fail_msg("%s vs %s: want %s", a, b, want ? "overlap" : "none");
}

static void test_prefix_overlaps(void **state)
{
	/* Nesting, equality and /0. */
	assert_overlap("10.0.0.0/8", "10.1.2.0/24", true);
	assert_overlap("10.0.0.0/8", "10.0.0.0/8", true);
	assert_overlap("0.0.0.0/0", "203.0.113.9/32", true);
	assert_overlap("0.0.0.0/0", "0.0.0.0/0", true);
	assert_overlap("::/0", "2001:db8::1/128", true);
	assert_overlap("::/0", "::/0", true);

	/* Adjacent prefixes share nothing. */
	assert_overlap("198.51.100.0/25", "198.51.100.128/25", false);
	assert_overlap("198.51.100.0/24", "198.51.101.0/24", false);
	assert_overlap("0.0.0.0/1", "128.0.0.0/1", false);
	assert_overlap("2001:db8::/127", "2001:db8::2/127", false);
	assert_overlap("2001:db8::/32", "2001:db9::/32", false);

	/* Host prefixes. */
	assert_overlap("198.51.100.7/32", "198.51.100.7/32", true);
	assert_overlap("198.51.100.7/32", "198.51.100.6/32", false);
	assert_overlap("198.51.100.7/32", "198.51.100.6/31", true);
	assert_overlap("198.51.100.7/32", "198.51.100.8/31", false);
	assert_overlap("2001:db8::1/128", "2001:db8::1/128", true);
	assert_overlap("2001:db8::1/128", "2001:db8::/127", true);
	assert_overlap("2001:db8::1/128", "2001:db8::2/128", false);

	/* Different families never overlap, even at /0. */
	assert_overlap("0.0.0.0/0", "::/0", false);
	assert_overlap("198.51.100.0/24", "::ffff:198.51.100.0/120", false);
}

/* ---- text ---- */

static void test_str_round_trip(void **state)
{
	static const char *const addrs[] = {
		"0.0.0.0", "192.0.2.1", "255.255.255.255", "::", "::1",
		"2001:db8::1", "fe80::1:2:3:4", "::ffff:192.0.2.1",
		"2001:db8:1:2:3:4:5:6",
	};
	static const char *const prefixes[] = {
		"0.0.0.0/0", "10.0.0.0/8", "192.0.2.1/32", "::/0",
		"2001:db8::/32", "2001:db8::1/128", "198.51.100.1/30",
	};
	char buf[IFS_ADDR_STRLEN], pbuf[IFS_PREFIX_STRLEN];
	struct ifs_addr a, b;
	struct ifs_prefix p, q;

	for (size_t i = 0; i < sizeof(addrs) / sizeof(addrs[0]); i++) {
		a = A(addrs[i]);
		assert_ptr_equal(addr_str(&a, buf), buf);
		assert_string_equal(buf, addrs[i]);
		b = A(buf);
		assert_true(addr_eq(&a, &b));
	}
	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		p = P(prefixes[i]);
		assert_ptr_equal(prefix_str(&p, pbuf), pbuf);
		assert_string_equal(pbuf, prefixes[i]);
		q = P(pbuf);
		assert_true(addr_eq(&p.addr, &q.addr));
		assert_int_equal(p.len, q.len);
	}

	/* Non-canonical input comes back canonical. */
	a = A("2001:DB8:0:0:0:0:0:1");
	assert_string_equal(addr_str(&a, buf), "2001:db8::1");
	p = P("2001:DB8:0::/32");
	assert_string_equal(prefix_str(&p, pbuf), "2001:db8::/32");
	/* The host prefix gets its length spelled out. */
	p = P("192.0.2.1");
	assert_string_equal(prefix_str(&p, pbuf), "192.0.2.1/32");

	/* The longest IPv6 text fits the buffers. */
	a = A("ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255");
	addr_str(&a, buf);
	b = A(buf);
	assert_true(addr_eq(&a, &b));
	p = P("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128");
	assert_string_equal(prefix_str(&p, pbuf),
			    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128");
}

static void test_str_unspec(void **state)
{
	struct ifs_addr none = { 0 };
	struct ifs_prefix p = { 0 };
	char buf[IFS_ADDR_STRLEN], pbuf[IFS_PREFIX_STRLEN];

	assert_string_equal(addr_str(&none, buf), "%any");
	assert_string_equal(prefix_str(&p, pbuf), "%any/0");
}

/* ---- socket addresses ---- */

static void test_sockaddr_v4(void **state)
{
	struct ifs_addr a = A("192.0.2.1"), b;
	struct sockaddr_storage ss;
	const struct sockaddr_in *sin = (const struct sockaddr_in *)&ss;
	socklen_t len = 0;
	uint16_t port;

	addr_to_sockaddr(&a, 4500, &ss, &len);
	assert_int_equal(len, sizeof(struct sockaddr_in));
	assert_int_equal(sin->sin_family, AF_INET);
	assert_int_equal(sin->sin_port, htons(4500));
	assert_int_equal(sin->sin_addr.s_addr, a.u.v4.s_addr);

	assert_int_equal(addr_from_sockaddr((const struct sockaddr *)&ss, len,
					    &b, &port), 0);
	assert_true(addr_eq(&a, &b));
	assert_int_equal(port, 4500);

	addr_to_sockaddr(&a, 0xffff, &ss, &len);
	assert_int_equal(addr_from_sockaddr((const struct sockaddr *)&ss, len,
					    &b, &port), 0);
	assert_int_equal(port, 0xffff);
	addr_to_sockaddr(&a, 0, &ss, &len);
	assert_int_equal(addr_from_sockaddr((const struct sockaddr *)&ss, len,
					    &b, &port), 0);
	assert_int_equal(port, 0);
}

static void test_sockaddr_v6(void **state)
{
	struct ifs_addr a = A("2001:db8::1"), b;
	struct sockaddr_storage ss;
	const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)&ss;
	socklen_t len = 0;
	uint16_t port;

	addr_to_sockaddr(&a, 500, &ss, &len);
	assert_int_equal(len, sizeof(struct sockaddr_in6));
	assert_int_equal(sin6->sin6_family, AF_INET6);
	assert_int_equal(sin6->sin6_port, htons(500));
	assert_memory_equal(&sin6->sin6_addr, addr_bytes(&a), 16);
	assert_int_equal(sin6->sin6_flowinfo, 0);
	assert_int_equal(sin6->sin6_scope_id, 0);

	assert_int_equal(addr_from_sockaddr((const struct sockaddr *)&ss, len,
					    &b, &port), 0);
	assert_true(addr_eq(&a, &b));
	assert_int_equal(port, 500);
}

static void test_sockaddr_unspec(void **state)
{
	struct ifs_addr none = { 0 };
	struct sockaddr_storage ss;
	socklen_t len = 99;

	addr_to_sockaddr(&none, 500, &ss, &len);
	assert_int_equal(len, 0);
}

static void test_sockaddr_short(void **state)
{
	struct ifs_addr a4 = A("192.0.2.1"), a6 = A("2001:db8::1"), out;
	struct sockaddr_storage ss;
	socklen_t len;
	uint16_t port;

	addr_to_sockaddr(&a4, 500, &ss, &len);
	memset(&out, 0xa5, sizeof(out));
	port = 7;
	assert_int_equal(addr_from_sockaddr((const struct sockaddr *)&ss,
					    len - 1, &out, &port),
			 IFS_ERR_INVAL);
	assert_addr_zero(&out);
	assert_int_equal(port, 0);
	assert_int_equal(addr_from_sockaddr((const struct sockaddr *)&ss, 0,
					    &out, &port), IFS_ERR_INVAL);

	addr_to_sockaddr(&a6, 500, &ss, &len);
	/* Long enough for a sockaddr_in but not a sockaddr_in6. */
	memset(&out, 0xa5, sizeof(out));
	port = 7;
	assert_int_equal(addr_from_sockaddr((const struct sockaddr *)&ss,
					    sizeof(struct sockaddr_in), &out,
					    &port), IFS_ERR_INVAL);
	assert_addr_zero(&out);
	assert_int_equal(port, 0);
	assert_int_equal(addr_from_sockaddr((const struct sockaddr *)&ss,
					    len - 1, &out, &port),
			 IFS_ERR_INVAL);

	/* A longer length than needed is fine (sockaddr_storage). */
	assert_int_equal(addr_from_sockaddr((const struct sockaddr *)&ss,
					    sizeof(ss), &out, &port), 0);
	assert_true(addr_eq(&out, &a6));
	assert_int_equal(port, 500);
}

static void test_sockaddr_other_family(void **state)
{
	struct sockaddr_storage ss;
	struct ifs_addr out;
	uint16_t port = 7;

	memset(&ss, 0, sizeof(ss));
	ss.ss_family = AF_UNIX;
	memset(&out, 0xa5, sizeof(out));
	assert_int_equal(addr_from_sockaddr((const struct sockaddr *)&ss,
					    sizeof(ss), &out, &port),
			 IFS_ERR_INVAL);
	assert_addr_zero(&out);
	assert_int_equal(port, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_addr_parse_v4),
		cmocka_unit_test(test_addr_parse_v6),
		cmocka_unit_test(test_addr_parse_rejects),
		cmocka_unit_test(test_prefix_parse_lengths),
		cmocka_unit_test(test_prefix_parse_missing_len),
		cmocka_unit_test(test_prefix_parse_strict),
		cmocka_unit_test(test_prefix_parse_junk),
		cmocka_unit_test(test_addr_eq),
		cmocka_unit_test(test_addr_from_bytes),
		cmocka_unit_test(test_prefix_contains),
		cmocka_unit_test(test_prefix_overlaps),
		cmocka_unit_test(test_str_round_trip),
		cmocka_unit_test(test_str_unspec),
		cmocka_unit_test(test_sockaddr_v4),
		cmocka_unit_test(test_sockaddr_v6),
		cmocka_unit_test(test_sockaddr_unspec),
		cmocka_unit_test(test_sockaddr_short),
		cmocka_unit_test(test_sockaddr_other_family),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
