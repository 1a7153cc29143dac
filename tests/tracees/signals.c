/* SPDX-License-Identifier: MIT */
/*
 * Hard case: signal suppression and injection by the tracer.
 *
 *	signals
 *
 * Handlers for SIGUSR1 and SIGUSR2 print "got USR1" / "got USR2"; the
 * program raises SIGUSR1 twice and prints "done".  Untraced (and under a
 * tracer that passes signals on):
 *	got USR1
 *	got USR1
 *	done
 * A tracer may suppress a signal at its signal-delivery-stop (its line is
 * missing) or inject another one there (that one's handler runs).
 */
#include "tracee.h"

#include <signal.h>

static void on_sig(int sig)
{
	const char *m = sig == SIGUSR1   ? "got USR1\n"
	                : sig == SIGUSR2 ? "got USR2\n"
	                                 : "got other\n";
	ssize_t w = write(1, m, strlen(m));
	(void)w;
}

int main(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_sig;
	if (sigaction(SIGUSR1, &sa, NULL) < 0 || sigaction(SIGUSR2, &sa, NULL) < 0)
		die("sigaction");
	raise(SIGUSR1);
	raise(SIGUSR1);
	say("done\n");
	return 0;
}
