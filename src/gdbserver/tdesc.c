/* SPDX-License-Identifier: MIT */
/*
 * target.xml generation.  The format is gdb's target description language (the GDB
 * manual, "Target Descriptions"): a <feature> per register group with the types its
 * registers use defined inside it, then one <reg> per register in `g` packet order.  gdb
 * checks the features by name and their registers by name (the i386 and amd64 tdesc
 * validators); lldb takes name, bitsize, regnum, type and group and fills in the rest
 * from its x86_64 ABI.  The flag bits below are the architecture's (Intel SDM vol. 1,
 * 3.4.3 EFLAGS, 10.2.3 MXCSR).
 */
#include "tdesc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct sbuf {
	char *p;
	size_t len, cap;
	bool failed;
};

__attribute__((format(printf, 2, 3))) static void put(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->failed)
		return;
	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
		if (n < 0) {
			b->failed = true;
			return;
		}
		if ((size_t)n < b->cap - b->len) {
			b->len += (size_t)n;
			return;
		}
		size_t ncap = b->cap * 2 + (size_t)n;
		char *np = realloc(b->p, ncap);
		if (!np) {
			b->failed = true;
			return;
		}
		b->p = np;
		b->cap = ncap;
	}
}

struct flag {
	const char *name;
	int bit;
};

static const struct flag eflags[] = {
        {"CF", 0},  {"", 1},    {"PF", 2},   {"AF", 4},   {"ZF", 6},  {"SF", 7},
        {"TF", 8},  {"IF", 9},  {"DF", 10},  {"OF", 11},  {"NT", 14}, {"RF", 16},
        {"VM", 17}, {"AC", 18}, {"VIF", 19}, {"VIP", 20}, {"ID", 21},
};

static const struct flag mxcsr[] = {
        {"IE", 0}, {"DE", 1}, {"ZE", 2}, {"OE", 3},  {"UE", 4},  {"PE", 5},  {"DAZ", 6},
        {"IM", 7}, {"DM", 8}, {"ZM", 9}, {"OM", 10}, {"UM", 11}, {"PM", 12}, {"FZ", 15},
};

static void put_flags(struct sbuf *b, const char *id, const struct flag *f, size_t n)
{
	put(b, "    <flags id=\"%s\" size=\"4\">\n", id);
	for (size_t i = 0; i < n; i++)
		put(b, "      <field name=\"%s\" start=\"%d\" end=\"%d\" type=\"bool\"/>\n",
		    f[i].name, f[i].bit, f[i].bit);
	put(b, "    </flags>\n");
}

/* The 128-bit vector union of the SSE and AVX-512 features. */
static void put_vec128(struct sbuf *b)
{
	static const char *const vec[][3] = {
	        {"v8bf16", "bfloat16", "8"}, {"v8h", "ieee_half", "8"}, {"v4f", "ieee_single", "4"},
	        {"v2d", "ieee_double", "2"}, {"v16i8", "int8", "16"},   {"v8i16", "int16", "8"},
	        {"v4i32", "int32", "4"},     {"v2i64", "int64", "2"},
	};
	static const char *const fields[][2] = {
	        {"v8_bfloat16", "v8bf16"}, {"v8_half", "v8h"},    {"v4_float", "v4f"},
	        {"v2_double", "v2d"},      {"v16_int8", "v16i8"}, {"v8_int16", "v8i16"},
	        {"v4_int32", "v4i32"},     {"v2_int64", "v2i64"}, {"uint128", "uint128"},
	};
	for (size_t i = 0; i < sizeof vec / sizeof vec[0]; i++)
		put(b, "    <vector id=\"%s\" type=\"%s\" count=\"%s\"/>\n", vec[i][0], vec[i][1],
		    vec[i][2]);
	put(b, "    <union id=\"vec128\">\n");
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
		put(b, "      <field name=\"%s\" type=\"%s\"/>\n", fields[i][0], fields[i][1]);
	put(b, "    </union>\n");
}

static void put_types(struct sbuf *b, enum gs_feature f)
{
	switch (f) {
	case GS_F_CORE:
		put_flags(b, "i386_eflags", eflags, sizeof eflags / sizeof eflags[0]);
		break;
	case GS_F_SSE:
		put_vec128(b);
		put_flags(b, "i386_mxcsr", mxcsr, sizeof mxcsr / sizeof mxcsr[0]);
		break;
	case GS_F_AVX512:
		put_vec128(b);
		put(b, "    <vector id=\"v2ui128\" type=\"uint128\" count=\"2\"/>\n");
		break;
	default:
		break;
	}
}

char *gs_tdesc_xml(const struct gs_layout *l, size_t *ret_len)
{
	struct sbuf b = {.cap = 16384};

	b.p = malloc(b.cap);
	if (!b.p)
		return NULL;
	put(&b, "<?xml version=\"1.0\"?>\n<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n<target>\n"
	        "  <architecture>i386:x86-64</architecture>\n  <osabi>GNU/Linux</osabi>\n");
	for (int f = 0; f < GS_F__COUNT; f++) {
		if (!(l->features >> f & 1))
			continue;
		put(&b, "  <feature name=\"%s\">\n", gs_feature_name((enum gs_feature)f));
		put_types(&b, (enum gs_feature)f);
		for (int i = 0; i < l->n; i++) {
			const struct gs_reg *r = &l->r[i];
			if (r->feature != f)
				continue;
			put(&b, "    <reg name=\"%s\" bitsize=\"%u\" type=\"%s\" regnum=\"%d\"",
			    r->name, r->bits, r->type, i);
			if (r->group)
				put(&b, " group=\"%s\"", r->group);
			put(&b, "/>\n");
		}
		put(&b, "  </feature>\n");
	}
	put(&b, "</target>\n");
	if (b.failed) {
		free(b.p);
		return NULL;
	}
	*ret_len = b.len;
	return b.p;
}
