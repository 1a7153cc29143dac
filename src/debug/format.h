/* SPDX-License-Identifier: MIT */
/*
 * gdb's output formats: the /NFU suffix of print, output, display and x
 * (count, format letter x d u o t a c f s i z, unit size b h w g), scalars
 * printed in each format exactly as gdb prints them, and the `x` command's
 * memory listing.
 */
#ifndef PTK_DEBUG_FORMAT_H
#define PTK_DEBUG_FORMAT_H

#include "value.h"

struct dbg_fmt {
	long count;  /* 1 unless given; x accepts a negative count (backwards) */
	char format; /* 0: natural; else one of "xduotacfsiz" */
	char size;   /* 0: default; else one of "bhwg" */
	bool has_count;
	bool raw; /* the /r modifier */
};

/*
 * Parse the letters after '/' (s points past the '/'), up to whitespace or
 * the end.  0 and *ret_len (characters consumed), or -EINVAL with a message
 * in err ("Undefined output format \"q\".").
 */
int dbg_fmt_parse(const char *s, size_t *ret_len, struct dbg_fmt *out, char *err, size_t errlen);
/*
 * Is f allowed for print-like command `cmd` ("print", "output", "call")?
 * gdb refuses counts, sizes and the i format there.
 */
int dbg_fmt_check_print(const struct dbg_fmt *f, const char *cmd, char *err, size_t errlen);

/*
 * Append scalar `bytes` of type t (integer, char, bool, enum, pointer, float,
 * flags) in format letter `format` (not 0, 's' or 'i').  `xmode` gives the
 * zero padding that `x` uses for x, z and t.  Symbols for 'a' come from the
 * target's symbolize callback.
 */
void dbg_format_scalar(struct dbg_ctx *ctx, const struct dbg_type *t, const unsigned char *bytes,
                       char format, bool xmode, struct dbg_buf *out);
/*
 * A float of size 4, 8, 10 or 16 as gdb prints it (%.9g, %.17g, %.21Lg, nan(0x...), inf);
 * size 2 is an IEEE half (%.5g) and 3 a bfloat16 (2 bytes, %.4g).
 */
void dbg_format_float(const unsigned char *bytes, size_t size, struct dbg_buf *out);
/* The size code dbg_format_float() wants for a float type (3 for "bfloat16"). */
size_t dbg_float_size_code(const struct dbg_type *t);
/* One character escaped for a literal quoted with `quote` (' or "). */
void dbg_format_char_escaped(unsigned c, char quote, struct dbg_buf *out);
/* " <main+4>" if the target knows a symbol for addr, else nothing. */
void dbg_format_symbol(struct dbg_ctx *ctx, uint64_t addr, struct dbg_buf *out);

/*
 * The x command: examine memory at addr with format f (NULL: no /FMT given;
 * defaults and "last used" format, size and count from ctx, updated here).  Appends gdb's lines
 * ("0x404028 <buf>:\t0x00000001\t0x00000002\n") to out, remembers where a
 * bare `x` goes on, sets $_ (last address examined) and $__ (its contents).
 * On a memory error, out ends with the partial line and -EFAULT is
 * returned with ctx->err set.
 */
int dbg_examine(struct dbg_ctx *ctx, const struct dbg_fmt *f, uint64_t addr, struct dbg_buf *out);
/*
 * `x/FMT EXPR`: evaluate EXPR to an address (pointer value, integer, or the
 * address of an array or function), then dbg_examine.  An empty EXPR goes on
 * from the last x ("Argument required (starting display address)." if none).
 */
int dbg_examine_expr(struct dbg_ctx *ctx, const struct dbg_fmt *f, const char *expr,
                     struct dbg_buf *out);

#endif
