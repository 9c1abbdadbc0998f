/* SPDX-License-Identifier: BSD-2-Clause */
#include "ifsecd/counters.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void write_drops(FILE *f, const struct esp_sa_stats *s)
{
	for (int d = ESP_DROP_NONE + 1; d < ESP_DROP_COUNT; d++)
		fprintf(f, " drop_%s=%llu", esp_drop_name((enum esp_drop)d),
			(unsigned long long)esp_stat_get(&s->drops[d]));
}

static void write_sa(FILE *f, const struct tunnel *t, const char *dir,
		     const struct conf_manual_sa *ms, const struct esp_sa_stats *s)
{
	fprintf(f, "sa tunnel=%s dir=%s spi=0x%08x transform=%s packets=%llu bytes=%llu dummies=%llu",
		t->conf->name, dir, ms->spi, crypto_alg_info(ms->alg)->name,
		(unsigned long long)esp_stat_get(&s->packets),
		(unsigned long long)esp_stat_get(&s->bytes),
		(unsigned long long)esp_stat_get(&s->dummies));
	write_drops(f, s);
	fputc('\n', f);
}

static void write_global(FILE *f, const struct worker_stats *ws)
{
	fprintf(f, "global unknown_spi=%llu malformed=%llu keepalives=%llu "
		"ike_handed_over=%llu ike_queue_full=%llu send_errors=%llu "
		"tun_write_errors=%llu\n",
		(unsigned long long)esp_stat_get(&ws->unknown_spi),
		(unsigned long long)esp_stat_get(&ws->malformed),
		(unsigned long long)esp_stat_get(&ws->keepalives),
		(unsigned long long)esp_stat_get(&ws->ike_handed_over),
		(unsigned long long)esp_stat_get(&ws->ike_queue_full),
		(unsigned long long)esp_stat_get(&ws->send_errors),
		(unsigned long long)esp_stat_get(&ws->tun_write_errors));
}

int counters_write(const char *path, uint64_t generation,
		   const struct tunnels *ts, const struct worker_stats *ws)
{
	char tmp[4096];
	FILE *f;
	int saved;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		return IFS_ERR_RANGE;
	f = fopen(tmp, "we");
	if (!f)
		return IFS_ERR_SYS;
	fprintf(f, "generation=%llu\n", (unsigned long long)generation);
	write_global(f, ws);
	for (size_t i = 0; i < ts->n; i++) {
		const struct tunnel *t = &ts->v[i];

		fprintf(f, "tunnel name=%s interface=%s mtu=%u", t->conf->name,
			t->conf->ifname, t->mtu);
		write_drops(f, &t->stats);
		fputc('\n', f);
		write_sa(f, t, "in", &t->conf->in, &t->in_stats);
		write_sa(f, t, "out", &t->conf->out, &t->out_stats);
	}
	bool is_bad = ferror(f) != 0;

	if (fclose(f) != 0 || is_bad || rename(tmp, path) != 0) {
		saved = errno;
		unlink(tmp);
		errno = saved;
		return IFS_ERR_SYS;
	}
	return 0;
}
