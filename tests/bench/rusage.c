/*
 * rusage: run "bash -o pipefail -c CMD" and print, on fd 3, the peak RSS
 * (KiB) and CPU seconds of everything it ran.  A small process of its own,
 * because a child forked by the Python driver would inherit the
 * interpreter's peak RSS in its own count.
 */
#include <sys/resource.h>
#include <sys/wait.h>

#include <stdio.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	struct rusage ru;
	FILE *out;
	pid_t pid;
	int status;

	if (argc != 2)
		return 2;
	if ((pid = fork()) == 0) {
		execlp("bash", "bash", "-o", "pipefail", "-c", argv[1],
		    (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		return 2;
	getrusage(RUSAGE_CHILDREN, &ru);
	if ((out = fdopen(3, "w")) != NULL)
		fprintf(out, "%ld %f\n", ru.ru_maxrss,
		    ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
		    ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6);
	return WIFEXITED(status) ? WEXITSTATUS(status) :
	    128 + WTERMSIG(status);
}
