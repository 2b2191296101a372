/*
 * xz through liblzma: streams in a row and their padding, as xzcat
 * reads them (LZMA_CONCATENATED).
 */
#include <stdlib.h>

#include <lzma.h>

#include "decomp.h"

struct xz {
	lzma_stream	s;
};

static int
xz_probe(const unsigned char *p, size_t n)
{
	return dz_magic(p, n, "\xfd" "7zXZ\0", 6);
}

static void *
xz_open(void)
{
	struct xz *x = malloc(sizeof(*x));
	lzma_stream init = LZMA_STREAM_INIT;

	if (x == NULL)
		return NULL;
	x->s = init;
	if (lzma_stream_decoder(&x->s, UINT64_MAX, LZMA_CONCATENATED) !=
	    LZMA_OK) {
		free(x);
		return NULL;
	}
	return x;
}

static void
xz_close(void *arg)
{
	struct xz *x = arg;

	if (x != NULL) {
		lzma_end(&x->s);
		free(x);
	}
}

static const char *
xz_message(lzma_ret r)
{
	switch (r) {
	case LZMA_MEM_ERROR:
		return "cannot allocate memory";
	case LZMA_FORMAT_ERROR:
		return "corrupt xz data (format not recognized)";
	case LZMA_OPTIONS_ERROR:
		return "corrupt xz data (unsupported options)";
	case LZMA_BUF_ERROR:
		return "unexpected end of xz data";
	default:
		return "corrupt xz data";
	}
}

static enum dz_status
xz_step(void *arg, const unsigned char *in, size_t *in_len, int last,
    unsigned char *out, size_t *out_len, const char **msg)
{
	struct xz *x = arg;
	lzma_ret r;

	x->s.next_in = in;
	x->s.avail_in = *in_len;
	x->s.next_out = out;
	x->s.avail_out = *out_len;
	/* FINISH: the input ends here, so a cut stream is an error. */
	r = lzma_code(&x->s, last ? LZMA_FINISH : LZMA_RUN);
	*in_len -= x->s.avail_in;
	*out_len -= x->s.avail_out;
	if (r == LZMA_STREAM_END)
		return DZ_END;
	if (r == LZMA_OK) {
		if (!last || *in_len > 0 || *out_len > 0)
			return DZ_MORE;
		r = LZMA_BUF_ERROR;	/* liblzma says so one call later */
	}
	*msg = xz_message(r);
	return DZ_ERROR;
}

const struct dz_codec dz_xz = {
	.name = "xz",
	.probe = xz_probe,
	.open = xz_open,
	.step = xz_step,
	.close = xz_close,
};
