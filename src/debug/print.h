/* SPDX-License-Identifier: MIT */
/*
 * Values printed as gdb's print command prints them: "$1 = 42",
 * "(int *) 0x404020 <gi>", "65 'A'", "0x402004 \"hello\"", "{1, 2, 3}",
 * "0 <repeats 300 times>", "{a = 1, in = {x = 7}}", "(FA | FC)", "true",
 * "0.10000000000000001", "{int (int)} 0x401106 <func>".
 */
#ifndef PTK_DEBUG_PRINT_H
#define PTK_DEBUG_PRINT_H

#include "format.h"

/*
 * Append v as print shows it after "$N = " (top level: pointers carry their
 * type, functions their signature).  `format` is 0 (natural) or a format
 * letter of print/FMT.  Fetches v; 0 or -errno with ctx->err set when v
 * itself cannot be read (memory errors further down print as
 * <error: ...> inside the text).
 */
int dbg_print_value(struct dbg_ctx *ctx, struct dbg_value *v, char format, struct dbg_buf *out);

/*
 * v as frame arguments and `info locals` show it: like dbg_print_value
 * without the "(type *) " that print puts before pointers.
 */
int dbg_print_value_plain(struct dbg_ctx *ctx, struct dbg_value *v, char format,
                          struct dbg_buf *out);

/*
 * The print command: evaluate `expr` (empty: the last history value),
 * record the result as $N and append "$N = VALUE" (no newline).
 * f may be NULL.  0 or -errno with ctx->err.
 */
int dbg_print_command(struct dbg_ctx *ctx, const char *expr, const struct dbg_fmt *f,
                      struct dbg_buf *out);
/* The output command: like print without "$N = " and without recording history. */
int dbg_output_command(struct dbg_ctx *ctx, const char *expr, const struct dbg_fmt *f,
                       struct dbg_buf *out);
/* whatis EXPR-or-TYPE: append "type = NAME". */
int dbg_whatis_command(struct dbg_ctx *ctx, const char *expr, struct dbg_buf *out);

/*
 * ptype EXPR-or-TYPE: append "type = " and the type with one level of its
 * struct, union or enum definition expanded ("struct s {\n    int a;\n} *").
 */
int dbg_ptype_command(struct dbg_ctx *ctx, const char *expr, struct dbg_buf *out);
/*
 * One line of `info registers` without its newline, in gdb's columns:
 * "rip            0x40111d            0x40111d <main+8>".
 */
int dbg_info_register_line(struct dbg_ctx *ctx, const char *name, struct dbg_buf *out);

/*
 * Display number num of EXPR with format f (may be NULL), as gdb shows
 * displays at a stop: "1: gi = 42\n", "2: /x gi = 0x2a\n", or for x-like
 * formats (i, s, a size or a count) "3: x/i $pc\n" followed by x's lines.
 */
int dbg_display_command(struct dbg_ctx *ctx, int num, const struct dbg_fmt *f, const char *expr,
                        struct dbg_buf *out);

/*
 * The C string at addr as gdb shows it after a char pointer: up to
 * ctx->print_elements characters, then "..." if no NUL came first.
 * *ret_next is the address after the NUL (or after the last character read).
 */
int dbg_print_string_at(struct dbg_ctx *ctx, uint64_t addr, struct dbg_buf *out,
                        uint64_t *ret_next);

#endif
