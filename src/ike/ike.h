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

/* A negotiated Child SA for the data plane. A rekey's responder installs
 * the inbound SA first and the outbound one when the SA it replaces is
 * deleted (no packet is sent on an SA the peer cannot read yet). */
enum ike_child_dir {
	IKE_CHILD_BOTH,
	IKE_CHILD_IN,                /* key_out unused */
	IKE_CHILD_OUT,               /* key_in unused; the inbound SA is in already */
};

struct ike_child_info {
	void *user;                  /* the connection's user pointer */
	enum ike_child_dir dir;
	enum crypto_alg alg;
	bool is_esn;
	uint32_t spi_in;             /* host order */
	uint32_t spi_out;
	const struct secret *key_in; /* crypto_xform_new() layout */
	const struct secret *key_out;
	struct ike_path path;        /* the IKE SA's path (ESP uses its addresses) */
	bool is_udp_encap;           /* ESP in UDP on the path's ports */
	bool is_nat_local;           /* we are behind a NAT: keep its mapping alive */
	uint32_t replay_window;
};

/* What the data plane counted for a connection's ESP, over all its
 * Child SAs since the connection was loaded; the counters only grow, and
 * the engine takes differences from when a Child SA's direction went in
 * (lifetime.c). Bytes are inner bytes. */
struct ike_esp_usage {
	uint64_t bytes_in;
	uint64_t packets_in;
	uint64_t bytes_out;
	uint64_t packets_out;
	uint64_t seq_out;            /* sequence numbers the outbound SAs used, sent or not */
};

/* A key exchange the engine needs computed (a key pair, the shared
 * secret with the peer's value, or both): ike_job_run() does it and
 * touches nothing but the job, so it may run on another thread. */
struct ike_job;

struct ike_ops {
	void (*send)(void *ctx, const struct ike_path *p, const uint8_t *msg, size_t len);
	/* Install the directions ci->dir names; an outbound SA replaces the
	 * tunnel's. An error makes the engine give the SA up. */
	int (*child_up)(void *ctx, const struct ike_child_info *ci);
	/* Remove the Child SA with these SPIs. The tunnel may carry another
	 * Child SA (two IKE SAs crossed); its outbound SA stays if it is
	 * not spi_out. */
	void (*child_down)(void *ctx, void *user, uint32_t spi_in, uint32_t spi_out);
	/* Optional: a request offering spi_in as our inbound SPI is about
	 * to go out (IKE_AUTH, a Child SA rekey). The peer may send on it as
	 * soon as it answers, before we have read the answer and called
	 * child_up; the data plane keeps such packets for it. */
	void (*child_expect)(void *ctx, void *user, uint32_t spi_in);
	uint64_t (*now_ms)(void *ctx);   /* a monotonic clock */
	/* Optional: a connection's IKE SA came up (is_up) or went away or
	 * failed (!is_up), for commands waiting on it. */
	void (*sa_event)(void *ctx, void *user, bool is_up);
	/* Optional: an authenticated IKE message of the connection's
	 * established IKE SA came from another address or port while it
	 * runs in UDP (the peer's NAT mapping changed, RFC 7296 §2.23): its
	 * ESP goes to p's remote end from now on, as IKE does. */
	void (*peer_moved)(void *ctx, void *user, const struct ike_path *p, bool is_nat_local);
	/* Optional: when ESP last arrived for the connection (now_ms()'s
	 * clock, 0: never), so that DPD does not ask a peer whose traffic
	 * comes in. */
	uint64_t (*last_esp_in_ms)(void *ctx, void *user);
	/* Optional: the connection's ESP counters, for rekey_bytes,
	 * rekey_packets, life_bytes, life_packets and the sequence number
	 * limit; without it only the time limits apply. */
	void (*esp_usage)(void *ctx, void *user, struct ike_esp_usage *out);
	/* The pre-shared key for a pair of identities (conf_find_psk()'s
	 * precedence), or NULL. */
	const struct secret *(*find_psk)(void *ctx, const struct ike_id *local,
					 uint8_t remote_type, const uint8_t *remote,
					 size_t remote_len);
	/* Optional: have ike_job_run(job) run on another thread, then
	 * ike_engine_job_done(e, job) called on the engine's thread; the
	 * engine offers the slow groups only (crypto_ke_is_slow). The SA
	 * waits meanwhile and the engine goes on with the others. Not 0
	 * (cannot take it) or without it: the engine runs the job at once
	 * itself. */
	int (*offload)(void *ctx, struct ike_job *job);
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
	uint64_t ke_offloaded;           /* key exchanges computed on another thread */
};

struct ike_engine;

int ike_engine_new(struct ike_engine **out, const struct ike_ops *ops, void *ctx,
		   const struct ike_settings *s, struct keylog *kl) IFS_MUST_CHECK;
void ike_engine_free(struct ike_engine *e);
/* New limits and timers (reload-settings), from now on: a request
 * waiting for its answer keeps the wait already scheduled; its further
 * retransmissions follow the new settings. */
void ike_engine_set_settings(struct ike_engine *e, const struct ike_settings *s);

/* A connection of the configuration (t->ike set), with the daemon's
 * pointer for it; t and the conf stay valid as long as the engine. */
int ike_engine_add_conn(struct ike_engine *e, const struct conf_tunnel *t, void *user) IFS_MUST_CHECK;
/* Forget a connection: its IKE SA is deleted (one Delete sent, no
 * wait), half-open SAs for it are dropped, its Child SA removed
 * (child_down), and user is never passed to the daemon again. */
int ike_engine_del_conn(struct ike_engine *e, void *user) IFS_MUST_CHECK;
/* Bring a connection's SAs up (start_action = start, trap, a command).
 * Nothing happens when an IKE SA for it is already up or on its way. */
int ike_engine_initiate(struct ike_engine *e, void *user) IFS_MUST_CHECK;
/* Rekey the connection's Child SA, or with is_ike its IKE SA, now
 * (CREATE_CHILD_SA, make before break); if another request is out, as
 * soon as it is answered. IFS_ERR_NOT_FOUND when there is no such SA. */
int ike_engine_rekey(struct ike_engine *e, void *user, bool is_ike) IFS_MUST_CHECK;
/* Reauthenticate the connection's IKE SA now: a new IKE SA and Child SA
 * from scratch, then the old ones deleted (make before break).
 * IFS_ERR_NOT_FOUND without an established SA, IFS_ERR_INVAL when the
 * peer's address is not configured (remote_addrs = %any). */
int ike_engine_reauth(struct ike_engine *e, void *user) IFS_MUST_CHECK;
/* A packet entered the connection's interface while it has no SA: it is
 * initiated if it traps (start_action, or dpd/close_action = trap after
 * the peer went away); otherwise nothing happens. */
int ike_engine_acquire(struct ike_engine *e, void *user) IFS_MUST_CHECK;
/* ESP in UDP authenticated from a new address or port (the peer's NAT
 * mapping changed): the connection's IKE SA follows, if it runs in UDP
 * on port 4500 too. */
void ike_engine_peer_moved(struct ike_engine *e, void *user, const struct ifs_addr *remote,
			   uint16_t remote_port);
/* Delete the connection's IKE SA (and with it the Child SA) and stop
 * retrying it. IFS_ERR_NOT_FOUND when it has no SA. */
int ike_engine_terminate(struct ike_engine *e, void *user) IFS_MUST_CHECK;
/* Start every connection with start_action = start. */
void ike_engine_start_all(struct ike_engine *e);

/* One datagram (without non-ESP marker) that arrived on path. The
 * buffer is the engine's to modify (in-place decryption). */
void ike_engine_input(struct ike_engine *e, const struct ike_path *p, uint8_t *msg, size_t len);

/* Compute an offloaded job (any thread). */
void ike_job_run(struct ike_job *job);
/* An offloaded job has run: the exchange that waited for it goes on.
 * Jobs never handed back are freed by ike_engine_free, which must not
 * run while a thread is inside ike_job_run. */
void ike_engine_job_done(struct ike_engine *e, struct ike_job *job);

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
	IKE_SA_INIT_QUEUED,          /* initiator: its key pair being made, or waits its turn */
	IKE_SA_INIT_SENT,            /* initiator: IKE_SA_INIT sent */
	IKE_SA_HALF_OPEN,            /* responder: IKE_SA_INIT answered */
	IKE_SA_AUTH_SENT,            /* initiator: IKE_AUTH sent */
	IKE_SA_ESTABLISHED,
	IKE_SA_DELETING,
};
const char *ike_sa_state_name(enum ike_sa_state s);

struct ike_conn_status {
	enum ike_sa_state state;
	uint32_t unique_id;          /* the IKE SA's, counting from 1 in this engine */
	uint32_t child_unique_id;    /* the Child SA's, from the same counter */
	uint64_t established_ms;     /* ops->now_ms() when it came up, 0: not yet */
	uint64_t rekey_at_ms;        /* the IKE SA's next rekey, 0: none planned */
	uint64_t reauth_at_ms;       /* its reauthentication, 0: none planned */
	uint64_t child_installed_ms;
	uint64_t child_rekey_at_ms;  /* 0: none planned */
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
	bool is_rekeying;            /* our rekey of the IKE SA is out */
	bool is_child_rekeying;      /* ours of the Child SA */
	/* The Child SA a rekey replaced, until its delete is done. */
	bool has_old_child;
	bool is_old_child_deleting;  /* our Delete of it is out */
	uint32_t old_child_unique_id;
	uint32_t old_child_spi_in;
	uint32_t old_child_spi_out;
	struct ike_chosen old_esp;
};
int ike_engine_status(const struct ike_engine *e, void *user,
		      struct ike_conn_status *out) IFS_MUST_CHECK;

#endif
