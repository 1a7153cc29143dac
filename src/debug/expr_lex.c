/* SPDX-License-Identifier: MIT */
/* The lexer of gdb's C expressions: numbers with C's typing rules, quotes, punctuators. */
#include "expr_impl.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *s;
	enum kw kw;
} keywords[] = {
        {"sizeof", KW_SIZEOF}, {"struct", KW_STRUCT},     {"union", KW_UNION},
        {"enum", KW_ENUM},     {"const", KW_CONST},       {"volatile", KW_VOLATILE},
        {"signed", KW_SIGNED}, {"unsigned", KW_UNSIGNED}, {"short", KW_SHORT},
        {"long", KW_LONG},     {"char", KW_CHAR},         {"int", KW_INT},
        {"float", KW_FLOAT},   {"double", KW_DOUBLE},     {"void", KW_VOID},
        {"_Bool", KW_BOOL},
};

/* Punctuators, longest first so that a prefix never shadows a longer one. */
static const char *const puncts[] = {
        "<<=", ">>=", "->", "++", "--", "<<", ">>", "<=", ">=", "==", "!=", "&&",
        "||",  "+=",  "-=", "*=", "/=", "%=", "&=", "|=", "^=", "::", "+",  "-",
        "*",   "/",   "%",  "<",  ">",  "=",  "!",  "~",  "&",  "|",  "^",  "?",
        ":",   "(",   ")",  "[",  "]",  "{",  "}",  ".",  ",",  "@",
};

int expr_syntax_error(struct parser *p, const char *at)
{
	if (!p->err)
		p->err = dbg_error(p->ctx, EINVAL, "A syntax error in expression, near `%s'.", at);
	return p->err;
}

int expr_fail(struct parser *p, int r)
{
	if (!p->err)
		p->err = r;
	return p->err;
}

void *expr_palloc(struct parser *p, size_t n)
{
	void *q = dbg_arena_alloc(&p->ctx->tmp, n);

	if (!q)
		expr_fail(p, dbg_error(p->ctx, ENOMEM, "Out of memory."));
	return q;
}

/* ---- lexer ---- */

static int escape(struct parser *p, const char **sp, int *ret)
{
	const char *s = *sp; /* after the backslash */
	int v = 0, n = 0;

	switch (*s) {
	case 'n':
		v = '\n';
		break;
	case 't':
		v = '\t';
		break;
	case 'r':
		v = '\r';
		break;
	case 'a':
		v = '\a';
		break;
	case 'b':
		v = '\b';
		break;
	case 'f':
		v = '\f';
		break;
	case 'v':
		v = '\v';
		break;
	case 'e':
		v = 27;
		break;
	case 'x':
		s++;
		while (isxdigit((unsigned char)*s)) {
			v = v * 16 +
			    (isdigit((unsigned char)*s) ? *s - '0' : (tolower(*s) - 'a' + 10));
			v &= 0xff;
			s++;
			n++;
		}
		if (!n)
			return expr_fail(p, dbg_error(p->ctx, EINVAL,
			                              "\\x escape without a following hex digit"));
		*sp = s;
		*ret = v;
		return 0;
	case '0':
	case '1':
	case '2':
	case '3':
	case '4':
	case '5':
	case '6':
	case '7':
		while (n < 3 && *s >= '0' && *s <= '7') {
			v = v * 8 + (*s - '0');
			s++;
			n++;
		}
		*sp = s;
		*ret = v & 0xff;
		return 0;
	case '\0':
		return expr_fail(p,
		                 dbg_error(p->ctx, EINVAL, "Unterminated string in expression."));
	default:
		v = (unsigned char)*s;
		break;
	}
	*sp = s + 1;
	*ret = v;
	return 0;
}

static bool fits(uint64_t v, uint64_t max)
{
	return v <= max;
}

static int lex_number(struct parser *p, const char *s)
{
	struct dbg_ctx *ctx = p->ctx;
	const char *e = s;
	bool is_float = false, hex = false;
	char *word;
	size_t n;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		hex = true;
	while (isalnum((unsigned char)*e) || *e == '.' || *e == '_') {
		if (*e == '.')
			is_float = true;
		if (!hex && (*e == 'e' || *e == 'E') && e > s) {
			is_float = true;
			if (e[1] == '+' || e[1] == '-')
				e++;
		}
		if (hex && (*e == 'p' || *e == 'P')) {
			is_float = true;
			if (e[1] == '+' || e[1] == '-')
				e++;
		}
		e++;
	}
	n = (size_t)(e - s);
	word = dbg_arena_strndup(&ctx->tmp, s, n);
	if (!word)
		return expr_fail(p, dbg_error(ctx, ENOMEM, "Out of memory."));
	p->tok.start = s;
	p->tok.len = n;
	if (is_float) {
		char *end;
		long double d;
		struct dbg_type *t = dbg_builtin(ctx, DBG_BT_DOUBLE);

		d = strtold(word, &end);
		if (*end == 'f' || *end == 'F') {
			t = dbg_builtin(ctx, DBG_BT_FLOAT);
			end++;
		} else if (*end == 'l' || *end == 'L') {
			t = dbg_builtin(ctx, DBG_BT_LDOUBLE);
			end++;
		}
		if (*end || end == word)
			return expr_fail(p, dbg_error(ctx, EINVAL, "Invalid number \"%s\".", word));
		if (t->size == 8)
			d = (double)d;
		else if (t->size == 4)
			d = (float)d;
		p->tok.kind = T_FLOAT;
		p->tok.fval = d;
		p->tok.type = t;
		return 0;
	}

	{
		unsigned base = 10;
		const char *d = word;
		uint64_t v = 0;
		bool overflow = false, any = false;
		int nl = 0, nu = 0;
		struct dbg_type *t;

		if (d[0] == '0' && (d[1] == 'x' || d[1] == 'X')) {
			base = 16;
			d += 2;
		} else if (d[0] == '0' && (d[1] == 'b' || d[1] == 'B')) {
			base = 2;
			d += 2;
		} else if (d[0] == '0') {
			base = 8;
		}
		for (; *d; d++) {
			int dv;

			if (isdigit((unsigned char)*d))
				dv = *d - '0';
			else if (base == 16 && isxdigit((unsigned char)*d))
				dv = tolower(*d) - 'a' + 10;
			else
				break;
			if (dv >= (int)base)
				return expr_fail(
				        p, dbg_error(ctx, EINVAL, "Invalid number \"%s\".", word));
			if (v > (UINT64_MAX - (uint64_t)dv) / base)
				overflow = true;
			v = v * base + (uint64_t)dv;
			any = true;
		}
		for (; *d; d++) {
			if (*d == 'l' || *d == 'L')
				nl++;
			else if (*d == 'u' || *d == 'U')
				nu++;
			else
				break;
		}
		if (*d || (!any && base != 8) || nl > 2 || nu > 1)
			return expr_fail(p, dbg_error(ctx, EINVAL, "Invalid number \"%s\".", word));
		if (overflow)
			return expr_fail(p, dbg_error(ctx, EINVAL, "Numeric constant too large."));
		/* C's rules for the type of an integer constant, as gdb applies them. */
		if (nl == 2)
			t = nu || !fits(v, INT64_MAX) ? dbg_builtin(ctx, DBG_BT_ULLONG)
			                              : dbg_builtin(ctx, DBG_BT_LLONG);
		else if (nl == 1)
			t = nu || !fits(v, INT64_MAX) ? dbg_builtin(ctx, DBG_BT_ULONG)
			                              : dbg_builtin(ctx, DBG_BT_LONG);
		else if (nu)
			t = fits(v, UINT32_MAX) ? dbg_builtin(ctx, DBG_BT_UINT)
			                        : dbg_builtin(ctx, DBG_BT_ULONG);
		else if (fits(v, INT32_MAX))
			t = dbg_builtin(ctx, DBG_BT_INT);
		else if (base != 10 && fits(v, UINT32_MAX))
			t = dbg_builtin(ctx, DBG_BT_UINT);
		else if (fits(v, INT64_MAX))
			t = dbg_builtin(ctx, DBG_BT_LONG);
		else
			t = dbg_builtin(ctx, DBG_BT_ULONG);
		p->tok.kind = T_INT;
		p->tok.ival = v;
		p->tok.type = t;
	}
	return 0;
}

static int lex_quoted(struct parser *p, const char *s)
{
	struct dbg_ctx *ctx = p->ctx;
	char q = *s;
	const char *c = s + 1;
	struct dbg_buf b = {0};
	int r = 0;

	while (*c && *c != q) {
		int v = 0;

		if (*c == '\\') {
			c++;
			r = escape(p, &c, &v);
			if (r < 0)
				goto out;
		} else {
			v = (unsigned char)*c++;
		}
		dbg_buf_putc(&b, (char)v);
	}
	if (!*c) {
		r = expr_fail(p, dbg_error(ctx, EINVAL,
		                           q == '"' ? "Unterminated string in expression."
		                                    : "Unmatched single quote."));
		goto out;
	}
	p->tok.start = s;
	p->tok.len = (size_t)(c + 1 - s);
	if (q == '\'') {
		if (b.len == 0) {
			r = expr_fail(p, dbg_error(ctx, EINVAL,
			                           "A character constant must contain at least one "
			                           "character."));
			goto out;
		}
		if (b.len > 1) {
			r = expr_fail(p, dbg_error(ctx, EINVAL, "Invalid character constant."));
			goto out;
		}
		p->tok.kind = T_INT;
		p->tok.type = dbg_builtin(ctx, DBG_BT_CHAR);
		p->tok.ival = (uint64_t)(int64_t)(signed char)b.s[0];
	} else {
		p->tok.kind = T_STRING;
		p->tok.str = dbg_arena_memdup(&ctx->tmp, b.len ? b.s : "", b.len + 1);
		p->tok.slen = b.len;
		if (!p->tok.str)
			r = expr_fail(p, dbg_error(ctx, ENOMEM, "Out of memory."));
	}
out:
	if (b.oom && r == 0)
		r = expr_fail(p, dbg_error(ctx, ENOMEM, "Out of memory."));
	dbg_buf_free(&b);
	return r;
}

static bool ident_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* Lex the token at p->pos into p->tok and advance p->pos past it. */
int expr_lex(struct parser *p)
{
	const char *s = p->pos;
	int r;

	while (isspace((unsigned char)*s))
		s++;
	memset(&p->tok, 0, sizeof(p->tok));
	p->tok.start = s;
	if (!*s) {
		p->tok.kind = T_EOF;
		p->pos = s;
		return 0;
	}
	if (isdigit((unsigned char)*s) || (*s == '.' && isdigit((unsigned char)s[1]))) {
		r = lex_number(p, s);
		if (r < 0)
			return r;
	} else if (*s == '\'' || *s == '"') {
		r = lex_quoted(p, s);
		if (r < 0)
			return r;
	} else if (isalpha((unsigned char)*s) || *s == '_') {
		const char *e = s;

		while (ident_char(*e))
			e++;
		p->tok.kind = T_IDENT;
		p->tok.len = (size_t)(e - s);
		for (size_t i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++) {
			if (strlen(keywords[i].s) == p->tok.len &&
			    memcmp(keywords[i].s, s, p->tok.len) == 0) {
				p->tok.kind = T_KEYWORD;
				p->tok.kw = keywords[i].kw;
			}
		}
		p->tok.str = dbg_arena_strndup(&p->ctx->tmp, s, p->tok.len);
		if (!p->tok.str)
			return expr_fail(p, dbg_error(p->ctx, ENOMEM, "Out of memory."));
	} else if (*s == '$') {
		const char *e = s + 1;

		while (ident_char(*e) || *e == '$')
			e++;
		p->tok.kind = T_DOLLAR;
		p->tok.len = (size_t)(e - s);
		p->tok.str = dbg_arena_strndup(&p->ctx->tmp, s, p->tok.len);
		if (!p->tok.str)
			return expr_fail(p, dbg_error(p->ctx, ENOMEM, "Out of memory."));
	} else {
		for (size_t i = 0; i < sizeof(puncts) / sizeof(puncts[0]); i++) {
			size_t n = strlen(puncts[i]);

			if (strncmp(s, puncts[i], n) == 0) {
				p->tok.kind = T_PUNCT;
				p->tok.punct = puncts[i];
				p->tok.len = n;
				break;
			}
		}
		if (p->tok.kind != T_PUNCT) {
			if (isprint((unsigned char)*s))
				return expr_fail(
				        p, dbg_error(p->ctx, EINVAL,
				                     "Invalid character '%c' in expression.", *s));
			return expr_fail(p, dbg_error(p->ctx, EINVAL,
			                              "Invalid character '\\%03o' in expression.",
			                              (unsigned char)*s));
		}
	}
	p->pos = s + p->tok.len;
	return 0;
}

bool expr_is_punct(const struct parser *p, const char *s)
{
	return p->tok.kind == T_PUNCT && strcmp(p->tok.punct, s) == 0;
}

bool expr_is_kw(const struct parser *p, enum kw kw)
{
	return p->tok.kind == T_KEYWORD && p->tok.kw == kw;
}

/* Consume the current token if it is punctuator s. */
int expr_accept(struct parser *p, const char *s, bool *ret)
{
	*ret = expr_is_punct(p, s);
	return *ret ? expr_lex(p) : 0;
}

int expr_expect(struct parser *p, const char *s)
{
	if (!expr_is_punct(p, s))
		return expr_syntax_error(p, p->tok.start);
	return expr_lex(p);
}
