/* SPDX-License-Identifier: BSD-2-Clause */
/* The data-plane worker across a Child SA rekey, driven by hand (its
 * thread not started): ESP in UDP on loopback, a datagram socket pair as
 * the tunnel interface. The control thread's messages are applied when
 * the test says so, which makes the two orders that lost packets under
 * load (sys/rekey_load) happen every time:
 *  - a packet on a new inbound SA arrives while the message that installs
 *    it still waits in the queue;
 *  - packets on the old inbound SA arrive after the rekey removed it;
 *  - packets on an SPI we offered arrive before the answer that brings its
 *    SA has gone through the control thread. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/addr.h"
#include "esp/esp_wire.h"
#include "esp/sa.h"
#include "net/sock.h"
#include "net/worker_priv.h"

#define BUF 2048
#define SPI 0x0c0ffee1
#define INNER_LEN 60

struct fixture {
	struct worker *w;
	struct worker_tunnel *t;
	struct worker_sock *s;
	int esp_fd;                  /* the worker's socket */
	int peer_fd;                 /* sends ESP to it */
	int tun[2];                  /* [0] the worker's "interface", [1] the test's end */
	struct sockaddr_storage to;
	socklen_t to_len;
	struct esp_sa_stats tunnel_stats, in_stats, out_stats;
};

static int udp_socket(struct ifs_addr *lo, uint16_t *port)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);

	assert_true(fd >= 0);
	addr_to_sockaddr(lo, 0, &ss, &len);
	assert_int_equal(bind(fd, (struct sockaddr *)&ss, len), 0);
	len = sizeof(ss);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&ss, &len), 0);
	*port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
	return fd;
}

static int setup(void **state)
{
	static struct fixture f;
	struct worker_tunnel_params p = { 0 };
	struct ifs_addr lo;
	uint16_t esp_port, peer_port;

	memset(&f, 0, sizeof(f));
	if (crypto_init() != 0 || addr_parse("127.0.0.1", &lo) != 0)
		return -1;
	f.esp_fd = udp_socket(&lo, &esp_port);
	f.peer_fd = udp_socket(&lo, &peer_port);
	assert_int_equal(socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0, f.tun), 0);
	addr_to_sockaddr(&lo, esp_port, &f.to, &f.to_len);
	p = (struct worker_tunnel_params){
		.tun_fd = f.tun[0], .sock_fd = f.esp_fd, .is_udp = true,
		.local = lo, .remote = lo, .local_port = esp_port, .remote_port = peer_port,
		.stats = &f.tunnel_stats,
	};
	assert_int_equal(worker_new(&f.w), 0);
	assert_int_equal(worker_add_tunnel(f.w, &p, &f.t), 0);
	worker_apply_messages(f.w);
	f.s = worker_watch_sock(f.w, f.esp_fd, AF_INET, true);
	assert_non_null(f.s);
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	worker_free(f->w);
	close(f->esp_fd);
	close(f->peer_fd);
	close(f->tun[0]);
	close(f->tun[1]);
	crypto_fini();
	return 0;
}

/* One SA of SPI with a key made from seed; inbound (the worker's) or
 * outbound (the test's, as the peer). */
static struct esp_sa *sa_new(struct fixture *f, uint8_t seed, bool is_inbound)
{
	uint8_t key[20];
	struct esp_sa_params params = {
		.spi = SPI, .alg = CRYPTO_AES128_GCM16, .key = key, .key_len = sizeof(key),
		.is_inbound = is_inbound, .replay_window = 64,
	};
	struct esp_sa *sa;

	for (size_t i = 0; i < sizeof(key); i++)
		key[i] = (uint8_t)(seed + i);
	assert_int_equal(esp_sa_new(&sa, &params, is_inbound ? &f->in_stats : &f->out_stats), 0);
	return sa;
}

/* The peer sends one ESP packet holding a small IPv4 packet on out; the
 * worker reads what its socket holds. */
static void peer_sends(struct fixture *f, struct esp_sa *out)
{
	uint8_t buf[BUF], *d;
	struct pollfd pfd = { .fd = f->esp_fd, .events = POLLIN };
	struct pkt p;

	pkt_init(&p, buf, sizeof(buf), ESP_MAX_HEADROOM);
	assert_true(pkt_put(&p, INNER_LEN, &d));
	memset(d, 0, INNER_LEN);
	d[0] = 0x45;
	d[3] = INNER_LEN;
	d[8] = 64;
	d[9] = 17;
	assert_int_equal(esp_encap(out, &p, ESP_NH_IPV4), ESP_DROP_NONE);
	assert_int_equal(sendto(f->peer_fd, pkt_data(&p), p.len, 0,
				(struct sockaddr *)&f->to, f->to_len), (ssize_t)p.len);
	assert_int_equal(poll(&pfd, 1, 2000), 1);
	worker_on_sock_readable(f->esp_fd, EV_READ, f->s);
}

/* Did the inner packet come out of the tunnel interface? */
static bool delivered(struct fixture *f)
{
	uint8_t buf[BUF];

	return recv(f->tun[1], buf, sizeof(buf), MSG_DONTWAIT) == INNER_LEN;
}

static uint64_t unknown_spi(const struct fixture *f)
{
	return esp_stat_get(&worker_stats(f->w)->unknown_spi);
}

/* The control thread queued the new inbound SA, then answered the peer,
 * which sent on it at once: the worker takes the SA from the queue. */
static void test_new_sa_still_queued(void **state)
{
	struct fixture *f = *state;
	struct esp_sa *out = sa_new(f, 1, false);

	assert_int_equal(worker_add_sa(f->w, f->t, sa_new(f, 1, true)), 0);
	peer_sends(f, out);
	assert_true(delivered(f));
	assert_int_equal(unknown_spi(f), 0);
	assert_int_equal(esp_stat_get(&worker_stats(f->w)->inbound_sas), 1);
	esp_sa_free(out);
}

/* After the rekey the old inbound SA is removed, and the peer's packets
 * sent on it before it switched still arrive: they are taken for
 * WORKER_RETIRE_S, then the SA is gone. */
static void test_removed_sa_retires(void **state)
{
	struct fixture *f = *state;
	struct esp_sa *out = sa_new(f, 2, false);

	assert_int_equal(worker_add_sa(f->w, f->t, sa_new(f, 2, true)), 0);
	worker_apply_messages(f->w);
	assert_int_equal(worker_del_sas(f->w, f->t, SPI, 0), 0);
	worker_apply_messages(f->w);
	peer_sends(f, out);
	assert_true(delivered(f));
	assert_int_equal(unknown_spi(f), 0);
	assert_int_equal(esp_stat_get(&worker_stats(f->w)->inbound_sas), 1);

	worker_retire_expired(f->w, UINT64_MAX);
	assert_int_equal(esp_stat_get(&worker_stats(f->w)->inbound_sas), 0);
	peer_sends(f, out);
	assert_false(delivered(f));
	assert_int_equal(unknown_spi(f), 1);
	esp_sa_free(out);
}

/* A new SA that has the SPI of a retiring one replaces it. */
static void test_new_sa_replaces_retiring(void **state)
{
	struct fixture *f = *state;
	struct esp_sa *out = sa_new(f, 4, false);

	assert_int_equal(worker_add_sa(f->w, f->t, sa_new(f, 3, true)), 0);
	assert_int_equal(worker_del_sas(f->w, f->t, SPI, 0), 0);
	assert_int_equal(worker_add_sa(f->w, f->t, sa_new(f, 4, true)), 0);
	worker_apply_messages(f->w);
	assert_int_equal(f->w->n_retiring, 0);
	assert_int_equal(esp_stat_get(&worker_stats(f->w)->inbound_sas), 1);
	peer_sends(f, out);
	assert_true(delivered(f));
	/* and it does not retire with the old one */
	worker_retire_expired(f->w, UINT64_MAX);
	assert_int_equal(esp_stat_get(&worker_stats(f->w)->inbound_sas), 1);
	esp_sa_free(out);
}

/* A tunnel that goes takes its retiring SAs along. */
static void test_tunnel_gone_with_retiring(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(worker_add_sa(f->w, f->t, sa_new(f, 5, true)), 0);
	assert_int_equal(worker_del_sas(f->w, f->t, SPI, 0), 0);
	worker_apply_messages(f->w);
	assert_int_equal(f->w->n_retiring, 1);
	worker_del_tunnel(f->w, f->t);
	assert_int_equal(f->w->n_retiring, 0);
	assert_int_equal(f->w->in_sas.n_used, 0);
}

static uint64_t early_esp(const struct fixture *f)
{
	return esp_stat_get(&worker_stats(f->w)->early_esp);
}

/* We offered SPI in IKE_AUTH or a rekey; the peer answered and sent on
 * it before the control thread read the answer: the packet waits for
 * the SA (the expectation itself still in the queue when it came). */
static void test_early_esp_waits_for_its_sa(void **state)
{
	struct fixture *f = *state;
	struct esp_sa *out = sa_new(f, 6, false);

	assert_int_equal(worker_expect_sa(f->w, f->t, SPI), 0);
	peer_sends(f, out);
	assert_false(delivered(f));
	assert_int_equal(early_esp(f), 1);
	assert_int_equal(unknown_spi(f), 0);

	assert_int_equal(worker_add_sa(f->w, f->t, sa_new(f, 6, true)), 0);
	worker_apply_messages(f->w);
	assert_true(delivered(f));
	assert_int_equal(f->w->n_early, 0);
	assert_int_equal(f->w->early_bytes, 0);
	esp_sa_free(out);
}

/* An SPI nobody offered is dropped at once, not kept for later. */
static void test_unexpected_spi_not_kept(void **state)
{
	struct fixture *f = *state;
	struct esp_sa *out = sa_new(f, 7, false);

	peer_sends(f, out);
	assert_int_equal(unknown_spi(f), 1);
	assert_int_equal(early_esp(f), 0);
	assert_int_equal(worker_add_sa(f->w, f->t, sa_new(f, 7, true)), 0);
	worker_apply_messages(f->w);
	assert_false(delivered(f));
	esp_sa_free(out);
}

/* An offer whose SA never comes (the exchange failed) ends, and what
 * waited is dropped and counted as of an unknown SPI. */
static void test_early_esp_expires(void **state)
{
	struct fixture *f = *state;
	struct esp_sa *out = sa_new(f, 8, false);

	assert_int_equal(worker_expect_sa(f->w, f->t, SPI), 0);
	worker_apply_messages(f->w);
	peer_sends(f, out);
	assert_int_equal(early_esp(f), 1);
	worker_early_expire(f->w, UINT64_MAX);
	assert_int_equal(unknown_spi(f), 1);
	assert_int_equal(f->w->early_bytes, 0);
	assert_int_equal(worker_add_sa(f->w, f->t, sa_new(f, 8, true)), 0);
	worker_apply_messages(f->w);
	assert_false(delivered(f));
	esp_sa_free(out);
}

/* At most WORKER_EARLY_PACKETS wait per SPI; they come out in order. */
static void test_early_esp_bounded(void **state)
{
	struct fixture *f = *state;
	struct esp_sa *out = sa_new(f, 9, false);
	size_t n = 0;

	assert_int_equal(worker_expect_sa(f->w, f->t, SPI), 0);
	for (size_t i = 0; i < WORKER_EARLY_PACKETS + 3; i++)
		peer_sends(f, out);
	assert_int_equal(early_esp(f), WORKER_EARLY_PACKETS);
	assert_int_equal(unknown_spi(f), 3);
	assert_int_equal(worker_add_sa(f->w, f->t, sa_new(f, 9, true)), 0);
	worker_apply_messages(f->w);
	while (delivered(f))
		n++;
	assert_int_equal(n, WORKER_EARLY_PACKETS);
	assert_int_equal(esp_stat_get(&f->in_stats.packets), WORKER_EARLY_PACKETS);
	esp_sa_free(out);
}

/* A tunnel that goes takes its offers and what waited on them along. */
static void test_tunnel_gone_with_early_esp(void **state)
{
	struct fixture *f = *state;
	struct esp_sa *out = sa_new(f, 10, false);

	assert_int_equal(worker_expect_sa(f->w, f->t, SPI), 0);
	peer_sends(f, out);
	assert_int_equal(f->w->n_early, 1);
	worker_del_tunnel(f->w, f->t);
	assert_int_equal(f->w->n_early, 0);
	assert_int_equal(f->w->early_bytes, 0);
	esp_sa_free(out);
}

/* An MLDv2 report fe80::1 -> ff02::16, as the kernel sends into an
 * interface once it has a link-local address. */
static const uint8_t mld_report[] = {
	0x60, 0, 0, 0, 0, 16, 0, 1,
	0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
	0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x16,
	58, 0, 5, 2, 0, 0, 1, 0,
	143, 0, 0, 0, 0, 0, 0, 0,
};

/* The host routes a packet into the tunnel's interface. */
static void host_sends(struct fixture *f, const uint8_t *pkt, size_t len)
{
	assert_int_equal(send(f->tun[1], pkt, len, 0), (ssize_t)len);
	worker_on_tun_readable(f->tun[0], EV_READ, f->t);
}

/* start_action = trap: the link's own upkeep (MLD, neighbour discovery)
 * asks for no SA; a packet of the host's does, once, and its start
 * comes along for the log. */
static void test_trap_ignores_link_upkeep(void **state)
{
	struct fixture *f = *state;
	uint8_t rs[48] = { 0x60, 0, 0, 0, 0, 8, 58, 255 };
	uint8_t echo[48];
	struct worker_ike_packet *a;

	rs[8] = 0xfe;
	rs[9] = 0x80;
	rs[23] = 1;
	rs[24] = 0xff;
	rs[25] = 0x02;
	rs[39] = 2;
	rs[40] = 133;
	memcpy(echo, rs, sizeof(echo));
	echo[24] = 0x20;       /* to 2001:db8::2 */
	echo[25] = 0x01;
	echo[26] = 0x0d;
	echo[27] = 0xb8;
	echo[40] = 128;
	f->t->p.wants_acquire = true;

	host_sends(f, mld_report, sizeof(mld_report));
	host_sends(f, rs, sizeof(rs));
	assert_null(worker_ike_pop(f->w));
	assert_int_equal(esp_stat_get(&f->tunnel_stats.drops[ESP_DROP_NO_SA]), 2);

	host_sends(f, echo, sizeof(echo));
	host_sends(f, echo, sizeof(echo));
	a = worker_ike_pop(f->w);
	assert_non_null(a);
	assert_ptr_equal(a->acquire, f->t);
	assert_int_equal(a->len, sizeof(echo));
	assert_memory_equal(a->data, echo, sizeof(echo));
	free(a);
	assert_null(worker_ike_pop(f->w));     /* once */
	assert_int_equal(f->t->n_trapped, 2);  /* both kept for the SA */
}

/* A TUN with offloads hands over a 3000-byte TCP segment to cut at 1000
 * bytes: three ESP packets leave, each holding one piece, in order. And
 * what comes back is written with a virtio_net_hdr that says the checksum
 * needs no check. */
static void test_offloaded_tcp_segment(void **state)
{
	struct fixture *f = *state;
	uint8_t in[sizeof(struct virtio_net_hdr) + 20 + 20 + 3000] = { 0 };
	struct virtio_net_hdr h = {
		.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM, .gso_type = VIRTIO_NET_HDR_GSO_TCPV4,
		.hdr_len = 40, .gso_size = 1000, .csum_start = 20, .csum_offset = 16,
	};
	uint8_t *ip = in + sizeof(h), buf[BUF];
	struct esp_sa *peer_in = sa_new(f, 11, true), *peer_out = sa_new(f, 12, false);
	struct virtio_net_hdr got_h;
	ssize_t n;

	memcpy(in, &h, sizeof(h));
	ip[0] = 0x45, ip[2] = (3040 >> 8), ip[3] = 3040 & 0xff, ip[8] = 64, ip[9] = 6;
	ip[12] = 10, ip[15] = 1, ip[16] = 10, ip[19] = 2;
	ip[20 + 12] = 5 << 4;
	for (size_t i = 0; i < 3000; i++)
		ip[40 + i] = (uint8_t)(i / 1000 + 1);
	f->t->p.has_vnet_hdr = true;
	assert_int_equal(worker_add_sa(f->w, f->t, sa_new(f, 11, false)), 0);
	assert_int_equal(worker_add_sa(f->w, f->t, sa_new(f, 12, true)), 0);
	worker_apply_messages(f->w);

	host_sends(f, in, sizeof(in));
	for (uint8_t k = 1; k <= 3; k++) {
		struct pollfd pfd = { .fd = f->peer_fd, .events = POLLIN };
		struct pkt p;
		uint8_t nh;

		assert_int_equal(poll(&pfd, 1, 2000), 1);
		n = recv(f->peer_fd, buf, sizeof(buf), 0);
		assert_true(n > 0);
		pkt_init(&p, buf, sizeof(buf), 0);
		assert_true(pkt_set_len(&p, (size_t)n));
		assert_int_equal(esp_decap(peer_in, &p, &nh), ESP_DROP_NONE);
		assert_int_equal(nh, ESP_NH_IPV4);
		assert_int_equal(p.len, 1040);
		assert_int_equal(pkt_data(&p)[40], k);
		assert_int_equal(pkt_data(&p)[1039], k);
	}
	assert_int_equal(esp_stat_get(&f->out_stats.packets), 3);

	peer_sends(f, peer_out);
	n = recv(f->tun[1], buf, sizeof(buf), MSG_DONTWAIT);
	assert_int_equal(n, (ssize_t)(sizeof(got_h) + INNER_LEN));
	memcpy(&got_h, buf, sizeof(got_h));
	assert_int_equal(got_h.flags, VIRTIO_NET_HDR_F_DATA_VALID);
	assert_int_equal(got_h.gso_type, VIRTIO_NET_HDR_GSO_NONE);
	esp_sa_free(peer_in);
	esp_sa_free(peer_out);
}

/* The peer sends three ESP packets as one UDP GSO send; the worker's
 * socket (UDP_GRO) takes them as one buffer of three, and each comes out
 * of the tunnel interface. */
static void test_udp_gro_run(void **state)
{
	struct fixture *f = *state;
	struct esp_sa *out = sa_new(f, 13, false);
	uint8_t bufs[3][BUF], run[3 * BUF], *d;
	struct iovec iov[3];
	struct msghdr mh = { .msg_name = &f->to, .msg_namelen = f->to_len, .msg_iov = iov,
			     .msg_iovlen = 3 };
	union worker_ctl ctl;
	struct pollfd pfd = { .fd = f->esp_fd, .events = POLLIN };
	size_t size = 0;

	(void)run;
	assert_int_equal(worker_add_sa(f->w, f->t, sa_new(f, 13, true)), 0);
	worker_apply_messages(f->w);
	for (int i = 0; i < 3; i++) {
		struct pkt p;

		pkt_init(&p, bufs[i], sizeof(bufs[i]), ESP_MAX_HEADROOM);
		assert_true(pkt_put(&p, INNER_LEN, &d));
		memset(d, 0, INNER_LEN);
		d[0] = 0x45, d[3] = INNER_LEN, d[8] = 64, d[9] = 17, d[19] = (uint8_t)i;
		assert_int_equal(esp_encap(out, &p, ESP_NH_IPV4), ESP_DROP_NONE);
		iov[i] = (struct iovec){ .iov_base = pkt_data(&p), .iov_len = p.len };
		size = p.len;
	}
	sock_set_udp_gso(&mh, ctl.buf, (uint16_t)size);
	assert_int_equal(sendmsg(f->peer_fd, &mh, 0), (ssize_t)(3 * size));
	assert_int_equal(poll(&pfd, 1, 2000), 1);
	worker_on_sock_readable(f->esp_fd, EV_READ, f->s);
	for (int i = 0; i < 3; i++) {
		uint8_t in[BUF];

		assert_int_equal(recv(f->tun[1], in, sizeof(in), MSG_DONTWAIT), INNER_LEN);
		assert_int_equal(in[19], i);
	}
	assert_false(delivered(f));
	assert_int_equal(esp_stat_get(&f->in_stats.packets), 3);
	esp_sa_free(out);
}

/* Before its thread runs, the worker takes more tunnels than its message
 * queue holds (a start with a thousand tunnels): what waits is applied
 * when the queue fills, nothing is refused or lost. */
static void test_many_tunnels_before_start(void **state)
{
	struct fixture *f = *state;
	enum { MANY = 1500 };
	static struct worker_tunnel *many[MANY];
	struct esp_sa_stats stats = { 0 };
	struct worker_tunnel_params p = {
		.tun_fd = f->tun[0], .sock_fd = f->esp_fd, .is_udp = true, .stats = &stats,
	};

	assert_int_equal(addr_parse("127.0.0.1", &p.local), 0);
	p.remote = p.local;
	for (size_t i = 0; i < MANY; i++)
		assert_int_equal(worker_add_tunnel(f->w, &p, &many[i]), 0);
	worker_apply_messages(f->w);
	for (size_t i = 0; i < MANY; i++)
		worker_del_tunnel(f->w, many[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_new_sa_still_queued, setup, teardown),
		cmocka_unit_test_setup_teardown(test_many_tunnels_before_start, setup, teardown),
		cmocka_unit_test_setup_teardown(test_removed_sa_retires, setup, teardown),
		cmocka_unit_test_setup_teardown(test_new_sa_replaces_retiring, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tunnel_gone_with_retiring, setup, teardown),
		cmocka_unit_test_setup_teardown(test_early_esp_waits_for_its_sa, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unexpected_spi_not_kept, setup, teardown),
		cmocka_unit_test_setup_teardown(test_early_esp_expires, setup, teardown),
		cmocka_unit_test_setup_teardown(test_early_esp_bounded, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tunnel_gone_with_early_esp, setup, teardown),
		cmocka_unit_test_setup_teardown(test_trap_ignores_link_upkeep, setup, teardown),
		cmocka_unit_test_setup_teardown(test_offloaded_tcp_segment, setup, teardown),
		cmocka_unit_test_setup_teardown(test_udp_gro_run, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
