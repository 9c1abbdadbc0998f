/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A VICI message as swanctl.conf text (src/control/vici_text.c): a
 * load-conn request as swanctl sends it, read back by conf_load_string()
 * into exact values; the exact text of a small message; values with
 * quotes, backslashes, comment and brace characters, blanks and UTF-8
 * read back byte for byte by the settings parser; one test per refusal,
 * each naming the key by its path; every buffer size short of the text;
 * and values that try to close the section and open another.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "config/conf.h"
#include "config/settings.h"
#include "control/vici.h"
#include "control/vici_text.h"
#include "ike/ike_wire.h"

#define TEXT_MAX 16384

static uint8_t msg_buf[8192];

/* ---- helpers ----------------------------------------------------------- */

/* The builder's message, parsed as the daemon parses a request. */
static struct vici_msg *finish_parse(struct vici_builder *b)
{
	struct vici_msg *m = NULL;
	size_t len;

	assert_int_equal(vici_build_finish(b, &len), 0);
	assert_int_equal(vici_msg_parse(msg_buf, len, &m), 0);
	return m;
}

static void begin(struct vici_builder *b, struct wbuf *w)
{
	wbuf_init(w, msg_buf, sizeof(msg_buf));
	vici_build_message(b, w);
}

/* The text for m under top, NUL-terminated in a heap buffer. */
static char *text_ok(const struct vici_msg *m, const char *top)
{
	char *buf = malloc(TEXT_MAX + 1);
	char why[256];
	struct wbuf w;
	int rc;

	assert_non_null(buf);
	wbuf_init(&w, buf, TEXT_MAX);
	rc = vici_to_settings_text(vici_msg_root(m), top, &w, why, sizeof(why));
	if (rc != 0)
		print_error("refused: %s\n", why);
	assert_int_equal(rc, 0);
	buf[wbuf_len(&w)] = '\0';
	return buf;
}

/* Refused with rc and a why that holds s. */
static void text_refused(const struct vici_msg *m, const char *top, int rc_want,
			 const char *s)
{
	char buf[TEXT_MAX];
	char why[256];
	struct wbuf w;
	int rc;

	wbuf_init(&w, buf, sizeof(buf));
	rc = vici_to_settings_text(vici_msg_root(m), top, &w, why, sizeof(why));
	if (rc != rc_want || !strstr(why, s))
		print_error("rc %d, why '%s'; expected %d, '%s'\n", rc, why, rc_want, s);
	assert_int_equal(rc, rc_want);
	assert_non_null(strstr(why, s));
}

static struct conf *conf_ok(const char *text)
{
	struct conf_err err;
	struct conf *c = NULL;
	int rc = conf_load_string(text, "load-conn", &c, &err);

	if (rc != 0)
		print_error("conf: %s\n--\n%s--\n", err.msg, text);
	assert_int_equal(rc, 0);
	assert_non_null(c);
	return c;
}

static struct settings *settings_ok(const char *text)
{
	struct settings_err err;
	struct settings *st = NULL;
	int rc = settings_parse_string(text, strlen(text), "t", NULL, &st, &err);

	if (rc != 0)
		print_error("settings: %s\n--\n%s--\n", err.msg, text);
	assert_int_equal(rc, 0);
	assert_non_null(st);
	return st;
}

static size_t n_children(const struct settings_node *sec)
{
	size_t n = 0;

	for (const struct settings_node *it = sec->children; it; it = it->next)
		n++;
	return n;
}

static void assert_addr(const struct ifs_addr *a, const char *s)
{
	char buf[IFS_ADDR_STRLEN];

	assert_string_equal(addr_str(a, buf), s);
}

static void assert_prefix(const struct ifs_prefix *p, const char *s)
{
	char buf[IFS_PREFIX_STRLEN];

	assert_string_equal(prefix_str(p, buf), s);
}

static void assert_prop(const struct ike_prop *p, const char *s)
{
	char buf[256];

	assert_string_equal(proposal_str(p, buf, sizeof(buf)), s);
}

static void assert_id(const struct ike_id *id, const char *s)
{
	char buf[128];

	assert_string_equal(ike_id_str(id->type, id->data, id->len, buf, sizeof(buf)), s);
}

/* ---- a load-conn request ----------------------------------------------- */

/* What swanctl --load-conns sends for
 *   gw { local_addrs = 192.0.2.1  remote_addrs = 192.0.2.2
 *        proposals = aes128gcm16-prfsha256-x25519, aes256-sha256-modp2048
 *        local { auth = psk  id = a.example.org }
 *        remote { auth = psk  id = b.example.org }
 *        children { net { esp_proposals = aes128gcm16
 *                         local_ts = 10.0.0.0/24, 10.1.0.0/24
 *                         start_action = start } } }
 * (list keys split at the commas into lists). */
static void build_load_conn(struct vici_builder *b)
{
	vici_begin_section(b, "gw");
	vici_begin_list(b, "local_addrs");
	vici_list_item_str(b, "192.0.2.1");
	vici_end_list(b);
	vici_begin_list(b, "remote_addrs");
	vici_list_item_str(b, "192.0.2.2");
	vici_end_list(b);
	vici_kv_str(b, "version", "2");
	vici_begin_list(b, "proposals");
	vici_list_item_str(b, "aes128gcm16-prfsha256-x25519");
	vici_list_item_str(b, "aes256-sha256-modp2048");
	vici_end_list(b);
	vici_begin_section(b, "local");
	vici_kv_str(b, "auth", "psk");
	vici_kv_str(b, "id", "a.example.org");
	vici_end_section(b);
	vici_begin_section(b, "remote");
	vici_kv_str(b, "auth", "psk");
	vici_kv_str(b, "id", "b.example.org");
	vici_end_section(b);
	vici_begin_section(b, "children");
	vici_begin_section(b, "net");
	vici_begin_list(b, "esp_proposals");
	vici_list_item_str(b, "aes128gcm16");
	vici_end_list(b);
	vici_begin_list(b, "local_ts");
	vici_list_item_str(b, "10.0.0.0/24");
	vici_list_item_str(b, "10.1.0.0/24");
	vici_end_list(b);
	vici_kv_str(b, "start_action", "start");
	vici_end_section(b);
	vici_end_section(b);
	vici_end_section(b);
}

static void test_load_conn(void **state)
{
	const struct conf_tunnel *t;
	const struct conf_child *ch;
	struct vici_builder b;
	struct vici_msg *m;
	struct conf *c;
	struct wbuf w;
	char *text;

	(void)state;
	begin(&b, &w);
	build_load_conn(&b);
	m = finish_parse(&b);
	text = text_ok(m, "connections");
	c = conf_ok(text);
	assert_int_equal(c->n_tunnels, 1);
	assert_int_equal(c->n_secrets, 0);
	t = &c->tunnels[0];
	assert_string_equal(t->name, "gw");
	assert_non_null(t->ike);
	assert_addr(&t->local, "192.0.2.1");
	assert_addr(&t->remote, "192.0.2.2");
	assert_false(t->ike->is_remote_any);
	assert_int_equal(t->ike->n_proposals, 2);
	assert_prop(&t->ike->proposals[0], "aes128gcm16-prfsha256-x25519");
	assert_prop(&t->ike->proposals[1], "aes256-sha256-prfsha256-modp2048");
	assert_id(&t->ike->local_id, "a.example.org");
	assert_int_equal(t->ike->local_id.type, IKE_ID_FQDN);
	assert_id(&t->ike->remote_id, "b.example.org");
	ch = &t->ike->child;
	assert_string_equal(ch->name, "net");
	assert_int_equal(ch->n_esp_proposals, 1);
	assert_prop(&ch->esp_proposals[0], "aes128gcm16-noesn");
	assert_int_equal(ch->n_local_ts, 2);
	assert_prefix(&ch->local_ts[0], "10.0.0.0/24");
	assert_prefix(&ch->local_ts[1], "10.1.0.0/24");
	assert_int_equal(ch->start_action, CONF_START_START);
	conf_free(c);
	free(text);
	vici_msg_free(m);
}

/* The text itself, for a message with each kind of element: a section
 * per line pair, every value quoted, a list joined with ", ", an empty
 * list and an empty section. */
static void test_exact_text(void **state)
{
	struct vici_builder b;
	struct vici_msg *m;
	struct wbuf w;
	char *text;

	(void)state;
	begin(&b, &w);
	vici_begin_section(&b, "gw");
	vici_kv_str(&b, "k", "v");
	vici_begin_list(&b, "l");
	vici_list_item_str(&b, "a");
	vici_list_item_str(&b, "b c");
	vici_end_list(&b);
	vici_begin_list(&b, "none");
	vici_end_list(&b);
	vici_begin_section(&b, "void");
	vici_end_section(&b);
	vici_end_section(&b);
	vici_kv_str(&b, "e", "");
	m = finish_parse(&b);
	text = text_ok(m, "top");
	assert_string_equal(text,
			    "top {\n"
			    "gw {\n"
			    "k = \"v\"\n"
			    "l = \"a, b c\"\n"
			    "none = \"\"\n"
			    "void {\n"
			    "}\n"
			    "}\n"
			    "e = \"\"\n"
			    "}\n");
	free(text);
	vici_msg_free(m);
	/* an empty message: just the top section */
	begin(&b, &w);
	m = finish_parse(&b);
	text = text_ok(m, "connections");
	assert_string_equal(text, "connections {\n}\n");
	free(text);
	vici_msg_free(m);
}

/* ---- quoting ------------------------------------------------------------ */

static const char *const awkward[] = {
	"a\"b",
	"\"",
	"\"\"\"",
	"back\\slash",
	"\\",
	"end\\",
	"\\\"",
	"\\n is not a newline",
	"\\\\n",
	"# not a comment",
	"x # nor this",
	"{",
	"}",
	"} x {",
	"a = b",
	"=",
	"  two  blanks  ",
	" ",
	"tab\there\t",
	"gr\xc3\xbc\xc3\x9f" "e \xe2\x9c\x93 \xf0\x9f\x94\x91",
	"include /etc/passwd",
	"\xff\xfe not UTF-8 \x80",
	"",
};

static void test_quoting_values(void **state)
{
	struct settings_node *top, *sec;
	struct vici_builder b;
	struct settings *st;
	struct vici_msg *m;
	struct wbuf w;
	char key[16];
	char *text;

	(void)state;
	begin(&b, &w);
	vici_begin_section(&b, "s");
	for (size_t i = 0; i < IFS_ARRAY_LEN(awkward); i++) {
		snprintf(key, sizeof(key), "k%zu", i);
		vici_kv_str(&b, key, awkward[i]);
	}
	vici_end_section(&b);
	m = finish_parse(&b);
	text = text_ok(m, "top");
	st = settings_ok(text);
	assert_int_equal(settings_n_warnings(st), 0);
	assert_int_equal(n_children(settings_root(st)), 1);
	top = settings_find_section(settings_root(st), "top");
	assert_non_null(top);
	assert_int_equal(n_children(top), 1);
	sec = settings_find_section(top, "s");
	assert_non_null(sec);
	assert_int_equal(n_children(sec), IFS_ARRAY_LEN(awkward));
	for (size_t i = 0; i < IFS_ARRAY_LEN(awkward); i++) {
		struct settings_node *kv;

		snprintf(key, sizeof(key), "k%zu", i);
		kv = settings_find_key(sec, key);
		assert_non_null(kv);
		if (strcmp(kv->value, awkward[i]) != 0)
			print_error("%s: '%s' came back as '%s'\n", key, awkward[i], kv->value);
		assert_string_equal(kv->value, awkward[i]);
	}
	settings_free(st);
	free(text);
	vici_msg_free(m);
}

/* List items (no commas) come back joined with ", ", each exactly. */
static void test_quoting_list(void **state)
{
	struct settings_node *kv;
	struct vici_builder b;
	struct settings *st;
	struct vici_msg *m;
	char want[1024] = "";
	struct wbuf w;
	char *text;

	(void)state;
	begin(&b, &w);
	vici_begin_list(&b, "l");
	for (size_t i = 0; i < IFS_ARRAY_LEN(awkward); i++) {
		vici_list_item_str(&b, awkward[i]);
		if (i)
			strcat(want, ", ");
		strcat(want, awkward[i]);
	}
	vici_end_list(&b);
	m = finish_parse(&b);
	text = text_ok(m, "top");
	st = settings_ok(text);
	kv = settings_find_key(settings_find_section(settings_root(st), "top"), "l");
	assert_non_null(kv);
	assert_string_equal(kv->value, want);
	settings_free(st);
	free(text);
	vici_msg_free(m);
}

/* A long value comes back whole or the settings parser refuses the
 * line it is on; it is never cut short. Up to SETTINGS_LINE_MAX less
 * the key and quotes it comes back. */
static void test_long_values(void **state)
{
	static const size_t lens[] = { 1000, 8000, 8150, 8192, 9000, 30000, 65535 };
	static char v[VICI_VALUE_MAX + 1];
	static uint8_t big[VICI_VALUE_MAX + 64];

	(void)state;
	memset(v, 'x', sizeof(v) - 1);
	for (size_t i = 0; i < IFS_ARRAY_LEN(lens); i++) {
		struct settings_err serr;
		struct settings *st = NULL;
		struct vici_builder b;
		struct vici_msg *m = NULL;
		struct wbuf w;
		char why[256];
		char *buf = malloc(2 * VICI_VALUE_MAX + 64);
		size_t len;
		int rc;

		assert_non_null(buf);
		wbuf_init(&w, big, sizeof(big));
		vici_build_message(&b, &w);
		vici_kv(&b, "k", v, lens[i]);
		assert_int_equal(vici_build_finish(&b, &len), 0);
		assert_int_equal(vici_msg_parse(big, len, &m), 0);
		wbuf_init(&w, buf, 2 * VICI_VALUE_MAX + 63);
		assert_int_equal(vici_to_settings_text(vici_msg_root(m), "top", &w, why,
						       sizeof(why)), 0);
		buf[wbuf_len(&w)] = '\0';
		rc = settings_parse_string(buf, wbuf_len(&w), "t", NULL, &st, &serr);
		if (lens[i] <= 8150)
			assert_int_equal(rc, 0);
		if (rc == 0) {
			struct settings_node *kv =
				settings_find_key(settings_find_section(settings_root(st),
									"top"), "k");

			assert_non_null(kv);
			assert_int_equal(strlen(kv->value), lens[i]);
			settings_free(st);
		} else {
			assert_null(st);
			assert_non_null(strstr(serr.msg, "line longer"));
		}
		vici_msg_free(m);
		free(buf);
	}
}

/* Names may use every character the settings syntax allows in one. */
static void test_names(void **state)
{
	static const char name[] = "aZ09-_.x";
	struct settings_node *top;
	struct vici_builder b;
	struct settings *st;
	struct vici_msg *m;
	struct wbuf w;
	char *text;
	char longest[VICI_NAME_MAX + 1];

	(void)state;
	memset(longest, 'n', VICI_NAME_MAX);
	longest[VICI_NAME_MAX] = '\0';
	begin(&b, &w);
	vici_kv_str(&b, name, "1");
	vici_begin_section(&b, longest);
	vici_kv_str(&b, longest, "2");
	vici_end_section(&b);
	/* a key named like the include statement is a key */
	vici_kv_str(&b, "include", "x");
	m = finish_parse(&b);
	text = text_ok(m, "top");
	st = settings_ok(text);
	top = settings_find_section(settings_root(st), "top");
	assert_non_null(top);
	assert_string_equal(settings_find_key(top, name)->value, "1");
	assert_string_equal(settings_find_key(settings_find_section(top, longest),
					      longest)->value, "2");
	assert_string_equal(settings_find_key(top, "include")->value, "x");
	settings_free(st);
	free(text);
	vici_msg_free(m);
}

/* ---- refusals ----------------------------------------------------------- */

static void refuse_name(const char *name, bool is_section, const char *path)
{
	struct vici_builder b;
	struct vici_msg *m;
	struct wbuf w;

	begin(&b, &w);
	vici_begin_section(&b, "gw");
	vici_begin_section(&b, "local");
	if (is_section) {
		vici_begin_section(&b, name);
		vici_end_section(&b);
	} else {
		vici_kv_str(&b, name, "v");
	}
	vici_end_section(&b);
	vici_end_section(&b);
	m = finish_parse(&b);
	text_refused(m, "connections", IFS_ERR_INVAL, path);
	text_refused(m, "connections", IFS_ERR_INVAL, "not a valid name");
	vici_msg_free(m);
}

static void test_refuse_names(void **state)
{
	(void)state;
	refuse_name("a b", false, "connections.gw.local.a b:");
	refuse_name("a b", true, "connections.gw.local.a b:");
	refuse_name("{", false, "connections.gw.local.{:");
	refuse_name("x{", true, "connections.gw.local.x{:");
	refuse_name("}", true, "connections.gw.local.}:");
	refuse_name("a\nb", false, "connections.gw.local.a\nb:");
	refuse_name("a\nb", true, "connections.gw.local.a\nb:");
	refuse_name("", false, "connections.gw.local.:");
	refuse_name("", true, "connections.gw.local.:");
	refuse_name("k=v", false, "connections.gw.local.k=v:");
	refuse_name("#", false, "connections.gw.local.#:");
	refuse_name("\"q\"", false, "connections.gw.local.\"q\":");
	refuse_name("t\tab", false, "connections.gw.local.t\tab:");
	refuse_name("gr\xc3\xbc\xc3\x9f" "e", false, "connections.gw.local.gr");
}

/* A list at the top is named by top.name too. */
static void test_refuse_list_name(void **state)
{
	struct vici_builder b;
	struct vici_msg *m;
	struct wbuf w;

	(void)state;
	begin(&b, &w);
	vici_begin_list(&b, "bad name");
	vici_list_item_str(&b, "x");
	vici_end_list(&b);
	m = finish_parse(&b);
	text_refused(m, "connections", IFS_ERR_INVAL, "connections.bad name:");
	vici_msg_free(m);
}

static void refuse_value(const void *v, size_t len, const char *what)
{
	struct vici_builder b;
	struct vici_msg *m;
	struct wbuf w;

	begin(&b, &w);
	vici_begin_section(&b, "gw");
	vici_kv_str(&b, "ok", "fine");
	vici_begin_section(&b, "remote");
	vici_kv(&b, "id", v, len);
	vici_end_section(&b);
	vici_end_section(&b);
	m = finish_parse(&b);
	text_refused(m, "connections", IFS_ERR_INVAL, "connections.gw.remote.id:");
	text_refused(m, "connections", IFS_ERR_INVAL, what);
	vici_msg_free(m);
}

static void test_refuse_values(void **state)
{
	(void)state;
	refuse_value("a\nb", 3, "control characters");
	refuse_value("\n", 1, "control characters");
	refuse_value("a\0b", 3, "control characters");
	refuse_value("\0", 1, "control characters");
	refuse_value("a\rb", 3, "control characters");
	refuse_value("a\x01", 2, "control characters");
	refuse_value("\x1b[31m", 5, "control characters");
	refuse_value("\x1f", 1, "control characters");
	refuse_value("del\x7f", 4, "control characters");
	refuse_value("line\\\nnext", 10, "control characters");
	/* every byte below 0x20 but tab, alone */
	for (unsigned ch = 0; ch < 0x20; ch++) {
		uint8_t v = (uint8_t)ch;

		if (ch != '\t')
			refuse_value(&v, 1, "control characters");
	}
}

static void refuse_item(const void *v, size_t len)
{
	struct vici_builder b;
	struct vici_msg *m;
	struct wbuf w;

	begin(&b, &w);
	vici_begin_section(&b, "gw");
	vici_begin_section(&b, "children");
	vici_begin_section(&b, "net");
	vici_begin_list(&b, "local_ts");
	vici_list_item_str(&b, "10.0.0.0/24");
	vici_list_item(&b, v, len);
	vici_end_list(&b);
	vici_end_section(&b);
	vici_end_section(&b);
	vici_end_section(&b);
	m = finish_parse(&b);
	text_refused(m, "connections", IFS_ERR_INVAL, "connections.gw.children.net.local_ts:");
	text_refused(m, "connections", IFS_ERR_INVAL, "list item");
	vici_msg_free(m);
}

static void test_refuse_items(void **state)
{
	(void)state;
	refuse_item("10.1.0.0/24,10.2.0.0/24", 23);
	refuse_item(",", 1);
	refuse_item("a\nb", 3);
	refuse_item("a\0", 2);
	refuse_item("\x7f", 1);
}

/* Too large for the buffer: every size short of the text fails with
 * IFS_ERR_FULL and says so, never writing past the buffer (ASan); the
 * exact size succeeds. */
static void test_too_large(void **state)
{
	struct vici_builder b;
	struct vici_msg *m;
	struct wbuf w;
	char why[256];
	char *text;
	size_t len;

	(void)state;
	begin(&b, &w);
	build_load_conn(&b);
	vici_kv_str(&b, "q", "\"quoted\" \\ value");
	m = finish_parse(&b);
	text = text_ok(m, "connections");
	len = strlen(text);
	for (size_t cap = 0; cap <= len; cap++) {
		char *buf = malloc(cap ? cap : 1);
		int rc;

		assert_non_null(buf);
		wbuf_init(&w, buf, cap);
		rc = vici_to_settings_text(vici_msg_root(m), "connections", &w, why, sizeof(why));
		if (cap < len) {
			assert_int_equal(rc, IFS_ERR_FULL);
			assert_non_null(strstr(why, "too large"));
		} else {
			assert_int_equal(rc, 0);
			assert_int_equal(wbuf_len(&w), len);
			assert_memory_equal(buf, text, len);
		}
		free(buf);
	}
	free(text);
	vici_msg_free(m);
}

/* ---- nothing structural gets in ---------------------------------------- */

/* Each value comes back as one value of gw, or is refused; in no case
 * does the text hold another section or key. */
static const char *const injections[] = {
	"}\nconnections { evil {",
	"\"}\nconnections { evil {",
	"\" } connections { evil { local_addrs = 10.0.0.1",
	"\\\" } connections { evil {",
	"\\",
	"x\" # ",
	"\"\nsecrets { ike-x { secret = known } }\n",
	"\" } secrets { ike-x { secret = known } } x = \"",
	"\\\"\\\\\" } evil {",
	"a\r\nevil {",
	"include /etc/*",
};

static void check_injection(const char *v, bool is_list)
{
	struct settings_node *top, *gw, *kv;
	struct vici_builder b;
	struct settings *st;
	struct vici_msg *m;
	struct wbuf w;
	char buf[TEXT_MAX + 1];
	char why[256];
	int rc;

	begin(&b, &w);
	vici_begin_section(&b, "gw");
	if (is_list) {
		vici_begin_list(&b, "v");
		vici_list_item_str(&b, v);
		vici_end_list(&b);
	} else {
		vici_kv_str(&b, "v", v);
	}
	vici_end_section(&b);
	m = finish_parse(&b);
	wbuf_init(&w, buf, TEXT_MAX);
	rc = vici_to_settings_text(vici_msg_root(m), "connections", &w, why, sizeof(why));
	vici_msg_free(m);
	if (rc != 0) {
		assert_int_equal(rc, IFS_ERR_INVAL);
		assert_non_null(strstr(why, "connections.gw.v"));
		return;
	}
	buf[wbuf_len(&w)] = '\0';
	st = settings_ok(buf);
	assert_int_equal(n_children(settings_root(st)), 1);
	top = settings_find_section(settings_root(st), "connections");
	assert_non_null(top);
	assert_int_equal(n_children(top), 1);
	gw = settings_find_section(top, "gw");
	assert_non_null(gw);
	assert_int_equal(n_children(gw), 1);
	kv = settings_find_key(gw, "v");
	assert_non_null(kv);
	assert_string_equal(kv->value, v);
	settings_free(st);
}

static void test_no_injection(void **state)
{
	(void)state;
	for (size_t i = 0; i < IFS_ARRAY_LEN(injections); i++) {
		check_injection(injections[i], false);
		if (!strchr(injections[i], ','))
			check_injection(injections[i], true);
	}
}

/* The same through conf_load_string(): a connection whose value tries to
 * add a second connection and a secret loads as one connection, and the
 * value is refused by the connection's own checks. */
static void test_no_injection_conf(void **state)
{
	struct vici_builder b;
	struct conf_err err;
	struct conf *c = NULL;
	struct vici_msg *m;
	struct wbuf w;
	char *text;

	(void)state;
	begin(&b, &w);
	vici_begin_section(&b, "gw");
	vici_begin_list(&b, "local_addrs");
	vici_list_item_str(&b, "192.0.2.1");
	vici_end_list(&b);
	vici_begin_section(&b, "local");
	vici_kv_str(&b, "auth", "psk");
	vici_kv_str(&b, "id", "a\" } } secrets { ike-x { secret = known } } "
		    "connections { evil { local_addrs = 10.0.0.1 } } x { y = \"");
	vici_end_section(&b);
	vici_end_section(&b);
	m = finish_parse(&b);
	text = text_ok(m, "connections");
	if (conf_load_string(text, "load-conn", &c, &err) == 0) {
		assert_int_equal(c->n_tunnels, 1);
		assert_string_equal(c->tunnels[0].name, "gw");
		assert_int_equal(c->n_secrets, 0);
		conf_free(c);
	} else {
		assert_null(c);
		assert_null(strstr(err.msg, "evil"));
	}
	free(text);
	vici_msg_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load_conn),
		cmocka_unit_test(test_exact_text),
		cmocka_unit_test(test_quoting_values),
		cmocka_unit_test(test_quoting_list),
		cmocka_unit_test(test_long_values),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_refuse_names),
		cmocka_unit_test(test_refuse_list_name),
		cmocka_unit_test(test_refuse_values),
		cmocka_unit_test(test_refuse_items),
		cmocka_unit_test(test_too_large),
		cmocka_unit_test(test_no_injection),
		cmocka_unit_test(test_no_injection_conf),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
