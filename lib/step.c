/* SPDX-License-Identifier: MIT */
/*
 * Resuming threads: past the instruction under a breakpoint, one
 * instruction at a time for software watchpoints, and the single-step
 * traps that come back.
 *
 * A thread resumed while it stands on one of ptk's int3s must execute the
 * original instruction once, without any thread running through a lifted
 * breakpoint (PITFALLS #21).  Cheapest first (enum ptk_bp_method):
 *
 *  1. emulate it (emu.c): one stop per hit, nothing else;
 *  2. alone in its address space: lift the byte and step in place;
 *  3. run a copy of it out of line ("displaced"), in a page ptk maps into
 *     the tracee, with rip-relative displacements adjusted; a `syscall`
 *     runs from another `syscall` instruction of the process instead;
 *  4. hold every other thread of the address space, lift, step, put back.
 *
 * 2 and 3 are asynchronous: the step's trap (or whatever stop comes first)
 * is handled when ptk_wait() meets it (step_after_stop), so a step over a
 * blocking syscall never blocks the tracer.  4 waits for its step (the
 * other threads are stopped meanwhile); it is used for instructions that
 * cannot run elsewhere (relative branches are emulated instead) and for
 * fork-like syscalls, whose child would return into the copy.
 *
 * Single-step traps (x86, ptrace(2)): TRAP_TRACE after an instruction,
 * TRAP_BRKPT after a `syscall` (the kernel's user_single_step_report),
 * TRAP_UNK (5) when a signal handler was entered; event.c tells them apart
 * from the tracee's own SIGTRAPs by ptk's record of the steps it asked for.
 */
#include "internal.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/wait.h>

#define PAGE        4096u
#define SLOT        16u
#define MAX_PAGES   8
#define ALL_METHODS ((1u << PTK_BP_EMULATE) | (1u << PTK_BP_DISPLACED) | (1u << PTK_BP_STEP))
#define EMU_BURST   256 /* instructions emulated in a row under a software watchpoint */

/* Restart codes the kernel turns into a re-executed syscall (include/linux/errno.h). */
#define ERESTARTSYS_           512
#define ERESTARTNOINTR_        513
#define ERESTARTNOHAND_        514
#define ERESTART_RESTARTBLOCK_ 516

static unsigned methods(const struct ptk_session *s)
{
	return s->bp_methods ? s->bp_methods : ALL_METHODS;
}

unsigned ptk_bp_set_methods(struct ptk_session *s, unsigned mask)
{
	unsigned old = methods(s);
	s->bp_methods = (mask & ALL_METHODS) | (1u << PTK_BP_STEP);
	return old;
}

/*
 * The thread is inside a syscall, or returns to user mode through the
 * kernel's restart (rax a restart code, orig_rax the syscall): its pc is
 * past a `syscall` instruction that has not finished, so the instruction
 * at the pc is not the next one to run.
 */
static bool in_syscall(struct tracee *t)
{
	switch (t->stop_kind) {
	case PTK_EV_SYSCALL_ENTER:
	case PTK_EV_SYSCALL_EXIT:
	case PTK_EV_SECCOMP:
	case PTK_EV_FORK:
	case PTK_EV_VFORK:
	case PTK_EV_CLONE:
	case PTK_EV_VFORK_DONE:
	case PTK_EV_EXIT:
		return true;
	default:
		break;
	}
	int64_t rax = (int64_t)t->regs.rax;
	return t->regs_valid && (int64_t)t->regs.orig_rax >= 0 &&
	       (rax == -ERESTARTSYS_ || rax == -ERESTARTNOINTR_ || rax == -ERESTARTNOHAND_ ||
	        rax == -ERESTART_RESTARTBLOCK_);
}

/*
 * What the instruction about to run accesses, for software watchpoints.
 * At a stop inside a syscall, the step ends when the syscall returns: it
 * may have written anything.
 */
static void prepare_wi(struct ptk_session *s, struct tracee *t)
{
	t->wseq++;
	memset(&t->wi, 0, sizeof t->wi);
	t->wi.valid = true;
	if (regs_fetch(s, t) < 0 || in_syscall(t)) {
		t->wi.syscall = true;
		return;
	}
	uint8_t buf[16];
	size_t got = 0;
	ptk_mem_read(s, t->tid, t->regs.rip, buf, sizeof buf, &got);
	struct insn in;
	if (got == 0 || insn_decode(buf, got, t->regs.rip, &in) < 0) {
		t->wi.unknown = true;
		return;
	}
	insn_refs(&in, t->regs.rip, &t->regs, &t->wi);
}

static int step_emulated(struct ptk_session *s, struct tracee *t, int req);

/*
 * Resume t for the caller's request req (a thread not standing on a
 * breakpoint, or past it).  With software watchpoints the thread runs one
 * instruction (PTRACE_SINGLESTEP) and step_after_stop compares; a caller
 * that asked for syscall stops still gets them: a `syscall` instruction
 * runs with PTRACE_SYSCALL.
 */
int resume_next(struct ptk_session *s, struct tracee *t, int req, int sig)
{
	if (!watch_sw_active(t->proc) || req == PTRACE_LISTEN)
		return resume_raw(s, t, req, sig);
	/*
	 * PTK_STEP_EMULATE: the instruction is emulated where possible (a
	 * synthetic stop compares the watchpoints), at most EMU_BURST in a
	 * row: then one runs for real, so that signals are delivered and
	 * ptk_wait() waits in the kernel again.
	 */
	if (!sig && t->emu_burst < EMU_BURST && (s->flags & PTK_STEP_EMULATE) &&
	    (methods(s) & (1u << PTK_BP_EMULATE))) {
		int r = regs_fetch(s, t);
		if (r < 0)
			return r;
		r = step_emulated(s, t, req);
		if (r != 0) {
			t->emu_burst++;
			return r < 0 ? r : 0;
		}
	}
	t->emu_burst = 0;
	prepare_wi(s, t);
	int kreq = PTRACE_SINGLESTEP;
	if (req == PTRACE_SYSCALL) {
		bool at_enter =
		        t->stop_kind == PTK_EV_SYSCALL_ENTER || t->stop_kind == PTK_EV_SECCOMP;
		bool at_insn = false;
		if (!at_enter && t->regs_valid && !in_syscall(t)) {
			uint8_t b[2];
			at_insn = ptk_mem_read(s, t->tid, t->regs.rip, b, 2, NULL) == 0 &&
			          b[0] == 0x0f && b[1] == 0x05;
		}
		if (at_enter || at_insn)
			kreq = PTRACE_SYSCALL;
	}
	return resume_raw(s, t, kreq, sig);
}

/* Report a synthetic stop of t (it stays stopped in the kernel) at the next ptk_wait(). */
static int queue_synth(struct ptk_session *s, struct tracee *t, uint8_t kind)
{
	t->synth = kind;
	t->state = T_QUEUED;
	return queue_push(&s->q, t->tid, SYNTH_STATUS);
}

/* t completed an instruction without running (emulated): what next. */
static int insn_done(struct ptk_session *s, struct tracee *t, int req)
{
	if (watch_sw_active(t->proc))
		return queue_synth(s, t, SYNTH_CHECK);
	if (req == PTRACE_SINGLESTEP)
		return queue_synth(s, t, SYNTH_STEP);
	return resume_next(s, t, req, 0);
}

/* Is t the only thread that could run through a lifted byte of its address space? */
static bool alone(struct ptk_session *s, struct tracee *t)
{
	struct proc *mm = mm_of(t->proc);
	for (struct proc *q = s->procs; q; q = q->next) {
		if (mm_of(q) != mm || !q->threads)
			continue;
		struct tracee *u = q->threads;
		do {
			if (u != t && u->state != T_DEAD)
				return false;
			u = u->next;
		} while (u != q->threads);
	}
	return true;
}

/* Does no other thread of t's address space run (all stopped in the kernel, or gone)? */
static bool others_stopped(struct ptk_session *s, struct tracee *t)
{
	struct proc *mm = mm_of(t->proc);
	for (struct proc *q = s->procs; q; q = q->next) {
		if (mm_of(q) != mm || !q->threads)
			continue;
		struct tracee *u = q->threads;
		do {
			if (u != t && u->state != T_DEAD && u->state != T_STOPPED &&
			    u->state != T_QUEUED)
				return false;
			u = u->next;
		} while (u != q->threads);
	}
	return true;
}

/*
 * Emulate in, the instruction at t's pc (t->regs valid), and complete the
 * caller's request req as if t had executed it.  Returns 1 when done, 0
 * when it must run for real, -errno.
 */
static int emulate(struct ptk_session *s, struct tracee *t, const struct insn *in, uint64_t pc,
                   int req)
{
	/* op_alone when the caller asked for it and nothing can race with the access */
	bool alone = (s->flags & PTK_STEP_EMULATE) && in->op_alone != EOP_NONE &&
	             in->op_alone != in->op && others_stopped(s, t);
	if ((alone ? in->op_alone : in->op) == EOP_NONE)
		return 0;
	if (t->proc->hw_slots) {
		/* a debug register must see this access: run it for real */
		struct inflight pre;
		insn_refs(in, pc, &t->regs, &pre);
		if (watch_hw_overlap(t->proc, &pre))
			return 0;
	}
	struct inflight refs;
	int r = emu_run(s, t, in, alone, &refs);
	if (r <= 0)
		return r;
	regs_store_lazy(s, t); /* written when the thread runs (or stepi N: once) */
	t->wseq++;
	t->wi = refs;
	t->stop_kind = PTK_EV_STEP;
	r = insn_done(s, t, req);
	return r < 0 ? r : 1;
}

/*
 * PTK_STEP_EMULATE: the next instruction of t (not on a breakpoint, no
 * signal; t->regs valid) completed without running t, for the request
 * req (a single step, or an instruction of a software watchpoint's run).
 * 1 done, 0 not possible (run it for real), -errno.
 */
static int step_emulated(struct ptk_session *s, struct tracee *t, int req)
{
	/*
	 * Only from a stop where the thread is about to execute its pc: not
	 * inside a syscall, not at the exec stop (the first step traps on
	 * the way out of execve), not at an interrupt or group-stop.
	 */
	switch (t->stop_kind) {
	case PTK_EV_STEP:
	case PTK_EV_BREAKPOINT:
	case PTK_EV_WATCHPOINT:
	case PTK_EV_SIGNAL:
		break;
	default:
		return 0;
	}
	if (in_syscall(t) || t->so_kind)
		return 0;
	uint8_t buf[16];
	size_t got = 0;
	ptk_mem_read(s, t->tid, t->regs.rip, buf, sizeof buf, &got);
	struct insn in;
	if (got == 0 || insn_decode(buf, got, t->regs.rip, &in) < 0 || in.op_alone == EOP_NONE)
		return 0;
	/* an int3 of ptk's inside the instruction: its bytes are not the program's */
	struct proc *mm = mm_of(t->proc);
	for (unsigned k = 1; k < in.len; k++)
		if (bp_at(mm, t->regs.rip + k))
			return 0;
	return emulate(s, t, &in, t->regs.rip, req);
}

static bool forklike(uint64_t nr)
{
	return nr == 56 /* clone */ || nr == 57 /* fork */ || nr == 58 /* vfork */ ||
	       nr == 435 /* clone3 */;
}

/* ---- the page for out-of-line copies ---- */

/*
 * A `syscall` instruction (0f 05) in executable memory, preferably in the
 * vDSO, not under a breakpoint; checked at every use (a library holding
 * it may be unmapped).
 */
static uint64_t find_sc_insn(struct ptk_session *s, struct tracee *t, struct proc *mm)
{
	if (mm->sc_insn) {
		uint8_t b[2];
		if (ptk_mem_read(s, t->tid, mm->sc_insn, b, 2, NULL) == 0 && b[0] == 0x0f &&
		    b[1] == 0x05 && !bp_at(mm, mm->sc_insn) && !bp_at(mm, mm->sc_insn + 1))
			return mm->sc_insn;
		mm->sc_insn = 0;
	}
	struct ptk_maps m;
	if (ptk_maps_read(t->proc->pid, &m) < 0)
		return 0;
	s->st.proc_reads++;
	uint64_t found = 0;
	for (int pass = 0; pass < 2 && !found; pass++)
		for (size_t i = 0; i < m.n && !found; i++) {
			const struct ptk_map *e = &m.v[i];
			bool vdso = strcmp(e->path, "[vdso]") == 0;
			if (!(e->prot & PTK_PROT_X) || (pass == 0) != vdso)
				continue;
			uint64_t len = e->end - e->start;
			if (len > (1u << 20))
				len = 1u << 20;
			uint8_t *buf = malloc(len);
			if (!buf)
				break;
			size_t got = 0;
			ptk_mem_read(s, t->tid, e->start, buf, len, &got);
			for (size_t k = 0; k + 1 < got; k++)
				if (buf[k] == 0x0f && buf[k + 1] == 0x05 &&
				    !bp_at(mm, e->start + k) && !bp_at(mm, e->start + k + 1)) {
					found = e->start + k;
					break;
				}
			free(buf);
		}
	ptk_maps_free(&m);
	mm->sc_insn = found;
	return found;
}

/*
 * Make t call mmap(hint, PAGE, PROT_READ|PROT_EXEC, MAP_PRIVATE|MAP_ANONYMOUS)
 * from the `syscall` instruction at sc, then put its registers back.
 * Returns the address, 0 when the kernel refused, or -errno (-EINTR: a
 * signal or another stop came first; it is queued for ptk_wait()).
 */
static int64_t inject_mmap(struct ptk_session *s, struct tracee *t, uint64_t sc, uint64_t hint)
{
	int r = regs_fetch(s, t);
	if (r < 0)
		return r;
	struct ptk_regs saved = t->regs;
	t->regs.rip = sc;
	t->regs.rax = 9; /* mmap */
	t->regs.orig_rax = (uint64_t)-1;
	t->regs.rdi = hint;
	t->regs.rsi = PAGE;
	t->regs.rdx = 1 | 4;       /* PROT_READ | PROT_EXEC */
	t->regs.r10 = 0x02 | 0x20; /* MAP_PRIVATE | MAP_ANONYMOUS */
	t->regs.r8 = (uint64_t)-1;
	t->regs.r9 = 0;
	r = regs_store(s, t);
	if (r < 0)
		return r;
	int64_t result = -EINTR;
	int st = 0;
	for (int tries = 0; tries < 16; tries++) {
		long k = pt(s, PTRACE_SINGLESTEP, t->tid, 0, 0);
		if (k < 0)
			return k;
		r = wait_tid(s, t->tid, &st, -1);
		if (r < 0)
			return r;
		if (WIFEXITED(st) || WIFSIGNALED(st)) {
			t->state = T_RUNNING;
			queue_push(&s->q, t->tid, st);
			return -ESRCH;
		}
		int ev = (unsigned)st >> 16;
		/* ptk's own pending interrupt, a seccomp stop: let the syscall go on */
		if (ev == PTRACE_EVENT_SECCOMP ||
		    (ev == PTRACE_EVENT_STOP && (t->interrupt_internal || t->interrupt_pending))) {
			if (ev == PTRACE_EVENT_STOP)
				t->interrupt_internal = t->interrupt_pending = false;
			continue;
		}
		t->regs_valid = false;
		if (regs_fetch(s, t) < 0)
			return -ESRCH;
		if (WSTOPSIG(st) == SIGTRAP && ev == 0 && t->regs.rip == sc + 2)
			result = (int64_t)t->regs.rax;
		break;
	}
	t->regs = saved;
	r = regs_store(s, t);
	if (r < 0)
		return r;
	if (result == -EINTR) {
		/* A signal or an event arrived before the syscall ran: report it here. */
		t->state = T_QUEUED;
		queue_push(&s->q, t->tid, st);
		return -EINTR;
	}
	if (result < 0 && result > -4096)
		return 0;
	return result;
}

/*
 * A free page near addr (so a rip-relative displacement still reaches its
 * target from the copy): the top of the gap in /proc/PID/maps closest to
 * addr, never just below the stack or at the heap's end (brk grows there).
 */
static uint64_t page_hint(pid_t pid, uint64_t addr)
{
	struct ptk_maps m;
	if (ptk_maps_read(pid, &m) < 0)
		return 0;
	uint64_t best = 0, bestd = ~0ull;
	for (size_t i = 0; i < m.n; i++) {
		uint64_t lo = i ? m.v[i - 1].end : 0x100000, hi = m.v[i].start;
		if (hi < lo + 2 * PAGE || strcmp(m.v[i].path, "[stack]") == 0)
			continue;
		if (i && strcmp(m.v[i - 1].path, "[heap]") == 0 && hi - lo < (64u << 20))
			continue;
		uint64_t h = hi - PAGE;
		uint64_t d = h > addr ? h - addr : addr - h;
		if (d < bestd) {
			bestd = d;
			best = h;
		}
	}
	ptk_maps_free(&m);
	return best;
}

static bool reaches(uint64_t from_next, uint64_t target)
{
	int64_t d = (int64_t)(target - from_next);
	return d >= INT32_MIN && d <= INT32_MAX;
}

/*
 * Where the copy of the instruction under b runs, creating it if needed;
 * 0 when it cannot run out of line.  Copies are kept by address, so a
 * breakpoint removed and inserted again (as gdb does at every stop) reuses
 * its copy.
 */
static uint64_t copy_for(struct ptk_session *s, struct tracee *t, struct proc *mm, struct bp *b)
{
	const struct insn *in = &b->insn;
	if (!b->decoded || (in->flags & (INSN_RELBR | INSN_NOCOPY | INSN_SYSCALL | INSN_INT80)))
		return 0;
	for (struct dslot *d = mm->dslots; d; d = d->next)
		if (d->addr == b->addr && d->len == in->len &&
		    !memcmp(d->bytes, in->bytes, in->len))
			return d->at;
	if (mm->scratch_failed)
		return 0;
	uint64_t target = 0;
	if (in->flags & INSN_RIPREL) {
		int32_t disp;
		memcpy(&disp, in->bytes + in->disp_off, 4);
		target = b->addr + in->len + (uint64_t)(int64_t)disp;
	}
	struct scratch *pg = NULL;
	int npages = 0;
	for (struct scratch *p = mm->scratch; p; p = p->next, npages++)
		if (p->used + SLOT <= PAGE &&
		    (!(in->flags & INSN_RIPREL) || reaches(p->base + p->used + in->len, target))) {
			pg = p;
			break;
		}
	if (!pg) {
		if (npages >= MAX_PAGES)
			return 0;
		uint64_t sc = find_sc_insn(s, t, mm);
		if (!sc) {
			mm->scratch_failed = true;
			return 0;
		}
		int64_t base = inject_mmap(s, t, sc, page_hint(t->proc->pid, b->addr));
		if (base == -EINTR || base == -ESRCH)
			return (uint64_t)base; /* the caller reports what happened */
		if (base <= 0) {
			mm->scratch_failed = true;
			return 0;
		}
		pg = calloc(1, sizeof *pg);
		if (!pg)
			return 0;
		pg->base = (uint64_t)base;
		pg->next = mm->scratch;
		mm->scratch = pg;
		if ((in->flags & INSN_RIPREL) && !reaches(pg->base + in->len, target))
			return 0;
	}
	uint64_t at = pg->base + pg->used;
	uint8_t copy[16];
	memcpy(copy, in->bytes, in->len);
	if (in->flags & INSN_RIPREL) {
		int32_t nd = (int32_t)(int64_t)(target - (at + in->len));
		memcpy(copy + in->disp_off, &nd, 4);
	}
	struct dslot *d = calloc(1, sizeof *d);
	if (!d || mem_poke_text(s, mm, at, copy, in->len) < 0) {
		free(d);
		return 0;
	}
	pg->used += SLOT;
	d->addr = b->addr;
	d->at = at;
	d->len = in->len;
	memcpy(d->bytes, in->bytes, in->len);
	d->next = mm->dslots;
	mm->dslots = d;
	return at;
}

void step_forget_mm(struct proc *p)
{
	while (p->scratch) {
		struct scratch *n = p->scratch->next;
		free(p->scratch);
		p->scratch = n;
	}
	while (p->dslots) {
		struct dslot *n = p->dslots->next;
		free(p->dslots);
		p->dslots = n;
	}
	p->sc_insn = 0;
	p->scratch_failed = false;
}

/* ---- the four ways past a breakpoint ---- */

static void set_wi_from(struct ptk_session *s, struct tracee *t, const struct bp *b)
{
	t->so_rep = b->decoded && (b->insn.flags & INSN_REP);
	t->so_again = false;
	t->wseq++;
	if (b->decoded && t->regs_valid)
		insn_refs(&b->insn, b->addr, &t->regs, &t->wi);
	else
		t->wi = (struct inflight){.valid = true, .unknown = true};
	(void)s;
}

static int step_inplace(struct ptk_session *s, struct tracee *t, struct bp *b, int req)
{
	struct proc *mm = mm_of(t->proc);
	bool sc = b->decoded && (b->insn.flags & INSN_SYSCALL);
	set_wi_from(s, t, b);
	int r = bp_lift(s, mm, b);
	if (r < 0)
		return r;
	t->so_kind = SO_INPLACE;
	t->so_addr = t->so_at = b->addr;
	t->so_len = b->decoded ? b->insn.len : 0;
	t->so_fix = 0;
	r = resume_raw(s, t, sc && req == PTRACE_SYSCALL ? PTRACE_SYSCALL : PTRACE_SINGLESTEP, 0);
	if (r < 0) {
		t->so_kind = SO_NONE;
		bp_put_back(s, mm, b->addr);
	}
	return r;
}

static int step_displaced(struct ptk_session *s, struct tracee *t, struct bp *b, uint64_t at,
                          int req)
{
	bool sc = b->decoded && (b->insn.flags & INSN_SYSCALL);
	set_wi_from(s, t, b);
	t->regs.rip = at;
	int r = regs_store(s, t);
	if (r < 0)
		return r;
	t->so_kind = SO_DISPLACED;
	t->so_addr = b->addr;
	t->so_at = at;
	t->so_len = b->insn.len;
	t->so_fix = sc ? FIX_SYSCALL : (b->insn.flags & INSN_CALL) ? FIX_CALL : 0;
	r = resume_raw(s, t, sc && req == PTRACE_SYSCALL ? PTRACE_SYSCALL : PTRACE_SINGLESTEP, 0);
	if (r < 0)
		t->so_kind = SO_NONE;
	return r;
}

/* Other threads stopped, byte lifted, one step, byte back, threads released. */
static int step_hold(struct ptk_session *s, struct tracee *t, struct bp *b, int req)
{
	struct proc *mm = mm_of(t->proc);
	uint64_t addr = b->addr;
	/* a caller that wants syscall stops gets this one's: its enter stop ends the step */
	int kreq = b->decoded && (b->insn.flags & INSN_SYSCALL) && req == PTRACE_SYSCALL
	                   ? PTRACE_SYSCALL
	                   : PTRACE_SINGLESTEP;
	set_wi_from(s, t, b);
	struct held *held = NULL;
	int nheld = hold_threads(s, mm, NULL, t, false, &held);
	int r = bp_lift(s, mm, b);
	int st = 0;
	while (r == 0) {
		r = resume_raw(s, t, kreq, 0);
		if (r == 0)
			r = wait_tid(s, t->tid, &st, -1);
		/*
		 * An interrupt ptk made earlier (to hold this thread for
		 * another thread's step) may still be pending: it stops the
		 * step before the instruction runs.  Absorb it and step again,
		 * or the thread would run into the reinserted int3 and report
		 * the same hit twice.
		 */
		if (r == 0 && WIFSTOPPED(st) && ((unsigned)st >> 16) == PTRACE_EVENT_STOP &&
		    WSTOPSIG(st) == SIGTRAP && (t->interrupt_internal || t->interrupt_pending)) {
			t->interrupt_internal = false;
			t->interrupt_pending = false;
			t->state = T_STOPPED;
			continue;
		}
		/* one iteration of a rep instruction: step it until it leaves (still holding) */
		if (r == 0 && t->so_rep && WIFSTOPPED(st) && WSTOPSIG(st) == SIGTRAP &&
		    ((unsigned)st >> 16) == 0) {
			siginfo_t si;
			t->state = T_STOPPED;
			if (pt(s, PTRACE_GETSIGINFO, t->tid, 0, (unsigned long)&si) == 0 &&
			    si.si_code == 2 /* TRAP_TRACE */ && regs_fetch(s, t) == 0 &&
			    t->regs.rip == addr)
				continue;
		}
		break;
	}
	bp_put_back(s, mm, addr);
	release_threads(s, held, nheld);
	free(held);
	if (r < 0)
		return r;
	bool stepped = kreq == PTRACE_SINGLESTEP && WIFSTOPPED(st) && WSTOPSIG(st) == SIGTRAP &&
	               ((unsigned)st >> 16) == 0;
	bool fast = stepped && req != PTRACE_SINGLESTEP && !watch_sw_active(t->proc) &&
	            !t->proc->hw_slots;
	if (fast) {
		/* the step's own trap, not a SIGTRAP someone sent meanwhile */
		siginfo_t si;
		t->state = T_STOPPED;
		fast = pt(s, PTRACE_GETSIGINFO, t->tid, 0, (unsigned long)&si) == 0 &&
		       (si.si_code == 2 /* TRAP_TRACE */ || si.si_code == 1 /* TRAP_BRKPT */);
	}
	if (fast) {
		t->state = T_STOPPED;
		t->stepping = false;
		t->step_due = false;
		t->stop_kind = PTK_EV_STEP;
		return resume_next(s, t, req, 0);
	}
	/* The step's trap (or what came instead) goes through ptk_wait(). */
	t->stepping = stepped;
	t->step_due = stepped;
	t->state = T_QUEUED;
	return queue_push(&s->q, t->tid, st);
}

static int step_over(struct ptk_session *s, struct tracee *t, struct bp *b, int req)
{
	struct proc *mm = mm_of(t->proc);
	unsigned m = methods(s);
	if (b->decoded && (m & (1u << PTK_BP_EMULATE))) {
		int r = emulate(s, t, &b->insn, b->addr, req);
		if (r != 0)
			return r < 0 ? r : 0;
	}
	if (alone(s, t))
		return step_inplace(s, t, b, req);
	if (m & (1u << PTK_BP_DISPLACED)) {
		uint64_t at = 0;
		if (b->decoded && (b->insn.flags & INSN_SYSCALL)) {
			if (!forklike(t->regs.rax))
				at = find_sc_insn(s, t, mm);
		} else {
			at = copy_for(s, t, mm, b);
			if (at == (uint64_t)-EINTR || at == (uint64_t)-ESRCH)
				return 0; /* a stop came first: it is queued */
		}
		if (at)
			return step_displaced(s, t, b, at, req);
	}
	return step_hold(s, t, b, req);
}

/* ---- ptk_resume() ---- */

int step_resume(struct ptk_session *s, struct tracee *t, int req, int sig)
{
	t->user_req = req;
	t->user_step = req == PTRACE_SINGLESTEP;
	if (t->synth)
		return queue_synth(s, t, t->synth);
	/*
	 * At a syscall-exit stop the syscall may have written a watched range
	 * (read(2) into it): compare before the thread moves on.
	 */
	if (!sig && t->stop_kind == PTK_EV_SYSCALL_EXIT && watch_sw_active(t->proc)) {
		t->wseq++;
		t->wi = (struct inflight){.valid = true, .syscall = true};
		return queue_synth(s, t, SYNTH_RECHECK);
	}
	struct proc *mm = mm_of(t->proc);
	if (mm->bps && !sig) {
		int r = regs_fetch(s, t);
		if (r < 0)
			return r;
		struct bp *b = bp_at(t->proc, t->regs.rip);
		/*
		 * Only a thread about to execute the instruction steps over
		 * it: one inside a syscall (its pc is past the `syscall`, which
		 * may be restarted) reaches the int3 afterwards, a real hit.
		 */
		if (b && b->inserted && !in_syscall(t))
			return step_over(s, t, b, req);
	}
	if (req == PTRACE_SINGLESTEP && !sig && (s->flags & PTK_STEP_EMULATE) &&
	    (methods(s) & (1u << PTK_BP_EMULATE))) {
		int r = regs_fetch(s, t);
		if (r < 0)
			return r;
		r = step_emulated(s, t, req);
		if (r != 0)
			return r < 0 ? r : 0;
	}
	return resume_next(s, t, req, sig);
}

/* ---- stops ---- */

/* A step-over in flight ends at the thread's next stop, whatever it is. */
static int so_finish(struct ptk_session *s, struct tracee *t, struct ptk_event *ev)
{
	uint8_t kind = t->so_kind;
	t->so_kind = SO_NONE;
	struct proc *mm = mm_of(t->proc);
	if (kind == SO_INPLACE)
		bp_put_back(s, mm, t->so_addr);
	if (ev->kind == PTK_EV_EXEC)
		return 0;
	if (kind == SO_INPLACE) {
		int r = 0;
		if (t->so_rep && ev->kind == PTK_EV_STEP && (r = regs_fetch(s, t)) == 0)
			t->so_again = t->regs.rip == t->so_addr;
		return r;
	}
	int r = regs_fetch(s, t);
	if (r < 0)
		return r;
	uint64_t at = t->so_at, addr = t->so_addr, len = t->so_len;
	bool changed = false;
	/* The pc in the copy (not run yet, or just past it) maps back. */
	if (t->regs.rip >= at && t->regs.rip <= at + len) {
		if (t->regs.rip == at + len && t->so_fix == FIX_SYSCALL && t->regs.rcx == at + len)
			t->regs.rcx = addr + len; /* `syscall` saved its return address there */
		t->regs.rip = addr + (t->regs.rip - at);
		changed = true;
		/* one iteration of a rep instruction: it goes on at the same pc */
		t->so_again = t->so_rep && ev->kind == PTK_EV_STEP && t->regs.rip == addr;
	}
	if (ev->kind == PTK_EV_STEP && t->so_fix == FIX_CALL) {
		/* a call pushed the copy's return address: make it the original's */
		uint64_t ret = 0, want = addr + len;
		if (ptk_mem_read(s, t->tid, t->regs.rsp, &ret, 8, NULL) == 0 && ret == at + len)
			ptk_mem_write(s, t->tid, t->regs.rsp, &want, 8, NULL);
	}
	if (changed) {
		r = regs_store(s, t);
		/* a syscall stop's pc was read before: show the original's */
		if (ev->sc.op != PTK_SC_NONE)
			ev->sc.ip = t->regs.rip;
	}
	return r;
}

/*
 * After t completed an instruction (completed), or when it must look at its
 * watchpoints again without running: report a watchpoint, else the
 * caller's completed step, else resume it as the caller asked.
 */
static int after_insn(struct ptk_session *s, struct tracee *t, struct ptk_event *ev, bool completed)
{
	int r = watch_check(s, t, ev);
	if (r != 0)
		return r;
	t->wi.valid = false;
	if (completed && t->user_req == PTRACE_SINGLESTEP && t->user_step) {
		ev->kind = PTK_EV_STEP;
		return 1;
	}
	if (t->proc->detaching) {
		if (!completed)
			ev->kind = PTK_EV_STOP;
		return 1;
	}
	int req = t->user_req ? t->user_req : PTRACE_CONT;
	if (t->so_again) {
		/*
		 * A rep instruction that has not finished is the same
		 * execution, not a new arrival at its breakpoint: step over
		 * it again rather than run into the int3.
		 */
		t->so_again = false;
		struct bp *b = bp_at(t->proc, t->regs.rip);
		if (b && b->inserted && t->regs_valid)
			r = step_over(s, t, b, req);
		else
			r = resume_next(s, t, req, 0);
		return r == -ESRCH ? 0 : r;
	}
	r = resume_next(s, t, req, 0);
	return r == -ESRCH ? 0 : r;
}

int step_after_stop(struct ptk_session *s, struct tracee *t, struct ptk_event *ev)
{
	if (t->so_kind) {
		int r = so_finish(s, t, ev);
		if (r == -ESRCH)
			return 0;
		if (r < 0)
			return r;
	}
	switch (ev->kind) {
	case PTK_EV_STEP:
		return after_insn(s, t, ev, true);
	case PTK_EV_BREAKPOINT:
	case PTK_EV_EXEC:
		t->wi.valid = false;
		return 1;
	default:
		return 1;
	}
}

/* The synthetic stop of t queued by queue_synth(): fill ev, or resume t (0). */
int step_synth(struct ptk_session *s, struct tracee *t, struct ptk_event *ev)
{
	uint8_t kind = t->synth;
	t->synth = 0;
	ev->status = (SIGTRAP << 8) | 0x7f;
	ev->sig = SIGTRAP;
	if (kind == SYNTH_STEP) {
		ev->kind = PTK_EV_STEP;
		return 1;
	}
	ev->kind = PTK_EV_STEP;
	return after_insn(s, t, ev, kind == SYNTH_CHECK);
}

/* Whether SIGTRAP is pending for thread t (/proc/PID/task/TID/status, SigPnd). */
static bool sigtrap_pending(struct ptk_session *s, struct tracee *t)
{
	char path[96], buf[4096];
	snprintf(path, sizeof path, "/proc/%d/task/%d/status", t->proc->pid, t->tid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	s->st.proc_reads++;
	if (n <= 0)
		return false;
	buf[n] = 0;
	const char *p = strstr(buf, "\nSigPnd:");
	return p && (strtoull(p + 8, NULL, 16) & (1ull << (SIGTRAP - 1)));
}

/*
 * A step's trap can be queued behind ptk's interrupt: the kernel queues
 * it when the instruction (or a syscall) completes and reports the
 * interrupt's PTRACE_EVENT_STOP first (get_signal() runs job-control traps
 * before dequeuing signals).  Detached with it pending, the thread would
 * take the SIGTRAP and the process would die.  Let the kernel dequeue it
 * into a signal-delivery-stop, which PTRACE_DETACH with no signal drops.
 */
static void drop_step_trap(struct ptk_session *s, struct tracee *t)
{
	for (int i = 0; i < 4 && sigtrap_pending(s, t); i++) {
		if (resume_raw(s, t, PTRACE_CONT, 0) < 0)
			return;
		int st;
		if (wait_tid(s, t->tid, &st, 1000) < 0)
			return;
		if (!WIFSTOPPED(st)) {
			t->state = T_QUEUED; /* it died: ptk_detach sees it gone */
			queue_push(&s->q, t->tid, st);
			return;
		}
		t->state = T_STOPPED;
		t->regs_valid = false;
		t->stepping = t->step_due = false;
		if (((unsigned)st >> 16) == 0) {
			/* a signal-delivery-stop: the trap (dropped), or another signal (passed on)
			 */
			t->stop_kind = WSTOPSIG(st) == SIGTRAP ? PTK_EV_STEP : PTK_EV_SIGNAL;
			t->stop_sig = WSTOPSIG(st);
			return;
		}
		t->stop_kind = PTK_EV_STOP;
	}
}

/*
 * t is being detached: finish a step-over in flight so it is not left in
 * the copy or the breakpoint lifted, drop a step's trap still due, clear
 * the debug registers.
 */
void step_settle(struct ptk_session *s, struct tracee *t)
{
	if (t->so_kind) {
		struct ptk_event ev = {.kind = PTK_EV_STOP};
		so_finish(s, t, &ev);
	}
	t->synth = 0;
	if (t->step_due)
		drop_step_trap(s, t);
	t->step_due = false;
	watch_release(s, t);
}
