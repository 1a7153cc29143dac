/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: ptk trace's command line (src/trace/opts.c, expr.c).
 * The input is an argument vector, one argument per line.  Invariants: a
 * failure has a non-empty one-line message; a success leaves options in
 * their ranges (pids > 0 and unique, -s within bounds, sets of known
 * statuses, a program or a pid, ...) and warnings one per line; parsing
 * the same vector twice gives the same result.
 */
#include "trace.h"

#include <stdlib.h>
#include <string.h>

#define MAXARGS 64

static struct trace_opts a, b;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 4096)
		return 0;
	char *buf = malloc(size + 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = 0;
	char *argv[MAXARGS + 2];
	int argc = 0;
	argv[argc++] = "trace";
	for (char *p = buf; argc < MAXARGS;) {
		argv[argc++] = p;
		char *nl = memchr(p, '\n', (size_t)(buf + size - p));
		if (!nl)
			break;
		*nl = 0;
		p = nl + 1;
	}
	argv[argc] = NULL;
	char ea[1024], eb[1024];
	int ra = trace_opts_parse(argc, argv, &a, ea, sizeof ea);
	int rb = trace_opts_parse(argc, argv, &b, eb, sizeof eb);
	if (ra != rb || strcmp(ea, eb) != 0 || memcmp(&a, &b, sizeof a) != 0)
		abort();
	if (ra < 0) {
		if (!ea[0] || strchr(ea, '\n'))
			abort();
		free(buf);
		return 0;
	}
	if (ra != 0)
		abort();
	if (!a.help && !a.version && !a.argv && !a.npids)
		abort();
	if (a.npids < 0 || a.npids > TRACE_MAX_PIDS || a.npaths > TRACE_MAX_PATHS ||
	    a.nenv > TRACE_MAX_ENV || a.ninj > TRACE_MAX_INJECT || a.ncolumns > MAX_COLUMNS)
		abort();
	for (int i = 0; i < a.npids; i++) {
		if (a.pids[i] <= 0)
			abort();
		for (int k = 0; k < i; k++)
			if (a.pids[k] == a.pids[i])
				abort();
	}
	if (a.strsize > (1u << 30) || a.xflag < 0 || a.xflag > 2 || a.yflag < 0 || a.yflag > 2 ||
	    a.tflag < 0 || a.tflag > 2 || a.tprec < 0 || a.tprec > 9 || a.rprec < 0 ||
	    a.rprec > 9 || a.Tprec < 0 || a.Tprec > 9 || a.daemonize < 0 || a.daemonize > 3 ||
	    a.interruptible < 0 || a.interruptible > 4 || a.summary < 0 || a.summary > 2)
		abort();
	if (a.status & ~(unsigned)ST_ALL || a.quiet_set & ~(unsigned)Q_ALL)
		abort();
	if (a.syscall_time || a.print_nr) /* decode.c's: ptk never sets them */
		abort();
	if (a.follow_files && !a.outfile)
		abort();
	for (int i = 0; i < a.ninj; i++) {
		const struct inject_spec *sp = &a.inj[i];
		if (!sp->what || sp->first < 1 || sp->step < 1 || sp->last < sp->first ||
		    ((sp->what & INJ_ERROR) && (sp->error < 1 || sp->error > 4095)) ||
		    ((sp->what & INJ_ERROR) && (sp->what & INJ_RETVAL)))
			abort();
	}
	for (int ab = 0; ab < ABI_N; ab++)
		for (int nr = 0; nr < SC_BITS; nr++)
			if (a.inj_of[ab][nr] > a.ninj ||
			    (a.inj_of[ab][nr] != 0) != sc_set_has(&a.inj_set, ab, nr))
				abort();
	free(buf);
	return 0;
}
