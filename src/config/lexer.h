/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef IFS_CONFIG_LEXER_H
#define IFS_CONFIG_LEXER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "common/cur.h"
#include "config/settings.h"

/*
 * Tokens of the settings syntax, read from one file's bytes through a
 * struct cur. Outside a value, blanks, newlines and '#' comments only
 * separate tokens (so "name\n{" is a section, as in strongSwan). After
 * '=' the parser asks for the value with lexer_value(), which reads to
 * the end of the line, a '#' or a '}'.
 */
enum lexer_tok {
	LEXER_EOF,
	LEXER_NAME,     /* text holds it */
	LEXER_LBRACE,
	LEXER_RBRACE,
	LEXER_EQUALS,
	LEXER_COLON,
};

struct lexer {
	struct cur c;
	const char *file;
	int line;               /* of the next byte */
	int tok_line;           /* where the last token or value started */
	char *text;             /* the last name or value, NUL-terminated */
	size_t text_len;
	size_t text_used;       /* high-water mark, what lexer_clear() wipes */
	struct settings_err *err;
};

/* Checks the whole buffer first: no NUL byte, no line longer than
 * SETTINGS_LINE_MAX. The buffer is borrowed until lexer_clear(). */
int lexer_init(struct lexer *lx, const uint8_t *buf, size_t len,
	       const char *file, struct settings_err *err) IFS_MUST_CHECK;
/* Wipes the text buffer (a value may be a secret). */
void lexer_clear(struct lexer *lx);

int lexer_next(struct lexer *lx, enum lexer_tok *tok) IFS_MUST_CHECK;
/* The value after '=' (or an include pattern) into text. */
int lexer_value(struct lexer *lx) IFS_MUST_CHECK;
/* The next byte on this line after blanks, without consuming it; '\n'
 * at the end of the line, a comment or the file. */
uint8_t lexer_peek_on_line(struct lexer *lx);

#endif
