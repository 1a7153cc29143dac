/* SPDX-License-Identifier: MIT */
/*
 * Frames of the selected thread: libptk's unwinder gives the physical
 * frames, ptk_addr_locate() splits each into the inlined calls it holds,
 * and the list ends at main as gdb's does (backtrace past-main off).
 * backtrace, frame, up, down and info frame print them in gdb's layout.
 */
#include "dbg.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

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

int cmd_info_frame(struct dbg *d, const struct dbg_cmd *c)
{
	struct frame *f, *fr;
	struct dbg_buf b = {0};
	char disp[4096];
	int n;

	(void)c;
	if (!inf_live(d))
		return derr(d, "No stack.");
	n = frames_get(d, &f);
	if (n <= 0)
		return derr(d, "No stack.");
	fr = &f[d->sel_frame];
	dout(d, "Stack level %d, frame at 0x%llx:\n", d->sel_frame, (unsigned long long)fr->pf.cfa);
	dbg_buf_printf(&b, " rip = 0x%llx", (unsigned long long)fr->pf.pc);
	if (fr->has_loc && fr->loc.func) {
		dbg_buf_printf(&b, " in %s", fr->loc.func);
		if (fr->loc.file && fr->loc.line > 0) {
			file_display(d, fr->pf.lookup_pc, fr->loc.file, disp, sizeof(disp));
			dbg_buf_printf(&b, " (%s:%d)", disp, fr->loc.line);
		}
	}
	{
		/* the caller's pc: the next physical frame's (a tail call's too) */
		uint64_t saved = fr->pf.ra;

		for (int j = d->sel_frame + 1; j < n; j++)
			if (f[j].phys != fr->phys) {
				saved = f[j].pf.pc;
				break;
			}
		dbg_buf_printf(&b, "; saved rip = 0x%llx", (unsigned long long)saved);
	}
	dout(d, "%s\n", dbg_buf_str(&b));
	dbg_buf_reset(&b);
	/* gdb: " called by frame at A, caller of frame at B" */
	if (d->sel_frame + 1 < n)
		dout(d, " called by frame at 0x%llx",
		     (unsigned long long)f[d->sel_frame + 1].pf.cfa);
	if (d->sel_frame + 1 < n && d->sel_frame > 0)
		dout(d, ",");
	if (d->sel_frame > 0)
		dout(d, " caller of frame at 0x%llx",
		     (unsigned long long)f[d->sel_frame - 1].pf.cfa);
	if (d->sel_frame > 0 || d->sel_frame + 1 < n)
		dout(d, "\n");
	if (fr->has_loc && fr->loc.file)
		dout(d, " source language c.\n");
	dw_frame_vars(d, d->sel_frame, true, &b, true, 0);
	dout(d, " Arglist at 0x%llx, args: %s\n", (unsigned long long)(fr->pf.cfa - 16),
	     dbg_buf_str(&b));
	dout(d, " Locals at 0x%llx, Previous frame's sp is 0x%llx\n",
	     (unsigned long long)(fr->pf.cfa - 16), (unsigned long long)fr->pf.cfa);
	{
		/* rbp was saved below the return address if the caller's value is there */
		uint64_t saved = 0;
		bool rbp =
		        d->sel_frame + 1 < n &&
		        (f[d->sel_frame + 1].pf.regs_known & (1u << PTK_DW_RBP)) &&
		        ptk_mem_read(d->s, d->inf.cur_tid, fr->pf.cfa - 16, &saved, 8, NULL) == 0 &&
		        saved == f[d->sel_frame + 1].pf.regs[PTK_DW_RBP];

		if (rbp)
			dout(d, " Saved registers:\n  rbp at 0x%llx, rip at 0x%llx\n",
			     (unsigned long long)(fr->pf.cfa - 16),
			     (unsigned long long)(fr->pf.cfa - 8));
		else
			dout(d, " Saved registers:\n  rip at 0x%llx\n",
			     (unsigned long long)(fr->pf.cfa - 8));
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
