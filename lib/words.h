/*
 * words.h: split pipe's PIPELINE text into words as a POSIX shell does,
 * without any expansion.
 *
 * Single quotes keep every byte; double quotes keep every byte but
 * \" \\ \$ \` (the backslash goes) and backslash-newline (both go);
 * outside quotes a backslash keeps the next byte and backslash-newline
 * disappears.  An unquoted '|' is an operator token of its own.  Blanks
 * and newlines separate words; '#' at the start of a word begins a
 * comment to the end of the line.  $, `, *, ~ and the rest stay literal.
 */
#ifndef RUNNEL_WORDS_H
#define RUNNEL_WORDS_H

#include <stddef.h>

struct word {
	char	*s;		/* NUL-terminated, inside words.buf */
	size_t	 len;
	int	 pipe;		/* the unquoted operator '|' */
	int	 line;		/* where the word starts, from 1 */
};

struct words {
	struct word	*w;	/* owned */
	size_t		 n;
	char		*buf;	/* owned: every word's bytes */
	/*
	 * Set when sh would read the text differently: an unquoted or
	 * double-quoted ` or $ that starts an expansion ($NAME, ${, $(, $1,
	 * $?, ...; not a $ before a blank, a quote or the end, which sh
	 * keeps as it is), an unquoted glob, tilde or shell operator.
	 * A caller deciding between running text in-process and sh -c
	 * (broadcast -c inside pipe) runs it in-process only when clear.
	 */
	int		 sh_special;
};

/*
 * Split len bytes of text.  Returns 0, or -1 with a message (without
 * prefix) in err and its line in *errline.  The caller frees with
 * words_free() in both cases.
 */
int	words_split(const char *text, size_t len, struct words *out,
	    char *err, size_t errsize, int *errline);
void	words_free(struct words *);

#endif
