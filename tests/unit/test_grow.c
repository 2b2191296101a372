/* grow(): first size, doubling, contents kept, no-op when big enough. */
#include <stdint.h>
#include <stdlib.h>

#include "grow.h"
#include "tap.h"

int
main(void)
{
	char *b = NULL, *was;
	size_t cap = 0;

	ok(grow(&b, &cap, 10, 256) == 0 && b != NULL && cap == 256,
	    "from nothing: the first size");
	memcpy(b, "abc", 3);
	was = b;
	ok(grow(&b, &cap, 256, 256) == 0 && b == was && cap == 256,
	    "enough room: nothing moves");
	ok(grow(&b, &cap, 1000, 256) == 0 && cap == 1024 &&
	    memcmp(b, "abc", 3) == 0, "doubles until it holds, keeps bytes");
	was = b;
#if defined(__SANITIZE_ADDRESS__)
	ok(1, "out of memory # skip ASan aborts on a huge realloc");
#else
	if (getenv("RUNNEL_VALGRIND") != NULL)	/* a "fishy" size to it */
		ok(1, "out of memory # skip valgrind reports a huge realloc");
	else
		ok(grow(&b, &cap, SIZE_MAX / 2 + 2, 256) == -1 && b == was &&
		    cap == 1024, "out of memory: -1, the buffer untouched");
#endif
	free(b);
	return done_testing();
}
