/* SPDX-License-Identifier: MIT */
/*
 * sysprobe: makes every system call of ptk's table for one ABI once, with
 * arguments that make it fail harmlessly, so that a tracer's selection of
 * syscalls (strace -e trace=%CLASS) can be measured.
 *
 *	sysprobe x86_64|i386
 *
 * Each call is bracketed by an int3 (a SIGTRAP that a tracer prints as
 * "--- SIGTRAP ..." whatever its syscall filter, and that a handler turns
 * into a jump back without any syscall), so that the k-th call is what the
 * tracer printed between the k-th and the k+1-th SIGTRAP.  The calls run in
 * child processes; the parent only forks, waits and prints a manifest on
 * stdout that names them:
 *
 *	main PID NR NR ...	process PID made these calls, in this order
 *	iso PID NR		process PID made only this call (it may not return)
 *
 * Calls that end, block or change the process (exit, fork, pause, sigreturn,
 * ...) each get a process of their own, which the parent kills if it blocks.
 * Exit status 3: the ABI cannot be used here (int $0x80 faults when the
 * kernel has no ia32 emulation).
 */
#include "ptk/ptk.h"

#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAXCALLS 1024
#define BOGUS    ((unsigned long)-1)

static int abi;

/* LeakSanitizer cannot work under ptrace, and this probe always runs traced. */
int __lsan_is_turned_off(void);
int __lsan_is_turned_off(void)
{
	return 1;
}

/*
 * Marker: an int3 whose SIGTRAP handler jumps back here.  A jump buffer that
 * does not save the signal mask makes siglongjmp() syscall-free (no
 * rt_sigreturn, no rt_sigprocmask); SA_NODEFER leaves SIGTRAP unblocked.
 */
static sigjmp_buf jb;

static void on_trap(int sig)
{
	(void)sig;
	siglongjmp(jb, 1);
}

__attribute__((noinline)) static void marker(void)
{
	if (sigsetjmp(jb, 0) == 0)
		__asm__ volatile("int3" ::: "memory");
}

/*
 * One 64-bit syscall.  With forklike set, a child that sees 0 exits at once
 * (exit(2), no return to C): this is what makes vfork safe.
 */
static long call64(long nr, const unsigned long a[6], int forklike)
{
	register unsigned long r10 __asm__("r10") = a[3];
	register unsigned long r8 __asm__("r8") = a[4];
	register unsigned long r9 __asm__("r9") = a[5];
	long ret;

	if (forklike)
		__asm__ volatile("syscall\n\t"
		                 "test %%rax, %%rax\n\t"
		                 "jnz 1f\n\t"
		                 "mov $60, %%eax\n\t"
		                 "xor %%edi, %%edi\n\t"
		                 "syscall\n"
		                 "1:"
		                 : "=a"(ret)
		                 : "a"(nr), "D"(a[0]), "S"(a[1]), "d"(a[2]), "r"(r10), "r"(r8),
		                   "r"(r9)
		                 : "rcx", "r11", "memory");
	else
		__asm__ volatile("syscall"
		                 : "=a"(ret)
		                 : "a"(nr), "D"(a[0]), "S"(a[1]), "d"(a[2]), "r"(r10), "r"(r8),
		                   "r"(r9)
		                 : "rcx", "r11", "memory");
	return ret;
}

/*
 * One i386 syscall through int $0x80 (ebx, ecx, edx, esi, edi, ebp), with the
 * same forklike rule.  rbp and rbx are saved by hand after stepping over the
 * red zone; r12 points at the six 32-bit arguments and r13 holds forklike.
 */
static long call32(long nr, const unsigned long a[6], int forklike)
{
	register const unsigned long *p __asm__("r12") = a;
	register long f __asm__("r13") = forklike;
	unsigned int v[6];
	long ret = nr;

	for (int i = 0; i < 6; i++)
		v[i] = (unsigned int)a[i];
	p = (const unsigned long *)(void *)v;
	__asm__ volatile("sub $128, %%rsp\n\t"
	                 "push %%rbp\n\t"
	                 "push %%rbx\n\t"
	                 "mov 0(%%r12), %%ebx\n\t"
	                 "mov 4(%%r12), %%ecx\n\t"
	                 "mov 8(%%r12), %%edx\n\t"
	                 "mov 12(%%r12), %%esi\n\t"
	                 "mov 16(%%r12), %%edi\n\t"
	                 "mov 20(%%r12), %%ebp\n\t"
	                 "int $0x80\n\t"
	                 "test %%r13, %%r13\n\t"
	                 "jz 1f\n\t"
	                 "test %%eax, %%eax\n\t"
	                 "jnz 1f\n\t"
	                 "mov $60, %%eax\n\t"
	                 "xor %%edi, %%edi\n\t"
	                 "syscall\n"
	                 "1:\n\t"
	                 "pop %%rbx\n\t"
	                 "pop %%rbp\n\t"
	                 "add $128, %%rsp"
	                 : "+a"(ret)
	                 : "r"(p), "r"(f)
	                 : "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11", "memory");
	return ret;
}

static int named(const char *name, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(name, *list) == 0)
			return 1;
	return 0;
}

/* Calls that must run alone: they end or block the process, or break the markers. */
static const char *const isolated[] = {
        "exit",      "exit_group", "fork",          "vfork",      "clone",
        "clone3",    "pause",      "rt_sigsuspend", "sigsuspend", "rt_sigreturn",
        "sigreturn", "vhangup",    "uretprobe",     "uprobe",     "set_tid_address",
        "ssetmask",  NULL,
};
static const char *const forklike[] = {"fork", "vfork", "clone", "clone3", NULL};

/* The arguments of call nr: all ones (fails early), except where that could do harm. */
static void args_for(const char *name, unsigned long a[6])
{
	for (int i = 0; i < 6; i++)
		a[i] = BOGUS;
	if (named(name, (const char *const[]){"kill", "tkill", NULL})) {
		a[0] = 0x7ffffff0; /* no such process: ESRCH, and signal 0 anyway */
		a[1] = 0;
	} else if (strcmp(name, "tgkill") == 0) {
		a[0] = a[1] = 0x7ffffff0;
		a[2] = 0;
	} else if (named(name, (const char *const[]){"reboot", "exit", "exit_group", NULL})) {
		memset(a, 0, 6 * sizeof(*a)); /* reboot: bad magic, EINVAL */
	} else if (strcmp(name, "clone") == 0) {
		memset(a, 0, 6 * sizeof(*a));
		a[0] = SIGCHLD; /* a plain fork */
	} else if (named(name, (const char *const[]){"msgget", NULL})) {
		a[1] = 0; /* no IPC_CREAT: never creates a queue */
	} else if (named(name, (const char *const[]){"semget", "shmget", NULL})) {
		a[2] = 0;
	}
}

static long do_call(long nr, const char *name)
{
	unsigned long a[6];
	int fl = named(name, forklike);

	args_for(name, a);
	return abi == PTK_ARCH_I386 ? call32(nr, a, fl) : call64(nr, a, fl);
}

static void setup_child(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_trap;
	sa.sa_flags = SA_NODEFER;
	sigaction(SIGTRAP, &sa, NULL);
}

/* int $0x80 from a 64-bit process works only with ia32 emulation. */
static int i386_works(void)
{
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		unsigned long a[6] = {0};
		_exit(call32(20, a, 0) > 0 ? 0 : 1); /* getpid */
	}
	if (pid < 0 || waitpid(pid, &st, 0) < 0)
		return 0;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

int main(int argc, char **argv)
{
	long nrs[MAXCALLS], iso[MAXCALLS];
	pid_t isopid[MAXCALLS], mainpid;
	int nmain = 0, niso = 0, st;
	long count;

	if (argc != 2 || (strcmp(argv[1], "x86_64") != 0 && strcmp(argv[1], "i386") != 0)) {
		fprintf(stderr, "usage: sysprobe x86_64|i386\n");
		return 2;
	}
	abi = strcmp(argv[1], "i386") == 0 ? PTK_ARCH_I386 : PTK_ARCH_X86_64;
	if (abi == PTK_ARCH_I386 && !i386_works()) {
		fprintf(stderr, "sysprobe: int $0x80 faults here (no ia32 emulation)\n");
		return 3;
	}
	count = ptk_syscall_count(abi);
	for (long nr = 0; nr < count && nmain < MAXCALLS; nr++) {
		const struct ptk_sysent *e = ptk_sysent_get(abi, nr);

		if (!e)
			continue;
		if (named(e->name, isolated))
			iso[niso++] = nr;
		else
			nrs[nmain++] = nr;
	}
	fflush(stdout);
	mainpid = fork();
	if (mainpid == 0) {
		setup_child();
		for (int i = 0; i < nmain; i++) {
			marker();
			do_call(nrs[i], ptk_sysent_get(abi, nrs[i])->name);
		}
		marker();
		_exit(0);
	}
	for (int i = 0; i < niso; i++) {
		const char *name = ptk_sysent_get(abi, iso[i])->name;

		isopid[i] = fork();
		if (isopid[i] == 0) {
			setup_child();
			if (strcmp(name, "vhangup") == 0)
				setsid(); /* no controlling terminal to hang up */
			marker();
			do_call(iso[i], name);
			marker();
			while (wait(NULL) > 0) /* reap a fork's child, after the marker */
				;
			_exit(0);
		}
	}
	printf("main %d", (int)mainpid);
	for (int i = 0; i < nmain; i++)
		printf(" %ld", nrs[i]);
	printf("\n");
	for (int i = 0; i < niso; i++)
		printf("iso %d %ld\n", (int)isopid[i], iso[i]);
	fflush(stdout);

	/* The main child runs to its end; the isolated ones get 300 ms, then SIGKILL. */
	while (waitpid(mainpid, &st, 0) < 0 && errno == EINTR)
		;
	nanosleep(&(struct timespec){0, 300 * 1000 * 1000}, NULL);
	for (int i = 0; i < niso; i++)
		if (isopid[i] > 0)
			kill(isopid[i], SIGKILL);
	while (wait(NULL) > 0 || errno == EINTR)
		;
	return 0;
}
