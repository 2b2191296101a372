/*
 * JSON lines.  The hot path (printer -f bytes on every line) is a key
 * scanner: it walks the whole object once, checks it as JSON, and keeps
 * the span of the last value under the path (repeated keys: the last
 * wins, as in jansson and jq).  Where checking needs more than the
 * structure (bytes past ASCII, which must be UTF-8; \u escapes, whose
 * surrogates must pair and which must not be \u0000; numbers that may
 * not fit; deep nesting) it says "unsure" and jansson, the library,
 * settles the line: jansson's verdict on validity and its text of a
 * string, the scanner's span.  tests/fuzz/fuzz_json.c holds the scanner
 * to jansson on every input it does not decline.
 *
 * jansson rather than json-c: it takes a buffer with a length
 * (json_loadb, no NUL needed), rejects invalid UTF-8 and trailing
 * garbage by default, and lets the last of repeated keys win, as jq.
 */
#include <jansson.h>
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "grow.h"
#include "record_int.h"

/* Nesting that jansson refuses past; the scanner is sure below SURE. */
#define DEPTH_MAX	JSON_PARSER_MAX_DEPTH
#define DEPTH_SURE	64

struct js {
	const char	*s;
	size_t		 len, i;
	unsigned	 depth;
	int		 unsure;
	int		 found;
	struct json_hit	*h;
};

/* The leaf readers are inlined into the recursive ones: a line is a
   few dozen short strings, where a call costs as much as the scan. */
#define JS_INLINE static inline __attribute__((always_inline))

static int	scan_object(struct js *, const char *path, size_t plen);
static int	skip_value(struct js *);

JS_INLINE void
ws(struct js *j)
{
	/* most often there is none: one test */
	if (j->i < j->len && (unsigned char)j->s[j->i] > ' ')
		return;
	while (j->i < j->len && (j->s[j->i] == ' ' || j->s[j->i] == '\t' ||
	    j->s[j->i] == '\n' || j->s[j->i] == '\r'))
		j->i++;
}

/* The first '"', '\\', control or non-ASCII byte at or after i. */
JS_INLINE size_t
str_stop(const char *s, size_t i, size_t len)
{
#ifdef __SSE2__
	const __m128i q = _mm_set1_epi8('"'), b = _mm_set1_epi8('\\');
	const __m128i sp = _mm_set1_epi8(0x20);

	for (; i + 16 <= len; i += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)
		    (s + i));
		/* signed compare: bytes from 0x80 up are below 0x20 too */
		__m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, q),
		    _mm_cmpeq_epi8(v, b)), _mm_cmplt_epi8(v, sp));
		unsigned k = (unsigned)_mm_movemask_epi8(m);

		if (k != 0)
			return i + (size_t)__builtin_ctz(k);
	}
#endif
	for (; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80)
			return i;
	}
	return len;
}

static int
is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	    (c >= 'A' && c <= 'F');
}

/* At '"': the string's bytes [*start, *end) inside its quotes. */
JS_INLINE int
scan_string(struct js *j, size_t *start, size_t *end, int *esc)
{
	size_t i = j->i + 1, k;

	*start = i;
	*esc = 0;
	for (;;) {
		unsigned char c;

		i = str_stop(j->s, i, j->len);
		if (i >= j->len)
			return -1;
		c = (unsigned char)j->s[i];
		if (c == '"')
			break;
		if (c < 0x20)
			return -1;
		if (c >= 0x80) {	/* UTF-8 is jansson's to check */
			j->unsure = 1;
			i++;
			continue;
		}
		*esc = 1;
		if (i + 1 >= j->len)
			return -1;
		c = (unsigned char)j->s[i + 1];
		if (c == 'u') {
			for (k = 2; k < 6; k++)
				if (i + k >= j->len || !is_hex(j->s[i + k]))
					return -1;
			j->unsure = 1;	/* surrogates, \u0000 */
			i += 6;
			continue;
		}
		if (c == 0 || strchr("\"\\/bfnrt", c) == NULL)
			return -1;
		i += 2;
	}
	*end = i;
	j->i = i + 1;
	return 0;
}

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

JS_INLINE int
scan_number(struct js *j)
{
	const char *s = j->s;
	size_t i = j->i, len = j->len, d0;

	if (i < len && s[i] == '-')
		i++;
	if (i >= len || !is_digit(s[i]))
		return -1;
	if (s[i] == '0') {
		i++;
	} else {
		for (d0 = i; i < len && is_digit(s[i]); i++)
			;
		if (i - d0 > 18)	/* may not fit in a long long */
			j->unsure = 1;
	}
	if (i < len && s[i] == '.') {
		if (++i >= len || !is_digit(s[i]))
			return -1;
		while (i < len && is_digit(s[i]))
			i++;
	}
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		if (++i < len && (s[i] == '+' || s[i] == '-'))
			i++;
		if (i >= len || !is_digit(s[i]))
			return -1;
		for (d0 = i; i < len && is_digit(s[i]); i++)
			;
		if (i - d0 > 2)		/* may overflow a double */
			j->unsure = 1;
	}
	j->i = i;
	return 0;
}

JS_INLINE int
scan_word(struct js *j, const char *w, size_t n)
{
	if (j->len - j->i < n || memcmp(j->s + j->i, w, n) != 0)
		return -1;
	j->i += n;
	return 0;
}

static int
deeper(struct js *j)
{
	if (++j->depth > DEPTH_MAX)
		return -1;
	if (j->depth > DEPTH_SURE)
		j->unsure = 1;
	return 0;
}

static int
scan_array(struct js *j)
{
	if (deeper(j) < 0)
		return -1;
	j->i++;
	ws(j);
	if (j->i < j->len && j->s[j->i] == ']') {
		j->i++;
		j->depth--;
		return 0;
	}
	for (;;) {
		if (skip_value(j) < 0)
			return -1;
		ws(j);
		if (j->i >= j->len)
			return -1;
		if (j->s[j->i] == ']') {
			j->i++;
			j->depth--;
			return 0;
		}
		if (j->s[j->i] != ',')
			return -1;
		j->i++;
		ws(j);
	}
}

static int
skip_value(struct js *j)
{
	size_t a, b;
	int e;

	if (j->i >= j->len)
		return -1;
	switch (j->s[j->i]) {
	case '"':
		return scan_string(j, &a, &b, &e);
	case '{':
		return scan_object(j, NULL, 0);
	case '[':
		return scan_array(j);
	case 't':
		return scan_word(j, "true", 4);
	case 'f':
		return scan_word(j, "false", 5);
	case 'n':
		return scan_word(j, "null", 4);
	default:
		return scan_number(j);
	}
}

/* The value of a key on the path; path NULL: it is the one asked for. */
static int
value_at(struct js *j, const char *path, size_t plen)
{
	struct json_hit *h = j->h;
	size_t a, b;
	int e;

	if (path != NULL) {
		j->found = 0;	/* a later repeat of the key wins */
		if (j->i < j->len && j->s[j->i] == '{')
			return scan_object(j, path, plen);
		return skip_value(j);
	}
	if (j->i < j->len && j->s[j->i] == '"') {
		if (scan_string(j, &a, &b, &e) < 0)
			return -1;
		h->start = a;
		h->len = b - a;
		h->type = 's';
		h->esc = e;
	} else {
		a = j->i;
		if (skip_value(j) < 0)
			return -1;
		h->start = a;
		h->len = j->i - a;
		h->type = j->s[a] == 'n' ? 'z' : j->s[a] == '{' ? 'o' :
		    j->s[a] == '[' ? 'a' : j->s[a] == 't' || j->s[a] == 'f' ?
		    j->s[a] : 'n';
		h->esc = 0;
	}
	j->found = 1;
	return 0;
}

static unsigned
hexval(const char *p)
{
	unsigned v = 0;
	int k;

	for (k = 0; k < 4; k++) {
		char c = p[k];

		v = v << 4 | (unsigned)(c <= '9' ? c - '0' :
		    (c | 0x20) - 'a' + 10);
	}
	return v;
}

/*
 * The escape at s[0] ('\\'), of the string's bytes s[0, n): its UTF-8
 * bytes into out (room for 4); *used gets how many bytes of s it took.
 * An escape jansson refuses (a lone surrogate) gives U+FFFD: only a line
 * jansson accepted gets here.
 */
static size_t
unescape_one(const char *s, size_t n, char *out, size_t *used)
{
	unsigned cp;
	const char *map = "\"\"\\\\//b\bf\fn\nr\rt\t", *m;

	*used = 2;
	if (n < 2)
		return *used = n, 0;
	if (s[1] != 'u') {
		for (m = map; *m != '\0'; m += 2)
			if (m[0] == s[1]) {
				out[0] = m[1];
				return 1;
			}
		out[0] = s[1];
		return 1;
	}
	if (n < 6)
		return *used = n, 0;
	cp = hexval(s + 2);
	*used = 6;
	if (cp >= 0xd800 && cp < 0xdc00 && n >= 12 && s[6] == '\\' &&
	    s[7] == 'u') {
		unsigned lo = hexval(s + 8);

		if (lo >= 0xdc00 && lo < 0xe000) {
			cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			*used = 12;
		}
	}
	if (cp >= 0xd800 && cp < 0xe000)
		cp = 0xfffd;
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | cp >> 18);
	out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	out[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

size_t
json_unescape(const char *s, size_t n, char *dst)
{
	size_t i = 0, o = 0, used;
	const char *b;

	while (i < n) {
		if ((b = memchr(s + i, '\\', n - i)) == NULL) {
			memcpy(dst + o, s + i, n - i);
			return o + n - i;
		}
		memcpy(dst + o, s + i, (size_t)(b - s) - i);
		o += (size_t)(b - s) - i;
		i = (size_t)(b - s);
		o += unescape_one(s + i, n - i, dst + o, &used);
		i += used;
	}
	return o;
}

/* Is the escaped key k[0, kn) the name c[0, cn)? */
JS_INLINE int
key_eq(const char *k, size_t kn, int esc, const char *c, size_t cn)
{
	size_t i = 0, o = 0, used, u, t;
	char buf[4];

	if (!esc)
		return kn == cn && memcmp(k, c, cn) == 0;
	while (i < kn) {
		if (k[i] != '\\') {
			if (o >= cn || k[i] != c[o])
				return 0;
			i++;
			o++;
			continue;
		}
		u = unescape_one(k + i, kn - i, buf, &used);
		for (t = 0; t < u; t++, o++)
			if (o >= cn || buf[t] != c[o])
				return 0;
		i += used;
	}
	return o == cn;
}

/* At '{': an object; the path's first key is looked for in it. */
static int
scan_object(struct js *j, const char *path, size_t plen)
{
	const char *dot;
	size_t k = 0, ks, ke;
	int esc;

	if (path != NULL)
		k = (dot = memchr(path, '.', plen)) ? (size_t)(dot - path) :
		    plen;
	if (deeper(j) < 0)
		return -1;
	j->i++;
	ws(j);
	if (j->i < j->len && j->s[j->i] == '}')
		goto end;
	for (;;) {
		if (j->i >= j->len || j->s[j->i] != '"' ||
		    scan_string(j, &ks, &ke, &esc) < 0)
			return -1;
		ws(j);
		if (j->i >= j->len || j->s[j->i] != ':')
			return -1;
		j->i++;
		ws(j);
		if (path != NULL && key_eq(j->s + ks, ke - ks, esc, path, k)) {
			if (value_at(j, k == plen ? NULL : path + k + 1,
			    k == plen ? 0 : plen - k - 1) < 0)
				return -1;
		} else if (skip_value(j) < 0) {
			return -1;
		}
		ws(j);
		if (j->i >= j->len)
			return -1;
		if (j->s[j->i] == '}')
			break;
		if (j->s[j->i] != ',')
			return -1;
		j->i++;
		ws(j);
	}
end:
	j->i++;
	j->depth--;
	return 0;
}

int
json_scan(const char *line, size_t len, const char *path, size_t plen,
    struct json_hit *h)
{
	struct js j;

	memset(h, 0, sizeof(*h));
	memset(&j, 0, sizeof(j));
	j.s = line;
	j.len = len;
	j.h = h;
	ws(&j);
	if (j.i >= len || line[j.i] != '{' || scan_object(&j, path, plen) < 0)
		goto invalid;
	ws(&j);
	if (j.i != len)
		goto invalid;
	h->unsure = j.unsure;
	return j.found ? JSCAN_FOUND : JSCAN_MISSING;
invalid:
	h->unsure = j.unsure;
	return JSCAN_INVALID;
}

/* jansson's value under the path, or NULL. */
static json_t *
walk(json_t *v, const char *path, size_t plen)
{
	for (;;) {
		const char *dot = memchr(path, '.', plen);
		size_t k = dot ? (size_t)(dot - path) : plen;

		if (!json_is_object(v) ||
		    (v = json_object_getn(v, path, k)) == NULL)
			return NULL;
		if (dot == NULL)
			return v;
		path += k + 1;
		plen -= k + 1;
	}
}

/* A line the scanner declined: jansson says whether it is JSON. */
static int
settle(struct record *r, const char *line, size_t len, const char *path,
    size_t plen, int rc, struct rspan *out)
{
	json_error_t e;
	json_t *root, *v;
	int ret = -1;

	/* jansson reads a NUL byte as nothing at all; JSON has none */
	if (memchr(line, '\0', len) != NULL ||
	    (root = json_loadb(line, len, 0, &e)) == NULL)
		return -1;
	if (json_is_object(root) && path != NULL &&
	    (v = walk(root, path, plen)) != NULL && rc == JSCAN_FOUND) {
		ret = 0;
		if (json_is_string(v)) {
			size_t n = json_string_length(v);

			if (grow(&r->scratch, &r->scap, n + 1, 256) < 0)
				ret = -1;
			else {
				memcpy(r->scratch, json_string_value(v), n);
				out->text = r->scratch;
				out->tlen = n;
			}
		}
	} else if (json_is_object(root) && path == NULL) {
		ret = 0;
	}
	json_decref(root);
	return ret;
}

int
json_find(struct record *r, const char *line, size_t len, const char *path,
    size_t plen, struct rspan *out)
{
	struct json_hit h;
	int rc = json_scan(line, len, path, plen, &h);

	out->p = line + h.start;
	out->len = h.len;
	out->esc = h.esc ? RSPAN_JSON : RSPAN_PLAIN;
	out->text = NULL;
	if (h.unsure)
		return settle(r, line, len, path, plen, rc, out);
	return rc == JSCAN_FOUND ? 0 : -1;
}

int
json_reads(struct record *r, const char *line, size_t len)
{
	struct json_hit h;
	struct rspan s;
	int rc = json_scan(line, len, NULL, 0, &h);

	if (h.unsure)
		return settle(r, line, len, NULL, 0, rc, &s) == 0;
	return rc != JSCAN_INVALID;
}
