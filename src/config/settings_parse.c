/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The settings grammar (settings.h) over the tokens of lexer.c:
 *
 *   body      := { statement }
 *   statement := NAME '{' body '}'
 *              | NAME '=' value
 *              | 'include' pattern
 *
 * Braces balance within each file: an included file cannot close a
 * section that its includer opened.
 */
#include "config/settings_int.h"

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/secret.h"
#include "config/lexer.h"

struct parser {
	struct settings *st;
	struct settings_err *err;
	bool can_include;
	size_t n_files;
};

/* State of one file being parsed. */
struct pfile {
	struct lexer lx;
	const char *file;            /* interned */
	const char *dir;             /* where relative includes start */
	struct settings_node *sec;   /* the current section */
	int open_lines[SETTINGS_DEPTH_MAX];  /* sections opened in this file */
	size_t n_open;
	int include_depth;
};

static int parse_path(struct parser *ps, const char *path,
		      struct settings_node *sec, int include_depth,
		      const char *from_file, int from_line);

static size_t node_depth(const struct settings_node *n)
{
	size_t d = 0;

	for (; n && n->parent; n = n->parent)
		d++;
	return d;
}

static int open_section(struct parser *ps, struct pfile *pf,
			const char *name, int line)
{
	struct settings_node *child;
	int rc;

	if (node_depth(pf->sec) >= SETTINGS_DEPTH_MAX ||
	    pf->n_open >= SETTINGS_DEPTH_MAX) {
		settings_err_at(ps->err, pf->file, line,
				"sections nested deeper than %d", SETTINGS_DEPTH_MAX);
		return IFS_ERR_RANGE;
	}
	rc = settings_open_section(ps->st, pf->sec, name, pf->file, line,
				   &child, ps->err);
	if (rc < 0)
		return rc;
	pf->open_lines[pf->n_open++] = line;
	pf->sec = child;
	return 0;
}

static int close_section(struct parser *ps, struct pfile *pf)
{
	if (pf->n_open == 0) {
		settings_err_at(ps->err, pf->file, pf->lx.tok_line,
				"unexpected '}' (no section is open)");
		return IFS_ERR_SYNTAX;
	}
	pf->n_open--;
	pf->sec = pf->sec->parent;
	return 0;
}

/* pattern relative to dir unless it is absolute. */
static int join_pattern(struct parser *ps, struct pfile *pf, int line,
			const char *pattern, char *buf, size_t len)
{
	int n;

	if (pattern[0] == '/' || !pf->dir)
		n = snprintf(buf, len, "%s", pattern);
	else
		n = snprintf(buf, len, "%s/%s", pf->dir, pattern);
	if (n < 0 || (size_t)n >= len) {
		settings_err_at(ps->err, pf->file, line, "include path too long");
		return IFS_ERR_RANGE;
	}
	return 0;
}

/* A directory that does not exist only means "no match"; one that cannot
 * be read (permissions) would silently hide files, so it is an error. */
static int glob_err(const char *path, int eno)
{
	(void)path;
	return eno != ENOENT && eno != ENOTDIR;
}

static int include_glob(struct parser *ps, struct pfile *pf, int line,
			const char *pattern)
{
	char full[4096];
	glob_t g;
	int rc;

	rc = join_pattern(ps, pf, line, pattern, full, sizeof(full));
	if (rc < 0)
		return rc;
	memset(&g, 0, sizeof(g));
	rc = glob(full, 0, glob_err, &g);
	if (rc == GLOB_NOMATCH) {
		/* DESIGN: a warning, where strongSwan says nothing. */
		settings_warn(ps->st, pf->file, line,
			      "include '%s' matches no file", pattern);
		globfree(&g);
		return 0;
	}
	if (rc != 0) {
		settings_err_at(ps->err, pf->file, line, "include '%s': %s",
				pattern, rc == GLOB_NOSPACE ? "out of memory" :
				"cannot read the directory");
		globfree(&g);
		return rc == GLOB_NOSPACE ? IFS_ERR_NOMEM : IFS_ERR_SYS;
	}
	rc = 0;
	for (size_t i = 0; i < g.gl_pathc && rc == 0; i++)
		rc = parse_path(ps, g.gl_pathv[i], pf->sec,
				pf->include_depth + 1, pf->file, line);
	globfree(&g);
	return rc;
}

static int include(struct parser *ps, struct pfile *pf, int line)
{
	int rc = lexer_value(&pf->lx);

	if (rc < 0)
		return rc;
	if (pf->lx.text_len == 0) {
		settings_err_at(ps->err, pf->file, line, "include without a pattern");
		return IFS_ERR_SYNTAX;
	}
	if (!ps->can_include) {
		settings_err_at(ps->err, pf->file, line,
				"include is not available here (the text was "
				"not read from a file)");
		return IFS_ERR_UNSUPPORTED;
	}
	if (pf->include_depth + 1 > SETTINGS_INCLUDE_DEPTH_MAX) {
		settings_err_at(ps->err, pf->file, line,
				"include depth exceeds %d (does a file include "
				"itself?)", SETTINGS_INCLUDE_DEPTH_MAX);
		return IFS_ERR_RANGE;
	}
	/* The lexer's text is overwritten by the included files' lexers. */
	char *pattern = strdup(pf->lx.text);
	if (!pattern) {
		settings_err_at(ps->err, pf->file, line, "out of memory");
		return IFS_ERR_NOMEM;
	}
	rc = include_glob(ps, pf, line, pattern);
	free(pattern);
	return rc;
}

/* NAME has been read into the lexer's text: what follows decides. */
static int statement(struct parser *ps, struct pfile *pf)
{
	char name[SETTINGS_NAME_MAX + 1];
	int line = pf->lx.tok_line;
	enum lexer_tok tok;
	uint8_t ch;
	int rc;

	snprintf(name, sizeof(name), "%s", pf->lx.text);
	ch = lexer_peek_on_line(&pf->lx);
	if (strcmp(name, "include") == 0 && ch != '=' && ch != '{' && ch != ':')
		return include(ps, pf, line);
	rc = lexer_next(&pf->lx, &tok);
	if (rc < 0)
		return rc;
	switch (tok) {
	case LEXER_LBRACE:
		return open_section(ps, pf, name, line);
	case LEXER_EQUALS:
		rc = lexer_value(&pf->lx);
		if (rc < 0)
			return rc;
		return settings_set_key(ps->st, pf->sec, name, pf->lx.text,
					pf->file, line, ps->err);
	case LEXER_COLON:
		settings_err_at(ps->err, pf->file, line,
				"section '%s': references to other sections "
				"('name : base { }') are not supported", name);
		return IFS_ERR_UNSUPPORTED;
	default:
		settings_err_at(ps->err, pf->file, line,
				"expected '=' or '{' after '%s'", name);
		return IFS_ERR_SYNTAX;
	}
}

static int parse_tokens(struct parser *ps, struct pfile *pf)
{
	enum lexer_tok tok;
	int rc;

	for (;;) {
		rc = lexer_next(&pf->lx, &tok);
		if (rc < 0)
			return rc;
		switch (tok) {
		case LEXER_EOF:
			if (pf->n_open == 0)
				return 0;
			settings_err_at(ps->err, pf->file,
					pf->open_lines[pf->n_open - 1],
					"section '%s' is not closed (missing '}' "
					"before the end of the file)", pf->sec->name);
			return IFS_ERR_SYNTAX;
		case LEXER_NAME:
			rc = statement(ps, pf);
			break;
		case LEXER_RBRACE:
			rc = close_section(ps, pf);
			break;
		case LEXER_LBRACE:
			settings_err_at(ps->err, pf->file, pf->lx.tok_line,
					"'{' without a section name before it");
			return IFS_ERR_SYNTAX;
		default:
			settings_err_at(ps->err, pf->file, pf->lx.tok_line,
					"'%c' without a key before it",
					tok == LEXER_EQUALS ? '=' : ':');
			return IFS_ERR_SYNTAX;
		}
		if (rc < 0)
			return rc;
	}
}

static int parse_buffer(struct parser *ps, const uint8_t *buf, size_t len,
			const char *name, const char *dir,
			struct settings_node *sec, int include_depth)
{
	struct pfile pf;
	int rc;

	memset(&pf, 0, sizeof(pf));
	pf.file = settings_intern_file(ps->st, name);
	if (!pf.file) {
		settings_err_at(ps->err, name, 0, "out of memory");
		return IFS_ERR_NOMEM;
	}
	pf.dir = dir;
	pf.sec = sec;
	pf.include_depth = include_depth;
	rc = lexer_init(&pf.lx, buf, len, pf.file, ps->err);
	if (rc == 0)
		rc = parse_tokens(ps, &pf);
	lexer_clear(&pf.lx);
	return rc;
}

/* Reads at most SETTINGS_FILE_MAX bytes of a regular file; one byte more
 * tells that it is too large even if it grows while we read. */
static int read_file(struct parser *ps, const char *path, const char *from_file,
		     int from_line, uint8_t **out, size_t *out_len)
{
	size_t cap = SETTINGS_FILE_MAX + 1, len = 0;
	const char *why = NULL;
	struct stat sb;
	uint8_t *buf = NULL;
	ssize_t n = 1;
	int fd;

	*out = NULL;
	*out_len = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0 || fstat(fd, &sb) < 0)
		why = strerror(errno);
	else if (!S_ISREG(sb.st_mode))
		why = "not a regular file";
	else if (sb.st_size > SETTINGS_FILE_MAX)
		why = "larger than 1 MiB";
	else if (!(buf = malloc(cap)))
		why = "out of memory";
	while (!why && n > 0 && len < cap) {
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			n = 1;   /* try again */
		else if (n < 0)
			why = strerror(errno);
		else
			len += (size_t)n;
	}
	if (!why && len > SETTINGS_FILE_MAX)
		why = "larger than 1 MiB";
	if (fd >= 0)
		close(fd);
	if (why) {
		if (from_file)
			settings_err_at(ps->err, from_file, from_line,
					"include %s: %s", path, why);
		else
			snprintf(ps->err->msg, sizeof(ps->err->msg), "%s: %s",
				 path, why);
		if (buf)
			secret_wipe(buf, len);
		free(buf);
		return IFS_ERR_SYS;
	}
	*out = buf;
	*out_len = len;
	return 0;
}

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return strdup(".");
	if (slash == path)
		return strdup("/");
	return strndup(path, (size_t)(slash - path));
}

static int parse_path(struct parser *ps, const char *path,
		      struct settings_node *sec, int include_depth,
		      const char *from_file, int from_line)
{
	uint8_t *buf;
	size_t len;
	char *dir;
	int rc;

	if (++ps->n_files > SETTINGS_FILES_MAX) {
		settings_err_at(ps->err, from_file ? from_file : path, from_line,
				"more than %d files included", SETTINGS_FILES_MAX);
		return IFS_ERR_RANGE;
	}
	rc = read_file(ps, path, from_file, from_line, &buf, &len);
	if (rc < 0)
		return rc;
	dir = dir_of(path);
	if (!dir) {
		settings_err_at(ps->err, path, 0, "out of memory");
		rc = IFS_ERR_NOMEM;
	} else {
		rc = parse_buffer(ps, buf, len, path, dir, sec, include_depth);
	}
	free(dir);
	secret_wipe(buf, len);   /* the file may hold secrets */
	free(buf);
	return rc;
}

static void err_clear(struct settings_err *err)
{
	err->msg[0] = '\0';
}

int settings_load_file(const char *path, struct settings **out,
		       struct settings_err *err)
{
	struct parser ps = { .err = err, .can_include = true };
	int rc;

	*out = NULL;
	err_clear(err);
	rc = settings_new(&ps.st);
	if (rc < 0) {
		snprintf(err->msg, sizeof(err->msg), "%s: out of memory", path);
		return rc;
	}
	rc = parse_path(&ps, path, &ps.st->root, 0, NULL, 0);
	settings_index_free(ps.st);
	if (rc < 0) {
		settings_free(ps.st);
		return rc;
	}
	*out = ps.st;
	return 0;
}

int settings_parse_string(const char *text, size_t len, const char *name,
			  const char *include_dir, struct settings **out,
			  struct settings_err *err)
{
	struct parser ps = { .err = err, .can_include = include_dir != NULL };
	int rc;

	*out = NULL;
	err_clear(err);
	rc = settings_new(&ps.st);
	if (rc < 0) {
		snprintf(err->msg, sizeof(err->msg), "%s: out of memory", name);
		return rc;
	}
	rc = parse_buffer(&ps, (const uint8_t *)text, len, name, include_dir,
			  &ps.st->root, 0);
	settings_index_free(ps.st);
	if (rc < 0) {
		settings_free(ps.st);
		return rc;
	}
	*out = ps.st;
	return 0;
}
