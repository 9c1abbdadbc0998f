/* SPDX-License-Identifier: BSD-2-Clause */
#include "common/cur.h"

#include <string.h>

void cur_init(struct cur *c, const void *buf, size_t len)
{
	/* The pointer loses its const here only; cur_*_mut() refuse to hand
	 * it out again unless the cursor was made with cur_init_mut(). */
	c->p = (uint8_t *)(uintptr_t)buf;
	c->left = buf ? len : 0;
	c->is_failed = buf == NULL && len > 0;
	c->is_mutable = false;
}

void cur_init_mut(struct cur *c, void *buf, size_t len)
{
	cur_init(c, buf, len);
	c->is_mutable = true;
}

static bool fail(struct cur *c)
{
	c->is_failed = true;
	c->left = 0;
	return false;
}

/* The one place that advances the pointer: after the check n <= left. */
static bool take(struct cur *c, size_t n, uint8_t **out)
{
	*out = NULL;
	if (c->is_failed || n > c->left)
		return fail(c);
	*out = c->p;
	c->p += n;
	c->left -= n;
	return true;
}

static bool take_tail(struct cur *c, size_t n, uint8_t **out)
{
	*out = NULL;
	if (c->is_failed || n > c->left)
		return fail(c);
	c->left -= n;
	*out = c->p + c->left;
	return true;
}

bool cur_u8(struct cur *c, uint8_t *v)
{
	uint8_t *b;

	*v = 0;
	if (!take(c, 1, &b))
		return false;
	*v = b[0];
	return true;
}

bool cur_u16(struct cur *c, uint16_t *v)
{
	uint8_t *b;

	*v = 0;
	if (!take(c, 2, &b))
		return false;
	*v = (uint16_t)((unsigned)b[0] << 8 | b[1]);
	return true;
}

bool cur_u32(struct cur *c, uint32_t *v)
{
	uint8_t *b;

	*v = 0;
	if (!take(c, 4, &b))
		return false;
	*v = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	     (uint32_t)b[2] << 8 | b[3];
	return true;
}

bool cur_u64(struct cur *c, uint64_t *v)
{
	uint32_t hi, lo;

	*v = 0;
	if (!cur_u32(c, &hi) || !cur_u32(c, &lo))
		return false;
	*v = (uint64_t)hi << 32 | lo;
	return true;
}

bool cur_bytes(struct cur *c, size_t n, const uint8_t **out)
{
	uint8_t *b;
	bool ok = take(c, n, &b);

	*out = b;
	return ok;
}

bool cur_bytes_mut(struct cur *c, size_t n, uint8_t **out)
{
	*out = NULL;
	if (!c->is_mutable)
		return fail(c);
	return take(c, n, out);
}

bool cur_copy(struct cur *c, void *dst, size_t n)
{
	uint8_t *b;

	if (!take(c, n, &b)) {
		if (n)
			memset(dst, 0, n);
		return false;
	}
	if (n)          /* b may be NULL for an empty buffer */
		memcpy(dst, b, n);
	return true;
}

bool cur_skip(struct cur *c, size_t n)
{
	uint8_t *b;

	return take(c, n, &b);
}

bool cur_sub(struct cur *c, size_t n, struct cur *sub)
{
	uint8_t *b;
	bool is_mutable = c->is_mutable;

	if (!take(c, n, &b)) {
		cur_init(sub, NULL, 1);
		return false;
	}
	cur_init(sub, b, n);
	sub->is_mutable = is_mutable;
	return true;
}

bool cur_tail(struct cur *c, size_t n, const uint8_t **out)
{
	uint8_t *b;
	bool ok = take_tail(c, n, &b);

	*out = b;
	return ok;
}

bool cur_tail_mut(struct cur *c, size_t n, uint8_t **out)
{
	*out = NULL;
	if (!c->is_mutable)
		return fail(c);
	return take_tail(c, n, out);
}

bool cur_rest(struct cur *c, const uint8_t **out, size_t *len)
{
	*len = c->is_failed ? 0 : c->left;
	return cur_bytes(c, *len, out);
}

bool cur_rest_mut(struct cur *c, uint8_t **out, size_t *len)
{
	size_t n = c->is_failed ? 0 : c->left;

	*len = 0;
	if (!cur_bytes_mut(c, n, out))
		return false;
	*len = n;
	return true;
}

bool cur_peek_u8(const struct cur *c, uint8_t *v)
{
	struct cur copy = *c;

	return cur_u8(&copy, v);
}

bool cur_peek_u32(const struct cur *c, uint32_t *v)
{
	struct cur copy = *c;

	return cur_u32(&copy, v);
}

size_t cur_left(const struct cur *c)
{
	return c->is_failed ? 0 : c->left;
}

bool cur_ok(const struct cur *c)
{
	return !c->is_failed;
}

bool cur_end(const struct cur *c)
{
	return !c->is_failed && c->left == 0;
}
