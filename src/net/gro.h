/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef IFS_NET_GRO_H
#define IFS_NET_GRO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/pkt.h"

/*
 * The receive half of gso.h: decrypted packets of one batch that are
 * consecutive TCP segments of one flow go to a TUN with offloads as one
 * write, a virtio_net_hdr asking the kernel to treat them as one segment
 * of up to 64 KB (as a NIC's GRO would), so that its TCP stack handles
 * one packet where it would have handled forty. Everything else is
 * written as it came, one packet per write. Order within a flow is kept.
 *
 * Packets are added by reference: their buffers (not the struct pkt) must
 * stay untouched until gro_flush(), and each needs GRO_HEADROOM bytes of
 * headroom (the ESP header before it has that).
 */

#define GRO_MAX_PACKETS 64       /* per batch; further ones are written at once */
#define GRO_MAX_SEGS 64          /* per coalesced write */
#define GRO_HEADROOM 10          /* sizeof(struct virtio_net_hdr) */

struct gro_seg {
	uint8_t *data;
	size_t len;
	int next;                    /* index in segs, -1 at the end */
};

struct gro_item {
	int tun_fd;
	struct pkt first;            /* its headers become the coalesced packet's */
	int head, last;              /* in segs: the pieces after the first, -1: none */
	uint16_t n_segs;             /* the first packet included */
	uint16_t seg_size;           /* payload of the first: every piece but the last */
	size_t hdr_len;              /* IP and TCP headers */
	size_t payload;              /* over all pieces */
	uint32_t next_seq;
	bool has_psh;
	bool is_closed;              /* no more pieces: not TCP, or ended */
	bool is_v6;
};

struct gro {
	struct gro_item items[GRO_MAX_PACKETS];
	size_t n_items;
	struct gro_seg segs[GRO_MAX_PACKETS];
	size_t n_segs;
};

void gro_init(struct gro *g);
/* Take the decrypted inner packet p for the TUN tun_fd; false if there
 * is no room this batch (then the caller writes it itself, after
 * gro_flush() to keep the order). */
bool gro_add(struct gro *g, int tun_fd, const struct pkt *p);
/* Write what was added, in order, and start afresh; the number of writes
 * that failed. */
size_t gro_flush(struct gro *g);
/* Write one decrypted packet (GRO_HEADROOM before it) as it is; false if
 * it could not be. */
bool gro_write_one(int tun_fd, struct pkt *p);

#endif
