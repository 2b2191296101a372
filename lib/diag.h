/*
 * diag.h: messages on stderr in the one shape the toolkit uses,
 * "PROG: message".  Nothing here exits: the library reports and returns,
 * the caller decides.
 */
#ifndef RUNNEL_DIAG_H
#define RUNNEL_DIAG_H

#include <stddef.h>

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

#endif
