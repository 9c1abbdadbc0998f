/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ESP that arrives before its inbound SA. When we offer a new inbound SPI
 * (IKE_AUTH, a Child SA rekey), the peer installs the SA when it answers
 * and may send on it at once; its first packets can then reach this
 * thread before the control thread has read the answer and handed the SA
 * over. Packets on an SPI the control thread said to expect wait here,
 * a bounded number, until the SA comes or the expectation ends.
 */
#include "net/worker_priv.h"

#include <stdlib.h>
#include <string.h>

static uint64_t early_until_s(uint64_t now_s)
{
	return now_s + WORKER_EARLY_S;
}

/* The index of spi's entry, n_early if there is none. */
static size_t early_index(const struct worker *w, uint32_t spi)
{
	size_t i = 0;

	while (i < w->n_early && w->early[i]->spi != spi)
		i++;
	return i;
}

static struct worker_early *early_find(const struct worker *w, uint32_t spi)
{
	size_t i = early_index(w, spi);

	return i < w->n_early ? w->early[i] : NULL;
}

static void early_free_packets(struct worker *w, struct worker_early *e)
{
	for (size_t i = 0; i < e->n; i++) {
		free(e->pkts[i].data);
		w->early_bytes -= e->pkts[i].len;
	}
	e->n = 0;
}

/* Drop entry i; its packets count as unknown SPIs (never delivered). */
static void early_drop(struct worker *w, size_t i)
{
	struct worker_early *e = w->early[i];

	esp_stat_add(&w->stats.unknown_spi, e->n);
	early_free_packets(w, e);
	free(e);
	w->early[i] = w->early[--w->n_early];
}

void worker_early_expect(struct worker *w, const struct worker_tunnel *t, uint32_t spi,
			 uint64_t now_s)
{
	struct worker_early *e = early_find(w, spi);

	if (e) {
		e->t = t;
		e->until_s = early_until_s(now_s);
		return;
	}
	if (w->n_early == WORKER_EARLY_SPIS)
		return;   /* the packets that would wait are dropped, as without this */
	e = calloc(1, sizeof(*e));
	if (!e)
		return;
	*e = (struct worker_early){ .spi = spi, .t = t, .until_s = early_until_s(now_s) };
	w->early[w->n_early++] = e;
}

bool worker_early_hold(struct worker *w, struct worker_sock *s, uint32_t spi,
		       const struct pkt *p, const struct sockaddr_storage *from,
		       socklen_t from_len)
{
	struct worker_early *e = early_find(w, spi);
	struct worker_early_pkt *ep;

	if (!e || e->n == WORKER_EARLY_PACKETS || w->early_bytes + p->len > WORKER_EARLY_BYTES)
		return false;
	ep = &e->pkts[e->n];
	ep->data = malloc(p->len);
	if (!ep->data)
		return false;
	memcpy(ep->data, pkt_data(p), p->len);
	ep->len = p->len;
	ep->s = s;
	memcpy(&ep->from, from, from_len);
	ep->from_len = from_len;
	e->n++;
	w->early_bytes += p->len;
	esp_stat_add(&w->stats.early_esp, 1);
	return true;
}

void worker_early_release(struct worker *w, uint32_t spi)
{
	size_t i = early_index(w, spi);
	struct worker_early *e;

	if (i == w->n_early)
		return;
	e = w->early[i];
	w->early[i] = w->early[--w->n_early];
	for (size_t k = 0; k < e->n; k++) {
		struct worker_early_pkt *ep = &e->pkts[k];
		struct pkt p;

		pkt_init(&p, ep->data, ep->len, 0);
		if (pkt_set_len(&p, ep->len))
			worker_deliver(w, ep->s, &p, &ep->from, ep->from_len);
	}
	early_free_packets(w, e);
	free(e);
}

void worker_early_expire(struct worker *w, uint64_t now_s)
{
	for (size_t i = 0; i < w->n_early;) {
		if (w->early[i]->until_s <= now_s)
			early_drop(w, i);
		else
			i++;
	}
}

void worker_early_forget_tunnel(struct worker *w, const struct worker_tunnel *t)
{
	for (size_t i = 0; i < w->n_early;) {
		if (!t || w->early[i]->t == t)
			early_drop(w, i);
		else
			i++;
	}
}
