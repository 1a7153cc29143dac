/* SPDX-License-Identifier: MIT */
/*
 * Hard case: 32-bit system calls (int $0x80) from a 64-bit program.  Their
 * numbers and registers are those of the i386 ABI (getpid is 20, write is
 * 4 with ebx, ecx, edx), so a tracer must decode them by the arch that
 * PTRACE_GET_SYSCALL_INFO reports, never by the 64-bit table.
 *
 *	int80
 *
 * Calls getpid through int $0x80 and compares it with getpid(2), then
 * writes "int80 write\n" through int $0x80 (i386 write, from a buffer
 * below 4 GiB).  Without IA-32 emulation in the kernel (or with it
 * disabled at boot: then int $0x80 faults with SIGSEGV, which this program
 * catches) it prints "no int80" instead.  Untraced output:
 *	int80 getpid ok
 *	int80 write
 * A tracer that sets argument 2 of the i386 write to 5 makes it print
 * "int80" with no newline.
 */
#include "tracee.h"

#include <setjmp.h>
#include <signal.h>
#include <sys/mman.h>

static sigjmp_buf env;

static void on_segv(int sig)
{
	(void)sig;
	siglongjmp(env, 1);
}

static long int80(long nr, long a, long b, long c)
{
	long r;
	__asm__ volatile("int $0x80"
	                 : "=a"(r)
	                 : "a"(nr), "b"(a), "c"(b), "d"(c)
	                 : "memory", "r8", "r9", "r10", "r11");
	return r;
}

int main(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_segv;
	if (sigaction(SIGSEGV, &sa, NULL) < 0)
		die("sigaction");
	if (sigsetjmp(env, 1)) {
		say("no int80\n");
		return 0;
	}
	long pid = int80(20, 0, 0, 0);
	signal(SIGSEGV, SIG_DFL);
	if (pid == -ENOSYS) {
		say("no int80\n");
		return 0;
	}
	say("int80 getpid %s\n", pid == getpid() ? "ok" : "bad");
	char *buf = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
	                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	if (buf == MAP_FAILED)
		die("mmap");
	static const char msg[] = "int80 write\n";
	memcpy(buf, msg, sizeof msg);
	long r = int80(4, 1, (long)buf, sizeof msg - 1);
	return r == (long)sizeof msg - 1 ? 0 : 1;
}
