/* SPDX-License-Identifier: BSD-2-Clause */
#include "net/gro.h"

#include <linux/virtio_net.h>
#include <string.h>
#include <sys/uio.h>

#include "net/gso.h"

#define IPV4_HDR_LEN 20          /* only option-less IPv4 headers coalesce */
#define IPV6_HDR_LEN 40
#define TCP_HDR_MIN 20
#define PROTO_TCP 6
#define TCP_ACK 0x10
#define TCP_PSH 0x08
#define IP_MAX_LEN 65535

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)get16(p) << 16 | get16(p + 2);
}

void gro_init(struct gro *g)
{
	g->n_items = g->n_segs = 0;
}

/* The IP header's length if p is a TCP segment that may coalesce: plain
 * headers (no IPv4 options or fragments, no IPv6 extension headers), ACK
 * with at most PSH besides, some payload. 0 otherwise. */
static size_t coalescable(const struct pkt *p, size_t *tcp_len)
{
	const uint8_t *d = pkt_data(p);
	size_t ip;

	if (p->len >= IPV4_HDR_LEN && d[0] == 0x45) {
		if (d[9] != PROTO_TCP || (get16(d + 6) & 0xbfff) != 0 ||  /* MF, offset */
		    !(d[6] & 0x40) || get16(d + 2) != p->len)           /* DF; whole */
			return 0;
		ip = IPV4_HDR_LEN;
	} else if (p->len >= IPV6_HDR_LEN && d[0] >> 4 == 6) {
		if (d[6] != PROTO_TCP || get16(d + 4) + (size_t)IPV6_HDR_LEN != p->len)
			return 0;
		ip = IPV6_HDR_LEN;
	} else {
		return 0;
	}
	if (p->len < ip + TCP_HDR_MIN)
		return 0;
	*tcp_len = (size_t)(d[ip + 12] >> 4) * 4;
	if (*tcp_len < TCP_HDR_MIN || ip + *tcp_len >= p->len ||
	    (d[ip + 13] & ~TCP_PSH) != TCP_ACK)
		return 0;
	return ip;
}

/* Does segment d (headers of hdr_len) continue item it's flow exactly? */
static bool continues(const struct gro_item *it, const uint8_t *d, size_t hdr_len,
		      size_t payload)
{
	const uint8_t *f = pkt_data(&it->first);
	size_t ip = it->is_v6 ? IPV6_HDR_LEN : IPV4_HDR_LEN;

	if (it->is_closed || hdr_len != it->hdr_len || (d[0] >> 4 == 6) != it->is_v6 ||
	    payload > it->seg_size || get32(d + ip + 4) != it->next_seq ||
	    it->n_segs == GRO_MAX_SEGS || hdr_len + it->payload + payload > IP_MAX_LEN)
		return false;
	if (it->is_v6) {
		/* class, flow label, next header, hop limit, addresses */
		if (memcmp(d, f, 4) != 0 || memcmp(d + 6, f + 6, 34) != 0)
			return false;
	} else if (d[1] != f[1] || memcmp(d + 6, f + 6, 4) != 0 ||   /* TOS; DF, TTL, proto */
		   memcmp(d + 12, f + 12, 8) != 0) {
		return false;
	}
	/* ports, acknowledgement, data offset, window; options */
	return memcmp(d + ip, f + ip, 4) == 0 && memcmp(d + ip + 8, f + ip + 8, 5) == 0 &&
	       memcmp(d + ip + 14, f + ip + 14, 2) == 0 &&
	       memcmp(d + ip + TCP_HDR_MIN, f + ip + TCP_HDR_MIN, hdr_len - ip - TCP_HDR_MIN) == 0;
}

static void append(struct gro *g, struct gro_item *it, uint8_t *data, size_t len)
{
	struct gro_seg *s = &g->segs[g->n_segs];

	*s = (struct gro_seg){ .data = data, .len = len, .next = -1 };
	if (it->last >= 0)
		g->segs[it->last].next = (int)g->n_segs;
	else
		it->head = (int)g->n_segs;
	it->last = (int)g->n_segs++;
}

/* The flow's open item, newest first: a packet of it that does not
 * continue it closes it (a later piece must not overtake this one). */
static struct gro_item *flow_item(struct gro *g, int tun_fd, const uint8_t *d, size_t ip)
{
	for (size_t i = g->n_items; i-- > 0;) {
		struct gro_item *it = &g->items[i];
		const uint8_t *f = pkt_data(&it->first);
		size_t addr = ip == IPV6_HDR_LEN ? 8 : 12, alen = ip == IPV6_HDR_LEN ? 32 : 8;

		if (it->tun_fd != tun_fd || it->hdr_len == 0 || it->is_closed ||
		    (f[0] >> 4) != (d[0] >> 4) || memcmp(f + addr, d + addr, alen) != 0 ||
		    memcmp(f + ip, d + ip, 4) != 0)
			continue;
		return it;
	}
	return NULL;
}

bool gro_add(struct gro *g, int tun_fd, const struct pkt *p)
{
	uint8_t *d = pkt_data(p);
	size_t tcp_len = 0, ip, payload;
	struct gro_item *it;

	/* (each packet takes an item or a segment: together at most
	 * GRO_MAX_PACKETS) */
	if (g->n_items + g->n_segs == GRO_MAX_PACKETS || pkt_headroom(p) < GRO_HEADROOM)
		return false;
	ip = coalescable(p, &tcp_len);
	payload = ip ? p->len - ip - tcp_len : 0;
	it = ip ? flow_item(g, tun_fd, d, ip) : NULL;
	if (it && continues(it, d, ip + tcp_len, payload)) {
		append(g, it, d + ip + tcp_len, payload);
		it->n_segs++;
		it->payload += payload;
		it->next_seq += (uint32_t)payload;
		if (d[ip + 13] & TCP_PSH || payload < it->seg_size)
			it->is_closed = true;
		it->has_psh |= (d[ip + 13] & TCP_PSH) != 0;
		return true;
	}
	if (it)
		it->is_closed = true;
	it = &g->items[g->n_items++];
	*it = (struct gro_item){
		.tun_fd = tun_fd, .first = *p, .head = -1, .last = -1, .n_segs = 1,
		.hdr_len = ip ? ip + tcp_len : 0, .is_closed = !ip || d[ip + 13] & TCP_PSH,
		.is_v6 = ip == IPV6_HDR_LEN,
	};
	if (ip) {
		it->seg_size = (uint16_t)payload;
		it->payload = payload;
		it->next_seq = get32(d + ip + 4) + (uint32_t)payload;
	}
	return true;
}

/* The first packet's headers describe the whole: lengths, PSH, and the
 * checksum left to the kernel (its field holds the pseudo-header's sum). */
static void fix_headers(struct gro_item *it, struct virtio_net_hdr *h)
{
	uint8_t *d = pkt_data(&it->first);
	size_t ip = it->is_v6 ? IPV6_HDR_LEN : IPV4_HDR_LEN, total = it->hdr_len + it->payload;
	uint8_t pseudo[8] = { 0 };
	uint32_t sum;

	if (it->is_v6) {
		put16(d + 4, (uint16_t)(total - IPV6_HDR_LEN));
		sum = gso_csum_add(0, d + 8, 32);
	} else {
		put16(d + 2, (uint16_t)total);
		put16(d + 10, 0);
		put16(d + 10, gso_csum_fold(gso_csum_add(0, d, IPV4_HDR_LEN)));
		sum = gso_csum_add(0, d + 12, 8);
	}
	if (it->has_psh)
		d[ip + 13] |= TCP_PSH;
	pseudo[2] = (uint8_t)((total - ip) >> 8);
	pseudo[3] = (uint8_t)(total - ip);
	pseudo[7] = PROTO_TCP;
	put16(d + ip + 16, (uint16_t)~gso_csum_fold(gso_csum_add(sum, pseudo, sizeof(pseudo))));
	*h = (struct virtio_net_hdr){
		.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM,
		.gso_type = it->is_v6 ? VIRTIO_NET_HDR_GSO_TCPV6 : VIRTIO_NET_HDR_GSO_TCPV4,
		.hdr_len = (uint16_t)it->hdr_len, .gso_size = it->seg_size,
		.csum_start = (uint16_t)ip, .csum_offset = 16,
	};
}

static void write_item(struct gro *g, struct gro_item *it)
{
	/* A single packet's checksum needs no check: ESP's integrity
	 * check vouched for every byte (the kernel's WireGuard does the same). */
	struct virtio_net_hdr h = { .flags = VIRTIO_NET_HDR_F_DATA_VALID };
	struct iovec iov[GRO_MAX_SEGS + 1];
	int n = 1;
	uint8_t *vh;

	if (it->n_segs > 1)
		fix_headers(it, &h);
	if (!pkt_push(&it->first, sizeof(h), &vh)) {
		g->write_errors++;
		return;
	}
	memcpy(vh, &h, sizeof(h));
	iov[0] = (struct iovec){ .iov_base = vh, .iov_len = it->first.len };
	for (int s = it->head; s >= 0; s = g->segs[s].next)
		iov[n++] = (struct iovec){ .iov_base = g->segs[s].data, .iov_len = g->segs[s].len };
	g->writes++;
	if (writev(it->tun_fd, iov, n) < 0)
		g->write_errors++;
}

void gro_flush(struct gro *g)
{
	for (size_t i = 0; i < g->n_items; i++)
		write_item(g, &g->items[i]);
	gro_init(g);
}
