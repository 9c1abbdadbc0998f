/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef IFS_NET_GSO_H
#define IFS_NET_GSO_H

#include <linux/virtio_net.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/pkt.h"

/*
 * What a TUN device with IFF_VNET_HDR and offloads (TSO, checksum) hands
 * over: a virtio_net_hdr, then one IP packet that may be a TCP segment of
 * up to 64 KB to be cut into gso_size pieces, or a packet whose transport
 * checksum is left to us. The iterator below turns it into the packets
 * that go on the wire, one at a time, each into a buffer of the caller's
 * (the worker's batch slots), headers fixed up as the kernel's own
 * segmentation would: IP lengths, IPv4 ID and checksum, TCP sequence
 * number, FIN/PSH on the last piece only, CWR on the first only, and the
 * TCP checksum.
 */

#define GSO_VNET_HDR_LEN sizeof(struct virtio_net_hdr)

/* A packet that is one on the wire too: complete its transport checksum
 * in place if the header asks for it; false if the header's offsets do
 * not fit the packet (then it is dropped as malformed). */
bool gso_finish_one(const struct virtio_net_hdr *h, uint8_t *pkt, size_t len);

/* A segment to cut (h->gso_type is not VIRTIO_NET_HDR_GSO_NONE): */
struct gso_iter {
	const uint8_t *pkt;
	size_t len;
	size_t hdr_len;              /* IP and TCP headers, copied to each piece */
	size_t seg_size;             /* payload bytes per piece (the last may be less) */
	size_t off;                  /* payload offset of the next piece */
	uint16_t index;
	bool is_done;
};

/* Take the header and segment (pkt stays the caller's until done);
 * false for what cannot be cut (then it is dropped as malformed). */
bool gso_iter_init(struct gso_iter *it, const struct virtio_net_hdr *h, const uint8_t *pkt,
		   size_t len);
/* Write the next wire packet into out (reset by the caller, with room
 * for the IP packet); false when there is none left or out is too small. */
bool gso_iter_next(struct gso_iter *it, struct pkt *out);

/* The Internet checksum (RFC 1071) of d, added to sum, not folded. */
uint32_t gso_csum_add(uint32_t sum, const uint8_t *d, size_t len);
/* Folded and complemented, as it goes into a header. */
uint16_t gso_csum_fold(uint32_t sum);
/* The sum of the TCP pseudo-header (RFC 9293 §3.1, RFC 8200 §8.1) of the
 * IPv4 or IPv6 packet at ip with tcp_len bytes of TCP, not folded. */
uint32_t gso_pseudo_sum(const uint8_t *ip, size_t tcp_len);
/* Set the checksum of the IPv4 header at ip (ihl bytes). */
void gso_ipv4_hdr_csum(uint8_t *ip, size_t ihl);

#endif
