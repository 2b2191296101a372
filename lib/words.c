/*
 * words: POSIX shell word splitting without expansions (words.h).
 * One pass over the text; the words are written into one buffer that is
 * never larger than twice the text, so pointers into it stay valid.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "words.h"

/*
 * Does a '$' followed by c start an expansion?  A '$' before anything
 * else is an ordinary character to sh (a pattern's "[0-9]+$").  Outside
 * double quotes, $'...' and $"..." are bash's quotings: sh -c decides.
 */
static int
dollar_expands(const char *p, const char *end, int quoted)
{
	unsigned char c;

	if (p + 1 >= end)
		return 0;
	c = p[1];
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_')
		return 1;
	switch (c) {
	case '{': case '(': case '@': case '*': case '#': case '?':
	case '-': case '$': case '!':
		return 1;
	case '\'': case '"':
		return !quoted;
	}
	return 0;
}

/* Characters that make sh do more than split words, outside quotes. */
static int
sh_special_char(unsigned char c, int word_start)
{
	switch (c) {
	case '`': case '*': case '?': case '[':
	case ';': case '&': case '<': case '>': case '(': case ')':
		return 1;
	case '~': case '{': case '}': case '!':
		return word_start;
	}
	return 0;
}

static int
add_word(struct words *ws, size_t *cap, char *s, size_t len, int pipe,
    int line)
{
	if (ws->n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 16;
		struct word *nw = realloc(ws->w, ncap * sizeof(*nw));

		if (nw == NULL)
			return -1;
		ws->w = nw;
		*cap = ncap;
	}
	ws->w[ws->n].s = s;
	ws->w[ws->n].len = len;
	ws->w[ws->n].pipe = pipe;
	ws->w[ws->n].line = line;
	ws->n++;
	return 0;
}

int
words_split(const char *text, size_t len, struct words *ws, char *err,
    size_t errsize, int *errline)
{
	const char *p = text, *end = text + len;
	size_t cap = 0;
	char *out, *start = NULL;	/* start: the word being built */
	int line = 1, wline = 1;

	memset(ws, 0, sizeof(*ws));
	if ((ws->buf = malloc(2 * len + 2)) == NULL)
		goto nomem;
	out = ws->buf;
	while (p < end) {
		unsigned char c = *p;

		if (c == '\0') {
			snprintf(err, errsize, "NUL byte in the pipeline");
			*errline = line;
			return -1;
		}
		if (start == NULL) {
			/* Between words. */
			if (c == ' ' || c == '\t' || c == '\n') {
				line += c == '\n';
				p++;
				continue;
			}
			if (c == '#') {
				while (p < end && *p != '\n')
					p++;
				continue;
			}
			if (c == '\\' && p + 1 < end && p[1] == '\n') {
				p += 2;
				line++;
				continue;
			}
			if (c == '|') {
				*out = '\0';
				if (add_word(ws, &cap, out, 0, 1, line) < 0)
					goto nomem;
				out++;
				p++;
				continue;
			}
			if (sh_special_char(c, 1) ||
			    (c == '$' && dollar_expands(p, end, 0)))
				ws->sh_special = 1;
			start = out;
			wline = line;
		}
		/* Inside a word. */
		if (c == ' ' || c == '\t' || c == '\n' || c == '|') {
			*out = '\0';
			if (add_word(ws, &cap, start, out - start, 0, wline) < 0)
				goto nomem;
			out++;
			start = NULL;
			continue;	/* the separator is looked at again */
		}
		if (c == '\'') {
			const char *q = memchr(p + 1, '\'', end - p - 1);

			if (q == NULL) {
				snprintf(err, errsize,
				    "unterminated single quote");
				*errline = line;
				return -1;
			}
			for (p++; p < q; p++) {
				if (*p == '\0') {
					snprintf(err, errsize,
					    "NUL byte in the pipeline");
					*errline = line;
					return -1;
				}
				line += *p == '\n';
				*out++ = *p;
			}
			p++;
			continue;
		}
		if (c == '"') {
			int qline = line;

			for (p++;; p++) {
				if (p >= end) {
					snprintf(err, errsize,
					    "unterminated double quote");
					*errline = qline;
					return -1;
				}
				if (*p == '"')
					break;
				if (*p == '\0') {
					snprintf(err, errsize,
					    "NUL byte in the pipeline");
					*errline = line;
					return -1;
				}
				if (*p == '`' ||
				    (*p == '$' && dollar_expands(p, end, 1)))
					ws->sh_special = 1;
				if (*p == '\\' && p + 1 < end) {
					char n = p[1];

					if (n == '\n') {
						p++;
						line++;
						continue;
					}
					if (n == '"' || n == '\\' ||
					    n == '$' || n == '`') {
						*out++ = n;
						p++;
						continue;
					}
				}
				line += *p == '\n';
				*out++ = *p;
			}
			p++;
			continue;
		}
		if (c == '\\') {
			if (p + 1 >= end) {
				/* A backslash ending the text stays, as in sh. */
				*out++ = '\\';
				p++;
				continue;
			}
			if (p[1] == '\n') {
				p += 2;
				line++;
				continue;
			}
			if (p[1] == '\0')
				{ p++; continue; }	/* reported next round */
			*out++ = p[1];
			p += 2;
			continue;
		}
		if (sh_special_char(c, 0) ||
		    (c == '$' && dollar_expands(p, end, 0)))
			ws->sh_special = 1;
		*out++ = c;
		p++;
	}
	if (start != NULL) {
		*out = '\0';
		if (add_word(ws, &cap, start, out - start, 0, wline) < 0)
			goto nomem;
	}
	return 0;
nomem:
	snprintf(err, errsize, "out of memory");
	*errline = line;
	return -1;
}

void
words_free(struct words *ws)
{
	free(ws->w);
	free(ws->buf);
	memset(ws, 0, sizeof(*ws));
}
