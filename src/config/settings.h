/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef IFS_CONFIG_SETTINGS_H
#define IFS_CONFIG_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "common/err.h"
#include "common/secret.h"

/*
 * strongSwan's settings syntax (swanctl.conf, strongswan.conf), parsed
 * into a tree in which every section and key remembers file and line:
 *
 *   # a comment
 *   name {                    sections nest; one opened twice merges
 *       key = value           to the end of the line, '#' or '}'
 *       key = "a \"quoted\"   value may span lines, escapes \" \\ \n \t \r"
 *       include conf.d/[a-z]*.conf   (a glob, from this file's directory)
 *   }
 *
 * Names and keys are made of letters, digits, '-', '_' and '.'. An
 * unquoted value is split at blanks into words that are joined again with
 * one space, as strongSwan does, so "a   b" reads as "a b"; quote a value
 * to keep its blanks. A key set twice in one section keeps the later value
 * and adds a warning; an include that matches nothing is a warning too.
 * Errors stop parsing with "file:line: what is wrong".
 *
 * Values are text; the settings_parse_*() helpers convert them. Callers
 * find keys and sections through settings_find_*(), which mark them used,
 * and settings_check_used() then names the first item nobody asked for:
 * an unknown key is an error, not something silently ignored.
 */

#define SETTINGS_FILE_MAX (1024 * 1024)   /* bytes per file (and per string) */
#define SETTINGS_LINE_MAX 8192            /* bytes per physical line */
#define SETTINGS_VALUE_MAX 65536          /* bytes per value after unquoting */
#define SETTINGS_NAME_MAX 256             /* bytes per section name or key */
#define SETTINGS_DEPTH_MAX 32             /* nested sections */
#define SETTINGS_INCLUDE_DEPTH_MAX 10
#define SETTINGS_FILES_MAX 256            /* files read in one parse */
#define SETTINGS_ITEMS_MAX 100000         /* sections and keys in one parse */
#define SETTINGS_WARNINGS_MAX 64          /* kept; the rest are counted */
#define SETTINGS_LIST_MAX 1024            /* elements of a list value */

/* Room for one message: "file:line: what is wrong". */
struct settings_err {
	char msg[512];
};

enum settings_kind {
	SETTINGS_SECTION,
	SETTINGS_KEY,
};

struct settings_node {
	enum settings_kind kind;
	char *name;                     /* section name or key; "" for the root */
	char *value;                    /* keys only; wiped when freed */
	const char *file;               /* where first defined (a key: last set) */
	int line;
	bool is_used;                   /* set by settings_find_*() and _mark_used() */
	struct settings_node *parent;
	struct settings_node *next;     /* next sibling, in file order */
	struct settings_node *children; /* sections only, in file order */
	struct settings_node *last_child;
	struct settings_node *all_next; /* private: every node, for freeing */
};

struct settings;

/* Parse a file. Includes are resolved relative to its directory. */
int settings_load_file(const char *path, struct settings **out,
		       struct settings_err *err) IFS_MUST_CHECK;
/* Parse len bytes of text; name stands for the file in messages. With
 * include_dir NULL an include statement is an error (nothing is read
 * from disk); otherwise relative patterns start there. */
int settings_parse_string(const char *text, size_t len, const char *name,
			  const char *include_dir, struct settings **out,
			  struct settings_err *err) IFS_MUST_CHECK;
/* Frees the tree and wipes every value. Accepts NULL. */
void settings_free(struct settings *st);

struct settings_node *settings_root(struct settings *st);

/* Warnings, "file:line: message", in the order found. n_dropped counts
 * those beyond SETTINGS_WARNINGS_MAX that were not kept. */
size_t settings_n_warnings(const struct settings *st);
const char *settings_warning(const struct settings *st, size_t i);
size_t settings_n_warnings_dropped(const struct settings *st);

/* Look up a direct child by name, and mark it used. NULL when absent. */
struct settings_node *settings_find_section(struct settings_node *sec,
					    const char *name);
struct settings_node *settings_find_key(struct settings_node *sec,
					const char *key);
void settings_mark_used(struct settings_node *n);

/* Iterate the children of one kind in file order; not marking them. */
struct settings_node *settings_first(const struct settings_node *sec,
				     enum settings_kind kind);
struct settings_node *settings_next(const struct settings_node *n);
#define settings_foreach(sec, kind, it) \
	for ((it) = settings_first((sec), (kind)); (it); \
	     (it) = settings_next(it))

bool settings_is_empty(const struct settings_node *sec);
/* "manual.site1.inbound"; "" for the root. Truncated to fit. */
const char *settings_path(const struct settings_node *n, char *buf, size_t len);

/* The first child of sec, recursively and in file order, that was not
 * marked used: IFS_ERR_NOT_FOUND with "file:line: unknown key 'k' in
 * section 'a.b'" (or "unknown section"). Used sections are searched, an
 * unused one is reported as a whole. 0 when everything was used. */
int settings_check_used(const struct settings_node *sec,
			struct settings_err *err) IFS_MUST_CHECK;

/* "file:line: " followed by the formatted message. */
void settings_err_at(struct settings_err *err, const char *file, int line,
		     const char *fmt, ...) IFS_PRINTF(4, 5);
/* "file:line: key: " (the key's place and name) followed by the message. */
void settings_err_key(struct settings_err *err, const struct settings_node *kv,
		      const char *fmt, ...) IFS_PRINTF(3, 4);
/* A value fit to quote in a message: 'value' when it is a short single
 * word of printable characters, otherwise "the value" so that a line
 * holding more than meant (or a secret) is not echoed. */
const char *settings_value_quote(const char *value, char *buf, size_t len);

/*
 * Conversions of value text. Each returns 0 or a negative ifs_err and
 * zeroes its output on failure; none of them logs.
 */
/* yes/no, true/false, enabled/disabled, 1/0, any case (strongSwan's set). */
int settings_parse_bool(const char *s, bool *out) IFS_MUST_CHECK;
/* Decimal (optionally negative) or 0x hexadecimal, within [min, max];
 * IFS_ERR_SYNTAX when not a number, IFS_ERR_RANGE when outside. */
int settings_parse_int(const char *s, int64_t min, int64_t max,
		       int64_t *out) IFS_MUST_CHECK;
/* A count of seconds, optionally suffixed s, m, h or d. */
int settings_parse_time(const char *s, uint64_t *out_s) IFS_MUST_CHECK;
/* A count of bytes, optionally suffixed k, m or g (either case, blanks
 * before it allowed) for 1024, 1024^2 or 1024^3, as strongSwan's
 * rekey_bytes; decimal or 0x hexadecimal. */
int settings_parse_bytes(const char *s, uint64_t *out) IFS_MUST_CHECK;
/* 0x<hex> (bytes may be separated by ':'), 0s<base64>, or the text
 * itself. An empty secret is an error. */
int settings_parse_secret(const char *s, struct secret **out) IFS_MUST_CHECK;
/* Strict base64 (RFC 4648 §4): length a multiple of 4, padding only at
 * the end, unused bits zero. out must hold len / 4 * 3 bytes. */
int settings_base64_decode(const char *s, size_t len, uint8_t *out,
			   size_t *out_len) IFS_MUST_CHECK;

/* "a, b ,c" -> "a" "b" "c". An empty value is an empty list; an empty
 * element ("a,,b", "a,") is IFS_ERR_SYNTAX; more than SETTINGS_LIST_MAX
 * elements is IFS_ERR_RANGE. */
struct settings_list {
	char **items;
	size_t n;
};
int settings_list_split(const char *s, struct settings_list *out) IFS_MUST_CHECK;
void settings_list_clear(struct settings_list *l);

/* The same conversions on a key, with a message naming file:line and the
 * key on failure. A secret is never quoted. */
int settings_kv_bool(const struct settings_node *kv, bool *out,
		     struct settings_err *err) IFS_MUST_CHECK;
int settings_kv_int(const struct settings_node *kv, int64_t min, int64_t max,
		    int64_t *out, struct settings_err *err) IFS_MUST_CHECK;
int settings_kv_time(const struct settings_node *kv, uint64_t *out_s,
		     struct settings_err *err) IFS_MUST_CHECK;
int settings_kv_bytes(const struct settings_node *kv, uint64_t *out,
		      struct settings_err *err) IFS_MUST_CHECK;
int settings_kv_secret(const struct settings_node *kv, struct secret **out,
		       struct settings_err *err) IFS_MUST_CHECK;
int settings_kv_list(const struct settings_node *kv, struct settings_list *out,
		     struct settings_err *err) IFS_MUST_CHECK;

#endif
