/*
 * A gzip member through ISA-L's isal_inflate: Intel's inflate, two to
 * three times zlib's speed on x86.  It parses the header and checks the
 * trailer itself (ISAL_GZIP) and saves its own window, so the output
 * buffer may be reused between calls.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <isa-l/igzip_lib.h>

#include "decomp_gzip.h"

struct gzm {
	struct inflate_state	st;
	/* The last 8 bytes consumed: at a bad checksum, the trailer, which
	   tells a CRC error from a length error as gzip tells them. */
	unsigned char		tail[8];
	uint32_t		size;	/* of the member's text, mod 2^32 */
};

struct gzm *
gzm_open(void)
{
	struct gzm *m = malloc(sizeof(*m));

	if (m != NULL)
		gzm_reset(m);
	return m;
}

void
gzm_reset(struct gzm *m)
{
	isal_inflate_init(&m->st);
	m->st.crc_flag = ISAL_GZIP;
	memset(m->tail, 0, sizeof(m->tail));
	m->size = 0;
}

static void
keep_tail(struct gzm *m, const unsigned char *in, size_t used)
{
	if (used >= sizeof(m->tail)) {
		memcpy(m->tail, in + used - sizeof(m->tail), sizeof(m->tail));
	} else if (used > 0) {
		memmove(m->tail, m->tail + used, sizeof(m->tail) - used);
		memcpy(m->tail + sizeof(m->tail) - used, in, used);
	}
}

static uint32_t
le32(const unsigned char *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

enum gzm_status
gzm_inflate(struct gzm *m, const unsigned char *in, size_t *in_len,
    unsigned char *out, size_t *out_len)
{
	uint32_t il = *in_len > UINT32_MAX ? UINT32_MAX : (uint32_t)*in_len;
	uint32_t ol = *out_len > UINT32_MAX ? UINT32_MAX : (uint32_t)*out_len;
	int r;

	m->st.next_in = (uint8_t *)in;
	m->st.avail_in = il;
	m->st.next_out = out;
	m->st.avail_out = ol;
	r = isal_inflate(&m->st);
	*in_len = il - m->st.avail_in;
	*out_len = ol - m->st.avail_out;
	keep_tail(m, in, *in_len);
	m->size += (uint32_t)*out_len;
	if (r == ISAL_INCORRECT_CHECKSUM)
		return le32(m->tail) != m->st.crc ? GZM_CRC :
		    le32(m->tail + 4) != m->size ? GZM_LENGTH : GZM_DATA;
	if (r < 0)
		return GZM_DATA;
	return m->st.block_state == ISAL_BLOCK_FINISH ? GZM_END : GZM_MORE;
}

void
gzm_close(struct gzm *m)
{
	free(m);
}
