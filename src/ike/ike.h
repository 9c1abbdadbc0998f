/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef IFS_IKE_IKE_H
#define IFS_IKE_IKE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "common/addr.h"
#include "common/err.h"
#include "common/secret.h"
#include "config/conf.h"
#include "crypto/crypto.h"
#include "ike/keylog.h"
#include "ike/proposal.h"

/*
 * The IKEv2 engine: the IKE SAs of all connections, driven by what the
 * daemon tells it (datagrams, time, requests to initiate) and acting
 * through callbacks (send a datagram, install or remove a Child SA). It
 * does no I/O and keeps no clock of its own, so that tests can run two
 * engines against each other in one process.
 */

/* Where an IKE message travels. Port 4500 (or any port but 500) means
 * the non-ESP marker is added and removed by the daemon. */
struct ike_path {
	struct ifs_addr local;
	struct ifs_addr remote;
	uint16_t local_port;         /* host order */
	uint16_t remote_port;
};

/* A negotiated Child SA for the data plane. */
struct ike_child_info {
	void *user;                  /* the connection's user pointer */
	enum crypto_alg alg;
	bool is_esn;
	uint32_t spi_in;             /* host order */
	uint32_t spi_out;
	const struct secret *key_in; /* crypto_xform_new() layout */
	const struct secret *key_out;
	struct ike_path path;        /* the IKE SA's path (ESP uses its addresses) */
	bool is_udp_encap;           /* ESP in UDP on the path's ports */
	uint32_t replay_window;
};

struct ike_ops {
	void (*send)(void *ctx, const struct ike_path *p, const uint8_t *msg, size_t len);
	/* Install both directions; an error makes the engine delete the SA. */
	int (*child_up)(void *ctx, const struct ike_child_info *ci);
	/* Remove the Child SA with these SPIs. The tunnel may carry another
	 * Child SA (two IKE SAs crossed); its outbound SA stays if it is
	 * not spi_out. */
	void (*child_down)(void *ctx, void *user, uint32_t spi_in, uint32_t spi_out);
	uint64_t (*now_ms)(void *ctx);   /* a monotonic clock */
	/* Optional: a connection's IKE SA came up (is_up) or went away or
	 * failed (!is_up), for commands waiting on it. */
	void (*sa_event)(void *ctx, void *user, bool is_up);
};

/* Daemon-wide limits and timers; strongSwan's names and defaults. */
struct ike_settings {
	uint32_t retransmit_timeout_ms;  /* 4000 */
	double retransmit_base;          /* 1.8 */
	uint32_t retransmit_tries;       /* 5 */
	uint32_t half_open_timeout_ms;   /* 30000 */
	uint32_t cookie_threshold;       /* 30: half-open SAs before cookies */
	uint32_t cookie_threshold_ip;    /* 3: half-open SAs from one address (IPv6: /64) */
	uint32_t block_threshold;        /* 5: half-open SAs per address, then drop */
	uint32_t init_limit_half_open;   /* 1000: half-open SAs, then drop (0: no limit) */
	uint32_t retry_initiate_ms;      /* 5000: a failed start_action=start connection retries after this */
};
void ike_settings_default(struct ike_settings *s);

struct ike_stats {
	uint64_t rx;
	uint64_t rx_dropped;             /* any reason below or a malformed header */
	uint64_t rx_bad_syntax;
	uint64_t rx_integrity;
	uint64_t rx_unknown_spi;
	uint64_t rx_retransmits;         /* answered from the cache */
	uint64_t rx_blocked;             /* dropped by the half-open limits */
	uint64_t cookies_sent;
	uint64_t half_open;              /* now */
	uint64_t established;            /* now */
	uint64_t tx;
	uint64_t tx_retransmits;
};

struct ike_engine;

int ike_engine_new(struct ike_engine **out, const struct ike_ops *ops, void *ctx,
		   const struct ike_settings *s, const struct conf *c,
		   struct keylog *kl) IFS_MUST_CHECK;
void ike_engine_free(struct ike_engine *e);

/* A connection of the configuration (t->ike set), with the daemon's
 * pointer for it; t and the conf stay valid as long as the engine. */
int ike_engine_add_conn(struct ike_engine *e, const struct conf_tunnel *t, void *user) IFS_MUST_CHECK;
/* Bring a connection's SAs up (start_action = start, trap, a command).
 * Nothing happens when an IKE SA for it is already up or on its way. */
int ike_engine_initiate(struct ike_engine *e, void *user) IFS_MUST_CHECK;
/* Delete the connection's IKE SA (and with it the Child SA) and stop
 * retrying it. IFS_ERR_NOT_FOUND when it has no SA. */
int ike_engine_terminate(struct ike_engine *e, void *user) IFS_MUST_CHECK;
/* Start every connection with start_action = start. */
void ike_engine_start_all(struct ike_engine *e);

/* One datagram (without non-ESP marker) that arrived on path. The
 * buffer is the engine's to modify (in-place decryption). */
void ike_engine_input(struct ike_engine *e, const struct ike_path *p, uint8_t *msg, size_t len);

/* When the engine next needs ike_engine_run_timers (monotonic ms), or
 * UINT64_MAX. */
uint64_t ike_engine_next_timer(const struct ike_engine *e);
void ike_engine_run_timers(struct ike_engine *e);

/* Send a Delete for every established IKE SA (best effort, no wait) and
 * remove all Child SAs. */
void ike_engine_shutdown(struct ike_engine *e);

const struct ike_stats *ike_engine_stats(const struct ike_engine *e);

/* For listings and tests: the state of a connection's IKE SA. */
enum ike_sa_state {
	IKE_SA_NONE,                 /* no SA */
	IKE_SA_INIT_SENT,            /* initiator: IKE_SA_INIT sent */
	IKE_SA_HALF_OPEN,            /* responder: IKE_SA_INIT answered */
	IKE_SA_AUTH_SENT,            /* initiator: IKE_AUTH sent */
	IKE_SA_ESTABLISHED,
	IKE_SA_DELETING,
};
const char *ike_sa_state_name(enum ike_sa_state s);

struct ike_conn_status {
	enum ike_sa_state state;
	uint64_t established_ms;     /* ops->now_ms() when it came up, 0: not yet */
	char local_id[128];
	struct ike_chosen ike;       /* the IKE SA's transforms */
	struct ike_chosen esp;       /* the Child SA's */
	size_t n_ts_local;
	size_t n_ts_remote;
	char ts_local[4][64];        /* the first few selectors, as ts_str() */
	char ts_remote[4][64];
	bool is_initiator;
	uint64_t spi_i;
	uint64_t spi_r;
	struct ike_path path;
	bool is_nat_local;           /* we are behind a NAT */
	bool is_nat_remote;
	char ike_proposal[128];
	char peer_id[128];
	bool has_child;
	uint32_t child_spi_in;
	uint32_t child_spi_out;
	char esp_proposal[128];
};
int ike_engine_status(const struct ike_engine *e, void *user,
		      struct ike_conn_status *out) IFS_MUST_CHECK;

#endif
