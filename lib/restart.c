/* SPDX-License-Identifier: MIT */
/*
 * Undoing the EINTR that ptk's own PTRACE_INTERRUPT causes.
 *
 * PTRACE_INTERRUPT wakes a thread blocked in the kernel as a signal would.
 * Most blocking syscalls then return a restart code and the kernel
 * re-executes them transparently, but some are never restarted and return
 * EINTR (signal(7): epoll_wait, rt_sigtimedwait, io_getevents, semop,
 * socket calls with a timeout, ...).  A thread interrupted by ptk to
 * attach, detach or hold it for a step-over would see a spurious EINTR that
 * it never sees untraced.  At ptk's interrupt stop the thread is on its way
 * back to user mode with rax = -EINTR and orig_rax = the syscall: when no
 * signal is pending for it (the EINTR is ptk's doing, not a signal's),
 * rewind the pc over the 2-byte `syscall` instruction and put the number
 * back in rax, exactly as the kernel restarts a syscall.  A timeout, if
 * any, starts again from its full value.
 */
#include "internal.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* x86_64 syscalls that return EINTR when interrupted, never a restart code. */
static bool never_restarted(uint64_t nr)
{
	switch (nr) {
	case 43:  /* accept (with SO_RCVTIMEO) */
	case 45:  /* recvfrom */
	case 47:  /* recvmsg */
	case 65:  /* semop */
	case 69:  /* msgsnd */
	case 70:  /* msgrcv */
	case 128: /* rt_sigtimedwait */
	case 208: /* io_getevents */
	case 220: /* semtimedop */
	case 232: /* epoll_wait */
	case 242: /* mq_timedsend */
	case 243: /* mq_timedreceive */
	case 281: /* epoll_pwait */
	case 288: /* accept4 */
	case 299: /* recvmmsg */
	case 333: /* io_pgetevents */
	case 441: /* epoll_pwait2 */
		return true;
	default:
		return false;
	}
}

/* Whether a signal is pending for the thread (its own or its process's), unblocked. */
static bool signal_pending(struct ptk_session *s, pid_t tgid, pid_t tid)
{
	char path[96], buf[4096];
	snprintf(path, sizeof path, "/proc/%d/task/%d/status", tgid, tid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return true; /* cannot tell: leave the EINTR alone */
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	s->st.proc_reads++;
	if (n <= 0)
		return true;
	buf[n] = 0;
	unsigned long long pnd = 0, shd = 0, blk = 0;
	char *p;
	if ((p = strstr(buf, "\nSigPnd:")))
		pnd = strtoull(p + 8, NULL, 16);
	if ((p = strstr(buf, "\nShdPnd:")))
		shd = strtoull(p + 8, NULL, 16);
	if ((p = strstr(buf, "\nSigBlk:")))
		blk = strtoull(p + 8, NULL, 16);
	return ((pnd | shd) & ~blk) != 0;
}

int undo_interrupt_eintr(struct ptk_session *s, struct tracee *t)
{
	int r = regs_fetch(s, t);
	if (r < 0)
		return r;
	if ((int64_t)t->regs.rax != -EINTR || !never_restarted(t->regs.orig_rax))
		return 0;
	uint8_t insn[2];
	if (ptk_mem_read(s, t->tid, t->regs.rip - 2, insn, 2, NULL) < 0 || insn[0] != 0x0f ||
	    insn[1] != 0x05)
		return 0; /* not the 64-bit `syscall` instruction (int 0x80, sysenter) */
	if (signal_pending(s, t->proc->pid, t->tid))
		return 0;
	t->regs.rip -= 2;
	t->regs.rax = t->regs.orig_rax;
	r = regs_store(s, t);
	return r < 0 ? r : 1;
}
