/*
 * match_int.h: what match's files share; no other stage includes it.
 *
 *   match.c          options, the stage definition, create and close
 *   match_pattern.c  the pattern: the -e/-f list made one PCRE2 pattern,
 *                    compiled and JIT-compiled, and the literal
 *                    prefilters found in it (pure functions over
 *                    struct match_pattern, unit-tested)
 *   match_scan.c     the scan of a batch: the next line holding a match,
 *                    PCRE2 on a line, its limits and the JIT stack
 *   match_select.c   what prints: selection, -v, -m, context, -c, -l/-L
 *                    (one place, as OpenBSD grep's procline())
 *   match_output.c   how a line is written: -H -n -b, -o, --color, the
 *                    "--" separator, the -c and -l/-L lines
 */
#ifndef RUNNEL_MATCH_INT_H
#define RUNNEL_MATCH_INT_H

#include <stddef.h>
#include <stdint.h>

#include "bytemask.h"
#include "diag.h"
#include "outbuf.h"
#include "record.h"
#include "regex.h"
#include "stage.h"

/* ---- the pattern (match_pattern.c) ---- */

/* How the patterns of the list are read: mp_compile()'s flags. */
#define MP_FIXED	0x1	/* -F: strings, not regular expressions */
#define MP_ICASE	0x2	/* -i */
#define MP_WORD		0x4	/* -w: whole words */
#define MP_LINE		0x8	/* -x: whole lines */

#define MP_MAX_BRANCH_LITS	16

/*
 * The literal of one top-level branch (or one -F string), found by one
 * of its bytes: where that byte sits, and the bytes around it to compare
 * before PCRE2 is asked.
 */
struct mp_branch_lit {
	unsigned char	 byte;		/* the byte searched for */
	int		 verify;	/* 0: the byte alone is enough */
	size_t		 at;		/* its index in lit */
	size_t		 len;
	char		 lit[64];	/* lower case with -i */
};

/*
 * The compiled pattern and what it tells of every match, so that most
 * lines are passed over without asking PCRE2.  Built by mp_compile(),
 * read-only after: the copies of a split share it.
 */
struct match_pattern {
	pcre2_code	*re;
	int		 jit;		/* re is JIT-compiled */
	int		 icase;
	/*
	 * The pattern depends on where the subject starts or ends (\A, \z,
	 * \G, lookarounds, (?-m)): match it line by line, not over a batch.
	 */
	int		 per_line;
	/* A literal every match holds (one pattern, no -i), else lit_len 0. */
	char		 lit[256];
	size_t		 lit_len;
	size_t		 lit_rarest;	/* index of its rarest byte */
	size_t		 lit_second;	/* the next rarest's index */
	/* memchr on lit_rarest stops everywhere (a digit): look for the
	   two rarest bytes at their places, 64 positions at a time */
	int		 lit_pair;
	int		 lit_is_pattern; /* holding lit is matching */
	/*
	 * Without such a literal: the bytes one of which every match holds
	 * (the rarest byte of each branch's literal, both cases with -i),
	 * and those literals around them.  n_branch_bytes 0: none.
	 */
	unsigned char	 branch_bytes[8];
	int		 n_branch_bytes;
	struct mp_branch_lit branch_lits[MP_MAX_BRANCH_LITS];
	int		 n_branch_lits;
};

/*
 * Make the patterns of list (len bytes, each pattern ended by '\n') one
 * pattern, as grep -P would read them with flags (MP_*), and compile it.
 * On an invalid pattern, writes "PROG: invalid pattern ..." naming it and
 * returns -1; -1 too on ENOMEM (reported).  *out is freed by mp_free.
 */
int		 mp_compile(struct match_pattern **out, const char *prog,
		    const char *list, size_t len, unsigned flags);
void		 mp_free(struct match_pattern *);

/* How common a byte is in logs and text: higher is more common. */
int		 mp_byte_rank(unsigned char);
/* Does the pattern depend on where the subject starts or ends? */
int		 mp_needs_per_line(const char *p, size_t len);
/*
 * The longest run of literal bytes that every match of the regular
 * expression p must hold (at most max, into out), for simple patterns;
 * 0 when none was found.
 */
size_t		 mp_required_literal(const char *p, size_t len, char *out,
		    size_t max);
/* The first place of mp->lit in [h, h + hl), or NULL. */
const char	*mp_lit_find(const struct match_pattern *, const char *h,
		    size_t hl);
/* The first byte of [h, h + hl) among mp->branch_bytes, or NULL. */
const char	*mp_branch_find(const struct match_pattern *, const char *h,
		    size_t hl);
/* Does a branch literal sit around the byte at q, within [lo, hi)? */
int		 mp_branch_verify(const struct match_pattern *,
		    const char *lo, const char *hi, const char *q);

/* memcmp(p, n, nl) == 0, without a call for the short literals of logs. */
static inline int
mp_lit_eq(const char *p, const char *n, size_t nl)
{
	size_t j;

	if (nl > 8)
		return memcmp(p, n, nl) == 0;
	for (j = 0; j < nl && p[j] == n[j]; j++)
		;
	return j == nl;
}

/*
 * Where mp->lit starts in the 64 positions at p (avail bytes there), as
 * a mask.  Inline: the run of lines that hold the literal (match_scan.c)
 * calls it every 64 bytes.
 */
static inline uint64_t
mp_lit_starts(const struct match_pattern *mp, const char *p, size_t avail)
{
	const char *n = mp->lit;
	size_t nl = mp->lit_len, k1 = mp->lit_rarest, k2 = mp->lit_second, i;
	uint64_t cand, hits = 0;

	if (avail >= 64 + (k1 > k2 ? k1 : k2) && nl >= 2)
		cand = bm_eq64(p + k1, n[k1]) & bm_eq64(p + k2, n[k2]);
	else if (avail >= 64 + k1)
		cand = bm_eq64(p + k1, n[k1]);
	else	/* near the end: the check below drops what cannot fit */
		cand = bm_eq_at(p, 0, avail, n[0]);
	for (; cand != 0; cand &= cand - 1) {
		i = bm_ctz(cand);
		if (avail - i < nl)
			break;
		if (mp_lit_eq(p + i, n, nl))
			hits |= (uint64_t)1 << i;
	}
	return hits;
}

/* ---- the stage (match.c) ---- */

enum list_mode { LIST_NONE, LIST_MATCH, LIST_NOMATCH };
/* --color's WHEN; auto is settled at create, by the output (writer.h) */
enum color_mode { COLOR_NEVER, COLOR_ALWAYS, COLOR_AUTO };

/* The parsed options: read-only after parse, shared by a split's copies. */
struct match_args {
	struct stage_args	 base;
	int			 fixed, icase, invert, word, line;
	int			 count, quiet, silent, only;
	enum list_mode		 list;
	int			 number, byte, with_name;	/* -1 unset */
	const char		*label;
	uint64_t		 max_count;	/* UINT64_MAX: none */
	long			 before, after;	/* -1 unset */
	enum color_mode		 color;
	/* colours: SGR parameter strings */
	char			 ms[32], mc[32], sl[32], cx[32];
	char			 fn[32], ln[32], bn[32], se[32];
	/* -m 0, or -v with the one empty pattern: grep answers 1 unread */
	int			 selects_none;
	struct match_pattern	*pat;		/* compiled at parse, owned */
	/* --field SPEC: the pattern is matched against that field */
	struct rfield		 field;
	int			 has_field;
	struct record_fmt	 fmt;		/* --format, --parse */
};

/* One match stage: its scan, selection and output state. */
struct match {
	struct stage		 base;
	const struct match_args	*a;
	const struct match_pattern *pat;	/* a->pat */
	pcre2_match_data	*md;
	int			 jit;
	/* the JIT stack, grown on demand as grep -P grows it */
	pcre2_match_context	*mctx;
	pcre2_jit_stack		*jst;
	size_t			 jst_size;
	uint32_t		 utf;
	struct outbuf		 out;
	int			 color;		/* --color, settled */
	/* the current file */
	const char		*fname;
	int			 in_file;
	int			 files_begun;
	uint64_t		 off;		/* file offset of the batch */
	uint64_t		 lineno;	/* lines before pos (with -n) */
	uint64_t		 nsel;
	int			 done;		/* -m reached or -l/-L known */
	int64_t			 input_used;	/* ops->input_used */
	long			 after_left;
	uint64_t		 printed_end;	/* offset after the last line out */
	int			 printed_valid;
	/* -B: copies of the last unprinted lines of earlier batches */
	char			*sv;
	size_t			 svlen, svcap;
	size_t			 svn;		/* lines held */
	uint64_t		 sv_off, sv_lineno;
	/* global */
	int			 match_failed;	/* a line hit a PCRE2 limit */
	struct diag_lines	 warned;	/* the first few are named */
	int			 match_rc;	/* its error code */
	int			 any_output;
	int			 any_selected;
	int			 stopped;
	struct record		 rec;		/* --field's reading */
};

/* ---- a batch of lines and its scan (match_scan.c) ---- */

/* A pushed batch, as the scan and the selection walk it. */
struct batch {
	const char	*d;
	size_t		 len;
	size_t		 pos;		/* start of the next unhandled line */
	size_t		 printed;	/* lower bound for before-context */
	/* lit_next()'s last answer: the literal's first place at or after
	   hint_from is hint_at (len: nowhere) */
	size_t		 hint_from, hint_at;
};

/* End of the line holding position i (index after '\n', or len). */
static inline size_t
line_end(const struct batch *b, size_t i)
{
	size_t nl = bm_find(b->d, i, b->len, '\n');

	return nl < b->len ? nl + 1 : b->len;
}

/* Start of the line holding position i, from at the earliest. */
static inline size_t
line_start(const struct batch *b, size_t from, size_t i)
{
	size_t nl = bm_rfind(b->d, from, i, '\n');

	return nl < i ? nl + 1 : from;
}

static inline size_t
content_len(const struct batch *b, size_t ls, size_t le)
{
	return le > ls && b->d[le - 1] == '\n' ? le - ls - 1 : le - ls;
}

static inline size_t
count_nl(const char *p, size_t n)
{
	return bm_count(p, n, '\n');
}

/*
 * Match m's pattern in [0, len) of p from start: 1 with the match at
 * [*ms, *me), 0 none, -1 a PCRE2 limit (backtracking, depth, heap, JIT
 * stack), its code left in m->match_rc.
 */
int		 match_line_match(struct match *m, const char *p, size_t len,
		    size_t start, size_t *ms, size_t *me);
/*
 * --field: the field of the line p[0, len): 1 with its text t[0, *tl)
 * and its bytes [*fs, *fe) in p (t is p + *fs when the text is those
 * bytes); 0 when the line has none.
 */
int		 match_field(struct match *m, const char *p, size_t len,
		    const char **t, size_t *tl, size_t *fs, size_t *fe);
/* The next line of b holding a match at or after from: its [ls, le). */
int		 match_find_hit(struct match *m, struct batch *b, size_t from,
		    size_t *ls, size_t *le);

/* ---- what prints (match_select.c) ---- */

/* Start a new input called name: counts, -m and context start again. */
void		 match_file_start(struct match *m, const char *name);
/* End the input: its -c or -l/-L line, pushed on. */
enum flow	 match_file_finish(struct match *m);
/* Select and print from one pushed batch of whole lines. */
enum flow	 match_select_batch(struct match *m, const char *data,
		    size_t len);

/* ---- output (match_output.c) ---- */

/* Append n bytes to the output buffer: 0, or -1 (reported). */
static inline int
out_add(struct match *m, const char *p, size_t n)
{
	return outbuf_add(&m->out, p, n);
}

/* Push the output buffer on to the next stage. */
static inline enum flow
out_flush(struct match *m)
{
	return outbuf_push(&m->out, m->base.next);
}

/*
 * Write one line (p, len without its '\n') at file offset off: sep ':'
 * for a selected line, '-' for context.  0, or -1 (reported).
 */
int		 match_emit_line(struct match *m, const char *p, size_t len,
		    uint64_t lineno, uint64_t off, char sep);
/* The "--" before a context group that does not join the last one. */
int		 match_group_sep(struct match *m, uint64_t at);
int		 match_out_count(struct match *m);
int		 match_out_name(struct match *m);

#endif
