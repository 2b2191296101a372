/*
 * regex.h: how every runnel pattern is compiled (match's patterns,
 * follow --until, --parse): PCRE2 in UTF mode with invalid UTF-8 allowed
 * when the locale's charset is UTF-8 (as grep -P), byte mode otherwise,
 * and JIT-compiled unless RUNNEL_NO_JIT is set (valgrind cannot follow
 * JIT code).
 */
#ifndef RUNNEL_REGEX_H
#define RUNNEL_REGEX_H

#include <stddef.h>
#include <stdint.h>

#ifndef PCRE2_CODE_UNIT_WIDTH
#define PCRE2_CODE_UNIT_WIDTH 8
#endif
#include <pcre2.h>

/* PCRE2_UTF | PCRE2_MATCH_INVALID_UTF in a UTF-8 locale, else 0. */
uint32_t	 regex_locale_options(void);

/*
 * Compile len bytes of pat with opts | regex_locale_options().  On
 * failure, writes "PROG: invalid pattern 'SHOWN': MESSAGE at offset N"
 * (SHOWN: shownlen bytes of shown, the pattern as the user gave it) and
 * returns NULL.  The caller owns the code (pcre2_code_free).
 */
pcre2_code	*regex_compile(const char *prog, const char *pat, size_t len,
		    uint32_t opts, const char *shown, size_t shownlen);

/* JIT-compile re for whole matches, unless RUNNEL_NO_JIT: 1 if JIT. */
int		 regex_jit(pcre2_code *re);

#endif
