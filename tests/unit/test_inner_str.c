/* SPDX-License-Identifier: BSD-2-Clause */
/* inner_str(): what a packet into a tunnel was, for the log line of the
 * acquire it starts; every truncation of a packet is read safely (the
 * sanitizer builds run this too). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "net/inner_str.h"

/* An echo request 198.51.100.1 -> 203.0.113.65 (IPv4, ICMP type 8). */
static const uint8_t ping4[] = {
	0x45, 0, 0, 28, 0, 0, 0, 0, 64, 1, 0, 0,
	198, 51, 100, 1, 203, 0, 113, 65,
	8, 0, 0, 0, 0, 0, 0, 0,
};

/* A router solicitation fe80::1 -> ff02::2 (IPv6, ICMPv6 type 133). */
static const uint8_t rs6[] = {
	0x60, 0, 0, 0, 0, 8, 58, 255,
	0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
	0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2,
	133, 0, 0, 0, 0, 0, 0, 0,
};

/* An MLDv2 report fe80::1 -> ff02::16: a hop-by-hop header (router
 * alert), then ICMPv6 type 143. */
static const uint8_t mld6[] = {
	0x60, 0, 0, 0, 0, 16, 0, 1,
	0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
	0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x16,
	58, 0, 5, 2, 0, 0, 1, 0,
	143, 0, 0, 0, 0, 0, 0, 0,
};

static void test_ipv6_hop_by_hop(void **state)
{
	char buf[INNER_STRLEN];

	(void)state;
	assert_string_equal(inner_str(mld6, sizeof(mld6), buf),
			    "fe80::1 -> ff02::16 ipv6-icmp type 143");
	/* cut inside the hop-by-hop header: its next header, no type */
	assert_string_equal(inner_str(mld6, 44, buf), "fe80::1 -> ff02::16 ipv6-icmp");
}

static void test_ipv4_icmp(void **state)
{
	char buf[INNER_STRLEN];

	(void)state;
	assert_string_equal(inner_str(ping4, sizeof(ping4), buf),
			    "198.51.100.1 -> 203.0.113.65 icmp type 8");
}

static void test_ipv6_icmp(void **state)
{
	char buf[INNER_STRLEN];

	(void)state;
	assert_string_equal(inner_str(rs6, sizeof(rs6), buf), "fe80::1 -> ff02::2 ipv6-icmp type 133");
}

static void test_protocols(void **state)
{
	uint8_t p[sizeof(ping4)];
	char buf[INNER_STRLEN];

	(void)state;
	memcpy(p, ping4, sizeof(p));
	p[9] = 6;
	assert_string_equal(inner_str(p, sizeof(p), buf), "198.51.100.1 -> 203.0.113.65 tcp");
	p[9] = 89;    /* OSPF */
	assert_string_equal(inner_str(p, sizeof(p), buf), "198.51.100.1 -> 203.0.113.65 proto 89");
}

/* Each prefix of a packet: never a read past it (ASan), always a line. */
static void truncated(const uint8_t *pkt, size_t len, size_t hdr, const char *whole_hdr)
{
	char buf[INNER_STRLEN];

	for (size_t n = 0; n <= len; n++) {
		uint8_t *copy = malloc(n ? n : 1);   /* exact size: ASan sees overreads */
		const char *s;

		assert_non_null(copy);
		memcpy(copy, pkt, n);
		s = inner_str(copy, n, buf);
		assert_ptr_equal(s, buf);
		assert_true(strlen(s) > 0 && strlen(s) < INNER_STRLEN);
		if (n < hdr)
			assert_non_null(strstr(s, "without an IPv4 or IPv6 header"));
		else if (n == hdr)
			assert_string_equal(s, whole_hdr);   /* no ICMP type to read */
		free(copy);
	}
}

static void test_truncated(void **state)
{
	(void)state;
	truncated(ping4, sizeof(ping4), 20, "198.51.100.1 -> 203.0.113.65 icmp");
	truncated(rs6, sizeof(rs6), 40, "fe80::1 -> ff02::2 ipv6-icmp");
	truncated(mld6, sizeof(mld6), 40, "fe80::1 -> ff02::16 proto 0");
}

/* A header length that points past the packet reads no ICMP type. */
static void test_bad_ihl(void **state)
{
	uint8_t p[sizeof(ping4)];
	char buf[INNER_STRLEN];

	(void)state;
	memcpy(p, ping4, sizeof(p));
	p[0] = 0x4f;   /* 60 bytes of header in a 28-byte packet */
	assert_string_equal(inner_str(p, sizeof(p), buf), "198.51.100.1 -> 203.0.113.65 icmp");
	p[0] = 0x41;   /* 4 bytes: not a header */
	assert_string_equal(inner_str(p, sizeof(p), buf), "198.51.100.1 -> 203.0.113.65 icmp");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ipv4_icmp),
		cmocka_unit_test(test_ipv6_icmp),
		cmocka_unit_test(test_ipv6_hop_by_hop),
		cmocka_unit_test(test_protocols),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_bad_ihl),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
