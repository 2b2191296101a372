/*
 * match_pattern: the -e/-f patterns made one PCRE2 pattern, compiled
 * (regex.h), and what every match must hold, found in the pattern's text
 * so that the scan (match_scan.c) passes most lines over without PCRE2:
 *
 * - one literal (a fixed string, or the longest run of literal bytes at
 *   the top level of a simple regex), found with memchr on its rarest
 *   byte, or 64 positions at a time on its two rarest when even that
 *   byte is common;
 * - else one byte per top-level branch (both cases with -i), found 16
 *   bytes at a time, and the branch's literal around it compared.
 *
 * Everything here is a pure function of the pattern text and flags;
 * tests/unit/test_match_pattern.c checks them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "diag.h"
#include "grow.h"
#include "match_int.h"

/*
 * The length of a pattern of the list.  Each is ended by '\n'; a NUL
 * before it (from -f FILE) is one of its bytes.
 */
static size_t
pat_len(const char *s)
{
	return (size_t)((const char *)rawmemchr(s, '\n') - s);
}

int
mp_needs_per_line(const char *p, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i++) {
		if (p[i] == '\\') {
			char c = p[i + 1];

			if (c == 'A' || c == 'z' || c == 'Z' || c == 'G' ||
			    c == 'K')
				return 1;
			i++;
		} else if (p[i] == '(' && p[i + 1] == '?' && i + 2 < len &&
		    (p[i + 2] == '=' || p[i + 2] == '!' || p[i + 2] == '<'))
			return 1;
		else if (p[i] == '(' && p[i + 1] == '*')
			return 1;
		else if (p[i] == '(' && p[i + 1] == '?') {
			/*
			 * (?-m) or (?^) may turn multiline off: then ^ and $
			 * see only the ends of the subject, which must be the
			 * line.
			 */
			size_t j;

			for (j = i + 2; j < len && (p[j] == '-' ||
			    p[j] == '^' || (p[j] >= 'a' && p[j] <= 'z') ||
			    (p[j] >= 'A' && p[j] <= 'Z')); j++)
				if (p[j] == '-' || p[j] == '^')
					return 1;
		}
	}
	return 0;
}

/*
 * A pattern that is its own literal (ASCII bytes, no metacharacter): a
 * line holding the bytes matches, with no need to ask PCRE2.  ASCII
 * only, so that in UTF mode the bytes found are whole characters.
 */
static int
plain_ascii(const char *p, size_t len, int fixed)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = p[i];

		if (c == 0 || c >= 0x80 ||
		    (!fixed && strchr("()[]{}|^$.*+?\\#", c) != NULL))
			return 0;
	}
	return 1;
}

/* The index of the ']' that closes the class opened at p[i] (or >= len). */
static size_t
skip_class(const char *p, size_t len, size_t i)
{
	i++;
	if (i < len && p[i] == '^')
		i++;
	if (i < len && p[i] == ']')	/* ']' first is a member */
		i++;
	while (i < len && p[i] != ']') {
		if (p[i] == '\\')
			i++;
		i++;
	}
	return i;
}

/* The byte that p[i] stands for literally (*adv: bytes after i), or -1. */
static int
literal_at(const char *p, size_t len, size_t i, size_t *adv)
{
	unsigned char c = p[i], d;

	*adv = 0;
	if (c == '\\' && i + 1 < len) {
		d = p[i + 1];
		if ((d >= '0' && d <= '9') || (d >= 'a' && d <= 'z') ||
		    (d >= 'A' && d <= 'Z'))
			return -1;
		*adv = 1;
		return d;
	}
	if (c == 0 || strchr("()[]{}|^$.*+?\\", c) != NULL)
		return -1;
	return c;
}

/*
 * Step over the syntax at p[i] for mp_required_literal: the index of its
 * last byte, *depth kept; SIZE_MAX when the pattern is not worth reading
 * on (a top-level '|', an escape with arguments).
 */
static size_t
skip_syntax(const char *p, size_t len, size_t i, int *depth)
{
	size_t j;

	switch (p[i]) {
	case '\\':
		if (i + 1 < len && strchr("xpPNgkocQE0123456789",
		    p[i + 1]) != NULL)
			return SIZE_MAX;
		return i + 1;
	case '(':
		(*depth)++;
		break;
	case ')':
		(*depth)--;
		break;
	case '|':
		if (*depth == 0)
			return SIZE_MAX;
		break;
	case '{':
		/*
		 * A quantifier's bounds are no literal.  A '{' that opens
		 * none ("d{|x") is a literal to PCRE2: it only ends the run,
		 * and what follows is read on.
		 */
		for (j = i + 1; j < len && ((p[j] >= '0' && p[j] <= '9') ||
		    p[j] == ',' || p[j] == ' '); j++)
			;
		if (j < len && p[j] == '}')
			return j;
		break;
	case '[':
		return skip_class(p, len, i);
	}
	return i;
}

/*
 * Runs at the top level only; none when there is a top-level '|' or an
 * inline option.
 */
size_t
mp_required_literal(const char *p, size_t len, char *out, size_t max)
{
	char run[256];
	size_t i, rl = 0, best = 0, adv;
	int depth = 0, lit;

	for (i = 0; i < len; i++)
		if (p[i] == '(' && i + 1 < len && p[i + 1] == '?')
			return 0;
	for (i = 0; i <= len; i++) {
		lit = -1;
		adv = 0;
		if (i < len)
			lit = literal_at(p, len, i, &adv);
		if (lit >= 0 && depth == 0) {
			/* a quantifier after it makes it optional */
			size_t j = i + adv + 1;

			if (j < len && (p[j] == '?' || p[j] == '*' ||
			    p[j] == '{')) {
				lit = -1;
			} else if (rl < sizeof(run)) {
				run[rl++] = (char)lit;
				i += adv;
				if (j < len && p[j] == '+')
					lit = -1;	/* run ends after it */
				else
					continue;
			}
		}
		if (rl > best && rl <= max) {
			memcpy(out, run, rl);
			best = rl;
		}
		rl = 0;
		if (i >= len)
			break;
		if (lit >= 0) {
			i += adv;
			continue;
		}
		if ((i = skip_syntax(p, len, i, &depth)) == SIZE_MAX)
			return 0;
	}
	return best;
}

/* Split p at its top-level '|': up to max branches, or -1. */
static int
split_branches(const char *p, size_t len, size_t *st, size_t *en, int max)
{
	size_t i;
	int depth = 0, n = 0;

	st[0] = 0;
	for (i = 0; i < len; i++) {
		switch (p[i]) {
		case '\\':
			i++;
			break;
		case '(':
			depth++;
			break;
		case ')':
			depth--;
			break;
		case '[':
			i = skip_class(p, len, i);
			break;
		case '|':
			if (depth == 0) {
				en[n++] = i;
				if (n >= max)
					return -1;
				st[n] = i + 1;
			}
			break;
		}
	}
	en[n++] = len;
	return n;
}

/* A byte whose caseless twin lies beyond ASCII (K: Kelvin, s: long s). */
static int
has_far_twin(unsigned char c, int utf)
{
	return c >= 0x80 || (utf && (c == 'k' || c == 'K' || c == 's' ||
	    c == 'S'));
}

static unsigned char
other_case(unsigned char c)
{
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 'A';
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 'a';
	return c;
}

/* Note the literal around byte `best` of lit, found by b. */
static void
branch_lit_add(struct match_pattern *mp, const char *lit, size_t l,
    size_t best, unsigned char b, int utf)
{
	struct mp_branch_lit *e = &mp->branch_lits[mp->n_branch_lits++];
	size_t i;

	e->byte = b;
	e->at = best;
	e->len = l < sizeof(e->lit) ? l : sizeof(e->lit);
	e->verify = l < sizeof(e->lit);
	for (i = 0; i < e->len; i++) {
		unsigned char d = lit[i];

		if (mp->icase && has_far_twin(d, utf))
			e->verify = 0;
		e->lit[i] = mp->icase && d >= 'A' && d <= 'Z' ?
		    (char)(d - 'A' + 'a') : (char)d;
	}
}

/* Add a literal's rarest byte (both cases with -i) to the set; -1: no. */
static int
branch_add(struct match_pattern *mp, const char *lit, size_t l, int utf)
{
	size_t i, best = l;
	unsigned char c, alt;
	int k;

	for (i = 0; i < l; i++) {
		c = lit[i];
		if (mp->icase && has_far_twin(c, utf))
			continue;	/* caseless twins beyond ASCII */
		if (best == l || mp_byte_rank(c) < mp_byte_rank(lit[best]))
			best = i;
	}
	if (best == l)
		return -1;
	c = lit[best];
	alt = mp->icase ? other_case(c) : c;
	for (k = 0; k < 2 && mp->n_branch_lits < MP_MAX_BRANCH_LITS; k++) {
		if (k == 1 && alt == c)
			break;	/* no other case */
		branch_lit_add(mp, lit, l, best, k == 0 ? c : alt, utf);
	}
	if (mp->n_branch_lits >= MP_MAX_BRANCH_LITS)
		return -1;
	for (k = 0; k < 2; k++, c = alt) {
		int j;

		for (j = 0; j < mp->n_branch_bytes && mp->branch_bytes[j] != c;
		    j++)
			;
		if (j < mp->n_branch_bytes)
			continue;
		if (mp->n_branch_bytes >= (int)sizeof(mp->branch_bytes))
			return -1;
		mp->branch_bytes[mp->n_branch_bytes++] = c;
	}
	return 0;
}

/* Find the bytes one of which every match holds; none: n_branch_bytes 0. */
static void
find_branch_bytes(struct match_pattern *mp, const char **v, int n,
    unsigned flags, int utf)
{
	size_t st[16], en[16];
	char lit[256];
	int i, j, nb;

	mp->n_branch_bytes = 0;
	mp->n_branch_lits = 0;
	for (i = 0; i < n; i++) {
		size_t l = pat_len(v[i]);

		if (flags & MP_FIXED) {
			if (l == 0 || branch_add(mp, v[i], l, utf) < 0)
				goto none;
			continue;
		}
		for (j = 0; j + 1 < (int)l; j++)
			if (v[i][j] == '(' && v[i][j + 1] == '?')
				goto none;
		if ((nb = split_branches(v[i], l, st, en, 16)) < 0)
			goto none;
		for (j = 0; j < nb; j++) {
			size_t ll = mp_required_literal(v[i] + st[j],
			    en[j] - st[j], lit, sizeof(lit));

			if (ll == 0 || branch_add(mp, lit, ll, utf) < 0)
				goto none;
		}
	}
	return;
none:
	mp->n_branch_bytes = 0;
	mp->n_branch_lits = 0;
}

/* The one pattern (n == 1, no -i): the literal its matches hold. */
static void
find_literal(struct match_pattern *mp, const char *v0, unsigned flags)
{
	size_t l0 = pat_len(v0), i;

	if (flags & MP_FIXED) {
		if (l0 <= sizeof(mp->lit)) {
			memcpy(mp->lit, v0, l0);
			mp->lit_len = l0;
		}
	} else
		mp->lit_len = mp_required_literal(v0, l0, mp->lit,
		    sizeof(mp->lit));
	mp->lit_is_pattern = mp->lit_len == l0 && l0 > 0 &&
	    !(flags & (MP_LINE | MP_WORD)) &&
	    plain_ascii(v0, l0, (flags & MP_FIXED) != 0);
	for (i = 0; i < mp->lit_len; i++)
		if (mp_byte_rank(mp->lit[i]) <
		    mp_byte_rank(mp->lit[mp->lit_rarest]))
			mp->lit_rarest = i;
	mp->lit_second = mp->lit_rarest == 0 ? 1 : 0;
	for (i = 0; i < mp->lit_len; i++)
		if (i != mp->lit_rarest && mp_byte_rank(mp->lit[i]) <
		    mp_byte_rank(mp->lit[mp->lit_second]))
			mp->lit_second = i;
	/* memchr on a rare byte beats the pair search; on a digit it stops
	   everywhere */
	mp->lit_pair = mp->lit_len >= 2 &&
	    mp_byte_rank(mp->lit[mp->lit_rarest]) >= 60;
}

/* The combined pattern's text, as it grows. */
struct text {
	char	*p;
	size_t	 len, cap;
};

static int
text_add(struct text *t, const char *p, size_t n)
{
	if (grow(&t->p, &t->cap, t->len + n + 1, 256) < 0)
		return -1;
	memcpy(t->p + t->len, p, n);
	t->len += n;
	t->p[t->len] = '\0';
	return 0;
}

/* A -F string, its bytes escaped for PCRE2. */
static int
text_add_fixed(struct text *t, const char *s, size_t l)
{
	size_t k, el;
	char esc[8];

	for (k = 0; k < l; k++) {
		unsigned char c = s[k];

		if (c == 0)
			el = (size_t)snprintf(esc, sizeof(esc), "\\x00");
		else if (c < 0x80 && !((c >= '0' && c <= '9') ||
		    (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
			esc[0] = '\\';
			esc[1] = (char)c;
			el = 2;
		} else {
			esc[0] = (char)c;
			el = 1;
		}
		if (text_add(t, esc, el) < 0)
			return -1;
	}
	return 0;
}

/*
 * v[0..n) as one pattern, (?:A)|(?:B) inside -w's and -x's frame.  Each
 * regex is compiled alone first, so that an error names the one the user
 * wrote.  0, or -1 (reported).
 */
static int
combine(struct text *t, const char **v, int n, unsigned flags,
    uint32_t opts, const char *prog, int *per_line)
{
	int i;

	if (text_add(t, "", 0) < 0 ||
	    ((flags & MP_WORD) && text_add(t, "(?<!\\w)(?:", 10) < 0) ||
	    ((flags & MP_LINE) && text_add(t, "^(?:", 4) < 0))
		goto nomem;
	for (i = 0; i < n; i++) {
		size_t l = pat_len(v[i]);

		if ((i > 0 && text_add(t, "|", 1) < 0) ||
		    (n > 1 && text_add(t, "(?:", 3) < 0))
			goto nomem;
		if (flags & MP_FIXED) {
			if (text_add_fixed(t, v[i], l) < 0)
				goto nomem;
		} else {
			pcre2_code *one = regex_compile(prog, v[i], l, opts,
			    v[i], l);

			if (one == NULL)
				return -1;
			pcre2_code_free(one);
			if (mp_needs_per_line(v[i], l))
				*per_line = 1;
			if (text_add(t, v[i], l) < 0)
				goto nomem;
		}
		if (n > 1 && text_add(t, ")", 1) < 0)
			goto nomem;
	}
	if (((flags & MP_LINE) && text_add(t, ")$", 2) < 0) ||
	    ((flags & MP_WORD) && text_add(t, ")(?!\\w)", 7) < 0))
		goto nomem;
	return 0;
nomem:
	diag_errno(prog, ENOMEM, "pattern");
	return -1;
}

/* Longest first: -F tries the longer of two strings at a place first. */
static int
lencmp(const void *x, const void *y)
{
	const char *const *a = x, *const *b = y;
	size_t la = pat_len(*a), lb = pat_len(*b);

	return la < lb ? 1 : la > lb ? -1 : 0;
}

/* The patterns of the list, each ended by '\n'; NULL when out of memory. */
static const char **
split_list(const char *list, size_t len, int *n)
{
	const char *s, *e, **v;
	int i;

	*n = 0;
	for (s = list; s < list + len; s = e + 1) {
		e = memchr(s, '\n', list + len - s);
		(*n)++;
	}
	if ((v = calloc(*n ? *n : 1, sizeof(*v))) == NULL)
		return NULL;
	for (i = 0, s = list; s < list + len; s = e + 1) {
		e = memchr(s, '\n', list + len - s);
		v[i++] = s;
	}
	return v;
}

int
mp_compile(struct match_pattern **out, const char *prog, const char *list,
    size_t len, unsigned flags)
{
	uint32_t opts = PCRE2_MULTILINE;
	struct match_pattern *mp;
	struct text t = { NULL, 0, 0 };
	const char **v = NULL;
	int n = 0, per_line = 0, r = -1;

	*out = NULL;
	if (flags & MP_ICASE)
		opts |= PCRE2_CASELESS;
	if ((mp = calloc(1, sizeof(*mp))) == NULL ||
	    (v = split_list(list, len, &n)) == NULL) {
		diag_errno(prog, ENOMEM, "pattern");
		goto done;
	}
	if (flags & MP_FIXED)
		qsort(v, n, sizeof(*v), lencmp);
	if (combine(&t, v, n, flags, opts, prog, &per_line) < 0)
		goto done;
	mp->re = regex_compile(prog, t.p, t.len, opts, n == 1 ? v[0] : t.p,
	    n == 1 ? pat_len(v[0]) : t.len);
	if (mp->re == NULL)
		goto done;
	mp->icase = (flags & MP_ICASE) != 0;
	mp->per_line = per_line;
	if (n == 1 && !mp->icase)
		find_literal(mp, v[0], flags);
	if (mp->lit_len == 0 && !per_line)
		find_branch_bytes(mp, v, n, flags,
		    (regex_locale_options() & PCRE2_UTF) != 0);
	mp->jit = regex_jit(mp->re);
	*out = mp;
	mp = NULL;
	r = 0;
done:
	free(v);
	free(t.p);
	mp_free(mp);
	return r;
}

void
mp_free(struct match_pattern *mp)
{
	if (mp == NULL)
		return;
	pcre2_code_free(mp->re);
	free(mp);
}

int
mp_byte_rank(unsigned char c)
{
	static const char common[] = " 0123456789.e/-:ta\"oinsrh1l2dcu";
	const char *p;

	if (c == 0)
		return 0;
	p = strchr(common, c);
	if (p != NULL)
		return 100 - (int)(p - common);
	if (c >= 'a' && c <= 'z') {
		static const char rare[] = "zqxjvkbywgfpm";

		p = strchr(rare, c);
		return p != NULL ? 25 + (int)(p - rare) : 40;
	}
	if (c >= 'A' && c <= 'Z')
		return 20;
	return 10;
}

/*
 * memmem tuned for many short searches: memchr on the literal's rarest
 * byte, then compare.  When even that byte is common (a digit string
 * such as "404"), look 64 places at a time for its two rarest bytes at
 * their offsets ("4?4" is far rarer than "4"), then compare.
 */
const char *
mp_lit_find(const struct match_pattern *mp, const char *h, size_t hl)
{
	const char *n = mp->lit, *e = h + hl, *q, *p = h;
	size_t nl = mp->lit_len, k = mp->lit_rarest;

	if (nl > hl)
		return NULL;
	if (mp->lit_pair) {
		size_t kmax = k > mp->lit_second ? k : mp->lit_second;
		uint64_t m;

		for (; (size_t)(e - p) >= kmax + 64; p += 64)
			if ((m = mp_lit_starts(mp, p, (size_t)(e - p))) != 0)
				return p + bm_ctz(m);
		if ((size_t)(e - p) < nl)
			return NULL;
	}
	e -= nl - 1 - k;	/* the rare byte can sit no further */
	for (p += k; p < e && (q = memchr(p, (unsigned char)n[k], e - p)) != NULL;
	    p = q + 1)
		if (mp_lit_eq(q - k, n, nl))
			return q - k;
	return NULL;
}

const char *
mp_branch_find(const struct match_pattern *mp, const char *h, size_t hl)
{
	const char *e = h + hl;
	int i;

	if (mp->n_branch_bytes == 1)
		return memchr(h, mp->branch_bytes[0], hl);
#ifdef __SSE2__
	{
		__m128i v[8];

		for (i = 0; i < mp->n_branch_bytes; i++)
			v[i] = _mm_set1_epi8((char)mp->branch_bytes[i]);
		while (e - h >= 16) {
			__m128i x = _mm_loadu_si128((const __m128i *)h);
			__m128i acc = _mm_cmpeq_epi8(x, v[0]);
			int mask;

			for (i = 1; i < mp->n_branch_bytes; i++)
				acc = _mm_or_si128(acc, _mm_cmpeq_epi8(x, v[i]));
			if ((mask = _mm_movemask_epi8(acc)) != 0)
				return h + __builtin_ctz((unsigned)mask);
			h += 16;
		}
	}
#endif
	for (; h < e; h++)
		for (i = 0; i < mp->n_branch_bytes; i++)
			if ((unsigned char)*h == mp->branch_bytes[i])
				return h;
	return NULL;
}

int
mp_branch_verify(const struct match_pattern *mp, const char *lo,
    const char *hi, const char *q)
{
	int j;
	size_t i;

	for (j = 0; j < mp->n_branch_lits; j++) {
		const struct mp_branch_lit *e = &mp->branch_lits[j];
		const char *p = q - e->at;

		if (e->byte != (unsigned char)*q)
			continue;
		if (!e->verify)
			return 1;
		if (q < lo + e->at || (size_t)(hi - p) < e->len)
			continue;
		if (!mp->icase) {
			if (memcmp(p, e->lit, e->len) == 0)
				return 1;
			continue;
		}
		for (i = 0; i < e->len; i++) {
			unsigned char c = p[i];

			if (c >= 'A' && c <= 'Z')
				c = c - 'A' + 'a';
			if (c != (unsigned char)e->lit[i])
				break;
		}
		if (i == e->len)
			return 1;
	}
	return 0;
}
