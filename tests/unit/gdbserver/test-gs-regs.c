/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the gdbserver register layout and register file (src/gdbserver/regs.c):
 * gdb's numbering and sizes, which features a CPU gets, the `g` offsets, reads and writes
 * of every kind of register, the x87 tag word, XSAVE components in their initial state.
 */
#include "harness.h"
#include "regs.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* XSAVE layouts: FXSAVE only; AVX; AVX-512 at Intel's offsets; AVX-512 at AMD Zen 4's. */
static void xs_none(struct gs_xsave_info *x)
{
	memset(x, 0, sizeof *x);
	x->xcr0 = 3;
}

static void xs_avx(struct gs_xsave_info *x)
{
	xs_none(x);
	x->xcr0 = 7;
	x->off[2] = 576;
	x->size[2] = 256;
}

static void xs_avx512(struct gs_xsave_info *x, bool amd)
{
	xs_avx(x);
	x->xcr0 = 0xe7;
	x->off[5] = amd ? 832 : 1088;
	x->size[5] = 64;
	x->off[6] = amd ? 896 : 1152;
	x->size[6] = 512;
	x->off[7] = amd ? 1408 : 1664;
	x->size[7] = 1024;
}

static struct gs_layout L;
static struct gs_regfile RF;

TEST(layout_core_sse_linux_segments)
{
	struct gs_xsave_info x;
	static const char *const first[] = {
	        "rax", "rbx", "rcx", "rdx", "rsi", "rdi",    "rbp", "rsp", "r8", "r9", "r10", "r11",
	        "r12", "r13", "r14", "r15", "rip", "eflags", "cs",  "ss",  "ds", "es", "fs",  "gs"};

	xs_none(&x);
	gs_layout_init(&L, &x);
	CHECK_EQ_INT(L.n, 60);
	for (int i = 0; i < 24; i++)
		CHECK_EQ_STR(L.r[i].name, first[i]);
	CHECK_EQ_STR(L.r[24].name, "st0");
	CHECK_EQ_STR(L.r[31].name, "st7");
	CHECK_EQ_STR(L.r[32].name, "fctrl");
	CHECK_EQ_STR(L.r[39].name, "fop");
	CHECK_EQ_STR(L.r[40].name, "xmm0");
	CHECK_EQ_STR(L.r[55].name, "xmm15");
	CHECK_EQ_STR(L.r[56].name, "mxcsr");
	CHECK_EQ_STR(L.r[57].name, "orig_rax");
	CHECK_EQ_STR(L.r[58].name, "fs_base");
	CHECK_EQ_STR(L.r[59].name, "gs_base");
	CHECK_EQ_INT(gs_reg_size(&L, 0), 8);
	CHECK_EQ_INT(gs_reg_size(&L, 17), 4);
	CHECK_EQ_INT(gs_reg_size(&L, 24), 10);
	CHECK_EQ_INT(gs_reg_size(&L, 40), 16);
	CHECK_EQ_INT(gs_reg_size(&L, 60), -EINVAL);
	/* 16*8 + 8 + 4 + 6*4 + 8*10 + 8*4 + 16*16 + 4 + 8 + 2*8 */
	CHECK_EQ_INT(L.gsize, 560);
	CHECK_EQ_INT(L.r[16].goff, 128);
	CHECK_EQ_INT(L.r[17].goff, 136);
	CHECK_EQ_INT(L.r[24].goff, 164);
	CHECK_EQ_INT(L.features,
	             (1 << GS_F_CORE) | (1 << GS_F_SSE) | (1 << GS_F_LINUX) | (1 << GS_F_SEGMENTS));
	CHECK_EQ_INT(gs_reg_find(&L, "orig_rax"), 57);
	CHECK_EQ_INT(gs_reg_find(&L, "ymm0h"), -1);
}

TEST(layout_avx_and_avx512)
{
	struct gs_xsave_info x;

	xs_avx(&x);
	gs_layout_init(&L, &x);
	CHECK_EQ_INT(L.n, 76);
	CHECK_EQ_STR(L.r[60].name, "ymm0h");
	CHECK_EQ_STR(L.r[75].name, "ymm15h");
	CHECK_EQ_INT(L.gsize, 560 + 256);
	xs_avx512(&x, true);
	gs_layout_init(&L, &x);
	CHECK_EQ_INT(L.n, 76 + 16 + 16 + 8 + 32);
	CHECK_EQ_STR(L.r[76].name, "xmm16");
	CHECK_EQ_STR(L.r[92].name, "ymm16h");
	CHECK_EQ_STR(L.r[108].name, "k0");
	CHECK_EQ_STR(L.r[116].name, "zmm0h");
	CHECK_EQ_STR(L.r[147].name, "zmm31h");
	CHECK_EQ_INT(gs_reg_size(&L, 147), 32);
	CHECK(L.features & (1 << GS_F_AVX512));
	/* AVX-512 needs all three of its components. */
	x.xcr0 &= ~0x40ull;
	gs_layout_init(&L, &x);
	CHECK_EQ_INT(L.n, 76);
}

TEST(general_registers_read_and_write)
{
	struct gs_xsave_info x;
	uint8_t v[32], w[8];
	bool fp = true;

	xs_avx(&x);
	gs_layout_init(&L, &x);
	memset(&RF, 0, sizeof RF);
	RF.gpr.rax = 0x1122334455667788;
	RF.gpr.rip = 0x401000;
	RF.gpr.eflags = 0xffffffff00000246;
	RF.gpr.cs = 0x33;
	RF.gpr.fs_base = 0x7fff0000;
	CHECK_EQ_INT(gs_reg_get(&L, &RF, 0, v), 8);
	CHECK_EQ_HEX(v[0], 0x88);
	CHECK_EQ_HEX(v[7], 0x11);
	uint64_t u;
	CHECK_OK(gs_reg_u64(&L, &RF, 16, &u));
	CHECK_EQ_HEX(u, 0x401000);
	/* eflags is 32 bits for gdb */
	CHECK_EQ_INT(gs_reg_get(&L, &RF, 17, v), 4);
	CHECK_EQ_HEX(v[0] | v[1] << 8 | v[2] << 16 | (uint32_t)v[3] << 24, 0x246);
	CHECK_OK(gs_reg_u64(&L, &RF, gs_reg_find(&L, "fs_base"), &u));
	CHECK_EQ_HEX(u, 0x7fff0000);
	memcpy(w, "\x01\x02\x03\x04", 4);
	CHECK_OK(gs_reg_set(&L, &RF, 18, w, &fp));
	CHECK(!fp);
	CHECK_EQ_HEX(RF.gpr.cs, 0x04030201);
	/* No FP part in the file: the FP registers are unavailable, the GPRs are not. */
	CHECK_EQ_INT(gs_reg_get(&L, &RF, 40, v), -ENODATA);
	CHECK_EQ_INT(gs_reg_set(&L, &RF, 40, v, NULL), -ENODATA);
	CHECK_EQ_INT(gs_reg_get(&L, &RF, 999, v), -EINVAL);
	CHECK_EQ_INT(gs_reg_get(&L, &RF, -1, v), -EINVAL);
}

TEST(x87_tag_word)
{
	uint8_t fx[512] = {0};

	/* All empty. */
	CHECK_EQ_HEX(gs_ftag_full(fx), 0xffff);
	CHECK_EQ_HEX(gs_ftag_abridged(0xffff), 0);
	/* TOP = 7 (FSW bits 11-13): ST(0) is physical register 7. */
	fx[2] = 0x00;
	fx[3] = 0x38;
	fx[4] = 0x80; /* physical 7 not empty */
	/* ST(0) = 1.0: exponent 0x3fff, integer bit set */
	fx[32 + 7] = 0x80;
	fx[32 + 8] = 0xff;
	fx[32 + 9] = 0x3f;
	CHECK_EQ_HEX(gs_ftag_full(fx), 0x3fff); /* phys 7 valid (00), others empty */
	/* ST(0) = +0.0: zero (01) */
	memset(fx + 32, 0, 10);
	CHECK_EQ_HEX(gs_ftag_full(fx), 0x7fff);
	/* ST(0) = infinity: special (10) */
	fx[32 + 7] = 0x80;
	fx[32 + 8] = 0xff;
	fx[32 + 9] = 0x7f;
	CHECK_EQ_HEX(gs_ftag_full(fx), 0xbfff);
	/* denormal: exponent 0, mantissa non-zero: special */
	memset(fx + 32, 0, 10);
	fx[32] = 1;
	CHECK_EQ_HEX(gs_ftag_full(fx), 0xbfff);
	/* abridged from a full word: only "empty" (11) clears a bit */
	CHECK_EQ_HEX(gs_ftag_abridged(0x3fff), 0x80);
	CHECK_EQ_HEX(gs_ftag_abridged(0x0000), 0xff);
	CHECK_EQ_HEX(gs_ftag_abridged(0xbffc), 0x81);
}

TEST(fp_sse_registers_read_and_write)
{
	struct gs_xsave_info x;
	uint8_t v[32], w[32];
	bool fp = false;
	int ftag = 34, fop = 39, fiseg = 35, fioff = 36, mxcsr = 56, st1 = 25, xmm2 = 42;

	xs_none(&x);
	gs_layout_init(&L, &x);
	memset(&RF, 0, sizeof RF);
	RF.have_fp = true;
	RF.xs_len = 512;
	RF.xs[0] = 0x7f; /* FCW 0x037f */
	RF.xs[1] = 0x03;
	RF.xs[6] = 0xff; /* FOP 0xffff: only 11 bits are the register */
	RF.xs[7] = 0xff;
	memcpy(RF.xs + 8, "\x11\x22\x33\x44\x55\x66\x77\x88", 8); /* FPU ip */
	memcpy(RF.xs + 24, "\x80\x1f\0\0", 4);                    /* MXCSR 0x1f80 */
	CHECK_EQ_INT(gs_reg_get(&L, &RF, 32, v), 4);
	CHECK(memcmp(v, "\x7f\x03\0\0", 4) == 0);
	CHECK_EQ_INT(gs_reg_get(&L, &RF, fop, v), 4);
	CHECK(memcmp(v, "\xff\x07\0\0", 4) == 0);
	CHECK_EQ_INT(gs_reg_get(&L, &RF, fioff, v), 4);
	CHECK(memcmp(v, "\x11\x22\x33\x44", 4) == 0);
	CHECK_EQ_INT(gs_reg_get(&L, &RF, fiseg, v), 4);
	CHECK(memcmp(v, "\x55\x66\x77\x88", 4) == 0);
	CHECK_EQ_INT(gs_reg_get(&L, &RF, mxcsr, v), 4);
	CHECK(memcmp(v, "\x80\x1f\0\0", 4) == 0);
	CHECK_EQ_INT(gs_reg_get(&L, &RF, ftag, v), 4);
	CHECK(memcmp(v, "\xff\xff\0\0", 4) == 0);
	/* writes */
	memcpy(w, "\x01\x00\0\0", 4);
	CHECK_OK(gs_reg_set(&L, &RF, fop, w, &fp));
	CHECK(fp);
	CHECK_EQ_HEX(RF.xs[6] | RF.xs[7] << 8, 0xf801);
	memcpy(w, "\xff\x3f\0\0", 4); /* phys 7 valid, others empty */
	CHECK_OK(gs_reg_set(&L, &RF, ftag, w, NULL));
	CHECK_EQ_HEX(RF.xs[4], 0x80);
	memset(w, 0xab, 16);
	CHECK_OK(gs_reg_set(&L, &RF, xmm2, w, NULL));
	CHECK(memcmp(RF.xs + 160 + 32, w, 16) == 0);
	CHECK_EQ_INT(gs_reg_get(&L, &RF, xmm2, v), 16);
	CHECK(memcmp(v, w, 16) == 0);
	memcpy(w, "\1\2\3\4\5\6\7\x08\x09\x0a", 10);
	CHECK_OK(gs_reg_set(&L, &RF, st1, w, NULL));
	CHECK(memcmp(RF.xs + 32 + 16, w, 10) == 0);
}

TEST(xsave_components)
{
	struct gs_xsave_info x;
	uint8_t v[32], w[32];
	uint64_t bv;
	int ymm1h, k2, zmm20h;

	xs_avx512(&x, true);
	gs_layout_init(&L, &x);
	ymm1h = gs_reg_find(&L, "ymm1h");
	k2 = gs_reg_find(&L, "k2");
	zmm20h = gs_reg_find(&L, "zmm20h");
	memset(&RF, 0, sizeof RF);
	RF.have_fp = true;
	RF.xs_len = 2432;
	bv = 3; /* x87 and SSE only: AVX and AVX-512 in their initial state */
	memcpy(RF.xs + 512, &bv, 8);
	memset(RF.xs + 576, 0x5a, 256); /* stale bytes: must read as zeros */
	CHECK_EQ_INT(gs_reg_get(&L, &RF, ymm1h, v), 16);
	for (int i = 0; i < 16; i++)
		CHECK_EQ_INT(v[i], 0);
	/* Writing claims the component: it is zeroed, then written, and marked. */
	memset(w, 0x11, 16);
	CHECK_OK(gs_reg_set(&L, &RF, ymm1h, w, NULL));
	memcpy(&bv, RF.xs + 512, 8);
	CHECK_EQ_HEX(bv, 7);
	CHECK_EQ_INT(RF.xs[576], 0);
	CHECK_EQ_INT(RF.xs[576 + 16], 0x11);
	/* k2 lives in the opmask component at this CPU's offset (AMD: 832). */
	memcpy(w, "\x44\x33\x22\x11\0\0\0\0", 8);
	CHECK_OK(gs_reg_set(&L, &RF, k2, w, NULL));
	CHECK(memcmp(RF.xs + 832 + 16, w, 8) == 0);
	CHECK_EQ_INT(gs_reg_get(&L, &RF, k2, v), 8);
	CHECK(memcmp(v, w, 8) == 0);
	/* zmm20h: bytes 32..63 of zmm20 in Hi16_ZMM. */
	memset(w, 0x77, 32);
	CHECK_OK(gs_reg_set(&L, &RF, zmm20h, w, NULL));
	CHECK(memcmp(RF.xs + 1408 + 64 * 4 + 32, w, 32) == 0);
	/* A component beyond what the kernel returned is unavailable. */
	RF.xs_len = 1000;
	CHECK_EQ_INT(gs_reg_get(&L, &RF, zmm20h, v), -ENODATA);
}
