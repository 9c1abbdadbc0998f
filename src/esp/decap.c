/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Inbound ESP (RFC 4303 §3.4). The order matters: everything is read
 * through a cursor with the ICV taken from the tail; the replay window is
 * consulted before any cryptography and updated only after the ICV
 * verified (§3.4.3); not one byte of plaintext is looked at before then.
 */
#include "esp/sa.h"

#include "common/cur.h"
#include "esp/esp_priv.h"
#include "esp/esp_wire.h"

uint32_t esp_peek_spi(const struct pkt *p)
{
	struct cur c;
	uint32_t spi;

	cur_init(&c, pkt_data(p), p->len);
	return cur_u32(&c, &spi) ? spi : 0;
}

/* §2.4: the pad bytes are 1, 2, 3, ...; a receiver that checks them
 * catches a wrong key or a forged length that slipped past nothing else. */
static bool padding_ok(const uint8_t *pad, size_t pad_len)
{
	for (size_t i = 0; i < pad_len; i++)
		if (pad[i] != (uint8_t)(i + 1))
			return false;
	return true;
}

static enum esp_drop replay_drop(enum replay_verdict v)
{
	return v == REPLAY_OK ? ESP_DROP_NONE : ESP_DROP_REPLAY;
}

enum esp_drop esp_decap(struct esp_sa *sa, struct pkt *p, uint8_t *next_header)
{
	const struct crypto_alg_info *alg = sa->alg;
	const uint8_t *iv, *icv;
	uint8_t aad[12], hi[4], *body, *trailer;
	size_t aad_len, hi_len, body_len, pad_len;
	uint32_t spi, seq_lo;
	uint64_t seq;
	enum esp_drop d;
	struct cur c;

	*next_header = 0;
	cur_init_mut(&c, pkt_data(p), p->len);
	if (!cur_u32(&c, &spi) || !cur_u32(&c, &seq_lo) ||
	    !cur_bytes(&c, alg->iv_len, &iv) || !cur_tail(&c, alg->icv_len, &icv) ||
	    !cur_rest_mut(&c, &body, &body_len))
		return ESP_DROP_MALFORMED;
	/* The trailer must fit, and a block cipher needs whole blocks
	 * (checked before decrypting, as §3.4.2 expects). */
	if (spi != sa->spi || body_len < ESP_TRAILER_LEN ||
	    body_len % alg->block_len != 0)
		return ESP_DROP_MALFORMED;

	d = replay_drop(replay_check(&sa->replay, seq_lo, &seq));
	if (d != ESP_DROP_NONE)
		return d;
	aad_len = esp_build_aad(sa, seq, aad, hi, &hi_len);
	switch (crypto_open(sa->xform, aad, aad_len, iv, body, body_len, hi,
			    hi_len, icv)) {
	case 0:
		break;
	case IFS_ERR_INTEGRITY:
		return ESP_DROP_INTEGRITY;
	default:
		return ESP_DROP_CRYPTO;
	}
	/* Authentic: only now may the window move. A duplicate that raced
	 * its twin through decryption is caught here. */
	d = replay_drop(replay_commit(&sa->replay, seq));
	if (d != ESP_DROP_NONE)
		return d;

	trailer = body + body_len - ESP_TRAILER_LEN;
	pad_len = trailer[0];
	if (pad_len > body_len - ESP_TRAILER_LEN ||
	    !padding_ok(trailer - pad_len, pad_len))
		return ESP_DROP_PADDING;
	*next_header = trailer[1];
	if (!pkt_narrow(p, (size_t)(body - pkt_data(p)),
			body_len - ESP_TRAILER_LEN - pad_len))
		return ESP_DROP_MALFORMED;
	return ESP_DROP_NONE;
}
