/* SPDX-License-Identifier: MIT */
/*
 * C expressions as gdb accepts them: a lexer and a parser producing a
 * syntax tree (allocated in ctx->tmp), and a typed evaluator over the
 * context's abstract target.  Type names inside expressions (casts,
 * sizeof, {type} addr) are resolved while parsing: C keywords through the
 * context's built-in types, typedef names and struct/union/enum tags
 * through the target's lookup_type callback.
 */
#ifndef PTK_DEBUG_EXPR_H
#define PTK_DEBUG_EXPR_H

#include "value.h"

enum dbg_expr_kind {
	DBG_E_INT,         /* ival of type */
	DBG_E_FLOAT,       /* fval of type */
	DBG_E_STRING,      /* str[len], a char array with its NUL */
	DBG_E_IDENT,       /* name */
	DBG_E_DOLLAR,      /* $name: a register, else a convenience variable */
	DBG_E_HISTORY,     /* $N (ival, !relative) or $, $$, $$N (ival back from the last) */
	DBG_E_UNARY,       /* op a */
	DBG_E_BINARY,      /* a op b */
	DBG_E_ASSIGN,      /* a = b (op DBG_OP_ASSIGN) or a op= b */
	DBG_E_COND,        /* a ? b : c */
	DBG_E_CAST,        /* (type) a */
	DBG_E_SIZEOF_TYPE, /* sizeof (type) */
	DBG_E_SIZEOF_EXPR, /* sizeof a */
	DBG_E_MEMBER,      /* a.name */
	DBG_E_ARROW,       /* a->name */
	DBG_E_INDEX,       /* a[b] */
	DBG_E_AT,          /* a@b: b elements starting at lvalue a */
	DBG_E_BRACE,       /* {type} a: the object of that type at address a */
	DBG_E_CALL,        /* a(args): parsed, refused by the evaluator */
	DBG_E_COMMA,       /* a, b */
};

enum dbg_op {
	DBG_OP_NONE,
	DBG_OP_ADD,
	DBG_OP_SUB,
	DBG_OP_MUL,
	DBG_OP_DIV,
	DBG_OP_MOD,
	DBG_OP_SHL,
	DBG_OP_SHR,
	DBG_OP_LT,
	DBG_OP_GT,
	DBG_OP_LE,
	DBG_OP_GE,
	DBG_OP_EQ,
	DBG_OP_NE,
	DBG_OP_BITAND,
	DBG_OP_BITOR,
	DBG_OP_XOR,
	DBG_OP_LAND,
	DBG_OP_LOR,
	DBG_OP_NEG,
	DBG_OP_PLUS,
	DBG_OP_NOT,
	DBG_OP_COMPL,
	DBG_OP_DEREF,
	DBG_OP_ADDR,
	DBG_OP_PREINC,
	DBG_OP_PREDEC,
	DBG_OP_POSTINC,
	DBG_OP_POSTDEC,
	DBG_OP_ASSIGN,
};

struct dbg_expr {
	enum dbg_expr_kind kind;
	enum dbg_op op;
	struct dbg_expr *a, *b, *c;
	struct dbg_type *type;
	uint64_t ival;
	bool relative;
	long double fval;
	const char *name;
	const char *str;
	size_t len;
	struct dbg_expr **args;
	size_t nargs;
};

/*
 * Parse `text` as one C expression.  0 and *ret (in ctx->tmp), or -EINVAL
 * with ctx->err: "A syntax error in expression, near `...'.", "No symbol
 * \"x\" in current context." is left to evaluation, "No struct type named
 * x." is raised here.
 */
int dbg_expr_parse(struct dbg_ctx *ctx, const char *text, struct dbg_expr **ret);
/*
 * If all of `text` is a type name ("struct s *", "uint", "int [3]"), 0 and
 * *ret; -ENOENT if it does not start like one; -EINVAL with ctx->err if it
 * starts like one but is wrong.
 */
int dbg_type_parse(struct dbg_ctx *ctx, const char *text, struct dbg_type **ret);

/*
 * Evaluate e.  0 and *ret (in ctx->tmp; possibly a lazy lvalue: use
 * dbg_value_fetch or the printer), or -errno with a one-line ctx->err.
 * Assignments write through the target.
 */
int dbg_eval(struct dbg_ctx *ctx, const struct dbg_expr *e, struct dbg_value **ret);
/* The type e would have, without side effects or memory reads (whatis, sizeof). */
int dbg_eval_type(struct dbg_ctx *ctx, const struct dbg_expr *e, struct dbg_type **ret);
/* Parse and evaluate. */
int dbg_eval_string(struct dbg_ctx *ctx, const char *text, struct dbg_value **ret);

#endif
