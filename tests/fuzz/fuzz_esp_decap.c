/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ESP decapsulation on hostile bytes. The first byte picks the transform,
 * ESN, the replay window and the mode:
 *   raw    the rest is an ESP packet as it arrives (all checks before and
 *          at the ICV);
 *   sealed the rest is a plaintext body (payload, padding, trailer) that
 *          is encrypted and authenticated with the fixed key first, so that
 *          the checks behind the ICV (replay commit, padding, next header,
 *          inner IP packet) see arbitrary input too.
 * Several packets can be chained (split at the byte sequence "ESP!") to
 * drive the replay window through sequences of numbers.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "esp/esp_wire.h"
#include "esp/sa.h"

#define BUF (ESP_MAX_HEADROOM + 70000 + ESP_MAX_TAILROOM)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t buf[BUF];
static bool is_ready;

static const uint8_t *next_chunk(const uint8_t **p, size_t *left, size_t *len)
{
	const uint8_t *start = *p, *sep = memmem(*p, *left, "ESP!", 4);

	*len = sep ? (size_t)(sep - start) : *left;
	*p += sep ? *len + 4 : *len;
	*left -= sep ? *len + 4 : *len;
	return start;
}

static void sealed(struct esp_sa *out, struct esp_sa *in, const uint8_t *body,
		   size_t len, uint32_t seq)
{
	const struct crypto_alg_info *a = out->alg;
	uint8_t aad[8] = { 0, 0, 0x10, 0x00 }, nh;
	struct pkt p;
	uint8_t *d;

	if (len % a->block_len != 0 || len > 65000)
		return;
	aad[4] = (uint8_t)(seq >> 24), aad[5] = (uint8_t)(seq >> 16);
	aad[6] = (uint8_t)(seq >> 8), aad[7] = (uint8_t)seq;
	pkt_init(&p, buf, BUF, 0);
	if (!pkt_put(&p, ESP_HDR_LEN + a->iv_len + len + a->icv_len, &d))
		return;
	memcpy(d, aad, 8);
	if (crypto_make_iv(out->xform, seq, d + 8) != 0)
		return;
	memcpy(d + 8 + a->iv_len, body, len);
	if (crypto_seal(out->xform, aad, 8, d + 8, d + 8 + a->iv_len, len, NULL, 0,
			d + 8 + a->iv_len + len) != 0)
		return;
	if (esp_decap(in, &p, &nh) == ESP_DROP_NONE && nh != ESP_NH_NONE)
		(void)esp_tunnel_inner_check(&p, nh);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint32_t windows[] = { 0, 1, 64, 1024 };
	uint8_t key[96] = { 0 }, nh, mode; /* the longest: aes256-sha512 */
	struct esp_sa_params params = { .spi = 0x1000, .key = key };
	struct esp_sa *out = NULL, *in = NULL;
	uint32_t seq = 0;

	if (!is_ready) {
		if (crypto_init() != 0)
			return 0;
		is_ready = true;
	}
	if (size < 1)
		return 0;
	mode = data[0];
	params.alg = (enum crypto_alg)(mode % CRYPTO_ALG_COUNT);
	params.key_len = crypto_alg_info(params.alg)->key_len;
	params.is_esn = mode & 0x08;
	params.replay_window = windows[(mode >> 4) & 3];
	data++, size--;
	if (esp_sa_new(&out, &params, NULL) != 0)
		return 0;
	params.is_inbound = true;
	if (esp_sa_new(&in, &params, NULL) != 0)
		goto out;
	while (size > 0) {
		size_t len;
		const uint8_t *chunk = next_chunk(&data, &size, &len);

		if (mode & 0x40) {
			/* the first two bytes of a chunk are its sequence number's
			 * low bits, so that replays and jumps happen */
			if (len < 2)
				continue;
			seq = (uint32_t)chunk[0] << 8 | chunk[1];
			sealed(out, in, chunk + 2, len - 2, seq);
		} else if (len <= 65000) {
			struct pkt p;
			uint8_t *d;

			pkt_init(&p, buf, BUF, ESP_MAX_HEADROOM);
			if (pkt_put(&p, len, &d)) {
				memcpy(d, chunk, len);
				if (esp_decap(in, &p, &nh) == ESP_DROP_NONE)
					(void)esp_tunnel_inner_check(&p, nh);
			}
		}
	}
out:
	esp_sa_free(in);
	esp_sa_free(out);
	return 0;
}
