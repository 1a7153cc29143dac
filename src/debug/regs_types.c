/* SPDX-License-Identifier: MIT */
/*
 * Registers' types as gdb 13 names them on x86_64: int64_t, void * and
 * void (*)() for the general registers, i386_eflags and i386_mxcsr flag
 * sets, the x87 extended float, and the vector unions (vec128,
 * builtin_type_vec256i, vec512) with their bfloat16/half/float/double/int
 * views; and the CPU's features (AVX, AVX-512, XSAVE layout) they depend on.
 */
#include "regs_impl.h"

#include <cpuid.h>
#include <stdlib.h>
#include <string.h>

struct regstate *rs_get(struct dbg *d)
{
	struct regstate *rs = d->regs;
	unsigned a, b, c, e;

	if (rs)
		return rs;
	rs = calloc(1, sizeof(*rs));
	if (!rs)
		return NULL;
	rs->avx = __get_cpuid(1, &a, &b, &c, &e) && (c & (1u << 28));
	rs->avx512 = __get_cpuid_count(7, 0, &a, &b, &c, &e) && (b & (1u << 16));
	for (unsigned i = 2; i < 8; i++)
		if (__get_cpuid_count(0xd, i, &a, &b, &c, &e))
			rs->xoff[i] = b;
	d->regs = rs;
	return rs;
}

void dregs_free(struct dbg *d)
{
	struct regstate *rs = d->regs;

	if (rs) {
		dbg_arena_free(&rs->a);
		free(rs);
		d->regs = NULL;
	}
}

static struct dbg_type *base(struct regstate *rs, enum dbg_type_kind k, const char *name,
                             uint64_t size, bool uns)
{
	struct dbg_type *t = dbg_type_new(&rs->a, k, name, size);

	if (t)
		t->is_unsigned = uns;
	return t;
}

static struct dbg_type *flags_type(struct regstate *rs, const char *name,
                                   const struct dbg_flag_bit *bits, size_t n)
{
	struct dbg_type *t = dbg_type_new(&rs->a, DBG_TYPE_FLAGS, name, 4);

	if (!t)
		return NULL;
	t->is_unsigned = true;
	t->flags = dbg_arena_memdup(&rs->a, bits, n * sizeof(*bits));
	t->nflags = n;
	return t;
}

/* gdb's vector union of `bytes` bytes: v8_bfloat16, v8_half, v4_float, ... */
static struct dbg_type *vec_type(struct regstate *rs, const char *tag, unsigned bytes)
{
	static const struct {
		const char *part, *elem;
		enum dbg_type_kind k;
		unsigned esize;
		bool uns;
	} parts[] = {
	        {"bfloat16", "bfloat16", DBG_TYPE_FLOAT, 2, false},
	        {"half", "half", DBG_TYPE_FLOAT, 2, false},
	        {"float", "float", DBG_TYPE_FLOAT, 4, false},
	        {"double", "double", DBG_TYPE_FLOAT, 8, false},
	        {"int8", "int8_t", DBG_TYPE_INT, 1, false},
	        {"int16", "int16_t", DBG_TYPE_INT, 2, false},
	        {"int32", "int32_t", DBG_TYPE_INT, 4, false},
	        {"int64", "int64_t", DBG_TYPE_INT, 8, false},
	};
	struct dbg_member m[10];
	struct dbg_type *t;
	size_t n = 0;
	char name[32];

	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		struct dbg_type *e =
		        base(rs, parts[i].k, parts[i].elem, parts[i].esize, parts[i].uns);

		snprintf(name, sizeof(name), "v%u_%s", bytes / parts[i].esize, parts[i].part);
		m[n].name = dbg_arena_strdup(&rs->a, name);
		m[n].type = dbg_type_array(&rs->a, e, bytes / parts[i].esize);
		m[n].offset = 0;
		m[n].bit_offset = m[n].bit_size = 0;
		n++;
	}
	if (bytes == 16) {
		m[n].name = "uint128";
		m[n].type = base(rs, DBG_TYPE_INT, "uint128_t", 16, true);
	} else {
		snprintf(name, sizeof(name), "v%u_int128", bytes / 16);
		m[n].name = dbg_arena_strdup(&rs->a, name);
		m[n].type = dbg_type_array(&rs->a, base(rs, DBG_TYPE_INT, "int128_t", 16, false),
		                           bytes / 16);
	}
	m[n].offset = 0;
	m[n].bit_offset = m[n].bit_size = 0;
	n++;
	t = dbg_type_new(&rs->a, DBG_TYPE_UNION, tag, bytes);
	if (!t)
		return NULL;
	t->members = dbg_arena_memdup(&rs->a, m, n * sizeof(m[0]));
	t->nmembers = n;
	return t;
}

struct dbg_type *rtype(struct dbg *d, enum rt k)
{
	static const struct dbg_flag_bit eflags[] = {
	        {"CF", 0},  {"PF", 2},   {"AF", 4},   {"ZF", 6},  {"SF", 7},  {"TF", 8},
	        {"IF", 9},  {"DF", 10},  {"OF", 11},  {"NT", 14}, {"RF", 16}, {"VM", 17},
	        {"AC", 18}, {"VIF", 19}, {"VIP", 20}, {"ID", 21},
	};
	static const struct dbg_flag_bit mxcsr[] = {
	        {"IE", 0}, {"DE", 1}, {"ZE", 2}, {"OE", 3},  {"UE", 4},  {"PE", 5},  {"DAZ", 6},
	        {"IM", 7}, {"DM", 8}, {"ZM", 9}, {"OM", 10}, {"UM", 11}, {"PM", 12}, {"FZ", 15},
	};
	struct regstate *rs = rs_get(d);
	struct dbg_type *t;

	if (!rs)
		return NULL;
	if (rs->t[k])
		return rs->t[k];
	switch (k) {
	case T_I64:
		t = base(rs, DBG_TYPE_INT, "int64_t", 8, false);
		break;
	case T_LONG:
		t = base(rs, DBG_TYPE_INT, "long", 8, false);
		break;
	case T_U64:
		t = base(rs, DBG_TYPE_INT, "uint64_t", 8, true);
		break;
	case T_DATA:
		t = dbg_type_pointer(&rs->a, base(rs, DBG_TYPE_VOID, "void", 1, false));
		break;
	case T_CODE:
		t = dbg_type_pointer(
		        &rs->a, dbg_type_func(&rs->a, base(rs, DBG_TYPE_VOID, "void", 1, false),
		                              NULL, 0, false, false));
		break;
	case T_FLAGS:
		t = flags_type(rs, "i386_eflags", eflags, sizeof(eflags) / sizeof(eflags[0]));
		break;
	case T_MXCSR:
		t = flags_type(rs, "i386_mxcsr", mxcsr, sizeof(mxcsr) / sizeof(mxcsr[0]));
		break;
	case T_I32:
		t = base(rs, DBG_TYPE_INT, "int32_t", 4, false);
		break;
	case T_I16:
		t = base(rs, DBG_TYPE_INT, "int16_t", 2, false);
		break;
	case T_I8:
		t = base(rs, DBG_TYPE_INT, "int8_t", 1, false);
		break;
	case T_INT:
		t = base(rs, DBG_TYPE_INT, "int", 4, false);
		break;
	case T_EXT:
		t = base(rs, DBG_TYPE_FLOAT, "builtin_type_i387_ext", 10, false);
		break;
	case T_V128:
		t = vec_type(rs, "vec128", 16);
		break;
	case T_V256:
		t = vec_type(rs, "builtin_type_vec256i", 32);
		break;
	case T_V512:
		t = vec_type(rs, "vec512", 64);
		break;
	default:
		return NULL;
	}
	rs->t[k] = t;
	return t;
}
