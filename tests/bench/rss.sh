# Memory under a limit (issue #8): each command over the $SIZE log with
# its address space capped at 64 MiB, as `ulimit -v 65536` caps it.  For
# each: the exit status (it must be 0: finished correctly, not killed by
# the limit), its own peak RSS, and the peak RSS of its process tree (the
# command and every child it waited for, as ru_maxrss reports them: the
# larger of the two, so a child shows only when it is the larger), and
# the wall time.  One run each: a peak RSS is no noisy measure.
#
# BENCH_ONLY=rss tests/bench/run            (BENCH_SIZE=20M for a quick try)
# RSS_LIMIT_KB=131072 changes the cap.

RSS_LIMIT_KB=${RSS_LIMIT_KB:-65536}
RSSPEAK=$CORPUS_DIR/rsspeak
# rsspeak CMD ARG...: run CMD (no shell) under RLIMIT_AS, traced only to
# stop it at its exit, where /proc/PID/status still holds its own VmHWM;
# then wait4() gives the tree's ru_maxrss.  Prints on stderr:
# "STATUS OWN_KIB TREE_KIB WALL_S".
cat > "$RSSPEAK.c" <<'EOF'
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static long
vmhwm(pid_t pid)
{
	char path[64], line[256];
	long kb = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, "VmHWM:", 6) == 0)
			kb = strtol(line + 6, NULL, 10);
	fclose(f);
	return kb;
}

int
main(int argc, char **argv)
{
	const char *lim = getenv("RSS_LIMIT_KB");
	struct timespec t0, t1;
	struct rusage ru;
	long own = -1;
	pid_t pid;
	int st, code;

	if (argc < 2)
		return 2;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((pid = fork()) == 0) {
		struct rlimit rl;

		if (lim != NULL) {
			rl.rlim_cur = rl.rlim_max = (rlim_t)atol(lim) * 1024;
			if (setrlimit(RLIMIT_AS, &rl) < 0)
				_exit(126);
		}
		ptrace(PTRACE_TRACEME, 0, NULL, NULL);
		raise(SIGSTOP);
		execvp(argv[1], argv + 1);
		_exit(127);
	}
	if (pid < 0)
		return 2;
	/* the SIGSTOP: from here on, stop at exit only */
	if (waitpid(pid, &st, 0) < 0)
		return 2;
	if (WIFSTOPPED(st))
		ptrace(PTRACE_SETOPTIONS, pid, NULL,
		    (void *)(long)(PTRACE_O_TRACEEXIT | PTRACE_O_TRACEEXEC));
	ptrace(PTRACE_CONT, pid, NULL, NULL);
	for (;;) {
		if (wait4(pid, &st, 0, &ru) < 0)
			return 2;
		if (!WIFSTOPPED(st))
			break;
		if (st >> 8 == (SIGTRAP | PTRACE_EVENT_EXIT << 8))
			own = vmhwm(pid);
		/* pass real signals on; swallow the tracer's own stops */
		code = WSTOPSIG(st);
		if (code == SIGTRAP || st >> 16 != 0)
			code = 0;
		ptrace(PTRACE_CONT, pid, NULL, (void *)(long)code);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	fprintf(stderr, "%d %ld %ld %.3f\n", WIFEXITED(st) ?
	    WEXITSTATUS(st) : 128 + WTERMSIG(st), own, ru.ru_maxrss,
	    (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	return 0;
}
EOF
if ! cc -O2 -o "$RSSPEAK" "$RSSPEAK.c"; then
	echo "bench: rss: no C compiler for the helper, left out" >&2
	return 0
fi

# rss_row LABEL CMD ARG... (stdin and stdout set by the caller)
rss_row() {
	local label=$1 r
	shift
	r=$(RSS_LIMIT_KB=$RSS_LIMIT_KB "$RSSPEAK" "$@" 2>&1 >/dev/null |
	    tail -n 1)
	# shellcheck disable=SC2086
	set -- $r
	awk -v l="$label" -v s="$1" -v o="$2" -v t="$3" -v w="$4" 'BEGIN {
		printf "%-40s %6s %9.1f %9.1f %8s\n", l, s,
		    o / 1024, t / 1024, w }'
}

echo
echo "## peak RSS under ulimit -v $RSS_LIMIT_KB ($SIZE log)"
printf '%-40s %6s %9s %9s %8s\n' command status 'own MiB' 'tree MiB' 'wall s'
rss_row "match favicon" match favicon "$LOG"
rss_row "match -v x" match -v x "$LOG"
rss_row "follow --once -n +1" follow --once -n +1 "$LOG"
rss_row "broadcast F1 F2" broadcast "$CORPUS_DIR/rss-out-1" \
    "$CORPUS_DIR/rss-out-2" < "$LOG"
rm -f "$CORPUS_DIR"/rss-out-*
rss_row "broadcast -c 'cat >/dev/null' x2" broadcast \
    -c 'cat >/dev/null' -c 'cat >/dev/null' < "$LOG"
rss_row "power 2 -f 10 --invalid=pass" power 2 -f 10 --invalid=pass "$LOG"
rss_row "printer -n" printer -n "$LOG"
rss_row "pipe 'match GET | power | printer -n'" pipe \
    'match GET | power 2 -f 10 --invalid=pass | printer -n' < "$LOG"
echo "#   pipe: 'match GET | power 2 -f 10 --invalid=pass | printer -n'"
echo "#   status 0: finished under the cap; own: the command's VmHWM at"
echo "#   exit; tree: ru_maxrss of it and its children (broadcast -c: sh, cat)"
