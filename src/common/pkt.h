/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef IFS_COMMON_PKT_H
#define IFS_COMMON_PKT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * A packet in a preallocated buffer, with room before and after it so
 * that headers can be prepended and trailers appended in place (like a
 * kernel skb). All offset arithmetic on packet buffers lives in pkt.c.
 *
 *   buf                off               off+len           cap
 *   |---- headroom ----|====== data ======|---- tailroom ----|
 */
struct pkt {
	uint8_t *buf;
	size_t cap;
	size_t off;
	size_t len;
};

void pkt_init(struct pkt *p, void *buf, size_t cap, size_t headroom);
/* Empty the packet and put its start headroom bytes into the buffer. */
void pkt_reset(struct pkt *p, size_t headroom);

uint8_t *pkt_data(const struct pkt *p);
size_t pkt_headroom(const struct pkt *p);
size_t pkt_tailroom(const struct pkt *p);

/* Grow at the front by n bytes; *hdr points at the new first byte. */
bool pkt_push(struct pkt *p, size_t n, uint8_t **hdr);
/* Grow at the end by n bytes; *tail points at the first new byte. */
bool pkt_put(struct pkt *p, size_t n, uint8_t **tail);
/* Drop n bytes from the front. */
bool pkt_pull(struct pkt *p, size_t n);
/* Set the length after data was written at pkt_data() (at most tailroom + len). */
bool pkt_set_len(struct pkt *p, size_t len);
/* Shorten to len bytes (len <= current length). */
bool pkt_trim(struct pkt *p, size_t len);
/* Make the packet the sub-range [start, start+len) of its current data. */
bool pkt_narrow(struct pkt *p, size_t start, size_t len);

#endif
