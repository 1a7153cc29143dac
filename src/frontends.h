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
 * A benchmark knob: PTK_WAIT_SPIN=US sets how long ptk's blocking waits
 * poll before sleeping (ptk_set_wait_spin(); 0 never polls), to measure
 * what the polling buys.
 */
static inline void wait_spin_from_env(struct ptk_session *s)
{
	const char *e = getenv("PTK_WAIT_SPIN");
	if (e && *e)
		ptk_set_wait_spin(s, (unsigned)strtoul(e, NULL, 10));
}

#endif
