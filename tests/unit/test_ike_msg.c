/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The IKEv2 message codec (RFC 7296 §3): every builder through the
 * parser and decoders; one test per refusal, on crafted bytes
 * (RELIABILITY.md §2 rows 1, 3, 6-10, 12, 14, 16, 17); the builder's
 * bounds; and IKE_SA_INIT requests captured from strongSwan 5.9.8.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ike/msg.h"

static uint8_t buf[IKE_MAX_MSG];

static struct ike_payload pl(uint8_t type, const void *body, size_t len)
{
	struct ike_payload p = { .type = type, .body = body, .len = len };

	return p;
}

#define PL(type, arr) pl((type), (arr), sizeof(arr))

static enum ike_chain_err chain(uint8_t first, const uint8_t *b, size_t len,
				struct ike_chain *c)
{
	uint8_t bad = 0xee;
	enum ike_chain_err e = ike_chain_parse(first, b, len, c, &bad);

	if (e != IKE_CHAIN_CRITICAL)
		assert_int_equal(bad, 0);
	return e;
}

static struct ike_sa_pl dec_sa;
static struct ike_ts_pl dec_ts;
static struct ike_notify_pl dec_n;
static struct ike_delete_pl dec_d;

/* Decode m as the body of a payload of the given type. */
static int decode(uint8_t type, const uint8_t *m, size_t len)
{
	struct ike_payload p = pl(type, m, len);
	struct ike_ke_pl ke;
	struct ike_id_pl id;
	struct ike_auth_pl auth;
	struct ike_nonce_pl n;

	switch (type) {
	case IKE_PL_SA: return ike_decode_sa(&p, &dec_sa);
	case IKE_PL_KE: return ike_decode_ke(&p, &ke);
	case IKE_PL_IDI: return ike_decode_id(&p, &id);
	case IKE_PL_AUTH: return ike_decode_auth(&p, &auth);
	case IKE_PL_NONCE: return ike_decode_nonce(&p, &n);
	case IKE_PL_NOTIFY: return ike_decode_notify(&p, &dec_n);
	case IKE_PL_DELETE: return ike_decode_delete(&p, &dec_d);
	case IKE_PL_TSI: return ike_decode_ts(&p, &dec_ts);
	}
	fail();
	return 0;
}

/* decode() with m[at] set to v for the call. */
static int poke(uint8_t type, uint8_t *m, size_t len, size_t at, uint8_t v)
{
	uint8_t old = m[at];
	int r;

	m[at] = v;
	r = decode(type, m, len);
	m[at] = old;
	return r;
}

#define SYNTAX IFS_ERR_SYNTAX

static const struct ike_hdr hdr0 = {
	.spi_i = 0x0102030405060708, .spi_r = 0x1112131415161718,
	.version = IKE_VERSION_2, .exchange = IKE_AUTH,
	.flags = IKE_FLAG_INITIATOR, .msg_id = 0xa1b2c3d4,
};

/* ---- header (§3.1) ---- */

static void test_hdr_refused(void **state)
{
	uint8_t m[IKE_HDR_LEN + 4] = { 0 };
	struct ike_hdr h;

	/* Truncated: nothing, NULL, one byte short of a header. */
	assert_int_equal(ike_hdr_parse(NULL, 0, &h), IFS_ERR_SYNTAX);
	assert_int_equal(ike_hdr_parse(m, 0, &h), IFS_ERR_SYNTAX);
	m[27] = IKE_HDR_LEN - 1;
	assert_int_equal(ike_hdr_parse(m, IKE_HDR_LEN - 1, &h), IFS_ERR_SYNTAX);
	/* Length larger than the datagram, then smaller, then < 28. */
	m[27] = IKE_HDR_LEN + 5;
	assert_int_equal(ike_hdr_parse(m, IKE_HDR_LEN + 4, &h), IFS_ERR_SYNTAX);
	m[27] = IKE_HDR_LEN;
	assert_int_equal(ike_hdr_parse(m, IKE_HDR_LEN + 4, &h), IFS_ERR_SYNTAX);
	m[27] = 0;
	assert_int_equal(ike_hdr_parse(m, IKE_HDR_LEN, &h), IFS_ERR_SYNTAX);
	m[24] = 1, m[27] = IKE_HDR_LEN;    /* 2^24 + 28 */
	assert_int_equal(ike_hdr_parse(m, IKE_HDR_LEN, &h), IFS_ERR_SYNTAX);
	assert_int_equal(h.length, 0);
	m[24] = 0;
	assert_int_equal(ike_hdr_parse(m, IKE_HDR_LEN, &h), 0);
	/* Any version parses; the caller answers INVALID_MAJOR_VERSION. */
	m[17] = 0x30;
	assert_int_equal(ike_hdr_parse(m, IKE_HDR_LEN, &h), 0);
	assert_int_equal(IKE_MAJOR(h.version), 3);
}

/* ---- chain (§3.2) ---- */

static void test_chain_lengths(void **state)
{
	/* Nonce(16 bytes) then a notify with 4 bytes of body. */
	uint8_t m[] = {
		IKE_PL_NOTIFY, 0, 0, 20, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
		13, 14, 15, 16,
		IKE_PL_NONE, 0, 0, 8, 0, 0, 0x40, 0x2e,
	};
	struct ike_chain c;

	assert_int_equal(chain(IKE_PL_NONCE, m, sizeof(m), &c), IKE_CHAIN_OK);
	assert_int_equal(c.n, 2);
	assert_int_equal(c.v[0].type, IKE_PL_NONCE);
	assert_int_equal(c.v[0].len, 16);
	assert_ptr_equal(c.v[0].body, m + 4);
	assert_int_equal(c.v[1].type, IKE_PL_NOTIFY);
	assert_int_equal(c.v[1].len, 4);
	/* Payload length < 4. */
	for (uint8_t l = 0; l < 4; l++) {
		m[23] = l;
		assert_int_equal(chain(IKE_PL_NONCE, m, sizeof(m), &c), IKE_CHAIN_SYNTAX);
		assert_int_equal(c.n, 0);
	}
	/* Longer than what is left, shorter (the next header lands in
	 * the body), and the chain cut anywhere. */
	m[23] = 9;
	assert_int_equal(chain(IKE_PL_NONCE, m, sizeof(m), &c), IKE_CHAIN_SYNTAX);
	m[23] = 7;
	assert_int_equal(chain(IKE_PL_NONCE, m, sizeof(m), &c), IKE_CHAIN_SYNTAX);
	m[23] = 8;
	for (size_t len = 0; len < sizeof(m); len++)
		assert_int_equal(chain(IKE_PL_NONCE, m, len, &c), IKE_CHAIN_SYNTAX);
	m[3] = 0xff;
	assert_int_equal(chain(IKE_PL_NONCE, m, sizeof(m), &c), IKE_CHAIN_SYNTAX);
}

static void test_chain_ends(void **state)
{
	uint8_t m[] = { IKE_PL_NONE, 0, 0, 4, IKE_PL_NONE, 0, 0, 4 };
	struct ike_chain c;

	/* Next Payload 0 with bytes after it: the chain ends early. */
	assert_int_equal(chain(IKE_PL_KE, m, sizeof(m), &c), IKE_CHAIN_SYNTAX);
	/* A next payload announced, but no bytes: past the end. */
	m[0] = IKE_PL_NONCE;
	assert_int_equal(chain(IKE_PL_KE, m, 4, &c), IKE_CHAIN_SYNTAX);
	assert_int_equal(chain(IKE_PL_KE, m, sizeof(m), &c), IKE_CHAIN_OK);
	assert_int_equal(c.n, 2);
	/* An empty chain is fine only when it announces nothing. */
	assert_int_equal(chain(IKE_PL_NONE, NULL, 0, &c), IKE_CHAIN_OK);
	assert_int_equal(c.n, 0);
	assert_int_equal(chain(IKE_PL_NONE, m, sizeof(m), &c), IKE_CHAIN_SYNTAX);
	assert_int_equal(chain(IKE_PL_SA, NULL, 0, &c), IKE_CHAIN_SYNTAX);
}

/* n payloads of 4 bytes, each of type t. */
static size_t tiny_chain(uint8_t *m, size_t n, uint8_t t)
{
	for (size_t i = 0; i < n; i++) {
		m[4 * i] = i + 1 < n ? t : IKE_PL_NONE;
		m[4 * i + 1] = 0, m[4 * i + 2] = 0, m[4 * i + 3] = 4;
	}
	return 4 * n;
}

static void test_chain_too_many(void **state)
{
	struct ike_chain c;
	size_t len;

	len = tiny_chain(buf, IKE_MAX_PAYLOADS, IKE_PL_VENDOR);
	assert_int_equal(chain(IKE_PL_VENDOR, buf, len, &c), IKE_CHAIN_OK);
	assert_int_equal(c.n, IKE_MAX_PAYLOADS);
	assert_int_equal(ike_chain_count(&c, IKE_PL_VENDOR), IKE_MAX_PAYLOADS);
	len = tiny_chain(buf, IKE_MAX_PAYLOADS + 1, IKE_PL_VENDOR);
	assert_int_equal(chain(IKE_PL_VENDOR, buf, len, &c), IKE_CHAIN_TOO_MANY);
	assert_int_equal(c.n, 0);
	/* Unknown payloads are not stored but count against the bound
	 * (Libreswan CVE-2026-12413). */
	len = tiny_chain(buf, 2000, 200);
	assert_int_equal(chain(200, buf, len, &c), IKE_CHAIN_TOO_MANY);
}

static void test_chain_unknown(void **state)
{
	/* Starting with IKEv1's SA (1): a private 200, then a KE with the
	 * critical bit. */
	uint8_t m[] = {
		200, 0, 0, 5, 0xaa,
		IKE_PL_KE, 0x7f, 0, 4,
		IKE_PL_NONE, IKE_PL_CRITICAL, 0, 6, 0, 1,
	};
	const struct ike_payload *p;
	struct ike_chain c;
	uint8_t bad = 0;

	/* Non-critical unknowns are skipped and counted; reserved bits of
	 * the flags byte are ignored. */
	assert_int_equal(chain(1, m, sizeof(m), &c), IKE_CHAIN_OK);
	assert_int_equal(c.n, 1);
	assert_int_equal(c.n_unknown, 2);
	p = ike_chain_find(&c, IKE_PL_KE);
	assert_non_null(p);
	assert_true(p->is_critical);
	assert_int_equal(p->len, 2);
	assert_null(ike_chain_find(&c, IKE_PL_SA));
	assert_int_equal(ike_chain_count(&c, IKE_PL_SA), 0);
	/* Unknown after unknown; then critical: refused, naming the type. */
	m[5] = 49, m[10] = 0;
	assert_int_equal(ike_chain_parse(1, m, sizeof(m), &c, &bad), IKE_CHAIN_OK);
	assert_int_equal(c.n_unknown, 3);
	m[10] = IKE_PL_CRITICAL;
	assert_int_equal(ike_chain_parse(1, m, sizeof(m), &c, &bad), IKE_CHAIN_CRITICAL);
	assert_int_equal(bad, 49);
	assert_int_equal(c.n, 0);
	/* An IKEv1 type with the critical bit (CVE-2015-3991). */
	m[1] = IKE_PL_CRITICAL;
	assert_int_equal(ike_chain_parse(1, m, sizeof(m), &c, &bad), IKE_CHAIN_CRITICAL);
	assert_int_equal(bad, 1);
	/* A critical known payload is just a payload. */
	m[1] = 0, m[5] = IKE_PL_NONCE;
	assert_int_equal(ike_chain_parse(1, m, sizeof(m), &c, &bad), IKE_CHAIN_OK);
}

static void test_chain_sk(void **state)
{
	uint8_t m[] = {
		IKE_PL_SK, 0, 0, 5, 0xaa,
		IKE_PL_IDI, 0, 0, 7, 1, 2, 3,
	};
	struct ike_chain c;
	struct ike_hdr h;
	uint8_t bad;

	assert_int_equal(chain(IKE_PL_VENDOR, m, sizeof(m), &c), IKE_CHAIN_OK);
	assert_int_equal(c.n, 2);
	assert_int_equal(c.v[1].type, IKE_PL_SK);
	assert_int_equal(c.v[1].len, 3);
	assert_int_equal(c.sk_first_inner, IKE_PL_IDI);
	assert_int_equal(c.sk_offset, 5);
	m[0] = IKE_PL_SKF;
	assert_int_equal(chain(IKE_PL_VENDOR, m, sizeof(m), &c), IKE_CHAIN_OK);
	assert_int_equal(c.v[1].type, IKE_PL_SKF);
	/* SK must run to the end: nothing may follow it. */
	m[8] = 6;
	assert_int_equal(chain(IKE_PL_VENDOR, m, sizeof(m), &c), IKE_CHAIN_SYNTAX);
	m[0] = IKE_PL_SK, m[8] = 7;
	assert_int_equal(chain(IKE_PL_SK, m + 5, 7, &c), IKE_CHAIN_OK);
	assert_int_equal(c.sk_offset, 0);
	assert_int_equal(chain(IKE_PL_SK, m, sizeof(m), &c), IKE_CHAIN_SYNTAX);
	/* In a message the offset counts from the header. */
	memset(buf, 0, IKE_HDR_LEN);
	buf[16] = IKE_PL_VENDOR, buf[27] = IKE_HDR_LEN + sizeof(m);
	memcpy(buf + IKE_HDR_LEN, m, sizeof(m));
	assert_int_equal(ike_hdr_parse(buf, IKE_HDR_LEN + sizeof(m), &h), 0);
	assert_int_equal(ike_msg_chain(&h, buf, h.length, &c, &bad), IKE_CHAIN_OK);
	assert_int_equal(c.sk_offset, IKE_HDR_LEN + 5);
	assert_int_equal(ike_msg_chain(&h, buf, IKE_HDR_LEN - 1, &c, &bad), IKE_CHAIN_SYNTAX);
}

/* ---- SA (§3.3) ---- */

static void prop_init(struct ike_prop *p, uint8_t num, uint8_t proto, uint8_t spi_len)
{
	memset(p, 0, sizeof(*p));
	p->num = num, p->protocol = proto, p->spi_len = spi_len;
	for (uint8_t i = 0; i < spi_len; i++)
		p->spi[i] = (uint8_t)(0xc0 + i);
}

static void add_xf(struct ike_prop *p, uint8_t type, uint16_t id, uint16_t key_bits)
{
	struct ike_xf *x = &p->xf[p->n_xf++];

	x->type = type, x->id = id, x->key_bits = key_bits;
}

static void assert_prop_equal(const struct ike_prop *a, const struct ike_prop *b)
{
	assert_int_equal(a->num, b->num);
	assert_int_equal(a->protocol, b->protocol);
	assert_int_equal(a->spi_len, b->spi_len);
	assert_memory_equal(a->spi, b->spi, a->spi_len);
	assert_int_equal(a->n_xf, b->n_xf);
	for (size_t i = 0; i < a->n_xf; i++) {
		assert_int_equal(a->xf[i].type, b->xf[i].type);
		assert_int_equal(a->xf[i].id, b->xf[i].id);
		assert_int_equal(a->xf[i].key_bits, b->xf[i].key_bits);
		assert_int_equal(a->xf[i].has_unknown_attr, b->xf[i].has_unknown_attr);
	}
}

/* Build an SA payload as a bare chain and decode it. */
static int sa_round_trip(const struct ike_prop *props, size_t n, struct ike_sa_pl *sa)
{
	static uint8_t out[UINT16_MAX];
	struct ike_builder b;
	struct ike_chain c;
	size_t len;

	ike_build_begin_chain(&b, out, sizeof(out));
	assert_true(ike_build_sa(&b, props, n));
	len = ike_build_finish(&b);
	assert_int_equal(b.first_type, IKE_PL_SA);
	assert_int_equal(chain(IKE_PL_SA, out, len, &c), IKE_CHAIN_OK);
	assert_int_equal(c.n, 1);
	return ike_decode_sa(&c.v[0], sa);
}

static void test_sa_round_trip(void **state)
{
	static struct ike_prop p[3];
	static struct ike_sa_pl sa;

	prop_init(&p[0], 1, IKE_PROTO_IKE, 0);
	add_xf(&p[0], IKE_TT_ENCR, IKE_ENCR_AES_GCM_16, 128);
	add_xf(&p[0], IKE_TT_ENCR, IKE_ENCR_AES_GCM_16, 256);
	add_xf(&p[0], IKE_TT_PRF, IKE_PRF_HMAC_SHA2_256, 0);
	add_xf(&p[0], IKE_TT_KE, IKE_KE_CURVE25519, 0);
	prop_init(&p[1], 2, IKE_PROTO_IKE, 8);
	add_xf(&p[1], IKE_TT_ENCR, IKE_ENCR_CHACHA20_POLY1305, 0);
	prop_init(&p[2], 3, IKE_PROTO_ESP, 4);
	add_xf(&p[2], IKE_TT_ENCR, IKE_ENCR_AES_CBC, 128);
	add_xf(&p[2], IKE_TT_INTEG, IKE_INTEG_HMAC_SHA2_256_128, 0);
	add_xf(&p[2], IKE_TT_ESN, IKE_ESN_NO, 0);
	assert_int_equal(sa_round_trip(p, 3, &sa), 0);
	assert_int_equal(sa.n, 3);
	for (size_t i = 0; i < 3; i++)
		assert_prop_equal(&sa.v[i], &p[i]);
	/* A reply's lone proposal carries the accepted number. */
	assert_int_equal(sa_round_trip(&p[2], 1, &sa), 0);
	assert_int_equal(sa.v[0].num, 3);
	/* Unknown protocols are kept for selection to skip; no transforms
	 * decodes too. */
	prop_init(&p[0], 1, 9, 2);
	assert_int_equal(sa_round_trip(p, 1, &sa), 0);
	assert_int_equal(sa.v[0].protocol, 9);
	assert_int_equal(sa.v[0].spi_len, 2);
	assert_int_equal(sa.v[0].n_xf, 0);
	/* The most of each. */
	{
		static struct ike_prop many[IKE_MAX_PROPOSALS];

		for (uint8_t i = 0; i < IKE_MAX_PROPOSALS; i++) {
			prop_init(&many[i], (uint8_t)(i + 1), IKE_PROTO_ESP, 4);
			for (uint16_t j = 0; j < IKE_MAX_TRANSFORMS; j++)
				add_xf(&many[i], IKE_TT_ENCR, j, j);
		}
		assert_int_equal(sa_round_trip(many, IKE_MAX_PROPOSALS, &sa), 0);
		assert_int_equal(sa.n, IKE_MAX_PROPOSALS);
		assert_prop_equal(&sa.v[15], &many[15]);
	}
}

/* One IKE proposal (num 1, SPI size 0) with the given transforms. */
#define PROP1(nxf, ...) \
	{ 0, 0, 0, 8 + sizeof((uint8_t[]){ __VA_ARGS__ }), 1, IKE_PROTO_IKE, 0, nxf, \
	  __VA_ARGS__ }
#define XF_ENCR(more) more, 0, 0, 8, IKE_TT_ENCR, 0, 0, IKE_ENCR_AES_GCM_16

static void test_sa_refused(void **state)
{
	uint8_t ok[] = PROP1(2, XF_ENCR(3), XF_ENCR(0));
	uint8_t zero[] = { 0, 0, 0, 8, 1, IKE_PROTO_IKE, 0, 0 };
	uint8_t two[] = { 2, 0, 0, 8, 1, IKE_PROTO_IKE, 0, 0,
			  0, 0, 0, 8, 2, IKE_PROTO_IKE, 0, 0 };
	uint8_t spi[] = { 0, 0, 0, 12, 1, IKE_PROTO_ESP, 4, 0, 1, 2, 3, 4 };
	const size_t n = sizeof(ok);

	assert_int_equal(decode(IKE_PL_SA, ok, n), 0);
	assert_int_equal(dec_sa.v[0].n_xf, 2);
	assert_int_equal(decode(IKE_PL_SA, ok, 0), SYNTAX);       /* no proposal */
	/* Transform count above what is there; below it (the first
	 * transform marked last, 8 bytes left over). */
	assert_int_equal(poke(IKE_PL_SA, ok, n, 7, 3), SYNTAX);
	ok[8] = IKE_LAST_TRANSFORM;
	assert_int_equal(poke(IKE_PL_SA, ok, n, 7, 1), SYNTAX);
	ok[8] = IKE_MORE_TRANSFORMS;
	/* Transform markers: 3 on the last, 0 or 1 before it. */
	assert_int_equal(poke(IKE_PL_SA, ok, n, 16, 3), SYNTAX);
	assert_int_equal(poke(IKE_PL_SA, ok, n, 8, 0), SYNTAX);
	assert_int_equal(poke(IKE_PL_SA, ok, n, 8, 1), SYNTAX);
	/* Transform length < 8 and past its proposal; proposal length < 8,
	 * past the payload and short of it. */
	assert_int_equal(poke(IKE_PL_SA, ok, n, 11, 7), SYNTAX);
	assert_int_equal(poke(IKE_PL_SA, ok, n, 11, 17), SYNTAX);
	assert_int_equal(poke(IKE_PL_SA, ok, n, 3, 7), SYNTAX);
	assert_int_equal(poke(IKE_PL_SA, ok, n, 3, 25), SYNTAX);
	assert_int_equal(poke(IKE_PL_SA, ok, n, 3, 23), SYNTAX);
	/* A proposal without transforms decodes (selection skips it). */
	assert_int_equal(decode(IKE_PL_SA, zero, sizeof(zero)), 0);
	assert_int_equal(dec_sa.n, 1);
	assert_int_equal(dec_sa.v[0].n_xf, 0);
	/* SPI sizes: IKE 0 or 8, ESP and AH 4, others at most 8. */
	assert_int_equal(decode(IKE_PL_SA, spi, 12), 0);
	assert_int_equal(dec_sa.v[0].spi[3], 4);
	assert_int_equal(poke(IKE_PL_SA, spi, 12, 5, IKE_PROTO_AH), 0);
	assert_int_equal(poke(IKE_PL_SA, spi, 12, 5, 0), 0);
	assert_int_equal(poke(IKE_PL_SA, spi, 12, 5, IKE_PROTO_IKE), SYNTAX);
	assert_int_equal(poke(IKE_PL_SA, spi, 12, 6, 5), SYNTAX);
	assert_int_equal(poke(IKE_PL_SA, spi, 12, 6, 8), SYNTAX);
	spi[3] = 8;
	assert_int_equal(poke(IKE_PL_SA, spi, 8, 6, 0), SYNTAX);
	/* Proposal markers: the first says last, the last says more. */
	assert_int_equal(decode(IKE_PL_SA, two, 16), 0);
	assert_int_equal(dec_sa.n, 2);
	assert_int_equal(poke(IKE_PL_SA, two, 16, 0, 0), SYNTAX);
	assert_int_equal(poke(IKE_PL_SA, two, 16, 8, 2), SYNTAX);
	/* Numbering 1, 3 and 2, 2; alone, any number but 0 (a reply). */
	assert_int_equal(poke(IKE_PL_SA, two, 16, 12, 3), SYNTAX);
	assert_int_equal(poke(IKE_PL_SA, two, 16, 4, 2), SYNTAX);
	two[0] = IKE_LAST_PROPOSAL;
	assert_int_equal(poke(IKE_PL_SA, two, 8, 4, 0), SYNTAX);
	assert_int_equal(poke(IKE_PL_SA, two, 8, 4, 7), 0);
	assert_int_equal(dec_sa.v[0].num, 7);
}

static void test_sa_attributes(void **state)
{
	/* Key Length 128 in TV form, then an unknown TV attribute. */
	uint8_t m[] = PROP1(1, 0, 0, 0, 16, IKE_TT_ENCR, 0, 0, IKE_ENCR_AES_CBC,
			    0x80, 0x0e, 0x00, 0x80, 0x80, 0x01, 0x00, 0x01);
	/* Key Length in TLV form (2 bytes of value). */
	uint8_t tlv[] = PROP1(1, 0, 0, 0, 14, IKE_TT_ENCR, 0, 0, IKE_ENCR_AES_CBC,
			      0x00, 0x0e, 0x00, 0x02, 0x00, 0x80);
	const struct ike_xf *x = &dec_sa.v[0].xf[0];

	assert_int_equal(decode(IKE_PL_SA, m, sizeof(m)), 0);
	assert_int_equal(x->key_bits, 128);
	assert_true(x->has_unknown_attr);
	/* A second Key Length: the first counts, the transform is marked. */
	assert_int_equal(poke(IKE_PL_SA, m, sizeof(m), 21, 0x0e), 0);
	assert_int_equal(x->key_bits, 128);
	assert_true(x->has_unknown_attr);
	/* Only the Key Length, of 0: kept as 0. */
	m[11] = 12, m[3] = 20, m[18] = 0, m[19] = 0;
	assert_int_equal(decode(IKE_PL_SA, m, 20), 0);
	assert_int_equal(x->key_bits, 0);
	assert_false(x->has_unknown_attr);
	/* Half an attribute. */
	m[11] = 10, m[3] = 18;
	assert_int_equal(decode(IKE_PL_SA, m, 18), SYNTAX);
	assert_int_equal(decode(IKE_PL_SA, tlv, sizeof(tlv)), 0);
	assert_int_equal(x->key_bits, 0);
	assert_true(x->has_unknown_attr);
	/* A TLV value past the end of its transform. */
	assert_int_equal(poke(IKE_PL_SA, tlv, sizeof(tlv), 19, 3), SYNTAX);
}

static void test_sa_limits(void **state)
{
	static struct ike_prop many[IKE_MAX_PROPOSALS + 1];
	uint8_t m[8 + 8 * (IKE_MAX_TRANSFORMS + 1)] = {
		0, 0, sizeof(m) >> 8, sizeof(m) & 0xff,
		1, IKE_PROTO_IKE, 0, IKE_MAX_TRANSFORMS + 1,
	};
	struct ike_builder b;

	/* One transform too many, well formed otherwise. */
	for (size_t i = 0; i <= IKE_MAX_TRANSFORMS; i++) {
		m[8 + 8 * i] = i < IKE_MAX_TRANSFORMS ? IKE_MORE_TRANSFORMS : 0;
		m[8 + 8 * i + 3] = 8, m[8 + 8 * i + 4] = IKE_TT_ENCR;
	}
	assert_int_equal(decode(IKE_PL_SA, m, sizeof(m)), SYNTAX);
	/* One proposal too many (without transforms); the builder refuses
	 * them too. */
	for (uint8_t i = 0; i <= IKE_MAX_PROPOSALS; i++) {
		uint8_t *q = buf + 8 * i;

		q[0] = i < IKE_MAX_PROPOSALS ? IKE_MORE_PROPOSALS : IKE_LAST_PROPOSAL;
		q[1] = 0, q[2] = 0, q[3] = 8;
		q[4] = (uint8_t)(i + 1), q[5] = IKE_PROTO_IKE, q[6] = 0, q[7] = 0;
	}
	assert_int_equal(decode(IKE_PL_SA, buf, 8 * (IKE_MAX_PROPOSALS + 1)), SYNTAX);
	buf[8 * (IKE_MAX_PROPOSALS - 1)] = IKE_LAST_PROPOSAL;
	assert_int_equal(decode(IKE_PL_SA, buf, 8 * IKE_MAX_PROPOSALS), 0);
	for (uint8_t i = 0; i <= IKE_MAX_PROPOSALS; i++)
		prop_init(&many[i], (uint8_t)(i + 1), IKE_PROTO_ESP, 4);
	ike_build_begin_chain(&b, buf, sizeof(buf));
	assert_false(ike_build_sa(&b, many, IKE_MAX_PROPOSALS + 1));
	assert_int_equal(ike_build_finish(&b), 0);
	/* The builder refuses what the decoder would. */
	prop_init(&many[0], 1, IKE_PROTO_ESP, 0);
	ike_build_begin_chain(&b, buf, sizeof(buf));
	assert_false(ike_build_sa(&b, many, 1));
	prop_init(&many[0], 0, IKE_PROTO_ESP, 4);
	ike_build_begin_chain(&b, buf, sizeof(buf));
	assert_false(ike_build_sa(&b, many, 1));
	prop_init(&many[0], 1, IKE_PROTO_ESP, 4);
	many[0].n_xf = IKE_MAX_TRANSFORMS + 1;
	ike_build_begin_chain(&b, buf, sizeof(buf));
	assert_false(ike_build_sa(&b, many, 1));
	ike_build_begin_chain(&b, buf, sizeof(buf));
	assert_false(ike_build_sa(&b, many, 0));
}

/* ---- KE, ID, AUTH, Nonce, Notify, Delete ---- */

static void test_simple_round_trips(void **state)
{
	static const uint8_t data[300] = { 1, 2, 3, [299] = 0xff };
	struct ike_builder b;
	struct ike_chain c;
	struct ike_ke_pl ke;
	struct ike_id_pl id;
	struct ike_auth_pl auth;
	struct ike_nonce_pl n;
	size_t len;

	ike_build_begin_chain(&b, buf, sizeof(buf));
	assert_true(ike_build_ke(&b, IKE_KE_ECP256, data, 64));
	assert_true(ike_build_id(&b, false, IKE_ID_FQDN, data, 5));
	assert_true(ike_build_id(&b, true, IKE_ID_KEY_ID, data, 1));
	assert_true(ike_build_auth(&b, IKE_AUTH_PSK, data, 32));
	assert_true(ike_build_nonce(&b, data, IKE_NONCE_MIN));
	assert_true(ike_build_nonce(&b, data, IKE_NONCE_MAX));
	len = ike_build_finish(&b);
	assert_int_equal(len, (8 + 64) + (8 + 5) + (8 + 1) + (8 + 32) + (4 + 16) + (4 + 256));
	assert_int_equal(chain(b.first_type, buf, len, &c), IKE_CHAIN_OK);
	assert_int_equal(c.n, 6);
	assert_int_equal(ike_decode_ke(&c.v[0], &ke), 0);
	assert_int_equal(ke.group, IKE_KE_ECP256);
	assert_int_equal(ke.len, 64);
	assert_memory_equal(ke.data, data, 64);
	assert_int_equal(ike_decode_id(&c.v[1], &id), 0);
	assert_int_equal(c.v[1].type, IKE_PL_IDI);
	assert_int_equal(id.type, IKE_ID_FQDN);
	assert_int_equal(id.len, 5);
	assert_ptr_equal(id.body, c.v[1].body);
	assert_int_equal(id.body_len, 9);
	assert_int_equal(c.v[2].type, IKE_PL_IDR);
	assert_int_equal(ike_decode_id(&c.v[2], &id), 0);
	assert_int_equal(id.type, IKE_ID_KEY_ID);
	assert_int_equal(ike_decode_auth(&c.v[3], &auth), 0);
	assert_int_equal(auth.method, IKE_AUTH_PSK);
	assert_int_equal(auth.len, 32);
	assert_int_equal(ike_decode_nonce(&c.v[4], &n), 0);
	assert_int_equal(n.len, 16);
	assert_int_equal(ike_decode_nonce(&c.v[5], &n), 0);
	assert_int_equal(n.len, 256);
	assert_memory_equal(n.data, data, 256);
}

static void test_simple_refused(void **state)
{
	static const uint8_t d[260] = { 0 };
	/* Reserved bytes set: ignored. */
	uint8_t id[] = { IKE_ID_FQDN, 0xff, 0xff, 0xff, 'a' };
	struct ike_builder b;

	/* Nothing after the fixed fields, or not even those. */
	for (size_t len = 0; len <= 4; len++) {
		assert_int_equal(decode(IKE_PL_KE, d, len), SYNTAX);
		assert_int_equal(decode(IKE_PL_IDI, d, len), SYNTAX);
		assert_int_equal(decode(IKE_PL_AUTH, d, len), SYNTAX);
	}
	assert_int_equal(decode(IKE_PL_IDI, id, sizeof(id)), 0);
	assert_int_equal(decode(IKE_PL_NONCE, d, 0), SYNTAX);
	assert_int_equal(decode(IKE_PL_NONCE, d, 15), SYNTAX);
	assert_int_equal(decode(IKE_PL_NONCE, d, 257), SYNTAX);
	/* Nor will the builder write them. */
	ike_build_begin_chain(&b, buf, sizeof(buf));
	assert_false(ike_build_nonce(&b, d, 15));
	ike_build_begin_chain(&b, buf, sizeof(buf));
	assert_false(ike_build_nonce(&b, d, 257));
	ike_build_begin_chain(&b, buf, sizeof(buf));
	assert_false(ike_build_ke(&b, IKE_KE_CURVE25519, d, 0));
	ike_build_begin_chain(&b, buf, sizeof(buf));
	assert_false(ike_build_id(&b, false, IKE_ID_FQDN, d, 0));
	ike_build_begin_chain(&b, buf, sizeof(buf));
	assert_false(ike_build_auth(&b, IKE_AUTH_PSK, d, 0));
	assert_int_equal(ike_build_finish(&b), 0);
}

static void test_notify(void **state)
{
	static const uint8_t spi[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	uint8_t m[] = { IKE_PROTO_ESP, 0, 0x40, 0x09, 1, 2, 3, 4 };
	struct ike_builder b;
	struct ike_chain c;
	size_t len;

	ike_build_begin_chain(&b, buf, sizeof(buf));
	assert_true(ike_build_notify(&b, 0, NULL, 0, IKE_N_COOKIE, spi, 8));
	assert_true(ike_build_notify(&b, IKE_PROTO_ESP, spi, 4, IKE_N_REKEY_SA, NULL, 0));
	assert_true(ike_build_notify(&b, IKE_PROTO_IKE, spi, 8, IKE_N_INVALID_SYNTAX, spi, 1));
	len = ike_build_finish(&b);
	assert_int_equal(chain(IKE_PL_NOTIFY, buf, len, &c), IKE_CHAIN_OK);
	assert_int_equal(decode(IKE_PL_NOTIFY, c.v[0].body, c.v[0].len), 0);
	assert_int_equal(dec_n.type, IKE_N_COOKIE);
	assert_int_equal(dec_n.spi_len, 0);
	assert_null(dec_n.spi);
	assert_int_equal(dec_n.len, 8);
	assert_memory_equal(dec_n.data, spi, 8);
	assert_int_equal(decode(IKE_PL_NOTIFY, c.v[1].body, c.v[1].len), 0);
	assert_int_equal(dec_n.protocol, IKE_PROTO_ESP);
	assert_int_equal(dec_n.spi_len, 4);
	assert_memory_equal(dec_n.spi, spi, 4);
	assert_int_equal(dec_n.len, 0);
	assert_int_equal(decode(IKE_PL_NOTIFY, c.v[2].body, c.v[2].len), 0);
	assert_int_equal(dec_n.spi_len, 8);
	assert_int_equal(dec_n.len, 1);
	/* SPI sizes other than 0, 4, 8; an SPI longer than the payload;
	 * no room for the fixed fields. */
	assert_int_equal(decode(IKE_PL_NOTIFY, m, sizeof(m)), 0);
	assert_int_equal(dec_n.len, 4);
	assert_int_equal(poke(IKE_PL_NOTIFY, m, sizeof(m), 1, 3), SYNTAX);
	assert_int_equal(poke(IKE_PL_NOTIFY, m, sizeof(m), 1, 4), 0);
	assert_int_equal(poke(IKE_PL_NOTIFY, m, sizeof(m), 1, 8), SYNTAX);
	assert_int_equal(poke(IKE_PL_NOTIFY, m, sizeof(m), 1, 5), SYNTAX);
	assert_int_equal(decode(IKE_PL_NOTIFY, m, 3), SYNTAX);
	ike_build_begin_chain(&b, buf, sizeof(buf));
	assert_false(ike_build_notify(&b, IKE_PROTO_IKE, spi, 2, IKE_N_INVALID_SYNTAX, NULL, 0));
}

static void test_delete(void **state)
{
	static const uint8_t spis[12] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };
	uint8_t m[] = { IKE_PROTO_ESP, 4, 0, 2, 1, 2, 3, 4, 5, 6, 7, 8 };
	uint8_t ike[] = { IKE_PROTO_IKE, 0, 0, 0, 0 };
	const size_t n = sizeof(m);
	struct ike_builder b;
	struct ike_chain c;
	size_t len;

	ike_build_begin_chain(&b, buf, sizeof(buf));
	assert_true(ike_build_delete(&b, IKE_PROTO_IKE, NULL, 0));
	assert_true(ike_build_delete(&b, IKE_PROTO_ESP, spis, 3));
	assert_true(ike_build_delete(&b, IKE_PROTO_AH, spis, 1));
	len = ike_build_finish(&b);
	assert_int_equal(chain(IKE_PL_DELETE, buf, len, &c), IKE_CHAIN_OK);
	assert_int_equal(decode(IKE_PL_DELETE, c.v[0].body, c.v[0].len), 0);
	assert_int_equal(dec_d.protocol, IKE_PROTO_IKE);
	assert_int_equal(dec_d.n_spi, 0);
	assert_int_equal(decode(IKE_PL_DELETE, c.v[1].body, c.v[1].len), 0);
	assert_int_equal(dec_d.protocol, IKE_PROTO_ESP);
	assert_int_equal(dec_d.n_spi, 3);
	assert_memory_equal(dec_d.spis, spis, 12);
	assert_int_equal(decode(IKE_PL_DELETE, c.v[2].body, c.v[2].len), 0);
	assert_int_equal(dec_d.protocol, IKE_PROTO_AH);
	/* ESP: the count against the SPIs there (more, fewer, a partial
	 * one), SPI size 8, protocols 0 and 4; the fixed fields cut. */
	assert_int_equal(decode(IKE_PL_DELETE, m, n), 0);
	assert_int_equal(poke(IKE_PL_DELETE, m, n, 3, 3), SYNTAX);
	assert_int_equal(poke(IKE_PL_DELETE, m, n, 3, 1), SYNTAX);
	assert_int_equal(poke(IKE_PL_DELETE, m, 10, 3, 1), SYNTAX);
	assert_int_equal(poke(IKE_PL_DELETE, m, 8, 3, 1), 0);
	assert_int_equal(poke(IKE_PL_DELETE, m, n, 1, 8), SYNTAX);
	assert_int_equal(poke(IKE_PL_DELETE, m, n, 0, 0), SYNTAX);
	assert_int_equal(poke(IKE_PL_DELETE, m, n, 0, 4), SYNTAX);
	assert_int_equal(decode(IKE_PL_DELETE, m, 3), SYNTAX);
	/* IKE: SPI size 0, no SPIs, nothing after. */
	assert_int_equal(decode(IKE_PL_DELETE, ike, 4), 0);
	assert_int_equal(poke(IKE_PL_DELETE, ike, 4, 1, 8), SYNTAX);
	assert_int_equal(poke(IKE_PL_DELETE, ike, 4, 3, 1), SYNTAX);
	assert_int_equal(decode(IKE_PL_DELETE, ike, 5), SYNTAX);
	assert_int_equal(poke(IKE_PL_DELETE, m, n, 0, IKE_PROTO_IKE), SYNTAX);
	/* The builder refuses SPIs for IKE and other protocols. */
	ike_build_begin_chain(&b, buf, sizeof(buf));
	assert_false(ike_build_delete(&b, IKE_PROTO_IKE, spis, 1));
	ike_build_begin_chain(&b, buf, sizeof(buf));
	assert_false(ike_build_delete(&b, 0, spis, 1));
}

/* ---- TS (§3.13) ---- */

static struct ike_ts ts_of(const char *start, const char *end, uint16_t sp, uint16_t ep)
{
	struct ike_ts t = { .start_port = sp, .end_port = ep, .ip_proto = 17 };

	assert_int_equal(addr_parse(start, &t.start), 0);
	assert_int_equal(addr_parse(end, &t.end), 0);
	t.type = t.start.family == AF_INET ? IKE_TS_IPV4_ADDR_RANGE : IKE_TS_IPV6_ADDR_RANGE;
	return t;
}

static void test_ts_round_trip(void **state)
{
	static struct ike_ts_pl d;
	struct ike_ts ts[3] = {
		ts_of("203.0.113.0", "203.0.113.63", 0, 65535),
		ts_of("2001:db8:2::", "2001:db8:2::ffff", 500, 500),
		ts_of("203.0.113.7", "203.0.113.7", 65535, 0),   /* OPAQUE */
	};
	struct ike_builder b;
	struct ike_chain c;
	size_t len;

	ike_build_begin_chain(&b, buf, sizeof(buf));
	assert_true(ike_build_ts(&b, false, ts, 3));
	assert_true(ike_build_ts(&b, true, ts + 1, 1));
	len = ike_build_finish(&b);
	assert_int_equal(chain(IKE_PL_TSI, buf, len, &c), IKE_CHAIN_OK);
	assert_int_equal(c.v[1].type, IKE_PL_TSR);
	assert_int_equal(c.v[0].len, 4 + 16 + 40 + 16);
	assert_int_equal(ike_decode_ts(&c.v[0], &d), 0);
	assert_int_equal(d.n, 3);
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(d.v[i].type, ts[i].type);
		assert_int_equal(d.v[i].ip_proto, 17);
		assert_int_equal(d.v[i].start_port, ts[i].start_port);
		assert_int_equal(d.v[i].end_port, ts[i].end_port);
		assert_true(addr_eq(&d.v[i].start, &ts[i].start));
		assert_true(addr_eq(&d.v[i].end, &ts[i].end));
	}
	assert_int_equal(ike_decode_ts(&c.v[1], &d), 0);
	assert_int_equal(d.n, 1);
	/* The builder refuses backwards ranges, family mismatches, none. */
	ts[0] = ts_of("203.0.113.9", "203.0.113.8", 0, 65535);
	ts[1] = ts_of("203.0.113.0", "203.0.113.8", 2, 1);
	ts[2] = ts_of("203.0.113.0", "2001:db8::", 0, 1);
	for (size_t i = 0; i <= 3; i++) {
		ike_build_begin_chain(&b, buf, sizeof(buf));
		assert_false(ike_build_ts(&b, false, ts + (i < 3 ? i : 0), i < 3 ? 1 : 0));
	}
}

static void test_ts_refused(void **state)
{
	uint8_t m[4 + 16 + 40] = {
		2, 0xff, 0xff, 0xff,
		IKE_TS_IPV4_ADDR_RANGE, 6, 0, 16, 0, 1, 0, 2, 10, 0, 0, 1, 10, 0, 0, 2,
		IKE_TS_IPV6_ADDR_RANGE, 0, 0, 40, 0, 0, 0xff, 0xff,
		0x20, 0x01, 0x0d, 0xb8, [44] = 0x20, 0x01, 0x0d, 0xb8,
	};
	const size_t n = sizeof(m);

	assert_int_equal(decode(IKE_PL_TSI, m, n), 0);
	assert_int_equal(dec_ts.n, 2);
	assert_int_equal(dec_ts.v[0].ip_proto, 6);
	/* Count: more, fewer, 0, above IKE_MAX_TS. */
	assert_int_equal(poke(IKE_PL_TSI, m, n, 0, 3), SYNTAX);
	assert_int_equal(poke(IKE_PL_TSI, m, n, 0, 1), SYNTAX);
	assert_int_equal(poke(IKE_PL_TSI, m, n, 0, 0), SYNTAX);
	assert_int_equal(poke(IKE_PL_TSI, m, n, 0, IKE_MAX_TS + 1), SYNTAX);
	/* Length against type. */
	assert_int_equal(poke(IKE_PL_TSI, m, n, 7, 40), SYNTAX);
	assert_int_equal(poke(IKE_PL_TSI, m, n, 20, IKE_TS_IPV4_ADDR_RANGE), SYNTAX);
	assert_int_equal(poke(IKE_PL_TSI, m, n, 23, 16), SYNTAX);
	/* start > end: ports, IPv4, IPv6 in the last byte, in the first. */
	assert_int_equal(poke(IKE_PL_TSI, m, n, 9, 3), SYNTAX);
	assert_int_equal(poke(IKE_PL_TSI, m, n, 15, 3), SYNTAX);
	assert_int_equal(poke(IKE_PL_TSI, m, n, 43, 1), SYNTAX);
	assert_int_equal(poke(IKE_PL_TSI, m, n, 44, 0x1f), SYNTAX);
	/* Equal ends are a range of one. */
	m[9] = 2, m[15] = 2, m[43] = 1, m[59] = 1;
	assert_int_equal(decode(IKE_PL_TSI, m, n), 0);
	/* An unknown type is skipped by its length, which must cover the
	 * ports; it still counts. */
	assert_int_equal(poke(IKE_PL_TSI, m, n, 20, 9), 0);
	assert_int_equal(dec_ts.n, 1);
	assert_int_equal(dec_ts.n_unknown, 1);
	m[20] = 9, m[23] = 8;
	assert_int_equal(decode(IKE_PL_TSI, m, n), SYNTAX);
	assert_int_equal(decode(IKE_PL_TSI, m, 4 + 16 + 8), 0);
	assert_int_equal(poke(IKE_PL_TSI, m, 4 + 16 + 7, 23, 7), SYNTAX);
	/* No selector (counted or not), no room for one or for the count. */
	assert_int_equal(poke(IKE_PL_TSI, m, 4, 0, 0), SYNTAX);
	assert_int_equal(decode(IKE_PL_TSI, m, 4), SYNTAX);
	assert_int_equal(decode(IKE_PL_TSI, m, 0), SYNTAX);
}

/* ---- the builder ---- */

/* A message with one of each payload; 0 when it did not fit. */
static size_t build_all(uint8_t *out, size_t cap)
{
	static const uint8_t d[32] = { 9 };
	struct ike_ts ts = ts_of("203.0.113.0", "203.0.113.63", 0, 65535);
	struct ike_prop prop;
	struct ike_builder b;
	uint8_t *sk;

	prop_init(&prop, 1, IKE_PROTO_ESP, 4);
	add_xf(&prop, IKE_TT_ENCR, IKE_ENCR_AES_GCM_16, 256);
	ike_build_begin(&b, out, cap, &hdr0);
	ike_build_sa(&b, &prop, 1);
	ike_build_ke(&b, IKE_KE_CURVE25519, d, 32);
	ike_build_nonce(&b, d, 32);
	ike_build_notify(&b, 0, NULL, 0, IKE_N_INITIAL_CONTACT, NULL, 0);
	ike_build_id(&b, false, IKE_ID_FQDN, d, 3);
	ike_build_auth(&b, IKE_AUTH_PSK, d, 32);
	ike_build_ts(&b, false, &ts, 1);
	ike_build_ts(&b, true, &ts, 1);
	ike_build_delete(&b, IKE_PROTO_ESP, d, 1);
	ike_build_raw(&b, IKE_PL_VENDOR, true, d, 5);
	if (ike_build_reserve(&b, IKE_PL_SK, IKE_PL_IDI, 20, &sk))
		memset(sk, 0x5a, 20);
	return ike_build_finish(&b);
}

static void test_builder_message(void **state)
{
	static const uint8_t types[] = {
		IKE_PL_SA, IKE_PL_KE, IKE_PL_NONCE, IKE_PL_NOTIFY, IKE_PL_IDI,
		IKE_PL_AUTH, IKE_PL_TSI, IKE_PL_TSR, IKE_PL_DELETE, IKE_PL_VENDOR,
		IKE_PL_SK,
	};
	struct ike_chain c;
	struct ike_hdr h;
	size_t len = build_all(buf, sizeof(buf));
	uint8_t bad;

	assert_int_not_equal(len, 0);
	assert_int_equal(ike_hdr_parse(buf, len, &h), 0);
	assert_true(h.spi_i == hdr0.spi_i && h.spi_r == hdr0.spi_r);
	assert_int_equal(h.next_payload, IKE_PL_SA);
	assert_int_equal(h.version, IKE_VERSION_2);
	assert_int_equal(h.exchange, IKE_AUTH);
	assert_int_equal(h.flags, IKE_FLAG_INITIATOR);
	assert_int_equal(h.msg_id, 0xa1b2c3d4);
	assert_int_equal(h.length, len);
	assert_int_equal(ike_msg_chain(&h, buf, len, &c, &bad), IKE_CHAIN_OK);
	assert_int_equal(c.n, sizeof(types));
	for (size_t i = 0; i < c.n; i++)
		assert_int_equal(c.v[i].type, types[i]);
	assert_true(c.v[9].is_critical);
	assert_int_equal(c.sk_first_inner, IKE_PL_IDI);
	assert_int_equal(c.sk_offset, len - 24);
	assert_int_equal(buf[c.sk_offset], IKE_PL_IDI);
	assert_int_equal(c.v[10].len, 20);
	assert_int_equal(c.v[10].body[19], 0x5a);
}

/* Every capacity short of the message fails, and nothing is written
 * past it. */
static void test_builder_bounds(void **state)
{
	static uint8_t out[1024];
	size_t full = build_all(out, sizeof(out));

	assert_true(full > 0 && full < sizeof(out) - 16);
	for (size_t cap = 0; cap <= full; cap++) {
		memset(out, 0xee, sizeof(out));
		assert_int_equal(build_all(out, cap), cap == full ? full : 0);
		for (size_t i = cap; i < full + 16; i++)
			assert_int_equal(out[i], 0xee);
	}
	assert_int_equal(build_all(NULL, 0), 0);
}

static void test_builder_misuse(void **state)
{
	static uint8_t huge[70000];
	static const uint8_t big[65532];
	struct ike_builder b;
	uint8_t *sk = buf;

	/* Nothing after SK; a payload of type 0; a body over 65531. */
	ike_build_begin_chain(&b, buf, sizeof(buf));
	assert_true(ike_build_reserve(&b, IKE_PL_SK, IKE_PL_NONE, 0, &sk));
	assert_int_equal(b.first_type, IKE_PL_SK);
	assert_false(ike_build_raw(&b, IKE_PL_VENDOR, false, NULL, 0));
	assert_false(ike_build_ok(&b));
	assert_int_equal(ike_build_finish(&b), 0);
	ike_build_begin_chain(&b, buf, sizeof(buf));
	assert_false(ike_build_raw(&b, IKE_PL_NONE, false, NULL, 0));
	ike_build_begin_chain(&b, huge, sizeof(huge));
	assert_false(ike_build_raw(&b, IKE_PL_VENDOR, false, big, sizeof(big)));
	ike_build_begin_chain(&b, huge, sizeof(huge));
	assert_true(ike_build_raw(&b, IKE_PL_VENDOR, false, big, sizeof(big) - 1));
	assert_int_equal(ike_build_finish(&b), 65535);
	ike_build_begin_chain(&b, buf, 10);
	assert_false(ike_build_reserve(&b, IKE_PL_SK, IKE_PL_NONE, 7, &sk));
	assert_null(sk);
	/* Raw payloads can craft what the parser refuses: SK not last. */
	ike_build_begin_chain(&b, buf, sizeof(buf));
	assert_true(ike_build_raw(&b, IKE_PL_SK, false, big, 8));
	assert_true(ike_build_raw(&b, IKE_PL_NOTIFY, false, big, 8));
	assert_int_equal(ike_build_finish(&b), 24);
	{
		struct ike_chain c;

		assert_int_equal(chain(IKE_PL_SK, buf, 24, &c), IKE_CHAIN_SYNTAX);
	}
}

/* ---- known answers: strongSwan 5.9.8 ---- */

/*
 * An IKE_SA_INIT request from charon 5.9.8 (Debian 12), captured with
 * tcpdump between two network namespaces (192.0.2.1 -> 192.0.2.2:500)
 * with swanctl proposals "aes128gcm16-aes256gcm16-prfsha256-prfsha384-
 * x25519-ecp256, aes128-aes256-sha256-sha384-prfsha256-modp3072-modp2048"
 * and the UDP payload extracted with scapy. The expected values below
 * are tshark 4.0's decode of the same packet.
 */
static const uint8_t sswan_init[] =
	"\xfc\xe7\xb9\x73\x09\xee\x8a\x14\x00\x00\x00\x00\x00\x00\x00\x00"
	"\x21\x20\x22\x08\x00\x00\x00\x00\x00\x00\x01\x4c\x22\x00\x00\x8c"
	"\x02\x00\x00\x40\x01\x01\x00\x06\x03\x00\x00\x0c\x01\x00\x00\x14"
	"\x80\x0e\x00\x80\x03\x00\x00\x0c\x01\x00\x00\x14\x80\x0e\x01\x00"
	"\x03\x00\x00\x08\x02\x00\x00\x05\x03\x00\x00\x08\x02\x00\x00\x06"
	"\x03\x00\x00\x08\x04\x00\x00\x1f\x00\x00\x00\x08\x04\x00\x00\x13"
	"\x00\x00\x00\x48\x02\x01\x00\x07\x03\x00\x00\x0c\x01\x00\x00\x0c"
	"\x80\x0e\x00\x80\x03\x00\x00\x0c\x01\x00\x00\x0c\x80\x0e\x01\x00"
	"\x03\x00\x00\x08\x03\x00\x00\x0c\x03\x00\x00\x08\x03\x00\x00\x0d"
	"\x03\x00\x00\x08\x02\x00\x00\x05\x03\x00\x00\x08\x04\x00\x00\x0f"
	"\x00\x00\x00\x08\x04\x00\x00\x0e\x28\x00\x00\x28\x00\x1f\x00\x00"
	"\x61\x53\x6a\x9a\xee\xb8\x0e\x53\x6f\x99\x07\x40\xc4\xd7\x24\x98"
	"\xbb\x8e\xf9\xa5\xd0\x84\x40\x01\xcd\x9c\x32\x4f\x60\xea\x21\x34"
	"\x29\x00\x00\x24\x27\x47\xe6\xb5\x69\xe6\x24\x5a\x7a\xbc\x25\x2d"
	"\x12\x8c\x4c\xae\x2d\x9a\x5f\x19\x40\x81\xb4\x17\xa8\xbf\xf5\x02"
	"\x48\xe3\x89\xdf\x29\x00\x00\x1c\x00\x00\x40\x04\x50\x4e\x9f\xa4"
	"\xfa\x91\x41\x98\x52\x5d\xc1\x1e\xcf\x18\xf8\x70\x1d\x52\x03\x74"
	"\x29\x00\x00\x1c\x00\x00\x40\x05\xd3\x10\x18\xd1\x8c\xef\x5b\x98"
	"\x98\x74\x42\xd9\x74\xfa\xb2\x87\xa9\x24\x2f\x54\x29\x00\x00\x08"
	"\x00\x00\x40\x2e\x29\x00\x00\x10\x00\x00\x40\x2f\x00\x02\x00\x03"
	"\x00\x04\x00\x05\x00\x00\x00\x08\x00\x00\x40\x16";

static void assert_xf(const struct ike_xf *x, uint8_t type, uint16_t id, uint16_t bits)
{
	assert_int_equal(x->type, type);
	assert_int_equal(x->id, id);
	assert_int_equal(x->key_bits, bits);
	assert_false(x->has_unknown_attr);
}

static void kat_sa(const struct ike_payload *p)
{
	/* type, id, key bits of each transform, per tshark */
	static const uint16_t want1[6][3] = {
		{ IKE_TT_ENCR, IKE_ENCR_AES_GCM_16, 128 }, { IKE_TT_ENCR, IKE_ENCR_AES_GCM_16, 256 },
		{ IKE_TT_PRF, IKE_PRF_HMAC_SHA2_256, 0 }, { IKE_TT_PRF, IKE_PRF_HMAC_SHA2_384, 0 },
		{ IKE_TT_KE, IKE_KE_CURVE25519, 0 }, { IKE_TT_KE, IKE_KE_ECP256, 0 },
	};
	static const uint16_t want2[7][3] = {
		{ IKE_TT_ENCR, IKE_ENCR_AES_CBC, 128 }, { IKE_TT_ENCR, IKE_ENCR_AES_CBC, 256 },
		{ IKE_TT_INTEG, IKE_INTEG_HMAC_SHA2_256_128, 0 },
		{ IKE_TT_INTEG, IKE_INTEG_HMAC_SHA2_384_192, 0 },
		{ IKE_TT_PRF, IKE_PRF_HMAC_SHA2_256, 0 },
		{ IKE_TT_KE, IKE_KE_MODP3072, 0 }, { IKE_TT_KE, IKE_KE_MODP2048, 0 },
	};
	const struct ike_prop *a = &dec_sa.v[0], *b = &dec_sa.v[1];

	assert_int_equal(p->len, 140 - 4);
	assert_int_equal(ike_decode_sa(p, &dec_sa), 0);
	assert_int_equal(dec_sa.n, 2);
	assert_int_equal(a->num, 1);
	assert_int_equal(b->num, 2);
	assert_int_equal(a->protocol, IKE_PROTO_IKE);
	assert_int_equal(b->protocol, IKE_PROTO_IKE);
	assert_int_equal(a->spi_len + b->spi_len, 0);
	assert_int_equal(a->n_xf, 6);
	assert_int_equal(b->n_xf, 7);
	for (size_t i = 0; i < 7; i++) {
		if (i < 6)
			assert_xf(&a->xf[i], want1[i][0], want1[i][1], want1[i][2]);
		assert_xf(&b->xf[i], want2[i][0], want2[i][1], want2[i][2]);
	}
}

static void test_kat_strongswan_init(void **state)
{
	static const uint16_t notes[] = {
		IKE_N_NAT_DETECTION_SOURCE_IP, IKE_N_NAT_DETECTION_DESTINATION_IP,
		IKE_N_IKEV2_FRAGMENTATION_SUPPORTED, IKE_N_SIGNATURE_HASH_ALGORITHMS,
		16406 /* REDIRECT_SUPPORTED, RFC 5685 */,
	};
	static const size_t note_len[] = { 20, 20, 0, 8, 0 };
	const size_t len = sizeof(sswan_init) - 1;
	struct ike_notify_pl n;
	struct ike_nonce_pl no;
	struct ike_ke_pl ke;
	struct ike_chain c;
	struct ike_hdr h;
	uint8_t bad;

	assert_int_equal(ike_hdr_parse(sswan_init, len, &h), 0);
	assert_true(h.spi_i == 0xfce7b97309ee8a14 && h.spi_r == 0);
	assert_int_equal(h.next_payload, IKE_PL_SA);
	assert_int_equal(h.version, IKE_VERSION_2);
	assert_int_equal(h.exchange, IKE_SA_INIT);
	assert_int_equal(h.flags, IKE_FLAG_INITIATOR);
	assert_int_equal(h.msg_id, 0);
	assert_int_equal(h.length, 332);
	assert_int_equal(ike_msg_chain(&h, sswan_init, len, &c, &bad), IKE_CHAIN_OK);
	assert_int_equal(c.n, 8);
	assert_int_equal(c.n_unknown, 0);
	assert_int_equal(ike_chain_count(&c, IKE_PL_NOTIFY), 5);
	kat_sa(&c.v[0]);
	assert_int_equal(ike_decode_ke(&c.v[1], &ke), 0);
	assert_int_equal(ke.group, IKE_KE_CURVE25519);
	assert_int_equal(ke.len, 32);
	assert_memory_equal(ke.data, "\x61\x53\x6a\x9a", 4);
	assert_int_equal(ike_decode_nonce(&c.v[2], &no), 0);
	assert_int_equal(no.len, 32);
	assert_memory_equal(no.data, "\x27\x47\xe6\xb5", 4);
	for (size_t i = 0; i < 5; i++) {
		assert_int_equal(ike_decode_notify(&c.v[3 + i], &n), 0);
		assert_int_equal(n.protocol, 0);
		assert_int_equal(n.spi_len, 0);
		assert_int_equal(n.type, notes[i]);
		assert_int_equal(n.len, note_len[i]);
	}
	assert_int_equal(ike_decode_notify(&c.v[6], &n), 0);
	assert_memory_equal(n.data, "\x00\x02\x00\x03\x00\x04\x00\x05", 8);
}

/*
 * The same, with swanctl's "proposals = default": two proposals of 34
 * and 36 transforms, every algorithm charon 5.9.8 had loaded (892
 * bytes). IKE_MAX_TRANSFORMS must leave room for them.
 */
static const uint8_t sswan_default[] =
	"\x70\xd6\xeb\x44\xd0\x1c\x55\xb9\x00\x00\x00\x00\x00\x00\x00\x00"
	"\x21\x20\x22\x08\x00\x00\x00\x00\x00\x00\x03\x7c\x22\x00\x02\xbc"
	"\x02\x00\x01\x48\x01\x01\x00\x22\x03\x00\x00\x0c\x01\x00\x00\x0c"
	"\x80\x0e\x00\x80\x03\x00\x00\x0c\x01\x00\x00\x0c\x80\x0e\x00\xc0"
	"\x03\x00\x00\x0c\x01\x00\x00\x0c\x80\x0e\x01\x00\x03\x00\x00\x0c"
	"\x01\x00\x00\x0d\x80\x0e\x00\x80\x03\x00\x00\x0c\x01\x00\x00\x0d"
	"\x80\x0e\x00\xc0\x03\x00\x00\x0c\x01\x00\x00\x0d\x80\x0e\x01\x00"
	"\x03\x00\x00\x0c\x01\x00\x00\x17\x80\x0e\x00\x80\x03\x00\x00\x0c"
	"\x01\x00\x00\x17\x80\x0e\x00\xc0\x03\x00\x00\x0c\x01\x00\x00\x17"
	"\x80\x0e\x01\x00\x03\x00\x00\x0c\x01\x00\x00\x18\x80\x0e\x00\x80"
	"\x03\x00\x00\x0c\x01\x00\x00\x18\x80\x0e\x00\xc0\x03\x00\x00\x0c"
	"\x01\x00\x00\x18\x80\x0e\x01\x00\x03\x00\x00\x08\x01\x00\x00\x03"
	"\x03\x00\x00\x08\x03\x00\x00\x0c\x03\x00\x00\x08\x03\x00\x00\x0d"
	"\x03\x00\x00\x08\x03\x00\x00\x0e\x03\x00\x00\x08\x03\x00\x00\x02"
	"\x03\x00\x00\x08\x02\x00\x00\x05\x03\x00\x00\x08\x02\x00\x00\x06"
	"\x03\x00\x00\x08\x02\x00\x00\x07\x03\x00\x00\x08\x02\x00\x00\x02"
	"\x03\x00\x00\x08\x04\x00\x00\x1f\x03\x00\x00\x08\x04\x00\x00\x20"
	"\x03\x00\x00\x08\x04\x00\x00\x13\x03\x00\x00\x08\x04\x00\x00\x14"
	"\x03\x00\x00\x08\x04\x00\x00\x15\x03\x00\x00\x08\x04\x00\x00\x1c"
	"\x03\x00\x00\x08\x04\x00\x00\x1d\x03\x00\x00\x08\x04\x00\x00\x1e"
	"\x03\x00\x00\x08\x04\x00\x00\x0f\x03\x00\x00\x08\x04\x00\x00\x10"
	"\x03\x00\x00\x08\x04\x00\x00\x11\x03\x00\x00\x08\x04\x00\x00\x12"
	"\x00\x00\x00\x08\x04\x00\x00\x0e\x00\x00\x01\x70\x02\x01\x00\x24"
	"\x03\x00\x00\x0c\x01\x00\x00\x14\x80\x0e\x00\x80\x03\x00\x00\x0c"
	"\x01\x00\x00\x14\x80\x0e\x00\xc0\x03\x00\x00\x0c\x01\x00\x00\x14"
	"\x80\x0e\x01\x00\x03\x00\x00\x0c\x01\x00\x00\x10\x80\x0e\x00\x80"
	"\x03\x00\x00\x0c\x01\x00\x00\x10\x80\x0e\x00\xc0\x03\x00\x00\x0c"
	"\x01\x00\x00\x10\x80\x0e\x01\x00\x03\x00\x00\x08\x01\x00\x00\x1c"
	"\x03\x00\x00\x0c\x01\x00\x00\x13\x80\x0e\x00\x80\x03\x00\x00\x0c"
	"\x01\x00\x00\x13\x80\x0e\x00\xc0\x03\x00\x00\x0c\x01\x00\x00\x13"
	"\x80\x0e\x01\x00\x03\x00\x00\x0c\x01\x00\x00\x12\x80\x0e\x00\x80"
	"\x03\x00\x00\x0c\x01\x00\x00\x12\x80\x0e\x00\xc0\x03\x00\x00\x0c"
	"\x01\x00\x00\x12\x80\x0e\x01\x00\x03\x00\x00\x0c\x01\x00\x00\x0f"
	"\x80\x0e\x00\x80\x03\x00\x00\x0c\x01\x00\x00\x0f\x80\x0e\x00\xc0"
	"\x03\x00\x00\x0c\x01\x00\x00\x0f\x80\x0e\x01\x00\x03\x00\x00\x0c"
	"\x01\x00\x00\x0e\x80\x0e\x00\x80\x03\x00\x00\x0c\x01\x00\x00\x0e"
	"\x80\x0e\x00\xc0\x03\x00\x00\x0c\x01\x00\x00\x0e\x80\x0e\x01\x00"
	"\x03\x00\x00\x08\x02\x00\x00\x05\x03\x00\x00\x08\x02\x00\x00\x06"
	"\x03\x00\x00\x08\x02\x00\x00\x07\x03\x00\x00\x08\x02\x00\x00\x02"
	"\x03\x00\x00\x08\x04\x00\x00\x1f\x03\x00\x00\x08\x04\x00\x00\x20"
	"\x03\x00\x00\x08\x04\x00\x00\x13\x03\x00\x00\x08\x04\x00\x00\x14"
	"\x03\x00\x00\x08\x04\x00\x00\x15\x03\x00\x00\x08\x04\x00\x00\x1c"
	"\x03\x00\x00\x08\x04\x00\x00\x1d\x03\x00\x00\x08\x04\x00\x00\x1e"
	"\x03\x00\x00\x08\x04\x00\x00\x0f\x03\x00\x00\x08\x04\x00\x00\x10"
	"\x03\x00\x00\x08\x04\x00\x00\x11\x03\x00\x00\x08\x04\x00\x00\x12"
	"\x00\x00\x00\x08\x04\x00\x00\x0e\x28\x00\x00\x28\x00\x1f\x00\x00"
	"\x88\xc2\xcb\xc2\xec\x1c\xa7\x05\xb1\x74\xa3\x84\x3f\xc0\xf9\x51"
	"\x9c\xfa\x4d\x1e\x9a\x56\x82\x97\xd1\x79\x93\x4e\xf3\xf8\x31\x79"
	"\x29\x00\x00\x24\xcc\xce\x15\xbb\x4b\xc6\xb7\x7c\x6d\xeb\x2e\x36"
	"\xf5\x32\xa8\xbe\x43\xf5\x07\x40\xe0\x96\x25\xe0\xe2\x5d\x7a\x33"
	"\xc1\xad\x9f\x4c\x29\x00\x00\x1c\x00\x00\x40\x04\x72\xb1\xa1\x2e"
	"\x80\xfa\x29\x84\xf7\xca\x47\xad\x1f\x0b\x4a\x9d\x65\x49\xd6\xed"
	"\x29\x00\x00\x1c\x00\x00\x40\x05\x6a\x0e\x28\x6e\x11\x4d\x2d\xf1"
	"\xaa\xd4\x26\xc7\xcf\x85\x94\x7d\xca\xce\xbc\x2e\x29\x00\x00\x08"
	"\x00\x00\x40\x2e\x29\x00\x00\x10\x00\x00\x40\x2f\x00\x02\x00\x03"
	"\x00\x04\x00\x05\x00\x00\x00\x08\x00\x00\x40\x16";

static void test_kat_strongswan_default(void **state)
{
	const size_t len = sizeof(sswan_default) - 1;
	struct ike_chain c;
	struct ike_hdr h;
	uint8_t bad;

	assert_int_equal(ike_hdr_parse(sswan_default, len, &h), 0);
	assert_int_equal(h.length, 892);
	assert_int_equal(ike_msg_chain(&h, sswan_default, len, &c, &bad), IKE_CHAIN_OK);
	assert_int_equal(c.n, 8);
	assert_int_equal(c.v[0].type, IKE_PL_SA);
	assert_int_equal(ike_decode_sa(&c.v[0], &dec_sa), 0);
	assert_int_equal(dec_sa.n, 2);
	assert_int_equal(dec_sa.v[0].n_xf, 34);
	assert_int_equal(dec_sa.v[1].n_xf, 36);
	assert_xf(&dec_sa.v[0].xf[0], IKE_TT_ENCR, IKE_ENCR_AES_CBC, 128);
	assert_xf(&dec_sa.v[0].xf[33], IKE_TT_KE, IKE_KE_MODP2048, 0);
	assert_xf(&dec_sa.v[1].xf[0], IKE_TT_ENCR, IKE_ENCR_AES_GCM_16, 128);
	assert_xf(&dec_sa.v[1].xf[35], IKE_TT_KE, IKE_KE_MODP2048, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hdr_refused),
		cmocka_unit_test(test_chain_lengths),
		cmocka_unit_test(test_chain_ends),
		cmocka_unit_test(test_chain_too_many),
		cmocka_unit_test(test_chain_unknown),
		cmocka_unit_test(test_chain_sk),
		cmocka_unit_test(test_sa_round_trip),
		cmocka_unit_test(test_sa_refused),
		cmocka_unit_test(test_sa_attributes),
		cmocka_unit_test(test_sa_limits),
		cmocka_unit_test(test_simple_round_trips),
		cmocka_unit_test(test_simple_refused),
		cmocka_unit_test(test_notify),
		cmocka_unit_test(test_delete),
		cmocka_unit_test(test_ts_round_trip),
		cmocka_unit_test(test_ts_refused),
		cmocka_unit_test(test_builder_message),
		cmocka_unit_test(test_builder_bounds),
		cmocka_unit_test(test_builder_misuse),
		cmocka_unit_test(test_kat_strongswan_init),
		cmocka_unit_test(test_kat_strongswan_default),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
