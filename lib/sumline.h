/*
 * sumline.h: one summary line, as NAME=VALUE pairs separated by a space
 * ("window=... f9=404 count=12 p99=~5210") or as one JSON object
 * ({"window":"...","f9":"404","count":12,"p99~":5210}).  A key's value
 * is written as its bytes in text, as a JSON string in JSON.
 */
#ifndef RUNNEL_SUMLINE_H
#define RUNNEL_SUMLINE_H

#include <stddef.h>

#include "number.h"

struct sumline {
	int	 json;
	char	*buf;		/* owned */
	size_t	 len, cap;
	int	 npairs;	/* in the line begun */
};

void	sumline_init(struct sumline *, int json);
void	sumline_free(struct sumline *);
/* Start a line (buf keeps the lines before it until len is reset). */
void	sumline_begin(struct sumline *);
/* Each -1 when out of memory. */
int	sumline_str(struct sumline *, const char *name, const char *val,
	    size_t vlen);
/* A number; an approximate one is "~V" in text, key "NAME~" in JSON. */
int	sumline_num(struct sumline *, const char *name, const struct num *v,
	    int approx);
int	sumline_end(struct sumline *);

#endif
