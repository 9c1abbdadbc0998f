/* SPDX-License-Identifier: BSD-2-Clause */
/* Identities (src/ike/id.h): strongSwan's syntax into type and bytes,
 * each reject with its reason, matching with %any and '*' wildcards,
 * equality, and the bounded, escaped printable form. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "common/err.h"
#include "ike/id.h"
#include "ike/ike_wire.h"

#define U8(s) ((const uint8_t *)(s))

static struct ike_id parse_ok(const char *s)
{
	char why[128] = "";
	struct ike_id id;
	int rc = ike_id_parse(s, &id, why, sizeof(why));

	if (rc != 0)
		print_error("'%s': %s\n", s, why);
	assert_int_equal(rc, 0);
	return id;
}

static void assert_id(const char *s, uint8_t type, const void *data, size_t len)
{
	struct ike_id id = parse_ok(s);

	assert_int_equal(id.type, type);
	assert_int_equal(id.len, len);
	if (len)
		assert_memory_equal(id.data, data, len);
}

static void assert_parse_fails(const char *s, int rc_want, const char *why_part)
{
	struct ike_id id;
	char why[128] = "";
	int rc = ike_id_parse(s, &id, why, sizeof(why));

	assert_int_equal(rc, rc_want);
	assert_int_equal(id.type, 0);
	assert_int_equal(id.len, 0);
	if (!strstr(why, why_part))
		print_error("'%s' not in: %s\n", why_part, why);
	assert_non_null(strstr(why, why_part));
}

static void test_parse_any(void **state)
{
	static const char *const any[] = {
		"%any", "", "%any6", "*", "0.0.0.0", "::", "0::0",
	};

	(void)state;
	for (size_t i = 0; i < IFS_ARRAY_LEN(any); i++) {
		struct ike_id id = parse_ok(any[i]);

		assert_int_equal(id.type, 0);
		assert_true(ike_id_is_any(&id));
	}
}

static void test_parse_addresses(void **state)
{
	static const uint8_t v4[4] = { 192, 0, 2, 1 };
	static const uint8_t v6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };

	(void)state;
	assert_id("192.0.2.1", IKE_ID_IPV4_ADDR, v4, 4);
	assert_id("2001:db8::1", IKE_ID_IPV6_ADDR, v6, 16);
	assert_id("ipv4:192.0.2.1", IKE_ID_IPV4_ADDR, v4, 4);
	assert_id("ipv6:2001:db8::1", IKE_ID_IPV6_ADDR, v6, 16);
	assert_id("ipv4:#c0000201", IKE_ID_IPV4_ADDR, v4, 4);
	assert_false(ike_id_is_any(&(struct ike_id){ .type = 1 }));
}

static void test_parse_names(void **state)
{
	struct ike_id id;

	(void)state;
	assert_id("gw.example.com", IKE_ID_FQDN, "gw.example.com", 14);
	assert_id("@gw.example.com", IKE_ID_FQDN, "gw.example.com", 14);
	assert_id("fqdn:gw", IKE_ID_FQDN, "gw", 2);
	assert_id("dns:gw", IKE_ID_FQDN, "gw", 2);
	assert_id("@moon", IKE_ID_FQDN, "moon", 4);
	/* Without '@' and ':', and not an address: an FQDN, as strongSwan */
	assert_id("moon", IKE_ID_FQDN, "moon", 4);
	assert_id("192.0.2.256", IKE_ID_FQDN, "192.0.2.256", 11);
	assert_id("user@example.com", IKE_ID_RFC822_ADDR, "user@example.com", 16);
	assert_id("@@user", IKE_ID_RFC822_ADDR, "user", 4);
	assert_id("rfc822:a@b", IKE_ID_RFC822_ADDR, "a@b", 3);
	assert_id("email:a@b", IKE_ID_RFC822_ADDR, "a@b", 3);
	assert_id("userfqdn:a@b", IKE_ID_RFC822_ADDR, "a@b", 3);
	id = parse_ok("*.example.com");
	assert_int_equal(id.type, IKE_ID_FQDN);
	assert_true(id.has_wildcard);
	id = parse_ok("*@example.com");
	assert_int_equal(id.type, IKE_ID_RFC822_ADDR);
	assert_true(id.has_wildcard);
	assert_false(parse_ok("gw.example.com").has_wildcard);
}

static void test_parse_key_ids(void **state)
{
	static const uint8_t kid[3] = { 0x0a, 0x0b, 0xfc };

	(void)state;
	assert_id("@#0a0bfc", IKE_ID_KEY_ID, kid, 3);
	assert_id("@#0A:0b:FC", IKE_ID_KEY_ID, kid, 3);
	assert_id("keyid:#0a0bfc", IKE_ID_KEY_ID, kid, 3);
	assert_id("keyid:abc", IKE_ID_KEY_ID, "abc", 3);
	/* ':' without being IPv6: strongSwan's fallback is a key id */
	assert_id("a:b", IKE_ID_KEY_ID, "a:b", 3);
	assert_id("asn1dn:#3000", IKE_ID_DER_ASN1_DN, "\x30\x00", 2);
}

static void test_parse_rejects(void **state)
{
	char big[IKE_ID_MAX + 2];
	char hex[2 * IKE_ID_MAX + 5];

	(void)state;
	assert_parse_fails("C=CH, O=strongSwan, CN=moon", IFS_ERR_UNSUPPORTED,
			   "distinguished names");
	assert_parse_fails("10.0.0.0/8", IFS_ERR_UNSUPPORTED, "subnets and ranges");
	assert_parse_fails("10.0.0.1-10.0.0.9", IFS_ERR_UNSUPPORTED,
			   "subnets and ranges");
	assert_parse_fails("ipv4net:10.0.0.0/8", IFS_ERR_UNSUPPORTED, "subnets");
	assert_parse_fails("%an", IFS_ERR_INVAL, "%any is the only");
	assert_parse_fails("@#0a0", IFS_ERR_SYNTAX, "hexadecimal");
	assert_parse_fails("@#", IFS_ERR_SYNTAX, "hexadecimal");
	assert_parse_fails("@#zz", IFS_ERR_SYNTAX, "hexadecimal");
	assert_parse_fails("@", IFS_ERR_INVAL, "'#' starts a comment");
	assert_parse_fails("@@", IFS_ERR_INVAL, "empty");
	assert_parse_fails("fqdn:", IFS_ERR_SYNTAX, "nothing after 'fqdn:'");
	assert_parse_fails("keyid:", IFS_ERR_SYNTAX, "'#' starts a comment");
	assert_parse_fails("asn1dn:CN=x", IFS_ERR_SYNTAX, "after '#'");
	assert_parse_fails("ipv4:2001:db8::1", IFS_ERR_SYNTAX, "IPv4");
	assert_parse_fails("ipv6:192.0.2.1", IFS_ERR_SYNTAX, "IPv6");
	assert_parse_fails("ipv4:#c00002", IFS_ERR_INVAL, "4 bytes");
	assert_parse_fails("gw\x01.example.com", IFS_ERR_INVAL, "control");
	assert_parse_fails("a@b\nc", IFS_ERR_INVAL, "control");
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_parse_fails(big, IFS_ERR_RANGE, "longer than 255");
	big[sizeof(big) - 2] = '\0';
	assert_int_equal(parse_ok(big).len, IKE_ID_MAX);
	memcpy(hex, "@#", 2);
	memset(hex + 2, 'a', sizeof(hex) - 3);
	hex[sizeof(hex) - 1] = '\0';
	assert_parse_fails(hex, IFS_ERR_RANGE, "longer than 255");
	/* No why buffer: still fails, nothing written */
	assert_int_equal(ike_id_parse("C=CH", &(struct ike_id){ 0 }, NULL, 0),
			 IFS_ERR_UNSUPPORTED);
}

static bool match(const char *pattern, uint8_t type, const char *data)
{
	struct ike_id p = parse_ok(pattern);

	return ike_id_matches(&p, type, (const uint8_t *)data, strlen(data));
}

static void test_match_exact_and_any(void **state)
{
	static const uint8_t v4[4] = { 192, 0, 2, 1 }, v4b[4] = { 192, 0, 2, 2 };
	struct ike_id p = parse_ok("192.0.2.1"), any = parse_ok("%any");

	(void)state;
	assert_true(ike_id_matches(&p, IKE_ID_IPV4_ADDR, v4, 4));
	assert_false(ike_id_matches(&p, IKE_ID_IPV4_ADDR, v4b, 4));
	assert_false(ike_id_matches(&p, IKE_ID_IPV4_ADDR, v4, 3));
	assert_false(ike_id_matches(&p, IKE_ID_KEY_ID, v4, 4));
	assert_true(ike_id_matches(&any, IKE_ID_IPV4_ADDR, v4, 4));
	assert_true(ike_id_matches(&any, IKE_ID_KEY_ID, NULL, 0));
	assert_true(match("gw.example.com", IKE_ID_FQDN, "gw.example.com"));
	/* FQDN and RFC822 compare without case, as strongSwan does */
	assert_true(match("gw.example.com", IKE_ID_FQDN, "GW.Example.COM"));
	assert_false(match("gw.example.com", IKE_ID_FQDN, "gw.example.co"));
	assert_false(match("gw.example.com", IKE_ID_RFC822_ADDR, "gw.example.com"));
	assert_true(match("@#0a0b", IKE_ID_KEY_ID, "\x0a\x0b"));
	assert_false(match("@#0a0b", IKE_ID_KEY_ID, "\x0A\x0c"));
	/* key ids are bytes: case matters */
	assert_false(match("keyid:abc", IKE_ID_KEY_ID, "ABC"));
}

static void test_match_wildcards(void **state)
{
	(void)state;
	assert_true(match("*.example.com", IKE_ID_FQDN, "gw.example.com"));
	assert_true(match("*.example.com", IKE_ID_FQDN, "a.b.example.com"));
	assert_false(match("*.example.com", IKE_ID_FQDN, "example.com"));
	assert_false(match("*.example.com", IKE_ID_FQDN, "gw.example.org"));
	assert_true(match("*@example.com", IKE_ID_RFC822_ADDR, "Alice@EXAMPLE.com"));
	assert_false(match("*@example.com", IKE_ID_RFC822_ADDR, "alice@example.co"));
	assert_true(match("gw*.example.com", IKE_ID_FQDN, "gw12.example.com"));
	assert_true(match("gw*.example.com", IKE_ID_FQDN, "gw.example.com"));
	assert_true(match("a*b*c", IKE_ID_FQDN, "aXbYbZc"));
	assert_false(match("a*b*c", IKE_ID_FQDN, "aXbYbZ"));
	assert_true(match("fqdn:*", IKE_ID_FQDN, "anything"));
	assert_true(match("fqdn:**", IKE_ID_FQDN, ""));
	/* '*' in what the peer sends is a plain character */
	assert_false(match("gw.example.com", IKE_ID_FQDN, "*.example.com"));
	assert_true(match("*.example.com", IKE_ID_FQDN, "*.example.com"));
	assert_false(match("*.example.com", IKE_ID_RFC822_ADDR, "a.example.com"));
}

static void test_equal(void **state)
{
	struct ike_id a = parse_ok("gw.example.com"), b = parse_ok("@GW.example.com");
	struct ike_id c = parse_ok("user@gw.example.com");
	struct ike_id k1 = parse_ok("keyid:ab"), k2 = parse_ok("keyid:AB");

	(void)state;
	assert_true(ike_id_equal(&a, &b));
	assert_false(ike_id_equal(&a, &c));
	assert_false(ike_id_equal(&k1, &k2));
	assert_true(ike_id_equal(&k1, &k1));
}

static void test_from_addr(void **state)
{
	struct ifs_addr a;
	struct ike_id id;

	(void)state;
	assert_int_equal(addr_parse("2001:db8::7", &a), 0);
	ike_id_from_addr(&a, &id);
	assert_true(ike_id_equal(&id, &(struct ike_id){ 0 }) == false);
	assert_int_equal(id.type, IKE_ID_IPV6_ADDR);
	assert_int_equal(id.len, 16);
	assert_int_equal(id.data[15], 7);
	memset(&a, 0, sizeof(a));
	ike_id_from_addr(&a, &id);
	assert_true(ike_id_is_any(&id));
}

static void assert_str(uint8_t type, const void *data, size_t len,
		       const char *want)
{
	char buf[128];

	assert_string_equal(ike_id_str(type, data, len, buf, sizeof(buf)), want);
}

static void test_str(void **state)
{
	static const uint8_t v4[4] = { 192, 0, 2, 1 };
	static const uint8_t v6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	char small[8], one[1];

	(void)state;
	assert_str(0, NULL, 0, "%any");
	assert_str(IKE_ID_IPV4_ADDR, v4, 4, "192.0.2.1");
	assert_str(IKE_ID_IPV6_ADDR, v6, 16, "2001:db8::1");
	assert_str(IKE_ID_FQDN, "gw.example.com", 14, "gw.example.com");
	assert_str(IKE_ID_RFC822_ADDR, "a@b", 3, "a@b");
	assert_str(IKE_ID_KEY_ID, "\x0a\x0b", 2, "@#0a0b");
	assert_str(IKE_ID_FQDN, "a\x01\\\xff" "b", 5, "a\\x01\\\\\\xffb");
	assert_str(IKE_ID_DER_ASN1_DN, "\x30\x00", 2, "type 9, 2 bytes");
	assert_str(99, "abc", 3, "type 99, 3 bytes");
	/* An address of the wrong length is not printed as one */
	assert_str(IKE_ID_IPV4_ADDR, v4, 3, "type 1, 3 bytes");
	/* Bounded: truncated, always terminated */
	assert_string_equal(ike_id_str(IKE_ID_FQDN, U8("gw.example.com"), 14,
				       small, sizeof(small)), "gw.exam");
	assert_string_equal(ike_id_str(IKE_ID_FQDN, U8("\x01\x02"), 2, small,
				       sizeof(small)), "\\x01");
	assert_string_equal(ike_id_str(IKE_ID_FQDN, U8("x"), 1, one, sizeof(one)),
			    "");
	assert_string_equal(ike_id_str(IKE_ID_FQDN, U8("x"), 1, NULL, 0), "");
}

static void test_round_trip(void **state)
{
	static const char *const ids[] = {
		"192.0.2.1", "2001:db8::1", "gw.example.com", "a@b.example",
		"@#0a0bff",
	};

	(void)state;
	for (size_t i = 0; i < IFS_ARRAY_LEN(ids); i++) {
		struct ike_id a = parse_ok(ids[i]), b;
		char buf[128];

		ike_id_str(a.type, a.data, a.len, buf, sizeof(buf));
		assert_string_equal(buf, ids[i]);
		b = parse_ok(buf);
		assert_true(ike_id_equal(&a, &b));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_any),
		cmocka_unit_test(test_parse_addresses),
		cmocka_unit_test(test_parse_names),
		cmocka_unit_test(test_parse_key_ids),
		cmocka_unit_test(test_parse_rejects),
		cmocka_unit_test(test_match_exact_and_any),
		cmocka_unit_test(test_match_wildcards),
		cmocka_unit_test(test_equal),
		cmocka_unit_test(test_from_addr),
		cmocka_unit_test(test_str),
		cmocka_unit_test(test_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
