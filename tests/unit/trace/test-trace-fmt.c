/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the syscall decoder's pure formatting (src/trace/fmt.c):
 * strace's string quoting for every byte value, with -x and -xx, the
 * octal padding rule, truncation at -s, the forced-hex buffers, the flag
 * and constant notation with strace's unknown-value comments, modes,
 * devices, resource limits and timestamps.  The expected texts are what
 * strace 6.1 prints on this machine (observed with small programs; see
 * tests/trace/test_decode_*.py for the same against strace itself).
 */
#include "harness.h"

#include "fmt.h"

#include <stdlib.h>
#include <time.h>

/* fmt_quote into a fresh string (freed by the next call). */
static const char *quote(const void *s, size_t n, unsigned flags)
{
	static struct dbuf b;
	db_free(&b);
	fmt_quote(&b, s, n, flags);
	return b.s ? b.s : "";
}

#define Q(lit, flags) quote(lit, sizeof(lit) - 1, flags)

/* The escape of one byte, as strace prints it alone (no digit follows). */
static void expect_byte(unsigned c, char *want, size_t len)
{
	switch (c) {
	case '"':
		snprintf(want, len, "\"\\\"\"");
		return;
	case '\\':
		snprintf(want, len, "\"\\\\\"");
		return;
	case '\t':
		snprintf(want, len, "\"\\t\"");
		return;
	case '\n':
		snprintf(want, len, "\"\\n\"");
		return;
	case '\v':
		snprintf(want, len, "\"\\v\"");
		return;
	case '\f':
		snprintf(want, len, "\"\\f\"");
		return;
	case '\r':
		snprintf(want, len, "\"\\r\"");
		return;
	default:
		if (c >= 0x20 && c < 0x7f)
			snprintf(want, len, "\"%c\"", c);
		else
			snprintf(want, len, "\"\\%o\"", c);
	}
}

TEST(quote_every_byte)
{
	for (unsigned c = 0; c < 256; c++) {
		uint8_t byte = (uint8_t)c;
		char want[16];
		expect_byte(c, want, sizeof want);
		CHECK_EQ_STR(quote(&byte, 1, 0), want);
		/* -xx: every byte in hex. */
		snprintf(want, sizeof want, "\"\\x%02x\"", c);
		CHECK_EQ_STR(quote(&byte, 1, QF_XX), want);
		CHECK_EQ_STR(quote(&byte, 1, QF_HEX), want);
		/* -x: hex unless printable or one of \t\n\v\f\r. */
		bool plain = (c >= 0x20 && c < 0x7f) || (c >= '\t' && c <= '\r');
		if (!plain)
			CHECK_EQ_STR(quote(&byte, 1, QF_X), want);
		else {
			expect_byte(c, want, sizeof want);
			CHECK_EQ_STR(quote(&byte, 1, QF_X), want);
		}
	}
}

TEST(quote_octal_padding)
{
	/* Three digits only before an octal digit; 8 and 9 need none. */
	for (unsigned c = 0; c < 256; c++) {
		if ((c >= 0x20 && c < 0x7f) || (c >= '\t' && c <= '\r'))
			continue;
		for (unsigned next = '0'; next <= '9'; next++) {
			uint8_t s[2] = {(uint8_t)c, (uint8_t)next};
			char want[16];
			snprintf(want, sizeof want, next <= '7' ? "\"\\%03o%c\"" : "\"\\%o%c\"", c,
			         next);
			CHECK_EQ_STR(quote(s, 2, 0), want);
		}
	}
	/* Observed: write(3, "\0000\08\0017\1779", 8). */
	CHECK_EQ_STR(Q("\0"
	               "0"
	               "\0"
	               "8"
	               "\1"
	               "7"
	               "\x7f"
	               "9",
	               0),
	             "\"\\0000\\08\\0017\\1779\"");
	/* A digit beyond the cut does not pad: "abc\0"... with -s 4. */
	CHECK_EQ_STR(quote("abc\0"
	                   "5",
	                   4, QF_ELLIPSIS),
	             "\"abc\\0\"...");
	CHECK_EQ_STR(Q("\v\0\0\0\7\0\0\0\2\0\0\0\0\0\0\08\2", 0),
	             "\"\\v\\0\\0\\0\\7\\0\\0\\0\\2\\0\\0\\0\\0\\0\\0\\08\\2\"");
}

TEST(quote_observed)
{
	/* Lines strace 6.1 printed for the same bytes. */
	CHECK_EQ_STR(Q("hello\tworld\n", 0), "\"hello\\tworld\\n\"");
	CHECK_EQ_STR(Q("a\"b\\c\r\v\f", 0), "\"a\\\"b\\\\c\\r\\v\\f\"");
	CHECK_EQ_STR(Q("pqr~\x7f", 0), "\"pqr~\\177\"");
	CHECK_EQ_STR(Q("abc\0def", 0), "\"abc\\0def\"");
	CHECK_EQ_STR(Q("abc\x1b[0m", 0), "\"abc\\33[0m\"");
	CHECK_EQ_STR(Q("\xe2\x82\xac", 0), "\"\\342\\202\\254\"");
	CHECK_EQ_STR(Q("\177ELF\2\1\1\3", 0), "\"\\177ELF\\2\\1\\1\\3\"");
	CHECK_EQ_STR(quote("", 0, 0), "\"\"");
	CHECK_EQ_STR(quote("", 0, QF_ELLIPSIS), "\"\"...");
}

TEST(quote_x_heuristic)
{
	/* -x: all or nothing, decided on the bytes shown. */
	CHECK_EQ_STR(Q("hello\tworld\n", QF_X), "\"hello\\tworld\\n\"");
	CHECK_EQ_STR(Q("a\"b\\c\r\v\f", QF_X), "\"a\\\"b\\\\c\\r\\v\\f\"");
	CHECK_EQ_STR(Q("pqr~\x7f", QF_X), "\"\\x70\\x71\\x72\\x7e\\x7f\"");
	CHECK_EQ_STR(Q("abc\0def", QF_X), "\"\\x61\\x62\\x63\\x00\\x64\\x65\\x66\"");
	CHECK_EQ_STR(Q("a\xc3\xa9", QF_X), "\"\\x61\\xc3\\xa9\"");
	/* A string stops at its NUL: what follows decides nothing. */
	CHECK_EQ_STR(Q("abc\0\x80", QF_X | QF_STR), "\"abc\"");
	/* Only the shown part counts: 32 a's of "a"*33 "\x80" cut at -s 32. */
	char s[34];
	memset(s, 'a', 33);
	s[33] = (char)0x80;
	CHECK_EQ_STR(quote(s, 32, QF_X | QF_ELLIPSIS), "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"...");
	s[31] = (char)0x80;
	const char *h = quote(s, 32, QF_X);
	CHECK(strncmp(h, "\"\\x61\\x61", 9) == 0);
	CHECK(strstr(h, "\\x80\"") != NULL);
	CHECK(fmt_quote_hex((const uint8_t *)"ab", 2, QF_X) == false);
	CHECK(fmt_quote_hex((const uint8_t *)"a\1", 2, QF_X) == true);
	CHECK(fmt_quote_hex((const uint8_t *)"ab", 2, 0) == false);
	CHECK(fmt_quote_hex((const uint8_t *)"ab", 2, QF_HEX) == true);
	/* -xx: everything, \t and quotes too. */
	CHECK_EQ_STR(Q("a\"\t", QF_XX), "\"\\x61\\x22\\x09\"");
}

TEST(quote_strings_and_truncation)
{
	CHECK_EQ_STR(Q("/etc/ld.so.cache\0junk", QF_STR), "\"/etc/ld.so.cache\"");
	CHECK_EQ_STR(Q("abcd", QF_ELLIPSIS), "\"abcd\"...");
	CHECK_EQ_STR(quote("abcd", 0, QF_ELLIPSIS), "\"\"...");
	/* getrandom's bytes: always hex, printable or not. */
	CHECK_EQ_STR(Q("W\x12/\x13", QF_HEX), "\"\\x57\\x12\\x2f\\x13\"");
	CHECK_EQ_STR(Q("W\x12/\x13", QF_HEX | QF_ELLIPSIS), "\"\\x57\\x12\\x2f\\x13\"...");
}

static const char *flags(const struct ptk_xlat *x, uint64_t v)
{
	static struct dbuf b;
	db_free(&b);
	fmt_flags(&b, x, v);
	return b.s ? b.s : "";
}

static const char *xlat(const struct ptk_xlat *x, uint64_t v, const char *unknown)
{
	static struct dbuf b;
	db_free(&b);
	fmt_xlat(&b, x, v, unknown);
	return b.s ? b.s : "";
}

TEST(flags_notation)
{
	CHECK_EQ_STR(flags(&ptk_xlat_open, 0), "O_RDONLY");
	CHECK_EQ_STR(flags(&ptk_xlat_open, 02000000), "O_RDONLY|O_CLOEXEC");
	CHECK_EQ_STR(flags(&ptk_xlat_open, 01 | 0100 | 01000), "O_WRONLY|O_CREAT|O_TRUNC");
	CHECK_EQ_STR(flags(&ptk_xlat_open, 02 | 020200000), "O_RDWR|O_TMPFILE");
	CHECK_EQ_STR(flags(&ptk_xlat_open, 02 | 02000 | 04000 | 04010000 | 01000000),
	             "O_RDWR|O_APPEND|O_NONBLOCK|O_SYNC|O_NOATIME");
	CHECK_EQ_STR(flags(&ptk_xlat_open, 0x80000000u), "O_RDONLY|0x80000000");
	CHECK_EQ_STR(flags(&ptk_xlat_open, 0xa000), "O_RDONLY|O_LARGEFILE|FASYNC");
	/* Only unknown bits: strace's comment, named after the set's prefix. */
	CHECK_EQ_STR(flags(&ptk_xlat_prot, 0x100000), "0x100000 /* PROT_??? */");
	CHECK_EQ_STR(flags(&ptk_xlat_prot, 0), "PROT_NONE");
	CHECK_EQ_STR(flags(&ptk_xlat_prot, 5 | 0x100000), "PROT_READ|PROT_EXEC|0x100000");
	CHECK_EQ_STR(flags(&ptk_xlat_open_flags, 1), "0x1 /* O_??? */");
	CHECK_EQ_STR(flags(&ptk_xlat_epoll_create, 1), "0x1 /* EPOLL_??? */");
	CHECK_EQ_STR(flags(&ptk_xlat_inotify_init, 1), "0x1 /* IN_??? */");
	CHECK_EQ_STR(flags(&ptk_xlat_getrandom, 0x80), "0x80 /* GRND_??? */");
	CHECK_EQ_STR(flags(&ptk_xlat_at, 1), "0x1 /* AT_??? */");
	CHECK_EQ_STR(flags(&ptk_xlat_flock, 0x100), "0x100 /* LOCK_??? */");
	CHECK_EQ_STR(flags(&ptk_xlat_rename, 0x10), "0x10 /* RENAME_?? */");
	CHECK_EQ_STR(flags(&ptk_xlat_at, 0), "0");
	CHECK_EQ_STR(flags(&ptk_xlat_getrandom, 3), "GRND_NONBLOCK|GRND_RANDOM");
	CHECK_EQ_STR(flags(&ptk_xlat_statx_mask, 0x17ff), "STATX_BASIC_STATS|STATX_MNT_ID");
	CHECK_EQ_STR(flags(&ptk_xlat_futex_op, 0x189),
	             "FUTEX_WAIT_BITSET_PRIVATE|FUTEX_CLOCK_REALTIME");
	CHECK_EQ_STR(flags(&ptk_xlat_termios_lflag, 0x8a3b),
	             "ISIG|ICANON|ECHO|ECHOE|ECHOK|IEXTEN|ECHOCTL|ECHOKE");
}

TEST(xlat_notation)
{
	CHECK_EQ_STR(xlat(&ptk_xlat_whence, 0, "SEEK_???"), "SEEK_SET");
	CHECK_EQ_STR(xlat(&ptk_xlat_whence, 7, "SEEK_???"), "0x7 /* SEEK_??? */");
	CHECK_EQ_STR(xlat(&ptk_xlat_whence, 7, NULL), "0x7");
	char u[32];
	xlat_unknown(&ptk_xlat_whence, u, sizeof u);
	CHECK_EQ_STR(u, "SEEK_???");
	xlat_unknown(&ptk_xlat_arch_prctl, u, sizeof u);
	CHECK_EQ_STR(u, "ARCH_???");
	xlat_unknown(&ptk_xlat_prctl, u, sizeof u);
	CHECK_EQ_STR(u, "PR_???");
	xlat_unknown(&ptk_xlat_rlimit, u, sizeof u);
	CHECK_EQ_STR(u, "RLIMIT_???");
	xlat_unknown(&ptk_xlat_madvise, u, sizeof u);
	CHECK_EQ_STR(u, "MADV_???");
	xlat_unknown(&ptk_xlat_fcntl, u, sizeof u);
	CHECK_EQ_STR(u, "F_???");
	xlat_unknown(&ptk_xlat_futex_op, u, sizeof u);
	CHECK_EQ_STR(u, "FUTEX_???");
	/* Too small a buffer: nothing rather than a cut name. */
	xlat_unknown(&ptk_xlat_rlimit, u, 8);
	CHECK_EQ_STR(u, "");
}

static const char *num(void (*fn)(struct dbuf *, uint64_t), uint64_t v)
{
	static struct dbuf b;
	db_free(&b);
	fn(&b, v);
	return b.s ? b.s : "";
}

TEST(modes_devices_hex)
{
	CHECK_EQ_STR(num(fmt_mode, 0644), "0644");
	CHECK_EQ_STR(num(fmt_mode, 0), "000");
	CHECK_EQ_STR(num(fmt_mode, 022), "022");
	CHECK_EQ_STR(num(fmt_mode, 04755), "04755");
	CHECK_EQ_STR(num(fmt_fmode, 0100644), "S_IFREG|0644");
	CHECK_EQ_STR(num(fmt_fmode, 041777), "S_IFDIR|S_ISVTX|0777");
	CHECK_EQ_STR(num(fmt_fmode, 0107755), "S_IFREG|S_ISUID|S_ISGID|S_ISVTX|0755");
	CHECK_EQ_STR(num(fmt_fmode, 07644), "S_ISUID|S_ISGID|S_ISVTX|0644");
	CHECK_EQ_STR(num(fmt_fmode, 0010644), "S_IFIFO|0644");
	CHECK_EQ_STR(num(fmt_fmode, 0600), "0600");
	CHECK_EQ_STR(num(fmt_dev, 0x103), "makedev(0x1, 0x3)");
	CHECK_EQ_STR(num(fmt_dev, 0xfe00), "makedev(0xfe, 0)");
	CHECK_EQ_STR(num(fmt_dev, 6), "makedev(0, 0x6)");
	/* glibc makedev(0x123, 0x45678): minor low byte at 0, its rest at 20. */
	CHECK_EQ_STR(num(fmt_dev, (0x123ULL << 8) | 0x78 | (0x45600ULL << 12)),
	             "makedev(0x123, 0x45678)");
	CHECK_EQ_STR(num(fmt_hex, 0), "0");
	CHECK_EQ_STR(num(fmt_hex, 0x1f), "0x1f");
}

static const char *rlim(uint64_t v)
{
	static struct dbuf b;
	db_free(&b);
	fmt_rlim(&b, v, "RLIM64_INFINITY");
	return b.s ? b.s : "";
}

TEST(rlimits)
{
	/* Observed with prlimit64 on each value. */
	CHECK_EQ_STR(rlim(0), "0");
	CHECK_EQ_STR(rlim(1), "1");
	CHECK_EQ_STR(rlim(1023), "1023");
	CHECK_EQ_STR(rlim(1024), "1024");
	CHECK_EQ_STR(rlim(1025), "1025");
	CHECK_EQ_STR(rlim(2048), "2*1024");
	CHECK_EQ_STR(rlim(8192 * 1024), "8192*1024");
	CHECK_EQ_STR(rlim(1ULL << 50), "1099511627776*1024");
	CHECK_EQ_STR(rlim(UINT64_MAX - 1), "18446744073709551614");
	CHECK_EQ_STR(rlim(UINT64_MAX), "RLIM64_INFINITY");
}

TEST(time_comments)
{
	setenv("TZ", "UTC0", 1);
	tzset();
	struct dbuf b = {0};
	fmt_time_comment(&b, 1577934245, 0, 9);
	CHECK_EQ_STR(b.s, " /* 2020-01-02T03:04:05+0000 */");
	db_reset(&b);
	fmt_time_comment(&b, 1577934245, 123456789, 9);
	CHECK_EQ_STR(b.s, " /* 2020-01-02T03:04:05.123456789+0000 */");
	db_reset(&b);
	fmt_time_comment(&b, 1577934245, 5, 9);
	CHECK_EQ_STR(b.s, " /* 2020-01-02T03:04:05.000000005+0000 */");
	db_reset(&b);
	/* A timeval's microseconds (utimes). */
	fmt_time_comment(&b, 1577934245, 500000, 6);
	CHECK_EQ_STR(b.s, " /* 2020-01-02T03:04:05.500000+0000 */");
	db_free(&b);
}

static const char *sigset(uint64_t w)
{
	static struct dbuf b;
	db_free(&b);
	fmt_sigset(&b, &w, 64);
	return b.s ? b.s : "";
}

TEST(signal_sets)
{
	/* Observed with rt_sigprocmask on each set. */
	CHECK_EQ_STR(sigset(0), "[]");
	CHECK_EQ_STR(sigset(~0ULL), "~[]");
	CHECK_EQ_STR(sigset((1ULL << 1) | (1ULL << 14)), "[INT TERM]");
	CHECK_EQ_STR(sigset(~((1ULL << 8) | (1ULL << 18))), "~[KILL STOP]");
	CHECK_EQ_STR(sigset(~((1ULL << 31) | (1ULL << 32))), "~[RTMIN RT_1]");
	CHECK_EQ_STR(sigset((1ULL << 31) | (1ULL << 32) | (1ULL << 33) | (1ULL << 63)),
	             "[RTMIN RT_1 RT_2 RT_32]");
	/* Two thirds of 64 set and more: the complement. */
	const char *s41 = sigset((1ULL << 41) - 1);
	CHECK(s41[0] == '[' && strstr(s41, " RT_9]") != NULL);
	CHECK_EQ_STR(sigset((1ULL << 42) - 1),
	             "~[RT_11 RT_12 RT_13 RT_14 RT_15 RT_16 RT_17 RT_18 RT_19 RT_20 RT_21 "
	             "RT_22 RT_23 RT_24 RT_25 RT_26 RT_27 RT_28 RT_29 RT_30 RT_31 RT_32]");
}

TEST(dbuf_growth)
{
	struct dbuf b = {0};
	for (int i = 0; i < 10000; i++)
		db_printf(&b, "%d,", i % 10);
	CHECK_EQ_INT(b.len, 20000);
	CHECK_EQ_INT(strlen(b.s), 20000);
	CHECK(strncmp(b.s, "0,1,2,", 6) == 0);
	db_reset(&b);
	CHECK_EQ_INT(b.len, 0);
	CHECK_EQ_STR(b.s, "");
	db_putn(&b, "ab\0c", 4);
	CHECK_EQ_INT(b.len, 4);
	db_free(&b);
	CHECK(b.s == NULL);
}
