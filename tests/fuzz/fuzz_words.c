/*
 * libFuzzer target for pipe's word splitter and pipeline parser:
 * `make fuzz` builds it with -fsanitize=fuzzer,address and runs it over
 * tests/fuzz/seeds/words for FUZZ_TIME seconds.
 *
 * Checks beyond "no crash" (and no leak, also of the in-process
 * broadcast -c parse): every word lies inside the buffer and is
 * NUL-terminated at its length, an operator word is empty, and the
 * words' bytes never outnumber the text's.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pipeline.h"
#include "words.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct words ws;
	struct pipeline pl;
	char err[128];
	int line = 0;
	size_t i, total = 0;

	if (words_split((const char *)data, size, &ws, err, sizeof(err),
	    &line) == 0) {
		for (i = 0; i < ws.n; i++) {
			const struct word *w = &ws.w[i];

			if (w->s < ws.buf || w->s + w->len >= ws.buf + 2 * size + 2
			    || w->s[w->len] != '\0' ||
			    (w->pipe && w->len != 0) || w->line < 1)
				abort();
			total += w->len;
		}
		if (total > size)
			abort();
	} else if (line < 1 || err[0] == '\0') {
		abort();
	}
	words_free(&ws);

	/*
	 * The parser on top, its messages (and a stage's --help) to
	 * /dev/null only for the call: the fuzzer's reports stay visible.
	 */
	if (size < 4096 && memchr(data, '\0', size) == NULL) {
		static int devnull = -1, out = -1, errfd = -1;

		if (devnull < 0) {
			devnull = open("/dev/null", O_WRONLY);
			out = dup(STDOUT_FILENO);
			errfd = dup(STDERR_FILENO);
		}
		fflush(stdout);
		dup2(devnull, STDOUT_FILENO);
		dup2(devnull, STDERR_FILENO);
		/* broadcast -c 'SUB' parses SUB as a pipeline of its own
		   (recursively). */
		pipeline_parse(&pl, "pipe", (const char *)data, size, NULL);
		pipeline_free(&pl);
		fflush(stdout);
		dup2(out, STDOUT_FILENO);
		dup2(errfd, STDERR_FILENO);
	}
	return 0;
}
