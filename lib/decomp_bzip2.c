/*
 * bzip2 through libbz2: streams in a row, as bzcat reads them.  After a
 * stream anything but another one is trailing garbage, which bzip2
 * warns about and ignores; so do we, as damage (exit 2).
 */
#include <limits.h>
#include <stdlib.h>

#include <bzlib.h>

#include "decomp.h"

struct bz {
	bz_stream	s;
	int		between;	/* a stream is through */
};

static int
bz_probe(const unsigned char *p, size_t n)
{
	int r = dz_magic(p, n, "BZh", 3);

	if (r > 0 && n < 4)
		return -1;
	return r > 0 ? p[3] >= '1' && p[3] <= '9' : r;
}

static void *
bz_open(void)
{
	struct bz *b = calloc(1, sizeof(*b));

	if (b != NULL && BZ2_bzDecompressInit(&b->s, 0, 0) != BZ_OK) {
		free(b);
		b = NULL;
	}
	return b;
}

static void
bz_close(void *arg)
{
	struct bz *b = arg;

	if (b != NULL) {
		BZ2_bzDecompressEnd(&b->s);
		free(b);
	}
}

/* After a stream: another one, the end, or garbage. */
static enum dz_status
bz_next(struct bz *b, const unsigned char *in, size_t len, int last,
    const char **msg)
{
	int r = bz_probe(in, len);

	if (len == 0)
		return last ? DZ_END : DZ_MORE;
	if (r < 0 && !last)
		return DZ_MORE;
	if (r <= 0) {
		*msg = "trailing garbage after bzip2 data ignored";
		return DZ_ERROR;
	}
	BZ2_bzDecompressEnd(&b->s);
	if (BZ2_bzDecompressInit(&b->s, 0, 0) != BZ_OK) {
		*msg = "cannot allocate memory";
		return DZ_ERROR;
	}
	b->between = 0;
	return DZ_MORE;
}

static const char *
bz_message(int r)
{
	switch (r) {
	case BZ_MEM_ERROR:
		return "cannot allocate memory";
	case BZ_DATA_ERROR_MAGIC:
		return "corrupt bzip2 data (bad magic)";
	default:
		return "corrupt bzip2 data (crc error or format violated)";
	}
}

static enum dz_status
bz_step(void *arg, const unsigned char *in, size_t *in_len, int last,
    unsigned char *out, size_t *out_len, const char **msg)
{
	struct bz *b = arg;
	unsigned int il, ol;
	enum dz_status ds;
	int r;

	if (b->between) {
		ds = bz_next(b, in, *in_len, last, msg);
		*out_len = 0;
		*in_len = 0;
		if (ds != DZ_MORE || b->between)
			return ds;
	}
	/* libbz2 counts in unsigned int; the reader's buffers are smaller. */
	il = *in_len > UINT_MAX ? UINT_MAX : (unsigned int)*in_len;
	ol = *out_len > UINT_MAX ? UINT_MAX : (unsigned int)*out_len;
	b->s.next_in = (char *)in;
	b->s.avail_in = il;
	b->s.next_out = (char *)out;
	b->s.avail_out = ol;
	r = BZ2_bzDecompress(&b->s);
	*in_len = il - b->s.avail_in;
	*out_len = ol - b->s.avail_out;
	if (r == BZ_STREAM_END) {
		b->between = 1;
		return DZ_MORE;
	}
	if (r != BZ_OK) {
		*msg = bz_message(r);
		return DZ_ERROR;
	}
	if (last && *in_len == 0 && *out_len == 0) {
		*msg = "unexpected end of bzip2 data";
		return DZ_ERROR;
	}
	return DZ_MORE;
}

const struct dz_codec dz_bzip2 = {
	.name = "bzip2",
	.probe = bz_probe,
	.open = bz_open,
	.step = bz_step,
	.close = bz_close,
};
