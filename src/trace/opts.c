/* SPDX-License-Identifier: MIT */
/*
 * ptk trace's command line, with strace's meaning for every option it
 * accepts.  Options ptk does not support are refused by name, never
 * ignored.  Pure code: unit-tested and fuzzed.
 */
#include "trace.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static int parse_pid(const char *s, pid_t *ret)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end || v <= 0 || v > 0x3fffffff)
		return -1;
	*ret = (pid_t)v;
	return 0;
}

int trace_opts_parse(int argc, char **argv, struct trace_opts *o, char *err, size_t errlen)
{
	memset(o, 0, sizeof *o);
	o->strsize = 32;
	int i = 1;
	for (; i < argc; i++) {
		const char *a = argv[i];
		if (a[0] != '-' || a[1] == 0)
			break;
		if (strcmp(a, "--") == 0) {
			i++;
			break;
		}
		if (strcmp(a, "--help") == 0) {
			o->help = true;
			continue;
		}
		if (strcmp(a, "--version") == 0) {
			o->version = true;
			continue;
		}
		if (a[1] == '-') {
			snprintf(err, errlen, "unknown option '%s' (see `ptk trace --help`)", a);
			return -1;
		}
		/* A cluster of short options: -ff, -fo FILE, -p1234. */
		for (const char *p = a + 1; *p; p++) {
			const char *val = NULL;
			if (*p == 'o' || *p == 'p') {
				val = p[1] ? p + 1 : (i + 1 < argc ? argv[++i] : NULL);
				if (!val) {
					snprintf(err, errlen, "option -%c needs an argument", *p);
					return -1;
				}
			}
			switch (*p) {
			case 'f':
				if (o->follow)
					o->follow_files = true;
				o->follow = true;
				break;
			case 'h':
				o->help = true;
				break;
			case 'V':
				o->version = true;
				break;
			case 'o':
				o->outfile = val;
				break;
			case 'p':
				if (o->npids == TRACE_MAX_PIDS) {
					snprintf(err, errlen, "too many -p options (at most %d)",
					         TRACE_MAX_PIDS);
					return -1;
				}
				if (parse_pid(val, &o->pids[o->npids]) < 0) {
					snprintf(err, errlen, "invalid process id '%s'", val);
					return -1;
				}
				o->npids++;
				break;
			default:
				snprintf(err, errlen,
				         "option -%c is not supported (see `ptk trace --help`)",
				         *p);
				return -1;
			}
			if (val)
				break;
		}
	}
	if (o->help || o->version)
		return 0;
	if (i < argc)
		o->argv = argv + i;
	if (!o->argv && !o->npids) {
		snprintf(err, errlen, "must have PROG [ARGS] or -p PID (see `ptk trace --help`)");
		return -1;
	}
	if (o->follow_files && !o->outfile)
		o->follow_files = false; /* as strace: -ff without -o is -f */
	return 0;
}
