/* SPDX-License-Identifier: MIT */
/*
 * The "program using signals and timers" of the strace compatibility test
 * (tests/trace/test_compat.py): handlers installed with sigaction, a
 * signal sent to itself, a blocked signal collected with sigtimedwait, an
 * interval timer and a POSIX timer each delivering a signal to a handler
 * while the program waits in sigsuspend.
 *
 *	compat_signals
 *
 * Every signal arrives while the program waits for exactly that signal,
 * so the sequence of system calls is the same in every run.  Prints
 * "usr1=1 alrm=1 timer=1 waited=SIGUSR2\n" and exits 0.
 */
#include "tracee.h"

#include <signal.h>
#include <sys/time.h>
#include <time.h>

static volatile sig_atomic_t usr1, alrm, rt;

static void on_usr1(int sig)
{
	(void)sig;
	usr1++;
}

static void on_alrm(int sig)
{
	(void)sig;
	alrm++;
}

static void on_rt(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)si;
	(void)uc;
	rt++;
}

int main(void)
{
	struct sigaction sa = {0};
	sa.sa_handler = on_usr1;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	if (sigaction(SIGUSR1, &sa, NULL) < 0)
		die("sigaction");
	sa.sa_handler = on_alrm;
	sa.sa_flags = 0;
	sigaddset(&sa.sa_mask, SIGUSR1);
	if (sigaction(SIGALRM, &sa, NULL) < 0)
		die("sigaction");
	sa.sa_sigaction = on_rt;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGRTMIN, &sa, NULL) < 0)
		die("sigaction");

	/* Block the signals, then wait for each in sigsuspend. */
	sigset_t block, old, waitmask;
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigaddset(&block, SIGUSR2);
	sigaddset(&block, SIGALRM);
	sigaddset(&block, SIGRTMIN);
	if (sigprocmask(SIG_BLOCK, &block, &old) < 0)
		die("sigprocmask");

	kill(getpid(), SIGUSR1);
	waitmask = old;
	sigsuspend(&waitmask);

	struct itimerval it = {{0, 0}, {0, 20000}};
	if (setitimer(ITIMER_REAL, &it, NULL) < 0)
		die("setitimer");
	sigsuspend(&waitmask);

	struct sigevent sev = {0};
	sev.sigev_notify = SIGEV_SIGNAL;
	sev.sigev_signo = SIGRTMIN;
	sev.sigev_value.sival_int = 42;
	timer_t tid;
	if (timer_create(CLOCK_MONOTONIC, &sev, &tid) < 0)
		die("timer_create");
	struct itimerspec its = {{0, 0}, {0, 20 * 1000 * 1000}};
	if (timer_settime(tid, 0, &its, NULL) < 0)
		die("timer_settime");
	sigsuspend(&waitmask);
	timer_delete(tid);

	raise(SIGUSR2);
	sigset_t w;
	sigemptyset(&w);
	sigaddset(&w, SIGUSR2);
	struct timespec ts = {1, 0};
	int got = sigtimedwait(&w, NULL, &ts);
	say("usr1=%d alrm=%d timer=%d waited=%s\n", (int)usr1, (int)alrm, (int)rt,
	    got == SIGUSR2 ? "SIGUSR2" : "?");
	return 0;
}
