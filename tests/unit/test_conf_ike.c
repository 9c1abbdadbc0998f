/* SPDX-License-Identifier: BSD-2-Clause */
/* IKEv2 connections and secrets in the configuration (src/config/
 * conf_conn.c, conf_secret.c): an interop-style file read into exact
 * values next to a manual tunnel, every default, one test per error with
 * its file:line and the name at fault, strongSwan keys refused by name,
 * and the PSK choice for a pair of identities. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/conf.h"
#include "ike/ike_wire.h"

static struct conf *load_ok(const char *text)
{
	struct conf_err err;
	struct conf *c = NULL;
	int rc = conf_load_string(text, "t.conf", &c, &err);

	if (rc != 0)
		print_error("unexpected error: %s\n", err.msg);
	assert_int_equal(rc, 0);
	assert_non_null(c);
	return c;
}

/* Loading fails with rc_want (when not 0) and a message holding s1 and
 * s2 (when not NULL), and never a secret of the tests below. */
static void load_fails(const char *text, int rc_want, const char *s1,
		       const char *s2)
{
	static const char *const secrets[] = {
		"0102030405", "c2VjcmV0", "plain secret", "hunter2",
	};
	struct conf_err err;
	struct conf *c = (struct conf *)1;
	int rc = conf_load_string(text, "t.conf", &c, &err);

	if (rc >= 0)
		print_error("loaded, expected '%s'\n", s1);
	assert_true(rc < 0);
	if (rc_want && rc != rc_want)
		print_error("rc %d, expected %d: %s\n", rc, rc_want, err.msg);
	if (rc_want)
		assert_int_equal(rc, rc_want);
	assert_null(c);
	if (!strstr(err.msg, s1) || (s2 && !strstr(err.msg, s2)))
		print_error("'%s' / '%s' not in: %s\n", s1, s2 ? s2 : "", err.msg);
	assert_non_null(strstr(err.msg, s1));
	if (s2)
		assert_non_null(strstr(err.msg, s2));
	for (size_t i = 0; i < IFS_ARRAY_LEN(secrets); i++)
		assert_null(strstr(err.msg, secrets[i]));
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

	assert_string_equal(ike_id_str(id->type, id->data, id->len, buf,
				       sizeof(buf)), s);
}

static void assert_psk(const struct conf_secret *s, const char *name,
		       const void *psk, size_t len)
{
	assert_non_null(s);
	assert_string_equal(s->name, name);
	assert_int_equal(s->psk->len, len);
	assert_memory_equal(s->psk->data, psk, len);
}

#define DEF_IKE_AEAD "aes128gcm16-aes256gcm16-chacha20poly1305-prfsha256-" \
	"prfsha384-prfsha512-x25519-ecp256-ecp384-modp3072-modp2048"
#define DEF_IKE_CBC "aes128-aes256-sha256-sha384-sha512-prfsha256-prfsha384-" \
	"prfsha512-x25519-ecp256-ecp384-modp3072-modp2048"
#define DEF_ESP_AEAD "aes128gcm16-aes256gcm16-chacha20poly1305-noesn"
#define DEF_ESP_CBC "aes128-aes256-sha256-sha384-sha512-noesn"

/* Gateway A of a site-to-site setup with strongSwan as gateway B, a
 * road-warrior style responder and an older manual tunnel. */
static const char full[] =
	"# gateway A\n"                                                /* 1 */
	"manual {\n"                                                   /* 2 */
	"\tlegacy {\n"                                                 /* 3 */
	"\t\tlocal_addrs = 192.0.2.1\n"                                /* 4 */
	"\t\tremote_addrs = 192.0.2.99\n"                              /* 5 */
	"\t\tinbound { spi = 0x1000\n"                                 /* 6 */
	"\t\t\ttransform = aes128gcm16\n"                              /* 7 */
	"\t\t\tkey = 0x000102030405060708090a0b0c0d0e0f10111213 }\n"   /* 8 */
	"\t\toutbound { spi = 0x2000\n"                                /* 9 */
	"\t\t\ttransform = aes128gcm16\n"                              /* 10 */
	"\t\t\tkey = 0x202122232425262728292a2b2c2d2e2f30313233 }\n"   /* 11 */
	"\t}\n"                                                        /* 12 */
	"}\n"                                                          /* 13 */
	"connections {\n"                                              /* 14 */
	"\tsite-b {\n"                                                 /* 15 */
	"\t\tversion = 2\n"                                            /* 16 */
	"\t\tlocal_addrs = 192.0.2.1\n"                                /* 17 */
	"\t\tremote_addrs = 198.51.100.1\n"                            /* 18 */
	"\t\tlocal_port = 500\n"                                       /* 19 */
	"\t\tremote_port = 4500\n"                                     /* 20 */
	"\t\tproposals = aes256gcm16-prfsha384-ecp384, aes128-sha256-x25519\n"
	"\t\trekey_time = 2h\n"                                        /* 22 */
	"\t\treauth_time = 1d\n"                                       /* 23 */
	"\t\tdpd_delay = 30s\n"                                        /* 24 */
	"\t\tdpd_timeout = 150\n"                                      /* 25 */
	"\t\tencap = yes\n"                                            /* 26 */
	"\t\tmobike = no\n"                                            /* 27 */
	"\t\tinterface = ipsec1\n"                                     /* 28 */
	"\t\tinterface_addrs = 203.0.113.253/30, 2001:db8:ffff::1/64\n"
	"\t\tinterface_mtu = 1400\n"                                   /* 30 */
	"\t\troutes = 203.0.113.64/26, 2001:db8:b::/64\n"              /* 31 */
	"\t\tlocal {\n"                                                /* 32 */
	"\t\t\tauth = psk\n"                                           /* 33 */
	"\t\t\tid = gw-a.example.com\n"                                /* 34 */
	"\t\t}\n"                                                      /* 35 */
	"\t\tremote {\n"                                               /* 36 */
	"\t\t\tauth = psk\n"                                           /* 37 */
	"\t\t\tid = @gw-b.example.com\n"                               /* 38 */
	"\t\t}\n"                                                      /* 39 */
	"\t\tchildren {\n"                                             /* 40 */
	"\t\t\tnet {\n"                                                /* 41 */
	"\t\t\t\tlocal_ts = 203.0.113.0/26, 2001:db8:a::/64\n"        /* 42 */
	"\t\t\t\tremote_ts = 203.0.113.64/26, 2001:db8:b::/64\n"      /* 43 */
	"\t\t\t\tesp_proposals = aes256gcm16-ecp384, default\n"        /* 44 */
	"\t\t\t\tmode = tunnel\n"                                      /* 45 */
	"\t\t\t\tstart_action = trap\n"                                /* 46 */
	"\t\t\t\tdpd_action = restart\n"                               /* 47 */
	"\t\t\t\tclose_action = restart\n"                             /* 48 */
	"\t\t\t\trekey_time = 30m\n"                                   /* 49 */
	"\t\t\t\tlife_time = 40m\n"                                    /* 50 */
	"\t\t\t\trand_time = 5m\n"                                     /* 51 */
	"\t\t\t\treplay_window = 4096\n"                               /* 52 */
	"\t\t\t}\n"                                                    /* 53 */
	"\t\t}\n"                                                      /* 54 */
	"\t}\n"                                                        /* 55 */
	"\trw {\n"                                                     /* 56 */
	"\t\tlocal_addrs = 2001:db8::1\n"                              /* 57 */
	"\t\tinterface = ipsec2\n"                                     /* 58 */
	"\t\tlocal {\n\t\t\tauth = psk\n\t\t}\n"                       /* 59-61 */
	"\t\tremote-1 {\n\t\t\tauth = psk\n"                           /* 62-63 */
	"\t\t\tid = *.example.org\n\t\t}\n"                            /* 64-65 */
	"\t\tchildren {\n\t\t\tc { }\n\t\t}\n"                         /* 66-68 */
	"\t}\n"                                                        /* 69 */
	"}\n"                                                          /* 70 */
	"secrets {\n"                                                  /* 71 */
	"\tike-b {\n"                                                  /* 72 */
	"\t\tid = gw-b.example.com\n"                                  /* 73 */
	"\t\tid-a = gw-a.example.com\n"                                /* 74 */
	"\t\tsecret = 0x0102030405060708090a0b0c0d0e0f10\n"            /* 75 */
	"\t}\n"                                                        /* 76 */
	"\tike-rw {\n"                                                 /* 77 */
	"\t\tid-rw = *.example.org\n"                                  /* 78 */
	"\t\tsecret = 0sc2VjcmV0LXJ3LWtleQ==\n"                        /* 79 */
	"\t}\n"                                                        /* 80 */
	"\tike {\n"                                                    /* 81 */
	"\t\tsecret = \"plain secret\"\n"                              /* 82 */
	"\t}\n"                                                        /* 83 */
	"}\n";                                                         /* 84 */

static void check_site_b(const struct conf_tunnel *t)
{
	const struct conf_ike *ike = t->ike;
	const struct conf_child *ch = &ike->child;

	assert_string_equal(t->name, "site-b");
	assert_int_equal(t->line, 15);
	assert_string_equal(t->file, "t.conf");
	assert_string_equal(t->ifname, "ipsec1");
	assert_addr(&t->local, "192.0.2.1");
	assert_addr(&t->remote, "198.51.100.1");
	assert_true(t->is_udp_encap);
	assert_int_equal(t->local_port, 4500);
	assert_int_equal(t->remote_port, 4500);
	assert_int_equal(t->n_if_addrs, 2);
	assert_prefix(&t->if_addrs[1], "2001:db8:ffff::1/64");
	assert_int_equal(t->mtu, 1400);
	assert_int_equal(t->n_routes, 2);
	assert_prefix(&t->routes[0], "203.0.113.64/26");
	assert_int_equal(t->replay_window, 4096);
	assert_false(t->is_esn);
	assert_null(t->in.key);
	assert_null(t->out.key);
	assert_non_null(ike);
	assert_int_equal(ike->local_port, 500);
	assert_int_equal(ike->remote_port, 4500);
	assert_false(ike->is_remote_any);
	assert_true(ike->is_encap);
	assert_int_equal(ike->n_proposals, 2);
	assert_prop(&ike->proposals[0], "aes256gcm16-prfsha384-ecp384");
	assert_prop(&ike->proposals[1], "aes128-sha256-prfsha256-x25519");
	assert_int_equal(ike->proposals[0].protocol, IKE_PROTO_IKE);
	assert_int_equal(ike->rekey_time, 7200);
	assert_int_equal(ike->reauth_time, 86400);
	assert_int_equal(ike->over_time, 8640);
	assert_int_equal(ike->rand_time, 3600);   /* half of the shorter renewal */
	assert_int_equal(ike->dpd_delay, 30);
	assert_int_equal(ike->dpd_timeout, 150);
	assert_id(&ike->local_id, "gw-a.example.com");
	assert_int_equal(ike->local_id.type, IKE_ID_FQDN);
	assert_id(&ike->remote_id, "gw-b.example.com");
	assert_string_equal(ch->name, "net");
	assert_int_equal(ch->line, 41);
	assert_int_equal(ch->n_local_ts, 2);
	assert_prefix(&ch->local_ts[0], "203.0.113.0/26");
	assert_prefix(&ch->local_ts[1], "2001:db8:a::/64");
	assert_int_equal(ch->n_remote_ts, 2);
	assert_prefix(&ch->remote_ts[1], "2001:db8:b::/64");
	assert_int_equal(ch->n_esp_proposals, 3);
	assert_prop(&ch->esp_proposals[0], "aes256gcm16-ecp384-noesn");
	assert_prop(&ch->esp_proposals[1], DEF_ESP_AEAD);
	assert_prop(&ch->esp_proposals[2], DEF_ESP_CBC);
	assert_int_equal(ch->esp_proposals[0].protocol, IKE_PROTO_ESP);
	assert_int_equal(ch->start_action, CONF_START_TRAP);
	assert_int_equal(ch->dpd_action, CONF_ACTION_RESTART);
	assert_int_equal(ch->close_action, CONF_ACTION_RESTART);
	assert_int_equal(ch->rekey_time, 1800);
	assert_int_equal(ch->life_time, 2400);
	assert_int_equal(ch->rand_time, 300);
}

/* remote_addrs left out: %any, and every other default. */
static void check_rw(const struct conf_tunnel *t)
{
	const struct conf_ike *ike = t->ike;

	assert_string_equal(t->name, "rw");
	assert_addr(&t->local, "2001:db8::1");
	assert_int_equal(t->remote.family, AF_UNSPEC);
	assert_true(ike->is_remote_any);
	assert_id(&ike->remote_id, "*.example.org");
	assert_true(ike->remote_id.has_wildcard);
	assert_true(ike_id_is_any(&ike->local_id));
	assert_false(t->is_udp_encap);
	assert_string_equal(ike->child.name, "c");
}

static void check_secrets(const struct conf *c)
{
	static const uint8_t k16[16] = {
		1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
	};

	assert_int_equal(c->n_secrets, 3);
	assert_psk(&c->secrets[0], "b", k16, 16);
	assert_int_equal(c->secrets[0].line, 72);
	assert_int_equal(c->secrets[0].n_ids, 2);
	assert_id(&c->secrets[0].ids[0], "gw-b.example.com");
	assert_id(&c->secrets[0].ids[1], "gw-a.example.com");
	assert_psk(&c->secrets[1], "rw", "secret-rw-key", 13);
	assert_int_equal(c->secrets[1].n_ids, 1);
	assert_psk(&c->secrets[2], "", "plain secret", 12);
	assert_int_equal(c->secrets[2].n_ids, 0);
}

static void test_full_example(void **state)
{
	struct conf *c = load_ok(full);
	const struct conf_tunnel *m;

	(void)state;
	assert_int_equal(c->n_tunnels, 3);
	/* The manual tunnel first, unchanged: the default interface */
	m = &c->tunnels[0];
	assert_string_equal(m->name, "legacy");
	assert_null(m->ike);
	assert_string_equal(m->ifname, "ipsec0");
	assert_int_equal(m->in.spi, 0x1000);
	assert_int_equal(m->out.key->len, 20);
	check_site_b(&c->tunnels[1]);
	check_rw(&c->tunnels[2]);
	check_secrets(c);
	conf_free(c);
}

/* The smallest connection: every other key at its default. */
#define MIN_CONN "connections {\n"                          /* 1 */ \
	"\tgw {\n"                                          /* 2 */ \
	"\t\tlocal_addrs = 192.0.2.1\n"                     /* 3 */ \
	"\t\tremote_addrs = 192.0.2.2\n"                    /* 4 */
#define ROUNDS "\t\tlocal {\n\t\t\tauth = psk\n\t\t}\n"    /* +0 .. +2 */ \
	"\t\tremote {\n\t\t\tauth = psk\n\t\t}\n"         /* +3 .. +5 */
#define CHILD "\t\tchildren {\n\t\t\tnet {\n"              /* +0, +1 */
#define TAIL "\t\t\t}\n\t\t}\n\t}\n}\n"

/* Connection keys go on line 5, child keys on line 13 (with no
 * connection keys). */
#define CONN(conn_keys, child_keys) \
	MIN_CONN conn_keys ROUNDS CHILD child_keys TAIL

static void test_defaults(void **state)
{
	struct conf *c = load_ok(CONN("", ""));
	const struct conf_tunnel *t = &c->tunnels[0];
	const struct conf_ike *ike = t->ike;
	const struct conf_child *ch = &ike->child;

	(void)state;
	assert_int_equal(c->n_tunnels, 1);
	assert_int_equal(c->n_secrets, 0);
	assert_null(c->secrets);
	assert_string_equal(t->ifname, "ipsec0");
	assert_int_equal(t->local_port, 4500);
	assert_int_equal(t->remote_port, 4500);
	assert_false(t->is_udp_encap);
	assert_false(t->is_esn);
	assert_int_equal(t->mtu, 0);
	assert_int_equal(t->n_if_addrs, 0);
	assert_int_equal(t->n_routes, 0);
	assert_int_equal(t->replay_window, 1024);
	assert_int_equal(ike->local_port, 500);
	assert_int_equal(ike->remote_port, 500);
	assert_false(ike->is_remote_any);
	assert_false(ike->is_encap);
	assert_int_equal(ike->n_proposals, 2);
	assert_prop(&ike->proposals[0], DEF_IKE_AEAD);
	assert_prop(&ike->proposals[1], DEF_IKE_CBC);
	assert_int_equal(ike->rekey_time, 14400);
	assert_int_equal(ike->reauth_time, 0);
	assert_int_equal(ike->over_time, 1440);
	assert_int_equal(ike->rand_time, 1440);
	assert_int_equal(ike->dpd_delay, 0);
	assert_int_equal(ike->dpd_timeout, 0);
	assert_true(ike_id_is_any(&ike->local_id));
	assert_true(ike_id_is_any(&ike->remote_id));
	assert_int_equal(ch->n_local_ts, 2);
	assert_prefix(&ch->local_ts[0], "0.0.0.0/0");
	assert_prefix(&ch->local_ts[1], "::/0");
	assert_int_equal(ch->n_remote_ts, 2);
	assert_prefix(&ch->remote_ts[0], "0.0.0.0/0");
	assert_prefix(&ch->remote_ts[1], "::/0");
	assert_int_equal(ch->n_esp_proposals, 2);
	assert_prop(&ch->esp_proposals[0], DEF_ESP_AEAD);
	assert_prop(&ch->esp_proposals[1], DEF_ESP_CBC);
	assert_int_equal(ch->start_action, CONF_START_NONE);
	assert_int_equal(ch->dpd_action, CONF_ACTION_CLEAR);
	assert_int_equal(ch->close_action, CONF_ACTION_NONE);
	assert_int_equal(ch->rekey_time, 3600);
	assert_int_equal(ch->life_time, 3960);
	assert_int_equal(ch->rand_time, 360);
	assert_true(ch->rekey_bytes == 0 && ch->life_bytes == 0 && ch->rand_bytes == 0);
	assert_true(ch->rekey_packets == 0 && ch->life_packets == 0 && ch->rand_packets == 0);
	conf_free(c);
}

/* Defaults that follow other values. */
static void test_derived_defaults(void **state)
{
	struct conf *c;
	const struct conf_ike *ike;

	(void)state;
	/* over_time: 10 % of the longer of rekey_time and reauth_time */
	c = load_ok(CONN("\t\trekey_time = 1000\n\t\treauth_time = 3000\n", ""));
	assert_int_equal(c->tunnels[0].ike->over_time, 300);
	conf_free(c);
	c = load_ok(CONN("\t\tover_time = 0\n", "\t\t\t\trekey_time = 0\n"));
	ike = c->tunnels[0].ike;
	assert_int_equal(ike->over_time, 0);
	/* rekey_time 0: no rekeying, no hard lifetime */
	assert_int_equal(ike->child.rekey_time, 0);
	assert_int_equal(ike->child.life_time, 0);
	assert_int_equal(ike->child.rand_time, 0);
	conf_free(c);
	/* life_time = rekey_time * 1.1, rand_time the difference */
	c = load_ok(CONN("", "\t\t\t\trekey_time = 1000\n"));
	assert_int_equal(c->tunnels[0].ike->child.life_time, 1100);
	assert_int_equal(c->tunnels[0].ike->child.rand_time, 100);
	conf_free(c);
	/* rand_time never above rekey_time, which it is taken from */
	c = load_ok(CONN("", "\t\t\t\trekey_time = 100\n\t\t\t\tlife_time = 1000\n"));
	assert_int_equal(c->tunnels[0].ike->child.rand_time, 100);
	conf_free(c);
	/* dpd_action = none is clear; version 0 is any (IKEv2 here) */
	c = load_ok(CONN("\t\tversion = 0\n", "\t\t\t\tdpd_action = none\n"
			 "\t\t\t\tclose_action = clear\n"
			 "\t\t\t\tstart_action = start\n"));
	assert_int_equal(c->tunnels[0].ike->child.dpd_action, CONF_ACTION_CLEAR);
	assert_int_equal(c->tunnels[0].ike->child.close_action, CONF_ACTION_CLEAR);
	assert_int_equal(c->tunnels[0].ike->child.start_action, CONF_START_START);
	conf_free(c);
	/* Plain addresses as selectors: host prefixes */
	c = load_ok(CONN("", "\t\t\t\tlocal_ts = 192.0.2.7\n"
			 "\t\t\t\tremote_ts = 0.0.0.0/0\n"));
	assert_int_equal(c->tunnels[0].ike->child.n_local_ts, 1);
	assert_prefix(&c->tunnels[0].ike->child.local_ts[0], "192.0.2.7/32");
	conf_free(c);
}

/* IKE rand_time: strongSwan's default (over_time, at most half the
 * shorter renewal time), and never above that time. */
static void test_ike_rand_time(void **state)
{
	static const struct {
		const char *conn;
		uint32_t rand_time;
	} cases[] = {
		{ "\t\trekey_time = 1000\n\t\tover_time = 600\n", 500 },
		{ "\t\trekey_time = 0\n\t\treauth_time = 3000\n", 300 },
		{ "\t\trand_time = 0\n", 0 },
		{ "\t\trekey_time = 0\n", 0 },
	};
	char text[1024];

	(void)state;
	for (size_t i = 0; i < IFS_ARRAY_LEN(cases); i++) {
		struct conf *c;

		snprintf(text, sizeof(text), CONN("%s", ""), cases[i].conn);
		c = load_ok(text);
		assert_int_equal(c->tunnels[0].ike->rand_time, cases[i].rand_time);
		conf_free(c);
	}
	load_fails(CONN("\t\trekey_time = 1h\n\t\trand_time = 2h\n", ""), IFS_ERR_INVAL,
		   "t.conf:6: rand_time: 7200 s is longer than rekey_time (3600 s)", NULL);
	load_fails(CONN("\t\treauth_time = 1h\n\t\trand_time = 61m\n", ""), IFS_ERR_INVAL,
		   "t.conf:6: rand_time: 3660 s is longer than reauth_time (3600 s)", NULL);
}

/* rekey_bytes and rekey_packets with their hard and random parts:
 * strongSwan's syntax (bytes with k, m, g of 1024) and defaults. */
static void test_volumes(void **state)
{
	const struct conf_child *ch;
	struct conf *c;

	(void)state;
	c = load_ok(CONN("", "\t\t\t\trekey_bytes = 1M\n\t\t\t\trekey_packets = 1000\n"));
	ch = &c->tunnels[0].ike->child;
	assert_true(ch->rekey_bytes == 1048576);
	assert_true(ch->life_bytes == 1153433);           /* * 1.1 */
	assert_true(ch->rand_bytes == 104857);            /* the difference */
	assert_true(ch->rekey_packets == 1000);
	assert_true(ch->life_packets == 1100);
	assert_true(ch->rand_packets == 100);
	conf_free(c);
	c = load_ok(CONN("", "\t\t\t\trekey_bytes = 2g\n\t\t\t\tlife_bytes = 0x100000000\n"
			 "\t\t\t\trand_bytes = 512k\n\t\t\t\tlife_packets = 70000\n"));
	ch = &c->tunnels[0].ike->child;
	assert_true(ch->rekey_bytes == UINT64_C(2) << 30);
	assert_true(ch->life_bytes == UINT64_C(4) << 30);
	assert_true(ch->rand_bytes == 512 * 1024);
	/* a hard limit alone: nothing to take a random part from */
	assert_true(ch->rekey_packets == 0 && ch->life_packets == 70000 &&
		    ch->rand_packets == 0);
	conf_free(c);
	/* 0 turns the hard limit off; the random part stays within rekey */
	c = load_ok(CONN("", "\t\t\t\trekey_bytes = 100\n\t\t\t\tlife_bytes = 0\n"
			 "\t\t\t\trekey_time = 100\n\t\t\t\tlife_time = 0\n"
			 "\t\t\t\trekey_packets = 10\n\t\t\t\tlife_packets = 1000\n"));
	ch = &c->tunnels[0].ike->child;
	assert_true(ch->life_bytes == 0 && ch->rand_bytes == 0);
	assert_true(ch->life_time == 0 && ch->rand_time == 0);
	assert_true(ch->rand_packets == 10);
	conf_free(c);
}

static void test_volume_errors(void **state)
{
	static const struct {
		const char *child;              /* keys, from line 13 */
		int rc;
		const char *msg;
	} cases[] = {
		{ "rekey_bytes = 1M\n\t\t\t\tlife_bytes = 1024k", IFS_ERR_INVAL,
		  "t.conf:14: life_bytes: 1048576 bytes is not more than rekey_bytes "
		  "(1048576 bytes)" },
		{ "rekey_packets = 100\n\t\t\t\tlife_packets = 50", IFS_ERR_INVAL,
		  "t.conf:14: life_packets: 50 packets is not more than rekey_packets "
		  "(100 packets)" },
		{ "rekey_bytes = 1k\n\t\t\t\trand_bytes = 2k", IFS_ERR_INVAL,
		  "t.conf:14: rand_bytes: 2048 bytes is more than rekey_bytes (1024 bytes), "
		  "from which it is taken" },
		{ "rand_packets = 1", IFS_ERR_INVAL,
		  "t.conf:13: rand_packets: 1 packets is more than rekey_packets" },
		{ "rekey_bytes = 1MB", IFS_ERR_SYNTAX,
		  "t.conf:13: rekey_bytes: '1MB' is not a number of bytes" },
		{ "life_bytes = 17179869184g", IFS_ERR_RANGE,
		  "t.conf:13: life_bytes: '17179869184g' is more than 2^64 bytes" },
		{ "rekey_packets = 1k", IFS_ERR_SYNTAX,
		  "t.conf:13: rekey_packets: '1k' is not a number" },
		{ "life_packets = -1", IFS_ERR_RANGE,
		  "t.conf:13: life_packets: '-1' is out of range" },
	};
	char text[1024];

	(void)state;
	for (size_t i = 0; i < IFS_ARRAY_LEN(cases); i++) {
		snprintf(text, sizeof(text), CONN("", "\t\t\t\t%s\n"), cases[i].child);
		load_fails(text, cases[i].rc, cases[i].msg, NULL);
	}
}

static void test_version_errors(void **state)
{
	(void)state;
	load_fails(CONN("\t\tversion = 1\n", ""), IFS_ERR_UNSUPPORTED,
		   "t.conf:5: version: IKEv1 is not supported", NULL);
	load_fails(CONN("\t\tversion = 3\n", ""), IFS_ERR_INVAL,
		   "t.conf:5: version: '3' is not 0 (any) or 2", NULL);
	load_fails(CONN("\t\tversion = two\n", ""), IFS_ERR_INVAL,
		   "t.conf:5: version:", "'two'");
}

static void test_address_errors(void **state)
{
	(void)state;
	load_fails("connections {\n\tgw {\n\t\tlocal_addrs = %any\n" ROUNDS
		   CHILD TAIL, IFS_ERR_UNSUPPORTED, "t.conf:3: local_addrs: %any "
		   "is not supported yet: give the local address", NULL);
	load_fails("connections {\n\tgw {\n\t\tlocal_addrs = %any6\n" ROUNDS
		   CHILD TAIL, IFS_ERR_UNSUPPORTED, "t.conf:3: local_addrs:",
		   "give the local address");
	load_fails("connections {\n\tgw {\n" ROUNDS CHILD TAIL, IFS_ERR_NOT_FOUND,
		   "t.conf:2: connections.gw: missing local_addrs",
		   "give the local address");
	load_fails("connections {\n\tgw {\n\t\tlocal_addrs = 192.0.2.1\n"
		   "\t\tremote_addrs = %any6\n" ROUNDS CHILD TAIL,
		   IFS_ERR_UNSUPPORTED, "t.conf:4: remote_addrs: '%any6' is not "
		   "supported yet", NULL);
	load_fails("connections {\n\tgw {\n\t\tlocal_addrs = 192.0.2.1\n"
		   "\t\tremote_addrs = 2001:db8::2\n" ROUNDS CHILD TAIL,
		   IFS_ERR_INVAL, "t.conf:4: remote_addrs:", "same address family");
	load_fails("connections {\n\tgw {\n\t\tlocal_addrs = 192.0.2.1\n"
		   "\t\tremote_addrs = 192.0.2.2, 192.0.2.3\n" ROUNDS CHILD TAIL,
		   IFS_ERR_UNSUPPORTED, "t.conf:4: remote_addrs:",
		   "exactly one address");
	load_fails("connections {\n\tgw {\n\t\tlocal_addrs = gw.example.com\n"
		   ROUNDS CHILD TAIL, IFS_ERR_SYNTAX, "t.conf:3: local_addrs:",
		   "not a literal IP address");
	load_fails(CONN("\t\tlocal_port = 0\n", ""), IFS_ERR_RANGE,
		   "t.conf:5: local_port:", NULL);
	load_fails(CONN("\t\tremote_port = 65536\n", ""), IFS_ERR_RANGE,
		   "t.conf:5: remote_port:", NULL);
}

static void test_proposal_errors(void **state)
{
	(void)state;
	load_fails(CONN("\t\tproposals = aes192-sha256-x25519\n", ""),
		   IFS_ERR_INVAL, "t.conf:5: proposals: algorithm 'aes192' in "
		   "proposal 'aes192-sha256-x25519' is not supported by ifsec",
		   "supported: aes128");
	load_fails(CONN("\t\tproposals = aes128-sha256-x25519, aes129-sha256-"
			"x25519\n", ""), IFS_ERR_INVAL, "t.conf:5: proposals: "
		   "unknown algorithm 'aes129'", NULL);
	load_fails(CONN("\t\tproposals = aes128gcm16-x25519\n", ""), IFS_ERR_INVAL,
		   "t.conf:5: proposals:", "no PRF");
	load_fails(CONN("\t\tproposals = aes128gcm16-prfsha256-x25519-esn\n", ""),
		   IFS_ERR_INVAL, "t.conf:5: proposals:", "ESP proposals only");
	load_fails(CONN("\t\tproposals =\n", ""), IFS_ERR_INVAL,
		   "t.conf:5: proposals: no proposal", NULL);
	load_fails(CONN("", "\t\t\t\tesp_proposals = aes128gcm16-prfsha256\n"),
		   IFS_ERR_INVAL, "t.conf:13: esp_proposals:", "ESP has no PRF");
	load_fails(CONN("", "\t\t\t\tesp_proposals = aes128\n"), IFS_ERR_INVAL,
		   "t.conf:13: esp_proposals:", "no integrity algorithm");
	/* 16 at most, default counting two */
	load_fails(CONN("\t\tproposals = default, default, default, default, "
			"default, default, default, default, default\n", ""),
		   IFS_ERR_RANGE, "t.conf:5: proposals: more than 16", NULL);
}

static void test_value_errors(void **state)
{
	(void)state;
	load_fails(CONN("\t\tmobike = yes\n", ""), IFS_ERR_UNSUPPORTED,
		   "t.conf:5: mobike: MOBIKE is not supported yet", "mobike = no");
	load_fails(CONN("\t\tmobike = maybe\n", ""), IFS_ERR_SYNTAX,
		   "t.conf:5: mobike:", "'maybe'");
	load_fails(CONN("\t\tencap = 2\n", ""), IFS_ERR_SYNTAX, "t.conf:5: encap:",
		   NULL);
	load_fails(CONN("\t\trekey_time = 5x\n", ""), 0, "t.conf:5: rekey_time:",
		   NULL);
	load_fails(CONN("\t\treauth_time = 5000000000\n", ""), IFS_ERR_RANGE,
		   "t.conf:5: reauth_time: more than 4294967295 seconds", NULL);
	load_fails(CONN("\t\tdpd_delay = -1\n", ""), 0, "t.conf:5: dpd_delay:",
		   NULL);
	load_fails(CONN("\t\tinterface = bad/name\n", ""), IFS_ERR_INVAL,
		   "t.conf:5: interface:", "'bad/name'");
	load_fails(CONN("\t\tinterface_mtu = 100\n", ""), IFS_ERR_RANGE,
		   "t.conf:5: interface_mtu:", "below 576");
	load_fails(CONN("\t\troutes = 203.0.113.65/26\n", ""), IFS_ERR_SYNTAX,
		   "t.conf:5: routes:", "did you mean 203.0.113.64/26?");
	load_fails(CONN("\t\tinterface_addrs = nonsense\n", ""), IFS_ERR_SYNTAX,
		   "t.conf:5: interface_addrs:", "'nonsense'");
}

static void test_round_errors(void **state)
{
	(void)state;
	/* local on lines 5-7, remote 8-10 */
	load_fails(MIN_CONN "\t\tlocal {\n\t\t\tauth = pubkey\n\t\t}\n"
		   "\t\tremote {\n\t\t\tauth = psk\n\t\t}\n" CHILD TAIL,
		   IFS_ERR_UNSUPPORTED, "t.conf:6: auth: 'pubkey' is not "
		   "supported yet (only psk)", NULL);
	load_fails(MIN_CONN "\t\tlocal {\n\t\t\tauth = psk\n\t\t}\n"
		   "\t\tremote {\n\t\t\tauth = eap-mschapv2\n\t\t}\n" CHILD TAIL,
		   IFS_ERR_UNSUPPORTED, "t.conf:9: auth:", "not supported yet");
	load_fails(MIN_CONN "\t\tlocal {\n\t\t\tauth = pks\n\t\t}\n"
		   "\t\tremote {\n\t\t\tauth = psk\n\t\t}\n" CHILD TAIL,
		   IFS_ERR_INVAL, "t.conf:6: auth: 'pks' is not an authentication "
		   "method", NULL);
	load_fails(MIN_CONN "\t\tlocal {\n\t\t\tid = moon\n\t\t}\n"
		   "\t\tremote {\n\t\t\tauth = psk\n\t\t}\n" CHILD TAIL,
		   IFS_ERR_NOT_FOUND, "t.conf:5: connections.gw.local: missing auth",
		   "pubkey");
	load_fails(MIN_CONN "\t\tremote {\n\t\t\tauth = psk\n\t\t}\n" CHILD TAIL,
		   IFS_ERR_NOT_FOUND, "t.conf:2: connections.gw: missing section "
		   "local", NULL);
	load_fails(MIN_CONN "\t\tlocal {\n\t\t\tauth = psk\n\t\t}\n" CHILD TAIL,
		   IFS_ERR_NOT_FOUND, "t.conf:2: connections.gw: missing section "
		   "remote", NULL);
	load_fails(MIN_CONN ROUNDS "\t\tlocal-2 {\n\t\t\tauth = psk\n\t\t}\n"
		   CHILD TAIL, IFS_ERR_UNSUPPORTED, "t.conf:11: local-2: a second "
		   "local authentication round", "one local and one remote");
	load_fails(MIN_CONN "\t\tlocal {\n\t\t\tauth = psk\n"
		   "\t\t\tid = \"C=CH, O=strongSwan, CN=moon\"\n\t\t}\n"
		   "\t\tremote {\n\t\t\tauth = psk\n\t\t}\n" CHILD TAIL,
		   IFS_ERR_INVAL, "t.conf:7: id:", "distinguished names are not "
		   "supported yet");
	load_fails(MIN_CONN "\t\tlocal {\n\t\t\tauth = psk\n\t\t}\n"
		   "\t\tremote {\n\t\t\tauth = psk\n\t\t\tid = \"@#0g\"\n\t\t}\n"
		   CHILD TAIL, IFS_ERR_INVAL, "t.conf:10: id: '@#0g':",
		   "hexadecimal");
	/* Unquoted, '#' starts a comment: the message says so */
	load_fails(MIN_CONN "\t\tlocal {\n\t\t\tauth = psk\n\t\t}\n"
		   "\t\tremote {\n\t\t\tauth = psk\n\t\t\tid = @#0a0b\n\t\t}\n"
		   CHILD TAIL, IFS_ERR_INVAL, "t.conf:10: id: '@':",
		   "'#' starts a comment");
}

static void test_child_count_errors(void **state)
{
	(void)state;
	load_fails(MIN_CONN ROUNDS "\t}\n}\n", IFS_ERR_NOT_FOUND,
		   "t.conf:2: connections.gw: missing section children", NULL);
	load_fails(MIN_CONN ROUNDS "\t\tchildren {\n\t\t}\n\t}\n}\n",
		   IFS_ERR_NOT_FOUND, "t.conf:11: connections.gw.children: "
		   "missing a child", NULL);
	load_fails(MIN_CONN ROUNDS CHILD "\t\t\t}\n\t\t\tnet2 {\n" TAIL,
		   IFS_ERR_UNSUPPORTED, "t.conf:14: child net2: one child per "
		   "connection is supported: the interface carries one Child SA",
		   NULL);
	load_fails(MIN_CONN ROUNDS "\t\tchildren {\n\t\t\tmode = tunnel\n"
		   "\t\t\tnet {\n" TAIL, IFS_ERR_NOT_FOUND, "t.conf:12: unknown key "
		   "'mode' in section 'connections.gw.children'", NULL);
}

static void test_child_errors(void **state)
{
	(void)state;
	load_fails(CONN("", "\t\t\t\tlocal_ts = dynamic\n"), IFS_ERR_UNSUPPORTED,
		   "t.conf:13: local_ts: dynamic is not supported yet", NULL);
	load_fails(CONN("", "\t\t\t\tremote_ts = 10.0.0.0/8[tcp/80]\n"),
		   IFS_ERR_UNSUPPORTED, "t.conf:13: remote_ts: protocol/port "
		   "selectors are not supported yet", NULL);
	load_fails(CONN("", "\t\t\t\tremote_ts = 10.0.0.1-10.0.0.9\n"),
		   IFS_ERR_UNSUPPORTED, "t.conf:13: remote_ts: address ranges",
		   NULL);
	load_fails(CONN("", "\t\t\t\tlocal_ts = 10.1.2.3/16\n"), IFS_ERR_SYNTAX,
		   "t.conf:13: local_ts:", "did you mean 10.1.0.0/16?");
	load_fails(CONN("", "\t\t\t\tlocal_ts = 10.1.0.0/16\n"
			"\t\t\t\tremote_ts = 2001:db8::/32\n"), IFS_ERR_INVAL,
		   "t.conf:14: remote_ts: local_ts and remote_ts have no address "
		   "family in common", NULL);
	load_fails(CONN("", "\t\t\t\tlocal_ts =\n"), IFS_ERR_INVAL,
		   "t.conf:13: local_ts: no selector", NULL);
	load_fails(CONN("", "\t\t\t\tmode = transport\n"), IFS_ERR_UNSUPPORTED,
		   "t.conf:13: mode: transport is not supported yet", NULL);
	load_fails(CONN("", "\t\t\t\tstart_action = route\n"), IFS_ERR_INVAL,
		   "t.conf:13: start_action: 'route' is not none, start or trap",
		   NULL);
	load_fails(CONN("", "\t\t\t\tdpd_action = hold\n"), IFS_ERR_INVAL,
		   "t.conf:13: dpd_action: 'hold' is not clear, trap, restart or "
		   "none", NULL);
	load_fails(CONN("", "\t\t\t\tclose_action = start\n"), IFS_ERR_INVAL,
		   "t.conf:13: close_action: 'start' is not none, clear, trap or "
		   "restart", NULL);
	load_fails(CONN("", "\t\t\t\trekey_time = 1h\n\t\t\t\tlife_time = 1h\n"),
		   IFS_ERR_INVAL, "t.conf:14: life_time: 3600 s is not longer than "
		   "rekey_time (3600 s)", NULL);
	load_fails(CONN("", "\t\t\t\trekey_time = 1h\n\t\t\t\trand_time = 2h\n"),
		   IFS_ERR_INVAL, "t.conf:14: rand_time: 7200 s is longer than "
		   "rekey_time", NULL);
	load_fails(CONN("", "\t\t\t\treplay_window = 70000\n"), IFS_ERR_RANGE,
		   "t.conf:13: replay_window:", NULL);
}

/* Keys strongSwan knows, by level: refused by name. */
static void test_strongswan_keys(void **state)
{
	static const char *const conn[] = {
		"unique = never", "send_cert = always", "keyingtries = 0",
		"fragmentation = yes", "aggressive = no", "pull = yes",
		"dscp = 000000", "if_id_in = 42", "pools = p", "ppk_id = x",
		"vips = 0.0.0.0", "send_certreq = no", "childless = allow",
	};
	static const char *const child[] = {
		"ah_proposals = sha256", "updown = /bin/true", "hostaccess = yes",
		"policies = no", "label = x", "tfc_padding = 0",
		"mark_in = 1", "ipcomp = no", "inactivity = 5m", "reqid = 1",
		"hw_offload = no", "copy_dscp = out", "sha256_96 = yes",
	};
	char text[1024], want[128];

	(void)state;
	for (size_t i = 0; i < IFS_ARRAY_LEN(conn); i++) {
		snprintf(text, sizeof(text), CONN("\t\t%s\n", ""), conn[i]);
		snprintf(want, sizeof(want), "t.conf:5: '%.*s' is not supported "
			 "by ifsec (in section 'connections.gw')",
			 (int)strcspn(conn[i], " "), conn[i]);
		load_fails(text, IFS_ERR_UNSUPPORTED, want, NULL);
	}
	for (size_t i = 0; i < IFS_ARRAY_LEN(child); i++) {
		snprintf(text, sizeof(text), CONN("", "\t\t\t\t%s\n"), child[i]);
		snprintf(want, sizeof(want), "t.conf:13: '%.*s' is not supported "
			 "by ifsec (in section 'connections.gw.children.net')",
			 (int)strcspn(child[i], " "), child[i]);
		load_fails(text, IFS_ERR_UNSUPPORTED, want, NULL);
	}
	load_fails(CONN("", "\t\t\t\tinterface = ipsec0\n"), IFS_ERR_UNSUPPORTED,
		   "t.conf:13: 'interface' is not supported by ifsec", "set in the "
		   "connection's section");
	load_fails(MIN_CONN "\t\tlocal {\n\t\t\tauth = psk\n\t\t\tcerts = a.pem\n"
		   "\t\t}\n\t\tremote {\n\t\t\tauth = psk\n\t\t}\n" CHILD TAIL,
		   IFS_ERR_UNSUPPORTED, "t.conf:7: 'certs' is not supported by "
		   "ifsec (in section 'connections.gw.local')", NULL);
	load_fails(MIN_CONN "\t\tlocal {\n\t\t\tauth = psk\n\t\t}\n"
		   "\t\tremote {\n\t\t\tauth = psk\n\t\t\tcacert-1 {\n\t\t\t}\n"
		   "\t\t}\n" CHILD TAIL, IFS_ERR_UNSUPPORTED, "t.conf:10: "
		   "'cacert-1' is not supported by ifsec", NULL);
}

static void test_unknown_keys(void **state)
{
	(void)state;
	load_fails(CONN("\t\tremote_adrs = 192.0.2.2\n", ""), IFS_ERR_NOT_FOUND,
		   "t.conf:5: unknown key 'remote_adrs' in section "
		   "'connections.gw'", NULL);
	load_fails(CONN("", "\t\t\t\tlocal_tss = 10.0.0.0/8\n"), IFS_ERR_NOT_FOUND,
		   "t.conf:13: unknown key 'local_tss' in section "
		   "'connections.gw.children.net'", NULL);
	load_fails(CONN("\t\tchildren2 {\n\t\t}\n", ""), IFS_ERR_NOT_FOUND,
		   "t.conf:5: unknown section 'children2'", NULL);
	load_fails(MIN_CONN "\t\tlocal {\n\t\t\tauth = psk\n\t\t\tidd = x\n\t\t}\n"
		   "\t\tremote {\n\t\t\tauth = psk\n\t\t}\n" CHILD TAIL,
		   IFS_ERR_NOT_FOUND, "t.conf:7: unknown key 'idd' in section "
		   "'connections.gw.local'", NULL);
	load_fails("connections {\n\tversion = 2\n}\n", IFS_ERR_NOT_FOUND,
		   "t.conf:2: unknown key 'version' in section 'connections'", NULL);
	/* A misspelt key is unknown, not "missing" a required key. */
	load_fails("connections {\n\tgw {\n\t\tlocal_adrs = 192.0.2.1\n" ROUNDS
		   CHILD TAIL, IFS_ERR_NOT_FOUND, "t.conf:3: unknown key "
		   "'local_adrs'", NULL);
}

static void test_cross_checks(void **state)
{
	struct conf *c;

	(void)state;
	/* Two connections without an interface key: ipsec0 and ipsec1 */
	c = load_ok("connections {\n"
		    "\ta {\n\t\tlocal_addrs = 192.0.2.1\n" ROUNDS CHILD "\t\t\t}\n"
		    "\t\t}\n\t}\n"
		    "\tb {\n\t\tlocal_addrs = 192.0.2.1\n" ROUNDS CHILD TAIL);
	assert_string_equal(c->tunnels[0].ifname, "ipsec0");
	assert_string_equal(c->tunnels[1].ifname, "ipsec1");
	conf_free(c);
	/* Two connections naming one interface */
	load_fails("connections {\n"
		   "\ta {\n\t\tlocal_addrs = 192.0.2.1\n\t\tinterface = x0\n" ROUNDS
		   CHILD "\t\t\t}\n\t\t}\n\t}\n"                      /* 2 .. 15 */
		   "\tb {\n\t\tlocal_addrs = 192.0.2.1\n\t\tinterface = x0\n" ROUNDS
		   CHILD TAIL, IFS_ERR_EXISTS, "t.conf:18: tunnel b: interface x0 is "
		   "already used by tunnel a (t.conf:2)", NULL);
	/* A manual tunnel and a connection of one name */
	load_fails("manual {\n\tgw {\n\t\tlocal_addrs = 192.0.2.1\n"
		   "\t\tremote_addrs = 192.0.2.2\n\t\tinterface = m0\n"
		   "\t\tinbound { spi = 0x1000\n\t\t\ttransform = aes128gcm16\n"
		   "\t\t\tkey = 0x000102030405060708090a0b0c0d0e0f10111213 }\n"
		   "\t\toutbound { spi = 0x2000\n\t\t\ttransform = aes128gcm16\n"
		   "\t\t\tkey = 0x202122232425262728292a2b2c2d2e2f30313233 }\n"
		   "\t}\n}\n" CONN("", ""), IFS_ERR_EXISTS,
		   "t.conf:15: the name gw is already used by manual tunnel gw "
		   "(t.conf:2)", NULL);
	/* A route that holds the peer */
	load_fails(CONN("\t\troutes = 192.0.2.0/24\n", ""), IFS_ERR_LOOP,
		   "t.conf:5: route 192.0.2.0/24 would carry the peer address "
		   "192.0.2.2 of tunnel gw into its own tunnel", NULL);
	/* ... and one that holds another connection's peer */
	load_fails("connections {\n"
		   "\ta {\n\t\tlocal_addrs = 192.0.2.1\n\t\tinterface = i1\n"
		   "\t\troutes = 198.51.100.0/24\n" ROUNDS CHILD "\t\t\t}\n"
		   "\t\t}\n\t}\n"
		   "\tb {\n\t\tlocal_addrs = 192.0.2.1\n"
		   "\t\tremote_addrs = 198.51.100.7\n" ROUNDS CHILD TAIL,
		   IFS_ERR_LOOP, "t.conf:5: route 198.51.100.0/24 of tunnel a would "
		   "carry the peer address 198.51.100.7 of tunnel b", NULL);
}

/* remote_addrs = %any: no peer to route around, and no initiating. */
static void test_remote_any(void **state)
{
	struct conf *c;

	(void)state;
	c = load_ok("connections {\n\tgw {\n\t\tlocal_addrs = 192.0.2.1\n"
		    "\t\tremote_addrs = %any\n\t\troutes = 0.0.0.0/0, ::/0\n"
		    ROUNDS CHILD "\t\t\t\tdpd_action = clear\n" TAIL);
	assert_true(c->tunnels[0].ike->is_remote_any);
	assert_int_equal(c->tunnels[0].remote.family, AF_UNSPEC);
	assert_int_equal(c->tunnels[0].n_routes, 2);
	conf_free(c);
	load_fails("connections {\n\tgw {\n\t\tlocal_addrs = 192.0.2.1\n"
		   ROUNDS CHILD "\t\t\t\tstart_action = start\n" TAIL,
		   IFS_ERR_INVAL, "t.conf:12: start_action: start initiates",
		   "remote_addrs = %any");
	load_fails("connections {\n\tgw {\n\t\tlocal_addrs = 192.0.2.1\n"
		   ROUNDS CHILD "\t\t\t\tdpd_action = restart\n" TAIL,
		   IFS_ERR_INVAL, "t.conf:12: dpd_action: restart initiates", NULL);
	load_fails("connections {\n\tgw {\n\t\tlocal_addrs = 192.0.2.1\n"
		   ROUNDS CHILD "\t\t\t\tclose_action = trap\n" TAIL,
		   IFS_ERR_INVAL, "t.conf:12: close_action: trap initiates", NULL);
}

static void test_names(void **state)
{
	(void)state;
	load_fails("connections {\n\ta-connection-name-that-is-much-longer-than-"
		   "sixty-three-characters {\n\t\tlocal_addrs = 192.0.2.1\n"
		   ROUNDS CHILD TAIL, IFS_ERR_RANGE, "t.conf:2: connection name",
		   "longer than 63");
	load_fails(MIN_CONN ROUNDS "\t\tchildren {\n\t\t\ta-child-name-that-is-"
		   "much-longer-than-sixty-three-characters-in-total {\n" TAIL,
		   IFS_ERR_RANGE, "t.conf:12: child name", NULL);
}

#define SECRET_OK "\tike-1 {\n\t\tsecret = hunter2\n\t}\n"

static void test_secret_errors(void **state)
{
	(void)state;
	load_fails("secrets {\n" SECRET_OK "\teap-carol {\n\t\tsecret = x\n\t}\n}\n",
		   IFS_ERR_UNSUPPORTED, "t.conf:5: secrets.eap-carol: EAP secrets "
		   "are not supported yet", NULL);
	load_fails("secrets {\n\tprivate-key {\n\t\tfile = k.pem\n\t}\n}\n",
		   IFS_ERR_UNSUPPORTED, "t.conf:2: secrets.private-key: private "
		   "keys are not supported yet", NULL);
	load_fails("secrets {\n\trsa { }\n}\n", IFS_ERR_UNSUPPORTED,
		   "t.conf:2: secrets.rsa: RSA", NULL);
	load_fails("secrets {\n\tkey-1 { }\n}\n", IFS_ERR_NOT_FOUND,
		   "t.conf:2: unknown section 'key-1' in section 'secrets'", NULL);
	load_fails("secrets {\n\tsecret = x\n}\n", IFS_ERR_NOT_FOUND,
		   "t.conf:2: unknown key 'secret' in section 'secrets'", NULL);
	load_fails("secrets {\n\tike-1 {\n\t\tid = a\n\t}\n}\n", IFS_ERR_NOT_FOUND,
		   "t.conf:2: secrets.ike-1: missing secret", NULL);
	load_fails("secrets {\n\tike-1 {\n\t\tsecret =\n\t}\n}\n", IFS_ERR_INVAL,
		   "t.conf:3: secret: the secret is empty", NULL);
	load_fails("secrets {\n\tike-1 {\n\t\tsecret = 0x0102030405zz\n\t}\n}\n",
		   0, "t.conf:3: secret: not valid hexadecimal", NULL);
	load_fails("secrets {\n\tike-1 {\n\t\tsecret = 0sc2VjcmV0!\n\t}\n}\n",
		   0, "t.conf:3: secret: not valid base64", NULL);
	load_fails("secrets {\n\tike-1 {\n\t\tid-x = ipv4:1.2.3\n"
		   "\t\tsecret = hunter2\n\t}\n}\n", IFS_ERR_INVAL,
		   "t.conf:3: id-x: 'ipv4:1.2.3':", "IPv4");
	load_fails("secrets {\n\tike-1 {\n\t\tsecret = hunter2\n"
		   "\t\tsecrte = hunter2\n\t}\n}\n", IFS_ERR_NOT_FOUND,
		   "t.conf:4: unknown key 'secrte' in section 'secrets.ike-1'", NULL);
	load_fails("secrets {\n\tike-1 {\n\t\tsecret = hunter2\n\t\tsub { }\n"
		   "\t}\n}\n", IFS_ERR_NOT_FOUND, "t.conf:4: unknown section 'sub'",
		   NULL);
}

static void test_secret_names_and_ids(void **state)
{
	struct conf *c;
	char text[4096];
	size_t pos = 0;

	(void)state;
	c = load_ok("secrets {\n\tike { secret = a }\n\tike1 { secret = b }\n"
		    "\tike-x { secret = c }\n}\n");
	assert_int_equal(c->n_secrets, 3);
	assert_string_equal(c->secrets[0].name, "");
	assert_string_equal(c->secrets[1].name, "1");
	assert_string_equal(c->secrets[2].name, "x");
	assert_int_equal(c->n_tunnels, 0);
	conf_free(c);
	/* 16 ids at most */
	pos += (size_t)snprintf(text, sizeof(text), "secrets {\n\tike {\n");
	for (int i = 0; i < 17; i++)
		pos += (size_t)snprintf(text + pos, sizeof(text) - pos,
					"\t\tid%d = host%d.example\n", i, i);
	snprintf(text + pos, sizeof(text) - pos, "\t\tsecret = x\n\t}\n}\n");
	load_fails(text, IFS_ERR_RANGE, "t.conf:19: id16: more than 16", NULL);
}

/* ---- the PSK for a pair of identities ---- */

static const char psk_conf[] =
	"secrets {\n"
	"\tike-any { secret = any }\n"
	"\tike-pct {\n\t\tid = %any\n\t\tsecret = pct\n\t}\n"
	"\tike-local {\n\t\tid = me.example\n\t\tsecret = local\n\t}\n"
	"\tike-remote {\n\t\tid = peer.example\n\t\tsecret = remote\n\t}\n"
	"\tike-wild {\n\t\tid = *.example\n\t\tsecret = wild\n\t}\n"
	"\tike-both {\n\t\tid-1 = me.example\n\t\tid-2 = peer.example\n"
	"\t\tsecret = both\n\t}\n"
	"\tike-other {\n\t\tid = 192.0.2.200\n\t\tsecret = other\n\t}\n"
	"}\n";

static const char *psk_for(const struct conf *c, const char *local,
			   const char *remote)
{
	const struct conf_secret *s;
	struct ike_id l, r;
	char why[64];

	assert_int_equal(ike_id_parse(local, &l, why, sizeof(why)), 0);
	assert_int_equal(ike_id_parse(remote, &r, why, sizeof(why)), 0);
	s = conf_find_psk(c, &l, r.type, r.data, r.len);
	return s ? s->name : NULL;
}

static void test_psk_precedence(void **state)
{
	struct conf *c = load_ok(psk_conf);

	(void)state;
	/* Both named exactly, before both by wildcard */
	assert_string_equal(psk_for(c, "me.example", "peer.example"), "both");
	/* Both by the wildcard, before the local one alone */
	assert_string_equal(psk_for(c, "me.example", "x.example"), "wild");
	/* The remote one alone, before the local one alone */
	assert_string_equal(psk_for(c, "192.0.2.1", "peer.example"), "remote");
	assert_string_equal(psk_for(c, "192.0.2.1", "192.0.2.200"), "other");
	/* The local one alone (exact before wildcard, then file order) */
	assert_string_equal(psk_for(c, "me.example", "192.0.2.9"), "local");
	/* Nothing named: the first entry for anyone */
	assert_string_equal(psk_for(c, "192.0.2.1", "192.0.2.9"), "any");
	/* Case does not matter in names */
	assert_string_equal(psk_for(c, "ME.example", "Peer.Example"), "both");
	conf_free(c);
	/* Without an entry for anyone, an unknown pair has none */
	c = load_ok("secrets {\n\tike-a {\n\t\tid = a.example\n"
		    "\t\tsecret = x\n\t}\n}\n");
	assert_null(psk_for(c, "192.0.2.1", "192.0.2.9"));
	assert_string_equal(psk_for(c, "192.0.2.1", "A.example"), "a");
	conf_free(c);
	/* %any alone counts as anyone: file order decides among them */
	c = load_ok("secrets {\n\tike-p {\n\t\tid = %any\n\t\tsecret = p\n\t}\n"
		    "\tike-n { secret = n }\n}\n");
	assert_string_equal(psk_for(c, "192.0.2.1", "192.0.2.9"), "p");
	conf_free(c);
	c = load_ok("");
	assert_null(psk_for(c, "192.0.2.1", "192.0.2.9"));
	conf_free(c);
	assert_null(conf_find_psk(NULL, &(struct ike_id){ 0 }, 0, NULL, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_example),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_derived_defaults),
		cmocka_unit_test(test_ike_rand_time),
		cmocka_unit_test(test_volumes),
		cmocka_unit_test(test_volume_errors),
		cmocka_unit_test(test_version_errors),
		cmocka_unit_test(test_address_errors),
		cmocka_unit_test(test_proposal_errors),
		cmocka_unit_test(test_value_errors),
		cmocka_unit_test(test_round_errors),
		cmocka_unit_test(test_child_count_errors),
		cmocka_unit_test(test_child_errors),
		cmocka_unit_test(test_strongswan_keys),
		cmocka_unit_test(test_unknown_keys),
		cmocka_unit_test(test_cross_checks),
		cmocka_unit_test(test_remote_any),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_secret_errors),
		cmocka_unit_test(test_secret_names_and_ids),
		cmocka_unit_test(test_psk_precedence),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
