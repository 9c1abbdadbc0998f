/* SPDX-License-Identifier: BSD-2-Clause */
/* The manual-SA configuration (src/config/conf.h): a full example read
 * into exact values, then one test per error, each checking that the
 * message names the line and the offending name. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/conf.h"

/* 20 bytes each: aes128gcm16 (16-byte key + 4-byte salt). */
#define KEY_A "0x000102030405060708090a0b0c0d0e0f10111213"
#define KEY_B "0x202122232425262728292a2b2c2d2e2f30313233"
#define KEY_C "0x404142434445464748494a4b4c4d4e4f50515253"
#define KEY_D "0x606162636465666768696a6b6c6d6e6f70717273"

/* The valid tunnel used as a base: line numbers in the comments. */
#define T_HEAD "manual {\n"                      /* 1 */ \
	"\tsite1 {\n"                            /* 2 */ \
	"\t\tlocal_addrs = 192.0.2.1\n"          /* 3 */ \
	"\t\tremote_addrs = 192.0.2.2\n"         /* 4 */
#define T_DIRS "\t\tinbound {\n"                 /* +0 */ \
	"\t\t\tspi = 0x1000\n"                   /* +1 */ \
	"\t\t\ttransform = aes128gcm16\n"        /* +2 */ \
	"\t\t\tkey = " KEY_A "\n"                /* +3 */ \
	"\t\t}\n"                                /* +4 */ \
	"\t\toutbound {\n"                       /* +5 */ \
	"\t\t\tspi = 0x2000\n"                   /* +6 */ \
	"\t\t\ttransform = aes128gcm16\n"        /* +7 */ \
	"\t\t\tkey = " KEY_B "\n"                /* +8 */ \
	"\t\t}\n"                                /* +9 */
#define T_TAIL "\t}\n}\n"

static struct conf *load_ok(const char *text)
{
	struct conf_err err;
	struct conf *c = NULL;
	int rc = conf_load_string(text, "t.conf", &c, &err);

	if (rc != 0)
		print_error("unexpected error: %s\n", err.msg);
	assert_int_equal(rc, 0);
	assert_non_null(c);
	return c;
}

/* Loading fails with rc (when rc != 0) and a message that holds s1, s2
 * and s3 (those not NULL) and never the bytes of any key above. */
static void load_fails(const char *text, int rc_want, const char *s1,
		       const char *s2, const char *s3)
{
	const char *const keys[] = { &KEY_A[2], &KEY_B[2], &KEY_C[2], &KEY_D[2],
				     "0001020304", "2021222324" };
	const char *const want[] = { s1, s2, s3 };
	struct conf_err err;
	struct conf *c = (struct conf *)1;
	int rc = conf_load_string(text, "t.conf", &c, &err);

	assert_true(rc < 0);
	if (rc_want)
		assert_int_equal(rc, rc_want);
	assert_null(c);
	for (size_t i = 0; i < 3; i++) {
		if (!want[i])
			continue;
		if (!strstr(err.msg, want[i]))
			print_error("'%s' not in: %s\n", want[i], err.msg);
		assert_non_null(strstr(err.msg, want[i]));
	}
	for (size_t i = 0; i < 6; i++)
		assert_null(strstr(err.msg, keys[i]));
}

static void assert_addr(const struct ifs_addr *a, int family, const char *s)
{
	char buf[IFS_ADDR_STRLEN];

	assert_int_equal(a->family, family);
	assert_string_equal(addr_str(a, buf), s);
}

static void assert_prefix(const struct ifs_prefix *p, const char *s)
{
	char buf[IFS_PREFIX_STRLEN];

	assert_string_equal(prefix_str(p, buf), s);
}

static void test_full_example(void **state)
{
	static const uint8_t key_a[20] = {
		0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09,
		0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11, 0x12, 0x13,
	};
	struct conf *c = load_ok(
		"# two tunnels\n"                                          /* 1 */
		"connections { }\n"                                        /* 2 */
		"manual {\n"                                               /* 3 */
		"\tsite1 {\n"                                              /* 4 */
		"\t\tlocal_addrs = 192.0.2.1\n"                            /* 5 */
		"\t\tremote_addrs = 192.0.2.2\n"                           /* 6 */
		"\t\tinterface = ipsec7\n"                                 /* 7 */
		"\t\tinterface_addrs = 198.51.100.1/30, 2001:db8:1::1/64\n" /* 8 */
		"\t\tinterface_mtu = 1400\n"                               /* 9 */
		"\t\troutes = 203.0.113.64/26, 2001:db8:2:2::/64\n"       /* 10 */
		"\t\treplay_window = 4096\n"                               /* 11 */
		"\t\tesn = yes\n"                                          /* 12 */
		"\t\tmode = tunnel\n"                                      /* 13 */
		"\t\tencap = no\n"                                         /* 14 */
		"\t\tinbound {\n"                                          /* 15 */
		"\t\t\tspi = 0x1000\n"                                     /* 16 */
		"\t\t\ttransform = aes128gcm16\n"                          /* 17 */
		"\t\t\tkey = " KEY_A "\n"                                  /* 18 */
		"\t\t}\n"                                                  /* 19 */
		"\t\toutbound { spi = 8192 }\n"                            /* 20 */
		"\t\toutbound {\n"                                         /* 21 */
		"\t\t\ttransform = chacha20poly1305\n"                     /* 22 */
		"\t\t\tkey = 0s" "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIj\n" /* 23 */
		"\t\t}\n"                                                  /* 24 */
		"\t}\n"                                                    /* 25 */
		"\tsite2 {\n"                                              /* 26 */
		"\t\tlocal_addrs = 2001:db8::1\n"                          /* 27 */
		"\t\tremote_addrs = 2001:db8::2\n"                         /* 28 */
		"\t\tencap = yes\n"                                        /* 29 */
		"\t\tremote_port = 4501\n"                                 /* 30 */
		"\t\tinbound {\n"                                          /* 31 */
		"\t\t\tspi = 4096000\n"                                    /* 32 */
		"\t\t\ttransform = aes256-sha256\n"                        /* 33 */
		"\t\t\tkey = 0x"                                           /* 34 */
		"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
		"202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f\n"
		"\t\t}\n"                                                  /* 35 */
		"\t\toutbound {\n"                                         /* 36 */
		"\t\t\tspi = 0xffffffff\n"                                 /* 37 */
		"\t\t\ttransform = aes128gcm16\n"                          /* 38 */
		"\t\t\tkey = " KEY_C "\n"                                  /* 39 */
		"\t\t}\n"                                                  /* 40 */
		"\t}\n"                                                    /* 41 */
		"}\n");
	const struct conf_tunnel *t;

	(void)state;
	assert_int_equal(c->n_tunnels, 2);
	t = &c->tunnels[0];
	assert_string_equal(t->name, "site1");
	assert_string_equal(t->file, "t.conf");
	assert_int_equal(t->line, 4);
	assert_string_equal(t->ifname, "ipsec7");
	assert_addr(&t->local, AF_INET, "192.0.2.1");
	assert_addr(&t->remote, AF_INET, "192.0.2.2");
	assert_false(t->is_udp_encap);
	assert_int_equal(t->local_port, 4500);
	assert_int_equal(t->remote_port, 4500);
	assert_int_equal(t->n_if_addrs, 2);
	assert_prefix(&t->if_addrs[0], "198.51.100.1/30");
	assert_prefix(&t->if_addrs[1], "2001:db8:1::1/64");
	assert_int_equal(t->mtu, 1400);
	assert_int_equal(t->n_routes, 2);
	assert_prefix(&t->routes[0], "203.0.113.64/26");
	assert_prefix(&t->routes[1], "2001:db8:2:2::/64");
	assert_int_equal(t->replay_window, 4096);
	assert_true(t->is_esn);
	assert_int_equal(t->in.spi, 0x1000);
	assert_int_equal(t->in.alg, CRYPTO_AES128_GCM16);
	assert_int_equal(t->in.line, 15);
	assert_int_equal(t->in.key->len, 20);
	assert_memory_equal(t->in.key->data, key_a, 20);
	/* The outbound section was opened twice and merged. */
	assert_int_equal(t->out.spi, 8192);
	assert_int_equal(t->out.alg, CRYPTO_CHACHA20_POLY1305);
	assert_int_equal(t->out.line, 20);
	assert_int_equal(t->out.key->len, 36);
	for (size_t i = 0; i < 36; i++)
		assert_int_equal(t->out.key->data[i], i);

	t = &c->tunnels[1];
	assert_string_equal(t->name, "site2");
	assert_int_equal(t->line, 26);
	assert_string_equal(t->ifname, "ipsec0");   /* default */
	assert_addr(&t->local, AF_INET6, "2001:db8::1");
	assert_addr(&t->remote, AF_INET6, "2001:db8::2");
	assert_true(t->is_udp_encap);
	assert_int_equal(t->local_port, 4500);
	assert_int_equal(t->remote_port, 4501);
	assert_int_equal(t->n_if_addrs, 0);
	assert_int_equal(t->n_routes, 0);
	assert_int_equal(t->mtu, 0);
	assert_int_equal(t->replay_window, CONF_REPLAY_WINDOW_DEFAULT);
	assert_false(t->is_esn);
	assert_int_equal(t->in.spi, 4096000);
	assert_int_equal(t->in.alg, CRYPTO_AES256_CBC_SHA256_128);
	assert_int_equal(t->in.key->len, 64);
	assert_int_equal(t->in.key->data[63], 0x3f);
	assert_int_equal(t->out.spi, 0xffffffffu);
	assert_int_equal(t->out.key->data[0], 0x40);
	conf_free(c);
}

static void test_empty_and_skeleton(void **state)
{
	struct conf *c;

	(void)state;
	c = load_ok("");
	assert_int_equal(c->n_tunnels, 0);
	conf_free(c);
	c = load_ok("connections {\n}\nsecrets { }\npools { }\nauthorities { }\n"
		    "manual { }\n");
	assert_int_equal(c->n_tunnels, 0);
	conf_free(c);
	conf_free(NULL);
}

static void test_unknown_key(void **state)
{
	(void)state;
	load_fails(T_HEAD "\t\tlocal_adrs = 192.0.2.9\n" T_DIRS T_TAIL,
		   IFS_ERR_NOT_FOUND, "t.conf:5:", "unknown key 'local_adrs'",
		   "manual.site1");
	/* In a direction's section. */
	load_fails(T_HEAD "\t\tinbound {\n\t\t\tsalt = 1\n\t\t}\n" T_DIRS T_TAIL,
		   IFS_ERR_NOT_FOUND, "t.conf:6:", "unknown key 'salt'",
		   "manual.site1.inbound");
	/* Directly in manual. */
	load_fails("manual {\n\tinterface = ipsec0\n}\n", IFS_ERR_NOT_FOUND,
		   "t.conf:2:", "unknown key 'interface'", "manual");
	/* At the top level. */
	load_fails("\nfoo = bar\n", IFS_ERR_NOT_FOUND, "t.conf:2:",
		   "unknown key 'foo'", NULL);
}

static void test_unknown_section(void **state)
{
	(void)state;
	load_fails("manual { }\n\nmanaul {\n}\n", IFS_ERR_NOT_FOUND, "t.conf:3:",
		   "unknown section 'manaul'", NULL);
	load_fails(T_HEAD "\t\tchildren { }\n" T_DIRS T_TAIL, IFS_ERR_NOT_FOUND,
		   "t.conf:5:", "unknown section 'children'", NULL);
}

/* Connections and secrets are read (test_conf_ike.c); pools and
 * authorities are still refused when not empty. */
static void test_later_sections_refused(void **state)
{
	(void)state;
	load_fails("\nconnections {\n\tgw { remote_addrs = 192.0.2.9 }\n}\n",
		   IFS_ERR_NOT_FOUND, "t.conf:3:", "missing local_addrs", NULL);
	load_fails("pools { p { addrs = 10.0.0.0/24 } }\n", IFS_ERR_UNSUPPORTED,
		   "t.conf:1:", "pools:", "not supported yet");
	load_fails("\nauthorities { ca { cacert = ca.pem } }\n",
		   IFS_ERR_UNSUPPORTED, "t.conf:2:", "authorities:",
		   "not supported yet");
}

static void test_wrong_key_length(void **state)
{
	(void)state;
	load_fails(T_HEAD
		   "\t\tinbound {\n"                                   /* 5 */
		   "\t\t\tspi = 0x1000\n"                              /* 6 */
		   "\t\t\ttransform = aes128gcm16\n"                   /* 7 */
		   "\t\t\tkey = 0x000102030405060708090a0b0c0d0e0f\n"  /* 8 */
		   "\t\t}\n"
		   "\t\toutbound { }\n" T_TAIL, IFS_ERR_INVAL, "t.conf:8:",
		   "key is 16 bytes, aes128gcm16 needs 20 (16-byte key + 4-byte salt)",
		   NULL);
	load_fails(T_HEAD
		   "\t\tinbound {\n"                                   /* 5 */
		   "\t\t\tspi = 0x1000\n"                              /* 6 */
		   "\t\t\ttransform = aes128-sha256\n"                 /* 7 */
		   "\t\t\tkey = " KEY_A "\n"                           /* 8 */
		   "\t\t}\n" T_TAIL, IFS_ERR_INVAL, "t.conf:8:",
		   "key is 20 bytes, aes128-sha256 needs 48",
		   "16-byte key + 32-byte integrity key");
}

static void test_bad_key_encoding(void **state)
{
	(void)state;
	load_fails(T_HEAD
		   "\t\tinbound {\n"                                   /* 5 */
		   "\t\t\tspi = 0x1000\n"                              /* 6 */
		   "\t\t\ttransform = aes128gcm16\n"                   /* 7 */
		   "\t\t\tkey = 0x000102030405060708090a0b0c0d0e0f1011121\n" /* 8 */
		   "\t\t}\n" T_TAIL, IFS_ERR_SYNTAX, "t.conf:8: key:", "hexadecimal",
		   NULL);
}

static void test_spi_below_256(void **state)
{
	(void)state;
	load_fails(T_HEAD "\t\tinbound {\n\t\t\tspi = 255\n" /* 6 */
		   "\t\t\ttransform = aes128gcm16\n\t\t\tkey = " KEY_A "\n\t\t}\n"
		   T_TAIL, IFS_ERR_RANGE, "t.conf:6: spi:", "255 is below 256", NULL);
	load_fails(T_HEAD "\t\tinbound {\n\t\t\tspi = 0\n"
		   "\t\t\ttransform = aes128gcm16\n\t\t\tkey = " KEY_A "\n\t\t}\n"
		   T_TAIL, IFS_ERR_RANGE, "t.conf:6: spi:", "below 256", NULL);
	load_fails(T_HEAD "\t\tinbound {\n\t\t\tspi = 0x100000000\n"
		   "\t\t\ttransform = aes128gcm16\n\t\t\tkey = " KEY_A "\n\t\t}\n"
		   T_TAIL, 0, "t.conf:6: spi:", "0x100000000", NULL);
}

/* Two tunnels on one host: the second with its own lines and keys. */
#define T2(name, local, remote, ifname, inspi, outspi, extra) \
	"\t" name " {\n"                                       /* +0 */ \
	"\t\tlocal_addrs = " local "\n"                        /* +1 */ \
	"\t\tremote_addrs = " remote "\n"                      /* +2 */ \
	"\t\tinterface = " ifname "\n"                         /* +3 */ \
	extra                                                              \
	"\t\tinbound {\n\t\t\tspi = " inspi "\n"                           \
	"\t\t\ttransform = aes128gcm16\n\t\t\tkey = " KEY_C "\n\t\t}\n"    \
	"\t\toutbound {\n\t\t\tspi = " outspi "\n"                         \
	"\t\t\ttransform = aes128gcm16\n\t\t\tkey = " KEY_D "\n\t\t}\n"    \
	"\t}\n"

static void test_duplicate_inbound_spi(void **state)
{
	(void)state;
	/* site2 starts at line 16; its inbound spi is on line 21. */
	load_fails(T_HEAD T_DIRS "\t}\n"
		   T2("site2", "192.0.2.1", "192.0.2.3", "ipsec1", "0x1000", "0x3000", "")
		   "}\n", IFS_ERR_EXISTS, "t.conf:21:", "inbound spi 0x00001000",
		   "already used by tunnel site1 (t.conf:5)");
	/* The same SPI on another local address is refused as well. */
	load_fails(T_HEAD T_DIRS "\t}\n"
		   T2("site2", "192.0.2.9", "192.0.2.3", "ipsec1", "4096", "0x3000", "")
		   "}\n", IFS_ERR_EXISTS, "t.conf:21:", "site2", "site1");
	/* An outbound SPI equal to another tunnel's inbound one is fine. */
	conf_free(load_ok(T_HEAD T_DIRS "\t}\n"
			  T2("site2", "192.0.2.1", "192.0.2.3", "ipsec1", "0x3000",
			     "0x1000", "") "}\n"));
}

static void test_bad_address(void **state)
{
	(void)state;
	load_fails("manual {\n\tsite1 {\n\t\tlocal_addrs = 192.0.2.300\n"
		   "\t\tremote_addrs = 192.0.2.2\n" T_DIRS T_TAIL, IFS_ERR_SYNTAX,
		   "t.conf:3: local_addrs:", "'192.0.2.300' is not a literal IP",
		   NULL);
	load_fails("manual {\n\tsite1 {\n\t\tlocal_addrs = 192.0.2.1\n"
		   "\t\tremote_addrs = gw.example.org\n" T_DIRS T_TAIL,
		   IFS_ERR_SYNTAX, "t.conf:4: remote_addrs:", "gw.example.org", NULL);
	load_fails("manual {\n\tsite1 {\n\t\tlocal_addrs = 192.0.2.1, 192.0.2.5\n"
		   "\t\tremote_addrs = 192.0.2.2\n" T_DIRS T_TAIL,
		   IFS_ERR_UNSUPPORTED, "t.conf:3: local_addrs:", "exactly one", NULL);
	load_fails("manual {\n\tsite1 {\n\t\tlocal_addrs = 0.0.0.0\n"
		   "\t\tremote_addrs = 192.0.2.2\n" T_DIRS T_TAIL,
		   IFS_ERR_INVAL, "t.conf:3: local_addrs:", "unspecified", NULL);
	load_fails("manual {\n\tsite1 {\n\t\tlocal_addrs = ::ffff:192.0.2.1\n"
		   "\t\tremote_addrs = ::ffff:192.0.2.2\n" T_DIRS T_TAIL,
		   IFS_ERR_INVAL, "t.conf:3: local_addrs:", "IPv4-mapped", NULL);
}

static void test_family_mismatch(void **state)
{
	(void)state;
	load_fails("manual {\n\tsite1 {\n\t\tlocal_addrs = 192.0.2.1\n"
		   "\t\tremote_addrs = 2001:db8::2\n" T_DIRS T_TAIL, IFS_ERR_INVAL,
		   "t.conf:4: remote_addrs:", "2001:db8::2",
		   "not of the same address family");
}

static void test_bad_prefix(void **state)
{
	(void)state;
	load_fails(T_HEAD "\t\troutes = 198.51.100.0/24, 203.0.113.5/26\n" T_DIRS
		   T_TAIL, IFS_ERR_SYNTAX, "t.conf:5: routes:",
		   "203.0.113.5/26: host bits set", "203.0.113.0/26");
	load_fails(T_HEAD "\t\troutes = 2001:db8::1/32\n" T_DIRS T_TAIL,
		   IFS_ERR_SYNTAX, "t.conf:5: routes:", "host bits set", NULL);
	load_fails(T_HEAD "\t\troutes = 203.0.113.0/33\n" T_DIRS T_TAIL,
		   IFS_ERR_SYNTAX, "t.conf:5: routes:", "'203.0.113.0/33'", NULL);
	load_fails(T_HEAD "\n\t\tinterface_addrs = 198.51.100.1/x\n" T_DIRS T_TAIL,
		   IFS_ERR_SYNTAX, "t.conf:6: interface_addrs:", "198.51.100.1/x",
		   NULL);
	load_fails(T_HEAD "\t\troutes = 203.0.113.0/24,\n" T_DIRS T_TAIL,
		   IFS_ERR_SYNTAX, "t.conf:5: routes:", "empty element", NULL);
}

static void test_unknown_transform(void **state)
{
	(void)state;
	load_fails(T_HEAD "\t\tinbound {\n\t\t\tspi = 0x1000\n"
		   "\t\t\ttransform = aes128gcm\n"          /* 7 */
		   "\t\t\tkey = " KEY_A "\n\t\t}\n" T_TAIL, IFS_ERR_NOT_FOUND,
		   "t.conf:7: transform:", "unknown transform 'aes128gcm'",
		   "aes128gcm16");
}

static void test_missing_direction(void **state)
{
	(void)state;
	load_fails(T_HEAD "\t\toutbound {\n\t\t\tspi = 0x2000\n"
		   "\t\t\ttransform = aes128gcm16\n\t\t\tkey = " KEY_B "\n\t\t}\n"
		   T_TAIL, IFS_ERR_NOT_FOUND, "t.conf:2:", "manual.site1",
		   "missing section inbound");
	load_fails(T_HEAD "\t\tinbound {\n\t\t\tspi = 0x2000\n"
		   "\t\t\ttransform = aes128gcm16\n\t\t\tkey = " KEY_B "\n\t\t}\n"
		   T_TAIL, IFS_ERR_NOT_FOUND, "t.conf:2:", "manual.site1",
		   "missing section outbound");
}

static void test_missing_keys(void **state)
{
	(void)state;
	load_fails("manual {\n\tsite1 {\n\t\tremote_addrs = 192.0.2.2\n" T_DIRS
		   T_TAIL, IFS_ERR_NOT_FOUND, "t.conf:2:", "manual.site1",
		   "missing local_addrs");
	load_fails("manual {\n\tsite1 {\n\t\tlocal_addrs = 192.0.2.2\n" T_DIRS
		   T_TAIL, IFS_ERR_NOT_FOUND, "t.conf:2:", "manual.site1",
		   "missing remote_addrs");
	load_fails(T_HEAD "\n\t\tinbound {\n"            /* 6 */
		   "\t\t\ttransform = aes128gcm16\n\t\t\tkey = " KEY_A "\n\t\t}\n"
		   T_TAIL, IFS_ERR_NOT_FOUND, "t.conf:6:", "manual.site1.inbound",
		   "missing spi");
	load_fails(T_HEAD "\t\tinbound {\n\t\t\tspi = 0x1000\n"
		   "\t\t\tkey = " KEY_A "\n\t\t}\n" T_TAIL, IFS_ERR_NOT_FOUND,
		   "t.conf:5:", "manual.site1.inbound", "missing transform");
	load_fails(T_HEAD "\t\tinbound {\n\t\t\tspi = 0x1000\n"
		   "\t\t\ttransform = aes128gcm16\n\t\t}\n" T_TAIL, IFS_ERR_NOT_FOUND,
		   "t.conf:5:", "manual.site1.inbound", "missing key");
}

static void test_duplicate_interface(void **state)
{
	struct conf *c;

	(void)state;
	/* site1 names x0 on line 5; site2 names it again on line 20. */
	load_fails(T_HEAD "\t\tinterface = x0\n" T_DIRS "\t}\n"
		   T2("site2", "192.0.2.1", "192.0.2.3", "x0", "0x3000", "0x4000", "")
		   "}\n", IFS_ERR_EXISTS, "t.conf:20:",
		   "interface x0 is already used by tunnel site1", "site2");
	/* Without an interface key site1 takes the lowest ipsecN that no
	 * tunnel names: site2 has ipsec0, so site1 gets ipsec1. */
	c = load_ok(T_HEAD T_DIRS "\t}\n"
		    T2("site2", "192.0.2.1", "192.0.2.3", "ipsec0", "0x3000", "0x4000", "")
		    "}\n");
	assert_string_equal(c->tunnels[0].ifname, "ipsec1");
	assert_true(c->tunnels[0].is_ifname_default);
	assert_string_equal(c->tunnels[1].ifname, "ipsec0");
	assert_false(c->tunnels[1].is_ifname_default);
	conf_free(c);
}

static void test_syntax_errors(void **state)
{
	(void)state;
	load_fails(T_HEAD T_DIRS "\t}\n", IFS_ERR_SYNTAX, "t.conf:1:",
		   "section 'manual' is not closed", NULL);
	load_fails(T_HEAD T_DIRS T_TAIL "}\n", IFS_ERR_SYNTAX, "t.conf:17:",
		   "unexpected '}'", NULL);
	load_fails(T_HEAD "\t\tencap yes\n" T_DIRS T_TAIL, IFS_ERR_SYNTAX,
		   "t.conf:5:", "expected '=' or '{' after 'encap'", NULL);
	load_fails(T_HEAD "\t\tinterface = \"ipsec0\n" T_DIRS T_TAIL,
		   IFS_ERR_SYNTAX, "t.conf:5:", "unterminated quoted string", NULL);
	load_fails(T_HEAD "\t\tinclude extra.conf\n" T_DIRS T_TAIL,
		   IFS_ERR_UNSUPPORTED, "t.conf:5:", "include", NULL);
}

static void test_include_depth(void **state)
{
	char dir[] = "/tmp/ifsec-conf-XXXXXX", path[128], cmd[160];
	struct conf_err err;
	struct conf *c = (struct conf *)1;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/self.conf", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("manual {\n}\n\ninclude self.conf\n", f);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(conf_load(path, &c, &err), IFS_ERR_RANGE);
	assert_null(c);
	assert_non_null(strstr(err.msg, "self.conf:4:"));
	assert_non_null(strstr(err.msg, "include depth exceeds 10"));

	/* And a good file through conf_load, with an include in a section. */
	snprintf(path, sizeof(path), "%s/tun.inc", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("local_addrs = 192.0.2.1\nremote_addrs = 192.0.2.2\n" T_DIRS, f);
	assert_int_equal(fclose(f), 0);
	snprintf(path, sizeof(path), "%s/main.conf", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("manual {\n\tsite1 {\n\t\tinclude tun.inc\n\t}\n}\n", f);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(conf_load(path, &c, &err), 0);
	assert_int_equal(c->n_tunnels, 1);
	assert_int_equal(c->tunnels[0].in.spi, 0x1000);
	conf_free(c);

	snprintf(path, sizeof(path), "%s/none.conf", dir);
	assert_true(conf_load(path, &c, &err) < 0);
	assert_non_null(strstr(err.msg, "none.conf"));
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

static void test_route_into_own_tunnel(void **state)
{
	(void)state;
	load_fails(T_HEAD "\t\troutes = 203.0.113.0/24, 192.0.2.0/24\n" T_DIRS
		   T_TAIL, IFS_ERR_LOOP, "t.conf:5:",
		   "route 192.0.2.0/24 would carry the peer address 192.0.2.2 of "
		   "tunnel site1 into its own tunnel", NULL);
	load_fails(T_HEAD "\t\troutes = 0.0.0.0/0\n" T_DIRS T_TAIL, IFS_ERR_LOOP,
		   "t.conf:5:", "route 0.0.0.0/0", "192.0.2.2");
	load_fails(T_HEAD "\t\tinterface_addrs = 192.0.2.5/24\n" T_DIRS T_TAIL,
		   IFS_ERR_LOOP, "t.conf:5:", "interface address 192.0.2.5/24",
		   "peer address 192.0.2.2");
	/* A route of the other family, or next to the peer, is fine. */
	conf_free(load_ok(T_HEAD "\t\troutes = ::/0, 192.0.2.0/31\n" T_DIRS T_TAIL));
}

static void test_route_into_other_tunnel(void **state)
{
	(void)state;
	/* site2's route (line 20) covers site1's peer 192.0.2.2. */
	load_fails(T_HEAD T_DIRS "\t}\n"
		   T2("site2", "192.0.2.1", "198.51.100.7", "ipsec1", "0x3000",
		      "0x4000", "\t\troutes = 192.0.2.0/30\n")
		   "}\n", IFS_ERR_LOOP, "t.conf:20:",
		   "route 192.0.2.0/30 of tunnel site2 would carry the peer address "
		   "192.0.2.2 of tunnel site1 into tunnel site2", NULL);
}

static void test_same_key_twice(void **state)
{
	(void)state;
	load_fails(T_HEAD "\t\tinbound {\n\t\t\tspi = 0x1000\n"
		   "\t\t\ttransform = aes128gcm16\n\t\t\tkey = " KEY_A "\n\t\t}\n"
		   "\t\toutbound {\n\t\t\tspi = 0x2000\n"
		   "\t\t\ttransform = aes128gcm16\n"
		   "\t\t\tkey = " KEY_A "\n"               /* 13 */
		   "\t\t}\n" T_TAIL, IFS_ERR_INVAL, "t.conf:13:",
		   "outbound key is the same as the inbound key of tunnel site1",
		   NULL);
}

static void test_other_values(void **state)
{
	(void)state;
	load_fails(T_HEAD "\t\tmode = transport\n" T_DIRS T_TAIL,
		   IFS_ERR_UNSUPPORTED, "t.conf:5: mode:", "not supported yet", NULL);
	load_fails(T_HEAD "\t\tmode = beet\n" T_DIRS T_TAIL, IFS_ERR_UNSUPPORTED,
		   "t.conf:5: mode:", "beet is not supported", NULL);
	load_fails(T_HEAD "\t\tmode = tunel\n" T_DIRS T_TAIL, IFS_ERR_INVAL,
		   "t.conf:5: mode:", "'tunel' is not tunnel", NULL);
	load_fails(T_HEAD "\t\tencap = maybe\n" T_DIRS T_TAIL, IFS_ERR_SYNTAX,
		   "t.conf:5: encap:", "'maybe'", NULL);
	load_fails(T_HEAD "\t\tlocal_port = 4501\n" T_DIRS T_TAIL, IFS_ERR_INVAL,
		   "t.conf:5: local_port:", "encap = yes", NULL);
	load_fails(T_HEAD "\t\tencap = yes\n\t\tremote_port = 0\n" T_DIRS T_TAIL,
		   IFS_ERR_RANGE, "t.conf:6: remote_port:", "out of range", NULL);
	load_fails(T_HEAD "\t\treplay_window = 65537\n" T_DIRS T_TAIL,
		   IFS_ERR_RANGE, "t.conf:5: replay_window:", "65537", NULL);
	load_fails(T_HEAD "\t\tinterface = eth0/1\n" T_DIRS T_TAIL, IFS_ERR_INVAL,
		   "t.conf:5: interface:", "'eth0/1'", NULL);
	load_fails(T_HEAD "\t\tinterface = ipsec-with-long-name\n" T_DIRS T_TAIL,
		   IFS_ERR_INVAL, "t.conf:5: interface:", "not a valid interface", NULL);
	load_fails(T_HEAD "\t\tinterface = ..\n" T_DIRS T_TAIL, IFS_ERR_INVAL,
		   "t.conf:5: interface:", NULL, NULL);
	load_fails(T_HEAD "\t\tinterface_mtu = 1000\n"
		   "\t\tinterface_addrs = 2001:db8:1::1/64\n" T_DIRS T_TAIL,
		   IFS_ERR_RANGE, "t.conf:5: interface_mtu:", "below 1280", NULL);
	load_fails(T_HEAD "\t\tinterface_mtu = 575\n" T_DIRS T_TAIL,
		   IFS_ERR_RANGE, "t.conf:5: interface_mtu:", "below 576", NULL);
	load_fails(T_HEAD "\t\tinterface_mtu = 65536\n" T_DIRS T_TAIL,
		   IFS_ERR_RANGE, "t.conf:5: interface_mtu:", NULL, NULL);
	/* IPv4 only may go down to 576. */
	conf_free(load_ok(T_HEAD "\t\tinterface_mtu = 576\n"
			  "\t\tinterface_addrs = 198.51.100.1/30\n" T_DIRS T_TAIL));
}

/* A copy of the header's example with three keys on one line is not
 * swanctl syntax (a value runs to the end of the line): the message must
 * say so without echoing the line, which holds the key. */
static void test_keys_on_one_line(void **state)
{
	(void)state;
	load_fails(T_HEAD "\t\tinbound { spi = 0x1000  transform = aes128gcm16  "
		   "key = " KEY_A " }\n" T_TAIL, IFS_ERR_SYNTAX, "t.conf:5: spi:",
		   "one key = value per line", NULL);
	load_fails(T_HEAD "\t\tinbound {\n\t\t\tspi = 0x1000\n"
		   "\t\t\ttransform = aes128gcm16 key = " KEY_A "\n" /* 7 */
		   "\t\t}\n" T_TAIL, IFS_ERR_SYNTAX, "t.conf:7: transform:",
		   "one key = value per line", NULL);
}

static void test_too_many_tunnels(void **state)
{
	size_t cap = 1100 * 16, pos = 0;
	char *text = malloc(cap);

	(void)state;
	assert_non_null(text);
	pos += (size_t)snprintf(text, cap, "\nmanual {\n");
	for (int i = 0; i < 1025; i++)
		pos += (size_t)snprintf(text + pos, cap - pos, "\tt%d { }\n", i);
	snprintf(text + pos, cap - pos, "}\n");
	load_fails(text, IFS_ERR_RANGE, "t.conf:2:", "more than 1024 tunnels", NULL);
	free(text);
}

static void test_name_too_long(void **state)
{
	(void)state;
	load_fails("manual {\n\ta-tunnel-name-that-is-much-longer-than-sixty-three-"
		   "characters-in-total { }\n}\n", IFS_ERR_RANGE, "t.conf:2:",
		   "longer than 63", NULL);
}

/* The daemon's section: values, defaults (-1), errors with file:line. */
static void test_daemon_section(void **state)
{
	struct conf *c;

	(void)state;
	c = load_ok("ifsecd {\n"
		    "\tretransmit_timeout = 0.5\n"
		    "\tretransmit_base = 2\n"
		    "\tretransmit_tries = 7\n"
		    "\thalf_open_timeout = 10s\n"
		    "\tcookie_threshold = 0\n"
		    "\tinit_limit_half_open = 20\n"
		    "\tkeep_alive = 1m\n"
		    "\tkeylog = /tmp/keys\n"
		    "}\n");
	assert_int_equal(c->daemon.retransmit_timeout_ms, 500);
	assert_int_equal(c->daemon.retransmit_base_milli, 2000);
	assert_int_equal(c->daemon.retransmit_tries, 7);
	assert_int_equal(c->daemon.half_open_timeout_ms, 10000);
	assert_int_equal(c->daemon.cookie_threshold, 0);
	assert_int_equal(c->daemon.cookie_threshold_ip, -1);
	assert_int_equal(c->daemon.block_threshold, -1);
	assert_int_equal(c->daemon.init_limit_half_open, 20);
	assert_int_equal(c->daemon.keep_alive_s, 60);
	assert_string_equal(c->daemon.keylog, "/tmp/keys");
	conf_free(c);
	c = load_ok("ifsecd {\n}\n");
	assert_int_equal(c->daemon.retransmit_timeout_ms, -1);
	assert_int_equal(c->daemon.keylog[0], 0);
	assert_int_equal(c->daemon.keep_alive_s, -1);
	conf_free(c);
	load_fails("ifsecd {\n\tkeep_alive = 2h\n}\n", IFS_ERR_RANGE, "t.conf:2", "keep_alive",
		   "at most 1 h");
	load_fails("ifsecd {\n\tretransmit_timeout = 4s\n}\n", IFS_ERR_RANGE,
		   "t.conf:2", "retransmit_timeout", "seconds");
	load_fails("ifsecd {\n\tretransmit_base = 0.9\n}\n", IFS_ERR_RANGE,
		   "t.conf:2", "retransmit_base", NULL);
	load_fails("ifsecd {\n\n\tcharon_threads = 4\n}\n", IFS_ERR_NOT_FOUND,
		   "t.conf:3", "charon_threads", "known: retransmit_timeout");
	load_fails("ifsecd {\n\tcookie_threshold = -1\n}\n", 0, "t.conf:2",
		   "cookie_threshold", NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_example),
		cmocka_unit_test(test_empty_and_skeleton),
		cmocka_unit_test(test_unknown_key),
		cmocka_unit_test(test_unknown_section),
		cmocka_unit_test(test_later_sections_refused),
		cmocka_unit_test(test_wrong_key_length),
		cmocka_unit_test(test_bad_key_encoding),
		cmocka_unit_test(test_spi_below_256),
		cmocka_unit_test(test_duplicate_inbound_spi),
		cmocka_unit_test(test_bad_address),
		cmocka_unit_test(test_family_mismatch),
		cmocka_unit_test(test_bad_prefix),
		cmocka_unit_test(test_unknown_transform),
		cmocka_unit_test(test_missing_direction),
		cmocka_unit_test(test_missing_keys),
		cmocka_unit_test(test_duplicate_interface),
		cmocka_unit_test(test_syntax_errors),
		cmocka_unit_test(test_include_depth),
		cmocka_unit_test(test_route_into_own_tunnel),
		cmocka_unit_test(test_route_into_other_tunnel),
		cmocka_unit_test(test_same_key_twice),
		cmocka_unit_test(test_other_values),
		cmocka_unit_test(test_keys_on_one_line),
		cmocka_unit_test(test_name_too_long),
		cmocka_unit_test(test_too_many_tunnels),
		cmocka_unit_test(test_daemon_section),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
