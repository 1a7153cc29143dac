/* SPDX-License-Identifier: MIT */
/*
 * Watchpoints: debug registers where their traps really fire, single-step
 * and compare everywhere else.
 *
 * Hardware (Intel SDM vol. 3, 18.2): DR0-DR3 hold addresses; DR7 enables
 * slot i with L<i> (bit 2i), its condition R/W<i> at bits 16+4i (01 data
 * writes, 11 data reads or writes: x86 has no read-only condition) and its
 * length LEN<i> at bits 18+4i (00 1 byte, 01 2, 11 4, 10 8; the address
 * aligned to it).  Data breakpoints are traps: the thread stops after the
 * instruction, SIGTRAP with si_code TRAP_HWBKPT, and DR6 bits 0-3 (read
 * through PTRACE_PEEKUSER) say which slot fired.  The kernel keeps them per
 * thread (PITFALLS #32): ptk sets them in every thread and in each new
 * thread at its first stop, before it is reported (and so before it runs);
 * a fork child keeps DR7's value but not the breakpoints, and ptk clears
 * it; PTRACE_DETACH leaves them in place, so ptk clears them first.
 *
 * Some virtual machines accept DR0/DR7 writes but never deliver the trap
 * (DESIGN.md, "Machine facts"): ptk_hw_watch_works() probes once per
 * session with a child process that writes a watched word.
 *
 * Software: while a process has software watchpoints, each of its threads
 * runs one instruction per resume (step.c) and the watched bytes are
 * compared after each (and after a syscall's exit, which covers read(2)
 * into the range).  With several threads stepping at once, a change seen
 * after one thread's instruction may be another's: each thread's current
 * instruction is decoded before it runs (insn.c), and a change is reported
 * for the thread whose instruction wrote the range (or made a syscall);
 * when the finishing thread did not and another thread's pending
 * instruction might have, the report waits for that one.  A change nobody
 * explains (memory shared with an untraced process) is reported for the
 * thread that saw it.  Reads are seen from the decoded operands only.
 */
#include "internal.h"

#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef TRAP_HWBKPT
#define TRAP_HWBKPT 4
#endif

static size_t dr_off(int i)
{
	return offsetof(struct user, u_debugreg) + (size_t)i * sizeof(uint64_t);
}

/* Checks of other threads a change may wait for its writer's own check. */
#define MAX_DEFER 256

bool watch_sw_active(const struct proc *p)
{
	return p->nsw > 0;
}

/* ---- the probe ---- */

static volatile uint64_t probe_word;

static long ms_since(const struct timespec *t0)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - t0->tv_sec) * 1000 + (now.tv_nsec - t0->tv_nsec) / 1000000;
}

/* waitpid for the probe child, up to timeout_ms; false on timeout or error. */
static bool probe_wait(pid_t pid, int *st, int timeout_ms)
{
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		pid_t r = waitpid(pid, st, __WALL | WNOHANG);
		if (r == pid)
			return true;
		if (r < 0 && errno != EINTR)
			return false;
		if (ms_since(&t0) >= timeout_ms)
			return false;
		struct timespec d = {0, 1000000};
		nanosleep(&d, NULL);
	}
}

/*
 * A child of the caller stops itself, the parent watches probe_word (its
 * copy, at the same address) through DR0 for writes, and the child writes
 * it: a SIGTRAP with TRAP_HWBKPT means traps fire; an exit means they do
 * not.  The child only makes async-signal-safe calls.
 */
static int probe(void)
{
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) == 0 &&
		    syscall(SYS_kill, syscall(SYS_getpid), SIGSTOP) == 0)
			probe_word = 1;
		_exit(0);
	}
	int st = 0, works = -1;
	if (!probe_wait(pid, &st, 5000) || !WIFSTOPPED(st) || WSTOPSIG(st) != SIGSTOP)
		goto out;
	uint64_t dr7 = 1 | (1ull << 16) | (2ull << 18); /* L0, writes, 8 bytes */
	if (ptrace(PTRACE_POKEUSER, pid, (void *)dr_off(0), (void *)&probe_word) < 0 ||
	    ptrace(PTRACE_POKEUSER, pid, (void *)dr_off(7), (void *)dr7) < 0 ||
	    ptrace(PTRACE_CONT, pid, NULL, NULL) < 0)
		goto out;
	if (!probe_wait(pid, &st, 5000))
		goto out;
	if (WIFSTOPPED(st) && WSTOPSIG(st) == SIGTRAP) {
		siginfo_t si;
		memset(&si, 0, sizeof si);
		if (ptrace(PTRACE_GETSIGINFO, pid, NULL, &si) == 0 && si.si_code == TRAP_HWBKPT)
			works = 1;
	}
out:
	kill(pid, SIGKILL);
	while (waitpid(pid, &st, __WALL) < 0 && errno == EINTR)
		;
	return works;
}

bool ptk_hw_watch_works(struct ptk_session *s)
{
	if (s->hw_probe == 0)
		s->hw_probe = probe();
	return s->hw_probe > 0;
}

/* ---- debug registers in the threads ---- */

static uint64_t dr7_of(const struct proc *p)
{
	uint64_t v = 0;
	for (const struct watch *w = p->watches; w; w = w->next) {
		if (!w->hw)
			continue;
		uint64_t rw = w->kind == PTK_WATCH_WRITE ? 1 : 3;
		uint64_t len = w->len == 1 ? 0 : w->len == 2 ? 1 : w->len == 4 ? 3 : 2;
		v |= 1ull << (2 * w->slot);
		v |= (rw | len << 2) << (16 + 4 * w->slot);
	}
	return v;
}

/* Load p's debug registers into stopped thread t. */
static int hw_apply(struct ptk_session *s, struct tracee *t)
{
	struct proc *p = t->proc;
	long r = pt(s, PTRACE_POKEUSER, t->tid, dr_off(7), 0);
	for (const struct watch *w = p->watches; w && r == 0; w = w->next)
		if (w->hw)
			r = pt(s, PTRACE_POKEUSER, t->tid, dr_off(w->slot), w->addr);
	uint64_t dr7 = dr7_of(p);
	if (r == 0 && dr7)
		r = pt(s, PTRACE_POKEUSER, t->tid, dr_off(7), dr7);
	return (int)r;
}

/* Load p's debug registers into all its threads, holding the running ones. */
static int hw_apply_all(struct ptk_session *s, struct proc *p)
{
	struct held *h = NULL;
	int n = hold_threads(s, mm_of(p), p, NULL, true, &h);
	int err = 0;
	struct tracee *t = p->threads;
	if (t)
		do {
			if (t->state == T_STOPPED || t->state == T_QUEUED) {
				int r = hw_apply(s, t);
				if (r < 0 && r != -ESRCH)
					err = r;
			}
			t = t->next;
		} while (t != p->threads);
	release_threads(s, h, n);
	free(h);
	return err;
}

void watch_release(struct ptk_session *s, struct tracee *t)
{
	if (t->proc->hw_slots)
		pt(s, PTRACE_POKEUSER, t->tid, dr_off(7), 0);
}

void watch_new_tracee(struct ptk_session *s, struct tracee *t, bool thread)
{
	if (thread) {
		if (t->proc->hw_slots)
			hw_apply(s, t);
		return;
	}
	/* A new process: it kept its creator's DR7 value; ptk's watchpoints are not its. */
	struct tracee *c = tracee_find(s, t->creator);
	if (c && c->proc->hw_slots)
		pt(s, PTRACE_POKEUSER, t->tid, dr_off(7), 0);
}

void watch_forget_all(struct proc *p)
{
	while (p->watches) {
		struct watch *w = p->watches;
		p->watches = w->next;
		free(w);
	}
	p->nsw = 0;
	p->hw_slots = 0;
}

static bool overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

bool watch_hw_overlap(const struct proc *p, const struct inflight *refs)
{
	if (refs->syscall || refs->unknown)
		return true;
	for (const struct watch *w = p->watches; w; w = w->next)
		for (int i = 0; w->hw && i < refs->n; i++)
			if (overlap(refs->ref[i].addr, refs->ref[i].len, w->addr, w->len))
				return true;
	return false;
}

/* ---- inserting and removing ---- */

static struct watch *find(struct proc *p, int id)
{
	for (struct watch *w = p->watches; w; w = w->next)
		if (w->id == id)
			return w;
	return NULL;
}

static bool hw_fits(uint64_t addr, size_t len)
{
	return (len == 1 || len == 2 || len == 4 || len == 8) && addr % len == 0;
}

/*
 * Running threads of p start stepping at once: interrupt them; the stop is
 * ptk's own (interrupt_internal) and event.c resumes them through
 * resume_next(), which steps.
 */
static void start_stepping(struct ptk_session *s, struct proc *p)
{
	struct tracee *t = p->threads;
	if (t)
		do {
			if (t->state == T_RUNNING && !t->stepping && !t->interrupt_pending &&
			    pt(s, PTRACE_INTERRUPT, t->tid, 0, 0) == 0) {
				t->interrupt_pending = true;
				t->interrupt_internal = true;
			}
			t = t->next;
		} while (t != p->threads);
}

int ptk_watch_insert(struct ptk_session *s, pid_t pid, uint64_t addr, size_t len, unsigned kind,
                     int *ret_id)
{
	struct proc *p = proc_find(s, pid);
	if (!p || !p->threads)
		return -ESRCH;
	unsigned k = kind & 3;
	bool force_hw = kind & PTK_WATCH_HW, force_sw = kind & PTK_WATCH_SW;
	if (k == 0 || len == 0 || len > PTK_WATCH_MAX_LEN || (force_hw && force_sw) ||
	    (kind & ~(3u | PTK_WATCH_HW | PTK_WATCH_SW)))
		return -EINVAL;
	struct watch *w = calloc(1, sizeof *w);
	if (!w)
		return -ENOMEM;
	w->addr = addr;
	w->len = (uint32_t)len;
	w->kind = k;
	int r = ptk_mem_read(s, p->threads->tid, addr, w->old, len, NULL);
	if (r < 0) {
		free(w);
		return r;
	}
	int slot = -1;
	for (int i = 0; i < 4 && slot < 0; i++)
		if (!(p->hw_slots & (1u << i)))
			slot = i;
	bool hw =
	        !force_sw && hw_fits(addr, len) && slot >= 0 && (force_hw || ptk_hw_watch_works(s));
	if (force_hw && !hw) {
		free(w);
		return -EOPNOTSUPP;
	}
	w->id = ++p->next_watch_id;
	w->next = p->watches;
	p->watches = w;
	if (hw) {
		w->hw = true;
		w->slot = slot;
		p->hw_slots |= (uint8_t)(1u << slot);
		r = hw_apply_all(s, p);
		if (r < 0) {
			/* the kernel refused it (an address it does not allow) */
			p->watches = w->next;
			p->hw_slots &= (uint8_t) ~(1u << slot);
			hw_apply_all(s, p);
			free(w);
			if (force_hw)
				return -EOPNOTSUPP;
			return ptk_watch_insert(s, pid, addr, len, k | PTK_WATCH_SW, ret_id);
		}
	} else {
		w->slot = -1;
		p->nsw++;
		start_stepping(s, p);
	}
	*ret_id = w->id;
	return 0;
}

int ptk_watch_remove(struct ptk_session *s, pid_t pid, int id)
{
	struct proc *p = proc_find(s, pid);
	if (!p)
		return -ESRCH;
	for (struct watch **pp = &p->watches; *pp; pp = &(*pp)->next) {
		struct watch *w = *pp;
		if (w->id != id)
			continue;
		*pp = w->next;
		if (w->hw) {
			p->hw_slots &= (uint8_t) ~(1u << w->slot);
			hw_apply_all(s, p);
		} else {
			/* Stepping threads run normally again from their next stop. */
			p->nsw--;
		}
		free(w);
		return 0;
	}
	return -ENOENT;
}

int ptk_watch_info(const struct ptk_session *s, pid_t pid, int id, struct ptk_watch_info *ret)
{
	struct proc *p = proc_find(s, pid);
	if (!p)
		return -ESRCH;
	struct watch *w = find(p, id);
	if (!w)
		return -ENOENT;
	memset(ret, 0, sizeof *ret);
	ret->id = w->id;
	ret->addr = w->addr;
	ret->len = w->len;
	ret->kind = w->kind;
	ret->hardware = w->hw;
	ret->slot = w->hw ? w->slot : -1;
	return 0;
}

/* ---- reports ---- */

static void fill(struct ptk_session *s, struct tracee *t, struct ptk_event *ev,
                 const struct watch *w, unsigned access, const uint8_t *cur)
{
	ev->kind = PTK_EV_WATCHPOINT;
	ev->addr = w->addr;
	ev->sig = SIGTRAP;
	struct ptk_watch_hit *h = &ev->watch;
	memset(h, 0, sizeof *h);
	h->id = w->id;
	h->kind = w->kind;
	h->access = access;
	h->hardware = w->hw;
	h->addr = w->addr;
	h->len = w->len;
	if (regs_fetch(s, t) == 0)
		h->pc = t->regs.rip;
	memcpy(h->old_bytes, w->old, w->len);
	memcpy(h->new_bytes, cur, w->len);
	size_t n = w->len < 8 ? w->len : 8;
	memcpy(&h->old_value, w->old, n);
	memcpy(&h->new_value, cur, n);
}

/* The decoded instruction in flight certainly writes into w. */
static bool writes_surely(const struct inflight *wi, const struct watch *w)
{
	if (!wi->valid || wi->syscall || wi->unknown)
		return false;
	for (int i = 0; i < wi->n; i++)
		if ((wi->ref[i].acc & REF_W) &&
		    overlap(wi->ref[i].addr, wi->ref[i].len, w->addr, w->len))
			return true;
	return false;
}

/* The instruction in flight may write into w (a syscall or an undecoded one may write anything). */
static bool writes(const struct inflight *wi, const struct watch *w)
{
	return wi->valid && (wi->syscall || wi->unknown || writes_surely(wi, w));
}

static bool reads(const struct inflight *wi, const struct watch *w)
{
	for (int i = 0; wi->valid && i < wi->n; i++)
		if ((wi->ref[i].acc & REF_R) &&
		    overlap(wi->ref[i].addr, wi->ref[i].len, w->addr, w->len))
			return true;
	return false;
}

/*
 * Another thread of the address space has an instruction in flight that
 * may have written w (surely: a decoded store into it, not a syscall).
 */
static bool others_explain(struct ptk_session *s, struct tracee *t, const struct watch *w,
                           bool surely)
{
	struct proc *mm = mm_of(t->proc);
	for (struct proc *q = s->procs; q; q = q->next) {
		if (mm_of(q) != mm || !q->threads)
			continue;
		struct tracee *u = q->threads;
		do {
			if (u != t && (surely ? writes_surely(&u->wi, w) : writes(&u->wi, w)))
				return true;
			u = u->next;
		} while (u != q->threads);
	}
	return false;
}

/* Read the watched bytes of w into cur; false when unreadable now. */
static bool current(struct ptk_session *s, struct tracee *t, const struct watch *w, uint8_t *cur)
{
	return ptk_mem_read(s, t->tid, w->addr, cur, w->len, NULL) == 0;
}

/*
 * After t completed an instruction: compare the software watchpoints and
 * look at the debug registers.  Returns 1 with ev a PTK_EV_WATCHPOINT (t
 * is then marked to check again when resumed: one event per watchpoint),
 * 0 when there is nothing to report, or -errno.
 */
int watch_check(struct ptk_session *s, struct tracee *t, struct ptk_event *ev)
{
	struct proc *p = t->proc;
	if (!p->watches)
		return 0;
	if (p->hw_slots && (ev->kind == PTK_EV_STEP || t->hw_pending)) {
		int r = watch_hw_trap(s, t, ev);
		if (r != 0)
			return r;
	}
	if (!p->nsw)
		return 0;
	/* Lowest id first, so several changes come out in a stable order. */
	struct watch *best = NULL;
	unsigned best_access = 0;
	uint8_t best_cur[PTK_WATCH_MAX_LEN];
	for (struct watch *w = p->watches; w; w = w->next) {
		if (w->hw || (best && w->id > best->id))
			continue;
		uint8_t cur[PTK_WATCH_MAX_LEN];
		if (!current(s, t, w, cur))
			continue;
		bool changed = memcmp(cur, w->old, w->len) != 0;
		unsigned access = 0;
		if (changed && (w->kind & PTK_WATCH_WRITE)) {
			/*
			 * Wait for the thread whose instruction may have made
			 * the change, but not forever (one blocked in a long
			 * syscall "may have written" anything).
			 * A thread coming back from a syscall "may have written"
			 * too, but a decoded store into w elsewhere is the
			 * likelier author (a pthread_join()ing main thread).
			 */
			bool mine = writes_surely(&t->wi, w) ||
			            (writes(&t->wi, w) && !others_explain(s, t, w, true));
			if (mine || w->deferred >= MAX_DEFER || !others_explain(s, t, w, false))
				access = PTK_WATCH_WRITE;
			else
				w->deferred++;
		} else if ((w->kind & PTK_WATCH_READ) && reads(&t->wi, w) &&
		           !(w->rd_tid == t->tid && w->rd_seq == t->wseq))
			access = PTK_WATCH_READ;
		if (changed && !(w->kind & PTK_WATCH_WRITE))
			memcpy(w->old, cur, w->len); /* a read watchpoint does not report writes */
		if (!access)
			continue;
		best = w;
		best_access = access;
		memcpy(best_cur, cur, w->len);
	}
	if (!best)
		return 0;
	fill(s, t, ev, best, best_access, best_cur);
	memcpy(best->old, best_cur, best->len);
	best->deferred = 0;
	if (best_access == PTK_WATCH_READ) {
		best->rd_tid = t->tid;
		best->rd_seq = t->wseq;
	}
	t->synth = SYNTH_RECHECK; /* another watchpoint may have triggered too */
	return 1;
}

/*
 * A debug-register trap (TRAP_HWBKPT, or a single step: DR6 then has BS
 * and maybe B0-B3), or slots of an earlier trap not reported yet.
 * Returns 1 with a PTK_EV_WATCHPOINT in ev, 0 when no ptk watchpoint has
 * something to report.
 */
int watch_hw_trap(struct ptk_session *s, struct tracee *t, struct ptk_event *ev)
{
	struct proc *p = t->proc;
	unsigned bits = t->hw_pending;
	t->hw_pending = 0;
	if (!bits) {
		uint64_t dr6 = 0;
		int r = pt_peek(s, PTRACE_PEEKUSER, t->tid, dr_off(6), &dr6);
		if (r < 0)
			return r == -ESRCH ? 0 : r;
		bits = dr6 & 0xf;
		/* DR6 as ptrace shows it is sticky: clear it, so an old bit is not seen again. */
		if (bits)
			pt(s, PTRACE_POKEUSER, t->tid, dr_off(6), 0);
	}
	for (struct watch *w = p->watches; w && bits; w = w->next) {
		if (!w->hw || !(bits & (1u << w->slot)))
			continue;
		bits &= ~(1u << w->slot);
		uint8_t cur[PTK_WATCH_MAX_LEN];
		if (!current(s, t, w, cur))
			continue;
		bool changed = memcmp(cur, w->old, w->len) != 0;
		if (changed && w->kind == PTK_WATCH_READ) {
			memcpy(w->old, cur, w->len);
			continue;
		}
		if (!changed && w->kind == PTK_WATCH_WRITE)
			continue; /* the same value written again */
		fill(s, t, ev, w, changed ? PTK_WATCH_WRITE : PTK_WATCH_READ, cur);
		memcpy(w->old, cur, w->len);
		if (bits) {
			t->hw_pending = (uint8_t)bits;
			t->synth = SYNTH_RECHECK;
		}
		return 1;
	}
	return 0;
}
