/* SPDX-License-Identifier: BSD-2-Clause */
#include "config/creds.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

static ssize_t find(const struct creds *cs, const char *id)
{
	for (size_t i = 0; i < cs->n; i++)
		if (strcmp(cs->ids[i], id) == 0)
			return (ssize_t)i;
	return -1;
}

static int grow(struct creds *cs)
{
	size_t cap = cs->cap ? 2 * cs->cap : 8;
	struct conf_secret *v;
	char (*ids)[CREDS_ID_MAX];

	v = realloc(cs->v, cap * sizeof(*v));
	if (!v)
		return IFS_ERR_NOMEM;
	cs->v = v;
	ids = realloc(cs->ids, cap * sizeof(*ids));
	if (!ids)
		return IFS_ERR_NOMEM;
	cs->ids = ids;
	cs->cap = cap;
	return 0;
}

int creds_add(struct creds *cs, const char *id, struct secret *psk,
	      const struct ike_id *owners, size_t n_owners)
{
	ssize_t i = find(cs, id);
	struct conf_secret *s;

	if (strlen(id) >= CREDS_ID_MAX || n_owners > CONF_MAX_SECRET_IDS) {
		secret_free(psk);
		return IFS_ERR_RANGE;
	}
	if (i < 0) {
		if (cs->n == cs->cap && grow(cs) != 0) {
			secret_free(psk);
			return IFS_ERR_NOMEM;
		}
		i = (ssize_t)cs->n++;
		snprintf(cs->ids[i], CREDS_ID_MAX, "%s", id);
	} else {
		secret_free(cs->v[i].psk);
	}
	s = &cs->v[i];
	*s = (struct conf_secret){ .psk = psk, .n_ids = n_owners };
	snprintf(s->name, sizeof(s->name), "%s", id);
	if (n_owners)
		memcpy(s->ids, owners, n_owners * sizeof(*owners));
	return 0;
}

int creds_add_conf(struct creds *cs, struct conf *c)
{
	for (size_t i = 0; i < c->n_secrets; i++) {
		struct conf_secret *s = &c->secrets[i];
		char id[CREDS_ID_MAX];
		int err;

		snprintf(id, sizeof(id), "ike-%s", s->name);
		err = creds_add(cs, id, s->psk, s->ids, s->n_ids);
		s->psk = NULL;
		if (err)
			return err;
	}
	return 0;
}

int creds_remove(struct creds *cs, const char *id)
{
	ssize_t i = find(cs, id);

	if (i < 0)
		return IFS_ERR_NOT_FOUND;
	secret_free(cs->v[i].psk);
	cs->n--;
	memmove(&cs->v[i], &cs->v[i + 1], (cs->n - (size_t)i) * sizeof(cs->v[0]));
	memmove(&cs->ids[i], &cs->ids[i + 1], (cs->n - (size_t)i) * sizeof(cs->ids[0]));
	return 0;
}

void creds_clear(struct creds *cs)
{
	for (size_t i = 0; i < cs->n; i++)
		secret_free(cs->v[i].psk);
	free(cs->v);
	free(cs->ids);
	*cs = (struct creds){ 0 };
}

const struct secret *creds_find_psk(const struct creds *cs, const struct ike_id *local,
				    uint8_t remote_type, const uint8_t *remote,
				    size_t remote_len)
{
	const struct conf_secret *s = conf_find_psk_in(cs->v, cs->n, local, remote_type,
						       remote, remote_len);

	return s ? s->psk : NULL;
}
