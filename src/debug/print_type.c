/* SPDX-License-Identifier: MIT */
/* ptype's expanded type definitions, the lines of `info registers` and of `display`. */
#include "print.h"
#include "expr.h"

#include <errno.h>
#include <string.h>

/* The struct, union or enum at the bottom of t's declarator chain, or NULL. */
static const struct dbg_type *base_of(const struct dbg_type *t)
{
	while (t) {
		switch (t->kind) {
		case DBG_TYPE_PTR:
		case DBG_TYPE_ARRAY:
		case DBG_TYPE_FUNC:
		case DBG_TYPE_QUAL:
			t = t->target;
			break;
		case DBG_TYPE_STRUCT:
		case DBG_TYPE_UNION:
		case DBG_TYPE_ENUM:
			return t;
		default:
			return NULL;
		}
	}
	return NULL;
}

static void expand(const struct dbg_type *t, struct dbg_buf *out)
{
	dbg_type_name(t, out);
	if (t->kind == DBG_TYPE_ENUM) {
		int64_t next = 0;

		dbg_buf_puts(out, " {");
		for (size_t i = 0; i < t->nenumerators; i++) {
			const struct dbg_enumerator *e = &t->enumerators[i];

			dbg_buf_printf(out, "%s%s", i ? ", " : "", e->name);
			if (e->value != next)
				dbg_buf_printf(out, " = %lld", (long long)e->value);
			next = (int64_t)((uint64_t)e->value + 1);
		}
		dbg_buf_putc(out, '}');
		return;
	}
	dbg_buf_puts(out, " {\n");
	for (size_t i = 0; i < t->nmembers; i++) {
		const struct dbg_member *m = &t->members[i];

		dbg_buf_puts(out, "    ");
		dbg_type_decl(m->type, m->name, out);
		if (m->bit_size)
			dbg_buf_printf(out, " : %u", m->bit_size);
		dbg_buf_puts(out, ";\n");
	}
	dbg_buf_putc(out, '}');
}

int dbg_ptype_command(struct dbg_ctx *ctx, const char *expr, struct dbg_buf *out)
{
	struct dbg_buf full = {0}, basename = {0};
	const struct dbg_type *base;
	struct dbg_type *t;
	struct dbg_expr *e;
	int r = dbg_type_parse(ctx, expr, &t);

	if (r == -ENOENT) {
		r = dbg_expr_parse(ctx, expr, &e);
		if (r < 0)
			return r;
		r = dbg_eval_type(ctx, e, &t);
	}
	if (r < 0)
		return r;
	/* ptype looks through typedefs at the top and shows one level of the definition. */
	while (t->kind == DBG_TYPE_TYPEDEF)
		t = t->target;
	dbg_buf_puts(out, "type = ");
	dbg_type_name(t, &full);
	base = base_of(t);
	if (base)
		dbg_type_name(base, &basename);
	if (base && !base->is_declaration &&
	    strncmp(dbg_buf_str(&full), dbg_buf_str(&basename), basename.len) == 0) {
		expand(base, out);
		dbg_buf_puts(out, dbg_buf_str(&full) + basename.len);
	} else {
		dbg_buf_puts(out, dbg_buf_str(&full));
	}
	dbg_buf_free(&full);
	dbg_buf_free(&basename);
	return 0;
}

int dbg_info_register_line(struct dbg_ctx *ctx, const char *name, struct dbg_buf *out)
{
	unsigned char buf[64] = {0};
	struct dbg_type *t = NULL;
	struct dbg_value *v;
	struct dbg_buf raw = {0};
	int r = -ENOENT;
	size_t n;

	if (ctx->target.read_register)
		r = ctx->target.read_register(ctx->target.data, name, &t, buf, sizeof(buf));
	if (r == -ENOENT)
		return dbg_error(ctx, ENOENT, "Invalid register `%s'", name);
	if (r < 0 || !t)
		return dbg_error(ctx, EIO, "The program has no registers now.");
	n = (size_t)r < sizeof(buf) ? (size_t)r : sizeof(buf);
	v = dbg_value_new(ctx, t);
	if (!v)
		return -ENOMEM;
	memcpy(v->bytes, buf, n < dbg_type_size(t) ? n : dbg_type_size(t));
	/* name in 15 columns, the raw value in hex in 20, then the natural form. */
	dbg_format_scalar(ctx, dbg_builtin(ctx, n <= 4 ? DBG_BT_UINT : DBG_BT_ULONG), buf, 'x',
	                  false, &raw);
	dbg_buf_printf(out, "%-15s%-20s", name, dbg_buf_str(&raw));
	dbg_buf_free(&raw);
	if (dbg_type_strip(t)->kind == DBG_TYPE_PTR) {
		/* Pointers without the "(type) " prefix print shows. */
		uint64_t a = dbg_bytes_to_u64(buf, 8, false);

		dbg_buf_printf(out, "0x%llx", (unsigned long long)a);
		dbg_format_symbol(ctx, a, out);
		return 0;
	}
	return dbg_print_value(ctx, v, 0, out);
}

int dbg_display_command(struct dbg_ctx *ctx, int num, const struct dbg_fmt *f, const char *expr,
                        struct dbg_buf *out)
{
	int r;

	if (f &&
	    (f->format == 'i' || f->format == 's' || f->size || (f->has_count && f->count != 1))) {
		/* Memory-examining displays: "N: x/FMT EXPR" then x's lines. */
		dbg_buf_printf(out, "%d: x/", num);
		if (f->has_count)
			dbg_buf_printf(out, "%ld", f->count);
		if (f->format)
			dbg_buf_putc(out, f->format);
		if (f->size)
			dbg_buf_putc(out, f->size);
		/* gdb puts a string on the same line, after two spaces. */
		dbg_buf_printf(out, " %s%s", expr, f->format == 's' ? "  " : "\n");
		return dbg_examine_expr(ctx, f, expr, out);
	}
	{
		struct dbg_buf val = {0};

		r = dbg_output_command(ctx, expr, f, &val);
		if (r == 0) {
			dbg_buf_printf(out, "%d: ", num);
			if (f && f->format)
				dbg_buf_printf(out, "/%c ", f->format);
			dbg_buf_printf(out, "%s = %s\n", expr, dbg_buf_str(&val));
		}
		dbg_buf_free(&val);
	}
	return r;
}
