#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "number.h"
#include "window.h"

int
window_duration(const char *text, int64_t *ms)
{
	static const struct {
		const char	*name;
		double		 ms;
	} unit[] = {
		{ "ms", 1 }, { "s", 1e3 }, { "m", 60e3 }, { "h", 3600e3 },
		{ "d", 86400e3 }, { "", 1e3 }
	};
	size_t n = strspn(text, "0123456789."), k;
	struct num v;
	double d;

	if (n == 0 || num_parse(text, n, &v) < 0)
		return -1;
	for (k = 0; k < sizeof(unit) / sizeof(unit[0]); k++)
		if (strcmp(text + n, unit[k].name) == 0)
			break;
	if (k == sizeof(unit) / sizeof(unit[0]))
		return -1;
	d = v.d * unit[k].ms;
	/* whole milliseconds (to rounding: 0.1s is 100), up to ~3000 years */
	if (!(d >= 1 && d <= 1e14) || fabs(d - round(d)) > 1e-6 * d)
		return -1;
	*ms = (int64_t)round(d);
	return 0;
}

size_t
window_start_text(int64_t t, int off, int subsec, char *buf)
{
	int64_t ms = t % 1000 < 0 ? t % 1000 + 1000 : t % 1000;
	time_t sec = (time_t)((t - ms) / 1000 + off);
	int a = off < 0 ? -off : off;
	struct tm tm;
	size_t n;

	gmtime_r(&sec, &tm);
	n = strftime(buf, WINDOW_STARTSIZE, "%Y-%m-%dT%H:%M:%S", &tm);
	if (subsec)
		n += (size_t)snprintf(buf + n, WINDOW_STARTSIZE - n, ".%03d",
		    (int)ms);
	n += (size_t)snprintf(buf + n, WINDOW_STARTSIZE - n, "%c%02d%02d",
	    off < 0 ? '-' : '+', a / 3600, a / 60 % 60);
	return n;
}

int
window_local_off(int64_t t)
{
	time_t sec = (time_t)(t >= 0 ? t / 1000 : (t - 999) / 1000);
	struct tm tm;

	localtime_r(&sec, &tm);
	return (int)tm.tm_gmtoff;
}

int64_t
window_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
