/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef IFS_IKE_MSG_H
#define IFS_IKE_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "common/addr.h"
#include "common/err.h"
#include "common/wbuf.h"
#include "ike/ike_wire.h"
#include "ike/proposal.h"

/*
 * IKEv2 messages (RFC 7296 §3): bytes → header and payload chain →
 * decoded payloads, and back. Everything here reads through struct cur
 * and writes through struct wbuf; decoded payloads borrow pointers into
 * the caller's buffer, which must outlive them.
 *
 * Parsing is in three steps, each of which can refuse the input:
 *   ike_hdr_parse      the fixed header and the length against the datagram
 *   ike_chain_parse    the payload chain: bounded count, lengths, unknown
 *                      payloads (skipped unless critical), SK last
 *   ike_decode_*       one payload body into its structure
 * The rules about which payloads an exchange needs are the caller's.
 */

struct ike_hdr {
	uint64_t spi_i;
	uint64_t spi_r;
	uint8_t next_payload;
	uint8_t version;             /* major << 4 | minor */
	uint8_t exchange;
	uint8_t flags;
	uint32_t msg_id;
	uint32_t length;
};

/* Fixed header of a datagram (after any non-ESP marker). Checks only
 * what must hold for any IKE message of any version: at least 28 bytes
 * and the Length field equal to len. The caller checks the version (so
 * that it can answer INVALID_MAJOR_VERSION). */
int ike_hdr_parse(const uint8_t *buf, size_t len, struct ike_hdr *out) IFS_MUST_CHECK;
bool ike_hdr_write(struct wbuf *w, const struct ike_hdr *h);

#define IKE_MAX_PAYLOADS 64

struct ike_payload {
	uint8_t type;
	bool is_critical;
	const uint8_t *body;         /* after the 4-byte generic header */
	size_t len;                  /* of the body */
};

struct ike_chain {
	struct ike_payload v[IKE_MAX_PAYLOADS];
	size_t n;
	size_t n_unknown;            /* non-critical unknown payloads skipped */
	/* When the chain ends in SK (or SKF): its entry is the last in v,
	 * its body runs to the end of the message, and this is the type of
	 * the first payload inside it. */
	uint8_t sk_first_inner;
	/* The SK payload's offset from the start of the buffer parsed (its
	 * generic header), for the integrity check. */
	size_t sk_offset;
};

enum ike_chain_err {
	IKE_CHAIN_OK,
	IKE_CHAIN_SYNTAX,            /* a length out of range, a chain past the end */
	IKE_CHAIN_TOO_MANY,          /* more than IKE_MAX_PAYLOADS */
	IKE_CHAIN_CRITICAL,          /* an unknown payload with the critical bit */
};

/*
 * Walk a payload chain that starts with payload type first and covers
 * exactly buf[0..len). Known types are the ones in enum
 * ike_payload_type; others are skipped (counted) unless critical, which
 * stops with IKE_CHAIN_CRITICAL and *bad_type set. A chain that does not
 * end exactly at len, a payload shorter than its header, and an SK
 * payload that is not last are IKE_CHAIN_SYNTAX.
 */
enum ike_chain_err ike_chain_parse(uint8_t first, const uint8_t *buf, size_t len,
				   struct ike_chain *out, uint8_t *bad_type);
/* The whole message after its header: ike_chain_parse on buf+28. The SK
 * offset is then relative to the start of the message. */
enum ike_chain_err ike_msg_chain(const struct ike_hdr *h, const uint8_t *msg,
				 size_t len, struct ike_chain *out, uint8_t *bad_type);
/* Count and find payloads of a type in a chain. */
size_t ike_chain_count(const struct ike_chain *c, uint8_t type);
const struct ike_payload *ike_chain_find(const struct ike_chain *c, uint8_t type);

/* ---- decoded payloads (each decoder: 0 or IFS_ERR_SYNTAX) ---- */

/* SA (§3.3). Proposal numbers must start at 1 and increase by one; SPI
 * size 0 or 8 for IKE, 4 for ESP and AH; the transform count and every
 * length must agree with the bytes. Unknown protocols and transform
 * types are kept (selection skips them). More than IKE_MAX_PROPOSALS
 * proposals or IKE_MAX_TRANSFORMS transforms is a syntax error. */
struct ike_sa_pl {
	size_t n;
	struct ike_prop v[IKE_MAX_PROPOSALS];
};
int ike_decode_sa(const struct ike_payload *p, struct ike_sa_pl *out) IFS_MUST_CHECK;

/* KE (§3.4): at least one byte of data. */
struct ike_ke_pl {
	uint16_t group;
	const uint8_t *data;
	size_t len;
};
int ike_decode_ke(const struct ike_payload *p, struct ike_ke_pl *out) IFS_MUST_CHECK;

/* IDi/IDr (§3.5): at least one byte of data. body/body_len is the whole
 * payload body as received (type, reserved, data), which AUTH signs. */
struct ike_id_pl {
	uint8_t type;
	const uint8_t *data;
	size_t len;
	const uint8_t *body;
	size_t body_len;
};
int ike_decode_id(const struct ike_payload *p, struct ike_id_pl *out) IFS_MUST_CHECK;

/* AUTH (§3.8): at least one byte of data. */
struct ike_auth_pl {
	uint8_t method;
	const uint8_t *data;
	size_t len;
};
int ike_decode_auth(const struct ike_payload *p, struct ike_auth_pl *out) IFS_MUST_CHECK;

/* Nonce (§3.9): IKE_NONCE_MIN..IKE_NONCE_MAX bytes. */
struct ike_nonce_pl {
	const uint8_t *data;
	size_t len;
};
int ike_decode_nonce(const struct ike_payload *p, struct ike_nonce_pl *out) IFS_MUST_CHECK;

/* Notify (§3.10): SPI size 0, 4 or 8. */
struct ike_notify_pl {
	uint8_t protocol;
	uint8_t spi_len;
	uint16_t type;
	const uint8_t *spi;
	const uint8_t *data;
	size_t len;
};
int ike_decode_notify(const struct ike_payload *p, struct ike_notify_pl *out) IFS_MUST_CHECK;

/* Delete (§3.11): IKE with SPI size 0 and no SPIs, or ESP/AH with SPI
 * size 4 and exactly count SPIs; other protocols are a syntax error. */
struct ike_delete_pl {
	uint8_t protocol;
	uint16_t n_spi;
	const uint8_t *spis;         /* n_spi * 4 bytes, network order */
};
int ike_decode_delete(const struct ike_payload *p, struct ike_delete_pl *out) IFS_MUST_CHECK;

/* TSi/TSr (§3.13): 1..IKE_MAX_TS selectors; each IPv4 (length 16) or
 * IPv6 (length 40) range with start <= end for ports and addresses.
 * Selectors of unknown type are skipped and counted; a length that
 * disagrees with the type is a syntax error. */
#define IKE_MAX_TS 16
struct ike_ts {
	uint8_t type;                /* enum ike_ts_type */
	uint8_t ip_proto;            /* 0: any */
	uint16_t start_port;
	uint16_t end_port;
	struct ifs_addr start;
	struct ifs_addr end;
};
struct ike_ts_pl {
	size_t n;
	size_t n_unknown;
	struct ike_ts v[IKE_MAX_TS];
};
int ike_decode_ts(const struct ike_payload *p, struct ike_ts_pl *out) IFS_MUST_CHECK;

/* ---- building ---- */

/*
 * A message or a bare payload chain (the plaintext of an SK payload) is
 * built payload by payload; the builder fills in each Next Payload field
 * and length. Check ike_build_ok() or the return of ike_build_finish()
 * once at the end.
 */
struct ike_builder {
	struct wbuf w;
	size_t next_field;           /* offset of the Next Payload field to fill */
	bool has_header;
	uint8_t first_type;          /* bare chain: the first payload's type */
};

/* Start a message: writes the header (length fixed up by finish). */
void ike_build_begin(struct ike_builder *b, uint8_t *buf, size_t cap,
		     const struct ike_hdr *h);
/* Start a bare chain (no header). */
void ike_build_begin_chain(struct ike_builder *b, uint8_t *buf, size_t cap);

bool ike_build_sa(struct ike_builder *b, const struct ike_prop *props, size_t n);
bool ike_build_ke(struct ike_builder *b, uint16_t group, const uint8_t *data, size_t len);
bool ike_build_id(struct ike_builder *b, bool is_idr, uint8_t type,
		  const uint8_t *data, size_t len);
bool ike_build_auth(struct ike_builder *b, uint8_t method, const uint8_t *data, size_t len);
bool ike_build_nonce(struct ike_builder *b, const uint8_t *data, size_t len);
bool ike_build_notify(struct ike_builder *b, uint8_t protocol, const uint8_t *spi,
		      uint8_t spi_len, uint16_t type, const uint8_t *data, size_t len);
/* protocol IKE: no SPIs (n must be 0); ESP: n 4-byte SPIs in network order. */
bool ike_build_delete(struct ike_builder *b, uint8_t protocol, const uint8_t *spis, size_t n);
bool ike_build_ts(struct ike_builder *b, bool is_tsr, const struct ike_ts *ts, size_t n);
/* Any payload from its body (vendor IDs, tests, and the SK payload whose
 * body the caller fills in: see ike_build_reserve). */
bool ike_build_raw(struct ike_builder *b, uint8_t type, bool is_critical,
		   const uint8_t *body, size_t len);
/* A payload of type whose next payload field is set to inner_first (SK),
 * with len body bytes reserved for the caller to fill via *out. It must
 * be the last payload. */
bool ike_build_reserve(struct ike_builder *b, uint8_t type, uint8_t inner_first,
		       size_t len, uint8_t **out);

bool ike_build_ok(const struct ike_builder *b);
/* Fix up the header's Length (message) and return the total length, or
 * 0 if anything did not fit. */
size_t ike_build_finish(struct ike_builder *b);

#endif
