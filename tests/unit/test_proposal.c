/* SPDX-License-Identifier: BSD-2-Clause */
/* Proposals as text (src/ike/proposal_str.c): strongSwan's keywords into
 * transforms in keyword order, the checks strongSwan makes (and the two
 * ifsec adds), each reject with its message, the defaults, and the
 * keyword form written back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "common/err.h"
#include "ike/ike_wire.h"
#include "ike/proposal.h"

static struct ike_prop parse_ok(const char *s, uint8_t protocol)
{
	char why[512] = "";
	struct ike_prop p;
	int rc = proposal_parse(s, protocol, &p, why, sizeof(why));

	if (rc != 0)
		print_error("'%s': %s\n", s, why);
	assert_int_equal(rc, 0);
	assert_int_equal(p.protocol, protocol);
	assert_int_equal(p.num, 0);
	assert_int_equal(p.spi_len, 0);
	return p;
}

static void assert_xf(const struct ike_prop *p, size_t i, uint8_t type,
		      uint16_t id, uint16_t key_bits)
{
	assert_true(i < p->n_xf);
	assert_int_equal(p->xf[i].type, type);
	assert_int_equal(p->xf[i].id, id);
	assert_int_equal(p->xf[i].key_bits, key_bits);
	assert_false(p->xf[i].has_unknown_attr);
}

/* Parsed and written back: the keyword form, aliases replaced. */
static void assert_str(const char *s, uint8_t protocol, const char *want)
{
	struct ike_prop p = parse_ok(s, protocol);
	char buf[256];

	assert_string_equal(proposal_str(&p, buf, sizeof(buf)), want);
}

static void parse_fails(const char *s, uint8_t protocol, int rc_want,
			const char *s1, const char *s2)
{
	struct ike_prop p;
	char why[512] = "";
	int rc = proposal_parse(s, protocol, &p, why, sizeof(why));

	assert_int_equal(rc, rc_want);
	assert_int_equal(p.n_xf, 0);
	assert_true(strlen(why) > 0);
	if (!strstr(why, s1) || (s2 && !strstr(why, s2)))
		print_error("'%s' / '%s' not in: %s\n", s1, s2 ? s2 : "", why);
	assert_non_null(strstr(why, s1));
	if (s2)
		assert_non_null(strstr(why, s2));
}

static void test_parse_ike_aead(void **state)
{
	struct ike_prop p = parse_ok("aes128gcm16-prfsha256-x25519", IKE_PROTO_IKE);

	(void)state;
	assert_int_equal(p.n_xf, 3);
	assert_xf(&p, 0, IKE_TT_ENCR, IKE_ENCR_AES_GCM_16, 128);
	assert_xf(&p, 1, IKE_TT_PRF, IKE_PRF_HMAC_SHA2_256, 0);
	assert_xf(&p, 2, IKE_TT_KE, IKE_KE_CURVE25519, 0);
	p = parse_ok("chacha20poly1305-aes256gcm128-prfsha512-curve25519-ecp384",
		     IKE_PROTO_IKE);
	assert_int_equal(p.n_xf, 5);
	assert_xf(&p, 0, IKE_TT_ENCR, IKE_ENCR_CHACHA20_POLY1305, 0);
	assert_xf(&p, 1, IKE_TT_ENCR, IKE_ENCR_AES_GCM_16, 256);
	assert_xf(&p, 2, IKE_TT_PRF, IKE_PRF_HMAC_SHA2_512, 0);
	assert_xf(&p, 3, IKE_TT_KE, IKE_KE_CURVE25519, 0);
	assert_xf(&p, 4, IKE_TT_KE, IKE_KE_ECP384, 0);
}

/* Without a prf keyword, one PRF per integrity algorithm (strongSwan),
 * after the keywords. */
static void test_parse_ike_derived_prf(void **state)
{
	struct ike_prop p = parse_ok("aes256-sha384-sha256-ecp384", IKE_PROTO_IKE);

	(void)state;
	assert_int_equal(p.n_xf, 6);
	assert_xf(&p, 0, IKE_TT_ENCR, IKE_ENCR_AES_CBC, 256);
	assert_xf(&p, 1, IKE_TT_INTEG, IKE_INTEG_HMAC_SHA2_384_192, 0);
	assert_xf(&p, 2, IKE_TT_INTEG, IKE_INTEG_HMAC_SHA2_256_128, 0);
	assert_xf(&p, 3, IKE_TT_KE, IKE_KE_ECP384, 0);
	assert_xf(&p, 4, IKE_TT_PRF, IKE_PRF_HMAC_SHA2_384, 0);
	assert_xf(&p, 5, IKE_TT_PRF, IKE_PRF_HMAC_SHA2_256, 0);
	/* An explicit PRF is kept alone */
	p = parse_ok("aes128-sha256-prfsha512-modp2048", IKE_PROTO_IKE);
	assert_int_equal(p.n_xf, 4);
	assert_xf(&p, 2, IKE_TT_PRF, IKE_PRF_HMAC_SHA2_512, 0);
	assert_xf(&p, 3, IKE_TT_KE, IKE_KE_MODP2048, 0);
	p = parse_ok("aes128-sha2_512-modp3072", IKE_PROTO_IKE);
	assert_xf(&p, 1, IKE_TT_INTEG, IKE_INTEG_HMAC_SHA2_512_256, 0);
	assert_xf(&p, 3, IKE_TT_PRF, IKE_PRF_HMAC_SHA2_512, 0);
}

static void test_parse_esp(void **state)
{
	struct ike_prop p = parse_ok("aes128gcm16", IKE_PROTO_ESP);

	(void)state;
	assert_int_equal(p.n_xf, 2);
	assert_xf(&p, 0, IKE_TT_ENCR, IKE_ENCR_AES_GCM_16, 128);
	assert_xf(&p, 1, IKE_TT_ESN, IKE_ESN_NO, 0);
	p = parse_ok("aes256-sha256-esn", IKE_PROTO_ESP);
	assert_int_equal(p.n_xf, 3);
	assert_xf(&p, 0, IKE_TT_ENCR, IKE_ENCR_AES_CBC, 256);
	assert_xf(&p, 1, IKE_TT_INTEG, IKE_INTEG_HMAC_SHA2_256_128, 0);
	assert_xf(&p, 2, IKE_TT_ESN, IKE_ESN_YES, 0);
	/* PFS groups, and both ESN values in the order written */
	p = parse_ok("aes128gcm16-x25519-modp3072-noesn-esn", IKE_PROTO_ESP);
	assert_int_equal(p.n_xf, 5);
	assert_xf(&p, 1, IKE_TT_KE, IKE_KE_CURVE25519, 0);
	assert_xf(&p, 2, IKE_TT_KE, IKE_KE_MODP3072, 0);
	assert_xf(&p, 3, IKE_TT_ESN, IKE_ESN_NO, 0);
	assert_xf(&p, 4, IKE_TT_ESN, IKE_ESN_YES, 0);
	/* No PRF is derived for ESP */
	p = parse_ok("aes128-sha512", IKE_PROTO_ESP);
	assert_int_equal(p.n_xf, 3);
	assert_xf(&p, 1, IKE_TT_INTEG, IKE_INTEG_HMAC_SHA2_512_256, 0);
}

static void test_parse_aliases_and_case(void **state)
{
	(void)state;
	assert_str("aes128gcm128-prfsha256-curve25519", IKE_PROTO_IKE,
		   "aes128gcm16-prfsha256-x25519");
	assert_str("aes-sha2_256-sha2_384-modp2048", IKE_PROTO_IKE,
		   "aes128-sha256-sha384-prfsha256-prfsha384-modp2048");
	assert_str("AES256GCM16", IKE_PROTO_ESP, "aes256gcm16-noesn");
}

static void test_parse_unknown_keyword(void **state)
{
	(void)state;
	parse_fails("aes129-sha256-x25519", IKE_PROTO_IKE, IFS_ERR_NOT_FOUND,
		    "unknown algorithm 'aes129' in proposal 'aes129-sha256-x25519';"
		    " supported: aes128, aes256, aes128gcm16", "prfsha256");
	/* ESP's list has no PRF but has esn */
	parse_fails("aes128-foo", IKE_PROTO_ESP, IFS_ERR_NOT_FOUND,
		    "unknown algorithm 'foo'", "modp2048, esn, noesn");
	parse_fails("aes128gcm16-default", IKE_PROTO_ESP, IFS_ERR_NOT_FOUND,
		    "unknown algorithm 'default'", NULL);
}

static void test_parse_unsupported_keyword(void **state)
{
	static const char *const names[] = {
		"aes192", "3des", "sha1", "modp1024", "ecp521", "x448",
		"aes128ccm16", "aes192gcm16", "camellia256", "md5", "prfsha1",
		"modp1536", "ecp256bp", "aes256ctr", "aes128gcm64", "mlkem768",
		"ke1_mlkem768", "aesxcbc", "sha256_96", "curve448", "modpnone",
	};

	(void)state;
	parse_fails("aes192-sha256-x25519", IKE_PROTO_IKE, IFS_ERR_UNSUPPORTED,
		    "algorithm 'aes192' in proposal 'aes192-sha256-x25519' is not "
		    "supported by ifsec; supported: aes128", NULL);
	for (size_t i = 0; i < IFS_ARRAY_LEN(names); i++) {
		char s[64];

		snprintf(s, sizeof(s), "aes128-sha256-x25519-%s", names[i]);
		parse_fails(s, IKE_PROTO_IKE, IFS_ERR_UNSUPPORTED, names[i],
			    "not supported by ifsec");
	}
}

static void test_parse_rules(void **state)
{
	(void)state;
	parse_fails("sha256-prfsha256-x25519", IKE_PROTO_IKE, IFS_ERR_INVAL,
		    "no encryption algorithm", NULL);
	parse_fails("aes128-sha256", IKE_PROTO_IKE, IFS_ERR_INVAL,
		    "no key exchange group", NULL);
	parse_fails("aes128gcm16-x25519", IKE_PROTO_IKE, IFS_ERR_INVAL,
		    "no PRF", "AEAD");
	parse_fails("aes128-x25519", IKE_PROTO_IKE, IFS_ERR_INVAL,
		    "no integrity algorithm", "aes128 needs");
	parse_fails("aes128", IKE_PROTO_ESP, IFS_ERR_INVAL,
		    "no integrity algorithm", NULL);
	parse_fails("aes128gcm16-sha256-prfsha256-x25519", IKE_PROTO_IKE,
		    IFS_ERR_INVAL, "mixes AEAD (aes128gcm16) and integrity (sha256)",
		    NULL);
	parse_fails("aes128gcm16-sha256", IKE_PROTO_ESP, IFS_ERR_INVAL,
		    "mixes AEAD", NULL);
	parse_fails("aes128-aes128gcm16-sha256-x25519", IKE_PROTO_IKE,
		    IFS_ERR_INVAL, "mixes AEAD (aes128gcm16) and non-AEAD (aes128)",
		    NULL);
	parse_fails("aes128gcm16-prfsha256", IKE_PROTO_ESP, IFS_ERR_INVAL,
		    "'prfsha256' in ESP proposal", "no PRF");
	parse_fails("aes128gcm16-prfsha256-x25519-esn", IKE_PROTO_IKE,
		    IFS_ERR_INVAL, "'esn' in IKE proposal", "ESP proposals only");
	parse_fails("aes128gcm16-prfsha256-x25519-noesn", IKE_PROTO_IKE,
		    IFS_ERR_INVAL, "'noesn'", NULL);
}

static void test_parse_syntax(void **state)
{
	char long_text[1100];

	(void)state;
	parse_fails("", IKE_PROTO_IKE, IFS_ERR_SYNTAX, "empty IKE proposal", NULL);
	parse_fails("aes128--sha256-x25519", IKE_PROTO_IKE, IFS_ERR_SYNTAX,
		    "empty algorithm name", NULL);
	parse_fails("aes128-sha256-x25519-", IKE_PROTO_IKE, IFS_ERR_SYNTAX,
		    "empty algorithm name", NULL);
	parse_fails("-aes128gcm16", IKE_PROTO_ESP, IFS_ERR_SYNTAX,
		    "empty algorithm name", NULL);
	parse_fails("aes128-sha256-sha256-x25519", IKE_PROTO_IKE, IFS_ERR_INVAL,
		    "'sha256' appears twice", NULL);
	parse_fails("aes128-sha256-sha2_256-x25519", IKE_PROTO_IKE, IFS_ERR_INVAL,
		    "'sha2_256' appears twice", "alias");
	parse_fails("default", IKE_PROTO_IKE, IFS_ERR_INVAL, "'default'", NULL);
	parse_fails("aes128gcm16", 2, IFS_ERR_INVAL, "protocol 2", NULL);
	memset(long_text, 'a', sizeof(long_text) - 1);
	long_text[sizeof(long_text) - 1] = '\0';
	parse_fails(long_text, IKE_PROTO_IKE, IFS_ERR_RANGE, "longer than", NULL);
	/* A long unknown keyword is quoted shortened, never overflowing */
	memcpy(long_text, "aes128-", 7);
	long_text[600] = '\0';
	parse_fails(long_text, IKE_PROTO_ESP, IFS_ERR_NOT_FOUND,
		    "unknown algorithm 'aaaa", "...'");
	/* Unprintable bytes are not echoed */
	parse_fails("aes128-\x01\x02", IKE_PROTO_ESP, IFS_ERR_NOT_FOUND,
		    "unknown algorithm", "'aes128-?" "?'");
	/* No room for a reason: the error stands */
	assert_int_equal(proposal_parse("aes192", IKE_PROTO_ESP,
					&(struct ike_prop){ 0 }, NULL, 0),
			 IFS_ERR_UNSUPPORTED);
}

static void test_parse_defaults(void **state)
{
	struct ike_prop p[4];
	char buf[256];

	(void)state;
	assert_int_equal(proposal_default(IKE_PROTO_IKE, p, 4), 2);
	assert_string_equal(proposal_str(&p[0], buf, sizeof(buf)),
			    "aes128gcm16-aes256gcm16-chacha20poly1305-prfsha256-"
			    "prfsha384-prfsha512-x25519-ecp256-ecp384-modp3072-"
			    "modp2048");
	assert_int_equal(p[0].protocol, IKE_PROTO_IKE);
	assert_string_equal(proposal_str(&p[1], buf, sizeof(buf)),
			    "aes128-aes256-sha256-sha384-sha512-prfsha256-prfsha384-"
			    "prfsha512-x25519-ecp256-ecp384-modp3072-modp2048");
	assert_int_equal(proposal_default(IKE_PROTO_ESP, p, 4), 2);
	assert_int_equal(p[0].protocol, IKE_PROTO_ESP);
	assert_string_equal(proposal_str(&p[0], buf, sizeof(buf)),
			    "aes128gcm16-aes256gcm16-chacha20poly1305-noesn");
	assert_string_equal(proposal_str(&p[1], buf, sizeof(buf)),
			    "aes128-aes256-sha256-sha384-sha512-noesn");
	/* Bounded by max */
	assert_int_equal(proposal_default(IKE_PROTO_ESP, p, 1), 1);
	assert_int_equal(proposal_default(IKE_PROTO_ESP, p, 0), 0);
	assert_int_equal(proposal_default(IKE_PROTO_AH, p, 4), 0);
}

static void test_parse_round_trip(void **state)
{
	static const char *const ike[] = {
		"aes128gcm16-prfsha256-x25519",
		"aes256-sha512-prfsha512-ecp384-modp3072",
		"chacha20poly1305-prfsha384-ecp256",
	};
	static const char *const esp[] = {
		"aes128gcm16-noesn", "aes256-sha384-esn", "aes128gcm16-x25519-noesn",
	};

	(void)state;
	for (size_t i = 0; i < IFS_ARRAY_LEN(ike); i++)
		assert_str(ike[i], IKE_PROTO_IKE, ike[i]);
	for (size_t i = 0; i < IFS_ARRAY_LEN(esp); i++)
		assert_str(esp[i], IKE_PROTO_ESP, esp[i]);
}

static void test_parse_xf_names(void **state)
{
	(void)state;
	assert_string_equal(proposal_xf_name(IKE_TT_ENCR, IKE_ENCR_AES_CBC, 128),
			    "aes128");
	assert_string_equal(proposal_xf_name(IKE_TT_ENCR, IKE_ENCR_AES_GCM_16, 256),
			    "aes256gcm16");
	assert_string_equal(proposal_xf_name(IKE_TT_ENCR,
					     IKE_ENCR_CHACHA20_POLY1305, 0),
			    "chacha20poly1305");
	assert_string_equal(proposal_xf_name(IKE_TT_INTEG,
					     IKE_INTEG_HMAC_SHA2_384_192, 0),
			    "sha384");
	assert_string_equal(proposal_xf_name(IKE_TT_PRF, IKE_PRF_HMAC_SHA2_512, 0),
			    "prfsha512");
	assert_string_equal(proposal_xf_name(IKE_TT_KE, IKE_KE_CURVE25519, 0),
			    "x25519");
	assert_string_equal(proposal_xf_name(IKE_TT_KE, IKE_KE_MODP2048, 0),
			    "modp2048");
	assert_string_equal(proposal_xf_name(IKE_TT_ESN, IKE_ESN_YES, 0), "esn");
	assert_string_equal(proposal_xf_name(IKE_TT_ESN, IKE_ESN_NO, 0), "noesn");
	/* What a peer may offer that ifsec does not do, by strongSwan's name */
	assert_string_equal(proposal_xf_name(IKE_TT_ENCR, 3, 0), "3des");
	assert_string_equal(proposal_xf_name(IKE_TT_ENCR, IKE_ENCR_AES_CBC, 192),
			    "aes192");
	assert_string_equal(proposal_xf_name(IKE_TT_KE, 2, 0), "modp1024");
	assert_string_equal(proposal_xf_name(IKE_TT_INTEG, 2, 0), "sha1");
	/* Unknown */
	assert_string_equal(proposal_xf_name(IKE_TT_ENCR, IKE_ENCR_AES_CBC, 64), "?");
	assert_string_equal(proposal_xf_name(IKE_TT_ENCR, 1000, 0), "?");
	assert_string_equal(proposal_xf_name(9, 1, 0), "?");
}

static void test_parse_str_received(void **state)
{
	struct ike_prop p = {
		.protocol = IKE_PROTO_IKE, .n_xf = 5, .xf = {
			{ .type = IKE_TT_ENCR, .id = IKE_ENCR_AES_CBC, .key_bits = 192 },
			{ .type = IKE_TT_ENCR, .id = 1000, .key_bits = 128 },
			{ .type = IKE_TT_INTEG, .id = 2 },
			{ .type = IKE_TT_KE, .id = 99 },
			{ .type = 77, .id = 3 },
		},
	};
	char buf[256], small[12];

	(void)state;
	assert_string_equal(proposal_str(&p, buf, sizeof(buf)),
			    "aes192-ENCR_1000_128-sha1-KE_99-TYPE77_3");
	/* Bounded: whole pieces only */
	assert_string_equal(proposal_str(&p, small, sizeof(small)), "aes192-");
	assert_string_equal(proposal_str(&p, buf, 0), "");
	p.n_xf = 0;
	assert_string_equal(proposal_str(&p, buf, sizeof(buf)), "");
}

static void test_parse_chosen_str(void **state)
{
	struct ike_chosen ike = {
		.protocol = IKE_PROTO_IKE, .encr = IKE_ENCR_AES_GCM_16,
		.encr_key_bits = 256, .prf = IKE_PRF_HMAC_SHA2_384,
		.ke = IKE_KE_ECP384,
	};
	struct ike_chosen esp = {
		.protocol = IKE_PROTO_ESP, .encr = IKE_ENCR_AES_CBC,
		.encr_key_bits = 128, .integ = IKE_INTEG_HMAC_SHA2_256_128,
		.esn = IKE_ESN_NO,
	};
	char buf[128];

	(void)state;
	assert_string_equal(proposal_chosen_str(&ike, buf, sizeof(buf)),
			    "aes256gcm16-prfsha384-ecp384");
	assert_string_equal(proposal_chosen_str(&esp, buf, sizeof(buf)),
			    "aes128-sha256-noesn");
	esp.esn = IKE_ESN_YES;
	esp.ke = IKE_KE_CURVE25519;
	assert_string_equal(proposal_chosen_str(&esp, buf, sizeof(buf)),
			    "aes128-sha256-x25519-esn");
	/* With the types bits, they alone decide what is written */
	esp.types = 1u << IKE_TT_ENCR | 1u << IKE_TT_INTEG | 1u << IKE_TT_ESN;
	assert_string_equal(proposal_chosen_str(&esp, buf, sizeof(buf)),
			    "aes128-sha256-esn");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_ike_aead),
		cmocka_unit_test(test_parse_ike_derived_prf),
		cmocka_unit_test(test_parse_esp),
		cmocka_unit_test(test_parse_aliases_and_case),
		cmocka_unit_test(test_parse_unknown_keyword),
		cmocka_unit_test(test_parse_unsupported_keyword),
		cmocka_unit_test(test_parse_rules),
		cmocka_unit_test(test_parse_syntax),
		cmocka_unit_test(test_parse_defaults),
		cmocka_unit_test(test_parse_round_trip),
		cmocka_unit_test(test_parse_xf_names),
		cmocka_unit_test(test_parse_str_received),
		cmocka_unit_test(test_parse_chosen_str),
	};

	return cmocka_run_group_tests_name("parse", tests, NULL, NULL);
}
