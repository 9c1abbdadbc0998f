/* SPDX-License-Identifier: BSD-2-Clause */
/* The settings grammar (src/config/settings.h): tree, lines, includes,
 * warnings, value conversions and every syntax error with its line. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/settings.h"

static struct settings *parse_ok(const char *text)
{
	struct settings_err err;
	struct settings *st = NULL;
	int rc = settings_parse_string(text, strlen(text), "t.conf", NULL, &st, &err);

	if (rc != 0)
		print_error("unexpected error: %s\n", err.msg);
	assert_int_equal(rc, 0);
	assert_non_null(st);
	return st;
}

/* Parsing fails and the message holds every given substring. */
static void parse_fails(const char *text, const char *s1, const char *s2)
{
	struct settings_err err;
	struct settings *st = NULL;
	int rc = settings_parse_string(text, strlen(text), "t.conf", NULL, &st, &err);

	assert_true(rc < 0);
	assert_null(st);
	if (!strstr(err.msg, s1) || (s2 && !strstr(err.msg, s2)))
		print_error("message: %s\n", err.msg);
	assert_non_null(strstr(err.msg, s1));
	if (s2)
		assert_non_null(strstr(err.msg, s2));
}

static struct settings_node *sec(struct settings_node *parent, const char *name)
{
	struct settings_node *s = settings_find_section(parent, name);

	assert_non_null(s);
	return s;
}

static const char *val(struct settings_node *parent, const char *key)
{
	struct settings_node *kv = settings_find_key(parent, key);

	assert_non_null(kv);
	return kv->value;
}

static void test_sections_and_lines(void **state)
{
	struct settings *st = parse_ok(
		"# a comment\n"                  /* 1 */
		"a {\n"                          /* 2 */
		"\tk1 = v1\n"                    /* 3 */
		"\n"                             /* 4 */
		"\tb {\n"                        /* 5 */
		"\t\tk2 = two words   here\n"    /* 6 */
		"\t}\n"                          /* 7 */
		"\tk3 = x; y # comment\n"        /* 8 */
		"}\n"                            /* 9 */
		"c { d { e = 1 } f = 2 }\n");    /* 10 */
	struct settings_node *root = settings_root(st), *a, *b, *kv;
	char path[64];

	(void)state;
	a = sec(root, "a");
	assert_int_equal(a->line, 2);
	assert_string_equal(a->file, "t.conf");
	kv = settings_find_key(a, "k1");
	assert_non_null(kv);
	assert_string_equal(kv->value, "v1");
	assert_int_equal(kv->line, 3);
	b = sec(a, "b");
	assert_int_equal(b->line, 5);
	/* Words are joined with one space, as strongSwan joins them. */
	assert_string_equal(val(b, "k2"), "two words here");
	/* ';' does not end a value; '#' does. */
	assert_string_equal(val(a, "k3"), "x; y");
	assert_string_equal(settings_path(b, path, sizeof(path)), "a.b");
	/* '}' ends a value on the same line. */
	assert_string_equal(val(sec(sec(root, "c"), "d"), "e"), "1");
	assert_string_equal(val(sec(root, "c"), "f"), "2");
	assert_int_equal(settings_find_key(sec(root, "c"), "f")->line, 10);
	assert_null(settings_find_key(a, "nope"));
	assert_null(settings_find_section(a, "k1"));   /* a key, not a section */
	assert_int_equal(settings_n_warnings(st), 0);
	settings_free(st);
}

static void test_quotes(void **state)
{
	struct settings *st = parse_ok(
		"s {\n"                                    /* 1 */
		"\tq1 = \"a \\\"b\\\" \\\\ c # not a comment\"\n" /* 2 */
		"\tq2 = \"tab\\there\\nnewline\"\n"        /* 3 */
		"\tq3 = \"spans\n"                         /* 4 */
		"two lines\"\n"                            /* 5 */
		"\tq4 = \"joined \\\n"                     /* 6 */
		"line\"\n"                                 /* 7 */
		"\tq5 = \"  kept  blanks \"\n"             /* 8 */
		"\tq6 = \"\"\n"                            /* 9 */
		"\tq7 = word \"quoted part\"\n"            /* 10 */
		"\tafter = 1\n"                            /* 11 */
		"}\n");
	struct settings_node *s = sec(settings_root(st), "s");

	(void)state;
	assert_string_equal(val(s, "q1"), "a \"b\" \\ c # not a comment");
	assert_string_equal(val(s, "q2"), "tab\there\nnewline");
	assert_string_equal(val(s, "q3"), "spans\ntwo lines");
	assert_string_equal(val(s, "q4"), "joined line");
	assert_string_equal(val(s, "q5"), "  kept  blanks ");
	assert_string_equal(val(s, "q6"), "");
	assert_string_equal(val(s, "q7"), "word quoted part");
	/* Lines inside quoted values still count. */
	assert_int_equal(settings_find_key(s, "after")->line, 11);
	settings_free(st);
}

static void test_empty_value_and_crlf(void **state)
{
	struct settings *st = parse_ok("s {\r\n\tk =\r\n\tl = v \r\n}\r\n\r\n");
	struct settings_node *s = sec(settings_root(st), "s");

	(void)state;
	assert_string_equal(val(s, "k"), "");
	assert_string_equal(val(s, "l"), "v");
	assert_int_equal(settings_find_key(s, "l")->line, 3);
	settings_free(st);
}

static void test_merge_and_order(void **state)
{
	struct settings *st = parse_ok(
		"m {\n"            /* 1 */
		"\tx = 1\n"        /* 2 */
		"\tt1 { }\n"       /* 3 */
		"}\n"              /* 4 */
		"other { }\n"      /* 5 */
		"m {\n"            /* 6 */
		"\ty = 2\n"        /* 7 */
		"\tt2 { }\n"       /* 8 */
		"\tt1 { z = 3 }\n" /* 9 */
		"}\n");
	struct settings_node *root = settings_root(st), *m, *it;
	const char *names[4];
	size_t n = 0;

	(void)state;
	m = sec(root, "m");
	assert_int_equal(m->line, 1);
	settings_foreach(m, SETTINGS_KEY, it)
		names[n++] = it->name;
	assert_int_equal(n, 2);
	assert_string_equal(names[0], "x");
	assert_string_equal(names[1], "y");
	n = 0;
	settings_foreach(m, SETTINGS_SECTION, it)
		names[n++] = it->name;
	assert_int_equal(n, 2);
	assert_string_equal(names[0], "t1");
	assert_string_equal(names[1], "t2");
	assert_string_equal(val(sec(m, "t1"), "z"), "3");
	n = 0;
	settings_foreach(root, SETTINGS_SECTION, it)
		names[n++] = it->name;
	assert_int_equal(n, 2);
	assert_string_equal(names[0], "m");
	assert_string_equal(names[1], "other");
	assert_true(settings_is_empty(sec(root, "other")));
	assert_false(settings_is_empty(m));
	assert_int_equal(settings_n_warnings(st), 0);
	settings_free(st);
}

static void test_repeated_key_warns(void **state)
{
	struct settings *st = parse_ok("s {\n\tk = first\n\tk = second\n}\n");
	struct settings_node *kv;

	(void)state;
	kv = settings_find_key(sec(settings_root(st), "s"), "k");
	assert_string_equal(kv->value, "second");
	assert_int_equal(kv->line, 3);
	assert_int_equal(settings_n_warnings(st), 1);
	assert_non_null(strstr(settings_warning(st, 0), "t.conf:3:"));
	assert_non_null(strstr(settings_warning(st, 0), "'k'"));
	assert_non_null(strstr(settings_warning(st, 0), "t.conf:2"));
	assert_null(settings_warning(st, 1));
	settings_free(st);
}

static void test_check_used(void **state)
{
	struct settings *st = parse_ok(
		"a {\n"              /* 1 */
		"\tknown = 1\n"      /* 2 */
		"\tb {\n"            /* 3 */
		"\t\tok = 1\n"       /* 4 */
		"\t\ttypo = 2\n"     /* 5 */
		"\t}\n"              /* 6 */
		"\tstray { }\n"      /* 7 */
		"}\n");
	struct settings_node *root = settings_root(st), *a, *b;
	struct settings_err err;

	(void)state;
	a = sec(root, "a");
	(void)val(a, "known");
	b = sec(a, "b");
	(void)val(b, "ok");
	assert_int_equal(settings_check_used(root, &err), IFS_ERR_NOT_FOUND);
	assert_non_null(strstr(err.msg, "t.conf:5:"));
	assert_non_null(strstr(err.msg, "unknown key 'typo'"));
	assert_non_null(strstr(err.msg, "'a.b'"));
	settings_mark_used(settings_find_key(b, "typo"));
	assert_int_equal(settings_check_used(root, &err), IFS_ERR_NOT_FOUND);
	assert_non_null(strstr(err.msg, "t.conf:7:"));
	assert_non_null(strstr(err.msg, "unknown section 'stray'"));
	(void)sec(a, "stray");
	assert_int_equal(settings_check_used(root, &err), 0);
	settings_free(st);
}

static void test_lists(void **state)
{
	struct settings_list l;

	(void)state;
	assert_int_equal(settings_list_split("a, b ,c", &l), 0);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.items[0], "a");
	assert_string_equal(l.items[1], "b");
	assert_string_equal(l.items[2], "c");
	settings_list_clear(&l);
	assert_int_equal(settings_list_split("single", &l), 0);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.items[0], "single");
	settings_list_clear(&l);
	assert_int_equal(settings_list_split("  ", &l), 0);
	assert_int_equal(l.n, 0);
	settings_list_clear(&l);
	assert_int_equal(settings_list_split("a,,b", &l), IFS_ERR_SYNTAX);
	assert_int_equal(l.n, 0);
	assert_int_equal(settings_list_split("a,", &l), IFS_ERR_SYNTAX);
	assert_int_equal(settings_list_split(", a", &l), IFS_ERR_SYNTAX);
	assert_int_equal(settings_list_split("a, ,b", &l), IFS_ERR_SYNTAX);
}

static void test_list_kv_error(void **state)
{
	struct settings *st = parse_ok("s {\n\n\troutes = a,,b\n}\n");
	struct settings_node *kv = settings_find_key(sec(settings_root(st), "s"),
						     "routes");
	struct settings_list l;
	struct settings_err err;

	(void)state;
	assert_int_equal(settings_kv_list(kv, &l, &err), IFS_ERR_SYNTAX);
	assert_non_null(strstr(err.msg, "t.conf:3: routes:"));
	assert_non_null(strstr(err.msg, "empty element"));
	settings_free(st);
}

static void test_bools(void **state)
{
	static const char *const yes[] = { "yes", "YES", "true", "True", "1", "enabled" };
	static const char *const no[] = { "no", "No", "false", "0", "disabled" };
	bool b;

	(void)state;
	for (size_t i = 0; i < IFS_ARRAY_LEN(yes); i++) {
		assert_int_equal(settings_parse_bool(yes[i], &b), 0);
		assert_true(b);
	}
	for (size_t i = 0; i < IFS_ARRAY_LEN(no); i++) {
		b = true;
		assert_int_equal(settings_parse_bool(no[i], &b), 0);
		assert_false(b);
	}
	assert_int_equal(settings_parse_bool("maybe", &b), IFS_ERR_SYNTAX);
	assert_int_equal(settings_parse_bool("", &b), IFS_ERR_SYNTAX);
	assert_int_equal(settings_parse_bool("yes ", &b), IFS_ERR_SYNTAX);
}

static void test_ints(void **state)
{
	int64_t v;

	(void)state;
	assert_int_equal(settings_parse_int("1024", 0, 65536, &v), 0);
	assert_int_equal(v, 1024);
	assert_int_equal(settings_parse_int("0x1000", 0, UINT32_MAX, &v), 0);
	assert_int_equal(v, 0x1000);
	assert_int_equal(settings_parse_int("0XfFfFfFfF", 0, UINT32_MAX, &v), 0);
	assert_int_equal(v, 0xffffffff);
	assert_int_equal(settings_parse_int("-5", -10, 10, &v), 0);
	assert_int_equal(v, -5);
	assert_int_equal(settings_parse_int("010", 0, 100, &v), 0);
	assert_int_equal(v, 10);   /* no octal */
	assert_int_equal(settings_parse_int("65537", 0, 65536, &v), IFS_ERR_RANGE);
	assert_int_equal(v, 0);
	assert_int_equal(settings_parse_int("-1", 0, 10, &v), IFS_ERR_RANGE);
	assert_int_equal(settings_parse_int("99999999999999999999", 0, INT64_MAX, &v),
			 IFS_ERR_RANGE);
	assert_int_equal(settings_parse_int("-9223372036854775808", INT64_MIN, 0, &v), 0);
	assert_true(v == INT64_MIN);
	assert_int_equal(settings_parse_int("9223372036854775808", 0, INT64_MAX, &v),
			 IFS_ERR_RANGE);
	assert_int_equal(settings_parse_int("12a", 0, 100, &v), IFS_ERR_SYNTAX);
	assert_int_equal(settings_parse_int("", 0, 100, &v), IFS_ERR_SYNTAX);
	assert_int_equal(settings_parse_int("0x", 0, 100, &v), IFS_ERR_SYNTAX);
	assert_int_equal(settings_parse_int(" 1", 0, 100, &v), IFS_ERR_SYNTAX);
	assert_int_equal(settings_parse_int("+1", 0, 100, &v), IFS_ERR_SYNTAX);
	assert_int_equal(settings_parse_int("-", 0, 100, &v), IFS_ERR_SYNTAX);
}

static void test_times(void **state)
{
	uint64_t s;

	(void)state;
	assert_int_equal(settings_parse_time("30", &s), 0);
	assert_int_equal(s, 30);
	assert_int_equal(settings_parse_time("30s", &s), 0);
	assert_int_equal(s, 30);
	assert_int_equal(settings_parse_time("5m", &s), 0);
	assert_int_equal(s, 300);
	assert_int_equal(settings_parse_time("4h", &s), 0);
	assert_int_equal(s, 14400);
	assert_int_equal(settings_parse_time("2d", &s), 0);
	assert_int_equal(s, 172800);
	assert_int_equal(settings_parse_time("0", &s), 0);
	assert_int_equal(s, 0);
	assert_int_equal(settings_parse_time("1x", &s), IFS_ERR_SYNTAX);
	assert_int_equal(settings_parse_time("m", &s), IFS_ERR_SYNTAX);
	assert_int_equal(settings_parse_time("", &s), IFS_ERR_SYNTAX);
	assert_int_equal(settings_parse_time("1hm", &s), IFS_ERR_SYNTAX);
	assert_int_equal(settings_parse_time("-1", &s), IFS_ERR_SYNTAX);
	assert_int_equal(settings_parse_time("1.5h", &s), IFS_ERR_SYNTAX);
	assert_int_equal(settings_parse_time("999999999999999999d", &s), IFS_ERR_RANGE);
	assert_int_equal(s, 0);
}

/* strongSwan's rekey_bytes syntax: suffixes k, m, g of 1024. */
static void test_bytes(void **state)
{
	static const struct {
		const char *text;
		int rc;
		uint64_t v;
	} cases[] = {
		{ "0", 0, 0 }, { "1000", 0, 1000 }, { "1k", 0, 1024 },
		{ "1K", 0, 1024 }, { "2m", 0, 2 << 20 }, { "5M", 0, 5 << 20 },
		{ "3g", 0, UINT64_C(3) << 30 }, { "4 G", 0, UINT64_C(4) << 30 },
		{ "0x10", 0, 16 }, { "0x10k", 0, 16 << 10 },
		{ "17179869183g", 0, UINT64_MAX - (UINT64_C(1) << 30) + 1 },
		{ "", IFS_ERR_SYNTAX, 0 }, { "k", IFS_ERR_SYNTAX, 0 },
		{ "1 ", IFS_ERR_SYNTAX, 0 }, { " 1k", IFS_ERR_SYNTAX, 0 },
		{ "1kb", IFS_ERR_SYNTAX, 0 }, { "1t", IFS_ERR_SYNTAX, 0 },
		{ "-1", IFS_ERR_SYNTAX, 0 }, { "1.5m", IFS_ERR_SYNTAX, 0 },
		{ "0x", IFS_ERR_SYNTAX, 0 }, { "0xk", IFS_ERR_SYNTAX, 0 },
		{ "17179869184g", IFS_ERR_RANGE, 0 },
		{ "18446744073709551616", IFS_ERR_RANGE, 0 },
	};
	uint64_t v;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = settings_parse_bytes(cases[i].text, &v);

		if (rc != cases[i].rc || v != cases[i].v)
			fail_msg("'%s': %d %llu, expected %d %llu", cases[i].text, rc,
				 (unsigned long long)v, cases[i].rc,
				 (unsigned long long)cases[i].v);
	}
	assert_int_equal(settings_parse_bytes("18446744073709551615", &v), 0);
	assert_true(v == UINT64_MAX);
}

static void assert_secret(const char *text, const void *bytes, size_t len)
{
	struct secret *s = NULL;

	assert_int_equal(settings_parse_secret(text, &s), 0);
	assert_non_null(s);
	assert_int_equal(s->len, len);
	assert_memory_equal(s->data, bytes, len);
	secret_free(s);
}

static void test_secrets(void **state)
{
	struct secret *s = (struct secret *)1;

	(void)state;
	assert_secret("0x0102fF", "\x01\x02\xff", 3);
	assert_secret("0x01:02:03", "\x01\x02\x03", 3);
	/* RFC 4648 §10 test vectors. */
	assert_secret("0sZm9vYmFy", "foobar", 6);
	assert_secret("0sZm9vYg==", "foob", 4);
	assert_secret("0sZm8=", "fo", 2);
	assert_secret("0sZg==", "f", 1);
	assert_secret("0s+/+/", "\xfb\xff\xbf", 3);
	assert_secret("plain text psk", "plain text psk", 14);
	assert_secret("0X12", "0X12", 4);   /* only lower-case prefixes decode */

	assert_int_equal(settings_parse_secret("", &s), IFS_ERR_INVAL);
	assert_null(s);
	assert_int_equal(settings_parse_secret("0x", &s), IFS_ERR_INVAL);
	assert_int_equal(settings_parse_secret("0s", &s), IFS_ERR_INVAL);
	assert_int_equal(settings_parse_secret("0x123", &s), IFS_ERR_SYNTAX);
	assert_int_equal(settings_parse_secret("0x12zz", &s), IFS_ERR_SYNTAX);
	assert_int_equal(settings_parse_secret("0x:12", &s), IFS_ERR_SYNTAX);
	assert_int_equal(settings_parse_secret("0x12:", &s), IFS_ERR_SYNTAX);
	assert_int_equal(settings_parse_secret("0x12::34", &s), IFS_ERR_SYNTAX);
	assert_int_equal(settings_parse_secret("0x12 34", &s), IFS_ERR_SYNTAX);
	assert_int_equal(settings_parse_secret("0sZm9", &s), IFS_ERR_SYNTAX);
	assert_int_equal(settings_parse_secret("0sZ===", &s), IFS_ERR_SYNTAX);
	assert_int_equal(settings_parse_secret("0sZg==Zg==", &s), IFS_ERR_SYNTAX);
	assert_int_equal(settings_parse_secret("0sZh==", &s), IFS_ERR_SYNTAX);
	assert_int_equal(settings_parse_secret("0sZm9=", &s), IFS_ERR_SYNTAX);
	assert_int_equal(settings_parse_secret("0sZm!v", &s), IFS_ERR_SYNTAX);
	assert_int_equal(settings_parse_secret("0s=Zm9", &s), IFS_ERR_SYNTAX);
	assert_null(s);
}

/* A bad secret's message says what is wrong and never what it is. */
static void test_secret_not_echoed(void **state)
{
	struct settings *st = parse_ok(
		"s {\n\tpsk = 0xdeadbeefcafe123\n\tb64 = 0sc2VjcmV0c2VjcmV0!===\n}\n");
	struct settings_node *s = sec(settings_root(st), "s");
	struct settings_err err;
	struct secret *out;

	(void)state;
	assert_true(settings_kv_secret(settings_find_key(s, "psk"), &out, &err) < 0);
	assert_null(out);
	assert_non_null(strstr(err.msg, "t.conf:2: psk:"));
	assert_null(strstr(err.msg, "deadbeef"));
	assert_null(strstr(err.msg, "cafe"));
	assert_true(settings_kv_secret(settings_find_key(s, "b64"), &out, &err) < 0);
	assert_non_null(strstr(err.msg, "t.conf:3: b64:"));
	assert_null(strstr(err.msg, "c2Vj"));
	settings_free(st);
}

static void test_kv_conversions(void **state)
{
	struct settings *st = parse_ok(
		"s {\n\tb = perhaps\n\tn = 70000\n\tt = soon\n\tw = two words\n}\n");
	struct settings_node *s = sec(settings_root(st), "s");
	struct settings_err err;
	uint64_t t;
	int64_t n;
	bool b;

	(void)state;
	assert_true(settings_kv_bool(settings_find_key(s, "b"), &b, &err) < 0);
	assert_non_null(strstr(err.msg, "t.conf:2: b: 'perhaps'"));
	assert_int_equal(settings_kv_int(settings_find_key(s, "n"), 0, 65535, &n,
					 &err), IFS_ERR_RANGE);
	assert_non_null(strstr(err.msg, "t.conf:3: n: '70000' is out of range"));
	assert_true(settings_kv_time(settings_find_key(s, "t"), &t, &err) < 0);
	assert_non_null(strstr(err.msg, "t.conf:4: t:"));
	/* More than one word is not echoed: it may hold what was meant for
	 * other keys. */
	assert_true(settings_kv_int(settings_find_key(s, "w"), 0, 1, &n, &err) < 0);
	assert_non_null(strstr(err.msg, "t.conf:5: w: the value"));
	assert_null(strstr(err.msg, "two"));
	settings_free(st);
}

static void test_syntax_errors(void **state)
{
	(void)state;
	parse_fails("a {\n\tk = v\n}\n}\n", "t.conf:4:", "'}'");
	parse_fails("a {\n\tb {\n\t\tk = v\n\t}\n", "t.conf:1:", "section 'a' is not closed");
	parse_fails("a {\n\tk v\n}\n", "t.conf:2:", "expected '=' or '{' after 'k'");
	parse_fails("a {\n\tk\n}\n", "t.conf:2:", "after 'k'");
	parse_fails("a {\n\n\tk = \"open\n\n}\n", "t.conf:3:", "unterminated quoted string");
	parse_fails("a {\n\tk = \"ends in escape\\", "t.conf:2:", "unterminated");
	parse_fails("a {\n\t= v\n}\n", "t.conf:2:", "'=' without a key");
	parse_fails("\n{\n}\n", "t.conf:2:", "'{' without a section name");
	parse_fails("a {\n\tk@y = 1\n}\n", "t.conf:2:", "unexpected character '@'");
	parse_fails("a {\n\t\"q\" = 1\n}\n", "t.conf:2:", "quoted");
	parse_fails("a : b {\n}\n", "t.conf:1:", "not supported");
	parse_fails("a {\n\tinclude\n}\n", "t.conf:2:", "include without a pattern");
	parse_fails("include x.conf\n", "t.conf:1:", "include is not available");
	parse_fails("a {\n\tk = v\xc3\n\x01 = 2\n}\n", "t.conf:3:", "byte 0x01");
}

static void test_nul_and_long_lines(void **state)
{
	static const char text[] = "a {\n\tk = v\0w\n}\n";
	struct settings_err err;
	struct settings *st;
	char *big;

	(void)state;
	assert_true(settings_parse_string(text, sizeof(text) - 1, "t.conf", NULL,
					  &st, &err) < 0);
	assert_non_null(strstr(err.msg, "t.conf:2: NUL byte"));

	big = malloc(SETTINGS_LINE_MAX + 20);
	assert_non_null(big);
	memset(big, 'x', SETTINGS_LINE_MAX + 19);
	memcpy(big, "\nk = ", 5);
	big[SETTINGS_LINE_MAX + 19] = '\0';
	parse_fails(big, "t.conf:2:", "line longer than");
	free(big);
}

static void test_bounds(void **state)
{
	char name[SETTINGS_NAME_MAX + 10], deep[SETTINGS_DEPTH_MAX * 4 + 16];
	size_t pos = 0;

	(void)state;
	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	parse_fails(name, "t.conf:1:", "name longer than");

	for (int i = 0; i <= SETTINGS_DEPTH_MAX; i++)
		pos += (size_t)snprintf(deep + pos, sizeof(deep) - pos, "a{\n");
	parse_fails(deep, "t.conf:33:", "nested deeper than 32");
	/* Exactly the limit is fine. */
	pos = 0;
	for (int i = 0; i < SETTINGS_DEPTH_MAX; i++)
		pos += (size_t)snprintf(deep + pos, sizeof(deep) - pos, "a{");
	for (int i = 0; i < SETTINGS_DEPTH_MAX; i++)
		pos += (size_t)snprintf(deep + pos, sizeof(deep) - pos, "}");
	settings_free(parse_ok(deep));
}

static void test_too_many_items(void **state)
{
	size_t cap = (size_t)(SETTINGS_ITEMS_MAX + 1) * 10 + 1, pos = 0;
	char *text = malloc(cap);

	(void)state;
	assert_non_null(text);
	for (int i = 0; i <= SETTINGS_ITEMS_MAX; i++)
		pos += (size_t)snprintf(text + pos, cap - pos, "s%d{}\n", i);
	parse_fails(text, "t.conf:100001:", "more than 100000");
	free(text);
}

static void test_file_too_large(void **state)
{
	size_t len = SETTINGS_FILE_MAX + 1;
	char *text = malloc(len + 1);

	(void)state;
	assert_non_null(text);
	for (size_t i = 0; i < len; i++)
		text[i] = (i % 64 == 63) ? '\n' : '#';
	text[len] = '\0';
	parse_fails(text, "t.conf", "larger than");
	free(text);
}

/* ---- includes, in a temporary directory ---- */

struct tmpdir {
	char path[64];
};

static void write_file(const struct tmpdir *d, const char *name, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", d->path, name);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

static int tmp_setup(void **state)
{
	struct tmpdir *d = calloc(1, sizeof(*d));
	char sub[128];

	if (!d)
		return -1;
	snprintf(d->path, sizeof(d->path), "/tmp/ifsec-settings-XXXXXX");
	if (!mkdtemp(d->path))
		return -1;
	snprintf(sub, sizeof(sub), "%s/conf.d", d->path);
	if (mkdir(sub, 0700) < 0)
		return -1;
	*state = d;
	return 0;
}

static int tmp_teardown(void **state)
{
	struct tmpdir *d = *state;
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", d->path);
	if (system(cmd) != 0)
		return -1;
	free(d);
	return 0;
}

static struct settings *load(const struct tmpdir *d, const char *name,
			     struct settings_err *err, int *rc)
{
	struct settings *st = NULL;
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", d->path, name);
	*rc = settings_load_file(path, &st, err);
	return st;
}

static void test_include_glob(void **state)
{
	struct tmpdir *d = *state;
	struct settings_node *root, *top, *inner, *kv;
	struct settings_err err;
	struct settings *st;
	int rc;

	write_file(d, "main.conf",
		   "top {\n"                       /* 1 */
		   "\tinclude conf.d/*.conf\n"     /* 2 */
		   "\tlast = main\n"               /* 3 */
		   "}\n"                           /* 4 */
		   "include nothing/*.conf\n");    /* 5 */
	write_file(d, "conf.d/b.conf", "second = b\ninner { k = 2 }\n");
	write_file(d, "conf.d/a.conf", "first = a\ninner { j = 1 }\n");
	write_file(d, "conf.d/skip.txt", "not = included\n");
	st = load(d, "main.conf", &err, &rc);
	if (rc != 0)
		print_error("%s\n", err.msg);
	assert_int_equal(rc, 0);
	root = settings_root(st);
	top = sec(root, "top");
	/* Sorted glob order: a.conf before b.conf, both in section top. */
	assert_string_equal(settings_first(top, SETTINGS_KEY)->name, "first");
	assert_string_equal(val(top, "second"), "b");
	assert_null(settings_find_key(top, "not"));
	kv = settings_find_key(top, "first");
	assert_non_null(strstr(kv->file, "conf.d/a.conf"));
	assert_int_equal(kv->line, 1);
	inner = sec(top, "inner");   /* merged across the two files */
	assert_string_equal(val(inner, "j"), "1");
	assert_string_equal(val(inner, "k"), "2");
	assert_non_null(strstr(settings_find_key(top, "last")->file, "main.conf"));
	/* The include that matched nothing is a warning, not an error. */
	assert_int_equal(settings_n_warnings(st), 1);
	assert_non_null(strstr(settings_warning(st, 0), "main.conf:5:"));
	assert_non_null(strstr(settings_warning(st, 0), "nothing/*.conf"));
	settings_free(st);
}

static void test_include_nested_relative(void **state)
{
	struct tmpdir *d = *state;
	struct settings_err err;
	struct settings *st;
	int rc;

	/* conf.d/x.conf includes "y.conf": relative to conf.d, not to main. */
	write_file(d, "main.conf", "include \"conf.d/x.conf\"\n");
	write_file(d, "conf.d/x.conf", "s {\n\tinclude y.conf\n}\n");
	write_file(d, "conf.d/y.conf", "from = y\n");
	st = load(d, "main.conf", &err, &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(val(sec(settings_root(st), "s"), "from"), "y");
	settings_free(st);
}

static void test_include_errors(void **state)
{
	struct tmpdir *d = *state;
	struct settings_err err;
	struct settings *st;
	int rc;

	write_file(d, "loop.conf", "a = 1\n\ninclude loop.conf\n");
	st = load(d, "loop.conf", &err, &rc);
	assert_true(rc < 0);
	assert_null(st);
	assert_non_null(strstr(err.msg, "loop.conf:3:"));
	assert_non_null(strstr(err.msg, "include depth exceeds 10"));

	/* An error inside an included file names that file and line. */
	write_file(d, "main.conf", "s {\n\tinclude conf.d/bad.conf\n}\n");
	write_file(d, "conf.d/bad.conf", "ok = 1\nbroken\n");
	st = load(d, "main.conf", &err, &rc);
	assert_true(rc < 0);
	assert_non_null(strstr(err.msg, "conf.d/bad.conf:2:"));

	/* Braces balance within each file. */
	write_file(d, "main.conf", "s {\n\tinclude conf.d/close.conf\n");
	write_file(d, "conf.d/close.conf", "}\n");
	st = load(d, "main.conf", &err, &rc);
	assert_true(rc < 0);
	assert_non_null(strstr(err.msg, "close.conf:1:"));

	st = load(d, "missing.conf", &err, &rc);
	assert_true(rc < 0);
	assert_non_null(strstr(err.msg, "missing.conf"));
	assert_non_null(strstr(err.msg, "No such file"));

	st = load(d, "conf.d", &err, &rc);
	assert_true(rc < 0);
	assert_non_null(strstr(err.msg, "not a regular file"));
}

static void test_include_string_dir(void **state)
{
	struct tmpdir *d = *state;
	static const char text[] = "s {\n\tinclude conf.d/v.conf\n}\n";
	struct settings_err err;
	struct settings *st;

	write_file(d, "conf.d/v.conf", "v = 1\n");
	assert_int_equal(settings_parse_string(text, strlen(text), "mem", d->path,
					       &st, &err), 0);
	assert_string_equal(val(sec(settings_root(st), "s"), "v"), "1");
	settings_free(st);
}

/* "include" is a key like any other when followed by '='. */
static void test_include_as_key(void **state)
{
	struct settings *st = parse_ok("s {\n\tinclude = yes\n\tinclude { }\n}\n");
	struct settings_node *s = sec(settings_root(st), "s");

	(void)state;
	assert_string_equal(val(s, "include"), "yes");
	assert_non_null(settings_find_section(s, "include"));
	settings_free(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sections_and_lines),
		cmocka_unit_test(test_quotes),
		cmocka_unit_test(test_empty_value_and_crlf),
		cmocka_unit_test(test_merge_and_order),
		cmocka_unit_test(test_repeated_key_warns),
		cmocka_unit_test(test_check_used),
		cmocka_unit_test(test_lists),
		cmocka_unit_test(test_list_kv_error),
		cmocka_unit_test(test_bools),
		cmocka_unit_test(test_ints),
		cmocka_unit_test(test_times),
		cmocka_unit_test(test_bytes),
		cmocka_unit_test(test_secrets),
		cmocka_unit_test(test_secret_not_echoed),
		cmocka_unit_test(test_kv_conversions),
		cmocka_unit_test(test_syntax_errors),
		cmocka_unit_test(test_nul_and_long_lines),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_too_many_items),
		cmocka_unit_test(test_file_too_large),
		cmocka_unit_test_setup_teardown(test_include_glob, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_include_nested_relative,
						tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_include_errors, tmp_setup,
						tmp_teardown),
		cmocka_unit_test_setup_teardown(test_include_string_dir, tmp_setup,
						tmp_teardown),
		cmocka_unit_test(test_include_as_key),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
