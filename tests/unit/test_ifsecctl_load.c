/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ifsecctl's load requests (src/ifsecctl/load.c): the load-conn and
 * load-shared packets for a file must be the bytes strongSwan 5.9.8's
 * swanctl --load-all sent for the same file (captured with a VICI server
 * that printed what it received), lists split at commas with blanks
 * trimmed, ifsec's own list keys, and one test per rejection.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "control/vici.h"
#include "ifsecctl/load.h"

/* The file given to swanctl --load-all --file. */
static const char swanctl_conf[] =
	"connections {\n"
	"	gw {\n"
	"		local_addrs = 192.0.2.1\n"
	"		remote_addrs = 192.0.2.2\n"
	"		proposals = aes128gcm16-prfsha256-x25519, aes256-sha256-modp2048\n"
	"		local {\n"
	"			auth = psk\n"
	"			id = a.example.org\n"
	"		}\n"
	"		remote {\n"
	"			auth = psk\n"
	"			id = b.example.org\n"
	"		}\n"
	"		children {\n"
	"			net {\n"
	"				esp_proposals = aes128gcm16\n"
	"				local_ts = 10.0.0.0/24 , 10.1.0.0/24\n"
	"				start_action = start\n"
	"			}\n"
	"		}\n"
	"	}\n"
	"}\n"
	"secrets {\n"
	"	ike-one {\n"
	"		id-a = a.example.org\n"
	"		id-b = b.example.org\n"
	"		secret = 0x0102ff\n"
	"	}\n"
	"	ikefoo {\n"
	"		secret = \"plain text\"\n"
	"	}\n"
	"}\n";

/* What swanctl sent for it, length fields included. */
static const char swanctl_load_shared_one[] =
	"\x00\x00\x00\x59\x00\x0b\x6c\x6f\x61\x64\x2d\x73\x68\x61\x72\x65"
	"\x64\x03\x02\x69\x64\x00\x07\x69\x6b\x65\x2d\x6f\x6e\x65\x03\x04"
	"\x74\x79\x70\x65\x00\x03\x69\x6b\x65\x03\x04\x64\x61\x74\x61\x00"
	"\x03\x01\x02\xff\x04\x06\x6f\x77\x6e\x65\x72\x73\x05\x00\x0d\x61"
	"\x2e\x65\x78\x61\x6d\x70\x6c\x65\x2e\x6f\x72\x67\x05\x00\x0d\x62"
	"\x2e\x65\x78\x61\x6d\x70\x6c\x65\x2e\x6f\x72\x67\x06";

static const char swanctl_load_shared_foo[] =
	"\x00\x00\x00\x3f\x00\x0b\x6c\x6f\x61\x64\x2d\x73\x68\x61\x72\x65"
	"\x64\x03\x02\x69\x64\x00\x06\x69\x6b\x65\x66\x6f\x6f\x03\x04\x74"
	"\x79\x70\x65\x00\x03\x69\x6b\x65\x03\x04\x64\x61\x74\x61\x00\x0a"
	"\x70\x6c\x61\x69\x6e\x20\x74\x65\x78\x74\x04\x06\x6f\x77\x6e\x65"
	"\x72\x73\x06";

static const char swanctl_load_conn_gw[] =
	"\x00\x00\x01\x41\x00\x09\x6c\x6f\x61\x64\x2d\x63\x6f\x6e\x6e\x01"
	"\x02\x67\x77\x04\x0b\x6c\x6f\x63\x61\x6c\x5f\x61\x64\x64\x72\x73"
	"\x05\x00\x09\x31\x39\x32\x2e\x30\x2e\x32\x2e\x31\x06\x04\x0c\x72"
	"\x65\x6d\x6f\x74\x65\x5f\x61\x64\x64\x72\x73\x05\x00\x09\x31\x39"
	"\x32\x2e\x30\x2e\x32\x2e\x32\x06\x04\x09\x70\x72\x6f\x70\x6f\x73"
	"\x61\x6c\x73\x05\x00\x1c\x61\x65\x73\x31\x32\x38\x67\x63\x6d\x31"
	"\x36\x2d\x70\x72\x66\x73\x68\x61\x32\x35\x36\x2d\x78\x32\x35\x35"
	"\x31\x39\x05\x00\x16\x61\x65\x73\x32\x35\x36\x2d\x73\x68\x61\x32"
	"\x35\x36\x2d\x6d\x6f\x64\x70\x32\x30\x34\x38\x06\x01\x05\x6c\x6f"
	"\x63\x61\x6c\x03\x04\x61\x75\x74\x68\x00\x03\x70\x73\x6b\x03\x02"
	"\x69\x64\x00\x0d\x61\x2e\x65\x78\x61\x6d\x70\x6c\x65\x2e\x6f\x72"
	"\x67\x02\x01\x06\x72\x65\x6d\x6f\x74\x65\x03\x04\x61\x75\x74\x68"
	"\x00\x03\x70\x73\x6b\x03\x02\x69\x64\x00\x0d\x62\x2e\x65\x78\x61"
	"\x6d\x70\x6c\x65\x2e\x6f\x72\x67\x02\x01\x08\x63\x68\x69\x6c\x64"
	"\x72\x65\x6e\x01\x03\x6e\x65\x74\x04\x0d\x65\x73\x70\x5f\x70\x72"
	"\x6f\x70\x6f\x73\x61\x6c\x73\x05\x00\x0b\x61\x65\x73\x31\x32\x38"
	"\x67\x63\x6d\x31\x36\x06\x04\x08\x6c\x6f\x63\x61\x6c\x5f\x74\x73"
	"\x05\x00\x0b\x31\x30\x2e\x30\x2e\x30\x2e\x30\x2f\x32\x34\x05\x00"
	"\x0b\x31\x30\x2e\x31\x2e\x30\x2e\x30\x2f\x32\x34\x06\x03\x0c\x73"
	"\x74\x61\x72\x74\x5f\x61\x63\x74\x69\x6f\x6e\x00\x05\x73\x74\x61"
	"\x72\x74\x02\x02\x02";

#define BUF_LEN 4096

struct fixture {
	struct settings *st;
	uint8_t buf[BUF_LEN];
	struct wbuf w;
	size_t len;
};

static struct settings_node *section(struct settings *st, const char *a,
				     const char *b)
{
	struct settings_node *n = settings_find_section(settings_root(st), a);

	assert_non_null(n);
	n = settings_find_section(n, b);
	assert_non_null(n);
	return n;
}

static void parse(struct fixture *f, const char *text)
{
	struct settings_err err;

	memset(f, 0, sizeof(*f));
	if (settings_parse_string(text, strlen(text), "test.conf", NULL, &f->st, &err) != 0)
		fail_msg("%s", err.msg);
	wbuf_init(&f->w, f->buf, sizeof(f->buf));
}

/* The message of the one packet in f->buf, parsed. */
static struct vici_msg *parsed(const struct fixture *f, const char *cmd)
{
	struct vici_packet pkt;
	struct vici_msg *m = NULL;

	assert_true(f->len > VICI_LEN_HDR);
	assert_int_equal(vici_packet_decode(f->buf + VICI_LEN_HDR,
					    f->len - VICI_LEN_HDR, &pkt), 0);
	assert_int_equal(pkt.type, VICI_CMD_REQUEST);
	assert_string_equal(pkt.name, cmd);
	assert_int_equal(vici_msg_parse(pkt.msg, pkt.msg_len, &m), 0);
	return m;
}

static void assert_list(const struct vici_node *sec, const char *path,
			const char *const *want, size_t n_want)
{
	const struct vici_node *n = vici_find(sec, path);
	const struct vici_node *i;
	size_t k = 0;

	assert_non_null(n);
	assert_int_equal(n->kind, VICI_NODE_LIST);
	for (i = n->children; i; i = i->next, k++) {
		assert_true(k < n_want);
		assert_true(vici_node_is_str(i));
		assert_string_equal((const char *)i->value, want[k]);
	}
	assert_int_equal(k, n_want);
}

static void test_conn_as_swanctl(void **state)
{
	struct fixture f;

	(void)state;
	parse(&f, swanctl_conf);
	assert_int_equal(load_build_conn(&f.w, section(f.st, "connections", "gw"),
					 &f.len), 0);
	assert_int_equal(f.len, sizeof(swanctl_load_conn_gw) - 1);
	assert_memory_equal(f.buf, swanctl_load_conn_gw, f.len);
	settings_free(f.st);
}

static void test_shared_as_swanctl(void **state)
{
	struct fixture f;
	size_t len2;

	(void)state;
	parse(&f, swanctl_conf);
	assert_int_equal(load_build_shared(&f.w, section(f.st, "secrets", "ike-one"),
					   &f.len), 0);
	assert_int_equal(f.len, sizeof(swanctl_load_shared_one) - 1);
	assert_memory_equal(f.buf, swanctl_load_shared_one, f.len);
	/* A second packet goes after the first. */
	assert_int_equal(load_build_shared(&f.w, section(f.st, "secrets", "ikefoo"),
					   &len2), 0);
	assert_int_equal(len2, sizeof(swanctl_load_shared_foo) - 1);
	assert_memory_equal(f.buf + f.len, swanctl_load_shared_foo, len2);
	settings_free(f.st);
}

/* 0s base64 and 0x hex with colons decode as swanctl decodes them; the
 * id keys are all those starting "id", in file order. */
static void test_shared_encodings(void **state)
{
	static const char *const owners[] = { "c.example.org", "10.0.0.1" };
	struct fixture f;
	struct vici_msg *m;
	const struct vici_node *data;

	(void)state;
	parse(&f, "secrets {\n ike-b64 {\n  secret = 0sAQL/\n  id = c.example.org\n"
		  "  idx = 10.0.0.1\n }\n ike-hex {\n  secret = 0x01:02:ff\n }\n}\n");
	assert_int_equal(load_build_shared(&f.w, section(f.st, "secrets", "ike-b64"),
					   &f.len), 0);
	m = parsed(&f, "load-shared");
	data = vici_find(vici_msg_root(m), "data");
	assert_non_null(data);
	assert_int_equal(data->value_len, 3);
	assert_memory_equal(data->value, "\x01\x02\xff", 3);
	assert_list(vici_msg_root(m), "owners", owners, 2);
	vici_msg_free(m);

	wbuf_init(&f.w, f.buf, sizeof(f.buf));
	assert_int_equal(load_build_shared(&f.w, section(f.st, "secrets", "ike-hex"),
					   &f.len), 0);
	m = parsed(&f, "load-shared");
	data = vici_find(vici_msg_root(m), "data");
	assert_non_null(data);
	assert_int_equal(data->value_len, 3);
	assert_memory_equal(data->value, "\x01\x02\xff", 3);
	assert_list(vici_msg_root(m), "owners", NULL, 0);
	vici_msg_free(m);
	settings_free(f.st);
}

/* Every list key is split, at any level; other values (even with commas
 * or blanks) are sent as they are; an empty list stays a list. */
static void test_conn_lists(void **state)
{
	static const char *const addrs[] = { "198.51.100.1/30", "2001:db8:1::1/64" };
	static const char *const routes[] = { "203.0.113.64/26" };
	static const char *const remote_ts[] = { "10.2.0.0/16", "10.3.0.0/16", "::/0" };
	struct fixture f;
	struct vici_msg *m;
	const struct vici_node *root, *n;

	(void)state;
	parse(&f, "connections {\n c {\n  interface_addrs = 198.51.100.1/30,2001:db8:1::1/64\n"
		  "  routes = 203.0.113.64/26\n  remote_addrs =\n"
		  "  local { id = \"CN=a, O=b\" }\n"
		  "  children { net { remote_ts = 10.2.0.0/16 ,10.3.0.0/16,  ::/0\n"
		  "    rekey_time = 1h } }\n }\n}\n");
	assert_int_equal(load_build_conn(&f.w, section(f.st, "connections", "c"),
					 &f.len), 0);
	m = parsed(&f, "load-conn");
	root = vici_msg_root(m);
	assert_list(root, "c.interface_addrs", addrs, 2);
	assert_list(root, "c.routes", routes, 1);
	assert_list(root, "c.remote_addrs", NULL, 0);
	assert_list(root, "c.children.net.remote_ts", remote_ts, 3);
	n = vici_find(root, "c.local.id");
	assert_non_null(n);
	assert_int_equal(n->kind, VICI_NODE_KV);
	assert_string_equal((const char *)n->value, "CN=a, O=b");
	n = vici_find(root, "c.children.net.rekey_time");
	assert_non_null(n);
	assert_string_equal((const char *)n->value, "1h");
	vici_msg_free(m);
	settings_free(f.st);
}

static void test_list_keys(void **state)
{
	static const char *const lists[] = {
		"local_addrs", "remote_addrs", "proposals", "esp_proposals",
		"local_ts", "remote_ts", "interface_addrs", "routes",
	};
	static const char *const plain[] = {
		"id", "auth", "version", "start_action", "interface", "Proposals",
		"proposal", "", "routes_",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++)
		assert_true(load_is_list_key(lists[i]));
	for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++)
		assert_false(load_is_list_key(plain[i]));
}

static void test_conn_rejects(void **state)
{
	uint8_t small[16];
	struct fixture f;
	struct wbuf w;
	char deep[512];
	size_t len = 1;

	(void)state;
	/* An empty element in a list. */
	parse(&f, "connections {\n c {\n  local_ts = 10.0.0.0/8,,10.1.0.0/16\n }\n}\n");
	assert_int_equal(load_build_conn(&f.w, section(f.st, "connections", "c"),
					 &f.len), IFS_ERR_SYNTAX);
	assert_int_equal(f.len, 0);
	settings_free(f.st);

	/* A buffer too small. */
	parse(&f, swanctl_conf);
	wbuf_init(&w, small, sizeof(small));
	assert_int_equal(load_build_conn(&w, section(f.st, "connections", "gw"),
					 &len), IFS_ERR_FULL);
	assert_int_equal(len, 0);
	settings_free(f.st);

	/* Deeper than VICI allows. */
	strcpy(deep, "connections {\n c {\n");
	for (int i = 0; i < (int)VICI_MAX_DEPTH; i++)
		strcat(deep, "a {\n");
	strcat(deep, "k = v\n");
	for (int i = 0; i < (int)VICI_MAX_DEPTH; i++)
		strcat(deep, "}\n");
	strcat(deep, " }\n}\n");
	parse(&f, deep);
	assert_int_equal(load_build_conn(&f.w, section(f.st, "connections", "c"),
					 &f.len), IFS_ERR_RANGE);
	settings_free(f.st);
}

static void test_shared_rejects(void **state)
{
	uint8_t small[40];
	struct fixture f;
	struct wbuf w;
	size_t len = 1;

	(void)state;
	parse(&f, "secrets {\n eap-x {\n  secret = a\n }\n ike-none {\n  id = a\n }\n"
		  " ike-bad {\n  secret = 0xabc\n }\n"
		  " ike-big {\n  secret = 0123456789012345678901234567890123456789\n }\n}\n");
	assert_int_equal(load_build_shared(&f.w, section(f.st, "secrets", "eap-x"),
					   &f.len), IFS_ERR_UNSUPPORTED);
	assert_int_equal(load_build_shared(&f.w, section(f.st, "secrets", "ike-none"),
					   &f.len), IFS_ERR_NOT_FOUND);
	assert_true(load_build_shared(&f.w, section(f.st, "secrets", "ike-bad"),
				      &f.len) < 0);
	assert_int_equal(f.len, 0);
	assert_int_equal(wbuf_len(&f.w), 0);
	wbuf_init(&w, small, sizeof(small));
	assert_int_equal(load_build_shared(&w, section(f.st, "secrets", "ike-big"),
					   &len), IFS_ERR_FULL);
	assert_int_equal(len, 0);
	settings_free(f.st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_conn_as_swanctl),
		cmocka_unit_test(test_shared_as_swanctl),
		cmocka_unit_test(test_shared_encodings),
		cmocka_unit_test(test_conn_lists),
		cmocka_unit_test(test_list_keys),
		cmocka_unit_test(test_conn_rejects),
		cmocka_unit_test(test_shared_rejects),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
