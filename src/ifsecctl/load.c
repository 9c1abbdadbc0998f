/* SPDX-License-Identifier: BSD-2-Clause */
#include "ifsecctl/load.h"

#include <string.h>

#include "common/secret.h"
#include "control/vici.h"

static const char *const list_keys[] = {
	"local_addrs", "remote_addrs", "proposals", "esp_proposals",
	"local_ts", "remote_ts", "interface_addrs", "routes",
};

bool load_is_list_key(const char *key)
{
	for (size_t i = 0; i < IFS_ARRAY_LEN(list_keys); i++)
		if (strcmp(key, list_keys[i]) == 0)
			return true;
	return false;
}

static int add_list(struct vici_builder *b, const struct settings_node *kv)
{
	struct settings_list l;
	int rc = settings_list_split(kv->value, &l);

	if (rc < 0)
		return rc;
	vici_begin_list(b, kv->name);
	for (size_t i = 0; i < l.n; i++)
		vici_list_item_str(b, l.items[i]);
	vici_end_list(b);
	settings_list_clear(&l);
	return 0;
}

/* The members of sec, in file order; depth is bounded by the builder. */
static int add_members(struct vici_builder *b, const struct settings_node *sec)
{
	for (const struct settings_node *n = sec->children; n; n = n->next) {
		int rc = 0;

		if (n->kind == SETTINGS_SECTION) {
			vici_begin_section(b, n->name);
			rc = add_members(b, n);
			vici_end_section(b);
		} else if (load_is_list_key(n->name)) {
			rc = add_list(b, n);
		} else {
			vici_kv_str(b, n->name, n->value);
		}
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int finish(struct vici_builder *b, int rc, size_t *len)
{
	int err = vici_build_finish(b, len);

	if (rc == 0)
		rc = err;
	if (rc < 0)
		*len = 0;
	return rc;
}

int load_build_conn(struct wbuf *w, const struct settings_node *conn, size_t *len)
{
	struct vici_builder b;
	int rc;

	*len = 0;
	vici_build_packet(&b, w, VICI_CMD_REQUEST, "load-conn");
	vici_begin_section(&b, conn->name);
	rc = add_members(&b, conn);
	vici_end_section(&b);
	return finish(&b, rc, len);
}

static bool has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

int load_build_shared(struct wbuf *w, const struct settings_node *sec, size_t *len)
{
	struct settings_node *kv = NULL;
	struct secret *psk = NULL;
	struct vici_builder b;
	int rc;

	*len = 0;
	if (!has_prefix(sec->name, "ike"))
		return IFS_ERR_UNSUPPORTED;
	for (struct settings_node *n = sec->children; n; n = n->next)
		if (n->kind == SETTINGS_KEY && strcmp(n->name, "secret") == 0)
			kv = n;
	if (!kv)
		return IFS_ERR_NOT_FOUND;
	rc = settings_parse_secret(kv->value, &psk);
	if (rc < 0)
		return rc;
	vici_build_packet(&b, w, VICI_CMD_REQUEST, "load-shared");
	vici_kv_str(&b, "id", sec->name);
	vici_kv_str(&b, "type", "ike");
	vici_kv(&b, "data", psk->data, psk->len);
	secret_free(psk);
	vici_begin_list(&b, "owners");
	for (const struct settings_node *n = sec->children; n; n = n->next)
		if (n->kind == SETTINGS_KEY && has_prefix(n->name, "id"))
			vici_list_item_str(&b, n->value);
	vici_end_list(&b);
	return finish(&b, 0, len);
}
