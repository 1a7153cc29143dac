/* SPDX-License-Identifier: MIT */
/* Type names inside expressions: casts, sizeof (type), {type} addr, whatis TYPE. */
#include "expr_impl.h"

#include <errno.h>
#include <string.h>

static struct dbg_type *lookup_type(struct parser *p, const char *name, enum dbg_tag tag)
{
	if (!p->ctx->target.lookup_type)
		return NULL;
	return p->ctx->target.lookup_type(p->ctx->target.data, name, tag);
}

/* Does the current token start a type name? */
bool expr_starts_type(struct parser *p)
{
	if (p->tok.kind == T_KEYWORD)
		return p->tok.kw != KW_SIZEOF;
	if (p->tok.kind == T_IDENT)
		return lookup_type(p, p->tok.str, DBG_TAG_NONE) != NULL;
	return false;
}

/* Can these keywords form one C type specifier list? */
static bool valid_specifiers(enum kw base, int nlong, int nshort, int nsigned, int nunsigned)
{
	if (nsigned > 1 || nunsigned > 1 || (nsigned && nunsigned) || nshort > 1 || nlong > 2 ||
	    (nshort && nlong))
		return false;
	switch (base) {
	case KW_VOID:
	case KW_BOOL:
	case KW_FLOAT:
		return !nsigned && !nunsigned && !nshort && !nlong;
	case KW_DOUBLE:
		return !nsigned && !nunsigned && !nshort && nlong <= 1;
	case KW_CHAR:
		return !nshort && !nlong;
	default:
		return true;
	}
}

static int parse_specifiers(struct parser *p, struct dbg_type **ret)
{
	struct dbg_ctx *ctx = p->ctx;
	int nlong = 0, nshort = 0, nsigned = 0, nunsigned = 0;
	enum kw base = KW_NONE;
	unsigned quals = 0;
	struct dbg_type *t = NULL;
	int r;

	for (;;) {
		if (p->tok.kind == T_KEYWORD) {
			enum kw k = p->tok.kw;
			const char *at = p->tok.start;

			switch (k) {
			case KW_CONST:
				quals |= DBG_Q_CONST;
				break;
			case KW_VOLATILE:
				quals |= DBG_Q_VOLATILE;
				break;
			case KW_SIGNED:
				nsigned++;
				break;
			case KW_UNSIGNED:
				nunsigned++;
				break;
			case KW_SHORT:
				nshort++;
				break;
			case KW_LONG:
				nlong++;
				break;
			case KW_CHAR:
			case KW_INT:
			case KW_FLOAT:
			case KW_DOUBLE:
			case KW_VOID:
			case KW_BOOL:
				if (base != KW_NONE || t)
					return expr_syntax_error(p, at);
				base = k;
				break;
			case KW_STRUCT:
			case KW_UNION:
			case KW_ENUM: {
				enum dbg_tag tag = k == KW_STRUCT  ? DBG_TAG_STRUCT
				                   : k == KW_UNION ? DBG_TAG_UNION
				                                   : DBG_TAG_ENUM;

				if (base != KW_NONE || t)
					return expr_syntax_error(p, at);
				r = expr_lex(p);
				if (r < 0)
					return r;
				if (p->tok.kind != T_IDENT)
					return expr_syntax_error(p, p->tok.start);
				t = lookup_type(p, p->tok.str, tag);
				if (!t)
					return expr_fail(p, dbg_error(ctx, EINVAL,
					                              "No %s type named %s.",
					                              k == KW_STRUCT  ? "struct"
					                              : k == KW_UNION ? "union"
					                                              : "enum",
					                              p->tok.str));
				break;
			}
			default:
				return expr_syntax_error(p, at);
			}
			if (!valid_specifiers(base, nlong, nshort, nsigned, nunsigned))
				return expr_syntax_error(p, at);
		} else if (p->tok.kind == T_IDENT && base == KW_NONE && !t && !nlong && !nshort &&
		           !nsigned && !nunsigned) {
			t = lookup_type(p, p->tok.str, DBG_TAG_NONE);
			if (!t)
				break;
		} else {
			break;
		}
		r = expr_lex(p);
		if (r < 0)
			return r;
	}
	if (!t) {
		enum dbg_builtin id;

		switch (base) {
		case KW_VOID:
			id = DBG_BT_VOID;
			break;
		case KW_BOOL:
			id = DBG_BT_BOOL;
			break;
		case KW_FLOAT:
			id = DBG_BT_FLOAT;
			break;
		case KW_DOUBLE:
			id = nlong ? DBG_BT_LDOUBLE : DBG_BT_DOUBLE;
			break;
		case KW_CHAR:
			id = nunsigned ? DBG_BT_UCHAR : nsigned ? DBG_BT_SCHAR : DBG_BT_CHAR;
			break;
		default:
			if (base == KW_NONE && !nlong && !nshort && !nsigned && !nunsigned)
				return expr_syntax_error(p, p->tok.start);
			if (nshort)
				id = nunsigned ? DBG_BT_USHORT : DBG_BT_SHORT;
			else if (nlong >= 2)
				id = nunsigned ? DBG_BT_ULLONG : DBG_BT_LLONG;
			else if (nlong)
				id = nunsigned ? DBG_BT_ULONG : DBG_BT_LONG;
			else
				id = nunsigned ? DBG_BT_UINT : DBG_BT_INT;
			break;
		}
		t = dbg_builtin(ctx, id);
	} else if (nlong || nshort || nsigned || nunsigned || base != KW_NONE) {
		return expr_syntax_error(p, p->tok.start);
	}
	if (quals) {
		t = dbg_type_qualified(&ctx->tmp, t, quals);
		if (!t)
			return expr_fail(p, dbg_error(ctx, ENOMEM, "Out of memory."));
	}
	*ret = t;
	return 0;
}

#define MAX_SUFFIXES 16

static int parse_abstract(struct parser *p, struct dbg_type *base, struct dbg_type **ret);

/* Array and parameter-list suffixes, applied right to left. */
static int parse_suffixes(struct parser *p, struct dbg_type *base, struct dbg_type **ret)
{
	struct dbg_ctx *ctx = p->ctx;
	struct {
		bool func;
		uint64_t count;
		bool has_count;
		struct dbg_type **params;
		size_t nparams;
		bool varargs;
	} suf[MAX_SUFFIXES];
	int n = 0, r;
	bool ok;

	while (expr_is_punct(p, "[") || expr_is_punct(p, "(")) {
		if (n == MAX_SUFFIXES)
			return expr_syntax_error(p, p->tok.start);
		memset(&suf[n], 0, sizeof(suf[n]));
		if (expr_is_punct(p, "[")) {
			r = expr_lex(p);
			if (r < 0)
				return r;
			if (p->tok.kind == T_INT) {
				suf[n].count = p->tok.ival;
				suf[n].has_count = true;
				r = expr_lex(p);
				if (r < 0)
					return r;
			}
			r = expr_expect(p, "]");
			if (r < 0)
				return r;
		} else {
			struct dbg_type *params[32];
			size_t np = 0;

			suf[n].func = true;
			r = expr_lex(p);
			if (r < 0)
				return r;
			while (!expr_is_punct(p, ")")) {
				struct dbg_type *pt;

				if (expr_is_punct(p, ".")) {
					/* "..." lexes as three dots. */
					for (int i = 0; i < 3; i++) {
						r = expr_expect(p, ".");
						if (r < 0)
							return r;
					}
					suf[n].varargs = true;
					break;
				}
				r = expr_parse_type_name(p, &pt);
				if (r < 0)
					return r;
				if (np == 32)
					return expr_syntax_error(p, p->tok.start);
				params[np++] = pt;
				r = expr_accept(p, ",", &ok);
				if (r < 0)
					return r;
				if (!ok)
					break;
			}
			r = expr_expect(p, ")");
			if (r < 0)
				return r;
			/* (void) is the empty prototyped list. */
			if (np == 1 && dbg_type_strip(params[0])->kind == DBG_TYPE_VOID)
				np = 0;
			suf[n].params = expr_palloc(p, sizeof(params[0]) * (np ? np : 1));
			if (!suf[n].params)
				return p->err;
			memcpy(suf[n].params, params, sizeof(params[0]) * np);
			suf[n].nparams = np;
		}
		n++;
	}
	while (n-- > 0) {
		if (suf[n].func) {
			base = dbg_type_func(&ctx->tmp, base, suf[n].params, suf[n].nparams, true,
			                     suf[n].varargs);
		} else if (suf[n].has_count) {
			if (suf[n].count > (1ull << 40))
				return expr_fail(p,
				                 dbg_error(ctx, EINVAL, "Array size too large."));
			base = dbg_type_array(&ctx->tmp, base, suf[n].count);
		} else {
			base = dbg_type_array(&ctx->tmp, base, 0);
			if (base)
				base->has_count = false;
		}
		if (!base)
			return expr_fail(p, dbg_error(ctx, ENOMEM, "Out of memory."));
	}
	*ret = base;
	return 0;
}

static int parse_abstract(struct parser *p, struct dbg_type *base, struct dbg_type **ret)
{
	struct dbg_ctx *ctx = p->ctx;
	int r;

	if (++p->depth > MAX_DEPTH)
		return expr_fail(p, dbg_error(ctx, EINVAL, "Expression too deeply nested."));
	while (expr_is_punct(p, "*")) {
		unsigned quals = 0;

		base = dbg_ctx_pointer_to(ctx, base);
		if (!base)
			return expr_fail(p, dbg_error(ctx, ENOMEM, "Out of memory."));
		r = expr_lex(p);
		if (r < 0)
			return r;
		while (expr_is_kw(p, KW_CONST) || expr_is_kw(p, KW_VOLATILE)) {
			quals |= p->tok.kw == KW_CONST ? DBG_Q_CONST : DBG_Q_VOLATILE;
			r = expr_lex(p);
			if (r < 0)
				return r;
		}
		if (quals) {
			base = dbg_type_qualified(&ctx->tmp, base, quals);
			if (!base)
				return expr_fail(p, dbg_error(ctx, ENOMEM, "Out of memory."));
		}
	}
	if (expr_is_punct(p, "(")) {
		/* A nested declarator "(*)" if what follows is '*', '(' or '['. */
		const char *save = p->pos;
		struct tok open = p->tok;

		r = expr_lex(p);
		if (r < 0)
			return r;
		if (expr_is_punct(p, "*") || expr_is_punct(p, "(") || expr_is_punct(p, "[")) {
			const char *inner = open.start + 1;
			const char *after;
			int level = 1;

			/* Skip to the matching ')', then apply the suffixes first. */
			while (level > 0) {
				if (p->tok.kind == T_EOF)
					return expr_syntax_error(p, p->tok.start);
				if (expr_is_punct(p, "("))
					level++;
				else if (expr_is_punct(p, ")"))
					level--;
				r = expr_lex(p);
				if (r < 0)
					return r;
			}
			r = parse_suffixes(p, base, &base);
			if (r < 0)
				return r;
			after = p->tok.start;
			p->pos = inner;
			r = expr_lex(p);
			if (r < 0)
				return r;
			r = parse_abstract(p, base, &base);
			if (r < 0)
				return r;
			if (!expr_is_punct(p, ")"))
				return expr_syntax_error(p, p->tok.start);
			p->pos = after;
			r = expr_lex(p);
			if (r < 0)
				return r;
			p->depth--;
			*ret = base;
			return 0;
		}
		p->pos = save;
		p->tok = open;
	}
	r = parse_suffixes(p, base, &base);
	if (r < 0)
		return r;
	p->depth--;
	*ret = base;
	return 0;
}

int expr_parse_type_name(struct parser *p, struct dbg_type **ret)
{
	struct dbg_type *t = NULL;
	int r = parse_specifiers(p, &t);

	if (r < 0)
		return r;
	return parse_abstract(p, t, ret);
}

int dbg_type_parse(struct dbg_ctx *ctx, const char *text, struct dbg_type **ret)
{
	struct parser p = {.ctx = ctx, .text = text, .pos = text};
	struct dbg_type *t = NULL;
	int r = expr_lex(&p);

	if (r < 0)
		return -ENOENT;
	if (!expr_starts_type(&p))
		return -ENOENT;
	r = expr_parse_type_name(&p, &t);
	if (r < 0)
		return r;
	if (p.tok.kind != T_EOF)
		return expr_syntax_error(&p, p.tok.start);
	*ret = t;
	return 0;
}
