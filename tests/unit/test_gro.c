/* SPDX-License-Identifier: BSD-2-Clause */
/* Coalescing decrypted TCP segments into one write to a TUN with
 * offloads; a datagram socket pair stands for the TUN. Each write is
 * read back and checked as the kernel would take it: the virtio_net_hdr,
 * the lengths, the payload in order, and the checksum once completed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <sys/socket.h>
#include <unistd.h>

#include "net/gro.h"
#include "net/gso.h"

#define SLOT 2048
#define SEQ0 1000u

struct fixture {
	int fd[2];
	struct gro g;
	uint8_t bufs[GRO_MAX_PACKETS + 8][SLOT];
	struct pkt pkts[GRO_MAX_PACKETS + 8];
	size_t n;
};

static struct fixture fx;

static int setup(void **state)
{
	memset(&fx, 0, sizeof(fx));
	if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0, fx.fd) != 0)
		return -1;
	int sz = 1 << 20;
	setsockopt(fx.fd[0], SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	setsockopt(fx.fd[1], SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	gro_init(&fx.g);
	*state = &fx;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	close(fx.fd[0]);
	close(fx.fd[1]);
	return 0;
}

struct seg_spec {
	bool is_v6;
	uint16_t sport;
	uint32_t seq, ack;
	uint8_t flags;
	size_t payload;
	uint8_t proto;           /* 0: TCP */
};

/* A decrypted packet as the worker would have it (headroom before it);
 * payload byte i of the flow's stream is (seq + i) & 0xff. */
static struct pkt *packet(struct fixture *f, const struct seg_spec *s)
{
	struct pkt *p = &f->pkts[f->n];
	size_t ip = s->is_v6 ? 40 : 20, tcp = 32, len;
	uint8_t *d;

	pkt_init(p, f->bufs[f->n++], SLOT, 64);
	len = ip + (s->proto ? 8 : tcp) + s->payload;
	assert_true(pkt_set_len(p, len));
	d = pkt_data(p);
	memset(d, 0, ip + tcp);
	if (s->is_v6) {
		d[0] = 0x60;
		d[4] = (uint8_t)((len - 40) >> 8), d[5] = (uint8_t)(len - 40);
		d[6] = s->proto ? s->proto : 6, d[7] = 64;
		d[8] = 0x20, d[9] = 0x01, d[23] = 1, d[24] = 0x20, d[25] = 0x01, d[39] = 2;
	} else {
		d[0] = 0x45, d[2] = (uint8_t)(len >> 8), d[3] = (uint8_t)len;
		d[6] = 0x40, d[8] = 64, d[9] = s->proto ? s->proto : 6;
		d[12] = 10, d[15] = 1, d[16] = 10, d[19] = 2;
	}
	d[ip] = (uint8_t)(s->sport >> 8), d[ip + 1] = (uint8_t)s->sport;
	d[ip + 2] = 0x13, d[ip + 3] = 0x89;
	if (!s->proto) {
		for (int i = 0; i < 4; i++) {
			d[ip + 4 + i] = (uint8_t)(s->seq >> (24 - 8 * i));
			d[ip + 8 + i] = (uint8_t)(s->ack >> (24 - 8 * i));
		}
		d[ip + 12] = 8 << 4;
		d[ip + 13] = s->flags;
		d[ip + 14] = 0x10;
		d[ip + 20] = 1, d[ip + 21] = 1, d[ip + 22] = 8, d[ip + 23] = 10;   /* timestamps */
		d[ip + 27] = 0x42;
	}
	for (size_t i = 0; i < s->payload; i++)
		d[len - s->payload + i] = (uint8_t)(s->seq + i);
	return p;
}

static void add(struct fixture *f, struct seg_spec s)
{
	assert_true(gro_add(&f->g, f->fd[0], packet(f, &s)));
}

struct got {
	struct virtio_net_hdr h;
	uint8_t d[70000];
	size_t len;              /* after the header */
};

/* The next write: false if none. */
static bool next_write(struct fixture *f, struct got *g)
{
	static uint8_t buf[sizeof(struct virtio_net_hdr) + 70000];
	ssize_t n = recv(f->fd[1], buf, sizeof(buf), MSG_DONTWAIT);

	if (n < 0)
		return false;
	assert_true((size_t)n >= sizeof(g->h));
	memcpy(&g->h, buf, sizeof(g->h));
	g->len = (size_t)n - sizeof(g->h);
	memcpy(g->d, buf + sizeof(g->h), g->len);
	return true;
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* A coalesced write: n_segs of seg_size from seq (the last may be less),
 * total payload bytes; its checksum completes as the kernel would. */
static void check_coalesced(const struct got *g, bool is_v6, uint32_t seq, size_t payload,
			    uint16_t seg_size)
{
	size_t ip = is_v6 ? 40 : 20, hdr = ip + 32;
	uint8_t d[70000];

	assert_int_equal(g->h.gso_type, is_v6 ? VIRTIO_NET_HDR_GSO_TCPV6 : VIRTIO_NET_HDR_GSO_TCPV4);
	assert_int_equal(g->h.flags, VIRTIO_NET_HDR_F_NEEDS_CSUM);
	assert_int_equal(g->h.gso_size, seg_size);
	assert_int_equal(g->h.hdr_len, hdr);
	assert_int_equal(g->h.csum_start, ip);
	assert_int_equal(g->h.csum_offset, 16);
	assert_int_equal(g->len, hdr + payload);
	if (is_v6) {
		assert_int_equal(get16(g->d + 4), g->len - 40);
	} else {
		assert_int_equal(get16(g->d + 2), g->len);
		assert_int_equal(gso_csum_fold(gso_csum_add(0, g->d, 20)), 0);
	}
	for (size_t i = 0; i < payload; i++)
		assert_int_equal(g->d[hdr + i], (uint8_t)(seq + i));
	/* complete the checksum (CHECKSUM_PARTIAL), then verify it */
	memcpy(d, g->d, g->len);
	{
		uint16_t c = gso_csum_fold(gso_csum_add(0, d + ip, g->len - ip));
		uint8_t pseudo[8] = { 0 };
		uint32_t sum = is_v6 ? gso_csum_add(0, d + 8, 32) : gso_csum_add(0, d + 12, 8);

		d[ip + 16] = (uint8_t)(c >> 8), d[ip + 17] = (uint8_t)c;
		pseudo[2] = (uint8_t)((g->len - ip) >> 8), pseudo[3] = (uint8_t)(g->len - ip);
		pseudo[7] = 6;
		sum = gso_csum_add(sum, pseudo, sizeof(pseudo));
		assert_int_equal(gso_csum_fold(gso_csum_add(sum, d + ip, g->len - ip)), 0);
	}
}

static void check_single(const struct got *g, size_t len)
{
	assert_int_equal(g->h.gso_type, VIRTIO_NET_HDR_GSO_NONE);
	assert_int_equal(g->h.flags, VIRTIO_NET_HDR_F_DATA_VALID);
	assert_int_equal(g->len, len);
}

/* Three full segments and a short one: one write. */
static void test_one_flow(void **state)
{
	struct fixture *f = *state;
	static struct got g;

	for (int v6 = 0; v6 <= 1; v6++) {
		uint32_t seq = SEQ0;

		for (int i = 0; i < 3; i++, seq += 1300)
			add(f, (struct seg_spec){ .is_v6 = v6, .sport = 1, .seq = seq, .flags = 0x10,
						  .payload = 1300 });
		add(f, (struct seg_spec){ .is_v6 = v6, .sport = 1, .seq = seq, .flags = 0x18,
					  .payload = 200 });
		gro_flush(&f->g);
		assert_true(next_write(f, &g));
		check_coalesced(&g, v6, SEQ0, 4100, 1300);
		assert_int_equal(g.d[(v6 ? 40 : 20) + 13], 0x18);   /* PSH carried */
		assert_false(next_write(f, &g));
		f->n = 0;
	}
}

/* What breaks a run: a gap in the sequence, another ACK, PSH, a short
 * segment; a pure ACK and UDP go alone. Flows interleave. */
static void test_breaks(void **state)
{
	struct fixture *f = *state;
	static struct got g;

	add(f, (struct seg_spec){ .sport = 1, .seq = 0, .flags = 0x10, .payload = 1000 });
	add(f, (struct seg_spec){ .sport = 2, .seq = 0, .flags = 0x10, .payload = 1000 });
	add(f, (struct seg_spec){ .sport = 1, .seq = 1000, .flags = 0x10, .payload = 1000 });
	add(f, (struct seg_spec){ .sport = 2, .seq = 1000, .flags = 0x10, .payload = 1000 });
	add(f, (struct seg_spec){ .sport = 1, .seq = 3000, .flags = 0x10, .payload = 1000 }); /* gap */
	add(f, (struct seg_spec){ .sport = 2, .seq = 2000, .ack = 5, .flags = 0x10,
				  .payload = 1000 });                                    /* ACK moved */
	add(f, (struct seg_spec){ .sport = 3, .flags = 0x10 });                           /* pure ACK */
	add(f, (struct seg_spec){ .sport = 4, .proto = 17, .payload = 100 });             /* UDP */
	gro_flush(&f->g);

	assert_true(next_write(f, &g));
	check_coalesced(&g, false, 0, 2000, 1000);      /* flow 1: 0..2000 */
	assert_true(next_write(f, &g));
	check_coalesced(&g, false, 0, 2000, 1000);      /* flow 2: 0..2000 */
	assert_true(next_write(f, &g));
	check_single(&g, 20 + 32 + 1000);               /* flow 1 after the gap */
	assert_true(next_write(f, &g));
	check_single(&g, 20 + 32 + 1000);               /* flow 2, new ACK */
	assert_true(next_write(f, &g));
	check_single(&g, 20 + 32);
	assert_true(next_write(f, &g));
	check_single(&g, 20 + 8 + 100);
	assert_false(next_write(f, &g));
}

/* A segment after a PSH or a short one starts a new write; one bigger
 * than the first's size is not merged either. */
static void test_ends(void **state)
{
	struct fixture *f = *state;
	static struct got g;

	add(f, (struct seg_spec){ .sport = 1, .seq = 0, .flags = 0x10, .payload = 1000 });
	add(f, (struct seg_spec){ .sport = 1, .seq = 1000, .flags = 0x18, .payload = 1000 });
	add(f, (struct seg_spec){ .sport = 1, .seq = 2000, .flags = 0x10, .payload = 500 });
	add(f, (struct seg_spec){ .sport = 1, .seq = 2500, .flags = 0x10, .payload = 1000 });
	add(f, (struct seg_spec){ .sport = 1, .seq = 3500, .flags = 0x10, .payload = 1200 });
	gro_flush(&f->g);
	assert_true(next_write(f, &g));
	check_coalesced(&g, false, 0, 2000, 1000);
	assert_true(next_write(f, &g));
	check_single(&g, 20 + 32 + 500);
	assert_true(next_write(f, &g));
	check_single(&g, 20 + 32 + 1000);
	assert_true(next_write(f, &g));
	check_single(&g, 20 + 32 + 1200);
	assert_false(next_write(f, &g));
}

/* No coalesced packet beyond 64 KB of IP. */
static void test_size_bound(void **state)
{
	struct fixture *f = *state;
	static struct got g;
	size_t total = 0, writes = 0;

	for (uint32_t i = 0; i < 60; i++)
		add(f, (struct seg_spec){ .is_v6 = true, .sport = 1, .seq = i * 1400,
					  .flags = 0x10, .payload = 1400 });
	gro_flush(&f->g);
	while (next_write(f, &g)) {
		assert_true(g.len <= 65535 + 40);
		total += g.len - 72;
		writes++;
	}
	assert_int_equal(total, 60 * 1400);
	assert_int_equal(writes, 2);
}

/* Room for GRO_MAX_PACKETS a batch, whether they open items or extend
 * one; then the caller writes itself. */
static void test_room(void **state)
{
	struct fixture *f = *state;
	static struct got g;

	for (int i = 0; i < GRO_MAX_PACKETS; i++)
		add(f, (struct seg_spec){ .sport = (uint16_t)i, .flags = 0x10 });
	assert_false(gro_add(&f->g, f->fd[0], packet(f, &(struct seg_spec){ .sport = 99 })));
	gro_flush(&f->g);
	while (next_write(f, &g))
		;
	f->n = 0;
	for (uint32_t i = 0; i < GRO_MAX_PACKETS; i++)
		add(f, (struct seg_spec){ .sport = 1, .seq = i * 100, .flags = 0x10, .payload = 100 });
	assert_false(gro_add(&f->g, f->fd[0], packet(f, &(struct seg_spec){
		.sport = 1, .seq = GRO_MAX_PACKETS * 100, .flags = 0x10, .payload = 100 })));
	assert_int_equal(f->g.n_segs, GRO_MAX_PACKETS - 1);
	gro_flush(&f->g);
	assert_true(next_write(f, &g));
	check_coalesced(&g, false, 0, GRO_MAX_PACKETS * 100, 100);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_one_flow, setup, teardown),
		cmocka_unit_test_setup_teardown(test_breaks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ends, setup, teardown),
		cmocka_unit_test_setup_teardown(test_size_bound, setup, teardown),
		cmocka_unit_test_setup_teardown(test_room, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
