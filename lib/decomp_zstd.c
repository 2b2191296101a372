/*
 * zstd through libzstd's streaming decoder, which reads frames in a row
 * (and skips skippable frames) as zstdcat does.
 */
#include <stdio.h>
#include <stdlib.h>

#include <zstd.h>

#include "decomp.h"

struct zs {
	ZSTD_DStream	*ds;
	int		 between;	/* the last frame is through */
	char		 msg[128];
};

static int
zs_probe(const unsigned char *p, size_t n)
{
	int r = dz_magic(p, n, "\x28\xb5\x2f\xfd", 4);

	/* A skippable frame: 50..5f 2a 4d 18. */
	if (r == 0 && n > 0 && (p[0] & 0xf0) == 0x50)
		r = dz_magic(p + 1, n - 1, "\x2a\x4d\x18", 3);
	return r;
}

static void *
zs_open(void)
{
	struct zs *z = calloc(1, sizeof(*z));

	if (z != NULL && (z->ds = ZSTD_createDStream()) == NULL) {
		free(z);
		z = NULL;
	}
	return z;
}

static void
zs_close(void *arg)
{
	struct zs *z = arg;

	if (z != NULL) {
		ZSTD_freeDStream(z->ds);
		free(z);
	}
}

static enum dz_status
zs_step(void *arg, const unsigned char *in, size_t *in_len, int last,
    unsigned char *out, size_t *out_len, const char **msg)
{
	struct zs *z = arg;
	ZSTD_inBuffer ib = { in, *in_len, 0 };
	ZSTD_outBuffer ob = { out, *out_len, 0 };
	size_t r;

	r = ZSTD_decompressStream(z->ds, &ob, &ib);
	*in_len = ib.pos;
	*out_len = ob.pos;
	if (ZSTD_isError(r)) {
		snprintf(z->msg, sizeof(z->msg), "corrupt zstd data (%s)",
		    ZSTD_getErrorName(r));
		*msg = z->msg;
		return DZ_ERROR;
	}
	/* 0: a frame is through and all its text is out. */
	if (ib.pos > 0 || ob.pos > 0)
		z->between = r == 0;
	if (!last || ib.pos < ib.size || ob.pos > 0)
		return DZ_MORE;
	if (z->between)
		return DZ_END;
	*msg = "unexpected end of zstd data";
	return DZ_ERROR;
}

const struct dz_codec dz_zstd = {
	.name = "zstd",
	.probe = zs_probe,
	.open = zs_open,
	.step = zs_step,
	.close = zs_close,
};
