/* SPDX-License-Identifier: BSD-2-Clause */
#include "esp/sa.h"

#include <stdlib.h>
#include <time.h>

#include "esp/esp_wire.h"

static const char *const drop_names[ESP_DROP_COUNT] = {
	[ESP_DROP_NONE] = "none",
	[ESP_DROP_UNKNOWN_SPI] = "unknown_spi",
	[ESP_DROP_MALFORMED] = "malformed",
	[ESP_DROP_REPLAY] = "replay",
	[ESP_DROP_INTEGRITY] = "integrity",
	[ESP_DROP_PADDING] = "padding",
	[ESP_DROP_EXHAUSTED] = "exhausted",
	[ESP_DROP_LOOP] = "loop",
	[ESP_DROP_NO_SA] = "no_sa",
	[ESP_DROP_CRYPTO] = "crypto",
	[ESP_DROP_TOO_BIG] = "too_big",
};

const char *esp_drop_name(enum esp_drop d)
{
	if ((unsigned)d >= ESP_DROP_COUNT)
		return "?";
	return drop_names[d];
}

int esp_sa_new(struct esp_sa **out, const struct esp_sa_params *p,
	       struct esp_sa_stats *stats)
{
	struct esp_sa *sa;
	int err;

	*out = NULL;
	if (p->spi < ESP_SPI_MIN)
		return IFS_ERR_RANGE;
	sa = calloc(1, sizeof(*sa));
	if (!sa)
		return IFS_ERR_NOMEM;
	sa->spi = p->spi;
	sa->is_inbound = p->is_inbound;
	sa->is_esn = p->is_esn;
	sa->stats = stats;
	sa->alg = crypto_alg_info(p->alg);
	err = sa->alg ? 0 : IFS_ERR_INVAL;
	if (!err)
		err = crypto_xform_new(&sa->xform, p->alg, p->key, p->key_len,
				       !p->is_inbound);
	if (!err && p->is_inbound)
		err = replay_init(&sa->replay, p->replay_window, p->is_esn);
	if (err) {
		esp_sa_free(sa);
		return err;
	}
	*out = sa;
	return 0;
}

void esp_sa_free(struct esp_sa *sa)
{
	if (!sa)
		return;
	crypto_xform_free(sa->xform);
	replay_clear(&sa->replay);
	free(sa);
}

void esp_sa_count_seqs(struct esp_sa *sa, uint64_t seq_before)
{
	if (sa->stats && sa->seq > seq_before)
		esp_stat_add(&sa->stats->seq_used, sa->seq - seq_before);
}

void esp_sa_count(struct esp_sa *sa, enum esp_drop d, size_t inner_len)
{
	if (!sa->stats)
		return;
	if (d == ESP_DROP_NONE) {
		struct timespec now;

		esp_stat_add(&sa->stats->packets, 1);
		esp_stat_add(&sa->stats->bytes, inner_len);
		/* The coarse clock is a read of the vDSO page, no system call. */
		clock_gettime(CLOCK_MONOTONIC_COARSE, &now);
		if (esp_stat_get(&sa->stats->last_used_s) != (uint64_t)now.tv_sec)
			atomic_store_explicit(&sa->stats->last_used_s, (uint64_t)now.tv_sec,
					      memory_order_relaxed);
	} else if ((unsigned)d < ESP_DROP_COUNT) {
		esp_stat_add(&sa->stats->drops[d], 1);
	}
}
