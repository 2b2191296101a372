/*
 * Unit tests for lib/reader.c at its edges: empty input, "\n", a line
 * longer than the buffer, NUL bytes, no final newline, several files.
 */
#include <stdlib.h>
#include <unistd.h>

#include "reader.h"
#include "tap.h"

static int
tmpfd(const char *data, size_t len)
{
	char path[] = "/tmp/runnel-reader-XXXXXX";
	int fd = mkstemp(path);

	unlink(path);
	if (write(fd, data, len) != (ssize_t)len)
		abort();
	lseek(fd, 0, SEEK_SET);
	return fd;
}

/*
 * Read data through a reader with a tiny buffer; check that every chunk
 * is whole lines (or the final partial line) and that the bytes come back.
 */
static int
roundtrip(const char *data, size_t len, size_t bufsize, int *chunks)
{
	struct reader r;
	char *got = malloc(len + 1);
	size_t gotlen = 0;
	const char *p;
	size_t n;
	int fd = tmpfd(data, len), good = 1;
	enum read_result res;

	reader_init(&r, bufsize);
	reader_attach(&r, fd);
	*chunks = 0;
	while ((res = reader_next(&r, &p, &n)) == READ_DATA) {
		(*chunks)++;
		if (p[n - 1] != '\n' && gotlen + n != len)
			good = 0;
		memcpy(got + gotlen, p, n);
		gotlen += n;
	}
	good = good && res == READ_EOF && gotlen == len &&
	    memcmp(got, data, len) == 0;
	reader_free(&r);
	close(fd);
	free(got);
	return good;
}

int
main(void)
{
	static const char nuls[] = "\0a\0\nb\0c\n\0";
	char *big;
	int chunks;
	size_t i;

	ok(roundtrip("", 0, 16, &chunks) && chunks == 0, "empty input");
	ok(roundtrip("\n", 1, 16, &chunks) && chunks == 1, "a lone newline");
	ok(roundtrip("abc", 3, 16, &chunks) && chunks == 1,
	    "no final newline");
	ok(roundtrip("a\nb\nc", 5, 16, &chunks) && chunks == 2,
	    "whole lines, then the partial line");
	ok(roundtrip(nuls, sizeof(nuls) - 1, 16, &chunks),
	    "NUL at start, middle and end");
	big = malloc(100000);
	for (i = 0; i < 100000; i++)
		big[i] = i % 1000 == 999 ? '\n' : 'x';
	ok(roundtrip(big, 100000, 16, &chunks), "lines longer than the buffer");
	memset(big, 'y', 100000);
	big[99999] = '\n';
	ok(roundtrip(big, 100000, 16, &chunks) && chunks == 1,
	    "one line 6000 times the buffer");
	ok(roundtrip(big, 99999, 16, &chunks) && chunks == 1,
	    "a long line without newline");
	free(big);

	/* Two files read as one stream: the partial line joins the next. */
	{
		struct reader r;
		const char *p;
		size_t n;
		int a = tmpfd("1\n2", 3), b = tmpfd("3\n4", 3);
		char out[16] = "";

		reader_init(&r, 16);
		r.hold_tail = 1;
		reader_attach(&r, a);
		while (reader_next(&r, &p, &n) == READ_DATA)
			strncat(out, p, n);
		reader_attach(&r, b);
		while (reader_next(&r, &p, &n) == READ_DATA)
			strncat(out, p, n);
		is_str(out, "1\n23\n", "held tail joins the next file");
		ok(reader_tail(&r, &p, &n) && n == 1 && *p == '4',
		    "tail handed out at the end");
		reader_free(&r);
		close(a);
		close(b);
	}
	return done_testing();
}
