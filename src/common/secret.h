/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef IFS_COMMON_SECRET_H
#define IFS_COMMON_SECRET_H

#include <stddef.h>
#include <stdint.h>
#include "common/err.h"

/*
 * Key material. It lives only in a struct secret, which is wiped when it
 * is freed, and has no printing function: keys are never logged (the
 * opt-in key log is the only place that writes them, through
 * secret_data()).
 */
struct secret {
	size_t len;
	uint8_t data[];
};

int secret_new(struct secret **out, const void *src, size_t len) IFS_MUST_CHECK;
int secret_dup(struct secret **out, const struct secret *s) IFS_MUST_CHECK;
void secret_free(struct secret *s);

/* Wipe a stack or heap buffer so that the compiler cannot skip it. */
void secret_wipe(void *p, size_t len);

#endif
