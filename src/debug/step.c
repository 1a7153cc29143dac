/* SPDX-License-Identifier: MIT */
/*
 * Stepping: stepi/nexti one PTK_RESUME_STEP per instruction (nexti runs a
 * call to its return address on a temporary breakpoint); step/next over
 * the line table (a line's range is stepped through, calls are run to
 * their return or entered up to the end of the callee's prologue, a
 * return into the middle of a caller's line goes on to the next line
 * start); finish, until and advance on temporary breakpoints guarded by
 * the stack pointer so that recursion does not stop them early.
 */
#include "dbg.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct where {
	uint64_t pc, sp, func, cfa;
};

static int here(struct dbg *d, struct where *w, bool with_cfa)
{
	struct ptk_regs r;
	struct ptk_symtab *st = inf_symtab(d);
	struct ptk_func f;
	struct frame *fr;

	if (cur_regs(d, &r) < 0)
		return -1;
	w->pc = r.rip;
	w->sp = r.rsp;
	w->func = st && ptk_func_at(st, r.rip, &f) == 0 ? f.entry : 0;
	w->cfa = 0;
	if (with_cfa && frames_get_few(d, 1, &fr) > 0)
		w->cfa = fr[0].pf.cfa;
	return 0;
}

/* One instruction of the selected thread. */
static int step_insn(struct dbg *d, struct stop *st)
{
	struct run_req rq = {.mode = PTK_RESUME_STEP, .only_current = true, .deliver = -1};
	struct dthread *t = thr_cur(d);
	struct ptk_regs r0, r1;
	bool at_exec = t && t->last.kind == PTK_EV_EXEC && cur_regs(d, &r0) == 0;
	int r = inf_run(d, &rq, st);

	/*
	 * The first step from the exec stop traps on the way out of execve,
	 * before the program's first instruction has run: step once more.
	 */
	if (r == 0 && at_exec && st->kind == STOP_STEP && cur_regs(d, &r1) == 0 && r1.rip == r0.rip)
		r = inf_run(d, &rq, st);
	return r;
}

/* Run until the selected thread comes back to `ret` with rsp >= sp. */
static int run_to_return(struct dbg *d, uint64_t ret, uint64_t sp, struct stop *st)
{
	struct run_req rq = {.mode = PTK_RESUME_CONT, .deliver = -1};
	int r;

	if (bpaddr_ref(d, ret) < 0)
		return derr(d, "Cannot insert breakpoint at 0x%llx.", (unsigned long long)ret);
	rq.stop_addr[0] = ret;
	rq.nstop_addr = 1;
	rq.frame_sp = sp - 1;
	rq.only_tid = d->inf.cur_tid;
	r = inf_run(d, &rq, st);
	if (d->inf.state != INF_NONE)
		bpaddr_unref(d, ret);
	return r;
}

static bool step_ended(const struct stop *st)
{
	return st->kind == STOP_STEP || st->kind == STOP_LOCATION;
}

/* Report a stop that is not the end of the stepping command. */
static int other_stop(struct dbg *d, const struct stop *st)
{
	stop_report(d, st);
	return st->kind == STOP_ERROR ? -1 : 0;
}

int cmd_stepi(struct dbg *d, const struct dbg_cmd *c)
{
	struct where w0, w;
	struct stop st = {0};
	long n;
	bool over = c->kind == DBG_CMD_NEXTI;

	if (!need_live(d) || cmd_count(d, c, &n) < 0)
		return -1;
	if (here(d, &w0, true) < 0)
		return derr(d, "The program has no registers now.");
	for (long i = 0; i < n; i++) {
		size_t len;
		struct ptk_regs r;

		/* gdb compares the frame with the one the last instruction started in */
		if (i == n - 1 && i > 0 && here(d, &w0, true) < 0)
			break;
		if (cur_regs(d, &r) < 0)
			break;
		if (over && insn_is_call(d, r.rip, &len)) {
			if (run_to_return(d, r.rip + len, r.rsp, &st) < 0)
				return -1;
		} else if (step_insn(d, &st) < 0) {
			return -1;
		}
		if (!step_ended(&st))
			return other_stop(d, &st);
	}
	st.kind = STOP_STEP;
	st.tid = d->inf.cur_tid;
	if (here(d, &w, true) == 0)
		st.print_frame = w.func != w0.func || w.cfa != w0.cfa;
	stop_report(d, &st);
	return 0;
}

/* The real function behind a PLT entry ("puts@plt" -> puts), 0 if none. */
static uint64_t plt_target(struct dbg *d, uint64_t addr)
{
	struct ptk_symtab *st = inf_symtab(d);
	struct ptk_sym s, m[4];
	char name[256], *at;
	int n;

	if (!st || ptk_sym_at(st, addr, &s) < 0 || s.type != PTK_SYM_PLT || !s.name)
		return 0;
	snprintf(name, sizeof(name), "%s", s.name);
	at = strstr(name, "@plt");
	if (at)
		*at = '\0';
	n = ptk_sym_lookup(st, name, m, 4);
	for (int i = 0; i < n && i < 4; i++)
		if (m[i].type == PTK_SYM_FUNC || m[i].type == PTK_SYM_IFUNC)
			return m[i].type == PTK_SYM_FUNC ? m[i].addr : 0;
	return 0;
}

/*
 * Where a PLT stub jumps: [endbr64] [bnd] jmp *disp(%rip) reads its GOT
 * slot, which holds the function once bound (always in a library linked
 * with -z now, or for an IFUNC's IRELATIVE slot); 0 when addr is not such
 * a stub.  Lazy binding leaves the slot pointing back into the PLT.
 */
static uint64_t plt_jump_target(struct dbg *d, uint64_t addr)
{
	uint8_t c[16];
	uint64_t slot = 0;
	size_t i = 0;
	int32_t disp;

	if (ptk_mem_read(d->s, d->inf.cur_tid, addr, c, sizeof(c), NULL) < 0)
		return 0;
	if (c[0] == 0xf3 && c[1] == 0x0f && c[2] == 0x1e && c[3] == 0xfa)
		i = 4; /* endbr64 */
	if (c[i] == 0xf2)
		i++; /* bnd */
	if (c[i] != 0xff || c[i + 1] != 0x25)
		return 0;
	memcpy(&disp, &c[i + 2], 4);
	if (ptk_mem_read(d->s, d->inf.cur_tid, addr + i + 6 + (int64_t)disp, &slot, 8, NULL) < 0)
		return 0;
	return slot;
}

static bool has_lines(struct dbg *d, uint64_t pc)
{
	struct ptk_symtab *st = inf_symtab(d);
	struct ptk_line l;

	return st && ptk_line_at(st, pc, &l) == 0;
}

/*
 * The first call through a lazily bound PLT entry whose function cannot be
 * named in advance (an IFUNC: the loader calls its resolver): run to the
 * loader's _dl_fixup and out of it; it returns the function the call goes
 * on to (System V ABI: in rax).  The thread is then in the loader's
 * trampoline, which jumps there.  Returns the function, 0 when unknown
 * (st says how the run ended: the caller stops unless it is a step stop),
 * -1 on error.
 */
static int64_t lazy_target(struct dbg *d, uint64_t ret, uint64_t sp, struct stop *st)
{
	struct ptk_symtab *sym = inf_symtab(d);
	struct run_req rq = {.mode = PTK_RESUME_CONT, .deliver = -1};
	struct ptk_sym fx[2];
	struct ptk_regs r;
	uint64_t back = 0;
	int res;

	if (!sym || ptk_sym_lookup(sym, "_dl_fixup", fx, 2) <= 0 || bpaddr_ref(d, fx[0].addr) < 0)
		return 0;
	if (bpaddr_ref(d, ret) < 0) {
		bpaddr_unref(d, fx[0].addr);
		return 0;
	}
	rq.stop_addr[0] = fx[0].addr;
	rq.stop_addr[1] = ret;
	rq.nstop_addr = 2;
	rq.any_frame_addr0 = true;
	rq.frame_sp = sp - 1;
	rq.only_tid = d->inf.cur_tid;
	res = inf_run(d, &rq, st);
	if (d->inf.state != INF_NONE) {
		bpaddr_unref(d, fx[0].addr);
		bpaddr_unref(d, ret);
	}
	if (res < 0)
		return -1;
	if (!step_ended(st) || cur_regs(d, &r) < 0 || r.rip != fx[0].addr ||
	    ptk_mem_read(d->s, d->inf.cur_tid, r.rsp, &back, 8, NULL) < 0)
		return 0;
	if (run_to_return(d, back, r.rsp + 8, st) < 0)
		return -1;
	if (!step_ended(st) || cur_regs(d, &r) < 0)
		return 0;
	return (int64_t)r.rax;
}

/*
 * `step` reached a call at pc (length len): enter it when the callee has
 * line information (stopping after its prologue), else run it to its
 * return.  Returns 1 when the step ends in the callee, 0 to go on, -1.
 */
static int enter_call(struct dbg *d, uint64_t ret, uint64_t sp, struct stop *st)
{
	struct ptk_symtab *st_ = inf_symtab(d);
	struct run_req rq = {.mode = PTK_RESUME_CONT, .deliver = -1};
	struct where w;
	uint64_t target, post;
	int line, r;

	r = step_insn(d, st);
	if (r < 0 || !step_ended(st))
		return r < 0 ? -1 : 2;
	if (here(d, &w, false) < 0)
		return -1;
	target = w.pc;
	if (!has_lines(d, target)) {
		uint64_t real = plt_jump_target(d, target);

		if (!real || !has_lines(d, real))
			real = plt_target(d, target);
		if (!real && plt_jump_target(d, target)) {
			/* a lazily bound IFUNC: the loader finds it */
			int64_t t = lazy_target(d, ret, sp, st);

			if (t < 0)
				return -1;
			if (!step_ended(st))
				return 2;
			if (here(d, &w, false) < 0)
				return -1;
			if (w.pc == ret)
				return 0;
			real = (uint64_t)t;
			if (!real || !has_lines(d, real)) {
				r = run_to_return(d, ret, sp, st);
				if (r < 0 || !step_ended(st))
					return r < 0 ? -1 : 2;
				return 0;
			}
		}

		if (real && has_lines(d, real)) {
			/* Through the PLT (and the resolver) to the real function. */
			if (bpaddr_ref(d, real) < 0 || bpaddr_ref(d, ret) < 0)
				return -1;
			rq.stop_addr[0] = real;
			rq.stop_addr[1] = ret;
			rq.nstop_addr = 2;
			rq.any_frame_addr0 = true;
			rq.frame_sp = sp - 1;
			rq.only_tid = d->inf.cur_tid;
			r = inf_run(d, &rq, st);
			if (d->inf.state != INF_NONE) {
				bpaddr_unref(d, real);
				bpaddr_unref(d, ret);
			}
			if (r < 0 || !step_ended(st))
				return r < 0 ? -1 : 2;
			if (here(d, &w, false) < 0)
				return -1;
			if (w.pc == ret)
				return 0;
			target = real;
		} else {
			r = run_to_return(d, ret, sp, st);
			if (r < 0 || !step_ended(st))
				return r < 0 ? -1 : 2;
			return 0;
		}
	}
	if (st_ && ptk_func_breakpoint(st_, target, &post, &line) == 0 && post != target) {
		if (bpaddr_ref(d, post) < 0)
			return -1;
		memset(&rq, 0, sizeof(rq));
		rq.mode = PTK_RESUME_CONT;
		rq.deliver = -1;
		rq.stop_addr[0] = post;
		rq.nstop_addr = 1;
		rq.only_tid = d->inf.cur_tid;
		r = inf_run(d, &rq, st);
		if (d->inf.state != INF_NONE)
			bpaddr_unref(d, post);
		if (r < 0 || !step_ended(st))
			return r < 0 ? -1 : 2;
	}
	return 1;
}

/* One `step` or `next` (or `until` when until is set).  0, or -1. */
static int step_line(struct dbg *d, bool over, bool until, struct stop *st, bool *ret_newframe)
{
	struct ptk_symtab *sym = inf_symtab(d);
	struct ptk_line range;
	struct where w0, w;
	uint64_t lo, hi;
	int line0;
	bool left_frame = false;

	int visible0 = 0, dep, ent, cl;

	*ret_newframe = false;
	if (here(d, &w0, true) < 0)
		return derr(d, "The program has no registers now.");
	/*
	 * Inlined calls (gdb's model): where they begin, frame 0 is their
	 * caller at the call's line; `step` there enters the next one without
	 * running.  visible0: the inlined levels frame 0 shows now.
	 */
	{
		struct frame *f;

		if (frames_get_few(d, 1, &f) > 0 && d->inline_hidden > 0 && !over) {
			d->inline_entered++;
			d->frames_valid = false;
			st->kind = STOP_STEP;
			st->tid = d->inf.cur_tid;
			*ret_newframe = true;
			return 0;
		}
		if (inline_at(d, w0.pc, &dep, &ent, &cl) == 0)
			visible0 = dep - d->inline_hidden;
	}
	if (!sym || ptk_line_range(sym, w0.pc, &range) < 0) {
		/* No line information here: run out of the function. */
		struct frame *f;
		uint64_t rpc, rcfa;
		char name[256] = "??";

		if (frames_get_few(d, 2, &f) >= 1 && f[0].has_loc && f[0].loc.func)
			snprintf(name, sizeof(name), "%s", f[0].loc.func);
		dout(d,
		     "Single stepping until exit from function %s,\n"
		     "which has no line number information.\n",
		     name);
		if (phys_caller(d, &rpc, &rcfa) < 0)
			return derr(d, "Cannot find the caller of %s.", name);
		if (run_to_return(d, rpc, rcfa, st) < 0)
			return -1;
		*ret_newframe = true;
		return 0;
	}
	lo = range.addr;
	hi = range.end;
	line0 = range.line;
	if (until && w0.func && w0.func < lo)
		lo = w0.func;
	for (;;) {
		struct ptk_regs r;
		struct ptk_line l;
		size_t len;
		int res;

		if (cur_regs(d, &r) < 0)
			return -1;
		if (insn_is_call(d, r.rip, &len)) {
			if (over) {
				if (run_to_return(d, r.rip + len, r.rsp, st) < 0)
					return -1;
				if (!step_ended(st))
					return 0;
			} else {
				res = enter_call(d, r.rip + len, r.rsp, st);
				if (res < 0)
					return -1;
				if (res == 2)
					return 0;
				if (res == 1) {
					st->kind = STOP_STEP;
					*ret_newframe = true;
					return 0;
				}
			}
		} else {
			if (step_insn(d, st) < 0)
				return -1;
			if (!step_ended(st))
				return 0;
		}
		if (here(d, &w, false) < 0)
			return -1;
		if (w.pc >= lo && w.pc < hi && !left_frame)
			continue;
		if (!left_frame && w.func == w0.func && inline_at(d, w.pc, &dep, &ent, &cl) == 0 &&
		    dep > visible0) {
			if (ent > 0 && dep - ent == visible0) {
				/* The start of an inlined call made from this frame: stop at
				   the call site unless it is the line being stepped. */
				if (cl != line0)
					return 0;
				if (!over) {
					d->inline_entered = 1;
					d->frames_valid = false;
					*ret_newframe = true;
					return 0;
				}
				continue;
			}
			/* Inside an inlined call: `next` goes through it, `step` stops. */
			if (over)
				continue;
			*ret_newframe = true;
			return 0;
		}
		if (w.sp > w0.cfa - 8 && w.func != w0.func && w0.cfa) {
			/* Returned to the caller. */
			left_frame = true;
			*ret_newframe = true;
			if (!has_lines(d, w.pc))
				return 0;
		}
		if (ptk_line_at(sym, w.pc, &l) < 0) {
			/* A function without lines (called through a jump): out of it. */
			uint64_t rpc, rcfa;

			if (phys_caller(d, &rpc, &rcfa) < 0)
				return 0;
			if (run_to_return(d, rpc, rcfa, st) < 0)
				return -1;
			if (!step_ended(st))
				return 0;
			continue;
		}
		if (l.line == 0 || l.addr != w.pc || !l.is_stmt ||
		    (l.line == line0 && !left_frame)) {
			/* The middle of a line, or more of the same line: keep going. */
			struct ptk_line nr;

			if (ptk_line_range(sym, w.pc, &nr) == 0) {
				lo = nr.addr;
				hi = nr.end;
				if (until && w0.func && w0.func < lo && !left_frame)
					lo = w0.func;
			}
			if (l.line != 0 && (l.addr != w.pc || !l.is_stmt) && left_frame)
				line0 = l.line;
			continue;
		}
		if (w.func != w0.func)
			*ret_newframe = true;
		else if (inline_at(d, w.pc, &dep, &ent, &cl) == 0 && dep - ent != visible0)
			*ret_newframe = true; /* out of an inlined call (or into one) */
		return 0;
	}
}

int cmd_step(struct dbg *d, const struct dbg_cmd *c)
{
	struct stop st = {0};
	long n;
	bool over = c->kind == DBG_CMD_NEXT || c->kind == DBG_CMD_UNTIL;
	bool newframe = false, any_new = false;

	if (!need_live(d) || cmd_count(d, c, &n) < 0)
		return -1;
	d->sel_frame = 0;
	for (long i = 0; i < n; i++) {
		if (step_line(d, over, c->kind == DBG_CMD_UNTIL, &st, &newframe) < 0)
			return -1;
		any_new |= newframe;
		if (!step_ended(&st))
			return other_stop(d, &st);
	}
	st.kind = STOP_STEP;
	st.tid = d->inf.cur_tid;
	st.print_frame = any_new;
	stop_report(d, &st);
	return 0;
}

int cmd_finish(struct dbg *d, const struct dbg_cmd *c)
{
	struct frame *f;
	struct stop st = {0};
	struct dbg_type *rt;
	uint64_t pc;
	int n, sel = d->sel_frame;

	(void)c;
	if (!need_live(d))
		return -1;
	n = frames_get_few(d, sel + 2, &f);
	if (n <= sel + 1)
		return derr(d, "\"finish\" not meaningful in the outermost frame.");
	pc = f[sel].pf.pc;
	if (d->from_tty) {
		dout(d, "Run till exit from ");
		frame_print(d, sel, sel, false, 0);
	}
	if (f[sel].inlined && f[sel].phys == 0) {
		/* An inlined call has no return address: step until the pc is
		   out of it (calls run to their return), as gdb does. */
		int depth = f[sel].inline_depth, dep, ent, cl;
		struct where w0, w;

		if (here(d, &w0, false) < 0)
			return -1;
		for (;;) {
			struct ptk_regs r;
			size_t len;

			if (cur_regs(d, &r) < 0)
				return -1;
			if (insn_is_call(d, r.rip, &len)
			            ? run_to_return(d, r.rip + len, r.rsp, &st) < 0
			            : step_insn(d, &st) < 0)
				return -1;
			if (!step_ended(&st))
				return other_stop(d, &st);
			if (here(d, &w, false) < 0)
				return -1;
			if (w.func != w0.func || inline_at(d, w.pc, &dep, &ent, &cl) < 0 ||
			    dep < depth)
				break;
		}
		st.kind = STOP_FINISH;
		st.tid = d->inf.cur_tid;
		stop_report(d, &st);
		return 0;
	}
	rt = dw_return_type(d, f[sel].pf.lookup_pc);
	if (run_to_return(d, f[sel + 1].pf.pc, f[sel].pf.cfa, &st) < 0)
		return -1;
	(void)pc;
	if (!step_ended(&st))
		return other_stop(d, &st);
	st.kind = STOP_FINISH;
	st.tid = d->inf.cur_tid;
	stop_report(d, &st);
	if (rt)
		print_return_value(d, rt);
	return 0;
}

int cmd_until(struct dbg *d, const struct dbg_cmd *c)
{
	struct resolved r[4];
	struct run_req rq = {.mode = PTK_RESUME_CONT, .deliver = -1};
	struct stop st = {0};
	struct frame *f;
	int n, k;

	if (!need_live(d))
		return -1;
	if (c->kind == DBG_CMD_UNTIL && c->loc.kind == DBG_LOC_NONE)
		return cmd_step(d, c);
	n = loc_resolve(d, &c->loc, r, 4);
	if (n < 0)
		return -1;
	if (n == 0)
		return derr(d, "No such location.");
	k = frames_get_few(d, 2, &f);
	rq.stop_addr[0] = r[0].addr;
	rq.nstop_addr = 1;
	rq.any_frame_addr0 = c->kind == DBG_CMD_ADVANCE;
	if (k >= 2) {
		rq.stop_addr[1] = f[1].pf.pc;
		rq.nstop_addr = 2;
		rq.frame_sp = f[0].pf.cfa - 1;
	}
	rq.only_tid = d->inf.cur_tid;
	for (int i = 0; i < rq.nstop_addr; i++)
		if (bpaddr_ref(d, rq.stop_addr[i]) < 0) {
			for (int j = 0; j < i; j++)
				bpaddr_unref(d, rq.stop_addr[j]);
			return derr(d, "Cannot insert breakpoint at 0x%llx.",
			            (unsigned long long)rq.stop_addr[i]);
		}
	if (c->kind == DBG_CMD_UNTIL && k >= 1) {
		/* until LOCATION stops there only in this frame or an outer one. */
		rq.any_frame_addr0 = false;
		rq.frame_sp = f[0].pf.sp - 1;
		if (k >= 2)
			rq.frame_sp = f[0].pf.sp - 1;
	}
	n = inf_run(d, &rq, &st);
	if (d->inf.state != INF_NONE)
		for (int i = 0; i < rq.nstop_addr; i++)
			bpaddr_unref(d, rq.stop_addr[i]);
	if (n < 0)
		return -1;
	stop_report(d, &st);
	return 0;
}
