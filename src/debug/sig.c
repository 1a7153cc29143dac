/* SPDX-License-Identifier: MIT */
/*
 * ptk debug's own signals, and waiting without losing one.
 *
 * SIGINT, SIGTERM and SIGHUP set a flag.  A flag checked before a blocking
 * call is not enough: the handler can run between the check and the call,
 * and the call then blocks for good (a `ptk debug` stopped at a breakpoint
 * that got SIGTERM between printing its prompt and reading stdin never
 * left).  So:
 *
 * - Reading a command: the handlers also write a byte to a pipe (the
 *   self-pipe trick) and the prompt polls that pipe with stdin.
 *
 * - Waiting for the program: waitpid(2) cannot watch a pipe, and waiting
 *   without blocking (then sleeping on the pipe until SIGCHLD) costs every
 *   breakpoint hit several system calls and a signal frame.  ptk blocks in
 *   waitpid as before, and closes the gap another way.  The caller reads a
 *   generation counter before it looks at the flags; dbg_wait() marks
 *   itself waiting, then returns -EINTR if a handler ran since that read.
 *   A handler that runs once ptk is marked waiting, when waitpid may not
 *   have been entered yet, arms a timer that sends SIGALRM every 2 ms while
 *   ptk stays marked so; its handler does nothing and has no SA_RESTART, so
 *   the waitpid it lands in returns EINTR.  Nothing is spent unless a
 *   signal comes during a wait.  libptk first polls for a while before it
 *   blocks in waitpid, and a poll is not interrupted: the handler also
 *   calls ptk_wait_wake(), which ends the polling with EINTR.
 *
 * SIGPIPE and SIGTTOU get a handler that does nothing rather than SIG_IGN:
 * ignored signals stay ignored across execve(2), caught ones go back to
 * their default, so the program does not inherit ptk's choices.
 */
#include "dbg.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t interrupted, terminate, int_from_tty;
static volatile sig_atomic_t gen;     /* user signals so far */
static volatile sig_atomic_t in_wait; /* dbg_wait() may be blocked in waitpid */
static volatile sig_atomic_t kick_on; /* the SIGALRM timer runs */
static int wake_fd[2] = {-1, -1};
static timer_t kick_timer;
static bool have_timer;
static sigset_t chld_mask; /* ptk's mask with SIGCHLD open */

static void kick(bool on)
{
	struct itimerspec its;

	memset(&its, 0, sizeof(its));
	if (on) {
		its.it_value.tv_nsec = 2000000;
		its.it_interval.tv_nsec = 2000000;
	}
	/* timer_settime(2) is async-signal-safe (signal-safety(7)) */
	if (have_timer && timer_settime(kick_timer, 0, &its, NULL) == 0)
		kick_on = on;
}

static void user_signal(char c)
{
	gen++;
	if (wake_fd[1] >= 0 && write(wake_fd[1], &c, 1) < 0) {
		/* the pipe is full: a wake-up is already there; the flag is set */
	}
	if (in_wait) {
		ptk_wait_wake();
		if (!kick_on)
			kick(true);
	}
}

static void on_sigint(int sig, siginfo_t *si, void *uc)
{
	int e = errno;

	(void)sig;
	(void)uc;
	interrupted++;
	/* the terminal's Ctrl-C: the kernel sends it, to the whole foreground group */
	int_from_tty = si && si->si_code == SI_KERNEL;
	user_signal('i');
	errno = e;
}

static void on_term(int sig)
{
	int e = errno;

	terminate = sig;
	user_signal('t');
	errno = e;
}

static void on_alarm(int sig)
{
	int e = errno;

	(void)sig;
	/* interrupting the wait was all; once out of it, stop */
	if (!in_wait && kick_on)
		kick(false);
	errno = e;
}

static void on_nothing(int sig)
{
	(void)sig;
}

void dsig_init(struct dbg *d)
{
	struct sigaction sa;
	struct sigevent sev;
	sigset_t m;

	d->interrupted = &interrupted;
	d->terminate = &terminate;
	d->int_from_tty = &int_from_tty;
	/* nonblocking: handlers never block on a full pipe, draining never blocks */
	if (pipe2(wake_fd, O_CLOEXEC | O_NONBLOCK) < 0)
		wake_fd[0] = wake_fd[1] = -1;
	memset(&sev, 0, sizeof(sev));
	sev.sigev_notify = SIGEV_SIGNAL;
	sev.sigev_signo = SIGALRM;
	have_timer = timer_create(CLOCK_MONOTONIC, &sev, &kick_timer) == 0;

	sigprocmask(SIG_SETMASK, NULL, &d->orig_mask);
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sigint;
	sa.sa_flags = SA_SIGINFO; /* no SA_RESTART: a blocking call returns EINTR */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_nothing;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGPIPE, &sa, NULL);
	sigaction(SIGTTOU, &sa, NULL);

	/*
	 * SIGCHLD: caught but blocked, so a program's stops cost no signal
	 * frame; the prompt unblocks it while it sleeps (dsig_chld_mask) when
	 * libptk waits for a detached thread to stop.
	 */
	sigaction(SIGCHLD, &sa, NULL);
	sigemptyset(&m);
	sigaddset(&m, SIGCHLD);
	sigprocmask(SIG_BLOCK, &m, NULL);

	sigemptyset(&m);
	sigaddset(&m, SIGINT);
	sigaddset(&m, SIGTERM);
	sigaddset(&m, SIGHUP);
	sigaddset(&m, SIGALRM);
	sigprocmask(SIG_UNBLOCK, &m, NULL);
	sigprocmask(SIG_SETMASK, NULL, &chld_mask);
	sigdelset(&chld_mask, SIGCHLD);
}

const sigset_t *dsig_chld_mask(void)
{
	return &chld_mask;
}

int dsig_wake_fd(void)
{
	return wake_fd[0];
}

void dsig_drain(void)
{
	char junk[64];

	if (wake_fd[0] >= 0)
		while (read(wake_fd[0], junk, sizeof(junk)) > 0)
			;
}

unsigned dsig_gen(void)
{
	return (unsigned)gen;
}

int dbg_wait(struct dbg *d, struct ptk_event *ev, unsigned seen, bool poll)
{
	int r;

	if (poll) {
		/* wake up every millisecond, events or not (see dbg.h) */
		struct pollfd p = {wake_fd[0], POLLIN, 0};
		struct timespec ms = {0, 1000000};

		r = ptk_wait(d->s, ev, PTK_WAIT_NOHANG);
		if (r != -EAGAIN)
			return r;
		if (ppoll(&p, wake_fd[0] >= 0 ? 1 : 0, &ms, NULL) > 0)
			dsig_drain();
		return (unsigned)gen != seen ? -EINTR : -EAGAIN;
	}
	in_wait = 1;
	if ((unsigned)gen != seen)
		r = -EINTR; /* a signal since the caller looked at the flags */
	else
		r = ptk_wait(d->s, ev, 0);
	in_wait = 0;
	if (kick_on)
		kick(false);
	return r;
}
