/*
 * power: each line (or field N of it) is a number x; write
 * A * x^EXPONENT + B.  Integers stay exact while every intermediate result
 * fits in int64; anything else is a double in number.h's shortest
 * round-trip format.  Output lines are built into one buffer per batch and
 * pushed on in pieces of about 64 KiB.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bytemask.h"
#include "diag.h"
#include "driver.h"
#include "field.h"
#include "number.h"
#include "options.h"
#include "outbuf.h"
#include "record.h"
#include "stages.h"

enum invalid_mode { INVALID_WARN, INVALID_SKIP, INVALID_PASS, INVALID_FAIL };

struct power_args {
	struct stage_args	 base;
	char			**argv;		/* our copy of argv, owned */
	struct num		 expo;
	struct num		 scale, offset;
	int			 affine;	/* scale or offset given */
	struct rfield		 field;		/* -f SPEC */
	int			 has_field;	/* else the whole line */
	struct record_fmt	 fmt;		/* --format, --parse */
	int			 delim;
	enum invalid_mode	 invalid;
};

struct power {
	struct stage		 base;
	const struct power_args	*a;
	struct outbuf		 out;		/* output lines */
	const char		*file;		/* name for messages */
	uint64_t		 lineno;	/* of the last line seen */
	struct diag_lines	 warned;	/* the first few are named */
	int			 bad;		/* an invalid line was reported */
	struct record		 rec;		/* -f NAME's reading */
};

/* Output is handed on once this much is buffered. */
#define OUT_CHUNK	(64 * 1024)
/* How much of an offending text a message shows. */
#define QUOTE_MAX	40

enum { OPT_SCALE = OPT_FIRST_OWN, OPT_OFFSET, OPT_INVALID };

static const struct option power_longopts[] = {
	{ "delimiter", required_argument, NULL, 'd' },
	{ "field", required_argument, NULL, 'f' },
	{ "invalid", required_argument, NULL, OPT_INVALID },
	{ "line-buffered", no_argument, NULL, OPT_LINEBUF },
	{ "offset", required_argument, NULL, OPT_OFFSET },
	{ "scale", required_argument, NULL, OPT_SCALE },
	RECORD_LONGOPTS,
	OPTIONS_COMMON,
	{ NULL, 0, NULL, 0 }
};

#define POWER_SHORTOPTS	"d:f:"

/* Does the long option word (after "--", before any '=') take an argument? */
static int
long_takes_arg(const char *word)
{
	const struct option *o;
	size_t n = strcspn(word, "=");
	int any = 0, all = 1;

	if (word[n] == '=')
		return 0;
	for (o = power_longopts; o->name != NULL; o++) {
		if (strncmp(o->name, word, n) != 0)
			continue;
		if (strlen(o->name) == n)
			return o->has_arg == required_argument;
		any = 1;
		if (o->has_arg != required_argument)
			all = 0;
	}
	return any && all;
}

/*
 * An EXPONENT such as -1 or -0.5 looks like an option to getopt.  Find
 * the first word that getopt would take as an operand; when it is a
 * negative number, it is the exponent: take it out of the copy of argv
 * that getopt will see.  Returns the exponent's word or NULL.
 */
static const char *
take_negative_exponent(int argc, char **argv)
{
	struct num n;
	int i, j;

	for (i = 1; i < argc; i++) {
		const char *w = argv[i];

		if (strcmp(w, "--") == 0)
			return NULL;
		if (w[0] == '-' && w[1] != '\0' &&
		    num_parse(w, strlen(w), &n) == 0) {
			for (j = i; j < argc - 1; j++)
				argv[j] = argv[j + 1];
			argv[argc - 1] = NULL;
			return w;
		}
		if (w[0] != '-' || w[1] == '\0')
			return NULL;	/* an ordinary operand comes first */
		if (w[1] == '-') {
			if (long_takes_arg(w + 2))
				i++;
			continue;
		}
		/* A cluster of short options: an argument ends it. */
		for (j = 1; w[j] != '\0'; j++) {
			const char *o = strchr(POWER_SHORTOPTS, w[j]);

			if (o != NULL && o[1] == ':') {
				if (w[j + 1] == '\0')
					i++;
				break;
			}
		}
	}
	return NULL;
}

static void
power_args_free(struct stage_args *base)
{
	struct power_args *a = (struct power_args *)base;

	record_fmt_free(&a->fmt);
	free(a->argv);
	free(a);
}

static void
power_explain(const struct stage_args *base, char *buf, size_t size)
{
	const struct power_args *a = (const struct power_args *)base;
	static const char *const modes[] = { "warn", "skip", "pass", "fail" };
	char e[NUM_BUFSIZE], s[NUM_BUFSIZE], o[NUM_BUFSIZE];
	const struct rfield *f = &a->field;

	num_format(&a->expo, e);
	num_format(&a->scale, s);
	num_format(&a->offset, o);
	if (!a->has_field || f->num > 0)
		snprintf(buf, size, "exponent=%s scale=%s offset=%s field=%zu "
		    "invalid=%s", e, s, o, a->has_field ? f->num : 0,
		    modes[a->invalid]);
	else
		snprintf(buf, size, "exponent=%s scale=%s offset=%s field=%.*s "
		    "invalid=%s", e, s, o, (int)f->namelen, f->name,
		    modes[a->invalid]);
}

static int
parse_num_arg(struct opt_parser *op, int c, struct num *out)
{
	if (op->arg == NULL || num_parse(op->arg, strlen(op->arg), out) < 0) {
		opt_bad(op, c, "number");
		return -1;
	}
	return 0;
}

/* --invalid=MODE; -1 after the message. */
static int
parse_invalid(struct opt_parser *op, int c, enum invalid_mode *mode)
{
	static const char *const names[] = {
		[INVALID_WARN] = "warn", [INVALID_SKIP] = "skip",
		[INVALID_PASS] = "pass", [INVALID_FAIL] = "fail",
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(op->arg, names[i]) == 0) {
			*mode = (enum invalid_mode)i;
			return 0;
		}
	opt_bad(op, c, "mode");
	diag(op->prog, "valid modes are warn, skip, pass, fail");
	return -1;
}

/*
 * One option of power's own: 1 taken, 0 not power's (a common one),
 * -1 after the message.
 */
static int
take_option(struct power_args *a, struct opt_parser *op, int c)
{
	switch (c) {
	case 'd':
		return opt_char(op, c, &a->delim) < 0 ? -1 : 1;
	case 'f':
		if (rfield_parse(op, c, op->arg, strlen(op->arg),
		    &a->field) < 0)
			return -1;
		a->has_field = 1;
		return 1;
	case OPT_INVALID:
		return parse_invalid(op, c, &a->invalid) < 0 ? -1 : 1;
	case OPT_LINEBUF:
		a->base.line_buffered = 1;
		return 1;
	case OPT_OFFSET:
		a->affine = 1;
		return parse_num_arg(op, c, &a->offset) < 0 ? -1 : 1;
	case OPT_SCALE:
		a->affine = 1;
		return parse_num_arg(op, c, &a->scale) < 0 ? -1 : 1;
	}
	return record_opt(op, c, &a->fmt);
}

static struct power_args *
args_new(int argc, char **argv, const char *prog)
{
	struct power_args *a;

	if ((a = calloc(1, sizeof(*a))) == NULL ||
	    (a->argv = calloc(argc + 1, sizeof(*a->argv))) == NULL) {
		free(a);
		diag_errno(prog, ENOMEM, "options");
		return NULL;
	}
	memcpy(a->argv, argv, argc * sizeof(*argv));
	a->base.def = &power_stage;
	a->base.free = power_args_free;
	a->base.explain = power_explain;
	a->delim = FIELD_BLANKS;
	record_fmt_init(&a->fmt);
	num_set_int(&a->scale, 1);
	num_set_int(&a->offset, 0);
	return a;
}

/* The EXPONENT operand (or the one taken before getopt) and the rest. */
static int
settle(struct power_args *a, const char *prog, const char *expo, int first,
    int argc)
{
	if (expo == NULL) {
		if (first >= argc) {
			diag(prog, "missing exponent");
			return -1;
		}
		expo = a->argv[first++];
	}
	if (num_parse(expo, strlen(expo), &a->expo) < 0) {
		diag(prog, "invalid exponent '%s'", expo);
		return -1;
	}
	if (record_fmt_check(&a->fmt, prog, &a->field, a->has_field) < 0)
		return -1;
	if (a->has_field && a->field.num == 0)
		a->base.fields = &a->fmt;
	a->base.operands = a->argv + first;
	a->base.noperands = argc - first;
	return 0;
}

static int
power_parse(int argc, char **argv, const struct parse_ctx *ctx,
    struct stage_args **out)
{
	const char *prog = ctx->prog;
	struct power_args *a;
	struct opt_parser op;
	const char *expo;
	int c, r = PARSE_ERROR;

	if ((a = args_new(argc, argv, prog)) == NULL)
		return PARSE_ERROR;
	expo = take_negative_exponent(argc, a->argv);
	if (expo != NULL)
		argc--;
	opt_init(&op, &power_stage, argc, a->argv, prog, POWER_SHORTOPTS,
	    power_longopts);
	while ((c = opt_next(&op)) != -1) {
		if ((r = take_option(a, &op, c)) > 0)
			continue;
		if (r == 0 && (r = opt_common(&op, c)) >= 0)
			goto done;	/* --help, --version */
		r = PARSE_ERROR;
		goto done;
	}
	if (settle(a, prog, expo, opt_index(&op), argc) == 0) {
		*out = &a->base;
		return PARSE_OK;
	}
	r = PARSE_ERROR;
done:
	record_fmt_free(&a->fmt);
	free(a->argv);
	free(a);
	return r;
}

/* x^e exactly, or -1 when it does not fit in int64. */
static int
ipow(int64_t x, int64_t e, int64_t *out)
{
	int64_t r = 1;

	for (;;) {
		if (e & 1) {
			if (__builtin_mul_overflow(r, x, &r))
				return -1;
		}
		e >>= 1;
		if (e == 0)
			break;
		if (__builtin_mul_overflow(x, x, &x))
			return -1;
	}
	*out = r;
	return 0;
}

/*
 * y = x^e; returns 1 when a finite negative base met a fractional
 * exponent (the result is nan).
 */
static int
num_pow(struct num *y, const struct num *x, const struct num *e)
{
	int64_t r;
	double d;

	if (x->is_int && e->is_int && e->i >= 0) {
		if (ipow(x->i, e->i, &r) == 0) {
			num_set_int(y, r);
			return 0;
		}
	}
	d = pow(x->d, e->d);
	num_set_double(y, d);
	return x->d < 0 && isfinite(x->d) && isfinite(e->d) &&
	    e->d != trunc(e->d);
}

static void
report(struct power *p, const char *what, const char *text, size_t len)
{
	char q[QUOTE_MAX * 4 + 4];

	if (!diag_lines_next(&p->warned))
		return;
	diag(p->base.name, "%s:%llu: %s '%s'", p->file,
	    (unsigned long long)p->lineno, what,
	    diag_quote(q, text, len, QUOTE_MAX));
}

/* "00" to "99", to write integers two digits at a time. */
static const char digit_pairs[] =
    "00010203040506070809101112131415161718192021222324252627282930313233"
    "34353637383940414243444546474849505152535455565758596061626364656667"
    "6869707172737475767778798081828384858687888990919293949596979899";

/* Write i in decimal at dst (room for NUM_BUFSIZE); returns its length. */
static size_t
put_int(char *dst, int64_t i)
{
	static const uint64_t p10[20] = { 1, 10, 100, 1000, 10000, 100000,
	    1000000, 10000000, 100000000, 1000000000, 10000000000u,
	    100000000000u, 1000000000000u, 10000000000000u,
	    100000000000000u, 1000000000000000u, 10000000000000000u,
	    100000000000000000u, 1000000000000000000u,
	    10000000000000000000u };
	uint64_t v = i < 0 ? 0 - (uint64_t)i : (uint64_t)i;
	size_t n, neg = i < 0;
	char *p;

	/*
	 * The count of digits first, so that they go straight to dst:
	 * log10 from the bit length (1233 / 4096 ~ log10(2)), one compare
	 * to settle it, no loop.
	 */
	n = (size_t)(64 - __builtin_clzll(v | 1)) * 1233 >> 12;
	n += v >= p10[n];
	if (n == 0)
		n = 1;
	if (neg)
		*dst++ = '-';
	p = dst + n;
	while (v >= 100) {
		unsigned r = v % 100;

		v /= 100;
		p -= 2;
		p[0] = digit_pairs[2 * r];
		p[1] = digit_pairs[2 * r + 1];
	}
	if (v >= 10) {
		p[-1] = digit_pairs[2 * v + 1];
		p[-2] = digit_pairs[2 * v];
	} else {
		p[-1] = '0' + v;
	}
	return n + neg;
}

/*
 * The common case first: an optional '-' and at most 18 digits, which
 * always fit in int64.  -1 sends anything else to num_parse_blanks().
 */
static int
parse_plain(const char *s, size_t len, struct num *x)
{
	size_t i = 0;
	uint64_t v = 0;
	int neg = 0;

	if (len > 0 && s[0] == '-')
		neg = i = 1;
	if (i == len || len - i > 18)
		return -1;
	for (; i < len; i++) {
		unsigned d = (unsigned char)s[i] - '0';

		if (d > 9)
			return -1;
		v = v * 10 + d;
	}
	num_set_int(x, neg ? -(int64_t)v : (int64_t)v);
	return 0;
}

/*
 * Write the value for the number text [s, s+len) at dst (room for
 * NUM_BUFSIZE bytes); returns its length, or -1 when it is not a number.
 */
static ptrdiff_t
transform(struct power *p, const char *s, size_t len, char *dst)
{
	const struct power_args *a = p->a;
	struct num x, y, t;

	if (parse_plain(s, len, &x) < 0 && num_parse_blanks(s, len, &x) < 0)
		return -1;
	if (num_pow(&y, &x, &a->expo) && diag_lines_next(&p->warned))
		diag(p->base.name, "%s:%llu: negative base with fractional "
		    "exponent gives nan", p->file,
		    (unsigned long long)p->lineno);
	if (a->affine) {
		num_mul(&t, &a->scale, &y);
		num_add(&y, &t, &a->offset);
	}
	if (y.is_int)
		return (ptrdiff_t)put_int(dst, y.i);
	return (ptrdiff_t)num_format_double(y.d, dst);
}

/* Deal with a line that has no number where one is wanted. */
static enum flow
invalid(struct power *p, const char *what, const char *text, size_t tlen,
    const char *line, size_t len)
{
	switch (p->a->invalid) {
	case INVALID_SKIP:
		return FLOW_GO;
	case INVALID_PASS:
		if (outbuf_reserve(&p->out, len + 1) < 0)
			return FLOW_ERROR;
		memcpy(p->out.buf + p->out.len, line, len);
		p->out.len += len;
		p->out.buf[p->out.len++] = '\n';
		return FLOW_GO;
	case INVALID_WARN:
		report(p, what, text, tlen);
		p->bad = 1;
		return FLOW_GO;
	case INVALID_FAIL:
		report(p, what, text, tlen);
		p->bad = 1;
		return FLOW_STOP;
	}
	return FLOW_GO;
}

/* A line without field -f: what the message calls it. */
static enum flow
no_field(struct power *p, const char *line, size_t len)
{
	const struct rfield *f = &p->a->field;
	char what[QUOTE_MAX * 4 + 16], q[QUOTE_MAX * 4 + 4];

	if (f->num > 0)
		snprintf(what, sizeof(what), "no field %zu in", f->num);
	else
		snprintf(what, sizeof(what), "no field '%s' in",
		    diag_quote(q, f->name, f->namelen, QUOTE_MAX));
	return invalid(p, what, line, len, line, len);
}

/* One line without its '\n'. */
static enum flow
power_line(struct power *p, const char *line, size_t len)
{
	const struct power_args *a = p->a;
	size_t start, flen, lead, trail, head, tlen;
	struct rspan sp;
	const char *t;
	ptrdiff_t n;
	char *o;

	if (!a->has_field) {
		if (outbuf_reserve(&p->out, NUM_BUFSIZE + 1) < 0)
			return FLOW_ERROR;
		o = p->out.buf + p->out.len;
		if ((n = transform(p, line, len, o)) < 0)
			return invalid(p, "invalid number", line, len, line,
			    len);
		o[n] = '\n';
		p->out.len += n + 1;
		return FLOW_GO;
	}
	if (rfield_find(&p->rec, line, len, &a->field, &sp) < 0)
		return no_field(p, line, len);
	start = (size_t)(sp.p - line);
	flen = sp.len;
	if ((t = rspan_text(&p->rec, &sp, &tlen)) == NULL) {
		diag_errno(p->base.name, ENOMEM, "field text");
		return FLOW_ERROR;
	}
	/* Blanks (and a CR) around the number stay where they were. */
	for (lead = 0; lead < tlen &&
	    num_is_blank((unsigned char)t[lead]); lead++)
		;
	for (trail = 0; trail < tlen - lead &&
	    num_is_blank((unsigned char)t[tlen - 1 - trail]); trail++)
		;
	if (outbuf_reserve(&p->out, len + NUM_BUFSIZE + 1) < 0)
		return FLOW_ERROR;
	/* An escaped value (a JSON "\u0031") is replaced whole. */
	head = start + (t == sp.p ? lead : 0);
	o = p->out.buf + p->out.len;
	/* Nothing counts as written until the number is known to be one. */
	if ((n = transform(p, t + lead, tlen - lead - trail, o + head)) < 0)
		return invalid(p, "invalid number", line + start, flen, line,
		    len);
	memcpy(o, line, head);
	o += head + n;
	start += flen - (t == sp.p ? trail : 0);
	memcpy(o, line + start, len - start);
	o[len - start] = '\n';
	p->out.len += head + n + len - start + 1;
	return FLOW_GO;
}

static enum flow
power_push(struct stage *s, const char *data, size_t len)
{
	struct power *p = (struct power *)s;
	struct bm_lines ends;
	size_t at = 0, nl;
	enum flow f = FLOW_GO, g;

	bm_lines_init(&ends, data, len);
	while (at < len) {
		nl = bm_lines_next(&ends);
		p->lineno++;
		if ((f = power_line(p, data + at, nl - at)) != FLOW_GO)
			break;
		at = nl + 1;
		if (p->out.len >= OUT_CHUNK &&
		    (f = outbuf_push(&p->out, s->next)) != FLOW_GO)
			return f;
	}
	/* What came before a failing line is still written. */
	g = outbuf_push(&p->out, s->next);
	return f != FLOW_GO ? f : g;
}

static enum flow
power_begin(struct stage *s, const char *name)
{
	struct power *p = (struct power *)s;

	p->file = name;
	p->lineno = 0;
	return FLOW_GO;
}

static void
power_close(struct stage *s)
{
	struct power *p = (struct power *)s;

	diag_lines_end(&p->warned, s->name, "warnings");
	if (s->input_error || p->bad)
		s->status = 2;
}

static void
power_destroy(struct stage *s)
{
	struct power *p = (struct power *)s;

	record_free(&p->rec);
	outbuf_free(&p->out);
	free(p);
}

static const struct stage_ops power_ops = {
	.begin = power_begin,
	.push = power_push,
	.close = power_close,
	.destroy = power_destroy,
};

static struct stage *
power_create(const struct stage_args *args, struct stage *next)
{
	const struct power_args *a = (const struct power_args *)args;
	struct power *p;

	if ((p = stage_alloc(sizeof(*p), &power_ops, next,
	    power_stage.name)) == NULL)
		return NULL;
	p->a = a;
	p->file = STDIN_NAME;
	p->out.name = p->base.name;
	if (record_init(&p->rec, &a->fmt, a->delim) < 0) {
		free(p);
		return NULL;
	}
	return &p->base;
}

/*
 * Copies may work on batches in any order when no line can get a
 * message (which names its line number): bad lines passed or skipped,
 * and an integer exponent, so no negative base meets a fraction.
 */
static int
power_splittable(const struct stage_args *sa, int first)
{
	const struct power_args *a = (const struct power_args *)sa;

	(void)first;
	return (a->invalid == INVALID_PASS || a->invalid == INVALID_SKIP) &&
	    a->expo.is_int;
}

const struct stage_def power_stage = {
	.name = "power",
	.kind = STAGE_FILTER,
	.splittable = power_splittable,
	.concat_files = 0,
	.usage =
	    "%s [OPTION]... EXPONENT [FILE]...\n"
	    "Write each input number raised to EXPONENT, one a line:\n"
	    "SCALE * x^EXPONENT + OFFSET.\n"
	    "With no FILE, or when FILE is -, read standard input.\n"
	    "A negative EXPONENT may be written as is: power -1 is 1/x.\n"
	    "\n"
	    "      --scale=A              multiply the power by A (default 1)\n"
	    "      --offset=B             then add B (default 0)\n"
	    "  -f, --field=SPEC           transform only field SPEC (a number N or\n"
	    "                             a NAME), keep the rest of the line\n"
	    "  -d, --delimiter=CHAR       fields are separated by CHAR, not blanks\n"
	    "      --format=FMT           read NAMEs as FMT: combined, common, json,\n"
	    "                             logfmt (default: from the first line)\n"
	    "      --parse=REGEX          NAMEs are REGEX's named groups\n"
	    "      --invalid=MODE         a line that is not a number: warn (the\n"
	    "                             default: report, skip, exit 2), skip,\n"
	    "                             pass (write it unchanged), fail (stop)\n"
	    "      --line-buffered        flush output after every line\n"
	    "      --help                 display this help and exit\n"
	    "      --version              output version information and exit",
	.parse = power_parse,
	.create = power_create,
};
