/*
 * decomp_gzip.h: one gzip member at a time, by ISA-L's isal_inflate
 * (decomp_gzip_isal.c) or, where the build found no ISA-L, by zlib
 * (decomp_gzip_zlib.c); the Makefile links one of the two.  What lies
 * between and after members is decomp_gzip.c's business.
 */
#ifndef RUNNEL_DECOMP_GZIP_H
#define RUNNEL_DECOMP_GZIP_H

#include <stddef.h>

enum gzm_status {
	GZM_MORE,	/* call again: more input or more room */
	GZM_END,	/* the member and its trailer are through */
	GZM_CRC,	/* the trailer's CRC-32 differs from the text's */
	GZM_LENGTH,	/* the trailer's length differs from the text's */
	GZM_DATA,	/* a bad header or deflate stream */
	GZM_NOMEM
};

struct gzm;

/* A member decoder; NULL when out of memory. */
struct gzm	*gzm_open(void);
/* Start on the next member, after GZM_END. */
void		 gzm_reset(struct gzm *);
/* As dz_codec.step: *in_len and *out_len come back consumed and made. */
enum gzm_status	 gzm_inflate(struct gzm *, const unsigned char *in,
		    size_t *in_len, unsigned char *out, size_t *out_len);
void		 gzm_close(struct gzm *);

#endif
