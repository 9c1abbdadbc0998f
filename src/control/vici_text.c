/* SPDX-License-Identifier: BSD-2-Clause */
#include "control/vici_text.h"

#include <stdio.h>
#include <string.h>

static bool name_ok(const char *s, size_t len)
{
	if (len == 0)
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_' || c == '.'))
			return false;
	}
	return true;
}

static bool value_ok(const uint8_t *v, size_t len, bool is_item)
{
	for (size_t i = 0; i < len; i++)
		if ((v[i] < 0x20 && v[i] != '\t') || v[i] == 0x7f || (is_item && v[i] == ','))
			return false;
	return true;
}

static bool put(struct wbuf *w, const char *s)
{
	return wbuf_bytes(w, s, strlen(s));
}

static bool put_escaped(struct wbuf *w, const uint8_t *v, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if ((v[i] == '"' || v[i] == '\\') && !wbuf_u8(w, '\\'))
			return false;
		if (!wbuf_u8(w, v[i]))
			return false;
	}
	return true;
}

static int refuse(char *why, size_t why_len, const char *path, const struct vici_node *n,
		  const char *what)
{
	snprintf(why, why_len, "%s%s%.*s: %s", path, path[0] ? "." : "", (int)n->name_len,
		 n->name, what);
	return IFS_ERR_INVAL;
}

static int write_members(const struct vici_node *sec, const char *path, struct wbuf *w,
			 char *why, size_t why_len);

static int write_node(const struct vici_node *n, const char *path, struct wbuf *w,
		      char *why, size_t why_len)
{
	char sub[512];

	if (!name_ok(n->name, n->name_len))
		return refuse(why, why_len, path, n, "not a valid name (letters, digits, "
			      "'-', '_' and '.')");
	if (!wbuf_bytes(w, n->name, n->name_len))
		return IFS_ERR_FULL;
	switch (n->kind) {
	case VICI_NODE_SECTION:
		snprintf(sub, sizeof(sub), "%s%s%.*s", path, path[0] ? "." : "",
			 (int)n->name_len, n->name);
		if (!put(w, " {\n"))
			return IFS_ERR_FULL;
		{
			int err = write_members(n, sub, w, why, why_len);

			if (err)
				return err;
		}
		return put(w, "}\n") ? 0 : IFS_ERR_FULL;
	case VICI_NODE_KV:
		if (!value_ok(n->value, n->value_len, false))
			return refuse(why, why_len, path, n, "the value holds control "
				      "characters");
		if (!put(w, " = \"") || !put_escaped(w, n->value, n->value_len) ||
		    !put(w, "\"\n"))
			return IFS_ERR_FULL;
		return 0;
	case VICI_NODE_LIST:
		if (!put(w, " = \""))
			return IFS_ERR_FULL;
		for (const struct vici_node *it = n->children; it; it = it->next) {
			if (!value_ok(it->value, it->value_len, true))
				return refuse(why, why_len, path, n, "a list item holds a "
					      "comma or control characters");
			if ((it != n->children && !put(w, ", ")) ||
			    !put_escaped(w, it->value, it->value_len))
				return IFS_ERR_FULL;
		}
		return put(w, "\"\n") ? 0 : IFS_ERR_FULL;
	case VICI_NODE_ITEM:
		break;
	}
	return refuse(why, why_len, path, n, "unexpected element");
}

static int write_members(const struct vici_node *sec, const char *path, struct wbuf *w,
			 char *why, size_t why_len)
{
	for (const struct vici_node *n = sec->children; n; n = n->next) {
		int err = write_node(n, path, w, why, why_len);

		if (err)
			return err;
	}
	return 0;
}

int vici_to_settings_text(const struct vici_node *sec, const char *top, struct wbuf *w,
			  char *why, size_t why_len)
{
	int err;

	why[0] = '\0';
	if (!put(w, top) || !put(w, " {\n"))
		err = IFS_ERR_FULL;
	else
		err = write_members(sec, top, w, why, why_len);
	if (!err && !put(w, "}\n"))
		err = IFS_ERR_FULL;
	if (err == IFS_ERR_FULL)
		snprintf(why, why_len, "the message is too large");
	return err;
}
