/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The IKE header and the payload chain (RFC 7296 §3.1, §3.2). Nothing
 * here looks inside a payload body: that is msg_decode.c. Every length is
 * checked by subtraction against what the cursor has left, the number of
 * payloads is bounded, and the chain must end exactly at the end of the
 * bytes it was given.
 */
#include "ike/msg.h"

#include <string.h>

#include "common/cur.h"

/*
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                       IKE SA Initiator's SPI                  |
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                       IKE SA Responder's SPI                  |
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Next Payload | MjVer | MnVer | Exchange Type |     Flags     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                          Message ID                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                            Length                             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
int ike_hdr_parse(const uint8_t *buf, size_t len, struct ike_hdr *out)
{
	struct cur c;

	memset(out, 0, sizeof(*out));
	cur_init(&c, buf, len);
	if (!cur_u64(&c, &out->spi_i) || !cur_u64(&c, &out->spi_r) ||
	    !cur_u8(&c, &out->next_payload) || !cur_u8(&c, &out->version) ||
	    !cur_u8(&c, &out->exchange) || !cur_u8(&c, &out->flags) ||
	    !cur_u32(&c, &out->msg_id) || !cur_u32(&c, &out->length))
		goto bad;
	/* §3.1: Length is the whole message, header included. A datagram
	 * that carries more or less than it says is not an IKE message
	 * (RELIABILITY.md §2 row 1). Having read 28 bytes, len >= 28. */
	if ((size_t)out->length != len)
		goto bad;
	return 0;
bad:
	memset(out, 0, sizeof(*out));
	return IFS_ERR_SYNTAX;
}

bool ike_hdr_write(struct wbuf *w, const struct ike_hdr *h)
{
	wbuf_u64(w, h->spi_i);
	wbuf_u64(w, h->spi_r);
	wbuf_u8(w, h->next_payload);
	wbuf_u8(w, h->version);
	wbuf_u8(w, h->exchange);
	wbuf_u8(w, h->flags);
	wbuf_u32(w, h->msg_id);
	wbuf_u32(w, h->length);
	return wbuf_ok(w);
}

/* The types of enum ike_payload_type. Everything else, IKEv1's 1..13
 * included (strongSwan CVE-2015-3991), is unknown to us. */
static bool is_known_type(uint8_t type)
{
	return (type >= IKE_PL_SA && type <= IKE_PL_EAP) || type == IKE_PL_SKF;
}

static bool is_sk_type(uint8_t type)
{
	return type == IKE_PL_SK || type == IKE_PL_SKF;
}

/*
 * §3.2 Generic payload header:
 *  0                   1                   2                   3
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Next Payload  |C|  RESERVED   |         Payload Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Payload Length includes the header. Reads one payload of the given
 * type; *next gets its Next Payload field.
 */
static bool read_payload(struct cur *c, uint8_t type, struct ike_payload *pl,
			 uint8_t *next)
{
	uint8_t flags;
	uint16_t pl_len;

	memset(pl, 0, sizeof(*pl));
	if (!cur_u8(c, next) || !cur_u8(c, &flags) || !cur_u16(c, &pl_len))
		return false;
	if (pl_len < IKE_PL_GENERIC_HDR_LEN)
		return false;
	pl->type = type;
	pl->is_critical = (flags & IKE_PL_CRITICAL) != 0;
	pl->len = (size_t)pl_len - IKE_PL_GENERIC_HDR_LEN;
	return cur_bytes(c, pl->len, &pl->body);
}

static enum ike_chain_err walk(uint8_t first, const uint8_t *buf, size_t len,
			       struct ike_chain *out, uint8_t *bad_type)
{
	struct ike_payload pl;
	uint8_t type = first, next;
	size_t offset;
	struct cur c;

	cur_init(&c, buf, len);
	while (type != IKE_PL_NONE) {
		/* Unknown payloads count too, so that thousands of tiny ones
		 * cannot keep us walking (RELIABILITY.md §2 row 7). */
		if (out->n + out->n_unknown >= IKE_MAX_PAYLOADS)
			return IKE_CHAIN_TOO_MANY;
		offset = len - cur_left(&c);
		if (!read_payload(&c, type, &pl, &next))
			return IKE_CHAIN_SYNTAX;
		if (is_sk_type(type)) {
			/* §3.14: SK is the last payload; its Next Payload
			 * field names the first payload inside it. */
			if (cur_left(&c) != 0)
				return IKE_CHAIN_SYNTAX;
			out->v[out->n++] = pl;
			out->sk_first_inner = next;
			out->sk_offset = offset;
			return IKE_CHAIN_OK;
		}
		if (is_known_type(type)) {
			out->v[out->n++] = pl;
		} else if (pl.is_critical) {
			/* §2.5: UNSUPPORTED_CRITICAL_PAYLOAD names it. */
			*bad_type = type;
			return IKE_CHAIN_CRITICAL;
		} else {
			out->n_unknown++;
		}
		type = next;
	}
	/* §3.2: Next Payload 0 ends the chain; bytes after it are junk. */
	return cur_end(&c) ? IKE_CHAIN_OK : IKE_CHAIN_SYNTAX;
}

enum ike_chain_err ike_chain_parse(uint8_t first, const uint8_t *buf, size_t len,
				   struct ike_chain *out, uint8_t *bad_type)
{
	enum ike_chain_err e;

	memset(out, 0, sizeof(*out));
	*bad_type = 0;
	e = walk(first, buf, len, out, bad_type);
	/* A refused chain hands out nothing a careless caller could use. */
	if (e != IKE_CHAIN_OK)
		memset(out, 0, sizeof(*out));
	return e;
}

enum ike_chain_err ike_msg_chain(const struct ike_hdr *h, const uint8_t *msg,
				 size_t len, struct ike_chain *out, uint8_t *bad_type)
{
	const uint8_t *body;
	size_t body_len;
	enum ike_chain_err e;
	struct cur c;

	memset(out, 0, sizeof(*out));
	*bad_type = 0;
	cur_init(&c, msg, len);
	if (!cur_skip(&c, IKE_HDR_LEN) || !cur_rest(&c, &body, &body_len))
		return IKE_CHAIN_SYNTAX;
	e = ike_chain_parse(h->next_payload, body, body_len, out, bad_type);
	if (e == IKE_CHAIN_OK && out->n > 0 && is_sk_type(out->v[out->n - 1].type))
		out->sk_offset += IKE_HDR_LEN;
	return e;
}

size_t ike_chain_count(const struct ike_chain *c, uint8_t type)
{
	size_t n = 0;

	for (size_t i = 0; i < c->n; i++)
		if (c->v[i].type == type)
			n++;
	return n;
}

const struct ike_payload *ike_chain_find(const struct ike_chain *c, uint8_t type)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->v[i].type == type)
			return &c->v[i];
	return NULL;
}
