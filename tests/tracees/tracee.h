/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the hard-case tracees: one write(2) per output line
 * (no stdio buffers to duplicate across fork or lose on _exit), and a
 * fatal error that exits with a status no case uses (99).
 */
#ifndef PTK_TRACEE_H
#define PTK_TRACEE_H

#include <errno.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Format one line and write it to fd in a single write(2). */
__attribute__((format(printf, 2, 3))) static inline void say_fd(int fd, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof buf)
		n = sizeof buf - 1;
	ssize_t off = 0;
	while (off < n) {
		ssize_t w = write(fd, buf + off, (size_t)(n - off));
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		off += w;
	}
}

#define say(...) say_fd(1, __VA_ARGS__)

/* A setup step failed: the case is broken, not the tracer under test. */
#define die(what)                                                                        \
	do {                                                                             \
		say_fd(2, "%s:%d: %s: %s\n", __FILE__, __LINE__, what, strerror(errno)); \
		_exit(99);                                                               \
	} while (0)

/* The errno name for the few values the tracees print. */
static inline const char *errname(int e)
{
	switch (e) {
	case 0:
		return "0";
	case EPERM:
		return "EPERM";
	case ENOENT:
		return "ENOENT";
	case EINTR:
		return "EINTR";
	case EFAULT:
		return "EFAULT";
	case EINVAL:
		return "EINVAL";
	case ENOSYS:
		return "ENOSYS";
	case EAGAIN:
		return "EAGAIN";
	case EBUSY:
		return "EBUSY";
	default:
		return "E?";
	}
}

#endif
