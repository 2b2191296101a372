#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "diag.h"

static void
vdiag(const char *prog, int errnum, const char *fmt, va_list ap)
{
	char buf[4096];
	int n;

	/* One write, so that messages from several processes do not mix. */
	n = snprintf(buf, sizeof(buf), "%s: ", prog);
	n += vsnprintf(buf + n, sizeof(buf) - n, fmt, ap);
	if (n > (int)sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	if (errnum)
		n += snprintf(buf + n, sizeof(buf) - n, ": %s",
		    strerror(errnum));
	if (n > (int)sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	fflush(stdout);
	fwrite(buf, 1, n, stderr);
	fflush(stderr);
}

void
diag(const char *prog, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vdiag(prog, 0, fmt, ap);
	va_end(ap);
}

void
diag_errno(const char *prog, int errnum, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vdiag(prog, errnum, fmt, ap);
	va_end(ap);
}

const char *
diag_quote(char *buf, const char *data, size_t len, size_t max)
{
	static const char hex[] = "0123456789abcdef";
	char *o = buf;
	size_t i;

	for (i = 0; i < len && i < max; i++) {
		unsigned char c = data[i];

		if (c >= 0x20 && c != 0x7f) {
			*o++ = c;
		} else {
			*o++ = '\\';
			*o++ = 'x';
			*o++ = hex[c >> 4];
			*o++ = hex[c & 15];
		}
	}
	if (len > max) {
		memcpy(o, "...", 3);
		o += 3;
	}
	*o = '\0';
	return buf;
}

int
diag_lines_next(struct diag_lines *dl)
{
	return dl->n++ < DIAG_LINES_SHOWN;
}

void
diag_lines_end(const struct diag_lines *dl, const char *prog,
    const char *what)
{
	if (dl->n > DIAG_LINES_SHOWN)
		diag(prog, "%llu more %s not shown",
		    (unsigned long long)(dl->n - DIAG_LINES_SHOWN), what);
}
