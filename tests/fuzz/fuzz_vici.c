/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The VICI codec on hostile bytes, two ways:
 *   - as a stream from a client: three readers take it one byte at a
 *     time, seven bytes at a time and all at once, and must yield the
 *     same packets and end in the same state. Every packet is built again
 *     from what was decoded and must decode to the same type, name and
 *     message; every message that parses is checked as below;
 *   - the whole input as a bare message.
 * A message that parses is built again from its tree: that must give the
 * very same bytes (the encoding has one form) and an equal tree; the same
 * build into a heap buffer one byte short must fail without writing past
 * it; and the lookups must find every member by its own name. abort() on
 * any difference.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "control/vici.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Small, so that lengths over the maximum are easy to reach. */
#define FUZZ_MAX_PACKET 4096u
#define MAX_RECORDED 256u

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

static uint8_t out[1u << 20];

/* What a reader made of a stream. */
struct outcome {
	uint64_t digest[MAX_RECORDED];
	size_t n_packets;
	int rc;
	bool is_idle;
};

static uint64_t fnv(uint64_t h, const void *p, size_t len)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < len; i++)
		h = (h ^ b[i]) * UINT64_C(0x100000001b3);
	return h;
}

static uint64_t packet_digest(const struct vici_packet *pkt)
{
	uint64_t h = UINT64_C(0xcbf29ce484222325);
	uint8_t t = (uint8_t)pkt->type;

	h = fnv(h, &t, 1);
	h = fnv(h, pkt->name, pkt->name_len + 1);
	h = fnv(h, &pkt->msg_len, sizeof(pkt->msg_len));
	return fnv(h, pkt->msg, pkt->msg_len);
}

/* Every member can be found by its name (the first of that name), and
 * the string getters agree with vici_node_is_str(). */
static void check_lookups(const struct vici_node *sec)
{
	const struct vici_node *n, *f;
	char buf[64];
	int64_t v;
	int rc;

	for (n = sec->children; n; n = n->next) {
		f = vici_child(sec, n->name);
		CHECK(f && f->name_len == n->name_len);
		if (n->kind == VICI_NODE_SECTION) {
			check_lookups(n);
			continue;
		}
		if (n->kind == VICI_NODE_LIST || f != n)
			continue;
		rc = vici_get_str(sec, n->name, buf, sizeof(buf));
		if (strchr(n->name, '.') == NULL) {
			CHECK(rc != IFS_ERR_NOT_FOUND);
			CHECK((rc == IFS_ERR_INVAL) == !vici_node_is_str(n));
			CHECK(rc != 0 || strlen(buf) == n->value_len);
		}
		(void)vici_get_int(sec, n->name, INT64_MIN, INT64_MAX, &v);
	}
}

/* Build the message again: the same bytes, an equal tree. */
static void check_message(const uint8_t *msg, size_t len)
{
	struct vici_msg *m, *m2;
	struct vici_builder b;
	struct wbuf w;
	uint8_t *small;
	size_t n;

	if (vici_msg_parse(msg, len, &m) < 0)
		return;
	check_lookups(vici_msg_root(m));
	if (len > sizeof(out)) {
		vici_msg_free(m);
		return;
	}
	wbuf_init(&w, out, sizeof(out));
	vici_build_message(&b, &w);
	CHECK(vici_add_children(&b, vici_msg_root(m)));
	CHECK(vici_build_finish(&b, &n) == 0);
	CHECK(n == len && (len == 0 || memcmp(out, msg, len) == 0));
	CHECK(vici_msg_parse(out, n, &m2) == 0);
	CHECK(vici_node_equal(vici_msg_root(m), vici_msg_root(m2)));
	CHECK(vici_msg_n_elements(m) == vici_msg_n_elements(m2));
	vici_msg_free(m2);
	if (len > 0 && (small = malloc(len - 1 ? len - 1 : 1)) != NULL) {
		wbuf_init(&w, small, len - 1);
		vici_build_message(&b, &w);
		(void)vici_add_children(&b, vici_msg_root(m));
		CHECK(vici_build_finish(&b, &n) == IFS_ERR_FULL);
		free(small);
	}
	vici_msg_free(m);
}

/* Build the packet again from what was decoded. */
static void check_packet(const struct vici_packet *pkt)
{
	const char *name = vici_pkt_is_named(pkt->type) ? pkt->name : NULL;
	struct vici_packet again;
	struct vici_builder b;
	struct wbuf w;
	size_t n;

	if (pkt->msg_len + VICI_LEN_HDR + 2 + VICI_NAME_MAX > sizeof(out))
		return;
	wbuf_init(&w, out, sizeof(out));
	vici_build_packet(&b, &w, pkt->type, name);
	CHECK(wbuf_bytes(&w, pkt->msg, pkt->msg_len));
	CHECK(vici_build_finish(&b, &n) == 0);
	CHECK(n >= VICI_LEN_HDR + 1);
	CHECK(vici_packet_decode(out + VICI_LEN_HDR, n - VICI_LEN_HDR, &again) == 0);
	CHECK(again.type == pkt->type && again.name_len == pkt->name_len);
	CHECK(strcmp(again.name, pkt->name) == 0);
	CHECK(again.msg_len == pkt->msg_len);
	CHECK(pkt->msg_len == 0 || memcmp(again.msg, pkt->msg, pkt->msg_len) == 0);
}

static void read_stream(const uint8_t *data, size_t size, size_t chunk,
			bool is_checked, struct outcome *o)
{
	struct vici_packet pkt;
	struct vici_reader r;
	size_t off = 0, k;
	struct cur c;

	memset(o, 0, sizeof(*o));
	CHECK(vici_reader_init(&r, FUZZ_MAX_PACKET) == 0);
	while (off < size && o->rc == 0) {
		k = size - off < chunk ? size - off : chunk;
		cur_init(&c, data + off, k);
		while ((o->rc = vici_reader_push(&r, &c, &pkt)) == 1) {
			if (o->n_packets < MAX_RECORDED)
				o->digest[o->n_packets] = packet_digest(&pkt);
			o->n_packets++;
			if (is_checked) {
				check_packet(&pkt);
				check_message(pkt.msg, pkt.msg_len);
			}
		}
		/* A packet that needs more leaves nothing unread. */
		CHECK(o->rc < 0 || cur_left(&c) == 0);
		off += k;
	}
	o->is_idle = vici_reader_is_idle(&r);
	vici_reader_clear(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct outcome whole, bytes, sevens;
	size_t n;

	read_stream(data, size, size ? size : 1, true, &whole);
	read_stream(data, size, 1, false, &bytes);
	read_stream(data, size, 7, false, &sevens);
	n = whole.n_packets < MAX_RECORDED ? whole.n_packets : MAX_RECORDED;
	CHECK(bytes.n_packets == whole.n_packets && sevens.n_packets == whole.n_packets);
	CHECK(bytes.rc == whole.rc && sevens.rc == whole.rc);
	CHECK(bytes.is_idle == whole.is_idle && sevens.is_idle == whole.is_idle);
	CHECK(memcmp(bytes.digest, whole.digest, n * sizeof(whole.digest[0])) == 0);
	CHECK(memcmp(sevens.digest, whole.digest, n * sizeof(whole.digest[0])) == 0);

	check_message(data, size);
	return 0;
}
