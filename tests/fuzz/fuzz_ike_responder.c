/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The IKE responder (ike_engine_input and everything behind it) on
 * hostile datagrams, with fresh engines for every input (an engine is a
 * calloc; only the configurations are loaded once). Responder b has one
 * connection for remote_addrs = %any with a PSK; in-process initiator a
 * (test_ike_exchange.c's fake ops: sends are queued, Child SAs accepted,
 * the clock is the target's) gives inputs that ask for it a genuine
 * IKE SA with b, so that the paths behind the SK integrity check are
 * reached: requests sealed with a's real keys carry the fuzz bytes as
 * their inner payload chain.
 *
 * Input: a flags byte, then operations until the input ends.
 *   flags  bit 0     genuine: a runs IKE_SA_INIT with b first (b is
 *                    then half-open, a's IKE_AUTH request is queued)
 *          bits 1-2  a's IKE proposal: 0 aes128gcm16-x25519, 1 aes256-
 *                    sha256-ecp256, 2 chacha20poly1305-x25519, 3 ecp384
 *                    first (an INVALID_KE_PAYLOAD round)
 *          bit 3     cookies: b's cookie_threshold is 1; when genuine, a
 *                    second SA of a's is left half-open first, so that
 *                    the genuine one goes through a COOKIE round
 *          bit 4     raw datagrams come from port 4500 (else 500)
 *   op     low 3 bits, then what it takes (LEN is 2 bytes, big endian,
 *          clamped to what is left):
 *          0 LEN DATA        DATA to b as a datagram from a
 *          1 X M T LEN DATA  a request sealed with a's keys: exchange
 *                            X, message ID M, DATA the inner chain whose
 *                            first payload is T; op bit 3 (IKE_AUTH
 *                            only): a's genuine IDi (IDr) and AUTH come
 *                            first, so that b gets as far as the Child
 *                            SA with DATA's SA, TS and notifies
 *          2                 deliver what is queued (a and b talk)
 *          3 X T LEN DATA    a response sealed with b's keys to a's
 *                            outstanding request (exchange X)
 *          4 S               S * 500 ms pass; both engines' timers run
 *          5 LEN DATA        DATA with its first 16 bytes replaced by
 *                            the genuine SA's SPIs, to b
 *          6                 the last datagram b was given, again
 *          7 LEN DATA        DATA to a as a datagram from b
 * Without a genuine SA, ops 1, 3 and 5 fall back to op 0.
 *
 * After every datagram b must have sent at most one message, every
 * unprotected one a response; b's half-open and established counters
 * must match its SAs (RELIABILITY.md §2 row 28: every exit path
 * decrements them). abort() if not.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "config/conf.h"
#include "crypto/crypto.h"
#include "ike/ike_int.h"
#include "ike/sk.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

#define MAX_QUEUE 16
#define MAX_DELIVER 32
#define N_PROPS 4

enum { PEER_A, PEER_B, PEER_NONE };

struct wire_msg {
	int to;
	struct ike_path path;        /* as the receiver sees it */
	size_t len;
	uint8_t data[IKE_MAX_MSG];
};

static struct {
	bool is_ready;
	struct conf *conf_b;
	struct conf *conf_a[N_PROPS];
	struct ifs_addr addr_a, addr_b;
	struct ike_engine *a, *b;
	const struct conf *conf_a_now;  /* a's configuration this run */
	uint64_t now;
	struct wire_msg queue[MAX_QUEUE];
	size_t n_queue;
	size_t b_sent;               /* messages b sent during the current event */
	uint64_t spi_i, spi_r;       /* the genuine SA, 0: none */
	uint8_t last[IKE_MAX_MSG];   /* the last datagram b was given */
	size_t last_len;
	struct ike_path last_path;
	uint8_t buf[IKE_MAX_MSG];
	uint8_t chain[IKE_MAX_MSG];
	uint8_t plain[IKE_MAX_MSG];
} g;

static const char conf_b_text[] =
	"connections {\n"
	"  rw {\n"
	"    local_addrs = 192.0.2.2\n"
	"    remote_addrs = %any\n"
	"    proposals = aes128gcm16-prfsha256-x25519, aes256-sha256-ecp256, "
	"chacha20poly1305-prfsha256-x25519\n"
	"    interface = ifs0\n"
	"    local {\n      auth = psk\n      id = b.example.org\n    }\n"
	"    remote {\n      auth = psk\n      id = *.example.org\n    }\n"
	"    children {\n      net {\n"
	"        esp_proposals = aes128gcm16, aes256-sha256, chacha20poly1305-esn\n"
	"        local_ts = 203.0.113.64/26, 2001:db8:2:2::/64\n"
	"        remote_ts = 203.0.113.0/26, 2001:db8:2:1::/64\n"
	"      }\n    }\n"
	"  }\n"
	"}\n"
	"secrets {\n  ike-1 {\n    id = *.example.org\n    secret = \"fuzz secret\"\n  }\n}\n";

static const char *const props_a[N_PROPS] = {
	"aes128gcm16-prfsha256-x25519",
	"aes256-sha256-ecp256",
	"chacha20poly1305-prfsha256-x25519",
	"aes128gcm16-prfsha256-ecp384-x25519",
};

/* Two connections to b, so that one can be left half-open. */
static char *conf_a_text(const char *props)
{
	static const char conn[] =
		"  a%d {\n"
		"    local_addrs = 192.0.2.1\n"
		"    remote_addrs = 192.0.2.2\n"
		"    proposals = %s\n"
		"    interface = ifs%d\n"
		"    local {\n      auth = psk\n      id = a.example.org\n    }\n"
		"    remote {\n      auth = psk\n      id = b.example.org\n    }\n"
		"    children {\n      net {\n"
		"        esp_proposals = aes128gcm16\n"
		"        local_ts = 203.0.113.0/26\n"
		"        remote_ts = 203.0.113.64/26\n"
		"      }\n    }\n"
		"  }\n";
	char *s = malloc(4096);
	size_t n;

	CHECK(s);
	n = (size_t)snprintf(s, 4096, "connections {\n");
	for (int i = 1; i <= 2; i++)
		n += (size_t)snprintf(s + n, 4096 - n, conn, i, props, i);
	snprintf(s + n, 4096 - n, "}\nsecrets {\n  ike-1 {\n    id = b.example.org\n"
		 "    secret = \"fuzz secret\"\n  }\n}\n");
	return s;
}

/* The path as the other end sees it. */
static struct ike_path mirror(const struct ike_path *p)
{
	return (struct ike_path){
		.local = p->remote, .remote = p->local,
		.local_port = p->remote_port, .remote_port = p->local_port,
	};
}

static uint64_t fake_now(void *ctx)
{
	(void)ctx;
	return g.now;
}

static void fake_send(void *ctx, const struct ike_path *p, const uint8_t *msg, size_t len)
{
	struct ike_engine **from = ctx;
	bool is_b = from == &g.b;
	struct wire_msg *m;
	struct ike_hdr h;

	CHECK(len <= IKE_MAX_MSG);
	if (is_b) {
		g.b_sent++;
		/* b answers unprotected only, and only with responses. */
		CHECK(ike_hdr_parse(msg, len, &h) == 0);
		if (h.exchange == IKE_SA_INIT || h.next_payload != IKE_PL_SK)
			CHECK(h.flags & IKE_FLAG_RESPONSE);
	}
	if (g.n_queue == MAX_QUEUE)
		return;
	m = &g.queue[g.n_queue];
	m->to = is_b ? (addr_eq(&p->remote, &g.addr_a) ? PEER_A : PEER_NONE) :
		(addr_eq(&p->remote, &g.addr_b) ? PEER_B : PEER_NONE);
	if (m->to == PEER_NONE)
		return;
	m->path = mirror(p);
	memcpy(m->data, msg, len);
	m->len = len;
	g.n_queue++;
}

static int fake_child_up(void *ctx, const struct ike_child_info *ci)
{
	(void)ctx;
	/* A rekey's responder installs the inbound SA first, the outbound
	 * one when the old SA is deleted. */
	CHECK(ci->dir == IKE_CHILD_OUT || ci->key_in);
	CHECK(ci->dir == IKE_CHILD_IN || ci->key_out);
	CHECK(ci->dir != IKE_CHILD_BOTH || ci->key_in->len == ci->key_out->len);
	return 0;
}

static void fake_child_down(void *ctx, void *user, uint32_t spi_in, uint32_t spi_out)
{
	(void)ctx;
	(void)user;
	(void)spi_in;
	(void)spi_out;
}

static const struct secret *fake_find_psk(void *ctx, const struct ike_id *local,
					  uint8_t remote_type, const uint8_t *remote,
					  size_t remote_len)
{
	const struct conf *c = ctx == &g.b ? g.conf_b : g.conf_a_now;
	const struct conf_secret *s = conf_find_psk(c, local, remote_type, remote, remote_len);

	return s ? s->psk : NULL;
}

static const struct ike_ops ops = {
	.send = fake_send, .child_up = fake_child_up, .child_down = fake_child_down,
	.now_ms = fake_now, .find_psk = fake_find_psk,
};

/* b's counters against its SAs. */
static void check_b(void)
{
	size_t half_open = 0, established = 0;

	for (const struct ike_sa *sa = g.b->all; sa; sa = sa->next_all) {
		if (sa->is_dead)
			continue;
		half_open += sa->state == IKE_SA_HALF_OPEN;
		established += sa->state == IKE_SA_ESTABLISHED;
	}
	CHECK(g.b->n_half_open == half_open);
	CHECK(g.b->stats.half_open == half_open);
	CHECK(g.b->stats.established == established);
}

static void to_b(const struct ike_path *p, const uint8_t *msg, size_t len)
{
	if (len > IKE_MAX_MSG)
		len = IKE_MAX_MSG;
	memcpy(g.last, msg, len);
	g.last_len = len;
	g.last_path = *p;
	/* the engine decrypts in place: give it a copy */
	memcpy(g.buf, msg, len);
	g.b_sent = 0;
	ike_engine_input(g.b, p, g.buf, len);
	CHECK(g.b_sent <= 1);
	check_b();
}

static void to_a(const struct ike_path *p, const uint8_t *msg, size_t len)
{
	if (len > IKE_MAX_MSG)
		len = IKE_MAX_MSG;
	memcpy(g.buf, msg, len);
	ike_engine_input(g.a, p, g.buf, len);
}

/* Deliver the oldest message queued. */
static void pump_one(void)
{
	static struct wire_msg m;

	m = g.queue[0];
	memmove(g.queue, g.queue + 1, (g.n_queue - 1) * sizeof(g.queue[0]));
	g.n_queue--;
	if (m.to == PEER_B)
		to_b(&m.path, m.data, m.len);
	else
		to_a(&m.path, m.data, m.len);
}

/* Deliver what is queued, oldest first, bounded. */
static void pump(void)
{
	for (int n = 0; n < MAX_DELIVER && g.n_queue > 0; n++)
		pump_one();
}

static struct ike_path path_a_to_b(uint16_t port)
{
	return (struct ike_path){
		.local = g.addr_b, .remote = g.addr_a, .local_port = port, .remote_port = port,
	};
}

static struct ike_path path_b_to_a(uint16_t port)
{
	return (struct ike_path){
		.local = g.addr_a, .remote = g.addr_b, .local_port = port, .remote_port = port,
	};
}

static void init_once(void)
{
	struct conf_err err;

	/* Silent, unless IFS_FUZZ_LOG is set: then every line is formatted
	 * (run with -close_fd_mask=2 to keep them off the terminal). Below
	 * LOG_LVL_ERROR nothing is enabled. */
	log_init("fuzz", true, LOG_LVL_ERROR);
	log_set_level(getenv("IFS_FUZZ_LOG") ? LOG_LVL_DEBUG : (enum log_level)-1);
	CHECK(crypto_init() == 0);
	CHECK(addr_parse("192.0.2.1", &g.addr_a) == 0);
	CHECK(addr_parse("192.0.2.2", &g.addr_b) == 0);
	CHECK(conf_load_string(conf_b_text, "b.conf", &g.conf_b, &err) == 0);
	for (int i = 0; i < N_PROPS; i++) {
		char *t = conf_a_text(props_a[i]);

		CHECK(conf_load_string(t, "a.conf", &g.conf_a[i], &err) == 0);
		free(t);
	}
	g.is_ready = true;
}

static void engines_new(uint8_t flags)
{
	const struct conf *ca = g.conf_a[(flags >> 1) & 3];
	struct ike_settings s;

	g.now = 1000000;
	g.n_queue = 0;
	g.spi_i = g.spi_r = 0;
	g.last_len = 0;
	ike_settings_default(&s);
	if (flags & 8)
		s.cookie_threshold = 1;
	g.conf_a_now = ca;
	CHECK(ike_engine_new(&g.b, &ops, &g.b, &s, NULL) == 0);
	CHECK(ike_engine_add_conn(g.b, &g.conf_b->tunnels[0], &g.conf_b->tunnels[0]) == 0);
	ike_settings_default(&s);
	CHECK(ike_engine_new(&g.a, &ops, &g.a, &s, NULL) == 0);
	for (size_t i = 0; i < ca->n_tunnels; i++)
		CHECK(ike_engine_add_conn(g.a, &ca->tunnels[i], &ca->tunnels[i]) == 0);
}

static struct ike_conn *conn_a(size_t i)
{
	struct ike_conn *c = g.a->conns;

	/* add_conn prepends: the list runs backwards */
	for (size_t n = g.conf_a_now->n_tunnels - 1 - i; c && n > 0; n--)
		c = c->next;
	return c;
}

/* IKE_SA_INIT between a and b, for real. */
static void genuine(uint8_t flags)
{
	struct ike_conn *c;
	struct ike_path p;

	if (flags & 8) {
		/* a1's request is answered and its response lost: b has
		 * one half-open SA, and a2 must show a cookie */
		c = conn_a(0);
		CHECK(ike_engine_initiate(g.a, c->user) == 0);
		g.n_queue = 0;
		p = mirror(&c->sa->path);
		to_b(&p, c->sa->req.msg, c->sa->req.len);
		g.n_queue = 0;
	}
	c = conn_a(flags & 8 ? 1 : 0);
	CHECK(ike_engine_initiate(g.a, c->user) == 0);
	/* INIT (COOKIE, INVALID_KE rounds), then a's IKE_AUTH stays queued */
	for (int n = 0; n < 8 && g.n_queue > 0 && c->sa && c->sa->state == IKE_SA_INIT_SENT; n++)
		pump_one();
	CHECK(c->sa && c->sa->state == IKE_SA_AUTH_SENT);
	g.spi_i = c->sa->spi_i;
	g.spi_r = c->sa->spi_r;
}

static struct ike_sa *sa_a(void)
{
	return g.spi_i ? ike_sa_by_local(g.a, g.spi_i) : NULL;
}

static struct ike_sa *sa_b(void)
{
	return g.spi_r ? ike_sa_by_local(g.b, g.spi_r) : NULL;
}

/* Generic payload headers around a payload body, chained by hand. */
static size_t put_payload(uint8_t *out, size_t cap, uint8_t next, const struct ike_payload *p)
{
	size_t n = IKE_PL_GENERIC_HDR_LEN + p->len;

	if (n > cap || n > UINT16_MAX)
		return 0;
	out[0] = next;
	out[1] = 0;
	out[2] = (uint8_t)(n >> 8);
	out[3] = (uint8_t)n;
	memcpy(out + 4, p->body, p->len);
	return n;
}

/*
 * a's genuine IKE_AUTH request, decrypted with b's inbound key, cut down
 * to IDi, IDr and AUTH, which then lead to the fuzz chain (first type
 * first). Returns the chain length (in g.chain), 0 if it cannot be had.
 */
static size_t genuine_auth_prefix(uint8_t *first, uint8_t fuzz_first, size_t room)
{
	struct ike_sa *a = sa_a(), *b = sa_b();
	static struct ike_chain outer, inner;
	const struct ike_payload *keep[3];
	enum ike_chain_err ce;
	struct ike_hdr h;
	size_t n_keep = 0, len = 0;
	uint8_t bad;

	if (!a || !b || !b->x_in || a->req.exchange != IKE_AUTH || a->req.len > sizeof(g.plain))
		return 0;
	memcpy(g.plain, a->req.msg, a->req.len);
	if (ike_hdr_parse(g.plain, a->req.len, &h) != 0 ||
	    ike_msg_chain(&h, g.plain, a->req.len, &outer, &bad) != IKE_CHAIN_OK ||
	    ike_sk_unprotect(b->x_in, g.plain, a->req.len, &outer, &inner, &ce, &bad) != 0)
		return 0;
	for (size_t i = 0; i < inner.n; i++)
		if (inner.v[i].type == IKE_PL_IDI || inner.v[i].type == IKE_PL_IDR ||
		    inner.v[i].type == IKE_PL_AUTH)
			keep[n_keep++] = &inner.v[i];
	if (n_keep == 0)
		return 0;
	*first = keep[0]->type;
	for (size_t i = 0; i < n_keep; i++) {
		uint8_t next = i + 1 < n_keep ? keep[i + 1]->type : fuzz_first;
		size_t n = put_payload(g.chain + len, room - len, next, keep[i]);

		if (n == 0)
			return 0;
		len += n;
	}
	return len;
}

/* hdr + SK{chain} with sa's outbound keys, to the other engine. */
static void send_sealed(struct ike_sa *sa, uint8_t exchange, bool is_response, uint32_t msg_id,
			const uint8_t *chain, size_t chain_len, uint8_t first)
{
	struct ike_hdr h = {
		.spi_i = sa->spi_i, .spi_r = sa->spi_r, .version = IKE_VERSION_2,
		.exchange = exchange, .msg_id = msg_id,
		.flags = (uint8_t)((sa->is_initiator ? IKE_FLAG_INITIATOR : 0) |
				   (is_response ? IKE_FLAG_RESPONSE : 0)),
	};
	static uint8_t msg[IKE_MAX_MSG];
	struct ike_path p = mirror(&sa->path);
	size_t len;

	if (!sa->x_out)
		return;
	len = ike_sk_protect(sa->x_out, sa->iv_counter++, &h, chain, chain_len, first,
			     msg, sizeof(msg));
	if (len == 0)
		return;
	if (sa->is_initiator)
		to_b(&p, msg, len);
	else
		to_a(&p, msg, len);
}

struct in {
	const uint8_t *p;
	size_t left;
};

static uint8_t in_u8(struct in *in)
{
	uint8_t v = 0;

	if (in->left) {
		v = *in->p++;
		in->left--;
	}
	return v;
}

/* LEN DATA: the length clamped to what is left and to IKE_MAX_MSG (the
 * engine drops longer datagrams unread). */
static const uint8_t *in_data(struct in *in, size_t *len)
{
	const uint8_t *p;
	size_t n = (size_t)in_u8(in) << 8;

	n |= in_u8(in);
	if (n > in->left)
		n = in->left;
	if (n > IKE_MAX_MSG)
		n = IKE_MAX_MSG;
	p = in->p;
	in->p += n;
	in->left -= n;
	*len = n;
	return p;
}

static void op_sealed_request(struct in *in, uint8_t op)
{
	uint8_t exchange = in_u8(in), msg_id = in_u8(in), first = in_u8(in), f = first;
	size_t len, pre = 0;
	const uint8_t *d = in_data(in, &len);
	struct ike_sa *sa = sa_a();

	if (!sa) {
		to_b(&g.last_path, d, len);
		return;
	}
	if ((op & 8) && exchange == IKE_AUTH)
		pre = genuine_auth_prefix(&f, first, sizeof(g.chain));
	if (!pre)
		f = first;
	if (len > sizeof(g.chain) - pre)
		len = sizeof(g.chain) - pre;
	memcpy(g.chain + pre, d, len);
	send_sealed(sa, exchange, false, msg_id, g.chain, pre + len, f);
}

static void op_sealed_response(struct in *in)
{
	uint8_t exchange = in_u8(in), first = in_u8(in);
	size_t len;
	const uint8_t *d = in_data(in, &len);
	struct ike_sa *a = sa_a(), *b = sa_b();

	if (!a || !b) {
		to_b(&g.last_path, d, len);
		return;
	}
	memcpy(g.chain, d, len);
	send_sealed(b, exchange, true, a->req.exchange ? a->req.msg_id : 0, g.chain, len, first);
}

static void op_with_spis(struct in *in)
{
	size_t len;
	const uint8_t *d = in_data(in, &len);
	struct ike_sa *sa = sa_a();

	struct ike_path p = sa ? mirror(&sa->path) : g.last_path;

	memcpy(g.chain, d, len);
	if (sa && len >= 16) {
		for (int i = 0; i < 8; i++) {
			g.chain[i] = (uint8_t)(g.spi_i >> (56 - 8 * i));
			g.chain[8 + i] = (uint8_t)(g.spi_r >> (56 - 8 * i));
		}
	}
	to_b(&p, g.chain, len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct in in = { data, size };
	struct ike_path pa, pb;
	uint8_t flags;
	uint16_t port;

	if (!g.is_ready)
		init_once();
	if (size == 0)
		return 0;
	flags = in_u8(&in);
	port = flags & 16 ? IKE_NATT_PORT : IKE_PORT;
	engines_new(flags);
	pa = path_a_to_b(port);
	pb = path_b_to_a(port);
	g.last_path = pa;
	if (flags & 1)
		genuine(flags);
	while (in.left > 0) {
		uint8_t op = in_u8(&in);
		const uint8_t *d;
		size_t len;

		switch (op & 7) {
		case 0:
			d = in_data(&in, &len);
			to_b(&pa, d, len);
			break;
		case 1:
			op_sealed_request(&in, op);
			break;
		case 2:
			pump();
			break;
		case 3:
			op_sealed_response(&in);
			break;
		case 4:
			g.now += 500 * (uint64_t)in_u8(&in);
			ike_engine_run_timers(g.a);
			ike_engine_run_timers(g.b);
			check_b();
			break;
		case 5:
			op_with_spis(&in);
			break;
		case 6:
			if (g.last_len) {
				memcpy(g.plain, g.last, g.last_len);
				to_b(&g.last_path, g.plain, g.last_len);
			}
			break;
		case 7:
			d = in_data(&in, &len);
			to_a(&pb, d, len);
			break;
		}
	}
	ike_engine_free(g.a);
	ike_engine_free(g.b);
	g.a = g.b = NULL;
	return 0;
}
