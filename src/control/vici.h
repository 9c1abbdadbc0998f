/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef IFS_CONTROL_VICI_H
#define IFS_CONTROL_VICI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "common/cur.h"
#include "common/err.h"
#include "common/wbuf.h"

/*
 * The VICI wire codec (strongSwan's src/libcharon/plugins/vici/README.md),
 * shared by ifsecd and ifsecctl so that strongSwan's swanctl and ifsecctl
 * both talk to the daemon.
 *
 * Transport: a stream of byte sequences, each a 32-bit big-endian length
 * (not counting itself) and that many bytes. Each sequence is one packet:
 *
 *   +--------+--------+-----------//-----+-------------//-------------+
 *   |  type  |name len| name (no NUL)    | message (to the end)       |
 *   +--------+--------+-----------//-----+-------------//-------------+
 *              named types only             CMD_REQUEST, CMD_RESPONSE,
 *                                           EVENT only
 *
 * A message is a sequence of elements, each a type byte and then:
 *   SECTION_START  name          (8-bit length + bytes)
 *   SECTION_END    -
 *   KEY_VALUE      name, value   (16-bit big-endian length + bytes)
 *   LIST_START     name
 *   LIST_ITEM      value
 *   LIST_END       -
 * Sections nest and balance; a list holds only items, never nests, and
 * must be closed; key/values and sections never appear inside a list.
 * The message ends where the packet ends.
 *
 * Limits (all checked when parsing, and by the builder so that it never
 * writes what the parser would refuse): VICI_MAX_DEPTH sections deep,
 * VICI_MAX_ELEMENTS elements per message, names up to 255 bytes, values
 * up to 65535 bytes. A packet's length is bounded by the reader's
 * maximum, checked before anything is allocated.
 */

#define VICI_LEN_HDR 4
#define VICI_MAX_PACKET (512u * 1024u)  /* strongSwan's segment limit */
#define VICI_NAME_MAX 255u
#define VICI_VALUE_MAX 65535u
#define VICI_MAX_DEPTH 16u
#define VICI_MAX_ELEMENTS 65536u

/* Packet types (README "Packet layer"). */
enum vici_pkt {
	VICI_CMD_REQUEST = 0,        /* named, message */
	VICI_CMD_RESPONSE = 1,       /* message */
	VICI_CMD_UNKNOWN = 2,
	VICI_EVENT_REGISTER = 3,     /* named */
	VICI_EVENT_UNREGISTER = 4,   /* named */
	VICI_EVENT_CONFIRM = 5,
	VICI_EVENT_UNKNOWN = 6,
	VICI_EVENT = 7,              /* named, message */
};
#define VICI_PKT_LAST VICI_EVENT

/* Message element types (README "Message format"). */
enum vici_elem {
	VICI_SECTION_START = 1,
	VICI_SECTION_END = 2,
	VICI_KEY_VALUE = 3,
	VICI_LIST_START = 4,
	VICI_LIST_ITEM = 5,
	VICI_LIST_END = 6,
};

bool vici_pkt_is_named(enum vici_pkt type);
bool vici_pkt_has_msg(enum vici_pkt type);
/* "CMD_REQUEST", ...; "?" for a number that is no packet type. */
const char *vici_pkt_name(unsigned type);

/* ---- Packets ----------------------------------------------------------- */

struct vici_packet {
	enum vici_pkt type;
	char name[VICI_NAME_MAX + 1];   /* "" for unnamed types */
	size_t name_len;
	const uint8_t *msg;             /* borrowed; NULL when msg_len is 0 */
	size_t msg_len;
};

/* One packet without its length field: buf[0..len). Unknown type, a name
 * past the end or holding a NUL, and bytes after a packet that carries no
 * message are IFS_ERR_SYNTAX. pkt->msg borrows from buf. */
int vici_packet_decode(const uint8_t *buf, size_t len,
		       struct vici_packet *pkt) IFS_MUST_CHECK;

/*
 * The incremental reader: takes bytes from a stream as they come and
 * yields whole packets. It holds one packet at a time, so a client that
 * sends many requests at once is read one request at a time: the bytes
 * after a complete packet stay in the caller's cursor.
 */
struct vici_reader {
	size_t max_len;        /* largest length field accepted */
	uint8_t hdr[VICI_LEN_HDR];
	size_t hdr_len;        /* bytes of hdr received */
	uint8_t *body;         /* heap; grows with the bytes received */
	size_t body_cap;
	size_t body_len;       /* bytes of the packet received */
	size_t want;           /* the packet's length, once hdr is complete */
	bool is_delivered;     /* the packet in body was handed out */
	int err;               /* sticky: 0, or why the stream is unusable */
};

/* max_len: 1 .. UINT32_MAX (VICI_MAX_PACKET is strongSwan's). */
int vici_reader_init(struct vici_reader *r, size_t max_len) IFS_MUST_CHECK;
void vici_reader_clear(struct vici_reader *r);
/*
 * Take bytes from in until one packet is complete. Returns 1 with *pkt
 * filled (its message borrowed from the reader until the next push or
 * clear), 0 when in is used up first, or a negative error, which sticks:
 * IFS_ERR_RANGE for a length over max_len (nothing is allocated for it),
 * IFS_ERR_SYNTAX for a length of 0 or a packet vici_packet_decode()
 * refuses, IFS_ERR_NOMEM. Call again with the same cursor while it
 * returns 1.
 */
int vici_reader_push(struct vici_reader *r, struct cur *in,
		     struct vici_packet *pkt) IFS_MUST_CHECK;
/* True between packets: a stream that ends here ended cleanly; one that
 * ends anywhere else was cut in the middle of a packet. */
bool vici_reader_is_idle(const struct vici_reader *r);

/* ---- Building ---------------------------------------------------------- */

/*
 * Builds one packet, or one bare message, at the end of a wbuf (so that
 * several packets can queue in one buffer). The element calls return
 * false once anything failed; the first error sticks and
 * vici_build_finish() returns it: IFS_ERR_RANGE for a name, value, depth
 * or element count over its limit, IFS_ERR_INVAL for an element where the
 * grammar forbids it, IFS_ERR_FULL when the wbuf ran out. After a failure
 * the wbuf holds a partial packet from offset b->start on: drop it.
 */
struct vici_builder {
	struct wbuf *w;
	size_t start;          /* wbuf_len() when the packet began */
	uint8_t *len_field;    /* the packet's length field, NULL for a bare message */
	size_t n_elements;
	unsigned depth;        /* open sections */
	bool is_in_list;
	bool can_have_msg;
	int err;
};

void vici_build_packet(struct vici_builder *b, struct wbuf *w,
		       enum vici_pkt type, const char *name);
void vici_build_message(struct vici_builder *b, struct wbuf *w);

bool vici_begin_section(struct vici_builder *b, const char *name);
bool vici_end_section(struct vici_builder *b);
bool vici_kv(struct vici_builder *b, const char *key, const void *value,
	     size_t len);
bool vici_kv_str(struct vici_builder *b, const char *key, const char *value);
bool vici_kv_printf(struct vici_builder *b, const char *key,
		    const char *fmt, ...) IFS_PRINTF(3, 4);
bool vici_begin_list(struct vici_builder *b, const char *name);
bool vici_list_item(struct vici_builder *b, const void *value, size_t len);
bool vici_list_item_str(struct vici_builder *b, const char *value);
bool vici_list_printf(struct vici_builder *b, const char *fmt, ...) IFS_PRINTF(2, 3);
bool vici_end_list(struct vici_builder *b);

struct vici_node;
/* Write the members of a parsed section (or root) again, in order. */
bool vici_add_children(struct vici_builder *b, const struct vici_node *sec);

/* Check that every section and list is closed, fill in the packet's
 * length and give the bytes written since b->start (length field
 * included). */
int vici_build_finish(struct vici_builder *b, size_t *len) IFS_MUST_CHECK;

/* ---- Parsing ----------------------------------------------------------- */

enum vici_node_kind {
	VICI_NODE_SECTION,     /* the root, or a named section */
	VICI_NODE_KV,
	VICI_NODE_LIST,
	VICI_NODE_ITEM,
};

/* A parsed element. Names and values are copies, each followed by a NUL
 * that is not counted in its length; a name never holds a NUL, a value
 * may (vici_node_is_str() tells). */
struct vici_node {
	enum vici_node_kind kind;
	const char *name;              /* "" for the root and for items */
	size_t name_len;
	const uint8_t *value;          /* KV and ITEM; NULL otherwise */
	size_t value_len;
	struct vici_node *children;    /* SECTION: members; LIST: items */
	struct vici_node *next;        /* the next sibling */
};

/* A parsed message: every node and byte in one allocation. */
struct vici_msg;

/*
 * Parse a whole message (a packet's msg bytes) into a tree. Malformed
 * input is IFS_ERR_SYNTAX; depth over VICI_MAX_DEPTH or more than
 * VICI_MAX_ELEMENTS elements is IFS_ERR_RANGE. Nothing is borrowed from
 * buf. Duplicate keys are kept; lookups find the first.
 */
int vici_msg_parse(const uint8_t *buf, size_t len,
		   struct vici_msg **out) IFS_MUST_CHECK;
void vici_msg_free(struct vici_msg *m);
const struct vici_node *vici_msg_root(const struct vici_msg *m);
size_t vici_msg_n_elements(const struct vici_msg *m);

/* The member of a section named exactly name (which may hold dots). */
const struct vici_node *vici_child(const struct vici_node *sec, const char *name);
/* A member found by a path of names separated by dots ("a.b.key"), each
 * but the last naming a section. NULL if there is none. */
const struct vici_node *vici_find(const struct vici_node *sec, const char *path);
/* The value of the key/value at path as a string: IFS_ERR_NOT_FOUND (also
 * when path names no key/value), IFS_ERR_INVAL for a value holding a NUL,
 * IFS_ERR_RANGE when it does not fit in len bytes with its NUL. */
int vici_get_str(const struct vici_node *sec, const char *path, char *buf,
		 size_t len) IFS_MUST_CHECK;
/* The value as a decimal integer in min..max, as charon reads "timeout"
 * or "ike_id": IFS_ERR_NOT_FOUND, IFS_ERR_INVAL if it is no number,
 * IFS_ERR_RANGE outside min..max. */
int vici_get_int(const struct vici_node *sec, const char *path, int64_t min,
		 int64_t max, int64_t *v) IFS_MUST_CHECK;
/* The first item of the list at path (the rest follow through ->next),
 * or NULL when there is no such list or it is empty. */
const struct vici_node *vici_list_items(const struct vici_node *sec,
					const char *path);
/* A key/value or item whose value holds no NUL, usable as a C string. */
bool vici_node_is_str(const struct vici_node *n);
/* Same kinds, names, values and members, in the same order. */
bool vici_node_equal(const struct vici_node *a, const struct vici_node *b);

#endif
