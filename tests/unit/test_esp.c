/* SPDX-License-Identifier: BSD-2-Clause */
/* ESP encapsulation and decapsulation (RFC 4303) with every transform:
 * round trips, the wire layout, ESN, tampering, replay, padding, the inner
 * packet checks, sequence exhaustion, and the interface MTU. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "esp/esp_wire.h"
#include "esp/mtu.h"
#include "esp/sa.h"

#define BUF 2048

struct pair {
	struct esp_sa *out, *in;
	struct esp_sa_stats in_stats, out_stats;
};

static int setup(void **state)
{
	return crypto_init() == 0 ? 0 : -1;
}

static int teardown(void **state)
{
	crypto_fini();
	return 0;
}

static void pair_new(struct pair *p, enum crypto_alg alg, bool is_esn, uint32_t window)
{
	uint8_t key[96]; /* the longest: aes256-sha512 */
	struct esp_sa_params params = {
		.spi = 0x12345678, .alg = alg, .key = key,
		.key_len = crypto_alg_info(alg)->key_len, .is_esn = is_esn,
		.replay_window = window,
	};

	for (size_t i = 0; i < sizeof(key); i++)
		key[i] = (uint8_t)(i * 7 + 1);
	memset(p, 0, sizeof(*p));
	assert_int_equal(esp_sa_new(&p->out, &params, &p->out_stats), 0);
	params.is_inbound = true;
	assert_int_equal(esp_sa_new(&p->in, &params, &p->in_stats), 0);
}

static void pair_free(struct pair *p)
{
	esp_sa_free(p->out);
	esp_sa_free(p->in);
}

/* A minimal IPv4 packet of total length len (header + zero payload). */
static void make_ipv4(struct pkt *p, uint8_t *buf, size_t len)
{
	uint8_t *d;

	pkt_init(p, buf, BUF, ESP_MAX_HEADROOM);
	assert_true(pkt_put(p, len, &d));
	memset(d, 0xab, len);
	d[0] = 0x45;
	d[1] = 0;
	d[2] = (uint8_t)(len >> 8);
	d[3] = (uint8_t)len;
}

static void test_round_trip_all(void **state)
{
	for (int alg = 0; alg < CRYPTO_ALG_COUNT; alg++) {
		const struct crypto_alg_info *info = crypto_alg_info(alg);

		for (int esn = 0; esn <= 1; esn++) {
			for (size_t len = 20; len < 140; len += 13) {
				uint8_t buf[BUF], orig[BUF], nh;
				struct pair p;
				struct pkt pk;

				pair_new(&p, alg, esn, 64);
				make_ipv4(&pk, buf, len);
				memcpy(orig, pkt_data(&pk), len);
				assert_int_equal(esp_encap(p.out, &pk, ESP_NH_IPV4), ESP_DROP_NONE);
				/* SPI, sequence 1, IV, aligned body, ICV */
				assert_int_equal(esp_peek_spi(&pk), 0x12345678);
				assert_int_equal(pkt_data(&pk)[7], 1);
				assert_int_equal((pk.len - ESP_HDR_LEN - info->iv_len -
						  info->icv_len) % info->pad_align, 0);
				assert_true(pk.len >= len + ESP_HDR_LEN + info->iv_len +
					    ESP_TRAILER_LEN + info->icv_len);
				assert_int_equal(esp_decap(p.in, &pk, &nh), ESP_DROP_NONE);
				assert_int_equal(nh, ESP_NH_IPV4);
				assert_int_equal(esp_tunnel_inner_check(&pk, nh), ESP_DROP_NONE);
				assert_int_equal(pk.len, len);
				assert_memory_equal(pkt_data(&pk), orig, len);
				pair_free(&p);
			}
		}
	}
}

/* Encapsulate one packet with sequence number seq (by setting the
 * counter just before it). */
static void encap_at(struct pair *p, struct pkt *pk, uint8_t *buf, uint64_t seq)
{
	make_ipv4(pk, buf, 60);
	p->out->seq = seq - 1;
	assert_int_equal(esp_encap(p->out, pk, ESP_NH_IPV4), ESP_DROP_NONE);
}

static void test_tamper_every_byte(void **state)
{
	for (int alg = 0; alg < CRYPTO_ALG_COUNT; alg++) {
		uint8_t buf[BUF], copy[BUF], nh;
		struct pair p;
		struct pkt pk, t;

		pair_new(&p, alg, true, 0);
		encap_at(&p, &pk, buf, 1);
		memcpy(copy, buf, BUF);
		/* Flipping any bit after the SPI is an integrity failure (the
		 * sequence number is authenticated too). */
		for (size_t i = 4; i < pk.len; i++) {
			memcpy(buf, copy, BUF);
			t = pk;
			pkt_data(&t)[i] ^= 0x10;
			assert_int_equal(esp_decap(p.in, &t, &nh), ESP_DROP_INTEGRITY);
		}
		assert_int_equal(esp_stat_get(&p.in_stats.packets), 0);
		pair_free(&p);
	}
}

static void test_esn_high_half_is_authenticated(void **state)
{
	for (int alg = 0; alg < CRYPTO_ALG_COUNT; alg++) {
		uint8_t buf[BUF], nh;
		struct pair p;
		struct pkt pk;

		/* Sent as 2^32 + 5, received by an SA that believes it is in
		 * epoch 0: the low halves match, the ICV must not. */
		pair_new(&p, alg, true, 64);
		encap_at(&p, &pk, buf, (UINT64_C(1) << 32) + 5);
		assert_int_equal(esp_decap(p.in, &pk, &nh), ESP_DROP_INTEGRITY);
		/* Once the receiver is in epoch 1 the same packet verifies. */
		p.in->replay.top = (UINT64_C(1) << 32) + 1;
		encap_at(&p, &pk, buf, (UINT64_C(1) << 32) + 5);
		assert_int_equal(esp_decap(p.in, &pk, &nh), ESP_DROP_NONE);
		pair_free(&p);
	}
}

static void test_replayed_packet_dropped(void **state)
{
	uint8_t buf[BUF], copy[BUF], nh;
	struct pair p;
	struct pkt pk, again;

	pair_new(&p, CRYPTO_AES128_GCM16, false, 32);
	encap_at(&p, &pk, buf, 7);
	memcpy(copy, buf, BUF);
	again = pk;
	assert_int_equal(esp_decap(p.in, &pk, &nh), ESP_DROP_NONE);
	memcpy(buf, copy, BUF);
	assert_int_equal(esp_decap(p.in, &again, &nh), ESP_DROP_REPLAY);
	pair_free(&p);
}

static void test_forgery_does_not_move_window(void **state)
{
	uint8_t buf[BUF], nh;
	struct pair p;
	struct pkt pk;

	pair_new(&p, CRYPTO_AES256_GCM16, false, 32);
	encap_at(&p, &pk, buf, 1000);
	pkt_data(&pk)[pk.len - 1] ^= 1;
	assert_int_equal(esp_decap(p.in, &pk, &nh), ESP_DROP_INTEGRITY);
	assert_int_equal(p.in->replay.top, 0);
	encap_at(&p, &pk, buf, 3);
	assert_int_equal(esp_decap(p.in, &pk, &nh), ESP_DROP_NONE);
	pair_free(&p);
}

static void test_malformed_lengths(void **state)
{
	for (int alg = 0; alg < CRYPTO_ALG_COUNT; alg++) {
		const struct crypto_alg_info *info = crypto_alg_info(alg);
		uint8_t buf[BUF], nh;
		struct pair p;
		struct pkt pk;

		pair_new(&p, alg, false, 64);
		encap_at(&p, &pk, buf, 1);
		/* Every truncation is refused before any cryptography or as
		 * an integrity failure, never anything else. */
		for (size_t len = 0; len < pk.len; len++) {
			struct pkt t = pk;
			enum esp_drop d;

			t.len = len;
			d = esp_decap(p.in, &t, &nh);
			assert_true(d == ESP_DROP_MALFORMED || d == ESP_DROP_INTEGRITY);
			if (len < ESP_HDR_LEN + info->iv_len + info->icv_len + ESP_TRAILER_LEN)
				assert_int_equal(d, ESP_DROP_MALFORMED);
		}
		pair_free(&p);
	}
}

/* Seal a chosen plaintext body (payload, padding, trailer) directly, so
 * that the trailer can be wrong in ways esp_encap never produces. */
static void seal_body(struct pair *p, struct pkt *pk, uint8_t *buf,
		      const uint8_t *body, size_t body_len)
{
	const struct crypto_alg_info *info = p->out->alg;
	uint8_t aad[8] = { 0x12, 0x34, 0x56, 0x78, 0, 0, 0, 1 }, *d;

	pkt_init(pk, buf, BUF, 0);
	assert_true(pkt_put(pk, ESP_HDR_LEN + info->iv_len + body_len + info->icv_len, &d));
	memcpy(d, aad, 8);
	assert_int_equal(crypto_make_iv(p->out->xform, 1, d + 8), 0);
	memcpy(d + 8 + info->iv_len, body, body_len);
	assert_int_equal(crypto_seal(p->out->xform, aad, 8, d + 8, d + 8 + info->iv_len,
				     body_len, NULL, 0, d + 8 + info->iv_len + body_len), 0);
}

static void test_bad_padding(void **state)
{
	uint8_t buf[BUF], body[32], nh;
	struct pair p;
	struct pkt pk;

	pair_new(&p, CRYPTO_AES128_GCM16, false, 64);
	/* 20-byte IPv4 header, pad 1 2 3 with the middle byte wrong. */
	memset(body, 0, sizeof(body));
	body[0] = 0x45;
	body[3] = 20;
	body[20] = 1, body[21] = 9, body[22] = 3, body[23] = 3, body[24] = ESP_NH_IPV4;
	seal_body(&p, &pk, buf, body, 25);
	assert_int_equal(esp_decap(p.in, &pk, &nh), ESP_DROP_PADDING);
	pair_free(&p);

	/* A pad length longer than the body. */
	pair_new(&p, CRYPTO_AES128_GCM16, false, 64);
	memset(body, 0, sizeof(body));
	body[2] = 200, body[3] = ESP_NH_IPV4;
	seal_body(&p, &pk, buf, body, 4);
	assert_int_equal(esp_decap(p.in, &pk, &nh), ESP_DROP_PADDING);
	pair_free(&p);
}

static void test_dummy_and_bad_inner(void **state)
{
	uint8_t buf[BUF], body[64], nh;
	struct pair p;
	struct pkt pk;

	pair_new(&p, CRYPTO_CHACHA20_POLY1305, false, 64);
	/* §2.6 dummy packet: next header 59. */
	memset(body, 0, sizeof(body));
	body[2] = 0, body[3] = ESP_NH_NONE;
	seal_body(&p, &pk, buf, body, 4);
	assert_int_equal(esp_decap(p.in, &pk, &nh), ESP_DROP_NONE);
	assert_int_equal(nh, ESP_NH_NONE);
	pair_free(&p);

	/* An IPv4 header announcing more bytes than arrived. */
	pair_new(&p, CRYPTO_CHACHA20_POLY1305, false, 64);
	memset(body, 0, sizeof(body));
	body[0] = 0x45, body[3] = 60;
	body[20] = 1, body[21] = 2, body[22] = 2, body[23] = ESP_NH_IPV4;
	seal_body(&p, &pk, buf, body, 24);
	assert_int_equal(esp_decap(p.in, &pk, &nh), ESP_DROP_NONE);
	assert_int_equal(esp_tunnel_inner_check(&pk, nh), ESP_DROP_MALFORMED);
	pair_free(&p);
}

static void test_inner_checks(void **state)
{
	uint8_t b[80] = { 0 };
	struct pkt p;

	/* IPv6 with TFC padding after it (§2.7): trimmed. */
	pkt_init(&p, b, sizeof(b), 0);
	pkt_set_len(&p, 60);
	b[0] = 0x60, b[5] = 8;
	assert_int_equal(esp_tunnel_inner_check(&p, ESP_NH_IPV6), ESP_DROP_NONE);
	assert_int_equal(p.len, 48);
	/* Family and next header disagree. */
	pkt_set_len(&p, 60);
	assert_int_equal(esp_tunnel_inner_check(&p, ESP_NH_IPV4), ESP_DROP_MALFORMED);
	/* IPv4 with IHL below 5. */
	memset(b, 0, sizeof(b));
	b[0] = 0x44, b[3] = 40;
	pkt_set_len(&p, 40);
	assert_int_equal(esp_tunnel_inner_check(&p, ESP_NH_IPV4), ESP_DROP_MALFORMED);
	/* Some other protocol in tunnel mode. */
	assert_int_equal(esp_tunnel_inner_check(&p, ESP_NH_GRE), ESP_DROP_MALFORMED);
}

/* The counter set 3 short of 2^32 - 1, as after 4 billion packets: three
 * more go out, the last numbered 0xffffffff on the wire (and accepted
 * by the peer), then nothing: each refusal is a counted drop, the
 * counter never wraps to 0, and the numbers the batch took are counted
 * once for the engine (which rekeys well before this). */
static void test_sequence_limit(void **state)
{
	uint8_t buf[BUF], nh;
	uint64_t before;
	struct pair p;
	struct pkt pk;

	(void)state;
	pair_new(&p, CRYPTO_AES128_GCM16, false, 64);
	p.out->seq = UINT32_MAX - 3;
	before = p.out->seq;
	for (int i = 0; i < 3; i++) {
		make_ipv4(&pk, buf, 60);
		assert_int_equal(esp_encap(p.out, &pk, ESP_NH_IPV4), ESP_DROP_NONE);
		esp_sa_count(p.out, ESP_DROP_NONE, 60);
	}
	/* SPI, then the sequence number: 0xffffffff */
	assert_memory_equal(pkt_data(&pk) + 4, "\xff\xff\xff\xff", 4);
	assert_int_equal(esp_decap(p.in, &pk, &nh), ESP_DROP_NONE);
	for (int i = 0; i < 5; i++) {
		make_ipv4(&pk, buf, 60);
		assert_int_equal(esp_encap(p.out, &pk, ESP_NH_IPV4), ESP_DROP_EXHAUSTED);
		esp_sa_count(p.out, ESP_DROP_EXHAUSTED, 0);
	}
	assert_int_equal(p.out->seq, UINT32_MAX);
	esp_sa_count_seqs(p.out, before);
	assert_int_equal(esp_stat_get(&p.out_stats.seq_used), 3);
	assert_int_equal(esp_stat_get(&p.out_stats.packets), 3);
	assert_int_equal(esp_stat_get(&p.out_stats.drops[ESP_DROP_EXHAUSTED]), 5);
	/* a batch that took nothing adds nothing */
	esp_sa_count_seqs(p.out, p.out->seq);
	assert_int_equal(esp_stat_get(&p.out_stats.seq_used), 3);
	pair_free(&p);
}

static void test_sequence_exhaustion(void **state)
{
	uint8_t buf[BUF];
	struct pair p;
	struct pkt pk;

	pair_new(&p, CRYPTO_AES128_GCM16, false, 64);
	p.out->seq = UINT32_MAX - 1;
	make_ipv4(&pk, buf, 40);
	assert_int_equal(esp_encap(p.out, &pk, ESP_NH_IPV4), ESP_DROP_NONE);
	make_ipv4(&pk, buf, 40);
	/* §3.3.3: never cycle; the SA stays stopped. */
	assert_int_equal(esp_encap(p.out, &pk, ESP_NH_IPV4), ESP_DROP_EXHAUSTED);
	assert_int_equal(esp_encap(p.out, &pk, ESP_NH_IPV4), ESP_DROP_EXHAUSTED);
	assert_true(p.out->is_exhausted);
	pair_free(&p);

	/* With ESN the 32-bit boundary is nothing special. */
	pair_new(&p, CRYPTO_AES128_GCM16, true, 64);
	p.out->seq = UINT32_MAX;
	make_ipv4(&pk, buf, 40);
	assert_int_equal(esp_encap(p.out, &pk, ESP_NH_IPV4), ESP_DROP_NONE);
	assert_int_equal(p.out->seq, UINT64_C(1) << 32);
	pair_free(&p);
}

static void test_spi_below_256_refused(void **state)
{
	uint8_t key[20] = { 0 };
	struct esp_sa_params params = {
		.spi = 255, .alg = CRYPTO_AES128_GCM16, .key = key, .key_len = 20,
	};
	struct esp_sa *sa;

	assert_int_equal(esp_sa_new(&sa, &params, NULL), IFS_ERR_RANGE);
	assert_null(sa);
}

static void test_inner_mtu(void **state)
{
	/* 1500 - 20 - 8 - 8 - 8 - 16 = 1440, a multiple of 4, minus 2 */
	assert_int_equal(esp_inner_mtu(CRYPTO_AES128_GCM16, 1500, false, true), 1438);
	assert_int_equal(esp_inner_mtu(CRYPTO_AES128_GCM16, 1500, false, false), 1446);
	assert_int_equal(esp_inner_mtu(CRYPTO_AES128_GCM16, 1500, true, true), 1418);
	/* 1500 - 20 - 8 - 16 - 16 = 1440 = 90 blocks, minus 2 */
	assert_int_equal(esp_inner_mtu(CRYPTO_AES128_CBC_SHA256_128, 1500, false, false), 1438);
	/* + 8 bytes of UDP: 1432 -> 1424 -> 1422 */
	assert_int_equal(esp_inner_mtu(CRYPTO_AES256_CBC_SHA256_128, 1500, false, true), 1422);
	assert_int_equal(esp_inner_mtu(CRYPTO_AES128_GCM16, 60, true, true), 0);
	/* The bound is exact: a packet of the computed size fits. */
	for (int alg = 0; alg < CRYPTO_ALG_COUNT; alg++) {
		uint32_t m = esp_inner_mtu(alg, 1500, false, true);
		uint8_t buf[BUF];
		struct pair p;
		struct pkt pk;

		pair_new(&p, alg, false, 0);
		make_ipv4(&pk, buf, m);
		assert_int_equal(esp_encap(p.out, &pk, ESP_NH_IPV4), ESP_DROP_NONE);
		assert_true(pk.len + 20 + 8 <= 1500);
		make_ipv4(&pk, buf, m + 1);
		assert_int_equal(esp_encap(p.out, &pk, ESP_NH_IPV4), ESP_DROP_NONE);
		assert_true(pk.len + 20 + 8 > 1500);
		pair_free(&p);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip_all),
		cmocka_unit_test(test_tamper_every_byte),
		cmocka_unit_test(test_esn_high_half_is_authenticated),
		cmocka_unit_test(test_replayed_packet_dropped),
		cmocka_unit_test(test_forgery_does_not_move_window),
		cmocka_unit_test(test_malformed_lengths),
		cmocka_unit_test(test_bad_padding),
		cmocka_unit_test(test_dummy_and_bad_inner),
		cmocka_unit_test(test_inner_checks),
		cmocka_unit_test(test_sequence_exhaustion),
		cmocka_unit_test(test_sequence_limit),
		cmocka_unit_test(test_spi_below_256_refused),
		cmocka_unit_test(test_inner_mtu),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
