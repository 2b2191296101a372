/*
 * libFuzzer harness for lib/reader.c: the line chunker.
 *
 * The input's first bytes choose the initial buffer size and a schedule
 * of read() sizes (including EINTR); the rest is split into two "files"
 * read one after the other, as the driver reads FILE operands.  read()
 * is replaced for reader.c only (it is included here with read renamed;
 * the archive's reader.o is then never linked).
 *
 * Invariants: every chunk is non-empty and ends in '\n' except a last
 * partial line; with hold_tail the partial line of file 1 is completed by
 * file 2; the chunks put together are the input exactly.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

static ssize_t fuzz_read(int fd, void *buf, size_t n);
#define read fuzz_read
#include "../../lib/reader.c"
#undef read

static const uint8_t *src;	/* the current "file" */
static size_t src_len, src_pos;
static const uint8_t *sched;	/* read sizes, cycled */
static size_t sched_len, sched_pos;

static ssize_t
fuzz_read(int fd, void *buf, size_t n)
{
	size_t want;
	uint8_t s;

	(void)fd;
	static int intr;	/* never two EINTRs in a row */

	s = sched_len ? sched[sched_pos++ % sched_len] : 255;
	if (s == 0 && !intr) {
		intr = 1;
		errno = EINTR;
		return -1;
	}
	intr = 0;
	if (s == 0)
		s = 1;
	want = s < 200 ? s : (size_t)(s - 199) * 4096;
	if (want > n)
		want = n;
	if (want > src_len - src_pos)
		want = src_len - src_pos;
	memcpy(buf, src + src_pos, want);
	src_pos += want;
	return (ssize_t)want;
}

static void
fail(const char *what)
{
	fprintf(stderr, "fuzz_reader: %s\n", what);
	abort();
}

/* Read one file to its end, appending chunks to out. */
static void
drain(struct reader *r, const uint8_t *data, size_t len, char *out,
    size_t *olen)
{
	const char *p;
	size_t n;
	enum read_result rr;
	int spins = 0;

	src = data;
	src_len = len;
	src_pos = 0;
	reader_attach(r, 0);
	r->may_block = 0;
	while ((rr = reader_next(r, &p, &n)) != READ_EOF) {
		if (rr == READ_INTR) {
			if (++spins > 100000)
				fail("READ_INTR forever");
			continue;
		}
		if (rr != READ_DATA)
			fail("unexpected result");
		if (n == 0)
			fail("empty chunk");
		if (p[n - 1] != '\n' && !(r->eof && src_pos == src_len))
			fail("chunk does not end in a newline before EOF");
		if (memchr(p, '\n', n) == NULL && p[n - 1] == '\n')
			fail("impossible");
		if (r->hold_tail && p[n - 1] != '\n')
			fail("partial line handed out with hold_tail");
		memcpy(out + *olen, p, n);
		*olen += n;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct reader r;
	size_t bufsize, split, olen = 0;
	const char *p;
	size_t n;
	char *out;
	int hold;

	if (size < 4)
		return 0;
	bufsize = 1 + data[0] % 64;
	hold = data[1] & 1;
	sched_len = data[2] % 16;
	if (sched_len > size - 3)
		sched_len = size - 3;
	sched = data + 3;
	sched_pos = 0;
	data += 3 + sched_len;
	size -= 3 + sched_len;
	split = size ? data[0] % (size + 1) : 0;

	if ((out = malloc(size + 1)) == NULL || reader_init(&r, bufsize) < 0)
		return 0;
	r.hold_tail = hold;
	drain(&r, data, split, out, &olen);
	drain(&r, data + split, size - split, out, &olen);
	if (reader_tail(&r, &p, &n)) {
		if (!hold)
			fail("a tail left without hold_tail");
		memcpy(out + olen, p, n);
		olen += n;
	}
	if (!hold && olen != size)
		fail("lost bytes");
	if (olen != size || memcmp(out, data, size) != 0)
		fail("output differs from input");
	reader_free(&r);
	free(out);
	return 0;
}
