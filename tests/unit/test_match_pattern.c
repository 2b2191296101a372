/*
 * match_pattern: what the prefilters learn from a pattern's text, and
 * that they find what a plain search finds.
 */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "match_int.h"
#include "tap.h"

/* The required literal of p as a string ("" for none). */
static const char *
req(const char *p)
{
	static char out[300];
	size_t n = mp_required_literal(p, strlen(p), out, 256);

	out[n] = '\0';
	return out;
}

/* Compile the '\n'-separated list pats (a '\n' is appended). */
static struct match_pattern *
compile(const char *pats, unsigned flags)
{
	struct match_pattern *mp;
	char list[512];
	size_t n = strlen(pats);

	memcpy(list, pats, n);
	list[n++] = '\n';
	if (mp_compile(&mp, "test", list, n, flags) < 0)
		return NULL;
	return mp;
}

/* memmem, written out: the answer the prefilters must give. */
static const char *
naive(const char *h, size_t hl, const char *n, size_t nl)
{
	size_t i;

	for (i = 0; i + nl <= hl; i++)
		if (memcmp(h + i, n, nl) == 0)
			return h + i;
	return NULL;
}

static void
test_required_literal(void)
{
	is_str(req("favicon"), "favicon", "a plain word is its literal");
	is_str(req("GET /[a-z]+\\.pdf"), "GET /", "the longest run wins");
	is_str(req("ab\\.cd"), "ab.cd", "an escaped metacharacter is literal");
	is_str(req("abc?def"), "def", "a quantified byte is optional");
	is_str(req("x(ab)yz"), "yz", "nothing inside a group");
	is_str(req("ab|cd"), "", "no literal with a top-level '|'");
	is_str(req("(?i)abc"), "", "no literal with an inline option");
	is_str(req("\\x41bc"), "", "an escape with arguments stops reading");
	is_str(req("[abc]defg"), "defg", "a class is skipped");
	is_str(req("[]a]bcd"), "bcd", "']' first is a class member");
	is_str(req("d{2}xyz"), "xyz", "a quantifier's bounds are no literal");
	is_str(req("d{xyzw"), "xyzw", "a '{' opening nothing ends the run");
	is_str(req("ab+cd"), "ab", "x+ ends the run after x");
}

static void
test_per_line(void)
{
	ok(mp_needs_per_line("\\Afoo", 5), "\\A is matched line by line");
	ok(mp_needs_per_line("a(?=b)", 6), "a lookahead too");
	ok(mp_needs_per_line("(?-m)^a", 7), "(?-m) too");
	ok(!mp_needs_per_line("^a$", 3), "^ and $ are not");
	ok(!mp_needs_per_line("(?i)a", 5), "(?i) is not");
}

static void
test_rank(void)
{
	ok(mp_byte_rank('z') < mp_byte_rank('e'), "z is rarer than e");
	ok(mp_byte_rank('0') >= 60, "digits are common");
	ok(mp_byte_rank('Q') < mp_byte_rank('q'), "capitals are rare");
}

static void
test_literal(void)
{
	struct match_pattern *mp;

	mp = compile("favicon", 0);
	ok(mp != NULL && mp->lit_len == 7 && mp->lit_is_pattern &&
	    !mp->lit_pair && mp->lit[mp->lit_rarest] == 'v',
	    "favicon: the pattern is its literal, found by its 'v'");
	mp_free(mp);
	mp = compile("404", 0);
	ok(mp != NULL && mp->lit_len == 3 && mp->lit_pair &&
	    mp->lit_rarest != mp->lit_second,
	    "404: digits are common, looked for in pairs");
	mp_free(mp);
	mp = compile("GET /[a-z]+\\.pdf", 0);
	ok(mp != NULL && mp->lit_len == 5 && !mp->lit_is_pattern &&
	    mp->n_branch_bytes == 0, "a regex: its literal, PCRE2 decides");
	mp_free(mp);
	mp = compile("a.c", MP_FIXED);
	ok(mp != NULL && mp->lit_len == 3 && mp->lit_is_pattern,
	    "-F: the string is the literal");
	mp_free(mp);
	mp = compile("foo", MP_WORD);
	ok(mp != NULL && mp->lit_len == 3 && !mp->lit_is_pattern,
	    "-w: the literal alone does not decide");
	mp_free(mp);
	mp = compile("\\Afoo", 0);
	ok(mp != NULL && mp->per_line, "\\A: matched line by line");
	mp_free(mp);
}

static void
test_branches(void)
{
	struct match_pattern *mp;
	const char *h = "a Mozilla/5.0 and a python client";

	mp = compile("mozilla|python", MP_ICASE);
	ok(mp != NULL && mp->lit_len == 0 && mp->n_branch_bytes == 4 &&
	    mp->n_branch_lits == 4, "-i a|b: two bytes, both cases each");
	ok(mp != NULL && mp_branch_find(mp, h, strlen(h)) != NULL &&
	    mp_branch_verify(mp, h, h + strlen(h), strchr(h, 'z')),
	    "-i: Mozilla found and verified at its 'z'");
	ok(mp != NULL && !mp_branch_verify(mp, h, h + strlen(h),
	    strchr(h, '5')), "a byte of no branch is not verified");
	mp_free(mp);
	mp = compile("abc\ndef", MP_FIXED);
	ok(mp != NULL && mp->lit_len == 0 && mp->n_branch_bytes == 2,
	    "-F two strings: a byte of each");
	mp_free(mp);
	mp = compile("a(?i)b|c", 0);
	ok(mp != NULL && mp->n_branch_bytes == 0, "an inline option: no set");
	mp_free(mp);
}

/* mp_lit_find against a naive search on random digit text. */
static void
test_lit_find(void)
{
	static const char *lits[] = { "404", "4", "2008", "favicon", "0 1" };
	char h[2000];
	unsigned st = 1;
	size_t i, k, bad = 0, tried = 0;

	for (k = 0; k < sizeof(lits) / sizeof(lits[0]); k++) {
		struct match_pattern *mp = compile(lits[k], MP_FIXED);

		if (mp == NULL) {
			bad++;
			continue;
		}
		for (i = 0; i < 200; i++) {
			size_t hl, j, from;

			st = st * 1103515245u + 12345u;
			hl = (st >> 16) % sizeof(h);
			for (j = 0; j < hl; j++) {
				st = st * 1103515245u + 12345u;
				h[j] = " 0124favicon"[(st >> 16) % 12];
			}
			from = hl ? (st >> 8) % hl : 0;
			tried++;
			if (mp_lit_find(mp, h + from, hl - from) !=
			    naive(h + from, hl - from, mp->lit, mp->lit_len))
				bad++;
		}
		mp_free(mp);
	}
	ok(bad == 0 && tried == 1000,
	    "mp_lit_find equals a naive search (%zu of %zu differ)", bad,
	    tried);
}

static void
test_errors(void)
{
	struct match_pattern *mp = (struct match_pattern *)1;
	FILE *was = stderr;

	stderr = fopen("/dev/null", "w");
	ok(mp_compile(&mp, "test", "a(\n", 3, 0) == -1 && mp == NULL,
	    "an invalid pattern: -1, nothing made");
	fclose(stderr);
	stderr = was;
}

int
main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	test_required_literal();
	test_per_line();
	test_rank();
	test_literal();
	test_branches();
	test_lit_find();
	test_errors();
	return done_testing();
}
