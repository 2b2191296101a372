/*
 * libFuzzer harness for the decompressing reader (lib/reader.c with
 * lib/decomp*.c): arbitrary bytes, and text compressed here by each
 * format's library then left whole, cut short or damaged.
 *
 * Input: byte 0 picks the format (0: the rest read as it is, through
 * the probe; 1-4: gzip, zstd, xz, bzip2 of the rest), byte 1 what is
 * done to the compressed bytes (intact, cut, a byte changed) and where,
 * byte 2 the reader's first buffer size, byte 3 a schedule of read(2)
 * sizes (short reads, EINTR) and whether a worker thread inflates.  read() is replaced for reader.c only, as
 * in fuzz_reader.c.
 *
 * Invariants: every chunk is non-empty and whole lines but the last;
 * intact data comes back exactly and without a message; cut data comes
 * back as a prefix of the text, then READ_CORRUPT; anything else ends
 * (no hang, no crash, no leak).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include <bzlib.h>
#include <lzma.h>
#include <zlib.h>
#include <zstd.h>

static ssize_t fuzz_read(int fd, void *buf, size_t n);
#define read fuzz_read
/* Blocks ahead small enough that lines span them, lent and copied. */
#define ZBLOCK	4096
#include "../../lib/reader.c"
#undef read

#define OUT_MAX	(4 << 20)

static const uint8_t *src;
static size_t src_len, src_pos;
static uint8_t sched;

static ssize_t
fuzz_read(int fd, void *buf, size_t n)
{
	static unsigned tick;
	size_t want;

	(void)fd;
	tick++;
	if (sched & 1 && tick % 7 == 0) {
		errno = EINTR;
		return -1;
	}
	want = sched & 2 ? 1 + tick % 13 : n;
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
	fprintf(stderr, "fuzz_decomp: %s\n", what);
	abort();
}

/* Compress text with format k into a new buffer; NULL if it failed. */
static uint8_t *
compress_with(int k, const uint8_t *text, size_t len, size_t *out_len)
{
	size_t cap = len + len / 2 + 1024;
	uint8_t *out = malloc(cap);
	int ok = 0;

	if (out == NULL)
		return NULL;
	if (k == 1) {
		z_stream z;

		memset(&z, 0, sizeof(z));
		if (deflateInit2(&z, 6, Z_DEFLATED, 16 + 15, 8,
		    Z_DEFAULT_STRATEGY) == Z_OK) {
			z.next_in = (uint8_t *)text;
			z.avail_in = (uInt)len;
			z.next_out = out;
			z.avail_out = (uInt)cap;
			ok = deflate(&z, Z_FINISH) == Z_STREAM_END;
			*out_len = z.total_out;
			deflateEnd(&z);
		}
	} else if (k == 2) {
		*out_len = ZSTD_compress(out, cap, text, len, 1);
		ok = !ZSTD_isError(*out_len);
	} else if (k == 3) {
		*out_len = 0;
		ok = lzma_easy_buffer_encode(0, LZMA_CHECK_CRC64, NULL, text,
		    len, out, out_len, cap) == LZMA_OK;
	} else {
		unsigned int n = (unsigned int)cap;

		ok = BZ2_bzBuffToBuffCompress((char *)out, &n, (char *)text,
		    (unsigned int)len, 1, 0, 0) == BZ_OK;
		*out_len = n;
	}
	if (!ok) {
		free(out);
		return NULL;
	}
	return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *text;
	static uint8_t *out;	/* kept: ASan makes a big malloc slow */
	uint8_t *packed = NULL;
	size_t text_len, olen = 0, n, where;
	int fmt, what, corrupt = 0;
	struct reader r;
	enum read_result rr;
	const char *p;
	unsigned spins = 0;

	if (size < 4)
		return 0;
	fmt = data[0] % 5;
	what = data[1] % 3;
	sched = data[3];
	text = data + 4;
	text_len = size - 4;
	src = text;
	src_len = text_len;
	if (fmt > 0) {
		if ((packed = compress_with(fmt, text, text_len, &src_len)) ==
		    NULL)
			return 0;
		src = packed;
		/* Past the magic, so a cut file is still known for one. */
		if (src_len <= DZ_MAGIC_MAX) {
			free(packed);
			return 0;
		}
		where = DZ_MAGIC_MAX + (size_t)data[2] * 7919 %
		    (src_len - DZ_MAGIC_MAX);
		if (what == 1)
			src_len = where;	/* at least one byte cut */
		else if (what == 2 && src_len > 0)
			packed[where] ^= (uint8_t)(1 + data[2]);
	}
	src_pos = 0;
	/* Decompressed text can be far longer than the input: bound it. */
	if ((out == NULL && (out = malloc(OUT_MAX)) == NULL) ||
	    reader_init(&r, 1 + data[2] % 64) < 0)
		fail("out of memory");
	r.decompress = 1;
	/* Both paths: the worker thread (slow to start) one time in four. */
	if (sched & 12)
		setenv("RUNNEL_DECOMP_INLINE", "1", 1);
	else
		unsetenv("RUNNEL_DECOMP_INLINE");
	reader_attach(&r, 0);
	r.may_block = 0;
	while ((rr = reader_next(&r, &p, &n)) != READ_EOF) {
		if (rr == READ_INTR) {
			if (++spins > 1000000)
				fail("READ_INTR forever");
			continue;
		}
		if (rr == READ_CORRUPT) {
			if (r.msg == NULL || corrupt)
				fail("READ_CORRUPT without a message, or twice");
			corrupt = 1;
			continue;
		}
		if (rr != READ_DATA)
			fail("unexpected result");
		if (n == 0)
			fail("empty chunk");
		if (p[n - 1] != '\n' && !r.eof)
			fail("a chunk that is not whole lines before the end");
		if (olen + n > OUT_MAX)
			break;	/* a small bomb: enough of it */
		memcpy(out + olen, p, n);
		olen += n;
	}
	if (fmt == 0 && !corrupt && (olen != text_len ||
	    memcmp(out, text, text_len) != 0)) {
		/* plain bytes come back as they are */
		if (dz_probe(text, text_len, &(int){ 0 }) == NULL)
			fail("plain input changed");
	}
	if (fmt > 0 && what == 0 && (corrupt || olen != text_len ||
	    memcmp(out, text, text_len) != 0))
		fail("intact data did not round-trip");
	if (fmt > 0 && what == 1) {
		if (!corrupt)
			fail("cut data without a message");
		if (olen > text_len || memcmp(out, text, olen) != 0)
			fail("cut data gave text that is not a prefix");
	}
	reader_free(&r);
	free(packed);
	return 0;
}
