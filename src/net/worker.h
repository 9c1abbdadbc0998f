/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef IFS_NET_WORKER_H
#define IFS_NET_WORKER_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include "common/addr.h"
#include "common/err.h"
#include "esp/sa.h"

/*
 * A data-plane worker: a thread with its own event loop that owns the
 * packet path of its tunnels: it reads inner packets from their TUN
 * devices and sends them as ESP, and reads ESP from the sockets and writes
 * the inner packets to the TUN devices. It keeps its own SPI table and
 * takes no lock per packet; the control thread changes what it does only
 * through messages (worker_add_tunnel, worker_add_sa), which the worker
 * applies between batches.
 *
 * Sockets and TUN descriptors stay owned by the caller, who closes them
 * after worker_free().
 */

struct worker;
struct worker_tunnel;

/* Counters that belong to no SA: written by the worker, read by anyone. */
struct worker_stats {
	atomic_uint_fast64_t unknown_spi;
	atomic_uint_fast64_t malformed;        /* too short for an SPI, bad raw header */
	atomic_uint_fast64_t keepalives;       /* RFC 3948 §2.3 NAT keepalives */
	atomic_uint_fast64_t keepalives_sent;
	atomic_uint_fast64_t early_esp;        /* held until its SA came (worker_expect_sa) */
	atomic_uint_fast64_t ike_handed_over;  /* UDP with the non-ESP marker */
	atomic_uint_fast64_t ike_queue_full;
	atomic_uint_fast64_t send_errors;
	atomic_uint_fast64_t tun_write_errors;
	atomic_uint_fast64_t inbound_sas;      /* now in the SPI table, retiring ones too */
};

struct worker_tunnel_params {
	int tun_fd;
	int sock_fd;             /* UDP or raw ESP, bound to local */
	bool is_udp;
	struct ifs_addr local;
	struct ifs_addr remote;
	uint16_t local_port;     /* UDP only */
	uint16_t remote_port;
	/* The tunnel's own drops (loop, no SA, too big); may be shared
	 * with the caller's listing. */
	struct esp_sa_stats *stats;
	/* Without an outbound SA, tell the control thread once (an
	 * "acquire", see worker_ike_pop) and keep the first packets until
	 * an SA comes (start_action = trap). */
	bool wants_acquire;
	/* The TUN descriptor has IFF_VNET_HDR (tun_create()): reads start
	 * with a virtio_net_hdr and may be TCP segments to cut, writes get one. */
	bool has_vnet_hdr;
};

int worker_new(struct worker **out) IFS_MUST_CHECK;
int worker_start(struct worker *w) IFS_MUST_CHECK;
/* Stops the thread (if started), then frees tunnels, SAs and buffers. */
void worker_free(struct worker *w);
const struct worker_stats *worker_stats(const struct worker *w);

/* Give the worker a tunnel; the handle names it in worker_add_sa(). */
int worker_add_tunnel(struct worker *w, const struct worker_tunnel_params *p,
		      struct worker_tunnel **out) IFS_MUST_CHECK;
/* Take a tunnel away with its SAs; returns once the worker no longer
 * touches it, so that the caller may close its TUN descriptor. */
void worker_del_tunnel(struct worker *w, struct worker_tunnel *t);
/* Hand over an SA for the tunnel (consumed, also on error). An inbound SA
 * joins the SPI table; an outbound one becomes the tunnel's (and packets
 * kept for it are sent). */
int worker_add_sa(struct worker *w, struct worker_tunnel *t, struct esp_sa *sa) IFS_MUST_CHECK;
/* Remove the tunnel's inbound SA with spi_in, and its outbound SA if
 * that is spi_out (another may have replaced it). */
int worker_del_sas(struct worker *w, struct worker_tunnel *t, uint32_t spi_in,
		   uint32_t spi_out) IFS_MUST_CHECK;
/* We offered spi_in to the peer for the tunnel: ESP on it that comes
 * before worker_add_sa() hands its SA over waits for it (bounded). */
int worker_expect_sa(struct worker *w, struct worker_tunnel *t, uint32_t spi_in) IFS_MUST_CHECK;
/* Read ESP from this socket too (one a tunnel may switch to later). */
int worker_add_socket(struct worker *w, int fd, int family, bool is_udp) IFS_MUST_CHECK;
/* Where the tunnel's ESP goes from now on (a negotiated SA's path). */
struct worker_peer {
	int sock_fd;
	bool is_udp;
	struct ifs_addr local;
	struct ifs_addr remote;
	uint16_t local_port;
	uint16_t remote_port;
	/* ESP in UDP from behind a NAT: a one-byte keepalive (RFC 3948
	 * §2.3) after this many seconds without an outbound packet; 0: none. */
	uint32_t keepalive_s;
};
int worker_set_peer(struct worker *w, struct worker_tunnel *t,
		    const struct worker_peer *peer) IFS_MUST_CHECK;

/*
 * IKE datagrams that arrived on an ESP-in-UDP socket with the non-ESP
 * marker (RFC 3948 §2.2), for the control thread: the descriptor becomes
 * readable when some wait; each is returned without the marker.
 */
struct worker_ike_packet {
	struct worker_tunnel *acquire;   /* not NULL: this tunnel wants an SA; data: the
					  * start of the packet that wants it */
	struct worker_tunnel *moved;     /* not NULL: its peer now sends from `from` (no data) */
	int sock_fd;
	struct sockaddr_storage from;
	socklen_t from_len;
	size_t len;
	uint8_t data[];
};
int worker_ike_fd(const struct worker *w);
/* The caller frees the packet with free(). NULL when none is waiting. */
struct worker_ike_packet *worker_ike_pop(struct worker *w);

#endif
