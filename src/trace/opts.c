/* SPDX-License-Identifier: MIT */
/*
 * ptk trace's command line, with strace's meaning for every option it
 * accepts (short options, clusters such as -fff or -p1234, and strace
 * 6.1's long forms, which may be abbreviated to any unique prefix).
 * Options ptk does not support are refused by name, never ignored; bad
 * values get one line naming the offending text.  Pure code: unit-tested
 * and fuzzed.
 */
#include "trace.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* Warnings strace prints and goes on (stored in err after a successful parse). */
static void warn(char *err, size_t errlen, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

static void warn(char *err, size_t errlen, const char *fmt, ...)
{
	size_t n = strlen(err);
	if (n + 2 >= errlen)
		return;
	if (n)
		err[n++] = '\n';
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err + n, errlen - n, fmt, ap);
	va_end(ap);
}

static int parse_pids(struct trace_opts *o, const char *val, char *err, size_t errlen)
{
	const char *p = val;
	int n = 0;
	while (*p) {
		while (*p == ',' || *p == ' ' || *p == '\t' || *p == '\n')
			p++;
		if (!*p)
			break;
		const char *s = p;
		long v = 0;
		while (isdigit((unsigned char)*p) && v <= 0x3fffffff)
			v = v * 10 + (*p++ - '0');
		if (p == s || v <= 0 || v > 0x3fffffff ||
		    (*p && *p != ',' && *p != ' ' && *p != '\t' && *p != '\n')) {
			size_t l = strcspn(s, ", \t\n");
			snprintf(err, errlen, "invalid process id '%.*s'", (int)l, s);
			return -1;
		}
		if (o->npids == TRACE_MAX_PIDS) {
			snprintf(err, errlen, "too many processes to attach (at most %d)",
			         TRACE_MAX_PIDS);
			return -1;
		}
		bool dup = false;
		for (int i = 0; i < o->npids; i++)
			dup |= o->pids[i] == (pid_t)v;
		if (!dup)
			o->pids[o->npids++] = (pid_t)v;
		n++;
	}
	if (!n) {
		snprintf(err, errlen, "invalid process id '%s'", val);
		return -1;
	}
	return 0;
}

static int parse_uint(const char *v, unsigned max, unsigned *ret)
{
	char *end;
	if (!isdigit((unsigned char)v[0]))
		return -1;
	errno = 0;
	unsigned long n = strtoul(v, &end, 10);
	if (errno || *end || n > max)
		return -1;
	*ret = (unsigned)n;
	return 0;
}

/* The options, short and long.  arg: 0 none, 1 required, 2 optional (--opt=VAL only). */
struct optdef {
	const char *lng;
	int shrt; /* a short option letter, or a code >= 256 */
	int arg;
};

enum {
	O_SECCOMP = 256,
	O_NO_SECCOMP,
	O_JSON,
	O_TIMELINE,
	O_STOPS,
	O_SEPARATELY,
	O_TIPS,
	O_PIDNS,
	O_QUAL, /* --trace=, --signal=, ...: the -e qualifier of the same name */
	O_HELP,
	O_VERSION,
	O_SECONTEXT,
	O_KILL_ON_EXIT,
};

static const struct optdef defs[] = {
        {"columns", 'a', 1},
        {"output-append-mode", 'A', 0},
        {"detach-on", 'b', 1},
        {"summary-only", 'c', 0},
        {"summary", 'C', 0},
        {"debug", 'd', 0},
        {"daemonize", 'D', 2},
        {"env", 'E', 1},
        {"follow-forks", 'f', 0},
        {"output-separately", O_SEPARATELY, 0},
        {"help", O_HELP, 0},
        {"instruction-pointer", 'i', 0},
        {"interruptible", 'I', 1},
        {"stack-traces", 'k', 0},
        {"syscall-number", 'n', 0},
        {"output", 'o', 1},
        {"summary-syscall-overhead", 'O', 1},
        {"attach", 'p', 1},
        {"trace-path", 'P', 1},
        {"quiet", 'q', 2},
        {"relative-timestamps", 'r', 2},
        {"string-limit", 's', 1},
        {"summary-sort-by", 'S', 1},
        {"absolute-timestamps", 't', 2},
        {"timestamps", 't', 2},
        {"syscall-times", 'T', 2},
        {"user", 'u', 1},
        {"summary-columns", 'U', 1},
        {"no-abbrev", 'v', 0},
        {"version", O_VERSION, 0},
        {"summary-wall-clock", 'w', 0},
        {"strings-in-hex", 'x', 2},
        {"const-print-style", 'X', 1},
        {"decode-fds", 'y', 2},
        {"decode-pids", 'Y', 1},
        {"successful-only", 'z', 0},
        {"failed-only", 'Z', 0},
        {"seccomp-bpf", O_SECCOMP, 0},
        {"no-seccomp-bpf", O_NO_SECCOMP, 0},
        {"json", O_JSON, 0},
        {"timeline", O_TIMELINE, 1},
        {"stops", O_STOPS, 0},
        {"tips", O_TIPS, 2},
        {"pidns-translation", O_PIDNS, 0},
        {"secontext", O_SECONTEXT, 2},
        {"kill-on-exit", O_KILL_ON_EXIT, 0},
        {"trace", O_QUAL, 1},
        {"signal", O_QUAL, 1},
        {"signals", O_QUAL, 1},
        {"status", O_QUAL, 1},
        {"abbrev", O_QUAL, 1},
        {"verbose", O_QUAL, 1},
        {"raw", O_QUAL, 1},
        {"read", O_QUAL, 1},
        {"write", O_QUAL, 1},
        {"fault", O_QUAL, 1},
        {"inject", O_QUAL, 1},
        {"silent", O_QUAL, 1},
        {"silence", O_QUAL, 1},
        {"kvm", O_QUAL, 1},
};
#define NDEFS (sizeof defs / sizeof *defs)

/* Short options that take an argument. */
static bool short_arg(int c)
{
	return c && strchr("abeEIoOpPsSuUX", c);
}

struct state {
	int tcount, qcount, dcount, xcount, ycount, fcount;
	bool F, z_or_Z_twice;
	int zZ; /* last of -z (1) / -Z (2) */
	bool status_given;
	bool sortby_given, columns_given, wall_given, overhead_given;
	bool T_given, i_given, r_given, t_given, n_given, y_given;
};

static int apply(struct trace_opts *o, struct state *st, int c, const char *name, const char *val,
                 char *err, size_t errlen)
{
	unsigned u;
	int p;
	switch (c) {
	case 'a':
		if (parse_uint(val, 1000, &u) < 0) {
			snprintf(err, errlen, "invalid -a argument: '%s'", val);
			return -1;
		}
		if (u != 40) {
			snprintf(err, errlen,
			         "-a %s: ptk trace aligns return values at column 40 "
			         "only",
			         val);
			return -1;
		}
		break;
	case 'A':
		o->append = true;
		break;
	case 'b':
		if (strcmp(val, "execve") != 0) {
			snprintf(err, errlen, "syscall '%s' for -b is not supported (only execve)",
			         val);
			return -1;
		}
		o->detach_on_execve = true;
		break;
	case 'c':
		if (o->summary == 2) {
			snprintf(err, errlen, "-c and -C are mutually exclusive");
			return -1;
		}
		o->summary = 1;
		break;
	case 'C':
		if (o->summary == 1) {
			snprintf(err, errlen, "-c and -C are mutually exclusive");
			return -1;
		}
		o->summary = 2;
		break;
	case 'd':
		o->debug = true;
		break;
	case 'D':
		if (!val) {
			st->dcount++;
		} else if (strcmp(val, "grandchild") == 0) {
			st->dcount = 1;
		} else if (strcmp(val, "pgroup") == 0 || strcmp(val, "pgrp") == 0) {
			st->dcount = 2;
		} else if (strcmp(val, "session") == 0) {
			st->dcount = 3;
		} else {
			snprintf(err, errlen, "invalid --daemonize argument: '%s'", val);
			return -1;
		}
		break;
	case 'e':
		return expr_parse(o, val, err, errlen);
	case 'E':
		if (!val[0] || val[0] == '=') {
			snprintf(err, errlen, "invalid -E argument: '%s'", val);
			return -1;
		}
		if (o->nenv == TRACE_MAX_ENV) {
			snprintf(err, errlen, "too many -E options (at most %d)", TRACE_MAX_ENV);
			return -1;
		}
		o->env[o->nenv++] = val;
		break;
	case 'f':
		st->fcount++;
		break;
	case 'F':
		st->F = true;
		break;
	case O_SEPARATELY:
		o->follow_files = true;
		break;
	case 'h':
	case O_HELP:
		o->help = true;
		break;
	case 'i':
		o->iflag = st->i_given = true;
		break;
	case 'I':
		if (strcmp(val, "anywhere") == 0)
			u = 1;
		else if (strcmp(val, "waiting") == 0)
			u = 2;
		else if (strcmp(val, "never") == 0)
			u = 3;
		else if (strcmp(val, "never_tstp") == 0)
			u = 4;
		else if (parse_uint(val, 4, &u) < 0 || u < 1) {
			snprintf(err, errlen, "invalid -I argument: '%s' (1..4)", val);
			return -1;
		}
		o->interruptible = (int)u;
		break;
	case 'k':
		o->stack_traces = true;
		break;
	case 'n':
		o->nflag = st->n_given = true;
		break;
	case 'o':
		o->outfile = val;
		break;
	case 'O': {
		int64_t ns = expr_time_ns(val);
		if (ns < 0) {
			snprintf(err, errlen, "invalid -O argument: '%s'", val);
			return -1;
		}
		o->overhead_ns = (uint64_t)ns;
		st->overhead_given = true;
		break;
	}
	case 'p':
		return parse_pids(o, val, err, errlen);
	case 'P':
		if (!val[0]) {
			snprintf(err, errlen, "-P needs a path");
			return -1;
		}
		if (o->npaths == TRACE_MAX_PATHS) {
			snprintf(err, errlen, "too many -P options (at most %d)", TRACE_MAX_PATHS);
			return -1;
		}
		o->paths[o->npaths++] = val;
		break;
	case 'q':
		if (val) {
			if (expr_qualifier(o, "quiet", val, err, errlen) < 0)
				return -1;
		} else {
			st->qcount++;
		}
		o->quiet_given = true;
		break;
	case 'r':
		if (val && (p = expr_precision(val)) < 0) {
			snprintf(err, errlen, "invalid --relative-timestamps argument '%s'", val);
			return -1;
		}
		o->relative = st->r_given = true;
		if (val)
			o->rprec = p;
		break;
	case 's':
		if (parse_uint(val, 1u << 30, &u) < 0) {
			snprintf(err, errlen, "invalid -s argument: '%s'", val);
			return -1;
		}
		o->strsize = u;
		break;
	case 'S':
		if ((p = opts_sort_key(val)) < 0) {
			snprintf(err, errlen,
			         "invalid sortby: '%s' (time, min-time, max-time, "
			         "avg-time, calls, errors, name, nothing)",
			         val);
			return -1;
		}
		o->sortby = p;
		st->sortby_given = true;
		break;
	case 't':
		st->t_given = true;
		if (val)
			return opts_parse_tstamp(o, val, err, errlen);
		st->tcount++;
		o->tflag = st->tcount >= 3 ? 2 : 1;
		o->tprec = st->tcount >= 2 ? 6 : 0;
		break;
	case 'T':
		if (val && (p = expr_precision(val)) < 0) {
			snprintf(err, errlen, "invalid --syscall-times argument '%s'", val);
			return -1;
		}
		o->stimes = st->T_given = true;
		if (val)
			o->Tprec = p;
		break;
	case 'u':
		o->user = val;
		break;
	case 'U':
		st->columns_given = true;
		return opts_parse_columns(o, val, err, errlen);
	case 'v':
		o->verbose = true;
		break;
	case 'V':
	case O_VERSION:
		o->version = true;
		break;
	case 'w':
		o->wall = st->wall_given = true;
		break;
	case 'x':
		if (!val) {
			o->xflag = ++st->xcount > 1 ? 2 : 1;
		} else if (strcmp(val, "none") == 0) {
			o->xflag = 0;
		} else if (strcmp(val, "non-ascii") == 0) {
			o->xflag = 1;
		} else if (strcmp(val, "all") == 0) {
			o->xflag = 2;
		} else if (strcmp(val, "non-ascii-chars") == 0) {
			snprintf(err, errlen,
			         "--strings-in-hex=non-ascii-chars is not supported by "
			         "ptk trace (use -x or -xx)");
			return -1;
		} else {
			snprintf(err, errlen, "invalid --strings-in-hex argument: '%s'", val);
			return -1;
		}
		break;
	case 'X':
		if (strcmp(val, "abbrev") != 0) {
			snprintf(err, errlen,
			         "-X %s is not supported by ptk trace (only -X abbrev, "
			         "the default)",
			         val);
			return -1;
		}
		break;
	case 'y':
		st->y_given = true;
		if (val)
			return expr_qualifier(o, "decode-fds", strcmp(val, "all") ? val : "all",
			                      err, errlen);
		o->yflag = ++st->ycount > 1 ? 2 : 1;
		break;
	case 'Y':
		if (val && strcmp(val, "none") == 0)
			break;
		snprintf(err, errlen, "%s (command names of pids) is not supported by ptk trace",
		         name);
		return -1;
	case 'z':
	case 'Z':
		if (st->zZ && st->zZ != (c == 'z' ? 1 : 2))
			st->z_or_Z_twice = true;
		st->zZ = c == 'z' ? 1 : 2;
		o->status = c == 'z' ? ST_SUCCESSFUL : ST_FAILED;
		break;
	case O_SECCOMP:
		o->seccomp_bpf = true;
		break;
	case O_NO_SECCOMP:
		o->no_seccomp = true;
		break;
	case O_JSON:
		o->json = true;
		break;
	case O_TIMELINE:
		o->timeline = val;
		break;
	case O_STOPS:
		o->stops = true;
		break;
	case O_TIPS:
		if (val && (strcmp(val, "none") == 0 || strcmp(val, "format:none") == 0))
			break;
		snprintf(err, errlen, "--tips is not supported by ptk trace");
		return -1;
	case O_PIDNS:
	case O_SECONTEXT:
		snprintf(err, errlen, "--%s is not supported by ptk trace", name);
		return -1;
	case O_KILL_ON_EXIT:
		snprintf(err, errlen, "--kill-on-exit is not supported by ptk trace");
		return -1;
	case O_QUAL:
		return expr_qualifier(o, name, val, err, errlen);
	default:
		snprintf(err, errlen, "invalid option -%c (see `ptk trace --help`)", c);
		return -1;
	}
	return 0;
}

/* Find a long option by exact name or unique prefix. */
static const struct optdef *find_long(const char *name, size_t len, char *err, size_t errlen)
{
	const struct optdef *hit = NULL;
	int nhit = 0;
	for (size_t i = 0; i < NDEFS; i++)
		if (strncmp(defs[i].lng, name, len) == 0) {
			if (strlen(defs[i].lng) == len)
				return &defs[i];
			/* Aliases of one option (--timestamps) count once. */
			if (!hit || hit->shrt != defs[i].shrt || hit->shrt == O_QUAL)
				nhit++;
			hit = &defs[i];
		}
	if (nhit == 1)
		return hit;
	if (nhit == 0)
		snprintf(err, errlen, "unrecognized option '--%.*s' (see `ptk trace --help`)",
		         (int)len, name);
	else
		snprintf(err, errlen, "option '--%.*s' is ambiguous (see `ptk trace --help`)",
		         (int)len, name);
	return NULL;
}

static int finish(struct trace_opts *o, struct state *st, char *err, size_t errlen)
{
	if (st->fcount || st->F)
		o->follow = true;
	if (st->fcount >= 2)
		o->follow_files = true;
	if (st->F)
		warn(err, errlen, "option -F is deprecated, please use -f/--follow-forks instead");
	if (st->z_or_Z_twice)
		warn(err, errlen,
		     "only the last of -z/--successful-only/-Z/--failed-only options "
		     "takes effect; see -e status= for more complex filters");
	o->daemonize = st->dcount > 3 ? 3 : st->dcount;
	if (st->qcount)
		o->quiet = st->qcount > 3 ? 3 : st->qcount;
	if (st->qcount == 1)
		o->quiet_set |= Q_ATTACH | Q_PERSONALITY;
	else if (st->qcount == 2)
		o->quiet_set |= Q_ATTACH | Q_PERSONALITY | Q_EXIT;
	else if (st->qcount >= 3)
		o->quiet_set = Q_ALL;
	if (o->follow_files && !o->outfile)
		o->follow_files = false; /* as strace: -ff without -o is -f */
	if (o->help || o->version)
		return 0;
	if (!o->argv && !o->npids) {
		snprintf(err, errlen, "must have PROG [ARGS] or -p PID (see `ptk trace --help`)");
		return -1;
	}
	if (o->summary && o->follow_files && o->outfile) {
		snprintf(err, errlen, "-c/-C and -ff are mutually exclusive");
		return -1;
	}
	if (!o->summary && st->wall_given) {
		snprintf(err, errlen, "-w must be given with -c or -C");
		return -1;
	}
	if (!o->summary && st->columns_given) {
		snprintf(err, errlen, "-U must be given with -c or -C");
		return -1;
	}
	if (!o->summary && st->sortby_given)
		warn(err, errlen, "-S has no effect without -c or -C");
	if (!o->summary && st->overhead_given)
		warn(err, errlen, "-O has no effect without -c or -C");
	if (o->summary == 1) {
		const struct {
			bool given;
			const char *name;
		} noeff[] = {{st->T_given, "-T"}, {st->i_given, "-i"}, {st->r_given, "-r"},
		             {st->t_given, "-t"}, {st->n_given, "-n"}, {st->y_given, "-y"}};
		for (size_t i = 0; i < sizeof noeff / sizeof *noeff; i++)
			if (noeff[i].given)
				warn(err, errlen, "%s has no effect with -c", noeff[i].name);
		if (o->stack_traces)
			warn(err, errlen, "-k has no effect with -c");
	}
	if (o->json && o->summary) {
		snprintf(err, errlen, "--json and -c/-C cannot be combined");
		return -1;
	}
	if (o->daemonize && !o->argv) {
		snprintf(err, errlen, "-D needs PROG to run");
		return -1;
	}
	if (o->daemonize && o->npids) {
		snprintf(err, errlen, "-D and -p are mutually exclusive");
		return -1;
	}
	if (!o->argv && (o->user || o->nenv)) {
		snprintf(err, errlen, "%s needs PROG to run (it does not apply to -p)",
		         o->user ? "-u" : "-E");
		return -1;
	}
	if (o->outfile && o->follow_files && (o->outfile[0] == '|' || o->outfile[0] == '!')) {
		snprintf(err, errlen, "-ff cannot write to a pipe (-o %s)", o->outfile);
		return -1;
	}
	/* strace: -o FILE with a command to run implies -q. */
	if (!o->quiet_given && o->outfile && o->argv && !o->daemonize)
		o->quiet_set |= Q_ATTACH | Q_PERSONALITY;
	return 0;
}

int trace_opts_parse(int argc, char **argv, struct trace_opts *o, char *err, size_t errlen)
{
	struct state st;
	memset(o, 0, sizeof *o);
	memset(&st, 0, sizeof st);
	o->strsize = 32;
	o->tprec = 0;
	o->rprec = 6;
	o->Tprec = 6;
	o->trace_all = true;
	memset(&o->trace, 0xff, sizeof o->trace.w);
	o->trace.rest = true;
	o->signals[0] = o->signals[1] = ~0ull;
	o->status = ST_ALL;
	o->sortby = SORT_TIME;
	err[0] = 0;
	int i = 1;
	for (; i < argc; i++) {
		const char *a = argv[i];
		if (a[0] != '-' || a[1] == 0)
			break;
		if (strcmp(a, "--") == 0) {
			i++;
			break;
		}
		if (a[1] == '-') {
			const char *name = a + 2;
			const char *eq = strchr(name, '=');
			size_t len = eq ? (size_t)(eq - name) : strlen(name);
			const struct optdef *d = find_long(name, len, err, errlen);
			if (!d)
				return -1;
			const char *val = eq ? eq + 1 : NULL;
			if (d->arg == 0 && val) {
				snprintf(err, errlen, "option '--%s' takes no argument", d->lng);
				return -1;
			}
			if (d->arg == 1 && !val) {
				if (i + 1 >= argc) {
					snprintf(err, errlen, "option '--%s' needs an argument",
					         d->lng);
					return -1;
				}
				val = argv[++i];
			}
			if (apply(o, &st, d->shrt, d->lng, val, err, errlen) < 0)
				return -1;
			continue;
		}
		/* A cluster of short options: -ff, -fo FILE, -p1234. */
		for (const char *p = a + 1; *p; p++) {
			const char *val = NULL;
			if (short_arg(*p)) {
				val = p[1] ? p + 1 : (i + 1 < argc ? argv[++i] : NULL);
				if (!val) {
					snprintf(err, errlen, "option -%c needs an argument", *p);
					return -1;
				}
			}
			char name[3] = {'-', *p, 0};
			if (!strchr("aAbcCdDeEfFhiIknoOpPqrsStTuUvVwxXyYzZ", *p)) {
				snprintf(err, errlen, "invalid option -%c (see `ptk trace --help`)",
				         isprint((unsigned char)*p) ? *p : '?');
				return -1;
			}
			if (apply(o, &st, *p, name, val, err, errlen) < 0)
				return -1;
			if (val)
				break;
		}
	}
	if (i < argc)
		o->argv = argv + i;
	/* Keep the warnings apart from a final error. */
	char warnings[512];
	snprintf(warnings, sizeof warnings, "%s", err);
	err[0] = 0;
	if (finish(o, &st, err, errlen) < 0)
		return -1;
	char tail[512];
	snprintf(tail, sizeof tail, "%s", err);
	snprintf(err, errlen, "%s%s%s", warnings, warnings[0] && tail[0] ? "\n" : "", tail);
	return 0;
}
