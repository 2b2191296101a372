/*
 * printer's summaries of a window (tally.h).  A key of one field is its
 * bytes; a key of several is each field's length (LEB128) and bytes in
 * turn, so that no byte of a field can be mistaken for a separator.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bytemask.h"
#include "grow.h"
#include "tally.h"

int
tally_init(struct tally *t, const struct tally_conf *c)
{
	memset(t, 0, sizeof(*t));
	t->c = c;
	summary_init(&t->one);
	qbudget_init(&t->budget, QUANTILE_LIMIT);
	sumline_init(&t->out, c->json);
	if (record_init(&t->rec, c->fmt, c->delim) < 0)
		return -1;
	if (c->nby > 0 && groups_init(&t->g, sizeof(struct summary)) < 0)
		return -1;
	return 0;
}

void
tally_free(struct tally *t)
{
	qbudget_reset(&t->budget);
	if (t->c->nby > 0)
		groups_free(&t->g);
	free(t->key);
	free(t->order);
	sumline_free(&t->out);
	record_free(&t->rec);
}

void
tally_reset(struct tally *t)
{
	qbudget_reset(&t->budget);
	summary_init(&t->one);
	if (t->c->nby > 0)
		groups_clear(&t->g);
}

int
tally_empty(const struct tally *t)
{
	return t->c->nby > 0 ? t->g.n == 0 : t->one.count == 0;
}

/*
 * The text of field f of the line, or the empty text when it has none;
 * -1 when out of memory.
 */
static inline int
field_or_empty(struct tally *t, const char *line, size_t len,
    const struct rfield *f, const char **text, size_t *tlen)
{
	struct rspan s;

	if (rfield_find(&t->rec, line, len, f, &s) < 0) {
		*text = line;
		*tlen = 0;
		return 0;
	}
	if (s.esc == RSPAN_PLAIN && s.text == NULL) {
		*text = s.p;
		*tlen = s.len;
		return 0;
	}
	return (*text = rspan_text(&t->rec, &s, tlen)) == NULL ? -1 : 0;
}

static int
composite_key(struct tally *t, const char *line, size_t len,
    const char **key, size_t *klen)
{
	size_t i, n = 0;

	for (i = 0; i < t->c->nby; i++) {
		const char *f;
		size_t flen, v;

		if (field_or_empty(t, line, len, &t->c->by[i].f, &f,
		    &flen) < 0)
			return -1;
		if (grow(&t->key, &t->keycap, n + flen + 10, 256) < 0)
			return -1;
		for (v = flen; v >= 0x80; v >>= 7)
			t->key[n++] = (char)((v & 0x7f) | 0x80);
		t->key[n++] = (char)v;
		memcpy(t->key + n, f, flen);
		n += flen;
	}
	*key = t->key;
	*klen = n;
	return 0;
}

/* The number the summary is of: field -f or the whole line. */
static inline int
value_of(struct tally *t, const char *line, size_t len, struct num *x)
{
	struct rspan s;

	if (t->c->field) {
		if (rfield_find(&t->rec, line, len, t->c->field, &s) < 0)
			return -1;
		if (s.esc == RSPAN_PLAIN && s.text == NULL) {
			line = s.p;
			len = s.len;
		} else if ((line = rspan_text(&t->rec, &s, &len)) == NULL) {
			return -1;
		}
	}
	return num_parse_blanks(line, len, x);
}

static inline int
count_line(struct tally *t, const char *line, size_t len)
{
	const struct tally_conf *c = t->c;
	struct summary *s;
	const char *key;
	size_t klen;
	ptrdiff_t g;
	struct num x;
	int added;

	if (c->nby == 0) {
		if (value_of(t, line, len, &x) < 0)
			return 0;
		return summary_add(&t->one, c->list, &t->budget, &x);
	}
	/* with -f, a line without a number is not in any group */
	if (c->field && value_of(t, line, len, &x) < 0)
		return 0;
	if (c->nby == 1) {
		if (field_or_empty(t, line, len, &c->by[0].f, &key, &klen) < 0)
			return -1;
	} else if (composite_key(t, line, len, &key, &klen) < 0) {
		return -1;
	}
	if ((g = groups_get(&t->g, key, klen, &added)) < 0)
		return -1;
	s = groups_val(&t->g, (size_t)g);
	if (added)
		summary_init(s);
	if (!c->field) {
		s->count++;
		return 0;
	}
	return summary_add(s, c->list, &t->budget, &x);
}

int
tally_line(struct tally *t, const char *line, size_t len)
{
	return count_line(t, line, len);
}

int
tally_batch(struct tally *t, const char *data, size_t len)
{
	struct bm_lines ends;
	size_t at, nl;

	bm_lines_init(&ends, data, len);
	for (at = 0; at < len; at = nl + 1) {
		nl = bm_lines_next(&ends);
		if (count_line(t, data + at, nl - at) < 0)
			return -1;
	}
	return 0;
}

/* The next part of a composite key at *p; advances *p. */
static void
key_part(const char **p, const char **f, size_t *flen)
{
	const unsigned char *u = (const unsigned char *)*p;
	size_t v = 0;
	int shift = 0;

	do {
		v |= (size_t)(*u & 0x7f) << shift;
		shift += 7;
	} while (*u++ & 0x80);
	*f = (const char *)u;
	*flen = v;
	*p = (const char *)u + v;
}

static int
bytes_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	int r = memcmp(a, b, alen < blen ? alen : blen);

	if (r != 0 || alen == blen)
		return r;
	return alen < blen ? -1 : 1;
}

/* Does group a come before group b in the report? */
static int
before(const struct tally *t, size_t a, size_t b)
{
	const struct summary *sa = groups_val(&t->g, a);
	const struct summary *sb = groups_val(&t->g, b);
	const char *ka, *kb, *fa, *fb;
	size_t la, lb, fla, flb, i;
	int r;

	if (sa->count != sb->count)
		return sa->count > sb->count;
	ka = groups_key(&t->g, a, &la);
	kb = groups_key(&t->g, b, &lb);
	if (t->c->nby == 1)
		return bytes_cmp(ka, la, kb, lb) < 0;
	for (i = 0; i < t->c->nby; i++) {
		key_part(&ka, &fa, &fla);
		key_part(&kb, &fb, &flb);
		if ((r = bytes_cmp(fa, fla, fb, flb)) != 0)
			return r < 0;
	}
	return 0;
}

static int
order_cmp(const void *a, const void *b, void *arg)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return before(arg, x, y) ? -1 : before(arg, y, x) ? 1 : 0;
}

/* Keep heap[0, k) with its last group (in report order) at the root. */
static void
sift(const struct tally *t, size_t *heap, size_t k, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, m = i, tmp;

		if (l < k && before(t, heap[m], heap[l]))
			m = l;
		if (l + 1 < k && before(t, heap[m], heap[l + 1]))
			m = l + 1;
		if (m == i)
			return;
		tmp = heap[i];
		heap[i] = heap[m];
		heap[m] = tmp;
		i = m;
	}
}

/*
 * t->order[0, *n): the groups to write, in order.  With --top N of many
 * more groups, a heap of N picks them in one pass.
 */
static int
order_groups(struct tally *t, size_t *n)
{
	size_t ng = t->g.n, k = ng, i;

	if (t->c->top < ng)
		k = (size_t)t->c->top;
	if (k > t->ordercap) {
		size_t *o = realloc(t->order, k * sizeof(*o));

		if (o == NULL)
			return -1;
		t->order = o;
		t->ordercap = k;
	}
	if (k < ng && k > 0) {
		for (i = 0; i < k; i++)
			t->order[i] = i;
		for (i = k / 2; i-- > 0;)
			sift(t, t->order, k, i);
		for (i = k; i < ng; i++)
			if (before(t, i, t->order[0])) {
				t->order[0] = i;
				sift(t, t->order, k, 0);
			}
	} else {
		for (i = 0; i < k; i++)
			t->order[i] = i;
	}
	if (k > 1)
		qsort_r(t->order, k, sizeof(*t->order), order_cmp, t);
	*n = k;
	return 0;
}

static int
report_line(struct tally *t, const char *window, ptrdiff_t g,
    struct summary *s, double seconds)
{
	const struct summary_list *l = t->c->list;
	struct sumline *o = &t->out;
	int i, approx;

	sumline_begin(o);
	if (window != NULL && sumline_str(o, "window", window,
	    strlen(window)) < 0)
		return -1;
	if (g >= 0) {
		const char *k, *f;
		size_t klen, flen;

		k = groups_key(&t->g, (size_t)g, &klen);
		for (i = 0; i < (int)t->c->nby; i++) {
			if (t->c->nby == 1) {
				f = k;
				flen = klen;
			} else {
				key_part(&k, &f, &flen);
			}
			if (sumline_str(o, t->c->by[i].label, f, flen) < 0)
				return -1;
		}
	}
	for (i = 0; i < l->n; i++) {
		struct num v;

		summary_value(s, &l->item[i], seconds, &v, &approx);
		if (sumline_num(o, l->item[i].name, &v, approx) < 0)
			return -1;
	}
	return sumline_end(o);
}

int
tally_report(struct tally *t, const char *window, double seconds)
{
	size_t n, i;

	if (t->c->nby == 0)
		return report_line(t, window, -1, &t->one, seconds);
	if (order_groups(t, &n) < 0)
		return -1;
	for (i = 0; i < n; i++)
		if (report_line(t, window, (ptrdiff_t)t->order[i],
		    groups_val(&t->g, t->order[i]), seconds) < 0)
			return -1;
	return 0;
}
