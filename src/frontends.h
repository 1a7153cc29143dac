/* SPDX-License-Identifier: MIT */
/* The front ends behind `ptk <command>`: each returns the process exit status. */
#ifndef PTK_FRONTENDS_H
#define PTK_FRONTENDS_H

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include <ptk/ptk.h>

int trace_main(int argc, char **argv);
void trace_usage(FILE *f);
int debug_main(int argc, char **argv);
void debug_usage(FILE *f);
int gdbserver_main(int argc, char **argv);
void gdbserver_usage(FILE *f);

/*
 * The signals this process was started with ignored, before a front end
 * installs its handlers: the programs it starts get the same (a program
 * run under `nohup ptk ...` ignores SIGHUP as it would alone).
 */
static inline void startup_ignored(sigset_t *set)
{
	sigemptyset(set);
	for (int sig = 1; sig < NSIG; sig++) {
		struct sigaction sa;
		if (sigaction(sig, NULL, &sa) == 0 && !(sa.sa_flags & SA_SIGINFO) &&
		    sa.sa_handler == SIG_IGN)
			sigaddset(set, sig);
	}
}

/*
 * Turn on libptk's polling before sleeping (ptk_set_wait_spin()) for the
 * front ends, whose signal handlers call ptk_wait_wake().  PTK_WAIT_SPIN=US
 * (0 to 10000; 0 never polls) overrides the time, a benchmark knob to
 * measure what polling buys; other values leave the default.
 */
static inline void wait_spin_setup(struct ptk_session *s)
{
	unsigned us = PTK_WAIT_SPIN_DEFAULT_US;
	const char *e = getenv("PTK_WAIT_SPIN");
	if (e && *e) {
		char *end;
		unsigned long v = strtoul(e, &end, 10);
		if (!*end && *e >= '0' && *e <= '9' && v <= 10000)
			us = (unsigned)v;
	}
	ptk_set_wait_spin(s, us);
}

#endif
