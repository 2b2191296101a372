/*
 * record.h: fields by name.  A record format reads a line's fields:
 * the combined and common access logs, JSON lines, logfmt, or the named
 * groups of a --parse REGEX.  One layer for every command that takes a
 * field (power -f, printer -f/--by/--time, broadcast --key, match
 * --field): a field SPEC is a number N (the Nth awk word, or cut -d
 * style, as field.h) or a NAME, read by the format.
 *
 * A field is a span of the line (pointer, length): commands rewrite it
 * in place (power) or pass the line on untouched.  A value with escapes
 * (a JSON string with \n, a quoted access-log field with \") is
 * unescaped into a scratch buffer only when its text is asked for.
 *
 * The options (struct record_fmt) are read-only once parsed and may be
 * shared by copies of a stage on several threads; what a reading keeps
 * (the format found by detection, PCRE2 match data, the scratch buffer)
 * is in struct record, one a stage.
 */
#ifndef RUNNEL_RECORD_H
#define RUNNEL_RECORD_H

#include <stddef.h>

#include "options.h"
#include "regex.h"

enum record_kind {
	RECORD_AUTO,		/* no --format: detected from the first line */
	RECORD_COMBINED,
	RECORD_COMMON,
	RECORD_JSON,
	RECORD_LOGFMT,
	RECORD_PARSE
};

/* The long options --format and --parse, under OPT_FIRST_OWN. */
#define OPT_FORMAT	(OPT_LONG + 8)
#define OPT_PARSE	(OPT_LONG + 9)
#define RECORD_LONGOPTS \
	{ "format", required_argument, NULL, OPT_FORMAT }, \
	{ "parse", required_argument, NULL, OPT_PARSE }

/* The options, read-only once parsed. */
struct record_fmt {
	enum record_kind kind;
	const char	*regex;		/* --parse, in argv */
	pcre2_code	*re;		/* --parse compiled */
	int		 given;		/* --format or --parse given */
};

/* A field SPEC: a number or a name. */
struct rfield {
	size_t		 num;		/* 1-based; 0: it is a name */
	const char	*name;		/* not NUL-terminated (a list's item) */
	size_t		 namelen;
	int		 clf;		/* its index in the access log, or -1 */
};

/* How a span's text differs from its bytes. */
enum rspan_esc {
	RSPAN_PLAIN,		/* the bytes are the text */
	RSPAN_QUOTED,		/* access log, logfmt: \" and \\ */
	RSPAN_JSON		/* a JSON string's escapes */
};

/* A field found: the bytes p[0, len) of the line. */
struct rspan {
	const char	*p;
	size_t		 len;
	enum rspan_esc	 esc;
	const char	*text;		/* its text when already known */
	size_t		 tlen;
};

/* What a stage keeps to read fields. */
struct record {
	const struct record_fmt *fmt;
	enum record_kind kind;		/* RECORD_AUTO until a line told */
	int		 delim;		/* for numbers: FIELD_BLANKS or CHAR */
	pcre2_match_data *md;		/* --parse */
	char		*scratch;	/* unescaped text, owned */
	size_t		 scap;
};

void	record_fmt_init(struct record_fmt *);
/*
 * --format or --parse, the last option c of op: 1 when it was one of
 * them, 0 when not, -1 after a message.
 */
int	record_opt(struct opt_parser *op, int c, struct record_fmt *f);
/*
 * SPEC s[0, len) of option c: a number N > 0 or a NAME.  -1 after a
 * message naming the option.
 */
int	rfield_parse(struct opt_parser *op, int c, const char *s, size_t len,
	    struct rfield *f);
/*
 * Once every option is read: the names of fields[0, n) exist in the
 * format (combined, common, --parse).  -1 after a message.
 */
int	record_fmt_check(const struct record_fmt *f, const char *prog,
	    const struct rfield *fields, size_t n);
void	record_fmt_free(struct record_fmt *);
/* "combined", ..., "parse", or "auto" (pipe --explain). */
const char *record_fmt_name(const struct record_fmt *);

/* -1 when out of memory (after no message: the caller names itself). */
int	record_init(struct record *, const struct record_fmt *, int delim);
void	record_free(struct record *);
/*
 * Field f of line[0, len) (without its '\n'): 0 and *out, or -1 when
 * the line has no such field (a malformed line has none).
 */
int	rfield_find(struct record *, const char *line, size_t len,
	    const struct rfield *f, struct rspan *out);
/*
 * The text of a span: its bytes, or its unescaped text in the scratch
 * buffer (valid until the next call on r); NULL when out of memory.
 */
const char *rspan_text(struct record *r, const struct rspan *s,
	    size_t *len);

#endif
