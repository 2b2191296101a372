/*
 * pipe_explain: what pipe tells of its chain: --explain before it runs,
 * --stats after (pipeline.h).
 */
#include <stdio.h>
#include <string.h>

#include "pipe_plan.h"
#include "record.h"
#include "pipe_proxy.h"
#include "pipeline.h"

void
pipeline_stats(const struct pipeline *pl)
{
	size_t i;

	for (i = 0; i < pl->n; i++) {
		const struct pipe_proxy *in = pl->st[i].proxy;
		const struct pipe_proxy *out = i + 1 < pl->n ?
		    pl->st[i + 1].proxy : pl->out_proxy;

		if (in == NULL || out == NULL)
			continue;
		fprintf(stderr, "%s: stage %zu (%s): in=%llu out=%llu "
		    "time=%.3fs\n", pl->prog, i + 1, pl->st[i].def->name,
		    (unsigned long long)in->lines,
		    (unsigned long long)out->lines,
		    pl->self ? pl->self[i + 1] : 0.0);
		/* Its in-process commands, under their own prefix. */
		for (size_t k = 0; k < pl->st[i].nsubs; k++)
			if (pl->st[i].subs[k].pl != NULL)
				pipeline_stats(pl->st[i].subs[k].pl);
	}
	fflush(stderr);
}

void
shell_quote(FILE *fp, const char *w)
{
	const char *p;

	if (*w != '\0' && w[strspn(w, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_@%+=:,./-")] == '\0') {
		fputs(w, fp);
		return;
	}
	fputc('\'', fp);
	for (p = w; *p; p++) {
		if (*p == '\'')
			fputs("'\\''", fp);
		else
			fputc(*p, fp);
	}
	fputc('\'', fp);
}

/* The format that a stage's field NAMEs are read by. */
static void
explain_fields(const struct record_fmt *f, FILE *fp)
{
	if (f == NULL)
		return;
	if (f->kind == RECORD_AUTO)
		fputs(" (fields by name: format=auto, json, logfmt or combined "
		    "by the first line that one reads)", fp);
	else if (f->kind == RECORD_PARSE) {
		fputs(" (fields by name: the named groups of --parse ", fp);
		shell_quote(fp, f->regex);
		fputc(')', fp);
	} else
		fprintf(fp, " (fields by name: format=%s)",
		    record_fmt_name(f));
}

/*
 * One line a stage; under a stage, each of its commands (broadcast -c)
 * and, for one run in-process, its stages indented further.
 */
static void
explain_stages(const struct pipeline *pl, FILE *fp, int indent)
{
	size_t i, j, from = 0, to = 0;
	int k, thread = 1, split = pipe_split_range(pl, &from, &to);

	for (i = 0; i < pl->n; i++) {
		const struct pipe_stage *ps = &pl->st[i];

		if (split && i == to)
			fprintf(fp, "%*send of split\n", indent, "");
		if (pipe_thread_before(pl, i + 1))
			fprintf(fp, "%*sthread %d:\n", indent, "", ++thread);
		if (split && i == from)
			fprintf(fp, "%*ssplit over %d worker thread%s (a "
			    "copy of each stage on each, batches in turn, "
			    "output in order):\n", indent, "",
			    pipe_split_workers(pl),
			    pipe_split_workers(pl) == 1 ? "" : "s");

		fprintf(fp, "%*sstage %zu (%s):", indent, "", i + 1,
		    ps->def->name);
		if (ps->args->explain != NULL) {
			char buf[1024];

			buf[0] = '\0';
			ps->args->explain(ps->args, buf, sizeof(buf));
			fprintf(fp, " %s", buf);
		} else {
			for (k = 1; k < ps->argc; k++) {
				fputc(' ', fp);
				shell_quote(fp, ps->argv[k]);
			}
		}
		explain_fields(ps->args->fields, fp);
		fputc('\n', fp);
		for (j = 0; j < ps->nsubs; j++) {
			fprintf(fp, "%*scommand ", indent + 2, "");
			shell_quote(fp, ps->subs[j].text);
			if (ps->subs[j].pl == NULL) {
				fputs(": through sh -c\n", fp);
				continue;
			}
			fputs(": in-process, its output merged in order\n", fp);
			explain_stages(ps->subs[j].pl, fp, indent + 4);
		}
	}
	if (split && to == pl->n)
		fprintf(fp, "%*send of split\n", indent, "");
}

void
pipeline_explain(const struct pipeline *pl, FILE *fp)
{
	const struct stage_args *first = pl->st[0].args;
	int k;

	if (first->def->kind == STAGE_SOURCE)
		fprintf(fp, "input: produced by stage 1 (%s)\n",
		    first->def->name);
	else if (first->noperands == 0)
		fprintf(fp, "input: standard input\n");
	else {
		fprintf(fp, "input: %s",
		    first->def->concat_files ? "one stream of" : "file by file,");
		for (k = 0; k < first->noperands; k++) {
			fputc(' ', fp);
			shell_quote(fp, first->operands[k]);
		}
		fputc('\n', fp);
	}
	explain_stages(pl, fp, 0);
	fprintf(fp, "output: standard output, %s\n",
	    pl->st[pl->n - 1].args->line_buffered || pl->line_buffered ?
	    "line-buffered" :
	    "block-buffered (line-buffered on a terminal)");
}
