/* SPDX-License-Identifier: BSD-2-Clause */
/* Outbound ESP (RFC 4303 §3.3): pad, number, encrypt, authenticate. */
#include "esp/sa.h"

#include <string.h>

#include "common/wbuf.h"
#include "esp/esp_priv.h"
#include "esp/esp_wire.h"

/* §2.4: pad so that the payload, padding, pad length and next header end
 * on the cipher's block boundary (at least 4 bytes); the pad bytes are
 * 1, 2, 3, ... */
static bool append_trailer(struct pkt *p, size_t align, uint8_t next_header)
{
	size_t pad_len = (align - (p->len + ESP_TRAILER_LEN) % align) % align;
	uint8_t *t;

	if (!pkt_put(p, pad_len + ESP_TRAILER_LEN, &t))
		return false;
	for (size_t i = 0; i < pad_len; i++)
		t[i] = (uint8_t)(i + 1);
	t[pad_len] = (uint8_t)pad_len;
	t[pad_len + 1] = next_header;
	return true;
}

/* §3.3.3: the sender's counter starts at 1 and never cycles; an SA that
 * used every number must be replaced (by rekeying). */
static bool next_seq(struct esp_sa *sa)
{
	uint64_t limit = sa->is_esn ? UINT64_MAX : UINT32_MAX;

	if (sa->seq >= limit) {
		sa->is_exhausted = true;
		return false;
	}
	sa->seq++;
	return true;
}

size_t esp_build_aad(const struct esp_sa *sa, uint64_t seq, uint8_t aad[12],
		     uint8_t hi[4], size_t *hi_len)
{
	struct wbuf w;

	wbuf_init(&w, aad, 12);
	wbuf_u32(&w, sa->spi);
	*hi_len = 0;
	if (sa->is_esn && sa->alg->is_aead)
		wbuf_u32(&w, (uint32_t)(seq >> 32));
	wbuf_u32(&w, (uint32_t)seq);
	if (sa->is_esn && !sa->alg->is_aead) {
		struct wbuf wh;

		wbuf_init(&wh, hi, 4);
		wbuf_u32(&wh, (uint32_t)(seq >> 32));
		*hi_len = 4;
	}
	return wbuf_len(&w);
}

enum esp_drop esp_encap(struct esp_sa *sa, struct pkt *p, uint8_t next_header)
{
	const struct crypto_alg_info *alg = sa->alg;
	uint8_t aad[12], hi[4], *icv, *iv, *hdr;
	size_t aad_len, hi_len, payload_len;
	struct wbuf w;

	if (sa->is_exhausted || !next_seq(sa))
		return ESP_DROP_EXHAUSTED;
	if (!append_trailer(p, alg->pad_align, next_header))
		return ESP_DROP_TOO_BIG;
	payload_len = p->len;
	if (!pkt_push(p, alg->iv_len, &iv) || !pkt_push(p, ESP_HDR_LEN, &hdr) ||
	    !pkt_put(p, alg->icv_len, &icv))
		return ESP_DROP_TOO_BIG;
	wbuf_init(&w, hdr, ESP_HDR_LEN);
	wbuf_u32(&w, sa->spi);
	wbuf_u32(&w, (uint32_t)sa->seq);
	if (crypto_make_iv(sa->xform, sa->seq, iv) != 0)
		return ESP_DROP_CRYPTO;
	aad_len = esp_build_aad(sa, sa->seq, aad, hi, &hi_len);
	if (crypto_seal(sa->xform, aad, aad_len, iv, iv + alg->iv_len,
			payload_len, hi, hi_len, icv) != 0)
		return ESP_DROP_CRYPTO;
	return ESP_DROP_NONE;
}
