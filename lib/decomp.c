#include <string.h>

#include "decomp.h"

static const struct dz_codec *const codecs[] = {
	&dz_gzip, &dz_zstd, &dz_xz, &dz_bzip2
};

const struct dz_codec *
dz_probe(const unsigned char *p, size_t n, int *more)
{
	size_t i;

	*more = 0;
	for (i = 0; i < sizeof(codecs) / sizeof(codecs[0]); i++) {
		int r = codecs[i]->probe(p, n);

		if (r > 0)
			return codecs[i];
		if (r < 0)
			*more = 1;
	}
	return NULL;
}
