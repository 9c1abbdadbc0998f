/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Payload bodies (RFC 7296 §3.3-§3.13) into their structures. Each body
 * is read through a cursor; every substructure (proposal, transform,
 * attribute, selector) through a child cursor of its declared length, so
 * that a length that disagrees with its parent, a count that disagrees
 * with the bytes, or leftover bytes are all IFS_ERR_SYNTAX. RESERVED
 * fields are read and ignored (§2.5). What is acceptable (algorithms,
 * groups, ID types) is not decided here.
 */
#include "ike/msg.h"

#include <string.h>

#include "common/cur.h"

#define PROP_HDR_LEN 8             /* §3.3.1, before the SPI */
#define XF_HDR_LEN 8               /* §3.3.2 */
#define TS_HDR_LEN 8               /* §3.13.1, before the addresses */
#define TS_V4_LEN 16
#define TS_V6_LEN 40

/*
 * §3.3.5 Transform attribute:
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |A|       Attribute Type        |    AF=0  Attribute Length     |
 * |F|                             |    AF=1  Attribute Value      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                   AF=0  Attribute Value                       |
 * |                   AF=1  Not Transmitted                       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Key Length is the only attribute IKEv2 defines, and only in TV form.
 * Anything else (another type, the TLV form, a second Key Length) marks
 * the transform: §3.3.6 makes such a transform unacceptable, which is
 * selection's business, not a syntax error.
 */
static bool decode_attrs(struct cur *c, struct ike_xf *xf)
{
	bool has_key_len = false;
	uint16_t type, val;

	while (cur_left(c) > 0) {
		if (!cur_u16(c, &type) || !cur_u16(c, &val))
			return false;
		if (!(type & IKE_ATTR_FORMAT_TV)) {
			/* TLV: val is the length of the value that follows. */
			if (!cur_skip(c, val))
				return false;
			xf->has_unknown_attr = true;
		} else if ((type & ~IKE_ATTR_FORMAT_TV) == IKE_ATTR_KEY_LENGTH &&
			   !has_key_len) {
			/* 0 is kept: selection refuses it. */
			xf->key_bits = val;
			has_key_len = true;
		} else {
			xf->has_unknown_attr = true;
		}
	}
	return cur_ok(c);
}

/*
 * §3.3.2 Transform substructure:
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Last Substruc |   RESERVED    |        Transform Length       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Transform Type |   RESERVED    |          Transform ID         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                      Transform Attributes                     ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
static bool decode_xf(struct cur *c, bool is_last, struct ike_xf *xf)
{
	uint8_t marker, rsv;
	uint16_t xf_len;
	struct cur body;

	memset(xf, 0, sizeof(*xf));
	if (!cur_u8(c, &marker) || !cur_u8(c, &rsv) || !cur_u16(c, &xf_len))
		return false;
	/* §3.3.2: 3 while more transforms follow, 0 on the last one. */
	if (marker != (is_last ? IKE_LAST_TRANSFORM : IKE_MORE_TRANSFORMS))
		return false;
	if (xf_len < XF_HDR_LEN || !cur_sub(c, (size_t)xf_len - 4, &body))
		return false;
	if (!cur_u8(&body, &xf->type) || !cur_u8(&body, &rsv) ||
	    !cur_u16(&body, &xf->id))
		return false;
	return decode_attrs(&body, xf);
}

/* §3.3.1 SPI sizes: IKE 0 (first exchange) or 8 (rekey), ESP and AH 4.
 * Unknown protocols are kept for selection to skip, as long as their
 * SPI fits the structure. */
static bool spi_len_ok(const struct ike_prop *p)
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

/*
 * §3.3.1 Proposal substructure (after Last Substruc, RESERVED and
 * Proposal Length, which the caller has read):
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Proposal Num  |  Protocol ID  |    SPI Size   |Num  Transforms|
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                        SPI (variable)                         ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                        <Transforms>                           ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
static bool decode_prop(struct cur *c, struct ike_prop *p)
{
	uint8_t n_xf;

	memset(p, 0, sizeof(*p));
	if (!cur_u8(c, &p->num) || !cur_u8(c, &p->protocol) ||
	    !cur_u8(c, &p->spi_len) || !cur_u8(c, &n_xf))
		return false;
	if (!spi_len_ok(p) || n_xf > IKE_MAX_TRANSFORMS ||
	    !cur_copy(c, p->spi, p->spi_len))
		return false;
	for (size_t i = 0; i < n_xf; i++)
		if (!decode_xf(c, i + 1 == n_xf, &p->xf[i]))
			return false;
	p->n_xf = n_xf;
	/* Bytes left over: Num Transforms said fewer than there are. */
	return cur_end(c);
}

/* §3.3.1: proposals in a request are numbered 1, 2, 3...; the single
 * proposal of a reply carries the number of the one accepted, which may
 * be any of them. So a lone proposal needs only a number that is not 0. */
static bool numbering_ok(const struct ike_sa_pl *sa)
{
	if (sa->n == 1)
		return sa->v[0].num != 0;
	for (size_t i = 0; i < sa->n; i++)
		if (sa->v[i].num != i + 1)
			return false;
	return true;
}

int ike_decode_sa(const struct ike_payload *p, struct ike_sa_pl *out)
{
	uint8_t marker, rsv;
	uint16_t prop_len;
	struct cur c, body;

	memset(out, 0, sizeof(*out));
	cur_init(&c, p->body, p->len);
	do {
		if (out->n == IKE_MAX_PROPOSALS)
			goto bad;
		if (!cur_u8(&c, &marker) || !cur_u8(&c, &rsv) ||
		    !cur_u16(&c, &prop_len))
			goto bad;
		if (prop_len < PROP_HDR_LEN ||
		    !cur_sub(&c, (size_t)prop_len - 4, &body) ||
		    !decode_prop(&body, &out->v[out->n]))
			goto bad;
		out->n++;
		/* §3.3.1: 2 while more proposals follow, 0 on the last, and
		 * the last one ends the payload. */
		if (marker != (cur_left(&c) > 0 ? IKE_MORE_PROPOSALS : IKE_LAST_PROPOSAL))
			goto bad;
	} while (cur_left(&c) > 0);
	if (!cur_end(&c) || !numbering_ok(out))
		goto bad;
	return 0;
bad:
	memset(out, 0, sizeof(*out));
	return IFS_ERR_SYNTAX;
}

/*
 * §3.4 Key Exchange (body):
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Diffie-Hellman Group Num    |           RESERVED            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                       Key Exchange Data                       ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * The data length against the group is checked by whoever knows it.
 */
int ike_decode_ke(const struct ike_payload *p, struct ike_ke_pl *out)
{
	uint16_t rsv;
	struct cur c;

	memset(out, 0, sizeof(*out));
	cur_init(&c, p->body, p->len);
	if (!cur_u16(&c, &out->group) || !cur_u16(&c, &rsv) ||
	    !cur_rest(&c, &out->data, &out->len) || out->len == 0) {
		memset(out, 0, sizeof(*out));
		return IFS_ERR_SYNTAX;
	}
	return 0;
}

/*
 * §3.5 Identification (body):
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   ID Type     |                 RESERVED                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                   Identification Data                         ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * AUTH signs the body as received, RESERVED included (§2.15).
 */
int ike_decode_id(const struct ike_payload *p, struct ike_id_pl *out)
{
	struct cur c;

	memset(out, 0, sizeof(*out));
	cur_init(&c, p->body, p->len);
	if (!cur_u8(&c, &out->type) || !cur_skip(&c, 3) ||
	    !cur_rest(&c, &out->data, &out->len) || out->len == 0) {
		memset(out, 0, sizeof(*out));
		return IFS_ERR_SYNTAX;
	}
	out->body = p->body;
	out->body_len = p->len;
	return 0;
}

/*
 * §3.8 Authentication (body):
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Auth Method   |                RESERVED                       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                      Authentication Data                      ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
int ike_decode_auth(const struct ike_payload *p, struct ike_auth_pl *out)
{
	struct cur c;

	memset(out, 0, sizeof(*out));
	cur_init(&c, p->body, p->len);
	if (!cur_u8(&c, &out->method) || !cur_skip(&c, 3) ||
	    !cur_rest(&c, &out->data, &out->len) || out->len == 0) {
		memset(out, 0, sizeof(*out));
		return IFS_ERR_SYNTAX;
	}
	return 0;
}

/* §3.9 Nonce: the body is the nonce, "at least 16 octets and at most
 * 256 octets". */
int ike_decode_nonce(const struct ike_payload *p, struct ike_nonce_pl *out)
{
	memset(out, 0, sizeof(*out));
	if (p->len < IKE_NONCE_MIN || p->len > IKE_NONCE_MAX)
		return IFS_ERR_SYNTAX;
	out->data = p->body;
	out->len = p->len;
	return 0;
}

/*
 * §3.10 Notify (body):
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Protocol ID  |   SPI Size    |      Notify Message Type      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                Security Parameter Index (SPI)                 ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                       Notification Data                       ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * The protocol is not checked here: which protocol a notify type may
 * carry is for its handler (Libreswan CVE-2023-38710).
 */
int ike_decode_notify(const struct ike_payload *p, struct ike_notify_pl *out)
{
	struct cur c;

	memset(out, 0, sizeof(*out));
	cur_init(&c, p->body, p->len);
	if (!cur_u8(&c, &out->protocol) || !cur_u8(&c, &out->spi_len) ||
	    !cur_u16(&c, &out->type))
		goto bad;
	if (out->spi_len != 0 && out->spi_len != 4 && out->spi_len != 8)
		goto bad;
	if (!cur_bytes(&c, out->spi_len, &out->spi) ||
	    !cur_rest(&c, &out->data, &out->len))
		goto bad;
	if (out->spi_len == 0)
		out->spi = NULL;
	return 0;
bad:
	memset(out, 0, sizeof(*out));
	return IFS_ERR_SYNTAX;
}

/*
 * §3.11 Delete (body):
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Protocol ID   |   SPI Size    |          Num of SPIs          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~               Security Parameter Index(es) (SPI)              ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * Deleting the IKE SA names no SPI (it is in the header); ESP and AH
 * list 4-byte SPIs, exactly as many as counted.
 */
int ike_decode_delete(const struct ike_payload *p, struct ike_delete_pl *out)
{
	uint8_t spi_len;
	struct cur c;

	memset(out, 0, sizeof(*out));
	cur_init(&c, p->body, p->len);
	if (!cur_u8(&c, &out->protocol) || !cur_u8(&c, &spi_len) ||
	    !cur_u16(&c, &out->n_spi))
		goto bad;
	if (out->protocol == IKE_PROTO_IKE) {
		if (spi_len != 0 || out->n_spi != 0 || !cur_end(&c))
			goto bad;
		return 0;
	}
	if (out->protocol != IKE_PROTO_ESP && out->protocol != IKE_PROTO_AH)
		goto bad;
	/* n_spi <= 65535, so n_spi * 4 cannot overflow size_t. */
	if (spi_len != 4 || cur_left(&c) != (size_t)out->n_spi * 4 ||
	    !cur_bytes(&c, (size_t)out->n_spi * 4, &out->spis))
		goto bad;
	if (out->n_spi == 0)
		out->spis = NULL;
	return 0;
bad:
	memset(out, 0, sizeof(*out));
	return IFS_ERR_SYNTAX;
}

/* Byte order is numeric order for addresses in network order. */
static bool range_ok(const struct ike_ts *ts)
{
	/* §3.13.1: "OPAQUE" ports, but not "ANY", are start 65535 and end
	 * 0; the one range that may run backwards. */
	bool is_opaque = ts->start_port == 65535 && ts->end_port == 0;

	if (ts->start_port > ts->end_port && !is_opaque)
		return false;
	return memcmp(addr_bytes(&ts->start), addr_bytes(&ts->end),
		      addr_len(&ts->start)) <= 0;
}

/* The addresses of a selector of a known type, whose header the caller
 * has read; the length was checked against the type. */
static bool decode_ts_addrs(struct cur *c, struct ike_ts *ts)
{
	int family = ts->type == IKE_TS_IPV4_ADDR_RANGE ? AF_INET : AF_INET6;
	size_t alen = family == AF_INET ? 4 : 16;
	const uint8_t *a, *b;

	if (!cur_u16(c, &ts->start_port) || !cur_u16(c, &ts->end_port) ||
	    !cur_bytes(c, alen, &a) || !cur_bytes(c, alen, &b) || !cur_end(c))
		return false;
	if (addr_from_bytes(&ts->start, family, a) != 0 ||
	    addr_from_bytes(&ts->end, family, b) != 0)
		return false;
	return range_ok(ts);
}

/*
 * §3.13.1 Traffic selector:
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   TS Type     |IP Protocol ID*|       Selector Length         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           Start Port*         |           End Port*           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                         Starting Address*                     ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                         Ending Address*                       ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * Only the first four octets are common to every type; an unknown type
 * is skipped by its length, which must at least cover the port fields.
 */
static bool decode_one_ts(struct cur *c, struct ike_ts_pl *out)
{
	struct ike_ts ts;
	uint16_t ts_len;
	struct cur body;

	memset(&ts, 0, sizeof(ts));
	if (!cur_u8(c, &ts.type) || !cur_u8(c, &ts.ip_proto) ||
	    !cur_u16(c, &ts_len))
		return false;
	if (ts_len < TS_HDR_LEN || !cur_sub(c, (size_t)ts_len - 4, &body))
		return false;
	if (ts.type == IKE_TS_IPV4_ADDR_RANGE || ts.type == IKE_TS_IPV6_ADDR_RANGE) {
		if (ts_len != (ts.type == IKE_TS_IPV4_ADDR_RANGE ? TS_V4_LEN : TS_V6_LEN))
			return false;
		if (!decode_ts_addrs(&body, &ts))
			return false;
		out->v[out->n++] = ts;
	} else {
		out->n_unknown++;
	}
	return true;
}

/*
 * §3.13 Traffic Selector payload (body):
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Number of TSs |                 RESERVED                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                       <Traffic Selectors>                     ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * Libreswan CVE-2023-23009 trusted the count; here the count must match
 * the selectors present exactly.
 */
int ike_decode_ts(const struct ike_payload *p, struct ike_ts_pl *out)
{
	uint8_t n_ts;
	struct cur c;

	memset(out, 0, sizeof(*out));
	cur_init(&c, p->body, p->len);
	if (!cur_u8(&c, &n_ts) || !cur_skip(&c, 3))
		goto bad;
	if (n_ts == 0 || n_ts > IKE_MAX_TS)
		goto bad;
	for (size_t i = 0; i < n_ts; i++)
		if (!decode_one_ts(&c, out))
			goto bad;
	if (!cur_end(&c))
		goto bad;
	return 0;
bad:
	memset(out, 0, sizeof(*out));
	return IFS_ERR_SYNTAX;
}
