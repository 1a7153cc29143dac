/* SPDX-License-Identifier: MIT */
/*
 * Symbols, line tables and unwinding: the subject of test-symbols and
 * test-unwind, built with -g at -O0 (symtest_O0) and -O2 (symtest_O2).
 *
 *	symtest read           main > outer > middle > [step_in] > inner > read(0)
 *	symtest deep N         main > recurse x N > leaf > getppid()
 *	symtest signal         SIGUSR1 interrupts victim(); the handler calls getppid()
 *	symtest dlopen LIB     getppid(), dlopen(LIB), getppid(), symlib_entry() of LIB
 *	                       (which calls getppid() from the library)
 *
 * Every mode stops in a libc wrapper (read or getppid) with a known chain
 * of callers that the tests unwind and compare with gdb's `bt`.  The
 * functions are noinline (step_in is always_inline: an inlined frame)
 * and do work after each call, so that no call becomes a tail call but
 * one: at -O2 recurse(0) jumps to leaf() (gdb shows a tail-call frame).  Lines
 * tagged "L:name" are found by the tests in this file.  Prints "done N"
 * and exits 0.
 */
#include "tracee.h"

#include <dlfcn.h>
#include <signal.h>
#include <sys/syscall.h>

#define NOINLINE __attribute__((noinline))

int symtest_counter = 7;
volatile int symtest_sink;

int other_entry(int x);
int inner(int fd);
int middle(int fd);
int outer(int fd);
int leaf(void);
int recurse(int n);
int victim(void);

static NOINLINE int helper(int x) /* L:helper */
{
	symtest_sink = x;
	return x * 3 + symtest_sink;
}

NOINLINE int inner(int fd) /* L:inner */
{
	char c = 0;
	ssize_t r = read(fd, &c, 1); /* L:read */
	symtest_sink = c;
	return (int)r + symtest_sink;
}

static inline __attribute__((always_inline)) int step_in(int fd)
{
	int r = inner(fd); /* L:step_in */
	symtest_sink += r;
	return r + 1;
}

NOINLINE int middle(int fd)
{
	int total = 0;

	/* a comment line: no code here */

	for (int i = 0; i < symtest_counter - 6; i++) /* L:for */
		total += step_in(fd + i);
	symtest_sink = total;
	return total + 2;
}

NOINLINE int outer(int fd)
{
	int r = middle(fd);
	return r + helper(r);
}

NOINLINE int leaf(void)
{
	int p = (int)getppid(); /* L:getppid */
	symtest_sink = p;
	return p & 1;
}

NOINLINE int recurse(int n)
{
	if (n <= 0)
		return leaf();
	int r = recurse(n - 1);
	symtest_sink = r;
	return r + 1;
}

static void on_usr1(int sig)
{
	symtest_sink = sig;
	symtest_sink += (int)getppid(); /* L:handler */
}

NOINLINE int victim(void)
{
	/* tgkill(getpid(), gettid(), SIGUSR1) from this very function, so the
	   handler interrupts victim itself and not a libc wrapper */
	long pid = getpid(), tid = gettid(), ret;
	__asm__ volatile("syscall"
	                 : "=a"(ret)
	                 : "0"((long)SYS_tgkill), "D"(pid), "S"(tid), "d"((long)SIGUSR1)
	                 : "rcx", "r11", "memory");
	symtest_sink = (int)ret; /* L:victim */
	return symtest_sink + 1;
}

int main(int argc, char **argv)
{
	int r = 0;
	if (argc < 2)
		return 2;
	if (strcmp(argv[1], "read") == 0) {
		r = outer(0);
	} else if (strcmp(argv[1], "deep") == 0) {
		r = recurse(argc > 2 ? atoi(argv[2]) : 3);
	} else if (strcmp(argv[1], "signal") == 0) {
		struct sigaction sa;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_usr1;
		if (sigaction(SIGUSR1, &sa, NULL) < 0)
			die("sigaction");
		r = victim();
	} else if (strcmp(argv[1], "dlopen") == 0 && argc > 2) {
		r = leaf();
		void *h = dlopen(argv[2], RTLD_NOW);
		if (!h) {
			say("dlopen: %s\n", dlerror());
			return 3;
		}
		r += leaf();
		int (*entry)(int) = (int (*)(int))dlsym(h, "symlib_entry");
		r += entry ? entry(r) : -100;
	}
	r += other_entry(r) + helper(r);
	say("done %d\n", r);
	if (argc > 9)
		puts(argv[9]); /* a PLT entry for puts */
	return 0;
}
