/* SPDX-License-Identifier: MIT */
/*
 * Values, the abstract target and the evaluation context of `ptk debug`.
 *
 * The evaluator never touches a process: everything it needs from one goes
 * through struct dbg_target, a table of callbacks that the process-facing
 * part of the debugger fills (and that tests fill with a fake).  The
 * context holds what outlives one command: built-in types, the value
 * history ($1, $2, ...), convenience variables ($foo), the state of `x`
 * and the last error message.  Two contexts never share state.
 */
#ifndef PTK_DEBUG_VALUE_H
#define PTK_DEBUG_VALUE_H

#include "type.h"

/* Where a variable lives. */
enum dbg_sym_loc {
	DBG_SYM_ADDR,          /* in memory at addr */
	DBG_SYM_REG,           /* in register reg */
	DBG_SYM_CONST,         /* a constant (enumerator, DW_AT_const_value): bytes/len */
	DBG_SYM_OPTIMIZED_OUT, /* known but without a location here */
};

struct dbg_symbol {
	struct dbg_type *type; /* a DBG_TYPE_FUNC for functions (loc DBG_SYM_ADDR) */
	enum dbg_sym_loc loc;
	uint64_t addr;
	const char *reg;
	const void *bytes; /* DBG_SYM_CONST: copied by the evaluator at once */
	size_t len;
};

enum dbg_tag {
	DBG_TAG_NONE, /* a typedef or other plain type name */
	DBG_TAG_STRUCT,
	DBG_TAG_UNION,
	DBG_TAG_ENUM,
};

/*
 * What the evaluator asks of a target.  Any callback may be NULL (then the
 * operation fails as it would with no process).  Functions return 0 (or a
 * size) on success and -errno on failure.  Types returned must stay valid
 * as long as the context uses the target.
 */
struct dbg_target {
	void *data;
	/* Read or write exactly len bytes; -EFAULT (or -EIO) if any is not accessible. */
	int (*read_memory)(void *data, uint64_t addr, void *buf, size_t len);
	int (*write_memory)(void *data, uint64_t addr, const void *buf, size_t len);
	/*
	 * Read register `name` (without '$'; "pc", "sp", "fp" included): store its
	 * type and up to cap bytes, return its size.  -ENOENT: no such register
	 * (the name is then a convenience variable); other errors: no registers now.
	 */
	int (*read_register)(void *data, const char *name, struct dbg_type **ret_type, void *buf,
	                     size_t cap);
	int (*write_register)(void *data, const char *name, const void *buf, size_t len);
	/* A variable, function or enumerator visible in the selected frame; -ENOENT if none. */
	int (*lookup_symbol)(void *data, const char *name, struct dbg_symbol *ret);
	/* A type by name (typedef or base with DBG_TAG_NONE, else by tag); NULL if none. */
	struct dbg_type *(*lookup_type)(void *data, const char *name, enum dbg_tag tag);
	/* "main" or "main+4" for an address inside a symbol: 1 if written, 0 if none. */
	int (*symbolize)(void *data, uint64_t addr, char *buf, size_t cap);
	/* One instruction at addr as text ("push   %rbp"); its length in *ret_len. */
	int (*disassemble)(void *data, uint64_t addr, char *buf, size_t cap, size_t *ret_len);
};

enum dbg_lval {
	DBG_LV_NONE,      /* a computed value */
	DBG_LV_MEMORY,    /* at addr in the target's memory */
	DBG_LV_REGISTER,  /* the whole register `name` */
	DBG_LV_CONV,      /* the convenience variable `name` */
	DBG_LV_COMPONENT, /* bytes [offset, offset+size) of `parent` (register or variable parts) */
};

struct dbg_value {
	struct dbg_type *type;
	enum dbg_lval lval;
	uint64_t addr;
	const char *name;
	struct dbg_value *parent;
	uint64_t offset;
	unsigned bitpos, bitsize; /* bitfields: bits from addr (or offset); bitsize 0: none */
	bool lazy;                /* memory not read yet */
	bool optimized_out;
	unsigned char *bytes; /* dbg_type_size(type) bytes once fetched (bitfields: the value) */
};

enum dbg_builtin {
	DBG_BT_VOID,
	DBG_BT_CHAR,
	DBG_BT_SCHAR,
	DBG_BT_UCHAR,
	DBG_BT_SHORT,
	DBG_BT_USHORT,
	DBG_BT_INT,
	DBG_BT_UINT,
	DBG_BT_LONG,
	DBG_BT_ULONG,
	DBG_BT_LLONG,
	DBG_BT_ULLONG,
	DBG_BT_BOOL,
	DBG_BT_FLOAT,
	DBG_BT_DOUBLE,
	DBG_BT_LDOUBLE,
	DBG_BT_INT8,
	DBG_BT_INT16,
	DBG_BT_INT32,
	DBG_BT_INT64,
	DBG_BT_COUNT
};

struct dbg_conv;

struct dbg_ctx {
	struct dbg_target target;
	struct dbg_arena perm; /* built-in and derived types */
	struct dbg_arena tmp;  /* one command's syntax trees and values */
	struct dbg_type *bt[DBG_BT_COUNT];
	struct dbg_derived *derived;
	struct dbg_value **history; /* heap copies; history[0] is $1 */
	size_t nhistory, caphistory;
	struct dbg_conv *conv;
	/* `x`: last format and size letter, and where a bare `x` goes on. */
	char x_format, x_size;
	long x_count;
	bool x_has_next;
	uint64_t x_next;
	/* The selected frame's pc, when there is one: x/i marks it with "=> ". */
	bool has_pc;
	uint64_t pc;
	bool noside; /* evaluating for a type only: fetches yield zeros, nothing is written */
	unsigned print_elements;   /* gdb's `print elements`, 200 */
	unsigned repeat_threshold; /* gdb's `print repeats`, 10 */
	char err[256];
};

/* A new context using `target` (copied; NULL: no target).  NULL on out of memory. */
struct dbg_ctx *dbg_ctx_new(const struct dbg_target *target);
void dbg_ctx_free(struct dbg_ctx *ctx);
void dbg_ctx_set_target(struct dbg_ctx *ctx, const struct dbg_target *target);
/* Free what one command allocated (syntax trees, temporary values). */
void dbg_ctx_reset_tmp(struct dbg_ctx *ctx);
/* The message of the last failure, one line without a newline. */
const char *dbg_ctx_error(const struct dbg_ctx *ctx);
/*
 * Set ctx->err and return -code (code > 0): a macro, so that the static
 * analyzer sees the negative result where the error is returned.
 */
__attribute__((format(printf, 2, 3))) void dbg_error_say(struct dbg_ctx *ctx, const char *fmt, ...);
static inline int dbg_error_ret(int r)
{
	return r;
}
#define dbg_error(ctx, code, ...) (dbg_error_say((ctx), __VA_ARGS__), dbg_error_ret(-(code)))

struct dbg_type *dbg_builtin(struct dbg_ctx *ctx, enum dbg_builtin id);
/* Pointer to / array of `t`, cached in the context (NULL on out of memory). */
struct dbg_type *dbg_ctx_pointer_to(struct dbg_ctx *ctx, struct dbg_type *t);
struct dbg_type *dbg_ctx_array_of(struct dbg_ctx *ctx, struct dbg_type *t, uint64_t count);

/* Append a copy of v (fetched) to the history; returns its number N of $N, or -errno. */
int dbg_history_add(struct dbg_ctx *ctx, struct dbg_value *v);
/* $N (n >= 1), or NULL. */
const struct dbg_value *dbg_history_get(const struct dbg_ctx *ctx, size_t n);
/* Set convenience variable $name to a copy of v (fetched). */
int dbg_conv_set(struct dbg_ctx *ctx, const char *name, struct dbg_value *v);
/* $name's value, or NULL if it was never set (it then reads as void). */
const struct dbg_value *dbg_conv_get(const struct dbg_ctx *ctx, const char *name);

/* ---- Values (allocated in ctx->tmp) ---- */

/* A non-lvalue of type t with zeroed contents. */
struct dbg_value *dbg_value_new(struct dbg_ctx *ctx, struct dbg_type *t);
/* A lazy lvalue of type t at addr. */
struct dbg_value *dbg_value_at(struct dbg_ctx *ctx, struct dbg_type *t, uint64_t addr);
struct dbg_value *dbg_value_from_int(struct dbg_ctx *ctx, struct dbg_type *t, uint64_t v);
struct dbg_value *dbg_value_from_float(struct dbg_ctx *ctx, struct dbg_type *t, long double d);
/* A temporary copy of a persisted value (history, convenience variable). */
struct dbg_value *dbg_value_copy(struct dbg_ctx *ctx, const struct dbg_value *v);
/* Read a lazy value's contents; 0 or -errno with ctx->err set. */
int dbg_value_fetch(struct dbg_ctx *ctx, struct dbg_value *v);
/* The value as an integer / float (integral, float, pointer, bool, enum); -errno if not scalar. */
int dbg_value_as_int(struct dbg_ctx *ctx, struct dbg_value *v, int64_t *ret);
int dbg_value_as_float(struct dbg_ctx *ctx, struct dbg_value *v, long double *ret);
/* The value's address as a target would use it (pointers, integers, arrays in memory). */
int dbg_value_as_address(struct dbg_ctx *ctx, struct dbg_value *v, uint64_t *ret);

/* Raw integer of `size` little-endian bytes, sign-extended if is_signed. */
uint64_t dbg_bytes_to_u64(const unsigned char *b, size_t size, bool is_signed);
void dbg_u64_to_bytes(unsigned char *b, size_t size, uint64_t v);
/* Read float bytes of size 4, 8, 10 or 16 into a long double. */
long double dbg_bytes_to_float(const unsigned char *b, size_t size);
void dbg_float_to_bytes(unsigned char *b, size_t size, long double d);
/* A float converted to a 64-bit integer as x86 does (truncation; NaN: 0). */
uint64_t dbg_float_to_u64(long double d);

/* Read len bytes of target memory; on failure "Cannot access memory at address 0x..." */
int dbg_read_memory(struct dbg_ctx *ctx, uint64_t addr, void *buf, size_t len);
int dbg_write_memory(struct dbg_ctx *ctx, uint64_t addr, const void *buf, size_t len);

#endif
