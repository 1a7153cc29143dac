/* SPDX-License-Identifier: MIT */
#include "format.h"
#include "expr.h"
#include "print.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static int ferr(char *err, size_t errlen, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

static int ferr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

int dbg_fmt_parse(const char *s, size_t *ret_len, struct dbg_fmt *out, char *err, size_t errlen)
{
	const char *p = s;
	bool neg = false;

	memset(out, 0, sizeof(*out));
	out->count = 1;
	if (*p == '-') {
		neg = true;
		p++;
	}
	if (isdigit((unsigned char)*p)) {
		long n = 0;

		while (isdigit((unsigned char)*p)) {
			if (n > 100000000)
				return ferr(err, errlen, "Item count too large.");
			n = n * 10 + (*p - '0');
			p++;
		}
		out->count = neg ? -n : n;
		out->has_count = true;
	} else if (neg) {
		out->count = -1;
		out->has_count = true;
	}
	while (*p && !isspace((unsigned char)*p)) {
		char c = *p;

		if (c == 'b' || c == 'h' || c == 'w' || c == 'g') {
			out->size = c;
		} else if (c == 'r') {
			out->raw = true;
		} else if (strchr("xduotacfsiz", c)) {
			out->format = c;
		} else if (isdigit((unsigned char)c)) {
			return ferr(err, errlen, "Item count must come first in \"/%.*s\".",
			            (int)strcspn(s, " \t"), s);
		} else {
			return ferr(err, errlen, "Undefined output format \"%c\".", c);
		}
		p++;
	}
	*ret_len = (size_t)(p - s);
	return 0;
}

int dbg_fmt_check_print(const struct dbg_fmt *f, const char *cmd, char *err, size_t errlen)
{
	if (f->has_count && f->count != 1)
		return ferr(err, errlen,
		            "Item count other than 1 is meaningless in \"%s\" command.", cmd);
	if (f->size)
		return ferr(err, errlen, "Size letters are meaningless in \"%s\" command.", cmd);
	if (f->format == 'i')
		return ferr(err, errlen, "Format letter \"%c\" is meaningless in \"%s\" command.",
		            f->format, cmd);
	return 0;
}

void dbg_format_symbol(struct dbg_ctx *ctx, uint64_t addr, struct dbg_buf *out)
{
	char sym[256];

	if (ctx->target.symbolize &&
	    ctx->target.symbolize(ctx->target.data, addr, sym, sizeof(sym)) > 0) {
		sym[sizeof(sym) - 1] = '\0';
		dbg_buf_printf(out, " <%s>", sym);
	}
}

void dbg_format_char_escaped(unsigned c, char quote, struct dbg_buf *out)
{
	c &= 0xff;
	switch (c) {
	case '\a':
		dbg_buf_puts(out, "\\a");
		return;
	case '\b':
		dbg_buf_puts(out, "\\b");
		return;
	case '\f':
		dbg_buf_puts(out, "\\f");
		return;
	case '\n':
		dbg_buf_puts(out, "\\n");
		return;
	case '\r':
		dbg_buf_puts(out, "\\r");
		return;
	case '\t':
		dbg_buf_puts(out, "\\t");
		return;
	case '\v':
		dbg_buf_puts(out, "\\v");
		return;
	case '\\':
		dbg_buf_puts(out, "\\\\");
		return;
	default:
		break;
	}
	if (c == (unsigned char)quote) {
		dbg_buf_putc(out, '\\');
		dbg_buf_putc(out, (char)c);
	} else if (c >= 0x20 && c < 0x7f) {
		dbg_buf_putc(out, (char)c);
	} else {
		dbg_buf_printf(out, "\\%03o", c);
	}
}

size_t dbg_float_size_code(const struct dbg_type *t)
{
	if (t->size == 2 && t->name && strcmp(t->name, "bfloat16") == 0)
		return 3;
	return (size_t)t->size;
}

void dbg_format_float(const unsigned char *b, size_t size, struct dbg_buf *out)
{
	if (size == 4) {
		float f;
		uint32_t bits;

		memcpy(&f, b, 4);
		memcpy(&bits, b, 4);
		if (isnan(f))
			dbg_buf_printf(out, "%snan(0x%x)", bits >> 31 ? "-" : "", bits & 0x7fffffu);
		else if (isinf(f))
			dbg_buf_puts(out, f < 0 ? "-inf" : "inf");
		else
			dbg_buf_printf(out, "%.9g", (double)f);
	} else if (size == 8) {
		double d;
		uint64_t bits;

		memcpy(&d, b, 8);
		memcpy(&bits, b, 8);
		if (isnan(d))
			dbg_buf_printf(out, "%snan(0x%llx)", bits >> 63 ? "-" : "",
			               (unsigned long long)(bits & 0xfffffffffffffull));
		else if (isinf(d))
			dbg_buf_puts(out, d < 0 ? "-inf" : "inf");
		else
			dbg_buf_printf(out, "%.17g", d);
	} else if (size == 2 || size == 3) {
		/* size 2: IEEE half; 3 stands for bfloat16 (2 bytes, see dbg_format_float2). */
		uint16_t bits = (uint16_t)(b[0] | (b[1] << 8));
		bool bf = size == 3;
		int ebits = bf ? 8 : 5, mbits = bf ? 7 : 10;
		int e = (bits >> mbits) & ((1 << ebits) - 1);
		unsigned m = bits & ((1u << mbits) - 1);
		int bias = (1 << (ebits - 1)) - 1;
		double v;

		if (e == (1 << ebits) - 1) {
			if (m)
				dbg_buf_printf(out, "%snan(0x%x)", bits >> 15 ? "-" : "", m);
			else
				dbg_buf_puts(out, bits >> 15 ? "-inf" : "inf");
			return;
		}
		if (e == 0)
			v = ldexp((double)m, 1 - bias - mbits);
		else
			v = ldexp((double)(m | (1u << mbits)), e - bias - mbits);
		if (bits >> 15)
			v = -v;
		dbg_buf_printf(out, bf ? "%.4g" : "%.5g", v);
	} else if (size == 10 || size == 16) {
		long double ld = dbg_bytes_to_float(b, size);
		uint64_t mant;

		memcpy(&mant, b, 8);
		if (isnan(ld))
			dbg_buf_printf(out, "%snan(0x%llx)", (b[9] & 0x80) ? "-" : "",
			               (unsigned long long)(mant & 0x7fffffffffffffffull));
		else if (isinf(ld))
			dbg_buf_puts(out, ld < 0 ? "-inf" : "inf");
		else
			dbg_buf_printf(out, "%.21Lg", ld);
	} else {
		dbg_buf_puts(out, "<invalid float value>");
	}
}

/* Hex digits of size bytes (little-endian), without leading zeros unless pad. */
static void hex_bytes(const unsigned char *b, size_t size, bool pad, struct dbg_buf *out)
{
	bool started = pad;

	dbg_buf_puts(out, "0x");
	for (size_t i = size; i-- > 0;) {
		if (!started && b[i] == 0 && i > 0)
			continue;
		if (!started) {
			dbg_buf_printf(out, "%x", b[i]);
			started = true;
		} else {
			dbg_buf_printf(out, "%02x", b[i]);
		}
	}
	if (size == 0)
		dbg_buf_putc(out, '0');
}

static void binary(uint64_t v, unsigned bits, bool pad, struct dbg_buf *out)
{
	bool started = pad;

	for (unsigned i = bits; i-- > 0;) {
		int bit = (int)((v >> i) & 1);

		if (!started && !bit && i > 0)
			continue;
		started = true;
		dbg_buf_putc(out, (char)('0' + bit));
	}
}

void dbg_format_scalar(struct dbg_ctx *ctx, const struct dbg_type *t, const unsigned char *bytes,
                       char format, bool xmode, struct dbg_buf *out)
{
	const struct dbg_type *s = dbg_type_strip(t);
	size_t size = (size_t)(s ? s->size : 0);
	bool is_signed = s && !s->is_unsigned && s->kind != DBG_TYPE_PTR;
	uint64_t u, mask;

	if (size == 0)
		size = 1;
	if (s && s->kind == DBG_TYPE_FLOAT && (format == 'f' || format == 0)) {
		dbg_format_float(bytes, dbg_float_size_code(s), out);
		return;
	}
	if (s && s->kind == DBG_TYPE_FLOAT)
		is_signed = true; /* raw bits, read as a signed integer of that size */
	if (size == 16 && (format == 0 || format == 'd' || format == 'u') && s &&
	    s->kind == DBG_TYPE_INT) {
		/* 128-bit integers (the vector registers' uint128, int128). */
		unsigned __int128 v = 0;
		bool neg;
		char digits[48];
		size_t k = sizeof(digits);

		for (size_t i = 16; i-- > 0;)
			v = (v << 8) | bytes[i];
		neg = format != 'u' && (format == 'd' || is_signed) && (bytes[15] & 0x80);
		if (neg)
			v = ~v + 1;
		digits[--k] = '\0';
		do {
			digits[--k] = (char)('0' + (int)(v % 10));
			v /= 10;
		} while (v);
		dbg_buf_printf(out, "%s%s", neg ? "-" : "", digits + k);
		return;
	}
	if (size > 8 && format != 'x' && format != 'z') {
		hex_bytes(bytes, size, false, out);
		return;
	}
	u = dbg_bytes_to_u64(bytes, size, false);
	mask = size >= 8 ? ~(uint64_t)0 : (((uint64_t)1 << (8 * size)) - 1);
	switch (format) {
	case 'x':
		if (xmode)
			hex_bytes(bytes, size, true, out);
		else
			hex_bytes(bytes, size, false, out);
		return;
	case 'z':
		hex_bytes(bytes, size, true, out);
		return;
	case 'o':
		if (u == 0)
			dbg_buf_putc(out, '0');
		else
			dbg_buf_printf(out, "0%llo", (unsigned long long)(u & mask));
		return;
	case 't':
		binary(u, (unsigned)size * 8, xmode, out);
		return;
	case 'd':
		dbg_buf_printf(out, "%lld", (long long)dbg_bytes_to_u64(bytes, size, true));
		return;
	case 'u':
		dbg_buf_printf(out, "%llu", (unsigned long long)u);
		return;
	case 'c': {
		/* The low byte, as signed or unsigned char after the value's own type. */
		unsigned c = (unsigned)(u & 0xff);

		if (is_signed)
			dbg_buf_printf(out, "%d '", (int)(signed char)c);
		else
			dbg_buf_printf(out, "%u '", c);
		dbg_format_char_escaped(c, '\'', out);
		dbg_buf_putc(out, '\'');
		return;
	}
	case 'a':
		dbg_buf_printf(out, "0x%llx", (unsigned long long)u);
		dbg_format_symbol(ctx, u, out);
		return;
	case 'f':
		if (s &&
		    (s->kind == DBG_TYPE_INT || s->kind == DBG_TYPE_ENUM ||
		     s->kind == DBG_TYPE_CHAR || s->kind == DBG_TYPE_BOOL) &&
		    (size == 4 || size == 8)) {
			/* gdb reinterprets an integer of float size as that float. */
			dbg_format_float(bytes, size, out);
			return;
		}
		break;
	default:
		break;
	}
	/* Natural integer. */
	if (is_signed)
		dbg_buf_printf(out, "%lld", (long long)dbg_bytes_to_u64(bytes, size, true));
	else
		dbg_buf_printf(out, "%llu", (unsigned long long)u);
}

static unsigned size_bytes(char size)
{
	switch (size) {
	case 'b':
		return 1;
	case 'h':
		return 2;
	case 'w':
		return 4;
	default:
		return 8;
	}
}

static struct dbg_type *unit_type(struct dbg_ctx *ctx, char format, unsigned n)
{
	if (format == 'f')
		return dbg_builtin(ctx, n == 4 ? DBG_BT_FLOAT : DBG_BT_DOUBLE);
	switch (n) {
	case 1:
		return dbg_builtin(ctx, DBG_BT_INT8);
	case 2:
		return dbg_builtin(ctx, DBG_BT_INT16);
	case 4:
		return dbg_builtin(ctx, DBG_BT_INT32);
	default:
		return dbg_builtin(ctx, DBG_BT_INT64);
	}
}

static void line_start(struct dbg_ctx *ctx, uint64_t addr, struct dbg_buf *out, const char *lead)
{
	dbg_buf_printf(out, "%s0x%llx", lead, (unsigned long long)addr);
	dbg_format_symbol(ctx, addr, out);
	dbg_buf_putc(out, ':');
}

static int set_underscores(struct dbg_ctx *ctx, struct dbg_type *t, uint64_t addr,
                           const unsigned char *bytes)
{
	struct dbg_type *pt = dbg_ctx_pointer_to(ctx, t);
	struct dbg_value *a, *c;
	int r;

	if (!pt)
		return dbg_error(ctx, ENOMEM, "Out of memory.");
	a = dbg_value_from_int(ctx, pt, addr);
	if (!a)
		return -ENOMEM;
	r = dbg_conv_set(ctx, "_", a);
	if (r < 0 || !bytes)
		return r;
	c = dbg_value_new(ctx, t);
	if (!c)
		return -ENOMEM;
	memcpy(c->bytes, bytes, dbg_type_size(t));
	return dbg_conv_set(ctx, "__", c);
}

int dbg_examine(struct dbg_ctx *ctx, const struct dbg_fmt *f, uint64_t addr, struct dbg_buf *out)
{
	/*
	 * Without /FMT, x goes on with the last format, size and count.  gdb
	 * starts with none: `x ADDR` is then hex, `x/g ADDR` (a slash without
	 * a format letter) the natural format of the unit (decimal).
	 */
	char format = f && f->format ? f->format : ctx->x_format;

	if (!f && !format)
		format = 'x';
	char size = f ? f->size : 0;
	long count = f ? (f->has_count ? f->count : 1) : ctx->x_count;
	unsigned n, per_line;
	int r = 0;

	/* Default unit sizes, as gdb picks them. */
	if (format == 'a') {
		size = 'g';
	} else if (format == 'c' || format == 's') {
		if (!size)
			size = 'b';
	} else if (format == 'f') {
		if (!size)
			size = ctx->x_size == 'w' || ctx->x_size == 'g' ? ctx->x_size : 'g';
		else if (size == 'b' || size == 'h')
			size = 'g';
	} else if (!size) {
		size = ctx->x_size;
	}
	ctx->x_format = format;
	ctx->x_count = count;
	if (format != 'i')
		ctx->x_size = size;
	n = size_bytes(size);

	if (format == 's') {
		if (count < 0)
			count = -count;
		for (long i = 0; i < count; i++) {
			uint64_t next;

			line_start(ctx, addr, out, "");
			dbg_buf_putc(out, '\t');
			r = dbg_print_string_at(ctx, addr, out, &next);
			if (r < 0)
				break;
			dbg_buf_putc(out, '\n');
			r = set_underscores(ctx, dbg_builtin(ctx, DBG_BT_CHAR), addr, NULL);
			if (r < 0)
				break;
			addr = next;
		}
		goto done;
	}
	if (format == 'i') {
		if (count < 0)
			return dbg_error(ctx, EINVAL,
			                 "Examining instructions backwards is not supported.");
		for (long i = 0; i < count; i++) {
			char text[256];
			size_t len = 0;

			if (!ctx->target.disassemble)
				return dbg_error(ctx, ENOTSUP, "No disassembler available.");
			line_start(ctx, addr, out, ctx->has_pc && ctx->pc == addr ? "=> " : "   ");
			dbg_buf_putc(out, '\t');
			r = ctx->target.disassemble(ctx->target.data, addr, text, sizeof(text),
			                            &len);
			if (r < 0 || len == 0) {
				r = dbg_error(ctx, EFAULT, "Cannot access memory at address 0x%llx",
				              (unsigned long long)addr);
				break;
			}
			text[sizeof(text) - 1] = '\0';
			dbg_buf_puts(out, text);
			dbg_buf_putc(out, '\n');
			/* $_ is the last instruction examined, as an int8_t * in gdb */
			r = set_underscores(ctx, dbg_builtin(ctx, DBG_BT_INT8), addr, NULL);
			if (r < 0)
				break;
			addr += len;
		}
		goto done;
	}

	if (count < 0) {
		/* Backwards: the count units that end at addr. */
		count = -count;
		addr -= (uint64_t)count * n;
	}
	per_line = n == 1 || n == 2 ? 8 : n == 4 ? 4 : 2;
	for (long i = 0; i < count; i++) {
		unsigned char unit[8];
		struct dbg_type *t = unit_type(ctx, format, n);

		if (i % per_line == 0) {
			if (i)
				dbg_buf_putc(out, '\n');
			line_start(ctx, addr, out, "");
		}
		dbg_buf_putc(out, '\t');
		r = dbg_read_memory(ctx, addr, unit, n);
		if (r < 0)
			break;
		if (format == 'f')
			dbg_format_float(unit, n, out);
		else
			dbg_format_scalar(ctx, t, unit, format, true, out);
		r = set_underscores(ctx, t, addr, unit);
		if (r < 0)
			break;
		addr += n;
	}
	if (r == 0 && count > 0)
		dbg_buf_putc(out, '\n');
done:
	ctx->x_next = addr;
	ctx->x_has_next = true;
	return r;
}

int dbg_examine_expr(struct dbg_ctx *ctx, const struct dbg_fmt *f, const char *expr,
                     struct dbg_buf *out)
{
	struct dbg_value *v;
	uint64_t addr;
	int r;

	while (expr && isspace((unsigned char)*expr))
		expr++;
	if (!expr || !*expr) {
		if (!ctx->x_has_next)
			return dbg_error(ctx, EINVAL,
			                 "Argument required (starting display address).");
		return dbg_examine(ctx, f, ctx->x_next, out);
	}
	r = dbg_eval_string(ctx, expr, &v);
	if (r < 0)
		return r;
	r = dbg_value_as_address(ctx, v, &addr);
	if (r < 0)
		return r;
	/* `x ADDR` is one unit; only a bare `x` goes on with the last count */
	if (!f)
		ctx->x_count = 1;
	return dbg_examine(ctx, f, addr, out);
}
