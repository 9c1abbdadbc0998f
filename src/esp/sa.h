/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef IFS_ESP_SA_H
#define IFS_ESP_SA_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include "common/err.h"
#include "common/pkt.h"
#include "crypto/crypto.h"
#include "esp/replay.h"

/*
 * An ESP security association as the data plane sees it: SPI, keyed
 * transform, sequence state and counters. It knows nothing of IKE or of
 * the tunnel that uses it; the mode is the caller's business (encap takes
 * a next header, decap returns one), so that transport mode (GRE over
 * ESP) can reuse it.
 */

/* Why a packet was dropped: every reason has a counter. */
enum esp_drop {
	ESP_DROP_NONE,
	ESP_DROP_UNKNOWN_SPI,
	ESP_DROP_MALFORMED,    /* too short, misaligned, bad inner packet */
	ESP_DROP_REPLAY,
	ESP_DROP_INTEGRITY,
	ESP_DROP_PADDING,      /* pad length or pad bytes wrong (§2.4) */
	ESP_DROP_EXHAUSTED,    /* outbound: sequence numbers used up */
	ESP_DROP_LOOP,         /* outbound: would loop back into the tunnel */
	ESP_DROP_NO_SA,        /* outbound: no SA installed */
	ESP_DROP_CRYPTO,       /* the crypto library failed */
	ESP_DROP_TOO_BIG,      /* no room for the encapsulation */
	ESP_DROP_COUNT,
};

const char *esp_drop_name(enum esp_drop d);

/* Counters of one SA, written by the one worker that owns the SA and read
 * by the control thread at any time: relaxed atomics, no lock. */
struct esp_sa_stats {
	atomic_uint_fast64_t packets;
	atomic_uint_fast64_t bytes;      /* inner bytes */
	atomic_uint_fast64_t last_used_s;/* CLOCK_MONOTONIC_COARSE seconds of the last packet */
	atomic_uint_fast64_t dummies;    /* next header 59, discarded */
	/* Outbound: sequence numbers taken, sent or not (counted once a
	 * batch, by the caller of esp_encap). */
	atomic_uint_fast64_t seq_used;
	atomic_uint_fast64_t drops[ESP_DROP_COUNT];
};

static inline void esp_stat_add(atomic_uint_fast64_t *c, uint64_t n)
{
	atomic_fetch_add_explicit(c, n, memory_order_relaxed);
}

static inline uint64_t esp_stat_get(const atomic_uint_fast64_t *c)
{
	return atomic_load_explicit(c, memory_order_relaxed);
}

struct esp_sa_params {
	uint32_t spi;              /* host order */
	enum crypto_alg alg;
	const uint8_t *key;
	size_t key_len;
	bool is_inbound;
	bool is_esn;
	uint32_t replay_window;    /* inbound only */
};

struct esp_sa {
	uint32_t spi;
	bool is_inbound;
	bool is_esn;
	bool is_exhausted;
	const struct crypto_alg_info *alg;
	struct crypto_xform *xform;
	uint64_t seq;              /* outbound: last number sent */
	struct replay replay;      /* inbound */
	struct esp_sa_stats *stats;
	void *owner;               /* the user's object (a tunnel) */
};

int esp_sa_new(struct esp_sa **out, const struct esp_sa_params *p,
	       struct esp_sa_stats *stats) IFS_MUST_CHECK;
void esp_sa_free(struct esp_sa *sa);

/*
 * Outbound: turn the payload in p (an inner IP packet in tunnel mode)
 * into an ESP packet in place, from the SPI to the ICV. p needs
 * ESP_MAX_HEADROOM bytes before and ESP_MAX_TAILROOM after its data.
 * Returns ESP_DROP_NONE or why it could not.
 */
enum esp_drop esp_encap(struct esp_sa *sa, struct pkt *p, uint8_t next_header);

/* Inbound, step 1: the SPI of an ESP packet (0 when too short). */
uint32_t esp_peek_spi(const struct pkt *p);
/*
 * Inbound, step 2: authenticate and decrypt the ESP packet in p (SPI to
 * ICV) with its SA, check replay, padding and trailer, and leave the
 * payload in p. *next_header is set to the trailer's next header
 * (ESP_NH_NONE for a dummy packet, which the caller discards). The SA's
 * counters are not touched; the caller counts the verdict.
 */
enum esp_drop esp_decap(struct esp_sa *sa, struct pkt *p, uint8_t *next_header);

/* Tunnel mode: check that p holds one IPv4 or IPv6 packet matching
 * next_header with a consistent length, and trim trailing TFC padding
 * (RFC 4303 §2.7). */
enum esp_drop esp_tunnel_inner_check(struct pkt *p, uint8_t next_header);

/* Count a verdict on the SA. */
void esp_sa_count(struct esp_sa *sa, enum esp_drop d, size_t inner_len);
/* Outbound: count the sequence numbers sa took since its counter was
 * seq_before (a batch's worth: one atomic add, not one a packet). */
void esp_sa_count_seqs(struct esp_sa *sa, uint64_t seq_before);

#endif
