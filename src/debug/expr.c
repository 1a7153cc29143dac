/* SPDX-License-Identifier: MIT */
/* Recursive-descent parser for gdb's C expressions (precedence as in gdb's C grammar). */
#include "expr_impl.h"

#include <ctype.h>
#include <errno.h>
#include <string.h>

static struct dbg_expr *node(struct parser *p, enum dbg_expr_kind kind)
{
	struct dbg_expr *e = expr_palloc(p, sizeof(*e));

	if (e)
		e->kind = kind;
	return e;
}

static int parse_comma(struct parser *p, struct dbg_expr **ret);
static int parse_assign(struct parser *p, struct dbg_expr **ret);
static int parse_cond(struct parser *p, struct dbg_expr **ret);
static int parse_unary(struct parser *p, struct dbg_expr **ret);

static int parse_primary(struct parser *p, struct dbg_expr **ret)
{
	struct dbg_ctx *ctx = p->ctx;
	struct dbg_expr *e = NULL;
	int r;

	switch (p->tok.kind) {
	case T_INT:
		e = node(p, DBG_E_INT);
		if (!e)
			return p->err;
		e->ival = p->tok.ival;
		e->type = p->tok.type;
		break;
	case T_FLOAT:
		e = node(p, DBG_E_FLOAT);
		if (!e)
			return p->err;
		e->fval = p->tok.fval;
		e->type = p->tok.type;
		break;
	case T_STRING: {
		struct dbg_buf b = {0};

		/* Adjacent string literals concatenate. */
		while (p->tok.kind == T_STRING) {
			dbg_buf_putn(&b, p->tok.str, p->tok.slen);
			r = expr_lex(p);
			if (r < 0) {
				dbg_buf_free(&b);
				return r;
			}
		}
		e = node(p, DBG_E_STRING);
		if (e) {
			e->len = b.len;
			e->str = dbg_arena_memdup(&ctx->tmp, b.len ? b.s : "", b.len + 1);
		}
		if (b.oom || !e || !e->str) {
			dbg_buf_free(&b);
			return expr_fail(p, dbg_error(ctx, ENOMEM, "Out of memory."));
		}
		dbg_buf_free(&b);
		*ret = e;
		return 0;
	}
	case T_IDENT:
		e = node(p, DBG_E_IDENT);
		if (!e)
			return p->err;
		e->name = p->tok.str;
		break;
	case T_DOLLAR: {
		const char *s = p->tok.str + 1;

		if (*s == '\0' || (*s == '$' && s[1] == '\0')) {
			e = node(p, DBG_E_HISTORY);
			if (!e)
				return p->err;
			e->relative = true;
			e->ival = *s == '$';
		} else if (*s == '$' || isdigit((unsigned char)*s)) {
			const char *d = *s == '$' ? s + 1 : s;
			uint64_t n = 0;

			for (; *d; d++) {
				if (!isdigit((unsigned char)*d) || n > 100000000)
					return expr_syntax_error(p, p->tok.start);
				n = n * 10 + (uint64_t)(*d - '0');
			}
			e = node(p, DBG_E_HISTORY);
			if (!e)
				return p->err;
			e->relative = *s == '$' || n == 0;
			e->ival = n;
		} else {
			if (strchr(s, '$'))
				return expr_syntax_error(p, p->tok.start);
			e = node(p, DBG_E_DOLLAR);
			if (!e)
				return p->err;
			e->name = s;
		}
		break;
	}
	case T_PUNCT:
		if (expr_is_punct(p, "(")) {
			r = expr_lex(p);
			if (r < 0)
				return r;
			r = parse_comma(p, &e);
			if (r < 0)
				return r;
			r = expr_expect(p, ")");
			if (r < 0)
				return r;
			*ret = e;
			return 0;
		}
		if (expr_is_punct(p, "::")) {
			/* ::name is the global name; other scopes are refused below. */
			r = expr_lex(p);
			if (r < 0)
				return r;
			if (p->tok.kind != T_IDENT)
				return expr_syntax_error(p, p->tok.start);
			e = node(p, DBG_E_IDENT);
			if (!e)
				return p->err;
			e->name = p->tok.str;
			break;
		}
		return expr_syntax_error(p, p->tok.start);
	default:
		return expr_syntax_error(p, p->tok.start);
	}
	r = expr_lex(p);
	if (r < 0)
		return r;
	if (e->kind == DBG_E_IDENT && expr_is_punct(p, "::")) {
		r = expr_lex(p);
		if (r < 0)
			return r;
		return expr_fail(p,
		                 dbg_error(ctx, EINVAL,
		                           "Scoped names (\"%s::%s\") are not supported; use the "
		                           "name alone.",
		                           e->name, p->tok.kind == T_IDENT ? p->tok.str : "..."));
	}
	*ret = e;
	return 0;
}

static int parse_postfix(struct parser *p, struct dbg_expr **ret)
{
	struct dbg_expr *e = NULL, *n;
	int r = parse_primary(p, &e);

	if (r < 0)
		return r;
	for (;;) {
		if (expr_is_punct(p, "[")) {
			n = node(p, DBG_E_INDEX);
			if (!n)
				return p->err;
			r = expr_lex(p);
			if (r < 0)
				return r;
			n->a = e;
			r = parse_comma(p, &n->b);
			if (r < 0)
				return r;
			r = expr_expect(p, "]");
			if (r < 0)
				return r;
		} else if (expr_is_punct(p, "(")) {
			struct dbg_expr *args[64];
			size_t na = 0;
			bool ok;

			n = node(p, DBG_E_CALL);
			if (!n)
				return p->err;
			n->a = e;
			r = expr_lex(p);
			if (r < 0)
				return r;
			while (!expr_is_punct(p, ")")) {
				if (na == 64)
					return expr_syntax_error(p, p->tok.start);
				r = parse_assign(p, &args[na++]);
				if (r < 0)
					return r;
				r = expr_accept(p, ",", &ok);
				if (r < 0)
					return r;
				if (!ok)
					break;
			}
			r = expr_expect(p, ")");
			if (r < 0)
				return r;
			n->args = expr_palloc(p, sizeof(args[0]) * (na ? na : 1));
			if (!n->args)
				return p->err;
			memcpy(n->args, args, sizeof(args[0]) * na);
			n->nargs = na;
		} else if (expr_is_punct(p, ".") || expr_is_punct(p, "->")) {
			n = node(p, expr_is_punct(p, ".") ? DBG_E_MEMBER : DBG_E_ARROW);
			if (!n)
				return p->err;
			r = expr_lex(p);
			if (r < 0)
				return r;
			if (p->tok.kind != T_IDENT)
				return expr_syntax_error(p, p->tok.start);
			n->a = e;
			n->name = p->tok.str;
			r = expr_lex(p);
			if (r < 0)
				return r;
		} else if (expr_is_punct(p, "++") || expr_is_punct(p, "--")) {
			n = node(p, DBG_E_UNARY);
			if (!n)
				return p->err;
			n->op = expr_is_punct(p, "++") ? DBG_OP_POSTINC : DBG_OP_POSTDEC;
			n->a = e;
			r = expr_lex(p);
			if (r < 0)
				return r;
		} else {
			break;
		}
		e = n;
	}
	*ret = e;
	return 0;
}

/* After '(' when a type name follows: a cast or sizeof's operand. */
static int parse_paren_type(struct parser *p, struct dbg_type **ret)
{
	int r = expr_parse_type_name(p, ret);

	if (r < 0)
		return r;
	return expr_expect(p, ")");
}

/*
 * At "(" followed by a type name: a new node of kind with that type, the
 * ")" taken; returns 1.  Anything else (a parenthesized expression) leaves
 * the position as it was and returns 0.
 */
static int paren_type_node(struct parser *p, enum dbg_expr_kind kind, struct dbg_expr **ret)
{
	if (!expr_is_punct(p, "("))
		return 0;
	const char *save = p->pos;
	struct tok open = p->tok;
	int r = expr_lex(p);
	if (r < 0)
		return r;
	if (!expr_starts_type(p)) {
		p->pos = save;
		p->tok = open;
		return 0;
	}
	struct dbg_expr *e = node(p, kind);
	if (!e)
		return p->err;
	r = parse_paren_type(p, &e->type);
	if (r < 0)
		return r;
	*ret = e;
	return 1;
}

static int parse_unary(struct parser *p, struct dbg_expr **ret)
{
	static const struct {
		const char *s;
		enum dbg_op op;
	} un[] = {
	        {"-", DBG_OP_NEG},     {"+", DBG_OP_PLUS},    {"!", DBG_OP_NOT},
	        {"~", DBG_OP_COMPL},   {"*", DBG_OP_DEREF},   {"&", DBG_OP_ADDR},
	        {"++", DBG_OP_PREINC}, {"--", DBG_OP_PREDEC},
	};
	struct dbg_expr *e = NULL;
	int r;

	if (++p->depth > MAX_DEPTH)
		return expr_fail(p, dbg_error(p->ctx, EINVAL, "Expression too deeply nested."));
	for (size_t i = 0; i < sizeof(un) / sizeof(un[0]); i++) {
		if (expr_is_punct(p, un[i].s)) {
			e = node(p, DBG_E_UNARY);
			if (!e)
				return p->err;
			e->op = un[i].op;
			r = expr_lex(p);
			if (r < 0)
				return r;
			r = parse_unary(p, &e->a);
			if (r < 0)
				return r;
			goto done;
		}
	}
	if (expr_is_kw(p, KW_SIZEOF)) {
		r = expr_lex(p);
		if (r < 0)
			return r;
		r = paren_type_node(p, DBG_E_SIZEOF_TYPE, &e);
		if (r < 0)
			return r;
		if (r > 0)
			goto done;
		e = node(p, DBG_E_SIZEOF_EXPR);
		if (!e)
			return p->err;
		r = parse_unary(p, &e->a);
		if (r < 0)
			return r;
		goto done;
	}
	r = paren_type_node(p, DBG_E_CAST, &e);
	if (r < 0)
		return r;
	if (r > 0) {
		r = parse_unary(p, &e->a);
		if (r < 0)
			return r;
		goto done;
	}
	if (expr_is_punct(p, "{")) {
		e = node(p, DBG_E_BRACE);
		if (!e)
			return p->err;
		r = expr_lex(p);
		if (r < 0)
			return r;
		r = expr_parse_type_name(p, &e->type);
		if (r < 0)
			return r;
		r = expr_expect(p, "}");
		if (r < 0)
			return r;
		r = parse_unary(p, &e->a);
		if (r < 0)
			return r;
		goto done;
	}
	r = parse_postfix(p, &e);
	if (r < 0)
		return r;
done:
	p->depth--;
	*ret = e;
	return 0;
}

/* Binary operators by precedence, as in gdb's C grammar ('@' between shifts and '+'). */
static const struct {
	const char *s;
	enum dbg_op op;
	int prec;
} binops[] = {
        {"||", DBG_OP_LOR, 1}, {"&&", DBG_OP_LAND, 2},  {"|", DBG_OP_BITOR, 3},
        {"^", DBG_OP_XOR, 4},  {"&", DBG_OP_BITAND, 5}, {"==", DBG_OP_EQ, 6},
        {"!=", DBG_OP_NE, 6},  {"<", DBG_OP_LT, 7},     {">", DBG_OP_GT, 7},
        {"<=", DBG_OP_LE, 7},  {">=", DBG_OP_GE, 7},    {"<<", DBG_OP_SHL, 8},
        {">>", DBG_OP_SHR, 8}, {"@", DBG_OP_NONE, 9},   {"+", DBG_OP_ADD, 10},
        {"-", DBG_OP_SUB, 10}, {"*", DBG_OP_MUL, 11},   {"/", DBG_OP_DIV, 11},
        {"%", DBG_OP_MOD, 11},
};

static int binop_at(const struct parser *p)
{
	if (p->tok.kind != T_PUNCT)
		return -1;
	for (size_t i = 0; i < sizeof(binops) / sizeof(binops[0]); i++)
		if (strcmp(p->tok.punct, binops[i].s) == 0)
			return (int)i;
	return -1;
}

static int parse_binary(struct parser *p, int min_prec, struct dbg_expr **ret)
{
	/*
	 * NULL here and in the parsers below: a parser that returns >= 0 has set
	 * its result, but the static analyzer cannot follow them that deep.
	 */
	struct dbg_expr *lhs = NULL;
	int r = parse_unary(p, &lhs);

	if (r < 0)
		return r;
	for (;;) {
		int i = binop_at(p);
		struct dbg_expr *n;

		if (i < 0 || binops[i].prec < min_prec)
			break;
		n = node(p, binops[i].op == DBG_OP_NONE ? DBG_E_AT : DBG_E_BINARY);
		if (!n)
			return p->err;
		n->op = binops[i].op;
		n->a = lhs;
		r = expr_lex(p);
		if (r < 0)
			return r;
		if (++p->depth > MAX_DEPTH)
			return expr_fail(
			        p, dbg_error(p->ctx, EINVAL, "Expression too deeply nested."));
		r = parse_binary(p, binops[i].prec + 1, &n->b);
		if (r < 0)
			return r;
		p->depth--;
		lhs = n;
	}
	*ret = lhs;
	return 0;
}

static int parse_cond(struct parser *p, struct dbg_expr **ret)
{
	struct dbg_expr *c = NULL, *e;
	int r = parse_binary(p, 1, &c);

	if (r < 0)
		return r;
	if (!expr_is_punct(p, "?")) {
		*ret = c;
		return 0;
	}
	e = node(p, DBG_E_COND);
	if (!e)
		return p->err;
	e->a = c;
	r = expr_lex(p);
	if (r < 0)
		return r;
	r = parse_comma(p, &e->b);
	if (r < 0)
		return r;
	r = expr_expect(p, ":");
	if (r < 0)
		return r;
	if (++p->depth > MAX_DEPTH)
		return expr_fail(p, dbg_error(p->ctx, EINVAL, "Expression too deeply nested."));
	r = parse_cond(p, &e->c);
	if (r < 0)
		return r;
	p->depth--;
	*ret = e;
	return 0;
}

static int parse_assign(struct parser *p, struct dbg_expr **ret)
{
	static const struct {
		const char *s;
		enum dbg_op op;
	} as[] = {
	        {"=", DBG_OP_ASSIGN}, {"+=", DBG_OP_ADD},  {"-=", DBG_OP_SUB},
	        {"*=", DBG_OP_MUL},   {"/=", DBG_OP_DIV},  {"%=", DBG_OP_MOD},
	        {"<<=", DBG_OP_SHL},  {">>=", DBG_OP_SHR}, {"&=", DBG_OP_BITAND},
	        {"|=", DBG_OP_BITOR}, {"^=", DBG_OP_XOR},
	};
	struct dbg_expr *lhs = NULL, *e;
	int r = parse_cond(p, &lhs);

	if (r < 0)
		return r;
	for (size_t i = 0; i < sizeof(as) / sizeof(as[0]); i++) {
		if (!expr_is_punct(p, as[i].s))
			continue;
		e = node(p, DBG_E_ASSIGN);
		if (!e)
			return p->err;
		e->op = as[i].op;
		e->a = lhs;
		r = expr_lex(p);
		if (r < 0)
			return r;
		if (++p->depth > MAX_DEPTH)
			return expr_fail(
			        p, dbg_error(p->ctx, EINVAL, "Expression too deeply nested."));
		r = parse_assign(p, &e->b);
		if (r < 0)
			return r;
		p->depth--;
		*ret = e;
		return 0;
	}
	*ret = lhs;
	return 0;
}

static int parse_comma(struct parser *p, struct dbg_expr **ret)
{
	struct dbg_expr *e = NULL;
	int r = parse_assign(p, &e);

	if (r < 0)
		return r;
	while (expr_is_punct(p, ",")) {
		struct dbg_expr *n = node(p, DBG_E_COMMA);

		if (!n)
			return p->err;
		n->a = e;
		r = expr_lex(p);
		if (r < 0)
			return r;
		r = parse_assign(p, &n->b);
		if (r < 0)
			return r;
		e = n;
	}
	*ret = e;
	return 0;
}

int dbg_expr_parse(struct dbg_ctx *ctx, const char *text, struct dbg_expr **ret)
{
	struct parser p = {.ctx = ctx, .text = text, .pos = text};
	struct dbg_expr *e = NULL;
	int r = expr_lex(&p);

	if (r < 0)
		return r;
	if (p.tok.kind == T_EOF)
		return expr_syntax_error(&p, p.tok.start);
	r = parse_comma(&p, &e);
	if (r < 0)
		return r;
	if (p.tok.kind != T_EOF)
		return expr_syntax_error(&p, p.tok.start);
	*ret = e;
	return 0;
}
