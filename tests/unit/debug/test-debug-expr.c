/* SPDX-License-Identifier: MIT */
/*
 * The expression parser and evaluator: errors and types as gdb 13.1 reports
 * them for gdb-program.c (whatis output and error lines recorded from gdb).
 */
#include "harness.h"

#include <errno.h>

#include "expr.h"
#include "fake_target.h"
#include "print.h"

struct ecase {
	const char *expr;
	const char *want;
};

static void run_print(const struct ecase *c, size_t n)
{
	struct fake *f;
	struct dbg_ctx *ctx = fake_ctx(&f);

	for (size_t i = 0; i < n; i++) {
		const char *got = fake_print(ctx, NULL, c[i].expr);

		CHECK_MSG(strcmp(got, c[i].want) == 0, "print %s\n  got:  %s\n  want: %s",
		          c[i].expr, got, c[i].want);
	}
	fake_ctx_free(ctx, f);
}

static void run_whatis(const struct ecase *c, size_t n)
{
	struct fake *f;
	struct dbg_ctx *ctx = fake_ctx(&f);

	for (size_t i = 0; i < n; i++) {
		struct dbg_buf out = {0};
		char got[512];

		if (dbg_whatis_command(ctx, c[i].expr, &out) < 0)
			snprintf(got, sizeof(got), "ERR: %s", dbg_ctx_error(ctx));
		else
			snprintf(got, sizeof(got), "%s", dbg_buf_str(&out));
		dbg_buf_free(&out);
		dbg_ctx_reset_tmp(ctx);
		CHECK_MSG(strcmp(got, c[i].want) == 0, "whatis %s\n  got:  %s\n  want: %s",
		          c[i].expr, got, c[i].want);
	}
	fake_ctx_free(ctx, f);
}

#define RUN_PRINT(c)  run_print(c, sizeof(c) / sizeof(c[0]))
#define RUN_WHATIS(c) run_whatis(c, sizeof(c) / sizeof(c[0]))

TEST(syntax_errors)
{
	static const struct ecase c[] = {
	        {"1 +", "ERR: A syntax error in expression, near `'."},
	        {"(1", "ERR: A syntax error in expression, near `'."},
	        {")", "ERR: A syntax error in expression, near `)'."},
	        {"1 2", "ERR: A syntax error in expression, near `2'."},
	        /* gdb 13 says near `' here: its lexer has moved past the '@'. */
	        {"@", "ERR: A syntax error in expression, near `@'."},
	        {"gi + * ", "ERR: A syntax error in expression, near `'."},
	        {"arr[1", "ERR: A syntax error in expression, near `'."},
	        {"gi # 2", "ERR: Invalid character '#' in expression."},
	        {"'ab'", "ERR: Invalid character constant."},
	        {"''", "ERR: A character constant must contain at least one character."},
	        {"'a", "ERR: Unmatched single quote."},
	        {"\"abc", "ERR: Unterminated string in expression."},
	        {"0x", "ERR: Invalid number \"0x\"."},
	        {"08", "ERR: Invalid number \"08\"."},
	        {"99999999999999999999", "ERR: Numeric constant too large."},
	        {"(struct nosuch *)0", "ERR: No struct type named nosuch."},
	        {"sizeof(struct nosuch)", "ERR: No struct type named nosuch."},
	        {"(enum nosuch)0", "ERR: No enum type named nosuch."},
	        {"(union nosuch *)0", "ERR: No union type named nosuch."},
	        {"func::x",
	         "ERR: Scoped names (\"func::x\") are not supported; use the name alone."},
	        {"(unsigned float)1", "ERR: A syntax error in expression, near `float)1'."},
	        {"12abc", "ERR: Invalid number \"12abc\"."},
	};
	RUN_PRINT(c);
}

TEST(eval_errors)
{
	static const struct ecase c[] = {
	        {"nosuch", "ERR: No symbol \"nosuch\" in current context."},
	        {"bool", "ERR: No symbol \"bool\" in current context."},
	        {"10/0", "ERR: Division by zero"},
	        {"10%0", "ERR: Division by zero"},
	        {"*gi", "ERR: Cannot access memory at address 0x2a"},
	        {"&1", "ERR: Attempt to take address of value not located in memory."},
	        {"*nullp", "ERR: Cannot access memory at address 0x0"},
	        {"*(int*)0", "ERR: Cannot access memory at address 0x0"},
	        {"arr[100000000]", "ERR: Cannot access memory at address 0x1817c490"},
	        {"gs_.nosuch", "ERR: There is no member named nosuch."},
	        {"gi.a", "ERR: Attempt to extract a component of a value that is not a structure."},
	        {"gi->a",
	         "ERR: Attempt to extract a component of a value that is not a structure pointer."},
	        {"1.5 & 1", "ERR: Integer-only operation on floating point number."},
	        {"1.5 % 1", "ERR: Integer-only operation on floating point number."},
	        {"1.5 << 1", "ERR: Integer-only operation on floating point number."},
	        {"ip * 2", "ERR: Argument to arithmetic operation not a number or boolean."},
	        {"ip + ip", "ERR: Argument to arithmetic operation not a number or boolean."},
	        {"gs_ + 1", "ERR: Structure has no component named operator+."},
	        {"-gs_", "ERR: Structure has no component named operator-."},
	        {"!gs_", "ERR: Structure has no component named operator!."},
	        {"gs_ == gs_", "ERR: Structure has no component named operator==."},
	        {"~1.5", "ERR: Argument to complement operation not an integer, boolean."},
	        {"1[arr]", "ERR: cannot subscript something of type `int'"},
	        {"gi[1]", "ERR: cannot subscript something of type `int'"},
	        {"(struct s)1", "ERR: Invalid cast."},
	        {"*vp", "ERR: Attempt to dereference a generic pointer."},
	        {"*gs_", "ERR: Attempt to take contents of a non-pointer value."},
	        {"5 = 3", "ERR: Left operand of assignment is not an lvalue."},
	        {"(char)gi = 3", "ERR: Left operand of assignment is not an lvalue."},
	        {"1 @ 2", "ERR: Only values in memory can be extended with '@'."},
	        {"*ip@0", "ERR: Invalid number 0 of repetitions."},
	        {"*ip@-1", "ERR: Invalid number -1 of repetitions."},
	        {"func(1)", "ERR: Calling functions in the program is not supported."},
	        {"\"ab\" + 1", "ERR: Attempt to take address of value not located in memory."},
	        {"*(int (*)[100000])0",
	         "ERR: value requires 400000 bytes, which is more than max-value-size"},
	        {"gone + 1", "ERR: value has been optimized out"},
	        {"(int *)1 - (char *)0", "ERR: First argument of `-' is a pointer and second "
	                                 "argument is neither an integer "
	                                 "nor a pointer of the same type."},
	};
	RUN_PRINT(c);
}

TEST(eval_values)
{
	static const struct ecase c[] = {
	        {"sizeof(int)", "4"},
	        {"sizeof(struct s)", "48"},
	        {"sizeof gi", "4"},
	        {"sizeof(gi)", "4"},
	        {"sizeof (gs_.name)", "8"},
	        {"sizeof(void)", "1"},
	        {"sizeof(int[3])", "12"},
	        {"sizeof(int *)", "8"},
	        {"sizeof(char)", "1"},
	        {"sizeof(struct s *)", "8"},
	        {"sizeof gs_.name", "8"},
	        {"sizeof(arr)/sizeof(arr[0])", "5"},
	        {"sizeof(long double)", "16"},
	        {"sizeof(\"hi\")", "3"},
	        {"sizeof(uint)", "4"},
	        {"sizeof *nullp", "1"},
	        {"sizeof(gi = 99)", "4"},
	        {"gi", "42"},
	        {"1 == 1", "1"},
	        {"1 < 2", "1"},
	        {"!5", "0"},
	        {"10/3", "3"},
	        {"10%3", "1"},
	        {"1 ? 2 : 3", "2"},
	        {"5 > 3 && 0", "0"},
	        {"0 && 10/0", "0"},
	        {"1 || 10/0", "1"},
	        {"-5 / 2", "-2"},
	        {"-5 % 2", "-1"},
	        {"-5 >> 1", "-3"},
	        {"1 << 40", "0"},
	        {"7 >> -1", "0"},
	        {"10 > 3 > 1", "0"},
	        {"ip - ip", "0"},
	        {"&arr[3] - &arr[0]", "3"},
	        {"*ip", "42"},
	        {"*arr", "1"},
	        {"arr[1.5]", "2"},
	        {"msg[0]", "104 'h'"},
	        {"*msg", "104 'h'"},
	        {"(long)&gi", "4210720"},
	        {"fp == func", "0"},
	        {"(long)main", "4198677"},
	        {"'A' + 1", "66"},
	        {"gc + 1", "66"},
	        {"gc == 'A'", "1"},
	        {"-gc", "-65"},
	        {"~0", "-1"},
	        {"~gc", "-66"},
	        {"gu + 1", "4000000001"},
	        {"gus + 1", "65001"},
	        {"(unsigned)-1", "4294967295"},
	        {"(long unsigned int)-1", "18446744073709551615"},
	        {"(short)70000", "4464"},
	        {"(unsigned long long)-1", "18446744073709551615"},
	        {"(long long)-1", "-1"},
	        {"(uint)5", "5"},
	        {"::gi", "42"},
	        {"\"ab\"[1]", "98 'b'"},
	        {"*\"ab\"", "97 'a'"},
	        {"(int *)1 - (int *)0", "0"},
	        {"(char *)1 < (char *)2", "1"},
	        {"ip == 0", "0"},
	        {"ip && 1", "1"},
	        {"!ip", "0"},
	        {"nullp || 0", "0"},
	        {"gd && 1", "1"},
	        {"0x10 ? 1.5 : 2", "1.5"},
	        {"gs_.in.x + sp->in.c", "129"},
	        {"1 / -1", "-1"},
	        {"3 - 5u", "4294967294"},
	        {"-gu", "294967296"},
	        {"10 - 20", "-10"},
	        {"'A' == 65.0", "1"},
	        {"1 < 2.5", "1"},
	        {"10l", "10"},
	        {"10ll", "10"},
	        {"10ull", "10"},
	        {"010", "8"},
	        {"0x10", "16"},
	        {"0b101", "5"},
	        {"arr == &arr[0]", "1"},
	        {"*&gi", "42"},
	        {"(gi, gd)", "0.10000000000000001"},
	        {"m2[1][2]", "6"},
	        {"inarr[1].c", "98 'b'"},
	        {"$rax + 1", "4198678"},
	        {"*(int *)$sp", "1"},
	        {"strs[1][2]", "111 'o'"},
	        {"-(-2147483648)", "2147483648"},
	        /* Found by fuzz_debug_expr: elements of size 0 (int [8][]) must not divide by 0. */
	        {"(int (*)[8][])16 - (int (*)[8][])8", "8"},
	        {"(struct empty *)16 - (struct empty *)8", "8"},
	};
	RUN_PRINT(c);
}

TEST(whatis_types)
{
	static const struct ecase c[] = {
	        {"gi", "type = int"},
	        {"sp", "type = struct s *"},
	        {"sp->in", "type = struct inner"},
	        {"1+1", "type = int"},
	        {"1.0f", "type = float"},
	        {"'a'", "type = char"},
	        {"1==1", "type = int"},
	        {"gc+gc", "type = int"},
	        {"sizeof(int)", "type = int"},
	        {"arr", "type = int [5]"},
	        {"&arr", "type = int (*)[5]"},
	        {"*arr@2", "type = int [2]"},
	        {"fp", "type = int (*)(int)"},
	        {"func", "type = int (int)"},
	        {"&func", "type = int (*)(int)"},
	        {"m2[0]", "type = int [3]"},
	        {"$pc", "type = void (*)()"},
	        {"$sp", "type = void *"},
	        {"$rax", "type = int64_t"},
	        {"$eax", "type = int32_t"},
	        {"$eflags", "type = i386_eflags"},
	        {"(char)1", "type = char"},
	        {"1 ? 2 : 3.0", "type = int"},
	        {"1u + 1l", "type = long"},
	        {"1u + 1", "type = unsigned int"},
	        {"gu + gl", "type = long"},
	        {"gus + gus", "type = int"},
	        {"1 < 2", "type = int"},
	        {"!1", "type = int"},
	        {"4294967296", "type = long"},
	        {"2147483648", "type = long"},
	        {"0x80000000", "type = unsigned int"},
	        {"0xffffffffffffffff", "type = unsigned long"},
	        {"18446744073709551615", "type = unsigned long"},
	        {"18446744073709551616", "ERR: Numeric constant too large."},
	        {"(unsigned)1", "type = unsigned int"},
	        {"(long unsigned int)1", "type = unsigned long"},
	        {"(short)1", "type = short"},
	        {"(long long)1", "type = long long"},
	        {"(unsigned long long)1", "type = unsigned long long"},
	        {"(signed char)1", "type = signed char"},
	        {"(unsigned char)1", "type = unsigned char"},
	        {"(long double)1", "type = long double"},
	        {"(unsigned short)1", "type = unsigned short"},
	        {"(short int)1", "type = short"},
	        {"gl", "type = long"},
	        {"gul", "type = unsigned long"},
	        {"1ll", "type = long long"},
	        {"1ull", "type = unsigned long long"},
	        {"1ll + 1", "type = long"},
	        {"1ul + 1ll", "type = unsigned long"},
	        {"'a' + 'b'", "type = int"},
	        {"1.5f + 1", "type = float"},
	        {"1.5f + 1.0", "type = double"},
	        {"1.5L + 1", "type = long double"},
	        {"ip - ip", "type = long"},
	        {"ip + 1", "type = int *"},
	        {"arr + 1", "type = int *"},
	        {"*ip", "type = int"},
	        {"-gus", "type = int"},
	        {"~gc", "type = int"},
	        {"col", "type = enum color"},
	        {"col + 1", "type = unsigned int"},
	        {"fl | FB", "type = unsigned int"},
	        {"gu << 1", "type = unsigned int"},
	        {"gc << 1", "type = int"},
	        {"1 << gl", "type = int"},
	        {"gi , gd", "type = double"},
	        {"gi = 3.5", "type = int"},
	        {"-2147483648", "type = long"},
	        {"tu", "type = uint"},
	        {"msg", "type = const char *"},
	        {"&msg", "type = const char **"},
	        {"gs_.bf1", "type = unsigned int"},
	        {"&gs_.name", "type = char (*)[8]"},
	        {"struct s", "type = struct s"},
	        {"struct s *", "type = struct s *"},
	        {"uint", "type = uint"},
	        {"int [3]", "type = int [3]"},
	        {"char *[4]", "type = char *[4]"},
	        {"char (*)[4]", "type = char (*)[4]"},
	        {"int (*)(int, char *)", "type = int (*)(int, char *)"},
	        {"int (*)(void)", "type = int (*)(void)"},
	        {"void (*[2])(int, ...)", "type = void (*[2])(int, ...)"},
	        {"char *const", "type = char * const"},
	        {"const volatile int", "type = const volatile int"},
	        {"unsigned", "type = unsigned int"},
	        {"long long unsigned", "type = unsigned long long"},
	        {"10/0", "type = int"},
	        {"*nullp", "type = char"},
	        {"$foo", "type = void"},
	};
	RUN_WHATIS(c);
}

TEST(side_effects)
{
	struct fake *f;
	struct dbg_ctx *ctx = fake_ctx(&f);
	struct dbg_buf out = {0};
	int32_t gi;

	/* whatis and sizeof evaluate nothing. */
	CHECK_OK(dbg_whatis_command(ctx, "gi = 5", &out));
	CHECK_OK(fake_peek(f, 0x404020, &gi, 4));
	CHECK_EQ_INT(gi, 42);
	CHECK_EQ_STR(fake_print(ctx, NULL, "sizeof(gi = 99)"), "4");
	CHECK_OK(fake_peek(f, 0x404020, &gi, 4));
	CHECK_EQ_INT(gi, 42);
	/* The right side of && || and the other branch of ?: are not evaluated. */
	CHECK_EQ_STR(fake_print(ctx, NULL, "0 && (gi = 1)"), "0");
	CHECK_EQ_STR(fake_print(ctx, NULL, "1 || (gi = 1)"), "1");
	CHECK_EQ_STR(fake_print(ctx, NULL, "1 ? 0 : (gi = 1)"), "0");
	CHECK_OK(fake_peek(f, 0x404020, &gi, 4));
	CHECK_EQ_INT(gi, 42);
	CHECK_EQ_STR(fake_print(ctx, NULL, "1 && (gi = 1)"), "1");
	CHECK_OK(fake_peek(f, 0x404020, &gi, 4));
	CHECK_EQ_INT(gi, 1);
	/* A comma evaluates both. */
	CHECK_EQ_STR(fake_print(ctx, NULL, "gi = 2, gi * 10"), "20");
	dbg_buf_free(&out);
	fake_ctx_free(ctx, f);
}

TEST(parse_tree)
{
	struct fake *f;
	struct dbg_ctx *ctx = fake_ctx(&f);
	struct dbg_expr *e;

	/* '@' binds tighter than shifts and looser than '+' (gdb's grammar). */
	CHECK_OK(dbg_expr_parse(ctx, "*ip@1+1", &e));
	CHECK_EQ_INT(e->kind, DBG_E_AT);
	CHECK_EQ_INT(e->b->kind, DBG_E_BINARY);
	CHECK_EQ_INT(e->b->op, DBG_OP_ADD);
	CHECK_OK(dbg_expr_parse(ctx, "a = b = 3", &e));
	CHECK_EQ_INT(e->kind, DBG_E_ASSIGN);
	CHECK_EQ_INT(e->b->kind, DBG_E_ASSIGN);
	CHECK_OK(dbg_expr_parse(ctx, "x ? y : z ? 1 : 2", &e));
	CHECK_EQ_INT(e->kind, DBG_E_COND);
	CHECK_EQ_INT(e->c->kind, DBG_E_COND);
	CHECK_OK(dbg_expr_parse(ctx, "$$3", &e));
	CHECK_EQ_INT(e->kind, DBG_E_HISTORY);
	CHECK(e->relative);
	CHECK_EQ_INT(e->ival, 3);
	CHECK_OK(dbg_expr_parse(ctx, "$12", &e));
	CHECK(!e->relative);
	CHECK_EQ_INT(e->ival, 12);
	CHECK_OK(dbg_expr_parse(ctx, "$rip", &e));
	CHECK_EQ_INT(e->kind, DBG_E_DOLLAR);
	CHECK_EQ_STR(e->name, "rip");
	CHECK_OK(dbg_expr_parse(ctx, "(uint)x", &e));
	CHECK_EQ_INT(e->kind, DBG_E_CAST);
	CHECK_OK(dbg_expr_parse(ctx, "(gi)-1", &e));
	CHECK_EQ_INT(e->kind, DBG_E_BINARY);
	CHECK_OK(dbg_expr_parse(ctx, "f(1, 2)", &e));
	CHECK_EQ_INT(e->kind, DBG_E_CALL);
	CHECK_EQ_INT(e->nargs, 2);
	CHECK_OK(dbg_expr_parse(ctx, "\"ab\" \"cd\"", &e));
	CHECK_EQ_INT(e->kind, DBG_E_STRING);
	CHECK_EQ_STR(e->str, "abcd");
	CHECK_OK(dbg_expr_parse(ctx, "x <<= 2", &e));
	CHECK_EQ_INT(e->kind, DBG_E_ASSIGN);
	CHECK_EQ_INT(e->op, DBG_OP_SHL);
	CHECK_OK(dbg_expr_parse(ctx, "p->q.r[3]", &e));
	CHECK_EQ_INT(e->kind, DBG_E_INDEX);
	CHECK_EQ_INT(e->a->kind, DBG_E_MEMBER);
	CHECK_EQ_INT(e->a->a->kind, DBG_E_ARROW);
	fake_ctx_free(ctx, f);
}

TEST(deep_nesting_is_refused)
{
	struct fake *f;
	struct dbg_ctx *ctx = fake_ctx(&f);
	char text[4096];
	struct dbg_expr *e;

	memset(text, '(', 2000);
	text[2000] = '1';
	memset(text + 2001, ')', 2000);
	text[4001] = '\0';
	CHECK_EQ_INT(dbg_expr_parse(ctx, text, &e), -EINVAL);
	CHECK_EQ_STR(dbg_ctx_error(ctx), "Expression too deeply nested.");
	fake_ctx_free(ctx, f);
}

TEST(ptype_and_registers)
{
	/* gdb 13.1's `ptype` and `info registers` output for the same program and stop. */
	static const struct ecase c[] = {
	        {"struct s", "type = struct s {\n    int a;\n    int *p;\n    struct inner in;\n"
	                     "    unsigned int bf1 : 3;\n    int bf2 : 5;\n    double d;\n"
	                     "    char name[8];\n}"},
	        {"union u",
	         "type = union u {\n    int i;\n    float f;\n    unsigned char b[4];\n}"},
	        {"enum color", "type = enum color {RED, GREEN = 2, BLUE = 4}"},
	        {"gs_", "type = struct s {\n    int a;\n    int *p;\n    struct inner in;\n"
	                "    unsigned int bf1 : 3;\n    int bf2 : 5;\n    double d;\n"
	                "    char name[8];\n}"},
	        {"sp", "type = struct s {\n    int a;\n    int *p;\n    struct inner in;\n"
	               "    unsigned int bf1 : 3;\n    int bf2 : 5;\n    double d;\n"
	               "    char name[8];\n} *"},
	        {"int", "type = int"},
	        {"uint", "type = unsigned int"},
	        {"fp", "type = int (*)(int)"},
	        {"func", "type = int (int)"},
	        {"inarr", "type = struct inner {\n    int x;\n    char c;\n} [2]"},
	        {"struct inner *", "type = struct inner {\n    int x;\n    char c;\n} *"},
	        {"w",
	         "type = struct wp {\n    void (*cb)(void);\n    int (*f)(int);\n    char *s;\n}"},
	};
	static const struct ecase regs[] = {
	        {"rax", "rax            0x401115            4198677"},
	        {"rbx", "rbx            0x7fffffffe6b8      140737488348856"},
	        {"rbp", "rbp            0x7fffffffe5a0      0x7fffffffe5a0"},
	        {"rsp", "rsp            0x7fffffffe590      0x7fffffffe590"},
	        {"rip", "rip            0x40111d            0x40111d <main+8>"},
	        {"eflags", "eflags         0x206               [ PF IF ]"},
	        {"xyz", "ERR: Invalid register `xyz'"},
	};
	struct fake *f;
	struct dbg_ctx *ctx = fake_ctx(&f);

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct dbg_buf out = {0};
		char got[1024];

		if (dbg_ptype_command(ctx, c[i].expr, &out) < 0)
			snprintf(got, sizeof(got), "ERR: %s", dbg_ctx_error(ctx));
		else
			snprintf(got, sizeof(got), "%s", dbg_buf_str(&out));
		dbg_buf_free(&out);
		CHECK_MSG(strcmp(got, c[i].want) == 0, "ptype %s\n  got:  %s\n  want: %s",
		          c[i].expr, got, c[i].want);
	}
	for (size_t i = 0; i < sizeof(regs) / sizeof(regs[0]); i++) {
		struct dbg_buf out = {0};
		char got[1024];

		if (dbg_info_register_line(ctx, regs[i].expr, &out) < 0)
			snprintf(got, sizeof(got), "ERR: %s", dbg_ctx_error(ctx));
		else
			snprintf(got, sizeof(got), "%s", dbg_buf_str(&out));
		dbg_buf_free(&out);
		CHECK_MSG(strcmp(got, regs[i].want) == 0,
		          "info registers %s\n  got:  %s\n  want: %s", regs[i].expr, got,
		          regs[i].want);
	}
	fake_ctx_free(ctx, f);
}

TEST(type_declarations)
{
	struct fake *f;
	struct dbg_ctx *ctx = fake_ctx(&f);
	static const struct {
		const char *type, *name, *want;
	} c[] = {
	        {"int *", "p", "int *p"},
	        {"char [8]", "name", "char name[8]"},
	        {"int (*)(int)", "f", "int (*f)(int)"},
	        {"char *const", "q", "char * const q"},
	        {"const char **", "argv", "const char **argv"},
	        {"int (*)[5]", "pa", "int (*pa)[5]"},
	        {"void (*[2])(int, ...)", "tab", "void (*tab[2])(int, ...)"},
	};

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct dbg_type *t;
		struct dbg_buf out = {0};

		CHECK_OK(dbg_type_parse(ctx, c[i].type, &t));
		dbg_type_decl(t, c[i].name, &out);
		CHECK_EQ_STR(dbg_buf_str(&out), c[i].want);
		dbg_buf_free(&out);
	}
	CHECK_EQ_INT(dbg_type_parse(ctx, "gi + 1", &(struct dbg_type *){NULL}), -ENOENT);
	fake_ctx_free(ctx, f);
}
