/* SPDX-License-Identifier: BSD-2-Clause */
/* ESP in: a batch of datagrams from a socket, each classified,
 * decapsulated with its SA and written to its tunnel's interface. */
#include "net/worker_priv.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/cur.h"
#include "net/gro.h"
#include "net/sock.h"

static void count(atomic_uint_fast64_t *c)
{
	esp_stat_add(c, 1);
}

/* RFC 3948 §2.2: the non-ESP marker; the IKE message follows it. The
 * copy is not on the ESP path, and the queue to control is bounded. */
static void hand_over_ike(struct worker *w, struct worker_sock *s,
			  const struct mmsghdr *m, const struct pkt *p)
{
	struct worker_ike_packet *ike;
	struct msgq_item item = { 0 };
	size_t len = p->len - ESP_UDP_NON_ESP_MARKER_LEN;

	ike = malloc(sizeof(*ike) + len);
	if (!ike) {
		count(&w->stats.ike_queue_full);
		return;
	}
	ike->acquire = NULL;
	ike->moved = NULL;
	ike->sock_fd = s->fd;
	memcpy(&ike->from, m->msg_hdr.msg_name, m->msg_hdr.msg_namelen);
	ike->from_len = m->msg_hdr.msg_namelen;
	ike->len = len;
	memcpy(ike->data, pkt_data(p) + ESP_UDP_NON_ESP_MARKER_LEN, len);
	item.ptr = ike;
	if (msgq_push(&w->to_control, &item) != 0) {
		free(ike);
		count(&w->stats.ike_queue_full);
		return;
	}
	count(&w->stats.ike_handed_over);
}

/* What a datagram on this socket is: ESP (p then holds it from the SPI
 * on), or something handled or dropped here. */
static bool classify(struct worker *w, struct worker_sock *s,
		     const struct mmsghdr *m, struct pkt *p)
{
	uint32_t marker;
	size_t off;
	struct cur c;

	if (!s->is_udp) {
		if (!sock_esp_payload_offset(s->family, pkt_data(p), p->len, &off) ||
		    !pkt_pull(p, off)) {
			count(&w->stats.malformed);
			return false;
		}
	} else if (p->len == 1 && pkt_data(p)[0] == ESP_UDP_KEEPALIVE_BYTE) {
		count(&w->stats.keepalives);
		return false;
	}
	cur_init(&c, pkt_data(p), p->len);
	if (!cur_peek_u32(&c, &marker)) {
		count(&w->stats.malformed);
		return false;
	}
	if (s->is_udp && marker == 0) {
		hand_over_ike(w, s, m, p);
		return false;
	}
	return true;
}

/* Has the peer's address or port changed (its NAT mapping did)? */
static bool is_new_source(const struct worker_tunnel *t, const struct sockaddr_storage *from,
			  socklen_t from_len)
{
	struct ifs_addr a;
	uint16_t port;

	return addr_from_sockaddr((const struct sockaddr *)from, from_len, &a, &port) == 0 &&
	       (port != t->p.remote_port || !addr_eq(&a, &t->p.remote));
}

/*
 * Authenticated ESP in UDP from another address or port: the peer's NAT
 * mapping changed. Send there from now on, and tell the control thread
 * so that IKE follows too. Only a packet that passed the ICV and the
 * replay check moves the tunnel: a replayed or forged one cannot.
 */
static void follow_peer(struct worker *w, struct worker_tunnel *t,
			const struct sockaddr_storage *from, socklen_t from_len)
{
	struct worker_ike_packet *m;
	struct msgq_item item = { 0 };

	if (addr_from_sockaddr((const struct sockaddr *)from, from_len, &t->p.remote,
			       &t->p.remote_port) != 0)
		return;
	addr_to_sockaddr(&t->p.remote, t->p.remote_port, &t->peer, &t->peer_len);
	m = calloc(1, sizeof(*m));
	if (!m)
		return;
	m->moved = t;
	m->sock_fd = -1;
	memcpy(&m->from, from, from_len);
	m->from_len = from_len;
	item.ptr = m;
	if (msgq_push(&w->to_control, &item) != 0)
		free(m);
}

/* Write one decrypted packet to its tunnel's interface (a TUN with
 * offloads takes a virtio_net_hdr first, gro.h). */
static void write_tun(struct worker *w, struct worker_tunnel *t, struct pkt *p)
{
	bool is_written = t->p.has_vnet_hdr ? gro_write_one(t->p.tun_fd, p)
					    : write(t->p.tun_fd, pkt_data(p), p->len) >= 0;

	if (!is_written)
		count(&w->stats.tun_write_errors);
}

/* Check and decrypt one ESP packet (p from the SPI on) that came on s
 * from `from`: its tunnel, with p the inner packet; NULL if dropped or
 * held for an SA to come. */
static struct worker_tunnel *decap(struct worker *w, struct worker_sock *s, struct pkt *p,
				   const struct sockaddr_storage *from, socklen_t from_len)
{
	uint32_t spi = esp_peek_spi(p);
	struct esp_sa *sa = sa_table_find(&w->in_sas, spi);
	struct worker_tunnel *t;
	enum esp_drop d;
	uint8_t nh;

	/* The control thread queues a new inbound SA before it lets the
	 * peer use it (before it answers the CREATE_CHILD_SA, or sends the
	 * Delete that moves the peer's traffic), so a packet on it may find
	 * the SA only waiting in the queue: apply the queue and look again. */
	if (!sa && !msgq_is_empty(&w->to_worker)) {
		worker_apply_messages(w);
		sa = sa_table_find(&w->in_sas, spi);
	}
	if (!sa) {
		if (!worker_early_hold(w, s, spi, p, from, from_len))
			count(&w->stats.unknown_spi);
		return NULL;
	}
	t = sa->owner;
	d = esp_decap(sa, p, &nh);
	if (d == ESP_DROP_NONE && nh == ESP_NH_NONE) {
		count(&sa->stats->dummies);    /* §2.6: discarded silently */
		return NULL;
	}
	if (d == ESP_DROP_NONE)
		d = esp_tunnel_inner_check(p, nh);
	esp_sa_count(sa, d, p->len);
	if (d != ESP_DROP_NONE)
		return NULL;
	if (s->is_udp && t->p.is_udp && is_new_source(t, from, from_len))
		follow_peer(w, t, from, from_len);
	return t;
}

void worker_deliver(struct worker *w, struct worker_sock *s, struct pkt *p,
		    const struct sockaddr_storage *from, socklen_t from_len)
{
	struct worker_tunnel *t = decap(w, s, p, from, from_len);

	if (t)
		write_tun(w, t, p);
}

/* Packets of the batch wait in w->gro, so that segments of one TCP flow
 * go to the interface as one write (gro.h). */
static void deliver_batched(struct worker *w, struct worker_sock *s, struct pkt *p,
			    const struct sockaddr_storage *from, socklen_t from_len)
{
	struct worker_tunnel *t = decap(w, s, p, from, from_len);

	if (!t)
		return;
	if (t->p.has_vnet_hdr) {
		if (gro_add(&w->gro, t->p.tun_fd, p))
			return;
		worker_flush_gro(w);     /* full: what waits goes first */
		if (gro_add(&w->gro, t->p.tun_fd, p))
			return;
	}
	write_tun(w, t, p);
}

void worker_flush_gro(struct worker *w)
{
	size_t errors = gro_flush(&w->gro);

	if (errors)
		esp_stat_add(&w->stats.tun_write_errors, errors);
}

/* One received datagram, or one of a coalesced run (UDP GRO). */
static void take_datagram(struct worker *w, struct worker_sock *s, const struct mmsghdr *m,
			  struct pkt *p)
{
	if (classify(w, s, m, p))
		deliver_batched(w, s, p, m->msg_hdr.msg_name, m->msg_hdr.msg_namelen);
}

/* A buffer of datagrams of `size` bytes (the last may be shorter), as
 * UDP GRO coalesced them: each on its own, in place. */
static void take_run(struct worker *w, struct worker_sock *s, const struct mmsghdr *m,
		     const struct pkt *p, size_t size)
{
	for (size_t off = 0; off < p->len; off += size) {
		struct pkt one = *p;

		if (!pkt_narrow(&one, off, p->len - off < size ? p->len - off : size))
			return;
		take_datagram(w, s, m, &one);
	}
}

void worker_on_sock_readable(evutil_socket_t fd, short what, void *arg)
{
	struct worker_sock *s = arg;
	struct worker *w = s->w;
	struct worker_batch *b = &w->rx;
	int n;

	for (size_t i = 0; i < WORKER_BATCH; i++) {
		pkt_reset(&b->pkts[i], WORKER_HEADROOM);
		b->iovs[i].iov_base = pkt_data(&b->pkts[i]);
		b->iovs[i].iov_len = WORKER_MAX_PACKET;
		b->msgs[i].msg_hdr = (struct msghdr){
			.msg_name = &b->names[i],
			.msg_namelen = sizeof(b->names[i]),
			.msg_iov = &b->iovs[i],
			.msg_iovlen = 1,
			.msg_control = s->is_udp ? b->ctl[i].buf : NULL,
			.msg_controllen = s->is_udp ? sizeof(b->ctl[i].buf) : 0,
		};
	}
	n = recvmmsg(s->fd, b->msgs, WORKER_BATCH, MSG_DONTWAIT, NULL);
	for (int i = 0; i < n; i++) {
		struct pkt *p = &b->pkts[i];
		size_t run;

		if (b->msgs[i].msg_hdr.msg_flags & MSG_TRUNC ||
		    !pkt_set_len(p, b->msgs[i].msg_len)) {
			count(&w->stats.malformed);
			continue;
		}
		run = s->is_udp ? sock_udp_gro_size(&b->msgs[i].msg_hdr) : 0;
		if (run && run < p->len)
			take_run(w, s, &b->msgs[i], p, run);
		else
			take_datagram(w, s, &b->msgs[i], p);
	}
	worker_flush_gro(w);
}
