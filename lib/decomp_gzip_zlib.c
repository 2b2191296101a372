/*
 * A gzip member through zlib: the fallback where the build found no
 * ISA-L (GZIP_IMPL=zlib forces it).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "decomp_gzip.h"

struct gzm {
	z_stream	z;
};

struct gzm *
gzm_open(void)
{
	struct gzm *m = calloc(1, sizeof(*m));

	/* 16 + 15: a gzip wrapper only, the largest window. */
	if (m != NULL && inflateInit2(&m->z, 16 + 15) != Z_OK) {
		free(m);
		m = NULL;
	}
	return m;
}

void
gzm_reset(struct gzm *m)
{
	inflateReset(&m->z);
}

enum gzm_status
gzm_inflate(struct gzm *m, const unsigned char *in, size_t *in_len,
    unsigned char *out, size_t *out_len)
{
	/* zlib counts in uInt; the reader's buffers are far smaller. */
	uInt il = *in_len > UINT32_MAX ? UINT32_MAX : (uInt)*in_len;
	uInt ol = *out_len > UINT32_MAX ? UINT32_MAX : (uInt)*out_len;
	int r;

	m->z.next_in = (unsigned char *)in;
	m->z.avail_in = il;
	m->z.next_out = out;
	m->z.avail_out = ol;
	r = inflate(&m->z, Z_NO_FLUSH);
	*in_len = il - m->z.avail_in;
	*out_len = ol - m->z.avail_out;
	switch (r) {
	case Z_OK:
	case Z_BUF_ERROR:	/* no progress possible: wants input or room */
		return GZM_MORE;
	case Z_STREAM_END:
		return GZM_END;
	case Z_MEM_ERROR:
		return GZM_NOMEM;
	case Z_DATA_ERROR:
		if (m->z.msg != NULL &&
		    strcmp(m->z.msg, "incorrect data check") == 0)
			return GZM_CRC;
		if (m->z.msg != NULL &&
		    strcmp(m->z.msg, "incorrect length check") == 0)
			return GZM_LENGTH;
		return GZM_DATA;
	default:
		return GZM_DATA;
	}
}

void
gzm_close(struct gzm *m)
{
	if (m != NULL) {
		inflateEnd(&m->z);
		free(m);
	}
}
