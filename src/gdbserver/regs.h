/* SPDX-License-Identifier: MIT */
/*
 * The x86_64 register layout ptk gdbserver offers, in gdb's numbering: the order of
 * target.xml (regs.c builds both from one table), which is the order of the `g` packet and
 * the numbers of `p`/`P` and of agent expressions' `reg` op.
 *
 *   0-15   rax rbx rcx rdx rsi rdi rbp rsp r8-r15      64 bits    org.gnu.gdb.i386.core
 *   16     rip                                         64
 *   17     eflags                                      32
 *   18-23  cs ss ds es fs gs                           32
 *   24-31  st0-st7                                     80 (x87 extended)
 *   32-39  fctrl fstat ftag fiseg fioff foseg fooff fop  32
 *   40-55  xmm0-xmm15                                  128        org.gnu.gdb.i386.sse
 *   56     mxcsr                                       32
 *   57     orig_rax                                    64         org.gnu.gdb.i386.linux
 *   58-59  fs_base gs_base                             64         org.gnu.gdb.i386.segments
 *   60-75  ymm0h-ymm15h (upper halves)                 128        org.gnu.gdb.i386.avx
 *   then, where the CPU has them: xmm16-31, ymm16h-31h, k0-k7, zmm0h-31h  (.avx512)
 *   and pkru (.pkeys)
 *
 * Values live in a register file: the general registers (struct ptk_regs) and the XSAVE
 * area as NT_X86_XSTATE returns it (its first 512 bytes are the FXSAVE image).  Pure code:
 * no process involved, so it is unit-tested directly.
 */
#ifndef PTK_GDBSERVER_REGS_H
#define PTK_GDBSERVER_REGS_H

#include <ptk/ptk.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GS_MAX_REGS 160
/* The largest register: zmm0h-31h are 256 bits. */
#define GS_REG_MAX_BYTES 32
/* Room for the XSAVE area (AMX tile data makes it ~11 KiB on the largest CPUs). */
#define GS_XS_MAX 16384

/* XSAVE components (Intel SDM vol. 1, 13.1). */
enum {
	GS_XC_X87 = 0,
	GS_XC_SSE = 1,
	GS_XC_AVX = 2,
	GS_XC_OPMASK = 5,
	GS_XC_ZMM_HI256 = 6,
	GS_XC_HI16_ZMM = 7,
	GS_XC_PKRU = 9,
};

/* What the CPU and kernel offer: XCR0 and where each component sits in the XSAVE area. */
struct gs_xsave_info {
	uint64_t xcr0;
	uint32_t off[32];
	uint32_t size[32];
};

enum gs_feature {
	GS_F_CORE,
	GS_F_SSE,
	GS_F_LINUX,
	GS_F_SEGMENTS,
	GS_F_AVX,
	GS_F_AVX512,
	GS_F_PKEYS,
	GS_F__COUNT
};

/* The target.xml name of a feature ("org.gnu.gdb.i386.core"). */
const char *gs_feature_name(enum gs_feature f);

struct gs_reg {
	char name[12];
	uint16_t bits;
	uint8_t src;     /* where the value lives (regs.c) */
	uint8_t feature; /* enum gs_feature */
	uint8_t comp;    /* XSAVE component, for registers of the extended area */
	uint16_t off;    /* offset in struct ptk_regs, the FXSAVE image or the component */
	const char *type;
	const char *group; /* NULL: none */
	uint32_t goff;     /* offset of its bytes in the `g` packet */
};

struct gs_layout {
	struct gs_reg r[GS_MAX_REGS];
	int n;
	uint32_t gsize;    /* bytes of a `g` packet */
	unsigned features; /* 1 << enum gs_feature */
	struct gs_xsave_info xs;
};

struct gs_regfile {
	struct ptk_regs gpr;
	bool have_fp;  /* xs holds the FXSAVE image (at least 512 bytes) */
	size_t xs_len; /* bytes of xs the kernel filled: 512 for FXSAVE only */
	uint8_t xs[GS_XS_MAX] __attribute__((aligned(64)));
};

/*
 * Build the layout for a CPU: the core, SSE, linux and segments features always, AVX,
 * AVX-512 and PKU when XCR0 enables them and the offsets are known.
 */
void gs_layout_init(struct gs_layout *l, const struct gs_xsave_info *xi);

/* The number of the register called name, or -1. */
int gs_reg_find(const struct gs_layout *l, const char *name);

/* Bytes of register regno, or -EINVAL for no such register. */
int gs_reg_size(const struct gs_layout *l, int regno);

/*
 * Copy register regno of rf into out (target byte order, gs_reg_size bytes).  Returns the
 * size, -EINVAL (no such register) or -ENODATA (its part of the register file is missing).
 */
int gs_reg_get(const struct gs_layout *l, const struct gs_regfile *rf, int regno, uint8_t *out);

/*
 * Set register regno from in (gs_reg_size bytes).  *ret_fp (may be NULL) is set to true
 * when the XSAVE/FXSAVE part changed, else the general registers changed.  Returns 0,
 * -EINVAL or -ENODATA.
 */
int gs_reg_set(const struct gs_layout *l, struct gs_regfile *rf, int regno, const uint8_t *in,
               bool *ret_fp);

/* A register's value as a number (its first 8 bytes, little-endian), for agent `reg`. */
int gs_reg_u64(const struct gs_layout *l, const struct gs_regfile *rf, int regno, uint64_t *ret);

/* The full x87 tag word (2 bits per physical register) from the FXSAVE image. */
uint16_t gs_ftag_full(const uint8_t *fx);
/* The FXSAVE abridged tag byte for a full tag word. */
uint8_t gs_ftag_abridged(uint16_t full);

#endif
