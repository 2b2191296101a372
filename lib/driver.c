#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "options.h"
#include "driver.h"
#include "idle.h"
#include "reader.h"
#include "signals.h"
#include "writer.h"


struct feed {
	struct stage	*first;
	int		 quiet;		/* do not report unreadable FILEs */
	struct reader	 rd;
	struct pollfd	 pfd[1 + IDLE_EXTRA];
};

enum flow
driver_signals(struct stage *first)
{
	if (signal_info) {
		signal_info = 0;
		chain_info(first);
	}
	return signal_fatal ? FLOW_STOP : FLOW_GO;
}

/*
 * Input is idle: wait for it (idle.h), serving the stages meanwhile.
 * Non-zero: stop waiting (signal, stop, the output's reader gone).
 */
static int
feed_idle(void *arg)
{
	struct feed *fd = arg;

	for (;;) {
		fd->pfd[0].fd = fd->rd.fd;
		fd->pfd[0].events = POLLIN;
		if (idle_wait(fd->first, fd->pfd, 1, -1) != FLOW_GO)
			return 1;
		if (fd->pfd[0].revents != 0)
			return 0;
	}
}

/* Push everything fd holds into the first stage. */
static enum flow
feed_fd(struct feed *fd, const char *prog, const char *name)
{
	struct stage *s = fd->first;

	for (;;) {
		const char *data;
		size_t len;
		enum flow f;

		switch (reader_next(&fd->rd, &data, &len)) {
		case READ_DATA:
			if ((f = stage_push(s, data, len)) != FLOW_GO)
				return f;
			/* A file never idles: take signals between chunks. */
			if (driver_signals(s) != FLOW_GO)
				return FLOW_STOP;
			break;
		case READ_EOF:
			return FLOW_GO;
		case READ_ERROR:
			if (!fd->quiet)
				diag_errno(prog, fd->rd.err, "%s", name);
			s->input_error = 1;
			break;	/* the lines before it still count */
		case READ_CORRUPT:
			if (!fd->quiet)
				diag(prog, "%s: %s", name, fd->rd.msg);
			s->input_error = 1;
			break;	/* its last partial line comes next */
		case READ_INTR:
			if (driver_signals(s) != FLOW_GO)
				return FLOW_STOP;
			if ((f = chain_flush(s)) != FLOW_GO)
				return f;
			break;
		case READ_NOMEM:
			diag_errno(prog, ENOMEM, "%s", name);
			s->input_error = 1;
			return FLOW_ERROR;
		}
	}
}

/*
 * Standard input is a regular file: leave it where the stage stopped
 * using it (ops->input_used), which may be before where the reader got;
 * at is its offset when reading began.
 */
static void
leave_stdin(struct stage *s, off_t at)
{
	int64_t used;

	if (at < 0 || s->ops->input_used == NULL ||
	    (used = s->ops->input_used(s)) < 0)
		return;
	if (lseek(STDIN_FILENO, at + (off_t)used, SEEK_SET) < 0)
		diag_errno(s->name, errno, "%s", STDIN_NAME);
}

/* Where a regular file on standard input is now, or -1. */
static off_t
stdin_offset(void)
{
	struct stat st;

	if (fstat(STDIN_FILENO, &st) < 0 || !S_ISREG(st.st_mode))
		return -1;
	return lseek(STDIN_FILENO, 0, SEEK_CUR);
}

static enum flow
feed_operand(struct feed *fd, const struct stage_args *a, const char *arg)
{
	struct stage *s = fd->first;
	const char *prog = s->name;
	const char *name;
	enum flow f = FLOW_GO;
	off_t at = -1;
	int fdin;

	if (strcmp(arg, "-") == 0) {
		fdin = STDIN_FILENO;
		name = STDIN_NAME;
		at = stdin_offset();
	} else {
		while ((fdin = open(arg, O_RDONLY | O_CLOEXEC)) < 0 &&
		    errno == EINTR)
			;
		if (fdin < 0) {
			if (!a->quiet_errors)
				diag_errno(prog, errno, "%s", arg);
			s->input_error = 1;
			return driver_signals(s);
		}
		name = arg;
	}
	/* FILEs by their magic, stdin only when asked (--decompress). */
	fd->rd.decompress = fdin == STDIN_FILENO ?
	    a->decompress == DECOMPRESS_ALWAYS :
	    a->decompress != DECOMPRESS_NEVER;
	reader_attach(&fd->rd, fdin);
	if (!a->def->concat_files && s->ops->begin)
		f = s->ops->begin(s, name);
	if (f == FLOW_GO)
		f = feed_fd(fd, prog, name);
	if (f == FLOW_GO && !a->def->concat_files && s->ops->end)
		f = s->ops->end(s);
	if (fdin != STDIN_FILENO)
		close(fdin);
	else if (fd->rd.z.codec == NULL)
		leave_stdin(s, at);	/* (a decompressed text's offsets are
					   no offsets in the file) */
	return f;
}

enum flow
driver_run(struct stage *first, const struct stage_args *a)
{
	static char *stdin_only[] = { "-" };
	struct feed fd = { .first = first, .quiet = a->quiet_errors };
	char **ops = a->noperands ? a->operands : stdin_only;
	int nops = a->noperands ? a->noperands : 1;
	enum flow f = FLOW_GO;
	int i;

	if (a->def->kind == STAGE_SOURCE) {
		f = first->ops->run(first);
		chain_close(first);
		return f;
	}
	if (reader_init(&fd.rd, 0) < 0) {
		diag_errno(first->name, ENOMEM, "read buffer");
		chain_close(first);
		return FLOW_ERROR;
	}
	fd.rd.hold_tail = a->def->concat_files;
	fd.rd.idle = feed_idle;
	fd.rd.idle_arg = &fd;
	for (i = 0; i < nops && f == FLOW_GO; i++)
		f = feed_operand(&fd, a, ops[i]);
	if (f == FLOW_GO) {
		const char *data;
		size_t len;

		if (reader_tail(&fd.rd, &data, &len))
			f = stage_push(first, data, len);
	}
	reader_free(&fd.rd);
	chain_close(first);
	return f;
}

static void
hold_std_fds(void)
{
	/*
	 * A closed stdin, stdout or stderr (`<&-`, `>&-`) would otherwise be
	 * taken by the first file opened: FILE operands would be read as
	 * stdin and never closed, and an output file (broadcast FILE, a
	 * state file) would also receive stdout.  Hold each closed one with
	 * /dev/null opened the wrong way round, so reading stdin or writing
	 * stdout still fails with EBADF, as on the closed descriptor.
	 */
	static const int mode[3] = { O_WRONLY, O_RDONLY, O_RDONLY };
	int fd;

	for (fd = 0; fd < 3; fd++) {
		int got;

		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		got = open("/dev/null", mode[fd]);
		if (got >= 0 && got != fd) {
			dup2(got, fd);
			close(got);
		}
	}
}

void
driver_start(void)
{
	hold_std_fds();
	/*
	 * Character classes and time names follow the locale; numbers and
	 * messages never do, so LC_NUMERIC stays "C".
	 */
	setlocale(LC_CTYPE, "");
	setlocale(LC_TIME, "");
	signals_install();
}

int
stage_main(const struct stage_def *def, int argc, char **argv)
{
	struct stage_args *a = NULL;
	struct parse_ctx ctx = { .prog = def->name };
	struct stage *w, *s;
	int status;

	driver_start();
	switch (stage_parse(def, argc, argv, &ctx, &a)) {
	case PARSE_OK:
		break;
	case PARSE_EXIT:
		if (fflush(stdout) != 0 || ferror(stdout)) {
			diag_errno(def->name, errno, "write error");
			return 2;
		}
		return 0;
	case PARSE_ERROR:
		fprintf(stderr, "Try '%s --help' for more information.\n",
		    def->name);
		return 2;
	default:
		return 2;
	}
	if ((w = writer_create(def->name, STDOUT_FILENO,
	    a->line_buffered ? 1 : -1)) == NULL ||
	    (s = def->create(a, w)) == NULL) {
		diag_errno(def->name, ENOMEM, "cannot start");
		return 2;
	}
	driver_run(s, a);
	status = chain_status(s);
	/* The reader chose to stop: 0, unless that did not end the stage. */
	if (writer_lost() && !s->outlives_output)
		status = 0;
	chain_destroy(s);
	args_free(a);
	signals_reraise();
	return status;
}
