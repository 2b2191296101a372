/* LD_PRELOAD shim for the bad-input tests (tests/badinput.bats).
 *
 *   - open()/openat() of a path containing "NOACCESS" fails with EACCES,
 *     so "unreadable file" can be tested even as root;
 *   - read() on a file whose path contains "READFAIL" returns the first
 *     chunk normally, then fails with EIO;
 *   - read() on a file whose path contains "READSLOW" returns the first
 *     chunk normally, and the next one after 3 s: a regular file (never
 *     idle to poll) that stalls, to see what is written meanwhile;
 *   - pthread_create() fails with EAGAIN when RUNNEL_NOTHREADS is set,
 *     to see pipe --threads do its work on one thread;
 *   - write() to stdout sleeps 0.5 s after writing when RUNNEL_SLOWWRITE
 *     is set: a signal sent once the output is seen then lands between
 *     a flush and the wait for more input.
 *
 * Built by the Makefile as $(BUILD)/readfail.so.  Not part of runnel. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#define MAXFD 1024
/* 0 normal, 1 READFAIL fresh, 2 read once, 3 READSLOW fresh, 4 read once */
static unsigned char state[MAXFD];

static int watch(int fd, const char *path)
{
	if (fd >= 0 && fd < MAXFD)
		state[fd] = path && strstr(path, "READFAIL") ? 1 :
		    path && strstr(path, "READSLOW") ? 3 : 0;
	return fd;
}

static int denied(const char *path)
{
	if (path && strstr(path, "NOACCESS")) {
		errno = EACCES;
		return 1;
	}
	return 0;
}

#define MODE_ARG(flags, mode) do { \
	if ((flags) & (O_CREAT | O_TMPFILE)) { \
		va_list ap; va_start(ap, flags); \
		mode = va_arg(ap, mode_t); va_end(ap); \
	} } while (0)

#define WRAP_OPEN(name) \
int name(const char *path, int flags, ...) \
{ \
	static int (*real)(const char *, int, ...); \
	mode_t mode = 0; \
	MODE_ARG(flags, mode); \
	if (denied(path)) return -1; \
	if (!real) real = (int (*)(const char *, int, ...))dlsym(RTLD_NEXT, #name); \
	return watch(real(path, flags, mode), path); \
}

#define WRAP_OPENAT(name) \
int name(int dir, const char *path, int flags, ...) \
{ \
	static int (*real)(int, const char *, int, ...); \
	mode_t mode = 0; \
	MODE_ARG(flags, mode); \
	if (denied(path)) return -1; \
	if (!real) real = (int (*)(int, const char *, int, ...))dlsym(RTLD_NEXT, #name); \
	return watch(real(dir, path, flags, mode), path); \
}

int open(const char *path, int flags, ...);
int open64(const char *path, int flags, ...);
int openat(int dir, const char *path, int flags, ...);
int openat64(int dir, const char *path, int flags, ...);
ssize_t read(int fd, void *buf, size_t n);
ssize_t write(int fd, const void *buf, size_t n);
int close(int fd);

WRAP_OPEN(open)
WRAP_OPEN(open64)
WRAP_OPENAT(openat)
WRAP_OPENAT(openat64)

ssize_t read(int fd, void *buf, size_t n)
{
	static ssize_t (*real)(int, void *, size_t);
	if (!real)
		real = (ssize_t (*)(int, void *, size_t))dlsym(RTLD_NEXT, "read");
	if (fd >= 0 && fd < MAXFD && state[fd] == 2) {
		errno = EIO;
		return -1;
	}
	if (fd >= 0 && fd < MAXFD && state[fd] == 1)
		state[fd] = 2;
	if (fd >= 0 && fd < MAXFD && state[fd] == 4) {
		state[fd] = 0;
		sleep(3);
	}
	if (fd >= 0 && fd < MAXFD && state[fd] == 3)
		state[fd] = 4;
	return real(fd, buf, n);
}

ssize_t write(int fd, const void *buf, size_t n)
{
	static ssize_t (*real)(int, const void *, size_t);
	struct timespec nap = { 0, 500000000 };
	ssize_t r;

	if (!real)
		real = (ssize_t (*)(int, const void *, size_t))dlsym(RTLD_NEXT,
		    "write");
	r = real(fd, buf, n);
	if (fd == 1 && getenv("RUNNEL_SLOWWRITE"))
		nanosleep(&nap, NULL);
	return r;
}

int close(int fd)
{
	static int (*real)(int);
	if (!real)
		real = (int (*)(int))dlsym(RTLD_NEXT, "close");
	if (fd >= 0 && fd < MAXFD)
		state[fd] = 0;
	return real(fd);
}

int pthread_create(pthread_t *t, const pthread_attr_t *attr,
    void *(*fn)(void *), void *arg)
{
	static int (*real)(pthread_t *, const pthread_attr_t *,
	    void *(*)(void *), void *);

	if (getenv("RUNNEL_NOTHREADS"))
		return EAGAIN;
	if (!real)
		real = (int (*)(pthread_t *, const pthread_attr_t *,
		    void *(*)(void *), void *))dlsym(RTLD_NEXT, "pthread_create");
	return real(t, attr, fn, arg);
}
