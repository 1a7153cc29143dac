/* SPDX-License-Identifier: MIT */
/*
 * Hard case: a program with its own SIGTSTP handler (editors and shells
 * have one; strace#96: under trace it must still run).
 *
 *	sigtstp
 *
 * Installs a SIGTSTP handler that counts, raises SIGTSTP twice, and
 * prints the count.  With a handler, SIGTSTP does not stop the process.
 * Correct behaviour under a tracer: two signal-delivery-stops for
 * SIGTSTP, no group-stop, the handler runs both times.  Output and status
 * as untraced:
 *	tstp handled=2
 */
#include "tracee.h"

#include <signal.h>

static volatile sig_atomic_t handled;

static void on_tstp(int sig)
{
	(void)sig;
	handled++;
}

int main(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_tstp;
	if (sigaction(SIGTSTP, &sa, NULL) < 0)
		die("sigaction");
	raise(SIGTSTP);
	raise(SIGTSTP);
	say("tstp handled=%d\n", (int)handled);
	return handled == 2 ? 0 : 1;
}
