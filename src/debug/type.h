/* SPDX-License-Identifier: MIT */
/*
 * The debugger's C type model: what DWARF describes (base types, pointers,
 * arrays, structs, unions, enums, typedefs, qualifiers, functions, void)
 * plus register flag sets such as eflags.  Types live in an arena owned by
 * whoever built them (the evaluation context for built-in and derived
 * types, the symbol reader for program types) and are never freed one by one.
 */
#ifndef PTK_DEBUG_TYPE_H
#define PTK_DEBUG_TYPE_H

#include "util.h"

enum dbg_type_kind {
	DBG_TYPE_VOID,
	DBG_TYPE_INT,     /* integers other than char and bool */
	DBG_TYPE_CHAR,    /* char, signed char, unsigned char: printed as 65 'A' */
	DBG_TYPE_BOOL,    /* _Bool */
	DBG_TYPE_FLOAT,   /* float, double, long double (size 4, 8, 16) */
	DBG_TYPE_PTR,     /* target: the pointee */
	DBG_TYPE_ARRAY,   /* target: the element; count (has_count) */
	DBG_TYPE_STRUCT,  /* members */
	DBG_TYPE_UNION,   /* members */
	DBG_TYPE_ENUM,    /* enumerators; is_unsigned says how to read it */
	DBG_TYPE_TYPEDEF, /* name, target */
	DBG_TYPE_QUAL,    /* quals (DBG_Q_*) applied to target */
	DBG_TYPE_FUNC,    /* target: return type; params */
	DBG_TYPE_FLAGS,   /* a register of named bits, printed [ ZF PF ] */
};

#define DBG_Q_CONST    1u
#define DBG_Q_VOLATILE 2u

struct dbg_type;

struct dbg_member {
	const char *name; /* NULL for an anonymous struct or union member */
	struct dbg_type *type;
	uint64_t offset;     /* bytes from the start of the aggregate */
	unsigned bit_offset; /* bitfields: bits from `offset`, LSB first */
	unsigned bit_size;   /* 0: not a bitfield */
};

struct dbg_enumerator {
	const char *name;
	int64_t value;
};

struct dbg_flag_bit {
	const char *name;
	unsigned bit;
};

struct dbg_type {
	enum dbg_type_kind kind;
	const char *name; /* base and typedef names; struct/union/enum tag (NULL: anonymous) */
	uint64_t size;    /* bytes */
	bool is_unsigned;
	bool is_declaration; /* struct/union/enum seen only as a declaration */
	bool has_count;      /* arrays: false for `int x[]` */
	bool prototyped;     /* functions: (void) rather than () when nparams == 0 */
	bool varargs;
	unsigned quals; /* DBG_TYPE_QUAL */
	uint64_t count; /* arrays: number of elements */
	struct dbg_type *target;
	struct dbg_member *members;
	size_t nmembers;
	struct dbg_enumerator *enumerators;
	size_t nenumerators;
	struct dbg_type **params;
	size_t nparams;
	struct dbg_flag_bit *flags;
	size_t nflags;
};

/* A new zeroed type in arena `a` (NULL on out of memory). */
struct dbg_type *dbg_type_new(struct dbg_arena *a, enum dbg_type_kind kind, const char *name,
                              uint64_t size);
struct dbg_type *dbg_type_pointer(struct dbg_arena *a, struct dbg_type *target);
struct dbg_type *dbg_type_array(struct dbg_arena *a, struct dbg_type *elem, uint64_t count);
struct dbg_type *dbg_type_typedef(struct dbg_arena *a, const char *name, struct dbg_type *t);
struct dbg_type *dbg_type_qualified(struct dbg_arena *a, struct dbg_type *t, unsigned quals);
/* `params` is copied into the arena. */
struct dbg_type *dbg_type_func(struct dbg_arena *a, struct dbg_type *ret, struct dbg_type **params,
                               size_t nparams, bool prototyped, bool varargs);

/* The type under typedefs and qualifiers. */
struct dbg_type *dbg_type_strip(const struct dbg_type *t);
/* Strip, then: is it an integer (int, char, bool, enum)? */
bool dbg_type_is_integral(const struct dbg_type *t);
/* Integral or float. */
bool dbg_type_is_arith(const struct dbg_type *t);
/* Arithmetic or pointer. */
bool dbg_type_is_scalar(const struct dbg_type *t);
/* Is it a char type (size 1 DBG_TYPE_CHAR) after stripping? */
bool dbg_type_is_char(const struct dbg_type *t);
/* Is this an enum whose values are all zero or single distinct bits? */
bool dbg_type_is_flag_enum(const struct dbg_type *t);
/* Byte size; arrays without a count and functions are 1 (gdb's sizeof). */
uint64_t dbg_type_size(const struct dbg_type *t);

/* Append the C spelling of `t` (as gdb's whatis shows it: "int (*)[5]"). */
void dbg_type_name(const struct dbg_type *t, struct dbg_buf *out);
/* Append a declaration of `name` with type t: "int *p", "char name[8]", "int (*f)(int)". */
void dbg_type_decl(const struct dbg_type *t, const char *name, struct dbg_buf *out);
/* Member lookup through anonymous members; adds their offsets into *ret_offset. */
const struct dbg_member *dbg_type_find_member(const struct dbg_type *t, const char *name,
                                              uint64_t *ret_offset);

#endif
