/* SPDX-License-Identifier: MIT */
/* Internal to the expression parser: tokens, parser state, shared helpers. */
#ifndef PTK_DEBUG_EXPR_IMPL_H
#define PTK_DEBUG_EXPR_IMPL_H

#include "expr.h"

enum tok_kind {
	T_EOF,
	T_INT,
	T_FLOAT,
	T_STRING,
	T_IDENT,
	T_DOLLAR,
	T_PUNCT,
	T_KEYWORD,
};

enum kw {
	KW_NONE,
	KW_SIZEOF,
	KW_STRUCT,
	KW_UNION,
	KW_ENUM,
	KW_CONST,
	KW_VOLATILE,
	KW_SIGNED,
	KW_UNSIGNED,
	KW_SHORT,
	KW_LONG,
	KW_CHAR,
	KW_INT,
	KW_FLOAT,
	KW_DOUBLE,
	KW_VOID,
	KW_BOOL,
};

struct tok {
	enum tok_kind kind;
	const char *start; /* in the input text */
	size_t len;
	const char *punct; /* T_PUNCT: one of puncts[] */
	enum kw kw;
	uint64_t ival;
	long double fval;
	struct dbg_type *type;
	char *str; /* T_STRING / T_IDENT / T_DOLLAR: decoded text (arena) */
	size_t slen;
};

struct parser {
	struct dbg_ctx *ctx;
	const char *text;
	const char *pos; /* where the next token starts */
	struct tok tok;  /* the current token */
	int depth;
	int err;
};

#define MAX_DEPTH 256

/* Set the syntax error "near `at'" (the first error wins); returns it. */
int expr_syntax_error(struct parser *p, const char *at);
/* Record error r (already in ctx->err) unless one is set; returns the first. */
int expr_fail(struct parser *p, int r);
void *expr_palloc(struct parser *p, size_t n);
/* Lex the token at p->pos into p->tok and advance. */
int expr_lex(struct parser *p);
bool expr_is_punct(const struct parser *p, const char *s);
bool expr_is_kw(const struct parser *p, enum kw kw);
/* Consume the current token if it is punctuator s (*ret says whether it was). */
int expr_accept(struct parser *p, const char *s, bool *ret);
/* Require punctuator s and consume it. */
int expr_expect(struct parser *p, const char *s);
/* Does the current token start a type name (keyword or typedef name)? */
bool expr_starts_type(struct parser *p);
/* A type name: specifiers and an abstract declarator ("struct s *", "int (*)[5]"). */
int expr_parse_type_name(struct parser *p, struct dbg_type **ret);

#endif
