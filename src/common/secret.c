/* SPDX-License-Identifier: BSD-2-Clause */
#include "common/secret.h"

#include <stdlib.h>
#include <string.h>

void secret_wipe(void *p, size_t len)
{
	if (p && len)
		explicit_bzero(p, len);
}

int secret_new(struct secret **out, const void *src, size_t len)
{
	struct secret *s;

	*out = NULL;
	s = malloc(sizeof(*s) + len);
	if (!s)
		return IFS_ERR_NOMEM;
	s->len = len;
	if (len) {
		if (src)
			memcpy(s->data, src, len);
		else
			memset(s->data, 0, len);
	}
	*out = s;
	return 0;
}

int secret_dup(struct secret **out, const struct secret *s)
{
	return secret_new(out, s->data, s->len);
}

void secret_free(struct secret *s)
{
	if (!s)
		return;
	secret_wipe(s->data, s->len);
	free(s);
}
