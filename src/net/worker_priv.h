/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef IFS_NET_WORKER_PRIV_H
#define IFS_NET_WORKER_PRIV_H

/* The worker's insides, shared by worker.c (thread, messages), worker_rx.c
 * (ESP in) and worker_tx.c (ESP out). */

#include <event2/event.h>
#include <linux/virtio_net.h>
#include <pthread.h>
#include <semaphore.h>
#include <sys/socket.h>

#include "common/pkt.h"
#include "esp/esp_wire.h"
#include "esp/sa_table.h"
#include "net/gro.h"
#include "net/msgq.h"
#include "net/worker.h"

#define WORKER_BATCH 64
#define WORKER_HEADROOM 64      /* ESP header and IV; outer headers are the kernel's */
#define WORKER_MAX_PACKET 65535
#define WORKER_TAILROOM 64      /* padding, trailer, ICV */
#define WORKER_BUF_BYTES (WORKER_HEADROOM + WORKER_MAX_PACKET + WORKER_TAILROOM)
#define WORKER_IKE_QUEUE 64
#define WORKER_MAX_TUNNELS 4096
#define WORKER_TRAP_PACKETS 16      /* kept per tunnel while an SA is negotiated */
#define WORKER_TRAP_PACKET_MAX 2048
/* One read of a TUN with offloads: its virtio_net_hdr and a packet. */
#define WORKER_TUN_BUF (sizeof(struct virtio_net_hdr) + WORKER_MAX_PACKET)
#define WORKER_ACQUIRE_HEAD 64      /* bytes of the packet an acquire carries */
/* How long an inbound SA outlives its removal (4 to 5 s: the tick's
 * resolution is a second), as strongSwan's delete_rekeyed_delay: after a
 * rekey the peer's packets on the old SA are still on the way (sent by
 * its worker before it switched, waiting in our socket), and a Delete
 * may overtake them. */
#define WORKER_RETIRE_S 5

/* ESP on an inbound SPI we offered, before its SA is here
 * (worker_early.c): kept WORKER_EARLY_S at most after the offer, up to
 * WORKER_EARLY_PACKETS per SPI and WORKER_EARLY_BYTES in all. */
#define WORKER_EARLY_S 30
#define WORKER_EARLY_SPIS 1024
#define WORKER_EARLY_PACKETS 32
#define WORKER_EARLY_BYTES (1024 * 1024)

struct worker_sock {
	int fd;
	int family;
	bool is_udp;
	struct event *ev;
	struct worker *w;
};

struct worker_tunnel {
	struct worker_tunnel_params p;
	struct sockaddr_storage peer;
	socklen_t peer_len;
	struct esp_sa *out_sa;
	bool has_logged_exhausted;
	uint32_t keepalive_s;
	uint64_t last_keepalive_s;
	bool has_sent_acquire;
	uint8_t *trapped;               /* WORKER_TRAP_PACKETS slots, allocated on first use */
	uint16_t trapped_len[WORKER_TRAP_PACKETS];
	size_t n_trapped;
	struct event *ev;
	struct worker *w;
};

/* An inbound SA that was removed and still accepts packets until at_s
 * (CLOCK_MONOTONIC_COARSE seconds). */
struct worker_retiring {
	struct esp_sa *sa;
	uint64_t at_s;
};

struct worker_early_pkt {
	uint8_t *data;
	size_t len;
	struct worker_sock *s;
	struct sockaddr_storage from;
	socklen_t from_len;
};

/* An inbound SPI the control thread offered to the peer, with what came
 * on it so far. */
struct worker_early {
	uint32_t spi;
	const struct worker_tunnel *t;
	uint64_t until_s;
	size_t n;
	struct worker_early_pkt pkts[WORKER_EARLY_PACKETS];
};

/* UDP GSO (send) and GRO (receive): at most this many datagrams and
 * bytes of UDP payload in one. */
#define WORKER_GSO_SEGS 64
#define WORKER_GSO_BYTES 65000

/* Room for a message's control data (UDP_SEGMENT, UDP_GRO). */
union worker_ctl {
	char buf[64];
	struct cmsghdr align;
};

/* One batch of packet buffers with their system call descriptors. */
struct worker_batch {
	struct pkt pkts[WORKER_BATCH];
	struct mmsghdr msgs[WORKER_BATCH];
	struct iovec iovs[WORKER_BATCH];
	union worker_ctl ctl[WORKER_BATCH];
	struct mmsghdr gso_msgs[WORKER_BATCH];   /* tx: runs of one size, one each */
	int gso_first[WORKER_BATCH + 1];         /* tx: a run's first packet */
	struct sockaddr_storage names[WORKER_BATCH];
	size_t inner_lens[WORKER_BATCH];   /* tx: counted once sent */
	uint8_t *mem;
};

struct worker {
	pthread_t thread;
	bool is_running;
	struct event_base *base;
	struct event *msg_ev;
	struct event *tick_ev;           /* once a second: NAT keepalives */
	struct msgq to_worker;
	struct msgq to_control;          /* IKE packets */
	struct sa_table in_sas;
	struct worker_retiring *retiring;  /* SAs of in_sas on their way out */
	size_t n_retiring, cap_retiring;
	struct worker_early *early[WORKER_EARLY_SPIS];
	size_t n_early;
	size_t early_bytes;              /* of all their packets */
	struct worker_tunnel *tunnels[WORKER_MAX_TUNNELS];
	size_t n_tunnels;
	size_t n_tunnels_posted;         /* control thread's count */
	struct worker_sock *socks[WORKER_MAX_TUNNELS];
	size_t n_socks;
	struct worker_batch rx, tx;
	uint8_t *tun_buf;                /* WORKER_TUN_BUF: read_offloaded() */
	struct gro gro;                  /* the receive batch's packets, for the TUNs */
	bool is_udp_gso_off;             /* the kernel refused UDP GSO once */
	struct worker_stats stats;
	sem_t tunnel_gone;               /* posted once a WORKER_MSG_DEL_TUNNEL is done */
};

void worker_on_sock_readable(evutil_socket_t fd, short what, void *arg);
/* Apply the control thread's waiting messages now (they are otherwise
 * applied when the event loop gets to them). */
void worker_apply_messages(struct worker *w);
/* Remove the retiring inbound SAs whose time is up at now_s (seconds of
 * CLOCK_MONOTONIC_COARSE); the once-a-second tick calls it. */
void worker_retire_expired(struct worker *w, uint64_t now_s);
/* Write what the receive batch keeps for the interfaces (w->gro). */
void worker_flush_gro(struct worker *w);
/* Decapsulate one ESP packet (p from the SPI on) that came on s from
 * `from`, and write the inner packet to its tunnel's interface. */
void worker_deliver(struct worker *w, struct worker_sock *s, struct pkt *p,
		    const struct sockaddr_storage *from, socklen_t from_len);
/* The peer may soon send on spi (t's): keep what comes on it until
 * the SA is added or WORKER_EARLY_S after now_s. */
void worker_early_expect(struct worker *w, const struct worker_tunnel *t, uint32_t spi,
			 uint64_t now_s);
/* A packet on an unknown SPI: kept (a copy) if the SPI is expected. */
bool worker_early_hold(struct worker *w, struct worker_sock *s, uint32_t spi,
		       const struct pkt *p, const struct sockaddr_storage *from,
		       socklen_t from_len);
/* The SA of spi is in the SPI table now: deliver what waited for it. */
void worker_early_release(struct worker *w, uint32_t spi);
/* End the expectations whose time is up at now_s; their packets are
 * dropped as of an unknown SPI. */
void worker_early_expire(struct worker *w, uint64_t now_s);
/* End t's expectations (all, for t NULL). */
void worker_early_forget_tunnel(struct worker *w, const struct worker_tunnel *t);
struct worker_sock *worker_watch_sock(struct worker *w, int fd, int family, bool is_udp);
/* Outbound SA installed: send what was kept for it. */
void worker_flush_trapped(struct worker_tunnel *t);
void worker_tunnel_free(struct worker_tunnel *t);
void worker_on_tun_readable(evutil_socket_t fd, short what, void *arg);

#endif
