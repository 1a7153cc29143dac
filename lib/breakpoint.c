/* SPDX-License-Identifier: MIT */
/*
 * Software breakpoints: an int3 (0xcc) byte over the first byte of an
 * instruction.  Breakpoints belong to an address space: a vfork child or a
 * CLONE_VM child shares its parent's (mm_of()), a fork child gets a copy
 * of the int3 bytes, which are removed from it at once (a detached child
 * that ran into one would die of SIGTRAP).
 *
 * Reads through ptk_mem_read() see the original bytes; writes over a
 * breakpoint update the saved byte and keep the int3.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>

#define INT3 0xcc

struct proc *mm_of(struct proc *p)
{
	while (p->mm_owner)
		p = p->mm_owner;
	return p;
}

struct bp *bp_at(struct proc *p, uint64_t addr)
{
	for (struct bp *b = mm_of(p)->bps; b; b = b->next)
		if (b->addr == addr)
			return b;
	return NULL;
}

int ptk_bp_insert(struct ptk_session *s, pid_t pid, uint64_t addr, int *ret_id)
{
	struct proc *p = proc_find(s, pid);
	if (!p || !p->threads)
		return -ESRCH;
	struct proc *mm = mm_of(p);
	struct bp *b = bp_at(mm, addr);
	if (b) {
		*ret_id = b->id;
		return 0;
	}
	b = calloc(1, sizeof *b);
	if (!b)
		return -ENOMEM;
	/*
	 * The instruction under it is decoded once, now (insn.c): whether a
	 * hit can be emulated, or run out of line, is decided here.
	 */
	uint8_t code[16];
	size_t got = 0;
	int r = ptk_mem_read(s, p->threads->tid, addr, code, sizeof code, &got);
	if (got > 0) {
		r = 0;
		b->orig = code[0];
		b->decoded = insn_decode(code, got, addr, &b->insn) == 0;
	}
	if (r == 0) {
		uint8_t cc = INT3;
		r = mem_poke_text(s, mm, addr, &cc, 1);
	}
	if (r < 0) {
		free(b);
		return r;
	}
	b->addr = addr;
	b->id = mm->next_bp_id++;
	b->inserted = true;
	b->next = mm->bps;
	mm->bps = b;
	*ret_id = b->id;
	return 0;
}

int ptk_bp_info(const struct ptk_session *s, pid_t pid, int id, struct ptk_bp_info *ret)
{
	struct proc *p = proc_find(s, pid);
	if (!p)
		return -ESRCH;
	for (struct bp *b = mm_of(p)->bps; b; b = b->next) {
		if (b->id != id)
			continue;
		unsigned m = s->bp_methods ? s->bp_methods : ~0u;
		memset(ret, 0, sizeof *ret);
		ret->addr = b->addr;
		ret->id = b->id;
		ret->orig = b->orig;
		ret->len = b->decoded ? b->insn.len : 0;
		ret->method = PTK_BP_STEP;
		if (b->decoded && b->insn.op != EOP_NONE && (m & (1u << PTK_BP_EMULATE)))
			ret->method = PTK_BP_EMULATE;
		else if (b->decoded && (m & (1u << PTK_BP_DISPLACED)) &&
		         !(b->insn.flags & (INSN_RELBR | INSN_NOCOPY | INSN_INT80)))
			ret->method = PTK_BP_DISPLACED;
		return 0;
	}
	return -ENOENT;
}

static int bp_restore(struct ptk_session *s, struct proc *mm, struct bp *b)
{
	if (!b->inserted)
		return 0;
	b->inserted = false;
	return mem_poke_text(s, mm, b->addr, &b->orig, 1);
}

int ptk_bp_remove(struct ptk_session *s, pid_t pid, int id)
{
	struct proc *p = proc_find(s, pid);
	if (!p)
		return -ESRCH;
	struct proc *mm = mm_of(p);
	for (struct bp **pp = &mm->bps; *pp; pp = &(*pp)->next)
		if ((*pp)->id == id) {
			struct bp *b = *pp;
			*pp = b->next;
			mm->retired[mm->nretired++ % (sizeof mm->retired / sizeof *mm->retired)] =
			        b->addr;
			int r = bp_restore(s, mm, b);
			free(b);
			return r == -ESRCH ? 0 : r;
		}
	return -ENOENT;
}

bool bp_retired_hit(struct ptk_session *s, struct tracee *t, uint64_t addr)
{
	struct proc *mm = mm_of(t->proc);
	for (size_t i = 0; i < sizeof mm->retired / sizeof *mm->retired; i++) {
		if (!mm->retired[i] || mm->retired[i] != addr || bp_at(t->proc, addr))
			continue;
		/* the tracee's own int3 there would still be in memory */
		uint8_t byte = 0;
		return ptk_mem_read(s, t->tid, addr, &byte, 1, NULL) == 0 && byte != 0xcc;
	}
	return false;
}

int ptk_bp_shadow(const struct ptk_session *s, pid_t pid, uint64_t addr, uint8_t *ret_byte)
{
	struct proc *p = proc_find(s, pid);
	if (!p)
		return -ESRCH;
	struct bp *b = bp_at(p, addr);
	if (!b)
		return 0;
	*ret_byte = b->orig;
	return 1;
}

/* Replace int3 bytes in buf (read from [addr, addr+n)) by the originals. */
void bp_hide(struct proc *p, uint64_t addr, uint8_t *buf, size_t n)
{
	for (struct bp *b = mm_of(p)->bps; b; b = b->next)
		if (b->inserted && b->addr >= addr && b->addr - addr < n)
			buf[b->addr - addr] = b->orig;
}

/* After writing [addr, addr+n): keep the breakpoints, remember the new bytes. */
void bp_rewrite(struct ptk_session *s, struct proc *p, uint64_t addr, const uint8_t *buf, size_t n)
{
	struct proc *mm = mm_of(p);
	uint8_t cc = INT3;
	for (struct bp *b = mm->bps; b; b = b->next) {
		if (b->inserted && b->addr >= addr && b->addr - addr < n) {
			b->orig = buf[b->addr - addr];
			mem_poke_text(s, mm, b->addr, &cc, 1);
		}
		/* The code under it changed: decode it again. */
		if (b->addr < addr + n && addr < b->addr + (b->decoded ? b->insn.len : 1)) {
			uint8_t code[16];
			size_t got = 0;
			pid_t tid = p->threads ? p->threads->tid : p->pid;
			ptk_mem_read(s, tid, b->addr, code, sizeof code, &got);
			b->decoded = got > 0 && insn_decode(code, got, b->addr, &b->insn) == 0;
		}
	}
}

int bp_remove_all(struct ptk_session *s, struct proc *p)
{
	int err = 0;
	/* Called by ptk_detach with every thread stopped: clear debug registers too. */
	struct tracee *t = p->threads;
	if (t)
		do {
			if (t->state == T_STOPPED)
				watch_release(s, t);
			t = t->next;
		} while (t != p->threads);
	for (struct bp *b = p->bps; b; b = b->next) {
		int r = bp_restore(s, p, b);
		if (r < 0 && r != -ESRCH)
			err = r;
	}
	return err;
}

void bp_forget_all(struct proc *p)
{
	while (p->bps) {
		struct bp *b = p->bps;
		p->bps = b->next;
		free(b);
	}
	/* The address space is gone (exec, or the process): so are these. */
	step_forget_mm(p);
	watch_forget_all(p);
}

/* Put the original byte back for a step in place (the breakpoint stays listed). */
int bp_lift(struct ptk_session *s, struct proc *mm, struct bp *b)
{
	return bp_restore(s, mm, b);
}

/* Reinsert the int3 at addr after a step, unless the breakpoint was removed meanwhile. */
int bp_put_back(struct ptk_session *s, struct proc *mm, uint64_t addr)
{
	struct bp *b = bp_at(mm, addr);
	if (!b || b->inserted)
		return 0;
	uint8_t cc = INT3;
	int r = mem_poke_text(s, mm, addr, &cc, 1);
	if (r == 0)
		b->inserted = true;
	return r;
}

int bp_strip_child(struct ptk_session *s, struct proc *parent, pid_t child)
{
	int err = 0;
	for (struct bp *b = mm_of(parent)->bps; b; b = b->next) {
		if (!b->inserted)
			continue;
		int r = ptk_mem_write(s, child, b->addr, &b->orig, 1, NULL);
		if (r < 0)
			err = r;
	}
	return err;
}

/* A thread blocked in vfork(2) until its child sharing mm execs or exits. */
static bool vfork_blocked(const struct ptk_session *s, const struct tracee *u,
                          const struct proc *mm)
{
	for (struct proc *q = s->procs; q; q = q->next)
		if (q->vfork_caller == u->tid && mm_of(q) == mm)
			return true;
	return false;
}

/*
 * Stop the running threads of address space mm (only those of process
 * `only` when not NULL), but `except`, and with `listening` also those
 * resumed with PTRACE_LISTEN.  Threads whose stop was our interrupt are
 * listed in *ret to be released with release_threads(); any other result
 * is queued for ptk_wait().  A thread blocked in vfork(2) cannot run user
 * code until its child leaves, and cannot stop either: it is skipped.
 * Returns the number held.
 */
int hold_threads(struct ptk_session *s, struct proc *mm, struct proc *only, struct tracee *except,
                 bool listening, struct held **ret)
{
	size_t n = 0, cap = 0;
	struct held *h = NULL;
	*ret = NULL;
	for (struct proc *q = s->procs; q; q = q->next) {
		if (mm_of(q) != mm || !q->threads || (only && q != only))
			continue;
		struct tracee *u = q->threads;
		do {
			bool run = u->state == T_RUNNING || (listening && u->state == T_LISTENING);
			bool hold = u != except && run && !vfork_blocked(s, u, mm);
			if (hold && n == cap) {
				/* Room first: an interrupted thread must be listed. */
				size_t ncap = cap ? cap * 2 : 8;
				struct held *nh = realloc(h, ncap * sizeof *nh);
				if (!nh)
					break;
				h = nh;
				cap = ncap;
			}
			if (hold && pt(s, PTRACE_INTERRUPT, u->tid, 0, 0) == 0) {
				u->interrupt_pending = true;
				h[n].tid = u->tid;
				h[n].req = u->state == T_LISTENING ? PTRACE_LISTEN
				           : u->last_req           ? u->last_req
				                                   : PTRACE_CONT;
				n++;
			}
			u = u->next;
		} while (u != q->threads);
	}
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		struct tracee *u = tracee_find(s, h[i].tid);
		int st;
		if (!u)
			continue;
		if (wait_tid(s, u->tid, &st, 1000) < 0) {
			plog(s, PTK_LOG_WARN, "thread %d did not stop to be held", u->tid);
			u->interrupt_internal = true;
			continue;
		}
		/*
		 * Our interrupt: PTRACE_EVENT_STOP with SIGTRAP, or with the
		 * stopping signal for a thread in group-stop (ptrace(2),
		 * PTRACE_LISTEN).
		 */
		if (WIFSTOPPED(st) && ((unsigned)st >> 16) == PTRACE_EVENT_STOP &&
		    (WSTOPSIG(st) == SIGTRAP || h[i].req == PTRACE_LISTEN)) {
			u->state = T_STOPPED;
			u->regs_valid = false;
			u->interrupt_pending = false;
			undo_interrupt_eintr(s, u);
			h[k++] = h[i];
		} else {
			/* A real event: report it; the interrupt is still pending. */
			u->interrupt_internal = true;
			u->state = T_QUEUED;
			queue_push(&s->q, u->tid, st);
		}
	}
	*ret = h;
	return (int)k;
}

void release_threads(struct ptk_session *s, struct held *h, int n)
{
	for (int i = 0; i < n; i++) {
		struct tracee *u = tracee_find(s, h[i].tid);
		if (u && u->state == T_STOPPED)
			resume_raw(s, u, h[i].req, 0);
	}
}
