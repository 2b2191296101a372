/*
 * outbuf: a stage's output buffer (outbuf.h).
 */
#include <errno.h>
#include <stdlib.h>

#include "diag.h"
#include "grow.h"
#include "outbuf.h"

int
outbuf_grow(struct outbuf *ob, size_t n)
{
	if (grow(&ob->buf, &ob->cap, ob->len + n, OUTBUF_FIRST) < 0) {
		diag_errno(ob->name, ENOMEM, "output buffer");
		return -1;
	}
	return 0;
}

enum flow
outbuf_push(struct outbuf *ob, struct stage *next)
{
	size_t n = ob->len;

	if (n == 0)
		return FLOW_GO;
	ob->len = 0;
	return stage_push(next, ob->buf, n);
}

void
outbuf_free(struct outbuf *ob)
{
	free(ob->buf);
	ob->buf = NULL;
	ob->len = ob->cap = 0;
}
