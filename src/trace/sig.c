/* SPDX-License-Identifier: MIT */
/*
 * ptk trace's own signals: SIGINT, SIGTERM, SIGHUP (and the rest of
 * strace's fatal set) as -I allows, a timer that wakes the loop for
 * delayed tracees and the grace period, and dying of a tracee's signal.
 */
#include "trace.h"

#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>

int64_t now_ns(clockid_t clk);
void install_handlers(struct trace *t);
void arm_timer(int64_t deadline);
void reraise(int sig);

volatile sig_atomic_t got_signal, signals_got, alarm_hit;

/* Re-arm a short timer: a signal that came just before the wait started
 * still interrupts it (the loop disarms the timer when it has looked). */
static void poke_soon(void)
{
	struct itimerval it = {{0, 0}, {0, 5000}};
	setitimer(ITIMER_REAL, &it, NULL);
}

static void on_signal(int sig)
{
	got_signal = sig;
	signals_got++;
	ptk_wait_wake(); /* libptk polls before it sleeps: end the polling */
	poke_soon();
}

static void on_alarm(int sig)
{
	(void)sig;
	alarm_hit = 1;
	ptk_wait_wake();
	poke_soon();
}

void arm_timer(int64_t deadline)
{
	struct itimerval it = {{0, 0}, {0, 0}};
	if (deadline) {
		int64_t d = deadline - now_ns(CLOCK_MONOTONIC);
		if (d < 1000)
			d = 1000;
		it.it_value.tv_sec = d / 1000000000;
		it.it_value.tv_usec = d % 1000000000 / 1000;
		if (!it.it_value.tv_sec && !it.it_value.tv_usec)
			it.it_value.tv_usec = 1;
	}
	setitimer(ITIMER_REAL, &it, NULL);
}

/* The signals strace calls fatal; -I decides whether they stop ptk. */
static const int fatal_sigs[] = {SIGHUP, SIGINT, SIGQUIT, SIGPIPE, SIGTERM};

void install_handlers(struct trace *t)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: the blocking wait must return EINTR. */
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	int level = t->o.interruptible;
	if (!level)
		level = t->o.daemonize ? 4 : t->o.outfile && t->o.argv ? 3 : 2;
	sigset_t block;
	sigemptyset(&block);
	sa.sa_handler = on_signal;
	for (size_t i = 0; i < sizeof fatal_sigs / sizeof *fatal_sigs; i++) {
		if (level >= 3)
			sigaddset(&block, fatal_sigs[i]);
		else
			sigaction(fatal_sigs[i], &sa, NULL);
	}
	if (level >= 4)
		sigaddset(&block, SIGTSTP);
	sigprocmask(SIG_BLOCK, &block, NULL);
}

/* Die of the signal that killed the traced program, as strace does. */
void reraise(int sig)
{
	struct rlimit no_core = {0, 0};
	setrlimit(RLIMIT_CORE, &no_core);
	signal(sig, SIG_DFL);
	sigset_t m;
	sigemptyset(&m);
	sigaddset(&m, sig);
	sigprocmask(SIG_UNBLOCK, &m, NULL);
	raise(sig);
}
