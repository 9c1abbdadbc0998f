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
#include "ike/sk.h"
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
	uint32_t inbound[16];
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
	struct secret *psk_override; /* find_psk answers this instead (freed at teardown) */
	uint64_t esp_in_ms;          /* what last_esp_in_ms answers */
	struct ike_esp_usage usage;  /* what esp_usage answers */
	bool is_mute;                /* everything it sends is lost */
	int n_moved;                 /* peer_moved calls, the last one's path */
	struct ike_path moved;
	uint32_t expected;           /* the last child_expect's SPI */
	int sent_at_expect;          /* `sent` when it was called */
	bool defers_jobs;            /* offload keeps key exchanges for run_jobs() */
	struct ike_job *jobs[8];
	size_t n_jobs;
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
	if (from->is_mute)
		return;
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
	if (ci->dir != IKE_CHILD_OUT) {
		c->key_len = ci->key_in->len;
		assert_true(c->key_len <= sizeof(c->key_in));
		memcpy(c->key_in, ci->key_in->data, ci->key_in->len);
		assert_true(c->n_inbound < sizeof(c->inbound) / sizeof(c->inbound[0]));
		c->inbound[c->n_inbound++] = ci->spi_in;
		c->n_up++;
	}
	if (ci->dir != IKE_CHILD_IN) {
		memcpy(c->key_out, ci->key_out->data, ci->key_out->len);
		c->outbound = ci->spi_out;
	}
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

static const struct secret *fake_find_psk(void *ctx, const struct ike_id *local,
					  uint8_t remote_type, const uint8_t *remote,
					  size_t remote_len)
{
	struct peer *pe = ctx;
	const struct conf_secret *s = conf_find_psk(pe->conf, local, remote_type, remote,
						    remote_len);

	if (pe->psk_override)
		return pe->psk_override;
	return s ? s->psk : NULL;
}

static uint64_t fake_last_esp_in(void *ctx, void *user)
{
	struct peer *pe = ctx;

	(void)user;
	return pe->esp_in_ms;
}

static void fake_peer_moved(void *ctx, void *user, const struct ike_path *p, bool is_nat_local)
{
	struct peer *pe = ctx;

	(void)user;
	(void)is_nat_local;
	pe->n_moved++;
	pe->moved = *p;
}

static void fake_esp_usage(void *ctx, void *user, struct ike_esp_usage *out)
{
	struct peer *pe = ctx;

	(void)user;
	*out = pe->usage;
}

static void fake_child_expect(void *ctx, void *user, uint32_t spi_in)
{
	struct peer *pe = ctx;

	(void)user;
	pe->expected = spi_in;
	pe->sent_at_expect = pe->sent;
}

static int fake_offload(void *ctx, struct ike_job *job)
{
	struct peer *pe = ctx;

	if (!pe->defers_jobs)
		return IFS_ERR_NOMEM;           /* run at once, as without offload */
	assert_true(pe->n_jobs < sizeof(pe->jobs) / sizeof(pe->jobs[0]));
	pe->jobs[pe->n_jobs++] = job;
	return 0;
}

/* What the daemon's threads do: pe's jobs run and handed back, in the
 * order they came; how many. */
static size_t run_jobs(struct peer *pe)
{
	size_t n = 0;

	while (pe->n_jobs > 0) {
		struct ike_job *j = pe->jobs[0];

		memmove(pe->jobs, pe->jobs + 1, --pe->n_jobs * sizeof(pe->jobs[0]));
		ike_job_run(j);
		ike_engine_job_done(pe->e, j);
		n++;
	}
	return n;
}

static const struct ike_ops ops = {
	.send = fake_send, .child_up = fake_child_up, .child_down = fake_child_down,
	.child_expect = fake_child_expect,
	.now_ms = fake_now, .find_psk = fake_find_psk, .last_esp_in_ms = fake_last_esp_in,
	.peer_moved = fake_peer_moved, .esp_usage = fake_esp_usage, .offload = fake_offload,
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
	assert_int_equal(ike_engine_new(&pe->e, &ops, pe, s ? s : &def, NULL), 0);
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
		secret_free(net.peers[i].psk_override);
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
	/* the initiator's data plane was told of its inbound SPI before
	 * IKE_AUTH (its second message) went out; the responder needs not */
	assert_int_equal(p.a->expected, p.a->child.spi_in);
	assert_int_equal(p.a->sent_at_expect, 1);
	assert_int_equal(p.b->expected, 0);
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

/* conn_text() with one more connection-level line after local_addrs. */
static char *conn_text_with(char *text, const char *line)
{
	const char *at = strstr(text, "    remote_addrs");
	size_t head, n = strlen(text) + strlen(line) + 1;
	char *s = malloc(n);

	assert_non_null(at);
	assert_non_null(s);
	head = (size_t)(at - text);
	memcpy(s, text, head);
	snprintf(s + head, n - head, "%s%s", line, at);
	free(text);
	return s;
}

/*
 * §2.23: the peer's NAT mapping changes and only IKE comes from the new
 * port (a liveness check). The responder's IKE follows and, its SAs in
 * UDP, it tells the data plane (peer_moved) so that ESP goes there too;
 * once, and only for an authenticated message. Without UDP (raw ESP on
 * port 500) ESP has no port to follow and nothing is told.
 */
static void test_nat_mapping_moves_esp(void **state)
{
	char *ta = conn_text_with(conn_text("a", "192.0.2.1", "192.0.2.2", "a.example.org",
					    "%any", "default", "default", "start", "k", NULL),
				  "    encap = yes\n");
	char *tb = conn_text_with(conn_text("b", "192.0.2.2", "192.0.2.1", "b.example.org",
					    "%any", "default", "default", "none", "k", NULL),
				  "    encap = yes\n");
	struct ike_conn_status st;
	struct peer *a, *b;
	struct ike_sa *sa;

	a = add_peer("192.0.2.1", ta, NULL);
	b = add_peer("192.0.2.2", tb, NULL);
	free(ta);
	free(tb);
	initiate(a);
	assert_true(a->child.is_up && b->child.is_up && b->child.is_udp_encap);
	assert_int_equal(ike_engine_status(b->e, &b->conf->tunnels[0], &st), 0);
	assert_int_equal(st.path.local_port, 4500);
	assert_int_equal(st.path.remote_port, 4500);
	/* the move from 500 to 4500 came before the Child SA: nothing told */
	assert_int_equal(a->n_moved + b->n_moved, 0);

	/* a's NAT maps it to port 40000 now; a asks whether b is there */
	sa = a->e->conns->sa;
	ike_send_liveness(sa);
	assert_int_equal(net.n_queue, 1);
	net.queue[0]->path.remote_port = 40000;
	assert_int_equal(pump(), 2);
	assert_int_equal(sa->req.exchange, 0);        /* answered */
	assert_int_equal(b->n_moved, 1);
	assert_true(addr_eq(&b->moved.remote, &a->addr));
	assert_int_equal(b->moved.remote_port, 40000);
	assert_int_equal(b->moved.local_port, 4500);
	assert_int_equal(ike_engine_status(b->e, &b->conf->tunnels[0], &st), 0);
	assert_int_equal(st.path.remote_port, 40000);

	/* the same mapping again: nothing new to tell */
	ike_send_liveness(sa);
	net.queue[0]->path.remote_port = 40000;
	assert_int_equal(pump(), 2);
	assert_int_equal(b->n_moved, 1);

	/* a forged message from yet another port moves nothing */
	ike_send_liveness(sa);
	net.queue[0]->path.remote_port = 40001;
	net.queue[0]->data[net.queue[0]->len - 1] ^= 1;
	assert_int_equal(pump(), 1);
	assert_int_equal(b->n_moved, 1);
	assert_int_equal(ike_engine_status(b->e, &b->conf->tunnels[0], &st), 0);
	assert_int_equal(st.path.remote_port, 40000);
	assert_int_equal(b->e->stats.rx_integrity, 1);

	/* raw ESP, IKE on port 500: IKE follows, ESP has no port to follow */
	teardown(state);
	{
		struct pair p = make_pair("default", "default", "default", "default", "k",
					  "k", "%any", "%any");

		initiate(p.a);
		ike_send_liveness(p.a->e->conns->sa);
		net.queue[0]->path.remote_port = 40000;
		assert_int_equal(pump(), 2);
		assert_int_equal(ike_engine_status(p.b->e, &p.b->conf->tunnels[0], &st), 0);
		assert_int_equal(st.path.remote_port, 40000);
		assert_int_equal(p.b->n_moved, 0);
	}
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
	assert_int_equal(a->e->conns->sa->ts->n_remote, 1);
	assert_int_equal(a->e->conns->sa->ts->n_local, 1);
	assert_string_equal(ts_str(ts_set_remote(a->e->conns->sa->ts), buf, sizeof(buf)),
			    "203.0.113.96/27");
	assert_string_equal(ts_str(ts_set_local(a->e->conns->sa->ts), buf, sizeof(buf)),
			    "203.0.113.0/26");
	assert_int_equal(b->e->conns->sa->ts->n_local, 1);
	assert_string_equal(ts_str(ts_set_local(b->e->conns->sa->ts), buf, sizeof(buf)),
			    "203.0.113.96/27");
	/* A Child SA rekey offers the narrowed selectors and keeps them; an
	 * IKE SA rekey hands them to the new IKE SA. */
	for (int ike = 0; ike < 2; ike++) {
		uint32_t old = a->child.spi_in;
		struct ike_sa *old_sa = a->e->conns->sa;

		assert_int_equal(ike_engine_rekey(a->e, &a->conf->tunnels[0], ike), 0);
		pump();
		assert_true(ike ? a->e->conns->sa != old_sa : a->child.spi_in != old);
		assert_int_equal(a->e->conns->sa->ts->n_remote, 1);
		assert_int_equal(a->e->conns->sa->ts->n_local, 1);
		assert_string_equal(ts_str(ts_set_remote(a->e->conns->sa->ts), buf, sizeof(buf)),
				    "203.0.113.96/27");
		assert_string_equal(ts_str(ts_set_local(b->e->conns->sa->ts), buf, sizeof(buf)),
				    "203.0.113.96/27");
		assert_string_equal(ts_str(ts_set_remote(b->e->conns->sa->ts), buf, sizeof(buf)),
				    "203.0.113.0/26");
	}
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
	assert_int_equal(ike_engine_new(&p.a->e, &ops, p.a, &s, NULL), 0);
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

/* ---- pacing: many connections to one peer ---- */

/* n connections between the same two addresses, told apart by their
 * identities (a1 with b1, a2 with b2, ...), one PSK for all. */
static char *many_conns_text(size_t n, bool is_a)
{
	size_t cap = 640 * n + 128, used;
	char *s = malloc(cap);

	assert_non_null(s);
	used = (size_t)snprintf(s, cap, "connections {\n");
	for (size_t i = 1; i <= n; i++)
		used += (size_t)snprintf(s + used, cap - used,
			"  c%zu {\n    local_addrs = %s\n    remote_addrs = %s\n"
			"    proposals = aes128-sha256-x25519\n    interface = ifs%zu\n"
			"    local {\n      auth = psk\n      id = %c%zu.example.org\n    }\n"
			"    remote {\n      auth = psk\n      id = %c%zu.example.org\n    }\n"
			"    children {\n      net {\n        esp_proposals = aes128gcm16\n"
			"        start_action = %s\n      }\n    }\n  }\n",
			i, is_a ? "192.0.2.1" : "192.0.2.2", is_a ? "192.0.2.2" : "192.0.2.1",
			i, is_a ? 'a' : 'b', i, is_a ? 'b' : 'a', i, is_a ? "start" : "none");
	snprintf(s + used, cap - used, "}\nsecrets {\n  ike-1 {\n    secret = \"many\"\n  }\n}\n");
	return s;
}

static struct pair make_many(size_t n)
{
	char *ta = many_conns_text(n, true), *tb = many_conns_text(n, false);
	struct pair p = { add_peer("192.0.2.1", ta, NULL), add_peer("192.0.2.2", tb, NULL) };

	free(ta);
	free(tb);
	return p;
}

static enum ike_sa_state conn_state(struct peer *pe, size_t i)
{
	struct ike_conn_status st;

	assert_int_equal(ike_engine_status(pe->e, &pe->conf->tunnels[i], &st), 0);
	return st.state;
}

/* Eight connections to one peer started at once: IKE_INIT_PACE
 * IKE_SA_INITs go out, the others wait their turn (listed as CREATED); all come up
 * without a COOKIE round, a dropped request or a retransmission against
 * a responder with the default half-open limits (cookie_threshold_ip 3,
 * block_threshold 5), which all eight at once would trip. */
static void test_pace_many_to_one_peer(void **state)
{
	struct pair p = make_many(8);
	size_t queued = 0;

	(void)state;
	for (size_t i = 0; i < 8; i++)
		assert_int_equal(ike_engine_initiate(p.a->e, &p.a->conf->tunnels[i]), 0);
	assert_int_equal(net.n_queue, IKE_INIT_PACE);
	for (size_t i = 0; i < 8; i++)
		if (conn_state(p.a, i) == IKE_SA_INIT_QUEUED)
			queued++;
	assert_int_equal(queued, 8 - IKE_INIT_PACE);
	assert_string_equal(ike_sa_state_name(IKE_SA_INIT_QUEUED), "CREATED");
	pump();
	for (size_t i = 0; i < 8; i++) {
		assert_int_equal(conn_state(p.a, i), IKE_SA_ESTABLISHED);
		assert_int_equal(conn_state(p.b, i), IKE_SA_ESTABLISHED);
	}
	assert_int_equal(ike_engine_stats(p.b->e)->cookies_sent, 0);
	assert_int_equal(ike_engine_stats(p.b->e)->rx_blocked, 0);
	assert_int_equal(ike_engine_stats(p.a->e)->tx_retransmits, 0);
	assert_int_equal(net.delivered, 8 * 4);
}

/* A peer that never answers: the initiations that wait start when the
 * first ones give up (after their retransmissions), not never. */
static void test_pace_dead_peer_releases(void **state)
{
	struct pair p = make_many(2 * IKE_INIT_PACE);

	(void)state;
	p.a->is_mute = true;
	for (size_t i = 0; i < 2 * IKE_INIT_PACE; i++)
		assert_int_equal(ike_engine_initiate(p.a->e, &p.a->conf->tunnels[i]), 0);
	assert_int_equal(p.a->sent, IKE_INIT_PACE);
	for (size_t i = IKE_INIT_PACE; i < 2 * IKE_INIT_PACE; i++)
		assert_int_equal(conn_state(p.a, i), IKE_SA_INIT_QUEUED);
	run_for(100000);
	assert_int_equal(conn_state(p.a, IKE_INIT_PACE), IKE_SA_INIT_QUEUED);
	run_for(70000);                  /* the first ones gave up at 165 s */
	for (size_t i = IKE_INIT_PACE; i < 2 * IKE_INIT_PACE; i++)
		assert_int_equal(conn_state(p.a, i), IKE_SA_INIT_SENT);
}

/* ---- unloading connections, unique ids, keys replaced at run time ---- */

/* The queued message i, checked and decrypted as rx (the SA it is for)
 * would; inner borrows from a static copy until the next call. */
static void open_queued(size_t i, struct ike_sa *rx, struct ike_hdr *h,
			struct ike_chain *inner)
{
	static uint8_t copy[IKE_MAX_MSG];
	struct ike_chain outer;
	enum ike_chain_err ce;
	uint8_t bad = 0;

	assert_true(i < net.n_queue);
	assert_non_null(rx);
	assert_non_null(ike_sa_xform(rx, false));
	memcpy(copy, net.queue[i]->data, net.queue[i]->len);
	assert_int_equal(ike_hdr_parse(copy, net.queue[i]->len, h), 0);
	assert_int_equal(ike_msg_chain(h, copy, net.queue[i]->len, &outer, &bad), IKE_CHAIN_OK);
	assert_int_equal(ike_sk_unprotect(ike_sa_xform(rx, false), copy, net.queue[i]->len, &outer, inner,
					  &ce, &bad), 0);
}

static bool has_notify(const struct ike_chain *c, uint16_t type)
{
	for (size_t i = 0; i < c->n; i++) {
		struct ike_notify_pl n;

		if (c->v[i].type == IKE_PL_NOTIFY && ike_decode_notify(&c->v[i], &n) == 0 &&
		    n.type == type)
			return true;
	}
	return false;
}

static void *user_of(struct peer *pe)
{
	return &pe->conf->tunnels[0];
}

/* ---- key exchanges offloaded (ops.offload): the SA waits, others go on ---- */

/* Every key exchange of a handshake on the other thread:
 *   a: key pair (job)   IKE_SA_INIT  -->  b: key pair + shared (job) ... the
 *   retransmitted request is dropped meanwhile   <--  IKE_SA_INIT
 *   a: shared (job)     IKE_AUTH     -->  ...  established */
static void test_offload_handshake(void **state)
{
	struct pair p = make_pair("aes128-sha256-modp2048", "aes128-sha256-modp2048",
				  "aes128-sha256", "aes128-sha256", "k", "k", "%any", "%any");
	int b_sent;

	(void)state;
	p.a->defers_jobs = p.b->defers_jobs = true;
	assert_int_equal(ike_engine_initiate(p.a->e, user_of(p.a)), 0);
	assert_int_equal(net.n_queue, 0);            /* the key pair is being made */
	assert_int_equal(conn_state(p.a, 0), IKE_SA_INIT_QUEUED);
	assert_int_equal(run_jobs(p.a), 1);
	assert_int_equal(conn_state(p.a, 0), IKE_SA_INIT_SENT);
	pump_one();                                  /* IKE_SA_INIT to b */
	assert_int_equal(net.n_queue, 0);
	assert_int_equal(p.b->n_jobs, 1);
	assert_int_equal(p.b->e->n_half_open, 1);    /* counted by the DoS limits */
	b_sent = p.b->sent;
	run_for(5000);                               /* a retransmits: b drops it */
	assert_int_equal(p.a->e->stats.tx_retransmits, 1);
	assert_int_equal(p.b->sent, b_sent);
	assert_int_equal(run_jobs(p.b), 1);
	assert_int_equal(p.b->sent, b_sent + 1);     /* the answer */
	pump_one();
	assert_int_equal(net.n_queue, 0);            /* a computes its shared secret */
	assert_int_equal(run_jobs(p.a), 1);
	pump();
	assert_established(p.a, true);
	assert_established(p.b, false);
	assert_children_match(&p, CRYPTO_AES128_CBC_SHA256_128);
	assert_int_equal(p.a->e->stats.ke_offloaded, 2);
	assert_int_equal(p.b->e->stats.ke_offloaded, 1);
}

/* While b computes c's key exchange, it answers a's liveness check on
 * an established SA; then c's handshake completes. */
static void test_offload_keeps_answering(void **state)
{
	char *tb = conn_text("b", "192.0.2.2", "%any", "b.example.org", "%any",
			     "aes128-sha256-modp3072", "default", "none", "k", NULL);
	char *ta = conn_text("a", "192.0.2.1", "192.0.2.2", "a.example.org", "%any",
			     "aes128-sha256-modp3072", "default", "start", "k", NULL);
	char *tc = conn_text("c", "192.0.2.3", "192.0.2.2", "c.example.org", "%any",
			     "aes128-sha256-modp3072", "default", "start", "k", NULL);
	struct peer *b = add_peer("192.0.2.2", tb, NULL);
	struct peer *a = add_peer("192.0.2.1", ta, NULL);
	struct peer *c = add_peer("192.0.2.3", tc, NULL);
	struct ike_sa *sa;

	(void)state;
	initiate(a);
	assert_true(a->child.is_up);
	b->defers_jobs = true;
	assert_int_equal(ike_engine_initiate(c->e, user_of(c)), 0);
	pump();
	assert_int_equal(b->n_jobs, 1);
	sa = a->e->conns->sa;
	ike_send_liveness(sa);
	assert_int_equal(pump(), 2);
	assert_int_equal(sa->req.exchange, 0);       /* answered */
	assert_false(c->child.is_up);
	assert_int_equal(run_jobs(b), 1);
	pump();
	assert_true(c->child.is_up);
	assert_int_equal(b->e->stats.ke_offloaded, 1);
	free(ta);
	free(tb);
	free(tc);
}

/* The SA goes while its job runs (the connection unloaded, the
 * half-open timeout): the result is dropped; nothing is sent, nothing
 * leaks (ASan). A job never handed back is freed with the engine. */
static void test_offload_sa_gone(void **state)
{
	struct pair p = make_pair("aes128gcm16-prfsha256-modp2048", "aes128gcm16-prfsha256-modp2048",
				  "default", "default", "k", "k", "%any", "%any");
	int b_sent;

	(void)state;
	p.b->defers_jobs = true;
	assert_int_equal(ike_engine_initiate(p.a->e, user_of(p.a)), 0);
	pump();
	assert_int_equal(p.b->n_jobs, 1);
	assert_int_equal(ike_engine_del_conn(p.b->e, user_of(p.b)), 0);
	ike_engine_reap(p.b->e);
	assert_int_equal(p.b->e->n_half_open, 0);
	b_sent = p.b->sent;
	assert_int_equal(run_jobs(p.b), 1);
	assert_int_equal(p.b->sent, b_sent);
	assert_int_equal(net.n_queue, 0);

	/* An SA's timers wait for its job: b's half-open timeout passes
	 * meanwhile; b answers when the job is back and drops the SA at its
	 * next timer. Then a job kept to the end. */
	teardown(state);
	p = make_pair("aes128gcm16-prfsha256-modp2048", "aes128gcm16-prfsha256-modp2048",
		      "default", "default", "k", "k", "%any", "%any");
	p.a->is_mute = true;
	p.b->defers_jobs = true;
	assert_int_equal(ike_engine_initiate(p.a->e, user_of(p.a)), 0);
	p.a->is_mute = false;
	ike_engine_run_timers(p.a->e);
	net.now += 4000;
	ike_engine_run_timers(p.a->e);               /* the retransmission reaches b */
	pump();
	assert_int_equal(p.b->n_jobs, 1);
	net.now += 31000;
	assert_true(ike_engine_next_timer(p.b->e) == UINT64_MAX);
	ike_engine_run_timers(p.b->e);
	assert_int_equal(p.b->e->n_half_open, 1);
	b_sent = p.b->sent;
	p.a->is_mute = true;
	assert_int_equal(run_jobs(p.b), 1);
	assert_int_equal(p.b->sent, b_sent + 1);
	assert_true(ike_engine_next_timer(p.b->e) <= net.now);
	ike_engine_run_timers(p.b->e);
	assert_int_equal(p.b->e->n_half_open, 0);
	p.a->is_mute = false;
	p.a->defers_jobs = true;
	assert_int_equal(ike_engine_terminate(p.a->e, user_of(p.a)), 0);
	assert_int_equal(ike_engine_initiate(p.a->e, user_of(p.a)), 0);
	assert_int_equal(p.a->n_jobs, 1);            /* freed by teardown */
}

/* INVALID_KE_PAYLOAD: the new key pair is made off the thread too, and
 * the old request is not retransmitted meanwhile. */
static void test_offload_invalid_ke(void **state)
{
	struct pair p = make_pair("aes128gcm16-prfsha256-ecp384-modp2048",
				  "aes128gcm16-prfsha256-modp2048", "default", "default",
				  "k", "k", "%any", "%any");
	int a_sent;

	(void)state;
	p.a->defers_jobs = true;
	assert_int_equal(ike_engine_initiate(p.a->e, user_of(p.a)), 0);
	assert_int_equal(run_jobs(p.a), 1);
	pump();                                      /* IKE_SA_INIT, INVALID_KE_PAYLOAD */
	assert_int_equal(p.a->n_jobs, 1);
	a_sent = p.a->sent;
	run_for(20000);
	assert_int_equal(p.a->sent, a_sent);
	assert_int_equal(run_jobs(p.a), 1);
	pump();
	assert_int_equal(run_jobs(p.a), 1);
	pump();
	assert_children_match(&p, CRYPTO_AES128_GCM16);
}

/* An invalid public value is found by the job: the responder answers
 * INVALID_SYNTAX and keeps nothing. */
static void test_offload_invalid_ke_value(void **state)
{
	struct pair p = make_pair("aes128gcm16-prfsha256-modp2048", "aes128gcm16-prfsha256-modp2048",
				  "default", "default", "k", "k", "%any", "%any");
	struct ike_hdr h;
	struct ike_chain c;
	struct ike_ke_pl ke;
	uint8_t bad;
	struct wire_msg *m;

	(void)state;
	p.b->defers_jobs = true;
	assert_int_equal(ike_engine_initiate(p.a->e, user_of(p.a)), 0);
	m = net.queue[0];
	assert_int_equal(ike_hdr_parse(m->data, m->len, &h), 0);
	assert_int_equal(ike_msg_chain(&h, m->data, m->len, &c, &bad), IKE_CHAIN_OK);
	assert_int_equal(ike_decode_ke(ike_chain_find(&c, IKE_PL_KE), &ke), 0);
	memset((uint8_t *)ke.data, 0, ke.len);       /* y = 0: not 1 < y < p-1 */
	pump_one();
	assert_int_equal(p.b->n_jobs, 1);
	assert_int_equal(net.n_queue, 0);
	assert_int_equal(run_jobs(p.b), 1);
	assert_int_equal(net.n_queue, 1);
	assert_int_equal(ike_hdr_parse(net.queue[0]->data, net.queue[0]->len, &h), 0);
	assert_int_equal(ike_msg_chain(&h, net.queue[0]->data, net.queue[0]->len, &c, &bad),
			 IKE_CHAIN_OK);
	assert_true(has_notify(&c, IKE_N_INVALID_SYNTAX));
	ike_engine_reap(p.b->e);
	assert_int_equal(p.b->e->n_half_open, 0);
}

/* X25519 and P-256 cost less than the trip to a thread and back: the
 * engine computes them at once even with offload there. */
static void test_offload_fast_groups_inline(void **state)
{
	static const char *const ike[] = { "aes128gcm16-prfsha256-x25519",
					   "aes128gcm16-prfsha256-ecp256" };

	(void)state;
	for (size_t i = 0; i < 2; i++) {
		struct pair p = make_pair(ike[i], ike[i], "default", "default", "k", "k",
					  "%any", "%any");

		p.a->defers_jobs = p.b->defers_jobs = true;
		initiate(p.a);
		assert_established(p.a, true);
		assert_int_equal(p.a->e->stats.ke_offloaded, 0);
		assert_int_equal(p.b->e->stats.ke_offloaded, 0);
		teardown(state);
	}
}

/* An established connection unloaded on a:
 *   a                                  b
 *   del_conn: child_down
 *   INFORMATIONAL { D(IKE) }   -->     IKE SA and Child SA gone
 *                              <--     INFORMATIONAL { } (a no longer knows it)
 * and afterwards the connection is unknown to a's engine. */
static void test_del_conn_established(void **state)
{
	struct pair p = make_pair("default", "default", "default", "default", "k", "k",
				  "%any", "%any");
	struct ike_conn_status st;
	const struct ike_delete_pl *dp = NULL;
	struct ike_delete_pl d;
	struct ike_chain inner;
	struct ike_hdr h;
	int a_sent;

	(void)state;
	initiate(p.a);
	assert_children_match(&p, CRYPTO_AES128_GCM16);
	a_sent = p.a->sent;
	assert_int_equal(ike_engine_del_conn(p.a->e, user_of(p.a)), 0);
	/* our side: the Child SA removed at once, no SA left */
	assert_int_equal(p.a->child.n_down, 1);
	assert_false(p.a->child.is_up);
	assert_null(p.a->e->all);
	assert_int_equal(p.a->e->stats.established, 0);
	/* one Delete for the IKE SA went out */
	assert_int_equal(p.a->sent, a_sent + 1);
	assert_int_equal(net.n_queue, 1);
	open_queued(0, p.b->e->conns->sa, &h, &inner);
	assert_int_equal(h.exchange, IKE_INFORMATIONAL);
	assert_int_equal(h.flags & IKE_FLAG_RESPONSE, 0);
	for (size_t i = 0; i < inner.n; i++)
		if (inner.v[i].type == IKE_PL_DELETE) {
			assert_int_equal(ike_decode_delete(&inner.v[i], &d), 0);
			dp = &d;
		}
	assert_non_null(dp);
	assert_int_equal(dp->protocol, IKE_PROTO_IKE);
	/* the peer: its IKE SA and Child SA go away */
	pump();
	assert_false(p.b->child.is_up);
	assert_int_equal(p.b->child.n_down, 1);
	assert_int_equal(p.b->e->stats.established, 0);
	assert_int_equal(ike_engine_status(p.b->e, user_of(p.b), &st), 0);
	assert_int_equal(st.state, IKE_SA_NONE);
	/* a has forgotten the connection */
	assert_int_equal(ike_engine_status(p.a->e, user_of(p.a), &st), IFS_ERR_NOT_FOUND);
	assert_int_equal(ike_engine_initiate(p.a->e, user_of(p.a)), IFS_ERR_NOT_FOUND);
	assert_int_equal(ike_engine_terminate(p.a->e, user_of(p.a)), IFS_ERR_NOT_FOUND);
	assert_int_equal(ike_engine_del_conn(p.a->e, user_of(p.a)), IFS_ERR_NOT_FOUND);
	assert_null(p.a->e->conns);
	/* nothing more: no retransmitted Delete, no retry of start_action */
	a_sent = p.a->sent;
	run_for(300000);
	assert_int_equal(p.a->sent, a_sent);
	assert_int_equal(ike_engine_next_timer(p.a->e), UINT64_MAX);
	assert_int_equal(p.a->child.n_up, 1);
	assert_int_equal(p.a->child.n_down, 1);
}

/* Unloaded while the IKE_SA_INIT request is on its way:
 *   a                                  b
 *   IKE_SA_INIT request        -->
 *   del_conn (nothing sent)
 *                              <--     IKE_SA_INIT response: dropped
 * No crash, and neither side sends anything afterwards; b's half-open
 * SA times out. */
static void test_del_conn_half_open(void **state)
{
	struct pair p = make_pair("default", "default", "default", "default", "k", "k",
				  "%any", "%any");
	struct ike_conn_status st;
	int a_sent, b_sent;

	(void)state;
	assert_int_equal(ike_engine_initiate(p.a->e, user_of(p.a)), 0);
	assert_int_equal(net.n_queue, 1);
	assert_int_equal(p.a->sent, 1);
	assert_int_equal(ike_engine_del_conn(p.a->e, user_of(p.a)), 0);
	assert_int_equal(p.a->sent, 1);            /* no Delete without keys */
	assert_null(p.a->e->all);
	assert_int_equal(p.a->child.n_down, 0);
	assert_int_equal(ike_engine_next_timer(p.a->e), UINT64_MAX);
	pump();                                    /* the request, then the answer */
	assert_int_equal(p.b->e->n_half_open, 1);
	assert_int_equal(p.a->sent, 1);
	a_sent = p.a->sent;
	b_sent = p.b->sent;
	run_for(300000);
	assert_int_equal(p.a->sent, a_sent);
	assert_int_equal(p.b->sent, b_sent);
	assert_int_equal(p.b->e->n_half_open, 0);
	assert_int_equal(p.a->e->stats.tx_retransmits, 0);
	assert_int_equal(ike_engine_status(p.a->e, user_of(p.a), &st), IFS_ERR_NOT_FOUND);
	assert_false(p.a->child.is_up);
	assert_false(p.b->child.is_up);
}

/* Unloaded while IKE_AUTH is on its way: a sends nothing more, even
 * when b's answer arrives. */
static void test_del_conn_auth_sent(void **state)
{
	struct pair p = make_pair("default", "default", "default", "default", "k", "k",
				  "%any", "%any");
	int a_sent;

	(void)state;
	assert_int_equal(ike_engine_initiate(p.a->e, user_of(p.a)), 0);
	pump_one();                                /* IKE_SA_INIT request to b */
	pump_one();                                /* response to a, which sends IKE_AUTH */
	assert_int_equal(p.a->sent, 2);
	assert_int_equal(p.a->e->conns->sa->state, IKE_SA_AUTH_SENT);
	assert_int_equal(ike_engine_del_conn(p.a->e, user_of(p.a)), 0);
	assert_null(p.a->e->all);
	assert_int_equal(p.a->child.n_up, 0);
	pump();                                    /* b answers; a drops it */
	a_sent = p.a->sent;
	run_for(300000);
	assert_int_equal(p.a->sent, a_sent);
	assert_int_equal(p.a->e->stats.tx_retransmits, 0);
	assert_int_equal(ike_engine_next_timer(p.a->e), UINT64_MAX);
	assert_false(p.a->child.is_up);
}

/* Unloaded on the responder's side: the same Delete, the other way; the
 * initiator's SA goes, and a new attempt finds no connection at b. */
static void test_del_conn_responder(void **state)
{
	struct pair p = make_pair("default", "default", "default", "default", "k", "k",
				  "%any", "%any");
	struct ike_conn_status st;

	(void)state;
	initiate(p.a);
	assert_children_match(&p, CRYPTO_AES128_GCM16);
	assert_int_equal(ike_engine_del_conn(p.b->e, user_of(p.b)), 0);
	assert_int_equal(p.b->child.n_down, 1);
	assert_null(p.b->e->all);
	assert_int_equal(net.n_queue, 1);
	pump();
	assert_false(p.a->child.is_up);
	assert_int_equal(p.a->child.n_down, 1);
	assert_int_equal(p.a->e->stats.established, 0);
	assert_int_equal(ike_engine_status(p.b->e, user_of(p.b), &st), IFS_ERR_NOT_FOUND);
	/* a tries again: nothing comes up, b keeps nothing */
	assert_int_equal(ike_engine_initiate(p.a->e, user_of(p.a)), 0);
	pump();
	run_for(300000);
	assert_false(p.a->child.is_up);
	assert_false(p.b->child.is_up);
	assert_int_equal(p.b->child.n_up, 1);
	assert_int_equal(p.b->e->stats.established, 0);
	assert_int_equal(p.b->e->n_half_open, 0);
	assert_null(p.b->e->all);
}

/* Unloaded with two IKE SAs for it (both sides initiated at once): both
 * are deleted, and neither side keeps a Child SA. */
static void test_del_conn_crossed(void **state)
{
	struct pair p = make_pair("default", "default", "default", "default", "k", "k",
				  "%any", "%any");

	(void)state;
	assert_int_equal(ike_engine_initiate(p.a->e, user_of(p.a)), 0);
	assert_int_equal(ike_engine_initiate(p.b->e, user_of(p.b)), 0);
	pump();
	assert_int_equal(p.a->e->stats.established, 2);
	assert_int_equal(ike_engine_del_conn(p.a->e, user_of(p.a)), 0);
	assert_null(p.a->e->all);
	assert_int_equal(p.a->child.n_inbound, 0);
	assert_int_equal(p.a->child.outbound, 0);
	assert_int_equal(net.n_queue, 2);          /* a Delete for each */
	pump();
	assert_int_equal(p.b->e->stats.established, 0);
	assert_int_equal(p.b->child.n_inbound, 0);
	assert_int_equal(p.b->child.outbound, 0);
}

/* New settings (reload-settings): the wait already scheduled stays; a
 * request sent afterwards follows the new timeout, base and tries. */
static void test_set_settings(void **state)
{
	struct pair p = make_pair("default", "default", "default", "default", "k", "k",
				  "%any", "%any");
	struct ike_settings s;
	uint64_t t0;

	(void)state;
	p.a->drop_next = 1000;                     /* b never hears a */
	t0 = net.now;
	assert_int_equal(ike_engine_initiate(p.a->e, user_of(p.a)), 0);
	assert_int_equal(ike_engine_next_timer(p.a->e), t0 + 4000);
	ike_settings_default(&s);
	s.retransmit_timeout_ms = 1000;
	s.retransmit_base = 2.0;
	s.retransmit_tries = 2;
	ike_engine_set_settings(p.a->e, &s);
	assert_int_equal(ike_engine_next_timer(p.a->e), t0 + 4000);
	/* start over under the new settings */
	assert_int_equal(ike_engine_terminate(p.a->e, user_of(p.a)), 0);
	assert_int_equal(ike_engine_next_timer(p.a->e), UINT64_MAX);
	p.a->sent = 0;
	t0 = net.now;
	assert_int_equal(ike_engine_initiate(p.a->e, user_of(p.a)), 0);
	assert_int_equal(p.a->sent, 1);
	/* 1 s, then 2 s, then 4 s more and it gives up: 2 retransmissions */
	assert_int_equal(ike_engine_next_timer(p.a->e), t0 + 1000);
	run_for(1000);
	assert_int_equal(p.a->sent, 2);
	assert_int_equal(ike_engine_next_timer(p.a->e), t0 + 3000);
	run_for(2000);
	assert_int_equal(p.a->sent, 3);
	assert_non_null(p.a->e->conns->sa);
	run_for(4000);
	assert_int_equal(p.a->sent, 3);
	assert_true(p.a->e->conns->sa == NULL);
	assert_int_equal(p.a->e->stats.tx_retransmits, 2);
}

/* Unique ids come from one counter per engine: the IKE SA takes one
 * when it is made (ike_sa_new), the Child SA when it is installed. */
static void test_unique_ids(void **state)
{
	struct pair p = make_pair("default", "default", "default", "default", "k", "k",
				  "%any", "%any");
	struct ike_conn_status st, st2;

	(void)state;
	assert_int_equal(ike_engine_status(p.a->e, user_of(p.a), &st), 0);
	assert_int_equal(st.state, IKE_SA_NONE);
	assert_int_equal(st.unique_id, 0);
	initiate(p.a);
	assert_int_equal(ike_engine_status(p.a->e, user_of(p.a), &st), 0);
	assert_int_equal(st.state, IKE_SA_ESTABLISHED);
	assert_int_equal(st.unique_id, 1);
	assert_int_equal(st.child_unique_id, 2);
	/* the responder counts on its own */
	assert_int_equal(ike_engine_status(p.b->e, user_of(p.b), &st), 0);
	assert_int_equal(st.unique_id, 1);
	assert_int_equal(st.child_unique_id, 2);
	/* terminate, and initiate again: a new SA, larger ids */
	assert_int_equal(ike_engine_terminate(p.a->e, user_of(p.a)), 0);
	pump();
	assert_int_equal(ike_engine_status(p.a->e, user_of(p.a), &st), 0);
	assert_int_equal(st.state, IKE_SA_NONE);
	initiate(p.a);
	assert_children_match(&p, CRYPTO_AES128_GCM16);
	assert_int_equal(ike_engine_status(p.a->e, user_of(p.a), &st2), 0);
	assert_int_equal(st2.state, IKE_SA_ESTABLISHED);
	assert_true(st2.unique_id > 2);
	assert_true(st2.child_unique_id > st2.unique_id);
	assert_int_equal(st2.unique_id, 3);
	assert_int_equal(st2.child_unique_id, 4);
	assert_int_equal(ike_engine_status(p.b->e, user_of(p.b), &st2), 0);
	assert_int_equal(st2.unique_id, 3);
	assert_int_equal(st2.child_unique_id, 4);
}

static struct secret *psk(const char *s)
{
	struct secret *k = NULL;

	assert_int_equal(secret_new(&k, s, strlen(s)), 0);
	return k;
}

/* One side's find_psk answers another key than the file has:
 *   a                                  b
 *   IKE_SA_INIT                <-->
 *   IKE_AUTH { AUTH }          -->
 *                              <--     IKE_AUTH { N(AUTHENTICATION_FAILED) }
 * The key is asked for at each IKE_AUTH, so that once the lookup gives
 * the right key again the next initiation succeeds: what replacing a key
 * while the daemon runs relies on. */
static void key_switch(bool is_initiator_wrong)
{
	struct pair p = make_pair("default", "default", "default", "default", "k", "k",
				  "%any", "%any");
	struct peer *wrong = is_initiator_wrong ? p.a : p.b;
	struct ike_conn_status st;
	struct ike_chain inner;
	struct ike_hdr h;
	int a_sent;

	wrong->psk_override = psk("not k");
	assert_int_equal(ike_engine_initiate(p.a->e, user_of(p.a)), 0);
	pump_one();                                /* IKE_SA_INIT request */
	pump_one();                                /* its response; a sends IKE_AUTH */
	pump_one();                                /* b checks AUTH and answers */
	assert_int_equal(net.n_queue, 1);
	open_queued(0, p.a->e->conns->sa, &h, &inner);
	assert_int_equal(h.exchange, IKE_AUTH);
	assert_true(h.flags & IKE_FLAG_RESPONSE);
	assert_true(has_notify(&inner, IKE_N_AUTHENTICATION_FAILED));
	assert_null(ike_chain_find(&inner, IKE_PL_AUTH));
	pump();
	assert_false(p.a->child.is_up);
	assert_false(p.b->child.is_up);
	assert_int_equal(p.a->e->stats.established, 0);
	assert_int_equal(p.b->e->stats.established, 0);
	assert_int_equal(ike_engine_status(p.a->e, user_of(p.a), &st), 0);
	assert_int_equal(st.state, IKE_SA_NONE);
	/* refused by the peer: a does not retry on its own */
	a_sent = p.a->sent;
	run_for(60000);
	assert_int_equal(p.a->sent, a_sent);
	/* the key is right again: the next initiation succeeds */
	secret_free(wrong->psk_override);
	wrong->psk_override = NULL;
	initiate(p.a);
	assert_children_match(&p, CRYPTO_AES128_GCM16);
	assert_established(p.a, true);
	assert_established(p.b, false);
	/* and replaced on both sides at once (the same new key): still fine */
	assert_int_equal(ike_engine_terminate(p.a->e, user_of(p.a)), 0);
	pump();
	p.a->psk_override = psk("new key");
	p.b->psk_override = psk("new key");
	initiate(p.a);
	assert_established(p.a, true);
	assert_established(p.b, false);
}

static void test_psk_replaced_responder(void **state)
{
	(void)state;
	key_switch(false);
}

static void test_psk_replaced_initiator(void **state)
{
	(void)state;
	key_switch(true);
}

/* ---- rekeying the Child SA ---- */

static uint32_t status_spi_in(struct peer *pe)
{
	struct ike_conn_status st;

	assert_int_equal(ike_engine_status(pe->e, &pe->conf->tunnels[0], &st), 0);
	assert_true(st.has_child);
	return st.child_spi_in;
}

/* Both ends on new SPIs with matching keys; the old SAs gone from the
 * data plane, one inbound and the new outbound left on each. */
static void assert_rekeyed(const struct pair *p, uint32_t old_a, uint32_t old_b,
			   enum crypto_alg alg)
{
	assert_children_match(p, alg);
	assert_int_not_equal(p->a->child.spi_in, old_a);
	assert_int_not_equal(p->b->child.spi_in, old_b);
	assert_int_equal(p->a->child.n_inbound, 1);
	assert_int_equal(p->b->child.n_inbound, 1);
	assert_int_equal(p->a->child.inbound[0], p->a->child.spi_in);
	assert_int_equal(p->b->child.inbound[0], p->b->child.spi_in);
	assert_int_equal(p->a->child.outbound, p->a->child.spi_out);
	assert_int_equal(p->b->child.outbound, p->b->child.spi_out);
	assert_int_equal(status_spi_in(p->a), p->a->child.spi_in);
	assert_int_equal(status_spi_in(p->b), p->b->child.spi_in);
}

/* Make before break, step by step: each end's new inbound SA is in
 * before the peer sends on it, each old inbound SA stays until the
 * delete is done. */
static void rekey_steps(struct peer *init, struct peer *resp)
{
	uint32_t init_old_out = init->child.outbound, resp_old_out = resp->child.outbound;

	int sent = init->sent;

	assert_int_equal(ike_engine_rekey(init->e, &init->conf->tunnels[0], false), 0);
	assert_int_equal(net.n_queue, 1);            /* CREATE_CHILD_SA request */
	assert_int_equal(init->sent_at_expect, sent);  /* told before it went out */
	pump_one();
	assert_int_equal(resp->child.n_inbound, 2);  /* new inbound in, old kept */
	assert_int_equal(resp->child.outbound, resp_old_out);
	pump_one();                                  /* the response */
	assert_int_equal(init->child.n_inbound, 2);
	assert_int_equal(init->expected, init->child.inbound[1]);
	assert_int_not_equal(init->child.outbound, init_old_out);
	assert_int_equal(init->child.outbound, resp->child.inbound[1]);
	pump_one();                                  /* Delete of the old SA */
	assert_int_equal(resp->child.n_inbound, 1);
	assert_int_not_equal(resp->child.outbound, resp_old_out);
	pump_one();                                  /* its answer */
	assert_int_equal(init->child.n_inbound, 1);
	assert_int_equal(net.n_queue, 0);
}

static void rekey_case(const char *esp, enum crypto_alg alg, bool by_responder)
{
	struct pair p = make_pair("default", "default", esp, esp, "k", "k", "%any", "%any");
	uint32_t old_a, old_b;
	int n_up;

	initiate(p.a);
	old_a = p.a->child.spi_in;
	old_b = p.b->child.spi_in;
	n_up = p.a->child.n_up;
	rekey_steps(by_responder ? p.b : p.a, by_responder ? p.a : p.b);
	assert_rekeyed(&p, old_a, old_b, alg);
	assert_int_equal(p.a->child.n_up, n_up + 1);
	/* And once more: the new SA can be rekeyed in turn. */
	old_a = p.a->child.spi_in;
	old_b = p.b->child.spi_in;
	rekey_steps(p.a, p.b);
	assert_rekeyed(&p, old_a, old_b, alg);
}

static void test_rekey_child(void **state)
{
	(void)state;
	rekey_case("aes128gcm16", CRYPTO_AES128_GCM16, false);
}

static void test_rekey_child_pfs(void **state)
{
	(void)state;
	rekey_case("aes256gcm16-x25519", CRYPTO_AES256_GCM16, false);
}

static void test_rekey_child_by_responder(void **state)
{
	(void)state;
	rekey_case("aes128-sha256-ecp256", CRYPTO_AES128_CBC_SHA256_128, true);
}

/* The initiator's first KE group is not the responder's: one
 * INVALID_KE_PAYLOAD round, then the group asked for. */
static void test_rekey_child_invalid_ke(void **state)
{
	struct pair p = make_pair("default", "default", "aes128gcm16-ecp256-x25519",
				  "aes128gcm16-x25519", "k", "k", "%any", "%any");
	uint32_t old_a, old_b;

	(void)state;
	initiate(p.a);
	old_a = p.a->child.spi_in;
	old_b = p.b->child.spi_in;
	net.delivered = 0;
	assert_int_equal(ike_engine_rekey(p.a->e, &p.a->conf->tunnels[0], false), 0);
	pump();
	assert_rekeyed(&p, old_a, old_b, CRYPTO_AES128_GCM16);
	assert_int_equal(net.delivered, 6);   /* refused round, then request, delete */
}

/* rekey_time schedules it (rand_time 0: exactly then). */
static void test_rekey_child_timer(void **state)
{
	char *ta = conn_text("a", "192.0.2.1", "192.0.2.2", "a.example.org", "%any", "default",
			     "aes128gcm16", "start", "k",
			     "        rekey_time = 100s\n        rand_time = 0s\n");
	char *tb = conn_text("b", "192.0.2.2", "192.0.2.1", "b.example.org", "%any", "default",
			     "aes128gcm16", "none", "k", NULL);
	struct pair p = { add_peer("192.0.2.1", ta, NULL), add_peer("192.0.2.2", tb, NULL) };
	uint32_t old_a, old_b;

	(void)state;
	free(ta);
	free(tb);
	initiate(p.a);
	old_a = p.a->child.spi_in;
	old_b = p.b->child.spi_in;
	run_for(99000);
	assert_int_equal(p.a->child.spi_in, old_a);
	run_for(2000);
	assert_rekeyed(&p, old_a, old_b, CRYPTO_AES128_GCM16);
}

/* The peer refuses the rekey (no proposal with our KE group): the old
 * SA keeps running on both ends and the rekey is tried again later. */
static void test_rekey_child_refused(void **state)
{
	struct pair p = make_pair("default", "default", "aes128gcm16-ecp384, aes128gcm16",
				  "aes128gcm16-x25519", "k", "k", "%any", "%any");
	uint32_t old_a, old_b;

	(void)state;
	initiate(p.a);
	old_a = p.a->child.spi_in;
	old_b = p.b->child.spi_in;
	assert_int_equal(ike_engine_rekey(p.a->e, &p.a->conf->tunnels[0], false), 0);
	pump();
	assert_int_equal(p.a->child.spi_in, old_a);
	assert_int_equal(p.b->child.spi_in, old_b);
	assert_int_equal(p.a->child.n_inbound, 1);
	assert_int_equal(p.b->child.n_inbound, 1);
	assert_int_equal(status_spi_in(p.a), old_a);
	/* again in 10 s, up to 5 s more at random */
	assert_true(ike_engine_next_timer(p.a->e) >= net.now + 10000);
	assert_true(ike_engine_next_timer(p.a->e) <= net.now + 15000);
	net.delivered = 0;
	run_for(15000);
	assert_int_equal(net.delivered, 2);   /* tried again, refused again */
	assert_int_equal(status_spi_in(p.a), old_a);
}

/* One Child SA pair left after a collision: each end one inbound SA,
 * sending on the peer's, keys that match, and the listing agrees. */
static void assert_one_pair(const struct pair *p, uint32_t old_a, uint32_t old_b)
{
	assert_int_equal(p->a->child.n_inbound, 1);
	assert_int_equal(p->b->child.n_inbound, 1);
	assert_int_equal(p->a->child.outbound, p->b->child.inbound[0]);
	assert_int_equal(p->b->child.outbound, p->a->child.inbound[0]);
	assert_int_not_equal(p->a->child.inbound[0], old_a);
	assert_int_not_equal(p->b->child.inbound[0], old_b);
	assert_int_equal(status_spi_in(p->a), p->a->child.inbound[0]);
	assert_int_equal(status_spi_in(p->b), p->b->child.inbound[0]);
	assert_int_equal(net.n_queue, 0);
}

/* Swap the first two messages in flight. */
static void reorder(void)
{
	struct wire_msg *m = net.queue[0];

	assert_true(net.n_queue >= 2);
	net.queue[0] = net.queue[1];
	net.queue[1] = m;
}

/* Both ends rekey at the same moment (§2.8.1): both exchanges complete,
 * the lowest nonce decides which new SA stays, the other is deleted by
 * the end that made it, and the old one by the other end; nothing is
 * left over, also after the grace periods. With reorder, the first
 * answer's consequence (a Delete of the old SA, or of the redundant one)
 * overtakes the other answer. Repeated, since the nonces (random) decide
 * which end wins. */
static void child_collision(bool is_reordered)
{
	struct pair p = make_pair("default", "default", "aes128gcm16-x25519",
				  "aes128gcm16-x25519", "k", "k", "%any", "%any");

	initiate(p.a);
	for (int i = 0; i < 12; i++) {
		uint32_t old_a = p.a->child.inbound[0], old_b = p.b->child.inbound[0];

		assert_int_equal(ike_engine_rekey(p.a->e, &p.a->conf->tunnels[0], false), 0);
		assert_int_equal(ike_engine_rekey(p.b->e, &p.b->conf->tunnels[0], false), 0);
		pump_one();                       /* a's request, answered */
		pump_one();                       /* b's request, answered */
		assert_int_equal(p.a->child.n_inbound, 2);
		assert_int_equal(p.b->child.n_inbound, 2);
		pump_one();                       /* a's answer: a decides */
		if (is_reordered)
			reorder();
		pump();
		assert_one_pair(&p, old_a, old_b);
		run_for(31000);                   /* no grace period removes anything */
		assert_one_pair(&p, old_a, old_b);
	}
	assert_int_equal(p.a->e->stats.rx_integrity, 0);
	assert_int_equal(p.b->e->stats.rx_integrity, 0);
}

static void test_rekey_child_collision(void **state)
{
	(void)state;
	child_collision(false);
}

static void test_rekey_child_collision_reordered(void **state)
{
	(void)state;
	child_collision(true);
}

/* The peer's colliding rekey is refused (its KE group is not ours,
 * INVALID_KE_PAYLOAD): no record of a collision is left behind, so the
 * peer's next try is answered, and the two rekeys end in one pair. */
static void test_rekey_child_collision_refused(void **state)
{
	struct pair p = make_pair("default", "default", "aes128gcm16-ecp256-x25519",
				  "aes128gcm16-x25519", "k", "k", "%any", "%any");
	uint32_t old_a, old_b;

	(void)state;
	initiate(p.a);
	old_a = p.a->child.inbound[0];
	old_b = p.b->child.inbound[0];
	assert_int_equal(ike_engine_rekey(p.a->e, &p.a->conf->tunnels[0], false), 0);
	assert_int_equal(ike_engine_rekey(p.b->e, &p.b->conf->tunnels[0], false), 0);
	pump_one();                           /* a's request (ecp256): refused */
	assert_null(p.b->e->conns->sa->coll);
	pump();
	run_for(31000);
	assert_one_pair(&p, old_a, old_b);
}

/* The peer deletes the Child SA while our rekey of it is out (the
 * delete crosses the request): the SA the answer makes is deleted at
 * once, nothing is left. */
static void test_rekey_child_delete_crossing(void **state)
{
	struct pair p = make_pair("default", "default", "aes128gcm16", "aes128gcm16", "k", "k",
				  "%any", "%any");
	struct ike_conn_status st;

	(void)state;
	initiate(p.a);
	assert_int_equal(ike_engine_rekey(p.a->e, &p.a->conf->tunnels[0], false), 0);
	pump_one();                               /* b answers with a new SA */
	assert_int_equal(p.b->child.n_inbound, 2);
	/* b deletes the old SA as a peer that closes it would */
	ike_delete_child(p.b->e->all, p.b->e->all->old_child->spi_in, IKE_REQ_DELETE_CHILD);
	reorder();                                /* the delete first */
	pump();
	assert_int_equal(p.a->child.n_inbound, 0);
	assert_int_equal(p.b->child.n_inbound, 0);
	assert_int_equal(ike_engine_status(p.a->e, &p.a->conf->tunnels[0], &st), 0);
	assert_false(st.has_child);
	assert_int_equal(net.n_queue, 0);
}

/* ---- dead peer detection ---- */

static struct pair dpd_pair(const char *conn_keys, const char *child_keys)
{
	char ike[256];
	char *ta, *tb;
	struct pair p;

	snprintf(ike, sizeof(ike), "default\n%s", conn_keys);
	ta = conn_text("a", "192.0.2.1", "192.0.2.2", "a.example.org", "%any", ike,
		       "aes128gcm16", "none", "k", child_keys);
	tb = conn_text("b", "192.0.2.2", "192.0.2.1", "b.example.org", "%any", "default",
		       "aes128gcm16", "none", "k", NULL);
	p = (struct pair){ add_peer("192.0.2.1", ta, NULL), add_peer("192.0.2.2", tb, NULL) };
	free(ta);
	free(tb);
	initiate(p.a);
	assert_true(p.a->child.is_up);
	return p;
}

/* An idle peer that answers: one liveness check per dpd_delay; ESP
 * arriving counts as news and no check is sent. */
static void test_dpd_alive(void **state)
{
	struct pair p = dpd_pair("    dpd_delay = 10s\n", NULL);
	uint32_t spi = p.a->child.spi_in;

	(void)state;
	net.delivered = 0;
	run_for(9000);
	assert_int_equal(net.delivered, 0);
	run_for(2000);
	assert_int_equal(net.delivered, 2);      /* the check and its answer */
	run_for(30000);
	assert_int_equal(net.delivered, 8);
	/* traffic from the peer: no more checks while it lasts */
	for (int i = 0; i < 5; i++) {
		p.a->esp_in_ms = net.now;
		run_for(5000);
	}
	assert_int_equal(net.delivered, 8);
	assert_int_equal(p.a->child.spi_in, spi);
	assert_established(p.a, true);
}

/* The peer vanishes: the check goes unanswered, the SAs go after
 * dpd_timeout and, with dpd_action = clear, nothing is initiated. */
static void test_dpd_dead_clear(void **state)
{
	struct pair p = dpd_pair("    dpd_delay = 10s\n    dpd_timeout = 30s\n", NULL);
	struct ike_conn_status st;

	(void)state;
	p.b->is_mute = true;
	run_for(39000);
	assert_true(p.a->child.is_up);
	run_for(2000);
	assert_false(p.a->child.is_up);
	assert_int_equal(ike_engine_status(p.a->e, &p.a->conf->tunnels[0], &st), 0);
	assert_int_equal(st.state, IKE_SA_NONE);
	p.a->sent = 0;
	run_for(60000);
	assert_int_equal(p.a->sent, 0);
	assert_int_equal(ike_engine_acquire(p.a->e, &p.a->conf->tunnels[0]), 0);
	assert_int_equal(p.a->sent, 0);          /* not trapped */
}

/* dpd_action = restart: initiated again at once, and up again once the
 * peer answers; without dpd_timeout the retransmission budget decides. */
static void test_dpd_dead_restart(void **state)
{
	struct pair p = dpd_pair("    dpd_delay = 10s\n",
				 "        dpd_action = restart\n");
	uint32_t old = p.a->child.spi_in;

	(void)state;
	p.b->is_mute = true;
	run_for(10000 + 164000);
	assert_true(p.a->child.is_up);           /* the budget is 165 s */
	p.a->sent = 0;
	run_for(2000);
	assert_false(p.a->child.is_up);
	assert_true(p.a->sent >= 1);             /* IKE_SA_INIT again */
	p.b->is_mute = false;
	run_for(20000);
	assert_true(p.a->child.is_up);
	assert_int_not_equal(p.a->child.spi_in, old);
}

/* dpd_action = trap: nothing until a packet wants the tunnel. */
static void test_dpd_dead_trap(void **state)
{
	struct pair p = dpd_pair("    dpd_delay = 10s\n    dpd_timeout = 20s\n",
				 "        dpd_action = trap\n");

	(void)state;
	p.b->is_mute = true;
	run_for(31000);
	assert_false(p.a->child.is_up);
	p.b->is_mute = false;
	p.a->sent = 0;
	run_for(30000);
	assert_int_equal(p.a->sent, 0);
	assert_int_equal(ike_engine_acquire(p.a->e, &p.a->conf->tunnels[0]), 0);
	pump();
	assert_true(p.a->child.is_up);
}

/* ---- rekeying the IKE SA ---- */

static void ike_status(struct peer *pe, struct ike_conn_status *st)
{
	assert_int_equal(ike_engine_status(pe->e, &pe->conf->tunnels[0], st), 0);
	assert_int_equal(st->state, IKE_SA_ESTABLISHED);
}

/* The IKE SA rekeyed by init: new IKE SPIs and unique ids on both ends,
 * whoever asked is the new SA's initiator, the Child SA untouched, the
 * old IKE SA gone, and the new one works (a Child SA rekey, a liveness
 * check, a delete). */
static void ike_rekey_case(const char *ike, bool by_responder)
{
	struct pair p = make_pair(ike, ike, "aes128gcm16", "aes128gcm16", "k", "k", "%any",
				  "%any");
	struct peer *init, *resp;
	struct ike_conn_status a0, b0, a1, b1;
	struct child_rec ca, cb;
	int n_down_a;

	initiate(p.a);
	init = by_responder ? p.b : p.a;
	resp = by_responder ? p.a : p.b;
	ike_status(p.a, &a0);
	ike_status(p.b, &b0);
	ca = p.a->child;
	cb = p.b->child;
	n_down_a = p.a->child.n_down;
	net.delivered = 0;
	assert_int_equal(ike_engine_rekey(init->e, &init->conf->tunnels[0], true), 0);
	pump();
	assert_int_equal(net.delivered, 4);    /* CREATE_CHILD_SA, then the old SA's delete */
	ike_status(p.a, &a1);
	ike_status(p.b, &b1);
	assert_true(a1.spi_i != a0.spi_i && a1.spi_r != a0.spi_r);
	assert_true(a1.spi_i == b1.spi_i && a1.spi_r == b1.spi_r);
	assert_int_equal(a1.is_initiator, !by_responder);
	assert_int_equal(b1.is_initiator, by_responder);
	assert_true(a1.unique_id > a0.unique_id);
	assert_int_equal(a1.child_spi_in, a0.child_spi_in);
	assert_int_equal(b1.child_spi_in, b0.child_spi_in);
	assert_int_equal(p.a->child.n_down, n_down_a);
	assert_memory_equal(&p.a->child, &ca, sizeof(ca));
	assert_memory_equal(&p.b->child, &cb, sizeof(cb));
	assert_int_equal(p.a->e->stats.established, 1);
	assert_int_equal(p.b->e->stats.established, 1);
	(void)resp;
	/* The new IKE SA carries on: a Child SA rekey, a liveness check. */
	rekey_steps(p.a, p.b);
	assert_rekeyed(&p, ca.spi_in, cb.spi_in, CRYPTO_AES128_GCM16);
	run_for(1000);
	assert_int_equal(ike_engine_terminate(p.a->e, &p.a->conf->tunnels[0]), 0);
	pump();
	assert_int_equal(p.a->e->stats.established, 0);
	assert_int_equal(p.b->e->stats.established, 0);
	assert_false(p.b->child.is_up);
}

static void test_rekey_ike(void **state)
{
	(void)state;
	ike_rekey_case("aes128gcm16-prfsha256-x25519", false);
}

static void test_rekey_ike_by_responder(void **state)
{
	(void)state;
	ike_rekey_case("aes256-sha384-prfsha384-ecp384", true);
}

/* Twice in a row, and the keys of the second derive from the first's
 * SK_d: a wrong derivation on either side fails the next exchange. */
static void test_rekey_ike_twice(void **state)
{
	struct pair p = make_pair("default", "default", "aes128gcm16", "aes128gcm16", "k", "k",
				  "%any", "%any");
	uint32_t old_a, old_b;

	(void)state;
	initiate(p.a);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(ike_engine_rekey(p.a->e, &p.a->conf->tunnels[0], true), 0);
		pump();
	}
	assert_int_equal(ike_engine_rekey(p.b->e, &p.b->conf->tunnels[0], true), 0);
	pump();
	old_a = p.a->child.spi_in;
	old_b = p.b->child.spi_in;
	rekey_steps(p.b, p.a);
	assert_rekeyed(&p, old_a, old_b, CRYPTO_AES128_GCM16);
	assert_int_equal(p.a->e->stats.rx_integrity, 0);
	assert_int_equal(p.b->e->stats.rx_integrity, 0);
}

/* Both ends rekey the IKE SA at the same moment (§2.8.2): one new IKE
 * SA stays on both ends with the Child SA untouched, the redundant and
 * the old ones go at once (also when the winner's delete of the old SA
 * overtakes the loser's answer), and the one that stays works. */
static void ike_collision(bool is_reordered)
{
	struct pair p = make_pair("default", "default", "aes128gcm16", "aes128gcm16", "k", "k",
				  "%any", "%any");
	struct ike_conn_status a0, a1, b1;

	initiate(p.a);
	for (int i = 0; i < 12; i++) {
		struct child_rec ca = p.a->child, cb = p.b->child;

		ike_status(p.a, &a0);
		assert_int_equal(ike_engine_rekey(p.a->e, &p.a->conf->tunnels[0], true), 0);
		assert_int_equal(ike_engine_rekey(p.b->e, &p.b->conf->tunnels[0], true), 0);
		pump_one();
		pump_one();
		pump_one();                       /* a's answer: a decides */
		if (is_reordered)
			reorder();
		pump();
		/* nothing waits for a grace period */
		assert_int_equal(p.a->e->stats.established, 1);
		assert_int_equal(p.b->e->stats.established, 1);
		run_for(31000);
		ike_status(p.a, &a1);
		ike_status(p.b, &b1);
		assert_true(a1.spi_i != a0.spi_i && a1.spi_r != a0.spi_r);
		assert_true(a1.spi_i == b1.spi_i && a1.spi_r == b1.spi_r);
		assert_int_equal(a1.is_initiator, !b1.is_initiator);
		assert_int_equal(p.a->e->stats.established, 1);
		assert_int_equal(p.b->e->stats.established, 1);
		assert_memory_equal(&p.a->child, &ca, sizeof(ca));
		assert_memory_equal(&p.b->child, &cb, sizeof(cb));
		assert_int_equal(net.n_queue, 0);
	}
	rekey_steps(p.b, p.a);
	assert_int_equal(p.a->e->stats.rx_integrity, 0);
	assert_int_equal(p.b->e->stats.rx_integrity, 0);
	assert_int_equal(ike_engine_terminate(p.a->e, &p.a->conf->tunnels[0]), 0);
	pump();
	assert_int_equal(p.b->e->stats.established, 0);
}

static void test_rekey_ike_collision(void **state)
{
	(void)state;
	ike_collision(false);
}

static void test_rekey_ike_collision_reordered(void **state)
{
	(void)state;
	ike_collision(true);
}

/* ---- rekeys with a slow key exchange, offloaded ---- */

/* A Child SA rekey with PFS in MODP-2048, every key exchange on the
 * other thread: a's key pair before the request, b's key pair and
 * shared secret before the answer (a's retransmission dropped
 * meanwhile), a's shared secret before it installs. */
static void test_offload_rekey_child(void **state)
{
	struct pair p = make_pair("default", "default", "aes128gcm16-modp2048",
				  "aes128gcm16-modp2048", "k", "k", "%any", "%any");
	uint32_t old_a, old_b;
	int b_sent;

	(void)state;
	initiate(p.a);
	old_a = p.a->child.spi_in;
	old_b = p.b->child.spi_in;
	p.a->defers_jobs = p.b->defers_jobs = true;
	assert_int_equal(ike_engine_rekey(p.a->e, user_of(p.a), false), 0);
	assert_int_equal(net.n_queue, 0);
	/* asked again meanwhile: one rekey, one key pair */
	assert_int_equal(ike_engine_rekey(p.a->e, user_of(p.a), false), 0);
	assert_int_equal(p.a->n_jobs, 1);
	assert_int_equal(run_jobs(p.a), 1);
	assert_int_equal(net.n_queue, 1);            /* CREATE_CHILD_SA with KE */
	pump_one();
	assert_int_equal(p.b->n_jobs, 1);
	assert_int_equal(p.b->child.n_inbound, 1);   /* nothing installed yet */
	b_sent = p.b->sent;
	run_for(5000);                               /* a retransmits; b drops it */
	assert_int_equal(p.a->e->stats.tx_retransmits, 1);
	assert_int_equal(p.b->sent, b_sent);
	assert_int_equal(run_jobs(p.b), 1);
	assert_int_equal(p.b->child.n_inbound, 2);
	pump_one();                                  /* the answer: a computes */
	assert_int_equal(p.a->n_jobs, 1);
	assert_int_equal(p.a->child.n_inbound, 1);
	assert_int_equal(run_jobs(p.a), 1);
	pump();
	assert_rekeyed(&p, old_a, old_b, CRYPTO_AES128_GCM16);
	assert_int_equal(p.a->e->stats.ke_offloaded, 2);
	assert_int_equal(p.b->e->stats.ke_offloaded, 1);
}

/* The IKE SA rekeyed in MODP-2048 with the key exchanges offloaded: the
 * new IKE SA is up on both ends and carries on. */
static void test_offload_rekey_ike(void **state)
{
	struct pair p = make_pair("aes128-sha256-modp2048", "aes128-sha256-modp2048",
				  "aes128gcm16", "aes128gcm16", "k", "k", "%any", "%any");
	struct ike_conn_status a0, a1, b1;
	uint32_t old_a, old_b;

	(void)state;
	initiate(p.a);
	ike_status(p.a, &a0);
	p.a->defers_jobs = p.b->defers_jobs = true;
	assert_int_equal(ike_engine_rekey(p.a->e, user_of(p.a), true), 0);
	assert_int_equal(net.n_queue, 0);
	assert_int_equal(run_jobs(p.a), 1);
	pump_one();
	assert_int_equal(net.n_queue, 0);
	assert_int_equal(run_jobs(p.b), 1);
	pump_one();
	assert_int_equal(net.n_queue, 0);
	assert_int_equal(run_jobs(p.a), 1);
	pump();
	ike_status(p.a, &a1);
	ike_status(p.b, &b1);
	assert_true(a1.spi_i != a0.spi_i && a1.spi_r != a0.spi_r);
	assert_true(a1.spi_i == b1.spi_i && a1.spi_r == b1.spi_r);
	assert_int_equal(p.a->e->stats.established, 1);
	assert_int_equal(p.b->e->stats.established, 1);
	p.a->defers_jobs = p.b->defers_jobs = false;
	old_a = p.a->child.spi_in;
	old_b = p.b->child.spi_in;
	rekey_steps(p.a, p.b);
	assert_rekeyed(&p, old_a, old_b, CRYPTO_AES128_GCM16);
}

/* The IKE SA goes while a rekey's key exchange is on the other thread
 * (b's answer, then a's shared secret): the results are dropped. */
static void test_offload_rekey_sa_gone(void **state)
{
	struct pair p = make_pair("default", "default", "aes128gcm16-modp2048",
				  "aes128gcm16-modp2048", "k", "k", "%any", "%any");
	int sent;

	(void)state;
	initiate(p.a);
	p.b->defers_jobs = true;
	assert_int_equal(ike_engine_rekey(p.a->e, user_of(p.a), false), 0);
	pump();
	assert_int_equal(p.b->n_jobs, 1);
	assert_int_equal(ike_engine_del_conn(p.b->e, user_of(p.b)), 0);
	ike_engine_reap(p.b->e);
	sent = p.b->sent;
	assert_int_equal(run_jobs(p.b), 1);
	assert_int_equal(p.b->sent, sent);
	assert_false(p.b->child.is_up);
	pump();
	teardown(state);

	p = make_pair("default", "default", "aes128gcm16-modp2048", "aes128gcm16-modp2048",
		      "k", "k", "%any", "%any");
	initiate(p.a);
	p.a->defers_jobs = true;
	assert_int_equal(ike_engine_rekey(p.a->e, user_of(p.a), false), 0);
	assert_int_equal(run_jobs(p.a), 1);
	pump();                                      /* request, answer: a computes */
	assert_int_equal(p.a->n_jobs, 1);
	assert_int_equal(ike_engine_del_conn(p.a->e, user_of(p.a)), 0);
	ike_engine_reap(p.a->e);
	sent = p.a->sent;
	assert_int_equal(run_jobs(p.a), 1);
	assert_int_equal(p.a->sent, sent);
}

/* Deliver and run jobs until nothing moves; then again after the
 * retransmission timers (a response dropped while its SA computed). */
static void settle(struct pair *p)
{
	for (int round = 0; round < 2; round++) {
		for (int i = 0; i < 50; i++)
			if (pump() + run_jobs(p->a) + run_jobs(p->b) == 0)
				break;
		run_for(10000);
	}
}

/* Both ends rekey the Child SA at once, MODP-2048 PFS, key exchanges
 * offloaded: a response can arrive while its SA computes the peer's
 * request (dropped, retransmitted, answered from the cache); the
 * collision still ends with one pair of SAs. */
static void test_offload_rekey_collision(void **state)
{
	struct pair p = make_pair("default", "default", "aes128gcm16-modp2048",
				  "aes128gcm16-modp2048", "k", "k", "%any", "%any");

	(void)state;
	initiate(p.a);
	p.a->defers_jobs = p.b->defers_jobs = true;
	for (int i = 0; i < 4; i++) {
		uint32_t old_a = p.a->child.inbound[0], old_b = p.b->child.inbound[0];

		assert_int_equal(ike_engine_rekey(p.a->e, user_of(p.a), false), 0);
		assert_int_equal(ike_engine_rekey(p.b->e, user_of(p.b), false), 0);
		assert_int_equal(run_jobs(p.a) + run_jobs(p.b), 2);
		pump_one();                       /* a's request: b computes */
		pump_one();                       /* b's request: a computes */
		settle(&p);
		assert_one_pair(&p, old_a, old_b);
	}
	assert_int_equal(p.a->e->stats.rx_integrity, 0);
	assert_int_equal(p.b->e->stats.rx_integrity, 0);
	assert_true(p.a->e->stats.ke_offloaded >= 4 * 2);
}

/* The same for the IKE SA (MODP-2048): one IKE SA stays, on both ends
 * the same, with the Child SA. */
static void test_offload_rekey_ike_collision(void **state)
{
	struct pair p = make_pair("aes128-sha256-modp2048", "aes128-sha256-modp2048",
				  "aes128gcm16", "aes128gcm16", "k", "k", "%any", "%any");
	struct ike_conn_status a0, a1, b1;

	(void)state;
	initiate(p.a);
	ike_status(p.a, &a0);
	p.a->defers_jobs = p.b->defers_jobs = true;
	assert_int_equal(ike_engine_rekey(p.a->e, user_of(p.a), true), 0);
	assert_int_equal(ike_engine_rekey(p.b->e, user_of(p.b), true), 0);
	assert_int_equal(run_jobs(p.a) + run_jobs(p.b), 2);
	settle(&p);
	run_for(40000);                          /* the redundant SA's grace */
	settle(&p);
	ike_status(p.a, &a1);
	ike_status(p.b, &b1);
	assert_true(a1.spi_i != a0.spi_i);
	assert_true(a1.spi_i == b1.spi_i && a1.spi_r == b1.spi_r);
	assert_int_equal(p.a->e->stats.established, 1);
	assert_int_equal(p.b->e->stats.established, 1);
	assert_true(p.a->child.is_up && p.b->child.is_up);
	assert_int_equal(p.a->child.outbound, p.b->child.inbound[0]);
}

/* ---- reauthentication ---- */

/* One IKE SA and one Child SA pair on both ends, the same, new ones. */
static void assert_reauthenticated(const struct pair *p, const struct ike_conn_status *a0,
				   uint32_t old_a, uint32_t old_b)
{
	struct ike_conn_status a1, b1;

	ike_status(p->a, &a1);
	ike_status(p->b, &b1);
	assert_true(a1.spi_i != a0->spi_i && a1.spi_r != a0->spi_r);
	assert_true(a1.spi_i == b1.spi_i && a1.spi_r == b1.spi_r);
	assert_true(a1.unique_id > a0->unique_id);
	assert_int_equal(p->a->e->stats.established, 1);
	assert_int_equal(p->b->e->stats.established, 1);
	assert_int_equal(p->a->child.n_inbound, 1);
	assert_int_equal(p->b->child.n_inbound, 1);
	assert_int_not_equal(p->a->child.inbound[0], old_a);
	assert_int_not_equal(p->b->child.inbound[0], old_b);
	assert_int_equal(p->a->child.outbound, p->b->child.inbound[0]);
	assert_int_equal(p->b->child.outbound, p->a->child.inbound[0]);
	assert_int_equal(a1.child_spi_in, p->a->child.inbound[0]);
	assert_int_equal(b1.child_spi_in, p->b->child.inbound[0]);
	assert_int_equal(net.n_queue, 0);
}

/* a starts reauthenticating (a0: its status before); IKE_SA_INIT both
 * ways and the IKE_AUTH request are delivered, the answer waits. */
static void reauth_until_auth(struct pair *p, struct ike_conn_status *a0)
{
	ike_status(p->a, a0);
	assert_int_equal(ike_engine_reauth(p->a->e, &p->a->conf->tunnels[0]), 0);
	pump_one();                               /* IKE_SA_INIT */
	pump_one();
	pump_one();                               /* IKE_AUTH */
}

/* Make before break, step by step: the new IKE SA and Child SA are up
 * on both ends (the old Child SA still in) before the old IKE SA is
 * deleted; without INITIAL_CONTACT the peer keeps the old one until then. */
static void test_reauth_steps(void **state)
{
	struct pair p = dpd_pair("", NULL);
	struct ike_conn_status a0;
	uint32_t old_a = p.a->child.inbound[0], old_b = p.b->child.inbound[0];

	(void)state;
	reauth_until_auth(&p, &a0);               /* b's new Child SA in */
	assert_int_equal(p.b->child.n_inbound, 2);
	assert_int_equal(p.b->e->stats.established, 2);
	/* b sends on the old SA until a has read the answer */
	assert_int_equal(p.b->child.outbound, old_a);
	/* its answer: a's new Child SA in, a sends on it; then a deletes
	 * the old IKE SA and with it (here at once; a real data plane keeps
	 * an inbound SA a few seconds more) the old Child SA */
	pump_one();
	assert_int_equal(p.a->child.n_inbound, 1);
	assert_int_not_equal(p.a->child.inbound[0], old_a);
	assert_int_equal(p.a->child.outbound, p.b->child.inbound[1]);
	assert_int_equal(p.b->child.outbound, old_a);
	pump_one();                               /* Delete of the old IKE SA */
	assert_int_equal(p.b->child.n_inbound, 1);
	assert_int_equal(p.b->child.outbound, p.a->child.inbound[0]);
	pump_one();                               /* its answer */
	assert_reauthenticated(&p, &a0, old_a, old_b);
	/* the new IKE SA works: a Child SA rekey by b, the IKE SA rekeyed */
	rekey_steps(p.b, p.a);
	assert_int_equal(ike_engine_rekey(p.a->e, &p.a->conf->tunnels[0], true), 0);
	pump();
	assert_int_equal(p.a->e->stats.established, 1);
	assert_int_equal(p.a->e->stats.rx_integrity + p.b->e->stats.rx_integrity, 0);
}

/* The initiator's Delete of the old IKE SA is lost: the responder sends
 * on the new Child SA REAUTH_OUT_MS after installing it anyway, and the
 * old SAs go when the Delete comes again. */
static void test_reauth_responder_out_timer(void **state)
{
	struct pair p = dpd_pair("", NULL);
	struct ike_conn_status a0;
	uint32_t old_a = p.a->child.inbound[0], old_b = p.b->child.inbound[0];

	(void)state;
	reauth_until_auth(&p, &a0);
	p.a->drop_next = 1;
	pump_one();                               /* its answer; a's Delete is lost */
	assert_int_equal(net.n_queue, 0);
	run_for(1900);
	assert_int_equal(p.b->child.outbound, old_a);
	run_for(200);
	assert_int_equal(p.b->child.outbound, p.a->child.inbound[0]);
	assert_int_equal(p.b->child.n_inbound, 2);
	pump();
	run_for(5000);                            /* the Delete again, answered */
	assert_reauthenticated(&p, &a0, old_a, old_b);
}

/* reauth_time schedules it (less up to rand_time), also after a rekey of the
 * IKE SA (it counts from the authentication), and the responder may be
 * the one that reauthenticates. */
static void test_reauth_timer(void **state)
{
	struct pair p = dpd_pair("reauth_time = 100s\n    rand_time = 10s", NULL);
	struct ike_conn_status a0;
	uint32_t old_a = p.a->child.inbound[0], old_b = p.b->child.inbound[0];

	(void)state;
	ike_status(p.a, &a0);
	run_for(50000);
	assert_int_equal(ike_engine_rekey(p.a->e, &p.a->conf->tunnels[0], true), 0);
	pump();
	run_for(39000);
	assert_int_equal(p.a->child.inbound[0], old_a);
	run_for(11100);
	assert_reauthenticated(&p, &a0, old_a, old_b);
	/* b (no reauth_time, but it knows a's address) on command */
	ike_status(p.a, &a0);
	old_a = p.a->child.inbound[0];
	old_b = p.b->child.inbound[0];
	assert_int_equal(ike_engine_reauth(p.b->e, &p.b->conf->tunnels[0]), 0);
	pump();
	assert_reauthenticated(&p, &a0, old_a, old_b);
}

/* The peer does not answer the new IKE SA: the old one stays as it is
 * (no INITIAL_CONTACT, nothing deleted), and the reauthentication is
 * tried again later and then succeeds. */
static void test_reauth_fails_then_retries(void **state)
{
	struct pair p = dpd_pair("", NULL);
	struct ike_conn_status a0, a1;
	uint32_t old_a = p.a->child.inbound[0], old_b = p.b->child.inbound[0];

	(void)state;
	ike_status(p.a, &a0);
	p.b->is_mute = true;
	assert_int_equal(ike_engine_reauth(p.a->e, &p.a->conf->tunnels[0]), 0);
	run_for(170000);                          /* the retransmissions give up */
	ike_status(p.a, &a1);
	assert_true(a1.spi_i == a0.spi_i && a1.unique_id == a0.unique_id);
	assert_int_equal(p.a->child.n_inbound, 1);
	assert_int_equal(p.a->child.inbound[0], old_a);
	p.b->is_mute = false;
	net.n_queue = 0;
	run_for(11000);                           /* tried again */
	assert_reauthenticated(&p, &a0, old_a, old_b);
}

/* ---- lifetimes ---- */

/* a (start_action = start) and b (none, or responder only with
 * b_remote %any), with extra connection and child keys; up. */
static struct pair life_pair(const char *conn_a, const char *child_a, const char *esp_a,
			     const char *child_b, const char *esp_b, const char *b_remote)
{
	char ike[256];
	char *ta, *tb;
	struct pair p;

	snprintf(ike, sizeof(ike), "default\n%s", conn_a ? conn_a : "");
	ta = conn_text("a", "192.0.2.1", "192.0.2.2", "a.example.org", "%any", ike, esp_a,
		       "start", "k", child_a);
	tb = conn_text("b", "192.0.2.2", b_remote ? b_remote : "192.0.2.1", "b.example.org",
		       "%any", "default", esp_b, "none", "k", child_b);
	p = (struct pair){ add_peer("192.0.2.1", ta, NULL), add_peer("192.0.2.2", tb, NULL) };
	free(ta);
	free(tb);
	initiate(p.a);
	assert_children_match(&p, CRYPTO_AES128_GCM16);
	return p;
}

/* The peer's proposals refuse the rekey's key exchange (as in
 * test_rekey_child_refused). */
#define ESP_REFUSED_A "aes128gcm16-ecp384, aes128gcm16"
#define ESP_REFUSED_B "aes128gcm16-x25519"

/* Grows *counter by step every 10 ms until a's Child SA is no longer
 * old_a (at most limit steps); returns how much the counter had grown
 * when it was last read before the rekey started. */
static uint64_t grow_until_rekeyed(struct pair *p, uint64_t *counter, uint64_t step,
				   uint32_t old_a, unsigned limit)
{
	uint64_t start = *counter;

	for (unsigned i = 0; i < limit; i++) {
		*counter += step;
		run_for(10);
		if (p->a->child.spi_in != old_a)
			return *counter - start;
	}
	fail_msg("not rekeyed after %u steps", limit);
	return 0;
}

/* rekey_bytes (rand_bytes 0: exactly there) at 100 kB/s: the outbound
 * SA's count rekeys, then the new SA counts from its own start, and its
 * inbound count rekeys it in turn. The rekey starts at the last look
 * before the counters, growing as they do, would cross the limit: before
 * it, but no more than a few looks' growth. */
static void test_life_rekey_bytes(void **state)
{
	struct pair p = life_pair(NULL, "        rekey_bytes = 1000000\n        rand_bytes = 0\n",
				  "aes128gcm16", NULL, "aes128gcm16", NULL);
	uint32_t old_a = p.a->child.spi_in, old_b = p.b->child.spi_in;
	uint64_t grown;

	(void)state;
	grown = grow_until_rekeyed(&p, &p.a->usage.bytes_out, 1000, old_a, 1100);
	assert_true(grown <= 1000000 && grown >= 1000000 - 4000);
	assert_rekeyed(&p, old_a, old_b, CRYPTO_AES128_GCM16);
	old_a = p.a->child.spi_in;
	old_b = p.b->child.spi_in;
	grown = grow_until_rekeyed(&p, &p.a->usage.bytes_in, 1000, old_a, 1100);
	assert_true(grown <= 1000000 && grown >= 1000000 - 4000);
	assert_rekeyed(&p, old_a, old_b, CRYPTO_AES128_GCM16);
}

/* At 5 MB/s (50 kB a look) too the rekey starts before the soft limit,
 * and not more than a few looks early. */
static void test_life_rekey_bytes_ahead(void **state)
{
	struct pair p = life_pair(NULL, "        rekey_bytes = 1000000\n        rand_bytes = 0\n",
				  "aes128gcm16", NULL, "aes128gcm16", NULL);
	uint32_t old_a = p.a->child.spi_in, old_b = p.b->child.spi_in;
	uint64_t grown;

	(void)state;
	grown = grow_until_rekeyed(&p, &p.a->usage.bytes_out, 50000, old_a, 100);
	assert_true(grown < 1000000 && grown >= 1000000 - 4 * 50000);
	assert_rekeyed(&p, old_a, old_b, CRYPTO_AES128_GCM16);
}

/* rekey_packets less a random part up to rand_packets, drawn once for
 * each Child SA: below it nothing, at rekey_packets a rekey. */
static void test_life_rekey_packets(void **state)
{
	struct pair p = life_pair(NULL, "        rekey_packets = 1000\n        rand_packets = 100\n",
				  "aes128gcm16", NULL, "aes128gcm16", NULL);
	uint32_t old_a = p.a->child.spi_in, old_b = p.b->child.spi_in;
	uint64_t soft = p.a->e->conns->sa->child.soft_packets;

	(void)state;
	assert_true(soft >= 900 && soft <= 1000);
	p.a->usage.packets_in = soft - 1;
	run_for(2000);
	assert_int_equal(p.a->child.spi_in, old_a);
	p.a->usage.packets_in = 1000;
	run_for(100);
	assert_rekeyed(&p, old_a, old_b, CRYPTO_AES128_GCM16);
	soft = p.a->e->conns->sa->child.soft_packets;
	assert_true(soft >= 900 && soft <= 1000);
}

/* A soft limit starts the rekey once: when the peer refuses, the retry
 * is the rekey timer's (10 s and up to 5 s more), not every check's. */
static void test_life_soft_once(void **state)
{
	struct pair p = life_pair(NULL, "        rekey_bytes = 1000\n", ESP_REFUSED_A, NULL,
				  ESP_REFUSED_B, NULL);
	uint32_t old_a = p.a->child.spi_in;

	(void)state;
	net.delivered = 0;
	p.a->usage.bytes_out = 1000;
	run_for(100);
	assert_int_equal(net.delivered, 2);        /* asked, refused */
	run_for(9000);
	assert_int_equal(net.delivered, 2);
	run_for(7000);
	assert_int_equal(net.delivered, 4);        /* the timer's retry */
	assert_int_equal(p.a->child.spi_in, old_a);
	assert_true(p.a->child.is_up);
}

/* The peer refuses every rekey; life_bytes deletes the Child SA with its
 * IKE SA on both ends, and a new IKE SA is initiated at once. */
static void test_life_hard_bytes(void **state)
{
	struct pair p = life_pair(NULL, "        rekey_bytes = 1000\n        life_bytes = 2000\n",
				  ESP_REFUSED_A, NULL, ESP_REFUSED_B, NULL);
	uint32_t old_a = p.a->child.spi_in, old_b = p.b->child.spi_in;
	struct ike_conn_status a0, a1;
	int b_down = p.b->child.n_down;

	(void)state;
	ike_status(p.a, &a0);
	p.a->usage.bytes_in = 1500;
	run_for(100);
	assert_int_equal(p.a->child.spi_in, old_a);   /* refused */
	p.a->usage.bytes_in = 2000;
	run_for(100);
	assert_true(p.b->child.n_down > b_down);       /* b removed the old one */
	assert_children_match(&p, CRYPTO_AES128_GCM16);
	assert_int_not_equal(p.a->child.spi_in, old_a);
	assert_int_not_equal(p.b->child.spi_in, old_b);
	ike_status(p.a, &a1);
	assert_true(a1.spi_i != a0.spi_i);
	assert_true(a1.is_initiator);
	assert_int_equal(p.a->e->stats.established, 1);
	assert_int_equal(p.b->e->stats.established, 1);
	/* the new Child SA counts from its own start */
	run_for(2000);
	assert_int_equal(p.a->e->stats.established, 1);
	assert_true(p.a->child.is_up);
}

/* life_time since the Child SA was installed, the peer refusing the
 * rekey at rekey_time. */
static void test_life_hard_time(void **state)
{
	struct pair p = life_pair(NULL, "        rekey_time = 10s\n        life_time = 15s\n"
				  "        rand_time = 0\n", ESP_REFUSED_A, NULL, ESP_REFUSED_B, NULL);
	uint32_t old_a = p.a->child.spi_in, old_b = p.b->child.spi_in;

	(void)state;
	run_for(14900);
	assert_int_equal(p.a->child.spi_in, old_a);
	assert_int_equal(p.b->child.spi_in, old_b);
	run_for(200);
	assert_children_match(&p, CRYPTO_AES128_GCM16);
	assert_int_not_equal(p.a->child.spi_in, old_a);
	assert_int_not_equal(p.b->child.spi_in, old_b);
}

/* Outbound sequence numbers without ESN: the rekey starts when 2^29
 * are left; the last one used is a hard limit. The counters are looked
 * at as often as traffic at the highest rate could reach a limit: a
 * minute for a fresh SA, every 10 ms near one. With ESN 2^32 is
 * nothing special. */
static void test_life_sequence_numbers(void **state)
{
	const uint64_t soft = UINT32_MAX - (UINT64_C(1) << 29);
	struct pair p = life_pair(NULL, NULL, ESP_REFUSED_A, NULL, ESP_REFUSED_B, NULL);
	uint32_t old_a = p.a->child.spi_in;

	(void)state;
	p.a->usage.seq_out = soft - 1;
	net.delivered = 0;
	run_for(61000);
	assert_int_equal(net.delivered, 0);
	p.a->usage.seq_out = soft;
	run_for(200);
	assert_int_equal(net.delivered, 2);           /* asked, refused */
	assert_int_equal(p.a->child.spi_in, old_a);
	p.a->usage.seq_out = UINT32_MAX - 1;
	run_for(61000);
	assert_int_equal(p.a->child.spi_in, old_a);
	p.a->usage.seq_out = UINT32_MAX;              /* none left */
	run_for(200);
	assert_children_match(&p, CRYPTO_AES128_GCM16);
	assert_int_not_equal(p.a->child.spi_in, old_a);
	teardown(NULL);

	p = life_pair(NULL, NULL, "aes128gcm16-esn", NULL, "aes128gcm16-esn", NULL);
	old_a = p.a->child.spi_in;
	assert_true(p.a->child.is_esn);
	p.a->usage.seq_out = UINT64_C(1) << 32;
	net.delivered = 0;
	run_for(120000);
	assert_int_equal(net.delivered, 0);
	assert_int_equal(p.a->child.spi_in, old_a);
}

/* b, the responder, reaches life_packets first and deletes; the new IKE
 * SA comes from b_initiates ? b : a. */
static void hard_at_responder(const char *child_a, const char *b_remote, bool b_initiates)
{
	struct pair p = life_pair(NULL, child_a, "aes128gcm16", "        life_packets = 500\n",
				  "aes128gcm16", b_remote);
	uint32_t old_a = p.a->child.spi_in;
	struct ike_conn_status st;

	p.b->usage.packets_out = 500;
	run_for(100);
	assert_children_match(&p, CRYPTO_AES128_GCM16);
	assert_int_not_equal(p.a->child.spi_in, old_a);
	ike_status(p.b, &st);
	assert_int_equal(st.is_initiator, b_initiates);
	ike_status(p.a, &st);
	assert_int_equal(st.is_initiator, !b_initiates);
}

/* Knowing the peer's address, the responder initiates the new IKE SA
 * itself (a's close_action none would leave the tunnel down). */
static void test_life_hard_by_responder(void **state)
{
	(void)state;
	hard_at_responder(NULL, NULL, true);
}

/* A responder-only connection (remote_addrs = %any) cannot initiate:
 * the peer's close_action decides (restart here). */
static void test_life_hard_responder_only(void **state)
{
	(void)state;
	hard_at_responder("        close_action = restart\n", "%any", false);
}

/* over_time: an IKE SA whose rekey the peer never answers is deleted at
 * rekey_time + over_time and made anew. */
static void test_life_over_time(void **state)
{
	struct pair p = life_pair("    rekey_time = 100s\n    over_time = 10s\n    rand_time = 0\n",
				  NULL, "aes128gcm16", NULL, "aes128gcm16", NULL);
	struct ike_conn_status a0, st;

	(void)state;
	ike_status(p.a, &a0);
	assert_int_equal(p.a->e->conns->sa->expire_at, a0.rekey_at_ms + 10000);
	run_for(95000);
	p.b->is_mute = true;
	run_for(14900);                            /* the rekey went unanswered */
	ike_status(p.a, &st);
	assert_int_equal(st.spi_i, a0.spi_i);
	run_for(200);
	assert_int_equal(ike_engine_status(p.a->e, user_of(p.a), &st), 0);
	assert_int_equal(st.state, IKE_SA_INIT_SENT);
	assert_false(p.a->child.is_up);
	p.b->is_mute = false;
	run_for(20000);
	ike_status(p.a, &st);
	assert_true(st.spi_i != a0.spi_i);
	assert_children_match(&p, CRYPTO_AES128_GCM16);
}

/* over_time counts from the reauthentication drawn too; when the
 * reauthentication gets no answer, the IKE SA is made anew then. */
static void test_life_over_time_reauth(void **state)
{
	struct pair p = life_pair("    rekey_time = 0\n    reauth_time = 100s\n    over_time = 10s\n",
				  NULL, "aes128gcm16", NULL, "aes128gcm16", NULL);
	struct ike_conn_status a0, st;

	(void)state;
	ike_status(p.a, &a0);
	assert_true(a0.reauth_at_ms >= net.now + 90000 && a0.reauth_at_ms <= net.now + 100000);
	run_for(a0.reauth_at_ms - net.now - 100);
	p.b->is_mute = true;
	run_for(10000);                            /* the reauthentication went unanswered */
	ike_status(p.a, &st);
	assert_int_equal(st.spi_i, a0.spi_i);
	run_for(200);
	assert_int_equal(ike_engine_status(p.a->e, user_of(p.a), &st), 0);
	assert_true(st.spi_i != a0.spi_i || st.state != IKE_SA_ESTABLISHED);
	p.b->is_mute = false;
	run_for(30000);
	ike_status(p.a, &st);
	assert_true(st.spi_i != a0.spi_i);
	assert_int_equal(p.a->e->stats.established, 1);
	assert_int_equal(p.b->e->stats.established, 1);
}

/* The IKE SA's rekey: rekey_time less up to rand_time. */
static void test_life_ike_rand_time(void **state)
{
	struct pair p = life_pair("    rekey_time = 100s\n    rand_time = 50s\n", NULL,
				  "aes128gcm16", NULL, "aes128gcm16", NULL);
	struct ike_conn_status st;

	(void)state;
	ike_status(p.a, &st);
	assert_true(st.rekey_at_ms >= net.now + 50000 && st.rekey_at_ms <= net.now + 100000);
	/* over_time (default 10 s here) counts from the rekey drawn */
	assert_int_equal(p.a->e->conns->sa->expire_at, st.rekey_at_ms + 10000);
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
		cmocka_unit_test_setup_teardown(test_nat_mapping_moves_esp, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cookie, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ts_narrowing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ts_unacceptable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_restart_replaces_sa, setup, teardown),
		cmocka_unit_test_setup_teardown(test_simultaneous_initiation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_initial_contact_only_first, setup, teardown),
		cmocka_unit_test_setup_teardown(test_forged_refusal_is_advisory, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cookie_loop_bounded, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pace_many_to_one_peer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pace_dead_peer_releases, setup, teardown),
		cmocka_unit_test_setup_teardown(test_del_conn_established, setup, teardown),
		cmocka_unit_test_setup_teardown(test_offload_handshake, setup, teardown),
		cmocka_unit_test_setup_teardown(test_offload_keeps_answering, setup, teardown),
		cmocka_unit_test_setup_teardown(test_offload_sa_gone, setup, teardown),
		cmocka_unit_test_setup_teardown(test_offload_invalid_ke, setup, teardown),
		cmocka_unit_test_setup_teardown(test_offload_invalid_ke_value, setup, teardown),
		cmocka_unit_test_setup_teardown(test_offload_fast_groups_inline, setup, teardown),
		cmocka_unit_test_setup_teardown(test_del_conn_half_open, setup, teardown),
		cmocka_unit_test_setup_teardown(test_del_conn_auth_sent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_del_conn_responder, setup, teardown),
		cmocka_unit_test_setup_teardown(test_del_conn_crossed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_set_settings, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unique_ids, setup, teardown),
		cmocka_unit_test_setup_teardown(test_psk_replaced_responder, setup, teardown),
		cmocka_unit_test_setup_teardown(test_psk_replaced_initiator, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rekey_child, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rekey_child_pfs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rekey_child_by_responder, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rekey_child_invalid_ke, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rekey_child_timer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rekey_child_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rekey_child_collision, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rekey_child_collision_reordered, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rekey_child_collision_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rekey_child_delete_crossing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dpd_alive, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dpd_dead_clear, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dpd_dead_restart, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dpd_dead_trap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rekey_ike, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rekey_ike_by_responder, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rekey_ike_twice, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rekey_ike_collision, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rekey_ike_collision_reordered, setup, teardown),
		cmocka_unit_test_setup_teardown(test_offload_rekey_child, setup, teardown),
		cmocka_unit_test_setup_teardown(test_offload_rekey_ike, setup, teardown),
		cmocka_unit_test_setup_teardown(test_offload_rekey_sa_gone, setup, teardown),
		cmocka_unit_test_setup_teardown(test_offload_rekey_collision, setup, teardown),
		cmocka_unit_test_setup_teardown(test_offload_rekey_ike_collision, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reauth_steps, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reauth_responder_out_timer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reauth_timer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reauth_fails_then_retries, setup, teardown),
		cmocka_unit_test_setup_teardown(test_life_rekey_bytes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_life_rekey_bytes_ahead, setup, teardown),
		cmocka_unit_test_setup_teardown(test_life_rekey_packets, setup, teardown),
		cmocka_unit_test_setup_teardown(test_life_soft_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_life_hard_bytes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_life_hard_time, setup, teardown),
		cmocka_unit_test_setup_teardown(test_life_sequence_numbers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_life_hard_by_responder, setup, teardown),
		cmocka_unit_test_setup_teardown(test_life_hard_responder_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_life_over_time, setup, teardown),
		cmocka_unit_test_setup_teardown(test_life_over_time_reauth, setup, teardown),
		cmocka_unit_test_setup_teardown(test_life_ike_rand_time, setup, teardown),
	};

	log_init("test", true, getenv("IFS_TEST_DEBUG") ? LOG_LVL_DEBUG : LOG_LVL_ERROR);
	if (crypto_init() != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
