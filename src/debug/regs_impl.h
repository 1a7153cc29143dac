/* SPDX-License-Identifier: MIT */
/* Registers' insides, shared by regs.c (names, reading, writing) and regs_types.c (types). */
#ifndef PTK_DEBUG_REGS_IMPL_H
#define PTK_DEBUG_REGS_IMPL_H

#include "dbg.h"

enum rt {
	T_I64,
	T_LONG,
	T_DATA,
	T_CODE,
	T_FLAGS,
	T_I32,
	T_I16,
	T_I8,
	T_INT,
	T_EXT,
	T_MXCSR,
	T_V128,
	T_V256,
	T_V512,
	T_U64,
	T_NTYPES
};

struct regstate {
	struct dbg_arena a;
	struct dbg_type *t[T_NTYPES];
	int avx512; /* -1 unknown */
	int avx;
	unsigned xoff[8]; /* XSAVE component offsets */
};

/* The registers' state of d (types, CPU features), made at first use. */
struct regstate *rs_get(struct dbg *d);
/* gdb's type of a register kind. */
struct dbg_type *rtype(struct dbg *d, enum rt k);

#endif
