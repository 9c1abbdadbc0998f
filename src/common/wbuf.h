/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef IFS_COMMON_WBUF_H
#define IFS_COMMON_WBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The bounded writer: the counterpart of struct cur. A write that does not
 * fit fails the writer for good; check once with wbuf_ok() at the end.
 * Integers are written big-endian.
 */
struct wbuf {
	uint8_t *p;
	size_t cap;
	size_t len;
	bool is_failed;
};

void wbuf_init(struct wbuf *w, void *buf, size_t cap);
bool wbuf_u8(struct wbuf *w, uint8_t v);
bool wbuf_u16(struct wbuf *w, uint16_t v);
bool wbuf_u32(struct wbuf *w, uint32_t v);
bool wbuf_u64(struct wbuf *w, uint64_t v);
bool wbuf_bytes(struct wbuf *w, const void *src, size_t n);
bool wbuf_fill(struct wbuf *w, uint8_t v, size_t n);
/* Reserve n bytes to be filled later through *out. */
bool wbuf_reserve(struct wbuf *w, size_t n, uint8_t **out);
size_t wbuf_len(const struct wbuf *w);
bool wbuf_ok(const struct wbuf *w);

#endif
