/*
 * Log times (logtime.h).  strptime(3) wants a C string: the date and
 * time to the second are copied out, at most 39 bytes.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "logtime.h"

enum { K_COMBINED = 1, K_ISO, K_SYSLOG };

int
logtime_init(struct logtime_parser *p)
{
	time_t now = time(NULL);
	struct tm tm;

	memset(p, 0, sizeof(*p));
	if ((p->c = newlocale(LC_ALL_MASK, "C", (locale_t)0)) == (locale_t)0)
		return -1;
	localtime_r(&now, &tm);
	p->year = tm.tm_year;
	return 0;
}

void
logtime_free(struct logtime_parser *p)
{
	if (p->c != (locale_t)0)
		freelocale(p->c);
	p->c = (locale_t)0;
}

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static size_t
span(const char *s, size_t len, size_t i, const char *set)
{
	while (i < len && s[i] != '\0' && strchr(set, s[i]) != NULL)
		i++;
	return i;
}

/* "+hh", "+hhmm" or "+hh:mm" (colon: ISO only) at s[*i]; seconds east. */
static int
zone(const char *s, size_t len, size_t *i, int colon, int *off)
{
	size_t k = *i;
	int sign, h, m = 0;

	if (k + 3 > len || (s[k] != '+' && s[k] != '-') ||
	    !is_digit(s[k + 1]) || !is_digit(s[k + 2]))
		return -1;
	sign = s[k] == '-' ? -1 : 1;
	h = (s[k + 1] - '0') * 10 + (s[k + 2] - '0');
	k += 3;
	if (colon && k + 3 <= len && s[k] == ':' && is_digit(s[k + 1]) &&
	    is_digit(s[k + 2])) {
		m = (s[k + 1] - '0') * 10 + (s[k + 2] - '0');
		k += 3;
	} else if (k + 2 <= len && is_digit(s[k]) && is_digit(s[k + 1])) {
		m = (s[k] - '0') * 10 + (s[k + 1] - '0');
		k += 2;
	} else if (!colon) {
		return -1;	/* the combined log's is always +hhmm */
	}
	if (h > 23 || m > 59)
		return -1;
	*off = sign * (h * 3600 + m * 60);
	*i = k;
	return 0;
}

/* ".ddd" or ",ddd" at s[*i]: the milliseconds, the rest dropped. */
static int
fraction(const char *s, size_t len, size_t *i)
{
	size_t k = *i + 1, d = 0;
	int ms = 0;

	if (*i >= len || (s[*i] != '.' && s[*i] != ',') || k >= len ||
	    !is_digit(s[k]))
		return 0;
	for (; k < len && is_digit(s[k]); k++, d++)
		if (d < 3)
			ms = ms * 10 + (s[k] - '0');
	for (; d < 3; d++)
		ms *= 10;
	*i = k;
	return ms;
}

/*
 * The date and time to the second, s[0, n), of the kind: read it into
 * the parser's cache unless it is there.  -1 when it is no such time.
 */
static int
read_prefix(struct logtime_parser *p, int kind, const char *s, size_t n)
{
	static const char *const fmt[] = {
		NULL, "%d/%b/%Y:%H:%M:%S", "%Y-%m-%d", "%b %d %H:%M:%S"
	};
	char buf[sizeof(p->text)];
	struct tm tm, want;
	const char *e;
	time_t t;

	if (kind == p->kind && n == p->textlen && memcmp(s, p->text, n) == 0)
		return 0;
	if (n >= sizeof(buf))
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	memset(&tm, 0, sizeof(tm));
	if ((e = strptime_l(buf, fmt[kind], &tm, p->c)) == NULL)
		return -1;
	if (kind == K_ISO) {
		/* RFC 3339 allows 't' and ' ' for 'T'; seconds optional */
		if (*e != 'T' && *e != 't' && *e != ' ')
			return -1;
		if ((e = strptime_l(e + 1, "%H:%M", &tm, p->c)) == NULL)
			return -1;
		if (*e == ':' && (e = strptime_l(e + 1, "%S", &tm, p->c)) ==
		    NULL)
			return -1;
	}
	if (kind == K_SYSLOG)
		tm.tm_year = p->year;
	if (*e != '\0')
		return -1;
	want = tm;
	errno = 0;
	if ((t = timegm(&tm)) == (time_t)-1 && errno == EOVERFLOW)
		return -1;
	/* 31/Feb: strptime takes it, timegm moves it to March */
	if (want.tm_sec < 60 && (tm.tm_mday != want.tm_mday ||
	    tm.tm_mon != want.tm_mon))
		return -1;
	memcpy(p->text, s, n);
	p->textlen = n;
	p->kind = kind;
	p->tm = want;
	p->wall = (int64_t)t;
	p->have_local = 0;
	return 0;
}

/* The cached time as local time (no zone in the text). */
static void
as_local(struct logtime_parser *p)
{
	struct tm tm = p->tm;
	time_t t;

	if (p->have_local)
		return;
	tm.tm_isdst = -1;
	t = mktime(&tm);
	p->local_sec = (int64_t)t;
	p->local_off = (int)tm.tm_gmtoff;
	p->have_local = 1;
}

static ptrdiff_t
epoch(const char *s, size_t len, size_t i, struct logtime *out)
{
	int64_t sec = 0;
	size_t d = 0;
	int ms;

	for (; i < len && is_digit(s[i]); i++)
		if (++d > 12)	/* past the year 33000 */
			return -1;
		else
			sec = sec * 10 + (s[i] - '0');
	ms = fraction(s, len, &i);
	out->ms = sec * 1000 + ms;
	out->off = 0;
	out->local = 1;
	return (ptrdiff_t)i;
}

ptrdiff_t
logtime_parse(struct logtime_parser *p, const char *s, size_t len,
    struct logtime *out)
{
	size_t i = 0, d, e;
	int kind, off = 0, has_zone = 0, ms = 0;

	if (len > 0 && s[0] == '[')
		i = 1;
	d = span(s, len, i, "0123456789") - i;
	if (d == 0 && i < len && isalpha((unsigned char)s[i])) {
		kind = K_SYSLOG;
		e = span(s, len, i, "ADFJMNOSabceglnoprtuvy");
		e = span(s, len, e, " ");
		e = span(s, len, e, "0123456789");
		e = span(s, len, e, " ");
		e = span(s, len, e, "0123456789:");
	} else if (d > 0 && i + d < len && s[i + d] == '/') {
		kind = K_COMBINED;
		e = span(s, len, i, "0123456789/:ADFJMNOSabceglnoprtuvy");
	} else if (d == 4 && i + d < len && s[i + d] == '-') {
		kind = K_ISO;
		e = i + 10 < len ? span(s, len, i + 11, "0123456789:") : len;
	} else if (d > 0 && i == 0) {
		return epoch(s, len, i, out);
	} else {
		return -1;
	}
	if (read_prefix(p, kind, s + i, e - i) < 0)
		return -1;
	i = e;
	if (kind == K_COMBINED) {
		e = span(s, len, i, " ");
		if (e > i && zone(s, len, &e, 0, &off) == 0) {
			has_zone = 1;
			i = e;
		}
	} else if (kind == K_ISO) {
		ms = fraction(s, len, &i);
		if (i < len && (s[i] == 'Z' || s[i] == 'z')) {
			has_zone = 1;
			i++;
		} else if (zone(s, len, &i, 1, &off) == 0) {
			has_zone = 1;
		}
	}
	if (s[0] == '[') {
		if (i >= len || s[i] != ']')
			return -1;
		i++;
	}
	if (has_zone) {
		out->ms = (p->wall - off) * 1000 + ms;
		out->off = off;
	} else {
		as_local(p);
		out->ms = p->local_sec * 1000 + ms;
		out->off = p->local_off;
	}
	out->local = 0;
	return (ptrdiff_t)i;
}
