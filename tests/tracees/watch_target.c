/* SPDX-License-Identifier: MIT */
/*
 * Hard case: watchpoints.  A variable is written by a plain store, by
 * another thread, by the kernel (read(2) into a buffer), written with the
 * value it already holds, read, and written by a fork child (its own
 * copy).  A watchpoint must report every change, once, with the old and
 * new value, the writing thread and the pc after the writing instruction;
 * the writer functions are in assembly so that pc is known.
 *
 *	watch_target store	set_var(1), set_var(2), set_var(3), set_var(3)
 *	watch_target thread	a second thread: set_var(10), set_var(20)
 *	watch_target spin	thread A reads var in a loop while thread B sets it to 1, 2, 3
 *	watch_target read	read(2) of "hello, watch" from a pipe into buf
 *	watch_target rw		get_var(), set_var(5), get_var()
 *	watch_target fork	a fork child sets 7 (its copy) and exits; then set_var(8)
 *	watch_target hwregs	thread A (sleeping) exists at the marker; then thread B
 *				is created, a fork child exits, and A is stopped
 *	watch_target pause	thread A (sleeping) exists at the marker; then both
 *				sleep until killed
 *
 * Marker syscall: getppid(0x7e14, &var, buf, set_var_end, get_var_end)
 * where set_var_end/get_var_end are the pcs after the store in set_var and
 * after the load in get_var.  Each mode prints "var=V" at the end (read
 * mode: "buf=hello, watch").
 */
#include "tracee.h"

#include <pthread.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

long var;
char buf[16];

__asm__(".text\n"
        ".globl set_var\n"
        ".type set_var,@function\n"
        "set_var:\n"
        "	mov %rdi, var(%rip)\n"
        ".globl set_var_end\n"
        "set_var_end:\n"
        "	ret\n"
        ".size set_var, .-set_var\n"
        ".globl get_var\n"
        ".type get_var,@function\n"
        "get_var:\n"
        "	mov var(%rip), %rax\n"
        ".globl get_var_end\n"
        "get_var_end:\n"
        "	ret\n"
        ".size get_var, .-get_var\n");

void set_var(long v);
long get_var(void);
extern char set_var_end[], get_var_end[];

static void *writer(void *arg)
{
	(void)arg;
	set_var(10);
	set_var(20);
	return NULL;
}

static volatile int stop_spin;

static void *spinner(void *arg)
{
	long *sum = arg;
	while (!stop_spin)
		*sum += get_var();
	return NULL;
}

static void *setter(void *arg)
{
	(void)arg;
	for (long v = 1; v <= 3; v++)
		set_var(v);
	return NULL;
}

static void *sleeper(void *arg)
{
	(void)arg;
	while (!stop_spin) {
		struct timespec d = {0, 5000000};
		nanosleep(&d, NULL);
	}
	return NULL;
}

static void *nothing(void *arg)
{
	return arg;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "store";
	pthread_t a, b;
	bool sleeping = strcmp(mode, "hwregs") == 0 || strcmp(mode, "pause") == 0;
	if (sleeping && (errno = pthread_create(&a, NULL, sleeper, NULL)))
		die("pthread_create");
	syscall(SYS_getppid, 0x7e14L, (long)(uintptr_t)&var, (long)(uintptr_t)buf,
	        (long)(uintptr_t)set_var_end, (long)(uintptr_t)get_var_end);
	if (strcmp(mode, "store") == 0) {
		set_var(1);
		set_var(2);
		set_var(3);
		set_var(3);
	} else if (strcmp(mode, "thread") == 0) {
		if ((errno = pthread_create(&b, NULL, writer, NULL)))
			die("pthread_create");
		pthread_join(b, NULL);
	} else if (strcmp(mode, "spin") == 0) {
		long sum = 0;
		if ((errno = pthread_create(&a, NULL, spinner, &sum)) ||
		    (errno = pthread_create(&b, NULL, setter, NULL)))
			die("pthread_create");
		pthread_join(b, NULL);
		stop_spin = 1;
		pthread_join(a, NULL);
	} else if (strcmp(mode, "read") == 0) {
		int p[2];
		if (pipe(p) < 0)
			die("pipe");
		if (write(p[1], "hello, watch", 12) != 12)
			die("write");
		if (read(p[0], buf, 12) != 12)
			die("read");
		say("buf=%s\n", buf);
		return 0;
	} else if (strcmp(mode, "rw") == 0) {
		long x = get_var();
		set_var(5);
		x += get_var();
		/* no other read of var: print what get_var() saw */
		say("var=%ld\n", x);
		return 0;
	} else if (strcmp(mode, "fork") == 0) {
		pid_t pid = fork();
		if (pid < 0)
			die("fork");
		if (pid == 0) {
			set_var(7);
			_exit(var == 7 ? 0 : 1);
		}
		int st;
		while (waitpid(pid, &st, 0) < 0)
			if (errno != EINTR)
				die("waitpid");
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
			die("child");
		set_var(8);
	} else if (strcmp(mode, "hwregs") == 0) {
		if ((errno = pthread_create(&b, NULL, nothing, NULL)))
			die("pthread_create");
		pthread_join(b, NULL);
		pid_t pid = fork();
		if (pid < 0)
			die("fork");
		if (pid == 0)
			_exit(0);
		int st;
		while (waitpid(pid, &st, 0) < 0)
			if (errno != EINTR)
				die("waitpid");
		stop_spin = 1;
		pthread_join(a, NULL);
		set_var(9);
	} else if (strcmp(mode, "pause") == 0) {
		for (;;) {
			struct timespec d = {0, 5000000};
			nanosleep(&d, NULL);
		}
	} else {
		say_fd(2, "unknown mode %s\n", mode);
		return 2;
	}
	say("var=%ld\n", var);
	return 0;
}
