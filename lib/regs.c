/* SPDX-License-Identifier: MIT */
/*
 * Registers: the general registers (GETREGS, cached for the duration of a
 * stop, written through), the x87/SSE area (NT_PRFPREG), the XSAVE area
 * (NT_X86_XSTATE) and the debug registers (PEEKUSER/POKEUSER into struct
 * user's u_debugreg).
 */
#include "internal.h"

#include <elf.h>
#include <stddef.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/user.h>

_Static_assert(sizeof(struct ptk_regs) == sizeof(struct user_regs_struct),
               "struct ptk_regs must mirror user_regs_struct");
_Static_assert(offsetof(struct ptk_regs, orig_rax) == offsetof(struct user_regs_struct, orig_rax),
               "orig_rax offset");
_Static_assert(sizeof(struct ptk_fpregs) == sizeof(struct user_fpregs_struct),
               "struct ptk_fpregs must mirror user_fpregs_struct (FXSAVE)");

static int stopped(const struct ptk_session *s, pid_t tid, struct tracee **ret)
{
	struct tracee *t = tracee_find(s, tid);
	if (!t)
		return -ESRCH;
	if (t->state != T_STOPPED && t->state != T_QUEUED)
		return -EBUSY;
	*ret = t;
	return 0;
}

int regs_fetch(struct ptk_session *s, struct tracee *t)
{
	if (t->regs_valid)
		return 0;
	long r = pt(s, PTRACE_GETREGS, t->tid, 0, (unsigned long)&t->regs);
	if (r < 0)
		return (int)r;
	t->regs_valid = true;
	return 0;
}

void regs_store_lazy(struct ptk_session *s, struct tracee *t)
{
	if (!t->regs_dirty) {
		t->regs_dirty = true;
		s->ndirty++;
	}
}

/* Forget that t's registers wait to be written (written, or t is gone). */
void regs_clean(struct ptk_session *s, struct tracee *t)
{
	if (t->regs_dirty) {
		t->regs_dirty = false;
		s->ndirty--;
	}
}

int regs_store(struct ptk_session *s, struct tracee *t)
{
	regs_clean(s, t);
	long r = pt(s, PTRACE_SETREGS, t->tid, 0, (unsigned long)&t->regs);
	if (r < 0) {
		t->regs_valid = false;
		return (int)r;
	}
	t->regs_valid = true;
	return 0;
}

int ptk_regs_get(struct ptk_session *s, pid_t tid, struct ptk_regs *ret)
{
	struct tracee *t;
	int r = stopped(s, tid, &t);
	if (r < 0)
		return r;
	r = regs_fetch(s, t);
	if (r < 0)
		return r;
	*ret = t->regs;
	return 0;
}

int ptk_regs_set(struct ptk_session *s, pid_t tid, const struct ptk_regs *regs)
{
	struct tracee *t;
	int r = stopped(s, tid, &t);
	if (r < 0)
		return r;
	t->regs = *regs;
	return regs_store(s, t);
}

/* Write one general register with POKEUSER (one request, no GETREGS). */
int regs_poke(struct ptk_session *s, struct tracee *t, size_t off, uint64_t val)
{
	long r = pt(s, PTRACE_POKEUSER, t->tid, off, val);
	if (r < 0)
		return (int)r;
	if (t->regs_valid)
		memcpy((char *)&t->regs + off, &val, sizeof val);
	return 0;
}

int ptk_fpregs_get(struct ptk_session *s, pid_t tid, struct ptk_fpregs *ret)
{
	struct tracee *t;
	int r = stopped(s, tid, &t);
	if (r < 0)
		return r;
	long k = pt(s, PTRACE_GETFPREGS, tid, 0, (unsigned long)ret);
	return k < 0 ? (int)k : 0;
}

int ptk_fpregs_set(struct ptk_session *s, pid_t tid, const struct ptk_fpregs *regs)
{
	struct tracee *t;
	int r = stopped(s, tid, &t);
	if (r < 0)
		return r;
	long k = pt(s, PTRACE_SETFPREGS, tid, 0, (unsigned long)regs);
	return k < 0 ? (int)k : 0;
}

int ptk_xstate_get(struct ptk_session *s, pid_t tid, void *buf, size_t len, size_t *ret_len)
{
	struct tracee *t;
	int r = stopped(s, tid, &t);
	if (r < 0)
		return r;
	struct iovec iov = {buf, len};
	long k = pt(s, PTRACE_GETREGSET, tid, NT_X86_XSTATE, (unsigned long)&iov);
	if (k < 0)
		return (int)k;
	if (ret_len)
		*ret_len = iov.iov_len;
	return 0;
}

int ptk_xstate_set(struct ptk_session *s, pid_t tid, const void *buf, size_t len)
{
	struct tracee *t;
	int r = stopped(s, tid, &t);
	if (r < 0)
		return r;
	struct iovec iov = {(void *)buf, len};
	long k = pt(s, PTRACE_SETREGSET, tid, NT_X86_XSTATE, (unsigned long)&iov);
	return k < 0 ? (int)k : 0;
}

/*
 * The XSAVE area as ptrace returns it is in the standard (uncompacted)
 * format: XSTATE_BV at byte 512, the AVX component (YMM_Hi128) at byte 576,
 * 16 bytes per register (Intel SDM vol. 1, 13.4 and 13.5.3).
 */
#define XSAVE_HDR_OFF 512
#define XSAVE_YMM_OFF 576
#define XFEATURE_YMM  (1u << 2)

int ptk_ymm_hi_get(struct ptk_session *s, pid_t tid, uint8_t ret[16][16])
{
	uint8_t buf[4096] __attribute__((aligned(64)));
	size_t n = 0;
	int r = ptk_xstate_get(s, tid, buf, sizeof buf, &n);
	memset(ret, 0, 16 * 16);
	if (r < 0)
		return r;
	if (n < XSAVE_YMM_OFF + 256)
		return -EOPNOTSUPP;
	uint64_t bv;
	memcpy(&bv, buf + XSAVE_HDR_OFF, sizeof bv);
	if (bv & XFEATURE_YMM)
		memcpy(ret, buf + XSAVE_YMM_OFF, 256);
	return 0;
}

static size_t dr_off(int idx)
{
	return offsetof(struct user, u_debugreg) + (size_t)idx * sizeof(uint64_t);
}

int ptk_debugreg_get(struct ptk_session *s, pid_t tid, int idx, uint64_t *ret)
{
	if (idx < 0 || idx > 7)
		return -EINVAL;
	struct tracee *t;
	int r = stopped(s, tid, &t);
	if (r < 0)
		return r;
	return pt_peek(s, PTRACE_PEEKUSER, tid, dr_off(idx), ret);
}

int ptk_debugreg_set(struct ptk_session *s, pid_t tid, int idx, uint64_t val)
{
	if (idx < 0 || idx > 7 || idx == 4 || idx == 5)
		return -EINVAL;
	struct tracee *t;
	int r = stopped(s, tid, &t);
	if (r < 0)
		return r;
	long k = pt(s, PTRACE_POKEUSER, tid, dr_off(idx), val);
	return k < 0 ? (int)k : 0;
}

/* ---- changing a syscall at its stops ---- */

static const size_t arg_off64[6] = {
        offsetof(struct ptk_regs, rdi), offsetof(struct ptk_regs, rsi),
        offsetof(struct ptk_regs, rdx), offsetof(struct ptk_regs, r10),
        offsetof(struct ptk_regs, r8),  offsetof(struct ptk_regs, r9),
};
/* int 0x80: ebx, ecx, edx, esi, edi, ebp (the low halves of the 64-bit registers) */
static const size_t arg_off32[6] = {
        offsetof(struct ptk_regs, rbx), offsetof(struct ptk_regs, rcx),
        offsetof(struct ptk_regs, rdx), offsetof(struct ptk_regs, rsi),
        offsetof(struct ptk_regs, rdi), offsetof(struct ptk_regs, rbp),
};

static bool at_syscall_stop(const struct tracee *t)
{
	return t->stop_kind == PTK_EV_SYSCALL_ENTER || t->stop_kind == PTK_EV_SYSCALL_EXIT ||
	       t->stop_kind == PTK_EV_SECCOMP;
}

int ptk_syscall_set_nr(struct ptk_session *s, pid_t tid, long nr)
{
	struct tracee *t;
	int r = stopped(s, tid, &t);
	if (r < 0)
		return r;
	if (t->stop_kind != PTK_EV_SYSCALL_ENTER && t->stop_kind != PTK_EV_SECCOMP)
		return -EINVAL;
	t->sc_changed = true;
	return regs_poke(s, t, offsetof(struct ptk_regs, orig_rax), (uint64_t)nr);
}

int ptk_syscall_set_arg(struct ptk_session *s, pid_t tid, int idx, uint64_t val)
{
	struct tracee *t;
	int r = stopped(s, tid, &t);
	if (r < 0)
		return r;
	if (idx < 0 || idx > 5 || !at_syscall_stop(t))
		return -EINVAL;
	/* The syscall ABI in use: a 64-bit process may call int 0x80. */
	struct ptk_syscall sc = {0};
	r = ptk_syscall_get(s, tid, &sc);
	if (r < 0)
		return r;
	const size_t *offs = sc.arch == PTK_ARCH_I386 ? arg_off32 : arg_off64;
	if (sc.arch == PTK_ARCH_I386)
		val &= 0xffffffffu;
	return regs_poke(s, t, offs[idx], val);
}

int ptk_syscall_set_return(struct ptk_session *s, pid_t tid, int64_t rval)
{
	struct tracee *t;
	int r = stopped(s, tid, &t);
	if (r < 0)
		return r;
	if (!at_syscall_stop(t))
		return -EINVAL;
	t->sc_changed = true;
	return regs_poke(s, t, offsetof(struct ptk_regs, rax), (uint64_t)rval);
}
