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

/* The splitter's place in the text. */
struct splitter {
	const char	*p, *end;
	char		*out;		/* where the next byte of a word goes */
	int		 line;
	const char	*err;		/* the message once it failed */
	int		 errline;
};

static int
fail(struct splitter *sp, const char *msg, int line)
{
	sp->err = msg;
	sp->errline = line;
	return -1;
}

/* '...': every byte up to the next quote. */
static int
single_quoted(struct splitter *sp)
{
	const char *q = memchr(sp->p + 1, '\'', sp->end - sp->p - 1);

	if (q == NULL)
		return fail(sp, "unterminated single quote", sp->line);
	for (sp->p++; sp->p < q; sp->p++) {
		if (*sp->p == '\0')
			return fail(sp, "NUL byte in the pipeline", sp->line);
		sp->line += *sp->p == '\n';
		*sp->out++ = *sp->p;
	}
	sp->p++;
	return 0;
}

/* "...": every byte but \" \\ \$ \` and backslash-newline. */
static int
double_quoted(struct splitter *sp, struct words *ws)
{
	int qline = sp->line;

	for (sp->p++;; sp->p++) {
		const char *p = sp->p;

		if (p >= sp->end)
			return fail(sp, "unterminated double quote", qline);
		if (*p == '"')
			break;
		if (*p == '\0')
			return fail(sp, "NUL byte in the pipeline", sp->line);
		if (*p == '`' || (*p == '$' && dollar_expands(p, sp->end, 1)))
			ws->sh_special = 1;
		if (*p == '\\' && p + 1 < sp->end) {
			if (p[1] == '\n') {
				sp->p++;
				sp->line++;
				continue;
			}
			if (p[1] == '"' || p[1] == '\\' || p[1] == '$' ||
			    p[1] == '`') {
				*sp->out++ = p[1];
				sp->p++;
				continue;
			}
		}
		sp->line += *p == '\n';
		*sp->out++ = *p;
	}
	sp->p++;
	return 0;
}

/* A backslash outside quotes: it keeps the next byte. */
static void
backslashed(struct splitter *sp)
{
	const char *p = sp->p;

	if (p + 1 >= sp->end) {
		/* A backslash ending the text stays, as in sh. */
		*sp->out++ = '\\';
		sp->p++;
	} else if (p[1] == '\n') {
		sp->p += 2;
		sp->line++;
	} else if (p[1] == '\0') {
		sp->p++;	/* reported next round */
	} else {
		*sp->out++ = p[1];
		sp->p += 2;
	}
}

/*
 * Between words: skip blanks, comments and backslash-newlines, take a
 * '|'.  1 when a word starts at sp->p, 0 when something was skipped or
 * taken, -1 when memory ran out.
 */
static int
between(struct splitter *sp, struct words *ws, size_t *cap)
{
	unsigned char c = *sp->p;

	if (c == ' ' || c == '\t' || c == '\n') {
		sp->line += c == '\n';
		sp->p++;
	} else if (c == '#') {
		while (sp->p < sp->end && *sp->p != '\n')
			sp->p++;
	} else if (c == '\\' && sp->p + 1 < sp->end && sp->p[1] == '\n') {
		sp->p += 2;
		sp->line++;
	} else if (c == '|') {
		*sp->out = '\0';
		if (add_word(ws, cap, sp->out, 0, 1, sp->line) < 0)
			return -1;
		sp->out++;
		sp->p++;
	} else {
		if (sh_special_char(c, 1) ||
		    (c == '$' && dollar_expands(sp->p, sp->end, 0)))
			ws->sh_special = 1;
		return 1;
	}
	return 0;
}

int
words_split(const char *text, size_t len, struct words *ws, char *err,
    size_t errsize, int *errline)
{
	struct splitter sp = { text, text + len, NULL, 1, NULL, 0 };
	size_t cap = 0;
	char *start = NULL;	/* the word being built */
	int wline = 1, r;

	memset(ws, 0, sizeof(*ws));
	if ((ws->buf = malloc(2 * len + 2)) == NULL)
		goto nomem;
	sp.out = ws->buf;
	while (sp.p < sp.end) {
		unsigned char c = *sp.p;

		if (c == '\0') {
			fail(&sp, "NUL byte in the pipeline", sp.line);
			break;
		}
		if (start == NULL) {
			if ((r = between(&sp, ws, &cap)) < 0)
				goto nomem;
			if (r == 0)
				continue;
			start = sp.out;
			wline = sp.line;
		}
		if (c == ' ' || c == '\t' || c == '\n' || c == '|') {
			*sp.out = '\0';
			if (add_word(ws, &cap, start, sp.out - start, 0,
			    wline) < 0)
				goto nomem;
			sp.out++;
			start = NULL;
			continue;	/* the separator is looked at again */
		}
		if (c == '\'' && single_quoted(&sp) < 0)
			break;
		else if (c == '"' && double_quoted(&sp, ws) < 0)
			break;
		else if (c == '\\')
			backslashed(&sp);
		else if (c != '\'' && c != '"') {
			if (sh_special_char(c, 0) ||
			    (c == '$' && dollar_expands(sp.p, sp.end, 0)))
				ws->sh_special = 1;
			*sp.out++ = c;
			sp.p++;
		}
	}
	if (sp.err != NULL) {
		snprintf(err, errsize, "%s", sp.err);
		*errline = sp.errline;
		return -1;
	}
	if (start != NULL) {
		*sp.out = '\0';
		if (add_word(ws, &cap, start, sp.out - start, 0, wline) < 0)
			goto nomem;
	}
	return 0;
nomem:
	snprintf(err, errsize, "out of memory");
	*errline = sp.line;
	return -1;
}

void
words_free(struct words *ws)
{
	free(ws->w);
	free(ws->buf);
	memset(ws, 0, sizeof(*ws));
}
