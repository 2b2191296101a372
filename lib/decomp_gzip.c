/*
 * gzip: members in a row, as zcat reads them.  After a member comes
 * another member (1f 8b), zero bytes to the end (tape padding, ignored
 * silently as gzip does), the end, or anything else: trailing garbage,
 * which gzip warns about and ignores.  So do we, as damage (exit 2).
 */
#include <stdlib.h>

#include "decomp.h"
#include "decomp_gzip.h"

enum gz_where { IN_MEMBER, AFTER_MEMBER, IN_ZEROS };

struct gz {
	struct gzm	*m;
	enum gz_where	 where;
};

static int
gz_probe(const unsigned char *p, size_t n)
{
	return dz_magic(p, n, "\x1f\x8b", 2);
}

static void *
gz_open(void)
{
	struct gz *g = calloc(1, sizeof(*g));

	if (g != NULL && (g->m = gzm_open()) == NULL) {
		free(g);
		g = NULL;
	}
	return g;
}

static void
gz_close(void *arg)
{
	struct gz *g = arg;

	if (g != NULL) {
		gzm_close(g->m);
		free(g);
	}
}

static const char *
gzm_message(enum gzm_status st)
{
	switch (st) {
	case GZM_CRC:
		return "corrupt gzip data (crc error)";
	case GZM_LENGTH:
		return "corrupt gzip data (length error)";
	case GZM_NOMEM:
		return "cannot allocate memory";
	default:
		return "corrupt gzip data (format violated)";
	}
}

/* Between members: what comes next decides. */
static enum dz_status
gz_between(struct gz *g, const unsigned char *in, size_t len, size_t *used,
    int last, const char **msg)
{
	while (*used < len) {
		const unsigned char *p = in + *used;

		if (g->where == IN_ZEROS) {
			if (*p != 0)
				break;
			(*used)++;
			continue;
		}
		if (*p == 0) {
			g->where = IN_ZEROS;
			continue;
		}
		if (*p != 0x1f)
			break;
		if (len - *used < 2) {
			if (!last)
				return DZ_MORE;
			*msg = "unexpected end of gzip data";
			return DZ_ERROR;
		}
		if (p[1] != 0x8b)
			break;
		gzm_reset(g->m);
		g->where = IN_MEMBER;
		return DZ_MORE;
	}
	if (*used < len) {
		*msg = "trailing garbage after gzip data ignored";
		return DZ_ERROR;
	}
	return last ? DZ_END : DZ_MORE;
}

static enum dz_status
gz_step(void *arg, const unsigned char *in, size_t *in_len, int last,
    unsigned char *out, size_t *out_len, const char **msg)
{
	struct gz *g = arg;
	size_t used = 0, made = 0;
	enum dz_status ds = DZ_MORE;

	for (;;) {
		size_t il = *in_len - used, ol = *out_len - made;
		enum gzm_status st;

		if (g->where != IN_MEMBER) {
			ds = gz_between(g, in, *in_len, &used, last, msg);
			if (ds != DZ_MORE || g->where != IN_MEMBER)
				break;
			continue;
		}
		st = gzm_inflate(g->m, in + used, &il, out + made, &ol);
		used += il;
		made += ol;
		if (st == GZM_END) {
			g->where = AFTER_MEMBER;
			continue;
		}
		if (st != GZM_MORE) {
			*msg = gzm_message(st);
			ds = DZ_ERROR;
			break;
		}
		if (il == 0 && ol == 0) {
			/* Stuck: wants input or room; none left is damage. */
			if (last && used == *in_len && made < *out_len) {
				*msg = "unexpected end of gzip data";
				ds = DZ_ERROR;
			}
			break;
		}
		if (made == *out_len || used == *in_len)
			break;
	}
	*in_len = used;
	*out_len = made;
	return ds;
}

const struct dz_codec dz_gzip = {
	.name = "gzip",
	.probe = gz_probe,
	.open = gz_open,
	.step = gz_step,
	.close = gz_close,
};
