/* SPDX-License-Identifier: MIT */
/*
 * Unwinding a stopped thread with libdwfl's unwinder (dwfl_getthread_frames)
 * fed by ptk: Dwfl_Thread_Callbacks whose memory_read goes through
 * ptk_mem_read() (a page at a time, cached for one unwind) and whose
 * initial registers come from ptk_regs_get().  libdwfl applies the CFI of
 * .eh_frame, then .debug_frame, and where a pc has neither, the x86_64
 * backend's frame-pointer rule (rbp chain); signal frames are recognised by
 * the 'S' augmentation of __restore_rt's CFI (libdwfl then reports the next
 * frame as an "activation", whose pc is not a return address).
 *
 * libdwfl does not report the CFA; ptk evaluates the CFA rule of each
 * frame's CFI itself (it is what DW_OP_call_frame_cfa means in frame-base
 * expressions), and for a frame without CFI takes rbp + 16, the frame the
 * rbp chain assumes.
 */
#include "internal.h"
#include "sym_internal.h"

#include <dwarf.h>
#include <stdlib.h>
#include <string.h>

#define PAGE   4096u
#define NPAGES 8

struct page_cache {
	struct {
		uint64_t base; /* page address; UINT64_MAX when unused */
		size_t n;      /* readable bytes from base */
		uint8_t data[PAGE];
	} p[NPAGES];
	unsigned next;
};

static void pages_reset(struct page_cache *pc)
{
	for (unsigned i = 0; i < NPAGES; i++)
		pc->p[i].base = UINT64_MAX;
	pc->next = 0;
}

/* The cached page at base (read now if not cached). */
static unsigned page_get(struct ptk_symtab *st, uint64_t base)
{
	struct page_cache *pc = st->pages;
	for (unsigned i = 0; i < NPAGES; i++)
		if (pc->p[i].base == base)
			return i;
	unsigned i = pc->next++ % NPAGES;
	size_t n = 0;
	int r = ptk_mem_read(st->s, st->unwind_tid, base, pc->p[i].data, PAGE, &n);
	if (r == 0)
		n = PAGE;
	else if (r != -EFAULT)
		n = 0;
	pc->p[i].base = base;
	pc->p[i].n = n;
	return i;
}

static bool mem_word(struct ptk_symtab *st, uint64_t addr, uint64_t *ret)
{
	uint8_t b[8];
	for (size_t k = 0; k < 8;) {
		uint64_t a = addr + k, base = a & ~(uint64_t)(PAGE - 1);
		unsigned i = page_get(st, base);
		size_t off = a - base, take = PAGE - off < 8 - k ? PAGE - off : 8 - k;
		if (off + take > st->pages->p[i].n)
			return false;
		memcpy(b + k, st->pages->p[i].data + off, take);
		k += take;
	}
	memcpy(ret, b, 8);
	return true;
}

static pid_t cb_next_thread(Dwfl *dwfl, void *arg, void **thread_argp)
{
	/* only dwfl_getthread_frames() is used: no thread list */
	return 0;
}

static bool cb_get_thread(Dwfl *dwfl, pid_t tid, void *arg, void **thread_argp)
{
	*thread_argp = arg;
	return true;
}

static bool cb_memory_read(Dwfl *dwfl, Dwarf_Addr addr, Dwarf_Word *result, void *arg)
{
	uint64_t v;
	if (!mem_word(arg, addr, &v))
		return false;
	*result = v;
	return true;
}

static bool cb_set_initial_registers(Dwfl_Thread *thread, void *arg)
{
	struct ptk_symtab *st = arg;
	struct ptk_regs r;
	int e = ptk_regs_get(st->s, dwfl_thread_tid(thread), &r);
	if (e < 0) {
		st->unwind_err = e;
		return false;
	}
	/* x86_64 DWARF numbering: rax rdx rcx rbx rsi rdi rbp rsp r8-r15, 16 = rip */
	Dwarf_Word v[PTK_DW_NREGS] = {r.rax, r.rdx, r.rcx, r.rbx, r.rsi, r.rdi, r.rbp, r.rsp, r.r8,
	                              r.r9,  r.r10, r.r11, r.r12, r.r13, r.r14, r.r15, r.rip};
	if (!dwfl_thread_state_registers(thread, 0, PTK_DW_NREGS, v))
		return false;
	dwfl_thread_state_register_pc(thread, r.rip);
	return true;
}

static const Dwfl_Thread_Callbacks thread_callbacks = {
        .next_thread = cb_next_thread,
        .get_thread = cb_get_thread,
        .memory_read = cb_memory_read,
        .set_initial_registers = cb_set_initial_registers,
};

struct walk {
	struct ptk_frame *ret;
	size_t max, n;
};

static int frame_cb(Dwfl_Frame *state, void *arg)
{
	struct walk *w = arg;
	if (w->n == w->max)
		return DWARF_CB_ABORT;
	Dwarf_Addr pc;
	bool act = false;
	if (!dwfl_frame_pc(state, &pc, &act))
		return DWARF_CB_ABORT;
	struct ptk_frame *f = &w->ret[w->n];
	memset(f, 0, sizeof *f);
	f->pc = pc;
	if (act)
		f->flags |= PTK_FRAME_ACTIVATION;
	for (unsigned r = 0; r < PTK_DW_RIP; r++) {
		Dwarf_Word v;
		if (dwfl_frame_reg(state, r, &v) == 0) {
			f->regs[r] = v;
			f->regs_known |= 1u << r;
		}
	}
	f->regs[PTK_DW_RIP] = pc;
	f->regs_known |= 1u << PTK_DW_RIP;
	f->sp = f->regs[PTK_DW_RSP];
	/* a frame that repeats the one before it would repeat forever */
	if (w->n > 0 && w->ret[w->n - 1].pc == pc && w->ret[w->n - 1].sp == f->sp &&
	    (f->regs_known & (1u << PTK_DW_RSP)))
		return DWARF_CB_ABORT;
	w->n++;
	/* libdwfl unwinds to the next frame before it calls back again, reading
	   the stack: with all the frames wanted, stop now (a breakpoint
	   condition wants frame 0 only, and its CFA needs no memory) */
	return w->n == w->max ? DWARF_CB_ABORT : DWARF_CB_OK;
}

/* A small DWARF expression evaluator for CFA rules (PLT entries use one). */
static bool eval_cfa(struct ptk_symtab *st, const struct ptk_frame *f, const Dwarf_Op *ops,
                     size_t nops, uint64_t *ret)
{
	uint64_t stk[16];
	size_t sp = 0;
	for (size_t i = 0; i < nops; i++) {
		uint8_t a = ops[i].atom;
		uint64_t x, y;
		if (a >= DW_OP_lit0 && a <= DW_OP_lit31) {
			x = a - DW_OP_lit0;
		} else if (a >= DW_OP_breg0 && a <= DW_OP_breg31) {
			unsigned r = a - DW_OP_breg0;
			if (r >= PTK_DW_NREGS || !(f->regs_known & (1u << r)))
				return false;
			x = f->regs[r] + ops[i].number;
		} else if (a == DW_OP_bregx) {
			if (ops[i].number >= PTK_DW_NREGS ||
			    !(f->regs_known & (1u << ops[i].number)))
				return false;
			x = f->regs[ops[i].number] + ops[i].number2;
		} else if (a == DW_OP_const1u || a == DW_OP_const2u || a == DW_OP_const4u ||
		           a == DW_OP_const8u || a == DW_OP_const1s || a == DW_OP_const2s ||
		           a == DW_OP_const4s || a == DW_OP_const8s || a == DW_OP_constu ||
		           a == DW_OP_consts) {
			x = ops[i].number;
		} else if (a == DW_OP_plus_uconst) {
			if (sp < 1)
				return false;
			stk[sp - 1] += ops[i].number;
			continue;
		} else if (a == DW_OP_deref) {
			if (sp < 1 || !mem_word(st, stk[sp - 1], &stk[sp - 1]))
				return false;
			continue;
		} else {
			if (sp < 2)
				return false;
			y = stk[--sp];
			x = stk[--sp];
			switch (a) {
			case DW_OP_plus:
				x += y;
				break;
			case DW_OP_minus:
				x -= y;
				break;
			case DW_OP_and:
				x &= y;
				break;
			case DW_OP_or:
				x |= y;
				break;
			case DW_OP_shl:
				x = y < 64 ? x << y : 0;
				break;
			case DW_OP_shr:
				x = y < 64 ? x >> y : 0;
				break;
			case DW_OP_ge:
				x = (int64_t)x >= (int64_t)y;
				break;
			case DW_OP_gt:
				x = (int64_t)x > (int64_t)y;
				break;
			case DW_OP_le:
				x = (int64_t)x <= (int64_t)y;
				break;
			case DW_OP_lt:
				x = (int64_t)x < (int64_t)y;
				break;
			case DW_OP_eq:
				x = x == y;
				break;
			case DW_OP_ne:
				x = x != y;
				break;
			default:
				return false;
			}
		}
		if (sp == 16)
			return false;
		stk[sp++] = x;
	}
	if (sp < 1)
		return false;
	*ret = stk[sp - 1];
	return true;
}

/*
 * The CFA of frame f from its CFI (.eh_frame, then .debug_frame), 0 if
 * unknown.  *has_cfi: some CFI covers the frame's pc; *is_signal: that
 * CFI is a signal trampoline's ('S' augmentation).
 */
static uint64_t frame_cfa(struct ptk_symtab *st, const struct ptk_frame *f, bool *has_cfi,
                          bool *is_signal)
{
	*has_cfi = false;
	*is_signal = false;
	struct mod *m = sym_mod_at(st, f->lookup_pc);
	if (!m)
		return 0;
	for (int k = 0; k < 2; k++) {
		Dwarf_Addr bias;
		/* .debug_frame only when .eh_frame has nothing: it opens the DWARF */
		Dwarf_CFI *cfi = k == 0 ? dwfl_module_eh_cfi(m->dm, &bias)
		                        : dwfl_module_dwarf_cfi(m->dm, &bias);
		Dwarf_Frame *fr;
		if (!cfi || dwarf_cfi_addrframe(cfi, f->lookup_pc - bias, &fr) != 0)
			continue;
		*has_cfi = true;
		Dwarf_Addr start, end;
		dwarf_frame_info(fr, &start, &end, is_signal);
		Dwarf_Op *ops;
		size_t nops;
		uint64_t cfa = 0;
		if (dwarf_frame_cfa(fr, &ops, &nops) != 0 || !eval_cfa(st, f, ops, nops, &cfa))
			cfa = 0;
		free(fr);
		return cfa;
	}
	return 0;
}

int ptk_unwind(struct ptk_symtab *st, pid_t tid, unsigned flags, struct ptk_frame *ret, size_t max)
{
	if (max == 0)
		return -EINVAL;
	if (!st->pages) {
		st->pages = malloc(sizeof *st->pages);
		if (!st->pages)
			return -ENOMEM;
	}
	pages_reset(st->pages);
	if (!st->attached) {
		if (!dwfl_attach_state(st->dwfl, NULL, st->pid, &thread_callbacks, st))
			return -ENOEXEC;
		st->attached = true;
	}
	struct ptk_frame *fr = malloc(max * sizeof *fr);
	if (!fr)
		return -ENOMEM;
	st->unwind_tid = tid;
	st->unwind_err = 0;
	struct walk w = {fr, max, 0};
	dwfl_getthread_frames(st->dwfl, tid, frame_cb, &w);
	if (w.n == 0) {
		free(fr);
		return st->unwind_err ? st->unwind_err : -ESRCH;
	}

	for (size_t i = 0; i < w.n; i++) {
		struct ptk_frame *f = &fr[i];
		/* a return address may lie past the call's line (a noreturn call
		   ends its function): look up the call instruction itself */
		f->lookup_pc = (f->flags & PTK_FRAME_ACTIVATION) || f->pc == 0 ? f->pc : f->pc - 1;
		f->ra = i + 1 < w.n ? fr[i + 1].pc : 0;
		bool has_cfi, sig;
		f->cfa = frame_cfa(st, f, &has_cfi, &sig);
		if (sig) {
			/* libdwfl calls the trampoline an activation too; its pc is
			   the handler's return address, looked up as it is */
			f->flags |= PTK_FRAME_SIGNAL;
			if (i > 0)
				f->flags &= ~PTK_FRAME_ACTIVATION;
			f->lookup_pc = f->pc;
		}
		if (!has_cfi) {
			if (i + 1 < w.n)
				fr[i + 1].flags |= PTK_FRAME_FP;
			if (!f->cfa && (f->regs_known & (1u << PTK_DW_RBP)))
				f->cfa = f->regs[PTK_DW_RBP] + 16;
		}
		if (!f->cfa && i + 1 < w.n && !sig && (fr[i + 1].regs_known & (1u << PTK_DW_RSP)))
			f->cfa = fr[i + 1].sp;
	}

	/* the frames, with those of tail-calling functions in between */
	size_t n = 0;
	for (size_t i = 0; i < w.n && n < max; i++) {
		ret[n++] = fr[i];
		if (!(flags & PTK_UNWIND_TAILCALLS) || i + 1 == w.n ||
		    (fr[i + 1].flags & (PTK_FRAME_ACTIVATION | PTK_FRAME_SIGNAL)) ||
		    (fr[i].flags & PTK_FRAME_SIGNAL))
			continue;
		uint64_t pcs[8];
		int nt = sym_tailcalls(st, fr[i].lookup_pc, fr[i + 1].pc, pcs, 8);
		for (int k = 0; k < nt && n < max; k++) {
			struct ptk_frame *t = &ret[n++];
			memset(t, 0, sizeof *t);
			t->pc = pcs[k];
			t->lookup_pc = pcs[k] - 1;
			t->ra = fr[i + 1].pc;
			t->flags = PTK_FRAME_TAILCALL;
			t->regs[PTK_DW_RIP] = pcs[k];
			t->regs_known = 1u << PTK_DW_RIP;
		}
	}
	free(fr);
	return (int)n;
}
