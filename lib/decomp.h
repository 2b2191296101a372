/*
 * decomp.h: the decompressors behind the reader (reader.h).
 *
 * A codec is recognised by the magic bytes a file starts with, never by
 * its name.  It is a pure transformer: the reader does every read(2),
 * every wait and every EINTR, and hands the codec compressed bytes and
 * room for text; the codec keeps only its library's state (a window, a
 * dictionary), so memory stays flat however much the data expands.
 */
#ifndef RUNNEL_DECOMP_H
#define RUNNEL_DECOMP_H

#include <stddef.h>

/* The longest magic (xz): what the reader gathers before it decides. */
#define DZ_MAGIC_MAX	6

enum dz_status {
	DZ_MORE,	/* call again: with more input, or with more room */
	DZ_END,		/* the data ended cleanly with the input */
	DZ_ERROR	/* damage: the text before it is out, *msg says why */
};

struct dz_codec {
	const char	*name;
	/* 1: p starts with this format's magic; 0: no; -1: n too short. */
	int		(*probe)(const unsigned char *p, size_t n);
	/* A fresh state, or NULL when out of memory. */
	void		*(*open)(void);
	/*
	 * Decompress in[0, *in_len) into out[0, *out_len); on return they
	 * hold the bytes consumed and produced.  last: the input ends after
	 * in (no more will come), so a stream cut short is an error.
	 * With last set, a step that neither consumes nor produces does
	 * not return DZ_MORE.  *msg (on DZ_ERROR) lives until close.
	 */
	enum dz_status	(*step)(void *, const unsigned char *in,
			    size_t *in_len, int last, unsigned char *out,
			    size_t *out_len, const char **msg);
	void		(*close)(void *);
};

extern const struct dz_codec dz_gzip, dz_zstd, dz_xz, dz_bzip2;

/*
 * The codec whose magic p[0, n) starts with; NULL when it is none (plain
 * text).  *more: n is too short to tell, read more first (unless the
 * input ended: then it is plain).
 */
const struct dz_codec *dz_probe(const unsigned char *p, size_t n, int *more);

/* For the codecs' probes: does p[0, n) start with magic[0, len)? */
static inline int
dz_magic(const unsigned char *p, size_t n, const char *magic, size_t len)
{
	size_t i;

	for (i = 0; i < n && i < len; i++)
		if (p[i] != (unsigned char)magic[i])
			return 0;
	return n >= len ? 1 : -1;
}

#endif
