/*
 * monotime.h: the monotonic clock, for deadlines, grace periods and
 * --stats times (never for what a user reads as a date: timefmt.h).
 */
#ifndef RUNNEL_MONOTIME_H
#define RUNNEL_MONOTIME_H

#include <time.h>

/* Seconds since some fixed point. */
static inline double
monotime(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The same, in whole milliseconds. */
static inline long long
monotime_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

#endif
