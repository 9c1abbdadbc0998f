/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The VICI codec (strongSwan's vici/README.md): byte-exact encodings
 * built by hand from the README, requests captured from strongSwan
 * 5.9.8's swanctl (--version --daemon, --list-sas --ike gw, --initiate,
 * --terminate, --load-all) that must parse to the expected trees, round
 * trips, the framing reader fed in every chunk size, and one test per
 * rejection of the reader, the parser and the builder.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "control/vici.h"

#define LIT(s) (const uint8_t *)(s), sizeof(s) - 1

/* ---- Known bytes ------------------------------------------------------- */

/* swanctl --version --daemon */
static const char swanctl_version[] =
	"\x00\x00\x00\x09"
	"\x00" "\x07" "version";

/* swanctl --list-sas --ike gw: register for list-sa, then the command */
static const char swanctl_list_sas[] =
	"\x00\x00\x00\x09"
	"\x03" "\x07" "list-sa"
	"\x00\x00\x00\x13"
	"\x00" "\x08" "list-sas"
	"\x03" "\x03" "ike" "\x00\x02" "gw";

/* swanctl --initiate --child net --timeout 5 (after registering for
 * control-log) */
static const char swanctl_initiate[] =
	"\x00\x00\x00\x32"
	"\x00" "\x08" "initiate"
	"\x03" "\x05" "child" "\x00\x03" "net"
	"\x03" "\x07" "timeout" "\x00\x04" "5000"
	"\x03" "\x08" "loglevel" "\x00\x01" "1";

/* swanctl --terminate --ike gw */
static const char swanctl_terminate[] =
	"\x00\x00\x00\x0d"
	"\x03" "\x0b" "control-log"
	"\x00\x00\x00\x21"
	"\x00" "\x09" "terminate"
	"\x03" "\x03" "ike" "\x00\x02" "gw"
	"\x03" "\x08" "loglevel" "\x00\x01" "1";

/* swanctl --load-all: the secret, then the connection (swanctl.conf with
 * one connection "gw" and one secret "ike-1"), among the get-* requests. */
#define LOAD_SHARED \
	"\x00\x00\x00\x56" \
	"\x00" "\x0b" "load-shared" \
	"\x03" "\x02" "id" "\x00\x05" "ike-1" \
	"\x03" "\x04" "type" "\x00\x03" "ike" \
	"\x03" "\x04" "data" "\x00\x0a" "testsecret" \
	"\x04" "\x06" "owners" \
	"\x05" "\x00\x09" "a.example" \
	"\x05" "\x00\x09" "b.example" \
	"\x06"
static const char swanctl_load_shared[] = LOAD_SHARED;

static const char swanctl_load_conn[] =
	"\x00\x00\x01\x02"
	"\x00" "\x09" "load-conn"
	"\x01" "\x02" "gw"
	"\x04" "\x0b" "local_addrs" "\x05" "\x00\x09" "192.0.2.1" "\x06"
	"\x04" "\x0c" "remote_addrs" "\x05" "\x00\x09" "192.0.2.2" "\x06"
	"\x04" "\x09" "proposals"
	"\x05" "\x00\x1c" "aes128gcm16-prfsha256-x25519" "\x06"
	"\x01" "\x05" "local"
	"\x03" "\x04" "auth" "\x00\x03" "psk"
	"\x03" "\x02" "id" "\x00\x09" "a.example"
	"\x02"
	"\x01" "\x06" "remote"
	"\x03" "\x04" "auth" "\x00\x03" "psk"
	"\x03" "\x02" "id" "\x00\x09" "b.example"
	"\x02"
	"\x01" "\x08" "children"
	"\x01" "\x03" "net"
	"\x04" "\x08" "local_ts"
	"\x05" "\x00\x09" "0.0.0.0/0"
	"\x05" "\x00\x04" "::/0"
	"\x06"
	"\x04" "\x0d" "esp_proposals" "\x05" "\x00\x0b" "aes128gcm16" "\x06"
	"\x02"
	"\x02"
	"\x02";

/* The whole --load-all stream, in the order swanctl sent it. */
static const char swanctl_load_all[] =
	"\x00\x00\x00\x0a" "\x00" "\x08" "get-keys"
	"\x00\x00\x00\x0c" "\x00" "\x0a" "get-shared"
	LOAD_SHARED
	"\x00\x00\x00\x11" "\x00" "\x0f" "get-authorities"
	"\x00\x00\x00\x0b" "\x00" "\x09" "get-pools"
	"\x00\x00\x00\x0b" "\x00" "\x09" "get-conns";

/* A version response, built by hand from the README ("version()"). */
static const char version_response[] =
	"\x00\x00\x00\x52"
	"\x01"
	"\x03" "\x06" "daemon" "\x00\x06" "ifsecd"
	"\x03" "\x07" "version" "\x00\x05" "0.1.0"
	"\x03" "\x07" "sysname" "\x00\x05" "Linux"
	"\x03" "\x07" "release" "\x00\x05" "6.1.0"
	"\x03" "\x07" "machine" "\x00\x06" "x86_64";

/* The README's encoding example, as its C array gives it. */
static const char readme_example[] =
	"\x03" "\x04" "key1" "\x00\x06" "value1"
	"\x01" "\x08" "section1"
	"\x01" "\x0b" "sub-section"
	"\x03" "\x04" "key2" "\x00\x06" "value2"
	"\x02"
	"\x04" "\x05" "list1"
	"\x05" "\x00\x05" "item1"
	"\x05" "\x00\x05" "item2"
	"\x06"
	"\x02";

/* ---- Helpers ----------------------------------------------------------- */

static uint8_t out[4096];

/* Decode one framed packet from bytes that hold exactly it. */
static void decode_framed(const uint8_t *buf, size_t len, struct vici_packet *pkt)
{
	struct vici_reader r;
	struct cur c;

	assert_int_equal(vici_reader_init(&r, VICI_MAX_PACKET), 0);
	cur_init(&c, buf, len);
	assert_int_equal(vici_reader_push(&r, &c, pkt), 1);
	assert_true(cur_end(&c));
	/* The message is borrowed from the reader: point it at buf. */
	if (pkt->msg_len)
		pkt->msg = buf + (len - pkt->msg_len);
	vici_reader_clear(&r);
}

static struct vici_msg *parse_ok(const uint8_t *buf, size_t len)
{
	struct vici_msg *m = NULL;

	assert_int_equal(vici_msg_parse(buf, len, &m), 0);
	assert_non_null(m);
	return m;
}

static void assert_str(const struct vici_node *sec, const char *path,
		       const char *want)
{
	char buf[256];

	assert_int_equal(vici_get_str(sec, path, buf, sizeof(buf)), 0);
	assert_string_equal(buf, want);
}

/* The items of the list at path, joined with commas. */
static void assert_list(const struct vici_node *sec, const char *path,
			const char *want)
{
	const struct vici_node *i;
	char buf[512] = "";

	assert_non_null(vici_find(sec, path));
	for (i = vici_list_items(sec, path); i; i = i->next) {
		assert_int_equal(i->kind, VICI_NODE_ITEM);
		assert_true(vici_node_is_str(i));
		if (buf[0])
			strcat(buf, ",");
		strcat(buf, (const char *)i->value);
	}
	assert_string_equal(buf, want);
}

static size_t n_children(const struct vici_node *n)
{
	size_t k = 0;

	for (n = n->children; n; n = n->next)
		k++;
	return k;
}

/* Parsing msg and writing the tree again gives back the same bytes. */
static void assert_reencodes(const uint8_t *msg, size_t len)
{
	struct vici_builder b;
	struct vici_msg *m, *m2;
	struct wbuf w;
	size_t n;

	m = parse_ok(msg, len);
	wbuf_init(&w, out, sizeof(out));
	vici_build_message(&b, &w);
	assert_true(vici_add_children(&b, vici_msg_root(m)));
	assert_int_equal(vici_build_finish(&b, &n), 0);
	assert_int_equal(n, len);
	assert_memory_equal(out, msg, len);
	m2 = parse_ok(out, n);
	assert_true(vici_node_equal(vici_msg_root(m), vici_msg_root(m2)));
	vici_msg_free(m2);
	vici_msg_free(m);
}

/* ---- Building: byte-exact ---------------------------------------------- */

static void test_build_version_request(void **state)
{
	struct vici_builder b;
	struct wbuf w;
	size_t n;

	wbuf_init(&w, out, sizeof(out));
	vici_build_packet(&b, &w, VICI_CMD_REQUEST, "version");
	assert_int_equal(vici_build_finish(&b, &n), 0);
	assert_int_equal(n, sizeof(swanctl_version) - 1);
	assert_memory_equal(out, swanctl_version, n);
}

static void test_build_version_response(void **state)
{
	struct vici_builder b;
	struct wbuf w;
	size_t n;

	wbuf_init(&w, out, sizeof(out));
	vici_build_packet(&b, &w, VICI_CMD_RESPONSE, NULL);
	vici_kv_str(&b, "daemon", "ifsecd");
	vici_kv_printf(&b, "version", "%d.%d.%d", 0, 1, 0);
	vici_kv_str(&b, "sysname", "Linux");
	vici_kv(&b, "release", "6.1.0", 5);
	vici_kv_str(&b, "machine", "x86_64");
	assert_int_equal(vici_build_finish(&b, &n), 0);
	assert_int_equal(n, sizeof(version_response) - 1);
	assert_memory_equal(out, version_response, n);
}

static void test_build_initiate_request(void **state)
{
	struct vici_builder b;
	struct wbuf w;
	size_t n;

	wbuf_init(&w, out, sizeof(out));
	vici_build_packet(&b, &w, VICI_CMD_REQUEST, "initiate");
	vici_kv_str(&b, "child", "net");
	vici_kv_printf(&b, "timeout", "%u", 5000u);
	vici_kv_str(&b, "loglevel", "1");
	assert_int_equal(vici_build_finish(&b, &n), 0);
	assert_int_equal(n, sizeof(swanctl_initiate) - 1);
	assert_memory_equal(out, swanctl_initiate, n);
}

/* Two packets queued in one buffer: the event registration and the
 * command, as swanctl --list-sas --ike gw sends them. */
static void test_build_two_packets(void **state)
{
	struct vici_builder b;
	struct wbuf w;
	size_t n1, n2;

	wbuf_init(&w, out, sizeof(out));
	vici_build_packet(&b, &w, VICI_EVENT_REGISTER, "list-sa");
	assert_int_equal(vici_build_finish(&b, &n1), 0);
	vici_build_packet(&b, &w, VICI_CMD_REQUEST, "list-sas");
	vici_kv_str(&b, "ike", "gw");
	assert_int_equal(vici_build_finish(&b, &n2), 0);
	assert_int_equal(b.start, n1);
	assert_int_equal(n1 + n2, sizeof(swanctl_list_sas) - 1);
	assert_memory_equal(out, swanctl_list_sas, n1 + n2);
}

static void test_build_readme_example(void **state)
{
	struct vici_builder b;
	struct wbuf w;
	size_t n;

	wbuf_init(&w, out, sizeof(out));
	vici_build_message(&b, &w);
	vici_kv_str(&b, "key1", "value1");
	vici_begin_section(&b, "section1");
	vici_begin_section(&b, "sub-section");
	vici_kv_str(&b, "key2", "value2");
	vici_end_section(&b);
	vici_begin_list(&b, "list1");
	vici_list_item_str(&b, "item1");
	vici_list_printf(&b, "item%d", 2);
	vici_end_list(&b);
	vici_end_section(&b);
	assert_int_equal(vici_build_finish(&b, &n), 0);
	assert_int_equal(n, sizeof(readme_example) - 1);
	assert_memory_equal(out, readme_example, n);
}

/* Packets without a message: type and name only. */
static void test_build_bare_packets(void **state)
{
	static const char want[] =
		"\x00\x00\x00\x01" "\x05"
		"\x00\x00\x00\x01" "\x02"
		"\x00\x00\x00\x0d" "\x04" "\x0b" "control-log";
	struct vici_builder b;
	struct wbuf w;
	size_t n, total = 0;

	wbuf_init(&w, out, sizeof(out));
	vici_build_packet(&b, &w, VICI_EVENT_CONFIRM, NULL);
	assert_int_equal(vici_build_finish(&b, &n), 0);
	total += n;
	vici_build_packet(&b, &w, VICI_CMD_UNKNOWN, NULL);
	assert_int_equal(vici_build_finish(&b, &n), 0);
	total += n;
	vici_build_packet(&b, &w, VICI_EVENT_UNREGISTER, "control-log");
	assert_int_equal(vici_build_finish(&b, &n), 0);
	total += n;
	assert_int_equal(total, sizeof(want) - 1);
	assert_memory_equal(out, want, total);
}

/* ---- Parsing swanctl's requests ---------------------------------------- */

static void test_parse_swanctl_version(void **state)
{
	struct vici_packet pkt;
	struct vici_msg *m;

	decode_framed(LIT(swanctl_version), &pkt);
	assert_int_equal(pkt.type, VICI_CMD_REQUEST);
	assert_string_equal(pkt.name, "version");
	assert_int_equal(pkt.name_len, 7);
	assert_int_equal(pkt.msg_len, 0);
	assert_null(pkt.msg);
	m = parse_ok(pkt.msg, pkt.msg_len);
	assert_null(vici_msg_root(m)->children);
	assert_int_equal(vici_msg_n_elements(m), 0);
	vici_msg_free(m);
}

static void test_parse_swanctl_initiate(void **state)
{
	const struct vici_node *root;
	struct vici_packet pkt;
	struct vici_msg *m;
	int64_t v;

	decode_framed(LIT(swanctl_initiate), &pkt);
	assert_int_equal(pkt.type, VICI_CMD_REQUEST);
	assert_string_equal(pkt.name, "initiate");
	m = parse_ok(pkt.msg, pkt.msg_len);
	root = vici_msg_root(m);
	assert_int_equal(n_children(root), 3);
	assert_str(root, "child", "net");
	assert_int_equal(vici_get_int(root, "timeout", -1, INT32_MAX, &v), 0);
	assert_int_equal(v, 5000);
	assert_int_equal(vici_get_int(root, "loglevel", -1, 4, &v), 0);
	assert_int_equal(v, 1);
	assert_null(vici_find(root, "ike"));
	assert_reencodes(pkt.msg, pkt.msg_len);
	vici_msg_free(m);
}

static void test_parse_swanctl_terminate(void **state)
{
	struct vici_packet pkt;
	struct vici_reader r;
	struct vici_msg *m;
	struct cur c;

	assert_int_equal(vici_reader_init(&r, VICI_MAX_PACKET), 0);
	cur_init(&c, LIT(swanctl_terminate));
	assert_int_equal(vici_reader_push(&r, &c, &pkt), 1);
	assert_int_equal(pkt.type, VICI_EVENT_REGISTER);
	assert_string_equal(pkt.name, "control-log");
	assert_int_equal(pkt.msg_len, 0);
	assert_int_equal(vici_reader_push(&r, &c, &pkt), 1);
	assert_int_equal(pkt.type, VICI_CMD_REQUEST);
	assert_string_equal(pkt.name, "terminate");
	m = parse_ok(pkt.msg, pkt.msg_len);
	assert_str(vici_msg_root(m), "ike", "gw");
	assert_str(vici_msg_root(m), "loglevel", "1");
	vici_msg_free(m);
	assert_int_equal(vici_reader_push(&r, &c, &pkt), 0);
	assert_true(vici_reader_is_idle(&r));
	vici_reader_clear(&r);
}

static void test_parse_swanctl_load_shared(void **state)
{
	const struct vici_node *root;
	struct vici_packet pkt;
	struct vici_msg *m;

	decode_framed(LIT(swanctl_load_shared), &pkt);
	assert_string_equal(pkt.name, "load-shared");
	m = parse_ok(pkt.msg, pkt.msg_len);
	root = vici_msg_root(m);
	assert_str(root, "id", "ike-1");
	assert_str(root, "type", "ike");
	assert_str(root, "data", "testsecret");
	assert_list(root, "owners", "a.example,b.example");
	assert_int_equal(vici_msg_n_elements(m), 7);
	assert_reencodes(pkt.msg, pkt.msg_len);
	vici_msg_free(m);
}

static void test_parse_swanctl_load_conn(void **state)
{
	const struct vici_node *root, *gw, *n;
	struct vici_packet pkt;
	struct vici_msg *m;

	decode_framed(LIT(swanctl_load_conn), &pkt);
	assert_string_equal(pkt.name, "load-conn");
	m = parse_ok(pkt.msg, pkt.msg_len);
	root = vici_msg_root(m);
	assert_int_equal(n_children(root), 1);
	gw = vici_child(root, "gw");
	assert_non_null(gw);
	assert_int_equal(gw->kind, VICI_NODE_SECTION);
	assert_int_equal(n_children(gw), 6);
	assert_list(gw, "local_addrs", "192.0.2.1");
	assert_list(root, "gw.remote_addrs", "192.0.2.2");
	assert_list(root, "gw.proposals", "aes128gcm16-prfsha256-x25519");
	assert_str(root, "gw.local.auth", "psk");
	assert_str(root, "gw.local.id", "a.example");
	assert_str(root, "gw.remote.id", "b.example");
	assert_list(root, "gw.children.net.local_ts", "0.0.0.0/0,::/0");
	assert_list(root, "gw.children.net.esp_proposals", "aes128gcm16");
	/* Members keep their wire order. */
	n = gw->children;
	assert_string_equal(n->name, "local_addrs");
	assert_string_equal(n->next->next->next->name, "local");
	assert_string_equal(n->next->next->next->next->next->name, "children");
	assert_reencodes(pkt.msg, pkt.msg_len);
	vici_msg_free(m);
}

static void test_parse_readme_example(void **state)
{
	const struct vici_node *root, *s;
	struct vici_msg *m;

	m = parse_ok(LIT(readme_example));
	root = vici_msg_root(m);
	assert_int_equal(root->kind, VICI_NODE_SECTION);
	assert_string_equal(root->name, "");
	assert_str(root, "key1", "value1");
	s = vici_find(root, "section1.sub-section");
	assert_non_null(s);
	assert_int_equal(s->kind, VICI_NODE_SECTION);
	assert_str(s, "key2", "value2");
	assert_list(root, "section1.list1", "item1,item2");
	assert_int_equal(vici_msg_n_elements(m), 10);
	vici_msg_free(m);
}

/* ---- Round trips and lookups ------------------------------------------- */

static void build_everything(struct vici_builder *b)
{
	static const uint8_t bin[] = { 0x00, 0xff, 0x00, 0x0a };

	vici_kv(b, "bin", bin, sizeof(bin));
	vici_kv(b, "empty", NULL, 0);
	vici_kv_str(b, "", "nameless");
	vici_begin_section(b, "a.b");            /* a name with a dot */
	vici_kv_str(b, "k", "dotted");
	vici_end_section(b);
	vici_begin_section(b, "void");
	vici_end_section(b);
	vici_begin_list(b, "none");
	vici_end_list(b);
	vici_begin_section(b, "s");
	vici_begin_list(b, "l");
	vici_list_item(b, bin, sizeof(bin));
	vici_list_item(b, NULL, 0);
	vici_end_list(b);
	vici_kv_str(b, "k", "first");
	vici_kv_str(b, "k", "second");           /* kept; lookups find the first */
	vici_end_section(b);
}

static void test_round_trip(void **state)
{
	const struct vici_node *root, *n;
	struct vici_builder b;
	struct vici_msg *m;
	struct wbuf w;
	char buf[16];
	size_t len;

	wbuf_init(&w, out, sizeof(out));
	vici_build_message(&b, &w);
	build_everything(&b);
	assert_int_equal(vici_build_finish(&b, &len), 0);
	assert_reencodes(out, len);

	m = parse_ok(out, len);
	root = vici_msg_root(m);
	n = vici_child(root, "bin");
	assert_int_equal(n->value_len, 4);
	assert_memory_equal(n->value, "\x00\xff\x00\x0a", 4);
	assert_false(vici_node_is_str(n));
	assert_int_equal(vici_get_str(root, "bin", buf, sizeof(buf)), IFS_ERR_INVAL);
	assert_str(root, "empty", "");
	assert_str(root, "", "nameless");
	assert_null(vici_find(root, "a.b.k"));            /* a path splits at dots */
	assert_str(vici_child(root, "a.b"), "k", "dotted");
	assert_null(vici_list_items(root, "none"));
	assert_non_null(vici_find(root, "none"));
	assert_null(vici_child(root, "void")->children);
	assert_str(root, "s.k", "first");
	assert_int_equal(n_children(vici_find(root, "s.l")), 2);
	vici_msg_free(m);
}

static void test_node_equal(void **state)
{
	size_t len = sizeof(readme_example) - 1;
	struct vici_msg *a, *b, *c, *d;
	uint8_t buf[sizeof(readme_example)];

	a = parse_ok(LIT(readme_example));
	b = parse_ok(LIT(readme_example));
	/* item2 → item3 */
	memcpy(buf, readme_example, len);
	buf[len - 3] = '3';
	c = parse_ok(buf, len);
	/* the list one item short: drop item2's 8 bytes */
	memcpy(buf, readme_example, len - 10);
	memcpy(buf + len - 10, "\x06\x02", 2);
	d = parse_ok(buf, len - 8);
	assert_true(vici_node_equal(vici_msg_root(a), vici_msg_root(b)));
	assert_false(vici_node_equal(vici_msg_root(a), vici_msg_root(c)));
	assert_false(vici_node_equal(vici_msg_root(a), vici_msg_root(d)));
	assert_false(vici_node_equal(vici_msg_root(d), vici_msg_root(a)));
	assert_false(vici_node_equal(vici_msg_root(a), NULL));
	assert_true(vici_node_equal(NULL, NULL));
	vici_msg_free(a);
	vici_msg_free(b);
	vici_msg_free(c);
	vici_msg_free(d);
	vici_msg_free(NULL);
}

static void test_lookup_errors(void **state)
{
	const struct vici_node *root;
	struct vici_msg *m;
	char buf[16];
	int64_t v;

	m = parse_ok(LIT("\x03" "\x01" "t" "\x00\x02" "-1"
			 "\x03" "\x01" "x" "\x00\x02" "1x"
			 "\x03" "\x01" "p" "\x00\x02" "+1"
			 "\x03" "\x01" "w" "\x00\x02" " 1"
			 "\x03" "\x01" "e" "\x00\x00"
			 "\x03" "\x01" "h" "\x00\x14" "99999999999999999999"
			 "\x03" "\x01" "z" "\x00\x03" "1\x00" "2"
			 "\x03" "\x01" "s" "\x00\x0f" "fifteen chars.."
			 "\x01" "\x03" "sec" "\x02"
			 "\x04" "\x03" "lst" "\x05" "\x00\x01" "i" "\x06"));
	root = vici_msg_root(m);
	assert_int_equal(vici_get_int(root, "t", -1, 10, &v), 0);
	assert_int_equal(v, -1);
	assert_int_equal(vici_get_int(root, "t", 0, 10, &v), IFS_ERR_RANGE);
	assert_int_equal(vici_get_int(root, "x", 0, 10, &v), IFS_ERR_INVAL);
	assert_int_equal(vici_get_int(root, "p", 0, 10, &v), IFS_ERR_INVAL);
	assert_int_equal(vici_get_int(root, "w", 0, 10, &v), IFS_ERR_INVAL);
	assert_int_equal(vici_get_int(root, "e", 0, 10, &v), IFS_ERR_INVAL);
	assert_int_equal(vici_get_int(root, "h", INT64_MIN, INT64_MAX, &v), IFS_ERR_RANGE);
	assert_int_equal(vici_get_int(root, "z", 0, 10, &v), IFS_ERR_INVAL);
	assert_int_equal(vici_get_int(root, "none", 0, 10, &v), IFS_ERR_NOT_FOUND);
	assert_int_equal(v, 0);
	assert_int_equal(vici_get_str(root, "s", buf, 16), 0);
	assert_int_equal(vici_get_str(root, "s", buf, 15), IFS_ERR_RANGE);
	assert_int_equal(vici_get_str(root, "s", buf, 0), IFS_ERR_RANGE);
	assert_int_equal(vici_get_str(root, "z", buf, 16), IFS_ERR_INVAL);
	assert_int_equal(vici_get_str(root, "sec", buf, 16), IFS_ERR_NOT_FOUND);
	assert_int_equal(vici_get_str(root, "lst", buf, 16), IFS_ERR_NOT_FOUND);
	assert_int_equal(vici_get_str(root, "s.x", buf, 16), IFS_ERR_NOT_FOUND);
	assert_string_equal(buf, "");
	assert_null(vici_find(root, "lst.i"));          /* no path through a list */
	assert_null(vici_find(root, "sec.x"));
	assert_null(vici_find(root, "nosuch.x"));
	assert_null(vici_list_items(root, "sec"));
	assert_null(vici_list_items(root, "s"));
	assert_non_null(vici_list_items(root, "lst"));
	assert_null(vici_child(vici_child(root, "lst"), "i"));
	vici_msg_free(m);
}

/* ---- The reader -------------------------------------------------------- */

struct got {
	enum vici_pkt type;
	char name[VICI_NAME_MAX + 1];
	uint8_t msg[512];
	size_t msg_len;
};

/* Feed stream in chunks of chunk bytes; collect every packet. */
static size_t read_stream(const uint8_t *stream, size_t len, size_t chunk,
			  struct got *g, size_t n_max)
{
	struct vici_packet pkt;
	struct vici_reader r;
	size_t n = 0, off = 0, k;
	struct cur c;
	int rc;

	assert_int_equal(vici_reader_init(&r, VICI_MAX_PACKET), 0);
	while (off < len) {
		k = len - off < chunk ? len - off : chunk;
		cur_init(&c, stream + off, k);
		while ((rc = vici_reader_push(&r, &c, &pkt)) == 1) {
			assert_true(n < n_max);
			assert_true(pkt.msg_len <= sizeof(g[n].msg));
			g[n].type = pkt.type;
			memcpy(g[n].name, pkt.name, sizeof(pkt.name));
			if (pkt.msg_len)
				memcpy(g[n].msg, pkt.msg, pkt.msg_len);
			g[n].msg_len = pkt.msg_len;
			n++;
		}
		assert_int_equal(rc, 0);
		assert_true(cur_end(&c));
		off += k;
	}
	assert_true(vici_reader_is_idle(&r));
	vici_reader_clear(&r);
	return n;
}

static void test_reader_chunks(void **state)
{
	static const char *names[] = {
		"get-keys", "get-shared", "load-shared", "get-authorities",
		"get-pools", "get-conns",
	};
	static const size_t chunks[] = { 1, 2, 3, 4, 5, 7, 64, 4096 };
	struct got g[8], ref[8];
	size_t n;

	n = read_stream(LIT(swanctl_load_all), 4096, ref, 8);
	assert_int_equal(n, 6);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(ref[i].type, VICI_CMD_REQUEST);
		assert_string_equal(ref[i].name, names[i]);
		assert_int_equal(ref[i].msg_len, i == 2 ? 0x56 - 13 : 0);
	}
	for (size_t j = 0; j < IFS_ARRAY_LEN(chunks); j++) {
		memset(g, 0, sizeof(g));
		assert_int_equal(read_stream(LIT(swanctl_load_all), chunks[j], g, 8), n);
		for (size_t i = 0; i < n; i++) {
			assert_int_equal(g[i].type, ref[i].type);
			assert_string_equal(g[i].name, ref[i].name);
			assert_int_equal(g[i].msg_len, ref[i].msg_len);
			assert_memory_equal(g[i].msg, ref[i].msg, ref[i].msg_len);
		}
	}
}

/* One packet per push: the bytes after it stay in the cursor. */
static void test_reader_one_at_a_time(void **state)
{
	struct vici_packet pkt;
	struct vici_reader r;
	struct cur c;

	assert_int_equal(vici_reader_init(&r, VICI_MAX_PACKET), 0);
	cur_init(&c, LIT(swanctl_list_sas));
	assert_int_equal(vici_reader_push(&r, &c, &pkt), 1);
	assert_int_equal(pkt.type, VICI_EVENT_REGISTER);
	assert_string_equal(pkt.name, "list-sa");
	assert_int_equal(cur_left(&c), sizeof(swanctl_list_sas) - 1 - 13);
	assert_int_equal(vici_reader_push(&r, &c, &pkt), 1);
	assert_string_equal(pkt.name, "list-sas");
	assert_int_equal(pkt.msg_len, 9);
	assert_int_equal(vici_reader_push(&r, &c, &pkt), 0);
	/* An empty cursor changes nothing. */
	cur_init(&c, NULL, 0);
	assert_int_equal(vici_reader_push(&r, &c, &pkt), 0);
	assert_true(vici_reader_is_idle(&r));
	vici_reader_clear(&r);
	vici_reader_clear(NULL);
}

/* A stream cut inside the length field or the body is not idle: the
 * daemon can tell a client that left mid-message. */
static void test_reader_truncated(void **state)
{
	struct vici_packet pkt;
	struct vici_reader r;
	struct cur c;

	assert_int_equal(vici_reader_init(&r, VICI_MAX_PACKET), 0);
	assert_true(vici_reader_is_idle(&r));
	cur_init(&c, swanctl_version, 2);
	assert_int_equal(vici_reader_push(&r, &c, &pkt), 0);
	assert_false(vici_reader_is_idle(&r));
	cur_init(&c, swanctl_version + 2, 4);
	assert_int_equal(vici_reader_push(&r, &c, &pkt), 0);
	assert_false(vici_reader_is_idle(&r));
	cur_init(&c, swanctl_version + 6, sizeof(swanctl_version) - 1 - 6);
	assert_int_equal(vici_reader_push(&r, &c, &pkt), 1);
	assert_string_equal(pkt.name, "version");
	assert_true(vici_reader_is_idle(&r));
	vici_reader_clear(&r);
}

/* The length is checked against the maximum before anything is
 * allocated; the maximum itself is accepted. */
static void test_reader_oversized(void **state)
{
	struct vici_packet pkt;
	struct vici_reader r;
	struct cur c;

	assert_int_equal(vici_reader_init(&r, 9), 0);
	cur_init(&c, LIT(swanctl_version));
	assert_int_equal(vici_reader_push(&r, &c, &pkt), 1);
	vici_reader_clear(&r);

	assert_int_equal(vici_reader_init(&r, 8), 0);
	cur_init(&c, LIT(swanctl_version));
	assert_int_equal(vici_reader_push(&r, &c, &pkt), IFS_ERR_RANGE);
	assert_null(r.body);
	vici_reader_clear(&r);

	assert_int_equal(vici_reader_init(&r, VICI_MAX_PACKET), 0);
	cur_init(&c, LIT("\xff\xff\xff\xff" "\x01"));
	assert_int_equal(vici_reader_push(&r, &c, &pkt), IFS_ERR_RANGE);
	assert_null(r.body);
	assert_int_equal(r.body_cap, 0);
	/* The error sticks, even for a good packet. */
	cur_init(&c, LIT(swanctl_version));
	assert_int_equal(vici_reader_push(&r, &c, &pkt), IFS_ERR_RANGE);
	vici_reader_clear(&r);

	assert_int_equal(vici_reader_init(&r, VICI_MAX_PACKET), 0);
	cur_init(&c, LIT("\x00\x08\x00\x01"));          /* 512 KiB + 1 */
	assert_int_equal(vici_reader_push(&r, &c, &pkt), IFS_ERR_RANGE);
	vici_reader_clear(&r);

	/* 512 KiB is accepted, but the buffer follows the bytes that came,
	 * not the length claimed. */
	assert_int_equal(vici_reader_init(&r, VICI_MAX_PACKET), 0);
	cur_init(&c, LIT("\x00\x08\x00\x00" "\x01" "\x03\x01" "k"));
	assert_int_equal(vici_reader_push(&r, &c, &pkt), 0);
	assert_true(r.body_cap <= 256);
	vici_reader_clear(&r);

	assert_int_equal(vici_reader_init(&r, 0), IFS_ERR_INVAL);
}

/* A large packet is read whole; its buffer is given back afterwards. */
static void test_reader_large(void **state)
{
	size_t len = 20000, body = len - 14;
	struct vici_packet pkt;
	struct vici_reader r;
	uint8_t *s = calloc(1, len);
	struct wbuf w;
	struct cur c;

	assert_non_null(s);
	wbuf_init(&w, s, len);
	wbuf_u32(&w, (uint32_t)(len - 4));
	wbuf_u8(&w, VICI_CMD_RESPONSE);
	wbuf_u8(&w, VICI_KEY_VALUE);
	wbuf_u8(&w, 5);
	wbuf_bytes(&w, "value", 5);
	wbuf_u16(&w, (uint16_t)body);
	wbuf_fill(&w, 'x', body);
	assert_true(wbuf_ok(&w));
	assert_int_equal(wbuf_len(&w), len);

	assert_int_equal(vici_reader_init(&r, VICI_MAX_PACKET), 0);
	cur_init(&c, s, len);
	assert_int_equal(vici_reader_push(&r, &c, &pkt), 1);
	assert_int_equal(pkt.type, VICI_CMD_RESPONSE);
	assert_int_equal(pkt.msg_len, len - 5);
	cur_init(&c, LIT(swanctl_version));
	assert_int_equal(vici_reader_push(&r, &c, &pkt), 1);
	assert_true(r.body_cap < len);
	vici_reader_clear(&r);
	free(s);
}

/* Each malformed packet stops the reader with IFS_ERR_SYNTAX. */
static void test_reader_rejects(void **state)
{
	static const struct {
		const char *what;
		const char *bytes;
		size_t len;
	} bad[] = {
#define BAD(w, s) { w, s, sizeof(s) - 1 }
		BAD("zero length", "\x00\x00\x00\x00"),
		BAD("unknown type 8", "\x00\x00\x00\x01" "\x08"),
		BAD("unknown type 255", "\x00\x00\x00\x01" "\xff"),
		BAD("no name length", "\x00\x00\x00\x01" "\x00"),
		BAD("name past the end", "\x00\x00\x00\x04" "\x00" "\x05" "ab"),
		BAD("event name past the end", "\x00\x00\x00\x03" "\x07" "\x02" "a"),
		BAD("NUL in name", "\x00\x00\x00\x05" "\x00" "\x03" "a\x00" "b"),
		BAD("CONFIRM with bytes", "\x00\x00\x00\x02" "\x05" "\x00"),
		BAD("CMD_UNKNOWN with bytes", "\x00\x00\x00\x02" "\x02" "\x01"),
		BAD("REGISTER with a message", "\x00\x00\x00\x05" "\x03" "\x01" "x" "\x02\x02"),
#undef BAD
	};
	struct vici_packet pkt;
	struct vici_reader r;
	struct cur c;

	for (size_t i = 0; i < IFS_ARRAY_LEN(bad); i++) {
		assert_int_equal(vici_reader_init(&r, VICI_MAX_PACKET), 0);
		cur_init(&c, bad[i].bytes, bad[i].len);
		if (vici_reader_push(&r, &c, &pkt) != IFS_ERR_SYNTAX)
			fail_msg("%s: accepted", bad[i].what);
		assert_int_equal(pkt.type, 0);
		assert_int_equal(vici_packet_decode((const uint8_t *)bad[i].bytes + 4,
						    bad[i].len - 4, &pkt),
				 IFS_ERR_SYNTAX);
		vici_reader_clear(&r);
	}
}

static void test_packet_decode_good(void **state)
{
	struct vici_packet pkt;

	for (unsigned t = 0; t <= VICI_PKT_LAST; t++) {
		uint8_t b[4] = { (uint8_t)t, 1, 'x', 0 };
		size_t len = vici_pkt_is_named(t) ? 3 : 1;

		assert_int_equal(vici_packet_decode(b, len, &pkt), 0);
		assert_int_equal(pkt.type, t);
		assert_string_equal(pkt.name, vici_pkt_is_named(t) ? "x" : "");
		assert_int_equal(pkt.msg_len, 0);
		/* A further byte is a message (and here a bad one), or a
		 * syntax error. */
		assert_int_equal(vici_packet_decode(b, len + 1, &pkt),
				 vici_pkt_has_msg(t) ? 0 : IFS_ERR_SYNTAX);
	}
	assert_string_equal(vici_pkt_name(VICI_EVENT), "EVENT");
	assert_string_equal(vici_pkt_name(VICI_CMD_REQUEST), "CMD_REQUEST");
	assert_string_equal(vici_pkt_name(8), "?");
	/* an empty name is a name */
	assert_int_equal(vici_packet_decode(LIT("\x00\x00"), &pkt), 0);
	assert_string_equal(pkt.name, "");
}

/* ---- Parser rejections ------------------------------------------------- */

static void test_parse_rejects(void **state)
{
	static const struct {
		const char *what;
		const char *bytes;
		size_t len;
		int err;
	} bad[] = {
#define BAD(w, s, e) { w, s, sizeof(s) - 1, e }
		BAD("element type 0", "\x00", IFS_ERR_SYNTAX),
		BAD("element type 7", "\x07", IFS_ERR_SYNTAX),
		BAD("section not closed", "\x01\x01" "a", IFS_ERR_SYNTAX),
		BAD("inner section not closed", "\x01\x01" "a" "\x01\x01" "b" "\x02", IFS_ERR_SYNTAX),
		BAD("list not closed", "\x04\x01" "l" "\x05\x00\x01" "x", IFS_ERR_SYNTAX),
		BAD("section ends inside a list", "\x01\x01" "a" "\x04\x01" "l" "\x02",
		    IFS_ERR_SYNTAX),
		BAD("SECTION_END at top level", "\x02", IFS_ERR_SYNTAX),
		BAD("SECTION_END after balance", "\x01\x01" "a" "\x02\x02", IFS_ERR_SYNTAX),
		BAD("LIST_END outside a list", "\x06", IFS_ERR_SYNTAX),
		BAD("LIST_ITEM outside a list", "\x05\x00\x01" "x", IFS_ERR_SYNTAX),
		BAD("LIST_ITEM in a section", "\x01\x01" "a" "\x05\x00\x00" "\x02", IFS_ERR_SYNTAX),
		BAD("KEY_VALUE in a list", "\x04\x01" "l" "\x03\x01" "k" "\x00\x00" "\x06",
		    IFS_ERR_SYNTAX),
		BAD("SECTION_START in a list", "\x04\x01" "l" "\x01\x01" "s" "\x02\x06",
		    IFS_ERR_SYNTAX),
		BAD("list in a list", "\x04\x01" "l" "\x04\x01" "m" "\x06\x06", IFS_ERR_SYNTAX),
		BAD("no name length", "\x03", IFS_ERR_SYNTAX),
		BAD("name past the end", "\x01\x05" "abc", IFS_ERR_SYNTAX),
		BAD("key name past the end", "\x03\x02" "k", IFS_ERR_SYNTAX),
		BAD("NUL in a name", "\x03\x02" "k\x00" "\x00\x00", IFS_ERR_SYNTAX),
		BAD("value length cut", "\x03\x01" "k" "\x00", IFS_ERR_SYNTAX),
		BAD("no value length", "\x03\x01" "k", IFS_ERR_SYNTAX),
		BAD("value past the end", "\x03\x01" "k" "\x00\x05" "abcd", IFS_ERR_SYNTAX),
		BAD("item past the end", "\x04\x01" "l" "\x05\xff\xff" "abcd" "\x06",
		    IFS_ERR_SYNTAX),
		BAD("item length cut", "\x04\x01" "l" "\x05\x00", IFS_ERR_SYNTAX),
#undef BAD
	};
	struct vici_msg *m;

	for (size_t i = 0; i < IFS_ARRAY_LEN(bad); i++) {
		m = (struct vici_msg *)&m;
		if (vici_msg_parse((const uint8_t *)bad[i].bytes, bad[i].len, &m) != bad[i].err)
			fail_msg("%s: not refused", bad[i].what);
		assert_null(m);
	}
}

/* Sections VICI_MAX_DEPTH deep are accepted, one more is not. */
static void test_parse_depth(void **state)
{
	uint8_t buf[4 * (VICI_MAX_DEPTH + 1)];
	struct vici_msg *m;
	struct wbuf w;

	for (unsigned depth = VICI_MAX_DEPTH; depth <= VICI_MAX_DEPTH + 1; depth++) {
		wbuf_init(&w, buf, sizeof(buf));
		for (unsigned i = 0; i < depth; i++)
			wbuf_bytes(&w, "\x01\x01" "s", 3);
		wbuf_fill(&w, VICI_SECTION_END, depth);
		assert_true(wbuf_ok(&w));
		if (depth == VICI_MAX_DEPTH) {
			m = parse_ok(buf, wbuf_len(&w));
			assert_non_null(vici_find(vici_msg_root(m),
						  "s.s.s.s.s.s.s.s.s.s.s.s.s.s.s.s"));
			assert_reencodes(buf, wbuf_len(&w));
			vici_msg_free(m);
		} else {
			assert_int_equal(vici_msg_parse(buf, wbuf_len(&w), &m),
					 IFS_ERR_RANGE);
			assert_null(m);
		}
	}
}

/* VICI_MAX_ELEMENTS elements are accepted, one more is not; the builder
 * stops at the same place. */
static void test_parse_element_count(void **state)
{
	size_t cap = 3 * (VICI_MAX_ELEMENTS + 1);
	uint8_t *buf = malloc(cap);
	struct vici_builder b;
	struct vici_msg *m;
	struct wbuf w;
	size_t len;

	assert_non_null(buf);
	for (size_t items = VICI_MAX_ELEMENTS - 2; items <= VICI_MAX_ELEMENTS - 1; items++) {
		wbuf_init(&w, buf, cap);
		wbuf_bytes(&w, "\x04\x01" "l", 3);
		for (size_t i = 0; i < items; i++)
			wbuf_bytes(&w, "\x05\x00\x00", 3);
		wbuf_u8(&w, VICI_LIST_END);
		assert_true(wbuf_ok(&w));
		if (items == VICI_MAX_ELEMENTS - 2) {
			m = parse_ok(buf, wbuf_len(&w));
			assert_int_equal(vici_msg_n_elements(m), VICI_MAX_ELEMENTS);
			assert_int_equal(n_children(vici_child(vici_msg_root(m), "l")), items);
			vici_msg_free(m);
		} else {
			assert_int_equal(vici_msg_parse(buf, wbuf_len(&w), &m),
					 IFS_ERR_RANGE);
		}
	}
	wbuf_init(&w, buf, cap);
	vici_build_message(&b, &w);
	vici_begin_list(&b, "l");
	for (size_t i = 0; i < VICI_MAX_ELEMENTS - 2; i++)
		assert_true(vici_list_item(&b, NULL, 0));
	assert_true(vici_end_list(&b));
	assert_false(vici_kv_str(&b, "k", "v"));
	assert_int_equal(vici_build_finish(&b, &len), IFS_ERR_RANGE);
	free(buf);
}

/* ---- Builder rejections ------------------------------------------------ */

typedef void (*misuse_fn)(struct vici_builder *b);

static void kv_in_list(struct vici_builder *b)
{
	vici_begin_list(b, "l");
	vici_kv_str(b, "k", "v");
}

static void section_in_list(struct vici_builder *b)
{
	vici_begin_list(b, "l");
	vici_begin_section(b, "s");
}

static void list_in_list(struct vici_builder *b)
{
	vici_begin_list(b, "l");
	vici_begin_list(b, "m");
}

static void item_outside(struct vici_builder *b) { vici_list_item_str(b, "x"); }
static void end_list_outside(struct vici_builder *b) { vici_end_list(b); }
static void end_section_top(struct vici_builder *b) { vici_end_section(b); }
static void section_open(struct vici_builder *b) { vici_begin_section(b, "s"); }
static void list_open(struct vici_builder *b) { vici_begin_list(b, "l"); }

static void section_end_in_list(struct vici_builder *b)
{
	vici_begin_section(b, "s");
	vici_begin_list(b, "l");
	vici_end_section(b);
}

static void too_deep(struct vici_builder *b)
{
	for (unsigned i = 0; i <= VICI_MAX_DEPTH; i++)
		vici_begin_section(b, "s");
}

static void long_name(struct vici_builder *b)
{
	char name[VICI_NAME_MAX + 2];

	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	vici_kv_str(b, name, "v");
}

static void long_value(struct vici_builder *b)
{
	static const uint8_t big[VICI_VALUE_MAX + 1];

	vici_kv(b, "k", big, sizeof(big));
}

static void long_item(struct vici_builder *b)
{
	static const uint8_t big[VICI_VALUE_MAX + 1];

	vici_begin_list(b, "l");
	vici_list_item(b, big, sizeof(big));
}

static void long_printf(struct vici_builder *b)
{
	vici_kv_printf(b, "k", "%*s", (int)VICI_VALUE_MAX + 1, "");
}

static void test_build_rejects(void **state)
{
	static const struct {
		const char *what;
		misuse_fn fn;
		int err;
	} bad[] = {
		{ "KEY_VALUE in a list", kv_in_list, IFS_ERR_INVAL },
		{ "section in a list", section_in_list, IFS_ERR_INVAL },
		{ "list in a list", list_in_list, IFS_ERR_INVAL },
		{ "item outside a list", item_outside, IFS_ERR_INVAL },
		{ "LIST_END outside a list", end_list_outside, IFS_ERR_INVAL },
		{ "SECTION_END at top level", end_section_top, IFS_ERR_INVAL },
		{ "SECTION_END in a list", section_end_in_list, IFS_ERR_INVAL },
		{ "section left open", section_open, IFS_ERR_INVAL },
		{ "list left open", list_open, IFS_ERR_INVAL },
		{ "too deep", too_deep, IFS_ERR_RANGE },
		{ "name of 256", long_name, IFS_ERR_RANGE },
		{ "value of 65536", long_value, IFS_ERR_RANGE },
		{ "item of 65536", long_item, IFS_ERR_RANGE },
		{ "printf of 65536", long_printf, IFS_ERR_RANGE },
	};
	struct vici_builder b;
	struct wbuf w;
	size_t len;

	for (size_t i = 0; i < IFS_ARRAY_LEN(bad); i++) {
		wbuf_init(&w, out, sizeof(out));
		vici_build_message(&b, &w);
		bad[i].fn(&b);
		if (vici_build_finish(&b, &len) != bad[i].err)
			fail_msg("%s: not refused", bad[i].what);
		assert_int_equal(len, 0);
		/* The first error sticks. */
		assert_false(vici_kv_str(&b, "k", "v"));
		assert_int_equal(vici_build_finish(&b, &len), bad[i].err);
	}
}

static void test_build_limits_and_full(void **state)
{
	char name[VICI_NAME_MAX + 1], long_name[VICI_NAME_MAX + 2];
	static uint8_t big[VICI_VALUE_MAX];
	static uint8_t buf[2 * VICI_VALUE_MAX + 2048];
	struct vici_builder b;
	struct vici_msg *m;
	struct wbuf w;
	size_t len;

	/* Exactly at the limits: accepted, and parsed back. */
	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	memset(big, 'v', sizeof(big));
	wbuf_init(&w, buf, sizeof(buf));
	vici_build_packet(&b, &w, VICI_EVENT, name);
	vici_kv(&b, name, big, sizeof(big));
	vici_kv_printf(&b, "p", "%*s", 300, "x");      /* past the stack buffer */
	vici_begin_list(&b, name);
	vici_list_item(&b, big, sizeof(big));
	vici_end_list(&b);
	assert_int_equal(vici_build_finish(&b, &len), 0);
	assert_int_equal(len, wbuf_len(&w));
	m = parse_ok(buf + 6 + VICI_NAME_MAX, len - 6 - VICI_NAME_MAX);
	assert_int_equal(vici_child(vici_msg_root(m), name)->value_len, VICI_VALUE_MAX);
	assert_int_equal(vici_child(vici_msg_root(m), "p")->value_len, 300);
	vici_msg_free(m);

	/* A packet name over 255 bytes, or on an unnamed type, or none on a
	 * named one. */
	memset(long_name, 'n', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	wbuf_init(&w, buf, sizeof(buf));
	vici_build_packet(&b, &w, VICI_EVENT, long_name);
	assert_int_equal(vici_build_finish(&b, &len), IFS_ERR_RANGE);
	vici_build_packet(&b, &w, VICI_CMD_RESPONSE, "x");
	assert_int_equal(vici_build_finish(&b, &len), IFS_ERR_INVAL);
	vici_build_packet(&b, &w, VICI_CMD_REQUEST, NULL);
	assert_int_equal(vici_build_finish(&b, &len), IFS_ERR_INVAL);
	vici_build_packet(&b, &w, (enum vici_pkt)8, NULL);
	assert_int_equal(vici_build_finish(&b, &len), IFS_ERR_INVAL);
	/* No message on a type that carries none. */
	vici_build_packet(&b, &w, VICI_EVENT_CONFIRM, NULL);
	assert_false(vici_kv_str(&b, "k", "v"));
	assert_int_equal(vici_build_finish(&b, &len), IFS_ERR_INVAL);

	/* The buffer runs out: at every size short of the whole packet. */
	for (size_t cap = 0; cap < sizeof(version_response) - 1; cap++) {
		wbuf_init(&w, buf, cap);
		vici_build_packet(&b, &w, VICI_CMD_RESPONSE, NULL);
		vici_kv_str(&b, "daemon", "ifsecd");
		vici_kv_str(&b, "version", "0.1.0");
		vici_kv_str(&b, "sysname", "Linux");
		vici_kv_str(&b, "release", "6.1.0");
		vici_kv_str(&b, "machine", "x86_64");
		assert_int_equal(vici_build_finish(&b, &len), IFS_ERR_FULL);
		assert_true(wbuf_len(&w) <= cap);
	}
	/* A wbuf that failed before the packet began. */
	wbuf_init(&w, buf, 0);
	wbuf_u8(&w, 1);
	vici_build_packet(&b, &w, VICI_CMD_UNKNOWN, NULL);
	assert_int_equal(vici_build_finish(&b, &len), IFS_ERR_FULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build_version_request),
		cmocka_unit_test(test_build_version_response),
		cmocka_unit_test(test_build_initiate_request),
		cmocka_unit_test(test_build_two_packets),
		cmocka_unit_test(test_build_readme_example),
		cmocka_unit_test(test_build_bare_packets),
		cmocka_unit_test(test_parse_swanctl_version),
		cmocka_unit_test(test_parse_swanctl_initiate),
		cmocka_unit_test(test_parse_swanctl_terminate),
		cmocka_unit_test(test_parse_swanctl_load_shared),
		cmocka_unit_test(test_parse_swanctl_load_conn),
		cmocka_unit_test(test_parse_readme_example),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_node_equal),
		cmocka_unit_test(test_lookup_errors),
		cmocka_unit_test(test_reader_chunks),
		cmocka_unit_test(test_reader_one_at_a_time),
		cmocka_unit_test(test_reader_truncated),
		cmocka_unit_test(test_reader_oversized),
		cmocka_unit_test(test_reader_large),
		cmocka_unit_test(test_reader_rejects),
		cmocka_unit_test(test_packet_decode_good),
		cmocka_unit_test(test_parse_rejects),
		cmocka_unit_test(test_parse_depth),
		cmocka_unit_test(test_parse_element_count),
		cmocka_unit_test(test_build_rejects),
		cmocka_unit_test(test_build_limits_and_full),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
