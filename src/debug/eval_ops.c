/* SPDX-License-Identifier: MIT */
/* Operators of the evaluator: C's conversions and arithmetic, casts and assignment. */
#include "eval_impl.h"

#include <errno.h>
#include <string.h>

int ev_oom(struct dbg_ctx *ctx)
{
	return dbg_error(ctx, ENOMEM, "Out of memory.");
}

static const char *op_text(enum dbg_op op)
{
	static const char *const t[] = {
	        [DBG_OP_ADD] = "+",      [DBG_OP_SUB] = "-",      [DBG_OP_MUL] = "*",
	        [DBG_OP_DIV] = "/",      [DBG_OP_MOD] = "%",      [DBG_OP_SHL] = "<<",
	        [DBG_OP_SHR] = ">>",     [DBG_OP_LT] = "<",       [DBG_OP_GT] = ">",
	        [DBG_OP_LE] = "<=",      [DBG_OP_GE] = ">=",      [DBG_OP_EQ] = "==",
	        [DBG_OP_NE] = "!=",      [DBG_OP_BITAND] = "&",   [DBG_OP_BITOR] = "|",
	        [DBG_OP_XOR] = "^",      [DBG_OP_LAND] = "&&",    [DBG_OP_LOR] = "||",
	        [DBG_OP_NEG] = "-",      [DBG_OP_PLUS] = "+",     [DBG_OP_NOT] = "!",
	        [DBG_OP_COMPL] = "~",    [DBG_OP_PREINC] = "++",  [DBG_OP_PREDEC] = "--",
	        [DBG_OP_POSTINC] = "++", [DBG_OP_POSTDEC] = "--",
	};

	return op < sizeof(t) / sizeof(t[0]) && t[op] ? t[op] : "?";
}

bool ev_is_aggregate(const struct dbg_type *t)
{
	t = dbg_type_strip(t);
	return t && (t->kind == DBG_TYPE_STRUCT || t->kind == DBG_TYPE_UNION);
}

int ev_struct_operator(struct dbg_ctx *ctx, enum dbg_op op)
{
	return dbg_error(ctx, EINVAL, "Structure has no component named operator%s.", op_text(op));
}

/* Arrays decay to a pointer to their first element, functions to a pointer to them. */
int ev_coerce(struct ev *ev, struct dbg_value *v, struct dbg_value **ret)
{
	struct dbg_ctx *ctx = ev->ctx;
	struct dbg_type *s = dbg_type_strip(v->type);
	struct dbg_type *pt;
	struct dbg_value *p;

	if (!s || (s->kind != DBG_TYPE_ARRAY && s->kind != DBG_TYPE_FUNC)) {
		*ret = v;
		return 0;
	}
	if (v->lval != DBG_LV_MEMORY)
		return dbg_error(ctx, EINVAL,
		                 "Attempt to take address of value not located in memory.");
	pt = dbg_ctx_pointer_to(ctx, s->kind == DBG_TYPE_ARRAY ? s->target : v->type);
	if (!pt)
		return ev_oom(ctx);
	p = dbg_value_from_int(ctx, pt, v->addr);
	if (!p)
		return -ENOMEM;
	*ret = p;
	return 0;
}

/* The type of integer arithmetic on types a and b, by gdb's rules (sizes, then signedness). */
struct dbg_type *ev_int_result(struct dbg_ctx *ctx, const struct dbg_type *a,
                               const struct dbg_type *b)
{
	uint64_t la = dbg_type_size(a), lb = b ? dbg_type_size(b) : 0;
	bool ua = dbg_type_strip(a)->is_unsigned, ub = b ? dbg_type_strip(b)->is_unsigned : false;
	uint64_t len;
	bool uns;

	/* Integer promotion: narrower than int becomes (signed) int. */
	if (la < 4) {
		la = 4;
		ua = false;
	}
	if (b && lb < 4) {
		lb = 4;
		ub = false;
	}
	if (!b) {
		len = la;
		uns = ua;
	} else if (la > lb) {
		len = la;
		uns = ua;
	} else if (lb > la) {
		len = lb;
		uns = ub;
	} else {
		len = la;
		uns = ua || ub;
	}
	if (len <= 4)
		return dbg_builtin(ctx, uns ? DBG_BT_UINT : DBG_BT_INT);
	return dbg_builtin(ctx, uns ? DBG_BT_ULONG : DBG_BT_LONG);
}

static struct dbg_type *float_result(struct dbg_ctx *ctx, const struct dbg_type *a,
                                     const struct dbg_type *b)
{
	const struct dbg_type *sa = dbg_type_strip(a), *sb = b ? dbg_type_strip(b) : NULL;
	uint64_t size = 0;

	if (sa->kind == DBG_TYPE_FLOAT)
		size = sa->size;
	if (sb && sb->kind == DBG_TYPE_FLOAT && sb->size > size)
		size = sb->size;
	if (size <= 4)
		return dbg_builtin(ctx, DBG_BT_FLOAT);
	if (size <= 8)
		return dbg_builtin(ctx, DBG_BT_DOUBLE);
	return dbg_builtin(ctx, DBG_BT_LDOUBLE);
}

bool ev_truth_value(struct dbg_value *v, bool *ret, struct dbg_ctx *ctx, int *err)
{
	struct dbg_type *s = dbg_type_strip(v->type);

	if (s->kind == DBG_TYPE_FLOAT) {
		long double d;

		*err = dbg_value_as_float(ctx, v, &d);
		*ret = d != 0;
	} else {
		int64_t i;

		*err = dbg_value_as_int(ctx, v, &i);
		*ret = i != 0;
	}
	return *err == 0;
}

int ev_make_int(struct dbg_ctx *ctx, struct dbg_type *t, uint64_t x, struct dbg_value **ret)
{
	*ret = dbg_value_from_int(ctx, t, x);
	return *ret ? 0 : -ENOMEM;
}

static uint64_t elem_size(const struct dbg_type *ptr)
{
	const struct dbg_type *t = dbg_type_strip(dbg_type_strip(ptr)->target);

	uint64_t n;

	if (!t || t->kind == DBG_TYPE_VOID || t->kind == DBG_TYPE_FUNC)
		return 1;
	/* Incomplete arrays and empty structs count as one byte, as void does. */
	n = dbg_type_size(t);
	return n ? n : 1;
}

int ev_ptr_arith(struct ev *ev, enum dbg_op op, struct dbg_value *a, struct dbg_value *b,
                 struct dbg_value **ret)
{
	struct dbg_ctx *ctx = ev->ctx;
	struct dbg_type *sa = dbg_type_strip(a->type), *sb = dbg_type_strip(b->type);
	bool pa = sa->kind == DBG_TYPE_PTR, pb = sb->kind == DBG_TYPE_PTR;
	int64_t x, y;
	int r;

	if (op == DBG_OP_ADD && pa != pb && dbg_type_is_integral(pa ? sb : sa)) {
		struct dbg_value *p = pa ? a : b, *n = pa ? b : a;

		r = dbg_value_as_int(ctx, p, &x);
		if (r >= 0)
			r = dbg_value_as_int(ctx, n, &y);
		if (r < 0)
			return r;
		return ev_make_int(ctx, p->type, (uint64_t)x + (uint64_t)y * elem_size(p->type),
		                   ret);
	}
	if (op == DBG_OP_SUB && pa && dbg_type_is_integral(sb)) {
		r = dbg_value_as_int(ctx, a, &x);
		if (r >= 0)
			r = dbg_value_as_int(ctx, b, &y);
		if (r < 0)
			return r;
		return ev_make_int(ctx, a->type, (uint64_t)x - (uint64_t)y * elem_size(a->type),
		                   ret);
	}
	if (op == DBG_OP_SUB && pa && pb) {
		uint64_t es = elem_size(a->type);

		if (es != elem_size(b->type))
			return dbg_error(
			        ctx, EINVAL,
			        "First argument of `-' is a pointer and second argument is "
			        "neither an integer nor a pointer of the same type.");
		r = dbg_value_as_int(ctx, a, &x);
		if (r >= 0)
			r = dbg_value_as_int(ctx, b, &y);
		if (r < 0)
			return r;
		return ev_make_int(ctx, dbg_builtin(ctx, DBG_BT_LONG),
		                   (uint64_t)(((int64_t)((uint64_t)x - (uint64_t)y)) / (int64_t)es),
		                   ret);
	}
	if (op >= DBG_OP_LT && op <= DBG_OP_NE && (pa || dbg_type_is_integral(sa)) &&
	    (pb || dbg_type_is_integral(sb))) {
		uint64_t ux, uy;
		bool c;

		r = dbg_value_as_int(ctx, a, &x);
		if (r >= 0)
			r = dbg_value_as_int(ctx, b, &y);
		if (r < 0)
			return r;
		ux = (uint64_t)x;
		uy = (uint64_t)y;
		c = op == DBG_OP_LT   ? ux < uy
		    : op == DBG_OP_GT ? ux > uy
		    : op == DBG_OP_LE ? ux <= uy
		    : op == DBG_OP_GE ? ux >= uy
		    : op == DBG_OP_EQ ? ux == uy
		                      : ux != uy;
		return ev_make_int(ctx, dbg_builtin(ctx, DBG_BT_INT), c, ret);
	}
	return dbg_error(ctx, EINVAL, "Argument to arithmetic operation not a number or boolean.");
}

int ev_binop_values(struct ev *ev, enum dbg_op op, struct dbg_value *a, struct dbg_value *b,
                    struct dbg_value **ret)
{
	struct dbg_ctx *ctx = ev->ctx;
	struct dbg_type *sa, *sb, *rt;
	int r;

	if (ev_is_aggregate(a->type) || ev_is_aggregate(b->type))
		return ev_struct_operator(ctx, op);
	r = ev_coerce(ev, a, &a);
	if (r >= 0)
		r = ev_coerce(ev, b, &b);
	if (r < 0)
		return r;
	sa = dbg_type_strip(a->type);
	sb = dbg_type_strip(b->type);
	if (sa->kind == DBG_TYPE_PTR || sb->kind == DBG_TYPE_PTR)
		return ev_ptr_arith(ev, op, a, b, ret);
	if (!dbg_type_is_arith(sa) || !dbg_type_is_arith(sb))
		return dbg_error(ctx, EINVAL,
		                 "Argument to arithmetic operation not a number or boolean.");
	if (sa->kind == DBG_TYPE_FLOAT || sb->kind == DBG_TYPE_FLOAT) {
		long double x, y, z = 0;
		int c = -1;

		if (op == DBG_OP_MOD || op == DBG_OP_SHL || op == DBG_OP_SHR ||
		    op == DBG_OP_BITAND || op == DBG_OP_BITOR || op == DBG_OP_XOR)
			return dbg_error(ctx, EINVAL,
			                 "Integer-only operation on floating point number.");
		r = dbg_value_as_float(ctx, a, &x);
		if (r >= 0)
			r = dbg_value_as_float(ctx, b, &y);
		if (r < 0)
			return r;
		rt = float_result(ctx, sa, sb);
		/* Compute in the result's precision, as the target would. */
		if (rt->size == 4) {
			x = (float)x;
			y = (float)y;
		} else if (rt->size == 8) {
			x = (double)x;
			y = (double)y;
		}
		switch (op) {
		case DBG_OP_ADD:
			z = x + y;
			break;
		case DBG_OP_SUB:
			z = x - y;
			break;
		case DBG_OP_MUL:
			z = x * y;
			break;
		case DBG_OP_DIV:
			z = x / y;
			break;
		case DBG_OP_LT:
			c = x < y;
			break;
		case DBG_OP_GT:
			c = x > y;
			break;
		case DBG_OP_LE:
			c = x <= y;
			break;
		case DBG_OP_GE:
			c = x >= y;
			break;
		case DBG_OP_EQ:
			c = x == y;
			break;
		case DBG_OP_NE:
			c = x != y;
			break;
		default:
			return dbg_error(ctx, EINVAL, "Unsupported operator %s.", op_text(op));
		}
		if (c >= 0)
			return ev_make_int(ctx, dbg_builtin(ctx, DBG_BT_INT), (uint64_t)c, ret);
		*ret = dbg_value_from_float(ctx, rt, z);
		return *ret ? 0 : -ENOMEM;
	}

	{
		int64_t xi, yi;
		uint64_t x, y, z = 0;
		unsigned bits;
		bool uns;
		int c = -1;

		r = dbg_value_as_int(ctx, a, &xi);
		if (r >= 0)
			r = dbg_value_as_int(ctx, b, &yi);
		if (r < 0)
			return r;
		if (op == DBG_OP_SHL || op == DBG_OP_SHR)
			rt = ev_int_result(ctx, sa, NULL);
		else
			rt = ev_int_result(ctx, sa, sb);
		uns = rt->is_unsigned;
		bits = (unsigned)rt->size * 8;
		x = (uint64_t)xi;
		y = (uint64_t)yi;
		if (bits < 64 && !(op == DBG_OP_SHL || op == DBG_OP_SHR)) {
			/* Operands converted to the result type (C's usual conversions). */
			uint64_t m = ((uint64_t)1 << bits) - 1;

			x &= m;
			y &= m;
			if (!uns) {
				x = dbg_bytes_to_u64((unsigned char *)&x, bits / 8, true);
				y = dbg_bytes_to_u64((unsigned char *)&y, bits / 8, true);
			}
		}
		switch (op) {
		case DBG_OP_ADD:
			z = x + y;
			break;
		case DBG_OP_SUB:
			z = x - y;
			break;
		case DBG_OP_MUL:
			z = x * y;
			break;
		case DBG_OP_DIV:
		case DBG_OP_MOD:
			if (y == 0) {
				if (ctx->noside)
					break;
				return dbg_error(ctx, EDOM, "Division by zero");
			}
			if (uns) {
				if (bits < 64) {
					x &= ((uint64_t)1 << bits) - 1;
					y &= ((uint64_t)1 << bits) - 1;
				}
				z = op == DBG_OP_DIV ? x / y : x % y;
			} else if ((int64_t)x == INT64_MIN && (int64_t)y == -1) {
				z = op == DBG_OP_DIV ? x : 0;
			} else {
				z = (uint64_t)(op == DBG_OP_DIV ? (int64_t)x / (int64_t)y
				                                : (int64_t)x % (int64_t)y);
			}
			break;
		case DBG_OP_SHL:
		case DBG_OP_SHR:
			/* gdb warns and yields 0 for negative or too-large counts. */
			if ((int64_t)y < 0 || y >= bits) {
				z = 0;
			} else if (op == DBG_OP_SHL) {
				z = x << y;
			} else if (uns) {
				if (bits < 64)
					x &= ((uint64_t)1 << bits) - 1;
				z = x >> y;
			} else {
				z = (uint64_t)((int64_t)x >> y);
			}
			break;
		case DBG_OP_BITAND:
			z = x & y;
			break;
		case DBG_OP_BITOR:
			z = x | y;
			break;
		case DBG_OP_XOR:
			z = x ^ y;
			break;
		case DBG_OP_LT:
		case DBG_OP_GT:
		case DBG_OP_LE:
		case DBG_OP_GE:
			if (uns) {
				if (bits < 64) {
					x &= ((uint64_t)1 << bits) - 1;
					y &= ((uint64_t)1 << bits) - 1;
				}
				c = op == DBG_OP_LT   ? x < y
				    : op == DBG_OP_GT ? x > y
				    : op == DBG_OP_LE ? x <= y
				                      : x >= y;
			} else {
				int64_t sx = (int64_t)x, sy = (int64_t)y;

				c = op == DBG_OP_LT   ? sx < sy
				    : op == DBG_OP_GT ? sx > sy
				    : op == DBG_OP_LE ? sx <= sy
				                      : sx >= sy;
			}
			break;
		case DBG_OP_EQ:
			c = x == y;
			break;
		case DBG_OP_NE:
			c = x != y;
			break;
		default:
			return dbg_error(ctx, EINVAL, "Unsupported operator %s.", op_text(op));
		}
		if (c >= 0)
			return ev_make_int(ctx, dbg_builtin(ctx, DBG_BT_INT), (uint64_t)c, ret);
		return ev_make_int(ctx, rt, z, ret);
	}
}

/* Convert v to type t as a C cast does; the result is not an lvalue. */
int ev_cast_value(struct ev *ev, struct dbg_type *t, struct dbg_value *v, struct dbg_value **ret)
{
	struct dbg_ctx *ctx = ev->ctx;
	struct dbg_type *dst = dbg_type_strip(t), *src = dbg_type_strip(v->type);
	struct dbg_value *r;
	int rc;

	switch (dst->kind) {
	case DBG_TYPE_VOID:
		r = dbg_value_new(ctx, t);
		if (!r)
			return -ENOMEM;
		*ret = r;
		return 0;
	case DBG_TYPE_INT:
	case DBG_TYPE_CHAR:
	case DBG_TYPE_BOOL:
	case DBG_TYPE_ENUM:
	case DBG_TYPE_PTR:
		rc = ev_coerce(ev, v, &v);
		if (rc < 0)
			return rc;
		src = dbg_type_strip(v->type);
		if (src->kind == DBG_TYPE_FLOAT) {
			long double d;

			if (dst->kind == DBG_TYPE_PTR)
				return dbg_error(ctx, EINVAL, "Invalid cast.");
			rc = dbg_value_as_float(ctx, v, &d);
			if (rc < 0)
				return rc;
			*ret = dbg_value_from_float(ctx, t, d);
			return *ret ? 0 : -ENOMEM;
		}
		if (dbg_type_is_integral(src) || src->kind == DBG_TYPE_PTR ||
		    src->kind == DBG_TYPE_FLAGS) {
			int64_t i;

			rc = dbg_value_as_int(ctx, v, &i);
			if (rc < 0)
				return rc;
			return ev_make_int(ctx, t, (uint64_t)i, ret);
		}
		return dbg_error(ctx, EINVAL, "Invalid cast.");
	case DBG_TYPE_FLOAT:
		if (dbg_type_is_arith(src)) {
			long double d;

			rc = dbg_value_as_float(ctx, v, &d);
			if (rc < 0)
				return rc;
			*ret = dbg_value_from_float(ctx, t, d);
			return *ret ? 0 : -ENOMEM;
		}
		return dbg_error(ctx, EINVAL, "Invalid cast.");
	case DBG_TYPE_STRUCT:
	case DBG_TYPE_UNION:
	case DBG_TYPE_ARRAY:
		/* Same type, or (arrays) a reinterpretation of as many bytes. */
		if (src == dst ||
		    (src->kind == dst->kind && dst->kind != DBG_TYPE_ARRAY && src->name &&
		     dst->name && strcmp(src->name, dst->name) == 0 && src->size == dst->size) ||
		    (dst->kind == DBG_TYPE_ARRAY && dbg_type_size(dst) == dbg_type_size(src) &&
		     dbg_type_size(src) > 0)) {
			rc = dbg_value_fetch(ctx, v);
			if (rc < 0)
				return rc;
			r = dbg_value_new(ctx, t);
			if (!r)
				return -ENOMEM;
			memcpy(r->bytes, v->bytes, dbg_type_size(t));
			*ret = r;
			return 0;
		}
		return dbg_error(ctx, EINVAL, "Invalid cast.");
	default:
		return dbg_error(ctx, EINVAL, "Invalid cast.");
	}
}

/* Store `bytes` (of lhs's type) into lvalue lhs through the target. */
static int store(struct ev *ev, struct dbg_value *lhs, const unsigned char *bytes)
{
	struct dbg_ctx *ctx = ev->ctx;
	uint64_t n = dbg_type_size(lhs->type);
	int r;

	if (ctx->noside)
		return 0;
	switch (lhs->lval) {
	case DBG_LV_MEMORY:
		if (lhs->bitsize) {
			unsigned char raw[9] = {0};
			size_t nb = (lhs->bitpos + lhs->bitsize + 7) / 8;
			uint64_t val = dbg_bytes_to_u64(bytes, n, false);

			r = dbg_read_memory(ctx, lhs->addr, raw, nb);
			if (r < 0)
				return r;
			for (unsigned i = 0; i < lhs->bitsize; i++) {
				unsigned bit = lhs->bitpos + i;

				if ((val >> i) & 1)
					raw[bit / 8] |= (unsigned char)(1u << (bit % 8));
				else
					raw[bit / 8] &= (unsigned char)~(1u << (bit % 8));
			}
			return dbg_write_memory(ctx, lhs->addr, raw, nb);
		}
		return dbg_write_memory(ctx, lhs->addr, bytes, n);
	case DBG_LV_REGISTER:
		if (!ctx->target.write_register)
			return dbg_error(ctx, EIO, "No registers.");
		r = ctx->target.write_register(ctx->target.data, lhs->name, bytes, n);
		if (r < 0)
			return dbg_error(ctx, -r, "Could not write register \"%s\".", lhs->name);
		return 0;
	case DBG_LV_COMPONENT: {
		struct dbg_value *p = lhs->parent;
		uint64_t pn = dbg_type_size(p->type);
		unsigned char *copy;

		if (lhs->offset + n > pn)
			return dbg_error(ctx, EINVAL,
			                 "Left operand of assignment is not an lvalue.");
		copy = dbg_arena_memdup(&ctx->tmp, p->bytes, pn ? pn : 1);
		if (!copy)
			return ev_oom(ctx);
		memcpy(copy + lhs->offset, bytes, n);
		if (p->lval == DBG_LV_CONV) {
			struct dbg_value *nv = dbg_value_new(ctx, p->type);

			if (!nv)
				return -ENOMEM;
			memcpy(nv->bytes, copy, pn);
			return dbg_conv_set(ctx, p->name, nv);
		}
		r = store(ev, p, copy);
		if (r == 0)
			memcpy(p->bytes, copy, pn);
		return r;
	}
	default:
		return dbg_error(ctx, EINVAL, "Left operand of assignment is not an lvalue.");
	}
}

int ev_assign(struct ev *ev, struct dbg_value *lhs, struct dbg_value *rhs, struct dbg_value **ret)
{
	struct dbg_ctx *ctx = ev->ctx;
	struct dbg_value *conv, *res;
	int r;

	if (lhs->lval == DBG_LV_NONE)
		return dbg_error(ctx, EINVAL, "Left operand of assignment is not an lvalue.");
	if (lhs->lval == DBG_LV_CONV) {
		/* A convenience variable takes the type of what is assigned. */
		r = dbg_value_fetch(ctx, rhs);
		if (r < 0)
			return r;
		if (!ctx->noside) {
			r = dbg_conv_set(ctx, lhs->name, rhs);
			if (r < 0)
				return r;
		}
		res = dbg_value_copy(ctx, rhs);
		if (!res)
			return -ENOMEM;
		res->lval = DBG_LV_CONV;
		res->name = lhs->name;
		*ret = res;
		return 0;
	}
	r = ev_cast_value(ev, lhs->type, rhs, &conv);
	if (r < 0)
		return r;
	r = store(ev, lhs, conv->bytes);
	if (r < 0)
		return r;
	res = dbg_value_copy(ctx, conv);
	if (!res)
		return -ENOMEM;
	res->type = lhs->type;
	res->lval = lhs->lval;
	res->addr = lhs->addr;
	res->name = lhs->name;
	res->parent = lhs->parent;
	res->offset = lhs->offset;
	res->bitpos = lhs->bitpos;
	res->bitsize = lhs->bitsize;
	*ret = res;
	return 0;
}
