/* SPDX-License-Identifier: MIT */
/* Internal to the evaluator: its state and the operations shared by eval.c and eval_ops.c. */
#ifndef PTK_DEBUG_EVAL_IMPL_H
#define PTK_DEBUG_EVAL_IMPL_H

#include "expr.h"

struct ev {
	struct dbg_ctx *ctx;
	int depth;
};

int ev_oom(struct dbg_ctx *ctx);
bool ev_is_aggregate(const struct dbg_type *t);
/* gdb's error for an operator applied to a struct or union. */
int ev_struct_operator(struct dbg_ctx *ctx, enum dbg_op op);
/* Arrays decay to a pointer to their first element, functions to a pointer to them. */
int ev_coerce(struct ev *ev, struct dbg_value *v, struct dbg_value **ret);
/* The type of integer arithmetic on a (and b, or NULL for unary and shifts). */
struct dbg_type *ev_int_result(struct dbg_ctx *ctx, const struct dbg_type *a,
                               const struct dbg_type *b);
/* Is scalar v non-zero?  false with *err set when it cannot be read. */
bool ev_truth_value(struct dbg_value *v, bool *ret, struct dbg_ctx *ctx, int *err);
int ev_make_int(struct dbg_ctx *ctx, struct dbg_type *t, uint64_t x, struct dbg_value **ret);
/* Pointer arithmetic and comparisons (one operand at least is a pointer). */
int ev_ptr_arith(struct ev *ev, enum dbg_op op, struct dbg_value *a, struct dbg_value *b,
                 struct dbg_value **ret);
/* a op b for the binary operators other than && and ||. */
int ev_binop_values(struct ev *ev, enum dbg_op op, struct dbg_value *a, struct dbg_value *b,
                    struct dbg_value **ret);
/* Convert v to type t as a C cast does; the result is not an lvalue. */
int ev_cast_value(struct ev *ev, struct dbg_type *t, struct dbg_value *v, struct dbg_value **ret);
/* lhs = rhs through the target (or the convenience variable); *ret is the new value. */
int ev_assign(struct ev *ev, struct dbg_value *lhs, struct dbg_value *rhs, struct dbg_value **ret);

#endif
