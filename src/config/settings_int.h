/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef IFS_CONFIG_SETTINGS_INT_H
#define IFS_CONFIG_SETTINGS_INT_H

/* Inside the settings module only: the tree as the parser builds it. */

#include "config/settings.h"

struct settings_file {
	struct settings_file *next;
	char name[];
};

struct settings {
	struct settings_node root;
	struct settings_node *all;      /* every node but the root, for freeing */
	size_t n_items;
	/* While parsing: open addressing over (parent, kind, name), so that
	 * merging a section or replacing a key costs the same with 10 or
	 * 10,000 siblings. Freed when parsing ends. */
	struct settings_node **index;
	size_t index_size;              /* a power of two, or 0 */
	char *warnings[SETTINGS_WARNINGS_MAX];
	size_t n_warnings;
	size_t n_dropped;
	struct settings_file *files;    /* names that nodes point to */
	size_t n_files;
};

int settings_new(struct settings **out) IFS_MUST_CHECK;
/* A copy of name that lives as long as the tree; NULL when out of memory. */
const char *settings_intern_file(struct settings *st, const char *name);
void settings_index_free(struct settings *st);

/* The section name under parent, created at the end of its siblings or,
 * when it exists, reused: a section opened twice merges. */
int settings_open_section(struct settings *st, struct settings_node *parent,
			  const char *name, const char *file, int line,
			  struct settings_node **out,
			  struct settings_err *err) IFS_MUST_CHECK;
/* Set key under parent; a key set twice keeps the later value, in the
 * place of the first, and adds a warning. */
int settings_set_key(struct settings *st, struct settings_node *parent,
		     const char *key, const char *value, const char *file,
		     int line, struct settings_err *err) IFS_MUST_CHECK;
void settings_warn(struct settings *st, const char *file, int line,
		   const char *fmt, ...) IFS_PRINTF(4, 5);

#endif
