/* SPDX-License-Identifier: BSD-2-Clause */
/* The settings tree: building it (for the parser), looking things up,
 * iterating, and finding what no caller used. */
#include "config/settings_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/secret.h"

int settings_new(struct settings **out)
{
	struct settings *st;

	*out = NULL;
	st = calloc(1, sizeof(*st));
	if (!st)
		return IFS_ERR_NOMEM;
	st->root.kind = SETTINGS_SECTION;
	st->root.name = (char *)"";
	st->root.file = "";
	st->root.is_used = true;
	*out = st;
	return 0;
}

static void node_free(struct settings_node *n)
{
	if (n->value) {
		secret_wipe(n->value, strlen(n->value));
		free(n->value);
	}
	free(n->name);
	free(n);
}

void settings_free(struct settings *st)
{
	if (!st)
		return;
	for (struct settings_node *n = st->all, *next; n; n = next) {
		next = n->all_next;
		node_free(n);
	}
	for (struct settings_file *f = st->files, *next; f; f = next) {
		next = f->next;
		free(f);
	}
	for (size_t i = 0; i < st->n_warnings; i++)
		free(st->warnings[i]);
	settings_index_free(st);
	free(st);
}

const char *settings_intern_file(struct settings *st, const char *name)
{
	size_t len = strlen(name);
	struct settings_file *f;

	for (f = st->files; f; f = f->next)
		if (strcmp(f->name, name) == 0)
			return f->name;
	f = malloc(sizeof(*f) + len + 1);
	if (!f)
		return NULL;
	memcpy(f->name, name, len + 1);
	f->next = st->files;
	st->files = f;
	return f->name;
}

struct settings_node *settings_root(struct settings *st)
{
	return &st->root;
}

size_t settings_n_warnings(const struct settings *st)
{
	return st->n_warnings;
}

const char *settings_warning(const struct settings *st, size_t i)
{
	return i < st->n_warnings ? st->warnings[i] : NULL;
}

size_t settings_n_warnings_dropped(const struct settings *st)
{
	return st->n_dropped;
}

void settings_warn(struct settings *st, const char *file, int line,
		   const char *fmt, ...)
{
	char text[512];
	va_list ap;
	int n;

	if (st->n_warnings >= SETTINGS_WARNINGS_MAX) {
		st->n_dropped++;
		return;
	}
	n = snprintf(text, sizeof(text), "%s:%d: ", file, line);
	if (n < 0 || (size_t)n >= sizeof(text))
		n = 0;
	va_start(ap, fmt);
	vsnprintf(text + n, sizeof(text) - (size_t)n, fmt, ap);
	va_end(ap);
	st->warnings[st->n_warnings] = strdup(text);
	if (st->warnings[st->n_warnings])
		st->n_warnings++;
	else
		st->n_dropped++;
}

/* ---- the index used while parsing ---- */

static size_t index_hash(const struct settings_node *parent,
			 enum settings_kind kind, const char *name)
{
	/* FNV-1a over the name, then the parent's address and the kind. */
	uint64_t h = 14695981039346656037ULL;

	for (size_t i = 0; name[i]; i++) {
		h ^= (uint8_t)name[i];
		h *= 1099511628211ULL;
	}
	h ^= (uint64_t)(uintptr_t)parent;
	h *= 1099511628211ULL;
	h ^= (uint64_t)kind;
	h *= 1099511628211ULL;
	return (size_t)(h ^ (h >> 29));
}

static void index_put(struct settings_node **tab, size_t size,
		      struct settings_node *n)
{
	size_t i = index_hash(n->parent, n->kind, n->name) & (size - 1);

	while (tab[i])
		i = (i + 1) & (size - 1);
	tab[i] = n;
}

/* Keeps the table at most half full so that probes stay short. */
static int index_grow(struct settings *st)
{
	size_t size = st->index_size ? st->index_size * 2 : 64;
	struct settings_node **tab;

	if (st->n_items + 1 <= st->index_size / 2)
		return 0;
	tab = calloc(size, sizeof(*tab));
	if (!tab)
		return IFS_ERR_NOMEM;
	for (size_t i = 0; i < st->index_size; i++)
		if (st->index[i])
			index_put(tab, size, st->index[i]);
	free(st->index);
	st->index = tab;
	st->index_size = size;
	return 0;
}

static struct settings_node *index_find(const struct settings *st,
					const struct settings_node *parent,
					enum settings_kind kind, const char *name)
{
	size_t i;

	if (st->index_size == 0)
		return NULL;
	i = index_hash(parent, kind, name) & (st->index_size - 1);
	for (; st->index[i]; i = (i + 1) & (st->index_size - 1)) {
		struct settings_node *n = st->index[i];

		if (n->parent == parent && n->kind == kind &&
		    strcmp(n->name, name) == 0)
			return n;
	}
	return NULL;
}

void settings_index_free(struct settings *st)
{
	free(st->index);
	st->index = NULL;
	st->index_size = 0;
}

/* ---- building ---- */

static int node_add(struct settings *st, struct settings_node *parent,
		    enum settings_kind kind, const char *name, const char *file,
		    int line, struct settings_node **out, struct settings_err *err)
{
	struct settings_node *n;

	*out = NULL;
	if (st->n_items >= SETTINGS_ITEMS_MAX) {
		settings_err_at(err, file, line, "more than %d sections and keys",
				SETTINGS_ITEMS_MAX);
		return IFS_ERR_RANGE;
	}
	n = calloc(1, sizeof(*n));
	if (!n || index_grow(st) < 0 || !(n->name = strdup(name))) {
		free(n);
		settings_err_at(err, file, line, "out of memory");
		return IFS_ERR_NOMEM;
	}
	n->kind = kind;
	n->file = file;
	n->line = line;
	n->parent = parent;
	if (parent->last_child)
		parent->last_child->next = n;
	else
		parent->children = n;
	parent->last_child = n;
	n->all_next = st->all;
	st->all = n;
	st->n_items++;
	index_put(st->index, st->index_size, n);
	*out = n;
	return 0;
}

int settings_open_section(struct settings *st, struct settings_node *parent,
			  const char *name, const char *file, int line,
			  struct settings_node **out, struct settings_err *err)
{
	*out = index_find(st, parent, SETTINGS_SECTION, name);
	if (*out)
		return 0;
	return node_add(st, parent, SETTINGS_SECTION, name, file, line, out, err);
}

int settings_set_key(struct settings *st, struct settings_node *parent,
		     const char *key, const char *value, const char *file,
		     int line, struct settings_err *err)
{
	struct settings_node *n = index_find(st, parent, SETTINGS_KEY, key);
	char *copy = strdup(value);
	int rc;

	if (!copy) {
		settings_err_at(err, file, line, "out of memory");
		return IFS_ERR_NOMEM;
	}
	if (n) {
		/* DESIGN: stricter than strongSwan, which replaces silently. */
		settings_warn(st, file, line,
			      "key '%s' is set again; this value replaces the one "
			      "from %s:%d", key, n->file, n->line);
		secret_wipe(n->value, strlen(n->value));
		free(n->value);
		n->value = copy;
		n->file = file;
		n->line = line;
		return 0;
	}
	rc = node_add(st, parent, SETTINGS_KEY, key, file, line, &n, err);
	if (rc < 0) {
		secret_wipe(copy, strlen(copy));
		free(copy);
		return rc;
	}
	n->value = copy;
	return 0;
}

/* ---- looking up and iterating ---- */

static struct settings_node *find(struct settings_node *sec,
				  enum settings_kind kind, const char *name)
{
	if (!sec || sec->kind != SETTINGS_SECTION)
		return NULL;
	for (struct settings_node *n = sec->children; n; n = n->next) {
		if (n->kind == kind && strcmp(n->name, name) == 0) {
			n->is_used = true;
			return n;
		}
	}
	return NULL;
}

struct settings_node *settings_find_section(struct settings_node *sec,
					    const char *name)
{
	return find(sec, SETTINGS_SECTION, name);
}

struct settings_node *settings_find_key(struct settings_node *sec,
					const char *key)
{
	return find(sec, SETTINGS_KEY, key);
}

void settings_mark_used(struct settings_node *n)
{
	if (n)
		n->is_used = true;
}

static struct settings_node *same_kind_from(struct settings_node *n,
					    enum settings_kind kind)
{
	while (n && n->kind != kind)
		n = n->next;
	return n;
}

struct settings_node *settings_first(const struct settings_node *sec,
				     enum settings_kind kind)
{
	if (!sec || sec->kind != SETTINGS_SECTION)
		return NULL;
	return same_kind_from(sec->children, kind);
}

struct settings_node *settings_next(const struct settings_node *n)
{
	return n ? same_kind_from(n->next, n->kind) : NULL;
}

bool settings_is_empty(const struct settings_node *sec)
{
	return !sec || !sec->children;
}

const char *settings_path(const struct settings_node *n, char *buf, size_t len)
{
	const struct settings_node *chain[SETTINGS_DEPTH_MAX + 2];
	size_t depth = 0, pos = 0;

	if (len == 0)
		return buf;
	buf[0] = '\0';
	for (; n && n->parent && depth < IFS_ARRAY_LEN(chain); n = n->parent)
		chain[depth++] = n;
	while (depth > 0) {
		const char *name = chain[--depth]->name;
		int w = snprintf(buf + pos, len - pos, "%s%s",
				 pos ? "." : "", name);

		if (w < 0 || (size_t)w >= len - pos)
			break;
		pos += (size_t)w;
	}
	return buf;
}

static const struct settings_node *first_unused(const struct settings_node *sec)
{
	for (const struct settings_node *n = sec->children; n; n = n->next) {
		const struct settings_node *u;

		if (!n->is_used)
			return n;
		if (n->kind == SETTINGS_SECTION && (u = first_unused(n)))
			return u;
	}
	return NULL;
}

int settings_check_used(const struct settings_node *sec,
			struct settings_err *err)
{
	const struct settings_node *n = first_unused(sec);
	char path[256];

	if (!n)
		return 0;
	settings_path(n->parent, path, sizeof(path));
	settings_err_at(err, n->file, n->line, "unknown %s '%s'%s%s%s",
			n->kind == SETTINGS_KEY ? "key" : "section", n->name,
			path[0] ? " in section '" : "", path, path[0] ? "'" : "");
	return IFS_ERR_NOT_FOUND;
}

/* ---- messages ---- */

static void err_vformat(struct settings_err *err, const char *prefix,
			const char *fmt, va_list ap) IFS_PRINTF(3, 0);

static void err_vformat(struct settings_err *err, const char *prefix,
			const char *fmt, va_list ap)
{
	size_t n = strlen(prefix);

	if (n >= sizeof(err->msg))
		n = sizeof(err->msg) - 1;
	memcpy(err->msg, prefix, n);
	err->msg[n] = '\0';
	vsnprintf(err->msg + n, sizeof(err->msg) - n, fmt, ap);
}

void settings_err_at(struct settings_err *err, const char *file, int line,
		     const char *fmt, ...)
{
	char prefix[300];
	va_list ap;

	if (!err)
		return;
	snprintf(prefix, sizeof(prefix), "%s:%d: ", file, line);
	va_start(ap, fmt);
	err_vformat(err, prefix, fmt, ap);
	va_end(ap);
}

void settings_err_key(struct settings_err *err, const struct settings_node *kv,
		      const char *fmt, ...)
{
	char prefix[300];
	va_list ap;

	if (!err)
		return;
	snprintf(prefix, sizeof(prefix), "%s:%d: %s: ", kv->file, kv->line,
		 kv->name);
	va_start(ap, fmt);
	err_vformat(err, prefix, fmt, ap);
	va_end(ap);
}

const char *settings_value_quote(const char *value, char *buf, size_t len)
{
	size_t n = strlen(value);
	bool is_word = n > 0 && n <= 64 && n + 3 <= len;

	for (size_t i = 0; is_word && i < n; i++)
		if ((uint8_t)value[i] <= 0x20 || (uint8_t)value[i] >= 0x7f ||
		    value[i] == '=')
			is_word = false;
	if (!is_word)
		return "the value";
	snprintf(buf, len, "'%s'", value);
	return buf;
}
