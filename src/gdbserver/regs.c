/* SPDX-License-Identifier: MIT */
/*
 * The register layout and the register file (see regs.h).  Facts used here:
 *
 * - struct ptk_regs is the kernel's user_regs_struct.  eflags and the segment registers
 *   are 64-bit fields there and 32-bit registers for gdb.
 * - The FXSAVE image (Intel SDM vol. 1, 10.5.1, 64-bit format): FCW at 0, FSW at 2, the
 *   abridged tag byte at 4, FOP at 6, the FPU instruction pointer at 8 and data pointer at
 *   16 (8 bytes each), MXCSR at 24, ST0-ST7 at 32 (16 bytes apart, 10 used), XMM0-15 at
 *   160.  gdb splits each pointer into an offset (low 32 bits) and a "segment" register
 *   holding the high 32 bits (fioff/fiseg at 8/12, fooff/foseg at 16/20); fop is 11 bits.
 * - gdb's ftag is the full tag word of the x87 (2 bits per physical register: 0 valid,
 *   1 zero, 2 special, 3 empty); FXSAVE keeps one bit per register (1: not empty), so the
 *   other states are recomputed from the register contents.  ST(i) is physical register
 *   (TOP + i) mod 8, TOP being bits 11-13 of FSW.
 * - The XSAVE header's XSTATE_BV (byte 512) says which components hold data; a component
 *   whose bit is clear is in its initial state (all zeros for AVX, opmask, ZMM, PKRU).
 */
#include "regs.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

/* Where a register's value lives. */
enum {
	RS_GPR,   /* 8 bytes of struct ptk_regs */
	RS_GPR32, /* the low 4 bytes of a struct ptk_regs field (eflags, segments) */
	RS_FX16,  /* a 16-bit FXSAVE field, zero-extended to 32 bits (fctrl, fstat) */
	RS_FX32,  /* 4 bytes of the FXSAVE image */
	RS_FOP,   /* the 11-bit opcode */
	RS_FTAG,  /* the full tag word, computed */
	RS_FX,    /* bits/8 bytes of the FXSAVE image (st, xmm) */
	RS_XC,    /* bits/8 bytes of an extended XSAVE component */
};

#define XSTATE_BV_OFF 512
#define FX_FSW        2
#define FX_FTW        4
#define FX_FOP        6
#define FX_ST         32
#define FX_XMM        160
#define FX_SIZE       512

static const char *const feature_names[GS_F__COUNT] = {
        [GS_F_CORE] = "org.gnu.gdb.i386.core",   [GS_F_SSE] = "org.gnu.gdb.i386.sse",
        [GS_F_LINUX] = "org.gnu.gdb.i386.linux", [GS_F_SEGMENTS] = "org.gnu.gdb.i386.segments",
        [GS_F_AVX] = "org.gnu.gdb.i386.avx",     [GS_F_AVX512] = "org.gnu.gdb.i386.avx512",
        [GS_F_PKEYS] = "org.gnu.gdb.i386.pkeys",
};

const char *gs_feature_name(enum gs_feature f)
{
	return (unsigned)f < GS_F__COUNT ? feature_names[f] : "";
}

static void add(struct gs_layout *l, const char *name, unsigned bits, int src, int feature,
                int comp, size_t off, const char *type, const char *group)
{
	struct gs_reg *r = &l->r[l->n++];

	snprintf(r->name, sizeof r->name, "%s", name);
	r->bits = (uint16_t)bits;
	r->src = (uint8_t)src;
	r->feature = (uint8_t)feature;
	r->comp = (uint8_t)comp;
	r->off = (uint16_t)off;
	r->type = type;
	r->group = group;
	r->goff = l->gsize;
	l->gsize += bits / 8;
	l->features |= 1u << feature;
}

/* Whether component c is enabled and fits in the area the kernel may return. */
static bool have_comp(const struct gs_xsave_info *xi, int c)
{
	return (xi->xcr0 >> c & 1) && xi->off[c] >= FX_SIZE + 64 && xi->size[c] > 0 &&
	       xi->off[c] + xi->size[c] <= GS_XS_MAX;
}

void gs_layout_init(struct gs_layout *l, const struct gs_xsave_info *xi)
{
	static const char *const gpr[16] = {"rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp",
	                                    "r8",  "r9",  "r10", "r11", "r12", "r13", "r14", "r15"};
	static const size_t gpr_off[16] = {
	        offsetof(struct ptk_regs, rax), offsetof(struct ptk_regs, rbx),
	        offsetof(struct ptk_regs, rcx), offsetof(struct ptk_regs, rdx),
	        offsetof(struct ptk_regs, rsi), offsetof(struct ptk_regs, rdi),
	        offsetof(struct ptk_regs, rbp), offsetof(struct ptk_regs, rsp),
	        offsetof(struct ptk_regs, r8),  offsetof(struct ptk_regs, r9),
	        offsetof(struct ptk_regs, r10), offsetof(struct ptk_regs, r11),
	        offsetof(struct ptk_regs, r12), offsetof(struct ptk_regs, r13),
	        offsetof(struct ptk_regs, r14), offsetof(struct ptk_regs, r15)};
	static const char *const seg[6] = {"cs", "ss", "ds", "es", "fs", "gs"};
	static const size_t seg_off[6] = {
	        offsetof(struct ptk_regs, cs), offsetof(struct ptk_regs, ss),
	        offsetof(struct ptk_regs, ds), offsetof(struct ptk_regs, es),
	        offsetof(struct ptk_regs, fs), offsetof(struct ptk_regs, gs)};
	char name[12];

	memset(l, 0, sizeof *l);
	l->xs = *xi;
	for (int i = 0; i < 16; i++) {
		const char *type = (i == 6 || i == 7) ? "data_ptr" : "int64";
		add(l, gpr[i], 64, RS_GPR, GS_F_CORE, 0, gpr_off[i], type, NULL);
	}
	add(l, "rip", 64, RS_GPR, GS_F_CORE, 0, offsetof(struct ptk_regs, rip), "code_ptr", NULL);
	add(l, "eflags", 32, RS_GPR32, GS_F_CORE, 0, offsetof(struct ptk_regs, eflags),
	    "i386_eflags", NULL);
	for (int i = 0; i < 6; i++)
		add(l, seg[i], 32, RS_GPR32, GS_F_CORE, 0, seg_off[i], "int32", NULL);
	for (int i = 0; i < 8; i++) {
		snprintf(name, sizeof name, "st%d", i);
		add(l, name, 80, RS_FX, GS_F_CORE, GS_XC_X87, FX_ST + 16 * (size_t)i, "i387_ext",
		    NULL);
	}
	add(l, "fctrl", 32, RS_FX16, GS_F_CORE, GS_XC_X87, 0, "int", "float");
	add(l, "fstat", 32, RS_FX16, GS_F_CORE, GS_XC_X87, FX_FSW, "int", "float");
	add(l, "ftag", 32, RS_FTAG, GS_F_CORE, GS_XC_X87, FX_FTW, "int", "float");
	add(l, "fiseg", 32, RS_FX32, GS_F_CORE, GS_XC_X87, 12, "int", "float");
	add(l, "fioff", 32, RS_FX32, GS_F_CORE, GS_XC_X87, 8, "int", "float");
	add(l, "foseg", 32, RS_FX32, GS_F_CORE, GS_XC_X87, 20, "int", "float");
	add(l, "fooff", 32, RS_FX32, GS_F_CORE, GS_XC_X87, 16, "int", "float");
	add(l, "fop", 32, RS_FOP, GS_F_CORE, GS_XC_X87, FX_FOP, "int", "float");
	for (int i = 0; i < 16; i++) {
		snprintf(name, sizeof name, "xmm%d", i);
		add(l, name, 128, RS_FX, GS_F_SSE, GS_XC_SSE, FX_XMM + 16 * (size_t)i, "vec128",
		    NULL);
	}
	add(l, "mxcsr", 32, RS_FX32, GS_F_SSE, GS_XC_SSE, 24, "i386_mxcsr", "vector");
	add(l, "orig_rax", 64, RS_GPR, GS_F_LINUX, 0, offsetof(struct ptk_regs, orig_rax), "int",
	    NULL);
	add(l, "fs_base", 64, RS_GPR, GS_F_SEGMENTS, 0, offsetof(struct ptk_regs, fs_base), "int",
	    NULL);
	add(l, "gs_base", 64, RS_GPR, GS_F_SEGMENTS, 0, offsetof(struct ptk_regs, gs_base), "int",
	    NULL);
	if (!have_comp(xi, GS_XC_AVX))
		return;
	for (int i = 0; i < 16; i++) {
		snprintf(name, sizeof name, "ymm%dh", i);
		add(l, name, 128, RS_XC, GS_F_AVX, GS_XC_AVX, 16 * (size_t)i, "uint128", NULL);
	}
	if (have_comp(xi, GS_XC_OPMASK) && have_comp(xi, GS_XC_ZMM_HI256) &&
	    have_comp(xi, GS_XC_HI16_ZMM)) {
		/* zmm16-31 are 64 bytes each in Hi16_ZMM: xmm, ymm upper, zmm upper halves. */
		for (int i = 16; i < 32; i++) {
			snprintf(name, sizeof name, "xmm%d", i);
			add(l, name, 128, RS_XC, GS_F_AVX512, GS_XC_HI16_ZMM, 64 * (size_t)(i - 16),
			    "vec128", NULL);
		}
		for (int i = 16; i < 32; i++) {
			snprintf(name, sizeof name, "ymm%dh", i);
			add(l, name, 128, RS_XC, GS_F_AVX512, GS_XC_HI16_ZMM,
			    64 * (size_t)(i - 16) + 16, "uint128", NULL);
		}
		for (int i = 0; i < 8; i++) {
			snprintf(name, sizeof name, "k%d", i);
			add(l, name, 64, RS_XC, GS_F_AVX512, GS_XC_OPMASK, 8 * (size_t)i, "uint64",
			    NULL);
		}
		for (int i = 0; i < 32; i++) {
			snprintf(name, sizeof name, "zmm%dh", i);
			if (i < 16)
				add(l, name, 256, RS_XC, GS_F_AVX512, GS_XC_ZMM_HI256,
				    32 * (size_t)i, "v2ui128", NULL);
			else
				add(l, name, 256, RS_XC, GS_F_AVX512, GS_XC_HI16_ZMM,
				    64 * (size_t)(i - 16) + 32, "v2ui128", NULL);
		}
	}
	if (have_comp(xi, GS_XC_PKRU))
		add(l, "pkru", 32, RS_XC, GS_F_PKEYS, GS_XC_PKRU, 0, "uint32", NULL);
}

int gs_reg_find(const struct gs_layout *l, const char *name)
{
	for (int i = 0; i < l->n; i++)
		if (strcmp(l->r[i].name, name) == 0)
			return i;
	return -1;
}

int gs_reg_size(const struct gs_layout *l, int regno)
{
	if (regno < 0 || regno >= l->n)
		return -EINVAL;
	return l->r[regno].bits / 8;
}

static uint64_t xstate_bv(const struct gs_regfile *rf)
{
	uint64_t bv;

	if (rf->xs_len < XSTATE_BV_OFF + 8)
		return 3; /* FXSAVE only: x87 and SSE always hold data */
	memcpy(&bv, rf->xs + XSTATE_BV_OFF, sizeof bv);
	return bv;
}

/* Is the value of extended register r present in rf?  Its component offset in *ret_at. */
static int xc_where(const struct gs_layout *l, const struct gs_regfile *rf, const struct gs_reg *r,
                    size_t *ret_at)
{
	size_t at = l->xs.off[r->comp] + r->off;

	if (!rf->have_fp || at + r->bits / 8 > rf->xs_len)
		return -ENODATA;
	*ret_at = at;
	return 0;
}

/* Classify an 80-bit x87 value for the full tag word. */
static unsigned tag_of(const uint8_t *v)
{
	unsigned exp = (unsigned)(v[8] | (v[9] << 8)) & 0x7fff;
	bool integer = v[7] & 0x80;
	uint64_t mant;

	memcpy(&mant, v, sizeof mant);
	if (exp == 0x7fff)
		return 2; /* infinity or NaN: special */
	if (exp == 0)
		return mant == 0 ? 1 : 2; /* zero, or denormal: special */
	return integer ? 0 : 2;           /* unnormal: special */
}

uint16_t gs_ftag_full(const uint8_t *fx)
{
	unsigned top = (unsigned)(fx[FX_FSW] | (fx[FX_FSW + 1] << 8)) >> 11 & 7;
	uint8_t abridged = fx[FX_FTW];
	uint16_t full = 0;

	for (unsigned phys = 0; phys < 8; phys++) {
		unsigned tag = 3;
		if (abridged >> phys & 1)
			tag = tag_of(fx + FX_ST + 16 * ((phys - top) & 7));
		full |= (uint16_t)(tag << (2 * phys));
	}
	return full;
}

uint8_t gs_ftag_abridged(uint16_t full)
{
	uint8_t a = 0;

	for (unsigned phys = 0; phys < 8; phys++)
		if ((full >> (2 * phys) & 3) != 3)
			a |= (uint8_t)(1u << phys);
	return a;
}

int gs_reg_get(const struct gs_layout *l, const struct gs_regfile *rf, int regno, uint8_t *out)
{
	const struct gs_reg *r;
	size_t n, at;
	uint32_t v32;
	uint16_t v16;

	if (regno < 0 || regno >= l->n)
		return -EINVAL;
	r = &l->r[regno];
	n = r->bits / 8;
	switch (r->src) {
	case RS_GPR:
		memcpy(out, (const uint8_t *)&rf->gpr + r->off, 8);
		return (int)n;
	case RS_GPR32:
		memcpy(out, (const uint8_t *)&rf->gpr + r->off, 4);
		return (int)n;
	default:
		break;
	}
	if (!rf->have_fp)
		return -ENODATA;
	switch (r->src) {
	case RS_FX16:
		memcpy(&v16, rf->xs + r->off, 2);
		v32 = v16;
		memcpy(out, &v32, 4);
		break;
	case RS_FX32:
		memcpy(out, rf->xs + r->off, 4);
		break;
	case RS_FOP:
		memcpy(&v16, rf->xs + r->off, 2);
		v32 = v16 & 0x7ffu;
		memcpy(out, &v32, 4);
		break;
	case RS_FTAG:
		v32 = gs_ftag_full(rf->xs);
		memcpy(out, &v32, 4);
		break;
	case RS_FX:
		memcpy(out, rf->xs + r->off, n);
		break;
	case RS_XC:
		if (xc_where(l, rf, r, &at) < 0)
			return -ENODATA;
		if (xstate_bv(rf) >> r->comp & 1)
			memcpy(out, rf->xs + at, n);
		else
			memset(out, 0, n);
		break;
	}
	return (int)n;
}

/* Before writing into component c: give it real contents and mark it in XSTATE_BV. */
static void comp_claim(const struct gs_layout *l, struct gs_regfile *rf, int c)
{
	uint64_t bv = xstate_bv(rf);

	if (rf->xs_len < XSTATE_BV_OFF + 8 || (bv >> c & 1))
		return;
	if (c >= 2)
		memset(rf->xs + l->xs.off[c], 0, l->xs.size[c]);
	else if (c == GS_XC_SSE)
		memset(rf->xs + FX_XMM, 0, 16 * 16);
	bv |= 1ull << c;
	memcpy(rf->xs + XSTATE_BV_OFF, &bv, sizeof bv);
}

int gs_reg_set(const struct gs_layout *l, struct gs_regfile *rf, int regno, const uint8_t *in,
               bool *ret_fp)
{
	const struct gs_reg *r;
	size_t n, at;
	uint32_t v32;
	uint16_t v16;
	uint64_t v64;

	if (regno < 0 || regno >= l->n)
		return -EINVAL;
	r = &l->r[regno];
	n = r->bits / 8;
	if (ret_fp)
		*ret_fp = false;
	switch (r->src) {
	case RS_GPR:
		memcpy((uint8_t *)&rf->gpr + r->off, in, 8);
		return 0;
	case RS_GPR32:
		memcpy(&v32, in, 4);
		v64 = v32;
		memcpy((uint8_t *)&rf->gpr + r->off, &v64, 8);
		return 0;
	default:
		break;
	}
	if (!rf->have_fp)
		return -ENODATA;
	if (r->src == RS_XC) {
		if (xc_where(l, rf, r, &at) < 0)
			return -ENODATA;
		comp_claim(l, rf, r->comp);
		memcpy(rf->xs + at, in, n);
	} else {
		comp_claim(l, rf, r->comp);
		switch (r->src) {
		case RS_FX16:
			memcpy(&v32, in, 4);
			v16 = (uint16_t)v32;
			memcpy(rf->xs + r->off, &v16, 2);
			break;
		case RS_FX32:
			memcpy(rf->xs + r->off, in, 4);
			break;
		case RS_FOP:
			/* Only the 11 opcode bits are the register; keep the others. */
			memcpy(&v32, in, 4);
			memcpy(&v16, rf->xs + r->off, 2);
			v16 = (uint16_t)((v16 & ~0x7ffu) | (v32 & 0x7ffu));
			memcpy(rf->xs + r->off, &v16, 2);
			break;
		case RS_FTAG:
			memcpy(&v32, in, 4);
			rf->xs[FX_FTW] = gs_ftag_abridged((uint16_t)v32);
			break;
		case RS_FX:
			memcpy(rf->xs + r->off, in, n);
			break;
		}
	}
	if (ret_fp)
		*ret_fp = true;
	return 0;
}

int gs_reg_u64(const struct gs_layout *l, const struct gs_regfile *rf, int regno, uint64_t *ret)
{
	uint8_t buf[GS_REG_MAX_BYTES];
	int n = gs_reg_get(l, rf, regno, buf);
	uint64_t v = 0;

	if (n < 0)
		return n;
	memcpy(&v, buf, n < 8 ? (size_t)n : 8);
	*ret = v;
	return 0;
}
