/*
 * libFuzzer harness for match: its options, its pattern and its input,
 * all fuzzed, through the stage's real parse() and create().
 *
 * Input layout:
 *   byte 0-1  option bits: -i -v -w -x -F -o -c -n -b, context, -m,
 *             -e or operand, UTF-8 locale, --color=always, list mode,
 *             a sink that stops early
 *   byte 2    context kind and size (0-3), -m NUM (0-3), list mode
 *             (none, -l, -L, -q)
 *   byte 3    seed for the chunk splits, the early stop and two files
 *   then      the pattern up to the first NUL (at most 200 bytes; a '\n'
 *             in it separates patterns, as grep has it), then the input
 *             text (at most 4000 bytes).
 *
 * The stage runs in front of a sink that checks the protocol: every push
 * is non-empty, whole lines that each end in '\n' (match ends every line
 * it writes), nothing after close.  The input goes in as one or two
 * "files", each in a few pushes cut at line boundaries, with flushes in
 * between, as the driver does.  An invalid pattern must give PARSE_FAILED
 * and no leak.
 *
 * An oracle for the plain cases (one regex, no -F, no -o/-b/context/
 * list/colour, one file, a sink that never stops): the output must equal
 * what matching each line on its own with PCRE2 selects, as grep -P does.
 * That checks the batch search (literal and byte-set prefilters, hits
 * across '\n', patterns matched line by line) against the plain meaning.
 */
#include <dlfcn.h>
#include <fcntl.h>
#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "stage.h"
#include "stages.h"

#define MAX_PAT		200
#define MAX_TEXT	4000

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/*
 * Every match runs under lower limits than PCRE2's defaults (10 million
 * steps from each start position), so a backtracking pattern costs
 * milliseconds, not minutes, per input: libPCRE2's functions are wrapped
 * here, the harness's own definitions taking precedence over the shared
 * library's.  match_scan.c's match context (it has one for its JIT stack)
 * gets the same limits; a call without one (the oracle's) gets a context
 * with a JIT stack as large as match.c lets its own grow.
 */
#define FUZZ_MATCH_LIMIT	20000
#define FUZZ_DEPTH_LIMIT	2000

static pcre2_match_context *
limits(void)
{
	static pcre2_match_context *mc;
	static pcre2_jit_stack *js;

	if (mc == NULL) {
		if ((mc = pcre2_match_context_create(NULL)) == NULL)
			abort();
		pcre2_set_match_limit(mc, FUZZ_MATCH_LIMIT);
		pcre2_set_depth_limit(mc, FUZZ_DEPTH_LIMIT);
		if ((js = pcre2_jit_stack_create(32 * 1024, 256u << 20,
		    NULL)) == NULL)
			abort();
		pcre2_jit_stack_assign(mc, NULL, js);
	}
	return mc;
}

static pcre2_match_context *
limit(pcre2_match_context *mc)
{
	if (mc == NULL)
		return limits();
	pcre2_set_match_limit(mc, FUZZ_MATCH_LIMIT);
	pcre2_set_depth_limit(mc, FUZZ_DEPTH_LIMIT);
	return mc;
}

typedef int (*match_fn)(const pcre2_code *, PCRE2_SPTR, PCRE2_SIZE,
    PCRE2_SIZE, uint32_t, pcre2_match_data *, pcre2_match_context *);

int
pcre2_match(const pcre2_code *re, PCRE2_SPTR s, PCRE2_SIZE len,
    PCRE2_SIZE start, uint32_t opts, pcre2_match_data *md,
    pcre2_match_context *mc)
{
	static match_fn real;

	if (real == NULL && (real = (match_fn)dlsym(RTLD_NEXT,
	    "pcre2_match_8")) == NULL)
		abort();
	return real(re, s, len, start, opts, md, limit(mc));
}

int
pcre2_jit_match(const pcre2_code *re, PCRE2_SPTR s, PCRE2_SIZE len,
    PCRE2_SIZE start, uint32_t opts, pcre2_match_data *md,
    pcre2_match_context *mc)
{
	static match_fn real;

	if (real == NULL && (real = (match_fn)dlsym(RTLD_NEXT,
	    "pcre2_jit_match_8")) == NULL)
		abort();
	return real(re, s, len, start, opts, md, limit(mc));
}

/* The real stderr; match's messages go to /dev/null while it runs. */
static FILE *real_stderr;

static void
fail(const char *what)
{
	if (real_stderr != NULL)
		stderr = real_stderr;
	fprintf(stderr, "fuzz_match: %s\n", what);
	abort();
}

/* The checking sink: keeps what it got (for the oracle), may stop. */
struct sink {
	struct stage	 base;
	char		*got;
	size_t		 len, cap;
	int		 pushes;
	int		 stop_after;	/* -1: never */
	int		 closed;
};

static enum flow
sink_push(struct stage *s, const char *data, size_t len)
{
	struct sink *k = (struct sink *)s;

	if (k->closed)
		fail("push after close");
	if (len == 0)
		fail("empty push");
	if (data[len - 1] != '\n')
		fail("a push that does not end in '\\n'");
	if (k->len + len > k->cap) {
		size_t cap = k->cap ? k->cap : 4096;
		char *n;

		while (cap < k->len + len)
			cap *= 2;
		if ((n = realloc(k->got, cap)) == NULL)
			fail("out of memory");
		k->got = n;
		k->cap = cap;
	}
	memcpy(k->got + k->len, data, len);
	k->len += len;
	k->pushes++;
	if (k->stop_after >= 0 && k->pushes > k->stop_after)
		return FLOW_STOP;
	return FLOW_GO;
}

static enum flow
sink_flush(struct stage *s)
{
	(void)s;
	return FLOW_GO;
}

static void
sink_close(struct stage *s)
{
	struct sink *k = (struct sink *)s;

	if (k->closed)
		fail("closed twice");
	k->closed = 1;
}

static void
sink_destroy(struct stage *s)
{
	free(((struct sink *)s)->got);
	free(s);
}

static const struct stage_ops sink_ops = {
	.push = sink_push,
	.flush = sink_flush,
	.close = sink_close,
	.destroy = sink_destroy,
};

/* A small PRNG for the chunk splits. */
static uint32_t
rnd(uint32_t *st)
{
	*st = *st * 1103515245u + 12345u;
	return *st >> 16;
}

/* Feed [p, p+len) as one file: pushes cut at line boundaries. */
static enum flow
feed(struct stage *s, const char *name, const char *p, size_t len,
    uint32_t *st)
{
	enum flow f = FLOW_GO;
	size_t start = 0, i;

	if (s->ops->begin && (f = s->ops->begin(s, name)) != FLOW_GO)
		return f;
	for (i = 0; i < len; i++) {
		if (p[i] != '\n' || rnd(st) % 4 != 0)
			continue;
		if ((f = stage_push(s, p + start, i + 1 - start)) != FLOW_GO)
			return f;
		start = i + 1;
		if (rnd(st) % 2 && (f = chain_flush(s)) != FLOW_GO)
			return f;
	}
	if (start < len && (f = stage_push(s, p + start, len - start)) !=
	    FLOW_GO)
		return f;
	if (s->ops->end)
		f = s->ops->end(s);
	return f;
}

/*
 * The oracle: each line matched on its own, as grep -P does.  Returns
 * the expected output in *exp and the number of lines selected, or -1
 * when it cannot say.  A line that meets a match error (a PCRE2 limit)
 * counts as not matching, as match counts it, and sets *errors.
 */
static int
oracle(const char *pat, uint32_t opts, int invert, int word, int line,
    int count, int number, uint64_t max, const char *t, size_t tlen,
    char **exp, size_t *explen, uint64_t *nselp, int *errors)
{
	char *full, *out;
	size_t fl = 0, ol = 0, ls, le, plen = strlen(pat);
	uint64_t ln = 0, nsel = 0;
	pcre2_code *re;
	pcre2_match_data *md;
	int err, rc, ret = 0;
	PCRE2_SIZE eoff;

	if ((full = malloc(plen + 32)) == NULL)
		return -1;
	if (word)
		fl += (size_t)sprintf(full + fl, "(?<!\\w)(?:");
	if (line)
		fl += (size_t)sprintf(full + fl, "^(?:");
	memcpy(full + fl, pat, plen);
	fl += plen;
	if (line)
		fl += (size_t)sprintf(full + fl, ")$");
	if (word)
		fl += (size_t)sprintf(full + fl, ")(?!\\w)");
	re = pcre2_compile((PCRE2_SPTR)full, fl, opts, &err, &eoff, NULL);
	free(full);
	if (re == NULL)
		return -1;
	pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
	md = pcre2_match_data_create_from_pattern(re, NULL);
	/* each input line at most once, with a line number of 20 digits */
	out = malloc(tlen + 32 * (tlen + 1));
	if (md == NULL || out == NULL) {
		ret = -1;
		goto done;
	}
	for (ls = 0; ls < tlen && nsel < max; ls = le + 1) {
		const char *nl = memchr(t + ls, '\n', tlen - ls);

		le = nl ? (size_t)(nl - t) : tlen;
		ln++;
		rc = pcre2_match(re, (PCRE2_SPTR)(t + ls), le - ls, 0, 0, md,
		    NULL);
		if (rc < 0 && rc != PCRE2_ERROR_NOMATCH)
			*errors = 1;
		if ((rc >= 0) == !invert) {
			nsel++;
			if (count)
				continue;
			if (number)
				ol += (size_t)sprintf(out + ol, "%llu:",
				    (unsigned long long)ln);
			memcpy(out + ol, t + ls, le - ls);
			ol += le - ls;
			out[ol++] = '\n';
		}
	}
	if (count)
		ol = (size_t)sprintf(out, "%llu\n", (unsigned long long)nsel);
	*exp = out;
	*explen = ol;
	*nselp = nsel;
	out = NULL;
done:
	free(out);
	pcre2_match_data_free(md);
	pcre2_code_free(re);
	return ret;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *quiet;
	char *argv[32], pat[MAX_PAT + 1], nums[3][4];
	const char *text;
	size_t plen, tlen;
	unsigned bits;
	uint8_t b2, b3;
	uint32_t st;
	int argc = 0, r, utf, ctx, mval, list, two, stop, oracle_ok;
	struct stage_args *args = NULL;
	struct sink *k;
	struct stage *s;
	enum flow f;
	const char *nul;

	if (size < 4)
		return 0;
	bits = data[0] | (unsigned)data[1] << 8;
	b2 = data[2];
	b3 = data[3];
	data += 4;
	size -= 4;
	nul = memchr(data, '\0', size);
	plen = nul ? (size_t)(nul - (const char *)data) : size;
	if (plen > MAX_PAT)
		return 0;
	memcpy(pat, data, plen);
	pat[plen] = '\0';
	text = nul ? nul + 1 : (const char *)data + size;
	tlen = nul ? size - plen - 1 : 0;
	if (tlen > MAX_TEXT)
		tlen = MAX_TEXT;

	utf = bits >> 12 & 1;
	if (setlocale(LC_ALL, utf ? "C.UTF-8" : "C") == NULL)
		utf = 0;
	ctx = bits >> 9 & 1;
	mval = bits >> 10 & 1 ? b2 >> 4 & 3 : -1;
	list = bits >> 14 & 1 ? b2 >> 6 & 3 : 0;
	two = b3 >> 7 & 1;
	stop = bits >> 15 & 1 ? (int)(b3 >> 4 & 7) : -1;
	st = b3 & 15;

	argv[argc++] = "match";
	if (bits & 1)
		argv[argc++] = "-i";
	if (bits >> 1 & 1)
		argv[argc++] = "-v";
	if (bits >> 2 & 1)
		argv[argc++] = "-w";
	if (bits >> 3 & 1)
		argv[argc++] = "-x";
	if (bits >> 4 & 1)
		argv[argc++] = "-F";
	if (bits >> 5 & 1)
		argv[argc++] = "-o";
	if (bits >> 6 & 1)
		argv[argc++] = "-c";
	if (bits >> 7 & 1)
		argv[argc++] = "-n";
	if (bits >> 8 & 1)
		argv[argc++] = "-b";
	if (ctx) {
		snprintf(nums[0], sizeof(nums[0]), "%d", b2 >> 2 & 3);
		argv[argc++] = (b2 & 3) == 0 ? "-A" : (b2 & 3) == 1 ? "-B" :
		    "-C";
		argv[argc++] = nums[0];
	}
	if (mval >= 0) {
		snprintf(nums[1], sizeof(nums[1]), "%d", mval);
		argv[argc++] = "-m";
		argv[argc++] = nums[1];
	}
	if (bits >> 13 & 1)
		argv[argc++] = "--color=always";
	if (list)
		argv[argc++] = list == 1 ? "-l" : list == 2 ? "-L" : "-q";
	if (two)
		argv[argc++] = "-H";
	if (bits >> 11 & 1) {
		argv[argc++] = "-e";
		argv[argc++] = pat;
	} else {
		argv[argc++] = "--";
		argv[argc++] = pat;
	}
	argv[argc] = NULL;

	/*
	 * match's messages (a bad pattern, a line over a limit) to
	 * /dev/null while it runs; libFuzzer and the sanitizers keep theirs.
	 */
	if (quiet == NULL && (quiet = fopen("/dev/null", "w")) == NULL)
		abort();
	real_stderr = stderr;
	stderr = quiet;
	r = match_stage.parse(argc, argv, &(struct parse_ctx){ .prog = "match" },
	    &args);
	if (r != PARSE_OK) {
		stderr = real_stderr;
		if (r != PARSE_FAILED || args != NULL)
			fail("a pattern refused other than with PARSE_FAILED");
		return 0;
	}

	if ((k = stage_alloc(sizeof(*k), &sink_ops, NULL, "sink")) == NULL)
		fail("out of memory");
	k->stop_after = stop;
	if ((s = match_stage.create(args, &k->base)) == NULL)
		fail("create failed");

	if (two) {
		/* the first "file" ends after a line in the middle */
		size_t cut = tlen / 2;
		const char *nl = memchr(text + cut, '\n', tlen - cut);

		cut = nl ? (size_t)(nl - text) + 1 : tlen;
		f = feed(s, "one", text, cut, &st);
		if (f == FLOW_GO)
			f = feed(s, "two", text + cut, tlen - cut, &st);
	} else
		f = feed(s, "(standard input)", text, tlen, &st);
	(void)f;
	chain_close(s);
	stderr = real_stderr;
	if (s->status < 0 || s->status > 2)
		fail("exit status out of range");

	oracle_ok = !(bits & (1u << 4 | 1u << 5 | 1u << 8 | 1u << 9 |
	    1u << 13)) && !list && !two && stop < 0 &&
	    memchr(pat, '\n', plen) == NULL;
	if (oracle_ok) {
		char *exp = NULL;
		size_t explen = 0;
		uint64_t nsel = 0;
		int errors = 0;
		/* grep's shortcut: -m 0, or -v with the empty pattern */
		int nothing = mval == 0 || (bits >> 1 & 1 && !(bits >> 2 & 1)
		    && !(bits >> 3 & 1) && plen == 0);
		uint32_t opts = PCRE2_MULTILINE;

		if (bits & 1)
			opts |= PCRE2_CASELESS;
		if (utf)
			opts |= PCRE2_UTF | PCRE2_MATCH_INVALID_UTF;
		if (oracle(pat, opts, bits >> 1 & 1, bits >> 2 & 1,
		    bits >> 3 & 1, bits >> 6 & 1, bits >> 7 & 1,
		    mval >= 0 ? (uint64_t)mval : UINT64_MAX, text, tlen,
		    &exp, &explen, &nsel, &errors) == 0) {
			if (nothing)
				explen = nsel = 0;
			if (explen != k->len ||
			    (explen && memcmp(exp, k->got, explen))) {
				fprintf(stderr, "expected:\n%.*s\ngot:\n%.*s\n",
				    (int)explen, exp, (int)k->len, k->got);
				fail("output differs from matching each line "
				    "on its own");
			}
			/* 2 after a line over a limit (which a prefilter may
			   have spared), else 0 or 1 */
			if (s->status != (nsel ? 0 : 1) &&
			    !(errors && s->status == 2))
				fail("exit status");
			free(exp);
		}
	}
	chain_destroy(s);
	args_free(args);
	return 0;
}
