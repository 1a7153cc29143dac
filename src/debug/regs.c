/* SPDX-License-Identifier: MIT */
/*
 * Registers by gdb's names and with gdb's types on x86_64: the general
 * registers (int64_t, void * for rsp/rbp, void (*)() for rip), eflags as
 * i386_eflags, the segment registers, fs_base/gs_base/orig_rax, the
 * sub-registers (eax, ax, al, ah, r8d, ...), the x87 stack and control
 * registers, mxcsr, xmm/ymm/zmm as gdb's vector unions and the AVX-512
 * mask registers; `info registers` and `info all-registers` in gdb's order.
 * In a caller frame, registers the unwinder recovered come from the frame.
 */
#include "regs_impl.h"

#include <cpuid.h>
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

enum rk {
	RK_GP,  /* whole general register: off = offset in struct ptk_regs */
	RK_SUB, /* size bytes at byte `shift` of a general register */
	RK_FP,  /* x87 control registers: idx selects */
	RK_MXCSR,
	RK_ST,  /* st0-7: idx */
	RK_XMM, /* idx */
	RK_YMM,
	RK_ZMM,
	RK_K,
};

struct rdef {
	const char *name;
	enum rk kind;
	int off;   /* RK_GP/RK_SUB: offset of the register in struct ptk_regs */
	int idx;   /* register index */
	int size;  /* bytes */
	int shift; /* RK_SUB: byte offset */
	enum rt type;
	int dw; /* DWARF number for caller frames, -1 if none */
};

#define GP(n, f, t, dw)                                                \
	{                                                              \
		n, RK_GP, offsetof(struct ptk_regs, f), 0, 8, 0, t, dw \
	}
#define SUB(n, f, sz, sh, t)                                              \
	{                                                                 \
		n, RK_SUB, offsetof(struct ptk_regs, f), 0, sz, sh, t, -1 \
	}

static const struct rdef gp_regs[] = {
        GP("rax", rax, T_I64, PTK_DW_RAX),
        GP("rbx", rbx, T_I64, PTK_DW_RBX),
        GP("rcx", rcx, T_I64, PTK_DW_RCX),
        GP("rdx", rdx, T_I64, PTK_DW_RDX),
        GP("rsi", rsi, T_I64, PTK_DW_RSI),
        GP("rdi", rdi, T_I64, PTK_DW_RDI),
        GP("rbp", rbp, T_DATA, PTK_DW_RBP),
        GP("rsp", rsp, T_DATA, PTK_DW_RSP),
        GP("r8", r8, T_I64, PTK_DW_R8),
        GP("r9", r9, T_I64, PTK_DW_R9),
        GP("r10", r10, T_I64, PTK_DW_R10),
        GP("r11", r11, T_I64, PTK_DW_R11),
        GP("r12", r12, T_I64, PTK_DW_R12),
        GP("r13", r13, T_I64, PTK_DW_R13),
        GP("r14", r14, T_I64, PTK_DW_R14),
        GP("r15", r15, T_I64, PTK_DW_R15),
        GP("rip", rip, T_CODE, PTK_DW_RIP),
        {"eflags", RK_SUB, offsetof(struct ptk_regs, eflags), 0, 4, 0, T_FLAGS, -1},
        SUB("cs", cs, 4, 0, T_I32),
        SUB("ss", ss, 4, 0, T_I32),
        SUB("ds", ds, 4, 0, T_I32),
        SUB("es", es, 4, 0, T_I32),
        SUB("fs", fs, 4, 0, T_I32),
        SUB("gs", gs, 4, 0, T_I32),
};

static const struct rdef other_regs[] = {
        GP("fs_base", fs_base, T_LONG, -1),   GP("gs_base", gs_base, T_LONG, -1),
        GP("orig_rax", orig_rax, T_LONG, -1), GP("pc", rip, T_CODE, PTK_DW_RIP),
        GP("sp", rsp, T_DATA, PTK_DW_RSP),    GP("fp", rbp, T_DATA, PTK_DW_RBP),
};

/* Sub-registers: eax ax al ah for the four legacy ones, then the rest. */
static const struct {
	const char *full, *r32, *r16, *r8, *r8h;
} subs[] = {
        {"rax", "eax", "ax", "al", "ah"},      {"rbx", "ebx", "bx", "bl", "bh"},
        {"rcx", "ecx", "cx", "cl", "ch"},      {"rdx", "edx", "dx", "dl", "dh"},
        {"rsi", "esi", "si", "sil", NULL},     {"rdi", "edi", "di", "dil", NULL},
        {"rbp", "ebp", "bp", "bpl", NULL},     {"rsp", "esp", "sp", "spl", NULL},
        {"r8", "r8d", "r8w", "r8l", NULL},     {"r9", "r9d", "r9w", "r9l", NULL},
        {"r10", "r10d", "r10w", "r10l", NULL}, {"r11", "r11d", "r11w", "r11l", NULL},
        {"r12", "r12d", "r12w", "r12l", NULL}, {"r13", "r13d", "r13w", "r13l", NULL},
        {"r14", "r14d", "r14w", "r14l", NULL}, {"r15", "r15d", "r15w", "r15l", NULL},
};

static const char *const fp_names[] = {"fctrl", "fstat", "ftag",  "fiseg",
                                       "fioff", "foseg", "fooff", "fop"};

/* Find a register; *def filled (for sub-registers and vectors too). */
static bool reg_lookup(struct dbg *d, const char *name, struct rdef *def)
{
	struct regstate *rs = rs_get(d);
	int nvec = rs && rs->avx512 ? 32 : 16;
	char *end;
	long i;

	for (size_t k = 0; k < sizeof(gp_regs) / sizeof(gp_regs[0]); k++)
		if (strcmp(gp_regs[k].name, name) == 0) {
			*def = gp_regs[k];
			return true;
		}
	for (size_t k = 0; k < sizeof(other_regs) / sizeof(other_regs[0]); k++)
		if (strcmp(other_regs[k].name, name) == 0) {
			*def = other_regs[k];
			return true;
		}
	for (size_t k = 0; k < sizeof(subs) / sizeof(subs[0]); k++) {
		const char *nm[4] = {subs[k].r32, subs[k].r16, subs[k].r8, subs[k].r8h};
		static const int sz[4] = {4, 2, 1, 1}, sh[4] = {0, 0, 0, 1};
		static const enum rt ty[4] = {T_I32, T_I16, T_I8, T_I8};

		for (int j = 0; j < 4; j++) {
			if (!nm[j] || strcmp(nm[j], name) != 0)
				continue;
			for (size_t g = 0; g < sizeof(gp_regs) / sizeof(gp_regs[0]); g++)
				if (strcmp(gp_regs[g].name, subs[k].full) == 0)
					def->off = gp_regs[g].off;
			def->name = nm[j];
			def->kind = RK_SUB;
			def->size = sz[j];
			def->shift = sh[j];
			def->type = ty[j];
			def->dw = -1;
			return true;
		}
	}
	for (int k = 0; k < 8; k++)
		if (strcmp(fp_names[k], name) == 0) {
			*def = (struct rdef){fp_names[k], RK_FP, 0, k, 4, 0, T_INT, -1};
			return true;
		}
	if (strcmp(name, "mxcsr") == 0) {
		*def = (struct rdef){"mxcsr", RK_MXCSR, 0, 0, 4, 0, T_MXCSR, -1};
		return true;
	}
	if (strncmp(name, "st", 2) == 0 && name[2] >= '0' && name[2] <= '7' && !name[3]) {
		*def = (struct rdef){name, RK_ST, 0, name[2] - '0', 10, 0, T_EXT, -1};
		return true;
	}
	if (name[0] == 'k' && name[1] >= '0' && name[1] <= '7' && !name[2] && rs && rs->avx512) {
		*def = (struct rdef){name, RK_K, 0, name[1] - '0', 8, 0, T_U64, -1};
		return true;
	}
	if ((strncmp(name, "xmm", 3) == 0 || strncmp(name, "ymm", 3) == 0 ||
	     strncmp(name, "zmm", 3) == 0) &&
	    name[3] >= '0' && name[3] <= '9') {
		i = strtol(name + 3, &end, 10);
		if (*end || i < 0 || i >= nvec)
			return false;
		if (name[0] == 'y' && !(rs && rs->avx))
			return false;
		if (name[0] == 'z' && !(rs && rs->avx512))
			return false;
		def->name = name;
		def->kind = name[0] == 'x' ? RK_XMM : name[0] == 'y' ? RK_YMM : RK_ZMM;
		def->idx = (int)i;
		def->size = name[0] == 'x' ? 16 : name[0] == 'y' ? 32 : 64;
		def->type = name[0] == 'x' ? T_V128 : name[0] == 'y' ? T_V256 : T_V512;
		def->dw = -1;
		return true;
	}
	return false;
}

/* gdb's full tag word from FXSAVE's abridged one. */
static uint16_t full_tag(const struct ptk_fpregs *fp)
{
	unsigned top = (fp->swd >> 11) & 7;
	uint16_t tag = 0;

	for (unsigned phys = 0; phys < 8; phys++) {
		unsigned t = 3; /* empty */

		if (fp->ftw & (1u << phys)) {
			const uint8_t *r = fp->st[(phys - top) & 7];
			unsigned exp = (unsigned)((r[9] & 0x7f) << 8 | r[8]);
			bool zero = true, integer = r[7] & 0x80;

			for (int k = 0; k < 8; k++)
				if (r[k])
					zero = false;
			if (exp == 0x7fff)
				t = 2;
			else if (exp == 0)
				t = zero ? 1 : 2;
			else
				t = integer ? 0 : 2;
		}
		tag |= (uint16_t)(t << (2 * phys));
	}
	return tag;
}

static int read_xstate(struct dbg *d, pid_t tid, uint8_t **ret)
{
	size_t len = 0, cap = 16384;
	uint8_t *buf = calloc(1, cap);
	int r;

	if (!buf)
		return -ENOMEM;
	r = ptk_xstate_get(d->s, tid, buf, cap, &len);
	if (r < 0) {
		free(buf);
		return r;
	}
	*ret = buf;
	return (int)len;
}

/* Bytes of vector register idx of kind (xmm 16, ymm 32, zmm 64). */
static int read_vec(struct dbg *d, pid_t tid, const struct rdef *def, uint8_t *buf)
{
	struct regstate *rs = rs_get(d);
	struct ptk_fpregs fp;
	uint8_t hi[16][16];
	uint8_t *xs = NULL;
	int r, i = def->idx;

	memset(buf, 0, (size_t)def->size);
	if (i < 16 && def->kind != RK_ZMM && (def->kind == RK_XMM || !rs->avx512)) {
		r = ptk_fpregs_get(d->s, tid, &fp);
		if (r < 0)
			return r;
		memcpy(buf, fp.xmm[i], 16);
		if (def->kind == RK_YMM) {
			r = ptk_ymm_hi_get(d->s, tid, hi);
			if (r < 0)
				return r;
			memcpy(buf + 16, hi[i], 16);
		}
		return def->size;
	}
	r = read_xstate(d, tid, &xs);
	if (r < 0)
		return r;
	{
		size_t len = (size_t)r;
		uint64_t bv = 0;

		if (len >= 520)
			memcpy(&bv, xs + 512, 8);
		if (i < 16) {
			memcpy(buf, xs + 160 + 16 * i, 16);
			if ((bv & 4) && rs->xoff[2] + 16 * (i + 1) <= len)
				memcpy(buf + 16, xs + rs->xoff[2] + 16 * i, 16);
			if (def->size == 64 && (bv & 64) && rs->xoff[6] + 32 * (i + 1) <= len)
				memcpy(buf + 32, xs + rs->xoff[6] + 32 * i, 32);
		} else if ((bv & 128) && rs->xoff[7] + 64 * (i - 15) <= len) {
			memcpy(buf, xs + rs->xoff[7] + 64 * (i - 16), (size_t)def->size);
		}
	}
	free(xs);
	return def->size;
}

static int read_def(struct dbg *d, const struct rdef *def, uint8_t *buf)
{
	struct dthread *t = thr_cur(d);
	struct ptk_regs r;
	struct ptk_fpregs fp;
	struct frame *f;
	uint64_t v;
	int err_;

	if (!t || !inf_live(d))
		return -ESRCH;
	switch (def->kind) {
	case RK_GP:
	case RK_SUB:
		err_ = ptk_regs_get(d->s, t->tid, &r);
		if (err_ < 0)
			return err_;
		memcpy(&v, (const uint8_t *)&r + def->off, 8);
		if (d->sel_frame > 0 && (f = frame_sel(d)) != NULL) {
			int dw = def->dw;

			if (dw < 0) {
				for (size_t k = 0; k < sizeof(gp_regs) / sizeof(gp_regs[0]); k++)
					if (gp_regs[k].off == def->off)
						dw = gp_regs[k].dw;
			}
			if (dw >= 0) {
				uint64_t fv;

				if (dw == PTK_DW_RIP)
					v = f->pf.pc;
				else if (frame_reg(d, f, dw, &fv) == 0)
					v = fv;
			}
		}
		memcpy(buf, (const uint8_t *)&v + def->shift, (size_t)def->size);
		return def->size;
	case RK_FP:
	case RK_MXCSR:
	case RK_ST:
		err_ = ptk_fpregs_get(d->s, t->tid, &fp);
		if (err_ < 0)
			return err_;
		if (def->kind == RK_ST) {
			memcpy(buf, fp.st[def->idx], 10);
			return 10;
		}
		if (def->kind == RK_MXCSR)
			v = fp.mxcsr;
		else
			switch (def->idx) {
			case 0:
				v = fp.cwd;
				break;
			case 1:
				v = fp.swd;
				break;
			case 2:
				v = full_tag(&fp);
				break;
			case 3:
				v = (fp.rip >> 32) & 0xffff;
				break;
			case 4:
				v = fp.rip & 0xffffffff;
				break;
			case 5:
				v = (fp.rdp >> 32) & 0xffff;
				break;
			case 6:
				v = fp.rdp & 0xffffffff;
				break;
			default:
				v = fp.fop & 0x7ff;
				break;
			}
		memcpy(buf, &v, 4);
		return 4;
	case RK_K: {
		struct regstate *rs = rs_get(d);
		uint8_t *xs = NULL;
		int len = read_xstate(d, t->tid, &xs);
		uint64_t bv = 0;

		if (len < 0)
			return len;
		memset(buf, 0, 8);
		if (len >= 520)
			memcpy(&bv, xs + 512, 8);
		if ((bv & 32) && rs->xoff[5] + 8 * (unsigned)(def->idx + 1) <= (unsigned)len)
			memcpy(buf, xs + rs->xoff[5] + 8 * def->idx, 8);
		free(xs);
		return 8;
	}
	default:
		return read_vec(d, t->tid, def, buf);
	}
}

int dreg_read(struct dbg *d, const char *name, struct dbg_type **ret_type, void *buf, size_t cap)
{
	struct rdef def;
	uint8_t tmp[64];
	int n;

	if (!reg_lookup(d, name, &def))
		return -ENOENT;
	if (!inf_live(d))
		return -ESRCH;
	n = read_def(d, &def, tmp);
	if (n < 0)
		return n;
	if ((size_t)n > cap)
		n = (int)cap;
	memcpy(buf, tmp, (size_t)n);
	*ret_type = rtype(d, def.type);
	return *ret_type ? n : -ENOMEM;
}

int dreg_write(struct dbg *d, const char *name, const void *buf, size_t len)
{
	struct dthread *t = thr_cur(d);
	struct rdef def;
	struct ptk_regs r;
	struct ptk_fpregs fp;
	uint64_t v;
	int e;

	if (!reg_lookup(d, name, &def))
		return -ENOENT;
	if (!t || !inf_live(d))
		return -ESRCH;
	if (d->sel_frame > 0)
		return -EPERM;
	switch (def.kind) {
	case RK_GP:
	case RK_SUB:
		e = ptk_regs_get(d->s, t->tid, &r);
		if (e < 0)
			return e;
		memcpy(&v, (uint8_t *)&r + def.off, 8);
		memcpy((uint8_t *)&v + def.shift, buf,
		       len < (size_t)def.size ? len : (size_t)def.size);
		memcpy((uint8_t *)&r + def.off, &v, 8);
		e = ptk_regs_set(d->s, t->tid, &r);
		inf_invalidate(d);
		return e;
	case RK_XMM:
	case RK_ST:
	case RK_MXCSR:
		e = ptk_fpregs_get(d->s, t->tid, &fp);
		if (e < 0)
			return e;
		if (def.kind == RK_XMM && def.idx < 16)
			memcpy(fp.xmm[def.idx], buf, len < 16 ? len : 16);
		else if (def.kind == RK_ST)
			memcpy(fp.st[def.idx], buf, len < 10 ? len : 10);
		else if (def.kind == RK_MXCSR)
			memcpy(&fp.mxcsr, buf, len < 4 ? len : 4);
		else
			return -EINVAL;
		return ptk_fpregs_set(d->s, t->tid, &fp);
	default:
		return -EINVAL;
	}
}

/* ---- info registers ---- */

static int one_line(struct dbg *d, const char *name)
{
	struct dbg_buf b = {0};
	struct rdef def;
	int r;

	if (!reg_lookup(d, name, &def))
		return derr(d, "Invalid register `%s'", name);
	if (def.kind == RK_XMM || def.kind == RK_YMM || def.kind == RK_ZMM) {
		char expr[16];
		struct dbg_value *v;

		snprintf(expr, sizeof(expr), "$%s", name);
		r = dbg_eval_string(d->ctx, expr, &v);
		if (r == 0) {
			dbg_buf_printf(&b, "%-15s", name);
			r = dbg_print_value(d->ctx, v, 'x', &b);
		}
	} else if (def.kind == RK_ST) {
		uint8_t raw[10];
		struct dbg_type *t;

		r = dreg_read(d, name, &t, raw, sizeof(raw));
		if (r >= 0) {
			struct dbg_buf val = {0};

			dbg_format_float(raw, 10, &val);
			dbg_buf_printf(&b, "%-15s%-20s(raw 0x", name, dbg_buf_str(&val));
			for (int i = 9; i >= 0; i--)
				dbg_buf_printf(&b, "%02x", raw[i]);
			dbg_buf_putc(&b, ')');
			dbg_buf_free(&val);
			r = 0;
		}
	} else {
		r = dbg_info_register_line(d->ctx, name, &b);
	}
	if (r < 0) {
		dbg_buf_free(&b);
		return derr(d, "%s", dbg_ctx_error(d->ctx));
	}
	dout(d, "%s\n", dbg_buf_str(&b));
	dbg_buf_free(&b);
	dbg_ctx_reset_tmp(d->ctx);
	return 0;
}

int cmd_info_registers(struct dbg *d, const struct dbg_cmd *c, bool all)
{
	struct regstate *rs = rs_get(d);
	char name[16];

	if (!inf_live(d))
		return derr(d, "The program has no registers now.");
	if (c->nargs) {
		for (size_t i = 0; i < c->nargs; i++)
			if (one_line(d, c->args[i]) < 0)
				return -1;
		return 0;
	}
	for (size_t i = 0; i < sizeof(gp_regs) / sizeof(gp_regs[0]); i++)
		one_line(d, gp_regs[i].name);
	if (all) {
		for (int i = 0; i < 8; i++) {
			snprintf(name, sizeof(name), "st%d", i);
			one_line(d, name);
		}
		for (int i = 0; i < 8; i++)
			one_line(d, fp_names[i]);
		if (rs && !rs->avx)
			for (int i = 0; i < 16; i++) {
				snprintf(name, sizeof(name), "xmm%d", i);
				one_line(d, name);
			}
		one_line(d, "mxcsr");
	}
	if (rs && rs->avx512)
		for (int i = 0; i < 8; i++) {
			snprintf(name, sizeof(name), "k%d", i);
			one_line(d, name);
		}
	if (all && rs) {
		int n = rs->avx512 ? 32 : 16;

		for (int i = 0; rs->avx && i < n; i++) {
			snprintf(name, sizeof(name), "%s%d", rs->avx512 ? "zmm" : "ymm", i);
			one_line(d, name);
		}
	}
	return 0;
}

const char *reg_name_at(size_t i)
{
	size_t n = sizeof(gp_regs) / sizeof(gp_regs[0]);

	if (i < n)
		return gp_regs[i].name;
	i -= n;
	if (i < sizeof(other_regs) / sizeof(other_regs[0]))
		return other_regs[i].name;
	return NULL;
}
