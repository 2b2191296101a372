#include <poll.h>
#include <stdlib.h>

#include "stage.h"

void *
stage_alloc(size_t size, const struct stage_ops *ops, struct stage *next,
    const char *name)
{
	struct stage *s = calloc(1, size);

	if (s == NULL)
		return NULL;
	s->ops = ops;
	s->next = next;
	s->name = name;
	return s;
}

enum flow
chain_flush(struct stage *s)
{
	enum flow f = FLOW_GO;

	for (; s != NULL; s = s->next) {
		enum flow g = s->ops->flush ? s->ops->flush(s) : FLOW_GO;

		if (g > f)
			f = g;
	}
	return f;
}

void
chain_close(struct stage *s)
{
	for (; s != NULL; s = s->next)
		if (s->ops->close)
			s->ops->close(s);
}

int
chain_wait_fds(struct stage *s, struct pollfd *pfd, int max)
{
	int n = 0;

	for (; s != NULL && n < max; s = s->next)
		if (s->ops->wait_fds)
			n += s->ops->wait_fds(s, pfd + n, max - n);
	return n;
}

enum flow
chain_wake(struct stage *s)
{
	for (; s != NULL; s = s->next) {
		enum flow f = s->ops->wake ? s->ops->wake(s) : FLOW_GO;

		if (f != FLOW_GO)
			return f;
	}
	return FLOW_GO;
}

long long
chain_deadline(struct stage *s)
{
	long long due = -1;

	for (; s != NULL; s = s->next) {
		long long d = s->ops->deadline ? s->ops->deadline(s) : -1;

		if (d >= 0 && (due < 0 || d < due))
			due = d;
	}
	return due;
}

enum flow
chain_wake_ready(struct stage *s, const struct pollfd *pfd, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (pfd[i].revents)
			return chain_wake(s);
	return FLOW_GO;
}

void
chain_info(struct stage *s)
{
	for (; s != NULL; s = s->next)
		if (s->ops->info)
			s->ops->info(s);
}

void
chain_destroy(struct stage *s)
{
	while (s != NULL) {
		struct stage *next = s->next;

		if (s->ops->destroy)
			s->ops->destroy(s);
		else
			free(s);
		s = next;
	}
}

int
chain_status(const struct stage *s)
{
	int status = 0;

	/* pipefail: the rightmost non-zero status wins. */
	for (; s != NULL; s = s->next)
		if (s->status != 0)
			status = s->status;
	return status;
}

void
args_free(struct stage_args *a)
{
	if (a == NULL)
		return;
	if (a->free)
		a->free(a);
	else
		free(a);
}
