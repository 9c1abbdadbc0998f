/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Two IKE engines in one process, joined by a message queue instead of a
 * network, with a clock the test moves (the design of strongSwan's
 * exchange tests): whole exchanges as initiator and responder, each
 * cipher suite of the interop matrix, the refusals (PSK, proposals,
 * identities, selectors), the INVALID_KE_PAYLOAD and COOKIE rounds,
 * retransmission, duplicate requests, deletes and liveness checks.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "config/conf.h"
#include "crypto/crypto.h"
#include "ike/ike_int.h"
#include "ike/ts.h"

#define MAX_QUEUE 64
#define MAX_PEERS 3

struct peer;

struct wire_msg {
	struct peer *to;
	struct ike_path path;        /* as the receiver sees it */
	size_t len;
	uint8_t data[IKE_MAX_MSG];
};

struct child_rec {
	bool is_up;
	uint32_t spi_in, spi_out;
	enum crypto_alg alg;
	bool is_esn;
	bool is_udp_encap;
	uint8_t key_in[128], key_out[128];
	size_t key_len;
	int n_up, n_down;
	/* what a data plane would hold: every inbound SPI, one outbound */
	uint32_t inbound[4];
	size_t n_inbound;
	uint32_t outbound;
};

struct peer {
	struct ike_engine *e;
	struct conf *conf;
	struct ifs_addr addr;
	struct child_rec child;
	int sent;
	int drop_next;               /* drop this many of our next messages */
};

static struct {
	struct peer peers[MAX_PEERS];
	size_t n_peers;
	struct wire_msg *queue[MAX_QUEUE];
	size_t n_queue;
	uint64_t now;
	size_t delivered;
} net;

static uint64_t fake_now(void *ctx)
{
	(void)ctx;
	return net.now;
}

static struct peer *peer_at(const struct ifs_addr *a)
{
	for (size_t i = 0; i < net.n_peers; i++)
		if (addr_eq(&net.peers[i].addr, a))
			return &net.peers[i];
	return NULL;
}

static void fake_send(void *ctx, const struct ike_path *p, const uint8_t *msg, size_t len)
{
	struct peer *from = ctx;
	struct wire_msg *m;

	from->sent++;
	if (from->drop_next > 0) {
		from->drop_next--;
		return;
	}
	assert_true(net.n_queue < MAX_QUEUE);
	assert_true(len <= IKE_MAX_MSG);
	m = calloc(1, sizeof(*m));
	assert_non_null(m);
	m->to = peer_at(&p->remote);
	assert_non_null(m->to);
	m->path = (struct ike_path){
		.local = p->remote, .remote = p->local,
		.local_port = p->remote_port, .remote_port = p->local_port,
	};
	memcpy(m->data, msg, len);
	m->len = len;
	net.queue[net.n_queue++] = m;
}

static int fake_child_up(void *ctx, const struct ike_child_info *ci)
{
	struct peer *pe = ctx;
	struct child_rec *c = &pe->child;

	c->is_up = true;
	c->spi_in = ci->spi_in;
	c->spi_out = ci->spi_out;
	c->alg = ci->alg;
	c->is_esn = ci->is_esn;
	c->is_udp_encap = ci->is_udp_encap;
	c->key_len = ci->key_in->len;
	assert_true(c->key_len <= sizeof(c->key_in));
	memcpy(c->key_in, ci->key_in->data, ci->key_in->len);
	memcpy(c->key_out, ci->key_out->data, ci->key_out->len);
	c->n_up++;
	assert_true(c->n_inbound < 4);
	c->inbound[c->n_inbound++] = ci->spi_in;
	c->outbound = ci->spi_out;
	return 0;
}

static bool has_inbound(const struct child_rec *c, uint32_t spi)
{
	for (size_t i = 0; i < c->n_inbound; i++)
		if (c->inbound[i] == spi)
			return true;
	return false;
}

static void fake_child_down(void *ctx, void *user, uint32_t spi_in, uint32_t spi_out)
{
	struct peer *pe = ctx;
	struct child_rec *c = &pe->child;

	(void)user;
	for (size_t i = 0; i < c->n_inbound; i++)
		if (c->inbound[i] == spi_in) {
			c->inbound[i] = c->inbound[--c->n_inbound];
			break;
		}
	if (c->outbound == spi_out)
		c->outbound = 0;
	c->is_up = c->n_inbound > 0;
	c->n_down++;
}

static const struct ike_ops ops = {
	.send = fake_send, .child_up = fake_child_up, .child_down = fake_child_down,
	.now_ms = fake_now,
};

/* A connection from addr to peer_addr with these settings. */
static char *conn_text(const char *name, const char *addr, const char *peer_addr,
		       const char *local_id, const char *remote_id, const char *ike,
		       const char *esp, const char *start, const char *psk, const char *extra)
{
	char *s = malloc(4096);

	assert_non_null(s);
	snprintf(s, 4096,
		 "connections {\n"
		 "  %s {\n"
		 "    local_addrs = %s\n"
		 "    remote_addrs = %s\n"
		 "    proposals = %s\n"
		 "    interface = ifs%s\n"
		 "    local {\n      auth = psk\n      id = %s\n    }\n"
		 "    remote {\n      auth = psk\n      id = %s\n    }\n"
		 "    children {\n      net {\n        esp_proposals = %s\n"
		 "        start_action = %s\n%s      }\n    }\n"
		 "  }\n"
		 "}\n"
		 "secrets {\n  ike-1 {\n    secret = \"%s\"\n  }\n}\n",
		 name, addr, peer_addr, ike, name, local_id, remote_id, esp, start,
		 extra ? extra : "", psk);
	return s;
}

static struct peer *add_peer(const char *addr, const char *text, const struct ike_settings *s)
{
	struct peer *pe = &net.peers[net.n_peers++];
	struct conf_err err;
	struct ike_settings def;
	int rc;

	memset(pe, 0, sizeof(*pe));
	assert_int_equal(addr_parse(addr, &pe->addr), 0);
	rc = conf_load_string(text, "t.conf", &pe->conf, &err);
	if (rc)
		print_error("config: %s\n", err.msg);
	assert_int_equal(rc, 0);
	ike_settings_default(&def);
	assert_int_equal(ike_engine_new(&pe->e, &ops, pe, s ? s : &def, pe->conf, NULL), 0);
	for (size_t i = 0; i < pe->conf->n_tunnels; i++)
		assert_int_equal(ike_engine_add_conn(pe->e, &pe->conf->tunnels[i],
						     &pe->conf->tunnels[i]), 0);
	return pe;
}

static void pump_one(void)
{
	struct wire_msg *m = net.queue[0];

	assert_true(net.n_queue > 0);
	memmove(net.queue, net.queue + 1, (net.n_queue - 1) * sizeof(net.queue[0]));
	net.n_queue--;
	ike_engine_input(m->to->e, &m->path, m->data, m->len);
	free(m);
	net.delivered++;
}

/* Deliver until the network is quiet; returns the messages delivered. */
static size_t pump(void)
{
	size_t n = 0;

	while (net.n_queue > 0) {
		struct wire_msg *m = net.queue[0];

		memmove(net.queue, net.queue + 1, (net.n_queue - 1) * sizeof(net.queue[0]));
		net.n_queue--;
		ike_engine_input(m->to->e, &m->path, m->data, m->len);
		free(m);
		n++;
		assert_true(n < 100);
	}
	net.delivered += n;
	return n;
}

/* Move the clock to each peer's next timer in turn, up to ms from now. */
static void run_for(uint64_t ms)
{
	uint64_t end = net.now + ms;

	for (;;) {
		uint64_t next = UINT64_MAX;

		for (size_t i = 0; i < net.n_peers; i++) {
			uint64_t t = ike_engine_next_timer(net.peers[i].e);

			next = t < next ? t : next;
		}
		if (next > end)
			break;
		net.now = next > net.now ? next : net.now;
		for (size_t i = 0; i < net.n_peers; i++)
			ike_engine_run_timers(net.peers[i].e);
		pump();
	}
	net.now = end;
}

static int teardown(void **state)
{
	(void)state;
	for (size_t i = 0; i < net.n_peers; i++) {
		ike_engine_free(net.peers[i].e);
		conf_free(net.peers[i].conf);
	}
	for (size_t i = 0; i < net.n_queue; i++)
		free(net.queue[i]);
	memset(&net, 0, sizeof(net));
	net.now = 1000000;
	return 0;
}

static int setup(void **state)
{
	return teardown(state);
}

struct pair {
	struct peer *a, *b;
};

static struct pair make_pair(const char *ike_a, const char *ike_b, const char *esp_a,
			     const char *esp_b, const char *psk_a, const char *psk_b,
			     const char *rid_a, const char *rid_b)
{
	char *ta = conn_text("a", "192.0.2.1", "192.0.2.2", "a.example.org", rid_a, ike_a,
			     esp_a, "start", psk_a, NULL);
	char *tb = conn_text("b", "192.0.2.2", "192.0.2.1", "b.example.org", rid_b, ike_b,
			     esp_b, "none", psk_b, NULL);
	struct pair p = { add_peer("192.0.2.1", ta, NULL), add_peer("192.0.2.2", tb, NULL) };

	free(ta);
	free(tb);
	return p;
}

static void initiate(struct peer *pe)
{
	assert_int_equal(ike_engine_initiate(pe->e, &pe->conf->tunnels[0]), 0);
	pump();
}

static void assert_children_match(const struct pair *p, enum crypto_alg alg)
{
	assert_true(p->a->child.is_up);
	assert_true(p->b->child.is_up);
	assert_int_equal(p->a->child.spi_out, p->b->child.spi_in);
	assert_int_equal(p->b->child.spi_out, p->a->child.spi_in);
	assert_int_equal(p->a->child.alg, alg);
	assert_int_equal(p->b->child.alg, alg);
	assert_int_equal(p->a->child.key_len, crypto_alg_info(alg)->key_len);
	assert_memory_equal(p->a->child.key_out, p->b->child.key_in, p->a->child.key_len);
	assert_memory_equal(p->b->child.key_out, p->a->child.key_in, p->a->child.key_len);
	assert_memory_not_equal(p->a->child.key_out, p->a->child.key_in, p->a->child.key_len);
}

static void assert_established(struct peer *pe, bool is_initiator)
{
	struct ike_conn_status st;

	assert_int_equal(ike_engine_status(pe->e, &pe->conf->tunnels[0], &st), 0);
	assert_int_equal(st.state, IKE_SA_ESTABLISHED);
	assert_int_equal(st.is_initiator, is_initiator);
	assert_true(st.has_child);
}

static void suite(const char *ike, const char *esp, enum crypto_alg alg, bool is_esn)
{
	struct pair p = make_pair(ike, ike, esp, esp, "secret one", "secret one",
				  "b.example.org", "a.example.org");

	initiate(p.a);
	assert_established(p.a, true);
	assert_established(p.b, false);
	assert_children_match(&p, alg);
	assert_int_equal(p.a->child.is_esn, is_esn);
	assert_int_equal(p.b->child.is_esn, is_esn);
	/* four messages: IKE_SA_INIT and IKE_AUTH, each way */
	assert_int_equal(net.delivered, 4);
}

static void test_suite_gcm128_x25519(void **state)
{
	(void)state;
	suite("aes128gcm16-prfsha256-x25519", "aes128gcm16", CRYPTO_AES128_GCM16, false);
}

static void test_suite_cbc_sha384_ecp384(void **state)
{
	(void)state;
	suite("aes256-sha384-ecp384", "aes256-sha256", CRYPTO_AES256_CBC_SHA256_128, false);
}

static void test_suite_chacha(void **state)
{
	(void)state;
	suite("chacha20poly1305-prfsha256-x25519", "chacha20poly1305",
	      CRYPTO_CHACHA20_POLY1305, false);
}

static void test_suite_gcm256_modp3072_esn(void **state)
{
	(void)state;
	suite("aes256gcm16-prfsha512-modp3072", "aes256gcm16-esn", CRYPTO_AES256_GCM16, true);
}

static void test_suite_cbc512_ecp256_modp2048(void **state)
{
	(void)state;
	suite("aes128-sha512-ecp256", "aes128-sha512", CRYPTO_AES128_CBC_SHA512_256, false);
	teardown(state);
	suite("aes256-sha256-modp2048", "aes256-sha384", CRYPTO_AES256_CBC_SHA384_192, false);
}

static void test_wrong_psk(void **state)
{
	struct pair p = make_pair("default", "default", "default", "default", "right",
				  "wrong", "b.example.org", "a.example.org");

	(void)state;
	initiate(p.a);
	assert_false(p.a->child.is_up);
	assert_false(p.b->child.is_up);
	assert_int_equal(p.b->e->stats.established, 0);
	assert_int_equal(p.a->e->stats.established, 0);
	/* the initiator gives up on this connection: no retry loop */
	run_for(60000);
	assert_int_equal(p.a->child.n_up, 0);
	assert_int_equal(net.delivered, 4);
}

static void test_no_proposal(void **state)
{
	struct pair p = make_pair("aes128gcm16-prfsha256-x25519", "aes256-sha384-ecp384",
				  "default", "default", "k", "k", "%any", "%any");

	(void)state;
	initiate(p.a);
	assert_false(p.a->child.is_up);
	assert_int_equal(p.b->e->n_half_open, 0);     /* no state on the responder */
	assert_int_equal(net.delivered, 2);
}

static void test_no_esp_proposal(void **state)
{
	struct pair p = make_pair("default", "default", "aes128gcm16", "aes256-sha256",
				  "k", "k", "%any", "%any");

	(void)state;
	initiate(p.a);
	assert_false(p.a->child.is_up);
	assert_false(p.b->child.is_up);
	/* the initiator deletes the IKE SA that carries nothing */
	pump();
	assert_int_equal(p.a->e->stats.established, 0);
	assert_int_equal(p.b->e->stats.established, 0);
}

static void test_invalid_ke(void **state)
{
	struct pair p = make_pair("aes128gcm16-prfsha256-ecp256-x25519",
				  "aes128gcm16-prfsha256-x25519", "default", "default",
				  "k", "k", "%any", "%any");

	(void)state;
	initiate(p.a);
	assert_children_match(&p, CRYPTO_AES128_GCM16);
	/* INVALID_KE_PAYLOAD round: 2 more messages */
	assert_int_equal(net.delivered, 6);
	assert_int_equal(p.a->conf->tunnels[0].ike ? p.b->e->n_half_open : 1, 0);
}

static void test_wrong_identity(void **state)
{
	struct pair p = make_pair("default", "default", "default", "default", "k", "k",
				  "b.example.org", "c.example.org");

	(void)state;
	initiate(p.a);
	assert_false(p.a->child.is_up);
	assert_false(p.b->child.is_up);
	assert_int_equal(p.b->e->stats.established, 0);
}

static void test_wrong_responder_identity(void **state)
{
	struct pair p = make_pair("default", "default", "default", "default", "k", "k",
				  "*.example.com", "%any");

	(void)state;
	initiate(p.a);
	assert_false(p.a->child.is_up);
	/* the responder learns from AUTHENTICATION_FAILED and drops it */
	pump();
	assert_false(p.b->child.is_up);
	assert_int_equal(p.b->e->stats.established, 0);
}

static void test_wildcard_identity(void **state)
{
	struct pair p = make_pair("default", "default", "default", "default", "k", "k",
				  "*.example.org", "*.example.org");

	(void)state;
	initiate(p.a);
	assert_children_match(&p, CRYPTO_AES128_GCM16);
}

static void test_retransmit_and_duplicate(void **state)
{
	struct pair p = make_pair("default", "default", "default", "default", "k", "k",
				  "%any", "%any");

	(void)state;
	p.b->drop_next = 2;   /* both responses lost once */
	initiate(p.a);
	assert_false(p.a->child.is_up);
	run_for(4000);        /* first retransmission of IKE_SA_INIT */
	assert_int_equal(p.b->e->stats.rx_retransmits, 1);
	assert_false(p.a->child.is_up);
	run_for(7300);        /* 4 s * 1.8 later: IKE_AUTH again */
	assert_children_match(&p, CRYPTO_AES128_GCM16);
	assert_int_equal(p.b->e->stats.rx_retransmits, 2);
	/* the responder answered from its cache: one Child SA, installed once */
	assert_int_equal(p.b->child.n_up, 1);
	assert_int_equal(p.a->e->stats.tx_retransmits, 2);
}

static void test_retransmit_gives_up(void **state)
{
	struct pair p = make_pair("default", "default", "default", "default", "k", "k",
				  "%any", "%any");

	(void)state;
	p.a->drop_next = 1000;
	initiate(p.a);
	/* 4, 11.2, 24.2, 47.5, 89.5 s, then the last wait: 165 s in all */
	run_for(164000);
	assert_int_equal(p.a->sent, 6);
	assert_non_null(p.a->e->conns->sa);
	run_for(2000);
	/* gone, and a start_action = start connection tries again later */
	assert_true(p.a->e->conns->sa == NULL || p.a->e->conns->sa->state == IKE_SA_INIT_SENT);
}

static void test_delete_ike(void **state)
{
	struct pair p = make_pair("default", "default", "default", "default", "k", "k",
				  "%any", "%any");

	(void)state;
	initiate(p.a);
	assert_children_match(&p, CRYPTO_AES128_GCM16);
	ike_engine_shutdown(p.a->e);
	assert_false(p.a->child.is_up);
	pump();
	assert_false(p.b->child.is_up);
	assert_int_equal(p.b->child.n_down, 1);
	assert_int_equal(p.b->e->stats.established, 0);
}

static void test_liveness(void **state)
{
	struct pair p = make_pair("default", "default", "default", "default", "k", "k",
				  "%any", "%any");
	struct ike_sa *sa;

	(void)state;
	initiate(p.a);
	sa = p.a->e->conns->sa;
	assert_non_null(sa);
	ike_send_liveness(sa);
	assert_int_equal(pump(), 2);
	assert_int_equal(sa->req.exchange, 0);      /* answered */
	assert_true(p.a->child.is_up && p.b->child.is_up);
	/* and from the responder's side */
	ike_send_liveness(p.b->e->conns->sa);
	assert_int_equal(pump(), 2);
	assert_int_equal(p.b->e->conns->sa->req.exchange, 0);
}

static void test_cookie(void **state)
{
	struct ike_settings s;
	char *tb = conn_text("b", "192.0.2.2", "%any", "b.example.org", "%any",
			     "default", "default", "none", "k", NULL);
	char *ta = conn_text("a", "192.0.2.1", "192.0.2.2", "a.example.org", "%any",
			     "default", "default", "start", "k", NULL);
	char *tc = conn_text("c", "192.0.2.3", "192.0.2.2", "c.example.org", "%any",
			     "default", "default", "start", "k", NULL);
	struct peer *b, *a, *c;

	(void)state;
	ike_settings_default(&s);
	s.cookie_threshold = 1;
	b = add_peer("192.0.2.2", tb, &s);
	a = add_peer("192.0.2.1", ta, NULL);
	c = add_peer("192.0.2.3", tc, NULL);
	/* a's IKE_AUTH is lost: b keeps one half-open SA */
	assert_int_equal(ike_engine_initiate(a->e, &a->conf->tunnels[0]), 0);
	a->drop_next = 0;
	assert_int_equal(net.n_queue, 1);
	pump_one();                    /* IKE_SA_INIT request to b */
	a->drop_next = 1;
	pump_one();                    /* the response to a, which sends IKE_AUTH: lost */
	assert_int_equal(net.n_queue, 0);
	assert_int_equal(b->e->n_half_open, 1);
	initiate(c);
	assert_int_equal(b->e->stats.cookies_sent, 1);
	assert_true(c->child.is_up);
	free(ta);
	free(tb);
	free(tc);
}

static void test_ts_narrowing(void **state)
{
	char *ta = conn_text("a", "192.0.2.1", "192.0.2.2", "a", "%any", "default", "default",
			     "start", "k", "        local_ts = 203.0.113.0/26\n"
			     "        remote_ts = 203.0.113.64/26, 2001:db8:2::/48\n");
	char *tb = conn_text("b", "192.0.2.2", "192.0.2.1", "b", "%any", "default", "default",
			     "none", "k", "        remote_ts = 203.0.113.0/24\n"
			     "        local_ts = 203.0.113.96/27\n");
	struct peer *a, *b;
	char buf[64];

	(void)state;
	a = add_peer("192.0.2.1", ta, NULL);
	b = add_peer("192.0.2.2", tb, NULL);
	initiate(a);
	assert_true(a->child.is_up && b->child.is_up);
	assert_int_equal(a->e->conns->sa->child.n_ts_remote, 1);
	assert_string_equal(ts_str(&a->e->conns->sa->child.ts_remote[0], buf, sizeof(buf)),
			    "203.0.113.96/27");
	assert_string_equal(ts_str(&a->e->conns->sa->child.ts_local[0], buf, sizeof(buf)),
			    "203.0.113.0/26");
	free(ta);
	free(tb);
}

static void test_ts_unacceptable(void **state)
{
	char *ta = conn_text("a", "192.0.2.1", "192.0.2.2", "a", "%any", "default", "default",
			     "start", "k", "        remote_ts = 198.51.100.0/24\n");
	char *tb = conn_text("b", "192.0.2.2", "192.0.2.1", "b", "%any", "default", "default",
			     "none", "k", "        local_ts = 203.0.113.0/24\n");
	struct peer *a, *b;

	(void)state;
	a = add_peer("192.0.2.1", ta, NULL);
	b = add_peer("192.0.2.2", tb, NULL);
	initiate(a);
	assert_false(a->child.is_up);
	assert_false(b->child.is_up);
	free(ta);
	free(tb);
}

static void test_restart_replaces_sa(void **state)
{
	struct pair p = make_pair("default", "default", "default", "default", "k", "k",
				  "%any", "%any");
	struct ike_settings s;
	uint32_t old_spi;

	(void)state;
	initiate(p.a);
	old_spi = p.b->child.spi_in;
	/* a restarts: its state is gone, it initiates again */
	ike_engine_free(p.a->e);
	memset(&p.a->child, 0, sizeof(p.a->child));
	ike_settings_default(&s);
	assert_int_equal(ike_engine_new(&p.a->e, &ops, p.a, &s, p.a->conf, NULL), 0);
	assert_int_equal(ike_engine_add_conn(p.a->e, &p.a->conf->tunnels[0],
					     &p.a->conf->tunnels[0]), 0);
	initiate(p.a);
	assert_children_match(&p, CRYPTO_AES128_GCM16);
	assert_int_not_equal(p.b->child.spi_in, old_spi);
	assert_int_equal(p.b->child.n_down, 1);
	assert_int_equal(p.b->e->stats.established, 1);
}

/* Both sides initiate at once: the two IKE SAs cross. Each side ends with
 * Child SAs such that what it sends on, the other accepts. */
static void test_simultaneous_initiation(void **state)
{
	struct pair p = make_pair("default", "default", "default", "default", "k", "k",
				  "%any", "%any");

	(void)state;
	assert_int_equal(ike_engine_initiate(p.a->e, &p.a->conf->tunnels[0]), 0);
	assert_int_equal(ike_engine_initiate(p.b->e, &p.b->conf->tunnels[0]), 0);
	pump();
	assert_true(p.a->child.outbound != 0 && p.b->child.outbound != 0);
	assert_true(has_inbound(&p.b->child, p.a->child.outbound));
	assert_true(has_inbound(&p.a->child, p.b->child.outbound));
	assert_int_equal(p.a->e->stats.established, 2);
	/* a later restart of a (INITIAL_CONTACT) still replaces what b has */
	ike_engine_shutdown(p.a->e);
	pump();
	assert_int_equal(p.b->e->stats.established, 0);
	assert_int_equal(p.b->child.n_inbound, 0);
}

/* A restarted peer sends INITIAL_CONTACT; one that still has an SA with
 * us does not. */
static void test_initial_contact_only_first(void **state)
{
	struct pair p = make_pair("default", "default", "default", "default", "k", "k",
				  "%any", "%any");

	(void)state;
	initiate(p.a);
	assert_int_equal(p.b->child.n_inbound, 1);
	/* a second IKE SA while the first is up: no INITIAL_CONTACT, both stay */
	p.a->e->conns->sa = NULL;
	initiate(p.a);
	assert_int_equal(p.b->e->stats.established, 2);
	assert_int_equal(p.b->child.n_inbound, 2);
	assert_true(has_inbound(&p.b->child, p.a->child.outbound));
}

/* An unprotected notify answering a's IKE_SA_INIT, as anyone on the
 * path could send it. */
static void forge_init_notify(struct peer *to, uint16_t type, const uint8_t *data, size_t len)
{
	struct ike_hdr h = {
		.spi_i = to->e->conns->sa->spi_i, .version = IKE_VERSION_2,
		.exchange = IKE_SA_INIT, .flags = IKE_FLAG_RESPONSE,
	};
	struct ike_path p = { .local = to->addr, .local_port = 500, .remote_port = 500 };
	uint8_t buf[256];
	struct ike_builder b;
	size_t n;

	assert_int_equal(addr_parse("192.0.2.2", &p.remote), 0);
	ike_build_begin(&b, buf, sizeof(buf), &h);
	ike_build_notify(&b, 0, NULL, 0, type, data, len);
	n = ike_build_finish(&b);
	assert_true(n > 0);
	ike_engine_input(to->e, &p, buf, n);
}

/* §2.21.1: an unprotected refusal is advisory; the real answer that
 * follows still brings the tunnel up. */
static void test_forged_refusal_is_advisory(void **state)
{
	struct pair p = make_pair("default", "default", "default", "default", "k", "k",
				  "%any", "%any");

	(void)state;
	assert_int_equal(ike_engine_initiate(p.a->e, &p.a->conf->tunnels[0]), 0);
	forge_init_notify(p.a, IKE_N_NO_PROPOSAL_CHOSEN, NULL, 0);
	forge_init_notify(p.a, IKE_N_AUTHENTICATION_FAILED, NULL, 0);
	pump();
	assert_children_match(&p, CRYPTO_AES128_GCM16);
}

/* A peer that asks for a cookie again and again is given up after a few
 * rounds, not answered forever. */
static void test_cookie_loop_bounded(void **state)
{
	struct pair p = make_pair("default", "default", "default", "default", "k", "k",
				  "%any", "%any");
	uint8_t cookie[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	int sent;

	(void)state;
	assert_int_equal(ike_engine_initiate(p.a->e, &p.a->conf->tunnels[0]), 0);
	for (int i = 0; i < 10 && p.a->e->conns->sa; i++)
		forge_init_notify(p.a, IKE_N_COOKIE, cookie, sizeof(cookie));
	sent = p.a->sent;
	assert_true(sent <= 4);              /* the first request and 3 retries */
	assert_null(p.a->e->conns->sa);
	for (size_t i = 0; i < net.n_queue; i++)
		free(net.queue[i]);
	net.n_queue = 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_suite_gcm128_x25519, setup, teardown),
		cmocka_unit_test_setup_teardown(test_suite_cbc_sha384_ecp384, setup, teardown),
		cmocka_unit_test_setup_teardown(test_suite_chacha, setup, teardown),
		cmocka_unit_test_setup_teardown(test_suite_gcm256_modp3072_esn, setup, teardown),
		cmocka_unit_test_setup_teardown(test_suite_cbc512_ecp256_modp2048, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrong_psk, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_proposal, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_esp_proposal, setup, teardown),
		cmocka_unit_test_setup_teardown(test_invalid_ke, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrong_identity, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrong_responder_identity, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wildcard_identity, setup, teardown),
		cmocka_unit_test_setup_teardown(test_retransmit_and_duplicate, setup, teardown),
		cmocka_unit_test_setup_teardown(test_retransmit_gives_up, setup, teardown),
		cmocka_unit_test_setup_teardown(test_delete_ike, setup, teardown),
		cmocka_unit_test_setup_teardown(test_liveness, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cookie, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ts_narrowing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ts_unacceptable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_restart_replaces_sa, setup, teardown),
		cmocka_unit_test_setup_teardown(test_simultaneous_initiation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_initial_contact_only_first, setup, teardown),
		cmocka_unit_test_setup_teardown(test_forged_refusal_is_advisory, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cookie_loop_bounded, setup, teardown),
	};

	log_init("test", true, getenv("IFS_TEST_DEBUG") ? LOG_LVL_DEBUG : LOG_LVL_ERROR);
	if (crypto_init() != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
