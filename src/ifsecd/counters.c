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

static void write_sa(FILE *f, const struct tunnel *t, const char *dir, uint32_t spi,
		     const char *transform, const struct esp_sa_stats *s)
{
	fprintf(f, "sa tunnel=%s dir=%s spi=0x%08x transform=%s packets=%llu bytes=%llu dummies=%llu",
		t->conf->name, dir, spi, transform,
		(unsigned long long)esp_stat_get(&s->packets),
		(unsigned long long)esp_stat_get(&s->bytes),
		(unsigned long long)esp_stat_get(&s->dummies));
	write_drops(f, s);
	fputc('\n', f);
}

static void write_global(FILE *f, const struct worker_stats *ws)
{
	fprintf(f, "global unknown_spi=%llu malformed=%llu keepalives=%llu "
		"keepalives_sent=%llu early_esp=%llu ike_handed_over=%llu ike_queue_full=%llu "
		"send_errors=%llu tun_write_errors=%llu inbound_sas=%llu\n",
		(unsigned long long)esp_stat_get(&ws->unknown_spi),
		(unsigned long long)esp_stat_get(&ws->malformed),
		(unsigned long long)esp_stat_get(&ws->keepalives),
		(unsigned long long)esp_stat_get(&ws->keepalives_sent),
		(unsigned long long)esp_stat_get(&ws->early_esp),
		(unsigned long long)esp_stat_get(&ws->ike_handed_over),
		(unsigned long long)esp_stat_get(&ws->ike_queue_full),
		(unsigned long long)esp_stat_get(&ws->send_errors),
		(unsigned long long)esp_stat_get(&ws->tun_write_errors),
		(unsigned long long)esp_stat_get(&ws->inbound_sas));
}

static void write_ike(FILE *f, const struct ike_stats *st)
{
	fprintf(f, "ike rx=%llu rx_dropped=%llu rx_bad_syntax=%llu rx_integrity=%llu "
		"rx_unknown_spi=%llu rx_retransmits=%llu rx_blocked=%llu cookies_sent=%llu "
		"half_open=%llu established=%llu tx=%llu tx_retransmits=%llu ke_offloaded=%llu\n",
		(unsigned long long)st->rx, (unsigned long long)st->rx_dropped,
		(unsigned long long)st->rx_bad_syntax, (unsigned long long)st->rx_integrity,
		(unsigned long long)st->rx_unknown_spi, (unsigned long long)st->rx_retransmits,
		(unsigned long long)st->rx_blocked, (unsigned long long)st->cookies_sent,
		(unsigned long long)st->half_open, (unsigned long long)st->established,
		(unsigned long long)st->tx, (unsigned long long)st->tx_retransmits,
		(unsigned long long)st->ke_offloaded);
}

/* A negotiated tunnel's SAs as the engine knows them (none: SPI 0). */
static void write_tunnel_sas(FILE *f, const struct tunnel *t, const struct ike_engine *e)
{
	struct ike_conn_status st = { 0 };

	if (!t->conf->ike) {
		write_sa(f, t, "in", t->conf->in.spi, crypto_alg_info(t->conf->in.alg)->name,
			 &t->in_stats);
		write_sa(f, t, "out", t->conf->out.spi, crypto_alg_info(t->conf->out.alg)->name,
			 &t->out_stats);
		return;
	}
	if (!e || ike_engine_status(e, (void *)t, &st) != 0 || !st.has_child)
		st.esp_proposal[0] = '\0';
	fprintf(f, "ike_sa tunnel=%s state=%s spi_i=%016llx spi_r=%016llx\n", t->conf->name,
		ike_sa_state_name(st.state), (unsigned long long)st.spi_i,
		(unsigned long long)st.spi_r);
	write_sa(f, t, "in", st.child_spi_in, st.esp_proposal[0] ? st.esp_proposal : "none",
		 &t->in_stats);
	write_sa(f, t, "out", st.child_spi_out, st.esp_proposal[0] ? st.esp_proposal : "none",
		 &t->out_stats);
}

int counters_write(const char *path, uint64_t generation, const struct tunnels *ts,
		   const struct worker_stats *ws, const struct ike_engine *e)
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
	if (e)
		write_ike(f, ike_engine_stats(e));
	for (size_t i = 0; i < ts->n; i++) {
		const struct tunnel *t = ts->v[i];

		fprintf(f, "tunnel name=%s interface=%s mtu=%u", t->conf->name,
			t->conf->ifname, t->mtu);
		write_drops(f, &t->stats);
		fputc('\n', f);
		write_tunnel_sas(f, t, e);
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
