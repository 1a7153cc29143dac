/* SPDX-License-Identifier: MIT */
/* -yy's details of an fd (fdinfo.c): socket endpoints, device numbers. */
#ifndef PTK_TRACE_FDINFO_H
#define PTK_TRACE_FDINFO_H

#include <stdbool.h>

#include "fmt.h"

/*
 * fdpath is /proc/PID/fd/N, target what it links to.  For a socket
 * ("socket:[INODE]"), append "PROTO:[endpoints]" (or "PROTO:[INODE]" when
 * sock_diag does not know it) and return true; false when target is not a
 * socket or its protocol cannot be read (print target as it is then).
 * qflags: fmt_quote's -x / -xx flags for a UNIX socket's name.
 */
bool fdinfo_socket(struct dbuf *out, const char *fdpath, const char *target, unsigned qflags);
/* For a character or block device, append "<char 1:3>" and return true. */
bool fdinfo_device(struct dbuf *out, const char *fdpath);

#endif
