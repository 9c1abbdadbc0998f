/* SPDX-License-Identifier: BSD-2-Clause */
/* Tokens of the settings syntax (settings.h), one byte at a time through
 * a cursor: files are at most SETTINGS_FILE_MAX bytes, so simplicity wins
 * over speed here. */
#include "config/lexer.h"

#include <stdlib.h>
#include <string.h>

#include "common/secret.h"

static bool is_blank(uint8_t ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r';
}

static bool is_name_char(uint8_t ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' || ch == '.';
}

/* One pass before lexing, so that the lexer itself never meets a NUL
 * (the tree holds C strings) or an endless line. */
static int prescan(struct lexer *lx)
{
	struct cur c = lx->c;
	size_t col = 0;
	int line = 1;
	uint8_t ch;

	while (cur_left(&c) > 0 && cur_u8(&c, &ch)) {
		if (ch == '\0') {
			settings_err_at(lx->err, lx->file, line, "NUL byte in the file");
			return IFS_ERR_SYNTAX;
		}
		if (ch == '\n') {
			line++;
			col = 0;
			continue;
		}
		if (++col > SETTINGS_LINE_MAX) {
			settings_err_at(lx->err, lx->file, line,
					"line longer than %d bytes", SETTINGS_LINE_MAX);
			return IFS_ERR_RANGE;
		}
	}
	return 0;
}

int lexer_init(struct lexer *lx, const uint8_t *buf, size_t len,
	       const char *file, struct settings_err *err)
{
	memset(lx, 0, sizeof(*lx));
	lx->file = file;
	lx->line = 1;
	lx->err = err;
	cur_init(&lx->c, buf, len);
	if (len > SETTINGS_FILE_MAX) {
		settings_err_at(err, file, 1, "larger than %d bytes", SETTINGS_FILE_MAX);
		return IFS_ERR_RANGE;
	}
	int rc = prescan(lx);
	if (rc < 0)
		return rc;
	lx->text = malloc(SETTINGS_VALUE_MAX + 1);
	if (!lx->text) {
		settings_err_at(err, file, 1, "out of memory");
		return IFS_ERR_NOMEM;
	}
	lx->text[0] = '\0';
	return 0;
}

void lexer_clear(struct lexer *lx)
{
	if (lx->text) {
		secret_wipe(lx->text, lx->text_used + 1);
		free(lx->text);
	}
	lx->text = NULL;
	lx->text_len = 0;
	lx->text_used = 0;
}

static bool peek(const struct lexer *lx, uint8_t *ch)
{
	*ch = 0;
	if (cur_left(&lx->c) == 0)
		return false;
	return cur_peek_u8(&lx->c, ch);
}

static bool getc_(struct lexer *lx, uint8_t *ch)
{
	*ch = 0;
	if (cur_left(&lx->c) == 0 || !cur_u8(&lx->c, ch))
		return false;
	if (*ch == '\n')
		lx->line++;
	return true;
}

/* A comment runs to the end of the line; the newline is left. */
static void skip_comment(struct lexer *lx)
{
	uint8_t ch;

	while (peek(lx, &ch) && ch != '\n')
		(void)getc_(lx, &ch);
}

static void skip_space(struct lexer *lx, bool is_newline_space)
{
	uint8_t ch;

	while (peek(lx, &ch)) {
		if (ch == '#')
			skip_comment(lx);
		else if (is_blank(ch) || (is_newline_space && ch == '\n'))
			(void)getc_(lx, &ch);
		else
			break;
	}
}

static int append(struct lexer *lx, uint8_t ch, size_t max, const char *what)
{
	if (lx->text_len >= max) {
		settings_err_at(lx->err, lx->file, lx->tok_line,
				"%s longer than %zu bytes", what, max);
		return IFS_ERR_RANGE;
	}
	lx->text[lx->text_len++] = (char)ch;
	lx->text[lx->text_len] = '\0';
	if (lx->text_len > lx->text_used)
		lx->text_used = lx->text_len;
	return 0;
}

static int read_name(struct lexer *lx)
{
	uint8_t ch;
	int rc;

	lx->text_len = 0;
	while (peek(lx, &ch) && is_name_char(ch)) {
		(void)getc_(lx, &ch);
		rc = append(lx, ch, SETTINGS_NAME_MAX, "name");
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int unexpected(struct lexer *lx, uint8_t ch)
{
	if (ch == '"')
		settings_err_at(lx->err, lx->file, lx->tok_line,
				"unexpected quoted string (only a value may be quoted)");
	else if (ch > 0x20 && ch < 0x7f)
		settings_err_at(lx->err, lx->file, lx->tok_line,
				"unexpected character '%c'", ch);
	else
		settings_err_at(lx->err, lx->file, lx->tok_line,
				"unexpected byte 0x%02x", ch);
	return IFS_ERR_SYNTAX;
}

int lexer_next(struct lexer *lx, enum lexer_tok *tok)
{
	uint8_t ch;

	*tok = LEXER_EOF;
	lx->text_len = 0;
	lx->text[0] = '\0';
	skip_space(lx, true);
	lx->tok_line = lx->line;
	if (!peek(lx, &ch))
		return 0;
	switch (ch) {
	case '{': *tok = LEXER_LBRACE; break;
	case '}': *tok = LEXER_RBRACE; break;
	case '=': *tok = LEXER_EQUALS; break;
	case ':': *tok = LEXER_COLON; break;
	default:
		if (!is_name_char(ch))
			return unexpected(lx, ch);
		*tok = LEXER_NAME;
		return read_name(lx);
	}
	(void)getc_(lx, &ch);
	return 0;
}

/* The escapes strongSwan knows: \n \r \t, a backslash before a newline
 * joins the lines, and any other escaped character stands for itself
 * (\" and \\ among them). */
static int read_escape(struct lexer *lx, int start_line)
{
	uint8_t ch;

	if (!getc_(lx, &ch)) {
		settings_err_at(lx->err, lx->file, start_line,
				"unterminated quoted string");
		return IFS_ERR_SYNTAX;
	}
	switch (ch) {
	case 'n': ch = '\n'; break;
	case 'r': ch = '\r'; break;
	case 't': ch = '\t'; break;
	case '\n': return 0;
	case '\r':
		if (peek(lx, &ch) && ch == '\n') {
			(void)getc_(lx, &ch);
			return 0;
		}
		ch = '\r';
		break;
	default: break;
	}
	return append(lx, ch, SETTINGS_VALUE_MAX, "value");
}

static int read_quoted(struct lexer *lx)
{
	int start_line = lx->line;
	uint8_t ch;
	int rc;

	(void)getc_(lx, &ch);   /* the opening quote */
	for (;;) {
		if (!getc_(lx, &ch)) {
			settings_err_at(lx->err, lx->file, start_line,
					"unterminated quoted string");
			return IFS_ERR_SYNTAX;
		}
		if (ch == '"')
			return 0;
		if (ch == '\\')
			rc = read_escape(lx, start_line);
		else
			rc = append(lx, ch, SETTINGS_VALUE_MAX, "value");
		if (rc < 0)
			return rc;
	}
}

static bool ends_word(uint8_t ch)
{
	return is_blank(ch) || ch == '\n' || ch == '#' || ch == '}' || ch == '"';
}

static int read_word(struct lexer *lx)
{
	uint8_t ch;
	int rc;

	while (peek(lx, &ch) && !ends_word(ch)) {
		(void)getc_(lx, &ch);
		rc = append(lx, ch, SETTINGS_VALUE_MAX, "value");
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* Words and quoted strings up to the end of the line, a comment or a '}',
 * joined with one space each as strongSwan joins them. A '}' is left for
 * lexer_next(), so "inbound { spi = 0x1000 }" closes the section. */
int lexer_value(struct lexer *lx)
{
	bool is_first = true;
	uint8_t ch;
	int rc;

	lx->text_len = 0;
	lx->text[0] = '\0';
	skip_space(lx, false);
	lx->tok_line = lx->line;
	while (peek(lx, &ch) && ch != '\n' && ch != '}') {
		if (!is_first) {
			rc = append(lx, ' ', SETTINGS_VALUE_MAX, "value");
			if (rc < 0)
				return rc;
		}
		is_first = false;
		rc = ch == '"' ? read_quoted(lx) : read_word(lx);
		if (rc < 0)
			return rc;
		skip_space(lx, false);
	}
	return 0;
}

uint8_t lexer_peek_on_line(struct lexer *lx)
{
	uint8_t ch;

	skip_space(lx, false);
	if (!peek(lx, &ch))
		return '\n';
	return ch;
}
