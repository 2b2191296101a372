/*
 * match: the grep-like filter, PCRE2 with JIT.  This file holds its
 * options and the stage definition; the pattern is match_pattern.c, the
 * scan of a batch match_scan.c, what prints match_select.c and how it
 * prints match_output.c (match_int.h has the map).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "grow.h"
#include "driver.h"
#include "field.h"
#include "match_int.h"
#include "options.h"
#include "stages.h"
#include "writer.h"

enum { OPT_COLOR = OPT_FIRST_OWN, OPT_LABEL, OPT_FIELD };

static const struct option match_longopts[] = {
	{ "after-context", required_argument, NULL, 'A' },
	{ "before-context", required_argument, NULL, 'B' },
	{ "byte-offset", no_argument, NULL, 'b' },
	{ "color", optional_argument, NULL, OPT_COLOR },
	{ "colour", optional_argument, NULL, OPT_COLOR },
	{ "context", required_argument, NULL, 'C' },
	{ "count", no_argument, NULL, 'c' },
	{ "field", required_argument, NULL, OPT_FIELD },
	{ "file", required_argument, NULL, 'f' },
	{ "files-with-matches", no_argument, NULL, 'l' },
	{ "files-without-match", no_argument, NULL, 'L' },
	{ "fixed-strings", no_argument, NULL, 'F' },
	{ "ignore-case", no_argument, NULL, 'i' },
	{ "invert-match", no_argument, NULL, 'v' },
	{ "label", required_argument, NULL, OPT_LABEL },
	{ "line-buffered", no_argument, NULL, OPT_LINEBUF },
	{ "line-number", no_argument, NULL, 'n' },
	{ "line-regexp", no_argument, NULL, 'x' },
	{ "max-count", required_argument, NULL, 'm' },
	{ "no-filename", no_argument, NULL, 'h' },
	{ "no-messages", no_argument, NULL, 's' },
	{ "only-matching", no_argument, NULL, 'o' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "regexp", required_argument, NULL, 'e' },
	{ "silent", no_argument, NULL, 'q' },
	{ "with-filename", no_argument, NULL, 'H' },
	{ "word-regexp", no_argument, NULL, 'w' },
	RECORD_LONGOPTS,
	OPTIONS_COMMON,
	{ NULL, 0, NULL, 0 }
};

/* The patterns as given, one per line of this list. */
struct patlist {
	char	*buf;
	size_t	 len, cap;
	int	 n;
	int	 any;
};

static int
pl_add(struct patlist *pl, const char *p, size_t len)
{
	if (grow(&pl->buf, &pl->cap, pl->len + len + 1, 256) < 0)
		return -1;
	memcpy(pl->buf + pl->len, p, len);
	pl->len += len;
	pl->buf[pl->len++] = '\n';
	pl->any = 1;
	return 0;
}

static void
color_set(char *dst, const char *src, size_t n)
{
	if (n > 31)
		n = 31;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static void
parse_grep_colors(struct match_args *a)
{
	const char *gc = getenv("GREP_COLORS"), *s, *e, *eq;

	if (gc == NULL)
		return;
	for (s = gc; *s; s = *e ? e + 1 : e) {
		e = strchr(s, ':');
		if (e == NULL)
			e = s + strlen(s);
		eq = memchr(s, '=', e - s);
		if (eq == NULL || eq - s != 2)
			continue;
		if (strncmp(s, "mt", 2) == 0) {
			color_set(a->ms, eq + 1, e - eq - 1);
			color_set(a->mc, eq + 1, e - eq - 1);
		} else if (strncmp(s, "ms", 2) == 0)
			color_set(a->ms, eq + 1, e - eq - 1);
		else if (strncmp(s, "mc", 2) == 0)
			color_set(a->mc, eq + 1, e - eq - 1);
		else if (strncmp(s, "sl", 2) == 0)
			color_set(a->sl, eq + 1, e - eq - 1);
		else if (strncmp(s, "cx", 2) == 0)
			color_set(a->cx, eq + 1, e - eq - 1);
		else if (strncmp(s, "fn", 2) == 0)
			color_set(a->fn, eq + 1, e - eq - 1);
		else if (strncmp(s, "ln", 2) == 0)
			color_set(a->ln, eq + 1, e - eq - 1);
		else if (strncmp(s, "bn", 2) == 0)
			color_set(a->bn, eq + 1, e - eq - 1);
		else if (strncmp(s, "se", 2) == 0)
			color_set(a->se, eq + 1, e - eq - 1);
	}
}

static void
match_free_args(struct stage_args *sa)
{
	struct match_args *a = (struct match_args *)sa;

	mp_free(a->pat);
	record_fmt_free(&a->fmt);
	free(a);
}

static int
read_pattern_file(struct patlist *pl, const char *prog, const char *path)
{
	FILE *f;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	if (f == NULL) {
		diag_errno(prog, errno, "%s", path);
		return -1;
	}
	while ((n = getline(&line, &cap, f)) > 0) {
		if (line[n - 1] == '\n')
			n--;
		if (pl_add(pl, line, n) < 0) {
			free(line);
			if (f != stdin)
				fclose(f);
			diag_errno(prog, ENOMEM, "%s", path);
			return -1;
		}
	}
	/* an empty file holds no pattern at all: mark that a list was given */
	pl->n = 1;
	free(line);
	if (f != stdin)
		fclose(f);
	return 0;
}

/* PATTERNS cut at each '\n', as grep reads -e's argument and the operand. */
static int
pl_add_lines(struct patlist *pl, const char *s)
{
	const char *e;

	for (;; s = e + 1) {
		e = strchr(s, '\n');
		if (pl_add(pl, s, e ? (size_t)(e - s) : strlen(s)) < 0)
			return -1;
		if (e == NULL)
			return 0;
	}
}

/* --color's WHEN as grep spells it, or -1. */
static int
color_mode(const char *w)
{
	if (w == NULL || strcmp(w, "always") == 0 || strcmp(w, "yes") == 0 ||
	    strcmp(w, "force") == 0)
		return COLOR_ALWAYS;
	if (strcmp(w, "never") == 0 || strcmp(w, "no") == 0 ||
	    strcmp(w, "none") == 0)
		return COLOR_NEVER;
	if (strcmp(w, "auto") == 0 || strcmp(w, "tty") == 0 ||
	    strcmp(w, "if-tty") == 0)
		return COLOR_AUTO;
	return -1;
}

/* The options before any is read: grep's colours, no -m, no context. */
static struct match_args *
args_new(void)
{
	struct match_args *a = calloc(1, sizeof(*a));

	if (a == NULL)
		return NULL;
	a->base.def = &match_stage;
	a->base.free = match_free_args;
	a->with_name = -1;
	a->max_count = UINT64_MAX;
	a->before = a->after = -1;
	record_fmt_init(&a->fmt);
	strcpy(a->ms, "01;31");
	strcpy(a->mc, "01;31");
	strcpy(a->fn, "35");
	strcpy(a->ln, "32");
	strcpy(a->bn, "32");
	strcpy(a->se, "36");
	return a;
}

/*
 * One of match's own options into a (and the pattern list, and -C's
 * NUM): 0, -1 after a message, 1 when c is none of them.
 */
static int
take_option(struct match_args *a, struct opt_parser *op, int c,
    struct patlist *pl, long *context)
{
	uint64_t v;
	int k;

	switch (c) {
	case 'A': case 'B': case 'C':
		if (opt_uint(op, c, INT32_MAX, &v) < 0)
			return -1;
		*(c == 'A' ? &a->after : c == 'B' ? &a->before : context) =
		    (long)v;
		break;
	case 'b': a->byte = 1; break;
	case 'c': a->count = 1; break;
	case 'e':
		if (pl_add_lines(pl, op->arg) < 0) {
			diag_errno(op->prog, ENOMEM, "pattern");
			return -1;
		}
		pl->n = 1;
		break;
	case 'f': return read_pattern_file(pl, op->prog, op->arg);
	case 'F': a->fixed = 1; break;
	case 'h': a->with_name = 0; break;
	case 'H': a->with_name = 1; break;
	case 'i': a->icase = 1; break;
	case 'L': a->list = LIST_NOMATCH; break;
	case 'l': a->list = LIST_MATCH; break;
	case 'm':
		if (opt_uint(op, c, UINT64_MAX, &v) < 0)
			return -1;
		a->max_count = v;
		break;
	case 'n': a->number = 1; break;
	case 'o': a->only = 1; break;
	case 'q': a->quiet = 1; break;
	case 's': a->silent = 1; break;
	case 'v': a->invert = 1; break;
	case 'w': a->word = 1; break;
	case 'x': a->line = 1; break;
	case OPT_LINEBUF: a->base.line_buffered = 1; break;
	case OPT_LABEL: a->label = op->arg; break;
	case OPT_FIELD:
		if (rfield_parse(op, c, op->arg, strlen(op->arg),
		    &a->field) < 0)
			return -1;
		a->has_field = 1;
		break;
	case OPT_COLOR:
		if ((k = color_mode(op->arg)) < 0) {
			opt_bad(op, c, "argument");
			return -1;
		}
		a->color = k;
		break;
	default:
		k = record_opt(op, c, &a->fmt);
		return k < 0 ? -1 : k > 0 ? 0 : 1;
	}
	return 0;
}

/*
 * After the options: the operand PATTERNS unless -e or -f gave some,
 * -C's NUM, GREP_COLORS, the FILEs.  0, or -1 after a message.
 */
static int
settle(struct match_args *a, struct patlist *pl, const char *prog,
    int argc, char **argv, int oi, long context)
{
	if (!pl->n) {
		if (oi >= argc) {
			diag(prog, "no pattern given");
			return -1;
		}
		if (pl_add_lines(pl, argv[oi++]) < 0) {
			diag_errno(prog, ENOMEM, "pattern");
			return -1;
		}
	}
	if (context >= 0) {
		if (a->before < 0)
			a->before = context;
		if (a->after < 0)
			a->after = context;
	}
	if (a->color != COLOR_NEVER)
		parse_grep_colors(a);
	a->base.operands = argv + oi;
	a->base.noperands = argc - oi;
	a->base.quiet_errors = a->silent;
	if (a->with_name < 0)
		a->with_name = a->base.noperands > 1;
	if (!pl->any) {
		/* -f /dev/null: no pattern, nothing matches */
		if (pl_add(pl, "(*FAIL)", 7) < 0)
			return -1;
		a->fixed = 0;
		a->word = a->line = 0;
	}
	/* grep's shortcut: -m 0, or -v with the one empty pattern (which
	   with --field still selects the lines without the field) */
	a->selects_none = a->list != LIST_NOMATCH && (a->max_count == 0 ||
	    (a->invert && !a->word && !a->line && pl->len == 1 &&
	    !a->has_field));
	if (record_fmt_check(&a->fmt, prog, &a->field, a->has_field) < 0)
		return -1;
	if (a->has_field && a->field.num == 0)
		a->base.fields = &a->fmt;
	return 0;
}

static int
match_parse(int argc, char **argv, const struct parse_ctx *ctx,
    struct stage_args **out)
{
	const char *prog = ctx->prog;
	struct match_args *a;
	struct opt_parser op;
	struct patlist pl = { 0 };
	int c, r = PARSE_ERROR;
	long context = -1;

	if ((a = args_new()) == NULL) {
		diag_errno(prog, ENOMEM, "options");
		return PARSE_ERROR;
	}
	opt_init(&op, &match_stage, argc, argv, prog,
	    "A:B:C:bce:f:FhHiLlm:noqsvwx", match_longopts);
	while ((c = opt_next(&op)) != -1) {
		if ((r = take_option(a, &op, c, &pl, &context)) < 0)
			goto fail;
		if (r > 0) {
			if ((r = opt_common(&op, c)) >= 0)
				goto out;
			goto fail;
		}
	}
	if (settle(a, &pl, prog, argc, argv, opt_index(&op), context) < 0)
		goto fail;
	if (mp_compile(&a->pat, prog, pl.buf, pl.len,
	    (a->fixed ? MP_FIXED : 0) | (a->icase ? MP_ICASE : 0) |
	    (a->word ? MP_WORD : 0) | (a->line ? MP_LINE : 0)) < 0) {
		r = PARSE_FAILED;
		goto out;
	}
	free(pl.buf);
	*out = &a->base;
	return PARSE_OK;
fail:
	r = PARSE_ERROR;
out:
	free(pl.buf);
	record_fmt_free(&a->fmt);
	free(a);
	return r;
}

/* Input from upstream is one stream that starts with its first push. */
static void
stream_start(struct match *m)
{
	if (!m->in_file) {
		match_file_start(m, m->a->label ? m->a->label : STDIN_NAME);
		m->files_begun++;
	}
}

static enum flow
match_push(struct stage *s, const char *data, size_t len)
{
	struct match *m = (struct match *)s;

	if (m->a->selects_none)
		return FLOW_STOP;
	stream_start(m);
	return match_select_batch(m, data, len);
}

/* A split copy's next push starts at byte off of its input (split.h). */
static void
match_at(struct stage *s, uint64_t off)
{
	struct match *m = (struct match *)s;

	stream_start(m);
	m->off = off;
}

/*
 * Copies may work on batches in any order when nothing counts lines or
 * selected lines, stops early or looks at neighbouring lines.  The one
 * message a line can get (a PCRE2 limit) names its byte offset: a copy
 * defers it (line_hit) and the split runs the batch again where the
 * offset is known (match_at).
 */
static int
match_splittable(const struct stage_args *sa, int first)
{
	const struct match_args *a = (const struct match_args *)sa;

	(void)first;
	/* --color=auto asks the output, which a split's copies do not see */
	return !(a->count || a->quiet || a->list != LIST_NONE ||
	    a->color == COLOR_AUTO ||
	    a->selects_none || a->max_count != UINT64_MAX || a->number ||
	    a->byte || a->with_name || a->before >= 0 || a->after >= 0);
}

static enum flow
match_begin(struct stage *s, const char *name)
{
	struct match *m = (struct match *)s;

	m->files_begun++;
	match_file_start(m, strcmp(name, STDIN_NAME) == 0 && m->a->label ?
	    m->a->label : name);
	return FLOW_GO;
}

static enum flow
match_end(struct stage *s)
{
	struct match *m = (struct match *)s;
	enum flow f;

	if (m->a->selects_none)
		return FLOW_STOP;
	f = match_file_finish(m);

	if (f == FLOW_GO && m->a->quiet && m->any_selected)
		f = FLOW_STOP;
	return f;
}

static enum flow
match_flush(struct stage *s)
{
	return out_flush((struct match *)s);
}

static void
match_close(struct stage *s)
{
	struct match *m = (struct match *)s;

	if (m->a->selects_none) {
		s->status = 1;
		return;
	}
	if (m->files_begun == 0 && !m->in_file && !m->base.input_error &&
	    (m->a->count || m->a->list == LIST_NOMATCH))
		match_file_start(m, m->a->label ? m->a->label : STDIN_NAME);
	match_file_finish(m);
	out_flush(m);
	diag_lines_end(&m->warned, s->name, "lines over PCRE2's limits");
	if ((m->base.input_error || m->match_failed) &&
	    !(m->a->quiet && m->any_selected))
		s->status = 2;
	else
		s->status = m->any_selected ? 0 : 1;
}

static void
match_destroy(struct stage *s)
{
	struct match *m = (struct match *)s;

	pcre2_match_data_free(m->md);
	pcre2_match_context_free(m->mctx);
	pcre2_jit_stack_free(m->jst);
	outbuf_free(&m->out);
	record_free(&m->rec);
	free(m->sv);
	free(m);
}

static int64_t
match_input_used(struct stage *s)
{
	return ((struct match *)s)->input_used;
}

static const struct stage_ops match_ops = {
	.begin = match_begin,
	.end = match_end,
	.push = match_push,
	.flush = match_flush,
	.close = match_close,
	.destroy = match_destroy,
	.at = match_at,
	.input_used = match_input_used,
};

/*
 * --color=auto colours when match's output is the chain's final output
 * and that is a terminal (not dumb), as grep decides for its stdout.
 */
static int
color_settle(enum color_mode mode, struct stage *next)
{
	struct stage *w;
	const char *t = getenv("TERM");

	if (mode != COLOR_AUTO)
		return mode == COLOR_ALWAYS;
	w = writer_of(next, 0);
	return w != NULL && isatty(writer_fd(w)) && t != NULL &&
	    strcmp(t, "dumb") != 0;
}

static struct stage *
match_create(const struct stage_args *args, struct stage *next)
{
	const struct match_args *a = (const struct match_args *)args;
	struct match *m;
	uint32_t opts = 0;

	if ((m = stage_alloc(sizeof(*m), &match_ops, next,
	    match_stage.name)) == NULL)
		return NULL;
	m->a = a;
	m->pat = a->pat;
	m->out.name = m->base.name;
	m->color = color_settle(a->color, next);
	m->input_used = a->selects_none ? 0 : -1;
	if ((m->md = pcre2_match_data_create_from_pattern(m->pat->re,
	    NULL)) == NULL) {
		free(m);
		return NULL;
	}
	m->jit = m->pat->jit;
	if (record_init(&m->rec, &a->fmt, FIELD_BLANKS) < 0) {
		pcre2_match_data_free(m->md);
		free(m);
		return NULL;
	}
	pcre2_pattern_info(m->pat->re, PCRE2_INFO_ALLOPTIONS, &opts);
	m->utf = opts & PCRE2_UTF;
	return &m->base;
}

const struct stage_def match_stage = {
	.name = "match",
	.kind = STAGE_FILTER,
	.splittable = match_splittable,
	.concat_files = 0,
	.usage =
	    "%s [OPTION]... PATTERN [FILE]...\n"
	    "Search for PATTERN (PCRE2) in each FILE.\n"
	    "With no FILE, or when FILE is -, read standard input.\n"
	    "\n"
	    "  -e, --regexp=PATTERN       use PATTERN (repeatable)\n"
	    "  -f, --file=FILE            take PATTERNS from FILE\n"
	    "  -F, --fixed-strings        PATTERNS are strings\n"
	    "  -i, --ignore-case          ignore case distinctions\n"
	    "  -v, --invert-match         select non-matching lines\n"
	    "  -w, --word-regexp          match only whole words\n"
	    "  -x, --line-regexp          match only whole lines\n"
	    "      --field=SPEC           match PATTERN against field SPEC only:\n"
	    "                             N, the Nth blank-separated word, or a NAME\n"
	    "      --format=FMT           read NAMEs as FMT: combined, common, json,\n"
	    "                             logfmt (default: from the first line)\n"
	    "      --parse=REGEX          NAMEs are REGEX's named groups\n"
	    "  -c, --count                print only a count of selected lines\n"
	    "  -l, --files-with-matches   print only names of FILEs with\n"
	    "                             selected lines\n"
	    "  -L, --files-without-match  print only names of FILEs with no\n"
	    "                             selected lines\n"
	    "  -m, --max-count=NUM        stop after NUM selected lines\n"
	    "  -o, --only-matching        show only the matching parts\n"
	    "  -q, --quiet, --silent      suppress all normal output\n"
	    "  -s, --no-messages          suppress error messages about files\n"
	    "  -n, --line-number          print line numbers\n"
	    "  -b, --byte-offset          print byte offsets\n"
	    "  -H, --with-filename        print the file name for each match\n"
	    "  -h, --no-filename          suppress the file name prefix\n"
	    "      --label=LABEL          name standard input LABEL\n"
	    "  -A, --after-context=NUM    print NUM lines of trailing context\n"
	    "  -B, --before-context=NUM   print NUM lines of leading context\n"
	    "  -C, --context=NUM          print NUM lines of context\n"
	    "      --color[=WHEN]         highlight matches: never, always, auto\n"
	    "      --line-buffered        flush output on every line\n"
	    "      --help                 display this help and exit\n"
	    "      --version              output version information and exit\n"
	    "\n"
	    "Exit status is 0 if a line is selected, 1 if none, 2 on error.",
	.parse = match_parse,
	.create = match_create,
};
