/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef IFS_COMMON_CUR_H
#define IFS_COMMON_CUR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The read cursor: the only way to read untrusted bytes (network, files,
 * control socket). Every getter checks the length by subtraction, zeroes
 * its outputs on failure and leaves the cursor failed for good, so that a
 * run of reads can be checked once at the end.
 *
 * Multi-byte integers are big-endian (network order).
 *
 * A cursor made with cur_init_mut() may also hand out writable slices, for
 * in-place decryption; one made with cur_init() never does.
 */
struct cur {
	uint8_t *p;
	size_t left;
	bool is_failed;
	bool is_mutable;
};

void cur_init(struct cur *c, const void *buf, size_t len);
void cur_init_mut(struct cur *c, void *buf, size_t len);

bool cur_u8(struct cur *c, uint8_t *v);
bool cur_u16(struct cur *c, uint16_t *v);
bool cur_u32(struct cur *c, uint32_t *v);
bool cur_u64(struct cur *c, uint64_t *v);

/* Borrow the next n bytes. */
bool cur_bytes(struct cur *c, size_t n, const uint8_t **out);
bool cur_bytes_mut(struct cur *c, size_t n, uint8_t **out);
/* Copy the next n bytes out. */
bool cur_copy(struct cur *c, void *dst, size_t n);
bool cur_skip(struct cur *c, size_t n);
/* A child cursor over exactly the next n bytes, which it consumes. */
bool cur_sub(struct cur *c, size_t n, struct cur *sub);
/* Take n bytes from the end (an ICV, a trailer). */
bool cur_tail(struct cur *c, size_t n, const uint8_t **out);
bool cur_tail_mut(struct cur *c, size_t n, uint8_t **out);
/* Everything that is left, which may be nothing. */
bool cur_rest(struct cur *c, const uint8_t **out, size_t *len);
bool cur_rest_mut(struct cur *c, uint8_t **out, size_t *len);

/* Look without consuming. */
bool cur_peek_u8(const struct cur *c, uint8_t *v);
bool cur_peek_u32(const struct cur *c, uint32_t *v);

size_t cur_left(const struct cur *c);
bool cur_ok(const struct cur *c);
/* True only when no read failed and nothing is left. */
bool cur_end(const struct cur *c);

#endif
