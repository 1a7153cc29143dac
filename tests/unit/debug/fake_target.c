/* SPDX-License-Identifier: MIT */
#include "fake_target.h"
#include "print.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DATA_BASE  0x400000ull
#define DATA_SIZE  0x10000ull
#define STACK_BASE 0x7fffffffe000ull
#define STACK_SIZE 0x1000ull

struct fsym {
	const char *name;
	struct dbg_type *type;
	uint64_t addr;
	uint64_t size; /* for symbolize; 0: not a linker symbol */
};

struct freg {
	const char *name;
	const char *full; /* the 64-bit register it is part of */
	unsigned bytes;
	struct dbg_type *type;
};

struct fake {
	struct dbg_arena a;
	unsigned char data[DATA_SIZE];
	unsigned char stack[STACK_SIZE];
	struct fsym syms[96];
	size_t nsyms;
	struct fsym types[32]; /* name (tag for tagged types), type; addr: enum dbg_tag */
	size_t ntypes;
	struct freg regs[24];
	size_t nregs;
	uint64_t regval[8]; /* rip rsp rbp rax rbx eflags */
	/* The initial state, for fake_reset. */
	unsigned char data0[DATA_SIZE];
	unsigned char stack0[STACK_SIZE];
	uint64_t regval0[8];
};

static const char *const full_regs[] = {"rip", "rsp", "rbp", "rax", "rbx", "eflags"};

static unsigned char *mem(struct fake *f, uint64_t addr, size_t len)
{
	if (addr >= DATA_BASE && addr - DATA_BASE <= DATA_SIZE &&
	    len <= DATA_SIZE - (addr - DATA_BASE))
		return f->data + (addr - DATA_BASE);
	if (addr >= STACK_BASE && addr - STACK_BASE <= STACK_SIZE &&
	    len <= STACK_SIZE - (addr - STACK_BASE))
		return f->stack + (addr - STACK_BASE);
	return NULL;
}

int fake_peek(struct fake *f, uint64_t addr, void *buf, size_t len)
{
	unsigned char *m = mem(f, addr, len);

	if (!m)
		return -EFAULT;
	memcpy(buf, m, len);
	return 0;
}

int fake_poke(struct fake *f, uint64_t addr, const void *buf, size_t len)
{
	unsigned char *m = mem(f, addr, len);

	if (!m)
		return -EFAULT;
	memcpy(m, buf, len);
	return 0;
}

static int cb_read(void *data, uint64_t addr, void *buf, size_t len)
{
	return fake_peek(data, addr, buf, len);
}

static int cb_write(void *data, uint64_t addr, const void *buf, size_t len)
{
	return fake_poke(data, addr, buf, len);
}

static int full_index(const char *name)
{
	for (int i = 0; i < 6; i++)
		if (strcmp(full_regs[i], name) == 0)
			return i;
	return -1;
}

static const struct freg *find_reg(struct fake *f, const char *name)
{
	for (size_t i = 0; i < f->nregs; i++)
		if (strcmp(f->regs[i].name, name) == 0)
			return &f->regs[i];
	return NULL;
}

uint64_t fake_reg(struct fake *f, const char *name)
{
	const struct freg *r = find_reg(f, name);

	return r ? f->regval[full_index(r->full)] : 0;
}

static int cb_read_reg(void *data, const char *name, struct dbg_type **ret_type, void *buf,
                       size_t cap)
{
	struct fake *f = data;
	const struct freg *r = find_reg(f, name);
	uint64_t v;

	if (!r)
		return -ENOENT;
	if (cap < r->bytes)
		return -ENOSPC;
	v = f->regval[full_index(r->full)];
	memcpy(buf, &v, r->bytes);
	*ret_type = r->type;
	return (int)r->bytes;
}

static int cb_write_reg(void *data, const char *name, const void *buf, size_t len)
{
	struct fake *f = data;
	const struct freg *r = find_reg(f, name);
	uint64_t *v;

	if (!r)
		return -ENOENT;
	v = &f->regval[full_index(r->full)];
	memcpy(v, buf, len < r->bytes ? len : r->bytes);
	return 0;
}

static int cb_lookup_symbol(void *data, const char *name, struct dbg_symbol *ret)
{
	struct fake *f = data;

	for (size_t i = 0; i < f->nsyms; i++) {
		if (strcmp(f->syms[i].name, name) == 0 && f->syms[i].type) {
			ret->type = f->syms[i].type;
			ret->loc = DBG_SYM_ADDR;
			ret->addr = f->syms[i].addr;
			return 0;
		}
	}
	/* Enumerators are constants of their enum type. */
	for (size_t i = 0; i < f->ntypes; i++) {
		struct dbg_type *t = f->types[i].type;

		if (t->kind != DBG_TYPE_ENUM)
			continue;
		for (size_t k = 0; k < t->nenumerators; k++) {
			if (strcmp(t->enumerators[k].name, name) == 0) {
				ret->type = t;
				ret->loc = DBG_SYM_CONST;
				ret->bytes = &t->enumerators[k].value;
				ret->len = t->size;
				return 0;
			}
		}
	}
	if (strcmp(name, "local") == 0) {
		/* A local living in a register, like -O2 code would have it. */
		static const int64_t three = 3;

		ret->type = f->types[0].type; /* int */
		ret->loc = DBG_SYM_REG;
		ret->reg = "rbx";
		(void)three;
		return 0;
	}
	if (strcmp(name, "gone") == 0) {
		ret->type = f->types[0].type;
		ret->loc = DBG_SYM_OPTIMIZED_OUT;
		return 0;
	}
	return -ENOENT;
}

static struct dbg_type *cb_lookup_type(void *data, const char *name, enum dbg_tag tag)
{
	struct fake *f = data;

	for (size_t i = 0; i < f->ntypes; i++)
		if (f->types[i].addr == (uint64_t)tag && strcmp(f->types[i].name, name) == 0)
			return f->types[i].type;
	return NULL;
}

static int cb_symbolize(void *data, uint64_t addr, char *buf, size_t cap)
{
	struct fake *f = data;

	for (size_t i = 0; i < f->nsyms; i++) {
		const struct fsym *s = &f->syms[i];

		if (s->size && addr >= s->addr && addr < s->addr + s->size) {
			if (addr == s->addr)
				snprintf(buf, cap, "%s", s->name);
			else
				snprintf(buf, cap, "%s+%llu", s->name,
				         (unsigned long long)(addr - s->addr));
			return 1;
		}
	}
	return 0;
}

static int cb_disassemble(void *data, uint64_t addr, char *buf, size_t cap, size_t *ret_len)
{
	/* Two known instructions at main, like gdb showed them. */
	if (addr == 0x401115) {
		snprintf(buf, cap, "push   %%rbp");
		*ret_len = 1;
		return 0;
	}
	if (addr == 0x401116) {
		snprintf(buf, cap, "mov    %%rsp,%%rbp");
		*ret_len = 3;
		return 0;
	}
	return -EFAULT;
}

struct dbg_target fake_target(struct fake *f)
{
	struct dbg_target t = {
	        .data = f,
	        .read_memory = cb_read,
	        .write_memory = cb_write,
	        .read_register = cb_read_reg,
	        .write_register = cb_write_reg,
	        .lookup_symbol = cb_lookup_symbol,
	        .lookup_type = cb_lookup_type,
	        .symbolize = cb_symbolize,
	        .disassemble = cb_disassemble,
	};
	return t;
}

/* ---- building the program's types and data ---- */

static struct dbg_type *base(struct fake *f, enum dbg_type_kind k, const char *name, uint64_t size,
                             bool is_unsigned)
{
	struct dbg_type *t = dbg_type_new(&f->a, k, name, size);

	t->is_unsigned = is_unsigned;
	return t;
}

static void add_type(struct fake *f, const char *name, enum dbg_tag tag, struct dbg_type *t)
{
	f->types[f->ntypes].name = name;
	f->types[f->ntypes].addr = tag;
	f->types[f->ntypes].type = t;
	f->ntypes++;
}

static void add_sym(struct fake *f, const char *name, struct dbg_type *t, uint64_t addr,
                    uint64_t size)
{
	f->syms[f->nsyms].name = name;
	f->syms[f->nsyms].type = t;
	f->syms[f->nsyms].addr = addr;
	f->syms[f->nsyms].size = size;
	f->nsyms++;
}

static void add_reg(struct fake *f, const char *name, const char *full, unsigned bytes,
                    struct dbg_type *t)
{
	f->regs[f->nregs].name = name;
	f->regs[f->nregs].full = full;
	f->regs[f->nregs].bytes = bytes;
	f->regs[f->nregs].type = t;
	f->nregs++;
}

static struct dbg_type *record(struct fake *f, enum dbg_type_kind k, const char *tag, uint64_t size,
                               const struct dbg_member *m, size_t n)
{
	struct dbg_type *t = dbg_type_new(&f->a, k, tag, size);

	t->members = dbg_arena_memdup(&f->a, m, n * sizeof(*m));
	t->nmembers = n;
	return t;
}

static struct dbg_type *enumt(struct fake *f, const char *tag, bool is_unsigned,
                              const struct dbg_enumerator *e, size_t n)
{
	struct dbg_type *t = dbg_type_new(&f->a, DBG_TYPE_ENUM, tag, 4);

	t->is_unsigned = is_unsigned;
	t->enumerators = dbg_arena_memdup(&f->a, e, n * sizeof(*e));
	t->nenumerators = n;
	return t;
}

static void put(struct fake *f, uint64_t addr, const void *v, size_t n)
{
	memcpy(mem(f, addr, n), v, n);
}

static void put_int(struct fake *f, uint64_t addr, int64_t v, size_t n)
{
	put(f, addr, &v, n);
}

static void put_double(struct fake *f, uint64_t addr, double d)
{
	put(f, addr, &d, 8);
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

struct fake *fake_new(void)
{
	struct fake *f = calloc(1, sizeof(*f));
	struct dbg_type *t_int, *t_uint, *t_char, *t_schar, *t_uchar, *t_short, *t_ushort, *t_long,
	        *t_ulong, *t_llong, *t_bool, *t_float, *t_double, *t_ldouble, *t_void;
	struct dbg_type *t_inner, *t_s, *t_u, *t_color, *t_flags, *t_uintdef, *t_func, *t_main,
	        *t_cchar, *t_big, *t_empty, *t_wp, *t_vfunc, *t_i8, *t_i16, *t_i32, *t_i64;

	if (!f)
		return NULL;
	t_int = base(f, DBG_TYPE_INT, "int", 4, false);
	add_type(f, "int", DBG_TAG_NONE, t_int); /* types[0] is int */
	t_uint = base(f, DBG_TYPE_INT, "unsigned int", 4, true);
	t_char = base(f, DBG_TYPE_CHAR, "char", 1, false);
	t_schar = base(f, DBG_TYPE_CHAR, "signed char", 1, false);
	t_uchar = base(f, DBG_TYPE_CHAR, "unsigned char", 1, true);
	t_short = base(f, DBG_TYPE_INT, "short", 2, false);
	t_ushort = base(f, DBG_TYPE_INT, "unsigned short", 2, true);
	t_long = base(f, DBG_TYPE_INT, "long", 8, false);
	t_ulong = base(f, DBG_TYPE_INT, "unsigned long", 8, true);
	t_llong = base(f, DBG_TYPE_INT, "long long", 8, false);
	t_bool = base(f, DBG_TYPE_BOOL, "_Bool", 1, true);
	t_float = base(f, DBG_TYPE_FLOAT, "float", 4, false);
	t_double = base(f, DBG_TYPE_FLOAT, "double", 8, false);
	t_ldouble = base(f, DBG_TYPE_FLOAT, "long double", 16, false);
	t_void = base(f, DBG_TYPE_VOID, "void", 1, false);
	t_i8 = base(f, DBG_TYPE_INT, "int8_t", 1, false);
	t_i16 = base(f, DBG_TYPE_INT, "int16_t", 2, false);
	t_i32 = base(f, DBG_TYPE_INT, "int32_t", 4, false);
	t_i64 = base(f, DBG_TYPE_INT, "int64_t", 8, false);

	{
		struct dbg_member m[] = {{"x", t_int, 0, 0, 0}, {"c", t_char, 4, 0, 0}};

		t_inner = record(f, DBG_TYPE_STRUCT, "inner", 8, m, N(m));
	}
	{
		struct dbg_member m[] = {
		        {"a", t_int, 0, 0, 0},
		        {"p", dbg_type_pointer(&f->a, t_int), 8, 0, 0},
		        {"in", t_inner, 16, 0, 0},
		        {"bf1", t_uint, 24, 0, 3},
		        {"bf2", t_int, 24, 3, 5},
		        {"d", t_double, 32, 0, 0},
		        {"name", dbg_type_array(&f->a, t_char, 8), 40, 0, 0},
		};

		t_s = record(f, DBG_TYPE_STRUCT, "s", 48, m, N(m));
	}
	{
		struct dbg_member m[] = {{"i", t_int, 0, 0, 0},
		                         {"f", t_float, 0, 0, 0},
		                         {"b", dbg_type_array(&f->a, t_uchar, 4), 0, 0, 0}};

		t_u = record(f, DBG_TYPE_UNION, "u", 4, m, N(m));
	}
	{
		struct dbg_enumerator c[] = {{"RED", 0}, {"GREEN", 2}, {"BLUE", 4}};
		struct dbg_enumerator fl[] = {{"FA", 1}, {"FB", 2}, {"FC", 4}};
		struct dbg_enumerator e[] = {{"EA", 1}, {"EB", 3}};
		struct dbg_enumerator z[] = {{"Z0", 0}, {"Z1", 1}, {"Z2", 2}};
		struct dbg_enumerator m[] = {{"MA", 1}, {"MB", 6}};
		struct dbg_enumerator ng[] = {{"NM", -1}, {"NP", 1}};

		t_color = enumt(f, "color", true, c, N(c));
		t_flags = enumt(f, "flags", true, fl, N(fl));
		add_type(f, "e", DBG_TAG_ENUM, enumt(f, "e", true, e, N(e)));
		add_type(f, "z", DBG_TAG_ENUM, enumt(f, "z", true, z, N(z)));
		add_type(f, "m", DBG_TAG_ENUM, enumt(f, "m", true, m, N(m)));
		add_type(f, "neg", DBG_TAG_ENUM, enumt(f, "neg", false, ng, N(ng)));
	}
	t_uintdef = dbg_type_typedef(&f->a, "uint", t_uint);
	t_func = dbg_type_func(&f->a, t_int, &t_int, 1, true, false);
	t_main = dbg_type_func(&f->a, t_int, NULL, 0, true, false);
	t_vfunc = dbg_type_func(&f->a, t_void, NULL, 0, true, false);
	t_cchar = dbg_type_qualified(&f->a, t_char, DBG_Q_CONST);
	{
		struct dbg_member q[] = {{"q", t_int, 0, 0, 0}};
		struct dbg_member un[] = {{"u1", t_int, 0, 0, 0}, {"u2", t_char, 0, 0, 0}};
		struct dbg_member m[] = {
		        {"a", dbg_type_array(&f->a, t_int, 3), 0, 0, 0},
		        {"s", dbg_type_array(&f->a, t_char, 4), 12, 0, 0},
		        {"anon", record(f, DBG_TYPE_STRUCT, NULL, 4, q, 1), 16, 0, 0},
		        {"un", record(f, DBG_TYPE_UNION, NULL, 4, un, 2), 20, 0, 0},
		        {"np", dbg_type_pointer(&f->a, t_int), 24, 0, 0},
		};

		t_big = record(f, DBG_TYPE_STRUCT, "big", 32, m, N(m));
		t_empty = record(f, DBG_TYPE_STRUCT, "empty", 0, NULL, 0);
	}
	{
		struct dbg_member m[] = {
		        {"cb", dbg_type_pointer(&f->a, t_vfunc), 0, 0, 0},
		        {"f", dbg_type_pointer(&f->a, t_func), 8, 0, 0},
		        {"s", dbg_type_pointer(&f->a, t_char), 16, 0, 0},
		};

		t_wp = record(f, DBG_TYPE_STRUCT, "wp", 24, m, N(m));
	}
	add_type(f, "inner", DBG_TAG_STRUCT, t_inner);
	add_type(f, "s", DBG_TAG_STRUCT, t_s);
	add_type(f, "u", DBG_TAG_UNION, t_u);
	add_type(f, "color", DBG_TAG_ENUM, t_color);
	add_type(f, "flags", DBG_TAG_ENUM, t_flags);
	add_type(f, "uint", DBG_TAG_NONE, t_uintdef);
	add_type(f, "big", DBG_TAG_STRUCT, t_big);
	add_type(f, "empty", DBG_TAG_STRUCT, t_empty);
	add_type(f, "wp", DBG_TAG_STRUCT, t_wp);

	/* Functions and variables, at the addresses `nm -S` gave for the program. */
	add_sym(f, "func", t_func, 0x401106, 0xf);
	add_sym(f, "main", t_main, 0x401115, 0x31);
	add_sym(f, "cbf", t_vfunc, 0x401200, 0x7);
	add_sym(f, "ff", t_func, 0x401210, 0xc);
	add_sym(f, "gi", t_int, 0x404020, 4);
	add_sym(f, "neg", t_int, 0x404024, 4);
	add_sym(f, "gu", t_uint, 0x404028, 4);
	add_sym(f, "gc", t_char, 0x40402c, 1);
	add_sym(f, "gsc", t_schar, 0x40402d, 1);
	add_sym(f, "guc", t_uchar, 0x40402e, 1);
	add_sym(f, "gs", t_short, 0x404030, 2);
	add_sym(f, "gus", t_ushort, 0x404032, 2);
	add_sym(f, "gl", t_long, 0x404038, 8);
	add_sym(f, "gul", t_ulong, 0x404040, 8);
	add_sym(f, "gll", t_llong, 0x404048, 8);
	add_sym(f, "gb", t_bool, 0x404050, 1);
	add_sym(f, "gf", t_float, 0x404054, 4);
	add_sym(f, "gf2", t_float, 0x404058, 4);
	add_sym(f, "gd", t_double, 0x404060, 8);
	add_sym(f, "gd2", t_double, 0x404068, 8);
	add_sym(f, "gd3", t_double, 0x404070, 8);
	add_sym(f, "gld", t_ldouble, 0x404080, 16);
	add_sym(f, "arr", dbg_type_array(&f->a, t_int, 5), 0x404090, 0x14);
	add_sym(f, "rep", dbg_type_array(&f->a, t_int, 12), 0x4040c0, 0x30);
	add_sym(f, "str", dbg_type_array(&f->a, t_char, 16), 0x4040f0, 0x10);
	add_sym(f, "full", dbg_type_array(&f->a, t_char, 5), 0x404100, 5);
	add_sym(f, "gun", t_u, 0x404108, 4);
	add_sym(f, "col", t_color, 0x40410c, 4);
	add_sym(f, "colbad", t_color, 0x404110, 4);
	add_sym(f, "fl", t_flags, 0x404114, 4);
	add_sym(f, "flbad", t_flags, 0x404118, 4);
	add_sym(f, "tu", t_uintdef, 0x40411c, 4);
	add_sym(f, "m2", dbg_type_array(&f->a, dbg_type_array(&f->a, t_int, 3), 2), 0x404120, 0x18);
	add_sym(f, "esc", dbg_type_array(&f->a, t_char, 8), 0x404138, 8);
	add_sym(f, "ubytes", dbg_type_array(&f->a, t_uchar, 4), 0x404140, 4);
	add_sym(f, "inarr", dbg_type_array(&f->a, t_inner, 2), 0x404150, 0x10);
	add_sym(f, "msg", dbg_type_pointer(&f->a, t_cchar), 0x404160, 8);
	add_sym(f, "ip", dbg_type_pointer(&f->a, t_int), 0x404168, 8);
	add_sym(f, "vp", dbg_type_pointer(&f->a, t_void), 0x404170, 8);
	add_sym(f, "gs_", t_s, 0x404180, 0x30);
	add_sym(f, "sp", dbg_type_pointer(&f->a, t_s), 0x4041b0, 8);
	add_sym(f, "gbf", t_bool, 0x4041e0, 1);
	add_sym(f, "zeros", dbg_type_array(&f->a, t_int, 10), 0x404200, 0x28);
	add_sym(f, "big", dbg_type_array(&f->a, t_int, 300), 0x404240, 0x4b0);
	add_sym(f, "nullp", dbg_type_pointer(&f->a, t_char), 0x4046f0, 8);
	add_sym(f, "fp", dbg_type_pointer(&f->a, t_func), 0x4046f8, 8);
	/* From the second program (t2.c/t4.c in the tests' comments), placed higher. */
	add_sym(f, "buf", dbg_type_array(&f->a, t_uchar, 32), 0x405000, 32);
	add_sym(f, "darr", dbg_type_array(&f->a, t_double, 3), 0x405020, 24);
	add_sym(f, "farr", dbg_type_array(&f->a, t_float, 2), 0x405038, 8);
	add_sym(f, "strs", dbg_type_array(&f->a, dbg_type_pointer(&f->a, t_char), 3), 0x405040, 24);
	add_sym(f, "mix", dbg_type_array(&f->a, t_int, 25), 0x405060, 100);
	add_sym(f, "nine", dbg_type_array(&f->a, t_int, 9), 0x4050d0, 36);
	add_sym(f, "ten", dbg_type_array(&f->a, t_int, 10), 0x405100, 40);
	add_sym(f, "cbig", dbg_type_array(&f->a, t_char, 300), 0x405200, 300);
	add_sym(f, "reps", dbg_type_array(&f->a, t_char, 30), 0x405340, 30);
	add_sym(f, "z10", dbg_type_array(&f->a, t_char, 10), 0x405360, 10);
	add_sym(f, "z20", dbg_type_array(&f->a, t_char, 20), 0x405370, 20);
	add_sym(f, "e1", dbg_type_array(&f->a, t_char, 1), 0x405390, 1);
	add_sym(f, "s1", dbg_type_array(&f->a, t_char, 16), 0x4053a0, 16);
	add_sym(f, "seq", dbg_type_array(&f->a, t_int, 300), 0x405400, 1200);
	add_sym(f, "seq2", dbg_type_array(&f->a, t_int, 300), 0x405900, 1200);
	add_sym(f, "mixs", dbg_type_array(&f->a, t_char, 300), 0x405e00, 300);
	add_sym(f, "mixs2", dbg_type_array(&f->a, t_char, 300), 0x405f40, 300);
	add_sym(f, "pmix", dbg_type_pointer(&f->a, t_char), 0x406080, 8);
	add_sym(f, "pz", dbg_type_pointer(&f->a, t_char), 0x406088, 8);
	add_sym(f, "bb", t_big, 0x4060a0, 32);
	add_sym(f, "em", t_empty, 0x4060c0, 0);
	add_sym(f, "w", t_wp, 0x4060e0, 24);
	add_sym(f, "lng", t_long, 0x406100, 8);
	add_sym(f, "sh", t_short, 0x406108, 2);
	add_sym(f, "pbad", dbg_type_pointer(&f->a, t_char), 0x406110, 8);
	add_sym(f, "pedge", dbg_type_pointer(&f->a, t_char), 0x406118, 8);

	/* .rodata */
	put(f, 0x402004, "hello, world", 13);
	put(f, 0x402020, "one\0two\0str", 12);
	/* .data at main */
	put_int(f, 0x404020, 42, 4);
	put_int(f, 0x404024, -5, 4);
	put_int(f, 0x404028, 4000000000u, 4);
	put_int(f, 0x40402c, 'A', 1);
	put_int(f, 0x40402d, -3, 1);
	put_int(f, 0x40402e, 200, 1);
	put_int(f, 0x404030, -300, 2);
	put_int(f, 0x404032, 65000, 2);
	put_int(f, 0x404038, -1234567890123LL, 8);
	put_int(f, 0x404040, -1, 8);
	put_int(f, 0x404048, 1LL << 40, 8);
	put_int(f, 0x404050, 1, 1);
	{
		float x = 1.5f, y = 0.1f;
		long double ld = 0.1L;

		put(f, 0x404054, &x, 4);
		put(f, 0x404058, &y, 4);
		put(f, 0x404080, &ld, 10);
	}
	put_double(f, 0x404060, 0.1);
	put_double(f, 0x404068, 3.0);
	put_double(f, 0x404070, 1e100);
	for (int i = 0; i < 5; i++)
		put_int(f, 0x404090 + 4 * i, i + 1, 4);
	for (int i = 0; i < 12; i++)
		put_int(f, 0x4040c0 + 4 * i, i < 10 ? 1 : i - 8, 4);
	put(f, 0x4040f0, "hello", 5);
	put(f, 0x404100, "abcde", 5);
	put_int(f, 0x404108, 0x3f800000, 4);
	put_int(f, 0x40410c, 2, 4);
	put_int(f, 0x404110, 7, 4);
	put_int(f, 0x404114, 5, 4);
	put_int(f, 0x404118, 9, 4);
	put_int(f, 0x40411c, 7, 4);
	for (int i = 0; i < 6; i++)
		put_int(f, 0x404120 + 4 * i, i + 1, 4);
	put(f, 0x404138, "a\tb\n\"\\\001", 8);
	put(f, 0x404140, "\000\377A\n", 4);
	put_int(f, 0x404150, 1, 4);
	put_int(f, 0x404154, 'a', 1);
	put_int(f, 0x404158, 2, 4);
	put_int(f, 0x40415c, 'b', 1);
	put_int(f, 0x404160, 0x402004, 8);
	put_int(f, 0x404168, 0x404020, 8);
	put_int(f, 0x404170, 0x404020, 8);
	put_int(f, 0x404180, 1, 4);
	put_int(f, 0x404188, 0x404020, 8);
	put_int(f, 0x404190, 7, 4);
	put_int(f, 0x404194, 'z', 1);
	put_int(f, 0x404198, 5 | ((-3 & 0x1f) << 3), 1);
	put_double(f, 0x4041a0, 2.5);
	put(f, 0x4041a8, "nm", 2);
	put_int(f, 0x4041b0, 0x404180, 8);
	/* The second program's data. */
	{
		static const unsigned char b[32] = {1,    0,    0,    0,    2,    0, 0,    0,
		                                    3,    0,    0,    0,    4,    0, 0,    0,
		                                    0xff, 0xfe, 0x41, 0x42, 0x43, 0, 0x7f, 0x80};
		float fa[2] = {1.5f, 0.1f};
		static const int mixv[25] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 3, 3,
		                             3, 3, 3, 3, 3, 3, 3, 3, 3, 4, 5, 5};

		put(f, 0x405000, b, 32);
		put_double(f, 0x405020, 1.5);
		put_double(f, 0x405028, -2.25);
		put_double(f, 0x405030, 0.1);
		put(f, 0x405038, fa, 8);
		put_int(f, 0x405040, 0x402020, 8);
		put_int(f, 0x405048, 0x402024, 8);
		for (int i = 0; i < 25; i++)
			put_int(f, 0x405060 + 4 * i, mixv[i], 4);
		for (int i = 0; i < 9; i++)
			put_int(f, 0x4050d0 + 4 * i, 7, 4);
		for (int i = 0; i < 10; i++)
			put_int(f, 0x405100 + 4 * i, 7, 4);
		put(f, 0x405200, "abc", 3);
		put(f, 0x405340, "aaaaaaaaaaaaaaaaaaaaaaaaabc", 27);
		put(f, 0x4053a0, "q'\"\\\a\b\f\r\v\033 1", 13);
		for (int i = 0; i < 300; i++) {
			put_int(f, 0x405400 + 4 * i, i, 4);
			put_int(f, 0x405900 + 4 * i, i < 190 ? i : (i < 220 ? 1000 : i), 4);
		}
		for (int i = 0; i < 299; i++) {
			put_int(f, 0x405e00 + i, 'a' + i % 26, 1);
			put_int(f, 0x405f40 + i, i < 195 ? 'a' + i % 26 : (i < 215 ? 'x' : 'b'), 1);
		}
		put_int(f, 0x406080, 0x405f40, 8);
		put_int(f, 0x406088, 0x405360, 8);
		for (int i = 0; i < 3; i++)
			put_int(f, 0x4060a0 + 4 * i, i + 1, 4);
		put(f, 0x4060ac, "ab", 2);
		put_int(f, 0x4060b0, 5, 4);
		put_int(f, 0x4060b4, 6, 4);
		put_int(f, 0x4060e0, 0x401200, 8);
		put_int(f, 0x4060e8, 0x401210, 8);
		put_int(f, 0x4060f0, 0x402028, 8);
		put_int(f, 0x406100, 5, 8);
		put_int(f, 0x406108, -2, 2);
		put_int(f, 0x406110, 0x1234, 8);
		/* A string that runs into the end of the mapped data. */
		put(f, DATA_BASE + DATA_SIZE - 3, "xyz", 3);
		put_int(f, 0x406118, DATA_BASE + DATA_SIZE - 3, 8);
	}
	/* The stack: two words at rsp for x/2a. */
	put_int(f, 0x7fffffffe590, 1, 8);
	put_int(f, 0x7fffffffe598, 0x401115 + 33, 8);

	/* Registers as gdb types them on x86-64. */
	{
		struct dbg_type *code = dbg_type_pointer(
		        &f->a, dbg_type_func(&f->a, t_void, NULL, 0, false, false));
		struct dbg_type *data = dbg_type_pointer(&f->a, t_void);
		struct dbg_type *eflags = dbg_type_new(&f->a, DBG_TYPE_FLAGS, "i386_eflags", 4);
		static const struct dbg_flag_bit bits[] = {
		        {"CF", 0}, {"PF", 2}, {"AF", 4},  {"ZF", 6},  {"SF", 7},
		        {"TF", 8}, {"IF", 9}, {"DF", 10}, {"OF", 11},
		};

		eflags->flags = dbg_arena_memdup(&f->a, bits, sizeof(bits));
		eflags->nflags = N(bits);
		eflags->is_unsigned = true;
		add_reg(f, "rip", "rip", 8, code);
		add_reg(f, "pc", "rip", 8, code);
		add_reg(f, "rsp", "rsp", 8, data);
		add_reg(f, "sp", "rsp", 8, data);
		add_reg(f, "rbp", "rbp", 8, data);
		add_reg(f, "fp", "rbp", 8, data);
		add_reg(f, "rax", "rax", 8, t_i64);
		add_reg(f, "eax", "rax", 4, t_i32);
		add_reg(f, "ax", "rax", 2, t_i16);
		add_reg(f, "al", "rax", 1, t_i8);
		add_reg(f, "rbx", "rbx", 8, t_i64);
		add_reg(f, "ebx", "rbx", 4, t_i32);
		add_reg(f, "eflags", "eflags", 4, eflags);
		f->regval[0] = 0x40111d;
		f->regval[1] = 0x7fffffffe590;
		f->regval[2] = 0x7fffffffe5a0;
		f->regval[3] = 4198677;
		f->regval[4] = 0x7fffffffe6b8;
		f->regval[5] = 0x206;
	}
	memcpy(f->data0, f->data, sizeof(f->data));
	memcpy(f->stack0, f->stack, sizeof(f->stack));
	memcpy(f->regval0, f->regval, sizeof(f->regval));
	(void)t_long;
	(void)t_ulong;
	(void)t_llong;
	(void)t_float;
	(void)t_ldouble;
	return f;
}

void fake_reset(struct fake *f)
{
	memcpy(f->data, f->data0, sizeof(f->data));
	memcpy(f->stack, f->stack0, sizeof(f->stack));
	memcpy(f->regval, f->regval0, sizeof(f->regval));
}

void fake_free(struct fake *f)
{
	if (f) {
		dbg_arena_free(&f->a);
		free(f);
	}
}

struct dbg_ctx *fake_ctx(struct fake **ret_fake)
{
	struct fake *f = fake_new();
	struct dbg_target t;
	struct dbg_ctx *ctx;

	if (!f)
		return NULL;
	t = fake_target(f);
	ctx = dbg_ctx_new(&t);
	if (!ctx) {
		fake_free(f);
		return NULL;
	}
	*ret_fake = f;
	return ctx;
}

void fake_ctx_free(struct dbg_ctx *ctx, struct fake *f)
{
	dbg_ctx_free(ctx);
	fake_free(f);
}

const char *fake_print(struct dbg_ctx *ctx, const char *fmt, const char *expr)
{
	static char res[8192];
	struct dbg_buf out = {0};
	struct dbg_fmt f;
	size_t n;
	int r;

	if (fmt) {
		char err[256];

		if (dbg_fmt_parse(fmt, &n, &f, err, sizeof(err)) < 0) {
			snprintf(res, sizeof(res), "ERR: %s", err);
			return res;
		}
	}
	r = dbg_print_command(ctx, expr, fmt ? &f : NULL, &out);
	if (r < 0) {
		snprintf(res, sizeof(res), "ERR: %s", dbg_ctx_error(ctx));
	} else {
		const char *s = dbg_buf_str(&out);
		const char *eq = strstr(s, " = ");

		snprintf(res, sizeof(res), "%s", eq ? eq + 3 : s);
	}
	dbg_buf_free(&out);
	dbg_ctx_reset_tmp(ctx);
	return res;
}
