/* SPDX-License-Identifier: BSD-2-Clause */
#include "common/pkt.h"

void pkt_init(struct pkt *p, void *buf, size_t cap, size_t headroom)
{
	p->buf = buf;
	p->cap = cap;
	pkt_reset(p, headroom);
}

void pkt_reset(struct pkt *p, size_t headroom)
{
	p->off = headroom <= p->cap ? headroom : p->cap;
	p->len = 0;
}

uint8_t *pkt_data(const struct pkt *p)
{
	return p->buf + p->off;
}

size_t pkt_headroom(const struct pkt *p)
{
	return p->off;
}

size_t pkt_tailroom(const struct pkt *p)
{
	return p->cap - p->off - p->len;
}

bool pkt_push(struct pkt *p, size_t n, uint8_t **hdr)
{
	*hdr = NULL;
	if (n > p->off)
		return false;
	p->off -= n;
	p->len += n;
	*hdr = p->buf + p->off;
	return true;
}

bool pkt_put(struct pkt *p, size_t n, uint8_t **tail)
{
	*tail = NULL;
	if (n > pkt_tailroom(p))
		return false;
	*tail = p->buf + p->off + p->len;
	p->len += n;
	return true;
}

bool pkt_pull(struct pkt *p, size_t n)
{
	if (n > p->len)
		return false;
	p->off += n;
	p->len -= n;
	return true;
}

bool pkt_set_len(struct pkt *p, size_t len)
{
	if (len > p->cap - p->off)
		return false;
	p->len = len;
	return true;
}

bool pkt_trim(struct pkt *p, size_t len)
{
	if (len > p->len)
		return false;
	p->len = len;
	return true;
}

bool pkt_narrow(struct pkt *p, size_t start, size_t len)
{
	if (start > p->len || len > p->len - start)
		return false;
	p->off += start;
	p->len = len;
	return true;
}
