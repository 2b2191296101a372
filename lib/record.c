/*
 * The record layer (record.h): the options --format and --parse, field
 * SPECs, the format's detection from the first line that one reads, and
 * the way from a SPEC to a span of the line.  The readers of each
 * format are in record_clf.c, record_json.c, record_logfmt.c and
 * record_parse.c.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "field.h"
#include "grow.h"
#include "record_int.h"

static const char *const kind_names[] = {
	[RECORD_AUTO] = "auto", [RECORD_COMBINED] = "combined",
	[RECORD_COMMON] = "common", [RECORD_JSON] = "json",
	[RECORD_LOGFMT] = "logfmt", [RECORD_PARSE] = "parse"
};

void
record_fmt_init(struct record_fmt *f)
{
	memset(f, 0, sizeof(*f));
	f->kind = RECORD_AUTO;
}

int
record_opt(struct opt_parser *op, int c, struct record_fmt *f)
{
	char sp[64];
	int k;

	if (c != OPT_FORMAT && c != OPT_PARSE)
		return 0;
	if (f->given && (c == OPT_PARSE) != (f->kind == RECORD_PARSE)) {
		diag(op->prog, "--format and --parse cannot be used together");
		return -1;
	}
	f->given = 1;
	if (c == OPT_PARSE) {
		f->kind = RECORD_PARSE;
		f->regex = op->arg;
		pcre2_code_free(f->re);
		f->re = NULL;
		return parse_compile(f, op->prog) < 0 ? -1 : 1;
	}
	for (k = RECORD_COMBINED; k < RECORD_PARSE; k++)
		if (strcmp(op->arg, kind_names[k]) == 0) {
			f->kind = (enum record_kind)k;
			return 1;
		}
	opt_bad(op, c, "format");
	diag(op->prog, "valid formats for %s are combined, common, json, "
	    "logfmt", opt_spelling(op, c, sp, sizeof(sp)));
	return -1;
}

int
rfield_parse(struct opt_parser *op, int c, const char *s, size_t len,
    struct rfield *f)
{
	char sp[64], q[64 * 4 + 4];
	size_t k, v = 0;

	/* all digits: a number (0 and too large ones are invalid) */
	for (k = 0; k < len && s[k] >= '0' && s[k] <= '9'; k++)
		v = v > (SIZE_MAX - 9) / 10 ? SIZE_MAX : v * 10 +
		    (size_t)(s[k] - '0');
	if (v == SIZE_MAX)
		v = 0;
	memset(f, 0, sizeof(*f));
	f->clf = -1;
	if (len > 0 && k == len) {
		if (v > 0) {
			f->num = v;
			return 0;
		}
		diag(op->prog, "invalid field number '%s' for %s",
		    diag_quote(q, s, len, 64),
		    opt_spelling(op, c, sp, sizeof(sp)));
		return -1;
	}
	if (len == 0) {
		diag(op->prog, "invalid field '' for %s",
		    opt_spelling(op, c, sp, sizeof(sp)));
		return -1;
	}
	f->name = s;
	f->namelen = len;
	f->clf = clf_index(s, len, 1);
	return 0;
}

int
record_fmt_check(const struct record_fmt *f, const char *prog,
    const struct rfield *fields, size_t n)
{
	char q[64 * 4 + 4];
	size_t i;

	for (i = 0; i < n; i++) {
		const struct rfield *x = &fields[i];

		if (x->num > 0)
			continue;
		diag_quote(q, x->name, x->namelen, 64);
		if ((f->kind == RECORD_COMBINED && x->clf < 0) ||
		    (f->kind == RECORD_COMMON && (x->clf < 0 ||
		    x->clf >= CLF_REFERER))) {
			diag(prog, "no field '%s' in the %s format (its "
			    "names: host ident user time request method path "
			    "protocol status bytes%s)", q,
			    kind_names[f->kind], f->kind == RECORD_COMBINED ?
			    " referer agent" : "");
			return -1;
		}
		if (f->kind == RECORD_PARSE &&
		    !parse_has(f, x->name, x->namelen)) {
			diag(prog, "no group named '%s' in --parse '%s'", q,
			    f->regex);
			return -1;
		}
	}
	return 0;
}

void
record_fmt_free(struct record_fmt *f)
{
	pcre2_code_free(f->re);
	f->re = NULL;
}

const char *
record_fmt_name(const struct record_fmt *f)
{
	return kind_names[f->kind];
}

int
record_init(struct record *r, const struct record_fmt *f, int delim)
{
	memset(r, 0, sizeof(*r));
	r->fmt = f;
	r->kind = f->kind;
	r->delim = delim;
	if (f->kind == RECORD_PARSE &&
	    (r->md = pcre2_match_data_create_from_pattern(f->re, NULL)) ==
	    NULL)
		return -1;
	return 0;
}

void
record_free(struct record *r)
{
	pcre2_match_data_free(r->md);
	free(r->scratch);
	memset(r, 0, sizeof(*r));
}

/* Without --format: the first line that a format reads chooses it. */
static int
detect(struct record *r, const char *line, size_t len)
{
	if (json_reads(r, line, len))
		r->kind = RECORD_JSON;
	else if (logfmt_reads(line, len))
		r->kind = RECORD_LOGFMT;
	else if (clf_reads(line, len))
		r->kind = RECORD_COMBINED;
	else
		return -1;
	return 0;
}

int
rfield_find(struct record *r, const char *line, size_t len,
    const struct rfield *f, struct rspan *out)
{
	size_t start;

	if (f->num > 0) {
		if (field_find(line, len, f->num, r->delim, &start,
		    &out->len) < 0)
			return -1;
		out->p = line + start;
		out->esc = RSPAN_PLAIN;
		out->text = NULL;
		return 0;
	}
	if (r->kind == RECORD_AUTO && detect(r, line, len) < 0)
		return -1;
	switch (r->kind) {
	case RECORD_COMMON:
		if (f->clf >= CLF_REFERER)
			return -1;
		/* FALLTHROUGH */
	case RECORD_COMBINED:
		if (f->clf < 0)
			return -1;
		out->text = NULL;
		return clf_find(line, len, f->clf, out);
	case RECORD_JSON:
		return json_find(r, line, len, f->name, f->namelen, out);
	case RECORD_LOGFMT:
		out->text = NULL;
		return logfmt_find(line, len, f->name, f->namelen, out);
	case RECORD_PARSE:
		out->text = NULL;
		return parse_find(r, line, len, f->name, f->namelen, out);
	case RECORD_AUTO:
		break;
	}
	return -1;
}

/* \" and \\ of a quoted access-log or logfmt value; other '\' stay. */
static size_t
unquote(const char *s, size_t n, char *dst)
{
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 1 < n &&
		    (s[i + 1] == '"' || s[i + 1] == '\\'))
			i++;
		dst[o++] = s[i];
	}
	return o;
}

const char *
rspan_text(struct record *r, const struct rspan *s, size_t *len)
{
	if (s->text != NULL) {
		*len = s->tlen;
		return s->text;
	}
	if (s->esc == RSPAN_PLAIN) {
		*len = s->len;
		return s->p;
	}
	/* the text is never longer than its escaped bytes */
	if (grow(&r->scratch, &r->scap, s->len + 1, 256) < 0)
		return NULL;
	*len = s->esc == RSPAN_JSON ? json_unescape(s->p, s->len, r->scratch) :
	    unquote(s->p, s->len, r->scratch);
	return r->scratch;
}
