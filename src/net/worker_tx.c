/* SPDX-License-Identifier: BSD-2-Clause */
/* ESP out: a batch of inner packets from a tunnel's interface, each
 * encapsulated with the tunnel's outbound SA and sent in one system call. */
#include "net/worker_priv.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/cur.h"
#include "common/log.h"
#include "net/gso.h"
#include "net/sock.h"

#define IPPROTO_ESP_NUM 50
#define IPPROTO_UDP_NUM 17

/* The inner packet's addresses, protocol and (for UDP) ports. */
struct inner_view {
	struct ifs_addr src, dst;
	uint8_t proto;               /* IPv6: after a hop-by-hop options header */
	uint16_t sport, dport;
	uint8_t next_header;
	bool has_icmp_type;
	uint8_t icmp_type;
};

#define IPV6_HOP_BY_HOP 0
#define IPPROTO_ICMPV6_NUM 58

/* An IPv6 hop-by-hop options header (RFC 8200 §4.3): past it, and what
 * follows it. */
static bool skip_hop_by_hop(struct cur *c, uint8_t *next)
{
	uint8_t nh, ext_len;

	if (!cur_u8(c, &nh) || !cur_u8(c, &ext_len) || !cur_skip(c, (size_t)ext_len * 8 + 6))
		return false;
	*next = nh;
	return true;
}

static bool view_inner(const struct pkt *p, struct inner_view *v)
{
	const uint8_t *s, *d;
	uint8_t vihl;
	struct cur c, l4;
	size_t hlen;

	*v = (struct inner_view){ 0 };
	cur_init(&c, pkt_data(p), p->len);
	if (!cur_peek_u8(&c, &vihl))
		return false;
	if (vihl >> 4 == 4) {
		hlen = (size_t)(vihl & 0x0f) * 4;
		v->next_header = ESP_NH_IPV4;
		if (hlen < 20 || !cur_skip(&c, 9) || !cur_u8(&c, &v->proto) ||
		    !cur_skip(&c, 2) || !cur_bytes(&c, 4, &s) || !cur_bytes(&c, 4, &d) ||
		    !cur_skip(&c, hlen - 20))
			return false;
		addr_from_bytes(&v->src, AF_INET, s);
		addr_from_bytes(&v->dst, AF_INET, d);
	} else if (vihl >> 4 == 6) {
		v->next_header = ESP_NH_IPV6;
		if (!cur_skip(&c, 6) || !cur_u8(&c, &v->proto) || !cur_skip(&c, 1) ||
		    !cur_bytes(&c, 16, &s) || !cur_bytes(&c, 16, &d))
			return false;
		addr_from_bytes(&v->src, AF_INET6, s);
		addr_from_bytes(&v->dst, AF_INET6, d);
		/* (MLD reports carry the router alert option) */
		if (v->proto == IPV6_HOP_BY_HOP && !skip_hop_by_hop(&c, &v->proto))
			v->proto = IPV6_HOP_BY_HOP;
	} else {
		return false;
	}
	l4 = c;
	if (v->proto == IPPROTO_UDP_NUM)
		(void)(cur_u16(&l4, &v->sport) && cur_u16(&l4, &v->dport));
	else if (v->proto == IPPROTO_ICMPV6_NUM)
		v->has_icmp_type = cur_u8(&l4, &v->icmp_type);
	return true;
}

/*
 * The IPv6 link's own upkeep, which the kernel sends into any interface
 * with a link-local address: neighbour discovery (RFC 4861: router and
 * neighbour solicitations and advertisements, redirects) and multicast
 * listener discovery (RFC 2710, RFC 3810). Carried when there is an SA,
 * but not a reason to negotiate one (it would start a trap tunnel the
 * moment the interface comes up).
 */
static bool is_link_upkeep(const struct inner_view *v)
{
	if (v->next_header != ESP_NH_IPV6 || v->proto != IPPROTO_ICMPV6_NUM ||
	    !v->has_icmp_type)
		return false;
	return (v->icmp_type >= 130 && v->icmp_type <= 137) || v->icmp_type == 143;
}

/*
 * The run-time half of the recursion guard: an inner packet that is one of
 * our own outer packets (ESP, or ESP-in-UDP from our port, between a
 * tunnel's outer addresses) came back into a tunnel because a route sends
 * the peer's address into it. Encapsulating it again would recurse (the
 * GRE-over-GRE outage of DESIGN.md); it is dropped and counted instead.
 */
static bool is_looped(const struct worker *w, const struct inner_view *v)
{
	/* Most inner packets are neither: skip the walk over the tunnels. */
	if (v->proto != IPPROTO_ESP_NUM && v->proto != IPPROTO_UDP_NUM)
		return false;
	for (size_t i = 0; i < w->n_tunnels; i++) {
		const struct worker_tunnel_params *p = &w->tunnels[i]->p;

		if (!addr_eq(&v->dst, &p->remote) || !addr_eq(&v->src, &p->local))
			continue;
		if (p->is_udp ? v->proto == IPPROTO_UDP_NUM &&
				v->sport == p->local_port && v->dport == p->remote_port
			      : v->proto == IPPROTO_ESP_NUM)
			return true;
	}
	return false;
}

static void note_drop(struct worker_tunnel *t, enum esp_drop d)
{
	if (d == ESP_DROP_EXHAUSTED && !t->has_logged_exhausted) {
		t->has_logged_exhausted = true;
		log_error("SA 0x%08x: sequence numbers exhausted; it sends nothing more "
			  "until it is replaced (RFC 4303 §3.3.3)", t->out_sa->spi);
	}
	if (t->out_sa && (d == ESP_DROP_EXHAUSTED || d == ESP_DROP_CRYPTO ||
			  d == ESP_DROP_TOO_BIG))
		esp_sa_count(t->out_sa, d, 0);
	else
		esp_stat_add(&t->p.stats->drops[d], 1);
}

/* Tell the control thread once that the tunnel wants an SA, with the
 * start of the packet that wants it (for its log). */
static void send_acquire(struct worker_tunnel *t, const struct pkt *p)
{
	struct worker_ike_packet *a;
	struct msgq_item item = { 0 };
	size_t len = p->len < WORKER_ACQUIRE_HEAD ? p->len : WORKER_ACQUIRE_HEAD;

	if (t->has_sent_acquire)
		return;
	a = calloc(1, sizeof(*a) + len);
	if (!a)
		return;
	a->acquire = t;
	a->sock_fd = -1;
	a->len = len;
	memcpy(a->data, pkt_data(p), len);
	item.ptr = a;
	if (msgq_push(&t->w->to_control, &item) != 0) {
		free(a);
		return;
	}
	t->has_sent_acquire = true;
}

/* Keep a packet that waits for the tunnel's SA; false if there is no
 * room (then it is dropped as having no SA). */
static bool trap_packet(struct worker_tunnel *t, const struct pkt *p)
{
	if (p->len > WORKER_TRAP_PACKET_MAX || t->n_trapped == WORKER_TRAP_PACKETS)
		return false;
	if (!t->trapped) {
		t->trapped = malloc((size_t)WORKER_TRAP_PACKETS * WORKER_TRAP_PACKET_MAX);
		if (!t->trapped)
			return false;
	}
	memcpy(t->trapped + t->n_trapped * WORKER_TRAP_PACKET_MAX, pkt_data(p), p->len);
	t->trapped_len[t->n_trapped++] = (uint16_t)p->len;
	return true;
}

/* The sequence numbers the outbound SA took, once a batch: the engine
 * rekeys before they run out (packets not sent took one too). */
static void count_seqs(struct worker_tunnel *t, uint64_t seq_before)
{
	if (t->out_sa)
		esp_sa_count_seqs(t->out_sa, seq_before);
}

void worker_flush_trapped(struct worker_tunnel *t)
{
	struct pkt *p = &t->w->tx.pkts[0];
	uint64_t seq_before = t->out_sa->seq;
	struct inner_view v;

	for (size_t i = 0; i < t->n_trapped; i++) {
		enum esp_drop d;

		pkt_reset(p, WORKER_HEADROOM);
		memcpy(pkt_data(p), t->trapped + i * WORKER_TRAP_PACKET_MAX, t->trapped_len[i]);
		pkt_set_len(p, t->trapped_len[i]);
		d = view_inner(p, &v) ? esp_encap(t->out_sa, p, v.next_header) : ESP_DROP_MALFORMED;
		if (d != ESP_DROP_NONE) {
			note_drop(t, d);
			continue;
		}
		if (sendto(t->p.sock_fd, pkt_data(p), p->len, 0,
			   (const struct sockaddr *)&t->peer, t->peer_len) < 0)
			esp_stat_add(&t->w->stats.send_errors, 1);
		else
			esp_sa_count(t->out_sa, ESP_DROP_NONE, t->trapped_len[i]);
	}
	count_seqs(t, seq_before);
	t->n_trapped = 0;
	free(t->trapped);
	t->trapped = NULL;
}

/* Encapsulate the inner packet in p; false if it is not to be sent
 * now (dropped and counted, or kept for a trap). */
static bool encap_one(struct worker_tunnel *t, struct pkt *p)
{
	struct inner_view v;
	enum esp_drop d;

	if (!view_inner(p, &v))
		d = ESP_DROP_MALFORMED;
	else if (is_looped(t->w, &v))
		d = ESP_DROP_LOOP;
	else if (!t->out_sa) {
		if (t->p.wants_acquire && !is_link_upkeep(&v)) {
			send_acquire(t, p);
			if (trap_packet(t, p))
				return false;
		}
		d = ESP_DROP_NO_SA;
	} else
		d = esp_encap(t->out_sa, p, v.next_header);
	if (d != ESP_DROP_NONE) {
		note_drop(t, d);
		return false;
	}
	return true;
}

/* The SA counts what the kernel took: a packet that could not be sent
 * is a send error, not traffic. */
static void send_batch_plain(struct worker_tunnel *t, struct worker_batch *b, int sent, int n)
{
	int rc;

	while (sent < n) {
		rc = sendmmsg(t->p.sock_fd, b->msgs + sent, (unsigned)(n - sent), 0);
		if (rc <= 0) {
			/* A full socket buffer or a transient routing error:
			 * the rest of this batch is lost, the next one tries
			 * again. */
			esp_stat_add(&t->w->stats.send_errors, (uint64_t)(n - sent));
			return;
		}
		for (int i = sent; i < sent + rc; i++)
			esp_sa_count(t->out_sa, ESP_DROP_NONE, b->inner_lens[i]);
		sent += rc;
	}
}

/* Group the batch into runs of datagrams of one size (the last of a run
 * may be shorter), each one message cut by the kernel (UDP_SEGMENT);
 * the number of messages. */
static int gso_runs(struct worker_tunnel *t, struct worker_batch *b, int n)
{
	int g = 0;

	for (int i = 0; i < n; g++) {
		size_t size = b->iovs[i].iov_len, total = size;
		int j = i + 1;

		while (j < n && j - i < WORKER_GSO_SEGS && b->iovs[j].iov_len <= size &&
		       total + b->iovs[j].iov_len <= WORKER_GSO_BYTES) {
			total += b->iovs[j].iov_len;
			if (b->iovs[j++].iov_len < size)
				break;
		}
		b->gso_msgs[g].msg_hdr = (struct msghdr){
			.msg_name = &t->peer, .msg_namelen = t->peer_len,
			.msg_iov = &b->iovs[i], .msg_iovlen = (size_t)(j - i),
		};
		if (j - i > 1)
			sock_set_udp_gso(&b->gso_msgs[g].msg_hdr, b->ctl[g].buf, (uint16_t)size);
		b->gso_first[g] = i;
		i = j;
	}
	b->gso_first[g] = n;
	return g;
}

/* ESP in UDP: runs of equal datagrams go as one send each (UDP GSO); the
 * kernel carries each as one packet as far as it can (through veth to
 * the peer's socket) and cuts it where it must. */
static void send_batch_gso(struct worker_tunnel *t, struct worker_batch *b, int n)
{
	int g = gso_runs(t, b, n), sent = 0, rc;

	while (sent < g) {
		rc = sendmmsg(t->p.sock_fd, b->gso_msgs + sent, (unsigned)(g - sent), 0);
		if (rc <= 0 && (errno == EIO || errno == EINVAL || errno == ENOPROTOOPT)) {
			/* No UDP GSO here (a device without checksum
			 * offload): one datagram per message from now on. */
			log_warn("worker: the kernel refuses UDP GSO (%s); sending datagrams "
				 "one by one", strerror(errno));
			t->w->is_udp_gso_off = true;
			send_batch_plain(t, b, b->gso_first[sent], n);
			return;
		}
		if (rc <= 0) {
			esp_stat_add(&t->w->stats.send_errors,
				     (uint64_t)(n - b->gso_first[sent]));
			return;
		}
		for (int i = b->gso_first[sent]; i < b->gso_first[sent + rc]; i++)
			esp_sa_count(t->out_sa, ESP_DROP_NONE, b->inner_lens[i]);
		sent += rc;
	}
}

static void send_batch(struct worker_tunnel *t, struct worker_batch *b, int n)
{
	if (t->p.is_udp && !t->w->is_udp_gso_off && n > 1)
		send_batch_gso(t, b, n);
	else
		send_batch_plain(t, b, 0, n);
}

/* Slot n of the batch, encapsulated from an inner packet of inner_len
 * bytes, goes out with the batch; a full batch goes now. */
static void batch_add(struct worker_tunnel *t, struct worker_batch *b, int *n,
		      size_t inner_len)
{
	struct pkt *p = &b->pkts[*n];

	b->iovs[*n] = (struct iovec){ .iov_base = pkt_data(p), .iov_len = p->len };
	b->inner_lens[*n] = inner_len;
	b->msgs[*n].msg_hdr = (struct msghdr){
		.msg_name = &t->peer,
		.msg_namelen = t->peer_len,
		.msg_iov = &b->iovs[*n],
		.msg_iovlen = 1,
	};
	if (++*n == WORKER_BATCH) {
		send_batch(t, b, *n);
		*n = 0;
	}
}

/* One read of a plain TUN: one inner packet, read into its slot. */
static bool read_plain(struct worker_tunnel *t, struct worker_batch *b, int *n)
{
	struct pkt *p = &b->pkts[*n];
	ssize_t got;

	pkt_reset(p, WORKER_HEADROOM);
	got = read(t->p.tun_fd, pkt_data(p), WORKER_MAX_PACKET);
	if (got <= 0)
		return false;
	pkt_set_len(p, (size_t)got);
	if (encap_one(t, p))
		batch_add(t, b, n, (size_t)got);
	return true;
}

/* One read of a TUN with offloads: a virtio_net_hdr and an inner packet,
 * read into its slot; a TCP segment of up to 64 KB is cut into as many
 * slots as it takes (from a copy: the pieces overwrite the slot). */
static bool read_offloaded(struct worker_tunnel *t, struct worker_batch *b, int *n)
{
	struct pkt *p = &b->pkts[*n];
	struct virtio_net_hdr h;
	struct gso_iter it;
	ssize_t got;
	size_t len;

	pkt_reset(p, WORKER_HEADROOM);
	got = read(t->p.tun_fd, pkt_data(p), WORKER_TUN_BUF);
	if (got <= 0)
		return false;
	if ((size_t)got < GSO_VNET_HDR_LEN) {
		note_drop(t, ESP_DROP_MALFORMED);
		return true;
	}
	memcpy(&h, pkt_data(p), sizeof(h));
	len = (size_t)got - GSO_VNET_HDR_LEN;
	if (h.gso_type == VIRTIO_NET_HDR_GSO_NONE) {
		pkt_set_len(p, (size_t)got);
		pkt_pull(p, GSO_VNET_HDR_LEN);
		if (!gso_finish_one(&h, pkt_data(p), len))
			note_drop(t, ESP_DROP_MALFORMED);
		else if (encap_one(t, p))
			batch_add(t, b, n, len);
		return true;
	}
	memcpy(t->w->tun_buf, pkt_data(p) + GSO_VNET_HDR_LEN, len);
	if (!gso_iter_init(&it, &h, t->w->tun_buf, len)) {
		note_drop(t, ESP_DROP_MALFORMED);
		return true;
	}
	for (;;) {
		size_t inner_len;

		p = &b->pkts[*n];
		pkt_reset(p, WORKER_HEADROOM);
		if (!gso_iter_next(&it, p))
			break;
		inner_len = p->len;
		if (encap_one(t, p))
			batch_add(t, b, n, inner_len);
	}
	return true;
}

void worker_on_tun_readable(evutil_socket_t fd, short what, void *arg)
{
	struct worker_tunnel *t = arg;
	struct worker_batch *b = &t->w->tx;
	uint64_t seq_before = t->out_sa ? t->out_sa->seq : 0;
	int n = 0;

	for (size_t i = 0; i < WORKER_BATCH; i++)
		if (!(t->p.has_vnet_hdr ? read_offloaded(t, b, &n) : read_plain(t, b, &n)))
			break;
	if (n > 0)
		send_batch(t, b, n);
	count_seqs(t, seq_before);
}
