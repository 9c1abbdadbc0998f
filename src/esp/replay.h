/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef IFS_ESP_REPLAY_H
#define IFS_ESP_REPLAY_H

#include <stdbool.h>
#include <stdint.h>
#include "common/err.h"

/*
 * The anti-replay window of an inbound SA (RFC 4303 §3.4.3), kept as a
 * ring of 64-bit blocks as RFC 6479 describes: advancing the window clears
 * whole blocks instead of shifting the bitmap, so a jump costs at most one
 * pass over the ring however far it goes.
 *
 * A window of W packets accepts a sequence number s when s is above the
 * highest one accepted so far ("top"), or when top - W < s <= top and s
 * was not seen yet. W = 0 turns anti-replay off (every number is accepted,
 * ESN inference still works).
 *
 * Use: replay_check() before decryption (cheap rejection of old and
 * duplicate packets, and the 64-bit number to authenticate with ESN);
 * replay_commit() only after the ICV verified, so that forged packets
 * never move the window.
 */

#define REPLAY_WINDOW_MAX 65536u

struct replay {
	uint64_t top;          /* highest number accepted; 0 before the first */
	uint32_t window;       /* W, in packets */
	uint32_t n_blocks;     /* ring size in 64-bit blocks, a power of two */
	bool is_esn;
	uint64_t *ring;
};

enum replay_verdict {
	REPLAY_OK,
	REPLAY_TOO_OLD,        /* left of the window */
	REPLAY_DUPLICATE,      /* inside the window, already seen */
	REPLAY_ZERO,           /* sequence number 0 is never sent (§3.3.3) */
};

int replay_init(struct replay *r, uint32_t window, bool is_esn) IFS_MUST_CHECK;
void replay_clear(struct replay *r);

/* From the 32 bits on the wire, infer the full number (RFC 4303
 * Appendix A2 for ESN; the high half is 0 otherwise) and say whether it
 * may be accepted. Changes nothing. */
enum replay_verdict replay_check(const struct replay *r, uint32_t seq_lo,
				 uint64_t *seq_out);
/* Record an authenticated number. Call only after replay_check() said OK
 * for it; a number that has become a duplicate meanwhile is refused. */
enum replay_verdict replay_commit(struct replay *r, uint64_t seq);

#endif
