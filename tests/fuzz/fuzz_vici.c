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
 * it; and the lookups must find every member by its own name.
 *
 * Such a message also goes through vici_to_settings_text() as load-conn
 * does, and what it writes through conf_load_string(). Unless a line
 * is longer than the settings parser takes, the text must parse, with
 * "connections" its only top-level section; and where no section holds
 * two members of one name (which the settings syntax merges), the tree
 * read back must mirror the message: the same members, each value
 * byte for byte, each list as its items joined with ", ". abort() on
 * any difference.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "config/conf.h"
#include "config/settings.h"
#include "control/vici.h"
#include "control/vici_text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Small, so that lengths over the maximum are easy to reach. */
#define FUZZ_MAX_PACKET 4096u
#define MAX_RECORDED 256u

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

static uint8_t out[1u << 20];
static char text[(1u << 20) + 1];

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

/* ---- as settings text ---- */

static size_t count_members(const struct vici_node *sec)
{
	size_t n = 0;

	for (const struct vici_node *it = sec->children; it; it = it->next)
		n++;
	return n;
}

static bool names_unique(const struct vici_node *sec)
{
	for (const struct vici_node *n = sec->children; n; n = n->next) {
		for (const struct vici_node *o = n->next; o; o = o->next)
			if (o->name_len == n->name_len &&
			    memcmp(o->name, n->name, n->name_len) == 0)
				return false;
		if (n->kind == VICI_NODE_SECTION && !names_unique(n))
			return false;
	}
	return true;
}

static size_t n_settings_children(const struct settings_node *sec)
{
	size_t n = 0;

	for (const struct settings_node *it = sec->children; it; it = it->next)
		n++;
	return n;
}

static bool value_is(const char *v, const uint8_t *want, size_t len)
{
	return strlen(v) == len && (len == 0 || memcmp(v, want, len) == 0);
}

/* The list's value: its items joined with ", ". */
static bool list_is(const char *v, const struct vici_node *list)
{
	for (const struct vici_node *it = list->children; it; it = it->next) {
		if (it != list->children) {
			if (strncmp(v, ", ", 2) != 0)
				return false;
			v += 2;
		}
		if (strlen(v) < it->value_len ||
		    (it->value_len && memcmp(v, it->value, it->value_len) != 0))
			return false;
		v += it->value_len;
	}
	return *v == '\0';
}

static void check_mirror(const struct vici_node *sec, struct settings_node *node)
{
	CHECK(n_settings_children(node) == count_members(sec));
	for (const struct vici_node *n = sec->children; n; n = n->next) {
		struct settings_node *s;

		if (n->kind == VICI_NODE_SECTION) {
			s = settings_find_section(node, n->name);
			CHECK(s != NULL);
			check_mirror(n, s);
			continue;
		}
		s = settings_find_key(node, n->name);
		CHECK(s != NULL && s->value != NULL);
		if (n->kind == VICI_NODE_KV)
			CHECK(value_is(s->value, n->value, n->value_len));
		else
			CHECK(list_is(s->value, n));
	}
}

static bool has_long_line(const char *t, size_t len)
{
	size_t col = 0;

	for (size_t i = 0; i < len; i++) {
		col = t[i] == '\n' ? 0 : col + 1;
		if (col > SETTINGS_LINE_MAX)
			return true;
	}
	return false;
}

static void check_text(const struct vici_node *root)
{
	struct settings_err serr;
	struct settings *st;
	struct conf_err cerr;
	struct conf *c;
	char why[256];
	struct wbuf w;
	size_t len;
	int rc;

	wbuf_init(&w, text, sizeof(text) - 1);
	rc = vici_to_settings_text(root, "connections", &w, why, sizeof(why));
	CHECK(rc == 0 || rc == IFS_ERR_INVAL || rc == IFS_ERR_FULL);
	CHECK(rc == 0 || why[0] != '\0');
	if (rc != 0)
		return;
	len = wbuf_len(&w);
	text[len] = '\0';
	if (!has_long_line(text, len)) {
		rc = settings_parse_string(text, len, "load-conn", NULL, &st, &serr);
		CHECK(rc == 0);
		CHECK(n_settings_children(settings_root(st)) == 1);
		CHECK(settings_find_section(settings_root(st), "connections") != NULL);
		if (names_unique(root))
			check_mirror(root, settings_find_section(settings_root(st),
								 "connections"));
		settings_free(st);
	}
	if (conf_load_string(text, "load-conn", &c, &cerr) == 0)
		conf_free(c);
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
	check_text(vici_msg_root(m));
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
	static bool is_init;
	size_t n;

	if (!is_init) {
		log_init("fuzz", true, LOG_LVL_ERROR);   /* no warnings on stderr */
		is_init = true;
	}

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
