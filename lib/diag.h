/*
 * diag.h: messages on stderr in the one shape the toolkit uses,
 * "PROG: message".  Nothing here exits: the library reports and returns,
 * the caller decides.
 */
#ifndef RUNNEL_DIAG_H
#define RUNNEL_DIAG_H

#include <stddef.h>
#include <stdint.h>

/* "prog: fmt...\n" */
void	diag(const char *prog, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* "prog: fmt...: strerror(errnum)\n" */
void	diag_errno(const char *prog, int errnum, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/*
 * Copy at most max bytes of data into buf (size >= max * 4 + 4) with
 * non-printable bytes written as \xHH, so that a message never carries
 * raw control bytes; "..." marks a cut.
 */
const char	*diag_quote(char *buf, const char *data, size_t len, size_t max);

/*
 * Warnings about single lines (power's invalid numbers, printer's
 * unreadable times, match's lines over PCRE2's limits) do not flood
 * stderr: the first DIAG_LINES_SHOWN are written, the others counted,
 * and at the end one line says how many more there were.  Zeroed at
 * first; one a stage.
 */
#define DIAG_LINES_SHOWN	10
struct diag_lines {
	uint64_t	n;		/* warnings so far, shown or not */
};

/* Count a warning: 1 when it is to be written, 0 when only counted. */
int	diag_lines_next(struct diag_lines *);
/* "prog: N more WHAT not shown" when there were more; else nothing. */
void	diag_lines_end(const struct diag_lines *, const char *prog,
	    const char *what);

#endif
