/*
 * regex: PCRE2 compiled one way for the whole toolkit (regex.h).
 */
#include <langinfo.h>
#include <stdlib.h>
#include <strings.h>

#include "diag.h"
#include "regex.h"

uint32_t
regex_locale_options(void)
{
	const char *cs = nl_langinfo(CODESET);

	if (cs != NULL && (strcasecmp(cs, "UTF-8") == 0 ||
	    strcasecmp(cs, "utf8") == 0))
		return PCRE2_UTF | PCRE2_MATCH_INVALID_UTF;
	return 0;
}

pcre2_code *
regex_compile(const char *prog, const char *pat, size_t len, uint32_t opts,
    const char *shown, size_t shownlen)
{
	pcre2_code *re;
	int err;
	PCRE2_SIZE eoff;
	PCRE2_UCHAR msg[256];

	re = pcre2_compile((PCRE2_SPTR)pat, len,
	    opts | regex_locale_options(), &err, &eoff, NULL);
	if (re == NULL) {
		pcre2_get_error_message(err, msg, sizeof(msg));
		diag(prog, "invalid pattern '%.*s': %s at offset %zu",
		    (int)shownlen, shown, (const char *)msg, (size_t)eoff);
	}
	return re;
}

int
regex_jit(pcre2_code *re)
{
	size_t size = 0;

	if (getenv("RUNNEL_NO_JIT") != NULL ||
	    pcre2_jit_compile(re, PCRE2_JIT_COMPLETE) != 0)
		return 0;
	return pcre2_pattern_info(re, PCRE2_INFO_JITSIZE, &size) == 0 &&
	    size > 0;
}
