/* SPDX-License-Identifier: MIT */
/*
 * DWARF location expressions evaluated against a frame: registers (the
 * thread's for the innermost physical frame, the unwinder's for callers),
 * the frame base (DW_OP_call_frame_cfa is the frame's CFA), memory,
 * implicit values and pieces; and entry values (DW_OP_entry_value, and
 * gdb's "x=x@entry=5"), the values the caller passed, from the DW_AT_call_value
 * of its call site.  What cannot be known is <optimized out>.
 */
#include "dwarf_impl.h"

#include <dwarf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* ---- registers and location expressions ---- */

static int reg_value(struct dbg *d, struct frame *f, int dw, uint8_t *buf, size_t *len)
{
	struct ptk_regs r;
	struct ptk_fpregs fp;
	static const int gp_off[17] = {
	        offsetof(struct ptk_regs, rax), offsetof(struct ptk_regs, rdx),
	        offsetof(struct ptk_regs, rcx), offsetof(struct ptk_regs, rbx),
	        offsetof(struct ptk_regs, rsi), offsetof(struct ptk_regs, rdi),
	        offsetof(struct ptk_regs, rbp), offsetof(struct ptk_regs, rsp),
	        offsetof(struct ptk_regs, r8),  offsetof(struct ptk_regs, r9),
	        offsetof(struct ptk_regs, r10), offsetof(struct ptk_regs, r11),
	        offsetof(struct ptk_regs, r12), offsetof(struct ptk_regs, r13),
	        offsetof(struct ptk_regs, r14), offsetof(struct ptk_regs, r15),
	        offsetof(struct ptk_regs, rip)};

	if (!f)
		return -ENOENT;
	if (dw >= 0 && dw < 17) {
		uint64_t v;

		/*
		 * A callee-saved register (rbx, rbp, r12-r15) the unwinder did not
		 * recover has the value of the frame it called (DWARF's "same
		 * value", gdb's default for them on x86_64): look inwards.
		 */
		bool callee_saved = dw == PTK_DW_RBX || dw == PTK_DW_RBP ||
		                    (dw >= PTK_DW_R12 && dw <= PTK_DW_R15);

		while (f->phys != 0 && frame_reg(d, f, dw, &v) < 0) {
			if (!callee_saved || f == d->frames)
				return -ENOENT;
			f--;
		}
		if (f->phys == 0) {
			if (ptk_regs_get(d->s, d->inf.cur_tid, &r) < 0)
				return -EIO;
			memcpy(&v, (uint8_t *)&r + gp_off[dw], 8);
		}
		memcpy(buf, &v, 8);
		*len = 8;
		return 0;
	}
	if (dw >= 17 && dw <= 32 && f->phys == 0) {
		if (ptk_fpregs_get(d->s, d->inf.cur_tid, &fp) < 0)
			return -EIO;
		memcpy(buf, fp.xmm[dw - 17], 16);
		*len = 16;
		return 0;
	}
	return -ENOENT;
}

enum lkind { L_NONE, L_ADDR, L_REG, L_VALUE, L_BYTES, L_OPTOUT };

struct lres {
	enum lkind kind;
	uint64_t addr; /* L_ADDR; L_VALUE's value */
	int reg;
	const uint8_t *bytes; /* L_BYTES */
	size_t len;
};

static int eval_ops(struct dbg *d, struct frame *f, Dwarf_Die *func, Dwarf_Addr bias, uint64_t pc,
                    const Dwarf_Op *ops, size_t n, struct lres *res, int depth,
                    Dwarf_Attribute *attr);
static int entry_reg_value(struct dbg *d, struct frame *f, int reg, uint64_t *ret, int depth);

static int frame_base(struct dbg *d, struct frame *f, Dwarf_Die *func, Dwarf_Addr bias, uint64_t pc,
                      uint64_t *ret, int depth)
{
	Dwarf_Attribute at;
	Dwarf_Op *ops;
	size_t n;
	struct lres r;

	if (!func || !dwarf_attr_integrate(func, DW_AT_frame_base, &at))
		return -ENOENT;
	if (dwarf_getlocation_addr(&at, pc - bias, &ops, &n, 1) <= 0)
		return -ENOENT;
	if (eval_ops(d, f, func, bias, pc, ops, n, &r, depth + 1, &at) < 0)
		return -ENOENT;
	if (r.kind == L_ADDR) {
		*ret = r.addr;
		return 0;
	}
	if (r.kind == L_REG) {
		uint8_t b[16];
		size_t len;

		if (reg_value(d, f, r.reg, b, &len) < 0)
			return -ENOENT;
		memcpy(ret, b, 8);
		return 0;
	}
	return -ENOENT;
}

static int eval_ops(struct dbg *d, struct frame *f, Dwarf_Die *func, Dwarf_Addr bias, uint64_t pc,
                    const Dwarf_Op *ops, size_t n, struct lres *res, int depth,
                    Dwarf_Attribute *attr)
{
	struct dwarf_info *w = dw_state(d);
	uint64_t st[64];
	int sp = 0;
	size_t piece_off = 0;
	bool pieces = false, missing = false;
	struct lres cur = {L_NONE, 0, 0, NULL, 0};

#define PUSH(v)                         \
	do {                            \
		uint64_t v_ = (v);      \
		if (sp >= 64)           \
			return -EINVAL; \
		st[sp++] = v_;          \
	} while (0)
#define POP() (sp > 0 ? st[--sp] : 0)

	if (depth > 4 || !w)
		return -EINVAL;
	memset(res, 0, sizeof(*res));
	if (n == 0) {
		res->kind = L_OPTOUT;
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		const Dwarf_Op *o = &ops[i];
		uint8_t b[16];
		size_t len;
		uint64_t a, x;

		switch (o->atom) {
		case DW_OP_addr:
			PUSH(o->number + bias);
			break;
		case DW_OP_lit0 ... DW_OP_lit31:
			PUSH((uint64_t)(o->atom - DW_OP_lit0));
			break;
		case DW_OP_const1u:
		case DW_OP_const2u:
		case DW_OP_const4u:
		case DW_OP_const8u:
		case DW_OP_constu:
		case DW_OP_const1s:
		case DW_OP_const2s:
		case DW_OP_const4s:
		case DW_OP_const8s:
		case DW_OP_consts:
			PUSH(o->number);
			break;
		case DW_OP_reg0 ... DW_OP_reg31:
			cur.kind = L_REG;
			cur.reg = o->atom - DW_OP_reg0;
			break;
		case DW_OP_regx:
			cur.kind = L_REG;
			cur.reg = (int)o->number;
			break;
		case DW_OP_breg0 ... DW_OP_breg31:
			if (reg_value(d, f, o->atom - DW_OP_breg0, b, &len) < 0)
				goto optout;
			memcpy(&x, b, 8);
			PUSH(x + o->number);
			break;
		case DW_OP_bregx:
			if (reg_value(d, f, (int)o->number, b, &len) < 0)
				goto optout;
			memcpy(&x, b, 8);
			PUSH(x + o->number2);
			break;
		case DW_OP_fbreg:
			if (frame_base(d, f, func, bias, pc, &x, depth) < 0)
				goto optout;
			PUSH(x + o->number);
			break;
		case DW_OP_call_frame_cfa:
			if (!f || !f->pf.cfa)
				goto optout;
			PUSH(f->pf.cfa);
			break;
		case DW_OP_plus_uconst:
			PUSH(POP() + o->number);
			break;
		case DW_OP_plus:
			a = POP();
			PUSH(POP() + a);
			break;
		case DW_OP_minus:
			a = POP();
			PUSH(POP() - a);
			break;
		case DW_OP_mul:
			a = POP();
			PUSH(POP() * a);
			break;
		case DW_OP_and:
			a = POP();
			PUSH(POP() & a);
			break;
		case DW_OP_or:
			a = POP();
			PUSH(POP() | a);
			break;
		case DW_OP_xor:
			a = POP();
			PUSH(POP() ^ a);
			break;
		case DW_OP_shl:
			a = POP();
			PUSH(POP() << (a & 63));
			break;
		case DW_OP_shr:
			a = POP();
			PUSH(POP() >> (a & 63));
			break;
		case DW_OP_shra:
			a = POP();
			PUSH((uint64_t)((int64_t)POP() >> (a & 63)));
			break;
		case DW_OP_neg:
			PUSH(-POP());
			break;
		case DW_OP_not:
			PUSH(~POP());
			break;
		case DW_OP_dup:
			a = POP();
			PUSH(a);
			PUSH(a);
			break;
		case DW_OP_drop:
			(void)POP();
			break;
		case DW_OP_swap:
			a = POP();
			x = POP();
			PUSH(a);
			PUSH(x);
			break;
		case DW_OP_over:
			if (sp < 2)
				return -EINVAL;
			PUSH(st[sp - 2]);
			break;
		case DW_OP_deref:
		case DW_OP_deref_size:
			a = POP();
			x = 0;
			len = o->atom == DW_OP_deref ? 8 : (size_t)o->number;
			if (len > 8 || ptk_mem_read(d->s, d->inf.cur_tid, a, &x, len, NULL) < 0)
				goto optout;
			PUSH(x);
			break;
		case DW_OP_stack_value:
			cur.kind = L_VALUE;
			cur.addr = POP();
			break;
		case DW_OP_implicit_value:
			cur.kind = L_BYTES;
			cur.bytes = (const uint8_t *)(uintptr_t)o->number2;
			cur.len = (size_t)o->number;
			break;
		case DW_OP_piece: {
			size_t psz = (size_t)o->number;
			uint8_t *dst;

			pieces = true;
			if (sp > 0 && cur.kind == L_NONE) {
				cur.kind = L_ADDR;
				cur.addr = POP();
			}
			if (!w->big)
				w->big = malloc(4096);
			if (!w->big || piece_off + psz > 4096)
				goto optout;
			dst = w->big + piece_off;
			memset(dst, 0, psz);
			if (cur.kind == L_NONE) {
				missing = true;
			} else if (cur.kind == L_REG) {
				if (reg_value(d, f, cur.reg, b, &len) < 0)
					missing = true;
				else
					memcpy(dst, b, psz < len ? psz : len);
			} else if (cur.kind == L_ADDR) {
				if (ptk_mem_read(d->s, d->inf.cur_tid, cur.addr, dst, psz, NULL) <
				    0)
					missing = true;
			} else if (cur.kind == L_VALUE) {
				memcpy(dst, &cur.addr, psz < 8 ? psz : 8);
			} else if (cur.kind == L_BYTES) {
				memcpy(dst, cur.bytes, psz < cur.len ? psz : cur.len);
			}
			piece_off += psz;
			cur.kind = L_NONE;
			sp = 0;
			break;
		}
		case DW_OP_entry_value:
		case DW_OP_GNU_entry_value: {
			/* The value a register had when the function was entered. */
			Dwarf_Attribute sub;
			Dwarf_Op *sops;
			size_t sn;
			int reg = -1;

			if (!attr || dwarf_getlocation_attr(attr, o, &sub) != 0 ||
			    dwarf_getlocation(&sub, &sops, &sn) != 0 || sn != 1)
				goto optout;
			if (sops[0].atom >= DW_OP_reg0 && sops[0].atom <= DW_OP_reg31)
				reg = sops[0].atom - DW_OP_reg0;
			else if (sops[0].atom == DW_OP_regx)
				reg = (int)sops[0].number;
			if (reg < 0 || entry_reg_value(d, f, reg, &x, depth) < 0)
				goto optout;
			PUSH(x);
			break;
		}
		default:
			/* DW_OP_GNU_parameter_ref, ...: not known here. */
			goto optout;
		}
	}
	if (pieces) {
		if (missing)
			goto optout;
		res->kind = L_BYTES;
		res->bytes = w->big;
		res->len = piece_off;
		return 0;
	}
	if (cur.kind != L_NONE) {
		*res = cur;
		return 0;
	}
	if (sp == 0)
		goto optout;
	res->kind = L_ADDR;
	res->addr = st[sp - 1];
	return 0;
optout:
	res->kind = L_OPTOUT;
	return 0;
#undef PUSH
#undef POP
}

/* ---- entry values: what the caller passed, from its DWARF call site ---- */

static bool single_reg(const Dwarf_Op *ops, size_t n, int *reg)
{
	if (n != 1)
		return false;
	if (ops[0].atom >= DW_OP_reg0 && ops[0].atom <= DW_OP_reg31) {
		*reg = ops[0].atom - DW_OP_reg0;
		return true;
	}
	if (ops[0].atom == DW_OP_regx) {
		*reg = (int)ops[0].number;
		return true;
	}
	return false;
}

static bool is_call_site(int tag)
{
	return tag == DW_TAG_call_site || tag == DW_TAG_GNU_call_site;
}

/*
 * Register `reg` at the entry of frame f's function: the DW_AT_call_value
 * of the matching parameter of the call site in the caller whose return
 * address is the caller's pc (gdb's entry values).  Only for an
 * out-of-line frame called by a real call (not a tail call).
 */
static int entry_reg_value(struct dbg *d, struct frame *f, int reg, uint64_t *ret, int depth)
{
	struct ptk_symtab *st = inf_symtab(d);
	const struct ptk_dwarf_scopes *scp;
	struct ptk_dwarf_scopes sc;
	struct frame *cf;
	int idx, r = -ENOENT;

	if (!f || !st || depth > 2 || !d->frames)
		return -ENOENT;
	/* the out-of-line function of f's physical frame, then its caller */
	idx = (int)(f - d->frames);
	while (idx + 1 < d->nframes && d->frames[idx + 1].phys == f->phys)
		idx++;
	if (idx + 1 >= d->nframes || (d->frames[idx].pf.flags & PTK_FRAME_SIGNAL))
		return -ENOENT;
	cf = &d->frames[idx + 1];

	if (!(scp = dw_scopes_hold(d, cf->pf.lookup_pc)))
		return -ENOENT;
	sc = *scp;
	for (int i = 0; i < sc.nscopes && r == -ENOENT; i++) {
		Dwarf_Die cs, p;

		if (dwarf_child(&sc.scopes[i], &cs) != 0)
			continue;
		do {
			Dwarf_Attribute at;
			Dwarf_Addr ra = 0;

			if (!is_call_site(dwarf_tag(&cs)))
				continue;
			if (dwarf_attr(&cs, DW_AT_call_return_pc, &at) ||
			    dwarf_attr(&cs, DW_AT_low_pc, &at))
				dwarf_formaddr(&at, &ra);
			if (ra + sc.bias != cf->pf.pc || dwarf_child(&cs, &p) != 0)
				continue;
			do {
				Dwarf_Op *ops;
				size_t n;
				int pr;
				struct lres lr;

				if (dwarf_tag(&p) != DW_TAG_call_site_parameter &&
				    dwarf_tag(&p) != DW_TAG_GNU_call_site_parameter)
					continue;
				if (!dwarf_attr(&p, DW_AT_location, &at) ||
				    dwarf_getlocation(&at, &ops, &n) != 0 ||
				    !single_reg(ops, n, &pr) || pr != reg)
					continue;
				if (!dwarf_attr(&p, DW_AT_call_value, &at) &&
				    !dwarf_attr(&p, DW_AT_GNU_call_site_value, &at))
					break;
				if (dwarf_getlocation(&at, &ops, &n) != 0 ||
				    eval_ops(d, cf, sc.func >= 0 ? &sc.scopes[sc.func] : NULL,
				             sc.bias, cf->pf.lookup_pc, ops, n, &lr, depth + 1,
				             &at) < 0)
					break;
				if (lr.kind == L_ADDR || lr.kind == L_VALUE) {
					*ret = lr.addr;
					r = 0;
				} else if (lr.kind == L_REG) {
					uint8_t b[16];
					size_t len;

					if (reg_value(d, cf, lr.reg, b, &len) == 0) {
						memcpy(ret, b, 8);
						r = 0;
					}
				}
				break;
			} while (dwarf_siblingof(&p, &p) == 0);
			break;
		} while (dwarf_siblingof(&cs, &cs) == 0);
	}
	dw_scopes_release(d, scp);
	return r;
}

/*
 * A function's entry: DW_AT_entry_pc or DW_AT_low_pc, else (a function
 * split into hot and cold parts has only DW_AT_ranges) the start of its
 * first range, as gdb takes it.
 */
static int func_entry(Dwarf_Die *func, Dwarf_Addr *ret)
{
	Dwarf_Addr base, start, end;

	if (dwarf_entrypc(func, ret) == 0)
		return 0;
	if (dwarf_ranges(func, 0, &base, &start, &end) > 0) {
		*ret = start;
		return 0;
	}
	return -1;
}

/* A parameter's value at entry (bytes of its type), 0 or -ENOENT. */
int dw_param_entry_value(struct dbg *d, struct frame *f, Dwarf_Die *var, Dwarf_Die *func,
                         Dwarf_Addr bias, uint8_t *buf, size_t size)
{
	Dwarf_Attribute at;
	Dwarf_Addr entry;
	Dwarf_Op *ops;
	size_t n;
	uint64_t v;
	int reg;

	if (!func || size > 8 || f->inlined || func_entry(func, &entry) != 0 ||
	    !dwarf_attr_integrate(var, DW_AT_location, &at) ||
	    dwarf_getlocation_addr(&at, entry, &ops, &n, 1) <= 0 || !single_reg(ops, n, &reg) ||
	    reg > 16 || entry_reg_value(d, f, reg, &v, 0) < 0)
		return -ENOENT;
	(void)bias;
	memcpy(buf, &v, size);
	return 0;
}

/*
 * An extern declaration (`extern FILE *stdout;`) has no location: the
 * variable is where its ELF symbol is, as gdb finds it.  The executable's
 * definition comes first, so an object copied into the executable
 * (stdout@GLIBC_2.2.5) is the one the program uses.
 */
static void extern_addr(struct dbg *d, Dwarf_Die *var, struct dbg_symbol *ret)
{
	struct ptk_symtab *st = inf_symtab(d);
	const char *name = dwarf_diename(var);
	Dwarf_Attribute at;
	struct ptk_sym s[4];
	int n;

	if (dwarf_attr_integrate(var, DW_AT_linkage_name, &at) && dwarf_formstring(&at))
		name = dwarf_formstring(&at);
	if (!st || !name || (n = ptk_sym_lookup(st, name, s, 4)) <= 0)
		return;
	for (int i = 0; i < n && i < 4; i++)
		if (s[i].type == PTK_SYM_OBJECT || s[i].type == PTK_SYM_TLS) {
			if (s[i].type == PTK_SYM_TLS)
				return; /* a thread's copy: not at the symbol's address */
			ret->loc = DBG_SYM_ADDR;
			ret->addr = s[i].addr;
			return;
		}
}

/* The location of variable DIE var at pc as a dbg_symbol. */
int dw_var_symbol(struct dbg *d, struct frame *f, Dwarf_Die *var, Dwarf_Die *func, Dwarf_Addr bias,
                  uint64_t pc, struct dbg_symbol *ret)
{
	struct dwarf_info *w = dw_state(d);
	Dwarf_Attribute at;
	Dwarf_Op *ops;
	size_t n;
	struct lres r;
	uint64_t size;

	memset(ret, 0, sizeof(*ret));
	ret->type = dw_type_of(d, var);
	if (!ret->type || !w)
		return -ENOMEM;
	size = dbg_type_size(ret->type);
	if (d->scope_pc_set) {
		/* Only the type is wanted (a breakpoint condition being checked). */
		ret->loc = DBG_SYM_ADDR;
		ret->addr = 0;
		return 0;
	}
	if (dwarf_attr_integrate(var, DW_AT_const_value, &at)) {
		Dwarf_Block blk;
		Dwarf_Word u;

		ret->loc = DBG_SYM_CONST;
		if (dwarf_formblock(&at, &blk) == 0) {
			ret->bytes = blk.data;
			ret->len = blk.length;
		} else if (dwarf_formudata(&at, &u) == 0) {
			memcpy(w->scratch, &u, 8);
			ret->bytes = w->scratch;
			ret->len = size < 8 ? (size_t)size : 8;
		} else {
			ret->loc = DBG_SYM_OPTIMIZED_OUT;
		}
		return 0;
	}
	if (!dwarf_attr_integrate(var, DW_AT_location, &at)) {
		ret->loc = DBG_SYM_OPTIMIZED_OUT;
		if (dwarf_hasattr(var, DW_AT_declaration))
			extern_addr(d, var, ret);
		return 0;
	}
	if (dwarf_getlocation_addr(&at, pc - bias, &ops, &n, 1) <= 0) {
		ret->loc = DBG_SYM_OPTIMIZED_OUT;
		return 0;
	}
	if (eval_ops(d, f, func, bias, pc, ops, n, &r, 0, &at) < 0 || r.kind == L_OPTOUT) {
		ret->loc = DBG_SYM_OPTIMIZED_OUT;
		return 0;
	}
	switch (r.kind) {
	case L_ADDR:
		ret->loc = DBG_SYM_ADDR;
		ret->addr = r.addr;
		return 0;
	case L_REG: {
		size_t len;
		uint8_t b[16];

		if (reg_value(d, f, r.reg, b, &len) < 0) {
			ret->loc = DBG_SYM_OPTIMIZED_OUT;
			return 0;
		}
		memset(w->scratch, 0, sizeof(w->scratch));
		memcpy(w->scratch, b, len);
		ret->loc = DBG_SYM_CONST;
		ret->bytes = w->scratch;
		ret->len = size < sizeof(w->scratch) ? (size_t)size : sizeof(w->scratch);
		return 0;
	}
	case L_VALUE:
		memset(w->scratch, 0, sizeof(w->scratch));
		memcpy(w->scratch, &r.addr, 8);
		ret->loc = DBG_SYM_CONST;
		ret->bytes = w->scratch;
		ret->len = size < 8 ? (size_t)size : 8;
		return 0;
	default:
		ret->loc = DBG_SYM_CONST;
		ret->bytes = r.bytes;
		ret->len = r.len < size ? r.len : (size_t)size;
		return 0;
	}
}
