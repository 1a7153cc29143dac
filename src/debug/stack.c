/* SPDX-License-Identifier: MIT */
/*
 * Frames of the selected thread: libptk's unwinder gives the physical
 * frames, ptk_addr_locate() splits each into the inlined calls it holds,
 * and the list ends at main as gdb's does (backtrace past-main off).
 * backtrace, frame, up, down and info frame print them in gdb's layout.
 */
#include "dbg.h"

#include <ptk/dwarf.h>

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_INLINE 8

/* Unwind at least `need` frames (everything when need is 0). */
static int unwind(struct dbg *d, int need)
{
	struct ptk_symtab *st = inf_symtab(d);
	struct dthread *t = thr_cur(d);
	struct ptk_frame *pf = NULL;
	/*
	 * Two more frames than asked: the caller gives entry values, and when
	 * it is a tail-calling frame its call-site value may be an entry value
	 * of its own caller.  A breakpoint condition needs frame 0 only, and
	 * no names.
	 */
	bool light = d->cond_eval && need == 1;
	size_t max = light ? 1 : need > 0 ? (size_t)need + 2 : 64;
	int n, nv = 0;

	if (!st || !t || !inf_live(d))
		return -ESRCH;
	for (;;) {
		struct ptk_frame *np = realloc(pf, max * sizeof(*pf));

		if (!np) {
			free(pf);
			return -ENOMEM;
		}
		pf = np;
		n = ptk_unwind(st, t->tid, light ? 0 : PTK_UNWIND_TAILCALLS, pf, max);
		if (n < 0) {
			free(pf);
			return n;
		}
		if ((size_t)n < max || need > 0 || max >= 65536)
			break;
		max *= 4;
	}
	/* A tail-calling function's frame was reused by its callee: gdb gives
	   it the callee's frame address. */
	for (int k = 1; k < n; k++)
		if ((pf[k].flags & PTK_FRAME_TAILCALL) && !pf[k].cfa)
			pf[k].cfa = pf[k - 1].cfa;
	free(d->frames);
	d->frames = calloc((size_t)n * MAX_INLINE, sizeof(*d->frames));
	if (!d->frames) {
		free(pf);
		d->nframes = 0;
		return -ENOMEM;
	}
	d->frames_complete = (size_t)n < max;
	for (int k = 0; k < n; k++) {
		struct ptk_location loc[MAX_INLINE];
		int nl = light ? 0 : ptk_addr_locate(st, pf[k].lookup_pc, loc, MAX_INLINE);
		bool is_main = false;

		if (nl > MAX_INLINE)
			nl = MAX_INLINE;
		/*
		 * gdb shows a tail-calling function as one frame named by the
		 * innermost function at its pc (inlined or not), with no frames
		 * for the calls that pc is inlined in; a signal trampoline is one
		 * frame too.
		 */
		if (nl > 1 && (pf[k].flags & (PTK_FRAME_TAILCALL | PTK_FRAME_SIGNAL)))
			nl = 1;
		if (k == 0 && nl > 1) {
			/*
			 * Stopped where inlined calls begin: gdb shows the caller at
			 * the call's line until `step` enters them, unless a
			 * breakpoint of the user's is in the inlined function.
			 */
			int s = 0, hide;

			while (s < nl - 1 && loc[s].inlined && loc[s].func_addr == pf[0].pc &&
			       !bp_user_func_at(d, pf[0].pc, loc[s].func))
				s++;
			d->inline_at_entry = s;
			hide = s - d->inline_entered;
			if (hide < 0)
				hide = 0;
			d->inline_hidden = hide;
			memmove(loc, loc + hide, (size_t)(nl - hide) * sizeof(loc[0]));
			nl -= hide;
		} else if (k == 0) {
			d->inline_at_entry = d->inline_hidden = 0;
		}
		if (nl <= 0) {
			struct frame *f = &d->frames[nv++];

			f->pf = pf[k];
			f->phys = k;
			continue;
		}
		for (int i = 0; i < nl; i++) {
			struct frame *f = &d->frames[nv++];

			f->pf = pf[k];
			f->loc = loc[i];
			f->has_loc = true;
			f->inlined = i < nl - 1;
			f->inline_depth = nl - 1 - i;
			f->phys = k;
			if (!f->inlined && loc[i].func && strcmp(loc[i].func, "main") == 0)
				is_main = true;
		}
		if (is_main) {
			/* gdb stops at main (backtrace past-main is off). */
			d->frames_complete = true;
			break;
		}
	}
	free(pf);
	d->nframes = nv;
	d->frames_valid = true;
	d->frames_need = need;
	d->frames_light = light;
	return nv;
}

int inline_at(struct dbg *d, uint64_t pc, int *ret_depth, int *ret_entry, int *ret_call_line)
{
	struct ptk_symtab *st = inf_symtab(d);
	struct ptk_location loc[MAX_INLINE];
	int nl = st ? ptk_addr_locate(st, pc, loc, MAX_INLINE) : -1, s = 0;

	if (nl <= 0)
		return -1;
	if (nl > MAX_INLINE)
		nl = MAX_INLINE;
	while (s < nl - 1 && loc[s].inlined && loc[s].func_addr == pc)
		s++;
	*ret_depth = nl - 1;
	*ret_entry = s;
	*ret_call_line = s > 0 ? loc[s].line : 0;
	return 0;
}

int frames_get(struct dbg *d, struct frame **ret)
{
	int r;

	if (!d->frames_valid || d->frames_need || d->frames_light) {
		r = unwind(d, 0);
		if (r < 0)
			return r;
	}
	*ret = d->frames;
	return d->nframes;
}

/* Only the innermost frames (cheap: for stop reports and conditions). */
int frames_get_few(struct dbg *d, int need, struct frame **ret)
{
	int r;

	if (!d->frames_valid || (d->frames_need && d->frames_need < need) ||
	    (d->frames_light && !d->cond_eval)) {
		r = unwind(d, need);
		if (r < 0)
			return r;
	}
	*ret = d->frames;
	return d->nframes;
}

struct frame *frame_sel(struct dbg *d)
{
	struct frame *f;
	int n = frames_get_few(d, d->sel_frame + 1, &f);

	if (n <= 0)
		return NULL;
	if (d->sel_frame >= n)
		d->sel_frame = n - 1;
	return &f[d->sel_frame];
}

int frame_reg(struct dbg *d, struct frame *f, int dwreg, uint64_t *ret)
{
	if (dwreg < 0 || dwreg >= PTK_DW_NREGS)
		return -ENOENT;
	if (!(f->pf.regs_known & (1u << dwreg)))
		return -ENOENT;
	*ret = f->pf.regs[dwreg];
	return 0;
}

/* gdb shows the address of a frame unless its pc starts a line. */
static bool show_addr(struct dbg *d, struct frame *fr, int n)
{
	struct ptk_symtab *st = inf_symtab(d);
	struct ptk_line l;

	if (n > 0 && d->frames[n - 1].phys == fr->phys) {
		/* The frame an inlined call sits in has the same pc: no address. */
		return !d->frames[n - 1].inlined;
	}
	/* A return address is never where a line starts (gdb looks up pc - 1);
	   frame 0 and a frame a signal interrupted have their exact pc. */
	if (n > 0 && !(fr->pf.flags & PTK_FRAME_ACTIVATION))
		return true;
	if (!st || ptk_line_at(st, fr->pf.pc, &l) < 0)
		return true;
	/* gdb: the pc is not where a statement of the line starts */
	return l.addr != fr->pf.pc || !l.is_stmt;
}

void frame_describe(struct dbg *d, int n, struct dbg_buf *b)
{
	struct frame *f = &d->frames[n];

	if (f->has_loc && f->loc.func) {
		dbg_buf_printf(b, "%s (", f->loc.func);
		dw_frame_vars(d, n, true, b, true, 0);
		dbg_buf_putc(b, ')');
	} else {
		dbg_buf_puts(b, "?? ()");
	}
}

/*
 * A module as gdb names it: the link map's name; the dynamic loader, before
 * it has filled the link map in, by the program's PT_INTERP.
 */
const char *module_name(struct dbg *d, const struct ptk_module *m)
{
	if (m->is_vdso)
		return "[vdso]";
	if (m->name && m->name[0] && strcmp(m->name, m->path) != 0)
		return m->name;
	if (!d->interp_done) {
		char path[64];

		d->interp_done = true;
		snprintf(path, sizeof(path), "/proc/%d/exe", (int)d->inf.pid);
		elf_interp(path, d->interp, sizeof(d->interp));
	}
	if (d->interp[0]) {
		char *a = realpath(d->interp, NULL), *b = realpath(m->path, NULL);
		bool same = a && b && strcmp(a, b) == 0;

		free(a);
		free(b);
		if (same)
			return d->interp;
	}
	return m->name && m->name[0] ? m->name : m->path;
}

/* "#1  0x... in main (argc=1) at t.c:11" without the "#1  " when level < 0. */
void frame_line(struct dbg *d, int n, int level, int force_addr, struct dbg_buf *b)
{
	struct frame *f = &d->frames[n];
	bool addr = force_addr > 0 || (force_addr == 0 && show_addr(d, f, n));
	const char *file = f->has_loc ? f->loc.file : NULL;
	char disp[4096];

	if (level >= 0)
		dbg_buf_printf(b, "#%-3d", level);
	if (f->pf.flags & PTK_FRAME_SIGNAL) {
		dbg_buf_puts(b, "<signal handler called>");
		return;
	}
	if (addr)
		dbg_buf_printf(b, "0x%016llx in ", (unsigned long long)f->pf.pc);
	frame_describe(d, n, b);
	if (file && f->loc.line > 0) {
		file_display(d, f->pf.lookup_pc, file, disp, sizeof(disp));
		dbg_buf_printf(b, " at %s:%d", disp, f->loc.line);
	} else {
		struct ptk_module m;
		struct ptk_symtab *st = inf_symtab(d);

		if (st && ptk_symtab_module_at(st, f->pf.lookup_pc, &m) == 0 && !m.is_exe)
			dbg_buf_printf(b, " from %s", module_name(d, &m));
	}
}

/* frame_line() and, if with_source, the source line. */
void frame_print(struct dbg *d, int n, int level, bool with_source, int force_addr)
{
	struct dbg_buf b = {0};
	struct frame *f = &d->frames[n];

	frame_line(d, n, level, force_addr, &b);
	dout(d, "%s\n", dbg_buf_str(&b));
	dbg_buf_free(&b);
	if (with_source && !(f->pf.flags & PTK_FRAME_SIGNAL) && f->has_loc && f->loc.file &&
	    f->loc.line > 0)
		src_print_line(d, f->loc.file, f->loc.line, f->pf.lookup_pc, false, 0);
	dbg_ctx_reset_tmp(d->ctx);
}

int cmd_backtrace(struct dbg *d, const struct dbg_cmd *c)
{
	struct frame *f;
	long count = 0;
	int n, from, to;

	if (!inf_live(d))
		return derr(d, "No stack.");
	if (c->has_count)
		count = c->count;
	else if (c->expr && cmd_count(d, c, &count) < 0)
		return -1;
	n = frames_get(d, &f);
	if (n <= 0)
		return derr(d, "No stack.");
	from = 0;
	to = n;
	if (count > 0 && count < n)
		to = (int)count;
	else if (count < 0 && -count < n)
		from = n + (int)count;
	for (int i = from; i < to; i++) {
		frame_print(d, i, i, false, 0);
		if (c->full) {
			struct dbg_buf b = {0};

			dw_frame_vars(d, i, false, &b, false, 8);
			if (b.len == 0)
				dout(d, "No locals.\n");
			else
				dout(d, "%s", dbg_buf_str(&b));
			dbg_buf_free(&b);
		}
	}
	if (to < n && d->from_tty)
		dout(d, "(More stack frames follow...)\n");
	return 0;
}

int cmd_frame(struct dbg *d, const struct dbg_cmd *c)
{
	struct frame *f;
	long count = 1;
	int n, sel;

	if (!inf_live(d))
		return derr(d, "No stack.");
	n = frames_get(d, &f);
	if (n <= 0)
		return derr(d, "No stack.");
	sel = d->sel_frame;
	if (c->has_count || c->expr) {
		if (c->has_count)
			count = c->count;
		else if (cmd_count(d, c, &count) < 0)
			return -1;
	}
	if (c->kind == DBG_CMD_FRAME) {
		if (c->has_count || c->expr) {
			if (count < 0 || count >= n)
				return derr(d, "No frame at level %s.", c->expr ? c->expr : "");
			sel = (int)count;
		}
	} else if (c->kind == DBG_CMD_UP) {
		if (sel + count >= n) {
			if (sel == n - 1)
				return derr(d, "Initial frame selected; you cannot go up.");
			sel = n - 1;
		} else {
			sel += (int)count;
		}
	} else {
		if (sel - count < 0) {
			if (sel == 0)
				return derr(
				        d,
				        "Bottom (innermost) frame selected; you cannot go down.");
			sel = 0;
		} else {
			sel -= (int)count;
		}
	}
	d->sel_frame = sel;
	frame_print(d, sel, sel, true, 0);
	return 0;
}

/*
 * Where frame fr saved its caller's registers, from the CFI of its module
 * (.eh_frame, else .debug_frame) at its pc, as gdb's `info frame` lists
 * them: saved_at[] by DWARF register number, the mask of those saved in
 * *ret_mask; *ret_outermost when the CFI says the return address is
 * undefined (_start, a thread's clone): gdb's outermost frame.  Returns how
 * many registers are saved (0 when there is no CFI: then rip below the
 * CFA, as the frame-pointer chain was followed).
 */
static int cfi_saved(struct dbg *d, const struct frame *fr, uint64_t *saved_at, uint32_t *ret_mask,
                     bool *ret_outermost)
{
	struct ptk_symtab *st = inf_symtab(d);
	struct ptk_module m, mods[256];
	Dwarf_CFI *ecfi = NULL, *cfi;
	Dwarf_Frame *frame = NULL;
	Elf *e = NULL;
	int fd = -1, n = 0;

	*ret_mask = 0;
	*ret_outermost = false;
	if (!st || !fr->pf.cfa || ptk_symtab_module_at(st, fr->pf.lookup_pc, &m) < 0)
		goto fallback;
	if (m.path && (fd = open(m.path, O_RDONLY | O_CLOEXEC)) >= 0) {
		elf_version(EV_CURRENT);
		e = elf_begin(fd, ELF_C_READ_MMAP, NULL);
		ecfi = e ? dwarf_getcfi_elf(e) : NULL;
	}
	cfi = ecfi;
	if (!cfi || dwarf_cfi_addrframe(cfi, fr->pf.lookup_pc - m.bias, &frame) != 0) {
		/* .debug_frame, maybe in a separate debug file */
		int nm = ptk_symtab_modules(st, mods, 256);
		Dwarf *dw;
		Dwarf_Addr bias;

		frame = NULL;
		for (int i = 0; i < nm && i < 256; i++)
			if (mods[i].start == m.start &&
			    ptk_dwarf_module(st, (size_t)i, &dw, &bias) == 0 &&
			    (cfi = dwarf_getcfi(dw)) != NULL &&
			    dwarf_cfi_addrframe(cfi, fr->pf.lookup_pc - bias, &frame) != 0)
				frame = NULL;
	}
	if (frame) {
		for (int r = 0; r < PTK_DW_NREGS; r++) {
			Dwarf_Op mem[3], *ops;
			size_t nops;

			if (r == PTK_DW_RSP ||
			    dwarf_frame_register(frame, r, mem, &ops, &nops) != 0)
				continue;
			if (r == PTK_DW_RIP && nops == 0 && ops == mem) {
				*ret_outermost = true;
				continue;
			}
			if (nops < 1 || nops > 2 || ops[0].atom != DW_OP_call_frame_cfa ||
			    (nops == 2 && ops[1].atom != DW_OP_plus_uconst))
				continue;
			saved_at[r] = fr->pf.cfa + (nops == 2 ? ops[1].number : 0);
			*ret_mask |= 1u << r;
			n++;
		}
		free(frame);
	}
	if (ecfi)
		dwarf_cfi_end(ecfi);
	if (e)
		elf_end(e);
	if (fd >= 0)
		close(fd);
	if (frame || *ret_outermost)
		return n;
fallback:
	/* no CFI here: the frame-pointer chain (saved rbp, then the return address) */
	if (fr->pf.cfa) {
		saved_at[PTK_DW_RIP] = fr->pf.cfa - 8;
		*ret_mask = 1u << PTK_DW_RIP;
		if (fr->pf.flags & PTK_FRAME_FP) {
			saved_at[PTK_DW_RBP] = fr->pf.cfa - 16;
			*ret_mask |= 1u << PTK_DW_RBP;
			return 2;
		}
		return 1;
	}
	return 0;
}

/*
 * gdb's "Arglist at" and "Locals at" on x86_64: not from DWARF but from its
 * own look at the function's prologue (amd64_analyze_prologue): past
 * `[endbr64] push %rbp; mov %rsp,%rbp` the frame's rbp; past the push
 * alone its rsp; otherwise (no such prologue: optimized code) its rsp - 8.
 */
static uint64_t args_base(struct dbg *d, const struct frame *fr)
{
	struct ptk_symtab *st = inf_symtab(d);
	struct ptk_func fn;
	uint8_t c[8];
	uint64_t entry, pc = fr->pf.pc;
	int64_t off = -8;

	if (!st || ptk_func_at(st, fr->pf.lookup_pc, &fn) < 0 || !fn.entry ||
	    ptk_mem_read(d->s, d->inf.cur_tid, fn.entry, c, sizeof(c), NULL) < 0)
		return fr->pf.sp - 8;
	entry = fn.entry;
	if (pc >= entry + 4 && c[0] == 0xf3 && c[1] == 0x0f && c[2] == 0x1e && c[3] == 0xfa) {
		memmove(c, c + 4, 4);
		entry += 4;
	}
	if (pc > entry && c[0] == 0x55) {
		off = 0;
		if (pc > entry + 1 &&
		    ((c[1] == 0x48 && c[2] == 0x89 && c[3] == 0xe5) ||
		     (c[1] == 0x48 && c[2] == 0x8b && c[3] == 0xec)) &&
		    pc > entry + 4 && (fr->pf.regs_known & (1u << PTK_DW_RBP)))
			return fr->pf.regs[PTK_DW_RBP];
	}
	return fr->pf.sp + (uint64_t)off;
}

int cmd_info_frame(struct dbg *d, const struct dbg_cmd *c)
{
	struct frame *f, *fr;
	struct dbg_buf b = {0};
	char disp[4096];
	uint64_t saved_at[PTK_DW_NREGS], base;
	uint32_t saved_mask;
	bool outermost;
	int n, nsaved;

	(void)c;
	if (!inf_live(d))
		return derr(d, "No stack.");
	n = frames_get(d, &f);
	if (n <= 0)
		return derr(d, "No stack.");
	fr = &f[d->sel_frame];
	nsaved = cfi_saved(d, fr, saved_at, &saved_mask, &outermost);
	if (fr->inlined) {
		/*
		 * An inlined call has the registers of the code around it: those
		 * the physical frame below saved (none when it is the innermost).
		 */
		bool junk;
		int j = d->sel_frame - 1;

		while (j >= 0 && f[j].phys == fr->phys)
			j--;
		nsaved = j >= 0 ? cfi_saved(d, &f[j], saved_at, &saved_mask, &junk) : 0;
		outermost = false;
	}
	dout(d, "Stack level %d, frame at 0x%llx:\n", d->sel_frame,
	     (unsigned long long)(outermost ? 0 : fr->pf.cfa));
	dbg_buf_printf(&b, " rip = 0x%llx", (unsigned long long)fr->pf.pc);
	if (fr->has_loc && fr->loc.func) {
		dbg_buf_printf(&b, " in %s", fr->loc.func);
		if (fr->loc.file && fr->loc.line > 0) {
			file_display(d, fr->pf.lookup_pc, fr->loc.file, disp, sizeof(disp));
			dbg_buf_printf(&b, " (%s:%d)", disp, fr->loc.line);
		}
	}
	{
		/*
		 * The caller's pc, as gdb finds it: from the first frame at or
		 * above this one that is not an inlined call nor a tail call.
		 */
		uint64_t saved = fr->pf.ra;
		int j = d->sel_frame;

		while (j + 1 < n && (f[j].inlined || (f[j].pf.flags & PTK_FRAME_TAILCALL)))
			j++;
		if (j + 1 < n)
			saved = f[j + 1].pf.pc;
		if (outermost)
			dbg_buf_puts(&b, "; saved rip = <not saved>");
		else
			dbg_buf_printf(&b, "; saved rip = 0x%llx", (unsigned long long)saved);
	}
	dout(d, "%s\n", dbg_buf_str(&b));
	dbg_buf_reset(&b);
	if (outermost)
		dout(d, " Outermost frame: outermost\n");
	/* gdb: " called by frame at A, caller of frame at B" */
	if (d->sel_frame + 1 < n && fr->inlined) {
		dout(d, " inlined into frame %d", d->sel_frame + 1);
	} else if (d->sel_frame + 1 < n && (fr->pf.flags & PTK_FRAME_TAILCALL)) {
		dout(d, " tail call frame");
	} else if (d->sel_frame + 1 < n && !outermost) {
		bool up_outermost = false;
		uint64_t junk[PTK_DW_NREGS];
		uint32_t jm;

		cfi_saved(d, &f[d->sel_frame + 1], junk, &jm, &up_outermost);
		dout(d, " called by frame at 0x%llx",
		     (unsigned long long)(up_outermost ? 0 : f[d->sel_frame + 1].pf.cfa));
	}
	if (d->sel_frame + 1 < n && !outermost && d->sel_frame > 0)
		dout(d, ",");
	if (d->sel_frame > 0)
		dout(d, " caller of frame at 0x%llx",
		     (unsigned long long)f[d->sel_frame - 1].pf.cfa);
	if (d->sel_frame > 0 || (d->sel_frame + 1 < n && !outermost))
		dout(d, "\n");
	if (fr->has_loc && fr->loc.file)
		dout(d, " source language c.\n");
	if (fr->pf.flags & PTK_FRAME_SIGNAL) {
		/*
		 * The signal trampoline: the interrupted code's registers are in
		 * the signal frame's ucontext (uc_mcontext at 40 past the
		 * trampoline's rsp; struct sigcontext: r8-r15, rdi, rsi, rbp, rbx,
		 * rdx, rax, rcx, rsp, rip by 8 bytes; <asm/sigcontext.h>).
		 */
		static const int sc[PTK_DW_NREGS] = {
		        [PTK_DW_RAX] = 13, [PTK_DW_RBX] = 11, [PTK_DW_RCX] = 14, [PTK_DW_RDX] = 12,
		        [PTK_DW_RSI] = 9,  [PTK_DW_RDI] = 8,  [PTK_DW_RBP] = 10, [PTK_DW_RSP] = 15,
		        [PTK_DW_R8] = 0,   [PTK_DW_R9] = 1,   [PTK_DW_R10] = 2,  [PTK_DW_R11] = 3,
		        [PTK_DW_R12] = 4,  [PTK_DW_R13] = 5,  [PTK_DW_R14] = 6,  [PTK_DW_R15] = 7,
		        [PTK_DW_RIP] = 16};
		uint64_t mc = fr->pf.sp + 40;
		uint64_t spat = mc + 8 * (uint64_t)sc[PTK_DW_RSP];

		dout(d, " Arglist at unknown address.\n");
		dout(d, " Locals at unknown address, Previous frame's sp at 0x%llx\n",
		     (unsigned long long)spat);
		saved_mask = 0;
		nsaved = 0;
		for (int r = 0; r < PTK_DW_NREGS; r++)
			if (r != PTK_DW_RSP) {
				saved_at[r] = mc + 8 * (uint64_t)sc[r];
				saved_mask |= 1u << r;
				nsaved++;
			}
	} else if (fr->pf.flags & PTK_FRAME_TAILCALL) {
		/* a frame made up from call sites: no frame base, no saved registers */
		dout(d, " Arglist at unknown address.\n");
		dout(d, " Locals at unknown address, Previous frame's sp in rsp\n");
		nsaved = 0;
	} else if (fr->inlined) {
		/* no frame base of its own; the stack pointer is the code's around it */
		dout(d, " Arglist at unknown address.\n");
		dout(d, " Locals at unknown address, Previous frame's sp is 0x%llx\n",
		     (unsigned long long)fr->pf.sp);
	} else {
		dw_frame_vars(d, d->sel_frame, true, &b, true, 0);
		base = args_base(d, fr);
		dout(d, " Arglist at 0x%llx, args: %s\n", (unsigned long long)base,
		     dbg_buf_str(&b));
		dout(d, " Locals at 0x%llx, Previous frame's sp is 0x%llx\n",
		     (unsigned long long)base, (unsigned long long)fr->pf.cfa);
	}
	if (nsaved && d->sel_frame + 1 < n && (f[d->sel_frame + 1].pf.flags & PTK_FRAME_TAILCALL) &&
	    (saved_mask & (1u << PTK_DW_RIP))) {
		/* the return address is the made-up tail call frame's, not in memory */
		saved_mask &= ~(1u << PTK_DW_RIP);
		nsaved--;
	}
	if (nsaved) {
		/* gdb's register order: rax rbx rcx rdx rsi rdi rbp (rsp apart) r8-r15 rip */
		static const int order[] = {PTK_DW_RAX, PTK_DW_RBX, PTK_DW_RCX, PTK_DW_RDX,
		                            PTK_DW_RSI, PTK_DW_RDI, PTK_DW_RBP, PTK_DW_R8,
		                            PTK_DW_R9,  PTK_DW_R10, PTK_DW_R11, PTK_DW_R12,
		                            PTK_DW_R13, PTK_DW_R14, PTK_DW_R15, PTK_DW_RIP};
		static const char *const names[] = {"rax", "rdx", "rcx", "rbx", "rsi", "rdi",
		                                    "rbp", "rsp", "r8",  "r9",  "r10", "r11",
		                                    "r12", "r13", "r14", "r15", "rip"};
		int k = 0;

		dout(d, " Saved registers:\n ");
		for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++)
			if (saved_mask & (1u << order[i]))
				dout(d, "%s %s at 0x%llx", k++ ? "," : "", names[order[i]],
				     (unsigned long long)saved_at[order[i]]);
		dout(d, "\n");
	}
	dbg_buf_free(&b);
	dbg_ctx_reset_tmp(d->ctx);
	return 0;
}

int phys_caller(struct dbg *d, uint64_t *ret_pc, uint64_t *ret_cfa)
{
	struct ptk_symtab *st = inf_symtab(d);
	struct dthread *t = thr_cur(d);
	struct ptk_frame pf[2];

	if (!st || !t || ptk_unwind(st, t->tid, 0, pf, 2) < 2 || !pf[0].cfa)
		return -ENOENT;
	*ret_pc = pf[1].pc;
	*ret_cfa = pf[0].cfa;
	return 0;
}
