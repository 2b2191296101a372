/*
 * linehold: a partial line kept until it is whole (linehold.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "grow.h"
#include "linehold.h"

int
linehold_add(struct linehold *h, const char *data, size_t len,
    const char *name)
{
	if (grow(&h->buf, &h->cap, h->len + len, 256) < 0) {
		diag_errno(name, ENOMEM, "line buffer");
		return -1;
	}
	memcpy(h->buf + h->len, data, len);
	h->len += len;
	return 0;
}

enum flow
linehold_push(struct linehold *h, const char *data, size_t len,
    linehold_out out, void *ctx, const char *name)
{
	const char *last;
	size_t whole;
	enum flow f;

	if (len == 0)
		return FLOW_GO;
	if (h->len == 0 && data[len - 1] == '\n')
		return out(ctx, data, len);	/* the common case */
	if (h->len > 0) {
		const char *nl = memchr(data, '\n', len);
		size_t first = nl ? (size_t)(nl + 1 - data) : len;

		if (linehold_add(h, data, first, name) < 0)
			return FLOW_ERROR;
		if (nl == NULL)
			return FLOW_GO;
		data += first;
		len -= first;
		if ((f = linehold_drain(h, out, ctx)) != FLOW_GO ||
		    len == 0)
			return f;
	}
	last = memrchr(data, '\n', len);
	whole = last ? (size_t)(last + 1 - data) : 0;
	if (whole > 0 && (f = out(ctx, data, whole)) != FLOW_GO)
		return f;
	if (whole < len && linehold_add(h, data + whole, len - whole,
	    name) < 0)
		return FLOW_ERROR;
	return FLOW_GO;
}

enum flow
linehold_drain(struct linehold *h, linehold_out out, void *ctx)
{
	size_t n = h->len;

	if (n == 0)
		return FLOW_GO;
	h->len = 0;
	return out(ctx, h->buf, n);
}

void
linehold_free(struct linehold *h)
{
	free(h->buf);
	h->buf = NULL;
	h->len = h->cap = 0;
}
