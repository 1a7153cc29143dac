/* SPDX-License-Identifier: MIT */
#include "type.h"

#include <string.h>

struct dbg_type *dbg_type_new(struct dbg_arena *a, enum dbg_type_kind kind, const char *name,
                              uint64_t size)
{
	struct dbg_type *t = dbg_arena_alloc(a, sizeof(*t));

	if (!t)
		return NULL;
	t->kind = kind;
	t->name = name;
	t->size = size;
	return t;
}

struct dbg_type *dbg_type_pointer(struct dbg_arena *a, struct dbg_type *target)
{
	struct dbg_type *t = dbg_type_new(a, DBG_TYPE_PTR, NULL, 8);

	if (t) {
		t->target = target;
		t->is_unsigned = true;
	}
	return t;
}

struct dbg_type *dbg_type_array(struct dbg_arena *a, struct dbg_type *elem, uint64_t count)
{
	uint64_t es = dbg_type_size(elem);
	/* A size that does not fit saturates; such a value can never be read. */
	uint64_t size = es && count > UINT64_MAX / es ? UINT64_MAX : es * count;
	struct dbg_type *t = dbg_type_new(a, DBG_TYPE_ARRAY, NULL, size);

	if (t) {
		t->target = elem;
		t->count = count;
		t->has_count = true;
	}
	return t;
}

struct dbg_type *dbg_type_typedef(struct dbg_arena *a, const char *name, struct dbg_type *target)
{
	struct dbg_type *t = dbg_type_new(a, DBG_TYPE_TYPEDEF, name, target->size);

	if (t)
		t->target = target;
	return t;
}

struct dbg_type *dbg_type_qualified(struct dbg_arena *a, struct dbg_type *target, unsigned quals)
{
	struct dbg_type *t = dbg_type_new(a, DBG_TYPE_QUAL, NULL, target->size);

	if (t) {
		t->target = target;
		t->quals = quals;
	}
	return t;
}

struct dbg_type *dbg_type_func(struct dbg_arena *a, struct dbg_type *ret, struct dbg_type **params,
                               size_t nparams, bool prototyped, bool varargs)
{
	struct dbg_type *t = dbg_type_new(a, DBG_TYPE_FUNC, NULL, 1);

	if (!t)
		return NULL;
	t->target = ret;
	t->prototyped = prototyped || nparams > 0;
	t->varargs = varargs;
	if (nparams) {
		t->params = dbg_arena_memdup(a, params, nparams * sizeof(*params));
		if (!t->params)
			return NULL;
		t->nparams = nparams;
	}
	return t;
}

struct dbg_type *dbg_type_strip(const struct dbg_type *t)
{
	while (t && (t->kind == DBG_TYPE_TYPEDEF || t->kind == DBG_TYPE_QUAL))
		t = t->target;
	return (struct dbg_type *)t;
}

bool dbg_type_is_integral(const struct dbg_type *t)
{
	t = dbg_type_strip(t);
	return t && (t->kind == DBG_TYPE_INT || t->kind == DBG_TYPE_CHAR ||
	             t->kind == DBG_TYPE_BOOL || t->kind == DBG_TYPE_ENUM);
}

bool dbg_type_is_arith(const struct dbg_type *t)
{
	return dbg_type_is_integral(t) ||
	       (dbg_type_strip(t) && dbg_type_strip(t)->kind == DBG_TYPE_FLOAT);
}

bool dbg_type_is_scalar(const struct dbg_type *t)
{
	return dbg_type_is_arith(t) ||
	       (dbg_type_strip(t) && dbg_type_strip(t)->kind == DBG_TYPE_PTR);
}

bool dbg_type_is_char(const struct dbg_type *t)
{
	t = dbg_type_strip(t);
	return t && t->kind == DBG_TYPE_CHAR && t->size == 1;
}

bool dbg_type_is_flag_enum(const struct dbg_type *t)
{
	uint64_t seen = 0;

	t = dbg_type_strip(t);
	if (!t || t->kind != DBG_TYPE_ENUM)
		return false;
	for (size_t i = 0; i < t->nenumerators; i++) {
		int64_t v = t->enumerators[i].value;

		if (v < 0)
			return false;
		if (v == 0)
			continue;
		if ((v & (v - 1)) != 0 || (seen & (uint64_t)v))
			return false;
		seen |= (uint64_t)v;
	}
	return true;
}

uint64_t dbg_type_size(const struct dbg_type *t)
{
	const struct dbg_type *s = dbg_type_strip(t);

	if (!s)
		return 0;
	if (s->kind == DBG_TYPE_VOID || s->kind == DBG_TYPE_FUNC)
		return 1;
	if (s->kind == DBG_TYPE_ARRAY) {
		uint64_t es = dbg_type_size(s->target);

		if (!s->has_count)
			return 0;
		return es && s->count > UINT64_MAX / es ? UINT64_MAX : s->count * es;
	}
	return s->size;
}

/*
 * C declarator spelling: the base type on the left, the declarator built
 * inside out.  `inner` is what has been built so far ("", "*", "(*)[5]").
 */
static void name_rec(const struct dbg_type *t, const char *inner, struct dbg_buf *out);

static void name_with(const char *base, const char *inner, struct dbg_buf *out)
{
	dbg_buf_puts(out, base);
	if (inner[0]) {
		dbg_buf_putc(out, ' ');
		dbg_buf_puts(out, inner);
	}
}

static void params_text(const struct dbg_type *t, struct dbg_buf *b)
{
	dbg_buf_putc(b, '(');
	for (size_t i = 0; i < t->nparams; i++) {
		if (i)
			dbg_buf_puts(b, ", ");
		dbg_type_name(t->params[i], b);
	}
	if (t->varargs)
		dbg_buf_puts(b, t->nparams ? ", ..." : "...");
	else if (t->nparams == 0 && t->prototyped)
		dbg_buf_puts(b, "void");
	dbg_buf_putc(b, ')');
}

static const char *tag_word(enum dbg_type_kind k)
{
	switch (k) {
	case DBG_TYPE_STRUCT:
		return "struct";
	case DBG_TYPE_UNION:
		return "union";
	default:
		return "enum";
	}
}

static void name_rec(const struct dbg_type *t, const char *inner, struct dbg_buf *out)
{
	struct dbg_buf b = {0};

	if (!t) {
		name_with("void", inner, out);
		return;
	}
	switch (t->kind) {
	case DBG_TYPE_PTR: {
		const struct dbg_type *tt = t->target;

		/* Qualifiers of the pointee stay on the left: `const char *`. */
		if (strncmp(inner, "const", 5) == 0 || strncmp(inner, "volatile", 8) == 0)
			dbg_buf_printf(&b, "* %s", inner);
		else
			dbg_buf_printf(&b, "*%s", inner);
		if (tt && (tt->kind == DBG_TYPE_ARRAY || tt->kind == DBG_TYPE_FUNC)) {
			struct dbg_buf p = {0};

			dbg_buf_printf(&p, "(%s)", dbg_buf_str(&b));
			dbg_buf_free(&b);
			b = p;
		}
		name_rec(tt, dbg_buf_str(&b), out);
		break;
	}
	case DBG_TYPE_ARRAY:
		dbg_buf_puts(&b, inner);
		if (t->has_count)
			dbg_buf_printf(&b, "[%llu]", (unsigned long long)t->count);
		else
			dbg_buf_puts(&b, "[]");
		name_rec(t->target, dbg_buf_str(&b), out);
		break;
	case DBG_TYPE_FUNC:
		dbg_buf_puts(&b, inner);
		params_text(t, &b);
		name_rec(t->target, dbg_buf_str(&b), out);
		break;
	case DBG_TYPE_QUAL: {
		const struct dbg_type *tt = t->target;
		const char *q = (t->quals & DBG_Q_CONST) && (t->quals & DBG_Q_VOLATILE)
		                        ? "const volatile"
		                : (t->quals & DBG_Q_CONST) ? "const"
		                                           : "volatile";

		if (tt && tt->kind == DBG_TYPE_PTR) {
			if (inner[0])
				dbg_buf_printf(&b, "%s %s", q, inner);
			else
				dbg_buf_puts(&b, q);
			name_rec(tt, dbg_buf_str(&b), out);
		} else {
			dbg_buf_printf(&b, "%s ", q);
			name_rec(tt, "", &b);
			name_with(dbg_buf_str(&b), inner, out);
		}
		break;
	}
	case DBG_TYPE_STRUCT:
	case DBG_TYPE_UNION:
	case DBG_TYPE_ENUM:
		if (t->name)
			dbg_buf_printf(&b, "%s %s", tag_word(t->kind), t->name);
		else
			dbg_buf_printf(&b, "%s {...}", tag_word(t->kind));
		name_with(dbg_buf_str(&b), inner, out);
		break;
	default:
		name_with(t->name ? t->name : "void", inner, out);
		break;
	}
	dbg_buf_free(&b);
}

void dbg_type_name(const struct dbg_type *t, struct dbg_buf *out)
{
	name_rec(t, "", out);
}

void dbg_type_decl(const struct dbg_type *t, const char *name, struct dbg_buf *out)
{
	name_rec(t, name ? name : "", out);
}

const struct dbg_member *dbg_type_find_member(const struct dbg_type *t, const char *name,
                                              uint64_t *ret_offset)
{
	t = dbg_type_strip(t);
	if (!t || (t->kind != DBG_TYPE_STRUCT && t->kind != DBG_TYPE_UNION))
		return NULL;
	for (size_t i = 0; i < t->nmembers; i++) {
		const struct dbg_member *m = &t->members[i];

		if (m->name && strcmp(m->name, name) == 0) {
			*ret_offset += m->offset;
			return m;
		}
		if (!m->name) {
			uint64_t off = *ret_offset + m->offset;
			const struct dbg_member *r = dbg_type_find_member(m->type, name, &off);

			if (r) {
				*ret_offset = off;
				return r;
			}
		}
	}
	return NULL;
}
