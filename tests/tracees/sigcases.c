/* SPDX-License-Identifier: MIT */
/*
 * Golden-test tracee of the signal decoders (tests/trace/test_decode_signal.py):
 * one signal of each kind the kernel and programs produce, each in a child
 * of its own so that a fatal one ends only that child.
 *
 *	sigcases [CASE...]	(default: every case but core, in the order below)
 *
 * Cases: segv (SEGV_MAPERR at address 0x10), segv_acc (SEGV_ACCERR on a
 * read-only page), int3 (SIGTRAP, SI_KERNEL), fpe (FPE_INTDIV), ill
 * (ILL_ILLOPN from ud2), bus (BUS_ADRERR past the end of a file mapping),
 * abort (SIGABRT, SI_TKILL, killed without a core: RLIMIT_CORE 0), core
 * (SIGSEGV with RLIMIT_CORE unlimited: killed, core dumped into the current
 * directory when /proc/sys/kernel/core_pattern is a file name), sys (SIGSYS from a seccomp
 *SECCOMP_RET_TRAP of getppid with errno 7), poll (SIGIO from an O_ASYNC pipe: POLL_IN), queue
 *(sigqueue with value 42), queue_ptr (rt_sigqueueinfo with a pointer value), timer (SI_TIMER of a
 *POSIX timer with value 7), alarm (SIGALRM, SI_KERNEL, default action: killed), user (kill:
 *SI_USER), tkill (tgkill: SI_TKILL), chld (children that exit 3, are killed by SIGTERM, stop and
 *continue: CLD_EXITED, CLD_KILLED, CLD_STOPPED, CLD_CONTINUED).
 *
 * Each child prints "CASE\n" first; the parent prints "done\n" and exits 0.
 */
#include "tracee.h"

#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

static volatile sig_atomic_t hits;

static void on_sig(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)si;
	(void)uc;
	hits++;
}

static void handle(int sig)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_sig;
	sa.sa_flags = SA_SIGINFO;
	if (sigaction(sig, &sa, NULL) < 0)
		die("sigaction");
}

static void wait_for(int sig)
{
	sigset_t none;
	sigemptyset(&none);
	(void)sig;
	while (!hits)
		sigsuspend(&none);
}

static void c_segv(void)
{
	int *volatile p = (int *)0x10;
	*p = 1;
}

static void c_segv_acc(void)
{
	char *p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		die("mmap");
	*(volatile char *)p = 1;
}

static void c_int3(void)
{
	handle(SIGTRAP);
	__asm__ volatile("int3");
}

static void c_fpe(void)
{
	volatile int z = 0;
	volatile int r = 7 / z;
	(void)r;
}

static void c_ill(void)
{
	__asm__ volatile("ud2");
}

static void c_bus(void)
{
	char path[] = "/tmp/ptk-sigcases-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0)
		die("mkstemp");
	unlink(path);
	char *p = mmap(NULL, 8192, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED)
		die("mmap");
	(void)*(volatile char *)(p + 4096);
}

static void c_abort(void)
{
	struct rlimit rl = {0, 0};
	setrlimit(RLIMIT_CORE, &rl);
	abort();
}

static void c_core(void)
{
	struct rlimit rl = {RLIM_INFINITY, RLIM_INFINITY};
	if (setrlimit(RLIMIT_CORE, &rl) < 0)
		die("setrlimit");
	int *volatile p = (int *)0x20;
	*p = 1;
}

static void c_sys(void)
{
	struct sock_filter f[] = {
	        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
	        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getppid, 0, 1),
	        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRAP | 7),
	        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = {sizeof f / sizeof *f, f};
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0)
		die("seccomp");
	handle(SIGSYS);
	syscall(SYS_getppid);
}

static void c_poll(void)
{
	int p[2];
	if (pipe(p) < 0)
		die("pipe");
	handle(SIGIO);
	if (fcntl(p[0], F_SETOWN, getpid()) < 0 ||
	    fcntl(p[0], F_SETFL, fcntl(p[0], F_GETFL) | O_ASYNC) < 0 ||
	    fcntl(p[0], F_SETSIG, SIGIO) < 0)
		die("fcntl");
	if (write(p[1], "x", 1) != 1)
		die("write");
	wait_for(SIGIO);
}

static void c_queue(void)
{
	handle(SIGUSR1);
	union sigval v = {.sival_int = 42};
	if (sigqueue(getpid(), SIGUSR1, v) < 0)
		die("sigqueue");
}

static void c_queue_ptr(void)
{
	handle(SIGUSR2);
	siginfo_t si;
	memset(&si, 0, sizeof si);
	si.si_signo = SIGUSR2;
	si.si_code = SI_QUEUE;
	si.si_pid = getpid();
	si.si_uid = getuid();
	si.si_value.sival_ptr = (void *)0x1234;
	if (syscall(SYS_rt_sigqueueinfo, getpid(), SIGUSR2, &si) < 0)
		die("rt_sigqueueinfo");
}

static void c_timer(void)
{
	sigset_t m;
	sigemptyset(&m);
	sigaddset(&m, SIGRTMIN);
	sigprocmask(SIG_BLOCK, &m, NULL);
	handle(SIGRTMIN);
	struct sigevent sev;
	memset(&sev, 0, sizeof sev);
	sev.sigev_notify = SIGEV_SIGNAL;
	sev.sigev_signo = SIGRTMIN;
	sev.sigev_value.sival_int = 7;
	timer_t t;
	if (timer_create(CLOCK_MONOTONIC, &sev, &t) < 0)
		die("timer_create");
	struct itimerspec its = {{0, 0}, {0, 1000000}};
	if (timer_settime(t, 0, &its, NULL) < 0)
		die("timer_settime");
	sigset_t none;
	sigemptyset(&none);
	while (!hits)
		sigsuspend(&none);
}

static void c_alarm(void)
{
	alarm(1);
	pause();
}

static void c_user(void)
{
	handle(SIGHUP);
	kill(getpid(), SIGHUP);
}

static void c_tkill(void)
{
	handle(SIGWINCH);
	syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), SIGWINCH);
}

/* Is pid blocked in read(2)?  /proc/PID/syscall starts with "0 ". */
static bool in_read(pid_t pid)
{
	char path[64], buf[64];
	snprintf(path, sizeof path, "/proc/%d/syscall", pid);
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return false;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	return n >= 2 && buf[0] == '0' && buf[1] == ' ';
}

static void c_chld(void)
{
	int st, go[2];
	pid_t p = fork();
	if (p == 0)
		_exit(3);
	waitpid(p, &st, 0);
	/* Killed while blocked in read: kill it once /proc says it is there. */
	int never[2];
	if (pipe(never) < 0)
		die("pipe");
	p = fork();
	if (p == 0) {
		char c;
		if (read(never[0], &c, 1) < 0)
			_exit(1);
		_exit(0);
	}
	while (!in_read(p))
		usleep(1000);
	kill(p, SIGTERM);
	waitpid(p, &st, 0);
	/* Stopped, continued, and told to exit only after the parent saw it
	 * continue, so that each wait returns the state it waits for. */
	if (pipe(go) < 0)
		die("pipe");
	p = fork();
	if (p == 0) {
		char c;
		raise(SIGSTOP);
		if (read(go[0], &c, 1) != 1)
			_exit(1);
		_exit(0);
	}
	waitpid(p, &st, WUNTRACED);
	kill(p, SIGCONT);
	waitpid(p, &st, WCONTINUED);
	if (write(go[1], "x", 1) != 1)
		die("write");
	waitpid(p, &st, 0);
}

static const struct {
	const char *name;
	void (*fn)(void);
} cases[] = {
        {"segv", c_segv},   {"segv_acc", c_segv_acc}, {"int3", c_int3},
        {"fpe", c_fpe},     {"ill", c_ill},           {"bus", c_bus},
        {"abort", c_abort}, {"core", c_core},         {"sys", c_sys},
        {"poll", c_poll},   {"queue", c_queue},       {"queue_ptr", c_queue_ptr},
        {"timer", c_timer}, {"alarm", c_alarm},       {"user", c_user},
        {"tkill", c_tkill}, {"chld", c_chld},
};

static void run(const char *name)
{
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		if (strcmp(cases[i].name, name) != 0)
			continue;
		pid_t p = fork();
		if (p < 0)
			die("fork");
		if (p == 0) {
			say("%s\n", name);
			cases[i].fn();
			_exit(0);
		}
		int st;
		while (waitpid(p, &st, 0) < 0)
			if (errno != EINTR)
				die("waitpid");
		return;
	}
	say_fd(2, "sigcases: no case %s\n", name);
	_exit(2);
}

int main(int argc, char **argv)
{
	if (argc > 1)
		for (int i = 1; i < argc; i++)
			run(argv[i]);
	else
		for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
			if (strcmp(cases[i].name, "core") != 0)
				run(cases[i].name);
	say("done\n");
	return 0;
}
