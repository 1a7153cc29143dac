/* SPDX-License-Identifier: MIT */
/*
 * Golden-test tracee of the time and signal decoders
 * (tests/trace/test_decode_time.py, test_decode_signal.py): each case a
 * fixed sequence of calls with specific arguments.
 *
 *	timecalls CASE...
 *
 * Cases:
 *	clocks	 clock_getres, clock_gettime of a known, an unknown and a
 *		 CPU-time clock, clock_settime of an unreadable time,
 *		 gettimeofday, time, times, adjtimex and clock_adjtime that
 *		 only read
 *	sleeps	 nanosleep and clock_nanosleep that complete, fail (a bad
 *		 time, unknown flags) or sleep until a time already past
 *	timers	 setitimer/getitimer, timer_create (SIGEV_SIGNAL with and
 *		 without a value, SIGEV_NONE, SIGEV_THREAD_ID, an unknown
 *		 kind), timer_settime/gettime/getoverrun/delete, timerfd_*
 *	eintr	 a nanosleep interrupted by a signal with a handler: EINTR,
 *		 with the remaining time
 *	restart	 a clock_nanosleep interrupted twice by a signal without a
 *		 handler (SIGWINCH, ignored by default): the kernel resumes it
 *		 with restart_syscall both times
 *	signals	 rt_sigaction, rt_sigprocmask, sigaltstack, rt_sigpending,
 *		 rt_sigtimedwait, rt_sigqueueinfo, signalfd4, rt_sigsuspend,
 *		 kill, alarm and pause with their argument forms
 * In eintr and restart a child of the tracee sends the signals once /proc
 * shows the tracee asleep.  Prints "CASE ok" for each case and exits 0.
 */
#include "tracee.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <sys/times.h>
#include <sys/timex.h>
#include <sys/wait.h>
#include <time.h>

static void on_sig(int sig)
{
	(void)sig;
}

static void c_clocks(void)
{
	struct timespec ts;
	syscall(SYS_clock_getres, CLOCK_MONOTONIC, &ts);
	syscall(SYS_clock_getres, CLOCK_REALTIME, NULL);
	syscall(SYS_clock_gettime, CLOCK_BOOTTIME, &ts);
	syscall(SYS_clock_gettime, 99, &ts);
	syscall(SYS_clock_gettime, -6, &ts); /* the CPU clock of this process */
	syscall(SYS_clock_settime, CLOCK_REALTIME, (void *)8);
	struct timeval tv;
	struct timezone tz;
	syscall(SYS_gettimeofday, &tv, NULL);
	syscall(SYS_gettimeofday, &tv, &tz);
	syscall(SYS_time, NULL);
	struct tms tm;
	syscall(SYS_times, &tm);
	struct timex tx = {.modes = 0};
	syscall(SYS_adjtimex, &tx);
	tx.modes = ADJ_OFFSET_SS_READ;
	syscall(SYS_clock_adjtime, CLOCK_REALTIME, &tx);
	say("clocks ok\n");
}

static void c_sleeps(void)
{
	struct timespec ts = {0, 1000000}, rem, past = {0, 0};
	syscall(SYS_nanosleep, &ts, NULL);
	syscall(SYS_nanosleep, &ts, &rem);
	struct timespec bad = {0, -1};
	syscall(SYS_nanosleep, &bad, &rem);
	syscall(SYS_nanosleep, (void *)8, &rem);
	syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &ts, &rem);
	syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, TIMER_ABSTIME, &past, NULL);
	syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 2, &ts, NULL);
	say("sleeps ok\n");
}

static void c_timers(void)
{
	struct itimerval it = {{0, 0}, {5, 500000}}, old;
	syscall(SYS_setitimer, ITIMER_REAL, &it, &old);
	it.it_value.tv_sec = 0;
	it.it_value.tv_usec = 0;
	syscall(SYS_setitimer, ITIMER_REAL, &it, NULL);
	syscall(SYS_getitimer, ITIMER_PROF, &old);
	syscall(SYS_getitimer, 5, &old);
	int id;
	struct sigevent sev;
	memset(&sev, 0, sizeof sev);
	sev.sigev_notify = SIGEV_SIGNAL;
	sev.sigev_signo = SIGUSR1;
	syscall(SYS_timer_create, CLOCK_MONOTONIC, &sev, &id);
	sev.sigev_value.sival_int = 7;
	sev.sigev_signo = SIGRTMIN;
	syscall(SYS_timer_create, CLOCK_REALTIME, &sev, &id);
	sev.sigev_notify = SIGEV_NONE;
	syscall(SYS_timer_create, CLOCK_REALTIME, &sev, &id);
	sev.sigev_notify = 9;
	syscall(SYS_timer_create, CLOCK_REALTIME, &sev, &id);
	syscall(SYS_timer_create, CLOCK_REALTIME, NULL, &id);
	struct itimerspec its = {{0, 0}, {30, 0}}, oits;
	syscall(SYS_timer_settime, 0, 0, &its, &oits);
	struct itimerspec far = {{0, 0}, {2000000000, 0}};
	syscall(SYS_timer_settime, 0, TIMER_ABSTIME, &far, NULL);
	syscall(SYS_timer_settime, 77, 0, &its, NULL);
	syscall(SYS_timer_getoverrun, 0);
	syscall(SYS_timer_delete, 0);
	syscall(SYS_timer_delete, 77);
	int tfd = (int)syscall(SYS_timerfd_create, CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	its.it_interval.tv_nsec = 5;
	syscall(SYS_timerfd_settime, tfd, 0, &its, &oits);
	syscall(SYS_timerfd_gettime, 99, &oits);
	syscall(SYS_timerfd_create, 99, 4);
	close(tfd);
	say("timers ok\n");
}

/* Is pid in syscall nr (one of them: 230 clock_nanosleep, 35 nanosleep,
 * 219 restart_syscall)?  /proc/PID/syscall starts with the number. */
static bool in_syscall(pid_t pid, int nr)
{
	char path[64], buf[64];
	snprintf(path, sizeof path, "/proc/%d/syscall", pid);
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return false;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = 0;
	return atoi(buf) == nr && buf[0] != '-';
}

/*
 * A child that sends sig to the parent once it sits in syscall nr, and
 * then, if again, once it sits in nr_again (restart_syscall: only after
 * the first signal interrupted the sleep).
 */
static pid_t nudger(int nr, int sig, bool again, int nr_again)
{
	pid_t parent = getpid(), p = fork();
	if (p < 0)
		die("fork");
	if (p)
		return p;
	for (int k = 0; k < (again ? 2 : 1); k++) {
		int want = k ? nr_again : nr;
		for (int i = 0; i < 100000 && !in_syscall(parent, want); i++)
			usleep(100);
		kill(parent, sig);
	}
	_exit(0);
}

static void c_eintr(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_sig;
	sigaction(SIGUSR1, &sa, NULL);
	pid_t p = nudger(35, SIGUSR1, false, 0);
	struct timespec ts = {20, 0}, rem;
	syscall(SYS_nanosleep, &ts, &rem);
	int st;
	while (waitpid(p, &st, 0) < 0 && errno == EINTR)
		;
	say("eintr ok\n");
}

static void c_restart(void)
{
	/* Block SIGCHLD so that the nudger's end does not interrupt the sleep. */
	sigset_t m;
	sigemptyset(&m);
	sigaddset(&m, SIGCHLD);
	sigprocmask(SIG_BLOCK, &m, NULL);
	pid_t p = nudger(230, SIGWINCH, true, 219);
	struct timespec ts = {2, 0};
	syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &ts, NULL);
	int st;
	waitpid(p, &st, 0);
	say("restart ok\n");
}

static void c_signals(void)
{
	struct sigaction sa, old;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_sig;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGINT);
	sigaddset(&sa.sa_mask, SIGRTMIN);
	sa.sa_flags = SA_RESTART;
	sigaction(SIGUSR1, &sa, &old);
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER | SA_RESETHAND;
	sigaction(SIGUSR2, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sa.sa_flags = 0;
	sigfillset(&sa.sa_mask);
	sigaction(SIGPIPE, &sa, NULL);
	syscall(SYS_rt_sigaction, SIGTERM, NULL, &old, 8);
	struct {
		void *h;
		unsigned long flags;
		void *restorer;
		unsigned long mask;
	} k = {(void *)on_sig, 0x3, (void *)0x1, 0};
	syscall(SYS_rt_sigaction, SIGHUP, &k, NULL, 8);
	k.flags = 0x4000c00;
	syscall(SYS_rt_sigaction, SIGHUP, &k, NULL, 8);
	syscall(SYS_rt_sigaction, SIGHUP, (void *)8, NULL, 8);
	sigset_t m, o;
	sigemptyset(&m);
	sigaddset(&m, SIGCHLD);
	sigaddset(&m, SIGALRM);
	sigprocmask(SIG_BLOCK, &m, &o);
	sigfillset(&m);
	sigdelset(&m, SIGRTMIN);
	syscall(SYS_rt_sigprocmask, SIG_SETMASK, &m, NULL, 8);
	sigemptyset(&m);
	syscall(SYS_rt_sigprocmask, SIG_SETMASK, &m, &o, 8);
	syscall(SYS_rt_sigprocmask, 5, &m, NULL, 8);
	syscall(SYS_rt_sigprocmask, SIG_BLOCK, &m, NULL, 16);
	stack_t ss = {.ss_sp = (void *)0x10000, .ss_size = 65536}, os;
	sigaltstack(&ss, &os);
	sigaltstack(NULL, &os);
	ss.ss_flags = SS_DISABLE;
	sigaltstack(&ss, NULL);
	syscall(SYS_rt_sigpending, &m, 8);
	sigset_t w;
	sigemptyset(&w);
	sigaddset(&w, SIGUSR2);
	sigprocmask(SIG_BLOCK, &w, NULL);
	kill(getpid(), SIGUSR2);
	siginfo_t si;
	struct timespec ts = {1, 0}, zero = {0, 0};
	sigtimedwait(&w, &si, &ts);
	sigtimedwait(&w, &si, &zero);
	sigtimedwait(&w, NULL, &zero);
	siginfo_t q;
	memset(&q, 0, sizeof q);
	q.si_signo = SIGUSR2;
	q.si_code = SI_QUEUE;
	q.si_pid = getpid();
	q.si_uid = getuid();
	q.si_value.sival_int = 42;
	syscall(SYS_rt_sigqueueinfo, getpid(), SIGUSR2, &q);
	sigtimedwait(&w, &si, NULL);
	int sfd = signalfd(-1, &w, SFD_CLOEXEC | SFD_NONBLOCK);
	close(sfd);
	syscall(SYS_rt_sigsuspend, (void *)8, 8);
	kill(getpid(), 0);
	kill(999999, 77);
	alarm(5);
	alarm(0);
	sigprocmask(SIG_UNBLOCK, &w, NULL);
	say("signals ok\n");
}

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "clocks") == 0)
			c_clocks();
		else if (strcmp(argv[i], "sleeps") == 0)
			c_sleeps();
		else if (strcmp(argv[i], "timers") == 0)
			c_timers();
		else if (strcmp(argv[i], "eintr") == 0)
			c_eintr();
		else if (strcmp(argv[i], "restart") == 0)
			c_restart();
		else if (strcmp(argv[i], "signals") == 0)
			c_signals();
		else
			return 2;
	}
	return 0;
}
