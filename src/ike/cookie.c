/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Responder defences for IKE_SA_INIT (RFC 7296 §2.6, strongSwan's
 * receiver): cookies once too many SAs are half-open (overall or from
 * one source), and dropping above hard limits. A source is an IPv4
 * address or an IPv6 /64.
 *
 * Cookie = version(1) | time(4, seconds) | HMAC-SHA-256(secret[version],
 * time | SPIi | Ni | IPi | port)[0..16]. The secret changes every 120 s
 * and the previous one is still accepted; a cookie is good for 10 s.
 */
#include "ike/ike_int.h"

#include <string.h>

#define COOKIE_SECRET_SWITCH_MS 120000
#define COOKIE_LIFETIME_S 10
#define COOKIE_MAC_LEN 16

static void maybe_switch_secret(struct ike_engine *e, uint64_t now)
{
	if (now - e->cookie_secret_since < COOKIE_SECRET_SWITCH_MS)
		return;
	e->cookie_version ^= 1;
	if (crypto_random(e->cookie_secret[e->cookie_version], sizeof(e->cookie_secret[0])) != 0)
		e->cookie_version ^= 1;   /* keep the old one rather than none */
	e->cookie_secret_since = now;
}

static void cookie_mac(const struct ike_engine *e, uint8_t version, uint32_t t,
		       const struct ike_path *p, uint64_t spi_i, const uint8_t *ni,
		       size_t ni_len, uint8_t out[CRYPTO_PRF_MAX_LEN])
{
	uint8_t fixed[4 + 8 + 2];
	struct crypto_iov in[3] = {
		{ fixed, sizeof(fixed) }, { ni, ni_len },
		{ addr_bytes(&p->remote), addr_len(&p->remote) },
	};

	for (int i = 0; i < 4; i++)
		fixed[i] = (uint8_t)(t >> (24 - 8 * i));
	for (int i = 0; i < 8; i++)
		fixed[4 + i] = (uint8_t)(spi_i >> (56 - 8 * i));
	fixed[12] = (uint8_t)(p->remote_port >> 8);
	fixed[13] = (uint8_t)p->remote_port;
	if (crypto_prf(CRYPTO_PRF_HMAC_SHA256, e->cookie_secret[version & 1],
		       sizeof(e->cookie_secret[0]), in, 3, out) != 0)
		memset(out, 0, CRYPTO_PRF_MAX_LEN);
}

void ike_cookie_make(struct ike_engine *e, const struct ike_path *p, uint64_t spi_i,
		     const uint8_t *ni, size_t ni_len, uint8_t out[IKE_COOKIE_LEN])
{
	uint64_t now = ike_now(e);
	uint32_t t = (uint32_t)(now / 1000);
	uint8_t mac[CRYPTO_PRF_MAX_LEN];

	maybe_switch_secret(e, now);
	cookie_mac(e, e->cookie_version, t, p, spi_i, ni, ni_len, mac);
	out[0] = e->cookie_version;
	for (int i = 0; i < 4; i++)
		out[1 + i] = (uint8_t)(t >> (24 - 8 * i));
	memcpy(out + 5, mac, COOKIE_MAC_LEN);
}

bool ike_cookie_check(struct ike_engine *e, const struct ike_path *p, uint64_t spi_i,
		      const uint8_t *ni, size_t ni_len, const uint8_t *cookie, size_t len)
{
	uint64_t now_s = ike_now(e) / 1000;
	uint8_t mac[CRYPTO_PRF_MAX_LEN];
	uint32_t t;

	if (len != IKE_COOKIE_LEN || cookie[0] > 1)
		return false;
	t = (uint32_t)cookie[1] << 24 | (uint32_t)cookie[2] << 16 |
	    (uint32_t)cookie[3] << 8 | cookie[4];
	if (t > now_s || now_s - t > COOKIE_LIFETIME_S)
		return false;
	cookie_mac(e, cookie[0], t, p, spi_i, ni, ni_len, mac);
	return crypto_mem_equal(mac, cookie + 5, COOKIE_MAC_LEN);
}

bool ike_cookie_required(const struct ike_engine *e, const struct ifs_addr *a)
{
	if (e->s.cookie_threshold && e->n_half_open >= e->s.cookie_threshold)
		return true;
	return e->s.cookie_threshold_ip && ike_half_open_from(e, a) >= e->s.cookie_threshold_ip;
}

bool ike_init_blocked(const struct ike_engine *e, const struct ifs_addr *a)
{
	if (e->s.init_limit_half_open && e->n_half_open >= e->s.init_limit_half_open)
		return true;
	return e->s.block_threshold && ike_half_open_from(e, a) >= e->s.block_threshold;
}
