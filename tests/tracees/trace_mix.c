/* SPDX-License-Identifier: MIT */
/*
 * A tracee for ptk trace's option tests: small scenarios whose effects a
 * test can read from stdout.
 *
 *	trace_mix calls N        N getppid() calls: "R errno" per call
 *	trace_mix open PATH...   open(PATH) then close: "fd" or "-1 ENAME" per path
 *	trace_mix usr1 N         count SIGUSR1 deliveries over N getppid() calls
 *	trace_mix ready SECS     print "ready PID", then sleep SECS (kill it)
 *	trace_mix int_handler [MS]  print "ready PID", wait for SIGINT, print "got INT";
 *	                         with MS, sleep MS ms and print "done"; exit 3
 *	trace_mix vfork_sleep    print "ready PID"; a vfork child that ignores INT/TERM/HUP
 *	                         sleeps 20 s (the parent sleeps in D state), then exits
 *	trace_mix fork N         N children, child i calls getppid and exits with i
 *	trace_mix bytes          write() of every byte value 0..255 and odd quotes to
 *	                         /dev/null, then open() of a path with invalid UTF-8
 *	trace_mix threads N      N threads each call getppid once; print "threads N"
 *	trace_mix sig SIG        raise SIG (by number) against itself
 *	trace_mix naps N         N times: getppid(), then a 20 ms nanosleep (raw
 *	                         syscalls); print "naps N"
 */
#include "tracee.h"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

static volatile sig_atomic_t usr1, got_int;

static void on_usr1(int sig)
{
	(void)sig;
	usr1++;
}

static void on_int(int sig)
{
	(void)sig;
	got_int = 1;
}

static void *thread_fn(void *arg)
{
	syscall(SYS_getppid);
	return arg;
}

/* The parent's pid without a getppid() call (the calls are what is counted). */
static long ppid_of_self(void)
{
	char buf[4096];
	int fd = open("/proc/self/status", O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof buf - 1) : -1;
	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	const char *p = strstr(buf, "\nPPid:");
	return p ? atol(p + 7) : -1;
}

static void sleep_s(int secs)
{
	struct timespec ts = {secs, 0};
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";
	int n = argc > 2 ? atoi(argv[2]) : 0;
	if (strcmp(cmd, "calls") == 0) {
		long ppid = ppid_of_self();
		for (int i = 0; i < n; i++) {
			errno = 0;
			long r = syscall(SYS_getppid);
			if (r == ppid)
				say("ppid\n");
			else if (r < 0)
				say("-1 %s\n", errname(errno));
			else
				say("%ld\n", r);
		}
	} else if (strcmp(cmd, "open") == 0) {
		for (int i = 2; i < argc; i++) {
			int fd = open(argv[i], O_RDONLY);
			if (fd < 0) {
				say("-1 %s\n", errname(errno));
			} else {
				say("%d\n", fd);
				close(fd);
			}
		}
	} else if (strcmp(cmd, "usr1") == 0) {
		signal(SIGUSR1, on_usr1);
		for (int i = 0; i < n; i++)
			syscall(SYS_getppid);
		say("usr1 %d\n", (int)usr1);
	} else if (strcmp(cmd, "ready") == 0) {
		say("ready %d\n", (int)getpid());
		sleep_s(n);
	} else if (strcmp(cmd, "int_handler") == 0) {
		/*
		 * SIGINT stays blocked outside sigsuspend(): a SIGINT handled
		 * between the test of got_int and a pause() would leave the
		 * program asleep for good (seen under ASan, where ptk's
		 * SIGCONT+SIGINT came right after the "ready" write).
		 */
		struct sigaction sa = {.sa_handler = on_int};
		sigaction(SIGINT, &sa, NULL);
		sigset_t blocked, during;
		sigemptyset(&blocked);
		sigaddset(&blocked, SIGINT);
		sigprocmask(SIG_BLOCK, &blocked, &during);
		sigdelset(&during, SIGINT);
		say("ready %d\n", (int)getpid());
		while (!got_int)
			sigsuspend(&during);
		say("got INT\n");
		if (n > 0) {
			struct timespec ts = {n / 1000, n % 1000 * 1000000L};
			nanosleep(&ts, NULL);
			say("done\n");
		}
		return 3;
	} else if (strcmp(cmd, "vfork_sleep") == 0) {
		say("ready %d\n", (int)getpid());
		pid_t pid = vfork();
		if (pid == 0) {
			signal(SIGINT, SIG_IGN);
			signal(SIGTERM, SIG_IGN);
			signal(SIGHUP, SIG_IGN);
			struct timespec ts = {20, 0};
			nanosleep(&ts, NULL);
			_exit(0);
		}
		if (pid < 0)
			die("vfork");
		int st;
		waitpid(pid, &st, 0);
		say("child done\n");
	} else if (strcmp(cmd, "fork") == 0) {
		for (int i = 0; i < n; i++) {
			pid_t pid = fork();
			if (pid == 0) {
				syscall(SYS_getppid);
				_exit(i);
			}
			if (pid < 0)
				die("fork");
			int st;
			waitpid(pid, &st, 0);
			say("child %d exited %d\n", i, WEXITSTATUS(st));
		}
	} else if (strcmp(cmd, "bytes") == 0) {
		int fd = open("/dev/null", O_WRONLY);
		unsigned char all[256];
		for (int i = 0; i < 256; i++)
			all[i] = (unsigned char)i;
		if (write(fd, all, sizeof all) < 0)
			die("write");
		static const char odd[] = "\"quoted\" \\back\\ \xe2\x82\xac \xc3\x28";
		if (write(fd, odd, sizeof odd - 1) < 0)
			die("write");
		close(fd);
		fd = open("/nonexistent/\xff\xfe\x01\"x", O_RDONLY);
		say("bytes done\n");
	} else if (strcmp(cmd, "naps") == 0) {
		for (int i = 0; i < n; i++) {
			struct timespec d = {0, 20000000};
			syscall(SYS_getppid);
			while (syscall(SYS_nanosleep, &d, &d) != 0 && errno == EINTR)
				;
		}
		say("naps %d\n", n);
	} else if (strcmp(cmd, "threads") == 0) {
		pthread_t t[64];
		if (n > 64)
			n = 64;
		for (int i = 0; i < n; i++)
			pthread_create(&t[i], NULL, thread_fn, NULL);
		for (int i = 0; i < n; i++)
			pthread_join(t[i], NULL);
		say("threads %d\n", n);
	} else if (strcmp(cmd, "sig") == 0) {
		raise(n);
	} else {
		say_fd(2,
		       "usage: trace_mix calls|open|usr1|ready|int_handler|vfork_sleep|fork|bytes|"
		       "threads|sig ...\n");
		return 2;
	}
	return 0;
}
