/* SPDX-License-Identifier: MIT */
/*
 * Hard case: a program that handles its own SIGTRAPs.
 *
 *	sigtrap
 *
 * Installs a SIGTRAP handler, then traps three ways: an int3 instruction
 * of its own (si_code SI_KERNEL), raise(SIGTRAP) (SI_TKILL) and
 * kill(getpid(), SIGTRAP) (SI_USER).  The handler counts and records the
 * si_code of each.  Correct behaviour under a tracer: all three reach the
 * handler, as untraced (gdb 13 swallows them and prints hits=0); a
 * tracer's own syscall stops (SIGTRAP|0x80) are never confused with them.
 * Output and status as untraced:
 *	trap 1 code=kernel
 *	trap 2 code=tkill
 *	trap 3 code=user
 *	hits=3
 */
#include "tracee.h"

#include <signal.h>

static volatile sig_atomic_t hits;
static volatile int codes[8];

static void on_trap(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	if (hits < 8)
		codes[hits] = si->si_code;
	hits++;
}

static const char *code_name(int c)
{
	switch (c) {
	case SI_KERNEL:
		return "kernel";
	case SI_TKILL:
		return "tkill";
	case SI_USER:
		return "user";
	default:
		return "other";
	}
}

int main(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_trap;
	sa.sa_flags = SA_SIGINFO;
	if (sigaction(SIGTRAP, &sa, NULL) < 0)
		die("sigaction");
	__asm__ volatile("int3" ::: "memory");
	raise(SIGTRAP);
	kill(getpid(), SIGTRAP);
	for (int i = 0; i < hits && i < 8; i++)
		say("trap %d code=%s\n", i + 1, code_name(codes[i]));
	say("hits=%d\n", (int)hits);
	return hits == 3 ? 0 : 1;
}
