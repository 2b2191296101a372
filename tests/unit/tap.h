/* tap.h: a few macros that make a C unit test speak TAP, as bats does. */
#ifndef RUNNEL_TAP_H
#define RUNNEL_TAP_H

#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

#define ok(cond, ...) do {						\
	tap_n++;							\
	if (!(cond)) {							\
		tap_failed++;						\
		printf("not ok %d - ", tap_n);				\
	} else								\
		printf("ok %d - ", tap_n);				\
	printf(__VA_ARGS__);						\
	printf("\n");							\
} while (0)

#define is_str(got, want, ...) do {					\
	ok(strcmp((got), (want)) == 0, __VA_ARGS__);			\
	if (strcmp((got), (want)) != 0)					\
		printf("#   got '%s', want '%s'\n", (got), (want));	\
} while (0)

#define done_testing() (printf("1..%d\n", tap_n), tap_failed != 0)

#endif
