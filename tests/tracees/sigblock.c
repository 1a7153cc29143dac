/* SPDX-License-Identifier: MIT */
/*
 * Hard case: a signal sent while blocked, delivered when unblocked.
 *
 *	sigblock
 *
 * Blocks SIGUSR1 (rt_sigprocmask), raises it, prints whether it is
 * pending and how often the handler ran (0), unblocks it with
 * rt_sigprocmask (the handler runs on the way out of that syscall), and
 * prints the count again.  Correct behaviour under a tracer: no
 * signal-delivery-stop while the signal is blocked; exactly one right
 * after the unblocking rt_sigprocmask returns; the tracer never changes
 * the mask.  Output and status as untraced:
 *	pending=1 handled=0
 *	handled=1
 */
#include "tracee.h"

#include <signal.h>

static volatile sig_atomic_t handled;

static void on_usr1(int sig)
{
	(void)sig;
	handled++;
}

int main(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_usr1;
	if (sigaction(SIGUSR1, &sa, NULL) < 0)
		die("sigaction");
	sigset_t set, pend;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		die("sigprocmask");
	raise(SIGUSR1);
	sigpending(&pend);
	say("pending=%d handled=%d\n", sigismember(&pend, SIGUSR1), (int)handled);
	if (sigprocmask(SIG_UNBLOCK, &set, NULL) < 0)
		die("sigprocmask");
	say("handled=%d\n", (int)handled);
	return handled == 1 ? 0 : 1;
}
