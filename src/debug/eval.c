/* SPDX-License-Identifier: MIT */
/* The typed evaluator of C expressions over the context's abstract target. */
#include "eval_impl.h"

#include <errno.h>
#include <string.h>

#define MAX_EVAL_DEPTH 512

static int eval(struct ev *ev, const struct dbg_expr *e, struct dbg_value **ret);

static int deref(struct ev *ev, struct dbg_value *v, struct dbg_value **ret)
{
	struct dbg_ctx *ctx = ev->ctx;
	struct dbg_type *s = dbg_type_strip(v->type);
	uint64_t addr;
	int r;

	switch (s->kind) {
	case DBG_TYPE_PTR: {
		struct dbg_type *tt = dbg_type_strip(s->target);

		if (!tt || tt->kind == DBG_TYPE_VOID)
			return dbg_error(ctx, EINVAL, "Attempt to dereference a generic pointer.");
		r = dbg_value_as_address(ctx, v, &addr);
		if (r < 0)
			return r;
		*ret = dbg_value_at(ctx, s->target, addr);
		return *ret ? 0 : -ENOMEM;
	}
	case DBG_TYPE_ARRAY:
		if (v->lval == DBG_LV_MEMORY) {
			*ret = dbg_value_at(ctx, s->target, v->addr);
			return *ret ? 0 : -ENOMEM;
		}
		r = dbg_value_fetch(ctx, v);
		if (r < 0)
			return r;
		*ret = dbg_value_new(ctx, s->target);
		if (!*ret)
			return -ENOMEM;
		memcpy((*ret)->bytes, v->bytes, dbg_type_size(s->target));
		return 0;
	case DBG_TYPE_FUNC:
		*ret = v;
		return 0;
	case DBG_TYPE_INT:
	case DBG_TYPE_CHAR:
	case DBG_TYPE_BOOL:
	case DBG_TYPE_ENUM:
		/* gdb reads an int at an integer used as an address. */
		r = dbg_value_as_address(ctx, v, &addr);
		if (r < 0)
			return r;
		*ret = dbg_value_at(ctx, dbg_builtin(ctx, DBG_BT_INT), addr);
		return *ret ? 0 : -ENOMEM;
	default:
		return dbg_error(ctx, EINVAL, "Attempt to take contents of a non-pointer value.");
	}
}

static int address_of(struct ev *ev, struct dbg_value *v, struct dbg_value **ret)
{
	struct dbg_ctx *ctx = ev->ctx;
	struct dbg_type *pt;

	if (v->lval != DBG_LV_MEMORY)
		return dbg_error(ctx, EINVAL,
		                 "Attempt to take address of value not located in memory.");
	pt = dbg_ctx_pointer_to(ctx, v->type);
	if (!pt)
		return ev_oom(ctx);
	return ev_make_int(ctx, pt, v->addr, ret);
}

/* Part [offset, offset+size of t) of v, with bit position for bitfields. */
static int component(struct ev *ev, struct dbg_value *v, struct dbg_type *t, uint64_t offset,
                     unsigned bitpos, unsigned bitsize, struct dbg_value **ret)
{
	struct dbg_ctx *ctx = ev->ctx;
	uint64_t n = dbg_type_size(t), vn = dbg_type_size(v->type);
	struct dbg_value *c;
	int r;

	if (v->lval == DBG_LV_MEMORY) {
		c = dbg_value_at(ctx, t, v->addr + offset);
		if (!c)
			return -ENOMEM;
		c->bitpos = bitpos;
		c->bitsize = bitsize;
		*ret = c;
		return 0;
	}
	r = dbg_value_fetch(ctx, v);
	if (r < 0)
		return r;
	c = dbg_value_new(ctx, t);
	if (!c)
		return -ENOMEM;
	if (bitsize) {
		uint64_t bits = 0;
		struct dbg_type *s = dbg_type_strip(t);

		for (unsigned i = 0; i < bitsize && i < 64; i++) {
			uint64_t bit = offset * 8 + bitpos + i;

			if (bit / 8 < vn && (v->bytes[bit / 8] >> (bit % 8)) & 1)
				bits |= (uint64_t)1 << i;
		}
		if (bitsize < 64 && !s->is_unsigned && (bits >> (bitsize - 1)) & 1)
			bits |= ~(uint64_t)0 << bitsize;
		dbg_u64_to_bytes(c->bytes, n, bits);
	} else {
		if (offset > vn || n > vn - offset)
			return dbg_error(ctx, EINVAL, "no such vector element");
		memcpy(c->bytes, v->bytes + offset, n);
		if (v->lval != DBG_LV_NONE) {
			c->lval = DBG_LV_COMPONENT;
			c->parent = v;
			c->offset = offset;
		}
	}
	*ret = c;
	return 0;
}

static int member(struct ev *ev, const struct dbg_expr *e, struct dbg_value **ret)
{
	struct dbg_ctx *ctx = ev->ctx;
	struct dbg_value *v;
	struct dbg_type *s;
	const struct dbg_member *m;
	uint64_t off = 0;
	int r = eval(ev, e->a, &v);

	if (r < 0)
		return r;
	s = dbg_type_strip(v->type);
	/* gdb accepts `.` on a pointer and `->` on a structure. */
	if (s->kind == DBG_TYPE_PTR && ev_is_aggregate(s->target)) {
		r = deref(ev, v, &v);
		if (r < 0)
			return r;
		s = dbg_type_strip(v->type);
	}
	if (s->kind != DBG_TYPE_STRUCT && s->kind != DBG_TYPE_UNION)
		return dbg_error(
		        ctx, EINVAL,
		        e->kind == DBG_E_ARROW
		                ? "Attempt to extract a component of a value that is not a "
		                  "structure pointer."
		                : "Attempt to extract a component of a value that is not a "
		                  "structure.");
	m = dbg_type_find_member(s, e->name, &off);
	if (!m)
		return dbg_error(ctx, EINVAL, "There is no member named %s.", e->name);
	return component(ev, v, m->type, off, m->bit_offset, m->bit_size, ret);
}

static int subscript_error(struct dbg_ctx *ctx, const struct dbg_type *t)
{
	struct dbg_buf b = {0};
	int r;

	dbg_type_name(t, &b);
	r = dbg_error(ctx, EINVAL, "cannot subscript something of type `%s'", dbg_buf_str(&b));
	dbg_buf_free(&b);
	return r;
}

static int index_value(struct ev *ev, struct dbg_value *a, struct dbg_value *b,
                       struct dbg_value **ret)
{
	struct dbg_ctx *ctx = ev->ctx;
	struct dbg_type *s = dbg_type_strip(a->type);
	int64_t i;
	int r;

	if (s->kind != DBG_TYPE_ARRAY && s->kind != DBG_TYPE_PTR)
		return subscript_error(ctx, a->type);
	if (!dbg_type_is_arith(b->type))
		return dbg_error(ctx, EINVAL,
		                 "Argument to arithmetic operation not a number or boolean.");
	r = dbg_value_as_int(ctx, b, &i);
	if (r < 0)
		return r;
	if (s->kind == DBG_TYPE_ARRAY) {
		uint64_t es = dbg_type_size(s->target);

		if (a->lval == DBG_LV_MEMORY) {
			*ret = dbg_value_at(ctx, s->target, a->addr + (uint64_t)i * es);
			return *ret ? 0 : -ENOMEM;
		}
		if (i < 0 || (s->has_count && (uint64_t)i >= s->count))
			return dbg_error(ctx, EINVAL, "no such vector element");
		return component(ev, a, s->target, (uint64_t)i * es, 0, 0, ret);
	}
	r = ev_ptr_arith(ev, DBG_OP_ADD, a, b, &a);
	if (r < 0)
		return r;
	return deref(ev, a, ret);
}

static int lookup_ident(struct ev *ev, const char *name, struct dbg_value **ret)
{
	struct dbg_ctx *ctx = ev->ctx;
	struct dbg_symbol sym = {0};
	struct dbg_value *v;
	int r = -ENOENT;

	if (ctx->target.lookup_symbol)
		r = ctx->target.lookup_symbol(ctx->target.data, name, &sym);
	if (r == -ENOENT || (r >= 0 && !sym.type))
		return dbg_error(ctx, ENOENT, "No symbol \"%s\" in current context.", name);
	if (r < 0)
		return dbg_error(ctx, -r, "Cannot look up \"%s\": %s.", name, strerror(-r));
	switch (sym.loc) {
	case DBG_SYM_ADDR:
		v = dbg_value_at(ctx, sym.type, sym.addr);
		break;
	case DBG_SYM_REG: {
		unsigned char buf[64] = {0};
		struct dbg_type *rt = NULL;
		uint64_t n = dbg_type_size(sym.type);

		r = -EIO;
		if (ctx->target.read_register && sym.reg)
			r = ctx->target.read_register(ctx->target.data, sym.reg, &rt, buf,
			                              sizeof(buf));
		if (r < 0)
			return dbg_error(ctx, EIO, "No registers.");
		if (n > sizeof(buf))
			return dbg_error(ctx, EINVAL, "Register \"%s\" is too small for \"%s\".",
			                 sym.reg, name);
		v = dbg_value_new(ctx, sym.type);
		if (!v)
			return -ENOMEM;
		memcpy(v->bytes, buf, n);
		v->lval = DBG_LV_REGISTER;
		v->name = dbg_arena_strdup(&ctx->tmp, sym.reg);
		if (!v->name)
			return ev_oom(ctx);
		break;
	}
	case DBG_SYM_CONST:
		v = dbg_value_new(ctx, sym.type);
		if (!v)
			return -ENOMEM;
		memcpy(v->bytes, sym.bytes,
		       sym.len < dbg_type_size(sym.type) ? sym.len : dbg_type_size(sym.type));
		break;
	default:
		v = dbg_value_new(ctx, sym.type);
		if (!v)
			return -ENOMEM;
		v->optimized_out = true;
		break;
	}
	if (!v)
		return -ENOMEM;
	*ret = v;
	return 0;
}

static int dollar(struct ev *ev, const char *name, struct dbg_value **ret)
{
	struct dbg_ctx *ctx = ev->ctx;
	const struct dbg_value *cv;
	struct dbg_value *v;
	int r = -ENOENT;

	if (ctx->target.read_register) {
		unsigned char buf[64] = {0};
		struct dbg_type *rt = NULL;

		r = ctx->target.read_register(ctx->target.data, name, &rt, buf, sizeof(buf));
		if (r >= 0 && rt) {
			v = dbg_value_new(ctx, rt);
			if (!v)
				return -ENOMEM;
			memcpy(v->bytes, buf,
			       dbg_type_size(rt) < sizeof(buf) ? dbg_type_size(rt) : sizeof(buf));
			v->lval = DBG_LV_REGISTER;
			v->name = name;
			*ret = v;
			return 0;
		}
		if (r != -ENOENT)
			return dbg_error(ctx, EIO, "No registers.");
	}
	cv = dbg_conv_get(ctx, name);
	v = cv ? dbg_value_copy(ctx, cv) : dbg_value_new(ctx, dbg_builtin(ctx, DBG_BT_VOID));
	if (!v)
		return -ENOMEM;
	v->lval = DBG_LV_CONV;
	v->name = name;
	*ret = v;
	return 0;
}

static int history(struct ev *ev, const struct dbg_expr *e, struct dbg_value **ret)
{
	struct dbg_ctx *ctx = ev->ctx;
	const struct dbg_value *h;
	int64_t n;

	if (e->relative) {
		n = (int64_t)ctx->nhistory - (int64_t)e->ival;
		if (n < 1) {
			if (ctx->nhistory == 0 && e->ival == 0)
				return dbg_error(ctx, EINVAL, "The history is empty.");
			return dbg_error(ctx, EINVAL, "History does not go back to $$%llu.",
			                 (unsigned long long)e->ival);
		}
	} else {
		n = (int64_t)e->ival;
	}
	h = dbg_history_get(ctx, (size_t)n);
	if (!h)
		return dbg_error(ctx, EINVAL, "History has not yet reached $%lld.", (long long)n);
	*ret = dbg_value_copy(ctx, h);
	return *ret ? 0 : -ENOMEM;
}

static int unary(struct ev *ev, const struct dbg_expr *e, struct dbg_value **ret)
{
	struct dbg_ctx *ctx = ev->ctx;
	struct dbg_value *v, *one, *nv;
	struct dbg_type *s;
	int r = eval(ev, e->a, &v);

	if (r < 0)
		return r;
	s = dbg_type_strip(v->type);
	switch (e->op) {
	case DBG_OP_DEREF:
		return deref(ev, v, ret);
	case DBG_OP_ADDR:
		return address_of(ev, v, ret);
	case DBG_OP_NOT: {
		bool t;

		if (ev_is_aggregate(s))
			return ev_struct_operator(ctx, e->op);
		r = ev_coerce(ev, v, &v);
		if (r < 0)
			return r;
		if (!dbg_type_is_scalar(v->type))
			return dbg_error(
			        ctx, EINVAL,
			        "Argument to arithmetic operation not a number or boolean.");
		if (!ev_truth_value(v, &t, ctx, &r))
			return r;
		return ev_make_int(ctx, dbg_builtin(ctx, DBG_BT_INT), !t, ret);
	}
	case DBG_OP_NEG:
	case DBG_OP_PLUS:
	case DBG_OP_COMPL:
		if (ev_is_aggregate(s))
			return ev_struct_operator(ctx, e->op);
		if (s->kind == DBG_TYPE_FLOAT) {
			long double d;

			if (e->op == DBG_OP_COMPL)
				return dbg_error(ctx, EINVAL,
				                 "Argument to complement operation not an integer, "
				                 "boolean.");
			r = dbg_value_as_float(ctx, v, &d);
			if (r < 0)
				return r;
			*ret = dbg_value_from_float(ctx, v->type, e->op == DBG_OP_NEG ? 0 - d : d);
			return *ret ? 0 : -ENOMEM;
		}
		if (dbg_type_is_integral(s)) {
			int64_t i;
			struct dbg_type *rt = ev_int_result(ctx, s, NULL);

			r = dbg_value_as_int(ctx, v, &i);
			if (r < 0)
				return r;
			return ev_make_int(ctx, rt,
			                   e->op == DBG_OP_NEG     ? 0 - (uint64_t)i
			                   : e->op == DBG_OP_COMPL ? ~(uint64_t)i
			                                           : (uint64_t)i,
			                   ret);
		}
		if (e->op == DBG_OP_COMPL)
			return dbg_error(
			        ctx, EINVAL,
			        "Argument to complement operation not an integer, boolean.");
		return dbg_error(ctx, EINVAL,
		                 "Argument to arithmetic operation not a number or boolean.");
	default: {
		/* ++ and --: an assignment of v +/- 1; the postfix forms yield the old value. */
		bool inc = e->op == DBG_OP_PREINC || e->op == DBG_OP_POSTINC;
		struct dbg_value *old;

		r = dbg_value_fetch(ctx, v);
		if (r < 0)
			return r;
		old = dbg_value_copy(ctx, v);
		one = dbg_value_from_int(ctx, dbg_builtin(ctx, DBG_BT_INT), 1);
		if (!old || !one)
			return -ENOMEM;
		old->lval = DBG_LV_NONE;
		r = ev_binop_values(ev, inc ? DBG_OP_ADD : DBG_OP_SUB, v, one, &nv);
		if (r < 0)
			return r;
		r = ev_assign(ev, v, nv, ret);
		if (r < 0)
			return r;
		if (e->op == DBG_OP_POSTINC || e->op == DBG_OP_POSTDEC)
			*ret = old;
		return 0;
	}
	}
}

static int eval_inner(struct ev *ev, const struct dbg_expr *e, struct dbg_value **ret)
{
	struct dbg_ctx *ctx = ev->ctx;
	struct dbg_value *a, *b;
	int r;

	switch (e->kind) {
	case DBG_E_INT:
		return ev_make_int(ctx, e->type, e->ival, ret);
	case DBG_E_FLOAT:
		*ret = dbg_value_from_float(ctx, e->type, e->fval);
		return *ret ? 0 : -ENOMEM;
	case DBG_E_STRING: {
		struct dbg_type *t =
		        dbg_ctx_array_of(ctx, dbg_builtin(ctx, DBG_BT_CHAR), e->len + 1);

		if (!t)
			return ev_oom(ctx);
		a = dbg_value_new(ctx, t);
		if (!a)
			return -ENOMEM;
		memcpy(a->bytes, e->str, e->len + 1);
		*ret = a;
		return 0;
	}
	case DBG_E_IDENT:
		return lookup_ident(ev, e->name, ret);
	case DBG_E_DOLLAR:
		return dollar(ev, e->name, ret);
	case DBG_E_HISTORY:
		return history(ev, e, ret);
	case DBG_E_UNARY:
		return unary(ev, e, ret);
	case DBG_E_BINARY:
		if (e->op == DBG_OP_LAND || e->op == DBG_OP_LOR) {
			bool ta, tb = false;

			r = eval(ev, e->a, &a);
			if (r < 0)
				return r;
			if (ev_is_aggregate(a->type))
				return ev_struct_operator(ctx, e->op);
			r = ev_coerce(ev, a, &a);
			if (r < 0)
				return r;
			if (!dbg_type_is_scalar(a->type))
				return dbg_error(ctx, EINVAL,
				                 "Argument to arithmetic operation not a number or "
				                 "boolean.");
			if (!ev_truth_value(a, &ta, ctx, &r))
				return r;
			/* Short-circuit: the right side is not evaluated when the left decides. */
			if ((e->op == DBG_OP_LAND && ta) || (e->op == DBG_OP_LOR && !ta) ||
			    ctx->noside) {
				r = eval(ev, e->b, &b);
				if (r < 0)
					return r;
				if (ev_is_aggregate(b->type))
					return ev_struct_operator(ctx, e->op);
				r = ev_coerce(ev, b, &b);
				if (r < 0)
					return r;
				if (!dbg_type_is_scalar(b->type))
					return dbg_error(ctx, EINVAL,
					                 "Argument to arithmetic operation not a "
					                 "number or boolean.");
				if (!ev_truth_value(b, &tb, ctx, &r))
					return r;
			}
			return ev_make_int(ctx, dbg_builtin(ctx, DBG_BT_INT),
			                   e->op == DBG_OP_LAND ? (ta && tb) : (ta || tb), ret);
		}
		r = eval(ev, e->a, &a);
		if (r >= 0)
			r = eval(ev, e->b, &b);
		if (r < 0)
			return r;
		return ev_binop_values(ev, e->op, a, b, ret);
	case DBG_E_ASSIGN:
		r = eval(ev, e->a, &a);
		if (r >= 0)
			r = eval(ev, e->b, &b);
		if (r < 0)
			return r;
		if (e->op != DBG_OP_ASSIGN) {
			if (a->lval == DBG_LV_NONE)
				return dbg_error(ctx, EINVAL,
				                 "Left operand of assignment is not an lvalue.");
			r = ev_binop_values(ev, e->op, a, b, &b);
			if (r < 0)
				return r;
		}
		return ev_assign(ev, a, b, ret);
	case DBG_E_COND: {
		bool t = true;

		r = eval(ev, e->a, &a);
		if (r < 0)
			return r;
		if (ev_is_aggregate(a->type))
			return ev_struct_operator(ctx, DBG_OP_NOT);
		r = ev_coerce(ev, a, &a);
		if (r < 0)
			return r;
		if (!ctx->noside && !ev_truth_value(a, &t, ctx, &r))
			return r;
		return eval(ev, t ? e->b : e->c, ret);
	}
	case DBG_E_CAST:
		r = eval(ev, e->a, &a);
		if (r < 0)
			return r;
		return ev_cast_value(ev, e->type, a, ret);
	case DBG_E_SIZEOF_TYPE:
		return ev_make_int(ctx, dbg_builtin(ctx, DBG_BT_INT), dbg_type_size(e->type), ret);
	case DBG_E_SIZEOF_EXPR: {
		bool saved = ctx->noside;

		ctx->noside = true;
		r = eval(ev, e->a, &a);
		ctx->noside = saved;
		if (r < 0)
			return r;
		return ev_make_int(ctx, dbg_builtin(ctx, DBG_BT_INT), dbg_type_size(a->type), ret);
	}
	case DBG_E_MEMBER:
	case DBG_E_ARROW:
		return member(ev, e, ret);
	case DBG_E_INDEX:
		r = eval(ev, e->a, &a);
		if (r >= 0)
			r = eval(ev, e->b, &b);
		if (r < 0)
			return r;
		return index_value(ev, a, b, ret);
	case DBG_E_AT: {
		int64_t n;
		struct dbg_type *t;

		r = eval(ev, e->a, &a);
		if (r >= 0)
			r = eval(ev, e->b, &b);
		if (r < 0)
			return r;
		if (a->lval != DBG_LV_MEMORY)
			return dbg_error(ctx, EINVAL,
			                 "Only values in memory can be extended with '@'.");
		if (!dbg_type_is_integral(b->type))
			return dbg_error(ctx, EINVAL,
			                 "Non-integral right operand for \"@\" operator.");
		r = dbg_value_as_int(ctx, b, &n);
		if (r < 0)
			return r;
		if (n <= 0)
			return dbg_error(ctx, EINVAL, "Invalid number %lld of repetitions.",
			                 (long long)n);
		if ((uint64_t)n > (1ull << 32))
			return dbg_error(ctx, EFBIG,
			                 "value requires more than max-value-size bytes");
		t = dbg_ctx_array_of(ctx, a->type, (uint64_t)n);
		if (!t)
			return ev_oom(ctx);
		*ret = dbg_value_at(ctx, t, a->addr);
		return *ret ? 0 : -ENOMEM;
	}
	case DBG_E_BRACE: {
		uint64_t addr;

		r = eval(ev, e->a, &a);
		if (r < 0)
			return r;
		r = dbg_value_as_address(ctx, a, &addr);
		if (r < 0)
			return r;
		*ret = dbg_value_at(ctx, e->type, addr);
		return *ret ? 0 : -ENOMEM;
	}
	case DBG_E_CALL:
		return dbg_error(ctx, ENOTSUP,
		                 "Calling functions in the program is not supported.");
	case DBG_E_COMMA:
		r = eval(ev, e->a, &a);
		if (r < 0)
			return r;
		return eval(ev, e->b, ret);
	}
	return dbg_error(ctx, EINVAL, "Invalid expression.");
}

static int eval(struct ev *ev, const struct dbg_expr *e, struct dbg_value **ret)
{
	int r;

	if (++ev->depth > MAX_EVAL_DEPTH)
		return dbg_error(ev->ctx, EINVAL, "Expression too deeply nested.");
	r = eval_inner(ev, e, ret);
	ev->depth--;
	return r;
}

int dbg_eval(struct dbg_ctx *ctx, const struct dbg_expr *e, struct dbg_value **ret)
{
	struct ev ev = {.ctx = ctx};

	return eval(&ev, e, ret);
}

int dbg_eval_type(struct dbg_ctx *ctx, const struct dbg_expr *e, struct dbg_type **ret)
{
	struct ev ev = {.ctx = ctx};
	struct dbg_value *v;
	bool saved = ctx->noside;
	int r;

	ctx->noside = true;
	r = eval(&ev, e, &v);
	ctx->noside = saved;
	if (r < 0)
		return r;
	*ret = v->type;
	return 0;
}

int dbg_eval_string(struct dbg_ctx *ctx, const char *text, struct dbg_value **ret)
{
	struct dbg_expr *e;
	int r = dbg_expr_parse(ctx, text, &e);

	if (r < 0)
		return r;
	return dbg_eval(ctx, e, ret);
}
