/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The IKEv2 message codec on hostile bytes (RFC 7296 §3), three ways:
 *   - as a datagram: header, then the chain, then every decoder on every
 *     payload; and again with the header's Length patched to the size,
 *     so that mutations reach the chain whatever they do to the length;
 *   - as a bare chain (an SK plaintext) whose first payload type is the
 *     first byte;
 *   - the rest of the input as the body of each payload type.
 * Every payload that decodes is built again with the builder and parsed
 * again: that must succeed and give the same values (abort() if not),
 * and the same build into a heap buffer one byte short must fail
 * without writing past it.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ike/msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Big enough for any payload rebuilt from one of at most 65535 bytes. */
#define OUT_CAP (IKE_PL_GENERIC_HDR_LEN + UINT16_MAX)

static uint8_t out[OUT_CAP];
static uint8_t msg[IKE_MAX_MSG];
static struct ike_chain chain, rechain;
static struct ike_sa_pl sa, resa;
static struct ike_ts_pl ts, rets;

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

/* What a rebuild of one payload does: write it through a builder. */
typedef bool (*build_fn)(struct ike_builder *b, const void *arg);

/* Build into out and parse the result as a one-payload chain; then
 * build into a heap buffer one byte short, which must fail without
 * writing past it (ASan watches). */
static const struct ike_payload *rebuild(build_fn fn, const void *arg)
{
	struct ike_builder b;
	uint8_t *small, bad;
	size_t len;

	ike_build_begin_chain(&b, out, sizeof(out));
	CHECK(fn(&b, arg));
	len = ike_build_finish(&b);
	CHECK(len >= IKE_PL_GENERIC_HDR_LEN);
	CHECK(ike_chain_parse(b.first_type, out, len, &rechain, &bad) == IKE_CHAIN_OK);
	CHECK(rechain.n == 1 && rechain.n_unknown == 0);
	small = malloc(len - 1);
	if (small) {
		ike_build_begin_chain(&b, small, len - 1);
		CHECK(!fn(&b, arg));
		CHECK(ike_build_finish(&b) == 0);
		free(small);
	}
	return &rechain.v[0];
}

static bool build_sa(struct ike_builder *b, const void *arg)
{
	const struct ike_sa_pl *s = arg;

	return ike_build_sa(b, s->v, s->n);
}

static void same_prop(const struct ike_prop *a, const struct ike_prop *b)
{
	CHECK(a->num == b->num && a->protocol == b->protocol);
	CHECK(a->spi_len == b->spi_len && memcmp(a->spi, b->spi, a->spi_len) == 0);
	CHECK(a->n_xf == b->n_xf);
	for (size_t i = 0; i < a->n_xf; i++) {
		CHECK(a->xf[i].type == b->xf[i].type && a->xf[i].id == b->xf[i].id);
		CHECK(a->xf[i].key_bits == b->xf[i].key_bits);
		/* Unknown attributes are not sent again. */
		CHECK(!b->xf[i].has_unknown_attr);
	}
}

static void check_sa(const struct ike_payload *p)
{
	if (ike_decode_sa(p, &sa) != 0)
		return;
	CHECK(sa.n >= 1 && sa.n <= IKE_MAX_PROPOSALS);
	CHECK(ike_decode_sa(rebuild(build_sa, &sa), &resa) == 0);
	CHECK(resa.n == sa.n);
	for (size_t i = 0; i < sa.n; i++)
		same_prop(&sa.v[i], &resa.v[i]);
}

static bool build_ts(struct ike_builder *b, const void *arg)
{
	const struct ike_ts_pl *t = arg;

	return ike_build_ts(b, false, t->v, t->n);
}

static void check_ts(const struct ike_payload *p)
{
	if (ike_decode_ts(p, &ts) != 0)
		return;
	CHECK(ts.n + ts.n_unknown >= 1 && ts.n + ts.n_unknown <= IKE_MAX_TS);
	if (ts.n == 0)          /* only unknown selectors: nothing to send */
		return;
	CHECK(ike_decode_ts(rebuild(build_ts, &ts), &rets) == 0);
	CHECK(rets.n == ts.n && rets.n_unknown == 0);
	for (size_t i = 0; i < ts.n; i++) {
		const struct ike_ts *a = &ts.v[i], *b = &rets.v[i];

		CHECK(a->type == b->type && a->ip_proto == b->ip_proto);
		CHECK(a->start_port == b->start_port && a->end_port == b->end_port);
		CHECK(addr_eq(&a->start, &b->start) && addr_eq(&a->end, &b->end));
	}
}

static bool build_notify(struct ike_builder *b, const void *arg)
{
	const struct ike_notify_pl *n = arg;

	return ike_build_notify(b, n->protocol, n->spi, n->spi_len, n->type,
				n->data, n->len);
}

static void check_notify(const struct ike_payload *p)
{
	struct ike_notify_pl n, re;

	if (ike_decode_notify(p, &n) != 0)
		return;
	CHECK(ike_decode_notify(rebuild(build_notify, &n), &re) == 0);
	CHECK(re.protocol == n.protocol && re.type == n.type && re.len == n.len);
	CHECK(re.spi_len == n.spi_len);
	CHECK(n.spi_len == 0 || memcmp(re.spi, n.spi, n.spi_len) == 0);
	CHECK(n.len == 0 || memcmp(re.data, n.data, n.len) == 0);
}

static bool build_delete(struct ike_builder *b, const void *arg)
{
	const struct ike_delete_pl *d = arg;

	return ike_build_delete(b, d->protocol, d->spis, d->n_spi);
}

static void check_delete(const struct ike_payload *p)
{
	struct ike_delete_pl d, re;

	if (ike_decode_delete(p, &d) != 0)
		return;
	CHECK(ike_decode_delete(rebuild(build_delete, &d), &re) == 0);
	CHECK(re.protocol == d.protocol && re.n_spi == d.n_spi);
	CHECK(d.n_spi == 0 || memcmp(re.spis, d.spis, (size_t)d.n_spi * 4) == 0);
}

static bool build_ke(struct ike_builder *b, const void *arg)
{
	const struct ike_ke_pl *k = arg;

	return ike_build_ke(b, k->group, k->data, k->len);
}

static bool build_id(struct ike_builder *b, const void *arg)
{
	const struct ike_id_pl *id = arg;

	return ike_build_id(b, false, id->type, id->data, id->len);
}

static bool build_auth(struct ike_builder *b, const void *arg)
{
	const struct ike_auth_pl *a = arg;

	return ike_build_auth(b, a->method, a->data, a->len);
}

static bool build_nonce(struct ike_builder *b, const void *arg)
{
	const struct ike_nonce_pl *n = arg;

	return ike_build_nonce(b, n->data, n->len);
}

/* KE, ID, AUTH and Nonce: a type byte or two, RESERVED, data. */
static void check_simple(const struct ike_payload *p)
{
	struct ike_ke_pl k, rk;
	struct ike_id_pl id, rid;
	struct ike_auth_pl a, ra;
	struct ike_nonce_pl n, rn;

	if (ike_decode_ke(p, &k) == 0) {
		CHECK(ike_decode_ke(rebuild(build_ke, &k), &rk) == 0);
		CHECK(rk.group == k.group && rk.len == k.len);
		CHECK(memcmp(rk.data, k.data, k.len) == 0);
	}
	if (ike_decode_id(p, &id) == 0) {
		CHECK(id.body == p->body && id.body_len == p->len);
		CHECK(ike_decode_id(rebuild(build_id, &id), &rid) == 0);
		CHECK(rid.type == id.type && rid.len == id.len);
		CHECK(memcmp(rid.data, id.data, id.len) == 0);
	}
	if (ike_decode_auth(p, &a) == 0) {
		CHECK(ike_decode_auth(rebuild(build_auth, &a), &ra) == 0);
		CHECK(ra.method == a.method && ra.len == a.len);
		CHECK(memcmp(ra.data, a.data, a.len) == 0);
	}
	if (ike_decode_nonce(p, &n) == 0) {
		CHECK(ike_decode_nonce(rebuild(build_nonce, &n), &rn) == 0);
		CHECK(rn.len == n.len && memcmp(rn.data, n.data, n.len) == 0);
	}
}

/* Every decoder on p, whatever its type (a decoder may not rely on the
 * type being its own). */
static void decode_any(const struct ike_payload *p)
{
	check_sa(p);
	check_ts(p);
	check_notify(p);
	check_delete(p);
	check_simple(p);
}

/* The chain's promises, then each payload through its decoder. */
static void check_chain(const struct ike_chain *c, size_t len)
{
	size_t total = 0;

	CHECK(c->n + c->n_unknown <= IKE_MAX_PAYLOADS);
	for (size_t i = 0; i < c->n; i++) {
		const struct ike_payload *p = &c->v[i];
		bool is_sk = p->type == IKE_PL_SK || p->type == IKE_PL_SKF;

		CHECK(!is_sk || i + 1 == c->n);
		CHECK(ike_chain_count(c, p->type) >= 1);
		CHECK(ike_chain_find(c, p->type) <= p);
		CHECK(p->len <= UINT16_MAX - IKE_PL_GENERIC_HDR_LEN);
		total += p->len + IKE_PL_GENERIC_HDR_LEN;
		if (is_sk)
			CHECK(c->sk_offset + IKE_PL_GENERIC_HDR_LEN + p->len == len);
		else
			decode_any(p);
	}
	CHECK(total <= len);
}

static void as_message(const uint8_t *data, size_t size)
{
	struct ike_hdr h;
	uint8_t bad;

	if (ike_hdr_parse(data, size, &h) != 0)
		return;
	CHECK(h.length == size && size >= IKE_HDR_LEN);
	if (ike_msg_chain(&h, data, size, &chain, &bad) == IKE_CHAIN_OK)
		check_chain(&chain, size);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ike_payload p;
	uint8_t bad;

	as_message(data, size);
	if (size >= IKE_HDR_LEN && size <= sizeof(msg)) {
		memcpy(msg, data, size);
		msg[24] = (uint8_t)(size >> 24), msg[25] = (uint8_t)(size >> 16);
		msg[26] = (uint8_t)(size >> 8), msg[27] = (uint8_t)size;
		as_message(msg, size);
	}
	if (size < 1)
		return 0;
	if (ike_chain_parse(data[0], data + 1, size - 1, &chain, &bad) == IKE_CHAIN_OK)
		check_chain(&chain, size - 1);
	if (size - 1 <= UINT16_MAX - IKE_PL_GENERIC_HDR_LEN) {
		p.type = data[0];
		p.is_critical = false;
		p.body = data + 1;
		p.len = size - 1;
		decode_any(&p);
	}
	return 0;
}
