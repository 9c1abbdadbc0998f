/* SPDX-License-Identifier: BSD-2-Clause */
#include "net/gro.h"

#include <linux/virtio_net.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "net/gso.h"
#include "net/ip_hdr.h"

#define IPV4_HDR_LEN IPV4_HDR_MIN   /* only option-less IPv4 headers coalesce */
#define IP_MAX_LEN 65535

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
		if (d[9] != PROTO_TCP || (ip_get16(d + 6) & 0xbfff) != 0 ||  /* MF, offset */
		    !(d[6] & 0x40) || ip_get16(d + 2) != p->len)           /* DF; whole */
			return 0;
		ip = IPV4_HDR_LEN;
	} else if (p->len >= IPV6_HDR_LEN && d[0] >> 4 == 6) {
		if (d[6] != PROTO_TCP || ip_get16(d + 4) + (size_t)IPV6_HDR_LEN != p->len)
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
	    payload > it->seg_size || ip_get32(d + ip + 4) != it->next_seq ||
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
		it->next_seq = ip_get32(d + ip + 4) + (uint32_t)payload;
	}
	return true;
}

/* The first packet's headers describe the whole: lengths, PSH, and the
 * checksum left to the kernel (its field holds the pseudo-header's sum). */
static void fix_headers(struct gro_item *it, struct virtio_net_hdr *h)
{
	uint8_t *d = pkt_data(&it->first);
	size_t ip = it->is_v6 ? IPV6_HDR_LEN : IPV4_HDR_LEN, total = it->hdr_len + it->payload;

	if (it->is_v6) {
		ip_put16(d + 4, (uint16_t)(total - IPV6_HDR_LEN));
	} else {
		ip_put16(d + 2, (uint16_t)total);
		gso_ipv4_hdr_csum(d, IPV4_HDR_LEN);
	}
	if (it->has_psh)
		d[ip + 13] |= TCP_PSH;
	ip_put16(d + ip + TCP_CSUM_OFFSET, (uint16_t)~gso_csum_fold(gso_pseudo_sum(d, total - ip)));
	*h = (struct virtio_net_hdr){
		.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM,
		.gso_type = it->is_v6 ? VIRTIO_NET_HDR_GSO_TCPV6 : VIRTIO_NET_HDR_GSO_TCPV4,
		.hdr_len = (uint16_t)it->hdr_len, .gso_size = it->seg_size,
		.csum_start = (uint16_t)ip, .csum_offset = TCP_CSUM_OFFSET,
	};
}

bool gro_write_one(int tun_fd, struct pkt *p)
{
	/* Its checksum needs no check: ESP's integrity check vouched for
	 * every byte (the kernel's WireGuard does the same). */
	struct virtio_net_hdr h = { .flags = VIRTIO_NET_HDR_F_DATA_VALID };
	uint8_t *vh;

	if (!pkt_push(p, sizeof(h), &vh))
		return false;
	memcpy(vh, &h, sizeof(h));
	return write(tun_fd, pkt_data(p), p->len) >= 0;
}

static bool write_item(struct gro *g, struct gro_item *it)
{
	struct virtio_net_hdr h;
	struct iovec iov[GRO_MAX_SEGS + 1];
	int n = 1;
	uint8_t *vh;

	if (it->n_segs == 1)
		return gro_write_one(it->tun_fd, &it->first);
	fix_headers(it, &h);
	if (!pkt_push(&it->first, sizeof(h), &vh))
		return false;
	memcpy(vh, &h, sizeof(h));
	iov[0] = (struct iovec){ .iov_base = vh, .iov_len = it->first.len };
	for (int s = it->head; s >= 0; s = g->segs[s].next)
		iov[n++] = (struct iovec){ .iov_base = g->segs[s].data, .iov_len = g->segs[s].len };
	return writev(it->tun_fd, iov, n) >= 0;
}

size_t gro_flush(struct gro *g)
{
	size_t errors = 0;

	for (size_t i = 0; i < g->n_items; i++)
		errors += !write_item(g, &g->items[i]);
	gro_init(g);
	return errors;
}
