/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef IFS_IKE_IKE_INT_H
#define IFS_IKE_IKE_INT_H

/*
 * The engine's insides, shared by its files: ike_sa.c (objects, tables,
 * timers), ike_recv.c (from datagram to exchange handler), ike_send.c
 * (requests, responses, retransmission), ike_sa_init.c, ike_auth.c,
 * informational.c (one file per exchange) and cookie.c.
 */

#include "common/log.h"
#include "crypto/hash.h"
#include "crypto/ke.h"
#include "ike/ike.h"
#include "ike/keys.h"
#include "ike/msg.h"
#include "ike/names.h"
#include "ike/ts.h"

#define IKE_NONCE_LEN 32           /* what we send */
#define IKE_SA_BUCKETS 1024
#define IKE_COOKIE_LEN 21           /* version(1) | time(4) | mac(16) */

struct ike_sa;

/* A Child SA's 4-byte SPI in network order, as payloads carry it. */
static inline void ike_spi4_put(uint32_t spi, uint8_t out[4])
{
	out[0] = (uint8_t)(spi >> 24);
	out[1] = (uint8_t)(spi >> 16);
	out[2] = (uint8_t)(spi >> 8);
	out[3] = (uint8_t)spi;
}

static inline uint32_t ike_spi4_get(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

struct ike_conn {
	struct ike_engine *e;
	const struct conf_tunnel *t;
	const struct conf_ike *c;
	void *user;
	struct ike_id local_id;        /* the configured one, or the local address */
	struct ike_sa *sa;             /* the connection's IKE SA, if any */
	bool wants_up;                 /* start_action = start or an initiate: retry */
	bool is_trapped;               /* a packet into the interface initiates (trap) */
	uint64_t retry_at;             /* when to initiate again, 0: not planned */
	struct ike_conn *next;
};

struct child_sa {
	bool is_installed;
	/* Responder of a rekey: the inbound SA is in, the outbound waits
	 * (key_out kept) until the initiator deletes the SA it replaces. */
	bool is_out_pending;
	struct secret *key_out;
	uint32_t unique_id;            /* from the engine's counter, when installed */
	uint64_t rekey_at;             /* ms; 0: no rekey planned */
	uint64_t installed_ms;
	uint32_t spi_in;               /* ours, host order */
	uint32_t spi_out;              /* the peer's */
	struct ike_chosen chosen;
	enum crypto_alg alg;
	/* lifetime.c: the connection's ESP counters when each direction
	 * went in, this SA's soft limits (rekey_* less a random part drawn
	 * once), when the counters are looked at next, and what they said
	 * the last time (the rate they grow at). */
	struct ike_esp_usage base;
	uint64_t soft_bytes;           /* 0: none */
	uint64_t soft_packets;
	bool is_soft_done;             /* a soft limit started a rekey */
	uint64_t life_check_at;        /* ms; 0: never */
	struct ike_esp_usage last_seen;
	uint64_t last_seen_ms;         /* 0: not looked at yet */
};

/* A request we sent and may have to retransmit. */
struct ike_request {
	uint8_t exchange;              /* 0: none outstanding */
	uint32_t msg_id;
	uint8_t *msg;
	size_t len;
	uint32_t tries;
	uint64_t deadline;
	int kind;                      /* what it asks, enum ike_req_kind */
};

enum ike_req_kind {
	IKE_REQ_NONE,
	IKE_REQ_INIT,
	IKE_REQ_AUTH,
	IKE_REQ_DELETE_IKE,
	IKE_REQ_LIVENESS,
	IKE_REQ_REKEY_CHILD,
	IKE_REQ_DELETE_CHILD,
	IKE_REQ_REKEY_IKE,
	IKE_REQ_DELETE_REDUNDANT,      /* a Child SA a rekey collision made twice */
};

/* Our CREATE_CHILD_SA that rekeys the IKE SA, while it is answered. */
struct ike_rekey {
	uint64_t spi;                  /* our SPI of the new IKE SA */
	uint8_t ni[IKE_NONCE_MAX];
	size_t ni_len;
	struct crypto_ke *ke;
	uint16_t ke_group;
	uint32_t ke_retries;
	uint64_t coll_spi;             /* our SPI of the IKE SA the peer's rekey made meanwhile */
};

/* Our CREATE_CHILD_SA that rekeys the Child SA, while it is answered. */
struct child_rekey {
	uint32_t old_spi_in;           /* the Child SA it replaces */
	struct child_sa next;          /* spi_in chosen, the rest from the answer */
	struct ts_set *next_ts;        /* the answer's selectors; NULL before it */
	uint8_t ni[IKE_NONCE_MAX];
	size_t ni_len;
	struct crypto_ke *ke;          /* PFS, or NULL */
	uint16_t ke_group;
	uint32_t ke_retries;
};

/* The peer rekeyed the Child SA while our rekey of it was out (§2.8.1):
 * the SA its exchange made (inbound installed, outbound pending) and
 * that exchange's nonces, until ours is answered and the lowest nonce
 * says which new SA stays; a redundant one the peer keeps until it
 * deletes it or until passes. */
struct child_collision {
	struct child_sa sa;
	struct ts_set *ts;
	uint8_t ni[IKE_NONCE_MAX];     /* the peer's */
	size_t ni_len;
	uint8_t nr[IKE_NONCE_LEN];     /* ours */
	uint64_t until;
};

struct ike_sa {
	struct ike_engine *e;
	struct ike_conn *conn;          /* responder: chosen at IKE_AUTH (candidate before) */
	struct ike_sa *next_local;      /* hash chain by our SPI */
	struct ike_sa *next_peer;       /* hash chain by the initiator's SPI (responder) */
	struct ike_sa *next_all;
	bool is_initiator;
	uint32_t unique_id;            /* charon's: counts IKE and Child SAs from 1 */
	enum ike_sa_state state;
	uint64_t spi_i;
	uint64_t spi_r;
	struct ike_path path;
	bool is_nat_local;
	bool is_nat_remote;
	struct log_ctx log;

	struct ike_chosen chosen;
	struct ike_keys keys;
	struct crypto_xform *x_out;
	struct crypto_xform *x_in;
	uint64_t iv_counter;

	struct crypto_ke *ke;
	uint16_t ke_group;
	uint8_t *ni;                   /* the nonces of the exchange that made the SA */
	size_t ni_len;
	uint8_t *nr;
	size_t nr_len;
	uint8_t *init_req;             /* the IKE_SA_INIT messages, for AUTH */
	size_t init_req_len;
	uint8_t *init_resp;
	size_t init_resp_len;
	uint8_t cookie[IKE_COOKIE_MAX];
	size_t cookie_len;
	uint32_t ke_retries;
	uint32_t cookie_retries;
	uint16_t refused;              /* an unprotected refusal, advisory (§2.21) */

	uint32_t next_req_id;          /* our next request's message ID */
	struct ike_request req;
	uint32_t peer_next_id;         /* the peer's next request */
	uint8_t *resp;                 /* our cached response to peer_next_id - 1 */
	size_t resp_len;
	uint8_t resp_req_hash[CRYPTO_SHA256_LEN];
	uint8_t cur_req_hash[CRYPTO_SHA256_LEN]; /* of the request being handled */
	bool has_resp;
	uint64_t half_open_until;
	struct ike_id peer_id;
	struct child_sa child;
	/* The Child SA's selectors as negotiated (the initiator's offer
	 * until answered); a rekey's replace them. NULL: none yet. */
	struct ts_set *ts;
	/* After a rekey: the Child SA replaced, its inbound SA kept until
	 * its delete is done (or old_until passes). */
	struct child_sa *old_child;    /* NULL: none */
	uint64_t old_until;
	struct child_rekey *rekey;     /* our Child SA rekey while it is out; NULL */
	struct child_collision *coll;  /* the peer's colliding rekey's SA; NULL */
	/* Our rekey of this IKE SA, from its start on; kept after its answer
	 * for a collision's SPI, until the next rekey or the SA goes. */
	struct ike_rekey *ike_rekey;   /* NULL: none started */
	uint64_t rekey_at;             /* the IKE SA's rekey, ms; 0: none */
	uint64_t expire_at;            /* over_time: deleted then unless renewed; 0: never */
	uint64_t last_rx_ms;           /* the last authenticated message from the peer */
	uint64_t dpd_sent_ms;          /* our liveness check is out since, 0: none */
	uint64_t gone_at;              /* rekeyed as responder: freed then at the latest */
	uint64_t reauth_at;            /* the reauthentication, ms; 0: none */
	uint64_t reauth_spi;           /* our SPI of the IKE SA reauthenticating this one */
	bool is_reauth;                /* set up to replace the connection's IKE SA */
	/* The peer reauthenticated into this SA: its Child SA's outbound
	 * direction waits for the old IKE SA to go, or until then. */
	uint64_t out_at;
	uint64_t redundant_spi;        /* won a rekey collision: the peer's new SA, ours
					* to drop if the peer never deletes it */
	uint64_t established_ms;
	bool is_dead;                  /* freed at the end of the current event */
	struct ike_job *job;           /* a key exchange being computed; NULL */
	struct ike_ke_pre *pre;        /* a job's result while its message is handled again */
};

/* job.c: a key exchange computed off the engine's thread (ike.h). The
 * SA it is for waits (sa->job set: its messages are dropped) until
 * resume runs with the result. */
struct ike_job {
	struct ike_engine *e;
	struct ike_sa *sa;              /* NULL once the SA is gone */
	void (*resume)(struct ike_sa *sa, struct ike_job *j);
	uint16_t group;
	struct crypto_ke *ke;           /* ours: given, or made by the job */
	uint8_t peer[CRYPTO_KE_MAX_PUBLIC];
	size_t peer_len;                /* 0: a key pair only */
	struct secret *shared;          /* the result with peer */
	int err;
	/* ike_ke_later(): the message to handle again, as it arrived */
	uint8_t *msg;
	size_t msg_len;
	struct ike_path path;
	void (*again)(struct ike_sa *sa);   /* ike_ke_pair_later() */
	struct ike_job *prev, *next;    /* the engine's jobs not yet done */
};

/* A job's result while the message (or the step) that asked for it is
 * handled again: ike_ke_take() hands it to the handler. */
struct ike_ke_pre {
	uint16_t group;
	uint8_t peer[CRYPTO_KE_MAX_PUBLIC];
	size_t peer_len;
	struct crypto_ke *ke;
	struct secret *shared;
	int err;
};

/* Compute for sa: a key pair of group unless ke is given (taken), then
 * the shared secret with peer (unless peer_len is 0). resume gets the
 * job and may take j->ke and j->shared (set them NULL); the job is
 * freed after it. It may run before this returns: the caller must not
 * touch sa after 0. An error: nothing was started. */
int ike_job_start(struct ike_sa *sa, struct crypto_ke *ke, uint16_t group,
		  const uint8_t *peer, size_t peer_len,
		  void (*resume)(struct ike_sa *sa, struct ike_job *j)) IFS_MUST_CHECK;
/* What a CREATE_CHILD_SA handler computes (a rekey with a new key
 * exchange): the result of a job for this very group and peer value
 * when the message is being handled again, else computed now. *ke is
 * ours: NULL makes a key pair (left in *ke); shared NULL: only that. */
int ike_ke_take(struct ike_sa *sa, struct crypto_ke **ke, uint16_t group,
		const uint8_t *peer, size_t peer_len, struct secret **shared) IFS_MUST_CHECK;
/* A rekey record's own key pair, made anew in group (0: none), as
 * ike_ke_take() finds or makes it. */
int ike_ke_renew(struct ike_sa *sa, struct crypto_ke **ke, uint16_t *ke_group, uint16_t group)
	IFS_MUST_CHECK;
/* Before a CREATE_CHILD_SA message (raw: as it arrived) is handled: if
 * its KE payload is of a slow group, the key exchange goes to a job and
 * the message is handled again when it is back (true: nothing more to
 * do now). A response's key pair is the request's: ours. */
bool ike_ke_later(struct ike_sa *sa, const struct ike_path *p, const struct ike_chain *inner,
		  uint8_t *raw, size_t len, struct crypto_ke **ours);
/* Before a step that makes a key pair of group (a rekey we start): true
 * when a job makes it and again(sa) runs when it is back. */
bool ike_ke_pair_later(struct ike_sa *sa, uint16_t group, void (*again)(struct ike_sa *sa));
void ike_ke_pre_free(struct ike_sa *sa);
/* The SA is going away: its job's result will be dropped. */
void ike_job_orphan(struct ike_sa *sa);
/* ike_engine_free: jobs never handed back. */
void ike_jobs_free(struct ike_engine *e);

/* A per-second budget (replies to strangers, lines they cause in the log). */
struct ike_rate {
	uint64_t since;
	uint32_t n;
	uint32_t dropped;
};

struct ike_engine {
	struct ike_ops ops;
	void *ctx;
	struct ike_settings s;
	struct keylog *kl;
	uint32_t last_unique_id;
	struct ike_conn *conns;
	struct ike_sa *by_local[IKE_SA_BUCKETS];
	struct ike_sa *by_peer[IKE_SA_BUCKETS];
	struct ike_sa *all;
	struct ike_job *jobs;              /* offloaded, not handed back yet */
	size_t n_half_open;
	bool is_pace_due;                  /* an initiation left INIT_SENT/AUTH_SENT */
	struct ike_stats stats;
	uint8_t cookie_secret[2][32];
	uint8_t cookie_version;
	uint64_t cookie_secret_since;
	struct ike_rate version_replies;   /* INVALID_MAJOR_VERSION */
	struct ike_rate init_replies;      /* error notifies to IKE_SA_INIT */
	struct ike_rate stranger_logs;     /* lines caused by unauthenticated input */
};

/* ike_sa.c: true while rate r allows one more this second. */
bool ike_rate_ok(struct ike_engine *e, struct ike_rate *r, uint32_t per_s);
/* A log line caused by a message nobody authenticated: at most 10 a
 * second, with a count of those left out. */
void ike_log_stranger(struct ike_engine *e, enum log_level level, const char *fmt, ...)
	IFS_PRINTF(3, 4);

/* ike_recv.c: a message of sa's handled again (after its job), from
 * the header on. */
void ike_recv_again(struct ike_sa *sa, const struct ike_path *p, uint8_t *msg, size_t len);

/* ike_sa.c */
uint64_t ike_now(const struct ike_engine *e);
int ike_sa_new(struct ike_engine *e, bool is_initiator, uint64_t spi_i,
	       const struct ike_path *p, struct ike_sa **out) IFS_MUST_CHECK;
/* Our SPI chosen (unless set already: IFS_ERR_EXISTS if taken) and the
 * SA entered into the tables. */
int ike_sa_register(struct ike_sa *sa) IFS_MUST_CHECK;
/* Mark for removal: Child SA removed, keys wiped, freed after the event. */
void ike_sa_kill(struct ike_sa *sa, const char *why);
void ike_sa_set_state(struct ike_sa *sa, enum ike_sa_state st);
void ike_engine_reap(struct ike_engine *e);
struct ike_sa *ike_sa_by_local(struct ike_engine *e, uint64_t spi);
struct ike_sa *ike_sa_by_peer(struct ike_engine *e, uint64_t spi_i, const struct ike_path *p);
size_t ike_half_open_from(const struct ike_engine *e, const struct ifs_addr *a);
/* One source in the responder's half-open counts: the IPv4 address, or
 * the IPv6 /64. */
bool ike_same_source(const struct ifs_addr *a, const struct ifs_addr *b);

/* Pacing (pace.c): at most IKE_INIT_PACE of our initiations to one
 * source are between IKE_SA_INIT and the IKE_AUTH answer. A responder
 * with the defaults of strongSwan and ifsecd asks for a COOKIE when it
 * counts 3 half-open IKE SAs from one source (cookie_threshold_ip) and
 * drops at 5 (block_threshold); charon counts an SA half-open until a
 * moment after it sent the IKE_AUTH answer, so our next IKE_SA_INIT can
 * find it still counted: with two open, it counts at most two others.
 * More wait in IKE_SA_INIT_QUEUED and start as those finish or fail. */
#define IKE_INIT_PACE 2
/* An initiation the responder counts as half-open. */
bool ike_sa_is_opening(const struct ike_sa *sa);
/* May another initiation to this peer send its IKE_SA_INIT now? */
bool ike_pace_allows(const struct ike_engine *e, const struct ifs_addr *remote);
/* Sends the IKE_SA_INIT of queued initiations whose peer has room. */
void ike_pace_run(struct ike_engine *e);
/* The IKE_SA_INIT of a new or queued initiation (ike_sa_init.c). */
int ike_init_send_first(struct ike_sa *sa) IFS_MUST_CHECK;
/* Is there another live IKE SA with the same peer address? (Then
 * INITIAL_CONTACT is not sent, §2.4.) */
bool ike_sa_has_sibling(const struct ike_sa *sa);
/* The keys from the KE result and nonces (and the key log). */
int ike_sa_derive(struct ike_sa *sa, const struct secret *shared) IFS_MUST_CHECK;
/* New keys in sa->keys: the old SK transforms go (the new ones are made
 * when used), and the key log records them. */
void ike_sa_use_keys(struct ike_sa *sa);
bool ike_sa_has_keys(const struct ike_sa *sa);
/* The SK transform of one direction, made from sa->keys when first
 * needed (ike_engine_reap drops them from idle established SAs); NULL
 * without keys or memory. */
struct crypto_xform *ike_sa_xform(struct ike_sa *sa, bool is_out);
void ike_conn_failed(struct ike_conn *c);
/* The peer stopped answering (DPD, or any request of an established
 * SA): dpd_action decides what follows. */
void ike_conn_dead(struct ike_conn *c);
/* The peer closed the SAs: close_action decides. */
void ike_conn_closed(struct ike_conn *c);
/* dpd.c: liveness checks after dpd_delay without news from the peer */
uint64_t ike_dpd_due(const struct ike_sa *sa);
void ike_dpd_timer(struct ike_sa *sa, uint64_t now);

/* ike_send.c */
/* A message kept (IKE_SA_INIT for AUTH, one to handle again); NULL
 * without memory. */
uint8_t *ike_msg_copy(const uint8_t *msg, size_t len);
void ike_send_raw(struct ike_sa *sa, const uint8_t *msg, size_t len);
/* A request: sent now, retransmitted until answered. msg is taken. */
void ike_send_request(struct ike_sa *sa, int kind, uint8_t exchange, uint8_t *msg, size_t len);
/* An encrypted message from a payload chain (finished here); *out is
 * the caller's to send (and free, or hand to ike_send_request/response). */
int ike_sk_message(struct ike_sa *sa, uint8_t exchange, bool is_response, uint32_t msg_id,
		   struct ike_builder *chain, uint8_t **out, size_t *out_len) IFS_MUST_CHECK;
/* A response to cache: kept for retransmitted requests. msg is taken. */
void ike_send_response(struct ike_sa *sa, uint8_t *msg, size_t len);
/* An encrypted response to the current request with one notify. */
void ike_respond_notify(struct ike_sa *sa, uint8_t exchange, uint32_t msg_id, uint16_t type,
			const uint8_t *data, size_t len);
/* Unprotected notify response to an IKE_SA_INIT request (no state). */
void ike_send_init_notify(struct ike_engine *e, const struct ike_path *p,
			  const struct ike_hdr *req, uint16_t type,
			  const uint8_t *data, size_t len);
void ike_request_done(struct ike_sa *sa);
/* No more retransmissions of the request: it is to be sent anew. */
void ike_request_drop(struct ike_sa *sa);
void ike_retransmit_timer(struct ike_sa *sa, uint64_t now);
void ike_req_hash(const uint8_t *msg, size_t len, uint8_t out[CRYPTO_SHA256_LEN]);

/* ike_sa_init.c */
int ike_init_start(struct ike_conn *c) IFS_MUST_CHECK;
/* A new IKE SA for c, IKE_SA_INIT sent, that the connection does not
 * list yet (reauthentication). */
int ike_init_new(struct ike_conn *c, struct ike_sa **out) IFS_MUST_CHECK;
void ike_init_request(struct ike_engine *e, const struct ike_path *p,
		      const struct ike_hdr *h, uint8_t *msg, size_t len);
void ike_init_response(struct ike_sa *sa, const struct ike_hdr *h, uint8_t *msg, size_t len);
bool ike_natd_check(const struct ike_sa *sa, const struct ike_chain *c,
		    bool *is_nat_local, bool *is_nat_remote);

/* ike_sa.c: one of the SA's nonces (&sa->ni, &sa->ni_len or nr): a copy
 * of data, or len random bytes when data is NULL. */
int ike_nonce_set(uint8_t **slot, size_t *slot_len, const uint8_t *data, size_t len)
	IFS_MUST_CHECK;

/* ike_auth.c */
void ike_auth_start(struct ike_sa *sa);
void ike_auth_request(struct ike_sa *sa, const struct ike_hdr *h, const struct ike_chain *c);
void ike_auth_response(struct ike_sa *sa, const struct ike_hdr *h, const struct ike_chain *c);
void ike_child_remove(struct ike_sa *sa);

/* ike_auth.c, for create_child.c too */
/* Selectors for a Child SA as responder, narrowed to the connection's
 * (§2.9), into *out: 0, IKE_N_TS_UNACCEPTABLE when nothing is left, or
 * IKE_N_NO_PROPOSAL_CHOSEN without memory (as for a SPI). */
uint16_t ike_child_narrow(const struct conf_child *ch, const struct ike_ts_pl *tsi,
			  const struct ike_ts_pl *tsr, struct ts_set **out);
int ike_child_new_spi(uint32_t *spi) IFS_MUST_CHECK;
/* Tell the data plane that the peer may soon send on our new inbound SPI
 * (ike_ops.child_expect). */
void ike_child_expect(struct ike_sa *sa, uint32_t spi_in);
/* Keys (with the PFS secret, or NULL) and the data plane: both
 * directions, or with out_later the inbound one only (key_out kept).
 * Ni and Nr, and the direction whose keys come first (§2.17), are those
 * of the exchange that creates the Child SA, whoever began the IKE SA. */
int ike_child_install(struct ike_sa *sa, struct child_sa *ch, const struct secret *pfs,
		      const uint8_t *ni, size_t ni_len, const uint8_t *nr, size_t nr_len,
		      bool is_exchange_initiator, bool out_later) IFS_MUST_CHECK;
/* The pending outbound SA of a rekeyed child into the data plane. */
void ike_child_install_out(struct ike_sa *sa, struct child_sa *ch);
/* Remove one Child SA from the data plane (and forget its keys). */
void ike_child_drop(struct ike_sa *sa, struct child_sa *ch);

/* The parts of a CREATE_CHILD_SA message that matter. */
struct ike_cc_payloads {
	bool has_rekey;
	uint8_t rekey_protocol;
	uint32_t rekey_spi;
	uint16_t error;
	uint16_t invalid_ke_group;     /* from INVALID_KE_PAYLOAD's data */
	bool has_sa;
	struct ike_sa_pl sap;
	bool has_nonce;
	struct ike_nonce_pl nonce;
	bool has_ke;
	struct ike_ke_pl ke;
	bool has_ts;
	struct ike_ts_pl tsi;
	struct ike_ts_pl tsr;
};

bool ike_cc_decode(const struct ike_chain *c, struct ike_cc_payloads *m);

/* create_child.c: rekeying the Child SA (§1.3.3, §2.8) */
/* Start it (the rekey timer or a command); IFS_ERR_BUSY while another
 * request of ours is out. */
int ike_rekey_child_start(struct ike_sa *sa) IFS_MUST_CHECK;
void ike_create_child_request(struct ike_sa *sa, const struct ike_hdr *h,
			      const struct ike_chain *c);
void ike_create_child_response(struct ike_sa *sa, const struct ike_hdr *h,
			       const struct ike_chain *c);
/* The replaced Child SA is gone on both sides: remove it here too. */
void ike_rekey_old_done(struct ike_sa *sa);
/* The peer deleted the Child SA with its inbound SPI spi_out (§1.4.1):
 * which of ours answers it (put into *spi_in); false: none. */
bool ike_rekey_peer_deletes(struct ike_sa *sa, uint32_t spi_out, uint32_t *spi_in);
/* The grace periods of replaced and redundant Child SAs. */
uint64_t ike_rekey_child_due(const struct ike_sa *sa);
void ike_rekey_child_timer(struct ike_sa *sa, uint64_t now);
void ike_rekey_clear(struct ike_sa *sa);
/* Removes the SA a colliding rekey of the peer made (with its data-plane
 * SAs), if there is one. */
void ike_collision_drop(struct ike_sa *sa);
/* Removes the replaced Child SA (with its data-plane SAs), if any. */
void ike_old_child_drop(struct ike_sa *sa);

/* collision.c: which of two simultaneous rekeys gives way (§2.8.1) */
struct ike_exchange_nonces {
	const uint8_t *ni;
	size_t ni_len;
	const uint8_t *nr;
	size_t nr_len;
};
/* Did our exchange use the lowest of the four nonces? Then the SA it
 * made is redundant, and ours to delete. */
bool ike_collision_lost(const struct ike_exchange_nonces *ours,
			const struct ike_exchange_nonces *theirs);

/* rekey_ike.c: rekeying the IKE SA (§2.18) */
int ike_rekey_ike_start(struct ike_sa *sa) IFS_MUST_CHECK;
/* A CREATE_CHILD_SA request with an IKE proposal (no REKEY_SA). */
void ike_rekey_ike_request(struct ike_sa *sa, const struct ike_hdr *h,
			   const struct ike_chain *c);
void ike_rekey_ike_response(struct ike_sa *sa, const struct ike_hdr *h,
			    const struct ike_chain *c);
void ike_rekey_ike_clear(struct ike_sa *sa);
/* The peer deletes this IKE SA: if its rekey collided with ours, its
 * new IKE SA takes the Child SAs now. */
void ike_rekey_ike_peer_deletes(struct ike_sa *sa);
/* Our delete of this IKE SA, replaced after a collision we won, is
 * answered: a redundant SA the peer did not delete before answering it
 * never had (our answer to its rekey came after this delete). */
void ike_rekey_ike_old_deleted(struct ike_sa *sa);
/* When an established IKE SA is rekeyed next (rekey_time less up to
 * rand_time). */
uint64_t ike_rekey_ike_at(const struct ike_sa *sa);

/* reauth.c: reauthentication, make before break (§2.8.3) */
/* When an IKE SA just authenticated reauthenticates (0: never). */
uint64_t ike_reauth_at(const struct ike_sa *sa);
int ike_reauth_start(struct ike_sa *old) IFS_MUST_CHECK;
/* sa, which reauthenticates another, has its Child SA: it replaces the
 * other, which is deleted. */
void ike_reauth_done(struct ike_sa *sa);
/* sa, which reauthenticated another, failed before it was up. */
void ike_reauth_failed(struct ike_sa *sa);
/* The peer reauthenticated into sa (we answered its IKE_AUTH, the Child
 * SA's outbound direction held back): send on it at the latest after
 * REAUTH_OUT_MS. */
void ike_reauth_out_later(struct ike_sa *sa);
/* Now: the old IKE SA goes, or the time is up. */
void ike_reauth_out_now(struct ike_sa *sa);

/* lifetime.c: the limits of an SA's life. The Child SA's soft limits
 * (rekey_bytes, rekey_packets, its outbound sequence numbers) start a
 * rekey; its hard limits (life_time, life_bytes, life_packets, sequence
 * numbers used up) and the IKE SA's over_time delete the IKE SA, and a
 * new one is initiated unless the connection only responds. */
/* The IKE SA is established, new or rekeyed (reauth_at set first): its
 * rekey and the deadline of over_time are scheduled. */
void ike_life_ike_up(struct ike_sa *sa);
/* Directions of ch went into the data plane: their counting starts
 * now; with has_in ch is a new Child SA, whose soft limits are drawn. */
void ike_life_child_up(struct ike_sa *sa, struct child_sa *ch, bool has_in, bool has_out);
/* When ike_life_timer wants to run next (UINT64_MAX: never). */
uint64_t ike_life_due(const struct ike_sa *sa);
void ike_life_timer(struct ike_sa *sa, uint64_t now);

/* informational.c */
void ike_info_request(struct ike_sa *sa, const struct ike_hdr *h, const struct ike_chain *c);
void ike_info_response(struct ike_sa *sa, const struct ike_hdr *h, const struct ike_chain *c);
void ike_delete_ike(struct ike_sa *sa);
void ike_send_liveness(struct ike_sa *sa);
/* Delete the Child SA with our inbound SPI spi_in (after a rekey); kind
 * is IKE_REQ_DELETE_CHILD (the replaced SA: its end follows the answer)
 * or IKE_REQ_DELETE_REDUNDANT. */
void ike_delete_child(struct ike_sa *sa, uint32_t spi_in, int kind);

/* cookie.c */
void ike_cookie_make(struct ike_engine *e, const struct ike_path *p, uint64_t spi_i,
		     const uint8_t *ni, size_t ni_len, uint8_t out[IKE_COOKIE_LEN]);
bool ike_cookie_check(struct ike_engine *e, const struct ike_path *p, uint64_t spi_i,
		      const uint8_t *ni, size_t ni_len, const uint8_t *cookie, size_t len);
/* Should an IKE_SA_INIT from this address be answered with a cookie
 * request, or dropped? */
bool ike_cookie_required(const struct ike_engine *e, const struct ifs_addr *a);
bool ike_init_blocked(const struct ike_engine *e, const struct ifs_addr *a);

#endif
