/* SPDX-License-Identifier: MIT */
/*
 * print's output, compared with what gdb 13.1 printed for the same
 * expressions on gdb-program.c (gcc 12 -g -O0 -no-pie, stopped at main).
 * Values of the second group of variables were recorded the same way from
 * a companion program; their addresses are the fake target's.
 */
#include "harness.h"

#include "fake_target.h"
#include "print.h"

struct pcase {
	const char *fmt; /* print/FMT letters, NULL for plain print */
	const char *expr;
	const char *want; /* the text after "$N = ", or "ERR: message" */
};

static void run_cases(const struct pcase *c, size_t n)
{
	struct fake *f;
	struct dbg_ctx *ctx = fake_ctx(&f);

	CHECK(ctx != NULL);
	for (size_t i = 0; i < n; i++) {
		const char *got = fake_print(ctx, c[i].fmt, c[i].expr);

		CHECK_MSG(strcmp(got, c[i].want) == 0, "print%s%s %s\n  got:  %s\n  want: %s",
		          c[i].fmt ? "/" : "", c[i].fmt ? c[i].fmt : "", c[i].expr, got, c[i].want);
	}
	fake_ctx_free(ctx, f);
}

#define RUN(cases) run_cases(cases, sizeof(cases) / sizeof(cases[0]))

TEST(print_integers)
{
	static const struct pcase c[] = {
	        {NULL, "gi", "42"},
	        {NULL, "neg", "-5"},
	        {NULL, "gu", "4000000000"},
	        {NULL, "gs", "-300"},
	        {NULL, "gus", "65000"},
	        {NULL, "gl", "-1234567890123"},
	        {NULL, "gul", "18446744073709551615"},
	        {NULL, "gll", "1099511627776"},
	        {NULL, "tu", "7"},
	        {NULL, "-5", "-5"},
	        {NULL, "-5L", "-5"},
	        {NULL, "4294967295", "4294967295"},
	        {NULL, "4294967296", "4294967296"},
	        {NULL, "0x7fffffff + 1", "-2147483648"},
	        {NULL, "2147483647 + 1", "-2147483648"},
	        {NULL, "1u - 2", "4294967295"},
	        {NULL, "1ul - 2", "18446744073709551615"},
	        {NULL, "-2147483648", "-2147483648"},
	        {NULL, "-2147483648 / -1", "2147483648"},
	};
	RUN(c);
}

TEST(print_chars_and_bools)
{
	static const struct pcase c[] = {
	        {NULL, "gc", "65 'A'"},
	        {NULL, "gsc", "-3 '\\375'"},
	        {NULL, "guc", "200 '\\310'"},
	        {NULL, "gb", "true"},
	        {NULL, "gbf", "false"},
	        {NULL, "'A'", "65 'A'"},
	        {NULL, "'\\n'", "10 '\\n'"},
	        {NULL, "'\\0'", "0 '\\000'"},
	        {NULL, "'\\377'", "-1 '\\377'"},
	        {NULL, "'\\''", "39 '\\''"},
	        {NULL, "'\"'", "34 '\"'"},
	        {NULL, "'\\x41'", "65 'A'"},
	        {NULL, "'\\101'", "65 'A'"},
	        {NULL, "(char)7", "7 '\\a'"},
	        {NULL, "(char)8", "8 '\\b'"},
	        {NULL, "(char)12", "12 '\\f'"},
	        {NULL, "(char)13", "13 '\\r'"},
	        {NULL, "(char)11", "11 '\\v'"},
	        {NULL, "(char)27", "27 '\\033'"},
	        {NULL, "(char)92", "92 '\\\\'"},
	        {NULL, "(char)127", "127 '\\177'"},
	        {NULL, "(char)32", "32 ' '"},
	        {NULL, "(_Bool)5", "true"},
	        {NULL, "(char)65", "65 'A'"},
	        {NULL, "(unsigned char)200", "200 '\\310'"},
	        {NULL, "(signed char)200", "-56 '\\310'"},
	};
	RUN(c);
}

TEST(print_floats)
{
	static const struct pcase c[] = {
	        {NULL, "gf", "1.5"},
	        {NULL, "gf2", "0.100000001"},
	        {NULL, "gd", "0.10000000000000001"},
	        {NULL, "gd2", "3"},
	        {NULL, "gd3", "1e+100"},
	        {NULL, "gld", "0.100000000000000000001"},
	        {NULL, "10.0/0", "inf"},
	        {NULL, "-10.0/0", "-inf"},
	        {NULL, "0.0/0", "-nan(0x8000000000000)"},
	        {NULL, "1.0/3", "0.33333333333333331"},
	        {NULL, "100.0/3", "33.333333333333336"},
	        {NULL, "1e20", "1e+20"},
	        {NULL, "1e16", "10000000000000000"},
	        {NULL, "1e15", "1000000000000000"},
	        {NULL, "123456789.0", "123456789"},
	        {NULL, "1.0", "1"},
	        {NULL, "2.5e-5", "2.5000000000000001e-05"},
	        {NULL, "1e-5", "1.0000000000000001e-05"},
	        {NULL, "0.0001", "0.0001"},
	        {NULL, "(float)1/3", "0.333333343"},
	        {NULL, "12345678.9", "12345678.9"},
	        {NULL, "3.14159", "3.1415899999999999"},
	        {NULL, "(float)3.14159", "3.14159012"},
	        {NULL, "1e-300", "1e-300"},
	        {NULL, "5e-324", "4.9406564584124654e-324"},
	        {NULL, "1.7976931348623157e308", "1.7976931348623157e+308"},
	        {NULL, "(float)1e10", "1e+10"},
	        {NULL, "(float)1e-10", "1.00000001e-10"},
	        {NULL, "-0.0", "0"},
	        {NULL, "1e17", "1e+17"},
	        {NULL, "123456789012345678.0", "1.2345678901234568e+17"},
	        {NULL, "2.0/3", "0.66666666666666663"},
	        {NULL, "1.5L/7", "0.214285714285714285718"},
	        {NULL, "(long double)1/3", "0.333333333333333333342"},
	        {NULL, "(long double)1e100", "1.0000000000000000159e+100"},
	        {NULL, "3.0f/7", "0.428571433"},
	        {NULL, "1e400", "inf"},
	        {NULL, "gd * 2", "0.20000000000000001"},
	        {NULL, "gf * 2", "3"},
	        {NULL, "gf + gi", "43.5"},
	        {NULL, "1.5f", "1.5"},
	        {NULL, "1.5L", "1.5"},
	        {NULL, "(int)1.9", "1"},
	        {NULL, "(int)-1.9", "-1"},
	        {NULL, "(unsigned char)1e10", "0 '\\000'"},
	};
	RUN(c);
}

TEST(print_pointers)
{
	static const struct pcase c[] = {
	        {NULL, "msg", "0x402004 \"hello, world\""},
	        {NULL, "nullp", "0x0"},
	        {NULL, "ip", "(int *) 0x404020 <gi>"},
	        {NULL, "vp", "(void *) 0x404020 <gi>"},
	        {NULL, "sp", "(struct s *) 0x404180 <gs_>"},
	        {NULL, "fp", "(int (*)(int)) 0x0"},
	        {NULL, "func", "{int (int)} 0x401106 <func>"},
	        {NULL, "main", "{int (void)} 0x401115 <main>"},
	        {NULL, "&func", "(int (*)(int)) 0x401106 <func>"},
	        {NULL, "*func", "{int (int)} 0x401106 <func>"},
	        {NULL, "&arr", "(int (*)[5]) 0x404090 <arr>"},
	        {NULL, "&arr[1]", "(int *) 0x404094 <arr+4>"},
	        {NULL, "ip + 1", "(int *) 0x404024 <neg>"},
	        {NULL, "arr + 1", "(int *) 0x404094 <arr+4>"},
	        {NULL, "msg + 1", "0x402005 \"ello, world\""},
	        {NULL, "&msg", "(const char **) 0x404160 <msg>"},
	        {NULL, "&str", "(char (*)[16]) 0x4040f0 <str>"},
	        {NULL, "str + 1", "0x4040f1 <str+1> \"ello\""},
	        {NULL, "&str[0]", "0x4040f0 <str> \"hello\""},
	        {NULL, "(char *)&gi", "0x404020 <gi> \"*\""},
	        {NULL, "(void *)0", "(void *) 0x0"},
	        {NULL, "(int *)0", "(int *) 0x0"},
	        {NULL, "(void (*)(void))0", "(void (*)(void)) 0x0"},
	        {NULL, "(int (*)(int))func", "(int (*)(int)) 0x401106 <func>"},
	        {NULL, "main + 1", "(int (*)(void)) 0x401116 <main+1>"},
	        {NULL, "&main", "(int (*)(void)) 0x401115 <main>"},
	        {NULL, "vp + 1", "(void *) 0x404021 <gi+1>"},
	        {NULL, "func + 1", "(int (*)(int)) 0x401107 <func+1>"},
	        {NULL, "(struct inner *)sp", "(struct inner *) 0x404180 <gs_>"},
	        {NULL, "&gs_.bf1", "(unsigned int *) 0x404198 <gs_+24>"},
	        {NULL, "&gs_.in", "(struct inner *) 0x404190 <gs_+16>"},
	        {NULL, "&gs_.name", "(char (*)[8]) 0x4041a8 <gs_+40>"},
	        {NULL, "&gs_", "(struct s *) 0x404180 <gs_>"},
	        {NULL, "&gs_.in.x", "(int *) 0x404190 <gs_+16>"},
	        {NULL, "&*ip", "(int *) 0x404020 <gi>"},
	        {NULL, "(union u *)0", "(union u *) 0x0"},
	        {NULL, "ip = 0x10", "(int *) 0x10"},
	        {NULL, "ip", "(int *) 0x10"},
	        {NULL, "ip = &gi", "(int *) 0x404020 <gi>"},
	        {NULL, "pz", "0x405360 <z10> \"\""},
	        {NULL, "pbad", "0x1234 <error: Cannot access memory at address 0x1234>"},
	        {NULL, "pedge",
	         "0x40fffd \"xyz\"<error: Cannot access memory at address 0x410000>"},
	};
	RUN(c);
}

TEST(print_arrays_and_strings)
{
	static const struct pcase c[] = {
	        {NULL, "arr", "{1, 2, 3, 4, 5}"},
	        {NULL, "zeros", "{0, 0, 0, 0, 0, 0, 0, 0, 0, 0}"},
	        {NULL, "rep", "{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 3}"},
	        {NULL, "big", "{0 <repeats 300 times>}"},
	        {NULL, "str", "\"hello\\000\\000\\000\\000\\000\\000\\000\\000\\000\\000\""},
	        {NULL, "full", "\"abcde\""},
	        {NULL, "m2", "{{1, 2, 3}, {4, 5, 6}}"},
	        {NULL, "esc", "\"a\\tb\\n\\\"\\\\\\001\""},
	        {NULL, "ubytes", "\"\\000\\377A\\n\""},
	        {NULL, "inarr", "{{x = 1, c = 97 'a'}, {x = 2, c = 98 'b'}}"},
	        {NULL, "*arr@3", "{1, 2, 3}"},
	        {NULL, "arr[1]@2", "{2, 3}"},
	        {NULL, "arr@2", "{{1, 2, 3, 4, 5}, {0, 0, 0, 0, 0}}"},
	        {NULL, "\"hi\"", "\"hi\""},
	        {NULL, "\"a\\\"b'c\"", "\"a\\\"b'c\""},
	        {NULL, "\"\\x41\\102\"", "\"AB\""},
	        {NULL, "mix", "{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 3 <repeats 11 times>, 4, 5, 5}"},
	        {NULL, "cbig", "\"abc\", '\\000' <repeats 296 times>"},
	        {NULL, "reps", "'a' <repeats 25 times>, \"bc\\000\\000\""},
	        {NULL, "nine", "{7, 7, 7, 7, 7, 7, 7, 7, 7}"},
	        {NULL, "ten", "{7, 7, 7, 7, 7, 7, 7, 7, 7, 7}"},
	        {NULL, "darr", "{1.5, -2.25, 0.10000000000000001}"},
	        {NULL, "farr", "{1.5, 0.100000001}"},
	        {NULL, "strs", "{0x402020 \"one\", 0x402024 \"two\", 0x0}"},
	        {NULL, "z10", "\"\\000\\000\\000\\000\\000\\000\\000\\000\\000\""},
	        {NULL, "z20", "'\\000' <repeats 19 times>"},
	        {NULL, "e1", "\"\""},
	        {NULL, "s1", "\"q'\\\"\\\\\\a\\b\\f\\r\\v\\033 1\\000\\000\\000\""},
	        {NULL, "*(char (*)[4])&gi", "\"*\\000\\000\""},
	        {NULL, "*(int (*)[2])arr", "{1, 2}"},
	        {NULL, "{char[4]} &gi", "\"*\\000\\000\""},
	        {NULL, "{int[2]} arr", "{1, 2}"},
	        {NULL, "(char[4])gi", "\"*\\000\\000\""},
	        {NULL, "arr = arr", "{1, 2, 3, 4, 5}"},
	};
	RUN(c);
}

TEST(print_limits)
{
	/* gdb's 200-element limit: "..." right after the last element or quote. */
	struct fake *f;
	struct dbg_ctx *ctx = fake_ctx(&f);
	struct dbg_buf want = {0};
	const char *got;

	dbg_buf_puts(&want, "{");
	for (int i = 0; i < 200; i++)
		dbg_buf_printf(&want, "%s%d", i ? ", " : "", i);
	dbg_buf_puts(&want, "...}");
	got = fake_print(ctx, NULL, "seq");
	CHECK_EQ_STR(got, dbg_buf_str(&want));

	dbg_buf_reset(&want);
	dbg_buf_puts(&want, "{");
	for (int i = 0; i < 190; i++)
		dbg_buf_printf(&want, "%s%d", i ? ", " : "", i);
	dbg_buf_puts(&want, ", 1000 <repeats 30 times>...}");
	got = fake_print(ctx, NULL, "seq2");
	CHECK_EQ_STR(got, dbg_buf_str(&want));

	dbg_buf_reset(&want);
	dbg_buf_putc(&want, '"');
	for (int i = 0; i < 200; i++)
		dbg_buf_putc(&want, (char)('a' + i % 26));
	dbg_buf_puts(&want, "\"...");
	got = fake_print(ctx, NULL, "mixs");
	CHECK_EQ_STR(got, dbg_buf_str(&want));

	dbg_buf_reset(&want);
	dbg_buf_putc(&want, '"');
	for (int i = 0; i < 195; i++)
		dbg_buf_putc(&want, (char)('a' + i % 26));
	dbg_buf_puts(&want, "\", 'x' <repeats 20 times>...");
	got = fake_print(ctx, NULL, "mixs2");
	CHECK_EQ_STR(got, dbg_buf_str(&want));

	/* Through a pointer: 200 characters are read, runs of 5 stay inline. */
	dbg_buf_reset(&want);
	dbg_buf_puts(&want, "0x405f40 <mixs2> \"");
	for (int i = 0; i < 195; i++)
		dbg_buf_putc(&want, (char)('a' + i % 26));
	dbg_buf_puts(&want, "xxxxx\"...");
	got = fake_print(ctx, NULL, "pmix");
	CHECK_EQ_STR(got, dbg_buf_str(&want));
	dbg_buf_free(&want);
	fake_ctx_free(ctx, f);
}

TEST(print_structs_unions_enums)
{
	static const struct pcase c[] = {
	        {NULL, "gs_",
	         "{a = 1, p = 0x404020 <gi>, in = {x = 7, c = 122 'z'}, bf1 = 5, bf2 = -3, d = "
	         "2.5, "
	         "name = \"nm\\000\\000\\000\\000\\000\"}"},
	        {NULL, "*sp",
	         "{a = 1, p = 0x404020 <gi>, in = {x = 7, c = 122 'z'}, bf1 = 5, bf2 = -3, d = "
	         "2.5, "
	         "name = \"nm\\000\\000\\000\\000\\000\"}"},
	        {NULL, "gun", "{i = 1065353216, f = 1, b = \"\\000\\000\\200?\"}"},
	        {NULL, "col", "GREEN"},
	        {NULL, "colbad", "(GREEN | BLUE | unknown: 0x1)"},
	        {NULL, "fl", "(FA | FC)"},
	        {NULL, "flbad", "(FA | unknown: 0x8)"},
	        {NULL, "(enum color)2", "GREEN"},
	        {NULL, "(enum color)1", "(unknown: 0x1)"},
	        {NULL, "(enum flags)3", "(FA | FB)"},
	        {NULL, "(enum flags)16", "(unknown: 0x10)"},
	        {NULL, "(enum flags)0", "0"},
	        {NULL, "(enum color)0", "RED"},
	        {NULL, "(enum e)5", "5"},
	        {NULL, "(enum e)3", "EB"},
	        {NULL, "(enum z)7", "(Z1 | Z2 | unknown: 0x4)"},
	        {NULL, "(enum z)1", "Z1"},
	        {NULL, "(enum m)7", "7"},
	        {NULL, "(enum m)1", "MA"},
	        {NULL, "(enum neg)-1", "NM"},
	        {NULL, "(enum neg)5", "5"},
	        {NULL, "RED", "RED"},
	        {NULL, "BLUE + 1", "5"},
	        {NULL, "RED == 0", "1"},
	        {NULL, "*(struct inner *)sp", "{x = 1, c = 0 '\\000'}"},
	        {NULL, "{int} &gi", "42"},
	        {NULL, "{struct inner} &gs_.in", "{x = 7, c = 122 'z'}"},
	        {NULL, "gs_.bf1", "5"},
	        {NULL, "gs_.bf2", "-3"},
	        {NULL, "gs_.name", "\"nm\\000\\000\\000\\000\\000\""},
	        {NULL, "gs_.in", "{x = 7, c = 122 'z'}"},
	        {NULL, "sp->in.c", "122 'z'"},
	        {NULL, "gs_->a", "1"},
	        {NULL, "sp.a", "1"},
	        {NULL, "gun.b", "\"\\000\\000\\200?\""},
	        {NULL, "gun.f", "1"},
	        {NULL, "bb",
	         "{a = {1, 2, 3}, s = \"ab\\000\", anon = {q = 5}, un = {u1 = 6, u2 = 6 '\\006'}, "
	         "np = 0x0}"},
	        {NULL, "em", "{<No data fields>}"},
	        {NULL, "sizeof(em)", "0"},
	        {NULL, "w", "{cb = 0x401200 <cbf>, f = 0x401210 <ff>, s = 0x402028 \"str\"}"},
	        {NULL, "1 ? gs_ : gs_",
	         "{a = 1, p = 0x404020 <gi>, in = {x = 7, c = 122 'z'}, bf1 = 5, bf2 = -3, d = "
	         "2.5, "
	         "name = \"nm\\000\\000\\000\\000\\000\"}"},
	};
	RUN(c);
}

TEST(print_formats)
{
	static const struct pcase c[] = {
	        {"x", "arr", "{0x1, 0x2, 0x3, 0x4, 0x5}"},
	        {"x", "gs_",
	         "{a = 0x1, p = 0x404020, in = {x = 0x7, c = 0x7a}, bf1 = 0x5, bf2 = 0xfffffffd, "
	         "d = 0x4004000000000000, name = {0x6e, 0x6d, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0}}"},
	        {"x", "-1", "0xffffffff"},
	        {"t", "5", "101"},
	        {"c", "65", "65 'A'"},
	        {"o", "8", "010"},
	        {"x", "gd", "0x3fb999999999999a"},
	        {"f", "gi", "5.88545355e-44"},
	        {"d", "gc", "65"},
	        {"u", "gsc", "253"},
	        {"a", "main", "ERR: Value can't be converted to integer."},
	        {"a", "0x401136", "0x401136 <main+33>"},
	        {"s", "str", "\"hello\\000\\000\\000\\000\\000\\000\\000\\000\\000\\000\""},
	        {"z", "5", "0x00000005"},
	        {"x", "gsc", "0xfd"},
	        {"o", "0", "0"},
	        {"t", "0", "0"},
	        {"x", "0", "0x0"},
	        {"c", "300", "44 ','"},
	        {"c", "-1", "-1 '\\377'"},
	        {"d", "-1", "-1"},
	        {"u", "-1", "4294967295"},
	        {"x", "(char)-1", "0xff"},
	        {"x", "(short)-1", "0xffff"},
	        {"t", "-1", "11111111111111111111111111111111"},
	        {"o", "-1", "037777777777"},
	        {"z", "-1", "0xffffffff"},
	        {"x", "1.5", "0x3ff8000000000000"},
	        {"d", "1.5", "4609434218613702656"},
	        {"f", "3", "4.20389539e-45"},
	        {"f", "1", "1.40129846e-45"},
	        {"c", "gi", "42 '*'"},
	        {"x", "gb", "0x1"},
	        {"d", "gb", "1"},
	        {"x", "w", "{cb = 0x401200, f = 0x401210, s = 0x402028}"},
	        {"x", "darr", "{0x3ff8000000000000, 0xc002000000000000, 0x3fb999999999999a}"},
	        {"f", "buf",
	         "{1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0, 255, 254, 65, 66, 67, 0, 127, "
	         "128, "
	         "0, 0, 0, 0, 0, 0, 0, 0}"},
	        {"x", "sh", "0xfffe"},
	        {"o", "sh", "0177776"},
	        {"t", "sh", "1111111111111110"},
	        {"d", "sh", "-2"},
	        {"u", "sh", "65534"},
	        {"c", "sh", "-2 '\\376'"},
	        {"x", "lng", "0x5"},
	        {"t", "(char)5", "101"},
	        {"o", "(char)-1", "0377"},
	        {"x", "strs", "{0x402020, 0x402024, 0x0}"},
	        {"d", "strs[0]", "4202528"},
	        {"f", "(char)65", "65"},
	        {"f", "(short)1", "1"},
	        {"f", "3L", "1.4821969375237396e-323"},
	        {"f", "lng", "2.4703282292062327e-323"},
	        {"f", "1.5", "1.5"},
	        {"x", "buf",
	         "{0x1, 0x0, 0x0, 0x0, 0x2, 0x0, 0x0, 0x0, 0x3, 0x0, 0x0, 0x0, 0x4, 0x0, 0x0, 0x0, "
	         "0xff, 0xfe, 0x41, 0x42, 0x43, 0x0, 0x7f, 0x80, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, "
	         "0x0, "
	         "0x0}"},
	        {"d", "buf",
	         "{1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0, -1, -2, 65, 66, 67, 0, 127, "
	         "-128, 0, "
	         "0, 0, 0, 0, 0, 0, 0}"},
	        {"s", "buf",
	         "\"\\001\\000\\000\\000\\002\\000\\000\\000\\003\\000\\000\\000\\004\\000\\000\\00"
	         "0\\377"
	         "\\376ABC\\000\\177\\200\\000\\000\\000\\000\\000\\000\\000\""},
	        {"t", "buf",
	         "{1, 0, 0, 0, 10, 0, 0, 0, 11, 0, 0, 0, 100, 0, 0, 0, 11111111, 11111110, "
	         "1000001, "
	         "1000010, 1000011, 0, 1111111, 10000000, 0, 0, 0, 0, 0, 0, 0, 0}"},
	        {"x", "bb",
	         "{a = {0x1, 0x2, 0x3}, s = {0x61, 0x62, 0x0, 0x0}, anon = {q = 0x5}, un = {u1 = "
	         "0x6, "
	         "u2 = 0x6}, np = 0x0}"},
	        {"c", "200", "-56 '\\310'"},
	        {"c", "'A'", "65 'A'"},
	        {"x", "'A'", "0x41"},
	        {"d", "'A'", "65"},
	        {"t", "0x80000000", "10000000000000000000000000000000"},
	        {"o", "0x40000000", "010000000000"},
	        {"x", "0xffffffffffffffff", "0xffffffffffffffff"},
	        {"d", "0xffffffffffffffff", "-1"},
	        {"u", "-1L", "18446744073709551615"},
	        {"z", "0L", "0x0000000000000000"},
	        {"z", "(char)1", "0x01"},
	        {"x", "(unsigned char)255", "0xff"},
	        {"x", "(enum e)3", "0x3"},
	        {"d", "(enum z)1", "1"},
	        {"x", "sp", "0x404180"},
	};
	RUN(c);
}

TEST(print_format_errors)
{
	static const struct pcase c[] = {
	        {"i", "5", "ERR: Format letter \"i\" is meaningless in \"print\" command."},
	        {"w", "5", "ERR: Size letters are meaningless in \"print\" command."},
	        {"2x", "5", "ERR: Item count other than 1 is meaningless in \"print\" command."},
	        {"xw", "5", "ERR: Size letters are meaningless in \"print\" command."},
	        {"q", "5", "ERR: Undefined output format \"q\"."},
	};
	RUN(c);
}

TEST(print_registers)
{
	static const struct pcase c[] = {
	        {NULL, "$pc", "(void (*)()) 0x40111d <main+8>"},
	        {NULL, "$sp", "(void *) 0x7fffffffe590"},
	        {NULL, "$rip", "(void (*)()) 0x40111d <main+8>"},
	        {NULL, "$rax", "4198677"},
	        {NULL, "$eax", "4198677"},
	        {NULL, "$al", "21"},
	        {NULL, "$eflags", "[ PF IF ]"},
	        {"x", "$eflags", "0x206"},
	        {"x", "$sp", "0x7fffffffe590"},
	        {NULL, "$sp + 8", "(void *) 0x7fffffffe598"},
	        {NULL, "$rsp", "(void *) 0x7fffffffe590"},
	        {NULL, "$ebx", "-6472"},
	        {NULL, "$ax", "4373"},
	        {NULL, "$rip == main", "0"},
	        {NULL, "$sp = $sp", "(void *) 0x7fffffffe590"},
	        {NULL, "local", "-6472"},
	        {NULL, "gone", "<optimized out>"},
	};
	RUN(c);
}

TEST(print_history_and_convenience)
{
	struct fake *f;
	struct dbg_ctx *ctx = fake_ctx(&f);
	struct dbg_buf out = {0};

	CHECK_EQ_STR(fake_print(ctx, NULL, "$"), "ERR: The history is empty.");
	CHECK_EQ_STR(fake_print(ctx, NULL, "$$"), "ERR: History does not go back to $$1.");
	CHECK_EQ_STR(fake_print(ctx, NULL, "$1"), "ERR: History has not yet reached $1.");
	CHECK_EQ_STR(fake_print(ctx, NULL, "$_"), "void");
	CHECK_EQ_STR(fake_print(ctx, NULL, "$foo"), "void");
	CHECK_EQ_STR(fake_print(ctx, NULL, "$foo = 5"), "5");
	CHECK_EQ_STR(fake_print(ctx, NULL, "$foo * 2"), "10");
	CHECK_EQ_STR(fake_print(ctx, NULL, "$nonexistent_reg_xyz"), "void");
	CHECK_EQ_STR(fake_print(ctx, NULL, "$eflags"), "[ PF IF ]");
	CHECK_EQ_STR(fake_print(ctx, NULL, "$"), "[ PF IF ]");
	CHECK_EQ_STR(fake_print(ctx, NULL, "$$"), "[ PF IF ]");
	CHECK_EQ_STR(fake_print(ctx, NULL, "$3"), "5");
	CHECK_EQ_STR(fake_print(ctx, NULL, "$$2"), "[ PF IF ]");
	CHECK_EQ_STR(fake_print(ctx, NULL, "$999"), "ERR: History has not yet reached $999.");
	CHECK_EQ_STR(fake_print(ctx, NULL, "$foo = gs_"),
	             "{a = 1, p = 0x404020 <gi>, in = {x = 7, c = 122 'z'}, bf1 = 5, bf2 = -3, "
	             "d = 2.5, name = \"nm\\000\\000\\000\\000\\000\"}");
	CHECK_EQ_STR(fake_print(ctx, NULL, "$foo.a"), "1");
	CHECK_EQ_STR(fake_print(ctx, NULL, "$foo.in"), "{x = 7, c = 122 'z'}");
	CHECK_EQ_STR(fake_print(ctx, NULL, "sizeof $foo"), "48");
	CHECK_EQ_STR(fake_print(ctx, NULL, "$foo.a = 9"), "9");
	CHECK_EQ_STR(fake_print(ctx, NULL, "$foo.a"), "9");
	CHECK_EQ_STR(fake_print(ctx, NULL, "gs_.a"), "1");
	CHECK_EQ_STR(fake_print(ctx, NULL, "&$foo"),
	             "ERR: Attempt to take address of value not located in memory.");
	CHECK_EQ_STR(fake_print(ctx, NULL, "&$rax"),
	             "ERR: Attempt to take address of value not located in memory.");
	CHECK_EQ_STR(fake_print(ctx, NULL, "$_ = 3"), "3");
	CHECK_EQ_STR(fake_print(ctx, NULL, "$__"), "void");

	/* print with no expression shows the last value again, as a new $N. */
	CHECK_OK(dbg_print_command(ctx, "gi", NULL, &out));
	CHECK_EQ_STR(dbg_buf_str(&out), "$20 = 42");
	dbg_buf_reset(&out);
	CHECK_OK(dbg_print_command(ctx, "", NULL, &out));
	CHECK_EQ_STR(dbg_buf_str(&out), "$21 = 42");
	dbg_buf_reset(&out);
	{
		struct dbg_fmt fx = {.count = 1, .format = 'x'};

		CHECK_OK(dbg_print_command(ctx, NULL, &fx, &out));
		CHECK_EQ_STR(dbg_buf_str(&out), "$22 = 0x2a");
	}
	dbg_buf_reset(&out);
	/* output: no "$N = ", no history. */
	CHECK_OK(dbg_output_command(ctx, "big", NULL, &out));
	CHECK_EQ_STR(dbg_buf_str(&out), "{0 <repeats 300 times>}");
	dbg_buf_reset(&out);
	{
		struct dbg_fmt fx = {.count = 1, .format = 'x'};

		CHECK_OK(dbg_output_command(ctx, "255", &fx, &out));
		CHECK_EQ_STR(dbg_buf_str(&out), "0xff");
	}
	CHECK_EQ_INT(ctx->nhistory, 22);
	dbg_buf_free(&out);
	fake_ctx_free(ctx, f);
}

TEST(print_assignments)
{
	struct fake *f;
	struct dbg_ctx *ctx = fake_ctx(&f);
	int32_t gi;
	unsigned char raw;

	CHECK_EQ_STR(fake_print(ctx, NULL, "gi = 7"), "7");
	CHECK_EQ_STR(fake_print(ctx, NULL, "gi += 3"), "10");
	CHECK_EQ_STR(fake_print(ctx, NULL, "gi"), "10");
	CHECK_OK(fake_peek(f, 0x404020, &gi, 4));
	CHECK_EQ_INT(gi, 10);
	CHECK_EQ_STR(fake_print(ctx, NULL, "arr[1] = 9"), "9");
	CHECK_EQ_STR(fake_print(ctx, NULL, "arr"), "{1, 9, 3, 4, 5}");
	CHECK_EQ_STR(fake_print(ctx, NULL, "gi = 3.7"), "3");
	CHECK_EQ_STR(fake_print(ctx, NULL, "gc = 321"), "65 'A'");
	CHECK_EQ_STR(fake_print(ctx, NULL, "gb = 5"), "true");
	CHECK_EQ_STR(fake_print(ctx, NULL, "gf = 2"), "2");
	CHECK_EQ_STR(fake_print(ctx, NULL, "gd = gi"), "3");
	CHECK_EQ_STR(fake_print(ctx, NULL, "gi++"), "3");
	CHECK_EQ_STR(fake_print(ctx, NULL, "++gi"), "5");
	CHECK_EQ_STR(fake_print(ctx, NULL, "gi--"), "5");
	CHECK_EQ_STR(fake_print(ctx, NULL, "gi"), "4");
	/* Bitfields are read-modify-write; the neighbour keeps its bits. */
	CHECK_EQ_STR(fake_print(ctx, NULL, "gs_.bf1 = 2"), "2");
	CHECK_EQ_STR(fake_print(ctx, NULL, "gs_.bf2"), "-3");
	CHECK_OK(fake_peek(f, 0x404198, &raw, 1));
	CHECK_EQ_HEX(raw, 2 | (29 << 3));
	CHECK_EQ_STR(fake_print(ctx, NULL, "gs_.bf2 = -16"), "-16");
	CHECK_EQ_STR(fake_print(ctx, NULL, "gs_.bf1"), "2");
	CHECK_EQ_STR(fake_print(ctx, NULL, "sp->in.c = 'q'"), "113 'q'");
	CHECK_EQ_STR(fake_print(ctx, NULL, "gs_.in"), "{x = 7, c = 113 'q'}");
	/* Registers. */
	CHECK_EQ_STR(fake_print(ctx, NULL, "$rip = main"), "(void (*)()) 0x401115 <main>");
	CHECK_EQ_HEX(fake_reg(f, "rip"), 0x401115);
	CHECK_EQ_STR(fake_print(ctx, NULL, "$eax = -1"), "-1");
	CHECK_EQ_HEX(fake_reg(f, "rax"), 0xffffffff);
	CHECK_EQ_STR(fake_print(ctx, NULL, "$rax = 0x1122334455667788"), "1234605616436508552");
	CHECK_EQ_STR(fake_print(ctx, NULL, "$al"), "-120");
	CHECK_EQ_STR(fake_print(ctx, NULL, "local = 5"), "5");
	CHECK_EQ_HEX(fake_reg(f, "rbx"), 0x7fff00000005ull);
	fake_ctx_free(ctx, f);
}
