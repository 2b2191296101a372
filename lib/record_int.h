/*
 * record_int.h: what record.c shares with the format readers
 * (record_clf.c, record_json.c, record_logfmt.c, record_parse.c); not
 * for the commands, which use record.h.
 */
#ifndef RUNNEL_RECORD_INT_H
#define RUNNEL_RECORD_INT_H

#include <stddef.h>

#include "record.h"

/* record_clf.c: combined and common access logs. */
enum {
	CLF_HOST, CLF_IDENT, CLF_USER, CLF_TIME, CLF_REQUEST, CLF_METHOD,
	CLF_PATH, CLF_PROTOCOL, CLF_STATUS, CLF_BYTES, CLF_REFERER,
	CLF_AGENT, CLF_NFIELDS
};
/* The index of a name, -1 for none; common has no referer and agent. */
int	clf_index(const char *name, size_t len, int combined);
/* Field idx of a line: 0, or -1 when missing or the line is malformed. */
int	clf_find(const char *line, size_t len, int idx, struct rspan *out);
/* Does the line read as a common (or combined) log line? */
int	clf_reads(const char *line, size_t len);

/* record_json.c: JSON lines. */
enum { JSCAN_INVALID = -1, JSCAN_MISSING = 0, JSCAN_FOUND = 1 };
struct json_hit {
	size_t	 start, len;	/* a string's bytes inside its quotes */
	int	 type;		/* 's' 'n' 't' 'f' 'z' (null) 'o' 'a' */
	int	 esc;		/* a string with a backslash */
	int	 unsure;	/* the scanner declined: ask jansson */
};
/*
 * The fast scanner alone: the value of path (keys separated by '.')
 * in the line, as jansson would read it unless h->unsure.
 */
int	json_scan(const char *line, size_t len, const char *path,
	    size_t plen, struct json_hit *h);
/* Scanner, then jansson for what it declined: JSCAN_*. */
int	json_find(struct record *r, const char *line, size_t len,
	    const char *path, size_t plen, struct rspan *out);
/* Is the line one JSON object? */
int	json_reads(struct record *r, const char *line, size_t len);
/* The text of a JSON string's bytes s[0, n) into dst (room for n). */
size_t	json_unescape(const char *s, size_t n, char *dst);

/* record_logfmt.c */
int	logfmt_find(const char *line, size_t len, const char *key,
	    size_t klen, struct rspan *out);
int	logfmt_reads(const char *line, size_t len);

/* record_parse.c: --parse REGEX */
int	parse_compile(struct record_fmt *f, const char *prog);
int	parse_has(const struct record_fmt *f, const char *name, size_t len);
int	parse_find(struct record *r, const char *line, size_t len,
	    const char *name, size_t nlen, struct rspan *out);

#endif
