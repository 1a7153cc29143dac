/* SPDX-License-Identifier: MIT */
/*
 * Hard case: breakpoints over instructions of every kind a tracer must get
 * past: one it can emulate, one that must run for real (a locked,
 * rip-relative increment), and a `syscall` instruction.  The functions are
 * written in assembly so the instruction under each breakpoint is known.
 *
 *	bp_kinds threads N ITER WHICH	N threads call WHICH ITER times
 *	bp_kinds loop ITER WHICH	the main thread calls WHICH ITER times
 *	bp_kinds int3			its own int3 and SIGTRAP handler
 *	bp_kinds signal			a SIGUSR1 handler, raised once
 *	bp_kinds vfork			a vfork child calls f_emu(1), f_copy(1) and
 *					_exits; then the parent calls f_emu(2), f_copy(2)
 *
 * WHICH: emu (push %rbp first), copy (lock incq counter(%rip) first), sys
 * (mov $39,%eax; syscall: getpid), call (call *f_call_ptr(%rip) first: a
 * call through memory, which runs out of line and pushes a return address).
 * Every mode first makes a marker syscall:
 *	getppid(0x7e12, &f_emu, &f_copy, &f_sys_insn, &f_call, &handler)
 * where f_sys_insn is the address of the `syscall` instruction in f_sys.
 *
 * threads/loop print "calls=C counter=K" (K: the increments f_copy made,
 * 0 for the others); int3 prints "traps=3 calls=2"; signal prints
 * "handled=1"; vfork prints "child=0 counter=2".  Untraced output is the
 * reference.
 */
#include "tracee.h"

#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/wait.h>

long counter;

/* Functions in assembly: the first instruction is what the breakpoint covers. */
__asm__(".text\n"
        ".globl f_emu\n"
        ".type f_emu,@function\n"
        "f_emu:\n"
        "	push %rbp\n"
        "	mov %rsp, %rbp\n"
        "	lea 1(%rdi), %rax\n"
        "	pop %rbp\n"
        "	ret\n"
        ".size f_emu, .-f_emu\n"
        ".globl f_copy\n"
        ".type f_copy,@function\n"
        "f_copy:\n"
        "	lock incq counter(%rip)\n"
        "	lea 1(%rdi), %rax\n"
        "	ret\n"
        ".size f_copy, .-f_copy\n"
        ".globl f_sys\n"
        ".type f_sys,@function\n"
        "f_sys:\n"
        "	mov $39, %eax\n"
        ".globl f_sys_insn\n"
        "f_sys_insn:\n"
        "	syscall\n"
        "	test %rax, %rax\n"
        "	setg %al\n"
        "	movzbl %al, %eax\n"
        "	ret\n"
        ".size f_sys, .-f_sys\n"
        ".globl f_call\n"
        ".type f_call,@function\n"
        "f_call:\n"
        ".globl f_call_insn\n"
        "f_call_insn:\n"
        "	call *f_call_ptr(%rip)\n"
        "	ret\n"
        ".size f_call, .-f_call\n"
        ".data\n"
        ".globl f_call_ptr\n"
        "f_call_ptr: .quad f_emu\n"
        ".text\n");

long f_emu(long x);
long f_copy(long x);
long f_sys(long x);
long f_call(long x);
extern char f_sys_insn[], f_call_insn[];

static long (*which)(long);
static long iters;
static pthread_barrier_t bar;

static void *run(void *arg)
{
	long *calls = arg;
	pthread_barrier_wait(&bar);
	for (long i = 0; i < iters; i++)
		*calls += which(i) > 0;
	return NULL;
}

static volatile sig_atomic_t traps, handled;

static void on_trap(int sig)
{
	(void)sig;
	traps++;
}

static void on_usr1(int sig)
{
	(void)sig;
	handled++;
}

static long (*pick(const char *w))(long)
{
	if (strcmp(w, "emu") == 0)
		return f_emu;
	if (strcmp(w, "copy") == 0)
		return f_copy;
	if (strcmp(w, "sys") == 0)
		return f_sys;
	if (strcmp(w, "call") == 0)
		return f_call;
	say_fd(2, "unknown function %s\n", w);
	_exit(2);
}

int main(int argc, char **argv)
{
	syscall(SYS_getppid, 0x7e12L, (long)(uintptr_t)f_emu, (long)(uintptr_t)f_copy,
	        (long)(uintptr_t)f_sys_insn, (long)(uintptr_t)f_call_insn,
	        (long)(uintptr_t)on_usr1);
	const char *mode = argc > 1 ? argv[1] : "loop";
	if (strcmp(mode, "threads") == 0 && argc > 4) {
		int n = atoi(argv[2]);
		iters = atol(argv[3]);
		which = pick(argv[4]);
		if (n < 1 || n > 64)
			n = 4;
		pthread_t th[64];
		long calls[64] = {0};
		if ((errno = pthread_barrier_init(&bar, NULL, (unsigned)n)))
			die("pthread_barrier_init");
		for (int i = 0; i < n; i++)
			if ((errno = pthread_create(&th[i], NULL, run, &calls[i])))
				die("pthread_create");
		long total = 0;
		for (int i = 0; i < n; i++) {
			pthread_join(th[i], NULL);
			total += calls[i];
		}
		say("calls=%ld counter=%ld\n", total, counter);
		return 0;
	}
	if (strcmp(mode, "loop") == 0 && argc > 3) {
		iters = atol(argv[2]);
		which = pick(argv[3]);
		long calls = 0;
		for (long i = 0; i < iters; i++)
			calls += which(i) > 0;
		say("calls=%ld counter=%ld\n", calls, counter);
		return 0;
	}
	if (strcmp(mode, "int3") == 0) {
		struct sigaction sa;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_trap;
		if (sigaction(SIGTRAP, &sa, NULL) < 0)
			die("sigaction");
		long calls = 0;
		calls += f_emu(1) > 0;
		__asm__ volatile("int3" ::: "memory");
		calls += f_copy(1) > 0;
		__asm__ volatile("int3" ::: "memory");
		raise(SIGTRAP);
		say("traps=%d calls=%ld\n", (int)traps, calls);
		return 0;
	}
	if (strcmp(mode, "signal") == 0) {
		struct sigaction sa;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_usr1;
		if (sigaction(SIGUSR1, &sa, NULL) < 0)
			die("sigaction");
		raise(SIGUSR1);
		say("handled=%d\n", (int)handled);
		return 0;
	}
	if (strcmp(mode, "vfork") == 0) {
		pid_t pid = vfork();
		if (pid < 0)
			die("vfork");
		if (pid == 0) {
			f_emu(1);
			f_copy(1);
			_exit(0);
		}
		int st;
		while (waitpid(pid, &st, 0) < 0)
			if (errno != EINTR)
				die("waitpid");
		f_emu(2);
		f_copy(2);
		say("child=%d counter=%ld\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1, counter);
		return 0;
	}
	say_fd(2, "usage: bp_kinds threads N ITER WHICH | loop ITER WHICH | int3 | signal | "
	          "vfork\n");
	return 2;
}
