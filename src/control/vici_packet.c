/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * VICI packets: the length-prefixed framing of the stream, the packet
 * header (type, name) and the incremental reader. Messages are in
 * vici_msg.c.
 */
#include "control/vici.h"

#include <stdlib.h>
#include <string.h>

/* A body buffer this large or smaller is kept for the next packet; a
 * larger one (a big load-conn) goes back to the allocator once used, so
 * that idle clients hold little memory. */
#define READER_KEEP 4096u

static const struct {
	const char *name;
	bool is_named;
	bool has_msg;
} pkt_types[] = {
	[VICI_CMD_REQUEST] = { "CMD_REQUEST", true, true },
	[VICI_CMD_RESPONSE] = { "CMD_RESPONSE", false, true },
	[VICI_CMD_UNKNOWN] = { "CMD_UNKNOWN", false, false },
	[VICI_EVENT_REGISTER] = { "EVENT_REGISTER", true, false },
	[VICI_EVENT_UNREGISTER] = { "EVENT_UNREGISTER", true, false },
	[VICI_EVENT_CONFIRM] = { "EVENT_CONFIRM", false, false },
	[VICI_EVENT_UNKNOWN] = { "EVENT_UNKNOWN", false, false },
	[VICI_EVENT] = { "EVENT", true, true },
};

bool vici_pkt_is_named(enum vici_pkt type)
{
	return (unsigned)type <= VICI_PKT_LAST && pkt_types[type].is_named;
}

bool vici_pkt_has_msg(enum vici_pkt type)
{
	return (unsigned)type <= VICI_PKT_LAST && pkt_types[type].has_msg;
}

const char *vici_pkt_name(unsigned type)
{
	return type <= VICI_PKT_LAST ? pkt_types[type].name : "?";
}

/*
 *   +--------+--------+------//------+-----------//-----------+
 *   |  type  |name len|     name     |        message         |
 *   +--------+--------+------//------+-----------//-----------+
 */
static int packet_decode(const uint8_t *buf, size_t len, struct vici_packet *pkt)
{
	const uint8_t *name;
	struct cur c;
	uint8_t type, name_len = 0;

	cur_init(&c, buf, len);
	if (!cur_u8(&c, &type) || type > VICI_PKT_LAST)
		return IFS_ERR_SYNTAX;
	pkt->type = (enum vici_pkt)type;
	if (vici_pkt_is_named(pkt->type)) {
		if (!cur_u8(&c, &name_len) || !cur_bytes(&c, name_len, &name))
			return IFS_ERR_SYNTAX;
		/* The name is ASCII without a terminator (README "Packet
		 * layer"); a NUL inside would cut it short in C. */
		if (memchr(name, '\0', name_len))
			return IFS_ERR_SYNTAX;
		memcpy(pkt->name, name, name_len);
		pkt->name_len = name_len;
	}
	if (!vici_pkt_has_msg(pkt->type))
		return cur_end(&c) ? 0 : IFS_ERR_SYNTAX;
	if (!cur_rest(&c, &pkt->msg, &pkt->msg_len))
		return IFS_ERR_SYNTAX;
	if (pkt->msg_len == 0)
		pkt->msg = NULL;
	return 0;
}

int vici_packet_decode(const uint8_t *buf, size_t len, struct vici_packet *pkt)
{
	int rc;

	memset(pkt, 0, sizeof(*pkt));
	rc = packet_decode(buf, len, pkt);
	if (rc < 0)
		memset(pkt, 0, sizeof(*pkt));
	return rc;
}

/* ---- The reader -------------------------------------------------------- */

int vici_reader_init(struct vici_reader *r, size_t max_len)
{
	memset(r, 0, sizeof(*r));
	if (max_len == 0 || max_len > UINT32_MAX)
		return IFS_ERR_INVAL;
	r->max_len = max_len;
	return 0;
}

void vici_reader_clear(struct vici_reader *r)
{
	if (!r)
		return;
	free(r->body);
	memset(r, 0, sizeof(*r));
}

bool vici_reader_is_idle(const struct vici_reader *r)
{
	return r->is_delivered || (r->hdr_len == 0 && r->body_len == 0);
}

static int reader_fail(struct vici_reader *r, int err)
{
	r->err = err;
	return err;
}

/* Forget the packet handed out last time. */
static void reader_next_packet(struct vici_reader *r)
{
	r->is_delivered = false;
	r->hdr_len = 0;
	r->body_len = 0;
	r->want = 0;
	if (r->body_cap > READER_KEEP) {
		free(r->body);
		r->body = NULL;
		r->body_cap = 0;
	}
}

/* The length field is complete: check it before anything else, so that
 * no length from the peer is acted on before it was found within
 * max_len. */
static int reader_check_len(struct vici_reader *r)
{
	struct cur c;
	uint32_t len;

	cur_init(&c, r->hdr, sizeof(r->hdr));
	if (!cur_u32(&c, &len))
		return IFS_ERR_SYNTAX;
	if (len > r->max_len)
		return IFS_ERR_RANGE;
	if (len == 0)        /* not even a packet type */
		return IFS_ERR_SYNTAX;
	r->want = len;
	return 0;
}

/* Room for n more bytes of the packet. The buffer grows with the bytes
 * that arrived, not with the length claimed, so that a client that sends
 * only a length field pins no more than a small buffer. */
static int reader_grow(struct vici_reader *r, size_t n)
{
	size_t need = r->body_len + n, cap = r->body_cap;
	uint8_t *p;

	if (need <= cap)
		return 0;
	cap = cap < 256 ? 256 : cap;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	if (cap > r->want)
		cap = r->want;
	p = realloc(r->body, cap);
	if (!p)
		return IFS_ERR_NOMEM;
	r->body = p;
	r->body_cap = cap;
	return 0;
}

/* 1 once the length field is complete, 0 when in ran out first. */
static int reader_take_hdr(struct vici_reader *r, struct cur *in)
{
	int rc;

	while (r->hdr_len < sizeof(r->hdr)) {
		if (cur_left(in) == 0)
			return 0;
		if (!cur_u8(in, &r->hdr[r->hdr_len]))
			return IFS_ERR_SYNTAX;
		r->hdr_len++;
		if (r->hdr_len == sizeof(r->hdr)) {
			rc = reader_check_len(r);
			if (rc < 0)
				return rc;
		}
	}
	return 1;
}

int vici_reader_push(struct vici_reader *r, struct cur *in, struct vici_packet *pkt)
{
	size_t n;
	int rc;

	memset(pkt, 0, sizeof(*pkt));
	if (r->err)
		return r->err;
	if (r->max_len == 0)
		return reader_fail(r, IFS_ERR_INVAL);
	if (r->is_delivered)
		reader_next_packet(r);
	rc = reader_take_hdr(r, in);
	if (rc <= 0)
		return rc < 0 ? reader_fail(r, rc) : 0;
	n = r->want - r->body_len;
	if (n > cur_left(in))
		n = cur_left(in);
	rc = reader_grow(r, n);
	if (rc < 0)
		return reader_fail(r, rc);
	if (n > 0 && !cur_copy(in, &r->body[r->body_len], n))
		return reader_fail(r, IFS_ERR_SYNTAX);
	r->body_len += n;
	if (r->body_len < r->want)
		return 0;
	rc = vici_packet_decode(r->body, r->want, pkt);
	if (rc < 0)
		return reader_fail(r, rc);
	r->is_delivered = true;
	return 1;
}

/* ---- Building a packet ------------------------------------------------- */

static void build_init(struct vici_builder *b, struct wbuf *w)
{
	memset(b, 0, sizeof(*b));
	b->w = w;
	b->start = wbuf_len(w);
	b->can_have_msg = true;
	if (!wbuf_ok(w))
		b->err = IFS_ERR_FULL;
}

void vici_build_message(struct vici_builder *b, struct wbuf *w)
{
	build_init(b, w);
}

void vici_build_packet(struct vici_builder *b, struct wbuf *w,
		       enum vici_pkt type, const char *name)
{
	size_t name_len = name ? strlen(name) : 0;

	build_init(b, w);
	if (b->err)
		return;
	b->can_have_msg = vici_pkt_has_msg(type);
	if ((unsigned)type > VICI_PKT_LAST ||
	    vici_pkt_is_named(type) != (name != NULL)) {
		b->err = IFS_ERR_INVAL;
		return;
	}
	if (name_len > VICI_NAME_MAX) {
		b->err = IFS_ERR_RANGE;
		return;
	}
	if (!wbuf_reserve(w, VICI_LEN_HDR, &b->len_field) ||
	    !wbuf_u8(w, (uint8_t)type))
		b->err = IFS_ERR_FULL;
	else if (name && (!wbuf_u8(w, (uint8_t)name_len) ||
			  !wbuf_bytes(w, name, name_len)))
		b->err = IFS_ERR_FULL;
}

int vici_build_finish(struct vici_builder *b, size_t *len)
{
	size_t n;
	struct wbuf lw;

	*len = 0;
	if (b->err)
		return b->err;
	if (!wbuf_ok(b->w))
		return b->err = IFS_ERR_FULL;
	if (b->depth != 0 || b->is_in_list)
		return b->err = IFS_ERR_INVAL;
	n = wbuf_len(b->w) - b->start;
	if (b->len_field) {
		if (n - VICI_LEN_HDR > UINT32_MAX)
			return b->err = IFS_ERR_RANGE;
		wbuf_init(&lw, b->len_field, VICI_LEN_HDR);
		(void)wbuf_u32(&lw, (uint32_t)(n - VICI_LEN_HDR));
	}
	*len = n;
	return 0;
}
