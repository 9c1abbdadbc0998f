/* SPDX-License-Identifier: BSD-2-Clause */
/* One tunnel on its own: taken out of its configuration, compared with
 * itself loaded again (every key changed one at a time must count as a
 * change), and checked against another running tunnel. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "config/conf.h"

/* A connection with a value for every key that conf_tunnel_equal()
 * must see; each %s is where a test puts one more line. */
#define CONN_FMT \
	"connections {\n" \
	"\tgw {\n" \
	"\t\tlocal_addrs = 192.0.2.1\n" \
	"\t\tremote_addrs = 192.0.2.2\n" \
	"\t\tproposals = aes128gcm16-prfsha256-x25519\n" \
	"%s" \
	"\t\tlocal {\n\t\t\tauth = psk\n\t\t\tid = a.example.org\n\t\t}\n" \
	"\t\tremote {\n\t\t\tauth = psk\n\t\t\tid = b.example.org\n\t\t}\n" \
	"\t\tchildren {\n\t\t\tnet {\n" \
	"\t\t\t\tesp_proposals = aes128gcm16\n" \
	"%s" \
	"\t\t\t}\n\t\t}\n\t}\n}\n"

static struct conf_tunnel *load_one(const char *conn_keys, const char *child_keys)
{
	char text[4096];
	struct conf_err err;
	struct conf *c = NULL;
	struct conf_tunnel *t = NULL;
	int rc;

	snprintf(text, sizeof(text), CONN_FMT, conn_keys, child_keys);
	rc = conf_load_string(text, "t.conf", &c, &err);
	if (rc != 0)
		print_error("%s\n", err.msg);
	assert_int_equal(rc, 0);
	assert_int_equal(conf_tunnel_take(c, 0, &t), 0);
	conf_free(c);          /* the tunnel must outlive its configuration */
	return t;
}

static void test_take_outlives_conf(void **state)
{
	struct conf_tunnel *t = load_one("", "");

	(void)state;
	assert_string_equal(t->name, "gw");
	assert_non_null(t->ike);
	assert_string_equal(t->ike->child.name, "net");
	assert_string_equal(t->ifname, "ipsec0");
	assert_true(t->is_ifname_default);
	conf_tunnel_free(t);
	conf_tunnel_free(NULL);
}

static void test_take_manual_keys(void **state)
{
	struct conf_err err;
	struct conf *c = NULL;
	struct conf_tunnel *t = NULL;

	(void)state;
	assert_int_equal(conf_load_string(
		"manual {\n\tm {\n\t\tlocal_addrs = 192.0.2.1\n\t\tremote_addrs = 192.0.2.2\n"
		"\t\tinbound {\n\t\t\tspi = 0x1000\n\t\t\ttransform = aes128gcm16\n"
		"\t\t\tkey = 0x000102030405060708090a0b0c0d0e0f10111213\n\t\t}\n"
		"\t\toutbound {\n\t\t\tspi = 0x2000\n\t\t\ttransform = aes128gcm16\n"
		"\t\t\tkey = 0x202122232425262728292a2b2c2d2e2f30313233\n\t\t}\n\t}\n}\n",
		"m.conf", &c, &err), 0);
	assert_int_equal(conf_tunnel_take(c, 1, &t), IFS_ERR_INVAL);
	assert_null(t);
	assert_int_equal(conf_tunnel_take(c, 0, &t), 0);
	conf_free(c);
	assert_int_equal(t->in.key->len, 20);
	assert_int_equal(t->in.key->data[19], 0x13);
	assert_int_equal(t->out.key->data[0], 0x20);
	conf_tunnel_free(t);
}

static void test_equal_when_unchanged(void **state)
{
	struct conf_tunnel *a = load_one("", "");
	struct conf_tunnel *b = load_one("", "");
	/* Written differently, meaning the same: still equal. */
	struct conf_tunnel *c = load_one("\n\n\t\tversion = 2\n", "\t\t\t\tmode = tunnel\n");

	(void)state;
	assert_true(conf_tunnel_equal(a, b));
	assert_true(conf_tunnel_equal(a, c));
	assert_true(conf_tunnel_equal(c, a));
	conf_tunnel_free(a);
	conf_tunnel_free(b);
	conf_tunnel_free(c);
}

/* Each line changes one value the base leaves at its default (or sets). */
static const struct change {
	const char *conn;
	const char *child;
} changes[] = {
	{ "\t\tinterface = x0\n", "" },
	{ "\t\tinterface_addrs = 10.9.0.1/30\n", "" },
	{ "\t\troutes = 10.8.0.0/16\n", "" },
	{ "\t\tinterface_mtu = 1300\n", "" },
	{ "\t\tlocal_port = 4501\n", "" },
	{ "\t\tremote_port = 4502\n", "" },
	{ "\t\tencap = yes\n", "" },
	{ "\t\trekey_time = 1h\n", "" },
	{ "\t\treauth_time = 2h\n", "" },
	{ "\t\tover_time = 5m\n", "" },
	{ "\t\trand_time = 7m\n", "" },
	{ "\t\tdpd_delay = 30s\n", "" },
	{ "\t\tdpd_timeout = 90s\n", "" },
	{ "", "\t\t\t\tlocal_ts = 10.0.0.0/24\n" },
	{ "", "\t\t\t\tremote_ts = 10.1.0.0/24\n" },
	{ "", "\t\t\t\tstart_action = start\n" },
	{ "", "\t\t\t\tstart_action = trap\n" },
	{ "", "\t\t\t\tdpd_action = restart\n" },
	{ "", "\t\t\t\tclose_action = trap\n" },
	{ "", "\t\t\t\trekey_time = 10m\n" },
	{ "", "\t\t\t\tlife_time = 2h\n" },
	{ "", "\t\t\t\trand_time = 1m\n" },
	{ "", "\t\t\t\trekey_bytes = 1g\n" },
	{ "", "\t\t\t\trekey_packets = 1000000\n" },
	{ "", "\t\t\t\treplay_window = 64\n" },
	{ "", "\t\t\t\tesp_proposals = aes256gcm16\n" },
};

static void test_each_change_counts(void **state)
{
	struct conf_tunnel *base = load_one("", "");

	(void)state;
	for (size_t i = 0; i < sizeof(changes) / sizeof(changes[0]); i++) {
		struct conf_tunnel *t;

		/* esp_proposals is set by the base: a second value replaces it
		 * (with a warning), which is the change. */
		t = load_one(changes[i].conn, changes[i].child);
		if (conf_tunnel_equal(base, t))
			fail_msg("change %zu (%s%s) is not seen", i, changes[i].conn,
				 changes[i].child);
		assert_false(conf_tunnel_equal(t, base));
		conf_tunnel_free(t);
	}
	conf_tunnel_free(base);
}

/* The volume limits one value at a time: against a base with all six
 * set, each line differs from it in exactly one. */
static void test_each_volume_change_counts(void **state)
{
	static const char *const fmt = "\t\t\t\trekey_bytes = %s\n\t\t\t\tlife_bytes = %s\n"
		"\t\t\t\trand_bytes = %s\n\t\t\t\trekey_packets = %s\n"
		"\t\t\t\tlife_packets = %s\n\t\t\t\trand_packets = %s\n";
	static const char *const values[][6] = {
		{ "2m", "4m", "1m", "2000", "4000", "1000" },   /* the base */
		{ "3m", "4m", "1m", "2000", "4000", "1000" },
		{ "2m", "5m", "1m", "2000", "4000", "1000" },
		{ "2m", "4m", "2m", "2000", "4000", "1000" },
		{ "2m", "4m", "1m", "3000", "4000", "1000" },
		{ "2m", "4m", "1m", "2000", "5000", "1000" },
		{ "2m", "4m", "1m", "2000", "4000", "2000" },
	};
	struct conf_tunnel *t[7];
	char child[512];

	(void)state;
	for (size_t i = 0; i < 7; i++) {
		snprintf(child, sizeof(child), fmt, values[i][0], values[i][1], values[i][2],
			 values[i][3], values[i][4], values[i][5]);
		t[i] = load_one("", child);
	}
	for (size_t i = 1; i < 7; i++)
		if (conf_tunnel_equal(t[0], t[i]) || conf_tunnel_equal(t[i], t[0]))
			fail_msg("volume change %zu is not seen", i);
	for (size_t i = 0; i < 7; i++)
		conf_tunnel_free(t[i]);
}

static void test_changes_elsewhere_count(void **state)
{
	static const char *const variants[][4] = {
		/* remote address, proposals, local id, child name */
		{ "192.0.2.2", "aes128gcm16-prfsha256-x25519", "a.example.org", "net" },
		{ "192.0.2.3", "aes128gcm16-prfsha256-x25519", "a.example.org", "net" },
		{ "192.0.2.2", "aes256gcm16-prfsha384-ecp384", "a.example.org", "net" },
		{ "192.0.2.2", "aes128gcm16-prfsha256-x25519", "c.example.org", "net" },
		{ "192.0.2.2", "aes128gcm16-prfsha256-x25519", "a.example.org", "net2" },
	};
	struct conf *c[5] = { 0 };
	struct conf_err err;
	char text[4096];

	(void)state;
	for (size_t i = 0; i < 5; i++) {
		snprintf(text, sizeof(text),
			 "connections {\n\tgw {\n\t\tlocal_addrs = 192.0.2.1\n"
			 "\t\tremote_addrs = %s\n\t\tproposals = %s\n"
			 "\t\tlocal {\n\t\t\tauth = psk\n\t\t\tid = %s\n\t\t}\n"
			 "\t\tremote {\n\t\t\tauth = psk\n\t\t\tid = b.example.org\n\t\t}\n"
			 "\t\tchildren {\n\t\t\t%s {\n\t\t\t\tesp_proposals = aes128gcm16\n"
			 "\t\t\t}\n\t\t}\n\t}\n}\n", variants[i][0], variants[i][1],
			 variants[i][2], variants[i][3]);
		assert_int_equal(conf_load_string(text, "t.conf", &c[i], &err), 0);
	}
	for (size_t i = 1; i < 5; i++)
		assert_false(conf_tunnel_equal(&c[0]->tunnels[0], &c[i]->tunnels[0]));
	for (size_t i = 0; i < 5; i++)
		conf_free(c[i]);
}

static void test_conflicts(void **state)
{
	struct conf_tunnel *a = load_one("\t\tinterface = x0\n", "");
	struct conf_tunnel *b = load_one("\t\tinterface = x1\n", "");
	struct conf_tunnel *r = load_one("\t\tinterface = x2\n\t\troutes = 198.51.100.0/28\n", "");
	char msg[256];

	(void)state;
	/* The same name */
	assert_int_equal(conf_tunnel_conflict(a, b, msg, sizeof(msg)), IFS_ERR_EXISTS);
	assert_non_null(strstr(msg, "the name gw is already used by connection gw"));
	snprintf(b->name, sizeof(b->name), "other");
	/* Names differ, interfaces differ, peers are not routed: fine */
	assert_int_equal(conf_tunnel_conflict(a, b, msg, sizeof(msg)), 0);
	/* The same interface */
	snprintf(b->ifname, sizeof(b->ifname), "x0");
	assert_int_equal(conf_tunnel_conflict(b, a, msg, sizeof(msg)), IFS_ERR_EXISTS);
	assert_non_null(strstr(msg, "other: interface x0 is already used by gw"));
	/* A route holding the other's peer, checked both ways */
	snprintf(r->name, sizeof(r->name), "router");
	assert_int_equal(addr_parse("198.51.100.2", &a->remote), 0);
	assert_int_equal(conf_tunnel_conflict(r, a, msg, sizeof(msg)), IFS_ERR_LOOP);
	assert_non_null(strstr(msg, "route 198.51.100.0/28 of router would carry the "
				    "peer address 198.51.100.2 of gw into router"));
	assert_int_equal(conf_tunnel_conflict(a, r, msg, sizeof(msg)), IFS_ERR_LOOP);
	conf_tunnel_free(a);
	conf_tunnel_free(b);
	conf_tunnel_free(r);
}

static bool used_below_3(void *arg, const char *name)
{
	(void)arg;
	return strcmp(name, "ipsec0") == 0 || strcmp(name, "ipsec1") == 0 ||
	       strcmp(name, "ipsec2") == 0;
}

static bool all_used(void *arg, const char *name)
{
	(void)arg;
	(void)name;
	return true;
}

static void test_default_ifname(void **state)
{
	char name[IF_NAMESIZE];

	(void)state;
	assert_int_equal(conf_default_ifname(used_below_3, NULL, name), 0);
	assert_string_equal(name, "ipsec3");
	assert_int_equal(conf_default_ifname(all_used, NULL, name), IFS_ERR_FULL);
	assert_string_equal(name, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_take_outlives_conf),
		cmocka_unit_test(test_take_manual_keys),
		cmocka_unit_test(test_equal_when_unchanged),
		cmocka_unit_test(test_each_change_counts),
		cmocka_unit_test(test_each_volume_change_counts),
		cmocka_unit_test(test_changes_elsewhere_count),
		cmocka_unit_test(test_conflicts),
		cmocka_unit_test(test_default_ifname),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
