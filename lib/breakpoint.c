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
	int r = ptk_mem_read(s, p->threads->tid, addr, &b->orig, 1, NULL);
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
			int r = bp_restore(s, mm, b);
			free(b);
			return r == -ESRCH ? 0 : r;
		}
	return -ENOENT;
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
	for (struct bp *b = mm->bps; b; b = b->next)
		if (b->inserted && b->addr >= addr && b->addr - addr < n) {
			b->orig = buf[b->addr - addr];
			mem_poke_text(s, mm, b->addr, &cc, 1);
		}
}

int bp_remove_all(struct ptk_session *s, struct proc *p)
{
	int err = 0;
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

/*
 * Stop every running thread that shares t's address space, so none runs
 * through the breakpoint while its byte is restored.  Threads whose stop
 * was our interrupt are listed in held[] to be resumed afterwards; any
 * other result is queued for ptk_wait().
 */
static int hold_others(struct ptk_session *s, struct tracee *t, struct tracee ***ret_held)
{
	struct proc *mm = mm_of(t->proc);
	size_t n = 0, cap = 0;
	struct tracee **held = NULL;
	for (struct proc *q = s->procs; q; q = q->next) {
		if (mm_of(q) != mm || !q->threads)
			continue;
		struct tracee *u = q->threads;
		do {
			if (u != t && u->state == T_RUNNING &&
			    pt(s, PTRACE_INTERRUPT, u->tid, 0, 0) == 0) {
				u->interrupt_pending = true;
				if (n == cap) {
					cap = cap ? cap * 2 : 8;
					struct tracee **nh = realloc(held, cap * sizeof *nh);
					if (!nh)
						break;
					held = nh;
				}
				held[n++] = u;
			}
			u = u->next;
		} while (u != q->threads);
	}
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		struct tracee *u = held[i];
		int st;
		if (wait_tid(s, u->tid, &st, 1000) < 0) {
			plog(s, PTK_LOG_WARN, "thread %d did not stop for a step-over", u->tid);
			continue;
		}
		if (WIFSTOPPED(st) && ((unsigned)st >> 16) == PTRACE_EVENT_STOP &&
		    WSTOPSIG(st) == SIGTRAP) {
			u->state = T_STOPPED;
			u->regs_valid = false;
			u->interrupt_pending = false;
			undo_interrupt_eintr(s, u);
			held[k++] = u;
		} else {
			/* A real event: report it; the interrupt is still pending. */
			u->interrupt_internal = true;
			u->state = T_QUEUED;
			queue_push(&s->q, u->tid, st);
		}
	}
	*ret_held = held;
	return (int)k;
}

/*
 * t is stopped at an inserted breakpoint and the caller resumes it with
 * request req: execute the original instruction with the breakpoint lifted
 * and every other thread of the address space stopped, then put it back.
 */
int bp_step_over(struct ptk_session *s, struct tracee *t, int req)
{
	struct proc *mm = mm_of(t->proc);
	uint64_t addr = t->regs.rip;
	struct bp *b = bp_at(mm, addr);
	struct tracee **held = NULL;
	int nheld = hold_others(s, t, &held);
	int r = bp_restore(s, mm, b);
	int st = 0;
	while (r == 0) {
		r = resume_raw(s, t, PTRACE_SINGLESTEP, 0);
		if (r == 0)
			r = wait_tid(s, t->tid, &st, -1);
		/*
		 * An interrupt ptk made earlier (to hold this thread for
		 * another thread's step-over) may still be pending: it stops
		 * the step before the instruction runs.  Absorb it and step
		 * again, or the thread would run into the reinserted int3 and
		 * report the same hit twice.
		 */
		if (r == 0 && WIFSTOPPED(st) && ((unsigned)st >> 16) == PTRACE_EVENT_STOP &&
		    WSTOPSIG(st) == SIGTRAP && (t->interrupt_internal || t->interrupt_pending)) {
			t->interrupt_internal = false;
			t->interrupt_pending = false;
			t->state = T_STOPPED;
			continue;
		}
		break;
	}
	/* Put the breakpoint back, unless it was removed meanwhile. */
	b = bp_at(mm, addr);
	if (b && !b->inserted) {
		uint8_t cc = INT3;
		if (mem_poke_text(s, mm, addr, &cc, 1) == 0)
			b->inserted = true;
	}
	for (int i = 0; i < nheld; i++)
		resume_raw(s, held[i], held[i]->last_req, 0);
	free(held);
	if (r < 0)
		return r;
	bool stepped = WIFSTOPPED(st) && WSTOPSIG(st) == SIGTRAP && ((unsigned)st >> 16) == 0;
	if (stepped && req != PTRACE_SINGLESTEP) {
		t->state = T_STOPPED;
		return resume_raw(s, t, req, 0);
	}
	/* The caller's own step ended here, or something else happened: report it. */
	t->stepping = stepped;
	t->state = T_QUEUED;
	return queue_push(&s->q, t->tid, st);
}
