/*
 * number.h: the one number syntax and the one number format of the
 * toolkit (power's values, printer's summaries, option arguments).
 *
 * Syntax: optional sign, digits with an optional fraction (or a fraction
 * alone), an optional exponent; or inf, infinity, nan in any case.  No
 * hex, no thousands separators, never the locale's decimal comma.
 *
 * Format: an integer exactly; a double in the shortest "%.*g" (precision
 * 1 to 17) that reads back as the same double; inf, -inf, nan.
 */
#ifndef RUNNEL_NUMBER_H
#define RUNNEL_NUMBER_H

#include <stddef.h>
#include <stdint.h>

struct num {
	int	is_int;		/* integer syntax that fits int64: i is exact */
	int64_t	i;
	double	d;		/* the value as a double, always set */
};

/* Longest text num_format() writes, with its NUL. */
#define NUM_BUFSIZE	40

/* Parse exactly [s, s+len); 0 on success, -1 if it is not a number. */
int	num_parse(const char *s, size_t len, struct num *out);
/* The same, allowing blanks (space, tab, CR, VT, FF) around the number. */
int	num_parse_blanks(const char *s, size_t len, struct num *out);
/* Is c one of the blanks num_parse_blanks() skips?  (Inline: power
   asks it twice a line.) */
static inline int
num_is_blank(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static inline double
num_double(const struct num *n)
{
	return n->d;
}

static inline void
num_set_int(struct num *n, int64_t i)
{
	n->is_int = 1;
	n->i = i;
	n->d = (double)i;
}

static inline void
num_set_double(struct num *n, double d)
{
	n->is_int = 0;
	n->i = 0;
	n->d = d;
}

/* Write n into buf (NUM_BUFSIZE bytes); returns the length, no NUL counted. */
size_t	num_format(const struct num *n, char *buf);
size_t	num_format_int(int64_t i, char *buf);
size_t	num_format_double(double d, char *buf);

/* a + b exactly when both are integers and the sum fits; else a double. */
void	num_add(struct num *out, const struct num *a, const struct num *b);
/* a * b under the same rule. */
void	num_mul(struct num *out, const struct num *a, const struct num *b);
/* -1, 0, 1; nan compares as neither smaller nor greater (returns 0). */
int	num_cmp(const struct num *a, const struct num *b);

#endif
