/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Building IKE messages and bare payload chains (RFC 7296 §3). Every
 * byte goes through struct wbuf, so nothing is written past the buffer:
 * a payload that does not fit fails the builder for good and
 * ike_build_finish() returns 0.
 *
 * Each payload is written with Next Payload 0 and Length 0 and fixed up
 * afterwards: its Length when it is complete, its Next Payload when the
 * following payload starts (b->next_field is where that goes).
 *
 * The typed builders refuse what msg_decode.c would refuse (a nonce of
 * the wrong size, an SPI size that does not suit the protocol, proposals
 * numbered out of order, a selector whose range runs backwards, ...), so
 * that we never send a payload that we would call malformed ourselves.
 * ike_build_raw() writes whatever it is given, for tests among others.
 */
#include "ike/msg.h"

#include <string.h>

/* b->next_field when there is no Next Payload field to fill yet (a bare
 * chain before its first payload), and after ike_build_reserve(), whose
 * payload must be the last. */
#define BUILD_NO_FIELD SIZE_MAX
#define BUILD_SEALED (SIZE_MAX - 1)

#define HDR_NEXT_OFFSET 16         /* §3.1: Next Payload in the header */
#define HDR_LENGTH_OFFSET 24       /* §3.1: Length in the header */

static bool fail(struct ike_builder *b)
{
	b->w.is_failed = true;
	return false;
}

void ike_build_begin(struct ike_builder *b, uint8_t *buf, size_t cap,
		     const struct ike_hdr *h)
{
	struct ike_hdr hdr = *h;

	memset(b, 0, sizeof(*b));
	wbuf_init(&b->w, buf, cap);
	b->has_header = true;
	/* Both are filled in later: the first payload's type and the
	 * length by ike_build_finish(). */
	hdr.next_payload = IKE_PL_NONE;
	hdr.length = 0;
	(void)ike_hdr_write(&b->w, &hdr);
	b->next_field = HDR_NEXT_OFFSET;
}

void ike_build_begin_chain(struct ike_builder *b, uint8_t *buf, size_t cap)
{
	memset(b, 0, sizeof(*b));
	wbuf_init(&b->w, buf, cap);
	b->next_field = BUILD_NO_FIELD;
	b->first_type = IKE_PL_NONE;
}

/* Patch a 16-bit length at start + 2: the bytes from start to here. */
static bool close_len16(struct ike_builder *b, size_t start)
{
	size_t len;

	if (!wbuf_ok(&b->w))
		return false;
	len = wbuf_len(&b->w) - start;
	if (len > UINT16_MAX)
		return fail(b);
	b->w.p[start + 2] = (uint8_t)(len >> 8);
	b->w.p[start + 3] = (uint8_t)len;
	return true;
}

/*
 * §3.2 generic payload header, with Next Payload and Length still 0.
 * The previous payload's Next Payload (or the header's, or first_type
 * for a bare chain) becomes type.
 */
static bool open_payload(struct ike_builder *b, uint8_t type, bool is_critical,
			 size_t *start)
{
	*start = wbuf_len(&b->w);
	if (type == IKE_PL_NONE || b->next_field == BUILD_SEALED)
		return fail(b);
	if (!wbuf_ok(&b->w))
		return false;
	if (b->next_field == BUILD_NO_FIELD)
		b->first_type = type;
	else
		b->w.p[b->next_field] = type;
	b->next_field = *start;
	wbuf_u8(&b->w, IKE_PL_NONE);
	/* §3.2: RESERVED bits are sent as zero. */
	wbuf_u8(&b->w, is_critical ? IKE_PL_CRITICAL : 0);
	wbuf_u16(&b->w, 0);
	return wbuf_ok(&b->w);
}

bool ike_build_raw(struct ike_builder *b, uint8_t type, bool is_critical,
		   const uint8_t *body, size_t len)
{
	size_t start;

	if (!open_payload(b, type, is_critical, &start))
		return false;
	wbuf_bytes(&b->w, body, len);
	return close_len16(b, start);
}

bool ike_build_reserve(struct ike_builder *b, uint8_t type, uint8_t inner_first,
		       size_t len, uint8_t **out)
{
	size_t start;

	*out = NULL;
	if (!open_payload(b, type, false, &start))
		return false;
	/* §3.14: the Next Payload of SK names the first inner payload. */
	b->w.p[start] = inner_first;
	b->next_field = BUILD_SEALED;
	if (!wbuf_reserve(&b->w, len, out) || !close_len16(b, start)) {
		*out = NULL;
		return fail(b);
	}
	return true;
}

bool ike_build_ok(const struct ike_builder *b)
{
	return wbuf_ok(&b->w);
}

size_t ike_build_finish(struct ike_builder *b)
{
	size_t len = wbuf_len(&b->w);

	if (!wbuf_ok(&b->w))
		return 0;
	if (b->has_header) {
		if (len > UINT32_MAX) {
			fail(b);
			return 0;
		}
		b->w.p[HDR_LENGTH_OFFSET] = (uint8_t)(len >> 24);
		b->w.p[HDR_LENGTH_OFFSET + 1] = (uint8_t)(len >> 16);
		b->w.p[HDR_LENGTH_OFFSET + 2] = (uint8_t)(len >> 8);
		b->w.p[HDR_LENGTH_OFFSET + 3] = (uint8_t)len;
	}
	return len;
}

/* ---- SA (§3.3) ---- */

/* §3.3.2 transform, with the §3.3.5 Key Length attribute in TV form
 * when there is a key length. */
static void put_xf(struct ike_builder *b, const struct ike_xf *xf, bool is_last)
{
	size_t start = wbuf_len(&b->w);

	wbuf_u8(&b->w, is_last ? IKE_LAST_TRANSFORM : IKE_MORE_TRANSFORMS);
	wbuf_u8(&b->w, 0);
	wbuf_u16(&b->w, 0);
	wbuf_u8(&b->w, xf->type);
	wbuf_u8(&b->w, 0);
	wbuf_u16(&b->w, xf->id);
	if (xf->key_bits != 0) {
		wbuf_u16(&b->w, IKE_ATTR_FORMAT_TV | IKE_ATTR_KEY_LENGTH);
		wbuf_u16(&b->w, xf->key_bits);
	}
	(void)close_len16(b, start);
}

static bool prop_spi_ok(const struct ike_prop *p)
{
	switch (p->protocol) {
	case IKE_PROTO_IKE:
		return p->spi_len == 0 || p->spi_len == 8;
	case IKE_PROTO_ESP:
	case IKE_PROTO_AH:
		return p->spi_len == 4;
	default:
		return p->spi_len <= sizeof(p->spi);
	}
}

/* §3.3.1 proposal, numbered and with the SPI as the structure says. */
static bool put_prop(struct ike_builder *b, const struct ike_prop *p, bool is_last)
{
	size_t start = wbuf_len(&b->w);

	if (p->n_xf > IKE_MAX_TRANSFORMS || !prop_spi_ok(p))
		return fail(b);
	wbuf_u8(&b->w, is_last ? IKE_LAST_PROPOSAL : IKE_MORE_PROPOSALS);
	wbuf_u8(&b->w, 0);
	wbuf_u16(&b->w, 0);
	wbuf_u8(&b->w, p->num);
	wbuf_u8(&b->w, p->protocol);
	wbuf_u8(&b->w, p->spi_len);
	wbuf_u8(&b->w, (uint8_t)p->n_xf);
	wbuf_bytes(&b->w, p->spi, p->spi_len);
	for (size_t i = 0; i < p->n_xf; i++)
		put_xf(b, &p->xf[i], i + 1 == p->n_xf);
	return close_len16(b, start);
}

/* §3.3.1: an offer is numbered 1, 2, 3...; a lone proposal (a reply)
 * carries the number of the one accepted. */
static bool numbering_ok(const struct ike_prop *props, size_t n)
{
	if (n == 1)
		return props[0].num != 0;
	for (size_t i = 0; i < n; i++)
		if (props[i].num != i + 1)
			return false;
	return true;
}

bool ike_build_sa(struct ike_builder *b, const struct ike_prop *props, size_t n)
{
	size_t start;

	if (n == 0 || n > IKE_MAX_PROPOSALS || !numbering_ok(props, n))
		return fail(b);
	if (!open_payload(b, IKE_PL_SA, false, &start))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!put_prop(b, &props[i], i + 1 == n))
			return false;
	return close_len16(b, start);
}

/* ---- KE, ID, AUTH, Nonce (§3.4, §3.5, §3.8, §3.9) ---- */

/* A payload whose body is four bytes of fixed fields (an ID type, an
 * auth method or a group, then RESERVED) and at least one byte of data. */
static bool put_fixed4(struct ike_builder *b, uint8_t type, const uint8_t head[4],
		       const uint8_t *data, size_t len)
{
	size_t start;

	if (len == 0)
		return fail(b);
	if (!open_payload(b, type, false, &start))
		return false;
	wbuf_bytes(&b->w, head, 4);
	wbuf_bytes(&b->w, data, len);
	return close_len16(b, start);
}

bool ike_build_ke(struct ike_builder *b, uint16_t group, const uint8_t *data, size_t len)
{
	const uint8_t head[4] = { (uint8_t)(group >> 8), (uint8_t)group, 0, 0 };

	return put_fixed4(b, IKE_PL_KE, head, data, len);
}

bool ike_build_id(struct ike_builder *b, bool is_idr, uint8_t type,
		  const uint8_t *data, size_t len)
{
	const uint8_t head[4] = { type, 0, 0, 0 };

	return put_fixed4(b, is_idr ? IKE_PL_IDR : IKE_PL_IDI, head, data, len);
}

bool ike_build_auth(struct ike_builder *b, uint8_t method, const uint8_t *data, size_t len)
{
	const uint8_t head[4] = { method, 0, 0, 0 };

	return put_fixed4(b, IKE_PL_AUTH, head, data, len);
}

bool ike_build_nonce(struct ike_builder *b, const uint8_t *data, size_t len)
{
	if (len < IKE_NONCE_MIN || len > IKE_NONCE_MAX)
		return fail(b);
	return ike_build_raw(b, IKE_PL_NONCE, false, data, len);
}

/* ---- Notify, Delete (§3.10, §3.11) ---- */

bool ike_build_notify(struct ike_builder *b, uint8_t protocol, const uint8_t *spi,
		      uint8_t spi_len, uint16_t type, const uint8_t *data, size_t len)
{
	size_t start;

	if (spi_len != 0 && spi_len != 4 && spi_len != 8)
		return fail(b);
	if (!open_payload(b, IKE_PL_NOTIFY, false, &start))
		return false;
	wbuf_u8(&b->w, protocol);
	wbuf_u8(&b->w, spi_len);
	wbuf_u16(&b->w, type);
	wbuf_bytes(&b->w, spi, spi_len);
	wbuf_bytes(&b->w, data, len);
	return close_len16(b, start);
}

bool ike_build_delete(struct ike_builder *b, uint8_t protocol, const uint8_t *spis, size_t n)
{
	bool is_ike = protocol == IKE_PROTO_IKE;
	size_t start;

	/* §3.11: the IKE SA is named by the header, a Child SA by its
	 * 4-byte SPI. */
	if (is_ike && n != 0)
		return fail(b);
	if (!is_ike && ((protocol != IKE_PROTO_ESP && protocol != IKE_PROTO_AH) ||
			n > UINT16_MAX))
		return fail(b);
	if (!open_payload(b, IKE_PL_DELETE, false, &start))
		return false;
	wbuf_u8(&b->w, protocol);
	wbuf_u8(&b->w, is_ike ? 0 : 4);
	wbuf_u16(&b->w, (uint16_t)n);
	wbuf_bytes(&b->w, spis, n * 4);
	return close_len16(b, start);
}

/* ---- TS (§3.13) ---- */

static bool ts_ok(const struct ike_ts *ts)
{
	int family = ts->type == IKE_TS_IPV4_ADDR_RANGE ? AF_INET : AF_INET6;
	bool is_opaque = ts->start_port == 65535 && ts->end_port == 0;

	if (ts->type != IKE_TS_IPV4_ADDR_RANGE && ts->type != IKE_TS_IPV6_ADDR_RANGE)
		return false;
	if (ts->start.family != family || ts->end.family != family)
		return false;
	if (ts->start_port > ts->end_port && !is_opaque)
		return false;
	return memcmp(addr_bytes(&ts->start), addr_bytes(&ts->end),
		      addr_len(&ts->start)) <= 0;
}

static bool put_ts(struct ike_builder *b, const struct ike_ts *ts)
{
	size_t alen = addr_len(&ts->start);

	if (!ts_ok(ts))
		return fail(b);
	wbuf_u8(&b->w, ts->type);
	wbuf_u8(&b->w, ts->ip_proto);
	wbuf_u16(&b->w, (uint16_t)(8 + 2 * alen));
	wbuf_u16(&b->w, ts->start_port);
	wbuf_u16(&b->w, ts->end_port);
	wbuf_bytes(&b->w, addr_bytes(&ts->start), alen);
	wbuf_bytes(&b->w, addr_bytes(&ts->end), alen);
	return wbuf_ok(&b->w);
}

bool ike_build_ts(struct ike_builder *b, bool is_tsr, const struct ike_ts *ts, size_t n)
{
	size_t start;

	if (n == 0 || n > IKE_MAX_TS)
		return fail(b);
	if (!open_payload(b, is_tsr ? IKE_PL_TSR : IKE_PL_TSI, false, &start))
		return false;
	wbuf_u8(&b->w, (uint8_t)n);
	wbuf_fill(&b->w, 0, 3);
	for (size_t i = 0; i < n; i++)
		if (!put_ts(b, &ts[i]))
			return false;
	return close_len16(b, start);
}
