/* SPDX-License-Identifier: MIT */
#include "print.h"
#include "expr.h"

#include <ctype.h>
#include <errno.h>
#include <string.h>

#define MAX_PRINT_DEPTH 64

static void print_rec(struct dbg_ctx *ctx, const struct dbg_type *t, const unsigned char *b,
                      char format, int depth, struct dbg_buf *out);

/*
 * Characters in gdb's layout: runs longer than the repeat threshold become
 * 'c' <repeats N times> (counting as threshold elements toward the limit),
 * other characters go inside double quotes; "..." follows when the text
 * was cut by the limit or `ellipsis` says more exists.
 */
static void print_chars(struct dbg_ctx *ctx, const unsigned char *s, size_t len, bool ellipsis,
                        struct dbg_buf *out)
{
	size_t i = 0, things = 0;
	bool in_quotes = false, any = false;

	if (len == 0) {
		dbg_buf_puts(out, "\"\"");
		if (ellipsis)
			dbg_buf_puts(out, "...");
		return;
	}
	while (i < len && things < ctx->print_elements) {
		size_t reps = 1;

		while (i + reps < len && s[i + reps] == s[i])
			reps++;
		if (reps > ctx->repeat_threshold) {
			if (in_quotes) {
				dbg_buf_puts(out, "\", ");
				in_quotes = false;
			} else if (any) {
				dbg_buf_puts(out, ", ");
			}
			dbg_buf_putc(out, '\'');
			dbg_format_char_escaped(s[i], '\'', out);
			dbg_buf_printf(out, "' <repeats %zu times>", reps);
			i += reps;
			things += ctx->repeat_threshold;
		} else {
			if (!in_quotes) {
				if (any)
					dbg_buf_puts(out, ", ");
				dbg_buf_putc(out, '"');
				in_quotes = true;
			}
			dbg_format_char_escaped(s[i], '"', out);
			i++;
			things++;
		}
		any = true;
	}
	if (in_quotes)
		dbg_buf_putc(out, '"');
	if (i < len || ellipsis)
		dbg_buf_puts(out, "...");
}

int dbg_print_string_at(struct dbg_ctx *ctx, uint64_t addr, struct dbg_buf *out, uint64_t *ret_next)
{
	unsigned limit = ctx->print_elements;
	unsigned char *s = dbg_arena_alloc(&ctx->tmp, limit + 1);
	size_t n = 0;
	bool nul = false;
	int r = 0;

	if (!s)
		return dbg_error(ctx, ENOMEM, "Out of memory.");
	/* Read in small pieces so that a string ending near unmapped memory still prints. */
	while (n < limit) {
		unsigned char c;

		r = dbg_read_memory(ctx, addr + n, &c, 1);
		if (r < 0)
			break;
		if (c == 0) {
			nul = true;
			break;
		}
		s[n++] = c;
	}
	if (r < 0 && n == 0) {
		dbg_buf_printf(out, "<error: %s>", ctx->err);
		*ret_next = addr;
		return r;
	}
	print_chars(ctx, s, n, !nul && r == 0, out);
	if (r < 0)
		dbg_buf_printf(out, "<error: %s>", ctx->err);
	*ret_next = addr + n + (nul ? 1 : 0);
	return 0;
}

static void print_enum(const struct dbg_type *s, const unsigned char *b, struct dbg_buf *out)
{
	uint64_t u = dbg_bytes_to_u64(b, s->size, !s->is_unsigned);
	bool first = true;

	for (size_t i = 0; i < s->nenumerators; i++) {
		if ((uint64_t)s->enumerators[i].value == u) {
			dbg_buf_puts(out, s->enumerators[i].name);
			return;
		}
	}
	if (!dbg_type_is_flag_enum(s) || u == 0) {
		if (s->is_unsigned)
			dbg_buf_printf(out, "%llu", (unsigned long long)u);
		else
			dbg_buf_printf(out, "%lld", (long long)u);
		return;
	}
	if (s->size < 8)
		u &= ((uint64_t)1 << (8 * s->size)) - 1;
	dbg_buf_putc(out, '(');
	for (size_t i = 0; i < s->nenumerators; i++) {
		uint64_t ev = (uint64_t)s->enumerators[i].value;

		if (ev != 0 && (u & ev) == ev) {
			dbg_buf_printf(out, "%s%s", first ? "" : " | ", s->enumerators[i].name);
			first = false;
			u &= ~ev;
		}
	}
	if (u)
		dbg_buf_printf(out, "%sunknown: 0x%llx", first ? "" : " | ", (unsigned long long)u);
	dbg_buf_putc(out, ')');
}

static void print_flags(const struct dbg_type *s, const unsigned char *b, struct dbg_buf *out)
{
	uint64_t u = dbg_bytes_to_u64(b, s->size, false);

	dbg_buf_puts(out, "[ ");
	for (size_t i = 0; i < s->nflags; i++)
		if (s->flags[i].bit < 64 && (u >> s->flags[i].bit) & 1)
			dbg_buf_printf(out, "%s ", s->flags[i].name);
	dbg_buf_putc(out, ']');
}

/* Does this pointer type point at plain `char` (gdb then prints the string)? */
static bool char_pointer(const struct dbg_type *ptr)
{
	const struct dbg_type *t = ptr->target;

	while (t && t->kind == DBG_TYPE_QUAL)
		t = t->target;
	return t && t->kind == DBG_TYPE_CHAR && t->size == 1;
}

static void print_pointer(struct dbg_ctx *ctx, const struct dbg_type *s, const unsigned char *b,
                          char format, struct dbg_buf *out)
{
	uint64_t addr = dbg_bytes_to_u64(b, 8, false);
	const struct dbg_type *tt = dbg_type_strip(s->target);

	dbg_buf_printf(out, "0x%llx", (unsigned long long)addr);
	dbg_format_symbol(ctx, addr, out);
	if (tt && tt->kind != DBG_TYPE_FUNC && char_pointer(s) && addr != 0 &&
	    (format == 0 || format == 's')) {
		uint64_t next;

		dbg_buf_putc(out, ' ');
		dbg_print_string_at(ctx, addr, out, &next);
	}
}

static void print_array(struct dbg_ctx *ctx, const struct dbg_type *s, const unsigned char *b,
                        char format, int depth, struct dbg_buf *out)
{
	const struct dbg_type *et = s->target;
	uint64_t es = dbg_type_size(et), n = s->has_count ? s->count : 0;
	uint64_t i = 0, things = 0;

	if (dbg_type_is_char(et) && (format == 0 || format == 's')) {
		/* gdb drops one trailing NUL of a char array. */
		size_t len = (size_t)n;

		if (len > 0 && b[len - 1] == 0)
			len--;
		print_chars(ctx, b, len, false, out);
		return;
	}
	dbg_buf_putc(out, '{');
	while (i < n && things < ctx->print_elements) {
		uint64_t reps = 1;

		while (i + reps < n && es > 0 && memcmp(b + i * es, b + (i + reps) * es, es) == 0)
			reps++;
		if (i)
			dbg_buf_puts(out, ", ");
		print_rec(ctx, et, b + i * es, format, depth + 1, out);
		if (reps > ctx->repeat_threshold) {
			dbg_buf_printf(out, " <repeats %llu times>", (unsigned long long)reps);
			i += reps;
			things += ctx->repeat_threshold;
		} else {
			i++;
			things++;
		}
	}
	if (i < n)
		dbg_buf_puts(out, "...");
	dbg_buf_putc(out, '}');
}

static void print_struct(struct dbg_ctx *ctx, const struct dbg_type *s, const unsigned char *b,
                         char format, int depth, struct dbg_buf *out)
{
	uint64_t size = s->size;
	bool any = false;

	if (s->nmembers == 0) {
		dbg_buf_puts(out, "{<No data fields>}");
		return;
	}
	dbg_buf_putc(out, '{');
	for (size_t i = 0; i < s->nmembers; i++) {
		const struct dbg_member *m = &s->members[i];
		uint64_t ms = dbg_type_size(m->type);

		if (any)
			dbg_buf_puts(out, ", ");
		any = true;
		if (m->name)
			dbg_buf_printf(out, "%s = ", m->name);
		if (m->bit_size) {
			unsigned char tmp[8] = {0};
			const struct dbg_type *mt = dbg_type_strip(m->type);
			uint64_t bits = 0;

			for (unsigned k = 0; k < m->bit_size && k < 64; k++) {
				uint64_t bit = m->offset * 8 + m->bit_offset + k;

				if (bit / 8 < size && (b[bit / 8] >> (bit % 8)) & 1)
					bits |= (uint64_t)1 << k;
			}
			if (m->bit_size < 64 && !mt->is_unsigned && (bits >> (m->bit_size - 1)) & 1)
				bits |= ~(uint64_t)0 << m->bit_size;
			dbg_u64_to_bytes(tmp, ms < 8 ? ms : 8, bits);
			print_rec(ctx, m->type, tmp, format, depth + 1, out);
		} else if (m->offset > size || ms > size - m->offset) {
			dbg_buf_puts(out, "<invalid member>");
		} else {
			print_rec(ctx, m->type, b + m->offset, format, depth + 1, out);
		}
	}
	dbg_buf_putc(out, '}');
}

static void print_rec(struct dbg_ctx *ctx, const struct dbg_type *t, const unsigned char *b,
                      char format, int depth, struct dbg_buf *out)
{
	const struct dbg_type *s = dbg_type_strip(t);

	if (depth > MAX_PRINT_DEPTH) {
		dbg_buf_puts(out, "...");
		return;
	}
	if (!s) {
		dbg_buf_puts(out, "void");
		return;
	}
	if (format && format != 's' && (dbg_type_is_scalar(s) || s->kind == DBG_TYPE_FLAGS)) {
		dbg_format_scalar(ctx, s, b, format, false, out);
		return;
	}
	switch (s->kind) {
	case DBG_TYPE_VOID:
		dbg_buf_puts(out, "void");
		break;
	case DBG_TYPE_INT:
		dbg_format_scalar(ctx, s, b, 'd' + (s->is_unsigned ? 'u' - 'd' : 0), false, out);
		break;
	case DBG_TYPE_CHAR:
		if (s->size == 1)
			dbg_format_scalar(ctx, s, b, 'c', false, out);
		else
			dbg_format_scalar(ctx, s, b, s->is_unsigned ? 'u' : 'd', false, out);
		break;
	case DBG_TYPE_BOOL: {
		uint64_t u = dbg_bytes_to_u64(b, s->size, false);

		if (u <= 1)
			dbg_buf_puts(out, u ? "true" : "false");
		else
			dbg_buf_printf(out, "%llu", (unsigned long long)u);
		break;
	}
	case DBG_TYPE_ENUM:
		print_enum(s, b, out);
		break;
	case DBG_TYPE_FLOAT:
		dbg_format_float(b, dbg_float_size_code(s), out);
		break;
	case DBG_TYPE_FLAGS:
		print_flags(s, b, out);
		break;
	case DBG_TYPE_PTR:
		print_pointer(ctx, s, b, format, out);
		break;
	case DBG_TYPE_ARRAY:
		print_array(ctx, s, b, format, depth, out);
		break;
	case DBG_TYPE_STRUCT:
	case DBG_TYPE_UNION:
		print_struct(ctx, s, b, format, depth, out);
		break;
	case DBG_TYPE_FUNC:
		dbg_buf_puts(out, "{");
		dbg_type_name(t, out);
		dbg_buf_puts(out, "}");
		break;
	default:
		dbg_buf_puts(out, "<unknown type>");
		break;
	}
}

int dbg_print_value(struct dbg_ctx *ctx, struct dbg_value *v, char format, struct dbg_buf *out)
{
	const struct dbg_type *s = dbg_type_strip(v->type);
	int r;

	if (v->optimized_out) {
		dbg_buf_puts(out, "<optimized out>");
		return 0;
	}
	if (s && s->kind == DBG_TYPE_FUNC) {
		/* A function: its signature and where it is; nothing to read. */
		if (format && format != 's') {
			if (format == 'a' || format == 'x' || format == 'z' || format == 'd' ||
			    format == 'u' || format == 'o' || format == 't')
				return dbg_error(ctx, EINVAL,
				                 "Value can't be converted to integer.");
		}
		dbg_buf_putc(out, '{');
		dbg_type_name(v->type, out);
		dbg_buf_printf(out, "} 0x%llx", (unsigned long long)v->addr);
		dbg_format_symbol(ctx, v->addr, out);
		return 0;
	}
	r = dbg_value_fetch(ctx, v);
	if (r < 0)
		return r;
	if (s && s->kind == DBG_TYPE_PTR && !format) {
		/* gdb omits the type only for an unnamed pointer to plain char. */
		const struct dbg_type *q = v->type;

		while (q->kind == DBG_TYPE_QUAL)
			q = q->target;
		if (q->kind == DBG_TYPE_PTR && char_pointer(q))
			goto body;
		dbg_buf_putc(out, '(');
		dbg_type_name(v->type, out);
		dbg_buf_puts(out, ") ");
	}
body:
	print_rec(ctx, v->type, v->bytes, format, 0, out);
	return 0;
}

int dbg_print_value_plain(struct dbg_ctx *ctx, struct dbg_value *v, char format,
                          struct dbg_buf *out)
{
	const struct dbg_type *s = dbg_type_strip(v->type);
	int r;

	if (v->optimized_out) {
		dbg_buf_puts(out, "<optimized out>");
		return 0;
	}
	if (s && s->kind == DBG_TYPE_FUNC)
		return dbg_print_value(ctx, v, format, out);
	r = dbg_value_fetch(ctx, v);
	if (r < 0)
		return r;
	print_rec(ctx, v->type, v->bytes, format, 0, out);
	return 0;
}

static int eval_for_print(struct dbg_ctx *ctx, const char *expr, struct dbg_value **ret)
{
	const struct dbg_value *h;

	while (expr && isspace((unsigned char)*expr))
		expr++;
	if (expr && *expr)
		return dbg_eval_string(ctx, expr, ret);
	/* No expression: the last value again (void if there is none). */
	h = dbg_history_get(ctx, ctx->nhistory);
	*ret = h ? dbg_value_copy(ctx, h) : dbg_value_new(ctx, dbg_builtin(ctx, DBG_BT_VOID));
	return *ret ? 0 : -ENOMEM;
}

static int check_fmt(struct dbg_ctx *ctx, const struct dbg_fmt *f, const char *cmd)
{
	if (f && dbg_fmt_check_print(f, cmd, ctx->err, sizeof(ctx->err)) < 0)
		return -EINVAL;
	return 0;
}

int dbg_print_command(struct dbg_ctx *ctx, const char *expr, const struct dbg_fmt *f,
                      struct dbg_buf *out)
{
	struct dbg_value *v;
	struct dbg_buf text = {0};
	int r = check_fmt(ctx, f, "print"), n;

	if (r < 0)
		return r;
	r = eval_for_print(ctx, expr, &v);
	if (r < 0)
		return r;
	if (!v->optimized_out && dbg_type_strip(v->type)->kind != DBG_TYPE_FUNC) {
		r = dbg_value_fetch(ctx, v);
		if (r < 0)
			return r;
	}
	r = dbg_print_value(ctx, v, f ? f->format : 0, &text);
	if (r < 0)
		goto out;
	n = dbg_history_add(ctx, v);
	if (n < 0) {
		r = n;
		goto out;
	}
	dbg_buf_printf(out, "$%d = %s", n, dbg_buf_str(&text));
	if (text.oom || out->oom)
		r = dbg_error(ctx, ENOMEM, "Out of memory.");
out:
	dbg_buf_free(&text);
	return r;
}

int dbg_output_command(struct dbg_ctx *ctx, const char *expr, const struct dbg_fmt *f,
                       struct dbg_buf *out)
{
	struct dbg_value *v;
	int r = check_fmt(ctx, f, "output");

	if (r < 0)
		return r;
	r = eval_for_print(ctx, expr, &v);
	if (r < 0)
		return r;
	return dbg_print_value(ctx, v, f ? f->format : 0, out);
}

int dbg_whatis_command(struct dbg_ctx *ctx, const char *expr, struct dbg_buf *out)
{
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
	dbg_buf_puts(out, "type = ");
	dbg_type_name(t, out);
	return 0;
}
