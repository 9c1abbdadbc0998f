/* SPDX-License-Identifier: BSD-2-Clause */
/* Cutting what a TUN with offloads hands over into wire packets: TCP
 * segments of up to 64 KB (IPv4 and IPv6) and packets whose transport
 * checksum is ours to complete. Each piece is checked as a receiver
 * would: lengths, sequence numbers, flags, IPv4 ID, checksums. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "net/gso.h"

#define BUF 2048
#define SEQ 0x11223344u

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)get16(p) << 16 | get16(p + 2);
}

/* A TCP packet with `payload` bytes (byte i is i & 0xff) and flags. */
static size_t tcp_packet(uint8_t *d, bool is_v6, size_t payload, uint8_t flags)
{
	size_t ip = is_v6 ? 40 : 20, tcp = 32, len = ip + tcp + payload;

	memset(d, 0, ip + tcp);
	if (is_v6) {
		d[0] = 0x60;
		d[4] = (uint8_t)((tcp + payload) >> 8);
		d[5] = (uint8_t)(tcp + payload);
		d[6] = 6;
		d[7] = 64;
		d[8] = 0x20, d[9] = 0x01, d[23] = 1;
		d[24] = 0x20, d[25] = 0x01, d[39] = 2;
	} else {
		d[0] = 0x45;
		d[2] = (uint8_t)(len >> 8);
		d[3] = (uint8_t)len;
		d[4] = 0x12, d[5] = 0x34;      /* ID */
		d[6] = 0x40;                   /* DF */
		d[8] = 64;
		d[9] = 6;
		d[12] = 198, d[13] = 51, d[14] = 100, d[15] = 1;
		d[16] = 203, d[17] = 0, d[18] = 113, d[19] = 65;
	}
	d[ip] = 0x13, d[ip + 1] = 0x89;         /* ports 5001 -> 40000 */
	d[ip + 2] = 0x9c, d[ip + 3] = 0x40;
	d[ip + 4] = (uint8_t)(SEQ >> 24), d[ip + 5] = (uint8_t)(SEQ >> 16);
	d[ip + 6] = (uint8_t)(SEQ >> 8), d[ip + 7] = (uint8_t)SEQ;
	d[ip + 12] = (uint8_t)(tcp / 4) << 4;  /* with 12 bytes of options */
	d[ip + 13] = flags;
	d[ip + 14] = 0xff;
	for (size_t i = 0; i < payload; i++)
		d[ip + tcp + i] = (uint8_t)i;
	return len;
}

/* The transport checksum verifies (sums to 0xffff with the pseudo-header). */
static bool transport_csum_ok(const uint8_t *d, size_t len, uint8_t proto)
{
	bool is_v6 = d[0] >> 4 == 6;
	size_t ip = is_v6 ? 40 : (size_t)(d[0] & 0x0f) * 4;
	uint8_t pseudo[8] = { 0 };
	uint32_t sum = is_v6 ? gso_csum_add(0, d + 8, 32) : gso_csum_add(0, d + 12, 8);

	pseudo[2] = (uint8_t)((len - ip) >> 8);
	pseudo[3] = (uint8_t)(len - ip);
	pseudo[7] = proto;
	sum = gso_csum_add(sum, pseudo, sizeof(pseudo));
	return gso_csum_fold(gso_csum_add(sum, d + ip, len - ip)) == 0;
}

static void check_pieces(bool is_v6, size_t payload, uint16_t mss, uint8_t flags)
{
	static uint8_t super[70000];
	size_t len = tcp_packet(super, is_v6, payload, flags), ip = is_v6 ? 40 : 20, hdr = ip + 32;
	struct virtio_net_hdr h = {
		.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM,
		.gso_type = is_v6 ? VIRTIO_NET_HDR_GSO_TCPV6 : VIRTIO_NET_HDR_GSO_TCPV4,
		.hdr_len = (uint16_t)hdr, .gso_size = mss,
		.csum_start = (uint16_t)ip, .csum_offset = 16,
	};
	size_t n_want = payload ? (payload + mss - 1) / mss : 1, n = 0, seen = 0;
	uint8_t buf[BUF];
	struct gso_iter it;
	struct pkt p;

	assert_true(gso_iter_init(&it, &h, super, len));
	for (;;) {
		const uint8_t *d, *tcp;
		size_t plen;

		pkt_init(&p, buf, sizeof(buf), 64);
		if (!gso_iter_next(&it, &p))
			break;
		d = pkt_data(&p);
		tcp = d + ip;
		plen = p.len - hdr;
		assert_true(plen <= mss);
		assert_int_equal(is_v6 ? get16(d + 4) + 40u : get16(d + 2), p.len);
		if (!is_v6) {
			assert_int_equal(get16(d + 4), 0x1234 + n);
			assert_int_equal(gso_csum_fold(gso_csum_add(0, d, 20)), 0);
		}
		assert_int_equal(get32(tcp + 4), SEQ + seen);
		assert_memory_equal(d + hdr, super + hdr + seen, plen);
		assert_true(transport_csum_ok(d, p.len, 6));
		if (n + 1 < n_want)
			assert_int_equal(tcp[13], flags & ~(0x01 | 0x08) & (n ? ~0x80 : 0xff));
		else
			assert_int_equal(tcp[13], flags & (n ? ~0x80 : 0xff));
		seen += plen;
		n++;
	}
	assert_int_equal(n, n_want);
	assert_int_equal(seen, payload);
	assert_false(gso_iter_next(&it, &p));
}

static void test_tcp4_pieces(void **state)
{
	(void)state;
	check_pieces(false, 64000, 1388, 0x18);        /* PSH ACK */
	check_pieces(false, 2776, 1388, 0x80 | 0x10 | 0x01);  /* CWR ACK FIN, two even pieces */
	check_pieces(false, 1, 1388, 0x10);
	check_pieces(false, 0, 1388, 0x10);
}

static void test_tcp6_pieces(void **state)
{
	(void)state;
	check_pieces(true, 65000, 1368, 0x18);
	check_pieces(true, 1369, 1368, 0x10);
}

/* A UDP packet whose checksum field holds only the pseudo-header's sum
 * (CHECKSUM_PARTIAL): completed, and the packet otherwise as it was. */
static void test_csum_completed(void **state)
{
	uint8_t d[20 + 8 + 100] = { 0x45, 0, 0, 128, 0, 0, 0x40, 0, 64, 17, 0, 0,
				    192, 0, 2, 1, 192, 0, 2, 2 };
	struct virtio_net_hdr h = {
		.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM, .csum_start = 20, .csum_offset = 6,
	};
	uint8_t pseudo[12] = { 192, 0, 2, 1, 192, 0, 2, 2, 0, 17, 0, 108 };
	uint8_t buf[BUF];
	struct gso_iter it;
	uint16_t partial;

	(void)state;
	d[20] = 0x13, d[21] = 0x89, d[23] = 53, d[25] = 108;
	for (size_t i = 28; i < sizeof(d); i++)
		d[i] = (uint8_t)(i * 7);
	partial = (uint16_t)~gso_csum_fold(gso_csum_add(0, pseudo, sizeof(pseudo)));
	d[26] = (uint8_t)(partial >> 8), d[27] = (uint8_t)partial;
	memcpy(buf, d, sizeof(d));
	assert_false(gso_iter_init(&it, &h, d, sizeof(d)));   /* nothing to cut */
	assert_true(gso_finish_one(&h, buf, sizeof(d)));
	assert_true(transport_csum_ok(buf, sizeof(d), 17));
	assert_memory_equal(buf + 28, d + 28, sizeof(d) - 28);
	/* without NEEDS_CSUM it is left alone */
	h.flags = 0;
	memcpy(buf, d, sizeof(d));
	assert_true(gso_finish_one(&h, buf, sizeof(d)));
	assert_memory_equal(buf, d, sizeof(d));
}

/* What cannot be cut is refused, not guessed at. */
static void test_refused(void **state)
{
	static uint8_t super[4000];
	size_t len = tcp_packet(super, false, 3000, 0x10);
	struct virtio_net_hdr h = { .gso_type = VIRTIO_NET_HDR_GSO_TCPV4, .gso_size = 1000 };
	struct gso_iter it;

	(void)state;
	assert_true(gso_iter_init(&it, &h, super, len));
	h.gso_size = 0;
	assert_false(gso_iter_init(&it, &h, super, len));
	h.gso_size = 1000;
	h.gso_type = VIRTIO_NET_HDR_GSO_UDP;
	assert_false(gso_iter_init(&it, &h, super, len));
	h.gso_type = VIRTIO_NET_HDR_GSO_TCPV6;     /* an IPv4 packet */
	assert_false(gso_iter_init(&it, &h, super, len));
	h.gso_type = VIRTIO_NET_HDR_GSO_TCPV4 | VIRTIO_NET_HDR_GSO_ECN;
	assert_false(gso_iter_init(&it, &h, super, len));
	h.gso_type = VIRTIO_NET_HDR_GSO_TCPV4;
	super[20 + 12] = 0x40;                     /* data offset 16 bytes */
	assert_false(gso_iter_init(&it, &h, super, len));
	h = (struct virtio_net_hdr){ .flags = VIRTIO_NET_HDR_F_NEEDS_CSUM,
				     .csum_start = 3990, .csum_offset = 16 };
	assert_false(gso_finish_one(&h, super, len));
}

/* A piece that does not fit the caller's buffer is not written. */
static void test_small_buffer(void **state)
{
	static uint8_t super[4000];
	size_t len = tcp_packet(super, false, 3000, 0x10);
	struct virtio_net_hdr h = { .gso_type = VIRTIO_NET_HDR_GSO_TCPV4, .gso_size = 1000 };
	uint8_t buf[600];
	struct gso_iter it;
	struct pkt p;

	(void)state;
	assert_true(gso_iter_init(&it, &h, super, len));
	pkt_init(&p, buf, sizeof(buf), 64);
	assert_false(gso_iter_next(&it, &p));
}

/* Every prefix of a segment to cut, in a buffer of exactly that size:
 * refused or cut, never read past (the sanitizer builds run this). */
static void test_truncated(void **state)
{
	static uint8_t super[3100];
	size_t len = tcp_packet(super, true, 3000, 0x10);
	struct virtio_net_hdr h = { .gso_type = VIRTIO_NET_HDR_GSO_TCPV6, .gso_size = 1000 };
	uint8_t buf[BUF];

	(void)state;
	for (size_t n = 0; n <= len; n += (n < 100 ? 1 : 97)) {
		uint8_t *copy = malloc(n ? n : 1);
		struct gso_iter it;
		struct pkt p;

		assert_non_null(copy);
		memcpy(copy, super, n);
		if (gso_iter_init(&it, &h, copy, n)) {
			assert_true(n >= 72);
			do
				pkt_init(&p, buf, sizeof(buf), 64);
			while (gso_iter_next(&it, &p));
		}
		free(copy);
	}
}

/* RFC 1071's definition, one 16-bit word at a time, as the reference. */
static uint16_t reference_csum(const uint8_t *d, size_t len)
{
	uint32_t sum = 0;

	for (size_t i = 0; i < len; i += 2)
		sum += (uint32_t)(d[i] << 8 | (i + 1 < len ? d[i + 1] : 0));
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* The fast sum agrees with the reference for every length, at every
 * alignment, on data that makes carries (0xff runs) and on random data,
 * and when a sum is taken in two parts. */
static void test_csum_reference(void **state)
{
	static uint8_t data[2100];
	uint32_t x = 12345;

	(void)state;
	for (size_t i = 0; i < sizeof(data); i++) {
		x = x * 1103515245u + 12345u;
		data[i] = i < 300 ? 0xff : (uint8_t)(x >> 16);
	}
	for (size_t align = 0; align < 8; align++)
		for (size_t len = 0; len <= 2048; len += (len < 80 ? 1 : 61)) {
			const uint8_t *d = data + align;
			size_t half = (len / 2) & ~(size_t)1;

			assert_int_equal(gso_csum_fold(gso_csum_add(0, d, len)), reference_csum(d, len));
			assert_int_equal(gso_csum_fold(gso_csum_add(gso_csum_add(0, d, half),
								    d + half, len - half)),
					 reference_csum(d, len));
		}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csum_reference),
		cmocka_unit_test(test_tcp4_pieces),
		cmocka_unit_test(test_tcp6_pieces),
		cmocka_unit_test(test_csum_completed),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_small_buffer),
		cmocka_unit_test(test_truncated),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
