/* SPDX-License-Identifier: BSD-2-Clause */
#include "common/wbuf.h"

#include <string.h>

void wbuf_init(struct wbuf *w, void *buf, size_t cap)
{
	w->p = buf;
	w->cap = buf ? cap : 0;
	w->len = 0;
	w->is_failed = false;
}

bool wbuf_reserve(struct wbuf *w, size_t n, uint8_t **out)
{
	*out = NULL;
	if (w->is_failed || n > w->cap - w->len) {
		w->is_failed = true;
		return false;
	}
	if (n == 0)
		return true;
	*out = w->p + w->len;
	w->len += n;
	return true;
}

bool wbuf_u8(struct wbuf *w, uint8_t v)
{
	uint8_t *b;

	if (!wbuf_reserve(w, 1, &b))
		return false;
	b[0] = v;
	return true;
}

bool wbuf_u16(struct wbuf *w, uint16_t v)
{
	uint8_t *b;

	if (!wbuf_reserve(w, 2, &b))
		return false;
	b[0] = (uint8_t)(v >> 8);
	b[1] = (uint8_t)v;
	return true;
}

bool wbuf_u32(struct wbuf *w, uint32_t v)
{
	uint8_t *b;

	if (!wbuf_reserve(w, 4, &b))
		return false;
	b[0] = (uint8_t)(v >> 24);
	b[1] = (uint8_t)(v >> 16);
	b[2] = (uint8_t)(v >> 8);
	b[3] = (uint8_t)v;
	return true;
}

bool wbuf_u64(struct wbuf *w, uint64_t v)
{
	uint8_t *b;

	/* Reserve all eight bytes first, so that a write that does not fit
	 * writes nothing, as every other writer does. */
	if (!wbuf_reserve(w, 8, &b))
		return false;
	for (int i = 0; i < 8; i++)
		b[i] = (uint8_t)(v >> (56 - 8 * i));
	return true;
}

bool wbuf_bytes(struct wbuf *w, const void *src, size_t n)
{
	uint8_t *b;

	if (!wbuf_reserve(w, n, &b))
		return false;
	if (n)
		memcpy(b, src, n);
	return true;
}

bool wbuf_fill(struct wbuf *w, uint8_t v, size_t n)
{
	uint8_t *b;

	if (!wbuf_reserve(w, n, &b))
		return false;
	if (n)
		memset(b, v, n);
	return true;
}

size_t wbuf_len(const struct wbuf *w)
{
	return w->len;
}

bool wbuf_ok(const struct wbuf *w)
{
	return !w->is_failed;
}
