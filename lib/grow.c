#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "grow.h"

int
grow(char **buf, size_t *cap, size_t need, size_t first)
{
	size_t c = *cap ? *cap : first;
	char *nb;

	if (need <= *cap)
		return 0;
	while (c < need)
		c = c > SIZE_MAX / 2 ? need : c * 2;	/* no wrap to 0 */
	if ((nb = realloc(*buf, c)) == NULL) {
		errno = ENOMEM;
		return -1;
	}
	*buf = nb;
	*cap = c;
	return 0;
}
