/* SPDX-License-Identifier: MIT */
/*
 * Subjects of the fault tests (tests/faults/): processes a tracer loses
 * in awkward moments.
 *
 *	faults tree N		print "ready PID", wait for a line on stdin, then
 *				fork N children (each also starts a thread; all
 *				sleep) and print "kids P1 ... PN"; the parent
 *				(also with a sleeping thread) sleeps after that
 *	faults exit_insn	exit_group(7) through a syscall instruction at
 *				the global label exit_insn (a breakpoint there is
 *				stepped over into the process's end)
 *	faults exit_threads N	N threads call hot() in a loop; main calls it
 *				200 times, then exit_group(7) at exit_insn
 *	faults exec_read N	4 threads write() 64 KiB buffers to /dev/null in
 *				a loop while main execs this program as
 *				"exec_read N-1"; at 0 print "exec chain done",
 *				exit 5
 */
#include "tracee.h"

#include <fcntl.h>
#include <pthread.h>
#include <sys/syscall.h>
#include <time.h>

/* exit_group(code) with the syscall instruction at the global label exit_insn. */
__attribute__((noreturn)) void exit_via_insn(long code);
__asm__(".text\n"
        ".globl exit_via_insn\n"
        ".type exit_via_insn, @function\n"
        "exit_via_insn:\n"
        "	mov $231, %eax\n"
        ".globl exit_insn\n"
        ".type exit_insn, @function\n"
        "exit_insn:\n"
        "	syscall\n"
        "	hlt\n"
        ".size exit_via_insn, .-exit_via_insn\n");

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000};
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static void *sleeper(void *arg)
{
	(void)arg;
	for (;;)
		sleep_ms(1000);
	return NULL;
}

static int tree(int n)
{
	pthread_t th;
	if (pthread_create(&th, NULL, sleeper, NULL) != 0)
		die("pthread_create");
	say("ready %d\n", (int)getpid());
	char c;
	while (read(0, &c, 1) == 1 && c != '\n')
		;
	char line[512];
	int off = snprintf(line, sizeof line, "kids");
	for (int i = 0; i < n; i++) {
		pid_t pid = fork();
		if (pid < 0)
			die("fork");
		if (pid == 0) {
			if (pthread_create(&th, NULL, sleeper, NULL) != 0)
				die("pthread_create");
			sleeper(NULL);
		}
		off += snprintf(line + off, sizeof line - (size_t)off, " %d", (int)pid);
	}
	say("%s\n", line);
	sleeper(NULL);
	return 0;
}

static volatile long hits;

__attribute__((noinline)) void hot(void);
__attribute__((noinline)) void hot(void)
{
	hits++;
	__asm__ volatile("" ::: "memory");
}

static void *hot_loop(void *arg)
{
	(void)arg;
	for (;;)
		hot();
	return NULL;
}

static int exit_threads(int n)
{
	for (int i = 0; i < n; i++) {
		pthread_t th;
		if (pthread_create(&th, NULL, hot_loop, NULL) != 0)
			die("pthread_create");
	}
	for (int i = 0; i < 200; i++)
		hot();
	exit_via_insn(7);
}

static char big[65536];

static void *writer(void *arg)
{
	int fd = open("/dev/null", O_WRONLY);
	(void)arg;
	if (fd < 0)
		die("open");
	for (;;)
		if (write(fd, big, sizeof big) < 0)
			die("write");
	return NULL;
}

static int exec_read(int n)
{
	if (n <= 0) {
		say("exec chain done\n");
		return 5;
	}
	memset(big, 'a' + n % 26, sizeof big);
	for (int i = 0; i < 4; i++) {
		pthread_t th;
		if (pthread_create(&th, NULL, writer, NULL) != 0)
			die("pthread_create");
	}
	sleep_ms(20);
	char self[4096], arg[16];
	ssize_t k = readlink("/proc/self/exe", self, sizeof self - 1);
	if (k < 0)
		die("readlink");
	self[k] = 0;
	snprintf(arg, sizeof arg, "%d", n - 1);
	execl(self, self, "exec_read", arg, (char *)NULL);
	die("execl");
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";
	int n = argc > 2 ? atoi(argv[2]) : 0;
	if (strcmp(cmd, "tree") == 0)
		return tree(n);
	if (strcmp(cmd, "exit_insn") == 0)
		exit_via_insn(7);
	if (strcmp(cmd, "exit_threads") == 0)
		return exit_threads(n);
	if (strcmp(cmd, "exec_read") == 0)
		return exec_read(n);
	say_fd(2, "usage: faults tree N|exit_insn|exit_threads N|exec_read N\n");
	return 2;
}
