/* SPDX-License-Identifier: MIT */
/*
 * /NFU parsing and the x command, compared with gdb 13.1's output for the
 * same sequence of commands (gdb remembers the last format and size, so the
 * order matters).  buf, darr, farr and strs hold the values the companion
 * program had; the addresses are the fake target's.
 */
#include "harness.h"

#include <errno.h>

#include "fake_target.h"
#include "format.h"
#include "print.h"

static char res[4096];

static const char *x_cmd(struct dbg_ctx *ctx, const char *fmt, const char *expr)
{
	struct dbg_fmt f = {.count = 1};
	struct dbg_fmt *fp = fmt ? &f : NULL;
	struct dbg_buf out = {0};
	size_t n;
	int r = 0;

	if (fmt)
		r = dbg_fmt_parse(fmt, &n, &f, res, sizeof(res));
	if (r == 0)
		r = dbg_examine_expr(ctx, fp, expr, &out);
	if (r == 0) {
		snprintf(res, sizeof(res), "%s", dbg_buf_str(&out));
	} else {
		char tmp[1024];

		snprintf(tmp, sizeof(tmp), "%sERR: %s", dbg_buf_str(&out), dbg_ctx_error(ctx));
		snprintf(res, sizeof(res), "%s", tmp);
	}
	dbg_buf_free(&out);
	dbg_ctx_reset_tmp(ctx);
	return res;
}

TEST(fmt_parse)
{
	struct dbg_fmt f;
	char err[128];
	size_t n;

	CHECK_OK(dbg_fmt_parse("4xw buf", &n, &f, err, sizeof(err)));
	CHECK_EQ_INT(n, 3);
	CHECK_EQ_INT(f.count, 4);
	CHECK(f.has_count);
	CHECK_EQ_INT(f.format, 'x');
	CHECK_EQ_INT(f.size, 'w');
	CHECK_OK(dbg_fmt_parse("x", &n, &f, err, sizeof(err)));
	CHECK_EQ_INT(f.count, 1);
	CHECK(!f.has_count);
	CHECK_EQ_INT(f.size, 0);
	CHECK_OK(dbg_fmt_parse("gx", &n, &f, err, sizeof(err)));
	CHECK_EQ_INT(f.format, 'x');
	CHECK_EQ_INT(f.size, 'g');
	CHECK_OK(dbg_fmt_parse("-3dh", &n, &f, err, sizeof(err)));
	CHECK_EQ_INT(f.count, -3);
	CHECK_EQ_INT(f.format, 'd');
	CHECK_EQ_INT(f.size, 'h');
	CHECK_OK(dbg_fmt_parse("10s", &n, &f, err, sizeof(err)));
	CHECK_EQ_INT(f.count, 10);
	CHECK_EQ_INT(f.format, 's');
	CHECK_OK(dbg_fmt_parse("2i", &n, &f, err, sizeof(err)));
	CHECK_EQ_INT(f.format, 'i');
	CHECK_OK(dbg_fmt_parse("rx", &n, &f, err, sizeof(err)));
	CHECK(f.raw);
	CHECK_EQ_INT(dbg_fmt_parse("q", &n, &f, err, sizeof(err)), -EINVAL);
	CHECK_EQ_STR(err, "Undefined output format \"q\".");
	CHECK_EQ_INT(dbg_fmt_parse("x4", &n, &f, err, sizeof(err)), -EINVAL);
	CHECK_EQ_STR(err, "Item count must come first in \"/x4\".");
	for (const char *l = "xduotacfsiz"; *l; l++) {
		char s[2] = {*l, 0};

		CHECK_OK(dbg_fmt_parse(s, &n, &f, err, sizeof(err)));
		CHECK_EQ_INT(f.format, *l);
	}
	f = (struct dbg_fmt){.count = 1, .format = 'x'};
	CHECK_OK(dbg_fmt_check_print(&f, "print", err, sizeof(err)));
	f.format = 's';
	CHECK_OK(dbg_fmt_check_print(&f, "print", err, sizeof(err)));
	f.format = 'i';
	CHECK_EQ_INT(dbg_fmt_check_print(&f, "output", err, sizeof(err)), -EINVAL);
	CHECK_EQ_STR(err, "Format letter \"i\" is meaningless in \"output\" command.");
}

TEST(examine_sequence)
{
	/* The commands in the order gdb ran them; each expectation is gdb's output. */
	static const struct {
		const char *fmt, *expr, *want;
	} c[] = {
	        {"4xw", "buf", "0x405000 <buf>:\t0x00000001\t0x00000002\t0x00000003\t0x00000004\n"},
	        {"4xw", "&buf",
	         "0x405000 <buf>:\t0x00000001\t0x00000002\t0x00000003\t0x00000004\n"},
	        {NULL, "", "0x405010 <buf+16>:\t0x4241feff\t0x807f0043\t0x00000000\t0x00000000\n"},
	        {"2xg", "buf", "0x405000 <buf>:\t0x0000000200000001\t0x0000000400000003\n"},
	        {"8xb", "buf", "0x405000 <buf>:\t0x01\t0x00\t0x00\t0x00\t0x02\t0x00\t0x00\t0x00\n"},
	        {"10xb", "buf",
	         "0x405000 <buf>:\t0x01\t0x00\t0x00\t0x00\t0x02\t0x00\t0x00\t0x00\n"
	         "0x405008 <buf+8>:\t0x03\t0x00\n"},
	        {"3dw", "buf", "0x405000 <buf>:\t1\t2\t3\n"},
	        {"3uw", "buf", "0x405000 <buf>:\t1\t2\t3\n"},
	        {"3ow", "buf", "0x405000 <buf>:\t01\t02\t03\n"},
	        {"3tw", "buf",
	         "0x405000 "
	         "<buf>:\t00000000000000000000000000000001\t00000000000000000000000000000010"
	         "\t00000000000000000000000000000011\n"},
	        {"2tb", "buf", "0x405000 <buf>:\t00000001\t00000000\n"},
	        {"3xh", "buf", "0x405000 <buf>:\t0x0001\t0x0000\t0x0002\n"},
	        {"3dh", "buf", "0x405000 <buf>:\t1\t0\t2\n"},
	        {"4cb", "buf+16", "0x405010 <buf+16>:\t-1 '\\377'\t-2 '\\376'\t65 'A'\t66 'B'\n"},
	        {"4c", "buf+16", "0x405010 <buf+16>:\t-1 '\\377'\t-2 '\\376'\t65 'A'\t66 'B'\n"},
	        {"2a", "$sp", "0x7fffffffe590:\t0x1\t0x401136 <main+33>\n"},
	        {"3s", "strs[0]", "0x402020:\t\"one\"\n0x402024:\t\"two\"\n0x402028:\t\"str\"\n"},
	        {"s", "buf+16", "0x405010 <buf+16>:\t\"\\377\\376ABC\"\n"},
	        {"2i", "main",
	         "   0x401115 <main>:\tpush   %rbp\n   0x401116 <main+1>:\tmov    %rsp,%rbp\n"},
	        {"2zw", "buf", "0x405000 <buf>:\t0x00000001\t0x00000002\n"},
	        {"2fg", "darr", "0x405020 <darr>:\t1.5\t-2.25\n"},
	        {"2fw", "farr", "0x405038 <farr>:\t1.5\t0.100000001\n"},
	        {"3f", "darr", "0x405020 <darr>:\t0\t1.9375\t0\n"},
	        {"3dg", "darr",
	         "0x405020 <darr>:\t4609434218613702656\t-4611123068473966592\n"
	         "0x405030 <darr+16>:\t4591870180066957722\n"},
	        {"2xg", "darr", "0x405020 <darr>:\t0x3ff8000000000000\t0xc002000000000000\n"},
	        {"d", "buf", "0x405000 <buf>:\t8589934593\n"},
	        {"x", "buf", "0x405000 <buf>:\t0x0000000200000001\n"},
	        {"2", "buf", "0x405000 <buf>:\t0x0000000200000001\t0x0000000400000003\n"},
	        {"3", "buf",
	         "0x405000 <buf>:\t0x0000000200000001\t0x0000000400000003\n"
	         "0x405010 <buf+16>:\t0x807f00434241feff\n"},
	        {"c", "buf+18", "0x405012 <buf+18>:\t65 'A'\n"},
	        {"s", "strs[1]", "0x402024:\t\"two\"\n"},
	        {"x", "", "0x402028:\t0x73\n"},
	        {"0x", "buf", ""},
	        {"-2xw", "buf+8", "0x405000 <buf>:\t0x00000001\t0x00000002\n"},
	        {"3ub", "buf+16", "0x405010 <buf+16>:\t255\t254\t65\n"},
	};
	struct fake *f;
	struct dbg_ctx *ctx = fake_ctx(&f);

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		const char *got = x_cmd(ctx, c[i].fmt, c[i].expr);

		CHECK_MSG(strcmp(got, c[i].want) == 0, "x/%s %s\n  got:  %s\n  want: %s",
		          c[i].fmt ? c[i].fmt : "", c[i].expr, got, c[i].want);
	}
	/* $_ is the last address examined, $__ its contents, typed by the unit size. */
	CHECK_EQ_STR(fake_print(ctx, NULL, "$_"), "(int8_t *) 0x405012 <buf+18>");
	CHECK_EQ_STR(fake_print(ctx, NULL, "$__"), "65");
	CHECK_EQ_STR(x_cmd(ctx, "xw", "buf"), "0x405000 <buf>:\t0x00000001\n");
	CHECK_EQ_STR(fake_print(ctx, NULL, "$_"), "(int32_t *) 0x405000 <buf>");
	CHECK_EQ_STR(fake_print(ctx, NULL, "$__"), "1");
	/* A failing read leaves the line's start, as gdb prints it before the error. */
	CHECK_EQ_STR(x_cmd(ctx, "2x", "0"), "0x0:\tERR: Cannot access memory at address 0x0");
	fake_ctx_free(ctx, f);
}

TEST(examine_errors)
{
	struct fake *f, *f0;
	struct dbg_ctx *ctx = fake_ctx(&f0);

	/* Defaults of a fresh context: a bare x shows one word in hex. */
	CHECK_EQ_STR(x_cmd(ctx, NULL, "arr"), "0x404090 <arr>:\t0x00000001\n");
	CHECK_EQ_STR(x_cmd(ctx, "2", "arr"), "0x404090 <arr>:\t0x00000001\t0x00000002\n");
	/* Without /FMT, x keeps the last format and size; the count too only when bare. */
	CHECK_EQ_STR(x_cmd(ctx, NULL, "arr"), "0x404090 <arr>:\t0x00000001\n");
	CHECK_EQ_STR(x_cmd(ctx, "2", "arr"), "0x404090 <arr>:\t0x00000001\t0x00000002\n");
	CHECK_EQ_STR(x_cmd(ctx, NULL, ""), "0x404098 <arr+8>:\t0x00000003\t0x00000004\n");
	dbg_ctx_free(ctx);
	fake_free(f0);
	/* gdb starts with no format: /SIZE or /COUNT alone is the unit's natural format */
	ctx = fake_ctx(&f0);
	CHECK_EQ_STR(x_cmd(ctx, "2", "arr"), "0x404090 <arr>:\t1\t2\n");
	CHECK_EQ_STR(x_cmd(ctx, NULL, ""), "0x404098 <arr+8>:\t0x00000003\t0x00000004\n");
	dbg_ctx_free(ctx);
	ctx = dbg_ctx_new(NULL);
	CHECK_EQ_STR(x_cmd(ctx, "x", ""), "ERR: Argument required (starting display address).");
	CHECK_EQ_STR(x_cmd(ctx, "x", "0x1000"),
	             "0x1000:\tERR: Cannot access memory at address 0x1000");
	dbg_ctx_free(ctx);
	fake_free(f0);
	ctx = fake_ctx(&f);
	CHECK_EQ_STR(x_cmd(ctx, "x", "gs_"), "ERR: Value can't be converted to integer.");
	CHECK_EQ_STR(x_cmd(ctx, "x", "nosuch"), "ERR: No symbol \"nosuch\" in current context.");
	/* A string at the end of readable memory. */
	CHECK_EQ_STR(x_cmd(ctx, "s", "pedge"),
	             "0x40fffd:\t\"xyz\"<error: Cannot access memory at address 0x410000>\n");
	CHECK_EQ_STR(
	        x_cmd(ctx, "s", "0x10"),
	        "0x10:\t<error: Cannot access memory at address 0x10>ERR: Cannot access memory at "
	        "address 0x10");
	fake_ctx_free(ctx, f);
}

TEST(format_scalar_direct)
{
	struct fake *f;
	struct dbg_ctx *ctx = fake_ctx(&f);
	struct dbg_buf b = {0};
	unsigned char v[8] = {0xfd, 0xff, 0xff, 0xff, 0, 0, 0, 0};

	dbg_format_scalar(ctx, dbg_builtin(ctx, DBG_BT_INT), v, 'x', false, &b);
	CHECK_EQ_STR(dbg_buf_str(&b), "0xfffffffd");
	dbg_buf_reset(&b);
	dbg_format_scalar(ctx, dbg_builtin(ctx, DBG_BT_INT), v, 'd', false, &b);
	CHECK_EQ_STR(dbg_buf_str(&b), "-3");
	dbg_buf_reset(&b);
	dbg_format_scalar(ctx, dbg_builtin(ctx, DBG_BT_UINT), v, 'd', false, &b);
	CHECK_EQ_STR(dbg_buf_str(&b), "-3");
	dbg_buf_reset(&b);
	dbg_format_scalar(ctx, dbg_builtin(ctx, DBG_BT_UINT), v, 'u', false, &b);
	CHECK_EQ_STR(dbg_buf_str(&b), "4294967293");
	dbg_buf_reset(&b);
	dbg_format_scalar(ctx, dbg_builtin(ctx, DBG_BT_SHORT), v, 't', true, &b);
	CHECK_EQ_STR(dbg_buf_str(&b), "1111111111111101");
	dbg_buf_reset(&b);
	dbg_format_scalar(ctx, dbg_builtin(ctx, DBG_BT_UCHAR), v, 'c', false, &b);
	CHECK_EQ_STR(dbg_buf_str(&b), "253 '\\375'");
	dbg_buf_reset(&b);
	dbg_format_char_escaped('\'', '"', &b);
	dbg_format_char_escaped('"', '"', &b);
	dbg_format_char_escaped(0x1b, '"', &b);
	CHECK_EQ_STR(dbg_buf_str(&b), "'\\\"\\033");
	dbg_buf_free(&b);
	fake_ctx_free(ctx, f);
}

TEST(display_lines)
{
	/* gdb 13.1's display output at a stop, for the same displays. */
	struct fake *f;
	struct dbg_ctx *ctx = fake_ctx(&f);
	struct dbg_buf out = {0};
	struct dbg_fmt fx = {.count = 1, .format = 'x'};
	struct dbg_fmt fi = {.count = 1, .format = 'i'};
	struct dbg_fmt f4xw = {.count = 4, .has_count = true, .format = 'x', .size = 'w'};
	struct dbg_fmt fs = {.count = 1, .format = 's'};

	CHECK_OK(dbg_display_command(ctx, 1, NULL, "gi", &out));
	CHECK_OK(dbg_display_command(ctx, 2, &fx, "gi", &out));
	ctx->has_pc = true;
	ctx->pc = 0x401115;
	CHECK_OK(dbg_display_command(ctx, 3, &fi, "$pc - 8", &out));
	CHECK_OK(dbg_display_command(ctx, 4, &f4xw, "arr", &out));
	CHECK_OK(dbg_display_command(ctx, 5, NULL, "arr", &out));
	CHECK_OK(dbg_display_command(ctx, 6, &fs, "msg", &out));
	CHECK_EQ_STR(dbg_buf_str(&out),
	             "1: gi = 42\n"
	             "2: /x gi = 0x2a\n"
	             "3: x/i $pc - 8\n"
	             "=> 0x401115 <main>:\tpush   %rbp\n"
	             "4: x/4xw arr\n"
	             "0x404090 <arr>:\t0x00000001\t0x00000002\t0x00000003\t0x00000004\n"
	             "5: arr = {1, 2, 3, 4, 5}\n"
	             "6: x/s msg  0x402004:\t\"hello, world\"\n");
	CHECK_EQ_INT(ctx->nhistory, 0);
	dbg_buf_reset(&out);
	CHECK_EQ_INT(dbg_display_command(ctx, 7, NULL, "nosuch", &out), -ENOENT);
	CHECK_EQ_STR(dbg_buf_str(&out), "");
	dbg_buf_free(&out);
	fake_ctx_free(ctx, f);
}
