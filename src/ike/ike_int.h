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

#define IKE_NONCE_LEN 32           /* what we send */
#define IKE_SA_BUCKETS 1024
#define IKE_COOKIE_LEN 21           /* version(1) | time(4) | mac(16) */

struct ike_sa;

struct ike_conn {
	struct ike_engine *e;
	const struct conf_tunnel *t;
	const struct conf_ike *c;
	void *user;
	struct ike_id local_id;        /* the configured one, or the local address */
	struct ike_sa *sa;             /* the connection's IKE SA, if any */
	bool wants_up;                 /* start_action = start or an initiate: retry */
	uint64_t retry_at;             /* when to initiate again, 0: not planned */
	struct ike_conn *next;
};

struct child_sa {
	bool is_installed;
	uint32_t spi_in;               /* ours, host order */
	uint32_t spi_out;              /* the peer's */
	struct ike_chosen chosen;
	enum crypto_alg alg;
	struct ike_ts ts_local[IKE_MAX_TS];
	size_t n_ts_local;
	struct ike_ts ts_remote[IKE_MAX_TS];
	size_t n_ts_remote;
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
};

struct ike_sa {
	struct ike_engine *e;
	struct ike_conn *conn;          /* responder: chosen at IKE_AUTH (candidate before) */
	struct ike_sa *next_local;      /* hash chain by our SPI */
	struct ike_sa *next_peer;       /* hash chain by the initiator's SPI (responder) */
	struct ike_sa *next_all;
	bool is_initiator;
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
	uint8_t ni[IKE_NONCE_MAX];
	size_t ni_len;
	uint8_t nr[IKE_NONCE_MAX];
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
	uint64_t established_ms;
	bool is_dead;                  /* freed at the end of the current event */
};

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
	const struct conf *conf;
	struct keylog *kl;
	struct ike_conn *conns;
	struct ike_sa *by_local[IKE_SA_BUCKETS];
	struct ike_sa *by_peer[IKE_SA_BUCKETS];
	struct ike_sa *all;
	size_t n_half_open;
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

/* ike_sa.c */
uint64_t ike_now(const struct ike_engine *e);
int ike_sa_new(struct ike_engine *e, bool is_initiator, uint64_t spi_i,
	       const struct ike_path *p, struct ike_sa **out) IFS_MUST_CHECK;
/* Our SPI chosen and the SA entered into the tables. */
int ike_sa_register(struct ike_sa *sa) IFS_MUST_CHECK;
/* Mark for removal: Child SA removed, keys wiped, freed after the event. */
void ike_sa_kill(struct ike_sa *sa, const char *why);
void ike_sa_set_state(struct ike_sa *sa, enum ike_sa_state st);
void ike_engine_reap(struct ike_engine *e);
struct ike_sa *ike_sa_by_local(struct ike_engine *e, uint64_t spi);
struct ike_sa *ike_sa_by_peer(struct ike_engine *e, uint64_t spi_i, const struct ike_path *p);
size_t ike_half_open_from(const struct ike_engine *e, const struct ifs_addr *a);
/* Is there another live IKE SA with the same peer address? (Then
 * INITIAL_CONTACT is not sent, §2.4.) */
bool ike_sa_has_sibling(const struct ike_sa *sa);
/* Keys and SK transforms from the KE result and nonces. */
int ike_sa_derive(struct ike_sa *sa, const struct secret *shared) IFS_MUST_CHECK;
void ike_conn_failed(struct ike_conn *c);

/* ike_send.c */
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
void ike_retransmit_timer(struct ike_sa *sa, uint64_t now);
void ike_req_hash(const uint8_t *msg, size_t len, uint8_t out[CRYPTO_SHA256_LEN]);

/* ike_sa_init.c */
int ike_init_start(struct ike_conn *c) IFS_MUST_CHECK;
void ike_init_request(struct ike_engine *e, const struct ike_path *p,
		      const struct ike_hdr *h, uint8_t *msg, size_t len);
void ike_init_response(struct ike_sa *sa, const struct ike_hdr *h, uint8_t *msg, size_t len);
bool ike_natd_check(const struct ike_sa *sa, const struct ike_chain *c,
		    bool *is_nat_local, bool *is_nat_remote);

/* ike_auth.c */
void ike_auth_start(struct ike_sa *sa);
void ike_auth_request(struct ike_sa *sa, const struct ike_hdr *h, const struct ike_chain *c);
void ike_auth_response(struct ike_sa *sa, const struct ike_hdr *h, const struct ike_chain *c);
void ike_child_remove(struct ike_sa *sa);

/* informational.c */
void ike_info_request(struct ike_sa *sa, const struct ike_hdr *h, const struct ike_chain *c);
void ike_info_response(struct ike_sa *sa, const struct ike_hdr *h, const struct ike_chain *c);
void ike_delete_ike(struct ike_sa *sa);
void ike_send_liveness(struct ike_sa *sa);

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
