/*
 * --parse REGEX: the named groups of a PCRE2 pattern are the fields.  A
 * line the pattern does not match has none; a group that took no part
 * in the match (an optional one) is missing, one that matched nothing
 * is there, empty.  With (?J), the first of the groups of a name that
 * is set wins.
 */
#include <string.h>

#include "diag.h"
#include "record_int.h"

/* PCRE2 names are at most 128 code units (MAX_NAME_SIZE). */
#define NAME_MAX_LEN	255

int
parse_compile(struct record_fmt *f, const char *prog)
{
	size_t n = strlen(f->regex);
	uint32_t count = 0;

	if ((f->re = regex_compile(prog, f->regex, n, 0, f->regex, n)) ==
	    NULL)
		return -1;
	pcre2_pattern_info(f->re, PCRE2_INFO_NAMECOUNT, &count);
	if (count == 0) {
		diag(prog, "--parse '%s' has no named group (?<NAME>...)",
		    f->regex);
		return -1;
	}
	regex_jit(f->re);
	return 0;
}

/* name[0, len) as a C string in buf; -1 when too long for a name. */
static int
cname(char *buf, const char *name, size_t len)
{
	if (len > NAME_MAX_LEN || memchr(name, '\0', len) != NULL)
		return -1;
	memcpy(buf, name, len);
	buf[len] = '\0';
	return 0;
}

int
parse_has(const struct record_fmt *f, const char *name, size_t len)
{
	char buf[NAME_MAX_LEN + 1];
	int n;

	if (cname(buf, name, len) < 0)
		return 0;
	n = pcre2_substring_number_from_name(f->re, (PCRE2_SPTR)buf);
	return n >= 0 || n == PCRE2_ERROR_NOUNIQUESUBSTRING;
}

int
parse_find(struct record *r, const char *line, size_t len,
    const char *name, size_t nlen, struct rspan *out)
{
	char buf[NAME_MAX_LEN + 1];
	PCRE2_SPTR first, last, e;
	PCRE2_SIZE *ov;
	uint32_t esize = 0;
	int rc, n;

	if (cname(buf, name, nlen) < 0)
		return -1;
	rc = pcre2_match(r->fmt->re, (PCRE2_SPTR)line, len, 0, 0, r->md,
	    NULL);
	if (rc <= 0)
		return -1;
	if (pcre2_substring_nametable_scan(r->fmt->re, (PCRE2_SPTR)buf,
	    &first, &last) <= 0)
		return -1;
	pcre2_pattern_info(r->fmt->re, PCRE2_INFO_NAMEENTRYSIZE, &esize);
	ov = pcre2_get_ovector_pointer(r->md);
	for (e = first; e <= last; e += esize) {
		n = e[0] << 8 | e[1];
		if (n < rc && ov[2 * n] != PCRE2_UNSET) {
			out->p = line + ov[2 * n];
			out->len = ov[2 * n + 1] - ov[2 * n];
			out->esc = RSPAN_PLAIN;
			out->text = NULL;
			return 0;
		}
	}
	return -1;
}
