/* SPDX-License-Identifier: BSD-2-Clause */
#include "esp/replay.h"

#include <stdlib.h>

#define BLOCK_BITS 64u

int replay_init(struct replay *r, uint32_t window, bool is_esn)
{
	uint32_t need;

	*r = (struct replay){ .window = window, .is_esn = is_esn };
	if (window > REPLAY_WINDOW_MAX)
		return IFS_ERR_RANGE;
	if (window == 0)
		return 0;
	/* One block more than the window needs (RFC 6479 §2): the block
	 * holding top is partly ahead of the window, and the oldest block
	 * may be partly behind it. */
	need = window / BLOCK_BITS + 2;
	r->n_blocks = 1;
	while (r->n_blocks < need)
		r->n_blocks <<= 1;
	r->ring = calloc(r->n_blocks, sizeof(*r->ring));
	if (!r->ring)
		return IFS_ERR_NOMEM;
	return 0;
}

void replay_clear(struct replay *r)
{
	free(r->ring);
	*r = (struct replay){ 0 };
}

/*
 * RFC 4303 Appendix A2.2: with T the highest number accepted (Th, Tl its
 * halves) and W the window, a low half at or above the window's bottom
 * belongs to Th's epoch, one below it to the next epoch; when the window
 * straddles a wrap of the low half (Tl < W - 1) the cases shift by one.
 * With anti-replay off the window used for the guess is half the space.
 */
static uint64_t infer_esn(const struct replay *r, uint32_t seq_lo)
{
	uint32_t tl = (uint32_t)r->top;
	uint32_t th = (uint32_t)(r->top >> 32);
	uint32_t w = r->window ? r->window : UINT32_C(1) << 31;
	uint32_t bottom = tl - w + 1;   /* wraps on purpose in case B */
	uint32_t sh;

	if (tl >= w - 1)
		sh = seq_lo >= bottom ? th : th + 1;
	else if (seq_lo >= bottom)
		sh = th - 1;               /* wraps below epoch 0: too old */
	else
		sh = th;
	if (tl < w - 1 && seq_lo >= bottom && th == 0)
		return 0;                  /* would be before the first packet */
	return (uint64_t)sh << 32 | seq_lo;
}

static uint64_t *bit_block(const struct replay *r, uint64_t seq, uint64_t *mask)
{
	uint64_t index = seq / BLOCK_BITS;

	*mask = UINT64_C(1) << (seq % BLOCK_BITS);
	return &r->ring[index & (r->n_blocks - 1)];
}

enum replay_verdict replay_check(const struct replay *r, uint32_t seq_lo,
				 uint64_t *seq_out)
{
	uint64_t seq = r->is_esn ? infer_esn(r, seq_lo) : seq_lo;
	uint64_t mask;

	*seq_out = seq;
	if (seq == 0)
		return REPLAY_ZERO;
	if (r->window == 0 || seq > r->top)
		return REPLAY_OK;
	if (r->top - seq >= r->window)
		return REPLAY_TOO_OLD;
	if (*bit_block(r, seq, &mask) & mask)
		return REPLAY_DUPLICATE;
	return REPLAY_OK;
}

enum replay_verdict replay_commit(struct replay *r, uint64_t seq)
{
	uint64_t mask, *block;

	if (seq == 0)
		return REPLAY_ZERO;
	if (r->window == 0) {
		if (seq > r->top)
			r->top = seq;
		return REPLAY_OK;
	}
	if (seq > r->top) {
		/* Clear every block the window slides onto, at most the
		 * whole ring. */
		uint64_t from = r->top / BLOCK_BITS, to = seq / BLOCK_BITS;
		uint64_t n = to - from;

		if (n > r->n_blocks)
			n = r->n_blocks;
		for (uint64_t i = 1; i <= n; i++)
			r->ring[(from + i) & (r->n_blocks - 1)] = 0;
		r->top = seq;
	} else if (r->top - seq >= r->window) {
		return REPLAY_TOO_OLD;
	}
	block = bit_block(r, seq, &mask);
	if (*block & mask)
		return REPLAY_DUPLICATE;
	*block |= mask;
	return REPLAY_OK;
}
