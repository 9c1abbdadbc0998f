/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef IFS_CONFIG_CREDS_H
#define IFS_CONFIG_CREDS_H

#include <stddef.h>
#include <stdint.h>
#include "config/conf.h"

/*
 * The daemon's pre-shared keys: those of the file it started with and
 * those loaded over the control socket (load-shared), each under the
 * unique id strongSwan's clients use ("ike-<name>" for a file's
 * secrets.ike-<name>), so that they can be replaced and unloaded one by
 * one. The engine asks for a key through creds_find_psk().
 */
#define CREDS_ID_MAX 128

struct creds {
	struct conf_secret *v;        /* for conf_find_psk_in() */
	char (*ids)[CREDS_ID_MAX];
	size_t n, cap;
};

/* A key under id (replacing one with the same id): psk is taken (also
 * on error); owners are the identities it is for (none: any). */
int creds_add(struct creds *cs, const char *id, struct secret *psk,
	      const struct ike_id *owners, size_t n_owners) IFS_MUST_CHECK;
/* Every secret of c, under "ike-<name>"; their keys are taken from c. */
int creds_add_conf(struct creds *cs, struct conf *c) IFS_MUST_CHECK;
/* IFS_ERR_NOT_FOUND when no key has that id. */
int creds_remove(struct creds *cs, const char *id) IFS_MUST_CHECK;
void creds_clear(struct creds *cs);
const struct secret *creds_find_psk(const struct creds *cs, const struct ike_id *local,
				    uint8_t remote_type, const uint8_t *remote,
				    size_t remote_len);

#endif
