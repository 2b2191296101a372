#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "grow.h"
#include "timefmt.h"

int
timefmt_init(struct timefmt *tf, const char *format)
{
	memset(tf, 0, sizeof(*tf));
	tf->format = format;
	tf->subsecond = strstr(format, "%.S") || strstr(format, "%.s") ||
	    strstr(format, "%.T");
	tf->last_sec = -1;
	/* Each %.X grows by at most 28 bytes ("%S" + ".123456" or epoch). */
	tf->expanded = malloc(strlen(format) * 10 + 64);
	if (tf->expanded == NULL ||
	    grow(&tf->text, &tf->cap, 256, 256) < 0) {
		timefmt_free(tf);
		return -1;
	}
	return 0;
}

void
timefmt_free(struct timefmt *tf)
{
	free(tf->expanded);
	free(tf->text);
	tf->expanded = tf->text = NULL;
}

/* Fill %.S, %.s and %.T in with this instant's microseconds. */
static void
expand(struct timefmt *tf, const struct timespec *now)
{
	const char *f = tf->format;
	char *o = tf->expanded;
	long usec = now->tv_nsec / 1000;

	while (*f != '\0') {
		if (f[0] != '%') {
			*o++ = *f++;
			continue;
		}
		if (f[1] == '.' && (f[2] == 'S' || f[2] == 'T')) {
			o += sprintf(o, "%%%c.%06ld", f[2], usec);
			f += 3;
		} else if (f[1] == '.' && f[2] == 's') {
			o += sprintf(o, "%lld.%06ld", (long long)now->tv_sec,
			    usec);
			f += 3;
		} else if (f[1] != '\0') {
			*o++ = *f++;
			*o++ = *f++;
		} else {
			*o++ = *f++;
		}
	}
	*o = '\0';
}

const char *
timefmt_now(struct timefmt *tf, size_t *len)
{
	struct timespec now;
	struct tm tm;
	size_t n;

	clock_gettime(CLOCK_REALTIME, &now);
	if (now.tv_sec == tf->last_sec &&
	    (!tf->subsecond || now.tv_nsec / 1000 == tf->last_usec)) {
		*len = tf->textlen;
		return tf->text;
	}
	expand(tf, &now);
	localtime_r(&now.tv_sec, &tm);
	/* strftime returns 0 both for "too small" and for an empty result. */
	while ((n = strftime(tf->text, tf->cap, tf->expanded, &tm)) == 0 &&
	    tf->cap < 65536 && grow(&tf->text, &tf->cap, tf->cap + 1, 256) == 0)
		;
	tf->textlen = n;
	tf->last_sec = now.tv_sec;
	tf->last_usec = now.tv_nsec / 1000;
	*len = n;
	return tf->text;
}
